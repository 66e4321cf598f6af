//! Income tax and employees' social insurance contributions: the transfers a household
//! pays, which NBS subtracts to get net transfer income.

use super::members::pay_member_sums;
use super::registry::{DefaultValue, Kind, LeverSpec, ParameterSpec, Params};
use super::{Book, Lever, Stage, YearContext};
use crate::error::{Error, Result};
use crate::model::bounds::MAX_AMOUNT;
use crate::model::{Employment, IncomePart, Population, Residence};

/// Employees' social insurance contributions (养老 8%, 医疗 2%, 失业 0.5%) on covered
/// wages, with the contribution base bounded below and above.
#[derive(Debug, Clone, PartialEq)]
pub struct SocialContributions {
    /// Employee rate on the contribution base: 0.105 = 8% pension + 2% medical + 0.5%
    /// unemployment (lever_parameters: "Employee social insurance").
    pub employee_rate: f64,
    /// Lowest contribution base, yuan per year (60% of the average wage).
    pub base_min: f64,
    /// Highest contribution base, yuan per year (300% of the average wage).
    pub base_max: f64,
    /// Wages below this are informal and uncovered, yuan per year (assumption).
    pub informal_below: f64,
}

impl SocialContributions {
    /// Contribution rules for a base year: the base bounds follow the urban average
    /// wage, approximated here from the profile's urban mean wage income per earner.
    ///
    /// # Errors
    /// [`Error::InvalidLever`] for a negative rate or bound, or a rate above 1.
    pub fn new(employee_rate: f64, base_min: f64, base_max: f64, informal_below: f64) -> Result<Self> {
        check_share("social_contributions", "employee_rate", employee_rate)?;
        for (f, x) in [("base_min", base_min), ("base_max", base_max), ("informal_below", informal_below)] {
            check_money("social_contributions", f, x)?;
        }
        if base_min > base_max {
            return Err(Error::InvalidLever {
                lever: "social_contributions".into(),
                field: "base_min".into(),
                value: base_min.to_string(),
                problem: format!("must not exceed base_max ({base_max})"),
            });
        }
        Ok(SocialContributions { employee_rate, base_min, base_max, informal_below })
    }

    /// Contributions on one person's wage.
    #[inline]
    pub fn on_wage(&self, wage: f64, employment: Employment, residence: Residence) -> f64 {
        let covered = match employment {
            Employment::PublicSector => true,
            Employment::LocalEmployee => wage >= self.informal_below,
            Employment::MigrantShortTerm => residence == Residence::Urban && wage >= self.informal_below,
            _ => false,
        };
        if !covered || wage <= 0.0 {
            return 0.0;
        }
        self.employee_rate * wage.clamp(self.base_min, self.base_max)
    }
}

impl Lever for SocialContributions {
    fn name(&self) -> &str {
        "social_contributions"
    }
    fn stage(&self) -> Stage {
        Stage::TaxesContributions
    }
    fn apply(&self, _ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let persons = pop.person_count();
        book.reset_contributions(persons);
        let (p, hh) = (&pop.persons, &pop.households);
        let (wage, employment, residence) = (&p.wage[..persons], &p.employment[..persons], &hh.residence);
        let members = (hh.first_person.as_slice(), hh.size.as_slice(), persons);
        let paid = pay_member_sums(book, IncomePart::TransfersPaid, members, |book, i, h| {
            let c = self.on_wage(wage[i] as f64, employment[i], residence[h]);
            book.set_contribution(i, c as f32);
            c
        });
        if paid {
            return;
        }
        for h in 0..pop.household_count() {
            let residence = pop.households.residence[h];
            let mut total = 0.0;
            for i in pop.members(h) {
                let c = self.on_wage(pop.persons.wage[i] as f64, pop.persons.employment[i], residence);
                book.set_contribution(i, c as f32);
                total += c;
            }
            if total > 0.0 {
                book.pay(h, IncomePart::TransfersPaid, total);
            }
        }
    }
}

/// Individual income tax on wages (综合所得), annual brackets since 2019.
///
/// Taxable income is wage minus the employee's social insurance contributions minus
/// the basic deduction. The special additional deductions (专项附加扣除) are omitted
/// (no data on who claims them; see [`super::base::base_rule_assumptions`]).
#[derive(Debug, Clone, PartialEq)]
pub struct IncomeTax {
    /// Basic deduction, yuan per year (60,000 since 2019).
    pub basic_deduction: f64,
    /// Brackets: (upper bound of taxable income, rate, quick deduction), ascending.
    pub brackets: Vec<(f64, f64, f64)>,
}

impl Default for IncomeTax {
    /// The schedule in force since 2019 (lever_parameters: "Taxes and contributions";
    /// Individual Income Tax Law as amended 2018).
    fn default() -> Self {
        IncomeTax {
            basic_deduction: 60_000.0,
            brackets: vec![
                (36_000.0, 0.03, 0.0),
                (144_000.0, 0.10, 2_520.0),
                (300_000.0, 0.20, 16_920.0),
                (420_000.0, 0.25, 31_920.0),
                (660_000.0, 0.30, 52_920.0),
                (960_000.0, 0.35, 85_920.0),
                (f64::INFINITY, 0.45, 181_920.0),
            ],
        }
    }
}

impl IncomeTax {
    /// Tax on a year's wage after contributions.
    #[inline]
    pub fn on(&self, wage: f64, contributions: f64) -> f64 {
        let taxable = wage - contributions - self.basic_deduction;
        if taxable <= 0.0 {
            return 0.0;
        }
        let &(_, rate, quick) =
            self.brackets.iter().find(|(upper, _, _)| taxable <= *upper).unwrap_or(&(f64::INFINITY, 0.45, 181_920.0));
        (taxable * rate - quick).max(0.0)
    }
}

impl Lever for IncomeTax {
    fn name(&self) -> &str {
        "income_tax"
    }
    fn stage(&self) -> Stage {
        Stage::TaxesContributions
    }
    fn apply(&self, _ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let persons = pop.person_count();
        let (wage, hh) = (&pop.persons.wage[..persons], &pop.households);
        let members = (hh.first_person.as_slice(), hh.size.as_slice(), persons);
        let paid = pay_member_sums(book, IncomePart::TransfersPaid, members, |book, i, _| {
            self.on(wage[i] as f64, book.accounts().contribution(i) as f64)
        });
        if paid {
            return;
        }
        for h in 0..pop.household_count() {
            let mut total = 0.0;
            for i in pop.members(h) {
                let t = self.on(pop.persons.wage[i] as f64, book.accounts().contribution(i) as f64);
                total += t;
            }
            if total > 0.0 {
                book.pay(h, IncomePart::TransfersPaid, total);
            }
        }
    }
}

pub(crate) fn check_share(lever: &str, field: &str, x: f64) -> Result<()> {
    if !(0.0..=1.0).contains(&x) {
        return Err(Error::InvalidLever {
            lever: lever.into(),
            field: field.into(),
            value: x.to_string(),
            problem: "must be a share between 0 and 1".into(),
        });
    }
    Ok(())
}

pub(crate) fn check_money(lever: &str, field: &str, x: f64) -> Result<()> {
    if !(0.0..=MAX_AMOUNT).contains(&x) {
        return Err(Error::InvalidLever {
            lever: lever.into(),
            field: field.into(),
            value: x.to_string(),
            problem: format!("must be a non-negative amount of money up to {MAX_AMOUNT:e} yuan"),
        });
    }
    Ok(())
}

/// Registry entries of the base rules on taxes and contributions.
pub const SPECS: &[LeverSpec] = &[
    LeverSpec {
        name: "income_tax",
        summary: "Individual income tax on wages after contributions (annual brackets since 2019)",
        part: "transfers paid",
        source: "Individual Income Tax Law as amended 2018 (lever_parameters: Taxes and contributions)",
        parameters: &[ParameterSpec {
            name: "basic_deduction",
            kind: Kind::Money,
            unit: "yuan/person/year",
            default: DefaultValue::Number(60_000.0),
            description: "Basic deduction: 5,000 yuan a month since 2019",
        }],
        build: build_income_tax,
        switches: &[],
    },
    LeverSpec {
        name: "social_contributions",
        summary: "Employees' pension, medical and unemployment contributions on covered wages",
        part: "transfers paid",
        source: "Employee social insurance rates (lever_parameters: pension 8%, medical 2%, unemployment 0.5%)",
        parameters: &[
            ParameterSpec {
                name: "employee_rate",
                kind: Kind::Share,
                unit: "share of the contribution base",
                default: DefaultValue::Number(super::base::EMPLOYEE_CONTRIBUTION_RATE),
                description: "Employee rate: pension 8% + medical 2% + unemployment 0.5%",
            },
            ParameterSpec {
                name: "base_min",
                kind: Kind::Money,
                unit: "yuan/year",
                default: DefaultValue::Number(super::base::CONTRIBUTION_BASE_MIN),
                description: "Lowest contribution base; assumption: 60% of an assumed average wage",
            },
            ParameterSpec {
                name: "base_max",
                kind: Kind::Money,
                unit: "yuan/year",
                default: DefaultValue::Number(super::base::CONTRIBUTION_BASE_MAX),
                description: "Highest contribution base; assumption: 300% of an assumed average wage",
            },
            ParameterSpec {
                name: "informal_below",
                kind: Kind::Money,
                unit: "yuan/year",
                default: DefaultValue::Number(super::base::INFORMAL_WAGE_BELOW),
                description: "Wages below this are informal and uncovered; assumption, no published figure",
            },
        ],
        build: build_contributions,
        switches: &[],
    },
];

fn build_income_tax(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    Ok(Box::new(IncomeTax { basic_deduction: p.number("basic_deduction")?, ..IncomeTax::default() }))
}

fn build_contributions(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    Ok(Box::new(SocialContributions::new(
        p.number("employee_rate")?,
        p.number("base_min")?,
        p.number("base_max")?,
        p.number("informal_below")?,
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_brackets_by_hand() {
        let t = IncomeTax::default();
        // 100,000 wage, 10,500 contributions: taxable 29,500 at 3% = 885.
        assert!((t.on(100_000.0, 10_500.0) - 885.0).abs() < 1e-9);
        // 250,000 wage, no contributions: taxable 190,000, 20% - 16,920 = 21,080.
        assert!((t.on(250_000.0, 0.0) - 21_080.0).abs() < 1e-9);
        // At the deduction exactly: nothing.
        assert_eq!(t.on(60_000.0, 0.0), 0.0);
    }

    #[test]
    fn contributions_by_hand() {
        let c = SocialContributions::new(0.105, 40_000.0, 300_000.0, 30_000.0).expect("valid");
        // Covered public-sector wage 80,000: 10.5% = 8,400.
        assert!((c.on_wage(80_000.0, Employment::PublicSector, Residence::Urban) - 8_400.0).abs() < 1e-9);
        // A 35,000 local employee pays on the 40,000 floor: 4,200.
        assert!((c.on_wage(35_000.0, Employment::LocalEmployee, Residence::Rural) - 4_200.0).abs() < 1e-9);
        // Informal: below 30,000, nothing.
        assert_eq!(c.on_wage(20_000.0, Employment::LocalEmployee, Residence::Urban), 0.0);
        // A farmer pays nothing.
        assert_eq!(c.on_wage(50_000.0, Employment::FarmerHerder, Residence::Rural), 0.0);
        assert!(SocialContributions::new(1.5, 0.0, 1.0, 0.0).is_err());
    }
}

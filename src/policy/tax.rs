//! Income tax and employees' social insurance contributions: the transfers a household
//! pays, which NBS subtracts to get net transfer income.

use super::indexation::Indexation;
use super::members::{pay_member_sums, pay_selected_member_sums};
use super::registry::{BaseCalibration, DefaultValue, Kind, LeverSpec, ParameterSpec, Params};
use super::{Book, Dated, Lever, Stage, YearContext, YearMonth, keep};
use crate::error::{Error, Result};
use crate::model::bounds::MAX_AMOUNT;
use crate::model::{Employment, IncomePart, Population, Residence};

/// Employees' social insurance contributions (养老 8%, 医疗 2%, 失业 0.5%) on covered
/// wages, with the contribution base bounded below and above.
///
/// The bounds and the informal-wage line are the base year's; after it they follow
/// [`SocialContributions::indexation`] (by default the urban income index): provinces
/// set the base's bounds each year at 60% and 300% of the previous year's average wage,
/// and a line fixed in yuan would make ever more of the same jobs covered as nominal
/// wages grow.
#[derive(Debug, Clone, PartialEq)]
pub struct SocialContributions {
    /// Employee rate on the contribution base: 0.105 = 8% pension + 2% medical + 0.5%
    /// unemployment (lever_parameters: "Employee social insurance").
    pub employee_rate: f64,
    /// Lowest contribution base in the base year, yuan per year (60% of the average
    /// wage).
    pub base_min: f64,
    /// Highest contribution base in the base year, yuan per year (300% of the average
    /// wage).
    pub base_max: f64,
    /// Wages below this are informal and uncovered, yuan per year in the base year
    /// (assumption).
    pub informal_below: f64,
    /// How the three amounts move after the base year: [`Indexation::Incomes`] (the
    /// default) multiplies them by the urban [`YearContext::income_index`], whose
    /// growth of mean per-capita disposable income to the year before stands for the
    /// average wage's (the base is set from the previous year's average wage);
    /// [`Indexation::Prices`] by the price index; [`Indexation::None`] keeps them.
    pub indexation: Indexation,
}

impl SocialContributions {
    /// Contribution rules with these base-year amounts, indexed to urban incomes after
    /// the base year ([`SocialContributions::indexation`]; [`SocialContributions::indexed`]
    /// sets another rule).
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
        Ok(SocialContributions { employee_rate, base_min, base_max, informal_below, indexation: Indexation::Incomes })
    }

    /// The same rules with the amounts indexed by `indexation` after the base year.
    pub fn indexed(self, indexation: Indexation) -> Self {
        SocialContributions { indexation, ..self }
    }

    /// The rules in force in the context's year: the base-year amounts times the
    /// index of [`SocialContributions::indexation`] (1 in the base year).
    pub fn in_year(&self, ctx: &YearContext) -> Self {
        // The base follows the urban average wage, whichever residence pays.
        let index = self.indexation.index(ctx, Residence::Urban).unwrap_or(1.0);
        SocialContributions {
            base_min: self.base_min * index,
            base_max: self.base_max * index,
            informal_below: self.informal_below * index,
            ..self.clone()
        }
    }

    /// Contributions on one person's wage: its employee rate times the wage within the
    /// contribution base, when the person is covered (public sector; a local employee,
    /// or a short-term migrant in an urban household, paid at least `informal_below`)
    /// and the wage is positive; +0 otherwise. Without a branch on the person's
    /// activity (the amount times 1 or 0): most persons pay none, in no predictable
    /// order.
    #[inline(always)]
    pub fn on_wage(&self, wage: f64, employment: Employment, residence: Residence) -> f64 {
        let formal = wage >= self.informal_below;
        let covered = (employment == Employment::PublicSector)
            | ((employment == Employment::LocalEmployee) & formal)
            | ((employment == Employment::MigrantShortTerm) & (residence == Residence::Urban) & formal);
        keep(self.employee_rate * wage.max(self.base_min).min(self.base_max), covered & (wage > 0.0))
    }
}

impl Lever for SocialContributions {
    fn collects_revenue(&self) -> bool {
        true
    }
    fn name(&self) -> &str {
        "social_contributions"
    }
    fn stage(&self) -> Stage {
        Stage::TaxesContributions
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let rules = self.in_year(ctx);
        let persons = pop.person_count();
        book.reset_contributions(persons);
        let (p, hh) = (&pop.persons, &pop.households);
        let (wage, employment, residence) = (&p.wage[..persons], &p.employment[..persons], &hh.residence);
        let members = (hh.first_person.as_slice(), hh.size.as_slice(), persons);
        let paid = pay_member_sums(book, IncomePart::TransfersPaid, members, |book, i, h| {
            let c = rules.on_wage(wage[i] as f64, employment[i], residence[h]);
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
                let c = rules.on_wage(pop.persons.wage[i] as f64, pop.persons.employment[i], residence);
                book.set_contribution(i, c as f32);
                total += c;
            }
            if total > 0.0 {
                book.pay(h, IncomePart::TransfersPaid, total);
            }
        }
    }
}

/// Brackets of a wage tax schedule on annual taxable income: `(upper bound, rate, quick
/// deduction)`, ascending, the last one unbounded.
pub type Brackets = [(f64, f64, f64); 7];

/// The brackets of the law as amended in 2018 (monthly from 2018-10, annual from 2019):
/// 3% up to 36,000, 10% to 144,000, 20% to 300,000, 25% to 420,000, 30% to 660,000,
/// 35% to 960,000, 45% above (lever_parameters: "Taxes and contributions").
pub const BRACKETS_2018: Brackets = [
    (36_000.0, 0.03, 0.0),
    (144_000.0, 0.10, 2_520.0),
    (300_000.0, 0.20, 16_920.0),
    (420_000.0, 0.25, 31_920.0),
    (660_000.0, 0.30, 52_920.0),
    (960_000.0, 0.35, 85_920.0),
    (f64::INFINITY, 0.45, 181_920.0),
];

/// The monthly brackets of the law as amended in 2011 (in force 2011-09 to 2018-09),
/// times twelve: 3% up to 1,500 a month, 10% to 4,500 (quick deduction 105), 20% to 9,000
/// (555), 25% to 35,000 (1,005), 30% to 55,000 (2,755), 35% to 80,000 (5,505), 45% above
/// (13,505) (Individual Income Tax Law as amended 2011-06-30; data/published/
/// lever_parameters.csv). A wage paid evenly over the year pays twelve times the monthly tax.
pub const BRACKETS_2011: Brackets = [
    (18_000.0, 0.03, 0.0),
    (54_000.0, 0.10, 1_260.0),
    (108_000.0, 0.20, 6_660.0),
    (420_000.0, 0.25, 12_060.0),
    (660_000.0, 0.30, 33_060.0),
    (960_000.0, 0.35, 66_060.0),
    (f64::INFINITY, 0.45, 162_060.0),
];

/// Tax on `taxable` income under `brackets` (0 for none).
#[inline]
fn bracket_tax(brackets: &Brackets, taxable: f64) -> f64 {
    if taxable <= 0.0 {
        return 0.0;
    }
    let &(_, rate, quick) = brackets.iter().find(|(upper, _, _)| taxable <= *upper).unwrap_or(&brackets[6]);
    (taxable * rate - quick).max(0.0)
}

/// The amendment of the Individual Income Tax Law whose wage brackets apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WageTaxLaw {
    /// As amended 2011-06-30, in force 2011-09 to 2018-09: [`BRACKETS_2011`].
    Amended2011,
    /// As amended 2018-08-31, from 2018-10: [`BRACKETS_2018`].
    Amended2018,
}

impl WageTaxLaw {
    /// The law's brackets on annual taxable income.
    pub fn brackets(self) -> &'static Brackets {
        match self {
            WageTaxLaw::Amended2011 => &BRACKETS_2011,
            WageTaxLaw::Amended2018 => &BRACKETS_2018,
        }
    }
}

/// Individual income tax on wages (工资薪金所得 until 2018, 综合所得 since 2019), by the law
/// in force in each month.
///
/// Taxable income is the wage minus the employee's social insurance contributions, the
/// basic deduction and the special additional deductions (专项附加扣除, since 2019) the
/// person claims. A year under two laws (2018: the 2011 law to September, the 2018 law's
/// 5,000 a month and brackets from October) pays each law's annual tax for its share of
/// the months.
///
/// **Who claims.** A household's deductions for its children (education from age 3 while
/// a child under 16 or a student; infant care under 3) and for housing are claimed by its
/// member with the highest wage (the law lets one parent claim all; the model does not
/// record parents, so the highest earner stands for the parent who would). The elderly
/// support deduction is claimed by every wage earner aged
/// [`IncomeTax::ELDERLY_SUPPORT_AGES`] at the share of a taxpayer with siblings (an
/// assumption: the model records no parents' ages nor siblings). Continuing education and
/// serious illness are not modelled; housing is 0 by default (no data on who has a mortgage
/// or rents), for a scenario to set. Listed in [`super::base::base_rule_assumptions`].
#[derive(Debug, Clone, PartialEq)]
pub struct IncomeTax {
    /// Basic deduction, yuan per person per year: 42,000 (3,500 a month) to 2018-09,
    /// 60,000 (5,000 a month) from 2018-10.
    pub basic_deduction: Dated<f64>,
    /// Which law's brackets: the 2011 law's to 2018-09, the 2018 law's from 2018-10.
    pub law: Dated<WageTaxLaw>,
    /// Children's education deduction, yuan per child per month: 1,000 from 2019, 2,000
    /// from 2023.
    pub child_education_per_month: Dated<f64>,
    /// Infant care deduction, yuan per child under 3 per month: 1,000 from 2022, 2,000
    /// from 2023.
    pub infant_care_per_month: Dated<f64>,
    /// Elderly support deduction a taxpayer with siblings may claim, yuan per month:
    /// 1,000 from 2019, 1,500 from 2023.
    pub elderly_support_per_month: Dated<f64>,
    /// Mortgage interest or rent deduction per household, yuan per month (0: not modelled
    /// by default).
    pub housing_per_month: Dated<f64>,
}

/// The law and deductions in force in a month, annual amounts.
#[derive(Debug, Clone, Copy, PartialEq)]
struct TaxRules {
    basic: f64,
    law: WageTaxLaw,
    child_education: f64,
    infant_care: f64,
    elderly_support: f64,
    housing: f64,
}

impl TaxRules {
    /// Whether any special additional deduction is in force.
    fn has_special(&self) -> bool {
        self.child_education > 0.0 || self.infant_care > 0.0 || self.elderly_support > 0.0 || self.housing > 0.0
    }
}

/// A year as stretches of months under the same rules, in order: `(months, rules)`.
type TaxYear = Vec<(u8, TaxRules)>;

/// What a person claims beyond the basic deduction: children in education and infants
/// (and the household's housing) when the household's claimant, elderly support by age.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Claims {
    /// Children whose education deduction the person claims.
    pub pupils: u32,
    /// Children under 3 whose care deduction the person claims.
    pub infants: u32,
    /// Whether the person claims the household's housing deduction.
    pub housing: bool,
    /// Whether the person claims the elderly support deduction.
    pub elderly_support: bool,
}

impl Default for IncomeTax {
    /// The national law by date (lever_parameters: "Taxes and contributions"; the laws
    /// and State Council decisions in data/published/lever_parameters.csv).
    fn default() -> Self {
        let m = |year, month| YearMonth { year, month };
        let steps = |v: Vec<(YearMonth, f64)>| Dated::new(v).unwrap_or_else(|| Dated::constant(0.0));
        IncomeTax {
            basic_deduction: steps(vec![(m(2011, 9), 42_000.0), (m(2018, 10), 60_000.0)]),
            law: Dated::new(vec![(m(2011, 9), WageTaxLaw::Amended2011), (m(2018, 10), WageTaxLaw::Amended2018)])
                .unwrap_or_else(|| Dated::constant(WageTaxLaw::Amended2018)),
            child_education_per_month: steps(vec![(m(2011, 9), 0.0), (m(2019, 1), 1_000.0), (m(2023, 1), 2_000.0)]),
            infant_care_per_month: steps(vec![(m(2011, 9), 0.0), (m(2022, 1), 1_000.0), (m(2023, 1), 2_000.0)]),
            elderly_support_per_month: steps(vec![(m(2011, 9), 0.0), (m(2019, 1), 1_000.0), (m(2023, 1), 1_500.0)]),
            housing_per_month: Dated::constant(0.0),
        }
    }
}

impl IncomeTax {
    /// Ages at which a wage earner claims the elderly support deduction: a parent is
    /// likely 60 or older and alive (assumption; the model records no parents).
    pub const ELDERLY_SUPPORT_AGES: std::ops::RangeInclusive<u8> = 35..=59;

    /// The stretches of `year` under the same rules, in order (one for most years).
    fn year(&self, year: u16) -> TaxYear {
        let basic = self.basic_deduction.months(year);
        let law = self.law.months(year);
        let child = self.child_education_per_month.months(year);
        let infant = self.infant_care_per_month.months(year);
        let elderly = self.elderly_support_per_month.months(year);
        let housing = self.housing_per_month.months(year);
        let mut out: TaxYear = Vec::with_capacity(1);
        for k in 0..12 {
            let rules = TaxRules {
                basic: basic[k],
                law: law[k],
                child_education: 12.0 * child[k],
                infant_care: 12.0 * infant[k],
                elderly_support: 12.0 * elderly[k],
                housing: 12.0 * housing[k],
            };
            match out.last_mut() {
                Some((months, last)) if *last == rules => *months += 1,
                _ => out.push((1, rules)),
            }
        }
        out
    }

    /// Tax on one person's wage in `year`, after contributions and the deductions of
    /// `claims`.
    pub fn on(&self, year: u16, wage: f64, contributions: f64, claims: Claims) -> f64 {
        annual_tax(&self.year(year), wage, contributions, claims)
    }
}

/// The year's tax: each stretch's annual tax for its share of the months.
#[inline]
fn annual_tax(year: &[(u8, TaxRules)], wage: f64, contributions: f64, claims: Claims) -> f64 {
    year.iter().map(|(months, m)| f64::from(*months) / 12.0 * tax_in(m, wage, contributions, claims)).sum()
}

/// The annual tax under one stretch's rules.
#[inline]
fn tax_in(m: &TaxRules, wage: f64, contributions: f64, claims: Claims) -> f64 {
    let mut taxable = wage - contributions - m.basic;
    if taxable <= 0.0 {
        return 0.0;
    }
    taxable -= claims.pupils as f64 * m.child_education + claims.infants as f64 * m.infant_care;
    if claims.housing {
        taxable -= m.housing;
    }
    if claims.elderly_support {
        taxable -= m.elderly_support;
    }
    bracket_tax(m.law.brackets(), taxable)
}

/// A household's claimant of the deductions for its children and housing (its member
/// with the highest wage, the first of equals) and its children.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Claimant {
    /// The claimant's person index (`u32::MAX`: nobody has a wage).
    person: u32,
    /// The claimant's wage.
    top: f32,
    /// Children whose education deduction is claimed.
    pupils: u32,
    /// Children under 3.
    infants: u32,
}

impl Claimant {
    const NONE: Claimant = Claimant { person: u32::MAX, top: 0.0, pupils: 0, infants: 0 };

    /// Adds member `i`, in member order.
    #[inline]
    fn add(&mut self, i: usize, wage: f32, age: u8, employment: Employment) {
        self.pupils += u32::from(is_pupil(age, employment));
        self.infants += u32::from(age < 3);
        if wage > self.top {
            (self.person, self.top) = (i as u32, wage);
        }
    }

    /// What member `i`, aged `age`, claims.
    #[inline]
    fn claims_of(&self, i: usize, age: u8) -> Claims {
        let claimant = self.person as usize == i;
        Claims {
            pupils: if claimant { self.pupils } else { 0 },
            infants: if claimant { self.infants } else { 0 },
            housing: claimant,
            elderly_support: IncomeTax::ELDERLY_SUPPORT_AGES.contains(&age),
        }
    }
}

/// Whether a person is a child whose education deduction a parent claims: from age 3
/// while under 16 or a student (学前教育 to full-time higher education).
#[inline]
fn is_pupil(age: u8, employment: Employment) -> bool {
    age >= 3 && (age < 16 || employment == Employment::Student)
}

impl Lever for IncomeTax {
    fn collects_revenue(&self) -> bool {
        true
    }
    fn name(&self) -> &str {
        "income_tax"
    }
    fn stage(&self) -> Stage {
        Stage::TaxesContributions
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let year = self.year(ctx.year);
        let lowest_basic = year.iter().map(|(_, m)| m.basic).fold(f64::INFINITY, f64::min);
        let persons = pop.person_count();
        let p = &pop.persons;
        let (wage, age, employment) = (&p.wage[..persons], &p.age[..persons], &p.employment[..persons]);
        let hh = &pop.households;
        let tax = |wage: f64, contributions: f64, claims: Claims| annual_tax(&year, wage, contributions, claims);
        let special = year.iter().any(|(_, m)| m.has_special());
        let (first, size) = (hh.first_person.as_slice(), hh.size.as_slice());
        let members = (first, size, persons);
        // Only persons paid above the lowest basic deduction pay tax (a minority): only
        // they are visited ([`pay_selected_member_sums`]), and the claimant of a
        // household's special deductions is found from its members when its first
        // taxpayer is (members are visited in household order).
        let mut claimant = (usize::MAX, Claimant::NONE);
        let taxpayer = |i: usize| wage[i] as f64 > lowest_basic;
        let paid = pay_selected_member_sums(book, IncomePart::TransfersPaid, members, taxpayer, |book, i, h| {
            let claims = if special {
                if claimant.0 != h {
                    claimant = (h, Claimant::NONE);
                    let start = first[h] as usize;
                    for j in start..start + usize::from(size[h]) {
                        claimant.1.add(j, wage[j], age[j], employment[j]);
                    }
                }
                claimant.1.claims_of(i, age[i])
            } else {
                Claims::default()
            };
            tax(wage[i] as f64, book.accounts().contribution(i) as f64, claims)
        });
        if paid {
            return;
        }
        for h in 0..pop.household_count() {
            let members = pop.members(h);
            // Nobody earns above the basic deduction (most households): no tax.
            if !members.clone().any(|i| wage[i] as f64 > lowest_basic) {
                continue;
            }
            let mut claimant = Claimant::NONE;
            for i in members.clone() {
                claimant.add(i, wage[i], age[i], employment[i]);
            }
            let mut total = 0.0;
            for i in members {
                total += tax(wage[i] as f64, book.accounts().contribution(i) as f64, claimant.claims_of(i, age[i]));
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
        summary: "Individual income tax on wages after contributions, basic and special additional deductions, by \
                  the law in force each month",
        part: "transfers paid (public revenue)",
        source: "Individual Income Tax Law as amended 2011 and 2018; 国发〔2018〕41号, 国发〔2022〕8号 and the State \
                 Council notice of 2023-08-28 on the special additional deductions (lever_parameters: Taxes and \
                 contributions)",
        parameters: &[
            ParameterSpec {
                name: "basic_deduction",
                kind: Kind::DatedMoney,
                unit: "yuan/person/year",
                default: DefaultValue::Law("42,000 to 2018-09, 60,000 from 2018-10"),
                description: "Basic deduction, dated: 3,500 yuan a month under the 2011 law, 5,000 from 2018-10 (the \
                              brackets follow the law in force: monthly 2011 brackets to 2018-09, the 2018 law's after)",
            },
            ParameterSpec {
                name: "child_education_per_month",
                kind: Kind::DatedMoney,
                unit: "yuan/child/month",
                default: DefaultValue::Law("1,000 from 2019-01, 2,000 from 2023-01"),
                description: "Children's education deduction per child aged 3 or more under 16 or a student, claimed \
                              by the household's highest wage earner (国发〔2018〕41号; 2023 notice)",
            },
            ParameterSpec {
                name: "infant_care_per_month",
                kind: Kind::DatedMoney,
                unit: "yuan/child/month",
                default: DefaultValue::Law("1,000 from 2022-01, 2,000 from 2023-01"),
                description: "Infant care deduction per child under 3, claimed by the household's highest wage \
                              earner (国发〔2022〕8号; 2023 notice)",
            },
            ParameterSpec {
                name: "elderly_support_per_month",
                kind: Kind::DatedMoney,
                unit: "yuan/taxpayer/month",
                default: DefaultValue::Law("1,000 from 2019-01, 1,500 from 2023-01"),
                description: "Elderly support deduction, claimed by every wage earner aged 35-59 at the cap of a \
                              taxpayer with siblings (an only child may claim 2,000, 3,000 from 2023); assumption: \
                              no data on parents' ages or siblings",
            },
            ParameterSpec {
                name: "housing_per_month",
                kind: Kind::DatedMoney,
                unit: "yuan/household/month",
                default: DefaultValue::Number(0.0),
                description: "Mortgage interest (1,000 a month) or rent (800-1,500) deduction, claimed by the \
                              household's highest wage earner; 0 by default: no data on who has a mortgage or rents",
            },
        ],
        build: build_income_tax,
        switches: &[],
    },
    LeverSpec {
        name: "social_contributions",
        summary: "Employees' pension, medical and unemployment contributions on covered wages",
        part: "transfers paid (public revenue)",
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
                default: DefaultValue::Calibrated("0.6 x the base year's mean wage of urban employees"),
                description: "Lowest contribution base in the base year: 60% of the average wage \
                              (国办发〔2019〕13号); assumption: the model's mean full-year wage of its urban \
                              employees stands for the province's average wage",
            },
            ParameterSpec {
                name: "base_max",
                kind: Kind::Money,
                unit: "yuan/year",
                default: DefaultValue::Calibrated("3 x the base year's mean wage of urban employees"),
                description: "Highest contribution base in the base year: 300% of the average wage \
                              (国办发〔2019〕13号); assumption: the model's mean wage stands for the average",
            },
            ParameterSpec {
                name: "informal_below",
                kind: Kind::Money,
                unit: "yuan/year",
                default: DefaultValue::Calibrated("0.4 x the base year's mean wage of urban employees"),
                description: "Wages below this (in the base year) are informal and uncovered; assumption, no \
                              published figure (about 30,000 yuan a year in national-2022)",
            },
            ParameterSpec {
                name: "indexation",
                kind: Kind::Choice(Indexation::WORDS),
                unit: "word",
                default: DefaultValue::Word("incomes"),
                description: "How base_min, base_max and informal_below (base-year amounts) move after the base \
                              year: incomes (the default) with the urban income index, as provinces set the \
                              base's bounds at 60% and 300% of the previous year's average wage; prices with the \
                              price index; none keeps them in yuan",
            },
        ],
        build: build_contributions,
        switches: &[],
    },
];

fn build_income_tax(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    let law = IncomeTax::default();
    Ok(Box::new(IncomeTax {
        basic_deduction: p.dated_or_path("basic_deduction", law.basic_deduction)?,
        child_education_per_month: p.dated_or_path("child_education_per_month", law.child_education_per_month)?,
        infant_care_per_month: p.dated_or_path("infant_care_per_month", law.infant_care_per_month)?,
        elderly_support_per_month: p.dated_or_path("elderly_support_per_month", law.elderly_support_per_month)?,
        housing_per_month: p.dated("housing_per_month")?,
        law: law.law,
    }))
}

fn build_contributions(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    let indexation = p.indexation("indexation")?;
    // The base rules' lines where the scenario gives none: shares of the calibrated
    // mean wage of urban employees.
    let lines = p.context().calibration.unwrap_or(BaseCalibration::NONE).contribution_lines();
    Ok(Box::new(
        SocialContributions::new(
            p.number("employee_rate")?,
            p.number_or("base_min", lines.base_min)?,
            p.number_or("base_max", lines.base_max)?,
            p.number_or("informal_below", lines.informal_below)?,
        )?
        .indexed(indexation),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn tax_brackets_by_hand() {
        let t = IncomeTax::default();
        let none = Claims::default();
        // 2019, 100,000 wage, 10,500 contributions: taxable 29,500 at 3% = 885.
        assert!(near(t.on(2019, 100_000.0, 10_500.0, none), 885.0));
        // 250,000 wage, no contributions: taxable 190,000, 20% - 16,920 = 21,080.
        assert!(near(t.on(2019, 250_000.0, 0.0, none), 21_080.0));
        // At the deduction exactly: nothing.
        assert_eq!(t.on(2019, 60_000.0, 0.0, none), 0.0);
        // 2017, the 2011 law: 100,000 - 10,500 - 42,000 = 47,500 taxable, 10% - 1,260 =
        // 3,490 (monthly: 3,958.33 at 10% - 105 = 290.83, times 12).
        assert!(near(t.on(2017, 100_000.0, 10_500.0, none), 3_490.0));
        // 2018: nine months of the 2011 law, three of the 2018 law's 60,000 and brackets.
        assert!(near(t.on(2018, 100_000.0, 10_500.0, none), 0.75 * 3_490.0 + 0.25 * 885.0));
    }

    #[test]
    fn special_deductions_by_year() {
        let t = IncomeTax::default();
        let parent = Claims { pupils: 1, infants: 1, housing: true, elderly_support: true };
        // 200,000 wage, 20,000 contributions, 2021: 120,000 - 12,000 (one pupil) - 12,000
        // (elderly) = 96,000 at 10% - 2,520 = 7,080; no infant care before 2022, no housing.
        assert!(near(t.on(2021, 200_000.0, 20_000.0, parent), 7_080.0));
        // 2022: infant care 12,000 more: 84,000 -> 5,880.
        assert!(near(t.on(2022, 200_000.0, 20_000.0, parent), 5_880.0));
        // 2023: 24,000 + 24,000 + 18,000: 54,000 -> 2,880.
        assert!(near(t.on(2023, 200_000.0, 20_000.0, parent), 2_880.0));
        // Deductions cannot make tax negative.
        assert_eq!(t.on(2023, 70_000.0, 0.0, parent), 0.0);
        // Before 2019 no special deduction counts.
        assert_eq!(t.on(2017, 200_000.0, 20_000.0, parent), t.on(2017, 200_000.0, 20_000.0, Claims::default()));
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

    #[test]
    fn contribution_lines_follow_the_urban_income_index() {
        let c = SocialContributions::new(0.105, 40_000.0, 300_000.0, 30_000.0).expect("valid");
        assert_eq!(c.indexation, Indexation::Incomes);
        let mut ctx = YearContext::base(2020, 1);
        // The base year's amounts in the base year.
        assert_eq!(c.in_year(&ctx), c);
        ctx.income_index = [1.5, 1.2];
        ctx.price_index = 1.1;
        let y = c.in_year(&ctx);
        assert_eq!((y.base_min, y.base_max, y.informal_below), (60_000.0, 450_000.0, 45_000.0));
        // A 35,000 wage, covered on the 40,000 floor in the base year, is below the
        // informal line once wages have grown by half; 50,000 pays on the 60,000 floor.
        assert!((c.on_wage(35_000.0, Employment::LocalEmployee, Residence::Urban) - 4_200.0).abs() < 1e-9);
        assert_eq!(y.on_wage(35_000.0, Employment::LocalEmployee, Residence::Urban), 0.0);
        assert!((y.on_wage(50_000.0, Employment::LocalEmployee, Residence::Rural) - 6_300.0).abs() < 1e-9);
        let by_prices = c.clone().indexed(Indexation::Prices).in_year(&ctx);
        assert!((by_prices.base_min - 44_000.0).abs() < 1e-9);
        let fixed = c.clone().indexed(Indexation::None);
        assert_eq!(fixed.in_year(&ctx), fixed);
    }
}

//! The childcare subsidy (育儿补贴): a yearly amount for every child under three.
//!
//! The general offices of the CPC Central Committee and the State Council issued the
//! implementation plan of the childcare subsidy system (育儿补贴制度实施方案) on
//! 2025-07-28: from 1 January 2025, 3,600 yuan a year for each child under three,
//! until the third birthday, children born before 2025 for their months still under
//! three; exempt from income tax and not counted as household income when dibao,
//! extreme-poverty support and other assistance are assessed (Xinhua, 2025-07-28;
//! People's Daily Online, 2025-07-30, en.people.cn/n3/2025/0730/c90000-20347190.html).
//! Provinces may pay more.
//!
//! The model counts age in whole years and does not record birth months: a child of
//! age `a` in year `t` was born in `t − a`, in a month taken as uniform over the year.
//! A child of age 0 is under three (and born) in month `k` with probability `k/12`, of
//! age 1 or 2 in every month, of age 3 with probability `(12 − k)/12`; the year's
//! subsidy is the expected sum of the months' amounts (6.5, 12, 12 and 5.5 months: 36
//! in all). Paid to the child's household as transfers received; the dibao means test
//! leaves it out ([`super::dibao`]).

use super::members::count_members;
use super::registry::{DefaultValue, Kind, LeverSpec, ParameterSpec, Params};
use super::{Book, Dated, Lever, Stage, YearContext, YearMonth};
use crate::error::Result;
use crate::model::{IncomePart, Population};

/// The childcare subsidy for children under three.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildcareSubsidy {
    /// Amount per child per year, by the month it is in force (3,600 from January 2025,
    /// nothing before).
    pub amount_per_year: Dated<f64>,
}

/// The expected share of a child of `age` (0–3) who is born and under three in
/// `month` (1–12) of the year; 0 from age 4.
fn eligible_share(age: usize, month: usize) -> f64 {
    match age {
        0 => month as f64 / 12.0,
        1 | 2 => 1.0,
        3 => (12 - month) as f64 / 12.0,
        _ => 0.0,
    }
}

impl ChildcareSubsidy {
    /// The national subsidy: 3,600 yuan a year per child under three from January
    /// 2025 (module documentation).
    pub fn national() -> Self {
        ChildcareSubsidy { amount_per_year: national_amount() }
    }

    /// A subsidy with the given yearly amounts.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a negative amount.
    pub fn new(amount_per_year: Dated<f64>) -> Result<Self> {
        super::dibao::check_dated("childcare_subsidy", "amount_per_year", &amount_per_year)?;
        Ok(ChildcareSubsidy { amount_per_year })
    }

    /// The year's subsidy for a child of each age 0–3 (0 from age 4).
    pub fn by_age(&self, year: u16) -> [f64; 4] {
        let months = self.amount_per_year.months(year);
        std::array::from_fn(|age| {
            months.iter().enumerate().map(|(k, amount)| amount / 12.0 * eligible_share(age, k + 1)).sum()
        })
    }
}

/// 0 before January 2025, 3,600 yuan a year from it.
fn national_amount() -> Dated<f64> {
    Dated::new(vec![(YearMonth { year: 0, month: 1 }, 0.0), (YearMonth::start_of(2025), 3600.0)])
        .unwrap_or_else(|| Dated::constant(0.0))
}

impl Lever for ChildcareSubsidy {
    fn name(&self) -> &str {
        "childcare_subsidy"
    }
    fn stage(&self) -> Stage {
        Stage::PensionsAllowances
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let by_age = self.by_age(ctx.year);
        if by_age.iter().all(|&x| x == 0.0) {
            return;
        }
        let ages = pop.persons.age.as_slice();
        let hh = &pop.households;
        count_members(
            &hh.first_person,
            &hh.size,
            ages.len(),
            |marks| {
                for (mark, &age) in marks.iter_mut().zip(ages) {
                    *mark = u8::from(age <= 3);
                }
            },
            |h, young| {
                if young == 0 {
                    return;
                }
                let first = hh.first_person[h] as usize;
                let total: f64 = ages[first..first + hh.size[h] as usize]
                    .iter()
                    .filter(|&&age| age <= 3)
                    .map(|&age| by_age[usize::from(age)])
                    .sum();
                if total > 0.0 {
                    book.pay(h, IncomePart::TransfersReceived, total);
                }
            },
        );
    }
}

/// Registry entries of this module's levers.
pub const SPECS: &[LeverSpec] = &[LeverSpec {
    name: "childcare_subsidy",
    summary: "育儿补贴: a yearly amount for every child under three, from 2025 (a base rule; a scenario sets a local \
              amount)",
    part: "transfers received",
    source: "育儿补贴制度实施方案, CPC Central Committee and State Council general offices, 2025-07-28 (Xinhua \
             2025-07-28; People's Daily Online 2025-07-30): 3,600 yuan a year per child under three from \
             2025-01-01, not counted in assistance means tests",
    parameters: &[ParameterSpec {
        name: "amount_per_year",
        kind: Kind::DatedMoney,
        unit: "yuan/child/year, by effective month",
        default: DefaultValue::Profile("national: 3,600 from 2025-01"),
        description: "Amount per child under three per year, paid for the months under three (children born \
                      before the amount took effect get their remaining months); default the national 3,600 \
                      yuan from January 2025, nothing before",
    }],
    build: build_childcare,
    switches: &[],
}];

fn build_childcare(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    Ok(Box::new(ChildcareSubsidy::new(p.dated_or_path("amount_per_year", national_amount())?)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_years_of_months_in_all_and_nothing_before_2025() {
        let s = ChildcareSubsidy::national();
        assert_eq!(s.by_age(2024), [0.0; 4]);
        let [a0, a1, a2, a3] = s.by_age(2025);
        assert!((a0 - 3600.0 * 6.5 / 12.0).abs() < 1e-9);
        assert_eq!((a1, a2), (3600.0, 3600.0));
        assert!((a3 - 3600.0 * 5.5 / 12.0).abs() < 1e-9);
        assert!((a0 + a1 + a2 + a3 - 3.0 * 3600.0).abs() < 1e-9);
    }

    #[test]
    fn an_amount_from_mid_year_pays_its_months() {
        let from_july =
            Dated::new(vec![(YearMonth { year: 0, month: 1 }, 0.0), (YearMonth { year: 2025, month: 7 }, 1200.0)])
                .expect("ordered");
        let s = ChildcareSubsidy::new(from_july).expect("valid");
        // Age 1: six months of 100 yuan.
        assert!((s.by_age(2025)[1] - 600.0).abs() < 1e-9);
        assert!(ChildcareSubsidy::new(Dated::constant(-1.0)).is_err());
    }
}

//! The urban-rural residents' basic pension (城乡居民基础养老金).

use super::{Book, Dated, Lever, Stage, YearContext};
use crate::error::Result;
use crate::model::{IncomePart, Population};

/// Monthly basic pension for residents aged `min_age`+ who draw no employer pension.
/// Paid pro rata to the months each amount was in force.
#[derive(Debug, Clone, PartialEq)]
pub struct ResidentPension {
    /// Amount per person per month, dated (the central minimum rose to 93 in July
    /// 2020 and 98 in July 2022: data/published/pensions.csv).
    pub amount_per_month: Dated<f64>,
    /// Age from which it is paid (60, 国发〔2014〕8号).
    pub min_age: u8,
}

impl ResidentPension {
    /// A pension with the given monthly amounts, from age 60.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a negative amount.
    pub fn new(amount_per_month: Dated<f64>) -> Result<Self> {
        for (_, x) in amount_per_month.steps() {
            super::tax::check_money("resident_pension", "amount_per_month", *x)?;
        }
        Ok(ResidentPension { amount_per_month, min_age: 60 })
    }

    /// The year's amount for one person.
    #[inline]
    pub fn for_person(&self, year: u16, age: u8, retiree_pension: f32) -> f64 {
        if age >= self.min_age && retiree_pension <= 0.0 { self.amount_per_month.annual(year) } else { 0.0 }
    }
}

impl Lever for ResidentPension {
    fn name(&self) -> &str {
        "resident_pension"
    }
    fn stage(&self) -> Stage {
        Stage::PensionsAllowances
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let annual = self.amount_per_month.annual(ctx.year);
        if annual == 0.0 {
            return;
        }
        let p = &pop.persons;
        for h in 0..pop.household_count() {
            let n = pop.members(h).filter(|&i| p.age[i] >= self.min_age && p.retiree_pension[i] <= 0.0).count();
            if n > 0 {
                book.pay(h, IncomePart::TransfersReceived, annual * n as f64);
            }
        }
    }
}

//! Categorical allowances: old-age allowance and disability allowances.

use super::{Book, Dated, Lever, Stage, YearContext};
use crate::error::Result;
use crate::model::{Disability, HouseholdFlags, IncomePart, Population};

/// Old-age allowance (高龄津贴) for residents aged 80+, with an optional supplement for
/// 80–89-year-olds who still earn a wage (Bayannur plan).
#[derive(Debug, Clone, PartialEq)]
pub struct OldAgeAllowance {
    /// Amount per person aged 80+ per month.
    pub amount_per_month: Dated<f64>,
    /// Supplement per month for ages 80–89 with wage income.
    pub working_supplement_per_month: Dated<f64>,
}

impl OldAgeAllowance {
    /// An allowance with the given amounts.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a negative amount.
    pub fn new(amount_per_month: Dated<f64>, working_supplement_per_month: Dated<f64>) -> Result<Self> {
        for (f, d) in
            [("amount_per_month", &amount_per_month), ("working_supplement_per_month", &working_supplement_per_month)]
        {
            for (_, x) in d.steps() {
                super::tax::check_money("old_age_allowance", f, *x)?;
            }
        }
        Ok(OldAgeAllowance { amount_per_month, working_supplement_per_month })
    }
}

impl Lever for OldAgeAllowance {
    fn name(&self) -> &str {
        "old_age_allowance"
    }
    fn stage(&self) -> Stage {
        Stage::PensionsAllowances
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let base = self.amount_per_month.annual(ctx.year);
        let supplement = self.working_supplement_per_month.annual(ctx.year);
        let p = &pop.persons;
        for h in 0..pop.household_count() {
            let mut total = 0.0;
            for i in pop.members(h) {
                if p.age[i] >= 80 {
                    total += base;
                    if p.age[i] <= 89 && p.wage[i] > 0.0 {
                        total += supplement;
                    }
                }
            }
            if total > 0.0 {
                book.pay(h, IncomePart::TransfersReceived, total);
            }
        }
    }
}

/// Disability allowances (国发〔2015〕52号): a nursing subsidy for every severely disabled
/// person and a living subsidy for disabled people in dibao or edge households.
#[derive(Debug, Clone, PartialEq)]
pub struct DisabilityAllowances {
    /// Nursing subsidy (重度残疾人护理补贴) per severely disabled person per month.
    pub severe_nursing_per_month: Dated<f64>,
    /// Living subsidy (困难残疾人生活补贴) per disabled person in a low-income household per month.
    pub poor_living_per_month: Dated<f64>,
}

impl DisabilityAllowances {
    /// Allowances with the given amounts.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a negative amount.
    pub fn new(severe_nursing_per_month: Dated<f64>, poor_living_per_month: Dated<f64>) -> Result<Self> {
        for (f, d) in
            [("severe_nursing_per_month", &severe_nursing_per_month), ("poor_living_per_month", &poor_living_per_month)]
        {
            for (_, x) in d.steps() {
                super::tax::check_money("disability_allowances", f, *x)?;
            }
        }
        Ok(DisabilityAllowances { severe_nursing_per_month, poor_living_per_month })
    }
}

impl Lever for DisabilityAllowances {
    fn name(&self) -> &str {
        "disability_allowances"
    }
    fn stage(&self) -> Stage {
        Stage::PensionsAllowances
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let nursing = self.severe_nursing_per_month.annual(ctx.year);
        let living = self.poor_living_per_month.annual(ctx.year);
        let low_income: u16 = HouseholdFlags::DIBAO | HouseholdFlags::LOW_INCOME_EDGE | HouseholdFlags::DIBAO_LAST_YEAR;
        for h in 0..pop.household_count() {
            let poor = pop.households.flags[h].0 & low_income != 0;
            let mut total = 0.0;
            for i in pop.members(h) {
                match pop.persons.disability[i] {
                    Disability::Severe => total += nursing + if poor { living } else { 0.0 },
                    Disability::Moderate if poor => total += living,
                    _ => {}
                }
            }
            if total > 0.0 {
                book.pay(h, IncomePart::TransfersReceived, total);
            }
        }
    }
}

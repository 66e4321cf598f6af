//! Dibao (最低生活保障), the minimum living standard, its means test, the low-income
//! edge group (低保边缘) and extreme-poverty support (特困人员救助供养).

use super::{Book, Dated, Lever, Stage, YearContext};
use crate::error::{Error, Result};
use crate::model::{Accounts, Employment, HouseholdFlags, IncomePart, Population, Residence};
use crate::random::Purpose;

/// Levers whose payments the means test never counts as income (allowances).
const ALWAYS_DISREGARDED: [&str; 2] = ["old_age_allowance", "disability_allowances"];

/// The dibao means test and benefit.
///
/// A household whose assessed per-capita income is below the threshold of its
/// residence and county tier receives the gap times its size, if it takes the
/// benefit up. Assessed income is disposable income before dibao, minus the
/// allowances, minus the residents' basic pension when it is disregarded, minus an
/// employment-cost deduction from each worker's earnings.
#[derive(Debug, Clone, PartialEq)]
pub struct Dibao {
    /// Threshold per person per month by county tier: `[urban, rural]`.
    pub threshold_per_month: [Vec<Dated<f64>>; 2],
    /// Share of eligible households that take the benefit up: `[urban, rural]`.
    pub take_up: [f64; 2],
    /// Whether the residents' basic pension is left out of assessed income.
    pub disregard_basic_pension: bool,
    /// Deduction from each working member's earnings, per month worked.
    pub employment_cost_deduction_per_month: Dated<f64>,
    /// Multiple of the threshold below which a non-recipient household (after rigid
    /// expenses) is in the low-income edge group (1.5, Wuzhong plan).
    pub edge_multiple: f64,
}

impl Dibao {
    /// A dibao rule with thresholds per tier (`[urban, rural]`) and take-up rates.
    ///
    /// # Errors
    /// [`Error::InvalidLever`] for a negative threshold, a take-up outside 0–1 or a
    /// negative edge multiple.
    pub fn new(threshold_per_month: [Vec<Dated<f64>>; 2], take_up: [f64; 2]) -> Result<Self> {
        for (r, tiers) in threshold_per_month.iter().enumerate() {
            if tiers.is_empty() {
                return Err(Error::InvalidLever {
                    lever: "dibao".into(),
                    field: format!("{}_threshold_per_month", Residence::BOTH[r]),
                    value: "[]".into(),
                    problem: "needs at least one tier".into(),
                });
            }
            for d in tiers {
                for (_, x) in d.steps() {
                    super::tax::check_money("dibao", &format!("{}_threshold_per_month", Residence::BOTH[r]), *x)?;
                }
            }
        }
        for (r, t) in take_up.iter().enumerate() {
            super::tax::check_share("dibao", &format!("take_up.{}", Residence::BOTH[r]), *t)?;
        }
        Ok(Dibao {
            threshold_per_month,
            take_up,
            disregard_basic_pension: false,
            employment_cost_deduction_per_month: Dated::constant(0.0),
            edge_multiple: 1.5,
        })
    }

    /// The annual threshold per person of a household's residence and tier.
    #[inline]
    pub fn annual_threshold(&self, year: u16, residence: Residence, tier: u8) -> f64 {
        let tiers = &self.threshold_per_month[residence.index()];
        let t = &tiers[(tier as usize).min(tiers.len() - 1)];
        t.annual(year)
    }

    /// Assessed (counted) household income for the means test.
    pub fn assessed_income(&self, year: u16, pop: &Population, h: usize, accounts: &Accounts, book: &Book<'_>) -> f64 {
        let deduction_per_month = &self.employment_cost_deduction_per_month;
        let mut deduction = 0.0;
        if deduction_per_month.steps().iter().any(|(_, x)| *x > 0.0) {
            for i in pop.members(h) {
                let months = pop.persons.months_in_job[i];
                if pop.persons.employment[i] != Employment::Retired && months > 0 {
                    let d = deduction_per_month.sum_over(year, 13 - months.min(12), 12);
                    deduction += d.min(pop.persons.wage[i].max(0.0) as f64);
                }
            }
        }
        let mut disregarded = 0.0;
        for lever in ALWAYS_DISREGARDED {
            if let Some(col) = book.earlier(lever) {
                disregarded += col[h];
            }
        }
        if self.disregard_basic_pension {
            if let Some(col) = book.earlier("resident_pension") {
                disregarded += col[h];
            }
        }
        accounts.disposable(h) - disregarded - deduction
    }
}

impl Lever for Dibao {
    fn name(&self) -> &str {
        "dibao"
    }
    fn stage(&self) -> Stage {
        Stage::MeansTested
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        for h in 0..pop.household_count() {
            let residence = pop.households.residence[h];
            let size = pop.households.size[h] as f64;
            let mut flags = pop.households.flags[h];
            flags.set(HouseholdFlags::DIBAO, false);
            flags.set(HouseholdFlags::LOW_INCOME_EDGE, false);
            if size == 0.0 || flags.has(HouseholdFlags::EXTREME_POVERTY_SUPPORT) {
                pop.households.flags[h] = flags;
                continue;
            }
            let threshold = self.annual_threshold(ctx.year, residence, pop.households.tier[h]);
            let assessed = self.assessed_income(ctx.year, pop, h, book.accounts(), book);
            let per_capita = assessed / size;
            if per_capita < threshold {
                let takes_up =
                    ctx.persistent_rng(pop.household_id(h), Purpose::TakeUp).bernoulli(self.take_up[residence.index()]);
                if takes_up {
                    book.pay(h, IncomePart::TransfersReceived, (threshold - per_capita) * size);
                    flags.set(HouseholdFlags::DIBAO, true);
                }
            }
            if !flags.has(HouseholdFlags::DIBAO) {
                let after_rigid = (assessed - pop.households.rigid_expenses[h] as f64) / size;
                flags.set(HouseholdFlags::LOW_INCOME_EDGE, after_rigid < self.edge_multiple * threshold);
            }
            pop.households.flags[h] = flags;
        }
    }
}

/// Extreme-poverty support (特困): for households with no member able to work and no
/// one legally bound to support them, a support standard above the dibao threshold.
/// Runs before dibao; its recipients do not also get dibao.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtremePovertySupport {
    /// The dibao rule whose thresholds and means test it uses.
    pub dibao: Dibao,
    /// Support standard as a multiple of the dibao threshold (at least 1.3, Guizhou
    /// rule under 国发〔2016〕14号).
    pub standard_multiple: f64,
    /// Share of households without working-age members who have no legal supporter
    /// (assumption: most elderly have children elsewhere).
    pub no_supporter_share: f64,
}

impl ExtremePovertySupport {
    /// Whether a household has no member who could support it: every member under 16,
    /// aged 60+, or severely disabled.
    pub fn no_able_member(pop: &Population, h: usize) -> bool {
        pop.members(h).all(|i| {
            let a = pop.persons.age[i];
            a < 16 || a >= 60 || pop.persons.disability[i] == crate::model::Disability::Severe
        })
    }
}

impl Lever for ExtremePovertySupport {
    fn name(&self) -> &str {
        "extreme_poverty_support"
    }
    fn stage(&self) -> Stage {
        Stage::MeansTested
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        for h in 0..pop.household_count() {
            let mut flags = pop.households.flags[h];
            flags.set(HouseholdFlags::EXTREME_POVERTY_SUPPORT, false);
            let size = pop.households.size[h] as f64;
            if size > 0.0 && Self::no_able_member(pop, h) {
                let mut rng = ctx.persistent_rng(pop.household_id(h), Purpose::TakeUp);
                let take = rng.uniform() < self.dibao.take_up[pop.households.residence[h].index()];
                let alone = rng.uniform() < self.no_supporter_share;
                if take && alone {
                    let standard = self.standard_multiple
                        * self.dibao.annual_threshold(ctx.year, pop.households.residence[h], pop.households.tier[h]);
                    let per_capita = self.dibao.assessed_income(ctx.year, pop, h, book.accounts(), book) / size;
                    if per_capita < standard {
                        book.pay(h, IncomePart::TransfersReceived, (standard - per_capita) * size);
                        flags.set(HouseholdFlags::EXTREME_POVERTY_SUPPORT, true);
                    }
                }
            }
            pop.households.flags[h] = flags;
        }
    }
}

//! Policy levers and the base rules every population carries.
//!
//! A [`Lever`] is a rule with dated parameters. Each year, for a chunk of households,
//! it reads person and household fields and the income accounts built so far, and
//! pays money into one of the income parts (or changes someone's employment, or
//! both) through a [`Book`], which records every yuan both in the household's
//! [`Accounts`](crate::model::Accounts) and in the lever's own column of amounts. What a
//! lever reports as paid is therefore, by construction, what households received.
//!
//! Levers compose in a [`LeverSet`], applied in [`Stage`] order: market incomes, then
//! employment levers, then taxes and contributions, then pensions and allowances,
//! then means-tested benefits, which read everything before them.

mod book;
pub mod dated;
mod ledger;
mod members;
mod paid;
pub(crate) use members::keep;
pub(crate) mod quintiles;
mod set;

pub mod allowances;
pub mod assistance;
pub mod base;
pub mod childcare;
pub mod dibao;
pub mod employment;
pub mod farm;
pub mod indexation;
pub mod pension;
pub mod property;
pub mod rationing;
pub mod registry;
pub mod retiree;
pub mod subsidies;
pub mod tax;
pub mod wages;

pub use book::{Book, Hires};
pub use dated::{Dated, YearMonth};
pub use ledger::{Ledger, LeverRecord};
pub use paid::PaidList;
pub use quintiles::{paid_by_quintile, paid_by_quintile_with_cuts, quintile_of};
pub use set::{Chunk, LeverColumns, LeverSet, ScratchColumn, market_accounts};

use crate::model::Population;
use crate::random::{Purpose, StreamRng};

/// When in the year a lever runs. Levers run in this order; within a stage, in the
/// order they were added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// Market incomes: wages, farm and business income, property income.
    MarketIncome,
    /// Employment levers that move people between activities (posts, transfer,
    /// training, start-ups).
    Employment,
    /// Income tax and social insurance contributions.
    TaxesContributions,
    /// Pensions and categorical allowances.
    PensionsAllowances,
    /// Means-tested benefits (dibao, edge group, extreme-poverty support, temporary
    /// assistance), which read all income before them.
    MeansTested,
}

/// What a lever knows about the year it runs in.
#[derive(Debug, Clone)]
pub struct YearContext {
    /// Calendar year.
    pub year: u16,
    /// Base year of the population.
    pub base_year: u16,
    /// Seed of the run; with household id, year and purpose it keys every draw.
    pub seed: u64,
    /// Consumer price index relative to the base year (1.0 in the base year).
    pub price_index: f64,
    /// Mean per-capita disposable income growth factor since the base year, by
    /// residence (urban, rural), for levers indexed to incomes.
    pub income_index: [f64; 2],
    /// Growth factor of pay rates since the base year, by residence (urban, rural):
    /// the assumed growth of urban wages, and of migrant workers' monthly income for
    /// rural labour ([`crate::dynamics::Dynamics::wage_index`]; 1.0 in the base year).
    /// Levers whose market pay is in base-year yuan move it by this
    /// ([`indexation::Indexation::Wages`]).
    pub wage_index: [f64; 2],
    /// This year's adjustment of the dibao lever's take-up ([`TakeUpAdjustment::NONE`]
    /// leaves the lever's own rule); the engine sets it on the baseline so that the
    /// caseload follows the `dibao_caseload_alignment` assumption, and every variant
    /// uses the baseline's.
    pub dibao_take_up: TakeUpAdjustment,
    /// This year's adjustment of the extreme-poverty support's take-up, set and used
    /// as [`YearContext::dibao_take_up`] is (the same assumption holds its caseload).
    pub extreme_poverty_take_up: TakeUpAdjustment,
}

/// A means-tested programme whose caseload the engine aligns
/// ([`crate::engine::caseload`]): its lever, the household flags of its recipients this
/// year and last year, and its take-up adjustment in a [`YearContext`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Programme {
    /// The dibao (`DIBAO`, `DIBAO_LAST_YEAR`, [`YearContext::dibao_take_up`]).
    Dibao,
    /// The extreme-poverty support (`EXTREME_POVERTY_SUPPORT`,
    /// `EXTREME_POVERTY_LAST_YEAR`, [`YearContext::extreme_poverty_take_up`]).
    ExtremePoverty,
}

impl Programme {
    /// Both, in the order their levers run (the support's recipients do not get the
    /// dibao, so its adjustment is chosen first).
    pub const IN_ORDER: [Programme; 2] = [Programme::ExtremePoverty, Programme::Dibao];

    /// The name of its lever.
    pub fn lever_name(self) -> &'static str {
        match self {
            Programme::Dibao => dibao::NAME,
            Programme::ExtremePoverty => dibao::EXTREME_POVERTY_NAME,
        }
    }

    /// The household flag of this year's recipients.
    pub fn flag(self) -> u16 {
        match self {
            Programme::Dibao => crate::model::HouseholdFlags::DIBAO,
            Programme::ExtremePoverty => crate::model::HouseholdFlags::EXTREME_POVERTY_SUPPORT,
        }
    }

    /// The household flag of last year's recipients.
    pub fn last_year_flag(self) -> u16 {
        match self {
            Programme::Dibao => crate::model::HouseholdFlags::DIBAO_LAST_YEAR,
            Programme::ExtremePoverty => crate::model::HouseholdFlags::EXTREME_POVERTY_LAST_YEAR,
        }
    }

    /// Persons it counts as recipients in household `h` when the household is in its
    /// caseload: every member, except under single-person dibao
    /// ([`dibao::recipient_persons`]).
    pub fn recipient_persons(self, pop: &crate::model::Population, h: usize) -> u8 {
        match self {
            Programme::Dibao => dibao::recipient_persons(pop, h),
            Programme::ExtremePoverty => pop.households.size[h],
        }
    }

    /// Its take-up adjustment in a year's context.
    pub fn adjustment_mut(self, ctx: &mut YearContext) -> &mut TakeUpAdjustment {
        match self {
            Programme::Dibao => &mut ctx.dibao_take_up,
            Programme::ExtremePoverty => &mut ctx.extreme_poverty_take_up,
        }
    }
}

/// A year's adjustment of the dibao lever's take-up, by residence `[urban, rural]`
/// (see [`crate::engine::caseload`]). A household's take-up draw (its persistent
/// draw weighed by its need, [`dibao::Dibao::take_up_draw`]) is compared with both: a
/// newly eligible household takes up when it is below the lever's rate times `scale`
/// (at most 1), last year's recipients who are still eligible stay in when it is below
/// `stayer_cutoff` (1: all stay, the lever's rule).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TakeUpAdjustment {
    /// Multiple of the lever's take-up rate of newly eligible households.
    pub scale: [f64; 2],
    /// The draw below which last year's recipients stay in (a re-verification that
    /// drops those entitled to least, and among equals those least inclined to claim,
    /// when the caseload must fall faster than recipients leave; 1 keeps them all).
    pub stayer_cutoff: [f64; 2],
}

impl TakeUpAdjustment {
    /// No adjustment: the lever's rate, and last year's recipients stay in.
    pub const NONE: TakeUpAdjustment = TakeUpAdjustment { scale: [1.0; 2], stayer_cutoff: [1.0; 2] };

    /// Every eligible household takes up, whatever the lever's rate (the engine's probe).
    pub const EVERYONE: TakeUpAdjustment = TakeUpAdjustment { scale: [f64::INFINITY; 2], stayer_cutoff: [1.0; 2] };
}

/// A take-up rate times a scale ([`TakeUpAdjustment::scale`]), capped at 1; an
/// infinite scale makes every eligible household take up, even at a rate of 0.
#[inline]
pub fn take_up_rate(rate: f64, scale: f64) -> f64 {
    if scale == f64::INFINITY { 1.0 } else { (rate * scale).min(1.0) }
}

impl YearContext {
    /// The context of the base year itself.
    pub fn base(year: u16, seed: u64) -> Self {
        YearContext {
            year,
            base_year: year,
            seed,
            price_index: 1.0,
            income_index: [1.0, 1.0],
            wage_index: [1.0, 1.0],
            dibao_take_up: TakeUpAdjustment::NONE,
            extreme_poverty_take_up: TakeUpAdjustment::NONE,
        }
    }

    /// The random stream of one household for one purpose this year.
    #[inline]
    pub fn rng(&self, household_id: u64, purpose: Purpose) -> StreamRng {
        StreamRng::new(self.seed, household_id, self.year, purpose)
    }

    /// A stream that stays the same every year (a household's persistent trait, such
    /// as its propensity to take up a benefit).
    #[inline]
    pub fn persistent_rng(&self, household_id: u64, purpose: Purpose) -> StreamRng {
        StreamRng::new(self.seed, household_id, 0, purpose)
    }
}

/// A policy rule: applies to a chunk of households in a year and records what it paid.
///
/// Implementations are immutable and `Sync`: randomness comes from the context's
/// keyed streams, so applying a lever to a chunk gives the same result whatever the
/// thread or chunk boundaries.
pub trait Lever: Send + Sync + std::fmt::Debug {
    /// The registry name, e.g. `dibao`.
    fn name(&self) -> &str;

    /// When in the year it runs.
    fn stage(&self) -> Stage;

    /// Applies the lever to every household of `pop` for the year of `ctx`, paying
    /// through `book`.
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>);

    /// Fiscal cost beyond what households receive (a firm's award, the non-wage part
    /// of an investment, an interest subsidy), yuan, given the lever's record of the
    /// year without it (weighted totals: paid to households, recipients, places
    /// filled).
    fn extra_fiscal_cost(&self, _ctx: &YearContext, _record: &LeverRecord) -> f64 {
        0.0
    }

    /// Whether what the lever pays is what households pay to the state (income tax,
    /// contributions: amounts in [`crate::model::IncomePart::TransfersPaid`], reported
    /// as paid): public revenue, so its fiscal cost is minus what it collects.
    fn collects_revenue(&self) -> bool {
        false
    }

    /// The lever as a rationed lever, if it fills a fixed number of places: a set
    /// applied to several chunks then allocates the places over all of them at once.
    fn as_rationed(&self) -> Option<&dyn rationing::Rationed> {
        None
    }

    /// The dibao line (threshold per person per year) this lever applies to a residence
    /// and county tier this year, if it is the dibao lever: the poverty line the
    /// indicators measure against.
    fn dibao_line(&self, _ctx: &YearContext, _residence: crate::model::Residence, _tier: u8) -> Option<f64> {
        None
    }

    /// If this is the lever of a [`Programme`] (the dibao, the extreme-poverty
    /// support): its take-up rate of eligible households `[urban, rural]` before the
    /// year's adjustment ([`Programme::adjustment_mut`]).
    fn caseload_take_up(&self) -> Option<[f64; 2]> {
        None
    }

    /// If this is the lever of a [`Programme`]: the take-up draw of household `h` of
    /// `pop` (a newly eligible household takes up when it is below the year's rate,
    /// last year's recipient stays when it is below the year's stayer cutoff), given
    /// `paid`, what the lever paid it this year with every eligible household taking
    /// up. The caseload alignment ranks newcomers, and stayers at a review, by it.
    fn caseload_draw(&self, _ctx: &YearContext, _pop: &Population, _h: usize, _paid: f64) -> Option<f64> {
        None
    }
}

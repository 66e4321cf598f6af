//! Carrying a population through a projection in fixed blocks, in bounded memory.
//!
//! # Blocks
//! The unit of work is the fixed block of [`BLOCK`] households (ids `b × BLOCK ..`, as
//! [`Generator::generate_chunk`] draws them). Every sum is taken per block in household
//! order and blocks are merged in block order, so results never depend on how many
//! blocks run together or on the number of threads.
//!
//! # Two passes
//! 1. *Pilot*: the first `min(N, pilot)` households (whole blocks) are generated and
//!    carried through the years in lockstep, all blocks of a year together, every
//!    variant in turn (the baseline first). The pilot fixes every quantity that needs
//!    the whole population at once: the weight normalisation, the fertility
//!    calibration, the baseline's income index and alignment factors
//!    ([`BaselinePaths`]), and each year's quintile boundaries of the ledger.
//! 2. *Stream*: the remaining blocks are generated one by one and each is carried
//!    through every year of every variant on its own, reading only what the pilot
//!    fixed; a window of blocks ([`BlockPlan::window`]) runs in parallel, their per-block summaries are merged
//!    in block order and the blocks dropped. Memory is bounded by the pilot and the
//!    window, not by `N`.
//!
//! # A shared start
//! Every variant runs the base rules in the base year, and its levers act from the
//! first projected year on; the dynamics and alignment into that year read only the
//! base year's households (and the baseline's alignment factors, which every variant
//! takes). So the base year and the dynamics into the first projected year are
//! computed once per block, with whatever any variant keeps of the base year
//! (quintile groups, outcomes, microdata), and every variant goes on from a copy: each
//! gets bit for bit what its own base year would have given, and a run of `V`
//! variants over `Y` years does `V × (Y − 1) + 1` levers passes instead of `V × Y`.
//!
//! When `N` fits in the pilot there is no stream: the pilot is the run, and the
//! ledger's quintile groups are exact (a global ranking). The pilot's blocks are
//! computed exactly as the stream computes them (same weights, same rationing quotas,
//! same paths), so a streamed run is the pilot's blocks followed by the others.
//!
//! # What is exact and what is estimated when `N` exceeds the pilot
//! Sums and counts (means, income parts, totals, poverty FGT, dibao caseload, the
//! ledger, households followed between years) are exact over all `N` households for
//! the paths the pilot fixed, and so is Theil (from sums). Median, quintile means, Gini
//! and the Lorenz curve come from a mergeable income sketch over all `N` households
//! ([`crate::indicators::IncomeSketch`], with documented bounds; merged per block in
//! block order, so bit-identical whatever the threads). Estimated from the pilot's
//! households: the weight normalisation (weighted persons match the profile up to the
//! pilot's sampling error), the baseline's income index and alignment factors, the
//! fertility rate and the ledger's quintile boundaries. Rationed levers fill their
//! places block by block ([`BlockShare`]).

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use super::caseload::{self, Caseload, Programme};
use super::projection::{BaselinePaths, Progress, ProgressFn, Scenario, VariantResult, YearResult};
use crate::dynamics::{Dynamics, reweight};
use crate::error::Result;
use crate::generate::rounding::round;
use crate::generate::{BLOCK, Generator, WeightNormalisation};
use crate::indicators::gains::gain_sums_ordered;
use crate::indicators::incentives::{EARNINGS_RISE, HouseholdRise, enter_work, raise_earnings};
use crate::indicators::{
    BaselineIncomes, DibaoLines, EntryWages, FollowedHousehold, GainSums, Gains, HouseholdOutcome, IncentiveSums,
    IndicatorOptions, IndicatorSums, MetrSums, TrackingSums, WorkIncentives, YearIndicators, for_each_outcome,
    id_order_into, tracking_sums,
};
use crate::microdata::FileExporter;
use crate::model::columns::clear_with_room;
use crate::model::{Accounts, Population, Residence};
use crate::policy::quintiles;
use crate::policy::rationing::BlockShare;
use crate::policy::{
    Chunk, Ledger, LeverColumns, LeverSet, TakeUpAdjustment, YearContext, market_accounts, paid_by_quintile_with_cuts,
};
use crate::region::Profile;

/// Households of the pilot by default: 64 blocks (1,048,576 households). Assumption:
/// large enough that the pilot's estimates (weight normalisation, income index,
/// alignment, quintile boundaries) are within about 0.1% of the whole population's,
/// small enough to hold materialised with every variant (about 1 GB).
pub const PILOT_HOUSEHOLDS: usize = 64 * BLOCK;

/// How a run is cut into blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BlockPlan {
    /// Households of the whole population.
    pub households: usize,
    /// Blocks of the pilot: the first ones.
    pub pilot_blocks: usize,
    /// Blocks carried at once in the stream (in parallel), at least 1.
    pub window: usize,
}

impl BlockPlan {
    /// The plan of `households` households with a pilot of at least `pilot_households`
    /// (whole blocks, at most the population) and a window of `window` blocks.
    pub fn new(households: usize, pilot_households: usize, window: usize) -> Self {
        let pilot = pilot_households.clamp(1, households.max(1));
        BlockPlan { households, pilot_blocks: pilot.div_ceil(BLOCK), window: window.max(1) }
    }

    /// Blocks of the whole population.
    pub fn blocks(&self) -> usize {
        self.households.div_ceil(BLOCK)
    }

    /// Households of the pilot (its blocks, at most the population).
    pub fn pilot_households(&self) -> usize {
        (self.pilot_blocks * BLOCK).min(self.households)
    }

    /// Whether blocks remain after the pilot.
    pub fn streams(&self) -> bool {
        self.blocks() > self.pilot_blocks
    }

    /// First household and number of households of block `b`.
    pub fn range(&self, b: usize) -> (usize, usize) {
        let first = b * BLOCK;
        (first, BLOCK.min(self.households.saturating_sub(first)))
    }

    /// Block `b`'s place in the population, for rationed levers.
    pub fn share(&self, b: usize) -> BlockShare {
        let (first, count) = self.range(b);
        BlockShare { first_household: first as u64, households: count as u64, total_households: self.households as u64 }
    }
}

/// What the stream did, for checking that memory stayed bounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StreamStats {
    /// Blocks of the population.
    pub blocks: usize,
    /// Blocks of the pilot.
    pub pilot_blocks: usize,
    /// Blocks carried at once in the stream.
    pub window: usize,
    /// Most stream blocks alive (generated and being carried) at the same time:
    /// never above `window`, nor above the worker threads.
    pub max_blocks_alive: usize,
    /// Variants carried (baseline, reform, Shapley coalitions), all replications.
    pub variants: usize,
}

impl StreamStats {
    /// Adds the figures of another replication.
    pub(crate) fn add(&mut self, other: &StreamStats) {
        self.blocks = other.blocks;
        self.pilot_blocks = other.pilot_blocks;
        self.window = other.window;
        self.max_blocks_alive = self.max_blocks_alive.max(other.max_blocks_alive);
        self.variants += other.variants;
    }
}

/// CPU time of this process, all threads, seconds: the sum of every thread's time on a
/// CPU (`/proc/self/task/*/schedstat`, nanoseconds) on Linux; `None` elsewhere. Threads
/// that have ended no longer count, so only differences taken while the same worker
/// threads live (within one run) are meaningful.
pub fn thread_cpu_seconds() -> Option<f64> {
    let mut ns: u64 = 0;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let path = task.ok()?.path().join("schedstat");
        // A thread may end between listing and reading: it then counts for nothing.
        let Ok(stat) = std::fs::read_to_string(path) else { continue };
        ns += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(ns as f64 * 1e-9)
}

/// Wall-clock and CPU seconds spent in one phase of a run, over all its calls.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseTime {
    /// The phase (see [`PhaseTimings`]).
    pub phase: &'static str,
    /// Whether the phase runs on one thread (its time does not shrink with threads).
    pub serial: bool,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// CPU seconds of the process, all threads ([`thread_cpu_seconds`]); `None` off Linux.
    pub cpu_seconds: Option<f64>,
    /// Times the phase ran.
    pub calls: usize,
}

/// Where a run spends its time, phase by phase, in the order the phases first ran:
/// `pilot_generation` (generating and weighting the pilot), `weight_normalisation`,
/// `fertility_calibration`, `pilot_copy` (each variant's copy of the pilot),
/// `year_start` (the year's start figures over every block, serial), `dynamics` (each
/// block's yearly step), `reweighting_fit` (fitting a re-weighting year's factors,
/// serial) and `reweighting` (applying them), `alignment` (market sums and scaling), `levers_and_sums` (levers,
/// outcomes, indicator sums and following households, block by block), the ledger's
/// quintile groups (`quintile_ranking`: incomes and the sort; `quintile_split`: the
/// serial pass over the ranking and each block's groups; `quintile_sums`: each lever's payments by
/// group), `merge` (block sums merged in order), `pilot_drop` (freeing the pilot),
/// `stream` (blocks after the pilot, merges included), `finish` (year indicators,
/// ledgers).
/// For finding the serial parts of a run; results never depend on it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PhaseTimings {
    /// The phases.
    pub phases: Vec<PhaseTime>,
}

impl PhaseTimings {
    /// Runs `f` as phase `phase` and adds its time.
    pub(crate) fn time<T>(&mut self, phase: &'static str, serial: bool, f: impl FnOnce() -> T) -> T {
        let (wall, cpu) = (std::time::Instant::now(), thread_cpu_seconds());
        let out = f();
        let seconds = wall.elapsed().as_secs_f64();
        let cpu = thread_cpu_seconds().zip(cpu).map(|(b, a)| b - a);
        match self.phases.iter_mut().find(|p| p.phase == phase) {
            Some(p) => {
                p.seconds += seconds;
                p.cpu_seconds = p.cpu_seconds.zip(cpu).map(|(a, b)| a + b);
                p.calls += 1;
            }
            None => self.phases.push(PhaseTime { phase, serial, seconds, cpu_seconds: cpu, calls: 1 }),
        }
        out
    }

    /// Adds the phases of another replication.
    pub(crate) fn add(&mut self, other: &PhaseTimings) {
        for o in &other.phases {
            match self.phases.iter_mut().find(|p| p.phase == o.phase) {
                Some(p) => {
                    p.seconds += o.seconds;
                    p.cpu_seconds = p.cpu_seconds.zip(o.cpu_seconds).map(|(a, b)| a + b);
                    p.calls += o.calls;
                }
                None => self.phases.push(o.clone()),
            }
        }
    }

    /// CPU seconds of the serial phases and of the others.
    pub fn serial_and_parallel_cpu_seconds(&self) -> (f64, f64) {
        let sum =
            |serial: bool| self.phases.iter().filter(|p| p.serial == serial).filter_map(|p| p.cpu_seconds).sum::<f64>();
        (sum(true), sum(false))
    }
}

/// How much of a variant is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detail {
    /// Every indicator and the ledger's quintile groups (reported variants).
    Full,
    /// The sums only (Shapley coalitions, whose means are all that is read).
    Sums,
}

/// One variant of a replication: the levers of its projected years.
#[derive(Debug)]
pub(crate) struct VariantSpec {
    /// Levers of the projected years (the base year runs the base rules).
    pub set: LeverSet,
    /// What is kept.
    pub detail: Detail,
    /// Writes its microdata of this year.
    pub export: Option<u16>,
    /// Compares its households with the baseline's (the first variant's) in every
    /// projected year: who gains and who loses ([`crate::indicators::gains`]).
    pub compare: bool,
    /// Also compares its households with those of another reform variant of the pass,
    /// this one's index in the list (at least 1, before this one), in every projected
    /// year: `compare`'s B against A, a sweep's point against the one before
    /// ([`YearIndicators::gains_against_other`]).
    pub compare_with: Option<usize>,
}

/// Which of a block-year's comparisons a variant's households fill: with the baseline's
/// households ([`BlockYear::gains`]) or with another reform variant's
/// ([`BlockYear::gains_other`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Against {
    /// The baseline (variant 0).
    Baseline,
    /// The variant of [`VariantSpec::compare_with`].
    Other,
}

impl Against {
    /// Both comparisons, in the order they are filled.
    const BOTH: [Against; 2] = [Against::Baseline, Against::Other];
}

impl VariantSpec {
    /// The variants this one compares with in a year it `wants` so, each with the sums
    /// it fills.
    fn compared(&self, wants: Wants) -> impl Iterator<Item = (usize, Against)> {
        Against::BOTH.into_iter().filter(move |&a| wants.compares(a)).filter_map(|a| {
            let w = match a {
                Against::Baseline => Some(0),
                Against::Other => self.compare_with,
            };
            w.map(|w| (w, a))
        })
    }
}

/// Everything one replication's pass reads.
pub(crate) struct ReplicationRun<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// The calibrated generator, with this replication's seed.
    pub generator: &'a Generator,
    /// The base-year rules.
    pub base_rules: &'a LeverSet,
    /// The replication's dynamics (fertility not yet calibrated).
    pub dynamics: Dynamics,
    /// The replication's seed.
    pub seed: u64,
    /// Indicator options.
    pub options: &'a IndicatorOptions,
    /// Blocks.
    pub plan: BlockPlan,
    /// Keeps every household's outcome of full variants.
    pub keep_outcomes: bool,
    /// Progress reports.
    pub progress: Option<&'a ProgressFn>,
    /// The scenario's microdata population cut into blocks, when it has one (then
    /// blocks are taken from it instead of generated).
    pub microdata: Option<&'a [Population]>,
    /// Which variants keep their households' incomes of each projected year, because
    /// another variant compares with them (set by [`ReplicationRun::run`] from its
    /// variants; empty before).
    pub keeps_incomes: Vec<bool>,
}

/// Cuts a population into blocks of [`BLOCK`] households, in order (from the end, so
/// each household is moved once).
pub(crate) fn into_blocks(pop: Population) -> Vec<Population> {
    let n = pop.household_count();
    let mut rest = pop;
    let mut blocks = Vec::with_capacity(n.div_ceil(BLOCK));
    let mut cut = n.div_ceil(BLOCK).saturating_sub(1) * BLOCK;
    while cut > 0 {
        blocks.push(rest.split_off(cut));
        cut -= BLOCK;
    }
    blocks.push(rest);
    blocks.reverse();
    blocks
}

/// Weighted market income sums of some households, for the alignment factors.
#[derive(Debug, Clone, Copy, Default)]
struct MarketSums {
    sums: [[f64; 3]; 2],
    persons: [f64; 2],
    /// Weighted persons with a wage and with operating income, by residence.
    earners: [[f64; 2]; 2],
}

impl MarketSums {
    /// Wage, operating and property income by residence, and with `earners` the
    /// persons who earn them, summed in household order.
    fn of(pop: &Population, earners: bool) -> Self {
        let mut m = MarketSums::default();
        let (p, hh) = (&pop.persons, &pop.households);
        for h in 0..pop.household_count() {
            let (r, w) = (hh.residence[h].index(), hh.weight[h] as f64);
            m.persons[r] += w * hh.size[h] as f64;
            for i in pop.members(h) {
                m.sums[r][0] += w * p.wage[i] as f64;
                m.sums[r][1] += w * p.operating[i] as f64;
                m.sums[r][2] += w * p.property[i] as f64;
            }
            if earners {
                for i in pop.members(h) {
                    m.earners[r][0] += if p.wage[i] > 0.0 { w } else { 0.0 };
                    m.earners[r][1] += if p.operating[i] != 0.0 { w } else { 0.0 };
                }
            }
        }
        m
    }

    /// Summed per block (in parallel) and merged in block order; earners counted when
    /// `earners` (only an alignment per earner reads them).
    fn merged(chunks: &[Chunk], earners: bool) -> Self {
        let blocks: Vec<MarketSums> = chunks.par_iter().map(|c| MarketSums::of(&c.pop, earners)).collect();
        let mut out = MarketSums::default();
        for m in blocks {
            for (a, b) in out.persons.iter_mut().zip(m.persons) {
                *a += b;
            }
            for (row, other) in out.sums.iter_mut().zip(m.sums) {
                for (a, b) in row.iter_mut().zip(other) {
                    *a += b;
                }
            }
            for (row, other) in out.earners.iter_mut().zip(m.earners) {
                for (a, b) in row.iter_mut().zip(other) {
                    *a += b;
                }
            }
        }
        out
    }

    /// Per-capita amounts and earners per person.
    fn per_capita(&self) -> MarketLevels {
        let mut out = MarketLevels::default();
        for r in 0..2 {
            let persons = self.persons[r];
            if persons > 0.0 {
                for k in 0..3 {
                    out.amounts[r][k] = self.sums[r][k] / persons;
                }
                for k in 0..2 {
                    out.earners[r][k] = self.earners[r][k] / persons;
                }
            }
        }
        out
    }
}

/// Per-capita market incomes `[residence][wage, operating, property]` and the shares of
/// persons with a wage and with operating income `[residence][wage, operating]`.
#[derive(Debug, Clone, Copy, Default)]
struct MarketLevels {
    amounts: [[f64; 3]; 2],
    earners: [[f64; 2]; 2],
}

impl MarketLevels {
    /// The factors that bring `now` (after the dynamics) to `before` grown by the
    /// assumed growth of each part, per person or, with `per_earner` = 1, per earner of
    /// wage and operating income (the share of earners' change that moves per-capita
    /// income: `(earners_now / earners_before)^per_earner`); property income per person.
    fn factors(before: &MarketLevels, now: &MarketLevels, growth: &[[f64; 3]; 2], per_earner: f64) -> [[f64; 3]; 2] {
        let mut f = [[1.0; 3]; 2];
        for r in 0..2 {
            for k in 0..3 {
                if now.amounts[r][k] > 0.0 && before.amounts[r][k] > 0.0 {
                    let mut target = before.amounts[r][k] * (1.0 + growth[r][k]);
                    if k < 2 && per_earner > 0.0 && now.earners[r][k] > 0.0 && before.earners[r][k] > 0.0 {
                        target *= (now.earners[r][k] / before.earners[r][k]).powf(per_earner);
                    }
                    f[r][k] = target / now.amounts[r][k];
                }
            }
        }
        f
    }
}

/// Scales persons' market incomes by residence and part.
fn align(pop: &mut Population, factors: &[[f64; 3]; 2]) {
    let (p, hh) = (&mut pop.persons, &pop.households);
    for h in 0..hh.size.len() {
        let f = &factors[hh.residence[h].index()];
        let first = hh.first_person[h] as usize;
        for i in first..first + hh.size[h] as usize {
            // The inline `round` (the same bits as `f64::round`, without a library call).
            p.wage[i] = round(p.wage[i] as f64 * f[0]) as f32;
            // Most persons have no operating or property income: ±0 scaled by a finite
            // factor rounds to itself, so it is left as it is.
            if p.operating[i] != 0.0 {
                p.operating[i] = round(p.operating[i] as f64 * f[1]) as f32;
            }
            if p.property[i] != 0.0 {
                p.property[i] = round(p.property[i] as f64 * f[2]) as f32;
            }
        }
    }
}

/// [`crate::policy::paid_by_quintile`] with its phases timed: the same steps
/// ([`quintiles`]), so bit for bit the same boundaries and sums. The ranking is built
/// per block in parallel and sorted in parallel; the split of weights into groups is one
/// serial pass that only reads the ranking, then each block's groups written in
/// parallel; each lever's sums are their own task.
fn quintile_groups(chunks: &[Chunk], ledger: &mut Ledger, timings: &mut PhaseTimings) -> [f64; 4] {
    thread_local! {
        /// The ranking's memory, kept from year to year (a fresh one is paged in anew).
        static RANKING: std::cell::RefCell<Vec<quintiles::Ranked>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let mut ranked = RANKING.with(|r| std::mem::take(&mut *r.borrow_mut()));
    let total = timings.time("quintile_ranking", false, || quintiles::rank_all_into(chunks, &mut ranked));
    let cuts = quintile_groups_of(chunks, &mut ranked, total, ledger, timings);
    RANKING.with(|r| *r.borrow_mut() = ranked);
    cuts
}

/// [`quintile_groups`] from the unsorted ranking and its total weight.
fn quintile_groups_of(
    chunks: &[Chunk],
    ranked: &mut [quintiles::Ranked],
    total: f64,
    ledger: &mut Ledger,
    timings: &mut PhaseTimings,
) -> [f64; 4] {
    if total <= 0.0 {
        return [0.0; 4];
    }
    timings.time("quintile_ranking", false, || quintiles::sort(ranked));
    let wants_shares = !ledger.records.is_empty();
    let (cuts, shares) =
        timings.time("quintile_split", false, || quintiles::split(ranked, total, chunks, wants_shares));
    timings.time("quintile_sums", false, || {
        ledger
            .records
            .par_iter_mut()
            .enumerate()
            .for_each(|(lever, record)| quintiles::add_paid(record, lever, chunks, &shares))
    });
    cuts
}

/// One block's microdata of the export year.
#[derive(Debug)]
struct ExportPiece {
    pop: Population,
    market: Accounts,
    accounts: Accounts,
    columns: LeverColumns,
}

/// One block's summary of one year of one variant.
#[derive(Debug)]
struct BlockYear {
    sums: IndicatorSums,
    tracking: Option<TrackingSums>,
    /// Against the baseline's households (a comparing variant's projected years).
    gains: Option<GainSums>,
    /// Against another variant's households ([`VariantSpec::compare_with`]).
    gains_other: Option<GainSums>,
    /// Work incentives ([`crate::indicators::incentives`]), when measured.
    metr: Option<IncentiveSums>,
    /// The rises of the households counted in `metr` (the METR's, the participation
    /// tax rate's), until the year's quintile bounds add them by group
    /// ([`incentive_quintiles`]).
    rises: Option<[Vec<HouseholdRise>; 2]>,
    ledger: Ledger,
    outcomes: Option<Vec<HouseholdOutcome>>,
    export: Option<ExportPiece>,
}

/// What following a block's households reads of their outcomes last year and this
/// year (buffers reused from year to year).
#[derive(Debug, Default, Clone)]
struct Track {
    now: Vec<FollowedHousehold>,
    before: Vec<FollowedHousehold>,
    /// The indices of `before` in id order (computed when it was this year's).
    order_before: Vec<u32>,
    /// The indices of `now` in id order (memory kept from year to year).
    order_now: Vec<u32>,
    has_before: bool,
}

/// The dibao line of every residence and tier this year, from the set's dibao lever
/// (the profile's base thresholds when the set has none).
fn dibao_lines(set: &LeverSet, ctx: &YearContext, profile: &Profile) -> DibaoLines {
    let line = |r: Residence| -> Vec<f64> {
        let tiers = profile.dibao_thresholds_per_month(r);
        (0..tiers.len())
            .map(|t| {
                set.get(crate::policy::dibao::NAME)
                    .and_then(|d| d.dibao_line(ctx, r, t as u8))
                    .unwrap_or(tiers[t] * 12.0)
            })
            .collect()
    };
    DibaoLines::new(line(Residence::Urban), line(Residence::Rural))
}

/// What one block-year computation reads besides the block.
struct YearStep<'b> {
    ctx: &'b YearContext,
    active: &'b LeverSet,
    lines: &'b DibaoLines,
    options: &'b IndicatorOptions,
    /// What is kept of the year beyond sums and ledger.
    wants: Wants,
    /// The wage of a member who enters work, when work incentives are measured.
    entry_wages: EntryWages,
}

/// Applies the year's levers to a block (its dynamics and alignment done) and
/// summarises it.
fn block_year(chunk: &mut Chunk, track: &mut Track, share: BlockShare, step: &YearStep<'_>) -> Result<BlockYear> {
    let market = step.wants.export.then(|| {
        let mut a = Accounts::default();
        market_accounts(&chunk.pop, &mut a);
        a
    });
    // Work incentives: the levers again on two copies of the block as it is before
    // them (each with its own accounts and lever columns), one with its earnings
    // raised, one with a member of each household put into work.
    let changed = step.wants.metr.then(|| {
        let levers_on = |pop: Population| {
            let mut copy = Chunk::new(pop);
            step.active.apply_year_block(step.ctx, &mut copy, share);
            copy.accounts
        };
        let mut raised = chunk.pop.clone();
        let earners = raise_earnings(&mut raised, EARNINGS_RISE);
        let mut entered = chunk.pop.clone();
        let entrants = enter_work(&mut entered, &step.entry_wages);
        (levers_on(raised), earners, levers_on(entered), entrants)
    });
    borrow_lever_columns(chunk);
    let ledger = step.active.apply_year_block(step.ctx, chunk, share);
    let (metr, rises) = match changed {
        Some((raised, earners, entered, entrants)) => {
            let (mut marginal_rises, mut participation_rises) = (Vec::new(), Vec::new());
            let (pop, accounts) = (&chunk.pop, &chunk.accounts);
            let sums = IncentiveSums {
                marginal: MetrSums::of(pop, accounts, &raised, &earners, &mut marginal_rises),
                participation: MetrSums::of(pop, accounts, &entered, &entrants, &mut participation_rises),
            };
            (Some(sums), Some([marginal_rises, participation_rises]))
        }
        None => (None, None),
    };
    let dibao = step.active.index_of(crate::policy::dibao::NAME).map(|i| chunk.columns.paid[i].as_slice());
    // Each household's outcome summed and kept for following as it comes (the whole
    // outcomes only when they are wanted).
    let mut sums = IndicatorSums::new(&step.options.lines);
    let n = chunk.pop.household_count();
    clear_with_room(&mut track.now, n);
    let mut kept = step.wants.keep.then(|| Vec::with_capacity(n));
    let summed = for_each_outcome(&chunk.pop, &chunk.accounts, dibao, step.lines, |o| {
        sums.add(o);
        track.now.push(FollowedHousehold::of(o));
        if let Some(k) = kept.as_mut() {
            k.push(*o);
        }
    });
    let export_columns = market.is_some().then(|| chunk.columns.clone());
    give_back_lever_columns(chunk);
    summed?;
    // This year's id order, kept as next year's order of last year's outcomes.
    id_order_into(&track.now, &mut track.order_now);
    let tracking = track
        .has_before
        .then(|| tracking_sums(&track.now, &track.order_now, &track.before, &track.order_before, &step.options.lines));
    std::mem::swap(&mut track.now, &mut track.before);
    std::mem::swap(&mut track.order_now, &mut track.order_before);
    track.has_before = true;
    Ok(BlockYear {
        sums,
        tracking,
        gains: None,
        gains_other: None,
        metr,
        rises,
        ledger,
        outcomes: kept,
        export: market.map(|market| ExportPiece {
            pop: chunk.pop.clone(),
            market,
            accounts: chunk.accounts.clone(),
            columns: export_columns.unwrap_or_default(),
        }),
    })
}

/// Adds a block's work incentives by quintile group under the year's bounds `cuts`
/// (its kept rises, which are dropped): after its levers, while its accounts are the
/// year's.
fn incentive_quintiles(chunk: &Chunk, by: &mut BlockYear, cuts: &[f64; 4]) {
    if let (Some(sums), Some(rises)) = (by.metr.as_mut(), by.rises.take()) {
        add_incentive_quintiles(chunk, sums, &rises, cuts);
    }
}

/// [`incentive_quintiles`] on sums and rises held apart from their block-year.
fn add_incentive_quintiles(chunk: &Chunk, sums: &mut IncentiveSums, rises: &[Vec<HouseholdRise>; 2], cuts: &[f64; 4]) {
    let group_of = |h: usize| quintiles::group_with_cuts(chunk, h, cuts);
    let [marginal, participation] = rises;
    sums.marginal.add_quintiles(&chunk.pop, marginal, group_of);
    sums.participation.add_quintiles(&chunk.pop, participation, group_of);
}

thread_local! {
    /// Lever columns (one amount per household for every lever) between two block-years
    /// run on this thread, every entry +0. A block borrows them for its year's levers
    /// and gives them back zeroed through its lists of households paid, which is all it
    /// keeps of them: blocks do not each hold 8 bytes per household for every lever, and
    /// the columns are written in memory already paged in.
    static SPARE_LEVER_COLUMNS: std::cell::RefCell<Vec<LeverColumns>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Lends a block this thread's spare lever columns, if it has some (else the block's
/// levers size its own).
fn borrow_lever_columns(chunk: &mut Chunk) {
    if let Some(columns) = SPARE_LEVER_COLUMNS.with(|s| s.borrow_mut().pop()) {
        chunk.columns = columns;
        chunk.columns_are_zero = true;
    }
}

/// Takes a block's lever columns back after its levers and outcomes, zeroing each
/// column's entries through the block's list of households paid, and keeps them for
/// the thread's next block (columns without a list for each are dropped instead).
fn give_back_lever_columns(chunk: &mut Chunk) {
    let mut columns = std::mem::take(&mut chunk.columns);
    chunk.columns_are_zero = false;
    if columns.paid.len() != chunk.paid_lists.len() {
        return;
    }
    for (column, paid) in columns.paid.iter_mut().zip(&chunk.paid_lists) {
        paid.zero_in(column);
    }
    SPARE_LEVER_COLUMNS.with(|s| s.borrow_mut().push(columns));
}

/// The merged summary of one year of one variant.
#[derive(Debug, Clone)]
struct YearAcc {
    sums: IndicatorSums,
    tracking: Option<TrackingSums>,
    gains: Option<GainSums>,
    gains_other: Option<GainSums>,
    metr: Option<IncentiveSums>,
    ledger: Ledger,
    /// Outcomes kept, in block order (only when the projection keeps outcomes).
    outcomes: Vec<HouseholdOutcome>,
}

impl YearAcc {
    fn new(options: &IndicatorOptions) -> Self {
        YearAcc {
            sums: IndicatorSums::new(&options.lines),
            tracking: None,
            gains: None,
            gains_other: None,
            metr: None,
            ledger: Ledger::default(),
            outcomes: Vec::new(),
        }
    }

    /// Adds the next block (in block order).
    fn merge(&mut self, block: BlockYear, exporter: &mut Option<&mut FileExporter>) -> Result<()> {
        self.sums.merge(&block.sums);
        if let Some(t) = &block.tracking {
            match &mut self.tracking {
                Some(acc) => acc.merge(t),
                None => self.tracking = Some(t.clone()),
            }
        }
        if let Some(g) = &block.gains {
            self.gains.get_or_insert_with(GainSums::default).merge(g);
        }
        if let Some(g) = &block.gains_other {
            self.gains_other.get_or_insert_with(GainSums::default).merge(g);
        }
        if let Some(m) = &block.metr {
            self.metr.get_or_insert_with(IncentiveSums::default).merge(m);
        }
        self.ledger.merge(&block.ledger);
        if let Some(o) = block.outcomes {
            self.outcomes.extend_from_slice(&o);
        }
        if let (Some(piece), Some(out)) = (block.export, exporter.as_deref_mut()) {
            out.write_chunk(&piece.pop, &piece.market, &piece.accounts, &piece.columns)?;
        }
        Ok(())
    }

    /// Mean per-capita disposable income `[urban, rural]`, as the indicators compute it.
    fn means(&self) -> [f64; 2] {
        let g = &self.sums.groups;
        [0, 1].map(|r| if g[r].persons != 0.0 { g[r].disposable / g[r].persons } else { 0.0 })
    }
}

/// The indicators of a merged year, from the block sums alone: means, parts and
/// poverty are exact sums; median, quintile means, Gini and Lorenz come from the
/// mergeable income sketch (see [`crate::indicators::IncomeSketch`] for the bounds),
/// Theil from exact sums. Nothing depends on keeping households' outcomes.
fn year_indicators(year: u16, acc: &YearAcc, options: &IndicatorOptions) -> YearIndicators {
    let mut indicators = YearIndicators::from_block_sums(year, &acc.sums, acc.tracking.as_ref(), options.all_weighting);
    indicators.gains = acc.gains.as_ref().map(Gains::by_group);
    indicators.gains_against_other = acc.gains_other.as_ref().map(Gains::by_group);
    indicators.work_incentives = acc.metr.as_ref().map(WorkIncentives::by_group);
    indicators
}

/// What the pilot fixed for one variant, which its stream blocks read.
#[derive(Debug, Clone)]
struct PilotVariant {
    years: Vec<YearAcc>,
    contexts: Vec<YearContext>,
    paths: BaselinePaths,
    cuts: Vec<[f64; 4]>,
    /// The households' incomes of each projected year (the `t`-th year at `t − 1`), by
    /// pilot block, when a variant compares with this one
    /// ([`ReplicationRun::keeps_incomes`]).
    incomes: Vec<Vec<BaselineIncomes>>,
}

/// The finished pilots a variant's pilot reads: the baseline's (its paths and its
/// households' incomes; `None` for the baseline itself) and the one of the variant it
/// compares with besides ([`VariantSpec::compare_with`]).
#[derive(Debug, Clone, Copy)]
struct Reads<'p> {
    baseline: Option<&'p PilotVariant>,
    other: Option<&'p PilotVariant>,
}

impl<'p> Reads<'p> {
    /// Nothing to read: the baseline's own pilot (and the shared start).
    const NONE: Reads<'static> = Reads { baseline: None, other: None };

    /// The pilot a comparison reads, if there is one to read.
    fn of(&self, against: Against) -> Option<&'p PilotVariant> {
        match against {
            Against::Baseline => self.baseline,
            Against::Other => self.other,
        }
    }
}

/// Which variants keep their households' incomes for another that compares with them
/// ([`ReplicationRun::keeps_incomes`]): the baseline when a variant compares with it,
/// and every variant another names in [`VariantSpec::compare_with`].
///
/// # Errors
/// [`Error::InvalidRequest`](crate::error::Error::InvalidRequest) when a variant
/// compares with itself, the baseline or a later variant.
fn keeps_incomes(variants: &[VariantSpec]) -> Result<Vec<bool>> {
    let mut keeps = vec![false; variants.len()];
    if let Some(baseline) = keeps.first_mut() {
        *baseline = variants.iter().skip(1).any(|v| v.compare);
    }
    for (v, spec) in variants.iter().enumerate() {
        let Some(w) = spec.compare_with else { continue };
        if w == 0 || w >= v {
            return Err(crate::error::Error::InvalidRequest(format!(
                "internal: variant {v} compares with variant {w}, which is not an earlier reform variant"
            )));
        }
        keeps[w] = true;
    }
    Ok(keeps)
}

/// The rounds in which variants' pilots can run side by side: a variant that compares
/// with another reform variant ([`VariantSpec::compare_with`]) runs in a round after
/// that one's (the first round holds those that compare with none). Each round in
/// variant order; the baseline (variant 0) is in none.
fn pilot_rounds(variants: &[VariantSpec]) -> Vec<Vec<usize>> {
    let mut round = vec![0usize; variants.len()];
    for (v, spec) in variants.iter().enumerate().skip(1) {
        // Checked by `keeps_incomes`: an earlier variant, its round already known.
        round[v] = spec.compare_with.filter(|&w| w < v).map_or(0, |w| round[w] + 1);
    }
    let mut rounds: Vec<Vec<usize>> = Vec::new();
    for v in 1..variants.len() {
        if rounds.len() <= round[v] {
            rounds.resize_with(round[v] + 1, Vec::new);
        }
        rounds[round[v]].push(v);
    }
    rounds
}

/// Whether variant `w`'s pilot incomes are still read by a variant after `done` (the
/// last one whose pilot has run, in variant order).
fn incomes_read_after(variants: &[VariantSpec], w: usize, done: usize) -> bool {
    variants.iter().skip(done + 1).any(|v| v.compare_with == Some(w))
}

/// What a variant keeps of a year beyond its sums and ledger.
#[derive(Debug, Clone, Copy)]
struct Wants {
    /// The ledger's quintile groups ([`Detail::Full`]).
    full: bool,
    /// Every household's outcome.
    keep: bool,
    /// The microdata of the year.
    export: bool,
    /// Compares with the baseline's households.
    compare: bool,
    /// Compares with another variant's households ([`VariantSpec::compare_with`]).
    compare_other: bool,
    /// Keeps its households' incomes for a variant that compares with them.
    keep_incomes: bool,
    /// Measures work incentives ([`crate::indicators::incentives`]).
    metr: bool,
}

impl Wants {
    /// Whether it compares with the households `against` names.
    fn compares(self, against: Against) -> bool {
        match against {
            Against::Baseline => self.compare,
            Against::Other => self.compare_other,
        }
    }

    /// Sums and ledger only.
    const NOTHING: Wants = Wants {
        full: false,
        keep: false,
        export: false,
        compare: false,
        compare_other: false,
        keep_incomes: false,
        metr: false,
    };

    /// What either wants.
    fn or(self, other: Wants) -> Wants {
        Wants {
            full: self.full || other.full,
            keep: self.keep || other.keep,
            export: self.export || other.export,
            compare: self.compare || other.compare,
            compare_other: self.compare_other || other.compare_other,
            keep_incomes: self.keep_incomes || other.keep_incomes,
            metr: self.metr || other.metr,
        }
    }
}

/// A variant's pilot part way through its years: the blocks, their outcome tracks and
/// what the years so far left (the baseline also carries its income index, its first
/// year's means and its market sums, from which it sets its own paths).
#[derive(Debug)]
struct PilotState {
    chunks: Vec<Chunk>,
    tracks: Vec<Track>,
    out: PilotVariant,
    income_index: [f64; 2],
    first_means: Option<[f64; 2]>,
    market_before: MarketLevels,
    /// The context of a year whose dynamics and alignment are done and whose levers
    /// are not.
    pending: Option<YearContext>,
    /// The baseline's caseload share of each residence in the base year
    /// ([`Caseload::shares`]), measured in the shared start, by programme
    /// ([`Programme::IN_ORDER`]).
    base_shares: [[f64; 2]; 2],
}

impl PilotState {
    /// A copy for another variant (the blocks copied in parallel).
    fn copy(&self) -> PilotState {
        PilotState {
            chunks: self.chunks.par_iter().cloned().collect(),
            tracks: self.tracks.par_iter().cloned().collect(),
            out: self.out.clone(),
            income_index: self.income_index,
            first_means: self.first_means,
            market_before: self.market_before,
            pending: self.pending.clone(),
            base_shares: self.base_shares,
        }
    }
}

impl YearAcc {
    /// Drops what a variant that does not want it would not have: the ledger's
    /// quintile groups (left at zero, as never added), the kept outcomes and the work incentives.
    fn keep_only(&mut self, wants: Wants) {
        if !wants.full {
            self.ledger.clear_quintile_groups();
        }
        if !wants.keep {
            self.outcomes = Vec::new();
        }
        if !wants.metr {
            self.metr = None;
        }
    }
}

impl BlockYear {
    /// The comparison sums `against` fills.
    fn gains_mut(&mut self, against: Against) -> &mut Option<GainSums> {
        match against {
            Against::Baseline => &mut self.gains,
            Against::Other => &mut self.gains_other,
        }
    }

    /// This block-year as a variant that wants `wants` would have computed it: a copy
    /// without the quintile groups or outcomes it does not want; the microdata piece
    /// is moved to the variant that exports it.
    fn for_variant(&mut self, wants: Wants) -> BlockYear {
        let mut ledger = self.ledger.clone();
        if !wants.full {
            ledger.clear_quintile_groups();
        }
        BlockYear {
            sums: self.sums.clone(),
            tracking: self.tracking.clone(),
            gains: self.gains,
            gains_other: self.gains_other,
            metr: if wants.metr { self.metr } else { None },
            rises: None,
            ledger,
            outcomes: if wants.keep { self.outcomes.clone() } else { None },
            export: if wants.export { self.export.take() } else { None },
        }
    }
}

/// The pilot's variant-years done and to do, for the progress hook (counted across
/// variants running side by side).
#[derive(Debug)]
struct Steps {
    done: AtomicUsize,
    total: usize,
}

impl ReplicationRun<'_> {
    /// Counts one variant-year of the pilot done and reports it.
    fn step(&self, steps: &Steps) {
        let done = steps.done.fetch_add(1, Ordering::SeqCst) + 1;
        self.report(done, steps.total, "pilot");
    }

    fn report(&self, done: usize, total: usize, stage: &'static str) {
        if let Some(f) = self.progress {
            f(Progress { done, total, stage });
        }
    }

    fn years(&self) -> usize {
        (self.scenario.last_year - self.scenario.profile.base_year) as usize + 1
    }

    /// Generates block `b` with the run's weights.
    fn generate_block(&self, b: usize, normalisation: Option<&WeightNormalisation>) -> Population {
        if let Some(block) = self.microdata.and_then(|m| m.get(b)) {
            // Microdata carry their own weights.
            return block.clone();
        }
        let (first, count) = self.plan.range(b);
        let mut pop = self.generator.generate_chunk_before_base_year(first as u64, count, self.plan.households as u64);
        if let Some(n) = normalisation {
            n.apply(&mut pop);
        }
        pop
    }

    /// Runs every variant (the baseline, coalition 0, first) over the whole population
    /// and returns their results in the order given, with the stream's figures.
    pub(crate) fn run(
        mut self,
        variants: &[VariantSpec],
        mut exporter: Option<&mut FileExporter>,
    ) -> Result<(Vec<VariantResult>, StreamStats, PhaseTimings)> {
        let mut timings = PhaseTimings::default();
        self.keeps_incomes = keeps_incomes(variants)?;
        // The pilot's households, with the normalisation they fix.
        let mut pilot: Vec<Population> = timings.time("pilot_generation", false, || {
            (0..self.plan.pilot_blocks).into_par_iter().map(|b| self.generate_block(b, None)).collect()
        });
        let normalisation = timings.time("weight_normalisation", true, || {
            let refs: Vec<&Population> = pilot.iter().collect();
            WeightNormalisation::from_sample(&self.scenario.profile, &refs, self.plan.households)
        });
        if self.microdata.is_none() {
            timings.time("pilot_generation", false, || pilot.par_iter_mut().for_each(|p| normalisation.apply(p)));
        }
        // Fertility is calibrated on the pilot's base population, in household order.
        timings.time("fertility_calibration", true, || {
            // Pensions at the statutory age follow the base rules' informal-wage line.
            self.dynamics.informal_wage_below = self.generator.base_calibration().contribution_lines().informal_below;
            self.dynamics.calibrate_fertility_on(&pilot);
            self.dynamics.calibrate_urbanisation_on(&pilot);
            self.dynamics.calibrate_replacement_on(&pilot);
        });

        let steps = Steps { done: AtomicUsize::new(0), total: variants.len() * self.years() };
        let wants = self.shared_wants(variants, exporter.is_some());
        let start = self.pilot_start(pilot, wants, &mut exporter, &steps, &mut timings)?;
        let mut pilots = self.pilot_variants(variants, start, &mut exporter, &steps, &mut timings)?;
        // The pilot incomes served the pilot's comparisons; stream blocks keep their own.
        for pilot in &mut pilots {
            pilot.incomes = Vec::new();
        }

        let mut stats = StreamStats {
            blocks: self.plan.blocks(),
            pilot_blocks: self.plan.pilot_blocks,
            window: self.plan.window,
            max_blocks_alive: 0,
            variants: variants.len(),
        };
        if self.plan.streams() {
            let mut stream = || -> Result<()> {
                let alive = AtomicUsize::new(0);
                let most = AtomicUsize::new(0);
                let blocks: Vec<usize> = (self.plan.pilot_blocks..self.plan.blocks()).collect();
                let total = blocks.len();
                let mut done = 0;
                for window in blocks.chunks(self.plan.window) {
                    let results: Vec<Vec<Vec<BlockYear>>> = window
                        .par_iter()
                        .map(|&b| {
                            let now = alive.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            let r = self.stream_block(b, variants, &pilots, normalisation);
                            alive.fetch_sub(1, Ordering::SeqCst);
                            r
                        })
                        .collect::<Result<_>>()?;
                    let mut none = None;
                    for block in results {
                        for (v, years) in block.into_iter().enumerate() {
                            let out = if variants[v].export.is_some() { &mut exporter } else { &mut none };
                            for (acc, by) in pilots[v].years.iter_mut().zip(years) {
                                acc.merge(by, out)?;
                            }
                        }
                    }
                    done += window.len();
                    self.report(done, total, "stream");
                }
                stats.max_blocks_alive = most.load(Ordering::SeqCst);
                Ok(())
            };
            timings.time("stream", false, &mut stream)?;
        }

        let results = timings.time("finish", false, || {
            variants.par_iter().zip(pilots).map(|(spec, p)| self.finish_variant(spec, p)).collect()
        });
        Ok((results, stats, timings))
    }

    /// What the shared start of every variant keeps: the union of what the variants
    /// want of the base year (all run the base rules on the same population then).
    fn shared_wants(&self, variants: &[VariantSpec], exporting: bool) -> Wants {
        let base_year = self.scenario.profile.base_year;
        variants
            .iter()
            .enumerate()
            .map(|(v, spec)| self.wants(v, spec, base_year, exporting))
            .fold(Wants::NOTHING, Wants::or)
    }

    /// What variant `v` keeps of `year`.
    fn wants(&self, v: usize, spec: &VariantSpec, year: u16, exporting: bool) -> Wants {
        let full = spec.detail == Detail::Full;
        let projected = year > self.scenario.profile.base_year;
        Wants {
            full,
            keep: self.keep_outcomes && full,
            export: spec.export == Some(year) && exporting,
            compare: spec.compare && projected,
            compare_other: spec.compare_with.is_some() && projected,
            keep_incomes: projected && self.keeps_incomes.get(v).copied().unwrap_or(false),
            metr: full && self.scenario.work_incentives,
        }
    }

    /// The start every variant shares: the pilot's base year under the base rules and
    /// the dynamics and alignment into the first projected year, which read nothing a
    /// variant sets (its levers act from the first projected year on). Computed once
    /// as the baseline computes it; the variants then go on from copies of it
    /// ([`ReplicationRun::pilot_variant`]), which gives each the results it would get
    /// from its own base year, bit for bit.
    fn pilot_start(
        &self,
        base: Vec<Population>,
        wants: Wants,
        exporter: &mut Option<&mut FileExporter>,
        steps: &Steps,
        timings: &mut PhaseTimings,
    ) -> Result<PilotState> {
        let s = self.scenario;
        let base_year = s.profile.base_year;
        let chunks: Vec<Chunk> = base.into_iter().map(Chunk::new).collect();
        let mut st = PilotState {
            tracks: vec![Track::default(); chunks.len()],
            market_before: timings.time("alignment", false, || self.market_levels(&chunks)),
            chunks,
            out: PilotVariant {
                years: Vec::new(),
                contexts: Vec::new(),
                paths: BaselinePaths::default(),
                cuts: Vec::new(),
                incomes: Vec::new(),
            },
            income_index: [1.0, 1.0],
            first_means: None,
            pending: None,
            base_shares: [[0.0; 2]; 2],
        };
        let ctx = self.begin_year(&mut st, base_year, None, timings)?;
        self.finish_year(&mut st, ctx, self.base_rules, wants, Reads::NONE, exporter, timings)?;
        self.step(steps);
        if base_year < s.last_year {
            st.pending = Some(self.begin_year(&mut st, base_year + 1, None, timings)?);
        }
        // This year's accounts and lever columns are rebuilt next year: the copies for
        // the variants carry only the households.
        for c in &mut st.chunks {
            *c = Chunk::new(std::mem::take(&mut c.pop));
        }
        Ok(st)
    }

    /// Every variant's pilot from the shared start, in variant order. The baseline runs
    /// first (the others read its paths). When the pilot has fewer blocks than there
    /// are threads (a city), the other variants run side by side, as many at a time as
    /// there are threads, each from its own copy of the start (the one that writes
    /// microdata on its own, as the file is one); otherwise one after the other, the
    /// last taking the start itself. Results are the same either way.
    fn pilot_variants(
        &self,
        variants: &[VariantSpec],
        start: PilotState,
        exporter: &mut Option<&mut FileExporter>,
        steps: &Steps,
        timings: &mut PhaseTimings,
    ) -> Result<Vec<PilotVariant>> {
        let threads = rayon::current_num_threads();
        let side_by_side = self.plan.pilot_blocks < threads && variants.len() > 2;
        let mut start = Some(start);
        let mut pilots: Vec<PilotVariant> = Vec::with_capacity(variants.len());
        if !side_by_side {
            for (v, spec) in variants.iter().enumerate() {
                // The last variant takes the shared start; the others copy it.
                let st = if v + 1 == variants.len() {
                    start.take()
                } else {
                    timings.time("pilot_copy", false, || start.as_ref().map(PilotState::copy))
                };
                let Some(st) = st else { break };
                let reads = Reads { baseline: pilots.first(), other: spec.compare_with.and_then(|w| pilots.get(w)) };
                pilots.push(self.pilot_variant(st, v, spec, reads, exporter, steps, timings)?);
                // A reform variant's incomes go once no later variant reads them (a
                // sweep's chain of points keeps two at a time).
                if let Some(w) = spec.compare_with.filter(|&w| !incomes_read_after(variants, w, v)) {
                    pilots[w].incomes = Vec::new();
                }
            }
            return Ok(pilots);
        }
        let Some(start) = start else { return Ok(pilots) };
        let copy = |timings: &mut PhaseTimings| timings.time("pilot_copy", false, || start.copy());
        let baseline = self.pilot_variant(copy(timings), 0, &variants[0], Reads::NONE, exporter, steps, timings)?;
        let mut done: Vec<Option<PilotVariant>> = variants.iter().map(|_| None).collect();
        let writer = variants.iter().skip(1).position(|v| v.export.is_some()).map(|i| i + 1);
        // What a variant's pilot reads: the baseline, and the finished pilot of the
        // variant it compares with.
        fn reads<'p>(spec: &VariantSpec, baseline: &'p PilotVariant, done: &'p [Option<PilotVariant>]) -> Reads<'p> {
            let other = spec.compare_with.and_then(|w| done.get(w)).and_then(Option::as_ref);
            Reads { baseline: Some(baseline), other }
        }
        // A variant that compares with another reform variant runs in a round after
        // that variant's.
        for round in pilot_rounds(variants) {
            let in_round = |v: usize| round.contains(&v);
            if let Some(w) = writer.filter(|&w| in_round(w)) {
                let reads = reads(&variants[w], &baseline, &done);
                let r = self.pilot_variant(copy(timings), w, &variants[w], reads, exporter, steps, timings)?;
                done[w] = Some(r);
            }
            let others: Vec<usize> = (1..variants.len()).filter(|&v| Some(v) != writer && in_round(v)).collect();
            for window in others.chunks(threads) {
                let results: Vec<(usize, PilotVariant, PhaseTimings)> = window
                    .par_iter()
                    .map(|&v| {
                        let mut own = PhaseTimings::default();
                        let st = copy(&mut own);
                        let reads = reads(&variants[v], &baseline, &done);
                        let r = self.pilot_variant(st, v, &variants[v], reads, &mut None, steps, &mut own)?;
                        Ok((v, r, own))
                    })
                    .collect::<Result<_>>()?;
                for (v, r, own) in results {
                    timings.add(&own);
                    done[v] = Some(r);
                }
            }
        }
        done[0] = Some(baseline);
        pilots.extend(done.into_iter().flatten());
        if pilots.len() != variants.len() {
            return Err(crate::error::Error::InvalidRequest(format!(
                "internal: {} of {} variants ran",
                pilots.len(),
                variants.len()
            )));
        }
        Ok(pilots)
    }

    /// The pilot of variant `v`: from the shared start ([`ReplicationRun::pilot_start`]),
    /// every pilot block, year by year in lockstep, reading the pilots `reads` gives.
    #[allow(clippy::too_many_arguments)]
    fn pilot_variant(
        &self,
        mut st: PilotState,
        v: usize,
        spec: &VariantSpec,
        reads: Reads<'_>,
        exporter: &mut Option<&mut FileExporter>,
        steps: &Steps,
        timings: &mut PhaseTimings,
    ) -> Result<PilotVariant> {
        let paths = reads.baseline.map(|b| &b.paths);
        let s = self.scenario;
        let base_year = s.profile.base_year;
        let exporting = exporter.is_some();
        st.out.years[0].keep_only(self.wants(v, spec, base_year, exporting));
        if paths.is_some() {
            // Its base year, done in the shared start (which counted the baseline's).
            self.step(steps);
        }
        if spec.detail != Detail::Full {
            st.out.cuts.clear();
        }
        let mut ctx = st.pending.take();
        for year in base_year + 1..=s.last_year {
            let ctx = match ctx.take() {
                Some(c) => c,
                None => self.begin_year(&mut st, year, paths, timings)?,
            };
            let wants = self.wants(v, spec, year, exporting);
            self.finish_year(&mut st, ctx, &spec.set, wants, reads, exporter, timings)?;
            self.step(steps);
        }
        timings.time("pilot_drop", true, || drop(st.chunks));
        Ok(st.out)
    }

    /// The adjustment of a programme's take-up that brings the baseline's caseload this
    /// year to what the `dibao_caseload_alignment` assumption asks ([`caseload`]): the
    /// year's levers applied to a copy of the pilot's first blocks
    /// ([`caseload::PROBE_BLOCKS`]) with every eligible household taking the
    /// programme up (`ctx` holds the adjustments already chosen this year), then the
    /// rates chosen from their take-up draws. No adjustment when `active` has no lever
    /// of the programme or the assumption is 0 this year. The extreme-poverty
    /// support's caseload is held at its base-year share (no multiple), the dibao's
    /// at its share times the `dibao_caseload_share_multiple_*` assumptions.
    fn take_up_adjustment(
        &self,
        programme: Programme,
        chunks: &[Chunk],
        ctx: &YearContext,
        active: &LeverSet,
        base_shares: [f64; 2],
    ) -> TakeUpAdjustment {
        let alignment = self.dynamics.dibao_caseload_alignment(ctx.year);
        let name = programme.lever_name();
        let (Some(index), Some(lever)) = (active.index_of(name), active.get(name)) else {
            return TakeUpAdjustment::NONE;
        };
        let Some(lever_rate) = lever.caseload_take_up() else {
            return TakeUpAdjustment::NONE;
        };
        if alignment <= 0.0 {
            return TakeUpAdjustment::NONE;
        }
        let mut probe_ctx = ctx.clone();
        *programme.adjustment_mut(&mut probe_ctx) = TakeUpAdjustment::EVERYONE;
        // Each block's copy is dropped as soon as it is read.
        let per_block: Vec<caseload::Eligible> = caseload::probed(chunks)
            .par_iter()
            .enumerate()
            .map(|(b, c)| {
                let mut probe = Chunk::new(c.pop.clone());
                active.apply_year_block_through(&probe_ctx, &mut probe, self.plan.share(b), index);
                let paid = &probe.columns.paid[index];
                caseload::Eligible::of(programme, [(&probe.pop, &paid[..])], |pop, h, paid| {
                    lever.caseload_draw(ctx, pop, h, paid).unwrap_or(0.0)
                })
            })
            .collect();
        let mut eligible = caseload::Eligible::default();
        for e in per_block {
            eligible.append(e);
        }
        let multiple = match programme {
            Programme::Dibao => self.dynamics.dibao_caseload_share_multiple(ctx.year),
            Programme::ExtremePoverty => [1.0; 2],
        };
        let held = [0, 1].map(|r| base_shares[r] * multiple[r]);
        caseload::take_up_adjustment(programme, &mut eligible, held, lever_rate, alignment)
    }

    /// The wage of the job a member who enters work takes in `year` (the participation
    /// measure of work incentives): the scenario's monthly wage, or the dynamics' entry
    /// wage aligned by the year's wage factors (`alignment`, by residence).
    fn entry_wages(&self, year: u16, alignment: Option<&[[f64; 3]; 2]>) -> EntryWages {
        match &self.scenario.participation_wage_per_month {
            Some(w) => EntryWages::flat_per_month(w.sum_over(year, 1, 12) / 12.0),
            None => {
                let f = alignment.map_or([1.0; 2], |a| [a[0][0], a[1][0]]);
                self.dynamics.entry_wages(year, f)
            }
        }
    }

    /// The per-capita market incomes of the pilot's blocks, with their earners when the
    /// alignment reads them (some year aligns per earner).
    fn market_levels(&self, chunks: &[Chunk]) -> MarketLevels {
        MarketSums::merged(chunks, self.dynamics.aligns_per_earner()).per_capita()
    }

    /// The start of a pilot year: its context, and after the base year the dynamics
    /// and the alignment of market incomes (the baseline's own factors when `paths` is
    /// `None`, else the baseline's).
    fn begin_year(
        &self,
        st: &mut PilotState,
        year: u16,
        paths: Option<&BaselinePaths>,
        timings: &mut PhaseTimings,
    ) -> Result<YearContext> {
        let base_year = self.scenario.profile.base_year;
        let t = (year - base_year) as usize;
        if let Some(p) = paths {
            st.income_index = p.income.get(t).copied().unwrap_or(st.income_index);
        }
        st.out.paths.income.push(st.income_index);
        let wage_index = self.dynamics.wage_index(year);
        st.out.paths.wage.push(wage_index);
        let ctx = YearContext {
            year,
            base_year,
            seed: self.seed,
            price_index: self.dynamics.price_index(year),
            income_index: st.income_index,
            wage_index,
            dibao_take_up: TakeUpAdjustment::NONE,
            extreme_poverty_take_up: TakeUpAdjustment::NONE,
        };
        if year == base_year {
            st.out.paths.alignment.push([[1.0; 3]; 2]);
            st.out.paths.year_start.push(self.dynamics.fixed_year_start());
            st.out.paths.reweighting.push(None);
            return Ok(ctx);
        }
        let chunks = &mut st.chunks;
        let start = match paths.map(|p| p.year_start[t]) {
            Some(start) => start,
            None => timings.time("year_start", true, || {
                let blocks: Vec<&Population> = chunks.iter().map(|c| &c.pop).collect();
                self.dynamics.year_start_of(&blocks, &ctx)
            }),
        };
        st.out.paths.year_start.push(start);
        timings.time("dynamics", false, || {
            chunks.par_iter_mut().for_each(|c| self.dynamics.advance_with(&ctx, &start, &mut c.pop))
        });
        let reweighting = match self.dynamics.reweighting_in(year) {
            None => None,
            Some(rw) => {
                let factors = match paths.and_then(|p| p.reweighting.get(t)).cloned().flatten() {
                    Some(f) => f,
                    None => {
                        // The whole population's persons over the pilot's, by their households.
                        let scale = self.plan.households as f64 / self.plan.pilot_households().max(1) as f64;
                        timings
                            .time("reweighting_fit", true, || reweight::fit(chunks.iter().map(|c| &c.pop), rw, scale))?
                    }
                };
                timings.time("reweighting", false, || {
                    chunks.par_iter_mut().for_each(|c| reweight::apply(&mut c.pop, rw, &factors))
                });
                Some(factors)
            }
        };
        st.out.paths.reweighting.push(reweighting);
        let market_before = st.market_before;
        let factors = timings.time("alignment", false, || match paths.and_then(|p| p.alignment.get(t)) {
            Some(f) => *f,
            None => {
                // The baseline's own: the assumed growth of each per-capita part
                // over what the dynamics delivered.
                let now = self.market_levels(chunks);
                let growth = self.dynamics.part_growth(year);
                MarketLevels::factors(&market_before, &now, &growth, self.dynamics.alignment_per_earner(year))
            }
        });
        timings.time("alignment", false, || {
            chunks.par_iter_mut().for_each(|c| align(&mut c.pop, &factors));
            if paths.is_none() {
                st.market_before = self.market_levels(chunks);
            }
        });
        st.out.paths.alignment.push(factors);
        Ok(ctx)
    }

    /// The rest of a pilot year: the levers of `active`, the sums of every block and
    /// what `wants` asks for (quintile groups, outcomes, microdata, the comparisons
    /// with the households of the pilots `reads` gives, the households' incomes when a
    /// variant compares with them), merged in block order; without a baseline to read
    /// (the baseline itself) the income index moves with the means.
    #[allow(clippy::too_many_arguments)]
    fn finish_year(
        &self,
        st: &mut PilotState,
        ctx: YearContext,
        active: &LeverSet,
        wants: Wants,
        reads: Reads<'_>,
        exporter: &mut Option<&mut FileExporter>,
        timings: &mut PhaseTimings,
    ) -> Result<()> {
        let paths = reads.baseline.map(|b| &b.paths);
        let s = self.scenario;
        let streams = self.plan.streams();
        let mut ctx = ctx;
        let t = (ctx.year - ctx.base_year) as usize;
        // In the order the levers run: the extreme-poverty support's recipients do not
        // get the dibao, so the dibao's probe uses the support's adjustment.
        for (k, programme) in Programme::IN_ORDER.into_iter().enumerate() {
            let adjustment = match paths.and_then(|p| p.take_up(programme).get(t)) {
                Some(&adjustment) => adjustment,
                None if paths.is_none() && t > 0 => timings.time("caseload_alignment", false, || {
                    self.take_up_adjustment(programme, &st.chunks, &ctx, active, st.base_shares[k])
                }),
                None => *programme.adjustment_mut(&mut ctx),
            };
            *programme.adjustment_mut(&mut ctx) = adjustment;
            st.out.paths.take_up_mut(programme).push(adjustment);
        }
        let rates = active
            .get(crate::policy::dibao::NAME)
            .and_then(|d| d.caseload_take_up())
            .map(|own| [0, 1].map(|r| crate::policy::take_up_rate(own[r], ctx.dibao_take_up.scale[r])));
        st.out.paths.dibao_take_up_rate.push(rates);
        let lines = dibao_lines(active, &ctx, &s.profile);
        st.out.paths.dibao_threshold.push(Residence::BOTH.map(|r| lines.line(r, 0)));
        let entry_wages = self.entry_wages(ctx.year, st.out.paths.alignment.get(t));
        let step = YearStep { ctx: &ctx, active, lines: &lines, options: self.options, wants, entry_wages };
        let (chunks, tracks) = (&mut st.chunks, &mut st.tracks);
        let mut blocks: Vec<BlockYear> = timings.time("levers_and_sums", false, || {
            chunks
                .par_iter_mut()
                .zip(tracks.par_iter_mut())
                .enumerate()
                .map(|(b, (c, track))| block_year(c, track, self.plan.share(b), &step))
                .collect::<Result<_>>()
        })?;
        if wants.keep_incomes {
            let incomes = timings.time("gains", false, || {
                st.tracks.par_iter().map(|tr| BaselineIncomes::of_ordered(&tr.before, &tr.order_before)).collect()
            });
            st.out.incomes.push(incomes);
        }
        for against in Against::BOTH.into_iter().filter(|&a| wants.compares(a)) {
            let Some(compared) = reads.of(against) else { continue };
            let (Some(incomes), cuts) = (compared.incomes.get(t - 1), compared.cuts.get(t)) else { continue };
            timings.time("gains", false, || {
                blocks.par_iter_mut().zip(st.tracks.par_iter()).zip(incomes.par_iter()).for_each(|((by, tr), base)| {
                    *by.gains_mut(against) = Some(gain_sums_ordered(&tr.before, &tr.order_before, base, cuts));
                })
            });
        }
        let mut acc = YearAcc::new(self.options);
        // The year's quintile bounds, when this variant keeps quintile groups.
        let mut year_cuts = None;
        if wants.full && streams {
            // Quintile boundaries from the pilot, applied block by block as the stream does.
            let cuts = quintile_groups(chunks, &mut Ledger::default(), timings);
            timings.time("quintile_sums", false, || {
                chunks
                    .par_iter()
                    .zip(blocks.par_iter_mut())
                    .for_each(|(c, by)| paid_by_quintile_with_cuts(c, &cuts, &mut by.ledger))
            });
            st.out.cuts.push(cuts);
            year_cuts = Some(cuts);
        }
        // Work incentives' rises, block by block, until the year's quintile bounds are
        // known (below).
        let mut rises: Vec<Option<[Vec<HouseholdRise>; 2]>> = Vec::with_capacity(blocks.len());
        timings.time("merge", true, || -> Result<()> {
            for mut by in blocks {
                rises.push(by.rises.take());
                acc.merge(by, exporter)?;
            }
            Ok(())
        })?;
        if wants.full && !streams {
            // The pilot is the population: exact quintile groups (their bounds kept
            // for the variants that compare with this one).
            let cuts = quintile_groups(chunks, &mut acc.ledger, timings);
            st.out.cuts.push(cuts);
            year_cuts = Some(cuts);
        }
        // Work incentives by the year's quintile groups, block by block in block order.
        if let (Some(cuts), Some(merged)) = (year_cuts, acc.metr.as_mut()) {
            for (c, block_rises) in chunks.iter().zip(&rises) {
                if let Some(block_rises) = block_rises {
                    let mut sums = IncentiveSums::default();
                    add_incentive_quintiles(c, &mut sums, block_rises, &cuts);
                    merged.merge(&sums);
                }
            }
        }
        if paths.is_none() && ctx.year == ctx.base_year {
            st.base_shares =
                Programme::IN_ORDER.map(|p| Caseload::of(p, caseload::probed(chunks).iter().map(|c| &c.pop)).shares());
        }
        if paths.is_none() {
            let means = acc.means();
            match st.first_means {
                None => st.first_means = Some(means),
                Some(m0) => {
                    for k in 0..2 {
                        if m0[k] > 0.0 {
                            st.income_index[k] = means[k] / m0[k];
                        }
                    }
                }
            }
        }
        st.out.years.push(acc);
        st.out.contexts.push(ctx);
        Ok(())
    }

    /// One stream block carried through every year of every variant: the base year and
    /// the dynamics into the first projected year once (as the pilot's shared start),
    /// then each variant from a copy.
    fn stream_block(
        &self,
        b: usize,
        variants: &[VariantSpec],
        pilots: &[PilotVariant],
        normalisation: WeightNormalisation,
    ) -> Result<Vec<Vec<BlockYear>>> {
        let Some(first) = pilots.first() else { return Ok(Vec::new()) };
        let Some(ctx0) = first.contexts.first() else { return Ok(Vec::new()) };
        let share = self.plan.share(b);
        let mut chunk = Chunk::new(self.generate_block(b, Some(&normalisation)));
        let mut track = Track::default();
        let wants = self.shared_wants(variants, true);
        let lines = dibao_lines(self.base_rules, ctx0, &self.scenario.profile);
        let entry_wages = self.entry_wages(ctx0.year, first.paths.alignment.first());
        let step =
            YearStep { ctx: ctx0, active: self.base_rules, lines: &lines, options: self.options, wants, entry_wages };
        let mut base_by = block_year(&mut chunk, &mut track, share, &step)?;
        // Every full variant's pilot found the same base-year boundaries.
        let cuts =
            variants.iter().zip(pilots).find(|(v, _)| v.detail == Detail::Full).and_then(|(_, p)| p.cuts.first());
        if let Some(cuts) = cuts {
            paid_by_quintile_with_cuts(&chunk, cuts, &mut base_by.ledger);
            incentive_quintiles(&chunk, &mut base_by, cuts);
        }
        if let Some(ctx1) = first.contexts.get(1) {
            self.dynamics.advance_with(ctx1, &first.paths.year_start[1], &mut chunk.pop);
            self.reweight(ctx1.year, &first.paths, 1, &mut chunk.pop);
            align(&mut chunk.pop, &first.paths.alignment[1]);
        }
        let mut shared = Some((Chunk::new(chunk.pop), track));
        let mut out = Vec::with_capacity(variants.len());
        // Each variant's incomes of each projected year, when a variant compares with
        // them ([`ReplicationRun::keeps_incomes`]).
        let mut kept_incomes: Vec<Vec<BaselineIncomes>> = variants.iter().map(|_| Vec::new()).collect();
        for (v, (spec, pilot)) in variants.iter().zip(pilots).enumerate() {
            let Some((mut chunk, mut track)) = (if v + 1 == variants.len() { shared.take() } else { shared.clone() })
            else {
                break;
            };
            let mut years = Vec::with_capacity(pilot.contexts.len());
            years.push(base_by.for_variant(self.wants(v, spec, ctx0.year, true)));
            for (t, ctx) in pilot.contexts.iter().enumerate().skip(1) {
                if t > 1 {
                    self.dynamics.advance_with(ctx, &pilot.paths.year_start[t], &mut chunk.pop);
                    self.reweight(ctx.year, &pilot.paths, t, &mut chunk.pop);
                    align(&mut chunk.pop, &pilot.paths.alignment[t]);
                }
                let lines = dibao_lines(&spec.set, ctx, &self.scenario.profile);
                let wants = self.wants(v, spec, ctx.year, true);
                let entry_wages = self.entry_wages(ctx.year, pilot.paths.alignment.get(t));
                let step =
                    YearStep { ctx, active: &spec.set, lines: &lines, options: self.options, wants, entry_wages };
                let mut by = block_year(&mut chunk, &mut track, share, &step)?;
                if let Some(cuts) = pilot.cuts.get(t) {
                    paid_by_quintile_with_cuts(&chunk, cuts, &mut by.ledger);
                    incentive_quintiles(&chunk, &mut by, cuts);
                }
                if wants.keep_incomes {
                    kept_incomes[v].push(BaselineIncomes::of_ordered(&track.before, &track.order_before));
                }
                for (w, against) in spec.compared(wants) {
                    let (Some(base), Some(pilot)) = (kept_incomes.get(w).and_then(|k| k.get(t - 1)), pilots.get(w))
                    else {
                        continue;
                    };
                    let sums = gain_sums_ordered(&track.before, &track.order_before, base, pilot.cuts.get(t));
                    *by.gains_mut(against) = Some(sums);
                }
                years.push(by);
            }
            out.push(years);
        }
        Ok(out)
    }

    /// A stream block's re-weighting in `year` (the `t`-th of the run) by the factors
    /// its pilot fitted, if the scenario re-weights that year.
    fn reweight(&self, year: u16, paths: &BaselinePaths, t: usize, pop: &mut Population) {
        if let (Some(rw), Some(Some(factors))) = (self.dynamics.reweighting_in(year), paths.reweighting.get(t)) {
            reweight::apply(pop, rw, factors);
        }
    }

    /// The results of a variant from its merged years.
    fn finish_variant(&self, spec: &VariantSpec, pilot: PilotVariant) -> VariantResult {
        let base_year = self.scenario.profile.base_year;
        let mut years: Vec<YearResult> = Vec::with_capacity(pilot.years.len());
        let mut kept = Vec::new();
        // The years' indicators in parallel (each needs only its own year), growth after.
        let indicators: Vec<YearIndicators> = pilot
            .years
            .par_iter()
            .zip(&pilot.contexts)
            .map(|(acc, ctx)| year_indicators(ctx.year, acc, self.options))
            .collect();
        for ((mut acc, ctx), mut indicators) in pilot.years.into_iter().zip(&pilot.contexts).zip(indicators) {
            if let Some(prev) = years.last() {
                let ratio = self.dynamics.price_index(ctx.year) / self.dynamics.price_index(ctx.year - 1).max(1e-12);
                indicators.set_growth(&prev.indicators, ratio);
            }
            let active = if ctx.year > base_year { &spec.set } else { self.base_rules };
            active.finish_block_ledger(ctx, &mut acc.ledger);
            if self.keep_outcomes && spec.detail == Detail::Full {
                kept.push(std::mem::take(&mut acc.outcomes));
            }
            years.push(YearResult { indicators, ledger: acc.ledger });
        }
        VariantResult { years, outcomes: kept, paths: pilot.paths }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Per person, the aligned per-capita amount grows at the assumed rate; per earner,
    /// the aligned amount per earner does, for wages and operating income, and property
    /// income stays per person; halfway, the earners' change counts by its square root.
    #[test]
    fn alignment_factors_hold_per_person_or_per_earner_growth() {
        let before =
            MarketLevels { amounts: [[100.0, 50.0, 20.0], [40.0, 60.0, 5.0]], earners: [[0.5, 0.1], [0.4, 0.3]] };
        let now =
            MarketLevels { amounts: [[98.0, 52.0, 21.0], [43.0, 55.0, 5.5]], earners: [[0.45, 0.12], [0.42, 0.27]] };
        let growth = [[0.05, 0.04, 0.03], [0.08, 0.06, 0.02]];
        let per_person = MarketLevels::factors(&before, &now, &growth, 0.0);
        let per_earner = MarketLevels::factors(&before, &now, &growth, 1.0);
        let half = MarketLevels::factors(&before, &now, &growth, 0.5);
        for r in 0..2 {
            for k in 0..3 {
                let aligned = now.amounts[r][k] * per_person[r][k];
                assert!((aligned / before.amounts[r][k] - (1.0 + growth[r][k])).abs() < 1e-12);
                let aligned = now.amounts[r][k] * per_earner[r][k];
                if k < 2 {
                    let per = aligned / now.earners[r][k];
                    let was = before.amounts[r][k] / before.earners[r][k];
                    assert!((per / was - (1.0 + growth[r][k])).abs() < 1e-12, "{r} {k}");
                    let ratio = now.earners[r][k] / before.earners[r][k];
                    assert!((half[r][k] / per_person[r][k] - ratio.sqrt()).abs() < 1e-12);
                } else {
                    assert_eq!(per_earner[r][k], per_person[r][k]);
                }
            }
        }
        // Nothing to scale from or to: the factor is 1.
        let empty = MarketLevels::default();
        assert_eq!(MarketLevels::factors(&empty, &now, &growth, 1.0), [[1.0; 3]; 2]);
    }

    #[test]
    fn blocks_cover_the_population_once_and_the_pilot_is_whole_blocks() {
        for (n, pilot) in [(1, 1), (BLOCK, 10), (3 * BLOCK + 5, BLOCK + 1), (10 * BLOCK, 100 * BLOCK)] {
            let plan = BlockPlan::new(n, pilot, 0);
            assert_eq!(plan.window, 1);
            let covered: usize = (0..plan.blocks()).map(|b| plan.range(b).1).sum();
            assert_eq!(covered, n);
            assert!(plan.pilot_blocks >= 1 && plan.pilot_blocks <= plan.blocks());
            assert_eq!(plan.pilot_blocks, pilot.min(n).div_ceil(BLOCK));
            let last = plan.share(plan.blocks() - 1);
            assert_eq!(last.first_household + last.households, n as u64);
        }
        assert!(BlockPlan::new(3 * BLOCK + 5, BLOCK + 1, 1).streams());
        assert!(!BlockPlan::new(3 * BLOCK + 5, 4 * BLOCK, 1).streams());
    }

    #[test]
    fn lever_columns_go_back_zeroed_and_the_next_block_gets_the_same_results() {
        let profile = Profile::builtin("liupanshui-2021").expect("profile");
        let g = Generator::calibrate(&profile, 5).expect("calibrates");
        let rules = g.rules();
        let ctx = YearContext::base(2021, 5);
        let n = 6_000u64;
        let block = |first: u64, count: usize| {
            let (pop, _) = g.generate_chunk(first, count, n);
            (Chunk::new(pop), BlockShare { first_household: first, households: count as u64, total_households: n })
        };
        SPARE_LEVER_COLUMNS.with(|s| s.borrow_mut().clear());
        // A block on its own, with columns of its own: the reference.
        let (mut alone, share_b) = block(3_000, 3_000);
        let expected = rules.apply_year_block(&ctx, &mut alone, share_b);
        // The first block gives back its (paid into) columns; the second borrows them.
        let (mut a, share_a) = block(0, 3_000);
        rules.apply_year_block(&ctx, &mut a, share_a);
        assert!(a.paid_lists.iter().any(|p| !p.is_empty()));
        give_back_lever_columns(&mut a);
        assert!(a.columns.paid.is_empty());
        let spare = SPARE_LEVER_COLUMNS.with(|s| s.borrow().clone());
        assert_eq!(spare.len(), 1);
        assert!(spare[0].paid.iter().flatten().all(|x| x.to_bits() == 0), "columns given back are all +0");
        let (mut b, _) = block(3_000, 3_000);
        borrow_lever_columns(&mut b);
        assert!(b.columns_are_zero && !b.columns.paid.is_empty());
        let got = rules.apply_year_block(&ctx, &mut b, share_b);
        assert_eq!(got, expected);
        assert_eq!(b.paid_lists, alone.paid_lists);
        for (x, y) in b.columns.paid.iter().zip(&alone.columns.paid) {
            assert_eq!(
                x.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                y.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
            );
        }
        SPARE_LEVER_COLUMNS.with(|s| s.borrow_mut().clear());
    }

    #[test]
    fn quintile_groups_match_the_reference_bit_for_bit() {
        let profile = Profile::builtin("liupanshui-2021").expect("profile");
        let g = Generator::calibrate(&profile, 3).expect("calibrates");
        let rules = g.rules();
        let ctx = YearContext::base(2021, 3);
        let (n, sizes) = (9_000u64, [4_000usize, 3_000, 2_000]);
        let mut first = 0u64;
        let mut template = Ledger::default();
        let mut chunks: Vec<Chunk> = sizes
            .iter()
            .map(|&count| {
                let (pop, _) = g.generate_chunk(first, count, n);
                let share = BlockShare { first_household: first, households: count as u64, total_households: n };
                first += count as u64;
                let mut chunk = Chunk::new(pop);
                template = rules.apply_year_block(&ctx, &mut chunk, share);
                chunk
            })
            .collect();
        // A household of no weight gives empty shares.
        chunks[2].pop.households.weight[7] = 0.0;
        assert!(!template.records.is_empty());

        let mut reference = template.clone();
        let mut ours = template.clone();
        let expected = crate::policy::paid_by_quintile(&chunks, &mut reference);
        let got = quintile_groups(&chunks, &mut ours, &mut PhaseTimings::default());
        assert_eq!(got.map(f64::to_bits), expected.map(f64::to_bits));
        for (a, b) in ours.records.iter().zip(&reference.records) {
            assert_eq!(a.paid_by_quintile.map(f64::to_bits), b.paid_by_quintile.map(f64::to_bits), "{}", a.lever);
        }
        assert!(reference.records.iter().any(|r| r.paid_by_quintile.iter().any(|&x| x != 0.0)));
        // Boundaries only, with an empty ledger.
        assert_eq!(quintile_groups(&chunks, &mut Ledger::default(), &mut PhaseTimings::default()), expected);
    }
}

//! Rationing: filling a fixed number of places exactly, by priority, in chunks or
//! block by block.
//!
//! A rationed lever (1,500 public-welfare posts a year, 36,500 training places, a
//! labour-transfer quota, 2,000 start-ups) fills the number of places the scenario
//! gives, counted in real persons: every candidate stands for its household's weight,
//! and the filled weight ends within half of one household's weight of the places
//! (or is every eligible person, with the unfilled places reported).
//!
//! # Order of candidates
//! Each eligible person gets a [`Candidate`] with a priority class from the lever's
//! rule (0 first) and a 64-bit tie-break key drawn from the keyed stream
//! `(seed, household id, year, Purpose::Lever, lever sub-stream and member)`. The order
//! is `(class, key, household id, member)`, a total order that depends on nothing but
//! the person, so it is the same whatever the chunks.
//!
//! # Passes (exact in chunks)
//! An [`Allocator`] runs the allocation as a few passes over all chunks of the year,
//! each producing a mergeable [`CandidateSummary`]:
//! 1. *histogram*: the weight of candidates by `(class, key bucket)` (the top
//!    [`KEY_BUCKET_BITS`] bits of the key), at most `classes × 65,536` entries whatever
//!    the population (one dense row per class, so offering a candidate is one
//!    addition). Weights are summed as integers (weight × 2²⁰), so merging is
//!    associative and the result does not depend on the chunking or merge order:
//!    [`allocate`] runs each pass over the chunks in parallel.
//!    The cut-off bucket is the first whose cumulative weight passes the places.
//! 2. *refine*: the candidates of that one marginal bucket only (about N / 65,536 of
//!    them), sorted by the full order; the last one taken is the one where the
//!    cumulative weight plus half its own weight still fits in the places.
//!
//! This replaces the "fractional fill of the marginal bucket by a keyed draw" of the
//! design sketch: a random fraction would fill the places only in expectation (an
//! error of several households in a large population), while the refine pass keeps
//! the promise "within one household's weight" at the cost of one cheap pass.
//!
//! A quota (at least 10% of posts to disabled people) is an allocation of its own run
//! first within the quota group; the main allocation then fills the remaining places
//! from everyone not already chosen. So a full run is at most four summary passes and
//! one applying pass, with a barrier per pass: allocated over all chunks at once
//! ([`LeverSet::apply_year_chunks`]), the years of all chunks must advance in
//! lockstep. A lever applied to a single population without a prior pass (inside
//! [`LeverSet::apply_year`]) runs all passes over that population itself: see
//! [`apply_rationed`].
//!
//! # Block by block (streamed runs)
//! The projection engine carries each fixed block of households through every year
//! on its own, so it cannot hold all chunks of a year at once. There each block fills
//! its own quota of the places, fixed by its position in the population
//! ([`BlockShare`], [`allocate_block`], [`LeverSet::apply_year_block`]): the quotas
//! add up to the places exactly, each block fills its quota within half of one
//! household's weight, and priority order holds within a block.
//!
//! [`LeverSet::apply_year`]: super::LeverSet::apply_year
//! [`LeverSet::apply_year_chunks`]: super::LeverSet::apply_year_chunks
//! [`LeverSet::apply_year_block`]: super::LeverSet::apply_year_block

use rayon::prelude::*;

use super::{Book, YearContext};
use crate::error::{Error, Result};
use crate::model::Population;
use crate::model::bounds::{MAX_NUMBER, MAX_RATE};
use crate::random::{Purpose, StreamKey, mix64};

/// Bits of the tie-break key kept in the histogram (65,536 buckets per class).
pub const KEY_BUCKET_BITS: u32 = 16;

/// Weights are summed as integers in units of 2⁻²⁰ of a household, so sums are exact
/// and associative.
const WEIGHT_SCALE: f64 = (1u64 << 20) as f64;

/// A weight (real persons or households) as an exact integer.
#[inline]
pub fn fixed_weight(w: f64) -> u64 {
    // The inline `round`: the same bits as `f64::round`, without a library call.
    if w.is_finite() && w > 0.0 { crate::generate::rounding::round(w * WEIGHT_SCALE) as u64 } else { 0 }
}

#[inline]
fn from_fixed(w: u64) -> f64 {
    w as f64 / WEIGHT_SCALE
}

/// A stable number for a lever's name, to key its own random sub-stream.
pub fn lever_sub(name: &str) -> u64 {
    // FNV-1a, then mixed: fixed here so keys never change between Rust versions.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix64(h)
}

/// The tie-break key of one member of one household for one lever and year.
#[inline]
pub fn tie_break_key(ctx: &YearContext, household_id: u64, lever: u64, member: u16) -> u64 {
    member_key(StreamKey::new(ctx.seed, household_id, ctx.year, Purpose::Lever), lever, member)
}

/// The tie-break key of a member from its household's stream key for the year (the
/// same as [`tie_break_key`], without mixing the household's key again).
#[inline]
fn member_key(household: StreamKey, lever: u64, member: u16) -> u64 {
    household.sub_stream(lever ^ mix64(member as u64 + 1)).next_raw()
}

/// One eligible person (or household) offered to a rationed lever.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Household index in the chunk.
    pub household: usize,
    /// Person index in the chunk (the household's first member for household-level
    /// levers).
    pub person: usize,
    /// Global household id.
    pub household_id: u64,
    /// Member number within the household (0 for household-level levers).
    pub member: u16,
    /// Priority class: 0 is served first.
    pub class: u8,
    /// Keyed random tie-break within a class (see [`tie_break_key`]).
    pub key: u64,
    /// Real persons (or households) this candidate stands for: the household weight.
    pub weight: f64,
    /// In the quota group (e.g. disabled people for public-welfare posts).
    pub quota: bool,
}

impl Candidate {
    /// Member `m` of household `h` of `pop`, in priority `class`, with the tie-break key
    /// of the lever `lever` (from [`lever_sub`]), its household's weight and no quota.
    #[inline]
    pub fn member(ctx: &YearContext, pop: &Population, lever: u64, h: usize, m: usize, class: u8) -> Self {
        let household_id = pop.household_id(h);
        Candidate {
            household: h,
            person: pop.households.first_person[h] as usize + m,
            household_id,
            member: m as u16,
            class,
            key: tie_break_key(ctx, household_id, lever, m as u16),
            weight: pop.households.weight[h] as f64,
            quota: false,
        }
    }

    /// Member `m` of household `h` of `pop`, in priority `class`, with its household's
    /// weight, no quota and no tie-break key yet (`key` 0): what
    /// [`Rationed::eligible`] emits. The allocation computes keys only for the classes
    /// where the order within the class matters.
    #[inline]
    pub fn unkeyed(pop: &Population, h: usize, m: usize, class: u8) -> Self {
        Candidate {
            household: h,
            person: pop.households.first_person[h] as usize + m,
            household_id: pop.household_id(h),
            member: m as u16,
            class,
            key: 0,
            weight: pop.households.weight[h] as f64,
            quota: false,
        }
    }

    /// The same candidate, in the quota group or not.
    #[inline]
    pub fn in_quota(self, quota: bool) -> Self {
        Candidate { quota, ..self }
    }

    #[inline]
    fn bucket(&self) -> u16 {
        (self.key >> (64 - KEY_BUCKET_BITS)) as u16
    }

    #[inline]
    fn tail(&self) -> (u64, u64, u16) {
        (self.key, self.household_id, self.member)
    }
}

/// Where the allocation stops: everyone before it in the order is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cutoff {
    /// Every candidate is chosen (no more eligible than places).
    All,
    /// Candidates before `(class, bucket)` are chosen; within that bucket, those up to
    /// and including `last` (key, household id, member); none if `last` is `None`.
    Before {
        /// Marginal priority class.
        class: u8,
        /// Marginal key bucket.
        bucket: u16,
        /// Last chosen candidate of the marginal bucket.
        last: Option<(u64, u64, u16)>,
    },
}

impl Cutoff {
    /// Whether the cut-off falls within class `class` (so the order within the class,
    /// by key, decides there).
    #[inline]
    fn cuts_class(&self, class: u8) -> bool {
        matches!(*self, Cutoff::Before { class: cut, .. } if cut == class)
    }

    /// Whether the candidate is chosen.
    #[inline]
    pub fn selects(&self, c: &Candidate) -> bool {
        match *self {
            Cutoff::All => true,
            Cutoff::Before { class, bucket, last } => match (c.class, c.bucket()).cmp(&(class, bucket)) {
                std::cmp::Ordering::Less => true,
                std::cmp::Ordering::Equal => last.is_some_and(|l| c.tail() <= l),
                std::cmp::Ordering::Greater => false,
            },
        }
    }
}

/// The places of a rationed lever this year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Places {
    /// Places to fill, real persons (or households).
    pub places: f64,
    /// Share of places reserved for the quota group (0 for none).
    pub quota_share: f64,
}

/// What an allocation did, grossed up.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RationingReport {
    /// Places to fill.
    pub places: f64,
    /// Weight of eligible candidates.
    pub eligible: f64,
    /// Weight chosen.
    pub filled: f64,
    /// Places reserved for the quota group.
    pub quota_places: f64,
    /// Weight chosen within the quota.
    pub quota_filled: f64,
    /// Places left empty because too few were eligible (0 when filled).
    pub unfilled: f64,
}

/// The result of an allocation: which candidates are chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Allocation {
    /// Cut-off within the quota group, if there is a quota.
    pub quota: Option<Cutoff>,
    /// Cut-off of the main allocation (among those the quota did not choose).
    pub main: Cutoff,
    /// What was filled.
    pub report: RationingReport,
}

impl Allocation {
    /// Whether the candidate is chosen.
    #[inline]
    pub fn selects(&self, c: &Candidate) -> bool {
        (c.quota && self.quota.is_some_and(|q| q.selects(c))) || self.main.selects(c)
    }

    /// Whether [`Allocation::selects`] reads the candidate's key: only in the class of a
    /// cut-off that applies to it (elsewhere its class alone decides).
    #[inline]
    fn reads_key(&self, c: &Candidate) -> bool {
        (c.quota && self.quota.is_some_and(|q| q.cuts_class(c.class))) || self.main.cuts_class(c.class)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    QuotaHistogram,
    QuotaRefine { class: u8, bucket: u16 },
    MainHistogram,
    MainRefine { class: u8, bucket: u16 },
    Done,
}

/// A mergeable summary of the candidates of one pass over some chunks.
///
/// Get an empty one from [`Allocator::summary`], [`offer`](Self::offer) every
/// candidate of a chunk, and [`merge`](Self::merge) chunk summaries in any order.
#[derive(Debug, Clone)]
pub struct CandidateSummary {
    phase: Phase,
    quota_cut: Option<Cutoff>,
    histogram: KeyHistogram,
    marginal: Vec<((u64, u64, u16), u64)>,
    eligible: u64,
}

/// Candidate weight by `(class, key bucket)`: one dense row of 65,536 buckets per class
/// that has a candidate (512 KiB each), so offering a candidate is one addition.
#[derive(Clone, Default)]
struct KeyHistogram {
    /// `rows[class][bucket]`; `None` for a class without candidates.
    rows: Vec<Option<Box<[u64]>>>,
}

impl KeyHistogram {
    /// The slot of a class's row (`None` until the class has a candidate).
    #[inline]
    fn slot(&mut self, class: usize) -> &mut Option<Box<[u64]>> {
        if self.rows.len() <= class {
            self.rows.resize_with(class + 1, || None);
        }
        &mut self.rows[class]
    }

    /// Adds `w` to the cell of `(class, bucket)`.
    #[inline]
    fn add(&mut self, class: u8, bucket: u16, w: u64) {
        let row = self.slot(class as usize).get_or_insert_with(|| vec![0u64; 1 << KEY_BUCKET_BITS].into_boxed_slice());
        row[bucket as usize] += w;
    }

    /// Adds every cell of another histogram.
    fn merge(&mut self, other: KeyHistogram) {
        for (class, row) in other.rows.into_iter().enumerate() {
            let Some(row) = row else { continue };
            match self.slot(class) {
                Some(mine) => mine.iter_mut().zip(row.iter()).for_each(|(a, b)| *a += b),
                empty => *empty = Some(row),
            }
        }
    }

    /// The cells holding weight, `((class, bucket), weight)`, in `(class, bucket)` order.
    fn cells(&self) -> impl Iterator<Item = ((u8, u16), u64)> + '_ {
        self.rows.iter().enumerate().flat_map(|(class, row)| {
            row.iter().flat_map(move |row| {
                row.iter()
                    .enumerate()
                    .filter(|&(_, &w)| w > 0)
                    .map(move |(bucket, &w)| ((class as u8, bucket as u16), w))
            })
        })
    }
}

impl std::fmt::Debug for KeyHistogram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.cells()).finish()
    }
}

impl CandidateSummary {
    /// Offers one candidate.
    pub fn offer(&mut self, c: &Candidate) {
        let w = fixed_weight(c.weight);
        if w == 0 {
            return;
        }
        let in_quota_phase = matches!(self.phase, Phase::QuotaHistogram | Phase::QuotaRefine { .. });
        if in_quota_phase && !c.quota {
            return;
        }
        if !in_quota_phase && c.quota && self.quota_cut.is_some_and(|q| q.selects(c)) {
            return;
        }
        match self.phase {
            Phase::QuotaHistogram | Phase::MainHistogram => {
                self.histogram.add(c.class, c.bucket(), w);
                self.eligible += w;
            }
            Phase::QuotaRefine { class, bucket } | Phase::MainRefine { class, bucket } => {
                if (c.class, c.bucket()) == (class, bucket) {
                    self.marginal.push((c.tail(), w));
                }
            }
            Phase::Done => {}
        }
    }

    /// Adds the summary of another chunk of the same pass.
    pub fn merge(&mut self, other: CandidateSummary) {
        self.histogram.merge(other.histogram);
        self.marginal.extend(other.marginal);
        self.eligible += other.eligible;
    }

    /// Entries held (histogram cells plus marginal candidates): bounded by
    /// `classes × 65,536` plus one bucket's candidates, not by the population.
    pub fn len(&self) -> usize {
        self.histogram.cells().count() + self.marginal.len()
    }

    /// True when nothing was offered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Runs an allocation pass by pass; see the [module documentation](self).
#[derive(Debug, Clone)]
pub struct Allocator {
    places: u64,
    quota_places: u64,
    phase: Phase,
    quota_cut: Option<Cutoff>,
    quota_filled: u64,
    main_cut: Option<Cutoff>,
    main_filled: u64,
    cumulative_before: u64,
    eligible: u64,
}

/// Where a block of households sits in a population, for its share of a rationed
/// lever's places when blocks are allocated one by one (a streamed run).
///
/// A streamed run carries each fixed block of households through every year on its
/// own, so a rationed lever cannot rank the candidates of the whole population at
/// once. Block `b` fills its own quota instead: the places times the households
/// generated in blocks `0..=b` over all households `N`, rounded down in units of 2⁻²⁰
/// of a person, minus the same for blocks `0..b` (cumulative rounding by block
/// position). So:
///
/// * the quotas of all blocks add up to the places exactly (and the quota group's
///   places likewise), and depend only on the block's position and `N`, never on how
///   many blocks run together or on threads;
/// * within its block a lever fills its quota in priority order as [`allocate`] does,
///   within half of one household's weight, or takes every eligible candidate of the
///   block and reports the rest as unfilled;
/// * hence over `B` blocks the filled places are within `B × w / 2` of the places, `w`
///   the largest household weight (in practice a sum of `B` rounding errors of either
///   sign), when every block has enough eligible candidates.
///
/// Households are drawn independently by id, so every block is a random sample of the
/// population and its expected share of the eligible equals its share of households;
/// the price is that priority order holds within a block, not across blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockShare {
    /// Households generated before this block.
    pub first_household: u64,
    /// Households generated in this block.
    pub households: u64,
    /// Households generated in the whole population.
    pub total_households: u64,
}

impl BlockShare {
    /// A population allocated as one piece: it gets every place.
    pub fn whole() -> Self {
        BlockShare { first_household: 0, households: 1, total_households: 1 }
    }

    fn before(&self, amount: u64, households: u64) -> u64 {
        let total = self.total_households.max(1) as u128;
        (amount as u128 * households.min(self.total_households) as u128 / total) as u64
    }

    /// This block's part of `amount` (in fixed units, see [`fixed_weight`]): cumulative
    /// rounding down by block position, so the parts of all blocks add up to `amount`.
    pub fn part(&self, amount: u64) -> u64 {
        let end = self.first_household.saturating_add(self.households);
        self.before(amount, end) - self.before(amount, self.first_household)
    }
}

impl Allocator {
    /// An allocator for the places of a lever this year.
    ///
    /// # Errors
    /// [`Error::InvalidLever`] for negative places or a quota share outside 0–1.
    pub fn new(lever: &str, places: Places) -> Result<Self> {
        Self::for_block(lever, places, BlockShare::whole())
    }

    /// An allocator for one block's quota of the places of a lever this year (see
    /// [`BlockShare`]).
    ///
    /// # Errors
    /// As [`Allocator::new`].
    pub fn for_block(lever: &str, places: Places, share: BlockShare) -> Result<Self> {
        if !(places.places >= 0.0 && places.places <= MAX_NUMBER) {
            let problem = format!("must be a non-negative number of places up to {MAX_NUMBER:e}");
            return Err(invalid(lever, "places", places.places, &problem));
        }
        super::tax::check_share(lever, "quota_share", places.quota_share)?;
        let all_places = fixed_weight(places.places);
        let all_quota = fixed_weight(places.places * places.quota_share).min(all_places);
        let total = share.part(all_places);
        let quota_places = share.part(all_quota).min(total);
        Ok(Allocator {
            places: total,
            quota_places,
            phase: if quota_places > 0 { Phase::QuotaHistogram } else { Phase::MainHistogram },
            quota_cut: None,
            quota_filled: 0,
            main_cut: None,
            main_filled: 0,
            cumulative_before: 0,
            eligible: 0,
        })
    }

    /// An empty summary for the next pass, or `None` when the allocation is complete.
    pub fn summary(&self) -> Option<CandidateSummary> {
        (self.phase != Phase::Done).then(|| CandidateSummary {
            phase: self.phase,
            quota_cut: self.quota_cut,
            histogram: KeyHistogram::default(),
            marginal: Vec::new(),
            eligible: 0,
        })
    }

    /// Ends a pass with the merged summary of all chunks.
    pub fn finish_pass(&mut self, summary: CandidateSummary) {
        match self.phase {
            Phase::QuotaHistogram | Phase::MainHistogram => {
                let quota = self.phase == Phase::QuotaHistogram;
                let target = if quota { self.quota_places } else { self.places - self.quota_filled.min(self.places) };
                if !quota {
                    self.eligible += summary.eligible;
                }
                let mut cumulative = 0u64;
                let mut marginal = None;
                for ((class, bucket), w) in summary.histogram.cells() {
                    if cumulative + w > target {
                        marginal = Some((class, bucket));
                        break;
                    }
                    cumulative += w;
                }
                match marginal {
                    None => self.set_cut(quota, Cutoff::All, cumulative),
                    Some((class, bucket)) => {
                        self.cumulative_before = cumulative;
                        self.phase = if quota {
                            Phase::QuotaRefine { class, bucket }
                        } else {
                            Phase::MainRefine { class, bucket }
                        };
                    }
                }
            }
            Phase::QuotaRefine { class, bucket } | Phase::MainRefine { class, bucket } => {
                let quota = matches!(self.phase, Phase::QuotaRefine { .. });
                let target = if quota { self.quota_places } else { self.places - self.quota_filled.min(self.places) };
                let mut marginal = summary.marginal;
                marginal.sort_unstable_by_key(|e| e.0);
                let mut cumulative = self.cumulative_before;
                let mut last = None;
                for (tail, w) in marginal {
                    // Take while the cumulative weight plus half of this candidate fits.
                    if cumulative + w / 2 <= target {
                        cumulative += w;
                        last = Some(tail);
                    } else {
                        break;
                    }
                }
                self.set_cut(quota, Cutoff::Before { class, bucket, last }, cumulative);
            }
            Phase::Done => {}
        }
    }

    fn set_cut(&mut self, quota: bool, cut: Cutoff, filled: u64) {
        if quota {
            self.quota_cut = Some(cut);
            self.quota_filled = filled;
            self.phase = Phase::MainHistogram;
        } else {
            self.main_cut = Some(cut);
            self.main_filled = filled;
            self.phase = Phase::Done;
        }
    }

    /// The allocation, once every pass is done.
    pub fn allocation(&self) -> Option<Allocation> {
        let main = self.main_cut?;
        let filled = self.quota_filled + self.main_filled;
        let eligible = self.eligible + self.quota_filled;
        Some(Allocation {
            quota: self.quota_cut,
            main,
            report: RationingReport {
                places: from_fixed(self.places),
                eligible: from_fixed(eligible),
                filled: from_fixed(filled),
                quota_places: from_fixed(self.quota_places),
                quota_filled: from_fixed(self.quota_filled),
                unfilled: if main == Cutoff::All { from_fixed(self.places.saturating_sub(filled)) } else { 0.0 },
            },
        })
    }
}

/// A lever that fills a limited number of places. `Sync`: the summary passes of an
/// allocation over several chunks run on the chunks in parallel.
pub trait Rationed: Sync {
    /// The lever's name (keys its random sub-stream and its errors).
    fn rationed_name(&self) -> &str;

    /// The places to fill this year.
    fn places(&self, ctx: &YearContext) -> Places;

    /// Emits every eligible candidate of the chunk without its tie-break key (see
    /// [`Candidate::unkeyed`]), reading the chunk as it stands before the lever changes
    /// anything. The key of a candidate is [`tie_break_key`] of its household id and
    /// member for [`lever_sub`] of the lever's name.
    fn eligible(&self, ctx: &YearContext, pop: &Population, emit: &mut dyn FnMut(Candidate));

    /// Applies the lever to the chosen candidates of the chunk (in chunk order), paying
    /// through `book`.
    fn apply_chosen(&self, ctx: &YearContext, pop: &mut Population, chosen: &[Candidate], book: &mut Book<'_>);

    /// Emits every eligible candidate of the chunk with its tie-break key.
    fn candidates(&self, ctx: &YearContext, pop: &Population, emit: &mut dyn FnMut(Candidate)) {
        let lever = lever_sub(self.rationed_name());
        let mut keyer = Keyer::new(ctx, lever);
        self.eligible(ctx, pop, &mut |mut c| {
            c.key = keyer.key(&c);
            emit(c)
        });
    }

    /// Applies the lever to the candidates an allocation chooses in the chunk.
    fn apply_with_cutoff(&self, ctx: &YearContext, pop: &mut Population, allocation: &Allocation, book: &mut Book<'_>) {
        let chosen = self.chosen(ctx, pop, allocation);
        self.apply_chosen(ctx, pop, &chosen, book);
    }

    /// The chosen candidates of the chunk, in chunk order, with their keys. A key is
    /// computed only where the allocation reads it (the class of a cut-off) and for
    /// the chosen: elsewhere the class alone decides.
    fn chosen(&self, ctx: &YearContext, pop: &Population, allocation: &Allocation) -> Vec<Candidate> {
        let mut keyer = Keyer::new(ctx, lever_sub(self.rationed_name()));
        let mut out = Vec::new();
        self.eligible(ctx, pop, &mut |mut c| {
            let keyed = allocation.reads_key(&c);
            if keyed {
                c.key = keyer.key(&c);
            }
            if allocation.selects(&c) {
                if !keyed {
                    c.key = keyer.key(&c);
                }
                out.push(c);
            }
        });
        out
    }
}

/// Computes tie-break keys, mixing each household's stream key once for consecutive
/// members of the same household.
struct Keyer {
    seed: u64,
    year: u16,
    lever: u64,
    household_id: u64,
    household: StreamKey,
}

impl Keyer {
    fn new(ctx: &YearContext, lever: u64) -> Self {
        Keyer {
            seed: ctx.seed,
            year: ctx.year,
            lever,
            household_id: 0,
            household: StreamKey::new(ctx.seed, 0, ctx.year, Purpose::Lever),
        }
    }

    /// The candidate's key, as [`tie_break_key`].
    #[inline]
    fn key(&mut self, c: &Candidate) -> u64 {
        if c.household_id != self.household_id {
            self.household_id = c.household_id;
            self.household = StreamKey::new(self.seed, c.household_id, self.year, Purpose::Lever);
        }
        member_key(self.household, self.lever, c.member)
    }
}

/// Key-bucket bits of the coarse histogram of the in-memory allocation: its buckets
/// hold whole fine buckets (the top [`KEY_BUCKET_BITS`] bits), so the cut-off is the
/// same as the passes find.
const COARSE_BITS: u32 = 8;

/// Candidates of one population held in memory with their fixed weights: the
/// allocation of [`allocate_in_memory`] reads them a few times instead of asking the
/// lever for them once per pass, and keys only the classes where the cut falls.
struct Pool {
    candidates: Vec<Candidate>,
    weights: Vec<u64>,
    keyed: [bool; 256],
    keyer: Keyer,
}

impl Pool {
    /// Gives keys to every candidate of `class` (once).
    fn key_class(&mut self, class: u8) {
        if std::mem::replace(&mut self.keyed[class as usize], true) {
            return;
        }
        for c in self.candidates.iter_mut().filter(|c| c.class == class) {
            c.key = self.keyer.key(c);
        }
    }

    /// Finds the cut-off of one allocation (the quota's or the main one) among the
    /// candidates `take` admits, filling `target`: as the histogram and refine passes
    /// of [`Allocator`] do, with class sums, a coarse key histogram within the marginal
    /// class and a sort of its marginal coarse bucket only. Returns the cut-off, the
    /// weight it fills and the weight of the admitted candidates.
    fn cut(&mut self, target: u64, take: impl Fn(&Candidate) -> bool) -> (Cutoff, u64, u64) {
        let mut by_class = [0u64; 256];
        let mut eligible = 0u64;
        for (c, &w) in self.candidates.iter().zip(&self.weights) {
            if w > 0 && take(c) {
                by_class[c.class as usize] += w;
                eligible += w;
            }
        }
        let mut cumulative = 0u64;
        let Some(class) = by_class.iter().position(|&w| {
            let over = cumulative + w > target;
            if !over {
                cumulative += w;
            }
            over
        }) else {
            return (Cutoff::All, cumulative, eligible);
        };
        let class = class as u8;
        self.key_class(class);
        let coarse_of = |key: u64| (key >> (64 - COARSE_BITS)) as usize;
        let mut by_coarse = [0u64; 1 << COARSE_BITS];
        for (c, &w) in self.candidates.iter().zip(&self.weights) {
            if c.class == class && w > 0 && take(c) {
                by_coarse[coarse_of(c.key)] += w;
            }
        }
        let coarse = by_coarse
            .iter()
            .position(|&w| {
                let over = cumulative + w > target;
                if !over {
                    cumulative += w;
                }
                over
            })
            .unwrap_or(by_coarse.len());
        let mut marginal: Vec<((u64, u64, u16), u64)> = self
            .candidates
            .iter()
            .zip(&self.weights)
            .filter(|&(c, &w)| c.class == class && w > 0 && coarse_of(c.key) == coarse && take(c))
            .map(|(c, &w)| (c.tail(), w))
            .collect();
        marginal.sort_unstable_by_key(|e| e.0);
        let bucket_of = |tail: &(u64, u64, u16)| (tail.0 >> (64 - KEY_BUCKET_BITS)) as u16;
        let mut start = 0;
        while start < marginal.len() {
            let bucket = bucket_of(&marginal[start].0);
            let end = start + marginal[start..].iter().take_while(|e| bucket_of(&e.0) == bucket).count();
            let group: u64 = marginal[start..end].iter().map(|e| e.1).sum();
            if cumulative + group > target {
                let mut last = None;
                for &(tail, w) in &marginal[start..end] {
                    // Take while the cumulative weight plus half of this candidate fits.
                    if cumulative + w / 2 <= target {
                        cumulative += w;
                        last = Some(tail);
                    } else {
                        break;
                    }
                }
                return (Cutoff::Before { class, bucket, last }, cumulative, eligible);
            }
            cumulative += group;
            start = end;
        }
        // Unreachable for consistent sums (the marginal class passes the target);
        // everything admitted fits.
        (Cutoff::All, cumulative, eligible)
    }
}

thread_local! {
    /// Candidate lists of [`allocate_in_memory`], kept between calls on a thread.
    static SCRATCH: std::cell::RefCell<(Vec<Candidate>, Vec<u64>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// Allocates the places (or one block's quota of them, see [`BlockShare`]) over one
/// population held in memory, in one call of [`Rationed::eligible`], and returns the
/// allocation with the chosen candidates in chunk order (keyed).
///
/// The allocation equals what the summary passes of [`allocate`] and
/// [`allocate_block`] find: the same order `(class, key, household id, member)`, the
/// same histogram buckets and the same rule at the marginal bucket. Tie-break keys are
/// computed only for the classes in which a cut falls and for the chosen.
///
/// # Errors
/// [`Error::InvalidLever`] if the lever's places are invalid.
pub fn allocate_in_memory<R: Rationed + ?Sized>(
    lever: &R,
    ctx: &YearContext,
    pop: &Population,
    share: BlockShare,
) -> Result<(Allocation, Vec<Candidate>)> {
    let mut allocator = Allocator::for_block(lever.rationed_name(), lever.places(ctx), share)?;
    // The candidate lists of the thread's previous allocation, reused.
    let (mut candidates, mut weights) = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
    candidates.clear();
    weights.clear();
    // Members of a household are emitted together and share its weight: convert once.
    let mut last = (f64::NAN.to_bits(), 0u64);
    lever.eligible(ctx, pop, &mut |c| {
        if c.weight.to_bits() != last.0 {
            last = (c.weight.to_bits(), fixed_weight(c.weight));
        }
        candidates.push(c);
        weights.push(last.1);
    });
    let mut pool =
        Pool { candidates, weights, keyed: [false; 256], keyer: Keyer::new(ctx, lever_sub(lever.rationed_name())) };
    if allocator.phase == Phase::QuotaHistogram {
        let (cut, filled, _) = pool.cut(allocator.quota_places, |c| c.quota);
        allocator.set_cut(true, cut, filled);
    }
    let quota_cut = allocator.quota_cut;
    let target = allocator.places - allocator.quota_filled.min(allocator.places);
    let (cut, filled, eligible) = pool.cut(target, |c| !(c.quota && quota_cut.is_some_and(|q| q.selects(c))));
    allocator.eligible += eligible;
    allocator.set_cut(false, cut, filled);
    let allocation = allocator
        .allocation()
        .ok_or_else(|| Error::InvalidRequest(format!("{}: allocation incomplete", lever.rationed_name())))?;
    let Pool { candidates, weights, mut keyer, keyed } = pool;
    let chosen = candidates
        .iter()
        .filter(|c| allocation.selects(c))
        .map(|&c| {
            let mut c = c;
            if !keyed[c.class as usize] {
                c.key = keyer.key(&c);
            }
            c
        })
        .collect();
    SCRATCH.with(|s| *s.borrow_mut() = (candidates, weights));
    Ok((allocation, chosen))
}

/// Runs every summary pass of a lever's allocation over `chunks` (all the chunks of
/// the year, in any order) and returns the allocation. A single chunk is allocated in
/// memory ([`allocate_in_memory`]), with the same result.
///
/// # Errors
/// [`Error::InvalidLever`] if the lever's places are invalid.
pub fn allocate<R: Rationed + ?Sized>(lever: &R, ctx: &YearContext, chunks: &[&Population]) -> Result<Allocation> {
    if let [pop] = chunks {
        return allocate_in_memory(lever, ctx, pop, BlockShare::whole()).map(|(a, _)| a);
    }
    let mut allocator = Allocator::new(lever.rationed_name(), lever.places(ctx))?;
    while let Some(empty) = allocator.summary() {
        // Chunks in parallel, each thread summing into its own summary: histogram cells
        // and counts are integers and the marginal candidates are sorted by their total
        // order before use, so the merged summary does not depend on the merge order.
        let merged = chunks
            .par_iter()
            .fold(
                || empty.clone(),
                |mut part, pop| {
                    lever.candidates(ctx, pop, &mut |c| part.offer(&c));
                    part
                },
            )
            .reduce(
                || empty.clone(),
                |mut a, b| {
                    a.merge(b);
                    a
                },
            );
        allocator.finish_pass(merged);
    }
    allocator
        .allocation()
        .ok_or_else(|| Error::InvalidRequest(format!("{}: allocation incomplete", lever.rationed_name())))
}

/// Runs every summary pass of a lever's allocation of one block's quota (see
/// [`BlockShare`]) over the block alone and returns the allocation (in memory: see
/// [`allocate_in_memory`]).
///
/// # Errors
/// [`Error::InvalidLever`] if the lever's places are invalid.
pub fn allocate_block<R: Rationed + ?Sized>(
    lever: &R,
    ctx: &YearContext,
    pop: &Population,
    share: BlockShare,
) -> Result<Allocation> {
    allocate_in_memory(lever, ctx, pop, share).map(|(a, _)| a)
}

/// Allocates over one population by itself and applies: what a rationed lever does
/// inside [`LeverSet::apply_year`](super::LeverSet::apply_year), where the chunk is the
/// whole population. Returns the report. A lever with invalid places (already rejected
/// by its constructor) does nothing.
pub fn apply_rationed<R: Rationed + ?Sized>(
    lever: &R,
    ctx: &YearContext,
    pop: &mut Population,
    book: &mut Book<'_>,
) -> RationingReport {
    match allocate_in_memory(lever, ctx, pop, BlockShare::whole()) {
        Ok((allocation, chosen)) => {
            lever.apply_chosen(ctx, pop, &chosen, book);
            book.report_rationing(allocation.report);
            allocation.report
        }
        Err(_) => RationingReport::default(),
    }
}

pub(crate) fn invalid(lever: &str, field: &str, value: impl std::fmt::Display, problem: &str) -> Error {
    Error::InvalidLever { lever: lever.into(), field: field.into(), value: value.to_string(), problem: problem.into() }
}

/// Checks a dated amount of money: every step non-negative and steps in order.
pub(crate) fn check_dated_money(lever: &str, field: &str, d: &super::Dated<f64>) -> Result<()> {
    check_dated_order(lever, field, d)?;
    for (_, x) in d.steps() {
        super::tax::check_money(lever, field, *x)?;
    }
    Ok(())
}

/// Checks a dated rate: every step above -1 and at most [`MAX_RATE`], steps in order.
pub(crate) fn check_dated_rate(lever: &str, field: &str, d: &super::Dated<f64>) -> Result<()> {
    check_dated_order(lever, field, d)?;
    for (_, x) in d.steps() {
        check_rate(lever, field, *x)?;
    }
    Ok(())
}

/// Whether `x` is a growth rate or adjustment accepted: above -1 (a fall of less than
/// 100%) and at most [`MAX_RATE`] (+100%); a NaN is not.
pub(crate) fn is_rate(x: f64) -> bool {
    x > -1.0 && x <= MAX_RATE
}

/// Checks a growth rate or adjustment ([`is_rate`]).
pub(crate) fn check_rate(lever: &str, field: &str, x: f64) -> Result<()> {
    if !is_rate(x) {
        return Err(invalid(
            lever,
            field,
            x,
            &format!("must be a growth rate above -1 and at most {MAX_RATE} (+100%)"),
        ));
    }
    Ok(())
}

fn check_dated_order(lever: &str, field: &str, d: &super::Dated<f64>) -> Result<()> {
    let steps = d.steps();
    if steps.is_empty() {
        return Err(invalid(lever, field, "[]", "needs at least one step"));
    }
    if let Some(w) = steps.windows(2).find(|w| w[0].0 >= w[1].0) {
        return Err(invalid(lever, field, w[1].0, "dated steps must be in increasing order"));
    }
    Ok(())
}

/// Checks a month number (1–12).
pub(crate) fn check_month(lever: &str, field: &str, m: u8) -> Result<()> {
    if !(1..=12).contains(&m) {
        return Err(invalid(lever, field, m, "must be a month, 1-12"));
    }
    Ok(())
}

/// Checks a non-negative number up to [`MAX_NUMBER`] (places, factors, hours).
pub(crate) fn check_non_negative(lever: &str, field: &str, x: f64) -> Result<()> {
    if !(0.0..=MAX_NUMBER).contains(&x) {
        return Err(invalid(lever, field, x, &format!("must be a non-negative number up to {MAX_NUMBER:e}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(hid: u64, class: u8, key: u64, weight: f64, quota: bool) -> Candidate {
        Candidate { household: 0, person: 0, household_id: hid, member: 0, class, key, weight, quota }
    }

    fn run(cands: &[Candidate], places: f64, quota_share: f64) -> Allocation {
        let mut a = Allocator::new("t", Places { places, quota_share }).expect("valid");
        while let Some(mut s) = a.summary() {
            for c in cands {
                s.offer(c);
            }
            a.finish_pass(s);
        }
        a.allocation().expect("done")
    }

    #[test]
    fn fills_by_class_then_key_within_half_a_household() {
        // Weights 3, 3, 3 in class 0 and 5 in class 1; 7 places: class 0 gives 3 + 3 = 6,
        // the third (6 + 3/2 = 7.5 > 7) is not taken; class 1 is not reached.
        let cs = [
            cand(1, 0, 10, 3.0, false),
            cand(2, 0, 20, 3.0, false),
            cand(3, 0, 30, 3.0, false),
            cand(4, 1, 5, 5.0, false),
        ];
        let a = run(&cs, 7.0, 0.0);
        let chosen: Vec<bool> = cs.iter().map(|c| a.selects(c)).collect();
        assert_eq!(chosen, [true, true, false, false]);
        assert_eq!(a.report.filled, 6.0);
        assert_eq!(a.report.unfilled, 0.0);
    }

    #[test]
    fn quota_first_then_the_rest_and_unfilled_reported() {
        // 10 places, quota 10% = 1 place for the quota group; the quota candidate is in
        // class 3 and would not be reached otherwise.
        let cs = [cand(1, 0, 1, 4.0, false), cand(2, 3, 1, 1.0, true), cand(3, 0, 2, 4.0, false)];
        let a = run(&cs, 10.0, 0.1);
        assert!(cs.iter().all(|c| a.selects(c)));
        assert_eq!(a.report.quota_filled, 1.0);
        assert_eq!(a.report.filled, 9.0);
        assert_eq!(a.report.unfilled, 1.0);
        assert_eq!(a.report.eligible, 9.0);
    }

    /// A lever offering a fixed list of candidates, whatever the population.
    struct Listed(Vec<Candidate>, Places);

    impl Rationed for Listed {
        fn rationed_name(&self) -> &str {
            "listed"
        }
        fn places(&self, _ctx: &YearContext) -> Places {
            self.1
        }
        fn eligible(&self, _ctx: &YearContext, _pop: &Population, emit: &mut dyn FnMut(Candidate)) {
            self.0.iter().for_each(|c| emit(*c));
        }
        fn apply_chosen(&self, _: &YearContext, _: &mut Population, _: &[Candidate], _: &mut Book<'_>) {}
    }

    #[test]
    fn in_memory_allocation_equals_the_summary_passes() {
        let ctx = YearContext::base(2024, 11);
        let mut rng = StreamKey::new(5, 0, 0, Purpose::Lever).stream();
        // 150,000 candidates in 4 classes: several share each fine bucket of the big
        // classes, so the marginal bucket has groups; some weights are zero or tied.
        let mut list = Vec::new();
        for hid in 0..60_000u64 {
            for m in 0..(rng.next_raw() % 5) as u16 {
                let class = [0u8, 1, 1, 3][(rng.next_raw() % 4) as usize];
                let weight = match rng.next_raw() % 10 {
                    0 => 0.0,
                    1 => 2.0,
                    _ => 0.5 + 3.0 * rng.uniform(),
                };
                let quota = rng.next_raw().is_multiple_of(7);
                list.push(Candidate {
                    household: hid as usize,
                    person: 0,
                    household_id: hid * 3 + 1,
                    member: m,
                    class,
                    key: 0,
                    weight,
                    quota,
                });
            }
        }
        assert!(list.len() > 100_000);
        let total: f64 = list.iter().map(|c| c.weight).sum();
        let pop = Population::empty(0);
        for places in [0.0, 1.0, 777.25, 0.3 * total, 0.61 * total, total - 1.0, total * 2.0] {
            for quota_share in [0.0, 0.1, 0.9] {
                let lever = Listed(list.clone(), Places { places, quota_share });
                let mut allocator = Allocator::new("listed", lever.places(&ctx)).expect("valid");
                while let Some(mut s) = allocator.summary() {
                    lever.candidates(&ctx, &pop, &mut |c| s.offer(&c));
                    allocator.finish_pass(s);
                }
                let passes = allocator.allocation().expect("done");
                let (in_memory, chosen) = allocate_in_memory(&lever, &ctx, &pop, BlockShare::whole()).expect("valid");
                assert_eq!(in_memory, passes, "{places} places, quota {quota_share}");
                let mut by_passes = Vec::new();
                lever.candidates(&ctx, &pop, &mut |c| {
                    if passes.selects(&c) {
                        by_passes.push(c)
                    }
                });
                assert_eq!(chosen, by_passes, "{places} places, quota {quota_share}");
            }
        }
    }

    #[test]
    fn invalid_places_are_rejected() {
        assert!(Allocator::new("t", Places { places: -1.0, quota_share: 0.0 }).is_err());
        assert!(Allocator::new("t", Places { places: 1.0, quota_share: 1.5 }).is_err());
    }
}

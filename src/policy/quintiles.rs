//! Each lever's payments by quintile group of per-capita disposable income.
//!
//! Households of all chunks are ranked by per-capita disposable income (ties by
//! household id, so the ranking does not depend on how the population is cut into
//! chunks) and split into five groups of equal weighted numbers of households; a
//! household straddling a boundary counts in both groups by the share of its weight.
//! The three steps — [`rank`], [`split`], [`add_paid`] — are separate so that the
//! stream can time them and run each lever's sums as its own task; every caller
//! adds the same terms in the same order, so the results are bit-identical.

use rayon::prelude::*;

use super::{Chunk, Ledger, LeverRecord};
use crate::indicators::{QuintileSplitter, quintile_ends};

/// A household's place in the ranking by per-capita disposable income.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Ranked {
    /// The sort key ([`rank_key`]), computed once.
    key: u128,
    /// Chunk index.
    pub chunk: u32,
    /// Household index within its chunk.
    pub household: u32,
    /// Household weight.
    pub weight: f32,
}

impl Ranked {
    /// A household of per-capita income `per_capita` (yuan per person per year) and
    /// id `id`.
    pub(crate) fn new(per_capita: f64, id: u64, chunk: u32, household: u32, weight: f32) -> Self {
        Ranked { key: rank_key(per_capita, id), chunk, household, weight }
    }

    /// Per-capita disposable income, yuan per person per year (the very bits given).
    #[inline]
    pub(crate) fn per_capita(&self) -> f64 {
        from_total_order_bits((self.key >> 64) as u64)
    }

    /// Household id.
    #[cfg(test)]
    fn id(&self) -> u64 {
        self.key as u64
    }
}

/// The ranking's order of households as one integer: per-capita income in
/// [`f64::total_cmp`]'s order ([`total_order_bits`], the high 64 bits), ties by id (the
/// low 64 bits). Compared without a branch.
#[inline]
fn rank_key(per_capita: f64, id: u64) -> u128 {
    (total_order_bits(per_capita) as u128) << 64 | id as u128
}

/// Each household's quintile group and the weight it counts there, in household order
/// per chunk, with the further pieces of households straddling a boundary.
///
/// A household not cut by a boundary counts its whole weight in one group (none when
/// its weight is not positive), so only its group is stored, one byte; the few cut
/// households carry [`GroupShares::CUT`] and the weight of their first piece apart.
#[derive(Debug, Default)]
pub(crate) struct GroupShares {
    /// `group[chunk][household]`: the group of the household's first piece, with
    /// [`GroupShares::CUT`] set when a boundary cuts the household.
    pub group: Vec<Vec<u8>>,
    /// `(chunk, household, weight)` of the first piece of each cut household.
    pub cut_first: Vec<(u32, u32, f64)>,
    /// `(chunk, household, group, weight)` of the further pieces, in ranked order.
    pub extra: Vec<(u32, u32, u8, f64)>,
}

impl GroupShares {
    /// The mark of a household cut by a boundary in [`GroupShares::group`].
    pub const CUT: u8 = 0x80;

    /// The shares from each household's group (by [`uncut_piece`]) and the
    /// boundaries' cut households.
    fn new(mut group: Vec<Vec<u8>>, b: Boundaries) -> Self {
        for &(c, h, g, _) in &b.cut_first {
            group[c as usize][h as usize] = g | Self::CUT;
        }
        let cut_first = b.cut_first.iter().map(|&(c, h, _, take)| (c, h, take)).collect();
        GroupShares { group, cut_first, extra: b.extra }
    }

    /// The group and weight of the first piece of household `h` of chunk `c`, whose
    /// group byte is `g` and weight `weight` (as [`uncut_piece`] gives them for a
    /// household no boundary cuts).
    #[inline(always)]
    fn piece(&self, c: usize, h: usize, g: u8, weight: f32) -> (u8, f64) {
        (g & !Self::CUT, if g & Self::CUT == 0 { uncut_weight(weight) } else { self.cut_weight(c, h) })
    }

    /// [`GroupShares::piece`] of household `h` of chunk `c`.
    #[cfg(test)]
    fn first_piece(&self, c: usize, h: usize, weight: f32) -> (u8, f64) {
        self.piece(c, h, self.group[c][h], weight)
    }

    /// The weight of the first piece of a cut household (0 for one not listed).
    #[cold]
    fn cut_weight(&self, c: usize, h: usize) -> f64 {
        let key = (c as u32, h as u32);
        self.cut_first.iter().find(|&&(cc, hh, _)| (cc, hh) == key).map_or(0.0, |&(_, _, take)| take)
    }
}

/// The weight a household no boundary cuts counts in its group: its weight when
/// positive, else none (as [`uncut_piece`]).
#[inline(always)]
fn uncut_weight(weight: f32) -> f64 {
    let w = weight as f64;
    if w > 0.0 { w } else { 0.0 }
}

/// Per-capita disposable income of a chunk's household (a household without members
/// counts as one person).
#[inline]
pub(crate) fn per_capita(chunk: &Chunk, h: usize) -> f64 {
    chunk.accounts.disposable(h) / (chunk.pop.households.size[h] as f64).max(1.0)
}

/// Every chunk's households, unsorted, in chunk order, into `ranked` (its entries
/// replaced, its memory reused), returning the total weight (summed in household
/// order). The ranking is written in parallel, chunk by chunk into its own part.
pub(crate) fn rank_all_into(chunks: &[Chunk], ranked: &mut Vec<Ranked>) -> f64 {
    let mut total = 0.0;
    for chunk in chunks {
        for &w in &chunk.pop.households.weight[..chunk.pop.household_count()] {
            total += w as f64;
        }
    }
    let n = chunks.iter().map(|c| c.pop.household_count()).sum();
    // Every entry is written below: a ranking kept from last year is only cut or
    // lengthened to size, not cleared and filled anew.
    ranked.resize(n, Ranked::default());
    let mut parts = Vec::with_capacity(chunks.len());
    let mut rest = ranked.as_mut_slice();
    for chunk in chunks {
        let (head, tail) = rest.split_at_mut(chunk.pop.household_count());
        parts.push(head);
        rest = tail;
    }
    chunks.par_iter().zip(parts).enumerate().for_each(|(c, (chunk, part))| {
        for (h, r) in part.iter_mut().enumerate() {
            *r = Ranked::new(
                per_capita(chunk, h),
                chunk.pop.household_id(h),
                c as u32,
                h as u32,
                chunk.pop.households.weight[h],
            );
        }
    });
    total
}

/// Sorts a ranking by [`rank_key`]. Ids are unique, so the order is total and the
/// unstable parallel sort is deterministic.
pub(crate) fn sort(ranked: &mut [Ranked]) {
    ranked.par_sort_unstable_by_key(|r| r.key);
}

/// An unsigned key in [`f64::total_cmp`]'s order: `a.total_cmp(&b)` is
/// `total_order_bits(a).cmp(&total_order_bits(b))`.
#[inline]
fn total_order_bits(x: f64) -> u64 {
    let bits = x.to_bits();
    // Negative numbers: every bit flipped (larger magnitudes first); others: the sign bit set.
    bits ^ (((bits as i64 >> 63) as u64) | (1 << 63))
}

/// The `f64` whose [`total_order_bits`] are `key` (its inverse: every bit given back).
#[inline]
fn from_total_order_bits(key: u64) -> f64 {
    // Keys with the top bit set came from non-negative numbers (sign bit flipped);
    // the others from negative ones (every bit flipped).
    f64::from_bits(if key >> 63 == 1 { key ^ (1 << 63) } else { !key })
}

/// The ranking of all chunks, sorted, with the total weight.
pub(crate) fn rank(chunks: &[Chunk]) -> (Vec<Ranked>, f64) {
    let mut ranked = Vec::new();
    let total = rank_all_into(chunks, &mut ranked);
    sort(&mut ranked);
    (ranked, total)
}

/// What one serial pass over a sorted ranking finds: the four boundaries, the key of
/// the first household whose weight starts in each group above the lowest, and the
/// pieces of the households whose weight is cut by a boundary.
#[derive(Debug, Default)]
pub(crate) struct Boundaries {
    /// Per-capita income of the household in which the cumulative weight passes k/5.
    pub cuts: [f64; 4],
    /// The [`rank_key`] of the first household (of positive weight) whose weight
    /// starts in group 1, 2, 3, 4, as far as such households exist.
    pub starts: Vec<u128>,
    /// `(chunk, household, group, weight)`: the first piece of each household cut by a
    /// boundary, in ranked order.
    pub cut_first: Vec<(u32, u32, u8, f64)>,
    /// `(chunk, household, group, weight)`: the further pieces, in ranked order.
    pub extra: Vec<(u32, u32, u8, f64)>,
}

/// One serial pass over a sorted ranking of total weight `total` (> 0): the
/// boundaries, and with `shares` the group starts and the cut households' pieces. It
/// reads the ranking in order and writes only for the few households a boundary cuts.
pub(crate) fn boundaries(ranked: &[Ranked], total: f64, shares: bool) -> Boundaries {
    let mut out = Boundaries::default();
    let mut splitter = QuintileSplitter::new(total);
    // The groups' upper ends, `total × (g + 1) / 5`, the splitter's.
    let ends = quintile_ends(total);
    let mut cum = 0.0;
    let mut next_cut = 0;
    for r in ranked {
        let w = r.weight as f64;
        while next_cut < 4 && cum + w > ends[next_cut] {
            out.cuts[next_cut] = r.per_capita();
            next_cut += 1;
        }
        if shares {
            // The indicators' splitter, so the ledger's groups are the quintile means'.
            let (mut pieces, mut first) = (0, (0u8, 0.0));
            splitter.place(w, |g, take| {
                if pieces == 0 {
                    first = (g as u8, take);
                } else {
                    out.extra.push((r.chunk, r.household, g as u8, take));
                }
                pieces += 1;
            });
            while pieces > 0 && out.starts.len() < first.0 as usize {
                out.starts.push(r.key);
            }
            if pieces > 1 {
                out.cut_first.push((r.chunk, r.household, first.0, first.1));
            }
        }
        cum += w;
    }
    for cut in out.cuts.iter_mut().skip(next_cut) {
        *cut = ranked.last().map_or(0.0, |r| r.per_capita());
    }
    out
}

/// The group and weight of the first piece of a household not cut by a boundary, from
/// its key `(per_capita, id)` and weight: its group is the number of group starts at
/// or before it in the ranking (a household without weight has the empty piece
/// `(0, 0)`).
#[inline]
pub(crate) fn uncut_piece(per_capita: f64, id: u64, weight: f32, starts: &[u128]) -> (u8, f64) {
    let w = weight as f64;
    if w.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return (0, 0.0);
    }
    let key = rank_key(per_capita, id);
    (starts.iter().filter(|&&start| start <= key).count() as u8, w)
}

/// Splits a sorted ranking of total weight `total` (> 0) into the five groups:
/// the four boundaries (the per-capita income of the household in which the
/// cumulative weight passes k/5 of the total) and, when `shares` is asked for, each
/// household's pieces.
///
/// Households are placed in ranked order by [`QuintileSplitter`], the rule of the
/// indicators' quintile groups: a household lies in one group unless a boundary cuts
/// it. The serial pass ([`boundaries`]) only reads the ranking; the groups are then written
/// chunk by chunk in household order, in parallel, from each household's key
/// ([`uncut_piece`]), and the few cut households are set last. Weights are finite and
/// not negative (the population's invariant), so the cumulative weight never
/// decreases and each group is one run of the ranking.
pub(crate) fn split(ranked: &[Ranked], total: f64, chunks: &[Chunk], shares: bool) -> ([f64; 4], GroupShares) {
    let b = boundaries(ranked, total, shares);
    let cuts = b.cuts;
    if !shares {
        return (cuts, GroupShares::default());
    }
    let group = chunks
        .par_iter()
        .map(|chunk| {
            let hh = &chunk.pop.households;
            (0..chunk.pop.household_count())
                .map(|h| uncut_piece(per_capita(chunk, h), chunk.pop.household_id(h), hh.weight[h], &b.starts).0)
                .collect()
        })
        .collect();
    (cuts, GroupShares::new(group, b))
}

/// Adds lever `lever`'s payments to its record's `paid_by_quintile`: chunk by chunk,
/// the households it paid in order (each chunk's [`Chunk::paid_lists`]; the households it did
/// not pay would each add ±0, which changes no sum), then the further pieces of
/// households straddling a boundary.
pub(crate) fn add_paid(record: &mut LeverRecord, lever: usize, chunks: &[Chunk], shares: &GroupShares) {
    // The groups' sums in a local array (stored back once): the same additions in the
    // same order.
    let mut by_group = record.paid_by_quintile;
    for (c, (chunk, groups)) in chunks.iter().zip(&shares.group).enumerate() {
        let Some(paid) = chunk.paid_lists.get(lever) else { continue };
        let n = groups.len().min(chunk.pop.households.weight.len());
        let (groups, weights) = (&groups[..n], &chunk.pop.households.weight[..n]);
        for (h, amount) in paid.iter().take_while(|&(h, _)| h < n) {
            let (g, take) = shares.piece(c, h, groups[h], weights[h]);
            by_group[g as usize] += take * amount;
        }
    }
    record.paid_by_quintile = by_group;
    for &(c, h, g, take) in &shares.extra {
        if let Some(paid) = chunks[c as usize].paid_lists.get(lever) {
            record.paid_by_quintile[g as usize] += take * paid.amount(h as usize);
        }
    }
}

/// Fills each record's `paid_by_quintile` from the ranking of all chunks' households
/// (see the module page) and returns the per-capita incomes at the four boundaries
/// (see [`paid_by_quintile_with_cuts`]), all 0 for a population without weight.
pub fn paid_by_quintile(chunks: &[Chunk], ledger: &mut Ledger) -> [f64; 4] {
    let (ranked, total) = rank(chunks);
    if total <= 0.0 {
        return [0.0; 4];
    }
    let (cuts, shares) = split(&ranked, total, chunks, !ledger.records.is_empty());
    drop(ranked);
    ledger.records.par_iter_mut().enumerate().for_each(|(l, record)| add_paid(record, l, chunks, &shares));
    cuts
}

/// The quintile group (0 lowest) of a per-capita income under the upper bounds `cuts` of
/// the four lower groups: the number of bounds at or below it (as the stream's ledger
/// places a household).
pub fn quintile_of(per_capita: f64, cuts: &[f64; 4]) -> usize {
    cuts.partition_point(|&c| c <= per_capita)
}

/// The quintile group (0 lowest) of household `h` of a chunk whose levers ran, by its
/// per-capita disposable income under the bounds `cuts` ([`quintile_of`]).
pub(crate) fn group_with_cuts(chunk: &Chunk, h: usize, cuts: &[f64; 4]) -> usize {
    quintile_of(per_capita(chunk, h), cuts)
}

/// Adds one chunk's payments to each record's `paid_by_quintile` with fixed quintile
/// boundaries (per-capita disposable income, yuan per person per year, as
/// [`paid_by_quintile`] returns them for a sample of the same population): a household
/// with income below `cuts[0]` is in the lowest group, at or above `cuts[3]` in the
/// highest. A streamed run, which never holds the whole population, fixes the
/// boundaries on its pilot sample; the groups then hold equal weights only up to the
/// sampling error of the boundaries.
pub fn paid_by_quintile_with_cuts(chunk: &Chunk, cuts: &[f64; 4], ledger: &mut Ledger) {
    let weights = &chunk.pop.households.weight[..chunk.pop.household_count()];
    let groups: Vec<u8> = (0..weights.len()).map(|h| group_with_cuts(chunk, h, cuts) as u8).collect();
    // Lever by lever, the households paid in order, the groups' sums in a local array
    // (the households not paid would each add ±0, which changes no sum).
    for (record, paid) in ledger.records.iter_mut().zip(&chunk.paid_lists) {
        let mut by_group = record.paid_by_quintile;
        for (h, amount) in paid.iter().take_while(|&(h, _)| h < groups.len()) {
            by_group[groups[h] as usize] += weights[h] as f64 * amount;
        }
        record.paid_by_quintile = by_group;
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Every household's first piece `(group, weight)` and the further pieces.
    struct Pieces {
        first: Vec<Vec<(u8, f64)>>,
        extra: Vec<(u32, u32, u8, f64)>,
    }

    /// The split household by household, piece by piece, written straight into each
    /// household's place: what [`split`] must reproduce bit for bit.
    fn split_household_by_household(ranked: &[Ranked], total: f64, households: &[usize]) -> Pieces {
        let mut out = Pieces { first: households.iter().map(|&n| vec![(0, 0.0); n]).collect(), extra: Vec::new() };
        let mut splitter = QuintileSplitter::new(total);
        for r in ranked {
            let mut pieces = 0;
            splitter.place(r.weight as f64, |g, take| {
                if pieces == 0 {
                    out.first[r.chunk as usize][r.household as usize] = (g as u8, take);
                } else {
                    out.extra.push((r.chunk, r.household, g as u8, take));
                }
                pieces += 1;
            });
        }
        out
    }

    proptest! {
        #[test]
        fn total_order_bits_order_as_total_cmp(a in proptest::num::f64::ANY, b in proptest::num::f64::ANY) {
            prop_assert_eq!(total_order_bits(a).cmp(&total_order_bits(b)), a.total_cmp(&b));
            prop_assert_eq!(total_order_bits(a).cmp(&total_order_bits(-0.0)), a.total_cmp(&-0.0));
        }

        /// A ranked household gives back the very bits of its income and its id, and
        /// ranked households sort as `(income by total_cmp, id)`.
        #[test]
        fn a_ranked_household_keeps_its_income_and_id(
            a in proptest::num::f64::ANY,
            b in proptest::num::f64::ANY,
            ids in (any::<u64>(), any::<u64>()),
        ) {
            let (ra, rb) = (Ranked::new(a, ids.0, 1, 2, 3.0), Ranked::new(b, ids.1, 0, 0, 0.0));
            prop_assert_eq!(ra.per_capita().to_bits(), a.to_bits());
            prop_assert_eq!(ra.id(), ids.0);
            prop_assert_eq!(ra.key.cmp(&rb.key), a.total_cmp(&b).then(ids.0.cmp(&ids.1)));
        }
    }

    #[test]
    fn ranked_incomes_keep_their_bits_at_the_edges() {
        for x in [
            0.0,
            -0.0,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            5e-324,
            -5e-324,
            f64::MAX,
            f64::MIN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -f64::NAN,
            12_345.678,
        ] {
            assert_eq!(Ranked::new(x, 7, 0, 0, 1.0).per_capita().to_bits(), x.to_bits(), "{x}");
        }
    }

    /// Households `(per_capita, weight)` of each chunk: a coarse income grid gives
    /// ties (broken by id), and equal weights make boundaries fall exactly between
    /// households as well as inside them.
    fn chunks_strategy() -> impl Strategy<Value = Vec<Vec<(f64, f32)>>> {
        let household = (0u32..40, prop_oneof![Just(1.0f32), Just(2.5f32), 0.01f32..300.0]);
        prop::collection::vec(prop::collection::vec(household.prop_map(|(p, w)| (p as f64 * 250.0, w)), 0..60), 1..6)
    }

    proptest! {
        #[test]
        fn split_writes_the_pieces_of_the_definition(chunks in chunks_strategy()) {
            let mut ranked = Vec::new();
            let mut total = 0.0;
            for (c, hh) in chunks.iter().enumerate() {
                for (h, &(per_capita, weight)) in hh.iter().enumerate() {
                    let id = (c * 1000 + h) as u64 * 7919 % 100_003;
                    ranked.push(Ranked::new(per_capita, id, c as u32, h as u32, weight));
                    total += weight as f64;
                }
            }
            prop_assume!(total > 0.0);
            sort(&mut ranked);
            let households: Vec<usize> = chunks.iter().map(Vec::len).collect();
            let expected = split_household_by_household(&ranked, total, &households);
            let b = boundaries(&ranked, total, true);
            // The groups as `split` writes them, then each household's first piece.
            let group = chunks
                .iter()
                .enumerate()
                .map(|(c, hh)| {
                    hh.iter()
                        .enumerate()
                        .map(|(h, &(p, w))| uncut_piece(p, (c * 1000 + h) as u64 * 7919 % 100_003, w, &b.starts).0)
                        .collect()
                })
                .collect();
            let shares = GroupShares::new(group, b);
            let first: Vec<Vec<(u8, f64)>> = chunks
                .iter()
                .enumerate()
                .map(|(c, hh)| hh.iter().enumerate().map(|(h, &(_, w))| shares.first_piece(c, h, w)).collect())
                .collect();
            let bits = |v: &Vec<Vec<(u8, f64)>>| -> Vec<Vec<(u8, u64)>> {
                v.iter().map(|c| c.iter().map(|&(g, t)| (g, t.to_bits())).collect()).collect()
            };
            prop_assert_eq!(bits(&first), bits(&expected.first));
            let extra = |v: &[(u32, u32, u8, f64)]| -> Vec<(u32, u32, u8, u64)> {
                v.iter().map(|&(c, h, g, t)| (c, h, g, t.to_bits())).collect()
            };
            prop_assert_eq!(extra(&shares.extra), extra(&expected.extra));
            // The groups hold a fifth of the weight each, and each household's pieces
            // are where its stretch of the cumulative weight meets each group's.
            let mut groups = [0.0f64; 5];
            let mut by_household: Vec<Vec<[f64; 5]>> = households.iter().map(|&n| vec![[0.0; 5]; n]).collect();
            let pieces = first.iter().enumerate().flat_map(|(c, v)| {
                v.iter().enumerate().map(move |(h, &(g, t))| (c as u32, h as u32, g, t))
            });
            for (c, h, g, t) in pieces.chain(shares.extra.iter().copied()) {
                groups[g as usize] += t;
                by_household[c as usize][h as usize][g as usize] += t;
            }
            for g in groups {
                prop_assert!((g - total / 5.0).abs() <= 1e-9 * total, "{groups:?} of {total}");
            }
            let mut cum = 0.0;
            for r in &ranked {
                let (start, end) = (cum, cum + r.weight as f64);
                for (g, &got) in by_household[r.chunk as usize][r.household as usize].iter().enumerate() {
                    let lo = if g == 0 { f64::NEG_INFINITY } else { total * g as f64 / 5.0 };
                    let hi = if g == 4 { f64::INFINITY } else { total * (g + 1) as f64 / 5.0 };
                    let want = (end.min(hi) - start.max(lo)).max(0.0);
                    prop_assert!((got - want).abs() <= 1e-9 * total, "group {g}: {got} against {want}");
                }
                cum = end;
            }
        }
    }
}

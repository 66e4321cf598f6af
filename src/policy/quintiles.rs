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

/// A household's place in the ranking by per-capita disposable income.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ranked {
    /// Per-capita disposable income, yuan per person per year.
    pub per_capita: f64,
    /// Household id (breaks ties).
    pub id: u64,
    /// Chunk index.
    pub chunk: u32,
    /// Household index within its chunk.
    pub household: u32,
    /// Household weight.
    pub weight: f32,
}

/// Each household's quintile group and the weight it counts there, in household order
/// per chunk, with the further pieces of households straddling a boundary.
#[derive(Debug, Default)]
pub(crate) struct GroupShares {
    /// `first[chunk][household]`: the group of the household's first piece and its weight.
    pub first: Vec<Vec<(u8, f64)>>,
    /// `(chunk, household, group, weight)` of the further pieces, in ranked order.
    pub extra: Vec<(u32, u32, u8, f64)>,
}

/// Per-capita disposable income of a chunk's household (a household without members
/// counts as one person).
#[inline]
pub(crate) fn per_capita(chunk: &Chunk, h: usize) -> f64 {
    chunk.accounts.disposable(h) / (chunk.pop.households.size[h] as f64).max(1.0)
}

/// The households of one chunk in household order, unsorted.
pub(crate) fn rank_chunk(c: usize, chunk: &Chunk) -> Vec<Ranked> {
    (0..chunk.pop.household_count())
        .map(|h| Ranked {
            per_capita: per_capita(chunk, h),
            id: chunk.pop.household_id(h),
            chunk: c as u32,
            household: h as u32,
            weight: chunk.pop.households.weight[h],
        })
        .collect()
}

/// Joins the chunks' unsorted rankings in chunk order and returns them with the total
/// weight (summed in household order).
pub(crate) fn join(blocks: Vec<Vec<Ranked>>) -> (Vec<Ranked>, f64) {
    let mut ranked = Vec::with_capacity(blocks.iter().map(Vec::len).sum());
    let mut total = 0.0;
    for block in blocks {
        for r in &block {
            total += r.weight as f64;
        }
        ranked.extend(block);
    }
    (ranked, total)
}

/// Sorts a ranking by per-capita income, ties by id. Ids are unique, so the order is
/// total and the unstable parallel sort is deterministic.
pub(crate) fn sort(ranked: &mut [Ranked]) {
    ranked.par_sort_unstable_by(|a, b| a.per_capita.total_cmp(&b.per_capita).then(a.id.cmp(&b.id)));
}

/// The ranking of all chunks, sorted, with the total weight.
pub(crate) fn rank(chunks: &[Chunk]) -> (Vec<Ranked>, f64) {
    let (mut ranked, total) = join(chunks.par_iter().enumerate().map(|(c, chunk)| rank_chunk(c, chunk)).collect());
    sort(&mut ranked);
    (ranked, total)
}

/// Splits a sorted ranking of total weight `total` (> 0) into the five groups:
/// the four boundaries (the per-capita income of the household in which the
/// cumulative weight passes k/5 of the total) and, when `shares` is asked for, each
/// household's pieces. `households[c]` is the number of households of chunk `c`.
pub(crate) fn split(ranked: &[Ranked], total: f64, households: &[usize], shares: bool) -> ([f64; 4], GroupShares) {
    let mut cuts = [0.0; 4];
    let mut out = GroupShares::default();
    if shares {
        out.first = households.iter().map(|&n| vec![(0, 0.0); n]).collect();
    }
    let mut cum = 0.0;
    let mut next_cut = 0;
    for r in ranked {
        let w = r.weight as f64;
        while next_cut < 4 && cum + w > total * (next_cut + 1) as f64 / 5.0 {
            cuts[next_cut] = r.per_capita;
            next_cut += 1;
        }
        if shares {
            let (mut start, mut remaining) = (cum, w);
            let mut piece = 0;
            while remaining > 0.0 {
                let g = ((start / total * 5.0).floor() as usize).min(4);
                let end = total * (g + 1) as f64 / 5.0;
                let take = if g == 4 { remaining } else { remaining.min(end - start) };
                let take = if take <= 0.0 { remaining } else { take };
                if piece == 0 {
                    out.first[r.chunk as usize][r.household as usize] = (g as u8, take);
                } else {
                    out.extra.push((r.chunk, r.household, g as u8, take));
                }
                piece += 1;
                remaining -= take;
                start += take;
            }
        }
        cum += w;
    }
    for cut in cuts.iter_mut().skip(next_cut) {
        *cut = ranked.last().map_or(0.0, |r| r.per_capita);
    }
    (cuts, out)
}

/// Adds lever `lever`'s payments to its record's `paid_by_quintile`: chunk by chunk,
/// households in order (a chunk where the lever paid nothing adds nothing), then the
/// further pieces of households straddling a boundary.
pub(crate) fn add_paid(record: &mut LeverRecord, lever: usize, chunks: &[Chunk], shares: &GroupShares) {
    for (chunk, groups) in chunks.iter().zip(&shares.first) {
        let Some(paid) = chunk.columns.paid.get(lever).filter(|p| p.iter().any(|&x| x != 0.0)) else { continue };
        for (&x, &(g, take)) in paid.iter().zip(groups) {
            if x != 0.0 {
                record.paid_by_quintile[g as usize] += take * x;
            }
        }
    }
    for &(c, h, g, take) in &shares.extra {
        if let Some(paid) = chunks[c as usize].columns.paid.get(lever) {
            record.paid_by_quintile[g as usize] += take * paid[h as usize];
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
    let households: Vec<usize> = chunks.iter().map(|c| c.pop.household_count()).collect();
    let (cuts, shares) = split(&ranked, total, &households, !ledger.records.is_empty());
    drop(ranked);
    ledger.records.par_iter_mut().enumerate().for_each(|(l, record)| add_paid(record, l, chunks, &shares));
    cuts
}

/// Adds one chunk's payments to each record's `paid_by_quintile` with fixed quintile
/// boundaries (per-capita disposable income, yuan per person per year, as
/// [`paid_by_quintile`] returns them for a sample of the same population): a household
/// with income below `cuts[0]` is in the lowest group, at or above `cuts[3]` in the
/// highest. A streamed run, which never holds the whole population, fixes the
/// boundaries on its pilot sample; the groups then hold equal weights only up to the
/// sampling error of the boundaries.
pub fn paid_by_quintile_with_cuts(chunk: &Chunk, cuts: &[f64; 4], ledger: &mut Ledger) {
    let groups: Vec<(usize, f64)> = (0..chunk.pop.household_count())
        .map(|h| (cuts.partition_point(|&c| c <= per_capita(chunk, h)), chunk.pop.households.weight[h] as f64))
        .collect();
    // Lever by lever, households in order; a lever that paid nothing adds nothing.
    for (record, paid) in ledger.records.iter_mut().zip(&chunk.columns.paid) {
        if paid.iter().all(|&x| x == 0.0) {
            continue;
        }
        for (&x, &(g, w)) in paid.iter().zip(&groups) {
            if x != 0.0 {
                record.paid_by_quintile[g] += w * x;
            }
        }
    }
}

//! A mergeable sketch of an income distribution: weighted households, persons and
//! income in fixed bins of per-capita income, for the median, quintile means, Gini
//! and Lorenz curve without keeping every household.
//!
//! ## Bins
//!
//! Per-capita incomes `y` with `|y| ≥ 1` yuan fall in log-spaced bins read from the
//! bits of the `f64`: the binary exponent of `|y|` and its top [`MANTISSA_BITS`]
//! mantissa bits, so a bin `[a, b)` (or `(−b, −a]` for negative incomes) has
//! `b / a − 1 ≤ 2^−MANTISSA_BITS` ([`RELATIVE_WIDTH`], 0.39%). Incomes of
//! [`OCTAVES`] octaves are covered (`|y| < 2^40` ≈ 1.1 × 10¹² yuan); larger ones share
//! the top bin of their sign. Incomes in `(−1, 1)` share one linear bin around zero.
//! Bins are stored in pages of [`PAGE_BINS`] neighbouring bins (1.25 KB), each allocated
//! the first time an income falls in it: a sketch of a realistic population holds
//! 50–170 KB (see [`IncomeSketch::memory_bytes`]), and adding to a bin already touched
//! allocates nothing.
//!
//! Each bin keeps the household weight, persons (weight × size) and income (persons ×
//! per-capita income) as fixed-point integers (2⁻²⁴ household or person, 2⁻⁸ yuan),
//! and the smallest and largest income it has seen. Integer sums and min/max are
//! exact, associative and commutative, so a sketch depends only on the set of
//! households added: any split into blocks, merged in any order, gives a
//! bit-identical sketch. Each household's terms are truncated to the fixed point
//! once, when it is added: weights that are multiples of 2⁻²⁴ (every `f32` weight ≥ ½)
//! are kept exactly, and income loses less than 2⁻⁸ yuan per household. Sums wrap
//! beyond 2³⁹ ≈ 5.5 × 10¹¹ households or persons, or 3.6 × 10¹⁶ yuan, in one sketch.
//!
//! ## Error bounds
//!
//! Statistics come from a [`BinnedDistribution`] (one sketch, or several scaled and
//! pooled). Ranks are exact up to the order of households within a bin, so every
//! error comes from the bins where a rank boundary falls, and is bounded from the
//! sketch itself (the `*_bound` methods), with `lo`, `hi` the smallest and largest
//! income seen in a bin:
//!
//! * **Median** (NBS: per-capita income of the middle household): the bin where the
//!   cumulative household weight reaches half is exact; the value is interpolated
//!   between its `lo` and `hi`. Error ≤ `hi − lo` of that bin ≤ [`RELATIVE_WIDTH`] ×
//!   |median| (or 2 yuan in the zero bin). Exact when that bin holds one income.
//! * **Quintile means** (households ranked, five groups of equal household weight,
//!   income over persons): bins inside a group count exactly; a bin across a group
//!   boundary is split in proportion to household weight (its persons and income
//!   alike). With `A` the bins wholly inside the group (persons `P_A`, mean `M_A`), the
//!   error is at most `2 Σ_b P_b · max(|lo_b − M_A|, |hi_b − M_A|) / P_A` over the
//!   boundary bins `b`, and at most the range `hi − lo` of the bins the group touches.
//!   Exact when each boundary bin holds households of one income and one size.
//! * **Gini**: the Gini of the bins as points at their means (between-bin Gini) is
//!   computed exactly. Because bins do not overlap, the exact Gini adds only the
//!   within-bin term `Σ_b p_b² D_b / (2μ)` (`p_b` person share, `D_b` the mean absolute
//!   difference within the bin, at most `(hi_b − lo_b)/2`), so the sketch Gini is at or
//!   below the exact one (above it if the mean `μ` is negative), by at most
//!   `Σ_b p_b² (hi_b − lo_b) / (4|μ|)`; for positive incomes this is below
//!   `RELATIVE_WIDTH / 4 · max_b p_b`.
//! * **Lorenz curve**: linear within a bin instead of within a household; each
//!   ordinate is off by at most `max_b P_b (hi_b − lo_b) / (4|Y|)` (`Y` total income).
//!
//! Besides, sums of income carry the fixed point's truncation (under 2⁻⁸ yuan per
//! household), which matters only when total income is near zero.
//!
//! The Theil index is not taken from the sketch: it is exact from sums
//! (`Σ p·y·ln y` over positive incomes, see [`super::GroupSums`]).

use super::stats::QuintileSplitter;
use std::fmt;

/// Mantissa bits of `|y|` that pick a bin within an octave: 2⁸ = 256 bins per octave.
pub const MANTISSA_BITS: u32 = 8;

/// Bound on a bin's relative width `b / a − 1`: `2^−MANTISSA_BITS`.
pub const RELATIVE_WIDTH: f64 = 1.0 / (1u64 << MANTISSA_BITS) as f64;

/// Octaves of `|y|` covered by separate bins: `1 ≤ |y| < 2^OCTAVES` yuan.
pub const OCTAVES: usize = 40;

/// Bins per octave.
const OCTAVE_BINS: usize = 1 << MANTISSA_BITS;

/// Bins per page of storage (an eighth of an octave).
pub const PAGE_BINS: usize = 32;

/// Pages per sign.
const PAGES: usize = OCTAVES * OCTAVE_BINS / PAGE_BINS;

/// Fixed-point scale of household and person weights: 2²⁴ units per household.
const WEIGHT_SCALE: f64 = (1u64 << 24) as f64;

/// Fixed-point scale of income: 2⁸ units per yuan.
const INCOME_SCALE: f64 = (1u64 << 8) as f64;

/// One bin: fixed-point sums and the range of incomes seen.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Bin {
    households: i64,
    persons: i64,
    income: i64,
    lo: f64,
    hi: f64,
}

impl Bin {
    const EMPTY: Bin = Bin { households: 0, persons: 0, income: 0, lo: f64::INFINITY, hi: f64::NEG_INFINITY };

    #[inline]
    fn is_empty(&self) -> bool {
        self.lo > self.hi
    }

    #[inline]
    fn add(&mut self, y: f64, households: i64, persons: i64, income: i64) {
        self.households = self.households.wrapping_add(households);
        self.persons = self.persons.wrapping_add(persons);
        self.income = self.income.wrapping_add(income);
        self.lo = self.lo.min(y);
        self.hi = self.hi.max(y);
    }

    #[inline]
    fn merge(&mut self, other: &Bin) {
        self.households = self.households.wrapping_add(other.households);
        self.persons = self.persons.wrapping_add(other.persons);
        self.income = self.income.wrapping_add(other.income);
        self.lo = self.lo.min(other.lo);
        self.hi = self.hi.max(other.hi);
    }
}

type Page = Box<[Bin; PAGE_BINS]>;

/// Where an income falls: the zero bin, or a sign and the bin `octave × bins per
/// octave + bin within the octave` (increasing with `|y|`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Zero,
    Positive(usize),
    Negative(usize),
}

#[inline]
fn slot(y: f64) -> Slot {
    let a = y.abs();
    if a < 1.0 {
        return Slot::Zero;
    }
    let bits = a.to_bits();
    // a ≥ 1, so the biased exponent is at least 1023.
    let exponent = ((bits >> 52) as usize) - 1023;
    let (octave, bin) = if exponent < OCTAVES {
        (exponent, ((bits >> (52 - MANTISSA_BITS)) as usize) & (OCTAVE_BINS - 1))
    } else {
        (OCTAVES - 1, OCTAVE_BINS - 1)
    };
    let k = octave * OCTAVE_BINS + bin;
    if y > 0.0 { Slot::Positive(k) } else { Slot::Negative(k) }
}

/// Mergeable sketch of the distribution of per-capita income over households and
/// persons (see the module docs for bins, exactness and error bounds).
///
/// `add` one household at a time, `merge` sketches of other blocks; then read the
/// statistics through [`BinnedDistribution`].
#[derive(Clone, PartialEq)]
pub struct IncomeSketch {
    positive: Vec<Option<Page>>,
    negative: Vec<Option<Page>>,
    zero: Bin,
}

impl Default for IncomeSketch {
    fn default() -> Self {
        IncomeSketch { positive: vec![None; PAGES], negative: vec![None; PAGES], zero: Bin::EMPTY }
    }
}

impl fmt::Debug for IncomeSketch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (mut bins, mut households) = (0usize, 0i64);
        self.for_each_bin(|_, b| {
            bins += 1;
            households = households.wrapping_add(b.households);
        });
        f.debug_struct("IncomeSketch")
            .field("bins", &bins)
            .field("households", &(households as f64 / WEIGHT_SCALE))
            .finish()
    }
}

/// A value converted to fixed point, truncated toward zero (saturating at the ends).
#[inline]
fn fixed(x: f64, scale: f64) -> i64 {
    (x * scale) as i64
}

impl IncomeSketch {
    /// An empty sketch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one household: its per-capita income (yuan per person per year), its
    /// weight and its persons (weight × size). A non-finite income counts as 0 (NaN)
    /// or as the largest finite income of its sign.
    #[inline]
    pub fn add(&mut self, per_capita: f64, weight: f64, persons: f64) {
        let y = if per_capita.is_finite() {
            per_capita
        } else if per_capita.is_nan() {
            0.0
        } else {
            f64::MAX.copysign(per_capita)
        };
        let h = fixed(weight, WEIGHT_SCALE);
        let p = fixed(persons, WEIGHT_SCALE);
        let i = fixed(persons * y, INCOME_SCALE);
        self.bin_mut(slot(y)).add(y, h, p, i);
    }

    #[inline]
    fn bin_mut(&mut self, s: Slot) -> &mut Bin {
        let (pages, k) = match s {
            Slot::Zero => return &mut self.zero,
            Slot::Positive(k) => (&mut self.positive, k),
            Slot::Negative(k) => (&mut self.negative, k),
        };
        let page = pages[k / PAGE_BINS].get_or_insert_with(|| Box::new([Bin::EMPTY; PAGE_BINS]));
        &mut page[k % PAGE_BINS]
    }

    /// Adds the households of another sketch. The result does not depend on the order
    /// of merges (the sums are exact).
    pub fn merge(&mut self, other: &IncomeSketch) {
        self.zero.merge(&other.zero);
        for (mine, theirs) in [(&mut self.positive, &other.positive), (&mut self.negative, &other.negative)] {
            for (a, b) in mine.iter_mut().zip(theirs) {
                match (a.as_mut(), b) {
                    (_, None) => {}
                    (None, Some(b)) => *a = Some(b.clone()),
                    (Some(a), Some(b)) => {
                        for (x, y) in a.iter_mut().zip(b.iter()) {
                            x.merge(y);
                        }
                    }
                }
            }
        }
    }

    /// Bytes held by the sketch, its pages included.
    pub fn memory_bytes(&self) -> usize {
        let pages = self.positive.iter().chain(&self.negative).filter(|p| p.is_some()).count();
        std::mem::size_of::<Self>()
            + (self.positive.len() + self.negative.len()) * std::mem::size_of::<Option<Page>>()
            + pages * std::mem::size_of::<[Bin; PAGE_BINS]>()
    }

    /// Whether no household was added.
    pub fn is_empty(&self) -> bool {
        let mut empty = true;
        self.for_each_bin(|_, _| empty = false);
        empty
    }

    /// Visits the non-empty bins in increasing order of income, with a rank that
    /// increases with income (the same for the same bin of any sketch).
    fn for_each_bin(&self, mut f: impl FnMut(usize, &Bin)) {
        let zero = PAGES * PAGE_BINS;
        for (o, page) in self.negative.iter().enumerate().rev() {
            if let Some(page) = page {
                for (b, bin) in page.iter().enumerate().rev() {
                    if !bin.is_empty() {
                        f(zero - 1 - (o * PAGE_BINS + b), bin);
                    }
                }
            }
        }
        if !self.zero.is_empty() {
            f(zero, &self.zero);
        }
        for (o, page) in self.positive.iter().enumerate() {
            if let Some(page) = page {
                for (b, bin) in page.iter().enumerate() {
                    if !bin.is_empty() {
                        f(zero + 1 + o * PAGE_BINS + b, bin);
                    }
                }
            }
        }
    }
}

/// One non-empty bin of a [`BinnedDistribution`], in floating point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IncomeBin {
    /// Smallest per-capita income in the bin, yuan.
    pub lo: f64,
    /// Largest per-capita income in the bin, yuan.
    pub hi: f64,
    /// Household weight.
    pub households: f64,
    /// Persons (weight × size).
    pub persons: f64,
    /// Income: persons × per-capita income, yuan.
    pub income: f64,
}

/// Quintile group means with their error bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuintileMeans {
    /// The five group means, lowest first, yuan per person.
    pub means: [f64; 5],
    /// Persons in each group.
    pub persons: [f64; 5],
    /// Bound on the absolute error of each mean, yuan per person.
    pub bounds: [f64; 5],
}

/// The bins of one or more sketches, scaled and pooled, in increasing order of income:
/// what the distribution statistics are read from (see the module docs for the
/// error bounds).
#[derive(Debug, Clone, PartialEq)]
pub struct BinnedDistribution {
    bins: Vec<IncomeBin>,
    households: f64,
    persons: f64,
    income: f64,
}

fn ratio(a: f64, b: f64) -> f64 {
    if b != 0.0 { a / b } else { 0.0 }
}

impl BinnedDistribution {
    /// The distribution of one sketch.
    pub fn of(sketch: &IncomeSketch) -> Self {
        Self::pooled(&[(sketch, 1.0)])
    }

    /// The distribution of several sketches, each with its weights multiplied by a
    /// scale (the `all` group reweighted to a survey's urban share). Bins of the same
    /// income are pooled in the order of `parts`.
    pub fn pooled(parts: &[(&IncomeSketch, f64)]) -> Self {
        let mut ranked: Vec<(usize, IncomeBin)> = Vec::new();
        for &(sketch, k) in parts {
            sketch.for_each_bin(|rank, b| {
                ranked.push((
                    rank,
                    IncomeBin {
                        lo: b.lo,
                        hi: b.hi,
                        households: k * (b.households as f64 / WEIGHT_SCALE),
                        persons: k * (b.persons as f64 / WEIGHT_SCALE),
                        income: k * (b.income as f64 / INCOME_SCALE),
                    },
                ));
            });
        }
        // Stable: equal ranks keep the order of `parts`.
        ranked.sort_by_key(|(rank, _)| *rank);
        let mut bins: Vec<IncomeBin> = Vec::with_capacity(ranked.len());
        let mut last_rank = None;
        for (rank, b) in ranked {
            match bins.last_mut() {
                Some(a) if last_rank == Some(rank) => {
                    a.lo = a.lo.min(b.lo);
                    a.hi = a.hi.max(b.hi);
                    a.households += b.households;
                    a.persons += b.persons;
                    a.income += b.income;
                }
                _ => bins.push(b),
            }
            last_rank = Some(rank);
        }
        let (mut households, mut persons, mut income) = (0.0, 0.0, 0.0);
        for b in &bins {
            households += b.households;
            persons += b.persons;
            income += b.income;
        }
        BinnedDistribution { bins, households, persons, income }
    }

    /// The non-empty bins, lowest income first.
    pub fn bins(&self) -> &[IncomeBin] {
        &self.bins
    }

    /// Total household weight.
    pub fn households(&self) -> f64 {
        self.households
    }

    /// Total persons.
    pub fn persons(&self) -> f64 {
        self.persons
    }

    /// Total income (persons × per-capita income), yuan.
    pub fn income(&self) -> f64 {
        self.income
    }

    /// The bin where the cumulative household weight first reaches half the total,
    /// with the weight before it.
    fn median_bin(&self) -> Option<(&IncomeBin, f64)> {
        let half = self.households / 2.0;
        let mut cum = 0.0;
        for b in &self.bins {
            if b.households > 0.0 && cum + b.households >= half {
                return Some((b, cum));
            }
            cum += b.households;
        }
        None
    }

    /// The NBS median: per-capita income of the household in the middle (households
    /// ranked by per-capita income, each counting its weight), interpolated within its
    /// bin; 0 without households.
    pub fn median(&self) -> f64 {
        match self.median_bin() {
            Some((b, cum)) => {
                let within = ((self.households / 2.0 - cum) / b.households).clamp(0.0, 1.0);
                if b.lo == b.hi { b.lo } else { b.lo + (b.hi - b.lo) * within }
            }
            None => 0.0,
        }
    }

    /// Bound on the absolute error of [`Self::median`]: the range of its bin.
    pub fn median_bound(&self) -> f64 {
        self.median_bin().map_or(0.0, |(b, _)| b.hi - b.lo)
    }

    /// NBS quintile group means (households ranked, five groups of equal household
    /// weight, each group's income over its persons), with error bounds. A bin across
    /// a group boundary is split in proportion to household weight.
    pub fn quintile_means(&self) -> QuintileMeans {
        let total = self.households;
        let mut income = [0.0f64; 5];
        let mut persons = [0.0f64; 5];
        // Per group: bins wholly inside (persons, income), bins split across its
        // boundaries, and the range of incomes it touches.
        let mut inner = [(0.0f64, 0.0f64); 5];
        let mut split: [Vec<&IncomeBin>; 5] = Default::default();
        let mut range = [(f64::INFINITY, f64::NEG_INFINITY); 5];
        if total > 0.0 {
            let mut groups = QuintileSplitter::new(total);
            for b in self.bins.iter().filter(|b| b.households > 0.0) {
                let mut touched = [false; 5];
                groups.place(b.households, |group, take| {
                    income[group] += b.income * take / b.households;
                    persons[group] += b.persons * take / b.households;
                    range[group] = (range[group].0.min(b.lo), range[group].1.max(b.hi));
                    touched[group] = true;
                });
                if touched.iter().filter(|&&t| t).count() == 1 {
                    let g = touched.iter().position(|&t| t).unwrap_or(0);
                    inner[g].0 += b.persons;
                    inner[g].1 += b.income;
                } else {
                    (0..5).filter(|&g| touched[g]).for_each(|g| split[g].push(b));
                }
            }
        }
        let means = std::array::from_fn(|g| ratio(income[g], persons[g]));
        let bounds = std::array::from_fn(|g| {
            let (lo, hi) = range[g];
            let hull = if hi >= lo { hi - lo } else { 0.0 };
            let (p_a, i_a) = inner[g];
            if p_a > 0.0 {
                let m_a = i_a / p_a;
                let spill: f64 = split[g].iter().map(|b| b.persons * (b.lo - m_a).abs().max((b.hi - m_a).abs())).sum();
                hull.min(2.0 * spill / p_a)
            } else {
                hull
            }
        });
        QuintileMeans { means, persons, bounds }
    }

    /// Gini of per-capita income over persons: the Gini of the bins as points at their
    /// means, at or below the exact Gini (above it for a negative mean) by at most
    /// [`Self::gini_bound`]; 0 without persons or income.
    pub fn gini(&self) -> f64 {
        if self.persons <= 0.0 || self.income == 0.0 {
            return 0.0;
        }
        let (mut cum_y, mut area) = (0.0, 0.0);
        for b in &self.bins {
            let p = b.persons / self.persons;
            let y = b.income / self.income;
            area += p * (2.0 * cum_y + y) / 2.0;
            cum_y += y;
        }
        1.0 - 2.0 * area
    }

    /// Bound on how far [`Self::gini`] is from the exact Gini:
    /// `Σ_b p_b² (hi_b − lo_b) / (4|μ|)`.
    pub fn gini_bound(&self) -> f64 {
        if self.persons <= 0.0 || self.income == 0.0 {
            return 0.0;
        }
        let mu = (self.income / self.persons).abs();
        let s: f64 = self
            .bins
            .iter()
            .map(|b| {
                let p = b.persons / self.persons;
                p * p * (b.hi - b.lo)
            })
            .sum();
        s / (4.0 * mu)
    }

    /// The Lorenz curve at `points` evenly spaced population shares from 0 to 1:
    /// `[population share, income share]`, persons ranked by per-capita income and
    /// linear within a bin. The diagonal without persons or income.
    pub fn lorenz(&self, points: usize) -> Vec<[f64; 2]> {
        let steps = points.saturating_sub(1).max(1) as f64;
        if self.persons <= 0.0 || self.income == 0.0 {
            return (0..points).map(|k| [k as f64 / steps, k as f64 / steps]).collect();
        }
        let mut out = Vec::with_capacity(points);
        let (mut cum_p, mut cum_y, mut next) = (0.0f64, 0.0f64, 0usize);
        for b in &self.bins {
            let mean = ratio(b.income, b.persons);
            while next < points && (next as f64 / steps) * self.persons <= cum_p + b.persons {
                let within = ((next as f64 / steps) * self.persons - cum_p).max(0.0);
                out.push([next as f64 / steps, (cum_y + within * mean) / self.income]);
                next += 1;
            }
            cum_p += b.persons;
            cum_y += b.income;
        }
        while out.len() < points {
            out.push([out.len() as f64 / steps, 1.0]);
        }
        out
    }

    /// Bound on the error of each ordinate of [`Self::lorenz`]:
    /// `max_b P_b (hi_b − lo_b) / (4|Y|)`.
    pub fn lorenz_bound(&self) -> f64 {
        if self.persons <= 0.0 || self.income == 0.0 {
            return 0.0;
        }
        let m = self.bins.iter().map(|b| b.persons * (b.hi - b.lo)).fold(0.0, f64::max);
        m / (4.0 * self.income.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_ordered_and_narrow() {
        let mut last = None;
        let zero = PAGES * PAGE_BINS;
        let rank = |y: f64| match slot(y) {
            Slot::Zero => zero,
            Slot::Positive(k) => zero + 1 + k,
            Slot::Negative(k) => zero - 1 - k,
        };
        let mut y = -3.0e6;
        while y < 3.0e6 {
            let r = rank(y);
            if let Some(l) = last {
                assert!(r >= l, "{y}");
            }
            last = Some(r);
            y += 17.3;
        }
        // Each positive bin spans at most RELATIVE_WIDTH.
        for &y in &[1.0, 1.5, 100.0, 12_345.6, 9.9e8] {
            let s = slot(y);
            let mut hi = y;
            while slot(hi * (1.0 + 1e-5)) == s {
                hi *= 1.0 + 1e-5;
            }
            let mut lo = y;
            while slot(lo / (1.0 + 1e-5)) == s {
                lo /= 1.0 + 1e-5;
            }
            assert!(hi / lo - 1.0 <= RELATIVE_WIDTH, "{y}: {lo}..{hi}");
        }
        assert_eq!(slot(0.5), Slot::Zero);
        assert_eq!(slot(-0.99), Slot::Zero);
        assert_eq!(slot(1e30), Slot::Positive(OCTAVES * OCTAVE_BINS - 1));
        assert_eq!(slot(-1e30), Slot::Negative(OCTAVES * OCTAVE_BINS - 1));
    }

    #[test]
    fn non_finite_incomes_do_not_poison_the_sketch() {
        let mut s = IncomeSketch::new();
        s.add(f64::NAN, 1.0, 1.0);
        s.add(f64::INFINITY, 1.0, 1.0);
        s.add(100.0, 1.0, 1.0);
        let d = BinnedDistribution::of(&s);
        assert!(d.median().is_finite());
        assert!(d.bins().iter().all(|b| b.lo.is_finite() && b.hi.is_finite()));
    }
}

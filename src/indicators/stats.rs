//! Weighted statistics over households.

/// One household's per-capita income with its weight and size, for ranking.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HouseholdIncome {
    /// Per-capita disposable income, yuan per year.
    pub per_capita: f64,
    /// Grossing-up weight.
    pub weight: f64,
    /// Number of members.
    pub size: f64,
}

// Stable: callers that pre-sort with a tie-break (by household id) keep it.
fn sort_by_income(items: &mut [HouseholdIncome]) {
    items.sort_by(|a, b| a.per_capita.total_cmp(&b.per_capita));
}

/// NBS quintile group means (五等份): households ranked by per-capita income are split
/// into five groups of equal weighted numbers of *households*; each group's figure is
/// its total income divided by its members. A household straddling a boundary is
/// split between the two groups in proportion to its weight. Sorts `items`.
pub fn household_quintile_means(items: &mut [HouseholdIncome]) -> [f64; 5] {
    household_quintile_groups(items).0
}

/// Places weights, taken in income order, into five groups of equal total weight; a
/// weight across a boundary is split between the groups. Group `g` ends at weight
/// `total·(g+1)/5`; crossing a boundary sets the running start to it exactly, so
/// rounding cannot put a remainder in the group it left.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QuintileSplitter {
    /// The ends of groups 0–3 ([`quintile_ends`]), computed once.
    ends: [f64; 4],
    group: usize,
    start: f64,
}

/// The weights at which groups 0–3 of `total` weight end: `total·(g+1)/5`.
#[inline]
pub(crate) fn quintile_ends(total: f64) -> [f64; 4] {
    std::array::from_fn(|g| total * (g + 1) as f64 / 5.0)
}

impl QuintileSplitter {
    /// A splitter over `total` weight.
    pub(crate) fn new(total: f64) -> Self {
        QuintileSplitter { ends: quintile_ends(total), group: 0, start: 0.0 }
    }

    /// The end of group `g` (< 4).
    #[inline]
    fn end(&self, g: usize) -> f64 {
        self.ends[g]
    }

    /// Places the next `weight`, calling `part(group, weight_in_group)` for each piece.
    pub(crate) fn place(&mut self, weight: f64, mut part: impl FnMut(usize, f64)) {
        let mut remaining = weight;
        while remaining > 0.0 {
            while self.group < 4 && self.start >= self.end(self.group) {
                self.group += 1;
            }
            let take = if self.group < 4 && remaining > self.end(self.group) - self.start {
                let take = self.end(self.group) - self.start;
                self.start = self.end(self.group);
                take
            } else {
                self.start += remaining;
                remaining
            };
            part(self.group, take);
            remaining -= take;
        }
    }
}

/// Quintile group means as [`household_quintile_means`], with the (weighted) persons in
/// each group. Sorts `items`.
pub fn household_quintile_groups(items: &mut [HouseholdIncome]) -> ([f64; 5], [f64; 5]) {
    sort_by_income(items);
    let total: f64 = items.iter().map(|h| h.weight).sum();
    let mut income = [0.0f64; 5];
    let mut persons = [0.0f64; 5];
    let mut groups = QuintileSplitter::new(total);
    for h in items.iter() {
        groups.place(h.weight, |group, take| {
            income[group] += take * h.size * h.per_capita;
            persons[group] += take * h.size;
        });
    }
    (std::array::from_fn(|g| if persons[g] > 0.0 { income[g] / persons[g] } else { 0.0 }), persons)
}

/// Median of per-capita income over persons (each household counts its weight times
/// its size). Sorts `items`. NBS's published median is [`household_median`].
pub fn person_weighted_median(items: &mut [HouseholdIncome]) -> f64 {
    sort_by_income(items);
    let total: f64 = items.iter().map(|h| h.weight * h.size).sum();
    let mut cum = 0.0;
    for h in items.iter() {
        cum += h.weight * h.size;
        if cum >= total / 2.0 {
            return h.per_capita;
        }
    }
    items.last().map(|h| h.per_capita).unwrap_or(0.0)
}

/// The NBS median (人均可支配收入中位数): households ranked by per-capita income, the
/// per-capita income of the household in the middle (each household counts its
/// weight), as for the quintile groups. Sorts `items`.
pub fn household_median(items: &mut [HouseholdIncome]) -> f64 {
    sort_by_income(items);
    let total: f64 = items.iter().map(|h| h.weight).sum();
    let mut cum = 0.0;
    for h in items.iter() {
        cum += h.weight;
        if cum >= total / 2.0 {
            return h.per_capita;
        }
    }
    items.last().map(|h| h.per_capita).unwrap_or(0.0)
}

/// Gini coefficient of per-capita income over persons. Sorts `items`.
pub fn weighted_gini(items: &mut [HouseholdIncome]) -> f64 {
    sort_by_income(items);
    let total_p: f64 = items.iter().map(|h| h.weight * h.size).sum();
    let total_y: f64 = items.iter().map(|h| h.weight * h.size * h.per_capita).sum();
    if total_p <= 0.0 || total_y == 0.0 {
        return 0.0;
    }
    // Area under the Lorenz curve by trapezoids.
    let (mut cum_y, mut area) = (0.0, 0.0);
    for h in items.iter() {
        let p = h.weight * h.size / total_p;
        let y = h.weight * h.size * h.per_capita / total_y;
        area += p * (2.0 * cum_y + y) / 2.0;
        cum_y += y;
    }
    1.0 - 2.0 * area
}

/// Theil T index of per-capita income over persons:
/// `T = (1/N) Σ_i (y_i/μ) ln(y_i/μ)`, each household counting its weight times its
/// size. Only persons with positive income enter (the logarithm is undefined
/// otherwise; the usual convention, as in Stata's `ineqdeco`). Sums run in slice order.
pub fn weighted_theil(items: &[HouseholdIncome]) -> f64 {
    let (mut n, mut total) = (0.0, 0.0);
    for h in items.iter().filter(|h| h.per_capita > 0.0) {
        n += h.weight * h.size;
        total += h.weight * h.size * h.per_capita;
    }
    if n <= 0.0 || total <= 0.0 {
        return 0.0;
    }
    let mu = total / n;
    let mut t = 0.0;
    for h in items.iter().filter(|h| h.per_capita > 0.0) {
        let r = h.per_capita / mu;
        t += h.weight * h.size * r * r.ln();
    }
    t / n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hh(per_capita: f64, weight: f64, size: f64) -> HouseholdIncome {
        HouseholdIncome { per_capita, weight, size }
    }

    #[test]
    fn quintiles_are_groups_of_households_not_persons() {
        // Five households of equal weight, one per group; poorer households larger.
        let mut v = vec![
            hh(500.0, 1.0, 2.0),
            hh(100.0, 1.0, 4.0),
            hh(300.0, 1.0, 3.0),
            hh(200.0, 1.0, 3.0),
            hh(400.0, 1.0, 2.0),
        ];
        let q = household_quintile_means(&mut v);
        assert_eq!(q, [100.0, 200.0, 300.0, 400.0, 500.0]);
        // The person-weighted mean is below the average of the group means.
        let mean = (100.0 * 4.0 + 200.0 * 3.0 + 300.0 * 3.0 + 400.0 * 2.0 + 500.0 * 2.0) / 14.0;
        assert!(mean < 300.0);
    }

    #[test]
    fn a_straddling_household_is_split() {
        // Two households of weight 2.5 each: the first fills group 1, 2 and half of 3.
        let mut v = vec![hh(100.0, 2.5, 1.0), hh(300.0, 2.5, 1.0)];
        let q = household_quintile_means(&mut v);
        assert_eq!(q[0], 100.0);
        assert_eq!(q[1], 100.0);
        assert_eq!(q[2], 200.0);
        assert_eq!(q[4], 300.0);
    }

    #[test]
    fn median_and_gini_by_hand() {
        let mut v = vec![hh(10.0, 1.0, 1.0), hh(20.0, 1.0, 1.0), hh(30.0, 1.0, 1.0)];
        assert_eq!(person_weighted_median(&mut v), 20.0);
        let mut eq = vec![hh(10.0, 1.0, 1.0), hh(10.0, 3.0, 2.0)];
        assert!(weighted_gini(&mut eq).abs() < 1e-12);
        // Two persons, one with everything: Gini of the discrete distribution = 0.5.
        let mut ex = vec![hh(0.0, 1.0, 1.0), hh(10.0, 1.0, 1.0)];
        assert!((weighted_gini(&mut ex) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn theil_by_hand() {
        // Persons with 1 and 3: μ = 2, T = ½[½ ln ½ + 1.5 ln 1.5] = 0.130812…
        let v = vec![hh(1.0, 1.0, 1.0), hh(3.0, 1.0, 1.0)];
        let expected = 0.5 * (0.5 * 0.5f64.ln() + 1.5 * 1.5f64.ln());
        assert!((weighted_theil(&v) - expected).abs() < 1e-15);
        assert!((expected - 0.130812).abs() < 1e-6);
        // Equal incomes: 0; non-positive incomes are left out.
        assert_eq!(weighted_theil(&[hh(5.0, 2.0, 3.0), hh(5.0, 1.0, 1.0), hh(0.0, 1.0, 1.0)]), 0.0);
        assert_eq!(weighted_theil(&[]), 0.0);
    }
}

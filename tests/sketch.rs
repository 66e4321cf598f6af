//! The income sketch against the exact, sort-based statistics: every estimate within
//! its documented bound on random and realistic samples (lognormal, Pareto tail,
//! zeros, negatives), and merges bit-identical to one pass whatever the blocks.

use incomesim::indicators::{
    BinnedDistribution, HouseholdIncome, IncomeSketch, RELATIVE_WIDTH, household_median, household_quintile_groups,
    weighted_gini,
};
use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, LogNormal, Pareto};

fn sketch_of(items: &[HouseholdIncome]) -> IncomeSketch {
    let mut s = IncomeSketch::new();
    for h in items {
        s.add(h.per_capita, h.weight, h.weight * h.size);
    }
    s
}

/// The exact Lorenz curve at `points` shares (linear within a household).
fn exact_lorenz(items: &mut [HouseholdIncome], points: usize) -> Vec<[f64; 2]> {
    items.sort_by(|a, b| a.per_capita.total_cmp(&b.per_capita));
    let persons: f64 = items.iter().map(|h| h.weight * h.size).sum();
    let income: f64 = items.iter().map(|h| h.weight * h.size * h.per_capita).sum();
    let steps = (points - 1) as f64;
    if persons <= 0.0 || income == 0.0 {
        return (0..points).map(|k| [k as f64 / steps, k as f64 / steps]).collect();
    }
    let mut out = Vec::new();
    let (mut cum_p, mut cum_y, mut next) = (0.0f64, 0.0f64, 0usize);
    for h in items.iter() {
        let p = h.weight * h.size;
        while next < points && (next as f64 / steps) * persons <= cum_p + p {
            let within = ((next as f64 / steps) * persons - cum_p).max(0.0);
            out.push([next as f64 / steps, (cum_y + within * h.per_capita) / income]);
            next += 1;
        }
        cum_p += p;
        cum_y += p * h.per_capita;
    }
    while out.len() < points {
        out.push([out.len() as f64 / steps, 1.0]);
    }
    out
}

/// Checks every sketch statistic against the exact one, within its bound (plus the
/// rounding of sums in a different order and the fixed point).
fn check_bounds(items: &[HouseholdIncome]) -> Result<(), TestCaseError> {
    let d = BinnedDistribution::of(&sketch_of(items));
    let mut v = items.to_vec();
    let slack = |x: f64| 1e-9 * x.abs().max(1.0);
    // The fixed point drops under 2⁻⁸ yuan of income per household.
    let fixed = items.len() as f64 / 256.0;

    let median = household_median(&mut v);
    prop_assert!(
        (d.median() - median).abs() <= d.median_bound() + slack(median),
        "median {} exact {} bound {}",
        d.median(),
        median,
        d.median_bound()
    );
    prop_assert!(d.median_bound() <= RELATIVE_WIDTH * median.abs().max(1.0) + 2.0);

    let (q, _) = household_quintile_groups(&mut v);
    let sq = d.quintile_means();
    for (g, &q) in q.iter().enumerate() {
        prop_assert!(
            (sq.means[g] - q).abs() <= sq.bounds[g] + slack(q) + fixed / sq.persons[g],
            "quintile {g}: {} exact {} bound {}",
            sq.means[g],
            q,
            sq.bounds[g]
        );
    }

    let income: f64 = items.iter().map(|h| h.weight * h.size * h.per_capita).sum();
    // f64 rounding of shares scales with the gross income over the net: when negative
    // incomes bring the mean near zero, shares (and the Gini) are large and so is their
    // rounding.
    let gross: f64 = items.iter().map(|h| (h.weight * h.size * h.per_capita).abs()).sum();
    let share_slack = 1e-9 * (gross / income.abs()).max(1.0) + 4.0 * fixed / income.abs();
    let gini = weighted_gini(&mut v);
    // The Gini is 1 − 2·(area under the Lorenz curve): an error in the total income
    // moves every share, so its rounding scales with 1 + |G| (large near a zero mean).
    let gini_slack = share_slack * (1.0 + gini.abs());
    // Below the exact Gini for a positive mean (above for a negative one).
    let gap = (gini - d.gini()) * income.signum();
    prop_assert!(
        gap >= -gini_slack && gap <= d.gini_bound() + gini_slack,
        "gini {} exact {gini} bound {}",
        d.gini(),
        d.gini_bound()
    );

    let lorenz = exact_lorenz(&mut v, 21);
    for (a, b) in d.lorenz(21).iter().zip(&lorenz) {
        // A share is a cumulative income over the total: the rounding of the total moves
        // it in proportion to the share itself, which is large (and of either sign) when
        // negative incomes bring the total near zero; hence the factor, as for the Gini.
        let slack = share_slack * (1.0 + b[1].abs());
        prop_assert!((a[1] - b[1]).abs() <= d.lorenz_bound() + slack, "lorenz {a:?} exact {b:?}");
    }
    Ok(())
}

fn arb_household() -> impl Strategy<Value = HouseholdIncome> {
    // Weights are multiples of 1/64 (kept exactly by the fixed point and by sums).
    (
        prop_oneof![
            4 => 1.0f64..200_000.0,
            1 => -50_000.0f64..0.0,
            1 => Just(0.0),
            1 => -1.0f64..1.0,
            1 => (1u32..20).prop_map(|k| k as f64 * 5_000.0),
        ],
        (1u32..64 * 50).prop_map(|k| k as f64 / 64.0),
        (1u32..9).prop_map(|s| s as f64),
    )
        .prop_map(|(per_capita, weight, size)| HouseholdIncome { per_capita, weight, size })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn estimates_are_within_their_bounds(items in prop::collection::vec(arb_household(), 1..300)) {
        check_bounds(&items)?;
    }
}

/// A realistic sample of `n` households: lognormal per-capita income (median 20,000
/// yuan, σ = 0.7) with a Pareto tail above 100,000 (α = 1.8) for 8%, zeros for 4%,
/// negative incomes (operating losses) for 1.5%, and 5% exactly at a dibao-like line
/// of 7,200 yuan (a mass point); sizes 1–6, `f32` weights from 20 to 600.
fn realistic(n: usize, seed: u64) -> Vec<HouseholdIncome> {
    let mut rng = StdRng::seed_from_u64(seed);
    let body = LogNormal::new(20_000f64.ln(), 0.7).unwrap();
    let tail = Pareto::new(100_000.0, 1.8).unwrap();
    let weights = LogNormal::new(150f64.ln(), 0.5).unwrap();
    (0..n)
        .map(|_| {
            let u: f64 = rng.random();
            let per_capita = if u < 0.04 {
                0.0
            } else if u < 0.055 {
                -body.sample(&mut rng) * 0.2
            } else if u < 0.105 {
                7_200.0
            } else if u < 0.185 {
                tail.sample(&mut rng)
            } else {
                body.sample(&mut rng)
            };
            let weight = (weights.sample(&mut rng).clamp(20.0, 600.0) as f32) as f64;
            let size = rng.random_range(1..=6) as f64;
            HouseholdIncome { per_capita, weight, size }
        })
        .collect()
}

#[test]
fn realistic_samples_are_within_bounds_and_close() {
    for (seed, n) in [(1u64, 200_000usize), (2, 20_000), (3, 2_000)] {
        let items = realistic(n, seed);
        check_bounds(&items).unwrap();
        let sketch = sketch_of(&items);
        assert!(sketch.memory_bytes() < 300_000, "{} bytes", sketch.memory_bytes());
        let d = BinnedDistribution::of(&sketch);
        let mut v = items.clone();
        let median = household_median(&mut v);
        let (q, _) = household_quintile_groups(&mut v);
        let gini = weighted_gini(&mut v);
        let sq = d.quintile_means();
        let q_err = (0..5).map(|g| ((sq.means[g] - q[g]) / q[g]).abs()).fold(0.0, f64::max);
        let m_err = ((d.median() - median) / median).abs();
        eprintln!(
            "n {n}: {} bytes, median rel. error {m_err:.2e}, quintile means max rel. error {q_err:.2e} (bounds {:?}), \
             gini {gini:.6} error {:.2e} (bound {:.2e})",
            sketch.memory_bytes(),
            sq.bounds.map(|b| format!("{b:.1}")),
            gini - d.gini(),
            d.gini_bound()
        );
        // The documented a-priori bounds.
        assert!(m_err <= RELATIVE_WIDTH, "median");
        assert!(gini - d.gini() <= 1e-4, "gini");
        if n >= 20_000 {
            // Observed well below the bounds: boundary bins split in proportion.
            assert!(q_err <= 1e-3, "quintile means {q_err}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A sketch built from blocks merged in block order, or in any other order, is the
    /// sketch of one pass, bit for bit.
    #[test]
    fn merges_are_bit_identical_to_one_pass(
        items in prop::collection::vec(arb_household(), 0..400),
        cuts in prop::collection::vec(0usize..400, 0..8),
    ) {
        let one_pass = sketch_of(&items);
        let mut bounds: Vec<usize> = cuts.iter().map(|&c| c.min(items.len())).collect();
        bounds.push(0);
        bounds.push(items.len());
        bounds.sort();
        let blocks: Vec<IncomeSketch> = bounds.windows(2).map(|w| sketch_of(&items[w[0]..w[1]])).collect();
        let mut in_order = IncomeSketch::new();
        blocks.iter().for_each(|b| in_order.merge(b));
        let mut reversed = IncomeSketch::new();
        blocks.iter().rev().for_each(|b| reversed.merge(b));
        prop_assert!(in_order == one_pass);
        prop_assert!(reversed == one_pass);
        let (a, b) = (BinnedDistribution::of(&in_order), BinnedDistribution::of(&one_pass));
        prop_assert_eq!(a.median().to_bits(), b.median().to_bits());
        prop_assert_eq!(a.gini().to_bits(), b.gini().to_bits());
        prop_assert_eq!(a.quintile_means(), b.quintile_means());
        prop_assert_eq!(a.lorenz(21), b.lorenz(21));
    }

    /// Pooling scaled sketches (the `all` group) is within bounds of the exact
    /// statistics of the reweighted households.
    #[test]
    fn pooled_sketches_are_within_bounds(
        urban in prop::collection::vec(arb_household(), 1..150),
        rural in prop::collection::vec(arb_household(), 1..150),
    ) {
        // Scales that keep weights multiples of 1/256 (exact in sums).
        let (ku, kr) = (1.25, 0.75);
        let pooled = BinnedDistribution::pooled(&[(&sketch_of(&urban), ku), (&sketch_of(&rural), kr)]);
        let mut all: Vec<HouseholdIncome> = urban.iter().map(|h| HouseholdIncome { weight: h.weight * ku, ..*h })
            .chain(rural.iter().map(|h| HouseholdIncome { weight: h.weight * kr, ..*h }))
            .collect();
        let direct = BinnedDistribution::of(&sketch_of(&all));
        prop_assert_eq!(pooled.bins().len(), direct.bins().len());
        prop_assert!((pooled.median() - direct.median()).abs() <= 1e-9 * direct.median().abs().max(1.0));
        let median = household_median(&mut all);
        prop_assert!((pooled.median() - median).abs() <= pooled.median_bound() + 1e-9 * median.abs().max(1.0));
    }
}

// ------------------------------------------------------- the indicators of a year

mod year {
    use incomesim::indicators::{
        AllWeighting, BinnedDistribution, HouseholdOutcome, IndicatorSums, PovertyLines, YearIndicators,
    };
    use incomesim::model::{IncomeParts, Residence};
    use proptest::prelude::*;

    fn outcome(i: usize, urban: bool, weight: f32, size: u8, wage: f64) -> HouseholdOutcome {
        let parts = IncomeParts { wage, ..Default::default() };
        let residence = if urban { Residence::Urban } else { Residence::Rural };
        HouseholdOutcome::new(i as u64, residence, weight, size, &parts)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// From block sums alone, every row equals the exact, sort-based path except the
        /// sketched median, quintile means and Gini, which stay within their bounds.
        #[test]
        fn block_sums_agree_with_the_exact_path(
            spec in prop::collection::vec(
                (any::<bool>(), (1u32..64 * 40).prop_map(|k| k as f32 / 64.0), 1u8..8, -20_000.0f64..500_000.0),
                1..200,
            ),
            block in 1usize..64,
        ) {
            let outcomes: Vec<HouseholdOutcome> =
                spec.iter().enumerate().map(|(i, &(u, w, s, wage))| outcome(i, u, w, s, wage)).collect();
            let lines = PovertyLines::default();
            let mut sums = IndicatorSums::new(&lines);
            for b in outcomes.chunks(block) {
                let mut part = IndicatorSums::new(&lines);
                b.iter().for_each(|o| part.add(o));
                sums.merge(&part);
            }
            let weighting = AllWeighting::Resident;
            let sketched = YearIndicators::from_block_sums(2022, &sums, None, weighting);
            let exact = YearIndicators::from_merged(2022, &sums, None, &outcomes, weighting);
            let dists = [
                BinnedDistribution::of(&sums.sketches[0]),
                BinnedDistribution::of(&sums.sketches[1]),
                BinnedDistribution::pooled(&[(&sums.sketches[0], 1.0), (&sums.sketches[1], 1.0)]),
            ];
            for (a, b) in sketched.rows().iter().zip(exact.rows()) {
                prop_assert_eq!(&a.indicator, &b.indicator);
                let g = ["urban", "rural", "all"].iter().position(|&g| g == a.group).unwrap();
                let d = &dists[g];
                let scale = b.value.abs().max(1.0);
                let fixed = spec.len() as f64 / 256.0;
                let bound = match a.indicator.as_str() {
                    "median_disposable" => d.median_bound() + 1e-9 * scale,
                    "gini" => d.gini_bound() + 1e-9 + 4.0 * fixed / d.income().abs(),
                    "theil" => 1e-9 * scale,
                    q if q.starts_with("quintile_") => {
                        let k: usize = q[9..10].parse().unwrap();
                        let qm = d.quintile_means();
                        qm.bounds[k - 1] + 1e-9 * scale + fixed / qm.persons[k - 1]
                    }
                    _ => 0.0,
                };
                prop_assert!(
                    (a.value - b.value).abs() <= bound,
                    "{} {}: sketch {} exact {} bound {}", a.group, a.indicator, a.value, b.value, bound
                );
            }
            for ((s, e), d) in sketched.groups.iter().zip(&exact.groups).zip(&dists) {
                let bound = d.lorenz_bound() + 1e-9 + 4.0 * spec.len() as f64 / 256.0 / d.income().abs();
                for (x, y) in s.lorenz.iter().zip(&e.lorenz) {
                    prop_assert!((x[1] - y[1]).abs() <= bound, "lorenz {:?} exact {:?} bound {}", x, y, bound);
                }
            }
        }
    }
}

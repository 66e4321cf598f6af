//! Shapley values of levers: each lever's contribution to an outcome, fairly shared
//! among levers that interact.
//!
//! With `n` levers and a value function `v(S)` (the outcome with the levers of
//! coalition `S` switched on), lever `i`'s Shapley value is the average, over all
//! orders of switching the levers on, of the change in `v` when `i` is switched on.
//! The values add up to `v(all) − v(none)`. Up to [`EXACT_MAX_LEVERS`] levers the
//! average is exact (all `2^n` coalitions are evaluated once); beyond that it is
//! estimated from random orders (permutation sampling), with a standard error.

use serde::Serialize;

use crate::random::{Purpose, StreamRng};

/// Most levers for which Shapley values are computed exactly.
pub const EXACT_MAX_LEVERS: usize = 8;

/// How the contributions were computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShapleyMethod {
    /// Exact enumeration of all coalitions.
    Exact,
    /// Monte Carlo over random orders of the levers.
    SampledPermutations {
        /// Number of orders sampled.
        permutations: usize,
    },
}

impl ShapleyMethod {
    /// A name for reports.
    pub fn describe(&self) -> String {
        match self {
            ShapleyMethod::Exact => "exact Shapley values (all coalitions enumerated)".into(),
            ShapleyMethod::SampledPermutations { permutations } => {
                format!("Shapley values estimated from {permutations} random orders of the levers")
            }
        }
    }
}

/// Contributions of each lever to one or more outcomes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contributions {
    /// How they were computed.
    pub method: ShapleyMethod,
    /// `value[lever][outcome]`.
    pub value: Vec<Vec<f64>>,
    /// Standard error of each value (0 when exact).
    pub standard_error: Vec<Vec<f64>>,
    /// `v(all) − v(none)` for each outcome.
    pub total: Vec<f64>,
}

/// A coalition of levers as a bit set (lever `i` on when bit `i` is set).
pub type Coalition = u64;

/// Exact Shapley values of `n` levers for outcomes `v(S)` (one vector per coalition).
/// `v` is called once per coalition, `2^n` times.
///
/// # Panics
/// Never for `n ≤ EXACT_MAX_LEVERS`; larger `n` is the caller's error and is rejected
/// by [`contributions`].
pub fn exact<F: FnMut(Coalition) -> Vec<f64>>(n: usize, mut v: F) -> Contributions {
    let count = 1usize << n;
    let values: Vec<Vec<f64>> = (0..count as u64).map(&mut v).collect();
    let outcomes = values.first().map_or(0, |x| x.len());
    // Weight of a coalition S not containing i: |S|! (n − |S| − 1)! / n!.
    let factorial = |k: usize| (1..=k).map(|x| x as f64).product::<f64>();
    let weights: Vec<f64> = (0..n).map(|s| factorial(s) * factorial(n - s - 1) / factorial(n)).collect();
    let mut value = vec![vec![0.0; outcomes]; n];
    for s in 0..count {
        let size = (s as u64).count_ones() as usize;
        for (i, row) in value.iter_mut().enumerate() {
            if s & (1 << i) != 0 {
                continue;
            }
            let with = s | (1 << i);
            for (o, x) in row.iter_mut().enumerate() {
                *x += weights[size] * (values[with][o] - values[s][o]);
            }
        }
    }
    let total = (0..outcomes).map(|o| values[count - 1][o] - values[0][o]).collect();
    Contributions { method: ShapleyMethod::Exact, value, standard_error: vec![vec![0.0; outcomes]; n], total }
}

/// Shapley values estimated from `permutations` random orders (keyed by `seed`, so the
/// same seed gives the same orders). Each order costs `n` evaluations of `v` beyond
/// the empty coalition; results of `v` are cached per coalition.
pub fn sampled<F: FnMut(Coalition) -> Vec<f64>>(n: usize, permutations: usize, seed: u64, mut v: F) -> Contributions {
    let mut cache: std::collections::HashMap<Coalition, Vec<f64>> = std::collections::HashMap::new();
    let mut eval = |s: Coalition| -> Vec<f64> { cache.entry(s).or_insert_with(|| v(s)).clone() };
    let empty = eval(0);
    let outcomes = empty.len();
    let mut sum = vec![vec![0.0; outcomes]; n];
    let mut sum_sq = vec![vec![0.0; outcomes]; n];
    let mut order: Vec<usize> = (0..n).collect();
    for k in 0..permutations {
        let mut rng = StreamRng::new(seed, k as u64, 0, Purpose::Replication);
        for i in (1..n).rev() {
            let j = (rng.uniform() * (i + 1) as f64) as usize;
            order.swap(i, j.min(i));
        }
        let mut s: Coalition = 0;
        let mut before = empty.clone();
        for &i in &order {
            s |= 1 << i;
            let after = eval(s);
            for o in 0..outcomes {
                let d = after[o] - before[o];
                sum[i][o] += d;
                sum_sq[i][o] += d * d;
            }
            before = after;
        }
    }
    let m = permutations.max(1) as f64;
    let value: Vec<Vec<f64>> = sum.iter().map(|r| r.iter().map(|x| x / m).collect()).collect();
    let standard_error = sum_sq
        .iter()
        .zip(&value)
        .map(|(sq, mean)| {
            sq.iter()
                .zip(mean)
                .map(|(q, mu)| if m > 1.0 { ((q / m - mu * mu).max(0.0) * m / (m - 1.0) / m).sqrt() } else { f64::NAN })
                .collect()
        })
        .collect();
    let full = eval(if n >= 64 { u64::MAX } else { (1u64 << n) - 1 });
    let total = (0..outcomes).map(|o| full[o] - empty[o]).collect();
    Contributions { method: ShapleyMethod::SampledPermutations { permutations }, value, standard_error, total }
}

/// Exact values up to [`EXACT_MAX_LEVERS`] levers, sampled beyond (with
/// `permutations` orders).
pub fn contributions<F: FnMut(Coalition) -> Vec<f64>>(n: usize, permutations: usize, seed: u64, v: F) -> Contributions {
    if n <= EXACT_MAX_LEVERS { exact(n, v) } else { sampled(n.min(63), permutations, seed, v) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// v(S) with interactions: levers 0 and 1 only pay together (a pension rise that
    /// a means test claws back unless the disregard is on), lever 2 adds 5, lever 3
    /// adds 1 and doubles lever 2.
    fn v(s: Coalition) -> Vec<f64> {
        let on = |i: u32| s & (1 << i) != 0;
        let mut x = 0.0;
        if on(0) && on(1) {
            x += 6.0;
        }
        if on(2) {
            x += if on(3) { 10.0 } else { 5.0 };
        }
        if on(3) {
            x += 1.0;
        }
        vec![x, 2.0 * x]
    }

    #[test]
    fn exact_values_by_hand() {
        let c = exact(4, v);
        // Levers 0 and 1 share the 6 they make together: 3 each. Lever 2 makes 5 alone
        // and 10 with lever 3, lever 3 makes 1, plus 5 more with lever 2: the
        // interaction 5 is shared: lever 2 gets 5 + 2.5, lever 3 gets 1 + 2.5.
        let expected = [3.0, 3.0, 7.5, 3.5];
        for (i, e) in expected.iter().enumerate() {
            assert!((c.value[i][0] - e).abs() < 1e-12, "lever {i}: {}", c.value[i][0]);
            assert!((c.value[i][1] - 2.0 * e).abs() < 1e-12);
        }
        let sum: f64 = c.value.iter().map(|r| r[0]).sum();
        assert!((sum - c.total[0]).abs() < 1e-12);
        assert_eq!(c.total[0], 17.0);
    }

    #[test]
    fn sampled_values_are_within_their_standard_error() {
        let exact_c = exact(4, v);
        let s = sampled(4, 400, 9, v);
        for i in 0..4 {
            let err = (s.value[i][0] - exact_c.value[i][0]).abs();
            assert!(err <= 3.0 * s.standard_error[i][0] + 1e-12, "lever {i}: {err} vs se {}", s.standard_error[i][0]);
        }
        // Per order the values add up exactly, so their mean does too.
        let sum: f64 = s.value.iter().map(|r| r[0]).sum();
        assert!((sum - 17.0).abs() < 1e-9);
    }
}

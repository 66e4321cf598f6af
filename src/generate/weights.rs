//! The weight model: raking (CALMAR exponential distance) on household characteristics.
//!
//! Weights are `base × exp(x·λ)` where `x` describes a household (residence, size,
//! members in each age band of the profile, dibao recipients). λ is fitted on the
//! calibration sample so that weighted totals hit the profile's targets; because a
//! weight is a function of the household's own characteristics, any number of
//! households generated later, in any chunks, get their weights without a global pass.

use super::blueprint::RakedBand;
use crate::model::{HouseholdFlags, Population, Residence};
use crate::policy::dibao::recipient_persons;

/// Builds the calibration vector `x` of household `h` into `out`:
/// `[urban, rural, urban size, rural size, members in each age band…, urban dibao persons, rural dibao persons]`,
/// a band raked by residence taking two columns (its urban members, its rural members).
pub fn household_vector(pop: &Population, h: usize, bands: &[RakedBand], out: &mut Vec<f64>) {
    out.clear();
    let urban = pop.households.residence[h] == Residence::Urban;
    let size = pop.households.size[h] as f64;
    out.push(if urban { 1.0 } else { 0.0 });
    out.push(if urban { 0.0 } else { 1.0 });
    out.push(if urban { size } else { 0.0 });
    out.push(if urban { 0.0 } else { size });
    for band in bands {
        let n = pop.members(h).filter(|&i| band.contains(pop.persons.age[i])).count() as f64;
        if band.by_residence {
            out.push(if urban { n } else { 0.0 });
            out.push(if urban { 0.0 } else { n });
        } else {
            out.push(n);
        }
    }
    let dibao =
        if pop.households.flags[h].has(HouseholdFlags::DIBAO) { f64::from(recipient_persons(pop, h)) } else { 0.0 };
    out.push(if urban { dibao } else { 0.0 });
    out.push(if urban { 0.0 } else { dibao });
}

/// `exp(x·λ)`, bounded to keep weights within a sane range.
#[inline]
pub fn raking_factor(x: &[f64], lambda: &[f64]) -> f64 {
    if lambda.is_empty() {
        return 1.0;
    }
    let s: f64 = x.iter().zip(lambda).map(|(a, b)| a * b).sum();
    s.clamp(-4.0, 4.0).exp()
}

/// Fits λ by Newton's method with a small ridge, so that
/// `Σ base_h exp(x_h·λ) x_h = targets`. Columns whose target is `None` are left out
/// (λ = 0). Returns λ (one per column).
pub fn rake(xs: &[Vec<f64>], base: &[f64], targets: &[Option<f64>], iterations: usize) -> Vec<f64> {
    let dim = targets.len();
    let active: Vec<usize> = (0..dim).filter(|&j| targets[j].is_some()).collect();
    let k = active.len();
    let mut lambda = vec![0.0; dim];
    for _ in 0..iterations {
        let mut f = vec![0.0; k];
        let mut jac = vec![vec![0.0; k]; k];
        for (x, &b) in xs.iter().zip(base) {
            let w = b * raking_factor(x, &lambda);
            for (a, &ja) in active.iter().enumerate() {
                let wa = w * x[ja];
                f[a] += wa;
                for (c, &jc) in active.iter().enumerate() {
                    jac[a][c] += wa * x[jc];
                }
            }
        }
        let mut worst: f64 = 0.0;
        for (a, &ja) in active.iter().enumerate() {
            let t = targets[ja].unwrap_or(0.0);
            worst = worst.max(((f[a] - t) / t.abs().max(1.0)).abs());
            f[a] -= t;
        }
        if worst < 1e-10 {
            break;
        }
        let ridge = 1e-9 * (0..k).map(|a| jac[a][a]).fold(0.0, f64::max);
        for (a, row) in jac.iter_mut().enumerate() {
            row[a] += ridge;
        }
        let step = solve(jac, f);
        for (a, &ja) in active.iter().enumerate() {
            lambda[ja] -= step[a].clamp(-1.0, 1.0);
        }
    }
    lambda
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting (small systems).
#[allow(clippy::needless_range_loop)]
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs())).unwrap_or(col);
        a.swap(col, pivot);
        b.swap(col, pivot);
        let d = a[col][col];
        if d.abs() < 1e-300 {
            continue;
        }
        for row in col + 1..n {
            let factor = a[row][col] / d;
            if factor != 0.0 {
                for c in col..n {
                    a[row][c] -= factor * a[col][c];
                }
                b[row] -= factor * b[col];
            }
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|c| a[row][c] * x[c]).sum();
        x[row] = if a[row][row].abs() < 1e-300 { 0.0 } else { (b[row] - s) / a[row][row] };
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raking_hits_margins() {
        // Four households: (urban, size) = (1,1), (1,3), (0,2), (0,4); base weight 1.
        let xs = vec![
            vec![1.0, 0.0, 1.0, 0.0],
            vec![1.0, 0.0, 3.0, 0.0],
            vec![0.0, 1.0, 0.0, 2.0],
            vec![0.0, 1.0, 0.0, 4.0],
        ];
        let base = vec![1.0; 4];
        let targets = vec![Some(2.5), Some(1.5), Some(5.0), None];
        let l = rake(&xs, &base, &targets, 50);
        let mut tot = [0.0; 4];
        for x in &xs {
            let w = raking_factor(x, &l);
            for j in 0..4 {
                tot[j] += w * x[j];
            }
        }
        assert!((tot[0] - 2.5).abs() < 1e-8);
        assert!((tot[1] - 1.5).abs() < 1e-8);
        assert!((tot[2] - 5.0).abs() < 1e-8);
    }
}

//! What each replication drew and what came of it: the table behind a target's
//! probability, and which uncertain value a target's miss follows (scenario discovery).
//!
//! A target met in 70% of replications says how likely the plan is to reach it, not
//! why it misses in the other 30%. [`replications_csv`] writes one row per replication:
//! the draw of every uncertain value ([`super::projection::Outcome::draws`]: standard
//! normal, 0 at the central value) beside the last year's urban and rural income, the
//! ratio, the reform's effect and what each target reached and whether it was met, so
//! an analyst can plot or regress one on the other. [`drivers`] does the first step of
//! that itself: for each target met in some replications and missed in others, the
//! uncertain value whose draws go most closely with what the target reached (the rank
//! correlation over replications, Spearman's ρ).

use super::projection::{Outcome, Scenario};
use crate::error::{Error, Result};

/// Fewest replications for [`drivers`] to rank the values: below it a rank
/// correlation says little.
pub const MIN_REPLICATIONS: usize = 8;

/// The uncertain value that goes most closely with what one target reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Driver {
    /// The target's index in the scenario's list.
    pub target: usize,
    /// The share of replications that meet it.
    pub share_met: f64,
    /// The value ([`Scenario::uncertain_paths`]).
    pub path: String,
    /// Spearman's rank correlation of the value's draws with what the target reached,
    /// over the replications (−1 to 1).
    pub correlation: f64,
}

/// For each target met in some replications and missed in others (with at least
/// [`MIN_REPLICATIONS`]), the uncertain value whose draws have the largest rank
/// correlation, either way, with what the target reached; in target order. A target
/// no replication measures, or a value drawn the same in every replication, is left
/// out.
pub fn drivers(s: &Scenario, outcome: &Outcome) -> Vec<Driver> {
    let paths = s.uncertain_paths();
    let n = outcome.replications.len();
    if n < MIN_REPLICATIONS || outcome.draws.len() != n || paths.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (k, t) in s.targets.iter().enumerate() {
        let reached: Option<Vec<f64>> =
            outcome.replications.iter().map(|v| t.measure(&|y: u16, g: &str, i: &str| v.lookup(y, g, i))).collect();
        let Some(reached) = reached else { continue };
        let met = reached.iter().filter(|x| t.is_met(**x)).count();
        if met == 0 || met == n {
            continue;
        }
        let best = (0..paths.len())
            .filter_map(|j| {
                let draws: Vec<f64> = outcome.draws.iter().map(|d| d.get(j).copied().unwrap_or(0.0)).collect();
                spearman(&draws, &reached).map(|rho| (j, rho))
            })
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()));
        if let Some((j, rho)) = best {
            out.push(Driver { target: k, share_met: met as f64 / n as f64, path: paths[j].clone(), correlation: rho });
        }
    }
    out
}

/// The lines of a run's summary for [`drivers`]: one per target, its share met and
/// the value its reached value follows.
pub fn drivers_text(s: &Scenario, outcome: &Outcome) -> String {
    let found = drivers(s, outcome);
    if found.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "what a target's misses follow (the uncertain value whose draws go most closely with what it reached, rank \
         correlation over {} replications; replications.csv has every draw):\n",
        outcome.replications.len()
    );
    for d in &found {
        let name = s.targets.get(d.target).map_or("", |t| t.name.as_str());
        out.push_str(&format!(
            "  target {} ({name}), met in {:.0}%: {} ({:+.2})\n",
            d.target + 1,
            100.0 * d.share_met,
            d.path,
            d.correlation
        ));
    }
    out
}

/// `replications.csv`: a row per replication with its seed, the draw of every
/// uncertain value (a column per [`Scenario::uncertain_paths`], standard normal, 0 at
/// the central value), the value each gave (`PATH.value`: an assumption's value in
/// January of the last year, a lever parameter's drawn number when it is one; empty
/// for a dated value or a list), and in the last projected year urban and rural mean income,
/// the urban-rural ratio, the reform's mean change of income per person against the
/// replication's own baseline (urban, rural), and each target's reached value and
/// whether it was met (`target_N_reached`, `target_N_met`, from 1).
///
/// # Errors
/// [`Error::InvalidRequest`] if the CSV cannot be written.
pub fn replications_csv(s: &Scenario, outcome: &Outcome) -> Result<Vec<u8>> {
    let paths = s.uncertain_paths();
    let year = s.last_year;
    let bad = |e: csv::Error| Error::InvalidRequest(format!("writing replications.csv: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = vec!["replication".into(), "seed".into()];
    header.extend(paths.iter().cloned());
    header.extend(paths.iter().map(|p| format!("{p}.value")));
    header.extend(
        ["year", "urban_mean", "rural_mean", "urban_rural_ratio", "urban_change_per_capita", "rural_change_per_capita"]
            .map(String::from),
    );
    for k in 1..=s.targets.len() {
        header.push(format!("target_{k}_reached"));
        header.push(format!("target_{k}_met"));
    }
    w.write_record(&header).map_err(bad)?;
    let cell = |x: Option<f64>| x.map_or_else(String::new, |x| x.to_string());
    for (r, v) in outcome.replications.iter().enumerate() {
        let mut row = vec![r.to_string(), s.replication_seed(r).to_string()];
        let draws = outcome.draws.get(r);
        row.extend((0..paths.len()).map(|j| cell(draws.and_then(|d| d.get(j).copied()))));
        let values = outcome.drawn_values.get(r);
        row.extend((0..paths.len()).map(|j| cell(values.and_then(|v| v.get(j).copied().flatten()))));
        row.push(year.to_string());
        for (group, indicator) in [
            ("urban", "mean_disposable"),
            ("rural", "mean_disposable"),
            ("all", "urban_rural_ratio"),
            ("urban", "mean_change_per_capita"),
            ("rural", "mean_change_per_capita"),
        ] {
            row.push(cell(v.lookup(year, group, indicator)));
        }
        for t in &s.targets {
            let reached = t.measure(&|y: u16, g: &str, i: &str| v.lookup(y, g, i));
            row.push(cell(reached));
            row.push(reached.map_or_else(String::new, |x| u8::from(t.is_met(x)).to_string()));
        }
        w.write_record(&row).map_err(bad)?;
    }
    w.into_inner().map_err(|e| Error::InvalidRequest(format!("writing replications.csv: {e}")))
}

/// Spearman's rank correlation of `x` and `y` (ties take their mean rank); `None`
/// when either is constant or they differ in length.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 2 {
        return None;
    }
    pearson(&ranks(x), &ranks(y))
}

/// The ranks of `x` from 1, ties at their mean rank.
fn ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut out = vec![0.0; x.len()];
    let mut i = 0;
    while i < order.len() {
        let tied = order[i..].iter().take_while(|&&k| x[k] == x[order[i]]).count();
        let rank = i as f64 + (tied as f64 + 1.0) / 2.0;
        for &k in &order[i..i + tied] {
            out[k] = rank;
        }
        i += tied;
    }
    out
}

/// Pearson's correlation; `None` when either series is constant.
fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let cov: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let (vx, vy): (f64, f64) = (x.iter().map(|a| (a - mx).powi(2)).sum(), y.iter().map(|b| (b - my).powi(2)).sum());
    (vx > 0.0 && vy > 0.0).then(|| cov / (vx * vy).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_correlation_follows_order_not_scale() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(spearman(&x, &[1.0, 4.0, 9.0, 16.0, 1000.0]), Some(1.0));
        assert_eq!(spearman(&x, &[5.0, 4.0, 3.0, 2.0, 1.0]), Some(-1.0));
        assert_eq!(spearman(&x, &[2.0; 5]), None);
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
    }
}

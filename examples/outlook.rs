//! The national outlook: the 2022 population projected to 2030 under the baseline
//! (`scenarios/national-2022-outlook.toml`), urban and rural mean income and their
//! ratio each year over the replications (mean and 5–95% range; the urban and the rural
//! wage growth uncertain from 2026, their draws correlated as the published rates are),
//! and the share of residents aged 60 and over, beside the published
//! figures of the years already published.
//!
//! Run with `cargo run --release --example outlook [HOUSEHOLDS]` (default: the
//! scenario's 20,000).

use incomesim::engine::{IntervalRow, Projection};

/// Published mean per-capita disposable income by year and group (`urban`, `rural`),
/// from the copy of the NBS series in `data/published/national_income.csv`.
fn published(year: u16, group: &str) -> Option<f64> {
    include_str!("../data/published/national_income.csv").lines().skip(1).find_map(|line| {
        let f: Vec<&str> = line.split(',').collect();
        (f.first()?.parse::<u16>().ok()? == year && *f.get(1)? == group).then(|| f.get(2)?.parse().ok()).flatten()
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut s = incomesim::scenario::load_builtin("national-2022-outlook")?;
    if let Some(arg) = std::env::args().nth(1) {
        s.households =
            arg.parse().map_err(|_| format!("HOUSEHOLDS must be a whole number of households, got `{arg}`"))?;
    }
    let outcome = Projection::new(&s).run()?;
    let rows = outcome.intervals();
    let find = |year: u16, group: &str, indicator: &str| -> Option<&IntervalRow> {
        rows.iter().find(|r| r.year == year && r.group == group && r.indicator == indicator)
    };
    println!("{}: {} households, {} replications, seed {}\n", s.name, s.households, s.replications, s.seed);
    println!(
        "{:<6} {:>26} {:>10} {:>26} {:>10} {:>20} {:>10} {:>7} {:>10}",
        "year",
        "urban mean (5-95%)",
        "published",
        "rural mean (5-95%)",
        "published",
        "ratio (5-95%)",
        "published",
        "60+ %",
        "published"
    );
    // Percent, NBS communiqués (data/published/demography.csv).
    let published_60_plus = incomesim::dynamics::published::demography("age_60_plus_pct");
    for year in s.profile.base_year..=s.last_year {
        let cell = |group: &str| {
            find(year, group, "mean_disposable")
                .map_or("".to_string(), |r| format!("{:.0} ({:.0}-{:.0})", r.mean, r.p05, r.p95))
        };
        let shown = |x: Option<f64>, digits: usize| x.map_or("".to_string(), |v| format!("{v:.digits$}"));
        let (urban, rural) = (published(year, "urban"), published(year, "rural"));
        let ratio = find(year, "all", "urban_rural_ratio")
            .map_or("".to_string(), |r| format!("{:.3} ({:.2}-{:.2})", r.mean, r.p05, r.p95));
        let published_ratio = urban.zip(rural).map(|(u, r)| u / r);
        let old = find(year, "all", "share_60_plus").map(|r| 100.0 * r.mean);
        println!(
            "{year:<6} {:>26} {:>10} {:>26} {:>10} {:>20} {:>10} {:>7} {:>10}",
            cell("urban"),
            shown(urban, 0),
            cell("rural"),
            shown(rural, 0),
            ratio,
            shown(published_ratio, 3),
            shown(old, 1),
            shown(published_60_plus.iter().find(|(y, _)| *y == year).map(|(_, v)| *v), 1)
        );
    }
    let drawn: Vec<String> = s.uncertain_fields().iter().map(|(f, spread)| format!("{f} {spread}")).collect();
    println!("\ndrawn anew by each replication after the first: {}", drawn.join(", "));
    for c in &s.correlations {
        println!("their draws correlated: {}", c.describe());
    }
    println!("\nchecks against the published years (mean of the replications):");
    for t in &outcome.targets {
        let reached = t.reached.map_or("not evaluated".to_string(), |x| format!("{x:.3}"));
        println!("  {:<7} {:<62} reached {reached}", if t.met { "MET" } else { "MISSED" }, t.name);
    }
    Ok(())
}

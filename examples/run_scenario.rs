//! Run a scenario from Rust code and print the year table, the targets and who
//! receives each lever's payments (shares by quintile group of the last year).
//!
//! Run with `cargo run --release --example run_scenario [SCENARIO.toml] [HOUSEHOLDS]`;
//! without a file it runs the embedded default scenario (the Liupanshui 2022 plan), and a
//! number sets the household count (the scenario's own otherwise).

use incomesim::engine::{Projection, Scenario};
use incomesim::indicators::Group;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut file = None;
    let mut households = None;
    for arg in std::env::args().skip(1) {
        match arg.parse::<usize>() {
            Ok(n) => households = Some(n),
            Err(_) => file = Some(std::path::PathBuf::from(arg)),
        }
    }
    let mut scenario = match &file {
        Some(path) => Scenario::from_file(path)?,
        None => Scenario::default_scenario()?,
    };
    if let Some(n) = households {
        scenario.households = n;
    }
    let outcome = Projection::new(&scenario).run()?;

    println!(
        "{} on {} ({} households, seed {})\n",
        scenario.name, scenario.profile.name, scenario.households, scenario.seed
    );
    println!(
        "{:<6} {:>10} {:>10} {:>7} {:>7} {:>12} {:>12}",
        "year", "urban", "rural", "ratio", "Gini", "dibao hh", "base ratio"
    );
    for (reform, baseline) in outcome.reform.years.iter().zip(&outcome.baseline.years) {
        let (r, b) = (&reform.indicators, &baseline.indicators);
        println!(
            "{:<6} {:>10.0} {:>10.0} {:>7.3} {:>7.4} {:>12.0} {:>12.3}",
            r.year,
            r.group(Group::Urban).mean.disposable,
            r.group(Group::Rural).mean.disposable,
            r.urban_rural_ratio,
            r.group(Group::All).gini,
            r.group(Group::All).dibao_households,
            b.urban_rural_ratio
        );
    }
    println!("\ntargets ({} of {} met):", outcome.targets.iter().filter(|t| t.met).count(), outcome.targets.len());
    for (t, def) in outcome.targets.iter().zip(&scenario.targets) {
        // Growth and shares as percentages, counts and yuan with thousands separators.
        let [reached, target, _] = t.cells(Some(def));
        println!("  {:<7} {:<58} reached {reached:>12}  target {target}", if t.met { "met" } else { "MISSED" }, t.name);
    }
    if let Some(last) = outcome.reform.years.last() {
        println!(
            "\nwho receives each lever's payments in {}: share by quintile group, lowest first",
            last.indicators.year
        );
        println!(
            "  {:<38} {:>12} {:>6} {:>6} {:>6} {:>6} {:>6}",
            "lever", "million yuan", "Q1", "Q2", "Q3", "Q4", "Q5"
        );
        for name in &outcome.lever_names {
            let Some(r) = last.ledger.get(name) else { continue };
            let Some(shares) = r.quintile_shares() else { continue };
            let shares: Vec<String> = shares.iter().map(|s| format!("{:>5.1}%", 100.0 * s)).collect();
            println!("  {:<38} {:>12.1} {}", name, r.paid_to_households / 1e6, shares.join(" "));
        }
    }
    Ok(())
}

//! The historical backtest: the national population of 2015 projected to 2025 with the
//! published inputs of those years, against the published 2016–2025 incomes.
//!
//! Run with `cargo run --release --example backtest [households]` (default 20,000).
//! Prints a markdown table: published and simulated mean per-capita disposable income
//! (urban, rural) and the urban-rural ratio, with the errors; then, for the last year
//! whose urban and rural parts are published, each part beside its published value:
//! where the gap is.

use incomesim::engine::{Projection, Scenario};
use incomesim::indicators::Group;

/// Published mean per-capita disposable income by year: (urban, rural), from the copy of
/// the NBS series in `data/published/national_income.csv`.
fn published() -> Vec<(u16, f64, f64)> {
    let text = include_str!("../data/published/national_income.csv");
    let mut rows: Vec<(u16, f64, f64)> = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (Ok(year), Ok(value)) = (f[0].parse::<u16>(), f[2].parse::<f64>()) else { continue };
        let i = match rows.iter().position(|r| r.0 == year) {
            Some(i) => i,
            None => {
                rows.push((year, 0.0, 0.0));
                rows.len() - 1
            }
        };
        match f[1] {
            "urban" => rows[i].1 = value,
            "rural" => rows[i].2 = value,
            _ => {}
        }
    }
    rows
}

/// The income parts in `national_income.csv`'s column order.
const PARTS: [&str; 4] = ["wage", "operating", "property", "transfer"];

/// Published per-capita parts by year and group (`urban`, `rural`) where all four are
/// given: `(year, group, [wage, operating, property, net transfer])`.
fn published_parts() -> Vec<(u16, String, [f64; 4])> {
    let text = include_str!("../data/published/national_income.csv");
    let mut rows = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let Ok(year) = f[0].parse::<u16>() else { continue };
        if f.len() < 8 || !matches!(f[1], "urban" | "rural") {
            continue;
        }
        let values: Vec<f64> = f[4..8].iter().filter_map(|x| x.parse().ok()).collect();
        if let [w, o, p, t] = values[..] {
            rows.push((year, f[1].to_string(), [w, o, p, t]));
        }
    }
    rows
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let households = std::env::args()
        .nth(1)
        .map(|s| s.parse().map_err(|_| format!("HOUSEHOLDS must be a whole number of households, got `{s}`")))
        .transpose()?
        .unwrap_or(20_000);
    let mut s = Scenario::from_toml_str(include_str!("../scenarios/backtest-national-2015.toml"), "backtest")?;
    s.households = households;
    let outcome = Projection::new(&s).run()?;
    println!("Backtest national-2015 → 2025, {households} households, seed {}\n", s.seed);
    println!(
        "| year | urban published | urban simulated | error | rural published | rural simulated | error | ratio published | ratio simulated |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (year, u, r) in published() {
        let Some(ind) = outcome.reform.year(year) else { continue };
        let (su, sr) = (ind.group(Group::Urban).mean.disposable, ind.group(Group::Rural).mean.disposable);
        println!(
            "| {year} | {u:.0} | {su:.0} | {:+.1}% | {r:.0} | {sr:.0} | {:+.1}% | {:.2} | {:.2} |",
            100.0 * (su / u - 1.0),
            100.0 * (sr / r - 1.0),
            u / r,
            su / sr
        );
    }
    // The parts of the last year that publishes them for both groups.
    let parts = published_parts();
    if let Some(last) = parts.iter().map(|r| r.0).filter(|y| outcome.reform.year(*y).is_some()).max() {
        println!("\nParts of per-capita income in {last}, the last year with published urban and rural parts:\n");
        println!("| group | part | published | simulated | error |");
        println!("|---|---|---:|---:|---:|");
        for (_, group, values) in parts.iter().filter(|r| r.0 == last) {
            let Some(ind) = outcome.reform.year(last) else { continue };
            let g = if group == "urban" { Group::Urban } else { Group::Rural };
            let m = &ind.group(g).mean;
            let simulated = [m.wage, m.operating, m.property, m.net_transfer];
            for ((part, p), s) in PARTS.iter().zip(values).zip(simulated) {
                let name = if *part == "transfer" { "net transfer" } else { part };
                println!("| {group} | {name} | {p:.0} | {s:.0} | {:+.1}% |", 100.0 * (s / p - 1.0));
            }
        }
    }
    Ok(())
}

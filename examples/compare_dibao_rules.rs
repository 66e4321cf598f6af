//! Compare two dibao rules on the same population: the base rules carried forward
//! against a dibao that leaves the residents' basic pension out of assessed income
//! (Baotou district plan §(九)) and keeps its thresholds in step with residents'
//! incomes (Bayannur plan §(二十), 自然增长机制). Prints caseload, cost, poverty and the
//! urban-rural ratio side by side, year by year.
//!
//! Run with `cargo run --release --example compare_dibao_rules [HOUSEHOLDS] [REGION]`
//! (default 10,000 households of `liupanshui-2021`).

use incomesim::engine::{Outcome, Projection, ReformLever, Scenario};
use incomesim::indicators::Group;
use incomesim::region::Profile;

/// Runs the region's baseline with one dibao rule as the reform.
fn run(profile: &Profile, households: usize, dibao: &str) -> Result<Outcome, Box<dyn std::error::Error>> {
    let mut scenario = Scenario::baseline(profile.clone());
    scenario.households = households;
    scenario.shapley = false;
    scenario.reform.push(ReformLever { name: "dibao".into(), params: toml::from_str(dibao)? });
    Ok(Projection::new(&scenario).run()?)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let households = args
        .first()
        .map(|s| s.parse().map_err(|_| format!("HOUSEHOLDS must be a whole number of households, got `{s}`")))
        .transpose()?
        .unwrap_or(10_000);
    let profile = Profile::builtin(args.get(1).map_or("liupanshui-2021", String::as_str))?;
    let a = run(&profile, households, "")?;
    let b = run(&profile, households, "disregard_basic_pension = true\nindexation = \"incomes\"")?;

    println!("{} ({households} households)", profile.name);
    println!("A: the base dibao rules carried forward");
    println!("B: basic pension disregarded, thresholds indexed to residents' incomes\n");
    println!(
        "{:<6} {:>11} {:>11} {:>10} {:>10} {:>9} {:>9} {:>9} {:>9} {:>7} {:>7}",
        "year",
        "caseload A",
        "caseload B",
        "cost A",
        "cost B",
        "<dibao A",
        "<dibao B",
        "<6000 A",
        "<6000 B",
        "ratio A",
        "ratio B"
    );
    for (ya, yb) in a.reform.years.iter().zip(&b.reform.years) {
        let cost =
            |y: &incomesim::engine::projection::YearResult| y.ledger.get("dibao").map_or(0.0, |r| r.fiscal_cost) / 1e6;
        let (ia, ib) = (&ya.indicators, &yb.indicators);
        let (ga, gb) = (ia.group(Group::All), ib.group(Group::All));
        let pct = |x: Option<f64>| x.map_or("n/a".to_string(), |v| format!("{:.2}%", 100.0 * v));
        println!(
            "{:<6} {:>11.0} {:>11.0} {:>10.1} {:>10.1} {:>9} {:>9} {:>9} {:>9} {:>7.3} {:>7.3}",
            ia.year,
            ga.dibao_households,
            gb.dibao_households,
            cost(ya),
            cost(yb),
            pct(ia.get(Group::All, "headcount_dibao")),
            pct(ib.get(Group::All, "headcount_dibao")),
            pct(ia.get(Group::All, "headcount_6000")),
            pct(ib.get(Group::All, "headcount_6000")),
            ia.urban_rural_ratio,
            ib.urban_rural_ratio
        );
    }
    println!("\ncaseload: households on dibao; cost: million yuan a year; <dibao, <6000: share of persons");
    println!("below their dibao line and below 6,000 yuan a year after every transfer");
    Ok(())
}

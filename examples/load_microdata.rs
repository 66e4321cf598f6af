//! Load survey microdata from CSV and run a region's base-year rules on it.
//!
//! Run with `cargo run --release --example load_microdata [households.csv persons.csv [region]]`;
//! without arguments it loads the small example in `tests/data/microdata/valid/`. The
//! column layout is in `docs/microdata.md`.

use std::path::PathBuf;

use incomesim::microdata::{LoadOptions, load_csv};
use incomesim::model::Accounts;
use incomesim::policy::base::base_rule_set;
use incomesim::policy::registry::BaseCalibration;
use incomesim::policy::{LeverColumns, YearContext};
use incomesim::region::Profile;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/microdata/valid");
    let households = args.first().map(PathBuf::from).unwrap_or_else(|| root.join("households.csv"));
    let persons = args.get(1).map(PathBuf::from).unwrap_or_else(|| root.join("persons.csv"));
    let region = args.get(2).map(String::as_str).unwrap_or("liupanshui-2021");

    let mut population = load_csv(&households, &persons, &LoadOptions::default())?;
    let profile = Profile::builtin(region)?;
    // Everyone eligible takes dibao up and the means test is exact: the rules as written.
    let rules = base_rule_set(&profile, &BaseCalibration::NONE)?;
    let ctx = YearContext::base(profile.base_year, 1);
    let mut accounts = Accounts::default();
    let mut columns = LeverColumns::default();
    let ledger = rules.apply_year(&ctx, &mut population, &mut accounts, &mut columns);

    println!(
        "{} households, {} persons from {}, under the {} rules of {}\n",
        population.household_count(),
        population.person_count(),
        households.display(),
        profile.base_year,
        profile.name
    );
    println!(
        "{:>9} {:>6} {:>4} {:>10} {:>10} {:>10} {:>10} {:>12}",
        "household", "area", "size", "wage", "operating", "net trans", "dibao", "per capita"
    );
    let dibao = ledger.records.iter().position(|r| r.lever == "dibao");
    for h in 0..population.household_count() {
        let p = accounts.parts(h);
        let size = population.households.size[h] as f64;
        println!(
            "{:>9} {:>6} {:>4} {:>10.0} {:>10.0} {:>10.0} {:>10.0} {:>12.0}",
            population.household_id(h),
            population.households.residence[h].as_str(),
            size,
            p.wage,
            p.operating,
            p.net_transfer(),
            dibao.map_or(0.0, |d| columns.paid[d][h]),
            p.disposable() / size
        );
    }
    println!("\nwhat each rule paid (weighted):");
    for r in &ledger.records {
        println!(
            "  {:<28} {:>14.0} yuan to {:>10.1} households",
            r.lever, r.paid_to_households, r.recipient_households
        );
    }
    Ok(())
}

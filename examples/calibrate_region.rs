//! Calibrate a region and show what an analyst checks first: the fit of the key
//! targets, the urban-rural ratio, and the base-year dibao caseload and spending.
//!
//! Run with `cargo run --release --example calibrate_region [region] [households]`.

use incomesim::generate::Generator;
use incomesim::model::Accounts;
use incomesim::policy::{LeverColumns, YearContext};
use incomesim::region::Profile;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let region = args.next().unwrap_or_else(|| "liupanshui-2021".to_string());
    let households: usize = args
        .next()
        .map(|s| s.parse().map_err(|_| format!("HOUSEHOLDS must be a whole number of households, got `{s}`")))
        .transpose()?
        .unwrap_or(50_000);

    let profile = Profile::builtin(&region)?;
    let generator = Generator::calibrate(&profile, 7)?;
    let mut population = generator.generate(households)?;
    let report = generator.report(&population);

    println!("{} — {} households, {} persons", profile.name, population.household_count(), population.person_count());
    for name in [
        "urban mean disposable income",
        "rural mean disposable income",
        "urban dibao recipients",
        "rural dibao recipients",
    ] {
        if let Some(t) = report.get(name) {
            println!(
                "  {name:<32} published {:>12.0}  simulated {:>12.0}  ({:+.2}%)",
                t.published,
                t.simulated,
                100.0 * t.relative_error
            );
        }
    }
    if let (Some(u), Some(r)) = (report.get("urban mean disposable income"), report.get("rural mean disposable income"))
    {
        println!(
            "  urban-rural ratio (城乡收入比)   published {:>12.2}  simulated {:>12.2}",
            u.published / r.published,
            u.simulated / r.simulated
        );
    }

    // Base-year spending by rule, grossed up.
    let ctx = YearContext::base(profile.base_year, 7);
    let mut accounts = Accounts::default();
    let mut columns = LeverColumns::default();
    let ledger = generator.rules().apply_year(&ctx, &mut population, &mut accounts, &mut columns);
    println!("\n  base-year rules, {}:", profile.base_year);
    for r in &ledger.records {
        println!(
            "  {:<28} paid {:>10.1} million yuan to {:>10.0} households ({:>10.0} persons)",
            r.lever,
            r.paid_to_households / 1e6,
            r.recipient_households,
            r.recipient_persons
        );
    }
    Ok(())
}

//! How sure is the plan's verdict, and which unpublished number matters most? The
//! Liupanshui 2022 plan with every lever parameter that stands at an assumed default
//! (the `levers.…` assumptions a run lists) uncertain by ±25% (one standard
//! deviation): 20 replications on one population (`replication_seeds = "same"`), so
//! they differ by those values alone, give each target the share of them that meet it,
//! the value a target's misses follow, and the reform's effect a range; then each value
//! moved alone ranks them.
//!
//! Run with `cargo run --release --example uncertain_levers [HOUSEHOLDS]` (default
//! 10,000).

use incomesim::engine::sensitivity::Plan;
use incomesim::engine::uncertain_levers::add_assumed_defaults;
use incomesim::engine::{Projection, ReplicationSeeds, Scenario};
use incomesim::generate::Generator;
use incomesim::report::chart::thousands;

/// One standard deviation of every assumed default, as a share of it.
const RELATIVE_SD: f64 = 0.25;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let households = std::env::args()
        .nth(1)
        .map(|s| s.parse().map_err(|_| format!("HOUSEHOLDS must be a whole number of households, got `{s}`")))
        .transpose()?
        .unwrap_or(10_000);
    let mut s = Scenario::default_scenario()?;
    s.households = households;
    s.shapley = false;
    s.replications = 20;
    s.replication_seeds = ReplicationSeeds::Same;
    let added = add_assumed_defaults(&mut s, RELATIVE_SD)?;
    println!(
        "{}: {households} households, {} replications on one population, {added} lever assumptions drawn with a \
         relative sd of {:.0}%",
        s.name,
        s.replications,
        RELATIVE_SD * 100.0
    );

    let generator = Generator::calibrate(&s.profile, s.seed)?;
    let outcome = Projection::new(&s).run_with_generator(&generator)?;
    let last = s.last_year;
    println!("\nthe reform's effect in {last}, yuan per person a year (each replication against its own baseline):");
    let intervals = outcome.intervals();
    for group in ["urban", "rural"] {
        if let Some(r) =
            intervals.iter().find(|r| r.year == last && r.group == group && r.indicator == "mean_change_per_capita")
        {
            println!("  {group:<6} mean {:+.0}, 90% of replications within {:+.0} to {:+.0}", r.mean, r.p05, r.p95);
        }
    }
    println!("\ntargets: the share of replications that meet each");
    for t in &outcome.targets {
        println!("  {:>4.0}%  {}", t.probability * 100.0, t.name);
    }
    // A target met in some replications only: the draw its result follows most.
    for d in incomesim::engine::discovery::drivers(&s, &outcome) {
        let name = s.targets.get(d.target).map_or("", |t| t.name.as_str());
        println!(
            "  {name}: met in {:.0}%, its result follows {} most (rank correlation {:+.2} over the replications)",
            d.share_met * 100.0,
            d.path,
            d.correlation
        );
    }

    let plan = Plan::new(&s, 1.0)?;
    let results = plan.run(&generator, Projection::new)?;
    let rows = plan.ranked(&results);
    println!(
        "\nwhich assumption to pin down first: rural income in {last} with each at -1 and +1 sd, the others central"
    );
    for r in rows.iter().take(5) {
        println!(
            "  {:<52} {:>7} to {:>7}  (swing {})",
            r.field,
            thousands(r.low.rural_mean),
            thousands(r.high.rural_mean),
            thousands(r.rural_swing())
        );
    }
    let still = rows.iter().filter(|r| r.rural_swing() < 10.0).count();
    println!("  … and {still} of the {} move it by less than 10 yuan", rows.len());
    Ok(())
}

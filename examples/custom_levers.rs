//! Build a reform in code: levers of the registry by name with their parameters,
//! checked one by one with `policy::registry::build`, then run with each lever's
//! contribution (Shapley values) and cost.
//!
//! Run with `cargo run --release --example custom_levers [HOUSEHOLDS]` (default 10,000).
//! The reform (Wuzhong 2022 population): residents' basic pension +5 yuan/month each
//! year (Wuzhong plan §12), 1,500 public-welfare posts a year (Wuzhong plan clause 6),
//! 2,000 start-ups a year creating 3,000 jobs (clause 6) and a dibao indexed to prices
//! that leaves the basic pension out of assessed income. The last year's lines show
//! what each lever paid households, how much of it employers and businesses paid
//! (private) and what it cost public budgets.

use incomesim::engine::{Projection, ReformLever, Scenario};
use incomesim::policy::registry::{self, BuildContext};
use incomesim::region::Profile;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let households = std::env::args()
        .nth(1)
        .map(|s| s.parse().map_err(|_| format!("HOUSEHOLDS must be a whole number of households, got `{s}`")))
        .transpose()?
        .unwrap_or(10_000);
    let profile = Profile::builtin("wuzhong-2022")?;
    let mut scenario = Scenario::baseline(profile);
    scenario.name = "Wuzhong: pensions, posts, start-ups and an indexed dibao".into();
    scenario.households = households;

    // Parameters as a scenario file writes them under `[levers.NAME]`.
    let reform = [
        ("resident_pension", "yearly_increment_per_month = 5"),
        ("public_welfare_posts", "posts_per_year = 1500\npay_per_month = 800"),
        ("start_up_support", "start_ups_per_year = 2000\njobs_per_start_up = 1.5"),
        ("dibao", "indexation = \"prices\"\ndisregard_basic_pension = true"),
    ];
    for (name, text) in reform {
        let params: toml::Table = toml::from_str(text)?;
        // Building the lever checks every parameter (name, kind, range) before the run.
        let context =
            BuildContext { base_year: scenario.profile.base_year, profile: &scenario.profile, calibration: None };
        let lever = registry::build(name, context, &params)?;
        println!("built {:<22} {}", lever.name(), text.replace('\n', ", "));
        scenario.reform.push(ReformLever { name: name.to_string(), params });
    }

    let outcome = Projection::new(&scenario).run()?;
    let Some(c) = &outcome.contributions else {
        return Err("no contributions computed".into());
    };
    println!(
        "\n{} ({} households, {}–{}), {}",
        scenario.name,
        scenario.households,
        scenario.profile.base_year,
        scenario.last_year,
        c.method.describe()
    );
    let last = outcome.reform.years.last().ok_or("no years")?;
    println!("(paid, private and cost: million yuan in {})", last.indicators.year);
    println!(
        "{:<24} {:>16} {:>16} {:>10} {:>10} {:>10} {:>10}",
        "lever", "urban growth pp", "rural growth pp", "ratio", "paid", "private", "cost"
    );
    for (k, name) in outcome.lever_names.iter().enumerate() {
        let (paid, private, cost) =
            last.ledger.get(name).map_or((0.0, 0.0, 0.0), |r| (r.paid_to_households, r.paid_privately, r.fiscal_cost));
        println!(
            "{:<24} {:>16.3} {:>16.3} {:>10.4} {:>10.1} {:>10.1} {:>10.1}",
            name,
            100.0 * c.value[k][0],
            100.0 * c.value[k][1],
            c.value[k][2],
            paid / 1e6,
            private / 1e6,
            cost / 1e6
        );
    }
    println!("{:<24} {:>16.3} {:>16.3} {:>14.4}", "total", 100.0 * c.total[0], 100.0 * c.total[1], c.total[2]);
    Ok(())
}

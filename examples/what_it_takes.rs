//! What it takes: for each target of the Liupanshui 2022 plan, the rural dibao
//! threshold that meets it on its own, and the rural wage growth that would, found by
//! bisection (`engine::solve`) on the same population and seed, with what the levers
//! cost at that point.
//!
//! Run with `cargo run --release --example what_it_takes [HOUSEHOLDS]` (default 20,000).

use incomesim::engine::solve::{Solution, SolveRequest, solve};
use incomesim::engine::{Projection, Scenario};
use incomesim::generate::Generator;
use incomesim::report::chart::thousands;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let households = std::env::args()
        .nth(1)
        .map(|s| s.parse().map_err(|_| format!("HOUSEHOLDS must be a whole number of households, got `{s}`")))
        .transpose()?
        .unwrap_or(20_000);
    let mut scenario = Scenario::default_scenario()?;
    scenario.households = households;
    // Calibration reads only the profile and the seed: once for every run.
    let generator = Generator::calibrate(&scenario.profile, scenario.seed)?;
    let project = |s: &Scenario| Projection::new(s).run_with_generator(&generator);

    println!(
        "{}: {} households, seed {}, {}–{}",
        scenario.name, households, scenario.seed, scenario.profile.base_year, scenario.last_year
    );
    println!("each target alone: the rural dibao threshold (yuan/month, 300–3,000) that meets it, or the");
    println!("rural wage growth a year (0–30%) that would, every other lever and assumption as in the plan\n");
    println!("{:<58} {:>22} {:>16} {:>20}", "target", "rural dibao threshold", "cost, mln yuan", "rural wage growth");
    let mut runs = 0;
    for (k, target) in scenario.targets.iter().enumerate() {
        let number = (k + 1).to_string();
        let threshold =
            SolveRequest::parse(&scenario, "levers.dibao.rural_threshold_per_month=300:3000", &number, Some(10.0))?;
        let growth = SolveRequest::parse(&scenario, "assumptions.wage_growth_rural=0:0.3", &number, Some(0.0025))?;
        // The two searches side by side (a city's population keeps one thread busy each).
        let (by_threshold, by_growth) =
            rayon::join(|| solve(&scenario, &threshold, project), || solve(&scenario, &growth, project));
        let (by_threshold, by_growth) = (by_threshold?, by_growth?);
        runs += by_threshold.runs.len() + by_growth.runs.len();
        let (at, cost) = match &by_threshold.solution {
            Solution::Crossing { met, missed } => (
                format!(
                    "{} from {}",
                    if met.values[0] > missed.values[0] { "met" } else { "met up to" },
                    met.values[0]
                ),
                format!("{:.1}", met.summary.programme_cost / 1e6),
            ),
            Solution::MetThroughout => ("met at any".to_string(), String::new()),
            Solution::MissedThroughout => ("not within 3,000".to_string(), String::new()),
        };
        let wage = match &by_growth.solution {
            Solution::Crossing { met, missed } => format!(
                "{} {:.2}%",
                if met.values[0] > missed.values[0] { "from" } else { "up to" },
                100.0 * met.values[0]
            ),
            Solution::MetThroughout => "met at any".to_string(),
            Solution::MissedThroughout => "not within 30%".to_string(),
        };
        println!("{:<58} {:>22} {:>16} {:>20}", target.name, at, cost, wage);
    }
    let base = Projection::new(&{
        let mut s = scenario.clone();
        s.shapley = false;
        s
    })
    .run_with_generator(&generator)?;
    let last = base.reform.years.last().map(|y| &y.indicators);
    if let Some(y) = last {
        println!(
            "\nthe plan as written reaches, in {}: urban {} and rural {} yuan per person, ratio {:.3}",
            y.year,
            thousands(y.group(incomesim::indicators::Group::Urban).mean.disposable),
            thousands(y.group(incomesim::indicators::Group::Rural).mean.disposable),
            y.urban_rural_ratio
        );
    }
    println!("{runs} projections in all; a target met or missed at both ends says so instead of a value");
    Ok(())
}

//! What each replication drew and what came of it (`replications.csv`), and which
//! uncertain value a target's misses follow.

use incomesim::engine::discovery::{MIN_REPLICATIONS, drivers, replications_csv, spearman};
use incomesim::engine::{Projection, Scenario};
use incomesim::policy::registry::BuildContext;
use incomesim::scenario::parse_str;

/// Wuzhong's population with training places uncertain (relative sd 50%) and the job
/// chance of trainees "uncertain" with a spread of 0 (drawn, but moving nothing), on
/// one population, so the drawn values alone make replications differ.
fn scenario(target: f64, replications: usize) -> Scenario {
    let text = format!(
        "name = \"d\"\nregion = \"wuzhong-2022\"\nhouseholds = 800\nlast_year = 2024\nshapley = false\n\
         replications = {replications}\nreplication_seeds = \"same\"\n[levers.skills_training]\nplaces_per_year = 20000\n\
         [uncertainty.levers.skills_training]\nplaces_per_year = {{ relative_sd = 0.5 }}\nemployment_probability = 0\n\
         [[targets]]\nname = \"rural income\"\ngroup = \"rural\"\nindicator = \"mean_disposable\"\nmeasure = \"level\"\n\
         year = 2024\nvalue = {target}\ncomparison = {{ kind = \"at_least\" }}\n"
    );
    parse_str(&text, "d.toml").unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_table_has_each_replications_draws_and_results() {
    let s = scenario(1.0, 4);
    let outcome = Projection::new(&s).run().expect("runs");
    assert_eq!(outcome.draws.len(), 4);
    assert!(outcome.draws[0].iter().all(|z| *z == 0.0), "the first runs the central values");
    let context = BuildContext::new(&s.profile);
    for (r, d) in outcome.draws.iter().enumerate() {
        assert_eq!(d, &s.drawn(r, context).expect("drawn").values, "replication {r}");
    }
    let csv = String::from_utf8(replications_csv(&s, &outcome).expect("csv")).expect("utf-8");
    let mut rows = csv.lines();
    let header: Vec<&str> = rows.next().expect("header").split(',').collect();
    assert_eq!(
        header[..7],
        [
            "replication",
            "seed",
            "levers.skills_training.employment_probability",
            "levers.skills_training.places_per_year",
            "levers.skills_training.employment_probability.value",
            "levers.skills_training.places_per_year.value",
            "year"
        ]
    );
    assert_eq!(header.last(), Some(&"target_1_met"));
    let rows: Vec<Vec<&str>> = rows.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 4);
    let column = |name: &str| header.iter().position(|h| *h == name).expect(name);
    for (r, row) in rows.iter().enumerate() {
        assert_eq!(row[column("seed")], s.seed.to_string(), "one population");
        let z: f64 = row[column("levers.skills_training.places_per_year")].parse().expect("draw");
        assert_eq!(z, outcome.draws[r][1]);
        // The value drawn: 20,000 places × (1 + 0.5 z), at least 0; the job chance at
        // its default whatever its draw (a spread of 0).
        let places: f64 = row[column("levers.skills_training.places_per_year.value")].parse().expect("value");
        assert!((places - (20_000.0 * (1.0 + 0.5 * z)).max(0.0)).abs() < 1e-6, "{places} at {z}");
        let chance: f64 = row[column("levers.skills_training.employment_probability.value")].parse().expect("default");
        assert!(chance > 0.0 && chance < 1.0 && Some(chance) == outcome.drawn_values[0][0], "{chance}");
        let rural: f64 = row[column("rural_mean")].parse().expect("rural");
        assert_eq!(Some(rural), outcome.replications[r].lookup(2024, "rural", "mean_disposable"));
        assert_eq!(row[column("target_1_reached")], row[column("rural_mean")]);
        assert_eq!(row[column("target_1_met")], "1", "every replication is above 1 yuan");
    }
}

#[test]
fn a_targets_misses_follow_the_value_that_moves_it() {
    let replications = MIN_REPLICATIONS + 4;
    // One calibration for every run: they share the profile and seed.
    let generator = incomesim::generate::Generator::calibrate(&scenario(1.0, 1).profile, 7).expect("calibrates");
    let run = |s: &Scenario| Projection::new(s).run_with_generator(&generator).expect("runs");
    // The central run's rural income as the target: replications with fewer places miss it.
    let central = {
        let mut c = scenario(1.0, 1);
        c.clear_uncertainty();
        run(&c).reform.lookup(2024, "rural", "mean_disposable").expect("rural")
    };
    let s = scenario(central, replications);
    let outcome = run(&s);
    let found = drivers(&s, &outcome);
    assert_eq!(found.len(), 1, "{found:?}");
    let d = &found[0];
    assert_eq!(d.path, "levers.skills_training.places_per_year");
    assert!(d.correlation > 0.8, "more places, more rural income: {}", d.correlation);
    assert!(d.share_met > 0.0 && d.share_met < 1.0);
    assert!((d.share_met - outcome.targets[0].probability).abs() < 1e-12);
    // The run's table says so.
    let table = incomesim::engine::report::summary_table(&s, &outcome);
    assert!(table.contains("target 1 (rural income), met in"), "{table}");
    assert!(table.contains("levers.skills_training.places_per_year (+"), "{table}");
    let page = incomesim::report::html::report(&s, &outcome, &serde_json::json!({}), &[], "2026-01-02 03:04 UTC");
    assert!(page.contains("<code>levers.skills_training.places_per_year</code> (+"), "the report page");
    // A chart of what the target reached against that draw, met and missed apart.
    let charts = incomesim::report::figures::charts(&s, &outcome);
    let chart = charts.iter().find(|c| c.stem == "target_1_draws").expect("the target's chart");
    let points = |name: &str| chart.series.iter().find(|x| x.name == name).map_or(0, |x| x.points.len());
    let met = (d.share_met * replications as f64).round() as usize;
    assert_eq!((points("met 达到"), points("missed 未达到")), (met, replications - met));
    assert!(chart.series.iter().any(|x| x.points.iter().all(|p| p.1 == central)), "the target's line");
    assert!(chart.x_label.contains("levers.skills_training.places_per_year"), "{}", chart.x_label);
    incomesim::report::render::svg(chart).expect("draws");
    // Rank correlation, as a check of the helper: the same draws against themselves.
    let z: Vec<f64> = outcome.draws.iter().map(|d| d[1]).collect();
    assert_eq!(spearman(&z, &z), Some(1.0));
    // Too few replications, or a target every replication meets: nothing to say.
    let few = scenario(central, MIN_REPLICATIONS - 1);
    assert!(drivers(&few, &run(&few)).is_empty());
    let easy = scenario(1.0, replications);
    assert!(drivers(&easy, &run(&easy)).is_empty());
}

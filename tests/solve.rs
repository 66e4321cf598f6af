//! Solving for the value at which a target starts to be met.

use std::sync::atomic::{AtomicUsize, Ordering};

use incomesim::engine::solve::{MAX_SOLVE_RUNS, Solution, SolveRequest, solve};
use incomesim::engine::{Projection, Scenario};
use incomesim::scenario::parse_str;

/// Liupanshui to 2023 with a rural dibao lever and one ratio target (at most `ratio`).
fn scenario(ratio: f64) -> Scenario {
    let text = format!(
        "name = \"solve\"\nregion = \"liupanshui-2021\"\nhouseholds = 2000\nlast_year = 2023\n\
         [levers.dibao]\nrural_threshold_per_month = 500\n\
         [[targets]]\nname = \"ratio\"\ngroup = \"all\"\nindicator = \"urban_rural_ratio\"\n\
         measure = \"level\"\nyear = 2023\nvalue = {ratio}\ncomparison = {{ kind = \"at_most\" }}\n"
    );
    parse_str(&text, "solve.toml").unwrap_or_else(|e| panic!("{e}"))
}

/// Runs a point with the population calibrated once (every scenario here shares the
/// profile and the seed).
fn run(s: &Scenario) -> incomesim::Result<incomesim::engine::Outcome> {
    static GENERATOR: std::sync::OnceLock<incomesim::generate::Generator> = std::sync::OnceLock::new();
    let generator =
        GENERATOR.get_or_init(|| incomesim::generate::Generator::calibrate(&s.profile, s.seed).expect("calibrates"));
    Projection::new(s).run_with_generator(generator)
}

#[test]
fn the_crossing_is_bracketed_within_the_tolerance_and_agrees_with_a_plain_run() {
    // The ratio at the scenario's 500 yuan; the target asks a little less.
    let s = scenario(2.6);
    let plain = run(&s).expect("runs");
    let at_500 = plain.reform.lookup(2023, "all", "urban_rural_ratio").expect("ratio");
    let s = scenario(at_500 - 0.01);
    let request = SolveRequest::parse(&s, "levers.dibao.rural_threshold_per_month=300:1500", "ratio", Some(1.0))
        .expect("request");
    let solved = solve(&s, &request, run).expect("solves");
    let Solution::Crossing { met, missed } = &solved.solution else { panic!("{:?}", solved.solution) };
    let (m, x) = (met.values[0], missed.values[0]);
    assert!(m > x && m - x <= 1.0, "met at {m}, missed at {x}: a higher threshold lowers the ratio");
    assert!(m > 500.0, "more than the scenario's own threshold is needed");
    assert!(met.summary.targets[0].met && !missed.summary.targets[0].met);
    assert!(met.summary.ratio <= at_500 - 0.01 && missed.summary.ratio > at_500 - 0.01);
    assert!(solved.runs.len() <= 14, "about log2(1200) runs: {}", solved.runs.len());
    assert!(solved.runs.iter().all(|p| p.values[0].fract() == 0.0), "whole numbers only");
    // The same point run on its own gives the same figures.
    let mut again = s.clone();
    again.shapley = false;
    incomesim::engine::sweep::set(
        &mut again,
        &incomesim::engine::sweep::Axis::parse("levers.dibao.rural_threshold_per_month=1").expect("axis").field,
        m,
    )
    .expect("set");
    let direct = run(&again).expect("runs");
    assert_eq!(direct.reform.lookup(2023, "all", "urban_rural_ratio"), Some(met.summary.ratio));
}

#[test]
fn a_target_met_or_missed_at_both_ends_says_so_after_two_runs() {
    for (ratio, expected) in [(9.0, Solution::MetThroughout), (1.0, Solution::MissedThroughout)] {
        let s = scenario(ratio);
        let request =
            SolveRequest::parse(&s, "levers.dibao.rural_threshold_per_month=300:900", "1", None).expect("request");
        let solved = solve(&s, &request, run).expect("solves");
        assert_eq!(solved.solution, expected);
        assert_eq!(solved.runs.len(), 2);
    }
}

#[test]
fn a_rate_is_bisected_to_the_tolerance_and_the_runs_are_capped() {
    let s = scenario(2.5);
    let request =
        SolveRequest::parse(&s, "assumptions.wage_growth_rural=0:0.4", "ratio", Some(0.002)).expect("request");
    let solved = solve(&s, &request, run).expect("solves");
    let Solution::Crossing { met, missed } = &solved.solution else { panic!("{:?}", solved.solution) };
    assert!((met.values[0] - missed.values[0]).abs() <= 0.002);
    assert!(met.values[0] > missed.values[0], "faster rural wage growth lowers the ratio");
    let tiny = SolveRequest { tolerance: 1e-15, ..request };
    assert_eq!(solve(&s, &tiny, run).expect("solves").runs.len(), MAX_SOLVE_RUNS);
}

#[test]
fn bad_requests_are_refused_before_anything_runs() {
    let s = scenario(2.5);
    for (range, target, tolerance, needle) in [
        ("levers.dibao.rural_threshold_per_month=900:300", "1", None, "above the low end"),
        ("levers.dibao.rural_threshold_per_month=300", "1", None, "LOW:HIGH"),
        ("levers.dibao.rural_threshold_per_month", "1", None, "no `=`"),
        ("levers.dibao.rural_treshold_per_month=1:2", "1", None, "did you mean"),
        ("levers.dibao.rural_threshold_per_month=300:900", "2", None, "its targets, by number from 1: `ratio`"),
        ("levers.dibao.rural_threshold_per_month=300:900", "rati", None, "no such target"),
        ("levers.dibao.rural_threshold_per_month=300:900", "1", Some(0.0), "--tolerance"),
        ("levers.dibao.rural_threshold_per_month=300:900", "1", Some(f64::NAN), "--tolerance"),
        ("levers.dibao.sanction=0:1", "1", None, "is a switch"),
    ] {
        let e = SolveRequest::parse(&s, range, target, tolerance).expect_err(range).to_string();
        assert!(e.contains(needle), "{range} {target}: {e}");
    }
    let ran = AtomicUsize::new(0);
    let request = SolveRequest::parse(&s, "levers.dibao.rural_threshold_per_month=-50:900", "1", None).expect("parses");
    let e = solve(&s, &request, |p| {
        ran.fetch_add(1, Ordering::SeqCst);
        run(p)
    })
    .expect_err("a negative threshold")
    .to_string();
    assert!(e.contains("rural_threshold_per_month"), "{e}");
    assert_eq!(ran.into_inner(), 0);
}

#[test]
fn a_parameter_in_months_is_searched_in_whole_months() {
    // The month the public-welfare posts are filled: the later, the less they pay in the
    // year. A rural income target halfway between hiring in January and in December.
    let text = "name = \"months\"\nregion = \"liupanshui-2021\"\nhouseholds = 2000\nlast_year = 2022\nshapley = false\n\
                [levers.public_welfare_posts]\nposts_per_year = 100000\npay_per_month = 2000\n";
    let mut s = parse_str(text, "months.toml").unwrap_or_else(|e| panic!("{e}"));
    let rural_at = |month: i64| {
        let mut p = s.clone();
        p.reform[0].params.insert("hire_month".into(), toml::Value::Integer(month));
        run(&p).expect("runs").reform.lookup(2022, "rural", "mean_disposable").expect("rural mean")
    };
    let (early, late) = (rural_at(1), rural_at(12));
    assert!(early > late, "hired in January, paid for twelve months: {early} vs {late}");
    s.targets = vec![incomesim::engine::targets::Target {
        name: "rural".into(),
        group: "rural".into(),
        indicator: "mean_disposable".into(),
        measure: incomesim::engine::targets::Measure::Level { year: 2022 },
        value: (early + late) / 2.0,
        comparison: incomesim::engine::targets::Comparison::AtLeast,
        source: String::new(),
    }];
    // A fractional tolerance would try fractions of a month on any other parameter.
    let request =
        SolveRequest::parse(&s, "levers.public_welfare_posts.hire_month=1:12", "1", Some(0.1)).expect("request");
    let solved = solve(&s, &request, run).expect("solves, never trying a fraction of a month");
    let tried: Vec<f64> = solved.runs.iter().map(|p| p.values[0]).collect();
    assert!(tried.len() > 2 && tried.iter().all(|m| m.fract() == 0.0), "{tried:?}");
    let Solution::Crossing { met, missed } = &solved.solution else { panic!("{:?}", solved.solution) };
    assert_eq!(missed.values[0] - met.values[0], 1.0, "met up to a month, missed from the next");
}

/// With `--probability`, a value meets the target when that share of the replications
/// meet it: the answer needs a higher threshold than the plain verdict on their mean,
/// and each side of the crossing is on its side of the share.
#[test]
fn a_probability_asks_for_a_share_of_replications() {
    let plain = run(&scenario(2.6)).expect("runs");
    let at_500 = plain.reform.lookup(2023, "all", "urban_rural_ratio").expect("ratio");
    let mut s = scenario(at_500 - 0.01);
    s.replications = 6;
    s.shapley = false;
    s.lever_uncertainty = vec![incomesim::engine::uncertain_levers::UncertainLever::new(
        "dibao",
        "rural_threshold_per_month",
        incomesim::engine::uncertain_levers::Spread::Relative(0.1),
    )];
    let range = "levers.dibao.rural_threshold_per_month=300:1500";
    let request = SolveRequest::parse(&s, range, "ratio", Some(5.0)).expect("request");
    let likely = request.clone().with_probability(&s, 0.8).expect("probability");
    let on_mean = solve(&s, &request, run).expect("solves");
    let at_share = solve(&s, &likely, run).expect("solves");
    let (Solution::Crossing { met: m1, .. }, Solution::Crossing { met: m2, missed: x2 }) =
        (&on_mean.solution, &at_share.solution)
    else {
        panic!("{:?} / {:?}", on_mean.solution, at_share.solution)
    };
    assert!(m2.values[0] >= m1.values[0], "80% of replications need at least the mean's threshold");
    assert!(m2.summary.targets[0].probability >= 0.8 && x2.summary.targets[0].probability < 0.8);
    let table = incomesim::engine::report::solve_table(&s, &likely, &at_share);
    assert!(table.contains("in at least 80% of the 6 replications"), "{table}");
    // A share outside (0, 1], or a scenario of one replication, is refused.
    for p in [0.0, 1.5, f64::NAN] {
        let e = request.clone().with_probability(&s, p).expect_err("bad share").to_string();
        assert!(e.contains("--probability"), "{e}");
    }
    let one = scenario(2.6);
    let e = SolveRequest::parse(&one, range, "ratio", None).expect("request").with_probability(&one, 0.9);
    assert!(e.expect_err("one replication").to_string().contains("one replication"));
}

//! Sweeps: a scenario run over a grid of one or two values.

use incomesim::engine::sweep::{self, Axis, PointSummary};
use incomesim::engine::{Projection, Scenario};
use incomesim::scenario::parse_str;

const TEXT: &str = "name = \"sweep\"\nregion = \"liupanshui-2021\"\nhouseholds = 2000\nlast_year = 2023\n\
                    [levers.dibao]\nrural_threshold_per_month = 500\n\
                    [[targets]]\nname = \"ratio\"\ngroup = \"all\"\nindicator = \"urban_rural_ratio\"\n\
                    measure = \"level\"\nyear = 2023\nvalue = 2.6\ncomparison = { kind = \"at_most\" }\n";

fn scenario() -> Scenario {
    parse_str(TEXT, "sweep.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn run(s: &Scenario, axes: &[Axis]) -> Vec<sweep::SweepPoint> {
    sweep::run(s, axes, |_, p| Projection::new(p).run()).expect("sweeps")
}

#[test]
fn the_point_at_the_scenarios_own_value_is_the_scenarios_run() {
    let s = scenario();
    let points = run(&s, &[Axis::parse("levers.dibao.rural_threshold_per_month=450:550:50").expect("axis")]);
    assert_eq!(points.iter().map(|p| p.values[0]).collect::<Vec<_>>(), vec![450.0, 500.0, 550.0]);
    let mut plain = s.clone();
    plain.shapley = false;
    let own = PointSummary::of(&plain, &Projection::new(&plain).run().expect("runs"));
    assert_eq!(points[1].summary, own, "bit for bit: same population, seed and levers");
    assert_ne!(points[0].summary, own);
}

#[test]
fn a_higher_rural_threshold_reaches_more_households_at_a_higher_cost() {
    let points =
        run(&scenario(), &[Axis::parse("levers.dibao.rural_threshold_per_month=400,550,700,850").expect("axis")]);
    for w in points.windows(2) {
        let (a, b) = (&w[0].summary, &w[1].summary);
        assert!(b.dibao_households > a.dibao_households, "{} → {}", a.dibao_households, b.dibao_households);
        assert!(b.programme_cost > a.programme_cost);
        assert!(b.rural_mean >= a.rural_mean);
        assert!(b.ratio <= a.ratio);
        // The urban dibao is not swept: urban income barely moves (alignment is the baseline's).
        assert!((b.urban_mean / a.urban_mean - 1.0).abs() < 0.002);
    }
    // Against the baseline's thresholds, a higher one makes more residents better off
    // and fewer worse off.
    let (low, high) = (&points[0].summary, &points[3].summary);
    assert!(high.gaining_share > low.gaining_share, "{} → {}", low.gaining_share, high.gaining_share);
    assert!(high.losing_share < low.losing_share, "{} → {}", low.losing_share, high.losing_share);
    assert!(low.gaining_share + low.losing_share <= 1.0 && high.losing_share >= 0.0);
    // One-axis charts: the ratio with the scenario's ratio target as a level, growth,
    // cost; each path has a point per value.
    let axes = [Axis::parse("levers.dibao.rural_threshold_per_month=400,550,700,850").expect("axis")];
    let charts = incomesim::report::sweep_charts::charts(&scenario(), &axes, &points);
    let stems: Vec<&str> = charts.iter().map(|c| c.stem.as_str()).collect();
    assert_eq!(stems, vec!["sweep_ratio", "sweep_growth", "sweep_cost"]);
    assert_eq!(charts[0].series.len(), 2, "the ratio and its target");
    assert_eq!(charts[0].series[1].points, vec![(400.0, 2.6), (850.0, 2.6)]);
    assert_eq!(charts[0].series[0].points[3], (850.0, points[3].summary.ratio));
    assert!(charts.iter().all(|c| c.circle_markers() >= 4));
    let two = [axes[0].clone(), Axis::parse("assumptions.cpi_inflation=0.02").expect("axis")];
    assert!(incomesim::report::sweep_charts::charts(&scenario(), &two, &points).is_empty(), "no charts of a grid");
    let ranges = sweep::met_ranges(&points);
    assert_eq!(ranges.len(), 1);
    for (i, p) in points.iter().enumerate() {
        let met = ranges[0].iter().any(|&(a, b)| (a..=b).contains(&i));
        assert_eq!(met, p.summary.ratio <= 2.6, "{i}: ratio {}", p.summary.ratio);
    }
    let csv = String::from_utf8(
        sweep::csv(&[Axis::parse("levers.dibao.rural_threshold_per_month=1").expect("axis")], &points).expect("csv"),
    )
    .expect("utf-8");
    let mut lines = csv.lines();
    assert!(lines.next().is_some_and(|h| h.starts_with("levers.dibao.rural_threshold_per_month,year,")
        && h.ends_with("target_1_reached,target_1_met,target_1_share_met")));
    assert_eq!(lines.count(), 4);
}

#[test]
fn two_axes_run_every_combination_and_an_assumption_moves_the_baseline() {
    let axes = [
        Axis::parse("assumptions.wage_growth_rural=0.04,0.09").expect("axis"),
        Axis::parse("levers.public_welfare_posts.posts_per_year=0,2000").expect("a lever the scenario lacks"),
    ];
    let points = run(&scenario(), &axes);
    assert_eq!(points.len(), 4);
    assert_eq!(points[3].values, vec![0.09, 2000.0]);
    assert!(
        points[2].summary.rural_mean > points[0].summary.rural_mean * 1.02,
        "faster rural wage growth: {} vs {}",
        points[2].summary.rural_mean,
        points[0].summary.rural_mean
    );
    assert!(points[1].summary.programme_cost > points[0].summary.programme_cost, "posts cost money");
    assert!(points.iter().all(|p| p.summary.warnings.is_empty()), "2,000 posts are filled");
    let many =
        run(&scenario(), &[Axis::parse("levers.public_welfare_posts.posts_per_year=1000,90000000").expect("axis")]);
    assert!(many[0].summary.warnings.is_empty());
    assert_eq!(many[1].summary.warnings.len(), 1, "90 million posts cannot all be filled");
    assert_eq!(many[1].summary.warnings[0].field, "levers.public_welfare_posts");
}

#[test]
fn a_bad_value_fails_before_any_point_runs() {
    let s = scenario();
    for (spec, needle) in [
        ("levers.dibao.rural_threshold_per_month=500,-5", "rural_threshold_per_month"),
        ("assumptions.urban_share=0.5,1.5", "assumptions.urban_share"),
        ("levers.dibao.grace_months=0,3.5", "grace_months"),
    ] {
        let ran = std::sync::atomic::AtomicUsize::new(0);
        let e = sweep::run(&s, &[Axis::parse(spec).expect("parses")], |_, p| {
            ran.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Projection::new(p).run()
        })
        .expect_err(spec)
        .to_string();
        assert!(e.contains(needle), "{spec}: {e}");
        assert_eq!(ran.into_inner(), 0, "{spec}: checked before running");
    }
}

#[test]
fn points_side_by_side_give_the_results_of_points_one_after_the_other() {
    let s = scenario();
    let axes = [Axis::parse("levers.dibao.rural_threshold_per_month=450,600,750").expect("axis")];
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        pool.install(|| (sweep::side_by_side(&s), run(&s, &axes)))
    };
    let (one_side, one) = on(1);
    let (two_side, two) = on(2);
    assert!(!one_side && two_side, "2,000 households are one block: side by side on 2 threads");
    assert_eq!(one, two);
}

#[test]
fn a_switch_sweeps_off_and_on() {
    let s = scenario();
    let points = sweep::scenarios(&s, &[Axis::parse("levers.dibao.disregard_basic_pension=0,1").expect("axis")])
        .expect("points");
    let flag = |p: &Scenario| {
        p.reform.iter().find(|r| r.name == "dibao").and_then(|r| r.params.get("disregard_basic_pension")).cloned()
    };
    assert_eq!(flag(&points[0].1), Some(toml::Value::Boolean(false)));
    assert_eq!(flag(&points[1].1), Some(toml::Value::Boolean(true)));
    let e = sweep::scenarios(&s, &[Axis::parse("levers.dibao.disregard_basic_pension=0,2").expect("axis")])
        .expect_err("2 is no switch value");
    assert!(e.to_string().contains("levers.dibao.disregard_basic_pension: 2 is not a switch value"), "{e}");
    // Disregarding the pension in the means test admits more households.
    let run = run(&s, &[Axis::parse("levers.dibao.disregard_basic_pension=0,1").expect("axis")]);
    assert!(run[1].summary.dibao_households > run[0].summary.dibao_households);
}

#[test]
fn sweeping_a_parameter_whose_switch_is_off_is_a_warning() {
    let s = scenario();
    let inert =
        sweep::scenarios(&s, &[Axis::parse("levers.dibao.sanction_cut_share=0,0.5,1").expect("axis")]).expect("points");
    let added = sweep::added_warnings(&s, inert.iter().map(|(_, p)| p));
    assert_eq!(added.len(), 1, "once, not once per point: {added:?}");
    assert_eq!(added[0].field, "levers.dibao.sanction_cut_share");
    let active = sweep::scenarios(&s, &[Axis::parse("levers.dibao.rural_threshold_per_month=400,600").expect("axis")])
        .expect("points");
    assert!(sweep::added_warnings(&s, active.iter().map(|(_, p)| p)).is_empty());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, failure_persistence: None, ..proptest::prelude::ProptestConfig::default() })]

    /// Whatever a user types after `--vary` (or `solve --vary`/`--target`), parsing
    /// answers with an axis or an error, never a panic; an axis it accepts has finite
    /// values, at most the limit of a sweep.
    #[test]
    fn any_axis_text_parses_or_is_refused(
        path in proptest::sample::select(vec![
            "levers.dibao.rural_threshold_per_month", "assumptions.cpi_inflation", "levers.dibao", "x", "",
        ]),
        values in "[-0-9.,:eEnaif ]{0,24}",
        target in "[0-9a-z ]{0,4}",
    ) {
        let spec = format!("{path}={values}");
        if let Ok(axis) = Axis::parse(&spec) {
            proptest::prop_assert!(!axis.values.is_empty() && axis.values.len() <= sweep::MAX_SWEEP_POINTS);
            proptest::prop_assert!(axis.values.iter().all(|v| v.is_finite()));
        }
        let s = scenario();
        if let Ok(r) = incomesim::engine::solve::SolveRequest::parse(&s, &spec, &target, None) {
            proptest::prop_assert!(r.low < r.high && r.tolerance > 0.0 && r.target < s.targets.len());
        }
    }
}

#[test]
fn a_scaled_field_multiplies_the_scenarios_own_schedule() {
    let s = scenario();
    // Factor 1 is the scenario itself.
    let points = run(&s, &[Axis::parse("levers.dibao.rural_threshold_per_month*=1,1.5").expect("axis")]);
    let mut plain = s.clone();
    plain.shapley = false;
    assert_eq!(points[0].summary, PointSummary::of(&plain, &Projection::new(&plain).run().expect("runs")));
    assert!(points[1].summary.dibao_households > points[0].summary.dibao_households);
    // Every step of a dated schedule, every tier of a list.
    let dated = parse_str(
        "name = \"d\"\nregion = \"liupanshui-2021\"\nlast_year = 2023\n[levers.dibao]\n\
         urban_threshold_per_month = [{ \"2021-01\" = 670, \"2022-12\" = 705 }, 600]\n",
        "d.toml",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut scaled = dated.clone();
    let axis = Axis::parse("levers.dibao.urban_threshold_per_month*=1.2").expect("axis");
    assert_eq!(axis.field.path(), "levers.dibao.urban_threshold_per_month*");
    sweep::set(&mut scaled, &axis.field, 1.2).expect("scales");
    let value = scaled.reform[0].params.get("urban_threshold_per_month").expect("set").clone();
    let expected: toml::Value =
        toml::from_str::<toml::Table>("v = [{ \"2021-01\" = 804.0, \"2022-12\" = 846.0 }, 720.0]").expect("toml")["v"]
            .clone();
    let (got, want) = (numbers(&value), numbers(&expected));
    assert!(got.len() == want.len() && got.iter().zip(&want).all(|(p, q)| (p - q).abs() < 1e-9), "{value}");
    // An assumption's steps.
    let mut grown = s.clone();
    let before: Vec<f64> = grown.dynamics.wage_growth[1].steps().iter().map(|(_, x)| *x).collect();
    sweep::set(&mut grown, &Axis::parse("assumptions.wage_growth_rural*=2").expect("axis").field, 2.0).expect("scales");
    let after: Vec<f64> = grown.dynamics.wage_growth[1].steps().iter().map(|(_, x)| *x).collect();
    assert_eq!(after, before.iter().map(|x| x * 2.0).collect::<Vec<_>>());
    // What cannot be scaled is refused, naming the field.
    for (spec, value, needle) in [
        ("levers.dibao.edge_multiple*=1", 1.0, "does not set it"),
        ("levers.public_welfare_posts.posts_per_year*=1", 1.0, "does not set it"),
        ("levers.dibao.rural_threshold_per_month*=1", -1.0, "at least 0"),
        ("assumptions.urban_share*=1", 5.0, "out of range"),
    ] {
        let axis = Axis::parse(spec).expect("parses");
        let e = sweep::set(&mut s.clone(), &axis.field, value).expect_err(spec).to_string();
        assert!(e.contains(needle) && e.contains(&axis.field.path()), "{spec}: {e}");
    }
    assert!(Axis::parse("levers.dibao.rural_threshold_per_month**=1").is_err());
}

/// Every number in a parameter's value, in order.
fn numbers(v: &toml::Value) -> Vec<f64> {
    match v {
        toml::Value::Float(x) => vec![*x],
        toml::Value::Integer(i) => vec![*i as f64],
        toml::Value::Table(t) => t.iter().flat_map(|(_, v)| numbers(v)).collect(),
        toml::Value::Array(a) => a.iter().flat_map(numbers).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn points_sharing_the_baseline_give_the_results_of_their_own_runs() {
    // An assumption axis and a lever axis (which adds a lever the scenario lacks), two
    // replications: the points of each assumption value share a baseline and run in one
    // pass, and each gets its own run's results bit for bit.
    let mut s = scenario();
    s.replications = 2;
    let axes = [
        Axis::parse("assumptions.wage_growth_rural=0.05,0.08").expect("axis"),
        Axis::parse("levers.dibao.rural_threshold_per_month=450,600").expect("axis"),
        Axis::parse("levers.resident_pension.yearly_increment_per_month=0,40").expect("axis"),
    ];
    let points = sweep::scenarios(&s, &axes[..2]).expect("points");
    assert_eq!(sweep::baseline_groups(&points), vec![vec![0, 1], vec![2, 3]]);
    let generator = incomesim::generate::Generator::calibrate(&s.profile, s.seed).expect("calibrates");
    let ran = std::sync::atomic::AtomicUsize::new(0);
    let count = |n| {
        ran.fetch_add(n, std::sync::atomic::Ordering::SeqCst);
    };
    let grouped = sweep::run_grouped(&points, &generator, Projection::new, count).expect("runs");
    let alone = sweep::run_points(&s, &points, |_, p| Projection::new(p).run()).expect("runs");
    assert_eq!(without_previous(&grouped), alone);
    assert_eq!(ran.load(std::sync::atomic::Ordering::SeqCst), 4);
    assert_ne!(grouped[0].summary, grouped[1].summary);
    assert_ne!(grouped[0].summary, grouped[2].summary);
    // Two lever axes: one group.
    let points = sweep::scenarios(&s, &axes[1..]).expect("points");
    assert_eq!(sweep::baseline_groups(&points), vec![vec![0, 1, 2, 3]]);
    let grouped = sweep::run_grouped(&points, &generator, Projection::new, |_| {}).expect("runs");
    let alone = sweep::run_points(&s, &points, |_, p| Projection::new(p).run()).expect("runs");
    assert_eq!(without_previous(&grouped), alone);
}

/// The points with their comparison with the point before cleared (points run on
/// their own have none).
fn without_previous(points: &[sweep::SweepPoint]) -> Vec<sweep::SweepPoint> {
    let mut points = points.to_vec();
    for p in &mut points {
        p.summary.worse_off_than_previous = None;
    }
    points
}

#[test]
fn each_point_is_compared_with_the_one_before_on_the_last_axis() {
    let s = scenario();
    let generator = incomesim::generate::Generator::calibrate(&s.profile, s.seed).expect("calibrates");
    let axes = [
        Axis::parse("levers.resident_pension.yearly_increment_per_month=0,40").expect("axis"),
        Axis::parse("levers.dibao.rural_threshold_per_month=400,600,500").expect("axis"),
    ];
    let points = sweep::scenarios(&s, &axes).expect("points");
    // One thread: the points' pilots one after the other; two: side by side, in rounds
    // (a point after the one it is compared with). The same either way.
    let in_pool = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        pool.install(|| sweep::run_grouped(&points, &generator, Projection::new, |_| {})).expect("runs")
    };
    let grouped = in_pool(2);
    assert_eq!(grouped, in_pool(1));
    let previous: Vec<Option<f64>> = grouped.iter().map(|p| p.summary.worse_off_than_previous).collect();
    // Each line of the last axis starts without one.
    assert!(previous[0].is_none() && previous[3].is_none(), "{previous:?}");
    assert!(previous.iter().enumerate().all(|(k, p)| p.is_some() == (k % 3 != 0)), "{previous:?}");
    // A lower threshold after a higher one leaves some poorer than the higher did.
    assert!(previous[2].expect("compared") > 0.0 && previous[5].expect("compared") > 0.0, "{previous:?}");
    // It is the two points run as a comparison on their own: 600 against 400.
    let pair: Vec<_> = [1, 2].iter().map(|&k| points[k].1.clone()).collect();
    let against = Projection::new(&points[1].1).run_points_against_first(&generator, &pair).expect("runs");
    let last = against[1].reform.years.last().expect("years");
    let alone = last.indicators.gains_against_other.as_ref().expect("compared")[2].losing_share();
    assert_eq!(previous[2], Some(alone));
    // sweep.csv: empty where there is none.
    let csv = String::from_utf8(sweep::csv(&axes, &grouped).expect("csv")).expect("utf-8");
    let header: Vec<&str> = csv.lines().next().expect("header").split(',').collect();
    let column = header.iter().position(|h| *h == "worse_off_than_previous_share").expect("column");
    let cells: Vec<String> = csv.lines().skip(1).map(|l| l.split(',').nth(column).unwrap_or("").to_string()).collect();
    assert_eq!(cells[0], "");
    assert_eq!(cells[2].parse::<f64>().ok(), previous[2]);
}

#[test]
fn an_assumption_axis_alone_shares_no_baseline() {
    let s = scenario();
    let points =
        sweep::scenarios(&s, &[Axis::parse("assumptions.wage_growth_rural=0.05,0.08").expect("axis")]).expect("points");
    assert_eq!(sweep::baseline_groups(&points), vec![vec![0], vec![1]]);
    // One pass cannot carry points with different baselines.
    let generator = incomesim::generate::Generator::calibrate(&s.profile, s.seed).expect("calibrates");
    let scenarios: Vec<Scenario> = points.iter().map(|(_, p)| p.clone()).collect();
    let e = Projection::new(&s).run_points_with_generator(&generator, &scenarios).expect_err("refused");
    assert!(e.to_string().contains("point 0"), "{e}");
}

/// A scenario without levers costs nothing: 0, not the −0 of an empty sum (which the
/// table would show as "-0.0").
#[test]
fn a_scenario_without_levers_costs_a_positive_zero() {
    let mut s = parse_str(
        "name = \"none\"\nregion = \"liupanshui-2021\"\nhouseholds = 600\nlast_year = 2022\nshapley = false\n",
        "none.toml",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    s.shapley = false;
    let summary = PointSummary::of(&s, &Projection::new(&s).run().expect("runs"));
    assert_eq!(summary.programme_cost, 0.0);
    assert!(summary.programme_cost.is_sign_positive());
    // Without a reform nothing is compared.
    assert!(summary.gaining_share.is_nan() && summary.losing_share.is_nan());
}

#[test]
fn a_sweep_of_the_employment_cost_deduction_frees_dibao_households_from_the_trap() {
    let mut s = scenario();
    let axes = [Axis::parse("levers.dibao.employment_cost_deduction_per_month=0,400").expect("axis")];
    let generator = incomesim::generate::Generator::calibrate(&s.profile, s.seed).expect("calibrates");
    let points = sweep::scenarios(&s, &axes).expect("points");
    let plain = sweep::run_grouped(&points, &generator, Projection::new, |_| {}).expect("runs");
    assert!(plain.iter().all(|p| p.summary.metr.is_none() && p.summary.dibao_trapped_share.is_none()));
    assert!(plain.iter().all(|p| p.summary.dibao_participation_tax_rate.is_none()));
    s.work_incentives = true;
    let points = sweep::scenarios(&s, &axes).expect("points");
    let measured = sweep::run_grouped(&points, &generator, Projection::new, |_| {}).expect("runs");
    let trapped: Vec<f64> = measured.iter().map(|p| p.summary.dibao_trapped_share.expect("measured")).collect();
    assert!(trapped[1] < trapped[0], "{trapped:?}");
    // A full-year job at the entry wage takes a household off dibao either way: the
    // deduction leaves it a larger top-up to lose.
    let ptr: Vec<f64> = measured.iter().map(|p| p.summary.dibao_participation_tax_rate.expect("measured")).collect();
    assert!(ptr[0] < ptr[1] && ptr[1] < 1.0, "{ptr:?}");
    // A part-time wage of 300 yuan a month: the deduction of 400 leaves all of it out
    // of the means test, where without it the top-up takes much of it back.
    s.participation_wage_per_month = Some(incomesim::policy::Dated::constant(300.0));
    let points = sweep::scenarios(&s, &axes).expect("points");
    let part_time = sweep::run_grouped(&points, &generator, Projection::new, |_| {}).expect("runs");
    let ptr: Vec<f64> = part_time.iter().map(|p| p.summary.dibao_participation_tax_rate.expect("measured")).collect();
    assert!(ptr[1] < 0.5 * ptr[0] && ptr[0] > 0.3, "{ptr:?}");
    assert!(measured.iter().all(|p| p.summary.metr.is_some_and(|m| (0.0..0.5).contains(&m))));
    // Measuring changes nothing else.
    for (a, b) in plain.iter().zip(&measured) {
        assert_eq!(
            (a.summary.rural_mean, a.summary.dibao_households),
            (b.summary.rural_mean, b.summary.dibao_households)
        );
    }
}

#[test]
fn a_sweep_of_the_participation_wage_measures_work_incentives_at_each_wage() {
    let s = scenario();
    assert!(!s.work_incentives);
    let axes = [Axis::parse("participation_wage_per_month=300,1300").expect("axis")];
    assert_eq!(axes[0].field.path(), "participation_wage_per_month");
    let generator = incomesim::generate::Generator::calibrate(&s.profile, s.seed).expect("calibrates");
    let points = sweep::scenarios(&s, &axes).expect("points");
    assert!(points.iter().all(|(_, p)| p.work_incentives && p.participation_wage_per_month.is_some()));
    let results = sweep::run_grouped(&points, &generator, Projection::new, |_| {}).expect("runs");
    let ptr: Vec<f64> = results.iter().map(|p| p.summary.dibao_participation_tax_rate.expect("measured")).collect();
    // A small wage is mostly taken back by the dibao's top-up; a larger one takes the
    // household off the dibao, and the top-up it loses is a smaller part of it.
    assert!(ptr[0] > 0.5 && ptr[1] < ptr[0] - 0.2, "{ptr:?}");
    // The wage changes nothing but the measure.
    assert_eq!(results[0].summary.rural_mean, results[1].summary.rural_mean);
    assert!(sweep::csv(&axes, &results).expect("csv").starts_with(b"participation_wage_per_month,"));
    // A wage must be positive; a scaled wage needs one of the scenario's own.
    let e = sweep::scenarios(&s, &[Axis::parse("participation_wage_per_month=0").expect("axis")]).expect_err("zero");
    assert!(e.to_string().contains("participation_wage_per_month: 0 is out of range"), "{e}");
    let scaled = [Axis::parse("participation_wage_per_month*=1.5").expect("axis")];
    let e = sweep::scenarios(&s, &scaled).expect_err("nothing to scale");
    assert!(e.to_string().contains("no value of its own to scale"), "{e}");
    let mut own = s.clone();
    own.participation_wage_per_month = Some(incomesim::policy::Dated::constant(1000.0));
    let points = sweep::scenarios(&own, &scaled).expect("scales");
    let wage = points[0].1.participation_wage_per_month.as_ref().expect("set");
    assert_eq!(wage.steps()[0].1, 1500.0);
}

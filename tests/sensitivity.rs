//! Sensitivity (`incomesim sensitivity`): each uncertain value moved alone to both
//! ends, on the central run's population and seed; ranked by the swing of rural income.

use incomesim::engine::sensitivity::{Plan, RankBy};
use incomesim::engine::sweep::PointSummary;
use incomesim::engine::{Projection, Scenario};
use incomesim::generate::Generator;
use incomesim::scenario::parse_str;

const SCENARIO: &str = "name = \"s\"\nregion = \"wuzhong-2022\"\nhouseholds = 1500\nlast_year = 2024\n\
                        shapley = false\nreplications = 4\n\
                        [levers.skills_training]\nplaces_per_year = 7000\n\
                        [uncertainty]\nwage_growth_rural = 0.01\n\
                        [uncertainty.levers.skills_training]\nplaces_per_year = { relative_sd = 0.5 }\n\
                        employment_probability = 0.0\n";

fn scenario(text: &str) -> Scenario {
    parse_str(text, "s.toml").unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_plan_moves_one_value_at_a_time_from_the_central_run() {
    let s = scenario(SCENARIO);
    let plan = Plan::new(&s, 2.0).expect("plan");
    let moved: Vec<(Option<&str>, f64)> = plan.moved.iter().map(|m| (m.field.as_deref(), m.z)).collect();
    assert_eq!(
        moved,
        [
            (None, 0.0),
            (Some("assumptions.wage_growth_rural"), -2.0),
            (Some("assumptions.wage_growth_rural"), 2.0),
            (Some("levers.skills_training.employment_probability"), -2.0),
            (Some("levers.skills_training.employment_probability"), 2.0),
            (Some("levers.skills_training.places_per_year"), -2.0),
            (Some("levers.skills_training.places_per_year"), 2.0),
        ]
    );
    for (_, p) in &plan.points {
        assert_eq!(p.replications, 1);
        assert!(p.uncertainty.is_empty() && p.lever_uncertainty.is_empty() && !p.shapley);
    }
    let central = &plan.points[0].1;
    let year = incomesim::policy::YearMonth { year: 2023, month: 1 };
    let rural = |p: &Scenario| *p.dynamics.wage_growth[1].at(year);
    assert!((rural(&plan.points[1].1) - (rural(central) - 0.02)).abs() < 1e-12);
    assert!((rural(&plan.points[2].1) - (rural(central) + 0.02)).abs() < 1e-12);
    assert_eq!(plan.points[1].1.reform, central.reform, "an assumption point keeps the levers");
    let places = |p: &Scenario| p.reform[0].params["places_per_year"].as_float().expect("a number");
    // 7,000 × (1 ∓ 2 × 0.5): clamped at 0 below.
    assert_eq!((places(&plan.points[5].1), places(&plan.points[6].1)), (0.0, 14_000.0));
    // A zero spread moves nothing.
    let probability = |p: &Scenario| p.reform[0].params["employment_probability"].as_float();
    assert_eq!(probability(&plan.points[3].1), Some(0.3));
}

#[test]
fn it_refuses_a_scenario_without_uncertain_values_and_a_bad_move() {
    let plain = scenario("name = \"s\"\nregion = \"wuzhong-2022\"\nhouseholds = 1500\nlast_year = 2024\n");
    let e = Plan::new(&plain, 1.0).expect_err("nothing to move").to_string();
    assert!(e.contains("no uncertain value"), "{e}");
    // A move the lever refuses (farm income shares adding up to more than 1) is named.
    let farm = scenario(
        "name = \"s\"\nregion = \"wuzhong-2022\"\nhouseholds = 1500\nlast_year = 2024\n\
         [levers.farm_productivity]\ngrain_growth = 0.02\n\
         [uncertainty.levers.farm_productivity]\ngrain_share = { relative_sd = 0.5 }\n",
    );
    let e = Plan::new(&farm, 1.0).expect_err("refused").to_string();
    assert!(
        e.contains("levers.farm_productivity.grain_share at +1 standard deviations") && e.contains("refuses"),
        "{e}"
    );
    assert!(Plan::new(&farm, 0.5).is_ok(), "a smaller move fits");
    for z in [0.0, -1.0, 6.0, f64::NAN] {
        let e = Plan::new(&scenario(SCENARIO), z).expect_err("bad move").to_string();
        assert!(e.contains("standard deviations"), "{z}: {e}");
    }
}

#[test]
fn each_run_is_the_run_of_its_scenario_alone_and_the_ranking_follows_the_swing() {
    let s = scenario(SCENARIO);
    let plan = Plan::new(&s, 1.0).expect("plan");
    let generator = Generator::calibrate(&s.profile, s.seed).expect("calibrates");
    let results = plan.run(&generator, Projection::new).expect("runs");
    assert_eq!(results.len(), plan.points.len());
    for ((_, p), got) in plan.points.iter().zip(&results) {
        let alone = Projection::new(p).run_with_generator(&generator).expect("runs");
        let want = PointSummary::of(p, &alone);
        assert_eq!(serde_json::to_string(got).unwrap(), serde_json::to_string(&want).unwrap());
    }
    // More training places raise rural income; a zero spread moves nothing.
    let rows = plan.ranked(&results);
    assert_eq!(rows.len(), 3);
    let places = rows.iter().find(|r| r.field.ends_with("places_per_year")).expect("places");
    assert!(places.high.rural_mean > places.low.rural_mean, "{places:?}");
    let probability = rows.iter().find(|r| r.field.ends_with("employment_probability")).expect("probability");
    assert_eq!(probability.rural_swing(), 0.0);
    assert_eq!(rows.last().map(|r| r.field.as_str()), Some("levers.skills_training.employment_probability"));
    for pair in rows.windows(2) {
        assert!(pair[0].rural_swing() >= pair[1].rural_swing());
    }
    // Ranked by another measure: the urban swing, or what a target reaches.
    let by_urban = plan.ranked_by(&results, RankBy::Urban);
    assert!(by_urban.windows(2).all(|w| w[0].urban_swing() >= w[1].urban_swing()));
    assert_eq!(RankBy::parse(&s, "urban").expect("urban"), RankBy::Urban);
    assert!(RankBy::parse(&s, "1").is_err(), "the scenario has no target");
    let mut with_target = s.clone();
    with_target.targets = incomesim::scenario::load_builtin("wuzhong-2023").expect("built in").targets;
    let last = with_target.targets.len();
    assert_eq!(RankBy::parse(&with_target, &last.to_string()).expect("a number"), RankBy::Target(last - 1));
    let name = with_target.targets[0].name.clone();
    assert_eq!(RankBy::parse(&with_target, &name).expect("a name"), RankBy::Target(0));
    let e = RankBy::parse(&with_target, "nope").expect_err("unknown").to_string();
    assert!(e.contains("--rank-by") && e.contains(&name), "{e}");
    // A target on the rural mean ranks as the rural swing does, and the table shows what it reaches.
    let targeted = scenario(&format!(
        "{SCENARIO}[[targets]]\nname = \"rural level\"\ngroup = \"rural\"\nindicator = \"mean_disposable\"\n\
         measure = \"level\"\nyear = 2024\nvalue = 1\ncomparison = {{ kind = \"at_least\" }}\n"
    ));
    let plan_t = Plan::new(&targeted, 1.0).expect("plan");
    let results_t = plan_t.run(&generator, Projection::new).expect("runs");
    let by_target: Vec<String> = plan_t.ranked_by(&results_t, RankBy::Target(0)).into_iter().map(|r| r.field).collect();
    let by_rural: Vec<String> = plan_t.ranked(&results_t).into_iter().map(|r| r.field).collect();
    assert_eq!(by_target, by_rural);
    let rows_t = plan_t.ranked_by(&results_t, RankBy::Target(0));
    assert_eq!(rows_t[0].target_ends(0), [Some(rows_t[0].low.rural_mean), Some(rows_t[0].high.rural_mean)]);
    let table_t =
        incomesim::engine::report::sensitivity_table(&targeted, &results_t[0], &rows_t, RankBy::Target(0), false);
    assert!(table_t.contains("target 1 (- / +)") && table_t.contains("what target 1 reaches (`rural level`)"));
    // The table names the central run and every value; the CSV has a row per run.
    let table = incomesim::engine::report::sensitivity_table(&s, &results[0], &rows, RankBy::Rural, false);
    assert!(table.contains("central: urban"), "{table}");
    for r in &rows {
        assert!(table.contains(&r.field), "{table}");
    }
    // The chart: a bar per end and residence for every value, against the central run,
    // each name on two lines, every glyph in the embedded font.
    let charts = incomesim::report::sensitivity_chart::charts(&s, &results[0], &rows);
    let [chart] = charts.as_slice() else { panic!("one chart") };
    assert_eq!(chart.series.len(), 4);
    let places_at = rows.iter().position(|r| r.field.ends_with("places_per_year")).expect("places") as f64;
    let rural_high = chart.series[1].points.iter().find(|p| p.0 == places_at).expect("bar").1;
    assert!((rural_high - (places.high.rural_mean - results[0].rural_mean)).abs() < 1e-9);
    match &chart.x_axis {
        incomesim::report::chart::XAxis::Categories(names) => {
            assert_eq!(names[rows.len() - 1], "skills_training\nemployment_\nprobability");
        }
        other => panic!("categories expected, got {other:?}"),
    }
    for t in chart.texts() {
        assert!(incomesim::report::font::missing_glyphs(t).is_empty(), "{t}");
    }
    let svg = incomesim::report::render::svg(chart).expect("renders");
    assert!(svg.contains("employment_") && svg.contains("probability"));
    let csv = String::from_utf8(plan.csv(&results).expect("csv")).expect("utf-8");
    assert_eq!(csv.lines().count(), 1 + plan.points.len());
    assert!(csv.lines().nth(1).is_some_and(|l| l.starts_with("central,,0,2024,")), "{csv}");
}

#[test]
fn the_command_writes_sensitivity_csv_and_refuses_bad_input() {
    let dir = std::env::temp_dir().join(format!("incomesim-sensitivity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("s.toml");
    std::fs::write(&file, SCENARIO).expect("write");
    let run =
        |args: &[&str]| std::process::Command::new(env!("CARGO_BIN_EXE_incomesim")).args(args).output().expect("runs");
    let out_dir = dir.join("out");
    let out = run(&["sensitivity", file.to_str().expect("utf-8"), "--out", out_dir.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("levers.skills_training.places_per_year"), "{text}");
    let csv = std::fs::read_to_string(out_dir.join("sensitivity.csv")).expect("sensitivity.csv");
    assert_eq!(csv.lines().count(), 8);
    assert!(out_dir.join("charts/sensitivity.svg").is_file() && out_dir.join("charts/sensitivity.png").is_file());
    // The central run misses no target of this scenario (it has none): exit 0 with the flag.
    let flagged = run(&[
        "sensitivity",
        file.to_str().expect("utf-8"),
        "--out",
        out_dir.to_str().expect("utf-8"),
        "--fail-on-missed-targets",
    ]);
    assert_eq!(flagged.status.code(), Some(0));
    let plan = dir.join("plan.toml");
    std::fs::write(
        &plan,
        "base = \"liupanshui-2022\"\nhouseholds = 1500\nshapley = false\n[uncertainty]\nwage_growth_rural = 0.01\n",
    )
    .expect("write");
    let missed = run(&[
        "sensitivity",
        plan.to_str().expect("utf-8"),
        "--out",
        out_dir.to_str().expect("utf-8"),
        "--fail-on-missed-targets",
    ]);
    assert_eq!(missed.status.code(), Some(3), "{}", String::from_utf8_lossy(&missed.stderr));
    let bad = run(&["sensitivity", file.to_str().expect("utf-8"), "--standard-deviations", "9"]);
    assert_eq!(bad.status.code(), Some(2), "{}", String::from_utf8_lossy(&bad.stderr));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("standard deviations"));
    // The levers' assumed defaults moved as well: more rows, none twice.
    let assumed = run(&[
        "sensitivity",
        file.to_str().expect("utf-8"),
        "--assumed-defaults",
        "0.25",
        "--out",
        out_dir.to_str().expect("utf-8"),
    ]);
    assert!(assumed.status.success(), "{}", String::from_utf8_lossy(&assumed.stderr));
    let csv = std::fs::read_to_string(out_dir.join("sensitivity.csv")).expect("sensitivity.csv");
    let fields: Vec<&str> = csv.lines().skip(2).map(|l| l.split(',').next().unwrap_or_default()).collect();
    assert!(fields.len() > 6 && fields.contains(&"levers.skills_training.certificate_rate"), "{fields:?}");
    assert_eq!(fields.iter().filter(|f| **f == "levers.skills_training.employment_probability").count(), 2);
    let bad_sd = run(&["sensitivity", file.to_str().expect("utf-8"), "--assumed-defaults", "3"]);
    assert_eq!(bad_sd.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_sd.stderr).contains("--assumed-defaults"));
    let none = run(&["sensitivity", "liupanshui-2022"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no uncertain value"));
    std::fs::remove_dir_all(&dir).ok();
}

//! Correlated uncertain values (`[[uncertainty.correlations]]`): read and checked from a
//! scenario file, merged through `base` and dropped with a lever, drawn with the
//! coefficient asked (between assumptions, between lever parameters and across the
//! two), and what they change in a run: the urban-rural ratio's range narrows when the
//! two wage growths move together.

use incomesim::engine::correlation::Correlation;
use incomesim::engine::{Projection, Scenario};
use incomesim::policy::registry::BuildContext;
use incomesim::scenario::parse_str;

const HEAD: &str = "name = \"c\"\nregion = \"wuzhong-2022\"\nhouseholds = 1500\nlast_year = 2024\nshapley = false\n\
                    replications = 3\n[levers.skills_training]\nplaces_per_year = 7000\n\
                    [uncertainty]\nwage_growth_urban = 0.01\nwage_growth_rural = 0.01\n\
                    [uncertainty.levers.skills_training]\nemployment_probability = 0.1\n\
                    hourly_gain = { relative_sd = 0.25 }\n";

fn scenario(text: &str) -> Scenario {
    parse_str(text, "c.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn pair(a: &str, b: &str, coefficient: f64) -> String {
    format!("[[uncertainty.correlations]]\nbetween = [\"{a}\", \"{b}\"]\ncoefficient = {coefficient}\n")
}

/// The sample correlation of two series.
fn correlation(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let cov: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let vx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let vy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    cov / (vx * vy).sqrt()
}

#[test]
fn correlations_are_read_in_the_draw_order() {
    let s = scenario(&format!(
        "{HEAD}{}{}",
        pair("assumptions.wage_growth_urban", "assumptions.wage_growth_rural", 0.85),
        pair("levers.skills_training.hourly_gain", "levers.skills_training.employment_probability", 0.5)
    ));
    assert_eq!(
        s.correlations,
        [
            Correlation::new("assumptions.wage_growth_urban", "assumptions.wage_growth_rural", 0.85),
            Correlation::new(
                "levers.skills_training.hourly_gain",
                "levers.skills_training.employment_probability",
                0.5
            ),
        ]
    );
    // Assumptions by name, then lever parameters by lever and parameter.
    assert_eq!(
        s.uncertain_paths(),
        [
            "assumptions.wage_growth_rural",
            "assumptions.wage_growth_urban",
            "levers.skills_training.employment_probability",
            "levers.skills_training.hourly_gain",
        ]
    );
    assert!(!s.joint_draws().expect("consistent").is_independent());
    // A JSON scenario reads them the same.
    let json = r#"{"name": "c", "region": "wuzhong-2022", "households": 1500, "last_year": 2024, "replications": 3,
        "uncertainty": {"wage_growth_urban": 0.01, "wage_growth_rural": 0.01,
          "correlations": [{"between": ["assumptions.wage_growth_urban", "assumptions.wage_growth_rural"], "coefficient": 0.85}]}}"#;
    let j = parse_str(json, "c.json").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(j.correlations, s.correlations[..1]);
}

#[test]
fn every_problem_names_its_field_and_line() {
    let line = HEAD.lines().count() + 1;
    for (entry, field, words) in [
        (
            pair("wage_growth_urban", "assumptions.wage_growth_rural", 0.5),
            "uncertainty.correlations[0]",
            "did you mean `assumptions.wage_growth_urban`",
        ),
        (
            pair("assumptions.wage_growth_urbn", "assumptions.wage_growth_rural", 0.5),
            "uncertainty.correlations[0]",
            "did you mean `assumptions.wage_growth_urban`",
        ),
        (
            pair("assumptions.inflation", "assumptions.wage_growth_rural", 0.5),
            "uncertainty.correlations[0]",
            "not one of the scenario's uncertain values",
        ),
        (
            pair("assumptions.wage_growth_urban", "assumptions.wage_growth_rural", 1.5),
            "uncertainty.correlations[0].coefficient",
            "from -1 to 1",
        ),
        (
            pair("assumptions.wage_growth_urban", "assumptions.wage_growth_urban", 0.5),
            "uncertainty.correlations[0]",
            "correlated with itself",
        ),
        (
            format!(
                "{}{}",
                pair("assumptions.wage_growth_urban", "assumptions.wage_growth_rural", 0.5),
                pair("assumptions.wage_growth_rural", "assumptions.wage_growth_urban", 0.6)
            ),
            "uncertainty.correlations[1]",
            "correlated twice",
        ),
        (
            format!(
                "{}{}{}",
                pair("assumptions.wage_growth_urban", "assumptions.wage_growth_rural", 0.9),
                pair("assumptions.wage_growth_rural", "levers.skills_training.hourly_gain", 0.9),
                pair("assumptions.wage_growth_urban", "levers.skills_training.hourly_gain", -0.9)
            ),
            "uncertainty.correlations",
            "cannot hold together",
        ),
        (
            "[[uncertainty.correlations]]\nbetween = [\"assumptions.wage_growth_urban\"]\ncoefficient = 0.5\n".into(),
            "uncertainty.correlations[0].between",
            "expected two uncertain values",
        ),
        (
            "[[uncertainty.correlations]]\nbetween = [\"assumptions.wage_growth_urban\", \"assumptions.wage_growth_rural\"]\n"
                .into(),
            "uncertainty.correlations[0]",
            "coefficient",
        ),
        (
            format!("{}weight = 2\n", pair("assumptions.wage_growth_urban", "assumptions.wage_growth_rural", 0.5)),
            "uncertainty.correlations[0].weight",
            "unknown field",
        ),
    ] {
        let text = format!("{HEAD}{entry}");
        let err = parse_str(&text, "c.toml").expect_err(&entry).to_string();
        assert!((line..=line + 12).any(|l| err.contains(&format!("c.toml:{l}:"))), "{entry}: {err}");
        assert!(err.contains(field), "{entry}: {err}");
        assert!(err.contains(words), "{entry}: {err}");
    }
    let text = HEAD.replace("wage_growth_rural = 0.01\n", "wage_growth_rural = 0.01\ncorrelations = 0.5\n");
    let err = parse_str(&text, "c.toml").expect_err("not an array").to_string();
    assert!(err.contains("c.toml:12:") && err.contains("expected an array of tables"), "{err}");
    // A scenario built in code is checked by the projection.
    let mut s = scenario(HEAD);
    s.correlations = vec![Correlation::new("assumptions.wage_growth_urban", "levers.nope.x", 0.5)];
    let err = Projection::new(&s).run().expect_err("refused").to_string();
    assert!(err.contains("uncertainty.correlations[0]") && err.contains("`levers.nope.x`"), "{err}");
}

#[test]
fn draws_have_the_coefficient_asked_and_each_stays_standard_normal() {
    let mut s =
        scenario(&format!("{HEAD}{}", pair("assumptions.wage_growth_urban", "assumptions.wage_growth_rural", 0.85)));
    let joint = s.joint_draws().expect("consistent");
    let draws: Vec<Vec<f64>> = (1..2001).map(|r| joint.values(&s.assumption_draws(r))).collect();
    let (rural, urban): (Vec<f64>, Vec<f64>) = draws.iter().map(|d| (d[0], d[1])).unzip();
    let rho = correlation(&rural, &urban);
    assert!((rho - 0.85).abs() < 0.03, "sample correlation {rho}");
    for x in [&rural, &urban] {
        let sd = (x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64).sqrt();
        assert!((sd - 1.0).abs() < 0.05, "sd {sd}");
    }
    // Without the correlation the same keys give independent draws, and the first
    // value's draw is the same either way (it reads only its own).
    s.correlations.clear();
    let independent = s.joint_draws().expect("none");
    let plain: Vec<Vec<f64>> = (1..2001).map(|r| independent.values(&s.assumption_draws(r))).collect();
    assert!(
        correlation(&plain.iter().map(|d| d[0]).collect::<Vec<_>>(), &plain.iter().map(|d| d[1]).collect::<Vec<_>>())
            .abs()
            < 0.06
    );
    assert!(plain.iter().zip(&draws).all(|(p, d)| p[0] == d[0]));
}

#[test]
fn a_lever_parameter_follows_an_assumption_and_another_parameter() {
    // Coefficient 1 between the urban wage growth and training's wage gain, −1 between
    // the gain and the job chance (so −1 between the growth and the job chance too): in
    // every replication the gain moves by as many of its standard deviations as the
    // growth, and the job chance by as many the other way.
    let s = scenario(&format!(
        "{HEAD}{}{}{}",
        pair("assumptions.wage_growth_urban", "levers.skills_training.hourly_gain", 1.0),
        pair("levers.skills_training.employment_probability", "levers.skills_training.hourly_gain", -1.0),
        pair("assumptions.wage_growth_urban", "levers.skills_training.employment_probability", -1.0)
    ));
    let context = BuildContext::new(&s.profile);
    let default_of = |parameter: &str| {
        let spec = incomesim::policy::registry::find("skills_training").expect("lever");
        match spec.parameter(parameter).expect("parameter").default {
            incomesim::policy::registry::DefaultValue::Number(x) => x,
            ref d => panic!("{parameter}: {d}"),
        }
    };
    let (central_gain, central_probability) = (default_of("hourly_gain"), default_of("employment_probability"));
    for r in 1..30 {
        let z_urban = s.joint_draws().expect("consistent").values(&s.assumption_draws(r))[1];
        let reform = s.drawn_reform(r, context).expect("drawn");
        let gain = reform[0].params["hourly_gain"].as_float().expect("gain");
        let probability = reform[0].params["employment_probability"].as_float().expect("probability");
        let z_gain = (gain / central_gain - 1.0) / 0.25;
        let z_probability = (probability - central_probability) / 0.1;
        if gain > 0.0 && probability > 0.0 && probability < 1.0 {
            assert!((z_gain - z_urban).abs() < 1e-9, "replication {r}: {z_gain} against {z_urban}");
            assert!((z_probability + z_urban).abs() < 1e-9, "replication {r}: {z_probability} against {z_urban}");
        }
    }
    assert_eq!(s.drawn_reform(0, context).expect("central"), s.reform, "the first replication runs as written");
}

#[test]
fn a_child_replaces_them_and_a_dropped_lever_takes_its_correlations() {
    let dir = std::env::temp_dir().join(format!("incomesim-correlations-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let base = format!(
        "{HEAD}[levers.labour_transfer]\npersons_per_year = 500\n[uncertainty.levers.labour_transfer]\nretention = 0.1\n{}{}",
        pair("assumptions.wage_growth_urban", "assumptions.wage_growth_rural", 0.85),
        pair("levers.labour_transfer.retention", "levers.skills_training.employment_probability", 0.4)
    );
    std::fs::write(dir.join("base.toml"), &base).expect("write");
    std::fs::write(dir.join("dropped.toml"), "base = \"base.toml\"\ndrop_levers = [\"labour_transfer\"]\n")
        .expect("write");
    std::fs::write(
        dir.join("child.toml"),
        format!(
            "base = \"base.toml\"\n{}",
            pair("assumptions.wage_growth_urban", "assumptions.wage_growth_rural", 0.5)
        ),
    )
    .expect("write");
    let dropped = incomesim::scenario::load(&dir.join("dropped.toml")).expect("dropped");
    assert_eq!(
        dropped.correlations,
        [Correlation::new("assumptions.wage_growth_urban", "assumptions.wage_growth_rural", 0.85)]
    );
    let child = incomesim::scenario::load(&dir.join("child.toml")).expect("child");
    assert_eq!(
        child.correlations,
        [Correlation::new("assumptions.wage_growth_urban", "assumptions.wage_growth_rural", 0.5)]
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn wage_growths_that_move_together_narrow_the_ratios_range() {
    // The national outlook's wage growths after 2025, on one population
    // (`replication_seeds = "same"`), so the drawn values are the only difference.
    let run = |coefficient: f64| {
        let text = format!(
            "base = \"national-2022-outlook\"\nhouseholds = 1500\nlast_year = 2027\nreplications = 16\n\
             replication_seeds = \"same\"\ntargets = []\n{}",
            pair("assumptions.wage_growth_urban", "assumptions.wage_growth_rural", coefficient)
        );
        let s = scenario(&text);
        let outcome = Projection::new(&s).run().expect("runs");
        let ratio = outcome
            .intervals()
            .into_iter()
            .find(|r| r.year == 2027 && r.group == "all" && r.indicator == "urban_rural_ratio")
            .expect("ratio");
        (ratio.p95 - ratio.p05, outcome)
    };
    let (together, outcome) = run(0.95);
    let (apart, _) = run(-0.95);
    assert!(together * 3.0 < apart, "5-95% width of the 2027 ratio: {together} together, {apart} apart");
    // Each replication's wage growths in January 2027: the central value plus 1 point
    // times the draw (the urban one second in the draw order).
    for (draws, values) in outcome.draws.iter().zip(&outcome.drawn_values) {
        for j in 0..2 {
            let (central, value) = (outcome.drawn_values[0][j].expect("central"), values[j].expect("value"));
            assert!((value - (central + 0.01 * draws[j])).abs() < 1e-12, "{value} against {central} and {draws:?}");
        }
    }
    // The run says what it correlated.
    let s = scenario(&format!(
        "base = \"national-2022-outlook\"\nhouseholds = 1500\nlast_year = 2027\nreplications = 16\n\
         replication_seeds = \"same\"\ntargets = []\n{}",
        pair("assumptions.wage_growth_urban", "assumptions.wage_growth_rural", 0.95)
    ));
    let table = incomesim::engine::report::summary_table(&s, &outcome);
    assert!(
        table.contains("their draws correlated: assumptions.wage_growth_urban ~ assumptions.wage_growth_rural 0.95"),
        "{table}"
    );
    let page = incomesim::report::html::report(&s, &outcome, &serde_json::json!({}), &[], "2026-01-02 03:04 UTC");
    assert!(page.contains("assumptions.wage_growth_urban ~ assumptions.wage_growth_rural 0.95"), "the report page");
}

#[test]
fn the_outlooks_coefficient_is_the_published_wage_growths_correlation() {
    // Urban and rural wage income per person, 2015-2023 (the years with parts).
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/published/national_income.csv"))
        .expect("national series");
    let header: Vec<&str> = text.lines().next().expect("header").split(',').collect();
    let wage = header.iter().position(|c| *c == "wage").expect("wage column");
    let series = |group: &str| -> Vec<f64> {
        let mut rows: Vec<(u16, f64)> = text
            .lines()
            .skip(1)
            .filter_map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[1] == group).then(|| Some((f[0].parse().ok()?, f[wage].parse().ok()?))).flatten()
            })
            .collect();
        rows.sort_by_key(|r| r.0);
        assert_eq!(rows.first().map(|r| r.0), Some(2015));
        assert_eq!(rows.last().map(|r| r.0), Some(2023));
        rows.windows(2).map(|w| w[1].1 / w[0].1 - 1.0).collect()
    };
    let rho = correlation(&series("urban"), &series("rural"));
    let outlook = incomesim::scenario::load_builtin("national-2022-outlook").expect("built-in");
    let [c] = outlook.correlations.as_slice() else { panic!("one correlation: {:?}", outlook.correlations) };
    assert_eq!(c.between, ["assumptions.wage_growth_urban", "assumptions.wage_growth_rural"]);
    assert!((c.coefficient - rho).abs() < 0.005, "{} against the series' {rho}", c.coefficient);
}

#[test]
fn the_sensitivity_moves_each_value_alone_and_says_so() {
    use incomesim::engine::sensitivity::{Plan, RankBy};
    let with = scenario(&format!(
        "{}{}",
        HEAD.replace("households = 1500", "households = 600"),
        pair("assumptions.wage_growth_urban", "assumptions.wage_growth_rural", 0.85)
    ));
    let mut without = with.clone();
    without.correlations.clear();
    let generator = incomesim::generate::Generator::calibrate(&with.profile, with.seed).expect("calibrates");
    let run = |s: &Scenario| {
        let plan = Plan::new(s, 1.0).expect("plan");
        let results = plan.run(&generator, Projection::new).expect("runs");
        (serde_json::to_string(&results).expect("json"), plan, results)
    };
    let (a, plan, results) = run(&with);
    let (b, _, _) = run(&without);
    assert_eq!(a, b, "the same runs with and without the correlation");
    let rows = plan.ranked_by(&results, RankBy::Rural);
    let table = incomesim::engine::report::sensitivity_table(&with, &results[0], &rows, RankBy::Rural, false);
    assert!(table.contains("1 correlation(s) are not applied here"), "{table}");

    // `--correlated`: moving the urban wage growth by +1 sd moves the rural one by 0.85 sd.
    let together = Plan::correlated(&with, 1.0).expect("plan");
    assert!(together.correlated);
    let urban_up = together
        .moved
        .iter()
        .position(|m| m.field.as_deref() == Some("assumptions.wage_growth_urban") && m.z > 0.0)
        .expect("urban +1");
    let mut want = together.points[0].1.dynamics.clone();
    let spread = |name: &str| with.uncertainty.iter().find(|u| u.assumption == name).expect(name).clone();
    spread("wage_growth_urban").apply(&mut want, 1.0);
    spread("wage_growth_rural").apply(&mut want, 0.85);
    assert_eq!(format!("{:?}", together.points[urban_up].1.dynamics), format!("{want:?}"));
    // Its table says what moved; without correlations the plan is the plain one.
    let results = together.run(&generator, Projection::new).expect("runs");
    let rows = together.ranked_by(&results, RankBy::Rural);
    let table = incomesim::engine::report::sensitivity_table(&with, &results[0], &rows, RankBy::Rural, true);
    assert!(table.contains("correlated with it moved along"), "{table}");
    let plain = |p: &Plan| format!("{:?}", p.points);
    assert_eq!(plain(&Plan::correlated(&without, 1.0).expect("plan")), plain(&Plan::new(&without, 1.0).expect("plan")));
}

#[test]
fn the_command_moves_correlated_values_along_when_asked() {
    let out = std::env::temp_dir().join(format!("incomesim-correlated-sensitivity-{}", std::process::id()));
    let run = |extra: &[&str]| {
        let mut args = vec!["sensitivity", "national-2022-outlook", "--households", "600", "--years", "2027", "--out"];
        let dir = out.to_string_lossy().to_string();
        args.push(&dir);
        args.extend(extra);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_incomesim")).args(&args).output().expect("runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    let alone = run(&[]);
    assert!(alone.contains("not applied here"), "{alone}");
    let along = run(&["--correlated"]);
    assert!(along.contains("correlated with it moved along") && !along.contains("not applied here"), "{along}");
    std::fs::remove_dir_all(&out).ok();
}

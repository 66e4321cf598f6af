//! Uncertain lever parameters (`[uncertainty.levers.NAME]`): read and checked from a
//! scenario file, merged through `base`, drawn by every replication after the first
//! only, for the reform only, the same whatever the threads, and in a sweep's shared
//! pass as in a run of its own.

use incomesim::engine::uncertain_levers::{Spread, UncertainLever};
use incomesim::engine::warnings::WarningKind;
use incomesim::engine::{Projection, Scenario};
use incomesim::scenario::parse_str;

const HEAD: &str = "name = \"u\"\nregion = \"wuzhong-2022\"\nhouseholds = 1500\nlast_year = 2024\nshapley = false\n\
                    replications = 3\n[levers.skills_training]\nplaces_per_year = 7000\n";

fn scenario(text: &str) -> Scenario {
    parse_str(text, "u.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn json<T: serde::Serialize>(x: &T) -> String {
    serde_json::to_string(x).expect("serialises")
}

#[test]
fn both_forms_are_read_in_field_order() {
    let s = scenario(&format!(
        "{HEAD}[levers.labour_transfer]\npersons_per_year = 500\n\
         [uncertainty.levers.skills_training]\nhourly_gain = {{ relative_sd = 0.25 }}\nemployment_probability = 0.1\n\
         [uncertainty.levers.labour_transfer]\nretention = {{ sd = 0.05 }}\n[uncertainty]\nwage_growth_urban = 0.01\n"
    ));
    let got: Vec<(&str, &str, Spread)> =
        s.lever_uncertainty.iter().map(|u| (u.lever.as_str(), u.parameter.as_str(), u.spread)).collect();
    assert_eq!(
        got,
        vec![
            ("labour_transfer", "retention", Spread::Absolute(0.05)),
            ("skills_training", "employment_probability", Spread::Absolute(0.1)),
            ("skills_training", "hourly_gain", Spread::Relative(0.25)),
        ]
    );
    assert_eq!(s.uncertainty.len(), 1, "the assumptions' entries are read beside them");
    let fields: Vec<String> = s.uncertain_fields().into_iter().map(|(f, spread)| format!("{f} {spread}")).collect();
    assert_eq!(
        fields,
        vec![
            "assumptions.wage_growth_urban sd 0.01",
            "levers.labour_transfer.retention sd 0.05",
            "levers.skills_training.employment_probability sd 0.1",
            "levers.skills_training.hourly_gain relative sd 25%",
        ]
    );
}

#[test]
fn every_problem_names_its_field_and_line() {
    for (entry, field, words) in [
        ("[uncertainty.levers.nope]\nx = 0.1\n", "uncertainty.levers.nope", "unknown lever"),
        (
            "[uncertainty.levers.skills_training]\nemployment_probabilty = 0.1\n",
            "uncertainty.levers.skills_training.employment_probabilty",
            "did you mean `employment_probability`",
        ),
        (
            "[uncertainty.levers.skills_training]\ntraining_month = 1\n",
            "uncertainty.levers.skills_training.training_month",
            "only numbers",
        ),
        (
            "[uncertainty.levers.skills_training]\nemployment_probability = 1.5\n",
            "uncertainty.levers.skills_training.employment_probability",
            "from 0 to 1",
        ),
        (
            "[uncertainty.levers.skills_training]\nemployment_probability = -0.1\n",
            "uncertainty.levers.skills_training.employment_probability",
            "out of range",
        ),
        (
            "[uncertainty.levers.skills_training]\nhourly_gain = { sd = 0.1, relative_sd = 0.1 }\n",
            "uncertainty.levers.skills_training.hourly_gain",
            "one of `sd`",
        ),
        (
            "[uncertainty.levers.skills_training]\nhourly_gain = { relative_sd = 2 }\n",
            "uncertainty.levers.skills_training.hourly_gain",
            "relative_sd 2 is out of range",
        ),
        (
            "[uncertainty.levers.skills_training]\nhourly_gain = { spread = 0.1 }\n",
            "uncertainty.levers.skills_training.hourly_gain.spread",
            "unknown field",
        ),
        (
            "[uncertainty.levers.labour_transfer]\nretention = 0.1\n",
            "uncertainty.levers.labour_transfer.retention",
            "not one of the scenario's levers",
        ),
        ("[uncertainty.levers]\nskills_training = 0.1\n", "uncertainty.levers.skills_training", "expected a table"),
    ] {
        let text = format!("{HEAD}{entry}");
        let err = parse_str(&text, "u.toml").expect_err(entry).to_string();
        // Every problem is at a line of the file.
        let line = HEAD.lines().count() + 1;
        assert!((line..=line + 2).any(|l| err.contains(&format!("u.toml:{l}:"))), "{entry}: {err}");
        assert!(err.contains(field), "{entry}: {err}");
        assert!(err.contains(words), "{entry}: {err}");
    }
    // An unknown lever is one problem, however many parameters it lists.
    let err =
        parse_str(&format!("{HEAD}[uncertainty.levers.nope]\nx = 0.1\ny = 0.2\n"), "u.toml").expect_err("unknown");
    assert!(err.to_string().contains("1 problem(s)"), "{err}");
    // A scenario built in code is checked by the projection.
    let mut s = scenario(HEAD);
    s.lever_uncertainty = vec![UncertainLever::new("dibao", "take_up_urban", Spread::Absolute(0.1))];
    let err = Projection::new(&s).run().expect_err("refused").to_string();
    assert!(err.contains("uncertainty.levers.dibao.take_up_urban") && err.contains("not one of"), "{err}");
}

#[test]
fn a_child_merges_per_parameter_and_a_dropped_lever_takes_its_uncertainty() {
    let base = "base = \"wuzhong-2023\"\nreplications = 2\n\
                [uncertainty.levers.skills_training]\nemployment_probability = 0.1\n\
                [uncertainty.levers.labour_transfer]\nretention = 0.1\n";
    let s = scenario(base);
    assert_eq!(s.lever_uncertainty.len(), 2);
    let dir = std::env::temp_dir().join(format!("incomesim-uncertain-levers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("base.toml"), base).expect("write");
    std::fs::write(
        dir.join("child.toml"),
        "base = \"base.toml\"\n[uncertainty.levers.skills_training]\nhourly_gain = { relative_sd = 0.2 }\n",
    )
    .expect("write");
    std::fs::write(dir.join("dropped.toml"), "base = \"base.toml\"\ndrop_levers = [\"labour_transfer\"]\n")
        .expect("write");
    let child = incomesim::scenario::load(&dir.join("child.toml")).expect("child");
    let names: Vec<String> = child.lever_uncertainty.iter().map(|u| format!("{}.{}", u.lever, u.parameter)).collect();
    assert_eq!(
        names,
        ["labour_transfer.retention", "skills_training.employment_probability", "skills_training.hourly_gain"]
    );
    let dropped = incomesim::scenario::load(&dir.join("dropped.toml")).expect("dropped");
    let names: Vec<String> = dropped.lever_uncertainty.iter().map(|u| format!("{}.{}", u.lever, u.parameter)).collect();
    assert_eq!(names, ["skills_training.employment_probability"]);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn later_replications_draw_the_reform_only_and_the_first_runs_as_written() {
    let plain = scenario(HEAD);
    let uncertain =
        scenario(&format!("{HEAD}[uncertainty.levers.skills_training]\nplaces_per_year = {{ relative_sd = 0.5 }}\n"));
    let on = |s: &Scenario, threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        pool.install(|| Projection::new(s).run().expect("runs"))
    };
    let a = on(&plain, 2);
    let b = on(&uncertain, 2);
    assert_eq!(json(&a.baseline), json(&b.baseline), "the baseline has no lever to draw");
    assert_eq!(json(&a.replications[0]), json(&b.replications[0]), "the first replication runs as written");
    for r in 1..3 {
        let trained = |o: &incomesim::engine::Outcome| o.replications[r].lookup(2024, "all", "mean_disposable");
        assert_ne!(trained(&a), trained(&b), "replication {r} draws its own places");
    }
    // The run's table says what is drawn and gives the reform's effect over the replications.
    let table = incomesim::engine::report::summary_table(&uncertain, &b);
    assert!(
        table.contains("drawn anew by each later replication: levers.skills_training.places_per_year relative sd 50%"),
        "{table}"
    );
    let effect = table.lines().find(|l| l.starts_with("effect of the reform in 2024")).expect("effect line");
    let rural = b
        .intervals()
        .into_iter()
        .find(|r| r.year == 2024 && r.group == "rural" && r.indicator == "mean_change_per_capita");
    let rural = rural.expect("rural effect");
    assert!(rural.p05 < rural.p95, "{rural:?}");
    assert!(effect.contains(&format!("rural {:+.0} ({:+.0} to {:+.0})", rural.mean, rural.p05, rural.p95)), "{effect}");
    // The report page says the same.
    let page = incomesim::report::html::report(&uncertain, &b, &serde_json::json!({}), &[], "2026-01-02 03:04 UTC");
    assert!(page.contains("levers.skills_training.places_per_year relative sd 50%"), "what is drawn");
    let effect = incomesim::engine::report::effect_over_replications(2024, &b).expect("effect");
    assert!(page.contains(&effect), "the effect over replications");
    // Bit for bit the same on one thread.
    assert_eq!(json(&b.replications), json(&on(&uncertain, 1).replications));
    // Without replications to draw, the entry is a warning.
    let one = scenario(&format!(
        "{}[uncertainty.levers.skills_training]\nplaces_per_year = {{ relative_sd = 0.5 }}\n",
        HEAD.replace("replications = 3", "replications = 1")
    ));
    let w = one.warnings();
    assert_eq!(w.iter().map(|w| w.kind).collect::<Vec<_>>(), [WarningKind::UncertaintyWithoutReplications]);
    assert!(w[0].message.contains("levers.skills_training.places_per_year"), "{}", w[0]);
}

#[test]
fn a_shared_pass_draws_each_points_levers_as_its_own_run_does() {
    let a = scenario(&format!("{HEAD}[uncertainty.levers.skills_training]\nhourly_gain = {{ relative_sd = 0.3 }}\n"));
    let mut b = a.clone();
    b.reform[0].params.insert("places_per_year".into(), toml::Value::Integer(12_000));
    let generator = incomesim::generate::Generator::calibrate(&a.profile, a.seed).expect("calibrates");
    let together = Projection::new(&a).run_points_with_generator(&generator, &[a.clone(), b.clone()]).expect("runs");
    for (point, shared) in [a, b].iter().zip(&together) {
        let alone = Projection::new(point).run_with_generator(&generator).expect("runs");
        assert_eq!(json(&alone.replications), json(&shared.replications));
    }
}

#[test]
fn same_seeds_leave_the_uncertain_values_the_only_difference() {
    let same = |extra: &str| scenario(&format!("replication_seeds = \"same\"\n{HEAD}{extra}"));
    // Nothing to draw: every replication is the first again, and the scenario says so.
    let plain = same("");
    assert_eq!(plain.replication_seed(2), plain.seed);
    let w = plain.warnings();
    assert_eq!(w.iter().map(|w| w.kind).collect::<Vec<_>>(), [WarningKind::IdenticalReplications]);
    let o = Projection::new(&plain).run().expect("runs");
    assert_eq!(json(&o.replications[0]), json(&o.replications[2]));
    // With a lever drawn, replications differ by it alone: the same population and
    // baseline, so the reform's effect in a replication whose draw raises the places
    // is larger than the first replication's.
    let drawn = same("[uncertainty.levers.skills_training]\nplaces_per_year = { relative_sd = 0.5 }\n");
    assert!(drawn.warnings().is_empty(), "{:?}", drawn.warnings());
    let o = Projection::new(&drawn).run().expect("runs");
    let persons = |v: &incomesim::engine::VariantResult| v.lookup(2021, "all", "persons");
    assert_eq!(persons(&o.replications[0]), persons(&o.replications[1]), "one base population");
    let effect = |r: usize| o.replications[r].lookup(2024, "all", "mean_change_per_capita").expect("effect");
    let places = |r: usize| {
        let u = &drawn.lever_uncertainty[0];
        let mut params = drawn.reform[0].params.clone();
        u.shift(&mut params, u.draw(drawn.replication_seed(r), r)).expect("shifts");
        params["places_per_year"].as_float().expect("a number")
    };
    for r in 1..3 {
        assert_eq!(places(r) > 7000.0, effect(r) > effect(0), "replication {r}: {} places", places(r));
    }
    let table = incomesim::engine::report::summary_table(&drawn, &o);
    assert!(table.contains("replication_seeds = \"same\""), "{table}");
    // With one replication the choice does nothing, and the scenario says so too.
    let one =
        scenario(&format!("replication_seeds = \"same\"\n{}", HEAD.replace("replications = 3", "replications = 1")));
    assert_eq!(one.warnings().iter().map(|w| w.kind).collect::<Vec<_>>(), [WarningKind::InertParameter]);
    let bad = parse_str(&format!("replication_seeds = \"all\"\n{HEAD}"), "u.toml").expect_err("a word").to_string();
    assert!(bad.contains("replication_seeds") && bad.contains("each"), "{bad}");
}

/// `compare` of two reforms with replications: each target's share of replications,
/// and B's households compared with A's, as the levers' uncertainty leaves the
/// baseline alone.
#[test]
fn compare_gives_each_targets_share_and_shares_the_baseline() {
    let dir = std::env::temp_dir().join(format!("incomesim-uncertain-compare-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let target = "[[targets]]\nname = \"rural level\"\ngroup = \"rural\"\nindicator = \"mean_disposable\"\n\
                  measure = \"level\"\nyear = 2024\nvalue = 1\ncomparison = { kind = \"at_least\" }\n";
    let a = dir.join("a.toml");
    let b = dir.join("b.toml");
    std::fs::write(&a, format!("{HEAD}{target}")).expect("write");
    std::fs::write(
        &b,
        format!("{HEAD}{target}[uncertainty.levers.skills_training]\nplaces_per_year = {{ relative_sd = 0.5 }}\n"),
    )
    .expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_incomesim"))
        .args(["compare", a.to_str().expect("utf-8"), b.to_str().expect("utf-8"), "--out"])
        .arg(dir.join("out"))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("met in 100%").count(), 2, "{text}");
    assert!(!text.contains("not compared with A's"), "one baseline: {text}");
    std::fs::remove_dir_all(&dir).ok();
}

/// With one population and no assumption drawn, later replications' reforms run as
/// extra variants of a shared pass (up to `FOLDED_PER_PASS` a pass, so 35 replications
/// take two passes): each is still, bit for bit, its drawn reform run alone, on one
/// thread as on two.
#[test]
fn a_replication_folded_into_a_shared_pass_is_its_drawn_reform_run_alone() {
    use incomesim::engine::projection::FOLDED_PER_PASS;
    let replications = FOLDED_PER_PASS + 4;
    let s = scenario(&format!(
        "replication_seeds = \"same\"\n{}[uncertainty.levers.skills_training]\nplaces_per_year = {{ relative_sd = 0.5 \
         }}\nhourly_gain = {{ relative_sd = 0.3 }}\n",
        HEAD.replace("households = 1500", "households = 400")
            .replace("replications = 3", &format!("replications = {replications}"))
    ));
    // One calibration for every run: they share the profile and seed.
    let generator = incomesim::generate::Generator::calibrate(&s.profile, s.seed).expect("calibrates");
    let on = |s: &Scenario, threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        pool.install(|| Projection::new(s).run_with_generator(&generator).expect("runs"))
    };
    let all = on(&s, 2);
    assert_eq!(all.replications.len(), replications);
    // Two passes, each with one baseline: every reform and two baselines.
    assert_eq!(all.stream.variants, replications + 2);
    let context = incomesim::policy::registry::BuildContext::new(&s.profile);
    for r in [1, FOLDED_PER_PASS, FOLDED_PER_PASS + 1, replications - 1] {
        let mut alone = s.clone();
        alone.reform = s.drawn_reform(r, context).expect("drawn");
        alone.lever_uncertainty.clear();
        alone.replications = 1;
        let one = on(&alone, 2);
        assert_eq!(json(&one.replications[0]), json(&all.replications[r]), "replication {r}");
        assert_eq!(json(&one.baseline), json(&all.baseline));
    }
    assert_ne!(json(&all.replications[1]), json(&all.replications[2]), "each draws its own levers");
    assert_eq!(json(&all.replications), json(&on(&s, 1).replications), "the same on one thread");
    // A sweep's shared pass folds them too (two points: 16 replications a pass), and
    // each point's replications are those of its run alone.
    let mut b = s.clone();
    b.reform[0].params.insert("places_per_year".into(), toml::Value::Integer(12_000));
    let together = Projection::new(&s).run_points_with_generator(&generator, &[s.clone(), b.clone()]).expect("runs");
    assert_eq!(json(&together[0].replications), json(&all.replications));
    assert_eq!(json(&together[1].replications), json(&on(&b, 2).replications));
    assert_eq!(together[0].stream.variants, 2 * replications + 3, "three passes, a baseline each");
}

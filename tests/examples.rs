//! Every example in `examples/` runs and prints something.

use std::path::PathBuf;
use std::process::Command;

fn examples_dir() -> PathBuf {
    // The test binary lives in target/<profile>/deps; examples in target/<profile>/examples.
    let exe = std::env::current_exe().expect("test binary path");
    exe.parent().and_then(|p| p.parent()).expect("target profile dir").join("examples")
}

/// Builds the examples once, in the profile of this test binary (`test`: the crate
/// optimised, as the statistical tests are; `release` under `cargo test --release`),
/// so that they are current and quick whether or not `cargo test` built them.
fn build_examples() {
    static BUILT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = BUILT.get_or_init(|| {
        let release = examples_dir().parent().and_then(|p| p.file_name()).is_some_and(|n| n == "release");
        let profile = if release { ["--profile", "release"] } else { ["--profile", "test"] };
        Command::new(env!("CARGO"))
            .args(["build", "--examples"])
            .args(profile)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .is_ok_and(|s| s.success())
    });
    assert!(*ok, "building the examples failed");
}

fn run(name: &str, args: &[&str]) -> String {
    build_examples();
    let path = examples_dir().join(name);
    let out = Command::new(&path).args(args).output().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(out.status.success(), "{name} failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.lines().count() > 3, "{name} printed too little:\n{text}");
    text
}

/// The arguments each example runs with here: a small population so the test stays fast.
fn arguments(name: &str) -> &'static [&'static str] {
    match name {
        "calibrate_region" => &["liupanshui-2021", "20000"],
        "backtest" | "run_scenario" | "custom_levers" | "compare_dibao_rules" => &["2000"],
        "dibao_sweep" | "work_incentives" => &["3000"],
        "what_it_takes" | "outlook" | "uncertain_levers" => &["2000"],
        _ => &[],
    }
}

/// Examples run by their own tests below, which also check what they print.
const CHECKED_APART: [&str; 5] =
    ["dibao_sweep", "compare_dibao_rules", "what_it_takes", "work_incentives", "uncertain_levers"];

#[test]
fn every_example_runs() {
    let listed: Vec<String> = std::fs::read_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples"))
        .expect("examples dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .filter_map(|e| e.path().file_stem().map(|s| s.to_string_lossy().to_string()))
        .collect();
    for name in listed.iter().filter(|n| !CHECKED_APART.contains(&n.as_str())) {
        let text = run(name, arguments(name));
        println!("{name}:\n{text}");
    }
    for required in ["run_scenario", "custom_levers", "compare_dibao_rules", "dibao_sweep", "load_microdata"] {
        assert!(listed.iter().any(|n| n == required), "examples/{required}.rs is missing");
    }
}

/// The numbers of a printed table row, in order (percent signs dropped).
fn numbers(line: &str) -> Vec<f64> {
    line.split_whitespace().filter_map(|w| w.trim_end_matches('%').parse().ok()).collect()
}

#[test]
fn dibao_sweep_costs_more_and_leaves_less_poverty_as_the_threshold_rises() {
    let text = run("dibao_sweep", arguments("dibao_sweep"));
    let rows: Vec<Vec<f64>> =
        text.lines().map(numbers).filter(|n| n.len() == 10 && n[0] >= 400.0 && n[0] <= 1000.0).collect();
    let thresholds: Vec<f64> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(thresholds, (0..13).map(|k| 400.0 + 50.0 * k as f64).collect::<Vec<_>>(), "{text}");
    for pair in rows.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(b[1] >= a[1] && b[3] > a[3], "caseload and cost rise with the threshold:\n{text}");
        // Poverty does not rise, but for a household here and there: one whose old or
        // disabled member took the dibao up as a one-person unit is judged on the whole
        // household's (smaller) share of need once the higher threshold makes it
        // eligible as a whole, and may then not take it up (README, "Limits"). At 3,000
        // households one such household moves a headcount by about 0.03 points.
        for (k, name, slack) in
            [(4, "poor <6000", 0.1), (5, "gap <6000", 0.001), (6, "poor <10k", 0.1), (7, "gap <10k", 0.001)]
        {
            assert!(b[k] <= a[k] + slack, "{name} rises from {} to {} yuan/month:\n{text}", a[0], b[0]);
        }
    }
    // The persons a step leaves poorer than the step before (that flaw): none at the
    // first, and few against the persons on dibao at any step.
    assert_eq!(rows[0][9], 0.0, "{text}");
    assert!(rows.iter().all(|r| r[9] >= 0.0 && r[9] < 0.05 * r[2]), "{text}");
    let (first, last) = (&rows[0], &rows[rows.len() - 1]);
    for k in 4..8 {
        assert!(last[k] < first[k], "a higher threshold lowers every poverty measure over the sweep:\n{text}");
    }
}

#[test]
fn work_incentives_free_dibao_households_from_the_trap_as_the_deduction_rises() {
    let text = run("work_incentives", arguments("work_incentives"));
    let rows: Vec<Vec<f64>> = text.lines().map(numbers).filter(|n| n.len() == 10).collect();
    let deductions: Vec<f64> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(deductions, [0.0, 100.0, 200.0, 400.0, 800.0], "{text}");
    for r in &rows {
        // The bands of dibao persons add up; most earners keep most of a rise.
        assert!((r[5] + r[6] + r[7] - 100.0).abs() < 0.5, "{text}");
        assert!(r[4] > 0.0 && r[4] < 30.0, "{text}");
        // A dibao household whose member takes a job at the entry wage loses part of it
        // with the top-up, and is better off.
        assert!(r[8] > 5.0 && r[8] < 100.0 && r[9] > 0.0, "{text}");
    }
    let (first, last) = (&rows[0], &rows[rows.len() - 1]);
    // Without a deduction the rise is taken back for a large share of dibao persons;
    // the deduction frees most of them and takes more households in at a higher cost.
    assert!(first[7] > 20.0 && last[7] < 0.6 * first[7], "{text}");
    assert!(last[1] > first[1] && last[3] > first[3], "{text}");
}

#[test]
fn compare_dibao_rules_prints_every_year_for_both_rules() {
    let text = run("compare_dibao_rules", arguments("compare_dibao_rules"));
    let rows: Vec<Vec<f64>> = text.lines().map(numbers).filter(|n| n.len() == 11).collect();
    let years: Vec<f64> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(years, [2021.0, 2022.0, 2023.0, 2024.0], "{text}");
    // Same base year under both rules: levers act from the first projected year.
    assert_eq!(rows[0][1], rows[0][2]);
    // Disregarding the basic pension and indexing the thresholds widens the caseload.
    assert!(rows[3][2] > rows[3][1] && rows[3][4] > rows[3][3], "{text}");
}

#[test]
fn what_it_takes_answers_every_target_of_the_plan() {
    let text = run("what_it_takes", arguments("what_it_takes"));
    let scenario = incomesim::engine::Scenario::default_scenario().expect("default scenario");
    for t in &scenario.targets {
        let line =
            text.lines().find(|l| l.starts_with(t.name.as_str())).unwrap_or_else(|| panic!("{}:\n{text}", t.name));
        let answers = ["met from", "met up to", "met at any", "not within"];
        assert!(answers.iter().any(|a| line.contains(a)), "{line}");
    }
    // The plan's rural growth target needs more than its own dibao threshold on its own.
    let rural = text.lines().find(|l| l.starts_with("rural income at least +12%")).expect("rural target");
    assert!(rural.contains("met from") || rural.contains("not within 3,000"), "{rural}");
}

#[test]
fn uncertain_levers_gives_each_target_a_share_and_ranks_the_assumptions() {
    let text = run("uncertain_levers", arguments("uncertain_levers"));
    // Every target's share of replications is a percentage.
    let shares: Vec<f64> = text
        .lines()
        .filter(|l| l.trim_end().len() > 6 && l.split_whitespace().next().is_some_and(|w| w.ends_with('%')))
        .filter_map(|l| l.split_whitespace().next()?.trim_end_matches('%').parse().ok())
        .collect();
    assert_eq!(shares.len(), 6, "{text}");
    assert!(shares.iter().all(|x| (0.0..=100.0).contains(x)), "{text}");
    // The effect's range holds its mean, and the ranking's swings fall.
    let rural = text.lines().find(|l| l.trim_start().starts_with("rural  mean")).expect("rural effect");
    // "rural  mean +574, 90% of replications within +468 to +683"
    let n = numbers(&rural.replace(',', ""));
    assert!(n.len() == 4 && n[1] == 90.0 && n[2] <= n[0] && n[0] <= n[3], "{rural}");
    let swings: Vec<f64> = text
        .lines()
        .filter_map(|l| l.split("(swing ").nth(1))
        .filter_map(|w| w.trim_end_matches(')').replace(',', "").parse().ok())
        .collect();
    assert_eq!(swings.len(), 5, "{text}");
    assert!(swings.windows(2).all(|w| w[0] >= w[1]), "{text}");
}

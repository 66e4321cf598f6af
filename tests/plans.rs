//! The shipped scenarios: the five municipal plans (and every other file in
//! `scenarios/`) load, validate, run on a small population and check every target,
//! and `incomesim check` accepts each of them.

use std::path::{Path, PathBuf};
use std::process::Command;

use incomesim::engine::{Projection, Scenario};

/// The five plans of LEVERS.md, by file name.
const PLANS: [&str; 5] = [
    "bayannur-2017.toml",
    "baotou-jiuyuan-2021.toml",
    "yangquan-2018.toml",
    "wuzhong-2023.toml",
    "liupanshui-2022.toml",
];

/// Households for the test runs: enough for every group to be populated, small
/// enough to run all scenarios in seconds.
const HOUSEHOLDS: usize = 1_500;

fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// Every `*.toml` in `scenarios/`, sorted.
fn scenario_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenario_dir())
        .expect("scenarios/ is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_five_plans_are_shipped() {
    let names: Vec<String> =
        scenario_files().iter().filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned())).collect();
    for plan in PLANS {
        assert!(names.iter().any(|n| n == plan), "{plan} missing from scenarios/: {names:?}");
    }
}

#[test]
fn every_scenario_runs_with_every_target_measured_and_finite_indicators() {
    let files = scenario_files();
    assert!(files.len() >= PLANS.len());
    for path in files {
        let name = path.display().to_string();
        let mut s = Scenario::from_file(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let is_plan = path.file_name().is_some_and(|n| PLANS.iter().any(|p| n == *p));
        assert!(!is_plan || !s.targets.is_empty(), "{name}: a plan scenario states its targets");
        s.households = HOUSEHOLDS;
        s.shapley = false;
        s.replications = 1;
        s.clear_uncertainty();
        let o = Projection::new(&s).run().unwrap_or_else(|e| panic!("{name}: {e}"));

        let years: Vec<u16> = (s.profile.base_year..=s.last_year).collect();
        for (label, variant) in [("reform", &o.reform), ("baseline", &o.baseline)] {
            let got: Vec<u16> = variant.years.iter().map(|y| y.indicators.year).collect();
            assert_eq!(got, years, "{name} {label}: one result per year");
            for y in &variant.years {
                let rows = y.indicators.rows();
                assert!(!rows.is_empty(), "{name} {label} {}", y.indicators.year);
                for r in rows {
                    assert!(r.value.is_finite(), "{name} {label} {} {} {} = {}", r.year, r.group, r.indicator, r.value);
                }
            }
            for group in ["urban", "rural", "all"] {
                let first = variant.lookup(s.profile.base_year, group, "mean_disposable").expect("base-year mean");
                let last = variant.lookup(s.last_year, group, "mean_disposable").expect("last-year mean");
                assert!(first > 0.0 && last > 0.0, "{name} {label} {group}: {first} → {last}");
            }
        }

        assert_eq!(o.targets.len(), s.targets.len(), "{name}");
        for (target, result) in s.targets.iter().zip(&o.targets) {
            assert!(!target.source.is_empty(), "{name}: target `{}` names its clause", target.name);
            let reached = result.reached.unwrap_or_else(|| panic!("{name}: target `{}` not measured", result.name));
            assert!(reached.is_finite(), "{name}: target `{}` reached {reached}", result.name);
            assert_eq!(result.met, target.is_met(reached), "{name}: `{}`", result.name);
        }
    }
}

#[test]
fn every_lever_in_a_plan_file_carries_a_comment() {
    // Targets name their clause in `source` (checked by the run test); levers in the
    // comment above their table.
    for plan in PLANS {
        let text = std::fs::read_to_string(scenario_dir().join(plan)).expect("reads");
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.first().is_some_and(|l| l.starts_with('#')), "{plan}: a header comment names the plan");
        let mut levers = 0;
        for (k, line) in lines.iter().enumerate() {
            if line.trim_start().starts_with("[levers.") {
                let before = lines[..k].iter().rev().find(|l| !l.trim().is_empty()).copied().unwrap_or_default();
                assert!(before.trim_start().starts_with('#'), "{plan} line {}: `{line}` has no comment", k + 1);
                levers += 1;
            }
        }
        assert!(levers > 0, "{plan}: no lever");
    }
}

#[test]
fn check_accepts_every_shipped_scenario() {
    for path in scenario_files() {
        let out =
            Command::new(env!("CARGO_BIN_EXE_incomesim")).arg("check").arg(&path).output().expect("the binary runs");
        assert!(
            out.status.success(),
            "{}: exit {:?}\n{}",
            path.display(),
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("valid"), "{}", path.display());
    }
}

//! The command line as a user runs it.

use std::process::Command;

fn incomesim(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_incomesim")).args(args).output().expect("runs")
}

#[test]
fn regions_lists_every_builtin_profile() {
    let out = incomesim(&["regions"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for id in incomesim::region::builtin_ids() {
        assert!(text.contains(id), "{id} missing from:\n{text}");
    }
}

#[test]
fn population_json_has_the_documented_fields() {
    let out = incomesim(&["population", "--region", "wuzhong-2022", "--households", "3000", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let targets = v["targets"].as_array().expect("targets array");
    assert!(targets.len() > 20);
    for t in targets {
        for field in ["name", "status", "published", "simulated", "relative_error"] {
            assert!(!t[field].is_null(), "{field} missing in {t}");
        }
    }
    let share = targets.iter().find(|t| t["name"] == "urban share of residents").expect("urbanisation");
    assert!(share["published"].as_f64().is_some_and(|x| (0.0..=1.0).contains(&x)), "shares are fractions");
}

#[test]
fn population_writes_microdata_that_loads_back() {
    let dir = std::env::temp_dir().join(format!("incomesim-cli-microdata-{}", std::process::id()));
    let out = incomesim(&[
        "population",
        "--region",
        "bayannur-2016",
        "--households",
        "500",
        "--microdata",
        dir.to_str().expect("utf-8 path"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pop = incomesim::microdata::load_csv(
        &dir.join("households.csv"),
        &dir.join("persons.csv"),
        &incomesim::microdata::LoadOptions::default(),
    )
    .expect("the export loads back");
    assert_eq!(pop.household_count(), 500);
    let header = std::fs::read_to_string(dir.join("households.csv")).expect("reads");
    let header = header.lines().next().expect("header");
    for column in
        ["market_wage", "final_transfers_received", "per_capita_disposable", "lever_dibao", "lever_resident_pension"]
    {
        assert!(header.contains(column), "{column} missing from {header}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_requests_fail_with_a_message_not_a_panic() {
    let out = incomesim(&["population", "--region", "atlantis-2020"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown region `atlantis-2020`") && err.contains("national-2022"), "{err}");
    let out = incomesim(&["population", "--households", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least one household"));
}

#[test]
fn run_prints_the_year_table_and_writes_microdata_of_a_chosen_year() {
    let dir = std::env::temp_dir().join(format!("incomesim-cli-run-{}", std::process::id()));
    let out = incomesim(&[
        "run",
        "--households",
        "1500",
        "--microdata",
        dir.to_str().expect("utf-8 path"),
        "--microdata-year",
        "2023",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in ["2021", "2022", "2023", "2024", "ratio", "targets:", "contribution of each lever"] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
    let households = std::fs::read_to_string(dir.join("households.csv")).expect("written");
    assert!(households.lines().nth(1).is_some_and(|l| l.starts_with("2023,")));
    let pop = incomesim::microdata::load_csv(
        &dir.join("households.csv"),
        &dir.join("persons.csv"),
        &incomesim::microdata::LoadOptions::default(),
    )
    .expect("loads back");
    assert!(pop.household_count() > 1000);
    let _ = std::fs::remove_dir_all(&dir);
    let out = incomesim(&["run", "--households", "500", "--microdata", "/tmp/x", "--microdata-year", "2030"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("outside the projection"));
}

#[test]
fn run_writes_indicators_targets_levers_and_summary() {
    let dir = std::env::temp_dir().join(format!("incomesim-cli-out-{}", std::process::id()));
    let out = incomesim(&["run", "--households", "1200", "--out", dir.to_str().expect("utf-8 path")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let indicators = std::fs::read_to_string(dir.join("indicators.csv")).expect("indicators.csv");
    assert!(indicators.starts_with("year,group,indicator,value\n"));
    for group in ["urban", "rural", "all"] {
        assert!(indicators.contains(&format!("2024,{group},mean_disposable,")), "{group} missing");
    }
    assert!(indicators.contains("2024,all,urban_rural_ratio,"));
    let targets = std::fs::read_to_string(dir.join("targets.csv")).expect("targets.csv");
    assert_eq!(targets.lines().count(), 7, "header and six targets");
    let levers = std::fs::read_to_string(dir.join("levers.csv")).expect("levers.csv");
    assert!(
        levers.lines().next().is_some_and(|h| h.contains("fiscal_cost") && h.contains("contribution_rural_growth_se"))
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).expect("summary.json")).expect("json");
    assert_eq!(summary["provenance"]["crate_version"], env!("CARGO_PKG_VERSION"));
    assert!(summary["assumptions"].as_array().is_some_and(|a| !a.is_empty()));
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_accepts_the_shipped_scenarios_and_names_bad_fields() {
    let root = env!("CARGO_MANIFEST_DIR");
    for file in ["scenarios/liupanshui-2022.toml", "scenarios/backtest-national-2015.toml"] {
        let out = incomesim(&["check", &format!("{root}/{file}")]);
        assert!(out.status.success(), "{file}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let dir = std::env::temp_dir().join(format!("incomesim-cli-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let cases = [
        (
            "negative.toml",
            "name = \"x\"\nregion = \"wuzhong-2022\"\nlast_year = 2024\n[levers.dibao]\nurban_threshold_per_month = -5\n",
            "urban_threshold_per_month",
        ),
        (
            "unknown_lever.toml",
            "name = \"x\"\nregion = \"wuzhong-2022\"\nlast_year = 2024\n[levers.dibaoo]\n",
            "dibaoo",
        ),
        ("years.toml", "name = \"x\"\nregion = \"wuzhong-2022\"\nlast_year = 2020\n", "last_year"),
        ("region.toml", "name = \"x\"\nregion = \"atlantis-2020\"\nlast_year = 2024\n", "atlantis-2020"),
        ("syntax.toml", "name = \"x\nregion = 3\n", "line"),
    ];
    for (name, text, needle) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        let out = incomesim(&["check", path.to_str().expect("utf-8")]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

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
    // A count of no households names the field.
    for command in ["population", "run"] {
        let out = incomesim(&[command, "--households", "0"]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("households: a") && err.contains("at least one household"), "{command}: {err}");
    }
    // A last year beyond the horizon, set on the command line, is refused before any
    // work (`--years 65000` once ran on past 10 GB), as in a scenario file.
    let out = incomesim(&["run", "--households", "100", "--years", "65000", "--out", "never-written"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("last_year: 65000 is more than 50 years after the base year"), "{err}");
    assert!(!std::path::Path::new("never-written").exists());
    // `population` materialises every household: a count beyond what memory can hold
    // is refused with a message, not an allocation failure that aborts the process.
    let out = incomesim(&["population", "--households", "4000000000"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("households: a materialised population holds at most 100000000"), "{err}");
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
    // The plan's employment levers follow the pay rates index: its last year is printed.
    let index_line = text.lines().find(|l| l.starts_with("pay rates index")).expect("the index line");
    assert!(index_line.contains("2024: urban 1.") && index_line.contains(", rural 1."), "{index_line}");
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
    // The lever lines: paid, its private part, the fiscal cost, and a rationed lever's
    // places (the plan's 3,333 start-ups a year).
    let text = String::from_utf8_lossy(&out.stdout);
    let start_ups = text
        .lines()
        .find(|l| l.trim_start().starts_with("start_up_support ") && l.contains(" paid "))
        .expect("a lever line");
    assert!(start_ups.contains(" private ") && start_ups.contains(" cost "), "{start_ups}");
    assert!(start_ups.contains("places 3333, filled "), "{start_ups}");
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
    // What each lever paid, by quintile group, adds up to what it paid to households.
    let mut rows = levers.lines();
    let header: Vec<&str> = rows.next().expect("header").split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("{name} missing"));
    let paid = col("paid_to_households");
    let quintiles: Vec<usize> = (1..=5).map(|q| col(&format!("paid_quintile_{q}"))).collect();
    let mut with_payments = 0;
    for row in rows {
        let v: Vec<f64> = row.split(',').map(|x| x.parse().unwrap_or(f64::NAN)).collect();
        let by_quintile: f64 = quintiles.iter().map(|&q| v[q]).sum();
        assert!((by_quintile - v[paid]).abs() <= 1e-6 * v[paid].abs().max(1.0), "{row}");
        with_payments += usize::from(v[paid] != 0.0 && quintiles.iter().filter(|&&q| v[q] != 0.0).count() >= 2);
    }
    assert!(with_payments > 0, "some lever pays into more than one quintile group");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).expect("summary.json")).expect("json");
    assert_eq!(summary["provenance"]["crate_version"], env!("CARGO_PKG_VERSION"));
    for hash in ["scenario_fnv1a64", "scenario_resolved_fnv1a64"] {
        let hex = summary["provenance"][hash].as_str().unwrap_or_default();
        assert!(hex.len() == 16 && hex.chars().all(|c| c.is_ascii_hexdigit()), "{hash}: {hex:?}");
    }
    assert!(summary["assumptions"].as_array().is_some_and(|a| !a.is_empty()));
    assert_eq!(summary["warnings"], serde_json::json!([]), "the default scenario does what it says");
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
    // What the replications draw is counted.
    let out = incomesim(&["check", &format!("{root}/scenarios/liupanshui-2022-uncertain-levers.toml")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("20 replications drawing 5 uncertain value(s)"), "{text}");
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

#[test]
fn check_and_run_list_warnings_and_check_strict_fails_on_them() {
    let dir = scratch("warnings");
    let path = dir.join("inert.toml");
    std::fs::write(
        &path,
        "name = \"x\"\nregion = \"wuzhong-2022\"\nhouseholds = 800\nlast_year = 2023\nshapley = false\n\
         [levers.dibao]\nsanction_cut_share = 0.5\n",
    )
    .expect("write");
    let file = path.to_str().expect("utf-8");
    let out = incomesim(&["check", file]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1 warning(s)") && text.contains("warning: levers.dibao.sanction_cut_share"), "{text}");
    let strict = incomesim(&["check", "--strict", file]);
    assert_eq!(strict.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&strict.stderr).contains("--strict"));
    let clean =
        incomesim(&["check", "--strict", &format!("{}/scenarios/wuzhong-2023.toml", env!("CARGO_MANIFEST_DIR"))]);
    assert!(clean.status.success(), "{}", String::from_utf8_lossy(&clean.stdout));

    let out_dir = dir.join("out");
    let run = incomesim(&["run", file, "--out", out_dir.to_str().expect("utf-8")]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(String::from_utf8_lossy(&run.stderr).contains("warning: levers.dibao.sanction_cut_share"));
    assert!(String::from_utf8_lossy(&run.stdout).contains("1 warning(s):"));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("summary.json")).expect("summary")).expect("json");
    assert_eq!(summary["warnings"][0]["kind"], "inert_parameter");
    assert_eq!(summary["warnings"][0]["field"], "levers.dibao.sanction_cut_share");
    // What the baseline fixed each year, the dibao take-up it set among it.
    let paths = summary["baseline_paths"].as_array().expect("baseline_paths");
    let years: Vec<u64> = paths.iter().map(|p| p["year"].as_u64().expect("year")).collect();
    assert_eq!(years.first(), Some(&2022));
    assert_eq!(years.last(), Some(&2023));
    for p in paths {
        let rates = p["dibao_take_up_rate"].as_array().expect("rates");
        assert!(rates.len() == 2 && rates.iter().all(|r| r.as_f64().is_some_and(|r| (0.0..=1.0).contains(&r))), "{p}");
        assert_eq!(p["dibao_stayer_cutoff"].as_array().map(|c| c.len()), Some(2), "{p}");
    }
    // The employment levers' market pay moves with the pay of a new local job: not in
    // the base year, up with the baseline's wage growth after it.
    let wage_index = |p: &serde_json::Value, r: usize| p["wage_index"][r].as_f64().expect("wage index");
    assert_eq!([wage_index(&paths[0], 0), wage_index(&paths[0], 1)], [1.0, 1.0]);
    assert!((0..2).all(|r| (1.0..1.3).contains(&wage_index(&paths[1], r)) && wage_index(&paths[1], r) > 1.0));
    assert!(String::from_utf8_lossy(&run.stdout).contains("baseline dibao take-up of newly eligible households"));
    let report = std::fs::read_to_string(out_dir.join("report.html")).expect("report");
    assert!(report.contains("id=\"warnings-table\"") && report.contains("levers.dibao.sanction_cut_share"));

    // What only the results show is listed by compare under the scenario it concerns.
    let posts = dir.join("posts.toml");
    std::fs::write(
        &posts,
        "name = \"y\"\nregion = \"wuzhong-2022\"\nhouseholds = 800\nlast_year = 2023\nshapley = false\n\
         [levers.public_welfare_posts]\nposts_per_year = 90000000\n",
    )
    .expect("write");
    let compared =
        incomesim(&["compare", file, posts.to_str().expect("utf-8"), "--out", out_dir.to_str().expect("utf-8")]);
    assert!(compared.status.success(), "{}", String::from_utf8_lossy(&compared.stderr));
    let text = String::from_utf8_lossy(&compared.stdout);
    assert!(text.contains("warnings of B:\n  levers.public_welfare_posts: places left empty"), "{text}");
    assert!(!text.contains("warnings of A:"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sweep_prints_a_row_per_point_writes_sweep_csv_and_refuses_bad_axes() {
    let dir = scratch("sweep");
    let scenario = quick_scenario(&dir, "sweep", 500, 0.5);
    let out_dir = dir.join("out");
    let out = incomesim(&[
        "sweep",
        &scenario,
        "--vary",
        "levers.dibao.rural_threshold_per_month=400:600:100",
        "--out",
        out_dir.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("rural_threshold_per_month") && text.contains("targets met at:"), "{text}");
    // The target (rural growth of 50% in a year) is out of reach at every point.
    assert!(text.contains("no point of the sweep meets every target"), "{text}");
    let csv = std::fs::read_to_string(out_dir.join("sweep.csv")).expect("sweep.csv");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 4, "header and three points");
    assert!(rows[1].starts_with("400,2022,") && rows[3].starts_with("600,2022,"), "{csv}");
    assert!(no_temporary_files(&out_dir));
    for chart in ["sweep_ratio", "sweep_growth", "sweep_cost"] {
        for ext in ["svg", "png"] {
            let path = out_dir.join("charts").join(format!("{chart}.{ext}"));
            assert!(std::fs::metadata(&path).is_ok_and(|m| m.len() > 1000), "{}", path.display());
        }
    }
    let missed = incomesim(&[
        "sweep",
        &scenario,
        "--vary",
        "levers.dibao.rural_threshold_per_month=400,500",
        "--fail-on-missed-targets",
        "--out",
        out_dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(missed.status.code(), Some(3), "{}", String::from_utf8_lossy(&missed.stderr));
    for (axis, needle) in [
        ("levers.dibao.rural_threshold_per_month=400,-1", "rural_threshold_per_month"),
        ("levers.dibao.rural_threshold_per_month", "no `=`"),
        ("assumptions.urban_shar=0.5", "did you mean `urban_share`"),
    ] {
        let bad = incomesim(&["sweep", &scenario, "--vary", axis, "--out", out_dir.to_str().expect("utf-8")]);
        assert_eq!(bad.status.code(), Some(2), "{axis}");
        let err = String::from_utf8_lossy(&bad.stderr);
        assert!(err.contains(needle) && !err.contains("panicked"), "{axis}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn solve_finds_the_crossing_writes_solve_csv_and_refuses_an_unknown_target() {
    let dir = scratch("solve");
    // Rural growth of at least 20% in 2022: met with a high rural dibao threshold, not a low one.
    let scenario = quick_scenario(&dir, "solve", 500, 0.2);
    let out_dir = dir.join("out");
    let out_arg = out_dir.to_str().expect("utf-8");
    let args = |range: &'static str, target: &'static str| {
        vec!["solve", scenario.as_str(), "--vary", range, "--target", target, "--out", out_arg]
    };
    let out = incomesim(&args("levers.dibao.rural_threshold_per_month=100:3000", "rural growth"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("is met at levers.dibao.rural_threshold_per_month = "), "{text}");
    let csv = std::fs::read_to_string(out_dir.join("solve.csv")).expect("solve.csv");
    let values: Vec<f64> =
        csv.lines().skip(1).map(|l| l.split(',').next().unwrap_or("").parse().expect("value")).collect();
    assert!(values.len() >= 3 && values.windows(2).all(|w| w[0] < w[1]), "runs by value: {values:?}");
    assert_eq!((values[0], values[values.len() - 1]), (100.0, 3000.0));

    let unknown = incomesim(&args("levers.dibao.rural_threshold_per_month=100:3000", "rural grow"));
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("`rural growth`"));
    // A range that cannot reach it, with --fail-on-missed-targets: exit 3.
    let mut never = args("levers.dibao.rural_threshold_per_month=0:1", "1");
    never.push("--fail-on-missed-targets");
    let missed = incomesim(&never);
    assert_eq!(missed.status.code(), Some(3), "{}", String::from_utf8_lossy(&missed.stdout));
    assert!(String::from_utf8_lossy(&missed.stdout).contains("missed at both ends"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("incomesim-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// A quick scenario: Liupanshui 2021–2022, no Shapley values, a dibao rule and one
/// target on rural growth (`at_least` the given value).
fn quick_scenario(dir: &std::path::Path, name: &str, rural_threshold: u32, rural_growth_target: f64) -> String {
    let text = format!(
        "name = \"{name}\"\nregion = \"liupanshui-2021\"\nhouseholds = 1500\nlast_year = 2022\nshapley = false\n\
         [levers.dibao]\nrural_threshold_per_month = {rural_threshold}\n\
         [[targets]]\nname = \"rural growth\"\ngroup = \"rural\"\nindicator = \"mean_disposable\"\nmeasure = \"growth\"\n\
         from = 2021\nto = 2022\nvalue = {rural_growth_target}\ncomparison = {{ kind = \"at_least\" }}\n"
    );
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).expect("scenario written");
    path.to_str().expect("utf-8 path").to_string()
}

fn no_temporary_files(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir).expect("dir").flatten().all(|e| !e.file_name().to_string_lossy().ends_with(".tmp"))
}

#[test]
fn compare_prints_both_scenarios_side_by_side_and_writes_compare_csv() {
    let dir = scratch("compare");
    let a = quick_scenario(&dir, "low", 408, -1.0);
    let b = quick_scenario(&dir, "high", 700, 0.9);
    let out_dir = dir.join("out");
    let out = incomesim(&["compare", &a, &b, "--out", out_dir.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "A: low",
        "B: high",
        "B − A",
        "urban mean income",
        "rural mean income",
        "all mean income",
        "urban-rural ratio",
        "rural wage share, %",
        "urban unemployment, %",
        "Gini (all)",
        "dibao households",
        "below dibao line",
        "programme cost",
        "targets of A: 1 of 1 met",
        "targets of B: 0 of 1 met",
        "MISSED",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
    assert!(text.contains("\n2021 ") && text.contains("\n2022 "), "{text}");

    let csv = std::fs::read_to_string(out_dir.join("compare.csv")).expect("compare.csv");
    assert!(csv.starts_with("year,group,indicator,a,b,difference\n"), "{csv}");
    let cell = |year: &str, group: &str, indicator: &str| -> (f64, f64, f64) {
        let line = csv
            .lines()
            .find(|l| l.starts_with(&format!("{year},{group},{indicator},")))
            .unwrap_or_else(|| panic!("{year},{group},{indicator} missing"));
        let v: Vec<f64> = line.split(',').skip(3).map(|x| x.parse().expect("a number")).collect();
        (v[0], v[1], v[2])
    };
    for (group, indicator) in [
        ("urban", "mean_disposable"),
        ("rural", "mean_disposable"),
        ("all", "mean_disposable"),
        ("all", "urban_rural_ratio"),
        ("all", "gini"),
        ("all", "dibao_households"),
        ("all", "programme_cost"),
        ("levers", "fiscal_cost_dibao"),
    ] {
        let (a, b, d) = cell("2022", group, indicator);
        assert!((d - (b - a)).abs() <= 1e-9 * b.abs().max(1.0), "{group} {indicator}: {a} {b} {d}");
    }
    // The same base year (levers act from the first projected year), then a higher
    // rural threshold takes more households in and costs more.
    let (a21, b21, _) = cell("2021", "all", "dibao_households");
    assert_eq!(a21, b21);
    let (a22, b22, _) = cell("2022", "all", "dibao_households");
    assert!(b22 > a22, "{a22} {b22}");
    let (ca, cb, _) = cell("2022", "all", "programme_cost");
    assert!(cb > ca && ca > 0.0, "{ca} {cb}");
    assert!(no_temporary_files(&out_dir));
    // The two reforms of one baseline ran in one pass: each scenario's column is its
    // own run's, value for value.
    for (column, scenario) in [(0, &a), (1, &b)] {
        let own_dir = dir.join(format!("own{column}"));
        let out = incomesim(&["run", scenario, "--out", own_dir.to_str().expect("utf-8")]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let own = std::fs::read_to_string(own_dir.join("indicators.csv")).expect("indicators.csv");
        let mut checked = 0;
        for line in own.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let value: f64 = f[3].parse().expect("a number");
            let compared = cell(f[0], f[1], f[2]);
            assert_eq!([compared.0, compared.1][column], value, "{line}");
            checked += 1;
        }
        assert!(checked > 100, "{checked} indicators");
    }
    // They share one baseline, so B's households are compared with A's: a higher rural
    // threshold makes some better off than A does and none worse off by more than 5%.
    assert!(text.contains("who gains and who loses in 2022") && text.contains("B against A"), "{text}");
    let between = |indicator: &str| -> f64 {
        let key = format!("2022,all,b_against_a_{indicator},,,");
        let line = csv.lines().find(|l| l.starts_with(&key)).unwrap_or_else(|| panic!("{key} missing"));
        line[key.len()..].parse().expect("a number")
    };
    assert!(between("share_gain_over_5pct") > 0.0);
    assert!(between("mean_change_per_capita") > 0.0);
    assert_eq!(between("share_lose_over_5pct"), 0.0);
    assert!(!csv.contains("2021,all,b_against_a_"), "the base year is shared");

    // Either scenario missing a target fails the comparison when asked to.
    let out = incomesim(&["compare", &a, &b, "--out", out_dir.to_str().expect("utf-8"), "--fail-on-missed-targets"]);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn exit_codes_are_the_documented_ones() {
    let dir = scratch("exit");
    let help = String::from_utf8_lossy(&incomesim(&["--help"]).stdout).to_string();
    for line in
        ["Exit codes:", "0  success", "1  the simulation failed", "2  invalid input", "3  a target", "4  an output"]
    {
        assert!(help.contains(line), "{line} missing from --help:\n{help}");
    }
    let met = quick_scenario(&dir, "met", 408, -1.0);
    let missed = quick_scenario(&dir, "missed", 408, 0.9);
    let out_dir = dir.join("out");
    let out_arg = out_dir.to_str().expect("utf-8");

    // 0: success, a target met or (without the flag) missed.
    assert_eq!(incomesim(&["run", &met, "--out", out_arg, "--fail-on-missed-targets"]).status.code(), Some(0));
    assert_eq!(incomesim(&["run", &missed, "--out", out_arg]).status.code(), Some(0));

    // 3: a target missed with --fail-on-missed-targets, every file still written.
    let _ = std::fs::remove_dir_all(&out_dir);
    let out = incomesim(&["run", &missed, "--out", out_arg, "--fail-on-missed-targets"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 of 1 target(s) missed"));
    let targets = std::fs::read_to_string(out_dir.join("targets.csv")).expect("targets.csv written");
    assert!(targets.lines().nth(1).is_some_and(|l| l.starts_with("rural growth,false,")), "{targets}");
    assert!(out_dir.join("summary.json").exists());

    // 2: invalid input — arguments (clap's own usage errors), a missing or bad
    // scenario, a year range that makes no sense.
    for args in [
        vec!["run", "--bogus"],
        vec!["run", "--threads", "0"],
        vec!["compare", &met],
        vec!["run", "/nonexistent/scenario.toml"],
        vec!["run", &met, "--years", "2021", "--out", out_arg],
        vec!["run", &met, "--households", "0", "--out", out_arg],
    ] {
        let out = incomesim(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"), "{args:?}");
    }

    // 4: the output folder cannot be made (a file stands in its way).
    let blocker = dir.join("blocker");
    std::fs::write(&blocker, "a file, not a folder").expect("write");
    let blocked = blocker.join("out");
    for args in [
        vec!["run", &met, "--out", blocked.to_str().expect("utf-8")],
        vec!["compare", &met, &missed, "--out", blocked.to_str().expect("utf-8")],
    ] {
        let out = incomesim(&args);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write output"), "{args:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn years_sets_the_last_year_and_threads_do_not_change_results() {
    let dir = scratch("threads");
    let scenario = quick_scenario(&dir, "threads", 408, 0.05);
    let mut files = Vec::new();
    for threads in ["1", "2"] {
        let out_dir = dir.join(format!("out-{threads}"));
        let out = incomesim(&[
            "run",
            &scenario,
            "--years",
            "2023",
            "--threads",
            threads,
            "--seed",
            "3",
            "--out",
            out_dir.to_str().expect("utf-8"),
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        // No progress bar when stderr is not a terminal.
        assert!(!String::from_utf8_lossy(&out.stderr).contains("variant-years"));
        files.push(std::fs::read_to_string(out_dir.join("indicators.csv")).expect("indicators.csv"));
    }
    assert_eq!(files[0], files[1], "indicators differ between 1 and 2 threads");
    let years: std::collections::BTreeSet<&str> =
        files[0].lines().skip(1).filter_map(|l| l.split(',').next()).collect();
    assert_eq!(years.into_iter().collect::<Vec<_>>(), ["2021", "2022", "2023"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The hook behind the progress bar: counts every year of every variant of the pilot,
/// each once (800 households fit in the pilot: no stream stage).
#[test]
fn projection_progress_counts_every_year_of_every_variant() {
    use std::sync::{Arc, Mutex};
    let profile = incomesim::region::Profile::builtin("wuzhong-2022").expect("profile");
    let mut scenario = incomesim::engine::Scenario::baseline(profile);
    scenario.households = 800;
    scenario.last_year = scenario.profile.base_year + 2;
    for (name, params) in [("resident_pension", "yearly_increment_per_month = 5"), ("dibao", "indexation = \"prices\"")]
    {
        scenario.reform.push(incomesim::engine::ReformLever {
            name: name.into(),
            params: toml::from_str(params).expect("params"),
        });
    }
    let seen: Arc<Mutex<Vec<incomesim::engine::projection::Progress>>> = Arc::default();
    let sink = seen.clone();
    let with_hook = incomesim::engine::Projection::new(&scenario)
        .on_progress(move |p| sink.lock().expect("lock").push(p))
        .run()
        .expect("runs");
    let seen = seen.lock().expect("lock").clone();
    // Exact Shapley values over 2 levers: 4 coalitions × 3 years.
    assert!(seen.iter().all(|p| p.total == 12 && p.stage == "pilot"), "{seen:?}");
    assert_eq!(seen.last().map(|p| p.done), Some(12));
    // Each step once (variants after the baseline may run side by side, so the hook
    // can be called from several threads and out of order).
    let mut steps: Vec<usize> = seen.iter().map(|p| p.done).collect();
    steps.sort_unstable();
    assert_eq!(steps, (1..=12).collect::<Vec<_>>());
    // Watching a run does not change it.
    let without = incomesim::engine::Projection::new(&scenario).run().expect("runs");
    assert_eq!(
        format!("{:?}", with_hook.reform.years.last().map(|y| &y.indicators)),
        format!("{:?}", without.reform.years.last().map(|y| &y.indicators))
    );
}

#[test]
fn no_shapley_drops_the_contributions_but_keeps_the_levers_and_reports_its_figures() {
    let with = scratch("shapley-on");
    let without = scratch("shapley-off");
    let args = ["run", "--households", "800", "--years", "2022", "--out"];
    let on = incomesim(&[&args[..], &[with.to_str().expect("utf-8")]].concat());
    let off = incomesim(&[&args[..], &[without.to_str().expect("utf-8"), "--no-shapley"]].concat());
    assert!(on.status.success() && off.status.success(), "{}", String::from_utf8_lossy(&off.stderr));
    let summary = |dir: &std::path::Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).expect("summary")).expect("json")
    };
    assert!(!summary(&with)["shapley_method"].is_null());
    assert!(summary(&without)["shapley_method"].is_null());
    // The projection itself is the same: identical indicators either way.
    let indicators = |dir: &std::path::Path| std::fs::read_to_string(dir.join("indicators.csv")).expect("csv");
    assert_eq!(indicators(&with), indicators(&without));
    let stderr = String::from_utf8_lossy(&off.stderr);
    let figures = stderr.lines().find(|l| l.starts_with("ran in")).expect("a figures line");
    assert!(figures.contains("800 households x 1 years, 2 variants"), "{figures}");
    assert!(figures.contains("household-years/s"), "{figures}");
    let _ = std::fs::remove_dir_all(&with);
    let _ = std::fs::remove_dir_all(&without);
}

#[test]
fn run_takes_the_pilot_and_the_window_and_records_the_pilot() {
    let base = std::env::temp_dir().join(format!("incomesim-cli-pilot-{}", std::process::id()));
    let run = |name: &str, extra: &[&str]| -> (String, serde_json::Value) {
        let dir = base.join(name);
        let mut args = vec!["run", "--households", "50000", "--no-shapley", "--out", dir.to_str().expect("utf-8")];
        args.extend_from_slice(extra);
        let out = incomesim(&args);
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let indicators = std::fs::read_to_string(dir.join("indicators.csv")).expect("indicators.csv");
        let summary = std::fs::read_to_string(dir.join("summary.json")).expect("summary.json");
        (indicators, serde_json::from_str(&summary).expect("json"))
    };
    // 50,000 households: a pilot of two blocks, then a stream.
    let (small_window, s1) = run("w1", &["--pilot-households", "20000", "--chunk-households", "16384"]);
    let (wide_window, s2) = run("w4", &["--pilot-households", "20000", "--chunk-households", "65536"]);
    assert_eq!(small_window, wide_window, "the window does not change results");
    assert_eq!(s1["provenance"]["pilot_households"], 32768, "two whole blocks");
    assert_eq!(s2["provenance"]["pilot_households"], 32768);
    let (whole, s3) = run("whole", &[]);
    assert_eq!(s3["provenance"]["pilot_households"], 50000, "the default pilot holds the whole population");
    assert_ne!(whole, small_window, "a smaller pilot estimates the alignment on fewer households");
    // Zero is refused with the flag named, before any work.
    let out = incomesim(&["run", "--pilot-households", "0", "--out", base.join("zero").to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--pilot-households"));
    assert!(!base.join("zero").exists());
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn the_run_figures_count_every_replication() {
    let dir = std::env::temp_dir().join(format!("incomesim-cli-replications-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let text = include_str!("../scenarios/liupanshui-2022.toml");
    let scenario: String = text
        .lines()
        .map(|l| match l.split('=').next().map(str::trim) {
            Some("households") => "households = 300".to_string(),
            Some("replications") => "replications = 3".to_string(),
            Some("shapley") => "shapley = false".to_string(),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let file = dir.join("reps.toml");
    std::fs::write(&file, scenario).expect("scenario written");
    let out = incomesim(&["run", file.to_str().expect("utf-8"), "--out", dir.join("out").to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let figures = stderr.lines().find(|l| l.starts_with("ran in")).expect("a figures line");
    assert!(figures.contains("300 households x 3 years x 3 replications, 6 variants"), "{figures}");
    // The year table says which run it shows.
    assert!(String::from_utf8_lossy(&out.stdout).contains("(the first of 3 replications"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `assumptions` shows the values a projection reads by year: the published years of
/// the defaults (2023's urban wage growth is the published per-capita rate, the CPI
/// 0.2%), the extrapolation after them, what a scenario sets (marked), and refuses
/// years a projection cannot reach.
#[test]
fn assumptions_lists_the_values_by_year_and_what_the_scenario_sets() {
    let out = incomesim(&["assumptions", "--region", "national-2022", "--to", "2030", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let named = |name: &str| {
        v["assumptions"].as_array().expect("list").iter().find(|a| a["name"] == name).expect("named").clone()
    };
    let value = |a: &serde_json::Value, year: u64| {
        a["values"].as_array().expect("values").iter().find(|x| x["year"] == year).expect("year")["value"]
            .as_f64()
            .expect("number")
    };
    let wage = named("wage_growth_urban");
    assert_eq!(wage["values"].as_array().expect("values").len(), 8, "2023-2030");
    assert!((value(&wage, 2023) - (31321.0 / 29578.0 - 1.0)).abs() < 1e-12);
    // After the published years the mean of the last three holds.
    let mean: f64 = (2023..=2025).map(|y| value(&wage, y)).sum::<f64>() / 3.0;
    assert!((value(&wage, 2028) - mean).abs() < 1e-12);
    let cpi = named("cpi_inflation");
    assert!((value(&cpi, 2023) - 0.002).abs() < 1e-12 && (value(&cpi, 2027) - 0.02).abs() < 1e-12);
    assert_eq!(cpi["rate"], true);
    assert!(v["assumptions"].as_array().expect("list").iter().all(|a| a["set_by_scenario"] == false));
    assert!(v["reasons"].as_array().is_some_and(|r| r.iter().any(|x| x["what"] == "prices")));

    let out = incomesim(&["assumptions", "scenarios/wuzhong-2023.toml"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.starts_with("wage_growth_urban")).expect("row");
    assert!(line.contains('*') && line.contains("+4.90%"), "{line}");
    let line = text.lines().find(|l| l.starts_with("wage_growth_migrant")).expect("row");
    assert!(!line.contains('*'), "{line}");

    let out = incomesim(&["assumptions", "--region", "national-2022", "--to", "2099"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--to: 2099"));
}

/// A built-in scenario runs by its name where no file has that name; a name that is
/// neither fails with the built-in names and the nearest one.
#[test]
fn a_builtin_scenario_runs_by_name() {
    let dir = scratch("builtin-by-name");
    let out_dir = dir.to_str().expect("utf-8");
    let out =
        incomesim(&["run", "wuzhong-2023", "--households", "600", "--years", "2023", "--no-shapley", "--out", out_dir]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Wuzhong 2023-2027"));
    let summary = std::fs::read_to_string(dir.join("summary.json")).expect("summary");
    assert!(summary.contains("embedded: scenarios/wuzhong-2023.toml"), "the provenance names it");
    let out = incomesim(&["check", "wuzhong-2099"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean `wuzhong-2023`") && err.contains("national-2022-outlook"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn work_incentives_are_measured_when_asked() {
    let dir = scratch("incentives");
    let scenario = quick_scenario(&dir, "incentives", 500, 0.0);
    let out_dir = dir.join("out");
    let out = incomesim(&["run", &scenario, "--work-incentives", "--out", out_dir.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("work incentives in 2022") && text.contains("on dibao, reform"), "{text}");
    for file in ["indicators.csv", "indicators_baseline.csv"] {
        let csv = std::fs::read_to_string(out_dir.join(file)).expect(file);
        for year in ["2021", "2022"] {
            let key = format!("{year},all,metr_aggregate,");
            let line = csv.lines().find(|l| l.starts_with(&key)).unwrap_or_else(|| panic!("{file}: {key}"));
            let value: f64 = line[key.len()..].parse().expect("a number");
            assert!((0.0..1.0).contains(&value), "{file} {year}: {value}");
        }
    }
    let report = std::fs::read_to_string(out_dir.join("report.html")).expect("report.html");
    assert!(report.contains("<table id=\"work-incentives\">"));
    // Not asked: no rows, no table.
    let plain = dir.join("plain");
    let out = incomesim(&["run", &scenario, "--out", plain.to_str().expect("utf-8")]);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("work incentives"));
    let csv = std::fs::read_to_string(plain.join("indicators.csv")).expect("indicators.csv");
    assert!(!csv.contains("metr_"));
    // A participation wage measures them too, at that wage: the baseline's entrants earn
    // twelve months of it in the base year.
    let wage = dir.join("wage");
    let out = incomesim(&[
        "run",
        &scenario,
        "--participation-wage-per-month",
        "1790",
        "--out",
        wage.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("participation tax rate (PTR) in 2022"), "{text}");
    let csv = std::fs::read_to_string(wage.join("indicators_baseline.csv")).expect("indicators_baseline.csv");
    let key = "2021,all,ptr_mean_earnings,";
    let line = csv.lines().find(|l| l.starts_with(key)).unwrap_or_else(|| panic!("{key}"));
    assert_eq!(line[key.len()..].parse::<f64>().expect("a number"), 21_480.0);
    // A wage that is not positive is refused before anything runs.
    let refused = dir.join("refused");
    let out =
        incomesim(&["run", &scenario, "--participation-wage-per-month=-5", "--out", refused.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--participation-wage-per-month: -5 is out of range"), "{err}");
    assert!(!refused.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

//! The benchmark (`incomesim bench`, `engine::bench`): what it reports and that it runs
//! the engine `run` uses. Behaviour only: no figure of speed is asserted.

use std::process::Command;

use incomesim::engine::Projection;
use incomesim::engine::bench::{BenchOptions, BenchReport, Stages, bench_scenario, run};
use incomesim::indicators::Group;
use incomesim::policy::registry::registry;

const HOUSEHOLDS: usize = 20_000;
const YEARS: u16 = 2;

fn bench(threads: usize, stages: Stages) -> BenchReport {
    let options =
        BenchOptions { households: HOUSEHOLDS, years: YEARS, threads: Some(threads), stages, ..Default::default() };
    run(&options).expect("the benchmark runs")
}

#[test]
fn reports_every_stage_with_household_years_and_peak_memory() {
    let report = bench(2, Stages::All);
    assert_eq!((report.households, report.years, report.threads), (HOUSEHOLDS, YEARS, 2));
    // Every lever of the registry is on, baseline and reform are carried.
    assert_eq!(report.levers, registry().len());
    assert_eq!(report.variants, 2);
    let n = HOUSEHOLDS as f64;
    let generation = report.generation.expect("generation timed");
    let one_year = report.one_year.expect("one year timed");
    let full = report.full_scenario.expect("full scenario timed");
    assert_eq!(generation.household_years, n);
    assert_eq!(one_year.household_years, n);
    assert_eq!(full.household_years, n * f64::from(YEARS));
    for stage in [generation, one_year, full] {
        assert!(stage.seconds > 0.0);
        assert_eq!(stage.household_years_per_second, stage.household_years / stage.seconds);
    }
    assert_eq!(report.household_years_per_second, Some(full.household_years_per_second));
    if cfg!(target_os = "linux") {
        // At least the generated population's columns were resident at once.
        let peak = report.peak_memory_bytes.expect("VmHWM on Linux");
        assert!(peak > 1_000_000, "peak memory {peak} bytes");
    }
    let timings = report.timings.as_ref().expect("phases of the full scenario");
    let phases: Vec<&str> = timings.phases.phases.iter().map(|p| p.phase).collect();
    for phase in ["pilot_generation", "levers_and_sums", "dynamics"] {
        assert!(phases.contains(&phase), "{phase} missing from {phases:?}");
    }
    // JSON carries the documented fields.
    let json = serde_json::to_value(&report).expect("serialises");
    for field in ["household_years_per_second", "peak_memory_bytes", "full_scenario", "generation", "one_year"] {
        assert!(json.get(field).is_some(), "{field} missing");
    }
}

#[test]
fn the_full_scenario_is_the_run_engine_and_does_not_depend_on_threads() {
    let one = bench(1, Stages::Full);
    let two = bench(2, Stages::Full);
    assert!(one.generation.is_none() && one.one_year.is_none(), "only the full scenario was asked");
    let means = one.last_year_means.expect("means");
    assert_eq!(means.map(f64::to_bits), two.last_year_means.expect("means").map(f64::to_bits));
    // The same scenario through `Projection::run`, as `incomesim run` runs it.
    let scenario = bench_scenario(HOUSEHOLDS, YEARS).expect("scenario");
    let outcome = Projection::new(&scenario).run().expect("runs");
    let last = outcome.reform.years.last().expect("a last year");
    let run_means =
        [last.indicators.group(Group::Urban).mean.disposable, last.indicators.group(Group::Rural).mean.disposable];
    assert_eq!(means.map(f64::to_bits), run_means.map(f64::to_bits));
    assert!(means[0] > means[1] && means[1] > 0.0, "urban above rural above zero: {means:?}");
}

#[test]
fn zero_households_years_or_threads_are_refused() {
    for (field, options) in [
        ("households", BenchOptions { households: 0, ..Default::default() }),
        ("years", BenchOptions { years: 0, ..Default::default() }),
        ("threads", BenchOptions { threads: Some(0), ..Default::default() }),
        ("runs", BenchOptions { runs: 0, ..Default::default() }),
    ] {
        let err = run(&options).expect_err("refused").to_string();
        // The message names the field refused.
        assert!(err.contains(&format!("bench: {field} must be at least 1")), "{err}");
    }
    // Years beyond the projection horizon are refused too (they ran on before).
    for years in [60_000, u16::MAX] {
        let err = run(&BenchOptions { households: 100, years, ..Default::default() }).expect_err("refused");
        assert!(err.to_string().contains("last_year: ") && err.to_string().contains("more than 50 years"), "{err}");
    }
}

#[test]
fn the_command_prints_json_or_a_clear_error() {
    let bin = env!("CARGO_BIN_EXE_incomesim");
    let out = Command::new(bin)
        .args(["bench", "--households", "3000", "--years", "1", "--stages", "full", "--format", "json"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert!(v["household_years_per_second"].as_f64().is_some_and(|x| x > 0.0), "{v}");
    assert_eq!(v["full_scenario"]["household_years"].as_f64(), Some(3000.0));
    assert_eq!(v["households"].as_u64(), Some(3000));

    let out = Command::new(bin).args(["bench", "--households", "0"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2), "invalid input exits with 2");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("households"), "{err}");

    // A pilot or chunk of no households is refused, as `run` refuses it, naming the flag.
    for flag in ["--pilot-households", "--chunk-households"] {
        let out = Command::new(bin).args(["bench", "--households", "3000", flag, "0"]).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{flag} 0 exits with 2");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(flag), "{err}");
    }
}

/// `runs`: every stage asked for runs that many times, lists each run's speed and
/// reports its run of median time; every run gives the same results.
#[test]
fn repeated_runs_report_the_median_run_and_every_speed() {
    let options = BenchOptions {
        households: 5_000,
        years: 1,
        threads: Some(2),
        stages: Stages::Full,
        runs: 4,
        ..Default::default()
    };
    let report = run(&options).expect("runs");
    assert_eq!(report.runs, 4);
    let speeds = &report.runs_household_years_per_second;
    assert!(speeds.generation.is_empty() && speeds.one_year.is_empty(), "only the full scenario was asked");
    assert_eq!(speeds.full_scenario.len(), 4);
    // Of 4 runs, the faster of the two middle ones: the second fastest.
    let mut sorted = speeds.full_scenario.clone();
    sorted.sort_by(|a, b| b.total_cmp(a));
    assert_eq!(report.household_years_per_second, Some(sorted[1]));
    let once = run(&BenchOptions { runs: 1, ..options }).expect("runs");
    assert_eq!(once.runs_household_years_per_second.full_scenario.len(), 1);
    let means = report.last_year_means.expect("means").map(f64::to_bits);
    assert_eq!(means, once.last_year_means.expect("means").map(f64::to_bits));
}

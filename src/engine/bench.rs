//! The benchmark behind `incomesim bench`: the default scenario with every lever of
//! the registry switched on, run through the same engine as `incomesim run`, timed by
//! stage, with the peak memory of the process.
//!
//! Household-years count each household once per projected year (the base year is
//! not counted, though it is computed); every run carries two variants, the baseline
//! and the reform, so the work per household-year is both.

use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use super::projection::{Projection, ReformLever, Scenario};
use super::stream::{BlockPlan, PhaseTimings};
use crate::error::{Error, Result};
use crate::generate::{BLOCK, Generator};
use crate::policy::registry::{DefaultValue, Kind, LeverSpec, registry};

/// Places a year given to a rationed lever whose default is none, so that it works.
/// Assumption for benchmarking only.
pub const BENCH_PLACES: f64 = 5_000.0;

/// Which stages to time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stages {
    /// Generation, one projected year, the full scenario.
    All,
    /// Generation only.
    Generation,
    /// One projected year only.
    OneYear,
    /// The full scenario only.
    Full,
}

/// Options of a benchmark.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchOptions {
    /// Households.
    pub households: usize,
    /// Projected years of the full scenario.
    pub years: u16,
    /// Worker threads (`None`: rayon's default, all cores).
    pub threads: Option<usize>,
    /// Whether to compute Shapley values (off by default: one run of two variants).
    pub shapley: bool,
    /// Households carried at once by the stream (`None`: the engine's default).
    pub chunk_households: Option<usize>,
    /// Households of the pilot (`None`: the engine's default).
    pub pilot_households: Option<usize>,
    /// Stages to time.
    pub stages: Stages,
    /// Times each stage is run (at least 1); each stage reports the run of median
    /// wall-clock time and lists every run's speed.
    pub runs: usize,
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions {
            households: 1_000_000,
            years: 3,
            threads: None,
            shapley: false,
            chunk_households: None,
            pilot_households: None,
            stages: Stages::All,
            runs: 1,
        }
    }
}

/// The timing of one stage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StageTiming {
    /// Wall-clock seconds.
    pub seconds: f64,
    /// CPU seconds of the process over the stage, all threads (`None` off Linux): on a
    /// machine shared with other work, wall-clock time overstates the cost.
    pub cpu_seconds: Option<f64>,
    /// Household-years done.
    pub household_years: f64,
    /// Household-years per wall-clock second.
    pub household_years_per_second: f64,
}

/// A stage's clock: wall-clock and process CPU time at its start.
struct Clock {
    wall: Instant,
    cpu: Option<f64>,
}

impl Clock {
    fn start() -> Self {
        Clock { wall: Instant::now(), cpu: cpu_seconds() }
    }

    fn stop(&self, household_years: f64) -> StageTiming {
        let seconds = self.wall.elapsed().as_secs_f64();
        StageTiming {
            seconds,
            cpu_seconds: cpu_seconds().zip(self.cpu).map(|(b, a)| b - a),
            household_years,
            household_years_per_second: household_years / seconds.max(1e-9),
        }
    }
}

/// User and system CPU time of this process, all threads, seconds: fields 14 and 15
/// of `/proc/self/stat` in clock ticks of 1/100 s (Linux's fixed `USER_HZ`); `None`
/// elsewhere.
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at field 3.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

/// What a benchmark measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchReport {
    /// The scenario's name.
    pub scenario: String,
    /// Households.
    pub households: usize,
    /// Projected years of the full scenario.
    pub years: u16,
    /// Worker threads.
    pub threads: usize,
    /// Reform levers switched on (every lever of the registry).
    pub levers: usize,
    /// Variants carried per run (baseline, reform, Shapley coalitions).
    pub variants: usize,
    /// How the population was cut into blocks.
    pub plan: BlockPlan,
    /// Calibration, seconds (not in any stage).
    pub calibration_seconds: f64,
    /// Generating every household (streamed block by block, not kept).
    pub generation: Option<StageTiming>,
    /// A projection of one year (generation, base year and one projected year of both
    /// variants).
    pub one_year: Option<StageTiming>,
    /// The full scenario.
    pub full_scenario: Option<StageTiming>,
    /// Times each stage ran; the stages above are each one's run of median wall-clock
    /// time (of an even count, the faster of the two middle runs).
    pub runs: usize,
    /// Household-years per second of every run of each stage, in the order they ran.
    pub runs_household_years_per_second: StageRuns,
    /// Household-years per second of the full scenario.
    pub household_years_per_second: Option<f64>,
    /// Mean per-capita disposable income of the reform in the last year, urban and
    /// rural (to compare runs of different sizes).
    pub last_year_means: Option<[f64; 2]>,
    /// Peak resident memory of the process (Linux `VmHWM`), bytes.
    pub peak_memory_bytes: Option<u64>,
    /// Where the full scenario spent its time, phase by phase, with the CPU seconds of
    /// its serial phases and of the others (the serial part bounds the speed-up from
    /// threads).
    pub timings: Option<BenchTimings>,
}

/// Household-years per second of every run of each stage (empty for a stage not timed).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StageRuns {
    /// Generation.
    pub generation: Vec<f64>,
    /// One projected year.
    pub one_year: Vec<f64>,
    /// The full scenario.
    pub full_scenario: Vec<f64>,
}

/// The index of the run of median wall-clock time of `runs` (of an even count, the
/// faster of the two middle runs).
fn median_run<T>(runs: &[(StageTiming, T)]) -> Option<usize> {
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_by(|&a, &b| runs[a].0.seconds.total_cmp(&runs[b].0.seconds));
    order.get(runs.len().saturating_sub(1) / 2).copied()
}

/// Runs `work` `times` times (none when the stage is not `wanted`), each timed as
/// `household_years`, with what each run returned.
fn timed_runs<T>(
    wanted: bool,
    times: usize,
    household_years: f64,
    mut work: impl FnMut() -> Result<T>,
) -> Result<Vec<(StageTiming, T)>> {
    let mut runs = Vec::new();
    for _ in 0..if wanted { times } else { 0 } {
        let clock = Clock::start();
        let out = work()?;
        runs.push((clock.stop(household_years), out));
    }
    Ok(runs)
}

/// Household-years per second of each run.
fn speeds<T>(runs: &[(StageTiming, T)]) -> Vec<f64> {
    runs.iter().map(|(t, _)| t.household_years_per_second).collect()
}

/// The phases of the full scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchTimings {
    /// CPU seconds of the phases that run on one thread.
    pub serial_cpu_seconds: Option<f64>,
    /// CPU seconds of the phases that run on every thread.
    pub parallel_cpu_seconds: Option<f64>,
    /// The phases, in the order they first ran.
    #[serde(flatten)]
    pub phases: PhaseTimings,
}

impl BenchTimings {
    fn of(phases: PhaseTimings) -> Self {
        let known = phases.phases.iter().all(|p| p.cpu_seconds.is_some());
        let (serial, parallel) = phases.serial_and_parallel_cpu_seconds();
        BenchTimings {
            serial_cpu_seconds: known.then_some(serial),
            parallel_cpu_seconds: known.then_some(parallel),
            phases,
        }
    }
}

/// The benchmark scenario: the default scenario with every lever of the registry on
/// (the scenario's own parameters kept, other levers at their defaults, every dibao
/// rule switched on: single-person households, grace and taper months, sanctions),
/// `households` households and `years` projected years, no Shapley values.
///
/// # Errors
/// Errors of the embedded scenario.
pub fn bench_scenario(households: usize, years: u16) -> Result<Scenario> {
    let mut s = Scenario::default_scenario()?;
    s.name = format!("{} with every lever on (benchmark)", s.name);
    s.households = households;
    s.last_year = s.profile.base_year.saturating_add(years.max(1));
    s.shapley = false;
    for spec in registry() {
        let at = match s.reform.iter().position(|r| r.name == spec.name) {
            Some(i) => i,
            None => {
                s.reform.push(ReformLever { name: spec.name.to_string(), params: toml::Table::new() });
                s.reform.len() - 1
            }
        };
        fill_bench_params(spec, &mut s.reform[at].params);
    }
    Ok(s)
}

/// Fills the parameters of `spec` that `params` does not set, as the benchmark runs
/// them: a value for every required parameter, [`BENCH_PLACES`] places for rationed
/// levers whose default is none, and every dibao rule on (flags true, 3 months).
/// Parameters with a usable default are left to it.
pub fn fill_bench_params(spec: &LeverSpec, params: &mut toml::Table) {
    for p in spec.parameters {
        if params.contains_key(p.name) {
            continue;
        }
        let value = match (p.default, p.kind) {
            (DefaultValue::Required, Kind::DatedMoney) if p.name.contains("floor") => toml::Value::Float(1_900.0),
            (DefaultValue::Required, Kind::MoneyList) => toml::Value::Array(vec![toml::Value::Float(1_900.0)]),
            (DefaultValue::Required, Kind::DatedRate | Kind::Rate) => toml::Value::Float(0.05),
            (DefaultValue::Required, Kind::Flag) => toml::Value::Boolean(true),
            (DefaultValue::Required, Kind::Choice(words)) => match words.first() {
                Some(w) => toml::Value::String(w.to_string()),
                None => continue,
            },
            (DefaultValue::Required, _) => toml::Value::Float(10.0),
            (DefaultValue::Number(0.0), Kind::DatedCount) => toml::Value::Float(BENCH_PLACES),
            (_, Kind::Flag) if spec.name == "dibao" => toml::Value::Boolean(true),
            (_, Kind::Months) if spec.name == "dibao" => toml::Value::Integer(3),
            _ => continue,
        };
        params.insert(p.name.to_string(), value);
    }
}

/// Peak resident memory of this process, bytes: `VmHWM` of `/proc/self/status` on
/// Linux; `None` elsewhere.
pub fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Runs the benchmark.
///
/// # Errors
/// [`Error::InvalidRequest`] for zero households, years or runs or an unusable
/// thread count; scenario, calibration and lever errors.
pub fn run(options: &BenchOptions) -> Result<BenchReport> {
    if options.households == 0 {
        return Err(Error::InvalidRequest("bench: households must be at least 1 (got 0)".into()));
    }
    if options.years == 0 {
        return Err(Error::InvalidRequest("bench: years must be at least 1 (got 0)".into()));
    }
    if options.runs == 0 {
        return Err(Error::InvalidRequest("bench: runs must be at least 1".into()));
    }
    let pool = match options.threads {
        Some(0) => return Err(Error::InvalidRequest("bench: threads must be at least 1".into())),
        Some(t) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .map_err(|e| Error::InvalidRequest(format!("bench: thread pool of {t}: {e}")))?,
        ),
        None => None,
    };
    match &pool {
        Some(p) => p.install(|| run_in_pool(options)),
        None => run_in_pool(options),
    }
}

fn run_in_pool(options: &BenchOptions) -> Result<BenchReport> {
    let mut scenario = bench_scenario(options.households, options.years)?;
    scenario.shapley = options.shapley;
    fn configure<'s>(s: &'s Scenario, options: &BenchOptions) -> Projection<'s> {
        let mut p = Projection::new(s);
        if let Some(n) = options.chunk_households {
            p = p.chunk_households(n);
        }
        if let Some(n) = options.pilot_households {
            p = p.pilot_households(n);
        }
        p
    }
    let start = Instant::now();
    let generator = Generator::calibrate(&scenario.profile, scenario.seed)?;
    let calibration_seconds = start.elapsed().as_secs_f64();
    let n = options.households as f64;
    let wants = |stage: Stages| options.stages == Stages::All || options.stages == stage;

    let mut runs = StageRuns::default();

    let timed = timed_runs(wants(Stages::Generation), options.runs, n, || {
        let blocks = options.households.div_ceil(BLOCK);
        let persons: usize = (0..blocks)
            .into_par_iter()
            .map(|b| {
                let count = BLOCK.min(options.households - b * BLOCK);
                generator.generate_chunk((b * BLOCK) as u64, count, options.households as u64).0.person_count()
            })
            .sum();
        std::hint::black_box(persons);
        Ok(())
    })?;
    runs.generation = speeds(&timed);
    let generation = median_run(&timed).map(|i| timed[i].0);

    let mut one = scenario.clone();
    one.last_year = one.profile.base_year + 1;
    let timed = timed_runs(wants(Stages::OneYear), options.runs, n, || {
        configure(&one, options).run_with_generator(&generator).map(drop)
    })?;
    runs.one_year = speeds(&timed);
    let one_year = median_run(&timed).map(|i| timed[i].0);

    let timed = timed_runs(wants(Stages::Full), options.runs, n * options.years as f64, || {
        configure(&scenario, options).run_with_generator(&generator)
    })?;
    runs.full_scenario = speeds(&timed);
    let median = median_run(&timed).map(|i| &timed[i]);
    let full_scenario = median.map(|(t, _)| *t);
    let variants = median.map_or(2, |(_, outcome)| outcome.stream.variants);
    let timings = median.map(|(_, outcome)| BenchTimings::of(outcome.timings.clone()));
    let last_year_means = median.and_then(|(_, outcome)| {
        outcome.reform.years.last().map(|y| {
            [
                y.indicators.group(crate::indicators::Group::Urban).mean.disposable,
                y.indicators.group(crate::indicators::Group::Rural).mean.disposable,
            ]
        })
    });
    Ok(BenchReport {
        scenario: scenario.name.clone(),
        households: options.households,
        years: options.years,
        threads: rayon::current_num_threads(),
        levers: scenario.reform.len(),
        variants,
        plan: configure(&scenario, options).plan(),
        calibration_seconds,
        generation,
        one_year,
        household_years_per_second: full_scenario.map(|f| f.household_years_per_second),
        full_scenario,
        runs: options.runs,
        runs_household_years_per_second: runs,
        last_year_means,
        peak_memory_bytes: peak_memory_bytes(),
        timings,
    })
}

impl BenchReport {
    /// A short table for the terminal.
    pub fn to_table(&self) -> String {
        let mut out = format!(
            "{}\n{} households, {} projected years, {} threads, {} levers, {} variants, blocks of {BLOCK}: {} in the \
             pilot, window of {}\ncalibration {:.2}s\n",
            self.scenario,
            self.households,
            self.years,
            self.threads,
            self.levers,
            self.variants,
            self.plan.pilot_blocks,
            self.plan.window,
            self.calibration_seconds
        );
        let r = &self.runs_household_years_per_second;
        for (name, stage, speeds) in [
            ("generation", self.generation, &r.generation),
            ("one-year projection", self.one_year, &r.one_year),
            ("full scenario", self.full_scenario, &r.full_scenario),
        ] {
            if let Some(s) = stage {
                out.push_str(&format!(
                    "{name:<22} {:>9.2}s (cpu {:>8.2}s)  {:>14.0} household-years  {:>12.0} household-years/s\n",
                    s.seconds,
                    s.cpu_seconds.unwrap_or(f64::NAN),
                    s.household_years,
                    s.household_years_per_second
                ));
                if speeds.len() > 1 {
                    let list: Vec<String> = speeds.iter().map(|x| format!("{x:.0}")).collect();
                    out.push_str(&format!(
                        "{:<22} median of {} runs; household-years/s of each: {}\n",
                        "",
                        speeds.len(),
                        list.join(" · ")
                    ));
                }
            }
        }
        if let Some(t) = &self.timings {
            out.push_str(if self.runs > 1 {
                "full scenario by phase (its median run):\n"
            } else {
                "full scenario by phase:\n"
            });
            for p in &t.phases.phases {
                out.push_str(&format!(
                    "  {:<22} {:>9.2}s (cpu {:>8.2}s) {:>5} calls{}\n",
                    p.phase,
                    p.seconds,
                    p.cpu_seconds.unwrap_or(f64::NAN),
                    p.calls,
                    if p.serial { "  serial" } else { "" }
                ));
            }
        }
        if let Some([u, r]) = self.last_year_means {
            out.push_str(&format!("last year mean per-capita disposable income: urban {u:.2}, rural {r:.2}\n"));
        }
        match self.peak_memory_bytes {
            Some(b) => out.push_str(&format!("peak memory {:.1} MiB\n", b as f64 / (1024.0 * 1024.0))),
            None => out.push_str("peak memory unknown on this platform\n"),
        }
        out
    }
}

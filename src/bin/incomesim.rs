//! The `incomesim` command line: one handler function per subcommand, every failure
//! mapped to a documented exit code ([`EXIT_CODES`]).

use std::io::{IsTerminal, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use incomesim::engine::output::fnv1a64;
use incomesim::engine::projection::Progress;
use incomesim::engine::{Outcome, Projection, Scenario};
use incomesim::generate::Generator;
use incomesim::indicators::Group;
use incomesim::region::{Profile, builtin_ids};

/// The exit codes, as `incomesim --help` and the README list them.
const EXIT_CODES: &str = "\
Exit codes:
  0  success (targets met or missed, unless --fail-on-missed-targets)
  1  the simulation failed (calibration could not reach its targets, an internal error)
  2  invalid input: arguments, scenario, region profile or microdata (a missing input file too)
  3  a target was missed and --fail-on-missed-targets was given (every output is still written)
  4  an output could not be written (folder, file or standard output)";

/// Household income microsimulation for Chinese cities and regions.
#[derive(Debug, Parser)]
#[command(name = "incomesim", version, about, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
}

/// Options shared by `run` and `compare`: they override the scenario files.
#[derive(Debug, Args)]
struct RunOptions {
    /// Households to generate (overrides the scenario's `households`).
    #[arg(long)]
    households: Option<usize>,
    /// Seed of the population and every draw (overrides the scenario's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// The last projected year, e.g. 2024 (overrides the scenario's `last_year`); the
    /// projection runs from the region's base year to this year.
    #[arg(long, value_name = "LAST_YEAR")]
    years: Option<u16>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<NonZeroUsize>,
    /// Folder for the output files (created if needed).
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Exit with code 3 when a target is missed (outputs are written first).
    #[arg(long)]
    fail_on_missed_targets: bool,
    /// Skip the levers' Shapley contributions (overrides the scenario's `shapley`): the
    /// reform and the baseline are still projected, so each lever's total effect is still
    /// reported, but not its share.
    #[arg(long)]
    no_shapley: bool,
    /// Measure work incentives (sets the scenario's `work_incentives`): the marginal
    /// effective tax rate on a 3% rise in every member's earnings and the participation
    /// tax rate of a member without paid work taking a full-year job, each year, under
    /// the baseline and the reform, overall and for dibao households (indicators.csv's
    /// `metr_` and `ptr_` rows and two tables). Their levers run three times a year.
    #[arg(long)]
    work_incentives: bool,
    /// The wage of the job in the participation tax rate, yuan a month (sets the
    /// scenario's `participation_wage_per_month`, in force throughout, and measures work
    /// incentives): e.g. the minimum wage. Default: the dynamics' entry wage.
    #[arg(long, value_name = "YUAN")]
    participation_wage_per_month: Option<f64>,
    /// Households of the pilot, the first blocks carried together (default 1,048,576;
    /// rounded up to whole blocks of 16,384). The memory knob of a large run: peak memory
    /// follows the pilot, not the population (262,144 takes about 135 MiB). Results of a
    /// population larger than the pilot depend on it slightly (the pilot fixes the weight
    /// normalisation, the alignment and the quintile boundaries).
    #[arg(long)]
    pilot_households: Option<NonZeroUsize>,
    /// Households carried at once by the stream after the pilot (default: two blocks of
    /// 16,384 per thread). Results do not depend on it.
    #[arg(long)]
    chunk_households: Option<NonZeroUsize>,
}

impl RunOptions {
    /// A projection of `s` with these options' pilot and window.
    fn projection<'s>(&self, s: &'s Scenario) -> Projection<'s> {
        let mut p = Projection::new(s);
        if let Some(n) = self.pilot_households {
            p = p.pilot_households(n.get());
        }
        if let Some(n) = self.chunk_households {
            p = p.chunk_households(n.get());
        }
        p
    }
}

/// Stages `incomesim bench` times.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum BenchStages {
    All,
    Generation,
    OneYear,
    Full,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Runs a scenario (the embedded Liupanshui 2022 plan when none is given) and
    /// prints the year-by-year paths of urban and rural income, their ratio, each
    /// lever's contribution and the plan's targets; writes indicators.csv,
    /// indicators_baseline.csv, targets.csv, levers.csv and summary.json to --out.
    #[command(after_help = EXIT_CODES)]
    Run {
        /// A scenario file, TOML or JSON, or a built-in scenario by name (default: liupanshui-2022).
        scenario: Option<PathBuf>,
        #[command(flatten)]
        options: RunOptions,
        /// Write the reform's household and person microdata of this year …
        #[arg(long, requires = "microdata")]
        microdata_year: Option<u16>,
        /// … to this folder (households.csv, persons.csv; the last year by default).
        #[arg(long)]
        microdata: Option<PathBuf>,
    },
    /// Runs two scenarios and prints them side by side per year (urban, rural and all
    /// mean income, ratio, rural wage share, urban unemployment, Gini, dibao caseload and
    /// headcount, programme cost, the persons each makes better or worse off by more than
    /// 5% against its own baseline) with the differences B − A, and each one's targets;
    /// when both share one baseline (they differ in levers, name and targets only), also
    /// who gains and who loses from B rather than A, household by household; writes
    /// compare.csv to --out.
    #[command(after_help = EXIT_CODES)]
    Compare {
        /// Scenario A (a file, or a built-in scenario by name).
        a: PathBuf,
        /// Scenario B (a file, or a built-in scenario by name).
        b: PathBuf,
        #[command(flatten)]
        options: RunOptions,
    },
    /// Runs a scenario again and again with one or two values set over a grid (a
    /// lever parameter or a baseline assumption) and prints, for each point, the last
    /// year's urban and rural income, their ratio and growth, the Gini, the dibao
    /// caseload, the levers' cost, the shares of residents the point's reform makes
    /// better and worse off than the baseline and the share it leaves poorer than the
    /// value before (a cliff), and the targets met; then, for each target, the values at
    /// which it is met. Writes sweep.csv to --out. Every point runs the same
    /// population and seed, so differences between points are the values' effect.
    #[command(after_help = EXIT_CODES)]
    Sweep {
        /// A scenario file, TOML or JSON, or a built-in scenario by name (default: liupanshui-2022).
        scenario: Option<PathBuf>,
        /// What to sweep: `levers.NAME.PARAMETER=START:END:STEP`,
        /// `assumptions.NAME=V1,V2,…` or `participation_wage_per_month=…` (a value in force
        /// throughout). Twice for a grid of both (at most 1,000 points).
        #[arg(long = "vary", required = true, value_name = "PATH=VALUES")]
        vary: Vec<String>,
        #[command(flatten)]
        options: RunOptions,
    },
    /// Ranks the scenario's uncertain values (the `[uncertainty]` assumptions and the
    /// `[uncertainty.levers.NAME]` lever parameters) by how much each moves the
    /// results: runs the scenario at its central values, then each value at -K and +K
    /// standard deviations with the others central (one replication, the same
    /// population and seed), and prints the last year's rural and urban income, their
    /// ratio and the targets met at both ends, the largest swing of rural income
    /// first, and the targets a move changes. Writes sensitivity.csv to --out.
    #[command(after_help = EXIT_CODES)]
    Sensitivity {
        /// A scenario file, TOML or JSON, or a built-in scenario by name (default: liupanshui-2022).
        scenario: Option<PathBuf>,
        /// How many standard deviations each value moves, both ways (above 0, at most 5).
        #[arg(long, default_value_t = 1.0, value_name = "K")]
        standard_deviations: f64,
        /// Also move every numeric parameter of the scenario's levers that stands at an
        /// assumed default (the `levers.…` assumptions a run lists, other than 0), by
        /// this relative standard deviation (e.g. 0.25), besides the scenario's own
        /// uncertain values.
        #[arg(long, value_name = "RELATIVE_SD")]
        assumed_defaults: Option<f64>,
        /// What the values are ranked by: the swing of `rural` (default) or `urban`
        /// mean income in the last year, or of what a target reaches (its number from
        /// 1 or its name).
        #[arg(long, value_name = "rural|urban|TARGET", default_value = "rural")]
        rank_by: String,
        /// Move the values correlated with each moved value along
        /// (`[[uncertainty.correlations]]`), each to its mean given the moved one
        /// (correlation × the move): a value's swing is then its effect with what moves
        /// with it.
        #[arg(long)]
        correlated: bool,
        #[command(flatten)]
        options: RunOptions,
    },
    /// Finds the value of one lever parameter or baseline assumption at which a target
    /// of the scenario starts to be met, by bisection between two values: runs both
    /// ends, then halves the range until it is narrower than the tolerance. Prints
    /// every run and the crossing; writes solve.csv (the runs, by value) to --out.
    #[command(after_help = EXIT_CODES)]
    Solve {
        /// A scenario file, TOML or JSON, or a built-in scenario by name (default: liupanshui-2022).
        scenario: Option<PathBuf>,
        /// The value to solve for and the range to search: `levers.NAME.PARAMETER=LOW:HIGH`
        /// or `assumptions.NAME=LOW:HIGH`.
        #[arg(long = "vary", value_name = "PATH=LOW:HIGH")]
        vary: String,
        /// The target: its name or its number (from 1, in the scenario's order).
        #[arg(long)]
        target: String,
        /// Stop when the crossing is bracketed this closely, in the value's unit
        /// (default: the range / 256). Whole-number ends and a tolerance of at least 1
        /// try whole numbers only.
        #[arg(long)]
        tolerance: Option<f64>,
        /// Count the target as met where at least this share of the scenario's
        /// replications meet it (e.g. 0.9), instead of on their mean: needs replications
        /// of 2 or more (and `[uncertainty]` to draw).
        #[arg(long, value_name = "SHARE")]
        probability: Option<f64>,
        #[command(flatten)]
        options: RunOptions,
    },
    /// Benchmarks the engine on the default scenario with every lever of the registry
    /// on (every dibao rule too), through the same code as `run`: household-years per
    /// second for generation, a one-year projection and the full scenario, and the
    /// peak memory. Household-years count each household once per projected year
    /// (baseline and reform are both carried).
    Bench {
        /// Households.
        #[arg(long, default_value_t = 1_000_000)]
        households: usize,
        /// Projected years of the full scenario (a count: 3 means base year + 3).
        #[arg(long, default_value_t = 3)]
        years: u16,
        /// Worker threads (default: all cores). Results do not depend on it.
        #[arg(long)]
        threads: Option<NonZeroUsize>,
        /// Also compute Shapley values (off: one run of baseline and reform).
        #[arg(long)]
        shapley: bool,
        /// Households carried at once by the stream (default: two blocks per thread).
        #[arg(long)]
        chunk_households: Option<NonZeroUsize>,
        /// Households of the pilot (default 1,048,576).
        #[arg(long)]
        pilot_households: Option<NonZeroUsize>,
        /// Stages to time.
        #[arg(long, value_enum, default_value_t = BenchStages::All)]
        stages: BenchStages,
        /// Times to run each stage in this process: each stage reports its run of median
        /// wall-clock time and lists the speed of every run (the "median of 5": `--runs 5`).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        runs: u32,
        /// Output format (`json`: one JSON object).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Validates a scenario file without running it, and lists its warnings: what it
    /// sets that will not act as written (a parameter whose switch is off, a change
    /// dated after the last projected year, an uncertainty with one replication).
    #[command(after_help = EXIT_CODES)]
    Check {
        /// The scenario file (TOML or JSON), or a built-in scenario by name.
        scenario: PathBuf,
        /// Fail (exit code 2) when the scenario has a warning.
        #[arg(long)]
        strict: bool,
    },
    /// Lists the baseline assumptions of a scenario (the embedded default when none is
    /// given) or of a region profile's defaults, by year: the values a projection reads
    /// (published to their last year, then extrapolated), the ones the scenario sets,
    /// and the sources and reasons behind the defaults.
    Assumptions {
        /// A scenario file, TOML or JSON, or a built-in scenario by name (default: liupanshui-2022).
        scenario: Option<PathBuf>,
        /// Show the defaults of this region profile (id or profile file) instead of a scenario.
        #[arg(long, conflicts_with = "scenario")]
        region: Option<String>,
        /// Last year shown (default: the scenario's last year; a region's base year + 8).
        #[arg(long)]
        to: Option<u16>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Lists the built-in region profiles.
    Regions,
    /// Lists every policy lever with its parameters, units, defaults and sources.
    Levers {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Synthesises a calibrated population and prints the calibration report.
    Population {
        /// Region profile id, or a path to a profile TOML file.
        #[arg(long, default_value = "liupanshui-2021")]
        region: String,
        /// Number of households to generate.
        #[arg(long, default_value_t = 200_000)]
        households: usize,
        /// Seed of the population.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Worker threads (default: all cores). Results do not depend on it.
        #[arg(long)]
        threads: Option<NonZeroUsize>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Also write the base-year household microdata (households.csv, persons.csv)
        /// to this folder: every input the rules read, each income part before and
        /// after the rules, and each rule's amount.
        #[arg(long)]
        microdata: Option<PathBuf>,
    },
}

/// Why a command failed, and so its exit code.
#[derive(Debug, thiserror::Error)]
enum Failure {
    /// Bad input: a scenario, profile, microdata file or a request that makes no sense.
    #[error("{0}")]
    Input(incomesim::Error),
    /// The simulation itself failed.
    #[error("{0}")]
    Model(incomesim::Error),
    /// An output could not be written.
    #[error("cannot write output: {0}")]
    Output(incomesim::Error),
    /// Standard output could not be written.
    #[error("cannot write output: standard output: {0}")]
    Stdout(std::io::Error),
    /// The worker pool could not be built.
    #[error("--threads: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
    /// Serialising a report failed.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Targets were missed and `--fail-on-missed-targets` was given.
    #[error("{missed} of {total} target(s) missed (--fail-on-missed-targets)")]
    TargetsMissed {
        /// Targets missed.
        missed: usize,
        /// Targets checked.
        total: usize,
    },
}

impl Failure {
    /// The documented exit code ([`EXIT_CODES`]).
    fn exit_code(&self) -> u8 {
        match self {
            Failure::Model(_) | Failure::Threads(_) | Failure::Json(_) => 1,
            Failure::Input(_) => 2,
            Failure::TargetsMissed { .. } => 3,
            Failure::Output(_) | Failure::Stdout(_) => 4,
        }
    }

    /// An error of the simulation: writing (microdata) is output, calibration is the
    /// model, anything else is the request.
    fn from_run(e: incomesim::Error) -> Failure {
        match e {
            incomesim::Error::Io { .. } => Failure::Output(e),
            incomesim::Error::Calibration { .. } => Failure::Model(e),
            _ => Failure::Input(e),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run { scenario, options, microdata_year, microdata } => {
            run(scenario.as_deref(), &options, microdata_year, microdata)
        }
        Command::Compare { a, b, options } => compare(&a, &b, &options),
        Command::Sweep { scenario, vary, options } => sweep(scenario.as_deref(), &vary, &options),
        Command::Sensitivity { scenario, standard_deviations, assumed_defaults, rank_by, correlated, options } => {
            let how = SensitivityHow { z: standard_deviations, assumed_defaults, rank_by: &rank_by, correlated };
            sensitivity(scenario.as_deref(), &how, &options)
        }
        Command::Solve { scenario, vary, target, tolerance, probability, options } => {
            solve(scenario.as_deref(), &vary, &target, tolerance, probability, &options)
        }
        Command::Check { scenario, strict } => check(&scenario, strict),
        Command::Assumptions { scenario, region, to, format } => {
            assumptions(scenario.as_deref(), region.as_deref(), to, format)
        }
        Command::Regions => regions(),
        Command::Levers { format } => levers(format),
        Command::Bench {
            households,
            years,
            threads,
            shapley,
            chunk_households,
            pilot_households,
            stages,
            runs,
            format,
        } => {
            let stages = match stages {
                BenchStages::All => incomesim::engine::bench::Stages::All,
                BenchStages::Generation => incomesim::engine::bench::Stages::Generation,
                BenchStages::OneYear => incomesim::engine::bench::Stages::OneYear,
                BenchStages::Full => incomesim::engine::bench::Stages::Full,
            };
            let options = incomesim::engine::bench::BenchOptions {
                households,
                years,
                threads: threads.map(NonZeroUsize::get),
                shapley,
                chunk_households: chunk_households.map(NonZeroUsize::get),
                pilot_households: pilot_households.map(NonZeroUsize::get),
                stages,
                runs: runs as usize,
            };
            bench(&options, format)
        }
        Command::Population { region, households, seed, threads, format, microdata } => {
            population(&region, households, seed, threads, format, microdata.as_deref())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Stdout(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Writes text to standard output (a closed pipe ends the command quietly).
fn say(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).map_err(Failure::Stdout)
}

/// Builds the global worker pool.
fn use_threads(threads: Option<NonZeroUsize>) -> Result<(), Failure> {
    if let Some(t) = threads {
        rayon::ThreadPoolBuilder::new().num_threads(t.get()).build_global()?;
    }
    Ok(())
}

/// A scenario as loaded, with what provenance needs.
struct Loaded {
    scenario: Scenario,
    /// The file, or the embedded default.
    source: String,
    /// The file's bytes, for its hash.
    text: Vec<u8>,
}

/// A scenario file, or the name of a built-in scenario (`wuzhong-2023`: the file of
/// that name in `scenarios/`, embedded) when no file has that name; the embedded
/// default when `path` is `None`.
fn open_scenario(path: Option<&Path>) -> Result<Loaded, Failure> {
    let builtin = |name: &str| -> Result<Loaded, Failure> {
        let text = incomesim::scenario::builtin_text(name).unwrap_or_default();
        Ok(Loaded {
            scenario: incomesim::scenario::load_builtin(name).map_err(|e| Failure::Input(e.into()))?,
            source: format!("embedded: scenarios/{name}.toml"),
            text: text.as_bytes().to_vec(),
        })
    };
    match path {
        None => builtin(incomesim::scenario::DEFAULT_SCENARIO_NAME),
        Some(path) => {
            let exists = path.exists();
            if !exists && let Some(name) = path.to_str().filter(|n| incomesim::scenario::builtin_text(n).is_some()) {
                return builtin(name);
            }
            // A bare name that is neither a file nor a built-in scenario.
            let bare = path.extension().is_none() && path.parent().is_none_or(|p| p.as_os_str().is_empty());
            if bare && !exists {
                let names = incomesim::scenario::builtin_names();
                let shown = path.display().to_string();
                return Err(Failure::Input(incomesim::Error::InvalidRequest(format!(
                    "{shown}: no such file, nor a built-in scenario{}; built-in scenarios: {}",
                    incomesim::policy::registry::did_you_mean(&shown, &names),
                    names.join(", ")
                ))));
            }
            Ok(Loaded {
                scenario: incomesim::scenario::load(path).map_err(|e| Failure::Input(e.into()))?,
                source: path.display().to_string(),
                text: std::fs::read(path)
                    .map_err(|source| Failure::Input(incomesim::Error::Io { path: path.to_path_buf(), source }))?,
            })
        }
    }
}

/// Loads a scenario ([`open_scenario`]) and applies the command-line overrides.
fn load_scenario(path: Option<&Path>, options: &RunOptions) -> Result<Loaded, Failure> {
    let mut loaded = open_scenario(path)?;
    let s = &mut loaded.scenario;
    if let Some(n) = options.households {
        if s.microdata.is_some() {
            return Err(Failure::Input(incomesim::Error::InvalidRequest(
                "--households does not apply: the scenario's population is its microdata".into(),
            )));
        }
        s.households = n;
    }
    if let Some(x) = options.seed {
        s.seed = x;
    }
    if let Some(y) = options.years {
        s.last_year = y;
    }
    if options.no_shapley {
        s.shapley = false;
    }
    if options.work_incentives {
        s.work_incentives = true;
    }
    if let Some(wage) = options.participation_wage_per_month {
        use incomesim::indicators::incentives::{PARTICIPATION_WAGE_EXPECTED, is_participation_wage};
        if !is_participation_wage(wage) {
            return Err(Failure::Input(incomesim::Error::InvalidRequest(format!(
                "--participation-wage-per-month: {wage} is out of range: expected {PARTICIPATION_WAGE_EXPECTED}"
            ))));
        }
        s.participation_wage_per_month = Some(incomesim::policy::Dated::constant(wage));
        s.work_incentives = true;
    }
    Ok(loaded)
}

/// Runs a projection (with `generator` when one is already calibrated on the
/// scenario's profile and seed), with a progress bar on stderr when stderr is a
/// terminal.
fn project(projection: Projection, label: &str, generator: Option<&Generator>) -> Result<Outcome, Failure> {
    with_progress(projection, label, |p| match generator {
        Some(g) => p.run_with_generator(g),
        None => p.run(),
    })
}

/// Runs `run` on a projection with a progress bar on a terminal's stderr.
fn with_progress<T>(
    projection: Projection,
    label: &str,
    run: impl FnOnce(&Projection) -> incomesim::Result<T>,
) -> Result<T, Failure> {
    if !std::io::stderr().is_terminal() {
        return run(&projection).map_err(Failure::from_run);
    }
    let style = ProgressStyle::with_template("{prefix} {msg:<11} [{bar:40}] {pos}/{len}, {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    let bar = ProgressBar::new(0).with_style(style).with_prefix(label.to_string());
    let hook = bar.clone();
    let projection = projection.on_progress(move |p: Progress| {
        hook.set_message(p.stage);
        hook.set_length(p.total as u64);
        hook.set_position(p.done as u64);
    });
    let outcome = run(&projection);
    bar.finish_and_clear();
    outcome.map_err(Failure::from_run)
}

/// Fails with exit code 3 if asked to and a target is missed.
fn check_targets(outcomes: &[&Outcome], options: &RunOptions) -> Result<(), Failure> {
    let total: usize = outcomes.iter().map(|o| o.targets.len()).sum();
    let missed = outcomes.iter().flat_map(|o| &o.targets).filter(|t| !t.met).count();
    if options.fail_on_missed_targets && missed > 0 {
        return Err(Failure::TargetsMissed { missed, total });
    }
    Ok(())
}

/// `incomesim run`.
fn run(
    path: Option<&Path>,
    options: &RunOptions,
    microdata_year: Option<u16>,
    microdata: Option<PathBuf>,
) -> Result<(), Failure> {
    use_threads(options.threads)?;
    let Loaded { scenario: s, source, text } = load_scenario(path, options)?;
    warn_before_run(&s, "");
    let start = std::time::Instant::now();
    let mut projection = options.projection(&s);
    if let Some(dir) = microdata {
        projection = projection.microdata(microdata_year.unwrap_or(s.last_year), dir);
    }
    let outcome = project(projection, "run", None)?;
    say(&incomesim::engine::report::summary_table(&s, &outcome))?;
    let provenance = serde_json::json!({
        "crate_version": env!("CARGO_PKG_VERSION"),
        "scenario_file": source,
        "scenario_fnv1a64": format!("{:016x}", fnv1a64(&text)),
        "scenario_resolved_fnv1a64": format!("{:016x}", s.fingerprint()),
        "seed": s.seed,
        "households": s.households,
        // Results of a population larger than its pilot depend slightly on the pilot.
        "pilot_households": (outcome.stream.pilot_blocks * incomesim::generate::BLOCK).min(s.households),
        "region_profile": { "id": s.profile.id, "name": s.profile.name, "description": s.profile.description },
    });
    let files =
        incomesim::engine::output::write_outputs(&options.out, &s, &outcome, provenance).map_err(Failure::Output)?;
    eprintln!("wrote {} files to {}", files.len(), options.out.display());
    eprintln!("{}", run_figures(&s, &outcome, start.elapsed().as_secs_f64()));
    check_targets(&[&outcome], options)
}

/// The run's own figures: wall time, household-years per second (the reform's
/// households × projected years in every replication; the baseline and the other
/// variants carried alongside are not counted), and the process's peak resident memory.
fn run_figures(s: &Scenario, outcome: &Outcome, seconds: f64) -> String {
    let memory = incomesim::engine::bench::peak_memory_bytes()
        .map_or_else(String::new, |b| format!(", peak memory {:.0} MiB", b as f64 / 1048576.0));
    if s.microdata.is_some() {
        return format!("ran in {seconds:.1}s{memory}");
    }
    let years = s.last_year.saturating_sub(s.profile.base_year);
    let replications = outcome.replications.len().max(1);
    let household_years = s.households as f64 * f64::from(years) * replications as f64;
    let times = if replications > 1 { format!(" x {replications} replications") } else { String::new() };
    format!(
        "ran in {seconds:.1}s: {} households x {years} years{times}, {} variants, {:.0} household-years/s{memory}",
        s.households,
        outcome.stream.variants,
        household_years / seconds.max(1e-9),
    )
}

/// `incomesim compare`.
fn compare(a: &Path, b: &Path, options: &RunOptions) -> Result<(), Failure> {
    use_threads(options.threads)?;
    let mut sa = load_scenario(Some(a), options)?.scenario;
    let mut sb = load_scenario(Some(b), options)?.scenario;
    warn_before_run(&sa, &format!("{}: ", a.display()));
    warn_before_run(&sb, &format!("{}: ", b.display()));
    // A comparison reports no contributions: no Shapley coalitions to run.
    sa.shapley = false;
    sb.shapley = false;
    let start = std::time::Instant::now();
    // Calibration reads the profile and the seed: once when both scenarios share them.
    let ga = Generator::calibrate(&sa.profile, sa.seed).map_err(Failure::from_run)?;
    let (oa, ob) = if sa.shares_baseline_with(&sb) {
        // Two reforms of one baseline (e.g. a plan and its variant): one pass, in
        // which B's households are also compared with A's.
        let points = [sa.clone(), sb.clone()];
        let both = with_progress(options.projection(&sa), "A and B", |p| p.run_points_against_first(&ga, &points))?;
        let [oa, ob]: [Outcome; 2] = both.try_into().map_err(|_| {
            Failure::Model(incomesim::Error::InvalidRequest("compare: one outcome per scenario expected".into()))
        })?;
        (oa, ob)
    } else {
        let oa = project(options.projection(&sa), "A", Some(&ga))?;
        let shared = sb.profile == sa.profile && sb.seed == sa.seed;
        let ob = project(options.projection(&sb), "B", shared.then_some(&ga))?;
        (oa, ob)
    };
    let rows = comparison::rows(&oa, &ob);
    say(&comparison::table(a, b, (&sa, &oa), (&sb, &ob), &rows))?;
    std::fs::create_dir_all(&options.out)
        .map_err(|source| Failure::Output(incomesim::Error::Io { path: options.out.clone(), source }))?;
    let path = options.out.join("compare.csv");
    incomesim::engine::output::write_atomic(&path, &comparison::csv(&rows)).map_err(Failure::Output)?;
    eprintln!("wrote {}", path.display());
    eprintln!("ran in {:.1}s", start.elapsed().as_secs_f64());
    check_targets(&[&oa, &ob], options)
}

/// `incomesim sweep`.
fn sweep(path: Option<&Path>, vary: &[String], options: &RunOptions) -> Result<(), Failure> {
    use incomesim::engine::sweep;
    if vary.len() > 2 {
        return Err(Failure::Input(incomesim::Error::InvalidRequest(format!(
            "--vary: {} axes; a sweep takes one or two",
            vary.len()
        ))));
    }
    use_threads(options.threads)?;
    let axes =
        vary.iter().map(|v| sweep::Axis::parse(v)).collect::<incomesim::Result<Vec<_>>>().map_err(Failure::Input)?;
    let s = load_scenario(path, options)?.scenario;
    warn_before_run(&s, "");
    // Every value checked before the first point runs.
    let points = sweep::scenarios(&s, &axes).map_err(Failure::Input)?;
    for w in sweep::added_warnings(&s, points.iter().map(|(_, p)| p)) {
        eprintln!("warning: {w}");
    }
    let total = points.len();
    let start = std::time::Instant::now();
    let bar = if std::io::stderr().is_terminal() {
        let style = ProgressStyle::with_template("sweep [{bar:40}] {pos}/{len} points, {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        ProgressBar::new(total as u64).with_style(style)
    } else {
        ProgressBar::hidden()
    };
    // Calibration reads the profile and the seed, which no point changes: once for all.
    let generator = Generator::calibrate(&s.profile, s.seed).map_err(Failure::Model)?;
    // Points that differ in lever parameters only share the baseline: one pass over the
    // population for each value of an assumption axis (or for the whole sweep).
    let results = sweep::run_grouped(&points, &generator, |p| options.projection(p), |n| bar.inc(n as u64))
        .map_err(Failure::from_run)?;
    bar.finish_and_clear();
    say(&incomesim::engine::report::sweep_table(&s, &axes, &results))?;
    std::fs::create_dir_all(&options.out)
        .map_err(|source| Failure::Output(incomesim::Error::Io { path: options.out.clone(), source }))?;
    let csv_path = options.out.join("sweep.csv");
    let bytes = sweep::csv(&axes, &results).map_err(Failure::Output)?;
    incomesim::engine::output::write_atomic(&csv_path, &bytes).map_err(Failure::Output)?;
    eprintln!("wrote {}", csv_path.display());
    let charts = incomesim::report::write_sweep_charts(&options.out, &s, &axes, &results).map_err(Failure::Output)?;
    if !charts.is_empty() {
        eprintln!("wrote {} charts to {}", charts.len(), options.out.join("charts").display());
    }
    eprintln!("ran {total} points in {:.1}s", start.elapsed().as_secs_f64());
    // With --fail-on-missed-targets, a target that no point meets fails the sweep.
    let never = sweep::met_ranges(&results).iter().filter(|r| r.is_empty()).count();
    if options.fail_on_missed_targets && never > 0 {
        return Err(Failure::TargetsMissed { missed: never, total: s.targets.len() });
    }
    Ok(())
}

/// What `incomesim sensitivity` moves and how it ranks.
struct SensitivityHow<'a> {
    /// Standard deviations of each move.
    z: f64,
    /// The relative spread of assumed lever defaults to move too.
    assumed_defaults: Option<f64>,
    /// What the values are ranked by.
    rank_by: &'a str,
    /// Whether correlated values move along.
    correlated: bool,
}

/// `incomesim sensitivity`.
fn sensitivity(path: Option<&Path>, how: &SensitivityHow<'_>, options: &RunOptions) -> Result<(), Failure> {
    use incomesim::engine::sensitivity::{Plan, RankBy};
    use incomesim::engine::warnings::WarningKind;
    let (z, assumed_defaults, rank_by) = (how.z, how.assumed_defaults, how.rank_by);
    use_threads(options.threads)?;
    let mut s = load_scenario(path, options)?.scenario;
    // The uncertain values are what a sensitivity moves, with replications or not.
    for w in s.warnings().iter().filter(|w| w.kind != WarningKind::UncertaintyWithoutReplications) {
        eprintln!("warning: {w}");
    }
    let by = RankBy::parse(&s, rank_by).map_err(Failure::Input)?;
    if let Some(sd) = assumed_defaults {
        let added = incomesim::engine::uncertain_levers::add_assumed_defaults(&mut s, sd)
            .map_err(|e| Failure::Input(incomesim::Error::InvalidRequest(format!("--assumed-defaults: {e}"))))?;
        eprintln!("moving {added} lever parameters at assumed defaults as well (relative sd {sd})");
    }
    // Every moved value checked before the first run.
    let plan = if how.correlated { Plan::correlated(&s, z) } else { Plan::new(&s, z) }.map_err(Failure::Input)?;
    let start = std::time::Instant::now();
    let generator = Generator::calibrate(&s.profile, s.seed).map_err(Failure::Model)?;
    let results = plan.run(&generator, |p| options.projection(p)).map_err(Failure::from_run)?;
    let rows = plan.ranked_by(&results, by);
    let Some(central) = results.first() else {
        return Err(Failure::Model(incomesim::Error::InvalidRequest("sensitivity: no central run".into())));
    };
    say(&incomesim::engine::report::sensitivity_table(&s, central, &rows, by, plan.correlated))?;
    std::fs::create_dir_all(&options.out)
        .map_err(|source| Failure::Output(incomesim::Error::Io { path: options.out.clone(), source }))?;
    let csv_path = options.out.join("sensitivity.csv");
    let bytes = plan.csv(&results).map_err(Failure::Output)?;
    incomesim::engine::output::write_atomic(&csv_path, &bytes).map_err(Failure::Output)?;
    eprintln!("wrote {}", csv_path.display());
    let charts =
        incomesim::report::write_sensitivity_chart(&options.out, &s, central, &rows).map_err(Failure::Output)?;
    if !charts.is_empty() {
        eprintln!("wrote {} chart files to {}", charts.len(), options.out.join("charts").display());
    }
    eprintln!("ran {} projections in {:.1}s", results.len(), start.elapsed().as_secs_f64());
    // With --fail-on-missed-targets, a target the central run misses fails it.
    let missed = central.targets.iter().filter(|t| !t.met).count();
    if options.fail_on_missed_targets && missed > 0 {
        return Err(Failure::TargetsMissed { missed, total: central.targets.len() });
    }
    Ok(())
}

/// `incomesim solve`.
fn solve(
    path: Option<&Path>,
    vary: &str,
    target: &str,
    tolerance: Option<f64>,
    probability: Option<f64>,
    options: &RunOptions,
) -> Result<(), Failure> {
    use incomesim::engine::solve::{Solution, SolveRequest, solve};
    use incomesim::engine::sweep;
    use_threads(options.threads)?;
    let s = load_scenario(path, options)?.scenario;
    let mut request = SolveRequest::parse(&s, vary, target, tolerance).map_err(Failure::Input)?;
    if let Some(p) = probability {
        request = request.with_probability(&s, p).map_err(Failure::Input)?;
    }
    warn_before_run(&s, "");
    // What setting the value adds (a parameter whose switch is off does nothing).
    let at_low = sweep::point_scenario(&s, [(&request.field, request.low)]).map_err(Failure::Input)?;
    for w in sweep::added_warnings(&s, [&at_low]) {
        eprintln!("warning: {w}");
    }
    let start = std::time::Instant::now();
    let generator = Generator::calibrate(&s.profile, s.seed).map_err(Failure::Model)?;
    let solved = solve(&s, &request, |point| {
        let outcome = options.projection(point).run_with_generator(&generator);
        if std::io::stderr().is_terminal() {
            eprint!(".");
        }
        outcome
    })
    .map_err(Failure::from_run)?;
    if std::io::stderr().is_terminal() {
        eprintln!();
    }
    say(&incomesim::engine::report::solve_table(&s, &request, &solved))?;
    std::fs::create_dir_all(&options.out)
        .map_err(|source| Failure::Output(incomesim::Error::Io { path: options.out.clone(), source }))?;
    let mut by_value = solved.runs.clone();
    by_value.sort_by(|a, b| a.values[0].total_cmp(&b.values[0]));
    let axis = sweep::Axis { field: request.field.clone(), values: by_value.iter().map(|p| p.values[0]).collect() };
    let csv_path = options.out.join("solve.csv");
    let bytes = sweep::csv(&[axis], &by_value).map_err(Failure::Output)?;
    incomesim::engine::output::write_atomic(&csv_path, &bytes).map_err(Failure::Output)?;
    eprintln!("wrote {}", csv_path.display());
    eprintln!("ran {} projections in {:.1}s", solved.runs.len(), start.elapsed().as_secs_f64());
    if options.fail_on_missed_targets && solved.solution == Solution::MissedThroughout {
        return Err(Failure::TargetsMissed { missed: 1, total: 1 });
    }
    Ok(())
}

/// `incomesim check`.
fn check(path: &Path, strict: bool) -> Result<(), Failure> {
    let s = open_scenario(Some(path))?.scenario;
    let warnings = s.warnings();
    let years: Vec<String> = s.dynamics.reweighting.iter().map(|r| r.year.to_string()).collect();
    let reweighted = if years.is_empty() { String::new() } else { format!(", re-weighted in {}", years.join(", ")) };
    let uncertain = s.uncertain_fields().len();
    let correlated = match s.correlations.len() {
        0 => String::new(),
        n => format!(" with {n} correlation(s)"),
    };
    let replications = if s.replications > 1 {
        format!(", {} replications drawing {uncertain} uncertain value(s){correlated}", s.replications)
    } else {
        String::new()
    };
    let mut text = format!(
        "{}: valid — {} on {} ({} households, {}–{}{replications}), {} lever(s), {} target(s){reweighted}, {} \
         warning(s)\n",
        path.display(),
        s.name,
        s.profile.id,
        s.households,
        s.profile.base_year,
        s.last_year,
        s.reform.len(),
        s.targets.len(),
        warnings.len()
    );
    for w in &warnings {
        text.push_str(&format!("warning: {w}\n"));
    }
    say(&text)?;
    if strict && !warnings.is_empty() {
        return Err(Failure::Input(incomesim::Error::InvalidRequest(format!(
            "{}: {} warning(s) (--strict)",
            path.display(),
            warnings.len()
        ))));
    }
    Ok(())
}

/// Prints a scenario's warnings on standard error before it runs (`label` names the
/// scenario when several run).
fn warn_before_run(s: &Scenario, label: &str) {
    for w in s.warnings() {
        eprintln!("warning: {label}{w}");
    }
}

/// `incomesim regions`.
fn regions() -> Result<(), Failure> {
    let mut text = String::new();
    for id in builtin_ids() {
        let p = Profile::builtin(id).map_err(Failure::Input)?;
        text.push_str(&format!("{id:<22} {}\n", p.name));
    }
    say(&text)
}

/// `incomesim bench`.
fn bench(options: &incomesim::engine::bench::BenchOptions, format: Format) -> Result<(), Failure> {
    let report = incomesim::engine::bench::run(options).map_err(Failure::from_run)?;
    match format {
        Format::Table => say(&report.to_table()),
        Format::Json => say(&format!("{}\n", serde_json::to_string(&report)?)),
    }
}

/// `incomesim assumptions`.
fn assumptions(scenario: Option<&Path>, region: Option<&str>, to: Option<u16>, format: Format) -> Result<(), Failure> {
    use incomesim::dynamics::Dynamics;
    // The scenario's dynamics, or none: the profile's defaults.
    let (title, profile, dynamics, last) = match region {
        Some(id) => {
            let profile = Profile::load(id).map_err(Failure::Input)?;
            let last = profile.base_year.saturating_add(8);
            (format!("defaults of {}", profile.id), profile, None, last)
        }
        None => {
            let s = open_scenario(scenario)?.scenario;
            (s.name, s.profile, Some(s.dynamics), s.last_year)
        }
    };
    let last = to.unwrap_or(last);
    let first = profile.base_year.saturating_add(1);
    if last < first || last > profile.base_year.saturating_add(incomesim::scenario::MAX_HORIZON) {
        return Err(Failure::Input(incomesim::Error::InvalidRequest(format!(
            "--to: {last} is outside the years a projection from {} can reach ({first}–{})",
            profile.base_year,
            profile.base_year.saturating_add(incomesim::scenario::MAX_HORIZON)
        ))));
    }
    let defaults = Dynamics::from_profile(&profile);
    let paths = incomesim::scenario::assumption_paths(dynamics.as_ref().unwrap_or(&defaults), &defaults, first..=last);
    let reasons = defaults.stated_assumptions();
    match format {
        Format::Json => {
            let json = serde_json::json!({
                "title": title,
                "profile": profile.id,
                "base_year": profile.base_year,
                "assumptions": paths,
                "reasons": reasons.iter().map(|(what, why)| serde_json::json!({"what": what, "why": why})).collect::<Vec<_>>(),
            });
            say(&format!("{}\n", serde_json::to_string_pretty(&json)?))
        }
        Format::Table => {
            let mut text = format!(
                "assumptions: {title} ({}, base year {}); the value in force in January of each year, * set by the \
                 scenario\n\n{:<24}",
                profile.name, profile.base_year, "name"
            );
            for y in first..=last {
                text.push_str(&format!("{y:>9}"));
            }
            text.push('\n');
            for p in &paths {
                let mark = if p.set_by_scenario { "*" } else { " " };
                text.push_str(&format!("{:<23}{mark}", p.name));
                for v in p.values.iter().map(|v| v.value) {
                    let cell = if p.rate { format!("{:+.2}%", 100.0 * v) } else { format!("{v:.5}") };
                    text.push_str(&format!("{cell:>9}"));
                }
                text.push('\n');
            }
            text.push_str("\nwhere the defaults come from:\n");
            for (what, why) in reasons {
                text.push_str(&format!("- {what}: {why}\n"));
            }
            say(&text)
        }
    }
}

/// `incomesim levers`.
fn levers(format: Format) -> Result<(), Failure> {
    use incomesim::policy::registry::registry;
    let all = registry();
    match format {
        Format::Json => say(&format!("{}\n", serde_json::to_string_pretty(&all)?)),
        Format::Table => {
            let mut text = String::new();
            for spec in all {
                text.push_str(&format!(
                    "{}  ({})\n  {}\n  source: {}\n",
                    spec.name, spec.part, spec.summary, spec.source
                ));
                for p in spec.parameters {
                    let default = p.default.to_string();
                    let switch = spec.switches.iter().find(|w| w.parameters.contains(&p.name));
                    let only = switch.map_or_else(String::new, |w| format!(" (acts only with {} = true)", w.flag));
                    text.push_str(&format!(
                        "    {:<34} {:<28} default {:<30} {}{only}\n",
                        p.name, p.unit, default, p.description
                    ));
                }
                text.push('\n');
            }
            say(&text)
        }
    }
}

/// `incomesim population`.
fn population(
    region: &str,
    households: usize,
    seed: u64,
    threads: Option<NonZeroUsize>,
    format: Format,
    microdata: Option<&Path>,
) -> Result<(), Failure> {
    use_threads(threads)?;
    let profile = Profile::load(region).map_err(Failure::Input)?;
    // Refused before the calibration, as the generator would refuse it after.
    incomesim::generate::check_materialised_households(households).map_err(Failure::Input)?;
    let start = std::time::Instant::now();
    let generator = Generator::calibrate(&profile, seed).map_err(Failure::from_run)?;
    let calibrated = start.elapsed();
    let (pop, accounts) =
        generator.generate_with_accounts(households, &Default::default()).map_err(Failure::from_run)?;
    let generated = start.elapsed() - calibrated;
    let report = generator.report_with_accounts(&pop, &accounts);
    if let Some(dir) = microdata {
        write_microdata(&generator, &pop, dir).map_err(Failure::from_run)?;
    }
    match format {
        Format::Table => {
            say(&report.to_table())?;
            eprintln!(
                "calibration {:.2}s ({} iterations), generation {:.2}s",
                calibrated.as_secs_f64(),
                generator.iterations(),
                generated.as_secs_f64()
            );
            Ok(())
        }
        Format::Json => say(&format!("{}\n", serde_json::to_string_pretty(&report)?)),
    }
}

/// Writes the base-year households and persons of a population with the amounts of
/// every base rule.
fn write_microdata(generator: &Generator, pop: &incomesim::Population, dir: &Path) -> incomesim::Result<()> {
    use incomesim::microdata::{FileExporter, lever_names};
    use incomesim::model::Accounts;
    use incomesim::policy::{LeverColumns, YearContext, market_accounts};
    std::fs::create_dir_all(dir).map_err(|source| incomesim::Error::Io { path: dir.to_path_buf(), source })?;
    let rules = generator.rules();
    let year = generator.profile().base_year;
    let mut after_pop = pop.clone();
    let (mut after, mut columns) = (Accounts::default(), LeverColumns::default());
    rules.apply_year(&YearContext::base(year, generator.params().seed), &mut after_pop, &mut after, &mut columns);
    let mut market = Accounts::default();
    market_accounts(&after_pop, &mut market);
    let mut out = FileExporter::create(
        &dir.join("households.csv"),
        Some(&dir.join("persons.csv")),
        year as i32,
        lever_names(rules),
    )?;
    out.write_chunk(&after_pop, &market, &after, &columns)?;
    out.commit()?;
    eprintln!("wrote {} and {}", dir.join("households.csv").display(), dir.join("persons.csv").display());
    Ok(())
}

/// Two scenarios side by side: the rows of `compare.csv` and the printed table.
mod comparison {
    use std::collections::HashMap;
    use std::path::Path;

    use super::{Group, Outcome, Scenario};
    use incomesim::engine::report::{Compared, gains_table};

    /// One row of `compare.csv`: an indicator of a group in a year under A and B.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Row {
        /// Year.
        pub year: u16,
        /// Group: `urban`, `rural`, `all`, or `levers` for a lever's fiscal cost.
        pub group: String,
        /// Indicator name (as in `indicators.csv`; `fiscal_cost_<lever>` and
        /// `programme_cost` for costs).
        pub indicator: String,
        /// Value under A (`None` if A does not have it).
        pub a: Option<f64>,
        /// Value under B.
        pub b: Option<f64>,
        /// A value of B's households against A's (who gains and who loses from B
        /// rather than A, [`B_AGAINST_A`]-prefixed indicators): the difference
        /// column's, with neither side's.
        pub between: Option<f64>,
    }

    /// Prefix of the indicators of `compare.csv` that compare B's households with A's.
    pub const B_AGAINST_A: &str = "b_against_a_";

    impl Row {
        /// B − A, when both have the indicator; a comparison of B's households with
        /// A's, [`Row::between`], when it is one.
        pub fn difference(&self) -> Option<f64> {
            self.between.or_else(|| Some(self.b? - self.a?))
        }
    }

    /// The fiscal cost of each lever each year, and the programme cost: the cost of
    /// the levers either scenario sets (as each scenario runs them, a base rule of the
    /// same name included), yuan per year.
    fn costs(outcome: &Outcome, programme: &[String]) -> Vec<(u16, String, String, f64)> {
        let mut out = Vec::new();
        for y in &outcome.reform.years {
            let year = y.indicators.year;
            for r in &y.ledger.records {
                out.push((year, "levers".to_string(), format!("fiscal_cost_{}", r.lever), r.fiscal_cost));
            }
            out.push((year, "all".to_string(), "programme_cost".to_string(), y.ledger.fiscal_cost_of(programme)));
        }
        out
    }

    /// The reform's indicators and costs of A and B, joined on (year, group,
    /// indicator) in A's order, then what only B has.
    pub fn rows(a: &Outcome, b: &Outcome) -> Vec<Row> {
        let mut programme: Vec<String> = a.lever_names.clone();
        programme.extend(b.lever_names.iter().filter(|n| !a.lever_names.contains(n)).cloned());
        let values = |o: &Outcome| {
            let mut v: Vec<(u16, String, String, f64)> = o
                .reform
                .years
                .iter()
                .flat_map(|y| y.indicators.rows())
                .map(|r| (r.year, r.group.to_string(), r.indicator, r.value))
                .collect();
            v.extend(costs(o, &programme));
            v.sort_by_key(|(year, ..)| *year);
            v
        };
        let mut rows: Vec<Row> = Vec::new();
        let mut index: HashMap<(u16, String, String), usize> = HashMap::new();
        for (side, list) in [(0, values(a)), (1, values(b))] {
            for (year, group, indicator, value) in list {
                let key = (year, group.clone(), indicator.clone());
                let k = *index.entry(key).or_insert_with(|| {
                    rows.push(Row { year, group, indicator, a: None, b: None, between: None });
                    rows.len() - 1
                });
                if side == 0 {
                    rows[k].a = Some(value);
                } else {
                    rows[k].b = Some(value);
                }
            }
        }
        // B's households against A's, after each year's indicators.
        for y in &b.reform.years {
            let Some(gains) = &y.indicators.gains_against_other else { continue };
            for group in Group::ALL {
                for (name, value) in gains[group.index()].named() {
                    rows.push(Row {
                        year: y.indicators.year,
                        group: group.as_str().to_string(),
                        indicator: format!("{B_AGAINST_A}{name}"),
                        a: None,
                        b: None,
                        between: Some(value),
                    });
                }
            }
        }
        rows.sort_by_key(|r| r.year);
        rows
    }

    /// `compare.csv`: `year,group,indicator,a,b,difference`, empty cells where a side
    /// lacks the indicator.
    pub fn csv(rows: &[Row]) -> Vec<u8> {
        let cell = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
        let mut text = String::from("year,group,indicator,a,b,difference\n");
        for r in rows {
            text.push_str(&format!(
                "{},{},{},{},{},{}\n",
                r.year,
                r.group,
                r.indicator,
                cell(r.a),
                cell(r.b),
                cell(r.difference())
            ));
        }
        text.into_bytes()
    }

    /// The printed comparison: per year the headline indicators of A and B and B − A,
    /// then each scenario's targets.
    pub fn table(
        path_a: &Path,
        path_b: &Path,
        (sa, oa): (&Scenario, &Outcome),
        (sb, ob): (&Scenario, &Outcome),
        rows: &[Row],
    ) -> String {
        let find = |year: u16, group: &str, indicator: &str| {
            rows.iter().find(|r| r.year == year && r.group == group && r.indicator == indicator)
        };
        let mut out = String::new();
        for (tag, path, s) in [("A", path_a, sa), ("B", path_b, sb)] {
            out.push_str(&format!(
                "{tag}: {} — {} ({}, {} households, seed {}, {}–{})\n",
                s.name,
                s.profile.name,
                path.display(),
                s.households,
                s.seed,
                s.profile.base_year,
                s.last_year
            ));
        }
        out.push_str("\nper-capita disposable income in yuan; programme cost: the levers either scenario sets\n");
        let headline: [(&str, Group, &str, f64, usize); 19] = [
            ("urban mean income", Group::Urban, "mean_disposable", 1.0, 0),
            ("rural mean income", Group::Rural, "mean_disposable", 1.0, 0),
            ("all mean income", Group::All, "mean_disposable", 1.0, 0),
            ("urban-rural ratio", Group::All, "urban_rural_ratio", 1.0, 3),
            ("rural wage share, %", Group::Rural, "wage_share", 100.0, 2),
            ("urban unemployment, %", Group::Urban, "unemployment_rate", 100.0, 2),
            ("Gini (all)", Group::All, "gini", 1.0, 4),
            ("dibao households", Group::All, "dibao_households", 1.0, 0),
            ("dibao persons", Group::All, "dibao_persons", 1.0, 0),
            ("below dibao line, % persons", Group::All, "headcount_dibao", 100.0, 2),
            ("programme cost, million yuan", Group::All, "programme_cost", 1e-6, 1),
            // Each against its own baseline (who gains and who loses).
            ("gain >5% vs baseline, % persons", Group::All, "share_gain_over_5pct", 100.0, 2),
            ("lose >5% vs baseline, % persons", Group::All, "share_lose_over_5pct", 100.0, 2),
            // Work incentives, when both measure them (--work-incentives).
            ("METR on a rise in earnings, %", Group::All, "metr_aggregate", 100.0, 1),
            ("dibao: METR ≥100%, % persons", Group::All, "metr_dibao_share_100pct_or_more", 100.0, 1),
            ("dibao: PTR of a new job, %", Group::All, "ptr_dibao_aggregate", 100.0, 1),
            // B's households against A's: in the difference column.
            ("B vs A: gain >5%, % persons", Group::All, "b_against_a_share_gain_over_5pct", 100.0, 2),
            ("B vs A: lose >5%, % persons", Group::All, "b_against_a_share_lose_over_5pct", 100.0, 2),
            ("B vs A: mean change, yuan", Group::All, "b_against_a_mean_change_per_capita", 1.0, 0),
        ];
        let mut years: Vec<u16> = rows.iter().map(|r| r.year).collect();
        years.dedup();
        for year in years {
            out.push_str(&format!("\n{year:<32} {:>14} {:>14} {:>14}\n", "A", "B", "B − A"));
            for (label, group, indicator, scale, digits) in headline {
                let Some(r) = find(year, group.as_str(), indicator) else {
                    continue;
                };
                let cell = |x: Option<f64>| x.map_or("—".to_string(), |v| format!("{:.*}", digits, v * scale));
                let diff = r.difference().map_or("—".to_string(), |v| format!("{:+.*}", digits, v * scale));
                out.push_str(&format!("  {label:<30} {:>14} {:>14} {:>14}\n", cell(r.a), cell(r.b), diff));
            }
        }
        match ob
            .reform
            .years
            .iter()
            .rev()
            .find_map(|y| Some((y.indicators.year, y.indicators.gains_against_other.as_ref()?)))
        {
            Some((year, gains)) => {
                let compared = Compared { subject: "B", reference: "A", reference_possessive: "A's" };
                out.push_str(&gains_table(year, gains, compared));
                out.push_str(
                    "(B's households against the same households under A: the same population and draws, so the \
                     change is B's levers' against A's)\n",
                );
            }
            None => out.push_str(
                "\nB's households are not compared with A's: the two do not share one baseline (region, households, \
                 seed, years, assumptions and replications), so they do not run on the same households\n",
            ),
        }
        for (tag, s, o) in [("A", sa, oa), ("B", sb, ob)] {
            if o.targets.is_empty() {
                out.push_str(&format!("\ntargets of {tag}: none\n"));
                continue;
            }
            let met = o.targets.iter().filter(|t| t.met).count();
            out.push_str(&format!("\ntargets of {tag}: {met} of {} met\n", o.targets.len()));
            let many = o.replications.len() > 1;
            for (k, t) in o.targets.iter().enumerate() {
                let [reached, target, _] = t.cells(t.definition(&s.targets, k));
                // With replications, the share of them that meet it.
                let share = if many { format!("  met in {:.0}%", t.probability * 100.0) } else { String::new() };
                out.push_str(&format!(
                    "  {:<8} {:<56} reached {reached:>10}  target {target:>10}{share}\n",
                    if t.met { "MET" } else { "MISSED" },
                    t.name,
                ));
            }
        }
        for (tag, o) in [("A", oa), ("B", ob)] {
            // The scenarios' own warnings were printed before the runs; these only the results show.
            let found: Vec<_> = o.warnings.iter().filter(|w| !w.kind.is_scenario()).collect();
            if !found.is_empty() {
                out.push_str(&format!("\nwarnings of {tag}:\n"));
                for w in found {
                    out.push_str(&format!("  {w}\n"));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_of_a_run_map_to_their_exit_codes() {
        let calibration = incomesim::Error::Calibration { profile: "x".into(), problem: "no fit".into() };
        assert_eq!(Failure::from_run(calibration).exit_code(), 1);
        let io = incomesim::Error::Io { path: "out/x.csv".into(), source: std::io::Error::other("disk full") };
        assert_eq!(Failure::from_run(io).exit_code(), 4);
        assert_eq!(Failure::from_run(incomesim::Error::InvalidRequest("no households".into())).exit_code(), 2);
        assert_eq!(Failure::TargetsMissed { missed: 1, total: 2 }.exit_code(), 3);
        for code in 0..=4 {
            assert!(EXIT_CODES.contains(&format!("\n  {code}  ")), "code {code} undocumented");
        }
    }

    #[test]
    fn compare_rows_join_both_scenarios_and_take_differences() {
        let row = comparison::Row {
            year: 2022,
            group: "all".into(),
            indicator: "gini".into(),
            a: Some(0.4),
            b: None,
            between: None,
        };
        assert_eq!(row.difference(), None);
        let row = comparison::Row { b: Some(0.35), ..row };
        assert!((row.difference().expect("both sides") + 0.05).abs() < 1e-12);
        let csv = String::from_utf8(comparison::csv(std::slice::from_ref(&row))).expect("utf-8");
        assert_eq!(csv.lines().nth(1), Some(format!("2022,all,gini,0.4,0.35,{}", 0.35 - 0.4).as_str()));
        // B's households against A's: the difference column only.
        let between = comparison::Row {
            indicator: format!("{}share_gain_over_5pct", comparison::B_AGAINST_A),
            a: None,
            b: None,
            between: Some(0.02),
            ..row
        };
        assert_eq!(between.difference(), Some(0.02));
        let csv = String::from_utf8(comparison::csv(&[between])).expect("utf-8");
        assert_eq!(csv.lines().nth(1), Some("2022,all,b_against_a_share_gain_over_5pct,,,0.02"));
    }

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}

//! The `incomesim` command line.

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use incomesim::generate::Generator;
use incomesim::region::{Profile, builtin_ids};

/// Household income microsimulation for Chinese cities and regions.
#[derive(Debug, Parser)]
#[command(name = "incomesim", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
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
    /// lever's contribution and the plan's targets.
    Run {
        /// A scenario TOML file.
        scenario: Option<std::path::PathBuf>,
        /// Households (overrides the scenario).
        #[arg(long)]
        households: Option<usize>,
        /// Seed (overrides the scenario).
        #[arg(long)]
        seed: Option<u64>,
        /// Last projected year (overrides the scenario).
        #[arg(long)]
        years: Option<u16>,
        /// Worker threads (default: all cores). Results do not depend on it.
        #[arg(long)]
        threads: Option<usize>,
        /// Write the reform's household and person microdata of this year …
        #[arg(long, requires = "microdata")]
        microdata_year: Option<u16>,
        /// … to this folder (households.csv, persons.csv; the last year by default).
        #[arg(long)]
        microdata: Option<std::path::PathBuf>,
        /// Folder for indicators.csv, targets.csv, levers.csv and summary.json.
        #[arg(long, default_value = "out")]
        out: std::path::PathBuf,
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
        threads: Option<usize>,
        /// Also compute Shapley values (off: one run of baseline and reform).
        #[arg(long)]
        shapley: bool,
        /// Households carried at once by the stream (default: two blocks per thread).
        #[arg(long)]
        chunk_households: Option<usize>,
        /// Households of the pilot (default 1,048,576).
        #[arg(long)]
        pilot_households: Option<usize>,
        /// Stages to time.
        #[arg(long, value_enum, default_value_t = BenchStages::All)]
        stages: BenchStages,
        /// Output format (`json`: one JSON object).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Validates a scenario file without running it.
    Check {
        /// The scenario TOML file.
        scenario: std::path::PathBuf,
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
        threads: Option<usize>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Also write the base-year household microdata (households.csv, persons.csv)
        /// to this folder: every input the rules read, each income part before and
        /// after the rules, and each rule's amount.
        #[arg(long)]
        microdata: Option<std::path::PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    match cli.command {
        Command::Regions => {
            for id in builtin_ids() {
                let p = Profile::builtin(id)?;
                println!("{id:<22} {}", p.name);
            }
        }
        Command::Levers { format } => print_levers(format)?,
        Command::Bench { households, years, threads, shapley, chunk_households, pilot_households, stages, format } => {
            let stages = match stages {
                BenchStages::All => incomesim::engine::bench::Stages::All,
                BenchStages::Generation => incomesim::engine::bench::Stages::Generation,
                BenchStages::OneYear => incomesim::engine::bench::Stages::OneYear,
                BenchStages::Full => incomesim::engine::bench::Stages::Full,
            };
            let options = incomesim::engine::bench::BenchOptions {
                households,
                years,
                threads,
                shapley,
                chunk_households,
                pilot_households,
                stages,
            };
            run_bench(&options, format)?;
        }
        Command::Check { scenario } => {
            let s = incomesim::engine::Scenario::from_file(&scenario)?;
            println!(
                "{}: valid — {} on {} ({} households, {}–{}), {} lever(s), {} target(s)",
                scenario.display(),
                s.name,
                s.profile.id,
                s.households,
                s.profile.base_year,
                s.last_year,
                s.reform.len(),
                s.targets.len()
            );
        }
        Command::Run { scenario, households, seed, years, threads, microdata_year, microdata, out } => {
            if let Some(t) = threads {
                rayon::ThreadPoolBuilder::new().num_threads(t).build_global()?;
            }
            let (mut s, source, text) = match &scenario {
                Some(path) => {
                    (incomesim::engine::Scenario::from_file(path)?, path.display().to_string(), std::fs::read(path)?)
                }
                None => (
                    incomesim::engine::Scenario::default_scenario()?,
                    "embedded: scenarios/liupanshui-2022.toml".to_string(),
                    incomesim::scenario::DEFAULT_SCENARIO.as_bytes().to_vec(),
                ),
            };
            if let Some(n) = households {
                s.households = n;
            }
            if let Some(x) = seed {
                s.seed = x;
            }
            if let Some(y) = years {
                s.last_year = y;
            }
            let start = std::time::Instant::now();
            let mut projection = incomesim::engine::Projection::new(&s);
            if let Some(dir) = microdata {
                projection = projection.microdata(microdata_year.unwrap_or(s.last_year), dir);
            }
            let outcome = projection.run()?;
            print!("{}", incomesim::engine::report::summary_table(&s, &outcome));
            let provenance = serde_json::json!({
                "crate_version": env!("CARGO_PKG_VERSION"),
                "scenario_file": source,
                "scenario_fnv1a64": format!("{:016x}", fnv1a(&text)),
                "seed": s.seed,
                "households": s.households,
                "region_profile": { "id": s.profile.id, "name": s.profile.name, "description": s.profile.description },
            });
            let files = incomesim::engine::output::write_outputs(&out, &s, &outcome, provenance)?;
            eprintln!("wrote {} files to {}", files.len(), out.display());
            eprintln!("ran in {:.1}s", start.elapsed().as_secs_f64());
        }
        Command::Population { region, households, seed, threads, format, microdata } => {
            if let Some(t) = threads {
                rayon::ThreadPoolBuilder::new().num_threads(t).build_global()?;
            }
            let profile = Profile::load(&region)?;
            let start = std::time::Instant::now();
            let generator = Generator::calibrate(&profile, seed)?;
            let calibrated = start.elapsed();
            let (pop, accounts) = generator.generate_with_accounts(households, &Default::default())?;
            let generated = start.elapsed() - calibrated;
            let report = generator.report_with_accounts(&pop, &accounts);
            if let Some(dir) = microdata {
                write_microdata(&generator, &pop, &dir)?;
            }
            match format {
                Format::Table => {
                    print!("{}", report.to_table());
                    eprintln!(
                        "calibration {:.2}s ({} iterations), generation {:.2}s",
                        calibrated.as_secs_f64(),
                        generator.iterations(),
                        generated.as_secs_f64()
                    );
                }
                Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
            }
        }
    }
    Ok(())
}

/// `incomesim bench`: runs the benchmark and prints its report.
fn run_bench(
    options: &incomesim::engine::bench::BenchOptions,
    format: Format,
) -> Result<(), Box<dyn std::error::Error>> {
    let report = incomesim::engine::bench::run(options)?;
    match format {
        Format::Table => print!("{}", report.to_table()),
        Format::Json => println!("{}", serde_json::to_string(&report)?),
    }
    Ok(())
}

fn print_levers(format: Format) -> Result<(), Box<dyn std::error::Error>> {
    use incomesim::policy::registry::{DefaultValue, registry};
    let all = registry();
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&all)?),
        Format::Table => {
            for spec in all {
                println!("{}  ({})\n  {}\n  source: {}", spec.name, spec.part, spec.summary, spec.source);
                for p in spec.parameters {
                    let default = match p.default {
                        DefaultValue::Number(x) => format!("{x}"),
                        DefaultValue::Word(w) => w.to_string(),
                        DefaultValue::Profile(f) => format!("profile: {f}"),
                        DefaultValue::Required => "required".to_string(),
                    };
                    println!("    {:<34} {:<28} default {:<30} {}", p.name, p.unit, default, p.description);
                }
                println!();
            }
        }
    }
    Ok(())
}

/// Writes the base-year households and persons of a population with the amounts of
/// every base rule.
fn write_microdata(
    generator: &Generator,
    pop: &incomesim::Population,
    dir: &std::path::Path,
) -> Result<(), Box<dyn std::error::Error>> {
    use incomesim::microdata::{FileExporter, lever_names};
    use incomesim::model::Accounts;
    use incomesim::policy::{LeverColumns, YearContext, market_accounts};
    std::fs::create_dir_all(dir)?;
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

/// FNV-1a hash of a file's bytes, for provenance.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ *b as u64).wrapping_mul(0x0000_0100_0000_01b3))
}

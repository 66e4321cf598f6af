//! `incomesim-peers`: the performance peers' four benefit rules over a population
//! `.npz`, run with incomesim's own levers, timed by the peers' benchmark protocol.
//!
//! ```sh
//! incomesim-peers --input pop_10000000.npz --repeat 5 [--threads 2]
//! ```
//!
//! Prints the aggregates and timings, then one line `RESULT {json}` with
//! `"aggregates"` (the peers' keys) and `"timings"`: `load_s` (reading the file into
//! chunks of households), `rules_s` (the four levers and the aggregates, first pass),
//! `engine_total_s` (building the levers from the registry plus the first pass) and,
//! with `--repeat K` > 1, `rules_s_warm` / `engine_total_s_warm` (median of passes
//! 2..K). See `docs/peers.md`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use serde_json::json;

use incomesim::microdata::npz::load_npz_chunks;
use incomesim::microdata::npz::peers::{EdgeRule, PeerAggregates, PeerRules, SUM_BLOCK};

/// Runs the performance peers' benefit rules with incomesim's levers on a peers'
/// population file and prints aggregates and timings.
#[derive(Debug, Parser)]
#[command(name = "incomesim-peers", version, about)]
struct Cli {
    /// The population: an uncompressed .npz in the peers' layout (docs/peers.md).
    #[arg(long)]
    input: PathBuf,
    /// Passes of the rules in this process; more than 1 adds warm medians (passes 2..K).
    #[arg(long, default_value_t = 1)]
    repeat: usize,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Households per chunk, rounded up to a multiple of 4,096. Results do not depend
    /// on it; 4,096 keeps a chunk's columns in a core's cache (about 6% faster than
    /// 16,384 on 10M households, 2026-12-02).
    #[arg(long, default_value_t = 4_096)]
    chunk: usize,
    /// Also run the `low_income_edge_assistance` lever (paying nothing) for the edge
    /// flag, which the dibao lever already sets: four levers instead of three.
    #[arg(long)]
    edge_lever: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// CPU time used so far by every thread of this process, seconds (Linux: the sum of
/// `/proc/self/task/*/schedstat`, nanoseconds on CPU); `None` elsewhere. Lets a pass be
/// judged on a machine shared with other work, where wall time overstates it.
fn process_cpu_s() -> Option<f64> {
    let mut total = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(total as f64 * 1e-9)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 { xs[n / 2] } else { (xs[n / 2 - 1] + xs[n / 2]) / 2.0 }
}

fn run(cli: &Cli) -> Result<(), Box<dyn std::error::Error>> {
    if let Some(t) = cli.threads {
        rayon::ThreadPoolBuilder::new().num_threads(t.max(1)).build_global()?;
    }
    let chunk = cli.chunk.max(1).div_ceil(SUM_BLOCK) * SUM_BLOCK;

    let t0 = Instant::now();
    let mut chunks = load_npz_chunks(&cli.input, chunk)?;
    let load_s = t0.elapsed().as_secs_f64();

    let t0 = Instant::now();
    let rules = PeerRules::new(if cli.edge_lever { EdgeRule::EdgeLever } else { EdgeRule::DibaoFlag })?;
    let build_s = t0.elapsed().as_secs_f64();

    let mut passes = Vec::with_capacity(cli.repeat.max(1));
    let mut cpu = Vec::with_capacity(cli.repeat.max(1));
    let mut aggregates: Option<PeerAggregates> = None;
    for _ in 0..cli.repeat.max(1) {
        let (t0, c0) = (Instant::now(), process_cpu_s());
        let a = rules.run(&mut chunks);
        passes.push(t0.elapsed().as_secs_f64());
        if let (Some(c0), Some(c1)) = (c0, process_cpu_s()) {
            cpu.push(c1 - c0);
        }
        if let Some(first) = &aggregates
            && *first != a
        {
            return Err("a repeated pass gave different aggregates".into());
        }
        aggregates = Some(a);
    }
    let Some(agg) = aggregates else { return Err("no pass ran".into()) };

    let mut timings = serde_json::Map::new();
    timings.insert("load_s".into(), json!(load_s));
    timings.insert("rules_s".into(), json!(passes[0]));
    timings.insert("engine_total_s".into(), json!(build_s + passes[0]));
    if passes.len() > 1 {
        let warm = median(passes[1..].to_vec());
        timings.insert("rules_s_warm".into(), json!(warm));
        timings.insert("engine_total_s_warm".into(), json!(build_s + warm));
    }
    let threads = rayon::current_num_threads();

    println!("peer: incomesim");
    println!("input: {}", cli.input.display());
    let levers: Vec<&str> = rules.levers().map(|l| l.name()).collect();
    println!("levers: {}", levers.join(", "));
    println!("threads: {threads}, chunk: {chunk} households, passes: {}", passes.len());
    let agg_json = serde_json::to_value(agg)?;
    if let Some(map) = agg_json.as_object() {
        for (k, v) in map {
            println!("  {k:32} {v}");
        }
    }
    for (k, v) in &timings {
        println!("  {k:32} {:.4}", v.as_f64().unwrap_or(f64::NAN));
    }
    println!("  {:32} {:.0}", "households_per_s (rules)", agg.households as f64 / passes[0]);
    if passes.len() > 1 {
        println!(
            "  {:32} {:.0}",
            "households_per_s (rules, warm)",
            agg.households as f64 / median(passes[1..].to_vec())
        );
    }
    if cpu.len() > 1 {
        let warm = median(cpu[1..].to_vec());
        println!("  {:32} {:.0}", "households_per_cpu_s (warm)", agg.households as f64 / warm);
    }
    let result = json!({
        "peer": "incomesim",
        "input": cli.input.display().to_string(),
        "threads": threads,
        "chunk_households": chunk,
        "levers": levers,
        "passes_s": passes,
        "passes_cpu_s": cpu,
        "aggregates": agg_json,
        "timings": timings,
    });
    println!("RESULT {result}");
    Ok(())
}

//! One projected year on 1,000,000 households: the dynamics alone
//! ([`Dynamics::advance`], chunks in parallel as the engine runs them), and the
//! dynamics followed by every lever of the registry (household-years per second).

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use incomesim::dynamics::Dynamics;
use incomesim::engine::bench::fill_bench_params;
use incomesim::generate::{BLOCK, Generator};
use incomesim::policy::registry::{BuildContext, build, registry};
use incomesim::policy::{Chunk, LeverSet, YearContext};
use incomesim::region::Profile;
use rayon::prelude::*;

const HOUSEHOLDS: usize = 1_000_000;

/// The parameters `incomesim bench` runs the lever with (every required value set,
/// places for rationed levers, every dibao rule on).
fn params(name: &str) -> toml::Table {
    let spec = registry().into_iter().find(|s| s.name == name).expect("registered");
    let mut t = toml::Table::new();
    fill_bench_params(spec, &mut t);
    t
}

fn one_year(c: &mut Criterion) {
    let profile = Profile::builtin("liupanshui-2021").expect("profile");
    let generator = Generator::calibrate(&profile, 7).expect("calibrates");
    let chunks: Vec<Chunk> = (0..HOUSEHOLDS)
        .step_by(BLOCK)
        .map(|s| Chunk::new(generator.generate_chunk(s as u64, BLOCK.min(HOUSEHOLDS - s), HOUSEHOLDS as u64).0))
        .collect();
    let mut dynamics = Dynamics::from_profile(&profile);
    dynamics.calibrate_fertility(&chunks[0].pop);
    dynamics.calibrate_urbanisation_on(std::slice::from_ref(&chunks[0].pop));
    dynamics.calibrate_replacement_on(std::slice::from_ref(&chunks[0].pop));
    let year = profile.base_year + 1;
    let ctx = YearContext { year, price_index: dynamics.price_index(year), ..YearContext::base(profile.base_year, 7) };
    let mut set: LeverSet = generator.projection_rules(&dynamics.dibao_threshold_multiple).expect("rules");
    let build_ctx = BuildContext { base_year: profile.base_year, profile: &profile, calibration: None };
    for spec in registry() {
        set.insert(build(spec.name, build_ctx, &params(spec.name)).expect("builds"));
    }

    let mut group = c.benchmark_group("year");
    group.sample_size(10);
    group.throughput(Throughput::Elements(HOUSEHOLDS as u64));
    group.bench_function("dynamics, 1,000,000 households", |b| {
        b.iter_batched(
            || chunks.clone(),
            |mut chunks| {
                chunks.par_iter_mut().for_each(|c| dynamics.advance(&ctx, &mut c.pop));
                chunks
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function(format!("dynamics and all {} levers, 1,000,000 households", set.len()), |b| {
        b.iter_batched(
            || chunks.clone(),
            |mut chunks| {
                chunks.par_iter_mut().for_each(|c| dynamics.advance(&ctx, &mut c.pop));
                let ledger = set.apply_year_chunks(&ctx, &mut chunks);
                (chunks, ledger)
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, one_year);
criterion_main!(benches);

//! Applying every lever of the registry to 1,000,000 households for one year.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use incomesim::engine::bench::fill_bench_params;
use incomesim::generate::Generator;
use incomesim::policy::registry::{BuildContext, build, registry};
use incomesim::policy::{Chunk, LeverSet, YearContext};
use incomesim::region::Profile;

/// The parameters `incomesim bench` runs the lever with (every required value set,
/// places for rationed levers, every dibao rule on).
fn params(name: &str) -> toml::Table {
    let spec = registry().into_iter().find(|s| s.name == name).expect("registered");
    let mut t = toml::Table::new();
    fill_bench_params(spec, &mut t);
    t
}

fn all_levers(c: &mut Criterion) {
    let profile = Profile::builtin("liupanshui-2021").expect("profile");
    let generator = Generator::calibrate(&profile, 7).expect("calibrates");
    let n = 1_000_000;
    let mut set = generator.rules().clone();
    let ctx = BuildContext { base_year: profile.base_year, profile: &profile, calibration: None };
    for spec in registry() {
        set.insert(build(spec.name, ctx, &params(spec.name)).expect("builds"));
    }
    let chunks: Vec<Chunk> = (0..n)
        .step_by(16_384)
        .map(|s| Chunk::new(generator.generate_chunk(s as u64, 16_384.min(n - s), n as u64).0))
        .collect();
    let year = YearContext { year: profile.base_year + 1, ..YearContext::base(profile.base_year, 7) };
    let mut group = c.benchmark_group("levers");
    group.sample_size(10);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function(format!("all {} levers, 1,000,000 households, one year", set.len()), |b| {
        b.iter_batched(|| chunks.clone(), |mut chunks| set.apply_year_chunks(&year, &mut chunks), BatchSize::LargeInput)
    });
    group.finish();

    // Each lever alone (with the accounts and the ledger every set builds), and the
    // empty set for that overhead: where the time goes.
    let mut each = c.benchmark_group("lever");
    each.sample_size(10);
    each.warm_up_time(std::time::Duration::from_millis(500));
    each.measurement_time(std::time::Duration::from_secs(2));
    each.throughput(Throughput::Elements(n as u64));
    let empty = LeverSet::new();
    each.bench_function("(none)", |b| {
        b.iter_batched(
            || chunks.clone(),
            |mut chunks| empty.apply_year_chunks(&year, &mut chunks),
            BatchSize::LargeInput,
        )
    });
    for lever in set.shared() {
        let mut alone = LeverSet::new();
        alone.insert_shared(lever.clone());
        each.bench_function(lever.name(), |b| {
            b.iter_batched(
                || chunks.clone(),
                |mut chunks| alone.apply_year_chunks(&year, &mut chunks),
                BatchSize::LargeInput,
            )
        });
    }
    each.finish();
}

criterion_group!(benches, all_levers);
criterion_main!(benches);

//! The stages `incomesim bench` times, under criterion: generation, a one-year
//! projection and the full scenario (three projected years) of the benchmark scenario
//! (the default scenario with every lever of the registry on), through the engine
//! `incomesim run` uses. Throughput is in household-years (households × projected
//! years; generation counts one year).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use incomesim::engine::Projection;
use incomesim::engine::bench::bench_scenario;
use incomesim::generate::{BLOCK, Generator};
use rayon::prelude::*;

const HOUSEHOLDS: usize = 100_000;

fn projection(c: &mut Criterion) {
    let full = bench_scenario(HOUSEHOLDS, 3).expect("scenario");
    let one = bench_scenario(HOUSEHOLDS, 1).expect("scenario");
    let generator = Generator::calibrate(&full.profile, full.seed).expect("calibrates");
    let mut group = c.benchmark_group("projection");
    group.sample_size(10);

    group.throughput(Throughput::Elements(HOUSEHOLDS as u64));
    group.bench_function("generation, 100,000 households in blocks", |b| {
        b.iter(|| {
            (0..HOUSEHOLDS.div_ceil(BLOCK))
                .into_par_iter()
                .map(|k| {
                    let count = BLOCK.min(HOUSEHOLDS - k * BLOCK);
                    generator.generate_chunk((k * BLOCK) as u64, count, HOUSEHOLDS as u64).0.person_count()
                })
                .sum::<usize>()
        })
    });
    group.bench_function("one-year projection, 100,000 households, every lever", |b| {
        b.iter(|| Projection::new(&one).run_with_generator(&generator).expect("runs"))
    });
    group.throughput(Throughput::Elements(3 * HOUSEHOLDS as u64));
    group.bench_function("full scenario, 100,000 households, 3 years, every lever", |b| {
        b.iter(|| Projection::new(&full).run_with_generator(&generator).expect("runs"))
    });
    group.finish();
}

criterion_group!(benches, projection);
criterion_main!(benches);

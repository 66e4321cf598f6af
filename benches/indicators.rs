//! The indicators of one year over 1,000,000 generated households: block sums with
//! income sketches (add, merge in block order, finish) against the exact sort-based
//! distribution statistics.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use incomesim::generate::{BLOCK, Generator};
use incomesim::indicators::{
    AllWeighting, DibaoLines, HouseholdOutcome, IndicatorSums, PovertyLines, YearIndicators, outcomes_from,
};
use incomesim::region::Profile;

fn outcomes(n: usize) -> (Vec<HouseholdOutcome>, AllWeighting) {
    let profile = Profile::builtin("liupanshui-2021").expect("profile");
    let generator = Generator::calibrate(&profile, 7).expect("calibrates");
    let mut all = Vec::with_capacity(n);
    for start in (0..n).step_by(BLOCK) {
        let (pop, accounts) = generator.generate_chunk(start as u64, BLOCK.min(n - start), n as u64);
        let lines = DibaoLines::new(vec![9_000.0], vec![6_000.0]);
        all.extend(outcomes_from(&pop, &accounts, None, &lines).expect("outcomes"));
    }
    (all, AllWeighting::from_profile(&profile))
}

/// Sums of every block, merged in block order.
fn block_sums(outcomes: &[HouseholdOutcome], lines: &PovertyLines) -> IndicatorSums {
    let mut total = IndicatorSums::new(lines);
    for block in outcomes.chunks(BLOCK) {
        let mut sums = IndicatorSums::new(lines);
        block.iter().for_each(|o| sums.add(o));
        total.merge(&sums);
    }
    total
}

fn indicators(c: &mut Criterion) {
    let n = 1_000_000;
    let (outcomes, weighting) = outcomes(n);
    let lines = PovertyLines::default();
    let mut group = c.benchmark_group("indicators_1m");
    group.sample_size(10);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("add_merge_finish", |b| {
        b.iter(|| {
            let sums = block_sums(black_box(&outcomes), &lines);
            YearIndicators::from_block_sums(2022, &sums, None, weighting)
        })
    });
    let sums = block_sums(&outcomes, &lines);
    group.bench_function("finish_only", |b| {
        b.iter(|| YearIndicators::from_block_sums(2022, black_box(&sums), None, weighting))
    });
    group.bench_function("exact_sort_based", |b| {
        b.iter(|| YearIndicators::from_merged(2022, &sums, None, black_box(&outcomes), weighting))
    });
    group.finish();
}

criterion_group!(benches, indicators);
criterion_main!(benches);

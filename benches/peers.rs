//! The performance peers' rules (docs/peers.md) on 1,000,000 households, as the
//! `incomesim-peers` runner applies them: three levers (edge flag from dibao) and four
//! (with the edge lever), chunks of 4,096 households in parallel.
//!
//! The population is synthetic and made here, roughly in the peers' proportions (size
//! 1–6, 60% urban, employment by age, lognormal wages, rural farm income, urban retiree
//! pensions, rural project income); set `PEERS_NPZ=/path/pop_N.npz` to bench a peers'
//! file instead.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use incomesim::microdata::npz::peers::{EdgeRule, PeerRules};
use incomesim::microdata::npz::{PeerArrays, load_npz_chunks, peer_households};
use incomesim::model::Population;
use incomesim::random::{Purpose, StreamRng};

const HOUSEHOLDS: usize = 1_000_000;
const CHUNK: usize = 4_096;

fn synthetic(n: usize) -> PeerArrays {
    let mut a = PeerArrays::default();
    for h in 0..n {
        let mut rng = StreamRng::new(42, h as u64, 2024, Purpose::Structure);
        let urban = rng.bernoulli(0.6);
        let size = 1 + (rng.uniform() * if urban { 4.5 } else { 5.5 }) as u8;
        a.hh_size.push(size.min(6));
        a.hh_urban.push(urban);
        for k in 0..size.min(6) {
            let age = if k == 0 { 18 + (rng.uniform() * 78.0) as u8 } else { (rng.uniform() * 96.0) as u8 };
            let employed =
                (18..60).contains(&age) && rng.bernoulli(0.75) || (60..80).contains(&age) && rng.bernoulli(0.2);
            let lognormal =
                |rng: &mut StreamRng, median: f64, sigma: f64| (median * (sigma * rng.normal()).exp()).round();
            let wage = if employed {
                lognormal(&mut rng, if urban { 45_000.0 } else { 18_000.0 }, 0.6)
            } else if (16..80).contains(&age) && rng.bernoulli(0.05) {
                lognormal(&mut rng, 6_000.0, 0.5)
            } else {
                0.0
            };
            let farm = !urban && (16..=75).contains(&age) && rng.bernoulli(0.5);
            a.person_hh.push(h as i32);
            a.age.push(age);
            a.severely_disabled.push(rng.bernoulli(0.02));
            a.employed.push(employed);
            a.wage_income.push(wage as f32);
            a.operating_income.push(if farm { lognormal(&mut rng, 8_000.0, 0.5) as f32 } else { 0.0 });
            a.property_income.push(if age >= 18 && rng.bernoulli(0.2) {
                lognormal(&mut rng, 2_000.0, 0.9) as f32
            } else {
                0.0
            });
            let retiree = urban && age >= 60 && rng.bernoulli(0.3);
            a.retiree_pension.push(if retiree { lognormal(&mut rng, 36_000.0, 0.25) as f32 } else { 0.0 });
            let project = k == 0 && !urban && rng.bernoulli(0.08);
            a.poverty_project_income.push(if project { 500.0 + (rng.uniform() * 2_500.0).round() as f32 } else { 0.0 });
        }
    }
    a
}

fn population() -> Vec<Population> {
    if let Ok(path) = std::env::var("PEERS_NPZ") {
        return load_npz_chunks(path.as_ref(), CHUNK).expect("PEERS_NPZ loads");
    }
    let a = synthetic(HOUSEHOLDS);
    (0..a.household_count()).step_by(CHUNK).map(|s| peer_households(&a, s..s + CHUNK, 0)).collect()
}

fn peer_rules(c: &mut Criterion) {
    let chunks = population();
    let n: usize = chunks.iter().map(|c| c.household_count()).sum();
    let mut group = c.benchmark_group("peers");
    group.throughput(Throughput::Elements(n as u64));
    group.sample_size(20);
    for (name, edge) in [("three_levers", EdgeRule::DibaoFlag), ("four_levers", EdgeRule::EdgeLever)] {
        let rules = PeerRules::new(edge).expect("levers build");
        let mut work = chunks.clone();
        group.bench_function(name, |b| b.iter_batched(|| (), |()| rules.run(&mut work), BatchSize::SmallInput));
    }
    group.finish();
}

criterion_group!(benches, peer_rules);
criterion_main!(benches);

//! The same profile, size and seed give bit-identical populations whatever the thread
//! count and chunk size; different seeds give different populations.

use incomesim::Population;
use incomesim::generate::{Generator, SynthesisOptions};
use incomesim::region::Profile;

fn generate(threads: usize, chunk: usize, seed: u64) -> Population {
    let profile = Profile::builtin("national-2022").expect("profile");
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
    pool.install(|| {
        let g = Generator::calibrate(&profile, seed).expect("calibrates");
        g.generate_with(30_000, &SynthesisOptions { chunk_households: chunk }).expect("generates")
    })
}

#[test]
fn identical_across_threads_and_chunk_sizes() {
    let a = generate(1, 16_384, 11);
    let b = generate(2, 16_384, 11);
    let c = generate(2, 1_000, 11);
    assert_eq!(a, b, "1 thread against 2 threads");
    assert_eq!(a, c, "chunks of 16,384 against chunks of 1,000");
}

#[test]
fn different_seeds_differ() {
    let a = generate(2, 4_096, 11);
    let b = generate(2, 4_096, 12);
    assert_ne!(a.persons.wage, b.persons.wage);
    assert_ne!(a.households.size, b.households.size);
}

#[test]
fn a_chunk_equals_the_same_households_of_a_whole_population() {
    let profile = Profile::builtin("national-2022").expect("profile");
    let g = Generator::calibrate(&profile, 5).expect("calibrates");
    let (whole, _) = g.generate_chunk(0, 2_000, 2_000);
    let (tail, _) = g.generate_chunk(1_500, 500, 2_000);
    for h in 0..500 {
        assert_eq!(whole.households.record(1_500 + h), tail.households.record(h));
        let a: Vec<_> = whole.members(1_500 + h).map(|i| whole.persons.record(i)).collect();
        let b: Vec<_> = tail.members(h).map(|i| tail.persons.record(i)).collect();
        assert_eq!(a, b);
    }
}

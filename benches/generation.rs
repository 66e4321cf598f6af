//! Generation speed: calibrated households per second (calibration excluded).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use incomesim::generate::Generator;
use incomesim::region::Profile;

fn generation(c: &mut Criterion) {
    let profile = Profile::builtin("liupanshui-2021").expect("profile");
    let generator = Generator::calibrate(&profile, 7).expect("calibrates");
    let mut group = c.benchmark_group("generate");
    group.sample_size(10);
    for n in [100_000usize, 1_000_000] {
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, &n| {
            b.iter(|| generator.generate(n).expect("generates"))
        });
    }
    group.finish();
    let mut cal = c.benchmark_group("calibrate");
    cal.sample_size(10);
    cal.bench_function("liupanshui-2021", |b| b.iter(|| Generator::calibrate(&profile, 7).expect("calibrates")));
    cal.finish();
}

criterion_group!(benches, generation);
criterion_main!(benches);

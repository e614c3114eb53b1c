//! Monte Carlo speed on the bundled scenarios, on one thread and on all
//! cores: prints simulated system-years per second (per core) next to
//! criterion's timing.

use std::path::Path;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use drplan::analysis::montecarlo::{SimOptions, simulate};
use drplan::model::load_file;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("montecarlo");
    g.sample_size(10);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for name in ["same-dc", "metro", "geo"] {
        let s = load_file(Path::new(&format!("scenarios/{name}.yaml"))).unwrap();
        let mut o = SimOptions::from_scenario(&s);
        o.trials = 20_000;
        for threads in [1, cores] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let started = Instant::now();
            let r = pool.install(|| simulate(&s, &o));
            let per_core = r.system_years / started.elapsed().as_secs_f64() / threads as f64;
            println!(
                "montecarlo: {name}, {threads} thread(s): {:.2} M system-years/s per core",
                per_core / 1e6
            );
            g.bench_function(
                format!("{name} 20000 trials × 10 years, {threads} thread(s)"),
                |b| {
                    b.iter(|| pool.install(|| simulate(&s, &o)));
                },
            );
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Disk projection speed: 10 years of daily backups for 100 clusters
//! (RECOVERY WINDOW OF 30 DAYS, WAL, growth).

use criterion::{Criterion, criterion_group, criterion_main};
use drplan::analysis::disk::engine::StoreSpec;
use drplan::model::units::{DAY, YEAR};
use drplan::model::{RetentionPolicy, WindowUnit};

fn spec(i: usize) -> StoreSpec {
    StoreSpec {
        backup_starts: (0..3653).map(|d| d as f64 * DAY + 3600.0).collect(),
        base_size: 500.0 * (1u64 << 30) as f64 * (1.0 + i as f64 / 100.0),
        growth_per_year: 0.2,
        size_factor: 1.0,
        throughput: 250.0 * 1024.0 * 1024.0,
        retention: RetentionPolicy::RecoveryWindow {
            count: 30,
            unit: WindowUnit::Days,
        },
        minimum_redundancy: 1,
        wal_per_sec: 10.0 * (1u64 << 30) as f64 / DAY,
        dedup: None,
        horizon: 10.0 * YEAR,
    }
}

fn bench(c: &mut Criterion) {
    let specs: Vec<StoreSpec> = (0..100).map(spec).collect();
    let mut g = c.benchmark_group("disk");
    g.sample_size(10);
    g.bench_function("10 years daily x 100 clusters", |b| {
        b.iter(|| specs.iter().map(|s| s.run().peak).max());
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Time to render the reports of the three bundled scenarios (HTML, and PDF
//! when built with the `pdf` feature), from loaded scenarios to bytes; and,
//! timed once, the whole of `drplan report` for them with 1 M Monte Carlo
//! trials each (analyses, simulation, cost-benefit re-runs at 20 000 trials
//! and rendering, through the same pipeline as the CLI).

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use drplan::analysis;
use drplan::report::{Format, build, render_all, results};

fn contexts() -> Vec<drplan::report::context::ReportContext> {
    ["geo", "metro", "same-dc"]
        .iter()
        .map(|n| {
            let path = Path::new("scenarios").join(format!("{n}.yaml"));
            let s = drplan::model::load_file(&path).expect("bundled scenario loads");
            let text = std::fs::read_to_string(&path).ok();
            build::from_scenario(&s, text.as_deref())
        })
        .collect()
}

/// What `drplan report scenarios/` does, with `trials` Monte Carlo trials per scenario.
fn full_report(trials: u64) -> usize {
    let formats: &[Format] = if cfg!(feature = "pdf") {
        &[Format::Html, Format::Pdf]
    } else {
        &[Format::Html]
    };
    let contexts: Vec<_> = ["geo", "metro", "same-dc"]
        .iter()
        .map(|n| {
            let path = Path::new("scenarios").join(format!("{n}.yaml"));
            let s = drplan::model::load_file(&path).expect("bundled scenario loads");
            let text = std::fs::read_to_string(&path).ok();
            let mut o = analysis::Options::from_scenario(&s);
            o.sim.trials = trials;
            o.rerun_trials = o.rerun_trials.min(trials);
            results::context(&s, text.as_deref(), &analysis::run(&s, &o))
        })
        .collect();
    let outputs = render_all(&contexts, formats).expect("renders");
    outputs.iter().map(|o| o.bytes.len()).sum()
}

fn bench(c: &mut Criterion) {
    // Goal (issue #9): under 10 s on the 2-core machine. Too long for
    // criterion's 10 samples, so it is timed once; `cargo test --benches`
    // (no `--bench` argument) runs it with a few trials only.
    let trials = if std::env::args().any(|a| a == "--bench") {
        1_000_000
    } else {
        1_000
    };
    let started = Instant::now();
    let bytes = full_report(trials);
    println!(
        "report: 3 scenarios × {trials} trials, analyses + simulation + rendering: {:.2} s ({bytes} bytes)",
        started.elapsed().as_secs_f64()
    );
    let ctx = contexts();
    c.bench_function("report/3 scenarios + comparison, html", |b| {
        b.iter(|| render_all(black_box(&ctx), &[Format::Html]).expect("renders"))
    });
    if cfg!(feature = "pdf") {
        c.bench_function("report/3 scenarios + comparison, html+pdf", |b| {
            b.iter(|| render_all(black_box(&ctx), &[Format::Html, Format::Pdf]).expect("renders"))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Time to render the reports of the three bundled scenarios (HTML, and PDF
//! when built with the `pdf` feature), from loaded scenarios to bytes.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use drplan::report::{Format, build, render_all};

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

fn bench(c: &mut Criterion) {
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

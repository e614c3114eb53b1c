//! PDF reports read back with poppler-utils: real searchable text with the
//! headings and key numbers, a plausible page count, and vector charts (no
//! embedded raster images). Missing poppler-utils is a failure.

#![cfg(feature = "pdf")]

mod common;

use std::path::Path;
use std::process::Command;

use drplan::report::{Format, render_all};

fn tool(name: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(name)
        .args(args)
        .arg(pdf)
        .args(if name == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "{name} missing ({e}): run scripts/test-env.sh (apt-get install -y poppler-utils)"
            )
        });
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pages(pdf: &Path) -> u32 {
    tool("pdfinfo", &[], pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("pdfinfo reports pages")
}

/// Raster images embedded in the PDF (`pdfimages -list` rows after its header).
fn images(pdf: &Path) -> usize {
    tool("pdfimages", &["-list"], pdf)
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .count()
}

fn write_all(dir: &Path, contexts: &[drplan::report::context::ReportContext]) {
    for o in render_all(contexts, &[Format::Pdf]).expect("renders") {
        std::fs::write(dir.join(&o.file_name), &o.bytes).expect("write");
    }
}

#[test]
fn pdf_reports_have_searchable_text_and_vector_charts() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_all(dir.path(), &common::bundled_with_analyses());
    for name in ["geo", "metro", "same-dc"] {
        let pdf = dir.path().join(format!("{name}.pdf"));
        let text = tool("pdftotext", &[], &pdf);
        for heading in [
            "1. Executive summary",
            "2. Topology",
            "Single points of failure and minimal cut sets",
            "Disk projection per tier",
            "Assumptions and sources of failure rates",
            "Reproducibility",
        ] {
            assert!(text.contains(heading), "{name}.pdf lacks {heading:?}");
        }
        assert!(text.contains(&format!("Disaster-recovery report: {name}")));
        assert!(
            text.contains("Not computed"),
            "{name}.pdf hides missing analyses"
        );
        // Chart text is real text too (topology host names).
        assert!(text.contains("pg-1"));
        let n = pages(&pdf);
        assert!((3..=12).contains(&n), "{name}.pdf has {n} pages");
        assert_eq!(images(&pdf), 0, "{name}.pdf embeds raster images");
    }
    let metro = tool("pdftotext", &[], &dir.path().join("metro.pdf"));
    // metro.yaml: target RPO 5 min; seed 20261125.
    assert!(metro.contains("5 min"));
    assert!(metro.contains("20261125"));
    let cmp = dir.path().join("comparison.pdf");
    let text = tool("pdftotext", &[], &cmp);
    assert!(text.contains("Scenarios side by side"));
    for name in ["geo", "metro", "same-dc"] {
        assert!(text.contains(name));
    }
    assert!((1..=4).contains(&pages(&cmp)));
}

#[test]
fn pdf_with_every_section_filled_keeps_charts_vector() {
    // Kept in the target folder for a look: $CARGO_TARGET_TMPDIR/report-pdf/.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-pdf");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let full: Vec<_> = common::bundled().into_iter().map(common::full).collect();
    write_all(&dir, &full);
    let pdf = dir.join("metro.pdf");
    let text = tool("pdftotext", &[], &pdf);
    for s in [
        "RTO distribution",
        "Disk projection",
        "Sensitivity of total cost of ownership",
        "fixture recommendation",
        // The cost chart's axis is real text too.
        "EUR per year",
    ] {
        assert!(text.contains(s), "missing {s:?}");
    }
    assert_eq!(images(&pdf), 0);
    assert!((4..=12).contains(&pages(&pdf)));
}

#[test]
fn pdf_is_deterministic() {
    let a = render_all(&common::bundled(), &[Format::Pdf]).expect("renders");
    let b = render_all(&common::bundled(), &[Format::Pdf]).expect("renders");
    assert_eq!(a, b);
}

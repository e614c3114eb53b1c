//! Cost-benefit and comparison, checked by hand: the yearly bill of the metro
//! layout line by line, the expected-loss formula, ranking and exit codes.

use std::path::Path;

mod common;
use common::Test;
use drplan::analysis::cost::{expected_loss, layout_cost};
use drplan::analysis::disk::{DiskOptions, project};
use drplan::analysis::montecarlo::{SimOptions, simulate};
use drplan::model::load_file;

#[test]
fn the_metro_bill_line_by_line() {
    let s = load_file(Path::new("scenarios/metro.yaml")).unwrap();
    let disk = project(&s, DiskOptions::default());
    let bill = layout_cost(&s, &disk);
    let line = |name: &str| {
        bill.lines
            .iter()
            .find(|l| l.item.starts_with(name))
            .map(|l| l.per_year)
            .unwrap()
    };
    assert_eq!(line("host pg-1"), 900.0 * 12.0);
    assert_eq!(line("host backup-2"), 600.0 * 12.0);
    assert_eq!(line("link par1-par2"), 1500.0 * 12.0);
    // Drills every 30 days at 150 EUR.
    assert!((line("restore drills") - 365.25 / 30.0 * 150.0).abs() < 1e-9);
    // Storage is priced at the projected peak, not the average: GiB × 0.06 EUR × 12.
    let peak = disk.tiers[0].peak as f64 / (1u64 << 30) as f64;
    assert!((line("storage barman-par1") - peak * 0.06 * 12.0).abs() < 1e-6);
    let hosts = (900.0 + 900.0 + 700.0 + 600.0 + 500.0) * 12.0;
    assert!(bill.total > hosts + 18_000.0);
    assert!((bill.total - bill.lines.iter().map(|l| l.per_year).sum::<f64>()).abs() < 1e-9);
}

#[test]
fn expected_loss_prices_downtime_lost_data_and_incidents() {
    let s = load_file(Path::new("scenarios/same-dc.yaml")).unwrap();
    let mut o = SimOptions::from_scenario(&s);
    o.trials = 5000;
    let r = simulate(&s, &o);
    let c = &r.clusters[0];
    let loss = expected_loss(&s, c);
    assert!((loss.downtime.value - c.downtime_hours_per_year.value * 20_000.0).abs() < 1e-6);
    let incidents: f64 = c.classes.iter().map(|k| k.incidents_per_year).sum();
    assert!((loss.incidents - incidents * 5_000.0).abs() < 1e-6);
    assert!(
        (loss.total.value
            - (loss.downtime.value + loss.lost_data + loss.total_loss + loss.incidents))
            .abs()
            < 1e-6
    );
    assert!(loss.total.low <= loss.total.value && loss.total.value <= loss.total.high);
}

#[test]
fn compare_ranks_and_exits_1_when_no_layout_meets_its_targets() {
    let run = |args: &[&str]| Test::new().args(args).any_status().run();
    let out = run(&[
        "compare",
        "scenarios/",
        "--trials",
        "3000",
        "--format",
        "json",
        "--sensitivity-trials",
        "1000",
    ]);
    assert_eq!(
        out.status,
        Some(1),
        "the bundled targets are strict: none meets all of them"
    );
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let layouts = &v["layouts"];
    let ranks: Vec<u64> = layouts
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(ranks, vec![1, 2, 3]);
    let tco: Vec<f64> = layouts
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["tco"]["value"].as_f64().unwrap())
        .collect();
    assert!(
        tco.windows(2).all(|w| w[0] <= w[1]),
        "ranked by TCO: {tco:?}"
    );
    assert!(
        layouts
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["pareto"] == true)
    );
    let sens = &v["sensitivity"];
    assert_eq!(sens["trials"], 1000);
    assert_eq!(sens["factors"].as_array().unwrap().len(), 4);
    let md = run(&[
        "compare",
        "scenarios/",
        "--trials",
        "2000",
        "--format",
        "markdown",
        "--sensitivity-trials",
        "0",
    ])
    .stdout;
    assert!(md.starts_with("| |") && md.contains("| TCO / yr |"));
    let csv = run(&[
        "compare",
        "scenarios/",
        "--trials",
        "2000",
        "--format",
        "csv",
    ])
    .stdout;
    assert_eq!(csv.lines().count(), 4);
}

#[test]
fn a_layout_that_meets_lenient_targets_exits_0() {
    let text = std::fs::read_to_string("scenarios/metro.yaml").unwrap();
    let lenient = text
        .replace("rto: \"4 h\"", "rto: \"2000 h\"")
        .replace("availability: \"99.95%\"", "availability: \"90%\"")
        .replace(
            "data_loss_probability: \"0.1%\"",
            "data_loss_probability: \"50%\"",
        )
        .replace("rpo: \"5 min\"", "rpo: \"1 day\"");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lenient.yaml");
    std::fs::write(&path, lenient).unwrap();
    Test::new()
        .args(["compare", "--trials", "2000", "--sensitivity-trials", "0"])
        .arg(&path)
        .stdout_contains("meets every target")
        .run();
}

#[test]
fn cost_prints_the_bill_and_exits_1_on_missed_targets() {
    Test::new()
        .args(["cost", "scenarios/metro.yaml", "--trials", "2000"])
        .status(1)
        .stdout_contains("host pg-1")
        .stdout_contains("10800 EUR")
        .stdout_contains("Total cost of ownership")
        .run();
}

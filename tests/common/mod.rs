//! Shared helpers of the integration tests: [`Test`], a builder that runs
//! the `drplan` binary and checks what it printed; the bundled scenarios as
//! report contexts, assembled through [`drplan::analysis::run`] as `drplan
//! report` does; and one context with every analysis section filled by a
//! test fixture (made-up numbers, only to exercise every chart and table).

#![allow(dead_code, unused_imports)]

mod cli;
pub mod realenv;
pub use cli::{Ran, Test};

use std::path::Path;

use drplan::report::build;
use drplan::report::context::*;

/// The bundled scenarios, in file-name order: each scenario, the text of
/// its file (read once, for the comments the report quotes).
pub fn bundled_scenarios() -> Vec<(drplan::model::Scenario, String)> {
    ["geo", "metro", "same-dc"]
        .iter()
        .map(|name| {
            let path = Path::new("scenarios").join(format!("{name}.yaml"));
            let text = std::fs::read_to_string(&path).expect("bundled scenario reads");
            let s = drplan::model::load_str(&text, &path).expect("bundled scenario loads");
            (s, text)
        })
        .collect()
}

/// The analyses of `s` through the library's one pipeline; `trials` Monte
/// Carlo trials (and at most that many for every re-run), or no simulation
/// at all with `None`.
pub fn analyses(s: &drplan::model::Scenario, trials: Option<u64>) -> drplan::analysis::Analyses {
    let mut o = drplan::analysis::Options::from_scenario(s);
    match trials {
        Some(t) => {
            o.sim.trials = t;
            o.rerun_trials = o.rerun_trials.min(t);
        }
        None => o.simulate = false,
    }
    drplan::analysis::run(s, &o)
}

/// The bundled scenarios, in file-name order, as model-only contexts.
pub fn bundled() -> Vec<ReportContext> {
    bundled_scenarios()
        .iter()
        .map(|(s, text)| build::from_scenario(s, Some(text)))
        .collect()
}

/// The bundled scenarios with the analyses that need no simulation filled
/// in (SPOF, disk and bandwidth), through the same pipeline as `drplan report`.
pub fn bundled_with_analyses() -> Vec<ReportContext> {
    bundled_scenarios()
        .iter()
        .map(|(s, text)| drplan::report::results::context(s, Some(text), &analyses(s, None)))
        .collect()
}

fn est(value: f64, half: f64) -> Figure {
    Figure {
        value,
        low: value - half,
        high: value + half,
        level: 0.95,
    }
}

fn dist(scale: f64) -> DistributionSummary {
    let counts = vec![40, 120, 260, 300, 180, 70, 20, 10];
    let edges = (0..=counts.len()).map(|i| i as f64 * scale).collect();
    DistributionSummary {
        count: counts.iter().sum(),
        p50: 3.5 * scale,
        p95: 6.0 * scale,
        p99: 7.2 * scale,
        max: 8.0 * scale,
        edges,
        counts,
    }
}

/// A context with every optional section present (test fixture values).
pub fn full(mut c: ReportContext) -> ReportContext {
    c.recommendation = Some("fixture recommendation".into());
    for (i, t) in c.targets.iter_mut().enumerate() {
        t.achieved = Some(Achieved {
            value: format!("fixture value {i}"),
            interval: Some("fixture CI".into()),
            met: i % 2 == 0,
            status: if i % 2 == 0 { "met" } else { "breached" },
        });
    }
    let first_host = c.topology.sites[0].hosts[0].name.clone();
    c.topology.spofs = vec![c.topology.sites[0].name.clone(), first_host.clone()];
    c.spof = Some(SpofSection {
        questions: vec![QuestionRow {
            cluster: "main".into(),
            question: "data".into(),
            paths: vec!["fixture path".into()],
            probability: 1e-3,
            measure: "fixture measure".into(),
        }],
        notices: vec!["fixture network note".into()],
        spofs: vec![SpofRow {
            component: first_host.clone(),
            cluster: "main".into(),
            question: "service".into(),
            explanation: "fixture explanation".into(),
        }],
        cut_sets: vec![CutSetRow {
            question: "data".into(),
            components: vec!["a".into(), "b".into()],
            probability: Some(1e-4),
        }],
        importance: vec![ImportanceRow {
            question: "data".into(),
            component: first_host,
            birnbaum: 0.01,
            fussell_vesely: 0.5,
            raw: 12.0,
        }],
        max_order: 3,
    });
    c.montecarlo = Some(MonteCarloSection {
        trials: 1000,
        horizon_years: 10.0,
        seed: 7,
        clusters: vec![ClusterMonteCarlo {
            name: "main".into(),
            availability: est(0.9995, 0.0001),
            downtime_hours_per_year: est(4.0, 0.2),
            p_data_loss_per_year: est(1e-3, 2e-4),
            data_loss_estimator: "naive MC".into(),
            rto_hours: dist(0.5),
            rpo_hours: dist(0.01),
            by_class: vec![FailureClassRow {
                class: "host outage".into(),
                incidents_per_year: 0.5,
                mean_downtime_hours: 0.1,
                mean_data_loss_hours: 0.0,
            }],
        }],
    });
    let gib = 1024.0 * 1024.0 * 1024.0;
    let points: Vec<(f64, f64)> = (0..=60)
        .map(|d| (d as f64, (500.0 + 40.0 * (d % 31) as f64) * gib))
        .collect();
    c.disk = Some(vec![DiskCurve {
        tier: c.tiers[0].name.clone(),
        points,
        peak: (1700.0 * gib) as u64,
        steady: (1100.0 * gib) as u64,
        recommended: (2210.0 * gib) as u64,
        configured: Some((1500.0 * gib) as u64),
        fills_on_day: Some(25.0),
        cost_per_month: 132.0,
    }]);
    c.bandwidth = Some(BandwidthSection {
        rows: vec![LinkLoadRow {
            flow: "fixture flow".into(),
            path: "fixture-link".into(),
            load: 1e6,
            capacity: Some(1.25e8),
            utilisation: Some(0.8),
            full_backup_hours: 2.0,
            interval_hours: 24.0,
            ok: false,
        }],
        restores: vec![RestoreRow {
            from: "t".into(),
            to: "h".into(),
            bytes: 1 << 30,
            hours: 1.5,
        }],
    });
    c.cost_benefit = Some(CostBenefit {
        cost_per_year: 90_000.0,
        cost_by_category: vec![("hosts".into(), 60_000.0), ("storage".into(), 30_000.0)],
        expected_loss: est(20_000.0, 3_000.0),
        loss_parts: vec![("downtime".into(), 15_000.0), ("lost data".into(), 5_000.0)],
        p99_downtime_cost: Some(250_000.0),
        tco: 110_000.0,
        trials: 1000,
        tier_trials: 1000,
        tiers: vec![TierValueRow {
            tier: c.tiers[0].name.clone(),
            cost_added: 10_000.0,
            loss_avoided: 30_000.0,
            net_benefit: 20_000.0,
            payback_years: Some(0.3),
            verdict: "fixture verdict".into(),
        }],
    });
    c.tornado = Some(Tornado {
        base: 110_000.0,
        trials: 1000,
        bars: vec![
            TornadoBar {
                input: "cost of downtime ±50 %".into(),
                low: 95_000.0,
                high: 125_000.0,
            },
            TornadoBar {
                input: "failure rates ±50 %".into(),
                low: 100_000.0,
                high: 121_000.0,
            },
        ],
    });
    c
}

/// Section ids, headings, captions and chart ids of an HTML report, one
/// per line: the structure a snapshot pins while the numbers may change.
pub fn structure(html: &str) -> String {
    let re = regex::Regex::new(
        r#"<section id="([^"]+)"|<h[123][^>]*>([^<]+)</h[123]>|<caption>([^<]+)</caption>|<figure class="chart" id="([^"]+)"|<p class="notice ([^"]+)""#,
    )
    .expect("regex");
    let mut out = String::new();
    for c in re.captures_iter(html) {
        let line = if let Some(m) = c.get(1) {
            format!("section #{}", m.as_str())
        } else if let Some(m) = c.get(2) {
            format!("  heading: {}", m.as_str())
        } else if let Some(m) = c.get(3) {
            format!("    table: {}", m.as_str())
        } else if let Some(m) = c.get(4) {
            format!("    figure: {}", m.as_str())
        } else {
            format!("    notice: {}", c.get(5).map_or("", |m| m.as_str()))
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

//! The comparison document: several scenarios side by side, one column each.

use super::scenario::{categories, estimate};
use super::{Block, Cell, Document, Notice, Section, Table, not_computed};
use crate::report::build::{money, percent};
use crate::report::charts::{self, ChartError, pareto::Point};
use crate::report::context::{ClusterMonteCarlo, ComparisonContext, ReportContext};

/// Lay out the comparison of several scenarios.
pub fn comparison(c: &ComparisonContext) -> Result<Document, ChartError> {
    let names: Vec<&str> = c.reports.iter().map(|r| r.name.as_str()).collect();
    let currency = c
        .reports
        .first()
        .map(|r| r.currency.clone())
        .unwrap_or_default();
    let mut headers = vec!["".to_string()];
    headers.extend(names.iter().map(|n| n.to_string()));
    let hdr: Vec<&str> = headers.iter().map(String::as_str).collect();
    let numeric: Vec<usize> = (1..hdr.len()).collect();
    let mut t = Table::new("Scenarios side by side", &hdr, &numeric);
    t.headers[0] = "Measure".into();
    let mut row = |label: &str, cells: Vec<Cell>| {
        let mut r = vec![Cell::plain(label)];
        r.extend(cells);
        t.rows.push(r);
    };
    let plain = |f: &dyn Fn(&crate::report::context::ReportContext) -> String| -> Vec<Cell> {
        c.reports.iter().map(|r| Cell::plain(f(r))).collect()
    };
    row("Sites", plain(&|r| r.topology.sites.len().to_string()));
    row(
        "Hosts",
        plain(&|r| {
            r.topology
                .sites
                .iter()
                .map(|s| s.hosts.len())
                .sum::<usize>()
                .to_string()
        }),
    );
    row("Backup tiers", plain(&|r| r.tiers.len().to_string()));
    row(
        &format!("Cost, {currency}/yr"),
        plain(&|r| money(r.cost_per_year())),
    );
    row(
        "Availability",
        plain(&|r| {
            worst(r, |c| -c.availability.value).map_or("not computed".into(), |c| {
                estimate(&c.availability, percent)
            })
        }),
    );
    row(
        "P(data loss) / yr",
        plain(&|r| {
            worst(r, |c| c.p_data_loss_per_year.value).map_or("not computed".into(), |c| {
                format!("{:.2e}", c.p_data_loss_per_year.value)
            })
        }),
    );
    row(
        "p95 RTO",
        plain(&|r| {
            worst(r, |c| c.rto_hours.p95).map_or("not computed".into(), |c| {
                format!("{:.2} h", c.rto_hours.p95)
            })
        }),
    );
    row(
        "p95 RPO",
        plain(&|r| {
            worst(r, |c| c.rpo_hours.p95).map_or("not computed".into(), |c| {
                format!("{:.3} h", c.rpo_hours.p95)
            })
        }),
    );
    row(
        &format!("Expected loss, {currency}/yr"),
        plain(&|r| {
            r.cost_benefit
                .as_ref()
                .map_or("not computed".into(), |cb| money(cb.expected_loss.value))
        }),
    );
    row(
        &format!("Total cost of ownership, {currency}/yr"),
        plain(&|r| {
            r.cost_benefit
                .as_ref()
                .map_or("not computed".into(), |cb| money(cb.tco))
        }),
    );
    row(
        "Targets met",
        c.reports
            .iter()
            .map(|r| {
                let achieved: Vec<bool> = r
                    .targets
                    .iter()
                    .filter_map(|t| t.achieved.as_ref().map(|a| a.met))
                    .collect();
                if achieved.is_empty() || achieved.len() < r.targets.len() {
                    Cell::plain("not computed")
                } else {
                    let met = achieved.iter().filter(|m| **m).count();
                    Cell::status(
                        format!("{met} of {}", achieved.len()),
                        met == achieved.len(),
                    )
                }
            })
            .collect(),
    );
    let mut summary = Vec::new();
    match &c.recommendation {
        Some(r) => summary.push(Block::Notice(Notice {
            kind: "ok",
            text: format!("Recommendation: {r}"),
        })),
        None => summary.push(not_computed(
            "the ranking by total cost of ownership and the recommendation",
            "drplan compare",
        )),
    }
    summary.push(Block::Table(t));

    // The expected loss stacks on the bill when every scenario has it.
    let with_loss = c.reports.iter().all(|r| r.cost_benefit.is_some());
    let per_report: Vec<(Vec<String>, Vec<f64>)> = c.reports.iter().map(categories).collect();
    let mut cats: Vec<String> = Vec::new();
    for (names, _) in &per_report {
        for n in names {
            if !cats.contains(n) {
                cats.push(n.clone());
            }
        }
    }
    let bars: Vec<(String, Vec<f64>)> = c
        .reports
        .iter()
        .zip(&per_report)
        .map(|(r, (names, amounts))| {
            let mut v: Vec<f64> = cats
                .iter()
                .map(|cat| {
                    names
                        .iter()
                        .zip(amounts)
                        .filter(|(n, _)| *n == cat)
                        .map(|(_, a)| a)
                        .sum()
                })
                .collect();
            if let Some(cb) = r.cost_benefit.as_ref().filter(|_| with_loss) {
                v.push(cb.expected_loss.value);
            }
            (r.name.clone(), v)
        })
        .collect();
    let mut layers = cats;
    if with_loss {
        layers.push("expected loss".into());
    }
    let mut cost = vec![Block::Chart(charts::stacked_costs(
        "chart-cost-comparison",
        &currency,
        &layers,
        &bars,
    )?)];
    let points: Option<Vec<Point>> = c
        .reports
        .iter()
        .map(|r| {
            r.cost_benefit.as_ref().map(|cb| Point {
                name: r.name.clone(),
                cost: cb.cost_per_year,
                loss: cb.expected_loss.value,
                optimal: c
                    .pareto_optimal
                    .as_ref()
                    .is_some_and(|o| o.contains(&r.name)),
            })
        })
        .collect();
    match points {
        Some(p) if !p.is_empty() => {
            cost.push(Block::Chart(charts::pareto("chart-pareto", &currency, &p)?))
        }
        _ => cost.push(not_computed(
            "the Pareto view of cost against expected loss (it needs the simulation)",
            "drplan compare",
        )),
    }
    let links = c
        .reports
        .iter()
        .map(|r| (r.name.clone(), format!("{}.html", r.name)))
        .collect::<Vec<_>>();
    Ok(Document {
        title: "Disaster-recovery layouts compared".into(),
        subtitle: format!("{} scenarios: {}", names.len(), names.join(", ")),
        sections: vec![
            Section {
                id: "summary".into(),
                title: "Summary".into(),
                blocks: summary,
            },
            Section {
                id: "cost".into(),
                title: "Cost".into(),
                blocks: cost,
            },
            Section {
                id: "details".into(),
                title: "Per-scenario reports".into(),
                blocks: vec![
                    Block::Paragraph("Each scenario has its own report beside this one:".into()),
                    Block::Links(links),
                ],
            },
        ],
    })
}

/// The layout's cluster that does worst by `key` (largest): a layout is
/// summarised by its weakest cluster.
fn worst(r: &ReportContext, key: impl Fn(&ClusterMonteCarlo) -> f64) -> Option<&ClusterMonteCarlo> {
    r.montecarlo.as_ref().and_then(|m| m.worst(key))
}

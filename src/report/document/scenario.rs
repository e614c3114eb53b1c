//! The document of one scenario's report, section by section.

use super::{Block, Cell, Document, Notice, Section, Table, not_computed};
use crate::report::build::{money, percent};
use crate::report::charts::{self, ChartError};
use crate::report::context::{Estimate, ReportContext};

/// Lay out one scenario's report.
pub fn scenario(c: &ReportContext) -> Result<Document, ChartError> {
    Ok(Document {
        title: format!("Disaster-recovery report: {}", c.name),
        subtitle: format!("Scenario file {} · Barman {}", c.source, c.barman_version),
        sections: vec![
            summary(c),
            topology(c),
            spof(c),
            montecarlo(c)?,
            disk(c)?,
            bandwidth(c),
            cost(c)?,
            barman(c),
            assumptions(c),
            reproducibility(c),
        ],
    })
}

fn section(id: &str, title: &str, blocks: Vec<Block>) -> Section {
    Section {
        id: id.to_string(),
        title: title.to_string(),
        blocks,
    }
}

/// "0.9998 (95 % CI 0.9997–0.9999)".
pub(crate) fn estimate(e: &Estimate, fmt: impl Fn(f64) -> String) -> String {
    format!(
        "{} ({:.0} % CI {} – {})",
        fmt(e.value),
        e.level * 100.0,
        fmt(e.low),
        fmt(e.high)
    )
}

fn summary(c: &ReportContext) -> Section {
    let mut b = Vec::new();
    if let Some(d) = &c.description {
        b.push(Block::Paragraph(d.clone()));
    }
    match &c.recommendation {
        Some(r) => b.push(Block::Notice(Notice {
            kind: "ok",
            text: format!("Recommendation: {r}"),
        })),
        None => b.push(not_computed(
            "the recommendation (it needs the simulation and cost-benefit results)",
            "drplan compare",
        )),
    }
    let hosts: usize = c.topology.sites.iter().map(|s| s.hosts.len()).sum();
    b.push(Block::Facts(vec![
        ("Sites".into(), c.topology.sites.len().to_string()),
        ("Hosts".into(), hosts.to_string()),
        ("Backup tiers".into(), c.tiers.len().to_string()),
        (
            "Stated cost per year".into(),
            format!("{} {}", money(c.configured_cost_per_year()), c.currency),
        ),
    ]));
    let mut t = Table::new(
        "Recovery targets and what the layout achieves",
        &["Target", "Required", "Achieved", "Status"],
        &[],
    );
    for row in &c.targets {
        let (achieved, status) = match &row.achieved {
            Some(a) => {
                let v = match &a.interval {
                    Some(i) => format!("{} ({i})", a.value),
                    None => a.value.clone(),
                };
                (
                    Cell::plain(v),
                    Cell::status(if a.met { "met" } else { "breached" }, a.met),
                )
            }
            None => (Cell::plain("not computed"), Cell::plain("not computed")),
        };
        t.rows.push(vec![
            Cell::plain(&row.metric),
            Cell::plain(&row.target),
            achieved,
            status,
        ]);
    }
    if t.rows.is_empty() {
        b.push(Block::Paragraph(
            "The scenario states no recovery targets.".into(),
        ));
    } else {
        b.push(Block::Table(t));
    }
    section("summary", "Executive summary", b)
}

fn topology(c: &ReportContext) -> Section {
    let mut t = Table::new("Hosts", &["Host", "Site", "Rack", "Role", "Runs"], &[]);
    for s in &c.topology.sites {
        for h in &s.hosts {
            t.row([
                h.name.clone(),
                s.name.clone(),
                h.rack.clone().unwrap_or_else(|| "—".into()),
                h.role.clone(),
                if h.services.is_empty() {
                    "—".into()
                } else {
                    h.services.join("; ")
                },
            ]);
        }
    }
    let mut b = vec![Block::Chart(charts::topology(
        "chart-topology",
        &c.topology,
    ))];
    if c.spof.is_none() {
        b.push(Block::Paragraph(
            "Single points of failure are outlined in red once the SPOF analysis has run; it has not run for this report.".into(),
        ));
    }
    b.push(Block::Table(t));
    section("topology", "Topology", b)
}

fn spof(c: &ReportContext) -> Section {
    let Some(s) = &c.spof else {
        return section(
            "spof",
            "Single points of failure and minimal cut sets",
            vec![not_computed(
                "the SPOF and minimal cut set analysis",
                "drplan spof",
            )],
        );
    };
    let mut b = Vec::new();
    let mut t = Table::new(
        "How likely each question fails",
        &[
            "Cluster",
            "Question",
            "Ways through",
            "Probability",
            "Meaning",
        ],
        &[3],
    );
    for q in &s.questions {
        t.row([
            q.cluster.clone(),
            q.question.clone(),
            q.paths.join("; "),
            format!("{:.2e}", q.probability),
            q.measure.clone(),
        ]);
    }
    b.push(Block::Table(t));
    if s.spofs.is_empty() {
        b.push(Block::Notice(Notice {
            kind: "ok",
            text: "No single component loses the service or the data.".into(),
        }));
    } else {
        let mut t = Table::new(
            "Single points of failure",
            &["Component", "Cluster", "Loses", "Why"],
            &[],
        );
        for r in &s.spofs {
            t.row([
                r.component.clone(),
                r.cluster.clone(),
                r.question.clone(),
                r.explanation.clone(),
            ]);
        }
        b.push(Block::Table(t));
    }
    for n in &s.network {
        b.push(Block::Notice(Notice {
            kind: "warning",
            text: n.clone(),
        }));
    }
    let mut t = Table::new(
        &format!(
            "Most likely minimal cut sets of two or more components (up to order {})",
            s.max_order
        ),
        &["Loses", "Components failing together", "Probability"],
        &[2],
    );
    for r in &s.cut_sets {
        t.row([
            r.question.clone(),
            r.components.join(" + "),
            r.probability
                .map_or_else(|| "—".into(), |p| format!("{p:.2e}")),
        ]);
    }
    if !t.rows.is_empty() {
        b.push(Block::Table(t));
    }
    let mut t = Table::new(
        "Importance ranking (harden the top rows first)",
        &[
            "Component",
            "Question",
            "Fussell-Vesely",
            "Birnbaum",
            "Risk achievement worth",
        ],
        &[2, 3, 4],
    );
    for r in &s.importance {
        t.row([
            r.component.clone(),
            r.question.clone(),
            format!("{:.3}", r.fussell_vesely),
            format!("{:.3e}", r.birnbaum),
            format!("{:.1}", r.raw),
        ]);
    }
    b.push(Block::Table(t));
    section("spof", "Single points of failure and minimal cut sets", b)
}

fn montecarlo(c: &ReportContext) -> Result<Section, ChartError> {
    let title = "Monte Carlo simulation";
    let Some(m) = &c.montecarlo else {
        return Ok(section(
            "montecarlo",
            title,
            vec![not_computed(
                "the failure simulation (availability, RTO/RPO distributions, P(data loss))",
                "drplan simulate",
            )],
        ));
    };
    let mut b = vec![Block::Facts(vec![
        ("Trials".into(), m.trials.to_string()),
        (
            "Horizon per trial".into(),
            format!("{} years", m.horizon_years),
        ),
        ("Seed".into(), m.seed.to_string()),
        ("Availability".into(), estimate(&m.availability, percent)),
        (
            "Downtime per year".into(),
            estimate(&m.downtime_hours_per_year, |v| format!("{v:.2} h")),
        ),
        (
            format!("P(any data loss) per year ({})", m.data_loss_estimator),
            estimate(&m.p_data_loss_per_year, |v| format!("{v:.2e}")),
        ),
    ])];
    let mut t = Table::new(
        "Recovery time and data lost per incident",
        &["Quantity", "Incidents", "p50", "p95", "p99", "max"],
        &[1, 2, 3, 4, 5],
    );
    for (name, d) in [
        ("RTO (hours down)", &m.rto_hours),
        ("RPO (hours of data lost)", &m.rpo_hours),
    ] {
        t.row([
            name.to_string(),
            d.count.to_string(),
            format!("{:.2}", d.p50),
            format!("{:.2}", d.p95),
            format!("{:.2}", d.p99),
            format!("{:.2}", d.max),
        ]);
    }
    b.push(Block::Table(t));
    b.push(Block::Chart(charts::histogram_ecdf(
        "chart-rto",
        "RTO distribution",
        "hours down per incident",
        &m.rto_hours,
    )?));
    b.push(Block::Chart(charts::histogram_ecdf(
        "chart-rpo",
        "RPO distribution",
        "hours of data lost per incident",
        &m.rpo_hours,
    )?));
    let mut t = Table::new(
        "By failure class",
        &[
            "Class",
            "Incidents / yr",
            "Mean downtime (h)",
            "Mean data lost (h)",
        ],
        &[1, 2, 3],
    );
    for r in &m.by_class {
        t.row([
            r.class.clone(),
            format!("{:.3e}", r.incidents_per_year),
            format!("{:.2}", r.mean_downtime_hours),
            format!("{:.3}", r.mean_data_loss_hours),
        ]);
    }
    b.push(Block::Table(t));
    Ok(section("montecarlo", title, b))
}

fn disk(c: &ReportContext) -> Result<Section, ChartError> {
    let mut t = Table::new(
        "Backup tiers as configured",
        &[
            "Tier",
            "Kind",
            "Where",
            "Retention",
            "Schedule",
            "Compression",
            "Volume",
        ],
        &[],
    );
    for r in &c.tiers {
        t.row([
            r.name.clone(),
            r.kind.clone(),
            r.location.clone(),
            r.retention.clone(),
            r.schedule.clone(),
            r.compression.clone(),
            r.volume.clone().unwrap_or_else(|| "—".into()),
        ]);
    }
    let mut b = vec![Block::Table(t)];
    match &c.disk {
        None => b.push(not_computed("the disk projection per tier", "drplan disk")),
        Some(curves) => {
            let gib = |v: u64| format!("{:.1} GiB", v as f64 / 1024f64.powi(3));
            let mut t = Table::new(
                "Projected storage per tier",
                &[
                    "Tier",
                    "Peak",
                    "Steady state",
                    "Recommended volume",
                    "Configured",
                    "Fills on day",
                    "Cost / month",
                ],
                &[1, 2, 3, 4, 5, 6],
            );
            for d in curves {
                let fits = d.configured.is_none_or(|v| v >= d.peak);
                t.rows.push(vec![
                    Cell::plain(&d.tier),
                    Cell::plain(gib(d.peak)),
                    Cell::plain(gib(d.steady)),
                    Cell::plain(gib(d.recommended)),
                    d.configured
                        .map_or_else(|| Cell::plain("—"), |v| Cell::status(gib(v), fits)),
                    Cell::plain(
                        d.fills_on_day
                            .map_or_else(|| "—".into(), |v| format!("{v:.0}")),
                    ),
                    Cell::plain(format!("{} {}", money(d.cost_per_month), c.currency)),
                ]);
            }
            b.push(Block::Table(t));
            for (i, d) in curves.iter().enumerate() {
                b.push(Block::Chart(charts::disk_projection(
                    &format!("chart-disk-{i}"),
                    d,
                )?));
            }
        }
    }
    Ok(section("disk", "Disk projection per tier", b))
}

fn bandwidth(c: &ReportContext) -> Section {
    let Some(rows) = &c.bandwidth else {
        return section(
            "bandwidth",
            "Bandwidth",
            vec![not_computed("the bandwidth projection", "drplan disk")],
        );
    };
    let mb = |v: f64| format!("{:.1} MB/s", v / 1e6);
    let mut t = Table::new(
        "Load per link",
        &[
            "Link",
            "Carries",
            "Sustained",
            "Peak",
            "Capacity",
            "Full-backup transfer",
            "Verdict",
        ],
        &[2, 3, 4, 5],
    );
    for r in rows {
        t.rows.push(vec![
            Cell::plain(&r.link),
            Cell::plain(&r.flows),
            Cell::plain(mb(r.load)),
            Cell::plain(mb(r.peak)),
            Cell::plain(mb(r.capacity)),
            Cell::plain(
                r.restore_transfer_secs
                    .map_or_else(|| "—".into(), |s| format!("{:.1} h", s / 3600.0)),
            ),
            Cell::status(
                if r.ok {
                    "carries its load"
                } else {
                    "overloaded"
                },
                r.ok,
            ),
        ]);
    }
    section("bandwidth", "Bandwidth", vec![Block::Table(t)])
}

fn cost(c: &ReportContext) -> Result<Section, ChartError> {
    let cur = &c.currency;
    let mut t = Table::new(
        "Yearly cost stated by the scenario",
        &["Category", "Item", "Basis", &format!("{cur} / yr")],
        &[3],
    );
    for l in &c.costs {
        t.row([
            l.category.clone(),
            l.item.clone(),
            l.basis.clone(),
            money(l.per_year),
        ]);
    }
    t.row([
        "total".to_string(),
        String::new(),
        String::new(),
        money(c.configured_cost_per_year()),
    ]);
    let mut categories: Vec<String> = Vec::new();
    for l in &c.costs {
        if !categories.contains(&l.category) {
            categories.push(l.category.clone());
        }
    }
    let mut amounts: Vec<f64> = categories
        .iter()
        .map(|cat| {
            c.costs
                .iter()
                .filter(|l| &l.category == cat)
                .map(|l| l.per_year)
                .sum()
        })
        .collect();
    if let Some(cb) = &c.cost_benefit {
        categories.push("expected loss".into());
        amounts.push(cb.expected_loss.value);
    }
    let mut b = vec![
        Block::Table(t),
        Block::Chart(charts::stacked_costs(
            "chart-cost",
            cur,
            &categories,
            &[(c.name.clone(), amounts)],
        )?),
    ];
    match &c.cost_benefit {
        None => b.push(not_computed(
            "the cost-benefit analysis (expected loss, storage sized by the disk projection, net benefit per tier)",
            "drplan cost",
        )),
        Some(cb) => {
            b.push(Block::Facts(vec![
                ("Cost of the layout".into(), format!("{} {cur}/yr", money(cb.cost_per_year))),
                ("Expected loss".into(), estimate(&cb.expected_loss, |v| format!("{} {cur}/yr", money(v)))),
                ("p99 annual loss".into(), format!("{} {cur}", money(cb.p99_loss))),
                ("Total cost of ownership".into(), format!("{} {cur}/yr", money(cb.tco))),
            ]));
            let mut t = Table::new(
                "What each tier buys",
                &["Tier", "Cost added / yr", "Loss avoided / yr", "Payback"],
                &[1, 2, 3],
            );
            for r in &cb.tiers {
                t.row([
                    r.tier.clone(),
                    money(r.cost_added),
                    money(r.loss_avoided),
                    r.payback_years.map_or_else(|| "never".into(), |y| format!("{y:.1} years")),
                ]);
            }
            b.push(Block::Table(t));
        }
    }
    match &c.tornado {
        None => b.push(not_computed(
            "the sensitivity analysis (tornado)",
            "drplan cost",
        )),
        Some(tor) => b.push(Block::Chart(charts::tornado("chart-tornado", cur, tor)?)),
    }
    Ok(section("cost", "Cost and cost-benefit", b))
}

fn barman(c: &ReportContext) -> Section {
    section(
        "barman",
        "Barman configuration",
        vec![Block::Paragraph(format!(
            "The deployable Barman and PostgreSQL configuration for this layout is generated by `drplan export {}` (one file per server, with the cron entries and the restore drill script); it is not embedded in this report.",
            c.source
        ))],
    )
}

fn assumptions(c: &ReportContext) -> Section {
    let mut t = Table::new(
        "Failure rates assumed, and where they come from",
        &[
            "Component",
            "Applies to",
            "Mode",
            "Events / yr",
            "Repair",
            "Distributions",
            "Source",
        ],
        &[3],
    );
    for a in &c.assumptions {
        t.row([
            a.class.clone(),
            a.components.join(", "),
            a.mode.clone(),
            format!("{:.3e}", a.rate_per_year),
            a.repair.clone(),
            a.distribution.clone(),
            a.source
                .clone()
                .unwrap_or_else(|| "not stated in the scenario".into()),
        ]);
    }
    section(
        "assumptions",
        "Assumptions and sources of failure rates",
        vec![Block::Table(t)],
    )
}

fn reproducibility(c: &ReportContext) -> Section {
    section(
        "reproducibility",
        "Reproducibility",
        vec![
            Block::Facts(vec![
                ("Scenario file".into(), c.source.clone()),
                ("Monte Carlo trials (scenario)".into(), c.simulation.trials.to_string()),
                ("Seed".into(), c.simulation.seed.to_string()),
                ("Horizon per trial".into(), c.simulation.horizon.clone()),
            ]),
            Block::Paragraph(
                "The same scenario and seed produce a byte-identical report: it carries no timestamp.".into(),
            ),
        ],
    )
}

//! The sections that present analysis results (SPOF, Monte Carlo, disk,
//! bandwidth) of one scenario's report; each says "not computed" when its
//! result is absent.

use super::scenario::{estimate, sci, section};
use super::{Block, Cell, Notice, Section, Table, not_computed};
use crate::report::build::{money, percent};
use crate::report::charts::{self, ChartError};
use crate::report::context::{ClusterMonteCarlo, ReportContext};

pub(crate) fn spof(c: &ReportContext) -> Section {
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
            sci(q.probability),
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
    for n in &s.notices {
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
            r.probability.map_or_else(|| "—".into(), sci),
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
            sci(r.birnbaum),
            format!("{:.1}", r.raw),
        ]);
    }
    b.push(Block::Table(t));
    section("spof", "Single points of failure and minimal cut sets", b)
}

pub(crate) fn montecarlo(c: &ReportContext) -> Result<Section, ChartError> {
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
    ])];
    let several = m.clusters.len() > 1;
    for (i, cl) in m.clusters.iter().enumerate() {
        // One cluster keeps the plain names; several are told apart.
        let of = |what: &str| {
            if several {
                format!("{what}, cluster `{}`", cl.name)
            } else {
                what.to_string()
            }
        };
        let id = |base: &str| {
            if i == 0 {
                base.to_string()
            } else {
                format!("{base}-{i}")
            }
        };
        b.extend(montecarlo_cluster(cl, &of, &id)?);
    }
    Ok(section("montecarlo", title, b))
}

/// The blocks of one cluster's results; `of` names a caption, `id` a chart.
fn montecarlo_cluster(
    m: &ClusterMonteCarlo,
    of: &dyn Fn(&str) -> String,
    id: &dyn Fn(&str) -> String,
) -> Result<Vec<Block>, ChartError> {
    let mut b = vec![Block::Facts(vec![
        (of("Availability"), estimate(&m.availability, percent)),
        (
            of("Downtime per year"),
            estimate(&m.downtime_hours_per_year, |v| format!("{v:.2} h")),
        ),
        (
            of(&format!(
                "P(any data loss) per year ({})",
                m.data_loss_estimator
            )),
            estimate(&m.p_data_loss_per_year, |v| format!("{v:.2e}")),
        ),
    ])];
    let mut t = Table::new(
        &of("Recovery time and data lost per incident"),
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
        &id("chart-rto"),
        &of("RTO distribution"),
        "hours down per incident",
        &m.rto_hours,
    )?));
    b.push(Block::Chart(charts::histogram_ecdf(
        &id("chart-rpo"),
        &of("RPO distribution"),
        "hours of data lost per incident",
        &m.rpo_hours,
    )?));
    let mut t = Table::new(
        &of("By failure class"),
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
    Ok(b)
}

pub(crate) fn disk(c: &ReportContext) -> Result<Section, ChartError> {
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

pub(crate) fn bandwidth(c: &ReportContext) -> Section {
    let Some(bw) = &c.bandwidth else {
        return section(
            "bandwidth",
            "Bandwidth",
            vec![not_computed("the bandwidth projection", "drplan disk")],
        );
    };
    let mb = |v: f64| format!("{:.1} MB/s", v / 1e6);
    let mut t = Table::new(
        "Load per flow and path",
        &[
            "Flow",
            "Path",
            "Mean load",
            "Capacity",
            "Utilisation",
            "Full backup moves in",
            "Verdict",
        ],
        &[2, 3, 4, 5],
    );
    for r in &bw.rows {
        t.rows.push(vec![
            Cell::plain(&r.flow),
            Cell::plain(&r.path),
            Cell::plain(mb(r.load)),
            Cell::plain(r.capacity.map_or_else(|| "LAN".into(), mb)),
            Cell::plain(
                r.utilisation
                    .map_or_else(|| "—".into(), |u| format!("{:.1} %", u * 100.0)),
            ),
            Cell::plain(format!(
                "{:.1} h (every {:.0} h)",
                r.full_backup_hours, r.interval_hours
            )),
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
    let mut b = vec![Block::Table(t)];
    if !bw.restores.is_empty() {
        let mut t = Table::new(
            "Moving a full backup back for a restore",
            &["From", "Onto", "Size", "Transfer"],
            &[2, 3],
        );
        for r in &bw.restores {
            t.row([
                r.from.clone(),
                r.to.clone(),
                crate::model::Bytes(r.bytes).to_string(),
                format!("{:.1} h", r.hours),
            ]);
        }
        b.push(Block::Table(t));
    }
    section("bandwidth", "Bandwidth", b)
}

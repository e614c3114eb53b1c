//! The document of one scenario's report, section by section.

use super::analyses;
use super::{Block, Cell, Document, Notice, Section, Table, not_computed};
use crate::report::build::money;
use crate::report::charts::{self, ChartError};
use crate::report::context::{Figure, ReportContext};

/// Lay out one scenario's report.
pub fn scenario(c: &ReportContext) -> Result<Document, ChartError> {
    Ok(Document {
        title: format!("Disaster-recovery report: {}", c.name),
        subtitle: format!("Scenario file {} · Barman {}", c.source, c.barman_version),
        sections: vec![
            summary(c),
            topology(c),
            analyses::spof(c),
            analyses::montecarlo(c)?,
            analyses::disk(c)?,
            analyses::bandwidth(c),
            cost(c)?,
            barman(c),
            assumptions(c),
            reproducibility(c),
        ],
    })
}

pub(crate) fn section(id: &str, title: &str, blocks: Vec<Block>) -> Section {
    Section {
        id: id.to_string(),
        title: title.to_string(),
        blocks,
    }
}

/// "0.9998 (95 % CI 0.9997–0.9999)".
pub(crate) fn estimate(e: &Figure, fmt: impl Fn(f64) -> String) -> String {
    format!(
        "{} ({:.0} % CI {} – {})",
        fmt(e.value),
        e.level * 100.0,
        fmt(e.low),
        fmt(e.high)
    )
}

/// A probability or measure: plain decimals from 0.01 up, scientific below.
pub(crate) fn sci(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() >= 0.01 {
        format!("{v:.3}")
    } else {
        format!("{v:.2e}")
    }
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
            "Cost per year".into(),
            if c.costs.is_empty() {
                "not computed (drplan cost)".to_owned()
            } else {
                format!("{} {}", money(c.cost_per_year()), c.currency)
            },
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
                (Cell::plain(v), Cell::status(a.status, a.met))
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

/// The yearly cost by category: the cost-benefit analysis's bill (storage at
/// the projected peak) when it ran, else the costs the scenario states.
pub(super) fn categories(c: &ReportContext) -> (Vec<String>, Vec<f64>) {
    if let Some(cb) = &c.cost_benefit {
        return cb.cost_by_category.iter().cloned().unzip();
    }
    let mut categories: Vec<String> = Vec::new();
    for l in &c.costs {
        if !categories.contains(&l.category) {
            categories.push(l.category.clone());
        }
    }
    let amounts = categories
        .iter()
        .map(|cat| {
            c.costs
                .iter()
                .filter(|l| &l.category == cat)
                .map(|l| l.per_year)
                .sum()
        })
        .collect();
    (categories, amounts)
}

fn cost(c: &ReportContext) -> Result<Section, ChartError> {
    let cur = &c.currency;
    let mut t = Table::new(
        "Yearly cost (storage at its projected peak)",
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
        money(c.cost_per_year()),
    ]);
    let (mut categories, mut amounts) = categories(c);
    if let Some(cb) = &c.cost_benefit {
        categories.push("expected loss".into());
        amounts.push(cb.expected_loss.value);
    }
    // The bill comes from the cost analysis: without it there is none to show.
    let mut b = Vec::new();
    if !c.costs.is_empty() {
        b.push(Block::Table(t));
    }
    if !categories.is_empty() {
        b.push(Block::Chart(charts::stacked_costs(
            "chart-cost",
            cur,
            &categories,
            &[(c.name.clone(), amounts)],
        )?));
    }
    match &c.cost_benefit {
        None => b.push(not_computed(
            "the cost-benefit analysis (expected loss, storage sized by the disk projection, net benefit per tier)",
            "drplan cost",
        )),
        Some(cb) => {
            let mut facts = vec![
                ("Cost of the layout".into(), format!("{} {cur}/yr", money(cb.cost_per_year))),
                ("Expected loss".into(), estimate(&cb.expected_loss, |v| format!("{} {cur}/yr", money(v)))),
            ];
            for (what, v) in &cb.loss_parts {
                facts.push((format!("  of which {what}"), format!("{} {cur}/yr", money(*v))));
            }
            if let Some(p99) = cb.p99_downtime_cost {
                facts.push(("p99 yearly cost of downtime".into(), format!("{} {cur}", money(p99))));
            }
            facts.push(("Total cost of ownership".into(), format!("{} {cur}/yr", money(cb.tco))));
            facts.push(("Simulated with".into(), format!("{} trials", cb.trials)));
            b.push(Block::Facts(facts));
            let weighable = c.tiers.iter().any(|t| t.kind != "local Barman");
            if cb.tiers.is_empty() && weighable {
                b.push(not_computed(
                    "what each passive node or cloud tier buys",
                    "drplan cost",
                ));
            } else if cb.tiers.is_empty() {
                b.push(Block::Paragraph(
                    "The layout has no passive node or cloud tier to weigh.".into(),
                ));
            } else {
                let mut t = Table::new(
                    "What each tier buys, against the layout without it",
                    &["Tier", "Cost added / yr", "Loss avoided / yr", "Net benefit / yr", "Payback", "Verdict"],
                    &[1, 2, 3, 4],
                );
                for r in &cb.tiers {
                    t.row([
                        r.tier.clone(),
                        money(r.cost_added),
                        money(r.loss_avoided),
                        money(r.net_benefit),
                        r.payback_years.map_or_else(|| "never".into(), |y| format!("{y:.2} years")),
                        r.verdict.clone(),
                    ]);
                }
                b.push(Block::Table(t));
                b.push(Block::Paragraph(format!(
                    "Each tier is weighed against the same layout without it, both simulated with {} trials and the scenario's seed. Payback is the cost added over the loss avoided: below one year, the tier pays for itself.",
                    cb.tier_trials
                )));
            }
        }
    }
    match &c.tornado {
        None => b.push(not_computed(
            "the sensitivity analysis (tornado)",
            "drplan cost",
        )),
        Some(tor) => {
            b.push(Block::Paragraph(format!(
                "Each input at half and one and a half times its value, the others kept; {} trials per simulation with the scenario's seed.",
                tor.trials
            )));
            b.push(Block::Chart(charts::tornado("chart-tornado", cur, tor)?));
        }
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

#[cfg(test)]
mod tests {
    use super::sci;

    #[test]
    fn sci_switches_to_exponent_below_one_percent() {
        assert_eq!(sci(0.0), "0");
        assert_eq!(sci(0.9999), "1.000");
        assert_eq!(sci(0.0123), "0.012");
        assert_eq!(sci(2.81e-7), "2.81e-7");
    }
}

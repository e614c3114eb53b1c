//! Fill a report context's analysis sections from analysis results. Only
//! copying and selecting rows: every number comes from the analysis.

use std::collections::BTreeSet;

use super::context::{
    BandwidthSection, CutSetRow, DiskCurve, ImportanceRow, LinkLoadRow, QuestionRow, ReportContext,
    RestoreRow, SpofRow, SpofSection,
};
use crate::analysis::disk::DiskReport;
use crate::analysis::spof::SpofReport;
use crate::analysis::topology::Topology;

/// Cut sets of order ≥ 2 shown per cluster and question (most likely first).
const CUT_SETS_SHOWN: usize = 6;
/// Importance rows shown per cluster and question.
const IMPORTANCE_SHOWN: usize = 5;

/// Fill the SPOF section and the SPOFs highlighted in the topology.
pub fn add_spof(c: &mut ReportContext, r: &SpofReport, t: &Topology) {
    let mut s = SpofSection {
        max_order: r.max_order as u32,
        ..SpofSection::default()
    };
    let mut highlighted = BTreeSet::new();
    for f in &r.findings {
        let q = f.question.title().to_string();
        s.questions.push(QuestionRow {
            cluster: f.cluster.clone(),
            question: q.clone(),
            paths: f.paths.clone(),
            probability: f.failure_probability,
            measure: f.measure.to_string(),
        });
        for cut in f.spofs() {
            s.spofs.push(SpofRow {
                component: cut.components.join(" + "),
                cluster: f.cluster.clone(),
                question: q.clone(),
                explanation: cut.explanation.clone(),
            });
        }
        for cut in f
            .cut_sets
            .iter()
            .filter(|c| c.components.len() > 1)
            .take(CUT_SETS_SHOWN)
        {
            s.cut_sets.push(CutSetRow {
                question: format!("{q} ({})", f.cluster),
                components: cut.components.clone(),
                probability: Some(cut.probability),
            });
        }
        for i in f.importance.iter().take(IMPORTANCE_SHOWN) {
            s.importance.push(ImportanceRow {
                question: q.clone(),
                component: i.label.clone(),
                birnbaum: i.birnbaum,
                fussell_vesely: i.fussell_vesely,
                raw: i.risk_achievement_worth,
            });
        }
        for h in &f.hints {
            s.notices
                .push(format!("Cluster `{}`, {}: {h}", f.cluster, q));
        }
        for n in &f.spof_nodes {
            if let Some(node) = t.graph.node_weight(*n) {
                highlighted.insert(node.name.clone());
            }
        }
    }
    for site in &r.network.articulation_sites {
        s.notices.push(format!(
            "Site `{site}` is an articulation point of the network: losing it cuts other sites apart."
        ));
    }
    for link in &r.network.bridge_links {
        s.notices.push(format!(
            "Link `{link}` has no redundant path: cutting it splits the network."
        ));
    }
    c.topology.spofs = highlighted.into_iter().collect();
    c.spof = Some(s);
}

/// Fill the disk projection and bandwidth sections.
pub fn add_disk(c: &mut ReportContext, r: &DiskReport) {
    c.disk = Some(
        r.tiers
            .iter()
            .map(|t| DiskCurve {
                tier: t.tier.clone(),
                points: t
                    .daily
                    .iter()
                    .enumerate()
                    .map(|(d, &b)| (d as f64, b as f64))
                    .collect(),
                peak: t.peak,
                steady: t.steady,
                recommended: t.recommended_volume,
                configured: t.volume,
                fills_on_day: t.volume_full_day,
                cost_per_month: t.monthly_cost,
            })
            .collect(),
    );
    c.bandwidth = Some(BandwidthSection {
        rows: r
            .bandwidth
            .iter()
            .map(|b| LinkLoadRow {
                flow: b.flow.clone(),
                path: b.path.clone(),
                load: b.average_load,
                capacity: b.capacity,
                utilisation: b.utilisation,
                full_backup_hours: b.full_backup_hours,
                interval_hours: b.interval_hours,
                ok: b.ok,
            })
            .collect(),
        restores: r
            .restores
            .iter()
            .map(|p| RestoreRow {
                from: p.from.clone(),
                to: p.to.clone(),
                bytes: p.bytes,
                hours: p.hours,
            })
            .collect(),
    });
}

/// Fill the Monte Carlo section and the achieved value of every target.
pub fn add_montecarlo(c: &mut ReportContext, r: &crate::analysis::montecarlo::SimReport) {
    use crate::analysis::montecarlo::{Quantiles, Verdict};
    use crate::report::context::{
        Achieved, ClusterMonteCarlo, DistributionSummary, FailureClassRow, Figure,
        MonteCarloSection,
    };
    let est = |e: &crate::analysis::montecarlo::stats::Estimate| Figure {
        value: e.value,
        low: e.low,
        high: e.high,
        level: 0.95,
    };
    let dist = |q: &Quantiles, scale: f64| DistributionSummary {
        count: q.count as u64,
        p50: q.p50.map_or(0.0, |e| e.value * scale),
        p95: q.p95.map_or(0.0, |e| e.value * scale),
        p99: q.p99.map_or(0.0, |e| e.value * scale),
        max: q.max.unwrap_or(0.0) * scale,
        edges: q.edges.iter().map(|x| x * scale).collect(),
        counts: q.counts.clone(),
    };
    let cluster = |cl: &crate::analysis::montecarlo::ClusterResult| ClusterMonteCarlo {
        name: cl.cluster.clone(),
        availability: est(&cl.availability),
        downtime_hours_per_year: est(&cl.downtime_hours_per_year),
        p_data_loss_per_year: est(&cl.p_any_loss_per_year),
        data_loss_estimator: format!(
            "naive Monte Carlo (Wilson interval); losing every copy: {:.2e}/yr by minimal cut sets",
            cl.p_total_loss_per_year_analytic
        ),
        rto_hours: dist(&cl.rto_hours, 1.0),
        rpo_hours: dist(&cl.data_loss_secs, 1.0 / 3600.0),
        by_class: cl
            .classes
            .iter()
            .map(|k| FailureClassRow {
                class: k.class.label().to_owned(),
                incidents_per_year: k.incidents_per_year,
                mean_downtime_hours: if k.incidents_per_year > 0.0 {
                    k.downtime_hours_per_year / k.incidents_per_year
                } else {
                    0.0
                },
                mean_data_loss_hours: k.mean_loss_secs / 3600.0,
            })
            .collect(),
    };
    c.montecarlo = Some(MonteCarloSection {
        trials: r.trials,
        horizon_years: r.horizon_years,
        seed: r.seed,
        clusters: r.clusters.iter().map(cluster).collect(),
    });
    // A scenario's target holds for every cluster: each row shows the cluster
    // that does worst against it (breached before at risk before met, then
    // the worse figure).
    for row in &mut c.targets {
        let check = r
            .clusters
            .iter()
            .filter_map(|cl| cl.targets.iter().find(|t| t.kind == row.kind))
            .max_by(|a, b| {
                a.verdict
                    .cmp(&b.verdict)
                    .then(a.badness().total_cmp(&b.badness()))
            });
        if let Some(t) = check {
            let (value, interval) = super::format::target_achieved_parts(t);
            row.achieved = Some(Achieved {
                value,
                interval: interval.map(|i| format!("95 % CI {i}")),
                met: t.verdict == Verdict::Met,
                status: match t.verdict {
                    Verdict::Met => "met",
                    Verdict::AtRisk => "at risk",
                    Verdict::Breached => "breached",
                },
            });
        }
    }
}

/// Fill the cost-benefit section: the layout's price, its expected loss in
/// parts, the net benefit of each tier (weighed with `tier_trials` per run)
/// and, when run, the tornado of the
/// sensitivity analysis (this scenario's TCO under each input's swing).
pub fn add_cost(
    c: &mut ReportContext,
    cand: &crate::analysis::cost::Candidate,
    trials: u64,
    tiers: &[crate::analysis::cost::tiers::TierBenefit],
    tier_trials: u64,
    sens: Option<&crate::analysis::cost::sensitivity::Sensitivity>,
) {
    use crate::report::context::{CostBenefit, Figure, TierValueRow, Tornado, TornadoBar};
    let l = &cand.loss;
    c.costs = cand
        .cost
        .lines
        .iter()
        .map(|line| super::context::BillLine {
            category: line.category.to_owned(),
            item: line.item.clone(),
            per_year: line.per_year,
            basis: super::format::cost_basis(&line.basis, &cand.currency),
        })
        .collect();
    let mut by_category: Vec<(String, f64)> = Vec::new();
    for line in &cand.cost.lines {
        match by_category.iter_mut().find(|(k, _)| k == line.category) {
            Some((_, v)) => *v += line.per_year,
            None => by_category.push((line.category.to_owned(), line.per_year)),
        }
    }
    c.cost_benefit = Some(CostBenefit {
        cost_per_year: cand.cost.total,
        cost_by_category: by_category,
        expected_loss: Figure {
            value: l.total.value,
            low: l.total.low,
            high: l.total.high,
            level: 0.95,
        },
        loss_parts: vec![
            ("downtime".into(), l.downtime.value),
            ("lost data".into(), l.lost_data),
            ("losing every copy".into(), l.total_loss),
            ("incidents".into(), l.incidents),
        ],
        p99_downtime_cost: l.downtime_p99,
        tco: cand.tco.value,
        trials,
        tier_trials,
        tiers: tiers
            .iter()
            .map(|t| TierValueRow {
                tier: t.tier.clone(),
                cost_added: t.cost_per_year,
                loss_avoided: t.loss_avoided,
                net_benefit: t.net_benefit,
                payback_years: t.payback_years,
                verdict: t.verdict.as_str().to_owned(),
            })
            .collect(),
    });
    c.tornado = sens.and_then(|s| {
        let mine = |f: &crate::analysis::cost::sensitivity::FactorResult| {
            f.tco.iter().find(|t| t.scenario == cand.scenario).cloned()
        };
        let base = s.factors.first().and_then(mine)?.base;
        let mut bars: Vec<TornadoBar> = s
            .factors
            .iter()
            .filter_map(|f| {
                mine(f).map(|t| TornadoBar {
                    input: f.input.clone(),
                    low: t.low,
                    high: t.high,
                })
            })
            .collect();
        bars.sort_by(|a, b| (b.high - b.low).abs().total_cmp(&(a.high - a.low).abs()));
        Some(Tornado {
            base,
            trials: s.trials,
            bars,
        })
    });
}

/// A scenario's report context, from the scenario as written (and the
/// comments of its file, for the sources of failure rates) and its
/// [`Analyses`](crate::analysis::Analyses) only.
pub fn context(
    s: &crate::model::Scenario,
    source_text: Option<&str>,
    a: &crate::analysis::Analyses,
) -> ReportContext {
    let mut c = super::build::from_scenario(s, source_text);
    add_spof(&mut c, &a.spof, &a.topology);
    add_disk(&mut c, &a.disk);
    if let Some(sim) = &a.sim {
        add_montecarlo(&mut c, sim);
    }
    if let (Some(cand), Some(sim)) = (&a.cost, &a.sim) {
        add_cost(
            &mut c,
            cand,
            sim.trials,
            &a.tiers,
            a.tier_trials,
            a.sensitivity.as_ref(),
        );
    }
    c
}

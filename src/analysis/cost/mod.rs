//! Cost-benefit: what a layout costs per year (hosts, links, storage sized by
//! the disk projection's peak, restore drills) against its expected annual
//! loss from the Monte Carlo results (downtime hours × cost per hour + lost
//! data hours × cost per hour + incidents × cost per incident), and the
//! comparison of layouts by total cost of ownership with their Pareto front.
//!
//! Losing every copy of the data is priced too. The simulation measures the
//! commits lost when a restore falls back to an older copy, but a loss of
//! every copy has no finite size: everything ever committed is gone. drplan
//! knows no age for the data, so it prices that event as
//! [`TOTAL_LOSS_HOURS`] (one year) of lost commits at the scenario's
//! `data_loss_per_hour`. Its probability per year is the minimal-cut-set
//! figure (the rare-event path, which sees events too rare for the trials),
//! capped at the upper end of the simulation's 95 % interval for losing
//! everything: the cut sets count every moment no *fresh* copy is left (a
//! passive node cut off by its link, say), which bounds a loss of everything
//! from above but can overstate it by orders of magnitude once the trials see
//! enough events to say so. One year is a floor: the real loss of a database
//! older than a year is larger.
//!
//! [`tiers`] weighs what each backup tier costs against the loss it avoids;
//! [`sensitivity`] shows which input moves the total cost of ownership and
//! the ranking. Not here: formatting (see `cli` and `report`).

pub mod sensitivity;
pub mod tiers;

use crate::analysis::disk::{DiskOptions, DiskReport, project};
use crate::analysis::montecarlo::stats::Estimate;
use crate::analysis::montecarlo::{ClusterResult, SimOptions, SimReport, Verdict, simulate};
use crate::model::Scenario;
use crate::model::units::{HOUR, YEAR};

/// Hours of committed data a loss of every copy is priced at: one year.
pub const TOTAL_LOSS_HOURS: f64 = YEAR / HOUR;

/// One line of the yearly bill.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CostLine {
    /// "hosts", "links", "storage" or "drills".
    pub category: &'static str,
    /// What is paid for.
    pub item: String,
    /// Per year, in the scenario's currency.
    pub per_year: f64,
    /// How it was computed (for reports; not in the JSON).
    #[serde(skip)]
    pub basis: CostBasis,
}

/// How a line of the bill was computed, as numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum CostBasis {
    /// Twelve months at this price.
    Monthly(f64),
    /// A tier's projected peak, in bytes, at a price per GiB-month of its storage class.
    PeakStorage {
        /// Peak bytes.
        peak: u64,
        /// Price per GiB-month.
        price: f64,
        /// The storage class.
        storage_class: String,
    },
    /// Restore drills: this many per year at a price each.
    Drills {
        /// Drills per year.
        per_year: f64,
        /// Price of one drill.
        each: f64,
    },
}

/// The yearly cost of a layout.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LayoutCost {
    /// Currency.
    pub currency: String,
    /// Every line.
    pub lines: Vec<CostLine>,
    /// Sum of the lines.
    pub total: f64,
}

/// Yearly cost from the model and the disk projection (storage by peak volume).
pub fn layout_cost(s: &Scenario, disk: &DiskReport) -> LayoutCost {
    let mut lines = Vec::new();
    for h in &s.hosts {
        lines.push(CostLine {
            category: "hosts",
            item: format!("host {}", h.name),
            per_year: h.cost_per_month * 12.0,
            basis: CostBasis::Monthly(h.cost_per_month),
        });
    }
    for l in &s.links {
        lines.push(CostLine {
            category: "links",
            item: format!("link {}", l.name),
            per_year: l.cost_per_month * 12.0,
            basis: CostBasis::Monthly(l.cost_per_month),
        });
    }
    for t in &disk.tiers {
        lines.push(CostLine {
            category: "storage",
            item: format!("storage {} ({}, peak)", t.tier, t.storage_class),
            per_year: t.monthly_cost * 12.0,
            basis: CostBasis::PeakStorage {
                peak: t.peak,
                price: s
                    .costs
                    .storage_per_gib_month
                    .get(&t.storage_class)
                    .copied()
                    .unwrap_or(0.0),
                storage_class: t.storage_class.clone(),
            },
        });
    }
    if let Some(d) = &s.drills {
        let per_year = d.per_year();
        lines.push(CostLine {
            category: "drills",
            item: format!("restore drills ({per_year:.1}/yr)"),
            per_year: per_year * s.costs.per_drill,
            basis: CostBasis::Drills {
                per_year,
                each: s.costs.per_drill,
            },
        });
    }
    let total = lines.iter().map(|l| l.per_year).sum();
    LayoutCost {
        currency: s.costs.currency.clone(),
        lines,
        total,
    }
}

/// Expected annual loss of one cluster.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExpectedLoss {
    /// Downtime part (mean, with the interval of the simulated downtime).
    pub downtime: Estimate,
    /// 99th percentile of the yearly downtime cost across simulated years.
    pub downtime_p99: Option<f64>,
    /// Lost-data part: commits lost by restores from older copies (mean).
    pub lost_data: f64,
    /// Losing every copy: its yearly rate (see the module doc) × [`TOTAL_LOSS_HOURS`] × the price of an hour of data.
    pub total_loss: f64,
    /// Per-incident part (mean).
    pub incidents: f64,
    /// Sum of the parts; the interval carries the downtime's.
    pub total: Estimate,
}

impl ExpectedLoss {
    /// The loss of two clusters of one layout: the parts add up. The
    /// downtime's interval and p99 add up too, which bounds them from above
    /// (the clusters' downtimes are correlated, not independent).
    pub fn plus(self, o: ExpectedLoss) -> ExpectedLoss {
        let add = |a: Estimate, b: Estimate| Estimate {
            value: a.value + b.value,
            low: a.low + b.low,
            high: a.high + b.high,
        };
        ExpectedLoss {
            downtime: add(self.downtime, o.downtime),
            downtime_p99: match (self.downtime_p99, o.downtime_p99) {
                (Some(a), Some(b)) => Some(a + b),
                (a, b) => a.or(b),
            },
            lost_data: self.lost_data + o.lost_data,
            total_loss: self.total_loss + o.total_loss,
            incidents: self.incidents + o.incidents,
            total: add(self.total, o.total),
        }
    }
}

/// Expected annual loss of one cluster from its simulated results.
pub fn expected_loss(s: &Scenario, c: &ClusterResult) -> ExpectedLoss {
    let k = &s.costs;
    let downtime = c
        .downtime_hours_per_year
        .map(|h| h.max(0.0) * k.downtime_per_hour);
    let lost_hours: f64 = c
        .classes
        .iter()
        .map(|r| r.losses_per_year * r.mean_loss_secs / 3600.0)
        .sum();
    let lost_data = lost_hours * k.data_loss_per_hour;
    let incidents = c.classes.iter().map(|r| r.incidents_per_year).sum::<f64>() * k.per_incident;
    // The simulation counts losses of every copy but gives them no size; the
    // probability per year (see the module doc) becomes a rate, priced at a
    // year of data.
    let p = c
        .p_total_loss_per_year_analytic
        .min(c.p_total_loss_per_year.high)
        .clamp(0.0, 1.0 - 1e-15);
    let total_loss = -(-p).ln_1p() * TOTAL_LOSS_HOURS * k.data_loss_per_hour;
    let fixed = lost_data + incidents + total_loss;
    ExpectedLoss {
        downtime,
        downtime_p99: c
            .downtime_distribution
            .p99
            .map(|e| e.value.max(0.0) * k.downtime_per_hour),
        lost_data,
        total_loss,
        incidents,
        total: downtime.map(|d| d + fixed),
    }
}

/// One layout in a comparison.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Candidate {
    /// Scenario name.
    pub scenario: String,
    /// Currency.
    pub currency: String,
    /// Yearly cost.
    pub cost: LayoutCost,
    /// Expected annual loss (every cluster).
    pub loss: ExpectedLoss,
    /// Cost + expected loss.
    pub tco: Estimate,
    /// Availability (of the least available cluster).
    pub availability: Estimate,
    /// p95 of incident downtime, hours (the largest of the clusters').
    pub p95_rto_hours: Option<f64>,
    /// p95 of data lost per failure-caused loss, seconds (the largest).
    pub p95_rpo_secs: Option<f64>,
    /// P(data loss from failures)/yr (of the cluster most likely to lose data).
    pub p_data_loss: Estimate,
    /// P(losing every copy of some cluster)/yr by minimal cut sets.
    pub p_total_loss: f64,
    /// Every target met with 95 % confidence.
    pub targets_met: bool,
    /// Targets breached or at risk, by name.
    pub targets_missed: Vec<String>,
    /// Rank by TCO (1 = cheapest in total).
    pub rank: usize,
    /// Not dominated on (cost, expected loss).
    pub pareto: bool,
    /// Why it ranks where it does, in words.
    pub reason: String,
}

/// Build a candidate from its analyses. A layout with several clusters is
/// priced for all of them (their expected losses add up) and summarised by
/// its weakest cluster (lowest availability, highest p95s and P(data loss));
/// every cluster's missed targets are listed.
pub fn candidate(s: &Scenario, disk: &DiskReport, sim: &SimReport) -> Option<Candidate> {
    let clusters = &sim.clusters;
    let cost = layout_cost(s, disk);
    let loss = clusters
        .iter()
        .map(|c| expected_loss(s, c))
        .reduce(ExpectedLoss::plus)?;
    let tco = loss.total.map(|l| l + cost.total);
    let several = clusters.len() > 1;
    let targets_missed = clusters
        .iter()
        .flat_map(|c| {
            c.targets
                .iter()
                .filter(|t| t.verdict != Verdict::Met)
                .map(move |t| {
                    format!(
                        "{}{} ({})",
                        t.kind.label(),
                        if several {
                            format!(" of `{}`", c.cluster)
                        } else {
                            String::new()
                        },
                        if t.verdict == Verdict::Breached {
                            "breached"
                        } else {
                            "at risk"
                        }
                    )
                })
        })
        .collect::<Vec<_>>();
    let worst = |key: &dyn Fn(&ClusterResult) -> f64| {
        clusters
            .iter()
            .max_by(|a, b| key(a).total_cmp(&key(b)))
            .expect("a layout with a candidate has a cluster")
    };
    let most = |f: &dyn Fn(&ClusterResult) -> Option<f64>| {
        clusters.iter().filter_map(f).max_by(f64::total_cmp)
    };
    Some(Candidate {
        scenario: s.name.clone(),
        currency: s.costs.currency.clone(),
        cost,
        tco,
        availability: worst(&|c| -c.availability.value).availability,
        p95_rto_hours: most(&|c| c.rto_hours.p95.map(|e| e.value)),
        p95_rpo_secs: most(&|c| c.data_loss_secs.p95.map(|e| e.value)),
        p_data_loss: worst(&|c| c.p_any_loss_per_year.value).p_any_loss_per_year,
        // Losing every copy of any cluster (a union bound).
        p_total_loss: clusters
            .iter()
            .map(|c| c.p_total_loss_per_year_analytic)
            .sum::<f64>()
            .min(1.0),
        targets_met: targets_missed.is_empty(),
        targets_missed,
        loss,
        rank: 0,
        pareto: false,
        reason: String::new(),
    })
}

/// A ranked comparison of layouts, with its sensitivity analysis when run.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Comparison {
    /// Layouts, best (lowest TCO) first.
    pub layouts: Vec<Candidate>,
    /// Which input moves the TCO and the ranking most.
    pub sensitivity: Option<sensitivity::Sensitivity>,
}

/// Project the disk, simulate and price one scenario with these options.
pub fn assess(s: &Scenario, o: &SimOptions) -> Option<Candidate> {
    candidate(s, &project(s, DiskOptions::default()), &simulate(s, o))
}

/// Rank by TCO, mark the Pareto front (cost vs expected loss) and explain each place.
pub fn rank(mut cands: Vec<Candidate>) -> Vec<Candidate> {
    cands.sort_by(|a, b| {
        a.tco
            .value
            .total_cmp(&b.tco.value)
            .then(a.scenario.cmp(&b.scenario))
    });
    let points: Vec<(f64, f64)> = cands
        .iter()
        .map(|c| (c.cost.total, c.loss.total.value))
        .collect();
    let best = cands.first().map(|c| c.tco.value).unwrap_or(0.0);
    for (i, c) in cands.iter_mut().enumerate() {
        c.rank = i + 1;
        let (cost, loss) = points[i];
        c.pareto = !points
            .iter()
            .enumerate()
            .any(|(j, &(oc, ol))| j != i && oc <= cost && ol <= loss && (oc < cost || ol < loss));
        let share = if c.tco.value > 0.0 {
            c.loss.total.value / c.tco.value * 100.0
        } else {
            0.0
        };
        let mut reason = format!(
            "costs {:.0} {cur}/yr and is expected to lose {:.0} {cur}/yr ({share:.0} % of its TCO)",
            cost,
            loss,
            cur = c.currency
        );
        if i == 0 {
            reason.push_str("; lowest total cost of ownership");
        } else {
            reason.push_str(&format!(
                "; {:.0} {} more per year than the best",
                c.tco.value - best,
                c.currency
            ));
        }
        if !c.pareto {
            reason.push_str("; another layout is both cheaper and safer");
        }
        if c.targets_met {
            reason.push_str("; meets every target");
        } else {
            reason.push_str(&format!("; misses {}", c.targets_missed.join(", ")));
        }
        c.reason = reason;
    }
    cands
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn cand(name: &str, cost: f64, loss: f64, met: bool) -> Candidate {
        let e = |v: f64| Estimate {
            value: v,
            low: v,
            high: v,
        };
        Candidate {
            scenario: name.into(),
            currency: "EUR".into(),
            cost: LayoutCost {
                currency: "EUR".into(),
                lines: Vec::new(),
                total: cost,
            },
            loss: ExpectedLoss {
                downtime: e(loss),
                downtime_p99: None,
                lost_data: 0.0,
                total_loss: 0.0,
                incidents: 0.0,
                total: e(loss),
            },
            tco: e(cost + loss),
            availability: e(0.999),
            p95_rto_hours: None,
            p95_rpo_secs: None,
            p_data_loss: e(0.0),
            p_total_loss: 0.0,
            targets_met: met,
            targets_missed: if met {
                Vec::new()
            } else {
                vec!["availability (breached)".into()]
            },
            rank: 0,
            pareto: false,
            reason: String::new(),
        }
    }

    #[test]
    fn losing_every_copy_is_priced_at_a_year_of_data_with_the_capped_rate() {
        let path = std::path::Path::new("tests/fixtures/cost/dear-downtime/one-site.yaml");
        let s = crate::model::load_file(path).expect("fixture loads");
        let mut o = SimOptions::from_scenario(&s);
        o.trials = 200;
        let mut c = simulate(&s, &o).clusters.remove(0);
        let price = s.costs.data_loss_per_hour;
        let priced = |c: &ClusterResult| expected_loss(&s, c).total_loss;
        // The cut sets say 1 %, the trials at most 2 %: the cut sets stand.
        c.p_total_loss_per_year_analytic = 0.01;
        c.p_total_loss_per_year.high = 0.02;
        let want = -(0.99f64).ln() * 8766.0 * price;
        assert!((priced(&c) - want).abs() < 1e-6 * want);
        // The cut sets say 50 %, the trials at most 1 %: the trials cap it.
        c.p_total_loss_per_year_analytic = 0.5;
        c.p_total_loss_per_year.high = 0.01;
        assert!((priced(&c) - want).abs() < 1e-6 * want);
    }

    #[test]
    fn every_cluster_of_a_layout_is_priced() {
        let path = std::path::Path::new("tests/fixtures/valid/two-clusters.yaml");
        let s = crate::model::load_file(path).expect("fixture loads");
        let mut o = SimOptions::from_scenario(&s);
        o.trials = 500;
        let sim = simulate(&s, &o);
        let c = candidate(&s, &project(&s, DiskOptions::default()), &sim).expect("clusters");
        let parts: Vec<ExpectedLoss> = sim.clusters.iter().map(|k| expected_loss(&s, k)).collect();
        assert_eq!(parts.len(), 2);
        assert!(parts.iter().all(|p| p.total.value > 0.0));
        let sum = parts[0].total.value + parts[1].total.value;
        assert!((c.loss.total.value - sum).abs() <= 1e-9 * sum);
        assert!((c.tco.value - (sum + c.cost.total)).abs() <= 1e-9 * c.tco.value);
        // Summarised by the weaker cluster, and its misses are named.
        let least = sim
            .clusters
            .iter()
            .map(|k| k.availability.value)
            .fold(f64::INFINITY, f64::min);
        assert_eq!(c.availability.value, least);
        assert!(
            c.targets_missed.iter().any(|t| t.contains("of `billing`")),
            "{:?}",
            c.targets_missed
        );
    }

    #[test]
    fn ranks_by_tco_and_marks_the_pareto_front() {
        // a: cheap and risky (100 + 900), b: dear and safe (600 + 50), c: dominated by b (700 + 60).
        let r = rank(vec![
            cand("a", 100.0, 900.0, false),
            cand("b", 600.0, 50.0, true),
            cand("c", 700.0, 60.0, true),
        ]);
        let names: Vec<&str> = r.iter().map(|c| c.scenario.as_str()).collect();
        assert_eq!(names, vec!["b", "c", "a"], "TCO 650 < 760 < 1000");
        assert!(r[0].pareto && !r[1].pareto && r[2].pareto);
        assert!(r[1].reason.contains("both cheaper and safer"));
        assert!(r[2].reason.contains("misses availability"));
    }
}

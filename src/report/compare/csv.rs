//! One CSV row per scenario.

use std::fmt::Write;

use super::Exporter;
use crate::analysis::cost::Comparison;

/// CSV.
pub struct Csv;

impl Exporter for Csv {
    fn render(&self, cmp: &Comparison) -> String {
        let cands = &cmp.layouts;
        let mut o = String::from(
            "scenario,rank,pareto,currency,cost_per_year,expected_loss_per_year,expected_loss_low,expected_loss_high,tco_per_year,availability,p95_rto_hours,p95_rpo_secs,p_data_loss_per_year,p_total_loss_per_year,targets_met\n",
        );
        for c in cands.iter() {
            let opt = |v: Option<f64>| v.map_or(String::new(), |x| format!("{x}"));
            let _ = writeln!(
                o,
                "{},{},{},{},{:.2},{:.2},{:.2},{:.2},{:.2},{},{},{},{},{},{}",
                c.scenario,
                c.rank,
                c.pareto,
                c.currency,
                c.cost.total,
                c.loss.total.value,
                c.loss.total.low,
                c.loss.total.high,
                c.tco.value,
                c.availability.value,
                opt(c.p95_rto_hours),
                opt(c.p95_rpo_secs),
                c.p_data_loss.value,
                c.p_total_loss,
                c.targets_met
            );
        }
        o
    }
}

//! The human-readable SPOF report: per cluster and question, the ways
//! through, single points of failure with explanations, the most likely
//! minimal cut sets of higher order, and what to harden first.

use std::fmt::Write;

use crate::analysis::spof::SpofReport;

/// How many cut sets of each higher order and how many ranked components to show.
const SHOW: usize = 5;

fn p(x: f64) -> String {
    if x == 0.0 {
        "0".to_owned()
    } else if x >= 0.01 {
        format!("{x:.3}")
    } else {
        format!("{x:.2e}")
    }
}

/// Render the report as text.
pub fn render(r: &SpofReport) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "SPOF analysis of `{}` (minimal cut sets up to order {})",
        r.scenario, r.max_order
    );
    for f in &r.findings {
        let _ = writeln!(
            o,
            "\ncluster `{}` — {} ({})",
            f.cluster,
            f.question.title(),
            f.measure
        );
        let _ = writeln!(
            o,
            "  ways through: {}",
            if f.paths.is_empty() {
                "none".to_owned()
            } else {
                f.paths.join(", ")
            }
        );
        for e in &f.excluded {
            let _ = writeln!(o, "  left out: {e}");
        }
        let _ = writeln!(
            o,
            "  probability that no way through is left: {}",
            p(f.failure_probability)
        );
        let spofs: Vec<_> = f.spofs().collect();
        if spofs.is_empty() {
            let _ = writeln!(o, "  single points of failure: none");
        } else {
            let _ = writeln!(o, "  single points of failure:");
            for c in spofs {
                let _ = writeln!(
                    o,
                    "    ⚠ {} (p = {}): {}",
                    c.components[0],
                    p(c.probability),
                    c.explanation
                );
            }
        }
        for order in 2..=r.max_order {
            let of: Vec<_> = f
                .cut_sets
                .iter()
                .filter(|c| c.components.len() == order)
                .collect();
            if of.is_empty() {
                continue;
            }
            let _ = writeln!(
                o,
                "  minimal cut sets of order {order}: {} (most likely first)",
                of.len()
            );
            for c in of.iter().take(SHOW) {
                let _ = writeln!(
                    o,
                    "    {} (p = {})",
                    c.components.join(" + "),
                    p(c.probability)
                );
            }
        }
        for h in &f.hints {
            let _ = writeln!(o, "  hint: {h}");
        }
        let ranked: Vec<_> = f
            .importance
            .iter()
            .filter(|i| i.birnbaum > 0.0)
            .take(SHOW)
            .collect();
        if !ranked.is_empty() {
            let _ = writeln!(
                o,
                "  harden first:{:>34}{:>10}{:>10}{:>10}",
                "Fussell-Vesely", "Birnbaum", "RAW", "RRW"
            );
            for i in ranked {
                let rrw = if i.risk_reduction_worth.is_finite() {
                    format!("{:.1}", i.risk_reduction_worth)
                } else {
                    "∞".into()
                };
                let _ = writeln!(
                    o,
                    "    {:<36}{:>12.3}{:>10}{:>10.1}{:>10}",
                    i.label,
                    i.fussell_vesely,
                    p(i.birnbaum),
                    i.risk_achievement_worth,
                    rrw
                );
            }
        }
    }
    let n = &r.network;
    let _ = writeln!(o, "\nsite network:");
    let _ = writeln!(
        o,
        "  links without a redundant path: {}",
        if n.bridge_links.is_empty() {
            "none".to_owned()
        } else {
            n.bridge_links.join(", ")
        }
    );
    let _ = writeln!(
        o,
        "  sites whose loss cuts others apart: {}",
        if n.articulation_sites.is_empty() {
            "none".to_owned()
        } else {
            n.articulation_sites.join(", ")
        }
    );
    o
}

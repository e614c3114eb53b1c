//! `drplan compare` output: one renderer per format behind [`Exporter`]
//! (table, JSON, CSV, Markdown); adding a format is one file and one match arm.
//! CSV carries the layouts only (one row each); the others also show the
//! sensitivity analysis when it ran.

mod csv;
mod json;
mod markdown;
mod table;

use std::fmt::Write;

use crate::analysis::cost::Candidate;
use crate::analysis::cost::sensitivity::Sensitivity;

pub use crate::analysis::cost::Comparison;

/// Renders a ranked comparison.
pub trait Exporter {
    /// The text for this comparison (layouts already ranked).
    fn render(&self, cmp: &Comparison) -> String;
}

/// Output formats of `drplan compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    /// Side-by-side table.
    Table,
    /// JSON.
    Json,
    /// CSV, one row per scenario.
    Csv,
    /// Markdown table.
    Markdown,
}

impl CompareFormat {
    /// The exporter of this format.
    pub fn exporter(self) -> Box<dyn Exporter> {
        match self {
            Self::Table => Box::new(table::Table),
            Self::Json => Box::new(json::Json),
            Self::Csv => Box::new(csv::Csv),
            Self::Markdown => Box::new(markdown::Markdown),
        }
    }
}

/// The rows shown side by side: label and value per candidate.
pub(crate) fn rows(cands: &[Candidate]) -> Vec<(&'static str, Vec<String>)> {
    let money = |v: f64, c: &Candidate| format!("{v:.0} {}", c.currency);
    let col = |f: &dyn Fn(&Candidate) -> String| cands.iter().map(f).collect::<Vec<_>>();
    vec![
        (
            "rank (by TCO)",
            col(&|c| format!("{}{}", c.rank, if c.pareto { " (Pareto)" } else { "" })),
        ),
        ("cost / yr", col(&|c| money(c.cost.total, c))),
        (
            "expected loss / yr",
            col(&|c| {
                format!(
                    "{} [{:.0}, {:.0}]",
                    money(c.loss.total.value, c),
                    c.loss.total.low,
                    c.loss.total.high
                )
            }),
        ),
        ("TCO / yr", col(&|c| money(c.tco.value, c))),
        (
            "availability",
            col(&|c| format!("{:.4} %", c.availability.value * 100.0)),
        ),
        (
            "p95 RTO",
            col(&|c| c.p95_rto_hours.map_or("-".into(), |h| format!("{h:.2} h"))),
        ),
        (
            "p95 RPO",
            col(&|c| c.p95_rpo_secs.map_or("-".into(), |s| format!("{s:.0} s"))),
        ),
        (
            "P(data loss) / yr",
            col(&|c| format!("{:.3} %", c.p_data_loss.value * 100.0)),
        ),
        (
            "P(lose every copy) / yr",
            col(&|c| format!("{:.1e}", c.p_total_loss)),
        ),
        (
            "targets",
            col(&|c| {
                if c.targets_met {
                    "all met".into()
                } else {
                    format!("{} missed", c.targets_missed.len())
                }
            }),
        ),
    ]
}

/// The sensitivity table: one row per input, TCO low → high per scenario and
/// whether the winner changes; header row first.
pub(crate) fn sensitivity_rows(t: &Sensitivity) -> (Vec<String>, Vec<Vec<String>>) {
    let mut head = vec![format!("input (±{:.0} %)", t.swing * 100.0)];
    head.extend(t.base_order.iter().map(|n| format!("{n} TCO low → high")));
    head.push("winner low / high".into());
    head.push("ranking".into());
    let rows = t
        .factors
        .iter()
        .map(|f| {
            let mut r = vec![f.input.clone()];
            for s in &f.tco {
                r.push(format!("{:.0} → {:.0}", s.low, s.high));
            }
            r.push(format!("{} / {}", f.winner_low, f.winner_high));
            r.push(
                if f.winner_changes {
                    "winner changes"
                } else if f.order_changes {
                    "order changes"
                } else {
                    "unchanged"
                }
                .into(),
            );
            r
        })
        .collect();
    (head, rows)
}

/// One sentence on the sensitivity analysis for the text formats.
pub(crate) fn sensitivity_summary(t: &Sensitivity) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "Sensitivity: each input at ±{:.0} % ({} trials per simulation, each scenario's own seed). ",
        t.swing * 100.0,
        t.trials
    );
    match t.factors.first() {
        Some(f) => {
            let _ = write!(o, "Largest swing: {} ({:.0} per year).", f.input, f.swing);
        }
        None => o.push_str("Nothing to vary."),
    }
    let movers: Vec<&str> = t
        .factors
        .iter()
        .filter(|f| f.winner_changes)
        .map(|f| f.input.as_str())
        .collect();
    if movers.is_empty() {
        let _ = write!(
            o,
            " The winner ({}) stays first whatever one input does.",
            t.winner().unwrap_or("-")
        );
    } else {
        let _ = write!(o, " The winner changes with: {}.", movers.join(", "));
    }
    o
}

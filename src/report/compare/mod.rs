//! `drplan compare` output: one renderer per format behind [`Exporter`]
//! (table, JSON, CSV, Markdown); adding a format is one file and one match arm.

mod csv;
mod json;
mod markdown;
mod table;

use crate::analysis::cost::Candidate;

/// Renders a ranked comparison.
pub trait Exporter {
    /// The text for these candidates (already ranked).
    fn render(&self, cands: &[Candidate]) -> String;
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

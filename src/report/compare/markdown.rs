//! A Markdown table for wikis and merge requests.

use std::fmt::Write;

use super::{Exporter, rows, sensitivity_rows, sensitivity_summary};
use crate::analysis::cost::Comparison;

/// Markdown.
pub struct Markdown;

impl Exporter for Markdown {
    fn render(&self, cmp: &Comparison) -> String {
        let cands = &cmp.layouts;
        let mut o = String::from("| |");
        for c in cands.iter() {
            let _ = write!(o, " {} |", c.scenario);
        }
        o.push_str("\n|---|");
        o.push_str(&"---:|".repeat(cands.len()));
        o.push('\n');
        for (label, values) in rows(cands) {
            let _ = writeln!(o, "| {label} | {} |", values.join(" | "));
        }
        o.push('\n');
        for c in cands.iter() {
            let _ = writeln!(o, "{}. **{}**: {}", c.rank, c.scenario, c.reason);
        }
        if let Some(t) = &cmp.sensitivity {
            let (head, rows) = sensitivity_rows(t);
            let _ = writeln!(o, "\n{}\n", sensitivity_summary(t));
            let _ = writeln!(o, "| {} |", head.join(" | "));
            let _ = writeln!(o, "|---|{}", "---:|".repeat(head.len() - 1));
            for r in rows {
                let _ = writeln!(o, "| {} |", r.join(" | "));
            }
        }
        o
    }
}

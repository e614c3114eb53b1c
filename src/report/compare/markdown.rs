//! A Markdown table for wikis and merge requests.

use std::fmt::Write;

use super::{Exporter, rows};
use crate::analysis::cost::Candidate;

/// Markdown.
pub struct Markdown;

impl Exporter for Markdown {
    fn render(&self, cands: &[Candidate]) -> String {
        let mut o = String::from("| |");
        for c in cands {
            let _ = write!(o, " {} |", c.scenario);
        }
        o.push_str("\n|---|");
        o.push_str(&"---:|".repeat(cands.len()));
        o.push('\n');
        for (label, values) in rows(cands) {
            let _ = writeln!(o, "| {label} | {} |", values.join(" | "));
        }
        o.push('\n');
        for c in cands {
            let _ = writeln!(o, "{}. **{}**: {}", c.rank, c.scenario, c.reason);
        }
        o
    }
}

//! Side-by-side text table, scenario per column, with the reasons below.

use std::fmt::Write;

use super::{Exporter, rows, sensitivity_rows, sensitivity_summary};
use crate::analysis::cost::Comparison;

/// Text table.
pub struct Table;

impl Exporter for Table {
    fn render(&self, cmp: &Comparison) -> String {
        let cands = &cmp.layouts;
        let mut o = String::new();
        let _ = write!(o, "{:<26}", "");
        for c in cands.iter() {
            let _ = write!(o, "{:>28}", c.scenario);
        }
        let _ = writeln!(o);
        for (label, values) in rows(cands) {
            let _ = write!(o, "{label:<26}");
            for v in values {
                let _ = write!(o, "{v:>28}");
            }
            let _ = writeln!(o);
        }
        let _ = writeln!(o);
        for c in cands.iter() {
            let _ = writeln!(o, "{}. {}: {}", c.rank, c.scenario, c.reason);
        }
        if let Some(t) = &cmp.sensitivity {
            let (head, rows) = sensitivity_rows(t);
            let _ = writeln!(o, "\n{}\n", sensitivity_summary(t));
            let width = |i: usize| {
                rows.iter()
                    .map(|r| r[i].chars().count())
                    .chain(std::iter::once(head[i].chars().count()))
                    .max()
                    .unwrap_or(0)
                    + 2
            };
            let widths: Vec<usize> = (0..head.len()).map(width).collect();
            for r in std::iter::once(&head).chain(rows.iter()) {
                for (i, cell) in r.iter().enumerate() {
                    let _ = write!(o, "{cell:<w$}", w = widths[i]);
                }
                let _ = writeln!(o);
            }
        }
        o
    }
}

//! Side-by-side text table, scenario per column, with the reasons below.

use std::fmt::Write;

use super::{Exporter, rows};
use crate::analysis::cost::Candidate;

/// Text table.
pub struct Table;

impl Exporter for Table {
    fn render(&self, cands: &[Candidate]) -> String {
        let mut o = String::new();
        let _ = write!(o, "{:<26}", "");
        for c in cands {
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
        for c in cands {
            let _ = writeln!(o, "{}. {}: {}", c.rank, c.scenario, c.reason);
        }
        o
    }
}

//! Mermaid flowchart syntax: nested `subgraph … end` for containment.

use std::fmt::Write;

use super::{Flow, GraphSyntax, Shape};

/// Builds a Mermaid flowchart.
#[derive(Debug, Default)]
pub struct Mermaid {
    out: String,
    depth: usize,
    spofs: Vec<usize>,
}

fn text(s: &str) -> String {
    s.replace('"', "#quot;").replace('`', "'")
}

impl GraphSyntax for Mermaid {
    fn begin(&mut self, title: &str) {
        let _ = writeln!(self.out, "---\ntitle: {}\n---\nflowchart LR", text(title));
    }
    fn open_group(&mut self, id: usize, label: &str) {
        let ind = "  ".repeat(self.depth + 1);
        let _ = writeln!(self.out, "{ind}subgraph n{id}[\"{}\"]", text(label));
        if label.contains("SPOF") {
            self.spofs.push(id);
        }
        self.depth += 1;
    }
    fn close_group(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        let ind = "  ".repeat(self.depth + 1);
        let _ = writeln!(self.out, "{ind}end");
    }
    fn node(&mut self, id: usize, label: &[String], shape: Shape, highlight: bool) {
        let ind = "  ".repeat(self.depth + 1);
        let body = label
            .iter()
            .map(|l| text(l))
            .collect::<Vec<_>>()
            .join("<br/>");
        let (open, close) = match shape {
            Shape::Box => ("[\"", "\"]"),
            Shape::Diamond => ("{{\"", "\"}}"),
            Shape::Cylinder => ("[(\"", "\")]"),
        };
        let _ = writeln!(self.out, "{ind}n{id}{open}{body}{close}");
        if highlight {
            self.spofs.push(id);
        }
    }
    fn edge(&mut self, from: usize, to: usize, label: &str, flow: Flow, _group_target: bool) {
        let arrow = match flow {
            Flow::Attach => "---",
            Flow::Stream => "-->",
            Flow::Copy => "-.->",
        };
        if label.is_empty() {
            let _ = writeln!(self.out, "  n{from} {arrow} n{to}");
        } else {
            let _ = writeln!(self.out, "  n{from} {arrow}|\"{}\"| n{to}", text(label));
        }
    }
    fn finish(&mut self) -> String {
        if !self.spofs.is_empty() {
            self.out
                .push_str("  classDef spof stroke:#d00,stroke-width:3px,color:#d00\n");
            let ids: Vec<String> = self.spofs.iter().map(|i| format!("n{i}")).collect();
            let _ = writeln!(self.out, "  class {} spof", ids.join(","));
        }
        std::mem::take(&mut self.out)
    }
}

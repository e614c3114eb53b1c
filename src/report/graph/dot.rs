//! Graphviz DOT syntax: nested `subgraph cluster_*` for containment.

use std::fmt::Write;

use super::{Flow, GraphSyntax, Shape};

/// Builds a DOT document.
#[derive(Debug, Default)]
pub struct Dot {
    out: String,
    depth: usize,
    /// The invisible anchor node of each group, so that edges can end at a group.
    anchors: Vec<usize>,
}

fn quote(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!("\"{escaped}\"")
}

impl Dot {
    fn indent(&self) -> String {
        "  ".repeat(self.depth + 1)
    }
}

impl GraphSyntax for Dot {
    fn begin(&mut self, title: &str) {
        let _ = writeln!(self.out, "digraph {} {{", quote(title));
        let _ = writeln!(
            self.out,
            "  graph [rankdir=LR, compound=true, fontname=\"Helvetica\", label={}, labelloc=t];",
            quote(title)
        );
        let _ = writeln!(
            self.out,
            "  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=rounded];"
        );
        let _ = writeln!(self.out, "  edge [fontname=\"Helvetica\", fontsize=9];");
    }
    fn open_group(&mut self, id: usize, label: &str) {
        let ind = self.indent();
        let _ = writeln!(self.out, "{ind}subgraph cluster_{id} {{");
        let spof = label.contains("SPOF");
        let color = if spof { "red" } else { "gray40" };
        let _ = writeln!(
            self.out,
            "{ind}  label={}; style=rounded; color={color};",
            quote(label)
        );
        let _ = writeln!(
            self.out,
            "{ind}  n{id} [shape=point, style=invis, width=0, height=0, label=\"\"];"
        );
        self.anchors.push(id);
        self.depth += 1;
    }
    fn close_group(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        let ind = self.indent();
        let _ = writeln!(self.out, "{ind}}}");
    }
    fn node(&mut self, id: usize, label: &[String], shape: Shape, highlight: bool) {
        let ind = self.indent();
        let mut lines = label.join("\n");
        if highlight {
            lines.push_str("\n⚠ SPOF");
        }
        let shape = match shape {
            Shape::Box => "box",
            Shape::Diamond => "diamond",
            Shape::Cylinder => "cylinder",
        };
        let hl = if highlight {
            ", color=red, penwidth=2.5, fontcolor=red"
        } else {
            ""
        };
        let _ = writeln!(
            self.out,
            "{ind}n{id} [label={}, shape={shape}{hl}];",
            quote(&lines)
        );
    }
    fn edge(&mut self, from: usize, to: usize, label: &str, flow: Flow, group_target: bool) {
        let style = match flow {
            Flow::Attach => "dir=none, style=bold",
            Flow::Stream => "style=solid",
            Flow::Copy => "style=dashed",
        };
        let lhead = if group_target {
            format!(", lhead=cluster_{to}")
        } else {
            String::new()
        };
        let _ = writeln!(
            self.out,
            "  n{from} -> n{to} [label={}, {style}{lhead}];",
            quote(label)
        );
    }
    fn finish(&mut self) -> String {
        self.out.push_str("}\n");
        std::mem::take(&mut self.out)
    }
}

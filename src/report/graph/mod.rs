//! Topology diagrams. One walk of the [`Topology`] (containment as nested
//! groups, links and data flows as edges) drives a [`GraphSyntax`]; each
//! output format (DOT, Mermaid) is one file implementing it.

mod dot;
mod mermaid;

use std::collections::HashSet;

use petgraph::Direction;
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::EdgeRef;

pub use dot::Dot;
pub use mermaid::Mermaid;

use crate::analysis::topology::{EdgeKind, NodeKind, Topology};
use crate::model::{ReplicationMode, Scenario};

/// Shape of a node in a diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A host.
    Box,
    /// A network link.
    Diamond,
    /// Object storage.
    Cylinder,
}

/// Style of a flow edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// A link attached to a site (no direction).
    Attach,
    /// Data moves along it continuously (replication, WAL).
    Stream,
    /// Data is copied periodically (backups, passive sync, uploads).
    Copy,
}

/// The syntax of one diagram language.
pub trait GraphSyntax {
    /// Start the document.
    fn begin(&mut self, title: &str);
    /// Open a nested group (region, metro, site, rack).
    fn open_group(&mut self, id: usize, label: &str);
    /// Close the innermost group.
    fn close_group(&mut self);
    /// A node; `highlight` marks a single point of failure.
    fn node(&mut self, id: usize, label: &[String], shape: Shape, highlight: bool);
    /// An edge; `group_target` when `to` is a group (a site).
    fn edge(&mut self, from: usize, to: usize, label: &str, flow: Flow, group_target: bool);
    /// Finish and return the text.
    fn finish(&mut self) -> String;
}

/// Output formats of `drplan graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT (render with `dot -Tsvg`).
    Dot,
    /// Mermaid flowchart (renders in GitHub/GitLab Markdown).
    Mermaid,
}

/// Render a scenario's topology; nodes in `highlight` are drawn as SPOFs.
pub fn render(
    s: &Scenario,
    t: &Topology,
    format: GraphFormat,
    highlight: &HashSet<NodeIndex>,
) -> String {
    match format {
        GraphFormat::Dot => walk(s, t, highlight, &mut Dot::default()),
        GraphFormat::Mermaid => walk(s, t, highlight, &mut Mermaid::default()),
    }
}

fn host_label(s: &Scenario, t: &Topology, n: NodeIndex) -> Vec<String> {
    let NodeKind::Host(h) = t.graph[n].kind else {
        return vec![t.graph[n].name.clone()];
    };
    let host = &s.hosts[h.0];
    let mut lines = vec![host.name.clone(), host.role.as_str().to_owned()];
    for svc in t.services_on(n) {
        let line = match t.graph[svc].kind {
            NodeKind::Cluster(c) => format!(
                "PostgreSQL {} `{}`",
                s.clusters[c.0].version_string(),
                s.clusters[c.0].name
            ),
            NodeKind::Barman(b) => format!(
                "Barman `{}` ({})",
                s.barman_servers[b.0].name, s.barman_servers[b.0].retention
            ),
            NodeKind::Passive(p) => format!(
                "passive `{}` ({})",
                s.passive_nodes[p.0].name, s.passive_nodes[p.0].retention
            ),
            _ => continue,
        };
        lines.push(line);
    }
    for sb in s
        .clusters
        .iter()
        .flat_map(|c| c.standbys.iter().map(move |sb| (c, sb)))
    {
        if sb.1.host == h {
            lines.push(format!("standby of `{}`", sb.0.name));
        }
    }
    lines
}

fn walk_group(
    s: &Scenario,
    t: &Topology,
    n: NodeIndex,
    hl: &HashSet<NodeIndex>,
    out: &mut dyn GraphSyntax,
) {
    let node = &t.graph[n];
    match node.kind {
        NodeKind::Host(_) => out.node(n.index(), &host_label(s, t, n), Shape::Box, hl.contains(&n)),
        NodeKind::Cloud(c) => {
            let tier = &s.cloud_tiers[c.0];
            let label = vec![
                tier.name.clone(),
                format!("{}://{}", tier.provider.scheme(), tier.bucket),
                tier.retention.to_string(),
            ];
            out.node(n.index(), &label, Shape::Cylinder, hl.contains(&n));
        }
        kind => {
            let what = match kind {
                NodeKind::Region(_) => "region",
                NodeKind::Metro(_) => "metro",
                NodeKind::Site(_) => "site",
                NodeKind::Rack(_) => "rack",
                _ => "",
            };
            let mark = if hl.contains(&n) { " ⚠ SPOF" } else { "" };
            out.open_group(n.index(), &format!("{what} {}{mark}", node.name));
            let mut children: Vec<NodeIndex> = t
                .graph
                .edges_directed(n, Direction::Outgoing)
                .filter(|e| matches!(e.weight(), EdgeKind::Contains | EdgeKind::StoredIn))
                .map(|e| e.target())
                .collect();
            children.sort();
            for c in children {
                walk_group(s, t, c, hl, out);
            }
            out.close_group();
        }
    }
}

fn walk(s: &Scenario, t: &Topology, hl: &HashSet<NodeIndex>, out: &mut dyn GraphSyntax) -> String {
    out.begin(&s.name);
    for &r in &t.regions {
        walk_group(s, t, r, hl, out);
    }
    for (i, &ln) in t.links.iter().enumerate() {
        let l = &s.links[i];
        let label = vec![l.name.clone(), l.bandwidth.to_string()];
        out.node(ln.index(), &label, Shape::Diamond, hl.contains(&ln));
        out.edge(ln.index(), t.sites[l.a.0].index(), "", Flow::Attach, true);
        out.edge(ln.index(), t.sites[l.b.0].index(), "", Flow::Attach, true);
    }
    for c in &s.clusters {
        let p = t.hosts[c.primary.0].index();
        for sb in &c.standbys {
            let label = match sb.mode {
                ReplicationMode::Sync => "sync replication",
                ReplicationMode::Async => "async replication",
            };
            out.edge(p, t.hosts[sb.host.0].index(), label, Flow::Stream, false);
        }
    }
    for b in &s.barman_servers {
        let p = t.hosts[s.clusters[b.cluster.0].primary.0].index();
        out.edge(
            p,
            t.hosts[b.host.0].index(),
            "WAL + backups",
            Flow::Stream,
            false,
        );
    }
    for p in &s.passive_nodes {
        let from = t.hosts[s.barman_servers[p.primary.0].host.0].index();
        out.edge(
            from,
            t.hosts[p.host.0].index(),
            &format!("passive sync every {}", p.sync_interval),
            Flow::Copy,
            false,
        );
    }
    for (i, c) in s.cloud_tiers.iter().enumerate() {
        let from = match c.via.barman() {
            Some(b) => s.barman_servers[b.0].host,
            None => s.clusters[c.cluster.0].primary,
        };
        out.edge(
            t.hosts[from.0].index(),
            t.clouds[i].index(),
            "barman-cloud upload",
            Flow::Copy,
            false,
        );
    }
    out.finish()
}

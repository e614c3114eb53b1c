//! The inter-site network as an undirected graph (sites joined by links):
//! articulation points are sites whose loss cuts other sites apart, bridges
//! are links whose cut does (no redundant path).

use petgraph::graph::UnGraph;

use crate::model::Scenario;

/// What the site network reveals.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct NetworkFindings {
    /// Sites whose loss disconnects other sites.
    pub articulation_sites: Vec<String>,
    /// Links without a redundant path.
    pub bridge_links: Vec<String>,
}

/// Find articulation sites and bridge links.
pub fn network_findings(s: &Scenario) -> NetworkFindings {
    let mut g: UnGraph<usize, usize> = UnGraph::new_undirected();
    let nodes: Vec<_> = (0..s.sites.len()).map(|i| g.add_node(i)).collect();
    for (i, l) in s.links.iter().enumerate() {
        g.add_edge(nodes[l.a.0], nodes[l.b.0], i);
    }
    let mut articulation_sites: Vec<String> =
        petgraph::algo::articulation_points::articulation_points(&g)
            .into_iter()
            .map(|n| s.sites[g[n]].name.clone())
            .collect();
    articulation_sites.sort();
    let mut bridge_links: Vec<String> = petgraph::algo::bridges::bridges(&g)
        .map(|e| s.links[*petgraph::visit::EdgeRef::weight(&e)].name.clone())
        .collect();
    bridge_links.sort();
    NetworkFindings {
        articulation_sites,
        bridge_links,
    }
}

//! The scenario as a petgraph graph: containment (region ⊃ metro ⊃ site ⊃
//! rack ⊃ host), network links between sites (as nodes, so that a link can
//! fail like any component) and data flows (replication, WAL streaming,
//! passive sync, cloud upload). SPOF analysis and the graph renderers read it.

use petgraph::stable_graph::{NodeIndex, StableDiGraph};

use crate::model::{
    BarmanId, CloudId, ClusterId, HostId, LinkId, MetroId, PassiveId, RackId, RegionId,
    ReplicationMode, Scenario, SiteId,
};

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// A region.
    Region(RegionId),
    /// A metro area.
    Metro(MetroId),
    /// A site.
    Site(SiteId),
    /// A rack / power domain.
    Rack(RackId),
    /// A host.
    Host(HostId),
    /// A network link between two sites.
    Link(LinkId),
    /// A PostgreSQL cluster (runs on its primary's host).
    Cluster(ClusterId),
    /// A local Barman server.
    Barman(BarmanId),
    /// A passive Barman node.
    Passive(PassiveId),
    /// A barman-cloud bucket.
    Cloud(CloudId),
}

/// What an edge means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// The source contains the target; losing the source loses the target.
    Contains,
    /// A link attaches to a site.
    Attaches,
    /// A service (cluster or tier) runs on a host.
    RunsOn,
    /// The primary streams to a standby (sync or async).
    Replicates(ReplicationMode),
    /// A cluster's WAL and base backups flow to a Barman server.
    BacksUp,
    /// A passive node pulls from its primary Barman.
    Mirrors,
    /// Backups and WAL are uploaded to object storage.
    Uploads,
    /// A bucket lives in a region.
    StoredIn,
}

/// A node: its kind and the name the user gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What it stands for.
    pub kind: NodeKind,
    /// Its name in the scenario.
    pub name: String,
}

/// The topology graph and the node of each model element.
#[derive(Debug, Clone)]
pub struct Topology {
    /// The graph.
    pub graph: StableDiGraph<Node, EdgeKind>,
    /// Node of each region, by `RegionId`.
    pub regions: Vec<NodeIndex>,
    /// Node of each metro, by `MetroId`.
    pub metros: Vec<NodeIndex>,
    /// Node of each site, by `SiteId`.
    pub sites: Vec<NodeIndex>,
    /// Nodes of each site's racks.
    pub racks: Vec<Vec<NodeIndex>>,
    /// Node of each host, by `HostId`.
    pub hosts: Vec<NodeIndex>,
    /// Node of each link, by `LinkId`.
    pub links: Vec<NodeIndex>,
    /// Node of each cluster.
    pub clusters: Vec<NodeIndex>,
    /// Node of each Barman server.
    pub barmans: Vec<NodeIndex>,
    /// Node of each passive node.
    pub passives: Vec<NodeIndex>,
    /// Node of each cloud tier.
    pub clouds: Vec<NodeIndex>,
}

impl Topology {
    /// Build the graph of a scenario.
    pub fn build(s: &Scenario) -> Self {
        let mut g = StableDiGraph::new();
        let add = |g: &mut StableDiGraph<Node, EdgeKind>, kind, name: &str| {
            g.add_node(Node {
                kind,
                name: name.to_owned(),
            })
        };
        let regions: Vec<_> = s
            .regions
            .iter()
            .enumerate()
            .map(|(i, r)| add(&mut g, NodeKind::Region(RegionId(i)), &r.name))
            .collect();
        let metros: Vec<_> = s
            .metros
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let n = add(&mut g, NodeKind::Metro(MetroId(i)), &m.name);
                g.add_edge(regions[m.region.0], n, EdgeKind::Contains);
                n
            })
            .collect();
        let mut racks: Vec<Vec<NodeIndex>> = Vec::new();
        let sites: Vec<_> = s
            .sites
            .iter()
            .enumerate()
            .map(|(i, site)| {
                let n = add(&mut g, NodeKind::Site(SiteId(i)), &site.name);
                g.add_edge(metros[site.metro.0], n, EdgeKind::Contains);
                let rs: Vec<NodeIndex> = site
                    .racks
                    .iter()
                    .enumerate()
                    .map(|(j, r)| {
                        let rn = add(
                            &mut g,
                            NodeKind::Rack(RackId {
                                site: SiteId(i),
                                index: j,
                            }),
                            &r.name,
                        );
                        g.add_edge(n, rn, EdgeKind::Contains);
                        rn
                    })
                    .collect();
                racks.push(rs);
                n
            })
            .collect();
        let hosts: Vec<_> = s
            .hosts
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let n = add(&mut g, NodeKind::Host(HostId(i)), &h.name);
                let parent = match h.rack {
                    Some(r) => racks[r.site.0][r.index],
                    None => sites[h.site.0],
                };
                g.add_edge(parent, n, EdgeKind::Contains);
                n
            })
            .collect();
        let links: Vec<_> = s
            .links
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let n = add(&mut g, NodeKind::Link(LinkId(i)), &l.name);
                g.add_edge(n, sites[l.a.0], EdgeKind::Attaches);
                g.add_edge(n, sites[l.b.0], EdgeKind::Attaches);
                n
            })
            .collect();
        let clusters: Vec<_> = s
            .clusters
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let n = add(&mut g, NodeKind::Cluster(ClusterId(i)), &c.name);
                g.add_edge(n, hosts[c.primary.0], EdgeKind::RunsOn);
                for sb in &c.standbys {
                    g.add_edge(
                        hosts[c.primary.0],
                        hosts[sb.host.0],
                        EdgeKind::Replicates(sb.mode),
                    );
                }
                n
            })
            .collect();
        let barmans: Vec<_> = s
            .barman_servers
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let n = add(&mut g, NodeKind::Barman(BarmanId(i)), &b.name);
                g.add_edge(n, hosts[b.host.0], EdgeKind::RunsOn);
                g.add_edge(clusters[b.cluster.0], n, EdgeKind::BacksUp);
                n
            })
            .collect();
        let passives: Vec<_> = s
            .passive_nodes
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let n = add(&mut g, NodeKind::Passive(PassiveId(i)), &p.name);
                g.add_edge(n, hosts[p.host.0], EdgeKind::RunsOn);
                g.add_edge(barmans[p.primary.0], n, EdgeKind::Mirrors);
                n
            })
            .collect();
        let clouds: Vec<_> = s
            .cloud_tiers
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let n = add(&mut g, NodeKind::Cloud(CloudId(i)), &c.name);
                g.add_edge(regions[c.region.0], n, EdgeKind::StoredIn);
                let from = match c.via.barman() {
                    Some(b) => barmans[b.0],
                    None => clusters[c.cluster.0],
                };
                g.add_edge(from, n, EdgeKind::Uploads);
                n
            })
            .collect();
        Self {
            graph: g,
            regions,
            metros,
            sites,
            racks,
            hosts,
            links,
            clusters,
            barmans,
            passives,
            clouds,
        }
    }

    /// Children of a node along `Contains` edges.
    pub fn contained(&self, n: NodeIndex) -> impl Iterator<Item = NodeIndex> + '_ {
        self.graph
            .edges_directed(n, petgraph::Direction::Outgoing)
            .filter(|e| *e.weight() == EdgeKind::Contains)
            .map(|e| petgraph::visit::EdgeRef::target(&e))
    }

    /// Services (cluster, tiers) running on a host.
    pub fn services_on(&self, host: NodeIndex) -> impl Iterator<Item = NodeIndex> + '_ {
        self.graph
            .edges_directed(host, petgraph::Direction::Incoming)
            .filter(|e| *e.weight() == EdgeKind::RunsOn)
            .map(|e| petgraph::visit::EdgeRef::source(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn geo_graph_has_every_element_and_flow() {
        let s = crate::model::load_file(Path::new("scenarios/geo.yaml")).unwrap();
        let t = Topology::build(&s);
        let count =
            |f: fn(&NodeKind) -> bool| t.graph.node_weights().filter(|n| f(&n.kind)).count();
        assert_eq!(count(|k| matches!(k, NodeKind::Region(_))), s.regions.len());
        assert_eq!(count(|k| matches!(k, NodeKind::Host(_))), s.hosts.len());
        assert_eq!(count(|k| matches!(k, NodeKind::Link(_))), 1);
        let flows = t
            .graph
            .edge_weights()
            .filter(|e| matches!(e, EdgeKind::Mirrors | EdgeKind::Uploads))
            .count();
        assert_eq!(flows, 2, "one passive sync and one cloud upload");
        // Every host is reachable from its region through Contains edges.
        for (i, h) in s.hosts.iter().enumerate() {
            let region = t.regions[s.region_of(h.site).0];
            assert!(petgraph::algo::has_path_connecting(
                &t.graph, region, t.hosts[i], None
            ));
        }
    }
}

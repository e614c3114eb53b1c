//! The three questions of a cluster as [`Structure`]s built from the scenario:
//! **service** (can PostgreSQL take writes: the primary or a standby that can
//! be promoted is up), **data** (does a copy within the RPO survive
//! destruction: primary, standbys, Barman, passive node — fresh only while its
//! link is up — or the bucket), and **logical corruption** (a `DROP TABLE`
//! replicates to every standby: only copies that allow point-in-time recovery
//! count). Each copy depends on everything that contains it.

use petgraph::stable_graph::NodeIndex;

use super::probability::{array_down, array_lost_in_a_year, destroyed_in_a_year, down};
use super::structure::Structure;
use crate::analysis::topology::Topology;
use crate::model::{ClusterId, HostId, Scenario, WalArchiving};

/// Which question a structure answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Question {
    /// Can the cluster take writes? (steady-state unavailability)
    Service,
    /// Does a recoverable copy within the RPO survive? (destruction within a year)
    Data,
    /// After an operator error or bug, is a point-in-time copy there? (destruction within a year)
    LogicalCorruption,
}

impl Question {
    /// Short human name.
    pub fn title(self) -> &'static str {
        match self {
            Self::Service => "service",
            Self::Data => "data",
            Self::LogicalCorruption => "logical corruption",
        }
    }
    /// What the probabilities mean.
    pub fn measure(self) -> &'static str {
        match self {
            Self::Service => "steady-state probability of being down",
            Self::Data | Self::LogicalCorruption => "probability of destruction within a year",
        }
    }
}

/// A structure and the topology node of each of its events (for diagrams).
#[derive(Debug, Clone)]
pub struct Built {
    /// The question.
    pub question: Question,
    /// The system.
    pub structure: Structure,
    /// Topology node of each event.
    pub nodes: Vec<NodeIndex>,
    /// Copies left out because their own RPO exceeds the target.
    pub excluded: Vec<String>,
}

struct Builder<'a> {
    s: &'a Scenario,
    t: &'a Topology,
    question: Question,
    structure: Structure,
    nodes: Vec<NodeIndex>,
}

impl Builder<'_> {
    fn event(&mut self, label: String, q: f64, node: NodeIndex) -> usize {
        let i = self.structure.event(label, q);
        if i == self.nodes.len() {
            self.nodes.push(node);
        }
        i
    }

    fn q(&self, f: &crate::model::Failures) -> f64 {
        match self.question {
            Question::Service => down(f),
            _ => destroyed_in_a_year(f),
        }
    }

    /// The host and everything that contains it.
    fn containers(&mut self, h: HostId) -> Vec<usize> {
        let (s, t) = (self.s, self.t);
        let host = &s.hosts[h.0];
        let mut ev = vec![self.event(
            format!("host `{}`", host.name),
            self.q(&host.failures),
            t.hosts[h.0],
        )];
        if let Some(d) = &host.disks {
            let q = match self.question {
                Question::Service => array_down(d),
                _ => array_lost_in_a_year(d),
            };
            ev.push(self.event(format!("disks of `{}`", host.name), q, t.hosts[h.0]));
        }
        if let Some(r) = host.rack {
            let rack = s.rack(r);
            ev.push(self.event(
                format!("rack `{}`", rack.name),
                self.q(&rack.failures),
                t.racks[r.site.0][r.index],
            ));
        }
        let site = &s.sites[host.site.0];
        ev.push(self.event(
            format!("site `{}`", site.name),
            self.q(&site.failures),
            t.sites[host.site.0],
        ));
        let metro = &s.metros[site.metro.0];
        ev.push(self.event(
            format!("metro `{}`", metro.name),
            self.q(&metro.failures),
            t.metros[site.metro.0],
        ));
        let region = &s.regions[metro.region.0];
        ev.push(self.event(
            format!("region `{}`", region.name),
            self.q(&region.failures),
            t.regions[metro.region.0],
        ));
        ev
    }
}

/// Seconds until a WAL segment is closed: filled at the cluster's WAL rate or forced by `archive_timeout`.
fn segment_secs(s: &Scenario, c: ClusterId) -> f64 {
    let cl = &s.clusters[c.0];
    let per_sec = cl.wal_per_day.0 as f64 / 86_400.0;
    let fill = if per_sec > 0.0 {
        cl.wal_segment_size.0 as f64 / per_sec
    } else {
        f64::INFINITY
    };
    cl.archive_timeout.map_or(fill, |t| fill.min(t.as_secs()))
}

/// Build one question's structure for a cluster.
pub fn build(s: &Scenario, t: &Topology, c: ClusterId, question: Question) -> Built {
    let mut b = Builder {
        s,
        t,
        question,
        structure: Structure::default(),
        nodes: Vec::new(),
    };
    let cl = &s.clusters[c.0];
    let rpo = s.targets.rpo.map(|d| d.as_secs());
    let mut excluded = Vec::new();
    let within_rpo = |label: &str, own: f64, excluded: &mut Vec<String>| match rpo {
        Some(r) if own > r => {
            excluded.push(format!(
                "{label} (its own RPO ≈ {:.0} s exceeds the target)",
                own
            ));
            false
        }
        _ => true,
    };
    if question != Question::LogicalCorruption {
        let p = b.containers(cl.primary);
        b.structure
            .path(format!("primary on `{}`", s.hosts[cl.primary.0].name), p);
        for sb in &cl.standbys {
            let p = b.containers(sb.host);
            b.structure
                .path(format!("standby on `{}`", s.hosts[sb.host.0].name), p);
        }
    }
    if question != Question::Service {
        let seg = segment_secs(s, c);
        for (bi, bar) in s
            .barman_servers
            .iter()
            .enumerate()
            .filter(|(_, b)| b.cluster == c)
        {
            let own = if bar.wal_archiving == WalArchiving::ArchiveCommand {
                seg
            } else {
                1.0
            };
            let label = format!("Barman `{}`", bar.name);
            if within_rpo(&label, own, &mut excluded) {
                let p = b.containers(bar.host);
                b.structure.path(label, p);
            }
            for pi in s.passives_of(crate::model::BarmanId(bi)) {
                let pn = &s.passive_nodes[pi.0];
                let label = format!("passive node `{}`", pn.name);
                if !within_rpo(&label, seg + pn.sync_interval.as_secs(), &mut excluded) {
                    continue;
                }
                let base = b.containers(pn.host);
                let (a, z) = (s.site_of(bar.host), s.site_of(pn.host));
                // The copy is fresh only while a link to its primary Barman is up: one path per link.
                for l in s.links_between(a, z).collect::<Vec<_>>() {
                    let link = &s.links[l.0];
                    let q = down(&link.failures);
                    let mut p = base.clone();
                    p.push(b.event(format!("link `{}`", link.name), q, t.links[l.0]));
                    b.structure.path(label.clone(), p);
                }
            }
        }
        for (ci, cloud) in s
            .cloud_tiers
            .iter()
            .enumerate()
            .filter(|(_, x)| x.cluster == c)
        {
            let label = format!("bucket `{}`", cloud.name);
            if !within_rpo(&label, seg, &mut excluded) {
                continue;
            }
            let region = &s.regions[cloud.region.0];
            let q_cloud = b.q(&cloud.failures);
            let q_region = b.q(&region.failures);
            let p = vec![
                b.event(
                    format!("cloud tier `{}`", cloud.name),
                    q_cloud,
                    t.clouds[ci],
                ),
                b.event(
                    format!("region `{}`", region.name),
                    q_region,
                    t.regions[cloud.region.0],
                ),
            ];
            b.structure.path(label, p);
        }
    }
    Built {
        question,
        structure: b.structure,
        nodes: b.nodes,
        excluded,
    }
}

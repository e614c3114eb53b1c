//! The three questions of a cluster as [`Structure`]s built from the scenario:
//! **service** (can PostgreSQL take writes: the primary or a standby that can
//! be promoted is up), **data** (does a copy within the RPO survive
//! destruction: primary, standbys, Barman, passive node — fresh only while the
//! link it syncs over is up — or the bucket), and **logical corruption** (a `DROP TABLE`
//! replicates to every standby: only copies that allow point-in-time recovery
//! count). Each copy depends on everything that contains it.

use petgraph::stable_graph::NodeIndex;

use super::probability::{array_down, array_lost_in_a_year, destroyed_in_a_year, down};
use super::structure::Structure;
use crate::analysis::topology::Topology;
use crate::model::{BarmanId, CloudId, ClusterId, HostId, Scenario, TierRef, WalArchiving};

/// Which question a structure answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Question {
    /// Can the cluster take writes? (steady-state unavailability; under
    /// Patroni a leader needs a DCS majority, and strict synchronous
    /// replication needs its sync standbys)
    Service,
    /// Can Patroni fail over on its own: does a majority of the DCS members
    /// survive? (steady-state unavailability; clusters with a DCS only)
    AutomaticFailover,
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
            Self::AutomaticFailover => "automatic failover",
            Self::Data => "data",
            Self::LogicalCorruption => "logical corruption",
        }
    }
    /// What the probabilities mean.
    pub fn measure(self) -> &'static str {
        match self {
            Self::Service | Self::AutomaticFailover => "steady-state probability of being down",
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
    /// The DCS quorum the structure includes, for explanations.
    pub quorum: Option<super::ha::Quorum>,
}

pub(super) struct Builder<'a> {
    pub(super) s: &'a Scenario,
    t: &'a Topology,
    question: Question,
    pub(super) structure: Structure,
    nodes: Vec<NodeIndex>,
}

impl Builder<'_> {
    /// An event with (rate per year, repair years) of the failure the question is about.
    fn event_rated(&mut self, label: String, q: f64, rate: (f64, f64), node: NodeIndex) -> usize {
        let i = self.structure.event_with_rate(label, q, rate.0, rate.1);
        if i == self.nodes.len() {
            self.nodes.push(node);
        }
        i
    }

    fn q(&self, f: &crate::model::Failures) -> f64 {
        match self.question {
            Question::Service | Question::AutomaticFailover => down(f),
            _ => destroyed_in_a_year(f),
        }
    }

    /// Rate and repair (years) of the failure mode this question counts.
    fn rate(&self, f: &crate::model::Failures) -> (f64, f64) {
        let mode = match self.question {
            Question::Service | Question::AutomaticFailover => f.outage.or(f.destruction),
            _ => f.destruction,
        };
        mode.map_or((0.0, 0.0), |m| {
            (m.rate.events_per_year(), m.repair.as_years())
        })
    }

    /// A link's cut (an outage only).
    pub(super) fn link(&mut self, l: crate::model::LinkId) -> usize {
        let link = &self.s.links[l.0];
        let q = down(&link.failures);
        let rate = link.failures.outage.map_or((0.0, 0.0), |m| {
            (m.rate.events_per_year(), m.repair.as_years())
        });
        let node = self.t.links[l.0];
        self.event_rated(format!("link `{}`", link.name), q, rate, node)
    }

    fn component(&mut self, label: String, f: &crate::model::Failures, node: NodeIndex) -> usize {
        let (q, r) = (self.q(f), self.rate(f));
        self.event_rated(label, q, r, node)
    }

    /// The host and everything that contains it ([`Scenario::chain`]).
    pub(super) fn containers(&mut self, h: HostId) -> Vec<usize> {
        let (s, t) = (self.s, self.t);
        let chain = s.chain(h);
        let host = &s.hosts[h.0];
        let mut ev = vec![self.component(
            format!("host `{}`", host.name),
            &host.failures,
            t.hosts[h.0],
        )];
        if let (true, Some(d)) = (chain.disk_array, &host.disks) {
            let q = match self.question {
                Question::Service | Question::AutomaticFailover => array_down(d),
                _ => array_lost_in_a_year(d),
            };
            let repair = d.failure.map_or(0.0, |m| m.repair.as_years());
            let rate = -(-array_lost_in_a_year(d)).ln_1p();
            ev.push(self.event_rated(
                format!("disks of `{}`", host.name),
                q,
                (rate, repair),
                t.hosts[h.0],
            ));
        }
        if let Some(r) = chain.rack {
            let rack = s.rack(r);
            ev.push(self.component(
                format!("rack `{}`", rack.name),
                &rack.failures,
                t.racks[r.site.0][r.index],
            ));
        }
        let site = &s.sites[chain.site.0];
        ev.push(self.component(
            format!("site `{}`", site.name),
            &site.failures,
            t.sites[chain.site.0],
        ));
        let metro = &s.metros[chain.metro.0];
        ev.push(self.component(
            format!("metro `{}`", metro.name),
            &metro.failures,
            t.metros[chain.metro.0],
        ));
        let region = &s.regions[chain.region.0];
        ev.push(self.component(
            format!("region `{}`", region.name),
            &region.failures,
            t.regions[chain.region.0],
        ));
        ev
    }
}

/// Seconds until a WAL segment is closed: filled at the cluster's WAL rate or forced by `archive_timeout`.
pub(crate) fn segment_secs(s: &Scenario, c: ClusterId) -> f64 {
    let cl = &s.clusters[c.0];
    let per_sec = cl.wal_per_day.0 as f64 / 86_400.0;
    let fill = if per_sec > 0.0 {
        cl.wal_segment_size.0 as f64 / per_sec
    } else {
        f64::INFINITY
    };
    cl.archive_timeout.map_or(fill, |t| fill.min(t.as_secs()))
}

/// Seconds of commits lost when restoring from a tier (before staleness):
/// the one RPO rule of the SPOF analysis and the simulation. Streamed WAL
/// counts as nothing lost, `archive_command` as one segment, a passive node
/// adds its sync interval to that.
pub(crate) fn tier_rpo(s: &Scenario, t: TierRef) -> f64 {
    let seg = segment_secs(s, s.tier_cluster(t));
    match t {
        TierRef::Barman(b) => match s.barman_servers[b.0].wal_archiving {
            WalArchiving::ArchiveCommand => seg,
            WalArchiving::Streaming | WalArchiving::Both => 0.0,
        },
        TierRef::Passive(p) => seg + s.passive_nodes[p.0].sync_interval.as_secs(),
        TierRef::Cloud(_) => seg,
    }
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
    let mut quorum = None;
    match question {
        Question::Service => quorum = super::ha::service(&mut b, c),
        Question::AutomaticFailover => quorum = super::ha::automatic_failover(&mut b, c),
        Question::Data => {
            let p = b.containers(cl.primary);
            b.structure
                .path(format!("primary on `{}`", s.hosts[cl.primary.0].name), p);
            for sb in &cl.standbys {
                let p = b.containers(sb.host);
                b.structure
                    .path(format!("standby on `{}`", s.hosts[sb.host.0].name), p);
            }
        }
        Question::LogicalCorruption => {}
    }
    if matches!(question, Question::Data | Question::LogicalCorruption) {
        for (bi, bar) in s
            .barman_servers
            .iter()
            .enumerate()
            .filter(|(_, b)| b.cluster == c)
        {
            let own = tier_rpo(s, TierRef::Barman(BarmanId(bi)));
            let label = format!("Barman `{}`", bar.name);
            if within_rpo(&label, own, &mut excluded) {
                let p = b.containers(bar.host);
                b.structure.path(label, p);
            }
            for pi in s.passives_of(BarmanId(bi)) {
                let pn = &s.passive_nodes[pi.0];
                let label = format!("passive node `{}`", pn.name);
                if !within_rpo(&label, tier_rpo(s, TierRef::Passive(pi)), &mut excluded) {
                    continue;
                }
                let mut p = b.containers(pn.host);
                // The copy is fresh only while the link it syncs over is up.
                if let Some(l) = s.sync_link(pi) {
                    p.push(b.link(l));
                }
                b.structure.path(label, p);
            }
        }
        for (ci, cloud) in s
            .cloud_tiers
            .iter()
            .enumerate()
            .filter(|(_, x)| x.cluster == c)
        {
            let label = format!("bucket `{}`", cloud.name);
            if !within_rpo(
                &label,
                tier_rpo(s, TierRef::Cloud(CloudId(ci))),
                &mut excluded,
            ) {
                continue;
            }
            let region = &s.regions[cloud.region.0];
            let p = vec![
                b.component(
                    format!("cloud tier `{}`", cloud.name),
                    &cloud.failures,
                    t.clouds[ci],
                ),
                b.component(
                    format!("region `{}`", region.name),
                    &region.failures,
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
        quorum,
    }
}

//! High availability in the service question, and the automatic-failover
//! question: under Patroni a node leads only while a majority of the DCS
//! (etcd) members is up — a leader that loses it demotes itself — and under
//! strict synchronous replication (PostgreSQL's own, or Patroni's
//! `synchronous_mode_strict`) it takes writes only while `count` of the other
//! sync-capable nodes are up and reachable. Both are k-of-n gates
//! ([`super::gates`]) over host chains ([`crate::model::Scenario::chain`]).
//!
//! The DCS members' own network is not modelled: a member counts while its
//! chain is up (a cut link between two sites that both keep members is not a
//! partition here).

use super::build::{Builder, Question};
use super::gates::{Paths, all, k_of_n};
use crate::model::{ClusterId, HostId};

/// A cluster's DCS quorum as the structure holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Quorum {
    /// Each member: its host's name and the events of its chain.
    pub members: Vec<(String, Vec<usize>)>,
    /// Members needed: a majority.
    pub need: usize,
    /// Each member's site name, for the "no site holds a majority" hint.
    pub sites: Vec<String>,
    /// The sites of the cluster's PostgreSQL nodes.
    pub node_sites: Vec<String>,
}

impl Quorum {
    /// Members still up when the events of `cut` have failed.
    pub fn survivors(&self, cut: &[usize]) -> usize {
        self.members
            .iter()
            .filter(|(_, ev)| !ev.iter().any(|e| cut.contains(e)))
            .count()
    }

    fn paths(&self) -> Paths {
        let members: Vec<Paths> = self.members.iter().map(|(_, e)| vec![e.clone()]).collect();
        k_of_n(self.need, &members)
    }
}

fn quorum(b: &mut Builder, c: ClusterId) -> Option<Quorum> {
    let s = b.s;
    let ha = s.clusters[c.0].ha.as_ref()?;
    if ha.dcs.is_empty() {
        return None;
    }
    let members = ha
        .dcs
        .iter()
        .map(|&h| (s.hosts[h.0].name.clone(), b.containers(h)))
        .collect();
    let sites = ha
        .dcs
        .iter()
        .map(|&h| s.sites[s.site_of(h).0].name.clone())
        .collect();
    let node_sites = s.clusters[c.0]
        .hosts()
        .map(|h| s.sites[s.site_of(h).0].name.clone())
        .collect();
    Some(Quorum {
        members,
        need: ha.quorum(),
        sites,
        node_sites,
    })
}

/// The service paths: each node leading, with its sync standbys when the
/// rule is strict, and with a DCS majority under Patroni.
pub(super) fn service(b: &mut Builder, c: ClusterId) -> Option<Quorum> {
    let s = b.s;
    let cl = &s.clusters[c.0];
    let q = quorum(b, c);
    let majority = q.as_ref().map_or_else(|| vec![Vec::new()], Quorum::paths);
    let nodes: Vec<(HostId, String)> = std::iter::once((
        cl.primary,
        format!("primary on `{}`", s.hosts[cl.primary.0].name),
    ))
    .chain(
        cl.standbys
            .iter()
            .map(|sb| (sb.host, format!("standby on `{}`", s.hosts[sb.host.0].name))),
    )
    .collect();
    for (n, label) in nodes {
        let own = vec![b.containers(n)];
        let sync = match cl.sync {
            Some(rule) if rule.strict => {
                let partners: Vec<Paths> = cl
                    .sync_nodes()
                    .filter(|&h| h != n)
                    .map(|h| {
                        let mut p = b.containers(h);
                        if let Some(l) = s.fastest_link(s.site_of(n), s.site_of(h)) {
                            p.push(b.link(l));
                        }
                        vec![p]
                    })
                    .collect();
                k_of_n(rule.count, &partners)
            }
            _ => vec![Vec::new()],
        };
        for p in all(&[own, sync, majority.clone()]) {
            b.structure.path(label.clone(), p);
        }
    }
    q
}

/// The automatic-failover paths: every majority of the DCS members.
pub(super) fn automatic_failover(b: &mut Builder, c: ClusterId) -> Option<Quorum> {
    let q = quorum(b, c)?;
    for p in q.paths() {
        let names: Vec<&str> = q
            .members
            .iter()
            .filter(|(_, ev)| ev.iter().all(|e| p.contains(e)))
            .map(|(n, _)| n.as_str())
            .collect();
        let label = match names.as_slice() {
            [init @ .., last] if !init.is_empty() => {
                format!("etcd on `{}` and `{last}`", init.join("`, `"))
            }
            _ => format!("etcd on `{}`", names.join("")),
        };
        b.structure.path(label, p);
    }
    Some(q)
}

/// What losing `names` (the events of `cut`) does to the quorum, in words,
/// when it breaks it.
pub(super) fn explain(
    question: Question,
    q: &Quorum,
    names: &str,
    cut: &[usize],
) -> Option<String> {
    let left = q.survivors(cut);
    if left >= q.need {
        return None;
    }
    let n = q.members.len();
    let what = match question {
        Question::AutomaticFailover => "no automatic failover",
        _ => "the leader demotes itself and Patroni promotes nothing",
    };
    Some(format!(
        "losing {names} leaves {left} of {n} etcd members (a majority needs {}): {what}",
        q.need
    ))
}

/// A hint when one site holds a majority of the DCS members while a
/// PostgreSQL node stands elsewhere (the two-datacenter trap): losing that
/// site stops automatic failover although a node survives to promote.
pub(super) fn hint(q: &Quorum) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for site in &q.sites {
        match counts.iter_mut().find(|(s, _)| *s == site.as_str()) {
            Some((_, k)) => *k += 1,
            None => counts.push((site, 1)),
        }
    }
    let (site, k) = counts.iter().find(|(_, k)| *k >= q.need)?;
    if q.node_sites.iter().all(|s| s == site) {
        return None;
    }
    let n = q.members.len();
    Some(if counts.len() == 1 {
        format!(
            "all {n} etcd members stand in site `{site}`: losing it stops automatic failover although a node elsewhere survives; place them in three sites (a small witness host in a third site is enough)"
        )
    } else {
        format!(
            "site `{site}` holds {k} of the {n} etcd members, a majority: losing it stops automatic failover although nodes elsewhere survive; place the third member in a third site (a small witness host is enough) so that no site holds a majority"
        )
    })
}

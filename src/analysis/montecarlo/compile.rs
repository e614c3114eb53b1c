//! Input modelling for the DR simulation: the scenario flattened into units
//! (everything that can fail), processes (each failure mode of each unit)
//! and, per cluster, the copies of its data with the chain of units each
//! depends on (host, disks, rack, site, metro, region; a passive node also its
//! link), their RPO and their restore time.

use super::engine::{Plan, Process};
use super::sampling::Shape;
use crate::analysis::disk::bandwidth::{RestorePath, restore_paths, restore_paths_to};
use crate::analysis::spof::build::tier_rpo;
use crate::analysis::spof::probability::array_lost_in_a_year;
use crate::model::units::{DAY, YEAR};
use crate::model::{
    BarmanId, CloudId, ClusterId, FailureClass, FailureMode, Failures, HostId, HostRole, PassiveId,
    ReplicationMode, Scenario, TierRef,
};

/// A copy of the data that can serve (a PostgreSQL node) or be restored from (a tier).
#[derive(Debug, Clone, PartialEq)]
pub struct DataCopy {
    /// Name for reports.
    pub name: String,
    /// Units that must all be up for the copy to be usable.
    pub chain: Vec<usize>,
    /// Nodes: synchronous replica (or the primary). Tiers: unused.
    pub sync: bool,
    /// Tiers: data lost when restoring from it (seconds of commits).
    pub rpo: f64,
    /// Tiers: seconds to restore and replay from it.
    pub restore: f64,
    /// Tiers: probability the backup used is silently unrestorable.
    pub silent: f64,
    /// Tiers: the tier it is fed from (a passive node from its Barman server).
    pub fed_by: Option<usize>,
    /// Nodes: a recovery host, holding data only after a DR restore onto it.
    pub recovery: bool,
}

/// Which of a cluster's copies: a node (index into `nodes`) or a tier
/// (index into `tiers`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyRef {
    /// A PostgreSQL node.
    Node(usize),
    /// A backup tier.
    Tier(usize),
}

/// One cluster's copies.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterModel {
    /// Cluster name.
    pub name: String,
    /// Primary first, then standbys in a canonical order that does not
    /// depend on the scenario's list: synchronous ones first, then by host.
    pub nodes: Vec<DataCopy>,
    /// Barman servers, passive nodes, buckets.
    pub tiers: Vec<DataCopy>,
    /// Unit of its logical-corruption process, if any.
    pub corruption_unit: Option<usize>,
    /// Seconds from the serving node failing to a standby taking writes.
    pub failover: f64,
    /// Seconds no node may serve before disaster is declared (∞: never).
    pub declare_after: f64,
    /// Seconds to re-point clients after a DR restore.
    pub repoint: f64,
    /// Seconds to restore tier `i` onto recovery node `n` (transfer, replay,
    /// start-up), at `n * tiers.len() + i`; empty without a runbook.
    pub dr_restore: Vec<f64>,
}

/// The compiled system.
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    /// Units and their failure processes, prepared for the engine.
    pub plan: Plan,
    /// The clusters.
    pub clusters: Vec<ClusterModel>,
    /// For each unit, the (cluster, copy) pairs whose chain contains it.
    pub affects: Vec<Vec<(usize, CopyRef)>>,
}

fn add(processes: &mut Vec<Process>, unit: usize, f: &Failures, class: FailureClass) {
    let mut push = |m: &Option<FailureMode>, destroys: bool| {
        if let Some(m) = m {
            processes.push(Process {
                unit,
                destroys,
                mean_up: m.rate.mean_interval_secs(),
                life: Shape::from(m.lifetime),
                mean_repair: m.repair.as_secs().max(1.0),
                repair: Shape::from(m.repair_distribution),
                class,
            });
        }
    };
    push(&f.outage, false);
    push(&f.destruction, true);
}

/// Flatten a scenario.
pub fn compile(s: &Scenario) -> Compiled {
    let mut next = 0usize;
    let mut take = |n: usize| {
        let start = next;
        next += n;
        start
    };
    let region0 = take(s.regions.len());
    let metro0 = take(s.metros.len());
    let site0 = take(s.sites.len());
    let rack0: Vec<usize> = s.sites.iter().map(|x| take(x.racks.len())).collect();
    let host0 = take(s.hosts.len());
    let disk0 = take(s.hosts.len());
    let link0 = take(s.links.len());
    let cloud0 = take(s.cloud_tiers.len());
    let corr0 = take(s.clusters.len());
    let units = next;

    let mut processes = Vec::new();
    for (i, r) in s.regions.iter().enumerate() {
        add(
            &mut processes,
            region0 + i,
            &r.failures,
            FailureClass::Region,
        );
    }
    for (i, m) in s.metros.iter().enumerate() {
        add(&mut processes, metro0 + i, &m.failures, FailureClass::Metro);
    }
    for (i, site) in s.sites.iter().enumerate() {
        add(
            &mut processes,
            site0 + i,
            &site.failures,
            FailureClass::Site,
        );
        for (j, r) in site.racks.iter().enumerate() {
            add(
                &mut processes,
                rack0[i] + j,
                &r.failures,
                FailureClass::Rack,
            );
        }
    }
    for (i, h) in s.hosts.iter().enumerate() {
        add(&mut processes, host0 + i, &h.failures, FailureClass::Host);
        if let Some(d) = &h.disks {
            // The array is lost at the MTTDL rate (see spof::probability); rebuilding takes the disk repair time.
            let rate = -(-array_lost_in_a_year(d)).ln_1p();
            if let (true, Some(m)) = (rate > 0.0, d.failure) {
                processes.push(Process {
                    unit: disk0 + i,
                    destroys: true,
                    mean_up: YEAR / rate,
                    life: Shape::Exponential,
                    mean_repair: m.repair.as_secs().max(1.0),
                    repair: Shape::from(m.repair_distribution),
                    class: FailureClass::DiskArray,
                });
            }
        }
    }
    for (i, l) in s.links.iter().enumerate() {
        add(&mut processes, link0 + i, &l.failures, FailureClass::Link);
    }
    for (i, c) in s.cloud_tiers.iter().enumerate() {
        add(&mut processes, cloud0 + i, &c.failures, FailureClass::Cloud);
    }
    for (i, c) in s.clusters.iter().enumerate() {
        if let Some(m) = c.logical_corruption {
            processes.push(Process {
                unit: corr0 + i,
                destroys: false,
                mean_up: m.rate.mean_interval_secs(),
                life: Shape::Exponential,
                mean_repair: m.repair.as_secs().max(1.0),
                repair: Shape::Exponential,
                class: FailureClass::LogicalCorruption,
            });
        }
    }

    let chain = |h: HostId| {
        let ch = s.chain(h);
        let mut c = vec![host0 + h.0];
        if ch.disk_array {
            c.push(disk0 + h.0);
        }
        if let Some(r) = ch.rack {
            c.push(rack0[r.site.0] + r.index);
        }
        c.extend([
            site0 + ch.site.0,
            metro0 + ch.metro.0,
            region0 + ch.region.0,
        ]);
        c
    };
    let restores = restore_paths(s);
    let secs_on = |paths: &[RestorePath], t: TierRef| {
        paths
            .iter()
            .find(|r| r.tier == t)
            .map_or(f64::INFINITY, |r| r.hours * 3600.0)
    };
    let restore_secs = |t: TierRef| secs_on(&restores, t);
    let recovery_paths: Vec<(HostId, Vec<RestorePath>)> = s
        .hosts
        .iter()
        .enumerate()
        .filter(|(_, h)| h.role == HostRole::Recovery)
        .map(|(h, _)| (HostId(h), restore_paths_to(s, HostId(h))))
        .collect();
    let mut clusters = Vec::new();
    for (ci, cl) in s.clusters.iter().enumerate() {
        let c = ClusterId(ci);
        let node = |h: HostId, sync: bool| DataCopy {
            name: s.hosts[h.0].name.clone(),
            chain: chain(h),
            sync,
            rpo: 0.0,
            restore: 0.0,
            silent: 0.0,
            fed_by: None,
            recovery: false,
        };
        let mut nodes = vec![node(cl.primary, true)];
        let mut standbys: Vec<_> = cl
            .standbys
            .iter()
            .map(|sb| (sb.mode != ReplicationMode::Sync, sb.host.0))
            .collect();
        standbys.sort_unstable();
        nodes.extend(
            standbys
                .into_iter()
                .map(|(is_async, h)| node(HostId(h), !is_async)),
        );
        // With a runbook, every recovery host is a place to restore onto.
        let recovery: &[(HostId, Vec<RestorePath>)] = if cl.declare_disaster_after.is_some() {
            &recovery_paths
        } else {
            &[]
        };
        for (h, _) in recovery {
            nodes.push(DataCopy {
                recovery: true,
                ..node(*h, false)
            });
        }
        let startup = 300.0;
        let replay = |interval: f64| {
            interval / 2.0 * cl.wal_per_day.0 as f64 / DAY / cl.replay_rate.bytes_per_sec().max(1.0)
        };
        let mut tiers = Vec::new();
        // Per tier: which one, and the seconds of replay + start-up.
        let mut refs: Vec<(TierRef, f64)> = Vec::new();
        let mut barman_tier = std::collections::HashMap::new();
        for (bi, b) in s
            .barman_servers
            .iter()
            .enumerate()
            .filter(|(_, b)| b.cluster == c)
        {
            barman_tier.insert(bi, tiers.len());
            let interval = b.schedule.mean_interval().as_secs();
            refs.push((TierRef::Barman(BarmanId(bi)), replay(interval) + startup));
            tiers.push(DataCopy {
                name: format!("Barman `{}`", b.name),
                chain: chain(b.host),
                sync: false,
                rpo: tier_rpo(s, TierRef::Barman(BarmanId(bi))),
                restore: restore_secs(TierRef::Barman(BarmanId(bi))) + replay(interval) + startup,
                silent: b.silent_failure.value(),
                fed_by: None,
                recovery: false,
            });
        }
        for (pi, p) in s.passive_nodes.iter().enumerate() {
            let Some(&src) = barman_tier.get(&p.primary.0) else {
                continue;
            };
            let b = &s.barman_servers[p.primary.0];
            refs.push((
                TierRef::Passive(PassiveId(pi)),
                replay(b.schedule.mean_interval().as_secs()) + startup,
            ));
            let mut ch = chain(p.host);
            ch.extend(s.sync_link(PassiveId(pi)).map(|l| link0 + l.0));
            tiers.push(DataCopy {
                name: format!("passive `{}`", p.name),
                chain: ch,
                sync: false,
                rpo: tier_rpo(s, TierRef::Passive(PassiveId(pi))),
                restore: restore_secs(TierRef::Passive(PassiveId(pi)))
                    + replay(b.schedule.mean_interval().as_secs())
                    + startup,
                silent: b.silent_failure.value(),
                fed_by: Some(src),
                recovery: false,
            });
        }
        for (ki, k) in s
            .cloud_tiers
            .iter()
            .enumerate()
            .filter(|(_, k)| k.cluster == c)
        {
            let interval = k
                .schedule
                .as_ref()
                .or(k.via.barman().map(|b| &s.barman_servers[b.0].schedule))
                .map_or(DAY, |x| x.mean_interval().as_secs());
            refs.push((TierRef::Cloud(CloudId(ki)), replay(interval) + startup));
            tiers.push(DataCopy {
                name: format!("bucket `{}`", k.name),
                chain: vec![cloud0 + ki, region0 + k.region.0],
                sync: false,
                rpo: tier_rpo(s, TierRef::Cloud(CloudId(ki))),
                restore: restore_secs(TierRef::Cloud(CloudId(ki))) + replay(interval) + startup,
                silent: k
                    .via
                    .barman()
                    .map_or(0.0, |b| s.barman_servers[b.0].silent_failure.value()),
                // A bucket that Barman fills (hooks, native paths) gets no
                // new WAL while that Barman server is down or has lost its
                // data; one filled from the PostgreSQL host has no such source.
                fed_by: k.via.barman().and_then(|b| barman_tier.get(&b.0).copied()),
                recovery: false,
            });
        }
        let dr_restore = recovery
            .iter()
            .flat_map(|(_, paths)| refs.iter().map(|&(t, rest)| secs_on(paths, t) + rest))
            .collect();
        clusters.push(ClusterModel {
            name: cl.name.clone(),
            nodes,
            tiers,
            corruption_unit: cl.logical_corruption.map(|_| corr0 + ci),
            failover: cl.failover_time.as_secs(),
            declare_after: cl
                .declare_disaster_after
                .map_or(f64::INFINITY, |d| d.as_secs()),
            repoint: cl.repoint_time.as_secs(),
            dr_restore,
        });
    }
    let mut affects = vec![Vec::new(); units];
    for (ci, m) in clusters.iter().enumerate() {
        for (ni, n) in m.nodes.iter().enumerate() {
            for &u in &n.chain {
                affects[u].push((ci, CopyRef::Node(ni)));
            }
        }
        for (ti, t) in m.tiers.iter().enumerate() {
            for &u in &t.chain {
                affects[u].push((ci, CopyRef::Tier(ti)));
            }
        }
    }
    // A unit no copy depends on (a recovery host, an unused link) changes
    // nothing the observer sees: its processes are left out.
    processes.retain(|p| {
        !affects[p.unit].is_empty() || clusters.iter().any(|m| m.corruption_unit == Some(p.unit))
    });
    Compiled {
        plan: Plan::new(processes, units),
        clusters,
        affects,
    }
}

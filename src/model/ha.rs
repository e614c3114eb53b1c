//! High availability as deployed: which manager promotes a standby (Patroni,
//! repmgr or a person), the quorum store Patroni needs (its DCS members,
//! hosts with their own failure chains, a majority of which must be up),
//! Patroni's timings and the synchronous-replication rule (`FIRST n` /
//! `ANY n` over the sync-capable nodes, blocking or degrading when it cannot
//! be met).
//!
//! Not here: what follows from them (quorum and blocking in `analysis::spof`,
//! the configuration in `export::patroni`).

use super::ids::HostId;
use super::units::{Bytes, Duration};

/// What promotes a standby when the primary fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HaManager {
    /// Patroni with an etcd quorum: automatic failover while a majority of
    /// the DCS members is up; a leader that loses the DCS demotes itself.
    Patroni,
    /// repmgr's repmgrd: automatic failover, no quorum store.
    Repmgr,
    /// A person runs the promotion from the runbook.
    Manual,
}

impl HaManager {
    /// The spelling used in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Patroni => "patroni",
            Self::Repmgr => "repmgr",
            Self::Manual => "manual",
        }
    }
}

/// How `synchronous_standby_names` picks the standbys a commit waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyncMethod {
    /// `FIRST n (…)`: the first n connected standbys in list order.
    First,
    /// `ANY n (…)`: any n of the listed standbys (quorum commit).
    Any,
}

impl SyncMethod {
    /// The keyword PostgreSQL reads.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::First => "FIRST",
            Self::Any => "ANY",
        }
    }
}

/// The synchronous-replication rule of a cluster: a commit on the leader
/// waits for `count` of the other sync-capable nodes (the primary and the
/// standbys written `mode: sync`, see [`super::Cluster::sync_nodes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncRule {
    /// FIRST or ANY.
    pub method: SyncMethod,
    /// How many standbys must confirm each commit.
    pub count: usize,
    /// Writes block while fewer than `count` are connected (PostgreSQL's own
    /// behaviour, and Patroni's `synchronous_mode_strict`); otherwise Patroni
    /// drops to asynchronous replication and a failover then loses the lag.
    pub strict: bool,
}

/// Patroni's timings and settings (the cluster-wide `bootstrap.dcs` part).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PatroniTimings {
    /// `ttl`: how long the leader key lives without being refreshed.
    pub ttl: Duration,
    /// `loop_wait`: seconds between two runs of Patroni's HA loop.
    pub loop_wait: Duration,
    /// `retry_timeout`: how long DCS and PostgreSQL operations are retried.
    pub retry_timeout: Duration,
    /// `maximum_lag_on_failover`: a replica further behind is never promoted.
    pub maximum_lag_on_failover: Bytes,
}

impl PatroniTimings {
    /// Patroni's defaults: ttl 30 s, loop_wait 10 s, retry_timeout 10 s,
    /// maximum_lag_on_failover 1 MiB.
    pub fn defaults() -> Self {
        Self {
            ttl: Duration::from_secs(30.0),
            loop_wait: Duration::from_secs(10.0),
            retry_timeout: Duration::from_secs(10.0),
            maximum_lag_on_failover: Bytes(1 << 20),
        }
    }

    /// Time from the leader crashing to a replica accepting writes, on
    /// average over when the crash falls: the leader key expires `ttl` after
    /// its last refresh, which came between 0 and `loop_wait` before the
    /// crash (mean `ttl − loop_wait / 2`), then the promotion takes about
    /// two seconds: 27 s with the defaults (range 22–32 s). Measured with
    /// Patroni 4.1.5 and etcd 3.4 (tests/patroni_real.rs): 30.6 s for a
    /// crash 0.3 s after a refresh; measured earlier on this kind of host
    /// 19–21 s with the defaults and 10–11 s with ttl 10 / loop_wait 2. A
    /// clean stop of the leader's Patroni hands over in 2–3 s. Clients
    /// following the leader add their own delay.
    pub fn failover_time(&self) -> Duration {
        Duration::from_secs(
            (self.ttl.as_secs() - self.loop_wait.as_secs() / 2.0).max(0.0) + PROMOTION_SECS,
        )
    }
}

/// Seconds from a replica winning the leader race to it accepting writes.
pub const PROMOTION_SECS: f64 = 2.0;

/// How a cluster is kept available, when the scenario says (`ha:`).
#[derive(Debug, Clone, PartialEq)]
pub struct Ha {
    /// Who promotes.
    pub manager: HaManager,
    /// Hosts running a DCS (etcd) member, Patroni only; a majority must be up.
    pub dcs: Vec<HostId>,
    /// Patroni's timings (Patroni only).
    pub patroni: Option<PatroniTimings>,
}

impl Ha {
    /// Members needed for a quorum: a majority of the DCS members.
    pub fn quorum(&self) -> usize {
        self.dcs.len() / 2 + 1
    }
}

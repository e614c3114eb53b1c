//! The DR semantics of one trial, as an [`Observer`] of the engine.
//!
//! Per cluster: the service is up while the serving node's chain is up and its
//! data intact. When it is not, the cluster fails over (after `failover`) to
//! another node that is up with intact data (an async standby loses its lag);
//! else it waits for a node whose data is intact to come back (an outage);
//! else — every node's data destroyed — it restores from the copy that loses
//! the least: a backup tier that is up with intact data, losing the tier's own
//! RPO plus the time its WAL feed had been cut before the loss (a Barman host
//! or WAN link down). A silently broken backup doubles the restore (the one
//! before it is used). Without any surviving copy everything is lost. Logical
//! corruption is undone only by a point-in-time restore from a tier; the
//! commits since the corruption are lost. Copies whose data was destroyed are
//! re-seeded as soon as they are back and the service is up.
//!
//! Speed: each copy keeps a count of the units of its chain that are down,
//! updated only when a unit goes down or comes back, and a cluster is only
//! re-settled when one of its copies changed (availability, data), when it
//! asked to be woken, or after a corruption was detected: otherwise settling
//! would change nothing.

use super::compile::{CORRUPTION, ClusterModel, Compiled};
use super::engine::{Change, Observer, Process};
use super::sampling::Stream;

/// Seconds of commits an asynchronous standby is behind when promoted.
pub const ASYNC_LAG_SECS: f64 = 5.0;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    Up,
    Switching { until: f64, to: usize },
    Waiting,
    Restoring { until: f64 },
    WaitingHost,
}

/// What one cluster lived through in one trial.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClusterTrial {
    /// Seconds of downtime.
    pub downtime: f64,
    /// Each incident: (seconds down, class).
    pub incidents: Vec<(f64, u8)>,
    /// Each data loss: (seconds of commits lost, class); ∞ for everything.
    pub losses: Vec<(f64, u8)>,
}

#[derive(Debug, Clone)]
struct State {
    data_ok: Vec<bool>,
    tier_ok: Vec<bool>,
    /// Units of each node's chain that are down.
    node_down: Vec<u16>,
    /// Units of each tier's chain that are down.
    tier_down: Vec<u16>,
    /// Something settling reads changed since the last settle (or it did not finish).
    dirty: bool,
    feed_cut: Vec<f64>,
    serving: usize,
    phase: Phase,
    incident: Option<(f64, u8)>,
    corruption_at: f64,
    wake: f64,
    out: ClusterTrial,
}

/// The observer: compiled system, options, and per-cluster state.
pub struct DrObserver<'a> {
    sys: &'a Compiled,
    failover: f64,
    states: Vec<State>,
    /// For each unit, the cluster whose logical-corruption process it carries.
    corruption_of: Vec<Option<usize>>,
    /// Random stream for decisions (silent backup failures).
    pub stream: Stream,
}

impl<'a> DrObserver<'a> {
    /// A fresh observer for one trial.
    pub fn new(sys: &'a Compiled, failover: f64, stream: Stream) -> Self {
        let states = sys
            .clusters
            .iter()
            .map(|m| State {
                data_ok: vec![true; m.nodes.len()],
                tier_ok: vec![true; m.tiers.len()],
                node_down: vec![0; m.nodes.len()],
                tier_down: vec![0; m.tiers.len()],
                dirty: true,
                feed_cut: vec![f64::NAN; m.tiers.len()],
                serving: 0,
                phase: Phase::Up,
                incident: None,
                corruption_at: f64::NAN,
                wake: f64::INFINITY,
                out: ClusterTrial::default(),
            })
            .collect();
        let mut corruption_of = vec![None; sys.units];
        for (c, m) in sys.clusters.iter().enumerate() {
            if let Some(u) = m.corruption_unit
                && corruption_of[u].is_none()
            {
                corruption_of[u] = Some(c);
            }
        }
        Self {
            sys,
            failover,
            states,
            corruption_of,
            stream,
        }
    }

    /// Start a new trial, keeping the buffers (no allocation per trial).
    pub fn reset(&mut self, stream: Stream) {
        self.stream = stream;
        for s in &mut self.states {
            s.data_ok.iter_mut().for_each(|x| *x = true);
            s.tier_ok.iter_mut().for_each(|x| *x = true);
            s.node_down.iter_mut().for_each(|x| *x = 0);
            s.tier_down.iter_mut().for_each(|x| *x = 0);
            s.dirty = true;
            s.feed_cut.iter_mut().for_each(|x| *x = f64::NAN);
            s.serving = 0;
            s.phase = Phase::Up;
            s.incident = None;
            s.corruption_at = f64::NAN;
            s.wake = f64::INFINITY;
            s.out.downtime = 0.0;
            s.out.incidents.clear();
            s.out.losses.clear();
        }
    }

    /// The outcome per cluster (after `finish`).
    pub fn outcome(&self) -> impl Iterator<Item = &ClusterTrial> {
        self.states.iter().map(|s| &s.out)
    }
}

impl State {
    #[inline]
    fn node_up(&self, n: usize) -> bool {
        self.node_down[n] == 0
    }

    #[inline]
    fn tier_up(&self, i: usize) -> bool {
        self.tier_down[i] == 0
    }

    fn open(&mut self, t: f64, class: u8) {
        if self.incident.is_none() {
            self.incident = Some((t, class));
        }
    }

    fn close(&mut self, t: f64) {
        if let Some((start, class)) = self.incident.take() {
            let d = t - start;
            self.out.downtime += d;
            self.out.incidents.push((d, class));
        }
    }

    fn class(&self, fallback: u8) -> u8 {
        self.incident.map_or(fallback, |(_, c)| c)
    }

    /// The best tier to restore from: least data lost, then fastest.
    fn best_tier(&self, m: &ClusterModel) -> Option<(usize, f64)> {
        let lost_at = self.incident.map_or(0.0, |(s, _)| s);
        (0..m.tiers.len())
            .filter(|&i| self.tier_ok[i] && self.tier_up(i))
            .map(|i| {
                let stale = if self.feed_cut[i].is_nan() {
                    0.0
                } else {
                    (lost_at - self.feed_cut[i]).max(0.0)
                };
                (i, m.tiers[i].rpo + stale)
            })
            .min_by(|a, b| {
                a.1.total_cmp(&b.1)
                    .then(m.tiers[a.0].restore.total_cmp(&m.tiers[b.0].restore))
            })
    }

    fn start_restore(&mut self, m: &ClusterModel, t: f64, stream: &mut Stream, class: u8) {
        match self.best_tier(m) {
            Some((i, loss)) => {
                if loss > 0.0 {
                    self.out.losses.push((loss, class));
                }
                let mut d = m.tiers[i].restore;
                if stream.uniform() < m.tiers[i].silent {
                    d *= 2.0;
                }
                self.phase = Phase::Restoring { until: t + d };
            }
            None if self.tier_ok.iter().any(|&ok| ok) => self.phase = Phase::Waiting,
            None => {
                self.out.losses.push((f64::INFINITY, class));
                self.phase = Phase::WaitingHost;
            }
        }
    }

    fn choose(&mut self, m: &ClusterModel, t: f64, stream: &mut Stream, class: u8, failover: f64) {
        let s = self.serving;
        if self.node_up(s) && self.data_ok[s] {
            self.phase = Phase::Up;
            self.close(t);
            return;
        }
        if let Some(n) = (0..m.nodes.len()).find(|&n| n != s && self.node_up(n) && self.data_ok[n])
        {
            if !m.nodes[n].sync {
                self.out.losses.push((ASYNC_LAG_SECS, class));
            }
            self.phase = Phase::Switching {
                until: t + failover,
                to: n,
            };
            return;
        }
        if self.data_ok.iter().any(|&ok| ok) {
            self.phase = Phase::Waiting;
            return;
        }
        self.start_restore(m, t, stream, class);
    }

    fn first_up_node(&self, m: &ClusterModel) -> Option<usize> {
        std::iter::once(self.serving)
            .chain(0..m.nodes.len())
            .find(|&n| self.node_up(n))
    }

    /// One step of settling; true once the phase is stable.
    fn step(
        &mut self,
        m: &ClusterModel,
        t: f64,
        stream: &mut Stream,
        class: u8,
        failover: f64,
    ) -> bool {
        match self.phase {
            Phase::Up => {
                let s = self.serving;
                if self.node_up(s) && self.data_ok[s] {
                    return true;
                }
                self.open(t, class);
                let c = self.class(class);
                self.choose(m, t, stream, c, failover);
                false
            }
            Phase::Switching { until, to } => {
                if !(self.node_up(to) && self.data_ok[to]) {
                    let c = self.class(class);
                    self.choose(m, t, stream, c, failover);
                    matches!(self.phase, Phase::Switching { .. })
                } else {
                    if t >= until {
                        self.serving = to;
                        self.phase = Phase::Up;
                        self.close(t);
                    }
                    true
                }
            }
            Phase::Waiting => {
                let c = self.class(class);
                self.choose(m, t, stream, c, failover);
                self.phase == Phase::Waiting
            }
            Phase::Restoring { until } => {
                if t >= until {
                    self.phase = Phase::WaitingHost;
                    false
                } else {
                    true
                }
            }
            Phase::WaitingHost => {
                if let Some(n) = self.first_up_node(m) {
                    self.serving = n;
                    self.data_ok[n] = true;
                    self.phase = Phase::Up;
                    self.close(t);
                }
                true
            }
        }
    }

    fn settle(&mut self, m: &ClusterModel, t: f64, stream: &mut Stream, class: u8, failover: f64) {
        let mut stable = false;
        for _ in 0..4 {
            if self.step(m, t, stream, class, failover) {
                stable = true;
                break;
            }
        }
        // Settling again with the same inputs changes nothing once stable.
        self.dirty = !stable;
        let up = self.phase == Phase::Up;
        if up {
            for n in 0..m.nodes.len() {
                if !self.data_ok[n] && self.node_up(n) {
                    self.data_ok[n] = true;
                }
            }
        }
        for i in 0..m.tiers.len() {
            let source_ok = m.tiers[i]
                .fed_by
                .is_none_or(|src| self.tier_ok[src] && self.tier_up(src));
            let reachable = self.tier_up(i) && source_ok;
            if up && reachable && !self.tier_ok[i] {
                self.tier_ok[i] = true;
            }
            if up && reachable {
                self.feed_cut[i] = f64::NAN;
            } else if self.feed_cut[i].is_nan() {
                self.feed_cut[i] = t;
            }
        }
        self.wake = match self.phase {
            Phase::Switching { until, .. } | Phase::Restoring { until } => until,
            _ => f64::INFINITY,
        };
    }

    fn corruption_detected(&mut self, m: &ClusterModel, t: f64, stream: &mut Stream) {
        let since = if self.corruption_at.is_nan() {
            t
        } else {
            self.corruption_at
        };
        self.corruption_at = f64::NAN;
        let lost = (t - since).max(0.0);
        if self.phase != Phase::Up {
            self.out.losses.push((lost, CORRUPTION));
            return;
        }
        match self.best_tier(m) {
            Some((i, _)) => {
                self.out.losses.push((lost, CORRUPTION));
                self.open(t, CORRUPTION);
                let mut d = m.tiers[i].restore;
                if stream.uniform() < m.tiers[i].silent {
                    d *= 2.0;
                }
                self.phase = Phase::Restoring { until: t + d };
            }
            // No point-in-time copy: the damage stays; count it as losing everything.
            None => self.out.losses.push((f64::INFINITY, CORRUPTION)),
        }
    }
}

impl Observer for DrObserver<'_> {
    fn on_change(&mut self, t: f64, change: Change, down: &[u16], processes: &[Process]) -> f64 {
        let class = match change {
            Change::Failed(p) | Change::Repaired(p) => processes[p].class,
            Change::Timer => 0,
        };
        // A unit that went down or came back changes the chains it is part of.
        let moved = match change {
            Change::Failed(p) if down[processes[p].unit] == 1 => Some((processes[p].unit, true)),
            Change::Repaired(p) if down[processes[p].unit] == 0 => Some((processes[p].unit, false)),
            _ => None,
        };
        if let Some((u, went_down)) = moved {
            for &(c, copy) in &self.sys.affects[u] {
                let s = &mut self.states[c];
                let count = match copy {
                    Ok(n) => &mut s.node_down[n],
                    Err(i) => &mut s.tier_down[i],
                };
                if went_down {
                    *count += 1;
                    s.dirty |= *count == 1;
                } else {
                    *count -= 1;
                    s.dirty |= *count == 0;
                }
            }
        }
        match change {
            Change::Failed(p) if processes[p].destroys => {
                for &(c, copy) in &self.sys.affects[processes[p].unit] {
                    let s = &mut self.states[c];
                    match copy {
                        Ok(n) => s.data_ok[n] = false,
                        Err(i) => s.tier_ok[i] = false,
                    }
                    s.dirty = true;
                }
            }
            Change::Failed(p) if processes[p].class == CORRUPTION => {
                if let Some(c) = self.corruption_of[processes[p].unit] {
                    self.states[c].corruption_at = t;
                }
            }
            Change::Repaired(p) if processes[p].class == CORRUPTION => {
                if let Some(c) = self.corruption_of[processes[p].unit] {
                    let m = &self.sys.clusters[c];
                    self.states[c].corruption_detected(m, t, &mut self.stream);
                    self.states[c].dirty = true;
                }
            }
            _ => {}
        }
        let mut wake = f64::INFINITY;
        for (m, s) in self.sys.clusters.iter().zip(&mut self.states) {
            if s.dirty || t >= s.wake {
                s.settle(m, t, &mut self.stream, class, self.failover);
            }
            wake = wake.min(s.wake);
        }
        wake
    }

    fn finish(&mut self, horizon: f64) {
        for s in &mut self.states {
            s.close(horizon);
        }
    }
}

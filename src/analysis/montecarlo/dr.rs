//! The DR semantics of one trial, as an [`Observer`] of the engine.
//!
//! Per cluster: the service is up while the serving node's chain is up and its
//! data intact. When it is not, the cluster fails over (after the cluster's
//! `failover_time`) to another node that is up with intact data, choosing as
//! Patroni and repmgr do: a synchronous standby first (nothing lost), else the
//! least-lagged asynchronous one (which loses its lag; every async standby is
//! modelled with the same lag, so the tie goes to the first in host order,
//! never to the order of the scenario's list);
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

use super::compile::{ClusterModel, Compiled, CopyRef};
use super::engine::{Change, Observer, Process};
use super::sampling::Stream;
use crate::model::FailureClass;
use shape::{Shape, bit, bits};

mod corruption;
mod restore;
mod shape;

/// Seconds of commits an asynchronous standby is behind when promoted.
pub const ASYNC_LAG_SECS: f64 = 5.0;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    Up,
    Switching {
        until: f64,
        to: usize,
    },
    Waiting,
    Restoring {
        until: f64,
    },
    /// A DR restore onto recovery host `to`, in service at `until`.
    RestoringOnto {
        until: f64,
        to: usize,
    },
    WaitingHost,
}

/// What one cluster lived through in one trial.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClusterTrial {
    /// Seconds of downtime.
    pub downtime: f64,
    /// Each incident: (seconds down, class).
    pub incidents: Vec<(f64, FailureClass)>,
    /// Each data loss: (seconds of commits lost, class); ∞ for everything.
    pub losses: Vec<(f64, FailureClass)>,
}

/// The observer: compiled system, options, and per-cluster state.
pub struct DrObserver<'a> {
    sys: &'a Compiled,
    states: Vec<State>,
    /// For each unit, the cluster whose logical-corruption process it carries.
    corruption_of: Vec<Option<usize>>,
    /// Random stream for decisions (silent backup failures).
    pub stream: Stream,
}

impl<'a> DrObserver<'a> {
    /// A fresh observer for one trial.
    pub fn new(sys: &'a Compiled, stream: Stream) -> Self {
        let mut corruption_of = vec![None; sys.plan.units];
        for (c, m) in sys.clusters.iter().enumerate() {
            if let Some(u) = m.corruption_unit
                && corruption_of[u].is_none()
            {
                corruption_of[u] = Some(c);
            }
        }
        Self {
            sys,
            states: sys.clusters.iter().map(State::new).collect(),
            corruption_of,
            stream,
        }
    }

    /// Start a new trial, keeping the buffers (no allocation per trial).
    pub fn reset(&mut self, stream: Stream) {
        self.stream = stream;
        for s in &mut self.states {
            s.reset();
        }
    }

    /// The outcome per cluster (after `finish`).
    pub fn outcome(&self) -> impl Iterator<Item = &ClusterTrial> {
        self.states.iter().map(|s| &s.out)
    }
}

/// One cluster's state. Sets of nodes and of tiers are 64-bit masks (bit `i`
/// is node or tier `i`; validation caps both at 64).
#[derive(Debug, Clone)]
struct State {
    /// The cluster's sets, as masks.
    shape: Shape,
    /// Nodes whose data is intact.
    data_ok: u64,
    /// Tiers whose data is intact.
    tier_ok: u64,
    /// Nodes whose whole chain is up.
    node_up: u64,
    /// Tiers whose whole chain is up.
    tier_up: u64,
    /// Units of each node's chain that are down.
    node_down: Vec<u16>,
    /// Units of each tier's chain that are down.
    tier_down: Vec<u16>,
    /// Something settling reads changed since the last settle (or it did not finish).
    dirty: bool,
    /// Tiers whose WAL feed is cut, and since when (valid where the bit is set).
    cut: u64,
    feed_cut: Vec<f64>,
    serving: usize,
    phase: Phase,
    incident: Option<(f64, FailureClass)>,
    corruption_at: f64,
    wake: f64,
    out: ClusterTrial,
}

impl State {
    fn new(m: &ClusterModel) -> Self {
        let mut s = Self {
            shape: Shape::of(m),
            data_ok: 0,
            tier_ok: 0,
            node_up: 0,
            tier_up: 0,
            node_down: vec![0; m.nodes.len()],
            tier_down: vec![0; m.tiers.len()],
            dirty: true,
            cut: 0,
            feed_cut: vec![f64::NAN; m.tiers.len()],
            serving: 0,
            phase: Phase::Up,
            incident: None,
            corruption_at: f64::NAN,
            wake: f64::INFINITY,
            out: ClusterTrial::default(),
        };
        s.reset();
        s
    }

    fn reset(&mut self) {
        self.data_ok = self.shape.all_nodes & !self.shape.recovery;
        self.tier_ok = self.shape.all_tiers;
        self.node_up = self.shape.all_nodes;
        self.tier_up = self.shape.all_tiers;
        self.node_down.iter_mut().for_each(|x| *x = 0);
        self.tier_down.iter_mut().for_each(|x| *x = 0);
        self.dirty = true;
        self.cut = 0;
        self.serving = 0;
        self.phase = Phase::Up;
        self.incident = None;
        self.corruption_at = f64::NAN;
        self.wake = f64::INFINITY;
        self.out.downtime = 0.0;
        self.out.incidents.clear();
        self.out.losses.clear();
    }

    /// Node `n` is up with its data intact.
    #[inline]
    fn serves(&self, n: usize) -> bool {
        (self.node_up & self.data_ok) & bit(n) != 0
    }

    fn open(&mut self, t: f64, class: FailureClass) {
        if self.incident.is_none() {
            self.incident = Some((t, class));
        }
    }

    fn close(&mut self, t: f64) {
        if let Some((start, class)) = self.incident.take() {
            let d = t - start;
            // A failover that takes no time is no outage.
            if d > 0.0 {
                self.out.downtime += d;
                self.out.incidents.push((d, class));
            }
        }
    }

    fn class(&self, fallback: FailureClass) -> FailureClass {
        self.incident.map_or(fallback, |(_, c)| c)
    }

    fn choose(&mut self, m: &ClusterModel, t: f64, stream: &mut Stream, class: FailureClass) {
        let s = self.serving;
        if self.serves(s) {
            self.phase = Phase::Up;
            self.close(t);
            return;
        }
        let others = self.node_up & self.data_ok & !bit(s);
        if others != 0 {
            let sync = others & self.shape.sync;
            let n = if sync != 0 { sync } else { others }.trailing_zeros() as usize;
            if self.shape.sync & bit(n) == 0 {
                self.out.losses.push((ASYNC_LAG_SECS, class));
            }
            self.phase = Phase::Switching {
                until: t + m.failover,
                to: n,
            };
            return;
        }
        if self.data_ok & !self.shape.recovery != 0 {
            self.phase = Phase::Waiting;
            self.declare(m, t, stream, class);
            return;
        }
        self.start_restore(m, t, stream, class);
    }

    fn first_up_node(&self) -> Option<usize> {
        let up = self.node_up & !self.shape.recovery;
        if up & bit(self.serving) != 0 {
            Some(self.serving)
        } else if up != 0 {
            Some(up.trailing_zeros() as usize)
        } else {
            None
        }
    }

    /// One step of settling; true once the phase is stable.
    fn step(&mut self, m: &ClusterModel, t: f64, stream: &mut Stream, class: FailureClass) -> bool {
        match self.phase {
            Phase::Up => {
                if self.serves(self.serving) {
                    return true;
                }
                self.open(t, class);
                let k = self.class(class);
                self.choose(m, t, stream, k);
                false
            }
            Phase::Switching { until, to } => {
                if !self.serves(to) {
                    let k = self.class(class);
                    self.choose(m, t, stream, k);
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
                let k = self.class(class);
                self.choose(m, t, stream, k);
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
            Phase::RestoringOnto { until, to } => {
                if self.node_up & bit(to) == 0 {
                    // The recovery host failed: start over.
                    let k = self.class(class);
                    self.choose(m, t, stream, k);
                    false
                } else if t >= until {
                    self.serving = to;
                    self.data_ok |= bit(to);
                    self.phase = Phase::Up;
                    self.close(t);
                    false
                } else {
                    true
                }
            }
            Phase::WaitingHost => {
                if let Some(n) = self.first_up_node() {
                    self.serving = n;
                    self.data_ok |= bit(n);
                    self.phase = Phase::Up;
                    self.close(t);
                }
                true
            }
        }
    }

    fn settle(&mut self, m: &ClusterModel, t: f64, stream: &mut Stream, class: FailureClass) {
        let mut stable = false;
        for _ in 0..4 {
            if self.step(m, t, stream, class) {
                stable = true;
                break;
            }
        }
        // Settling again with the same inputs changes nothing once stable.
        self.dirty = !stable;
        let up = self.phase == Phase::Up;
        // While the service is up, copies that are back are re-seeded; a
        // recovery host keeps data only while it serves.
        if up {
            let rec = self.shape.recovery;
            self.data_ok = (self.data_ok | (self.node_up & !rec)) & (!rec | bit(self.serving));
        }
        // A tier is fed while it is up and so is its source (with its data);
        // sources are never fed themselves, so they are settled first.
        let shape = &self.shape;
        let mut fed = self.tier_up & shape.unfed;
        if up {
            self.tier_ok |= fed;
        }
        for &(i, src) in &shape.fed {
            if self.tier_up & bit(i) != 0 && (self.tier_ok & self.tier_up) & bit(src) != 0 {
                fed |= bit(i);
                if up {
                    self.tier_ok |= bit(i);
                }
            }
        }
        let fresh = if up { fed } else { 0 };
        for i in bits(shape.all_tiers & !fresh & !self.cut) {
            self.feed_cut[i] = t;
        }
        self.cut = shape.all_tiers & !fresh;
        self.wake = match self.phase {
            Phase::Switching { until, .. }
            | Phase::Restoring { until }
            | Phase::RestoringOnto { until, .. } => until,
            Phase::Waiting => match self.incident {
                Some((s, _)) if s + m.declare_after > t => s + m.declare_after,
                _ => f64::INFINITY,
            },
            _ => f64::INFINITY,
        };
    }
}

impl Observer for DrObserver<'_> {
    fn on_change(&mut self, t: f64, change: Change, down: &[u16], processes: &[Process]) -> f64 {
        let class = match change {
            Change::Failed(p) | Change::Repaired(p) => processes[p].class,
            // A timer (a failover or restore ending) has no class of its own:
            // `class` takes the open incident's. The placeholder is the first class,
            // as before the classes were typed.
            Change::Timer => FailureClass::DiskArray,
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
                let (count, mask, i) = match copy {
                    CopyRef::Node(n) => (&mut s.node_down[n], &mut s.node_up, n),
                    CopyRef::Tier(i) => (&mut s.tier_down[i], &mut s.tier_up, i),
                };
                if went_down {
                    *count += 1;
                    if *count == 1 {
                        *mask &= !bit(i);
                        s.dirty = true;
                    }
                } else {
                    *count -= 1;
                    if *count == 0 {
                        *mask |= bit(i);
                        s.dirty = true;
                    }
                }
            }
        }
        match change {
            Change::Failed(p) if processes[p].destroys => {
                for &(c, copy) in &self.sys.affects[processes[p].unit] {
                    let s = &mut self.states[c];
                    match copy {
                        CopyRef::Node(n) => s.data_ok &= !bit(n),
                        CopyRef::Tier(i) => s.tier_ok &= !bit(i),
                    }
                    s.dirty = true;
                }
            }
            Change::Failed(p) if processes[p].class == FailureClass::LogicalCorruption => {
                if let Some(c) = self.corruption_of[processes[p].unit] {
                    self.states[c].corruption_at = t;
                }
            }
            Change::Repaired(p) if processes[p].class == FailureClass::LogicalCorruption => {
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
                s.settle(m, t, &mut self.stream, class);
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

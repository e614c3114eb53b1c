//! The engine: independent alternating renewal processes (a component fails
//! after a sampled lifetime, comes back after a sampled repair) over a
//! horizon, events in time order, each handed to an [`Observer`] that keeps
//! the system's own state (the DR model, or a textbook structure in tests).
//! A process acts on a *unit*; a unit is down while any of its processes is.

use super::sampling::{Shape, Stream};

/// One failure mode of one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Process {
    /// The unit it takes down.
    pub unit: usize,
    /// True when the failure destroys the data on the unit.
    pub destroys: bool,
    /// Mean time between failures, seconds.
    pub mean_up: f64,
    /// Lifetime shape.
    pub life: Shape,
    /// Mean time to repair, seconds.
    pub mean_repair: f64,
    /// Repair shape.
    pub repair: Shape,
    /// Failure class, for breakdowns (index into the observer's classes).
    pub class: u8,
}

/// What the engine tells the observer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// Process `p` failed.
    Failed(usize),
    /// Process `p` was repaired.
    Repaired(usize),
    /// A time the observer asked for came.
    Timer,
}

/// The system reacting to changes.
pub trait Observer {
    /// React to a change at time `t`; `down[u]` counts failed processes of unit `u`.
    /// Returns the next time the observer wants to be woken (∞ for none).
    fn on_change(&mut self, t: f64, change: Change, down: &[u16], processes: &[Process]) -> f64;
    /// The horizon is reached.
    fn finish(&mut self, horizon: f64);
}

/// Run one trial.
///
/// The next event is found with a tournament tree over the processes' next
/// times (ties go to the lowest process index, and the observer's timer wins
/// ties with processes), so each event costs O(log processes).
pub fn run_trial<O: Observer + ?Sized>(
    processes: &[Process],
    units: usize,
    horizon: f64,
    stream: &mut Stream,
    obs: &mut O,
    scratch: &mut Scratch,
) {
    scratch.reset(processes.len(), units);
    for (i, p) in processes.iter().enumerate() {
        let t = if p.mean_up.is_finite() {
            stream.sample(&p.life, p.mean_up)
        } else {
            f64::INFINITY
        };
        scratch.tree[scratch.leaves + i] = (t, i);
    }
    scratch.build();
    let mut timer = obs.on_change(0.0, Change::Timer, &scratch.down, processes);
    loop {
        let (next, best) = scratch.tree[1];
        let at = if next < timer { next } else { timer };
        if at >= horizon {
            break;
        }
        let change = if next >= timer {
            Change::Timer
        } else {
            let p = &processes[best];
            if scratch.failed[best] {
                scratch.failed[best] = false;
                scratch.down[p.unit] -= 1;
                scratch.update(best, at + stream.sample(&p.life, p.mean_up));
                Change::Repaired(best)
            } else {
                scratch.failed[best] = true;
                scratch.down[p.unit] += 1;
                scratch.update(best, at + stream.sample(&p.repair, p.mean_repair));
                Change::Failed(best)
            }
        };
        timer = obs.on_change(at, change, &scratch.down, processes);
    }
    obs.finish(horizon);
}

/// Buffers reused across trials (no allocation per trial).
#[derive(Debug, Default)]
pub struct Scratch {
    /// Tournament tree of (next time, process): node `k` holds the earlier of
    /// nodes `2k` and `2k + 1`; the leaves start at `leaves`.
    tree: Vec<(f64, usize)>,
    leaves: usize,
    failed: Vec<bool>,
    down: Vec<u16>,
}

impl Scratch {
    fn reset(&mut self, processes: usize, units: usize) {
        self.leaves = processes.next_power_of_two().max(1);
        self.tree.clear();
        self.tree
            .resize(2 * self.leaves, (f64::INFINITY, usize::MAX));
        self.failed.clear();
        self.failed.resize(processes, false);
        self.down.clear();
        self.down.resize(units, 0);
    }

    #[inline]
    fn earlier(a: (f64, usize), b: (f64, usize)) -> (f64, usize) {
        if b.0 < a.0 { b } else { a }
    }

    fn build(&mut self) {
        for k in (1..self.leaves).rev() {
            self.tree[k] = Self::earlier(self.tree[2 * k], self.tree[2 * k + 1]);
        }
    }

    /// Set a process's next time and replay its matches up to the root
    /// (only the sibling is read at each level).
    #[inline]
    fn update(&mut self, process: usize, t: f64) {
        let mut k = self.leaves + process;
        let mut winner = (t, process);
        self.tree[k] = winner;
        while k > 1 {
            let sibling = self.tree[k ^ 1];
            winner = if k & 1 == 0 {
                Self::earlier(winner, sibling)
            } else {
                Self::earlier(sibling, winner)
            };
            k /= 2;
            self.tree[k] = winner;
        }
    }
}

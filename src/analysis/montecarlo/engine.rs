//! The engine: independent alternating renewal processes (a component fails
//! after a sampled lifetime, comes back after a sampled repair) over a
//! horizon, events in time order, each handed to an [`Observer`] that keeps
//! the system's own state (the DR model, or a textbook structure in tests).
//! A process acts on a *unit*; a unit is down while any of its processes is.
//!
//! Exponential lifetimes share one clock: while a process is up its failures
//! form a Poisson process, so the failures of all of them together are the
//! superposition, a Poisson process at the sum of their rates. The engine
//! draws the next tick of that clock and which process it belongs to (in
//! proportion to the rates); a tick that falls on a process that is
//! down is thinned away (ignored), which is exact because the exponential
//! forgets its past. A trial then starts with one draw instead of one per
//! process. Other lifetimes (Weibull, fixed) and all repairs wait in a binary
//! heap, which then holds only what is under way.
//!
//! A plan can also be *biased* for importance sampling ([`Plan::biased`]):
//! clock rates multiplied by a factor, each trial carrying its likelihood
//! ratio back to the true rates ([`Scratch::weight`]).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::sampling::{Shape, Stream};
use crate::model::FailureClass;

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
    /// Failure class, for breakdowns.
    pub class: FailureClass,
}

impl Process {
    /// Its failures come from the shared exponential clock.
    fn on_clock(&self) -> bool {
        self.life == Shape::Exponential && self.mean_up.is_finite() && self.mean_up > 0.0
    }
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

/// The processes of a system, prepared for running trials.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Failure processes.
    pub processes: Vec<Process>,
    /// Number of units.
    pub units: usize,
    /// Processes on the shared exponential clock, most frequent first, each
    /// with the running sum of the rates so far (per second); the last sum is
    /// the clock's rate.
    clock: Vec<(f64, usize)>,
    /// Per process: on the clock.
    clocked: Vec<bool>,
    /// Importance sampling: per process (ln b, (b − 1)·λ per second) for a
    /// failure rate multiplied by b; `None` simulates the true rates.
    bias: Option<Vec<(f64, f64)>>,
}

impl Plan {
    /// Prepare `processes` acting on `units` units.
    pub fn new(processes: Vec<Process>, units: usize) -> Self {
        Self::with_factors(processes, units, None)
    }

    /// The same processes with the failure rate of each process on the clock
    /// multiplied by `factor(p)` ≥ 1 (importance sampling: rare failures made
    /// common). Every trial then carries its likelihood ratio back to the true
    /// rates, [`Scratch::weight`]: the weighted mean of an indicator is an
    /// unbiased estimate of its probability under the true rates. Processes
    /// off the clock (non-exponential lifetimes) keep their rates.
    pub fn biased(&self, factor: impl Fn(&Process) -> f64) -> Self {
        let factors = self
            .processes
            .iter()
            .map(|p| {
                if p.on_clock() {
                    factor(p).max(1.0)
                } else {
                    1.0
                }
            })
            .collect();
        Self::with_factors(self.processes.clone(), self.units, Some(factors))
    }

    fn with_factors(processes: Vec<Process>, units: usize, factors: Option<Vec<f64>>) -> Self {
        let b = |i: usize| factors.as_ref().map_or(1.0, |f| f[i]);
        let mut on: Vec<(f64, usize)> = (0..processes.len())
            .filter(|&i| processes[i].on_clock())
            .map(|i| (b(i) / processes[i].mean_up, i))
            .collect();
        on.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut sum = 0.0;
        let clock = on
            .into_iter()
            .map(|(rate, i)| {
                sum += rate;
                (sum, i)
            })
            .collect();
        let bias = factors.as_ref().map(|f| {
            processes
                .iter()
                .zip(f)
                .map(|(p, &b)| {
                    let excess = if p.on_clock() {
                        (b - 1.0) / p.mean_up
                    } else {
                        0.0
                    };
                    (b.ln(), excess)
                })
                .collect()
        });
        Self {
            clocked: processes.iter().map(Process::on_clock).collect(),
            processes,
            units,
            clock,
            bias,
        }
    }

    /// The next tick of the shared clock after `t` (∞ without a clock).
    #[inline]
    fn tick(&self, t: f64, stream: &mut Stream) -> f64 {
        match self.clock.last() {
            Some(&(rate, _)) => t + stream.sample(&Shape::Exponential, 1.0 / rate),
            None => f64::INFINITY,
        }
    }

    /// The process a tick belongs to, drawn in proportion to the rates (a
    /// linear walk: the most frequent come first).
    #[inline]
    fn pick(&self, stream: &mut Stream) -> usize {
        let total = self.clock.last().map_or(0.0, |c| c.0);
        let u = stream.uniform() * total;
        self.clock
            .iter()
            .find(|&&(upto, _)| u <= upto)
            .or(self.clock.last())
            .map_or(usize::MAX, |&(_, i)| i)
    }
}

/// Run one trial.
///
/// The next event is the earliest of the observer's timer, the pending
/// per-process times (a binary heap; ties go to the lowest process index) and
/// the clock's tick, in that order of precedence on ties.
pub fn run_trial<O: Observer + ?Sized>(
    plan: &Plan,
    horizon: f64,
    stream: &mut Stream,
    obs: &mut O,
    scratch: &mut Scratch,
) {
    let processes = &plan.processes[..];
    scratch.reset(processes.len(), plan.units);
    for (i, p) in processes.iter().enumerate() {
        if !plan.clocked[i] && p.mean_up.is_finite() {
            scratch.schedule(stream.sample(&p.life, p.mean_up), i);
        }
    }
    // ln of the likelihood ratio: −Σ ln b per biased failure, plus
    // (b − 1)·λ over the time each process was up to fail.
    scratch.log_weight = plan
        .bias
        .as_ref()
        .map_or(0.0, |b| b.iter().map(|x| x.1).sum::<f64>() * horizon);
    let mut tick = plan.tick(0.0, stream);
    let mut timer = obs.on_change(0.0, Change::Timer, &scratch.down, processes);
    loop {
        let next = scratch.pending.peek().map_or(f64::INFINITY, |e| e.0.at);
        let (at, change) = if timer <= next && timer <= tick {
            (timer, Change::Timer)
        } else if next <= tick {
            if next >= horizon {
                break;
            }
            let Some(Reverse(Pending { process: i, .. })) = scratch.pending.pop() else {
                unreachable!("a finite next time is a pending event")
            };
            let p = &processes[i];
            if scratch.failed[i] {
                scratch.failed[i] = false;
                scratch.down[p.unit] -= 1;
                if !plan.clocked[i] {
                    scratch.schedule(next + stream.sample(&p.life, p.mean_up), i);
                } else if let Some(b) = &plan.bias {
                    scratch.log_weight -= b[i].1 * (next - scratch.failed_at[i]);
                }
                (next, Change::Repaired(i))
            } else {
                (next, scratch.fail(p, i, next, stream))
            }
        } else {
            if tick >= horizon {
                break;
            }
            let at = tick;
            tick = plan.tick(at, stream);
            let i = plan.pick(stream);
            if scratch.failed[i] {
                // Thinned away: the process is already down.
                continue;
            }
            if let Some(b) = &plan.bias {
                scratch.log_weight -= b[i].0;
                scratch.failed_at[i] = at;
            }
            (at, scratch.fail(&processes[i], i, at, stream))
        };
        if at >= horizon {
            break;
        }
        timer = obs.on_change(at, change, &scratch.down, processes);
    }
    if let Some(b) = &plan.bias {
        for i in (0..processes.len()).filter(|&i| scratch.failed[i] && plan.clocked[i]) {
            scratch.log_weight -= b[i].1 * (horizon - scratch.failed_at[i]);
        }
    }
    obs.finish(horizon);
}

/// A process's next event: a repair, or the end of a lifetime not on the clock.
#[derive(Debug, Clone, Copy)]
struct Pending {
    at: f64,
    process: usize,
}

impl PartialEq for Pending {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o).is_eq()
    }
}

impl Eq for Pending {}

impl PartialOrd for Pending {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Pending {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.at.total_cmp(&o.at).then(self.process.cmp(&o.process))
    }
}

/// Buffers reused across trials (no allocation per trial).
#[derive(Debug, Default)]
pub struct Scratch {
    /// Pending events, earliest on top; usually a handful (the repairs under
    /// way), whatever the number of processes.
    pending: BinaryHeap<Reverse<Pending>>,
    failed: Vec<bool>,
    down: Vec<u16>,
    /// Importance sampling: when each biased process last failed, and the
    /// trial's ln likelihood ratio.
    failed_at: Vec<f64>,
    log_weight: f64,
}

impl Scratch {
    fn reset(&mut self, processes: usize, units: usize) {
        self.pending.clear();
        self.failed.clear();
        self.failed.resize(processes, false);
        self.down.clear();
        self.down.resize(units, 0);
        // Written at each biased failure before it is read: only the length
        // needs keeping, no per-trial reset.
        self.failed_at.resize(processes, 0.0);
        self.log_weight = 0.0;
    }

    /// The last trial's likelihood ratio (true rates over the plan's biased
    /// ones); 1 for a plan without bias.
    pub fn weight(&self) -> f64 {
        self.log_weight.exp()
    }

    #[inline]
    fn schedule(&mut self, at: f64, process: usize) {
        self.pending.push(Reverse(Pending { at, process }));
    }

    /// Process `i` fails at `at`: its repair is scheduled.
    #[inline]
    fn fail(&mut self, p: &Process, i: usize, at: f64, stream: &mut Stream) -> Change {
        self.failed[i] = true;
        self.down[p.unit] += 1;
        self.schedule(at + stream.sample(&p.repair, p.mean_repair), i);
        Change::Failed(i)
    }
}

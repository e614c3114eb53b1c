//! Monte Carlo against closed forms, with fixed seeds and a tolerance taken
//! from the estimator's own confidence interval (widened from 95 % to 99.9 %:
//! |estimate − exact| ≤ 3.29 standard errors), plus determinism, the
//! rare-event cross-check and the ordering of the bundled layouts.

use std::path::Path;

use drplan::analysis::montecarlo::engine::{Change, Observer, Plan, Process, Scratch, run_trial};
use drplan::analysis::montecarlo::sampling::{Shape, Stream};
use drplan::analysis::montecarlo::stats::{MeanAcc, Z95};
use drplan::analysis::montecarlo::{SimOptions, rare, simulate};
use drplan::model::{Distribution, FailureClass, load_file, load_str};

const YEAR: f64 = 365.25 * 86_400.0;
const Z999: f64 = 3.290_526_731_491_926;

/// The system works while at least `k` chains have every unit up.
struct KOfN {
    chains: Vec<Vec<usize>>,
    k: usize,
    down_since: Option<f64>,
    downtime: f64,
}

impl Observer for KOfN {
    fn on_change(&mut self, t: f64, _: Change, down: &[u16], _: &[Process]) -> f64 {
        let up = self
            .chains
            .iter()
            .filter(|c| c.iter().all(|&u| down[u] == 0))
            .count();
        match (up >= self.k, self.down_since) {
            (true, Some(s)) => {
                self.downtime += t - s;
                self.down_since = None;
            }
            (false, None) => self.down_since = Some(t),
            _ => {}
        }
        f64::INFINITY
    }
    fn finish(&mut self, horizon: f64) {
        if let Some(s) = self.down_since.take() {
            self.downtime += horizon - s;
        }
    }
}

fn process(unit: usize, per_year: f64, repair_days: f64, life: Distribution) -> Process {
    Process {
        unit,
        destroys: false,
        mean_up: YEAR / per_year,
        life: Shape::from(life),
        mean_repair: repair_days * 86_400.0,
        repair: Shape::Exponential,
        class: FailureClass::Host,
    }
}

/// Fraction of time down over `trials` trials of `years`, with its mean accumulator.
fn unavailability(
    processes: &[Process],
    units: usize,
    chains: Vec<Vec<usize>>,
    k: usize,
    trials: u64,
    years: f64,
) -> MeanAcc {
    let mut acc = MeanAcc::default();
    let mut scratch = Scratch::default();
    let plan = Plan::new(processes.to_vec(), units);
    for i in 0..trials {
        let mut obs = KOfN {
            chains: chains.clone(),
            k,
            down_since: None,
            downtime: 0.0,
        };
        run_trial(
            &plan,
            years * YEAR,
            &mut Stream::for_trial(42, i),
            &mut obs,
            &mut scratch,
        );
        acc.push(obs.downtime / (years * YEAR));
    }
    acc
}

fn assert_close(acc: &MeanAcc, exact: f64, what: &str) {
    assert_close_within(acc, exact, what, 0.1);
}

/// The estimate is within its 99.9 % interval of `exact`, and that interval
/// is narrower than `tight` × `exact` (tight enough to mean something).
fn assert_close_within(acc: &MeanAcc, exact: f64, what: &str, tight: f64) {
    let e = acc.estimate();
    let tolerance = e.half_width() / Z95 * Z999;
    assert!(
        (e.value - exact).abs() <= tolerance,
        "{what}: simulated {:.6e} ± {:.6e} (99.9 %), closed form {exact:.6e}",
        e.value,
        tolerance
    );
    assert!(
        tolerance < tight * exact.max(1e-9),
        "{what}: the interval (±{tolerance:.2e}) is tight enough to mean something"
    );
}

// λ = 10 a year, 3 days to repair: q = MTTR / (MTBF + MTTR).
const RATE: f64 = 10.0;
const DAYS: f64 = 3.0;

fn q() -> f64 {
    let mtbf = 365.25 / RATE;
    DAYS / (mtbf + DAYS)
}

#[test]
fn single_component() {
    let p = [process(0, RATE, DAYS, Distribution::Exponential)];
    assert_close(
        &unavailability(&p, 1, vec![vec![0]], 1, 2000, 20.0),
        q(),
        "single component",
    );
}

#[test]
fn weibull_and_exponential_with_the_same_mean_give_the_same_unavailability() {
    for shape in [0.7, 2.5] {
        let p = [process(0, RATE, DAYS, Distribution::Weibull { shape })];
        assert_close(
            &unavailability(&p, 1, vec![vec![0]], 1, 2000, 20.0),
            q(),
            &format!("Weibull k = {shape}"),
        );
    }
}

#[test]
fn a_component_down_half_the_time() {
    // 10 failures a year, 30 days to repair: the shared failure clock ticks on
    // a down component almost half the time, and those ticks must be ignored.
    let p = [process(0, RATE, 30.0, Distribution::Exponential)];
    let mtbf = 365.25 / RATE;
    assert_close(
        &unavailability(&p, 1, vec![vec![0]], 1, 2000, 20.0),
        30.0 / (mtbf + 30.0),
        "long repairs",
    );
}

#[test]
fn weibull_and_exponential_lifetimes_mixed_in_series() {
    let p = [
        process(0, RATE, DAYS, Distribution::Exponential),
        process(1, RATE, DAYS, Distribution::Weibull { shape: 2.5 }),
        process(2, RATE, DAYS, Distribution::Exponential),
    ];
    assert_close(
        &unavailability(&p, 3, vec![vec![0, 1, 2]], 1, 2000, 20.0),
        1.0 - (1.0 - q()).powi(3),
        "mixed series",
    );
}

#[test]
fn parallel_and_series() {
    let p: Vec<Process> = (0..2)
        .map(|u| process(u, RATE, DAYS, Distribution::Exponential))
        .collect();
    assert_close(
        &unavailability(&p, 2, vec![vec![0], vec![1]], 1, 4000, 20.0),
        q() * q(),
        "1-of-2",
    );
    assert_close(
        &unavailability(&p, 2, vec![vec![0, 1]], 1, 2000, 20.0),
        1.0 - (1.0 - q()).powi(2),
        "series",
    );
}

#[test]
fn two_out_of_three() {
    let p: Vec<Process> = (0..3)
        .map(|u| process(u, RATE, DAYS, Distribution::Exponential))
        .collect();
    let q = q();
    let exact = 3.0 * q * q * (1.0 - q) + q.powi(3);
    assert_close(
        &unavailability(&p, 3, vec![vec![0], vec![1], vec![2]], 2, 3000, 20.0),
        exact,
        "2-of-3",
    );
}

#[test]
fn common_cause_spanning_two_components() {
    // Two parallel copies that share a site (unit 2) failing 2 a year for 1 day.
    let mut p: Vec<Process> = (0..2)
        .map(|u| process(u, RATE, DAYS, Distribution::Exponential))
        .collect();
    p.push(process(2, 2.0, 1.0, Distribution::Exponential));
    let q_cc = 1.0 / (365.25 / 2.0 + 1.0);
    let exact = q_cc + (1.0 - q_cc) * q() * q();
    assert_close(
        &unavailability(&p, 3, vec![vec![0, 2], vec![1, 2]], 1, 4000, 20.0),
        exact,
        "common cause",
    );
}

const ONE_HOST: &str = r#"
name: one-host
defaults:
  host: { outage: { rate: "10/yr", repair: "3 days" } }
regions: [{ name: eu }]
metros: [{ name: city, region: eu }]
sites: [{ name: dc1, metro: city }]
hosts:
  - { name: pg, site: dc1, role: primary }
clusters:
  - { name: main, version: 15, primary: pg, data_size: "1 GiB", wal_per_day: "1 GiB" }
simulation: { horizon: "20 years", trials: 2000, seed: 7 }
"#;

#[test]
fn the_dr_model_reduces_to_the_closed_form_for_one_host() {
    let s = load_str(ONE_HOST, Path::new("one-host.yaml")).unwrap();
    let r = simulate(&s, &SimOptions::from_scenario(&s));
    let a = &r.clusters[0].availability;
    let tolerance = (a.high - a.low) / 2.0 / Z95 * Z999;
    assert!(
        ((1.0 - a.value) - q()).abs() <= tolerance,
        "{} vs {}",
        1.0 - a.value,
        q()
    );
}

#[test]
fn same_seed_same_bytes_on_any_thread_count() {
    let s = load_file(Path::new("scenarios/geo.yaml")).unwrap();
    let mut o = SimOptions::from_scenario(&s);
    o.trials = 3000;
    let run = |threads, o: &SimOptions| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        serde_json::to_string(&pool.install(|| simulate(&s, o))).unwrap()
    };
    let one = run(1, &o);
    assert_eq!(one, run(2, &o));
    o.seed += 1;
    assert_ne!(one, run(2, &o), "another seed gives other histories");
}

#[test]
fn naive_and_rare_event_paths_agree_and_the_layouts_order_by_durability() {
    let run = |name: &str| {
        let s = load_file(Path::new(&format!("scenarios/{name}.yaml"))).unwrap();
        let mut o = SimOptions::from_scenario(&s);
        o.trials = 100_000;
        simulate(&s, &o).clusters.remove(0)
    };
    let (same, metro, geo) = (run("same-dc"), run("metro"), run("geo"));
    for c in [&same, &metro] {
        let naive = c.p_total_loss_per_year;
        let half = naive.half_width() / Z95 * Z999;
        assert!(
            (naive.value - c.p_total_loss_per_year_analytic).abs() <= half,
            "naive {naive:?} vs cut sets {}",
            c.p_total_loss_per_year_analytic
        );
    }
    // Geo: too rare for 1e6 system-years; the naive interval still contains the analytic value.
    assert!(geo.p_total_loss_per_year.low <= geo.p_total_loss_per_year_analytic);
    assert!(
        geo.p_total_loss_per_year_analytic < 1e-6,
        "geo survives a region: {}",
        geo.p_total_loss_per_year_analytic
    );
    assert!(
        metro.p_total_loss_per_year.high < same.p_total_loss_per_year.low,
        "metro beats same-dc with confidence"
    );
    assert!(geo.p_total_loss_per_year_analytic < metro.p_total_loss_per_year_analytic);
}

/// Flags a trial in which every chain was down at once (the data lost).
struct AllDown {
    chains: Vec<Vec<usize>>,
    hit: bool,
}

impl Observer for AllDown {
    fn on_change(&mut self, _: f64, _: Change, down: &[u16], _: &[Process]) -> f64 {
        self.hit |= self.chains.iter().all(|c| c.iter().any(|&u| down[u] > 0));
        f64::INFINITY
    }
    fn finish(&mut self, _: f64) {}
}

#[test]
fn importance_sampling_sees_a_one_in_ten_million_year_loss() {
    // Two parallel copies failing 0.005 times a year, a day to repair each:
    // losing both within a year has P ≈ 1.4e-7 (Markov: the rate of first
    // reaching "both down" is 2λ² / (3λ + μ)). Naive trials would need ~10⁹
    // years to estimate it; with every failure rate ×200 and each trial
    // weighted by its likelihood ratio, a million one-year trials do (simple
    // failure biasing: ~2 000 of them see the loss).
    let (lambda, tau_days) = (0.005, 1.0);
    let p: Vec<Process> = (0..2)
        .map(|u| process(u, lambda, tau_days, Distribution::Exponential))
        .collect();
    let mu = 365.25 / tau_days;
    let exact = -(-(2.0 * lambda * lambda / (3.0 * lambda + mu))).exp_m1();
    assert!(exact > 1e-7 && exact < 2e-7, "a P ≈ 1e-7 case: {exact}");
    let plan = Plan::new(p, 2).biased(|_| 200.0);
    let mut scratch = Scratch::default();
    let mut acc = MeanAcc::default();
    let mut hits = 0;
    for i in 0..1_000_000 {
        let mut obs = AllDown {
            chains: vec![vec![0], vec![1]],
            hit: false,
        };
        run_trial(
            &plan,
            YEAR,
            &mut Stream::for_trial(11, i),
            &mut obs,
            &mut scratch,
        );
        hits += u64::from(obs.hit);
        acc.push(if obs.hit { scratch.weight() } else { 0.0 });
    }
    assert!(hits > 1000, "the biased trials see the event: {hits}");
    assert_close_within(&acc, exact, "importance sampling at P ≈ 1e-7", 0.25);
}

#[test]
fn an_unbiased_plan_weighs_every_trial_one() {
    let p = [process(0, RATE, DAYS, Distribution::Exponential)];
    let plan = Plan::new(p.to_vec(), 1).biased(|_| 1.0);
    let mut scratch = Scratch::default();
    let mut obs = AllDown {
        chains: vec![vec![0]],
        hit: false,
    };
    run_trial(
        &plan,
        20.0 * YEAR,
        &mut Stream::for_trial(1, 1),
        &mut obs,
        &mut scratch,
    );
    assert!((scratch.weight() - 1.0).abs() < 1e-12);
    // A biased plan weighs a trial with failures below 1 when they are more
    // frequent than the truth makes them.
    let plan = Plan::new(p.to_vec(), 1).biased(|_| 10.0);
    run_trial(
        &plan,
        20.0 * YEAR,
        &mut Stream::for_trial(1, 1),
        &mut obs,
        &mut scratch,
    );
    assert!(scratch.weight() < 1.0, "{}", scratch.weight());
}

#[test]
fn importance_sampling_agrees_with_naive_trials_where_both_see_the_loss() {
    // Metro loses every copy about once in a thousand years: naive trials
    // see it, and so does the biased simulation of the full DR model.
    let s = load_file(Path::new("scenarios/metro.yaml")).unwrap();
    let mut o = SimOptions::from_scenario(&s);
    o.trials = 20_000;
    let naive = simulate(&s, &o).clusters.remove(0).p_total_loss_per_year;
    let is = rare::total_loss(&s, &o, rare::default_factor(&s)).remove(0);
    assert!(is.hits > 500, "the biased trials see the loss: {}", is.hits);
    let e = is.p_total_loss_per_year;
    let se = |x: &drplan::analysis::montecarlo::stats::Estimate| x.half_width() / Z95;
    let tolerance = Z999 * se(&naive).hypot(se(&e));
    assert!(
        (naive.value - e.value).abs() <= tolerance,
        "naive {naive:?} vs importance sampling {e:?}"
    );
    assert!(
        e.half_width() < naive.half_width(),
        "importance sampling is the tighter estimate: {e:?} vs {naive:?}"
    );
}

//! Failover through the scenario language: the closed form of a primary with
//! one hot standby, the cost of a failover time, and a standby choice that
//! does not depend on the order of the scenario's list (fixed seeds;
//! tolerances from the estimator's own interval, widened to 99.9 %).

use std::path::Path;

use drplan::analysis::montecarlo::stats::Z95;
use drplan::analysis::montecarlo::{SimOptions, simulate};
use drplan::model::load_str;

const Z999: f64 = 3.290_526_731_491_926;
const MTTF_H: f64 = 1000.0;
const MTTR_H: f64 = 10.0;

/// A primary and one hot standby in a site that never fails; hosts fail
/// every 1000 h (exponential) and take 10 h to repair.
fn pair(failover: &str) -> String {
    format!(
        r#"
name: pair
defaults:
  host: {{ outage: {{ rate: "MTBF 1000 h", repair: "10 h", repair_distribution: exponential }} }}
regions: [{{ name: eu }}]
metros: [{{ name: city, region: eu }}]
sites: [{{ name: dc1, metro: city }}]
hosts:
  - {{ name: pg1, site: dc1, role: primary }}
  - {{ name: pg2, site: dc1, role: standby }}
clusters:
  - name: main
    version: 15
    primary: pg1
    standbys: [{{ host: pg2, mode: sync }}]
    data_size: "1 GiB"
    wal_per_day: "1 GiB"
    failover_time: "{failover}"
simulation: {{ horizon: "1 year", trials: 40000, seed: 11 }}
"#
    )
}

fn run(yaml: &str) -> drplan::analysis::montecarlo::SimReport {
    let s = load_str(yaml, Path::new("pair.yaml")).unwrap();
    simulate(&s, &SimOptions::from_scenario(&s))
}

#[test]
fn one_hot_standby_with_instant_failover_is_down_q_squared() {
    let r = run(&pair("0 s"));
    let a = &r.clusters[0].availability;
    let q = MTTR_H / (MTTF_H + MTTR_H);
    let exact = q * q;
    let tolerance = (a.high - a.low) / 2.0 / Z95 * Z999;
    let u = 1.0 - a.value;
    assert!(
        (u - exact).abs() <= tolerance,
        "simulated {u:.4e} ± {tolerance:.2e}, closed form q² = {exact:.4e}"
    );
    assert!(
        tolerance < 0.2 * exact,
        "interval ±{tolerance:.2e} too wide"
    );
}

#[test]
fn each_failover_adds_its_failover_time() {
    let t_h = 0.1;
    let none = run(&pair("0 s"));
    let slow = run(&pair("6 min"));
    let hours = |r: &drplan::analysis::montecarlo::SimReport| {
        (1.0 - r.clusters[0].availability.value) * 8766.0
    };
    let extra = hours(&slow) - hours(&none);
    // Failovers happen when the serving node fails while the other is up:
    // rate (1 − q)² / MTTF per hour, each adding T of downtime.
    let q = MTTR_H / (MTTF_H + MTTR_H);
    let rate = (1.0 - q).powi(2) / MTTF_H * 8766.0;
    let exact = rate * t_h;
    // Same seed, same histories: the difference is (number of failovers) × T,
    // Poisson, so its standard error is T·√(rate / trials).
    let se = t_h * (rate / 40000.0).sqrt();
    assert!(
        (extra - exact).abs() <= Z999 * se + 0.01 * exact,
        "extra downtime {extra:.4} h/yr, failover rate × T = {exact:.4} h/yr (se {se:.4})"
    );
}

fn sync_and_async(first: &str, second: &str) -> String {
    format!(
        r#"
name: choice
defaults:
  host: {{ outage: {{ rate: "4/yr", repair: "1 day" }} }}
regions: [{{ name: eu }}]
metros: [{{ name: city, region: eu }}]
sites: [{{ name: dc1, metro: city }}]
hosts:
  - {{ name: pg1, site: dc1, role: primary }}
  - {{ name: pg2, site: dc1, role: standby }}
  - {{ name: pg3, site: dc1, role: standby }}
clusters:
  - name: main
    version: 15
    primary: pg1
    standbys:
      - {first}
      - {second}
    data_size: "1 GiB"
    wal_per_day: "1 GiB"
simulation: {{ horizon: "1 year", trials: 4000, seed: 5 }}
"#
    )
}

#[test]
fn the_order_of_sync_and_async_standbys_changes_nothing() {
    let sync = "{ host: pg2, mode: sync }";
    let asyn = "{ host: pg3, mode: async }";
    let a = serde_json::to_string(&run(&sync_and_async(sync, asyn))).unwrap();
    let b = serde_json::to_string(&run(&sync_and_async(asyn, sync))).unwrap();
    assert_eq!(a, b);
    // And the sync standby is preferred: with it first or not, failing over
    // from a healthy pair never loses data to an async promotion.
    let r = run(&sync_and_async(asyn, sync));
    let only_async = run(&sync_and_async(asyn, "{ host: pg2, mode: async }"));
    let loss =
        |r: &drplan::analysis::montecarlo::SimReport| r.clusters[0].p_any_loss_per_year.value;
    assert!(
        loss(&r) < loss(&only_async),
        "with a sync standby {} < async only {}",
        loss(&r),
        loss(&only_async)
    );
}

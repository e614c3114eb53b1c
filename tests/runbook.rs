//! The DR runbook through the scenario language: a site outage longer than
//! `declare_disaster_after` is ended by restoring the surviving Barman tier
//! onto the recovery host in the other site, so every incident lasts the
//! declare delay plus the restore (computed here from the disk model) plus
//! the re-pointing, and loses the tier's freshness.

use std::path::Path;

use drplan::analysis::disk::bandwidth::restore_paths_to;
use drplan::analysis::montecarlo::{SimOptions, SimReport, simulate};
use drplan::model::{FailureClass, HostRole, Scenario, TierRef, load_str};

const DAY: f64 = 86_400.0;

fn fixture(declare: &str) -> String {
    format!(
        r#"
name: dr
regions: [{{ name: eu }}]
metros: [{{ name: par, region: eu }}, {{ name: fra, region: eu }}]
sites:
  - name: dc1
    metro: par
    outage: {{ rate: "3/yr", repair: "3 days", repair_distribution: fixed }}
  - {{ name: dc2, metro: fra }}
links:
  - {{ name: wan, between: [dc1, dc2], bandwidth: "1 Gbit/s", latency: "6 ms" }}
hosts:
  - {{ name: pg, site: dc1, role: primary }}
  - {{ name: bk, site: dc2, role: barman }}
  - {{ name: rec, site: dc2, role: recovery }}
clusters:
  - name: main
    version: 15
    primary: pg
    data_size: "200 GiB"
    wal_per_day: "20 GiB"
    declare_disaster_after: "{declare}"
    repoint_time: "10 min"
barman:
  - name: bk-main
    host: bk
    cluster: main
    schedule: "daily at 01:00"
    retention_policy: "REDUNDANCY 2"
    wal_archiving: archive-command
simulation: {{ horizon: "1 year", trials: 3000, seed: 3 }}
"#
    )
}

fn load(yaml: &str) -> Scenario {
    load_str(yaml, Path::new("dr.yaml")).unwrap()
}

fn run(s: &Scenario) -> SimReport {
    simulate(s, &SimOptions::from_scenario(s))
}

#[test]
fn a_declared_disaster_ends_after_declare_plus_restore_plus_repoint() {
    let s = load(&fixture("1 h"));
    let rec = s
        .hosts
        .iter()
        .position(|h| h.role == HostRole::Recovery)
        .unwrap();
    let path = restore_paths_to(&s, drplan::model::HostId(rec))
        .into_iter()
        .find(|p| matches!(p.tier, TierRef::Barman(_)))
        .unwrap();
    let c = &s.clusters[0];
    // Transfer, then half a daily backup interval of WAL replayed at the
    // replay rate, then 5 minutes of start-up; then the re-pointing.
    let replay = 0.5 * c.wal_per_day.0 as f64 / c.replay_rate.bytes_per_sec();
    let expected_h = 1.0 + (path.hours * 3600.0 + replay + 300.0 + 600.0) / 3600.0;
    let r = run(&s);
    let rto = &r.clusters[0].rto_hours;
    assert!(rto.count > 1000, "{} incidents", rto.count);
    let p50 = rto.p50.as_ref().unwrap().value;
    let max = rto.max.unwrap();
    for (what, v) in [("p50", p50), ("max", max)] {
        assert!(
            (v - expected_h).abs() < 1e-6,
            "{what} RTO {v} h, expected 1 h + restore = {expected_h} h"
        );
    }
    // The data lost is the tier's freshness: archive_command ships whole
    // 16 MiB segments, so the open one (its fill time at 20 GiB/day) is lost.
    let loss = &r.clusters[0].data_loss_secs;
    let segment_secs = 16.0 * 1024.0 * 1024.0 / (c.wal_per_day.0 as f64 / DAY);
    assert_eq!(
        loss.count, rto.count,
        "every incident loses the open segment"
    );
    let lost = loss.max.unwrap();
    assert!(
        (lost - segment_secs).abs() < 1e-6,
        "lost {lost} s, the segment fills in {segment_secs} s"
    );
    // The same, per disruption class: every incident is a site outage.
    let classes = &r.clusters[0].classes;
    assert_eq!(classes.len(), 1, "{classes:?}");
    let site = &classes[0];
    assert_eq!(site.class, FailureClass::Site);
    assert_eq!(site.rto_hours.count, rto.count);
    let p95 = site.rto_hours.p95.as_ref().unwrap();
    assert!((p95.value - expected_h).abs() < 1e-6 && p95.low <= p95.value && p95.value <= p95.high);
    assert_eq!(site.rpo_secs.count, loss.count);
    assert!((site.rpo_secs.max.unwrap() - segment_secs).abs() < 1e-6);
}

#[test]
fn a_bad_declare_delay_is_a_located_error() {
    let yaml = fixture("soon");
    let err = format!("{:?}", load_str(&yaml, Path::new("dr.yaml")).unwrap_err());
    assert!(err.contains("duration or `never`"), "{err}");
    let at = yaml.find("\"soon\"").unwrap();
    assert!(
        err.contains(&format!("offset: SourceOffset({at})")),
        "{err}"
    );
}

#[test]
fn never_waits_the_site_outage_out() {
    let r = run(&load(&fixture("never")));
    let rto = &r.clusters[0].rto_hours;
    assert!((rto.max.unwrap() - 72.0).abs() < 1e-6, "{:?}", rto.max);
    assert_eq!(r.clusters[0].data_loss_secs.count, 0);
}

/// dc1 (the primary) and dc2 (Barman) each go away 3 times a year for
/// exactly 3 days; the bucket in another region is fed by Barman's hooks,
/// and the runbook restores into dc3 after an hour. While dc2 is down the
/// bucket gets no WAL, so a dc1 outage that starts then loses everything
/// since dc2 went away.
const COUPLED: &str = r#"
name: coupled
regions: [{ name: eu }]
metros: [{ name: par, region: eu }, { name: fra, region: eu }]
sites:
  - name: dc1
    metro: par
    outage: { rate: "3/yr", repair: "3 days", repair_distribution: fixed }
  - name: dc2
    metro: par
    outage: { rate: "3/yr", repair: "3 days", repair_distribution: fixed }
  - { name: dc3, metro: fra }
links:
  - { name: l12, between: [dc1, dc2], bandwidth: "1 Gbit/s", latency: "1 ms" }
  - { name: l13, between: [dc1, dc3], bandwidth: "1 Gbit/s", latency: "6 ms" }
  - { name: l23, between: [dc2, dc3], bandwidth: "1 Gbit/s", latency: "6 ms" }
hosts:
  - { name: pg, site: dc1, role: primary }
  - { name: bk, site: dc2, role: barman }
  - { name: rec, site: dc3, role: recovery }
clusters:
  - name: main
    version: 15
    primary: pg
    data_size: "200 GiB"
    wal_per_day: "20 GiB"
    declare_disaster_after: "1 h"
barman:
  - name: bk-main
    host: bk
    cluster: main
    schedule: "daily at 01:00"
    retention_policy: "REDUNDANCY 2"
    wal_archiving: archive-command
cloud:
  - name: s3
    cluster: main
    via: hooks
    barman: bk-main
    provider: aws-s3
    bucket: pg-backups
    region: eu
    retention_policy: "REDUNDANCY 1"
    storage_class: s3-standard
    bandwidth: "1 Gbit/s"
simulation: { horizon: "1 year", trials: 3000, seed: 3 }
"#;

#[test]
fn a_bucket_fed_by_barman_goes_stale_while_barman_is_down() {
    let r = run(&load(COUPLED));
    let loss = &r.clusters[0].data_loss_secs;
    let outage = 3.0 * DAY;
    // Each incident starts with a dc1 outage; dc2 is down then with its
    // steady-state probability (mean up time 1/3 yr, down 3 days).
    let p = outage / (365.25 * DAY / 3.0 + outage);
    // Those incidents lose the time since dc2 went away, uniform over the
    // 3 days: the share above the histogram's first bin.
    let first = loss.edges[1];
    let p_big = p * (1.0 - first / outage);
    let n = loss.count as f64;
    let big: u64 = loss.counts[1..].iter().sum();
    let sd = (n * p_big * (1.0 - p_big)).sqrt();
    assert!(
        (big as f64 - n * p_big).abs() < 4.0 * sd,
        "{big} of {n} incidents lost more than {first} s; expected {:.1} ± {:.1}",
        n * p_big,
        4.0 * sd
    );
    let max = loss.max.unwrap();
    assert!(
        max > first && max <= outage + 3600.0,
        "the largest loss, {max} s, is at most dc2's outage plus the bucket's lag"
    );
}

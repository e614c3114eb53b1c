//! Semantic rules of the validator, one mutation of a valid scenario each:
//! the mutated scenario must fail with a message naming the problem, and the
//! original must pass (so each test can fail).

use std::path::Path;

use drplan::model::{HostRole, RetentionPolicy, load_str};

const METRO: &str = include_str!("../scenarios/metro.yaml");
const GEO: &str = include_str!("../scenarios/geo.yaml");

/// Apply `from → to` to `base` (which must contain `from`) and return the problems.
fn problems_after(base: &str, from: &str, to: &str) -> Vec<String> {
    assert!(
        base.contains(from),
        "the test edits `{from}`, which the scenario lacks"
    );
    assert!(
        load_str(base, Path::new("base.yaml")).is_ok(),
        "the unmodified scenario is valid"
    );
    let text = base.replacen(from, to, 1);
    match load_str(&text, Path::new("mutated.yaml")) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems().iter().map(|p| p.message.clone()).collect(),
    }
}

fn assert_rejected(base: &str, from: &str, to: &str, needle: &str) {
    let problems = problems_after(base, from, to);
    assert!(
        problems.iter().any(|m| m.contains(needle)),
        "replacing `{from}` by `{to}` should report `{needle}`, got {problems:#?}"
    );
}

#[test]
fn passive_node_needs_a_link_to_its_primary() {
    let from = "    between: [dc-par1, dc-par2]";
    let problems = problems_after(METRO, from, "    between: [dc-par2, dc-par2]");
    assert!(
        problems
            .iter()
            .any(|m| m.contains("joins a site to itself")),
        "{problems:#?}"
    );
    assert!(
        problems.iter().any(|m| m.contains("no link joins")),
        "{problems:#?}"
    );
    assert_rejected(METRO, from, "    between: [dc-par1]", "exactly two sites");
}

#[test]
fn native_cloud_paths_need_barman_3_18() {
    let native = GEO.replacen("    via: hooks", "    via: native", 1);
    assert!(
        load_str(&native, Path::new("n.yaml")).is_ok(),
        "native is fine with Barman 3.19"
    );
    assert_rejected(
        &native,
        "barman_version: \"3.19\"",
        "barman_version: \"3.17\"",
        "native cloud paths need Barman 3.18",
    );
}

#[test]
fn cloud_rules() {
    assert_rejected(GEO, "    barman: barman-par1\n", "", "needs `barman:`");
    assert_rejected(
        GEO,
        "    via: hooks",
        "    via: carrier-pigeon",
        "unknown cloud upload path",
    );
    assert_rejected(
        GEO,
        "    backup_compression: gzip",
        "    backup_compression: zstd",
        "cannot compress with `zstd`",
    );
    assert_rejected(
        GEO,
        "    bucket: acme-pg-backups",
        "    bucket: Acme_Backups",
        "not a valid bucket name",
    );
    assert_rejected(
        GEO,
        "    bucket: acme-pg-backups",
        "    bucket: acme-pg-backups\n    schedule: \"daily at 02:00\"",
        "`schedule` does not apply",
    );
    assert_rejected(
        GEO,
        "    via: hooks\n    barman: barman-par1",
        "    via: archive-command",
        "needs `schedule:`",
    );
    assert_rejected(
        GEO,
        "    storage_class: s3-standard-ia",
        "    storage_class: glacier",
        "has no price",
    );
    assert_rejected(
        GEO,
        "    region: eu-north\n    storage_class",
        "    region: mars\n    storage_class",
        "region `mars`",
    );
}

#[test]
fn barman_rules() {
    assert_rejected(
        METRO,
        "    backup_method: postgres",
        "    backup_method: postgres\n    reuse_backup: link",
        "reuse_backup only works with backup_method rsync",
    );
    assert_rejected(
        METRO,
        "    compression: gzip",
        "    compression: custom",
        "needs `compression_ratio`",
    );
    assert_rejected(
        METRO,
        "    wal_retention_policy: main",
        "    wal_retention_policy: simple",
        "no wal_retention_policy",
    );
    assert_rejected(
        METRO,
        "    retention_policy: \"REDUNDANCY 3\"\n    minimum_redundancy: 1",
        "    retention_policy: \"REDUNDANCY 3\"\n    minimum_redundancy: 4",
        "above the policy's REDUNDANCY 3",
    );
    assert_rejected(
        METRO,
        "    host: backup-1\n",
        "    host: pg-1\n",
        "has role `primary`",
    );
}

#[test]
fn cluster_and_host_rules() {
    assert_rejected(
        METRO,
        "      - { host: pg-2, mode: sync }",
        "      - { host: pg-1, mode: sync }",
        "cannot run on the primary's host",
    );
    assert_rejected(
        METRO,
        "      - { host: pg-2, mode: sync }",
        "      - { host: pg-2, mode: semi }",
        "unknown replication mode",
    );
    assert_rejected(
        METRO,
        "    rack: par2-r1",
        "    rack: par1-r1",
        "rack `par1-r1`",
    );
    assert_rejected(METRO, "  - name: pg-2\n", "  - name: pg-1\n", "used twice");
    assert_rejected(
        METRO,
        "    archive_timeout: \"60 s\"",
        "    archive_timeout: \"0 s\"",
        "at least 1 s",
    );
    assert_rejected(
        METRO,
        "    disks: { count: 2, size: \"3.84 TB\", kind: ssd, raid: raid1 }",
        "    disks: { count: 1, size: \"3.84 TB\", kind: ssd, raid: raid1 }",
        "too few",
    );
    assert_rejected(METRO, "  trials: 200000", "  trials: 0", "trials must be");
    assert_rejected(
        METRO,
        "    repair: \"12 h\"",
        "    repair: \"12 h\"\n    distribution: \"gamma 2\"",
        "not a distribution",
    );
    assert_rejected(
        METRO,
        "    rate: \"AFR 1.5%\"\n    # Rebuild of a 3.84 TB SSD mirror at ~100 MB/s, plus replacement: half a day.\n    repair: \"12 h\"",
        "    rate: \"AFR 1.5%\"",
        "no `repair` time",
    );
}

#[test]
fn bundled_scenarios_resolve_to_what_their_comments_say() {
    let m = load_str(METRO, Path::new("metro.yaml")).unwrap();
    let passive = &m.passive_nodes[0];
    let primary = &m.barman_servers[passive.primary.0];
    assert_ne!(
        m.site_of(passive.host),
        m.site_of(primary.host),
        "passive node in another site"
    );
    assert_eq!(
        m.metro_of(m.site_of(passive.host)),
        m.metro_of(m.site_of(primary.host)),
        "same metro"
    );
    assert_eq!(passive.retention, RetentionPolicy::Redundancy(3));
    assert_eq!(primary.retention.window().unwrap().as_days(), 30.0);
    assert_eq!(m.hosts[passive.host.0].role, HostRole::BarmanPassive);
    // Defaults apply to every host: 0.1 failures a year, 6 h to repair.
    for h in &m.hosts {
        let o = h.failures.outage.expect("default host outage");
        assert!((o.rate.events_per_year() - 0.1).abs() < 1e-12);
        assert_eq!(o.repair.as_hours(), 6.0);
        // AFR 1.5 % per disk: P(failure within a year) = 1.5 %.
        let d = h.disks.unwrap().failure.unwrap();
        assert!((d.rate.yearly_probability() - 0.015).abs() < 1e-12);
    }
    let g = load_str(GEO, Path::new("geo.yaml")).unwrap();
    let cloud = &g.cloud_tiers[0];
    assert_ne!(
        g.region_of(g.site_of(g.clusters[0].primary)),
        cloud.region,
        "bucket in another region"
    );
    assert!(cloud.schedule.is_none(), "hooks upload every backup");
    assert_eq!(g.simulation.trials, 200_000);
}

/// GEO with `extra` more standbys (each on its own host in dc-par1).
fn geo_with_standbys(extra: usize) -> String {
    let hosts: String = (0..extra)
        .map(|i| format!("  - {{ name: sb-{i}, site: dc-par1, role: standby }}\n"))
        .collect();
    let standbys: String = (0..extra)
        .map(|i| format!("\n      - {{ host: sb-{i}, mode: async }}"))
        .collect();
    let sync = "      - { host: pg-2, mode: sync }";
    assert!(GEO.contains("\nhosts:\n") && GEO.contains(sync));
    GEO.replacen("\nhosts:\n", &format!("\nhosts:\n{hosts}"), 1)
        .replacen(sync, &format!("{sync}{standbys}"), 1)
}

#[test]
fn a_cluster_has_at_most_64_nodes() {
    // The primary, pg-2 and 62 more: 64 nodes, the most the simulation tracks.
    assert!(load_str(&geo_with_standbys(62), Path::new("64.yaml")).is_ok());
    let problems = match load_str(&geo_with_standbys(63), Path::new("65.yaml")) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems().iter().map(|p| p.message.clone()).collect(),
    };
    assert!(
        problems.iter().any(|m| m.contains("65 PostgreSQL nodes")),
        "{problems:#?}"
    );
}

#[test]
fn tier_drills_name_a_passive_node_or_bucket_once_at_most_daily() {
    let from = "  check_query: \"SELECT count(*) > 0 FROM pg_class\"\n";
    let with = |tiers: &str| format!("{from}  tiers:\n{tiers}");
    // Valid: the passive node, every 90 days.
    assert!(
        problems_after(
            METRO,
            from,
            &with("    - { tier: barman-par2, every: \"90 days\" }\n")
        )
        .is_empty()
    );
    assert_rejected(
        METRO,
        from,
        &with("    - { tier: barman-par3, every: \"90 days\" }\n"),
        "passive node or cloud tier `barman-par3`, which is not declared",
    );
    assert_rejected(
        METRO,
        from,
        &with(
            "    - { tier: barman-par2, every: \"90 days\" }\n    - { tier: barman-par2, every: \"30 days\" }\n",
        ),
        "is drilled twice",
    );
    assert_rejected(
        METRO,
        from,
        &with("    - { tier: barman-par2, every: \"6 h\" }\n"),
        "at most once a day",
    );
}

#[test]
fn a_tier_drill_is_counted_and_goes_with_its_tier() {
    let from = "  check_query: \"SELECT count(*) > 0 FROM pg_class\"\n";
    let text = METRO.replacen(
        from,
        &format!("{from}  tiers:\n    - {{ tier: barman-par2, every: \"73.05 days\" }}\n"),
        1,
    );
    let s = load_str(&text, Path::new("m.yaml")).unwrap();
    let d = s.drills.as_ref().unwrap();
    // Every 30 days plus every 73.05 days (5 a year).
    assert!(
        (d.per_year() - (365.25 / 30.0 + 5.0)).abs() < 1e-9,
        "{}",
        d.per_year()
    );
    let without = s
        .without_tier(drplan::model::TierRef::Passive(drplan::model::PassiveId(0)))
        .unwrap();
    assert!(
        without.drills.unwrap().tiers.is_empty(),
        "the drill of the removed node is gone"
    );
}

#[test]
fn patroni_gives_the_failover_time_and_the_sync_rule() {
    let s = load_str(METRO, Path::new("metro.yaml")).unwrap();
    let c = &s.clusters[0];
    let ha = c.ha.as_ref().expect("metro declares its HA");
    assert_eq!(ha.manager, drplan::model::HaManager::Patroni);
    assert_eq!((ha.dcs.len(), ha.quorum()), (3, 2));
    // ttl 30 − loop_wait 10 / 2 + 2 s of promotion.
    assert_eq!(c.failover_time.as_secs(), 27.0);
    let sync = c.sync.expect("pg-2 is a sync standby");
    assert_eq!((sync.count, sync.strict), (1, false));
    assert_rejected(
        METRO,
        "      synchronous_mode_strict: false\n",
        "      synchronous_mode_strict: false\n      synchronous_node_count: 2\n",
        "synchronous_node_count 2 with 1",
    );
    assert_rejected(
        METRO,
        "    declare_disaster_after: \"never\"",
        "    declare_disaster_after: \"never\"\n    failover_time: \"5 min\"",
        "its failover time follows from ttl and loop_wait",
    );
    assert_rejected(
        METRO,
        "dcs: [pg-1, pg-2, etcd-3]",
        "dcs: [pg-1, pg-2, pg-2]",
        "listed twice as a DCS member",
    );
    assert_rejected(
        METRO,
        "      manager: patroni\n      dcs: [pg-1, pg-2, etcd-3]\n      ttl: \"30 s\"",
        "      manager: repmgr\n      dcs: [pg-1, pg-2, etcd-3]\n      ttl: \"30 s\"",
        "keeps no quorum store",
    );
    assert_rejected(
        METRO,
        "ttl: \"30 s\"",
        "ttl: \"30.5 s\"",
        "whole number of seconds",
    );
}

#[test]
fn without_patroni_the_sync_rule_is_postgresqls() {
    let s = load_str(GEO, Path::new("geo.yaml")).unwrap();
    assert!(s.clusters[0].sync.is_some());
    let manual = GEO.replace(
        "      manager: patroni\n      dcs: [pg-1, pg-2, backup-1]\n      synchronous_mode: true\n",
        "      manager: manual\n      synchronous_standby_names: \"ANY 1\"\n",
    );
    let s = load_str(&manual, Path::new("geo.yaml")).unwrap();
    let rule = s.clusters[0].sync.unwrap();
    assert_eq!(rule.method, drplan::model::SyncMethod::Any);
    assert!(
        rule.strict,
        "PostgreSQL blocks commits while the rule cannot be met"
    );
    assert_rejected(
        &manual,
        "\"ANY 1\"",
        "\"SOME 1\"",
        "is not a synchronous rule",
    );
    assert_rejected(
        &manual,
        "      synchronous_standby_names: \"ANY 1\"\n",
        "      synchronous_standby_names: \"ANY 1\"\n      synchronous_mode: true\n",
        "is a Patroni setting",
    );
}

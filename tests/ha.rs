//! High availability as the scenario language states it: a Patroni cluster's
//! DCS quorum and synchronous rule in the SPOF analysis (k-of-n gates), with
//! closed forms written through YAML fixtures.

use std::path::Path;

use drplan::analysis::spof::{self, Finding, Question, SpofReport};
use drplan::analysis::topology::Topology;
use drplan::model::load_file;

fn report(path: &str) -> SpofReport {
    let s = load_file(Path::new(path)).unwrap();
    spof::analyse(&s, &Topology::build(&s), 3)
}

fn finding(r: &SpofReport, q: Question) -> &Finding {
    r.findings
        .iter()
        .find(|f| f.question == q)
        .unwrap_or_else(|| panic!("no {q:?} finding"))
}

fn is_cut(f: &Finding, components: &[&str]) -> bool {
    f.cut_sets.iter().any(|c| {
        c.components.len() == components.len()
            && components
                .iter()
                .all(|x| c.components.iter().any(|y| y == x))
    })
}

#[test]
fn two_members_in_one_site_make_it_a_spof_of_automatic_failover() {
    let r = report("tests/fixtures/valid/metro-two-dc-quorum.yaml");
    let af = finding(&r, Question::AutomaticFailover);
    let spof = af
        .spofs()
        .find(|c| c.components[0] == "site `dc-par1`")
        .unwrap_or_else(|| panic!("dc-par1 is not a SPOF: {:#?}", af.cut_sets));
    assert!(
        spof.explanation
            .contains("leaves 1 of 3 etcd members (a majority needs 2): no automatic failover"),
        "{}",
        spof.explanation
    );
    assert!(
        af.hints.iter().any(|h| h.contains("third site")),
        "{:?}",
        af.hints
    );
    // The leader demotes without a majority: the service has the same SPOF,
    // although pg-2 in dc-par2 survives.
    let service = finding(&r, Question::Service);
    assert!(service.spofs().any(|c| c.components[0] == "site `dc-par1`"));
}

#[test]
fn three_members_in_three_sites_any_pair_is_a_minimal_cut_set() {
    let r = report("scenarios/metro.yaml");
    let af = finding(&r, Question::AutomaticFailover);
    assert!(
        af.spofs()
            .all(|c| ["metro `paris`", "region `eu-west`"].contains(&c.components[0].as_str())),
        "no site is a SPOF of automatic failover: {:#?}",
        af.spofs().collect::<Vec<_>>()
    );
    for pair in [["pg-1", "pg-2"], ["pg-1", "etcd-3"], ["pg-2", "etcd-3"]] {
        let hosts = pair.map(|h| format!("host `{h}`"));
        assert!(
            is_cut(af, &[&hosts[0], &hosts[1]]),
            "{pair:?} is not a minimal cut set of automatic failover"
        );
    }
    for pair in [
        ["dc-par1", "dc-par2"],
        ["dc-par1", "dc-par3"],
        ["dc-par2", "dc-par3"],
    ] {
        let sites = pair.map(|s| format!("site `{s}`"));
        assert!(is_cut(af, &[&sites[0], &sites[1]]), "{pair:?}");
    }
    assert!(af.hints.is_empty(), "{:?}", af.hints);
}

#[test]
fn quorum_of_three_independent_members_has_its_closed_form() {
    let r = report("tests/fixtures/ha/three-witnesses.yaml");
    let q = 100.0 / (8766.0 / 10.0 + 100.0);
    let closed = 3.0 * q * q - 2.0 * q * q * q;
    let af = finding(&r, Question::AutomaticFailover);
    assert!(
        (af.failure_probability - closed).abs() < 1e-12,
        "{} vs 3q² − 2q³ = {closed}",
        af.failure_probability
    );
    // The database nodes never fail: the service is down exactly when the quorum is.
    let service = finding(&r, Question::Service);
    assert!((service.failure_probability - closed).abs() < 1e-12);
}

#[test]
fn strict_synchronous_replication_makes_the_sync_standby_a_spof_of_writes() {
    // Plain PostgreSQL (no `ha:`): synchronous_standby_names blocks commits
    // while pg-2 is down, so either node's loss stops writes.
    let text = std::fs::read_to_string("scenarios/same-dc.yaml").unwrap().replace(
        "    ha:\n      manager: patroni\n      dcs: [pg-1, pg-2, backup-1]\n      synchronous_mode: true\n",
        "",
    );
    let s = drplan::model::load_str(&text, Path::new("same-dc.yaml")).unwrap();
    let r = spof::analyse(&s, &Topology::build(&s), 2);
    let service = finding(&r, Question::Service);
    for host in ["host `pg-1`", "host `pg-2`"] {
        assert!(
            service.spofs().any(|c| c.components[0] == host),
            "{host}: {:#?}",
            service.cut_sets
        );
    }
    assert!(
        r.findings
            .iter()
            .all(|f| f.question != Question::AutomaticFailover)
    );
    // Patroni's non-strict synchronous_mode keeps writing: only the pair cuts.
    let r = report("scenarios/same-dc.yaml");
    let service = finding(&r, Question::Service);
    assert!(
        service
            .spofs()
            .all(|c| !c.components[0].starts_with("host"))
    );
    assert!(is_cut(service, &["host `pg-1`", "host `pg-2`"]));
}

fn exported(path: &str) -> (drplan::model::Scenario, Vec<drplan::export::Artifact>) {
    let s = load_file(Path::new(path)).unwrap();
    let ctx = drplan::export::ExportContext::new(&s, None);
    let files = drplan::export::export(&ctx).unwrap();
    (s, files)
}

fn file<'a>(files: &'a [drplan::export::Artifact], path: &str) -> &'a str {
    &files
        .iter()
        .find(|a| a.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

#[test]
fn patroni_export_carries_the_scenarios_ha_and_barman_follows_the_leader() {
    let (s, files) = exported("scenarios/metro.yaml");
    let c = &s.clusters[0];
    for node in ["pg-1", "pg-2"] {
        let text = file(&files, &format!("{node}/etc/patroni/15-main.yml"));
        let y: serde_json::Value = serde_saphyr::from_str(text).unwrap();
        assert_eq!(y["name"], node);
        assert_eq!(y["scope"], "main");
        let dcs = &y["bootstrap"]["dcs"];
        assert_eq!(dcs["ttl"], 30);
        assert_eq!(dcs["loop_wait"], 10);
        assert_eq!(dcs["retry_timeout"], 10);
        assert_eq!(dcs["synchronous_mode"], true);
        assert_eq!(dcs["synchronous_mode_strict"], false);
        assert_eq!(dcs["maximum_lag_on_failover"], 1 << 20);
        assert_eq!(dcs["slots"]["barman_par1"]["type"], "physical");
        assert_eq!(dcs["postgresql"]["parameters"]["archive_timeout"], "60s");
        assert_eq!(y["postgresql"]["bin_dir"], "/usr/lib/postgresql/15/bin");
        let hosts = y["etcd3"]["hosts"].as_array().unwrap();
        assert_eq!(hosts.len(), c.ha.as_ref().unwrap().dcs.len());
        assert!(!text.to_ascii_lowercase().contains("password:"));
        // Patroni writes postgresql.conf and pg_hba.conf itself.
        assert!(
            files
                .iter()
                .all(|a| a.host != node || !a.path.contains("/etc/postgresql/"))
        );
    }
    assert!(file(&files, "etcd-3/etc/default/etcd").contains("ETCD_INITIAL_CLUSTER=pg-1=http://"));
    let server = file(&files, "backup-1/etc/barman.d/main.conf");
    assert!(server.contains(
        "\nconninfo = host='pg-1.par1.example.net,pg-2.par2.example.net' port='5432,5432' user=barman dbname=postgres target_session_attrs=read-write\n"
    ), "{server}");
    assert!(server.contains("\nslot_name = barman_par1\n"));
}

#[test]
fn lint_catches_barman_that_cannot_follow_patroni() {
    let (s, mut files) = exported("scenarios/metro.yaml");
    let ctx = drplan::export::ExportContext::new(&s, None);
    let errors = |files: &[drplan::export::Artifact]| -> Vec<String> {
        drplan::export::lint::lint(&ctx, files)
            .into_iter()
            .filter(|f| f.severity == drplan::export::Severity::Error)
            .map(|f| f.to_string())
            .collect()
    };
    assert!(errors(&files).is_empty(), "{:?}", errors(&files));
    let edit = |files: &mut Vec<drplan::export::Artifact>, path: &str, from: &str, to: &str| {
        let a = files.iter_mut().find(|a| a.path == path).unwrap();
        assert!(a.contents.contains(from), "{path} lacks {from}");
        a.contents = a.contents.replacen(from, to, 1);
    };
    let cases = [
        (
            "backup-1/etc/barman.d/main.conf",
            "host='pg-1.par1.example.net,pg-2.par2.example.net' port='5432,5432'",
            "host=pg-1.par1.example.net port=5432",
            "names one host of a Patroni cluster",
        ),
        (
            "backup-1/etc/barman.d/main.conf",
            "slot_name = barman_par1",
            "slot_name = barman",
            "not a Patroni permanent slot",
        ),
        (
            "pg-1/etc/patroni/15-main.yml",
            "  bin_dir: ",
            "  # bin_dir: ",
            "no postgresql.bin_dir",
        ),
        (
            "pg-1/etc/patroni/15-main.yml",
            "    ttl: 30\n",
            "    ttl: 20\n",
            "below loop_wait + 2 × retry_timeout",
        ),
        (
            "pg-1/etc/patroni/15-main.yml",
            "      username: \"postgres\"\n",
            "      username: \"postgres\"\n      password: \"hunter2\"\n",
            "a password for `superuser`",
        ),
    ];
    for (path, from, to, want) in cases {
        let mut f = files.clone();
        edit(&mut f, path, from, to);
        let e = errors(&f);
        assert!(
            e.iter().any(|m| m.contains(want)),
            "{path}: expected `{want}` in {e:?}"
        );
    }
    // The other way to follow a leader: a configuration model needs a cluster.
    edit(
        &mut files,
        "backup-1/etc/barman.d/main.conf",
        "[main]\n",
        "[main-pg2]\nmodel = true\nconninfo = host=pg-2.par2.example.net user=barman dbname=postgres\n\n[main]\n",
    );
    let e = errors(&files);
    assert!(e.iter().any(|m| m.contains("without `cluster`")), "{e:?}");
}

//! SPOF analysis of the bundled layouts, against expectations written out by
//! hand: same-DC has the site as a SPOF for data; metro survives one site but
//! not the metro area; geo survives the loss of a whole region.

use std::path::Path;

mod common;
use common::Test;
use drplan::analysis::spof::{self, Finding, Question, SpofReport};
use drplan::analysis::topology::Topology;
use drplan::model::load_file;

fn report(name: &str) -> SpofReport {
    let s = load_file(Path::new(&format!("scenarios/{name}.yaml"))).unwrap();
    spof::analyse(&s, &Topology::build(&s), 3)
}

fn finding(r: &SpofReport, q: Question) -> &Finding {
    r.findings.iter().find(|f| f.question == q).unwrap()
}

fn spofs(f: &Finding) -> Vec<&str> {
    let mut v: Vec<&str> = f.spofs().map(|c| c.components[0].as_str()).collect();
    v.sort();
    v
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
fn same_dc_loses_everything_with_its_site() {
    let r = report("same-dc");
    let data = finding(&r, Question::Data);
    assert_eq!(
        spofs(data),
        vec!["metro `paris`", "region `eu-west`", "site `dc-par1`"]
    );
    let site = data
        .spofs()
        .find(|c| c.components[0] == "site `dc-par1`")
        .unwrap();
    assert!(
        site.explanation.contains("primary on `pg-1`")
            && site.explanation.contains("Barman `barman-par1`"),
        "{}",
        site.explanation
    );
    assert_eq!(
        data.importance[0].label, "site `dc-par1`",
        "the site is what to harden first"
    );
    // Against logical corruption the only PITR copy is the Barman host.
    let logical = finding(&r, Question::LogicalCorruption);
    assert!(spofs(logical).contains(&"host `backup-1`"));
    assert!(r.has_data_spof());
}

#[test]
fn metro_survives_a_site_but_not_the_metro_area() {
    let r = report("metro");
    for q in [
        Question::Service,
        Question::Data,
        Question::LogicalCorruption,
    ] {
        let f = finding(&r, q);
        let single = spofs(f);
        assert!(
            !single.iter().any(|c| c.starts_with("site")),
            "{q:?}: no single site is a SPOF: {single:?}"
        );
        assert!(
            single.contains(&"metro `paris`"),
            "{q:?}: the metro area is"
        );
        assert!(
            is_cut(f, &["site `dc-par1`", "site `dc-par2`"]),
            "{q:?}: both sites together are a cut"
        );
    }
    // The passive copy is fresh only while the link is up, so against logical corruption
    // losing dc-par1 (the Barman server) during a link cut loses every PITR copy…
    assert!(is_cut(
        finding(&r, Question::LogicalCorruption),
        &["site `dc-par1`", "link `par1-par2`"]
    ));
    // …while for plain data loss the synchronous standby in dc-par2 still holds everything.
    assert!(!is_cut(
        finding(&r, Question::Data),
        &["site `dc-par1`", "link `par1-par2`"]
    ));
    assert_eq!(
        r.network.bridge_links,
        Vec::<String>::new(),
        "the witness site's links close a triangle: every link has a redundant path"
    );
}

#[test]
fn geo_survives_a_region() {
    let r = report("geo");
    let data = finding(&r, Question::Data);
    assert!(spofs(data).is_empty(), "no single loss destroys every copy");
    assert!(
        !data
            .cut_sets
            .iter()
            .any(|c| c.components.len() == 1 && c.components[0].starts_with("region"))
    );
    // Losing both European production regions still leaves the bucket in eu-north.
    assert!(!is_cut(data, &["region `eu-west`", "region `eu-central`"]));
    // …but all three regions together lose every copy.
    assert!(is_cut(
        data,
        &[
            "region `eu-west`",
            "region `eu-central`",
            "region `eu-north`"
        ]
    ));
    let metro = report("metro");
    let same = report("same-dc");
    let p = |r: &SpofReport| finding(r, Question::Data).failure_probability;
    assert!(
        p(&r) < p(&metro) && p(&metro) < p(&same),
        "geo < metro < same-dc: {} {} {}",
        p(&r),
        p(&metro),
        p(&same)
    );
}

#[test]
fn cli_formats_and_exit_codes() {
    let spof = |args: &[&str]| Test::new().arg("spof").args(args);
    spof(&["scenarios/same-dc.yaml"])
        .stdout_contains("⚠ site `dc-par1`")
        .run();
    let v = spof(&["scenarios/geo.yaml", "--format", "json", "--order", "2"])
        .run()
        .json();
    assert_eq!(v["max_order"], 2);
    // Service, automatic failover (geo runs Patroni), data, logical corruption.
    assert_eq!(v["findings"].as_array().unwrap().len(), 4);
    // The site cluster is marked.
    spof(&["scenarios/same-dc.yaml", "--format", "dot"])
        .stdout_contains("site dc-par1 ⚠ SPOF")
        .run();
    spof(&["scenarios/same-dc.yaml", "--fail-on-spof"])
        .status(1)
        .run();
    spof(&["scenarios/geo.yaml", "--fail-on-spof"]).run();
    spof(&["scenarios/geo.yaml", "--order", "9"])
        .status(2)
        .run();
}

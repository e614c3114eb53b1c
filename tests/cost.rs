//! Cost-benefit checked by hand on the fixtures in tests/fixtures/cost/: two
//! layouts (one site; the same plus a passive Barman node in another region)
//! whose only failures are site outages (1/yr, 8 h) and site destructions
//! (1 per 100 years, 14 days), priced cheap or dear. Every expected figure is
//! worked out here from the fixture's own inputs and compared with what
//! `drplan` prints.

use std::path::Path;

use assert_cmd::Command;
use drplan::model::{Scenario, load_file};
use serde_json::Value;

/// Hours in a year (365.25 days): the price of losing every copy is one year of data.
const HOURS_PER_YEAR: f64 = 365.25 * 24.0;

fn run(args: &[&str]) -> (Option<i32>, Value) {
    let out = Command::cargo_bin("drplan")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), v)
}

fn fixture(case: &str, name: &str) -> (String, Scenario) {
    let path = format!("tests/fixtures/cost/{case}/{name}.yaml");
    let s = load_file(Path::new(&path)).unwrap();
    (path, s)
}

/// Site destructions per year, from the fixture.
fn destruction_rate(s: &Scenario) -> f64 {
    s.sites[0]
        .failures
        .destruction
        .map(|m| m.rate.events_per_year())
        .unwrap()
}

/// Downtime hours per year worked out by hand: the steady-state unavailability
/// of the site outage, plus each destruction waited out for its repair time
/// (no copy can serve elsewhere: there is no other PostgreSQL host).
fn downtime_hours(s: &Scenario) -> f64 {
    let f = s.sites[0].failures;
    let out = f.outage.unwrap();
    let mttr = out.repair.as_hours();
    let mtbf = HOURS_PER_YEAR / out.rate.events_per_year();
    let outage = HOURS_PER_YEAR * mttr / (mtbf + mttr);
    let destruction = f
        .destruction
        .map_or(0.0, |d| d.rate.events_per_year() * d.repair.as_hours());
    outage + destruction
}

/// Hosts and links per year, from the fixture's monthly prices.
fn hosts_and_links(s: &Scenario) -> f64 {
    12.0 * (s.hosts.iter().map(|h| h.cost_per_month).sum::<f64>()
        + s.links.iter().map(|l| l.cost_per_month).sum::<f64>())
}

fn layout<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["layouts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["scenario"] == name)
        .unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

fn check_bill(c: &Value, s: &Scenario) {
    let lines = c["cost"]["lines"].as_array().unwrap();
    let not_storage: f64 = lines
        .iter()
        .filter(|l| !l["item"].as_str().unwrap().starts_with("storage"))
        .map(|l| f(&l["per_year"]))
        .sum();
    assert_eq!(not_storage, hosts_and_links(s), "{}", s.name);
}

fn check_loss(c: &Value, s: &Scenario) {
    let price = s.costs.downtime_per_hour;
    let down = &c["loss"]["downtime"];
    let hand = downtime_hours(s) * price;
    assert!(
        f(&down["low"]) <= hand && hand <= f(&down["high"]),
        "{}: downtime by hand {hand} outside the simulated interval {down}",
        s.name
    );
    assert_eq!(f(&c["loss"]["incidents"]), 0.0, "per_incident is 0");
}

#[test]
fn when_downtime_is_cheap_the_cheaper_layout_wins_and_the_far_copy_does_not_pay() {
    let (_, one) = fixture("cheap-downtime", "one-site");
    let (two_path, two) = fixture("cheap-downtime", "two-regions");
    let (code, v) = run(&[
        "compare",
        "tests/fixtures/cost/cheap-downtime",
        "--trials",
        "4000",
        "--sensitivity-trials",
        "0",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0), "both meet the lenient availability target");
    let (a, b) = (layout(&v, "one-site"), layout(&v, "two-regions"));
    check_bill(a, &one);
    check_bill(b, &two);
    check_loss(a, &one);
    check_loss(b, &two);
    // One site: a destruction loses every copy, priced as a year of data.
    let total = destruction_rate(&one) * HOURS_PER_YEAR * one.costs.data_loss_per_hour;
    assert!((f(&a["loss"]["total_loss"]) - total).abs() < 1e-9 * total.max(1.0));
    // Prices are so low that the extra host and link outweigh every loss.
    let extra = hosts_and_links(&two) - hosts_and_links(&one);
    assert!(extra > f(&a["loss"]["total"]["high"]));
    assert_eq!(a["rank"], 1, "{v}");
    assert!(f(&a["tco"]["value"]) < f(&b["tco"]["value"]));

    let (code, t) = run(&["cost", &two_path, "--trials", "4000", "-f", "json"]);
    assert_eq!(code, Some(0));
    let tier = &t["tiers"][0];
    assert_eq!(tier["tier"], "bk-far");
    // The tier adds its host (the link stays) and its storage.
    let storage = t["cost"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["item"].as_str().unwrap().starts_with("storage bk-far"))
        .map(|l| f(&l["per_year"]))
        .unwrap();
    let host = 12.0
        * two
            .hosts
            .iter()
            .find(|h| h.name == "bk2")
            .unwrap()
            .cost_per_month;
    assert!((f(&tier["cost_per_year"]) - (host + storage)).abs() < 1e-6);
    // What it avoids is the loss of every copy (downtime is the same: no
    // PostgreSQL host in the far region), to within the simulation's margin.
    let avoided = total - f(&t["loss"]["total_loss"]);
    assert!(
        (f(&tier["loss_avoided"]) - avoided).abs() <= f(&tier["loss_avoided_margin"]),
        "{tier}"
    );
    assert!(f(&tier["net_benefit"]) < 0.0);
    assert_eq!(tier["verdict"], "costs-more-than-it-saves");
}

#[test]
fn when_downtime_and_data_are_dear_the_far_copy_pays_for_itself_and_ranks_first() {
    let (_, one) = fixture("dear-downtime", "one-site");
    let (two_path, two) = fixture("dear-downtime", "two-regions");
    let (code, v) = run(&[
        "compare",
        "tests/fixtures/cost/dear-downtime",
        "--trials",
        "2000",
        "--sensitivity-trials",
        "2000",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0));
    let (a, b) = (layout(&v, "one-site"), layout(&v, "two-regions"));
    check_bill(a, &one);
    check_bill(b, &two);
    check_loss(a, &one);
    check_loss(b, &two);
    let total = destruction_rate(&one) * HOURS_PER_YEAR * one.costs.data_loss_per_hour;
    assert!((f(&a["loss"]["total_loss"]) - total).abs() < 1e-9 * total);
    assert_eq!(b["rank"], 1, "the layout with the far copy is best");
    // Its extra cost is far below the loss of every copy it avoids.
    let extra = hosts_and_links(&two) - hosts_and_links(&one);
    assert!(extra < total - f(&b["loss"]["total_loss"]));

    // Sensitivity: prices only re-price, so each price's swing is exactly
    // the part of the expected loss it multiplies (±50 % → 100 % of it).
    let sens = &v["sensitivity"];
    assert_eq!(sens["trials"], 2000);
    assert_eq!(sens["base_order"][0], "two-regions");
    for factor in sens["factors"].as_array().unwrap() {
        let input = factor["input"].as_str().unwrap();
        for sw in factor["tco"].as_array().unwrap() {
            let c = layout(&v, sw["scenario"].as_str().unwrap());
            // Same trials and seed as the comparison: the same base.
            assert!((f(&sw["base"]) - f(&c["tco"]["value"])).abs() < 1e-6);
            let loss = &c["loss"];
            let part = if input.starts_with("cost of downtime") {
                Some(f(&loss["downtime"]["value"]))
            } else if input.starts_with("cost of data loss") {
                Some(f(&loss["lost_data"]) + f(&loss["total_loss"]))
            } else {
                None
            };
            if let Some(part) = part {
                let swing = f(&sw["high"]) - f(&sw["low"]);
                assert!((swing - part).abs() < 1e-6 * part.max(1.0), "{input}: {sw}");
            }
        }
        // The far copy's advantage is too large for any one input to undo.
        assert_eq!(factor["winner_changes"], false, "{factor}");
    }

    let (code, t) = run(&["cost", &two_path, "--trials", "2000", "-f", "json"]);
    assert_eq!(code, Some(0));
    let tier = &t["tiers"][0];
    assert_eq!(tier["tier"], "bk-far");
    let avoided = total - f(&t["loss"]["total_loss"]);
    assert!(
        (f(&tier["loss_avoided"]) - avoided).abs() <= f(&tier["loss_avoided_margin"]),
        "{tier}"
    );
    assert!(f(&tier["net_benefit"]) > 0.0);
    assert!(
        (f(&tier["net_benefit"]) - (f(&tier["loss_avoided"]) - f(&tier["cost_per_year"]))).abs()
            < 1e-6
    );
    assert_eq!(tier["verdict"], "pays-for-itself");
}

#[test]
fn compare_exits_1_when_every_layout_breaches_its_targets() {
    let (_, s) = fixture("breached", "one-site");
    let (code, v) = run(&[
        "compare",
        "tests/fixtures/cost/breached",
        "--trials",
        "4000",
        "--sensitivity-trials",
        "0",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(1));
    let c = layout(&v, "one-site-strict");
    check_loss(c, &s);
    // Down 8 h a year at best: the availability is 1 − MTTR / (MTBF + MTTR).
    let hand = 1.0 - downtime_hours(&s) / HOURS_PER_YEAR;
    let a = &c["availability"];
    assert!(f(&a["low"]) <= hand && hand <= f(&a["high"]), "{a}");
    let target = s.targets.availability.unwrap().value();
    assert!(f(&a["high"]) < target);
    assert_eq!(c["targets_met"], false);
    assert_eq!(c["targets_missed"][0], "availability (breached)");
    // No destruction in this fixture: nothing prices the loss of every copy.
    assert_eq!(f(&c["loss"]["total_loss"]), 0.0);
}

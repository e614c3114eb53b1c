//! `drplan import`: a scenario from what a running Barman reports. Reads
//! `barman diagnose` (and optionally `list-backups` / `show-backup` as JSON,
//! see [`barman`]), measures what can be measured ([`measure`]) and writes a
//! commented scenario YAML: every measured value says where it came from,
//! every value that cannot be measured (sites, failure rates, costs,
//! targets, restore speed) is a clearly marked PLACEHOLDER with drplan's
//! documented default, so the result validates and runs at once.
//!
//! Only names, host names, ports and numbers are copied from Barman's
//! output: no `conninfo`, hook command line or description, so no password
//! or key can reach the scenario.

pub mod barman;
pub mod hooks;
pub mod measure;

use std::collections::BTreeMap;
use std::fmt::Write as _;

pub use barman::JsonError;
use measure::Measured;

/// Barman's own reports, as read from files.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// `barman diagnose`.
    pub diagnose: barman::Diagnose,
    /// Merged `barman -f json list-backups` outputs.
    pub listed: barman::Listed,
    /// Throughput of the newest backup per server (`show-backup`).
    pub throughput: BTreeMap<String, (String, f64)>,
}

/// A name drplan accepts (letters, digits, `-`, `_`, `.`; at most 63).
pub fn safe_name(raw: &str, fallback: &str) -> String {
    let mut s: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while s.contains("..") {
        s = s.replace("..", ".");
    }
    let s = s.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    let s: String = s.chars().take(63).collect();
    if s.is_empty() {
        fallback.to_string()
    } else {
        s
    }
}

pub(super) fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/// Bytes with two decimals in the largest fitting binary unit.
pub fn bytes(b: f64) -> String {
    let mut v = b;
    let mut i = 0;
    while v >= 1024.0 && i + 1 < UNITS.len() {
        v /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{} B", v.round())
    } else {
        format!("{v:.2} {}", UNITS[i])
    }
}

struct Writer {
    out: String,
}

impl Writer {
    fn line(&mut self, indent: usize, text: &str) {
        let _ = writeln!(self.out, "{:indent$}{text}", "");
    }
    fn measured<T>(
        &mut self,
        indent: usize,
        key: &str,
        v: Option<&measure::Value<T>>,
        show: impl Fn(&T) -> String,
        placeholder: (&str, &str),
    ) {
        match v {
            Some(v) => {
                self.line(indent, &format!("# MEASURED: {}", v.source));
                self.line(indent, &format!("{key}: {}", show(&v.value)));
            }
            None => {
                self.line(indent, &format!("# PLACEHOLDER: {}", placeholder.1));
                self.line(indent, &format!("{key}: {}", placeholder.0));
            }
        }
    }
}

/// Host names in the scenario: each distinct address once, never twice the same name.
struct Names {
    used: Vec<String>,
}

impl Names {
    fn take(&mut self, want: String) -> String {
        let mut name = want.clone();
        let mut i = 2;
        while self.used.contains(&name) {
            name = format!("{want}-{i}");
            i += 1;
        }
        self.used.push(name.clone());
        name
    }
}

/// Measure every server of `inputs`.
pub fn measure_all(inputs: &Inputs) -> Vec<Measured> {
    let d = &inputs.diagnose;
    d.servers
        .iter()
        .map(|s| {
            measure::measure(
                d,
                s,
                Some(&inputs.listed),
                inputs.throughput.get(&s.name).map(|t| t.1),
            )
        })
        .collect()
}

/// Write the scenario YAML for `inputs`; `name` is the scenario's name.
pub fn scenario(inputs: &Inputs, name: &str) -> String {
    let d = &inputs.diagnose;
    let measured = measure_all(inputs);
    let mut names = Names { used: Vec::new() };
    let mut w = Writer { out: String::new() };
    let host = d
        .hostname
        .as_deref()
        .map_or("barman-1".to_string(), |h| safe_name(h, "barman-1"));
    let version = d.barman_version.clone().unwrap_or_else(|| "unknown".into());
    w.line(
        0,
        &format!(
            "# Imported by `drplan import` from `barman diagnose` on {host} (Barman {version})."
        ),
    );
    w.line(
        0,
        "# MEASURED values say where they come from. PLACEHOLDER values are drplan's",
    );
    w.line(
        0,
        "# documented defaults or a guess: replace them before trusting `drplan simulate`,",
    );
    w.line(
        0,
        "# `cost` or `compare`. Failure rates are drplan's built-in defaults (add `defaults:`).",
    );
    w.line(0, &format!("name: {}", q(&safe_name(name, "imported"))));
    w.line(
        0,
        &format!(
            "description: {}",
            q(&format!(
                "Imported from the Barman server {host}: {} server(s)",
                measured.len()
            ))
        ),
    );
    let bv: Vec<&str> = version.split('.').take(2).collect();
    if bv.len() == 2 && bv.iter().all(|p| p.parse::<u32>().is_ok()) {
        w.line(0, &format!("barman_version: {}", q(&bv.join("."))));
    }
    w.line(0, "");
    w.line(
        0,
        "# PLACEHOLDER: sites cannot be measured; every host is put in one site.",
    );
    w.line(
        0,
        "# Put each host where it really is (region > metro > site > rack).",
    );
    for l in [
        "regions:",
        "  - name: region-1",
        "metros:",
        "  - name: metro-1",
        "    region: region-1",
        "sites:",
        "  - name: site-1",
        "    metro: metro-1",
    ] {
        w.line(0, l);
    }
    // A passive node guards against the loss of its primary's site.
    let passive_node = measured.iter().any(|m| m.passive_of.is_some());
    if passive_node {
        w.line(
            2,
            "# PLACEHOLDER: the site of this Barman, a passive node (away from its primary)",
        );
        w.line(2, "- name: site-2");
        w.line(4, "metro: metro-1");
        for l in [
            "# PLACEHOLDER: the network the passive node syncs over",
            "links:",
            "  - name: site-1-site-2",
            "    between: [site-1, site-2]",
            "    bandwidth: \"1 Gbit/s\"",
        ] {
            w.line(0, l);
        }
    }
    w.line(0, "");
    let barman_host = names.take(host.clone());
    // One machine, one role in a scenario: a host that runs passive copies
    // next to ordinary servers gets a second entry for the passive ones.
    let all_passive = measured.iter().all(|m| m.passive_of.is_some());
    let passive_host = if passive_node && !all_passive {
        names.take(format!("{barman_host}-passive"))
    } else {
        barman_host.clone()
    };
    let mut hosts = format!(
        "hosts:\n  # MEASURED: the Barman host (uname in barman diagnose)\n  - name: {}\n    site: {}\n    role: {}\n",
        q(&barman_host),
        if passive_node { "site-2" } else { "site-1" },
        if all_passive && passive_node {
            "barman-passive"
        } else {
            "barman"
        }
    );
    if passive_host != barman_host {
        let _ = writeln!(
            hosts,
            "  # MEASURED: the same machine as {0}, which also runs passive copies: drplan gives\n  # each host one role, so they are listed on this second entry.\n  # PLACEHOLDER: it fails independently of {0} in the simulation\n  - name: {1}\n    site: site-2\n    role: barman-passive",
            barman_host,
            q(&passive_host)
        );
    }
    let mut notes = Vec::new();
    let mut pg_hosts: BTreeMap<String, String> = BTreeMap::new();
    let mut clusters = String::from("clusters:\n");
    let mut tiers = String::from("barman:\n");
    let (mut passive, mut cloud) = (String::new(), String::new());
    let mut primaries: BTreeMap<String, String> = BTreeMap::new();
    for m in &measured {
        let cluster = safe_name(&m.server, "main");
        let addr = m.pg_host.clone().filter(|h| !h.starts_with('/'));
        let key = addr.clone().unwrap_or_else(|| format!("socket-{cluster}"));
        let pg = match pg_hosts.get(&key) {
            Some(n) => n.clone(),
            None => {
                let base = match addr.as_deref() {
                    Some(a) if !matches!(a, "localhost" | "127.0.0.1" | "::1") => {
                        safe_name(a.split('.').next().unwrap_or(a), "pg")
                    }
                    _ => format!("pg-{cluster}"),
                };
                let n = names.take(base);
                let _ = writeln!(
                    hosts,
                    "  # MEASURED: PostgreSQL host of [{}] (conninfo host)",
                    m.server
                );
                let _ = writeln!(hosts, "  - name: {}", q(&n));
                if let Some(a) = &addr {
                    let _ = writeln!(hosts, "    address: {}", q(a));
                }
                let _ = writeln!(hosts, "    site: site-1\n    role: primary");
                pg_hosts.insert(key, n.clone());
                n
            }
        };
        let cluster = names.take(cluster);
        let mut c = Writer { out: String::new() };
        c.line(2, &format!("- name: {}", q(&cluster)));
        match m.pg_major {
            Some(v) => {
                c.line(4, "# MEASURED: server_txt_version");
                c.line(4, &format!("version: {v}"));
            }
            None => {
                c.line(
                    4,
                    "# PLACEHOLDER: PostgreSQL was not reachable when diagnose ran",
                );
                c.line(4, "version: 16");
            }
        }
        c.line(4, &format!("primary: {}", q(&pg)));
        if let Some(p) = m.pg_port.filter(|p| *p != 5432) {
            c.line(4, "# MEASURED: conninfo port");
            c.line(4, &format!("port: {p}"));
        }
        c.measured(
            4,
            "data_size",
            m.data_size.as_ref(),
            |b| q(&bytes(*b as f64)),
            ("\"100 GiB\"", "no size reported"),
        );
        let short = format!(
            "only {:.1} days of backup history (growth needs a week or more); 0 % assumed",
            m.history_days
        );
        c.measured(
            4,
            "growth",
            m.growth.as_ref(),
            |g| q(&format!("{:.1}%/yr", g * 100.0)),
            ("\"0%/yr\"", &short),
        );
        c.measured(
            4,
            "wal_per_day",
            m.wal_per_day.as_ref(),
            |b| q(&bytes(*b)),
            ("\"10 GiB\"", "no two backups with their start LSN"),
        );
        clusters.push_str(&c.out);

        // A passive node's data comes from the primary Barman it copies: that
        // one is the `barman:` tier, with this node's settings.
        let tier_host = match &m.passive_of {
            Some(p) if primaries.contains_key(p) => primaries[p].clone(),
            Some(p) => {
                let n = names.take(safe_name(
                    p.split('.').next().unwrap_or(p),
                    "barman-primary",
                ));
                let _ = writeln!(
                    hosts,
                    "  # MEASURED: the primary Barman [{}] copies (primary_ssh_command)\n  - name: {}\n    address: {}\n    site: site-1\n    role: barman",
                    m.server,
                    q(&n),
                    q(p)
                );
                primaries.insert(p.clone(), n.clone());
                n
            }
            None => barman_host.clone(),
        };
        let tier = names.take(safe_name(&format!("{tier_host}-{cluster}"), "barman-main"));
        let mut t = Writer { out: String::new() };
        if m.passive_of.is_some() {
            t.line(
                2,
                "# PLACEHOLDER: the primary Barman, assumed configured as its passive copy",
            );
        }
        t.line(2, &format!("- name: {}", q(&tier)));
        t.line(4, &format!("host: {}", q(&tier_host)));
        t.line(4, &format!("cluster: {}", q(&cluster)));
        t.line(
            4,
            "# MEASURED: the server's configuration (barman diagnose)",
        );
        match m.backup_method.as_deref() {
            Some(b @ ("postgres" | "rsync")) => t.line(4, &format!("backup_method: {b}")),
            Some(other) => notes.push(format!("[{}] uses backup_method `{other}`, which drplan does not model: imported as `postgres`", m.server)),
            None => {}
        }
        if let Some(a) = m.wal_archiving {
            t.line(4, &format!("wal_archiving: {a}"));
        }
        t.line(
            4,
            &format!(
                "compression: {}",
                m.compression.as_deref().unwrap_or("none")
            ),
        );
        if let Some(r) = &m.compression_ratio {
            t.line(4, &format!("# MEASURED: {}", r.source));
            t.line(4, &format!("compression_ratio: {:.2}", r.value));
        }
        match &m.retention_policy {
            Some(r) => t.line(4, &format!("retention_policy: {}", q(r))),
            None => {
                t.line(
                    4,
                    "# PLACEHOLDER: no retention_policy: Barman keeps everything; drplan needs one",
                );
                t.line(4, "retention_policy: \"REDUNDANCY 2\"");
            }
        }
        if let Some(r) = m.minimum_redundancy {
            t.line(4, &format!("minimum_redundancy: {r}"));
        }
        t.measured(
            4,
            "schedule",
            m.schedule.as_ref(),
            |s| q(s),
            (
                "\"daily at 01:00\"",
                &format!("{} backup(s), no regular schedule to read", m.backups),
            ),
        );
        t.measured(
            4,
            "backup_throughput",
            m.backup_throughput.as_ref(),
            |r| q(&format!("{}/s", bytes(*r))),
            (
                "\"200 MiB/s\"",
                "no backup with a copy time; drplan's default",
            ),
        );
        t.line(
            4,
            "# PLACEHOLDER: restores are not in Barman's reports; drplan's default",
        );
        t.line(4, "restore_throughput: \"200 MiB/s\"");
        tiers.push_str(&t.out);
        if m.passive_of.is_some() {
            let n = names.take(safe_name(&format!("{passive_host}-{cluster}"), "passive"));
            passive.push_str(&hooks::passive_tier(&n, &passive_host, &tier, m));
        }
        for c in &m.cloud {
            let n = names.take(safe_name(&format!("{cluster}-{}", c.bucket), "cloud"));
            cloud.push_str(&hooks::cloud_tier(&n, &cluster, &tier, c, m));
        }
        if !m.cloud_hooks.is_empty() {
            notes.push(format!("[{}] runs barman-cloud from {}: add a `cloud:` tier (bucket, region, storage class, retention)", m.server, m.cloud_hooks.join(", ")));
        }
    }
    w.out.push_str(&hosts);
    w.line(0, "");
    w.out.push_str(&clusters);
    w.line(0, "");
    w.out.push_str(&tiers);
    w.line(0, "");
    for (key, text) in [("passive", &passive), ("cloud", &cloud)] {
        if !text.is_empty() {
            w.line(0, &format!("{key}:"));
            w.out.push_str(text);
            w.line(0, "");
        }
    }
    for n in &notes {
        w.line(0, &format!("# NOT IMPORTED: {n}"));
    }
    for l in [
        "# PLACEHOLDER: what downtime and lost data cost you, for `drplan cost` and `compare`:",
        "# costs:",
        "#   currency: EUR",
        "#   downtime_per_hour: 10000",
        "#   data_loss_per_hour: 20000",
        "# PLACEHOLDER: your targets, checked by `drplan simulate` and `compare`:",
        "# targets:",
        "#   rpo: \"5 min\"",
        "#   rto: \"4 h\"",
    ] {
        w.line(0, l);
    }
    w.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_safe() {
        assert_eq!(safe_name("PG_1.example.net", "x"), "pg_1.example.net");
        assert_eq!(safe_name("../etc/passwd", "x"), "etc-passwd");
        assert_eq!(safe_name("***", "x"), "x");
        assert_eq!(bytes(102_395_593.0), "97.65 MiB");
    }
}

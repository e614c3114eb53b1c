//! Patroni's pitfalls and Barman following a Patroni leader, checked on the
//! files themselves (generated or deployed):
//!
//! - a `patroni.yml` without `postgresql.bin_dir` (Debian keeps the binaries
//!   per major version: Patroni finds no `pg_ctl`), with a `ttl` below
//!   `loop_wait + 2 × retry_timeout`, with a password, or with cluster-wide
//!   parameters per node (Patroni takes them from the DCS);
//! - a Barman server of a Patroni cluster (its section named as the `scope`)
//!   whose conninfo names one host or lacks `target_session_attrs=read-write`
//!   (after a failover it backs up a replica or nothing), or whose slot is not
//!   a Patroni permanent slot (the new leader has no slot: a WAL gap);
//! - the other way to follow a leader, configuration models switched by
//!   `barman config-switch`: models need Barman 3.10 and a `cluster`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::ini::Parsed;
use super::inject::conninfo_pairs;
use super::lint::{Finding, Severity};
use super::{Artifact, ini};

/// Keys Patroni takes from the DCS only: set per node, they are ignored or refused.
const CLUSTER_WIDE: [&str; 8] = [
    "max_connections",
    "max_locks_per_transaction",
    "max_worker_processes",
    "max_prepared_transactions",
    "wal_level",
    "max_wal_senders",
    "max_replication_slots",
    "wal_log_hints",
];

fn finding(severity: Severity, a: &Artifact, message: String, hint: &str) -> Finding {
    Finding {
        severity,
        path: a.path.clone(),
        line: None,
        message,
        hint: hint.to_string(),
    }
}

/// Is this a Patroni configuration file?
pub fn is_patroni(a: &Artifact) -> bool {
    a.target.starts_with("/etc/patroni/")
        && (a.target.ends_with(".yml") || a.target.ends_with(".yaml"))
}

fn secs(v: &Value, key: &str, default: f64) -> f64 {
    v.get(key).and_then(Value::as_f64).unwrap_or(default)
}

/// What a Patroni file says about Barman: its scope and permanent slots.
struct Scope {
    slots: Vec<String>,
}

fn one_file(a: &Artifact, out: &mut Vec<Finding>) -> Option<(String, Scope)> {
    let v: Value = match serde_saphyr::from_str(&a.contents) {
        Ok(v) => v,
        Err(e) => {
            out.push(finding(
                Severity::Error,
                a,
                format!("not valid YAML: {e}"),
                "Patroni refuses to start with it",
            ));
            return None;
        }
    };
    let pg = v.get("postgresql");
    if pg.and_then(|p| p.get("bin_dir")).is_none() {
        out.push(finding(
            Severity::Error,
            a,
            "no postgresql.bin_dir: Debian keeps pg_ctl in /usr/lib/postgresql/<major>/bin, off the PATH".into(),
            "set postgresql.bin_dir to the cluster's major version's binaries",
        ));
    }
    let dcs = v.get("bootstrap").and_then(|b| b.get("dcs"));
    if let Some(d) = dcs {
        let (ttl, lw, rt) = (
            secs(d, "ttl", 30.0),
            secs(d, "loop_wait", 10.0),
            secs(d, "retry_timeout", 10.0),
        );
        if ttl < lw + 2.0 * rt {
            out.push(finding(
                Severity::Error,
                a,
                format!("ttl {ttl} s is below loop_wait + 2 × retry_timeout = {} s: a slow DCS makes the leader demote itself", lw + 2.0 * rt),
                "raise ttl or lower loop_wait and retry_timeout",
            ));
        }
    }
    if let Some(params) = pg
        .and_then(|p| p.get("parameters"))
        .and_then(Value::as_object)
    {
        for k in params.keys().filter(|k| CLUSTER_WIDE.contains(&k.as_str())) {
            out.push(finding(
                Severity::Warning,
                a,
                format!("`{k}` in the node's postgresql.parameters: Patroni takes it from the DCS"),
                "set it under bootstrap.dcs.postgresql.parameters (or `patronictl edit-config`)",
            ));
        }
    }
    let auth = pg
        .and_then(|p| p.get("authentication"))
        .and_then(Value::as_object);
    for (role, cfg) in auth.into_iter().flatten() {
        if cfg.get("password").is_some() {
            out.push(finding(
                Severity::Error,
                a,
                format!("a password for `{role}` in the file"),
                "pass it as PATRONI_SUPERUSER_PASSWORD / PATRONI_REPLICATION_PASSWORD in an EnvironmentFile of mode 0600",
            ));
        }
    }
    let scope = v.get("scope").and_then(Value::as_str)?.to_string();
    let slots = dcs
        .and_then(|d| d.get("slots"))
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    Some((scope, Scope { slots }))
}

fn value<'a>(opts: &'a [Parsed], key: &str) -> Option<&'a str> {
    opts.iter().find(|o| o.key == key).map(|o| o.value.as_str())
}

/// Findings for the Patroni files among `files` and the Barman server files
/// of their clusters; `barman_version` gates the configuration-model check.
pub fn lint(
    files: &[Artifact],
    is_barman: &dyn Fn(&Artifact) -> bool,
    barman_version: Option<(u32, u32)>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut scopes: BTreeMap<String, Scope> = BTreeMap::new();
    for a in files.iter().filter(|a| is_patroni(a)) {
        if let Some((scope, s)) = one_file(a, &mut out) {
            scopes.entry(scope).or_insert(s);
        }
    }
    for a in files.iter().filter(|a| is_barman(a)) {
        let (parsed, _) = ini::parse(&a.contents);
        let mut sections: BTreeMap<&str, Vec<Parsed>> = BTreeMap::new();
        for p in &parsed {
            sections
                .entry(p.section.as_str())
                .or_default()
                .push(p.clone());
        }
        for (section, opts) in sections {
            if value(&opts, "model").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
                if barman_version.is_some_and(|v| v < (3, 10)) {
                    out.push(finding(Severity::Error, a, format!("[{section}] is a configuration model, which needs Barman 3.10 or later"), "upgrade Barman, or follow the leader with a multi-host conninfo and a Patroni permanent slot"));
                }
                if value(&opts, "cluster").is_none() {
                    out.push(finding(Severity::Error, a, format!("[{section}] is a configuration model without `cluster`: `barman config-switch` cannot apply it"), "set `cluster` to the server it overrides"));
                }
                continue;
            }
            let Some(scope) = scopes.get(section) else {
                continue;
            };
            if value(&opts, "primary_ssh_command").is_some() {
                continue;
            }
            for key in ["conninfo", "streaming_conninfo"] {
                let Some(ci) = value(&opts, key) else {
                    continue;
                };
                let pairs = conninfo_pairs(ci).unwrap_or_default();
                let get = |k: &str| pairs.iter().find(|(x, _)| x == k).map(|(_, v)| v.as_str());
                if !get("host").is_some_and(|h| h.contains(',')) {
                    out.push(finding(Severity::Error, a, format!("[{section}] `{key}` names one host of a Patroni cluster: after a failover Barman stays on the old leader"), "list every node (host=a,b port=p,p) with target_session_attrs=read-write"));
                } else if get("target_session_attrs") != Some("read-write") {
                    out.push(finding(Severity::Error, a, format!("[{section}] `{key}` lists several hosts without target_session_attrs=read-write: Barman may connect to a replica"), "add target_session_attrs=read-write"));
                }
            }
            if let Some(slot) = value(&opts, "slot_name")
                && !scope.slots.iter().any(|s| s == slot)
            {
                out.push(finding(Severity::Error, a, format!("[{section}] streams through slot `{slot}`, which is not a Patroni permanent slot: the new leader has none after a failover and WAL is lost in between"), "add it under bootstrap.dcs.slots with type: physical (patronictl edit-config on a running cluster)"));
            }
        }
    }
    out
}

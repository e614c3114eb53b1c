//! Monitoring derived from the plan: Barman's own thresholds in each server
//! file (`last_backup_maximum_age` from the schedule and the backup's
//! duration, `last_wal_maximum_age` from the WAL rate or `archive_timeout`,
//! `last_backup_minimum_size` from the data size), so that
//! `barman check --nagios` fails when the plan is not being kept; per Barman
//! host a textfile-collector script for Prometheus' node exporter and its
//! cron entry; and one Prometheus rule file (`prometheus/drplan-barman.rules.yml`)
//! alerting on failed checks, old backups, WAL lag, stale metrics, use above
//! the projected peak and the volume filling within 30 days.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Artifact, ExportContext, Renderer, Result};
use crate::analysis::disk::{self, DiskOptions};
use crate::model::{BarmanServer, CloudVia, PassiveId, TierRef};

/// Where the node exporter's textfile collector reads (Debian's
/// `prometheus-node-exporter` default).
pub const TEXTFILE_DIR: &str = "/var/lib/prometheus/node-exporter";
/// The rule file, at the top of the export.
pub const RULES: &str = "prometheus/drplan-barman.rules.yml";
/// Name of the metrics script.
pub const SCRIPT: &str = "drplan-barman-metrics";

/// Barman's check thresholds for one server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// `last_backup_maximum_age`, hours.
    pub backup_max_age_h: u64,
    /// `last_wal_maximum_age`, hours.
    pub wal_max_age_h: u64,
    /// `last_backup_minimum_size`, MiB.
    pub backup_min_size_mib: u64,
}

/// Rounded-up hours, at least one.
fn hours(secs: f64) -> u64 {
    (secs / 3600.0).ceil().max(1.0) as u64
}

/// What a Barman server's thresholds are built from: the longest planned
/// gap between two backups, how long one takes, and the expected time
/// between two WAL segments (`None` when no WAL is planned).
fn primary_terms(ctx: &ExportContext, b: &BarmanServer) -> (f64, f64, Option<f64>) {
    let c = ctx.cluster_of(b);
    let rate = b.backup_throughput.bytes_per_sec().max(1.0);
    let backup_secs = c.data_size.0 as f64 / rate;
    let gap = b.schedule.max_interval().as_secs();
    let per_sec = c.wal_per_day.0 as f64 / 86_400.0;
    let mut segment_secs = if per_sec > 0.0 {
        c.wal_segment_size.0 as f64 / per_sec
    } else {
        f64::INFINITY
    };
    if let Some(t) = c.archive_timeout {
        segment_secs = segment_secs.min(t.as_secs());
    }
    (
        gap,
        backup_secs,
        segment_secs.is_finite().then_some(segment_secs),
    )
}

/// Thresholds from the backup age (seconds, before slack), the WAL age
/// (seconds, `None` without WAL) and the data size.
fn from_terms(backup_age: f64, wal_age: Option<f64>, data_size: u64) -> Thresholds {
    Thresholds {
        backup_max_age_h: hours(backup_age * 1.25),
        // No WAL planned: a day without any is still worth a look.
        wal_max_age_h: wal_age.map_or(24, hours),
        backup_min_size_mib: (data_size / 2 / (1 << 20)).max(1),
    }
}

/// The thresholds of a Barman server: the longest planned gap between two
/// backups plus the time one takes, with 25 % slack; three times the
/// expected time between two WAL segments (at least an hour); half of
/// today's data size.
pub fn thresholds(ctx: &ExportContext, b: &BarmanServer) -> Thresholds {
    let (gap, backup_secs, segment) = primary_terms(ctx, b);
    from_terms(
        gap + backup_secs,
        segment.map(|s| 3.0 * s),
        ctx.cluster_of(b).data_size.0,
    )
}

/// The thresholds of a passive node: its primary's, one sync later. A
/// backup reaches it after the primary's `barman cron` has seen it done, at
/// the passive node's next sync (`sync_interval`) plus the time to copy it
/// over the link it syncs through; WAL arrives at the next sync.
pub fn passive_thresholds(ctx: &ExportContext, id: PassiveId) -> Thresholds {
    let s = ctx.scenario;
    let p = &s.passive_nodes[id.0];
    let b = &s.barman_servers[p.primary.0];
    let c = ctx.cluster_of(b);
    let (gap, backup_secs, segment) = primary_terms(ctx, b);
    let sync = p.sync_interval.as_secs();
    let copy = s.sync_link(id).map_or(0.0, |l| {
        c.data_size.0 as f64 / s.links[l.0].bandwidth.bytes_per_sec().max(1.0)
    });
    from_terms(
        gap + backup_secs + sync + copy,
        Some(segment.map_or(86_400.0, |s| 3.0 * s) + sync),
        c.data_size.0,
    )
}

/// One Barman server to watch: its server name (the cluster's; a passive
/// node shares it with its primary, so metrics also carry the tier), the
/// tier, the host it runs on, whether it is a passive node, what its backups follow (for alert texts),
/// its thresholds, planned volume and projected peak (bytes).
struct Watched<'a> {
    server: &'a str,
    tier: &'a str,
    host: &'a str,
    passive: bool,
    follows: String,
    th: Thresholds,
    volume: Option<u64>,
    peak: u64,
    /// Hook-fed cloud tiers of this server: (tier, queue folder of the WAL
    /// segments waiting for the bucket).
    cloud_queues: Vec<(&'a str, String)>,
}

impl Watched<'_> {
    /// The Prometheus label set of this server's series.
    fn labels(&self) -> String {
        format!("server=\"{}\",tier=\"{}\"", self.server, self.tier)
    }
}

/// Every Barman server and passive node of the plan, in the scenario's order.
fn watched<'a>(ctx: &'a ExportContext) -> Vec<Watched<'a>> {
    let s = ctx.scenario;
    let d = disk::project(s, DiskOptions::default());
    let peak = |name: &str| {
        d.tiers
            .iter()
            .find(|t| t.tier == name)
            .map_or(0, |t| t.peak)
    };
    let mut all = Vec::new();
    for t in s.tiers() {
        match t {
            TierRef::Barman(id) => {
                let b = &s.barman_servers[id.0];
                all.push(Watched {
                    server: &ctx.cluster_of(b).name,
                    tier: &b.name,
                    host: &ctx.host(b.host).name,
                    passive: false,
                    follows: format!("schedule {}", b.schedule),
                    th: thresholds(ctx, b),
                    volume: b.volume.map(|v| v.0),
                    peak: peak(&b.name),
                    cloud_queues: s
                        .cloud_tiers
                        .iter()
                        .filter(|t| t.via == CloudVia::Hooks(id))
                        .map(|t| {
                            let c = &s.clusters[t.cluster.0];
                            (t.name.as_str(), super::cloud_wal::queue_dir(ctx, c))
                        })
                        .collect(),
                });
            }
            TierRef::Passive(id) => {
                let p = &s.passive_nodes[id.0];
                let b = &s.barman_servers[p.primary.0];
                all.push(Watched {
                    server: &ctx.cluster_of(b).name,
                    tier: &p.name,
                    host: &ctx.host(p.host).name,
                    passive: true,
                    follows: format!("passive copy of {}", b.name),
                    th: passive_thresholds(ctx, id),
                    volume: p.volume.map(|v| v.0),
                    peak: peak(&p.name),
                    cloud_queues: Vec::new(),
                });
            }
            // A bucket has no Barman server of its own: its uploads are
            // watched through the hooks' queue on the Barman host.
            TierRef::Cloud(_) => {}
        }
    }
    all
}

fn script(ctx: &ExportContext, servers: &[&Watched]) -> String {
    let l = &ctx.layout;
    let mut t = String::new();
    let _ = writeln!(t, "#!/bin/bash\n{}", ctx.banner("#"));
    let _ = writeln!(
        t,
        "# Prometheus metrics of this Barman host for the node exporter's textfile\n# collector (run from cron every 5 minutes as {user}). Usage: {SCRIPT} [OUT.prom]\nset -u\nout=${{1:-{TEXTFILE_DIR}/drplan-barman.prom}}\nhome={home}\ntmp=$(mktemp \"$out.XXXXXX\") || exit 1\ntrap 'rm -f \"$tmp\"' EXIT\n# newest DONE backup's end (epoch seconds) from `barman -f json list-backups`\nnewest() {{\n    barman -f json list-backups \"$1\" 2>/dev/null | python3 -c '\nimport json, sys\ntry:\n    d = json.load(sys.stdin)\nexcept ValueError:\n    sys.exit(0)\nts = [int(b[\"end_time_timestamp\"]) for v in d.values() if isinstance(v, list) for b in v if b.get(\"status\") == \"DONE\" and b.get(\"end_time_timestamp\")]\nprint(max(ts) if ts else 0)'\n}}\n{{",
        user = l.barman_user,
        home = l.barman_home
    );
    for (name, help) in [
        ("barman_check_ok", "1 when `barman check --nagios` passes"),
        (
            "barman_last_backup_timestamp_seconds",
            "end of the newest DONE backup",
        ),
        (
            "barman_last_wal_timestamp_seconds",
            "modification time of the newest archived WAL file",
        ),
        (
            "barman_used_bytes",
            "bytes under the barman_home folder of the server",
        ),
        ("barman_volume_bytes", "planned backup volume (scenario)"),
        (
            "barman_planned_peak_bytes",
            "peak the plan projects (drplan disk)",
        ),
    ] {
        let _ = writeln!(t, "echo '# HELP {name} {help}'\necho '# TYPE {name} gauge'");
    }
    if servers.iter().any(|w| !w.cloud_queues.is_empty()) {
        for (name, help) in [
            (
                "barman_cloud_wal_queue_segments",
                "WAL segments waiting for the bucket (drplan-cloud-wal queue)",
            ),
            (
                "barman_cloud_wal_queue_oldest_timestamp_seconds",
                "when the oldest waiting segment was queued (0: none)",
            ),
        ] {
            let _ = writeln!(t, "echo '# HELP {name} {help}'\necho '# TYPE {name} gauge'");
        }
    }
    for w in servers {
        let (s, lab, peak) = (w.server, w.labels(), w.peak);
        let _ = writeln!(
            t,
            "if barman check --nagios {s} >/dev/null 2>&1; then ok=1; else ok=0; fi\nwal=$(find \"$home/{s}/wals\" -type f -name '0*' -printf '%T@\\n' 2>/dev/null | sort -n | tail -n 1)\nwal=${{wal%.*}}\nlast=$(newest {s})\nused=$(du -sb \"$home/{s}\" 2>/dev/null | cut -f1)\necho \"barman_check_ok{{{esc}}} $ok\"\necho \"barman_last_backup_timestamp_seconds{{{esc}}} ${{last:-0}}\"\necho \"barman_last_wal_timestamp_seconds{{{esc}}} ${{wal:-0}}\"\necho \"barman_used_bytes{{{esc}}} ${{used:-0}}\"\necho 'barman_planned_peak_bytes{{{lab}}} {peak}'",
            esc = lab.replace('"', "\\\"")
        );
        if let Some(v) = w.volume {
            let _ = writeln!(t, "echo 'barman_volume_bytes{{{lab}}} {v}'");
        }
        for (tier, dir) in &w.cloud_queues {
            let qlab = format!("server=\\\"{s}\\\",tier=\\\"{tier}\\\"");
            let _ = writeln!(
                t,
                "queued=$(find {dir} -type f 2>/dev/null | wc -l)\noldest=$(find {dir} -type f -printf '%T@\\n' 2>/dev/null | sort -n | head -n 1)\noldest=${{oldest%.*}}\necho \"barman_cloud_wal_queue_segments{{{qlab}}} $queued\"\necho \"barman_cloud_wal_queue_oldest_timestamp_seconds{{{qlab}}} ${{oldest:-0}}\"",
                dir = super::quote::shell(dir)
            );
        }
    }
    let _ = writeln!(
        t,
        "echo '# HELP barman_metrics_timestamp_seconds when this file was written'\necho '# TYPE barman_metrics_timestamp_seconds gauge'\necho \"barman_metrics_timestamp_seconds $(date +%s)\"\n}} >\"$tmp\" || exit 1\nchmod 644 \"$tmp\"\nmv \"$tmp\" \"$out\""
    );
    t
}

/// One alerting rule; `tier` labels a per-server rule (a passive node's
/// alerts share their names with its primary's).
fn rule(t: &mut String, alert: &str, expr: &str, for_: &str, severity: &str, summary: &str) {
    tier_rule(t, alert, expr, for_, severity, summary, None);
}

fn tier_rule(
    t: &mut String,
    alert: &str,
    expr: &str,
    for_: &str,
    severity: &str,
    summary: &str,
    tier: Option<&str>,
) {
    let tier = tier.map_or(String::new(), |n| format!("\n          tier: {n}"));
    let _ = writeln!(
        t,
        "      - alert: {alert}\n        expr: '{}'\n        for: {for_}\n        labels:\n          severity: {severity}{tier}\n        annotations:\n          summary: '{}'",
        expr.replace('\'', "''"),
        summary.replace('\'', "''")
    );
}

fn rules(ctx: &ExportContext, all: &[Watched]) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "{}# Prometheus alerting rules for the metrics of {SCRIPT} (see README.md).\ngroups:\n  - name: drplan-barman\n    rules:",
        ctx.banner("#")
    );
    rule(
        &mut t,
        "BarmanCheckFailed",
        "barman_check_ok == 0",
        "15m",
        "critical",
        "barman check fails for {{ $labels.server }} on {{ $labels.instance }}",
    );
    rule(
        &mut t,
        "BarmanMetricsStale",
        "time() - barman_metrics_timestamp_seconds > 1800",
        "10m",
        "warning",
        "drplan-barman-metrics has not run for 30 minutes on {{ $labels.instance }}",
    );
    for w in all {
        let (s, th, peak) = (w.server, &w.th, w.peak);
        let sel = w.labels();
        let on = if w.passive {
            format!("{s} (passive node {})", w.tier)
        } else {
            s.to_string()
        };
        tier_rule(
            &mut t,
            "BarmanBackupTooOld",
            &format!(
                "time() - barman_last_backup_timestamp_seconds{{{sel}}} > {}",
                th.backup_max_age_h * 3600
            ),
            "5m",
            "critical",
            &format!(
                "newest backup of {on} older than {} h ({})",
                th.backup_max_age_h, w.follows
            ),
            Some(w.tier),
        );
        tier_rule(
            &mut t,
            "BarmanWalLag",
            &format!(
                "time() - barman_last_wal_timestamp_seconds{{{sel}}} > {}",
                th.wal_max_age_h * 3600
            ),
            "5m",
            "critical",
            &format!("no WAL archived for {on} in {} h", th.wal_max_age_h),
            Some(w.tier),
        );
        tier_rule(
            &mut t,
            "BarmanAbovePlannedPeak",
            &format!("barman_used_bytes{{{sel}}} > 1.1 * {peak}"),
            "1h",
            "warning",
            &format!("{on} uses more than 110 % of the peak the plan projects: run drplan drift"),
            Some(w.tier),
        );
        if w.volume.is_some() {
            tier_rule(
                &mut t,
                "BarmanVolumeFillsWithin30Days",
                &format!(
                    "predict_linear(barman_used_bytes{{{sel}}}[7d], 30 * 86400) > on(server, tier, instance) barman_volume_bytes{{{sel}}}"
                ),
                "1h",
                "warning",
                &format!("at the last week's rate the backup volume of {on} fills within 30 days"),
                Some(w.tier),
            );
        }
        for (tier, _) in &w.cloud_queues {
            tier_rule(
                &mut t,
                "BarmanCloudWalBacklog",
                &format!("barman_cloud_wal_queue_segments{{server=\"{s}\",tier=\"{tier}\"}} > 0"),
                "30m",
                "warning",
                &format!(
                    "{{{{ $value }}}} WAL segment(s) of {s} wait for cloud tier {tier}: the bucket is behind and its RPO grows (see the drplan-cloud-wal log)"
                ),
                Some(tier),
            );
        }
    }
    t
}

/// Per Barman host: the metrics script and its cron entry; the rule file.
pub struct Monitoring;

impl Renderer for Monitoring {
    fn render(&self, ctx: &ExportContext, out: &mut Vec<Artifact>) -> Result<()> {
        let all = watched(ctx);
        let mut by_host: BTreeMap<&str, Vec<&Watched>> = BTreeMap::new();
        for w in &all {
            by_host.entry(w.host).or_default().push(w);
        }
        if all.is_empty() {
            return Ok(());
        }
        let sbin = &ctx.layout.sbin_dir;
        for (host, servers) in &by_host {
            out.push(
                Artifact::on_host(
                    host,
                    &format!("{sbin}/{SCRIPT}"),
                    "Prometheus textfile-collector metrics of this Barman host",
                    script(ctx, servers),
                )
                .executable(),
            );
            out.push(Artifact::on_host(
                host,
                &format!("/etc/cron.d/{SCRIPT}"),
                "runs drplan-barman-metrics every 5 minutes",
                format!(
                    "{}*/5 * * * * {} {sbin}/{SCRIPT}\n",
                    ctx.banner("#"),
                    ctx.layout.barman_user
                ),
            ));
        }
        out.push(Artifact {
            path: RULES.into(),
            host: String::new(),
            target: String::new(),
            purpose: "Prometheus alerting rules (load on the Prometheus server)".into(),
            contents: rules(ctx, &all),
            executable: false,
        });
        Ok(())
    }
}

/// The README's section on monitoring.
pub fn readme(ctx: &ExportContext) -> String {
    let mut t = String::from("\n## Monitoring\n\n");
    let _ = writeln!(
        t,
        "Each server file sets Barman's own thresholds, derived from the plan, so that\n`barman check` (and `barman check --nagios`, for Nagios/Icinga) fails when it is not kept:\n\n| server | last_backup_maximum_age | last_wal_maximum_age | last_backup_minimum_size | Nagios command |\n|---|---|---|---|---|"
    );
    for w in watched(ctx) {
        let (s, th) = (w.server, w.th);
        let _ = writeln!(
            t,
            "| {s} ({}) | {} hours | {} hours | {} MiB | `barman check --nagios {s}` |",
            w.host, th.backup_max_age_h, th.wal_max_age_h, th.backup_min_size_mib
        );
    }
    let _ = writeln!(
        t,
        "\nThe backup age is the longest planned gap between two backups plus the time a backup\ntakes (data size / backup throughput), with 25 % slack; the WAL age is three times the\nexpected time between two WAL segments (WAL per day, or `archive_timeout` when shorter),\nat least an hour; the minimum size is half of today's data size. A passive node's\nages add one sync (`sync_interval`, plus copying a full backup over the link it syncs\nthrough) to its primary's. Metrics carry the tier as well as the server: a passive node\nuses its primary's server name.\n\nFor Prometheus, `{sbin}/{SCRIPT}` (cron: every 5 minutes) writes\n`{TEXTFILE_DIR}/drplan-barman.prom` for the node exporter's textfile collector\n(Debian: `prometheus-node-exporter`; make that folder writable by the Barman user). Load `{RULES}` on the Prometheus server\n(`rule_files:`); check it with `promtool check rules {RULES}`. Its alerts:\n\n| alert | fires when |\n|---|---|\n| BarmanCheckFailed | `barman check --nagios` has failed for 15 minutes |\n| BarmanMetricsStale | the metrics file is older than 30 minutes (cron or the script broken) |\n| BarmanBackupTooOld | the newest DONE backup is older than last_backup_maximum_age |\n| BarmanWalLag | no WAL file archived within last_wal_maximum_age |\n| BarmanAbovePlannedPeak | the server uses more than 110 % of the peak `drplan disk` projects: run `drplan drift` |\n| BarmanVolumeFillsWithin30Days | (servers with a planned volume) at the last week's rate the volume fills within 30 days |\n| BarmanCloudWalBacklog | (hook-fed cloud tiers) WAL segments have waited in the upload queue for 30 minutes: the catch-up job cannot reach the bucket |",
        sbin = ctx.layout.sbin_dir
    );
    t
}

//! Cron entries (`/etc/cron.d/drplan-barman`, one file per host): `barman
//! cron` every minute on Barman servers, scheduled `barman backup --wait`
//! (hook uploads need `--wait`), the passive node's sync through its guard,
//! the cloud tier's own retention (`barman-cloud-backup-delete`) and the
//! catch-up of WAL its hook queued while the bucket was down, backups to
//! the bucket from the PostgreSQL host, and restore drills.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::quote::{cron_command, shell, shell_words};
use super::{
    Artifact, ExportContext, ExportError, Renderer, Result, cloud, cloud_wal, drill, guard,
};
use crate::model::{CloudVia, Cluster, Schedule};

/// Renders the cron file of every host that needs one.
pub struct Cron;

/// Seconds `barman backup --wait` may wait for its WAL: half the time to the
/// next scheduled backup, between 10 minutes and 6 hours.
pub fn wait_timeout(s: &Schedule) -> u64 {
    let interval = match s {
        Schedule::Daily { .. } | Schedule::Weekly { .. } => 86_400,
        Schedule::Every(d) => d.as_secs().round() as u64,
    };
    (interval / 2).clamp(600, 21_600)
}

/// One cron entry: schedule fields, the user, and a shell command line
/// whose `%` are escaped for cron.
fn entry(fields: &str, user: &str, command: &str) -> Result<String> {
    Ok(format!("{fields} {user} {}", cron_command(command)?))
}

/// Minute, hour, day-of-month, month and day-of-week fields for a schedule.
pub fn schedule_fields(s: &Schedule, what: &str) -> Result<String> {
    let unsupported = || {
        ExportError::Unsupported {
        what: format!("{what}: `{s}` cannot be written as a cron schedule"),
        hint: "use \"daily at HH:MM\", \"weekly on sun,wed at HH:MM\", or \"every N h\" / \"every N min\" that divides a day or an hour".into(),
    }
    };
    Ok(match s {
        Schedule::Daily { at } => format!("{} {} * * *", at.minute, at.hour),
        Schedule::Weekly { days, at } => {
            let d: Vec<&str> = days.iter().map(|d| d.as_str()).collect();
            format!("{} {} * * {}", at.minute, at.hour, d.join(","))
        }
        Schedule::Every(d) => {
            let secs = d.as_secs().round() as u64;
            if secs == 0 {
                return Err(unsupported());
            } else if secs.is_multiple_of(3600) && 86_400_u64.is_multiple_of(secs) {
                match secs / 3600 {
                    24 => "0 0 * * *".to_string(),
                    1 => "0 * * * *".to_string(),
                    h => format!("0 */{h} * * *"),
                }
            } else if secs.is_multiple_of(60) && 3600_u64.is_multiple_of(secs) {
                match secs / 60 {
                    1 => "* * * * *".to_string(),
                    m => format!("*/{m} * * * *"),
                }
            } else {
                return Err(unsupported());
            }
        }
    })
}

/// Cron fields for "every N minutes" (passive sync), rounded to what cron can do.
fn every_minutes(secs: f64) -> String {
    let m = (secs / 60.0).round().max(1.0) as u64;
    if m == 1 {
        "* * * * *".into()
    } else if m < 60 && 60_u64.is_multiple_of(m) {
        format!("*/{m} * * * *")
    } else if m.is_multiple_of(60) && 24_u64.is_multiple_of(m / 60) {
        format!("0 */{} * * *", m / 60)
    } else {
        // The nearest divisor of an hour that is not slower than asked.
        let d = [30, 20, 15, 12, 10, 6, 5, 4, 3, 2]
            .into_iter()
            .find(|d| *d <= m)
            .unwrap_or(1);
        format!("*/{d} * * * *")
    }
}

/// Cron fields for a drill every `days`, at `hour` (drills of other tiers
/// start later, so that two never share the recovery host).
fn drill_fields(days: f64, hour: u32) -> String {
    let d = days.round().max(1.0) as u64;
    let h = hour % 24;
    if d == 1 {
        format!("0 {h} * * *")
    } else if d < 7 {
        format!("0 {h} */{d} * *")
    } else if d < 28 {
        format!("0 {h} * * sun")
    } else {
        let months = ((days / 30.44).round() as u64).clamp(1, 12);
        if months == 1 {
            format!("0 {h} 1 * *")
        } else {
            format!("0 {h} 1 */{months} *")
        }
    }
}

/// The psql call that stamps a cluster's canary row (a standby skips it).
pub fn canary_command(ctx: &ExportContext, c: &Cluster) -> String {
    shell_words(&[
        "psql",
        "-X",
        "-q",
        "-h",
        &ctx.layout.pg_socket_dir,
        "-p",
        &c.port.to_string(),
        "-d",
        "postgres",
        "-c",
        "DO $$BEGIN IF NOT pg_is_in_recovery() THEN UPDATE public.drplan_canary SET at = clock_timestamp() WHERE id = 1; END IF; END$$",
    ])
}

impl Renderer for Cron {
    fn render(&self, ctx: &ExportContext, out: &mut Vec<Artifact>) -> Result<()> {
        let s = ctx.scenario;
        let l = &ctx.layout;
        let conf = &l.barman_conf;
        let mut per_host: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        let mut push = |h: usize, line: String| per_host.entry(h).or_default().push(line);
        // `barman cron` itself goes into /etc/cron.d/barman, the file the
        // Debian/Ubuntu package installs with the same per-minute line:
        // replacing it (rather than adding a second) runs it once, and on a
        // passive node only through the guard.
        let mut barman_cron: BTreeMap<usize, String> = BTreeMap::new();
        let mut cron_hosts = Vec::new();
        for b in &s.barman_servers {
            let c = ctx.cluster_of(b);
            if !cron_hosts.contains(&b.host.0) {
                cron_hosts.push(b.host.0);
                barman_cron.insert(
                    b.host.0,
                    format!(
                        "# WAL streaming, archiving, retention and housekeeping.\n{}",
                        entry(
                            "* * * * *",
                            &l.barman_user,
                            &shell_words(&["barman", "-q", "-c", conf, "cron"])
                        )?
                    ),
                );
            }
            let fields = schedule_fields(
                &b.schedule,
                &format!("backup schedule of tier `{}`", b.name),
            )?;
            push(
                b.host.0,
                format!(
                    "# Full backup of `{}` ({}). --wait: the backup is restorable (and uploaded by hooks) when it returns;\n# --wait-timeout: a backup whose WAL never arrives releases the server's backup lock.\n{}",
                    c.name,
                    b.schedule,
                    entry(
                        &fields,
                        &l.barman_user,
                        &shell_words(&[
                            "barman",
                            "-q",
                            "-c",
                            conf,
                            "backup",
                            "--wait",
                            "--wait-timeout",
                            &wait_timeout(&b.schedule).to_string(),
                            &c.name
                        ])
                    )?
                ),
            );
        }
        for p in &s.passive_nodes {
            let c = ctx.cluster_of(&s.barman_servers[p.primary.0]);
            barman_cron.insert(
                p.host.0,
                format!(
                    "# Passive node sync of `{}` every {} (the guard repairs Barman's position-0 state first).\n{}",
                    c.name,
                    p.sync_interval,
                    entry(
                        &every_minutes(p.sync_interval.as_secs()),
                        &l.barman_user,
                        &shell(&format!("{}/{}", l.sbin_dir, guard::NAME))
                    )?
                ),
            );
        }
        for t in &s.cloud_tiers {
            let c = &s.clusters[t.cluster.0];
            match t.via {
                CloudVia::Hooks(b) => {
                    let h = s.barman_servers[b.0].host.0;
                    push(
                        h,
                        format!(
                            "# Cloud tier {}: uploads the WAL segments the hook queued while the bucket was unreachable.\n{}",
                            t.name,
                            entry(
                                cloud_wal::CATCH_UP_FIELDS,
                                &l.barman_user,
                                &shell_words(&[
                                    cloud_wal::script_path(ctx, c).as_str(),
                                    "--catch-up"
                                ])
                            )?
                        ),
                    );
                    push(
                        h,
                        format!(
                            "# Retention of cloud tier {} ({}): Barman's own retention never touches the bucket.\n{}",
                            t.name,
                            t.retention,
                            entry("30 4 * * *", &l.barman_user, &cloud::delete(t, c))?
                        ),
                    );
                }
                CloudVia::Native(_) => {}
                CloudVia::ArchiveCommand => {
                    let h = c.primary.0;
                    let sched = t.schedule.as_ref().ok_or_else(|| ExportError::Unsupported {
                        what: format!("cloud tier `{}` uploads from the PostgreSQL host but has no `schedule`", t.name),
                        hint: "add `schedule: \"daily at 02:00\"` to the tier".into(),
                    })?;
                    let fields =
                        schedule_fields(sched, &format!("schedule of cloud tier `{}`", t.name))?;
                    push(
                        h,
                        format!(
                            "# Base backup of `{}` straight to the bucket ({sched}).\n{}",
                            c.name,
                            entry(
                                &fields,
                                &l.postgres_user,
                                &cloud::backup_from_pg_host(t, c, &l.pg_socket_dir)
                            )?
                        ),
                    );
                    push(
                        h,
                        format!(
                            "# Retention of cloud tier {} ({}).\n{}",
                            t.name,
                            t.retention,
                            entry("30 4 * * *", &l.postgres_user, &cloud::delete(t, c))?
                        ),
                    );
                }
            }
        }
        for (ci, c) in s.clusters.iter().enumerate() {
            // Patroni keeps the configuration in PGDATA: every backup carries it.
            if ctx.servers_of(ci).next().is_none() || c.patroni().is_some() {
                continue;
            }
            for h in c.hosts() {
                push(
                    h.0,
                    format!(
                        "# The configuration of `{}` lives outside PGDATA (postgresql-common): keep a copy inside,\n# so that every base backup carries it.\n{}",
                        c.name,
                        entry(
                            "20 0 * * *",
                            &l.postgres_user,
                            &shell_words(&[
                                "cp",
                                "-a",
                                "-T",
                                &l.pg_conf_dir(c),
                                &l.pg_conf_copy(c)
                            ])
                        )?
                    ),
                );
            }
        }
        if let Some(d) = &s.drills {
            for (_, c) in drill::drill_sources(ctx) {
                for h in c.hosts() {
                    push(
                        h.0,
                        format!(
                            "# The drill's canary of `{}`: stamped every minute where this host is the primary.\n{}",
                            c.name,
                            entry("* * * * *", &l.postgres_user, &canary_command(ctx, c))?
                        ),
                    );
                }
            }
            for (b, c) in drill::drill_sources(ctx) {
                push(
                    b.host.0,
                    format!(
                        "# Restore drill of `{}` (scenario: every {}), reported in the Barman log.\n{}",
                        c.name,
                        d.every,
                        entry(
                            &drill_fields(d.every.as_days(), 5),
                            &l.barman_user,
                            &format!(
                                "{} >>{} 2>&1",
                                shell(&format!("{}/{}", l.sbin_dir, drill::script_name(c))),
                                shell(&format!("{}/drill-{}.log", l.barman_home, c.name))
                            )
                        )?
                    ),
                );
            }
        }
        for (i, t) in drill::tier_drills(ctx).into_iter().enumerate() {
            let name = s.tier_name(t.tier);
            let log = match t.tier {
                crate::model::TierRef::Passive(_) => {
                    format!("{}/drill-{}-{name}.log", l.barman_home, t.cluster.name)
                }
                _ => format!(
                    "/var/lib/postgresql/drplan/drill-{}-{name}.log",
                    t.cluster.name
                ),
            };
            push(
                t.host.0,
                format!(
                    "# Restore drill of `{}` from tier {name} (every {:.0} days).\n{}",
                    t.cluster.name,
                    t.every_days,
                    entry(
                        &drill_fields(t.every_days, 7 + 2 * i as u32),
                        t.user,
                        &format!("{} >>{} 2>&1", shell(&t.path), shell(&log))
                    )?
                ),
            );
        }
        for (h, line) in barman_cron {
            let mut t = ctx.banner("#");
            let _ = writeln!(
                t,
                "# Replaces the file of the same name that the Debian/Ubuntu barman package installs\n# (a per-minute `barman -q cron`): keeping both would run barman cron twice{}.\n# dpkg keeps this version on upgrades (it is a conffile).\nSHELL=/bin/bash\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n\n{line}",
                if s.hosts[h].role == crate::model::HostRole::BarmanPassive {
                    ", and on a passive node\n# around drplan's guard"
                } else {
                    ""
                }
            );
            out.push(Artifact::on_host(
                &s.hosts[h].name,
                "/etc/cron.d/barman",
                "barman cron (replaces the barman package's file)",
                t,
            ));
        }
        for (h, lines) in per_host {
            let mut t = ctx.banner("#");
            let _ = writeln!(
                t,
                "SHELL=/bin/bash\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
            );
            for line in lines {
                let _ = writeln!(t, "{line}");
            }
            out.push(Artifact::on_host(
                &s.hosts[h].name,
                "/etc/cron.d/drplan-barman",
                "cron entries",
                t,
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::schedule::parse_schedule;

    fn fields(s: &str) -> String {
        schedule_fields(&parse_schedule(s).unwrap(), "t").unwrap()
    }

    #[test]
    fn schedules_become_cron_fields() {
        assert_eq!(fields("daily at 01:30"), "30 1 * * *");
        assert_eq!(fields("weekly on sun,wed at 02:05"), "5 2 * * wed,sun");
        assert_eq!(fields("every 6 h"), "0 */6 * * *");
        let quarter = Schedule::Every(crate::model::Duration::from_secs(900.0));
        assert_eq!(schedule_fields(&quarter, "t").unwrap(), "*/15 * * * *");
        assert!(schedule_fields(&parse_schedule("every 7 h").unwrap(), "t").is_err());
    }

    #[test]
    fn passive_sync_is_never_slower_than_asked() {
        assert_eq!(every_minutes(60.0), "* * * * *");
        assert_eq!(every_minutes(300.0), "*/5 * * * *");
        assert_eq!(every_minutes(7.0 * 60.0), "*/6 * * * *");
        assert_eq!(every_minutes(7200.0), "0 */2 * * *");
    }
}

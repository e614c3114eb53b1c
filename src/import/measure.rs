//! From what Barman reports to the numbers of a scenario, each with where it
//! came from: data size (PostgreSQL's current size), growth (backup sizes
//! over at least a week of history), WAL per day (LSN progress from the
//! oldest backup to the moment `diagnose` ran), the stored WAL compression
//! ratio (WAL segments in the backups' range against the bytes Barman
//! keeps), backup throughput, the schedule (typical gap between backups),
//! retention, compression and how WAL reaches Barman.

use super::barman::{Backup, Diagnose, Listed, Server, lsn, segment_number};
use crate::model::compression::Compression;
use crate::model::retention::parse_retention;

/// A value measured on the live system, with how.
#[derive(Debug, Clone, PartialEq)]
pub struct Value<T> {
    /// The value.
    pub value: T,
    /// Where it came from (written as a comment next to it).
    pub source: String,
}

fn val<T>(value: T, source: impl Into<String>) -> Value<T> {
    Value {
        value,
        source: source.into(),
    }
}

/// What was measured for one Barman server.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// Barman server (section) name.
    pub server: String,
    /// PostgreSQL major version.
    pub pg_major: Option<u32>,
    /// PostgreSQL host from `conninfo` (never its password).
    pub pg_host: Option<String>,
    /// PostgreSQL port from `conninfo`.
    pub pg_port: Option<u16>,
    /// `postgres` or `rsync`.
    pub backup_method: Option<String>,
    /// `streaming`, `archive_command` or `both`.
    pub wal_archiving: Option<&'static str>,
    /// WAL compression (`None` when Barman stores WAL uncompressed).
    pub compression: Option<String>,
    /// Retention in Barman's syntax.
    pub retention_policy: Option<String>,
    /// `minimum_redundancy`.
    pub minimum_redundancy: Option<u32>,
    /// Database size, bytes.
    pub data_size: Option<Value<u64>>,
    /// Growth per year (0.2 = 20 %), when the history is long enough.
    pub growth: Option<Value<f64>>,
    /// WAL per day, bytes.
    pub wal_per_day: Option<Value<f64>>,
    /// Uncompressed:stored WAL ratio.
    pub compression_ratio: Option<Value<f64>>,
    /// Backup throughput, bytes per second.
    pub backup_throughput: Option<Value<f64>>,
    /// Schedule in drplan's syntax.
    pub schedule: Option<Value<String>>,
    /// Days between the oldest and the newest backup.
    pub history_days: f64,
    /// Successful backups seen.
    pub backups: usize,
    /// Typical seconds between two backup starts.
    pub backup_gap: Option<f64>,
    /// Seconds since the newest successful backup started, when diagnose ran.
    pub newest_backup_age: Option<f64>,
    /// Bytes Barman keeps for this server (backups and WAL, from list-backups).
    pub used: Option<u64>,
    /// A passive node: the host of `primary_ssh_command` (no user, no options).
    pub passive_of: Option<String>,
    /// Hook options running barman-cloud-* to a location drplan cannot
    /// model (key names only).
    pub cloud_hooks: Vec<String>,
    /// Bucket locations the barman-cloud hooks upload to.
    pub cloud: Vec<super::hooks::CloudTarget>,
}

/// `host` and `port` of a libpq conninfo (key=value form or URI); nothing else.
pub fn conninfo_host(conninfo: &str) -> (Option<String>, Option<u16>) {
    if let Some(rest) = conninfo
        .strip_prefix("postgresql://")
        .or_else(|| conninfo.strip_prefix("postgres://"))
    {
        let authority = rest.split(['/', '?']).next().unwrap_or_default();
        let hostport = authority.rsplit('@').next().unwrap_or_default();
        let (h, p) = hostport.rsplit_once(':').unwrap_or((hostport, ""));
        return ((!h.is_empty()).then(|| h.to_string()), p.parse().ok());
    }
    let mut host = None;
    let mut port = None;
    for kv in conninfo.split_whitespace() {
        match kv.split_once('=') {
            Some(("host" | "hostaddr", v)) if host.is_none() => {
                host = Some(v.trim_matches('\'').to_string());
            }
            Some(("port", v)) => port = v.trim_matches('\'').parse().ok(),
            _ => {}
        }
    }
    (host, port)
}

/// Barman's retention as the scenario writes it; older versions report
/// `redundancy 3 b` or `window 7 d b` in JSON.
pub fn retention(s: &str) -> Option<String> {
    let words: Vec<String> = s.split_whitespace().map(str::to_ascii_lowercase).collect();
    let text = match words
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["redundancy", n, ..] => format!("REDUNDANCY {n}"),
        ["window", n, unit, ..] => {
            let unit = match *unit {
                "d" => "DAYS",
                "w" => "WEEKS",
                "m" => "MONTHS",
                _ => return None,
            };
            format!("RECOVERY WINDOW OF {n} {unit}")
        }
        _ => s.trim().to_ascii_uppercase(),
    };
    parse_retention(&text).ok().map(|_| text)
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

const DAY: f64 = 86_400.0;
/// Largest size taken as measured (1 EiB).
const PLAUSIBLE: u64 = 1 << 60;
const WEEKDAYS: [&str; 7] = ["thu", "fri", "sat", "sun", "mon", "tue", "wed"];

/// A time span for people: seconds, minutes, hours or days.
fn span(secs: f64) -> String {
    if secs < 120.0 {
        format!("{secs:.0} s")
    } else if secs < 7200.0 {
        format!("{:.0} min", secs / 60.0)
    } else if secs < 2.0 * DAY {
        format!("{:.1} h", secs / 3600.0)
    } else {
        format!("{:.1} days", secs / DAY)
    }
}

/// The schedule the backups' start times follow (UTC).
fn schedule(done: &[&Backup]) -> Option<Value<String>> {
    let starts: Vec<f64> = done.iter().filter_map(|b| b.begin_time).collect();
    let gaps: Vec<f64> = starts.windows(2).map(|w| w[1] - w[0]).collect();
    let gap = median(gaps)?;
    let last = *starts.last()?;
    let secs = last.rem_euclid(DAY);
    let at = format!(
        "{:02}:{:02}",
        (secs / 3600.0) as u32,
        ((secs % 3600.0) / 60.0) as u32
    );
    let n = starts.len();
    let s = if (0.8 * DAY..=1.2 * DAY).contains(&gap) {
        format!("daily at {at}")
    } else if (6.0 * DAY..=8.0 * DAY).contains(&gap) {
        let day = WEEKDAYS[((last / DAY).floor() as i64).rem_euclid(7) as usize];
        format!("weekly on {day} at {at}")
    } else if gap >= 3600.0 {
        format!("every {} h", (gap / 3600.0).round())
    } else {
        return None;
    };
    Some(val(
        s,
        format!("typical gap between the last {n} backups' starts (UTC)"),
    ))
}

/// Measure one server.
pub fn measure(
    d: &Diagnose,
    s: &Server,
    listed: Option<&Listed>,
    throughput: Option<f64>,
) -> Measured {
    let cfg = |k: &str| s.config.get(k).map(String::as_str);
    let on = |k: &str| cfg(k).is_some_and(|v| matches!(v, "true" | "on" | "True" | "1"));
    let done: Vec<&Backup> = s.backups.iter().filter(|b| b.status == "DONE").collect();
    let (pg_host, pg_port) = cfg("conninfo").map(conninfo_host).unwrap_or_default();
    let pg_major = s
        .status
        .get("server_txt_version")
        .and_then(|v| v.as_str())
        .and_then(|v| v.split('.').next()?.parse().ok());
    let wal_archiving = match (on("streaming_archiver"), on("archiver")) {
        (true, true) => Some("both"),
        (true, false) => Some("streaming"),
        (false, true) => Some("archive_command"),
        (false, false) => None,
    };
    let compression = cfg("compression")
        .filter(|c| Compression::parse(c).is_some() && *c != "none")
        .map(str::to_string);
    let seg = s
        .status
        .get("xlog_segment_size")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(16 << 20);
    let first = done.first();
    let last = done.last();
    let history_days = match (
        first.and_then(|b| b.begin_time),
        last.and_then(|b| b.begin_time),
    ) {
        (Some(a), Some(b)) => (b - a) / DAY,
        _ => 0.0,
    };

    let current = s
        .status
        .get("current_size")
        .and_then(serde_json::Value::as_f64);
    let data_size = current
        .map(|c| val(c as u64, "PostgreSQL's current size (barman diagnose)"))
        .or_else(|| {
            let b = last?;
            b.cluster_size
                .or(b.size)
                .map(|x| val(x, format!("size of the newest backup, {}", b.id)))
        });
    let growth = (history_days >= 7.0)
        .then(|| {
            let size = |b: &Backup| b.cluster_size.or(b.size).map(|x| x as f64);
            let (a, b) = (size(first?)?, size(last?)?);
            (a > 0.0).then(|| {
                let g = (b / a).powf(365.0 / history_days) - 1.0;
                val(
                    g.clamp(-0.99, 100.0),
                    format!("backup sizes over {history_days:.0} days of history"),
                )
            })
        })
        .flatten();

    let now_lsn = s
        .status
        .get("current_lsn")
        .or_else(|| s.status.get("current_xlog"))
        .or_else(|| s.status.get("xlogpos"))
        .and_then(|v| v.as_str())
        .and_then(lsn);
    let wal_per_day = first.and_then(|f| {
        let (t0, l0) = (f.begin_time?, f.begin_lsn?);
        let (t1, l1, until) = match (d.timestamp, now_lsn) {
            (Some(t), Some(l)) if t > t0 => (t, l, "the time of barman diagnose"),
            _ => {
                let b = last?;
                (b.begin_time?, b.begin_lsn?, "the newest backup")
            }
        };
        (t1 > t0 && l1 > l0).then(|| {
            val(
                (l1 - l0) as f64 / (t1 - t0) * DAY,
                format!(
                    "WAL written from the start of backup {} to {until} ({}{})",
                    f.id,
                    span(t1 - t0),
                    if t1 - t0 < DAY {
                        "; a short history: check it again over days"
                    } else {
                        ""
                    }
                ),
            )
        })
    });

    let compression_ratio = compression.as_ref().and_then(|_| {
        let from_list = listed.and_then(|l| l.get(&s.name)).and_then(|l| {
            let f = first?;
            let (wal_name, _, _) = s.last_wal.as_ref()?;
            let n = (segment_number(wal_name, seg)? + 1)
                .checked_sub(segment_number(f.begin_wal.as_deref()?, seg)?)?;
            let stored: u64 = done
                .iter()
                .filter_map(|b| {
                    let (with_wal, after) = l.get(&b.id)?;
                    Some(with_wal.saturating_sub(b.size?).saturating_add(*after))
                })
                .fold(0u64, u64::saturating_add);
            (stored > 0).then(|| {
                val(
                    n as f64 * seg as f64 / stored as f64,
                    format!("{n} WAL segments since backup {} against the {stored} bytes Barman stores for them (list-backups)", f.id),
                )
            })
        });
        from_list.or_else(|| {
            let (name, size, _) = s.last_wal.as_ref()?;
            (*size > 0).then(|| {
                val(
                    seg as f64 / *size as f64,
                    format!("one segment only ({name}); give list-backups for the average"),
                )
            })
        })
    });

    // Beyond an exbibyte is a broken report, not a measurement.
    let data_size = data_size.filter(|v| v.value < PLAUSIBLE);
    let wal_per_day = wal_per_day.filter(|v| v.value.is_finite() && v.value < PLAUSIBLE as f64);
    // Stored above raw means the inputs do not belong together (or Barman
    // counted something else): drop it and let the method's typical ratio apply.
    let compression_ratio = compression_ratio.filter(|r| r.value.is_finite() && r.value >= 1.0);
    let backup_throughput = throughput
        .map(|t| val(t, "newest backup (show-backup)"))
        .or_else(|| {
            let rates: Vec<f64> = done
                .iter()
                .filter_map(|b| Some(b.size? as f64 / b.copy_time.filter(|t| *t > 0.0)?))
                .collect();
            let n = rates.len();
            median(rates).map(|m| val(m, format!("median over {n} backups (size / copy time)")))
        });

    let backup_throughput =
        backup_throughput.filter(|v| v.value.is_finite() && v.value < PLAUSIBLE as f64);
    let passive_of = cfg("primary_ssh_command")
        .map(|c| super::hooks::passive_primary(c).unwrap_or_else(|| "the-primary-barman".into()));
    let cloud = super::hooks::cloud_targets(&s.config);
    let cloud_hooks = s
        .config
        .iter()
        .filter(|(k, v)| k.ends_with("_script") && v.contains("barman-cloud-"))
        .filter(|(k, _)| !cloud.iter().any(|t| t.hooks.contains(k)))
        .map(|(k, _)| k.clone())
        .collect();
    Measured {
        server: s.name.clone(),
        pg_major,
        pg_host,
        pg_port,
        backup_method: cfg("backup_method").map(str::to_string),
        wal_archiving,
        compression,
        retention_policy: cfg("retention_policy").and_then(retention),
        minimum_redundancy: cfg("minimum_redundancy").and_then(|m| m.parse().ok()),
        data_size,
        growth,
        wal_per_day,
        compression_ratio,
        backup_throughput,
        schedule: schedule(&done),
        history_days,
        backups: done.len(),
        backup_gap: median(
            done.windows(2)
                .filter_map(|w| Some(w[1].begin_time? - w[0].begin_time?))
                .collect(),
        ),
        newest_backup_age: match (d.timestamp, last.and_then(|b| b.begin_time)) {
            (Some(now), Some(t)) => Some((now - t).max(0.0)),
            _ => None,
        },
        used: listed
            .and_then(|l| l.get(&s.name))
            .filter(|l| !l.is_empty())
            .map(|l| {
                l.values()
                    .map(|(with_wal, after)| with_wal.saturating_add(*after))
                    .fold(0, u64::saturating_add)
            }),
        passive_of,
        cloud_hooks,
        cloud,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conninfo_gives_host_and_port_only() {
        assert_eq!(
            conninfo_host(
                "host=pg1.example.net port=5433 user=barman password=s3cret dbname=postgres"
            ),
            (Some("pg1.example.net".into()), Some(5433))
        );
        assert_eq!(
            conninfo_host("postgresql://barman:s3cret@pg2:5434/postgres?sslmode=require"),
            (Some("pg2".into()), Some(5434))
        );
        assert_eq!(conninfo_host("dbname=postgres"), (None, None));
    }

    #[test]
    fn retention_of_every_version() {
        assert_eq!(retention("REDUNDANCY 3").as_deref(), Some("REDUNDANCY 3"));
        assert_eq!(retention("redundancy 3 b").as_deref(), Some("REDUNDANCY 3"));
        assert_eq!(
            retention("window 7 d b").as_deref(),
            Some("RECOVERY WINDOW OF 7 DAYS")
        );
        assert_eq!(
            retention("RECOVERY WINDOW OF 4 WEEKS").as_deref(),
            Some("RECOVERY WINDOW OF 4 WEEKS")
        );
        assert_eq!(retention("whenever"), None);
    }

    fn b(id: &str, t: f64) -> Backup {
        Backup {
            id: id.into(),
            status: "DONE".into(),
            begin_time: Some(t),
            end_time: None,
            begin_lsn: None,
            begin_wal: None,
            size: None,
            cluster_size: None,
            copy_time: None,
        }
    }

    #[test]
    fn schedules_from_backup_starts() {
        // 1970-01-05 was a Monday; 01:30 UTC.
        let t0 = 4.0 * DAY + 5400.0;
        let daily: Vec<Backup> = (0..4)
            .map(|i| {
                b(
                    &i.to_string(),
                    t0 + f64::from(i) * DAY + 60.0 * f64::from((i + 1) % 2),
                )
            })
            .collect();
        let r: Vec<&Backup> = daily.iter().collect();
        assert_eq!(schedule(&r).unwrap().value, "daily at 01:30");
        let weekly: Vec<Backup> = (0..3)
            .map(|i| b(&i.to_string(), t0 + f64::from(i) * 7.0 * DAY))
            .collect();
        let r: Vec<&Backup> = weekly.iter().collect();
        assert_eq!(schedule(&r).unwrap().value, "weekly on mon at 01:30");
        let six: Vec<Backup> = (0..3)
            .map(|i| b(&i.to_string(), t0 + f64::from(i) * 6.0 * 3600.0))
            .collect();
        let r: Vec<&Backup> = six.iter().collect();
        assert_eq!(schedule(&r).unwrap().value, "every 6 h");
        let quick: Vec<Backup> = (0..3)
            .map(|i| b(&i.to_string(), t0 + f64::from(i) * 7.0))
            .collect();
        let r: Vec<&Backup> = quick.iter().collect();
        assert_eq!(schedule(&r), None);
    }
}

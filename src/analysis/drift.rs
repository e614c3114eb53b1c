//! Plan against reality (`drplan drift`): each Barman server measured from
//! `barman diagnose` ([`crate::import::measure`]) is compared with the tier
//! of the scenario that plans it — retention, compression,
//! `minimum_redundancy`, schedule, data size, WAL per day, compression
//! ratio, the age of the newest backup — and the disk projection is re-run
//! with the measured numbers to see whether the planned volume still holds
//! (and when it fills). Each difference beyond its tolerance says which
//! scenario value to change.

use crate::analysis::disk::{self, DiskOptions};
use crate::import::measure::Measured;
use crate::model::retention::parse_retention;
use crate::model::{Compression, Scenario};

/// What is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// A measured server that no tier of the scenario plans.
    Unplanned,
    /// `retention_policy`.
    Retention,
    /// WAL `compression`.
    Compression,
    /// `minimum_redundancy`.
    MinimumRedundancy,
    /// Time between two backups.
    Schedule,
    /// The newest backup is older than the schedule allows.
    BackupAge,
    /// Database size.
    DataSize,
    /// WAL per day.
    WalPerDay,
    /// Stored WAL compression ratio.
    CompressionRatio,
    /// Used bytes and the projected fill of the planned volume.
    Volume,
}

impl Check {
    /// Its name in reports (the scenario key it is about, where there is one).
    pub fn label(self) -> &'static str {
        match self {
            Self::Unplanned => "unplanned server",
            Self::Retention => "retention_policy",
            Self::Compression => "compression",
            Self::MinimumRedundancy => "minimum_redundancy",
            Self::Schedule => "schedule",
            Self::BackupAge => "newest backup age",
            Self::DataSize => "data_size",
            Self::WalPerDay => "wal_per_day",
            Self::CompressionRatio => "compression_ratio",
            Self::Volume => "volume",
        }
    }
}

/// One comparison.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Row {
    /// Barman server (as in barman.conf).
    pub server: String,
    /// Tier of the scenario, when one plans it.
    pub tier: Option<String>,
    /// What.
    pub check: Check,
    /// The plan's value, as written in a scenario.
    pub planned: String,
    /// What was measured.
    pub measured: String,
    /// Relative difference (measured / planned − 1), for numbers.
    pub difference: Option<f64>,
    /// Beyond the tolerance.
    pub drift: bool,
    /// What to change in the scenario (`path: value`), or what to do.
    pub change: Option<String>,
}

/// Tolerances.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// Relative, for sizes, rates, ratios and the schedule (0.2 = 20 %).
    pub relative: f64,
}

impl Default for Tolerance {
    fn default() -> Self {
        Self { relative: 0.2 }
    }
}

fn size(b: f64) -> String {
    crate::import::bytes(b)
}

/// A `YYYY-MM-DD` date of seconds since the epoch.
pub fn date(epoch: f64) -> String {
    let z = (epoch / 86_400.0).floor() as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Compare the plan with what was measured; `now` is when diagnose ran.
pub fn drift(s: &Scenario, measured: &[Measured], now: Option<f64>, tol: Tolerance) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut real = s.clone();
    for m in measured {
        let tier = s
            .barman_servers
            .iter()
            .position(|b| b.name == m.server || s.clusters[b.cluster.0].name == m.server);
        let Some(ti) = tier else {
            rows.push(Row {
                server: m.server.clone(),
                tier: None,
                check: Check::Unplanned,
                planned: "-".into(),
                measured: "a Barman server".into(),
                difference: None,
                drift: true,
                change: Some(format!(
                    "add a `barman:` tier for [{}] (drplan import writes one)",
                    m.server
                )),
            });
            continue;
        };
        let b = &s.barman_servers[ti];
        let ci = b.cluster.0;
        let c = &s.clusters[ci];
        let mut row = |check,
                       planned: String,
                       measured: String,
                       difference: Option<f64>,
                       drift: bool,
                       change: Option<String>| {
            rows.push(Row {
                server: m.server.clone(),
                tier: Some(b.name.clone()),
                check,
                planned,
                measured,
                difference,
                drift,
                change,
            });
        };
        let tpath = |k: &str, v: String| Some(format!("barman[{}].{k}: {v}", b.name));
        let cpath = |k: &str, v: String| Some(format!("clusters[{}].{k}: {v}", c.name));
        if let Some(r) = m
            .retention_policy
            .as_deref()
            .and_then(|r| parse_retention(r).ok())
        {
            let d = r != b.retention;
            row(
                Check::Retention,
                b.retention.to_string(),
                r.to_string(),
                None,
                d,
                d.then(|| tpath("retention_policy", format!("\"{r}\"")))
                    .flatten(),
            );
            if d {
                real.barman_servers[ti].retention = r;
            }
        }
        let mc = m
            .compression
            .as_deref()
            .and_then(Compression::parse)
            .unwrap_or(Compression::None);
        let d = mc != b.compression;
        row(
            Check::Compression,
            b.compression.to_string(),
            mc.to_string(),
            None,
            d,
            d.then(|| tpath("compression", mc.to_string())).flatten(),
        );
        if let Some(r) = m.minimum_redundancy {
            let d = r != b.minimum_redundancy;
            row(
                Check::MinimumRedundancy,
                b.minimum_redundancy.to_string(),
                r.to_string(),
                None,
                d,
                d.then(|| tpath("minimum_redundancy", r.to_string()))
                    .flatten(),
            );
        }
        let planned_gap = b.schedule.mean_interval().as_secs();
        if let Some(gap) = m.backup_gap.filter(|_| m.schedule.is_some()) {
            let diff = gap / planned_gap - 1.0;
            let d = diff.abs() > tol.relative;
            let to = m
                .schedule
                .as_ref()
                .map(|v| format!("\"{}\"", v.value))
                .unwrap_or_default();
            row(
                Check::Schedule,
                b.schedule.to_string(),
                format!("a backup every {:.1} h", gap / 3600.0),
                Some(diff),
                d,
                d.then(|| tpath("schedule", to)).flatten(),
            );
        }
        if let Some(age) = m.newest_backup_age {
            let limit = b.schedule.max_interval().as_secs() * 1.25 + 3600.0;
            let d = age > limit;
            row(Check::BackupAge, format!("at most {:.1} h", limit / 3600.0), format!("{:.1} h", age / 3600.0), None, d, d.then(|| format!("backups are late: check `barman cron`, the backup job and `barman check {}`", m.server)));
        }
        let mut num = |check,
                       planned: f64,
                       got: f64,
                       show: &dyn Fn(f64) -> String,
                       change: Option<String>| {
            let diff = got / planned - 1.0;
            let d = planned > 0.0 && diff.abs() > tol.relative;
            row(
                check,
                show(planned),
                show(got),
                Some(diff),
                d,
                if d { change } else { None },
            );
        };
        if let Some(v) = &m.data_size {
            num(
                Check::DataSize,
                c.data_size.0 as f64,
                v.value as f64,
                &size,
                cpath("data_size", format!("\"{}\"", size(v.value as f64))),
            );
            real.clusters[ci].data_size.0 = v.value;
        }
        if let Some(v) = &m.wal_per_day {
            num(
                Check::WalPerDay,
                c.wal_per_day.0 as f64,
                v.value,
                &size,
                cpath("wal_per_day", format!("\"{}\"", size(v.value))),
            );
            real.clusters[ci].wal_per_day.0 = v.value as u64;
        }
        if let Some(v) = &m.compression_ratio {
            num(
                Check::CompressionRatio,
                b.compression_ratio,
                v.value,
                &|x| format!("{x:.2}"),
                tpath("compression_ratio", format!("{:.2}", v.value)),
            );
            real.barman_servers[ti].compression_ratio = v.value;
        }
        if let Some(g) = &m.growth {
            real.clusters[ci].growth_per_year = g.value;
        }
    }
    // The projection with the measured numbers, against the planned volumes.
    let planned = disk::project(s, DiskOptions::default());
    let actual = disk::project(&real, DiskOptions::default());
    for m in measured {
        let Some(b) = s
            .barman_servers
            .iter()
            .find(|b| b.name == m.server || s.clusters[b.cluster.0].name == m.server)
        else {
            continue;
        };
        let (Some(p), Some(a)) = (
            planned.tiers.iter().find(|t| t.tier == b.name),
            actual.tiers.iter().find(|t| t.tier == b.name),
        ) else {
            continue;
        };
        let used = m
            .used
            .map(|u| format!("{} used now, ", size(u as f64)))
            .unwrap_or_default();
        let (planned_txt, vol) = match b.volume {
            Some(v) => (
                format!("{} volume, peak {}", size(v.0 as f64), size(p.peak as f64)),
                Some(v.0 as f64),
            ),
            None => (format!("peak {}", size(p.peak as f64)), None),
        };
        let fills = a.volume_full_day.map(|d| match now {
            Some(t) => format!("fills on {} (day {d:.0})", date(t + d * 86_400.0)),
            None => format!("fills on day {d:.0}"),
        });
        let over_now = matches!((m.used, vol), (Some(u), Some(v)) if u as f64 > v);
        let measured_txt = format!(
            "{used}peak {} with the measured numbers{}",
            size(a.peak as f64),
            fills.as_ref().map(|f| format!("; {f}")).unwrap_or_default()
        );
        let d = fills.is_some() || over_now;
        rows.push(Row {
            server: m.server.clone(),
            tier: Some(b.name.clone()),
            check: Check::Volume,
            planned: planned_txt,
            measured: measured_txt,
            difference: Some(a.peak as f64 / p.peak.max(1) as f64 - 1.0),
            drift: d,
            change: d.then(|| {
                format!(
                    "barman[{}].volume: \"{}\" (peak + 30 % headroom)",
                    b.name,
                    size(a.recommended_volume as f64)
                )
            }),
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::date;

    #[test]
    fn dates_of_epoch_seconds() {
        assert_eq!(date(0.0), "1970-01-01");
        assert_eq!(date(951_782_400.0), "2000-02-29");
        assert_eq!(date(1_796_230_000.0), "2026-12-02");
    }
}

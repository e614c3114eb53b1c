//! The disk projection as a human table and as CSV.

use std::fmt::Write;

use crate::analysis::disk::DiskReport;
use crate::model::Bytes;

fn b(x: u64) -> String {
    Bytes(x).to_string()
}

fn rate(x: f64) -> String {
    format!("{}/s", Bytes(x.round() as u64))
}

/// Human-readable report.
pub fn render(r: &DiskReport) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Disk projection of `{}` over {:.0} days (headroom {:.0} %)\n",
        r.scenario,
        r.horizon_days,
        r.headroom * 100.0
    );
    let _ = writeln!(
        o,
        "{:<16} {:<8} {:>11} {:>11} {:>12} {:>11} {:>9} {:>10} {:>12}",
        "tier",
        "kind",
        "peak",
        "steady",
        "recommended",
        "volume",
        "backups",
        "WAL/day",
        "cost/month"
    );
    for t in &r.tiers {
        let kind = format!("{:?}", t.kind).to_lowercase();
        let _ = writeln!(
            o,
            "{:<16} {:<8} {:>11} {:>11} {:>12} {:>11} {:>9} {:>10} {:>8.0} {}",
            t.tier,
            kind,
            b(t.peak),
            b(t.steady),
            b(t.recommended_volume),
            t.volume.map_or("-".to_owned(), b),
            t.retained_backups,
            b(t.wal_per_day),
            t.monthly_cost,
            r.currency
        );
    }
    let _ = writeln!(o);
    for t in &r.tiers {
        match (t.volume, t.volume_full_day) {
            (Some(v), Some(d)) => {
                let _ = writeln!(
                    o,
                    "⚠ `{}`: the {} volume fills on day {:.0}; recommended {}",
                    t.tier,
                    b(v),
                    d,
                    b(t.recommended_volume)
                );
            }
            (Some(v), None) => {
                let _ = writeln!(
                    o,
                    "✓ `{}`: the {} volume holds the peak of {} (day {:.0})",
                    t.tier,
                    b(v),
                    b(t.peak),
                    t.peak_day
                );
            }
            _ => {}
        }
        if let Some(d) = t.days_to_full_if_backups_stop {
            let _ = writeln!(
                o,
                "  if backups stop, WAL is never removed: `{}` is full {:.1} days later",
                t.tier, d
            );
        }
    }
    for s in &r.slots {
        let _ = writeln!(
            o,
            "  if WAL stops reaching Barman, the slot fills pg_wal ({} free) of `{}` in {:.1} days; set max_slot_wal_keep_size = {}MB",
            b(s.pg_wal_free),
            s.cluster,
            s.days_until_pg_wal_full,
            s.recommended_max_slot_wal_keep_size >> 20
        );
    }
    let _ = writeln!(
        o,
        "\nBandwidth (flagged above {:.0} % utilisation or when a backup outlasts its interval):",
        crate::analysis::disk::bandwidth::MAX_UTILISATION * 100.0
    );
    for w in &r.bandwidth {
        let util = w
            .utilisation
            .map_or("LAN".to_owned(), |u| format!("{:.1} %", u * 100.0));
        let mark = if w.ok { "✓" } else { "⚠" };
        let _ = writeln!(
            o,
            "{mark} {:<36} {:<18} mean {:>12} of {:>12} ({util}); full backup {:.1} h every {:.0} h",
            w.flow,
            w.path,
            rate(w.average_load),
            w.capacity.map_or("-".to_owned(), rate),
            w.full_backup_hours,
            w.interval_hours
        );
    }
    let _ = writeln!(o, "\nRestore transfer of a full backup:");
    for p in &r.restores {
        let _ = writeln!(
            o,
            "  {:<28} → {:<10} {:>11} at {:>12}: {:.1} h",
            p.from,
            p.to,
            b(p.bytes),
            rate(p.throughput),
            p.hours
        );
    }
    o
}

/// One row per tier and day: `tier,kind,day,bytes`.
pub fn csv(r: &DiskReport) -> String {
    let mut o = String::from("tier,kind,day,used_bytes\n");
    for t in &r.tiers {
        let kind = format!("{:?}", t.kind).to_lowercase();
        for (d, u) in t.daily.iter().enumerate() {
            let _ = writeln!(o, "{},{kind},{d},{u}", t.tier);
        }
    }
    o
}

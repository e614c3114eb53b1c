//! Disk, bandwidth and time-to-fill projection of every backup tier, with
//! Barman's retention semantics ([`crate::analysis::retention`]) applied by a
//! storage simulation ([`engine`]) fed by the backup schedule ([`schedule`]).
//! The same engine serves the local Barman server, the passive node (its own
//! retention, the primary's compression, a copy of each backup) and the cloud
//! tier (its own retention, compressed uploads, priced by storage class).
//! [`replay`] applies the engine's rules to a measured backup sequence, to
//! calibrate the model against a real Barman.

pub mod bandwidth;
pub mod engine;
pub mod replay;
pub mod schedule;

use engine::{StoreRun, StoreSpec};

use crate::model::units::{DAY, YEAR};
use crate::model::{BackupMethod, RetentionPolicy, ReuseBackup, Scenario};

pub use bandwidth::{BandwidthRow, RestorePath};

/// Which kind of tier a projection is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TierKind {
    /// Local Barman server.
    Barman,
    /// Passive Barman node.
    Passive,
    /// barman-cloud bucket.
    Cloud,
}

/// The projection of one tier.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TierProjection {
    /// Tier name.
    pub tier: String,
    /// Kind of tier.
    pub kind: TierKind,
    /// Storage class (key into the price list).
    pub storage_class: String,
    /// Used bytes at the start of each day.
    pub daily: Vec<u64>,
    /// Highest usage (retained backups + the new one before cron deletes + WAL).
    pub peak: u64,
    /// Day of the peak.
    pub peak_day: f64,
    /// Mean usage over the last retention period of the horizon.
    pub steady: u64,
    /// Peak plus headroom.
    pub recommended_volume: u64,
    /// The configured volume, if any.
    pub volume: Option<u64>,
    /// First day the configured volume is full, if within the horizon.
    pub volume_full_day: Option<f64>,
    /// WAL stored per day (after compression).
    pub wal_per_day: u64,
    /// Backups retained at the end of the horizon.
    pub retained_backups: usize,
    /// Cost per month of the peak volume at the class's price.
    pub monthly_cost: f64,
    /// Days until the volume fills if backups stop from the steady state (WAL is then never removed).
    pub days_to_full_if_backups_stop: Option<f64>,
}

/// What happens on the PostgreSQL host when WAL stops reaching Barman.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SlotWhatIf {
    /// Cluster name.
    pub cluster: String,
    /// Free space for pg_wal.
    pub pg_wal_free: u64,
    /// Days until pg_wal is full when the replication slot retains everything.
    pub days_until_pg_wal_full: f64,
    /// `max_slot_wal_keep_size` to set: 80 % of the free space (the chain breaks instead of the primary).
    pub recommended_max_slot_wal_keep_size: u64,
}

/// The whole projection of a scenario.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DiskReport {
    /// Scenario name.
    pub scenario: String,
    /// Horizon in days.
    pub horizon_days: f64,
    /// Headroom used for recommendations (0.3 = 30 %).
    pub headroom: f64,
    /// Currency of the costs.
    pub currency: String,
    /// One projection per tier.
    pub tiers: Vec<TierProjection>,
    /// Slot what-ifs per cluster (when `pg_wal_free` is known).
    pub slots: Vec<SlotWhatIf>,
    /// Load per network path.
    pub bandwidth: Vec<BandwidthRow>,
    /// Time to bring a full backup back over each restore path.
    pub restores: Vec<RestorePath>,
}

impl DiskReport {
    /// True when a configured volume fills within the horizon.
    pub fn breached(&self) -> bool {
        self.tiers.iter().any(|t| t.volume_full_day.is_some())
            || self.bandwidth.iter().any(|b| !b.ok)
    }
}

/// Options of a projection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DiskOptions {
    /// Headroom above the peak for the recommended volume (0.3 = 30 %).
    pub headroom: f64,
    /// Horizon in seconds; `None` = max(2 × the longest retention period, 1 year).
    pub horizon: Option<f64>,
}

impl Default for DiskOptions {
    fn default() -> Self {
        Self {
            headroom: 0.3,
            horizon: None,
        }
    }
}

/// Seconds of history a retention policy keeps, given the mean backup interval.
fn retention_span(p: RetentionPolicy, interval: f64) -> f64 {
    match p {
        RetentionPolicy::Redundancy(n) => f64::from(n) * interval,
        RetentionPolicy::RecoveryWindow { .. } => {
            p.window().map_or(0.0, |w| w.as_secs()) + interval
        }
    }
}

/// WAL bytes archived per second for a cluster: generated WAL, but at least one
/// full segment per `archive_timeout` (forced switches archive whole segments).
pub fn wal_archived_per_sec(s: &Scenario, c: crate::model::ClusterId) -> f64 {
    let cl = &s.clusters[c.0];
    let generated = cl.wal_per_day.0 as f64 / DAY;
    let forced = cl
        .archive_timeout
        .map_or(0.0, |t| cl.wal_segment_size.0 as f64 / t.as_secs().max(1.0));
    generated.max(forced)
}

fn horizon(s: &Scenario, opt: DiskOptions) -> f64 {
    if let Some(h) = opt.horizon {
        return h;
    }
    let mut span: f64 = 0.0;
    for b in &s.barman_servers {
        span = span.max(retention_span(
            b.retention,
            b.schedule.mean_interval().as_secs(),
        ));
    }
    for p in &s.passive_nodes {
        let b = &s.barman_servers[p.primary.0];
        span = span.max(retention_span(
            p.retention,
            b.schedule.mean_interval().as_secs(),
        ));
    }
    for c in &s.cloud_tiers {
        let interval = c
            .schedule
            .as_ref()
            .or(c.via.barman().map(|b| &s.barman_servers[b.0].schedule))
            .map_or(DAY, |x| x.mean_interval().as_secs());
        span = span.max(retention_span(c.retention, interval));
    }
    (2.0 * span).max(YEAR)
}

struct Tier<'a> {
    name: &'a str,
    kind: TierKind,
    class: &'a str,
    volume: Option<u64>,
    spec: StoreSpec,
}

fn project_tier(s: &Scenario, t: Tier<'_>, run: &StoreRun, headroom: f64) -> TierProjection {
    let h = t.spec.horizon;
    let span = retention_span(t.spec.retention, DAY).min(h / 2.0);
    let last: Vec<u64> = run
        .daily
        .iter()
        .copied()
        .skip(((h - span) / DAY).floor() as usize)
        .collect();
    let steady = if last.is_empty() {
        0
    } else {
        (last.iter().map(|&x| x as f64).sum::<f64>() / last.len() as f64) as u64
    };
    let volume_full_day = t.volume.and_then(|v| {
        run.daily
            .iter()
            .position(|&u| u > v)
            .map(|d| d as f64)
            .or_else(|| (run.peak > v).then_some(run.peak_at / DAY))
    });
    let price = s
        .costs
        .storage_per_gib_month
        .get(t.class)
        .copied()
        .unwrap_or(0.0);
    let wal_per_day = t.spec.wal_per_sec * DAY;
    TierProjection {
        tier: t.name.to_owned(),
        kind: t.kind,
        storage_class: t.class.to_owned(),
        daily: run.daily.clone(),
        peak: run.peak,
        peak_day: run.peak_at / DAY,
        steady,
        recommended_volume: (run.peak as f64 * (1.0 + headroom)).ceil() as u64,
        volume: t.volume,
        volume_full_day,
        wal_per_day: wal_per_day as u64,
        retained_backups: run.retained_at_end,
        monthly_cost: run.peak as f64 / (1u64 << 30) as f64 * price,
        days_to_full_if_backups_stop: t
            .volume
            .filter(|_| wal_per_day > 0.0)
            .map(|v| (v as f64 - run.peak as f64).max(0.0) / wal_per_day),
    }
}

/// Project every tier of a scenario.
pub fn project(s: &Scenario, opt: DiskOptions) -> DiskReport {
    let h = horizon(s, opt);
    let mut tiers = Vec::new();
    let mut barman_runs: Vec<StoreRun> = Vec::new();
    for b in &s.barman_servers {
        let cl = &s.clusters[b.cluster.0];
        let spec = StoreSpec {
            backup_starts: schedule::start_times(&b.schedule, h),
            base_size: cl.data_size.0 as f64,
            growth_per_year: cl.growth_per_year,
            size_factor: 1.0,
            throughput: b.backup_throughput.bytes_per_sec(),
            retention: b.retention,
            minimum_redundancy: b.minimum_redundancy,
            wal_per_sec: wal_archived_per_sec(s, b.cluster) / b.compression_ratio,
            dedup: (b.backup_method == BackupMethod::Rsync && b.reuse_backup == ReuseBackup::Link)
                .then_some(b.changed_fraction),
            horizon: h,
        };
        let run = spec.run();
        tiers.push(project_tier(
            s,
            Tier {
                name: &b.name,
                kind: TierKind::Barman,
                class: &b.storage_class,
                volume: b.volume.map(|v| v.0),
                spec,
            },
            &run,
            opt.headroom,
        ));
        barman_runs.push(run);
    }
    for p in &s.passive_nodes {
        let b = &s.barman_servers[p.primary.0];
        let cl = &s.clusters[b.cluster.0];
        let link =
            bandwidth::best_link(s, s.site_of(b.host), s.site_of(p.host)).unwrap_or(f64::INFINITY);
        let spec = StoreSpec {
            // Each primary backup is copied at the first sync after it is DONE.
            backup_starts: barman_runs[p.primary.0]
                .backups
                .iter()
                .map(|x| x.end + p.sync_interval.as_secs())
                .collect(),
            base_size: cl.data_size.0 as f64,
            growth_per_year: cl.growth_per_year,
            size_factor: 1.0,
            throughput: link.min(b.restore_throughput.bytes_per_sec()),
            retention: p.retention,
            minimum_redundancy: p.minimum_redundancy,
            wal_per_sec: wal_archived_per_sec(s, b.cluster) / b.compression_ratio,
            dedup: None,
            horizon: h,
        };
        let run = spec.run();
        tiers.push(project_tier(
            s,
            Tier {
                name: &p.name,
                kind: TierKind::Passive,
                class: &p.storage_class,
                volume: p.volume.map(|v| v.0),
                spec,
            },
            &run,
            opt.headroom,
        ));
    }
    for c in &s.cloud_tiers {
        let cl = &s.clusters[c.cluster.0];
        let starts = match (&c.schedule, c.via.barman()) {
            (Some(sch), _) => schedule::start_times(sch, h),
            (None, Some(b)) => barman_runs[b.0].backups.iter().map(|x| x.end).collect(),
            (None, None) => Vec::new(),
        };
        let spec = StoreSpec {
            backup_starts: starts,
            base_size: cl.data_size.0 as f64,
            growth_per_year: cl.growth_per_year,
            size_factor: 1.0 / c.backup_compression.typical_ratio(),
            throughput: c.bandwidth.bytes_per_sec(),
            retention: c.retention,
            minimum_redundancy: 1,
            wal_per_sec: wal_archived_per_sec(s, c.cluster) / c.wal_compression.typical_ratio(),
            dedup: None,
            horizon: h,
        };
        let run = spec.run();
        tiers.push(project_tier(
            s,
            Tier {
                name: &c.name,
                kind: TierKind::Cloud,
                class: &c.storage_class,
                volume: None,
                spec,
            },
            &run,
            opt.headroom,
        ));
    }
    let slots = s
        .clusters
        .iter()
        .filter_map(|cl| {
            let free = cl.pg_wal_free?.0;
            let per_day = cl.wal_per_day.0 as f64;
            Some(SlotWhatIf {
                cluster: cl.name.clone(),
                pg_wal_free: free,
                days_until_pg_wal_full: if per_day > 0.0 {
                    free as f64 / per_day
                } else {
                    f64::INFINITY
                },
                recommended_max_slot_wal_keep_size: (free as f64 * 0.8) as u64,
            })
        })
        .collect();
    DiskReport {
        scenario: s.name.clone(),
        horizon_days: h / DAY,
        headroom: opt.headroom,
        currency: s.costs.currency.clone(),
        tiers,
        slots,
        bandwidth: bandwidth::rows(s),
        restores: bandwidth::restore_paths(s),
    }
}

//! Network load of every flow (WAL and backups to Barman, passive sync, cloud
//! upload) against the capacity of its path, and the time to bring a full
//! backup back over each restore path (an input of the RTO).

use super::wal_archived_per_sec;
use crate::model::{HostId, Scenario, SiteId, TierRef};

/// Utilisation above which a path is flagged: sustained load needs margin for bursts and catch-up.
pub const MAX_UTILISATION: f64 = 0.7;

/// One flow over one path.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BandwidthRow {
    /// What flows.
    pub flow: String,
    /// Over what: "LAN", `link <name>` or "internet".
    pub path: String,
    /// Mean load in bytes per second.
    pub average_load: f64,
    /// Capacity of the path in bytes per second (`None` on the LAN).
    pub capacity: Option<f64>,
    /// Mean load / capacity.
    pub utilisation: Option<f64>,
    /// Hours to move one full backup over the path.
    pub full_backup_hours: f64,
    /// Hours between two backups on this flow.
    pub interval_hours: f64,
    /// Load within margin and a backup moves before the next one starts.
    pub ok: bool,
}

/// Time to bring a full backup back for a restore.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RestorePath {
    /// The tier restored from (the key other analyses join on).
    #[serde(skip)]
    pub tier: TierRef,
    /// The tier restored from, for people.
    pub from: String,
    /// The host restored onto.
    pub to: String,
    /// Bytes moved (compressed size for the cloud).
    pub bytes: u64,
    /// Effective throughput in bytes per second.
    pub throughput: f64,
    /// Hours of transfer.
    pub hours: f64,
}

/// Bandwidth of the fastest link between two sites; `None` within one site.
pub fn best_link(s: &Scenario, a: SiteId, b: SiteId) -> Option<f64> {
    if a == b {
        return None;
    }
    Some(
        s.links_between(a, b)
            .map(|l| s.links[l.0].bandwidth.bytes_per_sec())
            .fold(0.0, f64::max),
    )
}

fn path_name(s: &Scenario, a: SiteId, b: SiteId) -> String {
    if a == b {
        return "LAN".to_owned();
    }
    match s.fastest_link(a, b) {
        Some(l) => format!("link {}", s.links[l.0].name),
        None => "no link".to_owned(),
    }
}

fn row(
    flow: String,
    path: String,
    load: f64,
    capacity: Option<f64>,
    backup_bytes: f64,
    interval: f64,
    own_speed: f64,
) -> BandwidthRow {
    let speed = capacity.map_or(own_speed, |c| c.min(own_speed));
    let full_backup_hours = if speed > 0.0 {
        backup_bytes / speed / 3600.0
    } else {
        f64::INFINITY
    };
    let utilisation = capacity.map(|c| if c > 0.0 { load / c } else { f64::INFINITY });
    BandwidthRow {
        ok: utilisation.is_none_or(|u| u <= MAX_UTILISATION)
            && full_backup_hours * 3600.0 <= interval,
        flow,
        path,
        average_load: load,
        capacity,
        utilisation,
        full_backup_hours,
        interval_hours: interval / 3600.0,
    }
}

/// Every flow of the scenario.
pub fn rows(s: &Scenario) -> Vec<BandwidthRow> {
    let mut out = Vec::new();
    for (bi, b) in s.barman_servers.iter().enumerate() {
        let cl = &s.clusters[b.cluster.0];
        let (pg, bk) = (s.site_of(cl.primary), s.site_of(b.host));
        let size = cl.data_size.0 as f64;
        let interval = b.schedule.mean_interval().as_secs();
        let wal = wal_archived_per_sec(s, b.cluster);
        out.push(row(
            format!("WAL + backups → Barman `{}`", b.name),
            path_name(s, pg, bk),
            wal + size / interval,
            best_link(s, pg, bk),
            size,
            interval,
            b.backup_throughput.bytes_per_sec(),
        ));
        for p in s.passives_of(crate::model::BarmanId(bi)) {
            let pn = &s.passive_nodes[p.0];
            let ps = s.site_of(pn.host);
            let load = wal / b.compression_ratio + size / interval;
            out.push(row(
                format!("passive sync → `{}`", pn.name),
                path_name(s, bk, ps),
                load,
                best_link(s, bk, ps),
                size,
                interval,
                pn.restore_throughput.bytes_per_sec(),
            ));
        }
    }
    for c in &s.cloud_tiers {
        let cl = &s.clusters[c.cluster.0];
        let interval = c
            .schedule
            .as_ref()
            .or(c.via.barman().map(|b| &s.barman_servers[b.0].schedule))
            .map_or(86_400.0, |x| x.mean_interval().as_secs());
        let size = cl.data_size.0 as f64 / c.backup_compression.typical_ratio();
        let load = wal_archived_per_sec(s, c.cluster) / c.wal_compression.typical_ratio()
            + size / interval;
        let bw = c.bandwidth.bytes_per_sec();
        out.push(row(
            format!("upload → bucket `{}`", c.name),
            "internet".to_owned(),
            load,
            Some(bw),
            size,
            interval,
            bw,
        ));
    }
    out
}

/// Where restores land: the drill host if there is one, else the primary.
fn restore_target(s: &Scenario) -> Option<HostId> {
    s.drills
        .as_ref()
        .map(|d| d.host)
        .or_else(|| s.clusters.first().map(|c| c.primary))
}

/// Time to move a full backup from each tier to the restore host.
pub fn restore_paths(s: &Scenario) -> Vec<RestorePath> {
    restore_target(s).map_or_else(Vec::new, |t| restore_paths_to(s, t))
}

/// Time to move a full backup from each tier to host `target`: the tier's
/// own restore throughput, capped by the best link between the two sites.
pub fn restore_paths_to(s: &Scenario, target: HostId) -> Vec<RestorePath> {
    let ts = s.site_of(target);
    let to = s.hosts[target.0].name.clone();
    let mut out = Vec::new();
    let mut push = |tier: TierRef, from: String, bytes: f64, own: f64, site: Option<SiteId>| {
        let link = site
            .and_then(|x| best_link(s, x, ts))
            .unwrap_or(f64::INFINITY);
        let throughput = own.min(link);
        out.push(RestorePath {
            tier,
            from,
            to: to.clone(),
            bytes: bytes as u64,
            throughput,
            hours: bytes / throughput / 3600.0,
        });
    };
    for t in s.tiers() {
        let size = s.clusters[s.tier_cluster(t).0].data_size.0 as f64;
        let site = s.tier_host(t).map(|h| s.site_of(h));
        match t {
            TierRef::Barman(b) => {
                let b = &s.barman_servers[b.0];
                let own = b.restore_throughput.bytes_per_sec();
                push(t, format!("Barman `{}`", b.name), size, own, site);
            }
            TierRef::Passive(p) => {
                let p = &s.passive_nodes[p.0];
                let own = p.restore_throughput.bytes_per_sec();
                push(t, format!("passive `{}`", p.name), size, own, site);
            }
            TierRef::Cloud(c) => {
                let c = &s.cloud_tiers[c.0];
                let size = size / c.backup_compression.typical_ratio();
                push(
                    t,
                    format!("bucket `{}`", c.name),
                    size,
                    c.bandwidth.bytes_per_sec(),
                    site,
                );
            }
        }
    }
    out
}

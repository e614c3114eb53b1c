//! Fill a [`ReportContext`] with what the model alone knows: the layout, the
//! tiers as configured, the targets, the costs the scenario states, the
//! failure rates and their sources. Analysis sections stay `None`.

use std::collections::BTreeMap;

use super::context::{
    BucketBox, FailureAssumption, Flow, HostBox, ReportContext, SimulationSettings, SiteBox,
    TargetRow, TierRow, TopologyView,
};
use super::sources::SourceNotes;
use crate::model::{
    CloudVia, Distribution, FailureMode, Failures, ReplicationMode, Scenario, TargetKind,
};

/// Build the model part of a report. `source_text` is the scenario file's
/// text, used only to quote the comments that justify failure rates.
pub fn from_scenario(s: &Scenario, source_text: Option<&str>) -> ReportContext {
    let notes = source_text.map(SourceNotes::scan).unwrap_or_default();
    ReportContext {
        name: s.name.clone(),
        description: s.description.as_ref().map(|d| d.trim().to_string()),
        source: s
            .source
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        barman_version: format!("{}.{}", s.barman_version.0, s.barman_version.1),
        currency: s.costs.currency.clone(),
        recommendation: None,
        targets: targets(s),
        topology: topology(s),
        tiers: tiers(s),
        spof: None,
        montecarlo: None,
        disk: None,
        bandwidth: None,
        costs: Vec::new(),
        cost_benefit: None,
        tornado: None,
        assumptions: assumptions(s, &notes),
        simulation: SimulationSettings {
            trials: s.simulation.trials,
            seed: s.simulation.seed,
            horizon: s.simulation.horizon.to_string(),
        },
    }
}

fn targets(s: &Scenario) -> Vec<TargetRow> {
    let t = &s.targets;
    let mut rows = Vec::new();
    let mut push = |kind: TargetKind, metric: &str, target: String| {
        rows.push(TargetRow {
            kind,
            metric: metric.to_string(),
            target,
            achieved: None,
        })
    };
    if let Some(v) = t.rpo {
        push(
            TargetKind::Rpo,
            "RPO (data lost per incident)",
            format!("≤ {v}"),
        );
    }
    if let Some(v) = t.rto {
        push(
            TargetKind::Rto,
            "RTO (downtime per incident)",
            format!("≤ {v}"),
        );
    }
    if let Some(v) = t.availability {
        push(
            TargetKind::Availability,
            "Availability",
            format!("≥ {}", percent(v.value())),
        );
    }
    if let Some(v) = t.data_loss_probability {
        push(
            TargetKind::DataLossProbability,
            "P(any data loss) per year",
            format!("≤ {}", percent(v.value())),
        );
    }
    rows
}

/// A probability as a percentage with no more digits than it needs.
pub(crate) fn percent(p: f64) -> String {
    let v = p * 100.0;
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s} %")
}

fn topology(s: &Scenario) -> TopologyView {
    let mut services: Vec<Vec<String>> = vec![Vec::new(); s.hosts.len()];
    let mut flows = Vec::new();
    for c in &s.clusters {
        services[c.primary.0].push(format!("PostgreSQL {} ({})", c.version_string(), c.name));
        for st in &c.standbys {
            services[st.host.0].push(format!("standby of {}", c.name));
            let mode = match st.mode {
                ReplicationMode::Sync => "sync replication",
                ReplicationMode::Async => "async replication",
            };
            flows.push(flow(
                &s.hosts[c.primary.0].name,
                &s.hosts[st.host.0].name,
                mode,
            ));
        }
    }
    for b in &s.barman_servers {
        services[b.host.0].push(format!("Barman {}", b.name));
        let primary = s.clusters[b.cluster.0].primary;
        flows.push(flow(
            &s.hosts[primary.0].name,
            &s.hosts[b.host.0].name,
            "WAL + base backups",
        ));
    }
    for p in &s.passive_nodes {
        services[p.host.0].push(format!("Barman passive {}", p.name));
        let from = s.barman_servers[p.primary.0].host;
        flows.push(flow(
            &s.hosts[from.0].name,
            &s.hosts[p.host.0].name,
            "passive sync",
        ));
    }
    let mut buckets = Vec::new();
    for c in &s.cloud_tiers {
        let prefix = c
            .prefix
            .as_deref()
            .map(|p| format!("/{p}"))
            .unwrap_or_default();
        buckets.push(BucketBox {
            name: c.name.clone(),
            url: format!("{}://{}{prefix}", c.provider.scheme(), c.bucket),
            region: s.regions[c.region.0].name.clone(),
        });
        let from = match c.via {
            CloudVia::Hooks(b) | CloudVia::Native(b) => s.barman_servers[b.0].host,
            CloudVia::ArchiveCommand => s.clusters[c.cluster.0].primary,
        };
        flows.push(flow(&s.hosts[from.0].name, &c.name, "cloud upload"));
    }
    let sites = s
        .sites
        .iter()
        .enumerate()
        .map(|(i, site)| SiteBox {
            name: site.name.clone(),
            metro: s.metros[site.metro.0].name.clone(),
            region: s.regions[s.metros[site.metro.0].region.0].name.clone(),
            hosts: s
                .hosts
                .iter()
                .enumerate()
                .filter(|(_, h)| h.site.0 == i)
                .map(|(hi, h)| HostBox {
                    name: h.name.clone(),
                    role: h.role.as_str().to_string(),
                    rack: h.rack.map(|r| s.rack(r).name.clone()),
                    services: services[hi].clone(),
                })
                .collect(),
        })
        .collect();
    TopologyView {
        sites,
        buckets,
        flows,
        spofs: Vec::new(),
    }
}

fn flow(from: &str, to: &str, label: &str) -> Flow {
    Flow {
        from: from.to_string(),
        to: to.to_string(),
        label: label.to_string(),
    }
}

fn tiers(s: &Scenario) -> Vec<TierRow> {
    let mut rows = Vec::new();
    for b in &s.barman_servers {
        rows.push(TierRow {
            name: b.name.clone(),
            kind: "local Barman".into(),
            location: s.hosts[b.host.0].name.clone(),
            retention: b.retention.to_string(),
            schedule: b.schedule.to_string(),
            compression: b.compression.to_string(),
            volume: b.volume.map(|v| v.to_string()),
            storage_class: b.storage_class.clone(),
        });
    }
    for p in &s.passive_nodes {
        let primary = &s.barman_servers[p.primary.0];
        rows.push(TierRow {
            name: p.name.clone(),
            kind: "passive node".into(),
            location: s.hosts[p.host.0].name.clone(),
            retention: p.retention.to_string(),
            schedule: format!("sync every {}", p.sync_interval),
            compression: primary.compression.to_string(),
            volume: p.volume.map(|v| v.to_string()),
            storage_class: p.storage_class.clone(),
        });
    }
    for c in &s.cloud_tiers {
        rows.push(TierRow {
            name: c.name.clone(),
            kind: "cloud".into(),
            location: format!("{}://{}", c.provider.scheme(), c.bucket),
            retention: c.retention.to_string(),
            schedule: c
                .schedule
                .as_ref()
                .map_or_else(|| "every Barman backup".to_string(), ToString::to_string),
            compression: c.backup_compression.flag().unwrap_or("none").to_string(),
            volume: None,
            storage_class: c.storage_class.clone(),
        });
    }
    rows
}

/// An amount with thousands separators and no decimals.
pub fn money(v: f64) -> String {
    let neg = v < 0.0;
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    if neg { format!("−{out}") } else { out }
}

/// Group identical failure modes by component class.
fn assumptions(s: &Scenario, notes: &SourceNotes) -> Vec<FailureAssumption> {
    let mut groups: BTreeMap<GroupKey, Vec<String>> = BTreeMap::new();
    let mut add = |order: usize, class: &str, name: &str, f: &Failures| {
        for (mode, m) in [("outage", f.outage), ("destruction", f.destruction)] {
            if let Some(m) = m {
                groups
                    .entry(key(order, class, mode, &m))
                    .or_default()
                    .push(name.to_string());
            }
        }
    };
    for r in &s.regions {
        add(0, "region", &r.name, &r.failures);
    }
    for m in &s.metros {
        add(1, "metro", &m.name, &m.failures);
    }
    for site in &s.sites {
        add(2, "site", &site.name, &site.failures);
    }
    for site in &s.sites {
        for r in &site.racks {
            add(3, "rack", &r.name, &r.failures);
        }
    }
    for h in &s.hosts {
        add(4, "host", &h.name, &h.failures);
    }
    for l in &s.links {
        add(6, "link", &l.name, &l.failures);
    }
    for c in &s.cloud_tiers {
        add(7, "cloud", &c.name, &c.failures);
    }
    for h in &s.hosts {
        if let Some(m) = h.disks.as_ref().and_then(|d| d.failure) {
            groups
                .entry(key(5, "disk", "failure", &m))
                .or_default()
                .push(h.name.clone());
        }
    }
    for c in &s.clusters {
        if let Some(m) = c.logical_corruption {
            groups
                .entry(key(8, "cluster", "corruption", &m))
                .or_default()
                .push(c.name.clone());
        }
    }
    groups
        .into_iter()
        .map(|((_, class, mode, rate, repair, dist), components)| {
            let source = match (class.as_str(), mode.as_str()) {
                ("disk", _) => notes.under(&["defaults", "disk"]),
                ("cluster", _) => notes.under(&["clusters", "logical_corruption"]),
                (c, m) => notes.under(&["defaults", c, m]),
            };
            FailureAssumption {
                class: if class == "disk" {
                    "disk (per drive)".into()
                } else {
                    class
                },
                components,
                mode,
                rate_per_year: f64::from_bits(rate),
                repair: crate::model::Duration::from_secs(f64::from_bits(repair)).to_string(),
                distribution: dist,
                source,
            }
        })
        .collect()
}

/// (class order, class, mode, rate bits, repair bits, distributions): the
/// components sharing one key share one assumption row.
type GroupKey = (usize, String, String, u64, u64, String);

fn key(order: usize, class: &str, mode: &str, m: &FailureMode) -> GroupKey {
    (
        order,
        class.to_string(),
        mode.to_string(),
        m.rate.events_per_year().to_bits(),
        m.repair.as_secs().to_bits(),
        format!(
            "lifetime {}, repair {}",
            distribution(m.lifetime),
            distribution(m.repair_distribution)
        ),
    )
}

fn distribution(d: Distribution) -> String {
    match d {
        Distribution::Exponential => "exponential".into(),
        Distribution::Weibull { shape } => format!("Weibull k={shape}"),
        Distribution::LogNormal { sigma } => format!("log-normal σ={sigma}"),
        Distribution::Fixed => "fixed".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_groups_thousands() {
        assert_eq!(money(0.0), "0");
        assert_eq!(money(999.4), "999");
        assert_eq!(money(1234567.0), "1\u{202f}234\u{202f}567");
        assert_eq!(money(-1000.0), "−1\u{202f}000");
    }

    proptest::proptest! {
        #[test]
        fn money_keeps_the_rounded_digits(v in -1e12f64..1e12) {
            let shown = money(v).replace(['\u{202f}', '−'], "");
            proptest::prop_assert_eq!(shown, format!("{:.0}", v.abs()));
        }
    }

    #[test]
    fn percent_trims_zeros() {
        assert_eq!(percent(0.9995), "99.95 %");
        assert_eq!(percent(0.001), "0.1 %");
        assert_eq!(percent(1.0), "100 %");
    }
}

//! Regions, metros, sites, racks, hosts and links: names, containment and
//! failure modes.

use super::super::ids::{MetroId, RackId, RegionId, SiteId};
use super::super::infra::{DiskKind, Disks, Host, HostRole, Link, Metro, Rack, Raid, Region, Site};
use super::super::raw::{RawDefaults, RawDisks, RawScenario, Text};
use super::super::units::{Duration, parse_byte_rate, parse_bytes, parse_duration};
use super::ctx::{Ctx, Names};
use super::failures::{failure_mode, failures};

/// The physical layout and the name tables later sections resolve against.
pub(crate) struct Infra {
    pub regions: Vec<Region>,
    pub metros: Vec<Metro>,
    pub sites: Vec<Site>,
    pub hosts: Vec<Host>,
    pub links: Vec<Link>,
    pub region_names: Names,
    pub host_names: Names,
}

pub(crate) fn infra(ctx: &mut Ctx, raw: &RawScenario) -> Infra {
    let d = &raw.defaults;
    let mut region_names = Names::new("region");
    let regions: Vec<Region> = raw
        .regions
        .iter()
        .map(|r| {
            let name = ctx.declare(&r.name, "region");
            region_names.insert(&name);
            Region {
                name,
                failures: failures(ctx, &r.outage, &r.destruction, &d.region),
            }
        })
        .collect();
    let mut metro_names = Names::new("metro");
    let metros: Vec<Metro> = raw
        .metros
        .iter()
        .map(|m| {
            let name = ctx.declare(&m.name, "metro");
            metro_names.insert(&name);
            let region = ctx.resolve(&region_names, &m.region, &format!("metro `{name}`"));
            Metro {
                name,
                region: RegionId(region.unwrap_or(0)),
                failures: failures(ctx, &m.outage, &m.destruction, &d.metro),
            }
        })
        .collect();
    let mut site_names = Names::new("site");
    let mut rack_names: Vec<Names> = Vec::new();
    let sites: Vec<Site> = raw
        .sites
        .iter()
        .map(|s| {
            let name = ctx.declare(&s.name, "site");
            site_names.insert(&name);
            let metro = ctx.resolve(&metro_names, &s.metro, &format!("site `{name}`"));
            let mut racks_here = Names::new("rack");
            let racks = s
                .racks
                .iter()
                .map(|r| {
                    let rname = ctx.declare(&r.name, "rack");
                    racks_here.insert(&rname);
                    Rack {
                        name: rname,
                        failures: failures(ctx, &r.outage, &r.destruction, &d.rack),
                    }
                })
                .collect();
            rack_names.push(racks_here);
            Site {
                name,
                metro: MetroId(metro.unwrap_or(0)),
                racks,
                failures: failures(ctx, &s.outage, &s.destruction, &d.site),
            }
        })
        .collect();
    let mut host_names = Names::new("host");
    let hosts = raw
        .hosts
        .iter()
        .map(|h| {
            let name = ctx.declare(&h.name, "host");
            host_names.insert(&name);
            let from = format!("host `{name}`");
            let site = ctx.resolve(&site_names, &h.site, &from).unwrap_or(0);
            let rack = h.rack.as_ref().and_then(|r| {
                let idx = rack_names.get(site).and_then(|names| {
                    ctx.resolve(names, r, &format!("{from} (in site `{}`)", h.site.as_str()))
                });
                idx.map(|index| RackId {
                    site: SiteId(site),
                    index,
                })
            });
            let role = parse_role(ctx, &h.role).unwrap_or_else(|| {
                ctx.unknown_role.insert(host_names_len(&host_names));
                HostRole::Recovery
            });
            let address = h.address.as_ref().map_or_else(
                || name.clone(),
                |a| {
                    ctx.no_secret(a, "address");
                    super::safety::address(ctx, a);
                    a.value.clone()
                },
            );
            let cost = h
                .cost_per_month
                .as_ref()
                .map_or(0.0, |c| non_negative(ctx, c, "cost_per_month"));
            Host {
                address,
                site: SiteId(site),
                rack,
                role,
                failures: failures(ctx, &h.outage, &h.destruction, &d.host),
                disks: h.disks.as_ref().map(|raw| disks(ctx, raw, d)),
                cost_per_month: cost,
                name,
            }
        })
        .collect();
    let links = raw
        .links
        .iter()
        .map(|l| {
            let name = ctx.declare(&l.name, "link");
            let from = format!("link `{name}`");
            let ends: Vec<Option<usize>> = l
                .between
                .value
                .iter()
                .map(|e| ctx.resolve(&site_names, e, &from))
                .collect();
            let (a, b) = match ends.as_slice() {
                [a, b] => (a.unwrap_or(0), b.unwrap_or(0)),
                _ => {
                    ctx.err_label(
                        &l.between,
                        format!("{from} must join exactly two sites, not {}", ends.len()),
                        "two sites expected",
                        "write `between: [dc-a, dc-b]`",
                    );
                    (0, 0)
                }
            };
            if ends.len() == 2 && a == b && ends.iter().all(Option::is_some) {
                ctx.err_label(
                    &l.between,
                    format!("{from} joins a site to itself"),
                    "same site twice",
                    "a link joins two different sites; inside a site the LAN is assumed",
                );
            }
            Link {
                a: SiteId(a),
                b: SiteId(b),
                bandwidth: ctx
                    .parse(&l.bandwidth, "bandwidth", parse_byte_rate)
                    .unwrap_or_default(),
                latency: ctx.parse_or(
                    &l.latency,
                    "latency",
                    parse_duration,
                    Duration::from_secs(0.001),
                ),
                failures: failures(ctx, &l.outage, &None, &d.link),
                cost_per_month: l
                    .cost_per_month
                    .as_ref()
                    .map_or(0.0, |c| non_negative(ctx, c, "cost_per_month")),
                name,
            }
        })
        .collect();
    Infra {
        regions,
        metros,
        sites,
        hosts,
        links,
        region_names,
        host_names,
    }
}

pub(crate) fn non_negative(ctx: &mut Ctx, v: &super::super::raw::Sp<f64>, what: &str) -> f64 {
    if v.value.is_finite() && v.value >= 0.0 {
        v.value
    } else {
        ctx.err(
            v,
            format!("`{what}` must be zero or more"),
            "costs and ratios are non-negative numbers",
        );
        0.0
    }
}

fn host_names_len(n: &Names) -> usize {
    n.len() - 1
}

fn parse_role(ctx: &mut Ctx, t: &Text) -> Option<HostRole> {
    const ROLES: [(HostRole, &str); 6] = [
        (HostRole::Primary, "primary"),
        (HostRole::Standby, "standby"),
        (HostRole::Barman, "barman"),
        (HostRole::BarmanPassive, "barman-passive"),
        (HostRole::Recovery, "recovery"),
        (HostRole::Dcs, "dcs"),
    ];
    match ROLES.iter().find(|(_, n)| *n == t.as_str()) {
        Some((r, _)) => Some(*r),
        None => {
            ctx.err_label(
                t,
                format!("unknown host role `{}`", t.as_str()),
                "unknown role",
                "roles are primary, standby, barman, barman-passive, recovery, dcs",
            );
            None
        }
    }
}

fn disks(ctx: &mut Ctx, raw: &RawDisks, d: &RawDefaults) -> Disks {
    let kind = match raw.kind.as_ref().map(Text::as_str) {
        None | Some("ssd") => DiskKind::Ssd,
        Some("hdd") => DiskKind::Hdd,
        Some("cloud-volume") => DiskKind::CloudVolume,
        Some(other) => {
            let t = raw
                .kind
                .as_ref()
                .map_or_else(|| Text::bare(String::new()), Clone::clone);
            ctx.err(
                &t,
                format!("unknown disk kind `{other}`"),
                "disk kinds are hdd, ssd, cloud-volume",
            );
            DiskKind::Ssd
        }
    };
    let raid = match raw.raid.as_ref().map(Text::as_str) {
        None | Some("none") => Raid::None,
        Some("raid1") => Raid::Raid1,
        Some("raid5") => Raid::Raid5,
        Some("raid6") => Raid::Raid6,
        Some("raid10") => Raid::Raid10,
        Some(other) => {
            let t = raw
                .raid
                .as_ref()
                .map_or_else(|| Text::bare(String::new()), Clone::clone);
            ctx.err(
                &t,
                format!("unknown RAID level `{other}`"),
                "RAID levels are none, raid1, raid5, raid6, raid10",
            );
            Raid::None
        }
    };
    let count = raw.count.value;
    let min = match raid {
        Raid::None => 1,
        Raid::Raid1 => 2,
        Raid::Raid5 => 3,
        Raid::Raid6 | Raid::Raid10 => 4,
    };
    if count < min {
        ctx.err(
            &raw.count,
            format!("{count} disk(s) are too few for this RAID level"),
            format!("use at least {min} disks"),
        );
    }
    let failure = raw
        .failure
        .clone()
        .or_else(|| d.disk.clone())
        .and_then(|m| failure_mode(ctx, &m, "disk failure"));
    Disks {
        count,
        size: ctx
            .parse(&raw.size, "size", parse_bytes)
            .unwrap_or_default(),
        kind,
        raid,
        failure,
    }
}

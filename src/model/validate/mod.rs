//! Validation: turn a [`RawScenario`] into a typed [`Scenario`], resolving
//! every reference and collecting every problem (not only the first).

mod cluster;
mod ctx;
mod failures;
mod ha;
mod infra;
mod safety;
mod sanity;
mod tiers;
mod top;

use std::path::Path;

use super::diagnostics::Problem;
use super::raw::RawScenario;
use super::{BarmanServer, CloudTier, Cluster, PassiveNode, Scenario};
use ctx::{Ctx, Names};
use tiers::TierInputs;

pub use safety::is_hostname;
pub(crate) use safety::scan_secrets;

/// Validate a parsed scenario. `path` is recorded as its source.
pub fn validate(raw: RawScenario, path: &Path) -> Result<Scenario, Vec<Problem>> {
    let mut ctx = Ctx::default();
    let name = ctx.declare(&raw.name, "scenario");
    let barman_version = match &raw.barman_version {
        None => (3, 19),
        Some(t) => {
            let v = cluster::parse_barman_version(&t.value.0);
            v.unwrap_or_else(|| {
                ctx.err(
                    t,
                    format!("`{}` is not a Barman version", t.value.0),
                    "write e.g. \"3.19\" (quoted, so YAML keeps it a string)",
                );
                (3, 19)
            })
        }
    };
    let infra = infra::infra(&mut ctx, &raw);
    let mut cluster_names = Names::new("cluster");
    let clusters: Vec<_> = raw
        .clusters
        .iter()
        .map(|c| {
            let c = cluster::cluster(&mut ctx, c, &infra.hosts, &infra.host_names);
            cluster_names.insert(&c.name);
            c
        })
        .collect();
    let inputs = TierInputs {
        raw: &raw,
        hosts: &infra.hosts,
        links: &infra.links,
        clusters: &clusters,
        host_names: &infra.host_names,
        cluster_names: &cluster_names,
        region_names: &infra.region_names,
        barman_version,
    };
    let mut barman_names = Names::new("Barman server");
    let barman_servers: Vec<_> = raw
        .barman
        .iter()
        .map(|b| {
            let b = tiers::barman(&mut ctx, &inputs, b, &raw.clusters);
            barman_names.insert(&b.name);
            b
        })
        .collect();
    let passive_nodes: Vec<_> = raw
        .passive
        .iter()
        .map(|p| tiers::passive(&mut ctx, &inputs, p, &barman_servers, &barman_names))
        .collect();
    let cloud_tiers: Vec<_> = raw
        .cloud
        .iter()
        .map(|c| tiers::cloud(&mut ctx, &inputs, c, &barman_servers, &barman_names))
        .collect();
    copies_within_limits(
        &mut ctx,
        &raw,
        &clusters,
        &barman_servers,
        &passive_nodes,
        &cloud_tiers,
    );
    let costs = top::costs(&mut ctx, &raw.costs);
    let targets = top::targets(&mut ctx, &raw.targets);
    let simulation = top::simulation(&mut ctx, &raw.simulation);
    let drills = raw.drills.as_ref().map(|d| {
        top::drills(
            &mut ctx,
            d,
            &infra.hosts,
            &infra.host_names,
            &top::DrillTiers {
                passive: &passive_nodes,
                cloud: &cloud_tiers,
            },
        )
    });
    sanity::check(
        &mut ctx,
        &raw,
        &sanity::Typed {
            hosts: &infra.hosts,
            links: &infra.links,
            clusters: &clusters,
            barman: &barman_servers,
            passive: &passive_nodes,
            cloud: &cloud_tiers,
            drills: drills.as_ref(),
        },
    );
    if raw.clusters.is_empty() {
        ctx.err(
            &raw.name,
            "the scenario declares no PostgreSQL cluster",
            "add a `clusters:` entry: drplan plans the protection of PostgreSQL clusters",
        );
    }
    if !ctx.problems.is_empty() {
        ctx.problems
            .sort_by_key(|p| p.span.map_or(usize::MAX, |s| s.offset()));
        return Err(ctx.problems);
    }
    Ok(Scenario {
        name,
        description: raw.description.clone(),
        source: path.to_owned(),
        barman_version,
        regions: infra.regions,
        metros: infra.metros,
        sites: infra.sites,
        hosts: infra.hosts,
        links: infra.links,
        clusters,
        barman_servers,
        passive_nodes,
        cloud_tiers,
        costs,
        targets,
        simulation,
        drills,
    })
}

/// Most copies of one cluster the simulation tracks (PostgreSQL nodes, and
/// backup tiers): it keeps each set in a 64-bit mask.
pub const MAX_COPIES: usize = 64;

fn copies_within_limits(
    ctx: &mut Ctx,
    raw: &RawScenario,
    clusters: &[Cluster],
    barman: &[BarmanServer],
    passive: &[PassiveNode],
    cloud: &[CloudTier],
) {
    for (i, (c, rc)) in clusters.iter().zip(&raw.clusters).enumerate() {
        let nodes = 1 + c.standbys.len();
        let tiers = barman.iter().filter(|b| b.cluster.0 == i).count()
            + passive
                .iter()
                .filter(|p| barman.get(p.primary.0).is_some_and(|b| b.cluster.0 == i))
                .count()
            + cloud.iter().filter(|k| k.cluster.0 == i).count();
        if nodes > MAX_COPIES {
            ctx.err(
                &rc.name,
                format!("cluster `{}` has {nodes} PostgreSQL nodes; drplan handles at most {MAX_COPIES}", c.name),
                "split the layout into several scenarios",
            );
        }
        if tiers > MAX_COPIES {
            ctx.err(
                &rc.name,
                format!(
                    "cluster `{}` has {tiers} backup tiers; drplan handles at most {MAX_COPIES}",
                    c.name
                ),
                "split the layout into several scenarios",
            );
        }
    }
}

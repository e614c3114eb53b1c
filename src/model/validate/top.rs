//! Costs, targets, simulation settings and restore drills.

use super::super::catalogue::TierRef;
use super::super::economics::{Costs, Drills, Simulation, Targets, TierDrill};
use super::super::ids::HostId;
use super::super::ids::{CloudId, PassiveId};
use super::super::infra::{Host, HostRole};
use super::super::raw::{RawCosts, RawDrills, RawSimulation, RawTargets};
use super::super::tiers::{CloudTier, CloudVia, PassiveNode};
use super::super::units::{Duration, YEAR, parse_duration, parse_percent};
use super::cluster::expect_role;
use super::ctx::{Ctx, Names};
use super::infra::non_negative;

pub(crate) fn costs(ctx: &mut Ctx, raw: &RawCosts) -> Costs {
    let mut money = |v: &Option<super::super::raw::Sp<f64>>, what: &str| {
        v.as_ref().map_or(0.0, |v| non_negative(ctx, v, what))
    };
    let downtime_per_hour = money(&raw.downtime_per_hour, "downtime_per_hour");
    let data_loss_per_hour = money(&raw.data_loss_per_hour, "data_loss_per_hour");
    let per_incident = money(&raw.per_incident, "per_incident");
    let egress_per_gib = money(&raw.egress_per_gib, "egress_per_gib");
    let per_drill = money(&raw.per_drill, "per_drill");
    let storage_per_gib_month = raw
        .storage
        .iter()
        .map(|(k, v)| (k.clone(), non_negative(ctx, v, "storage price")))
        .collect();
    let currency = raw.currency.as_ref().map_or_else(
        || "EUR".to_owned(),
        |c| {
            if c.as_str().len() != 3 || !c.as_str().chars().all(|ch| ch.is_ascii_uppercase()) {
                ctx.err(
                    c,
                    format!("`{}` is not an ISO currency code", c.as_str()),
                    "write a three-letter code such as EUR, USD, GBP",
                );
            }
            c.value.clone()
        },
    );
    Costs {
        currency,
        downtime_per_hour,
        data_loss_per_hour,
        per_incident,
        storage_per_gib_month,
        egress_per_gib,
        per_drill,
    }
}

pub(crate) fn targets(ctx: &mut Ctx, raw: &RawTargets) -> Targets {
    Targets {
        rpo: raw
            .rpo
            .as_ref()
            .and_then(|t| ctx.parse(t, "duration", parse_duration)),
        rto: raw
            .rto
            .as_ref()
            .and_then(|t| ctx.parse(t, "duration", parse_duration)),
        availability: raw
            .availability
            .as_ref()
            .and_then(|t| ctx.parse(t, "percentage", parse_percent)),
        data_loss_probability: raw
            .data_loss_probability
            .as_ref()
            .and_then(|t| ctx.parse(t, "percentage", parse_percent)),
    }
}

pub(crate) fn simulation(ctx: &mut Ctx, raw: &RawSimulation) -> Simulation {
    let horizon = ctx.parse_or(
        &raw.horizon,
        "duration",
        parse_duration,
        Duration::from_secs(10.0 * YEAR),
    );
    if let Some(h) = &raw.horizon
        && (horizon.as_days() < 1.0 || horizon.as_years() > 1000.0)
    {
        ctx.err(
            h,
            "the horizon must be between 1 day and 1000 years",
            "10 years is a good default",
        );
    }
    let trials = raw.trials.as_ref().map_or(100_000, |t| {
        if t.value == 0 || t.value > 1_000_000_000 {
            ctx.err(
                t,
                "trials must be between 1 and 1 000 000 000",
                "100000 gives tight confidence intervals for common events",
            );
        }
        t.value.max(1)
    });
    Simulation {
        horizon,
        trials,
        seed: raw.seed.unwrap_or(1),
    }
}

/// The drillable tiers besides the default one: passive nodes and buckets
/// that barman-cloud writes (a native-cloud tier is Barman's own storage,
/// drilled through its Barman server).
pub(crate) struct DrillTiers<'a> {
    pub passive: &'a [PassiveNode],
    pub cloud: &'a [CloudTier],
}

fn tier_drills(ctx: &mut Ctx, raw: &RawDrills, tiers: &DrillTiers<'_>) -> Vec<TierDrill> {
    let mut names = Names::new("passive node or cloud tier");
    let mut refs = Vec::new();
    for (i, p) in tiers.passive.iter().enumerate() {
        names.insert(&p.name);
        refs.push(TierRef::Passive(PassiveId(i)));
    }
    for (i, c) in tiers.cloud.iter().enumerate() {
        names.insert(&c.name);
        refs.push(TierRef::Cloud(CloudId(i)));
    }
    let mut out: Vec<TierDrill> = Vec::new();
    for d in &raw.tiers {
        let Some(i) = ctx.resolve(&names, &d.tier, "a tier drill") else {
            continue;
        };
        let tier = refs[i];
        if let TierRef::Cloud(c) = tier
            && matches!(tiers.cloud[c.0].via, CloudVia::Native(_))
        {
            ctx.err_label(
                &d.tier,
                format!("cloud tier `{}` is Barman's native cloud storage", d.tier.as_str()),
                "drilled with its Barman server",
                "the default drill (`every`) restores through that Barman server; list only passive nodes and buckets written by barman-cloud",
            );
            continue;
        }
        if out.iter().any(|o| o.tier == tier) {
            ctx.err_label(
                &d.tier,
                format!("tier `{}` is drilled twice", d.tier.as_str()),
                "listed twice",
                "list each tier once",
            );
            continue;
        }
        let Some(e) = ctx.parse(&d.every, "duration", parse_duration) else {
            continue;
        };
        if e.as_days() < 1.0 {
            ctx.err(
                &d.every,
                "a drill at most once a day",
                "a drill restores a whole backup: give an interval of a day or more, e.g. \"90 days\"",
            );
            continue;
        }
        out.push(TierDrill { tier, every: e });
    }
    out
}

pub(crate) fn drills(
    ctx: &mut Ctx,
    raw: &RawDrills,
    hosts: &[Host],
    host_names: &Names,
    tiers: &DrillTiers<'_>,
) -> Drills {
    let host = ctx.resolve(host_names, &raw.host, "drills");
    if let Some(h) = host {
        expect_role(
            ctx,
            hosts,
            h,
            &raw.host,
            HostRole::Recovery,
            "the drill host",
        );
    }
    let check_query = raw.check_query.as_ref().map_or_else(
        || "SELECT true".to_owned(),
        |q| {
            ctx.no_secret(q, "check query");
            super::safety::check_query(ctx, q);
            q.value.clone()
        },
    );
    let every = ctx
        .parse(&raw.every, "duration", parse_duration)
        .unwrap_or(Duration::from_secs(30.0 * 86_400.0));
    Drills {
        every,
        host: HostId(host.unwrap_or(0)),
        check_query,
        tiers: tier_drills(ctx, raw, tiers),
    }
}

//! Costs, targets, simulation settings and restore drills.

use super::super::economics::{Costs, Drills, Simulation, Targets};
use super::super::ids::HostId;
use super::super::infra::{Host, HostRole};
use super::super::raw::{RawCosts, RawDrills, RawSimulation, RawTargets};
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

pub(crate) fn drills(ctx: &mut Ctx, raw: &RawDrills, hosts: &[Host], host_names: &Names) -> Drills {
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
    Drills {
        every: ctx
            .parse(&raw.every, "duration", parse_duration)
            .unwrap_or(Duration::from_secs(30.0 * 86_400.0)),
        host: HostId(host.unwrap_or(0)),
        check_query,
    }
}

//! Failure modes: rate, distributions and repair time, with the per-kind
//! defaults of the scenario applied when a component does not override them.

use super::super::failure::{Distribution, FailureMode, Failures};
use super::super::raw::{RawFailureMode, RawKindDefaults, Text};
use super::super::units::{Duration, Rate, UnitError, parse_duration, parse_rate};
use super::ctx::Ctx;

const DIST_HINT: &str =
    "write \"exponential\", \"weibull 0.7\" (shape), \"lognormal 0.8\" (sigma) or \"fixed\"";

fn parse_distribution(s: &str) -> Result<Distribution, UnitError> {
    let words: Vec<&str> = s.split_whitespace().collect();
    let bad = || UnitError {
        message: format!("`{s}` is not a distribution"),
        hint: DIST_HINT.into(),
    };
    let param = |p: &str| -> Result<f64, UnitError> {
        let p = p.trim_start_matches("shape=").trim_start_matches("sigma=");
        match p.parse::<f64>() {
            Ok(v) if v.is_finite() && v > 0.0 && v <= 20.0 => Ok(v),
            _ => Err(UnitError {
                message: format!("`{p}` must be a number between 0 and 20"),
                hint: DIST_HINT.into(),
            }),
        }
    };
    match words.as_slice() {
        [w] if w.eq_ignore_ascii_case("exponential") => Ok(Distribution::Exponential),
        [w] if w.eq_ignore_ascii_case("fixed") => Ok(Distribution::Fixed),
        [w, p] if w.eq_ignore_ascii_case("weibull") => {
            Ok(Distribution::Weibull { shape: param(p)? })
        }
        [w, p] if w.eq_ignore_ascii_case("lognormal") => {
            Ok(Distribution::LogNormal { sigma: param(p)? })
        }
        _ => Err(bad()),
    }
}

/// One failure mode; `None` when it never happens.
pub(crate) fn failure_mode(ctx: &mut Ctx, raw: &RawFailureMode, what: &str) -> Option<FailureMode> {
    let rate: Rate = ctx.parse(&raw.rate, &format!("{what} rate"), parse_rate)?;
    let lifetime = match &raw.distribution {
        Some(d) => ctx.parse(d, "distribution", parse_distribution)?,
        None => Distribution::Exponential,
    };
    let repair_distribution = match &raw.repair_distribution {
        Some(d) => ctx.parse(d, "distribution", parse_distribution)?,
        None => Distribution::Exponential,
    };
    if let Distribution::LogNormal { .. } = lifetime {
        ctx.err(
            raw.distribution.as_ref().unwrap_or(&raw.rate),
            "a lifetime cannot be log-normal here",
            "lifetimes are exponential or Weibull; log-normal is for repair times",
        );
    }
    let repair: Duration = match &raw.repair {
        Some(r) => ctx.parse(r, "repair time", parse_duration)?,
        None if rate.events_per_year() == 0.0 => Duration::default(),
        None => {
            ctx.err_label(
                &raw.rate,
                format!("the {what} has a rate but no `repair` time"),
                "needs `repair`",
                "add e.g. `repair: 4 h` (mean time until the component is back)",
            );
            return None;
        }
    };
    (rate.events_per_year() > 0.0).then_some(FailureMode {
        rate,
        lifetime,
        repair,
        repair_distribution,
    })
}

/// Outage and destruction of one component, falling back to the kind's defaults.
pub(crate) fn failures(
    ctx: &mut Ctx,
    outage: &Option<RawFailureMode>,
    destruction: &Option<RawFailureMode>,
    defaults: &RawKindDefaults,
) -> Failures {
    let pick = |own: &Option<RawFailureMode>, def: &Option<RawFailureMode>| {
        own.clone().or_else(|| def.clone())
    };
    Failures {
        outage: pick(outage, &defaults.outage).and_then(|m| failure_mode(ctx, &m, "outage")),
        destruction: pick(destruction, &defaults.destruction)
            .and_then(|m| failure_mode(ctx, &m, "destruction")),
    }
}

/// Check a "1 per N" rate string of a corruption and its detection delay.
pub(crate) fn corruption(ctx: &mut Ctx, rate: &Text, detected_after: &Text) -> Option<FailureMode> {
    let rate = ctx.parse(rate, "corruption rate", parse_rate)?;
    let repair = ctx.parse(detected_after, "detection delay", parse_duration)?;
    (rate.events_per_year() > 0.0).then_some(FailureMode {
        rate,
        lifetime: Distribution::Exponential,
        repair,
        repair_distribution: Distribution::Exponential,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distributions() {
        assert_eq!(
            parse_distribution("exponential").unwrap(),
            Distribution::Exponential
        );
        assert_eq!(
            parse_distribution("weibull 0.7").unwrap(),
            Distribution::Weibull { shape: 0.7 }
        );
        assert_eq!(
            parse_distribution("lognormal sigma=0.5").unwrap(),
            Distribution::LogNormal { sigma: 0.5 }
        );
        assert!(parse_distribution("weibull -1").is_err());
        assert!(parse_distribution("gamma 2").is_err());
    }
}

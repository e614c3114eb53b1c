//! The Monte Carlo results as a human report: every figure with its 95 %
//! confidence interval, the trial count and the seed.

use std::fmt::Write;

use crate::analysis::montecarlo::stats::Estimate;
use crate::analysis::montecarlo::{Quantiles, SimReport, Verdict};

fn p(e: &Estimate) -> String {
    let f = |x: f64| {
        if x == 0.0 {
            "0".to_owned()
        } else if x < 1e-3 {
            format!("{x:.2e}")
        } else {
            format!("{x:.5}")
        }
    };
    format!("{} [{}, {}]", f(e.value), f(e.low), f(e.high))
}

fn q(x: &Quantiles, unit: &str, scale: f64) -> String {
    let v = |e: &Option<Estimate>| e.map_or("-".to_owned(), |e| format!("{:.2}", e.value * scale));
    format!(
        "n={} p50 {} p95 {} p99 {} max {} {unit}",
        x.count,
        v(&x.p50),
        v(&x.p95),
        v(&x.p99),
        x.max
            .map_or("-".to_owned(), |m| format!("{:.2}", m * scale))
    )
}

/// Render a report.
pub fn render(r: &SimReport) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Monte Carlo of `{}`: {} trials × {:.1} years = {:.0} system-years, seed {} (95 % confidence intervals)",
        r.scenario, r.trials, r.horizon_years, r.system_years, r.seed
    );
    for c in &r.clusters {
        let nines = -(1.0 - c.availability.value).max(1e-12).log10();
        let _ = writeln!(o, "\ncluster `{}`", c.cluster);
        let _ = writeln!(
            o,
            "  availability            {:.5} % [{:.5}, {:.5}]  ({nines:.1} nines)",
            c.availability.value * 100.0,
            c.availability.low * 100.0,
            c.availability.high * 100.0
        );
        let _ = writeln!(
            o,
            "  downtime h/yr           mean {}",
            p(&c.downtime_hours_per_year)
        );
        let _ = writeln!(
            o,
            "  downtime h/yr by trial  {}",
            q(&c.downtime_distribution, "h", 1.0)
        );
        let _ = writeln!(o, "  RTO per incident        {}", q(&c.rto_hours, "h", 1.0));
        let _ = writeln!(
            o,
            "  data lost per event     {}",
            q(&c.data_loss_secs, "s", 1.0)
        );
        let _ = writeln!(
            o,
            "  P(data loss)/yr         {}  (failures; logical corruption below)",
            p(&c.p_any_loss_per_year)
        );
        let _ = writeln!(
            o,
            "  P(corruption loss)/yr   {}",
            p(&c.p_corruption_loss_per_year)
        );
        let _ = writeln!(
            o,
            "  P(loss beyond RPO)/yr   {}",
            p(&c.p_loss_beyond_rpo_per_year)
        );
        let _ = writeln!(
            o,
            "  P(lose everything)/yr   {} naive; {:.2e} by minimal cut sets (rare-event path)",
            p(&c.p_total_loss_per_year),
            c.p_total_loss_per_year_analytic
        );
        if let Some(r) = &c.p_total_loss_per_year_importance {
            let _ = if r.hits == 0 {
                // Zero weighted hits say nothing about the interval.
                writeln!(
                    o,
                    "                          importance sampling: none of {} one-year trials lost everything (destruction rates ×{:.0})",
                    r.trials, r.factor
                )
            } else {
                writeln!(
                    o,
                    "                          {} by importance sampling ({} of {} one-year trials lost everything, destruction rates ×{:.0})",
                    p(&r.p_total_loss_per_year),
                    r.hits,
                    r.trials,
                    r.factor
                )
            };
            if r.hits < 30 {
                let _ = writeln!(
                    o,
                    "                          too few trials saw it to trust the interval: raise --trials or --rare-factor"
                );
            }
        }
        let _ = writeln!(
            o,
            "  P(RTO breached)/yr      {}",
            p(&c.p_rto_breach_per_year)
        );
        let _ = writeln!(
            o,
            "  by failure class        incidents/yr  downtime h/yr  losses/yr"
        );
        for k in &c.classes {
            let _ = writeln!(
                o,
                "    {:<22}{:>12.4}{:>15.4}{:>11.5}",
                k.class.label(),
                k.incidents_per_year,
                k.downtime_hours_per_year,
                k.losses_per_year
            );
        }
        for t in &c.targets {
            let mark = match t.verdict {
                Verdict::Met => "✓ met",
                Verdict::AtRisk => "~ at risk",
                Verdict::Breached => "✗ BREACHED",
            };
            let _ = writeln!(
                o,
                "  target {:<24} {:<12} achieved {:<34} {mark}",
                t.kind.label(),
                super::format::target_wanted(t),
                super::format::target_achieved(t)
            );
        }
    }
    o
}

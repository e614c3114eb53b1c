//! `drplan simulate <scenario>`: Monte Carlo of failures over years of
//! operation. Exit 1 when a target is breached with 95 % confidence.

use std::path::PathBuf;
use std::time::Instant;

use super::{CliError, Outcome, out};
use crate::analysis::montecarlo::{SimOptions, rare, simulate};
use crate::model::{load_file, units};

/// Output formats of `drplan simulate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SimFormat {
    /// Human-readable report.
    Table,
    /// JSON.
    Json,
}

/// Arguments of `drplan simulate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Number of trials (default: the scenario's).
    #[arg(long)]
    pub trials: Option<u64>,
    /// Seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Years per trial, e.g. "10 years" (default: the scenario's horizon).
    #[arg(long)]
    pub horizon: Option<String>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "table")]
    pub format: SimFormat,
    /// Measure speed with 1 thread and with all cores instead of reporting.
    #[arg(long)]
    pub bench: bool,
    /// Also estimate P(losing every copy) by importance sampling: as many
    /// one-year trials again, with every destruction rate multiplied by
    /// --rare-factor (see docs/monte-carlo.md).
    #[arg(long)]
    pub rare_events: bool,
    /// Factor on destruction rates for --rare-events (default: about one
    /// destruction per trial).
    #[arg(long, requires = "rare_events")]
    pub rare_factor: Option<f64>,
}

fn pool(threads: usize) -> Result<rayon::ThreadPool, CliError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| {
            CliError::usage(
                format!("cannot start {threads} threads: {e}"),
                "try --threads 1",
            )
        })
}

/// Run `drplan simulate`.
pub fn run(args: Args) -> Result<Outcome, CliError> {
    let s = load_file(&args.scenario)?;
    let mut o = SimOptions::from_scenario(&s);
    o.progress = true;
    if let Some(t) = args.trials {
        if t == 0 {
            return Err(CliError::usage(
                "--trials must be at least 1",
                "e.g. --trials 100000",
            ));
        }
        o.trials = t;
    }
    if let Some(seed) = args.seed {
        o.seed = seed;
    }
    if let Some(h) = &args.horizon {
        let d = units::parse_duration(h)
            .map_err(|e| CliError::usage(format!("--horizon: {}", e.message), e.hint))?;
        if d.as_days() < 1.0 {
            return Err(CliError::usage(
                "--horizon must be at least a day",
                "e.g. --horizon \"10 years\"",
            ));
        }
        o.horizon = d.as_secs();
    }
    if args.bench {
        o.progress = false;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        for threads in [1, cores] {
            let started = Instant::now();
            let r = pool(threads)?.install(|| simulate(&s, &o));
            let secs = started.elapsed().as_secs_f64();
            out::println(format!(
                "{}: {} trials, {threads} thread(s): {:.2} s, {:.0} trials/s, {:.2} M system-years/s ({:.2} M per core)",
                s.name,
                r.trials,
                secs,
                r.trials as f64 / secs,
                r.system_years / secs / 1e6,
                r.system_years / secs / 1e6 / threads as f64
            ))?;
        }
        return Ok(Outcome::Ok);
    }
    if let Some(f) = args.rare_factor
        && !(f.is_finite() && f >= 1.0)
    {
        return Err(CliError::usage(
            format!("--rare-factor must be a number ≥ 1, not {f}"),
            "e.g. --rare-factor 100",
        ));
    }
    let run = || {
        let mut r = simulate(&s, &o);
        if args.rare_events {
            let factor = args.rare_factor.unwrap_or_else(|| rare::default_factor(&s));
            for (c, e) in r.clusters.iter_mut().zip(rare::total_loss(&s, &o, factor)) {
                c.p_total_loss_per_year_importance = Some(e);
            }
        }
        r
    };
    let r = match args.threads {
        Some(t) => pool(t.max(1))?.install(run),
        None => run(),
    };
    match args.format {
        SimFormat::Table => out::print(crate::report::simulate_table::render(&r))?,
        SimFormat::Json => out::json(&r)?,
    }
    Ok(if r.breached() {
        Outcome::Breached
    } else {
        Outcome::Ok
    })
}

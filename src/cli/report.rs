//! `drplan report <scenario|dir>... [--out reports/] [--format html,pdf]`:
//! one report per scenario and a comparison when several are given, written
//! atomically as `<out>/<name>.<ext>` and `<out>/comparison.<ext>`.

use std::path::PathBuf;

use rayon::prelude::*;

use super::{CliError, Outcome, load_all, out};
use crate::analysis::cost::sensitivity::sensitivity;
use crate::analysis::cost::tiers::tier_benefits;
use crate::analysis::cost::{assess, candidate, rank};
use crate::analysis::montecarlo::SimOptions;
use crate::analysis::topology::Topology;
use crate::analysis::{disk, spof};
use crate::report::context::ComparisonContext;
use crate::report::{self, Format, build, results};

/// Largest minimal cut set order the report searches (the `drplan spof` default).
const SPOF_ORDER: usize = 3;

/// Output format names on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// Self-contained HTML.
    Html,
    /// PDF (needs the `pdf` feature).
    Pdf,
}

/// Arguments of `drplan report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files or folders of them.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Folder to write the reports into (created if missing).
    #[arg(long, short, default_value = "reports")]
    pub out: PathBuf,
    /// Formats, comma-separated.
    #[arg(long, short, value_enum, value_delimiter = ',', default_values_t = default_formats())]
    pub format: Vec<FormatArg>,
    /// Trials of every re-run of the cost-benefit analysis (each scenario
    /// without one of its tiers, and the sensitivity analysis), each with the
    /// scenario's seed; 0 leaves the tier table and the tornado out.
    #[arg(long, default_value_t = 20_000)]
    pub rerun_trials: u64,
    /// Folder with your own `report.css` and/or `report.html` (Jinja syntax;
    /// see docs/report-templates.md) to use instead of the built-in ones.
    #[arg(long)]
    pub templates: Option<PathBuf>,
}

fn default_formats() -> Vec<FormatArg> {
    if cfg!(feature = "pdf") {
        vec![FormatArg::Html, FormatArg::Pdf]
    } else {
        vec![FormatArg::Html]
    }
}

/// Run `drplan report`.
pub fn run(args: Args) -> Result<Outcome, CliError> {
    let overrides = match &args.templates {
        Some(dir) => crate::report::html::Overrides::from_dir(dir)?,
        None => crate::report::html::Overrides::default(),
    };
    let scenarios = load_all(&args.scenarios)?;
    // Scenarios are analysed side by side: one's serial steps (statistics,
    // cut sets) overlap another's simulation. Each is deterministic alone.
    let analysed: Vec<_> = scenarios
        .par_iter()
        .map(|s| {
            // The comments of the file name the sources of failure rates; a
            // file that cannot be re-read simply has none quoted.
            let text = std::fs::read_to_string(&s.source).ok();
            let mut ctx = build::from_scenario(s, text.as_deref());
            let topology = Topology::build(s);
            let spof = spof::analyse(s, &topology, SPOF_ORDER);
            results::add_spof(&mut ctx, &spof, &topology);
            let disk = disk::project(s, disk::DiskOptions::default());
            results::add_disk(&mut ctx, &disk);
            let o = SimOptions::from_scenario(s);
            let sim = crate::analysis::montecarlo::simulate(s, &o);
            results::add_montecarlo(&mut ctx, &sim);
            let cand = candidate(s, &disk, &sim);
            if let Some(cand) = &cand {
                // Tiers are weighed at the re-run trial count on both sides:
                // the same seed and trials keep most of the noise out of the difference.
                let mut r = o;
                r.trials = args.rerun_trials.min(o.trials);
                let (tiers, sens) = if args.rerun_trials == 0 {
                    (Vec::new(), None)
                } else {
                    let base = if r.trials == o.trials {
                        Some(cand.clone())
                    } else {
                        assess(s, &r)
                    };
                    (
                        base.map(|b| tier_benefits(s, &b, &r)).unwrap_or_default(),
                        Some(sensitivity(std::slice::from_ref(s), args.rerun_trials)),
                    )
                };
                results::add_cost(&mut ctx, cand, o.trials, &tiers, r.trials, sens.as_ref());
            }
            (ctx, cand)
        })
        .collect();
    let (contexts, cands): (Vec<_>, Vec<_>) = analysed.into_iter().unzip();
    let cands: Vec<_> = cands.into_iter().flatten().collect();
    let ranked = rank(cands);
    let set = ComparisonContext {
        reports: contexts,
        pareto_optimal: (!ranked.is_empty()).then(|| {
            ranked
                .iter()
                .filter(|c| c.pareto)
                .map(|c| c.scenario.clone())
                .collect()
        }),
        recommendation: ranked
            .first()
            .filter(|_| ranked.len() > 1)
            .map(|c| format!("{}: {}", c.scenario, c.reason)),
    };
    let mut formats = Vec::new();
    for f in &args.format {
        let f = match f {
            FormatArg::Html => Format::Html,
            FormatArg::Pdf => Format::Pdf,
        };
        if f.renderer().is_none() {
            return Err(CliError::usage(
                "this drplan was built without PDF support",
                "use --format html, or build with the default `pdf` feature",
            ));
        }
        if !formats.contains(&f) {
            formats.push(f);
        }
    }
    let outputs = report::render_set_with(&set, &formats, &overrides)?;
    std::fs::create_dir_all(&args.out).map_err(|source| CliError::Write {
        path: args.out.clone(),
        source,
    })?;
    for o in outputs {
        let path = args.out.join(&o.file_name);
        crate::atomic::write_atomic(&path, &o.bytes).map_err(|source| CliError::Write {
            path: path.clone(),
            source,
        })?;
        out::println(format!("wrote {}", path.display()))?;
    }
    Ok(Outcome::Ok)
}

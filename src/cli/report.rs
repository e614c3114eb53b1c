//! `drplan report <scenario|dir>... [--out reports/] [--format html,pdf]`:
//! one report per scenario and a comparison when several are given, written
//! atomically as `<out>/<name>.<ext>` and `<out>/comparison.<ext>`.

use std::path::PathBuf;

use rayon::prelude::*;

use super::{CliError, Outcome, load_all, out};
use crate::analysis::{self, cost::rank};
use crate::report::context::ComparisonContext;
use crate::report::{self, Format, results};

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
            let mut o = analysis::Options::from_scenario(s);
            o.rerun_trials = args.rerun_trials;
            let a = analysis::run(s, &o);
            // The comments of the file name the sources of failure rates; a
            // file that cannot be re-read simply has none quoted.
            let text = std::fs::read_to_string(&s.source).ok();
            (results::context(s, text.as_deref(), &a), a.cost)
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

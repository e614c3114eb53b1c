//! `drplan validate <file|dir>...`: load every scenario, print a one-line
//! summary for each valid one and every problem of each invalid one.

use std::path::PathBuf;

use super::{CliError, Outcome, out, render_diagnostic};
use crate::model::{Scenario, load};

/// Arguments of `drplan validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files or folders of `*.yaml` scenarios.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Print nothing for valid files.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Load every scenario named by `paths` (files or folders); print the problems
/// of invalid ones; error if any is invalid.
pub fn load_all(paths: &[PathBuf]) -> Result<Vec<Scenario>, CliError> {
    let (good, bad) = load_each(paths)?;
    if bad > 0 {
        return Err(CliError::Invalid(bad));
    }
    Ok(good)
}

/// Load every scenario, printing problems; return the valid ones and how many were invalid.
fn load_each(paths: &[PathBuf]) -> Result<(Vec<Scenario>, usize), CliError> {
    let mut good = Vec::new();
    let mut bad = 0;
    for path in paths {
        let files = load::scenario_paths(path)?;
        if files.is_empty() {
            return Err(CliError::usage(
                format!("{} holds no scenario files", path.display()),
                "scenario files end in .yaml or .yml",
            ));
        }
        for file in files {
            match load::load_file(&file) {
                Ok(s) => good.push(s),
                Err(e) => {
                    bad += 1;
                    eprint!("{}", render_diagnostic(&e));
                }
            }
        }
    }
    Ok((good, bad))
}

/// Run `drplan validate`.
pub fn run(args: Args) -> Result<Outcome, CliError> {
    let (scenarios, bad) = load_each(&args.paths)?;
    if !args.quiet {
        for s in &scenarios {
            out::println(format!(
                "ok  {}  ({}: {} site(s), {} host(s), {} cluster(s), {} Barman, {} passive, {} cloud)",
                s.source.display(),
                s.name,
                s.sites.len(),
                s.hosts.len(),
                s.clusters.len(),
                s.barman_servers.len(),
                s.passive_nodes.len(),
                s.cloud_tiers.len()
            ))?;
        }
    }
    if bad > 0 {
        return Err(CliError::Invalid(bad));
    }
    Ok(Outcome::Ok)
}

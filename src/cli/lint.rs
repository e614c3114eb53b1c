//! `drplan lint PATH…`: check a deployed Barman configuration (`barman.conf`,
//! `barman.d/`, `cron.d/`, and PostgreSQL's `postgresql.conf` / `conf.d/`
//! when given) against Barman's silent failure modes, with the same checks
//! and hints as `drplan export` applies to its own files. Exit 1 when an
//! error is found, 2 when a path cannot be read.

use std::path::PathBuf;

use super::{CliError, Outcome};
use crate::export::existing::{InputError, lint_paths};
use crate::export::lint::Settings;
use crate::export::{Layout, Severity};
use crate::model::load_file;

/// Output formats of `drplan lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LintFormat {
    /// One finding per line, `severity: file:line: message` and its hint.
    Text,
    /// The findings as a JSON array.
    Json,
}

/// Arguments of `drplan lint`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders: `/etc` (or a copy of it), `barman.conf`, `barman.d/`,
    /// `cron.d/`, a PostgreSQL `conf.d/`, or an exported folder.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Barman version the files are for, e.g. 3.19 (default: unknown, so
    /// version-dependent bugs are assumed present).
    #[arg(long)]
    pub barman_version: Option<String>,
    /// The scenario the files should implement: its Barman version and the
    /// PostgreSQL version of each server (checks `path_prefix`).
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "text")]
    pub format: LintFormat,
}

fn parse_version(v: &str) -> Option<(u32, u32)> {
    let mut it = v.trim().split('.');
    let major = it.next()?.parse().ok()?;
    let minor = it.next().unwrap_or("0").parse().ok()?;
    Some((major, minor))
}

/// Run `drplan lint`.
pub fn run(args: Args) -> Result<Outcome, CliError> {
    let layout = Layout::default();
    let mut settings = Settings {
        barman_conf: layout.barman_conf,
        conf_dir: layout.conf_dir,
        barman_version: None,
        pg_versions: Default::default(),
    };
    if let Some(path) = &args.scenario {
        let s = load_file(path)?;
        settings.barman_version = Some(s.barman_version);
        settings.pg_versions = s
            .barman_servers
            .iter()
            .map(|b| (b.name.clone(), s.clusters[b.cluster.0].version_string()))
            .chain(
                s.clusters
                    .iter()
                    .map(|c| (c.name.clone(), c.version_string())),
            )
            .collect();
    }
    if let Some(v) = &args.barman_version {
        settings.barman_version = Some(parse_version(v).ok_or_else(|| {
            CliError::usage(
                format!("--barman-version `{v}` is not a version"),
                "write major.minor, e.g. --barman-version 3.19",
            )
        })?);
    }
    let findings = lint_paths(&args.paths, &settings).map_err(|e| match e {
        InputError::Unreadable { .. } => {
            CliError::usage(e.to_string(), "give readable files or folders")
        }
        InputError::Nothing(_) => CliError::usage(
            e.to_string(),
            "point at /etc (or a copy), barman.conf, barman.d/ or an exported host folder",
        ),
    })?;
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    match args.format {
        LintFormat::Json => {
            super::out::json(&findings)?;
        }
        LintFormat::Text => {
            for f in &findings {
                super::out::println(f.to_string())?;
            }
            super::out::println(format!(
                "drplan lint: {errors} error(s), {} warning(s)",
                findings.len() - errors
            ))?;
        }
    }
    Ok(if errors > 0 {
        Outcome::Breached
    } else {
        Outcome::Ok
    })
}

#[cfg(test)]
mod tests {
    use super::parse_version;

    #[test]
    fn versions_parse_as_major_minor() {
        assert_eq!(parse_version("3.19"), Some((3, 19)));
        assert_eq!(parse_version("3.10.1"), Some((3, 10)));
        assert_eq!(parse_version("3"), Some((3, 0)));
        assert_eq!(parse_version("three"), None);
    }
}

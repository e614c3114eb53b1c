//! Deployable configuration: everything an operator installs to run the
//! layout a scenario describes, per host — `barman.conf` and one server file
//! per Barman tier (streaming, passive node, cloud hooks or native cloud
//! paths), PostgreSQL settings, `pg_hba.conf` lines, the least-privilege role
//! SQL, cron entries, the passive-node guard, a restore-drill script, for a
//! Patroni cluster a `patroni.yml` per node and the etcd members'
//! configuration, and a README saying what goes where.
//!
//! Each kind of file has its own renderer behind [`Renderer`]; [`export`]
//! runs them all, then [`lint`] checks the result against Barman's silent
//! failure modes before anything is written. Writing (atomic, refusing to
//! clobber hand edits, `--dry-run`) lives in [`plan`]. No renderer writes a
//! password: secrets go to `.pgpass` and the cloud provider's credential
//! files, which the README lists.

pub mod barman_global;
pub mod barman_keys;
pub mod barman_server;
pub mod cloud;
pub mod cloud_wal;
pub mod confine;
pub mod context;
pub mod cron;
pub mod drill;
mod drill_script;
pub mod existing;
mod existing_pg;
pub mod guard;
pub mod ini;
pub mod inject;
pub mod lint;
pub mod lint_patroni;
pub mod lint_settings;
pub mod monitoring;
pub mod passive;
pub mod patroni;
mod patroni_readme;
pub mod pg_hba;
pub mod pg_minimums;
pub mod plan;
pub mod postgresql;
pub mod quote;
pub mod readme;
pub mod roles;

use std::collections::BTreeMap;

pub use context::{ExportContext, Layout};
pub use lint::{Finding, Severity};

/// One file of the export, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Path under the output folder: `<host>/<absolute path on that host>`,
    /// or a top-level file such as `README.md`.
    pub path: String,
    /// Host the file belongs on (empty for top-level files).
    pub host: String,
    /// Where it goes on that host (absolute), or empty.
    pub target: String,
    /// What it is for, one line (used in the README).
    pub purpose: String,
    /// The contents.
    pub contents: String,
    /// Whether it is a script (mode 0755 instead of 0644).
    pub executable: bool,
}

impl Artifact {
    /// A file that belongs at `target` on `host`.
    pub fn on_host(host: &str, target: &str, purpose: &str, contents: String) -> Self {
        Self {
            path: format!("{host}/{}", target.trim_start_matches('/')),
            host: host.to_string(),
            target: target.to_string(),
            purpose: purpose.to_string(),
            contents,
            executable: false,
        }
    }

    /// Mark as executable.
    pub fn executable(mut self) -> Self {
        self.executable = true;
        self
    }
}

/// Why a scenario cannot be exported.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The scenario asks for something drplan cannot express safely.
    #[error("{what}")]
    Unsupported {
        /// What cannot be exported.
        what: String,
        /// How to change the scenario.
        hint: String,
    },
    /// The generated files would hit one of Barman's silent failure modes.
    #[error("the generated configuration fails {} lint check(s)", .0.len())]
    Lint(Vec<Finding>),
}

impl From<quote::Unquotable> for ExportError {
    fn from(e: quote::Unquotable) -> Self {
        Self::Unsupported {
            what: e.to_string(),
            hint: "remove line breaks and surrounding blanks from the scenario's values".into(),
        }
    }
}

/// Result of this module.
pub type Result<T> = std::result::Result<T, ExportError>;

/// A renderer of one kind of file.
pub trait Renderer {
    /// Add this renderer's files for the scenario.
    fn render(&self, ctx: &ExportContext, out: &mut Vec<Artifact>) -> Result<()>;
}

/// Every renderer, in the order their files are listed.
fn renderers() -> Vec<Box<dyn Renderer>> {
    vec![
        Box::new(barman_global::BarmanGlobal),
        Box::new(barman_server::BarmanServers),
        Box::new(passive::PassiveNodes),
        Box::new(guard::PassiveGuard),
        Box::new(cloud_wal::CloudWalHook),
        Box::new(postgresql::PostgresSettings),
        Box::new(pg_minimums::PgMinimums),
        Box::new(pg_hba::PgHba),
        Box::new(patroni::Patroni),
        Box::new(roles::Roles),
        Box::new(cron::Cron),
        Box::new(drill::Drill),
        Box::new(monitoring::Monitoring),
    ]
}

/// Render every file of the export and lint the result. Files come sorted by
/// path; the README describes the others.
pub fn export(ctx: &ExportContext) -> Result<Vec<Artifact>> {
    let mut out = Vec::new();
    for r in renderers() {
        r.render(ctx, &mut out)?;
    }
    let mut seen = BTreeMap::new();
    for a in &out {
        if let Some(prev) = seen.insert(a.path.clone(), a.purpose.clone()) {
            return Err(ExportError::Unsupported {
                what: format!(
                    "two files would be written to {}: {prev}, and {}",
                    a.path, a.purpose
                ),
                hint: "give each Barman tier of a cluster its own host".into(),
            });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    readme::Readme.render(ctx, &mut out)?;
    out.sort_by(|a, b| a.path.cmp(&b.path));
    let findings = lint::lint(ctx, &out);
    if findings.iter().any(|f| f.severity == Severity::Error) {
        return Err(ExportError::Lint(findings));
    }
    Ok(out)
}

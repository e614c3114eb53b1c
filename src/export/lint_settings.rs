//! What the lint of Barman's configuration needs besides the files
//! themselves: where they sit on the host, the Barman version and the
//! PostgreSQL major version of each server — from an export's scenario, or
//! from the command line when existing files are linted (`drplan lint`).

use std::collections::BTreeMap;

use super::ExportContext;

/// What the lint needs to know besides the files: where Barman's
/// configuration lives, which Barman version runs it (when known) and the
/// PostgreSQL major version of each Barman server (for `path_prefix`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Global configuration file (`target` of the `[barman]` file).
    pub barman_conf: String,
    /// `configuration_files_directory` (`target` prefix of server files).
    pub conf_dir: String,
    /// Barman version, `None` when unknown (then version-gated checks assume
    /// the oldest behaviour that has the bug).
    pub barman_version: Option<(u32, u32)>,
    /// PostgreSQL major version (as in `path_prefix`) by Barman server name.
    pub pg_versions: BTreeMap<String, String>,
}

impl Settings {
    /// The settings of an export: its layout, its scenario's Barman version
    /// and clusters.
    pub fn of(ctx: &ExportContext) -> Self {
        Self {
            barman_conf: ctx.layout.barman_conf.clone(),
            conf_dir: ctx.layout.conf_dir.clone(),
            barman_version: Some(ctx.scenario.barman_version),
            pg_versions: ctx
                .scenario
                .clusters
                .iter()
                .map(|c| (c.name.clone(), c.version_string()))
                .collect(),
        }
    }
}

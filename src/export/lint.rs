//! Lint of the generated files against Barman's silent failure modes
//! (barman-notes §5): unknown options, unsupported compression, server files
//! not ending in `.conf`, inline comments swallowed into values, cloud
//! uploads wired as post-archive hooks, hook uploads without `backup --wait`,
//! barman-cloud-backup with a compression it lacks, a passive node whose
//! compression differs from its primary's or whose sync can hit the
//! position-0 bug, `path_prefix` of another major version, the default
//! `/tmp` cloud staging folder, native cloud paths on a Barman older than
//! 3.18, anything that looks like a password, and Patroni's pitfalls
//! ([`super::lint_patroni`]).

use std::collections::BTreeMap;
use std::fmt;

use super::barman_keys::{GLOBAL_KEYS, SERVER_KEYS};
pub use super::lint_settings::Settings;
use super::{Artifact, ExportContext, guard, ini, inject};
use crate::model::Compression;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Severity {
    /// Worth a look; the export goes ahead.
    Warning,
    /// Barman would silently misbehave; the export is refused.
    Error,
}

/// One problem in one generated file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// How bad.
    pub severity: Severity,
    /// File (as under the output folder).
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        match self.line {
            Some(l) => write!(f, "{sev}: {}:{l}: {}", self.path, self.message)?,
            None => write!(f, "{sev}: {}: {}", self.path, self.message)?,
        }
        if !self.hint.is_empty() {
            write!(f, "\n  hint: {}", self.hint)?;
        }
        Ok(())
    }
}

struct Lint<'a> {
    findings: Vec<Finding>,
    ctx: &'a Settings,
}

impl Lint<'_> {
    fn err(&mut self, a: &Artifact, line: Option<usize>, message: String, hint: &str) {
        self.push(Severity::Error, a, line, message, hint);
    }
    fn push(
        &mut self,
        severity: Severity,
        a: &Artifact,
        line: Option<usize>,
        message: String,
        hint: &str,
    ) {
        self.findings.push(Finding {
            severity,
            path: a.path.clone(),
            line,
            message,
            hint: hint.to_string(),
        });
    }
}

fn suggest(key: &str, known: &[&str]) -> String {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(key, k), *k))
        .filter(|(s, _)| *s > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map_or_else(
            || "remove it: Barman only logs a WARNING and ignores it".to_string(),
            |(_, k)| {
                format!(
                    "did you mean `{k}`? Barman only logs a WARNING and ignores unknown options"
                )
            },
        )
}

fn is_barman_conf(ctx: &Settings, a: &Artifact) -> bool {
    a.target == ctx.barman_conf || a.target.starts_with(&format!("{}/", ctx.conf_dir))
}

/// Check every generated file; an [`Severity::Error`] finding means Barman
/// would silently misbehave with these files.
pub fn lint(ctx: &ExportContext, files: &[Artifact]) -> Vec<Finding> {
    lint_files(&Settings::of(ctx), files)
}

/// Check files against Barman's silent failure modes, whoever wrote them:
/// `target` says where each one sits on its host (see [`Settings`]).
pub fn lint_files(ctx: &Settings, files: &[Artifact]) -> Vec<Finding> {
    let mut l = Lint {
        findings: Vec::new(),
        ctx,
    };
    // Server sections by (host, section): (file, parsed options).
    let mut servers: BTreeMap<(String, String), (usize, Vec<ini::Parsed>)> = BTreeMap::new();
    for (i, a) in files.iter().enumerate() {
        secrets(&mut l, a);
        for (line, message) in inject::check(ctx, a) {
            l.err(
                a,
                Some(line),
                message,
                "a generated value escaped its quoting: report this as a drplan bug, and check the scenario's addresses, prefixes and endpoints",
            );
        }
        if !is_barman_conf(ctx, a) {
            continue;
        }
        if a.target != ctx.barman_conf && !a.target.ends_with(".conf") {
            l.err(
                a,
                None,
                format!(
                    "{} does not end in `.conf`: Barman silently ignores it",
                    a.target
                ),
                "name server files <server>.conf",
            );
        }
        let (parsed, bad) = ini::parse(&a.contents);
        for (line, text) in bad {
            l.err(
                a,
                Some(line),
                format!("not an option or section: `{}`", text.trim()),
                "write `key = value` inside a [section]",
            );
        }
        let mut by_section: BTreeMap<String, Vec<ini::Parsed>> = BTreeMap::new();
        for p in parsed {
            by_section.entry(p.section.clone()).or_default().push(p);
        }
        for (section, opts) in by_section {
            options(&mut l, a, &section, &opts);
            if section == "barman" {
                if !opts.iter().any(|o| o.key == "cloud_staging_directory") {
                    l.err(a, None, "[barman] has no cloud_staging_directory: Barman creates /tmp/barman/cloud-staging on every check".into(), "set cloud_staging_directory under barman_home");
                }
            } else {
                servers.insert((a.host.clone(), section), (i, opts));
            }
        }
    }
    cross_file(&mut l, files, &servers);
    let mut findings = l.findings;
    findings.extend(super::lint_patroni::lint(
        files,
        &|a| is_barman_conf(ctx, a),
        ctx.barman_version,
    ));
    findings
}

fn options(l: &mut Lint, a: &Artifact, section: &str, opts: &[ini::Parsed]) {
    let known = if section == "barman" {
        GLOBAL_KEYS
    } else {
        SERVER_KEYS
    };
    for o in opts {
        if !known.contains(&o.key.as_str()) {
            l.err(
                a,
                Some(o.line),
                format!("unknown option `{}` in [{section}]", o.key),
                &suggest(&o.key, known),
            );
        }
        if o.value.contains(" ;") || o.value.contains(" #") {
            l.err(
                a,
                Some(o.line),
                format!(
                    "`{}` has an inline comment, which becomes part of its value",
                    o.key
                ),
                "put comments on their own line",
            );
        }
        match o.key.as_str() {
            "compression" if Compression::parse(&o.value).is_none() || o.value == "none" => {
                l.err(
                    a,
                    Some(o.line),
                    format!(
                        "compression `{}` is not one Barman supports: it is silently dropped",
                        o.value
                    ),
                    &format!("use one of {}", crate::model::compression::known_names()),
                );
            }
            "post_archive_retry_script" | "post_archive_script"
                if o.value.contains("barman-cloud-wal-archive") =>
            {
                l.err(a, Some(o.line), format!("barman-cloud-wal-archive as `{}` fails, is retried forever and blocks archiving", o.key), "upload before archiving, through a pre_archive_retry_script wrapper that exits 62 when the bucket is unreachable");
            }
            "pre_archive_retry_script"
                if o.value.trim_start().starts_with("barman-cloud-wal-archive") =>
            {
                l.err(
                    a,
                    Some(o.line),
                    "a bare barman-cloud-wal-archive as `pre_archive_retry_script` is retried until it succeeds: any bucket problem stops local WAL archiving".into(),
                    "run it through a wrapper that gives up after a bounded time, queues the segment for a catch-up job and exits 62 (ABORT_CONTINUE), as `drplan export` writes",
                );
            }
            "post_backup_retry_script"
            | "post_backup_script"
            | "pre_archive_retry_script"
            | "pre_archive_script"
                if o.value.contains("barman-cloud-backup")
                    && (o.value.contains("--zstd") || o.value.contains("--xz")) =>
            {
                l.err(
                    a,
                    Some(o.line),
                    "barman-cloud-backup has no --zstd or --xz".into(),
                    "use --gzip, --bzip2, --snappy or --lz4 for backups",
                );
            }
            "basebackups_directory" | "wals_directory"
                if o.value.contains("://") && l.ctx.barman_version.is_some_and(|v| v < (3, 18)) =>
            {
                let (major, minor) = l.ctx.barman_version.unwrap_or_default();
                l.err(
                    a,
                    Some(o.line),
                    format!(
                        "cloud paths in `{}` need Barman 3.18 or later; the target is {major}.{minor}",
                        o.key
                    ),
                    "use `via: hooks` or raise barman_version",
                );
            }
            "path_prefix" => path_prefix(l, a, section, o),
            _ => {}
        }
    }
    if section != "barman" && !opts.iter().any(|o| o.key == "retention_policy") {
        l.push(
            Severity::Warning,
            a,
            None,
            format!("[{section}] has no retention_policy: backups and WAL are kept forever"),
            "set retention_policy",
        );
    }
}

fn path_prefix(l: &mut Lint, a: &Artifact, section: &str, o: &ini::Parsed) {
    let Some(version) = l.ctx.pg_versions.get(section) else {
        return;
    };
    let want = format!("/{version}/");
    if !format!("{}/", o.value).contains(&want) {
        l.err(
            a,
            Some(o.line),
            format!(
                "path_prefix `{}` is not PostgreSQL {version}'s binaries",
                o.value
            ),
            "pg_basebackup/pg_receivewal of another major fail only at backup or recovery time",
        );
    }
}

fn secrets(l: &mut Lint, a: &Artifact) {
    let lower = a.contents.to_ascii_lowercase();
    for needle in [
        "password=",
        "pgpassword=",
        "aws_secret_access_key",
        "password '",
        "password:",
    ] {
        if let Some(i) = lower.lines().position(|line| line.contains(needle)) {
            l.err(a, Some(i + 1), format!("looks like a secret (`{needle}`)"), "passwords belong in .pgpass or the provider's credential files, never in generated files");
        }
    }
}

fn value<'a>(opts: &'a [ini::Parsed], key: &str) -> Option<&'a str> {
    opts.iter().find(|o| o.key == key).map(|o| o.value.as_str())
}

/// Every cron file of a host.
fn crons_of<'a>(files: &'a [Artifact], host: &'a str) -> impl Iterator<Item = &'a Artifact> + 'a {
    files
        .iter()
        .filter(move |f| f.host == host && f.target.starts_with("/etc/cron.d/"))
}

fn cross_file(
    l: &mut Lint,
    files: &[Artifact],
    servers: &BTreeMap<(String, String), (usize, Vec<ini::Parsed>)>,
) {
    for ((host, section), (i, opts)) in servers {
        let a = &files[*i];
        let passive = value(opts, "primary_ssh_command").is_some();
        if passive {
            // The primary's file: same section name, not passive, on another host.
            let primary = servers.iter().find(|((h, s), (_, o))| {
                h != host && s == section && value(o, "primary_ssh_command").is_none()
            });
            if let Some((_, (_, popts))) = primary {
                let mine = value(opts, "compression").unwrap_or("none");
                let theirs = value(popts, "compression").unwrap_or("none");
                if mine != theirs {
                    l.err(a, None, format!("passive [{section}] compression `{mine}` differs from the primary's `{theirs}`: WAL sync refuses"), "use the primary Barman's compression");
                }
            }
            let guarded = crons_of(files, host).any(|c| c.contents.contains(guard::NAME));
            if !guarded && l.ctx.barman_version.is_none_or(|v| v <= (3, 19)) {
                l.err(a, None, format!("passive [{section}]: the first sync can leave sync-wals.info at position 0 and every later `barman cron` fails while `barman check` says OK"), "run the passive node's cron through drplan-passive-cron, and archive ≥ 2 WALs on the primary before the first sync");
            }
        }
        if value(opts, "post_backup_retry_script")
            .is_some_and(|v| v.contains("barman-cloud-backup"))
        {
            let bare = crons_of(files, host).any(|c| {
                c.contents.lines().any(|line| {
                    let w: Vec<&str> = line.split_whitespace().collect();
                    !line.starts_with('#')
                        && w.contains(&"backup")
                        && w.last() == Some(&section.as_str())
                        && !w.contains(&"--wait")
                })
            });
            if bare {
                l.err(a, None, format!("[{section}] uploads backups from post_backup_retry_script, but cron runs `barman backup` without --wait: the upload aborts with exit 63 and barman exits 0"), "schedule `barman backup --wait`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load_str;

    /// The geo layout without Patroni (its conf.d and pg_hba files are linted).
    fn geo() -> crate::model::Scenario {
        let ha = "    ha:\n      manager: patroni\n      dcs: [pg-1, pg-2, backup-1]\n      synchronous_mode: true\n";
        let text = include_str!("../../scenarios/geo.yaml");
        assert!(text.contains(ha));
        load_str(&text.replace(ha, ""), std::path::Path::new("geo.yaml")).unwrap()
    }

    fn files(s: &crate::model::Scenario) -> Vec<Artifact> {
        let ctx = ExportContext::new(s, None);
        super::super::export(&ctx).unwrap()
    }

    fn errors_after(edit: impl Fn(&mut Vec<Artifact>)) -> Vec<String> {
        let s = geo();
        let ctx = ExportContext::new(&s, None);
        let mut f = files(&s);
        edit(&mut f);
        lint(&ctx, &f)
            .into_iter()
            .filter(|x| x.severity == Severity::Error)
            .map(|x| x.to_string())
            .collect()
    }

    fn edit_file(f: &mut [Artifact], suffix: &str, from: &str, to: &str) {
        let a = f.iter_mut().find(|a| a.path.ends_with(suffix)).unwrap();
        assert!(a.contents.contains(from), "{} lacks {from}", a.path);
        a.contents = a.contents.replacen(from, to, 1);
    }

    #[test]
    fn the_bundled_export_is_clean() {
        assert!(errors_after(|_| {}).is_empty());
    }

    #[test]
    fn a_misspelt_option_is_caught_with_a_suggestion() {
        let e = errors_after(|f| {
            edit_file(
                f,
                "backup-1/etc/barman.d/main.conf",
                "retention_policy =",
                "retention_pollicy =",
            )
        });
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].contains("unknown option `retention_pollicy`")
                && e[0].contains("retention_policy"),
            "{e:?}"
        );
    }

    #[test]
    fn silent_failure_modes_are_errors() {
        let cases: &[(&str, &str, &str, &str)] = &[
            (
                "backup-1/etc/barman.d/main.conf",
                "compression = gzip",
                "compression = foo",
                "compression `foo`",
            ),
            (
                "backup-1/etc/barman.d/main.conf",
                "pre_archive_retry_script = /usr/local/sbin/drplan-cloud-wal-main",
                "post_archive_retry_script = barman-cloud-wal-archive --zstd s3://acme-pg-backups/main main",
                "blocks archiving",
            ),
            (
                "backup-1/etc/barman.d/main.conf",
                "pre_archive_retry_script = /usr/local/sbin/drplan-cloud-wal-main",
                "pre_archive_retry_script = barman-cloud-wal-archive --zstd s3://acme-pg-backups/main main",
                "stops local WAL archiving",
            ),
            (
                "backup-1/etc/barman.d/main.conf",
                "streaming_archiver = on",
                "streaming_archiver = on ; stream",
                "inline comment",
            ),
            (
                "backup-1/etc/barman.d/main.conf",
                "--gzip s3",
                "--zstd s3",
                "no --zstd",
            ),
            (
                "backup-1/etc/barman.d/main.conf",
                "/15/bin",
                "/14/bin",
                "path_prefix",
            ),
            (
                "backup-1/etc/barman.conf",
                "cloud_staging_directory",
                "; cloud_staging_directory",
                "cloud_staging_directory",
            ),
            (
                "backup-2/etc/barman.d/main.conf",
                "compression = gzip",
                "compression = zstd",
                "differs from the primary",
            ),
            (
                "backup-2/etc/cron.d/barman",
                "/usr/local/sbin/drplan-passive-cron",
                "barman cron",
                "position 0",
            ),
            (
                "backup-1/etc/cron.d/drplan-barman",
                "backup --wait --wait-timeout",
                "backup --wait-timeout",
                "without --wait",
            ),
            (
                "backup-1/etc/barman.d/main.conf",
                "user=barman",
                "user=barman password=hunter2",
                "secret",
            ),
            (
                "backup-1/etc/barman.d/main.conf",
                "s3://acme-pg-backups/main main",
                "s3://acme-pg-backups/main$(id) main",
                "not a plain command line",
            ),
            (
                "backup-1/etc/barman.d/main.conf",
                "user=barman",
                "user=barman sslmode=disable",
                "sslmode",
            ),
            (
                "backup-1/etc/cron.d/drplan-barman",
                "21600 main",
                "21600 main; id",
                "not a plain command line",
            ),
            (
                "pg-1/etc/postgresql/15/main/pg_hba.conf.drplan",
                "backup-1.par1.example.net",
                "all",
                "not one IP or host name",
            ),
        ];
        for (file, from, to, want) in cases {
            let e = errors_after(|f| edit_file(f, file, from, to));
            assert!(
                e.iter().any(|m| m.contains(want)),
                "{file}: {from} -> {to}: expected `{want}` in {e:?}"
            );
        }
    }

    #[test]
    fn a_server_file_not_ending_in_conf_is_an_error() {
        let e = errors_after(|f| {
            let a = f
                .iter_mut()
                .find(|a| a.path.ends_with("backup-1/etc/barman.d/main.conf"))
                .unwrap();
            a.target = "/etc/barman.d/main.cfg".into();
        });
        assert!(
            e.iter().any(|m| m.contains("does not end in `.conf`")),
            "{e:?}"
        );
    }
}

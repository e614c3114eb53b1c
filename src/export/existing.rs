//! Lint of configuration that is already deployed (`drplan lint PATH…`):
//! find `barman.conf`, the server files of `barman.d/` (or of the folder its
//! `configuration_files_directory` names), `cron.d/` entries and PostgreSQL
//! settings (`postgresql.conf`, `conf.d/*.conf`) under the given paths, give
//! each the place it has on its host, and run the export's lint on them plus
//! the checks only an existing estate needs: a server section spread over two
//! files (Barman silently merges them), a `configuration_files_directory`
//! that is not a folder (Barman ignores it with a log line), and PostgreSQL
//! settings that make Barman's archiving fail or never start.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::lint::{Finding, Settings, Severity, lint_files};
use super::{Artifact, ini};

/// How deep folders are searched (an export's `<host>/etc/postgresql/15/main/conf.d`).
const MAX_DEPTH: usize = 8;

/// A path that cannot be linted.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// Missing, unreadable or not text.
    #[error("cannot read {}: {reason}", path.display())]
    Unreadable {
        /// The path.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Nothing Barman or PostgreSQL would read was found under the paths.
    #[error("no barman.conf, barman.d/, cron.d/ or PostgreSQL configuration under {0}")]
    Nothing(String),
}

/// What a found file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Global,
    Server,
    Cron,
    Postgres,
}

/// One configuration file found on disk.
#[derive(Debug, Clone)]
struct Found {
    kind: Kind,
    path: PathBuf,
    /// The folder standing for its host (`…/etc`).
    root: PathBuf,
}

fn name_of(p: &Path) -> &str {
    p.file_name().and_then(|n| n.to_str()).unwrap_or_default()
}

fn parent_name(p: &Path) -> &str {
    p.parent().map(name_of).unwrap_or_default()
}

/// Classify a file by its name and folder; `explicit` files that fit no
/// rule are taken as server files (or global when they hold `[barman]`).
fn classify(p: &Path, explicit: bool, text: Option<&str>) -> Option<Kind> {
    let name = name_of(p);
    let parent = parent_name(p);
    if name == "postgresql.conf"
        || name == "postgresql.auto.conf"
        || (parent == "conf.d" && name.ends_with(".conf"))
    {
        Some(Kind::Postgres)
    } else if parent == "barman.d" {
        Some(Kind::Server)
    } else if parent == "cron.d" {
        Some(Kind::Cron)
    } else if name == "barman.conf" {
        Some(Kind::Global)
    } else if explicit {
        let t = text.unwrap_or_default();
        Some(if t.lines().any(|l| l.trim() == "[barman]") {
            Kind::Global
        } else {
            Kind::Server
        })
    } else {
        None
    }
}

/// The host folder of a file: the parent of `barman.d/`, `cron.d/`, the
/// PostgreSQL folder (`…/postgresql/15/main`), or the folder of `barman.conf`.
fn root_of(kind: Kind, p: &Path) -> PathBuf {
    let dir = p.parent().unwrap_or(Path::new("."));
    let up = |d: &Path| d.parent().unwrap_or(Path::new(".")).to_path_buf();
    match kind {
        Kind::Global => dir.to_path_buf(),
        Kind::Server | Kind::Cron => up(dir),
        Kind::Postgres => {
            let d = if name_of(dir) == "conf.d" {
                up(dir)
            } else {
                dir.to_path_buf()
            };
            // …/etc/postgresql/<major>/<cluster>
            let etc = d.ancestors().find(|a| name_of(a) == "postgresql");
            etc.map_or(d.clone(), up)
        }
    }
}

fn read(p: &Path) -> Result<String, InputError> {
    let bytes = std::fs::read(p).map_err(|e| InputError::Unreadable {
        path: p.to_path_buf(),
        reason: e.to_string(),
    })?;
    String::from_utf8(bytes).map_err(|e| InputError::Unreadable {
        path: p.to_path_buf(),
        reason: format!(
            "not UTF-8 text (byte {} is invalid)",
            e.utf8_error().valid_up_to()
        ),
    })
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), InputError> {
    let rd = std::fs::read_dir(dir).map_err(|e| InputError::Unreadable {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if depth < MAX_DEPTH && !name_of(&p).starts_with('.') {
                walk(&p, depth + 1, out)?;
            }
        } else if p.is_file() {
            out.push(p);
        }
    }
    Ok(())
}

/// Find the configuration files under `paths` (files or folders) and read them.
fn discover(paths: &[PathBuf]) -> Result<Vec<(Found, String)>, InputError> {
    let mut out: Vec<(Found, String)> = Vec::new();
    let mut push = |p: &Path, explicit: bool| -> Result<(), InputError> {
        if out.iter().any(|(f, _)| f.path == p) {
            return Ok(());
        }
        let Some(kind) = classify(p, false, None).or_else(|| explicit.then_some(Kind::Server))
        else {
            return Ok(());
        };
        let text = read(p)?;
        let kind = classify(p, explicit, Some(&text)).unwrap_or(kind);
        out.push((
            Found {
                kind,
                path: p.to_path_buf(),
                root: root_of(kind, p),
            },
            text,
        ));
        Ok(())
    };
    for p in paths {
        if p.is_dir() {
            let mut files = Vec::new();
            walk(p, 0, &mut files)?;
            for f in files {
                push(&f, false)?;
            }
        } else if p.exists() {
            push(p, true)?;
        } else {
            return Err(InputError::Unreadable {
                path: p.clone(),
                reason: "no such file or folder".into(),
            });
        }
    }
    // Server files in the folder barman.conf names, when it is not barman.d/.
    let globals: Vec<(PathBuf, String)> = out
        .iter()
        .filter(|(f, _)| f.kind == Kind::Global)
        .map(|(f, t)| (f.root.clone(), t.clone()))
        .collect();
    for (root, text) in globals {
        let Some(dir) = conf_dir_of(&text) else {
            continue;
        };
        let dir = Path::new(&dir);
        if dir.is_dir() && dir != root.join("barman.d") && !root.join("barman.d").is_dir() {
            let mut files = Vec::new();
            walk(dir, MAX_DEPTH, &mut files)?;
            for f in files {
                if out.iter().any(|(x, _)| x.path == f) {
                    continue;
                }
                let t = read(&f)?;
                out.push((
                    Found {
                        kind: Kind::Server,
                        path: f,
                        root: root.clone(),
                    },
                    t,
                ));
            }
        }
    }
    if out.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(InputError::Nothing(shown.join(", ")));
    }
    Ok(out)
}

fn conf_dir_of(global: &str) -> Option<String> {
    let (parsed, _) = ini::parse(global);
    parsed
        .into_iter()
        .find(|p| p.section == "barman" && p.key == "configuration_files_directory")
        .map(|p| p.value)
}

/// Lint the deployed configuration under `paths`. Findings come sorted by
/// file and line.
pub fn lint_paths(paths: &[PathBuf], settings: &Settings) -> Result<Vec<Finding>, InputError> {
    let found = discover(paths)?;
    let mut files = Vec::new();
    for (f, text) in &found {
        let name = name_of(&f.path);
        let target = match f.kind {
            Kind::Global => settings.barman_conf.clone(),
            Kind::Server => format!("{}/{name}", settings.conf_dir),
            Kind::Cron => format!("/etc/cron.d/{name}"),
            Kind::Postgres => format!("/etc/postgresql/{name}"),
        };
        files.push(Artifact {
            path: f.path.display().to_string(),
            host: f.root.display().to_string(),
            target,
            purpose: String::new(),
            contents: text.clone(),
            executable: false,
        });
    }
    let mut findings = lint_files(settings, &files);
    let mut pg: BTreeMap<&Path, Vec<(String, &str)>> = BTreeMap::new();
    for (f, text) in &found {
        let path = f.path.display().to_string();
        match f.kind {
            Kind::Global => conf_dir_check(&path, f, text, &mut findings),
            Kind::Postgres => pg.entry(&f.root).or_default().push((path, text)),
            _ => {}
        }
    }
    for files in pg.values() {
        super::existing_pg::check(files, &mut findings);
    }
    split_sections(&found, &mut findings);
    findings.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    findings.dedup();
    Ok(findings)
}

fn conf_dir_check(path: &str, f: &Found, text: &str, out: &mut Vec<Finding>) {
    let (parsed, _) = ini::parse(text);
    let Some(o) = parsed
        .iter()
        .find(|p| p.section == "barman" && p.key == "configuration_files_directory")
    else {
        return;
    };
    let dir = Path::new(&o.value);
    // Only meaningful on the host itself: a copy keeps its files in barman.d/.
    if !dir.is_dir() && !f.root.join("barman.d").is_dir() {
        out.push(Finding {
            severity: Severity::Error,
            path: path.to_string(),
            line: Some(o.line),
            message: format!(
                "configuration_files_directory `{}` is not a folder: Barman ignores it and loads no server file",
                o.value
            ),
            hint: "point it at the folder holding the <server>.conf files (Debian: /etc/barman.d)"
                .into(),
        });
    }
}

/// A server section defined in two server files of one host: Barman reads
/// them in name order and silently lets the later file's options win.
fn split_sections(found: &[(Found, String)], out: &mut Vec<Finding>) {
    let mut seen: BTreeMap<(PathBuf, String), (String, usize)> = BTreeMap::new();
    for (f, text) in found
        .iter()
        .filter(|(f, _)| f.kind == Kind::Server && name_of(&f.path).ends_with(".conf"))
    {
        for (i, line) in text.lines().enumerate() {
            let Some(name) = line
                .trim()
                .strip_prefix('[')
                .and_then(|l| l.strip_suffix(']'))
            else {
                continue;
            };
            let key = (f.root.clone(), name.trim().to_string());
            let here = f.path.display().to_string();
            match seen.get(&key) {
                Some((first, first_line)) if *first != here => out.push(Finding {
                    severity: Severity::Error,
                    path: here,
                    line: Some(i + 1),
                    message: format!(
                        "[{}] is also defined in {first}:{first_line}: Barman merges the two and the later file's options silently win",
                        key.1
                    ),
                    hint: "keep each server in one <server>.conf".into(),
                }),
                Some(_) => {}
                None => {
                    seen.insert(key, (here, i + 1));
                }
            }
        }
    }
}

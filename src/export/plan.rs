//! Writing an export like `terraform plan`/`apply`: compare what would be
//! written with what is in the output folder and with what the previous
//! export wrote (content hashes in `.drplan-export.json`), refuse to
//! overwrite a file edited since unless forced, write each file atomically,
//! remove files an earlier export wrote that are no longer produced (only if
//! untouched), and record the new hashes last.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::Artifact;
use crate::atomic::{write_atomic, write_atomic_mode};

/// Name of the record of the last export, in the output folder.
pub const MANIFEST: &str = ".drplan-export.json";

/// What happens to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// New file.
    Create,
    /// Changes a file the last export wrote and nobody edited since.
    Update,
    /// Already as it should be.
    Unchanged,
    /// Differs from what the last export wrote (edited by hand, or not
    /// ours): overwritten only with `--force`.
    Conflict,
    /// Written by an earlier export, no longer produced, untouched: removed.
    Remove,
    /// Written by an earlier export, no longer produced, but edited since: kept.
    KeepEdited,
}

/// One line of the plan.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Step {
    /// Path under the output folder.
    pub path: String,
    /// What happens.
    pub action: Action,
    /// Unified diff (for updates and conflicts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// The whole plan.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Plan {
    /// Every file, sorted by path.
    pub steps: Vec<Step>,
}

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Manifest {
    scenario: String,
    files: BTreeMap<String, String>,
}

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Files were edited since the last export.
    #[error("{} file(s) differ from what the last export wrote: {}", .0.len(), .0.join(", "))]
    Conflicts(Vec<String>),
}

fn hash(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn read_opt(path: &Path) -> Result<Option<Vec<u8>>, WriteError> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(path)(e)),
    }
}

fn read_manifest(dir: &Path) -> Result<Manifest, WriteError> {
    let p = dir.join(MANIFEST);
    Ok(read_opt(&p)?
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default())
}

fn diff(old: &[u8], new: &str, path: &str) -> String {
    let old = String::from_utf8_lossy(old);
    similar::TextDiff::from_lines(old.as_ref(), new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("{path} (on disk)"), &format!("{path} (export)"))
        .to_string()
}

/// Compare the export with the output folder.
pub fn plan(dir: &Path, files: &[Artifact]) -> Result<Plan, WriteError> {
    let manifest = read_manifest(dir)?;
    let mut steps = Vec::new();
    for a in files {
        let p = dir.join(&a.path);
        let step = match read_opt(&p)? {
            None => Step {
                path: a.path.clone(),
                action: Action::Create,
                diff: None,
            },
            Some(cur) if cur == a.contents.as_bytes() => Step {
                path: a.path.clone(),
                action: Action::Unchanged,
                diff: None,
            },
            Some(cur) => {
                let ours = manifest.files.get(&a.path) == Some(&hash(&cur));
                Step {
                    path: a.path.clone(),
                    action: if ours {
                        Action::Update
                    } else {
                        Action::Conflict
                    },
                    diff: Some(diff(&cur, &a.contents, &a.path)),
                }
            }
        };
        steps.push(step);
    }
    for (path, h) in &manifest.files {
        if files.iter().any(|a| &a.path == path) {
            continue;
        }
        if let Some(cur) = read_opt(&dir.join(path))? {
            steps.push(Step {
                path: path.clone(),
                action: if &hash(&cur) == h {
                    Action::Remove
                } else {
                    Action::KeepEdited
                },
                diff: None,
            });
        }
    }
    steps.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Plan { steps })
}

impl Plan {
    /// Paths that would need `--force`.
    pub fn conflicts(&self) -> Vec<String> {
        self.steps
            .iter()
            .filter(|s| s.action == Action::Conflict)
            .map(|s| s.path.clone())
            .collect()
    }
    /// Whether applying would change anything.
    pub fn changes_anything(&self) -> bool {
        self.steps
            .iter()
            .any(|s| !matches!(s.action, Action::Unchanged | Action::KeepEdited))
    }
}

/// Apply a plan made by [`plan`] for the same files. Nothing is written when
/// there are conflicts and `force` is false.
pub fn apply(
    dir: &Path,
    scenario: &str,
    files: &[Artifact],
    plan: &Plan,
    force: bool,
) -> Result<(), WriteError> {
    let conflicts = plan.conflicts();
    if !conflicts.is_empty() && !force {
        return Err(WriteError::Conflicts(conflicts));
    }
    let mut manifest = Manifest {
        scenario: scenario.to_string(),
        files: BTreeMap::new(),
    };
    let actions: BTreeMap<&str, Action> = plan
        .steps
        .iter()
        .map(|s| (s.path.as_str(), s.action))
        .collect();
    for a in files {
        let p = dir.join(&a.path);
        if actions.get(a.path.as_str()) != Some(&Action::Unchanged) {
            let mode = if a.executable { 0o755 } else { 0o644 };
            write_atomic_mode(&p, a.contents.as_bytes(), mode).map_err(io(&p))?;
        }
        manifest
            .files
            .insert(a.path.clone(), hash(a.contents.as_bytes()));
    }
    for s in plan.steps.iter().filter(|s| s.action == Action::Remove) {
        let p = dir.join(&s.path);
        std::fs::remove_file(&p).map_err(io(&p))?;
    }
    let json = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    let mp = dir.join(MANIFEST);
    write_atomic(&mp, format!("{json}\n").as_bytes()).map_err(io(&mp))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> Artifact {
        Artifact {
            path: path.into(),
            host: String::new(),
            target: String::new(),
            purpose: String::new(),
            contents: contents.into(),
            executable: path.ends_with(".sh"),
        }
    }

    fn actions(p: &Plan) -> Vec<(String, Action)> {
        p.steps.iter().map(|s| (s.path.clone(), s.action)).collect()
    }

    fn sorted(mut v: Vec<Artifact>) -> Vec<Artifact> {
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v
    }

    #[test]
    fn create_update_conflict_force_and_remove() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let v1 = sorted(vec![
            file("h/a.conf", "one\n"),
            file("h/run.sh", "#!/bin/sh\n"),
            file("h/old", "x\n"),
        ]);
        let p = plan(d, &v1).unwrap();
        assert!(p.steps.iter().all(|s| s.action == Action::Create));
        apply(d, "t", &v1, &p, false).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(d.join("h/run.sh"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o755);
        }

        // Same export again: nothing to do.
        let p = plan(d, &v1).unwrap();
        assert!(!p.changes_anything());

        // A changed export updates untouched files and removes dropped ones.
        let v2 = sorted(vec![
            file("h/a.conf", "two\n"),
            file("h/run.sh", "#!/bin/sh\n"),
        ]);
        let p = plan(d, &v2).unwrap();
        assert_eq!(
            actions(&p),
            vec![
                ("h/a.conf".into(), Action::Update),
                ("h/old".into(), Action::Remove),
                ("h/run.sh".into(), Action::Unchanged)
            ]
        );
        assert!(p.steps[0].diff.as_deref().unwrap().contains("-one\n+two"));
        apply(d, "t", &v2, &p, false).unwrap();
        assert!(!d.join("h/old").exists());
        assert_eq!(
            std::fs::read_to_string(d.join("h/a.conf")).unwrap(),
            "two\n"
        );

        // A hand edit is a conflict: refused without --force, nothing written.
        std::fs::write(d.join("h/a.conf"), "edited\n").unwrap();
        let v3 = sorted(vec![
            file("h/a.conf", "three\n"),
            file("h/run.sh", "#!/bin/sh\necho\n"),
        ]);
        let p = plan(d, &v3).unwrap();
        assert_eq!(p.conflicts(), vec!["h/a.conf".to_string()]);
        let err = apply(d, "t", &v3, &p, false).unwrap_err();
        assert!(matches!(err, WriteError::Conflicts(_)));
        assert_eq!(
            std::fs::read_to_string(d.join("h/a.conf")).unwrap(),
            "edited\n"
        );
        assert_eq!(
            std::fs::read_to_string(d.join("h/run.sh")).unwrap(),
            "#!/bin/sh\n"
        );
        apply(d, "t", &v3, &p, true).unwrap();
        assert_eq!(
            std::fs::read_to_string(d.join("h/a.conf")).unwrap(),
            "three\n"
        );
    }
}

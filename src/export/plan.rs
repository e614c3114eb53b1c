//! Writing an export like `terraform plan`/`apply`: compare what would be
//! written with what is in the output folder and with what the previous
//! export wrote (content hashes in `.drplan-export.json`), refuse to
//! overwrite a file edited since unless forced, write each file atomically,
//! remove files an earlier export wrote that are no longer produced (only if
//! untouched). The manifest is a journal: before any file changes it records
//! the hashes about to be written as `pending`, and only after the last one
//! it records them as written, so a run killed at any point leaves every file
//! either as the last export or as the interrupted one wrote it — both
//! recognised as drplan's own by the next run. Every path stays inside the
//! output folder ([`super::confine`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::Artifact;
use super::confine::{self, WriteFail};

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

#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
struct Manifest {
    scenario: String,
    files: BTreeMap<String, String>,
    /// Hashes of a run that started writing and may not have finished.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pending: BTreeMap<String, String>,
}

impl Manifest {
    /// Whether `h` is what the last finished or the interrupted run wrote at `path`.
    fn ours(&self, path: &str, h: &str) -> bool {
        self.files.get(path).is_some_and(|x| x == h)
            || self.pending.get(path).is_some_and(|x| x == h)
    }
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
    /// A path would leave the output folder or go through a symbolic link.
    #[error("{path} {reason}")]
    Unsafe {
        /// The path, relative to the output folder.
        path: String,
        /// Why it is refused.
        reason: String,
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

impl From<WriteFail> for WriteError {
    fn from(e: WriteFail) -> Self {
        match e {
            WriteFail::Refused(r) => Self::Unsafe {
                path: r.path,
                reason: r.reason,
            },
            WriteFail::Io(path, source) => Self::Io { path, source },
        }
    }
}

/// Read `dir/rel` (None when absent) without following links below `dir`.
fn read_in(dir: &Path, rel: &str) -> Result<Option<Vec<u8>>, WriteError> {
    let p = confine::resolve(dir, rel).map_err(WriteFail::Refused)?;
    read_opt(&p)
}

fn read_opt(path: &Path) -> Result<Option<Vec<u8>>, WriteError> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(path)(e)),
    }
}

fn read_manifest(dir: &Path) -> Result<Manifest, WriteError> {
    let m: Manifest = read_in(dir, MANIFEST)?
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    if let Some(bad) = m
        .files
        .keys()
        .chain(m.pending.keys())
        .find(|k| !confine::is_plain_relative(k))
    {
        return Err(WriteError::Unsafe {
            path: format!("{MANIFEST}: entry `{}`", bad.escape_default()),
            reason: "points outside the output folder; drplan never writes or deletes there (remove the entry, or the manifest, by hand)".into(),
        });
    }
    Ok(m)
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
        let step = match read_in(dir, &a.path)? {
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
                let ours = manifest.ours(&a.path, &hash(&cur));
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
    let earlier: std::collections::BTreeSet<&String> = manifest
        .files
        .keys()
        .chain(manifest.pending.keys())
        .collect();
    for path in earlier {
        if files.iter().any(|a| &a.path == path) {
            continue;
        }
        if let Some(cur) = read_in(dir, path)? {
            steps.push(Step {
                path: path.clone(),
                action: if manifest.ours(path, &hash(&cur)) {
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
    let previous = read_manifest(dir)?;
    confine::clean_strays(
        dir,
        files
            .iter()
            .map(|a| a.path.as_str())
            .chain(previous.files.keys().map(String::as_str)),
    )?;
    let mut manifest = Manifest {
        scenario: scenario.to_string(),
        files: BTreeMap::new(),
        pending: BTreeMap::new(),
    };
    let new_hashes: BTreeMap<String, String> = files
        .iter()
        .map(|a| (a.path.clone(), hash(a.contents.as_bytes())))
        .collect();
    // The journal: what is about to be written, before anything is.
    let mut journal = previous.clone();
    journal.scenario = scenario.to_string();
    journal.pending.extend(new_hashes.clone());
    write_manifest(dir, &journal)?;
    let actions: BTreeMap<&str, Action> = plan
        .steps
        .iter()
        .map(|s| (s.path.as_str(), s.action))
        .collect();
    for a in files {
        if actions.get(a.path.as_str()) != Some(&Action::Unchanged) {
            let mode = if a.executable { 0o755 } else { 0o644 };
            confine::write(dir, &a.path, a.contents.as_bytes(), mode)?;
        }
    }
    manifest.files = new_hashes;
    for s in plan.steps.iter().filter(|s| s.action == Action::Remove) {
        confine::remove(dir, &s.path)?;
    }
    write_manifest(dir, &manifest)?;
    // The staging folder is empty now: leave the output folder as exported.
    let _ = std::fs::remove_dir(dir.join(confine::STAGING));
    Ok(())
}

fn write_manifest(dir: &Path, m: &Manifest) -> Result<(), WriteError> {
    let json = serde_json::to_string_pretty(m).unwrap_or_default();
    confine::write(dir, MANIFEST, format!("{json}\n").as_bytes(), 0o644)?;
    Ok(())
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

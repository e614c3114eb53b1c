//! Keeping every write of an export inside `--out`: paths are relative and
//! made only of plain components (no `..`, no absolute path, whatever the
//! manifest says), no symbolic link is followed below the output folder, and
//! temporary files live in one staging folder (`.drplan-tmp/`), never beside
//! a file that cron or a service would read (`cron.d/`, `sbin/`), and are
//! removed by the next run if a crash left them.

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

/// Staging folder for temporary files, in the output folder.
pub const STAGING: &str = ".drplan-tmp";

/// Why a path is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The path as given (relative to the output folder).
    pub path: String,
    /// What is wrong with it.
    pub reason: String,
}

/// Whether `rel` is a plain relative path: non-empty, only normal components.
pub fn is_plain_relative(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains('\0')
        && !rel.contains('\\')
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        && !rel
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
}

/// `dir/rel` after checking that `rel` is plain and that no existing
/// component of it below `dir` is a symbolic link (the final file included).
pub fn resolve(dir: &Path, rel: &str) -> Result<PathBuf, Refused> {
    if !is_plain_relative(rel) {
        return Err(Refused {
            path: rel.to_string(),
            reason: "is not a plain path inside the output folder (absolute, `..`, or empty parts)"
                .into(),
        });
    }
    let mut p = dir.to_path_buf();
    for part in rel.split('/') {
        p.push(part);
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(Refused {
                    path: rel.to_string(),
                    reason: format!(
                        "goes through the symbolic link {}: drplan never follows links in the output folder",
                        p.display()
                    ),
                });
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(dir.join(rel))
}

/// Write `bytes` to `dir/rel` atomically (staged in [`STAGING`], fsync,
/// rename), creating missing folders; `rel` must pass [`resolve`].
pub fn write(dir: &Path, rel: &str, bytes: &[u8], mode: u32) -> Result<(), WriteFail> {
    let target = resolve(dir, rel).map_err(WriteFail::Refused)?;
    let staging = dir.join(STAGING);
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |e| WriteFail::Io(p, e)
    };
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    // A folder created just now could have been swapped for a link: check again.
    let target = resolve(dir, rel).map_err(WriteFail::Refused)?;
    std::fs::create_dir_all(&staging).map_err(io(&staging))?;
    let mut tmp = tempfile::Builder::new()
        .prefix("export-")
        .tempfile_in(&staging)
        .map_err(io(&staging))?;
    tmp.write_all(bytes).map_err(io(&target))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(io(&target))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    tmp.as_file().sync_all().map_err(io(&target))?;
    tmp.persist(&target)
        .map_err(|e| WriteFail::Io(target.clone(), e.error))?;
    Ok(())
}

/// Remove `dir/rel` (a file); `rel` must pass [`resolve`].
pub fn remove(dir: &Path, rel: &str) -> Result<(), WriteFail> {
    let p = resolve(dir, rel).map_err(WriteFail::Refused)?;
    std::fs::remove_file(&p).map_err(|e| WriteFail::Io(p, e))
}

/// Remove what an interrupted run left: the staging folder, and temporary
/// files of older drplan versions (`.tmpXXXXXX`) in the folders that hold
/// exported files.
pub fn clean_strays<'a>(
    dir: &Path,
    files: impl IntoIterator<Item = &'a str>,
) -> Result<(), WriteFail> {
    let staging = dir.join(STAGING);
    match std::fs::symlink_metadata(&staging) {
        Ok(m) if m.is_dir() => {
            std::fs::remove_dir_all(&staging).map_err(|e| WriteFail::Io(staging.clone(), e))?
        }
        Ok(_) => std::fs::remove_file(&staging).map_err(|e| WriteFail::Io(staging.clone(), e))?,
        Err(_) => {}
    }
    let mut folders: Vec<PathBuf> = vec![dir.to_path_buf()];
    for rel in files {
        let Ok(p) = resolve(dir, rel) else { continue };
        if let Some(parent) = p.parent()
            && !folders.iter().any(|f| f == parent)
        {
            folders.push(parent.to_path_buf());
        }
    }
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            let stray = name.len() == 10
                && name.starts_with(".tmp")
                && e.file_type().is_ok_and(|t| t.is_file());
            if stray {
                let p = e.path();
                std::fs::remove_file(&p).map_err(|err| WriteFail::Io(p, err))?;
            }
        }
    }
    Ok(())
}

/// Why a write failed.
#[derive(Debug)]
pub enum WriteFail {
    /// The path is not allowed.
    Refused(Refused),
    /// The file system said no.
    Io(PathBuf, std::io::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths() {
        for ok in ["README.md", "h/etc/cron.d/drplan-barman"] {
            assert!(is_plain_relative(ok), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "h/../../x",
            "h//x",
            "./x",
            "h/.",
            "a\\b",
        ] {
            assert!(!is_plain_relative(bad), "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_are_not_followed_and_temps_are_staged() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        let outside = root.path().join("outside");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("h")).unwrap();
        assert!(matches!(
            write(&out, "h/etc/x.conf", b"x", 0o644),
            Err(WriteFail::Refused(_))
        ));
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
        write(&out, "g/etc/x.conf", b"x", 0o644).unwrap();
        assert_eq!(std::fs::read(out.join("g/etc/x.conf")).unwrap(), b"x");
        std::fs::write(out.join("g/etc/.tmpAbC123"), b"stale").unwrap();
        std::fs::create_dir_all(out.join(STAGING)).unwrap();
        std::fs::write(out.join(STAGING).join("export-x"), b"stale").unwrap();
        clean_strays(&out, ["g/etc/x.conf"]).unwrap();
        assert!(!out.join("g/etc/.tmpAbC123").exists());
        assert!(!out.join(STAGING).exists());
        assert!(out.join("g/etc/x.conf").exists());
    }
}

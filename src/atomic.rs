//! Atomic file output: a file is either fully written or untouched, never
//! half-written (temporary file in the same folder, fsync, then rename).
//! Temporary files are named `.drplan-tmp-<pid>-…`; one whose process no
//! longer runs (killed mid-write) is removed by the next write to that folder.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, SystemTime};

use tempfile::NamedTempFile;

/// How drplan's temporary files start.
const PREFIX: &str = ".drplan-tmp-";

/// Where `/proc` is not available, a temporary file this old is stale.
const STALE_AFTER: Duration = Duration::from_secs(3600);

/// Whether the temporary file `name` was left by a process that is gone.
fn is_stale(name: &str, modified: Option<SystemTime>) -> bool {
    let Some(pid) = name
        .strip_prefix(PREFIX)
        .and_then(|r| r.split('-').next())
        .and_then(|p| p.parse::<u32>().ok())
    else {
        return false;
    };
    if pid == std::process::id() {
        return false;
    }
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return !proc.join(pid.to_string()).exists();
    }
    modified
        .and_then(|m| m.elapsed().ok())
        .is_some_and(|age| age > STALE_AFTER)
}

/// Remove the temporary files killed drplan runs left in `dir`; returns
/// how many. Only plain files named like ours are touched.
pub fn remove_stale_temps(dir: &Path) -> std::io::Result<usize> {
    let mut n = 0;
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let Ok(name) = e.file_name().into_string() else {
            continue;
        };
        let meta = e.metadata()?;
        if meta.file_type().is_file() && is_stale(&name, meta.modified().ok()) {
            std::fs::remove_file(e.path())?;
            n += 1;
        }
    }
    Ok(n)
}

fn temp_beside(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<NamedTempFile> {
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d,
        None => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    // Best effort: a folder we cannot list is still one we may write to.
    let _ = remove_stale_temps(dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!("{PREFIX}{}-", std::process::id()))
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    // Temporary files are created 0600; outputs are ordinary files (0644)
    // or scripts (0755).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// Write `bytes` to `path` atomically, replacing any existing file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_mode(path, bytes, 0o644)
}

/// Write `bytes` to `path` atomically with Unix permissions `mode`.
pub fn write_atomic_mode(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    temp_beside(path, bytes, mode)?
        .persist(path)
        .map_err(|e| e.error)?;
    Ok(())
}

/// Write `bytes` to a new file at `path` atomically; fails if `path` exists.
pub fn write_new_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    temp_beside(path, bytes, 0o644)?
        .persist_noclobber(path)
        .map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_refuses_to_clobber() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/out.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o644
            );
        }
        let err = write_new_atomic(&p, b"three").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let leftovers = std::fs::read_dir(p.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }

    #[test]
    fn a_killed_writers_temp_is_removed_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        // A process that has exited: its pid names a stale file.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let gone = child.id();
        child.wait().unwrap();
        let stale = dir.path().join(format!("{PREFIX}{gone}-abc123"));
        std::fs::write(&stale, b"half").unwrap();
        // Ours (this process) and someone else's file are kept.
        let live = dir
            .path()
            .join(format!("{PREFIX}{}-live", std::process::id()));
        std::fs::write(&live, b"in progress").unwrap();
        let other = dir.path().join(".tmpXYZ");
        std::fs::write(&other, b"not ours").unwrap();
        write_atomic(&dir.path().join("report.html"), b"ok").unwrap();
        assert!(!stale.exists(), "the dead process's temp is removed");
        assert!(live.exists() && other.exists());
        assert_eq!(
            std::fs::read(dir.path().join("report.html")).unwrap(),
            b"ok"
        );
    }
}

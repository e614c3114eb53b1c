//! Atomic file output: a file is either fully written or untouched, never
//! half-written (temporary file in the same folder, fsync, then rename).

use std::io::Write;
use std::path::Path;

use tempfile::NamedTempFile;

fn temp_beside(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<NamedTempFile> {
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d,
        None => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut tmp = NamedTempFile::new_in(dir)?;
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
}

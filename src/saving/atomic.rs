//! Atomic file replacement: write a temporary file beside the target, flush and fsync
//! it, rename it over the target, fsync the directory. A rename within one directory is
//! atomic, so a reader (or a crash) sees the old file or the new one, never half of one.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::SaveError;

/// Replaces the file at `path` with `bytes`, atomically.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_atomic_with(path, bytes, |file, bytes| file.write_all(bytes))
}

/// `write_atomic`, with the write itself done by `write` (a test injects one that
/// fails after N bytes). On any error the temporary file is removed and the target is
/// left as it was.
pub(crate) fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    write: impl FnOnce(&mut File, &[u8]) -> io::Result<()>,
) -> Result<(), SaveError> {
    let io_error = |source| SaveError::Io {
        path: path.display().to_string(),
        source,
    };
    let tmp = temporary_path(path).map_err(io_error)?;
    let result = (|| {
        let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        write(&mut file, bytes)?;
        file.flush()?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(io_error(e));
    }
    sync_directory(&tmp);
    Ok(())
}

/// `dir/.name.tmp-<pid>-<n>`: in the target's directory (a rename across file systems
/// is not atomic), unique per process and call.
fn temporary_path(path: &Path) -> io::Result<PathBuf> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path names no file: give a file name such as model.safetensors",
        )
    })?;
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = format!(".{}.tmp-{}-{n}", name.to_string_lossy(), std::process::id());
    Ok(path.with_file_name(tmp))
}

/// Makes the rename durable: fsync the directory that holds the file (Unix; elsewhere,
/// and where the file system refuses, the rename is still atomic, only maybe not yet on
/// disk).
fn sync_directory(file_in_dir: &Path) {
    let dir = match file_in_dir.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if cfg!(unix) {
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("annlab-atomic-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("temp dir");
        dir.join(name)
    }

    fn leftovers(path: &Path) -> Vec<String> {
        let name = path
            .file_name()
            .expect("file")
            .to_string_lossy()
            .to_string();
        fs::read_dir(path.parent().expect("dir"))
            .expect("lists")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with(&format!(".{name}.tmp")))
            .collect()
    }

    #[test]
    fn a_write_that_fails_half_way_leaves_the_old_file_and_no_temporary() {
        let path = scratch("half.bin");
        write_atomic(&path, b"old contents").expect("first write");
        for n in [0, 1, 5, 11] {
            let err = write_atomic_with(&path, b"new contents, longer", |f, b| {
                f.write_all(&b[..n])?;
                Err(io::Error::other("disk full"))
            })
            .expect_err("the writer fails");
            assert!(err.to_string().contains("disk full"), "{err}");
            assert!(err.to_string().contains("left as it was"), "{err}");
            assert_eq!(fs::read(&path).expect("still there"), b"old contents");
            assert!(leftovers(&path).is_empty(), "{:?}", leftovers(&path));
        }
        write_atomic(&path, b"new").expect("a later write succeeds");
        assert_eq!(fs::read(&path).expect("replaced"), b"new");
    }

    #[test]
    fn a_path_without_a_file_name_is_an_error() {
        let err = write_atomic(Path::new("/"), b"x").expect_err("no file name");
        assert!(err.to_string().contains("file name"), "{err}");
    }
}

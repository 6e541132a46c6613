//! Writers: one file per output format. Every file is written atomically:
//! to a temporary name in the output folder, then renamed over the target.

pub mod csv;
pub mod html;
pub mod json;
pub mod sqlite;
pub mod tables;
pub mod xlsx;

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {message}")]
    Format { path: PathBuf, message: String },
}

/// Write `path` atomically: `produce` writes the whole content to the
/// temporary path it is given; only when it succeeds is the file renamed
/// into place, so a crash never leaves a half-written file at `path`.
pub fn atomic_write<F>(path: &Path, produce: F) -> Result<(), WriteError>
where
    F: FnOnce(&Path) -> Result<(), WriteError>,
{
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let result = produce(&tmp).and_then(|()| {
        std::fs::rename(&tmp, path).map_err(|source| WriteError::Io {
            path: path.to_path_buf(),
            source,
        })
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Atomic write of bytes already in memory.
pub fn atomic_write_bytes(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    atomic_write(path, |tmp| {
        std::fs::write(tmp, bytes).map_err(|source| WriteError::Io {
            path: path.to_path_buf(),
            source,
        })
    })
}

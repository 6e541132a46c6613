//! Writers: one file per output format. Every file is written atomically:
//! to a temporary name in the output folder, then renamed over the target.

pub mod csv;
pub mod datapackage;
pub mod html;
pub mod json;
pub mod sqlite;
pub mod tables;
pub mod xlsx;
pub mod zh;

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

/// Which output files to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub json: bool,
    pub csv: bool,
    pub xlsx: bool,
    pub sqlite: bool,
    pub html: bool,
}

impl Formats {
    pub const ALL: Formats = Formats {
        json: true,
        csv: true,
        xlsx: true,
        sqlite: true,
        html: true,
    };
    pub const NAMES: &'static str = "json,csv,xlsx,sqlite,html";

    /// `json,csv` → Formats; the unknown name on error.
    pub fn parse(list: &str) -> Result<Formats, String> {
        let mut f = Formats {
            json: false,
            csv: false,
            xlsx: false,
            sqlite: false,
            html: false,
        };
        for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match name {
                "json" => f.json = true,
                "csv" => f.csv = true,
                "xlsx" => f.xlsx = true,
                "sqlite" => f.sqlite = true,
                "html" => f.html = true,
                other => return Err(other.to_string()),
            }
        }
        Ok(f)
    }
}

/// Write the chosen outputs into `dir` (created if missing).
pub fn write_all(
    cat: &crate::catalog::Catalog,
    dir: &Path,
    formats: Formats,
) -> Result<(), WriteError> {
    std::fs::create_dir_all(dir).map_err(|source| WriteError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    if formats.json {
        json::write(cat, &dir.join("catalog.json"))?;
    }
    if formats.csv {
        csv::write(&tables::tables(cat), dir)?;
    }
    if formats.xlsx {
        xlsx::write(cat, &dir.join("catalog.xlsx"))?;
    }
    if formats.sqlite {
        sqlite::write(cat, &dir.join("catalog.sqlite"))?;
    }
    if formats.html {
        html::write(cat, &dir.join("report.html"))?;
    }
    Ok(())
}

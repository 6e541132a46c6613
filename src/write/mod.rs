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

use crate::catalog::Catalog;
use crate::store::{Head, Part};
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
    #[error("output folder {path} is in use by another riskflow run")]
    Busy { path: PathBuf },
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// A catalog as the writers read it: its head (summary, texts) and its
/// parts, one per source, in catalog order, read afresh on every call to
/// `each` so that writers stream it side by side and none holds it whole.
pub trait PartSource: Sync {
    fn head(&self) -> &Head;
    fn each(&self, f: &mut dyn FnMut(&Part) -> Result<(), WriteError>) -> Result<(), WriteError>;
    /// The parts in runs of several, in order, for a writer that works on
    /// a run at once (see `Store::each_run`).
    /// By default one part per run.
    fn each_run(
        &self,
        f: &mut dyn FnMut(&[Part]) -> Result<(), WriteError>,
    ) -> Result<(), WriteError> {
        self.each(&mut |part| f(std::slice::from_ref(part)))
    }
}

impl PartSource for crate::store::Store {
    fn head(&self) -> &Head {
        &self.head
    }
    fn each(&self, f: &mut dyn FnMut(&Part) -> Result<(), WriteError>) -> Result<(), WriteError> {
        crate::store::Store::each(self, f)
    }
    fn each_run(
        &self,
        f: &mut dyn FnMut(&[Part]) -> Result<(), WriteError>,
    ) -> Result<(), WriteError> {
        crate::store::Store::each_run(self, crate::store::RUN_WEIGHT, f)
    }
}

/// An in-memory catalog as parts: each source with its charts and findings,
/// when the catalog lists them in source order (riskflow's catalogs do);
/// else, a hand-made catalog, one part holding everything. Either way the
/// parts put together are the catalog itself, so an output is the same
/// from the catalog as from the run's store.
pub struct CatalogParts<'a> {
    cat: &'a Catalog,
    head: Head,
    /// Per part: its sources, charts and findings, as index ranges.
    groups: Vec<[std::ops::Range<usize>; 3]>,
}

impl<'a> CatalogParts<'a> {
    pub fn new(cat: &'a Catalog) -> CatalogParts<'a> {
        CatalogParts {
            cat,
            head: Head {
                schema: cat.schema.clone(),
                generator: cat.generator.clone(),
                rules_digest: cat.rules_digest.clone(),
                summary: cat.summary.clone(),
                texts: cat.texts.clone(),
            },
            groups: by_source(cat).unwrap_or_else(|| {
                vec![[
                    0..cat.sources.len(),
                    0..cat.charts.len(),
                    0..cat.findings.len(),
                ]]
            }),
        }
    }
}

/// The catalog cut into runs of one source each, if its charts and
/// findings are in the order of its sources and name only listed sources.
fn by_source(cat: &Catalog) -> Option<Vec<[std::ops::Range<usize>; 3]>> {
    let (mut c, mut f) = (0, 0);
    let mut groups = Vec::with_capacity(cat.sources.len());
    for (i, s) in cat.sources.iter().enumerate() {
        let (c0, f0) = (c, f);
        while cat.charts.get(c).is_some_and(|x| x.source == s.id) {
            c += 1;
        }
        while cat.findings.get(f).is_some_and(|x| x.source == s.id) {
            f += 1;
        }
        groups.push([i..i + 1, c0..c, f0..f]);
    }
    (c == cat.charts.len() && f == cat.findings.len()).then_some(groups)
}

impl PartSource for CatalogParts<'_> {
    fn head(&self) -> &Head {
        &self.head
    }
    fn each(&self, f: &mut dyn FnMut(&Part) -> Result<(), WriteError>) -> Result<(), WriteError> {
        for [s, c, fs] in &self.groups {
            f(&Part {
                sources: self.cat.sources[s.clone()].to_vec(),
                charts: self.cat.charts[c.clone()].to_vec(),
                findings: self.cat.findings[fs.clone()].to_vec(),
            })?;
        }
        Ok(())
    }
}

/// A buffered file at `path` for a writer to stream into.
pub(crate) fn create(path: &Path) -> Result<std::io::BufWriter<std::fs::File>, WriteError> {
    std::fs::File::create(path)
        .map(|f| std::io::BufWriter::with_capacity(1 << 20, f))
        .map_err(|source| WriteError::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// Flush and close what [`create`] opened.
pub(crate) fn close(w: std::io::BufWriter<std::fs::File>, path: &Path) -> Result<(), WriteError> {
    w.into_inner()
        .map_err(|e| e.into_error())
        .map(drop)
        .map_err(|source| WriteError::Io {
            path: path.to_path_buf(),
            source,
        })
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

/// The CSV tables' file stems, in CATALOG.md order (`tables::tables`).
pub const CSV_TABLES: &[&str] = &[
    "sources",
    "charts",
    "steps",
    "risk_points",
    "risk_items",
    "measures",
    "texts",
    "findings",
];

/// The lock file of an output folder.
pub const LOCK_NAME: &str = ".riskflow.lock";

/// One output of a run: its format name and the files it makes.
fn output_files(format: &str) -> Vec<String> {
    match format {
        "json" => vec!["catalog.json".into()],
        "csv" => CSV_TABLES
            .iter()
            .map(|t| format!("{t}.csv"))
            .chain(["datapackage.json".to_string()])
            .collect(),
        "xlsx" => vec!["catalog.xlsx".into()],
        "sqlite" => vec!["catalog.sqlite".into()],
        "html" => vec!["report.html".into()],
        _ => vec![],
    }
}

const FORMAT_NAMES: [&str; 5] = ["json", "csv", "xlsx", "sqlite", "html"];

/// The writers by the time they take, longest first (400 Word files, share
/// of an in-process run's CPU, `perf`, session 9: SQLite 11 %, the workbook
/// 9 %, the report 2.8 %, JSON 2.2 % on all cores, CSV 2.3 %).
const LONGEST_FIRST: [&str; 5] = ["sqlite", "xlsx", "html", "json", "csv"];

impl Formats {
    fn has(&self, name: &str) -> bool {
        match name {
            "json" => self.json,
            "csv" => self.csv,
            "xlsx" => self.xlsx,
            "sqlite" => self.sqlite,
            "html" => self.html,
            _ => false,
        }
    }

    pub fn is_empty(&self) -> bool {
        FORMAT_NAMES.iter().all(|n| !self.has(n))
    }
}

/// The temporary name of an output file while a run writes it. The pid
/// tells a dead run's left-overs from a live one's.
pub(crate) fn temp_name(file: &str) -> String {
    format!(".{file}.tmp-{}", std::process::id())
}

/// A working file of this run in the output folder, named as the outputs'
/// temporaries are (`.NAME.tmp-PID`, so a dead run's are tidied up by
/// [`OutputDir::open`]) and removed when dropped: the parts' spill files,
/// the workbook's sheets while they are written.
#[derive(Debug)]
pub(crate) struct TempFile {
    path: PathBuf,
}

impl TempFile {
    /// A new empty file `.NAME.tmp-PID` in `dir`, open for writing.
    pub(crate) fn create(dir: &Path, name: &str) -> std::io::Result<(TempFile, std::fs::File)> {
        let path = dir.join(temp_name(name));
        let file = std::fs::File::create(&path)?;
        Ok((TempFile { path }, file))
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// An output folder held by this run: created, checked writable and locked
/// before anything is read, so a folder that cannot be written fails at
/// once and two runs into one folder cannot interleave. The lock is an
/// `flock` on `.riskflow.lock`: the system drops it when the process ends,
/// however it ends, so a killed run never leaves the folder locked.
#[derive(Debug)]
pub struct OutputDir {
    dir: PathBuf,
    _lock: std::fs::File,
}

/// What [`OutputDir::write`] did.
#[derive(Debug, Default)]
pub struct WriteReport {
    /// Files now in place, written by this run.
    pub written: Vec<String>,
    /// Outputs whose writer failed, with the error; their old files (from
    /// an earlier run) were removed, so nothing left describes other sources.
    pub failed: Vec<(String, WriteError)>,
    /// Output files of earlier runs removed because this run did not ask
    /// for their format (or its writer failed).
    pub removed: Vec<String>,
}

impl OutputDir {
    /// Create (if missing), lock and tidy `dir`: temporary files left by
    /// dead runs are removed.
    pub fn open(dir: &Path) -> Result<OutputDir, WriteError> {
        let io = |source| WriteError::Io {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let lock_path = dir.join(LOCK_NAME);
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|source| WriteError::Io {
                path: lock_path.clone(),
                source,
            })?;
        use std::os::fd::AsRawFd;
        // SAFETY: flock on a descriptor we own; no memory is passed.
        if unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            return Err(WriteError::Busy {
                path: dir.to_path_buf(),
            });
        }
        // Writable: a probe file, created and removed.
        let probe = dir.join(temp_name("probe"));
        std::fs::write(&probe, b"").map_err(io)?;
        let _ = std::fs::remove_file(&probe);
        remove_stale_temps(dir);
        Ok(OutputDir {
            dir: dir.to_path_buf(),
            _lock: lock,
        })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Write the chosen outputs as one set. Every file is first written
    /// under a temporary name in the folder (writers run in parallel);
    /// only then are they renamed into place, together. A writer that fails
    /// does not stop the others: they are put in place, and the failed
    /// output's old files are removed. Outputs of formats not asked for
    /// this run are removed too, so the folder never mixes runs.
    pub fn write(&self, cat: &Catalog, formats: Formats) -> WriteReport {
        self.write_parts(&CatalogParts::new(cat), formats)
    }

    /// [`OutputDir::write`] from parts: each writer streams them on its own.
    pub fn write_parts(&self, parts: &dyn PartSource, formats: Formats) -> WriteReport {
        let asked: Vec<&str> = FORMAT_NAMES
            .iter()
            .copied()
            .filter(|n| formats.has(n))
            .collect();
        let results = self.write_all_temp(parts, &asked);
        let mut report = WriteReport::default();
        for (name, result) in results {
            match result {
                Ok(()) => {
                    for file in output_files(name) {
                        let tmp = self.dir.join(temp_name(&file));
                        match std::fs::rename(&tmp, self.dir.join(&file)) {
                            Ok(()) => report.written.push(file),
                            Err(source) => {
                                let _ = std::fs::remove_file(&tmp);
                                report.failed.push((
                                    name.to_string(),
                                    WriteError::Io {
                                        path: self.dir.join(&file),
                                        source,
                                    },
                                ));
                            }
                        }
                    }
                }
                Err(e) => {
                    for file in output_files(name) {
                        let _ = std::fs::remove_file(self.dir.join(temp_name(&file)));
                    }
                    report.failed.push((name.to_string(), e));
                }
            }
        }
        // Old files that would describe another run: formats not asked for,
        // and formats whose writer failed.
        for name in FORMAT_NAMES {
            if formats.has(name) && !report.failed.iter().any(|(n, _)| n == name) {
                continue;
            }
            for file in output_files(name) {
                if std::fs::remove_file(self.dir.join(&file)).is_ok() {
                    report.removed.push(file);
                }
            }
        }
        report
    }

    /// Every asked output under its temporary names, each writer on a
    /// thread of its own, as many at once as there are cores: the longest
    /// first (SQLite, then the workbook …) so that the last to finish is
    /// not a long one started late. Results in the order asked.
    fn write_all_temp<'n>(
        &self,
        parts: &dyn PartSource,
        asked: &[&'n str],
    ) -> Vec<(&'n str, Result<(), WriteError>)> {
        let mut order: Vec<usize> = (0..asked.len()).collect();
        order.sort_by_key(|&i| LONGEST_FIRST.iter().position(|n| *n == asked[i]));
        let next = std::sync::atomic::AtomicUsize::new(0);
        let done = std::sync::Mutex::new(Vec::with_capacity(asked.len()));
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        std::thread::scope(|scope| {
            for _ in 0..cores.min(asked.len()) {
                scope.spawn(|| {
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&i) = order.get(k) else { break };
                        let result = self.write_temp(parts, asked[i]);
                        done.lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push((i, result));
                    }
                });
            }
        });
        let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
        done.sort_by_key(|&(i, _)| i);
        done.into_iter().map(|(i, r)| (asked[i], r)).collect()
    }

    /// Write one output's files under their temporary names.
    fn write_temp(&self, parts: &dyn PartSource, name: &str) -> Result<(), WriteError> {
        let tmp = |file: &str| self.dir.join(temp_name(file));
        match name {
            "json" => json::write_parts(parts, &tmp("catalog.json")),
            "csv" => csv::write_parts(parts, &|file| tmp(file)),
            "xlsx" => xlsx::write_parts(parts, &tmp("catalog.xlsx")),
            "sqlite" => sqlite::write_parts(parts, &tmp("catalog.sqlite")),
            "html" => html::write_parts(parts, &tmp("report.html")),
            _ => Ok(()),
        }
    }
}

/// Remove `.NAME.tmp-PID` files whose run is gone. Called with the lock
/// held, so no other run of this version is writing; the pid check also
/// spares a live run of an older version that took no lock.
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let Some((_, pid)) = name.strip_prefix('.').and_then(|n| n.rsplit_once(".tmp-")) else {
            continue;
        };
        let Ok(pid) = pid.parse::<i32>() else {
            continue;
        };
        if pid == std::process::id() as i32 || !alive(pid) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn alive(pid: i32) -> bool {
    // SAFETY: signal 0 only checks that the process exists.
    pid > 0
        && (unsafe { libc::kill(pid, 0) } == 0
            || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM))
}

/// Write the chosen outputs into `dir` (created if missing) as one set; see
/// [`OutputDir::write`]. An error when the folder cannot be used or any
/// output failed (the others are written).
pub fn write_all(cat: &Catalog, dir: &Path, formats: Formats) -> Result<(), WriteError> {
    let out = OutputDir::open(dir)?;
    let mut report = out.write(cat, formats);
    match report.failed.is_empty() {
        true => Ok(()),
        false => Err(report.failed.remove(0).1),
    }
}

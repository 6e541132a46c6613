//! The pipeline: paths → discover → read (in parallel) → layout → assemble
//! (ids) → dedup → check → Catalog. Results are gathered in sorted path
//! order, so the catalog does not depend on thread count or argument order.

use crate::catalog::{
    Catalog, Chart, Finding, Line, RiskPoint, SCHEMA, Severity, SeverityCounts, Source,
    SourceError, SourceStatus, Summary, TextCounts,
};
use crate::document::Document;
use crate::layout::{self, ChartDraft, LineDraft};
use crate::read::{self, Format, Limits, ReadError};
use crate::rules::{Rules, hex};
use crate::store::{Head, Part, Parts, Store, StoreError};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// File extensions picked up when walking a folder. Files named on the
/// command line are always read, whatever their name; the format itself is
/// always decided from the bytes. Office formats riskflow cannot read
/// (presentations, Visio, OFD …) are listed too, so that a walked folder's
/// copy gets a `skipped` source with `source.unsupported` instead of silence.
#[rustfmt::skip]
pub const EXTENSIONS: &[&str] = &[
    // Read.
    "docx", "docm", "dotx", "dotm", "doc", "dot", "wps", "wpt", "xlsx", "xlsm", "xltx", "xltm",
    "xlsb", "xls", "xlt", "et", "ett", "ods", "odt", "ott", "fodt", "txt", "text", "htm", "html",
    "mht", "mhtml", "xml", "rtf", "pdf",
    // Not readable: skipped, with a status.
    "ppt", "pptx", "pps", "ppsx", "dps", "dpt", "odp", "odg", "vsd", "vsdx", "pub", "wri", "ofd",
    "pages", "numbers", "key", "epub", "sxw", "wpd", "hwp",
];

/// How much of the catalog `riskflow ingest` holds in memory before it
/// spills the parts to a file in the output folder: a few hundred files'
/// worth, so small runs never touch the disk, and large ones stay flat.
pub const SPILL_ABOVE: usize = 128 << 20;

/// Largest file read; a larger one fails with `source.unreadable`.
pub const MAX_FILE_BYTES: u64 = 512 << 20;

/// How to ingest: rules, reader limits, threads, isolation.
#[derive(Debug, Clone)]
pub struct Options {
    /// The rules (built-in, or loaded with `Rules::load`).
    pub rules: Rules,
    /// Caps on what a reader accepts (sizes, depths, counts).
    pub limits: Limits,
    /// Worker threads; None = rayon's default (one per core).
    pub jobs: Option<usize>,
    /// Where readers run.
    pub isolation: Isolation,
}

/// Where readers run: in this process (fast; a reader that hangs or runs
/// out of memory takes the process with it) or each file in a worker
/// process with a time and memory limit.
#[derive(Debug, Clone)]
pub enum Isolation {
    /// In this process.
    InProcess,
    /// In worker processes (one per job, each taking many files) that read
    /// and lay out each file within a time and memory limit. They compile
    /// the rules from their files' texts ([`Rules::texts`]), so a change
    /// made to a `Rules` value's fields after loading does not reach them.
    Workers(crate::isolate::WorkerConfig),
}

impl Default for Options {
    fn default() -> Self {
        Options {
            rules: Rules::builtin(),
            limits: Limits::default(),
            jobs: None,
            isolation: Isolation::InProcess,
        }
    }
}

/// Why nothing could be ingested (a file that cannot be read is a finding, not this).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// A path given does not exist.
    #[error("no such file or folder: {0}")]
    NotFound(String),
    /// A folder could not be listed.
    #[error("cannot list folder {path}: {source}")]
    Walk {
        /// The folder.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The thread pool could not start.
    #[error("cannot start worker threads: {0}")]
    Threads(String),
    /// The catalog's parts could not be held (a spill file).
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The files under `paths`, each with the path string shown in the catalog,
/// sorted and without repeats.
///
/// Nothing found is dropped: an entry that cannot be listed or examined (an
/// unreadable folder, a dangling symlink, a path too long for the system, a
/// symlink loop) is returned like a file, and reading it then fails with the
/// reason ([`process_file`] looks at metadata before any bytes). Symlinks
/// are followed; a link back to a folder being walked is a loop and is
/// reported, not followed. Repeats are told apart by the path's bytes, not
/// by its display form (two non-UTF-8 names may display alike).
pub fn discover(paths: &[PathBuf]) -> Result<Vec<(PathBuf, String)>, IngestError> {
    let mut out = Vec::new();
    for p in paths {
        // A name that does not exist is a usage error; one that exists but
        // cannot be examined (permission, length) is a source that fails.
        let meta = match std::fs::metadata(p) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if std::fs::symlink_metadata(p).is_ok() {
                    None // a dangling symlink: reported when read
                } else {
                    return Err(IngestError::NotFound(show(p)));
                }
            }
            Err(_) => None,
        };
        match meta {
            Some(m) if m.is_dir() => {
                let mut stack = Vec::new();
                walk(p, &m, &mut stack, &mut out);
            }
            _ => out.push(p.clone()),
        }
    }
    let mut shown: Vec<(PathBuf, String)> = out
        .into_iter()
        .map(|p| {
            let s = show(&p);
            (p, s)
        })
        .collect();
    shown.sort_by(|a, b| {
        a.1.cmp(&b.1)
            .then_with(|| a.0.as_os_str().cmp(b.0.as_os_str()))
    });
    shown.dedup_by(|a, b| a.0 == b.0);
    Ok(shown)
}

/// Identity of a folder, for symlink loop detection.
fn dir_id(m: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

/// Walk `dir` (whose metadata is `meta`); `stack` holds the folders being
/// walked, so a link back to one of them is a loop.
fn walk(dir: &Path, meta: &std::fs::Metadata, stack: &mut Vec<(u64, u64)>, out: &mut Vec<PathBuf>) {
    let id = dir_id(meta);
    if stack.contains(&id) {
        // Reading it fails with "symlink loop" (see `special`).
        out.push(dir.to_path_buf());
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(_) => {
            out.push(dir.to_path_buf());
            return;
        }
    };
    stack.push(id);
    let mut paths = Vec::new();
    for e in entries {
        match e {
            Ok(e) => paths.push(e.path()),
            // An entry the system could not return: the folder is reported.
            Err(_) => paths.push(dir.to_path_buf()),
        }
    }
    paths.sort();
    paths.dedup();
    for p in paths {
        if p == dir {
            out.push(p);
            continue;
        }
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Hidden files and Office lock files (~$x.docx) are not documents.
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => walk(&p, &m, stack, out),
            Ok(_) => {
                if has_extension(&p) {
                    out.push(p);
                }
            }
            // Dangling link, permission, name too long: a source that fails
            // with the reason, when its name says it is meant to be read.
            Err(_) => {
                if has_extension(&p) || std::fs::symlink_metadata(&p).is_err() {
                    out.push(p);
                }
            }
        }
    }
    stack.pop();
}

fn has_extension(p: &Path) -> bool {
    let ext = p
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    EXTENSIONS.contains(&ext.as_str())
}

/// The path as given, with `/` separators; bytes that are not UTF-8 (a GBK
/// name from a Windows archive) shown as `\xNN`, so two such names stay
/// distinct in the catalog.
pub fn show(p: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let bytes = p.as_os_str().as_bytes();
    let mut s = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        s.push_str(&chunk.valid().replace('\\', "/"));
        for b in chunk.invalid() {
            s.push_str(&format!("\\x{b:02X}"));
        }
    }
    s
}

/// What reading one file gave: its bytes' identity and the Document.
#[derive(Debug)]
pub struct Reading {
    pub bytes: u64,
    pub sha256: String,
    pub format: Format,
    pub read: Result<Document, ReadError>,
}

/// What reading and laying out one file gave, before ids are assigned.
/// The Document itself is not kept: once laid out, only the few facts the
/// catalog needs of it are (a file's Document is ~10× its drafts, and
/// holding it until the end made memory grow with every file).
///
/// A worker process sends it to the parent (postcard) without the path,
/// which the parent knows.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct FileResult {
    #[serde(skip)]
    pub path: String,
    pub reading: Read,
    pub charts: Vec<ChartDraft>,
}

impl FileResult {
    /// A file's result from its Reading and its chart drafts.
    pub fn new(path: String, reading: Reading, charts: Vec<ChartDraft>) -> FileResult {
        FileResult {
            path,
            reading: Read::of(reading),
            charts,
        }
    }
}

/// A [`Reading`] without its Document: what the catalog needs of it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Read {
    pub bytes: u64,
    pub sha256: String,
    pub format: Format,
    pub read: Result<Facts, ReadError>,
}

/// What the catalog needs of a Document (`Source` fields and findings).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Facts {
    pub encoding: Option<String>,
    pub issues: Vec<crate::document::ReadIssue>,
    pub chars_read: usize,
    /// No text at all, and no picture either: `source.empty`.
    pub blank: bool,
}

impl Read {
    pub fn of(r: Reading) -> Read {
        Read {
            bytes: r.bytes,
            sha256: r.sha256,
            format: r.format,
            read: r.read.map(|doc| Facts::of(&doc)),
        }
    }
}

impl Facts {
    pub fn of(doc: &Document) -> Facts {
        Facts {
            encoding: doc.encoding.clone(),
            issues: doc.issues.clone(),
            chars_read: doc.chars_read(),
            blank: doc.blocks.iter().all(|b| b.text.trim().is_empty())
                && !doc
                    .blocks
                    .iter()
                    .any(|b| b.kind == crate::document::BlockKind::Image),
        }
    }
}

/// What a path is, from its metadata alone, when it is not a regular file
/// to read: the Reading that says so, at once. Input bytes are only ever
/// read from regular files (a FIFO would block for ever, `/dev/urandom`
/// never ends), and never when the size is over [`MAX_FILE_BYTES`].
pub fn not_readable(path: &Path) -> Option<Reading> {
    let fail = |bytes: u64, e: ReadError| {
        Some(Reading {
            bytes,
            sha256: String::new(),
            format: Format::Unknown,
            read: Err(e),
        })
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            let why = match e.raw_os_error() {
                Some(libc::ELOOP) => "符号链接循环".to_string(),
                Some(libc::ENAMETOOLONG) => format!("路径过长（{e}）"),
                _ if e.kind() == std::io::ErrorKind::NotFound => {
                    "符号链接指向的文件不存在".to_string()
                }
                _ => format!("无法访问（{e}）"),
            };
            return fail(0, ReadError::Unreadable(why));
        }
    };
    let ft = meta.file_type();
    if ft.is_dir() {
        // discover returns a folder only when it could not walk it.
        let why = match std::fs::read_dir(path) {
            Err(e) => format!("无法列出文件夹（{e}）"),
            Ok(_) => "符号链接循环：该文件夹已在上层路径中被读取".to_string(),
        };
        return fail(0, ReadError::Unreadable(why));
    }
    if !ft.is_file() {
        use std::os::unix::fs::FileTypeExt;
        let what = if ft.is_fifo() {
            "命名管道"
        } else if ft.is_char_device() || ft.is_block_device() {
            "设备文件"
        } else if ft.is_socket() {
            "套接字"
        } else {
            "特殊文件"
        };
        return fail(
            0,
            ReadError::Unsupported(format!("不是普通文件（{what}），未读取")),
        );
    }
    if meta.len() > MAX_FILE_BYTES {
        return fail(
            meta.len(),
            ReadError::Unreadable(format!(
                "文件大小 {} 字节超过上限 {MAX_FILE_BYTES}",
                meta.len()
            )),
        );
    }
    None
}

/// The bytes of a regular file, at most [`MAX_FILE_BYTES`]: opened without
/// blocking (a FIFO swapped in after [`not_readable`] looked cannot hang
/// the open) and checked again on the open handle before reading.
fn read_regular(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| format!("无法打开文件（{e}）"))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("无法打开文件（{e}）"))?;
    if !meta.is_file() {
        return Err("不是普通文件，未读取".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "文件大小 {} 字节超过上限 {MAX_FILE_BYTES}",
            meta.len()
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("无法读取文件（{e}）"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!("文件超过上限 {MAX_FILE_BYTES} 字节"));
    }
    Ok(bytes)
}

/// Read one file in this process. Never panics: a reader panic becomes
/// the file's `source.unreadable`.
pub fn read_file(path: &Path, limits: &Limits) -> Reading {
    if let Some(r) = not_readable(path) {
        return r;
    }
    let mut reading = Reading {
        bytes: 0,
        sha256: String::new(),
        format: Format::Unknown,
        read: Err(ReadError::Empty),
    };
    let bytes = match read_regular(path) {
        Ok(b) => b,
        Err(e) => {
            reading.read = Err(ReadError::Unreadable(e));
            return reading;
        }
    };
    let sha256 = hex(&Sha256::digest(&bytes));
    read_loaded(bytes, sha256, limits)
}

/// Read a file's bytes (already loaded and hashed) into a Document. Never
/// panics: a reader panic becomes the file's `source.unreadable`.
pub fn read_loaded(bytes: Vec<u8>, sha256: String, limits: &Limits) -> Reading {
    let mut reading = Reading {
        bytes: bytes.len() as u64,
        sha256,
        format: Format::Unknown,
        read: Err(ReadError::Empty),
    };
    let read =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read::read(&bytes, limits)));
    match read {
        Ok((format, doc)) => {
            reading.format = format;
            reading.read = doc;
        }
        Err(p) => {
            reading.format = read::sniff(&bytes);
            reading.read = Err(ReadError::Unreadable(format!(
                "读取程序内部错误：{}",
                panic_text(&p)
            )));
        }
    }
    reading
}

/// Lay out a file's Document into chart drafts. A layout panic becomes the
/// file's `source.unreadable`, never a stopped batch.
pub fn lay_out(shown: &str, mut reading: Reading, rules: &Rules) -> FileResult {
    let mut charts = Vec::new();
    if let Ok(d) = &reading.read {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| layout::charts(d, rules))) {
            Ok(c) => charts = c,
            Err(p) => {
                reading.read = Err(ReadError::Unreadable(format!(
                    "版式识别内部错误：{}",
                    panic_text(&p)
                )))
            }
        }
    }
    FileResult::new(shown.to_string(), reading, charts)
}

/// Read (in this process or in a worker of `pool`) and lay out one file.
pub fn process_file(
    path: &Path,
    shown: &str,
    opts: &Options,
    pool: Option<&crate::isolate::Pool>,
) -> FileResult {
    // Metadata before bytes: what is not a regular file never reaches a
    // reader or a worker.
    if let Some(r) = not_readable(path) {
        return lay_out(shown, r, &opts.rules);
    }
    match (pool, &opts.isolation) {
        (Some(pool), _) => pool.process(path, shown),
        (None, Isolation::Workers(cfg)) => {
            crate::isolate::Pool::new(cfg.clone(), &opts.rules).process(path, shown)
        }
        (None, Isolation::InProcess) => lay_out(shown, read_file(path, &opts.limits), &opts.rules),
    }
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// Ingest files and folders into one catalog: folders are walked for Office,
/// text and HTML files, every file is read (in parallel; in worker
/// processes when `opts.isolation` says so), charts are laid out and
/// recognised, lines clustered into texts, and the findings checked. A file
/// that cannot be read is a `failed` source with a finding, never an error
/// here; the error is for paths that do not exist or cannot be listed.
///
/// ```
/// use riskflow::{Options, ingest};
/// use std::path::PathBuf;
///
/// let cat = ingest(&[PathBuf::from("fixtures/text/list_gb18030.txt")], &Options::default()).unwrap();
/// assert_eq!(cat.sources[0].encoding.as_deref(), Some("GB18030"));
/// let rp = &cat.charts[0].risk_points[0];
/// assert_eq!(rp.grade.as_ref().unwrap().level, "medium");
///
/// assert!(ingest(&[PathBuf::from("no/such/folder")], &Options::default()).is_err());
/// ```
pub fn ingest(paths: &[PathBuf], opts: &Options) -> Result<Catalog, IngestError> {
    let files = discover(paths)?;
    let store = ingest_store(&files, opts, &|_| {}, None, usize::MAX)??;
    Ok(store.into_catalog()?)
}

/// Read every file, in parallel, results in the files' order; `done` is
/// called (from any thread) with each file's path as it finishes.
pub fn read_all(
    files: &[(PathBuf, String)],
    opts: &Options,
    done: &(dyn Fn(&str) + Sync),
) -> Result<Vec<FileResult>, IngestError> {
    let mut results = Vec::with_capacity(files.len());
    read_each(files, opts, done, &mut |r| results.push(r))?;
    Ok(results)
}

/// Read every file, in parallel, and give each result to `each` on the
/// calling thread, in the files' order, as soon as it and every earlier
/// one are in. A file may finish before an earlier one (a slow reader, a
/// worker timing out): at most a few results per thread wait for it, and
/// the threads pause rather than run further ahead, so what is held stays
/// bounded whatever the number of files.
pub fn read_each(
    files: &[(PathBuf, String)],
    opts: &Options,
    done: &(dyn Fn(&str) + Sync),
    each: &mut dyn FnMut(FileResult),
) -> Result<(), IngestError> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Condvar, Mutex, mpsc};
    // One worker process per job at most, started as needed.
    let workers = match &opts.isolation {
        Isolation::Workers(cfg) => Some(crate::isolate::Pool::new(cfg.clone(), &opts.rules)),
        Isolation::InProcess => None,
    };
    // One job per core, with workers too: a worker reads and lays out, and
    // its thread here only waits for it (measured: 400 Word files, 2 cores,
    // 2 workers took 0.94× the time of 4).
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let jobs = opts.jobs.unwrap_or(cores);
    // Never more threads (and so workers) than files.
    let threads = jobs.clamp(1, files.len().max(1));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| IngestError::Threads(e.to_string()))?;
    // How far past the oldest unfinished file a thread may start one.
    let window = 4 * threads + 4;
    let next = AtomicUsize::new(0);
    let handed = Mutex::new(0usize);
    let moved = Condvar::new();
    let (tx, rx) = mpsc::channel::<(usize, FileResult)>();
    std::thread::scope(|scope| {
        let (next, handed, moved, workers, pool) = (&next, &handed, &moved, &workers, &pool);
        scope.spawn(move || {
            // Each pool thread takes the next file in order until none is
            // left, so files start in path order and the window holds.
            pool.broadcast(|_| {
                let tx = tx.clone();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((p, shown)) = files.get(i) else {
                        break;
                    };
                    {
                        let mut h = handed.lock().unwrap_or_else(|e| e.into_inner());
                        while i >= *h + window {
                            h = moved.wait(h).unwrap_or_else(|e| e.into_inner());
                        }
                    }
                    let r = process_file(p, shown, opts, workers.as_ref());
                    done(shown);
                    if tx.send((i, r)).is_err() {
                        break;
                    }
                }
            });
            drop(tx);
        });
        // Should `each` panic, the readers must not wait for ever on a
        // window that no longer moves: opened wide, they find the channel
        // closed and stop.
        struct Open<'a>(&'a Mutex<usize>, &'a Condvar);
        impl Drop for Open<'_> {
            fn drop(&mut self) {
                *self.0.lock().unwrap_or_else(|e| e.into_inner()) = usize::MAX / 2;
                self.1.notify_all();
            }
        }
        let _open = Open(handed, moved);
        let mut waiting = BTreeMap::new();
        let mut want = 0usize;
        for (i, r) in rx {
            waiting.insert(i, r);
            while let Some(r) = waiting.remove(&want) {
                want += 1;
                *handed.lock().unwrap_or_else(|e| e.into_inner()) = want;
                moved.notify_all();
                each(r);
            }
        }
    });
    // Workers go before the threads that started them: a worker is tied to
    // its starting thread's life (PR_SET_PDEATHSIG).
    drop(workers);
    drop(pool);
    Ok(())
}

/// Read every file and build the catalog as the results come, in path
/// order; parts spill into `spill` past `budget` bytes (see [`Assembler`]).
pub fn ingest_store(
    files: &[(PathBuf, String)],
    opts: &Options,
    done: &(dyn Fn(&str) + Sync),
    spill: Option<&Path>,
    budget: usize,
) -> Result<Result<Store, StoreError>, IngestError> {
    let mut a = Assembler::new(opts, spill, budget);
    read_each(files, opts, done, &mut |r| a.add(r))?;
    Ok(a.finish())
}

fn short_hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0x1f]);
    }
    hex(&h.finalize()[..6])
}

/// A repeat of an id within one run gets `-2`, `-3` … in input order.
fn unique(id: String, seen: &mut HashMap<String, usize>) -> String {
    let n = seen.entry(id.clone()).or_insert(0);
    *n += 1;
    if *n == 1 { id } else { format!("{id}-{n}") }
}

fn norm(s: Option<&str>) -> String {
    s.map(|s| crate::recognise::fields::compact(s).into_owned())
        .unwrap_or_default()
}

fn line(l: &LineDraft) -> Line {
    Line {
        n: l.marked.n,
        marker: l.marked.marker.clone(),
        text: l.marked.text.clone(),
        text_id: String::new(),
    }
}

/// The file name without folders and extension: a chart's name of last resort.
fn file_stem(path: &str) -> String {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    if stem.trim().is_empty() {
        base.to_string()
    } else {
        stem.trim().to_string()
    }
}

/// Give ids, cluster texts, run the checks, count: the catalog of
/// `results`, in memory. The same steps as a streamed run ([`Assembler`]).
pub fn assemble(results: Vec<FileResult>, opts: &Options) -> Catalog {
    let mut a = Assembler::new(opts, None, usize::MAX);
    for r in results {
        a.add(r);
    }
    match a.finish().and_then(Store::into_catalog) {
        Ok(cat) => cat,
        // Without a spill folder every part stays in memory, and holding
        // parts in memory cannot fail.
        Err(e) => unreachable!("in-memory catalog: {e}"),
    }
}

/// The catalog built one file at a time, in path order: each file becomes
/// its part (source row, charts, the findings of the file and its charts)
/// as it comes, and only compact keys stay for the whole run — distinct
/// lines for the texts, one content hash and name per chart for
/// `chart.duplicate`, id counters, counts. [`Assembler::finish`] clusters
/// the texts and completes every part (text ids, typo findings, the
/// per-code bound, finding ids) in one pass.
pub struct Assembler<'o> {
    opts: &'o Options,
    source_ids: HashMap<String, usize>,
    chart_ids: HashMap<String, usize>,
    /// Content hash of the first chart with that content → its name.
    first_with: HashMap<[u8; 16], String>,
    tallies: [crate::dedup::Tally; 2],
    charts_seen: u32,
    summary: Summary,
    parts: Parts,
}

impl<'o> Assembler<'o> {
    /// Parts are spilled to a file in `spill` once they weigh more than
    /// `budget` bytes (never without a folder).
    pub fn new(opts: &'o Options, spill: Option<&Path>, budget: usize) -> Assembler<'o> {
        Assembler {
            opts,
            source_ids: HashMap::new(),
            chart_ids: HashMap::new(),
            first_with: HashMap::new(),
            tallies: Default::default(),
            charts_seen: 0,
            summary: Summary::default(),
            parts: Parts::new(spill, budget),
        }
    }

    /// The next file, in path order.
    pub fn add(&mut self, r: FileResult) {
        let opts = self.opts;
        let mut findings: Vec<Finding> = Vec::new();
        let id = unique(
            format!(
                "src-{}",
                r.reading.sha256.get(..12).unwrap_or("000000000000")
            ),
            &mut self.source_ids,
        );
        let (status, error, encoding, chars_read) = match &r.reading.read {
            Ok(doc) => {
                let status = if doc.issues.is_empty() {
                    SourceStatus::Ok
                } else {
                    SourceStatus::Partial
                };
                let error = doc.issues.first().map(|i| SourceError {
                    code: i.code.clone(),
                    message: i.message.clone(),
                });
                (status, error, doc.encoding.clone(), doc.chars_read)
            }
            Err(e) => {
                let status = match e {
                    ReadError::Unsupported(_) => SourceStatus::Skipped,
                    _ => SourceStatus::Failed,
                };
                let error = Some(SourceError {
                    code: e.code().to_string(),
                    message: e.to_string(),
                });
                (status, error, None, 0)
            }
        };
        // Reader problems are findings too.
        match &r.reading.read {
            Err(e) => findings.push(source_finding(&id, e.code(), &e.to_string(), &r.path)),
            Ok(doc) => {
                for i in &doc.issues {
                    findings.push(source_finding(&id, &i.code, &i.message, &i.origin));
                }
                if doc.blank {
                    findings.push(source_finding(
                        &id,
                        "source.empty",
                        "文件中没有任何文字。",
                        &r.path,
                    ));
                }
            }
        }
        let mut charts = Vec::new();
        let mut chart_findings = Vec::new();
        let mut placed = 0;
        let limits = &opts.rules.limits.findings;
        for (i, mut d) in r.charts.into_iter().enumerate() {
            let lim = &opts.rules.limits;
            crate::check::cap_chart(&mut d, &lim.chart, lim.findings.unplaced_lines);
            if d.name.is_none() {
                // The document names nothing: the file does (CATALOG.md).
                d.name = Some(file_stem(&r.path));
                d.name_from = Some("file".into());
            }
            let cid = unique(
                format!(
                    "ch-{}",
                    short_hash(&[
                        &norm(d.department.as_deref()),
                        &norm(d.category.as_deref()),
                        &norm(d.code.as_deref()),
                        &norm(d.name.as_deref()),
                    ])
                ),
                &mut self.chart_ids,
            );
            placed += d.chars_placed;
            let risk_points = d
                .points
                .iter()
                .enumerate()
                .map(|(k, p)| RiskPoint {
                    id: format!("rp-{}", short_hash(&[&cid, &k.to_string()])),
                    label: p.label.clone(),
                    step: p.step.map(|s| s + 1),
                    grade: p.grade.clone(),
                    items: p.items.iter().map(line).collect(),
                    measures: p.measures.iter().map(line).collect(),
                    responsible: p.responsible.clone(),
                })
                .collect();
            let chart = Chart {
                id: cid,
                source: id.clone(),
                ordinal: i + 1,
                location: d.location.clone(),
                layout: d.layout.to_string(),
                title: d.title.clone(),
                department: d.department.clone(),
                category: d.category.clone(),
                category_raw: d.category_raw.clone(),
                code: d.code.clone(),
                name: d.name.clone().unwrap_or_default(),
                name_from: d.name_from.as_deref().unwrap_or("label").to_string(),
                time_limit: d.time_limit.clone(),
                contacts: d.contacts.clone(),
                steps: d.steps.clone(),
                risk_points,
            };
            // The draft is needed for its own checks only: dropped here.
            chart_findings.extend(crate::check::fold_unplaced(
                &chart,
                crate::check::chart(&d, &chart),
                limits,
            ));
            charts.push(chart);
        }
        // Much read, little placed: a layout was not recognised, or text
        // was lost. Page furniture alone never comes near half a file.
        if chars_read >= 200 && placed * 2 < chars_read {
            findings.push(Finding {
                id: String::new(),
                code: "source.text_ignored".into(),
                severity: Severity::Warning,
                source: id.clone(),
                chart: None,
                step: None,
                risk_point: None,
                location: r.path.clone(),
                message: format!(
                    "文件中约 {}% 的文字没有进入任何图表字段或问题记录，可能有版式未被识别，请人工核对。",
                    100 - placed.min(chars_read) * 100 / chars_read
                ),
                evidence: String::new(),
                suggestion: None,
            });
        }
        findings.extend(chart_findings);
        findings.extend(crate::check::duplicates(&charts, &mut self.first_with));
        findings.extend(crate::check::mixed_scales(&charts));
        let s = &mut self.summary;
        s.sources += 1;
        s.sources_failed += usize::from(status == SourceStatus::Failed);
        for c in &charts {
            s.charts += 1;
            s.steps += c.steps.len();
            s.risk_points += c.risk_points.len();
            for rp in &c.risk_points {
                s.risk_items += rp.items.len();
                s.measures += rp.measures.len();
                for l in &rp.items {
                    self.tallies[0].add(&l.text, self.charts_seen);
                }
                for l in &rp.measures {
                    self.tallies[1].add(&l.text, self.charts_seen);
                }
            }
            self.charts_seen += 1;
        }
        let source = Source {
            id,
            path: r.path,
            format: r.reading.format.as_str().to_string(),
            bytes: r.reading.bytes,
            sha256: r.reading.sha256,
            encoding,
            status,
            error,
            charts: charts.iter().map(|c| c.id.clone()).collect(),
            chars_read,
            chars_placed: placed.min(chars_read),
        };
        self.parts.push(Part {
            sources: vec![source],
            charts,
            findings,
        });
    }

    /// Cluster the texts, then complete every part in order: text ids,
    /// typo findings, at most so many findings per code and file, finding
    /// ids; count the findings.
    pub fn finish(self) -> Result<Store, StoreError> {
        let opts = self.opts;
        let [risk, measure] = self.tallies;
        let texts = crate::dedup::Texts::of(risk, measure, &opts.rules.dedup);
        let mut summary = self.summary;
        summary.texts = TextCounts {
            risk: texts.list.iter().filter(|t| t.kind == "risk").count(),
            measure: texts.list.iter().filter(|t| t.kind == "measure").count(),
        };
        let limits = &opts.rules.limits.findings;
        let mut ids = FindingIds::default();
        let mut counts = (SeverityCounts::default(), BTreeMap::new(), BTreeMap::new());
        // Each part on its own first (on all cores): typos, the findings
        // capped, their ids; then in order, what depends on the parts
        // before: an id's repeat number and the counts.
        let prepare = |part: &mut Part| {
            for c in &mut part.charts {
                let typos = texts.apply(c);
                part.findings.extend(typos);
            }
            // A run's part has its one source.
            let [source] = &part.sources[..] else { return };
            let found = std::mem::take(&mut part.findings);
            part.findings = crate::check::bound(found, &source.id, &source.path, limits);
            for f in &mut part.findings {
                f.id = finding_id(&f.code, &source.sha256, &f.location, &f.evidence);
            }
        };
        let mut store = self.parts.finish(Head::default(), prepare, |part| {
            if part.sources.len() != 1 {
                return;
            }
            for f in &mut part.findings {
                f.id = ids.number(std::mem::take(&mut f.id));
                match f.severity {
                    Severity::Error => counts.0.error += 1,
                    Severity::Warning => counts.0.warning += 1,
                    Severity::Info => counts.0.info += 1,
                }
                *counts.1.entry(f.code.clone()).or_default() += 1;
                *counts.2.entry(f.source.clone()).or_default() += 1;
            }
        })?;
        (
            summary.findings,
            summary.findings_by_code,
            summary.findings_by_source,
        ) = counts;
        store.head = Head {
            schema: SCHEMA.to_string(),
            generator: format!("riskflow {}", env!("CARGO_PKG_VERSION")),
            rules_digest: opts.rules.digest.clone(),
            summary,
            texts: texts.list,
        };
        Ok(store)
    }
}

/// Finding ids in catalog order; a repeat (same code, place and evidence
/// twice in one file, or in two copies of one file) gets `-2`, `-3` … like
/// every other id. Keyed by the id's 48 bits, not its text.
#[derive(Default)]
struct FindingIds {
    seen: HashMap<u64, usize>,
}

impl FindingIds {
    /// The id [`finding_id`] gave, numbered if it came before.
    fn number(&mut self, id: String) -> String {
        let key = u64::from_str_radix(&id[3..], 16).unwrap_or(0);
        let n = self.seen.entry(key).or_insert(0);
        *n += 1;
        if *n == 1 { id } else { format!("{id}-{n}") }
    }
}

/// A finding's id: `fd-` + 12 hex of a hash of code, the source file's
/// SHA-256, location and evidence (CATALOG.md). It names the defect, not
/// the run: the same file read again gives the same id.
pub fn finding_id(code: &str, source_sha256: &str, location: &str, evidence: &str) -> String {
    format!(
        "fd-{}",
        short_hash(&[code, source_sha256, location, evidence])
    )
}

fn source_finding(source: &str, code: &str, message: &str, location: &str) -> Finding {
    let severity = match code {
        "source.unsupported" | "source.empty" => Severity::Warning,
        _ => Severity::Error,
    };
    Finding {
        id: String::new(),
        code: code.to_string(),
        severity,
        source: source.to_string(),
        chart: None,
        step: None,
        risk_point: None,
        location: location.to_string(),
        message: message.to_string(),
        evidence: String::new(),
        suggestion: None,
    }
}

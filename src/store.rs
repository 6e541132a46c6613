//! The catalog held part by part: one [`Part`] per source (its `Source`
//! row, its charts, its findings), in path order, kept in memory while they
//! are small and spilled to a file in the output folder once they are not.
//!
//! Why: holding the whole catalog (and every output built from it) made a
//! run's memory grow with its inputs (~0.67 MiB per file, 11 GB for 16,000
//! files). Everything that needs the whole run at once works on compact
//! keys instead (distinct lines for the texts, a content hash per chart for
//! duplicates, counts for the summary), and every writer reads the parts
//! back in order, as a stream ([`crate::write::Parts`]).
//!
//! Spill format: one record per part, its length (4 bytes, little-endian)
//! then the part in postcard, a compact binary serde format. Every writer
//! reads the whole spill again (some more than once), so its parsing cost
//! is paid many times per part: with JSON lines the 4,000-file benchmark
//! run took 8 % longer (paired, all outputs, same bytes out). Each reader
//! opens the file on its own, so the writers stream it in parallel.

use crate::catalog::{Catalog, Chart, Finding, Source, Summary, Text};
use crate::write::TempFile;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// One source's share of the catalog, in catalog order.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Part {
    /// The source; a run's parts have one each. (An in-memory catalog
    /// whose lists are not in source order is read as one part holding
    /// them all, see `write::CatalogParts`.)
    pub sources: Vec<Source>,
    pub charts: Vec<Chart>,
    pub findings: Vec<Finding>,
}

impl Part {
    /// Roughly the heap bytes the part holds: what decides when parts go
    /// to the spill file. Strings count by length, each value by a guess of
    /// its fixed size.
    pub fn weight(&self) -> usize {
        let s = |x: &str| x.len() + 24;
        let o = |x: &Option<String>| x.as_deref().map_or(0, s);
        let mut n = 256;
        for src in &self.sources {
            n += s(&src.path) + 64 * src.charts.len() + 256;
        }
        for c in &self.charts {
            n += 256 + s(&c.location) + o(&c.title) + o(&c.department) + s(&c.name);
            n += o(&c.category_raw) + o(&c.code) + o(&c.time_limit) + 64 * c.contacts.len();
            for st in &c.steps {
                n += 96 + s(&st.name) + s(&st.raw) + o(&st.actor) + o(&st.time_limit);
            }
            for rp in &c.risk_points {
                n += 160 + o(&rp.label) + rp.responsible.iter().map(|r| s(r)).sum::<usize>();
                n += rp.grade.as_ref().map_or(0, |g| 96 + g.raw.len());
                for l in rp.items.iter().chain(&rp.measures) {
                    n += 64 + s(&l.text) + o(&l.marker) + s(&l.text_id);
                }
            }
        }
        for f in &self.findings {
            n += 200 + s(&f.message) + s(&f.evidence) + s(&f.location) + s(&f.id);
            n += o(&f.chart) + o(&f.risk_point) + o(&f.suggestion);
        }
        n
    }
}

/// What is not per source: the catalog's head, its summary and its texts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Head {
    pub schema: String,
    pub generator: String,
    pub rules_digest: String,
    pub summary: Summary,
    pub texts: Vec<Text>,
}

/// Why the parts could not be held.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot write the working file {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read the working file {path}: {message}")]
    Read { path: PathBuf, message: String },
}

/// Parts as they are added: in memory up to a budget, then in a file.
#[derive(Debug)]
pub struct Parts {
    held: Vec<Part>,
    weight: usize,
    budget: usize,
    /// Where the spill file goes (none: always in memory).
    dir: Option<PathBuf>,
    file: Option<SpillWriter>,
    /// The first write error: later parts are dropped, and `finish` reports it.
    failed: Option<StoreError>,
    count: usize,
}

impl Parts {
    /// Parts held in memory until their weight passes `budget` bytes, then
    /// written to a spill file in `dir` (never, without a `dir`).
    pub fn new(dir: Option<&Path>, budget: usize) -> Parts {
        Parts {
            held: Vec::new(),
            weight: 0,
            budget,
            dir: dir.map(Path::to_path_buf),
            file: None,
            failed: None,
            count: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Add the next part. A write error is kept for [`Parts::finish`].
    pub fn push(&mut self, part: Part) {
        self.count += 1;
        if self.failed.is_some() {
            return;
        }
        if let Some(file) = &mut self.file {
            if let Err(e) = file.write(&part) {
                self.failed = Some(e);
            }
            return;
        }
        self.weight += part.weight();
        self.held.push(part);
        if self.weight > self.budget
            && let Some(dir) = &self.dir
        {
            let spilled = SpillWriter::create(dir, "parts").and_then(|mut w| {
                for p in &self.held {
                    w.write(p)?;
                }
                Ok(w)
            });
            match spilled {
                Ok(w) => {
                    self.file = Some(w);
                    self.held = Vec::new();
                }
                Err(e) => self.failed = Some(e),
            }
        }
    }

    /// Every part changed by `prepare` (each on its own, on all cores) and
    /// then by `finalise` (in order), held where they are.
    pub fn finish(
        self,
        head: Head,
        prepare: impl Fn(&mut Part) + Sync,
        mut finalise: impl FnMut(&mut Part),
    ) -> Result<Store, StoreError> {
        use rayon::prelude::*;
        if let Some(e) = self.failed {
            return Err(e);
        }
        let held = match self.file {
            None => {
                let mut parts = self.held;
                parts.par_iter_mut().for_each(&prepare);
                parts.iter_mut().for_each(&mut finalise);
                Held::Memory(parts)
            }
            Some(raw) => {
                let raw = raw.finish()?;
                let dir = self.dir.as_deref().unwrap_or(Path::new("."));
                let mut out = SpillWriter::create(dir, "catalog")?;
                read_runs(raw.path(), RUN_WEIGHT, |run: &mut Vec<Part>| {
                    run.par_iter_mut().for_each(&prepare);
                    for mut part in run.drain(..) {
                        finalise(&mut part);
                        out.write(&part)?;
                    }
                    Ok::<(), StoreError>(())
                })?;
                drop(raw);
                Held::File(out.finish()?)
            }
        };
        Ok(Store { head, held })
    }
}

/// Weight ([`Part::weight`]) of the parts taken at once where a run of
/// them is worked on together: bounds the memory that takes.
pub const RUN_WEIGHT: usize = 16 << 20;

/// Parts taken at once from memory by [`Store::each_run`] (they are held
/// already: this only spreads the work).
pub const RUN_PARTS: usize = 64;

/// The finished catalog, part by part.
#[derive(Debug)]
pub struct Store {
    pub head: Head,
    held: Held,
}

#[derive(Debug)]
enum Held {
    Memory(Vec<Part>),
    File(TempFile),
}

impl Store {
    /// Whether the parts are in a spill file (else in memory).
    pub fn spilled(&self) -> bool {
        matches!(self.held, Held::File(_))
    }

    /// Call `f` with every part, in order. Each call reads the parts anew:
    /// readers may run at once, from several threads.
    pub fn each<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(&Part) -> Result<(), E>,
    ) -> Result<(), E> {
        match &self.held {
            Held::Memory(parts) => parts.iter().try_for_each(f),
            Held::File(file) => read_parts(file.path(), |part| f(&part)),
        }
    }

    /// Call `f` with runs of parts, in order, for a writer that works on
    /// several parts at once (in parallel) with its memory still bounded:
    /// parts held in memory in runs of [`RUN_PARTS`], spilled ones read
    /// back in runs of about `weight` ([`Part::weight`]), or one part when
    /// that is more.
    pub fn each_run<E: From<StoreError>>(
        &self,
        weight: usize,
        mut f: impl FnMut(&[Part]) -> Result<(), E>,
    ) -> Result<(), E> {
        match &self.held {
            Held::Memory(parts) => parts.chunks(RUN_PARTS).try_for_each(f),
            Held::File(file) => read_runs(file.path(), weight, |run: &mut Vec<Part>| {
                let done = f(run);
                run.clear();
                done
            }),
        }
    }

    /// Done with the store, the process about to exit: a spill file is
    /// removed; parts held in memory are left for the exit to reclaim
    /// (freeing a large catalog string by string took ~10 ms of a run's end).
    pub fn release(self) {
        match self.held {
            Held::File(file) => drop(file),
            Held::Memory(parts) => std::mem::forget(parts),
        }
    }

    /// The whole catalog in memory (the library's [`crate::ingest()`]).
    pub fn into_catalog(self) -> Result<Catalog, StoreError> {
        let mut sources = Vec::new();
        let mut charts = Vec::new();
        let mut findings = Vec::new();
        let mut take = |p: Part| {
            sources.extend(p.sources);
            charts.extend(p.charts);
            findings.extend(p.findings);
        };
        match self.held {
            Held::Memory(parts) => parts.into_iter().for_each(take),
            Held::File(file) => for_each_part(file.path(), |p| {
                take(p);
                Ok(())
            })?,
        }
        let h = self.head;
        Ok(Catalog {
            schema: h.schema,
            generator: h.generator,
            rules_digest: h.rules_digest,
            summary: h.summary,
            sources,
            charts,
            texts: h.texts,
            findings,
        })
    }
}

/// A spill file being written: `.NAME.spill.tmp-PID` in the output folder,
/// so that a run that dies leaves it to the next run's tidy-up
/// (`write::OutputDir::open` removes a dead run's temporaries).
#[derive(Debug)]
struct SpillWriter {
    out: BufWriter<std::fs::File>,
    file: TempFile,
    record: Vec<u8>,
}

impl SpillWriter {
    fn create(dir: &Path, name: &str) -> Result<SpillWriter, StoreError> {
        let name = format!("{name}.spill");
        let (file, f) = TempFile::create(dir, &name).map_err(|source| StoreError::Write {
            path: dir.join(crate::write::temp_name(&name)),
            source,
        })?;
        Ok(SpillWriter {
            out: BufWriter::with_capacity(1 << 20, f),
            file,
            record: Vec::new(),
        })
    }

    fn write(&mut self, part: &Part) -> Result<(), StoreError> {
        self.record.clear();
        self.record.extend_from_slice(&[0; 4]);
        // A part holds strings, integers, options and lists only:
        // serialising it into memory cannot fail.
        let encoded = postcard::to_io(part, &mut self.record).is_ok();
        let len = u32::try_from(self.record.len() - 4)
            .ok()
            .filter(|_| encoded)
            .ok_or_else(|| StoreError::Write {
                path: self.file.path().to_path_buf(),
                source: std::io::Error::other("a part too large for the spill"),
            })?;
        self.record[..4].copy_from_slice(&len.to_le_bytes());
        self.out
            .write_all(&self.record)
            .map_err(|source| StoreError::Write {
                path: self.file.path().to_path_buf(),
                source,
            })
    }

    fn finish(self) -> Result<TempFile, StoreError> {
        let SpillWriter { out, file, .. } = self;
        out.into_inner()
            .map_err(|e| e.into_error())
            .map_err(|source| StoreError::Write {
                path: file.path().to_path_buf(),
                source,
            })?;
        Ok(file)
    }
}

/// The parts of a spill file in runs of about `weight` ([`Part::weight`],
/// one part when that is more), the last run whatever is left: `f` gets
/// each run and must empty it.
fn read_runs<E: From<StoreError>>(
    path: &Path,
    weight: usize,
    mut f: impl FnMut(&mut Vec<Part>) -> Result<(), E>,
) -> Result<(), E> {
    let mut run = Vec::new();
    let mut held = 0;
    read_parts(path, |part| {
        held += part.weight();
        run.push(part);
        if held < weight {
            return Ok(());
        }
        held = 0;
        f(&mut run)
    })?;
    if run.is_empty() { Ok(()) } else { f(&mut run) }
}

/// [`for_each_part`] with the caller's own error: `f`'s error stops the
/// reading and is returned as it is; a reading error becomes an `E`.
fn read_parts<E: From<StoreError>>(
    path: &Path,
    mut f: impl FnMut(Part) -> Result<(), E>,
) -> Result<(), E> {
    let mut inner: Option<E> = None;
    let read = for_each_part(path, |part| {
        f(part).map_err(|e| {
            inner = Some(e);
            StoreError::Read {
                path: PathBuf::new(),
                message: String::new(),
            }
        })
    });
    match (read, inner) {
        (_, Some(e)) => Err(e),
        (Err(e), None) => Err(e.into()),
        (Ok(()), None) => Ok(()),
    }
}

/// Every part of a spill file, in order.
fn for_each_part(
    path: &Path,
    mut f: impl FnMut(Part) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let fail = |message: String| StoreError::Read {
        path: path.to_path_buf(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    let mut record = Vec::new();
    loop {
        let mut len = [0; 4];
        match reader.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(fail(e.to_string())),
        }
        record.resize(u32::from_le_bytes(len) as usize, 0);
        reader
            .read_exact(&mut record)
            .map_err(|e| fail(e.to_string()))?;
        let part: Part = postcard::from_bytes(&record).map_err(|e| fail(e.to_string()))?;
        f(part)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        serde_json::from_str(include_str!("../tests/data/review/small.catalog.json")).unwrap()
    }

    fn parts_of(cat: &Catalog) -> Vec<Part> {
        cat.sources
            .iter()
            .map(|s| Part {
                sources: vec![s.clone()],
                charts: cat
                    .charts
                    .iter()
                    .filter(|c| c.source == s.id)
                    .cloned()
                    .collect(),
                findings: cat
                    .findings
                    .iter()
                    .filter(|f| f.source == s.id)
                    .cloned()
                    .collect(),
            })
            .collect()
    }

    fn head(cat: &Catalog) -> Head {
        Head {
            schema: cat.schema.clone(),
            generator: cat.generator.clone(),
            rules_digest: cat.rules_digest.clone(),
            summary: cat.summary.clone(),
            texts: cat.texts.clone(),
        }
    }

    /// Parts spilled to a file (budget 0) read back equal, each in turn,
    /// and the file is gone once the store is.
    #[test]
    fn a_spilled_part_reads_back_exactly() {
        let cat = catalog();
        let dir = std::env::temp_dir().join(format!("riskflow-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut parts = Parts::new(Some(&dir), 0);
        for p in parts_of(&cat) {
            parts.push(p);
        }
        let store = parts
            .finish(
                head(&cat),
                |_| {},
                |p| {
                    for f in &mut p.findings {
                        f.id.push('!');
                    }
                },
            )
            .unwrap();
        assert!(store.spilled());
        let mut back = Vec::new();
        store
            .each(|p| {
                back.push(p.clone());
                Ok::<(), StoreError>(())
            })
            .unwrap();
        let mut expected = parts_of(&cat);
        for p in &mut expected {
            for f in &mut p.findings {
                f.id.push('!');
            }
        }
        assert_eq!(back, expected);
        let whole = store.into_catalog().unwrap();
        assert_eq!(whole.findings.len(), cat.findings.len());
        assert_eq!(whole.charts, cat.charts);
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert!(left.is_empty(), "spill files removed: {left:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Runs of parts cover every part once, in order: spilled parts cut
    /// where their weight reaches the limit (one part each at a weight of
    /// 1, all in one run at a weight larger than the lot), parts in memory
    /// in runs of `RUN_PARTS`.
    #[test]
    fn runs_of_parts_cover_them_in_order() {
        let cat = catalog();
        let dir = std::env::temp_dir().join(format!("riskflow-runs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // Three parts, told apart by their source's path.
        let expected: Vec<Part> = (0..3)
            .flat_map(|k| {
                parts_of(&cat).into_iter().map(move |mut p| {
                    p.sources[0].path = format!("{k}/{}", p.sources[0].path);
                    p
                })
            })
            .collect();
        for folder in [None, Some(dir.as_path())] {
            let mut parts = Parts::new(folder, 0);
            for p in expected.clone() {
                parts.push(p);
            }
            let store = parts.finish(head(&cat), |_| {}, |_| {}).unwrap();
            assert_eq!(store.spilled(), folder.is_some());
            // In memory, runs of `RUN_PARTS` whatever the weight.
            let cut = if folder.is_some() { expected.len() } else { 1 };
            for (weight, runs) in [(1, cut), (usize::MAX, 1)] {
                let mut back = Vec::new();
                let mut sizes = Vec::new();
                store
                    .each_run(weight, |run| {
                        sizes.push(run.len());
                        back.extend_from_slice(run);
                        Ok::<(), StoreError>(())
                    })
                    .unwrap();
                assert_eq!(sizes.len(), runs, "weight {weight}: {sizes:?}");
                assert_eq!(back, expected, "weight {weight}");
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Without a folder nothing is spilled, whatever the weight.
    #[test]
    fn without_a_folder_parts_stay_in_memory() {
        let cat = catalog();
        let mut parts = Parts::new(None, 0);
        for p in parts_of(&cat) {
            parts.push(p);
        }
        let store = parts.finish(head(&cat), |_| {}, |_| {}).unwrap();
        assert!(!store.spilled());
        assert_eq!(store.into_catalog().unwrap(), cat);
    }

    /// A spill folder that cannot be written is an error, not a panic.
    #[test]
    fn an_unwritable_spill_folder_is_an_error() {
        let cat = catalog();
        let mut parts = Parts::new(Some(Path::new("/nonexistent/riskflow")), 0);
        for p in parts_of(&cat) {
            parts.push(p);
        }
        assert!(matches!(
            parts.finish(head(&cat), |_| {}, |_| {}),
            Err(StoreError::Write { .. })
        ));
    }
}

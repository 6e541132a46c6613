//! Every spreadsheet of the robustness corpus must be read or refused
//! cleanly: no panic, no hang, no runaway memory. Plus exact expectations on
//! a few real files (merged cells in three formats, encryption).

#[path = "support/shared.rs"]
mod shared;

use riskflow::document::{Block, BlockKind, Document};
use riskflow::read::{Limits, ReadError, read};
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

/// The corpus folder; `RISKFLOW_CORPUS` overrides it (a worktree sits one
/// level deeper than the main checkout).
fn corpus_root() -> PathBuf {
    std::env::var_os("RISKFLOW_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(CORPUS))
}
const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "ods", "xls"];
const PER_FILE: Duration = Duration::from_secs(30);

fn spreadsheets(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            spreadsheets(&path, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(path);
        }
    }
}

/// Peak resident set size of this process in KiB (`VmHWM`).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

enum Outcome {
    Read(Result<Document, ReadError>),
    Panicked(String),
}

fn read_guarded(path: &Path) -> Option<Outcome> {
    let bytes = std::fs::read(path).ok()?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let out = match catch_unwind(AssertUnwindSafe(|| read(&bytes, &Limits::default()).1)) {
            Ok(r) => Outcome::Read(r),
            Err(p) => Outcome::Panicked(
                p.downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| p.downcast_ref::<String>().cloned())
                    .unwrap_or_default(),
            ),
        };
        let _ = tx.send(out);
    });
    rx.recv_timeout(PER_FILE).ok()
}

#[test]
fn every_corpus_spreadsheet_is_read_or_refused_cleanly() {
    let root = corpus_root();
    let root = root.as_path();
    if shared::require(root).is_none() {
        return;
    }
    let mut files = Vec::new();
    spreadsheets(root, &mut files);
    files.sort();
    let started = Instant::now();
    let rss_before = peak_rss_kib().unwrap_or(0);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut peaks: Vec<(u64, String)> = Vec::new();
    let mut overall_peak = rss_before;
    for path in &files {
        let name = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        let t = Instant::now();
        let outcome = read_guarded(path);
        let peak = peak_rss_kib().unwrap_or(0);
        // The allocator keeps freed memory, so a file's own peak shows as the
        // rise of the overall peak while it was read.
        if peak > overall_peak {
            peaks.push((peak - overall_peak, name.clone()));
            overall_peak = peak;
        }
        let key = match outcome {
            None => {
                failures.push(format!("{name}: no answer within {PER_FILE:?}"));
                "hung".to_string()
            }
            Some(Outcome::Panicked(m)) => {
                failures.push(format!("{name}: panicked: {m}"));
                "panicked".to_string()
            }
            Some(Outcome::Read(Ok(doc))) if doc.issues.is_empty() => "ok".to_string(),
            Some(Outcome::Read(Ok(doc))) => {
                println!("partial: {name}: {}", doc.issues[0].message);
                format!("partial {}", doc.issues[0].code)
            }
            Some(Outcome::Read(Err(e))) => {
                println!("failed: {name}: {e}");
                format!("failed {}", e.code())
            }
        };
        if t.elapsed() > Duration::from_secs(5) {
            println!("slow: {name} took {:?}", t.elapsed());
        }
        *counts.entry(key).or_default() += 1;
    }
    peaks.sort_by_key(|p| std::cmp::Reverse(p.0));
    println!("{} spreadsheets in {:?}", files.len(), started.elapsed());
    for (k, n) in &counts {
        println!("  {k}: {n}");
    }
    println!("peak RSS before {rss_before} KiB, highest during the run {overall_peak} KiB");
    for (kib, name) in peaks.iter().take(5) {
        println!("  peak rose by {kib} KiB while reading {name}");
    }
    assert!(
        failures.is_empty(),
        "{} files panicked or hung:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Nothing in the corpus needs anywhere near this much.
    assert!(overall_peak < 1_500_000, "peak RSS {overall_peak} KiB");
}

fn corpus_file(rel: &str) -> Option<Vec<u8>> {
    shared::require(&corpus_root())?;
    // The corpus is there: a file the test names must be too.
    let path = corpus_root().join(rel);
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// (origin, text, row_span, col_span) of the cell blocks with a span.
fn merged(doc: &Document) -> Vec<(String, String, u32, u32)> {
    doc.blocks
        .iter()
        .filter_map(|b: &Block| match b.kind {
            BlockKind::Cell {
                row_span, col_span, ..
            } if row_span > 1 || col_span > 1 => {
                Some((b.origin.clone(), b.text.clone(), row_span, col_span))
            }
            _ => None,
        })
        .collect()
}

fn read_corpus(rel: &str) -> Option<Result<Document, ReadError>> {
    corpus_file(rel).map(|bytes| read(&bytes, &Limits::default()).1)
}

const MERGES: [(&str, &str, u32, u32); 3] = [
    ("Sheet1!A1:B1", "Row Merge", 1, 2),
    ("Sheet1!A2:A4", "Column Merge", 3, 1),
    ("Sheet1!B2:D4", "Chunk Merged", 3, 3),
];

fn owned(v: &[(&str, &str, u32, u32)]) -> Vec<(String, String, u32, u32)> {
    v.iter()
        .map(|&(o, t, r, c)| (o.to_string(), t.to_string(), r, c))
        .collect()
}

#[test]
fn merged_cells_xlsx_and_xls_give_one_block_per_region() {
    for rel in [
        "calamine/tests/merge_cells.xlsx",
        "calamine/tests/merge_cells.xls",
    ] {
        let Some(doc) = read_corpus(rel) else {
            continue;
        };
        let doc = doc.unwrap();
        assert_eq!(merged(&doc), owned(&MERGES), "{rel}");
        let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Row Merge", "Not Merged", "Column Merge", "Chunk Merged"],
            "{rel}"
        );
        assert!(doc.issues.is_empty(), "{rel}");
    }
}

#[test]
fn merged_cells_ods_spans_rows_and_skips_covered_cells() {
    let Some(doc) = read_corpus("calamine/tests/merged_cells.ods") else {
        return;
    };
    let doc = doc.unwrap();
    assert_eq!(merged(&doc), owned(&[("Sheet1!A2:A3", "A", 2, 1)]));
    let origins: Vec<&str> = doc.blocks.iter().map(|b| b.origin.as_str()).collect();
    assert_eq!(
        origins,
        [
            "Sheet1!A1",
            "Sheet1!B1",
            "Sheet1!C1",
            "Sheet1!A2:A3",
            "Sheet1!B2",
            "Sheet1!C2",
            "Sheet1!C3"
        ]
    );
}

#[test]
fn password_protected_spreadsheets_are_encrypted() {
    for rel in [
        "poi/test-data/spreadsheet/password.xls",
        "poi/test-data/spreadsheet/xor-encryption-abc.xls",
        "calamine/tests/pass_protected.ods",
    ] {
        let Some(r) = read_corpus(rel) else { continue };
        assert!(matches!(r, Err(ReadError::Encrypted(_))), "{rel}: {r:?}");
    }
}

#[test]
fn hostile_spreadsheets_are_refused_or_capped() {
    // Four cells in the corners of a BIFF8 sheet: calamine would fill a 16 M-slot range.
    if let Some(r) = read_corpus("poi/test-data/spreadsheet/51535.xls") {
        assert_eq!(
            r,
            Err(ReadError::Unreadable(
                "第 1 个工作表的单元格分布在 A1:IV65536（16777216 个格）这样大的范围内，解析需要约 1024 MB 内存，超过上限 256 MB，拒绝读取".into()
            ))
        );
    }
    // A billion repeated cells in 600 bytes.
    if let Some(r) = read_corpus("calamine/tests/issue_594_dos.ods") {
        let doc = r.unwrap();
        assert_eq!(doc.blocks.len(), 100_001);
        assert_eq!(doc.issues.len(), 1);
    }
    // Entity-expansion bomb: quick-xml does not expand DTD entities.
    if let Some(r) = read_corpus("poi/test-data/spreadsheet/poc-xmlbomb.xlsx") {
        assert!(
            matches!(r, Err(ReadError::Unreadable(ref m)) if m.contains("unrecognized entity")),
            "{r:?}"
        );
    }
    // calamine's own allocation regressions read normally.
    if let Some(r) = read_corpus("calamine/tests/OOM_alloc2.xls") {
        let doc = r.unwrap();
        assert_eq!(doc.blocks[0].origin, "Colsale (Aug!A1");
        assert_eq!(doc.blocks[0].text, "Sales_Statement_Id");
    }
}

#[test]
fn drawing_shapes_and_pictures_come_after_the_cells() {
    if let Some(r) = read_corpus("poi/test-data/spreadsheet/WithTextBox2.xlsx") {
        let doc = r.unwrap();
        let shapes: Vec<(&str, &str)> = doc
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Shape)
            .map(|b| (b.origin.as_str(), b.text.as_str()))
            .collect();
        assert_eq!(
            shapes,
            [(
                "Sheet2!drawing/sp2",
                "1.\tcontent1A\n1.\tcontent1B\n2.\tcontent2B\n3.\tcontent3B\n2.\tcontent2A\n3.\tcontent2BStartAt3\n\n\n4.\tcontent2BStartAt3Incremented"
            )]
        );
    }
    if let Some(r) = read_corpus("poi/test-data/spreadsheet/WithDrawing.xlsx") {
        let doc = r.unwrap();
        let drawn: Vec<(&str, &BlockKind)> = doc
            .blocks
            .iter()
            .filter(|b| !matches!(b.kind, BlockKind::Cell { .. }))
            .map(|b| (b.origin.as_str(), &b.kind))
            .collect();
        assert_eq!(
            drawn,
            [
                ("Sheet1!drawing/pic2", &BlockKind::Image),
                ("Sheet1!drawing/pic3", &BlockKind::Image),
                ("Sheet1!drawing/pic5", &BlockKind::Image),
                ("Sheet1!drawing/pic7", &BlockKind::Image),
                ("Sheet1!drawing/sp9", &BlockKind::Shape),
                ("Sheet1!drawing/pic8", &BlockKind::Image),
            ]
        );
        let sp9 = doc
            .blocks
            .iter()
            .find(|b| b.origin == "Sheet1!drawing/sp9")
            .unwrap();
        assert_eq!(
            sp9.text,
            "Sheet with various pictures\n(jpeg, png, wmf, emf and pict)"
        );
        assert_eq!(
            sp9.rect,
            Some(riskflow::document::Rect {
                x: 2_390_775,
                y: 3_009_900,
                w: 1_905_971,
                h: 436_786
            })
        );
    }
}

/// Debugging aid: `PROBE=calamine/tests/a.xlsx,… cargo test --test corpus_xlsx probe -- --ignored --nocapture`
/// prints every block of the named corpus files.
#[test]
#[ignore]
fn probe() {
    for rel in std::env::var("PROBE").unwrap_or_default().split(',') {
        let Some(bytes) = corpus_file(rel) else {
            continue;
        };
        let (f, r) = read(&bytes, &Limits::default());
        println!("== {rel} {f:?}");
        match r {
            Ok(doc) => {
                for b in &doc.blocks {
                    println!("{:?} {:?} {:?} {:?}", b.origin, b.text, b.kind, b.rect);
                }
                println!("issues {:?}", doc.issues);
            }
            Err(e) => println!("error {e:?}"),
        }
        println!("peak RSS {} KiB", peak_rss_kib().unwrap_or(0));
    }
}

//! Robustness over the shared corpus: every .docx/.docm/.dotx is read or
//! refused cleanly (no panic, no hang), and a few real files give known text.

#[path = "support/shared.rs"]
mod shared;

use riskflow::document::{BlockKind, Document};
use riskflow::read::{Limits, ReadError, read};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

/// The corpus folder; `RISKFLOW_CORPUS` overrides it (e.g. from a worktree).
fn corpus() -> PathBuf {
    std::env::var_os("RISKFLOW_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(CORPUS))
}

const PER_FILE: Duration = Duration::from_secs(30);

fn word_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            word_files(&path, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "docx" | "docm" | "dotx"))
        {
            out.push(path);
        }
    }
}

enum Outcome {
    Read(Result<Document, ReadError>),
    Panicked,
    Hung,
}

/// Read one file in its own thread, under catch_unwind, with a time limit.
fn read_guarded(path: &Path) -> Outcome {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return Outcome::Read(Err(ReadError::Unreadable(format!("cannot open: {e}")))),
    };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(|| read(&bytes, &Limits::default()).1);
        let _ = tx.send(result);
    });
    match rx.recv_timeout(PER_FILE) {
        Ok(Ok(result)) => Outcome::Read(result),
        Ok(Err(_)) => Outcome::Panicked,
        Err(mpsc::RecvTimeoutError::Timeout) => Outcome::Hung,
        Err(mpsc::RecvTimeoutError::Disconnected) => Outcome::Panicked,
    }
}

#[test]
fn every_word_file_is_read_or_refused_cleanly() {
    let root = corpus();
    if shared::require(&root).is_none() {
        return;
    }
    let mut files = Vec::new();
    word_files(&root, &mut files);
    files.sort();
    let (mut ok, mut partial) = (0, 0);
    let mut refused: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut bad = Vec::new();
    for path in &files {
        match read_guarded(path) {
            Outcome::Read(Ok(doc)) if doc.issues.is_empty() => {
                if doc.chars_read() == 0 {
                    println!("no text: {}", path.display());
                }
                ok += 1;
            }
            Outcome::Read(Ok(doc)) => {
                println!("partial {}: {:?}", path.display(), doc.issues);
                partial += 1;
            }
            Outcome::Read(Err(e)) => {
                println!("refused {}: {e}", path.display());
                *refused.entry(e.code()).or_default() += 1;
            }
            Outcome::Panicked => bad.push(format!("panicked: {}", path.display())),
            Outcome::Hung => bad.push(format!("hung (>30 s): {}", path.display())),
        }
    }
    println!(
        "{} Word files: ok {ok}, partial {partial}, refused {refused:?}",
        files.len()
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

fn read_corpus_file(rel: &str) -> Option<Document> {
    shared::require(&corpus())?;
    // The corpus is there: a file the test names must be too.
    let path = corpus().join(rel);
    let bytes = std::fs::read(&path).ok()?;
    Some(read(&bytes, &Limits::default()).1.expect("readable"))
}

#[test]
fn stress009_chinese_title_bullets_and_picture() {
    let Some(doc) = read_corpus_file("poi/test-data/integration/stress009.docx") else {
        return;
    };
    assert!(doc.issues.is_empty(), "{:?}", doc.issues);
    let first = &doc.blocks[0];
    assert_eq!(first.text, "NANDrive 微型固态硬盘设计方案");
    assert_eq!(first.kind, BlockKind::Paragraph);
    assert_eq!(first.origin, "word/document.xml#p1");
    // The inline picture: size from wp:extent, placed at the left margin.
    let pic = &doc.blocks[1];
    assert_eq!(pic.kind, BlockKind::Image);
    let rect = pic.rect.expect("picture geometry");
    assert_eq!((rect.x, rect.w, rect.h), (457_200, 5_854_700, 1_528_445));
    // Symbol-font bullets are rendered as Word shows them, then a tab.
    assert!(doc.blocks.iter().any(|b| b.text == "\u{f0b7}\t传输接口 "));
    assert!(doc.blocks.iter().any(|b| b.text == "o\t写保护跳线"));
}

#[test]
fn stress010_nested_vml_groups_keep_their_layout() {
    let Some(doc) = read_corpus_file("poi/test-data/integration/stress010.docx") else {
        return;
    };
    let find = |text: &str| {
        doc.blocks
            .iter()
            .find(|b| b.kind == BlockKind::TextBox && b.text == text)
            .and_then(|b| b.rect)
            .unwrap_or_else(|| panic!("text box {text:?} with a rect"))
    };
    let bottom = find("Beneficiaries");
    let left = find("NGO");
    let right = find("Union Parishad");
    // 2880 × 900 group units at 0.05 pt per unit.
    assert_eq!((bottom.w, bottom.h), (1_828_800, 571_500));
    // NGO and Union Parishad sit on one row above Beneficiaries, left and right of it.
    assert_eq!(left.y, right.y);
    assert_eq!(bottom.y - left.y, 457_200);
    assert!(left.right() < bottom.center_x() && bottom.center_x() < right.x);
}

#[test]
fn libreoffice_conversion_reads_paragraphs_tables_and_box_tables_once() {
    let Some(doc) = read_corpus_file("docx2python/tests/resources/libreoffice_conversion.docx")
    else {
        return;
    };
    assert!(doc.issues.is_empty(), "{:?}", doc.issues);
    assert_eq!(
        doc.blocks[0].text,
        "东阳八婺招标代理有限公司关于东阳市歌山镇农贸市场经营管理权项目"
    );
    let cell = |table, row, col| {
        doc.blocks
            .iter()
            .find(|b| {
                matches!(b.kind, BlockKind::Cell { table: t, row: r, col: c, .. }
                    if (t, r, c) == (table, row, col))
            })
            .map(|b| b.text.as_str())
    };
    assert_eq!(cell(1, 0, 1), Some("项目名称"));
    assert_eq!(cell(1, 1, 1), Some("歌山镇农贸市场经营管理权项目"));
    assert_eq!(cell(2, 3, 1), Some("保洁员"));
    // A table inside a text box (with a VML fallback copy) is read once.
    let pasted: Vec<_> = doc
        .blocks
        .iter()
        .filter(|b| b.text.contains("粘"))
        .collect();
    assert_eq!(pasted.len(), 1);
    assert_eq!(pasted[0].text, "\n\n\n粘\n\n贴\n\n处");
}

/// Developer aid: `DOCX_DUMP=path cargo test --test corpus_docx dump -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump() {
    let Ok(path) = std::env::var("DOCX_DUMP") else {
        return;
    };
    let bytes = std::fs::read(&path).expect("file");
    match read(&bytes, &Limits::default()).1 {
        Ok(doc) => {
            for b in &doc.blocks {
                println!(
                    "{:?} p{} {} {:?} {:?}",
                    b.kind, b.page, b.origin, b.rect, b.text
                );
            }
            println!("issues: {:?}", doc.issues);
        }
        Err(e) => println!("error: {e}"),
    }
}

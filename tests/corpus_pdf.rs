//! Robustness over the shared corpus: every PDF (`../shared/corpus/pdfjs`,
//! pdf.js's regression suite: broken xref tables, object streams,
//! encryption, odd fonts, fuzzed files) is read or refused cleanly (no panic,
//! no hang), and a few real files give known text.

use riskflow::document::Document;
use riskflow::read::{Format, Limits, ReadError, read};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The corpus folder; `RISKFLOW_CORPUS` overrides it (e.g. from a worktree).
fn corpus() -> Option<PathBuf> {
    let p = std::env::var_os("RISKFLOW_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if p.is_dir() {
        return Some(p);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "the corpus must be present in CI"
    );
    println!("corpus not found at {}; skipped", p.display());
    None
}

const PER_FILE: Duration = Duration::from_secs(60);

fn pdf_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            pdf_files(&path, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
        {
            out.push(path);
        }
    }
}

enum Outcome {
    Read(Format, Result<Document, ReadError>),
    Panicked,
    Hung,
}

/// Read one file in its own thread, under catch_unwind, with a time limit.
fn read_guarded(path: &Path) -> Outcome {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return Outcome::Read(
                Format::Unknown,
                Err(ReadError::Unreadable(format!("cannot open: {e}"))),
            );
        }
    };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(|| read(&bytes, &Limits::default()));
        let _ = tx.send(result);
    });
    match rx.recv_timeout(PER_FILE) {
        Ok(Ok((format, result))) => Outcome::Read(format, result),
        Ok(Err(_)) => Outcome::Panicked,
        Err(mpsc::RecvTimeoutError::Timeout) => Outcome::Hung,
        Err(mpsc::RecvTimeoutError::Disconnected) => Outcome::Panicked,
    }
}

#[test]
fn every_pdf_is_read_or_refused_cleanly() {
    let Some(root) = corpus() else { return };
    let mut files = Vec::new();
    pdf_files(&root, &mut files);
    files.sort();
    let (mut ok, mut partial, mut no_text, mut not_pdf) = (0, 0, 0, 0);
    let mut refused: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut issues: BTreeMap<String, usize> = BTreeMap::new();
    let mut bad = Vec::new();
    let start = Instant::now();
    for path in &files {
        let t = Instant::now();
        let outcome = read_guarded(path);
        if t.elapsed() > Duration::from_secs(5) {
            println!(
                "slow ({:.1} s): {}",
                t.elapsed().as_secs_f64(),
                path.display()
            );
        }
        match outcome {
            Outcome::Read(format, _) if format != Format::Pdf => not_pdf += 1,
            Outcome::Read(_, Ok(doc)) => {
                if doc.chars_read() == 0 {
                    no_text += 1;
                    if std::env::var_os("PDF_LIST_NO_TEXT").is_some() {
                        println!(
                            "no text: {} {:?}",
                            path.display(),
                            doc.issues.first().map(|i| &i.code)
                        );
                    }
                }
                if doc.issues.is_empty() {
                    ok += 1;
                } else {
                    partial += 1;
                    for i in &doc.issues {
                        *issues.entry(i.code.clone()).or_default() += 1;
                    }
                }
            }
            Outcome::Read(_, Err(e)) => {
                println!("refused {}: {e}", path.display());
                *refused.entry(e.code()).or_default() += 1;
            }
            Outcome::Panicked => bad.push(format!("panicked: {}", path.display())),
            Outcome::Hung => bad.push(format!("hung (>60 s): {}", path.display())),
        }
    }
    println!(
        "{} PDF files in {:.1} s: ok {ok}, partial {partial} {issues:?}, refused {refused:?}, \
         not a PDF {not_pdf}, no text {no_text}",
        files.len(),
        start.elapsed().as_secs_f64()
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // Most of the suite is readable: a reader that refused everything would fail here.
    assert!(ok + partial > files.len() * 8 / 10, "too few PDFs read");
}

fn read_corpus_pdf(name: &str) -> Option<Result<Document, ReadError>> {
    let path = corpus()?.join("pdfjs/test/pdfs").join(name);
    if !path.is_file() {
        println!("{name} not in the corpus; skipped");
        return None;
    }
    let bytes = std::fs::read(&path).ok()?;
    let (format, result) = read(&bytes, &Limits::default());
    assert_eq!(format, Format::Pdf);
    Some(result)
}

fn first_text(doc: &Document) -> &str {
    doc.blocks
        .iter()
        .map(|b| b.text.as_str())
        .find(|t| !t.is_empty())
        .unwrap_or("")
}

#[test]
fn broken_xref_is_rebuilt() {
    let Some(r) = read_corpus_pdf("xref_command_missing.pdf") else {
        return;
    };
    let doc = r.expect("readable");
    assert!(doc.issues.is_empty(), "{:?}", doc.issues);
    assert_eq!(first_text(&doc), "Reduced test-case");
}

#[test]
fn encrypted_with_empty_user_password_is_read() {
    // RC4, no user password: read like any other file.
    let Some(r) = read_corpus_pdf("bug900822.pdf") else {
        return;
    };
    let doc = r.expect("readable");
    assert_eq!(first_text(&doc), "Test test test test test test");
}

#[test]
fn predefined_cjk_cmap_without_to_unicode() {
    // 90ms-RKSJ-H: codes are Shift-JIS, decoded without a ToUnicode map.
    let Some(r) = read_corpus_pdf("90ms_rksj_h_sample.pdf") else {
        return;
    };
    let doc = r.expect("readable");
    assert_eq!(first_text(&doc), "Hello ASCII日本語テスト");
}

#[test]
fn glyphs_without_any_mapping_are_reported_not_dropped() {
    // Identity-H with a Japan1 font and no ToUnicode: no table to map it.
    let Some(r) = read_corpus_pdf("noembed-identity.pdf") else {
        return;
    };
    let doc = r.expect("readable");
    assert_eq!(doc.issues.len(), 1, "{:?}", doc.issues);
    assert_eq!(doc.issues[0].code, "source.unreadable");
    assert!(
        doc.issues[0].message.contains("Ryumin-Light-Identity-H"),
        "{}",
        doc.issues[0].message
    );
}

#[test]
fn undecodable_content_is_reported() {
    // AES-256 content that cannot be decrypted: the page is not silently empty.
    let Some(r) = read_corpus_pdf("issue7665.pdf") else {
        return;
    };
    let doc = r.expect("opened");
    assert_eq!(doc.issues.len(), 1, "{:?}", doc.issues);
    assert!(doc.issues[0].message.contains("无法解码"));
}

//! Every .doc / .dot / .wps of the robustness corpus must be read or refused
//! cleanly: no panic, no hang. Plus exact-text checks on a few known files.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use riskflow::document::{BlockKind, Document};
use riskflow::read::{Limits, ReadError};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");
/// Where the corpus is seen from a worktree under `wt/`.
const CORPUS_FROM_WORKTREE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus");

fn corpus() -> Option<&'static Path> {
    [CORPUS, CORPUS_FROM_WORKTREE]
        .into_iter()
        .map(Path::new)
        .find(|p| p.is_dir())
}
const PER_FILE: Duration = Duration::from_secs(30);

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if let Some(ext) = p.extension().and_then(|e| e.to_str()) {
            if ["doc", "dot", "wps"].contains(&ext.to_ascii_lowercase().as_str()) {
                out.push(p);
            }
        }
    }
}

enum Outcome {
    Read(Result<Document, ReadError>),
    Panicked,
    Hung,
}

fn read_guarded(bytes: Vec<u8>) -> Outcome {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = std::panic::catch_unwind(|| riskflow::read::read(&bytes, &Limits::default()).1);
        let _ = tx.send(r);
    });
    match rx.recv_timeout(PER_FILE) {
        Ok(Ok(r)) => Outcome::Read(r),
        Ok(Err(_)) => Outcome::Panicked,
        Err(_) => Outcome::Hung,
    }
}

#[test]
fn corpus_never_panics_or_hangs() {
    let Some(root) = corpus() else {
        println!("corpus not found at {CORPUS}; skipped");
        return;
    };
    let mut files = Vec::new();
    collect(root, &mut files);
    files.sort();
    let started = Instant::now();
    let (mut ok, mut partial, mut refused) = (0, 0, 0);
    let mut bad = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap_or_default();
        match read_guarded(bytes) {
            Outcome::Read(Ok(d)) if d.issues.is_empty() => ok += 1,
            Outcome::Read(Ok(_)) => partial += 1,
            Outcome::Read(Err(_)) => refused += 1,
            Outcome::Panicked => bad.push(format!("panicked: {}", f.display())),
            Outcome::Hung => bad.push(format!("hung: {}", f.display())),
        }
    }
    println!(
        "{} files in {:?}: {ok} ok, {partial} partial, {refused} refused, {} bad",
        files.len(),
        started.elapsed(),
        bad.len()
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// `DOC_DUMP=path cargo test --test corpus_doc dump -- --ignored --nocapture`
#[test]
#[ignore]
fn dump() {
    let Ok(paths) = std::env::var("DOC_DUMP") else {
        return;
    };
    for path in paths.split(':') {
        let bytes = std::fs::read(path).unwrap();
        let (fmt, r) = riskflow::read::read(&bytes, &Limits::default());
        println!("== {path} {fmt:?}");
        match r {
            Ok(d) => {
                for b in &d.blocks {
                    println!(
                        "{:?} p{} {:?} {} {:?}",
                        b.kind, b.page, b.rect, b.origin, b.text
                    );
                }
                println!("issues {:?}", d.issues);
            }
            Err(e) => println!("error {e:?}"),
        }
    }
}

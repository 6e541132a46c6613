//! Ingest benchmark: builds a bulk corpus of generated flow-chart .docx and
//! .xlsx files under /tmp and reports, in one run, against a floor measured
//! in the same run:
//!
//! - floor: inflate every zip part of every file and tokenise every XML part
//!   with quick-xml (one thread);
//! - read stage: `riskflow::read::read` (bytes → Document) on every file, in
//!   this process (one thread); and, timed apart, the layout stage
//!   (`riskflow::layout::charts`, Document → chart drafts) on each;
//! - the `riskflow` binary: full ingest with `--format json`, and with all
//!   five outputs (workers, default jobs), wall time and peak RSS;
//! - with `--scale`: full ingest (all outputs) at 1k and 4k files, and 16k
//!   with `--with-16k`, as a table of wall time, ms per file and peak RSS;
//! - with `--docling EXE`: that text extractor (docling.rs's bench driver,
//!   run as `EXE DIR 2`: every file of the folder, two threads) against
//!   riskflow's JSON and all-outputs runs, in turn, `--pairs` times (5),
//!   medians and their ratios (README "Speed and memory" says how to build
//!   it; it is not part of this repository).
//!
//! ```text
//! cargo build --release && cargo run --release --example bench_ingest -- [--files N] [--word-only] [--scale] [--with-16k] [--docling EXE [--pairs N]]
//! ```
//!
//! The corpus is `/tmp/riskflow-bench/{docx,mixed}/` (made once, reused).

#[path = "../tests/fixturegen/mod.rs"]
#[allow(dead_code)]
mod fixturegen;

use rayon::prelude::*;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct Args {
    files: usize,
    word_only: bool,
    scale: bool,
    with_16k: bool,
    docling: Option<PathBuf>,
    pairs: usize,
}

fn args() -> Args {
    let mut a = Args {
        files: 400,
        word_only: false,
        scale: false,
        with_16k: false,
        docling: None,
        pairs: 5,
    };
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        match x.as_str() {
            "--files" => a.files = it.next().and_then(|n| n.parse().ok()).unwrap_or(400),
            "--word-only" => a.word_only = true,
            "--scale" => a.scale = true,
            "--with-16k" => {
                a.scale = true;
                a.with_16k = true
            }
            "--docling" => a.docling = it.next().map(PathBuf::from),
            "--pairs" => a.pairs = it.next().and_then(|n| n.parse().ok()).unwrap_or(5).max(1),
            other => {
                eprintln!(
                    "unknown argument {other}; usage: bench_ingest [--files N] [--word-only] [--scale] [--with-16k] [--docling EXE [--pairs N]]"
                );
                std::process::exit(2);
            }
        }
    }
    a
}

/// The first `n` files of the corpus, generated where missing.
fn corpus(n: usize, word_only: bool) -> Vec<PathBuf> {
    let dir = Path::new("/tmp/riskflow-bench").join(if word_only { "docx" } else { "mixed" });
    std::fs::create_dir_all(&dir).expect("cannot create /tmp/riskflow-bench");
    (0..n)
        .into_par_iter()
        .map(|i| {
            let ext = if !word_only && i % 8 == 7 {
                "xlsx"
            } else {
                "docx"
            };
            let path = dir.join(format!("{i:06}.{ext}"));
            if !path.exists() {
                let (name, bytes) = fixturegen::bulk::file(i, word_only);
                debug_assert!(path.ends_with(&name));
                let tmp = path.with_extension("part");
                std::fs::write(&tmp, bytes).expect("cannot write corpus file");
                std::fs::rename(&tmp, &path).expect("cannot write corpus file");
            }
            path
        })
        .collect()
}

/// The floor: inflate every part, tokenise every XML part.
fn floor(files: &[Vec<u8>]) -> (Duration, u64) {
    let t = Instant::now();
    let mut events = 0u64;
    let mut buf = Vec::new();
    for bytes in files {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).expect("zip");
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).expect("part");
            let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
            let xml = name.ends_with(".xml") || name.ends_with(".rels");
            buf.clear();
            part.read_to_end(&mut buf).expect("inflate");
            if xml {
                let mut r = quick_xml::Reader::from_reader(&buf[..]);
                loop {
                    match r.read_event() {
                        Ok(quick_xml::events::Event::Eof) | Err(_) => break,
                        Ok(_) => events += 1,
                    }
                }
            }
        }
    }
    (t.elapsed(), events)
}

/// The read stage (bytes → Document) and, timed apart, the layout stage
/// (Document → chart drafts) on each Document as it is read: one thread.
fn read_stage(files: &[Vec<u8>]) -> (Duration, usize, Duration, usize) {
    let limits = riskflow::read::Limits::default();
    let rules = riskflow::rules::Rules::builtin();
    let (mut read, mut layout) = (Duration::ZERO, Duration::ZERO);
    let (mut blocks, mut charts) = (0, 0);
    for bytes in files {
        let t = Instant::now();
        let (_, doc) = riskflow::read::read(bytes, &limits);
        read += t.elapsed();
        if let Ok(doc) = doc {
            blocks += doc.blocks.len();
            let t = Instant::now();
            charts += riskflow::layout::charts(&doc, &rules).len();
            layout += t.elapsed();
        }
    }
    (read, blocks, layout, charts)
}

/// Run the riskflow binary; wall time and peak RSS (MiB) of the largest
/// process in its tree (the parent, or a worker).
// Reaped by wait4 (for its rusage), which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn run_binary(exe: &Path, files: &[PathBuf], format: &str) -> (Duration, f64, i32) {
    let out = Path::new("/tmp/riskflow-bench/out");
    let _ = std::fs::remove_dir_all(out);
    let t = Instant::now();
    let child = Command::new(exe)
        .args(["ingest", "--quiet", "--format", format, "--out"])
        .arg(out)
        .args(files)
        .spawn()
        .expect("cannot start riskflow");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child, with valid pointers.
    unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let wall = t.elapsed();
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    // ru_maxrss is in KiB on Linux.
    (wall, usage.ru_maxrss as f64 / 1024.0, code)
}

fn main() {
    let a = args();
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| Some(p.parent()?.parent()?.join("riskflow")))
        .filter(|p| p.exists())
        .unwrap_or_else(|| {
            eprintln!("build the binary first: cargo build --release");
            std::process::exit(2)
        });
    let t = Instant::now();
    let paths = corpus(a.files, a.word_only);
    let bytes: Vec<Vec<u8>> = paths.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let zipped: usize = bytes.iter().map(Vec::len).sum();
    println!(
        "corpus: {} files ({}), {:.1} MB zipped, ready in {:.1} s; binary {}",
        paths.len(),
        if a.word_only {
            "docx"
        } else {
            "docx + 1/8 xlsx"
        },
        zipped as f64 / 1e6,
        t.elapsed().as_secs_f64(),
        exe.display()
    );
    let (fl, events) = floor(&bytes);
    let (rd, blocks, lay, charts) = read_stage(&bytes);
    drop(bytes);
    let (json, json_rss, c1) = run_binary(&exe, &paths, "json");
    let (all, all_rss, c2) = run_binary(&exe, &paths, "json,csv,xlsx,sqlite,html");
    let s = |d: Duration| d.as_secs_f64();
    println!("| stage | wall s | × floor | peak RSS MiB |");
    println!("|---|---|---|---|");
    println!(
        "| floor: inflate + quick-xml tokenise, 1 thread ({events} events) | {:.2} | 1.00 | |",
        s(fl)
    );
    println!(
        "| read stage: bytes → Document, 1 thread ({blocks} blocks) | {:.2} | {:.2} | |",
        s(rd),
        s(rd) / s(fl)
    );
    println!(
        "| layout stage: Document → chart drafts, 1 thread ({charts} charts) | {:.2} | {:.2} | |",
        s(lay),
        s(lay) / s(fl)
    );
    println!(
        "| riskflow ingest --format json (exit {c1}) | {:.2} | {:.2} | {json_rss:.0} |",
        s(json),
        s(json) / s(fl)
    );
    println!(
        "| riskflow ingest, all outputs (exit {c2}) | {:.2} | {:.2} | {all_rss:.0} |",
        s(all),
        s(all) / s(fl)
    );
    if let Some(docling) = &a.docling {
        against_docling(&exe, docling, &paths, a.pairs);
    }
    if a.scale {
        let mut sizes = vec![1000, 4000];
        if a.with_16k {
            sizes.push(16000);
        }
        let most = *sizes.iter().max().unwrap_or(&0);
        let paths = corpus(most, a.word_only);
        println!();
        println!("| files | wall s | ms / file | peak RSS MiB | × previous size's wall |");
        println!("|---|---|---|---|---|");
        let mut prev: Option<f64> = None;
        for n in sizes {
            let (wall, rss, _) = run_binary(&exe, &paths[..n], "json,csv,xlsx,sqlite,html");
            let w = s(wall);
            println!(
                "| {n} | {w:.1} | {:.2} | {rss:.0} | {} |",
                w * 1000.0 / n as f64,
                prev.map(|p| format!("{:.2}", w / p)).unwrap_or_default()
            );
            prev = Some(w);
        }
    }
}

/// riskflow's JSON and all-outputs runs against a text extractor on the
/// same files, run in turn (extractor, JSON, all outputs) `pairs` times so
/// that a busy moment of the machine falls on all three alike; medians.
fn against_docling(exe: &Path, docling: &Path, paths: &[PathBuf], pairs: usize) {
    let dir = paths
        .first()
        .and_then(|p| p.parent())
        .expect("a corpus folder");
    // The extractor reads the whole folder: only when the run has all of it.
    let in_dir = std::fs::read_dir(dir).map_or(0, |d| d.count());
    if in_dir != paths.len() {
        println!(
            "\n(--docling skipped: {} holds {in_dir} files, the run has {}; use --files {in_dir})",
            dir.display(),
            paths.len()
        );
        return;
    }
    let (mut theirs, mut json, mut all) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..pairs {
        let t = Instant::now();
        let ok = Command::new(docling)
            .arg(dir)
            .arg("2")
            .stdout(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            println!("\n(--docling: {} failed)", docling.display());
            return;
        }
        theirs.push(t.elapsed().as_secs_f64());
        json.push(run_binary(exe, paths, "json").0.as_secs_f64());
        all.push(
            run_binary(exe, paths, "json,csv,xlsx,sqlite,html")
                .0
                .as_secs_f64(),
        );
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (d, j, a) = (median(&mut theirs), median(&mut json), median(&mut all));
    println!();
    println!(
        "| against {} ({pairs} runs each, in turn, medians) | wall s | ÷ extractor |",
        docling.display()
    );
    println!("|---|---|---|");
    println!("| extractor, 2 threads | {d:.2} | 1.00 |");
    println!("| riskflow ingest --format json | {j:.2} | {:.2} |", j / d);
    println!("| riskflow ingest, all outputs | {a:.2} | {:.2} |", a / d);
}

//! Benchmark of `riskflow dedup` end to end: decoding a file of lines,
//! clustering, writing the TSV.
//!
//! Run: `cargo run --release --example bench_dedup [LINES [NAME]]`
//! (default 1,000,000 lines per corpus, both corpora). For each of two generated corpora
//! (`corpus.rs`: `tune`, which the rules were tuned on, and `held-out`,
//! another seed and mix that was never tuned on) it
//!
//! 1. generates the corpus in a child process and writes it, with its
//!    truth, under `target/bench_dedup/`;
//! 2. runs the measured step in a fresh child process — read the file,
//!    `riskflow::dedup::file::run` (decode, cluster, TSV), write the TSV —
//!    and reports its wall time, CPU time and peak resident memory (VmHWM
//!    of that process: everything the step needed, nothing of the
//!    generator);
//! 3. runs it again on one thread and checks the TSV is byte-identical;
//! 4. scores the TSV against the truth: B-cubed precision, recall, F1, with
//!    examples of wrong merges and splits.

mod corpus;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use riskflow::dedup::DedupRules;

const LINES: usize = 1_000_000;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--generate") => generate(&args[1], args[2].parse().unwrap_or(LINES)),
        Some("--measure") => measure(Path::new(&args[1]), Path::new(&args[2])),
        // Score the last run's TSV again (no timing).
        Some("--score") => score(&args[1], &dir()),
        _ => {
            let lines = args.first().and_then(|a| a.parse().ok()).unwrap_or(LINES);
            // Optional second argument: only the corpus of that name.
            for mix in [&corpus::TUNE, &corpus::HELD_OUT] {
                if args.get(1).is_none_or(|only| only == mix.name) {
                    run(mix, lines);
                }
            }
        }
    }
}

fn dir() -> PathBuf {
    let d = PathBuf::from("target/bench_dedup");
    std::fs::create_dir_all(&d).expect("create target/bench_dedup");
    d
}

fn mix_named(name: &str) -> &'static corpus::Mix {
    [&corpus::TUNE, &corpus::HELD_OUT]
        .into_iter()
        .find(|m| m.name == name)
        .expect("a known corpus name")
}

/// Child: writes NAME.txt (the lines), NAME.truth (base of every line) and
/// NAME.bases (the bases, with their family).
fn generate(name: &str, lines: usize) {
    let started = Instant::now();
    let c = corpus::generate(mix_named(name), lines);
    let d = dir();
    let mut text = String::with_capacity(lines * 40);
    for l in &c.lines {
        text.push_str(l);
        text.push('\n');
    }
    std::fs::write(d.join(format!("{name}.txt")), text).expect("write corpus");
    let truth: String = c.truth.iter().map(|t| format!("{t}\n")).collect();
    std::fs::write(d.join(format!("{name}.truth")), truth).expect("write truth");
    let bases: String = c
        .bases
        .iter()
        .map(|b| {
            let family = b.family.map_or(String::from("-"), |f| f.to_string());
            format!("{family}\t{}\n", b.render())
        })
        .collect();
    std::fs::write(d.join(format!("{name}.bases")), bases).expect("write bases");
    let distinct = c
        .lines
        .iter()
        .collect::<std::collections::HashSet<_>>()
        .len();
    let in_families = c.bases.iter().filter(|b| b.family.is_some()).count();
    let families = c
        .bases
        .iter()
        .filter_map(|b| b.family)
        .collect::<std::collections::HashSet<_>>()
        .len();
    println!(
        "  corpus {name}: {} lines, {} distinct, {} true clusters ({} of them in {} families sharing whole clauses), built in {:.1} s",
        c.lines.len(),
        distinct,
        c.bases.len(),
        in_families,
        families,
        started.elapsed().as_secs_f64()
    );
}

/// Child: the measured step, as `riskflow dedup IN --out OUT` does it.
fn measure(input: &Path, output: &Path) {
    let rules = DedupRules::default();
    let started = Instant::now();
    let bytes = std::fs::read(input).expect("read corpus");
    let out = riskflow::dedup::file::run(&bytes, "line", &rules, false, "bench")
        .expect("dedup of the corpus");
    drop(bytes);
    std::fs::write(output, &out.tsv).expect("write TSV");
    let wall = started.elapsed().as_secs_f64();
    println!(
        "{wall:.3} {:.3} {} {}",
        cpu_seconds(),
        peak_rss_mib(),
        rayon::current_num_threads()
    );
}

fn child(args: &[&str], threads: Option<usize>) -> String {
    let exe = std::env::current_exe().expect("own path");
    let mut cmd = Command::new(exe);
    cmd.args(args);
    if let Some(n) = threads {
        cmd.env("RAYON_NUM_THREADS", n.to_string());
    }
    let out = cmd.output().expect("run child");
    assert!(
        out.status.success(),
        "child {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 from child")
}

fn run(mix: &corpus::Mix, lines: usize) {
    println!("corpus `{}` (seed {:#x}):", mix.name, mix.seed);
    print!(
        "{}",
        child(&["--generate", mix.name, &lines.to_string()], None)
    );
    let d = dir();
    let input = d.join(format!("{}.txt", mix.name));
    let tsv = d.join(format!("{}.tsv", mix.name));
    let tsv1 = d.join(format!("{}.1thread.tsv", mix.name));
    let bytes = std::fs::metadata(&input).map(|m| m.len()).unwrap_or(0);
    let line = child(
        &[
            "--measure",
            &input.to_string_lossy(),
            &tsv.to_string_lossy(),
        ],
        None,
    );
    let f: Vec<&str> = line.split_whitespace().collect();
    println!(
        "  read + dedup + write TSV: {} s wall, {} s CPU, peak RSS {} MiB, {} threads ({:.0} MB in)",
        f[0],
        f[1],
        f[2],
        f[3],
        bytes as f64 / 1e6
    );
    let line = child(
        &[
            "--measure",
            &input.to_string_lossy(),
            &tsv1.to_string_lossy(),
        ],
        Some(1),
    );
    let f1: Vec<&str> = line.split_whitespace().collect();
    let same = std::fs::read(&tsv).ok() == std::fs::read(&tsv1).ok();
    println!(
        "  1 thread: {} s wall, {} s CPU, peak RSS {} MiB; TSV byte-identical: {same}",
        f1[0], f1[1], f1[2]
    );
    score(mix.name, &d);
}

/// B-cubed against the truth, with examples of what went wrong.
fn score(name: &str, d: &Path) {
    let read = |ext: &str| std::fs::read_to_string(d.join(format!("{name}.{ext}"))).expect("read");
    let truth: Vec<u32> = read("truth").lines().map(|l| l.parse().unwrap()).collect();
    let lines_text = read("txt");
    let lines: Vec<&str> = lines_text.lines().collect();
    let bases_text = read("bases");
    let bases: Vec<(&str, &str)> = bases_text
        .lines()
        .map(|l| l.split_once('\t').unwrap_or(("-", l)))
        .collect();
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut found = vec![u32::MAX; truth.len()];
    let mut canonical: Vec<String> = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .from_path(d.join(format!("{name}.tsv")))
        .expect("TSV");
    for record in reader.records() {
        let r = record.expect("TSV row");
        let line: usize = r[0].parse().expect("line_no");
        let next = ids.len() as u32;
        let id = *ids.entry(r[1].to_string()).or_insert_with(|| {
            canonical.push(r[2].to_string());
            next
        });
        found[line - 1] = id;
    }
    assert!(found.iter().all(|&f| f != u32::MAX), "every line has a row");
    let (p, r, f1) = b_cubed(&found, &truth);
    let true_clusters = truth.iter().collect::<std::collections::HashSet<_>>().len();
    println!(
        "  clusters found {} (true {}); B-cubed precision {p:.4}, recall {r:.4}, F1 {f1:.4}",
        ids.len(),
        true_clusters
    );

    // Wrong merges: a found cluster holding lines of several true clusters;
    // shown as (line's base, the cluster's main base).
    let mut counts: HashMap<u32, HashMap<u32, usize>> = HashMap::new();
    for (&f, &t) in found.iter().zip(&truth) {
        *counts.entry(f).or_default().entry(t).or_default() += 1;
    }
    let main_truth = |f: u32| -> u32 {
        counts[&f]
            .iter()
            .max_by_key(|(t, n)| (**n, std::cmp::Reverse(**t)))
            .map(|(t, _)| *t)
            .unwrap_or(0)
    };
    let mut merged_lines = 0usize;
    let mut same_family = 0usize;
    let mut shown = 0;
    let mut seen = std::collections::HashSet::new();
    for (i, (&f, &t)) in found.iter().zip(&truth).enumerate() {
        let m = main_truth(f);
        if m == t {
            continue;
        }
        merged_lines += 1;
        let (fam_a, _) = bases[t as usize];
        let (fam_b, _) = bases[m as usize];
        if fam_a != "-" && fam_a == fam_b {
            same_family += 1;
        }
        if shown < 6 && seen.insert((t, m)) {
            shown += 1;
            println!(
                "    merged: {:?} (base {:?}) into {:?}",
                lines[i], bases[t as usize].1, bases[m as usize].1
            );
        }
    }
    println!(
        "  lines merged into another true cluster's text: {merged_lines} ({same_family} of them with a sibling of the same clause family)"
    );
    // Splits: lines outside their true cluster's main found cluster.
    let mut by_truth: HashMap<u32, HashMap<u32, usize>> = HashMap::new();
    for (&f, &t) in found.iter().zip(&truth) {
        *by_truth.entry(t).or_default().entry(f).or_default() += 1;
    }
    let mut split_lines = 0usize;
    let mut shown = 0;
    let mut seen = std::collections::HashSet::new();
    for (i, (&f, &t)) in found.iter().zip(&truth).enumerate() {
        let main = by_truth[&t]
            .iter()
            .max_by_key(|(f, n)| (**n, std::cmp::Reverse(**f)))
            .map(|(f, _)| *f)
            .unwrap_or(0);
        if main == f {
            continue;
        }
        split_lines += 1;
        if shown < 6 && seen.insert(lines[i]) {
            shown += 1;
            println!(
                "    split: {:?} (base {:?}) went to {:?}",
                lines[i], bases[t as usize].1, canonical[f as usize]
            );
        }
    }
    println!("  lines outside their true cluster's main text: {split_lines}");
}

/// B-cubed precision, recall and F1 of `found` against `truth`.
fn b_cubed(found: &[u32], truth: &[u32]) -> (f64, f64, f64) {
    let mut both: HashMap<(u32, u32), u64> = HashMap::new();
    let mut found_size: HashMap<u32, u64> = HashMap::new();
    let mut truth_size: HashMap<u32, u64> = HashMap::new();
    for (&f, &t) in found.iter().zip(truth) {
        *both.entry((f, t)).or_default() += 1;
        *found_size.entry(f).or_default() += 1;
        *truth_size.entry(t).or_default() += 1;
    }
    let n = found.len().max(1) as f64;
    let (mut p, mut r) = (0.0, 0.0);
    for (&(f, t), &k) in &both {
        let k = k as f64;
        p += k * k / found_size[&f] as f64;
        r += k * k / truth_size[&t] as f64;
    }
    let (p, r) = (p / n, r / n);
    (p, r, 2.0 * p * r / (p + r))
}

/// User + system CPU time of this process so far.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0.0;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// Peak resident memory of this process in MiB, from /proc/self/status.
fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

//! The `riskflow` command: a thin shell over the library. Errors are
//! rendered here, once.

use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use riskflow::catalog::{Finding, Severity};
use riskflow::ingest::{self, Isolation, Options};
use riskflow::isolate::WorkerConfig;
use riskflow::rules::Rules;
use riskflow::write::{self, Formats, OutputDir};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "riskflow",
    version,
    about = "Import integrity-risk charts (廉政风险防控图, 权力运行流程图, 一览表) from Word, Excel and text files into one catalog",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct Common {
    /// Files and folders to read; folders are walked recursively for
    /// .docx .doc .wps .xlsx .xls .ods .txt .html … files (the format is
    /// decided from the bytes, not the name). Processed in sorted path order.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Folder of rule files (grades.toml, labels.toml, …) overriding the built-in rules file by file.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Files read in parallel [default: one per CPU core]. Output is identical whatever the number.
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Time allowed to read one file, in seconds; a file that takes longer
    /// fails (source.unreadable) and the batch goes on.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    timeout: u64,
    /// Memory allowed to the worker process reading one file, in MiB; a file
    /// that needs more fails (source.unreadable) and the batch goes on.
    /// At least 1 (there is no "unlimited").
    #[arg(long, value_name = "MIB", default_value_t = 2048,
          value_parser = clap::value_parser!(u64).range(1..))]
    memory: u64,
    /// Read files inside this process instead of one worker process per
    /// file: faster on many small files, but a reader that hangs or runs out
    /// of memory then stops the whole batch.
    #[arg(long)]
    in_process: bool,
}

/// Exit status, the same for every command (documented in `--help` and README).
const EXIT_SOURCES_FAILED: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_OUTPUT: u8 = 3;

/// One output of `ingest --format`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Json,
    Csv,
    Xlsx,
    Sqlite,
    Html,
}

/// The lowest severity `check` shows.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Level {
    Info,
    Warning,
    Error,
}

/// What kind of line `dedup` clusters (sets the id prefix).
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Kind {
    Risk,
    Measure,
    Line,
}

#[derive(Subcommand)]
enum Command {
    /// Read charts and write the catalog (catalog.json, CSV tables, catalog.xlsx, catalog.sqlite, report.html) into --out.
    ///
    /// The output folder is checked and locked before anything is read;
    /// all outputs are written under temporary names and put in place
    /// together; outputs of formats not asked for are removed from it.
    ///
    /// Exit status: 0 done (with or without findings), 1 some sources failed,
    /// 2 bad usage or bad rules, 3 outputs not written (folder not writable,
    /// in use by another run, or a writer failed: the others are written).
    Ingest {
        #[command(flatten)]
        common: Common,
        /// Output folder (created if missing).
        #[arg(long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
        /// Outputs to write, comma-separated.
        #[arg(long, value_name = "LIST", value_enum, value_delimiter = ',',
              default_value = Formats::NAMES, num_args = 1..)]
        format: Vec<OutputFormat>,
        /// Print nothing but errors.
        #[arg(long)]
        quiet: bool,
    },
    /// Read charts and print what is wrong in them, grouped by file, without
    /// writing a catalog. Exit status 1 when any finding is an error (a file
    /// that could not be read …), else 0; 2 for bad usage or bad rules.
    /// Output cut short by a closed pipe (`| head`) ends quietly.
    Check {
        #[command(flatten)]
        common: Common,
        /// Print the findings as JSON (an array of CATALOG.md findings) instead of text.
        #[arg(long)]
        json: bool,
        /// Show only findings of this severity or worse.
        #[arg(long, value_name = "LEVEL", value_enum, default_value = "info")]
        severity: Level,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
    },
    /// Cluster the lines of a plain list (any encoding; from a TSV file the
    /// first column) into near-duplicate texts, the way the catalog does.
    /// Writes TSV (`line_no`, `cluster_id`, `canonical`), one row per non-blank
    /// input line, in input order.
    Dedup {
        /// The list of lines.
        file: PathBuf,
        /// Write the TSV here instead of standard output (atomically).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Minimum edit similarity for two lines to be one text (0–1)
        /// [default: from rules/dedup.toml].
        #[arg(long, value_name = "T")]
        threshold: Option<f64>,
        /// Which kind of line these are, for the ids.
        /// With risk or measure the ids equal the catalog's tx- ids.
        #[arg(long, value_name = "KIND", value_enum, default_value = "line")]
        kind: Kind,
        /// Folder of rule files overriding the built-in ones.
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
    /// Internal: read one file and print its Document as JSON (used by ingest's worker processes).
    #[command(hide = true)]
    ReadWorker {
        #[arg(long, default_value_t = 2048)]
        memory_mb: u64,
        path: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            common,
            json,
            severity,
            quiet,
        } => check(&common, json, severity, quiet),
        Command::Dedup {
            file,
            out,
            threshold,
            kind,
            rules,
        } => dedup(&file, out.as_deref(), threshold, kind, rules.as_deref()),
        Command::ReadWorker { memory_mb, path } => {
            match riskflow::isolate::worker_main(&path, memory_mb) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("riskflow read-worker: {e}");
                    ExitCode::from(EXIT_OUTPUT)
                }
            }
        }
        Command::Ingest {
            common,
            out,
            format,
            quiet,
        } => {
            let formats = Formats {
                json: format.contains(&OutputFormat::Json),
                csv: format.contains(&OutputFormat::Csv),
                xlsx: format.contains(&OutputFormat::Xlsx),
                sqlite: format.contains(&OutputFormat::Sqlite),
                html: format.contains(&OutputFormat::Html),
            };
            // Rules first (exit 2), then the output folder (exit 3), both
            // before anything is read.
            let rules = match Rules::load(common.rules.as_deref()) {
                Ok(r) => r,
                Err(e) => return usage(&e.to_string()),
            };
            let dir = match OutputDir::open(&out) {
                Ok(d) => d,
                Err(e) => {
                    eprintln!("riskflow: {e}");
                    return ExitCode::from(EXIT_OUTPUT);
                }
            };
            let cat = match run(&common, rules, quiet) {
                Ok(c) => c,
                Err(code) => return code,
            };
            let report = dir.write(&cat, formats);
            for (name, e) in &report.failed {
                eprintln!("riskflow: output {name} not written: {e}");
            }
            if !quiet {
                let s = &cat.summary;
                eprintln!(
                    "riskflow: {} sources ({} failed), {} charts, {} steps, {} risk points, {} findings ({} errors, {} warnings) → {}",
                    s.sources,
                    s.sources_failed,
                    s.charts,
                    s.steps,
                    s.risk_points,
                    s.findings.error + s.findings.warning + s.findings.info,
                    s.findings.error,
                    s.findings.warning,
                    out.display()
                );
                if !report.removed.is_empty() {
                    eprintln!(
                        "riskflow: removed from {} (outputs of an earlier run not written by this one): {}",
                        out.display(),
                        report.removed.join(", ")
                    );
                }
            }
            if !report.failed.is_empty() {
                ExitCode::from(EXIT_OUTPUT)
            } else if cat.summary.sources_failed > 0 {
                ExitCode::from(EXIT_SOURCES_FAILED)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

fn check(common: &Common, json: bool, severity: Level, quiet: bool) -> ExitCode {
    let floor = match severity {
        Level::Info => Severity::Info,
        Level::Warning => Severity::Warning,
        Level::Error => Severity::Error,
    };
    let rules = match Rules::load(common.rules.as_deref()) {
        Ok(r) => r,
        Err(e) => return usage(&e.to_string()),
    };
    let cat = match run(common, rules, quiet) {
        Ok(c) => c,
        Err(code) => return code,
    };
    // Severity orders error < warning < info.
    let shown: Vec<&Finding> = cat
        .findings
        .iter()
        .filter(|f| f.severity <= floor)
        .collect();
    let text = if json {
        let mut t = serde_json::to_string_pretty(&shown).unwrap_or_default();
        t.push('\n');
        t
    } else {
        riskflow::report::text(&cat, &shown)
    };
    // A reader that stopped listening (`| head -1`) is not an error: the
    // rest is simply not printed.
    print_quietly(text.as_bytes());
    if cat.findings.iter().any(|f| f.severity == Severity::Error) {
        ExitCode::from(EXIT_SOURCES_FAILED)
    } else {
        ExitCode::SUCCESS
    }
}

fn dedup(
    file: &std::path::Path,
    out: Option<&std::path::Path>,
    threshold: Option<f64>,
    kind: Kind,
    rules: Option<&std::path::Path>,
) -> ExitCode {
    let kind = match kind {
        Kind::Risk => "risk",
        Kind::Measure => "measure",
        Kind::Line => "line",
    };
    let mut rules = match Rules::load(rules) {
        Ok(r) => r.dedup,
        Err(e) => return usage(&e.to_string()),
    };
    if let Some(t) = threshold {
        rules.threshold = t;
        if let Err(e) = rules.validate() {
            return usage(&format!("--threshold {t}: {e}"));
        }
    }
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => return usage(&format!("cannot read {}: {e}", file.display())),
    };
    let (tsv, _) = riskflow::dedup::file::tsv(&bytes, kind, &rules);
    match out {
        Some(path) => match write::atomic_write_bytes(path, tsv.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("riskflow: {e}");
                ExitCode::from(EXIT_OUTPUT)
            }
        },
        None => {
            if print_quietly(tsv.as_bytes()) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_OUTPUT)
            }
        }
    }
}

/// Write to standard output; a closed pipe ends the output quietly (true),
/// any other failure is reported (false).
fn print_quietly(bytes: &[u8]) -> bool {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => true,
        Err(e) => {
            eprintln!("riskflow: cannot write to standard output: {e}");
            false
        }
    }
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("riskflow: {msg}");
    ExitCode::from(EXIT_USAGE)
}

fn run(common: &Common, rules: Rules, quiet: bool) -> Result<riskflow::catalog::Catalog, ExitCode> {
    let isolation = if common.in_process {
        Isolation::InProcess
    } else {
        match std::env::current_exe() {
            Ok(exe) => Isolation::Workers(WorkerConfig {
                exe,
                timeout: Duration::from_secs(common.timeout.max(1)),
                memory_bytes: common.memory << 20,
            }),
            // Without our own path we cannot fork workers: read in-process.
            Err(_) => Isolation::InProcess,
        }
    };
    let opts = Options {
        rules,
        jobs: common.jobs,
        isolation,
        ..Options::default()
    };
    let files = ingest::discover(&common.paths).map_err(|e| usage(&e.to_string()))?;
    // A progress bar when a person is watching; nothing in scripts and CI.
    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let b = ProgressBar::new(files.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    });
    let results = ingest::read_all(&files, &opts, &|path| {
        if let Some(b) = &bar {
            b.set_message(path.to_string());
            b.inc(1);
        }
    })
    .map_err(|e| usage(&e.to_string()))?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(ingest::assemble(results, &opts))
}

//! The `riskflow` command: a thin shell over the library. Errors are
//! rendered here, once.

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use riskflow::catalog::{Finding, Severity};
use riskflow::ingest::{self, Isolation, Options};
use riskflow::isolate::WorkerConfig;
use riskflow::rules::Rules;
use riskflow::write::{self, Formats};
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
    #[arg(long, value_name = "MIB", default_value_t = 2048)]
    memory: u64,
    /// Read files inside this process instead of one worker process per
    /// file: faster on many small files, but a reader that hangs or runs out
    /// of memory then stops the whole batch.
    #[arg(long)]
    in_process: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Read charts and write the catalog (catalog.json, CSV tables, catalog.xlsx, catalog.sqlite, report.html) into --out.
    ///
    /// Exit status: 0 done (with or without findings), 1 some sources failed,
    /// 2 bad usage or bad rules.
    Ingest {
        #[command(flatten)]
        common: Common,
        /// Output folder (created if missing).
        #[arg(long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
        /// Outputs to write, comma-separated: json, csv, xlsx, sqlite, html.
        #[arg(long, value_name = "LIST", default_value = Formats::NAMES)]
        format: String,
        /// Print nothing but errors.
        #[arg(long)]
        quiet: bool,
    },
    /// Read charts and print what is wrong in them, grouped by file, without
    /// writing a catalog. Exit status 1 when any finding is an error (a file
    /// that could not be read …), else 0; 2 for bad usage or bad rules.
    Check {
        #[command(flatten)]
        common: Common,
        /// Print the findings as JSON (an array of CATALOG.md findings) instead of text.
        #[arg(long)]
        json: bool,
        /// Show only findings of this severity or worse: info, warning, error.
        #[arg(long, value_name = "LEVEL", default_value = "info")]
        severity: String,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
    },
    /// Cluster the lines of a plain list (any encoding; from a TSV file the
    /// first column) into near-duplicate texts, the way the catalog does.
    /// Writes TSV (`line_no`, `cluster_id`, `canonical`, `text`,
    /// `similarity`), one row per non-blank input line, in input order;
    /// control characters in fields are written as `\t`, `\r`, `\0` ….
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
        /// Which kind of line these are, for the ids: risk, measure, or line.
        /// With risk or measure the ids equal the catalog's tx- ids.
        #[arg(long, value_name = "KIND", default_value = "line")]
        kind: String,
        /// Folder of rule files overriding the built-in ones.
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
        /// Decisions that overrule the clustering (TOML: [[text]] to merge,
        /// with a canonical form; [[apart]] to keep apart); a file written
        /// by --explain and edited is one. Replaces decisions.toml of --rules.
        #[arg(long, value_name = "FILE")]
        decisions: Option<PathBuf>,
        /// Also write every cluster (canonical, members, line counts,
        /// similarity) for people to review, as a decisions file to edit
        /// and feed back with --decisions.
        #[arg(long, value_name = "FILE")]
        explain: Option<PathBuf>,
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
        } => check(&common, json, &severity, quiet),
        Command::Dedup {
            file,
            out,
            threshold,
            kind,
            rules,
            decisions,
            explain,
        } => dedup(
            &file,
            out.as_deref(),
            threshold,
            &kind,
            rules.as_deref(),
            decisions.as_deref(),
            explain.as_deref(),
        ),
        Command::ReadWorker { memory_mb, path } => {
            match riskflow::isolate::worker_main(&path, memory_mb) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("riskflow read-worker: {e}");
                    ExitCode::from(3)
                }
            }
        }
        Command::Ingest {
            common,
            out,
            format,
            quiet,
        } => {
            let formats = match Formats::parse(&format) {
                Ok(f) => f,
                Err(bad) => {
                    return usage(&format!(
                        "unknown output format `{bad}` (json, csv, xlsx, sqlite, html)"
                    ));
                }
            };
            let cat = match run(&common, quiet) {
                Ok(c) => c,
                Err(code) => return code,
            };
            if let Err(e) = write::write_all(&cat, &out, formats) {
                eprintln!("riskflow: {e}");
                return ExitCode::from(1);
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
            }
            if cat.summary.sources_failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

fn check(common: &Common, json: bool, severity: &str, quiet: bool) -> ExitCode {
    let floor = match severity {
        "info" => Severity::Info,
        "warning" => Severity::Warning,
        "error" => Severity::Error,
        other => {
            return usage(&format!(
                "unknown severity `{other}` (info, warning, error)"
            ));
        }
    };
    let cat = match run(common, quiet) {
        Ok(c) => c,
        Err(code) => return code,
    };
    // Severity orders error < warning < info.
    let shown: Vec<&Finding> = cat
        .findings
        .iter()
        .filter(|f| f.severity <= floor)
        .collect();
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&shown).unwrap_or_default()
        );
    } else {
        print!("{}", riskflow::report::text(&cat, &shown));
    }
    if cat.findings.iter().any(|f| f.severity == Severity::Error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn dedup(
    file: &std::path::Path,
    out: Option<&std::path::Path>,
    threshold: Option<f64>,
    kind: &str,
    rules: Option<&std::path::Path>,
    decisions: Option<&std::path::Path>,
    explain: Option<&std::path::Path>,
) -> ExitCode {
    if !matches!(kind, "risk" | "measure" | "line") {
        return usage(&format!("unknown kind `{kind}` (risk, measure, line)"));
    }
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
    if let Some(path) = decisions {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => return usage(&format!("cannot read {}: {e}", path.display())),
        };
        match riskflow::dedup::Decisions::parse(&text, &path.display().to_string()) {
            Ok(d) => rules.decisions = d,
            Err(e) => return usage(&e.to_string()),
        }
    }
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => return usage(&format!("cannot read {}: {e}", file.display())),
    };
    let source = file.display().to_string();
    let output = match riskflow::dedup::file::run(&bytes, kind, &rules, explain.is_some(), &source)
    {
        Ok(o) => o,
        Err(e) => {
            eprintln!("riskflow: {e}");
            return ExitCode::from(1);
        }
    };
    drop(bytes);
    if let (Some(path), Some(review)) = (explain, &output.explain)
        && let Err(e) = write::atomic_write_bytes(path, review.as_bytes())
    {
        eprintln!("riskflow: {e}");
        return ExitCode::from(1);
    }
    let tsv = output.tsv;
    match out {
        Some(path) => match write::atomic_write_bytes(path, &tsv) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("riskflow: {e}");
                ExitCode::from(1)
            }
        },
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(&tsv) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(1),
            }
        }
    }
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("riskflow: {msg}");
    ExitCode::from(2)
}

fn run(common: &Common, quiet: bool) -> Result<riskflow::catalog::Catalog, ExitCode> {
    let rules = Rules::load(common.rules.as_deref()).map_err(|e| usage(&e.to_string()))?;
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

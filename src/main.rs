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

/// mimalloc instead of the system allocator: a run makes and frees millions
/// of small strings, and glibc's allocator grew slower as the heap grew
/// (its share of the workbook's CPU rose from 6 % to 9 % between 4,000 and
/// 16,000 files). Measured in README, "Speed and memory".
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
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
    #[arg(long, short, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Files read in parallel [default: one per CPU core]. Output is identical whatever the number.
    #[arg(long, short, value_name = "N")]
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
        #[arg(long, short, value_name = "DIR", default_value = "out")]
        out: PathBuf,
        /// Outputs to write, comma-separated.
        #[arg(long, short, value_name = "LIST", value_enum, value_delimiter = ',',
              default_value = Formats::NAMES, num_args = 1..)]
        format: Vec<OutputFormat>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Read charts and print what is wrong in them, grouped by file, without
    /// writing a catalog. Exit status 1 when a finding not in the baseline
    /// is as severe as --fail-on (default: an error, such as a file that
    /// could not be read), else 0; 2 for bad usage or bad rules.
    /// Output cut short by a closed pipe (`| head`) ends quietly.
    Check {
        #[command(flatten)]
        common: Common,
        /// Print JSON instead of text: `{"summary": …, "findings": […]}`, each
        /// finding with its CATALOG.md fields, `path` and `chart_name`.
        #[arg(long)]
        json: bool,
        /// Show only findings of this severity or worse.
        #[arg(long, short, value_name = "LEVEL", value_enum, default_value = "info")]
        severity: Level,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
        #[command(flatten)]
        review: ReviewArgs,
    },
    /// What changed between two catalogs: charts added, removed, renamed;
    /// steps and risk points added or removed, grades raised or lowered,
    /// measures and 责任人 changed. OLD and NEW are each a catalog.json or
    /// files and folders of charts (read as `ingest` reads them).
    Diff {
        /// The earlier catalog.json, or a file or folder of charts.
        old: PathBuf,
        /// The later catalog.json, or a file or folder of charts.
        new: PathBuf,
        /// Print the differences as JSON (schema riskflow.diff/1).
        #[arg(long)]
        json: bool,
        /// Also write the differences as an HTML page to FILE.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// Folder of rule files overriding the built-in ones (for folders of charts).
        #[arg(long, short, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
    /// The built-in rules (grades, labels, noise words …).
    Rules {
        #[command(subcommand)]
        action: RulesAction,
    },
    /// Print a shell completion script: `riskflow completions bash > /etc/bash_completion.d/riskflow`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `riskflow man > riskflow.1`.
    Man,
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
        /// Which kind of line these are, for the ids.
        /// With risk or measure the ids equal the catalog's tx- ids.
        #[arg(long, value_name = "KIND", value_enum, default_value = "line")]
        kind: Kind,
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
    /// Internal: a worker process of ingest, reading the files named on stdin.
    #[command(hide = true)]
    ReadWorker {
        #[arg(long, default_value_t = 2048)]
        memory_mb: u64,
    },
}

#[derive(Subcommand)]
enum RulesAction {
    /// Write the built-in rule files into DIR (created if missing), to edit
    /// and pass back with --rules DIR. Existing files are not overwritten.
    Dump {
        dir: PathBuf,
        /// Overwrite rule files already in DIR.
        #[arg(long)]
        force: bool,
    },
}

/// `check` options for reviewing over time.
#[derive(clap::Args)]
struct ReviewArgs {
    /// Show only findings not in this baseline (written by --write-baseline).
    #[arg(long, short, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record every current finding in FILE as seen.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Exit 1 when a finding not in the baseline is this severe or worse.
    #[arg(long, value_enum, value_name = "LEVEL", default_value = "error")]
    fail_on: FailOn,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            common,
            json,
            severity,
            quiet,
            review,
        } => check(&common, json, severity, quiet, &review),
        Command::Diff {
            old,
            new,
            json,
            html,
            rules,
        } => diff(&old, &new, json, html.as_deref(), rules.as_deref()),
        Command::Rules {
            action: RulesAction::Dump { dir, force },
        } => rules_dump(&dir, force),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "riskflow", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            match clap_mangen::Man::new(cmd).render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(1),
            }
        }
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
            kind,
            rules.as_deref(),
            decisions.as_deref(),
            explain.as_deref(),
        ),
        Command::ReadWorker { memory_mb } => match riskflow::isolate::serve(memory_mb) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("riskflow read-worker: {e}");
                ExitCode::from(EXIT_OUTPUT)
            }
        },
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
            let store = match run_store(&common, rules, quiet, Some(dir.path())) {
                Ok(s) => s,
                Err(code) => return code,
            };
            let report = dir.write_parts(&store, formats);
            let summary = &store.head.summary;
            for (name, e) in &report.failed {
                eprintln!("riskflow: output {name} not written: {e}");
            }
            if !quiet {
                let s = summary;
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
            let code = if !report.failed.is_empty() {
                ExitCode::from(EXIT_OUTPUT)
            } else if summary.sources_failed > 0 {
                ExitCode::from(EXIT_SOURCES_FAILED)
            } else {
                ExitCode::SUCCESS
            };
            store.release();
            code
        }
    }
}

fn check(
    common: &Common,
    json: bool,
    severity: Level,
    quiet: bool,
    review: &ReviewArgs,
) -> ExitCode {
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
    report_check(&cat, floor, json, review)
}

/// Baseline, severity floor and --fail-on applied to the findings of `cat`;
/// prints them and gives the exit status.
fn report_check(
    cat: &riskflow::catalog::Catalog,
    floor: Severity,
    json: bool,
    review: &ReviewArgs,
) -> ExitCode {
    use riskflow::review::{Baseline, CheckReport, reported};
    let all = reported(cat);
    if let Some(path) = &review.write_baseline
        && let Err(e) =
            write::atomic_write_bytes(path, Baseline::from_reported(&all).to_json().as_bytes())
    {
        eprintln!("riskflow: {e}");
        return ExitCode::from(1);
    }
    let baseline = match &review.baseline {
        None => None,
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| Baseline::parse(&t).map_err(|e| e.to_string()))
        {
            Ok(b) => Some(b),
            Err(e) => return usage(&format!("--baseline {}: {e}", path.display())),
        },
    };
    let (new, known): (Vec<_>, Vec<_>) = all
        .into_iter()
        .partition(|f| baseline.as_ref().is_none_or(|b| !b.knows(f)));
    // Severity orders error < warning < info.
    let limit = match review.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let fails = limit.is_some_and(|l| new.iter().any(|f| f.finding.severity <= l));
    let status = u8::from(fails);
    let shown: Vec<_> = new
        .into_iter()
        .filter(|f| f.finding.severity <= floor)
        .collect();
    let text = if json {
        let report = CheckReport::new(cat, shown, known.len(), status);
        let mut t = serde_json::to_string_pretty(&report).unwrap_or_default();
        t.push('\n');
        t
    } else {
        let list: Vec<&Finding> = shown.iter().map(|f| &f.finding).collect();
        let mut t = riskflow::report::text(cat, &list);
        if !known.is_empty() {
            t.push_str(&format!(
                "另有 {} 个问题已在基线中，未列出。\n",
                known.len()
            ));
        }
        t
    };
    // A reader that stopped listening (`| head -1`) is not an error: the
    // rest is simply not printed.
    print_quietly(text.as_bytes());
    ExitCode::from(status)
}

/// Read one side of a diff: a catalog.json, or charts to ingest.
fn diff_side(
    path: &std::path::Path,
    rules: Option<&std::path::Path>,
) -> Result<riskflow::catalog::Catalog, ExitCode> {
    if path.is_file() && path.extension().is_some_and(|e| e == "json") {
        let text = std::fs::read_to_string(path)
            .map_err(|e| usage(&format!("cannot read {}: {e}", path.display())))?;
        return serde_json::from_str(&text).map_err(|e| {
            usage(&format!(
                "{} is not a riskflow catalog: {e}",
                path.display()
            ))
        });
    }
    let common = Common {
        paths: vec![path.to_path_buf()],
        rules: rules.map(std::path::Path::to_path_buf),
        jobs: None,
        timeout: 60,
        memory: 2048,
        in_process: false,
    };
    let rules = Rules::load(common.rules.as_deref()).map_err(|e| usage(&e.to_string()))?;
    let mut cat = run(&common, rules, true)?;
    // Paths relative to the folder compared, so that two folders (last
    // year's, this year's) pair their files by name.
    if path.is_dir() {
        let root = format!(
            "{}/",
            path.to_string_lossy()
                .replace('\\', "/")
                .trim_end_matches('/')
        );
        for s in &mut cat.sources {
            if let Some(rest) = s.path.strip_prefix(&root) {
                s.path = rest.to_string();
            }
        }
    }
    Ok(cat)
}

fn diff(
    old: &std::path::Path,
    new: &std::path::Path,
    json: bool,
    html: Option<&std::path::Path>,
    rules: Option<&std::path::Path>,
) -> ExitCode {
    let (a, b) = match (diff_side(old, rules), diff_side(new, rules)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let d = riskflow::diff::diff(&a, &b);
    if let Some(path) = html {
        let page =
            riskflow::diff::html_page(&d, &old.display().to_string(), &new.display().to_string());
        if let Err(e) = write::atomic_write_bytes(path, page.as_bytes()) {
            eprintln!("riskflow: {e}");
            return ExitCode::from(1);
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&d).unwrap_or_default());
    } else {
        print!("{}", riskflow::diff::text(&d));
    }
    ExitCode::SUCCESS
}

fn rules_dump(dir: &std::path::Path, force: bool) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("riskflow: cannot create {}: {e}", dir.display());
        return ExitCode::from(1);
    }
    for (name, text) in riskflow::rules::FILES {
        let path = dir.join(name);
        if path.exists() && !force {
            return usage(&format!(
                "{} exists (use --force to overwrite)",
                path.display()
            ));
        }
        if let Err(e) = write::atomic_write_bytes(&path, text.as_bytes()) {
            eprintln!("riskflow: {e}");
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

fn dedup(
    file: &std::path::Path,
    out: Option<&std::path::Path>,
    threshold: Option<f64>,
    kind: Kind,
    rules: Option<&std::path::Path>,
    decisions: Option<&std::path::Path>,
    explain: Option<&std::path::Path>,
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
                ExitCode::from(EXIT_OUTPUT)
            }
        },
        None => {
            if print_quietly(&tsv) {
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
    match run_store(common, rules, quiet, None)?.into_catalog() {
        Ok(cat) => Ok(cat),
        Err(e) => {
            eprintln!("riskflow: {e}");
            Err(ExitCode::from(EXIT_OUTPUT))
        }
    }
}

/// Read and assemble, the parts spilled into `spill` (the output folder)
/// once they outgrow [`ingest::SPILL_ABOVE`]; in memory without a folder.
fn run_store(
    common: &Common,
    rules: Rules,
    quiet: bool,
    spill: Option<&std::path::Path>,
) -> Result<riskflow::store::Store, ExitCode> {
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
    // Every field given: `..Options::default()` would build the built-in
    // rules only to drop them (compiling their patterns took ~10 ms).
    let opts = Options {
        rules,
        limits: riskflow::read::Limits::default(),
        jobs: common.jobs,
        isolation,
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
    let done = |path: &str| {
        if let Some(b) = &bar {
            b.set_message(path.to_string());
            b.inc(1);
        }
    };
    let budget = if spill.is_some() {
        ingest::SPILL_ABOVE
    } else {
        usize::MAX
    };
    let store = ingest::ingest_store(&files, &opts, &done, spill, budget)
        .map_err(|e| usage(&e.to_string()))?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    store.map_err(|e| {
        eprintln!("riskflow: {e}");
        ExitCode::from(EXIT_OUTPUT)
    })
}

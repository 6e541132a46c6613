//! Reviewing findings over time: findings with their file path and chart
//! name (what a person or a script needs to find the place), a summary,
//! and a baseline of findings already seen.
//!
//! A baseline is a JSON file listing findings by id and by what they say
//! (code, file path, chart name, evidence). A finding is *known* when the
//! baseline holds its id, or, failing that, the same code, path, chart name
//! and evidence: the id includes the file's SHA-256, so editing the
//! document elsewhere changes every id in it, while a defect nobody touched
//! still says the same thing at the same chart.
//!
//! ```
//! use riskflow::review::{Baseline, reported};
//! # let catalog: riskflow::catalog::Catalog = serde_json::from_str(
//! #     include_str!("../tests/data/review/small.catalog.json")).unwrap();
//! // Record what is there today …
//! let baseline = Baseline::of(&catalog);
//! let saved = baseline.to_json();
//! // … and next time show only what is new.
//! let baseline = Baseline::parse(&saved).unwrap();
//! let new: Vec<_> = reported(&catalog)
//!     .into_iter()
//!     .filter(|f| !baseline.knows(f))
//!     .collect();
//! assert!(new.is_empty());
//! ```

use crate::catalog::{Catalog, Finding, Severity, SeverityCounts};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Schema name written into every baseline file.
pub const BASELINE_SCHEMA: &str = "riskflow.baseline/1";

/// A finding as `riskflow check --json` prints it: every CATALOG.md field,
/// then the source's path and the chart's name.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReportedFinding {
    /// The finding, as in the catalog.
    #[serde(flatten)]
    pub finding: Finding,
    /// The source file's path, as in `Source.path`.
    pub path: String,
    /// The chart's name, null for findings about a whole file.
    pub chart_name: Option<String>,
}

/// Where a finding is, for people: its source's path and its chart's name,
/// looked up in one index of the catalog's sources and charts (not a search
/// per finding).
pub struct Places<'a> {
    paths: HashMap<&'a str, &'a str>,
    names: HashMap<&'a str, &'a str>,
}

impl<'a> Places<'a> {
    pub fn of(cat: &'a Catalog) -> Places<'a> {
        Places {
            paths: cat
                .sources
                .iter()
                .map(|s| (s.id.as_str(), s.path.as_str()))
                .collect(),
            names: cat
                .charts
                .iter()
                .map(|c| (c.id.as_str(), c.name.as_str()))
                .collect(),
        }
    }

    /// The path of the finding's source ("" if the catalog lacks it).
    pub fn path(&self, f: &Finding) -> &'a str {
        self.paths.get(f.source.as_str()).copied().unwrap_or("")
    }

    /// The name of the finding's chart, none for a finding about a file.
    pub fn chart_name(&self, f: &Finding) -> Option<&'a str> {
        f.chart.as_deref().and_then(|c| self.names.get(c)).copied()
    }
}

/// Every finding of `cat` with its path and chart name, in catalog order.
pub fn reported(cat: &Catalog) -> Vec<ReportedFinding> {
    let places = Places::of(cat);
    cat.findings
        .iter()
        .map(|f| ReportedFinding {
            path: places.path(f).to_string(),
            chart_name: places.chart_name(f).map(str::to_string),
            finding: f.clone(),
        })
        .collect()
}

/// One remembered finding.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BaselineEntry {
    /// The finding's id when it was seen.
    pub id: String,
    /// Its code.
    pub code: String,
    /// Its file's path.
    pub path: String,
    /// Its chart's name, null for a file-level finding.
    pub chart_name: Option<String>,
    /// Where it was (for people; not used to match).
    pub location: String,
    /// The text it quoted.
    pub evidence: String,
}

/// Findings a person has seen and chose to leave (`check --write-baseline`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Baseline {
    /// `riskflow.baseline/1`.
    pub schema: String,
    /// The findings seen, in catalog order.
    pub findings: Vec<BaselineEntry>,
    #[serde(skip)]
    ids: HashSet<String>,
    #[serde(skip)]
    keys: HashSet<(String, String, Option<String>, String)>,
}

/// Why a baseline file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// Not JSON, or not a baseline's shape.
    #[error("not a riskflow baseline: {0}")]
    Json(#[from] serde_json::Error),
    /// A baseline of another schema version.
    #[error("baseline schema `{0}` is not {BASELINE_SCHEMA}")]
    Schema(String),
}

impl Baseline {
    /// Every finding of the catalog.
    pub fn of(cat: &Catalog) -> Baseline {
        Baseline::from_reported(&reported(cat))
    }

    /// These findings.
    pub fn from_reported(list: &[ReportedFinding]) -> Baseline {
        let findings = list
            .iter()
            .map(|r| BaselineEntry {
                id: r.finding.id.clone(),
                code: r.finding.code.clone(),
                path: r.path.clone(),
                chart_name: r.chart_name.clone(),
                location: r.finding.location.clone(),
                evidence: r.finding.evidence.clone(),
            })
            .collect();
        Baseline {
            schema: BASELINE_SCHEMA.to_string(),
            findings,
            ids: HashSet::new(),
            keys: HashSet::new(),
        }
        .indexed()
    }

    /// Read a baseline written by [`Baseline::to_json`].
    pub fn parse(text: &str) -> Result<Baseline, BaselineError> {
        let b: Baseline = serde_json::from_str(text)?;
        if b.schema != BASELINE_SCHEMA {
            return Err(BaselineError::Schema(b.schema));
        }
        Ok(b.indexed())
    }

    /// Pretty JSON, findings in catalog order, ending with a newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    fn indexed(mut self) -> Baseline {
        self.ids = self.findings.iter().map(|e| e.id.clone()).collect();
        self.keys = self
            .findings
            .iter()
            .map(|e| {
                (
                    e.code.clone(),
                    e.path.clone(),
                    e.chart_name.clone(),
                    e.evidence.clone(),
                )
            })
            .collect();
        self
    }

    /// Whether this finding was seen: same id, or same code, path, chart
    /// name and evidence.
    pub fn knows(&self, f: &ReportedFinding) -> bool {
        self.ids.contains(&f.finding.id)
            || self.keys.contains(&(
                f.finding.code.clone(),
                f.path.clone(),
                f.chart_name.clone(),
                f.finding.evidence.clone(),
            ))
    }
}

/// `riskflow check` as a library call: read `paths` (as [`crate::ingest()`]
/// does), and report the findings the baseline does not know, with their
/// paths and chart names. `exit_status` is 1 when one of them is an error.
///
/// ```
/// use std::path::PathBuf;
/// let report = riskflow::check(&[PathBuf::from("fixtures/flow/mixed.docx")],
///                              &riskflow::Options::default(), None).unwrap();
/// assert_eq!(report.summary.files, 1);
/// let dup = report.findings.iter().find(|f| f.finding.code == "chart.duplicate").unwrap();
/// assert_eq!(dup.path, "fixtures/flow/mixed.docx");
/// assert_eq!(dup.chart_name.as_deref(), Some("用人单位执行《带薪年休假制度》情况的检查"));
///
/// // Everything seen: nothing new next time.
/// let seen = riskflow::review::Baseline::from_reported(&report.findings);
/// let again = riskflow::check(&[PathBuf::from("fixtures/flow/mixed.docx")],
///                             &riskflow::Options::default(), Some(&seen)).unwrap();
/// assert!(again.findings.is_empty());
/// assert_eq!(again.summary.baselined, report.findings.len());
/// ```
pub fn check(
    paths: &[std::path::PathBuf],
    opts: &crate::ingest::Options,
    baseline: Option<&Baseline>,
) -> Result<CheckReport, crate::ingest::IngestError> {
    let cat = crate::ingest::ingest(paths, opts)?;
    let (new, known): (Vec<_>, Vec<_>) = reported(&cat)
        .into_iter()
        .partition(|f| baseline.is_none_or(|b| !b.knows(f)));
    let status = u8::from(new.iter().any(|f| f.finding.severity == Severity::Error));
    Ok(CheckReport::new(&cat, new, known.len(), status))
}

/// What `check --json` prints: a summary, then the findings shown.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CheckReport {
    /// Counts.
    pub summary: CheckSummary,
    /// The findings shown, in catalog order.
    pub findings: Vec<ReportedFinding>,
}

/// Counts for scripts: of the findings shown (after the severity floor and
/// the baseline), and of what was read.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CheckSummary {
    /// Files read.
    pub files: usize,
    /// Files that could not be read.
    pub files_failed: usize,
    /// Charts read.
    pub charts: usize,
    /// Findings shown, by severity.
    pub findings: SeverityCounts,
    /// Findings shown, by code.
    pub findings_by_code: BTreeMap<String, usize>,
    /// Findings left out because the baseline knows them.
    pub baselined: usize,
    /// The exit status of the command that printed this.
    pub exit_status: u8,
}

impl CheckReport {
    /// The report of `shown` (a selection of `reported(cat)`), `baselined`
    /// findings having been left out.
    pub fn new(
        cat: &Catalog,
        shown: Vec<ReportedFinding>,
        baselined: usize,
        exit_status: u8,
    ) -> CheckReport {
        let mut findings = SeverityCounts::default();
        let mut by_code = BTreeMap::new();
        for f in &shown {
            match f.finding.severity {
                Severity::Error => findings.error += 1,
                Severity::Warning => findings.warning += 1,
                Severity::Info => findings.info += 1,
            }
            *by_code.entry(f.finding.code.clone()).or_default() += 1;
        }
        CheckReport {
            summary: CheckSummary {
                files: cat.summary.sources,
                files_failed: cat.summary.sources_failed,
                charts: cat.summary.charts,
                findings,
                findings_by_code: by_code,
                baselined,
                exit_status,
            },
            findings: shown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        serde_json::from_str(include_str!("../tests/data/review/small.catalog.json")).unwrap()
    }

    #[test]
    fn reported_findings_carry_path_and_chart_name() {
        let r = reported(&catalog());
        assert_eq!(r[0].path, "charts/受理.docx");
        assert_eq!(
            r[0].chart_name.as_deref(),
            Some("企业退休人员基本养老金待遇给付")
        );
        assert_eq!(r[1].chart_name, None);
    }

    #[test]
    fn a_baseline_knows_by_id_or_by_what_the_finding_says() {
        let cat = catalog();
        let b = Baseline::parse(&Baseline::of(&cat).to_json()).unwrap();
        let mut r = reported(&cat);
        assert!(r.iter().all(|f| b.knows(f)));
        // The file was edited elsewhere: new sha256, new id, same defect.
        r[0].finding.id = "fd-000000000000".into();
        r[0].finding.location = "word/document.xml#p99".into();
        assert!(b.knows(&r[0]));
        // A different defect in the same chart is new.
        r[0].finding.evidence = "2.另一条".into();
        assert!(!b.knows(&r[0]));
    }

    #[test]
    fn a_baseline_of_another_schema_is_refused() {
        let e = Baseline::parse(r#"{"schema":"x/1","findings":[]}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "baseline schema `x/1` is not riskflow.baseline/1"
        );
    }
}

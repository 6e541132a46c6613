//! The catalog contract (`riskflow.catalog/1`, see CATALOG.md).
//!
//! Field order here is the key order of `catalog.json`: do not reorder,
//! rename or remove fields; add new ones only at the end of a struct.

use serde::{Deserialize, Serialize};

/// The schema name written into every catalog.
pub const SCHEMA: &str = "riskflow.catalog/1";

/// One catalog: what `riskflow ingest` writes to `catalog.json`.
///
/// ```
/// let text = std::fs::read_to_string("tests/data/sample_catalog.json").unwrap();
/// let cat: riskflow::catalog::Catalog = serde_json::from_str(&text).unwrap();
/// assert_eq!(cat.schema, riskflow::catalog::SCHEMA);
/// assert_eq!(cat.summary.charts, cat.charts.len());
/// ```
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Catalog {
    /// `riskflow.catalog/1`.
    pub schema: String,
    /// `riskflow` and its version.
    pub generator: String,
    /// SHA-256 of the rule files used, in a fixed order.
    pub rules_digest: String,
    /// Counts.
    pub summary: Summary,
    /// Every input file, in sorted path order.
    pub sources: Vec<Source>,
    /// Every chart, in source then document order.
    pub charts: Vec<Chart>,
    /// The clusters of risk and measure lines.
    pub texts: Vec<Text>,
    /// Every finding, in source then chart order.
    pub findings: Vec<Finding>,
}

/// Counts over the whole catalog.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Summary {
    /// Files read.
    pub sources: usize,
    /// Files with status `failed`.
    pub sources_failed: usize,
    /// Charts.
    pub charts: usize,
    /// Steps in all charts.
    pub steps: usize,
    /// Risk points in all charts.
    pub risk_points: usize,
    /// Risk items in all charts.
    pub risk_items: usize,
    /// Measures in all charts.
    pub measures: usize,
    /// Texts by kind.
    pub texts: TextCounts,
    /// Findings by severity.
    pub findings: SeverityCounts,
    /// Findings counted by code (added field).
    pub findings_by_code: std::collections::BTreeMap<String, usize>,
    /// Findings counted by source id (added field).
    pub findings_by_source: std::collections::BTreeMap<String, usize>,
}

/// Texts by kind.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct TextCounts {
    /// Risk texts.
    pub risk: usize,
    /// Measure texts.
    pub measure: usize,
}

/// Findings by severity.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct SeverityCounts {
    /// Data lost or wrong.
    pub error: usize,
    /// Needs a person's look.
    pub warning: usize,
    /// For information.
    pub info: usize,
}

/// One input file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Source {
    /// `src-` + the first 12 hex of the file's SHA-256.
    pub id: String,
    /// The path as given, `/` separators.
    pub path: String,
    /// The format detected from the bytes (`docx`, `xls`, `txt` …).
    pub format: String,
    /// File size.
    pub bytes: u64,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// For text formats, the encoding detected.
    pub encoding: Option<String>,
    /// How far it could be read.
    pub status: SourceStatus,
    /// Why not fully, for `partial`, `failed`, `skipped`.
    pub error: Option<SourceError>,
    /// Ids of its charts, in document order.
    pub charts: Vec<String>,
    /// Characters of text found in the file.
    pub chars_read: usize,
    /// Of those, characters that went into a chart field or a finding's evidence.
    pub chars_placed: usize,
}

/// How far a file could be read.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SourceStatus {
    /// Read completely.
    Ok,
    /// Read, but some part could not be.
    Partial,
    /// Could not be read.
    Failed,
    /// Not a supported format.
    Skipped,
}

impl SourceStatus {
    /// The contract's word: `ok`, `partial`, `failed`, `skipped`.
    pub fn as_str(&self) -> &'static str {
        match self {
            SourceStatus::Ok => "ok",
            SourceStatus::Partial => "partial",
            SourceStatus::Failed => "failed",
            SourceStatus::Skipped => "skipped",
        }
    }
}

/// Why a file was read only in part, or not at all.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SourceError {
    /// A finding code (`source.unreadable` …).
    pub code: String,
    /// What happened.
    pub message: String,
}

/// One risk-control chart about one power, process or post.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Chart {
    /// `ch-` + 12 hex of (department, category, code, name); repeats get `-2`, `-3` ….
    pub id: String,
    /// Source id.
    pub source: String,
    /// 1-based position within its source.
    pub ordinal: usize,
    /// Where it starts: `word/document.xml#p120`, `Sheet1!A1:F40`, `line 233` ….
    pub location: String,
    /// `flow`, `table`, `list` or `prose`.
    pub layout: String,
    /// The chart's own title line.
    pub title: Option<String>,
    /// The department, as written.
    pub department: Option<String>,
    /// The power category, normalised (行政许可 … 其他权力).
    pub category: Option<String>,
    /// The category as written (`行政给付类2`).
    pub category_raw: Option<String>,
    /// The chart's number within its category or list.
    pub code: Option<String>,
    /// The power, process or post it is about.
    pub name: String,
    /// Where the name came from: `label`, `title`, `heading` or `file`.
    pub name_from: String,
    /// The overall time limit, as written.
    pub time_limit: Option<String>,
    /// Telephone numbers.
    pub contacts: Vec<Contact>,
    /// The workflow, in order.
    pub steps: Vec<Step>,
    /// In step order, then document order.
    pub risk_points: Vec<RiskPoint>,
}

/// A telephone number printed on a chart.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Contact {
    /// `service`, `supervision` or `complaint`.
    pub kind: String,
    /// As written.
    pub number: String,
}

/// One box of the workflow.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Step {
    /// 1-based order in the workflow.
    pub seq: usize,
    /// Normalised: inner spaces of CJK text removed.
    pub name: String,
    /// As written.
    pub raw: String,
    /// Who performs it, when the box says.
    pub actor: Option<String>,
    /// Its time limit, as written.
    pub time_limit: Option<String>,
}

/// A group of risk items with its grade, measures and responsible persons.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RiskPoint {
    /// `rp-` + 12 hex of chart id and position.
    pub id: String,
    /// `风险点1`, `A1-3` … when the document names it.
    pub label: Option<String>,
    /// `seq` of its step, if any.
    pub step: Option<usize>,
    /// Its grade, if the document gives one.
    pub grade: Option<Grade>,
    /// The risk items.
    pub items: Vec<Line>,
    /// The prevention measures.
    pub measures: Vec<Line>,
    /// 责任人, in document order, without the label.
    pub responsible: Vec<String>,
}

/// A risk grade, on the scale the document used.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Grade {
    /// `high` | `medium` | `low`
    pub level: String,
    /// `word` | `letter` | `stars` | `tier`
    pub scale: String,
    /// The grade as written: `风险等级：中`, `B级`, `★★★`.
    pub raw: String,
}

/// One numbered (or unnumbered) line of a risk point.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Line {
    /// The number as the reader sees it.
    pub n: Option<u32>,
    /// The marker as written: `1.` `1、` `①` `(1)` `措施一：`.
    pub marker: Option<String>,
    /// The text without its marker.
    pub text: String,
    /// Id of its text cluster.
    pub text_id: String,
}

/// A cluster of near-identical risk or measure lines across all charts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Text {
    /// `tx-` + 12 hex of kind and canonical text.
    pub id: String,
    /// `risk` or `measure`.
    pub kind: String,
    /// The form chosen for the cluster (most frequent, then earliest).
    pub canonical: String,
    /// Lines in the cluster.
    pub occurrences: usize,
    /// Distinct charts using it.
    pub charts: usize,
    /// Every other form, most frequent first.
    pub variants: Vec<Variant>,
}

/// Another form of a text's lines.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Variant {
    /// The form.
    pub text: String,
    /// Lines written this way.
    pub occurrences: usize,
}

/// How bad a finding is; orders `Error < Warning < Info`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Data lost or wrong.
    Error,
    /// Needs a person's look.
    Warning,
    /// For information.
    Info,
}

impl Severity {
    /// The contract's word: `error`, `warning`, `info`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One problem found in the documents, with where it is.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Finding {
    /// `fd-` + 12 hex of (code, source sha256, location, evidence); given
    /// when findings are assembled (see `crate::ingest::finding_id`). Empty
    /// when read from a catalog written before ids existed.
    #[serde(default)]
    pub id: String,
    /// Stable dotted code (`numbering.duplicate` …).
    pub code: String,
    /// How bad.
    pub severity: Severity,
    /// Source id.
    pub source: String,
    /// Chart id, for findings about a chart.
    pub chart: Option<String>,
    /// Step seq, for findings about a step.
    pub step: Option<usize>,
    /// Risk point id, for findings about one.
    pub risk_point: Option<String>,
    /// Where, as precisely as the reader can tell.
    pub location: String,
    /// One sentence in Chinese for the people who fix the documents.
    pub message: String,
    /// The offending text, as written.
    pub evidence: String,
    /// The fix, when one is known.
    pub suggestion: Option<String>,
}

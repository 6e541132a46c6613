//! The catalog contract (`riskflow.catalog/1`, see CATALOG.md).
//!
//! Field order here is the key order of `catalog.json`: do not reorder,
//! rename or remove fields; add new ones only at the end of a struct.

use serde::{Deserialize, Serialize};

pub const SCHEMA: &str = "riskflow.catalog/1";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Catalog {
    pub schema: String,
    pub generator: String,
    pub rules_digest: String,
    pub summary: Summary,
    pub sources: Vec<Source>,
    pub charts: Vec<Chart>,
    pub texts: Vec<Text>,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Summary {
    pub sources: usize,
    pub sources_failed: usize,
    pub charts: usize,
    pub steps: usize,
    pub risk_points: usize,
    pub risk_items: usize,
    pub measures: usize,
    pub texts: TextCounts,
    pub findings: SeverityCounts,
    /// Findings counted by code (added field).
    pub findings_by_code: std::collections::BTreeMap<String, usize>,
    /// Findings counted by source id (added field).
    pub findings_by_source: std::collections::BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct TextCounts {
    pub risk: usize,
    pub measure: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct SeverityCounts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Source {
    pub id: String,
    pub path: String,
    pub format: String,
    pub bytes: u64,
    pub sha256: String,
    pub encoding: Option<String>,
    pub status: SourceStatus,
    pub error: Option<SourceError>,
    pub charts: Vec<String>,
    pub chars_read: usize,
    pub chars_placed: usize,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SourceStatus {
    Ok,
    Partial,
    Failed,
    Skipped,
}

impl SourceStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            SourceStatus::Ok => "ok",
            SourceStatus::Partial => "partial",
            SourceStatus::Failed => "failed",
            SourceStatus::Skipped => "skipped",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SourceError {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Chart {
    pub id: String,
    pub source: String,
    pub ordinal: usize,
    pub location: String,
    pub layout: String,
    pub title: Option<String>,
    pub department: Option<String>,
    pub category: Option<String>,
    pub category_raw: Option<String>,
    pub code: Option<String>,
    pub name: String,
    /// Where the name came from: `label`, `title`, `heading` or `file`.
    pub name_from: String,
    pub time_limit: Option<String>,
    pub contacts: Vec<Contact>,
    pub steps: Vec<Step>,
    pub risk_points: Vec<RiskPoint>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Contact {
    pub kind: String,
    pub number: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Step {
    pub seq: usize,
    pub name: String,
    pub raw: String,
    pub actor: Option<String>,
    pub time_limit: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RiskPoint {
    pub id: String,
    pub label: Option<String>,
    pub step: Option<usize>,
    pub grade: Option<Grade>,
    pub items: Vec<Line>,
    pub measures: Vec<Line>,
    pub responsible: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Grade {
    /// `high` | `medium` | `low`
    pub level: String,
    /// `word` | `letter` | `stars` | `tier`
    pub scale: String,
    pub raw: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Line {
    pub n: Option<u32>,
    pub marker: Option<String>,
    pub text: String,
    pub text_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Text {
    pub id: String,
    pub kind: String,
    pub canonical: String,
    pub occurrences: usize,
    pub charts: usize,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Variant {
    pub text: String,
    pub occurrences: usize,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    pub source: String,
    pub chart: Option<String>,
    pub step: Option<usize>,
    pub risk_point: Option<String>,
    pub location: String,
    pub message: String,
    pub evidence: String,
    pub suggestion: Option<String>,
}

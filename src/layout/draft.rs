//! Plain data between layout and assembly: a chart as read, before ids are
//! given and texts are clustered.

use crate::catalog::{Contact, Grade, Severity, Step};
use crate::recognise::markers::{Marked, split_marker};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// One numbered (or unnumbered) line of a box or cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineDraft {
    /// As written (marker included), trimmed.
    pub raw: String,
    pub marked: Marked,
    /// Where its block came from.
    pub origin: String,
}

impl LineDraft {
    pub fn new(raw: &str, origin: &str) -> LineDraft {
        LineDraft {
            raw: raw.trim().to_string(),
            marked: split_marker(raw),
            origin: origin.to_string(),
        }
    }
}

/// A risk point as read: its step is an index into `ChartDraft.steps`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PointDraft {
    pub label: Option<String>,
    /// 0-based index into the chart's steps.
    pub step: Option<usize>,
    pub grade: Option<Grade>,
    pub items: Vec<LineDraft>,
    pub measures: Vec<LineDraft>,
    pub responsible: Vec<String>,
    /// Where the risk content (else the measures) came from.
    pub origin: String,
}

/// Something the layout noticed that becomes a finding once ids exist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// A finding code (`chart.unplaced_text`): written in the layout's code,
    /// owned only when it came from a worker process.
    pub code: Cow<'static, str>,
    pub severity: Severity,
    /// 0-based step index, when the note is about a step.
    pub step: Option<usize>,
    /// Index into `ChartDraft.points`, when about a risk point.
    pub point: Option<usize>,
    pub origin: String,
    pub message: String,
    pub evidence: String,
    pub suggestion: Option<String>,
}

/// Drafts travel from a worker process to the parent (postcard), so every
/// field is plain data; the layout's own words (`layout`, `name_from`, note
/// codes) are `Cow`s, borrowed when made here and owned when received.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ChartDraft {
    /// `flow`, `table`, `list` or `prose`.
    pub layout: Cow<'static, str>,
    pub location: String,
    pub title: Option<String>,
    pub department: Option<String>,
    pub category: Option<String>,
    pub category_raw: Option<String>,
    pub code: Option<String>,
    pub name: Option<String>,
    /// The line the name came from, as written (for evidence).
    pub name_raw: Option<String>,
    /// `label` (a 职权名称-style line or a 流程/岗位 cell), `title`,
    /// `heading` or `file` (CATALOG.md `name_from`); `None` until known.
    pub name_from: Option<Cow<'static, str>>,
    pub time_limit: Option<String>,
    pub contacts: Vec<Contact>,
    /// seq is filled in 1.. order.
    pub steps: Vec<Step>,
    pub step_origins: Vec<String>,
    pub points: Vec<PointDraft>,
    /// The chart has a picture and nothing to read.
    pub image_only: bool,
    /// Risk and measure blocks were tied to steps by stream order.
    pub order_only: bool,
    pub notes: Vec<Note>,
    /// Characters that went into a chart field or a note's evidence.
    pub chars_placed: usize,
}

impl ChartDraft {
    pub fn note(
        &mut self,
        code: &'static str,
        severity: Severity,
        origin: &str,
        message: impl Into<String>,
        evidence: impl Into<String>,
    ) -> &mut Note {
        self.notes.push(Note {
            code: Cow::Borrowed(code),
            severity,
            step: None,
            point: None,
            origin: origin.to_string(),
            message: message.into(),
            evidence: evidence.into(),
            suggestion: None,
        });
        let last = self.notes.len() - 1;
        &mut self.notes[last]
    }

    /// Text that fits no field: kept, as written, in a `chart.unplaced_text`
    /// finding (nothing read is dropped), and so counted as placed.
    pub fn unplaced(&mut self, origin: &str, text: &str, message: &str) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        self.place(text);
        self.note(
            "chart.unplaced_text",
            Severity::Warning,
            origin,
            message,
            text,
        );
    }

    pub fn place(&mut self, text: &str) {
        self.chars_placed += crate::document::count_chars(text);
    }
}

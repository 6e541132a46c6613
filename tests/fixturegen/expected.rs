//! The expected catalog of one fixture file, from the same chart specs the
//! .docx was written from. Struct field order is the JSON key order.

use std::collections::BTreeMap;

use serde::Serialize;

use super::charts::{BoxText, Chart, DEPARTMENT, Para};
use super::layout::BoxRef;

#[derive(Serialize)]
struct Expected {
    status: &'static str,
    charts: Vec<ExChart>,
    findings: Vec<ExFinding>,
}

#[derive(Serialize)]
struct ExChart {
    ordinal: usize,
    layout: &'static str,
    title: String,
    department: &'static str,
    category: String,
    category_raw: &'static str,
    code: String,
    name: &'static str,
    time_limit: Option<String>,
    contacts: Vec<ExContact>,
    steps: Vec<ExStep>,
    risk_points: Vec<ExRiskPoint>,
}

#[derive(Serialize)]
struct ExContact {
    kind: &'static str,
    number: &'static str,
}

#[derive(Serialize)]
struct ExStep {
    seq: usize,
    name: String,
    raw: &'static str,
    actor: Option<&'static str>,
    time_limit: Option<&'static str>,
}

#[derive(Serialize)]
struct ExRiskPoint {
    label: Option<String>,
    step: usize,
    grade: Option<ExGrade>,
    items: Vec<ExLine>,
    measures: Vec<ExLine>,
    responsible: Vec<&'static str>,
}

#[derive(Serialize)]
struct ExGrade {
    level: &'static str,
    scale: &'static str,
    raw: &'static str,
}

#[derive(Serialize)]
struct ExLine {
    n: Option<u32>,
    marker: Option<String>,
    text: &'static str,
}

#[derive(Serialize)]
struct ExFinding {
    code: &'static str,
    chart: usize,
    evidence: String,
}

/// `行政裁决类1` → (`行政裁决`, `1`); `其他权力15` → (`其他权力`, `15`).
fn category_and_code(raw: &str) -> (String, String) {
    let code_start = raw
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map_or(raw.len(), |(i, _)| i);
    let words = &raw[..code_start];
    let category = words.strip_suffix('类').unwrap_or(words);
    (category.to_string(), raw[code_start..].to_string())
}

/// Items or measures of one box; `numbers` are the rendered auto-numbers.
fn lines(content: &BoxText, numbers: &[u32]) -> Vec<ExLine> {
    let mut auto = numbers.iter();
    content
        .paras
        .iter()
        .filter_map(|p| match p {
            Para::Line(l) => Some(ExLine {
                n: l.n,
                marker: l.marker.map(str::to_string),
                text: l.text,
            }),
            Para::Auto { text, .. } => {
                let n = *auto.next().expect("every auto paragraph was rendered");
                Some(ExLine {
                    n: Some(n),
                    marker: Some(format!("{n}.")),
                    text,
                })
            }
            Para::Grade { .. } | Para::Responsible { .. } => None,
        })
        .collect()
}

fn grade(content: &BoxText) -> Option<ExGrade> {
    content.paras.iter().find_map(|p| match p {
        Para::Grade { raw, level } => Some(ExGrade {
            level,
            scale: "word",
            raw,
        }),
        _ => None,
    })
}

fn responsible(content: &BoxText) -> Vec<&'static str> {
    content
        .paras
        .iter()
        .flat_map(|p| match p {
            Para::Responsible { names, .. } => names.clone(),
            _ => Vec::new(),
        })
        .collect()
}

/// Pretty-printed expected JSON (with a final newline) for the charts of one
/// file; `rendered` holds the auto-numbers Word shows, per (chart, box).
pub fn expected_json(charts: &[&Chart], rendered: &BTreeMap<(usize, BoxRef), Vec<u32>>) -> Vec<u8> {
    let mut out = Expected {
        status: "ok",
        charts: Vec::new(),
        findings: Vec::new(),
    };
    for (ci, chart) in charts.iter().enumerate() {
        let ordinal = ci + 1;
        let numbers = |point: usize, risk: bool| {
            rendered
                .get(&(ci, BoxRef { point, risk }))
                .map_or(&[][..], Vec::as_slice)
        };
        for f in &chart.findings {
            out.findings.push(ExFinding {
                code: f.code,
                chart: ordinal,
                evidence: f.evidence.clone(),
            });
        }
        let mut risk_points = Vec::new();
        for (pi, point) in chart.points.iter().enumerate() {
            for (content, risk) in [(&point.risk, true), (&point.measure, false)] {
                let Some(content) = content else { continue };
                for f in &content.findings {
                    if f.code == "numbering.continued" {
                        let first = lines(content, numbers(pi, risk))
                            .first()
                            .map(|l| format!("{}\t{}", l.marker.as_deref().unwrap_or(""), l.text));
                        assert_eq!(
                            first.as_deref(),
                            Some(f.evidence.as_str()),
                            "numbering.continued evidence must be the rendered first line"
                        );
                    }
                    out.findings.push(ExFinding {
                        code: f.code,
                        chart: ordinal,
                        evidence: f.evidence.clone(),
                    });
                }
            }
            risk_points.push(ExRiskPoint {
                label: None,
                step: point.step + 1,
                grade: point.risk.as_ref().and_then(grade),
                items: point
                    .risk
                    .as_ref()
                    .map(|r| lines(r, numbers(pi, true)))
                    .unwrap_or_default(),
                measures: point
                    .measure
                    .as_ref()
                    .map(|m| lines(m, numbers(pi, false)))
                    .unwrap_or_default(),
                responsible: point.measure.as_ref().map(responsible).unwrap_or_default(),
            });
        }
        let mut contacts = Vec::new();
        for (kind, number) in [
            ("service", chart.service_phone),
            ("supervision", chart.supervision_phone),
        ] {
            if !number.is_empty() {
                contacts.push(ExContact { kind, number });
            }
        }
        let (category, code) = category_and_code(chart.category_raw);
        out.charts.push(ExChart {
            ordinal,
            layout: "flow",
            title: chart.title(),
            department: DEPARTMENT,
            category,
            category_raw: chart.category_raw,
            code,
            name: chart.name,
            time_limit: None,
            contacts,
            steps: chart
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| ExStep {
                    seq: i + 1,
                    name: s.name.clone(),
                    raw: s.raw,
                    actor: s.actor,
                    time_limit: s.time_limit,
                })
                .collect(),
            risk_points,
        });
    }
    let mut json = serde_json::to_string_pretty(&out).expect("plain structs serialise");
    json.push('\n');
    json.into_bytes()
}

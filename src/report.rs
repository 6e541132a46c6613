//! Findings for people at a terminal (`riskflow check`): grouped by file,
//! then by chart, one finding per line with its evidence and suggestion.
//! Statuses and severities in Chinese, codes as in the contract.

use crate::catalog::{Catalog, Chart, Finding, Severity};
use crate::write::zh;
use std::collections::HashMap;
use std::fmt::Write;

/// The findings (a selection of the catalog's, in its order) as text.
pub fn text(cat: &Catalog, findings: &[&Finding]) -> String {
    let mut out = String::new();
    // Looked up through maps: one pass over the findings, not one per file.
    let mut by_source: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in findings {
        by_source.entry(f.source.as_str()).or_default().push(f);
    }
    let charts: HashMap<&str, &Chart> = cat.charts.iter().map(|c| (c.id.as_str(), c)).collect();
    for s in &cat.sources {
        let mine = by_source.remove(s.id.as_str()).unwrap_or_default();
        let _ = writeln!(
            out,
            "{}  [{}, {} 个图表, {} 个问题]",
            s.path,
            zh::status(s.status.as_str()).unwrap_or(s.status.as_str()),
            s.charts.len(),
            mine.len()
        );
        let mut chart: Option<&str> = Some("\u{0}");
        for f in mine {
            if chart != f.chart.as_deref() {
                chart = f.chart.as_deref();
                let name = chart
                    .and_then(|id| charts.get(id))
                    .map(|c| {
                        format!(
                            "  图表 {}：{}",
                            c.ordinal,
                            if c.name.is_empty() {
                                "（无名称）"
                            } else {
                                &c.name
                            }
                        )
                    })
                    .unwrap_or_else(|| "  文件".to_string());
                let _ = writeln!(out, "{name}");
            }
            let step = f.step.map(|s| format!(" 环节{s}")).unwrap_or_default();
            let _ = writeln!(
                out,
                "    {} {:<24} {}{}  {}",
                zh::severity(f.severity.as_str()).unwrap_or(f.severity.as_str()),
                f.code,
                f.location,
                step,
                f.message
            );
            if !f.evidence.is_empty() {
                let _ = writeln!(
                    out,
                    "            原文：{}",
                    f.evidence.replace('\n', " ⏎ ").replace('\t', " ")
                );
            }
            if let Some(sug) = &f.suggestion {
                let _ = writeln!(out, "            建议：{sug}");
            }
        }
    }
    // The findings listed, not the catalog's: after --severity and --baseline.
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let _ = writeln!(
        out,
        "\n{} 个文件，{} 个图表；问题：{} 个错误，{} 个警告，{} 条提示",
        cat.summary.sources,
        cat.summary.charts,
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    out
}

//! Findings for people at a terminal (`riskflow check`): grouped by file,
//! then by chart, one finding per line with its evidence and suggestion.

use crate::catalog::{Catalog, Finding, Severity};
use std::fmt::Write;

pub fn text(cat: &Catalog, findings: &[&Finding]) -> String {
    let mut out = String::new();
    for s in &cat.sources {
        let mine: Vec<&&Finding> = findings.iter().filter(|f| f.source == s.id).collect();
        let _ = writeln!(
            out,
            "{}  [{}, {} 个图表, {} 个问题]",
            s.path,
            s.status.as_str(),
            s.charts.len(),
            mine.len()
        );
        let mut chart: Option<&str> = Some("\u{0}");
        for f in mine {
            if chart != f.chart.as_deref() {
                chart = f.chart.as_deref();
                let name = chart
                    .and_then(|id| cat.charts.iter().find(|c| c.id == id))
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
                "    {:<7} {:<24} {}{}  {}",
                f.severity.as_str(),
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

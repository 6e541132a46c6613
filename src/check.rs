//! Checks: what is wrong in the documents, as findings (CATALOG.md codes).
//! Per chart from its draft (numbering, grades, 责任人, names, steps), and
//! across charts (duplicates, mixed grade scales).

use crate::catalog::{Chart, Finding, Severity};
use crate::layout::{ChartDraft, LineDraft};
use crate::recognise::markers::MarkerFault;
use std::collections::HashMap;

/// Context shared by the findings of one chart.
struct Ctx<'a> {
    chart: &'a Chart,
    out: Vec<Finding>,
}

impl Ctx<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        code: &str,
        severity: Severity,
        step: Option<usize>,
        risk_point: Option<&str>,
        location: &str,
        message: &str,
        evidence: &str,
        suggestion: Option<String>,
    ) {
        self.out.push(Finding {
            id: String::new(),
            code: code.to_string(),
            severity,
            source: self.chart.source.clone(),
            chart: Some(self.chart.id.clone()),
            step,
            risk_point: risk_point.map(str::to_string),
            location: location.to_string(),
            message: message.to_string(),
            evidence: evidence.to_string(),
            suggestion,
        });
    }
}

/// Findings of one chart: `draft` is what the layout read, `chart` the
/// assembled chart (same risk points, same order).
pub fn chart(draft: &ChartDraft, chart: &Chart) -> Vec<Finding> {
    let mut cx = Ctx {
        chart,
        out: Vec::new(),
    };
    let head_origin = draft.location.as_str();
    // The line that names the chart, else its title.
    let head_evidence = draft
        .name_raw
        .as_deref()
        .or(draft.title.as_deref())
        .unwrap_or("");
    if draft.image_only {
        cx.push(
            "chart.image_only",
            Severity::Warning,
            None,
            None,
            head_origin,
            "该图表只有图片，没有可读取的文字，需要人工录入。",
            head_evidence,
            None,
        );
    }
    if draft.name_from.is_none_or(|f| f == "file") {
        cx.push(
            "chart.no_name",
            Severity::Warning,
            None,
            None,
            head_origin,
            "图表没有职权名称（或权力名称、流程名称），也没有可用的标题，暂以文件名命名。",
            draft.title.as_deref().unwrap_or(""),
            None,
        );
    }
    if draft.steps.is_empty() && !draft.image_only && draft.layout == "flow" {
        cx.push(
            "chart.no_steps",
            Severity::Warning,
            None,
            None,
            head_origin,
            "流程图中没有识别出任何流程环节。",
            head_evidence,
            None,
        );
    }

    // Numbering: each box (or cell) on its own — a risk point may hold the
    // lines of several boxes, told apart by origin; a list that starts where
    // an earlier list of the same kind ended is a continuation.
    let mut ends: HashMap<&str, Vec<u32>> = HashMap::new();
    for (kind, pick) in [("risk", 0usize), ("measure", 1usize)] {
        let lists: Vec<(usize, &[LineDraft])> = draft
            .points
            .iter()
            .enumerate()
            .flat_map(|(i, p)| {
                let lines = if pick == 0 { &p.items } else { &p.measures };
                lines
                    .chunk_by(|a, b| a.origin == b.origin)
                    .map(move |run| (i, run))
            })
            .collect();
        for (_, list) in &lists {
            if let Some(last) = list.iter().filter_map(|l| l.marked.n).next_back() {
                ends.entry(kind).or_default().push(last);
            }
        }
        // In prose one numbered list is cut into one risk point per item:
        // there a list may run on from the previous point.
        let mut prev_last = None;
        for (i, list) in lists {
            let rp = &chart.risk_points[i];
            let runs_on = if draft.layout == "prose" {
                prev_last
            } else {
                None
            };
            numbering(
                &mut cx,
                list,
                rp.step,
                &rp.id,
                ends.get(kind).map(Vec::as_slice).unwrap_or(&[]),
                runs_on,
            );
            prev_last = list
                .iter()
                .filter_map(|l| l.marked.n)
                .next_back()
                .or(prev_last);
        }
    }

    for (i, p) in draft.points.iter().enumerate() {
        let rp = &chart.risk_points[i];
        if !p.items.is_empty() && p.grade.is_none() && !has_note(draft, "grade.unknown", i) {
            cx.push(
                "grade.missing",
                Severity::Warning,
                rp.step,
                Some(&rp.id),
                &p.origin,
                "风险点没有标注风险等级。",
                &p.items[0].raw,
                None,
            );
        }
        if !p.measures.is_empty() && p.responsible.is_empty() {
            cx.push(
                "responsible.missing",
                Severity::Warning,
                rp.step,
                Some(&rp.id),
                &p.measures[0].origin,
                "防控措施没有写明责任人。",
                &p.measures[0].raw,
                None,
            );
        }
    }

    // Steps: the same step twice, and steps without any risk point.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, s) in chart.steps.iter().enumerate() {
        let origin = draft
            .step_origins
            .get(i)
            .map(String::as_str)
            .unwrap_or(head_origin);
        if let Some(first) = seen.get(s.name.as_str()) {
            cx.push(
                "step.duplicate",
                Severity::Warning,
                Some(s.seq),
                None,
                origin,
                &format!("流程环节“{}”与第{}个环节重复。", s.name, first),
                &s.raw,
                None,
            );
        } else {
            seen.insert(&s.name, s.seq);
        }
        if !chart.risk_points.iter().any(|rp| rp.step == Some(s.seq)) {
            cx.push(
                "step.no_risk_point",
                Severity::Info,
                Some(s.seq),
                None,
                origin,
                &format!("流程环节“{}”没有对应的风险点。", s.name),
                &s.raw,
                None,
            );
        }
    }

    // Half-width punctuation in Chinese text (`做到首问负责和一次性告知.`).
    for (i, p) in draft.points.iter().enumerate() {
        let rp = &chart.risk_points[i];
        for line in p.items.iter().chain(&p.measures) {
            if let Some(fixed) = full_width(&line.marked.text) {
                let suggestion = match &line.marked.marker {
                    Some(m) => format!("{m}{fixed}"),
                    None => fixed,
                };
                cx.push(
                    "text.punctuation",
                    Severity::Info,
                    rp.step,
                    Some(&rp.id),
                    &line.origin,
                    "中文句子中使用了半角标点，应使用全角标点。",
                    &line.raw,
                    Some(suggestion),
                );
            }
        }
    }

    for n in &draft.notes {
        let rp = n.point.and_then(|i| chart.risk_points.get(i));
        let step = n.step.map(|s| s + 1).or_else(|| rp.and_then(|rp| rp.step));
        cx.push(
            n.code,
            n.severity,
            step,
            rp.map(|rp| rp.id.as_str()),
            &n.origin,
            &n.message,
            &n.evidence,
            n.suggestion.clone(),
        );
    }
    cx.out
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF5E}' | '“' | '”' | '‘' | '’')
}

/// The text with half-width punctuation next to Chinese replaced by its
/// full-width form; None when there is none. Punctuation between digits or
/// Latin letters (`1,000`, `10:30`, `A.B`) is left alone.
pub fn full_width(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let next = chars.get(i + 1).copied();
        let near_cjk = prev.is_some_and(is_cjk) || next.is_some_and(is_cjk);
        let replacement = match c {
            ',' if near_cjk => Some('，'),
            ';' if near_cjk => Some('；'),
            ':' if near_cjk => Some('：'),
            '?' if near_cjk => Some('？'),
            '!' if near_cjk => Some('！'),
            '(' if next.is_some_and(is_cjk) => Some('（'),
            ')' if prev.is_some_and(is_cjk) => Some('）'),
            // A full stop only at the end of a Chinese sentence or between
            // Chinese characters (not `3.5`, not `www.gov.cn`).
            '.' if prev.is_some_and(is_cjk) && next.is_none_or(is_cjk) => Some('。'),
            _ => None,
        };
        match replacement {
            Some(r) => {
                out.push(r);
                changed = true;
            }
            None => out.push(c),
        }
    }
    changed.then_some(out)
}

fn has_note(d: &ChartDraft, code: &str, point: usize) -> bool {
    d.notes
        .iter()
        .any(|n| n.code == code && n.point == Some(point))
}

fn numbering(
    cx: &mut Ctx,
    list: &[LineDraft],
    step: Option<usize>,
    rp: &str,
    ends: &[u32],
    runs_on: Option<u32>,
) {
    let mut prev: Option<u32> = None;
    let mut seen: Vec<u32> = Vec::new();
    for line in list {
        if let Some(fault) = &line.marked.fault {
            let fixed = line
                .marked
                .suggested_marker()
                .map(|m| format!("{m}{}", line.marked.text));
            let message = match fault {
                MarkerFault::DoubledSeparator => "序号后的标点重复（如“1..”）。",
                MarkerFault::Glued => "序号与正文之间缺少标点（如“1擅自…”）。",
                MarkerFault::Comma => "序号后误用逗号，应为“.”或“、”。",
            };
            cx.push(
                "numbering.malformed",
                Severity::Warning,
                step,
                Some(rp),
                &line.origin,
                message,
                &line.raw,
                fixed,
            );
        }
        let Some(n) = line.marked.n else { continue };
        match prev {
            None if n != 1 && runs_on.is_some_and(|r| n == r + 1) => {}
            None if n != 1 => {
                if n > 1 && ends.contains(&(n - 1)) {
                    cx.push(
                        "numbering.continued",
                        Severity::Warning,
                        step,
                        Some(rp),
                        &line.origin,
                        &format!("本框的编号从{n}开始，接续了前一个框的编号，应从1开始。"),
                        &line.raw,
                        Some(format!("1.{}", line.marked.text)),
                    );
                } else {
                    cx.push(
                        "numbering.not_from_one",
                        Severity::Warning,
                        step,
                        Some(rp),
                        &line.origin,
                        &format!("编号从{n}开始，而不是从1开始。"),
                        &line.raw,
                        None,
                    );
                }
            }
            Some(p) if seen.contains(&n) => cx.push(
                "numbering.duplicate",
                Severity::Warning,
                step,
                Some(rp),
                &line.origin,
                &format!("编号{n}重复使用。"),
                &line.raw,
                Some(format!("{}.{}", p + 1, line.marked.text)),
            ),
            Some(p) if n != p + 1 => cx.push(
                "numbering.gap",
                Severity::Warning,
                step,
                Some(rp),
                &line.origin,
                &format!("编号从{p}跳到了{n}。"),
                &line.raw,
                Some(format!("{}.{}", p + 1, line.marked.text)),
            ),
            _ => {}
        }
        seen.push(n);
        prev = Some(n);
    }
}

/// Findings across all charts of a run: charts with the same content under
/// different names, and documents that mix grade scales.
pub fn across(charts: &[Chart]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut first_with: HashMap<String, usize> = HashMap::new();
    for (i, c) in charts.iter().enumerate() {
        if c.steps.is_empty() && c.risk_points.is_empty() {
            continue;
        }
        let key = content_key(c);
        match first_with.get(&key) {
            Some(&j) => out.push(Finding {
                id: String::new(),
                code: "chart.duplicate".into(),
                severity: Severity::Warning,
                source: c.source.clone(),
                chart: Some(c.id.clone()),
                step: None,
                risk_point: None,
                location: c.location.clone(),
                message: format!(
                    "该图表的环节与风险点与“{}”完全相同，可能是复制后未修改。",
                    charts[j].name
                ),
                evidence: c.name.clone(),
                suggestion: None,
            }),
            None => {
                first_with.insert(key, i);
            }
        }
    }
    // Mixed grade scales within one source.
    let mut scales: Vec<(String, Vec<String>, usize)> = Vec::new();
    for (i, c) in charts.iter().enumerate() {
        for rp in &c.risk_points {
            if let Some(g) = &rp.grade {
                match scales.iter_mut().find(|(s, _, _)| *s == c.source) {
                    Some((_, list, _)) => {
                        if !list.contains(&g.scale) {
                            list.push(g.scale.clone());
                        }
                    }
                    None => scales.push((c.source.clone(), vec![g.scale.clone()], i)),
                }
            }
        }
    }
    for (source, list, first) in scales {
        if list.len() > 1 {
            let c = &charts[first];
            out.push(Finding {
                id: String::new(),
                code: "grade.mixed_scales".into(),
                severity: Severity::Warning,
                source,
                chart: None,
                step: None,
                risk_point: None,
                location: c.location.clone(),
                message: "同一文件混用了多种风险等级体系。".into(),
                evidence: list.join("、"),
                suggestion: None,
            });
        }
    }
    out
}

/// Steps and risk points as text, without names or ids.
fn content_key(c: &Chart) -> String {
    let mut k = String::new();
    for s in &c.steps {
        k.push_str(&s.name);
        k.push('|');
    }
    for rp in &c.risk_points {
        k.push_str(&format!(
            "#{:?}{:?}",
            rp.step,
            rp.grade.as_ref().map(|g| &g.level)
        ));
        for l in rp.items.iter().chain(&rp.measures) {
            k.push_str(&l.text);
            k.push('|');
        }
        k.push_str(&rp.responsible.join("、"));
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::RiskPoint;
    use crate::layout::PointDraft;

    fn lines(raw: &[&str]) -> Vec<LineDraft> {
        raw.iter().map(|r| LineDraft::new(r, "box")).collect()
    }

    /// One chart with two risk boxes; returns (code, evidence, suggestion).
    fn findings(a: &[&str], b: &[&str]) -> Vec<(String, String, Option<String>)> {
        let draft = ChartDraft {
            layout: "flow",
            name: Some("x".into()),
            points: vec![
                PointDraft {
                    items: lines(a),
                    grade: None,
                    ..Default::default()
                },
                PointDraft {
                    items: lines(b),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let rp = |i: usize| RiskPoint {
            id: format!("rp-{i}"),
            label: None,
            step: Some(i + 1),
            grade: None,
            items: vec![],
            measures: vec![],
            responsible: vec![],
        };
        let c = Chart {
            id: "ch-1".into(),
            source: "src-1".into(),
            ordinal: 1,
            location: "x".into(),
            layout: "flow".into(),
            title: None,
            department: None,
            category: None,
            category_raw: None,
            code: None,
            name: "x".into(),
            name_from: "label".into(),
            time_limit: None,
            contacts: vec![],
            steps: vec![],
            risk_points: vec![rp(0), rp(1)],
        };
        chart(&draft, &c)
            .into_iter()
            .filter(|f| f.code.starts_with("numbering."))
            .map(|f| (f.code, f.evidence, f.suggestion))
            .collect()
    }

    fn f(code: &str, evidence: &str, suggestion: Option<&str>) -> (String, String, Option<String>) {
        (code.into(), evidence.into(), suggestion.map(str::to_string))
    }

    #[test]
    fn half_width_punctuation_in_chinese() {
        assert_eq!(
            full_width("严格履行服务承诺制度,做到首问负责和一次性告知.").as_deref(),
            Some("严格履行服务承诺制度，做到首问负责和一次性告知。")
        );
        assert_eq!(
            full_width("可能存在对材料,证件审核不严(登记)").as_deref(),
            Some("可能存在对材料，证件审核不严（登记）")
        );
        assert_eq!(full_width("严格履行服务承诺制度，做到首问负责。"), None);
        assert_eq!(full_width("补贴3.5万元，共1,000人，10:30前"), None);
        assert_eq!(full_width("访问www.gov.cn查询"), None);
    }

    #[test]
    fn clean_lists_have_no_numbering_findings() {
        assert_eq!(findings(&["1.a", "2.b", "3.c"], &["1.d", "2.e"]), vec![]);
    }

    #[test]
    fn duplicate_gap_and_malformed() {
        assert_eq!(
            findings(
                &["1.故意刁难", "2.不按规定", "2.无原因超时", "4.不能一次告知"],
                &["1..建立", "2擅自改变"]
            ),
            vec![
                f("numbering.duplicate", "2.无原因超时", Some("3.无原因超时")),
                f("numbering.gap", "4.不能一次告知", Some("3.不能一次告知")),
                f("numbering.malformed", "1..建立", Some("1.建立")),
                f("numbering.malformed", "2擅自改变", Some("2.擅自改变")),
            ]
        );
    }

    #[test]
    fn continued_versus_not_from_one() {
        // The second box continues the first: 6, 7 after 1–5.
        assert_eq!(
            findings(&["1.a", "2.b", "3.c", "4.d", "5.e"], &["6.\tf", "7.\tg"]),
            vec![f("numbering.continued", "6.\tf", Some("1.f"))]
        );
        assert_eq!(
            findings(&["1.a", "2.b"], &["4.c", "5.d"]),
            vec![(
                "numbering.not_from_one".to_string(),
                "4.c".to_string(),
                None
            )]
        );
    }
}

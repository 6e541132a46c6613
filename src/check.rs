//! Checks: what is wrong in the documents, as findings (CATALOG.md codes).
//! Per chart from its draft (numbering, grades, 责任人, names, steps), and
//! across charts (duplicates, mixed grade scales).

use crate::catalog::{Chart, Finding, Severity};
use crate::layout::{ChartDraft, LineDraft};
use crate::recognise::markers::MarkerFault;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

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
    if draft.name_from.as_deref().is_none_or(|f| f == "file") {
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
    for pick in [0usize, 1] {
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
        // Where each list of this kind ends, as a set: looked up once per
        // list, so the check stays linear in the number of lines.
        let ends: HashSet<u32> = lists
            .iter()
            .filter_map(|(_, list)| list.iter().filter_map(|l| l.marked.n).next_back())
            .collect();
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
            numbering(&mut cx, list, rp.step, &rp.id, &ends, runs_on);
            prev_last = list
                .iter()
                .filter_map(|l| l.marked.n)
                .next_back()
                .or(prev_last);
        }
    }

    let grade_unknown: HashSet<usize> = draft
        .notes
        .iter()
        .filter(|n| n.code == "grade.unknown")
        .filter_map(|n| n.point)
        .collect();
    for (i, p) in draft.points.iter().enumerate() {
        let rp = &chart.risk_points[i];
        if !p.items.is_empty() && p.grade.is_none() && !grade_unknown.contains(&i) {
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
    let with_points: HashSet<usize> = chart.risk_points.iter().filter_map(|rp| rp.step).collect();
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
        if !with_points.contains(&s.seq) {
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
            &n.code,
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

/// What one source may produce (`rules/limits.toml`, `[findings]`).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingLimits {
    /// Findings of one code listed per source; the rest are counted in one
    /// `source.too_many_findings`.
    pub per_code: usize,
    /// Lines, and characters, of evidence kept when a chart with nothing
    /// recognised has its unplaced lines folded into one finding.
    pub unplaced_lines: usize,
    pub unplaced_chars: usize,
}

/// What one chart may hold (`rules/limits.toml`, `[chart]`).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartLimits {
    pub max_steps: usize,
    pub max_risk_points: usize,
}

/// `rules/limits.toml`: what one source, and one chart, may produce.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputLimits {
    pub findings: FindingLimits,
    pub chart: ChartLimits,
}

impl OutputLimits {
    pub fn validate(&self) -> Result<(), String> {
        self.findings.validate()?;
        if self.chart.max_steps == 0 || self.chart.max_risk_points == 0 {
            return Err("chart.max_steps and max_risk_points must be at least 1".into());
        }
        Ok(())
    }
}

/// Cut a chart draft to `limits`: steps and risk points past them are not
/// catalogued (references to them are cleared), and one
/// `chart.unplaced_text` note says how many were cut, with the first of
/// them as evidence. Runs before ids are given and checks are made.
pub fn cap_chart(d: &mut ChartDraft, limits: &ChartLimits, evidence_lines: usize) {
    let (max_steps, max_points) = (limits.max_steps, limits.max_risk_points);
    let cut_steps = d.steps.len().saturating_sub(max_steps);
    let cut_points = d.points.len().saturating_sub(max_points);
    if cut_steps == 0 && cut_points == 0 {
        return;
    }
    let mut evidence: Vec<&str> = Vec::new();
    for s in d.steps.iter().skip(max_steps).take(evidence_lines) {
        evidence.push(&s.raw);
    }
    for p in d.points.iter().skip(max_points) {
        for l in p.items.iter().chain(&p.measures) {
            if evidence.len() < evidence_lines * 2 {
                evidence.push(&l.raw);
            }
        }
    }
    let evidence = evidence.join("\n");
    let message = format!(
        "图表过大：共 {} 个流程环节、{} 个风险点，超过上限（{max_steps} 个环节、{max_points} 个风险点）；多出的 {cut_steps} 个环节和 {cut_points} 个风险点未收录，证据中保留了其中开头几行，全文见原文件。",
        d.steps.len(),
        d.points.len()
    );
    d.steps.truncate(max_steps);
    d.step_origins.truncate(max_steps);
    d.points.truncate(max_points);
    for p in &mut d.points {
        if p.step.is_some_and(|s| s >= max_steps) {
            p.step = None;
        }
    }
    d.notes.retain(|n| n.point.is_none_or(|p| p < max_points));
    for n in &mut d.notes {
        if n.step.is_some_and(|s| s >= max_steps) {
            n.step = None;
        }
    }
    let origin = d.location.clone();
    d.note(
        "chart.unplaced_text",
        Severity::Warning,
        &origin,
        message,
        evidence,
    );
}

impl FindingLimits {
    pub fn validate(&self) -> Result<(), String> {
        if self.per_code == 0 {
            return Err("findings.per_code must be at least 1".into());
        }
        if self.unplaced_lines == 0 || self.unplaced_chars == 0 {
            return Err("findings.unplaced_lines and unplaced_chars must be at least 1".into());
        }
        Ok(())
    }
}

/// A chart in which nothing was recognised — no step, no risk point; in
/// practice a document with no chart in it — gets one `chart.unplaced_text`
/// finding for all its unplaced lines instead of one per line: the first
/// lines as evidence, the count in the message. Other findings pass as
/// they are.
pub fn fold_unplaced(
    chart: &Chart,
    findings: Vec<Finding>,
    limits: &FindingLimits,
) -> Vec<Finding> {
    const CODE: &str = "chart.unplaced_text";
    if !chart.steps.is_empty() || !chart.risk_points.is_empty() {
        return findings;
    }
    let n = findings.iter().filter(|f| f.code == CODE).count();
    if n <= 1 {
        return findings;
    }
    let mut out = Vec::with_capacity(findings.len() - n + 1);
    let mut evidence = String::new();
    let mut shown = 0;
    let mut folded: Option<Finding> = None;
    for f in findings {
        if f.code != CODE {
            out.push(f);
            continue;
        }
        if shown < limits.unplaced_lines && evidence.chars().count() < limits.unplaced_chars {
            if !evidence.is_empty() {
                evidence.push('\n');
            }
            evidence.push_str(&f.evidence);
            shown += 1;
        }
        if folded.is_none() {
            out.push(f.clone());
            folded = Some(f);
        }
    }
    let evidence: String = evidence.chars().take(limits.unplaced_chars).collect();
    for f in &mut out {
        if f.code == CODE {
            f.message = format!(
                "没有识别出图表：共 {n} 段文字无法归入任何字段；证据中保留了前 {shown} 段，全文见原文件。"
            );
            f.evidence = evidence;
            break;
        }
    }
    out
}

/// At most `limits.per_code` findings of one code for one source, in their
/// order; the rest are counted, by code, in one `source.too_many_findings`
/// at the end. `location` is the source's path.
pub fn bound(
    findings: Vec<Finding>,
    source: &str,
    location: &str,
    limits: &FindingLimits,
) -> Vec<Finding> {
    let mut kept: HashMap<String, usize> = HashMap::new();
    let mut over: std::collections::BTreeMap<String, usize> = Default::default();
    let mut out = Vec::with_capacity(findings.len().min(4096));
    for f in findings {
        let n = kept.entry(f.code.clone()).or_insert(0);
        if *n < limits.per_code {
            *n += 1;
            out.push(f);
        } else {
            *over.entry(f.code).or_insert(0) += 1;
        }
    }
    if !over.is_empty() {
        let total: usize = over.values().sum();
        let counts: Vec<String> = over
            .iter()
            .map(|(c, n)| format!("{c} 另有 {n} 条"))
            .collect();
        out.push(Finding {
            id: String::new(),
            code: "source.too_many_findings".into(),
            severity: Severity::Warning,
            source: source.to_string(),
            chart: None,
            step: None,
            risk_point: None,
            location: location.to_string(),
            message: format!(
                "该文件同一类问题过多，每类只列出前 {} 条；另有 {total} 条未列出。",
                limits.per_code
            ),
            evidence: counts.join("；"),
            suggestion: None,
        });
    }
    out
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

fn numbering(
    cx: &mut Ctx,
    list: &[LineDraft],
    step: Option<usize>,
    rp: &str,
    ends: &HashSet<u32>,
    runs_on: Option<u32>,
) {
    let mut prev: Option<u32> = None;
    let mut seen: HashSet<u32> = HashSet::new();
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
        seen.insert(n);
        prev = Some(n);
    }
}

/// `chart.duplicate` for each of `charts` (the next charts of a run, in
/// order) whose steps and risk points equal an earlier chart's.
/// `first_with` holds, for each content seen so far, a 128-bit hash of it
/// and the name of the first chart with it: the run keeps 16 bytes and a
/// name per distinct content, not the content.
pub fn duplicates(charts: &[Chart], first_with: &mut HashMap<[u8; 16], String>) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in charts {
        if c.steps.is_empty() && c.risk_points.is_empty() {
            continue;
        }
        let digest = Sha256::digest(content_key(c).as_bytes());
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        match first_with.get(&key) {
            Some(first) => out.push(Finding {
                id: String::new(),
                code: "chart.duplicate".into(),
                severity: Severity::Warning,
                source: c.source.clone(),
                chart: Some(c.id.clone()),
                step: None,
                risk_point: None,
                location: c.location.clone(),
                message: format!("该图表的环节与风险点与“{first}”完全相同，可能是复制后未修改。"),
                evidence: c.name.clone(),
                suggestion: None,
            }),
            None => {
                first_with.insert(key, c.name.clone());
            }
        }
    }
    out
}

/// `grade.mixed_scales` when the charts of one source (all of them) use
/// more than one grade scale: the scales in first-seen order, at the first
/// graded chart.
pub fn mixed_scales(charts: &[Chart]) -> Option<Finding> {
    let mut list: Vec<&str> = Vec::new();
    let mut first = None;
    for c in charts {
        for rp in &c.risk_points {
            if let Some(g) = &rp.grade {
                first.get_or_insert(c);
                // Scales are a handful (rules/grades.toml): a short list.
                if !list.contains(&g.scale.as_str()) {
                    list.push(g.scale.as_str());
                }
            }
        }
    }
    let c = first?;
    (list.len() > 1).then(|| Finding {
        id: String::new(),
        code: "grade.mixed_scales".into(),
        severity: Severity::Warning,
        source: c.source.clone(),
        chart: None,
        step: None,
        risk_point: None,
        location: c.location.clone(),
        message: "同一文件混用了多种风险等级体系。".into(),
        evidence: list.join("、"),
        suggestion: None,
    })
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
            layout: "flow".into(),
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

    fn finding(code: &str, evidence: &str) -> Finding {
        Finding {
            id: String::new(),
            code: code.into(),
            severity: Severity::Warning,
            source: "src-1".into(),
            chart: Some("ch-1".into()),
            step: None,
            risk_point: None,
            location: "line 1".into(),
            message: String::new(),
            evidence: evidence.into(),
            suggestion: None,
        }
    }

    const LIMITS: FindingLimits = FindingLimits {
        per_code: 3,
        unplaced_lines: 2,
        unplaced_chars: 7,
    };

    #[test]
    fn findings_are_bounded_per_code_and_the_rest_counted() {
        let mut list = Vec::new();
        for i in 0..10 {
            list.push(finding("numbering.gap", &i.to_string()));
            if i < 2 {
                list.push(finding("grade.missing", &i.to_string()));
            }
        }
        list.push(finding("step.no_risk_point", "x"));
        for _ in 0..4 {
            list.push(finding("step.no_risk_point", "y"));
        }
        let out = bound(list, "src-1", "a.docx", &LIMITS);
        let codes: Vec<(&str, &str)> = out
            .iter()
            .map(|f| (f.code.as_str(), f.evidence.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("numbering.gap", "0"),
                ("grade.missing", "0"),
                ("numbering.gap", "1"),
                ("grade.missing", "1"),
                ("numbering.gap", "2"),
                ("step.no_risk_point", "x"),
                ("step.no_risk_point", "y"),
                ("step.no_risk_point", "y"),
                (
                    "source.too_many_findings",
                    "numbering.gap 另有 7 条；step.no_risk_point 另有 2 条"
                ),
            ]
        );
        assert_eq!(out[8].location, "a.docx");
        assert!(out[8].message.contains("另有 9 条"), "{}", out[8].message);
        // Under the bound nothing changes.
        let few = vec![finding("a", "1"), finding("a", "2")];
        assert_eq!(bound(few.clone(), "src-1", "a", &LIMITS), few);
    }

    #[test]
    fn a_chart_with_nothing_recognised_gets_one_unplaced_finding() {
        let mut c = Chart {
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
            name: String::new(),
            name_from: "file".into(),
            time_limit: None,
            contacts: vec![],
            steps: vec![],
            risk_points: vec![],
        };
        let list = vec![
            finding("chart.no_name", ""),
            finding("chart.unplaced_text", "第一行"),
            finding("chart.unplaced_text", "第二行文字"),
            finding("chart.unplaced_text", "第三行"),
        ];
        let out = fold_unplaced(&c, list.clone(), &LIMITS);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].code, "chart.no_name");
        assert_eq!(out[1].code, "chart.unplaced_text");
        // Two lines at most, seven characters at most.
        assert_eq!(out[1].evidence, "第一行\n第二行");
        assert!(out[1].message.contains("共 3 段"), "{}", out[1].message);
        // A chart with a risk point keeps one finding per line.
        c.risk_points.push(RiskPoint {
            id: "rp-1".into(),
            label: None,
            step: None,
            grade: None,
            items: vec![],
            measures: vec![],
            responsible: vec![],
        });
        assert_eq!(fold_unplaced(&c, list.clone(), &LIMITS), list);
    }

    #[test]
    fn a_chart_past_the_limits_is_cut_and_says_so() {
        use crate::catalog::Step;
        let step = |i: usize| Step {
            seq: i + 1,
            name: format!("环节{i}"),
            raw: format!("环节{i}"),
            actor: None,
            time_limit: None,
        };
        let mut d = ChartDraft {
            layout: "flow".into(),
            location: "a.txt".into(),
            steps: (0..5).map(step).collect(),
            step_origins: (0..5).map(|i| format!("line {i}")).collect(),
            points: (0..4)
                .map(|i| PointDraft {
                    step: Some(i + 1),
                    items: lines(&[&format!("{}.风险{i}", i + 1)]),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        };
        d.note("grade.unknown", Severity::Info, "x", "m", "e").point = Some(3);
        let limits = ChartLimits {
            max_steps: 3,
            max_risk_points: 2,
        };
        cap_chart(&mut d, &limits, 20);
        assert_eq!(d.steps.len(), 3);
        assert_eq!(d.step_origins.len(), 3);
        assert_eq!(d.points.len(), 2);
        // The second point's step (index 2) is kept; none points past the end.
        assert_eq!(d.points[1].step, Some(2));
        assert_eq!(d.notes.len(), 1);
        let n = &d.notes[0];
        assert_eq!(n.code, "chart.unplaced_text");
        assert!(
            n.message.contains("多出的 2 个环节和 2 个风险点"),
            "{}",
            n.message
        );
        assert_eq!(n.evidence, "环节3\n环节4\n3.风险2\n4.风险3");
        // Within the limits nothing changes.
        let before = d.steps.len();
        cap_chart(&mut d, &limits, 20);
        assert_eq!((d.steps.len(), d.notes.len()), (before, 1));
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

//! `report.html`: one self-contained page for people (inline CSS, no
//! scripts, no network): summary figures, the sources, the findings grouped
//! by source and chart, and every chart redrawn in three columns —
//! measures · steps · risks — with grades coloured and findings marked
//! beside the boxes they concern.
//!
//! The output depends on the catalog alone (no clock), like every output.

use super::{PartSource, WriteError, atomic_write, zh};
use crate::catalog::{Catalog, Chart, Finding, Line, RiskPoint, Severity, Source, Step};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

/// Write the report atomically to `path`.
pub fn write(cat: &Catalog, path: &Path) -> Result<(), WriteError> {
    write_parts(&super::CatalogParts::new(cat), path)
}

/// The same, from parts, streamed: written section by section, each
/// section reading the parts anew.
pub fn write_parts(parts: &dyn PartSource, path: &Path) -> Result<(), WriteError> {
    atomic_write(path, |tmp| {
        let mut out = super::create(tmp)?;
        render_to(parts, &mut out, tmp)?;
        super::close(out, tmp)
    })
}

/// `write!` into a `String`, which cannot fail.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

/// The whole page.
pub fn render(cat: &Catalog) -> String {
    let mut out = Vec::new();
    // Writing to memory does not fail, nor does reading an in-memory catalog.
    let _ = render_to(&super::CatalogParts::new(cat), &mut out, Path::new(""));
    String::from_utf8(out).unwrap_or_default()
}

/// The page, section by section: the text of each section is built a part
/// at a time and written out before the next part is read.
fn render_to(
    parts: &dyn PartSource,
    sink: &mut dyn std::io::Write,
    path: &Path,
) -> Result<(), WriteError> {
    let mut emit = |text: &mut String| {
        let r = sink.write_all(text.as_bytes());
        text.clear();
        r.map_err(|source| WriteError::Io {
            path: path.to_path_buf(),
            source,
        })
    };
    let head = parts.head();
    let mut out = String::with_capacity(64 * 1024);
    w!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"{}\">\n\
         <title>廉政风险防控图目录 · 导入报告</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(&head.generator)
    );
    w!(
        out,
        "<header class=\"page-head\"><h1>廉政风险防控图目录 · 导入报告</h1>\
         <p class=\"muted\">{} · {} · 规则摘要 <code>{}</code></p></header>\n<main>\n",
        esc(&head.generator),
        esc(&head.schema),
        esc(short(&head.rules_digest, 16))
    );
    summary(&mut out, &head.summary);
    emit(&mut out)?;

    // The contents, counting the charts and findings on the way.
    let (mut n_charts, mut n_findings) = (0, 0);
    parts.each(&mut |part| {
        n_findings += part.findings.len();
        if part.charts.is_empty() {
            return Ok(());
        }
        if n_charts == 0 {
            out.push_str("<nav class=\"toc\"><h2>目录</h2><ol>");
        }
        n_charts += part.charts.len();
        let numbered: Vec<Numbered<'_>> = part.findings.iter().map(|f| (0, f)).collect();
        contents(&mut out, &part.charts, &FindingIndex::new(&numbered));
        emit(&mut out)
    })?;
    if n_charts > 0 {
        out.push_str("</ol></nav>\n");
    }

    out.push_str(
        "<section class=\"sources\" id=\"sources\"><h2>来源文件</h2><table class=\"grid\">\
         <thead><tr><th>文件</th><th>格式</th><th>状态</th><th class=\"n\">防控图</th>\
         <th class=\"n\">读取字符</th><th class=\"n\">采用字符</th><th>说明</th></tr></thead><tbody>",
    );
    parts.each(&mut |part| {
        for s in &part.sources {
            source_row(&mut out, s);
        }
        emit(&mut out)
    })?;
    out.push_str("</tbody></table></section>\n");

    w!(
        out,
        "<section class=\"findings\" id=\"findings\"><h2>问题清单（{n_findings}）</h2>\n"
    );
    if n_findings == 0 {
        out.push_str("<p class=\"muted\">未发现问题。</p></section>\n");
    } else {
        let mut first = 0;
        parts.each(&mut |part| {
            findings(&mut out, part, first);
            first += part.findings.len();
            emit(&mut out)
        })?;
        out.push_str("</section>\n");
    }

    w!(
        out,
        "<section class=\"charts\"><h2>防控图（{n_charts}）</h2>\n"
    );
    let mut first = 0;
    parts.each(&mut |part| {
        let numbered = numbered(part, first);
        first += part.findings.len();
        let index = FindingIndex::new(&numbered);
        let paths: HashMap<&str, &str> = part
            .sources
            .iter()
            .map(|s| (s.id.as_str(), s.path.as_str()))
            .collect();
        for chart in &part.charts {
            chart_section(&mut out, chart, &index, &paths);
        }
        emit(&mut out)
    })?;
    out.push_str("</section>\n</main>\n</body>\n</html>\n");
    emit(&mut out)
}

// ---------------------------------------------------------------- summary

fn summary(out: &mut String, s: &crate::catalog::Summary) {
    out.push_str("<section class=\"summary\" id=\"summary\"><h2>概况</h2><div class=\"tiles\">");
    let mut tile = |label: &str, value: usize, note: String| {
        w!(
            out,
            "<div class=\"tile\"><div class=\"num\">{value}</div><div class=\"lbl\">{}</div>{note}</div>",
            esc(label)
        );
    };
    let failed = if s.sources_failed > 0 {
        format!("<div class=\"note bad\">失败 {}</div>", s.sources_failed)
    } else {
        "<div class=\"note\">全部读取</div>".to_string()
    };
    tile("来源文件", s.sources, failed);
    tile("防控图", s.charts, String::new());
    tile("环节", s.steps, String::new());
    tile("风险点", s.risk_points, String::new());
    tile("风险内容", s.risk_items, String::new());
    tile("防控措施", s.measures, String::new());
    tile(
        "规范文本",
        s.texts.risk + s.texts.measure,
        format!(
            "<div class=\"note\">风险 {} · 措施 {}</div>",
            s.texts.risk, s.texts.measure
        ),
    );
    let f = &s.findings;
    w!(
        out,
        "<div class=\"tile wide\"><div class=\"num\">{}</div><div class=\"lbl\">问题</div>\
         <div class=\"note\">{} {} {}</div></div>",
        f.error + f.warning + f.info,
        sev_badge(Severity::Error, Some(f.error)),
        sev_badge(Severity::Warning, Some(f.warning)),
        sev_badge(Severity::Info, Some(f.info)),
    );
    out.push_str("</div>");
    if !s.findings_by_code.is_empty() {
        out.push_str("<p class=\"codes\">");
        for (code, n) in &s.findings_by_code {
            w!(
                out,
                "<span class=\"chip\"><code>{}</code> {n}</span>",
                esc(code)
            );
        }
        out.push_str("</p>");
    }
    out.push_str("</section>\n");
}

/// A linked list of the charts, with their size and how many findings.
fn contents(out: &mut String, charts: &[Chart], index: &FindingIndex) {
    for chart in charts {
        let n = index.by_chart.get(chart.id.as_str()).map_or(0, Vec::len);
        let badge = if n > 0 {
            format!(" <span class=\"count\">{n} 个问题</span>")
        } else {
            String::new()
        };
        w!(
            out,
            "<li><a href=\"#{}\">{}</a> <span class=\"muted\">{}</span>{badge}</li>",
            esc(&chart.id),
            esc(&display_name(chart)),
            esc(&chart_kind(chart)),
        );
    }
}

/// One row of the sources table.
fn source_row(out: &mut String, s: &Source) {
    let error = s
        .error
        .as_ref()
        .map(|e| format!("<code>{}</code> {}", esc(&e.code), esc(&e.message)))
        .unwrap_or_default();
    w!(
        out,
        "<tr><td class=\"path\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>\
         <td class=\"n\">{}</td><td class=\"n\">{}</td><td>{error}</td></tr>",
        esc(&s.path),
        esc(&s.format),
        status_badge(s),
        s.charts.len(),
        s.chars_read,
        s.chars_placed,
    );
}

// --------------------------------------------------------------- findings

/// A part's findings, each with its position in the catalog (`first` is
/// the part's first).
fn numbered(part: &crate::store::Part, first: usize) -> Vec<Numbered<'_>> {
    part.findings
        .iter()
        .enumerate()
        .map(|(i, f)| (first + i, f))
        .collect()
}

/// A part's findings by source, then by chart (file-level ones first),
/// each group in catalog order. Every finding keeps its catalog position
/// as its number (`first` is the part's first), which the badges in the
/// charts link to.
fn findings(out: &mut String, part: &crate::store::Part, first: usize) {
    if part.findings.is_empty() {
        return;
    }
    let list = numbered(part, first);
    // Group order: the part's sources as listed, then any source id the
    // list lacks. Every lookup goes through a map built once: a file with
    // 100,000 findings must not scan its charts once per finding.
    let mut groups: Vec<(&str, Vec<Numbered<'_>>)> = part
        .sources
        .iter()
        .map(|s| (s.id.as_str(), Vec::new()))
        .collect();
    let mut group_of: HashMap<&str, usize> = groups
        .iter()
        .enumerate()
        .map(|(k, (id, _))| (*id, k))
        .collect();
    for (i, f) in list {
        let k = *group_of.entry(f.source.as_str()).or_insert_with(|| {
            groups.push((f.source.as_str(), Vec::new()));
            groups.len() - 1
        });
        groups[k].1.push((i, f));
    }
    let sources: HashMap<&str, &Source> = part.sources.iter().map(|s| (s.id.as_str(), s)).collect();
    let names: HashMap<&str, ChartLookup<'_>> = part
        .charts
        .iter()
        .map(|c| (c.id.as_str(), ChartLookup::new(c)))
        .collect();
    for (source_id, list) in groups.iter().filter(|(_, l)| !l.is_empty()) {
        let source = sources.get(source_id).copied();
        w!(
            out,
            "<div class=\"fgroup\"><h3>{} {}<span class=\"muted\"> · {} 个问题</span></h3>\n",
            esc(source.map_or(*source_id, |s| s.path.as_str())),
            source.map(status_badge).unwrap_or_default(),
            list.len()
        );
        // Chart order: file-level first, then first appearance.
        let mut by_chart: Vec<(Option<&str>, Vec<Numbered<'_>>)> = Vec::new();
        let mut chart_of: HashMap<Option<&str>, usize> = HashMap::new();
        for &(i, f) in list {
            let key = f.chart.as_deref();
            let k = *chart_of.entry(key).or_insert_with(|| {
                by_chart.push((key, Vec::new()));
                by_chart.len() - 1
            });
            by_chart[k].1.push((i, f));
        }
        by_chart.sort_by_key(|(k, _)| k.is_some());
        for (chart_id, items) in &by_chart {
            let lookup = chart_id.and_then(|id| names.get(id));
            match (chart_id, lookup) {
                (None, _) => out.push_str("<h4>文件级问题</h4>"),
                (Some(id), Some(l)) => w!(
                    out,
                    "<h4><a href=\"#{}\">{}</a> <span class=\"muted\">{}</span></h4>",
                    esc(id),
                    esc(&display_name(l.chart)),
                    esc(&chart_kind(l.chart))
                ),
                (Some(id), None) => w!(out, "<h4><code>{}</code></h4>", esc(id)),
            }
            findings_table(out, items, lookup);
        }
        out.push_str("</div>\n");
    }
}

/// A chart's steps by seq and risk points by id, for the findings table.
struct ChartLookup<'a> {
    chart: &'a Chart,
    steps: HashMap<usize, &'a Step>,
    risk_points: HashMap<&'a str, usize>,
}

impl<'a> ChartLookup<'a> {
    fn new(chart: &'a Chart) -> Self {
        ChartLookup {
            chart,
            // The first step of a seq wins, as in the drawing.
            steps: chart.steps.iter().rev().map(|s| (s.seq, s)).collect(),
            risk_points: chart
                .risk_points
                .iter()
                .enumerate()
                .map(|(k, r)| (r.id.as_str(), k))
                .collect(),
        }
    }
}

fn findings_table(out: &mut String, items: &[Numbered<'_>], chart: Option<&ChartLookup<'_>>) {
    out.push_str(
        "<table class=\"grid ftable\"><colgroup><col style=\"width:44px\"><col style=\"width:64px\">\
         <col style=\"width:170px\"><col style=\"width:190px\"><col><col style=\"width:24%\">\
         <col style=\"width:18%\"></colgroup><thead><tr><th>#</th><th>级别</th><th>代码</th>\
         <th>位置</th><th>说明</th><th>原文</th><th>建议</th></tr></thead><tbody>",
    );
    for &(i, f) in items {
        let mut place = esc(&f.location);
        if let Some(step) = f.step {
            let name = chart
                .and_then(|c| c.steps.get(&step))
                .map(|s| format!("“{}”", esc(&s.name)))
                .unwrap_or_default();
            w!(place, "<br><span class=\"muted\">环节 {step}{name}</span>");
        }
        if let Some(rp) = &f.risk_point {
            let label = chart
                .and_then(|c| c.risk_points.get(rp.as_str()))
                .map(|p| format!("风险点 {}", p + 1))
                .unwrap_or_else(|| esc(rp));
            w!(place, "<br><span class=\"muted\">{label}</span>");
        }
        w!(
            out,
            "<tr id=\"{}\" class=\"sev-row-{}\"><td class=\"n\">{}</td><td>{}</td><td><code>{}</code></td>\
             <td>{place}</td><td>{}</td><td class=\"evidence\">{}</td><td>{}</td></tr>",
            finding_anchor(i),
            f.severity.as_str(),
            i + 1,
            sev_badge(f.severity, None),
            esc(&f.code),
            esc(&f.message),
            esc(&f.evidence),
            f.suggestion.as_deref().map(esc).unwrap_or_default(),
        );
    }
    out.push_str("</tbody></table>\n");
}

/// A finding with its 0-based position in the catalog (its number − 1).
type Numbered<'a> = (usize, &'a Finding);

/// Findings of each chart, split by what they are about.
struct FindingIndex<'a> {
    by_chart: HashMap<&'a str, Vec<Numbered<'a>>>,
}

impl<'a> FindingIndex<'a> {
    fn new(findings: &[Numbered<'a>]) -> Self {
        let mut by_chart: HashMap<&str, Vec<Numbered<'_>>> = HashMap::new();
        for &(i, f) in findings {
            if let Some(chart) = &f.chart {
                by_chart.entry(chart.as_str()).or_default().push((i, f));
            }
        }
        FindingIndex { by_chart }
    }

    fn of_chart(&self, chart: &str) -> &[Numbered<'a>] {
        self.by_chart.get(chart).map_or(&[], Vec::as_slice)
    }
}

// ----------------------------------------------------------------- charts

/// One chart's findings sorted once by what they are about, so drawing a
/// step or a risk point takes its own findings without scanning the rest.
#[derive(Debug, Default)]
struct ChartFindings<'a> {
    /// About the chart as a whole, a step it does not have, or a risk point
    /// it does not have.
    general: Vec<Numbered<'a>>,
    /// About a step (and no risk point), by seq.
    by_step: HashMap<usize, Vec<Numbered<'a>>>,
    /// About a risk point, by id.
    by_risk_point: HashMap<&'a str, Vec<Numbered<'a>>>,
}

impl<'a> ChartFindings<'a> {
    fn new(chart: &Chart, findings: &[Numbered<'a>]) -> Self {
        let steps: HashSet<usize> = chart.steps.iter().map(|s| s.seq).collect();
        let rps: HashSet<&str> = chart.risk_points.iter().map(|r| r.id.as_str()).collect();
        let mut cf = ChartFindings::default();
        for &(i, f) in findings {
            match (f.risk_point.as_deref(), f.step) {
                (Some(rp), _) if rps.contains(rp) => {
                    cf.by_risk_point.entry(rp).or_default().push((i, f))
                }
                (None, Some(step)) if steps.contains(&step) => {
                    cf.by_step.entry(step).or_default().push((i, f))
                }
                _ => cf.general.push((i, f)),
            }
        }
        cf
    }

    fn of_step(&self, seq: usize) -> &[Numbered<'a>] {
        self.by_step.get(&seq).map_or(&[], Vec::as_slice)
    }

    fn of_risk_point(&self, id: &str) -> &[Numbered<'a>] {
        self.by_risk_point.get(id).map_or(&[], Vec::as_slice)
    }
}

fn chart_section(
    out: &mut String,
    chart: &Chart,
    index: &FindingIndex,
    paths: &HashMap<&str, &str>,
) {
    let id = esc(&chart.id);
    w!(
        out,
        "<section class=\"chart\" id=\"{id}\" data-chart-id=\"{id}\">\n<div class=\"chart-head\">"
    );
    if let Some(title) = &chart.title {
        w!(out, "<div class=\"chart-title\">{}</div>", esc(title));
    }
    w!(
        out,
        "<h3>{}</h3><dl class=\"facts\">",
        esc(&display_name(chart))
    );
    let mut fact = |k: &str, v: String| {
        if !v.is_empty() {
            w!(out, "<div><dt>{}</dt><dd>{v}</dd></div>", esc(k));
        }
    };
    fact(
        "部门",
        chart.department.as_deref().map(esc).unwrap_or_default(),
    );
    fact("类别", category(chart));
    fact(
        "时限",
        chart.time_limit.as_deref().map(esc).unwrap_or_default(),
    );
    let contacts: Vec<String> = chart
        .contacts
        .iter()
        .map(|c| format!("{} {}", esc(contact_label(&c.kind)), esc(&c.number)))
        .collect();
    fact("电话", contacts.join("；"));
    fact(
        "来源",
        format!(
            "{} <span class=\"muted\">{} · {}</span>",
            esc(paths
                .get(chart.source.as_str())
                .copied()
                .unwrap_or(&chart.source)),
            esc(&chart.location),
            esc(layout_label(&chart.layout))
        ),
    );
    out.push_str("</dl>");

    let findings = ChartFindings::new(chart, index.of_chart(&chart.id));
    if !findings.general.is_empty() {
        // Findings about the chart as a whole, each with the text it is
        // about: unplaced text is shown here, not only announced.
        out.push_str("<ul class=\"chart-marks\">");
        for &(i, f) in &findings.general {
            out.push_str("<li>");
            mark(out, i, f);
            w!(out, "<span class=\"mark-text\">{}</span>", esc(&f.message));
            if !f.evidence.is_empty() {
                let what = if f.code == "chart.unplaced_text" {
                    "未归入的文字"
                } else {
                    "原文"
                };
                w!(
                    out,
                    "<blockquote class=\"evidence sev-line-{}\"><span class=\"muted\">{what}：</span>{}</blockquote>",
                    f.severity.as_str(),
                    esc(&f.evidence)
                );
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out.push_str("</div>\n");
    drawing(out, chart, &findings);
    out.push_str("</section>\n");
}

/// The three-column drawing: one band per step, each of its risk points on
/// its own line with the measures on the left and the risks on the right;
/// risk points tied to no (known) step in a last band.
fn drawing(out: &mut String, chart: &Chart, findings: &ChartFindings<'_>) {
    if chart.steps.is_empty() && chart.risk_points.is_empty() {
        out.push_str("<p class=\"empty\">未识别出流程环节和风险点。</p>\n");
        return;
    }
    out.push_str(
        "<div class=\"flow\">\n<div class=\"band head\"><div class=\"c-m\">防控措施及责任人</div>\
         <div class=\"c-s\">工作流程</div><div class=\"c-r\">风险点等级及表现形式</div></div>\n",
    );
    let mut by_step: BTreeMap<usize, Vec<&RiskPoint>> = BTreeMap::new();
    let mut loose: Vec<&RiskPoint> = Vec::new();
    let seqs: HashSet<usize> = chart.steps.iter().map(|s| s.seq).collect();
    for rp in &chart.risk_points {
        match rp.step {
            Some(s) if seqs.contains(&s) => by_step.entry(s).or_default().push(rp),
            _ => loose.push(rp),
        }
    }
    let mut drawn: HashSet<usize> = HashSet::new();
    for (n, step) in chart.steps.iter().enumerate() {
        if n > 0 {
            out.push_str(ARROW);
        }
        // Taken, not borrowed: should two steps share a seq, the risk
        // points and the step's findings are drawn once, beside the first.
        let rps = by_step.remove(&step.seq).unwrap_or_default();
        let notes = if drawn.insert(step.seq) {
            findings.of_step(step.seq)
        } else {
            &[]
        };
        band(out, Some(step), notes, &rps, findings);
    }
    if !loose.is_empty() {
        out.push_str("<div class=\"gap\"></div>");
        band(out, None, &[], &loose, findings);
    }
    out.push_str("</div>\n");
}

const ARROW: &str = "<div class=\"arrow\" aria-hidden=\"true\"><svg width=\"16\" height=\"26\" \
    viewBox=\"0 0 16 26\"><path d=\"M8 0v19\" stroke=\"#5f6b7a\" stroke-width=\"2\"/>\
    <path d=\"M2 16l6 9 6-9z\" fill=\"#5f6b7a\"/></svg></div>\n";

fn band(
    out: &mut String,
    step: Option<&Step>,
    step_findings: &[Numbered<'_>],
    rps: &[&RiskPoint],
    findings: &ChartFindings<'_>,
) {
    let rows = rps.len().max(1);
    w!(
        out,
        "<div class=\"band\" style=\"grid-template-rows:repeat({rows},auto)\">"
    );
    // The step box spans all the band's lines, so each risk point lines up
    // with its measures and the step sits in the middle.
    w!(out, "<div class=\"c-s\" style=\"grid-row:1/span {rows}\">");
    match step {
        Some(step) => {
            let flagged = worst(step_findings)
                .map(|s| format!(" flagged sev-line-{}", s.as_str()))
                .unwrap_or_default();
            w!(
                out,
                "<div class=\"box step{flagged}\" title=\"{}\"><div class=\"seq\">{}</div><div class=\"step-name\">{}</div>",
                esc(&step.raw),
                step.seq,
                esc(&step.name)
            );
            if let Some(actor) = &step.actor {
                w!(out, "<div class=\"small\">{}</div>", esc(actor));
            }
            if let Some(limit) = &step.time_limit {
                w!(out, "<div class=\"small\">时限：{}</div>", esc(limit));
            }
            notes(out, step_findings);
            out.push_str("</div>");
        }
        None => out.push_str(
            "<div class=\"box step loose\"><div class=\"step-name\">未对应环节</div></div>",
        ),
    }
    out.push_str("</div>");
    for (row, rp) in rps.iter().enumerate() {
        let row = row + 1;
        let mine = findings.of_risk_point(&rp.id);
        w!(out, "<div class=\"c-m\" style=\"grid-row:{row}\">");
        measures_box(out, rp, mine);
        w!(
            out,
            "</div><div class=\"wire l\" style=\"grid-row:{row}\"></div>\
             <div class=\"wire r\" style=\"grid-row:{row}\"></div><div class=\"c-r\" style=\"grid-row:{row}\">"
        );
        risk_box(out, rp, mine);
        out.push_str("</div>");
    }
    out.push_str("</div>\n");
}

fn measures_box(out: &mut String, rp: &RiskPoint, findings: &[Numbered<'_>]) {
    out.push_str("<div class=\"box measure\">");
    if rp.measures.is_empty() {
        out.push_str("<p class=\"none\">（无防控措施）</p>");
    } else {
        lines(out, &rp.measures, findings);
    }
    if rp.responsible.is_empty() {
        out.push_str("<div class=\"resp none\">责任人：未注明</div>");
    } else {
        let names: Vec<String> = rp.responsible.iter().map(|r| esc(r)).collect();
        w!(
            out,
            "<div class=\"resp\">责任人：{}</div>",
            names.join("、")
        );
    }
    out.push_str("</div>");
}

fn risk_box(out: &mut String, rp: &RiskPoint, findings: &[Numbered<'_>]) {
    let level = rp.grade.as_ref().map_or("none", |g| level_class(&g.level));
    w!(
        out,
        "<div class=\"box risk lvl-{level}\"><div class=\"risk-head\">"
    );
    match &rp.grade {
        Some(g) => w!(
            out,
            "<span class=\"grade g-{level}\" title=\"{}\">{}</span>",
            esc(&g.raw),
            level_label(&g.level)
        ),
        None => out.push_str("<span class=\"grade g-none\">未定级</span>"),
    }
    if let Some(label) = &rp.label {
        w!(out, "<span class=\"rp-label\">{}</span>", esc(label));
    }
    if let Some(g) = &rp.grade {
        w!(out, "<span class=\"raw\">{}</span>", esc(&g.raw));
    }
    out.push_str("</div>");
    if rp.items.is_empty() {
        out.push_str("<p class=\"none\">（无风险内容）</p>");
    } else {
        lines(out, &rp.items, findings);
    }
    notes(out, findings);
    out.push_str("</div>");
}

/// The lines of a box; a line a finding quotes is highlighted in the
/// colour of the worst such finding, with the findings' numbers.
fn lines(out: &mut String, lines: &[Line], findings: &[Numbered<'_>]) {
    out.push_str("<ol class=\"lines\">");
    for l in lines {
        let marker = match (&l.marker, l.n) {
            (Some(m), _) => esc(m),
            (None, Some(n)) => format!("{n}."),
            (None, None) => "•".to_string(),
        };
        let hits: Vec<Numbered<'_>> = findings
            .iter()
            .copied()
            .filter(|(_, f)| quotes(&f.evidence, l))
            .collect();
        match worst(&hits) {
            None => w!(
                out,
                "<li><span class=\"mk\">{marker}</span><span>{}</span></li>",
                esc(&l.text)
            ),
            Some(sev) => {
                w!(
                    out,
                    "<li class=\"hit sev-line-{}\"><span class=\"mk\">{marker}</span><span>{}</span>",
                    sev.as_str(),
                    esc(&l.text)
                );
                for (i, f) in hits {
                    mark(out, i, f);
                }
                out.push_str("</li>");
            }
        }
    }
    out.push_str("</ol>");
}

/// Whether a finding's evidence quotes this line. Evidence keeps lines as
/// written, marker included (`2.不按规定程序受理。`), several joined by `／`
/// or newlines; a line must be a whole part, so `风险之1` is not found in
/// `风险之10`.
fn quotes(evidence: &str, line: &Line) -> bool {
    let text = line.text.trim();
    if text.is_empty() {
        return false;
    }
    evidence
        .split(['／', '\n'])
        .map(str::trim)
        .any(|part| match part.strip_suffix(text) {
            Some("") => true,
            Some(prefix) => {
                line.marker.as_deref() == Some(prefix)
                    || (prefix.chars().count() <= 8 && !prefix.chars().any(|c| c as u32 >= 0x2E80))
            }
            None => false,
        })
}

/// The most severe of some findings.
fn worst(findings: &[Numbered<'_>]) -> Option<Severity> {
    findings.iter().map(|(_, f)| f.severity).min()
}

/// What the findings of a box say, under it: number, then message.
fn notes(out: &mut String, findings: &[Numbered<'_>]) {
    if findings.is_empty() {
        return;
    }
    out.push_str("<ul class=\"notes\">");
    for &(i, f) in findings {
        out.push_str("<li>");
        mark(out, i, f);
        w!(out, "<span>{}</span>", esc(&f.message));
        if let Some(s) = &f.suggestion {
            w!(out, "<span class=\"muted\"> 建议：{}</span>", esc(s));
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
}

/// One finding badge: its number, linked to its row in the findings list,
/// with the whole finding as the tooltip.
fn mark(out: &mut String, i: usize, f: &Finding) {
    let mut tip = format!("{} · {}", f.code, f.message);
    if !f.evidence.is_empty() {
        let _ = write!(tip, "\n原文：{}", f.evidence);
    }
    if let Some(s) = &f.suggestion {
        let _ = write!(tip, "\n建议：{s}");
    }
    w!(
        out,
        "<a class=\"fmark sev-{}\" href=\"#{}\" title=\"{}\">#{}</a>",
        f.severity.as_str(),
        finding_anchor(i),
        esc(&tip),
        i + 1
    );
}

/// The chart's name; an unnamed chart (possible in catalogs from before
/// `name_from`) is named by its title or its place, never left blank.
fn display_name(chart: &Chart) -> String {
    if !chart.name.trim().is_empty() {
        return chart.name.clone();
    }
    match chart.title.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => format!("（未命名）{t}"),
        _ => format!("（未命名图表 {}）", chart.ordinal),
    }
}

// ---------------------------------------------------------------- helpers

/// Escape text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    // Copied in runs between the characters that need escaping (a char at
    // a time was most of the report's own time). Control characters other
    // than tab and newlines are not allowed in HTML text: they show as the
    // replacement character. `char::is_control` is U+0000–U+001F and
    // U+007F–U+009F; the last are `C2 80`–`C2 9F` in UTF-8.
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut run, mut i) = (0, 0);
    while i < b.len() {
        let (with, len) = match b[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            b'\t' | b'\n' | b'\r' => ("", 0),
            0x00..=0x1F | 0x7F => ("\u{FFFD}", 1),
            0xC2 if matches!(b.get(i + 1), Some(0x80..=0x9F)) => ("\u{FFFD}", 2),
            _ => ("", 0),
        };
        if len == 0 {
            i += 1;
            continue;
        }
        out.push_str(&s[run..i]);
        out.push_str(with);
        i += len;
        run = i;
    }
    out.push_str(&s[run..]);
    out
}

fn finding_anchor(i: usize) -> String {
    format!("finding-{}", i + 1)
}

fn short(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

fn level_class(level: &str) -> &'static str {
    match level {
        "high" => "high",
        "medium" => "medium",
        "low" => "low",
        _ => "none",
    }
}

fn level_label(level: &str) -> &'static str {
    zh::level(level).unwrap_or("未知")
}

fn sev_label(s: Severity) -> &'static str {
    zh::severity(s.as_str()).unwrap_or("")
}

fn sev_badge(s: Severity, count: Option<usize>) -> String {
    let count = count.map(|n| format!(" {n}")).unwrap_or_default();
    format!(
        "<span class=\"sev sev-{}\">{}{count}</span>",
        s.as_str(),
        sev_label(s)
    )
}

fn status_badge(s: &Source) -> String {
    let label = zh::status(s.status.as_str()).unwrap_or("跳过");
    format!(
        "<span class=\"status st-{}\">{label}</span>",
        s.status.as_str()
    )
}

fn contact_label(kind: &str) -> &str {
    zh::contact(kind).unwrap_or(kind)
}

fn layout_label(layout: &str) -> &str {
    zh::layout(layout).unwrap_or(layout)
}

/// `行政给付 · 第 2 号（行政给付类2）`, escaped.
fn category(chart: &Chart) -> String {
    let mut s = esc(chart.category.as_deref().unwrap_or(""));
    if let Some(code) = &chart.code {
        w!(s, " · 第 {} 号", esc(code));
    }
    if let Some(raw) = &chart.category_raw {
        w!(s, " <span class=\"muted\">（{}）</span>", esc(raw));
    }
    s
}

/// `行政给付 2`: the chart's category and number, unescaped.
fn chart_kind(chart: &Chart) -> String {
    match (&chart.category, &chart.code) {
        (Some(c), Some(n)) => format!("{c} {n}"),
        (Some(c), None) => c.clone(),
        (None, Some(n)) => n.clone(),
        (None, None) => String::new(),
    }
}

const CSS: &str = r#"
:root{--ink:#1f2933;--muted:#6b7785;--line:#d5dbe3;--bg:#f4f6f9;--card:#fff;
--high:#d93025;--medium:#f29900;--low:#188038;--none:#80868b;--accent:#1f4e79}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.55 "PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",system-ui,sans-serif}
.page-head{background:var(--accent);color:#fff;padding:18px 32px}
.page-head h1{margin:0;font-size:22px;font-weight:600}
.page-head .muted{color:#c9d6e3;margin:4px 0 0}
.page-head code{background:rgba(255,255,255,.14);color:#fff}
main{max-width:1320px;margin:0 auto;padding:8px 24px 48px}
h2{font-size:18px;margin:28px 0 12px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:16px;margin:0 0 6px}
h4{font-size:14px;margin:14px 0 6px}
a{color:var(--accent)}
code{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;background:#eef1f5;padding:1px 4px;border-radius:3px}
.muted{color:var(--muted);font-weight:normal}
.tiles{display:flex;flex-wrap:wrap;gap:12px}
.tile{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px;min-width:118px}
.tile.wide{min-width:250px}
.tile .num{font-size:26px;font-weight:600;line-height:1.2}
.tile .lbl{color:var(--muted)}
.tile .note{font-size:12px;color:var(--muted);margin-top:2px}
.tile .note.bad{color:var(--high)}
.codes{margin:10px 0 0;display:flex;flex-wrap:wrap;gap:6px}
.chip{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1px 8px;font-size:12px}
.chip code{background:none;padding:0}
.toc ol{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:2px 32px;margin:0;padding-left:24px}
.toc li{margin:2px 0}
.count{font-size:12px;color:#8a5a00;background:#fff4d6;border-radius:8px;padding:0 6px}
table.grid{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);font-size:13px}
.grid th{background:#e9eef4;text-align:left;font-weight:600;padding:6px 8px;border-bottom:1px solid var(--line);white-space:nowrap}
.grid td{padding:6px 8px;border-top:1px solid #edf0f4;vertical-align:top}
.grid td.n,.grid th.n{text-align:right;font-variant-numeric:tabular-nums}
.grid td.path{word-break:break-all}
.grid td.evidence{color:#444;background:#fafbfc;white-space:pre-wrap;word-break:break-word}
.ftable{table-layout:fixed}
.ftable td{overflow-wrap:anywhere}
.ftable tr:target td{background:#fff8d6}
.fgroup{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin-bottom:14px}
.fgroup table.grid{border:none}
.sev,.status,.grade{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;white-space:nowrap;color:#fff}
.sev-error{background:var(--high)}.sev-warning{background:var(--medium)}.sev-info{background:#5f6b7a}
.st-ok{background:var(--low)}.st-partial{background:var(--medium)}.st-failed{background:var(--high)}.st-skipped{background:var(--none)}
.g-high{background:var(--high)}.g-medium{background:var(--medium)}.g-low{background:var(--low)}.g-none{background:var(--none)}
.chart{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:18px 20px;margin:0 0 22px;break-inside:avoid}
.chart-title{color:var(--muted);font-size:13px}
.chart-head h3{font-size:18px;margin:2px 0 8px}
.facts{display:flex;flex-wrap:wrap;gap:4px 22px;margin:0 0 10px;font-size:13px}
.facts div{display:flex;gap:6px}
.facts dt{color:var(--muted)}.facts dd{margin:0}
.chart-marks{font-size:13px;margin:0 0 10px;padding:0;list-style:none}
.chart-marks li{margin:4px 0}
.mark-text{margin-left:6px}
blockquote.evidence{margin:4px 0 6px 30px;padding:6px 10px;background:#fafbfc;border-left:4px solid var(--none);white-space:pre-wrap;overflow-wrap:anywhere}
.flow{border-top:1px solid var(--line);padding-top:10px}
.band{display:grid;grid-template-columns:minmax(0,1fr) 28px 180px 28px minmax(0,1fr);align-items:center;row-gap:8px}
.band.head{font-weight:600;color:var(--muted);font-size:13px;margin-bottom:8px;text-align:center}
.band.head .c-m{grid-column:1}.band.head .c-s{grid-column:3}.band.head .c-r{grid-column:5}
.c-m{grid-column:1}.c-s{grid-column:3;align-self:center}.c-r{grid-column:5}
.wire{height:0;border-top:2px solid #b7c0cc}
.wire.l{grid-column:2}.wire.r{grid-column:4}
.box{position:relative;border:1px solid var(--line);border-radius:6px;padding:8px 10px;background:#fff}
.step{text-align:center;border:2px solid var(--accent);background:#eef4fa;padding:10px 8px}
.step{padding-left:30px;padding-right:30px}
.step .seq{position:absolute;left:6px;top:8px;width:18px;height:18px;line-height:18px;border-radius:9px;background:var(--accent);color:#fff;font-size:11px;text-align:center}
.step-name{font-weight:600;font-size:15px;letter-spacing:2px}
.step.loose{border-style:dashed;border-color:var(--none);background:#f5f6f7}
.step.flagged{box-shadow:0 0 0 3px #fde2b3}
.step .notes{text-align:left;letter-spacing:0}
.small{font-size:12px;color:var(--muted)}
.measure{background:#f7faf8;border-color:#cfe3d6}
.risk{border-left:5px solid var(--none)}
.risk.lvl-high{border-left-color:var(--high);background:#fdf3f2}
.risk.lvl-medium{border-left-color:var(--medium);background:#fff9ee}
.risk.lvl-low{border-left-color:var(--low);background:#f2f9f4}
.risk-head{display:flex;align-items:center;gap:8px;margin-bottom:4px;flex-wrap:wrap}
.rp-label{font-weight:600}
.raw{font-size:12px;color:var(--muted)}
.notes{list-style:none;margin:6px 0 0;padding:4px 0 0;border-top:1px dashed var(--line);font-size:12px}
.notes li{margin:2px 0;display:flex;gap:6px;align-items:baseline}
.notes .fmark{flex:none}
.lines{list-style:none;margin:0;padding:0}
.lines li{display:flex;gap:4px;margin:1px 0}
.lines .mk{color:var(--muted);min-width:1.6em;flex:none}
.lines li.hit{border-radius:3px;padding:0 3px;margin-left:-3px}
.lines li.hit .fmark{margin-left:auto;flex:none;align-self:center}
.sev-line-error{background:#fbd9d6}.sev-line-warning{background:#ffe7ad}.sev-line-info{background:#e6eaef}
blockquote.sev-line-error{border-left-color:var(--high)}blockquote.sev-line-warning{border-left-color:var(--medium)}
.resp{margin-top:6px;padding-top:4px;border-top:1px dashed #cfe3d6;font-size:13px;color:#2d4a3a}
.none{color:var(--muted);font-style:italic;margin:0}
.resp.none{color:var(--high)}
.arrow{display:grid;grid-template-columns:minmax(0,1fr) 28px 180px 28px minmax(0,1fr);height:30px}
.arrow svg{grid-column:3;justify-self:center;margin-top:2px}
.gap{height:18px;border-bottom:1px dashed var(--line);margin-bottom:14px}
.fmark{display:inline-block;font-size:11px;font-weight:600;line-height:18px;padding:0 6px;border-radius:9px;color:#fff;text-decoration:none;white-space:nowrap}
.empty{color:var(--muted);font-style:italic}
@media print{body{background:#fff}.chart{break-inside:avoid;border-color:#999}.toc{display:none}}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esc_escapes_markup_and_replaces_control_characters_only() {
        // Against the rule written a character at a time, for every character.
        let by_char = |s: &str| -> String {
            s.chars()
                .map(|ch| match ch {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => "\u{FFFD}".into(),
                    c => c.to_string(),
                })
                .collect()
        };
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let text = format!("风{c}险<{c}");
            assert_eq!(esc(&text), by_char(&text), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(
            esc("<b>\"风险\" & 'x'\u{0}"),
            "&lt;b&gt;&quot;风险&quot; &amp; &#39;x&#39;\u{FFFD}"
        );
        assert_eq!(esc("第一行\n第二行"), "第一行\n第二行");
    }

    fn finding(i: usize, step: Option<usize>, rp: Option<&str>, evidence: &str) -> Finding {
        Finding {
            id: format!("fd-{i:012}"),
            code: "text.suspected_typo".into(),
            severity: Severity::Warning,
            source: "src-1".into(),
            chart: Some("ch-1".into()),
            step,
            risk_point: rp.map(str::to_string),
            location: format!("line {i}"),
            message: format!("问题{i}"),
            evidence: evidence.into(),
            suggestion: None,
        }
    }

    /// One chart of `steps` steps, each with one risk point of `lines`
    /// numbered items, and per risk point a finding quoting its last item
    /// plus per step a finding about the step.
    fn big(steps: usize, lines: usize) -> Catalog {
        let mut cat: Catalog =
            serde_json::from_str(include_str!("../../tests/data/review/small.catalog.json"))
                .unwrap();
        let mut chart = cat.charts[0].clone();
        chart.id = "ch-1".into();
        chart.source = "src-1".into();
        cat.sources[0].id = "src-1".into();
        let step0 = chart.steps[0].clone();
        let rp0 = chart.risk_points[0].clone();
        let line0 = rp0.items[0].clone();
        chart.steps = (1..=steps)
            .map(|seq| Step {
                seq,
                name: format!("环节{seq}"),
                ..step0.clone()
            })
            .collect();
        chart.risk_points = (1..=steps)
            .map(|seq| RiskPoint {
                id: format!("rp-{seq}"),
                step: Some(seq),
                items: (1..=lines)
                    .map(|n| Line {
                        n: Some(n as u32),
                        text: format!("风险{seq}之{n}"),
                        ..line0.clone()
                    })
                    .collect(),
                ..rp0.clone()
            })
            .collect();
        cat.findings = (1..=steps)
            .flat_map(|seq| {
                let rp = format!("rp-{seq}");
                [
                    finding(
                        2 * seq,
                        Some(seq),
                        Some(&rp),
                        &format!("{lines}.风险{seq}之{lines}"),
                    ),
                    finding(2 * seq + 1, Some(seq), None, &format!("环节{seq}")),
                ]
            })
            .collect();
        cat.charts = vec![chart];
        cat
    }

    #[test]
    fn chart_findings_sort_each_finding_once() {
        let cat = big(3, 2);
        let mut findings: Vec<Finding> = cat.findings.clone();
        findings.push(finding(90, Some(9), None, "")); // a step the chart lacks
        findings.push(finding(91, None, Some("rp-9"), "")); // a risk point it lacks
        findings.push(finding(92, None, None, "未归入的文字"));
        let numbered: Vec<Numbered<'_>> = findings.iter().enumerate().collect();
        let cf = ChartFindings::new(&cat.charts[0], &numbered);
        let ids = |v: &[Numbered<'_>]| v.iter().map(|(i, _)| *i).collect::<Vec<_>>();
        assert_eq!(ids(cf.of_step(1)), [1]);
        assert_eq!(ids(cf.of_step(3)), [5]);
        assert_eq!(ids(cf.of_risk_point("rp-2")), [2]);
        assert_eq!(ids(&cf.general), [6, 7, 8]);
        assert!(cf.of_step(9).is_empty());
    }

    /// 100,000 risk lines and 20,000 findings in one chart: each finding
    /// is drawn where it belongs, each quoted line highlighted once. The
    /// drawing takes every box's findings from [`ChartFindings`], so this
    /// is linear; scanning the chart's findings per box was 10^8 steps here.
    #[test]
    fn a_chart_of_100000_lines_is_drawn_from_the_index() {
        let cat = big(10_000, 10);
        assert_eq!(
            cat.charts[0]
                .risk_points
                .iter()
                .map(|r| r.items.len())
                .sum::<usize>(),
            100_000
        );
        let page = render(&cat);
        assert_eq!(
            page.matches("<li class=\"hit sev-line-warning\">").count(),
            10_000
        );
        assert_eq!(page.matches("class=\"box step flagged").count(), 10_000);
        assert_eq!(page.matches("<ul class=\"notes\">").count(), 20_000);
        assert_eq!(page.matches("<tr id=\"finding-").count(), 20_000);
        // Risk point 777's finding (the 1,553rd) sits on its last line.
        assert!(page.contains(
            "<span>风险777之10</span><a class=\"fmark sev-warning\" href=\"#finding-1553\""
        ));
        assert!(page.contains("<div class=\"step-name\">环节777</div><ul class=\"notes\"><li><a class=\"fmark sev-warning\" href=\"#finding-1554\""));
    }

    #[test]
    fn unplaced_text_is_shown_and_unnamed_charts_are_named() {
        let mut cat = big(1, 1);
        cat.charts[0].name = "  ".into();
        cat.charts[0].title = None;
        let mut f = finding(1, None, None, "本图由某某制作，仅供参考");
        f.code = "chart.unplaced_text".into();
        f.message = "这段文字无法归入流程图的任何环节、风险点或措施，已原样保留。".into();
        cat.findings = vec![f];
        let page = render(&cat);
        assert!(page.contains(
            "<blockquote class=\"evidence sev-line-warning\"><span class=\"muted\">未归入的文字：</span>本图由某某制作，仅供参考</blockquote>"
        ));
        assert!(page.contains("<li><a href=\"#ch-1\">（未命名图表 1）</a>"));
        assert!(page.contains("<h3>（未命名图表 1）</h3>"));
        cat.charts[0].title = Some("某某流程图".into());
        assert!(render(&cat).contains("<h3>（未命名）某某流程图</h3>"));
    }

    #[test]
    fn short_cuts_on_char_boundary() {
        assert_eq!(short("审核审批", 2), "审核");
        assert_eq!(short("ab", 5), "ab");
    }
}

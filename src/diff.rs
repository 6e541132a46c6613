//! What changed between two catalogs (`riskflow diff OLD NEW`): charts
//! added, removed and renamed; per chart, steps and risk points added or
//! removed, grades raised or lowered, risk items, measures and 责任人
//! changed.
//!
//! Charts are matched on their stable id (`ch-`, a hash of department,
//! category, code and name); a chart whose name changed gets a new id, so
//! the charts left over are then paired by file and position (same path,
//! same ordinal), else by the same list of steps: such a pair is a rename.
//! Risk point ids are positional (`rp-` of chart and position), so risk
//! points are paired by content: same step, label and risk items first,
//! then same step and label in order.
//!
//! ```
//! # let old: riskflow::catalog::Catalog = serde_json::from_str(
//! #     include_str!("../tests/data/review/small.catalog.json")).unwrap();
//! let mut new = old.clone();
//! new.charts[0].risk_points[0].grade.as_mut().unwrap().level = "high".into();
//! let d = riskflow::diff::diff(&old, &new);
//! let rp = &d.charts_changed[0].risk_points_changed[0];
//! assert_eq!(rp.grade.as_ref().unwrap().change, riskflow::diff::GradeChange::Raised);
//! ```

use crate::catalog::{Catalog, Chart, Grade, RiskPoint};
use crate::recognise::fields::compact;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt::Write;

/// Schema name of `riskflow diff --json`.
pub const DIFF_SCHEMA: &str = "riskflow.diff/1";

/// Every difference between two catalogs, in the new catalog's order
/// (removed charts in the old one's).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Diff {
    /// `riskflow.diff/1`.
    pub schema: String,
    /// Charts only in the new catalog.
    pub charts_added: Vec<ChartRef>,
    /// Charts only in the old catalog.
    pub charts_removed: Vec<ChartRef>,
    /// Charts present in both whose name or content changed; a renamed
    /// chart has `old_name` set.
    pub charts_changed: Vec<ChartChange>,
}

/// A chart named by its id, name and file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ChartRef {
    /// Chart id.
    pub id: String,
    /// Chart name.
    pub name: String,
    /// Its source file's path.
    pub path: String,
}

/// A chart in both catalogs, and what changed in it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct ChartChange {
    /// Id in the new catalog.
    pub id: String,
    /// Name in the new catalog.
    pub name: String,
    /// Its source file's path in the new catalog.
    pub path: String,
    /// Id in the old catalog when it differs (the chart was renamed).
    pub old_id: Option<String>,
    /// Name in the old catalog when it differs.
    pub old_name: Option<String>,
    /// Step names, as normalised.
    pub steps_added: Vec<String>,
    /// Step names only in the old chart.
    pub steps_removed: Vec<String>,
    /// Risk points only in the new chart.
    pub risk_points_added: Vec<RiskPointRef>,
    /// Risk points only in the old chart.
    pub risk_points_removed: Vec<RiskPointRef>,
    /// Risk points in both whose grade, lines or 责任人 changed.
    pub risk_points_changed: Vec<RiskPointChange>,
}

/// A risk point named by its step, label and first risk item.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RiskPointRef {
    /// Risk point id (in the catalog it comes from).
    pub id: String,
    /// Name of the step it belongs to.
    pub step: Option<String>,
    /// Its label, if the document names it.
    pub label: Option<String>,
    /// Its first risk item's text (empty when it has none).
    pub first_item: String,
}

/// A risk point in both charts, and what changed in it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RiskPointChange {
    /// The risk point in the new catalog.
    pub risk_point: RiskPointRef,
    /// The grade's change, if its level changed.
    pub grade: Option<GradeDiff>,
    /// Risk items only in the new risk point.
    pub items_added: Vec<String>,
    /// Risk items only in the old risk point.
    pub items_removed: Vec<String>,
    /// Measures only in the new risk point.
    pub measures_added: Vec<String>,
    /// Measures only in the old risk point.
    pub measures_removed: Vec<String>,
    /// Old and new 责任人 lists, when they differ.
    pub responsible: Option<(Vec<String>, Vec<String>)>,
}

/// A grade's level before and after.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GradeDiff {
    /// `high` | `medium` | `low`, null when there was none.
    pub from: Option<String>,
    /// The new level, null when there is none.
    pub to: Option<String>,
    /// Which way it went.
    pub change: GradeChange,
}

/// Which way a grade went.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum GradeChange {
    /// A higher level (低 → 中, 中 → 高 …).
    Raised,
    /// A lower level.
    Lowered,
    /// A grade where there was none.
    Added,
    /// No grade where there was one.
    Removed,
}

impl Diff {
    /// No difference at all.
    pub fn is_empty(&self) -> bool {
        self.charts_added.is_empty()
            && self.charts_removed.is_empty()
            && self.charts_changed.is_empty()
    }
}

/// The differences from `old` to `new`.
pub fn diff(old: &Catalog, new: &Catalog) -> Diff {
    let old_paths = paths(old);
    let new_paths = paths(new);
    let path_of = |paths: &HashMap<&str, String>, c: &Chart| {
        paths.get(c.source.as_str()).cloned().unwrap_or_default()
    };

    // Pairs (old index, new index): by id, then by file and ordinal, then
    // by the same steps.
    let mut old_taken = vec![false; old.charts.len()];
    let mut new_match: Vec<Option<usize>> = vec![None; new.charts.len()];
    let by_id: HashMap<&str, usize> = old
        .charts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    for (j, c) in new.charts.iter().enumerate() {
        if let Some(&i) = by_id.get(c.id.as_str()) {
            old_taken[i] = true;
            new_match[j] = Some(i);
        }
    }
    let keys: [&PairKey<'_>; 2] = [
        &|p, c| Some(format!("{}\u{1f}{}", path_of(p, c), c.ordinal)),
        &|_, c| {
            (!c.steps.is_empty()).then(|| {
                c.steps
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join("\u{1f}")
            })
        },
    ];
    for key in keys {
        let mut free: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in old.charts.iter().enumerate().rev() {
            if !old_taken[i]
                && let Some(k) = key(&old_paths, c)
            {
                free.entry(k).or_default().push(i);
            }
        }
        for (j, c) in new.charts.iter().enumerate() {
            if new_match[j].is_some() {
                continue;
            }
            if let Some(i) = key(&new_paths, c)
                .and_then(|k| free.get_mut(&k))
                .and_then(|v| v.pop())
            {
                old_taken[i] = true;
                new_match[j] = Some(i);
            }
        }
    }

    let mut d = Diff {
        schema: DIFF_SCHEMA.to_string(),
        ..Diff::default()
    };
    for (j, c) in new.charts.iter().enumerate() {
        let path = path_of(&new_paths, c);
        match new_match[j] {
            None => d.charts_added.push(ChartRef {
                id: c.id.clone(),
                name: c.name.clone(),
                path,
            }),
            Some(i) => {
                let change = chart_change(&old.charts[i], c, path);
                if change != ChartChange::unchanged(c, &change.path) {
                    d.charts_changed.push(change);
                }
            }
        }
    }
    for (i, c) in old.charts.iter().enumerate() {
        if !old_taken[i] {
            d.charts_removed.push(ChartRef {
                id: c.id.clone(),
                name: c.name.clone(),
                path: path_of(&old_paths, c),
            });
        }
    }
    d
}

/// A key pairing a chart left over in one catalog with one in the other.
type PairKey<'a> = dyn Fn(&HashMap<&str, String>, &Chart) -> Option<String> + 'a;

fn paths(cat: &Catalog) -> HashMap<&str, String> {
    cat.sources
        .iter()
        .map(|s| (s.id.as_str(), s.path.clone()))
        .collect()
}

impl ChartChange {
    fn unchanged(c: &Chart, path: &str) -> ChartChange {
        ChartChange {
            id: c.id.clone(),
            name: c.name.clone(),
            path: path.to_string(),
            ..ChartChange::default()
        }
    }
}

fn chart_change(old: &Chart, new: &Chart, path: String) -> ChartChange {
    let mut ch = ChartChange::unchanged(new, &path);
    if old.id != new.id {
        ch.old_id = Some(old.id.clone());
    }
    if old.name != new.name {
        ch.old_name = Some(old.name.clone());
    }
    let old_steps: Vec<&str> = old.steps.iter().map(|s| s.name.as_str()).collect();
    let new_steps: Vec<&str> = new.steps.iter().map(|s| s.name.as_str()).collect();
    ch.steps_added = minus(&new_steps, &old_steps);
    ch.steps_removed = minus(&old_steps, &new_steps);

    let old_keys: Vec<(String, String)> = old.risk_points.iter().map(|r| rp_keys(old, r)).collect();
    let new_keys: Vec<(String, String)> = new.risk_points.iter().map(|r| rp_keys(new, r)).collect();
    let mut old_taken = vec![false; old.risk_points.len()];
    let mut new_match: Vec<Option<usize>> = vec![None; new.risk_points.len()];
    // Pass 0: step, label and items; pass 1: step and label, in order.
    for pass in 0..2 {
        let key = |k: &(String, String)| if pass == 0 { k.0.clone() } else { k.1.clone() };
        let mut free: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, k) in old_keys.iter().enumerate().rev() {
            if !old_taken[i] {
                free.entry(key(k)).or_default().push(i);
            }
        }
        for (j, k) in new_keys.iter().enumerate() {
            if new_match[j].is_none()
                && let Some(i) = free.get_mut(&key(k)).and_then(|v| v.pop())
            {
                old_taken[i] = true;
                new_match[j] = Some(i);
            }
        }
    }
    for (j, rp) in new.risk_points.iter().enumerate() {
        match new_match[j] {
            None => ch.risk_points_added.push(rp_ref(new, rp)),
            Some(i) => {
                if let Some(c) = rp_change(&old.risk_points[i], rp, rp_ref(new, rp)) {
                    ch.risk_points_changed.push(c);
                }
            }
        }
    }
    for (i, rp) in old.risk_points.iter().enumerate() {
        if !old_taken[i] {
            ch.risk_points_removed.push(rp_ref(old, rp));
        }
    }
    ch
}

/// Items of `a` not in `b`, in `a`'s order (a repeat counts once per use).
fn minus<S: AsRef<str>>(a: &[S], b: &[S]) -> Vec<String> {
    let mut left: HashMap<String, usize> = HashMap::new();
    for s in b {
        *left.entry(compact(s.as_ref()).into_owned()).or_default() += 1;
    }
    let mut out = Vec::new();
    for s in a {
        match left.get_mut(compact(s.as_ref()).as_ref()) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.push(s.as_ref().to_string()),
        }
    }
    out
}

fn step_name(c: &Chart, rp: &RiskPoint) -> Option<String> {
    rp.step
        .and_then(|s| c.steps.iter().find(|st| st.seq == s))
        .map(|s| s.name.clone())
}

/// (step + label + items, step + label), whitespace-insensitive.
fn rp_keys(c: &Chart, rp: &RiskPoint) -> (String, String) {
    let short = format!(
        "{}\u{1f}{}",
        step_name(c, rp).unwrap_or_default(),
        compact(rp.label.as_deref().unwrap_or(""))
    );
    let mut long = short.clone();
    for l in &rp.items {
        long.push('\u{1f}');
        long.push_str(&compact(&l.text));
    }
    (long, short)
}

fn rp_ref(c: &Chart, rp: &RiskPoint) -> RiskPointRef {
    RiskPointRef {
        id: rp.id.clone(),
        step: step_name(c, rp),
        label: rp.label.clone(),
        first_item: rp.items.first().map(|l| l.text.clone()).unwrap_or_default(),
    }
}

fn rank(g: &Grade) -> u8 {
    match g.level.as_str() {
        "high" => 3,
        "medium" => 2,
        "low" => 1,
        _ => 0,
    }
}

fn rp_change(old: &RiskPoint, new: &RiskPoint, at: RiskPointRef) -> Option<RiskPointChange> {
    let grade = match (&old.grade, &new.grade) {
        (None, None) => None,
        (Some(a), Some(b)) if rank(a) == rank(b) => None,
        (a, b) => Some(GradeDiff {
            from: a.as_ref().map(|g| g.level.clone()),
            to: b.as_ref().map(|g| g.level.clone()),
            change: match (a, b) {
                (None, _) => GradeChange::Added,
                (_, None) => GradeChange::Removed,
                (Some(a), Some(b)) if rank(b) > rank(a) => GradeChange::Raised,
                _ => GradeChange::Lowered,
            },
        }),
    };
    let texts = |v: &[crate::catalog::Line]| v.iter().map(|l| l.text.clone()).collect::<Vec<_>>();
    let (oi, ni) = (texts(&old.items), texts(&new.items));
    let (om, nm) = (texts(&old.measures), texts(&new.measures));
    let same_people = minus(&old.responsible, &new.responsible).is_empty()
        && minus(&new.responsible, &old.responsible).is_empty();
    let c = RiskPointChange {
        risk_point: at,
        grade,
        items_added: minus(&ni, &oi),
        items_removed: minus(&oi, &ni),
        measures_added: minus(&nm, &om),
        measures_removed: minus(&om, &nm),
        responsible: (!same_people).then(|| (old.responsible.clone(), new.responsible.clone())),
    };
    let nothing = c.grade.is_none()
        && c.items_added.is_empty()
        && c.items_removed.is_empty()
        && c.measures_added.is_empty()
        && c.measures_removed.is_empty()
        && c.responsible.is_none();
    (!nothing).then_some(c)
}

/// 高 / 中 / 低 for a grade level code.
pub fn level_zh(level: &str) -> &str {
    match level {
        "high" => "高",
        "medium" => "中",
        "low" => "低",
        other => other,
    }
}

fn grade_zh(g: &GradeDiff) -> String {
    let side = |l: &Option<String>| l.as_deref().map(level_zh).unwrap_or("无").to_string();
    let what = match g.change {
        GradeChange::Raised => "升高",
        GradeChange::Lowered => "降低",
        GradeChange::Added => "新定",
        GradeChange::Removed => "取消",
    };
    format!("等级 {} → {}（{what}）", side(&g.from), side(&g.to))
}

fn rp_zh(r: &RiskPointRef) -> String {
    let mut s = String::new();
    if let Some(st) = &r.step {
        let _ = write!(s, "环节「{st}」");
    }
    if let Some(l) = &r.label {
        let _ = write!(s, "{l}");
    }
    let _ = write!(s, "风险点「{}」", r.first_item);
    s
}

/// One line per difference, in Chinese, for a terminal.
pub fn text(d: &Diff) -> String {
    let mut out = String::new();
    for c in &d.charts_added {
        let _ = writeln!(out, "+ 新增图表 {}  ({})", c.name, c.path);
    }
    for c in &d.charts_removed {
        let _ = writeln!(out, "- 删除图表 {}  ({})", c.name, c.path);
    }
    for c in &d.charts_changed {
        match &c.old_name {
            Some(old) => {
                let _ = writeln!(out, "~ 图表改名 {old} → {}  ({})", c.name, c.path);
            }
            None => {
                let _ = writeln!(out, "~ 图表 {}  ({})", c.name, c.path);
            }
        }
        for (lines, what) in [
            (&c.steps_added, "+ 新增环节"),
            (&c.steps_removed, "- 删除环节"),
        ] {
            for s in lines {
                let _ = writeln!(out, "    {what} {s}");
            }
        }
        for r in &c.risk_points_added {
            let _ = writeln!(out, "    + 新增{}", rp_zh(r));
        }
        for r in &c.risk_points_removed {
            let _ = writeln!(out, "    - 删除{}", rp_zh(r));
        }
        for r in &c.risk_points_changed {
            let _ = writeln!(out, "    ~ {}", rp_zh(&r.risk_point));
            for line in rp_change_lines(r) {
                let _ = writeln!(out, "        {line}");
            }
        }
    }
    let changed = d.charts_changed.len();
    let renamed = d
        .charts_changed
        .iter()
        .filter(|c| c.old_name.is_some())
        .count();
    let _ = writeln!(
        out,
        "图表：新增 {}，删除 {}，改名 {renamed}，内容或名称有变化 {changed}",
        d.charts_added.len(),
        d.charts_removed.len()
    );
    out
}

fn rp_change_lines(r: &RiskPointChange) -> Vec<String> {
    let mut v = Vec::new();
    if let Some(g) = &r.grade {
        v.push(grade_zh(g));
    }
    for (list, what) in [
        (&r.items_added, "+ 风险"),
        (&r.items_removed, "- 风险"),
        (&r.measures_added, "+ 措施"),
        (&r.measures_removed, "- 措施"),
    ] {
        for s in list {
            v.push(format!("{what} {s}"));
        }
    }
    if let Some((a, b)) = &r.responsible {
        v.push(format!("责任人 {} → {}", a.join("、"), b.join("、")));
    }
    v
}

/// The diff as a `<section>` of an HTML page (escaped, no script).
pub fn html_section(d: &Diff) -> String {
    use crate::write::html::esc;
    let mut o = String::from("<section class=\"diff\"><h2>两次导入之间的变化</h2>\n");
    if d.is_empty() {
        o.push_str("<p>没有变化。</p>\n");
    }
    o.push_str("<ul>\n");
    for c in &d.charts_added {
        let _ = writeln!(
            o,
            "<li class=\"add\">新增图表 <b>{}</b> <small>{}</small></li>",
            esc(&c.name),
            esc(&c.path)
        );
    }
    for c in &d.charts_removed {
        let _ = writeln!(
            o,
            "<li class=\"del\">删除图表 <b>{}</b> <small>{}</small></li>",
            esc(&c.name),
            esc(&c.path)
        );
    }
    for c in &d.charts_changed {
        let head = match &c.old_name {
            Some(old) => format!("图表改名 <s>{}</s> → <b>{}</b>", esc(old), esc(&c.name)),
            None => format!("图表 <b>{}</b>", esc(&c.name)),
        };
        let _ = write!(
            o,
            "<li class=\"chg\">{head} <small>{}</small><ul>",
            esc(&c.path)
        );
        for s in &c.steps_added {
            let _ = write!(o, "<li class=\"add\">新增环节 {}</li>", esc(s));
        }
        for s in &c.steps_removed {
            let _ = write!(o, "<li class=\"del\">删除环节 {}</li>", esc(s));
        }
        for r in &c.risk_points_added {
            let _ = write!(o, "<li class=\"add\">新增{}</li>", esc(&rp_zh(r)));
        }
        for r in &c.risk_points_removed {
            let _ = write!(o, "<li class=\"del\">删除{}</li>", esc(&rp_zh(r)));
        }
        for r in &c.risk_points_changed {
            let _ = write!(o, "<li class=\"chg\">{}<ul>", esc(&rp_zh(&r.risk_point)));
            for line in rp_change_lines(r) {
                let class = match line.chars().next() {
                    Some('+') => "add",
                    Some('-') => "del",
                    _ => "chg",
                };
                let _ = write!(o, "<li class=\"{class}\">{}</li>", esc(&line));
            }
            o.push_str("</ul></li>");
        }
        o.push_str("</ul></li>\n");
    }
    o.push_str("</ul></section>\n");
    o
}

/// A self-contained page holding [`html_section`].
pub fn html_page(d: &Diff, old: &str, new: &str) -> String {
    use crate::write::html::esc;
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>riskflow diff</title>\n<style>\nbody{{font-family:sans-serif;max-width:60em;margin:1em auto;line-height:1.5}}\n.add{{color:#1a7f37}}.del{{color:#b42318}}.chg{{color:#333}}\nli li{{font-size:95%}}small{{color:#777}}\n</style></head><body>\n<h1>riskflow diff</h1>\n<p>旧：{}<br>新：{}</p>\n{}</body></html>\n",
        esc(old),
        esc(new),
        html_section(d)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Catalog {
        serde_json::from_str(include_str!("../tests/data/review/small.catalog.json")).unwrap()
    }

    #[test]
    fn same_catalog_no_difference() {
        let c = small();
        assert!(diff(&c, &c).is_empty());
    }

    #[test]
    fn a_rename_keeps_the_chart_and_reports_its_content() {
        let old = small();
        let mut new = old.clone();
        new.charts[0].id = "ch-dddddddddddd".into();
        new.charts[0].name = "养老金给付".into();
        new.charts[0].risk_points[0].responsible = vec!["窗口人员".into()];
        new.charts[0].risk_points[0].grade = None;
        let d = diff(&old, &new);
        assert!(d.charts_added.is_empty() && d.charts_removed.is_empty());
        let c = &d.charts_changed[0];
        assert_eq!(c.old_id.as_deref(), Some("ch-bbbbbbbbbbbb"));
        assert_eq!(
            c.old_name.as_deref(),
            Some("企业退休人员基本养老金待遇给付")
        );
        let r = &c.risk_points_changed[0];
        assert_eq!(
            r.grade,
            Some(GradeDiff {
                from: Some("medium".into()),
                to: None,
                change: GradeChange::Removed
            })
        );
        assert_eq!(
            r.responsible,
            Some((vec!["受理人".to_string()], vec!["窗口人员".to_string()]))
        );
    }

    #[test]
    fn a_new_chart_in_another_file_is_added_and_the_old_removed() {
        let old = small();
        let mut new = old.clone();
        new.sources[0].path = "other.docx".into();
        new.charts[0].id = "ch-eeeeeeeeeeee".into();
        new.charts[0].steps.clear();
        let d = diff(&old, &new);
        assert_eq!(d.charts_added[0].id, "ch-eeeeeeeeeeee");
        assert_eq!(d.charts_removed[0].id, "ch-bbbbbbbbbbbb");
        assert!(d.charts_changed.is_empty());
    }
}

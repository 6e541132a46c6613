//! The `list` layout: `风险点1（B级）  ①…；②…` lines under a chart title.
//!
//! Each label line is a risk point (label, grade, items). When the chart is
//! also drawn with boxes, the `风险点N` label boxes beside the step boxes tie
//! each risk point to its step, and a 防范措施 block beside a step belongs to
//! it (nearest step by vertical overlap; by stream order without geometry).
//! A 防范措施 list that sits beside no step is a risk point with no step.

use super::draft::{ChartDraft, LineDraft, PointDraft};
use super::head;
use super::table::{LayoutRules, cell_grade, layout_rules, split_items};
use crate::catalog::{Grade, Severity};
use crate::document::{Block, BlockKind, Rect};
use crate::recognise::fields::{self, compact};
use crate::recognise::grades::{find_grade, grade_line};
use crate::recognise::markers::split_marker;
use crate::rules::Rules;
use regex::Regex;
use std::collections::{HashMap, VecDeque};

/// A `风险点N…` line taken apart.
#[derive(Debug, Clone, PartialEq)]
struct Label {
    /// `风险点1`, whitespace removed.
    word: String,
    grade: Option<Grade>,
    /// A bracketed value that is on no grade scale (`grade.unknown`).
    unknown: Option<String>,
    /// The text after the label and grade.
    content: String,
}

fn label_pattern(lr: &LayoutRules) -> Option<&Regex> {
    // Compiled once per rules, not once per segment: `read` runs for every
    // segment of every file (and a copy per segment, with caches of its
    // own to set up, was still a hot spot of layout).
    lr.list
        .label_pattern
        .get_or_init(|| {
            Regex::new(&format!(
                r"^\s*({}\s*[0-9０-９]{{1,3}})\s*(?:[（(]([^（()）]{{0,12}})[）)])?\s*[：:、]?\s*(.*)$",
                regex::escape(&lr.list.label)
            ))
            .ok()
        })
        .as_ref()
}

fn parse_label(line: &str, re: &Regex, rules: &Rules) -> Option<Label> {
    // The pattern needs the label word opening the line after white space
    // (`^\s*` and `char::is_whitespace` are the same set): lines without it
    // (nearly all; many hold it further on) are told without running it.
    let label = &rules.tables.list.label;
    let opens =
        label.starts_with(char::is_whitespace) || line.trim_start().starts_with(label.as_str());
    if !opens {
        return None;
    }
    let c = re.captures(line)?;
    let word = compact(c.get(1)?.as_str()).into_owned();
    let mut content = c.get(3).map_or("", |m| m.as_str()).trim().to_string();
    let mut grade = None;
    let mut unknown = None;
    if let Some(b) = c.get(2) {
        let inner = b.as_str().trim();
        match find_grade(inner, rules)
            .map(|(g, _)| g)
            .map(Ok)
            .or_else(|| cell_grade(inner, rules))
        {
            Some(Ok(g)) => grade = Some(g),
            // A short value or one that says 级 meant a grade; longer text
            // in brackets (`（受理环节）`) is content.
            Some(Err(raw)) if raw.chars().count() <= 2 || raw.contains('级') => {
                unknown = Some(raw)
            }
            Some(Err(_)) => content = format!("{}{}", b.as_str(), content),
            None => {}
        }
    }
    // `风险点1 风险等级：高` — the grade after the label.
    if grade.is_none()
        && let Some(g) = grade_line(&content, rules).and_then(|l| l.grade)
    {
        grade = Some(g);
        content.clear();
    }
    Some(Label {
        word,
        grade,
        unknown,
        content,
    })
}

/// What a box is, by its content.
#[derive(Debug, Clone, PartialEq)]
enum BoxKind {
    /// A risk point written in the box (`风险点1（B级）…`).
    Risk(Label),
    /// Only a label (`风险点1`): ties the risk point to the step beside it.
    Label(String),
    /// The `防范措施` caption of a measures block: furniture.
    MeasuresHead,
    Measures,
    Step,
    Other,
}

fn is_measures_word(s: &str, lr: &LayoutRules) -> bool {
    let c = compact(s);
    let c = c.trim_end_matches(['：', ':']);
    lr.list.measures.iter().any(|w| compact(w) == c)
}

/// `防范措施：①…` → the text after the heading word.
fn after_measures_word<'a>(s: &'a str, lr: &LayoutRules) -> Option<&'a str> {
    let t = s.trim_start();
    lr.list.measures.iter().find_map(|w| {
        t.strip_prefix(w.as_str())
            .map(|rest| rest.trim_start().trim_start_matches(['：', ':']).trim())
    })
}

fn classify(b: &Block, lines: &[&str], re: &Regex, lr: &LayoutRules, rules: &Rules) -> BoxKind {
    let text = lines.join("\n");
    let Some(first) = lines.first() else {
        return BoxKind::Other;
    };
    if let Some(l) = parse_label(first, re, rules) {
        if lines.len() == 1 && l.content.is_empty() && l.grade.is_none() && l.unknown.is_none() {
            return BoxKind::Label(l.word);
        }
        return BoxKind::Risk(l);
    }
    if is_measures_word(&text, lr) {
        return BoxKind::MeasuresHead;
    }
    if after_measures_word(first, lr).is_some() {
        return BoxKind::Measures;
    }
    let marked = lines.iter().any(|l| split_marker(l).marker.is_some());
    let responsible = lines.iter().any(|l| fields::is_responsible_line(l, rules));
    if !marked
        && !responsible
        && fields::looks_like_step(&text, rules)
        && b.kind != BlockKind::Paragraph
    {
        return BoxKind::Step;
    }
    if marked || responsible {
        return BoxKind::Measures;
    }
    BoxKind::Other
}

pub fn read(seg: &[&Block], rules: &Rules) -> Option<Vec<ChartDraft>> {
    let lr = layout_rules(rules)?;
    let re = label_pattern(lr)?;
    // The shape: a label line that says something — in a paragraph (the
    // list under a drawn chart), or in a box only with its grade in brackets
    // (`风险点1（B级）`): a flow chart's risk box may start with `风险点1：`.
    let has_risk_line = seg.iter().any(|b| {
        let paragraph = b.kind == BlockKind::Paragraph;
        b.text
            .lines()
            .filter_map(|l| parse_label(l, re, rules))
            .any(|l| l.grade.is_some() || (paragraph && !l.content.is_empty()))
    });
    if !has_risk_line {
        return None;
    }
    // Several titles in one segment: one chart each.
    let mut parts: Vec<Vec<&Block>> = Vec::new();
    let mut titled = false;
    for b in seg {
        let heading = matches!(
            b.kind,
            BlockKind::Paragraph | BlockKind::TextBox | BlockKind::Shape
        );
        let title = heading && fields::is_title(super::segment::first_line(b), rules);
        if parts.is_empty() || (title && titled) {
            parts.push(Vec::new());
            titled = false;
        }
        titled |= title;
        if let Some(p) = parts.last_mut() {
            p.push(b);
        }
    }
    Some(parts.iter().map(|p| read_chart(p, re, lr, rules)).collect())
}

/// A piece of the chart waiting to be tied to a step.
struct Tied<'a> {
    block: &'a Block,
    order: usize,
}

fn read_chart(seg: &[&Block], re: &Regex, lr: &LayoutRules, rules: &Rules) -> ChartDraft {
    let mut d = ChartDraft {
        layout: "list".into(),
        location: seg.first().map(|b| b.origin.clone()).unwrap_or_default(),
        ..Default::default()
    };
    let taken = head::read(seg, rules, &mut d);
    if d.name.is_none()
        && let Some(t) = d.title.clone()
    {
        let name = lr
            .list
            .title_suffixes
            .iter()
            .find_map(|s| t.strip_suffix(s.as_str()))
            .filter(|n| !n.trim().is_empty())
            .map(fields::squeeze_cjk);
        d.name_from = name.as_ref().map(|_| "title".into());
        d.name = name;
        d.name_raw = d.name.as_ref().map(|_| t);
    }

    // (point, stream order, tie block, label line as written): the tie block's
    // position ties the point to a step; the label line is placed once the
    // point is kept.
    let mut points: Vec<(PointDraft, usize, Option<Tied>, String)> = Vec::new();
    let mut pending_unknown: Vec<(usize, String, String)> = Vec::new();
    let mut steps: Vec<Tied> = Vec::new();
    let mut labels: Vec<(String, Tied)> = Vec::new();
    let mut measures: Vec<Tied> = Vec::new();
    // Paragraph state: the point the following lines continue.
    #[derive(PartialEq)]
    enum Mode {
        None,
        Risk(usize),
        Measures(usize),
    }
    let mut mode = Mode::None;

    for (i, b) in seg.iter().enumerate() {
        if b.kind == BlockKind::Image {
            continue;
        }
        let lines: Vec<&str> = head::untaken(b, &taken, i)
            .into_iter()
            .map(str::trim)
            .collect();
        if lines.is_empty() {
            continue;
        }
        if matches!(b.kind, BlockKind::TextBox | BlockKind::Shape) {
            let tied = Tied { block: b, order: i };
            match classify(b, &lines, re, lr, rules) {
                BoxKind::Risk(l) => {
                    let idx = points.len();
                    let p = risk_point(l, &lines[1..], b, idx, &mut pending_unknown);
                    points.push((p, i, Some(tied), lines.join("\n")));
                }
                BoxKind::Label(word) => labels.push((word, tied)),
                BoxKind::MeasuresHead => {}
                BoxKind::Measures => measures.push(tied),
                BoxKind::Step => steps.push(tied),
                BoxKind::Other => d.unplaced(
                    &b.origin,
                    &lines.join("\n"),
                    "方框中的文字无法归入任何环节或风险点，已原样保留。",
                ),
            }
            continue;
        }
        for line in lines {
            if let Some(l) = parse_label(line, re, rules) {
                let idx = points.len();
                let p = risk_point(l, &[], b, idx, &mut pending_unknown);
                points.push((p, i, None, line.to_string()));
                mode = Mode::Risk(idx);
            } else if let Some(rest) = after_measures_word(line, lr) {
                // A chart-wide 防范措施 list: a risk point with no step.
                let idx = points.len();
                let mut p = PointDraft {
                    origin: b.origin.clone(),
                    ..Default::default()
                };
                add_measures(&mut d, &mut p, rest, &b.origin, rules);
                // The heading word itself is furniture.
                points.push((p, i, None, String::new()));
                mode = Mode::Measures(idx);
            } else {
                match mode {
                    Mode::Risk(k) if continues(&points[k].0, line) => {
                        d.place(line);
                        let p = &mut points[k].0;
                        p.items.extend(
                            split_items(line)
                                .iter()
                                .map(|s| LineDraft::new(s, &b.origin)),
                        );
                    }
                    Mode::Measures(k) => {
                        let p = &mut points[k].0;
                        add_measures(&mut d, p, line, &b.origin, rules);
                    }
                    _ => {
                        mode = Mode::None;
                        d.unplaced(&b.origin, line, "这行文字无法归入任何风险点，已原样保留。");
                    }
                }
            }
        }
    }

    // Steps in reading order: by position when every step box has one.
    let geometry = !steps.is_empty() && steps.iter().all(|s| s.block.rect.is_some());
    if geometry {
        steps.sort_by_key(|s| {
            let r = s.block.rect.unwrap_or_default();
            (s.block.page, r.y, r.x, s.order)
        });
    }
    for s in &steps {
        let text = s.block.text.trim();
        let mut st = fields::step(text, rules);
        st.seq = d.steps.len() + 1;
        d.place(text);
        d.steps.push(st);
        d.step_origins.push(s.block.origin.clone());
    }
    let step_of = |t: &Tied| -> Option<usize> {
        if steps.is_empty() {
            return None;
        }
        match (geometry, t.block.rect) {
            (true, Some(r)) => nearest_step(&steps, r, t.block.page),
            _ => Some(steps.iter().rposition(|s| s.order < t.order).unwrap_or(0)),
        }
    };
    let mut by_order = false;
    for (p, _, tie, _) in &mut points {
        if let Some(t) = tie {
            p.step = step_of(t);
            by_order |= p.step.is_some() && !geometry;
        }
    }
    // Risk lines by label, in document order, waiting for their label box.
    let mut waiting: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (i, (p, _, tie, _)) in points.iter().enumerate() {
        if let (Some(l), None) = (p.label.as_deref(), tie) {
            waiting.entry(l).or_default().push_back(i);
        }
    }
    let mut tie_to: Vec<(usize, Option<usize>)> = Vec::new();
    for (word, t) in &labels {
        let s = step_of(t);
        match waiting.get_mut(word.as_str()).and_then(VecDeque::pop_front) {
            Some(k) => {
                tie_to.push((k, s));
                by_order |= s.is_some() && !geometry;
                d.place(&t.block.text);
            }
            // A label box with no risk line of that label (or a second box
            // with the same label): kept as evidence.
            None => d.unplaced(
                &t.block.origin,
                &t.block.text,
                "风险点标注没有对应的风险点或已标注过，已原样保留。",
            ),
        }
    }
    for (k, s) in tie_to {
        if let Some((p, ..)) = points.get_mut(k) {
            p.step = s;
        }
    }
    for t in &measures {
        let s = step_of(t);
        by_order |= s.is_some() && !geometry;
        let text = t.block.text.trim();
        let lines: Vec<&str> = text
            .lines()
            .map(|l| after_measures_word(l, lr).unwrap_or(l))
            .collect();
        let k = points.iter().position(|(p, ..)| p.step == s && s.is_some());
        match k {
            Some(k) => {
                let p = &mut points[k].0;
                add_measures(&mut d, p, &lines.join("\n"), &t.block.origin, rules);
            }
            None => {
                let mut p = PointDraft {
                    step: s,
                    origin: t.block.origin.clone(),
                    ..Default::default()
                };
                add_measures(&mut d, &mut p, &lines.join("\n"), &t.block.origin, rules);
                points.push((p, t.order, None, String::new()));
            }
        }
    }
    // A label line that said nothing and got no step: its text is kept.
    let mut kept: Vec<(PointDraft, usize)> = Vec::new();
    for (i, (p, _, _, raw)) in points.into_iter().enumerate() {
        let empty =
            p.items.is_empty() && p.measures.is_empty() && p.grade.is_none() && p.step.is_none();
        if empty && p.label.is_some() {
            d.unplaced(&p.origin, &raw, "风险点标注没有内容，已原样保留。");
            continue;
        }
        d.place(&raw);
        kept.push((p, i));
    }
    // In step order, then document order.
    kept.sort_by_key(|(p, i)| (p.step.unwrap_or(usize::MAX), *i));
    for (old, origin, raw) in pending_unknown {
        let new = kept.iter().position(|(_, i)| *i == old);
        let n = d.note(
            "grade.unknown",
            Severity::Warning,
            &origin,
            "风险等级的写法不在已知等级体系中。",
            raw,
        );
        n.point = new;
    }
    d.points = kept.into_iter().map(|(p, _)| p).collect();
    if by_order {
        d.order_only = true;
        let origin = d.location.clone();
        d.note(
            "chart.order_only",
            Severity::Info,
            &origin,
            "文档没有方框位置信息，风险点按文字顺序对应到流程环节，请核对。",
            "",
        );
    }
    d
}

/// The step box that overlaps `r` most vertically, else the nearest.
fn nearest_step(steps: &[Tied], r: Rect, page: u32) -> Option<usize> {
    steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.block.rect.map(|sr| (i, sr, s.block.page)))
        .max_by_key(|(i, sr, p)| {
            let dist = (sr.center_y() - r.center_y()).abs();
            (*p == page, sr.v_overlap(&r), -dist, -(*i as i64))
        })
        .map(|(i, _, _)| i)
}

/// Does a paragraph line continue the point's items? Yes when the label line
/// had no items yet, or when its marker continues their numbering.
fn continues(p: &PointDraft, line: &str) -> bool {
    if p.items.is_empty() {
        return true;
    }
    let last = p.items.iter().filter_map(|l| l.marked.n).next_back();
    let n = split_marker(line).n;
    matches!((last, n), (Some(a), Some(b)) if b == a + 1)
}

/// A risk point from a label line (and, in a box, the lines after it).
fn risk_point(
    l: Label,
    more: &[&str],
    b: &Block,
    idx: usize,
    unknown: &mut Vec<(usize, String, String)>,
) -> PointDraft {
    let mut p = PointDraft {
        label: Some(l.word),
        grade: l.grade,
        origin: b.origin.clone(),
        ..Default::default()
    };
    if let Some(u) = l.unknown {
        unknown.push((idx, b.origin.clone(), u));
    }
    for text in std::iter::once(l.content.as_str()).chain(more.iter().copied()) {
        for s in split_items(text) {
            p.items.push(LineDraft::new(&s, &b.origin));
        }
    }
    p
}

fn add_measures(d: &mut ChartDraft, p: &mut PointDraft, text: &str, origin: &str, rules: &Rules) {
    d.place(text);
    for s in split_items(text) {
        match fields::responsible_line(&s, rules) {
            Some(names) => p.responsible.extend(names),
            None => p.measures.push(LineDraft::new(&s, origin)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    fn para(text: &str, n: usize) -> Block {
        Block {
            text: text.into(),
            kind: BlockKind::Paragraph,
            rect: None,
            page: 0,
            origin: format!("line {n}"),
        }
    }

    const EMU_PER_CM: i64 = 360_000;

    fn bx(text: &str, x: i64, y: i64, w: i64, h: i64) -> Block {
        Block {
            text: text.into(),
            kind: BlockKind::TextBox,
            rect: Some(Rect {
                x: x * EMU_PER_CM,
                y: y * EMU_PER_CM,
                w: w * EMU_PER_CM,
                h: h * EMU_PER_CM,
            }),
            page: 0,
            origin: format!("box {}", text.lines().next().unwrap_or("")),
        }
    }

    fn paras(lines: &[&str]) -> Vec<Block> {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| para(l, i + 1))
            .collect()
    }

    type Summary = (
        Option<String>,
        Option<usize>,
        Option<(String, String, String)>,
        Vec<String>,
        Vec<String>,
    );

    fn summary(d: &ChartDraft) -> Vec<Summary> {
        d.points
            .iter()
            .map(|p| {
                (
                    p.label.clone(),
                    p.step.map(|s| s + 1),
                    p.grade
                        .as_ref()
                        .map(|g| (g.level.clone(), g.scale.clone(), g.raw.clone())),
                    p.items.iter().map(|l| l.raw.clone()).collect(),
                    p.measures.iter().map(|l| l.raw.clone()).collect(),
                )
            })
            .collect()
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn b_grade() -> Option<(String, String, String)> {
        Some(("medium".into(), "letter".into(), "B级".into()))
    }

    /// The first part of seed 000, one paragraph per line.
    fn seed_000() -> Vec<Block> {
        paras(&[
            "公开招录公务员和事业单位人员廉政风险点监管工作流程图",
            "",
            "风险点1（B级）  ①计划拟制环节，提出指向性明显的招录计划；②拟制事业单位人员招聘方案：没有按照有关规定制定工作计划。",
            "风险点2（B级）  ①网上初审：对考生信息把关不严，审查出现错漏；②咨询环节：解答模糊或出现错误。",
            "风险点4（B级）  考察环节：考察走过场，为全面、深入考察招考对象情况，接受考生礼品、宴请。",
            "风险点5（C级）  不如实向党组报告考察情况，不能做到公平公正，造成不良后果。",
            "干部任免廉政风险点监管工作流程图",
            "风险点1（B级）   不如实向党组报告推荐情况。",
            "风险点2（B级）   不按照规定的方式、程序和范围进行民主测评。",
        ])
    }

    #[test]
    fn seed_000_lines_become_list_charts() {
        let doc = Document {
            blocks: seed_000(),
            ..Default::default()
        };
        let cs = crate::layout::charts(&doc, &Rules::builtin());
        assert_eq!(cs.len(), 2);
        let d = &cs[0];
        assert_eq!(d.layout, "list");
        assert_eq!(
            d.title.as_deref(),
            Some("公开招录公务员和事业单位人员廉政风险点监管工作流程图")
        );
        assert_eq!(d.name.as_deref(), Some("公开招录公务员和事业单位人员"));
        assert_eq!(d.location, "line 1");
        assert_eq!(
            summary(d),
            vec![
                (
                    Some("风险点1".into()),
                    None,
                    b_grade(),
                    s(&[
                        "①计划拟制环节，提出指向性明显的招录计划；",
                        "②拟制事业单位人员招聘方案：没有按照有关规定制定工作计划。"
                    ]),
                    vec![]
                ),
                (
                    Some("风险点2".into()),
                    None,
                    b_grade(),
                    s(&[
                        "①网上初审：对考生信息把关不严，审查出现错漏；",
                        "②咨询环节：解答模糊或出现错误。"
                    ]),
                    vec![]
                ),
                (
                    Some("风险点4".into()),
                    None,
                    b_grade(),
                    s(&[
                        "考察环节：考察走过场，为全面、深入考察招考对象情况，接受考生礼品、宴请。"
                    ]),
                    vec![]
                ),
                (
                    Some("风险点5".into()),
                    None,
                    Some(("low".into(), "letter".into(), "C级".into())),
                    s(&["不如实向党组报告考察情况，不能做到公平公正，造成不良后果。"]),
                    vec![]
                ),
            ]
        );
        assert_eq!(d.points[0].items[1].marked.n, Some(2));
        assert_eq!(d.points[0].origin, "line 3");
        assert!(d.notes.is_empty(), "{:?}", d.notes);
        let read: usize = seed_000()[..6]
            .iter()
            .map(|b| crate::document::count_chars(&b.text))
            .sum();
        assert_eq!(d.chars_placed, read);
        assert_eq!(cs[1].name.as_deref(), Some("干部任免"));
        assert_eq!(cs[1].points.len(), 2);
    }

    #[test]
    fn several_titles_in_one_segment_split() {
        // Both charts handed over as one segment (segment.rs would cut it in
        // two): list still gives each title its own chart.
        let blocks = seed_000();
        let seg: Vec<&Block> = blocks.iter().collect();
        let cs = read(&seg, &Rules::builtin()).expect("list shape");
        let titles: Vec<Option<&str>> = cs.iter().map(|c| c.title.as_deref()).collect();
        assert_eq!(
            titles,
            vec![
                Some("公开招录公务员和事业单位人员廉政风险点监管工作流程图"),
                Some("干部任免廉政风险点监管工作流程图")
            ]
        );
    }

    #[test]
    fn label_boxes_tie_risk_points_to_steps() {
        let blocks = vec![
            para("人事档案管理廉政风险点监管工作流程图", 1),
            para("风险点1（C级） 档案柜使用后没有及时关门上锁。", 2),
            para("风险点2（B级） 档案借用、转递过程不按规定操作。", 3),
            para("风险点3（C级） 档案不及时维护。", 4),
            // Boxes, jumbled: steps in the middle, labels right, measures left.
            bx("档案借用、转递", 8, 6, 4, 1),
            bx("风险点2", 14, 6, 2, 1),
            bx("档案保管和整理", 8, 3, 4, 1),
            bx("风险点1", 14, 3, 2, 1),
            bx("防范措施", 1, 5, 4, 1),
            bx("①档案借用要经局主要领导批准；\n②指定专人领取。", 1, 6, 5, 2),
            bx("干部基本信息核定", 8, 9, 4, 1),
        ];
        let doc = Document {
            blocks,
            ..Default::default()
        };
        let cs = crate::layout::charts(&doc, &Rules::builtin());
        // Until the dispatch lets list see boxes, drive the layout directly.
        let d = match cs.first() {
            Some(c) if c.layout == "list" => c.clone(),
            _ => {
                let seg: Vec<&Block> = doc.blocks.iter().collect();
                read(&seg, &Rules::builtin()).expect("list shape").remove(0)
            }
        };
        let steps: Vec<&str> = d.steps.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            steps,
            vec!["档案保管和整理", "档案借用、转递", "干部基本信息核定"]
        );
        assert_eq!(
            summary(&d),
            vec![
                (
                    Some("风险点1".into()),
                    Some(1),
                    Some(("low".into(), "letter".into(), "C级".into())),
                    s(&["档案柜使用后没有及时关门上锁。"]),
                    vec![]
                ),
                (
                    Some("风险点2".into()),
                    Some(2),
                    b_grade(),
                    s(&["档案借用、转递过程不按规定操作。"]),
                    s(&["①档案借用要经局主要领导批准；", "②指定专人领取。"])
                ),
                (
                    Some("风险点3".into()),
                    None,
                    Some(("low".into(), "letter".into(), "C级".into())),
                    s(&["档案不及时维护。"]),
                    vec![]
                ),
            ]
        );
        assert!(!d.order_only);
        assert!(d.notes.is_empty(), "{:?}", d.notes);
    }

    #[test]
    fn chart_wide_measures_are_a_point_without_step() {
        let blocks = paras(&[
            "年度考核廉政风险点监管工作流程图",
            "风险点1（C级）  不按规定制定方案、分配优秀名额；",
            "防范措施：",
            "①严格按照有关规定制定工作方案。",
            "②严格按照有关规定进行公示。",
            "责任人：办公室主任",
        ]);
        let doc = Document {
            blocks,
            ..Default::default()
        };
        let cs = crate::layout::charts(&doc, &Rules::builtin());
        assert_eq!(cs.len(), 1);
        assert_eq!(
            summary(&cs[0]),
            vec![
                (
                    Some("风险点1".into()),
                    None,
                    Some(("low".into(), "letter".into(), "C级".into())),
                    s(&["不按规定制定方案、分配优秀名额；"]),
                    vec![]
                ),
                (
                    None,
                    None,
                    None,
                    vec![],
                    s(&[
                        "①严格按照有关规定制定工作方案。",
                        "②严格按照有关规定进行公示。"
                    ])
                ),
            ]
        );
        assert_eq!(cs[0].points[1].responsible, s(&["办公室主任"]));
    }

    #[test]
    fn labels_without_content_are_not_a_list() {
        let blocks = paras(&["财务核算流程图", "风险点1", "防范措施", "风险点2"]);
        let seg: Vec<&Block> = blocks.iter().collect();
        assert!(read(&seg, &Rules::builtin()).is_none());
        let r = Rules::builtin();
        let lr = layout_rules(&r).expect("rules");
        let re = label_pattern(lr).expect("regex");
        let l = parse_label("风险点 3（风险等级：高）审核不严", re, &r).expect("label");
        assert_eq!(
            (l.word.as_str(), l.content.as_str()),
            ("风险点3", "审核不严")
        );
        assert_eq!(
            l.grade.map(|g| (g.level, g.raw)),
            Some(("high".into(), "风险等级：高".into()))
        );
        let l = parse_label("风险点2（较大）审核不严", re, &r).expect("label");
        assert_eq!(l.unknown.as_deref(), Some("较大"));
    }
}

//! The `prose` layout: `一、廉政风险点：1.…` / `二、防护措施：（一）…（1）针对…的风险点
//! 措施一：…` sections, one chart per 一、廉政风险点 section.
//!
//! Each numbered risk line (or each `（一）…方面` group of them) is a risk
//! point. Measures come in groups — a `针对…的风险点` line with its 措施 lines,
//! a `（一）…` section, or one numbered line each — and are matched to the
//! risk points: in order when the counts agree, else by the characters a
//! group shares with a risk. A group that matches no risk point (or a second
//! group for the same one) is a risk point of its own; a flat list that
//! cannot be matched is one chart-wide risk point. 科室职责 duty lists are not
//! risks: they are kept as unplaced text.

use super::draft::{ChartDraft, LineDraft, PointDraft};
use super::head;
use super::table::{LayoutRules, layout_rules, split_items};
use crate::catalog::Severity;
use crate::document::{Block, BlockKind, count_chars};
use crate::recognise::fields::{self, compact, squeeze_cjk};
use crate::recognise::markers::split_marker;
use crate::rules::Rules;
use std::collections::HashSet;

/// One non-blank line of the segment.
#[derive(Debug, Clone)]
struct Line<'a> {
    text: &'a str,
    origin: &'a str,
    /// (block, line) in the segment, to match the head's taken lines.
    at: (usize, usize),
}

/// What a section heading opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Risks,
    Measures,
    /// `二、风险等级：中`.
    Grade,
}

/// `一、廉政风险点：…` → (section, inline content after the colon).
fn section_heading<'a>(line: &'a str, lr: &LayoutRules) -> Option<(Section, &'a str)> {
    let m = split_marker(line);
    let han = m
        .marker
        .as_deref()
        .is_some_and(|k| k.chars().any(|c| "一二三四五六七八九十".contains(c)));
    let body = if han {
        line.trim_start()
            .get(m.marker.as_deref().map_or(0, str::len)..)
            .unwrap_or("")
            .trim_start()
    } else if m.marker.is_none() {
        line.trim()
    } else {
        return None;
    };
    for (section, words) in [
        (Section::Risks, &lr.prose.risks),
        (Section::Measures, &lr.prose.measures),
        (Section::Grade, &lr.prose.grades),
    ] {
        for w in words {
            let Some(rest) = body.strip_prefix(w.as_str()) else {
                continue;
            };
            let rest = rest.trim_start();
            let colon = rest.starts_with(['：', ':']);
            let rest = rest.trim_start_matches(['：', ':']).trim();
            // `一、廉政风险点` / `一、廉政风险点：…`; without a marker only
            // `廉政风险点：` (a bare `风险点` is a column caption of a flow chart).
            if colon || (han && rest.is_empty()) {
                return Some((section, rest));
            }
        }
    }
    None
}

/// `综合科科室职责`: a duty-list heading.
fn is_duties(line: &str, lr: &LayoutRules) -> bool {
    let c = compact(line);
    c.chars().count() <= 20
        && split_marker(line).marker.is_none()
        && lr.prose.duties.iter().any(|w| c.ends_with(w.as_str()))
}

/// `岗位：办公室主任` (a post label with its value, no list marker): the post.
fn post_label(line: &str, lr: &LayoutRules) -> Option<String> {
    let s = line.trim();
    if split_marker(s).marker.is_some() {
        return None;
    }
    lr.prose.posts.iter().find_map(|w| {
        let rest = s.strip_prefix(w.as_str())?.trim_start();
        let value = rest.strip_prefix(['：', ':'])?.trim();
        let short = (1..=20).contains(&value.chars().count());
        (short && !value.contains(['：', ':', '。', '；', ';'])).then(|| value.to_string())
    })
}

/// A prose chart's own title line and the name it gives.
type Title = (String, Option<String>);

/// The prose chart's own title (`综合科廉政风险点及防护措施`) and its name (`综合科`).
fn prose_title(line: &str, lr: &LayoutRules) -> Option<Title> {
    let s = line.trim();
    if s.chars().count() > 40 || split_marker(s).marker.is_some() {
        return None;
    }
    let c = compact(s);
    lr.prose.title_suffixes.iter().find_map(|suf| {
        c.strip_suffix(suf.as_str()).map(|name| {
            let name = squeeze_cjk(name);
            (s.to_string(), (!name.is_empty()).then_some(name))
        })
    })
}

/// A sub-heading inside a section: `（一）文件运转管理`, `（一）案件审核方面：`,
/// `）政务信息编发管理` (marker half lost), `公务接待管理` (none): short, no
/// sentence punctuation.
fn sub_heading(line: &str) -> Option<String> {
    let m = split_marker(line);
    let paren_han = m.marker.as_deref().is_some_and(|k| {
        k.starts_with(['(', '（']) && k.chars().any(|c| "一二三四五六七八九十".contains(c))
    });
    let text = if paren_han {
        m.text.clone()
    } else if m.marker.is_none() {
        line.trim()
            .trim_start_matches([')', '）'])
            .trim()
            .to_string()
    } else {
        return None;
    };
    let body = text.trim_end_matches(['：', ':']);
    let short = body.chars().count() <= 15;
    let sentence = body.contains(['。', '；', ';', '，', ',', '：', ':']);
    (short && !sentence && !body.is_empty()).then(|| body.to_string())
}

/// `（1）针对未及时将文件报送领导审批的风险点` → the risk it names.
fn targeted(line: &str, lr: &LayoutRules) -> Option<String> {
    let m = split_marker(line);
    let body = if m.marker.as_deref().is_some_and(|k| k.starts_with("措施")) {
        return None;
    } else {
        m.text
    };
    lr.prose
        .group_prefix
        .iter()
        .find_map(|p| body.strip_prefix(p.as_str()).map(|r| r.trim().to_string()))
}

/// Character pairs of `s` without the words common to every risk line.
fn pairs(s: &str, lr: &LayoutRules) -> HashSet<(char, char)> {
    let mut t = s.to_string();
    for w in &lr.prose.match_ignore {
        t = t.replace(w.as_str(), " ");
    }
    let chars: Vec<char> = t.chars().collect();
    chars
        .windows(2)
        .filter(|w| w.iter().all(|c| c.is_alphanumeric()))
        .map(|w| (w[0], w[1]))
        .collect()
}

/// Measure groups × risk points compared by content, at most.
const MAX_COMPARISONS: usize = 250_000;

/// A measure group on its way to a risk point.
#[derive(Debug, Default)]
struct Group<'a> {
    /// Section heading and `针对…` text, for matching.
    about: String,
    /// The `针对…` line as written, when there is one.
    target: Option<Line<'a>>,
    lines: Vec<Line<'a>>,
    /// One numbered line of a flat list (no heading, no 针对).
    flat: bool,
}

/// A risk point on its way: its lines and what it is about.
#[derive(Debug, Default)]
struct Risk<'a> {
    lines: Vec<Line<'a>>,
}

pub fn read(seg: &[&Block], rules: &Rules) -> Option<Vec<ChartDraft>> {
    let lr = layout_rules(rules)?;
    let mut lines: Vec<Line> = Vec::new();
    for (bi, b) in seg.iter().enumerate() {
        if b.kind == BlockKind::Image {
            continue;
        }
        for (li, l) in head::lines(b).into_iter().enumerate() {
            if !l.trim().is_empty() {
                lines.push(Line {
                    text: l.trim(),
                    origin: &b.origin,
                    at: (bi, li),
                });
            }
        }
    }
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            matches!(
                section_heading(lines[i].text, lr),
                Some((Section::Risks, _))
            )
        })
        .collect();
    if starts.is_empty() {
        return None;
    }

    let mut h = ChartDraft {
        layout: "prose".into(),
        ..Default::default()
    };
    let mut taken = head::read(seg, rules, &mut h);

    // Each chart begins at its own title just above its risks heading, if
    // any, or at the post label there (`岗位：办公室主任`).
    let mut begins: Vec<(usize, Option<Title>)> = Vec::new();
    let mut posts: Vec<Option<String>> = Vec::new();
    for &s in &starts {
        let floor = begins.last().map_or(0, |b| b.0 + 1);
        let above = s.saturating_sub(3).max(floor)..s;
        let title = above
            .clone()
            .rev()
            .find_map(|i| prose_title(lines[i].text, lr).map(|t| (i, t)));
        let post = above
            .rev()
            .find_map(|i| post_label(lines[i].text, lr).map(|p| (i, p)));
        match (title, post) {
            (Some((i, t)), _) => {
                begins.push((i, Some(t)));
                posts.push(None);
            }
            (None, Some((i, p))) => {
                begins.push((i, None));
                posts.push(Some(p));
            }
            (None, None) => {
                begins.push((s, None));
                posts.push(None);
            }
        }
    }
    // A head title that is not the prose title (a flow chart's title with
    // nothing under it) is not this chart's: it goes back to the text.
    if let (Some(t), Some((_, Some((pt, _))))) = (h.title.clone(), begins.first())
        && &t != pt
    {
        if let Some(l) = lines.iter().find(|l| l.text == t)
            && let Some(x) = taken.get_mut(l.at.0).and_then(|v| v.get_mut(l.at.1))
        {
            *x = false;
        }
        h.chars_placed = h.chars_placed.saturating_sub(count_chars(&t));
        h.title = None;
        h.category = None;
        h.category_raw = None;
        h.code = None;
    }
    let is_taken = |l: &Line| {
        taken
            .get(l.at.0)
            .and_then(|v| v.get(l.at.1))
            .copied()
            .unwrap_or(false)
    };

    let mut charts = Vec::new();
    for (k, (begin, title)) in begins.iter().enumerate() {
        let end = begins.get(k + 1).map_or(lines.len(), |b| b.0);
        let from = if k == 0 { 0 } else { *begin };
        let mut d = if k == 0 {
            h.clone()
        } else {
            ChartDraft {
                layout: "prose".into(),
                department: h.department.clone(),
                contacts: h.contacts.clone(),
                ..Default::default()
            }
        };
        d.location = lines[*begin].origin.to_string();
        if let Some((t, name)) = title {
            d.title = Some(t.clone());
            d.place(t);
            if d.name.is_none() || k > 0 {
                d.name = name.clone();
                d.name_from = name.as_ref().map(|_| "title".into());
                d.name_raw = name.as_ref().map(|_| t.clone());
            }
        }
        if let Some(post) = &posts[k] {
            let line = lines[*begin].text;
            d.place(line);
            if d.name.is_none() || k > 0 {
                d.name = Some(post.clone());
                d.name_from = Some("label".into());
                d.name_raw = Some(line.to_string());
            }
        }
        let body: Vec<Line> = (from..end)
            .filter(|&i| !((title.is_some() || posts[k].is_some()) && i == *begin))
            .map(|i| lines[i].clone())
            .filter(|l| !is_taken(l))
            .collect();
        read_chart(&mut d, &body, lr, rules);
        charts.push(d);
    }
    Some(charts)
}

fn read_chart<'a>(d: &mut ChartDraft, body: &[Line<'a>], lr: &LayoutRules, rules: &Rules) {
    let mut section: Option<Section> = None;
    let mut in_duties = false;
    let mut risks: Vec<Risk> = Vec::new();
    // Risk sub-headings group the lines under them into one risk point.
    let mut risk_grouped = false;
    let mut groups: Vec<Group> = Vec::new();
    let mut sub: Option<String> = None;
    // Runs of lines that fit nowhere: one note each.
    let mut loose: Vec<Vec<Line>> = Vec::new();
    let mut last_loose = false;
    // The grade a `二、风险等级：中` section gives every risk point.
    let mut grade: Option<crate::catalog::Grade> = None;

    for l in body {
        let text = l.text;
        if let Some((s, rest)) = section_heading(text, lr) {
            section = Some(s);
            in_duties = false;
            sub = None;
            last_loose = false;
            if s == Section::Grade {
                d.place(text);
                if !rest.is_empty() {
                    grade = section_grade(text, rest, rules);
                    section = None;
                }
                continue;
            }
            if !rest.is_empty() {
                for piece in split_items(rest) {
                    let line = Line {
                        text: within(&piece, text),
                        ..l.clone()
                    };
                    match s {
                        Section::Risks => risks.push(Risk { lines: vec![line] }),
                        Section::Measures => groups.push(Group {
                            flat: true,
                            lines: vec![line],
                            ..Default::default()
                        }),
                        Section::Grade => {}
                    }
                }
            }
            continue;
        }
        if is_duties(text, lr) {
            in_duties = true;
            section = None;
            push_loose(&mut loose, l, &mut last_loose);
            continue;
        }
        let stray = fields::is_title(text, rules) || fields::is_department(text, rules);
        if in_duties || section.is_none() || stray {
            push_loose(&mut loose, l, &mut last_loose);
            continue;
        }
        last_loose = false;
        match section {
            // `二、风险等级` ⏎ `中`: the value alone on the next line.
            Some(Section::Grade) => {
                d.place(text);
                grade = section_grade(text, text, rules);
                section = None;
            }
            Some(Section::Risks) => {
                let heading = sub_heading(text).is_some()
                    && (split_marker(text).marker.is_some() || text.ends_with(['：', ':']));
                if heading {
                    // `（一）案件审核方面：`: the lines below are one risk point
                    // (the heading itself is furniture).
                    risk_grouped = true;
                    risks.push(Risk::default());
                    continue;
                }
                let numbered = split_marker(text).n.is_some();
                match risks.last_mut() {
                    Some(r) if risk_grouped || !numbered => r.lines.push(l.clone()),
                    _ => risks.push(Risk {
                        lines: vec![l.clone()],
                    }),
                }
            }
            Some(Section::Measures) => {
                if let Some(t) = targeted(text, lr) {
                    groups.push(Group {
                        about: format!("{} {}", sub.clone().unwrap_or_default(), t),
                        target: Some(l.clone()),
                        ..Default::default()
                    });
                    continue;
                }
                if let Some(h) = sub_heading(text) {
                    sub = Some(h.clone());
                    groups.push(Group {
                        about: h,
                        ..Default::default()
                    });
                    continue;
                }
                let numbered = split_marker(text).n.is_some();
                match groups.last_mut() {
                    Some(g) if !g.flat && (sub.is_some() || g.target.is_some()) => {
                        g.lines.push(l.clone())
                    }
                    Some(g) if g.flat && !numbered => g.lines.push(l.clone()),
                    _ if numbered => groups.push(Group {
                        flat: true,
                        lines: vec![l.clone()],
                        ..Default::default()
                    }),
                    // A line before any group (`对上述廉政风险点，要…`): fits nowhere.
                    _ => push_loose(&mut loose, l, &mut last_loose),
                }
            }
            None => {}
        }
    }
    risks.retain(|r| !r.lines.is_empty());
    groups.retain(|g| !g.lines.is_empty() || g.target.is_some());

    // Risk points.
    for r in &risks {
        let mut p = PointDraft {
            grade: grade.clone(),
            origin: r
                .lines
                .first()
                .map(|l| l.origin.to_string())
                .unwrap_or_default(),
            ..Default::default()
        };
        for l in &r.lines {
            d.place(l.text);
            for piece in split_items(l.text) {
                p.items.push(LineDraft::new(&piece, l.origin));
            }
        }
        d.points.push(p);
    }
    // Measures → risk points.
    let all_flat = groups.iter().all(|g| g.flat);
    let n_risks = d.points.len();
    if all_flat && !groups.is_empty() && groups.len() != n_risks {
        // A flat list that cannot be paired: one chart-wide risk point.
        let mut p = PointDraft {
            origin: groups[0]
                .lines
                .first()
                .map(|l| l.origin.to_string())
                .unwrap_or_default(),
            ..Default::default()
        };
        for g in &groups {
            add_measures(d, &mut p, &g.lines, rules);
        }
        d.points.push(p);
    } else {
        let risk_pairs: Vec<HashSet<(char, char)>> = risks
            .iter()
            .map(|r| pairs(&r.lines.iter().map(|l| l.text).collect::<String>(), lr))
            .collect();
        let mut used = vec![false; n_risks];
        for (gi, g) in groups.iter().enumerate() {
            let target = if all_flat {
                Some(gi)
            } else if groups.len().saturating_mul(n_risks) > MAX_COMPARISONS {
                // Too many to compare (a hostile file): each group stands alone.
                None
            } else {
                let gp = pairs(&g.about, lr);
                risk_pairs
                    .iter()
                    .enumerate()
                    .map(|(i, rp)| (i, rp.intersection(&gp).count()))
                    .filter(|(_, n)| *n >= lr.prose.match_min)
                    .max_by_key(|(i, n)| (*n, std::cmp::Reverse(*i)))
                    .map(|(i, _)| i)
            };
            match target {
                Some(i) if i < n_risks && !used[i] => {
                    used[i] = true;
                    let mut p = std::mem::take(&mut d.points[i]);
                    add_measures(d, &mut p, &g.lines, rules);
                    d.points[i] = p;
                }
                // No risk point of its own in section 一: the 针对 line names it.
                _ => {
                    let origin = g
                        .target
                        .as_ref()
                        .or(g.lines.first())
                        .map(|l| l.origin.to_string())
                        .unwrap_or_default();
                    let mut p = PointDraft {
                        origin,
                        ..Default::default()
                    };
                    if let Some(t) = &g.target {
                        d.place(t.text);
                        p.items.push(LineDraft::new(t.text, t.origin));
                    }
                    add_measures(d, &mut p, &g.lines, rules);
                    d.points.push(p);
                }
            }
        }
    }
    for run in loose {
        let text: Vec<&str> = run.iter().map(|l| l.text).collect();
        let origin = run.first().map(|l| l.origin).unwrap_or("");
        d.unplaced(
            origin,
            &text.join("\n"),
            "这段文字不是风险点或防控措施（如科室职责），已原样保留。",
        );
    }
    if d.points.is_empty() {
        let origin = d.location.clone();
        d.note(
            "chart.unplaced_text",
            Severity::Info,
            &origin,
            "廉政风险点一节没有可读的内容。",
            "",
        );
    }
}

/// The grade a grade section states (`中`, `B级`, `★★`), as written in `raw`.
fn section_grade(raw: &str, value: &str, rules: &Rules) -> Option<crate::catalog::Grade> {
    let line = crate::recognise::grades::grade_line(&format!("风险等级：{}", value.trim()), rules)?;
    let mut g = line.grade?;
    g.raw = raw.trim().to_string();
    Some(g)
}

/// Add `l` to the current run of loose lines, or start a run.
fn push_loose<'a>(loose: &mut Vec<Vec<Line<'a>>>, l: &Line<'a>, last: &mut bool) {
    match loose.last_mut() {
        Some(run) if *last => run.push(l.clone()),
        _ => loose.push(vec![l.clone()]),
    }
    *last = true;
}

/// `piece` (split from `line`, trimmed) as a slice of `line`, so that lines
/// keep borrowing the segment.
fn within<'a>(piece: &str, line: &'a str) -> &'a str {
    line.find(piece).map_or("", |i| &line[i..i + piece.len()])
}

fn add_measures(d: &mut ChartDraft, p: &mut PointDraft, lines: &[Line], rules: &Rules) {
    for l in lines {
        d.place(l.text);
        for piece in split_items(l.text) {
            match fields::responsible_line(&piece, rules) {
                Some(names) => p.responsible.extend(names),
                None => p.measures.push(LineDraft::new(&piece, l.origin)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    fn paras(lines: &[&str]) -> Vec<Block> {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| Block {
                text: l.to_string(),
                kind: BlockKind::Paragraph,
                rect: None,
                page: 0,
                origin: format!("line {}", i + 1),
            })
            .collect()
    }

    fn charts(lines: &[&str]) -> Vec<ChartDraft> {
        let doc = Document {
            blocks: paras(lines),
            ..Default::default()
        };
        crate::layout::charts(&doc, &Rules::builtin())
    }

    fn raws(l: &[LineDraft]) -> Vec<String> {
        l.iter().map(|x| x.raw.clone()).collect()
    }

    /// Seed 004's 综合科 part (shortened lines), after a flow title with nothing under it.
    const ZONGHE: &[&str] = &[
        "老干部工作流程图",
        "",
        "综合科廉政风险点及防护措施",
        "一、廉政风险点:",
        "1.在文件运转管理方面,存在未及时将文件报送领导审批、文件多环节运转后去向不明等风险。",
        "2.在印章使用管理方面,存在未审批盖章和批量盖章时不派员监印致使印章使用失控的风险。",
        "3.在宣传、会议、公务接待等事务性支出方面,有扩大支出范围、虚列支出的风险。",
        "4.公务车辆管理方面,管理不规范,有造成公车私用、车辆维修保养少修多报的风险。",
        "二、防护措施:",
        "对上述廉政风险点,要综合采取加强教育、合理分权、完善程序等多种措施,进行有效防范。",
        "(一)文件运转管理",
        "(1)针对未及时将文件报送领导审批的风险点",
        "措施一:文件管理员快速浏览文件。措施二:加强文件跟踪管理。",
        "(2)针对文件多环节运转后去向不明的风险点",
        "措施一:与文件收发清单仔细核对。",
        "(二)印章使用管理",
        "(1)针对未审批盖章的风险点",
        "措施一:严格落实机关印章使用管理规定。",
        ")保密工作",
        "针对泄密风险点",
        "措施一:严格保密制度。",
        "(五)公务车辆管理",
        "针对维修保养、公车私用等风险点",
        "措施一:严格用车派车手续。措施二:严格用车范围。",
        "公务接待管理",
        "针对扩大支出范围、虚列支出、超标接待等风险点",
        "措施一:合理界定公务接待范围。",
        "",
        "周口市人民防空办公室",
        "指通科科室职责",
        "1.负责组织制定城市人民防空袭方案;",
        "2监督指导重要目标单位落实人民防空要求;",
    ];

    #[test]
    fn zonghe_risks_with_their_measures() {
        let cs = charts(ZONGHE);
        let prose: Vec<&ChartDraft> = cs.iter().filter(|c| c.layout == "prose").collect();
        assert_eq!(prose.len(), 1, "{cs:?}");
        let d = prose[0];
        assert_eq!(d.title.as_deref(), Some("综合科廉政风险点及防护措施"));
        assert_eq!(d.name.as_deref(), Some("综合科"));
        assert_eq!(d.location, "line 3");
        let got: Vec<(Vec<String>, Vec<String>)> = d
            .points
            .iter()
            .map(|p| (raws(&p.items), raws(&p.measures)))
            .collect();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<String>>();
        assert_eq!(
            got,
            vec![
                (
                    s(&[
                        "1.在文件运转管理方面,存在未及时将文件报送领导审批、文件多环节运转后去向不明等风险。"
                    ]),
                    s(&[
                        "措施一:文件管理员快速浏览文件。",
                        "措施二:加强文件跟踪管理。"
                    ])
                ),
                (
                    s(&[
                        "2.在印章使用管理方面,存在未审批盖章和批量盖章时不派员监印致使印章使用失控的风险。"
                    ]),
                    s(&["措施一:严格落实机关印章使用管理规定。"])
                ),
                (
                    s(&[
                        "3.在宣传、会议、公务接待等事务性支出方面,有扩大支出范围、虚列支出的风险。"
                    ]),
                    s(&["措施一:合理界定公务接待范围。"])
                ),
                (
                    s(&[
                        "4.公务车辆管理方面,管理不规范,有造成公车私用、车辆维修保养少修多报的风险。"
                    ]),
                    s(&["措施一:严格用车派车手续。", "措施二:严格用车范围。"])
                ),
                // A second group for risk 1, and a group no risk line names.
                (
                    s(&["(2)针对文件多环节运转后去向不明的风险点"]),
                    s(&["措施一:与文件收发清单仔细核对。"])
                ),
                (s(&["针对泄密风险点"]), s(&["措施一:严格保密制度。"])),
            ]
        );
        assert!(
            d.points
                .iter()
                .all(|p| p.step.is_none() && p.grade.is_none())
        );
        assert_eq!(d.points[0].measures[1].marked.n, Some(2));
        // The flow title above, with nothing under it (its drawing was a
        // picture), is a chart of its own with no steps, not part of the
        // prose chart; the preamble and the next office's duties are
        // unplaced, not risks.
        let pictured: Vec<&ChartDraft> = cs
            .iter()
            .filter(|c| c.title.as_deref() == Some("老干部工作流程图"))
            .collect();
        assert_eq!(pictured.len(), 1);
        assert!(pictured[0].image_only && pictured[0].steps.is_empty());
        assert_eq!(pictured[0].name.as_deref(), Some("老干部工作"));
        let notes: Vec<&str> = d.notes.iter().map(|n| n.evidence.as_str()).collect();
        assert_eq!(
            notes,
            vec![
                "对上述廉政风险点,要综合采取加强教育、合理分权、完善程序等多种措施,进行有效防范。",
                "周口市人民防空办公室\n指通科科室职责\n1.负责组织制定城市人民防空袭方案;\n2监督指导重要目标单位落实人民防空要求;",
            ]
        );
    }

    #[test]
    fn flat_lists_pair_in_order_or_stay_chart_wide() {
        let cs = charts(&[
            "指通科廉政风险点及防护措施",
            "  一、廉政风险点:",
            "1、可能存在修改不及时和泄密风险。",
            "2、可能存在宣传不到位的风险。",
            "  二、防护措施:",
            "1、及时修订方案，严防泄密。",
            "2、认真组织开展宣传教育",
        ]);
        assert_eq!(cs.len(), 1);
        let got: Vec<(Vec<String>, Vec<String>)> = cs[0]
            .points
            .iter()
            .map(|p| (raws(&p.items), raws(&p.measures)))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    vec!["1、可能存在修改不及时和泄密风险。".to_string()],
                    vec!["1、及时修订方案，严防泄密。".to_string()]
                ),
                (
                    vec!["2、可能存在宣传不到位的风险。".to_string()],
                    vec!["2、认真组织开展宣传教育".to_string()]
                ),
            ]
        );
        assert_eq!(cs[0].name.as_deref(), Some("指通科"));

        let cs = charts(&[
            "法制科廉政风险点及防护措施",
            "一、廉政风险点:",
            "(一)案件审核方面:",
            "1.审核把关不严。",
            "2.审核效率不高。",
            "(三)行政执法方面:",
            "在行政执法中，存在不按程序操作等廉政风险点",
            "二、防护措施:",
            "1.强化法制教育培训。",
            "2.认真执行人防法律法规。",
            "3.不断规范案件处理流程。",
        ]);
        let got: Vec<(Vec<String>, Vec<String>)> = cs[0]
            .points
            .iter()
            .map(|p| (raws(&p.items), raws(&p.measures)))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    vec![
                        "1.审核把关不严。".to_string(),
                        "2.审核效率不高。".to_string()
                    ],
                    vec![]
                ),
                (
                    vec!["在行政执法中，存在不按程序操作等廉政风险点".to_string()],
                    vec![]
                ),
                (
                    vec![],
                    vec![
                        "1.强化法制教育培训。".to_string(),
                        "2.认真执行人防法律法规。".to_string(),
                        "3.不断规范案件处理流程。".to_string()
                    ]
                ),
            ]
        );
        assert!(cs[0].notes.is_empty(), "{:?}", cs[0].notes);
    }

    #[test]
    fn inline_content_after_headings() {
        let cs = charts(&[
            "一、廉政风险点：1.公车私用。2.虚报费用。",
            "二、防控措施：1.派车登记。2.审核报销。",
        ]);
        assert_eq!(cs.len(), 1);
        assert_eq!(cs[0].layout, "prose");
        let got: Vec<(Vec<String>, Vec<String>)> = cs[0]
            .points
            .iter()
            .map(|p| (raws(&p.items), raws(&p.measures)))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    vec!["1.公车私用。".to_string()],
                    vec!["1.派车登记。".to_string()]
                ),
                (
                    vec!["2.虚报费用。".to_string()],
                    vec!["2.审核报销。".to_string()]
                ),
            ]
        );
        // The headings themselves are furniture; everything else is placed.
        assert_eq!(
            cs[0].chars_placed,
            count_chars("1.公车私用。2.虚报费用。1.派车登记。2.审核报销。")
        );
    }

    #[test]
    fn duty_lists_alone_are_not_prose() {
        let blocks = paras(&[
            "综合科科室职责",
            "1、综合协调机关和直属单位工作。",
            "2、文电、会务、机要。",
        ]);
        let seg: Vec<&Block> = blocks.iter().collect();
        assert!(read(&seg, &Rules::builtin()).is_none());
    }
}

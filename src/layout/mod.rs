//! Layout: a Document's blocks → chart drafts. `segment` splits the blocks
//! into charts; each chart is then read by the layout that fits its shape
//! (`flow` for positioned boxes; `text` for blocks that fit no chart shape).

pub mod draft;
pub mod flow;
pub mod head;
pub mod labelled;
pub mod list;
pub mod prose;
pub mod runon;
pub mod segment;
pub mod stages;
pub mod table;
pub mod ties;

use crate::document::{Block, BlockKind, Document};
use crate::recognise::fields;
use crate::recognise::fields::compact;
use crate::rules::Rules;
pub use draft::{ChartDraft, LineDraft, Note, PointDraft};
use std::collections::{HashMap, HashSet};

/// All charts of one document, in document order, each with a name
/// (`name_from` says where it came from; the file name is the ingest's
/// fallback when the document names nothing).
pub fn charts(doc: &Document, rules: &Rules) -> Vec<ChartDraft> {
    // Some formats keep boxes apart from the text they sit on (the .doc
    // text-box story comes after the main text): put every block on its page,
    // keeping stream order within a page.
    let mut blocks: Vec<&Block> = doc.blocks.iter().collect();
    blocks.sort_by_key(|b| b.page);
    let segs = segment::segments(&blocks, rules);
    let repeated = repeated_lines(&segs);
    let (drafts, learned) = read_all(&segs, rules, &repeated, &ties::Memory::default());
    // Charts without geometry tie their boxes to steps better with what
    // the file's other charts teach: read them again with that memory.
    if learned.is_empty() || !drafts.iter().any(|d| d.order_only) {
        return fold_contentless(drafts);
    }
    fold_contentless(read_all(&segs, rules, &repeated, &learned).0)
}

/// A stretch of text that names no chart and holds nothing of one (no
/// step, risk point, contact or picture: a download site's preamble, an
/// essay between two charts) is not a chart. Its text stays, as notes, with
/// the chart before it (the first chart, for text before all of them). A
/// file with no chart at all keeps it as its one chart.
fn fold_contentless(drafts: Vec<ChartDraft>) -> Vec<ChartDraft> {
    // Steps alone under a title and heading that name nothing are a generic
    // diagram (宣传动员 → 排查风险 → …), not a chart of a power or post.
    let empty = |d: &ChartDraft| {
        d.name_from.is_none() && d.points.is_empty() && d.contacts.is_empty() && !d.image_only
    };
    if drafts.iter().all(empty) {
        return drafts;
    }
    let mut out: Vec<ChartDraft> = Vec::with_capacity(drafts.len());
    let mut waiting: Vec<ChartDraft> = Vec::new();
    for d in drafts {
        if !empty(&d) {
            out.push(d);
            let host = out.last_mut().expect("just pushed");
            for w in waiting.drain(..) {
                absorb(host, w);
            }
        } else if let Some(host) = out.last_mut() {
            absorb(host, d);
        } else {
            waiting.push(d);
        }
    }
    out
}

fn absorb(host: &mut ChartDraft, mut d: ChartDraft) {
    // Its title (a heading that named nothing) is kept as evidence too;
    // its characters were counted already.
    if let Some(t) = d.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        host.note(
            "chart.unplaced_text",
            crate::catalog::Severity::Warning,
            &d.location,
            "标题下没有可识别的图表内容，已原样保留。",
            t,
        );
    }
    // The steps of a diagram that names nothing, as written, one per line.
    if !d.steps.is_empty() {
        let steps: Vec<&str> = d.steps.iter().map(|s| s.raw.as_str()).collect();
        host.note(
            "chart.unplaced_text",
            crate::catalog::Severity::Warning,
            &d.location,
            "这组流程环节没有名称，也没有风险点，不像一张职权或岗位的图表，已原样保留。",
            steps.join("\n"),
        );
    }
    for n in &mut d.notes {
        // The notes were about no risk point of the host.
        n.point = None;
        n.step = None;
    }
    host.chars_placed += d.chars_placed;
    host.notes.append(&mut d.notes);
}

fn read_all(
    segs: &[Vec<&Block>],
    rules: &Rules,
    repeated: &HashSet<String>,
    memory: &ties::Memory,
) -> (Vec<ChartDraft>, ties::Memory) {
    let mut out = Vec::new();
    let mut learned = ties::Memory::default();
    // The last heading read that was not a chart: names the next chart that
    // names nothing itself.
    let mut heading: Option<String> = None;
    // The department of a page whose head is furniture (an office's duty
    // list before its chart): the next chart's department.
    let mut department: Option<String> = None;
    // A title over nothing but risk boxes no step took (a PDF puts a
    // chart's `风险表现` boxes above its title, under the page's heading):
    // the boxes wait for the next chart, whose step labels may lack them.
    let mut held: Option<(ChartDraft, &[&Block])> = None;
    for seg in segs {
        let mut drafts = match shape(seg, rules, repeated) {
            Shape::Empty => continue,
            Shape::Headings(last) => {
                heading = last.or(heading);
                continue;
            }
            Shape::Furniture(dept) => {
                department = dept.or(department);
                continue;
            }
            Shape::TitleOnly => vec![title_only(seg, rules)],
            Shape::Content => {
                let (mut drafts, l) = read_segment(seg, rules, memory);
                learned.merge(l);
                if let Some((boxes, carried)) = held.take() {
                    match take_boxes(seg, carried, &drafts, rules, memory) {
                        Some(mut taken) => {
                            heading_kept(&mut taken[0], &boxes, rules);
                            drafts = taken;
                        }
                        None => out.push(boxes),
                    }
                }
                drafts
            }
        };
        if let Some((boxes, _)) = held.take() {
            out.push(boxes);
        }
        for d in &mut drafts {
            name(d, heading.as_deref(), rules);
            if d.department.is_none() {
                d.department = department.clone();
            }
        }
        if !drafts.is_empty() {
            heading = None;
            department = None;
        }
        if let [d] = drafts.as_slice()
            && boxes_only(d)
            && let Some(title) = seg.first()
            && d.title
                .as_deref()
                .is_some_and(|t| title.text.contains(t.trim()))
        {
            held = drafts.pop().map(|d| (d, &seg[1..]));
            continue;
        }
        out.extend(drafts);
    }
    if let Some((boxes, _)) = held {
        out.push(boxes);
    }
    (out, learned)
}

/// Nothing under the title but risk boxes that no step took and that carry
/// no label, grade or measure.
fn boxes_only(d: &ChartDraft) -> bool {
    d.steps.is_empty()
        && d.contacts.is_empty()
        && !d.image_only
        && !d.points.is_empty()
        && d.points.iter().all(|p| {
            p.step.is_none() && p.label.is_none() && p.grade.is_none() && p.measures.is_empty()
        })
}

/// Step labels still waiting for their risk (`风险点 A1-3等级 高` with no
/// `风险表现`).
fn waiting_labels(d: &ChartDraft) -> usize {
    d.points
        .iter()
        .filter(|p| p.label.is_some() && p.step.is_some() && p.items.is_empty())
        .count()
}

/// The chart read again with the held boxes after its text, when
/// that gives labels their risks; `None` when it has no label waiting or
/// the boxes give none.
fn take_boxes(
    seg: &[&Block],
    carried: &[&Block],
    drafts: &[ChartDraft],
    rules: &Rules,
    memory: &ties::Memory,
) -> Option<Vec<ChartDraft>> {
    let [d] = drafts else { return None };
    let before = waiting_labels(d);
    if before == 0 {
        return None;
    }
    // After the chart's own text, so its steps read as before.
    let joined: Vec<&Block> = seg.iter().chain(carried).copied().collect();
    let (again, _) = read_segment(&joined, rules, memory);
    match again.as_slice() {
        [a] if waiting_labels(a) < before && a.steps.len() == d.steps.len() => Some(again),
        _ => None,
    }
}

/// The title whose boxes went to the next chart stays with it, as written;
/// when it names only an office (`商务局招商办廉政风险防控流程图`), that is
/// the chart's department.
fn heading_kept(host: &mut ChartDraft, boxes: &ChartDraft, rules: &Rules) {
    if host.department.is_none()
        && let Some(n) = boxes
            .name
            .as_deref()
            .filter(|n| fields::is_department(n, rules))
    {
        host.department = Some(n.to_string());
    }
    if let Some(t) = boxes
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        host.note(
            "chart.unplaced_text",
            crate::catalog::Severity::Warning,
            &boxes.location,
            "标题下只有未对应环节的风险表现框，已归入下一张图；标题原样保留。",
            t,
        );
        host.chars_placed += t.chars().count();
    }
}

/// Charts of loose blocks (the words after a run-on paragraph).
fn read_words(blocks: &[&Block], rules: &Rules) -> Vec<ChartDraft> {
    let segs = segment::segments(blocks, rules);
    let repeated = repeated_lines(&segs);
    read_all(&segs, rules, &repeated, &ties::Memory::default()).0
}

/// What a segment holds before any layout reads it.
enum Shape {
    Empty,
    /// Headings only, none of them a chart's own title (a page header, a
    /// web page's `<title>` repeated as its heading): the last one, if any.
    Headings(Option<String>),
    /// A chart title and nothing to read under it: the chart was a picture.
    TitleOnly,
    /// Page furniture only — a department line, an office's duty list
    /// (`科室职责` and its numbered duties), notes, numbers: its department.
    Furniture(Option<String>),
    Content,
}

fn shape(seg: &[&Block], rules: &Rules, repeated: &HashSet<String>) -> Shape {
    if seg
        .iter()
        .all(|b| b.text.trim().is_empty() && b.kind != BlockKind::Image)
    {
        return Shape::Empty;
    }
    let heading = |l: &str| {
        let l = l.trim();
        l.is_empty()
            || fields::is_title(l, rules)
            || fields::is_department(l, rules)
            || fields::is_noise(l, rules)
    };
    if !seg
        .iter()
        .all(|b| b.kind != BlockKind::Image && b.text.lines().all(heading))
    {
        return furniture(seg, rules).map_or(Shape::Content, Shape::Furniture);
    }
    let lines: Vec<&str> = seg
        .iter()
        .flat_map(|b| b.text.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    // A title that appears once is a chart whose drawing the text lost; a
    // title repeated through the document is its running header, and one
    // that names nothing (`2020年廉政风险工作流程图及…一览表`) a section
    // heading.
    let own_title = lines.iter().any(|l| {
        fields::is_title(l, rules)
            && !fields::is_noise(l, rules)
            && !repeated.contains(page_key(l).as_ref())
            && fields::title_name(l, rules).is_some()
    });
    if own_title {
        Shape::TitleOnly
    } else {
        Shape::Headings(
            lines
                .iter()
                .rev()
                .find(|l| !fields::is_noise(l, rules))
                .map(|l| l.to_string()),
        )
    }
}

/// A segment of paragraphs that holds no chart: department lines, noise,
/// and duty lists (a heading ending in 职责 with the numbered lines under
/// it). Returns its department, if any.
fn furniture(seg: &[&Block], rules: &Rules) -> Option<Option<String>> {
    if seg.iter().any(|b| b.kind != BlockKind::Paragraph) {
        return None;
    }
    let duties = &rules.tables.prose.duties;
    let mut department = None;
    let mut in_duties = false;
    let mut any_duty = false;
    for l in seg.iter().flat_map(|b| b.text.lines()).map(str::trim) {
        if l.is_empty() || fields::is_noise(l, rules) {
            continue;
        }
        if fields::is_department(l, rules) && !in_duties {
            department.get_or_insert_with(|| fields::without_image_marks(l).trim().to_string());
            continue;
        }
        if duties.iter().any(|w| compact(l).ends_with(w.as_str())) {
            in_duties = true;
            any_duty = true;
            continue;
        }
        if in_duties && crate::recognise::markers::split_marker(l).n.is_some() {
            continue;
        }
        return None;
    }
    any_duty.then_some(department)
}

/// A line without spaces and without a ` - site name` tail (a web page's
/// `<title>` is its heading plus the site).
fn page_key(line: &str) -> std::borrow::Cow<'_, str> {
    // The first place a separator starts; each begins with ` ` or `_`, so
    // one byte search finds the candidates (four `find`s over every line of
    // every file were a hot spot of layout).
    let b = line.as_bytes();
    let cut = memchr::memchr2_iter(b' ', b'_', b).find(|&i| {
        b[i] == b'_'
            || [" - ", " — ", " | "]
                .iter()
                .any(|sep| b[i..].starts_with(sep.as_bytes()))
    });
    compact(cut.map_or(line, |at| &line[..at]))
}

/// Lines that occur more than once in the document: running headers and a
/// page's title repeated as its heading, never a chart's own title.
fn repeated_lines(segs: &[Vec<&Block>]) -> HashSet<String> {
    // Keys borrowed from the blocks when they hold no space; a hasher made
    // for short keys (every line of the document is counted).
    let mut seen: HashMap<_, usize, foldhash::fast::RandomState> = HashMap::default();
    for seg in segs {
        for b in seg {
            for l in b.text.lines() {
                let l = page_key(l);
                if !l.is_empty() && l.chars().count() <= 60 {
                    *seen.entry(l).or_default() += 1;
                }
            }
        }
    }
    seen.into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(l, _)| l.into_owned())
        .collect()
}

/// A chart known only by its title: no steps, no risk points; a picture
/// in the original (`chart.no_steps` follows from the check).
fn title_only(seg: &[&Block], rules: &Rules) -> ChartDraft {
    let mut d = ChartDraft {
        layout: "flow".into(),
        location: seg.first().map(|b| b.origin.clone()).unwrap_or_default(),
        ..Default::default()
    };
    let taken = head::read(seg, rules, &mut d);
    for (i, b) in seg.iter().enumerate() {
        let rest = head::untaken(b, &taken, i).join("\n");
        d.unplaced(&b.origin, &rest, "标题之外的文字无法归入图表，已原样保留。");
    }
    d.image_only = true;
    d
}

/// A chart that names nothing itself is named by its title without the
/// generic part, else by the heading above it; `name_from` says which.
fn name(d: &mut ChartDraft, heading: Option<&str>, rules: &Rules) {
    if d.name.as_deref().is_some_and(|n| !n.trim().is_empty()) {
        d.name_from.get_or_insert("label".into());
        return;
    }
    if let Some(n) = d
        .title
        .as_deref()
        .and_then(|t| fields::title_name(t, rules))
    {
        d.name = Some(n);
        d.name_from = Some("title".into());
    } else if let Some(h) = heading.and_then(|h| fields::title_name(h, rules)) {
        d.name = Some(h);
        d.name_from = Some("heading".into());
    } else {
        d.name = None;
        d.name_from = None;
    }
}

/// Read one segment with the layout that fits it: boxes with text ⇒ flow;
/// else table, list or prose when one recognises its shape; else flow
/// (which keeps whatever it cannot place as findings).
fn read_segment(
    seg: &[&Block],
    rules: &Rules,
    memory: &ties::Memory,
) -> (Vec<ChartDraft>, ties::Memory) {
    if let Some((mut charts, after)) = runon::read(seg, rules) {
        charts.extend(after);
        return (charts, ties::Memory::default());
    }
    // A flow chart written out as labelled text: read as the stream it is.
    if let Some(blocks) = labelled::rewrite(seg, rules) {
        let refs: Vec<&Block> = blocks.iter().collect();
        let (d, learned) = flow::read_with(&refs, rules, memory);
        return (vec![d], learned);
    }
    let boxes = seg
        .iter()
        .filter(|b| {
            matches!(b.kind, BlockKind::TextBox | BlockKind::Shape) && !b.text.trim().is_empty()
        })
        .count();
    if boxes < 2 {
        for layout in [table::read, list::read, prose::read] {
            if let Some(charts) = layout(seg, rules) {
                return (charts, ties::Memory::default());
            }
        }
    } else if let Some(charts) = list::read(seg, rules) {
        // Step boxes with `风险点N` label boxes beside them.
        return (charts, ties::Memory::default());
    }
    let (d, learned) = flow::read_with(seg, rules, memory);
    (vec![d], learned)
}

#[cfg(test)]
mod tests {
    use super::page_key;

    #[test]
    fn a_page_key_is_the_line_before_its_site_name_without_spaces() {
        assert_eq!(
            page_key("行政许可 流程图 - 某某市人民政府"),
            "行政许可流程图"
        );
        assert_eq!(page_key("行政处罚流程图_某某网"), "行政处罚流程图");
        assert_eq!(page_key("采购流程图 | 门户 - 网站"), "采购流程图");
        assert_eq!(page_key("财务报销 — 某局"), "财务报销");
        // A dash without spaces round it is part of the line.
        assert_eq!(page_key("2020-2021年 风险点"), "2020-2021年风险点");
        assert_eq!(page_key(""), "");
    }
}

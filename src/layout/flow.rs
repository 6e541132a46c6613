//! The `flow` layout: a chart drawn as boxes — measures and 责任人 in one
//! column, the workflow steps in the middle, risks and grades in another.
//!
//! Boxes are classified by content first (a grade ⇒ risk box, a 责任人 line ⇒
//! measure box, a short unnumbered line ⇒ step), then by column (the header
//! boxes give the columns' x-ranges, so mirrored charts read right; without
//! headers, the mean x of the boxes already classified). Each risk and
//! measure box belongs to the step whose box overlaps it most vertically,
//! else the nearest. Without geometry, boxes are tied to the step before
//! them in stream order, and the chart says so (`chart.order_only`).

use super::draft::{ChartDraft, LineDraft, PointDraft};
use super::head;
use super::stages;
use super::table::{Role, reads_as_measure, reads_as_risk, role_of};
use super::ties::{self, BlockRole, Memory, StreamBlock, StreamStep};
use crate::catalog::Severity;
use crate::document::{Block, BlockKind, Rect};
use crate::recognise::fields::{self, Column};
use crate::recognise::grades::{
    GradeLine, grade_label, grade_line, risk_label_in, trailing_grade, trailing_risk_label,
};
use crate::recognise::markers::split_marker;
use crate::rules::Rules;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Step,
    Risk,
    Measure,
    Unplaced,
}

/// What content alone says about a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hint {
    Risk,
    Measure,
    StepLike,
    Unknown,
}

/// A box that is left after the head was read.
struct Piece<'a> {
    block: &'a Block,
    lines: Vec<&'a str>,
    /// Position in the segment (stream order).
    order: usize,
    /// A risk label split off a step box: belongs to the step piece of the
    /// same block and order.
    bound: bool,
    /// What the piece is, when its words decided it (a chart without
    /// closing lines); else its hint and column decide.
    read_as: Option<Kind>,
    /// Each line with its grade statement, once asked (see [`Piece::grades`]).
    grades: std::cell::OnceCell<Vec<(&'a str, Option<GradeLine>)>>,
}

impl<'a> Piece<'a> {
    /// Each line with its grade statement ([`grade_line`]), read once: the
    /// hint, the risk loop and `fill_risk` all ask, and grading was a hot
    /// spot of layout. Kept with the lines it was read from, so a piece
    /// built from another (or grown since) is read afresh, never answered
    /// for lines it does not hold.
    fn grades(&self, rules: &Rules) -> std::borrow::Cow<'_, [(&'a str, Option<GradeLine>)]> {
        let read = || -> Vec<(&'a str, Option<GradeLine>)> {
            self.lines
                .iter()
                .map(|&l| (l, grade_line(l, rules)))
                .collect()
        };
        let cached = self.grades.get_or_init(read);
        let same = cached.len() == self.lines.len()
            && cached
                .iter()
                .zip(&self.lines)
                .all(|((c, _), l)| std::ptr::eq(*c, *l));
        if same {
            std::borrow::Cow::Borrowed(cached)
        } else {
            std::borrow::Cow::Owned(read())
        }
    }

    /// Does any line state a grade?
    fn graded(&self, rules: &Rules) -> bool {
        self.grades(rules).iter().any(|(_, g)| g.is_some())
    }

    /// One line of this piece's block, as a piece of its own (unbound).
    fn line(&self, line: &'a str, read_as: Option<Kind>) -> Piece<'a> {
        Piece {
            block: self.block,
            lines: vec![line],
            order: self.order,
            bound: false,
            read_as,
            grades: Default::default(),
        }
    }

    fn text(&self) -> String {
        self.lines.join("\n")
    }
    fn rect(&self) -> Option<Rect> {
        self.block.rect
    }
}

pub fn read(seg: &[&Block], rules: &Rules) -> ChartDraft {
    read_with(seg, rules, &Memory::default()).0
}

/// Read a flow chart; without geometry, `memory` (blocks tied to steps in
/// the file's other charts) is evidence too. Also returns the ties this
/// chart can teach the others.
pub fn read_with(seg: &[&Block], rules: &Rules, memory: &Memory) -> (ChartDraft, Memory) {
    let mut d = ChartDraft {
        layout: "flow".into(),
        location: seg.first().map(|b| b.origin.clone()).unwrap_or_default(),
        ..Default::default()
    };
    let taken = head::read(seg, rules, &mut d);

    let mut headers: Vec<(Column, Rect)> = Vec::new();
    let mut boxes: Vec<Piece> = Vec::new();
    let mut loose: Vec<Piece> = Vec::new();
    // Where the column headers stand in the stream.
    let mut header_lines: Vec<(usize, Column)> = Vec::new();
    let mut images = 0;
    for (i, b) in seg.iter().enumerate() {
        if b.kind == BlockKind::Image {
            images += 1;
            continue;
        }
        let lines: Vec<&str> = head::untaken(b, &taken, i)
            .into_iter()
            .map(fields::without_image_marks)
            .filter(|l| !l.is_empty())
            .flat_map(|l| fields::split_run_together(l, rules))
            .collect();
        if lines.is_empty() {
            continue;
        }
        let piece = Piece {
            block: b,
            lines,
            order: i,
            bound: false,
            read_as: None,
            grades: Default::default(),
        };
        let text = piece.text();
        // A line of column heads side by side (`采购工作流程 廉政风险点
        // 防控措施`): furniture.
        if is_header_row(&text, rules) {
            d.place(&text);
            continue;
        }
        // A verdict on an arrow (`初审合格`, `不予批准`): furniture too.
        if lines_are_arrow_label(&piece, rules) {
            d.place(&text);
            continue;
        }
        if let Some(col) = fields::header_kind(&text, rules) {
            // Column headers are furniture; their positions give the columns.
            if let Some(r) = b.rect {
                headers.push((col, r));
            }
            header_lines.push((i, col));
            continue;
        }
        match b.kind {
            BlockKind::TextBox | BlockKind::Shape => boxes.push(piece),
            _ => loose.push(piece),
        }
    }

    // A flattened flow chart (text, a web page): no boxes, only lines.
    // Regroup the lines into the boxes they came from, in stream order.
    if boxes.is_empty() && loose.iter().all(|p| p.block.kind == BlockKind::Paragraph) {
        // The chart's boxes start at its column headers: text between its
        // head and a header row that comes late (a .doc's text-box story
        // holding the boxes of the charts before it) is not the chart's.
        if let Some(first) = header_row(&header_lines) {
            let (before, after): (Vec<Piece>, Vec<Piece>) =
                loose.into_iter().partition(|p| p.order < first);
            if !before.is_empty() {
                let text: Vec<String> = before.iter().map(Piece::text).collect();
                d.unplaced(
                    &before[0].block.origin,
                    &text.join("\n"),
                    "这段文字在图表标题与表头之间，不属于本图的方框，已原样保留。",
                );
            }
            loose = after;
            // Under a header row, boxes need no closing line: with none at
            // all, each line is what its words say.
            if !loose
                .iter()
                .flat_map(|p| &p.lines)
                .any(|l| closes_box(l, rules))
            {
                boxes = by_content(&loose, rules);
                loose.clear();
            }
        }
        let flattened = regroup(&loose, rules);
        if flattened.iter().any(|p| hint(p, rules) != Hint::Unknown) {
            boxes = flattened;
            loose.clear();
        }
    }
    let boxes = split_labelled_steps(boxes, rules);
    let kinds = classify(&boxes, &headers, rules);
    let order_only = boxes.iter().any(|p| p.rect().is_none());
    d.order_only = order_only && !boxes.is_empty();

    // Steps, top to bottom (or in stream order without geometry).
    let mut step_pieces: Vec<&Piece> = boxes
        .iter()
        .zip(&kinds)
        .filter(|(_, k)| **k == Kind::Step)
        .map(|(p, _)| p)
        .collect();
    if !order_only {
        step_pieces.sort_by_key(|p| {
            let r = p.rect().unwrap_or_default();
            (p.block.page, r.y, r.x, p.order)
        });
    }
    let mut parsed: Vec<crate::catalog::Step> = step_pieces
        .iter()
        .map(|p| fields::step(&p.text(), rules))
        .collect();
    // Without geometry the stream may give a run of steps backwards (boxes
    // anchored bottom-up); the usual order of a procedure's stages tells.
    if order_only {
        let given: Vec<String> = parsed.iter().map(|s| s.name.clone()).collect();
        let order = stages::process_order(&given, &rules.stages);
        step_pieces = order.iter().map(|&i| step_pieces[i]).collect();
        parsed = order.iter().map(|&i| parsed[i].clone()).collect();
    }
    for (i, (p, s)) in step_pieces.iter().zip(&parsed).enumerate() {
        let mut s = s.clone();
        s.seq = i + 1;
        d.place(&p.text());
        d.steps.push(s);
        d.step_origins.push(p.block.origin.clone());
    }

    // Risk and measure boxes → their step.
    // Without geometry: ties by evidence (layout/ties.rs), keyed by the
    // block's stream position.
    let mut learned = Memory::default();
    let mut stream_ties: HashMap<usize, Option<usize>> = HashMap::new();
    if order_only {
        let steps: Vec<StreamStep> = step_pieces
            .iter()
            .zip(&parsed)
            .map(|(p, s)| StreamStep {
                name: &s.name,
                order: p.order,
            })
            .collect();
        let tied: Vec<(&Piece, BlockRole)> = boxes
            .iter()
            .zip(&kinds)
            .filter(|(p, _)| !p.bound)
            .filter_map(|(p, k)| match k {
                Kind::Risk => Some((p, BlockRole::Risk)),
                Kind::Measure => Some((p, BlockRole::Measure)),
                _ => None,
            })
            .collect();
        // Grade lines say nothing of the step.
        let content: Vec<Vec<&str>> = tied
            .iter()
            .map(|(p, _)| {
                p.grades(rules)
                    .iter()
                    .filter(|(_, g)| g.is_none())
                    .map(|(l, _)| *l)
                    .collect()
            })
            .collect();
        let blocks: Vec<StreamBlock> = tied
            .iter()
            .zip(&content)
            .map(|((p, role), lines)| StreamBlock {
                role: *role,
                order: p.order,
                lines,
            })
            .collect();
        let (t, l) = ties::tie(&steps, &blocks, memory, &rules.ties);
        learned = l;
        for ((p, _), s) in tied.iter().zip(t) {
            stream_ties.insert(p.order, s);
        }
    }
    let step_of = |p: &Piece| -> Option<usize> {
        if p.bound {
            return step_pieces
                .iter()
                .position(|s| !s.bound && s.order == p.order && std::ptr::eq(s.block, p.block));
        }
        if step_pieces.is_empty() {
            return None;
        }
        if order_only {
            return stream_ties.get(&p.order).copied().flatten();
        }
        let r = p.rect()?;
        let best = step_pieces
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.rect().map(|sr| (i, sr)))
            .max_by_key(|(i, sr)| {
                let dist = (sr.center_y() - r.center_y()).abs();
                (sr.v_overlap(&r), -dist, -(*i as i64))
            });
        best.map(|(i, _)| i)
    };

    let mut risk: Vec<(&Piece, Option<usize>)> = Vec::new();
    let mut measure: Vec<(&Piece, Option<usize>)> = Vec::new();
    for (p, k) in boxes.iter().zip(&kinds) {
        match k {
            Kind::Risk => risk.push((p, step_of(p))),
            Kind::Measure => measure.push((p, step_of(p))),
            Kind::Step => {}
            Kind::Unplaced => unplaced(&mut d, p),
        }
    }
    let reading = |p: &Piece| {
        let r = p.rect().unwrap_or_default();
        if order_only {
            (0, 0, p.order)
        } else {
            (r.y, r.x, p.order)
        }
    };
    risk.sort_by_key(|(p, s)| (s.unwrap_or(usize::MAX), reading(p)));
    measure.sort_by_key(|(p, s)| (s.unwrap_or(usize::MAX), reading(p)));

    // One risk point per risk box; each measure box joins the risk box of its
    // step it overlaps most (the first one without geometry); a measure box
    // at a step without risks is a risk point of its own.
    let mut points: Vec<(PointDraft, &Piece)> = Vec::new();
    // Risk lines without a grade (`风险表现：…`) at a step whose box carries a
    // risk label: the label's items.
    let mut items_of: Vec<Option<&Piece>> = Vec::new();
    for (p, s) in &risk {
        let graded = p.graded(rules);
        let label = (!graded && s.is_some())
            .then(|| {
                (0..points.len())
                    .find(|&i| points[i].0.step == *s && points[i].1.bound && items_of[i].is_none())
            })
            .flatten();
        if let Some(i) = label {
            items_of[i] = Some(p);
            continue;
        }
        points.push((
            PointDraft {
                step: *s,
                origin: p.block.origin.clone(),
                ..Default::default()
            },
            p,
        ));
        items_of.push(None);
    }
    // `风险表现：` boxes no step took, and as many step labels still without
    // their risk (a PDF puts the boxes far from their steps): they go
    // together, in order.
    let lone: Vec<usize> = (0..points.len())
        .filter(|&i| {
            let p = points[i].1;
            points[i].0.step.is_none()
                && !p.bound
                && p.lines
                    .first()
                    .is_some_and(|l| fields::has_risk_lead_in(l, rules))
                && !p.graded(rules)
        })
        .collect();
    let waiting: Vec<usize> = (0..points.len())
        .filter(|&i| points[i].1.bound && points[i].1.lines.len() == 1 && items_of[i].is_none())
        .collect();
    if !lone.is_empty() && !waiting.is_empty() {
        let texts: Vec<String> = lone.iter().map(|&l| points[l].1.text()).collect();
        let names: Vec<&str> = waiting
            .iter()
            .map(|&w| points[w].0.step.map_or("", |s| d.steps[s].name.as_str()))
            .collect();
        let pairs = ties::pair_lone(&texts, &names, &rules.ties.light);
        for &(l, w) in &pairs {
            items_of[waiting[w]] = Some(points[lone[l]].1);
        }
        let mut taken: Vec<usize> = pairs.iter().map(|&(l, _)| lone[l]).collect();
        taken.sort_unstable();
        for &l in taken.iter().rev() {
            points.remove(l);
            items_of.remove(l);
        }
    }
    let mut measure_of: Vec<Vec<&Piece>> = vec![Vec::new(); points.len()];
    let mut own: Vec<(Option<usize>, Vec<&Piece>)> = Vec::new();
    for (m, s) in &measure {
        // Without geometry a risk box takes one measure box: a second one
        // at the same step is a risk point of its own, not a merge.
        let candidates: Vec<usize> = (0..points.len())
            .filter(|&i| points[i].0.step == *s && (!order_only || measure_of[i].is_empty()))
            .collect();
        // With geometry: most vertical overlap, then nearest centre; in
        // stream order: the nearest risk box.
        let target = candidates.iter().copied().min_by_key(|&i| {
            let r = points[i].1;
            match (r.rect(), m.rect()) {
                (Some(a), Some(b)) => (-a.v_overlap(&b), (a.center_y() - b.center_y()).abs(), i),
                _ => (0, (r.order as i64 - m.order as i64).abs(), i),
            }
        });
        match target {
            Some(i) => measure_of[i].push(m),
            None => match own.iter_mut().find(|(st, _)| st == s && !order_only) {
                Some((_, list)) => list.push(m),
                None => own.push((*s, vec![m])),
            },
        }
    }
    for (i, (point, piece)) in points.iter_mut().enumerate() {
        let idx = i;
        fill_risk(&mut d, point, piece, idx, rules);
        if let Some(items) = items_of[i] {
            fill_risk(&mut d, point, items, idx, rules);
        }
        for m in &measure_of[i] {
            fill_measures(&mut d, point, m, idx, rules);
        }
    }
    let mut all: Vec<PointDraft> = points.into_iter().map(|(p, _)| p).collect();
    for (s, ms) in own {
        let mut point = PointDraft {
            step: s,
            origin: ms
                .first()
                .map(|m| m.block.origin.clone())
                .unwrap_or_default(),
            ..Default::default()
        };
        let idx = all.len();
        for m in ms {
            fill_measures(&mut d, &mut point, m, idx, rules);
        }
        all.push(point);
    }
    // In step order, then reading order (stable: risk points came sorted).
    let mut indexed: Vec<(usize, PointDraft)> = all.into_iter().enumerate().collect();
    indexed.sort_by_key(|(i, p)| (p.step.unwrap_or(usize::MAX), *i));
    let remap: Vec<usize> = {
        let mut m = vec![0; indexed.len()];
        for (new, (old, _)) in indexed.iter().enumerate() {
            m[*old] = new;
        }
        m
    };
    for n in &mut d.notes {
        if let Some(p) = n.point {
            n.point = remap.get(p).copied();
        }
    }
    d.points = indexed.into_iter().map(|(_, p)| p).collect();

    for p in &loose {
        unplaced(&mut d, p);
    }
    d.image_only = images > 0 && d.steps.is_empty() && d.points.is_empty();
    if d.order_only {
        let origin = d.location.clone();
        d.note(
            "chart.order_only",
            Severity::Info,
            &origin,
            "文档没有方框位置信息，风险与措施按文字顺序对应到流程环节，请核对。",
            "",
        );
    }
    (d, learned)
}

/// Lines of a flattened chart → pseudo-boxes: a step line stands alone; a
/// grade line closes a risk box, a 责任人 line a measure box (a second grade
/// or 责任人 line right after joins the box it follows).
fn regroup<'a>(lines: &[Piece<'a>], rules: &Rules) -> Vec<Piece<'a>> {
    let mut out: Vec<Piece<'a>> = Vec::new();
    let mut cur: Option<Piece<'a>> = None;
    // What closed the last box: (grade, 责任人).
    let mut closed_by = (false, false);
    // The last piece pushed is a lone step-like line.
    let mut after_step = false;
    // Only wrapped scraps (`作日)`) were read since the last step line.
    let mut scraps_since_step = false;
    for p in lines {
        for &l in &p.lines {
            let grade = grade_line(l, rules).is_some();
            // An unnumbered risk short enough to look like a step
            // (`未按时送达或送达方式违法`) and closed by its grade line is
            // the risk box's item, not a step.
            if grade
                && cur.is_none()
                && after_step
                && out
                    .last()
                    .is_some_and(|s| s.lines.len() == 1 && reads_as_risk(s.lines[0], rules))
            {
                cur = out.pop();
            }
            // A risk label in the line (`风险点 A2-1等级 高` alone, or closing
            // the step's explanation: `填写采购批准单。 风险点 B-1等级 中
            // 风险表现:虚报数量和种类`) right after a step, with at most
            // a wrapped scrap of it between (`作日)`): the label, and the
            // risk it states, are that step's.
            if let Some((at, end)) = risk_label_in(l, rules)
                && !fields::looks_like_step(&l[..at], rules)
                && let Some(step) = out
                    .last()
                    .filter(|s| !s.bound && s.lines.len() == 1)
                    .filter(|s| fields::looks_like_step(s.lines[0], rules))
                    .map(|s| (s.block, s.order))
                && (after_step || scraps_since_step)
            {
                out.extend(cur.take());
                let head = l[..at].trim();
                if !head.is_empty() {
                    out.push(p.line(head, None));
                }
                let mut lines = vec![l[at..end].trim()];
                let rest = l[end..].trim();
                if !rest.is_empty() {
                    lines.push(rest);
                }
                out.push(Piece {
                    block: step.0,
                    lines,
                    order: step.1,
                    bound: true,
                    read_as: None,
                    grades: Default::default(),
                });
                after_step = false;
                closed_by = (true, false);
                continue;
            }
            after_step = false;
            // A note beside the flow (`所需材料：…`) is no box's line.
            if fields::is_note_line(l, rules) {
                out.extend(cur.take());
                out.push(p.line(l, Some(Kind::Unplaced)));
                closed_by = (false, false);
                continue;
            }
            let responsible = fields::is_responsible_line(l, rules);
            let step_line = !grade && !responsible && fields::looks_like_step(l, rules);
            // A step word stands alone even inside an open box; another
            // short line there is part of the box.
            if step_line
                && (cur.is_none() || fields::is_step_word(&fields::step(l, rules).name, rules))
            {
                out.push(p.line(l, None));
                closed_by = (false, false);
                after_step = true;
                scraps_since_step = true;
                continue;
            }
            scraps_since_step &= scrap(l);
            if ((responsible && closed_by.1) || (grade && closed_by.0))
                && cur.is_none()
                && let Some(last) = out.last_mut()
            {
                last.lines.push(l);
                continue;
            }
            // A list that starts again at 1 is a new box; so is a line led
            // in by `风险表现：`.
            let led_in = fields::has_risk_lead_in(l, rules);
            let restarts = led_in
                || split_marker(l).n == Some(1)
                    && cur
                        .as_ref()
                        .is_some_and(|c| c.lines.iter().any(|x| split_marker(x).n.is_some()));
            if restarts {
                out.extend(cur.take());
            }
            let c = cur.get_or_insert_with(|| Piece {
                block: p.block,
                lines: Vec::new(),
                order: p.order,
                bound: false,
                read_as: None,
                grades: Default::default(),
            });
            c.lines.push(l);
            if grade || responsible {
                out.extend(cur.take());
                closed_by = (grade, responsible);
            } else {
                closed_by = (false, false);
            }
        }
    }
    out.extend(cur);
    out
}

/// Where the chart's header row starts: the first run of header lines one
/// after another (`防控措施` ⏎ `风险点` ⏎ `工作流程`) that names all three
/// columns. A header line alone may be a box's own label (`防范措施`).
fn header_row(lines: &[(usize, Column)]) -> Option<usize> {
    let mut start = 0;
    for i in 1..=lines.len() {
        if i < lines.len() && lines[i].0 == lines[i - 1].0 + 1 {
            continue;
        }
        let run = &lines[start..i];
        let has = |c: Column| run.iter().any(|(_, k)| *k == c);
        if has(Column::Steps) && has(Column::Risks) && has(Column::Measures) {
            return Some(run[0].0);
        }
        start = i;
    }
    None
}

fn closes_box(line: &str, rules: &Rules) -> bool {
    grade_line(line, rules).is_some() || fields::is_responsible_line(line, rules)
}

/// Lines of a chart under its header row with no closing lines → boxes by
/// their words: a line opening with a measure word is a measure box; a run
/// of lines that say what goes wrong (`不按规定审核` ⏎ `未经领导批复`) is one
/// risk box; a short line otherwise is a step.
fn by_content<'a>(lines: &[Piece<'a>], rules: &Rules) -> Vec<Piece<'a>> {
    let mut out: Vec<Piece<'a>> = Vec::new();
    for p in lines {
        for &l in &p.lines {
            let kind = if reads_as_measure(l, rules) {
                Kind::Measure
            } else if reads_as_risk(l, rules) {
                Kind::Risk
            } else if fields::looks_like_step(l, rules) {
                Kind::Step
            } else {
                Kind::Unplaced
            };
            if kind == Kind::Risk
                && let Some(last) = out.last_mut().filter(|q| q.read_as == Some(Kind::Risk))
            {
                last.lines.push(l);
                continue;
            }
            out.push(p.line(l, Some(kind)));
        }
    }
    out
}

/// A wrapped scrap of a box's last line (`作日)`): a few characters, no
/// marker.
fn scrap(line: &str) -> bool {
    fields::compact(line).chars().count() <= 4 && split_marker(line).marker.is_none()
}

/// A step box that carries its risk (`…进行初审,责任人:王利影(时限2工作日)
/// 风险点 A1-3等级 高`) is two pieces: the step, and its risk label bound to it.
fn split_labelled_steps<'a>(boxes: Vec<Piece<'a>>, rules: &Rules) -> Vec<Piece<'a>> {
    let mut out = Vec::with_capacity(boxes.len());
    for p in boxes {
        let split = match p.lines.as_slice() {
            [line] => trailing_risk_label(line, rules)
                .map(|(_, _, at)| (&line[..at], &line[at..]))
                .filter(|(head, _)| fields::looks_like_step(head, rules)),
            _ => None,
        };
        match split {
            Some((head, label)) => {
                out.push(Piece {
                    lines: vec![head.trim_end()],
                    grades: Default::default(),
                    ..p
                });
                out.push(Piece {
                    lines: vec![label.trim()],
                    bound: true,
                    grades: Default::default(),
                    ..p
                });
            }
            None => out.push(p),
        }
    }
    out
}

fn unplaced(d: &mut ChartDraft, p: &Piece) {
    d.unplaced(
        &p.block.origin,
        &p.text(),
        "这段文字无法归入流程图的任何环节、风险点或措施，已原样保留。",
    );
}

fn fill_risk(d: &mut ChartDraft, point: &mut PointDraft, p: &Piece, idx: usize, rules: &Rules) {
    for (line, graded) in p.grades(rules).iter() {
        let s = line.trim();
        d.place(s);
        if fields::is_noise(s, rules) {
            noise(d, p, s, idx);
        } else if let Some(g) = graded {
            if point.grade.is_none() {
                point.grade = g.grade.clone();
            }
            if point.label.is_none() {
                point.label = grade_label(s);
            }
            if g.grade.is_none() {
                let n = d.note(
                    "grade.unknown",
                    Severity::Warning,
                    &p.block.origin,
                    "风险等级的写法不在已知等级体系中。",
                    s,
                );
                n.point = Some(idx);
            }
            if let Some(fix) = g.punctuation_fix.clone() {
                let n = d.note(
                    "text.punctuation",
                    Severity::Info,
                    &p.block.origin,
                    "风险等级后应使用全角冒号“：”。",
                    s,
                );
                n.point = Some(idx);
                n.suggestion = Some(fix);
            }
        } else if let Some(names) = fields::responsible_line(s, rules) {
            point.responsible.extend(names);
        } else if let Some((g, at)) = trailing_grade(s, rules) {
            // `1.不按规定程序受理。风险等级：中`: the item, then its grade.
            if point.grade.is_none() {
                point.grade = g.grade;
            }
            point.items.push(LineDraft::new(&s[..at], &p.block.origin));
        } else {
            point.items.push(LineDraft::new(
                fields::without_risk_lead_in(s, rules),
                &p.block.origin,
            ));
        }
    }
}

fn fill_measures(d: &mut ChartDraft, point: &mut PointDraft, p: &Piece, idx: usize, rules: &Rules) {
    for line in &p.lines {
        let s = line.trim();
        d.place(s);
        if fields::is_noise(s, rules) {
            noise(d, p, s, idx);
        } else if let Some(names) = fields::responsible_line(s, rules) {
            point.responsible.extend(names);
        } else {
            point.measures.push(LineDraft::new(s, &p.block.origin));
        }
    }
}

fn noise(d: &mut ChartDraft, p: &Piece, s: &str, idx: usize) {
    let n = d.note(
        "text.noise",
        Severity::Info,
        &p.block.origin,
        "方框中混入了与图表无关的文字（网页或下载站残留）。",
        s,
    );
    n.point = Some(idx);
}

fn hint(p: &Piece, rules: &Rules) -> Hint {
    if p.graded(rules)
        || p.lines
            .first()
            .is_some_and(|l| fields::has_risk_lead_in(l, rules))
    {
        return Hint::Risk;
    }
    let first_is_responsible = p
        .lines
        .first()
        .is_some_and(|l| fields::is_responsible_line(l, rules));
    if !first_is_responsible && fields::looks_like_step(&p.text(), rules) {
        return Hint::StepLike;
    }
    if p.lines
        .iter()
        .any(|l| fields::is_responsible_line(l, rules))
    {
        return Hint::Measure;
    }
    Hint::Unknown
}

fn lines_are_arrow_label(p: &Piece, rules: &Rules) -> bool {
    p.lines.len() == 1 && fields::is_arrow_label(p.lines[0], rules)
}

/// Several column heads on one line, each a known role (`采购工作流程
/// 廉政风险点 防控措施`).
fn is_header_row(text: &str, rules: &Rules) -> bool {
    // The cheap tests first: this runs on every box.
    if text.contains('\n') {
        return false;
    }
    let parts: Vec<&str> = text.split_whitespace().collect();
    if parts.len() < 2 {
        return false;
    }
    let mut risk_or_measure = false;
    for p in parts {
        let bare = !p.contains(['，', ',', '：', ':', '(', '（', ')', '）', '；', ';', '。']);
        match bare.then(|| role_of(p, &rules.tables)).flatten() {
            None => return false,
            Some(r) => risk_or_measure |= matches!(r, Role::Risk | Role::Measure),
        }
    }
    risk_or_measure
}

fn column_kind(c: Column) -> Kind {
    match c {
        Column::Measures => Kind::Measure,
        Column::Steps => Kind::Step,
        Column::Risks => Kind::Risk,
    }
}

fn classify(boxes: &[Piece], headers: &[(Column, Rect)], rules: &Rules) -> Vec<Kind> {
    let hints: Vec<Hint> = boxes.iter().map(|p| hint(p, rules)).collect();
    // Column of a box from the headers: the one whose x-range holds its
    // centre, else the nearest header centre.
    let by_header = |r: Rect| -> Option<Column> {
        let cx = r.center_x();
        headers
            .iter()
            .find(|(_, h)| h.x <= cx && cx <= h.right())
            .or_else(|| {
                headers
                    .iter()
                    .min_by_key(|(_, h)| (h.center_x() - cx).abs())
            })
            .map(|(c, _)| *c)
    };
    // Without headers: mean x of the boxes content already decided.
    let mean_x = |want: Hint| -> Option<i64> {
        let xs: Vec<i64> = boxes
            .iter()
            .zip(&hints)
            .filter(|(_, h)| **h == want)
            .filter_map(|(p, _)| p.rect().map(|r| r.center_x()))
            .collect();
        (!xs.is_empty()).then(|| xs.iter().sum::<i64>() / xs.len() as i64)
    };
    let means: Vec<(Kind, i64)> = [
        (Kind::Risk, mean_x(Hint::Risk)),
        (Kind::Measure, mean_x(Hint::Measure)),
        (Kind::Step, mean_x(Hint::StepLike)),
    ]
    .into_iter()
    .filter_map(|(k, m)| m.map(|m| (k, m)))
    .collect();
    let nearest = |r: Rect| -> Option<Kind> {
        means
            .iter()
            .min_by_key(|(_, m)| (m - r.center_x()).abs())
            .map(|(k, _)| *k)
    };

    boxes
        .iter()
        .zip(&hints)
        .map(|(p, h)| {
            if let Some(k) = p.read_as {
                return k;
            }
            let column = p.rect().and_then(|r| {
                if headers.is_empty() {
                    None
                } else {
                    by_header(r).map(column_kind)
                }
            });
            match h {
                Hint::Risk => Kind::Risk,
                Hint::Measure => Kind::Measure,
                Hint::StepLike => match column {
                    Some(Kind::Step) | None => {
                        // Without headers, a step-like box far from the step
                        // column but at the risk or measure column is one of those.
                        match (column, p.rect().and_then(nearest)) {
                            (None, Some(k))
                                if k != Kind::Step && means.iter().any(|m| m.0 == Kind::Step) =>
                            {
                                k
                            }
                            _ => Kind::Step,
                        }
                    }
                    Some(k) => k,
                },
                Hint::Unknown => match column {
                    // A multi-line box in the step column is not a step.
                    Some(Kind::Step) => Kind::Unplaced,
                    Some(k) => k,
                    None => match p.rect().and_then(nearest) {
                        Some(Kind::Step) | None => Kind::Unplaced,
                        Some(k) => k,
                    },
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    const EMU_PER_CM: i64 = 360_000;

    /// Grades are read once per piece, and answered only for the lines the
    /// piece holds: grown, or made from another piece, it is read afresh.
    #[test]
    fn a_piece_grades_the_lines_it_holds() {
        let rules = Rules::builtin();
        let b = bx(
            "1.不按规定受理\n风险等级：高\n风险等级：低",
            0.0,
            0.0,
            1.0,
            1.0,
        );
        let lines: Vec<&str> = b.text.lines().collect();
        let mut p = Piece {
            block: &b,
            lines: vec![lines[0]],
            order: 0,
            bound: false,
            read_as: None,
            grades: Default::default(),
        };
        assert!(!p.graded(&rules));
        p.lines.push(lines[1]);
        assert!(p.graded(&rules));
        let level = |p: &Piece| -> Vec<Option<String>> {
            p.grades(&rules)
                .iter()
                .map(|(_, g)| {
                    g.as_ref()
                        .and_then(|g| g.grade.as_ref())
                        .map(|g| g.level.clone())
                })
                .collect()
        };
        assert_eq!(level(&p), [None, Some("high".to_string())]);
        // Two lines graded; then the same number of lines, one of them
        // another: not the first piece's answer.
        let mut graded = Piece {
            lines: vec![lines[0], lines[1]],
            grades: Default::default(),
            ..p
        };
        assert_eq!(level(&graded), [None, Some("high".to_string())]);
        assert_eq!(graded.grades.get().map(Vec::len), Some(2));
        let other = Piece {
            lines: vec![lines[0], lines[2]],
            grades: std::mem::take(&mut graded.grades),
            ..p
        };
        assert_eq!(level(&other), [None, Some("low".to_string())]);
    }

    fn bx(text: &str, x_cm: f64, y_cm: f64, w_cm: f64, h_cm: f64) -> Block {
        Block {
            text: text.into(),
            kind: BlockKind::TextBox,
            rect: Some(Rect {
                x: (x_cm * EMU_PER_CM as f64) as i64,
                y: (y_cm * EMU_PER_CM as f64) as i64,
                w: (w_cm * EMU_PER_CM as f64) as i64,
                h: (h_cm * EMU_PER_CM as f64) as i64,
            }),
            page: 0,
            origin: format!("box {}", text.lines().next().unwrap_or("")),
        }
    }

    fn para(text: &str) -> Block {
        Block {
            text: text.into(),
            kind: BlockKind::Paragraph,
            rect: None,
            page: 0,
            origin: format!("p {text}"),
        }
    }

    /// Chart 1 of seed 001, boxes in jumbled order, columns mirrored when asked.
    fn chart(mirrored: bool) -> Vec<Block> {
        let (left, right) = if mirrored { (13.0, 1.0) } else { (1.0, 13.0) };
        vec![
            para("长治高新区组织和人力资源部"),
            para("权力运行廉政风险防控图<行政裁决类1>"),
            para("职权名称：调解仲裁用人单位与劳动者发生的劳动人事争议"),
            bx(
                "1.严格执行文书制作操作规范。\n2.落实文书制作限时制。\n责任人：办理人",
                left,
                9.0,
                6.0,
                2.5,
            ),
            bx("送    达", 8.0, 9.5, 3.0, 1.0),
            bx(
                "1.擅自改动内容，制作文书不规范。\n2.不及时办结。\n风险等级：低",
                right,
                9.2,
                6.0,
                2.0,
            ),
            bx("防控措施\n及责任人", left, 2.0, 6.0, 1.0),
            bx("工作流程", 8.0, 2.0, 3.0, 1.0),
            bx("风险点等级\n及表现形式", right, 2.0, 6.0, 1.0),
            bx("受    理", 8.0, 4.5, 3.0, 1.0),
            bx(
                "1. 故意刁难申请人。\n2. 不按规定程序受理。\n风险等级：中",
                right,
                4.0,
                6.0,
                2.5,
            ),
            bx("1.建立受理单制度。\n责任人：受理人", left, 4.2, 6.0, 2.0),
            bx("申    请", 8.0, 3.2, 3.0, 0.8),
            bx("办    结", 8.0, 12.0, 3.0, 1.0),
        ]
    }

    /// A risk point as (step seq, items, measures, grade level, responsible).
    type PointSummary = (
        Option<usize>,
        Vec<String>,
        Vec<String>,
        Option<String>,
        Vec<String>,
    );

    fn summary(d: &ChartDraft) -> Vec<PointSummary> {
        d.points
            .iter()
            .map(|p| {
                (
                    p.step.map(|s| s + 1),
                    p.items.iter().map(|l| l.raw.clone()).collect(),
                    p.measures.iter().map(|l| l.raw.clone()).collect(),
                    p.grade.as_ref().map(|g| g.level.clone()),
                    p.responsible.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn reads_a_jumbled_chart_by_geometry() {
        let rules = Rules::builtin();
        for mirrored in [false, true] {
            let blocks = chart(mirrored);
            let doc = Document {
                blocks,
                ..Default::default()
            };
            let charts = crate::layout::charts(&doc, &rules);
            assert_eq!(charts.len(), 1);
            let d = &charts[0];
            assert_eq!(d.department.as_deref(), Some("长治高新区组织和人力资源部"));
            assert_eq!(d.category.as_deref(), Some("行政裁决"));
            assert_eq!(d.code.as_deref(), Some("1"));
            assert_eq!(
                d.name.as_deref(),
                Some("调解仲裁用人单位与劳动者发生的劳动人事争议")
            );
            let steps: Vec<(&str, &str)> = d
                .steps
                .iter()
                .map(|s| (s.name.as_str(), s.raw.as_str()))
                .collect();
            assert_eq!(
                steps,
                vec![
                    ("申请", "申    请"),
                    ("受理", "受    理"),
                    ("送达", "送    达"),
                    ("办结", "办    结")
                ]
            );
            assert_eq!(
                summary(d),
                vec![
                    (
                        Some(2),
                        vec!["1. 故意刁难申请人。".into(), "2. 不按规定程序受理。".into()],
                        vec!["1.建立受理单制度。".into()],
                        Some("medium".into()),
                        vec!["受理人".into()]
                    ),
                    (
                        Some(3),
                        vec![
                            "1.擅自改动内容，制作文书不规范。".into(),
                            "2.不及时办结。".into()
                        ],
                        vec![
                            "1.严格执行文书制作操作规范。".into(),
                            "2.落实文书制作限时制。".into()
                        ],
                        Some("low".into()),
                        vec!["办理人".into()]
                    ),
                ],
                "mirrored: {mirrored}"
            );
            assert!(d.notes.is_empty(), "{:?}", d.notes);
            assert!(!d.order_only);
        }
    }

    #[test]
    fn boxes_without_geometry_fall_back_to_stream_order() {
        let rules = Rules::builtin();
        let mut blocks: Vec<Block> = vec![
            para("职权名称：企业退休人员基本养老金待遇给付"),
            bx("受    理", 0.0, 0.0, 1.0, 1.0),
            bx("1.故意刁难经办人。\n风险等级：低", 0.0, 0.0, 1.0, 1.0),
            bx("1.建立受理制度。\n责任人：受理人", 0.0, 0.0, 1.0, 1.0),
            bx("审    核", 0.0, 0.0, 1.0, 1.0),
            bx("1.无原因超时办理。\n风险等级：中", 0.0, 0.0, 1.0, 1.0),
        ];
        for b in &mut blocks {
            b.rect = None;
        }
        let doc = Document {
            blocks,
            ..Default::default()
        };
        let d = &crate::layout::charts(&doc, &rules)[0];
        assert!(d.order_only);
        let s = summary(d);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].0, s[1].0), (Some(1), Some(2)));
        assert_eq!(s[0].2, vec!["1.建立受理制度。".to_string()]);
        assert!(d.notes.iter().any(|n| n.code == "chart.order_only"));
    }

    #[test]
    fn a_line_of_column_heads_is_no_step() {
        let rules = Rules::builtin();
        let blocks: Vec<Block> = [
            "某中心物资采购廉政风险防控流程图",
            "采购工作流程 廉政风险点 防控措施",
            "申    请",
            "1.虚报采购数量。",
            "风险等级：中",
            "1.按预算核定数量。",
            "责任人：分管领导",
            "审    批",
        ]
        .iter()
        .map(|t| para(t))
        .collect();
        let doc = Document {
            blocks,
            ..Default::default()
        };
        let d = &crate::layout::charts(&doc, &rules)[0];
        let steps: Vec<&str> = d.steps.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(steps, vec!["申请", "审批"]);
        assert!(d.notes.iter().all(|n| n.code != "chart.unplaced_text"));
    }

    #[test]
    fn unplaced_text_is_kept() {
        let rules = Rules::builtin();
        let mut blocks = chart(false);
        blocks.push(para("本图由某某制作，仅供参考"));
        let doc = Document {
            blocks,
            ..Default::default()
        };
        let d = &crate::layout::charts(&doc, &rules)[0];
        let n: Vec<(&str, &str)> = d
            .notes
            .iter()
            .map(|n| (n.code.as_ref(), n.evidence.as_str()))
            .collect();
        assert_eq!(n, vec![("chart.unplaced_text", "本图由某某制作，仅供参考")]);
    }
}

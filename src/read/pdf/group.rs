//! From what a page draws to positioned blocks: table grids from the ruling
//! lines, boxes from the stroked rectangles, each glyph into the smallest
//! cell or box around it, glyphs into lines by baseline, lines into
//! paragraphs where a line runs to the right edge and the next continues it.
//! Spaces and line breaks come from the positions, not the stream order.

use super::content::{Bounds, Drawn, Glyph, Rule};
use crate::document::{Block, BlockKind, Rect};

/// 1 pt in EMU.
pub const EMU_PER_PT: f64 = 12_700.0;

/// A table continued from the page before: same columns, rows go on.
#[derive(Debug, Clone, Default)]
pub struct Carry {
    pub tables: u32,
    last: Option<(u32, Vec<f64>, u32)>,
}

#[derive(Debug, Clone)]
enum Holder {
    Box,
    Cell {
        table: usize,
        row: u32,
        col: u32,
        row_span: u32,
        col_span: u32,
    },
}

#[derive(Debug, Clone)]
struct Container {
    bounds: Bounds,
    holder: Holder,
    glyphs: Vec<Glyph>,
}

struct Grid {
    xs: Vec<f64>,
    top: f64,
    /// (row, col, row_span, col_span, bounds)
    cells: Vec<(u32, u32, u32, u32, Bounds)>,
}

const TOL: f64 = 2.0;

fn cluster(mut v: Vec<f64>, tol: f64) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    let mut out: Vec<(f64, usize)> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some((sum_mean, n)) if x - *sum_mean <= tol => {
                *sum_mean = (*sum_mean * *n as f64 + x) / (*n as f64 + 1.0);
                *n += 1;
            }
            _ => out.push((x, 1)),
        }
    }
    out.into_iter().map(|(m, _)| m).collect()
}

fn touches(a: &Rule, b: &Rule) -> bool {
    if a.horizontal == b.horizontal {
        (a.at - b.at).abs() <= TOL && a.from <= b.to + TOL && b.from <= a.to + TOL
    } else {
        let (h, v) = if a.horizontal { (a, b) } else { (b, a) };
        h.at >= v.from - TOL && h.at <= v.to + TOL && v.at >= h.from - TOL && v.at <= h.to + TOL
    }
}

fn find(p: &mut [usize], i: usize) -> usize {
    let mut r = i;
    while p[r] != r {
        r = p[r];
    }
    let mut i = i;
    while p[i] != r {
        let n = p[i];
        p[i] = r;
        i = n;
    }
    r
}

/// Tables (and single boxes drawn as four lines) from the rules.
fn grids(rules: &[Rule]) -> Vec<Grid> {
    // Long rule lists are hostile or decorative; the pairwise join is capped.
    let rules: Vec<Rule> = rules
        .iter()
        .filter(|r| r.to - r.from > 2.0)
        .take(3000)
        .copied()
        .collect();
    let mut parent: Vec<usize> = (0..rules.len()).collect();
    for i in 0..rules.len() {
        for j in i + 1..rules.len() {
            if touches(&rules[i], &rules[j]) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut comps: std::collections::BTreeMap<usize, Vec<Rule>> = Default::default();
    for (i, r) in rules.iter().enumerate() {
        let root = find(&mut parent, i);
        comps.entry(root).or_default().push(*r);
    }
    let mut out = Vec::new();
    for comp in comps.values() {
        let xs = cluster(
            comp.iter()
                .filter(|r| !r.horizontal)
                .map(|r| r.at)
                .collect(),
            TOL,
        );
        let ys = cluster(
            comp.iter().filter(|r| r.horizontal).map(|r| r.at).collect(),
            TOL,
        );
        if xs.len() < 2 || ys.len() < 2 || xs.len() > 200 || ys.len() > 2000 {
            continue;
        }
        let (nr, nc) = (ys.len() - 1, xs.len() - 1);
        let covered = |horizontal: bool, at: f64, mid: f64| {
            comp.iter().any(|r| {
                r.horizontal == horizontal
                    && (r.at - at).abs() <= TOL
                    && r.from - TOL <= mid
                    && mid <= r.to + TOL
            })
        };
        // Grid cells not enclosed on all sides merge with their neighbours.
        let mut p: Vec<usize> = (0..nr * nc).collect();
        for r in 0..nr {
            let my = (ys[r] + ys[r + 1]) / 2.0;
            for c in 0..nc {
                let mx = (xs[c] + xs[c + 1]) / 2.0;
                if c + 1 < nc && !covered(false, xs[c + 1], my) {
                    let (a, b) = (find(&mut p, r * nc + c), find(&mut p, r * nc + c + 1));
                    p[a] = b;
                }
                if r + 1 < nr && !covered(true, ys[r + 1], mx) {
                    let (a, b) = (find(&mut p, r * nc + c), find(&mut p, (r + 1) * nc + c));
                    p[a] = b;
                }
            }
        }
        let mut groups: std::collections::BTreeMap<usize, (usize, usize, usize, usize)> =
            Default::default();
        for r in 0..nr {
            for c in 0..nc {
                let g = find(&mut p, r * nc + c);
                let e = groups.entry(g).or_insert((r, c, r, c));
                e.0 = e.0.min(r);
                e.1 = e.1.min(c);
                e.2 = e.2.max(r);
                e.3 = e.3.max(c);
            }
        }
        let mut cells: Vec<(u32, u32, u32, u32, Bounds)> = groups
            .values()
            .map(|&(r0, c0, r1, c1)| {
                (
                    r0 as u32,
                    c0 as u32,
                    (r1 - r0 + 1) as u32,
                    (c1 - c0 + 1) as u32,
                    Bounds {
                        x0: xs[c0],
                        y0: ys[r0],
                        x1: xs[c1 + 1],
                        y1: ys[r1 + 1],
                    },
                )
            })
            .collect();
        cells.sort_by_key(|c| (c.0, c.1));
        out.push(Grid {
            xs,
            top: ys[0],
            cells,
        });
    }
    out
}

/// One line of text: glyphs on one baseline.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    /// Width that had to wrap with the first character (it and a following
    /// punctuation mark that may not start a line).
    lead_w: f64,
}

/// Punctuation that may not start a line in Chinese typesetting.
const NO_START: &[char] = &[
    '，', '。', '、', '；', '：', '！', '？', '）', '」', '』', '》', '”', '’', ',', '.', ';', ':',
    ')',
];

fn is_wide(c: char) -> bool {
    !c.is_ascii()
        && !matches!(c, '\u{00C0}'..='\u{024F}' | '\u{0370}'..='\u{03FF}' | '\u{0400}'..='\u{04FF}')
}

/// How many spaces the gap between two glyphs on a line stands for, in
/// the font's space width. Between a Latin character and a Chinese one,
/// word processors add about a fifth of an em by themselves (autospace):
/// that part is no space.
fn spaces(p: &Glyph, g: &Glyph) -> usize {
    let gap = g.x - (p.x + p.w);
    let size = p.size.min(g.size).max(1.0);
    let sw = p.space.max(0.1 * size);
    let (a, b) = (
        p.text.chars().last().is_some_and(is_wide),
        g.text.chars().next().is_some_and(is_wide),
    );
    let n = match (a, b) {
        (false, false) => {
            if gap > (0.5 * sw).max(0.12 * size) {
                1.0
            } else {
                0.0
            }
        }
        (true, true) => (gap / sw).round(),
        _ => ((gap - 0.2 * size) / sw).round(),
    };
    n.clamp(0.0, 8.0) as usize
}

/// Glyphs → lines. `split` cuts a baseline where the gap is wider than
/// that many font sizes (columns of loose text); within a box never.
fn lines(mut glyphs: Vec<Glyph>, split: Option<f64>) -> Vec<Line> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut rows: Vec<Vec<Glyph>> = Vec::new();
    for g in glyphs {
        match rows.last_mut() {
            // Same size: one baseline (overlapping lines stay apart);
            // another size (a superscript, a bigger first word): near it.
            Some(row)
                if (g.y - row[0].y).abs()
                    <= if (g.size - row[0].size).abs() <= 0.1 * g.size.max(row[0].size) {
                        0.25
                    } else {
                        0.4
                    } * row[0].size.max(g.size).max(1.0) =>
            {
                row.push(g)
            }
            _ => rows.push(vec![g]),
        }
    }
    let mut out = Vec::new();
    for mut row in rows {
        row.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut cur: Option<Line> = None;
        let mut prev: Option<Glyph> = None;
        for g in row {
            if let (Some(p), Some(line)) = (&prev, cur.as_mut()) {
                let gap = g.x - (p.x + p.w);
                let size = p.size.min(g.size).max(1.0);
                // The same glyph drawn again on top (fake bold, shadows).
                if g.text == p.text && (g.x - p.x).abs() < 0.1 * size {
                    continue;
                }
                if split.is_some_and(|k| gap > k * size) {
                    out.push(cur.take().expect("line"));
                } else {
                    for _ in 0..spaces(p, &g) {
                        line.text.push(' ');
                    }
                    // A character that may not start a line pulled the one
                    // before it onto this line (kinsoku): both were wrapped.
                    if line.text.chars().count() == 1 && g.text.starts_with(NO_START) {
                        line.lead_w = g.x + g.w - line.x0;
                    }
                    line.text.push_str(&g.text);
                    line.x1 = line.x1.max(g.x + g.w);
                    line.size = line.size.max(g.size);
                    prev = Some(g);
                    continue;
                }
            }
            cur = Some(Line {
                text: g.text.clone(),
                x0: g.x,
                x1: g.x + g.w,
                y: g.y,
                size: g.size,
                lead_w: g.w,
            });
            prev = Some(g);
        }
        out.extend(cur);
    }
    out
}

/// Lines → paragraphs: a line that reaches `right` (less the width of the
/// next line's first glyph) was wrapped, and the next line continues it.
fn paragraphs(lines: &[Line], right: f64) -> Vec<Vec<&Line>> {
    paragraphs_with(lines, right, false)
}

/// As [`paragraphs`]; with `edge_unknown` (the right edge is only the
/// longest line's), a line ending a sentence also ends the paragraph.
fn paragraphs_with(lines: &[Line], right: f64, edge_unknown: bool) -> Vec<Vec<&Line>> {
    let mut out: Vec<Vec<&Line>> = Vec::new();
    for l in lines {
        if let Some(p) = out.last_mut() {
            let prev = p[p.len() - 1];
            let full = prev.x1 + l.lead_w.max(0.5 * l.size) > right - 0.3 * l.size;
            let near = l.y - prev.y > 0.0 && l.y - prev.y <= 2.0 * prev.size.max(l.size);
            let same_size = (l.size - prev.size).abs() <= 0.15 * prev.size.max(l.size);
            // A sentence that happens to end at the edge, then a numbered item.
            let new_item = prev.text.ends_with(['。', '；', ';', '！', '？'])
                && (starts_with_marker(&l.text) || starts_with_label(&l.text));
            // Without a known edge, only left-aligned lines continue (not
            // centred ones), and a finished sentence ends the paragraph.
            let sentence_end = edge_unknown
                && (prev.text.ends_with(['。', '；', '！', '？', '：', ':'])
                    || (l.x0 - p[0].x0).abs() > 0.5 * l.size && l.x0 > p[0].x0);
            if full && near && same_size && !new_item && !sentence_end {
                p.push(l);
                continue;
            }
        }
        out.push(vec![l]);
    }
    out
}

/// `1.` `2、` `（3）` `(4)` `一、` `①` at the start of a line.
fn starts_with_marker(s: &str) -> bool {
    let mut chars = s.chars().peekable();
    match chars.peek() {
        Some('（' | '(') => {
            chars.next();
            chars
                .next()
                .is_some_and(|c| c.is_numeric() || "一二三四五六七八九十".contains(c))
        }
        Some(c) if ('①'..='⑳').contains(c) => true,
        Some(c) if c.is_ascii_digit() => {
            let rest: String = chars.skip_while(|c| c.is_ascii_digit()).take(1).collect();
            matches!(rest.as_str(), "." | "、" | "．" | "，")
        }
        Some(c) if "一二三四五六七八九十".contains(*c) => {
            let rest: String = chars
                .skip_while(|c| "一二三四五六七八九十".contains(*c))
                .take(1)
                .collect();
            rest == "、"
        }
        _ => false,
    }
}

/// `责任人：` `风险等级：` — a short label and a colon open the line.
fn starts_with_label(s: &str) -> bool {
    s.chars()
        .take(8)
        .position(|c| c == '：' || c == ':')
        .is_some_and(|i| i >= 2 && s.chars().take(i).all(|c| c.is_alphanumeric()))
}

fn join(p: &[&Line]) -> String {
    let mut s = String::new();
    for l in p {
        let wide_join = s.chars().last().is_some_and(is_wide)
            || l.text.chars().next().is_some_and(is_wide)
            || s.ends_with('-');
        if !s.is_empty() && !wide_join {
            s.push(' ');
        }
        s.push_str(&l.text);
    }
    s
}

fn emu(v: f64) -> i64 {
    (v * EMU_PER_PT).round() as i64
}

fn rect_of(b: &Bounds) -> Rect {
    Rect {
        x: emu(b.x0),
        y: emu(b.y0),
        w: emu(b.w()),
        h: emu(b.h()),
    }
}

fn text_of(lines: &[Line], right: f64) -> String {
    paragraphs(lines, right)
        .iter()
        .map(|p| join(p))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A line of loose text that runs on into a box it overlaps (a title under
/// a misplaced header box) stays loose: glyphs in a box whose neighbour on
/// the baseline, without a gap and in the same size, is loose text go back
/// to the loose text.
/// `glyphs` are sorted by baseline, then x.
fn unbox_runs_of_loose_lines(
    glyphs: &[Glyph],
    home: &mut [Option<usize>],
    containers: &[Container],
) {
    let boxed = |h: Option<usize>| h.is_some_and(|i| matches!(containers[i].holder, Holder::Box));
    let mut start = 0;
    while start < glyphs.len() {
        let base = &glyphs[start];
        let mut end = start + 1;
        while end < glyphs.len() && (glyphs[end].y - base.y).abs() <= 0.4 * base.size.max(1.0) {
            end += 1;
        }
        let mut row: Vec<usize> = (start..end).collect();
        row.sort_by(|&a, &b| glyphs[a].x.total_cmp(&glyphs[b].x));
        // Two sweeps, left to right and back, so that a freed glyph frees
        // the next one along the line. Glyphs of another size (a box's own
        // text interleaved with the line) are stepped over.
        let order: Vec<usize> = (0..row.len()).chain((0..row.len()).rev()).collect();
        for (step, &k) in order.iter().enumerate() {
            let i = row[k];
            if !boxed(home[i]) {
                continue;
            }
            let forward = step < row.len();
            let size = glyphs[i].size;
            let same = |j: &usize| (glyphs[*j].size - size).abs() <= 0.1 * size;
            let neighbour = if forward {
                row[..k].iter().rev().find(|j| same(j))
            } else {
                row[k + 1..].iter().find(|j| same(j))
            };
            if let Some(&j) = neighbour {
                let (a, b) = if forward { (j, i) } else { (i, j) };
                let gap = glyphs[b].x - (glyphs[a].x + glyphs[a].w);
                if home[j].is_none() && gap <= 0.5 * size {
                    home[i] = None;
                }
            }
        }
        start = end;
    }
}

/// Text that overflows a box (too much text for a fixed-size box: Word and
/// WPS draw it on below the border): loose lines that go on below the box's
/// last line at its line pitch and its left edge belong to the box.
fn take_overflow(ls: &mut Vec<Line>, bounds: &Bounds, loose: &mut Vec<Line>) {
    let Some(left) = ls.iter().map(|l| l.x0).min_by(f64::total_cmp) else {
        return;
    };
    for _ in 0..200 {
        let last = &ls[ls.len() - 1];
        let pitch = if ls.len() >= 2 {
            last.y - ls[ls.len() - 2].y
        } else {
            1.3 * last.size
        };
        let next = loose.iter().position(|l| {
            (l.x0 - left).abs() <= 0.5 * l.size
                && (l.y - last.y - pitch).abs() <= 0.3 * l.size
                && (l.size - last.size).abs() <= 0.05 * l.size
                && l.y > bounds.y1 - 0.3 * l.size
                && l.x1 <= bounds.x1 + l.size
        });
        match next {
            Some(i) => ls.push(loose.remove(i)),
            None => return,
        }
    }
}

/// Text set in columns without drawn boxes (a canvas printed without
/// borders): lines stacked closely in one column form a block, and a block
/// that shares a band of the page with another block beside it is a box.
/// Returns the boxes and the lines left as running text.
fn borderless_boxes(mut ls: Vec<Line>) -> (Vec<Vec<Line>>, Vec<Line>) {
    ls.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut blocks: Vec<Vec<Line>> = Vec::new();
    for l in ls {
        let best = blocks
            .iter()
            .enumerate()
            .filter_map(|(i, b)| {
                let last = &b[b.len() - 1];
                let dy = l.y - last.y;
                let overlap = l.x0.max(last.x0) < l.x1.min(last.x1);
                let size = l.size.max(last.size);
                let same = (l.size - last.size).abs() <= 0.05 * size;
                // One column: left-aligned, centred, or after an indented first line.
                let indent = b.len() == 1 && l.x0 < b[0].x0 && b[0].x0 - l.x0 <= 2.5 * size;
                let aligned = (l.x0 - b[b.len() - 1].x0).abs() <= 0.5 * size
                    || ((l.x0 + l.x1) - (b[0].x0 + b[0].x1)).abs() <= 2.0 * size
                    || indent;
                // Lines come at one pitch; a wider gap starts another block.
                let pitch = (b.len() >= 2).then(|| b[1].y - b[0].y);
                let on_pitch = pitch.is_none_or(|p| dy <= p + 0.3 * size);
                (overlap && same && aligned && on_pitch && dy > 0.0 && dy <= 1.8 * size)
                    .then_some((i, dy))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i);
        match best {
            Some(i) => blocks[i].push(l),
            None => blocks.push(vec![l]),
        }
    }
    let bounds: Vec<Bounds> = blocks
        .iter()
        .map(|b| Bounds {
            x0: b.iter().map(|l| l.x0).fold(f64::INFINITY, f64::min),
            y0: b[0].y - b[0].size,
            x1: b.iter().map(|l| l.x1).fold(f64::NEG_INFINITY, f64::max),
            y1: b[b.len() - 1].y,
        })
        .collect();
    let beside = |i: usize| {
        bounds.iter().enumerate().any(|(j, o)| {
            let a = &bounds[i];
            j != i && a.y0.max(o.y0) < a.y1.min(o.y1) && (a.x1 < o.x0 || o.x1 < a.x0)
        })
    };
    let flags: Vec<bool> = (0..blocks.len()).map(beside).collect();
    let (mut boxes, mut rest) = (Vec::new(), Vec::new());
    for (b, is_box) in blocks.into_iter().zip(flags) {
        if is_box {
            boxes.push(b);
        } else {
            rest.extend(b);
        }
    }
    rest.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    (boxes, rest)
}

/// The blocks of one page.
pub fn blocks(drawn: Drawn, page: u32, carry: &mut Carry) -> Vec<Block> {
    let Drawn {
        glyphs,
        rules,
        rects,
        images,
        ..
    } = drawn;
    let mut grid_list = grids(&rules);
    let mut containers: Vec<Container> = Vec::new();
    let mut boxes: Vec<Bounds> = rects
        .into_iter()
        .filter(|b| b.w() >= 8.0 && b.h() >= 8.0)
        .collect();
    // A grid of one cell is a box drawn as four lines.
    grid_list.retain(|g| {
        if g.cells.len() == 1 {
            boxes.push(g.cells[0].4);
            false
        } else {
            true
        }
    });
    grid_list.sort_by(|a, b| a.top.total_cmp(&b.top));
    // Tables: numbered per document; the first table of a page continues the
    // last one of the page before when the columns are the same.
    let mut table_ids = Vec::new();
    let mut row_offsets = Vec::new();
    for (k, g) in grid_list.iter().enumerate() {
        let continued = k == 0
            && carry.last.as_ref().is_some_and(|(_, xs, _)| {
                xs.len() == g.xs.len() && xs.iter().zip(&g.xs).all(|(a, b)| (a - b).abs() <= TOL)
            });
        if continued {
            let (id, _, next) = carry.last.clone().expect("carried table");
            table_ids.push(id);
            row_offsets.push(next);
        } else {
            table_ids.push(carry.tables);
            row_offsets.push(0);
            carry.tables += 1;
        }
    }
    for (k, g) in grid_list.iter().enumerate() {
        for &(row, col, row_span, col_span, b) in &g.cells {
            containers.push(Container {
                bounds: b,
                holder: Holder::Cell {
                    table: k,
                    row: row + row_offsets[k],
                    col,
                    row_span,
                    col_span,
                },
                glyphs: Vec::new(),
            });
        }
    }
    if let Some((k, g)) = grid_list.iter().enumerate().next_back() {
        let rows = g.cells.iter().map(|c| c.0 + c.2).max().unwrap_or(0);
        carry.last = Some((table_ids[k], g.xs.clone(), row_offsets[k] + rows));
    } else if !glyphs.is_empty() {
        carry.last = None;
    }
    // Boxes: duplicates (a fill and a stroke of one shape) once; a frame
    // around other boxes or a table is not a box.
    boxes.sort_by(|a, b| (a.w() * a.h()).total_cmp(&(b.w() * b.h())));
    let mut kept: Vec<Bounds> = Vec::new();
    for b in boxes {
        let dup = kept.iter().any(|k| {
            (k.x0 - b.x0).abs() < 1.0
                && (k.y0 - b.y0).abs() < 1.0
                && (k.x1 - b.x1).abs() < 1.0
                && (k.y1 - b.y1).abs() < 1.0
        });
        let frame = kept.iter().any(|k| b.contains_box(k, 0.5))
            || containers.iter().any(|c| b.contains_box(&c.bounds, 0.5));
        if !dup && !frame {
            kept.push(b);
        }
    }
    for b in kept {
        containers.push(Container {
            bounds: b,
            holder: Holder::Box,
            glyphs: Vec::new(),
        });
    }
    // Each glyph into the smallest container around its middle.
    let mut order: Vec<usize> = (0..containers.len()).collect();
    order.sort_by(|&a, &b| {
        let area = |c: &Container| c.bounds.w() * c.bounds.h();
        area(&containers[a]).total_cmp(&area(&containers[b]))
    });
    let mut glyphs = glyphs;
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut home: Vec<Option<usize>> = glyphs
        .iter()
        .map(|g| {
            let (cx, cy) = (g.x + g.w / 2.0, g.y - 0.3 * g.size);
            order
                .iter()
                .find(|&&i| containers[i].bounds.contains(cx, cy))
                .copied()
        })
        .collect();
    unbox_runs_of_loose_lines(&glyphs, &mut home, &containers);
    let mut loose = Vec::new();
    for (g, h) in glyphs.into_iter().zip(home) {
        match h {
            Some(i) => containers[i].glyphs.push(g),
            None => loose.push(g),
        }
    }

    // (sort key, block)
    let mut out: Vec<((f64, f64, u32, u32), Block)> = Vec::new();
    let mut loose_lines = lines(loose, Some(3.0));
    let mut box_no = 0;
    for c in containers {
        let empty = c.glyphs.is_empty();
        let mut ls = lines(c.glyphs, None);
        if matches!(c.holder, Holder::Box) {
            take_overflow(&mut ls, &c.bounds, &mut loose_lines);
        }
        let inset = ls
            .iter()
            .map(|l| l.x0 - c.bounds.x0)
            .fold(f64::INFINITY, f64::min)
            .clamp(0.0, c.bounds.w() / 4.0);
        let text = text_of(&ls, c.bounds.x1 - inset);
        match c.holder {
            Holder::Box => {
                if empty {
                    continue;
                }
                box_no += 1;
                out.push((
                    (c.bounds.y0, c.bounds.x0, 0, 0),
                    Block {
                        text,
                        kind: BlockKind::TextBox,
                        rect: Some(rect_of(&c.bounds)),
                        page,
                        origin: format!("page {} box {box_no}", page + 1),
                    },
                ));
            }
            Holder::Cell {
                table,
                row,
                col,
                row_span,
                col_span,
            } => {
                let g = &grid_list[table];
                let id = table_ids[table];
                out.push((
                    (g.top, g.xs[0], row + 1, col),
                    Block {
                        text,
                        kind: BlockKind::Cell {
                            table: id,
                            row,
                            col,
                            row_span,
                            col_span,
                        },
                        rect: Some(rect_of(&c.bounds)),
                        page,
                        origin: format!(
                            "page {} table {} R{}C{}",
                            page + 1,
                            id + 1,
                            row + 1,
                            col + 1
                        ),
                    },
                ));
            }
        }
    }
    let (columns, ls) = borderless_boxes(loose_lines);
    for c in &columns {
        let b = Bounds {
            x0: c.iter().map(|l| l.x0).fold(f64::INFINITY, f64::min),
            y0: c[0].y - c[0].size,
            x1: c.iter().map(|l| l.x1).fold(f64::NEG_INFINITY, f64::max),
            y1: c[c.len() - 1].y + 0.25 * c[c.len() - 1].size,
        };
        box_no += 1;
        let text = paragraphs_with(c, b.x1, true)
            .iter()
            .map(|p| join(p))
            .collect::<Vec<_>>()
            .join("\n");
        out.push((
            (b.y0, b.x0, 0, 0),
            Block {
                text,
                kind: BlockKind::TextBox,
                rect: Some(rect_of(&b)),
                page,
                origin: format!("page {} box {box_no}", page + 1),
            },
        ));
    }
    let right = ls.iter().map(|l| l.x1).fold(f64::NEG_INFINITY, f64::max);
    for (k, p) in paragraphs(&ls, right).iter().enumerate() {
        let b = Bounds {
            x0: p.iter().map(|l| l.x0).fold(f64::INFINITY, f64::min),
            y0: p[0].y - p[0].size,
            x1: p.iter().map(|l| l.x1).fold(f64::NEG_INFINITY, f64::max),
            y1: p[p.len() - 1].y + 0.25 * p[p.len() - 1].size,
        };
        out.push((
            (b.y0, b.x0, 0, 0),
            Block {
                text: join(p),
                kind: BlockKind::Paragraph,
                rect: Some(rect_of(&b)),
                page,
                origin: format!("page {} line {}", page + 1, k + 1),
            },
        ));
    }
    for im in images.iter().filter(|b| b.w() >= 36.0 && b.h() >= 36.0) {
        out.push((
            (im.y0, im.x0, 0, 0),
            Block {
                text: String::new(),
                kind: BlockKind::Image,
                rect: Some(rect_of(im)),
                page,
                origin: format!("page {} image", page + 1),
            },
        ));
    }
    out.sort_by(|a, b| {
        a.0.0
            .total_cmp(&b.0.0)
            .then(a.0.1.total_cmp(&b.0.1))
            .then(a.0.2.cmp(&b.0.2))
            .then(a.0.3.cmp(&b.0.3))
    });
    out.into_iter().map(|(_, b)| b).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(text: &str, x: f64, y: f64) -> Glyph {
        Glyph {
            x,
            y,
            w: 10.0,
            size: 10.0,
            space: 2.5,
            text: text.into(),
        }
    }

    fn hr(at: f64, from: f64, to: f64) -> Rule {
        Rule {
            horizontal: true,
            at,
            from,
            to,
        }
    }
    fn vr(at: f64, from: f64, to: f64) -> Rule {
        Rule {
            horizontal: false,
            at,
            from,
            to,
        }
    }

    #[test]
    fn spaces_from_gaps_and_wrapped_lines_join() {
        // A box 100 pt wide: the first line fills it and wraps.
        let glyphs: Vec<Glyph> = "一二三四五六七八九"
            .chars()
            .enumerate()
            .map(|(i, c)| g(&c.to_string(), 5.0 + 10.0 * i as f64, 20.0))
            .chain([
                g("十", 5.0, 34.0),
                g("A", 5.0, 60.0),
                g("B", 25.0, 60.0),
                g("受", 5.0, 74.0),
                g("理", 25.0, 74.0),
            ])
            .collect();
        let drawn = Drawn {
            glyphs,
            rects: vec![Bounds {
                x0: 0.0,
                y0: 0.0,
                x1: 100.0,
                y1: 80.0,
            }],
            ..Default::default()
        };
        let b = blocks(drawn, 0, &mut Carry::default());
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].kind, BlockKind::TextBox);
        assert_eq!(b[0].text, "一二三四五六七八九十\nA B\n受    理");
        assert_eq!(
            b[0].rect,
            Some(Rect {
                x: 0,
                y: 0,
                w: 1_270_000,
                h: 1_016_000
            })
        );
    }

    #[test]
    fn ruled_grid_gives_cells_with_spans() {
        // 2 rows × 2 columns; the bottom row's middle line is missing: one cell.
        let rules = vec![
            hr(0.0, 0.0, 200.0),
            hr(20.0, 0.0, 200.0),
            hr(40.0, 0.0, 200.0),
            vr(0.0, 0.0, 40.0),
            vr(100.0, 0.0, 20.0),
            vr(200.0, 0.0, 40.0),
        ];
        let drawn = Drawn {
            glyphs: vec![g("甲", 5.0, 15.0), g("乙", 105.0, 15.0), g("丙", 5.0, 35.0)],
            rules,
            ..Default::default()
        };
        let b = blocks(drawn, 0, &mut Carry::default());
        let cells: Vec<(String, BlockKind)> =
            b.iter().map(|b| (b.text.clone(), b.kind.clone())).collect();
        assert_eq!(
            cells,
            vec![
                (
                    "甲".into(),
                    BlockKind::Cell {
                        table: 0,
                        row: 0,
                        col: 0,
                        row_span: 1,
                        col_span: 1
                    }
                ),
                (
                    "乙".into(),
                    BlockKind::Cell {
                        table: 0,
                        row: 0,
                        col: 1,
                        row_span: 1,
                        col_span: 1
                    }
                ),
                (
                    "丙".into(),
                    BlockKind::Cell {
                        table: 0,
                        row: 1,
                        col: 0,
                        row_span: 1,
                        col_span: 2
                    }
                ),
            ]
        );
    }

    #[test]
    fn list_markers() {
        for s in [
            "1.建立",
            "12、审核",
            "（3）针对",
            "(4) x",
            "一、廉政",
            "①计划",
        ] {
            assert!(starts_with_marker(s), "{s}");
        }
        for s in ["2021年", "一般", "次性告知。"] {
            assert!(!starts_with_marker(s), "{s}");
        }
        assert!(starts_with_label("责任人：受理人"));
        assert!(!starts_with_label("是否属实，核实：否"));
    }

    #[test]
    fn loose_text_in_two_columns_stays_apart_as_boxes() {
        let drawn = Drawn {
            glyphs: vec![g("左", 0.0, 10.0), g("右", 200.0, 10.0)],
            ..Default::default()
        };
        let b = blocks(drawn, 0, &mut Carry::default());
        let texts: Vec<&str> = b.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, vec!["左", "右"]);
        // Side by side without drawn boxes: two columns, each a box.
        assert!(b.iter().all(|b| b.kind == BlockKind::TextBox));
    }
}

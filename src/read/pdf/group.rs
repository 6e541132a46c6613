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
    first_w: f64,
}

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
            Some(row) if (g.y - row[0].y).abs() <= 0.4 * row[0].size.max(g.size).max(1.0) => {
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
                first_w: g.w,
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
    let mut out: Vec<Vec<&Line>> = Vec::new();
    for l in lines {
        if let Some(p) = out.last_mut() {
            let prev = p[p.len() - 1];
            let full = prev.x1 + l.first_w.max(0.5 * l.size) > right - 0.3 * l.size;
            let near = l.y - prev.y > 0.0 && l.y - prev.y <= 2.0 * prev.size.max(l.size);
            let same_size = (l.size - prev.size).abs() <= 0.15 * prev.size.max(l.size);
            // A sentence that happens to end at the edge, then a numbered item.
            let new_item =
                prev.text.ends_with(['。', '；', ';', '！', '？']) && starts_with_marker(&l.text);
            if full && near && same_size && !new_item {
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
    if let Some((k, g)) = grid_list.iter().enumerate().last() {
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
    let mut box_no = 0;
    for c in containers {
        let empty = c.glyphs.is_empty();
        let ls = lines(c.glyphs, None);
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
    let ls = lines(loose, Some(3.0));
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
    }

    #[test]
    fn loose_text_in_two_columns_stays_apart() {
        let drawn = Drawn {
            glyphs: vec![g("左", 0.0, 10.0), g("右", 200.0, 10.0)],
            ..Default::default()
        };
        let b = blocks(drawn, 0, &mut Carry::default());
        let texts: Vec<&str> = b.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, vec!["左", "右"]);
        assert!(b.iter().all(|b| b.kind == BlockKind::Paragraph));
    }
}

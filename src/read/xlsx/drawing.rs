//! Text shapes and pictures of a worksheet's DrawingML part
//! (`xl/drawings/drawingN.xml`), which calamine does not read.
//!
//! Anchors give the position in sheet cells (`twoCellAnchor`), cells plus a
//! size (`oneCellAnchor`) or plain EMU (`absoluteAnchor`); group children are
//! placed through their groups' child coordinate spaces.

use super::grid::Grid;
use super::ooxml::{issue, relationships};
use super::xml::{Ev, Xml, attr, attr_i64, local};
use crate::document::{Block, BlockKind, Document, Rect};
use crate::read::Limits;
use crate::read::zipped::Package;

/// Read every drawing the worksheet at `sheet_path` refers to, appending
/// its blocks (in drawing order) and any problems to `doc`.
pub(super) fn read_sheet_drawings(
    pkg: &mut Package<'_>,
    sheet_path: &str,
    sheet_name: &str,
    page: u32,
    grid: &Grid,
    limits: &Limits,
    doc: &mut Document,
) {
    let rels = match relationships(pkg, sheet_path, limits) {
        Ok(r) => r,
        Err(e) => {
            doc.issues
                .push(issue(sheet_name, format!("绘图关系无法读取（{e}）")));
            return;
        }
    };
    for (_, typ, target) in rels {
        if !typ.ends_with("/drawing") {
            continue;
        }
        match pkg.part(&target) {
            Ok(Some(xml)) => {
                let (blocks, problem) =
                    parse_drawing(&xml, sheet_name, page, grid, limits.max_xml_depth);
                doc.blocks.extend(blocks);
                if let Some(m) = problem {
                    doc.issues.push(issue(
                        sheet_name,
                        format!("绘图 {target} 损坏，部分图形未读（{m}）"),
                    ));
                }
            }
            Ok(None) => {}
            Err(e) => doc
                .issues
                .push(issue(sheet_name, format!("绘图 {target} 无法读取（{e}）"))),
        }
    }
}

/// A cell position inside an anchor: column/row plus an EMU offset.
#[derive(Debug, Default, Clone, Copy)]
struct Marker {
    col: i64,
    col_off: i64,
    row: i64,
    row_off: i64,
}

#[derive(Debug, Default)]
struct Anchor {
    from: Marker,
    to: Marker,
    has_to: bool,
    pos: (i64, i64),
    ext: Option<(i64, i64)>,
    absolute: bool,
}

impl Anchor {
    fn rect(&self, grid: &Grid) -> (f64, f64, f64, f64) {
        // Offsets come from the file: saturate rather than overflow.
        let point = |m: &Marker| {
            let col = u32::try_from(m.col.max(0)).unwrap_or(u32::MAX);
            let row = u32::try_from(m.row.max(0)).unwrap_or(u32::MAX);
            (
                grid.x(col).saturating_add(m.col_off),
                grid.y(row).saturating_add(m.row_off),
            )
        };
        let (x, y) = if self.absolute {
            self.pos
        } else {
            point(&self.from)
        };
        let (w, h) = if self.has_to && !self.absolute {
            let (x2, y2) = point(&self.to);
            (x2.saturating_sub(x), y2.saturating_sub(y))
        } else {
            self.ext.unwrap_or((0, 0))
        };
        (x as f64, y as f64, w as f64, h as f64)
    }
}

/// Child coordinates → sheet EMU: `abs = a + s·v` on each axis.
#[derive(Debug, Clone, Copy)]
struct Transform {
    ax: f64,
    ay: f64,
    sx: f64,
    sy: f64,
}

impl Transform {
    const IDENTITY: Transform = Transform {
        ax: 0.0,
        ay: 0.0,
        sx: 1.0,
        sy: 1.0,
    };

    fn map(&self, (x, y, w, h): (f64, f64, f64, f64)) -> (f64, f64, f64, f64) {
        (
            self.ax + self.sx * x,
            self.ay + self.sy * y,
            self.sx * w,
            self.sy * h,
        )
    }
}

/// `a:xfrm` contents.
#[derive(Debug, Default, Clone, Copy)]
struct Xfrm {
    off: Option<(i64, i64)>,
    ext: Option<(i64, i64)>,
    ch_off: Option<(i64, i64)>,
    ch_ext: Option<(i64, i64)>,
}

impl Xfrm {
    fn rect(&self) -> Option<(f64, f64, f64, f64)> {
        let (x, y) = self.off?;
        let (w, h) = self.ext.unwrap_or((0, 0));
        Some((x as f64, y as f64, w as f64, h as f64))
    }
}

struct Group {
    xfrm: Xfrm,
    /// Set when the group's `grpSpPr` closes.
    transform: Option<Transform>,
}

#[derive(PartialEq)]
enum ObjKind {
    Shape,
    Picture,
}

struct Obj {
    kind: ObjKind,
    id: String,
    xfrm: Xfrm,
    paragraphs: Vec<Para>,
}

#[derive(Default)]
struct Para {
    text: String,
    autonum: Option<(String, i64)>,
    /// Outline level (`a:pPr lvl`), 0–8.
    level: usize,
}

/// Parse one drawing part. Blocks found before an error are kept.
fn parse_drawing(
    xml: &[u8],
    sheet: &str,
    page: u32,
    grid: &Grid,
    max_depth: usize,
) -> (Vec<Block>, Option<String>) {
    let mut blocks = Vec::new();
    let mut reader = Xml::new(xml, max_depth);
    let mut stack: Vec<String> = Vec::new();
    let mut anchor: Option<Anchor> = None;
    let mut groups: Vec<Group> = Vec::new();
    let mut obj: Option<Obj> = None;
    let mut para: Option<Para> = None;

    loop {
        let ev = match reader.next() {
            Ok(ev) => ev,
            Err(m) => return (blocks, Some(m)),
        };
        let (e, is_start) = match ev {
            Ev::Eof => return (blocks, None),
            Ev::Text(t) => {
                let Some(name) = stack.last() else { continue };
                let parent = stack
                    .len()
                    .checked_sub(2)
                    .and_then(|i| stack.get(i))
                    .map(String::as_str);
                if name == "t" {
                    if let Some(p) = para.as_mut() {
                        p.text.push_str(&t);
                    }
                } else if let (Some(a), Some(which @ ("from" | "to"))) = (anchor.as_mut(), parent) {
                    let v = t.trim().parse::<i64>().unwrap_or(0);
                    let m = if which == "from" {
                        &mut a.from
                    } else {
                        &mut a.to
                    };
                    match name.as_str() {
                        "col" => m.col = v,
                        "colOff" => m.col_off = v,
                        "row" => m.row = v,
                        "rowOff" => m.row_off = v,
                        _ => {}
                    }
                }
                continue;
            }
            Ev::End => {
                let Some(name) = stack.pop() else { continue };
                match name.as_str() {
                    "p" => {
                        if let (Some(p), Some(o)) = (para.take(), obj.as_mut()) {
                            o.paragraphs.push(p);
                        }
                    }
                    "grpSpPr" => {
                        let parent = groups
                            .len()
                            .checked_sub(2)
                            .and_then(|i| groups.get(i))
                            .and_then(|g| g.transform);
                        let outer = parent.map(|t| (t, None)).unwrap_or((
                            Transform::IDENTITY,
                            anchor.as_ref().map(|a| a.rect(grid)),
                        ));
                        if let Some(g) = groups.last_mut() {
                            g.transform = Some(group_transform(&g.xfrm, outer.0, outer.1));
                        }
                    }
                    "grpSp" => {
                        groups.pop();
                    }
                    "sp" | "pic" => {
                        if let Some(o) = obj.take() {
                            let rect = object_rect(
                                &o,
                                groups.last().and_then(|g| g.transform),
                                anchor.as_ref(),
                                grid,
                            );
                            if let Some(b) = object_block(o, rect, sheet, page) {
                                blocks.push(b);
                            }
                        }
                    }
                    "twoCellAnchor" | "oneCellAnchor" | "absoluteAnchor" => {
                        anchor = None;
                        groups.clear();
                        obj = None;
                    }
                    _ => {}
                }
                continue;
            }
            Ev::Start(e) => (e, true),
            Ev::Empty(e) => (e, false),
        };
        let name = local(&e);
        let parent = stack.last().map(String::as_str).unwrap_or("");
        let grandparent = stack
            .len()
            .checked_sub(2)
            .and_then(|i| stack.get(i))
            .map(String::as_str)
            .unwrap_or("");
        match name.as_str() {
            // Office writes a second, older copy of new content here.
            "Fallback" if is_start => {
                if let Err(m) = reader.skip_element() {
                    return (blocks, Some(m));
                }
                continue;
            }
            "twoCellAnchor" | "oneCellAnchor" | "absoluteAnchor" => {
                anchor = Some(Anchor {
                    absolute: name == "absoluteAnchor",
                    ..Anchor::default()
                });
                groups.clear();
            }
            "to" if anchor.is_some() => {
                if let Some(a) = anchor.as_mut() {
                    a.has_to = true;
                }
            }
            "pos" if parent.ends_with("Anchor") => {
                if let Some(a) = anchor.as_mut() {
                    a.pos = (
                        attr_i64(&e, "x").unwrap_or(0),
                        attr_i64(&e, "y").unwrap_or(0),
                    );
                }
            }
            "ext" if parent.ends_with("Anchor") => {
                if let Some(a) = anchor.as_mut() {
                    a.ext = Some((
                        attr_i64(&e, "cx").unwrap_or(0),
                        attr_i64(&e, "cy").unwrap_or(0),
                    ));
                }
            }
            "off" | "ext" | "chOff" | "chExt" if parent == "xfrm" => {
                let xy = if name.ends_with("ff") {
                    (
                        attr_i64(&e, "x").unwrap_or(0),
                        attr_i64(&e, "y").unwrap_or(0),
                    )
                } else {
                    (
                        attr_i64(&e, "cx").unwrap_or(0),
                        attr_i64(&e, "cy").unwrap_or(0),
                    )
                };
                let target = match grandparent {
                    "grpSpPr" => groups.last_mut().map(|g| &mut g.xfrm),
                    "spPr" => obj.as_mut().map(|o| &mut o.xfrm),
                    _ => None,
                };
                if let Some(x) = target {
                    match name.as_str() {
                        "off" => x.off = Some(xy),
                        "ext" => x.ext = Some(xy),
                        "chOff" => x.ch_off = Some(xy),
                        _ => x.ch_ext = Some(xy),
                    }
                }
            }
            "grpSp" if is_start => groups.push(Group {
                xfrm: Xfrm::default(),
                transform: None,
            }),
            "sp" | "pic" if is_start && obj.is_none() => {
                obj = Some(Obj {
                    kind: if name == "sp" {
                        ObjKind::Shape
                    } else {
                        ObjKind::Picture
                    },
                    id: String::new(),
                    xfrm: Xfrm::default(),
                    paragraphs: Vec::new(),
                });
            }
            "cNvPr" if parent == "nvSpPr" || parent == "nvPicPr" => {
                if let Some(o) = obj.as_mut() {
                    o.id = attr(&e, "id").unwrap_or_default();
                }
            }
            "p" if parent == "txBody" && obj.is_some() => {
                para = is_start.then(Para::default);
                if !is_start && let Some(o) = obj.as_mut() {
                    o.paragraphs.push(Para::default());
                }
            }
            "pPr" if parent == "p" => {
                if let Some(p) = para.as_mut() {
                    p.level = attr_i64(&e, "lvl").unwrap_or(0).clamp(0, 8) as usize;
                }
            }
            "buAutoNum" if parent == "pPr" => {
                if let Some(p) = para.as_mut() {
                    let scheme = attr(&e, "type").unwrap_or_else(|| "arabicPeriod".into());
                    let start = attr_i64(&e, "startAt").unwrap_or(1).clamp(1, 32_767);
                    p.autonum = Some((scheme, start));
                }
            }
            "buNone" | "buChar" | "buBlip" if parent == "pPr" => {
                if let Some(p) = para.as_mut() {
                    p.autonum = None;
                }
            }
            "br" if parent == "p" => {
                if let Some(p) = para.as_mut() {
                    p.text.push('\n');
                }
            }
            "tab" if parent == "r" => {
                if let Some(p) = para.as_mut() {
                    p.text.push('\t');
                }
            }
            _ => {}
        }
        if is_start {
            stack.push(name);
        }
    }
}

/// The transform a group gives its children: its child space
/// (`chOff`/`chExt`) mapped onto its own box, which is the anchor's box for
/// a top-level group and its `off`/`ext` in the parent's space otherwise.
fn group_transform(
    x: &Xfrm,
    parent: Transform,
    anchor_box: Option<(f64, f64, f64, f64)>,
) -> Transform {
    let own = anchor_box.or_else(|| x.rect().map(|r| parent.map(r)));
    let (Some((bx, by, bw, bh)), Some((cx, cy))) = (own, x.ch_off) else {
        return parent;
    };
    let (cw, ch) = x.ch_ext.unwrap_or((0, 0));
    let sx = if cw > 0 { bw / cw as f64 } else { 1.0 };
    let sy = if ch > 0 { bh / ch as f64 } else { 1.0 };
    Transform {
        ax: bx - sx * cx as f64,
        ay: by - sy * cy as f64,
        sx,
        sy,
    }
}

fn object_rect(
    o: &Obj,
    group: Option<Transform>,
    anchor: Option<&Anchor>,
    grid: &Grid,
) -> Option<Rect> {
    let r = match group {
        Some(t) => o.xfrm.rect().map(|r| t.map(r))?,
        None => match anchor {
            Some(a) => a.rect(grid),
            None => o.xfrm.rect()?,
        },
    };
    Some(Rect {
        x: r.0.round() as i64,
        y: r.1.round() as i64,
        w: r.2.round() as i64,
        h: r.3.round() as i64,
    })
}

fn object_block(o: Obj, rect: Option<Rect>, sheet: &str, page: u32) -> Option<Block> {
    match o.kind {
        ObjKind::Picture => Some(Block {
            text: String::new(),
            kind: BlockKind::Image,
            rect,
            page,
            origin: format!("{sheet}!drawing/pic{}", o.id),
        }),
        ObjKind::Shape => {
            let text = render_paragraphs(&o.paragraphs);
            if text.trim().is_empty() {
                return None;
            }
            Some(Block {
                text,
                kind: BlockKind::Shape,
                rect,
                page,
                origin: format!("{sheet}!drawing/sp{}", o.id),
            })
        }
    }
}

/// Paragraphs → lines, with auto-numbers rendered as PowerPoint/Excel show
/// them. Each outline level keeps its own count over consecutive numbered
/// paragraphs of the same scheme; a paragraph resets the deeper levels, an
/// unnumbered one also its own; an empty paragraph neither takes a number
/// nor breaks the run.
fn render_paragraphs(paragraphs: &[Para]) -> String {
    let mut lines: Vec<String> = Vec::with_capacity(paragraphs.len());
    let mut runs: [Option<(&str, i64)>; 9] = Default::default();
    for p in paragraphs {
        if p.text.trim().is_empty() {
            lines.push(p.text.clone());
            continue;
        }
        let level = p.level.min(8);
        for deeper in runs.iter_mut().skip(level + 1) {
            *deeper = None;
        }
        match &p.autonum {
            Some((scheme, start)) => {
                let n = match runs[level] {
                    Some((s, prev)) if s == scheme => prev.saturating_add(1),
                    _ => *start,
                };
                runs[level] = Some((scheme, n));
                lines.push(format!("{}\t{}", auto_number(scheme, n), p.text));
            }
            None => {
                runs[level] = None;
                lines.push(p.text.clone());
            }
        }
    }
    let text = lines.join("\n");
    text.trim_end_matches('\n').to_string()
}

/// Render number `n` in a DrawingML `ST_TextAutonumberScheme`.
fn auto_number(scheme: &str, n: i64) -> String {
    use crate::read::listnum::{chinese, full_width_digits, letters, roman};
    let arabic = n.to_string();
    let (digits, style) = match scheme {
        // Double-byte digits take a double-byte period too.
        s if s.starts_with("arabicDb") => (
            full_width_digits(&arabic),
            if s.ends_with("Period") {
                "DbPeriod"
            } else {
                "Plain"
            },
        ),
        s if s.starts_with("arabic") => (arabic.clone(), &s["arabic".len()..]),
        s if s.starts_with("alphaLc") => (letters(n, false), &s["alphaLc".len()..]),
        s if s.starts_with("alphaUc") => (letters(n, true), &s["alphaUc".len()..]),
        s if s.starts_with("romanLc") => (roman(n, false), &s["romanLc".len()..]),
        s if s.starts_with("romanUc") => (roman(n, true), &s["romanUc".len()..]),
        "circleNumDbPlain" | "circleNumWdWhitePlain" => (circled(n), ""),
        "circleNumWdBlackPlain" => (black_circled(n), ""),
        "ea1JpnChsDbPeriod" => (chinese(n, false), "DbPeriod"),
        s if s.starts_with("ea1") => {
            let style = if s.ends_with("Period") {
                "Period"
            } else {
                "Plain"
            };
            (chinese(n, false), style)
        }
        _ => (arabic.clone(), "Period"),
    };
    match style {
        "Period" => format!("{digits}."),
        "DbPeriod" => format!("{digits}．"),
        "ParenR" => format!("{digits})"),
        "ParenBoth" => format!("({digits})"),
        "Minus" | "1Minus" | "2Minus" => format!("- {digits} -"),
        _ => digits,
    }
}

fn circled(n: i64) -> String {
    let code = match n {
        1..=20 => 0x2460 + n - 1,
        21..=35 => 0x3251 + n - 21,
        36..=50 => 0x32B1 + n - 36,
        _ => return n.to_string(),
    };
    char::from_u32(code as u32)
        .map(String::from)
        .unwrap_or_else(|| n.to_string())
}

fn black_circled(n: i64) -> String {
    let code = match n {
        1..=10 => 0x2776 + n - 1,
        11..=20 => 0x24EB + n - 11,
        _ => return n.to_string(),
    };
    char::from_u32(code as u32)
        .map(String::from)
        .unwrap_or_else(|| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_numbers_render_like_office() {
        assert_eq!(auto_number("arabicPeriod", 3), "3.");
        assert_eq!(auto_number("arabicParenR", 3), "3)");
        assert_eq!(auto_number("arabicParenBoth", 3), "(3)");
        assert_eq!(auto_number("arabicPlain", 3), "3");
        assert_eq!(auto_number("arabicDbPeriod", 12), "１２．");
        assert_eq!(auto_number("circleNumDbPlain", 1), "①");
        assert_eq!(auto_number("circleNumDbPlain", 21), "㉑");
        assert_eq!(auto_number("circleNumWdBlackPlain", 2), "❷");
        assert_eq!(auto_number("ea1ChsPeriod", 1), "一.");
        assert_eq!(auto_number("ea1ChsPlain", 10), "十");
        assert_eq!(auto_number("ea1ChsPlain", 21), "二十一");
        assert_eq!(auto_number("ea1JpnChsDbPeriod", 2), "二．");
        assert_eq!(auto_number("romanUcPeriod", 4), "IV.");
        assert_eq!(auto_number("romanLcParenR", 9), "ix)");
        assert_eq!(auto_number("alphaUcPeriod", 1), "A.");
        assert_eq!(auto_number("alphaLcParenBoth", 28), "(bb)");
        assert_eq!(auto_number("somethingNew", 5), "5.");
    }

    #[test]
    fn numbering_runs_over_consecutive_paragraphs() {
        let p = |t: &str, n: Option<(&str, i64)>| Para {
            text: t.into(),
            autonum: n.map(|(s, k)| (s.to_string(), k)),
            level: 0,
        };
        let paras = [
            p("甲", Some(("arabicPeriod", 1))),
            p("", Some(("arabicPeriod", 1))),
            p("乙", Some(("arabicPeriod", 1))),
            p("说明", None),
            p("丙", Some(("arabicPeriod", 6))),
            p("丁", Some(("ea1ChsPlain", 1))),
        ];
        assert_eq!(
            render_paragraphs(&paras),
            "1.\t甲\n\n2.\t乙\n说明\n6.\t丙\n一\t丁"
        );
    }
}

//! The one pass over `content.xml`'s `office:text` that turns paragraphs,
//! headings, list items, table cells, text frames and shapes with text into
//! blocks.
//!
//! Stacks mirror the XML nesting (open paragraphs, containers, tables,
//! drawing objects, lists). A vertical cursor estimates where each body
//! paragraph starts, as the .docx reader does, because LibreOffice and WPS
//! anchor most flow-chart boxes to a paragraph or character and give their
//! offset from it.

use super::styles::{ListLevel, Page, Styles, length};
use crate::document::{Block, BlockKind, Rect};
use crate::read::docx::xml::{Ev, Pull, Start, Stop};
use crate::read::estimate::{single_line, wrapped_lines};
use crate::read::listnum::{chinese, cycle, enclosed, full_width_digits, letters, roman};
use std::collections::HashMap;

/// Longest text kept for one paragraph (`text:s text:c` multiplies spaces).
const MAX_PARA_BYTES: usize = 1 << 20;
/// Most spaces one `text:s` expands to.
const MAX_SPACES: usize = 1_000;
/// Deepest list nesting followed (ODF has 10 levels).
const MAX_LIST_LEVEL: usize = 10;
/// Table columns and rows past these are not addressable anyway.
const MAX_COLS: u32 = 16_384;
const MAX_ROWS: u32 = 1_048_576;

/// Elements whose subtrees carry no document text for us: footnotes and
/// comments are page furniture, tracked deletions are not the text, shape
/// geometry and titles are not content.
const SKIPPED: &[&str] = &[
    "text:note",
    "office:annotation",
    "text:tracked-changes",
    "text:sequence-decls",
    "office:forms",
    "draw:enhanced-geometry",
    "svg:title",
    "svg:desc",
    "draw:object",
    "draw:object-ole",
];

/// Drawing objects that can hold paragraphs directly.
const SHAPES: &[&str] = &[
    "draw:custom-shape",
    "draw:rect",
    "draw:ellipse",
    "draw:circle",
    "draw:polygon",
    "draw:polyline",
    "draw:path",
    "draw:regular-polygon",
    "draw:caption",
    "draw:connector",
    "draw:line",
    "draw:measure",
];

struct Para {
    n: u32,
    /// Not inside a cell or a drawing object.
    body: bool,
    text: String,
    top: i64,
    style: Option<String>,
    /// Largest span font size seen (EMU).
    span_font: i64,
    label: Option<String>,
    slot: Option<usize>,
}

struct Container {
    /// Depth of the element that opened it.
    depth: usize,
    slot: usize,
    lines: Vec<String>,
    /// Cells: estimated content height.
    height: i64,
}

struct Table {
    index: u32,
    columns: u32,
    row: u32,
    col: u32,
    row_top: i64,
    row_height: i64,
    /// Only body tables move the cursor.
    body: bool,
}

/// An open drawing object: where its children are measured from.
struct Draw {
    depth: usize,
    x0: i64,
    y0: i64,
    page: u32,
    /// Page-anchored: placed after its page's other blocks.
    late: bool,
    rect: Option<Rect>,
    /// A frame that showed a picture (and no text box).
    image: bool,
    text_box: bool,
}

struct OpenList {
    depth: usize,
    identity: usize,
    level: usize,
    style: Option<String>,
    /// The current item's label, until a paragraph takes it.
    pending: Option<String>,
}

pub struct Walk<'a> {
    styles: &'a Styles,
    page_geo: Page,
    slots: Vec<Option<(Block, bool)>>,
    p_count: u32,
    page: u32,
    seen_body_para: bool,
    cursor: i64,
    paras: Vec<Para>,
    containers: Vec<Container>,
    tables: Vec<Table>,
    next_table: u32,
    draws: Vec<Draw>,
    lists: Vec<OpenList>,
    counters: HashMap<usize, Vec<i64>>,
    list_ids: HashMap<String, usize>,
    last_by_style: HashMap<String, usize>,
    next_identity: usize,
    skip: Option<usize>,
}

impl<'a> Walk<'a> {
    pub fn new(styles: &'a Styles) -> Self {
        let page_geo = styles.page();
        Walk {
            styles,
            cursor: page_geo.top,
            page_geo,
            slots: Vec::new(),
            p_count: 0,
            page: 0,
            seen_body_para: false,
            paras: Vec::new(),
            containers: Vec::new(),
            tables: Vec::new(),
            next_table: 0,
            draws: Vec::new(),
            lists: Vec::new(),
            counters: HashMap::new(),
            list_ids: HashMap::new(),
            last_by_style: HashMap::new(),
            next_identity: 0,
            skip: None,
        }
    }

    /// Walk the part; returns why it stopped early, if it did. The blocks
    /// read so far are kept either way ([`Walk::finish`]).
    pub fn run(&mut self, xml: &[u8], max_depth: usize) -> Option<Stop> {
        let mut pull = Pull::new(xml, max_depth);
        loop {
            let ev = match pull.next() {
                Ok(ev) => ev,
                Err(stop) => {
                    // Close what is open so the text read so far is kept.
                    let open: Vec<String> = pull.open().to_vec();
                    for (i, name) in open.iter().enumerate().rev() {
                        self.end(name, i);
                    }
                    return Some(stop);
                }
            };
            let depth = pull.open().len();
            match ev {
                Ev::Eof => return None,
                Ev::Start(s) => {
                    if self.skip.is_some() {
                        continue;
                    }
                    if SKIPPED.contains(&s.name.as_str()) {
                        self.skip = Some(depth);
                        continue;
                    }
                    let in_body = pull.open().iter().any(|n| n == "office:text");
                    if !in_body {
                        continue;
                    }
                    let parent = pull
                        .open()
                        .len()
                        .checked_sub(2)
                        .map(|i| pull.open()[i].clone());
                    self.start(&s, depth, parent.as_deref());
                }
                Ev::End(name) => {
                    if let Some(d) = self.skip {
                        if depth + 1 == d {
                            self.skip = None;
                        }
                        continue;
                    }
                    self.end(&name, depth);
                }
                Ev::Text(t) => {
                    if self.skip.is_none()
                        && let Some(p) = self.paras.last_mut()
                    {
                        push_capped(&mut p.text, &t);
                    }
                }
            }
        }
    }

    fn start(&mut self, s: &Start, depth: usize, parent: Option<&str>) {
        match s.name.as_str() {
            "text:p" | "text:h" => self.start_para(s, parent),
            "text:s" => {
                let n = s
                    .attr("c")
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, MAX_SPACES);
                self.push_text(&" ".repeat(n));
            }
            "text:tab" => self.push_text("\t"),
            "text:line-break" => self.push_text("\n"),
            "text:span" => {
                let font = self.styles.para(s.attr("style-name"), |p| p.font);
                if let (Some(p), Some(f)) = (self.paras.last_mut(), font) {
                    p.span_font = p.span_font.max(f);
                }
            }
            "text:list" => self.start_list(s, depth),
            "text:list-item" => self.start_item(s),
            "table:table" => {
                let index = self.next_table;
                self.next_table = self.next_table.saturating_add(1);
                let body = self.containers.is_empty() && self.draws.is_empty();
                self.tables.push(Table {
                    index,
                    columns: 0,
                    row: 0,
                    col: 0,
                    row_top: self.cursor,
                    row_height: 0,
                    body,
                });
            }
            "table:table-column" => {
                if let Some(t) = self.tables.last_mut() {
                    t.columns = t.columns.saturating_add(repeat(s)).min(MAX_COLS);
                }
            }
            "table:table-row" => {
                if let Some(t) = self.tables.last_mut() {
                    t.col = 0;
                    t.row_top = if t.body { self.cursor } else { 0 };
                    t.row_height = 0;
                }
            }
            "table:table-cell" => self.start_cell(s, depth),
            "table:covered-table-cell" => {
                if let Some(t) = self.tables.last_mut() {
                    t.col = t.col.saturating_add(repeat(s)).min(MAX_COLS);
                }
            }
            "draw:frame" | "draw:g" => self.start_draw(s, depth),
            name if SHAPES.contains(&name) => {
                self.start_draw(s, depth);
                self.open_container(BlockKind::Shape, depth);
            }
            "draw:text-box" => {
                if let Some(d) = self.draws.last_mut() {
                    d.text_box = true;
                }
                self.open_container(BlockKind::TextBox, depth);
            }
            "draw:image" => {
                if let Some(d) = self.draws.last_mut() {
                    d.image = true;
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str, depth: usize) {
        match name {
            "text:p" | "text:h" => self.end_para(),
            "text:list" if self.lists.last().is_some_and(|l| l.depth == depth + 1) => {
                self.lists.pop();
            }
            "table:table-cell" => self.end_container(depth, true),
            "table:table-row" => {
                if let Some(t) = self.tables.last_mut() {
                    t.row = t.row.saturating_add(1).min(MAX_ROWS);
                    if t.body {
                        self.cursor += t.row_height;
                    }
                }
            }
            "table:table" => {
                self.tables.pop();
            }
            "draw:text-box" => self.end_container(depth, false),
            "draw:frame" | "draw:g" => self.end_draw(depth),
            n if SHAPES.contains(&n) => {
                self.end_container(depth, false);
                self.end_draw(depth);
            }
            _ => {}
        }
    }

    fn push_text(&mut self, t: &str) {
        if let Some(p) = self.paras.last_mut() {
            push_capped(&mut p.text, t);
        }
    }

    fn start_para(&mut self, s: &Start, parent: Option<&str>) {
        self.p_count = self.p_count.saturating_add(1);
        let style = s.attr("style-name").map(str::to_string);
        let body = self.containers.is_empty() && self.draws.is_empty();
        if body {
            let st = style.as_deref();
            let master = self.styles.para(st, |p| p.master_page).unwrap_or(false);
            let before = self.styles.para(st, |p| p.break_before).unwrap_or(false);
            if before || (master && self.seen_body_para) {
                self.new_page();
            }
            self.seen_body_para = true;
        }
        // The list label belongs to the item's first paragraph only.
        let label = match (parent, self.lists.last_mut()) {
            (Some("text:list-item"), Some(l)) => l.pending.take(),
            _ => None,
        };
        let slot = body.then(|| {
            self.slots.push(None);
            self.slots.len() - 1
        });
        self.paras.push(Para {
            n: self.p_count,
            body,
            text: String::new(),
            top: self.cursor,
            style,
            span_font: 0,
            label,
            slot,
        });
    }

    fn end_para(&mut self) {
        let Some(p) = self.paras.pop() else { return };
        let st = p.style.as_deref();
        let font = self
            .styles
            .para(st, |s| s.font)
            .unwrap_or(133_350)
            .max(p.span_font);
        let text = match &p.label {
            Some(l) if !p.text.trim().is_empty() => format!("{l}\t{}", p.text),
            _ => p.text.clone(),
        };
        let width = match self.containers.last() {
            // A cell's width: an equal share of its table.
            Some(_) => {
                let cols = self.tables.last().map_or(1, |t| t.columns.max(1)) as i64;
                (self.text_width() / cols).max(1)
            }
            None => self.text_width(),
        };
        let line =
            single_line(font) * self.styles.para(st, |s| s.line_percent).unwrap_or(100) / 100;
        let height = self.styles.para(st, |s| s.margin_top).unwrap_or(0)
            + wrapped_lines(&text, font, width) * line
            + self.styles.para(st, |s| s.margin_bottom).unwrap_or(0);
        if p.body {
            if let Some(slot) = p.slot
                && !text.trim().is_empty()
            {
                self.slots[slot] = Some((
                    Block {
                        text,
                        kind: BlockKind::Paragraph,
                        rect: None,
                        page: self.page,
                        origin: format!("content.xml#p{}", p.n),
                    },
                    false,
                ));
            }
            self.cursor += height;
            if self.styles.para(st, |s| s.break_after).unwrap_or(false) {
                self.new_page();
            }
        } else if let Some(c) = self.containers.last_mut() {
            c.height += height;
            if !text.trim().is_empty() {
                c.lines.push(text);
            }
        }
    }

    fn new_page(&mut self) {
        self.page = self.page.saturating_add(1);
        self.cursor = self.page_geo.top;
    }

    fn text_width(&self) -> i64 {
        (self.page_geo.width - self.page_geo.left - self.page_geo.right).max(914_400)
    }

    fn start_cell(&mut self, s: &Start, depth: usize) {
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        let (row, col) = (t.row, t.col);
        let span = |k| {
            s.attr(k)
                .and_then(|v| v.parse::<u32>().ok())
                .unwrap_or(1)
                .clamp(1, MAX_COLS)
        };
        let (col_span, row_span) = (span("number-columns-spanned"), span("number-rows-spanned"));
        // Every grid position has its own cell or covered cell element.
        t.col = t.col.saturating_add(repeat(s)).min(MAX_COLS);
        let index = t.index;
        self.slots.push(Some((
            Block {
                text: String::new(),
                kind: BlockKind::Cell {
                    table: index,
                    row,
                    col,
                    row_span,
                    col_span,
                },
                rect: None,
                page: self.page,
                origin: format!("content.xml#p{}", self.p_count.saturating_add(1)),
            },
            false,
        )));
        self.containers.push(Container {
            depth,
            slot: self.slots.len() - 1,
            lines: Vec::new(),
            height: 0,
        });
    }

    fn open_container(&mut self, kind: BlockKind, depth: usize) {
        let (rect, page, late) = match self.draws.last() {
            Some(d) => (d.rect, d.page, d.late),
            None => (None, self.page, false),
        };
        self.slots.push(Some((
            Block {
                text: String::new(),
                kind,
                rect,
                page,
                origin: format!("content.xml#p{}", self.p_count.saturating_add(1)),
            },
            late,
        )));
        self.containers.push(Container {
            depth,
            slot: self.slots.len() - 1,
            lines: Vec::new(),
            height: 0,
        });
    }

    fn end_container(&mut self, depth: usize, cell: bool) {
        if self.containers.last().is_none_or(|c| c.depth != depth + 1) {
            return;
        }
        let Some(c) = self.containers.pop() else {
            return;
        };
        if cell && let Some(t) = self.tables.last_mut() {
            t.row_height = t.row_height.max(c.height);
        }
        let text = c.lines.join("\n");
        // Empty cells and boxes are not blocks (as in the .docx reader).
        if text.trim().is_empty() {
            self.slots[c.slot] = None;
        } else if let Some((b, _)) = self.slots[c.slot].as_mut() {
            b.text = text;
        }
    }

    fn start_draw(&mut self, s: &Start, depth: usize) {
        let dim = |k| s.attr(k).and_then(length);
        let (mut x, mut y) = (dim("x"), dim("y"));
        if let (None, None, Some((tx, ty))) = (x, y, s.attr("transform").and_then(translate)) {
            x = Some(tx);
            y = Some(ty);
        }
        let (w, h) = (
            dim("width").unwrap_or(0).max(0),
            dim("height").unwrap_or(0).max(0),
        );
        let (x0, y0, page, late) = match self.draws.last() {
            // Children of groups and objects in frames share the outer anchor.
            Some(d) => (d.x0, d.y0, d.page, d.late),
            None => self.anchor_origin(s, w, h),
        };
        let rect = (x.is_some() || y.is_some() || w > 0 || h > 0).then(|| Rect {
            x: x0.saturating_add(x.unwrap_or(0)),
            y: y0.saturating_add(y.unwrap_or(0)),
            w,
            h,
        });
        self.draws.push(Draw {
            depth,
            x0,
            y0,
            page,
            late,
            rect,
            image: false,
            text_box: false,
        });
    }

    /// Where offsets of a top-level drawing object count from: its anchor
    /// and its graphic style's `vertical-rel`/`horizontal-rel`; positions
    /// other than from-top/from-left are resolved against the page.
    fn anchor_origin(&self, s: &Start, w: i64, h: i64) -> (i64, i64, u32, bool) {
        let g = &self.page_geo;
        let style = s.attr("style-name");
        let anchor = s.attr("anchor-type").unwrap_or("paragraph");
        let on_page = anchor == "page";
        let page = if on_page {
            s.attr("anchor-page-number")
                .and_then(|v| v.parse::<u32>().ok())
                .filter(|&n| n >= 1)
                .map_or(self.page, |n| (n - 1).min(100_000))
        } else {
            self.page
        };
        let para_top = self
            .paras
            .iter()
            .rev()
            .find(|p| p.body)
            .map_or(self.cursor, |p| p.top);
        if anchor == "as-char" {
            return (g.left, para_top, page, false);
        }
        let vrel = self.styles.graphic(style, |x| x.vertical_rel.as_ref());
        let hrel = self.styles.graphic(style, |x| x.horizontal_rel.as_ref());
        let vpos = self.styles.graphic(style, |x| x.vertical_pos.as_ref());
        let hpos = self.styles.graphic(style, |x| x.horizontal_pos.as_ref());
        let (y_base, area_h) = match vrel.as_deref() {
            Some("page") => (0, g.height),
            Some("page-content") => (g.top, g.height - g.top - g.bottom),
            None if on_page => (0, g.height),
            _ => (para_top, 0),
        };
        let (x_base, area_w) = match hrel.as_deref() {
            Some("page" | "page-start-margin") => (0, g.width),
            None if on_page => (0, g.width),
            _ => (g.left, self.text_width()),
        };
        let y0 = match vpos.as_deref() {
            Some("top") => y_base - y_only(s),
            Some("middle" | "center") => y_base + (area_h - h) / 2 - y_only(s),
            Some("bottom") => y_base + area_h - h - y_only(s),
            _ => y_base,
        };
        let x0 = match hpos.as_deref() {
            Some("left") => x_base - x_only(s),
            Some("center") => x_base + (area_w - w) / 2 - x_only(s),
            Some("right") => x_base + area_w - w - x_only(s),
            _ => x_base,
        };
        (x0, y0, page, on_page)
    }

    fn end_draw(&mut self, depth: usize) {
        if self.draws.last().is_none_or(|d| d.depth != depth + 1) {
            return;
        }
        let Some(d) = self.draws.pop() else { return };
        if d.image && !d.text_box {
            self.slots.push(Some((
                Block {
                    text: String::new(),
                    kind: BlockKind::Image,
                    rect: d.rect,
                    page: d.page,
                    origin: format!("content.xml#p{}", self.p_count),
                },
                d.late,
            )));
        }
    }

    fn start_list(&mut self, s: &Start, depth: usize) {
        let outer = self.lists.last();
        let style = s
            .attr("style-name")
            .map(str::to_string)
            .or_else(|| outer.and_then(|l| l.style.clone()));
        let (identity, level) = match outer {
            Some(o) => (o.identity, (o.level + 1).min(MAX_LIST_LEVEL)),
            None => {
                let known = |k: &str| s.attr(k).and_then(|v| self.list_ids.get(v)).copied();
                let continued = (s.attr("continue-numbering") == Some("true"))
                    .then(|| style.as_ref().and_then(|st| self.last_by_style.get(st)))
                    .flatten()
                    .copied();
                let id = known("continue-list")
                    .or_else(|| known("id"))
                    .or(continued)
                    .unwrap_or_else(|| {
                        self.next_identity += 1;
                        self.next_identity
                    });
                (id, 1)
            }
        };
        if level == 1 {
            if let Some(xml_id) = s.attr("id") {
                self.list_ids.insert(xml_id.to_string(), identity);
            }
            if let Some(st) = &style {
                self.last_by_style.insert(st.clone(), identity);
            }
        }
        self.lists.push(OpenList {
            depth,
            identity,
            level,
            style,
            pending: None,
        });
    }

    fn start_item(&mut self, s: &Start) {
        let Some(l) = self.lists.last_mut() else {
            return;
        };
        let levels = l
            .style
            .as_ref()
            .and_then(|st| self.styles.lists.get(st))
            .cloned()
            .unwrap_or_default();
        let level_def = |n: usize| {
            levels.get(&n).cloned().unwrap_or(ListLevel {
                format: Some("1".into()),
                bullet: None,
                prefix: String::new(),
                suffix: ".".into(),
                start: 1,
                display_levels: 1,
            })
        };
        let counters = self.counters.entry(l.identity).or_default();
        let idx = l.level - 1;
        if counters.len() <= idx {
            // Levels never used start one before their start value.
            for k in counters.len()..=idx {
                counters.push(level_def(k + 1).start - 1);
            }
        }
        counters.truncate(idx + 1);
        counters[idx] = match s.attr("start-value").and_then(|v| v.parse::<i64>().ok()) {
            Some(v) => v,
            None => counters[idx].saturating_add(1),
        };
        let def = level_def(l.level);
        l.pending = match (&def.format, &def.bullet) {
            (_, Some(b)) => Some(b.clone()).filter(|b| !b.is_empty()),
            (Some(f), _) if f.is_empty() => None,
            (Some(f), _) => {
                let first = l.level + 1 - def.display_levels.min(l.level);
                let numbers: Vec<String> = (first..=l.level)
                    .map(|k| {
                        let fmt = if k == l.level {
                            f.clone()
                        } else {
                            level_def(k).format.unwrap_or_else(|| "1".into())
                        };
                        format_number(counters.get(k - 1).copied().unwrap_or(1), &fmt)
                    })
                    .collect();
                Some(format!("{}{}{}", def.prefix, numbers.join("."), def.suffix))
            }
            (None, None) => None,
        };
    }

    /// The blocks in reading order: page-anchored objects after their page's
    /// other blocks (they sit at the start of the body in the file).
    pub fn finish(self) -> Vec<Block> {
        let mut all: Vec<(Block, bool)> = self.slots.into_iter().flatten().collect();
        all.sort_by_key(|(b, late)| (b.page, *late));
        all.into_iter().map(|(b, _)| b).collect()
    }
}

/// `number-columns-repeated` (cells, columns), capped.
fn repeat(s: &Start) -> u32 {
    s.attr("number-columns-repeated")
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_COLS)
}

fn x_only(s: &Start) -> i64 {
    s.attr("x").and_then(length).unwrap_or(0)
}

fn y_only(s: &Start) -> i64 {
    s.attr("y").and_then(length).unwrap_or(0)
}

/// The `translate (x y)` of a `draw:transform` (rotated shapes).
fn translate(t: &str) -> Option<(i64, i64)> {
    let i = t.find("translate")?;
    let rest = &t[i + "translate".len()..];
    let open = rest.find('(')?;
    let close = rest.find(')')?;
    let inner = rest.get(open + 1..close)?;
    let mut parts = inner.split_whitespace();
    Some((length(parts.next()?)?, length(parts.next()?)?))
}

fn push_capped(text: &mut String, more: &str) {
    if text.len() + more.len() <= MAX_PARA_BYTES {
        text.push_str(more);
    }
}

/// A counter value in an ODF `style:num-format`.
pub fn format_number(v: i64, fmt: &str) -> String {
    match fmt.chars().next() {
        Some('a') => letters(v, false),
        Some('A') => letters(v, true),
        Some('i') => roman(v, false),
        Some('I') => roman(v, true),
        Some('一') => chinese(v, false),
        Some('壹') => chinese(v, true),
        Some('①') => enclosed(v, 20, '\u{2460}'),
        Some('⑴') => enclosed(v, 20, '\u{2474}'),
        Some('⒈') => enclosed(v, 20, '\u{2488}'),
        Some('１') => full_width_digits(&v.to_string()),
        Some('甲') => cycle(v, "甲乙丙丁戊己庚辛壬癸"),
        Some('子') => cycle(v, "子丑寅卯辰巳午未申酉戌亥"),
        _ => v.to_string(),
    }
}

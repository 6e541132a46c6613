//! The one streaming pass over `word/document.xml` that turns paragraphs,
//! table cells, text boxes and pictures into blocks.
//!
//! State is a handful of stacks that mirror the XML nesting: open paragraphs,
//! open text containers (cells, boxes) and open tables; drawing geometry is
//! kept by [`Drawings`]. Alongside, a vertical cursor estimates where each
//! body paragraph starts, for objects positioned relative to a paragraph.
//! Every handler gets the names of the open elements, so a truncated file can
//! be closed cleanly by replaying the missing end tags.

use super::drawing::{Drawings, Found, Here};
use super::geometry::{EMU_PER_TWIP, Section};
use super::numbering::{Counters, Numbering};
use super::repeats::{MAX_CONTENT, Properties, Repeats};
use super::sections;
use super::styles::{LineRule, Props, Setting, Styles, on_off};
use super::tokens::Allowed;
use super::xml::{Ev, Known as K, Name, Pull, Start, Stop};
use crate::document::{Block, BlockKind, Rect};
use std::collections::HashMap;

/// Inputs shared by the whole pass.
pub struct Setup<'a> {
    pub part: &'a str,
    pub styles: &'a Styles,
    pub numbering: &'a Numbering,
    pub max_depth: usize,
}

/// Read the blocks of one body part, and why the pass stopped early if it
/// did (the blocks read so far are kept either way). One pass over the part
/// when the guessed sections are right, which they are for Word's files
/// (see [`sections`]).
pub fn read(setup: &Setup, xml: &[u8]) -> (Vec<Block>, Option<Stop>) {
    // UTF-8 is checked once for the whole part, here (with SIMD: parts run
    // to megabytes, and `std`'s check was 2.4 % of reading); a part that
    // is not UTF-8 is tokenised by quick-xml, which says where it breaks.
    let text = simdutf8::basic::from_utf8(xml).ok();
    let guessed = text.map_or_else(Vec::new, |t| sections::guess(t, setup.max_depth));
    let pull = || match text {
        Some(t) => Pull::from_str(t, setup.max_depth),
        None => Pull::new(xml, setup.max_depth),
    };
    let mut pass = Pass::new(setup, &guessed);
    let (stop, found) = pass.run(pull());
    if found == guessed {
        return (pass.blocks, stop);
    }
    let mut pass = Pass::new(setup, &found);
    let (stop, _) = pass.run(pull());
    (pass.blocks, stop)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Level {
    Body,
    Cell,
    Box,
}

/// One open `w:p`.
struct Para {
    n: u32,
    level: Level,
    /// Inside a text box (at any depth): page breaks do not apply.
    in_box: bool,
    text: String,
    /// Byte index in `text` after the last page break (for the height estimate).
    measure_from: usize,
    style: Option<String>,
    direct: Props,
    props: Option<Props>,
    /// Depth of this paragraph's own `w:pPr` while it is open.
    ppr_depth: Option<usize>,
    run_size: Option<i64>,
    label: Option<String>,
    sect_break: bool,
    page: Option<u32>,
    top: i64,
    /// The current run is hidden (`w:vanish`).
    run_hidden: bool,
    /// Tallest inline drawing in the paragraph: its line grows to fit it.
    inline_h: i64,
    /// Body paragraphs hold their place in the block list from their start,
    /// so they come before the boxes they anchor.
    block: Option<usize>,
}

/// One open cell or text box collecting its paragraphs' lines.
struct Container {
    level: Level,
    block: usize,
    lines: Vec<String>,
    has_para: bool,
    /// Cells: the row's top; boxes: the anchoring paragraph's top.
    base_top: i64,
    /// Cells: estimated height so far.
    height: i64,
}

struct Table {
    index: u32,
    grid: Vec<i64>,
    row: i64,
    col: u32,
    row_top: i64,
    row_height: i64,
    row_min: i64,
    /// Grid column → (block of the restart cell, its row).
    merges: HashMap<u32, (usize, i64)>,
    cell_col: u32,
    cell_span: u32,
    /// `Some(true)` restart, `Some(false)` continue.
    cell_vmerge: Option<bool>,
}

struct Pass<'a> {
    setup: &'a Setup<'a>,
    /// Page geometry, one per section in order.
    sections: &'a [Section],
    blocks: Vec<Block>,
    counters: Counters,
    p_count: u32,
    page: u32,
    section: usize,
    /// Estimated top of the next body paragraph on the current page (EMU).
    cursor: i64,
    paras: Vec<Para>,
    containers: Vec<Container>,
    tables: Vec<Table>,
    next_table: u32,
    drawings: Drawings,
    /// One entry per open field: `true` while in its instruction part.
    fields: Vec<bool>,
    /// Per open `mc:AlternateContent`: a Choice has been taken.
    alternates: Vec<bool>,
    /// Depth of the element whose subtree is being skipped.
    skip: Option<usize>,
    /// What each distinct plain property element did.
    repeats: Repeats<Box<[Effect]>>,
}

const MAX_FIELDS: usize = 64;

/// Shape properties whose content no reader here looks into (presets,
/// fills, outlines, effects, text-body settings, relative sizes, locks):
/// their subtrees are passed over unread (see [`Pull::skip_subtree`]), the
/// way Word's own text does not depend on them.
fn is_unread_subtree(name: &Name) -> bool {
    matches!(
        name.as_str(),
        "a:prstGeom"
            | "a:custGeom"
            | "a:solidFill"
            | "a:gradFill"
            | "a:pattFill"
            | "a:ln"
            | "a:effectLst"
            | "a:scene3d"
            | "a:sp3d"
            | "wps:bodyPr"
            | "wps:cNvSpPr"
            | "wps:cNvCnPr"
            | "wp:cNvGraphicFramePr"
            | "wp14:sizeRelH"
            | "wp14:sizeRelV"
    )
}

/// One element of a paragraph's properties (`in_rpr`: of its mark's
/// run properties), however it was read.
fn apply_paragraph_property(p: &mut Para, s: &Start, in_rpr: bool) {
    if s.name.is(K::SectPr) {
        p.sect_break = true;
    } else if let Some(effect) = Effect::of_paragraph_property(s, in_rpr) {
        effect.apply(p);
    }
}

/// What one property element does to the paragraph it is read in, read
/// from the element once: a part repeats the same property elements
/// thousands of times, and what each distinct one does is kept (see
/// [`Repeats`]).
#[derive(Debug, Clone, PartialEq)]
enum Effect {
    /// `w:pStyle`.
    Style(Option<Box<str>>),
    /// A direct property of the paragraph or of its mark.
    Direct(Setting),
    /// A run's `w:sz`: the paragraph's tallest run so far.
    RunSize(i64),
    /// A run's `w:vanish`.
    RunHidden(bool),
}

impl Effect {
    /// A paragraph property other than a section's. Matched by [`K`] id
    /// only, as [`Setting::read`] is, so the byte scan, which names plain
    /// children by [`K::of_w`], offers every property read here.
    fn of_paragraph_property(s: &Start, in_rpr: bool) -> Option<Effect> {
        match s.name.known() {
            Some(K::PStyle) if !in_rpr => Some(Effect::Style(s.attr("val").map(Into::into))),
            _ => Setting::read(s, in_rpr).map(Effect::Direct),
        }
    }

    /// A run property: of a run's only the size and `w:vanish` count, of a
    /// paragraph mark's only the size.
    fn of_run_property(s: &Start, in_run: bool) -> Option<Effect> {
        match s.name.known()? {
            K::Sz if in_run => s
                .attr_i64("val")
                .filter(|&v| v > 0 && v < 4000)
                .map(Effect::RunSize),
            K::Vanish if in_run => Some(Effect::RunHidden(on_off(s))),
            _ if in_run => None,
            _ => Setting::read(s, true).map(Effect::Direct),
        }
    }

    fn apply(&self, p: &mut Para) {
        match self {
            Effect::Style(style) => p.style = style.as_deref().map(str::to_string),
            Effect::Direct(setting) => p.direct.set(*setting),
            Effect::RunSize(v) => p.run_size = Some(p.run_size.map_or(*v, |r| r.max(*v))),
            Effect::RunHidden(hidden) => p.run_hidden = *hidden,
        }
    }
}

/// The open property element's content, when plain (see
/// [`Pull::plain_children`]), applied to `p` and passed over; when it is
/// not, nothing is passed over and its children come as events. Content
/// read before is known again by its bytes and not read again (see
/// [`Repeats`]).
fn read_plain(
    repeats: &mut Repeats<Box<[Effect]>>,
    pull: &mut Pull,
    p: &mut Para,
    which: Properties,
) {
    // A paragraph's may hold its mark's run properties; a section's
    // properties are read from their events.
    let (allowed, nested): (Allowed, Option<(&[u8], Allowed)>) = match which {
        Properties::Paragraph => (|local| local != b"sectPr", Some((b"rPr", is_run_property))),
        Properties::Run | Properties::Mark => (is_run_property, None),
    };
    let seen = pull.plain_content(nested.is_some(), MAX_CONTENT);
    if let Some((content, written)) = seen
        && let Some(effects) = repeats.get(which, written, content)
    {
        pull.pass_over(content);
        for effect in effects {
            effect.apply(p);
        }
        return;
    }
    let Some(children) = pull.plain_children(allowed, nested) else {
        return;
    };
    let content = children.content();
    let effects: Box<[Effect]> = children
        .filter_map(|child| {
            // A name that is not known is read by no property match.
            let name = K::of_w(child.local)?;
            let start = child.start(name);
            match which {
                Properties::Paragraph => Effect::of_paragraph_property(&start, child.nested),
                Properties::Run => Effect::of_run_property(&start, true),
                Properties::Mark => Effect::of_run_property(&start, false),
            }
        })
        .collect();
    for effect in &effects {
        effect.apply(p);
    }
    if let Some((seen, written)) = seen
        && seen == content
    {
        repeats.keep(which, written, content, effects);
    }
}

/// Whether a local name is one of the elements a `w:rPr` may hold
/// (ECMA-376 `CT_RPr`). Of these the pass reads `sz` and `vanish`; none
/// starts or ends anything.
fn is_run_property(local: &[u8]) -> bool {
    matches!(
        local,
        b"rStyle"
            | b"rFonts"
            | b"b"
            | b"bCs"
            | b"i"
            | b"iCs"
            | b"caps"
            | b"smallCaps"
            | b"strike"
            | b"dstrike"
            | b"outline"
            | b"shadow"
            | b"emboss"
            | b"imprint"
            | b"noProof"
            | b"snapToGrid"
            | b"vanish"
            | b"webHidden"
            | b"color"
            | b"spacing"
            | b"w"
            | b"kern"
            | b"position"
            | b"sz"
            | b"szCs"
            | b"highlight"
            | b"u"
            | b"effect"
            | b"bdr"
            | b"shd"
            | b"fitText"
            | b"vertAlign"
            | b"rtl"
            | b"cs"
            | b"em"
            | b"lang"
            | b"eastAsianLayout"
            | b"specVanish"
            | b"oMath"
    )
}

impl<'a> Pass<'a> {
    fn new(setup: &'a Setup<'a>, sections: &'a [Section]) -> Self {
        let mut pass = Pass {
            setup,
            sections,
            blocks: Vec::new(),
            counters: Counters::default(),
            p_count: 0,
            page: 0,
            section: 0,
            cursor: 0,
            paras: Vec::new(),
            containers: Vec::new(),
            tables: Vec::new(),
            next_table: 0,
            drawings: Drawings::default(),
            fields: Vec::new(),
            alternates: Vec::new(),
            skip: None,
            repeats: Repeats::default(),
        };
        pass.cursor = pass.sect().top;
        pass
    }

    /// Run over the whole part. Returns why it stopped early, if it did (the
    /// blocks read so far are kept either way), and the sections the part
    /// holds, read from the same events.
    fn run(&mut self, mut pull: Pull) -> (Option<Stop>, Vec<Section>) {
        let mut scan = sections::Scan::default();
        let stop = loop {
            let ev = match pull.next() {
                Ok(Ev::Eof) => break None,
                Ok(ev) => ev,
                Err(e) => break Some(e),
            };
            scan.event(&ev);
            match &ev {
                Ev::Start(s) => {
                    self.start(s, pull.open());
                    if s.name.is(K::RPr) {
                        self.run_properties(&mut pull);
                    } else if s.name.is(K::PPr) {
                        self.paragraph_properties(&mut pull);
                    } else if s.name.known().is_none()
                        && self.skip.is_none()
                        && is_unread_subtree(&s.name)
                    {
                        pull.skip_subtree();
                    }
                    // A subtree the pass ignores (a Fallback, an unknown
                    // Choice) need not be tokenised at all.
                    if self.skip == Some(pull.open().len()) {
                        pull.skip_subtree();
                    }
                }
                Ev::End(name) => self.end(name, pull.open()),
                Ev::Text(t) => self.text(t, pull.open()),
                Ev::Eof => {}
            }
        };
        // Close whatever is still open so the text read so far is kept.
        let mut open = pull.open().to_vec();
        while let Some(name) = open.pop() {
            self.end(&name, &open);
        }
        self.blocks
            .retain(|b| b.kind == BlockKind::Image || !b.text.trim().is_empty());
        (stop, scan.into_sections())
    }

    /// A `w:rPr` just started. Of a run's properties only the size and
    /// `w:vanish` count, and of a paragraph mark's only the size: when the
    /// properties are plain (see [`Pull::plain_children`]) those are taken
    /// here and the rest is passed over, with the same result as reading
    /// every property as events.
    fn run_properties(&mut self, pull: &mut Pull) {
        if self.skip.is_some() {
            return;
        }
        let open = pull.open();
        let depth = open.len();
        let Some(p) = self.paras.last_mut() else {
            return;
        };
        let in_run = depth >= 2 && open[depth - 2].is(K::R) && p.ppr_depth.is_none();
        let in_mark = p.ppr_depth == Some(depth - 1);
        let which = match (in_run, in_mark) {
            (true, _) => Properties::Run,
            (false, true) => Properties::Mark,
            (false, false) => return,
        };
        read_plain(&mut self.repeats, pull, p, which);
    }

    /// A `w:pPr` just started. When it holds only plain empty properties,
    /// and the mark's `w:rPr` of plain run properties (see
    /// [`Pull::plain_children`]), they are taken here as
    /// [`Pass::paragraph_property`] takes them as events, and the rest is
    /// passed over. Paragraph properties were a fifth of a Word part's
    /// bytes, each property two events.
    fn paragraph_properties(&mut self, pull: &mut Pull) {
        if self.skip.is_some() {
            return;
        }
        let depth = pull.open().len();
        let Some(p) = self.paras.last_mut().filter(|p| p.ppr_depth == Some(depth)) else {
            return;
        };
        read_plain(&mut self.repeats, pull, p, Properties::Paragraph);
    }

    fn sect(&self) -> Section {
        let s = self.sections;
        s.get(self.section)
            .or_else(|| s.last())
            .copied()
            .unwrap_or_default()
    }

    /// `word/document.xml#p12`: made for every paragraph, so without the
    /// formatting machinery.
    fn origin(&self, n: u32) -> String {
        let part = self.setup.part;
        let mut digits = itoa::Buffer::new();
        let digits = digits.format(n);
        let mut origin = String::with_capacity(part.len() + 2 + digits.len());
        origin.push_str(part);
        origin.push_str("#p");
        origin.push_str(digits);
        origin
    }

    fn in_box(&self) -> bool {
        self.containers.iter().any(|c| c.level == Level::Box)
    }

    fn new_page(&mut self) {
        if self.in_box() {
            return;
        }
        self.page += 1;
        self.cursor = self.sect().top;
    }

    /// Estimated top of the paragraph that anchors whatever starts now.
    fn anchor_top(&self) -> i64 {
        match self.containers.last() {
            None => self.paras.last().map(|p| p.top).unwrap_or(self.cursor),
            Some(c) if c.level == Level::Cell => c.base_top.saturating_add(c.height),
            Some(c) => c.base_top,
        }
    }

    /// Line height of the innermost paragraph (for `relativeFrom="line"`).
    fn line_height(&self) -> i64 {
        let props = self
            .paras
            .last()
            .and_then(|p| p.props)
            .unwrap_or_else(|| self.setup.styles.resolve(None));
        line_height(&props, None, self.sect().line_pitch)
    }

    fn push_block(&mut self, kind: BlockKind, rect: Option<Rect>, origin: String) -> usize {
        self.blocks.push(Block {
            text: String::new(),
            kind,
            rect,
            page: self.page,
            origin,
        });
        self.blocks.len() - 1
    }

    fn start(&mut self, s: &Start, open: &[Name]) {
        if self.skip.is_some() {
            return;
        }
        let depth = open.len();
        let parent_name = depth.checked_sub(2).and_then(|i| open.get(i));
        let parent_str = parent_name.map(Name::as_str).unwrap_or("");
        // The hot names are matched by id (see `Known`), not by text.
        let parent = parent_name.and_then(Name::known);
        // Any other child of a paragraph ends its properties.
        if parent == Some(K::P) && !s.name.is(K::PPr) {
            self.finish_props();
        }
        if let Some(d) = self.paras.last().and_then(|p| p.ppr_depth)
            && depth > d
        {
            self.paragraph_property(s, open, d);
            return;
        }
        match s.name.known() {
            Some(K::AlternateContent) => self.alternates.push(false),
            Some(K::Choice) => match self.alternates.last_mut() {
                Some(taken) if !*taken && understood(s.attr("Requires").unwrap_or("")) => {
                    *taken = true
                }
                _ => self.skip = Some(depth),
            },
            // The Fallback repeats the Choice (usually as VML): reading both duplicates text.
            Some(K::Fallback) => {
                if self.alternates.last().copied().unwrap_or(false) {
                    self.skip = Some(depth);
                }
            }
            Some(K::P) => self.start_para(),
            Some(K::PPr) if parent == Some(K::P) => {
                if let Some(p) = self.paras.last_mut() {
                    p.ppr_depth = Some(depth);
                }
            }
            Some(K::R) => {
                if let Some(p) = self.paras.last_mut() {
                    p.run_hidden = false;
                }
            }
            // A run's size and `w:vanish` (hidden text is not shown by
            // Word), when its properties were not plain.
            Some(K::Sz | K::Vanish)
                if parent == Some(K::RPr)
                    && depth >= 3
                    && open.get(depth - 3).is_some_and(|n| n.is(K::R)) =>
            {
                if let (Some(p), Some(effect)) =
                    (self.paras.last_mut(), Effect::of_run_property(s, true))
                {
                    effect.apply(p);
                }
            }
            Some(K::Tab | K::PTab) if parent == Some(K::R) => self.push_text("\t"),
            Some(K::Cr) if parent == Some(K::R) => self.push_text("\n"),
            Some(K::NoBreakHyphen) if parent == Some(K::R) => self.push_text("-"),
            // A symbol-font character (☐, bullets): kept as the code point Word stores.
            Some(K::Sym) if parent == Some(K::R) => {
                let c = s
                    .attr("char")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32);
                if let Some(c) = c {
                    self.push_text(c.encode_utf8(&mut [0; 4]));
                }
            }
            Some(K::Br) if parent == Some(K::R) => match s.attr("type") {
                Some("page") => {
                    if !self.in_box() {
                        self.new_page();
                        let top = self.cursor;
                        if let Some(p) = self.paras.last_mut() {
                            p.measure_from = p.text.len();
                            p.top = top;
                        }
                    }
                }
                Some("column") => {}
                _ => self.push_text("\n"),
            },
            Some(K::FldChar) => match s.attr("fldCharType") {
                Some("begin") if self.fields.len() < MAX_FIELDS => {
                    self.fields.push(true);
                }
                Some("separate") => {
                    if let Some(f) = self.fields.last_mut() {
                        *f = false;
                    }
                }
                Some("end") => {
                    self.fields.pop();
                }
                _ => {}
            },
            Some(K::Tbl) => self.start_table(),
            Some(K::GridCol) if parent == Some(K::TblGrid) => {
                if let (Some(t), Some(w)) = (self.tables.last_mut(), s.attr_i64("w"))
                    && t.grid.len() < 1000
                {
                    t.grid.push(w.clamp(0, 100_000));
                }
            }
            Some(K::Tr) => self.start_row(),
            Some(K::GridBefore) if parent == Some(K::TrPr) => {
                if let (Some(t), Some(v)) = (self.tables.last_mut(), s.attr_i64("val")) {
                    t.col = t.col.saturating_add(v.clamp(0, 1000) as u32);
                }
            }
            Some(K::TrHeight) if parent == Some(K::TrPr) => {
                if let (Some(t), Some(v)) = (self.tables.last_mut(), s.attr_i64("val")) {
                    t.row_min = v.clamp(0, 100_000) * EMU_PER_TWIP;
                }
            }
            Some(K::Tc) => self.start_cell(),
            Some(K::GridSpan) if parent == Some(K::TcPr) => {
                let span = s.attr_i64("val").unwrap_or(1).clamp(1, 1000) as u32;
                if let Some(t) = self.tables.last_mut() {
                    t.cell_span = span;
                }
                if let Some(c) = self.containers.last()
                    && let Some(BlockKind::Cell { col_span, .. }) =
                        self.blocks.get_mut(c.block).map(|b| &mut b.kind)
                {
                    *col_span = span;
                }
            }
            Some(K::VMerge) if parent == Some(K::TcPr) => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell_vmerge = Some(s.attr("val") == Some("restart"));
                }
            }
            Some(K::TxbxContent) => self.start_box(),
            // Most elements: none of the drawing reader's business.
            Some(k) if !k.is_drawing() => {}
            _ => {
                let here = Drawings::needs_here(&s.name).then(|| self.here());
                if let Some(found) = self.drawings.start(s, parent_str, here) {
                    self.found(found);
                }
            }
        }
    }

    fn end(&mut self, name: &Name, open: &[Name]) {
        if let Some(d) = self.skip {
            if open.len() < d {
                self.skip = None;
            }
            return;
        }
        if let Some(p) = self.paras.last_mut()
            && p.ppr_depth == Some(open.len() + 1)
            && name.is(K::PPr)
        {
            p.ppr_depth = None;
            self.finish_props();
            return;
        }
        let parent = open.last().map(Name::as_str).unwrap_or("");
        match name.known() {
            Some(K::AlternateContent) => {
                self.alternates.pop();
            }
            Some(K::P) => self.end_para(),
            Some(K::Tc) => self.end_cell(),
            Some(K::Tr) => self.end_row(),
            Some(K::Tbl) => {
                self.tables.pop();
            }
            Some(K::TxbxContent) => self.end_box(),
            Some(k) if !k.is_drawing() => {}
            _ => {
                if let Some(found) = self.drawings.end(name, parent) {
                    self.found(found);
                }
            }
        }
    }

    fn text(&mut self, t: &str, open: &[Name]) {
        if self.skip.is_some() {
            return;
        }
        match open.last().and_then(Name::known) {
            Some(K::T) => {
                if self.fields.iter().any(|&code| code) {
                    return;
                }
                // Deleted and moved-away text is not shown.
                let deleted = open
                    .iter()
                    .rev()
                    .take_while(|n| !n.is(K::P))
                    // Ruby guide text (pinyin over the base text) is not part of the line.
                    .any(|n| n.is(K::Del) || n.is(K::MoveFrom) || n.is(K::Rt));
                if !deleted {
                    self.push_text(t);
                }
            }
            Some(K::PosOffset | K::Align) => self.drawings.text(t),
            _ => {}
        }
    }

    fn push_text(&mut self, t: &str) {
        let page = self.page;
        if let Some(p) = self.paras.last_mut().filter(|p| !p.run_hidden) {
            p.text.push_str(t);
            if p.page.is_none() && !t.trim().is_empty() {
                p.page = Some(page);
            }
        }
    }

    // ---- paragraphs ----

    fn start_para(&mut self) {
        self.p_count = self.p_count.saturating_add(1);
        let n = self.p_count;
        let level = self.containers.last().map_or(Level::Body, |c| c.level);
        let top = self.anchor_top_for_new(level);
        // A body paragraph is its own block; a cell or box takes the origin
        // of its first paragraph (the origin is made only where it is kept).
        let mut block = None;
        match self.containers.last_mut() {
            None => block = Some(self.push_block(BlockKind::Paragraph, None, self.origin(n))),
            Some(c) if !c.has_para => {
                c.has_para = true;
                let at = c.block;
                let origin = self.origin(n);
                if let Some(b) = self.blocks.get_mut(at) {
                    b.origin = origin;
                }
            }
            Some(_) => {}
        }
        self.paras.push(Para {
            n,
            level,
            in_box: self.in_box(),
            text: String::new(),
            measure_from: 0,
            style: None,
            direct: Props::default(),
            props: None,
            ppr_depth: None,
            run_size: None,
            label: None,
            sect_break: false,
            page: None,
            top,
            run_hidden: false,
            inline_h: 0,
            block,
        });
    }

    fn anchor_top_for_new(&self, level: Level) -> i64 {
        match level {
            Level::Body => self.cursor,
            _ => self.anchor_top(),
        }
    }

    /// An element inside the open paragraph's own `w:pPr` (at depth `d`).
    fn paragraph_property(&mut self, s: &Start, open: &[Name], d: usize) {
        let inner = open.get(d..open.len().saturating_sub(1)).unwrap_or(&[]);
        // Old properties of tracked changes and the section's own settings are not ours.
        if inner
            .iter()
            .any(|n| n.ends_with("Change") || n == "w:sectPr")
        {
            return;
        }
        let in_rpr = inner.iter().any(|n| n == "w:rPr");
        if let Some(p) = self.paras.last_mut() {
            apply_paragraph_property(p, s, in_rpr);
        }
    }

    /// The paragraph's properties are complete: resolve style, apply
    /// page-break-before, and count its list number.
    fn finish_props(&mut self) {
        let setup = self.setup;
        let Some(p) = self.paras.last_mut() else {
            return;
        };
        if p.props.is_some() {
            return;
        }
        p.ppr_depth = None;
        let style = setup.styles.resolve(p.style.as_deref());
        let mut props = p.direct.or(&style);
        // A direct numId without a level is level 0, not the style's level.
        if p.direct.num_id.is_some() && p.direct.ilvl.is_none() {
            props.ilvl = Some(0);
        }
        if let Some(num_id) = props.num_id {
            p.label = self
                .counters
                .next_label(setup.numbering, num_id, props.ilvl.unwrap_or(0));
        }
        let break_before = props.page_break_before == Some(true) && !p.in_box;
        p.props = Some(props);
        if break_before {
            self.new_page();
            let top = self.cursor;
            if let Some(p) = self.paras.last_mut() {
                p.top = top;
            }
        }
    }

    fn end_para(&mut self) {
        self.finish_props();
        // A field instruction never spans paragraphs in practice: a missing
        // `separate` must not hide the rest of the document.
        for code in &mut self.fields {
            *code = false;
        }
        let Some(p) = self.paras.pop() else { return };
        let text = p.text.trim_end_matches('\r').to_string();
        let blank = text.trim().is_empty();
        let line = match (&p.label, blank) {
            (Some(label), false) => format!("{label}\t{text}"),
            _ => text,
        };
        let props = p.props.unwrap_or_default();
        let measured = p.text.get(p.measure_from..).unwrap_or("");
        let grid = self.sect().line_pitch;
        let sized = |width| para_height(&props, p.run_size, measured, width, grid).max(p.inline_h);
        match p.level {
            Level::Body => {
                let h = sized(self.sect().text_width());
                self.cursor = advance(self.cursor, h);
                let page = p.page.unwrap_or(self.page);
                if let Some(b) = p.block.and_then(|i| self.blocks.get_mut(i)) {
                    b.text = line;
                    b.page = page;
                }
            }
            Level::Cell | Level::Box => {
                let width = self.cell_width();
                if let Some(c) = self.containers.last_mut() {
                    if c.level == Level::Cell {
                        c.height = advance(c.height, sized(width));
                    }
                    if c.lines.len() < 100_000 {
                        c.lines.push(line);
                    }
                }
            }
        }
        if p.sect_break && p.level == Level::Body {
            let continuous = self.sect().continuous;
            self.section += 1;
            if !continuous {
                self.new_page();
            } else {
                self.cursor = self.cursor.max(self.sect().top);
            }
        }
    }

    // ---- tables ----

    fn start_table(&mut self) {
        let index = self.next_table;
        self.next_table = self.next_table.saturating_add(1);
        self.tables.push(Table {
            index,
            grid: Vec::new(),
            row: -1,
            col: 0,
            row_top: 0,
            row_height: 0,
            row_min: 0,
            merges: HashMap::new(),
            cell_col: 0,
            cell_span: 1,
            cell_vmerge: None,
        });
    }

    fn start_row(&mut self) {
        let top = match self.containers.last() {
            None => self.cursor,
            Some(_) => self.anchor_top(),
        };
        if let Some(t) = self.tables.last_mut() {
            t.row += 1;
            t.col = 0;
            t.row_top = top;
            t.row_height = 0;
            t.row_min = 0;
        }
    }

    fn end_row(&mut self) {
        let Some(t) = self.tables.last() else { return };
        let h = t.row_height.max(t.row_min);
        match self.containers.last_mut() {
            None => self.cursor = advance(self.cursor, h),
            Some(c) if c.level == Level::Cell => c.height = advance(c.height, h),
            Some(_) => {}
        }
    }

    fn start_cell(&mut self) {
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        t.cell_col = t.col;
        t.cell_span = 1;
        t.cell_vmerge = None;
        let kind = BlockKind::Cell {
            table: t.index,
            row: u32::try_from(t.row.max(0)).unwrap_or(u32::MAX),
            col: t.col,
            row_span: 1,
            col_span: 1,
        };
        let base_top = t.row_top;
        let origin = self.origin(self.p_count.saturating_add(1));
        let block = self.push_block(kind, None, origin);
        self.containers.push(Container {
            level: Level::Cell,
            block,
            lines: Vec::new(),
            has_para: false,
            base_top,
            height: 0,
        });
    }

    /// Width of the innermost open cell from the table grid (text width when unknown).
    fn cell_width(&self) -> i64 {
        let text_width = self.sect().text_width();
        let Some(t) = self.tables.last() else {
            return text_width;
        };
        let from = t.cell_col as usize;
        let to = from.saturating_add(t.cell_span as usize).min(t.grid.len());
        let w: i64 = t.grid.get(from..to).map_or(0, |g| g.iter().sum());
        if w > 0 {
            (w * EMU_PER_TWIP).max(91_440)
        } else {
            text_width
        }
    }

    fn end_cell(&mut self) {
        if self.containers.last().map(|c| c.level) != Some(Level::Cell) {
            return;
        }
        let Some(c) = self.containers.pop() else {
            return;
        };
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        let text = c.lines.join("\n");
        let (col, span) = (t.cell_col, t.cell_span);
        t.row_height = t.row_height.max(c.height);
        t.col = t.col.saturating_add(span);
        let merged_into = match t.cell_vmerge {
            Some(false) => t.merges.get(&col).copied(),
            _ => None,
        };
        if let Some((target, start_row)) = merged_into {
            // A continuation cell: the restart cell grows; its own text is appended.
            let rows = u32::try_from(t.row - start_row + 1).unwrap_or(1);
            if let Some(b) = self.blocks.get_mut(target) {
                if let BlockKind::Cell { row_span, .. } = &mut b.kind {
                    *row_span = rows;
                }
                if !text.trim().is_empty() {
                    if !b.text.is_empty() {
                        b.text.push('\n');
                    }
                    b.text.push_str(&text);
                }
            }
            return;
        }
        for k in col..col.saturating_add(span).min(col.saturating_add(1000)) {
            t.merges.remove(&k);
        }
        if t.cell_vmerge == Some(true) {
            t.merges.insert(col, (c.block, t.row));
        }
        if let Some(b) = self.blocks.get_mut(c.block) {
            b.text = text;
        }
    }

    // ---- text boxes ----

    fn start_box(&mut self) {
        let rect = self.drawings.open_box();
        let base_top = self.anchor_top();
        let origin = self.origin(self.p_count.saturating_add(1));
        let block = self.push_block(BlockKind::TextBox, rect, origin);
        self.containers.push(Container {
            level: Level::Box,
            block,
            lines: Vec::new(),
            has_para: false,
            base_top,
            height: 0,
        });
    }

    fn end_box(&mut self) {
        self.drawings.close_box();
        if self.containers.last().map(|c| c.level) != Some(Level::Box) {
            return;
        }
        if let Some(c) = self.containers.pop()
            && let Some(b) = self.blocks.get_mut(c.block)
        {
            b.text = c.lines.join("\n");
        }
    }

    fn push_image(&mut self, rect: Option<Rect>) {
        let n = self.paras.last().map_or(self.p_count, |p| p.n);
        let origin = self.origin(n);
        self.push_block(BlockKind::Image, rect, origin);
    }

    // ---- drawings ----

    /// Where a drawing starting now is anchored.
    fn here(&self) -> Here {
        let sect = self.sect();
        Here {
            sect,
            column: self.column(&sect),
            para_top: self.anchor_top(),
            line: self.line_height(),
        }
    }

    /// The text column at this point: the open table cell (from the grid), else
    /// the margin area.
    fn column(&self, sect: &Section) -> (i64, i64) {
        let in_cell = self.containers.last().map(|c| c.level) == Some(Level::Cell);
        match self.tables.last() {
            Some(t) if in_cell && !t.grid.is_empty() => {
                let before: i64 = t.grid.iter().take(t.cell_col as usize).sum();
                (sect.left + before * EMU_PER_TWIP, self.cell_width())
            }
            _ => (sect.left, sect.text_width()),
        }
    }

    fn found(&mut self, found: Found) {
        match found {
            Found::Image(rect) => self.push_image(rect),
            Found::InlineHeight(h) => {
                if let Some(p) = self.paras.last_mut() {
                    p.inline_h = p.inline_h.max(h);
                }
            }
        }
    }
}

/// Estimated positions stay below this (about 28 km of paper), so sums of
/// positions and sizes can never overflow on absurd input.
const MAX_Y: i64 = 1_000_000_000_000_000;

fn advance(y: i64, h: i64) -> i64 {
    y.saturating_add(h).clamp(0, MAX_Y)
}

/// Whether the reader understands every namespace an `mc:Choice` requires;
/// otherwise the Fallback is read instead (as Word does).
fn understood(requires: &str) -> bool {
    requires.split_whitespace().all(|ns| {
        matches!(
            ns,
            "wps"
                | "wpg"
                | "wpc"
                | "wp14"
                | "w14"
                | "w15"
                | "w16se"
                | "w16cid"
                | "a14"
                | "v"
                | "o"
                | "w10"
                | "wpi"
                | "wne"
                | "m"
        )
    })
}

/// Line height in EMU: `auto` lines are multiples of 1.3 × the font size,
/// rounded up to whole pitches of a snapping document grid.
fn line_height(props: &Props, run_size: Option<i64>, grid: Option<i64>) -> i64 {
    let font = font_emu(props, run_size);
    let grid = grid.filter(|_| props.snap_to_grid != Some(false));
    let natural = crate::read::estimate::single_line(font);
    let single = match grid {
        Some(pitch) if pitch > 0 => ((natural + pitch - 1) / pitch).max(1) * pitch,
        _ => natural,
    };
    match (props.line, props.line_rule) {
        (Some(l), Some(LineRule::Exact)) => l * EMU_PER_TWIP,
        (Some(l), Some(LineRule::AtLeast)) => (l * EMU_PER_TWIP).max(single),
        (Some(l), _) => single * l / 240,
        (None, _) => single,
    }
}

/// Font size in EMU (half-points × 6350), 10.5 pt when nothing says otherwise.
fn font_emu(props: &Props, run_size: Option<i64>) -> i64 {
    run_size.or(props.size).unwrap_or(21) * 6_350
}

/// Estimated height of a paragraph set in `width` EMU.
fn para_height(
    props: &Props,
    run_size: Option<i64>,
    text: &str,
    width: i64,
    grid: Option<i64>,
) -> i64 {
    let font = font_emu(props, run_size);
    let lines = crate::read::estimate::wrapped_lines(text, font, width);
    let before = props.before.unwrap_or(0) * EMU_PER_TWIP;
    let after = props.after.unwrap_or(0) * EMU_PER_TWIP;
    before + lines * line_height(props, run_size, grid) + after
}

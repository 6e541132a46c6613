//! RTF (.rtf from Word, WPS and LibreOffice): body paragraphs, tables
//! (`\trowd` … `\cell` … `\row`), shapes with text (`\shp` … `\shptxt`, in
//! groups too) placed on the page from `\shpleft`/`\shptop` and their
//! anchors, `\listtext` labels as Word rendered them, and text in every
//! encoding RTF uses: `\ansicpg936`, `\fcharset134` fonts (GBK bytes as
//! `\'hh`) and `\u` escapes with their `\uc` fallbacks skipped.

mod charset;
mod lex;
mod shape;
mod table;

use super::{Limits, ReadError};
use crate::document::{Block, BlockKind, Document, ReadIssue};
use crate::read::estimate::{single_line, wrapped_lines};
use charset::{charset_encoding, codepage_encoding};
use encoding_rs::Encoding;
use lex::{Lexer, Token};
use shape::Shape;
use std::collections::HashMap;
use table::{CellDef, Merge, Row};

const EMU_PER_TWIP: i64 = 635;
/// Longest text kept for one paragraph.
const MAX_PARA_BYTES: usize = 1 << 20;
/// Most fonts kept from the font table.
const MAX_FONTS: usize = 10_000;
/// Longest shape property name or value kept.
const MAX_PROP_BYTES: usize = 4096;

/// Destinations whose text is not document text.
const SKIPPED: &[&str] = &[
    "colortbl",
    "stylesheet",
    "info",
    "header",
    "headerl",
    "headerr",
    "headerf",
    "footer",
    "footerl",
    "footerr",
    "footerf",
    "footnote",
    "annotation",
    "atnid",
    "atnauthor",
    "fldinst",
    "objdata",
    "objclass",
    "themedata",
    "colorschememapping",
    "datastore",
    "latentstyles",
    "listtable",
    "listoverridetable",
    "revtbl",
    "rsidtbl",
    "generator",
    "xmlnstbl",
    "pgdsctbl",
    "ftnsep",
    "ftnsepc",
    "aftnsep",
    "aftnsepc",
    "shprslt",
    "nonshppict",
    "pntxta",
    "pntxtb",
    "txe",
    "xe",
    "tc",
    "bkmkstart",
    "bkmkend",
    "mmathPr",
    "template",
    "userprops",
    "docvar",
    "falt",
    "panose",
    "filetbl",
    "protusertbl",
    "wgrffmtfilter",
    "nesttableprops",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Dest {
    Text,
    Skip,
    FontTable,
    /// `\shpinst` and `\sp`: properties, no text.
    ShapeProps,
    PropName,
    PropValue,
    Picture,
}

/// What a group opened, for its closing brace.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Opened {
    Nothing,
    Shape,
    ShapeText,
    Prop,
}

#[derive(Debug, Clone)]
struct GroupState {
    dest: Dest,
    opened: Opened,
    /// No token read in this group yet (destinations come first).
    fresh: bool,
    /// `\*`: an unknown destination is skipped.
    starred: bool,
    uc: usize,
    font: Option<i32>,
    afont: Option<i32>,
    dbch: bool,
    /// Font size in half-points.
    fs: i64,
}

/// Paragraph properties of a story (`\pard` resets them).
#[derive(Debug, Clone, Default)]
struct ParaProps {
    intbl: bool,
    page_before: bool,
    /// Twips.
    before: i64,
    after: i64,
    /// `\sl`: twips (negative: exactly), with `\slmult1` 240ths of a line.
    line: i64,
    line_mult: bool,
}

/// A body or a shape's text.
#[derive(Default)]
struct Story {
    text: String,
    /// The largest font of the paragraph (half-points).
    fs: i64,
    props: ParaProps,
    /// Shape text: finished paragraphs.
    lines: Vec<String>,
    /// Body: the block slot the current paragraph holds.
    slot: Option<usize>,
    /// Table being built (body only).
    rows: Vec<Row>,
    row: Row,
    cell_lines: Vec<String>,
    pending_def: CellDef,
}

struct Page {
    width: i64,
    height: i64,
    top: i64,
    left: i64,
    right: i64,
}

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    if !bytes.starts_with(b"{\\rtf") {
        return Err(ReadError::Unreadable(
            "不是 RTF 文件（缺少 {\\rtf 开头）".into(),
        ));
    }
    let mut r = Reader::new(limits.max_xml_depth);
    let stop = r.run(bytes);
    let mut issues = Vec::new();
    let blocks = r.finish();
    if let Some(message) = stop {
        if blocks.is_empty() {
            return Err(ReadError::Unreadable(message));
        }
        issues.push(ReadIssue {
            code: "source.unreadable".into(),
            message,
            origin: "rtf".into(),
        });
    }
    Ok(Document {
        blocks,
        encoding: r.codepage_name(),
        issues,
    })
}

struct Reader {
    max_depth: usize,
    stack: Vec<GroupState>,
    cur: GroupState,
    ansi: &'static Encoding,
    ansicpg: Option<i32>,
    fonts: HashMap<i32, &'static Encoding>,
    font_def: Option<i32>,
    /// Bytes awaiting decoding, with their encoding.
    bytes: Vec<u8>,
    bytes_enc: &'static Encoding,
    /// `\u` fallback characters still to skip.
    skip: usize,
    high_surrogate: Option<u16>,
    stories: Vec<Story>,
    shapes: Vec<Shape>,
    prop_name: String,
    prop_value: String,
    slots: Vec<Option<Block>>,
    p_count: u32,
    page: u32,
    section_break: bool,
    cursor: i64,
    page_geo: Page,
    tables: u32,
}

impl Reader {
    fn new(max_depth: usize) -> Self {
        let page_geo = Page {
            width: 12_240 * EMU_PER_TWIP,
            height: 15_840 * EMU_PER_TWIP,
            top: 1_440 * EMU_PER_TWIP,
            left: 1_800 * EMU_PER_TWIP,
            right: 1_800 * EMU_PER_TWIP,
        };
        Reader {
            max_depth,
            stack: Vec::new(),
            cur: GroupState {
                dest: Dest::Text,
                opened: Opened::Nothing,
                fresh: true,
                starred: false,
                uc: 1,
                font: None,
                afont: None,
                dbch: false,
                fs: 24,
            },
            ansi: encoding_rs::WINDOWS_1252,
            ansicpg: None,
            fonts: HashMap::new(),
            font_def: None,
            bytes: Vec::new(),
            bytes_enc: encoding_rs::WINDOWS_1252,
            skip: 0,
            high_surrogate: None,
            stories: vec![Story::default()],
            shapes: Vec::new(),
            prop_name: String::new(),
            prop_value: String::new(),
            slots: Vec::new(),
            p_count: 0,
            page: 0,
            section_break: false,
            cursor: page_geo.top,
            page_geo,
            tables: 0,
        }
    }

    /// The document's code page as the Source's encoding (`GBK` for 936).
    fn codepage_name(&self) -> Option<String> {
        self.ansicpg.map(|_| self.ansi.name().to_string())
    }

    /// Process every token; returns why reading stopped early, if it did.
    fn run(&mut self, src: &[u8]) -> Option<String> {
        let mut lex = Lexer::new(src);
        while let Some(tok) = lex.next_token() {
            match tok {
                Token::Open => {
                    if self.stack.len() >= self.max_depth {
                        self.flush();
                        return Some(format!(
                            "RTF 组嵌套超过 {} 层（字节 {}），停止读取",
                            self.max_depth,
                            lex.pos()
                        ));
                    }
                    self.flush();
                    self.skip = 0;
                    let mut next = self.cur.clone();
                    next.opened = Opened::Nothing;
                    next.fresh = true;
                    next.starred = false;
                    self.stack.push(std::mem::replace(&mut self.cur, next));
                }
                Token::Close => {
                    self.flush();
                    self.skip = 0;
                    self.close_group();
                    let Some(prev) = self.stack.pop() else {
                        // The document's closing brace: anything after it is not RTF.
                        break;
                    };
                    self.cur = prev;
                    if self.stack.is_empty() {
                        break;
                    }
                }
                Token::Word(w, p) => {
                    let fresh = std::mem::replace(&mut self.cur.fresh, false);
                    if self.skip > 0 {
                        self.skip -= 1;
                        continue;
                    }
                    self.word(w, p, fresh);
                }
                Token::Symbol(b'*') => {
                    self.cur.starred = true;
                }
                Token::Symbol(c) => {
                    self.cur.fresh = false;
                    if self.skip > 0 {
                        self.skip -= 1;
                        continue;
                    }
                    match c {
                        b'\\' | b'{' | b'}' => self.push_bytes(&[c]),
                        b'~' => self.push_str("\u{a0}"),
                        b'_' => self.push_str("-"),
                        b'\t' => self.push_str("\t"),
                        _ => {}
                    }
                }
                Token::Byte(b) => {
                    self.cur.fresh = false;
                    if self.skip > 0 {
                        self.skip -= 1;
                        continue;
                    }
                    self.push_bytes(&[b]);
                }
                Token::Text(t) => {
                    self.cur.fresh = false;
                    let mut t = t;
                    while self.skip > 0 && !t.is_empty() {
                        self.skip -= 1;
                        t = &t[1..];
                    }
                    if !t.is_empty() {
                        self.push_bytes(t);
                    }
                }
            }
        }
        self.flush();
        if !self.stack.is_empty() {
            // Close what is open so the text read so far is kept.
            while let Some(prev) = self.stack.pop() {
                self.close_group();
                self.cur = prev;
            }
            return Some("RTF 在文件末尾被截断（括号未闭合）".into());
        }
        None
    }

    fn word(&mut self, w: &str, p: Option<i32>, fresh: bool) {
        // Destinations: the first word of a group.
        if fresh && self.destination(w) {
            return;
        }
        let dest = self.cur.dest;
        // Inside skipped destinations and pictures no word means anything;
        // in shape properties only geometry and the text of values do.
        match dest {
            Dest::Skip | Dest::Picture => return,
            Dest::ShapeProps | Dest::PropName | Dest::PropValue
                if !(w.starts_with("shp")
                    || w.starts_with("dp")
                    || w.starts_with("dob")
                    || matches!(w, "u" | "uc")) =>
            {
                return;
            }
            _ => {}
        }
        if dest == Dest::FontTable {
            match w {
                "f" => {
                    self.font_def = p;
                }
                "fcharset" => {
                    if let (Some(f), Some(enc)) = (self.font_def, p.and_then(charset_encoding))
                        && self.fonts.len() < MAX_FONTS
                    {
                        self.fonts.insert(f, enc);
                    }
                }
                "cpg" => {
                    if let (Some(f), Some(enc)) = (self.font_def, p.and_then(codepage_encoding))
                        && self.fonts.len() < MAX_FONTS
                    {
                        self.fonts.insert(f, enc);
                    }
                }
                _ => {}
            }
            return;
        }
        match w {
            "ansicpg" => {
                if let Some(enc) = p.and_then(codepage_encoding) {
                    self.ansi = enc;
                    self.ansicpg = p;
                }
            }
            "uc" => self.cur.uc = p.unwrap_or(1).clamp(0, 10) as usize,
            "u" => {
                self.flush();
                if let Some(v) = p {
                    self.unicode(v);
                }
                self.skip = self.cur.uc;
            }
            "f" => self.cur.font = p,
            "af" => self.cur.afont = p,
            "dbch" => self.cur.dbch = true,
            "loch" | "hich" => self.cur.dbch = false,
            "fs" => self.cur.fs = p.unwrap_or(24).clamp(1, 3276) as i64,
            "plain" => self.cur.fs = 24,
            "par" => self.end_paragraph(),
            "sect" => {
                self.end_paragraph();
                if self.stories.len() == 1 {
                    self.section_break = true;
                }
            }
            "sbknone" | "sbkcol" => self.section_break = false,
            "page" => {
                self.flush();
                if self.stories.len() == 1 {
                    self.end_paragraph_if_text();
                    self.new_page();
                }
            }
            "pard" => {
                let s = self.story();
                s.props = ParaProps::default();
            }
            "intbl" => self.story().props.intbl = true,
            "pagebb" => self.story().props.page_before = true,
            "sb" => self.story().props.before = p.unwrap_or(0).clamp(0, 32_000) as i64,
            "sa" => self.story().props.after = p.unwrap_or(0).clamp(0, 32_000) as i64,
            "sl" => self.story().props.line = p.unwrap_or(0).clamp(-32_000, 32_000) as i64,
            "slmult" => self.story().props.line_mult = p == Some(1),
            "line" => self.push_str("\n"),
            "tab" => self.push_str("\t"),
            "emdash" => self.push_str("—"),
            "endash" => self.push_str("–"),
            "bullet" => self.push_str("•"),
            "lquote" => self.push_str("‘"),
            "rquote" => self.push_str("’"),
            "ldblquote" => self.push_str("“"),
            "rdblquote" => self.push_str("”"),
            "emspace" | "enspace" | "qmspace" => self.push_str(" "),
            // Table structure.
            "trowd" => {
                let s = self.story();
                s.row.defs.clear();
                s.row.left = 0;
                s.pending_def = CellDef::default();
            }
            "trleft" => self.story().row.left = p.unwrap_or(0),
            "clvmgf" => self.story().pending_def.vmerge = Merge::First,
            "clvmrg" => self.story().pending_def.vmerge = Merge::Continue,
            "clmgf" => self.story().pending_def.hmerge = Merge::First,
            "clmrg" => self.story().pending_def.hmerge = Merge::Continue,
            "cellx" => {
                let s = self.story();
                let mut def = std::mem::take(&mut s.pending_def);
                def.right = p.unwrap_or(0);
                if s.row.defs.len() < table::MAX_CELLS_PER_ROW {
                    s.row.defs.push(def);
                }
            }
            "cell" => self.end_cell(),
            "nestcell" | "nestrow" => self.push_str("\n"),
            "row" => self.end_row(),
            // Page geometry (document, then section values).
            "paperw" | "pgwsxn" => self.page_geo.width = twips(p, 12_240).max(1_440) * EMU_PER_TWIP,
            "paperh" | "pghsxn" => {
                self.page_geo.height = twips(p, 15_840).max(1_440) * EMU_PER_TWIP
            }
            "margl" | "marglsxn" => self.page_geo.left = twips(p, 1_800) * EMU_PER_TWIP,
            "margr" | "margrsxn" => self.page_geo.right = twips(p, 1_800) * EMU_PER_TWIP,
            "margt" | "margtsxn" => self.page_geo.top = twips(p, 1_440) * EMU_PER_TWIP,
            // Shapes.
            "shpleft" | "shptop" | "shpright" | "shpbottom" => {
                if let Some(s) = self.shapes.last_mut() {
                    let v = p.unwrap_or(0) as i64;
                    match w {
                        "shpleft" => s.left = v,
                        "shptop" => s.top = v,
                        "shpright" => s.right = v,
                        _ => s.bottom = v,
                    }
                }
            }
            "dpx" | "dpy" | "dpxsize" | "dpysize" => {
                if let Some(s) = self.shapes.last_mut() {
                    let v = p.unwrap_or(0) as i64;
                    match w {
                        "dpx" => s.left = v,
                        "dpy" => s.top = v,
                        "dpxsize" => s.right = s.left + v,
                        _ => s.bottom = s.top + v,
                    }
                }
            }
            "dobxpage" | "dobxmargin" | "dobxcolumn" | "dobypage" | "dobymargin" | "dobypara" => {
                if let Some(s) = self.shapes.last_mut() {
                    let anchor = match &w[4..] {
                        "page" => "page",
                        "margin" => "margin",
                        "column" => "column",
                        _ => "para",
                    };
                    if w.starts_with("dobx") {
                        s.bx = Some(anchor);
                    } else {
                        s.by = Some(anchor);
                    }
                }
            }
            "shpbxpage" | "shpbxmargin" | "shpbxcolumn" | "shpbxignore" => {
                if let Some(s) = self.shapes.last_mut() {
                    s.bx = Some(match w {
                        "shpbxpage" => "page",
                        "shpbxmargin" => "margin",
                        "shpbxcolumn" => "column",
                        _ => "ignore",
                    });
                }
            }
            "shpbypage" | "shpbymargin" | "shpbypara" | "shpbyignore" => {
                if let Some(s) = self.shapes.last_mut() {
                    s.by = Some(match w {
                        "shpbypage" => "page",
                        "shpbymargin" => "margin",
                        "shpbypara" => "para",
                        _ => "ignore",
                    });
                }
            }
            _ => {}
        }
    }

    /// Handle a group's first control word when it names a destination.
    fn destination(&mut self, w: &str) -> bool {
        // Everything inside a skipped destination stays skipped (a shape's
        // fallback \shprslt holds a second copy of its text).
        if matches!(self.cur.dest, Dest::Skip | Dest::Picture) {
            return true;
        }
        match w {
            "fonttbl" => self.cur.dest = Dest::FontTable,
            "shp" | "shpgrp" => {
                self.flush();
                let group = w == "shpgrp";
                let in_group = self.shapes.last().is_some_and(|s| s.group);
                // Shapes inside a shape's text or fallback are not ours.
                if self.cur.dest != Dest::Text && !in_group {
                    return false;
                }
                // A child is placed within its group's rectangle: resolve it
                // now that the group's own properties have been read.
                if in_group {
                    let r = shape::place(&self.shapes, self.shapes.len() - 1, &self.page_geo);
                    if let Some(g) = self.shapes.last_mut() {
                        g.rect = Some(r);
                    }
                }
                let slot = self.reserve_slot();
                let anchor_top = self.cursor;
                self.shapes.push(Shape {
                    group,
                    slot,
                    anchor_top,
                    page: self.page,
                    ..Shape::default()
                });
                self.cur.opened = Opened::Shape;
            }
            // A Word 6/95 drawing object; a text box's text is in \dptxbxtext.
            "do" if self.cur.dest == Dest::Text && self.shapes.is_empty() => {
                self.flush();
                let slot = self.reserve_slot();
                let anchor_top = self.cursor;
                self.shapes.push(Shape {
                    slot,
                    anchor_top,
                    page: self.page,
                    ..Shape::default()
                });
                self.cur.opened = Opened::Shape;
                self.cur.dest = Dest::ShapeProps;
            }
            "dptxbxtext" if !self.shapes.is_empty() => {
                self.cur.dest = Dest::Text;
                self.cur.opened = Opened::ShapeText;
                self.stories.push(Story::default());
            }
            "shpinst" if !self.shapes.is_empty() => self.cur.dest = Dest::ShapeProps,
            "sp" if !self.shapes.is_empty() => {
                self.cur.dest = Dest::ShapeProps;
                self.cur.opened = Opened::Prop;
                self.prop_name.clear();
                self.prop_value.clear();
            }
            "sn" if !self.shapes.is_empty() => self.cur.dest = Dest::PropName,
            "sv" if !self.shapes.is_empty() => self.cur.dest = Dest::PropValue,
            "shptxt" if !self.shapes.is_empty() => {
                self.cur.dest = Dest::Text;
                self.cur.opened = Opened::ShapeText;
                self.stories.push(Story::default());
            }
            // Word's picture wrapper: the picture inside is read.
            "shppict" if self.cur.dest == Dest::Text => {}
            "pict" => {
                if self.cur.dest == Dest::Text && self.shapes.is_empty() {
                    self.slots.push(Some(Block {
                        text: String::new(),
                        kind: BlockKind::Image,
                        rect: None,
                        page: self.page,
                        origin: format!("#p{}", self.p_count + 1),
                    }));
                }
                self.cur.dest = Dest::Picture;
            }
            w if SKIPPED.contains(&w) => self.cur.dest = Dest::Skip,
            // `\*\unknown`: an optional destination this reader does not know.
            _ if self.cur.starred => self.cur.dest = Dest::Skip,
            _ => return false,
        }
        true
    }

    fn close_group(&mut self) {
        match self.cur.opened {
            Opened::Nothing => {}
            Opened::Prop => {
                if let Some(s) = self.shapes.last_mut() {
                    let name = std::mem::take(&mut self.prop_name);
                    let value = std::mem::take(&mut self.prop_value);
                    s.props
                        .insert(name.trim().to_string(), value.trim().to_string());
                }
            }
            Opened::ShapeText => {
                self.end_paragraph();
                if let Some(story) = self.stories.pop()
                    && let Some(s) = self.shapes.last_mut()
                {
                    s.text = Some(story.lines);
                }
            }
            Opened::Shape => {
                let idx = self.shapes.len() - 1;
                let rect = shape::place(&self.shapes, idx, &self.page_geo);
                if let Some(s) = self.shapes.pop() {
                    let text = s.text.map(|l| l.join("\n")).unwrap_or_default();
                    if !text.trim().is_empty() {
                        self.slots[s.slot] = Some(Block {
                            text,
                            kind: BlockKind::TextBox,
                            rect: Some(rect),
                            page: s.page,
                            origin: format!("#p{}", self.p_count + 1),
                        });
                    }
                }
            }
        }
    }

    fn story(&mut self) -> &mut Story {
        self.stories
            .last_mut()
            .expect("the body story is never popped")
    }

    /// The body paragraph's block slot, taken when its first content
    /// arrives, so paragraphs come before the shapes they anchor.
    fn reserve_slot(&mut self) -> usize {
        if self.stories.len() == 1 && self.shapes.is_empty() {
            let needs = self.stories[0].slot.is_none() && !self.stories[0].props.intbl;
            if needs {
                self.slots.push(None);
                self.stories[0].slot = Some(self.slots.len() - 1);
            }
        }
        self.slots.push(None);
        self.slots.len() - 1
    }

    fn unicode(&mut self, v: i32) {
        let unit = if v < 0 { (v + 65_536) as u32 } else { v as u32 };
        if (0xD800..0xDC00).contains(&unit) {
            self.high_surrogate = Some(unit as u16);
            return;
        }
        let c = match self.high_surrogate.take() {
            Some(hi) if (0xDC00..0xE000).contains(&unit) => char::decode_utf16([hi, unit as u16])
                .next()
                .and_then(Result::ok),
            _ => char::from_u32(unit),
        };
        if let Some(c) = c.filter(|&c| c != '\0') {
            let mut buf = [0u8; 4];
            self.push_str(c.encode_utf8(&mut buf));
        }
    }

    /// The encoding of `\'hh` and literal bytes here: the font's charset,
    /// the associated font's for double-byte runs, else `\ansicpg`.
    fn byte_encoding(&self) -> &'static Encoding {
        let eastern = |f: i32| {
            self.fonts
                .get(&f)
                .copied()
                .filter(|e| *e != encoding_rs::WINDOWS_1252)
        };
        let font = self.cur.font.and_then(eastern);
        let afont = self.cur.afont.filter(|_| self.cur.dbch).and_then(eastern);
        font.or(afont).unwrap_or(self.ansi)
    }

    fn push_bytes(&mut self, b: &[u8]) {
        match self.cur.dest {
            Dest::Text => {
                let enc = self.byte_encoding();
                if enc != self.bytes_enc {
                    self.flush();
                    self.bytes_enc = enc;
                }
                if self.bytes.len() < MAX_PARA_BYTES {
                    self.bytes.extend_from_slice(b);
                }
            }
            Dest::PropName | Dest::PropValue => {
                let s = String::from_utf8_lossy(b);
                self.push_str(&s);
            }
            _ => {}
        }
    }

    fn flush(&mut self) {
        if self.bytes.is_empty() {
            return;
        }
        let bytes = std::mem::take(&mut self.bytes);
        let (text, _) = self.bytes_enc.decode_without_bom_handling(&bytes);
        let fs = self.cur.fs;
        let story = self.story();
        if story.text.len() + text.len() <= MAX_PARA_BYTES {
            story.text.push_str(&text);
        }
        story.fs = story.fs.max(fs);
    }

    fn push_str(&mut self, s: &str) {
        match self.cur.dest {
            Dest::Text => {
                self.flush();
                let fs = self.cur.fs;
                let story = self.story();
                if story.text.len() + s.len() <= MAX_PARA_BYTES {
                    story.text.push_str(s);
                }
                story.fs = story.fs.max(fs);
            }
            Dest::PropName if self.prop_name.len() < MAX_PROP_BYTES => self.prop_name.push_str(s),
            Dest::PropValue if self.prop_value.len() < MAX_PROP_BYTES => {
                self.prop_value.push_str(s)
            }
            _ => {}
        }
    }

    fn end_paragraph_if_text(&mut self) {
        if !self.stories[0].text.trim().is_empty() {
            self.end_paragraph();
        }
    }

    fn end_paragraph(&mut self) {
        self.flush();
        self.p_count = self.p_count.saturating_add(1);
        let n = self.p_count;
        let body = self.stories.len() == 1;
        let story = self.story();
        let text = std::mem::take(&mut story.text);
        // An empty paragraph is as tall as its paragraph mark's font.
        let fs = match std::mem::replace(&mut story.fs, 0) {
            0 => self.cur.fs,
            fs => fs,
        };
        let story = self.story();
        if !body {
            if !text.trim().is_empty() {
                story.lines.push(text);
            }
            return;
        }
        if story.props.intbl {
            story.cell_lines.push(text);
            return;
        }
        // A paragraph outside a table ends the table before it.
        self.finish_table();
        if self.section_break {
            self.section_break = false;
            if !text.trim().is_empty() {
                self.new_page();
            }
        }
        if self.stories[0].props.page_before && !text.trim().is_empty() {
            self.new_page();
        }
        let font = fs * 6_350;
        let props = self.stories[0].props.clone();
        let line = match (props.line, props.line_mult) {
            (l, true) if l > 0 => single_line(font) * l / 240,
            (l, false) if l < 0 => -l * EMU_PER_TWIP,
            (l, false) if l > 0 => (l * EMU_PER_TWIP).max(single_line(font)),
            _ => single_line(font),
        };
        let width = (self.page_geo.width - self.page_geo.left - self.page_geo.right).max(914_400);
        let height =
            (props.before + props.after) * EMU_PER_TWIP + wrapped_lines(&text, font, width) * line;
        let slot = self.stories[0].slot.take();
        if !text.trim().is_empty() {
            let block = Block {
                text,
                kind: BlockKind::Paragraph,
                rect: None,
                page: self.page,
                origin: format!("#p{n}"),
            };
            match slot {
                Some(i) => self.slots[i] = Some(block),
                None => self.slots.push(Some(block)),
            }
        }
        self.cursor += height;
    }

    fn end_cell(&mut self) {
        self.flush();
        if self.stories.len() > 1 {
            // A table inside a shape's text: its cells become lines.
            self.end_paragraph();
            return;
        }
        self.p_count = self.p_count.saturating_add(1);
        let origin = format!("#p{}", self.p_count);
        let story = self.story();
        let text = std::mem::take(&mut story.text);
        story.fs = 0;
        let mut lines = std::mem::take(&mut story.cell_lines);
        lines.push(text);
        let text = lines
            .into_iter()
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        if story.row.cells.len() < table::MAX_CELLS_PER_ROW {
            story.row.cells.push((text, origin));
        }
    }

    fn end_row(&mut self) {
        if self.stories.len() > 1 {
            return;
        }
        let line = single_line(self.cur.fs * 6_350);
        let story = self.story();
        let row = std::mem::take(&mut story.row);
        let tallest = row
            .cells
            .iter()
            .map(|(t, _)| t.lines().count().max(1) as i64)
            .max()
            .unwrap_or(1);
        // The next row starts with the same definition unless it has its own.
        story.row.defs = row.defs.clone();
        story.row.left = row.left;
        if story.rows.len() < table::MAX_ROWS {
            story.rows.push(row);
        }
        self.cursor += tallest * line;
    }

    fn finish_table(&mut self) {
        let story = &mut self.stories[0];
        // Cells of a row never closed by \row still count.
        if !story.row.cells.is_empty() && story.rows.len() < table::MAX_ROWS {
            let row = std::mem::take(&mut story.row);
            story.rows.push(row);
        }
        if story.rows.is_empty() {
            story.row = Row::default();
            return;
        }
        let rows = std::mem::take(&mut story.rows);
        story.row = Row::default();
        let index = self.tables;
        self.tables = self.tables.saturating_add(1);
        for (text, kind, origin) in table::cells(&rows, index) {
            self.slots.push(Some(Block {
                text,
                kind,
                rect: None,
                page: self.page,
                origin,
            }));
        }
    }

    fn new_page(&mut self) {
        self.page = self.page.saturating_add(1);
        self.cursor = self.page_geo.top;
    }

    fn finish(&mut self) -> Vec<Block> {
        self.end_paragraph_if_text();
        self.finish_table();
        std::mem::take(&mut self.slots)
            .into_iter()
            .flatten()
            .collect()
    }
}

fn twips(p: Option<i32>, default: i64) -> i64 {
    p.map_or(default, |v| (v as i64).clamp(0, 200_000))
}

#[cfg(test)]
mod tests;

//! HTML → blocks, in one streaming pass over the tokens.
//!
//! Block elements and `<br>` end a rendered line; each non-blank line outside
//! a table becomes a Paragraph block, the title one more. Table cells become
//! Cell blocks placed on a grid that honours colspan/rowspan. A Word-exported
//! text box (`<div v:shape=…>`, the copy browsers show; the VML copy sits in a
//! conditional comment) becomes one TextBox block. Script, style,
//! head content (except the title), comments, noscript and iframes are dropped.
//! There is no element tree and no recursion: nesting is tracked on explicit
//! stacks whose depth is capped.

use super::entities;
use super::tokenizer::{Token, Tokenizer, attribute};
use crate::document::{Block, BlockKind, Document, ReadIssue};
use crate::read::Limits;

/// Elements that start and end a rendered line.
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];
/// Elements that never have content or an end tag.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];
/// Elements that may appear in `<head>`; any other start tag means the body began.
const HEAD_ELEMENTS: &[&str] = &[
    "base", "head", "html", "link", "meta", "noscript", "script", "style", "template", "title",
];
/// Elements that stop the search for an implicitly closed `<p>`/`<li>`/`<td>`.
const SCOPE_ELEMENTS: &[&str] = &["caption", "html", "table", "td", "th", "template"];

/// The HTML specification's caps on spans.
const MAX_COLSPAN: u32 = 1000;
const MAX_ROWSPAN: u32 = 65534;
/// No real chart has more columns; a hostile table must not size the grid.
const MAX_COLUMNS: u32 = 16384;

/// Read the blocks of an HTML document whose newlines are already `\n`.
pub fn read_html(src: &str, limits: &Limits) -> Document {
    let mut builder = Builder::new(src, limits);
    let mut tokens = Tokenizer::new(src);
    while !builder.stopped {
        let Some((pos, token)) = tokens.next_token() else {
            break;
        };
        builder.token(pos, token);
    }
    builder.finish()
}

/// Where a line or cell starts: byte offset (document order) and 1-based line.
#[derive(Debug, Clone, Copy)]
struct Anchor {
    pos: usize,
    line: u32,
}

/// 1-based line numbers for byte offsets that only move forward.
struct LineCounter<'a> {
    src: &'a [u8],
    pos: usize,
    line: u32,
}

impl LineCounter<'_> {
    fn anchor(&mut self, pos: usize) -> Anchor {
        if pos > self.pos {
            let end = pos.min(self.src.len());
            let newlines = self
                .src
                .get(self.pos..end)
                .unwrap_or_default()
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.line = self
                .line
                .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
            self.pos = end;
        }
        Anchor {
            pos,
            line: self.line,
        }
    }
}

/// The rendered line being built, with HTML whitespace collapsing.
#[derive(Default)]
struct LineBuf {
    text: String,
    /// Collapsible whitespace seen since the last character.
    pending_space: bool,
    anchor: Option<Anchor>,
}

impl LineBuf {
    fn push(&mut self, c: char) {
        if self.pending_space && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.pending_space = false;
        self.text.push(c);
    }

    /// The finished line (trailing whitespace trimmed), unless it is blank.
    fn finish(self) -> Option<(String, Option<Anchor>)> {
        let text = self.text.trim_end();
        (!text.is_empty()).then(|| (text.to_string(), self.anchor))
    }
}

struct Cell {
    row: u32,
    col: u32,
    row_span: u32,
    col_span: u32,
    anchor: Anchor,
    lines: Vec<String>,
    buf: LineBuf,
}

/// A Word text box being read: its lines, and the `<div>`s open inside it.
struct TextBox {
    anchor: Anchor,
    lines: Vec<String>,
    buf: LineBuf,
    inner_divs: usize,
}

struct Table {
    index: u32,
    /// The current row; `None` before the first `<tr>` or cell.
    row: Option<u32>,
    next_row: u32,
    /// Next column to try in the current row.
    cursor: u32,
    /// Per column: the first row at which a rowspan above no longer covers it.
    busy_until: Vec<u32>,
    cell: Option<Cell>,
}

struct Builder<'a> {
    limits: &'a Limits,
    lines: LineCounter<'a>,
    /// Blocks keyed by their byte offset, sorted into document order at the end
    /// (an outer cell closes after the cells of a table nested in it).
    out: Vec<(usize, Block)>,
    issues: Vec<ReadIssue>,
    para: LineBuf,
    tables: Vec<Table>,
    next_table: u32,
    text_box: Option<TextBox>,
    /// Open elements, for the depth cap.
    open: Vec<String>,
    in_head: bool,
    pre_depth: usize,
    title_anchor: Option<Anchor>,
    cells: usize,
    /// Grid columns walked or marked: bounds the work a hostile table can cause.
    grid_steps: usize,
    stopped: bool,
}

impl<'a> Builder<'a> {
    fn new(src: &'a str, limits: &'a Limits) -> Self {
        Builder {
            limits,
            lines: LineCounter {
                src: src.as_bytes(),
                pos: 0,
                line: 1,
            },
            out: Vec::new(),
            issues: Vec::new(),
            para: LineBuf::default(),
            tables: Vec::new(),
            next_table: 0,
            text_box: None,
            open: Vec::new(),
            in_head: false,
            pre_depth: 0,
            title_anchor: None,
            cells: 0,
            grid_steps: 0,
            stopped: false,
        }
    }

    fn token(&mut self, pos: usize, token: Token<'_>) {
        match token {
            Token::Text(raw) => {
                if self.in_head {
                    if raw.trim().is_empty() {
                        return;
                    }
                    // Text cannot live in <head>: a browser starts the body here.
                    self.in_head = false;
                }
                self.text(pos, raw);
            }
            Token::Start {
                name,
                attrs,
                self_closing,
            } => self.start_tag(pos, &name, attrs, self_closing),
            Token::End { name } => self.end_tag(&name),
            Token::Raw { element, text } => match element.as_str() {
                "title" => self.title(pos, text),
                // Shown as written by a browser; everything else raw is code or hidden.
                "xmp" | "plaintext" | "textarea" => self.preformatted(pos, text),
                _ => {}
            },
        }
    }

    fn start_tag(&mut self, pos: usize, name: &str, attrs: &str, self_closing: bool) {
        match name {
            "head" => self.in_head = true,
            "body" => self.in_head = false,
            _ if !HEAD_ELEMENTS.contains(&name) => self.in_head = false,
            _ => {}
        }
        self.enter(pos, name, self_closing);
        if self.stopped {
            return;
        }
        if name == "div" {
            if let Some(text_box) = &mut self.text_box {
                text_box.inner_divs += 1;
            } else if attribute(attrs, "v:shape").is_some() {
                self.start_text_box(pos);
                return;
            }
        }
        match name {
            "title" => self.title_anchor = Some(self.lines.anchor(pos)),
            "table" => self.start_table(),
            "tr" if !self.tables.is_empty() => self.start_row(),
            "td" | "th" if !self.tables.is_empty() => self.start_cell(pos, attrs),
            _ if BLOCK_ELEMENTS.contains(&name) => {
                if name == "pre" {
                    self.pre_depth += 1;
                }
                self.end_line();
                let anchor = self.lines.anchor(pos);
                self.sink().anchor = Some(anchor);
            }
            _ => {}
        }
    }

    fn end_tag(&mut self, name: &str) {
        if let Some(i) = self.open.iter().rposition(|n| n == name) {
            self.open.truncate(i);
        }
        if name == "div"
            && let Some(text_box) = &mut self.text_box
        {
            if text_box.inner_divs == 0 {
                self.close_text_box();
                return;
            }
            text_box.inner_divs -= 1;
        }
        match name {
            "head" => self.in_head = false,
            "table" if !self.tables.is_empty() => {
                self.close_cell();
                self.tables.pop();
                self.end_line();
            }
            "tr" | "td" | "th" if !self.tables.is_empty() => self.close_cell(),
            _ if BLOCK_ELEMENTS.contains(&name) => {
                if name == "pre" {
                    self.pre_depth = self.pre_depth.saturating_sub(1);
                }
                self.end_line();
            }
            _ => {}
        }
    }

    /// Track the open element for the depth cap, closing what HTML closes
    /// implicitly (a new `<p>` ends the open one, a new `<td>` the open cell …)
    /// so that valid pages without optional end tags do not look deep.
    fn enter(&mut self, pos: usize, name: &str, self_closing: bool) {
        if VOID_ELEMENTS.contains(&name) || self_closing {
            return;
        }
        let closes: &[&str] = match name {
            "li" => &["li"],
            "dt" | "dd" => &["dt", "dd"],
            "tr" => &["tr"],
            "td" | "th" => &["td", "th"],
            "thead" | "tbody" | "tfoot" => &["thead", "tbody", "tfoot"],
            "option" => &["option"],
            _ if BLOCK_ELEMENTS.contains(&name) => &["p"],
            _ => &[],
        };
        if !closes.is_empty() {
            let boundary = |n: &str| {
                SCOPE_ELEMENTS.contains(&n)
                    || (name == "li" && matches!(n, "ul" | "ol"))
                    || (matches!(name, "dt" | "dd") && n == "dl")
                    || (matches!(name, "td" | "th") && n == "tr")
            };
            for i in (0..self.open.len()).rev() {
                let n = self.open[i].as_str();
                if closes.contains(&n) {
                    self.open.truncate(i);
                    break;
                }
                if boundary(n) {
                    break;
                }
            }
        }
        self.open.push(name.to_string());
        if self.open.len() > self.limits.max_xml_depth {
            let line = self.lines.anchor(pos).line;
            self.stop(
                format!(
                    "HTML 元素嵌套超过 {} 层，其后的内容未读取",
                    self.limits.max_xml_depth
                ),
                line,
            );
        }
    }

    fn stop(&mut self, message: String, line: u32) {
        self.issues.push(ReadIssue {
            code: "source.unreadable".into(),
            message,
            origin: format!("line {line}"),
        });
        self.stopped = true;
    }

    /// The line being built: an open text box, else the open cell of the
    /// innermost table, else the body.
    fn sink(&mut self) -> &mut LineBuf {
        if let Some(text_box) = &mut self.text_box {
            return &mut text_box.buf;
        }
        match self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            Some(cell) => &mut cell.buf,
            None => &mut self.para,
        }
    }

    fn text(&mut self, pos: usize, raw: &str) {
        let mut rest = raw;
        let mut at = pos;
        while let Some(c) = rest.chars().next() {
            let ((decoded, second), len) = if c == '&' {
                entities::decode_at(rest).unwrap_or((('&', None), 1))
            } else {
                ((c, None), c.len_utf8())
            };
            self.push_char(at, decoded);
            if let Some(second) = second {
                self.push_char(at, second);
            }
            rest = rest.get(len..).unwrap_or_default();
            at += len;
        }
    }

    fn push_char(&mut self, at: usize, c: char) {
        let collapsible = matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c');
        if self.pre_depth > 0 && c == '\n' {
            self.end_line();
            return;
        }
        if collapsible && self.pre_depth == 0 {
            self.sink().pending_space = true;
            return;
        }
        if self.sink().anchor.is_none() {
            let anchor = self.lines.anchor(at);
            self.sink().anchor = Some(anchor);
        }
        // A no-break space is a space that does not collapse.
        self.sink().push(if c == '\u{A0}' { ' ' } else { c });
    }

    /// End the line being built: a Paragraph block, or a line of the open cell.
    fn end_line(&mut self) {
        if let Some(text_box) = &mut self.text_box {
            if let Some((line, _)) = std::mem::take(&mut text_box.buf).finish() {
                text_box.lines.push(line);
            }
            return;
        }
        if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            if let Some((line, _)) = std::mem::take(&mut cell.buf).finish() {
                cell.lines.push(line);
            }
            return;
        }
        if let Some((text, anchor)) = std::mem::take(&mut self.para).finish() {
            let anchor = anchor.unwrap_or(Anchor { pos: 0, line: 1 });
            self.out.push((anchor.pos, paragraph(text, anchor.line)));
        }
    }

    /// Raw text shown as is: every line a line, spaces kept.
    fn preformatted(&mut self, pos: usize, raw: &str) {
        self.end_line();
        self.pre_depth += 1;
        for (offset, c) in raw.char_indices() {
            self.push_char(pos + offset, c);
        }
        self.pre_depth -= 1;
        self.end_line();
    }

    fn start_text_box(&mut self, pos: usize) {
        self.end_line();
        self.text_box = Some(TextBox {
            anchor: self.lines.anchor(pos),
            lines: Vec::new(),
            buf: LineBuf::default(),
            inner_divs: 0,
        });
    }

    fn close_text_box(&mut self) {
        let Some(mut text_box) = self.text_box.take() else {
            return;
        };
        if let Some((line, _)) = std::mem::take(&mut text_box.buf).finish() {
            text_box.lines.push(line);
        }
        if text_box.lines.is_empty() {
            return;
        }
        let block = Block {
            text: text_box.lines.join("\n"),
            kind: BlockKind::TextBox,
            rect: None,
            page: 0,
            origin: format!("line {}", text_box.anchor.line),
        };
        self.out.push((text_box.anchor.pos, block));
    }

    fn title(&mut self, pos: usize, raw: &str) {
        let mut buf = LineBuf::default();
        let mut rest = raw;
        while let Some(c) = rest.chars().next() {
            // A second character (`&acE;`) is a combining mark: a title
            // keeps the base character.
            let ((c, _), len) = if c == '&' {
                entities::decode_at(rest).unwrap_or((('&', None), 1))
            } else {
                ((c, None), c.len_utf8())
            };
            if c.is_ascii_whitespace() {
                buf.pending_space = true;
            } else {
                buf.push(if c == '\u{A0}' { ' ' } else { c });
            }
            rest = rest.get(len..).unwrap_or_default();
        }
        let anchor = self
            .title_anchor
            .take()
            .unwrap_or_else(|| self.lines.anchor(pos));
        if let Some((text, _)) = buf.finish() {
            self.out.push((anchor.pos, paragraph(text, anchor.line)));
        }
    }

    fn start_table(&mut self) {
        self.end_line();
        self.tables.push(Table {
            index: self.next_table,
            row: None,
            next_row: 0,
            cursor: 0,
            busy_until: Vec::new(),
            cell: None,
        });
        self.next_table = self.next_table.saturating_add(1);
    }

    fn start_row(&mut self) {
        self.close_cell();
        if let Some(table) = self.tables.last_mut() {
            table.row = Some(table.next_row);
            table.next_row = table.next_row.saturating_add(1);
            table.cursor = 0;
        }
    }

    fn start_cell(&mut self, pos: usize, attrs: &str) {
        self.close_cell();
        self.cells += 1;
        let anchor = self.lines.anchor(pos);
        if self.cells > self.limits.max_cells {
            let max = self.limits.max_cells;
            self.stop(
                format!("HTML 表格单元格超过 {max} 个，其后的内容未读取"),
                anchor.line,
            );
            return;
        }
        let col_span = span(attribute(attrs, "colspan"), MAX_COLSPAN);
        let row_span = span(attribute(attrs, "rowspan"), MAX_ROWSPAN);
        let step_budget = self.limits.max_cells.saturating_mul(4).max(1 << 20);
        let Some(table) = self.tables.last_mut() else {
            return;
        };
        if table.row.is_none() {
            table.row = Some(table.next_row);
            table.next_row = table.next_row.saturating_add(1);
            table.cursor = 0;
        }
        let row = table.row.unwrap_or(0);
        // Skip the columns still covered by a rowspan from a row above.
        let mut steps = 0usize;
        while table
            .busy_until
            .get(table.cursor as usize)
            .is_some_and(|&until| until > row)
        {
            table.cursor += 1;
            steps += 1;
        }
        let col = table.cursor;
        let end = col.saturating_add(col_span);
        if end > MAX_COLUMNS {
            self.stop(
                format!("HTML 表格超过 {MAX_COLUMNS} 列，其后的内容未读取"),
                anchor.line,
            );
            return;
        }
        if row_span > 1 {
            if table.busy_until.len() < end as usize {
                table.busy_until.resize(end as usize, 0);
            }
            let until = row.saturating_add(row_span);
            for slot in &mut table.busy_until[col as usize..end as usize] {
                *slot = (*slot).max(until);
            }
            steps += col_span as usize;
        }
        table.cursor = end;
        table.cell = Some(Cell {
            row,
            col,
            row_span,
            col_span,
            anchor,
            lines: Vec::new(),
            buf: LineBuf::default(),
        });
        self.grid_steps += steps;
        if self.grid_steps > step_budget {
            self.stop(
                "HTML 表格的合并单元格过多，其后的内容未读取".into(),
                anchor.line,
            );
        }
    }

    /// Emit the open cell of the innermost table (a cell without text is
    /// not a block, but it has taken its place on the grid).
    fn close_cell(&mut self) {
        let Some(table) = self.tables.last_mut() else {
            return;
        };
        let Some(mut cell) = table.cell.take() else {
            return;
        };
        if let Some((line, _)) = std::mem::take(&mut cell.buf).finish() {
            cell.lines.push(line);
        }
        if cell.lines.is_empty() {
            return;
        }
        let block = Block {
            text: cell.lines.join("\n"),
            kind: BlockKind::Cell {
                table: table.index,
                row: cell.row,
                col: cell.col,
                row_span: cell.row_span,
                col_span: cell.col_span,
            },
            rect: None,
            page: 0,
            origin: format!("line {}", cell.anchor.line),
        };
        self.out.push((cell.anchor.pos, block));
    }

    fn finish(mut self) -> Document {
        self.close_text_box();
        while !self.tables.is_empty() {
            self.close_cell();
            self.tables.pop();
        }
        self.end_line();
        // Stable: blocks with the same offset keep their emission order.
        self.out.sort_by_key(|(pos, _)| *pos);
        Document {
            blocks: self.out.into_iter().map(|(_, b)| b).collect(),
            encoding: None,
            issues: self.issues,
        }
    }
}

fn paragraph(text: String, line: u32) -> Block {
    Block {
        text,
        kind: BlockKind::Paragraph,
        rect: None,
        page: 0,
        origin: format!("line {line}"),
    }
}

/// A colspan/rowspan value: 1 when absent, unparsable or 0 (rowspan 0,
/// "to the end of the group", is read as 1), capped at `max`.
fn span(value: Option<String>, max: u32) -> u32 {
    value
        .and_then(|v| {
            let digits: String = v
                .trim()
                .chars()
                .take_while(char::is_ascii_digit)
                .take(6)
                .collect();
            digits.parse::<u32>().ok()
        })
        .filter(|&n| n > 0)
        .map_or(1, |n| n.min(max))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(src: &str) -> Document {
        read_html(src, &Limits::default())
    }

    fn cell(table: u32, row: u32, col: u32, row_span: u32, col_span: u32) -> BlockKind {
        BlockKind::Cell {
            table,
            row,
            col,
            row_span,
            col_span,
        }
    }

    fn summary(doc: &Document) -> Vec<(String, BlockKind, String)> {
        doc.blocks
            .iter()
            .map(|b| (b.text.clone(), b.kind.clone(), b.origin.clone()))
            .collect()
    }

    #[test]
    fn lines_from_block_elements_and_br() {
        let doc = read(
            "<html><head><title>综合科 &amp; 流程</title>\n<meta charset=\"gbk\">\
             <script>var a = '<p>脚本</p>';</script><style>p { color: red }</style></head>\n\
             <body><!-- 注释 --><noscript>请启用脚本</noscript><iframe>框架</iframe>\n\
             <div>您所在的位置: <a href=\"/\">首页</a> &gt; 权责清单</div>\n\
             <p>一、廉政风险点:<br>1.在文件运转管理方面，<b>存在</b>风险。\n   第二行续</p>\n\
             <p>&ldquo;三密&rdquo;&mdash;文件&middot;处理&hellip;&#20013;&#x6587;&nbsp;&nbsp;x</p>\n\
             <pre>  申    请\n受理</pre></body></html>",
        );
        let got: Vec<(&str, &str)> = doc
            .blocks
            .iter()
            .map(|b| (b.text.as_str(), b.origin.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("综合科 & 流程", "line 1"),
                ("您所在的位置: 首页 > 权责清单", "line 4"),
                ("一、廉政风险点:", "line 5"),
                ("1.在文件运转管理方面，存在风险。 第二行续", "line 5"),
                ("“三密”—文件·处理…中文  x", "line 7"),
                ("  申    请", "line 8"),
                ("受理", "line 9"),
            ]
        );
        assert!(
            doc.blocks
                .iter()
                .all(|b| b.kind == BlockKind::Paragraph && b.page == 0)
        );
        assert!(doc.issues.is_empty());
    }

    #[test]
    fn table_cells_with_spans() {
        let doc = read(
            "<table>\n<tr><th>流程</th><th>关键环节</th><th colspan=2>廉政风险点及等级</th></tr>\n\
             <tr><td rowspan=\"2\">采购</td><td>立项</td><td>虚报</td><td>高</td></tr>\n\
             <tr><td>验收<br>付款</td><td></td><td>中</td></tr>\n\
             </table><p>表后</p>",
        );
        assert_eq!(
            summary(&doc),
            vec![
                ("流程".into(), cell(0, 0, 0, 1, 1), "line 2".into()),
                ("关键环节".into(), cell(0, 0, 1, 1, 1), "line 2".into()),
                (
                    "廉政风险点及等级".into(),
                    cell(0, 0, 2, 1, 2),
                    "line 2".into()
                ),
                ("采购".into(), cell(0, 1, 0, 2, 1), "line 3".into()),
                ("立项".into(), cell(0, 1, 1, 1, 1), "line 3".into()),
                ("虚报".into(), cell(0, 1, 2, 1, 1), "line 3".into()),
                ("高".into(), cell(0, 1, 3, 1, 1), "line 3".into()),
                ("验收\n付款".into(), cell(0, 2, 1, 1, 1), "line 4".into()),
                ("中".into(), cell(0, 2, 3, 1, 1), "line 4".into()),
                ("表后".into(), BlockKind::Paragraph, "line 5".into()),
            ]
        );
    }

    #[test]
    fn nested_table_gets_its_own_number() {
        let doc = read(
            "<table><tr><td>外层前<table><tr><td>内层</td></tr></table>外层后</td><td>旁</td></tr></table>\
             <table><tr><td>第三个</td></tr></table>",
        );
        assert_eq!(
            summary(&doc),
            vec![
                (
                    "外层前\n外层后".into(),
                    cell(0, 0, 0, 1, 1),
                    "line 1".into()
                ),
                ("内层".into(), cell(1, 0, 0, 1, 1), "line 1".into()),
                ("旁".into(), cell(0, 0, 1, 1, 1), "line 1".into()),
                ("第三个".into(), cell(2, 0, 0, 1, 1), "line 1".into()),
            ]
        );
    }

    #[test]
    fn unclosed_cells_and_rows_close_implicitly() {
        let doc = read("<table><tr><td>甲<td>乙<tr><td>丙</table>");
        assert_eq!(
            summary(&doc),
            vec![
                ("甲".into(), cell(0, 0, 0, 1, 1), "line 1".into()),
                ("乙".into(), cell(0, 0, 1, 1, 1), "line 1".into()),
                ("丙".into(), cell(0, 1, 0, 1, 1), "line 1".into()),
            ]
        );
    }

    #[test]
    fn word_text_box_is_one_block_and_vml_copy_is_skipped() {
        let doc = read(
            "<p class=MsoNormal>申请人提出申请</p>\n\
             <p class=MsoNormal><!--[if gte vml 1]><v:shape id=\"_x0000_s1026\" style='position:absolute'>\
             <v:textbox><div><p class=MsoNormal>受理机关登记</p></div></v:textbox></v:shape><![endif]-->\
             <![if !vml]><span style='position:absolute'><table cellpadding=0 cellspacing=0><tr><td><![endif]>\n\
             <div v:shape=\"_x0000_s1026\" class=shape><p class=MsoNormal>受理机关登记，</p>\
             <div><p class=MsoNormal>并出具登记回执</p></div></div>\n\
             <![if !vml]></td></tr></table></span><![endif]></p>\n<p>经批准</p>",
        );
        assert_eq!(
            summary(&doc),
            vec![
                (
                    "申请人提出申请".into(),
                    BlockKind::Paragraph,
                    "line 1".into()
                ),
                (
                    "受理机关登记，\n并出具登记回执".into(),
                    BlockKind::TextBox,
                    "line 3".into()
                ),
                ("经批准".into(), BlockKind::Paragraph, "line 5".into()),
            ]
        );
    }

    #[test]
    fn xmp_and_textarea_are_shown_as_written() {
        let doc = read("<xmp>  <b>风险</b>\n等级</xmp><textarea>备注 &amp;</textarea>");
        let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, vec!["  <b>风险</b>", "等级", "备注 &amp;"]);
    }

    #[test]
    fn deep_nesting_is_capped_not_recursed() {
        let n = 100_000;
        let src = format!("<p>开头</p>{}深处{}", "<div>".repeat(n), "</div>".repeat(n));
        let started = std::time::Instant::now();
        let doc = read(&src);
        assert!(started.elapsed().as_secs() < 5);
        assert_eq!(doc.blocks.len(), 1);
        assert_eq!(doc.blocks[0].text, "开头");
        assert_eq!(doc.issues.len(), 1);
        assert_eq!(doc.issues[0].code, "source.unreadable");
        assert_eq!(
            doc.issues[0].message,
            "HTML 元素嵌套超过 256 层，其后的内容未读取"
        );
    }

    #[test]
    fn unclosed_paragraphs_do_not_count_as_depth() {
        let src = "<p>段落".repeat(1000);
        let doc = read(&src);
        assert!(doc.issues.is_empty());
        assert_eq!(doc.blocks.len(), 1000);
    }

    #[test]
    fn cell_cap_keeps_what_was_read() {
        let limits = Limits {
            max_cells: 3,
            ..Limits::default()
        };
        let doc = read_html("<table><tr><td>1<td>2<td>3<td>4<td>5</table>", &limits);
        let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, vec!["1", "2", "3"]);
        assert_eq!(doc.issues.len(), 1);
        assert_eq!(
            doc.issues[0].message,
            "HTML 表格单元格超过 3 个，其后的内容未读取"
        );
    }

    #[test]
    fn hostile_spans_are_bounded() {
        let src = format!(
            "<table><tr>{}</tr>{}</table>",
            "<td rowspan=65534 colspan=1000>x</td>".repeat(20),
            "<tr><td>y</td></tr>".repeat(10)
        );
        let started = std::time::Instant::now();
        let doc = read(&src);
        assert!(started.elapsed().as_secs() < 5);
        assert_eq!(doc.blocks.len(), 16);
        assert_eq!(
            doc.issues[0].message,
            "HTML 表格超过 16384 列，其后的内容未读取"
        );
    }
}

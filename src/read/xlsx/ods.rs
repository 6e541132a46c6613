//! .ods: `content.xml` streamed here. Spans come from
//! `table:number-columns-spanned` / `number-rows-spanned`; covered cells are
//! skipped; repeated rows and cells are expanded only when they hold text,
//! within the cell cap.

use super::sheet::{MAX_SHEET_TEXT_BYTES, Merge, RawCell, cell_blocks};
use super::value::number;
use super::xml::{Ev, Xml, attr, local};
use crate::document::{Document, ReadIssue};
use crate::read::zipped::Package;
use crate::read::{Limits, ReadError};

/// Excel's row limit; rows past it are not addressable in A1 names anyway.
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLS: u32 = 16_384;
/// Copies made from `number-*-repeated` per sheet: a 600-byte file can
/// declare a billion repeated cells, and real sheets repeat little text.
const MAX_REPEAT_COPIES: usize = 100_000;
/// Longest text kept for one cell (`text:s text:c` multiplies spaces).
const MAX_CELL_TEXT_BYTES: usize = 1 << 20;

pub(super) fn read(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    let mut pkg = Package::open(bytes, limits)?;
    if let Some(manifest) = pkg.part("META-INF/manifest.xml")?
        && String::from_utf8_lossy(&manifest).contains("encryption-data")
    {
        return Err(ReadError::Encrypted("ODS 文档有密码保护".into()));
    }
    let content = pkg
        .part("content.xml")?
        .ok_or_else(|| ReadError::Unreadable("ODS 文档缺少 content.xml".into()))?;
    Ok(read_content(&content, limits))
}

/// One cell being read.
struct OpenCell {
    repeat: u32,
    col_span: u32,
    row_span: u32,
    /// Text from the value attributes (numbers, dates …), preferred over `text:p`.
    value: Option<String>,
    text: String,
    paragraphs: usize,
    covered: bool,
}

/// A finished cell of the current row, before row repetition.
struct RowCell {
    col: u32,
    text: String,
    col_span: u32,
    row_span: u32,
}

struct Sheet {
    name: String,
    row: u32,
    cells: Vec<RawCell>,
    merges: Vec<Merge>,
    truncated: bool,
    text_bytes: usize,
    too_much_text: bool,
    /// Cells made by repetition so far, against `MAX_REPEAT_COPIES`.
    copies: usize,
    copy_bytes: usize,
    copies_capped: bool,
}

fn read_content(xml: &[u8], limits: &Limits) -> Document {
    let mut doc = Document::default();
    let mut reader = Xml::new(xml, limits.max_xml_depth);
    let mut stack: Vec<String> = Vec::new();
    let mut sheet: Option<Sheet> = None;
    let mut index = 0u32;
    let mut row_repeat = 1u32;
    let mut row_cells: Vec<RowCell> = Vec::new();
    let mut col = 0u32;
    let mut cell: Option<OpenCell> = None;

    loop {
        let ev = match reader.next() {
            Ok(ev) => ev,
            Err(m) => {
                let name = sheet.as_ref().map(|s| s.name.clone()).unwrap_or_default();
                doc.issues.push(ReadIssue {
                    code: "source.unreadable".into(),
                    message: format!("content.xml 损坏，其后内容未读（{m}）"),
                    origin: format!("{name}!"),
                });
                if let Some(s) = sheet.take() {
                    finish_sheet(s, index, limits, &mut doc);
                }
                return doc;
            }
        };
        let (e, is_start) = match ev {
            Ev::Eof => return doc,
            Ev::Text(t) => {
                if let Some(c) = cell.as_mut()
                    && stack.iter().any(|n| n == "p")
                {
                    push_capped(&mut c.text, &t);
                }
                continue;
            }
            Ev::End => {
                let Some(name) = stack.pop() else { continue };
                match name.as_str() {
                    "table-cell" | "covered-table-cell" => {
                        if let (Some(c), Some(s)) = (cell.take(), sheet.as_mut()) {
                            close_cell(c, &mut col, &mut row_cells, s);
                        }
                    }
                    "table-row" => {
                        if let Some(s) = sheet.as_mut() {
                            emit_row(s, &mut row_cells, row_repeat, limits.max_cells);
                        }
                        row_repeat = 1;
                    }
                    "table" => {
                        if let Some(s) = sheet.take() {
                            finish_sheet(s, index, limits, &mut doc);
                            index += 1;
                        }
                    }
                    _ => {}
                }
                continue;
            }
            Ev::Start(e) => (e, true),
            Ev::Empty(e) => (e, false),
        };
        let name = local(&e);
        match name.as_str() {
            // A table inside a cell, or a comment: not the sheet's own text.
            "table" | "annotation" | "frame" if cell.is_some() => {
                if is_start && let Err(m) = reader.skip_element() {
                    doc.issues.push(ReadIssue {
                        code: "source.unreadable".into(),
                        message: format!("content.xml 损坏（{m}）"),
                        origin: String::new(),
                    });
                    return doc;
                }
                continue;
            }
            "table" => {
                if let Some(s) = sheet.take() {
                    finish_sheet(s, index, limits, &mut doc);
                    index += 1;
                }
                sheet = Some(Sheet {
                    name: attr(&e, "table:name").unwrap_or_else(|| format!("Sheet{}", index + 1)),
                    row: 0,
                    cells: Vec::new(),
                    merges: Vec::new(),
                    truncated: false,
                    text_bytes: 0,
                    too_much_text: false,
                    copies: 0,
                    copy_bytes: 0,
                    copies_capped: false,
                });
                if !is_start && let Some(s) = sheet.take() {
                    finish_sheet(s, index, limits, &mut doc);
                    index += 1;
                }
            }
            "table-row" if sheet.is_some() => {
                row_repeat = count_attr(&e, "table:number-rows-repeated");
                row_cells.clear();
                col = 0;
                if !is_start {
                    if let Some(s) = sheet.as_mut() {
                        s.row = s.row.saturating_add(row_repeat);
                    }
                    row_repeat = 1;
                }
            }
            "table-cell" | "covered-table-cell" if sheet.is_some() => {
                let c = OpenCell {
                    repeat: count_attr(&e, "table:number-columns-repeated"),
                    col_span: count_attr(&e, "table:number-columns-spanned"),
                    row_span: count_attr(&e, "table:number-rows-spanned"),
                    value: typed_value(&e),
                    text: String::new(),
                    paragraphs: 0,
                    covered: name == "covered-table-cell",
                };
                if is_start {
                    cell = Some(c);
                } else if let Some(s) = sheet.as_mut() {
                    close_cell(c, &mut col, &mut row_cells, s);
                }
            }
            "p" | "h" if cell.is_some() => {
                if let Some(c) = cell.as_mut() {
                    if c.paragraphs > 0 {
                        c.text.push('\n');
                    }
                    c.paragraphs += 1;
                }
            }
            "s" if cell.is_some() => {
                let n = attr(&e, "text:c")
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1);
                if let Some(c) = cell.as_mut() {
                    push_capped(&mut c.text, &" ".repeat(n.min(1000)));
                }
            }
            "tab" if cell.is_some() => {
                if let Some(c) = cell.as_mut() {
                    c.text.push('\t');
                }
            }
            "line-break" if cell.is_some() => {
                if let Some(c) = cell.as_mut() {
                    c.text.push('\n');
                }
            }
            _ => {}
        }
        if is_start {
            stack.push(name);
        }
    }
}

fn push_capped(text: &mut String, more: &str) {
    if text.len() + more.len() <= MAX_CELL_TEXT_BYTES {
        text.push_str(more);
    }
}

fn count_attr(e: &quick_xml::events::BytesStart<'_>, name: &str) -> u32 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|&n| n >= 1)
        .unwrap_or(1)
}

/// The value attributes rendered the way the xlsx/xls readers render them.
fn typed_value(e: &quick_xml::events::BytesStart<'_>) -> Option<String> {
    match attr(e, "office:value-type")?.as_str() {
        "float" | "percentage" | "currency" => {
            number(attr(e, "office:value")?.trim().parse::<f64>().ok()?)
        }
        "date" => {
            let v = attr(e, "office:date-value")?;
            Some(v.strip_suffix("T00:00:00").unwrap_or(&v).replace('T', " "))
        }
        "time" => iso_duration(&attr(e, "office:time-value")?),
        "boolean" => {
            let v = attr(e, "office:boolean-value")?;
            Some(if v == "true" { "TRUE" } else { "FALSE" }.into())
        }
        _ => None,
    }
}

/// `PT12H30M05S` → `12:30:05`.
fn iso_duration(v: &str) -> Option<String> {
    let rest = v.strip_prefix("PT")?;
    let (mut h, mut m, mut s) = (0u64, 0u64, 0f64);
    let mut num = String::new();
    for c in rest.chars() {
        match c {
            'H' => h = std::mem::take(&mut num).parse().ok()?,
            'M' => m = std::mem::take(&mut num).parse().ok()?,
            'S' => s = std::mem::take(&mut num).parse().ok()?,
            c => num.push(c),
        }
    }
    Some(format!("{h:02}:{m:02}:{:02}", s.round() as u64))
}

fn close_cell(c: OpenCell, col: &mut u32, row_cells: &mut Vec<RowCell>, s: &mut Sheet) {
    let text = c.value.unwrap_or(c.text);
    if !c.covered && !text.trim().is_empty() {
        // Repeats of a spanned cell are rare; each repeat starts its own span.
        for (k, at) in (*col..col.saturating_add(c.repeat)).enumerate() {
            if at >= MAX_COLS || (k > 0 && !s.take_copy(text.len())) {
                break;
            }
            row_cells.push(RowCell {
                col: at,
                text: text.clone(),
                col_span: c.col_span,
                row_span: c.row_span,
            });
        }
    }
    *col = col.saturating_add(c.repeat);
}

impl Sheet {
    /// Account for one cell made by repetition; false once over budget
    /// (in cells or in bytes of copied text).
    fn take_copy(&mut self, bytes: usize) -> bool {
        if self.copies >= MAX_REPEAT_COPIES || self.copy_bytes + bytes > MAX_SHEET_TEXT_BYTES {
            self.copies_capped = true;
            return false;
        }
        self.copies += 1;
        self.copy_bytes += bytes;
        true
    }
}

fn emit_row(s: &mut Sheet, row_cells: &mut Vec<RowCell>, repeat: u32, max_cells: usize) {
    'rows: for k in 0..repeat {
        if row_cells.is_empty() {
            break;
        }
        let row = s.row.saturating_add(k);
        if row >= MAX_ROWS {
            break;
        }
        for c in row_cells.iter() {
            if s.cells.len() >= max_cells {
                s.truncated = true;
                break 'rows;
            }
            if k > 0 && !s.take_copy(c.text.len()) {
                break 'rows;
            }
            s.text_bytes += c.text.len();
            if s.text_bytes > MAX_SHEET_TEXT_BYTES {
                s.too_much_text = true;
                break 'rows;
            }
            if c.col_span > 1 || c.row_span > 1 {
                s.merges.push(Merge {
                    first_row: row,
                    first_col: c.col,
                    last_row: row.saturating_add(c.row_span - 1),
                    last_col: c.col.saturating_add(c.col_span - 1),
                });
            }
            s.cells.push(RawCell {
                row,
                col: c.col,
                text: c.text.clone(),
            });
        }
    }
    row_cells.clear();
    s.row = s.row.saturating_add(repeat);
}

fn finish_sheet(s: Sheet, index: u32, limits: &Limits, doc: &mut Document) {
    if s.copies_capped {
        doc.issues.push(super::ooxml::issue(
            &s.name,
            format!("重复单元格展开超过 {MAX_REPEAT_COPIES} 个，其余未读"),
        ));
    }
    if s.too_much_text {
        doc.issues
            .push(super::ooxml::issue(&s.name, super::ooxml::too_much_text()));
    }
    if s.truncated {
        doc.issues.push(super::ooxml::issue(
            &s.name,
            format!("单元格超过 {} 个，其余未读", limits.max_cells),
        ));
    }
    // ODS geometry is not read: default column widths and row heights.
    doc.blocks.extend(cell_blocks(
        index,
        &s.name,
        s.cells,
        &s.merges,
        &Default::default(),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::BlockKind;

    #[test]
    fn spans_repeats_and_covered_cells() {
        let xml = r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet>
<table:table table:name="表一">
<table:table-row><table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="2" office:value-type="string"><text:p>合并</text:p><text:p>第二行<text:s text:c="2"/>尾</text:p></table:table-cell><table:covered-table-cell/><table:table-cell office:value-type="float" office:value="3"><text:p>3.00</text:p></table:table-cell></table:table-row>
<table:table-row><table:covered-table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="date" office:date-value="2024-05-01"/></table:table-row>
<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="3"/></table:table-row>
<table:table-row table:number-rows-repeated="2"><table:table-cell office:value-type="boolean" office:boolean-value="true" table:number-columns-repeated="2"/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;
        let doc = read_content(xml.as_bytes(), &Limits::default());
        let got: Vec<(String, String, BlockKind)> = doc
            .blocks
            .iter()
            .map(|b| (b.text.clone(), b.origin.clone(), b.kind.clone()))
            .collect();
        let k = |row, col, row_span, col_span| BlockKind::Cell {
            table: 0,
            row,
            col,
            row_span,
            col_span,
        };
        assert_eq!(
            got,
            vec![
                (
                    "合并\n第二行  尾".into(),
                    "表一!A1:B2".into(),
                    k(0, 0, 2, 2)
                ),
                ("3".into(), "表一!C1".into(), k(0, 2, 1, 1)),
                ("2024-05-01".into(), "表一!C2".into(), k(1, 2, 1, 1)),
                ("TRUE".into(), "表一!A1000003".into(), k(1_000_002, 0, 1, 1)),
                ("TRUE".into(), "表一!B1000003".into(), k(1_000_002, 1, 1, 1)),
                ("TRUE".into(), "表一!A1000004".into(), k(1_000_003, 0, 1, 1)),
                ("TRUE".into(), "表一!B1000004".into(), k(1_000_003, 1, 1, 1)),
            ]
        );
        assert!(doc.issues.is_empty());
    }

    #[test]
    fn a_billion_repeated_cells_stop_at_the_copy_budget() {
        let xml = br#"<r xmlns:table="t" xmlns:office="o" xmlns:text="x"><table:table table:name="S"><table:table-row table:number-rows-repeated="999999999"><table:table-cell table:number-columns-repeated="999999999" office:value-type="string"><text:p>X</text:p></table:table-cell></table:table-row></table:table></r>"#;
        let doc = read_content(xml, &Limits::default());
        // One real cell plus the copy budget.
        assert_eq!(doc.blocks.len(), 1 + MAX_REPEAT_COPIES);
        assert_eq!(doc.blocks[16_384].origin, "S!A2");
        assert_eq!(doc.issues.len(), 1);
        assert_eq!(
            doc.issues[0].message,
            "工作表「S」：重复单元格展开超过 100000 个，其余未读"
        );
    }

    #[test]
    fn cell_cap_makes_the_sheet_partial() {
        let xml = br#"<r xmlns:table="t" xmlns:office="o"><table:table table:name="S"><table:table-row table:number-rows-repeated="1000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="1000"/></table:table-row></table:table></r>"#;
        let limits = Limits {
            max_cells: 10,
            ..Limits::default()
        };
        let doc = read_content(xml, &limits);
        assert_eq!(doc.blocks.len(), 10);
        assert_eq!(doc.issues.len(), 1);
        assert_eq!(
            doc.issues[0].message,
            "工作表「S」：单元格超过 10 个，其余未读"
        );
    }
}

//! A small streaming SpreadsheetML (`.xlsx`) writer with what
//! `catalog.xlsx` needs: sheets whose first row is a frozen, filtered
//! header, text and number cells, column widths and styles, links to cells
//! of the workbook, and the document's properties.
//!
//! Each sheet's rows are deflated as they are written, into a temporary
//! file of their own, so memory stays flat however many rows there are.
//! What depends on every row is written last and put in front: the
//! dimension and the column widths head the sheet, the links follow its
//! rows (logged to a second file until then), and a style's look may be
//! set after cells using it are written (a column wraps only if its widest
//! cell is wide). [`package`](super::package) joins the pieces.

use super::package::{Deflater, Package, Piece, temp_file};
use crate::write::TempFile;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// Rows are handed to the compressor in batches of about this many bytes.
const BATCH: usize = 256 << 10;

/// How cells look. Fonts are the default (Calibri 11) but for these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Look {
    pub bold: bool,
    pub underline: bool,
    /// Font colour, `0xRRGGBB`; else the theme's text colour.
    pub color: Option<u32>,
    /// Solid fill, `0xRRGGBB`.
    pub fill: Option<u32>,
    /// A thin border on every side.
    pub border: bool,
    pub valign: Option<VAlign>,
    pub wrap: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VAlign {
    Top,
    Center,
}

/// A cell style (an index into the workbook's cell formats).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style(u32);

/// The workbook's document properties.
pub struct Properties<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub comment: &'a str,
    /// W3CDTF, e.g. `2000-01-01T00:00:00Z`.
    pub created: &'a str,
}

/// A workbook being written: its styles and the folder of its temporary
/// files. Sheets are made here, filled on their own, and handed back in
/// order to [`Book::finish`].
pub struct Book {
    dir: PathBuf,
    looks: Vec<Look>,
}

impl Book {
    /// A workbook whose temporary files go in `dir`.
    pub fn new(dir: &Path) -> Book {
        Book {
            dir: dir.to_path_buf(),
            // Format 0 is the default look of every cell.
            looks: vec![Look::default()],
        }
    }

    /// A new style, numbered in the order they are made.
    pub fn style(&mut self, look: Look) -> Style {
        self.looks.push(look);
        Style(self.looks.len() as u32 - 1)
    }

    pub fn look(&self, style: Style) -> Look {
        self.looks[style.0 as usize]
    }

    /// Change a style's look: cells already written take the new one.
    pub fn set_look(&mut self, style: Style, look: Look) {
        self.looks[style.0 as usize] = look;
    }

    /// A new sheet, its header row (styled `style`) written.
    pub fn sheet(&self, name: String, header: &[&str], style: Style) -> io::Result<Sheet> {
        let (rows_file, file) = temp_file(&self.dir)?;
        let mut sheet = Sheet {
            name,
            refs: (0..header.len()).map(column_name).collect(),
            xml: Vec::with_capacity(BATCH + (64 << 10)),
            rows: Deflater::new(file),
            rows_file,
            row: 0,
            row_text: String::new(),
            links: None,
            dir: self.dir.clone(),
        };
        sheet.start_row();
        for (c, title) in header.iter().enumerate() {
            sheet.text(c, style, title);
        }
        sheet.end_row()?;
        Ok(sheet)
    }

    /// Write the workbook to `path`: `sheets` in order, each with its
    /// columns' widths and styles; a link's target is looked up by
    /// `locate` (`'Sheet'!A5`; none, no link).
    pub fn finish(
        self,
        path: &Path,
        sheets: Vec<(Rows, Vec<Column>)>,
        props: &Properties,
        locate: &dyn Fn(&str) -> Option<String>,
    ) -> io::Result<()> {
        let file = BufWriter::with_capacity(1 << 20, File::create(path)?);
        let mut zip = Package::new(file);
        let names: Vec<&str> = sheets.iter().map(|(s, _)| s.name.as_str()).collect();
        let small = |zip: &mut Package<_>, name: &str, xml: &str| {
            zip.add(name, vec![Piece::of(xml.as_bytes(), true)?])
        };
        small(&mut zip, "[Content_Types].xml", &content_types(names.len()))?;
        small(&mut zip, "_rels/.rels", ROOT_RELS)?;
        small(&mut zip, "docProps/app.xml", &app_properties(&names))?;
        small(&mut zip, "docProps/core.xml", &core_properties(props))?;
        let ranges: Vec<String> = sheets
            .iter()
            .map(|(rows, cols)| rows.range(cols.len()))
            .collect();
        small(&mut zip, "xl/workbook.xml", &workbook(&names, &ranges))?;
        small(
            &mut zip,
            "xl/_rels/workbook.xml.rels",
            &workbook_rels(names.len()),
        )?;
        small(&mut zip, "xl/styles.xml", &styles(&self.looks))?;
        small(&mut zip, "xl/theme/theme1.xml", THEME)?;
        for (i, (rows, cols)) in sheets.into_iter().enumerate() {
            let head = sheet_head(&rows, &cols, &self.looks, i == 0);
            let tail = rows.tail(cols.len(), locate, &self.dir)?;
            let pieces = vec![Piece::of(head.as_bytes(), false)?, rows.piece, tail];
            zip.add(&format!("xl/worksheets/sheet{}.xml", i + 1), pieces)?;
        }
        let file = zip.finish()?;
        file.into_inner().map_err(|e| e.into_error())?;
        Ok(())
    }
}

/// A column's width (in characters, as Excel's column width box) and the
/// style of its empty cells.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub width: f64,
    pub style: Style,
}

/// A sheet being filled, row by row.
pub struct Sheet {
    name: String,
    /// Column names: `A`, `B` …
    refs: Vec<String>,
    /// Rows not yet compressed.
    xml: Vec<u8>,
    rows: Deflater<File>,
    rows_file: TempFile,
    /// The current (or last) row, from 1.
    row: u32,
    /// The row's number as text, for its cells' references.
    row_text: String,
    links: Option<LinkLog>,
    dir: PathBuf,
}

/// Links of a sheet, kept in a file until the sheet's end: per link, its
/// row and column, then its target and text, each a length and bytes.
struct LinkLog {
    file: TempFile,
    out: BufWriter<File>,
}

impl Sheet {
    /// Rows written after the header.
    pub fn data_rows(&self) -> usize {
        self.row.saturating_sub(1) as usize
    }

    pub fn start_row(&mut self) {
        self.row += 1;
        self.row_text.clear();
        self.row_text.push_str(itoa::Buffer::new().format(self.row));
        self.xml.extend_from_slice(b"<row r=\"");
        self.xml.extend_from_slice(self.row_text.as_bytes());
        self.xml.extend_from_slice(b"\">");
    }

    pub fn end_row(&mut self) -> io::Result<()> {
        self.xml.extend_from_slice(b"</row>");
        if self.xml.len() >= BATCH {
            self.rows.write(&self.xml)?;
            self.xml.clear();
        }
        Ok(())
    }

    /// `<c r="B7" s="3"`: the start of the current row's cell `col`.
    fn open_cell(&mut self, col: usize, style: Style) {
        let x = &mut self.xml;
        x.extend_from_slice(b"<c r=\"");
        x.extend_from_slice(self.refs[col].as_bytes());
        x.extend_from_slice(self.row_text.as_bytes());
        x.extend_from_slice(b"\" s=\"");
        x.extend_from_slice(itoa::Buffer::new().format(style.0).as_bytes());
        x.push(b'"');
    }

    /// A text cell. An empty text is a blank cell: Excel keeps no empty
    /// strings.
    pub fn text(&mut self, col: usize, style: Style, text: &str) {
        if text.is_empty() {
            return self.blank(col, style);
        }
        self.open_cell(col, style);
        // Leading or trailing white space is kept only when asked for.
        let space = |c: char| matches!(c, ' ' | '\t' | '\n');
        self.xml
            .extend_from_slice(match text.starts_with(space) || text.ends_with(space) {
                true => &b" t=\"inlineStr\"><is><t xml:space=\"preserve\">"[..],
                false => &b" t=\"inlineStr\"><is><t>"[..],
            });
        escape_text(&mut self.xml, text);
        self.xml.extend_from_slice(b"</t></is></c>");
    }

    pub fn number(&mut self, col: usize, style: Style, n: i64) {
        self.open_cell(col, style);
        self.xml.extend_from_slice(b"><v>");
        // A cell's number is a double: integers beyond 2^53 are rounded,
        // as Excel would.
        if n.unsigned_abs() <= 1 << 53 {
            self.xml
                .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        } else {
            self.xml
                .extend_from_slice((n as f64).to_string().as_bytes());
        }
        self.xml.extend_from_slice(b"</v></c>");
    }

    /// A cell with a style and no value.
    pub fn blank(&mut self, col: usize, style: Style) {
        self.open_cell(col, style);
        self.xml.extend_from_slice(b"/>");
    }

    /// Make the current row's cell `col` a link to `target` (resolved by
    /// [`Book::finish`]'s `locate`), its text `text`.
    pub fn link(&mut self, col: usize, target: &str, text: &str) -> io::Result<()> {
        if self.links.is_none() {
            let (file, f) = temp_file(&self.dir)?;
            let out = BufWriter::with_capacity(1 << 16, f);
            self.links = Some(LinkLog { file, out });
        }
        let Some(log) = &mut self.links else {
            unreachable!("made above")
        };
        let mut record = Vec::with_capacity(16 + target.len() + text.len());
        record.extend_from_slice(&self.row.to_le_bytes());
        record.extend_from_slice(&(col as u32).to_le_bytes());
        for s in [target, text] {
            record.extend_from_slice(&(s.len() as u32).to_le_bytes());
            record.extend_from_slice(s.as_bytes());
        }
        log.out.write_all(&record)
    }

    /// The sheet's rows, compressed and closed.
    pub fn close(mut self) -> io::Result<Rows> {
        self.rows.write(&self.xml)?;
        let (file, sums) = self.rows.finish(false)?;
        drop(file);
        let links = match self.links {
            Some(mut log) => {
                log.out.flush()?;
                Some(log.file)
            }
            None => None,
        };
        Ok(Rows {
            name: self.name,
            rows: self.row,
            piece: Piece::file(self.rows_file, sums),
            links,
        })
    }
}

/// A closed sheet: its name, rows (deflated) and links.
pub struct Rows {
    name: String,
    rows: u32,
    piece: Piece,
    links: Option<TempFile>,
}

impl Rows {
    /// `A1:M376`: every cell of the sheet.
    fn range(&self, columns: usize) -> String {
        let last = column_name(columns.max(1) - 1);
        format!("A1:{last}{}", self.rows.max(1))
    }

    /// What follows the rows: the filter, the links, the page margins.
    fn tail(
        &self,
        columns: usize,
        locate: &dyn Fn(&str) -> Option<String>,
        dir: &Path,
    ) -> io::Result<Piece> {
        let mut xml =
            format!("</sheetData><autoFilter ref=\"{}\"/>", self.range(columns)).into_bytes();
        const MARGINS: &[u8] = b"<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" \
            bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>";
        let Some(log) = &self.links else {
            xml.extend_from_slice(MARGINS);
            return Piece::of(&xml, true);
        };
        let (file, f) = temp_file(dir)?;
        let mut out = Deflater::new(BufWriter::with_capacity(1 << 16, f));
        xml.extend_from_slice(b"<hyperlinks>");
        let mut input = BufReader::with_capacity(1 << 16, File::open(log.path())?);
        let mut target = Vec::new();
        let mut text = Vec::new();
        while !input.fill_buf()?.is_empty() {
            let row = read_u32(&mut input)?;
            let col = read_u32(&mut input)? as usize;
            read_bytes(&mut input, &mut target)?;
            read_bytes(&mut input, &mut text)?;
            let target = std::str::from_utf8(&target).map_err(io::Error::other)?;
            let text = std::str::from_utf8(&text).map_err(io::Error::other)?;
            let Some(location) = locate(target) else {
                continue;
            };
            xml.extend_from_slice(b"<hyperlink ref=\"");
            xml.extend_from_slice(column_name(col).as_bytes());
            xml.extend_from_slice(itoa::Buffer::new().format(row).as_bytes());
            xml.extend_from_slice(b"\" location=\"");
            escape_attr(&mut xml, &location);
            xml.extend_from_slice(b"\" display=\"");
            escape_attr(&mut xml, text);
            xml.extend_from_slice(b"\"/>");
            if xml.len() >= BATCH {
                out.write(&xml)?;
                xml.clear();
            }
        }
        xml.extend_from_slice(b"</hyperlinks>");
        xml.extend_from_slice(MARGINS);
        out.write(&xml)?;
        let (f, sums) = out.finish(true)?;
        f.into_inner().map_err(|e| e.into_error())?;
        Ok(Piece::file(file, sums))
    }
}

fn read_u32(r: &mut impl Read) -> io::Result<u32> {
    let mut b = [0; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

fn read_bytes(r: &mut impl Read, into: &mut Vec<u8>) -> io::Result<()> {
    let n = read_u32(r)? as usize;
    into.resize(n, 0);
    r.read_exact(into)
}

/// `A` for column 0, `Z` for 25, `AA` for 26 …
pub fn column_name(col: usize) -> String {
    let mut name = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        name.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// The sheet's XML before its rows: its extent, the frozen header row and
/// the columns (neighbours alike in width and style in one `<col>`).
fn sheet_head(rows: &Rows, cols: &[Column], looks: &[Look], first: bool) -> String {
    let mut x = String::from(XML_DECLARATION);
    x.push_str(
        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
    );
    x.push_str(&format!("<dimension ref=\"{}\"/>", rows.range(cols.len())));
    x.push_str(match first {
        true => "<sheetViews><sheetView tabSelected=\"1\" workbookViewId=\"0\">",
        false => "<sheetViews><sheetView workbookViewId=\"0\">",
    });
    x.push_str(
        "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>\
         <selection pane=\"bottomLeft\"/></sheetView></sheetViews>\
         <sheetFormatPr defaultRowHeight=\"15\"/>",
    );
    if !cols.is_empty() {
        x.push_str("<cols>");
        let mut c = 0;
        while c < cols.len() {
            let alike = |d: &Column| {
                d.width == cols[c].width
                    && looks[d.style.0 as usize] == looks[cols[c].style.0 as usize]
            };
            let end = c + cols[c..].iter().take_while(|d| alike(d)).count();
            x.push_str(&format!(
                "<col min=\"{}\" max=\"{end}\" width=\"{}\" style=\"{}\" customWidth=\"1\"/>",
                c + 1,
                stored_width(cols[c].width),
                cols[c].style.0
            ));
            c = end;
        }
        x.push_str("</cols>");
    }
    x.push_str("<sheetData>");
    x
}

/// The width Excel stores for a column `chars` characters wide: with its
/// 5-pixel padding (7-pixel digits of the default font), to 1/256 of a
/// character, as Excel itself writes it.
fn stored_width(chars: f64) -> f64 {
    let pixels = if chars < 1.0 {
        (chars * 12.0).round()
    } else {
        (chars * 7.0).round() + 5.0
    };
    (pixels / 7.0 * 256.0).floor() / 256.0
}

/// Cell text as SpreadsheetML keeps it: `& < >` escaped; characters XML
/// cannot hold (controls but tab and line feed, carriage return, U+FFFE,
/// U+FFFF) written as Excel does, `_xHHHH_`; and so a text that reads
/// like such an escape has its `_` escaped (`_x005F_`).
pub fn escape_text(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    // `b[..done]` is in `out`.
    let mut done = 0;
    for (i, &c) in b.iter().enumerate() {
        if !SPECIAL[c as usize] {
            continue;
        }
        let control;
        let (escape, len): (&[u8], usize) = match c {
            b'&' => (b"&amp;", 1),
            b'<' => (b"&lt;", 1),
            b'>' => (b"&gt;", 1),
            // `_x005F` goes before the `_`, which is then copied as is.
            b'_' if reads_as_escape(&b[i..]) => (b"_x005F", 0),
            b'_' => continue,
            0xEF => match b[i + 1..] {
                [0xBF, 0xBE, ..] => (b"_xFFFE_", 3),
                [0xBF, 0xBF, ..] => (b"_xFFFF_", 3),
                _ => continue,
            },
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                control = [
                    b'_',
                    b'x',
                    b'0',
                    b'0',
                    HEX[(c >> 4) as usize],
                    HEX[(c & 15) as usize],
                    b'_',
                ];
                (&control[..], 1)
            }
        };
        out.extend_from_slice(&b[done..i]);
        out.extend_from_slice(escape);
        done = i + len;
    }
    out.extend_from_slice(&b[done..]);
}

/// Bytes [`escape_text`] looks at: markup, controls, `_` and the lead
/// byte of U+FFFE/U+FFFF.
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = c != b'\t' as usize && c != b'\n' as usize;
        c += 1;
    }
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'_' as usize] = true;
    t[0xEF] = true;
    t
};

/// `_xHHHH_` with four hex digits.
fn reads_as_escape(b: &[u8]) -> bool {
    b.len() >= 7 && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}

/// An attribute's value: `& < > "` escaped, tab and line breaks as
/// character references (else they read back as spaces), and characters
/// XML cannot hold replaced by U+FFFD.
pub fn escape_attr(out: &mut Vec<u8>, s: &str) {
    for ch in s.chars() {
        match ch {
            '&' => out.extend_from_slice(b"&amp;"),
            '<' => out.extend_from_slice(b"&lt;"),
            '>' => out.extend_from_slice(b"&gt;"),
            '"' => out.extend_from_slice(b"&quot;"),
            '\t' => out.extend_from_slice(b"&#x9;"),
            '\n' => out.extend_from_slice(b"&#xA;"),
            '\r' => out.extend_from_slice(b"&#xD;"),
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => {
                out.extend_from_slice("\u{FFFD}".as_bytes())
            }
            _ => {
                let mut buf = [0; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

fn attr(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    escape_attr(&mut out, s);
    String::from_utf8(out).unwrap_or_default()
}

fn text(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    escape_text(&mut out, s);
    String::from_utf8(out).unwrap_or_default()
}

const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

fn content_types(sheets: usize) -> String {
    let part = |name: &str, ty: &str| {
        format!(
            "<Override PartName=\"/{name}\" \
             ContentType=\"application/vnd.openxmlformats-{ty}+xml\"/>"
        )
    };
    let mut x = String::from(XML_DECLARATION);
    x.push_str(
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" \
         ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>",
    );
    x += &part("docProps/app.xml", "officedocument.extended-properties");
    x += &part("docProps/core.xml", "package.core-properties");
    x += &part("xl/workbook.xml", "officedocument.spreadsheetml.sheet.main");
    x += &part("xl/styles.xml", "officedocument.spreadsheetml.styles");
    x += &part("xl/theme/theme1.xml", "officedocument.theme");
    for i in 1..=sheets {
        x += &part(
            &format!("xl/worksheets/sheet{i}.xml"),
            "officedocument.spreadsheetml.worksheet",
        );
    }
    x.push_str("</Types>");
    x
}

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

fn workbook_rels(sheets: usize) -> String {
    let rel = |id: usize, ty: &str, target: &str| {
        format!(
            "<Relationship Id=\"rId{id}\" \
             Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{ty}\" \
             Target=\"{target}\"/>"
        )
    };
    let mut x = String::from(XML_DECLARATION);
    x.push_str(
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    for i in 1..=sheets {
        x += &rel(i, "worksheet", &format!("worksheets/sheet{i}.xml"));
    }
    x += &rel(sheets + 1, "theme", "theme/theme1.xml");
    x += &rel(sheets + 2, "styles", "styles.xml");
    x.push_str("</Relationships>");
    x
}

/// The sheet list, and each sheet's filter range as Excel names it.
fn workbook(names: &[&str], ranges: &[String]) -> String {
    let mut x = String::from(XML_DECLARATION);
    x.push_str(
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <workbookPr/><bookViews><workbookView xWindow=\"240\" yWindow=\"15\" \
         windowWidth=\"16095\" windowHeight=\"9660\"/></bookViews><sheets>",
    );
    for (i, name) in names.iter().enumerate() {
        x.push_str(&format!(
            "<sheet name=\"{}\" sheetId=\"{}\" r:id=\"rId{}\"/>",
            attr(name),
            i + 1,
            i + 1
        ));
    }
    x.push_str("</sheets><definedNames>");
    for (i, (name, range)) in names.iter().zip(ranges).enumerate() {
        let absolute = range
            .split(':')
            .map(|cell| {
                let at = cell
                    .find(|c: char| c.is_ascii_digit())
                    .unwrap_or(cell.len());
                format!("${}${}", &cell[..at], &cell[at..])
            })
            .collect::<Vec<_>>()
            .join(":");
        x.push_str(&format!(
            "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"{i}\" hidden=\"1\">\
             {}!{absolute}</definedName>",
            text(&sheet_ref(name))
        ));
    }
    x.push_str("</definedNames></workbook>");
    x
}

/// A sheet's name as a reference: quoted (`'` doubled) unless it is all
/// non-ASCII letters (as the catalog's Chinese titles), which cannot be
/// mistaken for a cell or a function.
pub fn sheet_ref(name: &str) -> String {
    match name.chars().all(|c| !c.is_ascii() && c.is_alphanumeric()) {
        true => name.to_string(),
        false => format!("'{}'", name.replace('\'', "''")),
    }
}

fn app_properties(names: &[&str]) -> String {
    let mut x = String::from(XML_DECLARATION);
    x.push_str(&format!(
        "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" \
         xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">\
         <Application>riskflow</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>\
         <HeadingPairs><vt:vector size=\"2\" baseType=\"variant\"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>\
         <vt:variant><vt:i4>{}</vt:i4></vt:variant></vt:vector></HeadingPairs>\
         <TitlesOfParts><vt:vector size=\"{}\" baseType=\"lpstr\">",
        names.len(),
        names.len()
    ));
    for name in names {
        x.push_str(&format!("<vt:lpstr>{}</vt:lpstr>", text(name)));
    }
    x.push_str(
        "</vt:vector></TitlesOfParts><LinksUpToDate>false</LinksUpToDate>\
         <SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>\
         <AppVersion>12.0000</AppVersion></Properties>",
    );
    x
}

fn core_properties(p: &Properties) -> String {
    let mut x = String::from(XML_DECLARATION);
    x.push_str(&format!(
        "<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>\
         <dc:description>{comment}</dc:description><cp:lastModifiedBy>{author}</cp:lastModifiedBy>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{created}</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{created}</dcterms:modified>\
         </cp:coreProperties>",
        title = text(p.title),
        author = text(p.author),
        comment = text(p.comment),
        created = text(p.created),
    ));
    x
}

/// `styles.xml`: one cell format per style, in order; the fonts, fills and
/// borders they use, each listed once, in the order first used.
fn styles(looks: &[Look]) -> String {
    type Font = (bool, bool, Option<u32>);
    let mut fonts: Vec<Font> = vec![(false, false, None)];
    // Excel reserves the first two fills.
    let mut fills: Vec<Option<u32>> = vec![None, None];
    let mut xfs = String::new();
    for look in looks {
        let font = (look.bold, look.underline, look.color);
        let font_id = index_of(&mut fonts, font);
        let fill_id = match look.fill {
            Some(rgb) => index_of(&mut fills, Some(rgb)),
            None => 0,
        };
        let border_id = usize::from(look.border);
        xfs.push_str(&format!(
            "<xf numFmtId=\"0\" fontId=\"{font_id}\" fillId=\"{fill_id}\" borderId=\"{border_id}\" xfId=\"0\""
        ));
        for (applies, name) in [
            (font_id != 0, "applyFont"),
            (fill_id != 0, "applyFill"),
            (border_id != 0, "applyBorder"),
        ] {
            if applies {
                xfs.push_str(&format!(" {name}=\"1\""));
            }
        }
        if look.valign.is_none() && !look.wrap {
            xfs.push_str("/>");
            continue;
        }
        xfs.push_str(" applyAlignment=\"1\"><alignment");
        if let Some(v) = look.valign {
            xfs.push_str(match v {
                VAlign::Top => " vertical=\"top\"",
                VAlign::Center => " vertical=\"center\"",
            });
        }
        if look.wrap {
            xfs.push_str(" wrapText=\"1\"");
        }
        xfs.push_str("/></xf>");
    }
    let mut x = String::from(XML_DECLARATION);
    x.push_str("<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">");
    x.push_str(&format!("<fonts count=\"{}\">", fonts.len()));
    for (bold, underline, color) in &fonts {
        x.push_str("<font>");
        if *bold {
            x.push_str("<b/>");
        }
        if *underline {
            x.push_str("<u/>");
        }
        x.push_str("<sz val=\"11\"/>");
        match color {
            Some(rgb) => x.push_str(&format!("<color rgb=\"FF{rgb:06X}\"/>")),
            None => x.push_str("<color theme=\"1\"/>"),
        }
        x.push_str("<name val=\"Calibri\"/><family val=\"2\"/><scheme val=\"minor\"/></font>");
    }
    x.push_str(&format!(
        "</fonts><fills count=\"{}\"><fill><patternFill patternType=\"none\"/></fill>\
         <fill><patternFill patternType=\"gray125\"/></fill>",
        fills.len()
    ));
    for rgb in fills.iter().skip(2).flatten() {
        x.push_str(&format!(
            "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FF{rgb:06X}\"/>\
             <bgColor indexed=\"64\"/></patternFill></fill>"
        ));
    }
    x.push_str(
        "</fills><borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border>\
         <border><left style=\"thin\"><color auto=\"1\"/></left><right style=\"thin\"><color auto=\"1\"/></right>\
         <top style=\"thin\"><color auto=\"1\"/></top><bottom style=\"thin\"><color auto=\"1\"/></bottom>\
         <diagonal/></border></borders>\
         <cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>",
    );
    x.push_str(&format!(
        "<cellXfs count=\"{}\">{xfs}</cellXfs>",
        looks.len()
    ));
    x.push_str(
        "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>\
         <dxfs count=\"0\"/><tableStyles count=\"0\"/></styleSheet>",
    );
    x
}

/// Where `item` is in `list`, added at the end if new.
fn index_of<T: PartialEq>(list: &mut Vec<T>, item: T) -> usize {
    match list.iter().position(|x| *x == item) {
        Some(i) => i,
        None => {
            list.push(item);
            list.len() - 1
        }
    }
}

/// A theme for the styles to refer to (the default font's colour is the
/// theme's text colour): Office's colours and fonts, plain formats.
const THEME: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<a:theme xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" name=\"Office Theme\">\
<a:themeElements><a:clrScheme name=\"Office\">\
<a:dk1><a:sysClr val=\"windowText\" lastClr=\"000000\"/></a:dk1>\
<a:lt1><a:sysClr val=\"window\" lastClr=\"FFFFFF\"/></a:lt1>\
<a:dk2><a:srgbClr val=\"1F497D\"/></a:dk2><a:lt2><a:srgbClr val=\"EEECE1\"/></a:lt2>\
<a:accent1><a:srgbClr val=\"4F81BD\"/></a:accent1><a:accent2><a:srgbClr val=\"C0504D\"/></a:accent2>\
<a:accent3><a:srgbClr val=\"9BBB59\"/></a:accent3><a:accent4><a:srgbClr val=\"8064A2\"/></a:accent4>\
<a:accent5><a:srgbClr val=\"4BACC6\"/></a:accent5><a:accent6><a:srgbClr val=\"F79646\"/></a:accent6>\
<a:hlink><a:srgbClr val=\"0000FF\"/></a:hlink><a:folHlink><a:srgbClr val=\"800080\"/></a:folHlink>\
</a:clrScheme><a:fontScheme name=\"Office\">\
<a:majorFont><a:latin typeface=\"Cambria\"/><a:ea typeface=\"\"/><a:cs typeface=\"\"/></a:majorFont>\
<a:minorFont><a:latin typeface=\"Calibri\"/><a:ea typeface=\"\"/><a:cs typeface=\"\"/></a:minorFont>\
</a:fontScheme><a:fmtScheme name=\"Office\"><a:fillStyleLst>\
<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>\
<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>\
<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>\
</a:fillStyleLst><a:lnStyleLst>\
<a:ln w=\"9525\"><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill></a:ln>\
<a:ln w=\"25400\"><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill></a:ln>\
<a:ln w=\"38100\"><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill></a:ln>\
</a:lnStyleLst><a:effectStyleLst>\
<a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle>\
<a:effectStyle><a:effectLst/></a:effectStyle>\
</a:effectStyleLst><a:bgFillStyleLst>\
<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>\
<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>\
<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>\
</a:bgFillStyleLst></a:fmtScheme></a:themeElements>\
<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>";

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(s: &str) -> String {
        let mut out = Vec::new();
        escape_text(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn cell_text_is_escaped_as_excel_reads_it() {
        assert_eq!(escaped("a&b<c>d\"e'"), "a&amp;b&lt;c&gt;d\"e'");
        // Tab and line feed stay; other controls and CR become _xHHHH_.
        assert_eq!(
            escaped("\u{0}\u{1}\t\n\r\u{1F}"),
            "_x0000__x0001_\t\n_x000D__x001F_"
        );
        assert_eq!(
            escaped("x\u{FFFE}y\u{FFFF}\u{FFFD}"),
            "x_xFFFE_y_xFFFF_\u{FFFD}"
        );
        // A literal escape keeps its meaning by an escaped `_`.
        assert_eq!(escaped("_x0041_"), "_x005F_x0041_");
        assert_eq!(escaped("a_x0041__x00e9_"), "a_x005F_x0041__x005F_x00e9_");
        // Not escapes: a non-hex digit, too short, no closing `_`.
        for s in [
            "_x00G1_", "_x004_", "_x0041", "_y0041_", "_", "__", "风险_x",
        ] {
            assert_eq!(escaped(s), s);
        }
        assert_eq!(escaped("受理人"), "受理人");
    }

    #[test]
    fn attributes_are_escaped_and_hold_only_xml_characters() {
        let mut out = Vec::new();
        escape_attr(&mut out, "a&<>\"'\t\n\r\u{1}\u{FFFF}名");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a&amp;&lt;&gt;&quot;'&#x9;&#xA;&#xD;\u{FFFD}\u{FFFD}名"
        );
    }

    #[test]
    fn columns_are_named_and_widths_stored_as_excel_does() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702, 16_383]
            .into_iter()
            .map(column_name)
            .collect();
        assert_eq!(
            names,
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA", "XFD"]
        );
        // The values Excel itself writes for these widths.
        assert_eq!(stored_width(6.0), 6.7109375);
        assert_eq!(stored_width(17.0), 17.7109375);
        assert_eq!(stored_width(60.0), 60.7109375);
    }

    #[test]
    fn sheet_names_are_quoted_where_a_reference_needs_it() {
        assert_eq!(sheet_ref("来源文件"), "来源文件");
        assert_eq!(sheet_ref("问题清单 (2)"), "'问题清单 (2)'");
        assert_eq!(sheet_ref("A1"), "'A1'");
        assert_eq!(sheet_ref("it's"), "'it''s'");
    }
}

//! `catalog.xlsx`: the flat tables of [`super::tables`] as one workbook, one
//! sheet per table with Chinese sheet and column titles, a frozen and
//! filtered header row, widths fitted to the content, and the findings
//! sheet coloured by severity. Codes (grades, severities, layouts,
//! statuses …) are shown in Chinese ([`super::zh`]); each finding's chart
//! name links to the chart's row.
//!
//! The SpreadsheetML is our own ([`sheet_xml`], in a zip of
//! [`package`]): rust_xlsxwriter's work per cell (storing it, hashing its
//! format, formatting the row, then re-reading its temporary files to
//! zip them) cost several times the escaping and deflate a cell needs.

mod package;
mod sheet_xml;

use super::tables::{CHARTS, Cell, ColType, TEXTS, Table, add_part, defs, text_row};
use super::{PartSource, WriteError, atomic_write, zh};
use crate::catalog::Catalog;
use sheet_xml::{Book, Column, Look, Properties, Rows, Sheet, Style, VAlign};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io;
use std::path::Path;

/// Excel refuses longer cell strings (counted in UTF-16 units).
const MAX_CELL_UNITS: usize = 32_767;
/// Excel's row limit (header row included).
const MAX_ROWS: usize = 1_048_576;
/// Widest column, in Excel character units; longer text wraps.
const MAX_WIDTH: f64 = 60.0;
const MIN_WIDTH: f64 = 6.0;

const HEADER_FILL: u32 = 0x1F4E79;
/// Fills of the findings by severity: error, warning, info.
const SEVERITY_FILLS: [u32; 3] = [0xF8D7DA, 0xFFE9B3, 0xECEFF1];
const LINK_COLOR: u32 = 0x0563C1;

/// Build the workbook and write it atomically to `path`.
pub fn write(cat: &Catalog, path: &Path) -> Result<(), WriteError> {
    write_parts(&super::CatalogParts::new(cat), path)
}

/// The same, from parts, in one pass: each row goes out (deflated into its
/// sheet's temporary file, beside `path`) as its part is read, so the
/// workbook is never whole in memory. What needs every row is settled at
/// the end: the column widths, whether a column wraps (the look of its
/// cells' styles), a table longer than Excel's row limit going on over
/// several sheets, and which row of the charts sheet each link points at.
pub fn write_parts(parts: &dyn PartSource, path: &Path) -> Result<(), WriteError> {
    write_sheets_of(parts, path, MAX_ROWS - 1)
}

/// [`write_parts`] with at most `per_sheet` data rows on a sheet.
fn write_sheets_of(
    parts: &dyn PartSource,
    path: &Path,
    per_sheet: usize,
) -> Result<(), WriteError> {
    let io = |source: io::Error| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    let head = parts.head();
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut book = Book::new(dir);
    let header = book.style(Look {
        bold: true,
        color: Some(0xFFFFFF),
        fill: Some(HEADER_FILL),
        border: true,
        valign: Some(VAlign::Center),
        ..Look::default()
    });
    let mut tables = defs();
    let mut outs = Vec::with_capacity(tables.len());
    for table in &tables {
        outs.push(TableOut::new(&mut book, table, header, per_sheet).map_err(io)?);
    }
    let mut charts = ChartRows {
        sheet: tables[CHARTS].title,
        per_sheet,
        count: 0,
        rows: HashMap::new(),
    };
    tables[TEXTS].rows = head.texts.iter().map(text_row).collect();
    write_rows(&book, &mut tables, &mut outs, &mut charts).map_err(io)?;
    parts.each(&mut |part| {
        add_part(&mut tables, part);
        write_rows(&book, &mut tables, &mut outs, &mut charts).map_err(io)
    })?;

    let mut sheets = Vec::new();
    for (table, out) in tables.iter().zip(outs) {
        let widths = column_widths(table, &out.content);
        for (c, styles) in out.styles.iter().enumerate() {
            if wraps(&widths, c) {
                for style in styles.all() {
                    let look = book.look(style);
                    book.set_look(style, Look { wrap: true, ..look });
                }
            }
        }
        let columns: Vec<Column> = widths
            .iter()
            .zip(&out.styles)
            .map(|(&width, s)| Column {
                width,
                style: s.plain,
            })
            .collect();
        for rows in out.close().map_err(io)? {
            sheets.push((rows, columns.clone()));
        }
    }
    let comment = format!("{} · rules {}", head.schema, head.rules_digest);
    let props = Properties {
        title: "廉政风险防控图目录",
        author: &head.generator,
        comment: &comment,
        // A fixed creation time (the zip entries' dates are fixed too)
        // makes the bytes depend on the catalog alone, as the determinism
        // rule of CATALOG.md asks.
        created: "2000-01-01T00:00:00Z",
    };
    let locate = |id: &str| charts.location(id);
    atomic_write(path, |tmp| {
        book.finish(tmp, sheets, &props, &locate).map_err(io)
    })
}

/// Write the rows `tables` hold, leaving them empty.
fn write_rows(
    book: &Book,
    tables: &mut [Table],
    outs: &mut [TableOut],
    charts: &mut ChartRows,
) -> io::Result<()> {
    for (t, (table, out)) in tables.iter_mut().zip(outs.iter_mut()).enumerate() {
        let mut rows = std::mem::take(&mut table.rows);
        for row in &rows {
            if t == CHARTS {
                charts.add(row);
            }
            out.write_row(book, table, row, charts)?;
        }
        rows.clear();
        table.rows = rows;
    }
    Ok(())
}

/// One table's sheets as they fill, and what the end needs of its rows.
struct TableOut {
    /// Sheets already full (a table past Excel's row limit).
    full: Vec<Rows>,
    sheet: Sheet,
    header: Style,
    /// Data rows a sheet takes.
    per_sheet: usize,
    /// The widest cell of each column ([`cell_width`]).
    content: Vec<usize>,
    styles: Vec<ColumnStyles>,
    /// On the findings sheet: the columns of the severity, the chart id
    /// and the chart name.
    severity: Option<usize>,
    chart: Option<usize>,
    chart_name: Option<usize>,
}

/// The styles of a column's data cells; each made top-aligned, and made to
/// wrap at the end if the column is as wide as a column may be.
struct ColumnStyles {
    plain: Style,
    /// Findings: filled by severity (`SEVERITY_FILLS`' order).
    filled: Vec<Style>,
    /// The chart name: links, unfilled then filled.
    links: Vec<Style>,
}

impl ColumnStyles {
    fn all(&self) -> impl Iterator<Item = Style> + '_ {
        std::iter::once(self.plain)
            .chain(self.filled.iter().copied())
            .chain(self.links.iter().copied())
    }
}

/// A data cell's look: top-aligned, filled by the finding's severity, or a
/// link (wrapping is decided at the end).
fn cell_look(fill: Option<u32>, link: bool) -> Look {
    Look {
        valign: Some(VAlign::Top),
        fill,
        underline: link,
        color: link.then_some(LINK_COLOR),
        ..Look::default()
    }
}

impl TableOut {
    /// The table's first sheet; its styles made in a fixed order (table by
    /// table, column by column), so they are numbered alike every run.
    fn new(
        book: &mut Book,
        table: &Table,
        header: Style,
        per_sheet: usize,
    ) -> io::Result<TableOut> {
        let findings = table.name == "findings";
        let position = |name: &str| {
            findings
                .then(|| table.columns.iter().position(|c| c.name == name))
                .flatten()
        };
        let chart_name = position("chart_name");
        let styles = (0..table.columns.len())
            .map(|c| {
                let plain = book.style(cell_look(None, false));
                let mut filled = Vec::new();
                let mut links = Vec::new();
                if findings {
                    for fill in SEVERITY_FILLS {
                        filled.push(book.style(cell_look(Some(fill), false)));
                    }
                }
                if Some(c) == chart_name {
                    links.push(book.style(cell_look(None, true)));
                    for fill in SEVERITY_FILLS {
                        links.push(book.style(cell_look(Some(fill), true)));
                    }
                }
                ColumnStyles {
                    plain,
                    filled,
                    links,
                }
            })
            .collect();
        Ok(TableOut {
            full: Vec::new(),
            sheet: new_sheet(book, table, 0, header)?,
            header,
            per_sheet,
            content: vec![0; table.columns.len()],
            styles,
            severity: position("severity"),
            chart: position("chart"),
            chart_name,
        })
    }

    /// One data row: findings coloured by severity, their chart names
    /// linked, codes in Chinese, long text clipped.
    fn write_row(
        &mut self,
        book: &Book,
        table: &Table,
        row: &[Cell],
        charts: &ChartRows,
    ) -> io::Result<()> {
        for (c, cell) in row.iter().enumerate() {
            if let Some(w) = self.content.get_mut(c) {
                *w = (*w).max(cell_width(cell));
            }
        }
        // A table longer than Excel's row limit goes on over as many sheets
        // as it needs (`问题清单`, `问题清单 (2)` …), each with its header.
        if self.sheet.data_rows() == self.per_sheet {
            let next = new_sheet(book, table, self.full.len() + 1, self.header)?;
            let full = std::mem::replace(&mut self.sheet, next);
            self.full.push(full.close()?);
        }
        let fill = self
            .severity
            .and_then(|i| row.get(i))
            .and_then(|cell| match cell {
                Cell::Text(s) => severity_index(s),
                _ => None,
            });
        let sheet = &mut self.sheet;
        sheet.start_row();
        for (c, cell) in row.iter().enumerate() {
            let styles = &self.styles[c];
            let style = fill.map_or(styles.plain, |k| styles.filled[k]);
            match cell {
                Cell::Null => sheet.blank(c, style),
                Cell::Int(n) => sheet.number(c, style, *n),
                Cell::Text(s) if Some(c) == self.chart_name => {
                    let id = match self.chart.and_then(|i| row.get(i)) {
                        Some(Cell::Text(id)) => Some(id.as_str()),
                        _ => None,
                    };
                    match id.filter(|id| charts.rows.contains_key(*id)) {
                        Some(id) => {
                            // A link without text shows its target.
                            let target;
                            let text = match s.is_empty() {
                                true => {
                                    target = charts.location(id).unwrap_or_default();
                                    &target
                                }
                                false => clip(s),
                            };
                            let style = styles.links[fill.map_or(0, |k| k + 1)];
                            sheet.text(c, style, text);
                            sheet.link(c, id, text)?;
                        }
                        None => sheet.text(c, style, clip(s)),
                    }
                }
                Cell::Text(s) => {
                    let text = shown(table, table.columns[c].name, s);
                    sheet.text(c, style, clip(&text));
                }
            }
        }
        sheet.end_row()
    }

    /// Every sheet of the table, in order.
    fn close(self) -> io::Result<Vec<Rows>> {
        let mut sheets = self.full;
        sheets.push(self.sheet.close()?);
        Ok(sheets)
    }
}

/// The `k`-th sheet (from 0) of `table`, its header row written.
fn new_sheet(book: &Book, table: &Table, k: usize, header: Style) -> io::Result<Sheet> {
    let titles: Vec<&str> = table.columns.iter().map(|c| c.title).collect();
    book.sheet(sheet_name(table.title, k), &titles, header)
}

/// Where the findings sheet's chart names point: each chart id's number on
/// the charts sheet(s), from 1; a repeated id points at the last, as a map
/// of the list would.
struct ChartRows<'a> {
    sheet: &'a str,
    per_sheet: usize,
    count: usize,
    rows: HashMap<String, usize>,
}

impl ChartRows<'_> {
    /// Number the next row of the charts table (its id is its first cell).
    fn add(&mut self, chart: &[Cell]) {
        self.count += 1;
        if let Some(Cell::Text(id)) = chart.first() {
            self.rows.insert(id.clone(), self.count);
        }
    }

    /// `'职权流程'!A5`: the first cell of chart `id`'s row.
    fn location(&self, id: &str) -> Option<String> {
        let n = self.rows.get(id)? - 1;
        let sheet = sheet_name(self.sheet, n / self.per_sheet);
        let row = n % self.per_sheet + 2;
        Some(format!("'{}'!A{row}", sheet.replace('\'', "''")))
    }
}

/// A severity's place in [`SEVERITY_FILLS`].
fn severity_index(severity: &str) -> Option<usize> {
    match severity {
        "error" => Some(0),
        "warning" => Some(1),
        "info" => Some(2),
        _ => None,
    }
}

/// A cell's text as a person reads it: contract codes in Chinese.
fn shown<'a>(table: &Table, column: &str, text: &'a str) -> Cow<'a, str> {
    if let Some(zh) = zh::cell(table.name, column, text) {
        return Cow::Borrowed(zh);
    }
    if table.name == "charts" && column == "contacts" {
        // `service:8583591；complaint:12388` → `服务电话:8583591；投诉电话:12388`
        let parts: Vec<String> = text
            .split(super::tables::LIST_SEP)
            .map(|p| match p.split_once(':') {
                Some((kind, number)) => {
                    format!("{}:{number}", zh::contact(kind).unwrap_or(kind))
                }
                None => p.to_string(),
            })
            .collect();
        return Cow::Owned(parts.join(super::tables::LIST_SEP));
    }
    Cow::Borrowed(text)
}

/// The `k`-th sheet (from 0) of a table titled `title`.
fn sheet_name(title: &str, k: usize) -> String {
    match k {
        0 => title.to_string(),
        _ => format!("{title} ({})", k + 1),
    }
}

/// Whether column `c`'s text wraps: it is as wide as a column may be.
fn wraps(widths: &[f64], c: usize) -> bool {
    widths.get(c).is_some_and(|w| *w >= MAX_WIDTH)
}

/// Each column as wide as its widest cell (`content`, by [`cell_width`];
/// the header included), CJK counting double, plus room for the filter
/// button; capped so long text wraps.
fn column_widths(table: &Table, content: &[usize]) -> Vec<f64> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(c, column)| {
            let header = display_width(column.title) + 3;
            let content = content.get(c).copied().unwrap_or(0);
            let mut width = header.max(content) as f64 + 1.0;
            if column.ty == ColType::Int {
                width = width.min(14.0);
            }
            width.clamp(MIN_WIDTH, MAX_WIDTH)
        })
        .collect()
}

/// How wide a cell's content is.
fn cell_width(cell: &Cell) -> usize {
    match cell {
        Cell::Null => 0,
        Cell::Int(n) => n.to_string().len(),
        Cell::Text(s) => display_width_upto(s, MAX_WIDTH as usize),
    }
}

/// Width in Excel character units: wide (CJK, full-width) characters take
/// two. Only the first line counts for multi-line text.
fn display_width(s: &str) -> usize {
    display_width_upto(s, usize::MAX)
}

/// [`display_width`], counted only until it reaches `cap` (then `cap` or a
/// little more): a column is never wider than [`MAX_WIDTH`], and measuring
/// every long text to its end was most of the workbook's first pass.
fn display_width_upto(s: &str, cap: usize) -> usize {
    let mut width = 0;
    let mut chars = s.chars().peekable();
    while let Some(ch) = chars.next() {
        // The first line ends at `\n`, or at `\r\n` (as `str::lines`).
        if ch == '\n' || (ch == '\r' && chars.peek() == Some(&'\n')) {
            break;
        }
        width += if is_wide(ch) { 2 } else { 1 };
        if width >= cap {
            break;
        }
    }
    width
}

fn is_wide(ch: char) -> bool {
    matches!(ch as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// Cut text Excel would reject; the full text stays in the JSON/CSV/SQLite.
fn clip(s: &str) -> &str {
    let mut units = 0;
    for (i, ch) in s.char_indices() {
        units += ch.len_utf16();
        if units > MAX_CELL_UNITS {
            return &s[..i];
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::catalog::Severity;
    use calamine::{Data, Reader, Xlsx, open_workbook};

    /// A small catalog with what the workbook must carry through: a chart
    /// id given twice (links go to the last), text with markup, control
    /// characters and an Excel-escape look-alike, a text over Excel's
    /// limit, every severity.
    fn awkward_catalog() -> Catalog {
        let text = include_str!("../../tests/data/review/small.catalog.json");
        let mut cat: Catalog = serde_json::from_str(text).unwrap();
        let mut other = cat.charts[0].clone();
        other.id = "ch-dddddddddddd".into();
        other.name = "名称\u{1}&<>\"'_x0041_\r\n尾 ".into();
        let twice = cat.charts[0].clone();
        cat.charts.extend([other, twice]);
        cat.findings[0].severity = Severity::Error;
        cat.findings[1].evidence = "长".repeat(40_000);
        let mut info = cat.findings[0].clone();
        info.id = "fd-333333333333".into();
        info.severity = Severity::Info;
        info.chart = Some("ch-dddddddddddd".into());
        info.message = "\t前后空白\u{FFFE} ".into();
        cat.findings.push(info);
        cat
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("riskflow-xlsx-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn zip_text(path: &Path, name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut text = String::new();
        io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
        text
    }

    /// Every cell of every table reads back as the table has it (codes in
    /// Chinese, long text clipped, empty text a blank cell), the tables
    /// split two rows a sheet, in order; nothing is left beside the file.
    #[test]
    fn every_cell_reads_back_split_over_sheets() {
        let cat = awkward_catalog();
        let dir = scratch("cells");
        let path = dir.join("catalog.xlsx");
        write_sheets_of(&crate::write::CatalogParts::new(&cat), &path, 2).unwrap();
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["catalog.xlsx"]);

        let mut book: Xlsx<_> = open_workbook(&path).unwrap();
        let tables = crate::write::tables::tables(&cat);
        let mut expected_names = Vec::new();
        for table in &tables {
            let sheets = table.rows.len().div_ceil(2).max(1);
            let names: Vec<String> = (0..sheets).map(|k| sheet_name(table.title, k)).collect();
            let mut read = Vec::new();
            for name in &names {
                let range = book.worksheet_range(name).unwrap();
                let header: Vec<Data> = range.rows().next().unwrap().to_vec();
                let titles: Vec<Data> = table
                    .columns
                    .iter()
                    .map(|c| Data::String(c.title.into()))
                    .collect();
                assert_eq!(header, titles, "{name}");
                for r in 1..range.height() {
                    let row: Vec<Data> = (0..table.columns.len())
                        .map(|c| range.get((r, c)).cloned().unwrap_or(Data::Empty))
                        .collect();
                    read.push(row);
                }
            }
            let want: Vec<Vec<Data>> = table
                .rows
                .iter()
                .map(|row| {
                    row.iter()
                        .zip(&table.columns)
                        .map(|(cell, column)| match cell {
                            Cell::Null => Data::Empty,
                            Cell::Int(n) => Data::Float(*n as f64),
                            Cell::Text(s) if s.is_empty() => Data::Empty,
                            Cell::Text(s) => {
                                Data::String(clip(&shown(table, column.name, s)).into())
                            }
                        })
                        .collect()
                })
                .collect();
            assert_eq!(read, want, "{}", table.title);
            expected_names.extend(names);
        }
        assert_eq!(book.sheet_names(), expected_names);
        assert_eq!(expected_names[1..3], ["职权流程", "职权流程 (2)"]);

        // The awkward texts, literally.
        let charts = book.worksheet_range("职权流程").unwrap();
        assert_eq!(
            charts.get((2, 10)),
            Some(&Data::String("名称\u{1}&<>\"'_x0041_\r\n尾 ".into()))
        );
        let findings = book.worksheet_range("问题清单 (2)").unwrap();
        assert_eq!(findings.get((1, 2)), Some(&Data::String("提示".into())));
        assert_eq!(
            findings.get((1, 10)),
            Some(&Data::String("\t前后空白\u{FFFE} ".into()))
        );
        let first = book.worksheet_range("问题清单").unwrap();
        match first.get((2, 11)) {
            Some(Data::String(s)) => assert_eq!(s.chars().count(), MAX_CELL_UNITS),
            other => panic!("{other:?}"),
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Findings link their chart name to the chart's row, on whichever
    /// charts sheet it is, the last row for an id given twice; the cell is
    /// filled by severity and looks like a link; the header is frozen and
    /// filtered.
    #[test]
    fn links_fills_and_header_of_split_sheets() {
        let cat = awkward_catalog();
        let dir = scratch("links");
        let path = dir.join("catalog.xlsx");
        write_sheets_of(&crate::write::CatalogParts::new(&cat), &path, 2).unwrap();
        let book: Xlsx<_> = open_workbook(&path).unwrap();
        let at = |name: &str| book.sheet_names().iter().position(|n| n == name).unwrap() + 1;
        let first = zip_text(&path, &format!("xl/worksheets/sheet{}.xml", at("问题清单")));
        let second = zip_text(
            &path,
            &format!("xl/worksheets/sheet{}.xml", at("问题清单 (2)")),
        );
        // ch-bbbbbbbbbbbb is the charts' first and third row: the third is
        // the first row of the second sheet.
        assert!(
            first.contains(r#"<hyperlink ref="E2" location="'职权流程 (2)'!A2" display="企业退休人员基本养老金待遇给付"/>"#),
            "{first}"
        );
        assert!(!first.contains(r#"ref="E3""#), "no chart, no link");
        // In an attribute, a character XML cannot hold becomes U+FFFD.
        let display = "名称\u{FFFD}&amp;&lt;&gt;&quot;'_x0041_&#xD;&#xA;尾 ";
        assert!(
            second.contains(&format!(
                r#"<hyperlink ref="E2" location="'职权流程'!A3" display="{display}"/>"#
            )),
            "{second}"
        );
        for xml in [&first, &second] {
            assert!(xml.contains(
                r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            ));
        }
        assert!(first.contains(r#"<autoFilter ref="A1:M3"/>"#), "{first}");
        assert!(second.contains(r#"<autoFilter ref="A1:M2"/>"#), "{second}");

        // E2 of the first findings sheet: an error's fill, a link's font.
        let styles = zip_text(&path, "xl/styles.xml");
        let nth = |list: &str, item: &str, n: usize| -> String {
            let from = styles.find(&format!("<{list}")).unwrap();
            let to = styles[from..].find(&format!("</{list}>")).unwrap() + from;
            styles[from..to].split(item).nth(n + 1).unwrap().to_string()
        };
        let number = |tag: &str, name: &str| -> usize {
            let at = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            tag[at..].split('"').next().unwrap().parse().unwrap()
        };
        let cell = first.split(r#"<c r="E2""#).nth(1).unwrap();
        let xf = nth("cellXfs", "<xf ", number(cell, "s"));
        assert!(xf.contains(r#"vertical="top""#), "{xf}");
        assert!(nth("fills", "<fill>", number(&xf, "fillId")).contains("FFF8D7DA"));
        let font = nth("fonts", "<font>", number(&xf, "fontId"));
        assert!(font.contains("<u/>") && font.contains("FF0563C1"), "{font}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn later_sheets_of_a_table_are_numbered() {
        assert_eq!(sheet_name("问题清单", 0), "问题清单");
        assert_eq!(sheet_name("问题清单", 1), "问题清单 (2)");
    }

    #[test]
    fn cjk_counts_double() {
        assert_eq!(display_width("受理ab"), 6);
        assert_eq!(display_width("风险等级：中"), 12);
        assert_eq!(display_width("第一行\nlonger second line"), 6);
        assert_eq!(display_width("第一行\r\nx"), 6);
        assert_eq!(display_width("a\rb"), 3);
        // Counted only up to the cap: a column is never wider.
        assert_eq!(display_width_upto(&"风".repeat(100), 60), 60);
        assert_eq!(display_width_upto(&"a".repeat(100), 60), 60);
        assert_eq!(display_width_upto("风险", 60), 4);
    }

    #[test]
    fn clip_keeps_short_and_cuts_long_on_char_boundary() {
        assert_eq!(clip("申请"), "申请");
        let long = "审".repeat(MAX_CELL_UNITS + 5);
        assert_eq!(clip(&long).chars().count(), MAX_CELL_UNITS);
        // A character outside the BMP takes two units: 16383 of them fit.
        let astral = "𠀀".repeat(MAX_CELL_UNITS);
        assert_eq!(clip(&astral).chars().count(), 16_383);
    }
}

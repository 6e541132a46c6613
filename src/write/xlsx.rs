//! `catalog.xlsx`: the flat tables of [`super::tables`] as one workbook, one
//! sheet per table with Chinese sheet and column titles, a frozen and
//! filtered header row, widths fitted to the content, and the findings
//! sheet coloured by severity. Codes (grades, severities, layouts,
//! statuses …) are shown in Chinese ([`super::zh`]); each finding's chart
//! name links to the chart's row.

use super::tables::{CHARTS, Cell, ColType, TEXTS, Table, add_part, add_part_to, defs, text_row};
use super::{PartSource, WriteError, atomic_write, zh};
use crate::catalog::Catalog;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, FormatUnderline, Url,
    Workbook, Worksheet, XlsxError,
};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

/// Excel refuses longer cell strings (counted in UTF-16 units).
const MAX_CELL_UNITS: usize = 32_767;
/// Excel's row limit (header row included).
const MAX_ROWS: usize = 1_048_576;
/// Widest column, in Excel character units; longer text wraps.
const MAX_WIDTH: f64 = 60.0;
const MIN_WIDTH: f64 = 6.0;

const HEADER_FILL: u32 = 0x1F4E79;
const ERROR_FILL: u32 = 0xF8D7DA;
const WARNING_FILL: u32 = 0xFFE9B3;
const INFO_FILL: u32 = 0xECEFF1;
const LINK_COLOR: u32 = 0x0563C1;

/// Build the workbook and write it atomically to `path`.
pub fn write(cat: &Catalog, path: &Path) -> Result<(), WriteError> {
    write_parts(&super::CatalogParts::new(cat), path)
}

/// The same, from parts, streamed: every sheet is a "constant memory"
/// sheet (rust_xlsxwriter writes its rows to a temporary file as they come,
/// strings inline), so the workbook is never whole in memory. Two passes:
/// the first counts the rows (a table longer than Excel's limit takes
/// several sheets, which must be added in order), measures the columns
/// (the widths decide which cells wrap) and numbers the charts' rows (for
/// the findings' links); the second writes.
pub fn write_parts(parts: &dyn PartSource, path: &Path) -> Result<(), WriteError> {
    let err = |e: XlsxError| WriteError::Format {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let head = parts.head();
    let mut tables = defs();
    let text_rows: Vec<Vec<Cell>> = head.texts.iter().map(text_row).collect();

    let mut counts = vec![0usize; tables.len()];
    let mut content: Vec<Vec<usize>> = tables.iter().map(|t| vec![0; t.columns.len()]).collect();
    let mut chart_rows: HashMap<String, usize> = HashMap::new();
    let mut measure = |tables: &mut [Table]| {
        for (t, table) in tables.iter_mut().enumerate() {
            for row in table.rows.drain(..) {
                counts[t] += 1;
                for (c, cell) in row.iter().enumerate() {
                    if let Some(w) = content[t].get_mut(c) {
                        *w = (*w).max(cell_width(cell));
                    }
                }
            }
        }
    };
    tables[TEXTS].rows = text_rows.clone();
    measure(&mut tables);
    let mut chart_no = 0;
    parts.each(&mut |part| {
        for c in &part.charts {
            // Its row on the charts sheet (1-based, after the header); a
            // repeated id points at the last, as a map of the list would.
            chart_no += 1;
            chart_rows.insert(c.id.clone(), chart_no + 1);
        }
        add_part(&mut tables, part);
        measure(&mut tables);
        Ok(())
    })?;
    let widths: Vec<Vec<f64>> = tables
        .iter()
        .zip(&content)
        .map(|(t, content)| column_widths(t, content))
        .collect();

    let mut workbook = Workbook::new();
    // Deflate was half the workbook's time at the default level 6; level 1
    // writes it several times faster for a slightly larger file.
    workbook.set_zip_compression_level(1);
    // A fixed creation time (the only timestamp rust_xlsxwriter writes; its
    // zip entries carry a fixed date) makes the bytes depend on the catalog
    // alone, as the determinism rule of CATALOG.md asks.
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(err)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title("廉政风险防控图目录")
            .set_author(head.generator.as_str())
            .set_comment(format!("{} · rules {}", head.schema, head.rules_digest))
            .set_creation_datetime(&created),
    );
    // A table longer than Excel's row limit goes on as many sheets as it
    // needs (`发现问题`, `发现问题 (2)` …), each with its header row.
    let mut sheets: Vec<Vec<(usize, usize)>> = Vec::new();
    let mut index = 0;
    for (t, table) in tables.iter().enumerate() {
        let mut list = Vec::new();
        for (k, rows) in row_chunks(counts[t], MAX_ROWS - 1).into_iter().enumerate() {
            let sheet = workbook.add_worksheet_with_constant_memory().map_err(err)?;
            sheet.set_name(sheet_name(table.title, k)).map_err(err)?;
            start_sheet(sheet, table, &widths[t]).map_err(err)?;
            list.push((index, rows.len()));
            index += 1;
        }
        sheets.push(list);
    }
    let links = ChartLinks {
        sheet: tables[CHARTS].title,
        rows: &chart_rows,
    };
    register_formats(&mut workbook, &tables, &widths, &sheets).map_err(err)?;
    // Two threads fill the sheets, the tables split so that each takes
    // about half of the rows; each reads the parts itself. (The workbook
    // took as long as every other output together: most of it is
    // rust_xlsxwriter's work per cell.)
    let groups = split_tables(&counts);
    let mut mine: Vec<Vec<(usize, &mut Worksheet)>> = groups.iter().map(|_| Vec::new()).collect();
    for (index, sheet) in workbook.worksheets_mut().iter_mut().enumerate() {
        let t = sheets
            .iter()
            .position(|list| list.iter().any(|&(i, _)| i == index));
        if let Some(g) = t.and_then(|t| groups.iter().position(|g| g.contains(&t))) {
            mine[g].push((index, sheet));
        }
    }
    let (widths, sheets, links, text_rows, err) = (&widths, &sheets, &links, &text_rows, &err);
    std::thread::scope(|scope| {
        let fills: Vec<_> = groups
            .iter()
            .zip(mine)
            .map(|(group, mut mine)| {
                scope.spawn(move || -> Result<(), WriteError> {
                    let wanted = |t: usize| group.contains(&t);
                    let mut tables = defs();
                    let mut written = vec![0usize; tables.len()];
                    let mut write_rows = |tables: &mut [Table]| -> Result<(), XlsxError> {
                        for &t in group {
                            let table = &mut tables[t];
                            let rows = std::mem::take(&mut table.rows);
                            for row in &rows {
                                let r = written[t];
                                written[t] += 1;
                                // Both passes read the same parts: the sheet was counted.
                                let sheet =
                                    sheets[t].get(r / (MAX_ROWS - 1)).and_then(|&(i, _)| {
                                        mine.iter_mut().find(|(j, _)| *j == i).map(|(_, s)| s)
                                    });
                                let Some(sheet) = sheet else {
                                    return Err(XlsxError::ParameterError(format!(
                                        "{}: more rows than counted",
                                        table.name
                                    )));
                                };
                                let excel_row = (r % (MAX_ROWS - 1) + 1) as u32;
                                write_row(sheet, table, row, excel_row, &widths[t], links)?;
                            }
                        }
                        Ok(())
                    };
                    if wanted(TEXTS) {
                        tables[TEXTS].rows = text_rows.clone();
                        write_rows(&mut tables).map_err(err)?;
                    }
                    parts.each(&mut |part| {
                        add_part_to(&mut tables, part, &wanted);
                        write_rows(&mut tables).map_err(err)
                    })
                })
            })
            .collect();
        fills
            .into_iter()
            .map(|f| {
                f.join().unwrap_or_else(|_| {
                    Err(err(XlsxError::ParameterError(
                        "a sheet-filling thread panicked".into(),
                    )))
                })
            })
            .collect::<Result<Vec<()>, WriteError>>()
    })?;
    for (t, table) in tables.iter().enumerate() {
        let last_col = table.columns.len().saturating_sub(1) as u16;
        for &(sheet, n_rows) in &sheets[t] {
            let sheet = workbook.worksheet_from_index(sheet).map_err(err)?;
            sheet.set_freeze_panes(1, 0).map_err(err)?;
            sheet
                .autofilter(0, 0, n_rows as u32, last_col)
                .map_err(err)?;
        }
    }
    atomic_write(path, |tmp| workbook.save(tmp).map_err(err))
}

/// Where the findings sheet's chart names point.
struct ChartLinks<'a> {
    sheet: &'a str,
    rows: &'a HashMap<String, usize>,
}

impl ChartLinks<'_> {
    /// `internal:'职权流程'!A5` for a chart id.
    fn url(&self, chart: &Cell) -> Option<String> {
        let Cell::Text(id) = chart else { return None };
        let row = self.rows.get(id.as_str())?;
        Some(format!("internal:'{}'!A{row}", self.sheet))
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

/// Data rows per sheet, as ranges of `n` rows, `max` at most in each; an
/// empty table still gets its one (header-only) sheet.
fn row_chunks(n: usize, max: usize) -> Vec<std::ops::Range<usize>> {
    (0..n.div_ceil(max).max(1))
        .map(|k| k * max..((k + 1) * max).min(n))
        .collect()
}

/// The `k`-th sheet (from 0) of a table titled `title`.
fn sheet_name(title: &str, k: usize) -> String {
    match k {
        0 => title.to_string(),
        _ => format!("{title} ({})", k + 1),
    }
}

/// The header row and the column widths of a new sheet.
fn start_sheet(sheet: &mut Worksheet, table: &Table, widths: &[f64]) -> Result<(), XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_background_color(Color::RGB(HEADER_FILL))
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    for (c, column) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, column.title, &header)?;
        sheet.set_column_width(c as u16, widths[c])?;
        // A data cell of the column's own look is written without a format
        // and takes the column's (see `write_row`).
        sheet.set_column_format(c as u16, &cell_format(None, wraps(widths, c), false))?;
    }
    Ok(())
}

/// Whether column `c`'s text wraps: it is as wide as a column may be.
fn wraps(widths: &[f64], c: usize) -> bool {
    widths.get(c).is_some_and(|w| *w >= MAX_WIDTH)
}

/// One data row: findings coloured by severity, their chart names linked,
/// codes in Chinese, long text wrapped in the widest columns.
fn write_row(
    sheet: &mut Worksheet,
    table: &Table,
    row: &[Cell],
    excel_row: u32,
    widths: &[f64],
    links: &ChartLinks,
) -> Result<(), XlsxError> {
    let is_findings = table.name == "findings";
    let position = |name: &str| {
        is_findings
            .then(|| table.columns.iter().position(|c| c.name == name))
            .flatten()
    };
    let severity_col = position("severity");
    let (chart_col, chart_name_col) = (position("chart"), position("chart_name"));
    let fill = severity_col
        .and_then(|i| row.get(i))
        .and_then(|cell| match cell {
            Cell::Text(s) => severity_fill(s),
            _ => None,
        });
    for (c, cell) in row.iter().enumerate() {
        let wrap = wraps(widths, c);
        // Made only for the cells written with a format of their own.
        let format = || cell_format(fill, wrap, false);
        let col = c as u16;
        match cell {
            Cell::Null => sheet.write_blank(excel_row, col, &format())?,
            // Unfilled cells take their column's format (`start_sheet`):
            // rust_xlsxwriter hashes a cell's whole format to number it, and
            // that was most of the workbook's cost per cell.
            Cell::Int(n) if fill.is_none() => sheet.write_number(excel_row, col, *n as f64)?,
            Cell::Int(n) => sheet.write_number_with_format(excel_row, col, *n as f64, &format())?,
            Cell::Text(s) if Some(c) == chart_name_col => {
                match chart_col
                    .and_then(|i| row.get(i))
                    .and_then(|id| links.url(id))
                {
                    Some(url) => sheet.write_url_with_format(
                        excel_row,
                        col,
                        Url::new(url).set_text(clip(s)),
                        &cell_format(fill, wrap, true),
                    )?,
                    None => sheet.write_string_with_format(excel_row, col, clip(s), &format())?,
                }
            }
            Cell::Text(s) => {
                let text = shown(table, table.columns[c].name, s);
                // An empty string written without a format is no cell at all.
                if fill.is_none() && !text.is_empty() {
                    sheet.write_string(excel_row, col, clip(&text))?
                } else {
                    sheet.write_string_with_format(excel_row, col, clip(&text), &format())?
                }
            }
        };
    }
    Ok(())
}

/// A data cell's format: top-aligned, wrapped in the widest columns, filled
/// by the finding's severity, or a link to a chart's row.
fn cell_format(fill: Option<u32>, wrap: bool, link: bool) -> Format {
    let mut format = Format::new().set_align(FormatAlign::Top);
    if wrap {
        format = format.set_text_wrap();
    }
    if let Some(rgb) = fill {
        format = format.set_background_color(Color::RGB(rgb));
    }
    if link {
        format = format
            .set_font_color(Color::RGB(LINK_COLOR))
            .set_underline(FormatUnderline::Single);
    }
    format
}

/// Every format a data cell may take, registered in a fixed order (table by
/// table, column by column) on the first cell of a sheet with rows, which
/// its own row overwrites: the workbook numbers formats in the order it
/// meets them, and the threads filling the sheets meet them in any order.
fn register_formats(
    workbook: &mut Workbook,
    tables: &[Table],
    widths: &[Vec<f64>],
    sheets: &[Vec<(usize, usize)>],
) -> Result<(), XlsxError> {
    let Some(first) = sheets
        .iter()
        .flatten()
        .find(|(_, rows)| *rows > 0)
        .map(|(i, _)| *i)
    else {
        return Ok(());
    };
    let sheet = workbook.worksheet_from_index(first)?;
    for (t, table) in tables.iter().enumerate() {
        let findings = table.name == "findings";
        let fills: &[Option<u32>] = if findings {
            &[None, Some(ERROR_FILL), Some(WARNING_FILL), Some(INFO_FILL)]
        } else {
            &[None]
        };
        for (c, column) in table.columns.iter().enumerate() {
            let wrap = wraps(&widths[t], c);
            for &fill in fills {
                sheet.write_blank(1, 0, &cell_format(fill, wrap, false))?;
                if findings && column.name == "chart_name" {
                    sheet.write_blank(1, 0, &cell_format(fill, wrap, true))?;
                }
            }
        }
    }
    Ok(())
}

/// The tables in two groups of about as many rows each (largest first,
/// each to the lighter group; ties to the first), for two filling threads.
fn split_tables(counts: &[usize]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by_key(|&t| (std::cmp::Reverse(counts[t]), t));
    let mut groups = vec![Vec::new(), Vec::new()];
    let mut load = [0usize; 2];
    for t in order {
        let g = usize::from(load[1] < load[0]);
        load[g] += counts[t] + 1;
        groups[g].push(t);
    }
    for g in &mut groups {
        g.sort_unstable();
    }
    groups
}

fn severity_fill(severity: &str) -> Option<u32> {
    match severity {
        "error" => Some(ERROR_FILL),
        "warning" => Some(WARNING_FILL),
        "info" => Some(INFO_FILL),
        _ => None,
    }
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

    #[test]
    fn long_tables_split_into_sheets_of_at_most_the_limit() {
        assert_eq!(row_chunks(0, 4), vec![0..0]);
        assert_eq!(row_chunks(4, 4), vec![0..4]);
        assert_eq!(row_chunks(9, 4), vec![0..4, 4..8, 8..9]);
        // 1.2 M findings: two sheets, the first full to Excel's limit.
        let chunks = row_chunks(1_200_000, MAX_ROWS - 1);
        assert_eq!(chunks, vec![0..1_048_575, 1_048_575..1_200_000]);
        assert_eq!(sheet_name("发现问题", 0), "发现问题");
        assert_eq!(sheet_name("发现问题", 1), "发现问题 (2)");
    }

    #[test]
    fn two_threads_take_about_half_the_rows_each() {
        // sources, charts, steps, risk points, items, measures, texts, findings
        let counts = [400, 3600, 20000, 15000, 60000, 61000, 100, 12000];
        let groups = split_tables(&counts);
        // Largest first, each to the lighter group: measures, items, steps …
        assert_eq!(groups, vec![vec![3, 5, 7], vec![0, 1, 2, 4, 6]]);
        let load = |g: &[usize]| g.iter().map(|&t| counts[t]).sum::<usize>();
        assert_eq!((load(&groups[0]), load(&groups[1])), (88000, 84100));
        // Every table in exactly one group, even with no rows at all.
        let empty = split_tables(&[0; 8]);
        let mut all: Vec<usize> = empty.concat();
        all.sort_unstable();
        assert_eq!(all, (0..8).collect::<Vec<_>>());
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

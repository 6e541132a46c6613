//! `catalog.xlsx`: the flat tables of [`super::tables`] as one workbook, one
//! sheet per table with Chinese sheet and column titles, a frozen and
//! filtered header row, widths fitted to the content, and the findings
//! sheet coloured by severity. Codes (grades, severities, layouts,
//! statuses …) are shown in Chinese ([`super::zh`]); each finding's chart
//! name links to the chart's row.

use super::tables::{Cell, ColType, Table, tables};
use super::{WriteError, atomic_write, zh};
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
    let err = |e: XlsxError| WriteError::Format {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let mut workbook = build(cat).map_err(err)?;
    atomic_write(path, |tmp| workbook.save(tmp).map_err(err))
}

fn build(cat: &Catalog) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    // A fixed creation time (the only timestamp rust_xlsxwriter writes; its
    // zip entries carry a fixed date) makes the bytes depend on the catalog
    // alone, as the determinism rule of CATALOG.md asks.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title("廉政风险防控图目录")
            .set_author(cat.generator.as_str())
            .set_comment(format!("{} · rules {}", cat.schema, cat.rules_digest))
            .set_creation_datetime(&created),
    );
    let tables = tables(cat);
    // Where each chart is: its row on the charts sheet (1-based, after the header).
    let charts_title = tables
        .iter()
        .find(|t| t.name == "charts")
        .map_or("", |t| t.title);
    let chart_rows: HashMap<&str, usize> = cat
        .charts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i + 2))
        .collect();
    let links = ChartLinks {
        sheet: charts_title,
        rows: &chart_rows,
    };
    for table in &tables {
        let sheet = workbook.add_worksheet();
        fill_sheet(sheet, table, &links)?;
    }
    Ok(workbook)
}

/// Where the findings sheet's chart names point.
struct ChartLinks<'a> {
    sheet: &'a str,
    rows: &'a HashMap<&'a str, usize>,
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

fn fill_sheet(sheet: &mut Worksheet, table: &Table, links: &ChartLinks) -> Result<(), XlsxError> {
    sheet.set_name(table.title)?;
    if table.rows.len() >= MAX_ROWS {
        return Err(XlsxError::RowColumnLimitError);
    }
    let header = Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_background_color(Color::RGB(HEADER_FILL))
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let last_col = table.columns.len().saturating_sub(1) as u16;
    let widths = column_widths(table);
    let wraps: Vec<bool> = widths.iter().map(|w| *w >= MAX_WIDTH).collect();

    for (c, column) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, column.title, &header)?;
        sheet.set_column_width(c as u16, widths[c])?;
    }

    let is_findings = table.name == "findings";
    let position = |name: &str| {
        is_findings
            .then(|| table.columns.iter().position(|c| c.name == name))
            .flatten()
    };
    let severity_col = position("severity");
    let (chart_col, chart_name_col) = (position("chart"), position("chart_name"));
    for (r, row) in table.rows.iter().enumerate() {
        let fill = severity_col
            .and_then(|i| row.get(i))
            .and_then(|cell| match cell {
                Cell::Text(s) => severity_fill(s),
                _ => None,
            });
        let excel_row = (r + 1) as u32;
        for (c, cell) in row.iter().enumerate() {
            let mut format = Format::new().set_align(FormatAlign::Top);
            if wraps.get(c).copied().unwrap_or(false) {
                format = format.set_text_wrap();
            }
            if let Some(rgb) = fill {
                format = format.set_background_color(Color::RGB(rgb));
            }
            let col = c as u16;
            match cell {
                Cell::Null => sheet.write_blank(excel_row, col, &format)?,
                Cell::Int(n) => {
                    sheet.write_number_with_format(excel_row, col, *n as f64, &format)?
                }
                Cell::Text(s) if Some(c) == chart_name_col => {
                    match chart_col
                        .and_then(|i| row.get(i))
                        .and_then(|id| links.url(id))
                    {
                        Some(url) => {
                            let link = format
                                .clone()
                                .set_font_color(Color::RGB(LINK_COLOR))
                                .set_underline(FormatUnderline::Single);
                            sheet.write_url_with_format(
                                excel_row,
                                col,
                                Url::new(url).set_text(clip(s)),
                                &link,
                            )?
                        }
                        None => sheet.write_string_with_format(excel_row, col, clip(s), &format)?,
                    }
                }
                Cell::Text(s) => {
                    let text = shown(table, table.columns[c].name, s);
                    sheet.write_string_with_format(excel_row, col, clip(&text), &format)?
                }
            };
        }
    }

    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, table.rows.len() as u32, last_col)?;
    Ok(())
}

fn severity_fill(severity: &str) -> Option<u32> {
    match severity {
        "error" => Some(ERROR_FILL),
        "warning" => Some(WARNING_FILL),
        "info" => Some(INFO_FILL),
        _ => None,
    }
}

/// Each column as wide as its widest cell (header included), CJK counting
/// double, plus room for the filter button; capped so long text wraps.
fn column_widths(table: &Table) -> Vec<f64> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(c, column)| {
            let header = display_width(column.title) + 3;
            let content = table
                .rows
                .iter()
                .filter_map(|row| row.get(c))
                .map(|cell| match cell {
                    Cell::Null => 0,
                    Cell::Int(n) => n.to_string().len(),
                    Cell::Text(s) => display_width(s),
                })
                .max()
                .unwrap_or(0);
            let mut width = header.max(content) as f64 + 1.0;
            if column.ty == ColType::Int {
                width = width.min(14.0);
            }
            width.clamp(MIN_WIDTH, MAX_WIDTH)
        })
        .collect()
}

/// Width in Excel character units: wide (CJK, full-width) characters take
/// two. Only the first line counts for multi-line text.
fn display_width(s: &str) -> usize {
    s.lines()
        .next()
        .unwrap_or("")
        .chars()
        .map(|ch| if is_wide(ch) { 2 } else { 1 })
        .sum()
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
    fn cjk_counts_double() {
        assert_eq!(display_width("受理ab"), 6);
        assert_eq!(display_width("风险等级：中"), 12);
        assert_eq!(display_width("第一行\nlonger second line"), 6);
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

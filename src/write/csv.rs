//! The eight CSV tables: UTF-8 with BOM (so Excel and WPS open Chinese
//! correctly), RFC 4180 quoting, one header row of snake_case names; and
//! `datapackage.json` describing them ([`super::datapackage`]).
//!
//! These files are meant to be opened in Excel and WPS, which run a cell
//! that starts with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(…)` in a
//! chart name, `-资源格式:DOCX` in a step). As OWASP recommends for CSV
//! injection, a text cell starting with one of those, or with a tab or a
//! carriage return, gets a leading `'`: the spreadsheet then shows it as
//! text. Number cells are written as they are (`-1` stays a number).
//! `catalog.json`, the workbook and the database keep the text unchanged.

use super::tables::{Cell, Table};
use super::{WriteError, atomic_write_bytes};
use std::path::Path;

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn to_bytes(table: &Table) -> Vec<u8> {
    let mut out = BOM.to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        // Writing to a Vec cannot fail.
        let _ = w.write_record(table.columns.iter().map(|c| c.name));
        for row in &table.rows {
            let _ = w.write_record(row.iter().map(cell_text));
        }
        let _ = w.flush();
    }
    out
}

/// A cell as CSV text, formula-leading text neutralised (see the module).
fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => neutralise(s),
        other => other.as_text(),
    }
}

/// `'` before text a spreadsheet would take for a formula.
pub fn neutralise(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// Write `DIR/<table>.csv` for each table, then `DIR/datapackage.json`.
pub fn write(tables: &[Table], dir: &Path) -> Result<(), WriteError> {
    for t in tables {
        atomic_write_bytes(&dir.join(format!("{}.csv", t.name)), &to_bytes(t))?;
    }
    atomic_write_bytes(
        &dir.join("datapackage.json"),
        &super::datapackage::to_bytes(tables, crate::catalog::SCHEMA),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_leading_text_gets_a_quote() {
        assert_eq!(
            neutralise("=HYPERLINK(\"http://x\",\"点击\")"),
            "'=HYPERLINK(\"http://x\",\"点击\")"
        );
        assert_eq!(neutralise("-资源格式:DOCX"), "'-资源格式:DOCX");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\t=1"), "'\t=1");
        assert_eq!(neutralise("\r=1"), "'\r=1");
        assert_eq!(neutralise("受理 = 审查"), "受理 = 审查");
        assert_eq!(neutralise(""), "");
        assert_eq!(cell_text(&Cell::Int(-1)), "-1");
    }
}

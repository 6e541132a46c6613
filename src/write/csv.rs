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

use super::tables::{Cell, TEXTS, Table, add_part, defs, text_row};
use super::{PartSource, WriteError, atomic_write_bytes};
use std::io::Write as _;
use std::path::{Path, PathBuf};

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

/// Every table of `parts` as CSV, streamed: one writer per table, filled
/// part by part; the file of table `t` is `file("<t>.csv")`, and
/// `file("datapackage.json")` describes them.
pub fn write_parts(
    parts: &dyn PartSource,
    file: &dyn Fn(&str) -> PathBuf,
) -> Result<(), WriteError> {
    let mut tables = defs();
    let paths: Vec<PathBuf> = tables
        .iter()
        .map(|t| file(&format!("{}.csv", t.name)))
        .collect();
    let mut writers = Vec::with_capacity(tables.len());
    for (t, path) in tables.iter().zip(&paths) {
        let mut out = super::create(path)?;
        let io = |source| WriteError::Io {
            path: path.clone(),
            source,
        };
        out.write_all(BOM).map_err(io)?;
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        w.write_record(t.columns.iter().map(|c| c.name))
            .map_err(|e| csv_error(e, path))?;
        writers.push(w);
    }
    let mut flush = |tables: &mut [Table]| -> Result<(), WriteError> {
        for ((t, w), path) in tables.iter_mut().zip(&mut writers).zip(&paths) {
            for row in t.rows.drain(..) {
                w.write_record(row.iter().map(cell_text))
                    .map_err(|e| csv_error(e, path))?;
            }
        }
        Ok(())
    };
    tables[TEXTS].rows = parts.head().texts.iter().map(text_row).collect();
    flush(&mut tables)?;
    parts.each(&mut |part| {
        add_part(&mut tables, part);
        flush(&mut tables)
    })?;
    for (w, path) in writers.into_iter().zip(&paths) {
        let out = w
            .into_inner()
            .map_err(|e| csv_error(e.into_error().into(), path))?;
        super::close(out, path)?;
    }
    atomic_write_bytes(
        &file("datapackage.json"),
        &super::datapackage::to_bytes(&tables, crate::catalog::SCHEMA),
    )
}

fn csv_error(e: csv::Error, path: &Path) -> WriteError {
    WriteError::Format {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
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

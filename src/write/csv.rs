//! The eight CSV tables: UTF-8 with BOM (so Excel and WPS open Chinese
//! correctly), RFC 4180 quoting, one header row of snake_case names; and
//! `datapackage.json` describing them ([`super::datapackage`]).

use super::tables::Table;
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
            let _ = w.write_record(row.iter().map(|c| c.as_text()));
        }
        let _ = w.flush();
    }
    out
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

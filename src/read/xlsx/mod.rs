//! Spreadsheet reader (.xlsx .xlsm .xlsb .ods .xls): one sheet is one page and
//! one table; one block per non-blank cell (a merged region is one block with
//! spans), then the sheet's text shapes (xlsx/xlsm drawings).
//!
//! Cells come from calamine's streaming readers (xlsx, xlsb) or, for .xls,
//! from calamine after a pre-scan of the BIFF records that refuses what would
//! make it allocate absurdly. .ods is read here directly: calamine's ODS
//! reader expands repeated cells into a dense range up to 100 M cells and
//! does not report spans.

mod drawing;
mod grid;
mod ods;
mod ooxml;
mod sheet;
mod value;
mod xls;
mod xml;

use super::{Format, Limits, ReadError};
use crate::document::Document;
use std::panic::{AssertUnwindSafe, catch_unwind};

use sheet::{Merge, parse_a1_range};

pub fn read(format: Format, bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    match format {
        Format::Xlsx | Format::Xlsm => ooxml::read_xlsx(bytes, limits),
        Format::Xlsb => ooxml::read_xlsb(bytes, limits),
        Format::Xls => xls::read(bytes, limits),
        Format::Ods => ods::read(bytes, limits),
        other => Err(ReadError::Unsupported(format!(
            "表格读取器不处理 {} 格式",
            other.as_str()
        ))),
    }
}

/// Run a calamine call, turning a panic inside it into an error message.
/// (The default panic hook still prints the panic: replacing it is global
/// state shared with every other thread.)
fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|p| {
        let detail = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        format!("{what}时解析器崩溃（{detail}）")
    })
}

#[cfg(test)]
mod tests;

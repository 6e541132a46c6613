//! .xlsx / .xlsm / .xlsb: the package structure (which part is which sheet),
//! pre-checks that keep calamine within our caps, cells through calamine's
//! streaming cell readers, geometry and drawings read here.

use super::drawing;
use super::grid::{SheetLayout, read_layout};
use super::sheet::{MAX_SHEET_TEXT_BYTES, RawCell, cell_blocks};
use super::xml::{Ev, Xml, attr, local};
use super::{guarded, value};
use crate::document::{Document, ReadIssue};
use crate::read::zipped::Package;
use crate::read::{Limits, ReadError};
use calamine::{Reader, SheetType, Xlsb, XlsbError, Xlsx, XlsxError};
use std::io::Cursor;

/// Most merged regions taken from one sheet.
const MAX_MERGES: usize = 100_000;

/// A worksheet as the workbook part lists it.
struct SheetPart {
    name: String,
    /// Zip path of the worksheet part, when the relationship resolves.
    path: Option<String>,
}

pub(super) fn read_xlsx(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    let mut pkg = Package::open(bytes, limits)?;
    precheck_declared_sizes(bytes, limits)?;
    let parts = workbook_sheet_parts(&mut pkg, limits)?;
    precheck_shared_strings(&mut pkg)?;

    let mut book: Xlsx<Cursor<&[u8]>> =
        guarded("打开工作簿", || Xlsx::new(Cursor::new(bytes)))
            .map_err(ReadError::Unreadable)?
            .map_err(xlsx_error)?;
    let sheets = book.sheets_metadata().to_vec();
    let mut doc = Document::default();
    for (index, sheet) in sheets.iter().enumerate() {
        let index = index as u32;
        if sheet.typ != SheetType::WorkSheet {
            continue;
        }
        let path = parts
            .iter()
            .find(|p| p.name == sheet.name)
            .and_then(|p| p.path.clone());
        let layout = match &path {
            Some(path) => match pkg.part(path) {
                Ok(Some(xml)) => {
                    let (layout, problem) = read_layout(&xml, limits.max_xml_depth, MAX_MERGES);
                    if let Some(m) = problem {
                        doc.issues
                            .push(issue(&sheet.name, format!("工作表结构：{m}")));
                    }
                    layout
                }
                Ok(None) => SheetLayout::default(),
                // The sheet part breaks our caps: calamine must not stream it either.
                Err(e) => {
                    doc.issues.push(issue(&sheet.name, e.to_string()));
                    continue;
                }
            },
            None => SheetLayout::default(),
        };
        let cells = guarded("读取单元格", || {
            xlsx_cells(&mut book, &sheet.name, limits.max_cells)
        })
        .unwrap_or_else(|m| (Vec::new(), Some(m)));
        if let Some(m) = cells.1 {
            doc.issues.push(issue(&sheet.name, m));
        }
        doc.blocks.extend(cell_blocks(
            index,
            &sheet.name,
            cells.0,
            &layout.merges,
            &layout.grid,
        ));
        if let Some(path) = &path {
            drawing::read_sheet_drawings(
                &mut pkg,
                path,
                &sheet.name,
                index,
                &layout.grid,
                limits,
                &mut doc,
            );
        }
    }
    Ok(doc)
}

pub(super) fn read_xlsb(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    // calamine streams these parts straight from the zip: read each once
    // through the capped package first so a bomb is refused before that.
    let mut pkg = Package::open(bytes, limits)?;
    for name in pkg.names() {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".bin") && !lower.contains("vbaproject")
            || lower.ends_with(".rels")
            || lower.ends_with(".xml")
        {
            pkg.part(&name)?;
        }
    }
    let mut book: Xlsb<Cursor<&[u8]>> =
        guarded("打开工作簿", || Xlsb::new(Cursor::new(bytes)))
            .map_err(ReadError::Unreadable)?
            .map_err(|e| match e {
                XlsbError::Password => ReadError::Encrypted("工作簿有密码保护".into()),
                e => ReadError::Unreadable(format!("xlsb 工作簿无法解析（{e}）")),
            })?;
    let sheets = book.sheets_metadata().to_vec();
    let mut doc = Document::default();
    for (index, sheet) in sheets.iter().enumerate() {
        if sheet.typ != SheetType::WorkSheet {
            continue;
        }
        let max = limits.max_cells;
        let cells = guarded("读取单元格", || -> (Vec<RawCell>, Option<String>) {
            let mut reader = match book.worksheet_cells_reader(&sheet.name) {
                Ok(r) => r,
                Err(e) => return (Vec::new(), Some(format!("无法读取工作表（{e}）"))),
            };
            collect(max, || reader.next_cell().map_err(|e| e.to_string()))
        })
        .unwrap_or_else(|m| (Vec::new(), Some(m)));
        if let Some(m) = cells.1 {
            doc.issues.push(issue(&sheet.name, m));
        }
        // calamine reports neither merges nor geometry for xlsb: default grid.
        doc.blocks.extend(cell_blocks(
            index as u32,
            &sheet.name,
            cells.0,
            &[],
            &Default::default(),
        ));
    }
    Ok(doc)
}

fn xlsx_cells(
    book: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    max: usize,
) -> (Vec<RawCell>, Option<String>) {
    let mut reader = match book.worksheet_cells_reader(name) {
        Ok(r) => r,
        Err(e) => return (Vec::new(), Some(format!("无法读取工作表（{e}）"))),
    };
    collect(max, || reader.next_cell().map_err(|e| e.to_string()))
}

/// Drain a calamine cell reader into displayed texts, stopping at `max`
/// cells; the message says why reading stopped early.
fn collect<'a>(
    max: usize,
    mut next: impl FnMut() -> Result<Option<calamine::Cell<calamine::DataRef<'a>>>, String>,
) -> (Vec<RawCell>, Option<String>) {
    let mut cells = Vec::new();
    let mut seen = 0usize;
    let mut text_bytes = 0usize;
    loop {
        match next() {
            Ok(Some(cell)) => {
                seen += 1;
                if seen > max {
                    return (cells, Some(format!("单元格超过 {max} 个，其余未读")));
                }
                let (row, col) = cell.get_position();
                if let Some(text) = value::display(cell.get_value()) {
                    text_bytes += text.len();
                    if text_bytes > MAX_SHEET_TEXT_BYTES {
                        return (cells, Some(too_much_text()));
                    }
                    cells.push(RawCell { row, col, text });
                }
            }
            Ok(None) => return (cells, None),
            Err(e) => return (cells, Some(format!("单元格数据损坏，其后未读（{e}）"))),
        }
    }
}

pub(super) fn too_much_text() -> String {
    format!("文本超过 {} MB，其余未读", MAX_SHEET_TEXT_BYTES >> 20)
}

fn xlsx_error(e: XlsxError) -> ReadError {
    match e {
        XlsxError::Password => ReadError::Encrypted("工作簿有密码保护".into()),
        e => ReadError::Unreadable(format!("xlsx 工作簿无法解析（{e}）")),
    }
}

pub(super) fn issue(sheet: &str, message: String) -> ReadIssue {
    ReadIssue {
        code: "source.unreadable".into(),
        message: format!("工作表「{sheet}」：{message}"),
        origin: format!("{sheet}!"),
    }
}

/// calamine inflates parts straight from the zip, not through our capped
/// [`Package`]. The zip crate stops a part at its declared size, so checking
/// the declared sizes (the same rules as `Package`) bounds what it can inflate.
fn precheck_declared_sizes(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ReadError::Unreadable(format!("zip 结构损坏（{e}）")))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(f) = zip.by_index_raw(i) else { continue };
        let Ok(stored) = f.name().map(|n| n.to_string()) else {
            continue;
        };
        let name = stored.to_ascii_lowercase();
        let read_by_calamine = (name.starts_with("xl/") || name.starts_with("_rels/"))
            && [".xml", ".rels", ".bin"]
                .iter()
                .any(|ext| name.ends_with(ext));
        if !read_by_calamine {
            continue;
        }
        let (size, packed) = (f.size(), f.compressed_size().max(1));
        total = total.saturating_add(size);
        if size > limits.max_part_bytes || (size > (1 << 20) && size / packed > limits.max_ratio) {
            return Err(ReadError::Unreadable(format!(
                "部件 {stored} 解压后 {size} 字节（压缩比 {}:1），超过上限（疑似压缩炸弹）",
                size / packed
            )));
        }
    }
    if total > limits.max_total_bytes {
        return Err(ReadError::Unreadable(format!(
            "工作簿各部件解压后合计 {total} 字节，超过上限 {}（疑似压缩炸弹）",
            limits.max_total_bytes
        )));
    }
    Ok(())
}

/// calamine reserves room for `uniqueCount` strings up front: refuse a count
/// the part cannot possibly hold (each `<si/>` takes at least 5 bytes).
fn precheck_shared_strings(pkg: &mut Package<'_>) -> Result<(), ReadError> {
    let Some(xml) = pkg.part("xl/sharedStrings.xml")? else {
        return Ok(());
    };
    let mut reader = Xml::new(&xml, 8);
    while let Ok(ev) = reader.next() {
        match ev {
            Ev::Start(e) | Ev::Empty(e) if local(&e) == "sst" => {
                let declared = attr(&e, "uniqueCount")
                    .and_then(|v| v.trim().parse::<u128>().ok())
                    .unwrap_or(0);
                if declared > (xml.len() as u128 / 5).max(1 << 16) {
                    return Err(ReadError::Unreadable(format!(
                        "共享字符串表声明 {declared} 个字符串，远超其 {} 字节所能容纳（文件损坏或恶意构造）",
                        xml.len()
                    )));
                }
                return Ok(());
            }
            Ev::Eof => return Ok(()),
            _ => {}
        }
    }
    Ok(())
}

/// Resolve a relationship target against the folder of the part that owns it.
pub(super) fn resolve_target(owner: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = owner.split('/').collect();
    parts.pop();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// `xl/worksheets/sheet1.xml` → `xl/worksheets/_rels/sheet1.xml.rels`.
pub(super) fn rels_path(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// (Id, Type, Target) of every internal relationship of a part.
pub(super) fn relationships(
    pkg: &mut Package<'_>,
    owner: &str,
    limits: &Limits,
) -> Result<Vec<(String, String, String)>, ReadError> {
    let Some(xml) = pkg.part(&rels_path(owner))? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut reader = Xml::new(&xml, limits.max_xml_depth);
    loop {
        match reader.next() {
            Ok(Ev::Start(e)) | Ok(Ev::Empty(e)) if local(&e) == "Relationship" => {
                if attr(&e, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External")) {
                    continue;
                }
                if let (Some(id), Some(typ), Some(target)) =
                    (attr(&e, "Id"), attr(&e, "Type"), attr(&e, "Target"))
                {
                    out.push((id, typ, resolve_target(owner, &target)));
                }
            }
            Ok(Ev::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    Ok(out)
}

/// Sheet names and their worksheet parts, in workbook order.
fn workbook_sheet_parts(
    pkg: &mut Package<'_>,
    limits: &Limits,
) -> Result<Vec<SheetPart>, ReadError> {
    let workbook = relationships(pkg, "", limits)?
        .into_iter()
        .find(|r| r.1.ends_with("/officeDocument"))
        .map(|r| r.2)
        .unwrap_or_else(|| "xl/workbook.xml".to_string());
    let rels = relationships(pkg, &workbook, limits)?;
    let Some(xml) = pkg.part(&workbook)? else {
        return Err(ReadError::Unreadable(format!("缺少工作簿部件 {workbook}")));
    };
    let mut sheets = Vec::new();
    let mut reader = Xml::new(&xml, limits.max_xml_depth);
    loop {
        match reader.next() {
            Ok(Ev::Start(e)) | Ok(Ev::Empty(e)) if local(&e) == "sheet" => {
                let Some(name) = attr(&e, "name") else {
                    continue;
                };
                let path = attr(&e, "r:id")
                    .and_then(|id| rels.iter().find(|r| r.0 == id))
                    .map(|r| r.2.clone());
                sheets.push(SheetPart { name, path });
            }
            Ok(Ev::Eof) => break,
            Ok(_) => {}
            Err(m) => {
                return Err(ReadError::Unreadable(format!(
                    "工作簿部件 {workbook} 损坏（{m}）"
                )));
            }
        }
    }
    Ok(sheets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_the_owner_folder() {
        assert_eq!(
            resolve_target("xl/worksheets/sheet1.xml", "../drawings/drawing1.xml"),
            "xl/drawings/drawing1.xml"
        );
        assert_eq!(
            resolve_target("xl/workbook.xml", "worksheets/sheet2.xml"),
            "xl/worksheets/sheet2.xml"
        );
        assert_eq!(
            resolve_target("xl/workbook.xml", "/xl/worksheets/s.xml"),
            "xl/worksheets/s.xml"
        );
        assert_eq!(resolve_target("", "xl/workbook.xml"), "xl/workbook.xml");
        assert_eq!(
            rels_path("xl/worksheets/sheet1.xml"),
            "xl/worksheets/_rels/sheet1.xml.rels"
        );
        assert_eq!(rels_path(""), "_rels/.rels");
    }
}

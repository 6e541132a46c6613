//! .xls (BIFF5/BIFF8 in an OLE compound file).
//!
//! calamine parses a whole .xls when it opens it and stores every sheet as a
//! dense range over the bounding box of its cells, so one stray cell at
//! IV65536 costs 16 M slots, and a hostile DIMENSIONS record can make it
//! reserve terabytes (an allocation failure aborts the process: no
//! catch_unwind helps). So the BIFF records are scanned here first and
//! anything that would blow up is refused before calamine sees it.

use super::grid::{
    Axis, DEFAULT_COL_EMU, DEFAULT_ROW_EMU, Grid, base_width_to_emu, width_chars_to_emu,
};
use super::sheet::{Merge, RawCell, cell_blocks};
use super::{guarded, value};
use crate::document::Document;
use crate::read::{Limits, ReadError};
use calamine::{Data, DataRef, Reader, SheetType, Xls, XlsError, XlsOptions};
use std::io::{Cursor, Read};

/// Virtual memory calamine may reserve for one sheet's cell list from a
/// DIMENSIONS record (reserved, not touched, so generous).
const MAX_RESERVE_BYTES: u64 = 1 << 30;
/// Bytes per reserved `Cell<Data>` in calamine.
const CELL_BYTES: u64 = 40;
/// Memory calamine's dense ranges may fill across all sheets: every slot of
/// a sheet's bounding box is written (`Data` 32 bytes, kept once by calamine
/// and once more in the copy `worksheet_range` returns; formula `String` 24).
/// Measured: 4 corner cells of a BIFF8 sheet (16.7 M slots) peak at 1 GB.
const MAX_DENSE_BYTES: u64 = 256 << 20;
const DATA_SLOT_BYTES: u64 = 64;
const FORMULA_SLOT_BYTES: u64 = 24;
/// Text calamine may copy out of the shared-string table into cells.
const MAX_COPIED_TEXT_BYTES: u64 = 256 << 20;

pub(super) fn read(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    let stream = guarded("打开复合文档", || workbook_stream(bytes, limits))
        .map_err(ReadError::Unreadable)??;
    let grids = prescan(&stream)?;
    drop(stream);

    let mut book: Xls<Cursor<&[u8]>> = guarded("解析工作簿", || {
        Xls::new_with_options(Cursor::new(bytes), XlsOptions::default())
    })
    .map_err(ReadError::Unreadable)?
    .map_err(|e| match e {
        XlsError::Password => ReadError::Encrypted("工作簿有密码保护（FILEPASS）".into()),
        e => ReadError::Unreadable(format!("xls 工作簿无法解析（{e}）")),
    })?;
    let sheets = book.sheets_metadata().to_vec();
    let mut doc = Document::default();
    for (index, sheet) in sheets.iter().enumerate() {
        if sheet.typ != SheetType::WorkSheet {
            continue;
        }
        let read = guarded("读取单元格", || {
            let range = book
                .worksheet_range(&sheet.name)
                .map_err(|e| e.to_string())?;
            let merges = book
                .merge_cells_by_sheet_name(&sheet.name)
                .map_err(|e| e.to_string())?;
            let mut cells = Vec::new();
            let mut truncated = false;
            for (n, (r, c, v)) in range.used_cells().enumerate() {
                if n >= limits.max_cells {
                    truncated = true;
                    break;
                }
                let (row, col) = (
                    range.start().map_or(0, |s| s.0) + r as u32,
                    range.start().map_or(0, |s| s.1) + c as u32,
                );
                if let Some(text) = value::display(&as_ref(v)) {
                    cells.push(RawCell { row, col, text });
                }
            }
            let merges: Vec<Merge> = merges
                .iter()
                .map(|d| Merge {
                    first_row: d.start.0.min(d.end.0),
                    first_col: d.start.1.min(d.end.1),
                    last_row: d.start.0.max(d.end.0),
                    last_col: d.start.1.max(d.end.1),
                })
                .collect();
            Ok::<_, String>((cells, merges, truncated))
        });
        match read {
            Ok(Ok((cells, merges, truncated))) => {
                if truncated {
                    doc.issues.push(super::ooxml::issue(
                        &sheet.name,
                        format!("单元格超过 {} 个，其余未读", limits.max_cells),
                    ));
                }
                let grid = grids.get(index).cloned().unwrap_or_default();
                doc.blocks.extend(cell_blocks(
                    index as u32,
                    &sheet.name,
                    cells,
                    &merges,
                    &grid,
                ));
            }
            Ok(Err(m)) | Err(m) => doc.issues.push(super::ooxml::issue(&sheet.name, m)),
        }
    }
    Ok(doc)
}

fn as_ref(v: &Data) -> DataRef<'_> {
    match v {
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::String(s) => DataRef::SharedString(s),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(d) => DataRef::DateTime(*d),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::Empty => DataRef::Empty,
    }
}

/// The `Workbook` (BIFF8) or `Book` (BIFF5) stream, read within the caps.
fn workbook_stream(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, ReadError> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| ReadError::Unreadable(format!("OLE 复合文档结构损坏（{e}）")))?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cf.is_stream(n))
        .ok_or_else(|| ReadError::Unreadable("复合文档中没有 Workbook 流".into()))?;
    let mut stream = cf
        .open_stream(name)
        .map_err(|e| ReadError::Unreadable(format!("Workbook 流无法打开（{e}）")))?;
    // A stream cannot be longer than the file that holds it.
    let cap = limits.max_part_bytes.min(bytes.len() as u64);
    let mut out = Vec::new();
    (&mut stream)
        .take(cap + 1)
        .read_to_end(&mut out)
        .map_err(|e| ReadError::Unreadable(format!("Workbook 流读取失败（{e}）")))?;
    if out.len() as u64 > cap {
        return Err(ReadError::Unreadable("Workbook 流超过上限".into()));
    }
    Ok(out)
}

/// BIFF records: (type, data), stopping quietly at a truncated record
/// (calamine reports that itself).
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        let head = rest.get(..4)?;
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let data = rest.get(4..4 + len)?;
        rest = &rest[4 + len..];
        Some((typ, data))
    })
}

fn u16_at(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 2)
        .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Bounding box of cell positions.
#[derive(Default)]
struct Bbox(Option<(u32, u32, u32, u32)>);

impl Bbox {
    fn add(&mut self, row: u32, col: u32) {
        self.0 = Some(match self.0 {
            None => (row, col, row, col),
            Some((r1, c1, r2, c2)) => (r1.min(row), c1.min(col), r2.max(row), c2.max(col)),
        });
    }
    fn area(&self) -> u64 {
        self.0.map_or(0, |(r1, c1, r2, c2)| {
            (u64::from(r2 - r1) + 1) * (u64::from(c2 - c1) + 1)
        })
    }
    fn describe(&self) -> String {
        use super::sheet::a1;
        self.0
            .map(|(r1, c1, r2, c2)| format!("{}:{}", a1(r1, c1), a1(r2, c2)))
            .unwrap_or_default()
    }
}

/// Refuse what would make calamine panic or allocate without bound:
/// encryption, sheet offsets outside the stream, merged-cell records that
/// claim more entries than they hold, absurd DIMENSIONS, and cell bounding
/// boxes whose dense copy would not fit the memory budget.
///
/// Returns each sheet's geometry (COLINFO, ROW, DEFCOLWIDTH,
/// DEFAULTROWHEIGHT), in BOUNDSHEET order.
fn prescan(stream: &[u8]) -> Result<Vec<Grid>, ReadError> {
    let mut sheet_offsets = Vec::new();
    // The SST record and the CONTINUE records right after it.
    let mut sst: Vec<&[u8]> = Vec::new();
    let mut in_sst = false;
    for (typ, data) in records(stream) {
        if typ == 0x003C && in_sst {
            sst.push(data);
            continue;
        }
        in_sst = typ == 0x00FC;
        match typ {
            0x002F => return Err(ReadError::Encrypted("工作簿有密码保护（FILEPASS）".into())),
            0x00FC => {
                sst.clear();
                sst.push(data);
            }
            0x0085 => {
                if let Some(pos) = u32_at(data, 0) {
                    sheet_offsets.push(pos as usize);
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    let sst_chars = sst_char_counts(&sst);
    let longest = sst_chars.iter().copied().max().unwrap_or(0);
    // calamine copies the shared string into every cell that refers to it.
    let mut copied_text = 0u64;
    let mut total = 0u64;
    let mut grids = Vec::with_capacity(sheet_offsets.len());
    for (n, &pos) in sheet_offsets.iter().enumerate() {
        let Some(sheet) = stream.get(pos..) else {
            return Err(ReadError::Unreadable(format!(
                "第 {} 个工作表的位置 {pos} 超出 Workbook 流（{} 字节）",
                n + 1,
                stream.len()
            )));
        };
        let (mut cells, mut formulas) = (Bbox::default(), Bbox::default());
        let mut seen_bof = false;
        let mut depth = 0usize;
        let mut formula_pos = None;
        let mut geometry = Geometry::default();
        for (typ, d) in records(sheet) {
            // Embedded charts are nested BOF…EOF substreams: calamine skips them.
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let pos = || Some((u16_at(d, 0)?, u16_at(d, 2)?));
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                0x0200 => check_dimensions(d, n)?,
                0x007D | 0x0208 | 0x0055 | 0x0225 => geometry.record(typ, d),
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD => {
                    if let Some((r, c)) = pos() {
                        cells.add(r, c);
                    }
                    if typ == 0x00FD {
                        let chars = u32_at(d, 6)
                            .and_then(|i| sst_chars.get(i as usize).copied())
                            .unwrap_or(longest);
                        // Up to 3 UTF-8 bytes per UTF-16 unit.
                        copied_text += u64::from(chars) * 3;
                    }
                }
                0x00BD => {
                    let last = d.len().checked_sub(2).and_then(|at| u16_at(d, at));
                    if let (Some((r, c)), Some(last)) = (pos(), last) {
                        cells.add(r, c);
                        cells.add(r, last.max(c));
                    }
                }
                0x0006 => {
                    if let Some((r, c)) = pos() {
                        cells.add(r, c);
                        formulas.add(r, c);
                        formula_pos = Some((r, c));
                    }
                }
                0x0207 => {
                    cells.add(
                        formula_pos.map_or(0, |p| p.0),
                        formula_pos.map_or(0, |p| p.1),
                    );
                }
                0x00E5 => {
                    let count = u16_at(d, 0).unwrap_or(0) as usize;
                    if 2 + count * 8 > d.len() {
                        return Err(ReadError::Unreadable(format!(
                            "第 {} 个工作表的合并单元格记录声明 {count} 个区域，实际只有 {} 个（文件损坏）",
                            n + 1,
                            d.len().saturating_sub(2) / 8
                        )));
                    }
                }
                _ => {}
            }
        }
        for (what, b, slot) in [
            ("单元格", &cells, DATA_SLOT_BYTES),
            ("公式", &formulas, FORMULA_SLOT_BYTES),
        ] {
            let bytes = b.area().saturating_mul(slot);
            if bytes > MAX_DENSE_BYTES {
                return Err(ReadError::Unreadable(format!(
                    "第 {} 个工作表的{what}分布在 {}（{} 个格）这样大的范围内，解析需要约 {} MB 内存，超过上限 {} MB，拒绝读取",
                    n + 1,
                    b.describe(),
                    b.area(),
                    bytes >> 20,
                    MAX_DENSE_BYTES >> 20
                )));
            }
            total = total.saturating_add(bytes);
        }
        grids.push(geometry.grid());
    }
    if copied_text > MAX_COPIED_TEXT_BYTES {
        return Err(ReadError::Unreadable(format!(
            "共享字符串被单元格引用后共需约 {} MB 文本，超过上限 {} MB，拒绝读取",
            copied_text >> 20,
            MAX_COPIED_TEXT_BYTES >> 20
        )));
    }
    if total > MAX_DENSE_BYTES {
        return Err(ReadError::Unreadable(format!(
            "各工作表的单元格范围合计需要约 {} MB 内存，超过上限 {} MB，拒绝读取",
            total >> 20,
            MAX_DENSE_BYTES >> 20
        )));
    }
    Ok(grids)
}

/// Column widths and row heights of one BIFF sheet.
#[derive(Default)]
struct Geometry {
    default_col: Option<i64>,
    default_row: Option<i64>,
    cols: Vec<(u32, u32, i64)>,
    rows: Vec<(u32, u32, i64)>,
}

impl Geometry {
    fn record(&mut self, typ: u16, d: &[u8]) {
        const EMU_PER_TWIP: i64 = 635;
        match typ {
            // COLINFO: first, last, width in 1/256 characters, xf, flags (bit 0 hidden).
            0x007D => {
                if let (Some(first), Some(last), Some(w)) =
                    (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4))
                {
                    let hidden = u16_at(d, 8).is_some_and(|f| f & 1 != 0);
                    let emu = if hidden {
                        0
                    } else {
                        width_chars_to_emu(f64::from(w) / 256.0)
                    };
                    self.cols.push((first, last.max(first).min(255), emu));
                }
            }
            // ROW: row, first col, last col, height in twips (15 bits), …, flags (bit 5 hidden).
            0x0208 => {
                if let (Some(row), Some(h)) = (u16_at(d, 0), u16_at(d, 6)) {
                    let hidden = u16_at(d, 12).is_some_and(|f| f & 0x20 != 0);
                    let emu = if hidden {
                        0
                    } else {
                        i64::from(h & 0x7FFF) * EMU_PER_TWIP
                    };
                    self.rows.push((row, row, emu));
                }
            }
            // DEFCOLWIDTH: characters without padding.
            0x0055 => self.default_col = u16_at(d, 0).map(|w| base_width_to_emu(f64::from(w))),
            // DEFAULTROWHEIGHT: flags, height in twips.
            0x0225 => self.default_row = u16_at(d, 2).map(|h| i64::from(h & 0x7FFF) * EMU_PER_TWIP),
            _ => {}
        }
    }

    fn grid(self) -> Grid {
        Grid {
            cols: Axis::new(self.default_col.unwrap_or(DEFAULT_COL_EMU), self.cols),
            rows: Axis::new(self.default_row.unwrap_or(DEFAULT_ROW_EMU), self.rows),
        }
    }
}

/// Character counts of the strings of an SST record (MS-XLS 2.4.265) and its
/// CONTINUE records. A string's characters may run on into the next
/// segment, which then starts with a fresh flags byte.
fn sst_char_counts(segments: &[&[u8]]) -> Vec<u32> {
    let mut cur = SegCursor {
        segments,
        seg: 0,
        at: 8,
    };
    let mut out = Vec::new();
    while let Some(cch) = cur.u16() {
        let Some(mut flags) = cur.u8() else { break };
        let runs = if flags & 0x08 != 0 {
            cur.u16().unwrap_or(0) as usize
        } else {
            0
        };
        let ext = if flags & 0x04 != 0 {
            cur.u32().unwrap_or(0) as usize
        } else {
            0
        };
        let mut left = cch as usize;
        while left > 0 {
            let width = if flags & 0x01 != 0 { 2 } else { 1 };
            let here = (cur.available() / width).min(left);
            cur.skip_here(here * width);
            left -= here;
            if left > 0 {
                if !cur.next_segment() {
                    break;
                }
                flags = cur.u8().unwrap_or(0);
            }
        }
        out.push(u32::from(cch));
        if !cur.skip(runs * 4 + ext) {
            break;
        }
    }
    out
}

/// A read position over a record and its CONTINUE segments.
struct SegCursor<'a> {
    segments: &'a [&'a [u8]],
    seg: usize,
    at: usize,
}

impl SegCursor<'_> {
    fn available(&self) -> usize {
        self.segments
            .get(self.seg)
            .map_or(0, |s| s.len().saturating_sub(self.at))
    }
    fn next_segment(&mut self) -> bool {
        if self.seg + 1 >= self.segments.len() {
            return false;
        }
        self.seg += 1;
        self.at = 0;
        true
    }
    fn skip_here(&mut self, n: usize) {
        self.at += n;
    }
    /// Skip `n` bytes, crossing segments; false at the end of the data.
    fn skip(&mut self, mut n: usize) -> bool {
        loop {
            let here = self.available().min(n);
            self.at += here;
            n -= here;
            if n == 0 {
                return true;
            }
            if !self.next_segment() {
                return false;
            }
        }
    }
    /// Read `N` bytes, moving to the next segment first if this one is used up.
    fn bytes<const N: usize>(&mut self) -> Option<[u8; N]> {
        if self.available() == 0 && !self.next_segment() {
            return None;
        }
        let seg = self.segments.get(self.seg)?;
        let b: [u8; N] = seg.get(self.at..self.at + N)?.try_into().ok()?;
        self.at += N;
        Some(b)
    }
    fn u8(&mut self) -> Option<u8> {
        self.bytes::<1>().map(|b| b[0])
    }
    fn u16(&mut self) -> Option<u16> {
        self.bytes::<2>().map(u16::from_le_bytes)
    }
    fn u32(&mut self) -> Option<u32> {
        self.bytes::<4>().map(u32::from_le_bytes)
    }
}

/// calamine reserves rows × cols cells from DIMENSIONS, computed in u32
/// (it wraps in release builds): refuse what would reserve absurdly.
fn check_dimensions(d: &[u8], sheet: usize) -> Result<(), ReadError> {
    let v = |x: Option<u32>| x.unwrap_or(0);
    let (rf, rl, mut cf, cl) = match d.len() {
        10 => (
            v(u16_at(d, 0)),
            v(u16_at(d, 2)),
            v(u16_at(d, 4)),
            v(u16_at(d, 6)),
        ),
        14 | 16 => (
            v(u32_at(d, 0)),
            v(u32_at(d, 4)),
            v(u16_at(d, 8)),
            v(u16_at(d, 10)),
        ),
        _ => return Ok(()),
    };
    if cf > 0xFF || cl < cf {
        cf = 0;
    }
    if rl == 0 || cl == 0 {
        return Ok(());
    }
    let rows = (rl - 1).wrapping_sub(rf).wrapping_add(1) as u64;
    let cols = (cl - 1).wrapping_sub(cf).wrapping_add(1) as u64;
    let bytes = rows.saturating_mul(cols).saturating_mul(CELL_BYTES);
    if rl - 1 < rf || cl - 1 < cf || bytes > MAX_RESERVE_BYTES {
        return Err(ReadError::Unreadable(format!(
            "第 {} 个工作表的 DIMENSIONS 记录声明的范围无效或过大（行 {rf}–{rl}，列 {cf}–{cl}）",
            sheet + 1
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut v = typ.to_le_bytes().to_vec();
        v.extend((data.len() as u16).to_le_bytes());
        v.extend(data);
        v
    }

    /// A workbook stream with one sheet made of `sheet_records`.
    fn stream(globals: &[Vec<u8>], sheet_records: &[Vec<u8>]) -> Vec<u8> {
        let bof = rec(0x0809, &[0; 16]);
        let eof = rec(0x000A, &[]);
        let head: usize =
            bof.len() + globals.iter().map(Vec::len).sum::<usize>() + 4 + 8 + eof.len();
        let mut s = bof.clone();
        for g in globals {
            s.extend(g);
        }
        let mut bound = (head as u32).to_le_bytes().to_vec();
        bound.extend([0, 0, 1, 0]);
        s.extend(rec(0x0085, &bound));
        s.extend(&eof);
        assert_eq!(s.len(), head);
        s.extend(bof);
        for r in sheet_records {
            s.extend(r);
        }
        s.extend(eof);
        s
    }

    fn label_sst(row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend([0, 0, 0, 0, 0, 0]);
        rec(0x00FD, &d)
    }

    #[test]
    fn a_plain_sheet_passes() {
        assert_eq!(
            prescan(&stream(&[], &[label_sst(0, 0), label_sst(99, 9)])).map(|g| g.len()),
            Ok(1)
        );
    }

    /// An SST holding the given ASCII strings, the last one split across a CONTINUE.
    fn sst(strings: &[&str]) -> Vec<u8> {
        let mut d = vec![0u8; 8];
        for t in strings {
            d.extend((t.len() as u16).to_le_bytes());
            d.push(0);
            d.extend(t.as_bytes());
        }
        rec(0x00FC, &d)
    }

    #[test]
    fn sst_strings_are_measured_across_continue_records() {
        let mut first = vec![0u8; 8];
        first.extend([3, 0, 0]);
        first.extend(b"abc");
        first.extend([5, 0, 0x01]); // 5 UTF-16 chars, 2 here, 3 in the CONTINUE
        first.extend([0x61, 0, 0x62, 0]);
        let second = [0u8, b'c', b'd', b'e', 2, 0, 0, b'x', b'y'];
        assert_eq!(sst_char_counts(&[&first, &second]), vec![3, 5, 2]);
    }

    #[test]
    fn a_long_shared_string_in_many_cells_is_refused() {
        let long = "x".repeat(60_000);
        let cells: Vec<Vec<u8>> = (0..2_000).map(|r| label_sst(r, 0)).collect();
        let s = stream(&[sst(&[&long])], &cells);
        assert_eq!(
            prescan(&s),
            Err(ReadError::Unreadable(
                "共享字符串被单元格引用后共需约 343 MB 文本，超过上限 256 MB，拒绝读取".into()
            ))
        );
        let few: Vec<Vec<u8>> = (0..100).map(|r| label_sst(r, 0)).collect();
        assert!(prescan(&stream(&[sst(&[&long])], &few)).is_ok());
    }

    #[test]
    fn column_and_row_records_give_the_geometry() {
        let colinfo = rec(0x007D, &[1, 0, 2, 0, 0x00, 0x14, 0, 0, 0, 0, 0, 0]); // B:C, 20 chars
        let hidden = rec(0x007D, &[4, 0, 4, 0, 0x00, 0x0A, 0, 0, 1, 0, 0, 0]); // E hidden
        let row = rec(
            0x0208,
            &[1, 0, 0, 0, 1, 0, 0x58, 0x02, 0, 0, 0, 0, 0x40, 0, 0, 0],
        ); // row 2, 600 twips
        let defaults = [rec(0x0055, &[8, 0]), rec(0x0225, &[0, 0, 0x2C, 0x01])]; // 8 chars, 300 twips
        let s = stream(
            &[],
            &[
                defaults[0].clone(),
                defaults[1].clone(),
                colinfo,
                hidden,
                row,
            ],
        );
        let grids = prescan(&s).unwrap();
        let g = &grids[0];
        assert_eq!(g.x(1), 64 * 9525);
        assert_eq!(g.x(3), (64 + 2 * 140) * 9525);
        assert_eq!(g.x(5), (2 * 64 + 2 * 140) * 9525);
        assert_eq!(g.y(1), 190_500);
        assert_eq!(g.y(2), 190_500 + 381_000);
    }

    #[test]
    fn filepass_means_encrypted() {
        let s = stream(&[rec(0x002F, &[1, 0, 1, 0])], &[]);
        assert!(matches!(prescan(&s), Err(ReadError::Encrypted(_))));
    }

    #[test]
    fn corner_cells_that_need_a_dense_giant_are_refused() {
        let s = stream(&[], &[label_sst(0, 0), label_sst(65535, 255)]);
        assert_eq!(
            prescan(&s),
            Err(ReadError::Unreadable(
                "第 1 个工作表的单元格分布在 A1:IV65536（16777216 个格）这样大的范围内，解析需要约 1024 MB 内存，超过上限 256 MB，拒绝读取".into()
            ))
        );
    }

    #[test]
    fn merged_cells_record_claiming_more_than_it_holds_is_refused() {
        let mut d = 5u16.to_le_bytes().to_vec();
        d.extend([0, 0, 1, 0, 0, 0, 1, 0]);
        let s = stream(&[], &[rec(0x00E5, &d)]);
        assert_eq!(
            prescan(&s),
            Err(ReadError::Unreadable(
                "第 1 个工作表的合并单元格记录声明 5 个区域，实际只有 1 个（文件损坏）".into()
            ))
        );
    }

    #[test]
    fn absurd_dimensions_are_refused() {
        let mut d = 0u32.to_le_bytes().to_vec();
        d.extend(u32::MAX.to_le_bytes());
        d.extend([0, 0, 0xFF, 0, 0, 0]);
        let s = stream(&[], &[rec(0x0200, &d)]);
        assert!(matches!(prescan(&s), Err(ReadError::Unreadable(m)) if m.contains("DIMENSIONS")));
    }

    #[test]
    fn sheet_offset_outside_the_stream_is_refused() {
        let mut bound = 1_000_000u32.to_le_bytes().to_vec();
        bound.extend([0, 0, 1, 0]);
        let s = [rec(0x0809, &[0; 16]), rec(0x0085, &bound), rec(0x000A, &[])].concat();
        assert!(
            matches!(prescan(&s), Err(ReadError::Unreadable(m)) if m.contains("超出 Workbook 流"))
        );
    }

    #[test]
    fn corrupted_streams_never_panic_the_prescan() {
        let mut seed = 3u64;
        let mut next = |bound: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % bound.max(1)
        };
        let colinfo = rec(0x007D, &[1, 0, 2, 0, 0x00, 0x14, 0, 0, 0, 0, 0, 0]);
        let mut d = 2u16.to_le_bytes().to_vec();
        d.extend([0, 0, 1, 0, 0, 0, 1, 0, 2, 0, 3, 0, 2, 0, 3, 0]);
        let good = stream(
            &[sst(&["abc", "defg"])],
            &[
                label_sst(0, 0),
                label_sst(3, 2),
                colinfo,
                rec(0x00E5, &d),
                rec(0x0200, &[0; 14]),
            ],
        );
        for _ in 0..2_000 {
            let mut s = good.clone();
            for _ in 0..1 + next(6) {
                let at = next(s.len());
                s[at] = next(256) as u8;
            }
            s.truncate(s.len() - next(s.len() / 4));
            let _ = prescan(&s);
        }
    }
}

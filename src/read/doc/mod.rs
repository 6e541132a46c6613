//! Word 97–2003 binary documents (.doc, .dot, and WPS `.wps` files saved in
//! the Word binary format), read from the [MS-DOC] structures on top of `cfb`:
//! FIB → piece table → character stream → stories → blocks.
//!
//! What is read: the main story (paragraphs with their list numbers, table
//! cells with spans, picture markers), the text-box story (one block per
//! text box, placed on the page from its shape's anchor and group; anchors
//! relative to a paragraph hang from that paragraph's estimated top, see
//! `vpos`), WordArt and floating pictures. Headers, footers, footnotes, endnotes and comments
//! are page furniture and are skipped; deleted revisions and hidden text are
//! not read. Word 6/95 files give their text (8-bit, in the document's code
//! page) without tables or geometry.

mod bytes;
mod chpx;
mod drawing;
mod fib;
mod lists;
mod papx;
mod pieces;
mod sections;
mod story;
mod styles;
mod tables;
mod vpos;

use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::{Limits, ReadError};
use crate::document::{Block, BlockKind, Document, ReadIssue};
use bytes::{Plc, slice, u16_at};
use fib::{FcLcb, Fib, FibError};
use pieces::CharStream;

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let streams = open_streams(bytes, limits)?;
    let wd = &streams.word_document;
    let fib = fib::parse(wd).map_err(|e| match e {
        FibError::TooShort => {
            ReadError::Unreadable("WordDocument 流太短，文件信息块（FIB）不完整".into())
        }
        FibError::NotWord(id) => {
            ReadError::Unreadable(format!("WordDocument 流不是 Word 文档（标识 0x{id:04X}）"))
        }
        FibError::TooOld(n) => ReadError::Unsupported(format!(
            "Word 6.0 之前的文档格式（nFib = {n}），请另存为 .docx"
        )),
    })?;
    if fib.encrypted {
        let how = if fib.obfuscated {
            "XOR 混淆"
        } else {
            "RC4 加密"
        };
        return Err(ReadError::Encrypted(format!(
            "Word 文档设有打开密码（{how}），需先解除密码"
        )));
    }
    let mut doc = Document::default();
    let mut issue = |message: String| {
        doc.issues.push(ReadIssue {
            code: "source.unreadable".into(),
            message,
            origin: "WordDocument".into(),
        })
    };
    if streams.truncated {
        issue("文件不完整（被截断），缺失部分按空白读取".into());
    }
    let stories = story::stories(&fib.ccp);
    let table: &[u8] = if fib.legacy {
        // Word 6/95 keep their tables inside WordDocument.
        wd
    } else {
        let name = if fib.table_1 { "1Table" } else { "0Table" };
        streams
            .table(name)
            .ok_or_else(|| ReadError::Unreadable(format!("缺少表流 {name}")))?
    };
    let mut chars = char_stream(wd, table, &fib, stories.end, &mut issue)?;
    if chars.len() < stories.main.end {
        issue(format!(
            "正文长度（{} 字符）超出片段表（{} 字符），只读取了已有部分",
            stories.main.end,
            chars.len()
        ));
    }

    // Word 6/95 properties use another sprm encoding: their text is read as is.
    let (char_runs, para_runs) = if fib.legacy {
        (None, None)
    } else {
        let char_runs = char_runs(wd, table, &fib, &mut issue);
        if let Some(runs) = &char_runs {
            hide_invisible(&mut chars, runs);
        }
        (char_runs, para_runs(wd, table, &fib, &mut issue))
    };
    let chars = chars;
    let mut main_segs = story::segments(chars.range(stories.main.start, stories.main.end), 0, 0);
    let props_at = |cp: u32| match (&para_runs, chars.fc_of(cp)) {
        (Some(runs), Some(fc)) => runs.at(fc),
        _ => papx::ParaProps::default(),
    };
    if para_runs.is_some() {
        story::apply_page_breaks_before(&mut main_segs, &|cp| props_at(cp).page_break_before);
    }
    let props: Option<&dyn Fn(u32) -> papx::ParaProps> = if para_runs.is_some() {
        Some(&props_at)
    } else {
        None
    };
    let lists = if fib.legacy {
        lists::Lists::default()
    } else {
        // The LVLs follow the PlfLst outside its stated length, and the
        // LFOData follow the PlfLfo: read both to the end of the stream.
        let from = |at: FcLcb| match at.lcb {
            0 => &[][..],
            _ => table.get(at.fc as usize..).unwrap_or(&[]),
        };
        lists::Lists::read(from(fib.plf_lst), from(fib.plf_lfo))
    };
    let texts = render(&main_segs, &chars, props, &mut lists::Numberer::new(&lists));
    let defs = para_runs.as_ref().map(|r| r.row_defs()).unwrap_or(&[]);
    doc.blocks = tables::blocks(&main_segs, &texts, props, defs);

    let drawing = if fib.legacy {
        drawing::Drawing::default()
    } else {
        let sections = sections::Sections::read(wd, table, &fib);
        let char_at = |cp: u32| match (&char_runs, chars.fc_of(cp)) {
            (Some(runs), Some(fc)) => runs.at(fc),
            _ => chpx::CharProps::default(),
        };
        let tops = match props {
            Some(props) => vpos::ParaTops::estimate(&vpos::Inputs {
                segs: &main_segs,
                texts: &main_segs
                    .iter()
                    .map(|s| chars.decode(&s.units))
                    .collect::<Vec<_>>(),
                props,
                run_hps: &|seg| run_hps(seg, &chars, &char_at),
                defs,
                sections: &sections,
            }),
            None => vpos::ParaTops::default(),
        };
        drawing::Drawing::read(table, &fib, &main_segs, &sections, &tops)
    };
    // WordArt (a chart's title, often): text on the page like a text box.
    for (spid, text, place) in &drawing.word_art {
        doc.blocks.push(Block {
            text: text.replace('\r', "\n"),
            kind: BlockKind::Shape,
            rect: place.rect,
            page: place.page,
            origin: format!("WordDocument#shape{spid}"),
        });
    }
    // Floating pictures: nothing to read, but a chart that is only a picture must show.
    for &(spid, place) in &drawing.pictures {
        doc.blocks.push(Block {
            text: String::new(),
            kind: BlockKind::Image,
            rect: place.rect,
            page: place.page,
            origin: format!("WordDocument#shape{spid}"),
        });
    }
    // Text boxes count their own list items, continuing from box to box.
    let mut box_numbers = lists::Numberer::new(&lists);
    let boxes = text_boxes(
        &chars,
        &stories,
        table,
        &fib,
        &drawing,
        &mut |segs| render(segs, &chars, props, &mut box_numbers),
        &mut doc.issues,
    );
    doc.blocks.extend(boxes);
    if fib.legacy {
        doc.encoding = Some(pieces::legacy_encoding(fib.lid).name().to_string());
    }
    Ok(doc)
}

/// Each segment's text, with its list label in front when it starts a
/// numbered paragraph.
fn render(
    segs: &[story::Segment],
    chars: &CharStream,
    props: Option<&dyn Fn(u32) -> papx::ParaProps>,
    numbers: &mut lists::Numberer,
) -> Vec<String> {
    let marks = story::paragraph_marks(segs);
    let mut prev = story::Mark::Para;
    let mut out = Vec::with_capacity(segs.len());
    for (seg, mark) in segs.iter().zip(marks) {
        let mut text = chars.decode(&seg.units);
        if let (Some(props), true) = (props, prev != story::Mark::Break) {
            let p = props(mark);
            if let Some(label) = numbers.next(p.ilfo, p.ilvl) {
                text.insert_str(0, &label);
            }
        }
        prev = seg.mark;
        out.push(text);
    }
    out
}

/// Paragraph properties tell table cells from body text; without them the
/// cell marks alone are used.
fn para_runs(
    wd: &[u8],
    table: &[u8],
    fib: &Fib,
    issue: &mut dyn FnMut(String),
) -> Option<papx::ParaRuns> {
    let styles = styles::Styles::read(fc_lcb(table, fib.stshf).unwrap_or(&[]));
    match fc_lcb(table, fib.plcf_bte_papx).map(|b| papx::ParaRuns::read(wd, b, &styles)) {
        Some(Ok(runs)) if !runs.is_empty() => Some(runs),
        Some(Err(e)) => {
            issue(format!("段落属性不可读（{e}），表格结构按单元格标记推断"));
            None
        }
        _ => None,
    }
}

/// Character properties, when they can be read.
fn char_runs(
    wd: &[u8],
    table: &[u8],
    fib: &Fib,
    issue: &mut dyn FnMut(String),
) -> Option<chpx::CharRuns> {
    match fc_lcb(table, fib.plcf_bte_chpx).map(|b| chpx::CharRuns::read(wd, b)) {
        Some(Ok(runs)) if !runs.is_empty() => Some(runs),
        Some(Err(e)) => {
            issue(format!("字符属性不可读（{e}），修订删除的文字可能被读出"));
            None
        }
        _ => None,
    }
}

/// Deleted revisions and hidden text are not what the reader sees: blank them.
fn hide_invisible(chars: &mut CharStream, runs: &chpx::CharRuns) {
    let fcs: Vec<Option<u32>> = (0..chars.len()).map(|cp| chars.fc_of(cp)).collect();
    let props = |cp: u32| match fcs.get(cp as usize).copied().flatten() {
        Some(fc) => runs.at(fc),
        None => chpx::CharProps::default(),
    };
    chpx::mask(&mut chars.units, 0, &props);
}

/// The largest font size the runs of a segment state (for an empty one,
/// its paragraph mark's, which sets the height of an empty line).
fn run_hps(
    seg: &story::Segment,
    chars: &CharStream,
    char_at: &dyn Fn(u32) -> chpx::CharProps,
) -> Option<u16> {
    if seg.units.is_empty() {
        return char_at(seg.mark_cp).hps;
    }
    let units = chars.range(seg.start, seg.mark_cp);
    (seg.start..)
        .zip(units)
        .filter(|&(_, &u)| u >= 0x20)
        .filter_map(|(cp, _)| char_at(cp).hps)
        .max()
}

/// The streams this reader needs, read whole (capped).
struct Streams {
    word_document: Vec<u8>,
    tables: Vec<(String, Vec<u8>)>,
    /// The file was cut short and read zero-filled.
    truncated: bool,
}

impl Streams {
    fn table(&self, name: &str) -> Option<&[u8]> {
        self.tables
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, b)| b.as_slice())
    }
}

fn open_streams(bytes: &[u8], limits: &Limits) -> Result<Streams, ReadError> {
    match open_streams_in(bytes, limits) {
        Err(ReadError::Unreadable(msg)) if msg.contains("file has only") => {
            // A file cut short: its FAT lists more sectors than remain. Word
            // and POI read such files; zero-filling the missing sectors lets
            // cfb open it, and whatever was past the cut reads as empty.
            let Some(padded) = pad_to_fat(bytes) else {
                return Err(ReadError::Unreadable(msg));
            };
            let mut streams = open_streams_in(&padded, limits)?;
            streams.truncated = true;
            Ok(streams)
        }
        other => other,
    }
}

/// The file extended with zero sectors up to what its FAT covers (None when
/// that would be absurdly large).
fn pad_to_fat(bytes: &[u8]) -> Option<Vec<u8>> {
    let shift = u16_at(bytes, 0x1E)?;
    if !(9..=12).contains(&shift) {
        return None;
    }
    let sector = 1usize << shift;
    let fat_sectors = bytes::u32_at(bytes, 0x2C)? as usize;
    let want = fat_sectors
        .checked_mul(sector / 4)?
        .checked_add(1)?
        .checked_mul(sector)?;
    if want <= bytes.len() || want > bytes.len().saturating_mul(8).max(1 << 20) {
        return None;
    }
    let mut v = bytes.to_vec();
    v.resize(want, 0);
    Some(v)
}

fn open_streams_in(bytes: &[u8], limits: &Limits) -> Result<Streams, ReadError> {
    // A stream cannot hold more than the file, whatever its directory entry says.
    let cap = limits.max_part_bytes.min(bytes.len() as u64);
    // cfb trusts the sector tables; a hostile one must become an error, not a crash.
    let result = catch_unwind(AssertUnwindSafe(|| -> Result<Streams, ReadError> {
        let mut cf = cfb::CompoundFile::open(Cursor::new(bytes))
            .map_err(|e| ReadError::Unreadable(format!("复合文档结构损坏：{e}")))?;
        let mut read_stream = |name: &str| -> Result<Option<Vec<u8>>, ReadError> {
            if !cf.is_stream(name) {
                return Ok(None);
            }
            let mut s = cf
                .open_stream(name)
                .map_err(|e| ReadError::Unreadable(format!("无法打开流 {name}：{e}")))?;
            let mut buf = Vec::new();
            (&mut s)
                .take(cap)
                .read_to_end(&mut buf)
                .map_err(|e| ReadError::Unreadable(format!("无法读取流 {name}：{e}")))?;
            Ok(Some(buf))
        };
        let word_document = read_stream("/WordDocument")?
            .ok_or_else(|| ReadError::Unreadable("复合文档中没有 WordDocument 流".into()))?;
        let mut tables = Vec::new();
        for name in ["0Table", "1Table"] {
            // A damaged table stream we do not need must not stop the read.
            if let Ok(Some(b)) = read_stream(&format!("/{name}")) {
                tables.push((name.to_string(), b));
            }
        }
        Ok(Streams {
            word_document,
            tables,
            truncated: false,
        })
    }));
    match result {
        Ok(r) => r,
        Err(_) => Err(ReadError::Unreadable(
            "复合文档结构损坏（扇区表异常）".into(),
        )),
    }
}

/// The bytes of an (fc, lcb) structure in `stream`, if present and in range.
fn fc_lcb(stream: &[u8], at: FcLcb) -> Option<&[u8]> {
    if at.lcb == 0 {
        return None;
    }
    slice(stream, at.fc as usize, at.lcb as usize)
}

fn char_stream(
    wd: &[u8],
    table: &[u8],
    fib: &Fib,
    want: u32,
    issue: &mut dyn FnMut(String),
) -> Result<CharStream, ReadError> {
    let legacy = fib.legacy.then(|| pieces::legacy_encoding(fib.lid));
    let (chars, problems) = if fib.legacy && !fib.complex {
        CharStream::single_piece(
            wd,
            fib.fc_min,
            want,
            legacy.unwrap_or(encoding_rs::WINDOWS_1252),
        )
    } else {
        let clx = fc_lcb(table, fib.clx)
            .ok_or_else(|| ReadError::Unreadable("片段表（CLX）缺失或超出表流范围".into()))?;
        let pieces = pieces::parse_clx(clx, fib.legacy).map_err(ReadError::Unreadable)?;
        pieces::build(wd, pieces, want, legacy)
    };
    if chars.len() == 0 && !problems.is_empty() {
        return Err(ReadError::Unreadable(problems.join("；")));
    }
    for p in problems {
        issue(p);
    }
    Ok(chars)
}

/// One block per text box of the main document's text-box story.
fn text_boxes(
    chars: &CharStream,
    stories: &story::Stories,
    table: &[u8],
    fib: &Fib,
    drawing: &drawing::Drawing,
    render: &mut dyn FnMut(&[story::Segment]) -> Vec<String>,
    issues: &mut Vec<ReadIssue>,
) -> Vec<Block> {
    let txbx = &stories.txbx;
    if txbx.is_empty() {
        return Vec::new();
    }
    let plc = fc_lcb(table, fib.plcf_txbx_txt).and_then(|b| Plc::new(b, 22));
    let mut out = Vec::new();
    let Some(plc) = plc else {
        // No box boundaries: keep the text, one block per paragraph, in story order.
        issues.push(ReadIssue {
            code: "source.unreadable".into(),
            message: "文本框边界表（PlcftxbxTxt）缺失，文本框文字按段落拆分".into(),
            origin: "WordDocument#txbx".into(),
        });
        let segs = story::segments(chars.range(txbx.start, txbx.end), txbx.start, 0);
        for (seg, text) in segs.iter().zip(render(&segs)) {
            if !text.trim().is_empty() {
                out.push(Block {
                    text,
                    kind: BlockKind::TextBox,
                    rect: None,
                    page: 0,
                    origin: format!("WordDocument#cp{}", seg.start),
                });
            }
        }
        return out;
    };
    // The shape of the previous box when that box had no text: a text
    // frame may have been laid over it.
    let mut empty_before: Option<u32> = None;
    // The last entry is a spare, never a real box.
    for i in 0..plc.count.saturating_sub(1) {
        let data = plc.data(i);
        let host = empty_before.take();
        if u16_at(data, 8).unwrap_or(0) & 1 != 0 {
            continue; // reusable slot: a deleted box
        }
        let start = txbx.start.saturating_add(plc.pos(i)).min(txbx.end);
        let end = txbx.start.saturating_add(plc.pos(i + 1)).min(txbx.end);
        let segs = story::segments(chars.range(start, end), start, 0);
        let text = render(&segs).join("\n").trim_matches('\n').to_string();
        let lid = bytes::u32_at(data, 14).unwrap_or(0);
        if text.trim().is_empty() {
            empty_before = Some(lid);
            continue;
        }
        let place = host
            .and_then(|host| drawing.frame_host(host, lid))
            .or_else(|| drawing.text_box((i + 1) as u32, lid));
        out.push(Block {
            text,
            kind: BlockKind::TextBox,
            rect: place.and_then(|p| p.rect),
            page: place.map(|p| p.page).unwrap_or(0),
            origin: format!("WordDocument#txbx{}", i + 1),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A compound file holding `WordDocument` (FIB, then UTF-16 text at
    /// 0x400) and `1Table` (CLX, then an optional PlcftxbxTxt).
    fn build_doc(text: &str, ccp_text: u32, txbx: Option<&[u32]>, flags: u16) -> Vec<u8> {
        let units: Vec<u16> = text.encode_utf16().collect();
        let n = units.len() as u32;
        let clx = pieces::tests::clx(&[(0, n, 0x400)]);
        let mut table = clx.clone();
        let mut pairs = vec![(33usize, (0u32, clx.len() as u32))];
        let mut ccp_txbx = 0;
        if let Some(cps) = txbx {
            let at = table.len() as u32;
            for cp in cps {
                table.extend_from_slice(&cp.to_le_bytes());
            }
            for i in 0..cps.len() - 1 {
                let mut f = [0u8; 22];
                // The last FTXBXS is the spare slot.
                if i == cps.len() - 2 {
                    f[8] = 1;
                }
                table.extend_from_slice(&f);
            }
            pairs.push((fib::tests::TXBX_PAIR, (at, table.len() as u32 - at)));
            ccp_txbx = *cps.last().unwrap();
        }
        let mut wd = fib::tests::fib97_with(ccp_text, ccp_txbx, flags | 0x0200, &pairs);
        wd.resize(0x400, 0);
        for u in units {
            wd.extend_from_slice(&u.to_le_bytes());
        }
        // Above the mini-stream cutoff, so cfb stores it in regular sectors.
        wd.resize(wd.len().max(5000), 0);
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        cf.create_stream("/WordDocument")
            .unwrap()
            .write_all(&wd)
            .unwrap();
        cf.create_stream("/1Table")
            .unwrap()
            .write_all(&table)
            .unwrap();
        cf.flush().unwrap();
        cf.into_inner().into_inner()
    }

    fn summary(d: &Document) -> Vec<(BlockKind, String, String)> {
        d.blocks
            .iter()
            .map(|b| (b.kind.clone(), b.origin.clone(), b.text.clone()))
            .collect()
    }

    #[test]
    fn main_text_and_text_boxes() {
        // Main story: 8 characters; text-box story: two boxes and the spare's range.
        let text = "标题\r甲\x07乙\x07\x07框一\r第二行\r框二\r\r";
        let bytes = build_doc(text, 8, Some(&[0, 7, 10, 11]), 0);
        let d = read(&bytes, &Limits::default()).unwrap();
        let cell = |col| BlockKind::Cell {
            table: 0,
            row: 0,
            col,
            row_span: 1,
            col_span: 1,
        };
        assert_eq!(
            summary(&d),
            [
                (
                    BlockKind::Paragraph,
                    "WordDocument#cp0".into(),
                    "标题".into()
                ),
                (cell(0), "WordDocument#cp3".into(), "甲".into()),
                (cell(1), "WordDocument#cp5".into(), "乙".into()),
                (
                    BlockKind::TextBox,
                    "WordDocument#txbx1".into(),
                    "框一\n第二行".into()
                ),
                (
                    BlockKind::TextBox,
                    "WordDocument#txbx2".into(),
                    "框二".into()
                ),
            ]
        );
        assert!(d.issues.is_empty());
    }

    #[test]
    fn encrypted_flag_is_refused() {
        let bytes = build_doc("x\r", 2, None, 0x0100);
        assert!(matches!(
            read(&bytes, &Limits::default()),
            Err(ReadError::Encrypted(_))
        ));
    }

    #[test]
    fn absurd_story_length_keeps_what_exists() {
        let bytes = build_doc("正文\r", 0x7FFF_FFFF, None, 0);
        let d = read(&bytes, &Limits::default()).unwrap();
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(d.blocks[0].text, "正文");
        assert_eq!(d.issues.len(), 1);
    }

    #[test]
    fn not_a_compound_file_or_no_word_stream() {
        assert!(matches!(
            read(b"\xD0\xCF\x11\xE0garbage", &Limits::default()),
            Err(ReadError::Unreadable(_))
        ));
        assert_eq!(read(b"", &Limits::default()), Err(ReadError::Empty));
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        cf.create_stream("/Other").unwrap().write_all(b"x").unwrap();
        cf.flush().unwrap();
        let bytes = cf.into_inner().into_inner();
        assert!(matches!(
            read(&bytes, &Limits::default()),
            Err(ReadError::Unreadable(_))
        ));
    }

    #[test]
    fn every_truncation_is_handled() {
        let bytes = build_doc(
            "标题\r甲\x07乙\x07\x07框一\r框二\r\r",
            8,
            Some(&[0, 3, 6, 7]),
            0,
        );
        for len in (0..bytes.len()).step_by(13) {
            let _ = read(&bytes[..len], &Limits::default());
        }
        // Corrupt single bytes of the header and the FIB area.
        for at in (0..bytes.len()).step_by(7) {
            let mut b = bytes.clone();
            b[at] ^= 0xFF;
            let _ = read(&b, &Limits::default());
        }
    }
}

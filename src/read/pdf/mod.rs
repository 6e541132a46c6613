//! PDF reader: every page's content stream interpreted into glyphs, rules,
//! boxes and images (`content.rs`, fonts in `fonts.rs`/`cmap.rs`), then
//! grouped into positioned blocks (`group.rs`) in EMU, one page per page.
//!
//! Objects, cross-reference tables and streams, object streams, repair of a
//! broken xref by scanning and decryption with the empty user password are
//! lopdf's (`objects.rs`); everything from the content streams on is ours.

mod cid2unicode;
mod cmap;
mod content;
mod encoding;
mod fonts;
mod group;
mod lexer;
mod objects;

use super::{Limits, ReadError};
use crate::document::{BlockKind, Document, ReadIssue};
use content::{Budget, FontCache, Interpreter, Matrix};
use lopdf::Object;
use objects::{OpenError, dict, inherited, numbers};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Most pages read from one file.
const MAX_PAGES: usize = 5_000;

pub fn read(bytes: &[u8], _limits: &Limits) -> Result<Document, ReadError> {
    // lopdf is third-party code fed hostile bytes: a panic in it becomes an
    // error for this file, not a lost batch.
    catch_unwind(AssertUnwindSafe(|| read_inner(bytes))).unwrap_or_else(|_| {
        Err(ReadError::Unreadable(
            "PDF 结构损坏，读取时出错（内部错误）".into(),
        ))
    })
}

/// Page geometry: user space → page points (top-left origin, y down),
/// honouring the crop box and `/Rotate`.
fn base_matrix(doc: &lopdf::Document, page: &lopdf::Dictionary) -> Matrix {
    let bx = inherited(doc, page, b"CropBox")
        .or_else(|| inherited(doc, page, b"MediaBox"))
        .map(|o| numbers(doc, o))
        .filter(|v| v.len() == 4)
        .unwrap_or_else(|| vec![0.0, 0.0, 612.0, 792.0]);
    let (x0, x1) = (bx[0].min(bx[2]), bx[0].max(bx[2]));
    let (y0, y1) = (bx[1].min(bx[3]), bx[1].max(bx[3]));
    let rotate = inherited(doc, page, b"Rotate")
        .and_then(objects::num)
        .map_or(0, |r| (r as i64).rem_euclid(360));
    match rotate {
        90 => Matrix::new([0.0, 1.0, 1.0, 0.0, -y0, -x0]),
        180 => Matrix::new([-1.0, 0.0, 0.0, 1.0, x1, -y0]),
        270 => Matrix::new([0.0, -1.0, -1.0, 0.0, y1, x1]),
        _ => Matrix::new([1.0, 0.0, 0.0, -1.0, -x0, y1]),
    }
}

fn read_inner(bytes: &[u8]) -> Result<Document, ReadError> {
    let doc = objects::open(bytes).map_err(|e| match e {
        OpenError::Encrypted => ReadError::Encrypted("PDF 设有打开密码，需先解除密码".into()),
        OpenError::Broken(m) => ReadError::Unreadable(format!("PDF 结构损坏：{m}")),
    })?;
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(ReadError::Unreadable("PDF 中没有可读的页面".into()));
    }
    let mut out = Document::default();
    let mut fonts = FontCache::default();
    let mut budget = Budget::default();
    let mut carry = group::Carry::default();
    let mut unmapped: std::collections::BTreeMap<String, usize> = Default::default();
    let (mut text_pages, mut image_pages) = (0, 0);
    for (index, (_, &page_id)) in pages.iter().enumerate().take(MAX_PAGES) {
        let page_no = index as u32;
        let Some(page) = doc.get_object(page_id).ok().and_then(|o| dict(&doc, o)) else {
            out.issues.push(ReadIssue {
                code: "source.unreadable".into(),
                message: format!("第 {} 页的页面对象损坏，未读取", page_no + 1),
                origin: format!("page {}", page_no + 1),
            });
            continue;
        };
        let (content, undecodable) = page_content(&doc, page);
        if undecodable > 0 {
            out.issues.push(ReadIssue {
                code: "source.unreadable".into(),
                message: format!(
                    "第 {} 页有 {undecodable} 个内容流无法解码（损坏或未能解密），其中的内容未读取",
                    page_no + 1
                ),
                origin: format!("page {}", page_no + 1),
            });
        }
        let resources = inherited(&doc, page, b"Resources").and_then(|o| dict(&doc, o));
        let drawn = Interpreter::new(&doc, &mut fonts, &mut budget).run_page(
            &content,
            resources,
            base_matrix(&doc, page),
        );
        for (font, n) in &drawn.unmapped {
            *unmapped.entry(font.clone()).or_default() += n;
        }
        let blocks = group::blocks(drawn, page_no, &mut carry);
        let has_text = blocks.iter().any(|b| !b.text.trim().is_empty());
        if has_text {
            text_pages += 1;
        } else if blocks.iter().any(|b| b.kind == BlockKind::Image) {
            image_pages += 1;
        }
        out.blocks.extend(blocks);
        if budget.exhausted {
            out.issues.push(ReadIssue {
                code: "source.unreadable".into(),
                message: format!(
                    "PDF 内容过于庞大，第 {} 页起未读取（超出处理上限）",
                    page_no + 1
                ),
                origin: format!("page {}", page_no + 1),
            });
            break;
        }
    }
    if pages.len() > MAX_PAGES {
        out.issues.push(ReadIssue {
            code: "source.unreadable".into(),
            message: format!("PDF 共 {} 页，只读取了前 {MAX_PAGES} 页", pages.len()),
            origin: format!("page {}", MAX_PAGES + 1),
        });
    }
    for (font, n) in unmapped {
        out.issues.push(ReadIssue {
            code: "source.unreadable".into(),
            message: format!(
                "字体 {font} 没有可用的字符映射（ToUnicode），{n} 个字符无法转换为文字"
            ),
            origin: format!("font {font}"),
        });
    }
    if text_pages == 0 && image_pages > 0 {
        out.issues.push(ReadIssue {
            code: "source.image_only".into(),
            message: "PDF 的每一页都是图片（扫描件），没有可读取的文字；需先做文字识别（OCR）"
                .into(),
            origin: "page 1".into(),
        });
    }
    Ok(out)
}

/// A page's content: one stream or an array of streams, decoded and joined;
/// and how many streams held bytes but decoded to nothing.
fn page_content(doc: &lopdf::Document, page: &lopdf::Dictionary) -> (Vec<u8>, usize) {
    let Ok(contents) = page.get(b"Contents") else {
        return (Vec::new(), 0);
    };
    let parts: Vec<&Object> = match objects::resolve(doc, contents) {
        Some(Object::Array(a)) => a.iter().collect(),
        Some(_) => vec![contents],
        None => Vec::new(),
    };
    let mut data = Vec::new();
    let mut undecodable = 0;
    for p in parts.into_iter().take(10_000) {
        let raw =
            matches!(objects::resolve(doc, p), Some(Object::Stream(s)) if !s.content.is_empty());
        let decoded = objects::stream_data(doc, p).filter(|d| !d.is_empty());
        if raw && decoded.is_none() {
            undecodable += 1;
        }
        if let Some(d) = decoded {
            if data.len() + d.len() > objects::MAX_STREAM {
                break;
            }
            data.extend_from_slice(&d);
            // Streams split mid-token are joined by white space.
            data.push(b'\n');
        }
    }
    (data, undecodable)
}

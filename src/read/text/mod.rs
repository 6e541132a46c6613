//! Plain-text and HTML files: detect the encoding (`decode`), then one
//! Paragraph block per non-blank line (text) or per rendered line and table
//! cell (HTML). Nothing is filtered here: noise lines are the layout stage's job.

mod decode;
mod entities;
mod html;
mod tokenizer;

pub use decode::{decode, decode_borrowed, decode_html, looks_like_utf16};

use super::{Format, Limits, ReadError};
use crate::document::{Block, BlockKind, Document};

/// Read a `.txt` or `.html` file's bytes.
pub fn read(format: Format, bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    let (text, encoding) = match format {
        Format::Txt => decode(bytes),
        Format::Html => decode_html(bytes),
        other => {
            return Err(ReadError::Unsupported(format!(
                "文本读取器不处理 {} 格式",
                other.as_str()
            )));
        }
    };
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    let text = normalize_newlines(&text);
    let mut document = match format {
        Format::Html => html::read_html(&text, limits),
        _ => text_blocks(&text),
    };
    document.encoding = Some(encoding.to_string());
    Ok(document)
}

/// Read HTML already decoded by its container (a web archive's part, whose
/// MIME charset decides the encoding); `encoding` is recorded as detected.
pub fn read_decoded_html(
    text: &str,
    encoding: &str,
    limits: &Limits,
) -> Result<Document, ReadError> {
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    let mut document = html::read_html(&normalize_newlines(text), limits);
    document.encoding = Some(encoding.to_string());
    Ok(document)
}

/// CRLF and lone CR become LF, so that line numbers mean the same everywhere.
fn normalize_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// One Paragraph per non-blank line: trailing whitespace trimmed, leading and
/// inner spaces kept (`申    请`); a form feed starts the next page.
fn text_blocks(text: &str) -> Document {
    let mut blocks = Vec::new();
    let mut page = 0u32;
    for (number, line) in text.split('\n').enumerate() {
        for (i, piece) in line.split('\x0c').enumerate() {
            if i > 0 {
                page = page.saturating_add(1);
            }
            let piece = piece.trim_end();
            if piece.trim_start().is_empty() {
                continue;
            }
            blocks.push(Block {
                text: piece.to_string(),
                kind: BlockKind::Paragraph,
                rect: None,
                page,
                origin: format!("line {}", number + 1),
            });
        }
    }
    Document {
        blocks,
        encoding: None,
        issues: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(doc: &Document) -> Vec<(&str, u32, &str)> {
        doc.blocks
            .iter()
            .map(|b| (b.text.as_str(), b.page, b.origin.as_str()))
            .collect()
    }

    #[test]
    fn lines_pages_and_spaces() {
        let src = "风险点1（B级）  ①计划拟制\r\n\r\n申    请   \r\x0c第二页\n  缩进\x0c\n";
        let doc = read(Format::Txt, src.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(doc.encoding.as_deref(), Some("UTF-8"));
        assert_eq!(
            texts(&doc),
            vec![
                ("风险点1（B级）  ①计划拟制", 0, "line 1"),
                ("申    请", 0, "line 3"),
                ("第二页", 1, "line 4"),
                ("  缩进", 1, "line 5"),
            ]
        );
    }

    #[test]
    fn whitespace_only_is_empty() {
        let limits = Limits::default();
        assert_eq!(
            read(Format::Txt, b" \r\n\t\x0c", &limits),
            Err(ReadError::Empty)
        );
        assert_eq!(
            read(Format::Html, b"\xEF\xBB\xBF \n", &limits),
            Err(ReadError::Empty)
        );
    }
}

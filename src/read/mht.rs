//! MIME web archives (.mht, .mhtml: "web page, single file" from Word, IE
//! and WPS): the HTML part is found, its transfer encoding undone
//! (quoted-printable or base64) and its text decoded by the part's MIME
//! charset (GBK, UTF-8 …), then read by the HTML reader. Pictures and style
//! sheets in the other parts carry no text.

use super::{Limits, ReadError};
use crate::document::Document;
use encoding_rs::Encoding;

/// Parts looked at; a real page has a handful.
const MAX_PARTS: usize = 10_000;
/// Longest header block of one part.
const MAX_HEADER_BYTES: usize = 64 * 1024;

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    let (headers, body) = split_headers(bytes);
    let top = Headers::parse(headers);
    let part = match top.boundary() {
        Some(boundary) => {
            let parts = split_parts(body, boundary.as_bytes());
            if parts.is_empty() {
                return Err(ReadError::Unreadable(
                    "MHT 文件的 MIME 分隔符后没有任何部分".into(),
                ));
            }
            let parts: Vec<(Headers, &[u8])> = parts
                .into_iter()
                .map(|p| {
                    let (h, b) = split_headers(p);
                    (Headers::parse(h), b)
                })
                .collect();
            // The root part named by `start`, else the first HTML part.
            let start = top
                .param("start")
                .map(|s| s.trim_matches(['<', '>']).to_string());
            let pick = start
                .as_ref()
                .and_then(|id| {
                    parts.iter().position(|(h, _)| {
                        h.get("content-id")
                            .is_some_and(|c| c.trim().trim_matches(['<', '>']) == id)
                    })
                })
                .or_else(|| {
                    parts
                        .iter()
                        .position(|(h, _)| h.media_type() == "text/html")
                })
                .ok_or_else(|| ReadError::Unreadable("MHT 文件中没有 HTML 部分".into()))?;
            parts.into_iter().nth(pick).expect("index from position")
        }
        None if top.media_type() == "text/html" => (top, body),
        None => {
            return Err(ReadError::Unreadable(format!(
                "MHT 文件的内容类型为 {}，不是网页",
                top.media_type()
            )));
        }
    };
    let (headers, raw) = part;
    let data = match headers
        .get("content-transfer-encoding")
        .map(|v| v.trim().to_ascii_lowercase())
        .as_deref()
    {
        Some("quoted-printable") => quoted_printable(raw),
        Some("base64") => base64(raw),
        _ => raw.to_vec(),
    };
    let declared = headers
        .param("charset")
        .and_then(|c| Encoding::for_label(c.trim().as_bytes()));
    match declared {
        Some(enc) => {
            let (text, used, _) = enc.decode(&data);
            super::text::read_decoded_html(&text, used.name(), limits)
        }
        // No MIME charset: the HTML reader's own detection (meta, BOM, guess).
        None => super::text::read(super::Format::Html, &data, limits),
    }
}

/// Header block and body: split at the first blank line.
fn split_headers(bytes: &[u8]) -> (&[u8], &[u8]) {
    let limit = bytes.len().min(MAX_HEADER_BYTES);
    let mut i = 0;
    while i < limit {
        if bytes[i..].starts_with(b"\r\n\r\n") {
            return (&bytes[..i], &bytes[i + 4..]);
        }
        if bytes[i..].starts_with(b"\n\n") {
            return (&bytes[..i], &bytes[i + 2..]);
        }
        i += 1;
    }
    (&bytes[..limit], &bytes[limit..])
}

/// The parts between `--boundary` lines, up to the closing `--boundary--`.
fn split_parts<'a>(body: &'a [u8], boundary: &[u8]) -> Vec<&'a [u8]> {
    let mut delim = b"--".to_vec();
    delim.extend_from_slice(boundary);
    let mut starts = Vec::new();
    let mut i = 0;
    while let Some(off) = find(&body[i..], &delim) {
        let at = i + off;
        // A delimiter begins a line.
        if at == 0 || body[at - 1] == b'\n' {
            starts.push(at);
            if starts.len() > MAX_PARTS {
                break;
            }
        }
        i = at + delim.len();
    }
    let mut parts = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let after = &body[s + delim.len()..];
        if after.starts_with(b"--") {
            break;
        }
        // Skip the rest of the delimiter line.
        let line_end = after
            .iter()
            .position(|&b| b == b'\n')
            .map_or(after.len(), |p| p + 1);
        let begin = s + delim.len() + line_end;
        let end = starts.get(k + 1).copied().unwrap_or(body.len()).max(begin);
        let mut part = &body[begin..end];
        // The line break before the next delimiter belongs to it.
        part = part.strip_suffix(b"\n").unwrap_or(part);
        part = part.strip_suffix(b"\r").unwrap_or(part);
        parts.push(part);
    }
    parts
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Header fields by lower-case name, folded lines joined.
struct Headers(Vec<(String, String)>);

impl Headers {
    fn parse(block: &[u8]) -> Headers {
        let text = String::from_utf8_lossy(block);
        let mut out: Vec<(String, String)> = Vec::new();
        for line in text.split('\n') {
            let line = line.trim_end_matches('\r');
            if line.starts_with([' ', '\t']) {
                if let Some((_, v)) = out.last_mut() {
                    v.push(' ');
                    v.push_str(line.trim());
                }
            } else if let Some((k, v)) = line.split_once(':') {
                out.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        Headers(out)
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `text/html` from `Content-Type: text/html; charset="gb2312"`.
    fn media_type(&self) -> String {
        self.get("content-type")
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .unwrap_or_else(|| "text/plain".into())
    }

    /// A `Content-Type` parameter (`boundary`, `charset`, `start`), unquoted.
    fn param(&self, name: &str) -> Option<String> {
        let v = self.get("content-type")?;
        v.split(';').skip(1).find_map(|p| {
            let (k, val) = p.split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| val.trim().trim_matches('"').to_string())
        })
    }

    fn boundary(&self) -> Option<String> {
        self.media_type()
            .starts_with("multipart/")
            .then(|| self.param("boundary"))
            .flatten()
            .filter(|b| !b.is_empty())
    }
}

/// Undo quoted-printable: `=XX` bytes and `=` soft line breaks.
fn quoted_printable(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if b != b'=' {
            out.push(b);
            i += 1;
            continue;
        }
        let rest = &raw[i + 1..];
        if rest.starts_with(b"\r\n") {
            i += 3;
        } else if rest.starts_with(b"\n") {
            i += 2;
        } else if let (Some(h), Some(l)) = (
            rest.first().and_then(|&c| hex(c)),
            rest.get(1).and_then(|&c| hex(c)),
        ) {
            out.push(h << 4 | l);
            i += 3;
        } else {
            // A stray `=` is kept as written.
            out.push(b);
            i += 1;
        }
    }
    out
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Standard base64, whitespace and anything outside the alphabet skipped;
/// decoding stops at padding.
fn base64(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    for &c in raw {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => continue,
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::BlockKind;

    fn texts(doc: &Document) -> Vec<String> {
        doc.blocks.iter().map(|b| b.text.clone()).collect()
    }

    #[test]
    fn decodes_transfer_encodings() {
        assert_eq!(quoted_printable(b"a=3D=\r\nb=C9=EA"), b"a=b\xC9\xEA");
        assert_eq!(quoted_printable(b"x=\ny=ZZ"), b"xy=ZZ");
        assert_eq!(base64(b"5Y+X\r\n55CG"), "受理".as_bytes());
        assert_eq!(base64(b"YQ=="), b"a");
    }

    #[test]
    fn quoted_printable_gbk_html_part() {
        // 申请 in GBK is C9 EA C7 EB.
        let mht = "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"----=_NextPart_01\"\r\n\r\n\
            This is a multi-part message.\r\n\r\n------=_NextPart_01\r\n\
            Content-Location: file:///C:/x.htm\r\nContent-Transfer-Encoding: quoted-printable\r\n\
            Content-Type: text/html; charset=\"gb2312\"\r\n\r\n\
            <html><body><p>=C9=EA=C7=EB</p><table><tr><td>=\r\n=CA=DC</td></tr></table></body></html>\r\n\
            ------=_NextPart_01\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n\
            ------=_NextPart_01--\r\n";
        let doc = read(mht.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(doc.encoding.as_deref(), Some("GBK"));
        assert_eq!(texts(&doc), ["申请", "\u{53d7}"]);
        assert!(matches!(doc.blocks[1].kind, BlockKind::Cell { .. }));
    }

    #[test]
    fn base64_utf8_part_chosen_by_start() {
        let html = base64_encode("<p>风险等级：高</p>".as_bytes());
        let mht = format!(
            "MIME-Version: 1.0\nContent-Type: multipart/related; boundary=b1; start=\"<main>\"\n\n\
             --b1\nContent-Type: text/html; charset=utf-8\nContent-ID: <other>\n\n<p>别的</p>\n\
             --b1\nContent-Type: text/html; charset=utf-8\nContent-ID: <main>\nContent-Transfer-Encoding: base64\n\n{html}\n--b1--\n"
        );
        let doc = read(mht.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(texts(&doc), ["风险等级：高"]);
        assert_eq!(doc.encoding.as_deref(), Some("UTF-8"));
    }

    #[test]
    fn hostile_archives_fail_cleanly() {
        let limits = Limits::default();
        let no_parts =
            b"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=zz\n\nno delimiter here";
        assert!(matches!(
            read(no_parts, &limits),
            Err(ReadError::Unreadable(_))
        ));
        let no_html = b"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=zz\n\n--zz\nContent-Type: image/png\n\nxx\n--zz--\n";
        assert!(
            matches!(read(no_html, &limits), Err(ReadError::Unreadable(m)) if m.contains("HTML"))
        );
        // A hundred thousand empty parts: capped, no blow-up.
        let mut many =
            b"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=q\n\n".to_vec();
        for _ in 0..100_000 {
            many.extend_from_slice(b"--q\n\n");
        }
        assert!(read(&many, &limits).is_err());
    }

    fn base64_encode(b: &[u8]) -> String {
        const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for ch in b.chunks(3) {
            let n = (ch[0] as u32) << 16
                | (*ch.get(1).unwrap_or(&0) as u32) << 8
                | *ch.get(2).unwrap_or(&0) as u32;
            for k in 0..4 {
                if k <= ch.len() {
                    out.push(T[(n >> (18 - 6 * k) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }
}

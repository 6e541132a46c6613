//! Format detection from the bytes, never from the file name.

use std::io::Cursor;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Format {
    Docx,
    Docm,
    Xlsx,
    Xlsm,
    Xlsb,
    Ods,
    Xls,
    Doc,
    Txt,
    Html,
    Rtf,
    Pdf,
    /// OpenDocument text (.odt, .ott).
    Odt,
    /// A MIME web archive (.mht, .mhtml) holding an HTML page.
    Mht,
    /// Word 2003 XML (`<w:wordDocument>`).
    WordXml,
    /// An OLE container holding `EncryptionInfo`: a password-protected OOXML file.
    EncryptedOoxml,
    Unknown,
}

impl Format {
    /// The `Source.format` string.
    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Docm => "docm",
            Format::Xlsx => "xlsx",
            Format::Xlsm => "xlsm",
            Format::Xlsb => "xlsb",
            Format::Ods => "ods",
            Format::Xls => "xls",
            Format::Doc => "doc",
            Format::Txt => "txt",
            Format::Html => "html",
            Format::Rtf => "rtf",
            Format::Pdf => "pdf",
            Format::Odt => "odt",
            Format::Mht => "mht",
            Format::WordXml => "wordml",
            Format::EncryptedOoxml => "ooxml-encrypted",
            Format::Unknown => "unknown",
        }
    }
}

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub fn sniff(bytes: &[u8]) -> Format {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(bytes);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return sniff_ole(bytes);
    }
    if bytes.starts_with(b"{\\rtf") {
        return Format::Rtf;
    }
    if bytes.starts_with(b"%PDF") {
        return Format::Pdf;
    }
    if let Some(f) = sniff_markup(bytes) {
        return f;
    }
    sniff_text(bytes)
}

fn sniff_zip(bytes: &[u8]) -> Format {
    let names: Vec<String> = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => z
            .file_names()
            .filter_map(|r| r.ok())
            .map(|s| s.to_string())
            .collect(),
        // A damaged zip: guess from the local headers so the right reader
        // can report what is wrong with it.
        Err(_) => {
            let head = &bytes[..bytes.len().min(1 << 20)];
            if contains(head, b"word/") {
                return Format::Docx;
            }
            if contains(head, b"xl/") {
                return Format::Xlsx;
            }
            return Format::Unknown;
        }
    };
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    let macro_ct = || {
        zip::ZipArchive::new(Cursor::new(bytes))
            .ok()
            .and_then(|mut z| {
                let f = z.by_name("[Content_Types].xml").ok()?;
                let mut buf = Vec::new();
                use std::io::Read;
                f.take(1 << 20).read_to_end(&mut buf).ok()?;
                Some(contains(&buf, b"macroEnabled"))
            })
            .unwrap_or(false)
    };
    if has("word/document.xml") || names.iter().any(|n| n.starts_with("word/")) {
        return if macro_ct() {
            Format::Docm
        } else {
            Format::Docx
        };
    }
    if has("xl/workbook.bin") {
        return Format::Xlsb;
    }
    if has("xl/workbook.xml") || names.iter().any(|n| n.starts_with("xl/")) {
        return if macro_ct() {
            Format::Xlsm
        } else {
            Format::Xlsx
        };
    }
    if has("mimetype")
        && let Ok(mut z) = zip::ZipArchive::new(Cursor::new(bytes))
        && let Ok(f) = z.by_name("mimetype")
    {
        let mut buf = Vec::new();
        use std::io::Read;
        if f.take(200).read_to_end(&mut buf).is_ok() {
            if contains(&buf, b"opendocument.spreadsheet") {
                return Format::Ods;
            }
            // Text documents and their templates (`opendocument.text-template`).
            if contains(&buf, b"opendocument.text") {
                return Format::Odt;
            }
        }
    }
    Format::Unknown
}

fn sniff_ole(bytes: &[u8]) -> Format {
    let Ok(cf) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        // A damaged compound file: the .doc reader gives the precise error.
        return Format::Doc;
    };
    let mut names = Vec::new();
    for e in cf.walk().take(10_000) {
        names.push(e.name().to_string());
    }
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    if has("EncryptionInfo") || has("EncryptedPackage") {
        Format::EncryptedOoxml
    } else if has("WordDocument") {
        Format::Doc
    } else if has("Workbook") || has("Book") {
        Format::Xls
    } else {
        Format::Unknown
    }
}

/// Text formats recognised by their opening: Word 2003 XML and MIME web
/// archives (both would otherwise pass for text or HTML).
fn sniff_markup(bytes: &[u8]) -> Option<Format> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let start = lower
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(lower.len());
    let lower = &lower[start..];
    if lower.starts_with(b"<?xml")
        && (contains(lower, b"<w:worddocument")
            || contains(lower, b"schemas.microsoft.com/office/word/2003/wordml"))
    {
        return Some(Format::WordXml);
    }
    if lower.starts_with(b"<?xml") {
        // Flat OpenDocument text (.fodt): one XML file, read like content.xml.
        if contains(lower, b"<office:document") && contains(lower, b"opendocument.text") {
            return Some(Format::Odt);
        }
        // Other XML is data, not a document (XHTML stays HTML).
        if !contains(lower, b"<html") {
            return Some(Format::Unknown);
        }
    }
    // A MIME message: the header block (up to the first blank line) names
    // its version and a related multipart or HTML body.
    let end = (0..lower.len())
        .find(|&i| lower[i..].starts_with(b"\n\n") || lower[i..].starts_with(b"\r\n\r\n"))
        .unwrap_or(lower.len());
    let headers = &lower[..end];
    if headers.starts_with(b"<") {
        return None;
    }
    if contains(headers, b"mime-version:")
        && (contains(headers, b"multipart/related") || contains(headers, b"text/html"))
    {
        return Some(Format::Mht);
    }
    None
}

fn sniff_text(bytes: &[u8]) -> Format {
    let head = &bytes[..bytes.len().min(4096)];
    // UTF-16 (with or without BOM) has many zero bytes; other binary has
    // zeros too, so look at the pattern: one in every two bytes.
    let zeros = head.iter().filter(|&&b| b == 0).count();
    let utf16 = head.starts_with(&[0xFF, 0xFE])
        || head.starts_with(&[0xFE, 0xFF])
        || super::text::looks_like_utf16(head);
    if !utf16 && zeros > 0 {
        return Format::Unknown;
    }
    // Control bytes other than tab/newline/formfeed mark binary data.
    if !utf16 {
        let ctrl = head
            .iter()
            .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
            .count();
        if ctrl * 20 > head.len().max(1) {
            return Format::Unknown;
        }
    }
    let lower: Vec<u8> = head
        .iter()
        .filter(|&&b| b != 0)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    for tag in [
        &b"<!doctype html"[..],
        b"<html",
        b"<head",
        b"<body",
        b"<meta ",
        b"<table",
        b"<div",
        b"<p>",
    ] {
        if contains(&lower, tag) {
            return Format::Html;
        }
    }
    Format::Txt
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_html() {
        assert_eq!(sniff("风险等级：高".as_bytes()), Format::Txt);
        assert_eq!(
            sniff(b"<!DOCTYPE html><html><body>x</body></html>"),
            Format::Html
        );
        assert_eq!(sniff(b"{\\rtf1 hello}"), Format::Rtf);
        let utf16: Vec<u8> = "风险点1（B级）abc"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(sniff(&utf16), Format::Txt);
        assert_eq!(sniff(&[0u8, 1, 2, 3, 0, 0, 7, 8, 9, 0]), Format::Unknown);
    }

    #[test]
    fn markup_formats() {
        let wordml = br#"<?xml version="1.0"?><?mso-application progid="Word.Document"?><w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"/>"#;
        assert_eq!(sniff(wordml), Format::WordXml);
        let fodt = br#"<?xml version="1.0"?><office:document office:mimetype="application/vnd.oasis.opendocument.text"/>"#;
        assert_eq!(sniff(fodt), Format::Odt);
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><config/>"), Format::Unknown);
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><html><body>x</body></html>"),
            Format::Html
        );
        let mht = b"From: <Saved by Windows Internet Explorer 8>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\tboundary=\"b\"\r\n\r\n--b\r\n";
        assert_eq!(sniff(mht), Format::Mht);
        // MIME headers after the first blank line are body text.
        assert_eq!(
            sniff(b"hello\n\nMIME-Version: 1.0\nContent-Type: text/html\n"),
            Format::Txt
        );
    }

    #[test]
    fn zip_by_parts() {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let o = zip::write::SimpleFileOptions::default();
            z.start_file("word/document.xml", o).unwrap();
            z.finish().unwrap();
        }
        assert_eq!(sniff(buf.get_ref()), Format::Docx);
    }
}

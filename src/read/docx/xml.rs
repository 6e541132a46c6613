//! A small pull layer over quick-xml for the docx parts.
//!
//! It gives every element a canonical name (`w:p`, `wp:anchor`, `v:shape` …)
//! resolved through the namespace declarations, so files that bind unusual
//! prefixes read the same; turns `<a/>` into a start and an end; resolves the
//! five predefined entities and character references (any other entity is
//! skipped: a DOCTYPE is never expanded or fetched); and caps nesting depth.

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

/// One element's start: canonical name and attributes by local name.
#[derive(Debug, Clone)]
pub struct Start {
    pub name: String,
    attrs: Vec<(String, String)>,
}

impl Start {
    /// Attribute value by local name (`w:val` → `val`), entities resolved.
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == local)
            .map(|(_, v)| v.as_str())
    }

    /// Integer attribute by local name.
    pub fn attr_i64(&self, local: &str) -> Option<i64> {
        self.attr(local).and_then(parse_i64)
    }
}

/// Parse an OOXML integer; tolerates a trailing unit-free decimal (`12.0`).
pub fn parse_i64(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(v) = s.parse::<i64>() {
        return Some(v);
    }
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && v.abs() < 9.0e15)
        .map(|v| v.round() as i64)
}

#[derive(Debug)]
pub enum Ev {
    Start(Start),
    End(String),
    Text(String),
    Eof,
}

/// Why the pass stopped early.
#[derive(Debug, Clone, PartialEq)]
pub enum Stop {
    /// Malformed or truncated XML.
    Malformed(String),
    /// Nesting deeper than the cap.
    TooDeep(usize),
}

pub struct Pull<'a> {
    reader: NsReader<&'a [u8]>,
    buf: Vec<u8>,
    /// End to deliver after an empty element's start.
    pending_end: Option<String>,
    /// Canonical names of the open elements, innermost last.
    open: Vec<String>,
    max_depth: usize,
    /// A root element has started (an empty part is malformed, not empty text).
    seen_root: bool,
}

impl<'a> Pull<'a> {
    pub fn new(bytes: &'a [u8], max_depth: usize) -> Self {
        let mut reader = NsReader::from_reader(bytes);
        let cfg = reader.config_mut();
        cfg.trim_text(false);
        cfg.check_end_names = true;
        cfg.expand_empty_elements = false;
        Pull {
            reader,
            buf: Vec::new(),
            pending_end: None,
            open: Vec::new(),
            max_depth,
            seen_root: false,
        }
    }

    /// Names of the open elements, outermost first.
    pub fn open(&self) -> &[String] {
        &self.open
    }

    /// The next event. After `Err` or `Ev::Eof` the caller must stop.
    pub fn next(&mut self) -> Result<Ev, Stop> {
        if let Some(name) = self.pending_end.take() {
            self.open.pop();
            return Ok(Ev::End(name));
        }
        loop {
            self.buf.clear();
            let (ns, event) = match self.reader.read_resolved_event_into(&mut self.buf) {
                Ok(x) => x,
                Err(e) => {
                    let pos = self.reader.error_position();
                    return Err(Stop::Malformed(format!("XML 在字节 {pos} 处损坏（{e}）")));
                }
            };
            match event {
                Event::Start(_) | Event::Empty(_) if self.open.len() >= self.max_depth => {
                    return Err(Stop::TooDeep(self.max_depth));
                }
                Event::Start(e) => {
                    self.seen_root = true;
                    let start = make_start(&ns, &e);
                    self.open.push(start.name.clone());
                    return Ok(Ev::Start(start));
                }
                Event::Empty(e) => {
                    self.seen_root = true;
                    let start = make_start(&ns, &e);
                    self.open.push(start.name.clone());
                    self.pending_end = Some(start.name.clone());
                    return Ok(Ev::Start(start));
                }
                Event::End(_) => {
                    // check_end_names guarantees the end matches the open start.
                    let name = self.open.pop().unwrap_or_default();
                    return Ok(Ev::End(name));
                }
                Event::Text(t) => {
                    let s = t.xml10_content();
                    if !s.is_empty() {
                        return Ok(Ev::Text(s.into_owned()));
                    }
                }
                Event::CData(t) => {
                    let s = t.xml10_content();
                    if !s.is_empty() {
                        return Ok(Ev::Text(s.into_owned()));
                    }
                }
                Event::GeneralRef(r) => {
                    let name = r.into_inner();
                    if let Some(c) = resolve_entity(&name) {
                        return Ok(Ev::Text(c.to_string()));
                    }
                    // Unknown entity: skipped, never expanded.
                }
                Event::Eof if !self.open.is_empty() => {
                    return Err(Stop::Malformed("XML 在文件末尾被截断".into()));
                }
                Event::Eof if !self.seen_root => {
                    return Err(Stop::Malformed("XML 为空或没有根元素".into()));
                }
                Event::Eof => return Ok(Ev::Eof),
                // DOCTYPE, comments, PIs, declarations carry no text for us.
                _ => {}
            }
        }
    }
}

fn make_start(ns: &ResolveResult, e: &BytesStart) -> Start {
    let local = e.local_name().as_ref().to_string();
    let prefix = match ns {
        ResolveResult::Bound(n) => canonical_prefix(n.0),
        _ => None,
    };
    let prefix = match prefix {
        Some(p) => p.to_string(),
        // Unbound or unknown namespace: keep the prefix as written.
        None => e
            .name()
            .prefix()
            .map(|p| p.as_ref().to_string())
            .unwrap_or_default(),
    };
    let mut attrs = Vec::new();
    let mut it = e.attributes();
    it.with_checks(false);
    for a in it.flatten() {
        let key = a.key.local_name().as_ref().to_string();
        attrs.push((key, unescape(&a.value)));
    }
    let word_2003 = matches!(ns, ResolveResult::Bound(n) if is_wordml_2003(n.0));
    let local = if word_2003 {
        super::wordml::rename(local, &mut attrs)
    } else {
        local
    };
    let name = if prefix.is_empty() {
        local
    } else {
        format!("{prefix}:{local}")
    };
    Start { name, attrs }
}

fn is_wordml_2003(uri: &str) -> bool {
    uri == "http://schemas.microsoft.com/office/word/2003/wordml"
}

/// Namespace URI → the prefix this reader uses for it.
fn canonical_prefix(uri: &str) -> Option<&'static str> {
    Some(match uri {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        | "http://purl.oclc.org/ooxml/wordprocessingml/main" => "w",
        "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
        | "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing" => "wp",
        "http://schemas.openxmlformats.org/drawingml/2006/main"
        | "http://purl.oclc.org/ooxml/drawingml/main" => "a",
        "http://schemas.openxmlformats.org/drawingml/2006/picture"
        | "http://purl.oclc.org/ooxml/drawingml/picture" => "pic",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingShape" => "wps",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" => "wpg",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" => "wpc",
        "http://schemas.openxmlformats.org/markup-compatibility/2006" => "mc",
        "urn:schemas-microsoft-com:vml" => "v",
        "urn:schemas-microsoft-com:office:office" => "o",
        // Word 2003 XML (`w:wordDocument`): read with the same element names,
        // the few that differ are renamed by `wordml::rename`.
        "http://schemas.microsoft.com/office/word/2003/wordml" => "w",
        "http://schemas.microsoft.com/office/word/2003/auxHint" => "wx",
        // OpenDocument (.odt content.xml and styles.xml).
        "urn:oasis:names:tc:opendocument:xmlns:office:1.0" => "office",
        "urn:oasis:names:tc:opendocument:xmlns:text:1.0" => "text",
        "urn:oasis:names:tc:opendocument:xmlns:table:1.0" => "table",
        "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" => "draw",
        "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" => "svg",
        "urn:oasis:names:tc:opendocument:xmlns:style:1.0" => "style",
        "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" => "fo",
        _ => return None,
    })
}

fn resolve_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            char::from_u32(code).filter(|&c| c != '\0')
        }
    }
}

/// Resolve `&…;` in an attribute value; unknown entities are dropped.
fn unescape(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find(';') {
            Some(j) if j <= 12 => {
                if let Some(c) = resolve_entity(&after[..j]) {
                    out.push(c);
                }
                rest = &after[j + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(xml: &str) -> Vec<String> {
        let mut p = Pull::new(xml.as_bytes(), 64);
        let mut out = Vec::new();
        loop {
            match p.next() {
                Ok(Ev::Start(s)) => out.push(format!("<{}>", s.name)),
                Ok(Ev::End(n)) => out.push(format!("</{n}>")),
                Ok(Ev::Text(t)) => out.push(t),
                Ok(Ev::Eof) => break,
                Err(e) => {
                    out.push(format!("{e:?}"));
                    break;
                }
            }
        }
        out
    }

    #[test]
    fn canonical_names_and_entities() {
        let xml = r#"<x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:t>a&amp;b&#x4E00;&bogus;</x:t><x:br/></x:document>"#;
        assert_eq!(
            collect(xml),
            [
                "<w:document>",
                "<w:t>",
                "a",
                "&",
                "b",
                "一",
                "</w:t>",
                "<w:br>",
                "</w:br>",
                "</w:document>"
            ]
        );
    }

    #[test]
    fn attribute_entities_resolved() {
        assert_eq!(unescape("a&lt;b&unknown;c&#49;"), "a<bc1");
        assert_eq!(unescape("R&D"), "R&D");
    }

    #[test]
    fn depth_cap_stops() {
        let xml = "<a>".repeat(100);
        let out = collect(&xml);
        assert_eq!(out.last().map(String::as_str), Some("TooDeep(64)"));
    }
}

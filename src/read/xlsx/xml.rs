//! A thin, depth-capped pull parser over quick-xml for the parts we read
//! ourselves (sheet grids, drawings, ODS content).

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use std::borrow::Cow;

/// One event of interest, with entity and character references already
/// folded into `Text`.
pub(super) enum Ev<'a> {
    Start(BytesStart<'a>),
    Empty(BytesStart<'a>),
    End,
    Text(Cow<'a, str>),
    Eof,
}

pub(super) struct Xml<'a> {
    reader: Reader<&'a [u8]>,
    depth: usize,
    max_depth: usize,
}

impl<'a> Xml<'a> {
    pub fn new(bytes: &'a [u8], max_depth: usize) -> Self {
        Xml {
            reader: Reader::from_reader(bytes),
            depth: 0,
            max_depth,
        }
    }

    /// Next event; `Err` carries a message fit for a `ReadIssue`.
    pub fn next(&mut self) -> Result<Ev<'a>, String> {
        loop {
            let ev = self.reader.read_event().map_err(|e| {
                format!(
                    "XML 解析失败（位置 {}：{e}）",
                    self.reader.buffer_position()
                )
            })?;
            return Ok(match ev {
                Event::Start(e) => {
                    self.depth += 1;
                    if self.depth > self.max_depth {
                        return Err(format!("XML 嵌套超过 {} 层", self.max_depth));
                    }
                    Ev::Start(e)
                }
                Event::Empty(e) => Ev::Empty(e),
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    Ev::End
                }
                Event::Text(t) => Ev::Text(Cow::Owned(t.xml10_content().into_owned())),
                Event::CData(t) => Ev::Text(Cow::Owned(t.into_inner().into_owned())),
                Event::GeneralRef(r) => {
                    // Only the predefined entities and character references are
                    // honoured: custom DTD entities (XML bombs, XXE) stay unexpanded.
                    let text = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => quick_xml::escape::resolve_predefined_entity(&r)
                            .unwrap_or("")
                            .to_string(),
                    };
                    Ev::Text(Cow::Owned(text))
                }
                Event::Eof => Ev::Eof,
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => continue,
            });
        }
    }

    /// Skip the rest of the element whose `Start` was just returned.
    pub fn skip_element(&mut self) -> Result<(), String> {
        let target = self.depth.saturating_sub(1);
        while self.depth > target {
            if let Ev::Eof = self.next()? {
                return Err("XML 意外结束".into());
            }
        }
        Ok(())
    }
}

/// The local name (after any prefix) of an element, as text.
pub(super) fn local(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_string()
}

/// An attribute by its full (prefixed) name or, failing that, by the local
/// part of that name (writers pick their own namespace prefixes).
pub(super) fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let wanted_local = name.rsplit(':').next().unwrap_or(name);
    let mut by_local = None;
    for a in e.attributes().with_checks(false).flatten() {
        if a.key.as_ref() == name {
            return a
                .normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned());
        }
        if by_local.is_none() && a.key.local_name().as_ref() == wanted_local {
            by_local = a
                .normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned());
        }
    }
    by_local
}

pub(super) fn attr_i64(e: &BytesStart<'_>, name: &str) -> Option<i64> {
    attr(e, name).and_then(|v| v.trim().parse::<i64>().ok())
}

pub(super) fn attr_f64(e: &BytesStart<'_>, name: &str) -> Option<f64> {
    attr(e, name)
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|f| f.is_finite())
}

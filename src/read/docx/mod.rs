//! .docx / .docm / .dotx reader: one streaming pass over the main document
//! part with quick-xml, producing paragraphs, table cells, text boxes (with
//! page geometry) and pictures. Headers, footers, footnotes and comments are
//! page furniture and are not read.

mod body;
mod drawing;
mod geometry;
mod name_cache;
mod numbering;
mod repeats;
mod sections;
mod styles;
mod tokens;
mod wordml;
pub(crate) mod xml;

pub use wordml::read as read_wordml;

use super::zipped::Package;
use super::{Limits, ReadError};
use crate::document::{Document, ReadIssue};
use std::borrow::Cow;
use xml::Stop;

const DEFAULT_MAIN: &str = "word/document.xml";

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    let mut pkg = Package::open(bytes, limits)?;
    let mut issues = Vec::new();
    let main = main_part(&mut pkg, limits).unwrap_or_else(|| DEFAULT_MAIN.to_string());
    let Some(raw) = pkg.part(&main)? else {
        return Err(ReadError::Unreadable(format!(
            "缺少正文部件 {main}，不是有效的 Word 文档"
        )));
    };
    let doc_xml = to_utf8(&raw);
    let dir = main.rsplit_once('/').map_or("", |(d, _)| d);
    let sibling = |name: &str| {
        if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        }
    };

    let styles_name = sibling("styles.xml");
    let styles = match pkg.part(&styles_name) {
        Ok(Some(b)) => {
            let (s, stop) = styles::Styles::parse(&to_utf8(&b), limits.max_xml_depth);
            match stop {
                // Half a style sheet would mislead more than none: read without styles.
                Some(stop) => {
                    issues.push(issue(&styles_name, &stop, "样式"));
                    styles::Styles::default()
                }
                None => s,
            }
        }
        Ok(None) => styles::Styles::default(),
        Err(e) => {
            issues.push(plain_issue(
                &styles_name,
                &format!("样式部件无法读取（{e}），按无样式继续"),
            ));
            styles::Styles::default()
        }
    };
    let numbering_name = sibling("numbering.xml");
    let numbering = match pkg.part(&numbering_name) {
        Ok(Some(b)) => {
            let (n, stop) = numbering::Numbering::parse(&to_utf8(&b), limits.max_xml_depth);
            match stop {
                // Partial definitions would render wrong numbers: read without numbering.
                Some(stop) => {
                    issues.push(issue(&numbering_name, &stop, "编号"));
                    numbering::Numbering::default()
                }
                None => n,
            }
        }
        Ok(None) => numbering::Numbering::default(),
        Err(e) => {
            issues.push(plain_issue(
                &numbering_name,
                &format!("编号部件无法读取（{e}），按无自动编号继续"),
            ));
            numbering::Numbering::default()
        }
    };

    let mut numbering = numbering;
    numbering.link_styles(|style| styles.num_id_of(style));
    let setup = body::Setup {
        part: &main,
        styles: &styles,
        numbering: &numbering,
        max_depth: limits.max_xml_depth,
    };
    let (blocks, stop) = body::read(&setup, &doc_xml);
    if let Some(stop) = stop {
        if blocks.is_empty() {
            return Err(ReadError::Unreadable(describe(&stop, "正文")));
        }
        issues.push(issue(&main, &stop, "正文"));
    }
    Ok(Document {
        blocks,
        encoding: None,
        issues,
    })
}

/// The main document part named by the package relationships (`_rels/.rels`),
/// for packages that do not use `word/document.xml`.
fn main_part(pkg: &mut Package, limits: &Limits) -> Option<String> {
    if pkg.has(DEFAULT_MAIN) {
        return Some(DEFAULT_MAIN.to_string());
    }
    let rels = pkg.part("_rels/.rels").ok()??;
    let rels = to_utf8(&rels);
    let mut pull = xml::Pull::new(&rels, limits.max_xml_depth);
    while let Ok(ev) = pull.next() {
        match ev {
            xml::Ev::Start(s) if s.name.ends_with("Relationship") => {
                let officedoc = s
                    .attr("Type")
                    .is_some_and(|t| t.ends_with("/officeDocument"));
                if let (true, Some(target)) = (officedoc, s.attr("Target")) {
                    return Some(target.trim_start_matches('/').to_string());
                }
            }
            xml::Ev::Eof => break,
            _ => {}
        }
    }
    None
}

/// Parts are UTF-8 in practice; a UTF-16 part (with BOM) is converted first.
fn to_utf8(bytes: &[u8]) -> Cow<'_, [u8]> {
    match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, _)) if enc != encoding_rs::UTF_8 => {
            let (text, _, _) = enc.decode(bytes);
            Cow::Owned(text.into_owned().into_bytes())
        }
        _ => Cow::Borrowed(bytes),
    }
}

fn describe(stop: &Stop, what: &str) -> String {
    match stop {
        Stop::Malformed(m) => format!("{what} XML 损坏或被截断：{m}"),
        Stop::TooDeep(d) => format!("{what} XML 嵌套超过 {d} 层，停止读取"),
    }
}

fn issue(part: &str, stop: &Stop, what: &str) -> ReadIssue {
    plain_issue(part, &describe(stop, what))
}

fn plain_issue(part: &str, message: &str) -> ReadIssue {
    ReadIssue {
        code: "source.unreadable".into(),
        message: message.to_string(),
        origin: part.to_string(),
    }
}

#[cfg(test)]
mod tests;

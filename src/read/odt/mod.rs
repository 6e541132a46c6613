//! OpenDocument text (.odt, .ott; LibreOffice and WPS): `content.xml`'s body
//! with `styles.xml` for page size, paragraph styles and list formats.
//! Frames and shapes keep their position in page coordinates (EMU), so flow
//! charts drawn as boxes go through the same `flow` layout as Word's.

mod body;
mod styles;

use super::zipped::Package;
use super::{Limits, ReadError};
use crate::document::{Document, ReadIssue};
use crate::read::docx::xml::Stop;

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    if !bytes.starts_with(b"PK") {
        return read_flat(bytes, limits);
    }
    let mut pkg = Package::open(bytes, limits)?;
    if let Some(manifest) = pkg.part("META-INF/manifest.xml")?
        && String::from_utf8_lossy(&manifest).contains("encryption-data")
    {
        return Err(ReadError::Encrypted("ODF 文档有密码保护".into()));
    }
    let content = pkg
        .part("content.xml")?
        .ok_or_else(|| ReadError::Unreadable("ODF 文档缺少 content.xml".into()))?;
    let mut issues = Vec::new();
    let mut st = styles::Styles::default();
    match pkg.part("styles.xml") {
        Ok(Some(b)) => {
            if let Some(stop) = st.parse(&b, limits.max_xml_depth) {
                issues.push(issue("styles.xml", &describe(&stop, "样式")));
            }
        }
        Ok(None) => {}
        Err(e) => issues.push(issue(
            "styles.xml",
            &format!("样式部件无法读取（{e}），按默认样式继续"),
        )),
    }
    // The automatic styles of content.xml; a broken body is reported below.
    let _ = st.parse(&content, limits.max_xml_depth);
    walk(&st, &content, "content.xml", issues, limits)
}

/// Flat OpenDocument (.fodt): styles and body in one XML file.
fn read_flat(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    let mut st = styles::Styles::default();
    let _ = st.parse(bytes, limits.max_xml_depth);
    walk(&st, bytes, "fodt", Vec::new(), limits)
}

fn walk(
    st: &styles::Styles,
    content: &[u8],
    part: &str,
    mut issues: Vec<ReadIssue>,
    limits: &Limits,
) -> Result<Document, ReadError> {
    let mut walk = body::Walk::new(st);
    let stop = walk.run(content, limits.max_xml_depth);
    let blocks = walk.finish();
    if let Some(stop) = stop {
        if blocks.is_empty() {
            return Err(ReadError::Unreadable(describe(&stop, "正文")));
        }
        issues.push(issue(part, &describe(&stop, "正文")));
    }
    Ok(Document {
        blocks,
        encoding: None,
        issues,
    })
}

fn describe(stop: &Stop, what: &str) -> String {
    match stop {
        Stop::Malformed(m) => format!("{what} XML 损坏或被截断：{m}"),
        Stop::TooDeep(d) => format!("{what} XML 嵌套超过 {d} 层，停止读取"),
    }
}

fn issue(part: &str, message: &str) -> ReadIssue {
    ReadIssue {
        code: "source.unreadable".into(),
        message: message.to_string(),
        origin: part.to_string(),
    }
}

#[cfg(test)]
mod tests;

//! Word 2003 XML (`<w:wordDocument>`, saved as .xml): one file holding the
//! body, the styles and the list definitions, in a vocabulary close enough
//! to WordprocessingML that the .docx pass reads it once the few names that
//! differ are renamed here (`w:vmerge`, the `w:lists` definitions,
//! `w:listPr`, numeric `w:nfc` formats).

use super::{body, describe, issue, numbering, styles};
use crate::document::Document;
use crate::read::{Limits, ReadError};
use std::borrow::Cow;

const PART: &str = "wordDocument";

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    let xml = to_utf8(bytes);
    let mut issues = Vec::new();
    let depth = limits.max_xml_depth;
    // Styles and lists share the body's file: its error is reported once,
    // from the body pass below; what was read before it stands.
    let (styles, _) = styles::Styles::parse(&xml, depth);
    let (mut numbering, _) = numbering::Numbering::parse(&xml, depth);
    numbering.link_styles(|style| styles.num_id_of(style));
    let setup = body::Setup {
        part: PART,
        styles: &styles,
        numbering: &numbering,
        max_depth: depth,
    };
    let (blocks, stop) = body::read(&setup, &xml);
    if let Some(stop) = stop {
        if blocks.is_empty() {
            return Err(ReadError::Unreadable(describe(&stop, "Word 2003 XML 正文")));
        }
        issues.push(issue(PART, &stop, "Word 2003 XML 正文"));
    }
    Ok(Document {
        blocks,
        encoding: None,
        issues,
    })
}

/// The file as UTF-8: a BOM or the XML declaration's `encoding` decides
/// (Word writes UTF-8; hand-made files may say GB2312).
fn to_utf8(bytes: &[u8]) -> Cow<'_, [u8]> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        if enc == encoding_rs::UTF_8 {
            return Cow::Borrowed(&bytes[bom..]);
        }
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return Cow::Owned(text.into_owned().into_bytes());
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]);
    let declared = head
        .split("?>")
        .next()
        .and_then(|decl| decl.split_once("encoding="))
        .and_then(|(_, rest)| {
            let q = rest.chars().next()?;
            rest[1..].split(q).next().map(str::to_string)
        })
        .and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()));
    match declared {
        Some(enc) if enc != encoding_rs::UTF_8 => {
            let (text, _) = enc.decode_without_bom_handling(bytes);
            // The declaration now lies; the pull parser ignores it.
            Cow::Owned(text.into_owned().into_bytes())
        }
        _ => Cow::Borrowed(bytes),
    }
}

/// The WordprocessingML name of a Word 2003 element, with its attributes
/// renamed alike.
pub fn rename(local: String, attrs: &mut [(String, String)]) -> String {
    let rename_attr = |attrs: &mut [(String, String)], from: &str, to: &str| {
        for (k, _) in attrs.iter_mut() {
            if k == from {
                *k = to.to_string();
            }
        }
    };
    match local.as_str() {
        "vmerge" => "vMerge".into(),
        "listPr" => "numPr".into(),
        "ilfo" => "numId".into(),
        "ilst" => "abstractNumId".into(),
        "listDef" => {
            rename_attr(attrs, "listDefId", "abstractNumId");
            "abstractNum".into()
        }
        "list" => {
            rename_attr(attrs, "ilfo", "numId");
            "num".into()
        }
        "nfc" => {
            for (k, v) in attrs.iter_mut() {
                if k == "val" {
                    *v = nfc_name(v.trim().parse().unwrap_or(0)).to_string();
                }
            }
            "numFmt".into()
        }
        _ => local,
    }
}

/// Word's numeric number-format codes (as in .doc files) by OOXML name.
fn nfc_name(nfc: u32) -> &'static str {
    match nfc {
        1 => "upperRoman",
        2 => "lowerRoman",
        3 => "upperLetter",
        4 => "lowerLetter",
        14 | 19 => "decimalFullWidth",
        18 => "decimalEnclosedCircle",
        22 => "decimalZero",
        23 => "bullet",
        26 => "decimalEnclosedFullstop",
        27 => "decimalEnclosedParen",
        28 => "decimalEnclosedCircleChinese",
        29 => "ideographEnclosedCircle",
        30 => "ideographTraditional",
        31 => "ideographZodiac",
        33 | 35 | 37 | 39 => "chineseCounting",
        38 => "chineseLegalSimplified",
        255 => "none",
        _ => "decimal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::BlockKind;

    const NS: &str = r#"xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml" xmlns:wx="http://schemas.microsoft.com/office/word/2003/auxHint" xmlns:v="urn:schemas-microsoft-com:vml""#;

    fn doc(body: &str, lists: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><?mso-application progid="Word.Document"?><w:wordDocument {NS}><w:lists>{lists}</w:lists><w:body><wx:sect>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800"/></w:sectPr></wx:sect></w:body></w:wordDocument>"#
        )
    }

    #[test]
    fn lists_render_like_word() {
        let lists = r#"<w:listDef w:listDefId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:nfc w:val="37"/><w:lvlText w:val="%1、"/></w:lvl></w:listDef><w:list w:ilfo="1"><w:ilst w:val="0"/></w:list>"#;
        let item = |t: &str| {
            format!(
                r#"<w:p><w:pPr><w:listPr><w:ilvl w:val="0"/><w:ilfo w:val="1"/><wx:t wx:val="x"/></w:listPr></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>"#
            )
        };
        let body = format!("{}{}", item("廉政风险点"), item("防护措施"));
        let d = read(doc(&body, lists).as_bytes(), &Limits::default()).unwrap();
        let texts: Vec<&str> = d.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["一、\t廉政风险点", "二、\t防护措施"]);
    }

    #[test]
    fn tables_merge_down_and_text_boxes_keep_geometry() {
        let cell = |t: &str, pr: &str| {
            format!(r#"<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>"#)
        };
        let body = format!(
            r#"<w:tbl><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl><w:p><w:r><w:pict><v:shape style="position:absolute;margin-left:36pt;margin-top:72pt;width:144pt;height:36pt;mso-position-horizontal-relative:page;mso-position-vertical-relative:page"><v:textbox><w:txbxContent><w:p><w:r><w:t>受    理</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"#,
            cell("流程", r#"<w:vmerge w:val="restart"/>"#),
            cell("登记", ""),
            cell("", "<w:vmerge/>"),
            cell("审核", "")
        );
        let d = read(doc(&body, "").as_bytes(), &Limits::default()).unwrap();
        let first = &d.blocks[0];
        assert_eq!(first.text, "流程");
        assert!(
            matches!(first.kind, BlockKind::Cell { row_span: 2, .. }),
            "{:?}",
            first.kind
        );
        let bx = d
            .blocks
            .iter()
            .find(|b| b.kind == BlockKind::TextBox)
            .unwrap();
        assert_eq!(bx.text, "受    理");
        let r = bx.rect.unwrap();
        assert_eq!((r.x, r.y, r.w, r.h), (457_200, 914_400, 1_828_800, 457_200));
    }

    #[test]
    fn declared_gb2312_is_decoded() {
        let (gbk, _, _) = encoding_rs::GBK.encode("<w:p><w:r><w:t>风险等级：高</w:t></w:r></w:p>");
        let mut bytes =
            format!(r#"<?xml version="1.0" encoding="GB2312"?><w:wordDocument {NS}><w:body>"#)
                .into_bytes();
        bytes.extend_from_slice(&gbk);
        bytes.extend_from_slice(b"</w:body></w:wordDocument>");
        let d = read(&bytes, &Limits::default()).unwrap();
        assert_eq!(d.blocks[0].text, "风险等级：高");
    }

    #[test]
    fn truncated_and_deep_documents_fail_cleanly() {
        let limits = Limits::default();
        let full = doc(
            "<w:p><w:r><w:t>申请</w:t></w:r></w:p><w:p><w:r><w:t>受理",
            "",
        );
        let cut = &full[..full.find("受理").unwrap() + "受理".len()];
        let d = read(cut.as_bytes(), &limits).unwrap();
        assert_eq!(d.blocks[0].text, "申请");
        assert_eq!(d.issues.len(), 1);
        let deep = doc(&"<w:tbl>".repeat(100_000), "");
        assert!(matches!(
            read(deep.as_bytes(), &limits),
            Err(ReadError::Unreadable(_))
        ));
    }
}

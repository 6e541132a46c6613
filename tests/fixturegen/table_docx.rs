//! A table fixture written as a Word document: department and title
//! paragraphs, then one bordered table whose 流程 / 岗位 column is merged
//! down over each group with `w:vMerge` (restart, then continuation cells
//! that hold an empty paragraph, as Word writes them).

use super::ooxml::{self, Doc, esc};
use super::tables::{Col, Table};

const RPR: &str = r#"<w:rFonts w:ascii="仿宋" w:eastAsia="仿宋" w:hAnsi="仿宋"/><w:sz w:val="21"/><w:szCs w:val="21"/>"#;

fn para(text: &str, jc: &str, rpr: &str) -> String {
    let run = if text.is_empty() {
        String::new()
    } else {
        format!("<w:r><w:rPr>{rpr}</w:rPr><w:t>{}</w:t></w:r>", esc(text))
    };
    format!(r#"<w:p><w:pPr><w:jc w:val="{jc}"/><w:rPr>{rpr}</w:rPr></w:pPr>{run}</w:p>"#)
}

/// One cell; `merge` is `Some("restart")` / `Some("")` for a vertical merge.
fn cell(width: u32, text: &str, merge: Option<&str>) -> String {
    let vmerge = match merge {
        Some("") => "<w:vMerge/>".to_string(),
        Some(v) => format!(r#"<w:vMerge w:val="{v}"/>"#),
        None => String::new(),
    };
    // Lines of a cell are paragraphs.
    let paras: String = if text.is_empty() {
        para("", "left", RPR)
    } else {
        text.lines().map(|l| para(l, "left", RPR)).collect()
    };
    format!(
        r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{vmerge}<w:vAlign w:val="center"/></w:tcPr>{paras}</w:tc>"#
    )
}

/// The .docx bytes of a table fixture.
pub fn build(t: &Table) -> Vec<u8> {
    let mut doc = Doc::new();
    let title_rpr = r#"<w:rFonts w:ascii="方正小标宋简体" w:eastAsia="方正小标宋简体" w:hAnsi="方正小标宋简体"/><w:b/><w:sz w:val="36"/><w:szCs w:val="36"/>"#;
    if let Some(dept) = t.department {
        doc.body.push_str(&para(dept, "center", RPR));
    }
    doc.body.push_str(&para(t.title, "center", title_rpr));

    let width = 8300 / t.columns.len() as u32;
    let border =
        |side: &str| format!(r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>"#);
    let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"]
        .iter()
        .map(|s| border(s))
        .collect();
    let grid: String = t
        .columns
        .iter()
        .map(|_| format!(r#"<w:gridCol w:w="{width}"/>"#))
        .collect();
    let mut xml = format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="{}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>"#,
        width * t.columns.len() as u32
    );
    let bold = format!("<w:b/>{RPR}");
    xml.push_str(r#"<w:tr><w:trPr><w:tblHeader/><w:jc w:val="center"/></w:trPr>"#);
    for (head, _) in &t.columns {
        xml.push_str(&format!(
            r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>{}</w:tc>"#,
            para(head, "center", &bold)
        ));
    }
    xml.push_str("</w:tr>");
    let groups = t.groups();
    for r in 0..t.rows.len() {
        xml.push_str(r#"<w:tr><w:trPr><w:jc w:val="center"/></w:trPr>"#);
        let (first, count) = groups
            .iter()
            .copied()
            .find(|(f, n)| (*f..f + n).contains(&r))
            .expect("every row is in a group");
        for &(_, col) in &t.columns {
            let merge = match (col, count > 1, r == first) {
                (Col::Group, true, true) => Some("restart"),
                (Col::Group, true, false) => Some(""),
                _ => None,
            };
            let text = if merge == Some("") {
                String::new()
            } else {
                t.cell(r, col)
            };
            xml.push_str(&cell(width, &text, merge));
        }
        xml.push_str("</w:tr>");
    }
    xml.push_str("</w:tbl>");
    doc.body.push_str(&xml);
    let (document, doc) = doc.finish();
    ooxml::package(&document, &doc, "Microsoft Office Word")
}

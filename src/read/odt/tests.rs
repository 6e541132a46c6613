use super::*;
use crate::document::{BlockKind, Rect};
use std::io::{Cursor, Write};

const NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0""#;

/// 1in margins on A4-ish 8.5×11in, paragraphs of 10pt (line 13pt = 165 100 EMU).
const STYLES: &str = r#"<office:document-styles XMLNS><office:styles><style:default-style style:family="paragraph"><style:text-properties fo:font-size="10pt"/></style:default-style></office:styles><office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="8.5in" fo:page-height="11in" fo:margin-top="1in" fo:margin-bottom="1in" fo:margin-left="1in" fo:margin-right="1in"/></style:page-layout></office:automatic-styles><office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles></office:document-styles>"#;

fn odt(auto_styles: &str, body: &str) -> Vec<u8> {
    odt_parts(&[
        (
            "mimetype",
            "application/vnd.oasis.opendocument.text".to_string(),
        ),
        ("styles.xml", STYLES.replace("XMLNS", NS)),
        (
            "content.xml",
            format!(
                r#"<office:document-content {NS}><office:automatic-styles>{auto_styles}</office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
            ),
        ),
    ])
}

fn odt_parts(parts: &[(&str, String)]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default();
        for (name, data) in parts {
            z.start_file(*name, o).unwrap();
            z.write_all(data.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

fn texts(d: &Document) -> Vec<(String, u32)> {
    d.blocks.iter().map(|b| (b.text.clone(), b.page)).collect()
}

#[test]
fn sniffed_as_odt() {
    let bytes = odt("", "<text:p>申请</text:p>");
    assert_eq!(crate::read::sniff(&bytes), crate::read::Format::Odt);
}

#[test]
fn frames_are_placed_from_their_anchor() {
    let styles = r#"<style:style style:name="PB" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style>
<style:style style:name="gpage" style:family="graphic"><style:graphic-properties style:vertical-pos="from-top" style:vertical-rel="page" style:horizontal-pos="from-left" style:horizontal-rel="page"/></style:style>
<style:style style:name="gmargin" style:family="graphic"><style:graphic-properties style:vertical-rel="page-content" style:horizontal-rel="page-content"/></style:style>
<style:style style:name="gpara" style:family="graphic"><style:graphic-properties style:vertical-rel="paragraph" style:horizontal-rel="paragraph"/></style:style>"#;
    let body = r#"<draw:frame text:anchor-type="page" text:anchor-page-number="2" draw:style-name="gpage" svg:x="1in" svg:y="2in" svg:width="2in" svg:height="0.5in"><draw:text-box><text:p>受    理</text:p></draw:text-box></draw:frame>
<text:p>权力运行廉政风险防控图</text:p>
<text:p><draw:custom-shape text:anchor-type="char" draw:style-name="gpara" svg:x="0.5in" svg:y="1in" svg:width="2in" svg:height="1in"><text:p>1.故意刁难申请人。</text:p><text:p>风险等级：中</text:p></draw:custom-shape></text:p>
<text:p><draw:frame text:anchor-type="paragraph" draw:style-name="gmargin" svg:x="0in" svg:y="0in" svg:width="1in" svg:height="1in"><draw:image/></draw:frame></text:p>
<text:p text:style-name="PB">第二页</text:p>"#;
    let d = read(&odt(styles, body), &Limits::default()).unwrap();
    assert_eq!(
        texts(&d),
        [
            ("权力运行廉政风险防控图".to_string(), 0),
            ("1.故意刁难申请人。\n风险等级：中".to_string(), 0),
            (String::new(), 0),
            ("第二页".to_string(), 1),
            // Page-anchored at the start of the body, read after its page's text.
            ("受    理".to_string(), 1),
        ]
    );
    let rect = |i: usize| d.blocks[i].rect.unwrap();
    // The second paragraph starts one 10 pt line (165 100 EMU) below the top margin.
    assert_eq!(
        rect(1),
        Rect {
            x: 914_400 + 457_200,
            y: 914_400 + 165_100 + 914_400,
            w: 1_828_800,
            h: 914_400
        }
    );
    assert_eq!(d.blocks[1].kind, BlockKind::Shape);
    assert_eq!(d.blocks[2].kind, BlockKind::Image);
    assert_eq!(
        rect(2),
        Rect {
            x: 914_400,
            y: 914_400,
            w: 914_400,
            h: 914_400
        }
    );
    assert_eq!(d.blocks[4].kind, BlockKind::TextBox);
    assert_eq!(
        rect(4),
        Rect {
            x: 914_400,
            y: 1_828_800,
            w: 1_828_800,
            h: 457_200
        }
    );
}

#[test]
fn lists_number_like_writer_and_continue_by_id() {
    let styles = r#"<text:list-style style:name="L1"><text:list-level-style-number text:level="1" style:num-suffix="." style:num-format="1"/><text:list-level-style-number text:level="2" style:num-prefix="(" style:num-suffix=")" style:num-format="一, 二, 三, ..."/></text:list-style>"#;
    let item = |t: &str| format!("<text:list-item><text:p>{t}</text:p></text:list-item>");
    let body = format!(
        r#"<text:list xml:id="a" text:style-name="L1">{}{}<text:list-item><text:p>措施</text:p><text:list>{}</text:list></text:list-item></text:list>
<text:p>风险等级：中</text:p>
<text:list xml:id="a" text:style-name="L1">{}</text:list>
<text:list text:style-name="L1">{}</text:list>
<text:list text:continue-numbering="true" text:style-name="L1"><text:list-item text:start-value="9"><text:p>九</text:p></text:list-item><text:list-header><text:p>无编号</text:p></text:list-header></text:list>"#,
        item("故意刁难申请人。"),
        item("不按规定程序受理。"),
        item("子项"),
        item("续前"),
        item("新列表"),
    );
    let d = read(&odt(styles, &body), &Limits::default()).unwrap();
    let got: Vec<String> = d.blocks.iter().map(|b| b.text.clone()).collect();
    assert_eq!(
        got,
        [
            "1.\t故意刁难申请人。",
            "2.\t不按规定程序受理。",
            "3.\t措施",
            "(一)\t子项",
            "风险等级：中",
            // The same xml:id (LibreOffice writes it on every part of one list).
            "4.\t续前",
            "1.\t新列表",
            "9.\t九",
            "无编号",
        ]
    );
}

#[test]
fn tables_spans_covered_cells_and_spaces() {
    let body = r#"<table:table><table:table-column table:number-columns-repeated="3"/>
<table:table-row><table:table-cell table:number-columns-spanned="2"><text:p>流程</text:p></table:table-cell><table:covered-table-cell/><table:table-cell><text:p>申<text:s text:c="4"/>请</text:p><text:p>第二行</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell table:number-rows-spanned="2"><text:p>受理</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2"/></table:table-row>
<table:table-row><table:covered-table-cell/><table:table-cell/><table:table-cell><text:p>中<text:tab/>高</text:p></table:table-cell></table:table-row></table:table>"#;
    let d = read(&odt("", body), &Limits::default()).unwrap();
    let cells: Vec<(String, u32, u32, u32, u32)> = d
        .blocks
        .iter()
        .map(|b| match b.kind {
            BlockKind::Cell {
                row,
                col,
                row_span,
                col_span,
                ..
            } => (b.text.clone(), row, col, row_span, col_span),
            _ => panic!("{b:?}"),
        })
        .collect();
    assert_eq!(
        cells,
        [
            ("流程".to_string(), 0, 0, 1, 2),
            ("申    请\n第二行".to_string(), 0, 2, 1, 1),
            ("受理".to_string(), 1, 0, 2, 1),
            ("中\t高".to_string(), 2, 2, 1, 1),
        ]
    );
}

#[test]
fn footnotes_comments_and_deletions_are_not_text() {
    let body = r#"<text:tracked-changes><text:changed-region><text:deletion><text:p>删掉的</text:p></text:deletion></text:changed-region></text:tracked-changes><text:p>申请<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>脚注</text:p></text:note-body></text:note><office:annotation><text:p>批注</text:p></office:annotation></text:p>"#;
    let d = read(&odt("", body), &Limits::default()).unwrap();
    assert_eq!(texts(&d), [("申请".to_string(), 0)]);
}

#[test]
fn hostile_packages_fail_or_stop_cleanly() {
    let limits = Limits::default();
    // Nesting past the cap, with nothing read before it: unreadable.
    let deep = odt("", &"<text:section>".repeat(100_000));
    assert!(matches!(read(&deep, &limits), Err(ReadError::Unreadable(m)) if m.contains("嵌套")));
    // A billion spaces in one text:s: capped.
    let spaces = odt("", r#"<text:p>a<text:s text:c="1000000000"/>b</text:p>"#);
    let d = read(&spaces, &limits).unwrap();
    assert_eq!(d.blocks[0].text.len(), 2 + 1_000);
    // Truncated content.xml: the text before the cut is kept, the source is partial.
    let full = odt("", "<text:p>申请</text:p><text:p>受理</text:p>");
    let mut z = zip::ZipArchive::new(Cursor::new(&full[..])).unwrap();
    let mut content = String::new();
    std::io::Read::read_to_string(&mut z.by_name("content.xml").unwrap(), &mut content).unwrap();
    let cut = &content[..content.find("受理").unwrap()];
    let bytes = odt_parts(&[("content.xml", cut.to_string())]);
    let d = read(&bytes, &limits).unwrap();
    assert_eq!(texts(&d), [("申请".to_string(), 0)]);
    assert_eq!(d.issues.len(), 1);
    // Encrypted and content-less packages.
    let enc = odt_parts(&[(
        "META-INF/manifest.xml",
        "<manifest:encryption-data/>".to_string(),
    )]);
    assert!(matches!(read(&enc, &limits), Err(ReadError::Encrypted(_))));
    let empty = odt_parts(&[("mimetype", "application/vnd.oasis.opendocument.text".into())]);
    assert!(matches!(
        read(&empty, &limits),
        Err(ReadError::Unreadable(_))
    ));
}

#[test]
fn flat_odt_reads_like_a_package() {
    let fodt = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document {NS} office:mimetype="application/vnd.oasis.opendocument.text"><office:automatic-styles><style:style style:name="PB" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style></office:automatic-styles><office:body><office:text><text:p>申请</text:p><text:p text:style-name="PB">受理</text:p></office:text></office:body></office:document>"#
    );
    assert_eq!(
        crate::read::sniff(fodt.as_bytes()),
        crate::read::Format::Odt
    );
    let d = read(fodt.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(
        texts(&d),
        [("申请".to_string(), 0), ("受理".to_string(), 1)]
    );
}

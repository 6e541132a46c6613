//! End-to-end tests on tiny .docx files built in memory.

use super::read;
use crate::document::{Block, BlockKind, Document, Rect};
use crate::read::{Limits, ReadError};
use std::io::{Cursor, Write};

const NS: &str = concat!(
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" "#,
    r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
    r#"xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" "#,
    r#"xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" "#,
    r#"xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" "#,
    r#"xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" "#,
    r#"xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" "#,
    r#"xmlns:v="urn:schemas-microsoft-com:vml" "#,
    r#"xmlns:o="urn:schemas-microsoft-com:office:office""#
);

/// A4, top/bottom margin 1440 twips, left/right 1800 twips.
const SECT: &str = r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800"/></w:sectPr>"#;

fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in parts {
            z.start_file(*name, o).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

fn document_xml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}{SECT}</w:body></w:document>"#
    )
}

fn docx_with(body: &str, extra: &[(&str, String)]) -> Vec<u8> {
    let doc = document_xml(body);
    let mut parts: Vec<(&str, &[u8])> = vec![("word/document.xml", doc.as_bytes())];
    for (name, data) in extra {
        parts.push((name, data.as_bytes()));
    }
    zip(&parts)
}

fn read_body(body: &str) -> Document {
    read(&docx_with(body, &[]), &Limits::default()).unwrap()
}

fn p(text: &str) -> String {
    format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

fn texts(doc: &Document) -> Vec<&str> {
    doc.blocks.iter().map(|b| b.text.as_str()).collect()
}

fn block(text: &str, kind: BlockKind, rect: Option<Rect>, page: u32, p: u32) -> Block {
    Block {
        text: text.into(),
        kind,
        rect,
        page,
        origin: format!("word/document.xml#p{p}"),
    }
}

fn cell(table: u32, row: u32, col: u32, row_span: u32, col_span: u32) -> BlockKind {
    BlockKind::Cell {
        table,
        row,
        col,
        row_span,
        col_span,
    }
}

fn rect(x: i64, y: i64, w: i64, h: i64) -> Option<Rect> {
    Some(Rect { x, y, w, h })
}

#[test]
fn body_and_table_with_spans_and_merges() {
    let tc = |pr: &str, inner: &str| format!("<w:tc><w:tcPr>{pr}</w:tcPr>{inner}</w:tc>");
    let nested = format!(
        "<w:tbl><w:tblGrid><w:gridCol w:w=\"1000\"/></w:tblGrid><w:tr>{}</w:tr></w:tbl>",
        tc("", &p("内"))
    );
    let body = [
        p("标题"),
        "<w:p/>".to_string(),
        "<w:tbl><w:tblGrid><w:gridCol w:w=\"2000\"/><w:gridCol w:w=\"2000\"/><w:gridCol w:w=\"2000\"/></w:tblGrid>".into(),
        format!(
            "<w:tr>{}{}</w:tr>",
            tc(r#"<w:vMerge w:val="restart"/>"#, &p("流程")),
            tc(r#"<w:gridSpan w:val="2"/>"#, &(p("风险") + &p("等级")))
        ),
        format!(
            "<w:tr>{}{}{}</w:tr>",
            tc("<w:vMerge/>", "<w:p/>"),
            tc("", &p("B")),
            tc("", &p("C"))
        ),
        format!(
            "<w:tr>{}{}</w:tr>",
            tc(r#"<w:vMerge w:val="continue"/>"#, &p("续")),
            tc(r#"<w:gridSpan w:val="2"/>"#, &(nested + "<w:p/>"))
        ),
        "</w:tbl>".into(),
        r#"<w:p><w:r><w:t xml:space="preserve">申    请</w:t><w:tab/><w:t>x</w:t><w:br/><w:t>y</w:t><w:noBreakHyphen/></w:r></w:p>"#.into(),
        concat!(
            r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#,
            r#"<w:del><w:r><w:delText>删</w:delText></w:r></w:del><w:hyperlink><w:r><w:t>链</w:t></w:r></w:hyperlink>"#,
            r#"<w:sdt><w:sdtContent><w:r><w:t>控</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t>尾&#13;</w:t></w:r></w:p>"#
        )
        .into(),
    ]
    .concat();
    let doc = read_body(&body);
    assert_eq!(
        doc.blocks,
        vec![
            block("标题", BlockKind::Paragraph, None, 0, 1),
            block("流程\n续", cell(0, 0, 0, 3, 1), None, 0, 3),
            block("风险\n等级", cell(0, 0, 1, 1, 2), None, 0, 4),
            block("B", cell(0, 1, 1, 1, 1), None, 0, 7),
            block("C", cell(0, 1, 2, 1, 1), None, 0, 8),
            block("内", cell(1, 0, 0, 1, 1), None, 0, 10),
            block("申    请\tx\ny-", BlockKind::Paragraph, None, 0, 12),
            block("3链控尾", BlockKind::Paragraph, None, 0, 13),
        ]
    );
    assert!(doc.issues.is_empty());
}

#[test]
fn pages_count_breaks_and_sections() {
    let styles = format!(
        r#"<w:styles {NS}><w:style w:type="paragraph" w:styleId="H1"><w:pPr><w:pageBreakBefore/></w:pPr></w:style></w:styles>"#
    );
    let body = [
        p("a"),
        r#"<w:p><w:r><w:t>b0</w:t></w:r></w:p><w:p><w:r><w:br w:type="page"/><w:t>b</w:t></w:r></w:p>"#.into(),
        r#"<w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r><w:t>c</w:t></w:r></w:p>"#.into(),
        r#"<w:p><w:pPr><w:sectPr><w:type w:val="nextPage"/></w:sectPr></w:pPr><w:r><w:t>d</w:t></w:r></w:p>"#.into(),
        r#"<w:p><w:pPr><w:sectPr><w:type w:val="continuous"/></w:sectPr></w:pPr><w:r><w:t>e</w:t></w:r></w:p>"#.into(),
        r#"<w:p><w:r><w:t>f</w:t></w:r><w:r><w:lastRenderedPageBreak/><w:t>g</w:t></w:r><w:r><w:br w:type="column"/></w:r></w:p>"#.into(),
        r#"<w:p><w:pPr><w:pStyle w:val="H1"/></w:pPr><w:r><w:t>h</w:t></w:r></w:p>"#.into(),
    ]
    .concat();
    let doc = read(
        &docx_with(&body, &[("word/styles.xml", styles)]),
        &Limits::default(),
    )
    .unwrap();
    let pages: Vec<(&str, u32)> = doc
        .blocks
        .iter()
        .map(|b| (b.text.as_str(), b.page))
        .collect();
    assert_eq!(
        pages,
        [
            ("a", 0),
            ("b0", 0),
            ("b", 1),
            ("c", 2),
            ("d", 2),
            ("e", 3),
            ("fg", 3),
            ("h", 4)
        ]
    );
}

/// A floating DrawingML text box wrapped in AlternateContent with a VML Fallback copy.
fn anchored_box(pos_h: &str, pos_v: &str, text: &str) -> String {
    format!(
        concat!(
            r#"<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">"#,
            r#"<wp:simplePos x="0" y="0"/>{}{}<wp:extent cx="1000000" cy="500000"/><wp:wrapNone/><wp:docPr id="1" name="t"/>"#,
            r#"<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>"#,
            r#"<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1000000" cy="500000"/></a:xfrm>"#,
            // Passed over unread (`is_unread_subtree`).
            r#"<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>"#,
            r#"<a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/></a:solidFill><a:miter lim="800000"/></a:ln></wps:spPr>"#,
            r#"<wps:txbx><w:txbxContent><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:txbxContent></wps:txbx>"#,
            r#"<wps:bodyPr rot="0" vert="horz"><a:noAutofit/></wps:bodyPr></wps:wsp>"#,
            r#"</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"#,
            r#"<mc:Fallback><w:pict><v:rect style="position:absolute;width:10pt;height:10pt"><v:textbox><w:txbxContent><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:rect></w:pict></mc:Fallback>"#,
            r#"</mc:AlternateContent></w:r>"#
        ),
        pos_h, pos_v, text, text
    )
}

fn pos(axis: &str, rel: &str, inner: &str) -> String {
    format!(r#"<wp:position{axis} relativeFrom="{rel}">{inner}</wp:position{axis}>"#)
}

#[test]
fn anchored_boxes_choice_read_fallback_skipped_positions_resolved() {
    let off = |v: i64| format!("<wp:posOffset>{v}</wp:posOffset>");
    let align = |a: &str| format!("<wp:align>{a}</wp:align>");
    let body = [
        // p1 anchors three boxes (p2, p3, p4); the fallback paragraphs are not counted.
        "<w:p><w:r><w:t>标题</w:t></w:r>".to_string(),
        anchored_box(
            &pos("H", "page", &off(914_400)),
            &pos("V", "page", &off(457_200)),
            "页",
        ),
        anchored_box(
            &pos("H", "margin", &off(100)),
            &pos("V", "paragraph", &off(200)),
            "段",
        ),
        anchored_box(
            &pos("H", "page", &align("center")),
            &pos("V", "margin", &align("bottom")),
            "齐",
        ),
        "</w:p>".into(),
        // p5 anchors one box (p6) at its own top.
        "<w:p>".into(),
        anchored_box(
            &pos("H", "column", &off(0)),
            &pos("V", "paragraph", &off(0)),
            "二段",
        ),
        "</w:p>".into(),
        p("after"),
    ]
    .concat();
    let doc = read_body(&body);
    // Page 11906×16838 twips = 7 560 310 × 10 692 130 EMU; margins 914 400 / 1 143 000.
    // p1 starts at the top margin; one line of 10.5 pt × 1.3 = 173 355 EMU.
    assert_eq!(
        doc.blocks,
        vec![
            block("标题", BlockKind::Paragraph, None, 0, 1),
            block(
                "页",
                BlockKind::TextBox,
                rect(914_400, 457_200, 1_000_000, 500_000),
                0,
                2
            ),
            block(
                "段",
                BlockKind::TextBox,
                rect(1_143_100, 914_600, 1_000_000, 500_000),
                0,
                3
            ),
            block(
                "齐",
                BlockKind::TextBox,
                rect(3_280_155, 9_277_730, 1_000_000, 500_000),
                0,
                4
            ),
            block(
                "二段",
                BlockKind::TextBox,
                rect(1_143_000, 1_087_755, 1_000_000, 500_000),
                0,
                6
            ),
            block("after", BlockKind::Paragraph, None, 0, 7),
        ]
    );
}

#[test]
fn group_and_canvas_children_mapped_to_page() {
    let wsp = |x: i64, y: i64, w: i64, h: i64, text: &str| {
        let txbx = if text.is_empty() {
            String::new()
        } else {
            format!(
                "<wps:txbx><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx>"
            )
        };
        format!(
            r#"<wps:wsp><wps:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm></wps:spPr>{txbx}<wps:bodyPr/></wps:wsp>"#
        )
    };
    let group = [
        r#"<w:p><w:r><w:drawing><wp:anchor simplePos="0" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>"#.to_string(),
        pos("H", "page", "<wp:posOffset>1000000</wp:posOffset>"),
        pos("V", "page", "<wp:posOffset>2000000</wp:posOffset>"),
        r#"<wp:extent cx="2000000" cy="1000000"/><wp:docPr id="2" name="g"/><a:graphic><a:graphicData uri="g"><wpg:wgp>"#.into(),
        r#"<wpg:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2000000" cy="1000000"/><a:chOff x="0" y="0"/><a:chExt cx="4000000" cy="2000000"/></a:xfrm></wpg:grpSpPr>"#.into(),
        wsp(2_000_000, 1_000_000, 1_000_000, 500_000, "子框"),
        // A connector and an empty box: no text, no block.
        wsp(0, 0, 100, 100, ""),
        r#"<wps:wsp><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="5" cy="5"/></a:xfrm></wps:spPr><wps:txbx><w:txbxContent><w:p/></w:txbxContent></wps:txbx></wps:wsp>"#.into(),
        r#"<wpg:grpSp><wpg:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2000000" cy="2000000"/><a:chOff x="0" y="0"/><a:chExt cx="1000" cy="1000"/></a:xfrm></wpg:grpSpPr>"#.into(),
        wsp(500, 500, 500, 500, "孙框"),
        "</wpg:grpSp></wpg:wgp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>".into(),
        // An inline canvas: starts at the left margin and the paragraph's top.
        r#"<w:p><w:r><w:drawing><wp:inline><wp:extent cx="3000000" cy="2000000"/><wp:docPr id="3" name="c"/><a:graphic><a:graphicData uri="c"><wpc:wpc>"#.into(),
        wsp(100_000, 200_000, 300_000, 400_000, "画布框"),
        r#"<pic:pic><pic:nvPicPr/><pic:blipFill><a:blip/></pic:blipFill><pic:spPr><a:xfrm><a:off x="10" y="20"/><a:ext cx="30" cy="40"/></a:xfrm></pic:spPr></pic:pic>"#.into(),
        "</wpc:wpc></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>".into(),
    ]
    .concat();
    let doc = read_body(&group);
    // The first paragraph is blank: one line (173 355 EMU) below the top margin.
    let top2 = 914_400 + 173_355;
    assert_eq!(
        doc.blocks,
        vec![
            block(
                "子框",
                BlockKind::TextBox,
                rect(2_000_000, 2_500_000, 500_000, 250_000),
                0,
                2
            ),
            block(
                "孙框",
                BlockKind::TextBox,
                rect(1_500_000, 2_500_000, 500_000, 500_000),
                0,
                4
            ),
            block(
                "画布框",
                BlockKind::TextBox,
                rect(1_243_000, top2 + 200_000, 300_000, 400_000),
                0,
                6
            ),
            block(
                "",
                BlockKind::Image,
                rect(1_143_010, top2 + 20, 30, 40),
                0,
                5
            ),
        ]
    );
}

#[test]
fn vml_boxes_in_points_and_in_groups() {
    let body = [
        r#"<w:p><w:r><w:pict><v:rect style="position:absolute;margin-left:36pt;margin-top:18pt;width:72pt;height:1in;z-index:1;mso-position-horizontal-relative:page;mso-position-vertical-relative:page">"#,
        r#"<v:textbox><w:txbxContent><w:p><w:r><w:t>VML框</w:t></w:r></w:p></w:txbxContent></v:textbox></v:rect></w:pict></w:r></w:p>"#,
        r#"<w:p><w:r><w:pict><v:group style="position:absolute;margin-left:0;margin-top:0;width:200pt;height:100pt;mso-position-horizontal-relative:page;mso-position-vertical-relative:page" coordsize="2000,1000" coordorigin="0,0">"#,
        r#"<v:shape style="position:absolute;left:1000;top:500;width:1000;height:500"><v:textbox><w:txbxContent><w:p><w:r><w:t>组内</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>"#,
        r#"<v:line from="0,0" to="10,10"/><v:shape style="position:absolute;left:0;top:0;width:100;height:100"><v:imagedata o:title="pic"/></v:shape>"#,
        r#"</v:group></w:pict></w:r></w:p>"#,
    ]
    .concat();
    let doc = read_body(&body);
    // Group: 200pt × 100pt at the page corner over a 2000 × 1000 space: 1270 EMU per unit.
    assert_eq!(
        doc.blocks,
        vec![
            block(
                "VML框",
                BlockKind::TextBox,
                rect(457_200, 228_600, 914_400, 914_400),
                0,
                2
            ),
            block(
                "组内",
                BlockKind::TextBox,
                rect(1_270_000, 635_000, 1_270_000, 635_000),
                0,
                4
            ),
            block("", BlockKind::Image, rect(0, 0, 127_000, 127_000), 0, 3),
        ]
    );
}

fn numbering_xml() -> String {
    let abs = |id: u32, fmt: &str, text: &str| {
        format!(
            r#"<w:abstractNum w:abstractNumId="{id}"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>"#
        )
    };
    let num = |id: u32, abs: u32, extra: &str| {
        format!(r#"<w:num w:numId="{id}"><w:abstractNumId w:val="{abs}"/>{extra}</w:num>"#)
    };
    format!(
        "<w:numbering {NS}>{}{}{}{}{}{}{}{}{}{}{}</w:numbering>",
        abs(1, "decimal", "%1."),
        abs(2, "chineseCounting", "%1、"),
        abs(3, "decimalEnclosedCircle", "%1"),
        abs(4, "upperLetter", "%1)"),
        abs(5, "decimal", "（%1）"),
        num(1, 1, ""),
        num(2, 2, ""),
        num(3, 3, ""),
        num(4, 4, ""),
        num(5, 5, ""),
        num(
            6,
            1,
            r#"<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>"#
        ),
    )
}

fn numbered(num_id: u32, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

fn vml_box(paras: &str) -> String {
    format!(
        r#"<w:p><w:r><w:pict><v:rect style="position:absolute;width:10pt;height:10pt"><v:textbox><w:txbxContent>{paras}</w:txbxContent></v:textbox></v:rect></w:pict></w:r></w:p>"#
    )
}

#[test]
fn numbering_rendered_and_shared_lists_continue_across_boxes() {
    let styles = format!(
        r#"<w:styles {NS}><w:style w:type="paragraph" w:styleId="L"><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style><w:style w:type="paragraph" w:styleId="L2"><w:basedOn w:val="L"/></w:style></w:styles>"#
    );
    let box_a: String = (1..=5).map(|i| numbered(1, &format!("项{i}"))).collect();
    let box_b: String = (6..=10).map(|i| numbered(1, &format!("项{i}"))).collect();
    let body = [
        vml_box(&box_a),
        vml_box(&box_b),
        numbered(6, "重新开始"),
        numbered(1, "接着"),
        numbered(2, "一项"),
        r#"<w:p><w:pPr><w:pStyle w:val="L2"/></w:pPr><w:r><w:t>样式编号</w:t></w:r></w:p>"#.into(),
        numbered(3, "圈一"),
        numbered(3, ""),
        numbered(3, "圈三"),
        numbered(4, "字母"),
        numbered(5, "括号"),
        r#"<w:p><w:pPr><w:pStyle w:val="L"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>无编号</w:t></w:r></w:p>"#.into(),
    ]
    .concat();
    let doc = read(
        &docx_with(
            &body,
            &[
                ("word/styles.xml", styles),
                ("word/numbering.xml", numbering_xml()),
            ],
        ),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(
        texts(&doc),
        [
            "1.\t项1\n2.\t项2\n3.\t项3\n4.\t项4\n5.\t项5",
            "6.\t项6\n7.\t项7\n8.\t项8\n9.\t项9\n10.\t项10",
            "1.\t重新开始",
            "2.\t接着",
            "一、\t一项",
            "二、\t样式编号",
            "①\t圈一",
            "③\t圈三",
            "A)\t字母",
            "（1）\t括号",
            "无编号",
        ]
    );
    assert!(doc.issues.is_empty());
}

#[test]
fn truncated_document_keeps_blocks_and_is_partial() {
    let full = document_xml(&(p("一") + &p("二") + &p("三") + &p("四")));
    let cut = full.find("四").unwrap() - 8;
    let bytes = zip(&[("word/document.xml", &full.as_bytes()[..cut])]);
    let doc = read(&bytes, &Limits::default()).unwrap();
    assert_eq!(texts(&doc), ["一", "二", "三"]);
    assert_eq!(doc.issues.len(), 1);
    assert_eq!(doc.issues[0].code, "source.unreadable");
    assert_eq!(doc.issues[0].origin, "word/document.xml");
}

#[test]
fn depth_bomb_stops_with_an_issue() {
    let bomb = "<w:sdt><w:sdtContent>".repeat(50_000);
    let doc = read_body(&(p("前") + &bomb));
    assert_eq!(texts(&doc), ["前"]);
    assert_eq!(doc.issues.len(), 1);
    assert!(
        doc.issues[0].message.contains("嵌套超过 256 层"),
        "{:?}",
        doc.issues
    );
    // Nothing read before the bomb: the file is unreadable.
    let only_bomb = zip(&[("word/document.xml", bomb.as_bytes())]);
    assert!(matches!(
        read(&only_bomb, &Limits::default()),
        Err(ReadError::Unreadable(_))
    ));
}

#[test]
fn missing_main_part_is_unreadable() {
    let bytes = zip(&[("word/styles.xml", b"<w:styles/>".as_slice())]);
    assert!(
        matches!(read(&bytes, &Limits::default()), Err(ReadError::Unreadable(m)) if m.contains("document.xml"))
    );
}

#[test]
fn broken_numbering_is_an_issue_and_reading_continues() {
    let bytes = docx_with(
        &numbered(1, "文字"),
        &[(
            "word/numbering.xml",
            format!("<w:numbering {NS}><w:abstractNum"),
        )],
    );
    let doc = read(&bytes, &Limits::default()).unwrap();
    assert_eq!(texts(&doc), ["文字"]);
    assert_eq!(doc.issues.len(), 1);
    assert_eq!(doc.issues[0].origin, "word/numbering.xml");
}

#[test]
fn doctype_entities_are_never_expanded() {
    let xml = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY boom "BOOM"><!ENTITY ext SYSTEM "file:///etc/passwd">]><w:document {NS}><w:body><w:p><w:r><w:t>a&boom;&ext;b&lt;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let bytes = zip(&[("word/document.xml", xml.as_bytes())]);
    let doc = read(&bytes, &Limits::default()).unwrap();
    assert_eq!(texts(&doc), ["ab<"]);
}

#[test]
fn choice_needing_an_unknown_namespace_falls_back() {
    let body = concat!(
        r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wpsCustomData"><w:t>不读</w:t></mc:Choice>"#,
        r#"<mc:Fallback><w:pict><v:rect style="width:10pt;height:20pt"><v:textbox><w:txbxContent><w:p><w:r><w:t>备用</w:t></w:r></w:p></w:txbxContent></v:textbox></v:rect></w:pict></mc:Fallback>"#,
        r#"</mc:AlternateContent><w:sym w:font="Wingdings" w:char="F0A8"/><w:t>框</w:t></w:r></w:p>"#
    );
    let doc = read_body(body);
    // Inline VML: at the left margin and the paragraph's top.
    assert_eq!(
        doc.blocks,
        vec![
            block("\u{f0a8}框", BlockKind::Paragraph, None, 0, 1),
            block(
                "备用",
                BlockKind::TextBox,
                rect(1_143_000, 914_400, 127_000, 254_000),
                0,
                2
            ),
        ]
    );
}

#[test]
fn inline_picture_makes_its_line_tall() {
    let body = [
        r#"<w:p><w:r><w:drawing><wp:inline><wp:extent cx="100" cy="2000000"/><a:graphic><a:graphicData uri="p"><pic:pic><pic:blipFill><a:blip/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#.to_string(),
        "<w:p>".into(),
        anchored_box(&pos("H", "margin", "<wp:posOffset>0</wp:posOffset>"), &pos("V", "paragraph", "<wp:posOffset>0</wp:posOffset>"), "下方"),
        "</w:p>".into(),
    ]
    .concat();
    let doc = read_body(&body);
    assert_eq!(
        doc.blocks,
        vec![
            block(
                "",
                BlockKind::Image,
                rect(1_143_000, 914_400, 100, 2_000_000),
                0,
                1
            ),
            block(
                "下方",
                BlockKind::TextBox,
                rect(1_143_000, 2_914_400, 1_000_000, 500_000),
                0,
                3
            ),
        ]
    );
}

#[test]
fn vertical_estimate_uses_spacing_tables_and_the_document_grid() {
    let body = [
        r#"<w:p><w:pPr><w:spacing w:before="100" w:after="200" w:line="360" w:lineRule="auto"/></w:pPr><w:r><w:t>标题</w:t></w:r></w:p>"#.to_string(),
        r#"<w:tbl><w:tblGrid><w:gridCol w:w="4000"/></w:tblGrid><w:tr><w:trPr><w:trHeight w:val="500"/></w:trPr><w:tc><w:p><w:r><w:t>格</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#.into(),
        r#"<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:beforeAutospacing="1" w:afterAutospacing="1"/></w:pPr><w:r><w:t>自</w:t></w:r></w:p>"#.into(),
        "<w:p>".into(),
        anchored_box(&pos("H", "margin", "<wp:posOffset>0</wp:posOffset>"), &pos("V", "paragraph", "<wp:posOffset>0</wp:posOffset>"), "框"),
        "</w:p>".into(),
    ]
    .concat();
    let sect = r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800"/><w:docGrid w:type="lines" w:linePitch="312"/></w:sectPr>"#;
    let xml = format!(r#"<w:document {NS}><w:body>{body}{sect}</w:body></w:document>"#);
    let doc = read(
        &zip(&[("word/document.xml", xml.as_bytes())]),
        &Limits::default(),
    )
    .unwrap();
    // Grid line 312 twips = 198 120 EMU (10.5 pt × 1.3 fits in one pitch);
    // p1: 100 + 1.5 lines + 200 twips = 487 680; the row: trHeight 500 twips = 317 500;
    // then off the grid with 14 pt auto spacing: 2 × 177 800 + 173 355 = 528 955.
    let boxed = doc.blocks.iter().find(|b| b.text == "框").unwrap();
    assert_eq!(
        boxed.rect,
        rect(
            1_143_000,
            914_400 + 487_680 + 317_500 + 528_955,
            1_000_000,
            500_000
        )
    );
}

#[test]
fn every_truncation_of_a_rich_document_reads_or_refuses_cleanly() {
    let body = [
        numbered(1, "一"),
        anchored_box(&pos("H", "page", "<wp:posOffset>1</wp:posOffset>"), &pos("V", "line", "<wp:align>center</wp:align>"), "框"),
        r#"<w:tbl><w:tblGrid><w:gridCol w:w="10"/></w:tblGrid><w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/><w:gridSpan w:val="9"/></w:tcPr><w:p><w:r><w:t>格</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>"#.into(),
        vml_box(&numbered(1, "二")),
        r#"<w:p><w:r><w:pict><v:group style="position:absolute;width:10pt;height:10pt" coordsize="0,0"><v:group style="width:5;height:5"><v:shape style="left:1;top:1;width:1;height:1"><v:textbox><w:txbxContent><w:p><w:r><w:t>深</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></v:group></v:group></w:pict></w:r></w:p>"#.into(),
    ]
    .concat();
    let full = document_xml(&body);
    let numbering = numbering_xml();
    let mut cut = 0;
    while cut < full.len() {
        if full.is_char_boundary(cut) {
            let bytes = zip(&[
                ("word/document.xml", &full.as_bytes()[..cut]),
                ("word/numbering.xml", numbering.as_bytes()),
            ]);
            match read(&bytes, &Limits::default()) {
                Ok(doc) => assert!(!doc.issues.is_empty(), "cut at {cut} must be partial"),
                Err(e) => assert!(matches!(e, ReadError::Unreadable(_)), "{e:?}"),
            }
        }
        cut += 13;
    }
    let whole = read(
        &zip(&[
            ("word/document.xml", full.as_bytes()),
            ("word/numbering.xml", numbering.as_bytes()),
        ]),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(texts(&whole), ["1.\t一", "框", "格", "2.\t二", "深"]);
}

#[test]
fn shape_filled_with_a_picture_is_an_image_but_a_box_with_text_is_not() {
    let shape = |txbx: &str| {
        format!(
            concat!(
                r#"<w:p><w:r><w:drawing><wp:anchor simplePos="0"><wp:simplePos x="0" y="0"/>"#,
                r#"<wp:positionH relativeFrom="page"><wp:posOffset>10</wp:posOffset></wp:positionH><wp:positionV relativeFrom="page"><wp:posOffset>20</wp:posOffset></wp:positionV>"#,
                r#"<wp:extent cx="30" cy="40"/><a:graphic><a:graphicData uri="s"><wps:wsp><wps:spPr><a:blipFill><a:blip/></a:blipFill></wps:spPr>{}</wps:wsp>"#,
                r#"</a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>"#
            ),
            txbx
        )
    };
    let doc = read_body(
        &(shape("")
            + &shape(
                "<wps:txbx><w:txbxContent><w:p><w:r><w:t>字</w:t></w:r></w:p></w:txbxContent></wps:txbx>",
            )),
    );
    assert_eq!(
        doc.blocks,
        vec![
            block("", BlockKind::Image, rect(10, 20, 30, 40), 0, 1),
            block("字", BlockKind::TextBox, rect(10, 20, 30, 40), 0, 3),
        ]
    );
}

#[test]
fn utf16_parts_hidden_text_ruby_and_unbalanced_fields() {
    let body = concat!(
        r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:t>藏</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐</w:t></w:r><w:ruby><w:rt><w:r><w:t>lián</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>廉</w:t></w:r></w:rubyBase></w:ruby><w:r><w:ptab/><w:t>政</w:t></w:r></w:p>"#
    );
    let xml = document_xml(body);
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in xml.replace("UTF-8", "UTF-16").encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let doc = read(&zip(&[("word/document.xml", &utf16)]), &Limits::default()).unwrap();
    assert_eq!(texts(&doc), ["廉\t政"]);
    assert!(doc.issues.is_empty());
}

#[test]
fn objects_anchored_in_a_table_cell_are_placed_from_the_cell() {
    let in_cell = [
        "<w:p>".to_string(),
        anchored_box(&pos("H", "column", "<wp:posOffset>100</wp:posOffset>"), &pos("V", "paragraph", "<wp:posOffset>0</wp:posOffset>"), "格中框"),
        "</w:p>".into(),
        r#"<w:p><w:r><w:pict><v:rect style="position:absolute;margin-left:1pt;margin-top:0;width:2pt;height:2pt"><v:textbox><w:txbxContent><w:p><w:r><w:t>格中VML</w:t></w:r></w:p></w:txbxContent></v:textbox></v:rect></w:pict></w:r></w:p>"#.into(),
    ]
    .concat();
    let body = format!(
        r#"<w:tbl><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="3000"/></w:tblGrid><w:tr><w:tc>{}</w:tc><w:tc>{in_cell}</w:tc></w:tr></w:tbl>"#,
        p("左")
    );
    let doc = read_body(&body);
    // Cell 2 starts 2000 twips (1 270 000 EMU) right of the left margin (1 143 000).
    // The second paragraph of the cell starts one line (173 355) below the row top.
    assert_eq!(
        doc.blocks,
        vec![
            block("左", cell(0, 0, 0, 1, 1), None, 0, 1),
            block(
                "格中框",
                BlockKind::TextBox,
                rect(2_413_100, 914_400, 1_000_000, 500_000),
                0,
                3
            ),
            block(
                "格中VML",
                BlockKind::TextBox,
                rect(2_425_700, 1_087_755, 25_400, 25_400),
                0,
                5
            ),
        ]
    );
}

#[test]
fn absurd_numbers_do_not_overflow() {
    const MIN: &str = "-9223372036854775808";
    const MAX: &str = "9223372036854775807";
    let numbering = format!(
        r#"<w:numbering {NS}><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="{MAX}"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="{MIN}"/></w:lvlOverride></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>"#
    );
    let tall = format!(
        r#"<w:p><w:pPr><w:spacing w:before="31999" w:after="31999" w:line="31999" w:lineRule="auto"/></w:pPr><w:r><w:rPr><w:sz w:val="3999"/></w:rPr><w:t>{}</w:t></w:r></w:p>"#,
        "高".repeat(2000)
    );
    let body = [
        numbered(1, "负"),
        numbered(2, "大"),
        numbered(2, "更大"),
        tall.repeat(50),
        format!(
            r#"<w:tbl><w:tr><w:trPr><w:trHeight w:val="{MAX}"/></w:trPr><w:tc><w:p>{}</w:p></w:tc></w:tr></w:tbl>"#,
            anchored_box(
                &pos("H", "margin", &format!("<wp:posOffset>{MAX}</wp:posOffset>")),
                &pos("V", "line", "<wp:align>bottom</wp:align>"),
                "远"
            )
        ),
    ]
    .concat();
    let sect = format!(
        r#"<w:sectPr><w:pgSz w:w="{MAX}" w:h="{MIN}"/><w:pgMar w:top="{MIN}" w:right="{MAX}" w:bottom="{MIN}" w:left="{MIN}"/><w:docGrid w:type="lines" w:linePitch="{MAX}"/></w:sectPr>"#
    );
    let xml = format!(r#"<w:document {NS}><w:body>{body}{sect}</w:body></w:document>"#);
    let doc = read(
        &zip(&[
            ("word/document.xml", xml.as_bytes()),
            ("word/numbering.xml", numbering.as_bytes()),
        ]),
        &Limits::default(),
    )
    .unwrap();
    // Out of range for every format: shown as digits (saturated), never a panic.
    assert!(doc.blocks[0].text.starts_with("-922337203685477580"));
    assert!(doc.blocks[0].text.ends_with("\t负"));
    assert!(
        doc.blocks
            .iter()
            .any(|b| b.text == "远" && b.rect.is_some())
    );
}

/// A paragraph holding a box anchored just below the paragraph before it:
/// where the box stands tells how tall the text above was estimated.
fn box_below() -> String {
    format!(
        "<w:p>{}</w:p>",
        anchored_box(
            &pos("H", "column", "<wp:posOffset>0</wp:posOffset>"),
            &pos("V", "paragraph", "<wp:posOffset>0</wp:posOffset>"),
            "框"
        )
    )
}

/// Run properties are read by a byte scan when they are plain, and a
/// `mc:Fallback` is passed over by a byte search: both must give what
/// reading their events gives.
#[test]
fn plain_run_properties_and_skipped_fallbacks_read_as_their_events() {
    let paras = |rpr: &str| {
        let mut body = String::new();
        for i in 0..40 {
            // The mark's size alone sizes the even paragraphs, the run's the odd ones.
            let (mark, run) = if i % 2 == 0 { (rpr, "") } else { ("", rpr) };
            body += &format!(
                r#"<w:p><w:pPr><w:rPr>{mark}</w:rPr></w:pPr><w:r><w:rPr>{run}</w:rPr><w:t>行{i}</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐</w:t></w:r></w:p>"#
            );
        }
        body
    };
    // A box anchored below them stands where their estimated heights end.
    let box_below = box_below();
    let read = |rpr: &str| read_body(&(paras(rpr) + &box_below));
    let top = |doc: &Document| doc.blocks.iter().find_map(|b| b.rect).map(|r| r.y);
    let plain = r#"<w:rFonts w:ascii="黑体" w:eastAsia="黑体"/><w:b/><w:sz w:val="96"/><w:szCs w:val="96"/>"#;
    let fast = read(plain);
    // A name outside `CT_RPr` makes the properties be read as events.
    let slow = read(&format!("{plain}<w:notARunProperty/>"));
    assert_eq!(fast.blocks, slow.blocks);
    assert_eq!(fast.blocks.len(), 41);
    assert!(
        fast.blocks.iter().all(|b| !b.text.contains('隐')),
        "{:?}",
        texts(&fast)
    );
    // 48 pt lines stand taller than 10.5 pt ones: the sizes were read.
    let default_size = read("");
    assert!(
        top(&fast) > top(&default_size),
        "{:?} {:?}",
        top(&fast),
        top(&default_size)
    );

    // A Fallback holding a Fallback, then a comment: the tokeniser hands the
    // part to quick-xml after a skipped subtree, by position.
    let nested = concat!(
        r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t>选</w:t></mc:Choice>"#,
        r#"<mc:Fallback><mc:AlternateContent><mc:Choice Requires="wps"/><mc:Fallback><w:t>旧</w:t></mc:Fallback></mc:AlternateContent>"#,
        r#"<mc:Fallback/><w:t>旧</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
        r#"<!-- 注释 --><w:p><w:r><w:t>后</w:t></w:r></w:p>"#
    );
    let doc = read_body(nested);
    assert_eq!(texts(&doc), ["选", "后"]);
    assert!(doc.issues.is_empty(), "{:?}", doc.issues);
}

/// Paragraph properties are read by a byte scan when they are plain (the
/// mark's run properties in them too): each property the pass reads must
/// give what its events give, and must change what is read.
#[test]
fn plain_paragraph_properties_read_as_their_events() {
    let styles = format!(
        r#"<w:styles {NS}><w:style w:type="paragraph" w:styleId="H1"><w:pPr><w:pageBreakBefore/></w:pPr></w:style></w:styles>"#
    );
    // A box anchored below the paragraphs stands where their estimated
    // heights end; a grid of 30 pt lines is what `snapToGrid` turns off.
    let box_below = box_below();
    let grid = r#"<w:p><w:pPr><w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800"/><w:docGrid w:type="lines" w:linePitch="600"/></w:sectPr></w:pPr></w:p>"#;
    let read_with = |ppr: &str| {
        let mut body = String::new();
        for i in 0..6 {
            body += &format!(r#"<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t>行{i}</w:t></w:r></w:p>"#);
        }
        body += &box_below;
        body += grid;
        let extra = [
            ("word/styles.xml", styles.clone()),
            ("word/numbering.xml", numbering_xml()),
        ];
        read(&docx_with(&body, &extra), &Limits::default()).unwrap()
    };
    // A list of tab stops is not plain: with one the same properties come
    // as events.
    let as_events =
        |ppr: &str| format!(r#"{ppr}<w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs>"#);
    let none = read_with("");
    assert_eq!(none.blocks, read_with(&as_events("")).blocks);
    for ppr in [
        r#"<w:pStyle w:val="H1"/>"#,
        r#"<w:spacing w:before="600" w:after="300"/>"#,
        r#"<w:spacing w:line="720" w:lineRule="exact"/>"#,
        r#"<w:pageBreakBefore/>"#,
        r#"<w:snapToGrid w:val="0"/>"#,
        r#"<w:numId w:val="1"/><w:ilvl w:val="0"/>"#,
        r#"<w:jc w:val="center"/><w:rPr><w:rFonts w:ascii="黑体"/><w:b/><w:sz w:val="96"/></w:rPr>"#,
    ] {
        let fast = read_with(ppr);
        let slow = read_with(&as_events(ppr));
        assert_eq!(fast.blocks, slow.blocks, "{ppr}");
        assert!(fast.issues.is_empty() && slow.issues.is_empty(), "{ppr}");
        assert_ne!(fast.blocks, none.blocks, "{ppr} changed nothing");
    }
}

/// A part's repeated property elements are read once and known again by
/// their bytes (see `repeats`): each must still do, wherever it repeats,
/// what its events say, and the same bytes under another written name
/// (another prefix) are read again.
#[test]
fn repeated_run_properties_do_what_they_say_each_time() {
    let run =
        |props: &str, text: &str| format!(r#"<w:r><w:rPr>{props}</w:rPr><w:t>{text}</w:t></w:r>"#);
    let mut body = String::new();
    for i in 0..4 {
        body += "<w:p>";
        body += &run(r#"<w:rFonts w:ascii="黑体"/><w:vanish/>"#, "隐");
        body += &run(
            r#"<w:rFonts w:ascii="黑体"/><w:vanish w:val="0"/>"#,
            &format!("显{i}"),
        );
        body += &run(r#"<w:rFonts w:ascii="黑体"/><w:vanish/>"#, "藏");
        body += "</w:p>";
    }
    // `x` is Word's own namespace here: its run is hidden …
    body += r#"<w:p><x:r xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:rPr><x:vanish/></x:rPr><x:t>隐</x:t></x:r><w:r><w:t>显4</w:t></w:r></w:p>"#;
    // … and a foreign one here, where the same content hides nothing.
    body += r#"<w:p><w:r xmlns:x="urn:other"><w:rPr><x:vanish/></w:rPr><w:t>显5</w:t></w:r></w:p>"#;
    let doc = read_body(&body);
    assert_eq!(texts(&doc), ["显0", "显1", "显2", "显3", "显4", "显5"]);
    assert!(doc.issues.is_empty());
}

//! End-to-end tests on small workbooks built in memory.

use super::read;
use crate::document::{Block, BlockKind, Rect};
use crate::read::{Format, Limits, ReadError};
use std::io::{Cursor, Write};

const NS: &str = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn zip(parts: &[(&str, String)]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in parts {
        z.start_file(*name, o).unwrap();
        z.write_all(body.as_bytes()).unwrap();
    }
    z.finish().unwrap();
    buf.into_inner()
}

fn workbook(sheet_xml: &str, drawing_xml: Option<&str>) -> Vec<u8> {
    let mut parts = vec![
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            format!(r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ),
        (
            "xl/workbook.xml",
            format!(r#"<workbook {NS}><sheets><sheet name="风险表" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#),
        ),
        (
            "xl/sharedStrings.xml",
            format!(r#"<sst {NS} count="3" uniqueCount="3"><si><t>岗位</t></si><si><t xml:space="preserve">1、受理登记
2、审核材料</t></si><si><t>合并</t></si></sst>"#),
        ),
        ("xl/worksheets/sheet1.xml", sheet_xml.to_string()),
    ];
    if let Some(d) = drawing_xml {
        parts.push((
            "xl/worksheets/_rels/sheet1.xml.rels",
            format!(r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/drawing" Target="../drawings/drawing1.xml"/></Relationships>"#),
        ));
        parts.push(("xl/drawings/drawing1.xml", d.to_string()));
    }
    zip(&parts)
}

fn sheet() -> String {
    format!(
        r#"<worksheet {NS}><dimension ref="A1:E3"/><sheetFormatPr defaultRowHeight="15"/><cols><col min="2" max="2" width="20" customWidth="1"/></cols><sheetData>
<row r="1" ht="30" customHeight="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
<row r="2"><c r="A2" t="s"><v>2</v></c><c r="C2"><v>2.5</v></c><c r="D2" t="b"><v>1</v></c><c r="E2" t="e"><v>#DIV/0!</v></c></row>
<row r="3"><c r="A3"><v>5</v></c><c r="C3" t="inlineStr"><is><t>行内</t></is></c><c r="D3"><v>7.0</v></c></row>
</sheetData><mergeCells count="1"><mergeCell ref="A2:A3"/></mergeCells><drawing r:id="rId1"/></worksheet>"#
    )
}

const DRAWING: &str = r#"<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">
<xdr:twoCellAnchor>
 <xdr:from><xdr:col>1</xdr:col><xdr:colOff>9525</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>
 <xdr:to><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>4</xdr:row><xdr:rowOff>19050</xdr:rowOff></xdr:to>
 <xdr:sp><xdr:nvSpPr><xdr:cNvPr id="2" name="流程框"/><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x="1" y="1"/><a:ext cx="1" cy="1"/></a:xfrm></xdr:spPr>
  <xdr:txBody><a:bodyPr/><a:p><a:pPr><a:buFont typeface="+mj-lt"/><a:buAutoNum type="arabicPeriod"/></a:pPr><a:r><a:t>受</a:t></a:r><a:r><a:t>理</a:t></a:r></a:p>
  <a:p><a:pPr><a:buAutoNum type="arabicPeriod"/></a:pPr><a:r><a:t>审核</a:t></a:r><a:br/><a:r><a:t>复核</a:t></a:r></a:p>
  <a:p><a:r><a:t>说明 &amp; 备注</a:t></a:r><a:fld id="{1}" type="slidenum"><a:t>7</a:t></a:fld></a:p></xdr:txBody></xdr:sp>
 <xdr:clientData/>
</xdr:twoCellAnchor>
<xdr:twoCellAnchor>
 <xdr:from><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>0</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>
 <xdr:to><xdr:col>4</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>
 <xdr:sp><xdr:nvSpPr><xdr:cNvPr id="3" name="空框"/><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr/><xdr:txBody><a:bodyPr/><a:p><a:endParaRPr/></a:p></xdr:txBody></xdr:sp>
 <xdr:clientData/>
</xdr:twoCellAnchor>
<xdr:twoCellAnchor>
 <xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>5</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>
 <xdr:to><xdr:col>2</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>7</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>
 <xdr:grpSp><xdr:nvGrpSpPr><xdr:cNvPr id="4" name="组合"/><xdr:cNvGrpSpPr/></xdr:nvGrpSpPr>
  <xdr:grpSpPr><a:xfrm><a:off x="0" y="1143000"/><a:ext cx="1943100" cy="381000"/><a:chOff x="0" y="0"/><a:chExt cx="2000" cy="400"/></a:xfrm></xdr:grpSpPr>
  <xdr:sp><xdr:nvSpPr><xdr:cNvPr id="5" name="子框"/><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x="1000" y="0"/><a:ext cx="1000" cy="200"/></a:xfrm></xdr:spPr>
   <xdr:txBody><a:bodyPr/><a:p><a:pPr><a:buAutoNum type="ea1ChsPlain" startAt="3"/></a:pPr><a:r><a:t>第一</a:t></a:r></a:p><a:p><a:pPr><a:buAutoNum type="ea1ChsPlain" startAt="3"/></a:pPr><a:r><a:t>第二</a:t></a:r></a:p></xdr:txBody></xdr:sp>
  <xdr:pic><xdr:nvPicPr><xdr:cNvPr id="6" name="图片"/><xdr:cNvPicPr/></xdr:nvPicPr><xdr:blipFill/><xdr:spPr><a:xfrm><a:off x="0" y="200"/><a:ext cx="1000" cy="200"/></a:xfrm></xdr:spPr></xdr:pic>
  <xdr:cxnSp><xdr:nvCxnSpPr><xdr:cNvPr id="11" name="连接"/><xdr:cNvCxnSpPr/></xdr:nvCxnSpPr><xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="10" cy="10"/></a:xfrm></xdr:spPr></xdr:cxnSp>
  <xdr:sp><xdr:nvSpPr><xdr:cNvPr id="7" name="圈号"/><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="500" cy="100"/></a:xfrm></xdr:spPr>
   <xdr:txBody><a:bodyPr/><a:p><a:pPr><a:buAutoNum type="circleNumDbPlain"/></a:pPr><a:r><a:t>甲</a:t></a:r></a:p><a:p><a:pPr><a:buAutoNum type="circleNumDbPlain"/></a:pPr><a:r><a:t>乙</a:t></a:r></a:p></xdr:txBody></xdr:sp>
 </xdr:grpSp>
 <xdr:clientData/>
</xdr:twoCellAnchor>
<xdr:oneCellAnchor>
 <xdr:from><xdr:col>4</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>0</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>
 <xdr:ext cx="914400" cy="457200"/>
 <mc:AlternateContent><mc:Choice Requires="a14">
  <xdr:sp><xdr:nvSpPr><xdr:cNvPr id="8" name="新"/><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr/><xdr:txBody><a:bodyPr/><a:p><a:r><a:t>选择</a:t></a:r></a:p></xdr:txBody></xdr:sp>
 </mc:Choice><mc:Fallback>
  <xdr:sp><xdr:nvSpPr><xdr:cNvPr id="9" name="旧"/><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr/><xdr:txBody><a:bodyPr/><a:p><a:r><a:t>后备</a:t></a:r></a:p></xdr:txBody></xdr:sp>
 </mc:Fallback></mc:AlternateContent>
 <xdr:clientData/>
</xdr:oneCellAnchor>
<xdr:absoluteAnchor>
 <xdr:pos x="100" y="200"/><xdr:ext cx="300" cy="400"/>
 <xdr:sp><xdr:nvSpPr><xdr:cNvPr id="10" name="绝对"/><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr/><xdr:txBody><a:bodyPr/><a:p><a:r><a:t>绝对</a:t></a:r></a:p></xdr:txBody></xdr:sp>
 <xdr:clientData/>
</xdr:absoluteAnchor>
</xdr:wsDr>"#;

fn cell(
    text: &str,
    origin: &str,
    rc: (u32, u32),
    span: (u32, u32),
    rect: (i64, i64, i64, i64),
) -> Block {
    Block {
        text: text.into(),
        kind: BlockKind::Cell {
            table: 0,
            row: rc.0,
            col: rc.1,
            row_span: span.0,
            col_span: span.1,
        },
        rect: Some(Rect {
            x: rect.0,
            y: rect.1,
            w: rect.2,
            h: rect.3,
        }),
        page: 0,
        origin: origin.into(),
    }
}

fn shape(kind: BlockKind, text: &str, origin: &str, rect: (i64, i64, i64, i64)) -> Block {
    Block {
        text: text.into(),
        kind,
        rect: Some(Rect {
            x: rect.0,
            y: rect.1,
            w: rect.2,
            h: rect.3,
        }),
        page: 0,
        origin: origin.into(),
    }
}

// Grid of the test sheet: column A 64 px, B 140 px (width 20), others 64 px;
// row 1 is 30 pt, others 15 pt.
const C: i64 = 609_600;
const B: i64 = 1_333_500;
const R: i64 = 190_500;

#[test]
fn xlsx_cells_merges_and_drawing_shapes() {
    let bytes = workbook(&sheet(), Some(DRAWING));
    let doc = read(Format::Xlsx, &bytes, &Limits::default()).unwrap();
    assert_eq!(doc.issues, vec![]);
    let expected = vec![
        cell("岗位", "风险表!A1", (0, 0), (1, 1), (0, 0, C, 2 * R)),
        cell(
            "1、受理登记\n2、审核材料",
            "风险表!B1",
            (0, 1),
            (1, 1),
            (C, 0, B, 2 * R),
        ),
        cell("合并", "风险表!A2:A3", (1, 0), (2, 1), (0, 2 * R, C, 2 * R)),
        cell("2.5", "风险表!C2", (1, 2), (1, 1), (C + B, 2 * R, C, R)),
        cell(
            "TRUE",
            "风险表!D2",
            (1, 3),
            (1, 1),
            (2 * C + B, 2 * R, C, R),
        ),
        cell("行内", "风险表!C3", (2, 2), (1, 1), (C + B, 3 * R, C, R)),
        cell("7", "风险表!D3", (2, 3), (1, 1), (2 * C + B, 3 * R, C, R)),
        shape(
            BlockKind::Shape,
            "1.\t受理\n2.\t审核\n复核\n说明 & 备注7",
            "风险表!drawing/sp2",
            (C + 9525, 2 * R, B + C - 9525, 3 * R + 19050),
        ),
        // Group box: A6..B7 = (0, 6R) 2000×400 child units over (C+B)×2R EMU.
        shape(
            BlockKind::Shape,
            "三\t第一\n四\t第二",
            "风险表!drawing/sp5",
            (971_550, 6 * R, 971_550, R),
        ),
        shape(
            BlockKind::Image,
            "",
            "风险表!drawing/pic6",
            (0, 7 * R, 971_550, R),
        ),
        shape(
            BlockKind::Shape,
            "①\t甲\n②\t乙",
            "风险表!drawing/sp7",
            (0, 6 * R, 485_775, 95_250),
        ),
        shape(
            BlockKind::Shape,
            "选择",
            "风险表!drawing/sp8",
            (2 * C + B + C, 0, 914_400, 457_200),
        ),
        shape(
            BlockKind::Shape,
            "绝对",
            "风险表!drawing/sp10",
            (100, 200, 300, 400),
        ),
    ];
    assert_eq!(doc.blocks, expected);
}

#[test]
fn xlsx_cell_cap_gives_a_partial_read() {
    let bytes = workbook(&sheet(), None);
    let limits = Limits {
        max_cells: 3,
        ..Limits::default()
    };
    let doc = read(Format::Xlsx, &bytes, &limits).unwrap();
    let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(texts, ["岗位", "1、受理登记\n2、审核材料", "合并"]);
    assert_eq!(doc.issues.len(), 1);
    assert_eq!(doc.issues[0].code, "source.unreadable");
    assert_eq!(
        doc.issues[0].message,
        "工作表「风险表」：单元格超过 3 个，其余未读"
    );
}

#[test]
fn broken_drawing_keeps_the_cells() {
    let bytes = workbook(
        &sheet(),
        Some("<xdr:wsDr><xdr:twoCellAnchor><xdr:sp></xdr:wsDr>"),
    );
    let doc = read(Format::Xlsx, &bytes, &Limits::default()).unwrap();
    assert_eq!(doc.blocks.len(), 7);
    assert!(
        doc.blocks
            .iter()
            .all(|b| matches!(b.kind, BlockKind::Cell { .. }))
    );
    assert_eq!(doc.issues.len(), 1);
    assert!(
        doc.issues[0]
            .message
            .contains("绘图 xl/drawings/drawing1.xml 损坏"),
        "{:?}",
        doc.issues
    );
}

#[test]
fn deep_drawing_xml_is_cut_at_the_depth_cap() {
    let deep = format!(
        "<xdr:wsDr>{}{}</xdr:wsDr>",
        "<a:x>".repeat(300),
        "</a:x>".repeat(300)
    );
    let bytes = workbook(&sheet(), Some(&deep));
    let doc = read(Format::Xlsx, &bytes, &Limits::default()).unwrap();
    assert_eq!(doc.blocks.len(), 7);
    assert!(
        doc.issues[0].message.contains("XML 嵌套超过 256 层"),
        "{:?}",
        doc.issues
    );
}

#[test]
fn absurd_shared_string_count_is_refused() {
    // A sharedStrings part that claims 10^15 strings.
    let bytes = zip(&[
        (
            "_rels/.rels",
            format!(
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<workbook {NS}><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/sharedStrings.xml",
            format!(r#"<sst {NS} uniqueCount="1000000000000000"><si><t>a</t></si></sst>"#),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!("<worksheet {NS}><sheetData/></worksheet>"),
        ),
    ]);
    let err = read(Format::Xlsx, &bytes, &Limits::default()).unwrap_err();
    assert!(
        matches!(&err, ReadError::Unreadable(m) if m.contains("共享字符串表声明 1000000000000000 个字符串")),
        "{err:?}"
    );
}

#[test]
fn a_sheet_part_inflating_past_the_caps_is_refused_before_calamine_reads_it() {
    let big = format!(
        "<worksheet {NS}><sheetData>{}</sheetData></worksheet>",
        "<row><c><v>1</v></c></row>".repeat(200_000)
    );
    let bytes = workbook(&big, None);
    let limits = Limits {
        max_part_bytes: 1 << 20,
        ..Limits::default()
    };
    let err = read(Format::Xlsx, &bytes, &limits).unwrap_err();
    assert!(
        matches!(&err, ReadError::Unreadable(m) if m == "部件 xl/worksheets/sheet1.xml 解压后 5200190 字节（压缩比 170:1），超过上限（疑似压缩炸弹）"),
        "{err:?}"
    );
}

/// Deterministic pseudo-random numbers for the mutation tests.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

/// Truncate or corrupt the text at random places (keeping it UTF-8).
fn mutate(text: &str, rng: &mut Lcg) -> String {
    let mut bytes = text.as_bytes().to_vec();
    match rng.next(3) {
        0 => bytes.truncate(rng.next(bytes.len())),
        1 => {
            for _ in 0..8 {
                let at = rng.next(bytes.len());
                if let Some(b) = bytes.get_mut(at) {
                    *b = b"<>/=\"0-9 x"[rng.next(10)];
                }
            }
        }
        _ => {
            let at = rng.next(bytes.len());
            let from = rng.next(bytes.len());
            let piece: Vec<u8> = bytes[from..(from + 40).min(bytes.len())].to_vec();
            bytes.splice(at..at, piece);
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn mutated_sheet_and_drawing_xml_never_panic() {
    let mut rng = Lcg(7);
    let sheet = sheet();
    for _ in 0..150 {
        let bytes = workbook(&mutate(&sheet, &mut rng), Some(&mutate(DRAWING, &mut rng)));
        let _ = read(Format::Xlsx, &bytes, &Limits::default());
    }
}

#[test]
fn mutated_ods_content_never_panics() {
    let content = r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet><table:table table:name="S"><table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="9" office:value-type="float" office:value="1.5"><text:p>a<text:s text:c="3"/>b<text:line-break/>c</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="4"/><table:table-cell office:value-type="date" office:date-value="2024-01-02T10:00:00"/><table:table-cell office:value-type="time" office:time-value="PT01H02M03S"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let mut rng = Lcg(11);
    for _ in 0..300 {
        let bytes = zip(&[
            (
                "mimetype",
                "application/vnd.oasis.opendocument.spreadsheet".into(),
            ),
            ("content.xml", mutate(content, &mut rng)),
        ]);
        let _ = read(Format::Ods, &bytes, &Limits::default());
    }
}

//! WordprocessingML plumbing: the document being written (ids, numbering
//! counters), body paragraphs and tables, the fixed package parts, and the
//! deterministic zip.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Write};

use super::layout::{
    BLANK_SIZE, BoxRef, MARGIN_LEFT_TWIPS, MARGIN_TOP_TWIPS, PAGE_H_TWIPS, PAGE_W_TWIPS, Shape,
    TITLE_SIZES, TPara,
};

pub const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub const NS_A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
pub const NS_PIC: &str = "http://schemas.openxmlformats.org/drawingml/2006/picture";

/// The namespaces Word 2016 declares on `w:document`.
const DOCUMENT_NS: &str = concat!(
    r#"xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" "#,
    r#"xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" "#,
    r#"xmlns:o="urn:schemas-microsoft-com:office:office" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" "#,
    r#"xmlns:v="urn:schemas-microsoft-com:vml" "#,
    r#"xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" "#,
    r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" "#,
    r#"xmlns:w10="urn:schemas-microsoft-com:office:word" "#,
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" "#,
    r#"xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" "#,
    r#"xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" "#,
    r#"xmlns:wpi="http://schemas.microsoft.com/office/word/2010/wordprocessingInk" "#,
    r#"xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml" "#,
    r#"xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" "#,
    r#"mc:Ignorable="w14 w15 wp14""#
);

pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Points with at most two decimals, as Word writes VML styles (`13.65pt`).
pub fn pt(emu: i64) -> String {
    let hundredths = (emu * 100 + emu.signum() * 6350) / 12_700;
    let sign = if hundredths < 0 { "-" } else { "" };
    let h = hundredths.abs();
    match (h / 100, h % 100) {
        (i, 0) => format!("{sign}{i}"),
        (i, f) if f % 10 == 0 => format!("{sign}{i}.{}", f / 10),
        (i, f) => format!("{sign}{i}.{f:02}"),
    }
}

/// The document being written: body XML, id counters and the Word
/// auto-numbering as it renders, box by box, in document order.
pub struct Doc {
    pub body: String,
    next_docpr: u32,
    next_spid: u32,
    next_para: u32,
    next_z: u32,
    shapetypes: BTreeSet<&'static str>,
    counters: BTreeMap<u32, u32>,
    /// Rendered numbers of the auto-numbered paragraphs, per (chart, box).
    pub rendered: BTreeMap<(usize, BoxRef), Vec<u32>>,
    pub chart: usize,
    pub uses_numbering: bool,
    pub image: Option<Vec<u8>>,
}

impl Doc {
    pub fn new() -> Doc {
        Doc {
            body: String::new(),
            next_docpr: 1,
            next_spid: 1026,
            next_para: 0x1A2B_0001,
            next_z: 251_659_264,
            shapetypes: BTreeSet::new(),
            counters: BTreeMap::new(),
            rendered: BTreeMap::new(),
            chart: 0,
            uses_numbering: false,
            image: None,
        }
    }

    pub fn docpr(&mut self) -> u32 {
        self.next_docpr += 1;
        self.next_docpr - 1
    }

    /// A VML shape id `_x0000_s1026`, as Word and WPS number them.
    pub fn spid(&mut self) -> String {
        self.next_spid += 1;
        format!("_x0000_s{}", self.next_spid - 1)
    }

    pub fn z(&mut self) -> u32 {
        self.next_z += 1024;
        self.next_z - 1024
    }

    fn para_id(&mut self) -> String {
        self.next_para += 0x0101;
        format!("{:08X}", self.next_para)
    }

    /// True the first time a VML shape type is needed: Word writes its
    /// `v:shapetype` once, with the first shape that uses it.
    pub fn first_use(&mut self, shapetype: &'static str) -> bool {
        self.shapetypes.insert(shapetype)
    }

    /// `w:txbxContent` of a box. `live` is false for the `mc:Fallback` copy,
    /// whose auto-numbered paragraphs Word does not count again.
    pub fn txbx_content(&mut self, shape: &Shape, live: bool) -> String {
        let mut out = String::from("<w:txbxContent>");
        for p in &shape.paras {
            if let (Some(num), true) = (p.num_id, live) {
                let n = self.counters.entry(num).or_insert(0);
                *n += 1;
                if let Some(src) = shape.source {
                    self.rendered.entry((self.chart, src)).or_default().push(*n);
                }
            }
            if p.num_id.is_some() {
                self.uses_numbering = true;
            }
            out.push_str(&box_para(p));
        }
        out.push_str("</w:txbxContent>");
        out
    }

    fn open_para(&mut self) -> String {
        format!(
            r#"<w:p w14:paraId="{}" w14:textId="77777777">"#,
            self.para_id()
        )
    }

    /// Department, title and name lines; a page break opens every chart but
    /// the first, at the start of its department paragraph.
    pub fn titles(&mut self, department: &str, title: &str, name_line: &str, page_break: bool) {
        let [dept_sz, title_sz, name_sz] = TITLE_SIZES;
        let heiti = r#"<w:rFonts w:ascii="黑体" w:eastAsia="黑体" w:hAnsi="黑体"/>"#;
        let open = self.open_para();
        let brk = if page_break {
            r#"<w:r><w:br w:type="page"/></w:r>"#
        } else {
            ""
        };
        let rpr = format!(r#"{heiti}<w:sz w:val="{dept_sz}"/><w:szCs w:val="{dept_sz}"/>"#);
        self.body.push_str(&format!(
            r#"{open}<w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="center"/><w:rPr>{rpr}</w:rPr></w:pPr>{brk}{}</w:p>"#,
            run(&rpr, department)
        ));

        // Word splits the title where the script changes: `…防控图<` `行政裁决类1` `>`.
        let rpr = format!(
            r#"<w:rFonts w:ascii="方正小标宋简体" w:eastAsia="方正小标宋简体" w:hAnsi="方正小标宋简体"/><w:b/><w:sz w:val="{title_sz}"/><w:szCs w:val="{title_sz}"/>"#
        );
        let runs: String = match (title.find('<'), title.rfind('>')) {
            (Some(lt), Some(gt)) if lt < gt => [&title[..lt + 1], &title[lt + 1..gt], &title[gt..]]
                .iter()
                .map(|t| run(&rpr, t))
                .collect(),
            _ => run(&rpr, title),
        };
        let open = self.open_para();
        self.body.push_str(&format!(
            r#"{open}<w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="center"/><w:rPr>{rpr}</w:rPr></w:pPr>{runs}</w:p>"#
        ));

        let rpr = format!(
            r#"<w:rFonts w:ascii="仿宋" w:eastAsia="仿宋" w:hAnsi="仿宋"/><w:sz w:val="{name_sz}"/><w:szCs w:val="{name_sz}"/>"#
        );
        let runs: String = match name_line.split_once('：') {
            Some((label, name)) => run(&rpr, &format!("{label}：")) + &run(&rpr, name),
            None => run(&rpr, name_line),
        };
        let open = self.open_para();
        self.body.push_str(&format!(
            r#"{open}<w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:rPr>{rpr}</w:rPr></w:pPr>{runs}</w:p>"#
        ));
    }

    /// One blank 10.5 pt paragraph holding the given drawing runs.
    pub fn blank_para(&mut self, runs: &str) {
        let open = self.open_para();
        self.body.push_str(&format!(
            r#"{open}<w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:rPr><w:sz w:val="{BLANK_SIZE}"/><w:szCs w:val="{BLANK_SIZE}"/></w:rPr></w:pPr>{runs}</w:p>"#
        ));
    }

    /// The one-row phone table under every chart: label, number, label, number.
    pub fn phone_table(&mut self, service: &str, supervision: &str) {
        let border = |side: &str| {
            format!(r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>"#)
        };
        let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"]
            .iter()
            .map(|s| border(s))
            .collect();
        let rpr = r#"<w:sz w:val="21"/><w:szCs w:val="21"/>"#;
        let cell = |text: &str| {
            let content = if text.is_empty() {
                String::new()
            } else {
                run(rpr, text)
            };
            format!(
                r#"<w:tc><w:tcPr><w:tcW w:w="2076" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:jc w:val="center"/><w:rPr>{rpr}</w:rPr></w:pPr>{content}</w:p></w:tc>"#
            )
        };
        let cells: String = ["服务电话", service, "监管电话", supervision]
            .iter()
            .map(|t| cell(t))
            .collect();
        self.body.push_str(&format!(
            concat!(
                r#"<w:tbl><w:tblPr><w:tblW w:w="8304" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{}</w:tblBorders>"#,
                r#"<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>"#,
                r#"<w:tblGrid><w:gridCol w:w="2076"/><w:gridCol w:w="2076"/><w:gridCol w:w="2076"/><w:gridCol w:w="2076"/></w:tblGrid>"#,
                r#"<w:tr><w:trPr><w:trHeight w:val="454"/><w:jc w:val="center"/></w:trPr>{}</w:tr></w:tbl>"#
            ),
            borders, cells
        ));
    }

    /// The final paragraph (Word never ends a body with a table) and the A4 section.
    pub fn finish(mut self) -> (String, Doc) {
        let open = self.open_para();
        self.body.push_str(&format!(
            r#"{open}<w:pPr><w:rPr><w:sz w:val="{BLANK_SIZE}"/></w:rPr></w:pPr></w:p>"#
        ));
        let xml = format!(
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                "\r\n",
                r#"<w:document {}><w:body>{}<w:sectPr><w:pgSz w:w="{}" w:h="{}"/>"#,
                r#"<w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="851" w:footer="992" w:gutter="0"/>"#,
                r#"<w:cols w:space="425"/><w:docGrid w:linePitch="312"/></w:sectPr></w:body></w:document>"#
            ),
            DOCUMENT_NS,
            self.body,
            PAGE_W_TWIPS,
            PAGE_H_TWIPS,
            MARGIN_TOP_TWIPS,
            MARGIN_LEFT_TWIPS,
            MARGIN_TOP_TWIPS,
            MARGIN_LEFT_TWIPS
        );
        self.body = String::new();
        (xml, self)
    }
}

fn run(rpr: &str, text: &str) -> String {
    let space = if text.starts_with(' ') || text.ends_with(' ') || text.contains("  ") {
        r#" xml:space="preserve""#
    } else {
        ""
    };
    format!(
        "<w:r><w:rPr>{rpr}</w:rPr><w:t{space}>{}</w:t></w:r>",
        esc(text)
    )
}

/// One paragraph inside a text box.
pub fn box_para(p: &TPara) -> String {
    let num = match p.num_id {
        Some(id) => format!(r#"<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{id}"/></w:numPr>"#),
        None => String::new(),
    };
    let jc = if p.center {
        r#"<w:jc w:val="center"/>"#
    } else {
        r#"<w:jc w:val="left"/>"#
    };
    let bold = if p.bold { "<w:b/><w:bCs/>" } else { "" };
    let rpr = format!(
        r#"<w:rFonts w:hint="eastAsia"/>{bold}<w:sz w:val="{0}"/><w:szCs w:val="{0}"/>"#,
        p.size
    );
    let runs: String = p.runs.iter().map(|t| run(&rpr, t)).collect();
    format!(
        r#"<w:p><w:pPr>{num}<w:spacing w:line="240" w:lineRule="auto"/>{jc}<w:rPr>{rpr}</w:rPr></w:pPr>{runs}</w:p>"#
    )
}

const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";

fn content_types(numbering: bool, png: bool) -> String {
    let mut s = format!(
        concat!(
            "{}",
            r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
            r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
            r#"<Default Extension="xml" ContentType="application/xml"/>"#
        ),
        XML_DECL
    );
    if png {
        s.push_str(r#"<Default Extension="png" ContentType="image/png"/>"#);
    }
    s.push_str(r#"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#);
    s.push_str(r#"<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>"#);
    s.push_str(r#"<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>"#);
    if numbering {
        s.push_str(r#"<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>"#);
    }
    s.push_str(r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#);
    s.push_str(r#"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#);
    s.push_str("</Types>");
    s
}

fn package_rels() -> String {
    format!(
        concat!(
            "{}",
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#,
            r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
            r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#,
            "</Relationships>"
        ),
        XML_DECL
    )
}

/// Relationship id of the picture in word/_rels/document.xml.rels.
pub const IMAGE_RID: &str = "rId4";

fn document_rels(numbering: bool, png: bool) -> String {
    let base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut s = format!(
        r#"{XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{base}/styles" Target="styles.xml"/><Relationship Id="rId2" Type="{base}/settings" Target="settings.xml"/>"#
    );
    if numbering {
        s.push_str(&format!(
            r#"<Relationship Id="rId3" Type="{base}/numbering" Target="numbering.xml"/>"#
        ));
    }
    if png {
        s.push_str(&format!(
            r#"<Relationship Id="{IMAGE_RID}" Type="{base}/image" Target="media/image1.png"/>"#
        ));
    }
    s.push_str("</Relationships>");
    s
}

fn styles() -> String {
    format!(
        concat!(
            "{}",
            r#"<w:styles xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:w="{}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" mc:Ignorable="w14">"#,
            r#"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="宋体" w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:kern w:val="2"/><w:sz w:val="21"/><w:szCs w:val="22"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>"#,
            r#"<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style>"#,
            r#"<w:style w:type="character" w:default="1" w:styleId="a0"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"#,
            r#"<w:style w:type="table" w:default="1" w:styleId="a1"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#,
            r#"<w:style w:type="numbering" w:default="1" w:styleId="a2"><w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"#,
            "</w:styles>"
        ),
        XML_DECL, NS_W
    )
}

fn settings() -> String {
    format!(
        concat!(
            "{}",
            r#"<w:settings xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:w="{}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" mc:Ignorable="w14">"#,
            r#"<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/><w:drawingGridVerticalSpacing w:val="156"/>"#,
            r#"<w:displayHorizontalDrawingGridEvery w:val="0"/><w:displayVerticalDrawingGridEvery w:val="2"/><w:characterSpacingControl w:val="compressPunctuation"/>"#,
            r#"<w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/><w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/>"#,
            r#"<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>"#,
            r#"<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>"#
        ),
        XML_DECL, NS_W
    )
}

/// One decimal list, `%1.` with a tab, nine levels as Word writes them; num 1 uses it.
fn numbering() -> String {
    let formats = [
        ("decimal", "%1."),
        ("lowerLetter", "%2)"),
        ("lowerRoman", "%3."),
        ("decimal", "%4."),
        ("lowerLetter", "%5)"),
        ("lowerRoman", "%6."),
        ("decimal", "%7."),
        ("lowerLetter", "%8)"),
        ("lowerRoman", "%9."),
    ];
    let levels: String = formats
        .iter()
        .enumerate()
        .map(|(i, (fmt, text))| {
            let jc = if *fmt == "lowerRoman" { "right" } else { "left" };
            format!(
                r#"<w:lvl w:ilvl="{i}" w:tentative="{}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="{jc}"/><w:pPr><w:ind w:left="{}" w:hanging="360"/></w:pPr></w:lvl>"#,
                u8::from(i > 0),
                360 + 420 * i
            )
        })
        .collect();
    format!(
        concat!(
            "{}",
            r#"<w:numbering xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:w="{}" xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" mc:Ignorable="w15">"#,
            r#"<w:abstractNum w:abstractNumId="0" w15:restartNumberingAfterBreak="0"><w:nsid w:val="3F2A6C11"/><w:multiLevelType w:val="hybridMultilevel"/><w:tmpl w:val="5C8E0B2A"/>{}</w:abstractNum>"#,
            r#"<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
        ),
        XML_DECL, NS_W, levels
    )
}

fn core_props() -> String {
    format!(
        concat!(
            "{}",
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            r#"<dc:title></dc:title><dc:creator>Administrator</dc:creator><cp:lastModifiedBy>Administrator</cp:lastModifiedBy><cp:revision>3</cp:revision>"#,
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">2019-03-12T02:15:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2019-03-14T08:40:00Z</dcterms:modified></cp:coreProperties>"#
        ),
        XML_DECL
    )
}

fn app_props(application: &str) -> String {
    format!(
        concat!(
            "{}",
            r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#,
            r#"<Template>Normal.dotm</Template><TotalTime>42</TotalTime><Pages>1</Pages><Application>{}</Application><DocSecurity>0</DocSecurity></Properties>"#
        ),
        XML_DECL,
        esc(application)
    )
}

/// Zips the finished document with its fixed parts, in a fixed order with
/// fixed timestamps, so the same input always gives the same bytes.
pub fn package(document_xml: &str, doc: &Doc, application: &str) -> Vec<u8> {
    let numbering_used = doc.uses_numbering;
    let png = doc.image.as_deref();
    let mut parts: Vec<(&str, Vec<u8>)> = vec![
        (
            "[Content_Types].xml",
            content_types(numbering_used, png.is_some()).into_bytes(),
        ),
        ("_rels/.rels", package_rels().into_bytes()),
        ("word/document.xml", document_xml.as_bytes().to_vec()),
        (
            "word/_rels/document.xml.rels",
            document_rels(numbering_used, png.is_some()).into_bytes(),
        ),
        ("word/styles.xml", styles().into_bytes()),
        ("word/settings.xml", settings().into_bytes()),
    ];
    if numbering_used {
        parts.push(("word/numbering.xml", numbering().into_bytes()));
    }
    if let Some(png) = png {
        parts.push(("word/media/image1.png", png.to_vec()));
    }
    parts.push(("docProps/core.xml", core_props().into_bytes()));
    parts.push(("docProps/app.xml", app_props(application).into_bytes()));

    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes) in parts {
        zip.start_file(name, options)
            .and_then(|()| zip.write_all(&bytes).map_err(Into::into))
            .unwrap_or_else(|e| panic!("zipping {name}: {e}"));
    }
    zip.finish()
        .unwrap_or_else(|e| panic!("finishing zip: {e}"))
        .into_inner()
}

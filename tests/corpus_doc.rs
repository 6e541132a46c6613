//! Every .doc / .dot / .wps of the robustness corpus must be read or refused
//! cleanly: no panic, no hang. Plus exact-text checks on a few known files.

#[path = "support/shared.rs"]
mod shared;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use riskflow::document::{BlockKind, Document};
use riskflow::read::{Limits, ReadError};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");
/// Where the corpus is seen from a worktree under `wt/`.
const CORPUS_FROM_WORKTREE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus");

fn corpus() -> Option<&'static Path> {
    [CORPUS, CORPUS_FROM_WORKTREE]
        .into_iter()
        .map(Path::new)
        .find(|p| p.is_dir())
}
const PER_FILE: Duration = Duration::from_secs(30);

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if let Some(ext) = p.extension().and_then(|e| e.to_str())
            && ["doc", "dot", "wps"].contains(&ext.to_ascii_lowercase().as_str())
        {
            out.push(p);
        }
    }
}

enum Outcome {
    Read(Result<Document, ReadError>),
    Panicked,
    Hung,
}

fn read_guarded(bytes: Vec<u8>) -> Outcome {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = std::panic::catch_unwind(|| riskflow::read::read(&bytes, &Limits::default()).1);
        let _ = tx.send(r);
    });
    match rx.recv_timeout(PER_FILE) {
        Ok(Ok(r)) => Outcome::Read(r),
        Ok(Err(_)) => Outcome::Panicked,
        Err(_) => Outcome::Hung,
    }
}

#[test]
fn corpus_never_panics_or_hangs() {
    let Some(root) = corpus() else {
        shared::missing(Path::new(CORPUS));
        return;
    };
    let mut files = Vec::new();
    collect(root, &mut files);
    files.sort();
    let started = Instant::now();
    let (mut ok, mut partial, mut refused) = (0, 0, 0);
    let mut bad = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap_or_default();
        match read_guarded(bytes) {
            Outcome::Read(Ok(d)) if d.issues.is_empty() => ok += 1,
            Outcome::Read(Ok(_)) => partial += 1,
            Outcome::Read(Err(_)) => refused += 1,
            Outcome::Panicked => bad.push(format!("panicked: {}", f.display())),
            Outcome::Hung => bad.push(format!("hung: {}", f.display())),
        }
    }
    println!(
        "{} files in {:?}: {ok} ok, {partial} partial, {refused} refused, {} bad",
        files.len(),
        started.elapsed(),
        bad.len()
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// `DOC_DUMP=path cargo test --test corpus_doc dump -- --ignored --nocapture`
#[test]
#[ignore]
fn dump() {
    let Ok(paths) = std::env::var("DOC_DUMP") else {
        return;
    };
    for path in paths.split(':') {
        let bytes = std::fs::read(path).unwrap();
        let (fmt, r) = riskflow::read::read(&bytes, &Limits::default());
        println!("== {path} {fmt:?}");
        match r {
            Ok(d) => {
                for b in &d.blocks {
                    println!(
                        "{:?} p{} {:?} {} {:?}",
                        b.kind, b.page, b.rect, b.origin, b.text
                    );
                }
                println!("issues {:?}", d.issues);
            }
            Err(e) => println!("error {e:?}"),
        }
    }
}

// ---- exact values from known corpus files (text checked against the raw bytes) ----

/// The bytes of a corpus file, or None (with a notice) when the corpus is absent.
fn corpus_file(rel: &str) -> Option<Vec<u8>> {
    let Some(root) = corpus() else {
        shared::missing(Path::new(CORPUS));
        return None;
    };
    Some(std::fs::read(root.join(rel)).expect("corpus file listed in the test exists"))
}

fn read_doc(rel: &str) -> Option<Result<Document, ReadError>> {
    let bytes = corpus_file(rel)?;
    let (format, r) = riskflow::read::read(&bytes, &Limits::default());
    assert_eq!(format, riskflow::read::Format::Doc, "{rel}");
    Some(r)
}

fn texts(d: &Document, kind: fn(&BlockKind) -> bool) -> Vec<(String, String)> {
    d.blocks
        .iter()
        .filter(|b| kind(&b.kind))
        .map(|b| (b.origin.clone(), b.text.clone()))
        .collect()
}

fn cells(d: &Document) -> Vec<(u32, u32, u32, String)> {
    d.blocks
        .iter()
        .filter_map(|b| match b.kind {
            BlockKind::Cell {
                table, row, col, ..
            } => Some((table, row, col, b.text.clone())),
            _ => None,
        })
        .collect()
}

fn s(v: &str) -> String {
    v.to_string()
}

#[test]
fn simple_table_paragraphs_and_cells() {
    let Some(r) = read_doc("poi/test-data/document/simple-table.doc") else {
        return;
    };
    let d = r.unwrap();
    assert!(d.issues.is_empty());
    assert_eq!(
        texts(&d, |k| *k == BlockKind::Paragraph),
        [
            (
                s("WordDocument#cp0"),
                // The 0x96 byte of the compressed text is an en dash.
                s(
                    "This is a Word document that was created using Word 97 \u{2013} SR2.  It contains a paragraph, a table consisting of 2 rows and 3 columns and a final paragraph."
                )
            ),
            (s("WordDocument#cp210"), s("This text is below the table.")),
        ]
    );
    let expected: Vec<(u32, u32, u32, String)> = (0..2)
        .flat_map(|r| (0..3).map(move |c| (0, r, c, format!("Cell {},{}", r + 1, c + 1))))
        .collect();
    assert_eq!(cells(&d), expected);
    assert_eq!(d.blocks[1].origin, "WordDocument#cp154");
    assert!(d.blocks.iter().all(|b| b.page == 0 && b.rect.is_none()));
}

#[test]
fn chinese_paragraphs_and_table() {
    let Some(r) = read_doc("poi/test-data/document/61490.doc") else {
        return;
    };
    let d = r.unwrap();
    let paras = texts(&d, |k| *k == BlockKind::Paragraph);
    assert_eq!(paras[0], (s("WordDocument#cp2"), s("居中的大标题")));
    // Numbered headings: the labels come from the list definitions.
    assert_eq!(paras[1], (s("WordDocument#cp10"), s("1.\t章节1")));
    assert_eq!(paras[3], (s("WordDocument#cp25"), s("1.1.\t章节1.1")));
    assert_eq!(paras[5], (s("WordDocument#cp212"), s("1.2.\t章节1.2")));
    assert_eq!(paras[2], (s("WordDocument#cp14"), s("章节1的内容，一段话")));
    assert_eq!(paras[6], (s("WordDocument#cp218"), s("下面是表格3x3")));
    assert_eq!(paras.len(), 7);
    let expected: Vec<(u32, u32, u32, String)> = (0..3)
        .flat_map(|r| (0..3).map(move |c| (0, r, c, format!("{}{}", r + 1, c + 1))))
        .collect();
    assert_eq!(cells(&d), expected);
}

#[test]
fn nested_table_is_flattened_into_its_cell() {
    let Some(r) = read_doc("poi/test-data/document/innertable.doc") else {
        return;
    };
    let c = cells(&r.unwrap());
    assert_eq!(c.len(), 9);
    assert_eq!(c[4], (0, 1, 1, s("E\n1\n2\n3\n4\nF")));
    assert_eq!(c[8], (0, 2, 2, s("J")));
}

#[test]
fn text_boxes_of_an_org_chart_with_geometry() {
    let Some(r) = read_doc("poi/test-data/document/saved-by-table.doc") else {
        return;
    };
    let d = r.unwrap();
    let boxes: Vec<&riskflow::document::Block> = d
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::TextBox)
        .collect();
    let got: Vec<(&str, &str)> = boxes
        .iter()
        .map(|b| (b.origin.as_str(), b.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("WordDocument#txbx2", "The Special \nRepublican Guard"),
            ("WordDocument#txbx4", "Saddam\u{2019}s Martyrs"),
            ("WordDocument#txbx5", "Project 858"),
            ("WordDocument#txbx6", "The Tribal \nChief\u{2019}s Bureau"),
            (
                "WordDocument#txbx7",
                "The Directorate \nof \nGeneral Intelligence"
            ),
            (
                "WordDocument#txbx8",
                "The Directorate of \nGeneral Security"
            ),
            ("WordDocument#txbx9", "Military \nSecurity Service"),
            (
                "WordDocument#txbx10",
                "The Directorate of \nMilitary \nIntelligence"
            ),
            (
                "WordDocument#txbx11",
                "The Special \nProtection\n Apparatus"
            ),
            (
                "WordDocument#txbx12",
                "The \nSpecial Security \nOrganisation"
            ),
            ("WordDocument#txbx13", "Special Security \nCommittee"),
            ("WordDocument#txbx14", "The National \nSecurity Council"),
            ("WordDocument#txbx15", "The Presidential \nSecretariat"),
            ("WordDocument#txbx16", "SADDAM \nAND HIS SONS"),
        ]
    );
    // All inside one group anchored on the third page; the chart's head is at
    // the top, the box below it further down. The group hangs 66 twips below
    // its paragraph ("Part Two …", estimated 832 twips below the 1985-twip
    // top margin): 1 260 475 + 528 320 + 41 910 EMU.
    assert!(boxes.iter().all(|b| b.page == 2));
    let head = boxes[13].rect.unwrap();
    assert_eq!(
        head,
        riskflow::document::Rect {
            x: 2865010,
            y: 1830705,
            w: 947689,
            h: 662460
        }
    );
    let secretariat = boxes[12].rect.unwrap();
    assert_eq!(secretariat.x, head.x);
    assert!(secretariat.y > head.bottom());
}

#[test]
fn text_box_field_result_and_cjk() {
    let Some(r) = read_doc("poi/test-data/document/test-fields.doc") else {
        return;
    };
    let d = r.unwrap();
    assert_eq!(
        texts(&d, |k| *k == BlockKind::TextBox),
        [(s("WordDocument#txbx1"), s("Field in text box: 2"))]
    );
    // A date field: its code is dropped, its result kept.
    assert_eq!(d.blocks[0].text, "19/11/2010 14:49:00");
    let Some(r) = read_doc("poi/test-data/document/Bug41898.doc") else {
        return;
    };
    assert_eq!(
        texts(&r.unwrap(), |k| *k == BlockKind::TextBox),
        [
            (s("WordDocument#txbx3"), s("This is a line of text.")),
            (s("WordDocument#txbx4"), s("すれはテキスト行です。")),
        ]
    );
}

#[test]
fn page_breaks_count_pages() {
    for f in ["page-break.doc", "page-break-before.doc"] {
        let Some(r) = read_doc(&format!("poi/test-data/document/{f}")) else {
            return;
        };
        let pages: Vec<(String, u32)> = r
            .unwrap()
            .blocks
            .iter()
            .map(|b| (b.text.clone(), b.page))
            .collect();
        assert_eq!(pages, [(s("Line 1"), 0), (s("Line 2"), 1)], "{f}");
    }
}

#[test]
fn encrypted_documents_are_refused() {
    for f in [
        "PasswordProtected.doc",
        "password_tika_binaryrc4.doc",
        "password_password_cryptoapi.doc",
    ] {
        let Some(r) = read_doc(&format!("poi/test-data/document/{f}")) else {
            return;
        };
        assert!(matches!(r, Err(ReadError::Encrypted(_))), "{f}: {r:?}");
    }
}

#[test]
fn word6_is_read_in_its_code_page() {
    let Some(r) = read_doc("poi/test-data/document/Word6.doc") else {
        return;
    };
    let d = r.unwrap();
    assert_eq!(
        texts(&d, |k| *k == BlockKind::Paragraph),
        [(
            s("WordDocument#cp0"),
            s("The quick brown fox jumps over the lazy dog")
        )]
    );
    assert_eq!(d.encoding.as_deref(), Some("windows-1252"));
}

#[test]
fn truncated_file_is_read_partially() {
    let Some(r) = read_doc("poi/test-data/document/47950_normal.doc") else {
        return;
    };
    let d = r.unwrap();
    assert_eq!(d.blocks[0].text, "This is a sample Word document");
    assert_eq!(d.issues.len(), 1);
    assert_eq!(d.issues[0].code, "source.unreadable");
}

#[test]
fn fuzzed_compound_file_is_unreadable() {
    let Some(r) = read_doc(
        "poi/test-data/document/clusterfuzz-testcase-minimized-POIHWPFFuzzer-5418937293340672.doc",
    ) else {
        return;
    };
    assert!(matches!(r, Err(ReadError::Unreadable(_))), "{r:?}");
}

// ---- a real-shaped flow chart: LibreOffice's .doc of a flow-chart .docx ----

#[test]
fn flow_chart_fixture_text_boxes_with_geometry() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/doc/group_canvas.doc");
    let bytes = std::fs::read(path).expect("committed fixture");
    let d = riskflow::read::read(&bytes, &Limits::default()).1.unwrap();
    assert!(d.issues.is_empty());
    let paras = texts(&d, |k| *k == BlockKind::Paragraph);
    assert_eq!(paras[1].1, "权力运行廉政风险防控图<其他权力20>");
    assert_eq!(
        paras[2].1,
        "职权名称：用人单位未按照规定支付劳动报酬和经济补偿处理"
    );
    assert_eq!(cells(&d)[0], (0, 0, 0, s("服务电话")));
    let boxes: Vec<&riskflow::document::Block> = d
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::TextBox)
        .collect();
    assert_eq!(boxes.len(), 33);
    // Every box has a place; the first chart's 17 boxes are on page 0, the rest on page 1.
    assert!(boxes.iter().all(|b| b.rect.is_some()));
    assert_eq!(boxes.iter().filter(|b| b.page == 0).count(), 17);
    assert_eq!(boxes.iter().filter(|b| b.page == 1).count(), 16);
    let find = |page: u32, text: &str| {
        boxes
            .iter()
            .find(|b| b.page == page && b.text.starts_with(text))
            .unwrap_or_else(|| panic!("no box {text:?} on page {page}"))
            .rect
            .unwrap()
    };
    // Where the source .docx puts the first chart's boxes (its group's page
    // anchor and scale applied to each child's offset and size, in EMU).
    // LibreOffice's .doc insets rounded rectangles by about 0.02", hence the
    // tolerance.
    let source = [
        ("防控措施", 457200, 1727200, 2489200, 469900),
        ("工作流程", 3175000, 1727200, 1219200, 381000),
        ("风险点等级", 4622800, 1727200, 2489200, 469900),
        ("发现违法事实", 3175000, 2641600, 1219200, 330200),
        ("1.不按规定受理", 4622800, 2374900, 2489200, 863600),
        ("1.建立查处案件台帐", 457200, 2451100, 2489200, 711200),
        ("立  案", 3175000, 3416300, 1219200, 330200),
        ("调  查", 3175000, 4343400, 1219200, 330200),
        ("1.调查取证时", 4622800, 3924300, 2489200, 1168400),
        ("1.规范处分程序", 457200, 4000500, 2489200, 1016000),
        ("告  知", 3175000, 5537200, 1219200, 330200),
        ("1.不进行告知", 4622800, 5410200, 2489200, 571500),
        ("1.严格政务公开制度", 457200, 5270500, 2489200, 863600),
        ("送  达", 3175000, 6426200, 1219200, 330200),
        ("1.不按时送达", 4622800, 6388100, 2489200, 419100),
        ("1.严格按照法规程序", 457200, 6311900, 2489200, 571500),
        ("结  案", 3175000, 7061200, 1219200, 330200),
    ];
    for (text, x, y, w, h) in source {
        let r = find(0, text);
        let close = |a: i64, b: i64| (a - b).abs() <= 40_000;
        assert!(
            close(r.x, x) && close(r.y, y) && close(r.w, w) && close(r.h, h),
            "{text}: got {r:?}, source ({x}, {y}, {w}, {h})"
        );
    }
    // And exactly what this reader gives today, to catch drift.
    assert_eq!(
        find(0, "结  案"),
        riskflow::document::Rect {
            x: 3190875,
            y: 7077710,
            w: 1187450,
            h: 297815
        }
    );
    // The process steps of the first chart form one column, top to bottom.
    let steps = [
        "发现违法事实",
        "立  案",
        "调  查",
        "告  知",
        "送  达",
        "结  案",
    ];
    let rects: Vec<riskflow::document::Rect> = steps.iter().map(|t| find(0, t)).collect();
    assert!(rects.iter().all(|r| r.x == 3190875));
    assert!(rects.windows(2).all(|w| w[0].bottom() < w[1].y));
    // Column headings share a row.
    let heads = ["防控措施\n及责任人", "工作流程", "风险点等级\n及表现形式"];
    assert!(heads.iter().all(|t| find(1, t).y == 1727200));
}

#[test]
fn deleted_revisions_are_not_read() {
    let Some(r) = read_doc("poi/test-data/document/MarkAuthorsTable.doc") else {
        return;
    };
    let d = r.unwrap();
    let para = d
        .blocks
        .iter()
        .find(|b| b.origin == "WordDocument#cp1051")
        .expect("the paragraph with a tracked change");
    // Stored as "Wh" + inserted "en" + deleted "ile".
    assert!(
        para.text
            .contains("iControl.  When the overall framework avoids"),
        "{}",
        para.text
    );
    assert!(!d.blocks.iter().any(|b| b.text.contains("Whenile")));
}

#[test]
fn list_numbers_are_rendered_as_word_shows_them() {
    let Some(r) = read_doc("poi/test-data/document/Lists.doc") else {
        return;
    };
    let d = r.unwrap();
    let text = |origin: &str| {
        d.blocks
            .iter()
            .find(|b| b.origin == origin)
            .map(|b| b.text.clone())
            .unwrap_or_default()
    };
    assert_eq!(text("WordDocument#cp68"), "•\tUnordered list 1");
    assert_eq!(text("WordDocument#cp123"), "1.\tOrdered list 1");
    assert_eq!(text("WordDocument#cp143"), "3.\tOL 3");
    // A second multi-level list starts again at 1 and nests its numbers.
    assert_eq!(text("WordDocument#cp352"), "1.\tOL 1");
    assert_eq!(text("WordDocument#cp394"), "2.2.2.1.\tOL 2.2.2.1");
    assert_eq!(text("WordDocument#cp405"), "2.2.3.\tOL 2.2.3");
    assert_eq!(text("WordDocument#cp414"), "3.\tOL 3");
    assert_eq!(text("WordDocument#cp522"), "The end!");
}

#[test]
fn chinese_list_formats_fixture() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/doc/numbering.doc");
    let bytes = std::fs::read(path).expect("committed fixture");
    let d = riskflow::read::read(&bytes, &Limits::default()).1.unwrap();
    let labels: Vec<&str> = d
        .blocks
        .iter()
        .map(|b| b.text.split('、').next().unwrap_or(""))
        .collect();
    assert_eq!(labels.len(), 72);
    assert_eq!(
        labels[..12],
        [
            "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"
        ]
    );
    assert_eq!(labels[12 + 11], "十二");
    assert_eq!(labels[24..27], ["壹", "贰", "叁"]);
    assert_eq!(labels[24 + 11], "壹拾贰");
    assert_eq!(labels[36..39], ["甲", "乙", "丙"]);
    assert_eq!(labels[48 + 9], "１０");
    assert_eq!(labels[60 + 3], "IV");
    assert_eq!(d.blocks[0].text, "一、chineseCounting 1");
}

/// Corrupted copies of real files (single bytes flipped across the whole
/// file, structures and text alike) are read or refused, never a panic or hang.
#[test]
fn corrupted_real_files_never_panic() {
    let files = [
        "poi/test-data/document/simple-table.doc",
        "poi/test-data/document/saved-by-table.doc",
        "poi/test-data/document/Lists.doc",
    ];
    let mut bad = Vec::new();
    let mut runs = 0;
    for rel in files {
        let Some(bytes) = corpus_file(rel) else {
            return;
        };
        let step = (bytes.len() / 300).max(1);
        for at in (0..bytes.len()).step_by(step) {
            for v in [0xFFu8, 0x00] {
                let mut b = bytes.clone();
                b[at] = if v == 0xFF { b[at] ^ 0xFF } else { 0 };
                runs += 1;
                match read_guarded(b) {
                    Outcome::Read(_) => {}
                    Outcome::Panicked => bad.push(format!("panicked: {rel} byte {at} → {v:#x}")),
                    Outcome::Hung => bad.push(format!("hung: {rel} byte {at} → {v:#x}")),
                }
            }
        }
    }
    println!("{runs} corrupted reads");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn heading_numbers_from_styles_and_overrides() {
    // Each heading's text names the number Word shows for it (2.99 comes
    // from a start-at override); the numbering lives in the heading styles.
    let Some(r) = read_doc("poi/test-data/document/Bug52311.doc") else {
        return;
    };
    let got: Vec<String> = r.unwrap().blocks.iter().map(|b| b.text.clone()).collect();
    assert_eq!(
        got,
        [
            "1\tIntroduction",
            "1.1\tContext",
            "2\tRef",
            "2.1\tHeader 2.1",
            "2.2\tHeader 2.2",
            "2.3\tHeader 2.3",
            "2.3.1\tHeader 2.3.1",
            "2.99\tHeader 2.99",
            "2.99.1\tHeader 2.99.1",
            "2.100\tHeader 2.100",
            "2.101\tHeader 2.101",
            "3\tTest",
            "3.1\tCode",
        ]
    );
    // A heading numbered like its table-of-contents entry.
    let Some(r) = read_doc("poi/test-data/document/Bug50936_3.doc") else {
        return;
    };
    let d = r.unwrap();
    let toc = d
        .blocks
        .iter()
        .find(|b| b.origin == "WordDocument#cp1302")
        .unwrap();
    let heading = d
        .blocks
        .iter()
        .find(|b| b.origin == "WordDocument#cp23072")
        .unwrap();
    assert_eq!(toc.text, "3.11\tSystèmes de gestion\t13");
    assert_eq!(heading.text, "3.11\tSystèmes de gestion");
}

#[test]
fn merged_cells_fixture_spans() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/doc/merged_cells.doc"
    );
    let bytes = std::fs::read(path).expect("committed fixture");
    let d = riskflow::read::read(&bytes, &Limits::default()).1.unwrap();
    let got: Vec<(u32, u32, u32, u32, String)> = d
        .blocks
        .iter()
        .filter_map(|b| match b.kind {
            BlockKind::Cell {
                row,
                col,
                row_span,
                col_span,
                ..
            } => Some((row, col, row_span, col_span, b.text.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        got,
        [
            (0, 0, 1, 1, s("环节")),
            (0, 1, 1, 1, s("风险点")),
            (0, 2, 1, 1, s("等级")),
            (1, 0, 2, 1, s("受理")),
            (1, 1, 1, 1, s("不一次性告知")),
            (1, 2, 1, 1, s("低")),
            (2, 1, 1, 1, s("超时办理")),
            (2, 2, 1, 1, s("中")),
            (3, 0, 1, 2, s("防控措施")),
            (3, 2, 1, 1, s("责任人")),
        ]
    );
}

#[test]
fn paragraph_anchored_boxes_sit_beside_their_steps() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/doc/gaoxin_boxes.doc");
    let bytes = std::fs::read(path).expect("committed fixture");
    let d = riskflow::read::read(&bytes, &Limits::default()).1.unwrap();
    let boxes: Vec<(String, riskflow::document::Rect)> = d
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::TextBox && b.page == 0)
        .map(|b| (b.text.clone(), b.rect.expect("placed")))
        .collect();
    let find = |prefix: &str| {
        boxes
            .iter()
            .find(|(t, _)| t.starts_with(prefix))
            .unwrap_or_else(|| panic!("no box {prefix:?}"))
            .1
    };
    // Anchored 6076 twips below its paragraph, whose top is estimated 1144
    // twips of title lines below the 1440-twip top margin: where the .docx
    // reader puts the same box.
    assert_eq!(
        find("1.擅自改动内容"),
        riskflow::document::Rect {
            x: 4_622_800,
            y: 5_499_100,
            w: 2_489_200,
            h: 711_200
        }
    );
    let steps: Vec<(String, riskflow::document::Rect)> = boxes
        .iter()
        .filter(|(_, r)| r.x == 3_175_000)
        .map(|(t, r)| (t.split_whitespace().collect::<String>(), *r))
        .filter(|(t, _)| t != "工作流程")
        .collect();
    assert_eq!(steps.len(), 6);
    let overlap = |a: &riskflow::document::Rect, b: &riskflow::document::Rect| {
        (a.bottom().min(b.bottom()) - a.y.max(b.y)).max(0)
    };
    // Risk boxes (right) and measure boxes (left) beside the step the
    // expected catalog ties them to.
    let beside = [
        ("1.故意刁难申请人", "受理"),
        ("1擅自改变审查结论", "调解"),
        ("1.擅自改动内容", "送达"),
        ("1.监管不严格", "事后监管"),
        ("1.建立受理单制度", "受理"),
        ("1.严格按照相关标准", "调解"),
        ("1.严格执行文书制作", "送达"),
        ("1.强化事后监管", "事后监管"),
    ];
    for (prefix, step) in beside {
        let r = find(prefix);
        let best = steps
            .iter()
            .max_by_key(|(_, s)| overlap(&r, s))
            .map(|(t, _)| t.as_str());
        assert_eq!(best, Some(step), "{prefix} should sit beside {step}");
    }
}

//! The committed fixtures under fixtures/flow/, table/, excel/ and tests/data/hostile/ are exactly what the generator
//! writes (so they can never drift from it), and every XML part it writes is
//! well-formed with all namespace prefixes declared.
//!
//! After changing tests/fixturegen/, run `cargo run --example make_fixtures`.

#[path = "fixturegen/mod.rs"]
mod fixturegen;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir =
            std::env::temp_dir().join(format!("riskflow-fixtures-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The crate root: generated paths are relative to it.
fn committed_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

#[test]
fn committed_fixtures_match_the_generator() {
    let tmp = TempDir::new();
    let written = fixturegen::write_all(&tmp.0).expect("generator writes");
    assert_eq!(
        written.len(),
        32,
        "four flow .docx, eight hostile files, two table .docx, two .xlsx and their .expected.json"
    );

    let mut stale = Vec::new();
    for rel in &written {
        let fresh = std::fs::read(tmp.0.join(rel)).expect("just written");
        match std::fs::read(committed_root().join(rel)) {
            Ok(committed) if committed == fresh => {}
            Ok(_) => stale.push(format!("{rel} differs")),
            Err(e) => stale.push(format!("{rel} missing ({e})")),
        }
    }
    // Nothing in the generated folders that the generator no longer writes.
    let generated: BTreeSet<&str> = written.iter().map(String::as_str).collect();
    // Made from a generated workbook by scripts/make-xls-fixtures.sh (LibreOffice).
    let scripted = ["fixtures/excel/yilanbiao.xls"];
    for dir in [
        "fixtures/flow",
        "tests/data/hostile",
        "fixtures/table",
        "fixtures/excel",
    ] {
        for entry in std::fs::read_dir(committed_root().join(dir)).expect("fixture folder exists") {
            let name = entry.expect("dir entry").file_name();
            let rel = format!("{dir}/{}", name.to_string_lossy());
            if !generated.contains(rel.as_str()) && !scripted.contains(&rel.as_str()) {
                stale.push(format!("{rel} is not generated any more"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "fixtures are out of date, run `cargo run --example make_fixtures`: {stale:?}"
    );
}

#[test]
fn generation_is_deterministic() {
    let a = fixturegen::generate();
    let b = fixturegen::generate();
    assert!(a == b, "two runs gave different bytes");
}

/// Parses one XML part; returns the problems (bad XML, undeclared prefixes).
fn xml_problems(part: &str, bytes: &[u8]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut reader = NsReader::from_reader(bytes);
    let mut buf = Vec::new();
    loop {
        let (res, event) = match reader.read_resolved_event_into(&mut buf) {
            Ok(x) => x,
            Err(e) => {
                problems.push(format!("{part}: {e}"));
                break;
            }
        };
        let unknown_element = matches!(res, ResolveResult::Unknown(_));
        let element = match event {
            Event::Start(e) | Event::Empty(e) => e.into_owned(),
            Event::Eof => break,
            _ => {
                buf.clear();
                continue;
            }
        };
        let name = element.name().as_ref().to_string();
        if unknown_element {
            problems.push(format!("{part}: undeclared prefix on <{name}>"));
        }
        for attr in element.attributes() {
            let Ok(attr) = attr else {
                problems.push(format!("{part}: bad attribute on <{name}>"));
                continue;
            };
            let key = attr.key;
            if key.as_ref().starts_with("xmlns") {
                continue;
            }
            if let (ResolveResult::Unknown(p), _) = reader.resolver().resolve_attribute(key) {
                problems.push(format!("{part}: undeclared prefix {p} on <{name}>"));
            }
        }
        buf.clear();
    }
    problems
}

#[test]
fn every_xml_part_is_well_formed_with_declared_prefixes() {
    let mut problems = Vec::new();
    let mut parts_seen = 0;
    for (rel, bytes) in fixturegen::generate() {
        // The hostile files are malformed on purpose.
        if !rel.ends_with(".docx")
            || !(rel.starts_with("fixtures/flow/") || rel.starts_with("fixtures/table/"))
        {
            continue;
        }
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        for i in 0..zip.len() {
            let mut file = zip.by_index(i).expect("zip entry");
            let name = file.name().expect("entry name").to_string();
            if !(name.ends_with(".xml") || name.ends_with(".rels")) {
                continue;
            }
            let mut xml = Vec::new();
            file.read_to_end(&mut xml).expect("inflate");
            problems.extend(xml_problems(&format!("{rel}:{name}"), &xml));
            parts_seen += 1;
        }
    }
    assert_eq!(
        parts_seen,
        33 + 2 * 8,
        "XML parts across the four flow and two table files"
    );
    assert!(problems.is_empty(), "{problems:#?}");
}

fn document_xml(rel: &str) -> String {
    let (_, bytes) = fixturegen::generate()
        .into_iter()
        .find(|(r, _)| r == rel)
        .expect("generated");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("document part")
        .read_to_string(&mut xml)
        .expect("utf-8");
    xml
}

#[test]
fn word_boxes_use_every_kind_of_anchor_and_a_vml_fallback_each() {
    let xml = document_xml("fixtures/flow/gaoxin_boxes.docx");
    for needle in [
        r#"<wp:positionV relativeFrom="paragraph">"#,
        r#"<wp:positionV relativeFrom="page">"#,
        r#"<wp:positionV relativeFrom="margin">"#,
        r#"prst="straightConnector1""#,
        r#"<w:numId w:val="1"/>"#,
        "<w:t>1</w:t></w:r><w:r><w:rPr><w:rFonts w:hint=\"eastAsia\"/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr><w:t>擅自改变审查结论。</w:t>",
    ] {
        assert!(xml.contains(needle), "missing {needle}");
    }
    assert_eq!(
        xml.matches("<mc:Choice ").count(),
        xml.matches("<mc:Fallback>").count()
    );
    // 5 charts × 3 headers, 28 steps (23 arrows), 19 risk and 20 measure boxes.
    assert_eq!(xml.matches("<wps:txbx>").count(), 15 + 28 + 19 + 20);
    assert_eq!(xml.matches("<wps:cNvCnPr/>").count(), 23);
}

#[test]
fn group_and_canvas_hold_all_their_boxes() {
    let xml = document_xml("fixtures/flow/group_canvas.docx");
    assert_eq!(xml.matches("<wpg:wgp>").count(), 1);
    assert_eq!(xml.matches("<wpc:wpc>").count(), 1);
    assert!(xml.contains(r#"<a:chOff x="2540000" y="1270000"/>"#));
    // group: 3 headers + 6 steps + 8 boxes; canvas: 3 + 5 + 8.
    assert_eq!(xml.matches("<wps:txbx>").count(), 17 + 16);
}

#[test]
fn wps_file_is_vml_only() {
    let xml = document_xml("fixtures/flow/wps_vml.docx");
    assert!(!xml.contains("<mc:AlternateContent>"));
    assert!(!xml.contains("<w:drawing>"));
    assert_eq!(xml.matches("<v:group ").count(), 1);
    for needle in ["<v:rect ", "<v:roundrect ", r##"type="#_x0000_t202""##] {
        assert!(xml.contains(needle), "missing {needle}");
    }
    // 2 charts × 3 headers, 11 steps, 14 risk and measure boxes.
    assert_eq!(xml.matches("<v:textbox>").count(), 6 + 11 + 14);
}

/// A Word text box where a reader following the fixtures' conventions puts
/// it: the page it is on and its vertical extent in EMU.
struct PlacedBox {
    page: usize,
    top: i64,
    bottom: i64,
    lines: Vec<String>,
}

/// Places every top-level `wp:anchor` text box of document.xml (the
/// `mc:Choice` side only): positions from the page, the margin or the anchor
/// paragraph, whose top comes from the estimate font size × 1.3 per body
/// paragraph, restarting at the top margin at each page break.
fn place_word_boxes(xml: &str) -> Vec<PlacedBox> {
    const MARGIN_TOP: i64 = 1440 * 635;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut fallback_depth = 0;
    let (mut page, mut cursor, mut para_top, mut para_h) = (0, MARGIN_TOP, MARGIN_TOP, 0);
    let mut anchor: Option<(String, i64, i64, Vec<String>)> = None; // v_rel, offset, cy, lines
    let mut out = Vec::new();
    let attr = |e: &quick_xml::events::BytesStart, key: &str| {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == key)
            .map(|a| a.value.to_string())
    };
    loop {
        match reader.read_event().expect("well-formed") {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                if name == "mc:Fallback" {
                    fallback_depth += 1;
                }
                if fallback_depth == 0 {
                    let parent = stack.last().map(String::as_str);
                    match name.as_str() {
                        "w:p" if parent == Some("w:body") => {
                            para_top = cursor;
                            para_h = 0;
                        }
                        "wp:anchor" => anchor = Some((String::new(), 0, 0, Vec::new())),
                        "wp:positionV" => {
                            if let Some(a) = anchor.as_mut() {
                                a.0 = attr(&e, "relativeFrom").unwrap_or_default();
                            }
                        }
                        "w:p" => {
                            if let Some(a) = anchor.as_mut() {
                                a.3.push(String::new());
                            }
                        }
                        _ => {}
                    }
                }
                stack.push(name);
            }
            Event::Empty(e) => {
                if fallback_depth > 0 {
                    continue;
                }
                let name = e.name().as_ref().to_string();
                let n = stack.len();
                let in_body_para_mark = n >= 4
                    && stack[n - 4] == "w:body"
                    && stack[n - 3] == "w:p"
                    && stack[n - 2] == "w:pPr"
                    && stack[n - 1] == "w:rPr";
                match name.as_str() {
                    "w:sz" if in_body_para_mark => {
                        let sz: i64 = attr(&e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(0);
                        para_h = sz * 12_700 * 13 / 20;
                    }
                    "w:br" if anchor.is_none() && attr(&e, "w:type").as_deref() == Some("page") => {
                        page += 1;
                        cursor = MARGIN_TOP;
                        para_top = MARGIN_TOP;
                    }
                    "wp:extent" => {
                        if let Some(a) = anchor.as_mut() {
                            a.2 = attr(&e, "cy").and_then(|v| v.parse().ok()).unwrap_or(0);
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if fallback_depth == 0 => {
                let text = t.xml10_content().into_owned();
                let n = stack.len();
                if let Some(a) = anchor.as_mut() {
                    if n >= 2 && stack[n - 1] == "wp:posOffset" && stack[n - 2] == "wp:positionV" {
                        a.1 = text.trim().parse().expect("offset");
                    } else if stack[n - 1] == "w:t"
                        && let Some(line) = a.3.last_mut()
                    {
                        line.push_str(&text);
                    }
                }
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                if name == "mc:Fallback" {
                    fallback_depth -= 1;
                    continue;
                }
                if fallback_depth > 0 {
                    continue;
                }
                if name == "w:p" && stack.last().map(String::as_str) == Some("w:body") {
                    cursor = para_top + para_h;
                }
                if name == "wp:anchor"
                    && let Some((v_rel, off, cy, lines)) = anchor.take()
                {
                    let top = match v_rel.as_str() {
                        "page" => off,
                        "margin" => MARGIN_TOP + off,
                        "paragraph" => para_top + off,
                        other => panic!("unexpected relativeFrom {other}"),
                    };
                    out.push(PlacedBox {
                        page,
                        top,
                        bottom: top + cy,
                        lines,
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The line of a box that is `text` behind an optional typed marker.
fn has_line(b: &PlacedBox, text: &str) -> bool {
    b.lines.iter().any(|l| {
        l.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '、')
            .trim()
            == text
    })
}

fn expected(rel: &str) -> serde_json::Value {
    let (_, bytes) = fixturegen::generate()
        .into_iter()
        .find(|(r, _)| r == rel)
        .expect("generated");
    serde_json::from_slice(&bytes).expect("json")
}

/// Every risk and measure box overlaps its own step box vertically more than
/// any other step box, once placed by the paragraph-height estimate.
fn assert_boxes_tie_to_their_steps(name: &str) {
    let boxes = place_word_boxes(&document_xml(&format!("fixtures/flow/{name}.docx")));
    let catalog = expected(&format!("fixtures/flow/{name}.expected.json"));
    let charts = catalog["charts"].as_array().expect("charts");
    let mut checked = 0;
    for (page, chart) in charts.iter().enumerate() {
        let on_page: Vec<&PlacedBox> = boxes.iter().filter(|b| b.page == page).collect();
        let steps: Vec<&PlacedBox> = chart["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .map(|s| {
                let raw = s["raw"].as_str().expect("raw");
                let found: Vec<&&PlacedBox> = on_page.iter().filter(|b| b.lines == [raw]).collect();
                assert_eq!(found.len(), 1, "{name} page {page}: step box {raw}");
                *found[0]
            })
            .collect();
        assert!(
            steps.windows(2).all(|w| w[0].bottom < w[1].top),
            "{name} page {page}: steps top to bottom"
        );
        for rp in chart["risk_points"].as_array().expect("risk points") {
            let step = rp["step"].as_u64().expect("step") as usize;
            for list in ["items", "measures"] {
                let texts: Vec<&str> = rp[list]
                    .as_array()
                    .expect("lines")
                    .iter()
                    .filter_map(|l| l["text"].as_str())
                    .collect();
                let Some(first) = texts.first() else { continue };
                let found: Vec<&&PlacedBox> = on_page
                    .iter()
                    .filter(|b| texts.iter().all(|t| has_line(b, t)))
                    .collect();
                assert_eq!(found.len(), 1, "{name} page {page}: one box with {first}");
                let b = found[0];
                let overlaps: Vec<i64> = steps
                    .iter()
                    .map(|s| (b.bottom.min(s.bottom) - b.top.max(s.top)).max(0))
                    .collect();
                let best = (0..overlaps.len())
                    .max_by_key(|&i| overlaps[i])
                    .expect("steps");
                assert!(
                    overlaps[best] > 0,
                    "{name} page {page}: {first} overlaps no step"
                );
                // The layout centres each box on its step's band (to within
                // a point of integer rounding): a wrong paragraph estimate
                // shows up here long before it changes the tie.
                let s = steps[best];
                let off_centre = (b.top + b.bottom - s.top - s.bottom).abs() / 2;
                assert!(
                    off_centre <= 12_700,
                    "{name} page {page}: {first} is {off_centre} EMU off its step's centre"
                );
                assert_eq!(
                    best + 1,
                    step,
                    "{name} page {page}: {first} ties to step {}",
                    best + 1
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "{name}: only {checked} boxes checked");
}

#[test]
fn word_boxes_land_beside_their_steps_under_the_paragraph_estimate() {
    assert_boxes_tie_to_their_steps("gaoxin_boxes");
    assert_boxes_tie_to_their_steps("mixed");
}

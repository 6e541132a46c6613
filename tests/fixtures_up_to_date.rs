//! The committed fixtures under fixtures/flow/ are exactly what the generator
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

fn committed_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

#[test]
fn committed_fixtures_match_the_generator() {
    let tmp = TempDir::new();
    let written = fixturegen::write_all(&tmp.0).expect("generator writes");
    assert_eq!(written.len(), 8, "four .docx and four .expected.json");

    let mut stale = Vec::new();
    for rel in &written {
        let fresh = std::fs::read(tmp.0.join(rel)).expect("just written");
        match std::fs::read(committed_root().join(rel)) {
            Ok(committed) if committed == fresh => {}
            Ok(_) => stale.push(format!("{rel} differs")),
            Err(e) => stale.push(format!("{rel} missing ({e})")),
        }
    }
    // Nothing in fixtures/flow that the generator no longer writes.
    let generated: BTreeSet<&str> = written.iter().map(String::as_str).collect();
    for entry in std::fs::read_dir(committed_root().join("flow")).expect("fixtures/flow exists") {
        let name = entry.expect("dir entry").file_name();
        let rel = format!("flow/{}", name.to_string_lossy());
        if !generated.contains(rel.as_str()) {
            stale.push(format!("{rel} is not generated any more"));
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
        if !rel.ends_with(".docx") {
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
    assert_eq!(parts_seen, 33, "XML parts across the four files");
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
    let xml = document_xml("flow/gaoxin_boxes.docx");
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
    let xml = document_xml("flow/group_canvas.docx");
    assert_eq!(xml.matches("<wpg:wgp>").count(), 1);
    assert_eq!(xml.matches("<wpc:wpc>").count(), 1);
    assert!(xml.contains(r#"<a:chOff x="2540000" y="1270000"/>"#));
    // group: 3 headers + 6 steps + 8 boxes; canvas: 3 + 5 + 8.
    assert_eq!(xml.matches("<wps:txbx>").count(), 17 + 16);
}

#[test]
fn wps_file_is_vml_only() {
    let xml = document_xml("flow/wps_vml.docx");
    assert!(!xml.contains("<mc:AlternateContent>"));
    assert!(!xml.contains("<w:drawing>"));
    assert_eq!(xml.matches("<v:group ").count(), 1);
    for needle in ["<v:rect ", "<v:roundrect ", r##"type="#_x0000_t202""##] {
        assert!(xml.contains(needle), "missing {needle}");
    }
    // 2 charts × 3 headers, 11 steps, 14 risk and measure boxes.
    assert_eq!(xml.matches("<v:textbox>").count(), 6 + 11 + 14);
}

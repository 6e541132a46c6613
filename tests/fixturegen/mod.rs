//! The fixture generator: writes real-shaped Word/WPS flow-chart .docx files
//! under `fixtures/flow/`, 一览表 and post tables under `fixtures/table/`,
//! Excel workbooks under `fixtures/excel/`, and hostile or broken files under
//! `tests/data/hostile/`, each together with the catalog it must produce.
//!
//! Used by `examples/make_fixtures.rs` (to write them) and by
//! `tests/fixtures_up_to_date.rs` (to prove the committed ones are current).

pub mod bulk;
mod charts;
mod dml;
mod docx;
mod excel;
mod expected;
mod hostile;
mod layout;
mod ooxml;
mod png;
mod table_docx;
mod tables;
mod vml;

use std::io;
use std::path::Path;

use docx::Drawing;

const WORD: &str = "Microsoft Office Word";
const WPS: &str = "WPS Office_11.1.0.9912";

/// Every generated file: its path relative to the crate root and its bytes.
pub fn generate() -> Vec<(String, Vec<u8>)> {
    files()
        .into_iter()
        .map(|(rel, bytes)| (place(&rel), bytes))
        .collect()
}

/// Where a generated file lives, relative to the crate root: the
/// deliberately broken inputs under `tests/data/hostile/` (so that
/// `riskflow ingest fixtures` reads only charts), the rest under `fixtures/`.
fn place(rel: &str) -> String {
    if rel.starts_with("hostile/") {
        format!("tests/data/{rel}")
    } else {
        format!("fixtures/{rel}")
    }
}

fn files() -> Vec<(String, Vec<u8>)> {
    let with =
        |charts: Vec<charts::Chart>, drawings: &[Drawing]| -> Vec<(charts::Chart, Drawing)> {
            assert_eq!(charts.len(), drawings.len(), "one drawing style per chart");
            charts.into_iter().zip(drawings.iter().copied()).collect()
        };
    let files = [
        (
            "gaoxin_boxes",
            with(charts::gaoxin_boxes(), &[Drawing::WordBoxes; 5]),
            WORD,
        ),
        (
            "group_canvas",
            with(
                charts::group_canvas(),
                &[Drawing::WordGroup, Drawing::WordCanvas],
            ),
            WORD,
        ),
        (
            "wps_vml",
            with(charts::wps_vml(), &[Drawing::WpsBoxes, Drawing::WpsGroup]),
            WPS,
        ),
        (
            "mixed",
            with(charts::mixed(), &[Drawing::WordBoxes; 4]),
            WORD,
        ),
    ];
    let mut out = Vec::new();
    for (seed, (name, charts, application)) in files.into_iter().enumerate() {
        let (docx, json) = docx::build(&charts, application, 0x5EED_0001 + seed as u64 * 7919);
        out.push((format!("flow/{name}.docx"), docx));
        out.push((format!("flow/{name}.expected.json"), json));
    }
    // A .docx saved under a .doc name is read as what it is.
    let (docx, json) = (out[2].1.clone(), out[3].1.clone());
    out.push(("hostile/mislabelled.doc".into(), docx.clone()));
    out.push(("hostile/mislabelled.expected.json".into(), json));
    for (name, bytes, expected) in hostile::files(&docx) {
        let stem = name
            .rsplit_once('.')
            .map_or(name.as_str(), |(s, _)| s)
            .to_string();
        out.push((format!("hostile/{name}"), bytes));
        out.push((format!("hostile/{stem}.expected.json"), expected));
    }
    for (name, table) in [
        ("yilanbiao", tables::yilanbiao_docx()),
        ("gangwei", tables::gangwei_docx()),
    ] {
        out.push((format!("table/{name}.docx"), table_docx::build(&table)));
        out.push((
            format!("table/{name}.expected.json"),
            tables::to_json(&tables::expected(&table)),
        ));
    }
    for (name, (xlsx, json)) in [
        ("yilanbiao", excel::yilanbiao()),
        ("flow_shapes", excel::flow_shapes()),
    ] {
        out.push((format!("excel/{name}.xlsx"), xlsx));
        out.push((format!("excel/{name}.expected.json"), json));
    }
    out
}

/// Writes every generated file under the crate root `dir`; returns their relative paths.
pub fn write_all(dir: &Path) -> io::Result<Vec<String>> {
    let mut written = Vec::new();
    for (rel, bytes) in generate() {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)?;
        written.push(rel);
    }
    Ok(written)
}

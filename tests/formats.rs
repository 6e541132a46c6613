//! The formats of issue 11 as a folder walk meets them: templates (.dot,
//! .dotm, .ott) through the readers of their bytes, web archives and Word
//! 2003 XML under their own extensions, and document extensions riskflow
//! cannot read given a `skipped` status instead of silence.

use riskflow::catalog::SourceStatus;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp(name: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!("riskflow-formats-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

fn copy(from: &str, dir: &Path, to: &str) {
    std::fs::copy(fixture(from), dir.join(to)).unwrap();
}

#[test]
fn a_walked_folder_gives_every_document_a_status() {
    let dir = temp("walk");
    let d = &dir.0;
    copy("doc/gaoxin_boxes.doc", d, "template.dot");
    copy("flow/group_canvas.docx", d, "template.dotm");
    copy("odt/yilanbiao.odt", d, "template.ott");
    copy("mht/prose_gbk.mht", d, "page.mhtml");
    copy("wordml/yilanbiao.xml", d, "word2003.xml");
    // Formats riskflow does not read: a presentation, a Visio drawing, OFD.
    std::fs::write(
        d.join("slides.pptx"),
        b"PK\x03\x04 not really a presentation",
    )
    .unwrap();
    std::fs::write(d.join("flow.vsd"), [0xD0, 0xCF, 0x11, 0xE0, 0, 1, 2, 3]).unwrap();
    std::fs::write(d.join("scan.ofd"), b"PK\x05\x06").unwrap();
    // Not a document extension: not walked.
    std::fs::write(d.join("settings.cfg"), "风险等级：高").unwrap();

    let cat = riskflow::ingest(std::slice::from_ref(d), &riskflow::Options::default()).unwrap();
    let got: Vec<(String, String, &str, Option<String>, usize)> = cat
        .sources
        .iter()
        .map(|s| {
            let name = Path::new(&s.path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (
                name,
                s.format.clone(),
                s.status.as_str(),
                s.error.as_ref().map(|e| e.code.clone()),
                s.charts.len(),
            )
        })
        .collect();
    let unsupported = Some("source.unsupported".to_string());
    let want = vec![
        (
            "flow.vsd".into(),
            "unknown".into(),
            "skipped",
            unsupported.clone(),
            0,
        ),
        ("page.mhtml".into(), "mht".into(), "ok", None, 1),
        (
            "scan.ofd".into(),
            "unknown".into(),
            "skipped",
            unsupported.clone(),
            0,
        ),
        (
            "slides.pptx".into(),
            "unknown".into(),
            "skipped",
            unsupported.clone(),
            0,
        ),
        ("template.dot".into(), "doc".into(), "ok", None, 5),
        ("template.dotm".into(), "docx".into(), "ok", None, 2),
        ("template.ott".into(), "odt".into(), "ok", None, 3),
        ("word2003.xml".into(), "wordml".into(), "ok", None, 3),
    ];
    assert_eq!(got, want);
    assert!(
        cat.sources
            .iter()
            .filter(|s| s.status == SourceStatus::Skipped)
            .all(|s| cat
                .findings
                .iter()
                .any(|f| f.code == "source.unsupported" && f.source == s.id)),
        "every skipped source has its finding"
    );
}

//! The whole robustness corpus (`../shared/corpus`: ~1,400 real Office files
//! from public test suites, many broken, encrypted or hostile) through the
//! `riskflow` binary, as a user would run it: every file gets a status, no
//! panic message, no hang, the batch finishes.

#[path = "support/shared.rs"]
mod shared;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

fn corpus() -> Option<PathBuf> {
    let p = std::env::var_os("RISKFLOW_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    p.is_dir().then_some(p)
}

fn count_files(dir: &std::path::Path) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            n += count_files(&p);
        } else {
            let ext = p
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if riskflow::ingest::EXTENSIONS.contains(&ext.as_str())
                && !name.starts_with('.')
                && !name.starts_with("~$")
            {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn every_corpus_file_is_read_or_refused_cleanly() {
    let Some(corpus) = corpus() else {
        shared::missing(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
        return;
    };
    let out = std::env::temp_dir().join(format!("riskflow-corpus-{}", std::process::id()));
    let start = Instant::now();
    let run = Command::new(env!("CARGO_BIN_EXE_riskflow"))
        .args([
            "ingest",
            "--quiet",
            "--format",
            "json",
            "--jobs",
            "2",
            // The test runs the debug binary, several times slower than a
            // release build: a generous limit still catches a hang.
            "--timeout",
            "300",
            "--out",
        ])
        .arg(&out)
        .arg(&corpus)
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        matches!(run.status.code(), Some(0) | Some(1)),
        "exit {:?}: {stderr}",
        run.status
    );
    assert!(
        !stderr.contains("panicked"),
        "a panic message was printed:\n{stderr}"
    );

    let cat: Value =
        serde_json::from_slice(&std::fs::read(out.join("catalog.json")).unwrap()).unwrap();
    let sources = cat["sources"].as_array().unwrap();
    assert_eq!(sources.len(), count_files(&corpus), "one source per file");
    let mut by_status: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    for s in sources {
        let status = s["status"].as_str().unwrap().to_string();
        assert!(["ok", "partial", "failed", "skipped"].contains(&status.as_str()));
        if status != "ok" {
            let code = s["error"]["code"].as_str().unwrap_or("?").to_string();
            assert!(code.starts_with("source."), "{}: {code}", s["path"]);
            *by_code.entry(code).or_default() += 1;
            // A reader crash, hang or memory blow-up would say so here.
            let msg = s["error"]["message"].as_str().unwrap_or("");
            assert!(
                !msg.contains("读取超时") && !msg.contains("内存超过上限") && !msg.contains("异常"),
                "{}: {msg}",
                s["path"]
            );
        }
        *by_status.entry(status).or_default() += 1;
    }
    eprintln!(
        "corpus: {} files in {:.1} s; by status {:?}; not ok by code {:?}",
        sources.len(),
        elapsed.as_secs_f64(),
        by_status,
        by_code
    );
    let _ = std::fs::remove_dir_all(&out);
}

//! The `riskflow` binary end to end: exit codes, output files, isolation of
//! readers that hang, abort or exhaust memory.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn exe() -> &'static str {
    env!("CARGO_BIN_EXE_riskflow")
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("riskflow-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn catalog(out: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("catalog.json")).unwrap()).unwrap()
}

#[test]
fn a_file_that_hangs_aborts_or_exhausts_memory_fails_alone() {
    let dir = temp("hooks");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("a_hang.txt"), "RISKFLOW-TEST-HANG").unwrap();
    std::fs::write(input.join("b_oom.txt"), "RISKFLOW-TEST-OOM").unwrap();
    std::fs::write(input.join("c_abort.txt"), "RISKFLOW-TEST-ABORT").unwrap();
    std::fs::write(
        input.join("d_chart.txt"),
        "干部任免廉政风险点监管工作流程图\n风险点1（B级）   不如实向党组报告推荐情况。\n",
    )
    .unwrap();
    let out = dir.join("out");
    let status = Command::new(exe())
        .env(riskflow::isolate::TEST_HOOKS_ENV, "1")
        .args(["ingest", "--timeout", "2", "--memory", "512", "--format", "json", "--out"])
        .arg(&out)
        .arg(&input)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1), "some sources failed ⇒ exit 1");
    let cat = catalog(&out);
    let sources = cat["sources"].as_array().unwrap();
    let by_name = |n: &str| {
        sources
            .iter()
            .find(|s| s["path"].as_str().unwrap().ends_with(n))
            .unwrap()
            .clone()
    };
    for (name, reason) in [
        ("a_hang.txt", "读取超时"),
        ("b_oom.txt", "内存超过上限"),
        ("c_abort.txt", "异常终止"),
    ] {
        let s = by_name(name);
        assert_eq!(s["status"], "failed", "{name}");
        assert_eq!(s["error"]["code"], "source.unreadable", "{name}");
        let msg = s["error"]["message"].as_str().unwrap();
        assert!(msg.contains(reason), "{name}: {msg}");
    }
    let ok = by_name("d_chart.txt");
    assert_eq!(ok["status"], "ok");
    assert_eq!(ok["charts"].as_array().unwrap().len(), 1);
    assert_eq!(cat["summary"]["sources_failed"], 3);
    // Every failure is a finding too.
    let codes: Vec<&str> = cat["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["source.unreadable"; 3]);
}

#[test]
fn bad_usage_and_bad_rules_exit_2() {
    let dir = temp("usage");
    let st = Command::new(exe()).args(["ingest", "/no/such/path"]).status().unwrap();
    assert_eq!(st.code(), Some(2));
    std::fs::write(dir.join("grades.toml"), "[[scale]\n").unwrap();
    let out = Command::new(exe())
        .args(["ingest", "--rules"])
        .arg(&dir)
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("grades.toml") && err.contains("line 1"), "{err}");
    let st = Command::new(exe())
        .args(["ingest", "--format", "pdf"])
        .arg(&dir)
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(2));
}

#[test]
fn help_explains_every_option() {
    let out = Command::new(exe()).args(["ingest", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for opt in ["--out", "--rules", "--jobs", "--timeout", "--memory", "--format", "--in-process", "--quiet"] {
        assert!(help.contains(opt), "{opt} missing from --help:\n{help}");
    }
}

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
        .args([
            "ingest",
            "--timeout",
            "2",
            "--memory",
            "512",
            "--format",
            "json",
            "--out",
        ])
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
    let st = Command::new(exe())
        .args(["ingest", "/no/such/path"])
        .status()
        .unwrap();
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
    assert!(
        err.contains("grades.toml") && err.contains("line 1"),
        "{err}"
    );
    let st = Command::new(exe())
        .args(["ingest", "--format", "pdf"])
        .arg(&dir)
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(2));
}

#[test]
fn help_explains_every_option() {
    let out = Command::new(exe())
        .args(["ingest", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for opt in [
        "--out",
        "--rules",
        "--jobs",
        "--timeout",
        "--memory",
        "--format",
        "--in-process",
        "--quiet",
    ] {
        assert!(help.contains(opt), "{opt} missing from --help:\n{help}");
    }
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

#[test]
fn check_prints_the_planted_findings_and_exits_1_on_errors() {
    let out = Command::new(exe())
        .args(["check", "--quiet"])
        .arg(fixtures().join("flow"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "no error findings in the flow fixtures"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for planted in [
        "numbering.duplicate",
        "numbering.continued",
        "numbering.malformed",
        "grade.missing",
        "responsible.missing",
        "chart.image_only",
        "chart.duplicate",
        "text.punctuation",
        "原文：1..严格按法律规定程序进行。",
        "建议：1.严格按法律规定程序进行。",
    ] {
        assert!(text.contains(planted), "{planted} not in:\n{text}");
    }

    // A truncated .docx is an error finding ⇒ exit 1; --json gives the findings.
    let dir = temp("check");
    let bytes = std::fs::read(fixtures().join("flow/group_canvas.docx")).unwrap();
    std::fs::write(dir.join("truncated.docx"), &bytes[..bytes.len() / 2]).unwrap();
    let out = Command::new(exe())
        .args(["check", "--quiet", "--json", "--severity", "error"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["source.unreadable"]);
}

#[test]
fn ingest_writes_every_output_with_bom_csvs() {
    let dir = temp("outputs");
    let out = dir.join("out");
    let st = Command::new(exe())
        .args(["ingest", "--quiet", "--out"])
        .arg(&out)
        .arg(fixtures().join("flow"))
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(0));
    for f in [
        "catalog.json",
        "catalog.xlsx",
        "catalog.sqlite",
        "report.html",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    for t in [
        "sources",
        "charts",
        "steps",
        "risk_points",
        "risk_items",
        "measures",
        "texts",
        "findings",
    ] {
        let bytes = std::fs::read(out.join(format!("{t}.csv"))).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{t}.csv has no BOM");
    }
    let header = String::from_utf8(std::fs::read(out.join("risk_points.csv")).unwrap()).unwrap();
    assert!(
        header.starts_with(
            "\u{feff}id,chart_id,label,step,grade_level,grade_scale,grade_raw,responsible"
        ),
        "{header}"
    );
    let cat = catalog(&out);
    assert_eq!(cat["schema"], "riskflow.catalog/1");
    assert_eq!(cat["summary"]["charts"], 13);
    // No temporary files left behind (the lock file stays: removing it
    // would let a run lock a file another run is about to replace).
    let leftovers: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != riskflow::write::LOCK_NAME)
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn same_output_for_any_thread_count_and_argument_order() {
    let dir = temp("determinism");
    let flow = fixtures().join("flow");
    let files: Vec<PathBuf> = [
        "wps_vml.docx",
        "gaoxin_boxes.docx",
        "mixed.docx",
        "group_canvas.docx",
    ]
    .iter()
    .map(|f| flow.join(f))
    .collect();
    let run = |name: &str, jobs: &str, reversed: bool| {
        let out = dir.join(name);
        let mut args: Vec<PathBuf> = files.clone();
        if reversed {
            args.reverse();
        }
        let st = Command::new(exe())
            .args([
                "ingest",
                "--quiet",
                "--format",
                "json,csv,sqlite,html",
                "--jobs",
                jobs,
                "--out",
            ])
            .arg(&out)
            .args(&args)
            .status()
            .unwrap();
        assert_eq!(st.code(), Some(0));
        out
    };
    let a = run("a", "1", false);
    let b = run("b", "2", true);
    for f in [
        "catalog.json",
        "charts.csv",
        "findings.csv",
        "texts.csv",
        "catalog.sqlite",
        "report.html",
    ] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs"
        );
    }
}

/// Workers lay files out, so the rules given with `--rules` must reach
/// them: here a grades.toml that calls `B级` low (built in: medium) gives
/// the same catalog through the workers as in this process.
#[test]
fn rules_given_reach_the_workers() {
    let dir = temp("worker-rules");
    let input = dir.join("chart.txt");
    std::fs::write(
        &input,
        "干部任免廉政风险点监管工作流程图\n风险点1（B级）   不如实向党组报告推荐情况。\n",
    )
    .unwrap();
    let rules = dir.join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    let (_, grades) = riskflow::rules::FILES
        .iter()
        .find(|(name, _)| *name == "grades.toml")
        .unwrap();
    let changed = grades.replace(r#""B" = "medium""#, r#""B" = "low""#);
    assert_ne!(&changed, grades, "the built-in letter scale names B");
    std::fs::write(rules.join("grades.toml"), changed).unwrap();
    let grade = |extra: &[&str], out: &str| {
        let out = dir.join(out);
        let status = Command::new(exe())
            .args(["ingest", "--quiet", "--format", "json", "--out"])
            .arg(&out)
            .args(extra)
            .arg(&input)
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(0));
        let cat = catalog(&out);
        cat["charts"][0]["risk_points"][0]["grade"]["level"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let rules = rules.to_str().unwrap();
    assert_eq!(grade(&[], "builtin"), "medium");
    assert_eq!(grade(&["--rules", rules], "workers"), "low");
    assert_eq!(
        grade(&["--rules", rules, "--in-process"], "in-process"),
        "low"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

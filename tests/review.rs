//! Reviewing over time: finding ids, the baseline round trip, `check --json`
//! with paths and a summary, `--fail-on`, and `diff` between two versions of
//! a folder of charts (`tests/data/diff/v2025` → `v2026`: a grade lowered, a
//! measure added, a chart renamed).

use riskflow::diff::{ChartChange, Diff, GradeChange, GradeDiff, RiskPointChange, RiskPointRef};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn exe() -> &'static str {
    env!("CARGO_BIN_EXE_riskflow")
}

fn data(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(p)
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("riskflow-review-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn riskflow(args: &[&str]) -> Output {
    Command::new(exe()).args(args).output().unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// The v2025 table with a planted defect: no grade for 社会保险登记/受理
/// (grade.missing).
fn with_defect(html: &str) -> String {
    html.replace(
        "<td>风险等级：中</td><td>1、加强内部监管。",
        "<td></td><td>1、加强内部监管。",
    )
}

#[test]
fn baseline_round_trip_shows_only_new_findings() {
    let dir = temp("baseline");
    let original = std::fs::read_to_string(data("diff/v2025/shebao.html")).unwrap();
    let doc = dir.join("shebao.html");
    std::fs::write(&doc, with_defect(&original)).unwrap();
    let base = dir.join("baseline.json");
    let (doc_s, base_s) = (doc.to_str().unwrap(), base.to_str().unwrap());

    // 1. check, recording the baseline.
    let out = riskflow(&[
        "check",
        "-q",
        "--in-process",
        "--json",
        "--write-baseline",
        base_s,
        doc_s,
    ]);
    assert_eq!(out.status.code(), Some(0));
    let first = json(&out);
    let findings = first["findings"].as_array().unwrap();
    let codes: Vec<&str> = findings
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["grade.missing"]);
    let f = &findings[0];
    assert_eq!(f["path"], doc_s);
    assert_eq!(f["chart_name"], "社会保险登记");
    assert_eq!(f["evidence"], "1、无原因超时办理。");
    let id = f["id"].as_str().unwrap();
    assert!(id.starts_with("fd-") && id.len() == 15, "{id}");
    assert_eq!(first["summary"]["findings"]["warning"], 1);
    assert_eq!(first["summary"]["findings_by_code"]["grade.missing"], 1);
    assert_eq!(first["summary"]["files"], 1);
    assert_eq!(first["summary"]["exit_status"], 0);
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&base).unwrap()).unwrap();
    assert_eq!(written["schema"], "riskflow.baseline/1");
    assert_eq!(written["findings"][0]["id"], id);

    // 2. the same file against its baseline: nothing new.
    let out = riskflow(&[
        "check",
        "-q",
        "--in-process",
        "--json",
        "--fail-on",
        "warning",
        "-b",
        base_s,
        doc_s,
    ]);
    assert_eq!(out.status.code(), Some(0));
    let again = json(&out);
    assert_eq!(again["findings"].as_array().unwrap().len(), 0);
    assert_eq!(again["summary"]["baselined"], 1);

    // 3. the document edited elsewhere (new SHA-256, so a new id): the
    //    defect is still known; a new defect is reported, and fails on warning.
    let edited = with_defect(&original)
        .replace("2、实行首问负责制。", "2、实行首问负责制度。")
        .replace(
            "<td>1、按月发放并公示。</td><td>经办人</td>",
            "<td>1、按月发放并公示。</td><td></td>",
        );
    std::fs::write(&doc, edited).unwrap();
    let out = riskflow(&[
        "check",
        "-q",
        "--in-process",
        "--json",
        "--fail-on",
        "warning",
        "-b",
        base_s,
        doc_s,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let third = json(&out);
    let new = third["findings"].as_array().unwrap();
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0]["code"], "responsible.missing");
    assert_eq!(new[0]["chart_name"], "失业保险金发放");
    assert_eq!(new[0]["evidence"], "1、按月发放并公示。");
    assert_eq!(third["summary"]["baselined"], 1);
    assert_eq!(third["summary"]["exit_status"], 1);
    // Default --fail-on error: a warning does not fail.
    let out = riskflow(&["check", "-q", "--in-process", "-b", base_s, doc_s]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("另有 1 个问题已在基线中，未列出。"), "{text}");
    assert!(text.contains("原文：1、按月发放并公示。"), "{text}");

    // A broken baseline is bad usage, not a panic.
    std::fs::write(&base, "{").unwrap();
    let out = riskflow(&["check", "-q", "--in-process", "-b", base_s, doc_s]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a riskflow baseline"));
}

#[test]
fn finding_ids_are_stable_across_runs_and_path_order() {
    let flow = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/flow");
    let ids = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["check", "-q", "--in-process", "--json"];
        a.extend_from_slice(args);
        json(&riskflow(&a))["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect()
    };
    let one = flow.join("mixed.docx");
    let two = flow.join("gaoxin_boxes.docx");
    let a = ids(&[one.to_str().unwrap(), two.to_str().unwrap()]);
    let b = ids(&[two.to_str().unwrap(), one.to_str().unwrap()]);
    assert!(!a.is_empty());
    assert_eq!(a, b);
    let mut unique = a.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), a.len(), "ids are unique within a run");
}

fn rp(id: &str, step: &str, first: &str) -> RiskPointRef {
    RiskPointRef {
        id: id.into(),
        step: Some(step.into()),
        label: None,
        first_item: first.into(),
    }
}

#[test]
fn diff_of_two_versions_of_a_folder_gives_exactly_the_changes() {
    let (old, new) = (data("diff/v2025"), data("diff/v2026"));
    let out = riskflow(&[
        "diff",
        "--json",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Diff = serde_json::from_slice(&out.stdout).unwrap();
    let nothing = RiskPointChange {
        risk_point: rp("", "", ""),
        grade: None,
        items_added: vec![],
        items_removed: vec![],
        measures_added: vec![],
        measures_removed: vec![],
        responsible: None,
    };
    let expected = Diff {
        schema: "riskflow.diff/1".into(),
        charts_added: vec![],
        charts_removed: vec![],
        charts_changed: vec![
            ChartChange {
                id: "ch-6266641f1b26".into(),
                name: "社会保险登记".into(),
                path: "shebao.html".into(),
                risk_points_changed: vec![RiskPointChange {
                    risk_point: rp("rp-95ac1e0faf8f", "审核", "擅自增加或减少审查条件。"),
                    grade: Some(GradeDiff {
                        from: Some("high".into()),
                        to: Some("medium".into()),
                        change: GradeChange::Lowered,
                    }),
                    ..nothing.clone()
                }],
                ..ChartChange::default()
            },
            ChartChange {
                id: "ch-d1b05e85fb59".into(),
                name: "养老保险待遇核定".into(),
                path: "shebao.html".into(),
                risk_points_changed: vec![RiskPointChange {
                    risk_point: rp("rp-8de1dc43961a", "核定", "核定标准掌握不一。"),
                    measures_added: vec!["建立回访制度。".into()],
                    ..nothing.clone()
                }],
                ..ChartChange::default()
            },
            ChartChange {
                id: "ch-6f9695ee3550".into(),
                name: "失业保险金申领发放".into(),
                path: "shebao.html".into(),
                old_id: Some("ch-64d4a30a6fa2".into()),
                old_name: Some("失业保险金发放".into()),
                ..ChartChange::default()
            },
        ],
    };
    assert_eq!(got, expected);

    // The terminal form says the same in Chinese.
    let out = riskflow(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text,
        "~ 图表 社会保险登记  (shebao.html)\n\
         \x20   ~ 环节「审核」风险点「擅自增加或减少审查条件。」\n\
         \x20       等级 高 → 中（降低）\n\
         ~ 图表 养老保险待遇核定  (shebao.html)\n\
         \x20   ~ 环节「核定」风险点「核定标准掌握不一。」\n\
         \x20       + 措施 建立回访制度。\n\
         ~ 图表改名 失业保险金发放 → 失业保险金申领发放  (shebao.html)\n\
         图表：新增 0，删除 0，改名 1，内容或名称有变化 3\n"
    );
}

#[test]
fn diff_reads_catalogs_too_and_writes_an_html_section() {
    let dir = temp("diff");
    for v in ["v2025", "v2026"] {
        let st = Command::new(exe())
            .args(["ingest", "-q", "--in-process", "-f", "json", "-o"])
            .arg(dir.join(v))
            .arg(data("diff").join(v))
            .status()
            .unwrap();
        assert!(st.success());
    }
    let page = dir.join("diff.html");
    let out = Command::new(exe())
        .args(["diff", "--json", "--html"])
        .arg(&page)
        .arg(dir.join("v2025/catalog.json"))
        .arg(dir.join("v2026/catalog.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let got: Diff = serde_json::from_slice(&out.stdout).unwrap();
    // Catalog paths are as ingest saw them: the rename is paired by its steps.
    let renamed: Vec<_> = got
        .charts_changed
        .iter()
        .filter_map(|c| c.old_name.as_deref().map(|o| (o, c.name.as_str())))
        .collect();
    assert_eq!(renamed, [("失业保险金发放", "失业保险金申领发放")]);
    assert_eq!(got.charts_changed.len(), 3);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<section class=\"diff\">"));
    assert!(html.contains("图表改名 <s>失业保险金发放</s> → <b>失业保险金申领发放</b>"));
    assert!(html.contains("<li class=\"add\">+ 措施 建立回访制度。</li>"));

    // Not a catalog: a clear error, exit 2.
    std::fs::write(dir.join("bad.json"), "[1]").unwrap();
    let out = Command::new(exe())
        .arg("diff")
        .arg(dir.join("bad.json"))
        .arg(dir.join("v2026/catalog.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a riskflow catalog"));
}

#[test]
fn rules_dump_writes_the_built_in_rules_and_they_load_back() {
    let dir = temp("rules");
    let rules = dir.join("rules");
    let out = riskflow(&["rules", "dump", rules.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    for (name, text) in riskflow::rules::FILES {
        assert_eq!(&std::fs::read_to_string(rules.join(name)).unwrap(), text);
    }
    let loaded = riskflow::rules::Rules::load(Some(&rules)).unwrap();
    assert_eq!(loaded.digest, riskflow::rules::Rules::builtin().digest);
    // A second dump does not overwrite edits.
    let out = riskflow(&["rules", "dump", rules.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists (use --force to overwrite)"));
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    let out = riskflow(&["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0));
    let bash = String::from_utf8_lossy(&out.stdout);
    assert!(bash.contains("_riskflow()"), "{bash}");
    assert!(bash.contains("--write-baseline"));
    let out = riskflow(&["man"]);
    let man = String::from_utf8_lossy(&out.stdout);
    assert!(man.contains(".TH riskflow 1"), "{man}");
    assert!(man.contains("diff"));
}

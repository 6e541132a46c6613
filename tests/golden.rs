//! Golden tests: every `fixtures/**/NAME.expected.json` (and
//! `tests/data/hostile/NAME.expected.json`) states what the
//! catalog must hold for its input `NAME.<ext>` beside it: the source's
//! status, every chart (head fields, steps, risk points with step, grade,
//! items, measures, responsible) and the findings.
//!
//! Texts (the clustered risk and measure lines) are compared when the
//! expected file has a `texts` key.
//!
//! Findings: every expected finding (code, chart ordinal, evidence) must be
//! produced, and every produced warning or error must be expected. Info
//! findings beyond the expected ones are allowed.
//!
//! `RISKFLOW_BLESS=1 cargo test --test golden` writes the current output as
//! the expected file for inputs that have none (review it before committing).

use riskflow::catalog::Catalog;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Deliberately broken inputs: kept out of `fixtures/` so that the demo
/// (`riskflow ingest fixtures`) reads only charts.
fn hostile() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// (input, expected) pairs; inputs without an expected file are returned
/// with the path the expected file would have.
fn cases() -> Vec<(PathBuf, PathBuf)> {
    let mut files = Vec::new();
    walk(&fixtures(), &mut files);
    walk(&hostile(), &mut files);
    let mut cases = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".expected.json") || name.ends_with(".md") || name.starts_with('.') {
            continue;
        }
        let stem = name
            .rsplit_once('.')
            .map_or(name.as_str(), |(s, _)| s)
            .to_string();
        cases.push((f.clone(), f.with_file_name(format!("{stem}.expected.json"))));
    }
    cases
}

fn ingest(path: &Path) -> Catalog {
    riskflow::ingest(&[path.to_path_buf()], &riskflow::Options::default()).unwrap()
}

/// The part of the catalog an expected file states.
fn project(cat: &Catalog) -> Value {
    let src = &cat.sources[0];
    let ordinal = |id: &Option<String>| {
        id.as_ref()
            .and_then(|id| cat.charts.iter().find(|c| &c.id == id))
            .map(|c| c.ordinal)
    };
    let lines = |ls: &Vec<riskflow::catalog::Line>| -> Value {
        ls.iter()
            .map(|l| json!({"n": l.n, "marker": l.marker, "text": l.text}))
            .collect()
    };
    json!({
        "status": src.status.as_str(),
        "charts": cat.charts.iter().map(|c| json!({
            "ordinal": c.ordinal,
            "layout": c.layout,
            "title": c.title,
            "department": c.department,
            "category": c.category,
            "category_raw": c.category_raw,
            "code": c.code,
            "name": c.name,
            "name_from": c.name_from,
            "time_limit": c.time_limit,
            "contacts": c.contacts,
            "steps": c.steps,
            "risk_points": c.risk_points.iter().map(|rp| json!({
                "label": rp.label,
                "step": rp.step,
                "grade": rp.grade,
                "items": lines(&rp.items),
                "measures": lines(&rp.measures),
                "responsible": rp.responsible,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "texts": cat.texts.iter().map(|t| json!({
            "kind": t.kind,
            "canonical": t.canonical,
            "occurrences": t.occurrences,
            "charts": t.charts,
            "variants": t.variants,
        })).collect::<Vec<_>>(),
        "findings": cat.findings.iter()
            .map(|f| json!({
                "code": f.code,
                "chart": ordinal(&f.chart),
                "evidence": f.evidence,
                "severity": f.severity.as_str(),
            })).collect::<Vec<_>>(),
    })
}

fn key(f: &Value) -> (String, Value, String) {
    (
        f["code"].as_str().unwrap_or("").to_string(),
        f["chart"].clone(),
        f["evidence"].as_str().unwrap_or("").to_string(),
    )
}

/// Differences between expected and actual, as readable lines.
fn compare(expected: &Value, actual: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    if expected["status"] != actual["status"] {
        diffs.push(format!(
            "status: expected {} got {}",
            expected["status"], actual["status"]
        ));
    }
    let (e, a) = (
        expected["charts"].as_array().cloned().unwrap_or_default(),
        actual["charts"].as_array().cloned().unwrap_or_default(),
    );
    if e.len() != a.len() {
        let names = |v: &Vec<Value>| {
            v.iter()
                .map(|c| c["name"].to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        diffs.push(format!(
            "charts: expected {} [{}] got {} [{}]",
            e.len(),
            names(&e),
            a.len(),
            names(&a)
        ));
    }
    for (i, (ec, ac)) in e.iter().zip(&a).enumerate() {
        for field in [
            "ordinal",
            "layout",
            "title",
            "department",
            "category",
            "category_raw",
            "code",
            "name",
            "time_limit",
            "contacts",
            "steps",
        ] {
            if ec[field] != ac[field] {
                diffs.push(format!(
                    "chart {}: {field}: expected {} got {}",
                    i + 1,
                    ec[field],
                    ac[field]
                ));
            }
        }
        // `name_from` is compared when the expected file states it.
        if let Some(from) = ec.get("name_from")
            && from != &ac["name_from"]
        {
            diffs.push(format!(
                "chart {}: name_from: expected {from} got {}",
                i + 1,
                ac["name_from"]
            ));
        }
        let (er, ar) = (
            ec["risk_points"].as_array().cloned().unwrap_or_default(),
            ac["risk_points"].as_array().cloned().unwrap_or_default(),
        );
        if er.len() != ar.len() {
            diffs.push(format!(
                "chart {}: {} risk points expected, got {}",
                i + 1,
                er.len(),
                ar.len()
            ));
        }
        for (k, (x, y)) in er.iter().zip(&ar).enumerate() {
            if x != y {
                diffs.push(format!(
                    "chart {} risk point {}:\n  expected {}\n  got      {}",
                    i + 1,
                    k + 1,
                    x,
                    y
                ));
            }
        }
    }
    // Texts are compared when the expected file states them.
    if let Some(et) = expected.get("texts")
        && et != &actual["texts"]
    {
        diffs.push(format!(
            "texts:\n  expected {et}\n  got      {}",
            actual["texts"]
        ));
    }
    let ef: Vec<(String, Value, String)> = expected["findings"]
        .as_array()
        .map(|v| v.iter().map(key).collect())
        .unwrap_or_default();
    let af = actual["findings"].as_array().cloned().unwrap_or_default();
    for k in &ef {
        if !af.iter().any(|f| &key(f) == k) {
            diffs.push(format!(
                "missing finding {} chart {} evidence {:?}",
                k.0, k.1, k.2
            ));
        }
    }
    for f in &af {
        if f["severity"] != "info" && !ef.contains(&key(f)) {
            diffs.push(format!(
                "unexpected finding {} chart {} evidence {:?}",
                f["code"], f["chart"], f["evidence"]
            ));
        }
    }
    diffs
}

#[test]
fn every_fixture_gives_its_expected_catalog() {
    let cases = cases();
    assert!(
        !cases.is_empty(),
        "no fixtures under {}",
        fixtures().display()
    );
    let bless = std::env::var_os("RISKFLOW_BLESS").is_some();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (input, expected_path) in cases {
        let actual = project(&ingest(&input));
        let Ok(text) = std::fs::read_to_string(&expected_path) else {
            if bless {
                std::fs::write(
                    &expected_path,
                    serde_json::to_string_pretty(&actual).unwrap() + "\n",
                )
                .unwrap();
                eprintln!("blessed {}", expected_path.display());
            } else {
                failures.push(format!(
                    "{}: no expected catalog {}",
                    input.display(),
                    expected_path.display()
                ));
            }
            continue;
        };
        let expected: Value = serde_json::from_str(&text).unwrap();
        let diffs = compare(&expected, &actual);
        checked += 1;
        if !diffs.is_empty() {
            failures.push(format!("{}:\n  {}", input.display(), diffs.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n{}",
        failures.len(),
        checked + failures.len(),
        failures.join("\n\n")
    );
}

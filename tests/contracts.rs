//! Contracts for machines: `schema/catalog.schema.json` against the catalogs
//! of every fixture folder and against CATALOG.md's field tables, and
//! `datapackage.json` against the CSVs it describes (keys checked here; the
//! frictionless validator too when it is installed).
//!
//! The schema is checked with a small validator of the JSON Schema keywords
//! the schema uses (below); a keyword it does not know fails the test, so
//! the schema cannot silently outgrow it.

use regex::Regex;
use riskflow::ingest::{Options, ingest};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(root().join("schema/catalog.schema.json")).unwrap(),
    )
    .unwrap()
}

/// Errors of `value` against `schema` (the subset of JSON Schema 2020-12
/// the catalog schema uses), each as `path: what`.
fn validate(value: &Value, schema: &Value, root: &Value, path: &str, errors: &mut Vec<String>) {
    let Some(obj) = schema.as_object() else {
        if schema == &Value::Bool(false) {
            errors.push(format!("{path}: not allowed"));
        }
        return;
    };
    for (k, rule) in obj {
        match k.as_str() {
            "$schema" | "$id" | "title" | "description" | "$defs" => {}
            "$ref" => {
                let name = rule
                    .as_str()
                    .unwrap()
                    .strip_prefix("#/$defs/")
                    .expect("local $ref");
                validate(value, &root["$defs"][name], root, path, errors);
            }
            "type" => {
                let types: Vec<&str> = match rule {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(ts) => ts.iter().map(|t| t.as_str().unwrap()).collect(),
                    _ => panic!("bad type {rule}"),
                };
                let ok = types.iter().any(|t| match *t {
                    "object" => value.is_object(),
                    "array" => value.is_array(),
                    "string" => value.is_string(),
                    "integer" => value.is_i64() || value.is_u64(),
                    "number" => value.is_number(),
                    "boolean" => value.is_boolean(),
                    "null" => value.is_null(),
                    other => panic!("unknown type {other}"),
                });
                if !ok {
                    errors.push(format!("{path}: {value} is not {types:?}"));
                }
            }
            "enum" => {
                if !rule.as_array().unwrap().contains(value) {
                    errors.push(format!("{path}: {value} not in {rule}"));
                }
            }
            "const" => {
                if value != rule {
                    errors.push(format!("{path}: {value} is not {rule}"));
                }
            }
            "pattern" => {
                if let Some(s) = value.as_str() {
                    let re = Regex::new(rule.as_str().unwrap()).unwrap();
                    if !re.is_match(s) {
                        errors.push(format!("{path}: {s:?} does not match {rule}"));
                    }
                }
            }
            "minimum" => {
                if let Some(n) = value.as_f64()
                    && n < rule.as_f64().unwrap()
                {
                    errors.push(format!("{path}: {n} < {rule}"));
                }
            }
            "required" => {
                if let Some(o) = value.as_object() {
                    for name in rule.as_array().unwrap() {
                        let name = name.as_str().unwrap();
                        if !o.contains_key(name) {
                            errors.push(format!("{path}: missing {name}"));
                        }
                    }
                }
            }
            "properties" => {
                if let Some(o) = value.as_object() {
                    for (name, sub) in rule.as_object().unwrap() {
                        if let Some(v) = o.get(name) {
                            validate(v, sub, root, &format!("{path}.{name}"), errors);
                        }
                    }
                }
            }
            "additionalProperties" => {
                if let Some(o) = value.as_object() {
                    let known = obj.get("properties").and_then(Value::as_object);
                    for (name, v) in o {
                        if known.is_none_or(|p| !p.contains_key(name)) {
                            validate(v, rule, root, &format!("{path}.{name}"), errors);
                        }
                    }
                }
            }
            "items" => {
                if let Some(a) = value.as_array() {
                    for (i, v) in a.iter().enumerate() {
                        validate(v, rule, root, &format!("{path}[{i}]"), errors);
                    }
                }
            }
            other => panic!("the test's validator does not know the keyword {other:?}"),
        }
    }
}

fn errors_of(catalog: &Value) -> Vec<String> {
    let schema = schema();
    let mut errors = Vec::new();
    validate(catalog, &schema, &schema, "$", &mut errors);
    errors
}

fn fixture_catalogs() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for folder in ["flow", "table", "excel", "doc", "text"] {
        let cat = ingest(&[root().join("fixtures").join(folder)], &Options::default()).unwrap();
        out.push((
            format!("fixtures/{folder}"),
            serde_json::to_value(&cat).unwrap(),
        ));
    }
    let hostile = ingest(&[root().join("tests/data/hostile")], &Options::default()).unwrap();
    out.push((
        "tests/data/hostile".into(),
        serde_json::to_value(&hostile).unwrap(),
    ));
    for file in [
        "tests/data/sample_catalog.json",
        "tests/data/review/small.catalog.json",
    ] {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        out.push((file.into(), serde_json::from_str(&text).unwrap()));
    }
    out
}

#[test]
fn every_fixture_catalog_follows_the_schema() {
    let catalogs = fixture_catalogs();
    let charts: usize = catalogs
        .iter()
        .map(|(_, c)| c["charts"].as_array().unwrap().len())
        .sum();
    assert!(charts > 30, "the fixtures give {charts} charts");
    for (name, cat) in &catalogs {
        let errors = errors_of(cat);
        assert!(errors.is_empty(), "{name}:\n{}", errors.join("\n"));
    }
}

#[test]
fn the_schema_refuses_what_the_contract_forbids() {
    let text =
        std::fs::read_to_string(root().join("tests/data/review/small.catalog.json")).unwrap();
    let good: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(errors_of(&good), Vec::<String>::new());
    let broken = |edit: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        edit(&mut v);
        errors_of(&v)
    };
    assert_eq!(
        broken(&|v| v["findings"][0]["severity"] = json!("fatal")),
        [r#"$.findings[0].severity: "fatal" not in ["error","warning","info"]"#]
    );
    assert_eq!(
        broken(&|v| {
            v["charts"][0]["risk_points"][0]["grade"]
                .as_object_mut()
                .unwrap()
                .remove("scale");
        }),
        ["$.charts[0].risk_points[0].grade: missing scale"]
    );
    assert_eq!(
        broken(&|v| v["findings"][1]["id"] = json!("fd-xyz")),
        [r#"$.findings[1].id: "fd-xyz" does not match "^fd-[0-9a-f]{12}(-[0-9]+)?$""#]
    );
    assert_eq!(
        broken(&|v| v["charts"][0]["steps"][0]["seq"] = json!(0)),
        ["$.charts[0].steps[0].seq: 0 < 1"]
    );
    assert_eq!(
        broken(&|v| v["schema"] = json!("riskflow.catalog/2")),
        [r#"$.schema: "riskflow.catalog/2" is not "riskflow.catalog/1""#]
    );
    // Fields may be added: an unknown field is no error.
    assert!(broken(&|v| v["charts"][0]["extra"] = json!(1)).is_empty());
}

/// CATALOG.md's `### Entity` field tables, as entity → field names.
fn contract_fields(md: &str) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    let mut current: Option<String> = None;
    let field = Regex::new(r"^\| `([a-z_0-9]+)` \|").unwrap();
    for line in md.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            current = Some(h.trim().to_string());
            continue;
        }
        if line.starts_with("## ") {
            current = None;
        }
        if let (Some(entity), Some(m)) = (&current, field.captures(line)) {
            out.entry(entity.clone())
                .or_default()
                .push(m[1].to_string());
        }
    }
    out
}

#[test]
fn the_schema_and_catalog_md_list_the_same_fields() {
    let path = root().join("../shared/CATALOG.md");
    let Ok(md) = std::fs::read_to_string(&path) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing in CI",
            path.display()
        );
        eprintln!("skipped: {} not found", path.display());
        return;
    };
    let fields = contract_fields(&md);
    let expected: HashSet<&str> = [
        "Source",
        "Chart",
        "Step",
        "RiskPoint",
        "Line",
        "Text",
        "Finding",
    ]
    .into();
    assert_eq!(
        fields.keys().map(String::as_str).collect::<HashSet<_>>(),
        expected
    );
    let schema = schema();
    for (entity, names) in &fields {
        let def = &schema["$defs"][entity.as_str()];
        let props: Vec<&String> = def["properties"].as_object().unwrap().keys().collect();
        let required: Vec<&str> = def["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for n in names {
            assert!(
                props.contains(&n),
                "{entity}.{n} is in CATALOG.md, not in the schema"
            );
            assert!(
                required.contains(&n.as_str()),
                "{entity}.{n} is not required"
            );
        }
        for p in props {
            assert!(
                names.contains(p),
                "{entity}.{p} is in the schema, not in CATALOG.md"
            );
        }
    }
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("BOM");
    let mut r = csv::ReaderBuilder::new().from_reader(body);
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn written_package(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("contracts")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let cat = ingest(
        &[
            root().join("fixtures/flow"),
            root().join("fixtures/table"),
            root().join("tests/data/hostile"),
        ],
        &Options::default(),
    )
    .unwrap();
    riskflow::write::csv::write(&riskflow::write::tables::tables(&cat), {
        std::fs::create_dir_all(&dir).unwrap();
        &dir
    })
    .unwrap();
    dir
}

#[test]
fn datapackage_describes_the_csvs_with_their_keys() {
    let dir = written_package("keys");
    let pkg: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("datapackage.json")).unwrap())
            .unwrap();
    assert_eq!(pkg["profile"], "tabular-data-package");
    let resources = pkg["resources"].as_array().unwrap();
    let names: Vec<&str> = resources
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "sources",
            "charts",
            "steps",
            "risk_points",
            "risk_items",
            "measures",
            "texts",
            "findings"
        ]
    );
    let by_name: HashMap<&str, &Value> = names.iter().copied().zip(resources).collect();
    assert_eq!(by_name["findings"]["schema"]["primaryKey"], "id");
    assert_eq!(
        by_name["steps"]["schema"]["primaryKey"],
        json!(["chart_id", "seq"])
    );
    assert_eq!(
        by_name["risk_items"]["schema"]["foreignKeys"],
        json!([
            {"fields": "risk_point_id", "reference": {"resource": "risk_points", "fields": "id"}},
            {"fields": "chart_id", "reference": {"resource": "charts", "fields": "id"}},
            {"fields": "text_id", "reference": {"resource": "texts", "fields": "id"}}
        ])
    );

    // Check the CSVs against it: header, types, primary keys unique and
    // present, every foreign key resolving.
    let mut tables: HashMap<String, (Vec<String>, Vec<Vec<String>>)> = HashMap::new();
    for r in resources {
        let (header, rows) = read_csv(&dir.join(r["path"].as_str().unwrap()));
        let fields: Vec<&str> = r["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(header, fields, "{}", r["name"]);
        for f in r["schema"]["fields"].as_array().unwrap() {
            let col = header
                .iter()
                .position(|h| h == f["name"].as_str().unwrap())
                .unwrap();
            if f["type"] == "integer" {
                for row in &rows {
                    assert!(
                        row[col].is_empty() || row[col].parse::<i64>().is_ok(),
                        "{}",
                        row[col]
                    );
                }
            }
        }
        tables.insert(r["name"].as_str().unwrap().to_string(), (header, rows));
    }
    let key_cols = |pk: &Value| -> Vec<String> {
        match pk {
            Value::String(s) => vec![s.clone()],
            Value::Array(a) => a.iter().map(|v| v.as_str().unwrap().to_string()).collect(),
            _ => vec![],
        }
    };
    let mut checked_refs = 0;
    for r in resources {
        let name = r["name"].as_str().unwrap();
        let (header, rows) = &tables[name];
        let pk = key_cols(&r["schema"]["primaryKey"]);
        assert!(!pk.is_empty(), "{name} has a primary key");
        let idx: Vec<usize> = pk
            .iter()
            .map(|k| header.iter().position(|h| h == k).unwrap())
            .collect();
        let mut seen = HashSet::new();
        for row in rows {
            let key: Vec<&str> = idx.iter().map(|&i| row[i].as_str()).collect();
            assert!(key.iter().all(|k| !k.is_empty()), "{name}: empty key");
            assert!(seen.insert(key.join("\u{1f}")), "{name}: key {key:?} twice");
        }
        for fk in r["schema"]["foreignKeys"].as_array().into_iter().flatten() {
            let col = header
                .iter()
                .position(|h| h == fk["fields"].as_str().unwrap())
                .unwrap();
            let target = fk["reference"]["resource"].as_str().unwrap();
            let (th, trows) = &tables[target];
            let tcol = th
                .iter()
                .position(|h| h == fk["reference"]["fields"].as_str().unwrap())
                .unwrap();
            let keys: HashSet<&str> = trows.iter().map(|r| r[tcol].as_str()).collect();
            for row in rows.iter().filter(|row| !row[col].is_empty()) {
                assert!(
                    keys.contains(row[col].as_str()),
                    "{name}.{} → {target}: {}",
                    fk["fields"],
                    row[col]
                );
                checked_refs += 1;
            }
        }
    }
    assert!(checked_refs > 500, "{checked_refs} references checked");
}

/// `frictionless validate` on the package, when the Python tool is there
/// (`pip install frictionless`; or FRICTIONLESS=/path/to/frictionless).
#[test]
fn frictionless_validates_the_package() {
    let dir = written_package("frictionless");
    let out = std::process::Command::new("sh")
        .arg(root().join("scripts/validate-datapackage.sh"))
        .arg(dir.join("datapackage.json"))
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    eprintln!("{text}");
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("frictionless not installed: skipped") || text.contains("valid: "),
        "{text}"
    );
}

//! `datapackage.json` beside the CSV tables: a Frictionless Data Package
//! whose resources are the CSVs, each with a Table Schema (field names and
//! types, Chinese titles, primary key, foreign keys), so `frictionless
//! validate datapackage.json` checks the tables and their references.
//!
//! Made from the same [`Table`] descriptions as the CSVs themselves, so the
//! two cannot disagree.

use super::tables::{ColType, Key, Table, primary_key};
use serde_json::{Value, json};

/// The package descriptor for `tables` (as written by [`super::csv`]).
pub fn descriptor(tables: &[Table], schema: &str) -> Value {
    let resources: Vec<Value> = tables.iter().map(|t| resource(t, tables)).collect();
    json!({
        "profile": "tabular-data-package",
        "name": "riskflow-catalog",
        "title": "廉政风险防控图目录",
        "description": format!(
            "The catalog of riskflow as CSV tables (schema {schema}); see CATALOG.md for every field."
        ),
        "resources": resources,
    })
}

fn resource(t: &Table, tables: &[Table]) -> Value {
    let fields: Vec<Value> = t
        .columns
        .iter()
        .map(|c| {
            let mut f = json!({
                "name": c.name,
                "title": c.title,
                "type": match c.ty {
                    ColType::Int => "integer",
                    ColType::Text => "string",
                },
            });
            if primary_key(t).contains(&c.name) {
                f["constraints"] = json!({"required": true});
            }
            f
        })
        .collect();
    let foreign: Vec<Value> = t
        .columns
        .iter()
        .filter_map(|c| match c.key {
            Key::Foreign(target) => {
                let parent = tables.iter().find(|p| p.name == target)?;
                match primary_key(parent).as_slice() {
                    [only] => Some(json!({
                        "fields": c.name,
                        "reference": {"resource": target, "fields": only},
                    })),
                    _ => None,
                }
            }
            _ => None,
        })
        .collect();
    let mut schema = json!({
        "fields": fields,
        // CSV has no null: an empty cell is one.
        "missingValues": [""],
    });
    let pk = primary_key(t);
    match pk.as_slice() {
        [] => {}
        [only] => schema["primaryKey"] = json!(only),
        many => schema["primaryKey"] = json!(many),
    }
    if !foreign.is_empty() {
        schema["foreignKeys"] = Value::Array(foreign);
    }
    json!({
        "name": t.name,
        "title": t.title,
        "path": format!("{}.csv", t.name),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        // The BOM is for Excel; readers that know utf-8-sig skip it.
        "encoding": "utf-8-sig",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": true},
        "schema": schema,
    })
}

/// The descriptor as written: pretty JSON ending with a newline.
pub fn to_bytes(tables: &[Table], schema: &str) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(&descriptor(tables, schema)).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}

//! `catalog.sqlite`: the flat tables of [`super::tables`] in SQLite, with
//! primary keys, foreign keys and an index on every foreign-key column, plus
//! a `meta` table naming the schema, generator and rules digest.
//!
//! The database is built at the temporary path in one transaction and closed
//! before the rename, so the target is either the old file or a complete one.

use super::tables::{Cell, ColType, Key, TEXTS, Table, add_part, defs, primary_key, text_row};
use super::{PartSource, WriteError, atomic_write};
use crate::catalog::Catalog;
use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::{Connection, ToSql, params_from_iter};
use std::path::Path;

/// Bumped when the SQLite layout changes; readable with `PRAGMA user_version`.
pub const USER_VERSION: i64 = 1;

/// Build the database and write it atomically to `path`.
pub fn write(cat: &Catalog, path: &Path) -> Result<(), WriteError> {
    write_parts(&super::CatalogParts::new(cat), path)
}

/// The same, from parts, streamed: rows are inserted part by part.
pub fn write_parts(parts: &dyn PartSource, path: &Path) -> Result<(), WriteError> {
    let fail = |message: String| WriteError::Format {
        path: path.to_path_buf(),
        message,
    };
    atomic_write(path, |tmp| {
        let mut conn = Connection::open(tmp).map_err(|e| fail(e.to_string()))?;
        let filled = fill(&mut conn, parts).map_err(|e| match e {
            Fill::Sql(m) => fail(m),
            Fill::Read(e) => e,
        });
        // Close before the rename so every page is on disk; a close error
        // means the file may be incomplete.
        let closed = conn.close().map_err(|(_, e)| fail(e.to_string()));
        filled.and(closed)
    })
}

/// Why filling failed: the database, or reading the parts.
enum Fill {
    Sql(String),
    Read(WriteError),
}

impl From<rusqlite::Error> for Fill {
    fn from(e: rusqlite::Error) -> Fill {
        Fill::Sql(e.to_string())
    }
}

fn fill(conn: &mut Connection, parts: &dyn PartSource) -> Result<(), Fill> {
    let head = parts.head();
    // A bulk load into a private temporary: the journal lives in memory (an
    // on-disk one would only risk leaving litter behind), no fsync per page
    // (the file is closed before the rename), a page cache of up to 1 GiB
    // (the primary keys are hashes, so rows land all over their indexes;
    // once the file outgrows the cache its pages go out and back in: the
    // 16,000-file database is 930 MB, and the 16,000-file SQLite-only run
    // took 62 s with a 256 MiB cache against 54 s; the cache only takes
    // what the file needs, so small runs do not pay for it),
    // foreign keys checked once at the end instead of on every row,
    // indexes built once after the rows are in.
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = MEMORY;
         PRAGMA synchronous = OFF;
         PRAGMA cache_size = -1048576;
         PRAGMA foreign_keys = OFF;
         PRAGMA user_version = {USER_VERSION};"
    ))?;

    let mut tables = defs();
    let tx = conn.transaction()?;
    tx.execute_batch(&tables_sql(&tables))?;
    {
        let mut meta = tx.prepare("INSERT INTO meta (key, value) VALUES (?1, ?2)")?;
        for (k, v) in [
            ("schema", &head.schema),
            ("generator", &head.generator),
            ("rules_digest", &head.rules_digest),
        ] {
            meta.execute([k, v.as_str()])?;
        }
    }
    {
        let mut inserts = Vec::with_capacity(tables.len());
        for table in &tables {
            inserts.push(Insert::new(&tx, table)?);
        }
        let mut flush = |tables: &mut [Table]| -> Result<(), String> {
            for (t, ins) in tables.iter_mut().zip(&mut inserts) {
                for row in t.rows.drain(..) {
                    ins.row(t.name, &row)?;
                }
            }
            Ok(())
        };
        tables[TEXTS].rows = head.texts.iter().map(text_row).collect();
        flush(&mut tables).map_err(Fill::Sql)?;
        let mut sql_error = None;
        let read = parts.each(&mut |part| {
            add_part(&mut tables, part);
            flush(&mut tables).map_err(|m| {
                sql_error = Some(m);
                // Stops the reading; the database's error is returned below.
                WriteError::Format {
                    path: Default::default(),
                    message: String::new(),
                }
            })
        });
        if let Some(m) = sql_error {
            return Err(Fill::Sql(m));
        }
        read.map_err(Fill::Read)?;
    }
    tx.execute_batch(&index_sql(&tables))?;
    // Foreign keys are checked once, here, naming the dangling rows.
    let dangling = foreign_key_violations(&tx)?;
    if !dangling.is_empty() {
        return Err(Fill::Sql(format!(
            "目录中有无效引用（foreign key）: {}",
            dangling.join("; ")
        )));
    }
    tx.commit()?;
    Ok(())
}

/// One table's prepared insert, counting its rows for error messages.
struct Insert<'c> {
    stmt: rusqlite::Statement<'c>,
    rows: usize,
}

impl<'c> Insert<'c> {
    fn new(tx: &'c rusqlite::Transaction<'_>, table: &Table) -> rusqlite::Result<Insert<'c>> {
        let names: Vec<String> = table.columns.iter().map(|c| quote(c.name)).collect();
        let slots: Vec<String> = (1..=table.columns.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quote(table.name),
            names.join(", "),
            slots.join(", ")
        );
        Ok(Insert {
            stmt: tx.prepare(&sql)?,
            rows: 0,
        })
    }

    fn row(&mut self, table: &str, row: &[Cell]) -> Result<(), String> {
        self.rows += 1;
        self.stmt
            .execute(params_from_iter(row.iter().map(SqlCell)))
            .map(drop)
            .map_err(|e| format!("{table} row {}: {e}", self.rows))
    }
}

/// `CREATE TABLE` for every table plus `meta`, and one index per foreign key.
pub fn schema_sql(tables: &[Table]) -> String {
    tables_sql(tables) + &index_sql(tables)
}

/// `CREATE TABLE` for every table plus `meta`.
fn tables_sql(tables: &[Table]) -> String {
    let mut sql = String::from("CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT);\n");
    for table in tables {
        let mut parts: Vec<String> = table
            .columns
            .iter()
            .map(|c| {
                let ty = match c.ty {
                    ColType::Int => "INTEGER",
                    ColType::Text => "TEXT",
                };
                let not_null = if primary_key(table).contains(&c.name) {
                    " NOT NULL"
                } else {
                    ""
                };
                format!("{} {ty}{not_null}", quote(c.name))
            })
            .collect();
        let pk = primary_key(table);
        if !pk.is_empty() {
            let cols: Vec<String> = pk.iter().map(|c| quote(c)).collect();
            parts.push(format!("PRIMARY KEY ({})", cols.join(", ")));
        }
        for c in &table.columns {
            if let Key::Foreign(target) = c.key
                && let Some(target_col) = referenced_column(tables, target)
            {
                parts.push(format!(
                    "FOREIGN KEY ({}) REFERENCES {} ({}) DEFERRABLE INITIALLY DEFERRED",
                    quote(c.name),
                    quote(target),
                    quote(target_col)
                ));
            }
        }
        sql.push_str(&format!(
            "CREATE TABLE {} (\n  {}\n);\n",
            quote(table.name),
            parts.join(",\n  ")
        ));
    }
    sql
}

/// One index per foreign-key column.
fn index_sql(tables: &[Table]) -> String {
    let mut sql = String::new();
    for table in tables {
        for c in &table.columns {
            if matches!(c.key, Key::Foreign(_)) {
                sql.push_str(&format!(
                    "CREATE INDEX {} ON {} ({});\n",
                    quote(&format!("idx_{}_{}", table.name, c.name)),
                    quote(table.name),
                    quote(c.name)
                ));
            }
        }
    }
    sql
}

/// The single-column primary key a foreign key to `target` points at.
fn referenced_column(tables: &[Table], target: &str) -> Option<&'static str> {
    let table = tables.iter().find(|t| t.name == target)?;
    match primary_key(table).as_slice() {
        [only] => Some(*only),
        _ => None,
    }
}

fn foreign_key_violations(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |r| {
        let table: String = r.get(0)?;
        let rowid: Option<i64> = r.get(1)?;
        let parent: String = r.get(2)?;
        Ok(format!("{table} 第 {} 行 → {parent}", rowid.unwrap_or(0)))
    })?;
    // A handful is enough to find the bug.
    rows.take(10).collect()
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// A table cell bound as an SQLite value.
struct SqlCell<'a>(&'a Cell);

impl ToSql for SqlCell<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0 {
            Cell::Null => ToSqlOutput::Owned(Value::Null),
            Cell::Int(n) => ToSqlOutput::Owned(Value::Integer(*n)),
            Cell::Text(s) => s.as_str().to_sql()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{SCHEMA, Summary};

    fn empty() -> Catalog {
        Catalog {
            schema: SCHEMA.into(),
            generator: "riskflow test".into(),
            rules_digest: "0".repeat(64),
            summary: Summary::default(),
            sources: vec![],
            charts: vec![],
            texts: vec![],
            findings: vec![],
        }
    }

    #[test]
    fn schema_has_keys_and_an_index_per_foreign_key() {
        let sql = schema_sql(&crate::write::tables::tables(&empty()));
        assert!(sql.contains("PRIMARY KEY (\"chart_id\", \"seq\")"));
        assert!(sql.contains("PRIMARY KEY (\"risk_point_id\", \"position\")"));
        assert!(sql.contains(
            "FOREIGN KEY (\"text_id\") REFERENCES \"texts\" (\"id\") DEFERRABLE INITIALLY DEFERRED"
        ));
        // charts.source, steps.chart_id, risk_points.chart_id, 3 per line
        // table (risk point, chart, text), findings.source/chart/risk_point.
        assert_eq!(sql.matches("CREATE INDEX").count(), 12);
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(&sql).unwrap();
    }

    #[test]
    fn empty_catalog_still_gets_meta() {
        let dir = std::env::temp_dir().join(format!("riskflow-sqlite-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("catalog.sqlite");
        write(&empty(), &path).unwrap();
        let conn = Connection::open(&path).unwrap();
        let generator: String = conn
            .query_row("SELECT value FROM meta WHERE key = 'generator'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(generator, "riskflow test");
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, USER_VERSION);
        drop(conn);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

//! The catalog as flat tables: one per entity, shared by the CSV, Excel and
//! SQLite writers so the three can never disagree on columns or rows.

use crate::catalog::{Catalog, Chart, Finding, Line, RiskPoint, Source, Text};
use crate::store::Part;

/// Separator for nested lists flattened into one cell (CATALOG.md).
pub const LIST_SEP: &str = "；";

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Text(String),
}

impl Cell {
    /// The cell as CSV text (null → empty).
    pub fn as_text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Int(i) => i.to_string(),
            Cell::Text(s) => s.clone(),
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}
impl From<&String> for Cell {
    fn from(s: &String) -> Self {
        Cell::Text(s.clone())
    }
}
impl From<Option<&String>> for Cell {
    fn from(s: Option<&String>) -> Self {
        s.map_or(Cell::Null, |s| Cell::Text(s.clone()))
    }
}
impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Self {
        s.map_or(Cell::Null, Cell::Text)
    }
}
impl From<usize> for Cell {
    fn from(n: usize) -> Self {
        Cell::Int(n as i64)
    }
}
impl From<u64> for Cell {
    fn from(n: u64) -> Self {
        Cell::Int(n as i64)
    }
}
impl From<Option<usize>> for Cell {
    fn from(n: Option<usize>) -> Self {
        n.map_or(Cell::Null, |n| Cell::Int(n as i64))
    }
}
impl From<Option<u32>> for Cell {
    fn from(n: Option<u32>) -> Self {
        n.map_or(Cell::Null, |n| Cell::Int(n as i64))
    }
}

/// How a column relates to other tables (for SQLite keys and indexes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    None,
    /// This table's primary key (alone or with the other `Primary` columns).
    Primary,
    /// References the `id` (or primary key) of the named table.
    Foreign(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Text,
    Int,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// snake_case name: the CSV header and the SQLite column.
    pub name: &'static str,
    /// Chinese title: the Excel header.
    pub title: &'static str,
    pub ty: ColType,
    pub key: Key,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// File stem / SQLite table name: `charts` → `charts.csv`.
    pub name: &'static str,
    /// Chinese sheet name.
    pub title: &'static str,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

/// The primary key of a table: its `Primary` columns, or for the child
/// tables without an id, the columns that identify a row within its parent
/// (a step by its chart and order, a line by its risk point and position).
/// The same rule as the SQLite writer's keys.
pub fn primary_key(table: &Table) -> Vec<&'static str> {
    let declared: Vec<&'static str> = table
        .columns
        .iter()
        .filter(|c| c.key == Key::Primary)
        .map(|c| c.name)
        .collect();
    if !declared.is_empty() {
        return declared;
    }
    let natural: &[&'static str] = match table.name {
        "steps" => &["chart_id", "seq"],
        "risk_items" | "measures" => &["risk_point_id", "position"],
        _ => &[],
    };
    natural
        .iter()
        .copied()
        .filter(|n| table.columns.iter().any(|c| c.name == *n))
        .collect()
}

const fn col(name: &'static str, title: &'static str, ty: ColType, key: Key) -> Column {
    Column {
        name,
        title,
        ty,
        key,
    }
}

use ColType::{Int, Text as Txt};
use Key::{Foreign, None as NoKey, Primary};

/// The eight tables of CATALOG.md, in its order.
pub fn tables(cat: &Catalog) -> Vec<Table> {
    let mut t = defs();
    t[SOURCES].rows = cat.sources.iter().map(source_row).collect();
    t[CHARTS].rows = cat.charts.iter().map(chart_row).collect();
    for c in &cat.charts {
        t[STEPS].rows.extend(step_rows(c));
        t[RISK_POINTS].rows.extend(risk_point_rows(c));
        t[RISK_ITEMS].rows.extend(line_rows(c, |rp| &rp.items));
        t[MEASURES].rows.extend(line_rows(c, |rp| &rp.measures));
    }
    t[TEXTS].rows = cat.texts.iter().map(text_row).collect();
    let places = crate::review::Places::of(cat);
    t[FINDINGS].rows = cat
        .findings
        .iter()
        .map(|f| finding_row(f, places.path(f), places.chart_name(f)))
        .collect();
    t
}

/// Positions of the tables in [`defs`].
pub const SOURCES: usize = 0;
pub const CHARTS: usize = 1;
pub const STEPS: usize = 2;
pub const RISK_POINTS: usize = 3;
pub const RISK_ITEMS: usize = 4;
pub const MEASURES: usize = 5;
pub const TEXTS: usize = 6;
pub const FINDINGS: usize = 7;

/// The rows of one part, added to `tables` (made by [`defs`]): every table
/// but the texts, which are the head's ([`text_row`]). A finding's path and
/// chart name are looked up in the part: riskflow puts a finding in the
/// part of its source, beside the charts it names (and a catalog not in
/// source order is one part).
pub fn add_part(tables: &mut [Table], part: &Part) {
    add_part_to(tables, part, &|_| true);
}

/// The same, for the tables `wanted` names only (a writer filling some
/// tables on one thread and the rest on another).
pub fn add_part_to(tables: &mut [Table], part: &Part, wanted: &dyn Fn(usize) -> bool) {
    if wanted(SOURCES) {
        tables[SOURCES]
            .rows
            .extend(part.sources.iter().map(source_row));
    }
    for c in &part.charts {
        if wanted(CHARTS) {
            tables[CHARTS].rows.push(chart_row(c));
        }
        if wanted(STEPS) {
            tables[STEPS].rows.extend(step_rows(c));
        }
        if wanted(RISK_POINTS) {
            tables[RISK_POINTS].rows.extend(risk_point_rows(c));
        }
        if wanted(RISK_ITEMS) {
            tables[RISK_ITEMS].rows.extend(line_rows(c, |rp| &rp.items));
        }
        if wanted(MEASURES) {
            tables[MEASURES]
                .rows
                .extend(line_rows(c, |rp| &rp.measures));
        }
    }
    if !wanted(FINDINGS) {
        return;
    }
    let paths: std::collections::HashMap<&str, &str> = part
        .sources
        .iter()
        .map(|s| (s.id.as_str(), s.path.as_str()))
        .collect();
    let names: std::collections::HashMap<&str, &str> = part
        .charts
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    for f in &part.findings {
        let name = f.chart.as_deref().and_then(|id| names.get(id)).copied();
        let path = paths.get(f.source.as_str()).copied().unwrap_or("");
        tables[FINDINGS].rows.push(finding_row(f, path, name));
    }
}

/// The eight tables without rows.
pub fn defs() -> Vec<Table> {
    let table = |name, title, columns| Table {
        name,
        title,
        columns,
        rows: Vec::new(),
    };
    let lines = |name, title| {
        table(
            name,
            title,
            vec![
                col("risk_point_id", "风险点编号", Txt, Foreign("risk_points")),
                col("chart_id", "图表编号", Txt, Foreign("charts")),
                col("position", "位次", Int, NoKey),
                col("n", "编号", Int, NoKey),
                col("marker", "编号原文", Txt, NoKey),
                col("text", "内容", Txt, NoKey),
                col("text_id", "规范文本编号", Txt, Foreign("texts")),
            ],
        )
    };
    vec![
        table(
            "sources",
            "来源文件",
            vec![
                col("id", "来源编号", Txt, Primary),
                col("path", "文件路径", Txt, NoKey),
                col("format", "格式", Txt, NoKey),
                col("bytes", "字节数", Int, NoKey),
                col("sha256", "SHA-256", Txt, NoKey),
                col("encoding", "编码", Txt, NoKey),
                col("status", "状态", Txt, NoKey),
                col("error_code", "错误代码", Txt, NoKey),
                col("error_message", "错误信息", Txt, NoKey),
                col("charts", "图表", Txt, NoKey),
                col("chars_read", "读取字符数", Int, NoKey),
                col("chars_placed", "采用字符数", Int, NoKey),
            ],
        ),
        table(
            "charts",
            "职权流程",
            vec![
                col("id", "图表编号", Txt, Primary),
                col("source", "来源编号", Txt, Foreign("sources")),
                col("ordinal", "序号", Int, NoKey),
                col("location", "位置", Txt, NoKey),
                col("layout", "版式", Txt, NoKey),
                col("title", "标题", Txt, NoKey),
                col("department", "部门", Txt, NoKey),
                col("category", "类别", Txt, NoKey),
                col("category_raw", "类别原文", Txt, NoKey),
                col("code", "编号", Txt, NoKey),
                col("name", "职权/流程名称", Txt, NoKey),
                col("name_from", "名称来源", Txt, NoKey),
                col("time_limit", "办理时限", Txt, NoKey),
                col("contacts", "联系电话", Txt, NoKey),
                col("steps", "环节数", Int, NoKey),
                col("risk_points", "风险点数", Int, NoKey),
            ],
        ),
        table(
            "steps",
            "环节",
            vec![
                col("chart_id", "图表编号", Txt, Foreign("charts")),
                col("seq", "顺序", Int, NoKey),
                col("name", "环节名称", Txt, NoKey),
                col("raw", "原文", Txt, NoKey),
                col("actor", "办理人", Txt, NoKey),
                col("time_limit", "时限", Txt, NoKey),
            ],
        ),
        table(
            "risk_points",
            "风险点",
            vec![
                col("id", "风险点编号", Txt, Primary),
                col("chart_id", "图表编号", Txt, Foreign("charts")),
                col("label", "标签", Txt, NoKey),
                col("step", "环节顺序", Int, NoKey),
                col("grade_level", "风险等级", Txt, NoKey),
                col("grade_scale", "等级体系", Txt, NoKey),
                col("grade_raw", "等级原文", Txt, NoKey),
                col("responsible", "责任人", Txt, NoKey),
                col("items", "风险条数", Int, NoKey),
                col("measures", "措施条数", Int, NoKey),
            ],
        ),
        lines("risk_items", "风险内容"),
        lines("measures", "防控措施"),
        table(
            "texts",
            "规范文本",
            vec![
                col("id", "规范文本编号", Txt, Primary),
                col("kind", "类型", Txt, NoKey),
                col("canonical", "规范文本", Txt, NoKey),
                col("occurrences", "出现次数", Int, NoKey),
                col("charts", "涉及图表数", Int, NoKey),
                col("variants", "其他写法", Txt, NoKey),
            ],
        ),
        // Findings with the file path and chart name beside the ids, so a
        // person in Excel sees where each one is.
        table(
            "findings",
            "问题清单",
            vec![
                col("id", "问题编号", Txt, Primary),
                col("code", "问题代码", Txt, NoKey),
                col("severity", "严重程度", Txt, NoKey),
                col("path", "文件路径", Txt, NoKey),
                col("chart_name", "图表名称", Txt, NoKey),
                col("source", "来源编号", Txt, Foreign("sources")),
                col("chart", "图表编号", Txt, Foreign("charts")),
                col("step", "环节顺序", Int, NoKey),
                col("risk_point", "风险点编号", Txt, Foreign("risk_points")),
                col("location", "位置", Txt, NoKey),
                col("message", "说明", Txt, NoKey),
                col("evidence", "原文", Txt, NoKey),
                col("suggestion", "建议", Txt, NoKey),
            ],
        ),
    ]
}

pub fn source_row(s: &Source) -> Vec<Cell> {
    vec![
        (&s.id).into(),
        (&s.path).into(),
        (&s.format).into(),
        s.bytes.into(),
        (&s.sha256).into(),
        s.encoding.as_ref().into(),
        s.status.as_str().into(),
        s.error.as_ref().map(|e| e.code.clone()).into(),
        s.error.as_ref().map(|e| e.message.clone()).into(),
        s.charts.join(LIST_SEP).into(),
        s.chars_read.into(),
        s.chars_placed.into(),
    ]
}

pub fn chart_row(c: &Chart) -> Vec<Cell> {
    let contacts: Vec<String> = c
        .contacts
        .iter()
        .map(|k| format!("{}:{}", k.kind, k.number))
        .collect();
    vec![
        (&c.id).into(),
        (&c.source).into(),
        c.ordinal.into(),
        (&c.location).into(),
        (&c.layout).into(),
        c.title.as_ref().into(),
        c.department.as_ref().into(),
        c.category.as_ref().into(),
        c.category_raw.as_ref().into(),
        c.code.as_ref().into(),
        (&c.name).into(),
        (&c.name_from).into(),
        c.time_limit.as_ref().into(),
        contacts.join(LIST_SEP).into(),
        c.steps.len().into(),
        c.risk_points.len().into(),
    ]
}

fn step_rows(c: &Chart) -> impl Iterator<Item = Vec<Cell>> + '_ {
    c.steps.iter().map(move |s| {
        vec![
            (&c.id).into(),
            s.seq.into(),
            (&s.name).into(),
            (&s.raw).into(),
            s.actor.as_ref().into(),
            s.time_limit.as_ref().into(),
        ]
    })
}

fn risk_point_rows(c: &Chart) -> impl Iterator<Item = Vec<Cell>> + '_ {
    c.risk_points.iter().map(move |rp| {
        let g = rp.grade.as_ref();
        vec![
            (&rp.id).into(),
            (&c.id).into(),
            rp.label.as_ref().into(),
            rp.step.into(),
            g.map(|g| g.level.clone()).into(),
            g.map(|g| g.scale.clone()).into(),
            g.map(|g| g.raw.clone()).into(),
            rp.responsible.join(LIST_SEP).into(),
            rp.items.len().into(),
            rp.measures.len().into(),
        ]
    })
}

fn line_rows(
    c: &Chart,
    pick: fn(&RiskPoint) -> &Vec<Line>,
) -> impl Iterator<Item = Vec<Cell>> + '_ {
    c.risk_points.iter().flat_map(move |rp| {
        pick(rp).iter().enumerate().map(move |(i, l)| {
            vec![
                (&rp.id).into(),
                (&c.id).into(),
                (i + 1).into(),
                l.n.into(),
                l.marker.as_ref().into(),
                (&l.text).into(),
                (&l.text_id).into(),
            ]
        })
    })
}

pub fn text_row(t: &Text) -> Vec<Cell> {
    let variants: Vec<String> = t
        .variants
        .iter()
        .map(|v| format!("{}（{}）", v.text, v.occurrences))
        .collect();
    vec![
        (&t.id).into(),
        (&t.kind).into(),
        (&t.canonical).into(),
        t.occurrences.into(),
        t.charts.into(),
        variants.join(LIST_SEP).into(),
    ]
}

/// A finding's row, with its source's path and its chart's name.
pub fn finding_row(f: &Finding, path: &str, chart_name: Option<&str>) -> Vec<Cell> {
    vec![
        (&f.id).into(),
        (&f.code).into(),
        f.severity.as_str().into(),
        path.into(),
        chart_name.map(str::to_string).into(),
        (&f.source).into(),
        f.chart.as_ref().into(),
        f.step.into(),
        f.risk_point.as_ref().into(),
        (&f.location).into(),
        (&f.message).into(),
        (&f.evidence).into(),
        f.suggestion.as_ref().into(),
    ]
}

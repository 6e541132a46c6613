//! The catalog as flat tables: one per entity, shared by the CSV, Excel and
//! SQLite writers so the three can never disagree on columns or rows.

use crate::catalog::{Catalog, Line};

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
    vec![
        sources(cat),
        charts(cat),
        steps(cat),
        risk_points(cat),
        lines(cat, "risk_items", "风险内容", |rp| &rp.items),
        lines(cat, "measures", "防控措施", |rp| &rp.measures),
        texts(cat),
        findings(cat),
    ]
}

fn sources(cat: &Catalog) -> Table {
    Table {
        name: "sources",
        title: "来源文件",
        columns: vec![
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
        rows: cat
            .sources
            .iter()
            .map(|s| {
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
            })
            .collect(),
    }
}

fn charts(cat: &Catalog) -> Table {
    Table {
        name: "charts",
        title: "职权流程",
        columns: vec![
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
        rows: cat
            .charts
            .iter()
            .map(|c| {
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
            })
            .collect(),
    }
}

fn steps(cat: &Catalog) -> Table {
    Table {
        name: "steps",
        title: "环节",
        columns: vec![
            col("chart_id", "图表编号", Txt, Foreign("charts")),
            col("seq", "顺序", Int, NoKey),
            col("name", "环节名称", Txt, NoKey),
            col("raw", "原文", Txt, NoKey),
            col("actor", "办理人", Txt, NoKey),
            col("time_limit", "时限", Txt, NoKey),
        ],
        rows: cat
            .charts
            .iter()
            .flat_map(|c| {
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
            })
            .collect(),
    }
}

fn risk_points(cat: &Catalog) -> Table {
    Table {
        name: "risk_points",
        title: "风险点",
        columns: vec![
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
        rows: cat
            .charts
            .iter()
            .flat_map(|c| {
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
            })
            .collect(),
    }
}

fn lines(
    cat: &Catalog,
    name: &'static str,
    title: &'static str,
    pick: fn(&crate::catalog::RiskPoint) -> &Vec<Line>,
) -> Table {
    Table {
        name,
        title,
        columns: vec![
            col("risk_point_id", "风险点编号", Txt, Foreign("risk_points")),
            col("chart_id", "图表编号", Txt, Foreign("charts")),
            col("position", "位次", Int, NoKey),
            col("n", "编号", Int, NoKey),
            col("marker", "编号原文", Txt, NoKey),
            col("text", "内容", Txt, NoKey),
            col("text_id", "规范文本编号", Txt, Foreign("texts")),
        ],
        rows: cat
            .charts
            .iter()
            .flat_map(|c| {
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
            })
            .collect(),
    }
}

fn texts(cat: &Catalog) -> Table {
    Table {
        name: "texts",
        title: "规范文本",
        columns: vec![
            col("id", "规范文本编号", Txt, Primary),
            col("kind", "类型", Txt, NoKey),
            col("canonical", "规范文本", Txt, NoKey),
            col("occurrences", "出现次数", Int, NoKey),
            col("charts", "涉及图表数", Int, NoKey),
            col("variants", "其他写法", Txt, NoKey),
        ],
        rows: cat
            .texts
            .iter()
            .map(|t| {
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
            })
            .collect(),
    }
}

/// Findings with the file path and chart name beside the ids, so a person
/// in Excel sees where each one is (looked up once, not per finding).
fn findings(cat: &Catalog) -> Table {
    let places = crate::review::Places::of(cat);
    Table {
        name: "findings",
        title: "问题清单",
        columns: vec![
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
        rows: cat
            .findings
            .iter()
            .map(|f| {
                vec![
                    (&f.id).into(),
                    (&f.code).into(),
                    f.severity.as_str().into(),
                    places.path(f).into(),
                    places.chart_name(f).map(str::to_string).into(),
                    (&f.source).into(),
                    f.chart.as_ref().into(),
                    f.step.into(),
                    f.risk_point.as_ref().into(),
                    (&f.location).into(),
                    (&f.message).into(),
                    (&f.evidence).into(),
                    f.suggestion.as_ref().into(),
                ]
            })
            .collect(),
    }
}

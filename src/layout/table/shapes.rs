//! The shape of `rules/tables.toml`: header words of table columns, and the
//! words the `list` and `prose` layouts look for.

use crate::rules::Rules;
use serde::Deserialize;

/// The shape of `rules/tables.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutRules {
    pub columns: ColumnWords,
    pub header: HeaderRules,
    /// What a cell is, told from its words (tables without a header row,
    /// tables flattened into lines).
    #[serde(default)]
    pub content: ContentWords,
    pub list: ListRules,
    pub prose: ProseRules,
    /// Traditional → simplified folding, set from `rules/variants.toml`.
    #[serde(skip)]
    pub variants: crate::rules::Variants,
}

/// Header words per column role.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnWords {
    pub process: Vec<String>,
    pub step: Vec<String>,
    pub object: Vec<String>,
    pub risk: Vec<String>,
    pub grade: Vec<String>,
    pub measure: Vec<String>,
    pub responsible: Vec<String>,
    pub post: Vec<String>,
    pub power: Vec<String>,
    pub time: Vec<String>,
    /// 序号: the row number.
    #[serde(default)]
    pub seq: Vec<String>,
    /// 风险类别: the kind of risk (思想道德风险 …).
    #[serde(default)]
    pub category: Vec<String>,
    /// 单位/科室: groups rows into charts, one per unit.
    #[serde(default)]
    pub unit: Vec<String>,
    /// Every word with its role, whitespace removed, in role order: made
    /// once, since every short line of every chart is asked its role.
    #[serde(skip)]
    pub(super) compacted: std::sync::OnceLock<Vec<(super::header::Role, String)>>,
}

/// Words that tell what a cell holds when no header says it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentWords {
    /// Words of a risk item (不 未 擅自 违规 …).
    pub risk: Vec<String>,
    /// Words a measure starts with (严格 加强 建立 …).
    pub measure: Vec<String>,
    /// Words of a responsible person or body (负责人 领导 科长 …).
    pub responsible: Vec<String>,
    /// A post's name ends with one of these (主任岗).
    pub post_suffixes: Vec<String>,
    /// A short cell holding one of these is a heading: the table has ended.
    #[serde(default)]
    pub headings: Vec<String>,
    /// A cell of at most this many characters (whitespace removed) is a
    /// name, not a sentence.
    pub short_max: usize,
    /// A risk or measure is told from the words in its first this many characters first.
    pub lead_chars: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderRules {
    pub min_roles: usize,
    pub search_rows: usize,
    /// In text, a piece holding one of these is a title, not a header cell.
    #[serde(default)]
    pub title_words: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListRules {
    pub label: String,
    pub measures: Vec<String>,
    pub title_suffixes: Vec<String>,
    /// The label line's pattern, compiled at its first use (see
    /// `layout::list`); shared by every thread, with its search caches.
    #[serde(skip)]
    pub(crate) label_pattern: std::sync::OnceLock<Option<regex::Regex>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProseRules {
    pub risks: Vec<String>,
    pub measures: Vec<String>,
    pub duties: Vec<String>,
    pub title_suffixes: Vec<String>,
    pub group_prefix: Vec<String>,
    pub match_ignore: Vec<String>,
    pub match_min: usize,
    /// `二、风险等级：中`: the grade of the post's risk points.
    #[serde(default)]
    pub grades: Vec<String>,
    /// `岗位：办公室主任` above a risks heading: the post the chart is for.
    #[serde(default)]
    pub posts: Vec<String>,
}

/// The layout rules in force (`rules/tables.toml`).
pub fn layout_rules(rules: &Rules) -> Option<&LayoutRules> {
    Some(&rules.tables)
}

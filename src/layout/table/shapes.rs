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
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderRules {
    pub min_roles: usize,
    pub search_rows: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListRules {
    pub label: String,
    pub measures: Vec<String>,
    pub title_suffixes: Vec<String>,
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
}

/// The layout rules in force. Until `Rules` carries `tables.toml`, this is
/// the built-in file, parsed on each call (it is small and tested to parse).
pub fn layout_rules(rules: &Rules) -> Option<LayoutRules> {
    Some(rules.tables.clone())
}

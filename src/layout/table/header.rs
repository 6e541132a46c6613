//! Column roles: what a header cell names, and the header rows of a grid.

use super::grid::{Grid, cell_pos};
use super::shapes::{ColumnWords, LayoutRules};
use crate::document::Block;
use crate::recognise::fields::compact;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Process,
    Step,
    Object,
    Risk,
    Grade,
    Measure,
    Responsible,
    Post,
    Power,
    Time,
    /// 序号.
    Seq,
    /// 风险类别.
    Category,
    /// 单位/科室: one chart per unit.
    Unit,
    /// A 风险点 column beside another column holding the risks: the risk
    /// point's topic (公车管理), its label.
    Topic,
}

const ROLES: [Role; 13] = [
    Role::Process,
    Role::Step,
    Role::Object,
    Role::Risk,
    Role::Grade,
    Role::Measure,
    Role::Responsible,
    Role::Post,
    Role::Power,
    Role::Time,
    Role::Seq,
    Role::Category,
    Role::Unit,
];

impl ColumnWords {
    fn words(&self, role: Role) -> &[String] {
        match role {
            Role::Process => &self.process,
            Role::Step => &self.step,
            Role::Object => &self.object,
            Role::Risk => &self.risk,
            Role::Grade => &self.grade,
            Role::Measure => &self.measure,
            Role::Responsible => &self.responsible,
            Role::Post => &self.post,
            Role::Power => &self.power,
            Role::Time => &self.time,
            Role::Seq => &self.seq,
            Role::Category => &self.category,
            Role::Unit => &self.unit,
            Role::Topic => &[],
        }
    }
}

/// Header cells are short: longer text is data.
const HEADER_MAX_CHARS: usize = 16;

/// The role a header cell names: an exact synonym first, else the longest
/// synonym it contains.
pub fn role_of(text: &str, lr: &LayoutRules) -> Option<Role> {
    // Counted before folding and compacting (neither changes the count of
    // non-space characters): most texts asked are far too long.
    let n = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(HEADER_MAX_CHARS + 1)
        .count();
    if n == 0 || n > HEADER_MAX_CHARS {
        return None;
    }
    let folded = lr.variants.fold(text);
    let s = compact(&folded);
    // `职权名称：先行登记保存` is a label with its value, not a column head.
    if s.trim_end_matches(['：', ':']).contains(['：', ':']) {
        return None;
    }
    let words = lr.columns.compacted.get_or_init(|| {
        ROLES
            .iter()
            .flat_map(|r| {
                lr.columns
                    .words(*r)
                    .iter()
                    .map(move |w| (*r, compact(w).into_owned()))
            })
            .filter(|(_, w)| !w.is_empty())
            .collect()
    });
    if let Some((r, _)) = words.iter().find(|(_, w)| *w == s) {
        return Some(*r);
    }
    words
        .iter()
        .filter(|(_, w)| s.contains(w.as_str()))
        // Equal lengths: the last in ROLES order wins (max_by_key), a fixed order.
        .max_by_key(|(_, w)| w.chars().count())
        .map(|(r, _)| *r)
}

/// The header of a table: the column roles and the first data row.
pub(super) struct Header {
    pub(super) row: usize,
    pub(super) end: usize,
    pub(super) roles: Vec<Option<Role>>,
    /// The header row's cell texts (whitespace removed), to spot it repeated.
    pub(super) texts: Vec<String>,
}

pub(super) fn distinct_roles(roles: &[Option<Role>]) -> Vec<Role> {
    let mut out = Vec::new();
    for r in roles.iter().flatten() {
        if !out.contains(r) {
            out.push(*r);
        }
    }
    out
}

fn row_roles(g: &Grid, seg: &[&Block], r: usize, lr: &LayoutRules) -> Vec<Option<Role>> {
    (0..g.cols)
        .map(|c| g.get(r, c).and_then(|b| role_of(&seg[b].text, lr)))
        .collect()
}

fn is_header_row(roles: &[Option<Role>], lr: &LayoutRules) -> bool {
    let d = distinct_roles(roles);
    d.len() >= lr.header.min_roles.max(1) && (d.contains(&Role::Risk) || d.contains(&Role::Measure))
}

pub(super) fn find_header(g: &Grid, seg: &[&Block], lr: &LayoutRules) -> Option<Header> {
    let row = (0..g.rows.min(lr.header.search_rows))
        .find(|&r| is_header_row(&row_roles(g, seg, r, lr), lr))?;
    let mut roles = row_roles(g, seg, row, lr);
    let mut end = row + 1;
    // A second header row: every cell that starts in it is a header word or
    // empty, and at least one names a role (风险表现 | 风险等级 under 廉政风险点).
    if end < g.rows {
        let starts: Vec<usize> = g
            .row_blocks(end)
            .into_iter()
            .filter(|&b| cell_pos(seg[b]).is_some_and(|p| p.1 == end))
            .collect();
        let sub: Vec<Option<Role>> = starts.iter().map(|&b| role_of(&seg[b].text, lr)).collect();
        let all_header = starts
            .iter()
            .zip(&sub)
            .all(|(&b, r)| r.is_some() || seg[b].text.trim().is_empty());
        if all_header && sub.iter().any(Option::is_some) {
            for (c, role) in roles.iter_mut().enumerate() {
                if let Some(b) = g.get(end, c)
                    && cell_pos(seg[b]).is_some_and(|p| p.1 == end)
                    && let Some(r) = role_of(&seg[b].text, lr)
                {
                    *role = Some(r);
                }
            }
            end += 1;
        }
    }
    topics(&mut roles);
    // A 工作流程 column without a 关键环节 column lists the steps (a flow
    // chart drawn as a table), not groups of them.
    if !roles.contains(&Some(Role::Step)) {
        for r in roles.iter_mut().filter(|r| **r == Some(Role::Process)) {
            *r = Some(Role::Step);
        }
    }
    let texts = (0..g.cols)
        .map(|c| {
            g.get(row, c)
                .map(|b| compact(&seg[b].text).into_owned())
                .unwrap_or_default()
        })
        .collect();
    Some(Header {
        row,
        end,
        roles,
        texts,
    })
}

/// Two or more risk columns (`风险点 | 风险表现`): the last holds the risk
/// items, the others name the risk point's topic.
pub(super) fn topics(roles: &mut [Option<Role>]) {
    let risks: Vec<usize> = (0..roles.len())
        .filter(|&c| roles[c] == Some(Role::Risk))
        .collect();
    if let Some((_, before)) = risks.split_last() {
        for &c in before {
            roles[c] = Some(Role::Topic);
        }
    }
}

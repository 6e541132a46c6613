//! What a cell is, told from its text alone: a row number, a grade, a risk
//! item, a measure, a responsible person, a post, a short name or a longer
//! sentence. Used where no header names the columns (a table without a
//! header row) and where a flattened table's lines must be dealt into
//! columns. The words are `[content]` of `rules/tables.toml`.

use super::header::Role;
use super::items::{cell_grade, strip_star_prefix};
use super::shapes::LayoutRules;
use crate::recognise::fields::compact;
use crate::recognise::markers::split_marker;
use crate::rules::Rules;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A bare number: a 序号 cell.
    Number(u32),
    /// A value on a grade scale (`一`, `高`, `★★`, `Ⅱ级`).
    Grade,
    Risk,
    Measure,
    Responsible,
    /// A short name ending like a post (`主任岗`).
    Post,
    /// A short text that is neither: a process, step, unit or person.
    Short,
    /// A longer text with no telling words.
    Text,
    /// A heading after the table (`办公室权力清单`): no cell at all.
    Heading,
}

fn starts_with_any(s: &str, words: &[String]) -> bool {
    words
        .iter()
        .any(|w| !w.is_empty() && s.starts_with(w.as_str()))
}

fn hits(s: &str, words: &[String]) -> usize {
    words
        .iter()
        .filter(|w| !w.is_empty())
        .map(|w| s.matches(w.as_str()).count())
        .sum()
}

/// Measure words, not counting those negated (`未及时`, `不严格`, `未落实`
/// say what went wrong).
fn measure_hits(s: &str, words: &[String]) -> usize {
    const NOT: [&str; 4] = ["不", "未", "无", "没有"];
    words
        .iter()
        .filter(|w| !w.is_empty())
        .map(|w| {
            s.match_indices(w.as_str())
                .filter(|(at, _)| !NOT.iter().any(|n| s[..*at].ends_with(n)))
                .count()
        })
        .sum()
}

/// The kind of one cell (or one line of a flattened table).
pub fn kind(text: &str, lr: &LayoutRules, rules: &Rules) -> Kind {
    let c = compact(text);
    let words = &lr.content;
    if !c.is_empty() && c.chars().count() <= 3 && c.chars().all(|ch| ch.is_ascii_digit()) {
        return Kind::Number(c.parse().unwrap_or(0));
    }
    let (star, rest) = strip_star_prefix(text, rules);
    if star.is_some() {
        // `★★★1、未按…`: a risk carrying its own grade; `★★` alone: a grade.
        return if compact(rest).is_empty() {
            Kind::Grade
        } else {
            Kind::Risk
        };
    }
    // A name has no sentence punctuation (`篡改数据，弄虚作假。` is a sentence).
    let short = c.chars().count() <= words.short_max.max(1)
        && !c.contains(['，', '。', '；', ',', ';', '！']);
    let marked = split_marker(text);
    if short
        && marked.marker.is_none()
        && c.chars().count() <= 6
        && matches!(cell_grade(text, rules), Some(Ok(_)))
    {
        return Kind::Grade;
    }
    let body = compact(&marked.text);
    let lead: String = body.chars().take(words.lead_chars.max(1)).collect();
    // A measure opens with what to do; a risk says what goes wrong.
    let lead_measure = starts_with_any(&body, &words.measure);
    let lead_risk = !lead_measure && words.risk.iter().any(|w| lead.contains(w.as_str()));
    if short && marked.marker.is_none() && !lead_measure {
        if words
            .headings
            .iter()
            .any(|w| !w.is_empty() && c.contains(w.as_str()))
        {
            return Kind::Heading;
        }
        if words
            .post_suffixes
            .iter()
            .any(|s| !s.is_empty() && c.ends_with(s.as_str()))
        {
            return Kind::Post;
        }
        if words.responsible.iter().any(|w| c.contains(w.as_str())) && !lead_risk {
            return Kind::Responsible;
        }
        if !lead_risk {
            return Kind::Short;
        }
    }
    if lead_measure {
        return Kind::Measure;
    }
    if lead_risk {
        return Kind::Risk;
    }
    let (r, m) = (
        hits(&body, &words.risk),
        measure_hits(&body, &words.measure),
    );
    match r.cmp(&m) {
        std::cmp::Ordering::Greater => Kind::Risk,
        std::cmp::Ordering::Less => Kind::Measure,
        std::cmp::Ordering::Equal => Kind::Text,
    }
}

/// Does a line say what goes wrong (no measure word opening it, more risk
/// words than measure words)? Told apart from a step name written as
/// briefly (`超过时限送达且未说明理由` against `送达`).
pub fn reads_as_risk(text: &str, rules: &Rules) -> bool {
    let words = &rules.tables.content;
    let marked = split_marker(text);
    let body = compact(&marked.text);
    !starts_with_any(&body, &words.measure)
        && hits(&body, &words.risk) > measure_hits(&body, &words.measure)
}

/// Does a line say what to do (it opens with a measure word: `加强`,
/// `严格`, `建立`)?
pub fn reads_as_measure(text: &str, rules: &Rules) -> bool {
    let marked = split_marker(text);
    let body = compact(&marked.text);
    starts_with_any(&body, &rules.tables.content.measure)
}

/// Can a cell of this kind stand in a column of this role?
pub fn fits(kind: Kind, role: Role) -> bool {
    use Role::*;
    let label = matches!(
        role,
        Process | Step | Post | Power | Unit | Topic | Category | Object
    );
    match kind {
        Kind::Number(_) => role == Seq,
        Kind::Grade => role == Grade,
        Kind::Risk => role == Risk,
        Kind::Measure => role == Measure,
        Kind::Responsible => matches!(role, Responsible | Object | Unit),
        Kind::Post => label,
        Kind::Short => label || matches!(role, Responsible | Time),
        Kind::Text => matches!(role, Risk | Measure | Process | Step | Power | Object),
        Kind::Heading => false,
    }
}

/// Column roles of a table without a header row, from its cells (one list
/// of cell texts per column): a column whose cells are mostly numbers is
/// 序号, grades the grade, risks the risk column, measures the measure
/// column; short names left of the risks name the rows (流程, then 环节),
/// right of them they are the responsible. `None` unless the columns hold
/// both risks and measures, or risks and a grade.
pub fn roles_by_content(
    columns: &[Vec<String>],
    lr: &LayoutRules,
    rules: &Rules,
) -> Option<Vec<Option<Role>>> {
    let majority = |col: &Vec<String>| -> Option<Kind> {
        let kinds: Vec<Kind> = col
            .iter()
            .filter(|t| !t.trim().is_empty())
            .map(|t| match kind(t, lr, rules) {
                Kind::Number(_) => Kind::Number(0),
                k => k,
            })
            .collect();
        let mut best: Option<(Kind, usize)> = None;
        for k in &kinds {
            let n = kinds.iter().filter(|x| *x == k).count();
            if best.is_none_or(|(_, b)| n > b) {
                best = Some((*k, n));
            }
        }
        // A column is told by more than half of its filled cells.
        best.filter(|(_, n)| n * 2 > kinds.len()).map(|(k, _)| k)
    };
    let kinds: Vec<Option<Kind>> = columns.iter().map(majority).collect();
    let mut roles: Vec<Option<Role>> = kinds
        .iter()
        .map(|k| match k {
            Some(Kind::Number(_)) => Some(Role::Seq),
            Some(Kind::Grade) => Some(Role::Grade),
            Some(Kind::Risk) => Some(Role::Risk),
            Some(Kind::Measure) => Some(Role::Measure),
            _ => None,
        })
        .collect();
    super::header::topics(&mut roles);
    let first_risk = roles
        .iter()
        .position(|r| matches!(r, Some(Role::Risk | Role::Measure)))?;
    let has = |r: Role| roles.contains(&Some(r));
    if !(has(Role::Risk) && (has(Role::Measure) || has(Role::Grade))) {
        return None;
    }
    // Names left of the risks: the first groups rows into charts, a second
    // is the step. Posts name their rows.
    let mut names = 0;
    for (c, k) in kinds.iter().enumerate() {
        if roles[c].is_some() {
            continue;
        }
        roles[c] = match k {
            Some(Kind::Post) if c < first_risk => Some(Role::Post),
            Some(Kind::Short | Kind::Text | Kind::Responsible) if c < first_risk => {
                names += 1;
                Some(if names == 1 {
                    Role::Process
                } else {
                    Role::Step
                })
            }
            Some(Kind::Short | Kind::Responsible | Kind::Post) => Some(Role::Responsible),
            _ => None,
        };
    }
    Some(roles)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(t: &str) -> Kind {
        let rules = Rules::builtin();
        kind(t, &rules.tables, &rules)
    }

    #[test]
    fn cells_are_told_by_their_words() {
        assert_eq!(k("3"), Kind::Number(3));
        assert_eq!(k("一"), Kind::Grade);
        assert_eq!(k("较高"), Kind::Grade);
        assert_eq!(k("★★"), Kind::Grade);
        assert_eq!(k("★★★1、未按程序呈报。"), Kind::Risk);
        assert_eq!(
            k("1、在公文处理过程中审核不严导致公文格式不规范；"),
            Kind::Risk
        );
        assert_eq!(k("不如实申请维修项目，虚报维修费用。"), Kind::Risk);
        assert_eq!(k("1.严格执行车辆维修审批制度。"), Kind::Measure);
        assert_eq!(k("加强监督检查，不得擅自改变用途。"), Kind::Measure);
        assert_eq!(k("主任岗"), Kind::Post);
        assert_eq!(k("分管领导"), Kind::Responsible);
        assert_eq!(k("公务车维修"), Kind::Short);
    }

    #[test]
    fn a_negated_measure_word_says_what_went_wrong() {
        let rules = Rules::builtin();
        // 及时 is a measure word; 未及时 is a risk.
        assert!(reads_as_risk("未及时进行措施解除", &rules));
        assert!(!reads_as_risk("及时进行措施解除", &rules));
        assert_eq!(k("审批材料未落实归档，未及时移交。"), Kind::Risk);
    }
}

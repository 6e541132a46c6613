//! Cell and line helpers shared by the table, list and prose layouts:
//! run-together items split apart, ★ prefixes, grade cells, responsible cells.

use crate::catalog::Grade;
use crate::recognise::fields::{self, compact, squeeze_cjk};
use crate::recognise::grades::{find_grade, grade_line};
use crate::recognise::markers::split_marker;
use crate::rules::Rules;

/// Lines of a cell or paragraph: one per `\n`, and several numbered items
/// run together on one line (`1、… 2、… 3、…`, `①…；②…`, `措施一：…措施二：…`)
/// split apart. Blank lines are dropped; pieces are trimmed.
pub fn split_items(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .flat_map(split_run_together)
        .collect()
}

/// Which numbering family a marker belongs to, so that `1、…②…` is not split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Arabic,
    Circled,
    Paren,
    Measure,
    Han,
}

fn family(marker: &str) -> Option<Family> {
    let c = marker.chars().next()?;
    Some(match c {
        '0'..='9' | '０'..='９' => Family::Arabic,
        '(' | '（' => Family::Paren,
        '措' => Family::Measure,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' => {
            Family::Han
        }
        '\u{2460}'..='\u{2487}' | '\u{2776}'..='\u{277F}' | '\u{2780}'..='\u{2789}' => {
            Family::Circled
        }
        _ => return None,
    })
}

/// Lines longer than this are not searched for run-together items (bounds the work).
const MAX_SPLIT_BYTES: usize = 20_000;

/// Split one line at the markers that continue its first marker's numbering
/// (n+1 of the same family, not glued to a digit before it). A leading ★
/// grade (`★★★1、…2、…`) stays on the first piece.
pub fn split_run_together(line: &str) -> Vec<String> {
    let line = line.trim();
    // Where the first marker starts: after any ★/☆ grade prefix.
    let lead = line
        .char_indices()
        .find(|(_, c)| *c != '★' && *c != '☆')
        .map_or(line.len(), |(i, _)| i);
    let first = split_marker(&line[lead..]);
    let (Some(mut n), Some(fam)) = (first.n, first.marker.as_deref().and_then(family)) else {
        return vec![line.to_string()];
    };
    if line.len() > MAX_SPLIT_BYTES {
        return vec![line.to_string()];
    }
    let mut cuts = vec![0];
    let mut prev: Option<char> = None;
    for (i, c) in line.char_indices() {
        let after_digit = prev.is_some_and(|p| p.is_ascii_digit() || ('０'..='９').contains(&p));
        prev = Some(c);
        if i <= lead || after_digit || family(c.encode_utf8(&mut [0; 4])) != Some(fam) {
            continue;
        }
        let m = split_marker(&line[i..]);
        if m.n == Some(n + 1)
            && m.fault.is_none()
            && m.marker.as_deref().and_then(family) == Some(fam)
        {
            cuts.push(i);
            n += 1;
        }
    }
    cuts.push(line.len());
    cuts.windows(2)
        .map(|w| line[w[0]..w[1]].trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// A leading `★★` (or `☆`) on an item: its grade and the rest of the line.
pub fn strip_star_prefix<'a>(line: &'a str, rules: &Rules) -> (Option<Grade>, &'a str) {
    let s = line.trim_start();
    let end = s
        .char_indices()
        .find(|(_, c)| *c != '★' && *c != '☆')
        .map_or(s.len(), |(i, _)| i);
    if end == 0 {
        return (None, line);
    }
    let grade = find_grade(&s[..end], rules).map(|(g, _)| g);
    (grade, s[end..].trim_start())
}

/// The grade written in a grade column: a full grade line (`风险等级：高`,
/// `B级`, `★★`), else a bare value the header already qualifies (`高`, `一`, `A`).
/// `Err(raw)` when the cell holds something that is on no scale.
pub fn cell_grade(text: &str, rules: &Rules) -> Option<Result<Grade, String>> {
    let raw = text.trim();
    if raw.is_empty() {
        return None;
    }
    let with_raw = |mut g: Grade| {
        g.raw = raw.to_string();
        Ok(g)
    };
    if let Some(l) = grade_line(raw, rules)
        && let Some(g) = l.grade
    {
        return Some(with_raw(g));
    }
    let bare = compact(raw);
    for probe in [format!("风险等级：{bare}"), format!("{bare}级")] {
        if let Some(g) = grade_line(&probe, rules).and_then(|l| l.grade) {
            return Some(with_raw(g));
        }
    }
    if let Some((g, _)) = find_grade(raw, rules) {
        return Some(with_raw(g));
    }
    Some(Err(raw.to_string()))
}

/// Names in a responsible cell: one per line, split by the rules' separators,
/// without a `责任人：` label.
pub fn responsible_names(text: &str, rules: &Rules) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let names = fields::responsible_line(line, rules).unwrap_or_else(|| {
            let mut parts = vec![line.to_string()];
            for sep in &rules.responsible_split {
                parts = parts
                    .iter()
                    .flat_map(|p| {
                        p.split(sep.as_str())
                            .map(str::to_string)
                            .collect::<Vec<_>>()
                    })
                    .collect();
            }
            parts
                .into_iter()
                .map(|p| p.trim().trim_end_matches(['。', '.']).trim().to_string())
                .filter(|p| !p.is_empty())
                .collect()
        });
        out.extend(names.into_iter().map(|n| squeeze_cjk(&n)));
    }
    out
}

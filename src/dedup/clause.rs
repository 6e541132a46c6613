//! The clause form of a key, and clause-aware similarity.
//!
//! Risk and measure lines are made of clauses (`严格落实值班制度，主动接受
//! 监督。`). A typo changes a character or two inside a clause; a clause
//! added, dropped or replaced is a different risk even when the whole line
//! is still within an edit ratio of the other. So two keys are one text only
//! when they have the same clauses in the same order, each within a small
//! number of edits of its partner, and the whole line within the line
//! threshold.
//!
//! The clause form keeps a key's characters without punctuation (which is
//! formatting, not content) and records where each clause ends. All forms
//! live in one flat arena: a million keys are two allocations, not a
//! million.

use rayon::prelude::*;

use super::edit::levenshtein_within;
use super::normalise::is_punct;
use super::rules::DedupRules;

/// The clause forms of many keys, in one arena.
#[derive(Debug, Default)]
pub(crate) struct Forms {
    chars: Vec<char>,
    /// Per key: start in `chars`; one more entry at the end.
    start: Vec<u32>,
    /// Per clause: its end, relative to its key's start.
    ends: Vec<u32>,
    /// Per key: its first entry in `ends`; one more entry at the end.
    clause_start: Vec<u32>,
}

/// One key's clause form.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Form<'a> {
    /// The key's content characters, clauses run together.
    pub chars: &'a [char],
    /// Where each clause ends in `chars`.
    pub ends: &'a [u32],
}

impl<'a> Form<'a> {
    /// The clauses, in order.
    pub fn clauses(&self) -> impl Iterator<Item = &'a [char]> + 'a {
        let chars = self.chars;
        let mut from = 0usize;
        self.ends.iter().map(move |&end| {
            let clause = &chars[from..end as usize];
            from = end as usize;
            clause
        })
    }
}

impl Forms {
    /// Clause forms of `keys`, in the same order, built in parallel.
    pub fn of(keys: &[&str], rules: &DedupRules) -> Forms {
        let separators: Vec<char> = rules.clause.separator_chars();
        let parts: Vec<Forms> = keys
            .par_chunks(4096)
            .map(|chunk| {
                let mut forms = Forms::default();
                for key in chunk {
                    forms.push(key, &separators);
                }
                forms
            })
            .collect();
        let mut all = Forms {
            chars: Vec::with_capacity(parts.iter().map(|p| p.chars.len()).sum()),
            start: Vec::with_capacity(keys.len() + 1),
            ends: Vec::with_capacity(parts.iter().map(|p| p.ends.len()).sum()),
            clause_start: Vec::with_capacity(keys.len() + 1),
        };
        for p in parts {
            let (base, clause_base) = (all.chars.len() as u32, all.ends.len() as u32);
            let n = p.start.len();
            all.start.extend(p.start.iter().map(|s| s + base));
            all.clause_start
                .extend(p.clause_start.iter().map(|s| s + clause_base));
            debug_assert_eq!(n, p.clause_start.len());
            all.chars.extend(p.chars);
            all.ends.extend(p.ends);
        }
        all.start.push(all.chars.len() as u32);
        all.clause_start.push(all.ends.len() as u32);
        all
    }

    /// Appends one key (its `start` entries only; `of` adds the final ones).
    fn push(&mut self, key: &str, separators: &[char]) {
        let base = self.chars.len();
        self.start.push(base as u32);
        self.clause_start.push(self.ends.len() as u32);
        let folded: Vec<char> = key.chars().collect();
        let mut clause_open = false;
        for (i, &c) in folded.iter().enumerate() {
            if is_separator(&folded, i, separators) {
                if clause_open {
                    self.ends.push((self.chars.len() - base) as u32);
                    clause_open = false;
                }
            } else if !is_punct(c) {
                self.chars.push(c);
                clause_open = true;
            }
        }
        if clause_open {
            self.ends.push((self.chars.len() - base) as u32);
        }
    }

    pub fn len(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    pub fn get(&self, k: usize) -> Form<'_> {
        let (a, b) = (self.start[k] as usize, self.start[k + 1] as usize);
        let (c, d) = (
            self.clause_start[k] as usize,
            self.clause_start[k + 1] as usize,
        );
        Form {
            chars: &self.chars[a..b],
            ends: &self.ends[c..d],
        }
    }
}

/// Whether `s[i]` ends a clause: a separator, except a `.` between digits
/// (`1.5万元`).
fn is_separator(s: &[char], i: usize, separators: &[char]) -> bool {
    let c = s[i];
    if !separators.contains(&c) {
        return false;
    }
    if c == '.' {
        let digit = |j: Option<usize>| j.and_then(|j| s.get(j)).is_some_and(char::is_ascii_digit);
        return !(digit(i.checked_sub(1)) && digit(Some(i + 1)));
    }
    true
}

/// Edit allowances by length, precomputed once per clustering.
pub(crate) struct Limits {
    /// `line[len]`: edits allowed between keys whose longer form has `len`
    /// characters.
    line: Vec<u8>,
    /// `clause[len]`: the same for one pair of clauses.
    clause: Vec<u8>,
    negations: Vec<char>,
}

impl Limits {
    pub fn new(rules: &DedupRules, longest: usize) -> Limits {
        let cap = |n: usize| n.min(u8::MAX as usize) as u8;
        Limits {
            line: (0..=longest).map(|n| cap(rules.max_edits(n))).collect(),
            clause: (0..=longest)
                .map(|n| cap(rules.clause.max_edits(n)))
                .collect(),
            negations: rules.negations.chars().collect(),
        }
    }

    /// Edits allowed between whole keys whose longer form has `len` chars.
    pub fn line(&self, len: usize) -> usize {
        self.line.get(len).copied().unwrap_or(0) as usize
    }

    fn clause(&self, len: usize) -> usize {
        self.clause.get(len).copied().unwrap_or(0) as usize
    }
}

/// The edits between two keys' forms if they are one text: the same number
/// of clauses, each pair within the clause allowance, the whole within the
/// line allowance, and no clause gaining or losing a negation. A separator added or
/// dropped with nothing else changed (`加强监管落实责任` / `加强监管，落实
/// 责任`) is formatting and matches with 0 edits.
pub(crate) fn compare(a: Form, b: Form, limits: &Limits, rows: &mut Vec<usize>) -> Option<usize> {
    let longer = a.chars.len().max(b.chars.len());
    let limit = limits.line(longer);
    if a.chars.len().abs_diff(b.chars.len()) > limit {
        return None;
    }
    if a.ends.len() != b.ends.len() {
        return (a.chars == b.chars).then_some(0);
    }
    let mut total = 0;
    for (ca, cb) in a.clauses().zip(b.clauses()) {
        let allowed = limits.clause(ca.len().max(cb.len())).min(limit - total);
        let d = levenshtein_within(ca, cb, allowed, rows)?;
        // Clause by clause: a negation added to one clause and dropped
        // from another leaves the line's count equal but states two
        // opposites.
        if negation_apart(ca, cb, d, &limits.negations, rows) {
            return None;
        }
        total += d;
    }
    Some(total)
}

/// Edits between two forms clause by clause, when they have the same number
/// of clauses and every pair is within `per_clause` edits: how far a variant
/// is from its canonical inside its clauses. None when a clause differs by
/// more, or the clause counts differ.
pub(crate) fn within_clauses(
    a: Form,
    b: Form,
    per_clause: usize,
    rows: &mut Vec<usize>,
) -> Option<usize> {
    if a.ends.len() != b.ends.len() {
        return None;
    }
    a.clauses()
        .zip(b.clauses())
        .map(|(ca, cb)| levenshtein_within(ca, cb, per_clause, rows))
        .sum()
}

/// Whether two keys within the threshold differ by a negation rather than a
/// typo: they hold different numbers of negation characters, and without
/// those characters they are closer still (不执行回避制度 / 执行回避制度,
/// 初审不合格 / 初审合格). A typo that hits a negation (朱按 for 未按)
/// brings them no closer, so it still matches.
fn negation_apart(
    a: &[char],
    b: &[char],
    distance: usize,
    negations: &[char],
    rows: &mut Vec<usize>,
) -> bool {
    let is_negation = |c: &&char| negations.contains(c);
    if a.iter().filter(is_negation).count() == b.iter().filter(is_negation).count() {
        return false;
    }
    let strip =
        |k: &[char]| -> Vec<char> { k.iter().filter(|c| !is_negation(c)).copied().collect() };
    distance > 0 && levenshtein_within(&strip(a), &strip(b), distance - 1, rows).is_some()
}

/// Similarity `1 - edits / longer length` of two forms as whole strings,
/// for people reading the review (not used to decide). `at_most`, when
/// known, is an upper bound of their edit distance (the clause-by-clause
/// count of [`compare`]: joining the clause alignments aligns the whole
/// strings), so the banded distance within it is exact and cheap.
pub(crate) fn similarity(a: Form, b: Form, at_most: Option<usize>, rows: &mut Vec<usize>) -> f64 {
    let longer = a.chars.len().max(b.chars.len());
    if longer == 0 {
        return 1.0;
    }
    // Members are almost always within the line threshold, where the
    // banded distance is cheap; the full table only for the rest.
    let d = at_most
        .and_then(|k| levenshtein_within(a.chars, b.chars, k, rows))
        .or_else(|| levenshtein_within(a.chars, b.chars, longer / 3 + 1, rows))
        .or_else(|| levenshtein_within(a.chars, b.chars, longer, rows))
        .unwrap_or(longer);
    1.0 - d as f64 / longer as f64
}

#[cfg(test)]
mod tests {
    use super::super::normalise::normalise_key;
    use super::*;

    fn forms(keys: &[&str]) -> Forms {
        let keys: Vec<String> = keys.iter().map(|k| normalise_key(k)).collect();
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        Forms::of(&refs, &DedupRules::default())
    }

    fn clauses(f: Form) -> Vec<String> {
        f.clauses().map(|c| c.iter().collect()).collect()
    }

    #[test]
    fn clauses_split_on_separators_and_drop_punctuation() {
        let f = forms(&[
            "严格执行《建设项目用地预审管理办法》，做好资料存档工作；",
            "会审、会签中压件不办",
            "1.5万元以上的审批.公示",
            "，，",
        ]);
        assert_eq!(f.len(), 4);
        assert_eq!(
            clauses(f.get(0)),
            vec!["严格执行建设项目用地预审管理办法", "做好资料存档工作"]
        );
        assert_eq!(clauses(f.get(1)), vec!["会审", "会签中压件不办"]);
        assert_eq!(clauses(f.get(2)), vec!["15万元以上的审批", "公示"]);
        assert!(clauses(f.get(3)).is_empty());
    }

    fn same(a: &str, b: &str) -> Option<usize> {
        let f = forms(&[a, b]);
        let rules = DedupRules::default();
        let limits = Limits::new(&rules, 100);
        compare(f.get(0), f.get(1), &limits, &mut Vec::new())
    }

    #[test]
    fn a_different_clause_is_a_different_text() {
        assert_eq!(
            same(
                "无检查方案，对外宣传审核把关不到位",
                "管理不规范，对外宣传审核把关不到位"
            ),
            None
        );
        assert_eq!(
            same(
                "严格落实机关人员轮流值班制度，主动接受监督。",
                "严格落实机关人员轮流值班制度，坚持属地管理、分级负责。"
            ),
            None
        );
        assert_eq!(
            same(
                "受申请人请托，重要情况不如实向分管领导汇报。",
                "接受行政相对人请托，重要情况不如实向分管领导汇报。"
            ),
            None
        );
        // A clause dropped.
        assert_eq!(same("加强内部监管，落实责任追究", "加强内部监管"), None);
    }

    #[test]
    fn typos_inside_a_clause_are_one_text() {
        assert_eq!(
            same("严各履行服务承诺制度", "严格履行服务承诺制度"),
            Some(1)
        );
        assert_eq!(
            same(
                "监督力量薄反，内控机制不健全",
                "监督力量薄弱，内控机制不健全"
            ),
            Some(1)
        );
        // A particle added, a separator changed.
        assert_eq!(
            same("加强内部的监管；落实责任追究", "加强内部监管，落实责任追究"),
            Some(1)
        );
        // A separator dropped with nothing else changed.
        assert_eq!(
            same("加强内部监管落实责任追究", "加强内部监管，落实责任追究"),
            Some(0)
        );
        // Negation is a hard difference.
        assert_eq!(
            same("执行回避制度，及时公开", "不执行回避制度，及时公开"),
            None
        );
    }
}

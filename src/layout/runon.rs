//! Run-on flow charts: a document-sharing page or a copy-paste that put a
//! whole series of flow charts into one paragraph — `一、综合文稿起草 列出提纲
//! (根据领导要求…) 开展调研 (…) … 二、局务会 确 定 起草通知 报 批 …`.
//!
//! The paragraph is cut into words at spaces (a bracketed note stays one
//! word); letters spaced out one by one (`报 批 通 知`) are put back together
//! two by two, the way step boxes are spaced; a `一、`-numbered heading
//! starts a chart (one followed by a page number is a table of contents
//! entry, furniture); each other word is a step, and a short bracketed note
//! after it is its actor (`收文批办 (局领导)`). Longer notes explain the step:
//! kept as unplaced text. What follows a title that is not a flow (…风险防控
//! 要点) ends the run: left to the other layouts.

use super::draft::ChartDraft;
use crate::catalog::Step;
use crate::document::{Block, BlockKind};
use crate::recognise::fields::{self, squeeze_cjk};
use crate::rules::Rules;
use regex::Regex;
use serde::Deserialize;
use std::sync::LazyLock;

/// A `一、` section heading, with or without its name in the same word.
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([一二三四五六七八九十]{1,3})、(.*)$").expect("heading pattern")
});

/// rules/steps.toml `[runon]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunOnRules {
    /// A paragraph at least this long…
    pub min_chars: usize,
    /// …with at least this many `一、` headings is a run of flow charts.
    pub min_headings: usize,
    /// A bracketed note after a step this short, without punctuation, is
    /// the step's actor.
    pub actor_max_chars: usize,
    /// A word containing one of these ends the run (a risk table follows).
    pub end_words: Vec<String>,
}

/// The charts of a run-on paragraph, and the text after the run (a title
/// and what follows it) for the other layouts; `None` when the segment has
/// no such paragraph.
pub fn read(seg: &[&Block], rules: &Rules) -> Option<(Vec<ChartDraft>, Vec<ChartDraft>)> {
    let lr = &rules.runon;
    let (bi, line) = seg.iter().enumerate().find_map(|(i, b)| {
        (b.kind == BlockKind::Paragraph)
            .then(|| {
                b.text
                    .lines()
                    .find(|l| is_run_on(l, lr.min_chars, lr.min_headings))
            })
            .flatten()
            .map(|l| (i, l))
    })?;
    let origin = &seg[bi].origin;
    let words = words(line);
    let mut charts: Vec<ChartDraft> = Vec::new();
    let mut rest: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        // A heading: `一、名称` or `一、` then the name.
        if let Some(c) = HEADING.captures(w) {
            let mut name = c[2].trim().to_string();
            let mut used = 1;
            if name.is_empty() && i + 1 < words.len() {
                name = words[i + 1].clone();
                used = 2;
            }
            // A page number after it: a table of contents entry.
            let toc = words
                .get(i + used)
                .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()));
            if toc {
                i += used + 1;
                continue;
            }
            charts.push(flow(&words[i..i + used].join(" "), &name, origin));
            i += used;
            continue;
        }
        // A sibling flow with no ordinal of its own (`来访信息处理` inside
        // `十九、来信信息处理`): as long as the flow's name, differing only
        // in its first characters.
        if let Some(d) = charts.last().filter(|d| d.steps.len() >= 2)
            && d.name.as_deref().is_some_and(|n| is_sibling(n, w))
        {
            charts.push(flow(w, w, origin));
            i += 1;
            continue;
        }
        // A title that is not one of the run's flows ends the run.
        let ends =
            fields::is_title(w, rules) || lr.end_words.iter().any(|e| w.contains(e.as_str()));
        if !charts.is_empty() && ends && !w.starts_with('(') {
            rest.extend(words[i..].iter().cloned());
            break;
        }
        match charts.last_mut() {
            None => {}
            Some(d) => {
                if let Some(note) = bracketed(w) {
                    let short = note.chars().count() <= lr.actor_max_chars
                        && !note.contains(['，', ',', '；', ';', '。', '、', ':', '：']);
                    match d.steps.last_mut() {
                        Some(s) if short && s.actor.is_none() => {
                            s.actor = Some(note.to_string());
                            d.chars_placed += crate::document::count_chars(w);
                        }
                        _ => d.unplaced(origin, w, "流程环节的说明文字无法归入字段，已原样保留。"),
                    }
                } else {
                    let mut s: Step = fields::step(w, rules);
                    s.seq = d.steps.len() + 1;
                    d.place(w);
                    d.steps.push(s);
                    d.step_origins.push(origin.clone());
                }
            }
        }
        i += 1;
    }
    if charts.len() < lr.min_headings {
        return None;
    }
    // The words before the first flow (a heading, a table of contents that
    // repeats the headings with page numbers) are page furniture: read, not
    // placed.
    // The rest of the paragraph, one word a line, for the layouts that read
    // tables and lists.
    let mut after = Vec::new();
    if !rest.is_empty() {
        let blocks: Vec<Block> = rest
            .iter()
            .map(|w| Block {
                text: w.clone(),
                kind: BlockKind::Paragraph,
                rect: None,
                page: seg[bi].page,
                origin: origin.clone(),
            })
            .collect();
        let refs: Vec<&Block> = blocks.iter().collect();
        after = super::read_words(&refs, rules);
    }
    Some((charts, after))
}

/// A flow of the run, named by its title.
fn flow(title: &str, name: &str, origin: &str) -> ChartDraft {
    let mut d = ChartDraft {
        layout: "flow".into(),
        location: origin.to_string(),
        title: Some(title.to_string()),
        name: Some(squeeze_cjk(name)),
        name_from: Some("title".into()),
        ..Default::default()
    };
    d.place(title);
    d
}

/// `来访信息处理` beside `来信信息处理`: as long, a different word, the same
/// last four characters or more.
fn is_sibling(name: &str, word: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (name.chars().collect(), word.chars().collect());
    if a.len() != b.len() || a == b || a.len() < 5 {
        return false;
    }
    let same_tail = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    same_tail >= 4 && same_tail + 2 >= a.len()
}

/// A paragraph long enough and with enough `一、` headings to be a run.
fn is_run_on(line: &str, min_chars: usize, min_headings: usize) -> bool {
    line.chars().count() >= min_chars
        && line
            .split_whitespace()
            .filter(|w| HEADING.is_match(w))
            .count()
            >= min_headings
}

/// The content of a bracketed word: `(局领导)` → `局领导`.
fn bracketed(w: &str) -> Option<&str> {
    let inner = w.strip_prefix(['(', '（'])?;
    Some(inner.strip_suffix([')', '）']).unwrap_or(inner).trim())
}

/// Words at spaces; a bracketed note is one word (also when glued to the
/// word before it: `登记(值班人员)`), unless text runs on right after it
/// (`会议(活动)通知`: part of the word); single letters spaced out are put
/// back together two by two.
fn words(line: &str) -> Vec<String> {
    let mut raw: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut depth = 0usize;
    // The word the open bracket was glued to, kept until the bracket closes.
    let mut before = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '(' | '（' => {
                if depth == 0 {
                    before = std::mem::take(&mut cur);
                }
                depth += 1;
                cur.push(c);
            }
            ')' | '）' if depth > 0 => {
                depth -= 1;
                cur.push(c);
                if depth == 0 {
                    let runs_on = chars
                        .peek()
                        .is_some_and(|n| !n.is_whitespace() && !matches!(n, '(' | '（'));
                    if runs_on {
                        cur = std::mem::take(&mut before) + &cur;
                    } else {
                        if !before.trim().is_empty() {
                            raw.push(std::mem::take(&mut before));
                        }
                        raw.push(std::mem::take(&mut cur));
                    }
                }
            }
            // A note whose opening bracket was lost (`室领导在…进行审核)`).
            ')' | '）' => {
                cur.push(c);
                raw.push(format!("({}", std::mem::take(&mut cur).trim()));
            }
            c if c.is_whitespace() && depth == 0 => {
                if !cur.trim().is_empty() {
                    raw.push(std::mem::take(&mut cur));
                }
                cur.clear();
            }
            c => cur.push(c),
        }
    }
    // A bracket never closed: the word before it stays a word.
    if !before.trim().is_empty() {
        raw.push(before);
    }
    if !cur.trim().is_empty() {
        raw.push(cur);
    }
    let raw: Vec<String> = raw.into_iter().map(|w| w.trim().to_string()).collect();
    // Spaced-out letters: `报 批 通 知` → 报批, 通知.
    let single = |w: &str| {
        let mut cs = w.chars();
        matches!((cs.next(), cs.next()), (Some(c), None) if !c.is_ascii() && c.is_alphabetic())
    };
    let mut out = Vec::new();
    let mut k = 0;
    while k < raw.len() {
        if single(&raw[k]) {
            let mut end = k;
            while end < raw.len() && single(&raw[end]) {
                end += 1;
            }
            let run: Vec<&str> = raw[k..end].iter().map(String::as_str).collect();
            for pair in run.chunks(2) {
                out.push(pair.join(" "));
            }
            k = end;
        } else {
            out.push(raw[k].clone());
            k += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sibling_flow_without_an_ordinal_is_a_flow_of_its_own() {
        let mut rules = Rules::builtin();
        rules.runon.min_chars = 60;
        rules.runon.min_headings = 2;
        let text = "一、来信信息处理 来信登记 办 理 上 报                     来访信息处理 来访登记 接 谈 办 理 二、机关财务开支 领报人签字 财务室审核";
        let b = para(text);
        let (charts, _) = read(&[&b], &rules).expect("a run");
        let got: Vec<(String, Vec<String>)> = charts
            .iter()
            .map(|d| {
                (
                    d.name.clone().unwrap(),
                    d.steps.iter().map(|s| s.name.clone()).collect(),
                )
            })
            .collect();
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            got,
            vec![
                ("来信信息处理".into(), v(&["来信登记", "办理", "上报"])),
                ("来访信息处理".into(), v(&["来访登记", "接谈", "办理"])),
                ("机关财务开支".into(), v(&["领报人签字", "财务室审核"])),
            ]
        );
        assert!(!is_sibling("来信信息处理", "信息处理"));
        assert!(!is_sibling("来信信息处理", "分析处理问题"));
    }

    #[test]
    fn a_bracket_inside_a_word_stays_in_it() {
        assert_eq!(
            words("办理局外会议(活动)通知;接转电话(值班人员) 登记(值班人员)"),
            vec![
                "办理局外会议(活动)通知;接转电话",
                "(值班人员)",
                "登记",
                "(值班人员)"
            ]
        );
        // An opening bracket lost: still a note.
        assert_eq!(
            words("审 核 室领导审核) 签 发"),
            vec!["审 核", "(室领导审核)", "签 发"]
        );
    }

    #[test]
    fn words_keep_notes_whole_and_join_spaced_letters() {
        assert_eq!(
            words("一、会议 确 定 (根据 指示) 报 批 通 知 登记(值班人员) 办 结"),
            vec![
                "一、会议",
                "确 定",
                "(根据 指示)",
                "报 批",
                "通 知",
                "登记",
                "(值班人员)",
                "办 结"
            ]
        );
    }

    fn para(text: &str) -> Block {
        Block {
            text: text.into(),
            kind: BlockKind::Paragraph,
            rect: None,
            page: 0,
            origin: "line 1".into(),
        }
    }

    #[test]
    fn a_run_of_flows_in_one_paragraph() {
        let mut rules = Rules::builtin();
        // The example is shorter than a real run.
        rules.runon.min_chars = 100;
        let text = "日常工作流程图 目录 一、文稿起草 2 二、公文处理 3 三、 印章使用 4 \
                    一、文稿起草 列出提纲 (根据领导要求,列出提纲) 撰写初稿 定 稿 \
                    二、公文处理 收文批办 (局领导) 登记(文书室) 办 结 \
                    三、 印章使用 填单审批 审核盖章 (用印人员审核用印程序合格后加盖公章) 留底保存 \
                    办公室岗位风险防控要点 岗位名称 风险表现";
        let b = para(text);
        let (charts, _) = read(&[&b], &rules).expect("a run");
        let got: Vec<(String, Vec<String>, Vec<Option<String>>)> = charts
            .iter()
            .map(|d| {
                (
                    d.name.clone().unwrap(),
                    d.steps.iter().map(|s| s.name.clone()).collect(),
                    d.steps.iter().map(|s| s.actor.clone()).collect(),
                )
            })
            .collect();
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            got,
            vec![
                (
                    "文稿起草".into(),
                    v(&["列出提纲", "撰写初稿", "定稿"]),
                    vec![None, None, None]
                ),
                (
                    "公文处理".into(),
                    v(&["收文批办", "登记", "办结"]),
                    vec![Some("局领导".into()), Some("文书室".into()), None]
                ),
                (
                    "印章使用".into(),
                    v(&["填单审批", "审核盖章", "留底保存"]),
                    vec![None, None, None]
                ),
            ]
        );
        assert_eq!(charts[2].title.as_deref(), Some("三、 印章使用"));
        // The explanations and the table of contents are kept, as written.
        let kept: Vec<&str> = charts
            .iter()
            .flat_map(|d| d.notes.iter().map(|n| n.evidence.as_str()))
            .collect();
        assert!(kept.contains(&"(根据领导要求,列出提纲)"));
        assert!(kept.contains(&"(用印人员审核用印程序合格后加盖公章)"));
        assert!(!kept.iter().any(|k| k.contains("目录")));
    }
}

//! Flow charts written out as labelled text instead of drawn: a
//! `工作流程：申请→受理→审核→批准→办结` line, then per step a section —
//! `【受理】` or `受理环节：`, `风险点等级及表现形式：` with the items,
//! `风险等级：低`, `防控措施及责任人：` with the measures, `责任人：受理人` —
//! or numbered fields under a step line (`1.风险点:①…②…`, `2.风险等级:低`,
//! `(二)风险等级:⏎高`, `3.防控措施:①…`, `4.责任人:…`).
//!
//! Such text is rewritten into the stream the `flow` layout reads without
//! geometry: each step line followed by its risk box (items, then the grade)
//! and its measure box (measures, then 责任人), sections put in the order of
//! the 工作流程 line. Field labels are furniture; every other line is kept.

use crate::document::{Block, BlockKind};
use crate::recognise::fields;
use crate::rules::Rules;
use regex::Regex;
use serde::Deserialize;
use std::sync::LazyLock;

/// A section number before a field label: `1.`, `(二)`, `三、`.
static SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[0-9]{1,2}[.、．]|[（(][一二三四五六七八九十0-9]{1,2}[)）]|[一二三四五六七八九十]{1,2}、)\s*")
        .expect("section pattern")
});
/// Items run together after a label: split before each `①` or `1.`.
static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[①②③④⑤⑥⑦⑧⑨⑩]|[0-9]{1,2}[.、．](?:[^0-9]|$)").expect("item pattern")
});

/// rules/labels.toml `[labelled]`: the field labels of labelled text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledRules {
    /// `工作流程：申请→受理→…`
    pub steps: Vec<String>,
    /// Labels that introduce risk items.
    pub risks: Vec<String>,
    /// Labels that introduce measures.
    pub measures: Vec<String>,
    /// Grade labels.
    pub grades: Vec<String>,
    /// `受理环节：` — a step's section heading ends with one of these.
    pub section_suffixes: Vec<String>,
}

/// What a line of labelled text is.
#[derive(Debug, PartialEq)]
enum Field<'a> {
    /// `工作流程：申请→受理→…`: the steps in order.
    Steps(Vec<&'a str>),
    /// `【受理】`, `受理环节：`: the section of this step starts.
    Section(&'a str),
    /// `风险点：①…②…`: risk items follow (and may start on this line).
    Risks(&'a str),
    /// `防控措施：①…`: measures follow (and may start on this line).
    Measures(&'a str),
    /// `风险等级：` with its value, possibly on the next line.
    Grade(&'a str),
    /// `责任人：…`.
    Responsible(&'a str),
    Other(&'a str),
}

fn field<'a>(line: &'a str, rules: &Rules) -> Field<'a> {
    let s = line.trim();
    // `【受理】`
    if let Some(name) = s.strip_prefix('【').and_then(|r| r.strip_suffix('】')) {
        return Field::Section(name.trim());
    }
    let bare = SECTION.find(s).map_or(s, |m| &s[m.end()..]);
    let (label, rest) = match bare.find([':', '：']) {
        Some(at) => (
            bare[..at].trim(),
            bare[at..].trim_start_matches([':', '：']).trim(),
        ),
        None => return Field::Other(s),
    };
    let label_is = |words: &[String]| words.iter().any(|w| label == w.as_str());
    let lr = &rules.labelled;
    if label_is(&lr.steps) && rest.contains(['→', '—', '>']) {
        let steps = rest
            .split(['→', '>'])
            .flat_map(|p| p.split("—>"))
            .map(|p| p.trim().trim_matches(['-', '—']).trim())
            .filter(|p| !p.is_empty())
            .collect();
        return Field::Steps(steps);
    }
    if label_is(&lr.risks) {
        return Field::Risks(rest);
    }
    if label_is(&lr.measures) {
        return Field::Measures(rest);
    }
    if label_is(&lr.grades) {
        return Field::Grade(bare);
    }
    if fields::is_responsible_line(bare, rules) && rest.chars().count() > 0 {
        return Field::Responsible(bare);
    }
    // `受理环节：` with nothing after it.
    if rest.is_empty()
        && let Some(step) = lr
            .section_suffixes
            .iter()
            .find_map(|suf| label.strip_suffix(suf.as_str()))
            .filter(|n| !n.is_empty())
    {
        return Field::Section(step);
    }
    Field::Other(s)
}

/// The items run together on one line, each with its marker.
fn items(text: &str) -> Vec<&str> {
    let starts: Vec<usize> = ITEM.find_iter(text).map(|m| m.start()).collect();
    if starts.is_empty() {
        return vec![text.trim()]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect();
    }
    let mut out = Vec::new();
    if !text[..starts[0]].trim().is_empty() {
        out.push(text[..starts[0]].trim());
    }
    for (k, &a) in starts.iter().enumerate() {
        let b = starts.get(k + 1).copied().unwrap_or(text.len());
        let item = text[a..b].trim();
        if !item.is_empty() {
            out.push(item);
        }
    }
    out
}

/// The segment rewritten as a stream of plain lines, or `None` when it is not
/// labelled text (it needs a grade field and a step: a section, a 工作流程
/// line, or step lines among the fields).
pub fn rewrite(seg: &[&Block], rules: &Rules) -> Option<Vec<Block>> {
    if seg.iter().any(|b| b.kind != BlockKind::Paragraph) {
        return None;
    }
    let lines: Vec<(&Block, &str)> = seg
        .iter()
        .flat_map(|b| b.text.lines().map(move |l| (*b, l)))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let parsed: Vec<Field> = lines.iter().map(|(_, l)| field(l, rules)).collect();
    let has = |f: fn(&Field) -> bool| parsed.iter().any(f);
    let labelled = has(|f| matches!(f, Field::Risks(_) | Field::Measures(_)))
        && has(|f| matches!(f, Field::Grade(_)))
        && (has(|f| matches!(f, Field::Section(_) | Field::Steps(_)))
            || lines.iter().any(|(_, l)| fields::looks_like_step(l, rules)));
    if !labelled {
        return None;
    }

    // Lines out, each with the block it came from; a section's lines are
    // kept apart so that they can follow their step of the 工作流程 line.
    let mut head: Vec<(&Block, String)> = Vec::new();
    let mut steps: Vec<(&Block, String)> = Vec::new();
    let mut sections: Vec<(String, Vec<(&Block, String)>)> = Vec::new();
    let mut i = 0;
    while i < parsed.len() {
        let (b, _) = lines[i];
        let out: Vec<String> = match &parsed[i] {
            Field::Steps(list) => {
                steps.extend(list.iter().map(|s| (b, s.to_string())));
                Vec::new()
            }
            Field::Section(name) => {
                sections.push((name.to_string(), Vec::new()));
                Vec::new()
            }
            Field::Risks(rest) | Field::Measures(rest) => {
                items(rest).into_iter().map(str::to_string).collect()
            }
            Field::Grade(g) => {
                // `风险等级:` with the value alone on the next line.
                let bare_label = g.trim_end().ends_with([':', '：']);
                match lines.get(i + 1) {
                    Some((_, next)) if bare_label && next.trim().chars().count() <= 3 => {
                        i += 1;
                        vec![format!("{}{}", g.trim(), next.trim())]
                    }
                    _ => vec![g.trim().to_string()],
                }
            }
            Field::Responsible(r) => vec![r.to_string()],
            Field::Other(s) => vec![s.to_string()],
        };
        let target = match sections.last_mut() {
            Some((_, body)) => body,
            None => &mut head,
        };
        target.extend(out.into_iter().map(|l| (b, l)));
        i += 1;
    }

    // The stream: head, then each step with its section.
    let mut stream: Vec<(&Block, String)> = head;
    if steps.is_empty() {
        for (name, body) in sections {
            let origin = body.first().map(|(b, _)| *b).or(seg.first().copied())?;
            stream.push((origin, name));
            stream.extend(body);
        }
    } else {
        let key = fields::compact;
        for (b, name) in &steps {
            stream.push((b, name.clone()));
            if let Some(at) = sections.iter().position(|(n, _)| key(n) == key(name)) {
                let (_, body) = sections.remove(at);
                stream.extend(body);
            }
        }
        // Sections the 工作流程 line does not name: their own steps.
        for (name, body) in sections {
            let origin = body.first().map(|(b, _)| *b).or(seg.first().copied())?;
            stream.push((origin, name));
            stream.extend(body);
        }
    }
    Some(
        stream
            .into_iter()
            .map(|(b, text)| Block {
                text,
                kind: BlockKind::Paragraph,
                rect: None,
                page: b.page,
                origin: b.origin.clone(),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str) -> Block {
        Block {
            text: text.into(),
            kind: BlockKind::Paragraph,
            rect: None,
            page: 0,
            origin: "line 1".into(),
        }
    }

    fn stream(text: &str) -> Vec<String> {
        let rules = Rules::builtin();
        let blocks: Vec<Block> = text.lines().map(para).collect();
        let refs: Vec<&Block> = blocks.iter().collect();
        rewrite(&refs, &rules)
            .expect("labelled text")
            .into_iter()
            .map(|b| b.text)
            .collect()
    }

    #[test]
    fn sections_follow_their_step_of_the_flow_line() {
        let got = stream(
            "工作流程：申请→受理→批准\n【批准】\n风险点等级及表现形式：\n1.擅自批准。\n风险等级：中\n\
             受理环节：\n风险点等级及表现形式：\n1.违规受理。\n风险等级：低\n防控措施及责任人：\n1.一次告知。\n责任人：受理人",
        );
        assert_eq!(
            got,
            vec![
                "申请",
                "受理",
                "1.违规受理。",
                "风险等级：低",
                "1.一次告知。",
                "责任人：受理人",
                "批准",
                "1.擅自批准。",
                "风险等级：中"
            ]
        );
    }

    #[test]
    fn numbered_fields_under_a_step_line() {
        let got = stream(
            "受    理\n1.风险点:①隐瞒情况②未核对原件\n2.风险等级:低\n3.防控措施:①核对原件;②签署承诺。\n4.责任人:窗口人员\n\
             现场核查\n(一)风险点:①接受宴请;\n(二)风险等级:\n高\n(三)防控措施:①两人核查;\n(四)责任人:组长",
        );
        assert_eq!(
            got,
            vec![
                "受    理",
                "①隐瞒情况",
                "②未核对原件",
                "风险等级:低",
                "①核对原件;",
                "②签署承诺。",
                "责任人:窗口人员",
                "现场核查",
                "①接受宴请;",
                "风险等级:高",
                "①两人核查;",
                "责任人:组长"
            ]
        );
    }

    #[test]
    fn prose_without_grades_is_not_labelled_flow_text() {
        let rules = Rules::builtin();
        let blocks: Vec<Block> =
            "一、廉政风险点：\n1.在文件管理方面存在风险。\n二、防护措施：\n措施一：加强管理。"
                .lines()
                .map(para)
                .collect();
        let refs: Vec<&Block> = blocks.iter().collect();
        assert!(rewrite(&refs, &rules).is_none());
    }
}

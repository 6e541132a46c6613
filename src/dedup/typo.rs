//! `text.suspected_typo`: why one written line looks like a typo.

use std::sync::OnceLock;

use super::clause::{Form, within_clauses};
use super::cluster::Analysis;
use super::rules::{Confusion, DedupRules};

/// What is suspicious about one distinct written text, and the fix if known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Suspicion {
    pub message: String,
    pub suggestion: Option<String>,
}

/// Verdict for every distinct written text of `analysis` (same order).
/// One line gets at most one finding: a known confusion names the exact
/// fix, so it wins over a rare variant, which wins over a rare character.
/// A rare variant is a typo only when it has the same clauses as its
/// canonical form and differs from it by one or two characters inside
/// them: a clause more or less (a person's merge can make such a cluster)
/// is not a typo, nor are punctuation and digits.
pub(crate) fn suspicions(
    lines: &[&str],
    analysis: &Analysis,
    rules: &DedupRules,
) -> Vec<Option<Suspicion>> {
    let mut buf = Vec::new();
    let (mut a, mut b) = ((Vec::new(), Vec::new()), (Vec::new(), Vec::new()));
    analysis
        .written
        .iter()
        .map(|w| {
            let text = lines.get(w.first_line as usize).copied().unwrap_or("");
            let key = &analysis.keys[w.key as usize];
            let cluster = key.cluster as usize;
            let canonical_w = analysis.canonical_written[cluster] as usize;
            let canonical = lines
                .get(analysis.written[canonical_w].first_line as usize)
                .copied()
                .unwrap_or("");
            if let Some(s) = confusion(text, &rules.confusions) {
                return Some(s);
            }
            let leader = analysis.leader_key[cluster];
            if leader != w.key {
                let common = analysis.keys[leader as usize].count as usize;
                let rare = key.count as usize;
                let t = &rules.typo;
                if common >= t.min_canonical && common >= t.min_ratio.saturating_mul(rare) {
                    let variant = without_digits(analysis.forms.get(w.key as usize), &mut a);
                    let common_form = without_digits(analysis.forms.get(leader as usize), &mut b);
                    let d = within_clauses(variant, common_form, t.max_edits, &mut buf);
                    if let Some(d @ 1..) = d.filter(|&d| d <= t.max_edits) {
                        return Some(Suspicion {
                            message: format!(
                                "与常见写法“{canonical}”（{common}处）仅差{d}个字，而此写法只出现{rare}处，疑似错别字。"
                            ),
                            suggestion: Some(canonical.to_string()),
                        });
                    }
                }
            }
            rare_characters(text, rules).map(|chars| Suspicion {
                message: format!("含有不在GB2312常用汉字范围内的字“{chars}”，疑似录入错误。"),
                suggestion: (leader != w.key && rare_characters(canonical, rules).is_none())
                    .then(|| canonical.to_string()),
            })
        })
        .collect()
}

/// A clause form without its digits (a different number is not a typo),
/// kept in `buf`.
fn without_digits<'a>(form: Form, buf: &'a mut (Vec<char>, Vec<u32>)) -> Form<'a> {
    let (chars, ends) = buf;
    chars.clear();
    ends.clear();
    for clause in form.clauses() {
        chars.extend(clause.iter().filter(|c| !c.is_ascii_digit()));
        ends.push(chars.len() as u32);
    }
    Form { chars, ends }
}

/// A known confusion in `text`, with the text corrected.
fn confusion(text: &str, confusions: &[Confusion]) -> Option<Suspicion> {
    let found: Vec<&Confusion> = confusions
        .iter()
        .filter(|c| !c.wrong.is_empty() && text.contains(c.wrong.as_str()))
        .collect();
    if found.is_empty() {
        return None;
    }
    let mut corrected = text.to_string();
    for c in &found {
        corrected = corrected.replace(c.wrong.as_str(), c.right.as_str());
    }
    let pairs: Vec<String> = found
        .iter()
        .map(|c| format!("“{}”应为“{}”", c.wrong, c.right))
        .collect();
    Some(Suspicion {
        message: format!("疑似错别字：{}。", pairs.join("，")),
        suggestion: Some(corrected),
    })
}

/// The hanzi of `text` outside GB2312, when there are a few of them in
/// otherwise ordinary Chinese text.
fn rare_characters(text: &str, rules: &DedupRules) -> Option<String> {
    let hanzi = text.chars().filter(|c| is_hanzi(*c)).count();
    let rare: String = text
        .chars()
        .filter(|c| is_hanzi(*c) && !in_gb2312(*c) && !rules.variants.knows(*c))
        .collect();
    let n = rare.chars().count();
    (hanzi >= rules.typo.rare_char_min_hanzi && (1..=rules.typo.rare_char_max).contains(&n))
        .then_some(rare)
}

fn is_hanzi(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{323AF}')
}

/// GB2312 levels 1 and 2 (6763 hanzi), all in the URO block. A hanzi is in
/// them when its GBK code has a lead byte 0xB0–0xF7 and a trail byte
/// 0xA1–0xFE: GBK's own additions share those lead bytes with lower trail
/// bytes, and 0xD7FA–0xD7FE are unassigned in GB2312. The table is built by
/// decoding those 6,768 codes in one call (encoding each of the block's
/// 20,992 hanzi instead took ~15 ms of every run).
fn in_gb2312(c: char) -> bool {
    static TABLE: OnceLock<Vec<bool>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut codes = Vec::with_capacity(72 * 94 * 2);
        for lead in 0xB0..=0xF7u8 {
            for trail in 0xA1..=0xFEu8 {
                if !(lead == 0xD7 && trail >= 0xFA) {
                    codes.extend([lead, trail]);
                }
            }
        }
        let (text, _) = encoding_rs::GBK.decode_without_bom_handling(&codes);
        let mut table = vec![false; 0x9FFF - 0x4E00 + 1];
        for c in text.chars() {
            if let Some(slot) = table.get_mut((c as u32).wrapping_sub(0x4E00) as usize) {
                *slot = true;
            }
        }
        table
    });
    let index = (c as u32).wrapping_sub(0x4E00) as usize;
    table.get(index).copied().unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb2312_membership() {
        let count = ('\u{4E00}'..='\u{9FFF}').filter(|&c| in_gb2312(c)).count();
        assert_eq!(count, 6763);
        assert!(in_gb2312('监'));
        assert!(in_gb2312('簧'));
        assert!(!in_gb2312('鶐'));
        assert!(!in_gb2312('喆'));
        assert!(!in_gb2312('A'));
    }

    /// The table decoded from GB2312's codes holds exactly the hanzi whose
    /// GBK code lies in them.
    #[test]
    fn gb2312_table_matches_the_encoder() {
        let mut n = 0;
        for c in '\u{4E00}'..='\u{9FFF}' {
            let mut utf8 = [0u8; 4];
            let (bytes, _, had_errors) = encoding_rs::GBK.encode(c.encode_utf8(&mut utf8));
            let expected = match *bytes {
                [lead, trail] if !had_errors => {
                    (0xB0..=0xF7).contains(&lead)
                        && (0xA1..=0xFE).contains(&trail)
                        && !(lead == 0xD7 && trail >= 0xFA)
                }
                _ => false,
            };
            assert_eq!(in_gb2312(c), expected, "{c}");
            n += usize::from(expected);
        }
        assert_eq!(n, 6763);
    }

    #[test]
    fn rare_characters_only_in_ordinary_text() {
        let rules = DedupRules::default();
        assert_eq!(
            rare_characters("加强内部鶐管，落实责任追究。", &rules),
            Some("鶐".to_string())
        );
        assert_eq!(rare_characters("加强内部监管。", &rules), None);
        // Too few hanzi to call it ordinary text.
        assert_eq!(rare_characters("鶐管", &rules), None);
        // Traditional script throughout is not a typo.
        assert_eq!(rare_characters("嚴格執行責任追究製度。", &rules), None);
    }

    #[test]
    fn confusions_are_all_corrected() {
        let rules = DedupRules::default();
        let s = confusion(
            "朱按承诺时限办理事项，不能一次告知所霄材料",
            &rules.confusions,
        )
        .unwrap();
        assert_eq!(
            s.suggestion.as_deref(),
            Some("未按承诺时限办理事项，不能一次告知所需材料")
        );
        assert_eq!(
            s.message,
            "疑似错别字：“朱按”应为“未按”，“所霄”应为“所需”。"
        );
    }
}

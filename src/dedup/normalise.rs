//! The matching key of a line. Used for matching only: the catalog keeps
//! every line as written.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Characters after a leading number that make the number part of the
/// sentence (`15个工作日内答复`) rather than a list marker glued to the
/// text (`1量化审查标准`).
const NUMBER_UNITS: &str = "个日天年月周时分秒名人次项份件万元角%号条款页层级倍批户家台辆米亩吨";

const CJK_NUMERALS: &str = "一二三四五六七八九十";

/// Bullets sometimes typed before a line instead of a number.
const BULLETS: &str = "•●○◆◇■□▪►▶◎-*";

/// NFKC width folding, spaces removed, a leading list marker and trailing
/// punctuation dropped: `１． 故意刁难申请人。` → `故意刁难申请人`.
pub fn normalise_key(text: &str) -> String {
    // Almost every line is hanzi, ASCII and full-width forms, which fold
    // one character at a time; the general NFKC (decompose, reorder,
    // recompose) only for the rest.
    let folded: Vec<char> = match fold_simple(text) {
        Some(folded) => folded,
        None if is_nfkc_quick(text.chars()) == IsNormalized::Yes => {
            text.chars().filter(|c| !is_space(*c)).collect()
        }
        None => text.nfkc().filter(|c| !is_space(*c)).collect(),
    };
    let mut start = 0;
    // A line may carry two markers (`1.(1)…`); three rounds is plenty and
    // keeps the loop bounded.
    for _ in 0..3 {
        match marker_len(&folded[start..]) {
            0 => break,
            n => start += n,
        }
    }
    let mut end = folded.len();
    while end > start && is_trailing_punct(folded[end - 1]) {
        end -= 1;
    }
    folded[start..end].iter().collect()
}

/// NFKC of `text`, spaces removed, when every character is one whose NFKC
/// is a single character of its own: ASCII, CJK ideographs, the full-width
/// forms of ASCII, the ideographic space and the CJK punctuation and quotes
/// that NFKC keeps. None of these combines with a neighbour (all have
/// combining class 0 and none composes), so folding them one by one is
/// NFKC of the whole (a test checks every character against the crate).
/// `None` when some other character occurs.
fn fold_simple(text: &str) -> Option<Vec<char>> {
    let mut out = Vec::with_capacity(text.len() / 2);
    for c in text.chars() {
        let folded = simple_fold(c)?;
        if !is_space(folded) {
            out.push(folded);
        }
    }
    Some(out)
}

/// The NFKC of `c` if it is one of [`fold_simple`]'s characters.
fn simple_fold(c: char) -> Option<char> {
    match c {
        '\0'..='\u{7F}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{3001}'..='\u{3003}'
        | '\u{3008}'..='\u{3011}'
        | '\u{3014}'..='\u{301B}'
        | '\u{00B7}'
        | '\u{2014}'
        | '\u{2018}'..='\u{2019}'
        | '\u{201C}'..='\u{201D}' => Some(c),
        // Full-width ASCII: U+FF01..=U+FF5E are U+0021..=U+007E.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        '\u{3000}' => Some(' '),
        _ => None,
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

fn is_trailing_punct(c: char) -> bool {
    matches!(
        c,
        '。' | '.' | ',' | ';' | ':' | '、' | '!' | '?' | '…' | '~' | '—' | '-' | '·' | '｡'
    )
}

/// Punctuation in the broad sense, after NFKC folding.
pub(crate) fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c,
            '\u{00B7}'
            | '\u{2010}'..='\u{205E}'   // general punctuation: dashes, quotes, …
            | '\u{3001}'..='\u{3003}'   // 、。〃
            | '\u{3008}'..='\u{3011}'   // 〈〉《》「」『』【】
            | '\u{3014}'..='\u{301F}'
            | '\u{FE10}'..='\u{FE6B}'   // vertical and small forms
            | '\u{FF61}'..='\u{FF65}')
}

/// Length in chars of the list marker at the start of `s`, or 0.
fn marker_len(s: &[char]) -> usize {
    let Some(&first) = s.first() else { return 0 };
    // (1) (一) — NFKC has already turned （１） and ⑴ into this form.
    if first == '(' || first == '[' {
        let inner = s[1..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || CJK_NUMERALS.contains(**c))
            .count();
        let close = s.get(1 + inner).copied();
        if (1..=3).contains(&inner) && matches!(close, Some(')') | Some(']')) {
            return 2 + inner + separators(&s[2 + inner..]);
        }
        return 0;
    }
    if BULLETS.contains(first) {
        return 1;
    }
    // 1. 1、 1.. 1.2 and 1 glued to the text (① is `1` after NFKC): a
    // number is a marker unless a unit or the end of the line follows it
    // (`15个工作日`, `1.5万元`).
    let number = numbering_len(s);
    if number > 0 {
        let seps = separators(&s[number..]);
        let is_unit = |c: Option<&char>| c.is_some_and(|c| NUMBER_UNITS.contains(*c));
        let after = s.get(number + seps);
        // After `N.` or `N、` a unit character starts a word (`4.分配名额`,
        // `2、年度考核`): the number is a marker all the same.
        if seps > 0 && after.is_some() {
            return number + seps;
        }
        return match s.get(number) {
            Some(&next) if !is_unit(Some(&next)) && (!is_punct(next) || next == '(') => number,
            _ => 0,
        };
    }
    // 一、 and 措施一： need their separator: 一次性告知 starts with a numeral.
    let prefix = if s.starts_with(&['措', '施']) { 2 } else { 0 };
    let numerals = s[prefix..]
        .iter()
        .take_while(|c| CJK_NUMERALS.contains(**c) || (prefix > 0 && c.is_ascii_digit()))
        .count();
    if (1..=3).contains(&numerals) {
        let seps = separators(&s[prefix + numerals..]);
        if seps > 0 {
            return prefix + numerals + seps;
        }
    }
    0
}

/// Length of `1`, `12`, `1.2`, `2.3.1` at the start of `s` (groups of up
/// to three digits), or 0.
fn numbering_len(s: &[char]) -> usize {
    let mut len = 0;
    for _ in 0..4 {
        let digits = s[len..].iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=3).contains(&digits) {
            return if len == 0 { 0 } else { len - 1 };
        }
        len += digits;
        let more = s.get(len) == Some(&'.') && s.get(len + 1).is_some_and(|c| c.is_ascii_digit());
        if !more {
            return len;
        }
        len += 1;
    }
    len
}

/// Marker separators following a number: `.` `、` `:` `)` (after NFKC).
fn separators(s: &[char]) -> usize {
    s.iter()
        .take(3)
        .take_while(|c| matches!(c, '.' | '、' | ',' | ':' | ')' | '）'))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_fold_is_nfkc() {
        use unicode_normalization::char::canonical_combining_class;
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let Some(folded) = simple_fold(c) else {
                continue;
            };
            let nfkc: String = c.to_string().nfkc().collect();
            assert_eq!(nfkc, folded.to_string(), "U+{:04X}", c as u32);
            assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", c as u32);
        }
        // Mixed with a character outside the set: the general path.
        assert_eq!(fold_simple("ｅ\u{301}"), None);
        assert_eq!(normalise_key("ｅ\u{301}"), "é");
        let line = "１．（一）加强“内部”监管，落实—责任　追究；";
        let general: String = line.nfkc().filter(|c| !is_space(*c)).collect();
        assert_eq!(
            fold_simple(line).unwrap().iter().collect::<String>(),
            general
        );
    }

    #[test]
    fn width_spaces_markers_and_trailing_punctuation() {
        let cases = [
            ("1.量化审查标准", "量化审查标准"),
            ("1量化审查标准", "量化审查标准"),
            ("１． 故意刁难申请人。", "故意刁难申请人"),
            ("① 故意刁难申请人", "故意刁难申请人"),
            ("（1）故意 刁难　申请人；", "故意刁难申请人"),
            ("(一)建立受理制度。", "建立受理制度"),
            ("一、建立受理制度", "建立受理制度"),
            ("措施一：建立受理制度", "建立受理制度"),
            ("1..擅自改变审查结论", "擅自改变审查结论"),
            ("3.无照因超时办理,久拖不办.", "无照因超时办理,久拖不办"),
            ("量化审查标准，执行回避制度。", "量化审查标准,执行回避制度"),
            ("15个工作日内答复", "15个工作日内答复"),
            ("一次性告知所需材料", "一次性告知所需材料"),
            ("1.5万元以上的审批", "1.5万元以上的审批"),
            ("４．分配名额", "分配名额"),
            ("2、年度考核", "年度考核"),
            ("1.４．违反程序", "违反程序"),
            ("1.1加强内部监管", "加强内部监管"),
            ("1(2)接受办事群众监督", "接受办事群众监督"),
            ("2023年度考核", "2023年度考核"),
            ("3.5%以上", "3.5%以上"),
            ("5.", "5"),
            ("• 加强内部监管", "加强内部监管"),
            ("。。。", ""),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(normalise_key(input), want, "input {input:?}");
        }
    }
}

//! List markers at the start of a line: `1.` `1、` `1．` `1..` `1` glued to
//! text, `①`, `(1)` `（1）`, `(一)`, `一、`, `措施一：`, and Word's rendered
//! auto-numbers (`6.` followed by a tab).

use regex::Regex;
use std::sync::LazyLock;

/// What is wrong with a marker, for `numbering.malformed`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MarkerFault {
    /// `1..`: a doubled separator.
    DoubledSeparator,
    /// `1擅自…`: no separator between the number and the text.
    Glued,
    /// `3,政务公开`: a comma where a full stop or 、 belongs.
    Comma,
}

/// A line split into its marker and its text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Marked {
    pub n: Option<u32>,
    pub marker: Option<String>,
    pub text: String,
    pub fault: Option<MarkerFault>,
}

impl Marked {
    /// The marker as it should have been written (for a suggestion).
    pub fn suggested_marker(&self) -> Option<String> {
        self.fault.as_ref()?;
        self.n.map(|n| format!("{n}."))
    }
}

/// An Arabic number and its separator opening `s` (`12、`, `３．`, `1..`):
/// where the digits end and where the separator ends, in bytes — what
/// `^([0-9０-９]{1,3})(\.{2,}|[.．、，,)）:：])` matches, read by hand: every
/// item line opens so, and the pattern's captures were a hot spot of
/// layout. The separator is judged in code, so that `3.5万` (a decimal)
/// and `1.1 …` (a sub-number) are told apart.
fn arabic_marker(s: &str) -> Option<(usize, usize)> {
    let mut digits = 0;
    let mut end = 0;
    for c in s.chars() {
        if !(c.is_ascii_digit() || ('０'..='９').contains(&c)) {
            break;
        }
        digits += 1;
        end += c.len_utf8();
    }
    if !(1..=3).contains(&digits) {
        return None;
    }
    let rest = &s[end..];
    let dots = rest.bytes().take_while(|&b| b == b'.').count();
    if dots >= 2 {
        return Some((end, end + dots));
    }
    let sep = rest.chars().next()?;
    ".．、，,)）:："
        .contains(sep)
        .then(|| (end, end + sep.len_utf8()))
}
static PAREN_ARABIC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[（(]\s*([0-9]{1,3})\s*[）)]").expect("static regex"));
static PAREN_HAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]").expect("static regex")
});
static HAN_COMMA: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([一二三四五六七八九十]{1,3})[、.．]").expect("static regex"));
static MEASURE_NO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^措施\s*([一二三四五六七八九十]{1,3}|[0-9]{1,3})\s*[：:]").expect("static regex")
});
// `1.2分管领导…`: a sub-number glued to its text (a cell of items numbered
// under their row, `1.1… 1.2…`); the item's number is the last part.
static SUB_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([0-9]{1,2})[.．]([0-9]{1,2})(\p{Han})").expect("static regex"));
static GLUED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([0-9]{1,2})(\p{Han})").expect("static regex"));

/// Characters after a glued number that make it a quantity, not a marker.
const QUANTITY: &str = "年月日个项次号元人天条家份万千百亿级类期场倍名件户岁周届组批";

pub fn split_marker(line: &str) -> Marked {
    let s = line.trim();
    let plain = |text: &str| Marked {
        n: None,
        marker: None,
        text: text.trim().to_string(),
        fault: None,
    };
    // Each pattern needs its own first character: most lines (text, not
    // a marker) are told from that alone, without running the patterns.
    let first = s.chars().next().unwrap_or(' ');
    let digit = first.is_ascii_digit();
    let paren = matches!(first, '（' | '(');
    let han = "一二三四五六七八九十".contains(first);
    if let Some((digits_end, marker_end)) = (digit || ('０'..='９').contains(&first))
        .then(|| arabic_marker(s))
        .flatten()
    {
        let digits = &s[..digits_end];
        let sep = &s[digits_end..marker_end];
        let rest = &s[marker_end..];
        let n = parse_arabic(digits);
        // `3.5万` is a decimal and `1.1 了解…` a section number: not list
        // markers; `1.2分管领导…`, a sub-number glued to its text, is.
        if (sep == "." || sep == "．") && rest.starts_with(|ch: char| ch.is_ascii_digit()) {
            if let Some(sub) = SUB_NUMBER.captures(s)
                && !QUANTITY.contains(&sub[3])
            {
                return marked(s, &s[..sub[0].len() - sub[3].len()], parse_arabic(&sub[2]));
            }
            return plain(s);
        }
        // `1:30` or `3)` alone are not list items either.
        if rest.trim().is_empty() {
            return plain(s);
        }
        if (sep == ":" || sep == "：") && rest.starts_with(|ch: char| ch.is_ascii_digit()) {
            return plain(s);
        }
        let fault = if sep.len() > 1 && sep.chars().all(|c| c == '.') {
            Some(MarkerFault::DoubledSeparator)
        } else if sep == "," || sep == "，" {
            Some(MarkerFault::Comma)
        } else {
            None
        };
        return Marked {
            n,
            marker: Some(s[..marker_end].to_string()),
            text: rest.trim().to_string(),
            fault,
        };
    }
    if let Some(c) = paren.then(|| PAREN_ARABIC.captures(s)).flatten() {
        return marked(s, &c[0], parse_arabic(&c[1]));
    }
    if let Some(first) = s.chars().next()
        && let Some(n) = circled(first)
    {
        return marked(s, &s[..first.len_utf8()], Some(n));
    }
    if let Some(c) = paren.then(|| PAREN_HAN.captures(s)).flatten() {
        return marked(s, &c[0], han_number(&c[1]));
    }
    if let Some(c) = (first == '措').then(|| MEASURE_NO.captures(s)).flatten() {
        let n = parse_arabic(&c[1]).or_else(|| han_number(&c[1]));
        return marked(s, &c[0], n);
    }
    if let Some(c) = han.then(|| HAN_COMMA.captures(s)).flatten() {
        // `一、` is a marker; `一.` only before text.
        return marked(s, &c[0], han_number(&c[1]));
    }
    if let Some(c) = digit.then(|| GLUED.captures(s)).flatten() {
        let next = c[2].chars().next().unwrap_or(' ');
        if !QUANTITY.contains(next) {
            return Marked {
                n: parse_arabic(&c[1]),
                marker: Some(c[1].to_string()),
                text: s[c[1].len()..].trim().to_string(),
                fault: Some(MarkerFault::Glued),
            };
        }
    }
    plain(s)
}

fn marked(s: &str, marker: &str, n: Option<u32>) -> Marked {
    Marked {
        n,
        marker: Some(marker.trim().to_string()),
        text: s[marker.len()..].trim().to_string(),
        fault: None,
    }
}

fn parse_arabic(digits: &str) -> Option<u32> {
    let folded: String = digits
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    folded.parse().ok()
}

/// ①–⑳, ⑴–⒇, ❶–❿, ➀–➉.
fn circled(c: char) -> Option<u32> {
    let u = c as u32;
    match u {
        0x2460..=0x2473 => Some(u - 0x2460 + 1),
        0x2474..=0x2487 => Some(u - 0x2474 + 1),
        0x2776..=0x277F => Some(u - 0x2776 + 1),
        0x2780..=0x2789 => Some(u - 0x2780 + 1),
        _ => None,
    }
}

/// 一 … 九十九.
pub fn han_number(s: &str) -> Option<u32> {
    let digit = |c: char| "零一二三四五六七八九".find(c).map(|i| (i / 3) as u32);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [d] if *d == '十' => Some(10),
        [d] => digit(*d),
        ['十', d] => digit(*d).map(|d| 10 + d),
        [t, '十'] => digit(*t).map(|t| t * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand reading gives what the pattern it replaces matches, on
    /// every line of up to five characters from the alphabet that matters.
    #[test]
    fn arabic_marker_reads_as_its_pattern() {
        let pattern = Regex::new(r"^([0-9０-９]{1,3})(\.{2,}|[.．、，,)）:：])").expect("pattern");
        let alphabet = [
            '1', '９', '.', '．', '、', '，', ',', ')', '）', ':', '：', 'a', '风', ' ',
        ];
        let mut lines = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = lines
                .iter()
                .flat_map(|l| alphabet.iter().map(move |c| format!("{l}{c}")))
                .collect();
            lines.extend(longer);
            lines.sort();
            lines.dedup();
        }
        lines.push("1234.".into());
        lines.push("12.....x".into());
        for l in &lines {
            let expected = pattern.captures(l).map(|c| (c[1].len(), c[0].len()));
            assert_eq!(arabic_marker(l), expected, "{l:?}");
        }
    }

    fn m(
        line: &str,
    ) -> (
        Option<u32>,
        Option<&'static str>,
        String,
        Option<MarkerFault>,
    ) {
        let r = split_marker(line);
        (
            r.n,
            r.marker.map(|s| &*Box::leak(s.into_boxed_str())),
            r.text,
            r.fault,
        )
    }

    #[test]
    fn arabic_markers() {
        assert_eq!(
            m("1.建立受理单制度。"),
            (Some(1), Some("1."), "建立受理单制度。".into(), None)
        );
        assert_eq!(
            m("1. 故意刁难申请人。"),
            (Some(1), Some("1."), "故意刁难申请人。".into(), None)
        );
        assert_eq!(
            m("2、不按规定程序受理"),
            (Some(2), Some("2、"), "不按规定程序受理".into(), None)
        );
        assert_eq!(
            m("3．无原因超时办理"),
            (Some(3), Some("3．"), "无原因超时办理".into(), None)
        );
        assert_eq!(
            m("6.\t故意刁难申请人。"),
            (Some(6), Some("6."), "故意刁难申请人。".into(), None)
        );
        assert_eq!(
            m("１２．全角"),
            (Some(12), Some("１２．"), "全角".into(), None)
        );
    }

    #[test]
    fn malformed_markers() {
        assert_eq!(
            m("1..建立受理单制度。"),
            (
                Some(1),
                Some("1.."),
                "建立受理单制度。".into(),
                Some(MarkerFault::DoubledSeparator)
            )
        );
        assert_eq!(
            m("1擅自改变审查结论。"),
            (
                Some(1),
                Some("1"),
                "擅自改变审查结论。".into(),
                Some(MarkerFault::Glued)
            )
        );
        assert_eq!(
            m("3,政务公开,明确工作程序"),
            (
                Some(3),
                Some("3,"),
                "政务公开,明确工作程序".into(),
                Some(MarkerFault::Comma)
            )
        );
        assert_eq!(split_marker("1..x").suggested_marker(), Some("1.".into()));
    }

    #[test]
    fn other_markers() {
        assert_eq!(
            m("①计划拟制环节"),
            (Some(1), Some("①"), "计划拟制环节".into(), None)
        );
        assert_eq!(m("⑩十"), (Some(10), Some("⑩"), "十".into(), None));
        assert_eq!(
            m("(1)针对风险点"),
            (Some(1), Some("(1)"), "针对风险点".into(), None)
        );
        assert_eq!(
            m("（2）针对"),
            (Some(2), Some("（2）"), "针对".into(), None)
        );
        assert_eq!(
            m("（一）文件"),
            (Some(1), Some("（一）"), "文件".into(), None)
        );
        assert_eq!(
            m("十二、印章"),
            (Some(12), Some("十二、"), "印章".into(), None)
        );
        assert_eq!(
            m("措施一：严格"),
            (Some(1), Some("措施一："), "严格".into(), None)
        );
        // A sub-number glued to its text: the item's number is the last part.
        assert_eq!(
            m("2.3缺乏报告审核。"),
            (Some(3), Some("2.3"), "缺乏报告审核。".into(), None)
        );
    }

    #[test]
    fn not_markers() {
        assert_eq!(m("2018年度报告"), (None, None, "2018年度报告".into(), None));
        assert_eq!(m("3个工作日"), (None, None, "3个工作日".into(), None));
        assert_eq!(m("3.5万元"), (None, None, "3.5万元".into(), None));
        assert_eq!(m("1.5倍以上"), (None, None, "1.5倍以上".into(), None));
        assert_eq!(
            m("1.1 了解组织结构"),
            (None, None, "1.1 了解组织结构".into(), None)
        );
        assert_eq!(
            m("故意刁难申请人。"),
            (None, None, "故意刁难申请人。".into(), None)
        );
        assert_eq!(m("一级风险"), (None, None, "一级风险".into(), None));
    }

    #[test]
    fn han_numbers() {
        assert_eq!(han_number("一"), Some(1));
        assert_eq!(han_number("十"), Some(10));
        assert_eq!(han_number("十一"), Some(11));
        assert_eq!(han_number("二十"), Some(20));
        assert_eq!(han_number("二十三"), Some(23));
        assert_eq!(han_number("百"), None);
    }
}

//! Chart-level and step-level fields: titles and categories, department
//! lines, names, responsible persons, steps with actor and time limit,
//! contact telephones, noise lines.

use crate::catalog::{Contact, Step};
use crate::rules::Rules;
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Remove whitespace between CJK characters (`申    请` → `申请`), keep it
/// between Latin words.
pub fn squeeze_cjk(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = out.chars().last();
            let next = chars[i..].iter().find(|c| !c.is_whitespace());
            let latin = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            if latin(prev.as_ref()) && latin(next) && !prev.is_some_and(|p| p.is_whitespace()) {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// Whitespace-free form used to compare against rule words; borrowed
/// when there is no whitespace (most lines of a chart have none, and
/// every line is compacted several times in layout).
pub fn compact(s: &str) -> Cow<'_, str> {
    // Whole runs copied between the spaces, found a character at a time by
    // its first byte (only a few first bytes can open a whitespace
    // character): decoding every char was a hot spot of layout.
    let b = s.as_bytes();
    let mut out: Option<String> = None;
    let (mut run, mut i) = (0, 0);
    while i < b.len() {
        let lead = b[i];
        let space = match lead {
            0x09..=0x0D | 0x20 | 0xC2 | 0xE1..=0xE3 => whitespace_len(&b[i..]),
            _ => 0,
        };
        if space > 0 {
            out.get_or_insert_with(|| String::with_capacity(s.len()))
                .push_str(&s[run..i]);
            i += space;
            run = i;
        } else {
            i += match lead {
                0..0x80 => 1,
                0x80..0xE0 => 2,
                0xE0..0xF0 => 3,
                _ => 4,
            };
        }
    }
    match out {
        None => Cow::Borrowed(s),
        Some(mut out) => {
            out.push_str(&s[run..]);
            Cow::Owned(out)
        }
    }
}

/// The length in bytes of the whitespace character (`char::is_whitespace`)
/// that `b` starts with, or 0: the same set, written as UTF-8.
fn whitespace_len(b: &[u8]) -> usize {
    match b {
        [0x09..=0x0D | 0x20, ..] => 1,
        [0xC2, 0x85 | 0xA0, ..] => 2,
        [0xE1, 0x9A, 0x80, ..]
        | [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..]
        | [0xE2, 0x81, 0x9F, ..]
        | [0xE3, 0x80, 0x80, ..] => 3,
        _ => 0,
    }
}

/// `label` at the start of `line` (also in traditional characters),
/// followed by an optional colon: the rest, as written.
fn after_label<'a, 'r>(
    line: &'a str,
    labels: &'r [String],
    rules: &Rules,
) -> Option<(&'r str, &'a str)> {
    let s = line.trim_start();
    // A label can open the line only if its first character does (folded):
    // most lines open with none, and are told without folding or
    // comparing them to every label.
    if let Some(first) = s.chars().next().map(|c| rules.variants.simplified(c))
        && !labels.iter().any(|l| l.is_empty() || l.starts_with(first))
    {
        return None;
    }
    // Only as much of the line as the longest label is folded: this runs on
    // every line for several label lists, and lines are long.
    let longest = labels.iter().map(String::len).max().unwrap_or(0);
    let mut head = s.len().min(longest);
    while !s.is_char_boundary(head) {
        head += 1;
    }
    let folded = rules.variants.fold(&s[..head]);
    for label in labels {
        if folded.starts_with(label.as_str()) {
            // Folding keeps byte offsets: the label's length slices `s`.
            let rest = &s[label.len()..];
            let rest = rest.trim_start();
            let rest = rest
                .strip_prefix(['：', ':', ';', '；'])
                .unwrap_or(rest)
                .trim();
            return Some((label.as_str(), rest));
        }
    }
    None
}

/// Does the line start with a risk lead-in (`风险表现：…`)?
pub fn has_risk_lead_in(line: &str, rules: &Rules) -> bool {
    without_risk_lead_in(line, rules).len() < line.trim().len()
}

/// An item line without its lead-in label (`风险表现：虚报数量` → `虚报数量`).
pub fn without_risk_lead_in<'a>(line: &'a str, rules: &Rules) -> &'a str {
    match after_label(line, &rules.risk_lead_in, rules) {
        Some((_, rest)) if !rest.is_empty() => rest,
        _ => line.trim(),
    }
}

/// `责任人：受理人、审核人` → `["受理人", "审核人"]`; None when the line has no
/// responsible label.
pub fn responsible_line(line: &str, rules: &Rules) -> Option<Vec<String>> {
    let rest = responsible_rest(line, rules)?;
    let seps = &rules.responsible_split;
    // Splitting at each separator in turn is splitting at any of them when
    // each is one character (the built-in ones are): one pass, no list of
    // pieces per separator.
    let names: Vec<&str> = if seps.iter().all(|s| s.chars().count() == 1) {
        rest.split(|c: char| seps.iter().any(|s| s.starts_with(c)))
            .collect()
    } else {
        let mut names = vec![rest];
        for sep in seps {
            names = names.iter().flat_map(|n| n.split(sep.as_str())).collect();
        }
        names
    };
    Some(
        names
            .into_iter()
            .map(|n| {
                n.trim()
                    .trim_end_matches(['。', '.', '；', ';'])
                    .trim()
                    .to_string()
            })
            .filter(|n| !n.is_empty())
            .collect(),
    )
}

/// Is this a 责任人 line ([`responsible_line`] gives `Some`)? Without
/// splitting out the names.
pub fn is_responsible_line(line: &str, rules: &Rules) -> bool {
    responsible_rest(line, rules).is_some()
}

/// What follows the 责任人 label, brackets round the line dropped.
fn responsible_rest<'a>(line: &'a str, rules: &Rules) -> Option<&'a str> {
    let s = line
        .trim()
        .trim_start_matches(['（', '('])
        .trim_end_matches(['）', ')']);
    after_label(s, &rules.responsible, rules).map(|(_, rest)| rest)
}

/// Is this line a chart title (…流程图, …防控图, 权力运行…, …一览表)?
pub fn is_title(line: &str, rules: &Rules) -> bool {
    let s = without_image_marks(line).trim();
    let n = s.chars().count();
    // The tests, cheapest first: most lines asked (a box's first line) are
    // no title, and the word lists, the noise patterns and the name label
    // cost far more than a look at the line's ends.
    if n < 4 || n > rules.title_max_chars {
        return false;
    }
    // A title is one phrase: no sentence ends inside it, nor after it.
    if s.ends_with(['。', '；', ';', '，', ',']) || s.trim_end_matches(['。', '.']).contains('。')
    {
        return false;
    }
    // A list number opens an item, a year a title.
    if s.starts_with(|c: char| c.is_ascii_digit() || "①②③④⑤⑥⑦⑧⑨（(".contains(c))
        && !starts_with_year(s)
    {
        return false;
    }
    let folded = rules.variants.fold(s);
    if rules
        .title_never_start
        .iter()
        .any(|w| folded.starts_with(w.as_str()))
    {
        return false;
    }
    let compacted = compact(&folded);
    // A column header (`权力运行流程`) is never a title.
    let header = rules
        .header_steps
        .iter()
        .chain(&rules.header_risks)
        .chain(&rules.header_measures)
        .any(|h| compacted == *h);
    let ends = n <= rules.title_ends_max_chars
        && rules
            .title_ends
            .iter()
            .any(|w| compacted.ends_with(w.as_str()));
    !header
        && (ends || {
            // `风险表现` (a risk box's lead-in) is no `风险表`.
            const LEAD_IN: &str = "风险表现";
            let words = if folded.contains(LEAD_IN) {
                Cow::Owned(folded.replace(LEAD_IN, ""))
            } else {
                Cow::Borrowed(&*folded)
            };
            rules.title_contains.found_in(&words)
        })
        && !is_noise(s, rules)
        && name_line(s, rules).is_none()
}

/// `2020年…`: a year, not a list number, opens the line.
fn starts_with_year(s: &str) -> bool {
    let digits = s.chars().take_while(|c| c.is_ascii_digit()).count();
    digits == 4 && s[digits..].starts_with('年')
}

/// A line without the `[image: …]` placeholders an extraction left where
/// pictures were (`[image: ][image: ]申    请` → `申    请`).
pub fn without_image_marks(line: &str) -> &str {
    let mut s = line.trim_start();
    while let Some(rest) = s.strip_prefix("[image:") {
        match rest.find(']') {
            Some(end) => s = rest[end + 1..].trim_start(),
            None => break,
        }
    }
    s
}

/// A grade or 责任人 statement with the next item run into it
/// (`风险等级:低1.擅自增加…`, `责任人:办理人1.量化…`) is two lines: split
/// before the item's marker. Other lines come back whole.
pub fn split_run_together<'a>(line: &'a str, rules: &Rules) -> Vec<&'a str> {
    static MARKER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:[0-9]{1,2}[.、．](?:[^0-9]|$)|[①②③④⑤⑥⑦⑧⑨⑩]|[（(][0-9一二三四五六七八九十]{1,2}[)）])")
            .expect("marker pattern")
    });
    // Every marker opens with an ASCII digit, an opening bracket or a
    // circled number, and a line is cut only before one that follows white
    // space or a (non-ASCII) letter: most lines (an item's own marker opens
    // them) hold none, and are told without the pattern.
    let opens_marker = |c: char| c.is_ascii_digit() || matches!(c, '(' | '（' | '①'..='⑩');
    let cuts_before = |c: char| c.is_whitespace() || (!c.is_ascii() && c.is_alphabetic());
    let mut chars = line.chars();
    let mut prev = chars.next();
    let may_cut = chars.any(|c| {
        let cut = opens_marker(c) && prev.is_some_and(cuts_before);
        prev = Some(c);
        cut
    });
    if !may_cut {
        return vec![line];
    }
    let mut out = Vec::new();
    let mut rest = line;
    'split: loop {
        for m in MARKER.find_iter(rest) {
            let at = m.start();
            if at == 0 {
                continue;
            }
            let head = &rest[..at];
            // `风险表现:超标准、未上会研究签批 2、采购批准单。`: an unnumbered
            // risk and, after a space, a second item (in a PDF, often the
            // next box's line run in).
            let second = head.ends_with(char::is_whitespace)
                && has_risk_lead_in(head, rules)
                && crate::recognise::markers::split_marker(&rest[at..])
                    .n
                    .is_some_and(|n| n >= 2);
            if second {
                out.push(head.trim_end());
                rest = &rest[at..];
                continue 'split;
            }
            // Only right after a letter: `中1.` yes, `第1.` of a sentence no.
            if !head
                .chars()
                .last()
                .is_some_and(|c| !c.is_ascii() && c.is_alphabetic())
            {
                continue;
            }
            let statement = crate::recognise::grades::grade_line(head, rules)
                .is_some_and(|g| g.grade.is_some())
                || is_responsible_line(head, rules);
            if statement {
                out.push(head);
                rest = &rest[at..];
                continue 'split;
            }
        }
        break;
    }
    out.push(rest);
    out
}

/// The number closing a title (`…风险流程图(10)` → `10`).
pub fn title_number(title: &str) -> Option<String> {
    static NUMBER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[（(]\s*([0-9０-９]+)\s*[)）]\s*$").expect("number pattern"));
    let c = NUMBER.captures(title)?;
    crate::recognise::markers::split_marker(&format!("{}.x", &c[1]))
        .n
        .map(|n| n.to_string())
}

/// The subject a title names, when the document has no 职权名称-style line:
/// the title without its ordinal (`一、`), category bracket (`<行政给付类2>`),
/// trailing number (`(10)`) and generic ending (`廉政风险点监管工作流程图`).
/// `None` when nothing but those is left (`2021年廉政风险点防控措施一览表`).
pub fn title_name(title: &str, rules: &Rules) -> Option<String> {
    static ORDINAL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:[（(]?[一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.．]|[0-9０-９]+[、.．](?:[^0-9０-９]|$))\s*")
            .expect("ordinal pattern")
    });
    // `(10)`, a page mark `9-9` left by a document-sharing site, and the
    // ordinal of a sub-heading run on after the name (`来信来访来电受理 1、`
    // from `一、来信来访来电受理 1、流程图`).
    static TRAILING_NO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:[（(]\s*[0-9０-９]+\s*[)）]|[0-9]+\s*[-—–]\s*[0-9]+|[0-9０-９一二三四五六七八九十]{1,2}\s*、)\s*$")
            .expect("number pattern")
    });
    static YEAR_ONLY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[0-9０-９]{2,4}年?度?$").expect("year pattern"));
    let mut s = title.trim().to_string();
    if let Some(m) = ORDINAL.find(&s) {
        // `1.`-style ordinals keep the character after them.
        let keep = m
            .as_str()
            .trim_end()
            .chars()
            .last()
            .filter(|c| !"、.．)）".contains(*c));
        let cut = m.end() - keep.map_or(0, char::len_utf8);
        s = s[cut..].to_string();
    }
    let folded = rules.variants.fold(&s);
    if let Some(c) = rules
        .category_pattern
        .captures_iter(&folded)
        .find(|c| c.name("cls").is_some() || c.name("code").is_some())
        && let Some(m) = c.get(0)
    {
        s.replace_range(m.range(), "");
    }
    loop {
        let before = s.len();
        s = TRAILING_NO.replace(&s, "").trim().to_string();
        let squeezed = squeeze_cjk(&s);
        let folded = rules.variants.fold(&squeezed);
        if let Some(g) = rules
            .title_generic
            .iter()
            .filter(|g| folded.ends_with(g.as_str()))
            .max_by_key(|g| g.len())
        {
            s = squeezed[..squeezed.len() - g.len()].trim().to_string();
        }
        if s.len() == before {
            break;
        }
    }
    let s = squeeze_cjk(s.trim_end_matches(['-', '—', '：', ':', '，', ',', '的']));
    (!s.is_empty() && !YEAR_ONLY.is_match(&s)).then_some(s)
}

/// (category, category_raw, code) from a title: `…<行政给付类2>` →
/// (`行政给付`, `行政给付类2`, `2`).
pub fn category(title: &str, rules: &Rules) -> (Option<String>, Option<String>, Option<String>) {
    let folded = rules.variants.fold(title);
    let Some(c) = rules
        .category_pattern
        .captures_iter(&folded)
        .find(|c| c.name("cls").is_some() || c.name("code").is_some())
    else {
        return (None, None, None);
    };
    // As written: folding keeps byte offsets.
    let raw = c
        .name("raw")
        .and_then(|m| title.get(m.range()))
        .map(|m| m.trim().to_string());
    let word = c.name("cat").map(|m| m.as_str().trim()).unwrap_or("");
    let code = c
        .name("code")
        .map(|m| crate::recognise::markers::split_marker(&format!("{}.x", m.as_str())))
        .and_then(|m| m.n)
        .map(|n| n.to_string());
    let cat = rules
        .categories
        .iter()
        .find(|k| word.starts_with(k.as_str()))
        .cloned()
        .or_else(|| (word.contains("权力") || word.contains("职权")).then(|| "其他权力".into()));
    (cat, raw, code)
}

/// `职权名称：企业退休人员…` → the name, with a column header glued onto its
/// end removed (`…年度报告风险点等级` → `…年度报告`).
pub fn name_line(line: &str, rules: &Rules) -> Option<String> {
    let (_, rest) = after_label(line, &rules.name_labels, rules)?;
    // A name run on into the next label ends there.
    let end = next_label(&rules.variants.fold(rest), &rules.name_stops).unwrap_or(rest.len());
    Some(strip_glued_header(rest[..end].trim(), rules).0)
}

/// Where the first of `labels` followed by a colon starts in `folded`
/// (past its start): a value run on into the next label ends there.
/// Folding keeps byte offsets, so the position is valid in the text as
/// written.
fn next_label(folded: &str, labels: &[String]) -> Option<usize> {
    labels
        .iter()
        .flat_map(|w| [':', '：'].map(|colon| find_with_colon(folded, w, colon)))
        .filter_map(|at| at.filter(|&at| at > 0))
        .min()
}

/// Where `label` first stands followed by `colon` in `s`: what
/// `s.find(label + colon)` gives, without making that string for every
/// line asked.
fn find_with_colon(s: &str, label: &str, colon: char) -> Option<usize> {
    // From the colons back: most lines hold none or one, and a substring
    // searcher set up per label was a hot spot of layout.
    s.match_indices(colon)
        .map(|(at, _)| at)
        .find(|&at| s[..at].ends_with(label))
        .map(|at| at - label.len())
}

/// The department written as a label in a line (`部门:营销部`, or run on
/// after a name: `岗位名称:客服岗部门:营销部工作内容:…`): the value, up to
/// the next label.
pub fn labelled_department(line: &str, rules: &Rules) -> Option<String> {
    let folded = rules.variants.fold(line);
    // (where, length of the label with its colon)
    let (at, label_len) = rules
        .department_labels
        .iter()
        .filter_map(|l| {
            [':', '：'].into_iter().find_map(|colon| {
                find_with_colon(&folded, l, colon).map(|at| (at, l.len() + colon.len_utf8()))
            })
        })
        .min_by_key(|(at, len)| (*at, std::cmp::Reverse(*len)))?;
    // `岗位名称:…部门:`: only a name label, or nothing, before it.
    let before = folded[..at].trim();
    if !before.is_empty() && name_line(before, rules).is_none() {
        return None;
    }
    let rest = &line[at + label_len..];
    let end = next_label(&folded[at + label_len..], &rules.name_stops).unwrap_or(rest.len());
    // A damaged line (`部门:营信息接收、传递…`) names no department.
    let value = rest[..end].trim();
    is_department(value, rules).then(|| value.to_string())
}

/// `text` without column headers glued to its end (`…登记风险点等级`: a
/// header is glued when a prefix of it of at least 4 characters ends the
/// text); and whether one was.
fn strip_glued_header(text: &str, rules: &Rules) -> (String, bool) {
    let mut name = text.to_string();
    let mut stripped = false;
    let headers = rules
        .header_measures
        .iter()
        .chain(&rules.header_steps)
        .chain(&rules.header_risks);
    'strip: loop {
        for h in headers.clone() {
            // The prefixes of `h`, longest first, as slices of it (a
            // string made for each was a hot spot: this runs on every
            // name line).
            let (mut k, mut end) = (h.chars().count(), h.len());
            while k >= 4 {
                let prefix = &h[..end];
                if name.ends_with(prefix) && name.chars().count() > k {
                    name.truncate(name.len() - prefix.len());
                    name = name.trim_end().to_string();
                    stripped = true;
                    continue 'strip;
                }
                end = prefix.char_indices().next_back().map_or(0, |(i, _)| i);
                k -= 1;
            }
        }
        break;
    }
    (name, stripped)
}

/// The rest of a name that ran on to the next line and into the column
/// header after it (`职权名称：查阅…资料` ⏎ `对可能被…予以封存风险点等级`):
/// the text before the glued header, when the line has no list marker.
pub fn name_continuation(line: &str, rules: &Rules) -> Option<String> {
    let line = without_image_marks(line).trim();
    if crate::recognise::markers::split_marker(line)
        .marker
        .is_some()
    {
        return None;
    }
    let (rest, stripped) = strip_glued_header(line, rules);
    (stripped && !rest.is_empty()).then_some(rest)
}

/// An organisation's full name (`周口市人民防空办公室`): a department line
/// that opens with the place it serves. A page's letterhead, never a step.
fn is_organisation(line: &str, rules: &Rules) -> bool {
    let head: String = line.trim().chars().take(6).collect();
    head.contains(['省', '市', '县', '区']) && is_department(line, rules)
}

/// A department line: short, no punctuation, ending in an organisation word.
pub fn is_department(line: &str, rules: &Rules) -> bool {
    let s = without_image_marks(line).trim();
    let n = s.chars().count();
    n >= 3
        && n <= rules.department_max_chars
        && !s
            .chars()
            .any(|c| "：:，,。；;、<>《》（）()".contains(c) || c.is_ascii_digit())
        && {
            let folded = rules.variants.fold(s);
            rules
                .department_suffixes
                .iter()
                .any(|w| folded.ends_with(w.as_str()))
        }
        && !is_title(s, rules)
}

static TIME_LIMIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"([0-9０-９一二三四五六七八九十两]+\s*个?\s*(?:工作日|自然日|日|天|小时|个月|月))|当日办结|即时办结|当场办结|当日|即办",
    )
    .expect("static regex")
});

/// A time limit in text, as written: `1个工作日`, `当日办结`.
pub fn time_limit(text: &str) -> Option<String> {
    TIME_LIMIT.find(text).map(|m| m.as_str().trim().to_string())
}

/// A chart-wide time limit line: `办理时限：20个工作日`, or a note that
/// counts it (`注:1、从接到申请之日算起 20 个工作日(节假日除外)内办理`).
pub fn time_limit_line(line: &str, rules: &Rules) -> Option<String> {
    static COUNTED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^注\s*[:：].*?起\s*([0-9０-９一二三四五六七八九十两]+\s*个?\s*(?:工作日|自然日|日|天))[^。；;]*?内")
            .expect("static regex")
    });
    if let Some((_, rest)) = after_label(line, &rules.time_limit_labels, rules) {
        return time_limit(rest);
    }
    // The pattern opens with `注`: a line whose first character does not
    // fold to it (nearly all; this runs on every line of a chart's head)
    // is told without folding the line or running the pattern.
    let line = line.trim();
    let first = line.chars().next().map_or(0, char::len_utf8);
    if rules.variants.fold(&line[..first]) != "注" {
        return None;
    }
    let folded = rules.variants.fold(line);
    COUNTED
        .captures(&folded)
        .map(|c| compact(&c[1]).into_owned())
}

/// A step box's text → Step (seq filled in by the caller).
/// `窗口受理,责任人: 熊用云(时限1个工作日)` → name 窗口受理, actor 熊用云, time limit 1个工作日.
pub fn step(raw: &str, rules: &Rules) -> Step {
    let raw = raw.trim();
    let one_line = raw.replace(['\n', '\r'], " ");
    let mut head = one_line.as_str();
    let mut actor = None;
    let mut limit = None;
    // The head ends at the first bracket or semicolon, or at a comma that
    // opens an actor tail (`窗口受理,责任人:…`); other commas are part of the
    // name (`对外贸易发展室,进行初审`).
    let opens_actor = |tail: &str| {
        let t = tail.trim_start();
        rules.actor_labels.iter().any(|l| t.starts_with(l.as_str()))
    };
    // A bracket cuts when it holds an actor or a time limit or ends the
    // box; one inside the sentence (`局外会议(活动)通知`) is part of it.
    let bracket_cuts = |rest: &str| {
        let close = rest.find([')', '）']);
        let inner = close.map_or(rest, |e| &rest[..e]);
        let after = close.map_or("", |e| rest[e..].trim_start_matches([')', '）']).trim());
        after.is_empty()
            || time_limit(inner).is_some()
            || rules
                .actor_labels
                .iter()
                .any(|l| inner.contains(l.as_str()))
    };
    let cut = head.char_indices().find(|&(i, c)| match c {
        '(' | '（' => bracket_cuts(&head[i + c.len_utf8()..]),
        ';' | '；' | ',' | '，' => opens_actor(&head[i + c.len_utf8()..]),
        _ => false,
    });
    if let Some((i, _)) = cut {
        let tail = &head[i..];
        head = &head[..i];
        let tail_clean = tail.trim_start_matches([',', '，', ';', '；']).trim();
        for label in &rules.actor_labels {
            if let Some(pos) = tail_clean.find(label.as_str()) {
                let after = tail_clean[pos + label.len()..]
                    .trim_start()
                    .trim_start_matches(['：', ':'])
                    .trim_start();
                let end = after
                    .find(['(', '（', ',', '，', ';', '；', ')', '）'])
                    .unwrap_or(after.len());
                let name = after[..end].trim();
                if !name.is_empty() {
                    actor = Some(name.to_string());
                }
                break;
            }
        }
        limit = time_limit(tail);
    } else if let Some(m) = TIME_LIMIT.find(head) {
        // `受理（1个工作日）` handled above; `受理 1个工作日` here. A time
        // inside the sentence (`各处室15日内向信访办提供答复意见`) is part
        // of the step's name.
        let ends = matches!(head[m.end()..].trim(), "" | "内" | "以内" | "内办结");
        if ends && !head[..m.start()].trim().is_empty() {
            limit = Some(m.as_str().trim().to_string());
            head = head[..m.start()].trim_end();
        }
    }
    Step {
        seq: 0,
        name: squeeze_cjk(head),
        raw: raw.to_string(),
        actor,
        time_limit: limit,
    }
}

/// Does this box look like a step (short, no list marker, one line)?
pub fn looks_like_step(text: &str, rules: &Rules) -> bool {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.len() != 1 {
        return false;
    }
    let s = step(lines[0], rules);
    let n = s.name.chars().count();
    let count = |set: &[char]| lines[0].chars().filter(|c| set.contains(c)).count();
    // The end of a wrapped line (`作日)`) closes a bracket it never opened.
    let scrap = count(&[')', '）']) > count(&['(', '（']);
    // One character alone is a piece of vertical text, not a step.
    !scrap
        && !is_organisation(lines[0], rules)
        && !s.name.ends_with("职责")
        && n >= 2
        && n <= rules.step_max_chars
        && crate::recognise::markers::split_marker(lines[0])
            .marker
            .is_none()
        && !s.name.contains('。')
        && !s.name.ends_with(['；', ';'])
}

/// Is this line a note written beside a flow — the materials to bring, the
/// legal basis (`备案登记所需材料:1、…`, `2、办理依据:《…》`)? The words
/// before its first colon end in a note label (`rules/steps.toml [notes]`).
pub fn is_note_line(line: &str, rules: &Rules) -> bool {
    let text = crate::recognise::markers::split_marker(line.trim()).text;
    let Some(at) = text.find(['：', ':']) else {
        return false;
    };
    let folded = rules.variants.fold(&text[..at]);
    let head = compact(&folded);
    head.chars().count() <= 12
        && rules
            .notes
            .labels
            .iter()
            .any(|l| head.ends_with(l.as_str()))
}

/// Is this line a verdict written on an arrow (`初审合格`, `不予批准`)?
pub fn is_arrow_label(text: &str, rules: &Rules) -> bool {
    let a = &rules.arrows;
    let c = compact(text);
    let n = c.chars().count();
    if n == 0 || n > a.max_chars || c.contains(|ch: char| !ch.is_alphanumeric()) {
        return false;
    }
    let passed = a
        .passed
        .iter()
        .any(|w| !w.is_empty() && c.ends_with(w.as_str()) && n > w.chars().count());
    let failed = a
        .failed
        .iter()
        .any(|w| !w.is_empty() && (c.starts_with(w.as_str()) || c.ends_with(w.as_str())));
    passed || failed
}

/// Is the step name one of the step words (or made of one plus a few characters)?
pub fn is_step_word(name: &str, rules: &Rules) -> bool {
    let name = rules.variants.fold(name);
    rules.step_words.iter().any(|w| name.contains(w.as_str()))
}

static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[0-9０-９][0-9０-９\-－—() （）]{3,}[0-9０-９]").expect("static regex")
});

/// The contact kind of a label cell/line (`服务电话` → service).
pub fn contact_label(text: &str, rules: &Rules) -> Option<String> {
    let folded = rules.variants.fold(text);
    // A label can be in the text only if each of its characters is: told
    // for all labels from one pass over the text (a search per label
    // through every box was a hot spot of layout).
    let present = CharSet::of(&folded);
    rules
        .contacts
        .iter()
        .filter(|c| c.label.chars().all(|ch| present.may_hold(ch)))
        .find(|c| contains_unspaced(&folded, &c.label))
        .map(|c| c.kind.clone())
}

/// Which characters a text may hold, as 64 bits (each character sets
/// the bit of its code point modulo 64): a character whose bit is clear
/// is not in the text.
struct CharSet(u64);

impl CharSet {
    fn of(text: &str) -> CharSet {
        CharSet(text.chars().fold(0, |bits, c| bits | 1 << (c as u32 % 64)))
    }

    fn may_hold(&self, c: char) -> bool {
        self.0 & 1 << (c as u32 % 64) != 0
    }
}

/// Does `hay` with its whitespace removed contain `word`? Told without
/// making that string: this runs on every box of every chart, most of
/// them long.
fn contains_unspaced(hay: &str, word: &str) -> bool {
    let Some(first) = word.chars().next() else {
        return true;
    };
    hay.match_indices(first).any(|(at, _)| {
        let mut rest = hay[at..].chars().filter(|c| !c.is_whitespace());
        word.chars().all(|w| rest.next() == Some(w))
    })
}

/// A phone number in `text`.
pub fn phone(text: &str) -> Option<String> {
    PHONE.find(text).map(|m| m.as_str().trim().to_string())
}

/// Contacts written inline: `服务电话：8583591  监管电话：8583592`.
pub fn contacts_inline(text: &str, rules: &Rules) -> Vec<Contact> {
    let folded = rules.variants.fold(text);
    let s = compact(&folded);
    // (label start, label end, contact)
    let mut found: Vec<(usize, usize, Contact)> = Vec::new();
    for c in &rules.contacts {
        let mut from = 0;
        while let Some(pos) = s[from..].find(c.label.as_str()) {
            let start = from + pos;
            let after = start + c.label.len();
            from = after;
            // A longer label (监督投诉电话) already claimed this place.
            if found.iter().any(|(p, e, _)| *p <= start && start < *e) {
                continue;
            }
            let rest = s[after..].trim_start_matches(['：', ':']);
            let stop = rules
                .contacts
                .iter()
                .filter_map(|o| rest.find(o.label.as_str()))
                .min()
                .unwrap_or(rest.len());
            if let Some(number) = phone(&rest[..stop]) {
                found.push((
                    start,
                    after,
                    Contact {
                        kind: c.kind.clone(),
                        number,
                    },
                ));
            }
        }
    }
    found.sort_by_key(|(p, _, _)| *p);
    found.into_iter().map(|(_, _, c)| c).collect()
}

/// Is this line page furniture or download-site noise?
pub fn is_noise(line: &str, rules: &Rules) -> bool {
    let s = rules.variants.fold(line.trim());
    rules.noise.is_match(&s)
}

/// Is this box a column header (`防控措施\n及责任人`)? Returns which column.
pub fn header_kind(text: &str, rules: &Rules) -> Option<Column> {
    // A header is matched whole or by a prefix or suffix, so a text longer
    // than every header (most boxes) is none; told without folding or
    // compacting it (neither changes its length without whitespace).
    let longest = [
        &rules.header_measures,
        &rules.header_risks,
        &rules.header_steps,
    ]
    .into_iter()
    .flatten()
    .map(String::len)
    .max()
    .unwrap_or(0);
    if text.split(char::is_whitespace).map(str::len).sum::<usize>() > longest {
        return None;
    }
    let folded = rules.variants.fold(text);
    let s = compact(&folded);
    if s.is_empty() {
        return None;
    }
    // A header split over two lines in text (`防控措施` / `及责任人`) leaves
    // fragments: a prefix or suffix of at least 3 characters of a longer header.
    let is = |list: &[String]| {
        // Header words are stored without whitespace.
        list.iter().any(|h| {
            *h == s
                || (h.chars().count() >= 6
                    && s.chars().count() >= 3
                    && (h.starts_with(&*s) || h.ends_with(&*s)))
        })
    };
    if is(&rules.header_measures) {
        Some(Column::Measures)
    } else if is(&rules.header_risks) {
        Some(Column::Risks)
    } else if is(&rules.header_steps) {
        Some(Column::Steps)
    } else {
        None
    }
}

/// The three columns of a flow chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Measures,
    Steps,
    Risks,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_drops_every_kind_of_space() {
        assert_eq!(compact(" 风险\u{3000}等级 \t：\u{a0}高\n"), "风险等级：高");
        assert_eq!(compact("无空白"), "无空白");
        // Nothing to take out: nothing copied.
        assert!(matches!(compact("无空白"), Cow::Borrowed("无空白")));
        assert!(matches!(compact("有 空白"), Cow::Owned(_)));
        assert_eq!(compact(""), "");
    }

    fn r() -> Rules {
        Rules::builtin()
    }

    #[test]
    fn a_label_is_found_where_its_colon_follows_it() {
        let line = "部门职责 部门：营销部";
        assert_eq!(find_with_colon(line, "部门", '：'), line.find("部门："));
        assert_eq!(find_with_colon(line, "部门", ':'), None);
        assert_eq!(find_with_colon("a:b", "", ':'), Some(1));
        // Occurrences that overlap: the one the colon follows.
        assert_eq!(find_with_colon("aaa:", "aa", ':'), "aaa:".find("aa:"));
    }

    #[test]
    fn compact_drops_exactly_the_characters_rust_calls_whitespace() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let line = format!("风险{c}点 {c}");
            let want: String = line.split(char::is_whitespace).collect();
            assert_eq!(compact(&line), want, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn a_title_may_open_with_a_year() {
        let r = r();
        assert!(is_title(
            "2020年党风廉政风险工作流程图及廉政风险点防控一览表",
            &r
        ));
        // A year, generic words and a page mark name nothing.
        assert_eq!(
            title_name("2020年廉政风险工作流程图及廉政风险点防控一览表9-9", &r),
            None
        );
        assert!(!is_title("1.绘制权力运行流程图", &r));
    }

    #[test]
    fn a_time_inside_a_step_sentence_stays_in_its_name() {
        let r = r();
        let s = step("30日内向信访人出具答复意见", &r);
        assert_eq!(
            (s.name.as_str(), s.time_limit),
            ("30日内向信访人出具答复意见", None)
        );
        let s = step("受理 1个工作日", &r);
        assert_eq!(
            (s.name.as_str(), s.time_limit.as_deref()),
            ("受理", Some("1个工作日"))
        );
        // A bracket or semicolon inside the sentence is part of the name;
        // one that holds the actor or the time limit is not.
        let s = step("接收、办理局外会议(活动)通知;接转外单位电话,作记录", &r);
        assert_eq!(s.name, "接收、办理局外会议(活动)通知;接转外单位电话,作记录");
        let s = step("窗口受理,责任人: 熊用云(时限1个工作日)", &r);
        assert_eq!(
            (s.name.as_str(), s.actor.as_deref(), s.time_limit.as_deref()),
            ("窗口受理", Some("熊用云"), Some("1个工作日"))
        );
        let s = step("受理（1个工作日）", &r);
        assert_eq!(
            (s.name.as_str(), s.time_limit.as_deref()),
            ("受理", Some("1个工作日"))
        );
    }

    #[test]
    fn a_name_runs_on_into_the_header_line() {
        let r = r();
        assert_eq!(
            name_continuation("对可能被转移、隐匿或者灭失的资料予以封存风险点等级", &r).as_deref(),
            Some("对可能被转移、隐匿或者灭失的资料予以封存")
        );
        // Its first four characters are enough; three are not.
        assert_eq!(
            name_continuation("资料予以封存风险点等", &r).as_deref(),
            Some("资料予以封存")
        );
        assert_eq!(name_continuation("资料予以封存风险点", &r), None);
        // A header alone, a picture mark before a header, an item: no.
        assert_eq!(name_continuation("风险点等级", &r), None);
        assert_eq!(name_continuation("[image: ][image: ]风险点等级", &r), None);
        assert_eq!(name_continuation("1.擅自改变审查结论。", &r), None);
    }

    #[test]
    fn names_from_titles() {
        let r = r();
        let name = |t: &str| title_name(t, &r);
        assert_eq!(
            name("公开招录公务员和事业单位人员廉政风险点监管工作流程图").as_deref(),
            Some("公开招录公务员和事业单位人员")
        );
        assert_eq!(
            name("商务局（招商办）机关物资采购风险流程图(10)").as_deref(),
            Some("商务局（招商办）机关物资采购")
        );
        assert_eq!(
            name("综合科廉政风险点及防护措施").as_deref(),
            Some("综合科")
        );
        assert_eq!(
            name("二、行政处罚类一般程序流程图").as_deref(),
            Some("行政处罚类一般程序")
        );
        assert_eq!(name("财务核算流程图").as_deref(), Some("财务核算"));
        assert_eq!(name("文件处理流程").as_deref(), Some("文件处理流程"));
        assert_eq!(name("政务公开流程表").as_deref(), Some("政务公开流程表"));
        assert_eq!(name("2021年廉政风险点防控措施一览表"), None);
        assert_eq!(name("权力运行廉政风险防控图<行政裁决类1>"), None);
        assert_eq!(
            name("1.分管领导审批流程图").as_deref(),
            Some("分管领导审批")
        );
    }

    #[test]
    fn generic_titles_name_nothing() {
        let r = r();
        assert_eq!(title_name("廉政风险流程图", &r), None);
        assert_eq!(
            title_name("一、来信来访来电受理 1、流程图", &r).as_deref(),
            Some("来信来访来电受理")
        );
        assert_eq!(
            title_name("办公室廉政风险防控流程图", &r).as_deref(),
            Some("办公室")
        );
        assert_eq!(
            title_number("对外贸易经营者备案风险流程图(3)").as_deref(),
            Some("3")
        );
        assert_eq!(title_number("财务核算流程图"), None);
    }

    #[test]
    fn image_placeholders_are_not_text() {
        assert_eq!(
            without_image_marks("[image: ][image: ]申    请"),
            "申    请"
        );
        assert_eq!(without_image_marks("[image: a.png]"), "");
        assert_eq!(without_image_marks("受理 [image: ]"), "受理 [image: ]");
    }

    #[test]
    fn run_together_statements_split_before_the_next_item() {
        let r = r();
        assert_eq!(
            split_run_together("风险等级:低1.擅自增加或者减少审查条件。", &r),
            vec!["风险等级:低", "1.擅自增加或者减少审查条件。"]
        );
        assert_eq!(
            split_run_together("责任人:受理人1.量化审查标准，严格按审查细则操作。", &r),
            vec!["责任人:受理人", "1.量化审查标准，严格按审查细则操作。"]
        );
        assert_eq!(
            split_run_together("1.按第2.款办理。", &r),
            vec!["1.按第2.款办理。"]
        );
        assert_eq!(split_run_together("风险等级：中", &r), vec!["风险等级：中"]);
        assert_eq!(
            split_run_together("风险表现:超标准、 未上会研究签批 2、采购批准单。", &r),
            vec!["风险表现:超标准、 未上会研究签批", "2、采购批准单。"]
        );
        // Without the space, or without the lead-in, the line stays whole.
        assert_eq!(
            split_run_together("风险表现:超标准2、采购批准单。", &r).len(),
            1
        );
        assert_eq!(split_run_together("共有 2、3 人参加", &r).len(), 1);
        // Markers with no ASCII digit: a circled number, a bracketed Han one.
        assert_eq!(
            split_run_together("风险等级：高①擅自增加审查条件。", &r),
            vec!["风险等级：高", "①擅自增加审查条件。"]
        );
        assert_eq!(
            split_run_together("风险等级：高（一）擅自增加审查条件。", &r),
            vec!["风险等级：高", "（一）擅自增加审查条件。"]
        );
        // After an ASCII letter or a sign, a number is no item's marker.
        assert_eq!(
            split_run_together("风险等级：A1.擅自增加审查条件。", &r).len(),
            1
        );
        assert_eq!(
            split_run_together("风险等级：高，1.擅自增加审查条件。", &r).len(),
            1
        );
    }

    #[test]
    fn field_lines_are_not_titles_and_names_stop_at_the_next_label() {
        let r = r();
        assert!(!is_title("风险表现:办事拖拉,超规定时限,未能及时发证", &r));
        // A step's explanation carrying its risk label and 风险表现.
        assert!(!is_title(
            "经办人填写采购申请单。 风险点 B-1等级 中 风险表现:虚报采购数量",
            &r
        ));
        assert!(is_title("岗位廉政风险表", &r));
        assert!(is_title("文件处理流程", &r));
        assert!(!is_title("权力运行流程", &r));
        assert!(!is_title("[image: ][image: ]工作流程", &r));
        assert_eq!(
            name_line("岗位名称:客服岗部门:营销部工作内容:顾客投诉", &r).as_deref(),
            Some("客服岗")
        );
    }

    #[test]
    fn responsible_labels() {
        let r = r();
        assert_eq!(
            responsible_line("责任人：受理人", &r),
            Some(vec!["受理人".into()])
        );
        assert_eq!(
            responsible_line("责任人:受理人", &r),
            Some(vec!["受理人".into()])
        );
        assert_eq!(
            responsible_line("责任主体：社保经办人员", &r),
            Some(vec!["社保经办人员".into()])
        );
        assert_eq!(
            responsible_line("责任人员：科长、分管领导。", &r),
            Some(vec!["科长".into(), "分管领导".into()])
        );
        assert_eq!(
            responsible_line("（责任人：办公室文书室）", &r),
            Some(vec!["办公室文书室".into()])
        );
        // The label's first character written traditional (責): a line is
        // passed over by its first character only as folded.
        assert_eq!(
            responsible_line("責任人：受理人", &r),
            Some(vec!["受理人".into()])
        );
        assert_eq!(responsible_line("任人：受理人", &r), None);
        assert_eq!(responsible_line("", &r), None);
        assert_eq!(responsible_line("1.建立责任人制度", &r), None);
        assert!(is_responsible_line("（责任人：办公室文书室）", &r));
        assert!(!is_responsible_line("1.建立责任人制度", &r));
    }

    /// Separators of several characters (a rule file may give them) split
    /// in turn, as written; the one-character ones in one pass, the same.
    #[test]
    fn responsible_names_split_by_longer_separators() {
        let mut r = r();
        assert_eq!(
            responsible_line("责任人：科长、分管领导/主任；；股长", &r),
            Some(vec![
                "科长".into(),
                "分管领导".into(),
                "主任".into(),
                "股长".into()
            ])
        );
        r.responsible_split = vec!["和".into(), "及其".into(), "、".into()];
        assert_eq!(
            responsible_line("责任人：科长和分管领导及其股长、主任/副主任", &r),
            Some(vec![
                "科长".into(),
                "分管领导".into(),
                "股长".into(),
                "主任/副主任".into()
            ])
        );
    }

    #[test]
    fn titles_and_categories() {
        let r = r();
        assert!(is_title("权力运行廉政风险防控图<行政给付类2>", &r));
        assert!(is_title("干部任免廉政风险点监管工作流程图", &r));
        assert!(!is_title("职权名称：企业退休人员基本养老金待遇给付", &r));
        assert_eq!(
            category("权力运行廉政风险防控图<行政给付类2>", &r),
            (
                Some("行政给付".into()),
                Some("行政给付类2".into()),
                Some("2".into())
            )
        );
        assert_eq!(
            category("权力运行廉政风险防控图（其他权力类12）", &r),
            (
                Some("其他权力".into()),
                Some("其他权力类12".into()),
                Some("12".into())
            )
        );
        assert_eq!(
            category("权力运行廉政风险防控图<其他权力15>", &r),
            (
                Some("其他权力".into()),
                Some("其他权力15".into()),
                Some("15".into())
            )
        );
        assert_eq!(category("财务核算流程图", &r), (None, None, None));
        assert_eq!(category("廉政风险防控图（试行）", &r), (None, None, None));
    }

    #[test]
    fn names_and_departments() {
        let r = r();
        assert_eq!(
            name_line("职权名称：企业退休人员基本养老金待遇给付", &r).as_deref(),
            Some("企业退休人员基本养老金待遇给付")
        );
        assert_eq!(
            name_line("权力名称:工伤保险", &r).as_deref(),
            Some("工伤保险")
        );
        assert_eq!(
            name_line("职权名称：企业年度报告风险点等级", &r).as_deref(),
            Some("企业年度报告")
        );
        assert!(is_department("长治高新区组织和人力资源部", &r));
        assert!(!is_department("1.建立受理单制度。", &r));
    }

    #[test]
    fn steps_with_actor_and_time() {
        let r = r();
        let s = step("窗口受理,责任人: 熊用云(时限1个工作日)", &r);
        assert_eq!(s.name, "窗口受理");
        assert_eq!(s.actor.as_deref(), Some("熊用云"));
        assert_eq!(s.time_limit.as_deref(), Some("1个工作日"));
        let s = step("受    理", &r);
        assert_eq!((s.name.as_str(), s.raw.as_str()), ("受理", "受    理"));
        assert_eq!(s.actor, None);
        let s = step("审核（3个工作日）", &r);
        assert_eq!(
            (s.name.as_str(), s.time_limit.as_deref()),
            ("审核", Some("3个工作日"))
        );
        assert!(looks_like_step("申    请", &r));
        assert!(!looks_like_step("1.建立受理单制度。", &r));
        // A letterhead, a duty list's heading, vertical text, a wrapped scrap.
        assert!(!looks_like_step("周口市人民防空办公室", &r));
        assert!(!looks_like_step("综合科科室职责", &r));
        assert!(!looks_like_step("材", &r));
        assert!(!looks_like_step("作日)", &r));
        // A sentence end inside: two pieces of sentences, not a step name.
        assert!(!looks_like_step("人员在场,互相监督。负责", &r));
        assert!(looks_like_step("报市人社局工资科审批", &r));
        assert!(looks_like_step("办公室(认定)", &r));
    }

    #[test]
    fn contacts() {
        let r = r();
        assert_eq!(
            contacts_inline("服务电话：0355-8583591  监督投诉电话：12345", &r),
            vec![
                Contact {
                    kind: "service".into(),
                    number: "0355-8583591".into()
                },
                Contact {
                    kind: "complaint".into(),
                    number: "12345".into()
                }
            ]
        );
        assert_eq!(contact_label("服务电话", &r), Some("service".into()));
        assert_eq!(contact_label("监督投诉电话", &r), Some("complaint".into()));
        // Spaces and a line break inside the label, traditional characters.
        assert_eq!(
            contact_label("受理 监督\n投訴 電話：12345", &r),
            Some("complaint".into())
        );
        assert_eq!(contact_label("监督 检查", &r), None);
    }

    #[test]
    fn headers_and_noise() {
        let r = r();
        assert_eq!(
            header_kind("防控措施\n及责任人", &r),
            Some(Column::Measures)
        );
        assert_eq!(
            header_kind("风险点等级\n及表现形式", &r),
            Some(Column::Risks)
        );
        assert_eq!(header_kind("工作流程", &r), Some(Column::Steps));
        assert_eq!(header_kind("受理", &r), None);
        assert_eq!(header_kind("及责任人", &r), Some(Column::Measures));
        assert_eq!(header_kind("风险点等级", &r), Some(Column::Risks));
        assert_eq!(header_kind("及表现形式", &r), Some(Column::Risks));
        assert_eq!(header_kind("审核", &r), None);
        assert!(is_noise("查看原图(29K)", &r));
        assert!(is_noise("打印此文 关闭窗口", &r));
        assert!(!is_noise("1.建立受理制度。", &r));
    }

    #[test]
    fn traditional_wording_is_recognised_and_kept_as_written() {
        let r = r();
        assert_eq!(
            responsible_line("責任主體：財務科", &r),
            Some(vec!["財務科".into()])
        );
        assert!(is_title("財務管理廉政風險點防控一覽表", &r));
        assert_eq!(
            header_kind("風險點等級\n及表現形式", &r),
            Some(Column::Risks)
        );
        assert_eq!(
            category("權力運行廉政風險防控圖<行政給付類2>", &r),
            (
                Some("行政给付".into()),
                Some("行政給付類2".into()),
                Some("2".into())
            )
        );
        assert!(!is_title(
            "您所在的位置: 首页 > 权责清单 > 行政职权运行流程图示例",
            &r
        ));
    }

    #[test]
    fn squeeze() {
        assert_eq!(squeeze_cjk("申    请"), "申请");
        assert_eq!(squeeze_cjk("事后 监管"), "事后监管");
        assert_eq!(squeeze_cjk("ICP 备案"), "ICP备案");
    }

    #[test]
    fn notes_beside_a_flow_are_told_by_their_label() {
        let r = Rules::builtin();
        assert!(is_note_line(
            "备案登记所需材料:1、备案登记表 ,2、营业执照",
            &r
        ));
        assert!(is_note_line("2、办理依据:《酒类流通管理办法》", &r));
        // A risk that mentions materials has no label before a colon.
        assert!(!is_note_line("风险表现:材料作假,不符合有关规定", &r));
        assert!(!is_note_line("1.不按规定审查申请材料", &r));
        assert_eq!(
            time_limit_line(
                "注:1、从接到申请之日算起 20 个工作日(节假日除外)内办理 。",
                &r
            )
            .as_deref(),
            Some("20个工作日")
        );
        assert_eq!(
            time_limit_line("办理时限：20个工作日", &r).as_deref(),
            Some("20个工作日")
        );
        // A note that counts nothing gives no time limit.
        assert_eq!(time_limit_line("注:1、办理依据见附件", &r), None);
        // Indented, as a note under a chart often is; not opening the line,
        // `注` starts no note.
        assert_eq!(
            time_limit_line("  注：自受理之日起 5 个工作日内办结", &r).as_deref(),
            Some("5个工作日")
        );
        assert_eq!(
            time_limit_line("备注：自受理之日起 5 个工作日内办结", &r),
            None
        );
    }

    #[test]
    fn a_department_label_gives_the_department() {
        let r = Rules::builtin();
        let dep = |l: &str| labelled_department(l, &r);
        assert_eq!(
            dep("岗位名称:客服岗部门:营销部工作内容:顾客投诉").as_deref(),
            Some("营销部")
        );
        assert_eq!(dep("部门：综合办公室").as_deref(), Some("综合办公室"));
        // Another label's 部门, and a value that is no department.
        assert_eq!(dep("责任部门：办公室"), None);
        assert_eq!(
            dep("岗位名称:客服岗部门:营信息接收、传递、处理、反馈"),
            None
        );
    }
}

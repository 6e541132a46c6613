//! HTML character references: `&amp;`, `&#20013;`, `&#x4E2D;` and the named
//! ones that occur in Chinese government pages.

/// Named references we decode. `&nbsp;` is handled by the caller (it is a
/// space that does not collapse), but is listed so it is recognised.
const NAMED: &[(&str, char)] = &[
    ("nbsp", '\u{A0}'),
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("mdash", '—'),
    ("ndash", '–'),
    ("middot", '·'),
    ("hellip", '…'),
    ("bull", '•'),
    ("times", '×'),
    ("divide", '÷'),
    ("deg", '°'),
    ("plusmn", '±'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("sect", '§'),
    ("para", '¶'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("lsaquo", '‹'),
    ("rsaquo", '›'),
    ("yen", '¥'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("thinsp", '\u{2009}'),
    ("permil", '‰'),
    ("prime", '′'),
    ("larr", '←'),
    ("rarr", '→'),
    ("uarr", '↑'),
    ("darr", '↓'),
    ("harr", '↔'),
    ("rArr", '⇒'),
    ("le", '≤'),
    ("ge", '≥'),
    ("ne", '≠'),
    ("radic", '√'),
    ("star", '☆'),
    ("starf", '★'),
    ("check", '✓'),
    ("cross", '✗'),
    ("zwsp", '\u{200B}'),
];

/// Legacy names a browser also accepts without the `;`.
const NO_SEMICOLON: [&str; 6] = ["nbsp", "amp", "lt", "gt", "quot", "copy"];

/// Decode the reference at the start of `s` (which begins with `&`): the
/// character and the number of bytes consumed, or `None` when it is not a
/// reference (the `&` is then literal text).
pub fn decode_at(s: &str) -> Option<(char, usize)> {
    let body = s.strip_prefix('&')?;
    if let Some(num) = body.strip_prefix('#') {
        return numeric(num).map(|(c, len)| (c, len + 2));
    }
    let name_len = body
        .bytes()
        .take(10)
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    let name = &body[..name_len];
    let (&(_, c), semicolon) = (
        NAMED.iter().find(|(n, _)| *n == name)?,
        body.as_bytes().get(name_len) == Some(&b';'),
    );
    if semicolon {
        Some((c, name_len + 2))
    } else if NO_SEMICOLON.contains(&name) {
        Some((c, name_len + 1))
    } else {
        None
    }
}

/// `#123;` or `#x7B;` after the `&#`: the character and the bytes used after `&#`.
/// Out-of-range and surrogate code points become U+FFFD, as in a browser.
fn numeric(s: &str) -> Option<(char, usize)> {
    let (digits_from, radix) = match s.as_bytes().first() {
        Some(b'x' | b'X') => (1, 16),
        _ => (0, 10),
    };
    let digits = s
        .get(digits_from..)?
        .bytes()
        .take_while(|&b| (b as char).is_digit(radix))
        .count();
    if digits == 0 {
        return None;
    }
    let text = &s[digits_from..digits_from + digits];
    let significant = text.trim_start_matches('0');
    // More than 8 significant digits is out of range in either radix.
    let value = match significant.len() {
        0 => 0,
        1..=8 => u32::from_str_radix(significant, radix).unwrap_or(u32::MAX),
        _ => u32::MAX,
    };
    let c = match value {
        0 => '\u{FFFD}',
        v => char::from_u32(v).unwrap_or('\u{FFFD}'),
    };
    let semicolon = usize::from(s.as_bytes().get(digits_from + digits) == Some(&b';'));
    Some((c, digits_from + digits + semicolon))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_and_numeric() {
        assert_eq!(decode_at("&amp;x"), Some(('&', 5)));
        assert_eq!(decode_at("&ldquo;风险&rdquo;"), Some(('“', 7)));
        assert_eq!(decode_at("&mdash;"), Some(('—', 7)));
        assert_eq!(decode_at("&middot;"), Some(('·', 8)));
        assert_eq!(decode_at("&hellip;"), Some(('…', 8)));
        assert_eq!(decode_at("&nbsp"), Some(('\u{A0}', 5)));
        assert_eq!(decode_at("&#20013;"), Some(('中', 8)));
        assert_eq!(decode_at("&#x4E2D;"), Some(('中', 8)));
        assert_eq!(decode_at("&#X4e2d"), Some(('中', 7)));
        assert_eq!(decode_at("&#xD800;"), Some(('\u{FFFD}', 8)));
        assert_eq!(decode_at("&#99999999999;"), Some(('\u{FFFD}', 14)));
        assert_eq!(decode_at("&#0000000000065;"), Some(('A', 16)));
        assert_eq!(decode_at("&#;"), None);
        assert_eq!(decode_at("&unknown;"), None);
        assert_eq!(decode_at("&mdash"), None);
        assert_eq!(decode_at("&"), None);
    }
}

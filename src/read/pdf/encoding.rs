//! Simple-font encodings (one byte per code) and glyph names → Unicode, for
//! fonts without a `ToUnicode` map.

/// The base encodings a simple font may name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Base {
    Standard,
    WinAnsi,
    MacRoman,
}

impl Base {
    pub fn from_name(name: &[u8]) -> Option<Base> {
        match name {
            b"WinAnsiEncoding" => Some(Base::WinAnsi),
            b"MacRomanEncoding" | b"MacExpertEncoding" => Some(Base::MacRoman),
            b"StandardEncoding" | b"PDFDocEncoding" => Some(Base::Standard),
            _ => None,
        }
    }

    /// The 256-entry table of this encoding.
    pub fn table(self) -> [Option<char>; 256] {
        let mut t = [None; 256];
        let enc = match self {
            Base::MacRoman => encoding_rs::MACINTOSH,
            _ => encoding_rs::WINDOWS_1252,
        };
        for (i, slot) in t.iter_mut().enumerate() {
            let byte = [i as u8];
            let (s, _, bad) = enc.decode(&byte);
            if !bad && (i >= 0x20 || i == 9) {
                *slot = s.chars().next();
            }
        }
        if self == Base::Standard {
            t[0x27] = Some('\u{2019}');
            t[0x60] = Some('\u{2018}');
        }
        t
    }
}

/// Glyph names beyond `uniXXXX`/`uXXXX[XX]` and single letters: the common
/// Latin names of the Adobe Glyph List (enough for the standard encodings).
const NAMES: &[(&str, char)] = &[
    ("space", ' '),
    ("exclam", '!'),
    ("quotedbl", '"'),
    ("numbersign", '#'),
    ("dollar", '$'),
    ("percent", '%'),
    ("ampersand", '&'),
    ("quotesingle", '\''),
    ("quoteright", '\u{2019}'),
    ("parenleft", '('),
    ("parenright", ')'),
    ("asterisk", '*'),
    ("plus", '+'),
    ("comma", ','),
    ("hyphen", '-'),
    ("minus", '\u{2212}'),
    ("period", '.'),
    ("slash", '/'),
    ("zero", '0'),
    ("one", '1'),
    ("two", '2'),
    ("three", '3'),
    ("four", '4'),
    ("five", '5'),
    ("six", '6'),
    ("seven", '7'),
    ("eight", '8'),
    ("nine", '9'),
    ("colon", ':'),
    ("semicolon", ';'),
    ("less", '<'),
    ("equal", '='),
    ("greater", '>'),
    ("question", '?'),
    ("at", '@'),
    ("bracketleft", '['),
    ("backslash", '\\'),
    ("bracketright", ']'),
    ("asciicircum", '^'),
    ("underscore", '_'),
    ("grave", '`'),
    ("quoteleft", '\u{2018}'),
    ("braceleft", '{'),
    ("bar", '|'),
    ("braceright", '}'),
    ("asciitilde", '~'),
    ("bullet", '\u{2022}'),
    ("endash", '\u{2013}'),
    ("emdash", '\u{2014}'),
    ("quotedblleft", '\u{201C}'),
    ("quotedblright", '\u{201D}'),
    ("ellipsis", '\u{2026}'),
    ("degree", '\u{B0}'),
    ("multiply", '\u{D7}'),
    ("divide", '\u{F7}'),
    ("section", '\u{A7}'),
    ("copyright", '\u{A9}'),
    ("registered", '\u{AE}'),
    ("trademark", '\u{2122}'),
    ("periodcentered", '\u{B7}'),
    ("fi", '\u{FB01}'),
    ("fl", '\u{FB02}'),
    ("nbspace", '\u{A0}'),
];

/// The text of a glyph name: `uni4E00`, `u1F600`, `A`, `comma`, `a.sc`.
pub fn glyph_unicode(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    // `a.sc`, `one.oldstyle`: the part before the dot names the character.
    let name = name.split('.').next().unwrap_or(name);
    if let Some(hex) = name.strip_prefix("uni")
        && hex.len() >= 4
        && hex.len() % 4 == 0
    {
        let units: Option<Vec<u16>> = hex
            .as_bytes()
            .chunks(4)
            .map(|c| u16::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
            .collect();
        return Some(
            char::decode_utf16(units?)
                .map(|r| r.unwrap_or('\u{FFFD}'))
                .collect(),
        );
    }
    if let Some(hex) = name.strip_prefix('u')
        && (4..=6).contains(&hex.len())
        && let Ok(v) = u32::from_str_radix(hex, 16)
    {
        return char::from_u32(v).map(String::from);
    }
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_ascii_alphabetic()
    {
        return Some(c.to_string());
    }
    NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(glyph_unicode(b"uni5EFA").as_deref(), Some("建"));
        assert_eq!(glyph_unicode(b"u1F600").as_deref(), Some("😀"));
        assert_eq!(glyph_unicode(b"comma").as_deref(), Some(","));
        assert_eq!(glyph_unicode(b"g.sc").as_deref(), Some("g"));
        assert_eq!(glyph_unicode(b"g123"), None);
    }

    #[test]
    fn win_ansi_upper_half() {
        let t = Base::WinAnsi.table();
        assert_eq!(t[0x80], Some('€'));
        assert_eq!(t[b'A' as usize], Some('A'));
    }
}

//! RTF tokens: groups, control words with their numeric parameter, control
//! symbols, `\'hh` bytes and runs of literal text. `\binN` data is skipped
//! here (within the input), so no caller ever sees raw binary.

#[derive(Debug, Clone, PartialEq)]
pub enum Token<'a> {
    Open,
    Close,
    /// `\word` or `\word-12`; the name is ASCII letters only.
    Word(&'a str, Option<i32>),
    /// `\~`, `\-`, `\*`, `\{` …
    Symbol(u8),
    /// `\'hh`.
    Byte(u8),
    /// Literal bytes (no braces, backslashes or line breaks).
    Text(&'a [u8]),
}

pub struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
}

/// Longest control word name and parameter the specification allows
/// (32 letters, a signed 16-bit number; longer ones are cut).
const MAX_WORD: usize = 32;
const MAX_DIGITS: usize = 10;

impl<'a> Lexer<'a> {
    pub fn new(src: &'a [u8]) -> Self {
        Lexer { src, pos: 0 }
    }

    /// Byte offset of the next token (for messages).
    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn next_token(&mut self) -> Option<Token<'a>> {
        loop {
            let &b = self.src.get(self.pos)?;
            match b {
                b'{' => {
                    self.pos += 1;
                    return Some(Token::Open);
                }
                b'}' => {
                    self.pos += 1;
                    return Some(Token::Close);
                }
                // Line breaks in the file are not text.
                b'\r' | b'\n' => self.pos += 1,
                b'\\' => return Some(self.control()),
                _ => {
                    let start = self.pos;
                    while let Some(&c) = self.src.get(self.pos) {
                        if matches!(c, b'{' | b'}' | b'\\' | b'\r' | b'\n') {
                            break;
                        }
                        self.pos += 1;
                    }
                    return Some(Token::Text(&self.src[start..self.pos]));
                }
            }
        }
    }

    fn control(&mut self) -> Token<'a> {
        self.pos += 1; // the backslash
        let Some(&c) = self.src.get(self.pos) else {
            return Token::Symbol(b'\\');
        };
        if !c.is_ascii_alphabetic() {
            self.pos += 1;
            if c == b'\'' {
                let hex = |k: usize| {
                    self.src
                        .get(self.pos + k)
                        .and_then(|&h| (h as char).to_digit(16))
                };
                if let (Some(h), Some(l)) = (hex(0), hex(1)) {
                    self.pos += 2;
                    return Token::Byte((h * 16 + l) as u8);
                }
                return Token::Symbol(b'\'');
            }
            // `\` + line break is a paragraph mark.
            if c == b'\n' || c == b'\r' {
                return Token::Word("par", None);
            }
            return Token::Symbol(c);
        }
        let start = self.pos;
        while self
            .src
            .get(self.pos)
            .is_some_and(|c| c.is_ascii_alphabetic())
        {
            self.pos += 1;
        }
        let end = self.pos.min(start + MAX_WORD);
        // ASCII letters only, so this cannot fail.
        let name = std::str::from_utf8(&self.src[start..end]).unwrap_or("");
        let mut param = None;
        let neg = self.src.get(self.pos) == Some(&b'-')
            && self
                .src
                .get(self.pos + 1)
                .is_some_and(|c| c.is_ascii_digit());
        if neg {
            self.pos += 1;
        }
        if self.src.get(self.pos).is_some_and(|c| c.is_ascii_digit()) {
            let mut v: i64 = 0;
            let mut digits = 0;
            while let Some(&d) = self.src.get(self.pos).filter(|c| c.is_ascii_digit()) {
                if digits < MAX_DIGITS {
                    v = v * 10 + (d - b'0') as i64;
                }
                digits += 1;
                self.pos += 1;
            }
            let v = if neg { -v } else { v };
            param = Some(v.clamp(i32::MIN as i64, i32::MAX as i64) as i32);
        }
        // One space after a control word is its delimiter.
        if self.src.get(self.pos) == Some(&b' ') {
            self.pos += 1;
        }
        if name == "bin" {
            let n = param.unwrap_or(0).max(0) as usize;
            self.pos = self.pos.saturating_add(n).min(self.src.len());
        }
        Token::Word(name, param)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(src: &[u8]) -> Vec<Token<'_>> {
        let mut l = Lexer::new(src);
        std::iter::from_fn(|| l.next_token()).collect()
    }

    #[test]
    fn tokens() {
        use Token::*;
        assert_eq!(
            all(b"{\\rtf1\\ansicpg936 a\\'c9\\u-26 b\r\n\\~\\bin3 {}\\x}"),
            vec![
                Open,
                Word("rtf", Some(1)),
                Word("ansicpg", Some(936)),
                Text(b"a"),
                Byte(0xC9),
                Word("u", Some(-26)),
                Text(b"b"),
                Symbol(b'~'),
                Word("bin", Some(3)),
                Text(b"x"),
                Close
            ]
        );
    }

    #[test]
    fn hostile_numbers_and_truncation() {
        use Token::*;
        assert_eq!(
            all(b"\\li99999999999999999999\\'"),
            vec![Word("li", Some(i32::MAX)), Symbol(b'\'')]
        );
        assert_eq!(
            all(b"\\bin999999999abc"),
            vec![Word("bin", Some(999_999_999))]
        );
        assert_eq!(all(b"\\"), vec![Symbol(b'\\')]);
    }
}

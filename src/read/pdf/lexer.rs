//! Content-stream tokens: operands and operators, tolerant of garbage.
//!
//! Our own tokenizer rather than lopdf's content parser: that one refuses a
//! whole stream at the first bad token, while a damaged page should still
//! give the text before (and after) the damage.

/// One operand of a content-stream operator.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Num(f64),
    Name(Vec<u8>),
    Str(Vec<u8>),
    Array(Vec<Operand>),
    /// Booleans, null, dictionaries: never needed by the interpreter.
    Other,
}

impl Operand {
    pub fn num(&self) -> Option<f64> {
        match self {
            Operand::Num(n) if n.is_finite() => Some(*n),
            _ => None,
        }
    }
}

/// What the lexer yields.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Operand(Operand),
    Operator(Vec<u8>),
    /// An inline image (`BI … ID data EI`), already skipped.
    InlineImage,
}

pub struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

/// Nesting of arrays and dictionaries kept within this depth.
const MAX_DEPTH: usize = 64;
/// Longest array kept (a hostile stream may hold millions of numbers in one).
const MAX_ARRAY: usize = 1 << 16;

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl<'a> Lexer<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Lexer { data, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn skip_white(&mut self) {
        while let Some(b) = self.peek() {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn regular(&mut self) -> &'a [u8] {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if is_white(b) || is_delim(b) {
                break;
            }
            self.pos += 1;
        }
        &self.data[start..self.pos]
    }

    fn literal(&mut self) -> Vec<u8> {
        // After the opening '('.
        let mut out = Vec::new();
        let mut depth = 1;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return out;
                    }
                    out.push(b);
                }
                b'\\' => {
                    let Some(e) = self.peek() else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = (e - b'0') as u32;
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + (d - b'0') as u32;
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
        }
        out
    }

    fn hex(&mut self) -> Vec<u8> {
        // After the opening '<'.
        let mut out = Vec::new();
        let mut half: Option<u8> = None;
        while let Some(b) = self.peek() {
            self.pos += 1;
            let v = match b {
                b'>' => break,
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => continue,
            };
            match half.take() {
                Some(h) => out.push(h << 4 | v),
                None => half = Some(v),
            }
        }
        if let Some(h) = half {
            out.push(h << 4);
        }
        out
    }

    /// One operand starting at the current byte, or None at an operator.
    fn operand(&mut self, depth: usize) -> Option<Operand> {
        let b = self.peek()?;
        match b {
            b'/' => {
                self.pos += 1;
                Some(Operand::Name(self.regular().to_vec()))
            }
            b'(' => {
                self.pos += 1;
                Some(Operand::Str(self.literal()))
            }
            b'<' if self.data.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                self.skip_dict(depth);
                Some(Operand::Other)
            }
            b'<' => {
                self.pos += 1;
                Some(Operand::Str(self.hex()))
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_white();
                    match self.peek() {
                        None => break,
                        Some(b']') => {
                            self.pos += 1;
                            break;
                        }
                        Some(_) => {
                            let before = self.pos;
                            match (depth < MAX_DEPTH)
                                .then(|| self.operand(depth + 1))
                                .flatten()
                            {
                                Some(o) if items.len() < MAX_ARRAY => items.push(o),
                                Some(_) => {}
                                None => {
                                    // An operator word inside an array: skip it.
                                    self.regular();
                                    if self.pos == before {
                                        self.pos += 1;
                                    }
                                }
                            }
                        }
                    }
                }
                Some(Operand::Array(items))
            }
            b'{' | b'}' | b')' | b'>' | b']' => {
                self.pos += 1;
                Some(Operand::Other)
            }
            b'+' | b'-' | b'.' | b'0'..=b'9' => {
                let start = self.pos;
                let word = self.regular();
                match parse_number(word) {
                    Some(n) => Some(Operand::Num(n)),
                    None => {
                        self.pos = start;
                        None
                    }
                }
            }
            _ => {
                let start = self.pos;
                let word = self.regular();
                match word {
                    b"true" | b"false" | b"null" => Some(Operand::Other),
                    _ => {
                        self.pos = start;
                        None
                    }
                }
            }
        }
    }

    fn skip_dict(&mut self, depth: usize) {
        loop {
            self.skip_white();
            match self.peek() {
                None => return,
                Some(b'>') if self.data.get(self.pos + 1) == Some(&b'>') => {
                    self.pos += 2;
                    return;
                }
                Some(_) => {
                    let before = self.pos;
                    if depth >= MAX_DEPTH || self.operand(depth + 1).is_none() {
                        self.regular();
                    }
                    if self.pos == before {
                        self.pos += 1;
                    }
                }
            }
        }
    }

    /// Skip an inline image: its dictionary up to `ID`, then the data up to an
    /// `EI` that stands alone between white space.
    fn skip_inline_image(&mut self) {
        while self.pos < self.data.len() {
            self.skip_white();
            let before = self.pos;
            if self.data[self.pos..].starts_with(b"ID") {
                self.pos += 2;
                break;
            }
            if self.operand(0).is_none() {
                self.regular();
            }
            if self.pos == before {
                self.pos += 1;
            }
        }
        // One white-space byte after ID, then binary data.
        self.pos += 1;
        while self.pos + 2 <= self.data.len() {
            if &self.data[self.pos..self.pos + 2] == b"EI"
                && self.pos > 0
                && is_white(self.data[self.pos - 1])
                && self.data.get(self.pos + 2).is_none_or(|b| is_white(*b))
            {
                self.pos += 2;
                return;
            }
            self.pos += 1;
        }
        self.pos = self.data.len();
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        loop {
            self.skip_white();
            self.peek()?;
            let before = self.pos;
            if let Some(o) = self.operand(0) {
                return Some(Token::Operand(o));
            }
            let word = self.regular();
            if word.is_empty() {
                // A stray delimiter: step over it.
                self.pos = before + 1;
                continue;
            }
            if word == b"BI" {
                self.skip_inline_image();
                return Some(Token::InlineImage);
            }
            return Some(Token::Operator(word.to_vec()));
        }
    }
}

fn parse_number(word: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(word).ok()?;
    if let Ok(v) = s.parse::<f64>() {
        return Some(v);
    }
    // Producers write `--5`, `5-`, `1.2.3`: keep the sign and the first number.
    let neg = s.starts_with('-');
    let body: String = s
        .trim_start_matches(['-', '+'])
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let mut parts = body.splitn(3, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next().unwrap_or("");
    let v: f64 = format!("0{int}.{frac}0").parse().ok()?;
    if body.is_empty() {
        return None;
    }
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(s: &[u8]) -> Vec<Token> {
        Lexer::new(s).collect()
    }

    #[test]
    fn strings_numbers_names_and_operators() {
        let t = tokens(b"BT /F1 12 Tf (a\\(b\\)\\101) Tj <48 65 6> Tj [(x) -250 (y)] TJ ET");
        assert_eq!(t[1], Token::Operand(Operand::Name(b"F1".to_vec())));
        assert_eq!(t[2], Token::Operand(Operand::Num(12.0)));
        assert_eq!(t[4], Token::Operand(Operand::Str(b"a(b)A".to_vec())));
        assert_eq!(t[6], Token::Operand(Operand::Str(vec![0x48, 0x65, 0x60])));
        assert_eq!(
            t[8],
            Token::Operand(Operand::Array(vec![
                Operand::Str(b"x".to_vec()),
                Operand::Num(-250.0),
                Operand::Str(b"y".to_vec())
            ]))
        );
        assert_eq!(t[10], Token::Operator(b"ET".to_vec()));
    }

    #[test]
    fn inline_image_data_is_skipped() {
        let t = tokens(b"q BI /W 2 /H 1 /BPC 8 ID \x00EI\xff EI Q");
        assert_eq!(
            t,
            vec![
                Token::Operator(b"q".to_vec()),
                Token::InlineImage,
                Token::Operator(b"Q".to_vec())
            ]
        );
    }

    #[test]
    fn malformed_numbers_and_garbage_do_not_stop_the_stream() {
        let t = tokens(b"--5 0.5.1 ) ] Tc");
        assert_eq!(t[0], Token::Operand(Operand::Num(-5.0)));
        assert_eq!(t[1], Token::Operand(Operand::Num(0.5)));
        assert_eq!(t.last(), Some(&Token::Operator(b"Tc".to_vec())));
    }
}

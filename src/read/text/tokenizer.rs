//! A small, tolerant HTML tokenizer: start tags, end tags and text, with
//! comments, doctypes and processing instructions skipped. It never fails:
//! whatever is not a well-formed tag is text, and an unterminated construct
//! runs to the end of the input, as in a browser. No recursion, no tree.

/// Elements whose content is not markup: it runs to the matching end tag.
const RAW_TEXT: [&str; 10] = [
    "script",
    "style",
    "title",
    "textarea",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

#[derive(Debug, Clone, PartialEq)]
pub enum Token<'a> {
    /// Text between tags, entities not yet decoded.
    Text(&'a str),
    /// `<name attrs…>`; `name` is lowercase ASCII, `attrs` the raw attribute source.
    Start {
        name: String,
        attrs: &'a str,
        self_closing: bool,
    },
    End {
        name: String,
    },
    /// The content of a raw-text element (script, style, title …), which
    /// comes right after its `Start` and before its `End`.
    Raw {
        element: String,
        text: &'a str,
    },
}

pub struct Tokenizer<'a> {
    src: &'a str,
    pos: usize,
    /// Set after a raw-text start tag: the next token is its content.
    raw: Option<String>,
}

impl<'a> Tokenizer<'a> {
    pub fn new(src: &'a str) -> Self {
        Tokenizer {
            src,
            pos: 0,
            raw: None,
        }
    }

    /// The next token and the byte offset where it starts.
    pub fn next_token(&mut self) -> Option<(usize, Token<'a>)> {
        if let Some(element) = self.raw.take() {
            return Some(self.raw_text(element));
        }
        loop {
            let start = self.pos;
            let rest = self.src.get(start..).filter(|r| !r.is_empty())?;
            if !rest.starts_with('<') {
                let len = rest.find('<').unwrap_or(rest.len());
                self.pos += len;
                return Some((start, Token::Text(&rest[..len])));
            }
            let bytes = rest.as_bytes();
            match bytes.get(1) {
                Some(b'!') if rest.starts_with("<!--") => {
                    self.pos += rest
                        .get(4..)
                        .and_then(|r| r.find("-->"))
                        .map_or(rest.len(), |e| e + 7);
                }
                Some(b'!' | b'?') => self.skip_past_gt(),
                Some(b'/') if bytes.get(2).is_some_and(u8::is_ascii_alphabetic) => {
                    let name = tag_name(&rest[2..]);
                    self.pos += tag_end(rest).unwrap_or(rest.len());
                    return Some((start, Token::End { name }));
                }
                Some(b'/') => self.skip_past_gt(),
                Some(c) if c.is_ascii_alphabetic() => return Some((start, self.start_tag(rest))),
                // A lone `<` is text.
                _ => {
                    self.pos += 1;
                    return Some((start, Token::Text("<")));
                }
            }
        }
    }

    fn skip_past_gt(&mut self) {
        let rest = &self.src[self.pos..];
        self.pos += rest.find('>').map_or(rest.len(), |e| e + 1);
    }

    fn start_tag(&mut self, rest: &'a str) -> Token<'a> {
        let name = tag_name(&rest[1..]);
        let end = tag_end(rest);
        let inner_end = end.map_or(rest.len(), |e| e - 1);
        let inner = rest.get(1 + name.len()..inner_end).unwrap_or("");
        let self_closing = inner.trim_end().ends_with('/');
        self.pos += end.unwrap_or(rest.len());
        if RAW_TEXT.contains(&name.as_str()) {
            self.raw = Some(name.clone());
        }
        Token::Start {
            name,
            attrs: inner,
            self_closing,
        }
    }

    /// The content of a raw-text element up to `</element`, then the end tag
    /// is left for the next call.
    fn raw_text(&mut self, element: String) -> (usize, Token<'a>) {
        let start = self.pos;
        let rest = &self.src[start..];
        let len = if element == "plaintext" {
            rest.len()
        } else {
            find_end_tag(rest, &element).unwrap_or(rest.len())
        };
        self.pos += len;
        (
            start,
            Token::Raw {
                element,
                text: &rest[..len],
            },
        )
    }
}

/// Lowercase tag name at the start of `s` (letters, digits, `-`, `:`).
fn tag_name(s: &str) -> String {
    s.bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'_'))
        .map(|b| b.to_ascii_lowercase() as char)
        .collect()
}

/// Length of the tag at the start of `s` through its `>`, skipping `>` inside
/// quoted attribute values; `None` when the tag never ends.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, b) in s.bytes().enumerate().skip(1) {
        match (quote, b) {
            (None, b'>') => return Some(i + 1),
            (None, b'"' | b'\'') => {
                // Only a quote right after `=` opens a value; a stray quote elsewhere does not.
                let before = s.as_bytes()[..i]
                    .iter()
                    .rev()
                    .find(|c| !c.is_ascii_whitespace());
                if before == Some(&b'=') {
                    quote = Some(b);
                }
            }
            (Some(q), _) if b == q => quote = None,
            _ => {}
        }
    }
    None
}

/// Offset of `</element` (case-insensitive) followed by a space, `/` or `>`.
fn find_end_tag(s: &str, element: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s.get(from..)?.find("</") {
        let at = from + i;
        let name_end = at + 2 + element.len();
        let name_matches = bytes
            .get(at + 2..name_end)
            .is_some_and(|n| n.eq_ignore_ascii_case(element.as_bytes()));
        let boundary = matches!(
            bytes.get(name_end),
            None | Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\x0c')
        );
        if name_matches && boundary {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// The value of attribute `name` in a tag's raw attribute source.
pub fn attribute(attrs: &str, name: &str) -> Option<String> {
    let b = attrs.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let key_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'/' | b'>') {
            i += 1;
        }
        let key = &attrs[key_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = "";
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let v_start = i + 1;
                    let len = b[v_start..]
                        .iter()
                        .position(|&c| c == q)
                        .unwrap_or(b.len() - v_start);
                    value = &attrs[v_start..v_start + len];
                    i = v_start + len + 1;
                }
                _ => {
                    let v_start = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    value = &attrs[v_start..i];
                }
            }
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(value.to_string());
        }
        if i == key_start {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(src: &str) -> Vec<Token<'_>> {
        let mut t = Tokenizer::new(src);
        std::iter::from_fn(|| t.next_token().map(|(_, tok)| tok)).collect()
    }

    #[test]
    fn tags_text_comments() {
        let got = tokens("<P class=\"a>b\">x<!-- <p>no --><BR/>y</p><!doctype x>&lt; < 1");
        assert_eq!(
            got,
            vec![
                Token::Start {
                    name: "p".into(),
                    attrs: " class=\"a>b\"",
                    self_closing: false
                },
                Token::Text("x"),
                Token::Start {
                    name: "br".into(),
                    attrs: "/",
                    self_closing: true
                },
                Token::Text("y"),
                Token::End { name: "p".into() },
                Token::Text("&lt; "),
                Token::Text("<"),
                Token::Text(" 1"),
            ]
        );
    }

    #[test]
    fn raw_text_runs_to_its_end_tag() {
        let got = tokens("<script>if (a</b) {}</SCRIPT >z");
        assert_eq!(
            got[1],
            Token::Raw {
                element: "script".into(),
                text: "if (a</b) {}"
            }
        );
        assert_eq!(
            got[2],
            Token::End {
                name: "script".into()
            }
        );
        assert_eq!(got[3], Token::Text("z"));
    }

    #[test]
    fn unterminated_constructs_end_the_input() {
        assert_eq!(tokens("a<!-- never closed"), vec![Token::Text("a")]);
        assert_eq!(tokens("<style>p{}").len(), 2);
        assert_eq!(
            tokens("<div class='x"),
            vec![Token::Start {
                name: "div".into(),
                attrs: " class='x",
                self_closing: false
            }]
        );
    }

    #[test]
    fn attributes() {
        let a = " colspan=2 ROWSPAN='3' nowrap class=\"x y\"";
        assert_eq!(attribute(a, "colspan").as_deref(), Some("2"));
        assert_eq!(attribute(a, "rowspan").as_deref(), Some("3"));
        assert_eq!(attribute(a, "nowrap").as_deref(), Some(""));
        assert_eq!(attribute(a, "class").as_deref(), Some("x y"));
        assert_eq!(attribute(a, "id"), None);
        assert_eq!(
            attribute(" a=\"unterminated", "a").as_deref(),
            Some("unterminated")
        );
    }
}

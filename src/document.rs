//! The reader's output: a format-independent list of positioned blocks.
//!
//! Every format reader returns a [`Document`]; nothing after the readers knows
//! which format the bytes were. Geometry is in EMU (914 400 per inch) in page
//! coordinates when the format has it.

/// One EMU-based rectangle in page coordinates (origin: top-left of the page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Rect {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
}

impl Rect {
    pub fn right(&self) -> i64 {
        self.x + self.w
    }
    pub fn bottom(&self) -> i64 {
        self.y + self.h
    }
    pub fn center_x(&self) -> i64 {
        self.x + self.w / 2
    }
    pub fn center_y(&self) -> i64 {
        self.y + self.h / 2
    }
    /// Length of the overlap of the two vertical extents (0 when disjoint).
    pub fn v_overlap(&self, other: &Rect) -> i64 {
        (self.bottom().min(other.bottom()) - self.y.max(other.y)).max(0)
    }
}

/// What kind of thing a block was in the source.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BlockKind {
    /// A body paragraph (or a line of a text file).
    Paragraph,
    /// One table cell; a merged cell is one block with spans > 1.
    /// `table` numbers the tables of the document from 0; for spreadsheets a
    /// sheet is one table.
    Cell {
        table: u32,
        row: u32,
        col: u32,
        row_span: u32,
        col_span: u32,
    },
    /// A text box (DrawingML `wps:txbx`, VML `v:textbox`, a .doc text-box story entry).
    TextBox,
    /// A drawing shape with text that is not a text box (Excel `xdr:sp`, WordArt …).
    Shape,
    /// A picture: no text, but its presence matters (`chart.image_only`).
    Image,
}

/// One piece of text with where it was.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Block {
    /// The text, lines separated by `\n`. Word auto-numbering is rendered in
    /// front of its line exactly as Word shows it (`6.`), followed by a tab.
    pub text: String,
    pub kind: BlockKind,
    /// Position and size in EMU, page coordinates; `None` without geometry.
    pub rect: Option<Rect>,
    /// Page (or sheet) index from 0; page breaks and section breaks count.
    pub page: u32,
    /// Where it came from, for findings: `word/document.xml#p120`, `Sheet1!C7`, `line 233`.
    pub origin: String,
}

/// A problem the reader met but could work around: the source becomes `partial`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReadIssue {
    /// Stable code, e.g. `source.unreadable`.
    pub code: String,
    pub message: String,
    pub origin: String,
}

/// What a reader returns for one file.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// For text formats: the detected encoding (`UTF-8`, `GB18030`, `UTF-16LE` …).
    pub encoding: Option<String>,
    /// Parts of the file that could not be read; non-empty ⇒ status `partial`.
    pub issues: Vec<ReadIssue>,
}

impl Document {
    /// Characters of text found (what `Source.chars_read` counts): every
    /// non-whitespace character of every block.
    pub fn chars_read(&self) -> usize {
        self.blocks.iter().map(|b| count_chars(&b.text)).sum()
    }
}

/// The counting rule used for `chars_read` / `chars_placed`: non-whitespace
/// characters (`char::is_whitespace`). Told from the UTF-8 bytes without
/// decoding: every text read is counted, and then every text placed, and
/// the `chars()` walk with its table lookups was a hot spot of layout.
pub fn count_chars(s: &str) -> usize {
    let b = s.as_bytes();
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        let (width, space) = match b[i] {
            c @ 0..=0x7F => (1, matches!(c, b' ' | b'\t'..=b'\r')),
            // U+0085, U+00A0.
            0xC2 => (2, matches!(b.get(i + 1), Some(0x85 | 0xA0))),
            0xC3..=0xDF => (2, false),
            // U+1680.
            0xE1 => (3, b.get(i + 1..i + 3) == Some(&[0x9A, 0x80])),
            // U+2000–U+200A, U+2028, U+2029, U+202F, U+205F.
            0xE2 => (
                3,
                matches!(
                    b.get(i + 1..i + 3),
                    Some([0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF] | [0x81, 0x9F])
                ),
            ),
            // U+3000.
            0xE3 => (3, b.get(i + 1..i + 3) == Some(&[0x80, 0x80])),
            0xE0..=0xEF => (3, false),
            // Four-byte sequences (no white space among them); continuation
            // bytes never start a char of a `str`.
            _ => (4, false),
        };
        n += usize::from(!space);
        i += width;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::count_chars;

    /// Every char, alone and between others: counted as `chars()` with
    /// `char::is_whitespace` counts it.
    #[test]
    fn count_chars_counts_as_char_is_whitespace_does() {
        let by_char = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
        let mut all = String::new();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = format!("a{c}\u{3000}{c}");
            assert_eq!(count_chars(&s), by_char(&s), "U+{:04X}", c as u32);
            all.push(c);
        }
        assert_eq!(count_chars(&all), by_char(&all));
        assert_eq!(count_chars(""), 0);
    }
}

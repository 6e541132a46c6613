//! Estimating where text falls on a page, for formats that anchor boxes to
//! paragraphs (Word .docx and .doc): how many lines a paragraph wraps into,
//! and how tall a single line is. Word's own layout is not reproduced; the
//! estimate only has to put boxes anchored to different paragraphs of one
//! chart in the right order and within a line or two.

/// A single line is 1.3 × the font size.
pub fn single_line(font: i64) -> i64 {
    font * 13 / 10
}

/// Lines `text` wraps into at `width` EMU (each `\n` starts a new line): a
/// CJK character is one font size wide, an ASCII one half, a tab two.
/// Capped at 10 000 so absurd input cannot overflow the sums built on it.
pub fn wrapped_lines(text: &str, font: i64, width: i64) -> i64 {
    let width = width.max(1);
    let lines: i64 = text
        .split('\n')
        .map(|part| {
            let w: i64 = part
                .chars()
                .map(|c| match c {
                    '\t' => font * 2,
                    c if c.is_ascii() => font / 2,
                    _ => font,
                })
                .sum();
            ((w + width - 1) / width).max(1)
        })
        .sum();
    lines.min(10_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping() {
        let font = 21 * 6_350; // 10.5 pt
        assert_eq!(single_line(font), 173_355);
        // Ten CJK characters in a box five characters wide: two lines.
        assert_eq!(wrapped_lines("一二三四五六七八九十", font, 5 * font), 2);
        // ASCII is half as wide; a newline starts a line; empty is one line.
        assert_eq!(wrapped_lines("abcdefghij", font, 5 * font), 1);
        assert_eq!(wrapped_lines("一\n二", font, 5 * font), 2);
        assert_eq!(wrapped_lines("", font, 5 * font), 1);
    }
}

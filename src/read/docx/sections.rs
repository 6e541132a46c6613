//! Page geometry of the body's sections (`w:sectPr`), needed by the body
//! pass before it reaches them: a `w:sectPr` closes its section, so the
//! geometry of the text being read is written after that text.
//!
//! Tokenising the whole part once for the sections and once more for the
//! body cost as much as the body pass itself. Instead the sections are
//! guessed cheaply ([`guess`]: a byte search for `sectPr`, each hit read
//! alone), the body pass runs with the guess and collects the exact list
//! from its own events ([`Scan`]); only when the two differ (odd prefixes,
//! a `sectPr` in a comment, a malformed part) does the body pass run again
//! with the exact list. The result is the same as scanning first, always.

use super::geometry::{EMU_PER_TWIP, Section};
use super::tokens::ends_start_name;
use super::xml::{Ev, Known, Pull};

/// Collects the `w:sectPr` of a part in order from its events. Tracked-change
/// copies (`w:sectPrChange`) are not sections.
#[derive(Default)]
pub struct Scan {
    out: Vec<Section>,
    current: Option<Section>,
    nested: usize,
}

impl Scan {
    /// Take one event of the part, in order. Inlined: it sees every event
    /// of the body, and nearly all are outside any section.
    #[inline]
    pub fn event(&mut self, ev: &Ev) {
        if self.current.is_none() && !matches!(ev, Ev::Start(s) if s.name.is(Known::SectPr)) {
            return;
        }
        self.section_event(ev);
    }

    fn section_event(&mut self, ev: &Ev) {
        match ev {
            Ev::Start(s) if s.name.is(Known::SectPr) => {
                if self.current.is_some() {
                    self.nested += 1;
                } else {
                    self.current = Some(Section::default());
                }
            }
            Ev::Start(s) if self.nested == 0 => {
                let Some(sect) = self.current.as_mut() else {
                    return;
                };
                let tw = |k: &str| {
                    s.attr_i64(k)
                        .map(|v| v.saturating_abs().min(200_000) * EMU_PER_TWIP)
                };
                match s.name.as_str() {
                    "w:pgSz" => {
                        if let Some(w) = tw("w").filter(|&w| w > 0) {
                            sect.width = w;
                        }
                        if let Some(h) = tw("h").filter(|&h| h > 0) {
                            sect.height = h;
                        }
                    }
                    "w:pgMar" => {
                        sect.top = tw("top").unwrap_or(sect.top);
                        sect.bottom = tw("bottom").unwrap_or(sect.bottom);
                        sect.left = tw("left").unwrap_or(sect.left);
                        sect.right = tw("right").unwrap_or(sect.right);
                    }
                    "w:type" => sect.continuous = s.attr("val") == Some("continuous"),
                    "w:docGrid" => {
                        let snaps = matches!(
                            s.attr("type"),
                            Some("lines" | "linesAndChars" | "snapToChars")
                        );
                        sect.line_pitch = s
                            .attr_i64("linePitch")
                            .filter(|&p| snaps && p > 0 && p < 20_000)
                            .map(|p| p * EMU_PER_TWIP);
                    }
                    _ => {}
                }
            }
            Ev::End(name) if name.is(Known::SectPr) => {
                if self.nested > 0 {
                    self.nested -= 1;
                } else if let Some(sect) = self.current.take() {
                    self.out.push(sect);
                }
            }
            _ => {}
        }
    }

    /// The sections completed so far.
    pub fn sections(&self) -> &[Section] {
        &self.out
    }

    pub fn into_sections(self) -> Vec<Section> {
        self.out
    }
}

/// The sections as they most likely are: each `<w:sectPr` found by a byte
/// search is read alone (a few dozen events), skipping everything between.
/// Right for every Word-written file; when it is wrong the body pass notices
/// and runs again. Every byte is read at most once, and the guess gives up at
/// the first hit it cannot read, so a hostile part costs no more than one
/// plain tokenising pass.
pub fn guess(text: &str, max_depth: usize) -> Vec<Section> {
    const NAME: &[u8] = b"w:sectPr";
    let xml = text.as_bytes();
    let finder = memchr::memmem::Finder::new(NAME);
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(hit) = xml.get(from..).and_then(|rest| finder.find(rest)) {
        let at = from + hit;
        let opens = at > 0 && xml[at - 1] == b'<';
        let name_ends = ends_start_name(xml.get(at + NAME.len()).copied());
        if !(opens && name_ends) {
            from = at + NAME.len();
            continue;
        }
        let Some(from_hit) = text.get(at - 1..) else {
            break;
        };
        match one(from_hit, max_depth) {
            Some((sect, len)) => {
                out.push(sect);
                from = at - 1 + len.max(1);
            }
            None => break,
        }
    }
    out
}

/// Read the one `w:sectPr` that `xml` starts with: its section and the
/// bytes it spans. `None` when it does not close.
fn one(xml: &str, max_depth: usize) -> Option<(Section, usize)> {
    let mut scan = Scan::default();
    let mut pull = Pull::from_str(xml, max_depth);
    loop {
        let ev = pull.next().ok()?;
        if matches!(ev, Ev::Eof) {
            return None;
        }
        scan.event(&ev);
        if let Some(&sect) = scan.sections().first() {
            let len = usize::try_from(pull.position()).ok()?;
            return Some((sect, len));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sections of a whole part, by reading every event of it (what the
    /// body pass's own [`Scan`] arrives at).
    fn scan(xml: &[u8], max_depth: usize) -> Vec<Section> {
        let mut scan = Scan::default();
        let mut pull = Pull::new(xml, max_depth);
        while let Ok(ev) = pull.next() {
            if matches!(ev, Ev::Eof) {
                break;
            }
            scan.event(&ev);
        }
        scan.into_sections()
    }

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn doc(body: &str) -> String {
        format!("<w:document {NS}><w:body>{body}</w:body></w:document>")
    }

    #[test]
    fn guess_matches_scan_for_word_files() {
        let xml = doc(concat!(
            r#"<w:p><w:pPr><w:sectPr><w:pgSz w:w="16838" w:h="11906"/>"#,
            r#"<w:type w:val="continuous"/></w:sectPr></w:pPr></w:p>"#,
            r#"<w:p/><w:sectPr><w:pgMar w:top="720" w:bottom="720" w:left="0" w:right="0"/>"#,
            r#"<w:sectPrChange><w:sectPr><w:pgSz w:w="1" w:h="1"/></w:sectPr></w:sectPrChange>"#,
            r#"<w:docGrid w:type="lines" w:linePitch="312"/></w:sectPr>"#
        ));
        let exact = scan(xml.as_bytes(), 64);
        assert_eq!(exact.len(), 2);
        assert!(exact[0].continuous);
        assert_eq!(exact[1].top, 720 * EMU_PER_TWIP);
        assert_eq!(exact[1].width, Section::default().width);
        assert_eq!(guess(&xml, 64), exact);
    }

    #[test]
    fn guess_can_be_wrong_but_stays_bounded() {
        // In a comment: not a section, but the byte search cannot tell.
        let xml = doc("<!-- <w:sectPr/> --><w:p/>");
        assert!(scan(xml.as_bytes(), 64).is_empty());
        assert_eq!(guess(&xml, 64).len(), 1);
        // Many hits: each is read alone, the part's UTF-8 checked once (a
        // check per hit of the rest of the part was quadratic).
        let many = doc(&"<w:sectPr/>".repeat(100_000));
        assert_eq!(guess(&many, 64).len(), 100_000);
        // Never closed: the guess gives up.
        let open = "<w:sectPr><w:p>".repeat(1000);
        assert!(guess(&open, 64).is_empty());
    }
}

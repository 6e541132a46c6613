//! Property elements that a part writes the same way again and again,
//! read once each.
//!
//! A body part repeats a few distinct `w:rPr` and `w:pPr` thousands of
//! times: one bench part holds 9 distinct `w:rPr` among 2,359 and 10
//! distinct `w:pPr` among 1,059; the test corpus's Word files together
//! 2,149 among 80,638 and 2,478 among 30,452. What the pass takes from
//! plain properties (see [`Pull::plain_children`]) depends on their bytes
//! and the element's written name only, so it is kept by those, and the
//! same bytes again are passed over with one search and one lookup.
//!
//! Bounded: at most [`MAX_KEPT`] contents of at most [`MAX_CONTENT`] bytes
//! per element, so a hostile part cannot make it grow; past that the
//! content is read as before.
//!
//! [`Pull::plain_children`]: super::xml::Pull::plain_children

use std::collections::HashMap;

/// Longest content kept (bytes). A run's properties are ~75 bytes, a
/// paragraph's with its mark's ~150.
pub const MAX_CONTENT: usize = 1024;
/// Most distinct contents kept per element.
pub const MAX_KEPT: usize = 1024;

/// The property elements whose plain content is kept.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Properties {
    /// A run's `w:rPr`.
    Run,
    /// A paragraph mark's `w:rPr`.
    Mark,
    /// A paragraph's `w:pPr`, with its mark's `w:rPr`.
    Paragraph,
}

/// What was read from each distinct content, per element.
pub struct Repeats<V> {
    kept: [Kept<V>; 3],
}

struct Kept<V> {
    /// The element's written name (`w:rPr`): a child is plain only under
    /// its parent's prefix, so content is known again under the same name.
    written: Option<Box<str>>,
    by_content: HashMap<Box<str>, V, foldhash::fast::RandomState>,
}

impl<V> Default for Repeats<V> {
    fn default() -> Self {
        let kept = || Kept {
            written: None,
            by_content: HashMap::default(),
        };
        Repeats {
            kept: [kept(), kept(), kept()],
        }
    }
}

impl<V> Repeats<V> {
    /// What was kept for this content of the element written so.
    pub fn get(&self, which: Properties, written: &str, content: &str) -> Option<&V> {
        let kept = &self.kept[which as usize];
        if kept.written.as_deref() != Some(written) {
            return None;
        }
        kept.by_content.get(content)
    }

    /// Keep what was read from this content (plain, as
    /// [`Pull::plain_children`] found it), while there is room.
    ///
    /// [`Pull::plain_children`]: super::xml::Pull::plain_children
    pub fn keep(&mut self, which: Properties, written: &str, content: &str, value: V) {
        let kept = &mut self.kept[which as usize];
        let name = kept.written.get_or_insert_with(|| written.into());
        if **name != *written || content.len() > MAX_CONTENT || kept.by_content.len() >= MAX_KEPT {
            return;
        }
        kept.by_content.insert(content.into(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_by_element_written_name_and_content_within_bounds() {
        let mut r = Repeats::default();
        let run = Properties::Run;
        r.keep(run, "w:rPr", "<w:b/>", 1);
        assert_eq!(r.get(run, "w:rPr", "<w:b/>"), Some(&1));
        // Another element, another written name, other bytes: not known.
        assert_eq!(r.get(Properties::Mark, "w:rPr", "<w:b/>"), None);
        assert_eq!(r.get(run, "x:rPr", "<w:b/>"), None);
        assert_eq!(r.get(run, "w:rPr", "<w:b />"), None);
        // The first name kept is the element's: no other is kept.
        r.keep(run, "x:rPr", "<x:b/>", 2);
        assert_eq!(r.get(run, "x:rPr", "<x:b/>"), None);
        // Bounded in length and in number.
        let long = "<w:b/>".repeat(MAX_CONTENT / 6 + 1);
        r.keep(run, "w:rPr", &long, 3);
        assert_eq!(r.get(run, "w:rPr", &long), None);
        for i in 1..MAX_KEPT + 10 {
            r.keep(run, "w:rPr", &format!("<w:sz w:val=\"{i}\"/>"), i + 10);
        }
        let last = format!("<w:sz w:val=\"{}\"/>", MAX_KEPT - 1);
        let past = format!("<w:sz w:val=\"{MAX_KEPT}\"/>");
        assert_eq!(r.get(run, "w:rPr", &last), Some(&(MAX_KEPT - 1 + 10)));
        assert_eq!(r.get(run, "w:rPr", &past), None);
        assert_eq!(r.get(run, "w:rPr", "<w:b/>"), Some(&1));
    }
}

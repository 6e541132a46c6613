//! Splitting the CP stream into stories and a story into paragraphs: field
//! codes dropped, control characters resolved, page breaks counted.

use super::fib::Ccp;
use std::ops::Range;

/// CP ranges of the stories we read. Each story follows the previous one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stories {
    pub main: Range<u32>,
    pub txbx: Range<u32>,
    /// One past the last CP of every story (what the character stream must cover).
    pub end: u32,
}

pub fn stories(ccp: &Ccp) -> Stories {
    // Sums in u64: absurd lengths must not wrap into plausible ones.
    let lens = [
        ccp.text,
        ccp.ftn,
        ccp.hdd,
        ccp.mcr,
        ccp.atn,
        ccp.edn,
        ccp.txbx,
        ccp.hdr_txbx,
    ];
    let mut starts = [0u64; 9];
    for (i, &l) in lens.iter().enumerate() {
        starts[i + 1] = starts[i] + l as u64;
    }
    let clamp = |v: u64| v.min(u32::MAX as u64) as u32;
    Stories {
        main: 0..clamp(starts[1]),
        txbx: clamp(starts[6])..clamp(starts[7]),
        // Word ends the last non-empty subsidiary story with one extra mark.
        end: clamp(starts[8] + 1),
    }
}

/// How a paragraph ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// 0x0D paragraph mark.
    Para,
    /// 0x07 cell / row-end mark.
    Cell,
    /// 0x0C page or section break: a split, not a real paragraph end.
    Break,
    /// The range ended without a mark.
    End,
}

/// One paragraph (or the part of one before a page break).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// CP of its first character.
    pub start: u32,
    /// CP of the mark that ended it (== range end for `Mark::End`).
    pub mark_cp: u32,
    pub mark: Mark,
    /// The visible characters, in stream units (decoded later).
    pub units: Vec<u16>,
    /// Page (from 0) at its start.
    pub page: u32,
    /// CPs of 0x01 picture characters in visible text.
    pub pictures: Vec<u32>,
    /// CPs of 0x08 drawn-object anchors in visible text.
    pub anchors: Vec<u32>,
}

/// Deepest field nesting tracked; deeper fields only adjust the count.
const MAX_FIELD_DEPTH: usize = 64;

/// Split `units` (the characters of CPs `base..`) into segments.
pub fn segments(units: &[u16], base: u32, first_page: u32) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut page = first_page;
    let new_seg = |start: u32, page: u32| Segment {
        start,
        mark_cp: start,
        mark: Mark::End,
        units: Vec::new(),
        page,
        pictures: Vec::new(),
        anchors: Vec::new(),
    };
    let mut cur = new_seg(base, page);
    // For each open field: still in its code part?
    let mut fields: Vec<bool> = Vec::new();
    let mut overflow = 0usize;
    for (i, &u) in units.iter().enumerate() {
        let cp = base.saturating_add(i as u32);
        match u {
            0x13 => {
                if fields.len() < MAX_FIELD_DEPTH {
                    fields.push(true);
                } else {
                    overflow += 1;
                }
                continue;
            }
            0x14 => {
                if let (0, Some(top)) = (overflow, fields.last_mut()) {
                    *top = false;
                }
                continue;
            }
            0x15 => {
                if overflow > 0 {
                    overflow -= 1;
                } else {
                    fields.pop();
                }
                continue;
            }
            _ => {}
        }
        if overflow > 0 || fields.iter().any(|&code| code) {
            continue;
        }
        let mark = match u {
            0x0D => Some(Mark::Para),
            0x07 => Some(Mark::Cell),
            0x0C => Some(Mark::Break),
            _ => None,
        };
        if let Some(mark) = mark {
            cur.mark = mark;
            cur.mark_cp = cp;
            if mark == Mark::Break {
                page += 1;
            }
            out.push(std::mem::replace(
                &mut cur,
                new_seg(cp.saturating_add(1), page),
            ));
            continue;
        }
        match u {
            0x0B => cur.units.push(0x0A),
            0x09 => cur.units.push(0x09),
            // Non-breaking hyphen.
            0x1E => cur.units.push(0x2D),
            0x01 => cur.pictures.push(cp),
            0x08 => cur.anchors.push(cp),
            // Other controls (footnote references, optional hyphens …) are not text.
            0x00..=0x1F => {}
            _ => cur.units.push(u),
        }
    }
    cur.mark_cp = base.saturating_add(units.len() as u32);
    if !cur.units.is_empty() || !cur.pictures.is_empty() || !cur.anchors.is_empty() {
        out.push(cur);
    }
    out
}

/// For each segment, the CP of the mark ending its paragraph: a page-break
/// split belongs to the paragraph that goes on after the break.
pub fn paragraph_marks(segs: &[Segment]) -> Vec<u32> {
    let mut marks = vec![0u32; segs.len()];
    let mut last = segs.last().map(|s| s.mark_cp).unwrap_or(0);
    for (i, s) in segs.iter().enumerate().rev() {
        if s.mark != Mark::Break {
            last = s.mark_cp;
        }
        marks[i] = last;
    }
    marks
}

/// Move paragraphs that start a new page (`starts_page(mark_cp)`, from
/// paragraph properties) and everything after them one page on. The first
/// paragraph already starts a page, as does one right after a break character.
pub fn apply_page_breaks_before(segs: &mut [Segment], starts_page: &dyn Fn(u32) -> bool) {
    let mut extra = 0u32;
    let mut prev: Option<Mark> = None;
    for seg in segs.iter_mut() {
        let new_paragraph = matches!(prev, Some(Mark::Para) | Some(Mark::Cell));
        if new_paragraph && starts_page(seg.mark_cp) {
            extra += 1;
        }
        seg.page += extra;
        prev = Some(seg.mark);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }
    fn text(seg: &Segment) -> String {
        String::from_utf16_lossy(&seg.units)
    }

    #[test]
    fn story_ranges() {
        let ccp = Ccp {
            text: 100,
            ftn: 10,
            hdd: 20,
            atn: 5,
            edn: 3,
            txbx: 40,
            hdr_txbx: 7,
            ..Ccp::default()
        };
        let s = stories(&ccp);
        assert_eq!(s.main, 0..100);
        assert_eq!(s.txbx, 138..178);
        assert_eq!(s.end, 186);
        let huge = Ccp {
            text: u32::MAX,
            txbx: u32::MAX,
            ..Ccp::default()
        };
        assert_eq!(stories(&huge).txbx, u32::MAX..u32::MAX);
    }

    #[test]
    fn paragraphs_cells_and_breaks() {
        let segs = segments(&u("风险点\x0b说明\r甲\x07乙\x07\x07后\x0c下一页\r"), 10, 0);
        let texts: Vec<String> = segs.iter().map(text).collect();
        assert_eq!(texts, ["风险点\n说明", "甲", "乙", "", "后", "下一页"]);
        let marks: Vec<Mark> = segs.iter().map(|s| s.mark).collect();
        assert_eq!(
            marks,
            [
                Mark::Para,
                Mark::Cell,
                Mark::Cell,
                Mark::Cell,
                Mark::Break,
                Mark::Para
            ]
        );
        assert_eq!(segs[1].start, 17);
        assert_eq!(segs[1].mark_cp, 18);
        assert_eq!(segs[4].page, 0);
        assert_eq!(segs[5].page, 1);
        assert_eq!(segs[5].start, 24);
    }

    #[test]
    fn field_codes_are_dropped_results_kept() {
        let s = u("见\x13 HYPERLINK \"http://x\" \x14链接\x15，页\x13 PAGE \x143\x15。\r");
        let segs = segments(&s, 0, 0);
        assert_eq!(text(&segs[0]), "见链接，页3。");
        // Nested: the inner field's code and result are both inside the outer code.
        let s = u("a\x13 IF \x13 PAGE \x141\x15 = 1 \x14b\x15c\r");
        assert_eq!(text(&segments(&s, 0, 0)[0]), "abc");
        // A field that never ends hides the rest, without panicking.
        let s = u("x\x13 unterminated \r");
        let segs = segments(&s, 0, 0);
        assert_eq!(segs.len(), 1);
        assert_eq!(text(&segs[0]), "x");
        // Unbalanced ends are ignored.
        assert_eq!(text(&segments(&u("\x15\x14ok\r"), 0, 0)[0]), "ok");
    }

    #[test]
    fn page_break_before_moves_following_paragraphs() {
        let mut segs = segments(&u("a\rb\rc\x0cd\re\r"), 0, 0);
        // Paragraphs whose marks are at 1 (first: no effect), 3 (b) and 7 (d, right after a break).
        let starts = |cp: u32| [1, 3, 7].contains(&cp);
        apply_page_breaks_before(&mut segs, &starts);
        let pages: Vec<u32> = segs.iter().map(|s| s.page).collect();
        assert_eq!(pages, [0, 1, 1, 2, 2]);
    }

    #[test]
    fn pictures_and_anchors_are_not_text() {
        let segs = segments(&u("图\x01\x08注\r"), 5, 2);
        assert_eq!(text(&segs[0]), "图注");
        assert_eq!(segs[0].pictures, [6]);
        assert_eq!(segs[0].anchors, [7]);
        assert_eq!(segs[0].page, 2);
    }

    #[test]
    fn deep_field_nesting_is_bounded() {
        let mut s = vec![0x13u16; 10_000];
        s.extend(u("x"));
        s.extend(vec![0x15u16; 10_000]);
        s.extend(u("y\r"));
        assert_eq!(text(&segments(&s, 0, 0)[0]), "y");
    }
}

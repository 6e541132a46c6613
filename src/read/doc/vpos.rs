//! Where each main-text paragraph starts on its page, estimated without
//! laying the text out: from the top margin down, each paragraph takes its
//! space before and after plus its lines (1.3 × the font size, or the line
//! spacing it states), lines counted from the text width; a table row takes
//! its tallest cell (or its stated height); a new page starts again at the
//! top margin. The same estimate as the .docx reader's, so a shape anchored
//! to a paragraph lands where it does when the .docx is read.

use super::papx::{LineSpacing, ParaProps, RowDef};
use super::sections::{EMU_PER_TWIP, Sections};
use super::story::{Mark, Segment, paragraph_marks};
use crate::read::estimate;

/// What the estimate reads for each main-text segment.
pub struct Inputs<'a> {
    pub segs: &'a [Segment],
    /// Each segment's text as shown (list labels left out).
    pub texts: &'a [String],
    /// Properties of the paragraph whose mark is at a CP.
    pub props: &'a dyn Fn(u32) -> ParaProps,
    /// The largest font size (half-points) a segment's runs state, if any.
    pub run_hps: &'a dyn Fn(&Segment) -> Option<u16>,
    pub defs: &'a [RowDef],
    pub sections: &'a Sections,
}

/// Estimated tops (EMU from the top of the page) of the main-text segments.
#[derive(Debug, Default)]
pub struct ParaTops {
    /// (first CP, mark CP, top), by CP.
    list: Vec<(u32, u32, i64)>,
}

/// Word's default font size when nothing says otherwise: 10.5 pt (五号).
const DEFAULT_HPS: u16 = 21;
const EMU_PER_HALF_POINT: i64 = 6_350;

impl ParaTops {
    pub fn estimate(inp: &Inputs) -> ParaTops {
        let segs = inp.segs;
        let marks = paragraph_marks(segs);
        let props = |i: usize| (inp.props)(marks.get(i).copied().unwrap_or(0));
        let height = |i: usize, p: &ParaProps, width: i64| -> i64 {
            let Some(seg) = segs.get(i) else { return 0 };
            let hps = (inp.run_hps)(seg).or(p.style_hps).unwrap_or(DEFAULT_HPS);
            let text = inp.texts.get(i).map(String::as_str).unwrap_or("");
            para_height(p, i64::from(hps) * EMU_PER_HALF_POINT, text, width)
        };
        let mut list = Vec::with_capacity(segs.len());
        let mut page: Option<u32> = None;
        let mut cursor = 0i64;
        let mut i = 0;
        while let Some(seg) = segs.get(i) {
            let sect = inp.sections.at(seg.start);
            if page != Some(seg.page) {
                page = Some(seg.page);
                cursor = sect.top_emu();
            }
            let p = props(i);
            if !p.in_table() {
                list.push((seg.start, seg.mark_cp, cursor));
                cursor = cursor.saturating_add(height(i, &p, sect.text_width()));
                i += 1;
                continue;
            }
            // One table row: up to its row-end mark, or to where the table stops.
            let mut end = i;
            let mut row_end = None;
            while let Some(q) = segs.get(end).map(|_| props(end)) {
                if !q.in_table() {
                    break;
                }
                end += 1;
                if q.ttp && !q.inner_ttp && q.itap <= 1 {
                    row_end = Some(q);
                    break;
                }
            }
            let def = row_end
                .and_then(|q| q.row_def)
                .and_then(|d| inp.defs.get(d as usize));
            let cell_width = |c: usize| {
                let w = def
                    .and_then(|d| {
                        Some(i64::from(*d.edges.get(c + 1)?) - i64::from(*d.edges.get(c)?))
                    })
                    .filter(|&w| w > 0);
                w.map_or(sect.text_width(), |w| (w * EMU_PER_TWIP).max(91_440))
            };
            let row_top = cursor;
            let (mut cell, mut cell_h, mut row_h) = (0usize, 0i64, 0i64);
            for j in i..end {
                let Some(s) = segs.get(j) else { break };
                let q = props(j);
                let is_row_end = q.ttp && !q.inner_ttp && q.itap <= 1;
                if is_row_end || q.inner_ttp {
                    list.push((s.start, s.mark_cp, row_top));
                    continue;
                }
                list.push((s.start, s.mark_cp, row_top.saturating_add(cell_h)));
                cell_h = cell_h.saturating_add(height(j, &q, cell_width(cell)));
                // Nested tables stay inside their enclosing cell.
                if s.mark == Mark::Cell && q.itap <= 1 {
                    row_h = row_h.max(cell_h);
                    cell = cell.saturating_add(1);
                    cell_h = 0;
                }
            }
            let least = def.map_or(0, |d| i64::from(d.min_height) * EMU_PER_TWIP);
            cursor = row_top.saturating_add(row_h.max(cell_h).max(least));
            i = end.max(i + 1);
        }
        ParaTops { list }
    }

    /// The estimated top of the paragraph holding main-text CP `cp`.
    pub fn top_at(&self, cp: u32) -> Option<i64> {
        let i = self.list.partition_point(|e| e.0 <= cp);
        let &(_, mark, top) = self.list.get(i.checked_sub(1)?)?;
        (cp <= mark).then_some(top)
    }
}

/// Line height in EMU: single lines are 1.3 × the font size.
fn line_height(line: Option<LineSpacing>, font: i64) -> i64 {
    let single = estimate::single_line(font);
    match line {
        None => single,
        Some(l) if l.multiple => single * i64::from(l.dya.max(0)) / 240,
        Some(l) if l.dya < 0 => i64::from(l.dya).abs() * EMU_PER_TWIP,
        Some(l) => (i64::from(l.dya) * EMU_PER_TWIP).max(single),
    }
}

/// Estimated height of a paragraph set `width` EMU wide.
fn para_height(p: &ParaProps, font: i64, text: &str, width: i64) -> i64 {
    let space = (i64::from(p.space_before) + i64::from(p.space_after)) * EMU_PER_TWIP;
    space + estimate::wrapped_lines(text, font, width) * line_height(p.line, font)
}

#[cfg(test)]
mod tests {
    use super::super::story::segments;
    use super::*;

    fn units(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn line_heights() {
        // 10.5 pt: single 13.65 pt = 173 355 EMU.
        let font = 21 * 6_350;
        assert_eq!(line_height(None, font), 173_355);
        let l = |dya, multiple| Some(LineSpacing { dya, multiple });
        assert_eq!(line_height(l(480, true), font), 346_710);
        assert_eq!(line_height(l(-300, false), font), 300 * 635);
        // "At least" less than a single line is a single line.
        assert_eq!(line_height(l(100, false), font), 173_355);
    }

    #[test]
    fn paragraphs_tables_and_pages() {
        // Title (18 pt), empty paragraph, a one-row table of two cells (the
        // first with two paragraphs), a paragraph, a page break, a paragraph.
        let u = units("标题\r\r甲\r乙\x07丙\x07\x07后\x0c新页\r");
        let segs = segments(&u, 0, 0);
        let texts: Vec<String> = segs
            .iter()
            .map(|s| String::from_utf16_lossy(&s.units))
            .collect();
        // Marks: 标题 2, empty 3, 甲 5, 乙 7, 丙 9, row end 10, 后 12 (break), 新页 15.
        let props = |cp: u32| ParaProps {
            in_table: (5..=10).contains(&cp),
            ttp: cp == 10,
            row_def: (cp == 10).then_some(0),
            space_after: if cp == 2 { 100 } else { 0 },
            ..ParaProps::default()
        };
        let run_hps = |s: &Segment| (s.start == 0).then_some(36u16);
        let defs = [RowDef {
            edges: vec![0, 2000, 4000],
            cells: Vec::new(),
            min_height: 1000,
        }];
        let sections = Sections::default();
        let tops = ParaTops::estimate(&Inputs {
            segs: &segs,
            texts: &texts,
            props: &props,
            run_hps: &run_hps,
            defs: &defs,
            sections: &sections,
        });
        let top = 914_400;
        let title = 36 * 6_350 * 13 / 10 + 100 * 635;
        let line = 173_355;
        assert_eq!(tops.top_at(0), Some(top));
        assert_eq!(tops.top_at(2), Some(top));
        assert_eq!(tops.top_at(3), Some(top + title));
        let row = top + title + line;
        assert_eq!(tops.top_at(4), Some(row));
        // Second paragraph of the first cell, one line lower.
        assert_eq!(tops.top_at(6), Some(row + line));
        assert_eq!(tops.top_at(8), Some(row));
        // The row is two lines tall (346 710) but at least 1000 twips (635 000).
        assert_eq!(tops.top_at(11), Some(row + 635_000));
        // After the page break: back at the top margin.
        assert_eq!(tops.top_at(13), Some(top));
        assert_eq!(tops.top_at(99), None);
    }

    #[test]
    fn long_text_wraps_by_width() {
        // 40 CJK characters at 10.5 pt in a 1-inch column: 420 pt / 72 pt → 6 lines.
        let p = ParaProps::default();
        let text = "字".repeat(40);
        assert_eq!(para_height(&p, 21 * 6_350, &text, 914_400), 6 * 173_355);
        assert_eq!(para_height(&p, 21 * 6_350, "", 0), 173_355);
    }
}

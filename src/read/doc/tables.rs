//! Main-story segments → Paragraph, Cell and Image blocks. Table structure
//! comes from the paragraph properties when they could be read, else from
//! the cell marks alone.

use super::papx::ParaProps;
use super::story::{Mark, Segment, paragraph_marks};
use crate::document::{Block, BlockKind};

/// Turns segments into blocks; `texts` holds each segment's rendered text,
/// `props` gives the properties of the paragraph whose mark is at a CP.
pub fn blocks(
    segs: &[Segment],
    texts: &[String],
    props: Option<&dyn Fn(u32) -> ParaProps>,
) -> Vec<Block> {
    let mut out = Vec::new();
    let mut t = TableState::default();
    let next_mark = paragraph_marks(segs);
    // The last real mark, and whether it ended a row.
    let mut prev = (Mark::Para, false);
    for (i, seg) in segs.iter().enumerate() {
        let text = texts.get(i).cloned().unwrap_or_default();
        let p = match props {
            Some(f) => f(next_mark[i]),
            None => guess_props(seg, &text, prev, t.open),
        };
        if seg.mark != Mark::Break {
            prev = (seg.mark, p.ttp);
        }
        if p.in_table() {
            t.open_at(seg);
            if p.inner_ttp {
                // A nested row-end mark: no text of its own.
            } else if p.itap > 1 {
                // Nested tables are flattened into the enclosing cell.
                t.push(text);
            } else if p.ttp {
                t.flush(&mut out);
                t.row += 1;
                t.col = 0;
            } else if seg.mark == Mark::Cell {
                t.push(text);
                t.flush_cell(&mut out, true);
            } else {
                t.push(text);
            }
        } else {
            t.close(&mut out);
            if !text.trim().is_empty() {
                out.push(Block {
                    text,
                    kind: BlockKind::Paragraph,
                    rect: None,
                    page: seg.page,
                    origin: format!("WordDocument#cp{}", seg.start),
                });
            }
        }
        // A 0x01 right after a drawn-object anchor is that object's
        // placeholder (a SHAPE field's result), not a picture of its own.
        let pictures = seg
            .pictures
            .iter()
            .filter(|&&cp| !seg.anchors.contains(&cp.wrapping_sub(1)));
        let images = pictures.map(|&cp| Block {
            text: String::new(),
            kind: BlockKind::Image,
            rect: None,
            page: seg.page,
            origin: format!("WordDocument#cp{cp}"),
        });
        // A picture inside a cell follows that cell's block.
        if t.open {
            t.images.extend(images);
        } else {
            out.extend(images);
        }
    }
    t.close(&mut out);
    out
}

/// Without PAPX: a 0x07 ends a cell; an empty 0x07 right after a cell end is
/// the row-end mark; a 0x0D paragraph stays in the table only inside a row
/// (a multi-paragraph cell). Empty cells and multi-paragraph first cells are
/// misread this way; the text is kept either way.
fn guess_props(seg: &Segment, text: &str, prev: (Mark, bool), open: bool) -> ParaProps {
    let (prev_mark, prev_row_end) = prev;
    let mut p = ParaProps::default();
    match seg.mark {
        Mark::Cell => {
            p.in_table = true;
            p.ttp = prev_mark == Mark::Cell
                && !prev_row_end
                && text.is_empty()
                && seg.pictures.is_empty();
        }
        _ => p.in_table = open && !prev_row_end,
    }
    p
}

#[derive(Default)]
struct TableState {
    open: bool,
    /// Index of the next table to open.
    next: u32,
    row: u32,
    col: u32,
    cell: Vec<String>,
    cell_start: u32,
    cell_page: u32,
    /// Pictures of the current cell, emitted after it.
    images: Vec<Block>,
}

impl TableState {
    fn open_at(&mut self, seg: &Segment) {
        if !self.open {
            self.open = true;
            self.row = 0;
            self.col = 0;
        }
        if self.cell.is_empty() {
            self.cell_start = seg.start;
            self.cell_page = seg.page;
        }
    }

    fn push(&mut self, text: String) {
        self.cell.push(text);
    }

    /// End the current cell and emit it (`always`: even when empty).
    fn flush_cell(&mut self, out: &mut Vec<Block>, always: bool) {
        if self.cell.is_empty() && !always {
            return;
        }
        let text = self.cell.join("\n").trim_matches('\n').to_string();
        out.push(Block {
            text,
            kind: BlockKind::Cell {
                table: self.next,
                row: self.row,
                col: self.col,
                row_span: 1,
                col_span: 1,
            },
            rect: None,
            page: self.cell_page,
            origin: format!("WordDocument#cp{}", self.cell_start),
        });
        self.cell.clear();
        self.col += 1;
        out.append(&mut self.images);
    }

    /// Text left before a row end without its own cell mark becomes a cell.
    fn flush(&mut self, out: &mut Vec<Block>) {
        if self.cell.iter().any(|c| !c.trim().is_empty()) {
            self.flush_cell(out, false);
        }
        self.cell.clear();
        out.append(&mut self.images);
    }

    fn close(&mut self, out: &mut Vec<Block>) {
        if self.open {
            self.flush(out);
            self.open = false;
            self.next += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::story::segments;
    use super::*;

    fn decode_all(segs: &[Segment]) -> Vec<String> {
        segs.iter()
            .map(|s| String::from_utf16_lossy(&s.units))
            .collect()
    }
    fn cell(b: &Block) -> (String, u32, u32, u32) {
        match b.kind {
            BlockKind::Cell {
                table, row, col, ..
            } => (b.text.clone(), table, row, col),
            _ => panic!("not a cell: {b:?}"),
        }
    }
    fn units(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn cells_from_marks_alone() {
        let u = units("前言\r风险点\x07等级\r说明\x07\x07岗位A\x07高\x07\x07后记\r");
        let segs = segments(&u, 0, 0);
        let b = blocks(&segs, &decode_all(&segs), None);
        assert_eq!(b[0].text, "前言");
        assert_eq!(b[0].kind, BlockKind::Paragraph);
        assert_eq!(b[0].origin, "WordDocument#cp0");
        assert_eq!(cell(&b[1]), ("风险点".into(), 0, 0, 0));
        assert_eq!(cell(&b[2]), ("等级\n说明".into(), 0, 0, 1));
        assert_eq!(b[2].origin, "WordDocument#cp7");
        assert_eq!(cell(&b[3]), ("岗位A".into(), 0, 1, 0));
        assert_eq!(b[3].origin, "WordDocument#cp14");
        assert_eq!(cell(&b[4]), ("高".into(), 0, 1, 1));
        assert_eq!(b[5].text, "后记");
        assert_eq!(b.len(), 6);
    }

    #[test]
    fn cells_from_paragraph_properties() {
        // An empty first cell, which the marks alone would take for a row end.
        let u = units("\x07乙\x07\x07丙\x07丁\x07\x07外\r");
        let segs = segments(&u, 0, 0);
        let ttp_marks = [3u32, 8];
        let props = |cp: u32| ParaProps {
            in_table: cp < 9,
            ttp: ttp_marks.contains(&cp),
            itap: u32::from(cp < 9),
            ..ParaProps::default()
        };
        let b = blocks(&segs, &decode_all(&segs), Some(&props));
        assert_eq!(cell(&b[0]), ("".into(), 0, 0, 0));
        assert_eq!(cell(&b[1]), ("乙".into(), 0, 0, 1));
        assert_eq!(cell(&b[2]), ("丙".into(), 0, 1, 0));
        assert_eq!(cell(&b[3]), ("丁".into(), 0, 1, 1));
        assert_eq!(b[4].text, "外");
        assert_eq!(b.len(), 5);
    }

    #[test]
    fn two_tables_are_numbered_and_pictures_kept() {
        let u = units("a\x07\x07中\x01\x08\x01\rb\x07\x07");
        let segs = segments(&u, 0, 0);
        let b = blocks(&segs, &decode_all(&segs), None);
        assert_eq!(cell(&b[0]), ("a".into(), 0, 0, 0));
        assert_eq!(b[1].text, "中");
        assert_eq!(b[2].kind, BlockKind::Image);
        assert_eq!(b[2].origin, "WordDocument#cp4");
        assert_eq!(cell(&b[3]), ("b".into(), 1, 0, 0));
        assert_eq!(b.len(), 4);
    }
}

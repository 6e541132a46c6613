//! Main-story segments → Paragraph, Cell and Image blocks. Table structure
//! comes from the paragraph properties when they could be read, else from
//! the cell marks alone.

use std::collections::HashMap;

use super::papx::{ParaProps, RowDef};
use super::story::{Mark, Segment, paragraph_marks};
use crate::document::{Block, BlockKind};

/// Turns segments into blocks; `texts` holds each segment's rendered text,
/// `props` gives the properties of the paragraph whose mark is at a CP and
/// `defs` the row layouts its row-end marks refer to.
pub fn blocks(
    segs: &[Segment],
    texts: &[String],
    props: Option<&dyn Fn(u32) -> ParaProps>,
    defs: &[RowDef],
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
                let def = p.row_def.and_then(|i| defs.get(i as usize)).cloned();
                t.end_row(def);
            } else if seg.mark == Mark::Cell {
                t.push(text);
                t.end_cell();
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
    /// Finished rows of the open table.
    rows: Vec<Row>,
    /// Finished cells of the open row.
    cells: Vec<Cell>,
    /// Paragraphs of the open cell.
    cell: Vec<String>,
    cell_start: u32,
    cell_page: u32,
    /// Pictures of the open cell.
    images: Vec<Block>,
}

struct Cell {
    text: String,
    start: u32,
    page: u32,
    images: Vec<Block>,
}

struct Row {
    cells: Vec<Cell>,
    def: Option<RowDef>,
}

impl TableState {
    fn open_at(&mut self, seg: &Segment) {
        self.open = true;
        if self.cell.is_empty() {
            self.cell_start = seg.start;
            self.cell_page = seg.page;
        }
    }

    fn push(&mut self, text: String) {
        self.cell.push(text);
    }

    fn end_cell(&mut self) {
        let text = self.cell.join("\n").trim_matches('\n').to_string();
        self.cells.push(Cell {
            text,
            start: self.cell_start,
            page: self.cell_page,
            images: std::mem::take(&mut self.images),
        });
        self.cell.clear();
    }

    /// Text left without its own cell mark becomes a cell of its own.
    fn end_stray_text(&mut self) {
        if self.cell.iter().any(|c| !c.trim().is_empty()) || !self.images.is_empty() {
            self.end_cell();
        }
        self.cell.clear();
    }

    fn end_row(&mut self, def: Option<RowDef>) {
        self.end_stray_text();
        let cells = std::mem::take(&mut self.cells);
        self.rows.push(Row { cells, def });
    }

    fn close(&mut self, out: &mut Vec<Block>) {
        if !self.open {
            return;
        }
        self.end_stray_text();
        if !self.cells.is_empty() {
            self.end_row(None);
        }
        layout(self.next, std::mem::take(&mut self.rows), out);
        self.open = false;
        self.next += 1;
    }
}

/// Cell blocks of one table. With row layouts, columns are positions on
/// the grid of all cell edges (so a wide cell spans the narrow ones below
/// it), and merged cells become one block with spans; without, a cell's
/// column is its index in the row.
fn layout(table: u32, rows: Vec<Row>, out: &mut Vec<Block>) {
    let mut grid: Vec<i16> = rows
        .iter()
        .filter_map(|r| r.def.as_ref())
        .flat_map(|d| d.edges.iter().copied())
        .collect();
    grid.sort_unstable();
    grid.dedup();
    let col_of = |edge: i16| grid.binary_search(&edge).unwrap_or_else(|i| i) as u32;
    // Grid column → index in `blocks` of the vertically merged cell open there.
    let mut open_down: HashMap<u32, usize> = HashMap::new();
    let mut blocks: Vec<(Block, Vec<Block>)> = Vec::new();
    for (r, row) in rows.into_iter().enumerate() {
        let r = r as u32;
        let def = row.def.filter(|d| d.cells.len() >= row.cells.len());
        let mut last_in_row: Option<usize> = None;
        for (i, cell) in row.cells.into_iter().enumerate() {
            let (col, span, cd) = match &def {
                Some(d) => {
                    let left = d.edges.get(i).copied().map(col_of).unwrap_or(i as u32);
                    let right = d.edges.get(i + 1).copied().map(col_of).unwrap_or(left + 1);
                    (
                        left,
                        right.saturating_sub(left).max(1),
                        d.cells.get(i).copied().unwrap_or_default(),
                    )
                }
                None => (i as u32, 1, Default::default()),
            };
            let target = if cd.merged_left {
                last_in_row
            } else if cd.merged_up {
                open_down.get(&col).copied()
            } else {
                None
            };
            if let Some(k) = target {
                let (block, images) = &mut blocks[k];
                if let BlockKind::Cell {
                    row,
                    row_span,
                    col_span,
                    ..
                } = &mut block.kind
                {
                    if cd.merged_left {
                        *col_span += span;
                    } else {
                        *row_span = r - *row + 1;
                    }
                }
                if !cell.text.trim().is_empty() {
                    if !block.text.is_empty() {
                        block.text.push('\n');
                    }
                    block.text.push_str(&cell.text);
                }
                images.extend(cell.images);
                if cd.merged_left {
                    last_in_row = Some(k);
                }
                continue;
            }
            blocks.push((
                Block {
                    text: cell.text,
                    kind: BlockKind::Cell {
                        table,
                        row: r,
                        col,
                        row_span: 1,
                        col_span: span,
                    },
                    rect: None,
                    page: cell.page,
                    origin: format!("WordDocument#cp{}", cell.start),
                },
                cell.images,
            ));
            last_in_row = Some(blocks.len() - 1);
            // Any cell may be the top of a vertical merge.
            open_down.insert(col, blocks.len() - 1);
        }
    }
    for (block, images) in blocks {
        out.push(block);
        out.extend(images);
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
        let b = blocks(&segs, &decode_all(&segs), None, &[]);
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
        let b = blocks(&segs, &decode_all(&segs), Some(&props), &[]);
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
        let b = blocks(&segs, &decode_all(&segs), None, &[]);
        assert_eq!(cell(&b[0]), ("a".into(), 0, 0, 0));
        assert_eq!(b[1].text, "中");
        assert_eq!(b[2].kind, BlockKind::Image);
        assert_eq!(b[2].origin, "WordDocument#cp4");
        assert_eq!(cell(&b[3]), ("b".into(), 1, 0, 0));
        assert_eq!(b.len(), 4);
    }

    #[test]
    fn row_layouts_give_grid_columns_and_merges() {
        use super::super::papx::CellDef;
        // Row 0: one wide cell over the grid edges 0, 100, 200; row 1: two
        // cells, the second merged into the first (old-style); row 2: the
        // first cell continues the merged cell above, and its text is kept.
        let u = units("宽\x07\x07左\x07并\x07\x07续\x07右\x07\x07");
        let segs = segments(&u, 0, 0);
        let plain = CellDef::default();
        let defs = [
            RowDef {
                min_height: 0,
                edges: vec![0, 200],
                cells: vec![plain],
            },
            RowDef {
                min_height: 0,
                edges: vec![0, 100, 200],
                cells: vec![
                    plain,
                    CellDef {
                        merged_left: true,
                        merged_up: false,
                    },
                ],
            },
            RowDef {
                min_height: 0,
                edges: vec![0, 100, 200],
                cells: vec![
                    CellDef {
                        merged_left: false,
                        merged_up: true,
                    },
                    plain,
                ],
            },
        ];
        let ttp = [2u32, 7, 12];
        let props = |cp: u32| ParaProps {
            in_table: true,
            ttp: ttp.contains(&cp),
            row_def: ttp.iter().position(|&t| t == cp).map(|i| i as u32),
            ..ParaProps::default()
        };
        let b = blocks(&segs, &decode_all(&segs), Some(&props), &defs);
        let spans: Vec<(String, u32, u32, u32, u32)> = b
            .iter()
            .map(|b| match b.kind {
                BlockKind::Cell {
                    row,
                    col,
                    row_span,
                    col_span,
                    ..
                } => (b.text.clone(), row, col, row_span, col_span),
                _ => panic!("not a cell"),
            })
            .collect();
        assert_eq!(
            spans,
            [
                ("宽".into(), 0, 0, 1, 2),
                ("左\n并\n续".into(), 1, 0, 2, 2),
                ("右".into(), 2, 1, 1, 1),
            ]
        );
    }

    #[test]
    fn tdef_table_operand() {
        use super::super::papx::row_def;
        // cb, itcMac 2, edges 0/1000/2000, TC80 #2 vertically continued.
        let mut op = vec![0u8, 0, 2];
        for e in [0i16, 1000, 2000] {
            op.extend_from_slice(&e.to_le_bytes());
        }
        op.extend_from_slice(&[0u8; 20]);
        let mut tc = [0u8; 20];
        tc[0] = 0x20;
        op.extend_from_slice(&tc);
        let d = row_def(&op).unwrap();
        assert_eq!(d.edges, [0, 1000, 2000]);
        assert!(!d.cells[0].merged_up && d.cells[1].merged_up);
        // Truncated edges: no layout.
        assert!(row_def(&op[..6]).is_none());
    }
}

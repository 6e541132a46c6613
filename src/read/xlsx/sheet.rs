//! Turning one sheet's cells and merged regions into blocks: A1 names,
//! spans, covered cells, geometry.

use super::grid::Grid;
use crate::document::{Block, BlockKind, Rect};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

/// Most text taken from one sheet: one long shared string referenced by a
/// million cells would otherwise be copied a million times.
pub(super) const MAX_SHEET_TEXT_BYTES: usize = 128 << 20;

/// A merged region, 0-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

/// One non-blank cell value as displayed text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct RawCell {
    pub row: u32,
    pub col: u32,
    pub text: String,
}

/// `0 → A`, `25 → Z`, `26 → AA`.
pub(super) fn col_name(mut col: u32) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.iter().rev().map(|&b| b as char).collect()
}

pub(super) fn a1(row: u32, col: u32) -> String {
    format!("{}{}", col_name(col), u64::from(row) + 1)
}

/// `C7` → (6, 2); `$C$7` accepted.
fn parse_a1(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().replace('$', "");
    let split = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    let mut col: u32 = 0;
    for c in letters.chars() {
        col = col * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
    }
    let row: u32 = digits.parse().ok()?;
    if row == 0 {
        return None;
    }
    Some((row - 1, col - 1))
}

/// `B2:C4` (or a single `B2`) → the region.
pub fn parse_a1_range(s: &str) -> Option<Merge> {
    let (a, b) = s.split_once(':').unwrap_or((s, s));
    let (r1, c1) = parse_a1(a)?;
    let (r2, c2) = parse_a1(b)?;
    Some(Merge {
        first_row: r1.min(r2),
        first_col: c1.min(c2),
        last_row: r1.max(r2),
        last_col: c1.max(c2),
    })
}

/// Cells (any order) + merged regions → blocks in row-major order. A merged
/// region gives one block at its top-left cell; other cells it covers give none.
pub(super) fn cell_blocks(
    table: u32,
    sheet_name: &str,
    mut cells: Vec<RawCell>,
    merges: &[Merge],
    grid: &Grid,
) -> Vec<Block> {
    cells.sort_by_key(|c| (c.row, c.col));
    let by_top_left: HashMap<(u32, u32), &Merge> = merges
        .iter()
        .map(|m| ((m.first_row, m.first_col), m))
        .collect();
    let mut pending: Vec<&Merge> = merges.iter().collect();
    pending.sort_by_key(|m| Reverse(m.first_row));
    // Regions covering the current row, keyed by first column, and when they end.
    let mut active: BTreeMap<u32, &Merge> = BTreeMap::new();
    let mut ends: BinaryHeap<Reverse<(u32, u32)>> = BinaryHeap::new();

    let mut blocks = Vec::with_capacity(cells.len());
    for cell in cells {
        while pending.last().is_some_and(|m| m.first_row <= cell.row) {
            if let Some(m) = pending.pop() {
                active.insert(m.first_col, m);
                ends.push(Reverse((m.last_row, m.first_col)));
            }
        }
        while let Some(&Reverse((last_row, first_col))) = ends.peek() {
            if last_row >= cell.row {
                break;
            }
            ends.pop();
            if active
                .get(&first_col)
                .is_some_and(|m| m.last_row == last_row)
            {
                active.remove(&first_col);
            }
        }
        let covering = active
            .range(..=cell.col)
            .next_back()
            .map(|(_, m)| *m)
            .filter(|m| {
                cell.col <= m.last_col && m.first_row <= cell.row && cell.row <= m.last_row
            });
        let top_left = by_top_left.get(&(cell.row, cell.col)).copied();
        if covering.is_some() && top_left.is_none() {
            continue;
        }
        let (last_row, last_col, origin) = match top_left {
            Some(m) => (
                m.last_row,
                m.last_col,
                format!(
                    "{sheet_name}!{}:{}",
                    a1(m.first_row, m.first_col),
                    a1(m.last_row, m.last_col)
                ),
            ),
            None => (
                cell.row,
                cell.col,
                format!("{sheet_name}!{}", a1(cell.row, cell.col)),
            ),
        };
        let x = grid.x(cell.col);
        let y = grid.y(cell.row);
        blocks.push(Block {
            text: cell.text,
            kind: BlockKind::Cell {
                table,
                row: cell.row,
                col: cell.col,
                row_span: last_row - cell.row + 1,
                col_span: last_col - cell.col + 1,
            },
            rect: Some(Rect {
                x,
                y,
                w: grid.x(last_col.saturating_add(1)) - x,
                h: grid.y(last_row.saturating_add(1)) - y,
            }),
            page: table,
            origin,
        });
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_names_round_trip() {
        assert_eq!(col_name(0), "A");
        assert_eq!(col_name(25), "Z");
        assert_eq!(col_name(26), "AA");
        assert_eq!(col_name(16383), "XFD");
        assert_eq!(a1(6, 2), "C7");
        assert_eq!(parse_a1("$C$7"), Some((6, 2)));
        assert_eq!(parse_a1("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_a1("C0"), None);
        assert_eq!(parse_a1("7"), None);
        assert_eq!(
            parse_a1_range("C9:B7"),
            Some(Merge {
                first_row: 6,
                first_col: 1,
                last_row: 8,
                last_col: 2
            })
        );
    }

    #[test]
    fn merged_region_is_one_block_and_covered_cells_vanish() {
        let cells = vec![
            RawCell {
                row: 2,
                col: 0,
                text: "after".into(),
            },
            RawCell {
                row: 0,
                col: 1,
                text: "covered".into(),
            },
            RawCell {
                row: 0,
                col: 0,
                text: "top".into(),
            },
            RawCell {
                row: 1,
                col: 2,
                text: "right".into(),
            },
        ];
        let merges = [Merge {
            first_row: 0,
            first_col: 0,
            last_row: 1,
            last_col: 1,
        }];
        let blocks = cell_blocks(3, "S", cells, &merges, &Grid::default());
        let got: Vec<(&str, &str, BlockKind)> = blocks
            .iter()
            .map(|b| (b.text.as_str(), b.origin.as_str(), b.kind.clone()))
            .collect();
        let cell = |row, col, row_span, col_span| BlockKind::Cell {
            table: 3,
            row,
            col,
            row_span,
            col_span,
        };
        assert_eq!(
            got,
            vec![
                ("top", "S!A1:B2", cell(0, 0, 2, 2)),
                ("right", "S!C2", cell(1, 2, 1, 1)),
                ("after", "S!A3", cell(2, 0, 1, 1)),
            ]
        );
        assert_eq!(
            blocks[0].rect,
            Some(Rect {
                x: 0,
                y: 0,
                w: 2 * 609_600,
                h: 2 * 190_500
            })
        );
        assert_eq!(
            blocks[1].rect,
            Some(Rect {
                x: 2 * 609_600,
                y: 190_500,
                w: 609_600,
                h: 190_500
            })
        );
        assert_eq!(blocks[2].page, 3);
    }
}

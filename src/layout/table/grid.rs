//! A table's cells laid out on their grid, merged cells covering every
//! position they span.

use crate::document::{Block, BlockKind};

/// Caps on a table's grid (cells beyond them are kept as unplaced text).
const MAX_ROWS: usize = 5_000;
const MAX_COLS: usize = 64;

/// One table of the segment laid out on its grid: every grid position holds
/// the index (into the segment) of the block covering it.
pub(super) struct Grid {
    pub(super) rows: usize,
    pub(super) cols: usize,
    at: Vec<Option<usize>>,
    /// Blocks of this table that fall outside the caps.
    pub(super) outside: Vec<usize>,
}

impl Grid {
    pub(super) fn get(&self, r: usize, c: usize) -> Option<usize> {
        if r < self.rows && c < self.cols {
            self.at.get(r * self.cols + c).copied().flatten()
        } else {
            None
        }
    }
    /// Distinct blocks of row r, left to right.
    pub(super) fn row_blocks(&self, r: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for c in 0..self.cols {
            if let Some(b) = self.get(r, c)
                && !out.contains(&b)
            {
                out.push(b);
            }
        }
        out
    }
}

pub(super) fn cell_pos(b: &Block) -> Option<(u32, usize, usize, usize, usize)> {
    match b.kind {
        BlockKind::Cell {
            table,
            row,
            col,
            row_span,
            col_span,
        } => Some((
            table,
            row as usize,
            col as usize,
            row_span.max(1) as usize,
            col_span.max(1) as usize,
        )),
        _ => None,
    }
}

pub(super) fn grids(seg: &[&Block]) -> Vec<Grid> {
    // Members of each table, tables in order of their first block.
    let mut tables: Vec<(u32, Vec<usize>)> = Vec::new();
    let mut slot: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    for (i, b) in seg.iter().enumerate() {
        if let Some((t, ..)) = cell_pos(b) {
            let k = *slot.entry(t).or_insert_with(|| {
                tables.push((t, Vec::new()));
                tables.len() - 1
            });
            tables[k].1.push(i);
        }
    }
    tables
        .into_iter()
        .map(|(_, members)| {
            let mut rows = 0;
            let mut cols = 0;
            for &i in &members {
                if let Some((_, r, c, rs, cs)) = cell_pos(seg[i]) {
                    rows = rows.max(r.saturating_add(rs).min(MAX_ROWS));
                    cols = cols.max(c.saturating_add(cs).min(MAX_COLS));
                }
            }
            let mut at = vec![None; rows * cols];
            let mut outside = Vec::new();
            for &i in &members {
                let Some((_, r, c, rs, cs)) = cell_pos(seg[i]) else {
                    continue;
                };
                if r >= rows || c >= cols {
                    outside.push(i);
                    continue;
                }
                for rr in r..r.saturating_add(rs).min(rows) {
                    for cc in c..c.saturating_add(cs).min(cols) {
                        // The first block claiming a position keeps it.
                        if at[rr * cols + cc].is_none() {
                            at[rr * cols + cc] = Some(i);
                        }
                    }
                }
            }
            Grid {
                rows,
                cols,
                at,
                outside,
            }
        })
        .collect()
}

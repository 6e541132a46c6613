//! RTF tables: rows are collected with their cell boundaries (`\cellx`) and
//! merge marks (`\clvmgf`/`\clvmrg`, `\clmgf`/`\clmrg`), then laid on one
//! grid made of every boundary of the table, so rows with different cell
//! widths and merged cells get the right column and spans.

use crate::document::BlockKind;

/// One `\cellx` definition with the cell properties before it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CellDef {
    /// Right boundary in twips.
    pub right: i32,
    pub vmerge: Merge,
    pub hmerge: Merge,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Merge {
    #[default]
    None,
    First,
    Continue,
}

#[derive(Debug, Clone, Default)]
pub struct Row {
    pub left: i32,
    pub defs: Vec<CellDef>,
    /// Text and origin of each `\cell`.
    pub cells: Vec<(String, String)>,
}

/// Most rows and cells kept for one table (hostile row definitions).
pub const MAX_ROWS: usize = 100_000;
pub const MAX_CELLS_PER_ROW: usize = 1_000;

/// The table's cells as (text, kind, origin), in row order; merged-away
/// cells are left out, empty cells too.
pub fn cells(rows: &[Row], table: u32) -> Vec<(String, BlockKind, String)> {
    let mut bounds: Vec<i32> = Vec::new();
    let spans: Vec<Vec<(i32, i32)>> = rows.iter().map(row_spans).collect();
    for (row, sp) in rows.iter().zip(&spans) {
        bounds.push(row.left);
        for &(l, r) in sp {
            bounds.push(l);
            bounds.push(r);
        }
    }
    bounds.sort_unstable();
    bounds.dedup();
    let col_of = |x: i32| bounds.binary_search(&x).unwrap_or_else(|i| i) as u32;
    let mut out = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let mut k = 0;
        while k < row.cells.len() {
            let def = row.defs.get(k).cloned().unwrap_or_default();
            let (left, mut right) = spans[r].get(k).copied().unwrap_or((0, 0));
            let (text, origin) = row.cells[k].clone();
            let mut text = text;
            // Cells merged into this one from the right.
            let mut j = k + 1;
            while j < row.cells.len()
                && row.defs.get(j).is_some_and(|d| d.hmerge == Merge::Continue)
            {
                right = spans[r].get(j).map_or(right, |s| s.1);
                let more = &row.cells[j].0;
                if !more.trim().is_empty() {
                    if !text.is_empty() {
                        text.push('\n');
                    }
                    text.push_str(more);
                }
                j += 1;
            }
            k = j;
            if def.vmerge == Merge::Continue {
                continue;
            }
            let mut row_span = 1u32;
            if def.vmerge == Merge::First {
                for (below, sp) in rows.iter().zip(&spans).skip(r + 1) {
                    let cont = below
                        .defs
                        .iter()
                        .zip(sp)
                        .any(|(d, &(l, _))| l == left && d.vmerge == Merge::Continue);
                    if !cont {
                        break;
                    }
                    row_span += 1;
                }
            }
            if text.trim().is_empty() {
                continue;
            }
            let col = col_of(left);
            let col_span = col_of(right).saturating_sub(col).max(1);
            out.push((
                text,
                BlockKind::Cell {
                    table,
                    row: r as u32,
                    col,
                    row_span,
                    col_span,
                },
                origin,
            ));
        }
    }
    out
}

/// Each cell's (left, right) boundary in twips.
fn row_spans(row: &Row) -> Vec<(i32, i32)> {
    let mut left = row.left;
    row.defs
        .iter()
        .map(|d| {
            let l = left;
            // Boundaries out of order are broken input: keep cells apart.
            let r = d.right.max(l.saturating_add(1));
            left = r;
            (l, r)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(defs: &[(i32, Merge)], texts: &[&str]) -> Row {
        Row {
            left: 0,
            defs: defs
                .iter()
                .map(|&(right, vmerge)| CellDef {
                    right,
                    vmerge,
                    hmerge: Merge::None,
                })
                .collect(),
            cells: texts
                .iter()
                .map(|t| (t.to_string(), "#p1".to_string()))
                .collect(),
        }
    }

    #[test]
    fn merged_down_and_uneven_rows() {
        use Merge::*;
        let rows = vec![
            row(
                &[(2000, None), (4000, None), (6000, None)],
                &["环节", "风险点", "等级"],
            ),
            row(
                &[(2000, First), (4000, None), (6000, None)],
                &["受理", "不一次性告知", "低"],
            ),
            row(
                &[(2000, Continue), (4000, None), (6000, None)],
                &["", "超时办理", "中"],
            ),
            row(&[(4000, None), (6000, None)], &["防控措施", "责任人"]),
        ];
        let got: Vec<(String, u32, u32, u32, u32)> = cells(&rows, 0)
            .into_iter()
            .map(|(t, k, _)| match k {
                BlockKind::Cell {
                    row,
                    col,
                    row_span,
                    col_span,
                    ..
                } => (t, row, col, row_span, col_span),
                _ => unreachable!(),
            })
            .collect();
        let want = [
            ("环节", 0, 0, 1, 1),
            ("风险点", 0, 1, 1, 1),
            ("等级", 0, 2, 1, 1),
            ("受理", 1, 0, 2, 1),
            ("不一次性告知", 1, 1, 1, 1),
            ("低", 1, 2, 1, 1),
            ("超时办理", 2, 1, 1, 1),
            ("中", 2, 2, 1, 1),
            ("防控措施", 3, 0, 1, 2),
            ("责任人", 3, 2, 1, 1),
        ];
        let want: Vec<(String, u32, u32, u32, u32)> = want
            .iter()
            .map(|&(t, a, b, c, d)| (t.to_string(), a, b, c, d))
            .collect();
        assert_eq!(got, want);
    }
}

//! Sheet geometry: column widths and row heights → EMU offsets, read from the
//! worksheet XML (`<cols>`, `<sheetFormatPr>`, `<row ht>`), plus the merged
//! regions (`<mergeCell ref>`) found in the same pass.

use super::xml::{Ev, Xml, attr, attr_f64, local};
use super::{Merge, parse_a1_range};

/// EMU per pixel at 96 dpi.
const EMU_PER_PX: i64 = 9525;
/// EMU per point.
const EMU_PER_PT: f64 = 12700.0;
/// Excel's default row: 15 pt.
pub(super) const DEFAULT_ROW_EMU: i64 = 190_500;
/// Excel's default column: 8.43 characters = 64 px.
pub(super) const DEFAULT_COL_EMU: i64 = 64 * EMU_PER_PX;
/// Excel's limits, to keep hostile indices from overflowing sums.
const MAX_COLS: u32 = 16_384;
const MAX_ROWS: u32 = 1_048_576;

/// Sizes along one axis: a default plus sorted, non-overlapping overrides.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Axis {
    default: i64,
    /// (first, last inclusive, size) sorted by `first`.
    overrides: Vec<(u32, u32, i64)>,
    /// `prefix[k]` = sum over overrides[..k] of (size − default) × count.
    prefix: Vec<i64>,
}

impl Axis {
    pub fn new(default: i64, mut overrides: Vec<(u32, u32, i64)>) -> Self {
        overrides.sort_by_key(|o| o.0);
        // Later ranges that overlap an earlier one are dropped: Excel never writes them.
        let mut clean: Vec<(u32, u32, i64)> = Vec::with_capacity(overrides.len());
        for o in overrides {
            if o.1 < o.0 || clean.last().is_some_and(|l| o.0 <= l.1) {
                continue;
            }
            clean.push(o);
        }
        let mut prefix = Vec::with_capacity(clean.len() + 1);
        let mut sum = 0i64;
        prefix.push(0);
        for &(a, b, size) in &clean {
            sum += (size - default) * (i64::from(b) - i64::from(a) + 1);
            prefix.push(sum);
        }
        Axis {
            default,
            overrides: clean,
            prefix,
        }
    }

    /// Offset of the start of index `i` from the start of index 0.
    pub fn offset(&self, i: u32) -> i64 {
        // Overrides starting before i.
        let k = self.overrides.partition_point(|o| o.0 < i);
        let mut off = i64::from(i) * self.default
            + self.prefix.get(k.saturating_sub(1)).copied().unwrap_or(0);
        if let Some(&(a, b, size)) = k.checked_sub(1).and_then(|j| self.overrides.get(j)) {
            // The last override may be only partly before i.
            let covered = i64::from(b.min(i.saturating_sub(1))) - i64::from(a) + 1;
            off += (size - self.default) * covered.max(0);
        }
        off
    }
}

/// Column and row geometry of one sheet.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Grid {
    pub cols: Axis,
    pub rows: Axis,
}

impl Default for Grid {
    fn default() -> Self {
        Grid {
            cols: Axis::new(DEFAULT_COL_EMU, Vec::new()),
            rows: Axis::new(DEFAULT_ROW_EMU, Vec::new()),
        }
    }
}

impl Grid {
    pub fn x(&self, col: u32) -> i64 {
        self.cols.offset(col.min(MAX_COLS))
    }
    pub fn y(&self, row: u32) -> i64 {
        self.rows.offset(row.min(MAX_ROWS))
    }
}

/// Excel's column width (in characters of the default font, padding
/// included) → pixels at a maximum digit width of 7 px.
pub(super) fn width_chars_to_emu(w: f64) -> i64 {
    // Excel's widest column is 255 characters.
    let w = w.clamp(0.0, 255.0);
    let px = (((256.0 * w + (128.0f64 / 7.0).trunc()) / 256.0) * 7.0).trunc();
    (px.max(0.0) as i64) * EMU_PER_PX
}

/// A default width in characters without padding (`baseColWidth`, BIFF
/// DEFCOLWIDTH): Excel pads it by 5 px and rounds up to a multiple of 8 px.
pub(super) fn base_width_to_emu(chars: f64) -> i64 {
    let px = (chars.clamp(0.0, 255.0) * 7.0).trunc() as i64 + 5;
    ((px + 7) / 8 * 8) * EMU_PER_PX
}

fn points_to_emu(pt: f64) -> i64 {
    // Excel's tallest row is 409 pt.
    (pt.clamp(0.0, 409.0) * EMU_PER_PT).round() as i64
}

/// What the worksheet XML tells us beyond its cell values.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct SheetLayout {
    pub grid: Grid,
    pub merges: Vec<Merge>,
}

/// Stream the worksheet XML for geometry and merges. An `Err` is a message
/// for a `ReadIssue`; what was read before the error is still returned.
pub(super) fn read_layout(
    xml: &[u8],
    max_depth: usize,
    max_merges: usize,
) -> (SheetLayout, Option<String>) {
    let mut default_col: Option<i64> = None;
    let mut base_col: Option<f64> = None;
    let mut default_row = DEFAULT_ROW_EMU;
    let mut cols = Vec::new();
    let mut rows = Vec::new();
    let mut merges = Vec::new();
    let mut next_row: u32 = 0;
    let mut reader = Xml::new(xml, max_depth);
    let mut problem = None;
    loop {
        let e = match reader.next() {
            Ok(Ev::Start(e)) | Ok(Ev::Empty(e)) => e,
            Ok(Ev::Eof) => break,
            Ok(_) => continue,
            Err(m) => {
                problem = Some(m);
                break;
            }
        };
        match local(&e).as_str() {
            "sheetFormatPr" => {
                if let Some(h) = attr_f64(&e, "defaultRowHeight") {
                    default_row = points_to_emu(h);
                }
                default_col = attr_f64(&e, "defaultColWidth").map(width_chars_to_emu);
                base_col = attr_f64(&e, "baseColWidth");
            }
            "col" => {
                let first = attr(&e, "min").and_then(|v| v.parse::<u32>().ok());
                let last = attr(&e, "max").and_then(|v| v.parse::<u32>().ok());
                let (Some(first), Some(last)) = (first, last) else {
                    continue;
                };
                if first == 0 || first > MAX_COLS || last < first {
                    continue;
                }
                let hidden = attr(&e, "hidden").is_some_and(|v| v == "1" || v == "true");
                let width = match attr_f64(&e, "width") {
                    _ if hidden => 0,
                    Some(w) => width_chars_to_emu(w),
                    None => continue,
                };
                cols.push((first - 1, last.min(MAX_COLS) - 1, width));
            }
            "row" => {
                let r = attr(&e, "r")
                    .and_then(|v| v.parse::<u32>().ok())
                    .filter(|r| (1..=MAX_ROWS).contains(r))
                    .map(|r| r - 1)
                    .unwrap_or(next_row);
                next_row = r.saturating_add(1);
                let hidden = attr(&e, "hidden").is_some_and(|v| v == "1" || v == "true");
                if hidden {
                    rows.push((r, r, 0));
                } else if let Some(ht) = attr_f64(&e, "ht") {
                    rows.push((r, r, points_to_emu(ht)));
                }
            }
            "mergeCell" => {
                if merges.len() >= max_merges {
                    problem
                        .get_or_insert_with(|| format!("合并区域超过 {max_merges} 个，其余忽略"));
                    continue;
                }
                if let Some(m) = attr(&e, "ref").and_then(|r| parse_a1_range(&r)) {
                    merges.push(m);
                }
            }
            _ => {}
        }
    }
    let default_col =
        default_col.unwrap_or_else(|| base_col.map_or(DEFAULT_COL_EMU, base_width_to_emu));
    let layout = SheetLayout {
        grid: Grid {
            cols: Axis::new(default_col, cols),
            rows: Axis::new(default_row, rows),
        },
        merges,
    };
    (layout, problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_width_in_characters_becomes_pixels_like_excel() {
        // 9.140625 characters is Excel's stored width of a 64 px column.
        assert_eq!(width_chars_to_emu(9.140625), 64 * 9525);
        assert_eq!(width_chars_to_emu(20.0), 140 * 9525);
        assert_eq!(width_chars_to_emu(0.0), 0);
        assert_eq!(base_width_to_emu(8.0), 64 * 9525);
    }

    #[test]
    fn axis_offsets_sum_defaults_and_overrides() {
        let a = Axis::new(10, vec![(2, 3, 100), (6, 6, 0)]);
        assert_eq!(a.offset(0), 0);
        assert_eq!(a.offset(2), 20);
        assert_eq!(a.offset(3), 120);
        assert_eq!(a.offset(4), 220);
        assert_eq!(a.offset(6), 240);
        assert_eq!(a.offset(7), 240);
        assert_eq!(a.offset(8), 250);
    }

    #[test]
    fn layout_reads_cols_rows_and_merges() {
        let xml = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetFormatPr defaultRowHeight="20"/>
<cols><col min="4" max="0" width="90"/><col min="2" max="3" width="20" customWidth="1"/><col min="5" max="5" width="3" hidden="1"/></cols>
<sheetData><row r="2" ht="30" customHeight="1"><c r="B2"/></row><row><c r="A3"/></row></sheetData>
<mergeCells count="1"><mergeCell ref="B2:C4"/></mergeCells></worksheet>"#;
        let (l, problem) = read_layout(xml, 64, 10);
        assert_eq!(problem, None);
        assert_eq!(l.grid.x(1), 64 * 9525);
        assert_eq!(l.grid.x(3), (64 + 140 * 2) * 9525);
        assert_eq!(l.grid.x(5), (64 * 2 + 140 * 2) * 9525);
        assert_eq!(l.grid.y(1), 254_000);
        assert_eq!(l.grid.y(2), 254_000 + 381_000);
        assert_eq!(
            l.merges,
            vec![Merge {
                first_row: 1,
                first_col: 1,
                last_row: 3,
                last_col: 2
            }]
        );
    }
}

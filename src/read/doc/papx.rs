//! Paragraph properties that matter for tables, lists, pages and the
//! paragraph-height estimate, from the PAPX FKPs (PlcBtePapx → 512-byte
//! PapxFkp pages in `WordDocument`).

use super::bytes::{Plc, slice, u8_at, u16_at, u32_at};
use super::styles::Styles;

/// What the reader needs to know about one paragraph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParaProps {
    /// sprmPFInTable: the paragraph is inside a table cell.
    pub in_table: bool,
    /// sprmPFTtp: the paragraph is a (top-level) table row-end mark.
    pub ttp: bool,
    /// sprmPItap: table nesting depth (0 outside tables).
    pub itap: u32,
    /// sprmPFInnerTtp: row-end mark of a nested table.
    pub inner_ttp: bool,
    /// sprmPFPageBreakBefore: the paragraph starts a new page.
    pub page_break_before: bool,
    /// sprmPIlfo: 1-based list instance (0: not in a list).
    pub ilfo: i16,
    /// sprmPIlvl: list level.
    pub ilvl: u8,
    /// Row-end marks: index of the row's cell layout in [`ParaRuns::row_defs`].
    pub row_def: Option<u32>,
    /// sprmPDyaBefore / sprmPDyaAfter: space around the paragraph, twips.
    pub space_before: u16,
    pub space_after: u16,
    /// sprmPDyaLine: line spacing (None: single).
    pub line: Option<LineSpacing>,
    /// The font size (half-points) the paragraph's style gives its text.
    pub style_hps: Option<u16>,
}

/// An LSPD: `dya` 240ths of a line when `multiple`, else twips (exactly
/// when negative, at least when positive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineSpacing {
    pub dya: i16,
    pub multiple: bool,
}

/// A table row's cells as sprmTDefTable describes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowDef {
    /// Cell edges in twips, one more than there are cells.
    pub edges: Vec<i16>,
    pub cells: Vec<CellDef>,
    /// sprmTDyaRowHeight: the row's least (or exact) height in twips.
    pub min_height: u16,
}

/// Merge flags of one cell (TC80).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CellDef {
    /// Merged into the cell on its left (old-style horizontal merge).
    pub merged_left: bool,
    /// Continues the vertically merged cell above.
    pub merged_up: bool,
}

/// Most cells in one row (Word allows 63).
const MAX_CELLS: usize = 64;

/// Parse a sprmTDefTable operand (its two size bytes included).
pub fn row_def(operand: &[u8]) -> Option<RowDef> {
    let itc = (*operand.get(2)? as usize).min(MAX_CELLS);
    let edges: Vec<i16> = (0..=itc)
        .map(|i| u16_at(operand, 3 + i * 2).map(|v| v as i16))
        .collect::<Option<_>>()?;
    let tcs = 3 + (itc + 1) * 2;
    // Fewer TC80s than cells may be stored: the rest are plain cells.
    let cells = (0..itc)
        .map(|i| {
            let grf = u16_at(operand, tcs + i * 20).unwrap_or(0);
            CellDef {
                merged_left: grf & 0x0003 >= 2,
                merged_up: (grf >> 5) & 0x0003 == 1,
            }
        })
        .collect();
    Some(RowDef {
        edges,
        cells,
        min_height: 0,
    })
}

impl ParaProps {
    pub fn in_table(&self) -> bool {
        self.in_table || self.itap > 0
    }
}

/// Paragraph properties by the stream offset (FC) of the paragraph mark.
#[derive(Debug, Default)]
pub struct ParaRuns {
    /// (fc_start, fc_end, props), sorted by fc_start.
    runs: Vec<(u32, u32, ParaProps)>,
    row_defs: Vec<RowDef>,
}

const FKP: usize = 512;

impl ParaRuns {
    pub fn read(wd: &[u8], plc_bytes: &[u8], styles: &Styles) -> Result<ParaRuns, String> {
        let plc = Plc::new(plc_bytes, 4).ok_or("PlcBtePapx 大小不合法")?;
        let mut out = ParaRuns::default();
        for i in 0..plc.count {
            let pn = (u32_at(plc.data(i), 0).unwrap_or(0) & 0x003F_FFFF) as usize;
            let page = slice(wd, pn * FKP, FKP).ok_or("PAPX 页超出文档流")?;
            out.read_fkp(page, styles);
        }
        out.runs.sort_by_key(|r| r.0);
        Ok(out)
    }

    /// Properties of the paragraph whose mark is at stream offset `fc`.
    pub fn at(&self, fc: u32) -> ParaProps {
        let i = self.runs.partition_point(|r| r.0 <= fc);
        match i.checked_sub(1).and_then(|i| self.runs.get(i)) {
            Some(&(_, end, props)) if fc < end => props,
            _ => ParaProps::default(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    pub fn row_defs(&self) -> &[RowDef] {
        &self.row_defs
    }

    fn read_fkp(&mut self, page: &[u8], styles: &Styles) {
        let crun = page[FKP - 1] as usize;
        // rgfc (crun + 1 u32) and rgbx (13 bytes each) must fit before the count byte.
        if crun == 0 || 4 * (crun + 1) + 13 * crun > FKP - 1 {
            return;
        }
        for i in 0..crun {
            let (Some(start), Some(end)) = (u32_at(page, i * 4), u32_at(page, i * 4 + 4)) else {
                return;
            };
            let b_offset = page[4 * (crun + 1) + 13 * i] as usize;
            let props = if b_offset == 0 {
                // No PAPX: the Normal style's properties.
                styles.para(0)
            } else {
                self.papx_props(page, b_offset * 2, styles)
            };
            if start < end {
                self.runs.push((start, end, props));
            }
        }
    }

    /// PapxInFkp at `off`: a size, then GrpPrlAndIstd (istd, then sprms).
    fn papx_props(&mut self, page: &[u8], off: usize, styles: &Styles) -> ParaProps {
        let (start, len) = match u8_at(page, off) {
            Some(0) => match u8_at(page, off + 1) {
                Some(cb) => (off + 2, 2 * cb as usize),
                None => return ParaProps::default(),
            },
            Some(cb) => (off + 1, 2 * cb as usize - 1),
            None => return ParaProps::default(),
        };
        let end = (start + len).min(page.len());
        let Some(grp) = page.get(start..end).filter(|g| g.len() >= 2) else {
            return ParaProps::default();
        };
        // The paragraph's own sprms go on top of its style's.
        let mut p = styles.para(u16_at(grp, 0).unwrap_or(0));
        apply_grpprl(&mut p, &grp[2..]);
        if p.ttp {
            let mut def: Option<RowDef> = None;
            let mut row_height = 0;
            for (sprm, op) in sprms(&grp[2..]) {
                match sprm {
                    SPRM_T_DEF_TABLE => def = row_def(op).or(def),
                    // Negative means exactly, positive at least: either way a floor here.
                    SPRM_T_DYA_ROW_HEIGHT => {
                        row_height = u16_at(op, 0).map_or(0, |v| (v as i16).unsigned_abs());
                    }
                    // Word 2000+ states vertical merges separately: itc, then the merge kind.
                    SPRM_T_VERT_MERGE => {
                        let (Some(itc), Some(kind)) = (op.get(1), op.get(2)) else {
                            continue;
                        };
                        if let Some(c) = def.as_mut().and_then(|d| d.cells.get_mut(*itc as usize)) {
                            c.merged_up = *kind == 1;
                        }
                    }
                    _ => {}
                }
            }
            if let Some(mut def) = def {
                // The height may come before or after the cell layout.
                def.min_height = row_height;
                p.row_def = Some(self.row_defs.len() as u32);
                self.row_defs.push(def);
            }
        }
        p
    }
}

const SPRM_P_FPAGE_BREAK_BEFORE: u16 = 0x2407;
const SPRM_P_ILVL: u16 = 0x260A;
const SPRM_P_ILFO: u16 = 0x460B;
const SPRM_P_FIN_TABLE: u16 = 0x2416;
const SPRM_P_FTTP: u16 = 0x2417;
const SPRM_P_ITAP: u16 = 0x6649;
const SPRM_P_DTAP: u16 = 0x664A;
const SPRM_P_FINNER_TTP: u16 = 0x244C;
const SPRM_P_DYA_LINE: u16 = 0x6412;
const SPRM_P_DYA_BEFORE: u16 = 0xA413;
const SPRM_P_DYA_AFTER: u16 = 0xA414;
const SPRM_T_DEF_TABLE: u16 = 0xD608;
const SPRM_T_DYA_ROW_HEIGHT: u16 = 0x9407;
const SPRM_T_VERT_MERGE: u16 = 0xD62B;
const SPRM_P_CHG_TABS: u16 = 0xC615;

/// The (sprm, operand) pairs of a grpprl, up to the first malformed one.
pub fn sprms(grp: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut off = 0;
    std::iter::from_fn(move || {
        let sprm = u16_at(grp, off)?;
        let op = off + 2;
        let len = operand_len(sprm, grp, op)?;
        let operand = slice(grp, op, len)?;
        off = op + len;
        Some((sprm, operand))
    })
}

/// Apply a grpprl's paragraph properties on top of `p` (a style's, say).
pub fn apply_grpprl(p: &mut ParaProps, grp: &[u8]) {
    for (sprm, operand) in sprms(grp) {
        let byte = operand.first().copied().unwrap_or(0);
        match sprm {
            SPRM_P_FPAGE_BREAK_BEFORE => p.page_break_before = byte != 0,
            SPRM_P_ILVL => p.ilvl = byte.min(8),
            SPRM_P_ILFO => p.ilfo = u16_at(operand, 0).unwrap_or(0) as i16,
            SPRM_P_FIN_TABLE => p.in_table = byte != 0,
            SPRM_P_FTTP => p.ttp = byte != 0,
            SPRM_P_FINNER_TTP => p.inner_ttp = byte != 0,
            SPRM_P_ITAP => p.itap = u32_at(operand, 0).unwrap_or(0).min(64),
            SPRM_P_DTAP => {
                let d = u32_at(operand, 0).unwrap_or(0) as i32;
                p.itap = (p.itap as i64 + d as i64).clamp(0, 64) as u32;
            }
            SPRM_P_DYA_BEFORE => p.space_before = u16_at(operand, 0).unwrap_or(0),
            SPRM_P_DYA_AFTER => p.space_after = u16_at(operand, 0).unwrap_or(0),
            SPRM_P_DYA_LINE => {
                p.line = match (u16_at(operand, 0), u16_at(operand, 2)) {
                    (Some(dya), Some(mult)) => Some(LineSpacing {
                        dya: dya as i16,
                        multiple: mult != 0,
                    }),
                    _ => p.line,
                }
            }
            _ => {}
        }
    }
}

/// Operand size from the sprm's spra bits (None: cannot tell, stop walking).
fn operand_len(sprm: u16, grp: &[u8], op: usize) -> Option<usize> {
    Some(match sprm >> 13 {
        0 | 1 => 1,
        2 | 4 | 5 => 2,
        3 => 4,
        7 => 3,
        _ => match sprm {
            // Two-byte size that counts one byte more than follows it.
            SPRM_T_DEF_TABLE => 2 + (u16_at(grp, op)? as usize).saturating_sub(1),
            // 255 means a size computed from the contents: not worth it here.
            SPRM_P_CHG_TABS if u8_at(grp, op)? == 255 => return None,
            _ => 1 + u8_at(grp, op)? as usize,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props_from_grpprl(grp: &[u8]) -> ParaProps {
        let mut p = ParaProps::default();
        apply_grpprl(&mut p, grp);
        p
    }

    #[test]
    fn grpprl_table_sprms() {
        // sprmPJc (1 byte), sprmPFInTable 1, sprmPItap 1, sprmPFTtp 1.
        let grp = [
            0x03, 0x24, 0x01, 0x16, 0x24, 0x01, 0x49, 0x66, 0x01, 0, 0, 0, 0x17, 0x24, 0x01,
        ];
        let p = props_from_grpprl(&grp);
        assert_eq!(
            p,
            ParaProps {
                in_table: true,
                ttp: true,
                itap: 1,
                ..ParaProps::default()
            }
        );
        // A variable-length sprm is skipped by its size byte; truncation stops the walk.
        let grp = [0x0D, 0xC6, 0x02, 0xAA, 0xBB, 0x16, 0x24, 0x01, 0x17, 0x24];
        let p = props_from_grpprl(&grp);
        assert!(p.in_table());
        assert!(!p.ttp);
    }

    #[test]
    fn grpprl_spacing_sprms() {
        // sprmPDyaBefore 240, sprmPDyaAfter 120, sprmPDyaLine exactly 300 twips.
        let grp = [
            0x13, 0xA4, 240, 0, 0x14, 0xA4, 120, 0, 0x12, 0x64, 0xD4, 0xFE, 0, 0,
        ];
        let p = props_from_grpprl(&grp);
        assert_eq!((p.space_before, p.space_after), (240, 120));
        assert_eq!(
            p.line,
            Some(LineSpacing {
                dya: -300,
                multiple: false
            })
        );
    }

    #[test]
    fn row_height_is_kept_with_the_row_layout() {
        // A row-end mark's PAPX: istd 0, sprmPFInTable, sprmPFTtp,
        // sprmTDyaRowHeight -567 (exactly 1 cm), then sprmTDefTable with one cell.
        let mut grp = vec![0, 0, 0x16, 0x24, 1, 0x17, 0x24, 1, 0x07, 0x94];
        grp.extend_from_slice(&(-567i16).to_le_bytes());
        // TDefTable: size 2 + 2 + 2 + 20 + 1 (counts one more), itc 1, edges 0 and 2000, one TC80.
        let body_len = 1 + 4 + 20;
        grp.extend_from_slice(&[0x08, 0xD6]);
        grp.extend_from_slice(&((body_len + 1) as u16).to_le_bytes());
        grp.push(1);
        grp.extend_from_slice(&0i16.to_le_bytes());
        grp.extend_from_slice(&2000i16.to_le_bytes());
        grp.extend_from_slice(&[0; 20]);
        // PapxInFkp: cb = 0 then cb' (words), at byte 200 of an FKP.
        let mut page = vec![0u8; FKP];
        for (i, fc) in [100u32, 110].iter().enumerate() {
            page[i * 4..i * 4 + 4].copy_from_slice(&fc.to_le_bytes());
        }
        page[8] = 100;
        if grp.len() % 2 == 1 {
            grp.push(0);
        }
        page[200] = 0;
        page[201] = (grp.len() / 2) as u8;
        page[202..202 + grp.len()].copy_from_slice(&grp);
        page[FKP - 1] = 1;
        let mut runs = ParaRuns::default();
        runs.read_fkp(&page, &Styles::default());
        let p = runs.at(105);
        assert!(p.ttp);
        let def = &runs.row_defs()[p.row_def.unwrap() as usize];
        assert_eq!((def.edges.clone(), def.min_height), (vec![0, 2000], 567));
    }

    #[test]
    fn fkp_runs_by_fc() {
        // One FKP with two paragraphs: [100, 120) plain, [120, 130) in a table.
        let mut page = vec![0u8; FKP];
        for (i, fc) in [100u32, 120, 130].iter().enumerate() {
            page[i * 4..i * 4 + 4].copy_from_slice(&fc.to_le_bytes());
        }
        let rgbx = 4 * 3;
        page[rgbx] = 0; // first paragraph: no PAPX
        page[rgbx + 13] = 100; // second: PAPX at byte 200
        // cb = 3 → 5 bytes: istd (2), sprmPFInTable 1.
        page[200..206].copy_from_slice(&[3, 0, 0, 0x16, 0x24, 0x01]);
        page[FKP - 1] = 2;
        let mut wd = vec![0u8; FKP];
        wd.extend_from_slice(&page);
        // PlcBtePapx: fcs 100, 130; pn 1.
        let mut plc = Vec::new();
        for v in [100u32, 130, 1] {
            plc.extend_from_slice(&v.to_le_bytes());
        }
        let runs = ParaRuns::read(&wd, &plc, &Styles::default()).unwrap();
        assert!(!runs.at(110).in_table());
        assert!(runs.at(125).in_table());
        assert_eq!(runs.at(130), ParaProps::default());
        assert_eq!(runs.at(5), ParaProps::default());
        // A page number past the stream is an error, not a panic.
        let bad = [100u32, 130, 999]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect::<Vec<_>>();
        assert!(ParaRuns::read(&wd, &bad, &Styles::default()).is_err());
    }
}

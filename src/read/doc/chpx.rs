//! Character properties that decide whether a character is shown at all:
//! deleted tracked changes and hidden text are not part of what a reader
//! sees; `fSpec` tells a real picture anchor (0x01) from a stray control
//! character; the font size feeds the paragraph-height estimate. Read from
//! the CHPX FKPs (PlcBteChpx → 512-byte ChpxFkp pages).

use super::bytes::{Plc, slice, u8_at, u16_at, u32_at};
use super::papx::sprms;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CharProps {
    /// sprmCFRMarkDel: deleted in a tracked change.
    pub deleted: bool,
    /// sprmCFVanish set outright (style-relative toggles are not resolved).
    pub hidden: bool,
    /// sprmCFSpec: a special character (picture, footnote reference …).
    pub special: bool,
    /// sprmCHps: font size in half-points (None: the style's).
    pub hps: Option<u16>,
}

/// Character properties by stream offset (FC).
#[derive(Debug, Default)]
pub struct CharRuns {
    runs: Vec<(u32, u32, CharProps)>,
}

const FKP: usize = 512;
const SPRM_C_FRMARK_DEL: u16 = 0x0800;
const SPRM_C_FVANISH: u16 = 0x083C;
const SPRM_C_FSPEC: u16 = 0x0855;
const SPRM_C_HPS: u16 = 0x4A43;

impl CharRuns {
    pub fn read(wd: &[u8], plc_bytes: &[u8]) -> Result<CharRuns, String> {
        let plc = Plc::new(plc_bytes, 4).ok_or("PlcBteChpx 大小不合法")?;
        let mut runs = Vec::new();
        for i in 0..plc.count {
            let pn = (u32_at(plc.data(i), 0).unwrap_or(0) & 0x003F_FFFF) as usize;
            let page = slice(wd, pn * FKP, FKP).ok_or("CHPX 页超出文档流")?;
            read_fkp(page, &mut runs);
        }
        runs.sort_by_key(|r| r.0);
        Ok(CharRuns { runs })
    }

    pub fn at(&self, fc: u32) -> CharProps {
        let i = self.runs.partition_point(|r| r.0 <= fc);
        match i.checked_sub(1).and_then(|i| self.runs.get(i)) {
            Some(&(_, end, props)) if fc < end => props,
            _ => CharProps::default(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }
}

fn read_fkp(page: &[u8], runs: &mut Vec<(u32, u32, CharProps)>) {
    let Some(crun) = u8_at(page, FKP - 1).map(usize::from) else {
        return;
    };
    // rgfc (crun + 1 u32) and rgb (one byte each) must fit before the count byte.
    if crun == 0 || 4 * (crun + 1) + crun > FKP - 1 {
        return;
    }
    for i in 0..crun {
        let (Some(start), Some(end)) = (u32_at(page, i * 4), u32_at(page, i * 4 + 4)) else {
            return;
        };
        let off = u8_at(page, 4 * (crun + 1) + i).unwrap_or(0) as usize * 2;
        let props = if off == 0 {
            CharProps::default()
        } else {
            let cb = u8_at(page, off).unwrap_or(0) as usize;
            let end_grp = (off + 1 + cb).min(page.len());
            page.get(off + 1..end_grp)
                .map(props_from_grpprl)
                .unwrap_or_default()
        };
        if start < end {
            runs.push((start, end, props));
        }
    }
}

pub fn props_from_grpprl(grp: &[u8]) -> CharProps {
    let mut p = CharProps::default();
    for (sprm, op) in sprms(grp) {
        let v = op.first().copied().unwrap_or(0);
        match sprm {
            SPRM_C_FRMARK_DEL => p.deleted = v == 1,
            // 0x80 / 0x81 mean "as the style" / "opposite of the style": unknown here, shown.
            SPRM_C_FVANISH => p.hidden = v == 1,
            SPRM_C_FSPEC => p.special = v == 1,
            // Word allows 1 to 1638 pt; anything else is noise.
            SPRM_C_HPS => p.hps = u16_at(op, 0).filter(|&h| (2..=3276).contains(&h)),
            _ => {}
        }
    }
    p
}

/// Blank out (as 0, which the story walker drops) characters a reader does
/// not see. Structural marks (cells, fields, breaks) stay so tables and
/// fields keep their shape; a deleted paragraph mark joins its paragraphs,
/// as Word shows it.
pub fn mask(units: &mut [u16], start: u32, props: &dyn Fn(u32) -> CharProps) {
    for (i, u) in units.iter_mut().enumerate() {
        let p = props(start.saturating_add(i as u32));
        let structural = matches!(*u, 0x07 | 0x0C | 0x13 | 0x14 | 0x15);
        let hide = match *u {
            _ if structural => false,
            0x0D => p.deleted,
            // Picture and drawn-object anchors only when marked special.
            0x01 | 0x08 => p.deleted || p.hidden || !p.special,
            _ => p.deleted || p.hidden,
        };
        if hide {
            *u = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpprl_flags() {
        // sprmCFRMarkDel 1, sprmCFBold 1, sprmCFSpec 1.
        let p = props_from_grpprl(&[0x00, 0x08, 0x01, 0x35, 0x08, 0x01, 0x55, 0x08, 0x01]);
        assert_eq!(
            p,
            CharProps {
                deleted: true,
                hidden: false,
                special: true,
                hps: None
            }
        );
        // sprmCHps 28 (14 pt); an absurd size is ignored.
        assert_eq!(props_from_grpprl(&[0x43, 0x4A, 28, 0]).hps, Some(28));
        assert_eq!(props_from_grpprl(&[0x43, 0x4A, 0, 0]).hps, None);
        // Vanish "opposite of the style" is not resolved: shown.
        assert!(!props_from_grpprl(&[0x3C, 0x08, 0x81]).hidden);
        assert!(props_from_grpprl(&[0x3C, 0x08, 0x01]).hidden);
    }

    #[test]
    fn masking_keeps_structure() {
        let mut u: Vec<u16> = "ab\rc\x07\x01\x01".encode_utf16().collect();
        // CP 1..=2 deleted ("b" and the paragraph mark), 4 (cell mark) deleted too,
        // CP 5 a special picture, CP 6 a plain 0x01.
        let props = |cp: u32| CharProps {
            deleted: (1..=2).contains(&cp) || cp == 4,
            hidden: false,
            special: cp == 5,
            hps: None,
        };
        mask(&mut u, 0, &props);
        assert_eq!(u, [0x61, 0, 0, 0x63, 0x07, 0x01, 0]);
    }

    #[test]
    fn fkp_runs() {
        let mut page = vec![0u8; FKP];
        for (i, fc) in [200u32, 210, 220].iter().enumerate() {
            page[i * 4..i * 4 + 4].copy_from_slice(&fc.to_le_bytes());
        }
        page[12] = 0;
        page[13] = 100; // second run's CHPX at byte 200
        page[200..204].copy_from_slice(&[3, 0x00, 0x08, 0x01]);
        page[FKP - 1] = 2;
        let plc: Vec<u8> = [200u32, 220, 0]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let runs = CharRuns::read(&page, &plc).unwrap();
        assert!(!runs.at(205).deleted);
        assert!(runs.at(215).deleted);
        assert!(!runs.at(220).deleted);
    }
}

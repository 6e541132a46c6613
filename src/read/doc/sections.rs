//! Page geometry per section (PlcfSed → SEPX in `WordDocument`): what the
//! drawing needs to turn margin-relative anchors into page positions and
//! what the paragraph-position estimate needs (top margin, text width).

use super::bytes::{Plc, slice, u16_at, u32_at};
use super::fib::Fib;
use super::papx::sprms;

/// One section's page, in twips.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub width: i32,
    pub left: i32,
    pub right: i32,
    pub top: i32,
}

impl Default for Page {
    /// A4 with Word's Chinese default margins (as the .docx reader assumes).
    fn default() -> Self {
        Page {
            width: 11_906,
            left: 1_800,
            right: 1_800,
            top: 1_440,
        }
    }
}

/// Twips → EMU.
pub const EMU_PER_TWIP: i64 = 635;

impl Page {
    /// Width of the text area in EMU, at least one inch.
    pub fn text_width(&self) -> i64 {
        let twips = i64::from(self.width) - i64::from(self.left) - i64::from(self.right);
        (twips * EMU_PER_TWIP).max(914_400)
    }
    pub fn top_emu(&self) -> i64 {
        i64::from(self.top) * EMU_PER_TWIP
    }
}

#[derive(Debug, Default)]
pub struct Sections {
    /// (first CP, page), by CP.
    list: Vec<(u32, Page)>,
}

const SPRM_S_XA_PAGE: u16 = 0xB01F;
const SPRM_S_DXA_LEFT: u16 = 0xB021;
const SPRM_S_DXA_RIGHT: u16 = 0xB022;
const SPRM_S_DYA_TOP: u16 = 0x9023;

impl Sections {
    pub fn read(wd: &[u8], table: &[u8], fib: &Fib) -> Sections {
        let mut list = Vec::new();
        let plc = match fib.plcf_sed.lcb {
            0 => None,
            n => slice(table, fib.plcf_sed.fc as usize, n as usize),
        };
        if let Some(plc) = plc.and_then(|b| Plc::new(b, 12)) {
            for i in 0..plc.count {
                let fc = u32_at(plc.data(i), 2).unwrap_or(u32::MAX) as usize;
                let sepx =
                    u16_at(wd, fc).and_then(|cb| slice(wd, fc.saturating_add(2), cb as usize));
                list.push((plc.pos(i), page_from_sepx(sepx.unwrap_or(&[]))));
            }
        }
        Sections { list }
    }

    /// The page of the section holding main-text CP `cp`.
    pub fn at(&self, cp: u32) -> Page {
        let i = self.list.partition_point(|s| s.0 <= cp);
        i.checked_sub(1)
            .and_then(|i| self.list.get(i))
            .map(|s| s.1)
            .unwrap_or_default()
    }
}

fn page_from_sepx(sepx: &[u8]) -> Page {
    let mut p = Page::default();
    for (sprm, op) in sprms(sepx) {
        let Some(v) = u16_at(op, 0) else { continue };
        match sprm {
            SPRM_S_XA_PAGE => p.width = i32::from(v),
            SPRM_S_DXA_LEFT => p.left = i32::from(v),
            SPRM_S_DXA_RIGHT => p.right = i32::from(v),
            // Negative: the same margin, kept even when the header grows.
            SPRM_S_DYA_TOP => p.top = i32::from(v as i16).abs(),
            _ => {}
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sepx_margins_and_width() {
        // xaPage 11906, left 1000, right 1200, top -1440 (exact).
        let mut sepx = Vec::new();
        for (sprm, v) in [
            (0xB01Fu16, 11906u16),
            (0xB021, 1000),
            (0xB022, 1200),
            (0x9023, (-1440i16) as u16),
        ] {
            sepx.extend_from_slice(&sprm.to_le_bytes());
            sepx.extend_from_slice(&v.to_le_bytes());
        }
        let p = page_from_sepx(&sepx);
        assert_eq!(
            p,
            Page {
                width: 11906,
                left: 1000,
                right: 1200,
                top: 1440
            }
        );
        assert_eq!(p.text_width(), 9706 * 635);
        assert_eq!(p.top_emu(), 914_400);
        // Margins wider than the page: the text width floor.
        let narrow = Page {
            width: 1000,
            ..Page::default()
        };
        assert_eq!(narrow.text_width(), 914_400);
        assert_eq!(Sections::default().at(5), Page::default());
    }
}

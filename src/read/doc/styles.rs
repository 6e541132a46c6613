//! Paragraph styles (the STSH in the table stream): a paragraph inherits its
//! style's properties, e.g. the list numbering of a numbered heading style,
//! and the font size its text has unless a run says otherwise.

use super::bytes::{slice, u16_at};
use super::chpx;
use super::papx::{ParaProps, apply_grpprl};

/// Resolved paragraph properties per style index (istd).
#[derive(Debug, Default)]
pub struct Styles {
    props: Vec<ParaProps>,
}

/// Deepest `istdBase` chain followed (real ones are a handful deep).
const MAX_CHAIN: usize = 16;
const MAX_STYLES: usize = 4096;
const NO_BASE: u16 = 0x0FFF;
const STK_PARAGRAPH: u16 = 1;

impl Styles {
    /// Parse an STSH; a malformed one yields the styles read so far.
    pub fn read(stsh: &[u8]) -> Styles {
        let raw = read_raw(stsh);
        let props = (0..raw.len())
            .map(|istd| {
                // Collect the chain from this style up to its root, then
                // apply from the root down.
                let mut chain = Vec::new();
                let mut at = istd;
                while let Some(Some(style)) = raw.get(at) {
                    chain.push(style);
                    if chain.len() >= MAX_CHAIN || style.base == NO_BASE {
                        break;
                    }
                    at = style.base as usize;
                }
                let mut p = ParaProps::default();
                for style in chain.iter().rev() {
                    apply_grpprl(&mut p, style.para);
                    p.style_hps = chpx::props_from_grpprl(style.chars).hps.or(p.style_hps);
                }
                p
            })
            .collect();
        Styles { props }
    }

    /// The properties style `istd` gives a paragraph.
    pub fn para(&self, istd: u16) -> ParaProps {
        self.props.get(istd as usize).copied().unwrap_or_default()
    }
}

/// One paragraph style as stored: its base style and its two grpprls.
struct RawStyle<'a> {
    base: u16,
    para: &'a [u8],
    chars: &'a [u8],
}

/// Per istd: the paragraph style (None for empty slots and non-paragraph styles).
fn read_raw(stsh: &[u8]) -> Vec<Option<RawStyle<'_>>> {
    let mut out = Vec::new();
    let Some(cb_stshi) = u16_at(stsh, 0) else {
        return out;
    };
    let stshi = 2;
    let (Some(cstd), Some(cb_base)) = (u16_at(stsh, stshi), u16_at(stsh, stshi + 2)) else {
        return out;
    };
    let mut off = stshi + cb_stshi as usize;
    for _ in 0..(cstd as usize).min(MAX_STYLES) {
        let Some(cb_std) = u16_at(stsh, off) else {
            break;
        };
        let std_at = off + 2;
        off = std_at + cb_std as usize;
        let entry =
            slice(stsh, std_at, cb_std as usize).and_then(|std| para_style(std, cb_base as usize));
        out.push(entry);
    }
    out
}

/// One STD: StdfBase (+ post-2000 part), the name, then the UPXs; for a
/// paragraph style the first UPX is `istd` + the paragraph grpprl, the
/// second the character grpprl.
fn para_style(std: &[u8], cb_base: usize) -> Option<RawStyle<'_>> {
    let w1 = u16_at(std, 2)?;
    if w1 & 0x000F != STK_PARAGRAPH {
        return None;
    }
    let istd_base = w1 >> 4;
    let cch = u16_at(std, cb_base)? as usize;
    // Name: cch UTF-16 units and a terminating zero.
    let mut off = cb_base + 2 + cch * 2 + 2;
    // UPXs start on an even offset within the STD.
    off += off % 2;
    let cb_upx = u16_at(std, off)? as usize;
    let upx = slice(std, off + 2, cb_upx)?;
    // The next UPX also starts on an even offset; a missing one is no sizes.
    let mut next = off + 2 + cb_upx;
    next += next % 2;
    let chars = u16_at(std, next)
        .and_then(|cb| slice(std, next + 2, cb as usize))
        .unwrap_or(&[]);
    Some(RawStyle {
        base: istd_base,
        para: upx.get(2..)?,
        chars,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An STD for a paragraph style with base `base`, name `name` and grpprl `grp`.
    fn std(base: u16, name: &str, grp: &[u8]) -> Vec<u8> {
        std_with_chars(base, name, grp, None)
    }

    /// The same, with a character UPX after the paragraph one.
    fn std_with_chars(base: u16, name: &str, grp: &[u8], chars: Option<&[u8]>) -> Vec<u8> {
        let mut s = Vec::new();
        s.extend_from_slice(&0u16.to_le_bytes()); // sti / flags
        s.extend_from_slice(&((base << 4) | STK_PARAGRAPH).to_le_bytes());
        s.extend_from_slice(&(2u16 << 12).to_le_bytes()); // cupx 2, istdNext 0
        s.extend_from_slice(&[0u8; 4]); // bchUpe, grfstd
        let units: Vec<u16> = name.encode_utf16().collect();
        s.extend_from_slice(&(units.len() as u16).to_le_bytes());
        for u in units {
            s.extend_from_slice(&u.to_le_bytes());
        }
        s.extend_from_slice(&[0, 0]);
        if s.len() % 2 == 1 {
            s.push(0);
        }
        s.extend_from_slice(&((2 + grp.len()) as u16).to_le_bytes());
        s.extend_from_slice(&[0, 0]); // istd
        s.extend_from_slice(grp);
        if let Some(chars) = chars {
            if s.len() % 2 == 1 {
                s.push(0);
            }
            s.extend_from_slice(&(chars.len() as u16).to_le_bytes());
            s.extend_from_slice(chars);
        }
        s
    }

    fn stsh(stds: &[Vec<u8>]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&4u16.to_le_bytes()); // cbStshi
        b.extend_from_slice(&(stds.len() as u16).to_le_bytes());
        b.extend_from_slice(&10u16.to_le_bytes()); // cbSTDBaseInFile
        for s in stds {
            b.extend_from_slice(&(s.len() as u16).to_le_bytes());
            b.extend_from_slice(s);
        }
        b
    }

    #[test]
    fn numbering_is_inherited_through_the_base_chain() {
        // 0: Normal; 1: heading, list 3 level 1; 2: based on 1, page break before.
        let normal = std(NO_BASE, "Normal", &[]);
        let heading = std(0, "H1", &[0x0B, 0x46, 3, 0, 0x0A, 0x26, 1]);
        let child = std(1, "H1x", &[0x07, 0x24, 1]);
        let styles = Styles::read(&stsh(&[normal, heading, child]));
        assert_eq!(styles.para(1).ilfo, 3);
        let p = styles.para(2);
        assert_eq!((p.ilfo, p.ilvl, p.page_break_before), (3, 1, true));
        assert_eq!(styles.para(0), ParaProps::default());
        assert_eq!(styles.para(99), ParaProps::default());
    }

    #[test]
    fn font_size_and_spacing_are_inherited() {
        // 0: Normal, 10.5 pt; 1: title, 18 pt, 12 pt after (odd-length
        // paragraph grpprl: the character UPX is padded); 2: based on 1.
        let normal = std_with_chars(NO_BASE, "Normal", &[], Some(&[0x43, 0x4A, 21, 0]));
        let title = std_with_chars(
            0,
            "Title",
            &[0x14, 0xA4, 240, 0, 0x07],
            Some(&[0x43, 0x4A, 36, 0]),
        );
        let child = std(1, "Sub", &[0x13, 0xA4, 120, 0]);
        let styles = Styles::read(&stsh(&[normal, title, child]));
        assert_eq!(styles.para(0).style_hps, Some(21));
        let p = styles.para(2);
        assert_eq!(
            (p.style_hps, p.space_before, p.space_after),
            (Some(36), 120, 240)
        );
    }

    #[test]
    fn cyclic_and_truncated_style_sheets() {
        // A style based on itself ends at the chain cap.
        let looped = std(0, "L", &[0x0B, 0x46, 1, 0]);
        let styles = Styles::read(&stsh(&[looped]));
        assert_eq!(styles.para(0).ilfo, 1);
        let b = stsh(&[std(NO_BASE, "Normal", &[0x0B, 0x46, 2, 0])]);
        for len in 0..b.len() {
            let _ = Styles::read(&b[..len]);
        }
    }
}

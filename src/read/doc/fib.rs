//! The File Information Block at the start of the `WordDocument` stream:
//! where every other structure is, and how long each story is.

use super::bytes::{u16_at, u32_at};

/// An (offset, length) pair into the table stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FcLcb {
    pub fc: u32,
    pub lcb: u32,
}

/// Story lengths in characters (CPs), in their order in the CP stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ccp {
    pub text: u32,
    pub ftn: u32,
    pub hdd: u32,
    /// Macro story: obsolete, 0 in practice, but it sits between headers and comments.
    pub mcr: u32,
    pub atn: u32,
    pub edn: u32,
    pub txbx: u32,
    pub hdr_txbx: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fib {
    pub n_fib: u16,
    /// Word 6 / Word 95 layout: no table stream, 8-bit text in the `lid` code page.
    pub legacy: bool,
    pub lid: u16,
    pub complex: bool,
    pub encrypted: bool,
    pub obfuscated: bool,
    /// True: the table stream is `1Table`, else `0Table`.
    pub table_1: bool,
    /// Start of the text in a non-complex Word 6/95 file.
    pub fc_min: u32,
    pub ccp: Ccp,
    pub clx: FcLcb,
    pub stshf: FcLcb,
    pub plcf_sed: FcLcb,
    pub plcf_bte_papx: FcLcb,
    pub plcf_bte_chpx: FcLcb,
    pub plc_spa_mom: FcLcb,
    pub dgg_info: FcLcb,
    pub plcf_txbx_txt: FcLcb,
    pub plf_lst: FcLcb,
    pub plf_lfo: FcLcb,
}

/// Why the FIB could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FibError {
    TooShort,
    NotWord(u16),
    TooOld(u16),
}

const W_IDENT: u16 = 0xA5EC;
/// Word 6 templates carry this identifier.
const W_IDENT_DOT6: u16 = 0xA5DC;
/// Seen on Word 95 files from other writers (Apache POI bug 51944).
const W_IDENT_95_ALT: u16 = 0xA699;
/// First nFib of the Word 97 layout; Word 6.0 is 101, Word 95 is 104/105.
const NFIB_97: u16 = 0xC0;
const NFIB_WORD6: u16 = 101;

// Offsets of the FibRgFcLcb97 pairs we use (index of the pair).
const I_STSHF: usize = 1;
const I_PLCF_SED: usize = 6;
const I_PLCF_BTE_CHPX: usize = 12;
const I_PLCF_BTE_PAPX: usize = 13;
const I_CLX: usize = 33;
const I_PLC_SPA_MOM: usize = 40;
const I_DGG_INFO: usize = 50;
const I_PLCF_TXBX_TXT: usize = 56;
const I_PLF_LST: usize = 73;
const I_PLF_LFO: usize = 74;

pub fn parse(wd: &[u8]) -> Result<Fib, FibError> {
    let ident = u16_at(wd, 0).ok_or(FibError::TooShort)?;
    if ![W_IDENT, W_IDENT_DOT6, W_IDENT_95_ALT].contains(&ident) {
        return Err(FibError::NotWord(ident));
    }
    let n_fib = u16_at(wd, 2).ok_or(FibError::TooShort)?;
    let lid = u16_at(wd, 6).ok_or(FibError::TooShort)?;
    let flags = u16_at(wd, 10).ok_or(FibError::TooShort)?;
    let mut fib = Fib {
        n_fib,
        lid,
        complex: flags & 0x0004 != 0,
        encrypted: flags & 0x0100 != 0,
        table_1: flags & 0x0200 != 0,
        obfuscated: flags & 0x8000 != 0,
        ..Fib::default()
    };
    if n_fib < NFIB_WORD6 {
        return Err(FibError::TooOld(n_fib));
    }
    if n_fib < NFIB_97 {
        parse_legacy(wd, &mut fib)?;
        return Ok(fib);
    }
    // FibBase (32 bytes), then three variable-length arrays, each led by its count.
    let mut off = 32;
    let csw = u16_at(wd, off).ok_or(FibError::TooShort)? as usize;
    off += 2 + csw * 2;
    let cslw = u16_at(wd, off).ok_or(FibError::TooShort)? as usize;
    let lw = off + 2;
    let lw_at = |i: usize| -> Result<u32, FibError> {
        if i >= cslw {
            return Ok(0);
        }
        u32_at(wd, lw + i * 4).ok_or(FibError::TooShort)
    };
    fib.ccp = Ccp {
        text: lw_at(3)?,
        ftn: lw_at(4)?,
        hdd: lw_at(5)?,
        mcr: lw_at(6)?,
        atn: lw_at(7)?,
        edn: lw_at(8)?,
        txbx: lw_at(9)?,
        hdr_txbx: lw_at(10)?,
    };
    off = lw + cslw * 4;
    let pairs = u16_at(wd, off).ok_or(FibError::TooShort)? as usize;
    let base = off + 2;
    let pair = |i: usize| -> Result<FcLcb, FibError> {
        if i >= pairs {
            return Ok(FcLcb::default());
        }
        let fc = u32_at(wd, base + i * 8).ok_or(FibError::TooShort)?;
        let lcb = u32_at(wd, base + i * 8 + 4).ok_or(FibError::TooShort)?;
        Ok(FcLcb { fc, lcb })
    };
    fib.clx = pair(I_CLX)?;
    fib.stshf = pair(I_STSHF)?;
    fib.plcf_sed = pair(I_PLCF_SED)?;
    fib.plcf_bte_papx = pair(I_PLCF_BTE_PAPX)?;
    fib.plcf_bte_chpx = pair(I_PLCF_BTE_CHPX)?;
    fib.plc_spa_mom = pair(I_PLC_SPA_MOM)?;
    fib.dgg_info = pair(I_DGG_INFO)?;
    fib.plcf_txbx_txt = pair(I_PLCF_TXBX_TXT)?;
    fib.plf_lst = pair(I_PLF_LST)?;
    fib.plf_lfo = pair(I_PLF_LFO)?;
    Ok(fib)
}

/// The fixed-layout FIB of Word 6 and Word 95: everything lives in the
/// `WordDocument` stream; we need the story lengths and the piece table.
fn parse_legacy(wd: &[u8], fib: &mut Fib) -> Result<(), FibError> {
    let at = |off: usize| u32_at(wd, off).ok_or(FibError::TooShort);
    fib.legacy = true;
    fib.fc_min = at(0x18)?;
    fib.ccp = Ccp {
        text: at(0x34)?,
        ftn: at(0x38)?,
        hdd: at(0x3C)?,
        mcr: at(0x40)?,
        atn: at(0x44)?,
        edn: at(0x48)?,
        txbx: at(0x4C)?,
        hdr_txbx: at(0x50)?,
    };
    fib.clx = FcLcb {
        fc: at(0x160)?,
        lcb: at(0x164)?,
    };
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A minimal Word 97 FIB: csw 14, cslw 22, 93 fc/lcb pairs.
    pub fn fib97(ccp_text: u32, ccp_txbx: u32, flags: u16, clx: (u32, u32)) -> Vec<u8> {
        fib97_with(ccp_text, ccp_txbx, flags, &[(I_CLX, clx)])
    }

    pub const TXBX_PAIR: usize = I_PLCF_TXBX_TXT;

    /// The same with any fc/lcb pairs set (by pair index).
    pub fn fib97_with(
        ccp_text: u32,
        ccp_txbx: u32,
        flags: u16,
        pairs: &[(usize, (u32, u32))],
    ) -> Vec<u8> {
        let mut b = vec![0u8; 32];
        b[0..2].copy_from_slice(&W_IDENT.to_le_bytes());
        b[2..4].copy_from_slice(&0x00C1u16.to_le_bytes());
        b[10..12].copy_from_slice(&flags.to_le_bytes());
        b.extend_from_slice(&14u16.to_le_bytes());
        b.extend_from_slice(&[0u8; 28]);
        b.extend_from_slice(&22u16.to_le_bytes());
        let mut lw = [0u32; 22];
        lw[3] = ccp_text;
        lw[9] = ccp_txbx;
        for v in lw {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.extend_from_slice(&93u16.to_le_bytes());
        for i in 0..93 {
            let (fc, lcb) = pairs.iter().find(|p| p.0 == i).map_or((0, 0), |p| p.1);
            b.extend_from_slice(&fc.to_le_bytes());
            b.extend_from_slice(&lcb.to_le_bytes());
        }
        b
    }

    #[test]
    fn word97_fields() {
        let b = fib97(120, 7, 0x0200 | 0x0004, (0x1234, 0x56));
        let fib = parse(&b).unwrap();
        assert_eq!(fib.n_fib, 0xC1);
        assert!(!fib.legacy);
        assert!(fib.table_1);
        assert!(fib.complex);
        assert!(!fib.encrypted);
        assert_eq!(fib.ccp.text, 120);
        assert_eq!(fib.ccp.txbx, 7);
        assert_eq!(
            fib.clx,
            FcLcb {
                fc: 0x1234,
                lcb: 0x56
            }
        );
        // fcClx of a standard FIB sits at 0x1A2.
        assert_eq!(u32_at(&b, 0x1A2), Some(0x1234));
    }

    #[test]
    fn encrypted_flag() {
        let fib = parse(&fib97(1, 0, 0x0100, (0, 0))).unwrap();
        assert!(fib.encrypted);
        assert!(!fib.obfuscated);
    }

    #[test]
    fn truncated_and_foreign() {
        let b = fib97(1, 0, 0, (0, 0));
        assert_eq!(parse(&b[..40]), Err(FibError::TooShort));
        // Cut inside the fc/lcb array: the pair we need is missing.
        assert_eq!(parse(&b[..300]), Err(FibError::TooShort));
        assert_eq!(parse(&[0x4D, 0x5A, 0, 0]), Err(FibError::NotWord(0x5A4D)));
        let mut old = b.clone();
        old[2..4].copy_from_slice(&45u16.to_le_bytes());
        assert_eq!(parse(&old), Err(FibError::TooOld(45)));
    }

    #[test]
    fn short_count_arrays_read_as_zero() {
        // A writer that stores fewer fc/lcb pairs than we look up: those are absent, not errors.
        let mut b = fib97(5, 0, 0, (0, 0));
        let pairs_off = 32 + 2 + 28 + 2 + 88;
        b[pairs_off..pairs_off + 2].copy_from_slice(&10u16.to_le_bytes());
        let fib = parse(&b).unwrap();
        assert_eq!(fib.ccp.text, 5);
        assert_eq!(fib.clx, FcLcb::default());
    }
}

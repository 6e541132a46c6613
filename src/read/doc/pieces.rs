//! The piece table (CLX → PlcPcd): where each run of characters lives in the
//! `WordDocument` stream, and the document's character stream built from it.

use encoding_rs::Encoding;

use super::bytes::{Plc, i32_at, slice, u8_at, u16_at, u32_at};

/// One run of consecutive CPs stored contiguously.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub cp_start: u32,
    pub cp_end: u32,
    /// Byte offset of the first character in the `WordDocument` stream.
    pub byte: u32,
    /// One byte per character (cp1252 or the legacy code page) instead of UTF-16LE.
    pub compressed: bool,
}

/// Parse a CLX: Prc entries (skipped), then the Pcdt holding the PlcPcd.
/// `legacy`: Word 6/95 pieces are always 8-bit and have no compression flag.
pub fn parse_clx(clx: &[u8], legacy: bool) -> Result<Vec<Piece>, String> {
    let mut off = 0usize;
    // Each Prc is at least 3 bytes, so this loop advances and ends.
    loop {
        match u8_at(clx, off) {
            Some(1) => {
                let cb = u16_at(clx, off + 1).ok_or("CLX 中的 Prc 被截断")? as i16;
                if cb < 0 {
                    return Err("CLX 中的 Prc 长度为负".into());
                }
                off += 3 + cb as usize;
            }
            Some(2) => break,
            Some(t) => return Err(format!("CLX 中出现未知记录类型 {t}")),
            None => return Err("CLX 中没有 Pcdt（片段表）".into()),
        }
    }
    let lcb = u32_at(clx, off + 1).ok_or("Pcdt 被截断")? as usize;
    let plc_bytes = slice(clx, off + 5, lcb).ok_or("PlcPcd 超出 CLX 范围")?;
    let plc = Plc::new(plc_bytes, 8).ok_or("PlcPcd 大小不合法")?;
    let mut pieces = Vec::with_capacity(plc.count);
    for i in 0..plc.count {
        let (cp_start, cp_end) = (plc.pos(i), plc.pos(i + 1));
        if cp_end < cp_start {
            return Err(format!("片段表中 CP 倒序（第 {i} 段）"));
        }
        if i == 0 && cp_start != 0 {
            return Err("片段表不从 CP 0 开始".into());
        }
        let fc = i32_at(plc.data(i), 2).unwrap_or(0) as u32;
        let (byte, compressed) = if legacy {
            (fc, true)
        } else if fc & 0x4000_0000 != 0 {
            ((fc & !0x4000_0000) / 2, true)
        } else {
            (fc, false)
        };
        pieces.push(Piece {
            cp_start,
            cp_end,
            byte,
            compressed,
        });
    }
    Ok(pieces)
}

/// The document's characters, indexed by CP.
#[derive(Debug, Default)]
pub struct CharStream {
    /// One unit per CP: a UTF-16 code unit, or for legacy files a code-page byte.
    pub units: Vec<u16>,
    pieces: Vec<Piece>,
    /// Word 6/95: units are bytes in this code page.
    legacy: Option<&'static Encoding>,
}

/// Build the character stream for CPs `0..want` (fewer when the pieces end
/// earlier). Problems come back as messages; the stream keeps what was read.
pub fn build(
    wd: &[u8],
    pieces: Vec<Piece>,
    want: u32,
    legacy: Option<&'static Encoding>,
) -> (CharStream, Vec<String>) {
    let mut problems = Vec::new();
    // Every real character takes at least one stream byte, so a stream
    // longer than the bytes means overlapping or absurd pieces.
    let cap = (want as usize).min(wd.len() + 16);
    let mut units: Vec<u16> = Vec::with_capacity(cap.min(1 << 20));
    'pieces: for (i, p) in pieces.iter().enumerate() {
        if p.cp_start as usize != units.len() {
            // A gap or overlap in CP space: we cannot index past it reliably.
            problems.push(format!("片段表第 {i} 段的 CP 不连续，其后的文字未读取"));
            break;
        }
        let width = if p.compressed { 1 } else { 2 };
        for k in 0..(p.cp_end - p.cp_start) as usize {
            if units.len() >= cap {
                if (units.len() as u64) < want as u64 {
                    problems.push("片段表长度超出文档流，其余文字未读取".into());
                }
                break 'pieces;
            }
            let at = p.byte as usize + k * width;
            let unit = if p.compressed {
                u8_at(wd, at).map(|b| {
                    if legacy.is_some() {
                        b as u16
                    } else {
                        cp1252_unit(b)
                    }
                })
            } else {
                u16_at(wd, at)
            };
            match unit {
                Some(u) => units.push(u),
                None => {
                    problems.push(format!("片段表第 {i} 段指向文档流之外"));
                    break 'pieces;
                }
            }
        }
    }
    (
        CharStream {
            units,
            pieces,
            legacy,
        },
        problems,
    )
}

impl CharStream {
    /// A stream of 8-bit legacy text with no piece table (non-complex Word 6/95).
    pub fn single_piece(
        wd: &[u8],
        fc: u32,
        len: u32,
        enc: &'static Encoding,
    ) -> (CharStream, Vec<String>) {
        let piece = Piece {
            cp_start: 0,
            cp_end: len,
            byte: fc,
            compressed: true,
        };
        build(wd, vec![piece], len, Some(enc))
    }

    pub fn len(&self) -> u32 {
        self.units.len() as u32
    }

    /// The units of CPs `start..end`, clamped to what exists.
    pub fn range(&self, start: u32, end: u32) -> &[u16] {
        let len = self.units.len();
        let s = (start as usize).min(len);
        let e = (end as usize).clamp(s, len);
        &self.units[s..e]
    }

    /// Byte offset in `WordDocument` of the character at `cp` (what PAPX runs are keyed by).
    pub fn fc_of(&self, cp: u32) -> Option<u32> {
        let i = self.pieces.partition_point(|p| p.cp_end <= cp);
        let p = self.pieces.get(i)?;
        if cp < p.cp_start {
            return None;
        }
        let width = if p.compressed { 1 } else { 2 };
        p.byte.checked_add((cp - p.cp_start).checked_mul(width)?)
    }

    /// Units → text.
    pub fn decode(&self, units: &[u16]) -> String {
        match self.legacy {
            Some(enc) => {
                let bytes: Vec<u8> = units.iter().map(|&u| u as u8).collect();
                enc.decode_without_bom_handling(&bytes).0.into_owned()
            }
            None => char::decode_utf16(units.iter().copied())
                .map(|r| r.unwrap_or('\u{FFFD}'))
                .collect(),
        }
    }
}

/// A compressed byte as Unicode: Latin-1, except the 0x80–0x9F bytes the
/// spec maps to their cp1252 characters.
pub fn cp1252_unit(b: u8) -> u16 {
    match b {
        0x82 => 0x201A,
        0x83 => 0x0192,
        0x84 => 0x201E,
        0x85 => 0x2026,
        0x86 => 0x2020,
        0x87 => 0x2021,
        0x88 => 0x02C6,
        0x89 => 0x2030,
        0x8A => 0x0160,
        0x8B => 0x2039,
        0x8C => 0x0152,
        0x91 => 0x2018,
        0x92 => 0x2019,
        0x93 => 0x201C,
        0x94 => 0x201D,
        0x95 => 0x2022,
        0x96 => 0x2013,
        0x97 => 0x2014,
        0x98 => 0x02DC,
        0x99 => 0x2122,
        0x9A => 0x0161,
        0x9B => 0x203A,
        0x9C => 0x0153,
        0x9F => 0x0178,
        _ => b as u16,
    }
}

/// The code page of 8-bit Word 6/95 text, from the document language.
pub fn legacy_encoding(lid: u16) -> &'static Encoding {
    use encoding_rs::*;
    match lid {
        0x0804 | 0x1004 => GBK,
        0x0404 | 0x0C04 | 0x1404 => BIG5,
        0x0411 => SHIFT_JIS,
        0x0412 => EUC_KR,
        0x0402 | 0x0419 | 0x0422 | 0x0423 | 0x0C1A | 0x042F => WINDOWS_1251,
        0x0405 | 0x040E | 0x0415 | 0x0418 | 0x041A | 0x041B | 0x0424 => WINDOWS_1250,
        0x0408 => WINDOWS_1253,
        0x041F => WINDOWS_1254,
        _ => WINDOWS_1252,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A CLX with one Prc and the given pieces (cp_start, cp_end, raw fc).
    pub fn clx(pieces: &[(u32, u32, u32)]) -> Vec<u8> {
        let mut b = vec![1u8, 3, 0, 0xAA, 0xBB, 0xCC];
        b.push(2);
        let lcb = 4 + pieces.len() * 12;
        b.extend_from_slice(&(lcb as u32).to_le_bytes());
        for p in pieces {
            b.extend_from_slice(&p.0.to_le_bytes());
        }
        b.extend_from_slice(&pieces.last().map(|p| p.1).unwrap_or(0).to_le_bytes());
        for p in pieces {
            b.extend_from_slice(&0u16.to_le_bytes());
            b.extend_from_slice(&p.2.to_le_bytes());
            b.extend_from_slice(&0u16.to_le_bytes());
        }
        b
    }

    #[test]
    fn compressed_and_unicode_pieces() {
        // Bytes 0..4: "Ab\x93\x80"; bytes 8..: UTF-16 "风险".
        let mut wd = b"Ab\x93\x80\0\0\0\0".to_vec();
        for u in "风险".encode_utf16() {
            wd.extend_from_slice(&u.to_le_bytes());
        }
        let c = clx(&[(0, 4, 0x4000_0000), (4, 6, 8)]);
        let pieces = parse_clx(&c, false).unwrap();
        assert_eq!(pieces[0].byte, 0);
        assert!(pieces[0].compressed);
        assert_eq!(pieces[1].byte, 8);
        let (cs, problems) = build(&wd, pieces, 6, None);
        assert!(problems.is_empty());
        // 0x93 is a left double quote; 0x80 is not in the spec's list and stays U+0080.
        assert_eq!(cs.decode(&cs.units), "Ab\u{201C}\u{0080}风险");
        assert_eq!(cs.fc_of(2), Some(2));
        assert_eq!(cs.fc_of(5), Some(10));
        assert_eq!(cs.fc_of(6), None);
    }

    #[test]
    fn cp1252_exceptions() {
        assert_eq!(cp1252_unit(0x85), 0x2026);
        assert_eq!(cp1252_unit(0x96), 0x2013);
        assert_eq!(cp1252_unit(0x9F), 0x0178);
        assert_eq!(cp1252_unit(0x81), 0x0081);
        assert_eq!(cp1252_unit(0xE9), 0x00E9);
    }

    #[test]
    fn hostile_piece_tables() {
        // CPs going backwards.
        assert!(parse_clx(&clx(&[(0, 5, 0), (5, 2, 0)]), false).is_err());
        // Not starting at 0.
        assert!(parse_clx(&clx(&[(2, 5, 0)]), false).is_err());
        // No Pcdt at all / unknown record / truncated Prc.
        assert!(parse_clx(&[1, 0, 0], false).is_err());
        assert!(parse_clx(&[7], false).is_err());
        assert!(parse_clx(&[1, 0xFF, 0x7F], false).is_err());
        // A piece pointing past the stream keeps what precedes it.
        let wd = b"hello".to_vec();
        let pieces = parse_clx(
            &clx(&[(0, 3, 0x4000_0000), (3, 9, 0x4000_0000 | 20)]),
            false,
        )
        .unwrap();
        let (cs, problems) = build(&wd, pieces, 9, None);
        assert_eq!(cs.decode(&cs.units), "hel");
        assert_eq!(problems.len(), 1);
        // An absurd length is capped by the stream size, not allocated.
        let pieces = parse_clx(&clx(&[(0, 0x7FFF_FFF0, 0x4000_0000)]), false).unwrap();
        let (cs, problems) = build(&wd, pieces, u32::MAX, None);
        assert_eq!(cs.len(), 5);
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn legacy_bytes_decode_in_code_page() {
        let wd = [0xB7u8, 0xE7, 0xCF, 0xD5, 0x0D];
        let (cs, _) = CharStream::single_piece(&wd, 0, 5, legacy_encoding(0x0804));
        assert_eq!(cs.decode(cs.range(0, 4)), "风险");
        assert_eq!(cs.range(4, 5), &[0x0D]);
    }
}

//! CMaps embedded in PDF files: `ToUnicode` maps (code → text) and the code
//! space ranges that say how many bytes each character code takes.

use super::lexer::{Lexer, Operand, Token};
use std::collections::HashMap;

/// A `begincodespacerange` entry: codes of `len` bytes whose bytes each lie
/// between those of `lo` and `hi`.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeRange {
    pub len: usize,
    pub lo: Vec<u8>,
    pub hi: Vec<u8>,
}

#[derive(Debug, Clone)]
enum RangeDst {
    /// The first code maps to this text; the next codes increment its last unit.
    Base(Vec<u16>),
    List(Vec<String>),
}

/// A parsed CMap: code space, code → text (`bfchar`/`bfrange`) and
/// code → CID (`cidchar`/`cidrange`).
#[derive(Debug, Clone, Default)]
pub struct CMap {
    pub codespace: Vec<CodeRange>,
    chars: HashMap<(usize, u32), String>,
    ranges: Vec<(usize, u32, u32, RangeDst)>,
    cids: HashMap<(usize, u32), u32>,
    cid_ranges: Vec<(usize, u32, u32, u32)>,
}

/// Ranges longer than this are clamped (a hostile `<00000000> <FFFFFFFF>`).
const MAX_RANGE: u32 = 1 << 16;

fn code_of(bytes: &[u8]) -> u32 {
    bytes.iter().take(4).fold(0, |a, b| a << 8 | *b as u32)
}

fn utf16_text(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|c| (c[0] as u16) << 8 | c.get(1).copied().unwrap_or(0) as u16)
        .collect()
}

fn text_of(units: &[u16]) -> String {
    char::decode_utf16(units.iter().copied())
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect()
}

impl CMap {
    pub fn parse(data: &[u8]) -> CMap {
        let mut map = CMap::default();
        let mut operands: Vec<Operand> = Vec::new();
        for tok in Lexer::new(data) {
            match tok {
                Token::Operand(o) => {
                    if operands.len() < 300_000 {
                        operands.push(o);
                    }
                }
                Token::InlineImage => operands.clear(),
                Token::Operator(op) => {
                    match op.as_slice() {
                        b"endcodespacerange" => {
                            for pair in operands.chunks(2) {
                                if let [Operand::Str(lo), Operand::Str(hi)] = pair
                                    && !lo.is_empty()
                                    && lo.len() == hi.len()
                                    && lo.len() <= 4
                                {
                                    map.codespace.push(CodeRange {
                                        len: lo.len(),
                                        lo: lo.clone(),
                                        hi: hi.clone(),
                                    });
                                }
                            }
                        }
                        b"endbfchar" => {
                            for pair in operands.chunks(2) {
                                match pair {
                                    [Operand::Str(src), Operand::Str(dst)] if src.len() <= 4 => {
                                        map.chars.insert(
                                            (src.len(), code_of(src)),
                                            text_of(&utf16_text(dst)),
                                        );
                                    }
                                    [Operand::Str(src), Operand::Name(n)] if src.len() <= 4 => {
                                        if let Some(c) = super::encoding::glyph_unicode(n) {
                                            map.chars.insert((src.len(), code_of(src)), c);
                                        }
                                    }
                                    _ => {}
                                }
                            }
                        }
                        b"endbfrange" => {
                            for triple in operands.chunks(3) {
                                let [Operand::Str(lo), Operand::Str(hi), dst] = triple else {
                                    continue;
                                };
                                if lo.len() > 4 || lo.is_empty() {
                                    continue;
                                }
                                let (l, h) = (code_of(lo), code_of(hi));
                                if h < l {
                                    continue;
                                }
                                let h = h.min(l.saturating_add(MAX_RANGE));
                                let dst = match dst {
                                    Operand::Str(d) => RangeDst::Base(utf16_text(d)),
                                    Operand::Array(items) => RangeDst::List(
                                        items
                                            .iter()
                                            .map(|i| match i {
                                                Operand::Str(d) => text_of(&utf16_text(d)),
                                                _ => String::new(),
                                            })
                                            .collect(),
                                    ),
                                    _ => continue,
                                };
                                map.ranges.push((lo.len(), l, h, dst));
                            }
                        }
                        b"endcidchar" => {
                            for pair in operands.chunks(2) {
                                if let [Operand::Str(src), Operand::Num(cid)] = pair
                                    && src.len() <= 4
                                {
                                    map.cids
                                        .insert((src.len(), code_of(src)), cid.max(0.0) as u32);
                                }
                            }
                        }
                        b"endcidrange" => {
                            for triple in operands.chunks(3) {
                                if let [Operand::Str(lo), Operand::Str(hi), Operand::Num(cid)] =
                                    triple
                                    && lo.len() <= 4
                                {
                                    let (l, h) = (code_of(lo), code_of(hi));
                                    if h >= l {
                                        map.cid_ranges.push((lo.len(), l, h, cid.max(0.0) as u32));
                                    }
                                }
                            }
                        }
                        _ => {}
                    }
                    operands.clear();
                }
            }
        }
        map
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty() && self.ranges.is_empty()
    }

    /// The text of one code of `len` bytes.
    pub fn text(&self, len: usize, code: u32) -> Option<String> {
        if let Some(s) = self.chars.get(&(len, code)) {
            return Some(s.clone());
        }
        for (l, lo, hi, dst) in &self.ranges {
            if *l != len || code < *lo || code > *hi {
                continue;
            }
            let off = code - lo;
            return match dst {
                RangeDst::Base(units) => {
                    let mut units = units.clone();
                    if let Some(last) = units.last_mut() {
                        *last = last.wrapping_add(off as u16);
                    }
                    Some(text_of(&units))
                }
                RangeDst::List(items) => items.get(off as usize).cloned(),
            };
        }
        None
    }

    /// The CID of one code, when the CMap has `cidchar`/`cidrange` entries.
    pub fn cid(&self, len: usize, code: u32) -> Option<u32> {
        if let Some(c) = self.cids.get(&(len, code)) {
            return Some(*c);
        }
        self.cid_ranges
            .iter()
            .find(|(l, lo, hi, _)| *l == len && code >= *lo && code <= *hi)
            .map(|(_, lo, _, cid)| cid + (code - lo))
    }

    pub fn has_cids(&self) -> bool {
        !self.cids.is_empty() || !self.cid_ranges.is_empty()
    }
}

/// How many bytes the next code in `bytes` takes under these ranges: the
/// shortest range that matches, else the shortest length of any range.
pub fn code_len(ranges: &[CodeRange], bytes: &[u8]) -> usize {
    let mut fallback = usize::MAX;
    for len in 1..=4 {
        if bytes.len() < len {
            break;
        }
        for r in ranges.iter().filter(|r| r.len == len) {
            fallback = fallback.min(len);
            if bytes[..len]
                .iter()
                .zip(r.lo.iter().zip(&r.hi))
                .all(|(b, (lo, hi))| lo <= b && b <= hi)
            {
                return len;
            }
        }
    }
    if fallback == usize::MAX {
        ranges
            .iter()
            .map(|r| r.len)
            .min()
            .unwrap_or(1)
            .min(bytes.len())
            .max(1)
    } else {
        fallback
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAP: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange
2 beginbfchar <01> <5EFA> <0002> <D83DDE00> endbfchar
1 beginbfrange <10> <12> <0041> <8141> <8142> [<4E00> <4E8C>] endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end";

    #[test]
    fn bfchar_bfrange_and_surrogates() {
        let m = CMap::parse(MAP);
        assert_eq!(m.text(1, 1).as_deref(), Some("建"));
        assert_eq!(m.text(2, 2).as_deref(), Some("😀"));
        assert_eq!(m.text(1, 0x11).as_deref(), Some("B"));
        assert_eq!(m.text(2, 0x8142).as_deref(), Some("二"));
        assert_eq!(m.text(1, 0x13), None);
    }

    #[test]
    fn mixed_length_code_space() {
        let m = CMap::parse(MAP);
        assert_eq!(code_len(&m.codespace, b"A\x81\x40"), 1);
        assert_eq!(code_len(&m.codespace, b"\x81\x40"), 2);
    }
}

//! Automatic list numbering: the list definitions (PlfLst: LSTF + LVL), the
//! list instances paragraphs point at (PlfLfo: LFO + overrides), and a
//! counter that renders each numbered paragraph's label as Word shows it
//! (`6.`, `（二）`), followed by its tab or space.

use std::collections::{HashMap, HashSet};

use super::bytes::{i32_at, slice, u8_at, u16_at, u32_at};

/// Most levels a list has.
const LEVELS: usize = 9;
/// Caps against hostile counts.
const MAX_LISTS: usize = 10_000;
const MAX_LFOS: usize = 10_000;

/// One level of a list definition.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lvl {
    pub start: i32,
    /// Number format (MSONFC).
    pub nfc: u8,
    /// The label pattern: code units, values 0..9 stand for a level's number.
    pub xst: Vec<u16>,
    /// What follows the label: 0 tab, 1 space, 2 nothing.
    pub follow: u8,
    /// Levels shown in arabic whatever their format (fLegal).
    pub legal: bool,
    /// Does not restart after a higher level (fNoRestart).
    pub no_restart: bool,
}

#[derive(Debug, Default)]
pub struct Lists {
    /// By lsid: the list's levels (1 for a simple list, else 9).
    lsts: HashMap<i32, Vec<Lvl>>,
    /// By ilfo − 1: the list it instantiates and per-level start overrides.
    lfos: Vec<(i32, Vec<(u8, i32)>)>,
}

/// Parse an LVL at `off`; returns it and the offset just past it.
fn read_lvl(b: &[u8], off: usize) -> Option<(Lvl, usize)> {
    let start = i32_at(b, off)?;
    let nfc = u8_at(b, off + 4)?;
    let flags = u8_at(b, off + 5)?;
    let follow = u8_at(b, off + 15)?;
    let cb_chpx = u8_at(b, off + 24)? as usize;
    let cb_papx = u8_at(b, off + 25)? as usize;
    let xst_at = off + 28 + cb_papx + cb_chpx;
    let cch = u16_at(b, xst_at)? as usize;
    let xst_bytes = slice(b, xst_at + 2, cch * 2)?;
    let xst = xst_bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    Some((
        Lvl {
            start,
            nfc,
            xst,
            follow,
            legal: flags & 0x04 != 0,
            no_restart: flags & 0x08 != 0,
        },
        xst_at + 2 + cch * 2,
    ))
}

impl Lists {
    /// `plf_lst` and `plf_lfo` are the two structures from the table stream
    /// (either may be empty). Reading stops at the first malformed entry.
    pub fn read(plf_lst: &[u8], plf_lfo: &[u8]) -> Lists {
        let mut lists = Lists::default();
        let c_lst = (u16_at(plf_lst, 0).unwrap_or(0) as i16).max(0) as usize;
        let c_lst = c_lst.min(MAX_LISTS);
        // LSTF array, then all the LVLs in the same order.
        let mut heads = Vec::with_capacity(c_lst);
        for i in 0..c_lst {
            let at = 2 + i * 28;
            let (Some(lsid), Some(flags)) = (i32_at(plf_lst, at), u8_at(plf_lst, at + 26)) else {
                break;
            };
            heads.push((lsid, if flags & 1 != 0 { 1 } else { LEVELS }));
        }
        let mut off = 2 + heads.len() * 28;
        'lists: for (lsid, n) in heads {
            let mut levels = Vec::with_capacity(n);
            for _ in 0..n {
                let Some((lvl, next)) = read_lvl(plf_lst, off) else {
                    break 'lists;
                };
                levels.push(lvl);
                off = next;
            }
            lists.lsts.insert(lsid, levels);
        }

        let lfo_mac = (u32_at(plf_lfo, 0).unwrap_or(0) as usize).min(MAX_LFOS);
        let mut counts = Vec::with_capacity(lfo_mac);
        for i in 0..lfo_mac {
            let at = 4 + i * 16;
            let (Some(lsid), Some(clfolvl)) = (i32_at(plf_lfo, at), u8_at(plf_lfo, at + 12)) else {
                break;
            };
            lists.lfos.push((lsid, Vec::new()));
            counts.push(clfolvl as usize);
        }
        // LFOData for each LFO: a CP, then its level overrides.
        let mut off = 4 + lists.lfos.len() * 16;
        'lfos: for (i, &n) in counts.iter().enumerate() {
            off += 4;
            for _ in 0..n.min(LEVELS) {
                let (Some(start), Some(flags)) = (i32_at(plf_lfo, off), u8_at(plf_lfo, off + 4))
                else {
                    break 'lfos;
                };
                off += 8;
                let ilvl = flags & 0x0F;
                if let (true, Some(lfo)) = (flags & 0x10 != 0, lists.lfos.get_mut(i)) {
                    lfo.1.push((ilvl, start));
                }
                // fFormatting: a whole LVL follows; only its size matters here.
                if flags & 0x20 != 0 {
                    let Some((_, next)) = read_lvl(plf_lfo, off) else {
                        break 'lfos;
                    };
                    off = next;
                }
            }
        }
        lists
    }
}

/// Counts list items in reading order and renders their labels.
pub struct Numberer<'a> {
    lists: &'a Lists,
    counters: HashMap<i32, [Option<i64>; LEVELS]>,
    /// (ilfo, level) pairs whose start override was applied.
    overridden: HashSet<(u16, u8)>,
}

impl<'a> Numberer<'a> {
    pub fn new(lists: &'a Lists) -> Numberer<'a> {
        Numberer {
            lists,
            counters: HashMap::new(),
            overridden: HashSet::new(),
        }
    }

    /// The label of the next paragraph of list instance `ilfo` (1-based) at
    /// level `ilvl`, with what follows it; None when it is not numbered.
    pub fn next(&mut self, ilfo: i16, ilvl: u8) -> Option<String> {
        if ilfo <= 0 {
            return None;
        }
        let (lsid, overrides) = self.lists.lfos.get(ilfo as usize - 1)?;
        let levels = self.lists.lsts.get(lsid)?;
        let ilvl = (ilvl as usize).min(levels.len().saturating_sub(1));
        let lvl = levels.get(ilvl)?;
        let counters = self.counters.entry(*lsid).or_insert([None; LEVELS]);
        let over = overrides.iter().find(|o| o.0 as usize == ilvl).map(|o| o.1);
        counters[ilvl] = match (over, self.overridden.insert((ilfo as u16, ilvl as u8))) {
            (Some(start), true) => Some(start as i64),
            _ => Some(counters[ilvl].map_or(lvl.start as i64, |n| n.saturating_add(1))),
        };
        // A new item at this level restarts the levels below it.
        for (deeper, slot) in counters.iter_mut().enumerate().skip(ilvl + 1) {
            if !levels.get(deeper).is_some_and(|l| l.no_restart) {
                *slot = None;
            }
        }
        let mut label = String::new();
        for &u in &lvl.xst {
            if (u as usize) < LEVELS {
                let k = u as usize;
                let Some(level) = levels.get(k) else { continue };
                let n = counters[k].unwrap_or(level.start as i64);
                let nfc = if lvl.legal { 0 } else { level.nfc };
                label.push_str(&format_number(n, nfc));
            } else if (0xF000..=0xF0FF).contains(&u) {
                // A Symbol-font bullet: its glyph is not a Unicode character.
                label.push('•');
            } else if let Some(c) = char::from_u32(u as u32) {
                label.push(c);
            }
        }
        if label.is_empty() {
            return None;
        }
        match lvl.follow {
            0 => label.push('\t'),
            1 => label.push(' '),
            _ => {}
        }
        Some(label)
    }
}

/// One number in a list format. Unknown formats fall back to arabic.
pub fn format_number(n: i64, nfc: u8) -> String {
    use crate::read::listnum::{
        chinese, cycle, full_width_digits, ideograph_digits, letters, roman,
    };
    match nfc {
        0x01 => roman(n, true),
        0x02 => roman(n, false),
        0x03 => letters(n, true),
        0x04 => letters(n, false),
        0x05 => format!("{n}{}", ordinal_suffix(n)),
        0x0E | 0x13 => full_width_digits(&n.to_string()),
        0x12 if (1..=20).contains(&n) => crate::read::listnum::enclosed(n, 20, '\u{2460}'),
        0x16 if (0..10).contains(&n) => format!("0{n}"),
        0x17 | 0xFF => String::new(),
        // Chinese counting (一、十一、二十): 0x27 is what Word and LibreOffice
        // write for chineseCounting(Thousand); the Taiwanese forms count alike.
        0x21..=0x23 | 0x25 | 0x27 if (1..10_000).contains(&n) => chinese(n, false),
        // Chinese legal (壹、贰).
        0x26 if (1..10_000).contains(&n) => chinese(n, true),
        // Ideograph digits, one per decimal digit (〇一二).
        0x0A | 0x28 => ideograph_digits(n),
        0x1E if (1..=10).contains(&n) => cycle(n, "甲乙丙丁戊己庚辛壬癸"),
        0x1F if (1..=12).contains(&n) => cycle(n, "子丑寅卯辰巳午未申酉戌亥"),
        _ => n.to_string(),
    }
}

fn ordinal_suffix(n: i64) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An LVL: start, nfc, pattern, follow.
    fn lvl(start: i32, nfc: u8, xst: &[u16], follow: u8) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&start.to_le_bytes());
        b.push(nfc);
        b.push(0);
        b.extend_from_slice(&[0u8; 9]);
        b.push(follow);
        b.extend_from_slice(&[0u8; 8]);
        b.extend_from_slice(&[0, 0, 0, 0]); // cbGrpprlChpx, cbGrpprlPapx, ilvlRestartLim, grfhic
        b.extend_from_slice(&(xst.len() as u16).to_le_bytes());
        for u in xst {
            b.extend_from_slice(&u.to_le_bytes());
        }
        b
    }

    /// One 9-level list (lsid 77): level 0 "%1.", level 1 "（%2）" in Chinese counting.
    fn sample() -> Lists {
        let mut lst = Vec::new();
        lst.extend_from_slice(&1u16.to_le_bytes());
        let mut lstf = vec![0u8; 28];
        lstf[0..4].copy_from_slice(&77i32.to_le_bytes());
        lst.extend_from_slice(&lstf);
        lst.extend(lvl(1, 0, &[0, '.' as u16], 0));
        lst.extend(lvl(1, 0x27, &['（' as u16, 1, '）' as u16], 2));
        for _ in 2..9 {
            lst.extend(lvl(1, 0, &[2], 0));
        }
        // Two instances of list 77; the second restarts level 0 at 1.
        let mut lfo = Vec::new();
        lfo.extend_from_slice(&2u32.to_le_bytes());
        for clfolvl in [0u8, 1] {
            let mut e = vec![0u8; 16];
            e[0..4].copy_from_slice(&77i32.to_le_bytes());
            e[12] = clfolvl;
            lfo.extend_from_slice(&e);
        }
        lfo.extend_from_slice(&0u32.to_le_bytes()); // LFOData 1: cp only
        lfo.extend_from_slice(&0u32.to_le_bytes()); // LFOData 2: cp, then one LFOLVL
        lfo.extend_from_slice(&1i32.to_le_bytes());
        lfo.extend_from_slice(&[0x10, 0, 0, 0]); // level 0, fStartAt
        Lists::read(&lst, &lfo)
    }

    #[test]
    fn numbering_counts_restarts_and_formats() {
        let lists = sample();
        let mut n = Numberer::new(&lists);
        assert_eq!(n.next(1, 0).as_deref(), Some("1.\t"));
        assert_eq!(n.next(1, 1).as_deref(), Some("（一）"));
        assert_eq!(n.next(1, 1).as_deref(), Some("（二）"));
        assert_eq!(n.next(1, 0).as_deref(), Some("2.\t"));
        // The lower level restarts under a new item.
        assert_eq!(n.next(1, 1).as_deref(), Some("（一）"));
        // The second instance restarts the list at 1, then continues.
        assert_eq!(n.next(2, 0).as_deref(), Some("1.\t"));
        assert_eq!(n.next(2, 0).as_deref(), Some("2.\t"));
        assert_eq!(n.next(0, 0), None);
        assert_eq!(n.next(9, 0), None);
    }

    #[test]
    fn number_formats() {
        assert_eq!(format_number(14, 0x01), "XIV");
        assert_eq!(format_number(4, 0x02), "iv");
        assert_eq!(format_number(28, 0x04), "bb");
        assert_eq!(format_number(3, 0x16), "03");
        assert_eq!(format_number(11, 0x25), "十一");
        assert_eq!(format_number(20, 0x27), "二十");
        assert_eq!(format_number(105, 0x27), "一百零五");
        assert_eq!(format_number(12, 0x26), "壹拾贰");
        assert_eq!(format_number(2024, 0x0A), "二〇二四");
        assert_eq!(format_number(3, 0x12), "③");
        assert_eq!(format_number(2, 0x1E), "乙");
        assert_eq!(format_number(7, 0xFF), "");
    }

    #[test]
    fn hostile_lists_do_not_panic() {
        let lists = Lists::read(&[0xFF, 0x7F, 1, 2, 3], &[0xFF, 0xFF, 0xFF, 0x7F]);
        assert!(Numberer::new(&lists).next(1, 0).is_none());
        let lists = Lists::read(&[], &[]);
        assert!(Numberer::new(&lists).next(1, 0).is_none());
    }
}

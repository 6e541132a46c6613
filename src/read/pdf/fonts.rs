//! Fonts: how a shown string splits into character codes, the text of each
//! code and its advance width.
//!
//! Text comes from the font's `ToUnicode` map first; without one (or for a
//! code it lacks) from the encoding: a simple font's base encoding and
//! `Differences` glyph names, a CID font's predefined CMap (UCS-2, UTF-16,
//! GBK, Big5, Shift-JIS, EUC), or for `Identity-H` the Adobe-GB1 / CNS1
//! collections (`cid2unicode`).

use super::cid2unicode;
use super::cmap::{CMap, CodeRange, code_len};
use super::encoding::{Base, glyph_unicode};
use super::objects::{array, get, get_dict, get_num, name, numbers, resolve, stream_data};
use lopdf::{Dictionary, Document, Object};
use std::collections::HashMap;

/// How a CID font's codes turn into text without a `ToUnicode` map.
#[derive(Debug, Clone, Copy, PartialEq)]
enum CidText {
    /// Identity-H/V: codes are CIDs; text through the character collection.
    Identity(Option<cid2unicode::Collection>),
    Ucs2,
    Utf16,
    Legacy(&'static encoding_rs::Encoding),
    /// An embedded or unknown CMap: no text without `ToUnicode`.
    None,
}

#[derive(Debug, Clone)]
enum Kind {
    Simple(Box<[Option<String>; 256]>),
    Cid {
        text: CidText,
        /// The encoding CMap's code → CID entries, when embedded.
        cids: Option<CMap>,
    },
}

#[derive(Debug, Clone)]
pub struct Font {
    kind: Kind,
    codespace: Vec<CodeRange>,
    to_unicode: Option<CMap>,
    /// Widths in glyph units: by code (simple fonts) or by CID.
    widths: HashMap<u32, f64>,
    default_width: f64,
    /// Glyph units → text space (1/1000, or a Type 3 font's matrix).
    scale: f64,
    pub vertical: bool,
    /// The font's name, for messages.
    pub name: String,
}

fn range(len: usize, lo: &[u8], hi: &[u8]) -> CodeRange {
    CodeRange {
        len,
        lo: lo.to_vec(),
        hi: hi.to_vec(),
    }
}

/// Code space, text decoding and writing mode of a predefined CMap name.
fn predefined(cmap: &str) -> (Vec<CodeRange>, CidText) {
    let one_two = |enc| {
        (
            vec![
                range(1, &[0x00], &[0x80]),
                range(2, &[0x81, 0x40], &[0xFE, 0xFE]),
            ],
            CidText::Legacy(enc),
        )
    };
    let two = vec![range(2, &[0, 0], &[0xFF, 0xFF])];
    if cmap.starts_with("Identity") {
        return (two, CidText::Identity(None));
    }
    if cmap.contains("UCS2") {
        return (two, CidText::Ucs2);
    }
    if cmap.contains("UTF16") {
        return (
            vec![
                range(2, &[0, 0], &[0xD7, 0xFF]),
                range(4, &[0xD8, 0, 0xDC, 0], &[0xDB, 0xFF, 0xDF, 0xFF]),
                range(2, &[0xE0, 0], &[0xFF, 0xFF]),
            ],
            CidText::Utf16,
        );
    }
    if cmap.starts_with("GB") {
        return one_two(encoding_rs::GB18030);
    }
    if cmap.starts_with("B5") || cmap.starts_with("ETen") || cmap.starts_with("HKscs") {
        return one_two(encoding_rs::BIG5);
    }
    if cmap.contains("RKSJ") {
        return (
            vec![
                range(1, &[0x00], &[0x80]),
                range(2, &[0x81, 0x40], &[0x9F, 0xFC]),
                range(1, &[0xA0], &[0xDF]),
                range(2, &[0xE0, 0x40], &[0xFC, 0xFC]),
            ],
            CidText::Legacy(encoding_rs::SHIFT_JIS),
        );
    }
    if cmap.starts_with("KSC") {
        return one_two(encoding_rs::EUC_KR);
    }
    if cmap == "EUC-H" || cmap == "EUC-V" {
        return one_two(encoding_rs::EUC_JP);
    }
    (two, CidText::None)
}

impl Font {
    /// Read a font dictionary. Never fails: what is missing falls back.
    pub fn load(doc: &Document, font: &Dictionary) -> Font {
        let subtype = name(doc, font, b"Subtype").unwrap_or(b"");
        let font_name = name(doc, font, b"BaseFont")
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        let to_unicode = get(doc, font, b"ToUnicode")
            .and_then(|o| stream_data(doc, o))
            .map(|d| CMap::parse(&d))
            .filter(|m| !m.is_empty());
        if subtype == b"Type0" {
            Self::load_type0(doc, font, font_name, to_unicode)
        } else {
            Self::load_simple(doc, font, subtype, font_name, to_unicode)
        }
    }

    fn load_simple(
        doc: &Document,
        font: &Dictionary,
        subtype: &[u8],
        font_name: String,
        to_unicode: Option<CMap>,
    ) -> Font {
        let symbolic = font_name.contains("Symbol") || font_name.contains("Dingbats");
        let mut base = Base::WinAnsi;
        let mut differences: Vec<(u8, String)> = Vec::new();
        match get(doc, font, b"Encoding") {
            Some(Object::Name(n)) => base = Base::from_name(n).unwrap_or(base),
            Some(Object::Dictionary(d)) => {
                if let Some(n) = name(doc, d, b"BaseEncoding") {
                    base = Base::from_name(n).unwrap_or(base);
                }
                let mut code: i64 = 0;
                for item in get(doc, d, b"Differences")
                    .and_then(|o| array(doc, o))
                    .unwrap_or(&[])
                {
                    match resolve(doc, item) {
                        Some(Object::Integer(i)) => code = *i,
                        Some(Object::Name(n)) => {
                            if (0..256).contains(&code)
                                && let Some(t) = glyph_unicode(n)
                            {
                                differences.push((code as u8, t));
                            }
                            code += 1;
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        let table = base.table();
        let mut text: Box<[Option<String>; 256]> = Box::new(std::array::from_fn(|i| {
            if symbolic {
                None
            } else {
                table[i].map(String::from)
            }
        }));
        for (code, t) in differences {
            text[code as usize] = Some(t);
        }
        let first = get_num(doc, font, b"FirstChar").unwrap_or(0.0).max(0.0) as u32;
        let mut widths = HashMap::new();
        for (i, w) in get(doc, font, b"Widths")
            .map(|o| numbers(doc, o))
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .take(256)
        {
            widths.insert(first + i as u32, w);
        }
        let missing = get_dict(doc, font, b"FontDescriptor")
            .and_then(|d| get_num(doc, d, b"MissingWidth"))
            .filter(|w| *w > 0.0);
        // Without widths (the standard 14 fonts) a glyph is taken as 0.6 em:
        // too wide rather than too narrow, so no false gaps become spaces.
        let default_width = missing.unwrap_or(600.0);
        let mut scale = 0.001;
        if subtype == b"Type3"
            && let Some(m) = get(doc, font, b"FontMatrix").map(|o| numbers(doc, o))
            && m.len() == 6
            && m[0].abs() > 1e-9
        {
            scale = m[0].abs();
        }
        Font {
            kind: Kind::Simple(text),
            codespace: vec![range(1, &[0], &[0xFF])],
            to_unicode,
            widths,
            default_width,
            scale,
            vertical: false,
            name: font_name,
        }
    }

    fn load_type0(
        doc: &Document,
        font: &Dictionary,
        font_name: String,
        to_unicode: Option<CMap>,
    ) -> Font {
        let descendant = get(doc, font, b"DescendantFonts")
            .and_then(|o| array(doc, o))
            .and_then(|a| a.first())
            .and_then(|o| super::objects::dict(doc, o));
        let (codespace, mut text, cids, vertical) = match get(doc, font, b"Encoding") {
            Some(Object::Name(n)) => {
                let n = String::from_utf8_lossy(n).into_owned();
                let (cs, t) = predefined(&n);
                (cs, t, None, n.ends_with("-V"))
            }
            Some(Object::Stream(s)) => {
                let data = stream_data(doc, &Object::Stream(s.clone())).unwrap_or_default();
                let m = CMap::parse(&data);
                let vertical = matches!(s.dict.get(b"WMode"), Ok(Object::Integer(1)));
                let cs = if m.codespace.is_empty() {
                    vec![range(2, &[0, 0], &[0xFF, 0xFF])]
                } else {
                    m.codespace.clone()
                };
                let cids = m.has_cids().then_some(m);
                (cs, CidText::None, cids, vertical)
            }
            _ => (
                vec![range(2, &[0, 0], &[0xFF, 0xFF])],
                CidText::Identity(None),
                None,
                false,
            ),
        };
        let mut widths = HashMap::new();
        let mut default_width = 1000.0;
        if let Some(desc) = descendant {
            if let CidText::Identity(_) = text {
                let ordering = get_dict(doc, desc, b"CIDSystemInfo")
                    .and_then(|d| match get(doc, d, b"Ordering") {
                        Some(Object::String(s, _)) => Some(s.clone()),
                        Some(Object::Name(n)) => Some(n.clone()),
                        _ => None,
                    })
                    .unwrap_or_default();
                text = CidText::Identity(cid2unicode::Collection::from_ordering(&ordering));
            }
            if let Some(dw) = get_num(doc, desc, b"DW") {
                default_width = dw;
            }
            let w = get(doc, desc, b"W")
                .and_then(|o| array(doc, o))
                .unwrap_or(&[]);
            let mut i = 0;
            let mut budget = 1usize << 17;
            while i < w.len() {
                let Some(first) = resolve(doc, &w[i]).and_then(super::objects::num) else {
                    break;
                };
                let first = first.max(0.0) as u32;
                match w.get(i + 1).and_then(|o| resolve(doc, o)) {
                    Some(Object::Array(list)) => {
                        for (k, v) in list.iter().enumerate() {
                            if let Some(v) = resolve(doc, v).and_then(super::objects::num) {
                                widths.insert(first.saturating_add(k as u32), v);
                            }
                        }
                        i += 2;
                    }
                    Some(last) => {
                        let last = super::objects::num(last).unwrap_or(0.0).max(0.0) as u32;
                        let v = w
                            .get(i + 2)
                            .and_then(|o| resolve(doc, o))
                            .and_then(super::objects::num)
                            .unwrap_or(default_width);
                        let mut c = first;
                        while c <= last && budget > 0 {
                            widths.insert(c, v);
                            c += 1;
                            budget -= 1;
                        }
                        i += 3;
                    }
                    None => break,
                }
            }
        }
        Font {
            kind: Kind::Cid { text, cids },
            codespace,
            to_unicode,
            widths,
            default_width,
            scale: 0.001,
            vertical,
            name: font_name,
        }
    }

    /// Split a shown string into (length, code) pairs.
    pub fn codes(&self, s: &[u8]) -> Vec<(usize, u32)> {
        let mut out = Vec::with_capacity(s.len());
        let mut i = 0;
        while i < s.len() {
            let len = code_len(&self.codespace, &s[i..]).min(s.len() - i).max(1);
            let code = s[i..i + len].iter().fold(0u32, |a, b| a << 8 | *b as u32);
            out.push((len, code));
            i += len;
        }
        out
    }

    fn cid(&self, len: usize, code: u32) -> u32 {
        match &self.kind {
            Kind::Cid {
                cids: Some(m),
                text: _,
            } => m.cid(len, code).unwrap_or(code),
            _ => code,
        }
    }

    /// The text of one code; None when the font gives no way to know it.
    pub fn text(&self, len: usize, code: u32) -> Option<String> {
        if let Some(t) = self.to_unicode.as_ref().and_then(|m| m.text(len, code)) {
            return Some(t);
        }
        match &self.kind {
            Kind::Simple(table) => table.get(code as usize).cloned().flatten(),
            Kind::Cid { text, .. } => match text {
                CidText::Identity(Some(c)) => {
                    cid2unicode::lookup(*c, self.cid(len, code)).map(String::from)
                }
                CidText::Identity(None) | CidText::None => None,
                CidText::Ucs2 => char::from_u32(code).map(String::from),
                CidText::Utf16 => {
                    let units = if len == 4 {
                        vec![(code >> 16) as u16, code as u16]
                    } else {
                        vec![code as u16]
                    };
                    char::decode_utf16(units).next()?.ok().map(String::from)
                }
                CidText::Legacy(enc) => {
                    let bytes = &code.to_be_bytes()[4 - len..];
                    let (s, _, bad) = enc.decode(bytes);
                    (!bad).then(|| s.into_owned())
                }
            },
        }
    }

    /// Advance width of one code in text space units (before the font size).
    pub fn width(&self, len: usize, code: u32) -> f64 {
        let key = match self.kind {
            Kind::Simple(_) => code,
            Kind::Cid { .. } => self.cid(len, code),
        };
        let w = self.widths.get(&key).copied().unwrap_or(self.default_width);
        if w.is_finite() { w * self.scale } else { 0.0 }
    }

    /// Width of the space character in text space units, when the font
    /// says (a simple font with a width for code 32).
    pub fn space_width(&self) -> Option<f64> {
        match self.kind {
            // Subsets re-use code 32 for any glyph: only a real space counts.
            Kind::Simple(_) if self.text(1, 32).as_deref() == Some(" ") => self
                .widths
                .get(&32)
                .map(|w| w * self.scale)
                .filter(|w| *w > 0.0 && w.is_finite()),
            _ => None,
        }
    }

    /// Whether a code is the single-byte space (word spacing applies to it).
    pub fn is_space_code(&self, len: usize, code: u32) -> bool {
        len == 1 && code == 32
    }
}

//! Where text boxes sit on the page: the FSPA anchors (PlcSpaMom) give each
//! top-level shape's rectangle in twips (from the margin, the page, or the
//! anchoring paragraph's estimated top); the OfficeArt drawing (DggInfo in
//! the table stream) gives group structure, child anchors and which shape
//! shows which text box.

use std::collections::{HashMap, HashSet};

use super::bytes::{Plc, i32_at, slice, u16_at, u32_at};
use super::fib::Fib;
use super::sections::Sections;
use super::story::Segment;
use super::vpos::ParaTops;
use crate::document::Rect;

/// Where one shape ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub rect: Option<Rect>,
    pub page: u32,
}

#[derive(Debug, Default)]
pub struct Drawing {
    /// By 1-based text-box index (the high word of the shape's txid).
    by_txbx: HashMap<u32, Place>,
    /// By shape id.
    by_spid: HashMap<u32, Place>,
    /// Floating pictures (shapes filled with a blip), by shape id, in drawing order.
    pub pictures: Vec<(u32, Place)>,
    /// WordArt: (shape id, text, place), in drawing order.
    pub word_art: Vec<(u32, String, Place)>,
    /// The FSPA anchors of top-level shapes, by shape id.
    anchors: HashMap<u32, Anchor>,
    /// Top-level shapes whose vertical position is relative to the page.
    on_page: HashSet<u32>,
}

impl Drawing {
    /// `tops` places paragraph-relative anchors below their paragraph.
    pub fn read(
        table: &[u8],
        fib: &Fib,
        main: &[Segment],
        sections: &Sections,
        tops: &ParaTops,
    ) -> Drawing {
        let anchors = read_anchors(table, fib, main, sections, tops);
        let mut d = Drawing::default();
        if anchors.is_empty() {
            return d;
        }
        if let Some(content) = fc_lcb(table, fib.dgg_info.fc, fib.dgg_info.lcb) {
            d.read_office_art(content, &anchors);
        }
        // Shapes the drawing did not describe still have their FSPA.
        for (spid, a) in &anchors {
            d.by_spid.entry(*spid).or_insert(Place {
                rect: Some(a.page_rect(None, None).to_rect()),
                page: a.page,
            });
        }
        d.anchors = anchors;
        d
    }

    /// The place of the shape `host` when the text box shape `frame` is a
    /// text frame laid over it. LibreOffice saves a shape's text that way: the
    /// shape (with an empty text box of its own), then at the next CP a
    /// frame inside it, placed relative to the page from LibreOffice's own
    /// layout (which need not agree with ours). The shape keeps the anchor the author set (often to a
    /// paragraph), which is what the .docx reader sees; so it wins.
    pub fn frame_host(&self, host: u32, frame: u32) -> Option<Place> {
        let (h, f) = (self.anchors.get(&host)?, self.anchors.get(&frame)?);
        if h.cp.checked_add(1) != Some(f.cp) || !self.on_page.contains(&frame) {
            return None;
        }
        let place = self.by_spid.get(&host).copied()?;
        let (hr, fr) = (place.rect?, self.by_spid.get(&frame)?.rect?);
        // Horizontal positions do not depend on layout: the frame must sit
        // within the shape's width, and be no taller (1 twip of rounding).
        let inside = fr.x + 635 >= hr.x && fr.x + fr.w <= hr.x + hr.w + 635 && fr.h <= hr.h + 635;
        inside.then_some(place)
    }

    /// The place of text box `index` (1-based, PlcftxbxTxt order) whose first
    /// shape is `lid`.
    pub fn text_box(&self, index: u32, lid: u32) -> Option<Place> {
        self.by_txbx
            .get(&index)
            .or_else(|| self.by_spid.get(&lid))
            .copied()
    }

    /// OfficeArtContent: the DggContainer, then (drawing kind byte, DgContainer) pairs.
    fn read_office_art(&mut self, content: &[u8], anchors: &HashMap<u32, Anchor>) {
        let mut off = match Record::at(content, 0) {
            Some(dgg) if dgg.typ == DGG_CONTAINER => dgg.end,
            _ => return,
        };
        // At most two drawings: main document and headers.
        for _ in 0..2 {
            let Some(&kind) = content.get(off) else {
                return;
            };
            let Some(dg) = Record::at(content, off + 1) else {
                return;
            };
            off = dg.end;
            if kind != 0 || dg.typ != DG_CONTAINER {
                continue; // header drawing: header text boxes are not read
            }
            for rec in Record::children(dg.body) {
                if rec.typ == SPGR_CONTAINER {
                    self.walk_group(rec.body, None, 0, anchors);
                }
            }
        }
    }

    /// One group: its first SpContainer describes the group itself, the rest
    /// are members. `parent` maps the group's anchor space to the page.
    fn walk_group(
        &mut self,
        body: &[u8],
        parent: Option<Xf>,
        depth: u32,
        anchors: &HashMap<u32, Anchor>,
    ) {
        if depth > MAX_GROUP_DEPTH {
            return;
        }
        let mut inner: Option<Xf> = None;
        for (i, rec) in Record::children(body).enumerate() {
            match rec.typ {
                SP_CONTAINER if i == 0 => {
                    let sp = Shape::read(rec.body);
                    // The patriarch has no anchor: its members are placed by their FSPA.
                    if let (Some((rect, page)), Some(coords)) =
                        (sp.place(parent, anchors), sp.group_coords)
                    {
                        inner = Some(Xf { rect, page, coords });
                    }
                }
                SP_CONTAINER => {
                    let sp = Shape::read(rec.body);
                    if let Some((rect, page)) = sp.place(inner, anchors) {
                        let place = Place {
                            rect: Some(rect.to_rect()),
                            page,
                        };
                        if let Some(txid) = sp.txid {
                            self.by_txbx.entry(txid >> 16).or_insert(place);
                        }
                        if let Some(spid) = sp.spid {
                            self.by_spid.insert(spid, place);
                            let by = anchors.get(&spid).map(|a| u32::from(a.by));
                            if inner.is_none() && sp.posrelv.or(by) == Some(1) {
                                self.on_page.insert(spid);
                            }
                            let room = self.pictures.len() + self.word_art.len() < MAX_PICTURES;
                            if let (Some(text), true) = (&sp.word_art, room) {
                                if !text.trim().is_empty() {
                                    self.word_art.push((spid, text.clone(), place));
                                }
                            } else if sp.picture && sp.txid.is_none() && room {
                                self.pictures.push((spid, place));
                            }
                        }
                    }
                }
                SPGR_CONTAINER => self.walk_group(rec.body, inner, depth + 1, anchors),
                _ => {}
            }
        }
    }
}

const MAX_GROUP_DEPTH: u32 = 32;
/// Enough for any real document; a hostile drawing cannot flood the output.
const MAX_PICTURES: usize = 10_000;
const DGG_CONTAINER: u16 = 0xF000;
const DG_CONTAINER: u16 = 0xF002;
const SPGR_CONTAINER: u16 = 0xF003;
const SP_CONTAINER: u16 = 0xF004;
const FSPGR: u16 = 0xF009;
const FSP: u16 = 0xF00A;
const OPT: u16 = 0xF00B;
const CLIENT_TEXTBOX: u16 = 0xF00D;
const CHILD_ANCHOR: u16 = 0xF00F;
const TERTIARY_OPT: u16 = 0xF122;
/// OPT property ids.
const PID_LTXID: u16 = 0x0080;
/// The picture (blip) a picture frame shows.
const PID_PIB: u16 = 0x0104;
/// The text of a WordArt shape.
const PID_GTEXT_UNICODE: u16 = 0x00C0;
const PID_POSRELH: u16 = 0x0390;
const PID_POSRELV: u16 = 0x0392;

/// Twips → EMU.
const EMU_PER_TWIP: f64 = 635.0;

fn fc_lcb(b: &[u8], fc: u32, lcb: u32) -> Option<&[u8]> {
    if lcb == 0 {
        return None;
    }
    slice(b, fc as usize, lcb as usize)
}

/// An OfficeArt record: 8-byte header, then its body.
struct Record<'a> {
    instance: u16,
    typ: u16,
    body: &'a [u8],
    /// Offset just past the record in the buffer it was read from.
    end: usize,
}

impl<'a> Record<'a> {
    fn at(b: &'a [u8], off: usize) -> Option<Record<'a>> {
        let ver_inst = u16_at(b, off)?;
        let typ = u16_at(b, off + 2)?;
        let len = u32_at(b, off + 4)? as usize;
        let start = off + 8;
        // A length past the end is cut to what is there.
        let end = start.checked_add(len)?.min(b.len());
        Some(Record {
            instance: ver_inst >> 4,
            typ,
            body: b.get(start..end)?,
            end,
        })
    }

    /// The records inside a container body, in order. Every record is at
    /// least 8 bytes, so this always ends.
    fn children(body: &'a [u8]) -> impl Iterator<Item = Record<'a>> {
        let mut off = 0;
        std::iter::from_fn(move || {
            let r = Record::at(body, off)?;
            off = r.end;
            Some(r)
        })
    }
}

/// A rectangle in EMU, kept in floating point while groups are composed.
#[derive(Debug, Clone, Copy, PartialEq)]
struct RectF {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl RectF {
    fn from_ltrb(l: f64, t: f64, r: f64, b: f64) -> RectF {
        RectF {
            x: l.min(r),
            y: t.min(b),
            w: (r - l).abs(),
            h: (b - t).abs(),
        }
    }
    fn to_rect(self) -> Rect {
        Rect {
            x: self.x.round() as i64,
            y: self.y.round() as i64,
            w: self.w.round() as i64,
            h: self.h.round() as i64,
        }
    }
}

/// A group's coordinate space (`coords`, l/t/r/b) mapped onto its page rectangle.
#[derive(Debug, Clone, Copy)]
struct Xf {
    rect: RectF,
    page: u32,
    coords: [i32; 4],
}

impl Xf {
    fn map(&self, a: [i32; 4]) -> RectF {
        let [gl, gt, gr, gb] = self.coords.map(f64::from);
        let sx = if gr != gl {
            self.rect.w / (gr - gl)
        } else {
            0.0
        };
        let sy = if gb != gt {
            self.rect.h / (gb - gt)
        } else {
            0.0
        };
        let [l, t, r, b] = a.map(f64::from);
        RectF::from_ltrb(
            self.rect.x + (l - gl) * sx,
            self.rect.y + (t - gt) * sy,
            self.rect.x + (r - gl) * sx,
            self.rect.y + (b - gt) * sy,
        )
    }
}

/// What one SpContainer says about its shape.
#[derive(Debug, Default)]
struct Shape {
    spid: Option<u32>,
    txid: Option<u32>,
    group_coords: Option<[i32; 4]>,
    child_anchor: Option<[i32; 4]>,
    posrelh: Option<u32>,
    posrelv: Option<u32>,
    /// Has a picture (pib) property: a picture frame.
    picture: bool,
    /// WordArt text (gtextUNICODE).
    word_art: Option<String>,
}

/// UTF-16LE up to the first NUL.
fn utf16z(b: &[u8]) -> String {
    let units: Vec<u16> = b
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .collect();
    String::from_utf16_lossy(&units)
}

fn ltrb(b: &[u8]) -> Option<[i32; 4]> {
    Some([i32_at(b, 0)?, i32_at(b, 4)?, i32_at(b, 8)?, i32_at(b, 12)?])
}

impl Shape {
    fn read(body: &[u8]) -> Shape {
        let mut s = Shape::default();
        for rec in Record::children(body) {
            match rec.typ {
                FSP => s.spid = u32_at(rec.body, 0),
                FSPGR => s.group_coords = ltrb(rec.body),
                CHILD_ANCHOR => s.child_anchor = ltrb(rec.body),
                CLIENT_TEXTBOX => s.txid = s.txid.or(u32_at(rec.body, 0)),
                OPT | TERTIARY_OPT => {
                    // `instance` properties of 6 bytes each; the data of the
                    // complex ones follows the table, in the same order.
                    let n = rec.instance as usize;
                    let mut complex_at = n * 6;
                    for i in 0..n {
                        let (Some(opid), Some(value)) =
                            (u16_at(rec.body, i * 6), u32_at(rec.body, i * 6 + 2))
                        else {
                            break;
                        };
                        if opid & 0x8000 != 0 {
                            let data = slice(rec.body, complex_at, value as usize);
                            complex_at = complex_at.saturating_add(value as usize);
                            if opid & 0x3FFF == PID_GTEXT_UNICODE {
                                s.word_art = data.map(utf16z);
                            }
                            continue;
                        }
                        match opid & 0x3FFF {
                            PID_LTXID => s.txid = s.txid.or(Some(value)),
                            PID_PIB => s.picture = value != 0,
                            PID_POSRELH => s.posrelh = Some(value),
                            PID_POSRELV => s.posrelv = Some(value),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        s
    }

    /// Page rectangle (EMU) and page: from the child anchor inside a placed
    /// group, else from the shape's own FSPA.
    fn place(&self, parent: Option<Xf>, anchors: &HashMap<u32, Anchor>) -> Option<(RectF, u32)> {
        if let (Some(xf), Some(a)) = (parent, self.child_anchor) {
            return Some((xf.map(a), xf.page));
        }
        let a = anchors.get(&self.spid?)?;
        Some((a.page_rect(self.posrelh, self.posrelv), a.page))
    }
}

/// One FSPA: a shape anchored in the main text.
#[derive(Debug, Clone, Copy)]
struct Anchor {
    /// The main-text CP of the anchor character.
    cp: u32,
    /// xaLeft, yaTop, xaRight, yaBottom in twips.
    ltrb: [i32; 4],
    /// FSPA origins: 0 margin, 1 page, 2 column / paragraph.
    bx: u8,
    by: u8,
    page: u32,
    /// Left and top page margins of the anchor's section, twips.
    margin_left: i32,
    margin_top: i32,
    /// Estimated top of the anchoring paragraph on its page, EMU.
    para_top: Option<i64>,
}

impl Anchor {
    /// The FSPA rectangle in page EMU. The shape's own position-relative-to
    /// properties win over the FSPA bits (Word 2000+ writes both).
    ///
    /// Vertical positions relative to a paragraph or line start at the
    /// paragraph's estimated top (the top margin when there is no estimate).
    fn page_rect(&self, posrelh: Option<u32>, posrelv: Option<u32>) -> RectF {
        // posrelh / posrelv and the FSPA bits count alike: 0 margin, 1 page,
        // 2 column / paragraph, 3 character / line.
        let e = |twips: i64| twips as f64 * EMU_PER_TWIP;
        let ox = match posrelh.unwrap_or(self.bx as u32) {
            1 => 0.0,
            _ => e(self.margin_left.into()),
        };
        let margin_top = e(self.margin_top.into());
        let oy = match posrelv.unwrap_or(self.by as u32) {
            1 => 0.0,
            2 | 3 => self.para_top.map_or(margin_top, |t| t as f64),
            _ => margin_top,
        };
        let [l, t, r, b] = self.ltrb.map(|v| e(v.into()));
        RectF::from_ltrb(l + ox, t + oy, r + ox, b + oy)
    }
}

fn read_anchors(
    table: &[u8],
    fib: &Fib,
    main: &[Segment],
    sections: &Sections,
    tops: &ParaTops,
) -> HashMap<u32, Anchor> {
    let mut out = HashMap::new();
    let Some(plc) =
        fc_lcb(table, fib.plc_spa_mom.fc, fib.plc_spa_mom.lcb).and_then(|b| Plc::new(b, 26))
    else {
        return out;
    };
    for i in 0..plc.count {
        let d = plc.data(i);
        let (Some(spid), Some(ltrb), Some(flags)) =
            (u32_at(d, 0), ltrb(&d[4.min(d.len())..]), u16_at(d, 20))
        else {
            continue;
        };
        let cp = plc.pos(i);
        let page = sections.at(cp);
        out.insert(
            spid,
            Anchor {
                cp,
                ltrb,
                bx: ((flags >> 1) & 3) as u8,
                by: ((flags >> 3) & 3) as u8,
                page: page_of(main, cp),
                margin_left: page.left,
                margin_top: page.top,
                para_top: tops.top_at(cp),
            },
        );
    }
    out
}

/// The page the main-text CP `cp` falls on (counting page/section breaks).
fn page_of(main: &[Segment], cp: u32) -> u32 {
    let i = main.partition_point(|s| s.start <= cp);
    i.checked_sub(1)
        .and_then(|i| main.get(i))
        .map(|s| s.page)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(ver: u16, inst: u16, typ: u16, body: &[u8]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&(ver | (inst << 4)).to_le_bytes());
        b.extend_from_slice(&typ.to_le_bytes());
        b.extend_from_slice(&(body.len() as u32).to_le_bytes());
        b.extend_from_slice(body);
        b
    }
    fn le(vals: &[i32]) -> Vec<u8> {
        vals.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    #[test]
    fn group_child_anchor_maps_to_page() {
        // A group anchored at page twips (1000, 2000)-(5000, 4000), coordinates 0..400 × 0..200,
        // holding text box 1 at child (100, 50)-(300, 150).
        let anchor = Anchor {
            cp: 0,
            ltrb: [1000, 2000, 5000, 4000],
            bx: 1,
            by: 1,
            page: 2,
            margin_left: 1800,
            margin_top: 1440,
            para_top: None,
        };
        let anchors = HashMap::from([(1025u32, anchor)]);
        let group_sp = [
            rec(1, 0, FSPGR, &le(&[0, 0, 400, 200])),
            rec(2, 0, FSP, &le(&[1025, 0x201])),
        ]
        .concat();
        let child_sp = [
            rec(2, 0, FSP, &le(&[1026, 0])),
            rec(0, 0, CHILD_ANCHOR, &le(&[100, 50, 300, 150])),
            rec(0, 0, CLIENT_TEXTBOX, &le(&[0x0001_0000])),
        ]
        .concat();
        let group = [
            rec(15, 0, SP_CONTAINER, &group_sp),
            rec(15, 0, SP_CONTAINER, &child_sp),
        ]
        .concat();
        let mut d = Drawing::default();
        d.walk_group(&group, None, 0, &anchors);
        let p = d.text_box(1, 0).unwrap();
        assert_eq!(p.page, 2);
        // x: 1000 + 100 × 4000/400 = 2000 twips; w: 200 × 10 = 2000 twips.
        assert_eq!(
            p.rect,
            Some(Rect {
                x: 2000 * 635,
                y: 2500 * 635,
                w: 2000 * 635,
                h: 1000 * 635
            })
        );
        assert_eq!(d.text_box(9, 1026), d.text_box(1, 0));
    }

    #[test]
    fn picture_frames_are_listed_text_boxes_are_not() {
        let anchor = Anchor {
            cp: 0,
            ltrb: [0, 0, 1440, 720],
            bx: 1,
            by: 1,
            page: 1,
            margin_left: 1800,
            margin_top: 1440,
            para_top: None,
        };
        let anchors = HashMap::from([(7u32, anchor), (8u32, anchor)]);
        // OPT with one property: pib = 1 (fBid set).
        let pib = [0x04u8, 0x41, 1, 0, 0, 0];
        let picture = [rec(2, 0, FSP, &le(&[7, 0])), rec(3, 1, OPT, &pib)].concat();
        let boxed = [
            rec(2, 0, FSP, &le(&[8, 0])),
            rec(3, 1, OPT, &pib),
            rec(0, 0, CLIENT_TEXTBOX, &le(&[0x0002_0000])),
        ]
        .concat();
        let patriarch = [
            rec(1, 0, FSPGR, &le(&[0, 0, 0, 0])),
            rec(2, 0, FSP, &le(&[1024, 5])),
        ]
        .concat();
        let group = [
            rec(15, 0, SP_CONTAINER, &patriarch),
            rec(15, 0, SP_CONTAINER, &picture),
            rec(15, 0, SP_CONTAINER, &boxed),
        ]
        .concat();
        let mut d = Drawing::default();
        d.walk_group(&group, None, 0, &anchors);
        let rect = Rect {
            x: 0,
            y: 0,
            w: 1440 * 635,
            h: 720 * 635,
        };
        assert_eq!(
            d.pictures,
            [(
                7,
                Place {
                    rect: Some(rect),
                    page: 1
                }
            )]
        );
        assert_eq!(
            d.text_box(2, 0),
            Some(Place {
                rect: Some(rect),
                page: 1
            })
        );
    }

    #[test]
    fn word_art_text_from_complex_property() {
        // OPT: a simple property (lTxid absent: pib 0), then gtextUNICODE (complex)
        // whose data follows the table.
        let text: Vec<u8> = "廉政风险防控图\0"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let mut opt = vec![0x04u8, 0x01, 0, 0, 0, 0];
        opt.extend_from_slice(&(PID_GTEXT_UNICODE | 0x8000).to_le_bytes());
        opt.extend_from_slice(&(text.len() as u32).to_le_bytes());
        opt.extend_from_slice(&text);
        let sp = Shape::read(&[rec(2, 0, FSP, &le(&[9, 0])), rec(3, 2, OPT, &opt)].concat());
        assert_eq!(sp.word_art.as_deref(), Some("廉政风险防控图"));
        assert!(!sp.picture);
        // A complex length past the record: no text, no panic.
        let mut bad = opt.clone();
        bad[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(Shape::read(&rec(3, 2, OPT, &bad)).word_art, None);
    }

    #[test]
    fn fspa_origin_margin_or_page() {
        let a = Anchor {
            cp: 0,
            ltrb: [100, 200, 1100, 700],
            bx: 0,
            by: 2,
            page: 0,
            margin_left: 1800,
            margin_top: 1440,
            para_top: None,
        };
        let r = a.page_rect(None, None).to_rect();
        assert_eq!(
            (r.x, r.y, r.w, r.h),
            (1900 * 635, 1640 * 635, 1000 * 635, 500 * 635)
        );
        // posrelh = page overrides the FSPA's margin origin.
        let r = a.page_rect(Some(1), None).to_rect();
        assert_eq!(r.x, 100 * 635);
    }

    #[test]
    fn paragraph_anchors_hang_from_the_paragraph_top() {
        // The first risk box of gaoxin_boxes.doc chart 1: anchored 6076 twips
        // below a paragraph whose top is estimated at 1 640 840 EMU.
        let a = Anchor {
            cp: 61,
            ltrb: [5480, 6076, 9400, 7196],
            bx: 2,
            by: 2,
            page: 0,
            margin_left: 1800,
            margin_top: 1440,
            para_top: Some(1_640_840),
        };
        let r = a.page_rect(Some(2), Some(2)).to_rect();
        assert_eq!(
            r,
            Rect {
                x: 4_622_800,
                y: 5_499_100,
                w: 2_489_200,
                h: 711_200
            }
        );
        // Line-relative counts from the same top; margin- and page-relative
        // positions do not move.
        assert_eq!(a.page_rect(None, Some(3)).to_rect().y, 5_499_100);
        assert_eq!(a.page_rect(None, Some(0)).to_rect().y, (1440 + 6076) * 635);
        assert_eq!(a.page_rect(None, Some(1)).to_rect().y, 6076 * 635);
        // Without an estimate: from the top margin, as before.
        let unknown = Anchor {
            para_top: None,
            ..a
        };
        assert_eq!(
            unknown.page_rect(None, None).to_rect().y,
            (1440 + 6076) * 635
        );
    }

    #[test]
    fn text_frame_is_placed_by_the_shape_it_covers() {
        // Shape 10 at CP 5, paragraph-relative; frame 11 at CP 6, page-relative
        // elsewhere (another layout's idea), 25 twips inside the shape's width.
        let shape = Anchor {
            cp: 5,
            ltrb: [3200, 100, 5120, 620],
            bx: 2,
            by: 2,
            page: 0,
            margin_left: 1800,
            margin_top: 1440,
            para_top: Some(2_000_000),
        };
        let frame = Anchor {
            cp: 6,
            ltrb: [3225, 5000, 5094, 5469],
            by: 1,
            ..shape
        };
        let far = Anchor { cp: 9, ..frame };
        let mut d = Drawing::default();
        for (spid, a) in [(10u32, shape), (11, frame), (12, far)] {
            let place = Place {
                rect: Some(a.page_rect(None, None).to_rect()),
                page: 0,
            };
            d.by_spid.insert(spid, place);
            d.anchors.insert(spid, a);
        }
        d.on_page.extend([11, 12]);
        let host = d.frame_host(10, 11).unwrap();
        assert_eq!(host.rect.map(|r| r.y), Some(2_000_000 + 100 * 635));
        // Not at the next CP, or the wrong way round: no pairing.
        assert_eq!(d.frame_host(10, 12), None);
        assert_eq!(d.frame_host(11, 10), None);
        // A frame that follows its paragraph is placed by its own anchor.
        d.on_page.remove(&11);
        assert_eq!(d.frame_host(10, 11), None);
    }

    #[test]
    fn hostile_records_end() {
        // Truncated and oversized headers neither panic nor loop.
        assert_eq!(Record::children(&[0x0F, 0, 4, 0xF0, 0xFF]).count(), 0);
        let b = rec(15, 0, SP_CONTAINER, &[0; 3]);
        let mut cut = b.clone();
        cut[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(Record::children(&cut).count(), 1);
        let mut d = Drawing::default();
        // A self-similar deep nesting stops at the depth cap.
        let mut nest = rec(15, 0, SP_CONTAINER, &[]);
        for _ in 0..100 {
            nest = rec(15, 0, SPGR_CONTAINER, &nest);
        }
        d.walk_group(&nest, None, 0, &HashMap::new());
        assert!(d.by_spid.is_empty());
    }
}

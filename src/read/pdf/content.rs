//! The content-stream interpreter: graphics and text state, and what a page
//! draws that matters here — glyphs with their positions, ruling lines,
//! stroked rectangles and images — in page coordinates (points, origin at
//! the top-left of the visible page, y down).

use super::fonts::Font;
use super::lexer::{Lexer, Operand, Token};
use super::objects::{dict, get, get_dict, id_of, name, numbers, stream_data};
use lopdf::{Dictionary, Document, ObjectId};
use std::collections::HashMap;
use std::rc::Rc;

/// An affine matrix `[a b c d e f]` (row-vector convention, as in PDF).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Matrix([f64; 6]);

impl Matrix {
    pub const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    pub fn new(m: [f64; 6]) -> Matrix {
        Matrix(m)
    }

    /// `self` then `other`.
    pub fn then(&self, other: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    pub fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }

    /// A vector (no translation).
    pub fn vector(&self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, _, _] = self.0;
        (x * a + y * c, x * b + y * d)
    }

    fn is_sane(&self) -> bool {
        self.0.iter().all(|v| v.is_finite() && v.abs() < 1e9)
    }
}

/// An axis-aligned box in page points.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Bounds {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Bounds {
    pub fn of_points(pts: &[(f64, f64)]) -> Bounds {
        let mut b = Bounds {
            x0: f64::INFINITY,
            y0: f64::INFINITY,
            x1: f64::NEG_INFINITY,
            y1: f64::NEG_INFINITY,
        };
        for &(x, y) in pts {
            b.x0 = b.x0.min(x);
            b.y0 = b.y0.min(y);
            b.x1 = b.x1.max(x);
            b.y1 = b.y1.max(y);
        }
        b
    }
    pub fn w(&self) -> f64 {
        self.x1 - self.x0
    }
    pub fn h(&self) -> f64 {
        self.y1 - self.y0
    }
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x0 && x <= self.x1 && y >= self.y0 && y <= self.y1
    }
    pub fn contains_box(&self, o: &Bounds, tol: f64) -> bool {
        o.x0 >= self.x0 - tol
            && o.x1 <= self.x1 + tol
            && o.y0 >= self.y0 - tol
            && o.y1 <= self.y1 + tol
    }
}

/// One shown character.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Left end of the advance, on the baseline.
    pub x: f64,
    /// The baseline.
    pub y: f64,
    /// Advance width.
    pub w: f64,
    /// Font size as drawn (points).
    pub size: f64,
    /// Width of a space in this font as drawn (a quarter em when unknown).
    pub space: f64,
    pub text: String,
}

/// A horizontal or vertical line segment (a table rule, a box edge).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub horizontal: bool,
    /// The line's y (horizontal) or x (vertical).
    pub at: f64,
    pub from: f64,
    pub to: f64,
}

/// What one page draws.
#[derive(Debug, Default)]
pub struct Drawn {
    pub glyphs: Vec<Glyph>,
    pub rules: Vec<Rule>,
    /// Stroked closed rectangles (flow-chart boxes).
    pub rects: Vec<Bounds>,
    pub images: Vec<Bounds>,
    /// Glyphs whose font gives no text, by font name.
    pub unmapped: HashMap<String, usize>,
}

/// Work limits shared by all pages of a file: a hostile file stops being
/// read when they run out (and says so), it does not hang.
#[derive(Debug)]
pub struct Budget {
    pub operators: u64,
    pub glyphs: usize,
    pub bytes: usize,
    pub exhausted: bool,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            operators: 30_000_000,
            glyphs: 3_000_000,
            bytes: 512 << 20,
            exhausted: false,
        }
    }
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f64,
    char_space: f64,
    word_space: f64,
    scale: f64,
    leading: f64,
    rise: f64,
}

#[derive(Default)]
struct Subpath {
    pts: Vec<(f64, f64)>,
    curved: bool,
    closed: bool,
}

/// Fonts are loaded once per file: by object id, or for a font dictionary
/// written inline, by the address of its resource dictionary and its name.
#[derive(Default)]
pub struct FontCache {
    by_id: HashMap<ObjectId, Rc<Font>>,
    inline: HashMap<(usize, Vec<u8>), Rc<Font>>,
}

pub struct Interpreter<'a> {
    doc: &'a Document,
    fonts: &'a mut FontCache,
    budget: &'a mut Budget,
    out: Drawn,
    forms: Vec<ObjectId>,
}

const MAX_FORM_DEPTH: usize = 12;
const MAX_STACK: usize = 512;

impl<'a> Interpreter<'a> {
    pub fn new(doc: &'a Document, fonts: &'a mut FontCache, budget: &'a mut Budget) -> Self {
        Interpreter {
            doc,
            fonts,
            budget,
            out: Drawn::default(),
            forms: Vec::new(),
        }
    }

    /// Run one page's content with the base matrix (user space → page points).
    pub fn run_page(
        mut self,
        content: &[u8],
        resources: Option<&Dictionary>,
        base: Matrix,
    ) -> Drawn {
        let gs = GState {
            ctm: base,
            font: None,
            size: 0.0,
            char_space: 0.0,
            word_space: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        };
        self.run(content, resources, gs);
        self.out
    }

    fn font(&mut self, resources: Option<&Dictionary>, res_name: &[u8]) -> Option<Rc<Font>> {
        let res = resources?;
        let fonts = get_dict(self.doc, res, b"Font")?;
        let entry = fonts.get(res_name).ok()?;
        if let Some(id) = id_of(entry) {
            if let Some(f) = self.fonts.by_id.get(&id) {
                return Some(f.clone());
            }
            let f = Rc::new(Font::load(self.doc, dict(self.doc, entry)?));
            self.fonts.by_id.insert(id, f.clone());
            return Some(f);
        }
        let key = (fonts as *const Dictionary as usize, res_name.to_vec());
        if let Some(f) = self.fonts.inline.get(&key) {
            return Some(f.clone());
        }
        let f = Rc::new(Font::load(self.doc, dict(self.doc, entry)?));
        self.fonts.inline.insert(key, f.clone());
        Some(f)
    }

    fn run(&mut self, content: &[u8], resources: Option<&Dictionary>, start: GState) {
        let mut gs = start;
        let mut stack: Vec<GState> = Vec::new();
        let mut operands: Vec<Operand> = Vec::new();
        let mut tm = Matrix::IDENTITY;
        let mut tlm = Matrix::IDENTITY;
        let mut path: Vec<Subpath> = Vec::new();
        for tok in Lexer::new(content) {
            let op = match tok {
                Token::Operand(o) => {
                    if operands.len() < 64 {
                        operands.push(o);
                    }
                    continue;
                }
                Token::InlineImage => {
                    self.image(&gs);
                    operands.clear();
                    continue;
                }
                Token::Operator(op) => op,
            };
            if self.budget.operators == 0 || self.budget.glyphs == 0 {
                self.budget.exhausted = true;
                return;
            }
            self.budget.operators -= 1;
            let n = |i: usize| operands.get(i).and_then(Operand::num);
            let nums = |k: usize| -> Option<Vec<f64>> {
                (operands.len() >= k)
                    .then(|| {
                        operands[operands.len() - k..]
                            .iter()
                            .map(Operand::num)
                            .collect()
                    })
                    .flatten()
            };
            match op.as_slice() {
                b"q" if stack.len() < MAX_STACK => stack.push(gs.clone()),
                b"Q" => {
                    if let Some(s) = stack.pop() {
                        gs = s;
                    }
                }
                b"cm" => {
                    if let Some(m) = nums(6) {
                        let m = Matrix([m[0], m[1], m[2], m[3], m[4], m[5]]);
                        let next = m.then(&gs.ctm);
                        if next.is_sane() {
                            gs.ctm = next;
                        }
                    }
                }
                b"BT" => {
                    tm = Matrix::IDENTITY;
                    tlm = Matrix::IDENTITY;
                }
                b"Tf" => {
                    if let (Some(Operand::Name(f)), Some(size)) = (operands.first(), n(1)) {
                        gs.font = self.font(resources, f);
                        gs.size = size;
                    }
                }
                b"Tc" => gs.char_space = n(0).unwrap_or(gs.char_space),
                b"Tw" => gs.word_space = n(0).unwrap_or(gs.word_space),
                b"Tz" => gs.scale = n(0).map_or(gs.scale, |v| v / 100.0),
                b"TL" => gs.leading = n(0).unwrap_or(gs.leading),
                b"Ts" => gs.rise = n(0).unwrap_or(gs.rise),
                b"Td" | b"TD" => {
                    if let (Some(tx), Some(ty)) = (n(0), n(1)) {
                        if op == b"TD" {
                            gs.leading = -ty;
                        }
                        tlm = Matrix([1.0, 0.0, 0.0, 1.0, tx, ty]).then(&tlm);
                        tm = tlm;
                    }
                }
                b"Tm" => {
                    if let Some(m) = nums(6) {
                        let m = Matrix([m[0], m[1], m[2], m[3], m[4], m[5]]);
                        if m.is_sane() {
                            tlm = m;
                            tm = m;
                        }
                    }
                }
                b"T*" => {
                    tlm = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading]).then(&tlm);
                    tm = tlm;
                }
                b"Tj" | b"'" | b"\"" => {
                    if op == b"\""
                        && let (Some(aw), Some(ac)) = (n(0), n(1))
                    {
                        gs.word_space = aw;
                        gs.char_space = ac;
                    }
                    if op != b"Tj" {
                        tlm = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading]).then(&tlm);
                        tm = tlm;
                    }
                    if let Some(Operand::Str(s)) = operands.last() {
                        let s = s.clone();
                        self.show(&s, &gs, &mut tm);
                    }
                }
                b"TJ" => {
                    if let Some(Operand::Array(items)) = operands.last() {
                        let items = items.clone();
                        for item in &items {
                            match item {
                                Operand::Str(s) => self.show(s, &gs, &mut tm),
                                Operand::Num(adj) if adj.is_finite() => {
                                    let tx = -adj / 1000.0 * gs.size * gs.scale;
                                    tm = Matrix([1.0, 0.0, 0.0, 1.0, tx, 0.0]).then(&tm);
                                }
                                _ => {}
                            }
                        }
                    }
                }
                b"m" => {
                    if let (Some(x), Some(y)) = (n(0), n(1)) {
                        path.push(Subpath {
                            pts: vec![gs.ctm.apply(x, y)],
                            ..Default::default()
                        });
                    }
                }
                b"l" => {
                    if let (Some(x), Some(y)) = (n(0), n(1))
                        && let Some(sp) = path.last_mut()
                        && sp.pts.len() < 4096
                    {
                        sp.pts.push(gs.ctm.apply(x, y));
                    }
                }
                b"c" | b"v" | b"y" => {
                    let k = if op == b"c" { 6 } else { 4 };
                    if let Some(v) = nums(k)
                        && let Some(sp) = path.last_mut()
                    {
                        sp.curved = true;
                        if sp.pts.len() < 4096 {
                            sp.pts.push(gs.ctm.apply(v[k - 2], v[k - 1]));
                        }
                    }
                }
                b"h" => {
                    if let Some(sp) = path.last_mut() {
                        sp.closed = true;
                    }
                }
                b"re" => {
                    if let Some(v) = nums(4) {
                        let (x, y, w, h) = (v[0], v[1], v[2], v[3]);
                        path.push(Subpath {
                            pts: vec![
                                gs.ctm.apply(x, y),
                                gs.ctm.apply(x + w, y),
                                gs.ctm.apply(x + w, y + h),
                                gs.ctm.apply(x, y + h),
                            ],
                            curved: false,
                            closed: true,
                        });
                    }
                }
                b"S" | b"s" | b"B" | b"B*" | b"b" | b"b*" => {
                    self.paint(&path, true);
                    path.clear();
                }
                b"f" | b"F" | b"f*" => {
                    self.paint(&path, false);
                    path.clear();
                }
                b"n" => path.clear(),
                b"Do" => {
                    if let Some(Operand::Name(x)) = operands.first() {
                        let x = x.clone();
                        self.xobject(resources, &x, &gs);
                    }
                }
                _ => {}
            }
            operands.clear();
        }
    }

    fn show(&mut self, s: &[u8], gs: &GState, tm: &mut Matrix) {
        let Some(font) = gs.font.clone() else {
            return;
        };
        for (len, code) in font.codes(s) {
            let trm = Matrix([gs.size * gs.scale, 0.0, 0.0, gs.size, 0.0, gs.rise])
                .then(tm)
                .then(&gs.ctm);
            let w0 = font.width(len, code);
            let space = font.is_space_code(len, code);
            let text = font.text(len, code);
            let (ox, oy) = trm.apply(0.0, 0.0);
            let (ax, ay) = trm.vector(w0, 0.0);
            let (sx, sy) = trm.vector(0.0, 1.0);
            let size = (sx * sx + sy * sy).sqrt();
            let space_w = {
                let (wx, wy) = trm.vector(font.space_width().unwrap_or(0.25), 0.0);
                (wx * wx + wy * wy).sqrt()
            };
            match text {
                Some(t) if t.chars().all(|c| c.is_whitespace() || c.is_control()) => {}
                Some(t) => {
                    if self.budget.glyphs > 0
                        && ox.is_finite()
                        && oy.is_finite()
                        && size.is_finite()
                    {
                        self.budget.glyphs -= 1;
                        let t: String = t.chars().filter(|c| !c.is_control()).collect();
                        self.out.glyphs.push(Glyph {
                            x: ox.min(ox + ax),
                            y: oy,
                            w: (ax * ax + ay * ay).sqrt(),
                            size,
                            space: space_w,
                            text: t,
                        });
                    }
                }
                None => *self.out.unmapped.entry(font.name.clone()).or_default() += 1,
            }
            if font.vertical {
                let ty = -(w0.max(1.0)) * gs.size + gs.char_space;
                *tm = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, ty]).then(tm);
            } else {
                let mut tx = w0 * gs.size + gs.char_space;
                if space {
                    tx += gs.word_space;
                }
                tx *= gs.scale;
                *tm = Matrix([1.0, 0.0, 0.0, 1.0, tx, 0.0]).then(tm);
            }
        }
    }

    /// A painted path: stroked rectangles become boxes, straight strokes
    /// and thin filled rectangles become rules.
    fn paint(&mut self, path: &[Subpath], stroked: bool) {
        for sp in path {
            if sp.pts.len() < 2 || self.out.rules.len() > 200_000 {
                continue;
            }
            let b = Bounds::of_points(&sp.pts);
            if !(b.x0.is_finite() && b.y0.is_finite() && b.x1.is_finite() && b.y1.is_finite()) {
                continue;
            }
            if sp.curved {
                // A stroked rounded rectangle or ellipse: a flow-chart box.
                if stroked && sp.closed && self.out.rects.len() < 100_000 {
                    self.out.rects.push(b);
                }
                continue;
            }
            let rect = is_rectangle(sp);
            let thin = b.w().min(b.h()) <= 3.0 && b.w().max(b.h()) > 3.0;
            if rect && thin {
                // A filled hairline or a stroked one-line "rectangle": a rule.
                self.out.rules.push(if b.w() >= b.h() {
                    Rule {
                        horizontal: true,
                        at: (b.y0 + b.y1) / 2.0,
                        from: b.x0,
                        to: b.x1,
                    }
                } else {
                    Rule {
                        horizontal: false,
                        at: (b.x0 + b.x1) / 2.0,
                        from: b.y0,
                        to: b.y1,
                    }
                });
                continue;
            }
            if !stroked {
                continue;
            }
            if rect {
                if self.out.rects.len() < 100_000 {
                    self.out.rects.push(b);
                }
                continue;
            }
            let mut pts = sp.pts.clone();
            if sp.closed {
                pts.push(sp.pts[0]);
            }
            for w in pts.windows(2) {
                let ((x0, y0), (x1, y1)) = (w[0], w[1]);
                if (y0 - y1).abs() < 0.5 && (x0 - x1).abs() > 1.0 {
                    self.out.rules.push(Rule {
                        horizontal: true,
                        at: (y0 + y1) / 2.0,
                        from: x0.min(x1),
                        to: x0.max(x1),
                    });
                } else if (x0 - x1).abs() < 0.5 && (y0 - y1).abs() > 1.0 {
                    self.out.rules.push(Rule {
                        horizontal: false,
                        at: (x0 + x1) / 2.0,
                        from: y0.min(y1),
                        to: y0.max(y1),
                    });
                }
            }
        }
    }

    fn image(&mut self, gs: &GState) {
        let pts = [
            gs.ctm.apply(0.0, 0.0),
            gs.ctm.apply(1.0, 0.0),
            gs.ctm.apply(1.0, 1.0),
            gs.ctm.apply(0.0, 1.0),
        ];
        let b = Bounds::of_points(&pts);
        if b.w().is_finite() && b.h().is_finite() && self.out.images.len() < 10_000 {
            self.out.images.push(b);
        }
    }

    fn xobject(&mut self, resources: Option<&Dictionary>, x: &[u8], gs: &GState) {
        let doc = self.doc;
        let Some(entry) = resources
            .and_then(|r| get_dict(doc, r, b"XObject"))
            .and_then(|d| d.get(x).ok())
        else {
            return;
        };
        let Some(d) = dict(doc, entry) else { return };
        match name(doc, d, b"Subtype") {
            Some(b"Image") => self.image(gs),
            Some(b"Form") => {
                let id = id_of(entry);
                if self.forms.len() >= MAX_FORM_DEPTH
                    || id.is_some_and(|id| self.forms.contains(&id))
                {
                    return;
                }
                let Some(data) = stream_data(doc, entry) else {
                    return;
                };
                if data.len() > self.budget.bytes {
                    self.budget.exhausted = true;
                    return;
                }
                self.budget.bytes -= data.len();
                let m = get(doc, d, b"Matrix")
                    .map(|o| numbers(doc, o))
                    .unwrap_or_default();
                let mut inner = gs.clone();
                if m.len() == 6 {
                    let m = Matrix([m[0], m[1], m[2], m[3], m[4], m[5]]).then(&gs.ctm);
                    if m.is_sane() {
                        inner.ctm = m;
                    }
                }
                let res = get_dict(doc, d, b"Resources").or(resources);
                self.forms.push(id.unwrap_or((0, 0)));
                self.run(&data, res, inner);
                self.forms.pop();
            }
            _ => {}
        }
    }
}

/// A closed path of axis-parallel edges whose corners are its bounding box's.
fn is_rectangle(sp: &Subpath) -> bool {
    let mut pts = sp.pts.clone();
    if !sp.closed {
        let (first, last) = (pts[0], pts[pts.len() - 1]);
        if (first.0 - last.0).abs() > 0.5 || (first.1 - last.1).abs() > 0.5 {
            return false;
        }
    }
    pts.push(pts[0]);
    let axis = pts
        .windows(2)
        .all(|w| (w[0].0 - w[1].0).abs() < 0.5 || (w[0].1 - w[1].1).abs() < 0.5);
    if !axis {
        return false;
    }
    let b = Bounds::of_points(&pts);
    let corner = |x: f64, y: f64| {
        pts.iter()
            .any(|p| (p.0 - x).abs() < 0.5 && (p.1 - y).abs() < 0.5)
    };
    corner(b.x0, b.y0) && corner(b.x1, b.y0) && corner(b.x1, b.y1) && corner(b.x0, b.y1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_path_starting_mid_edge_is_a_rectangle() {
        let sp = Subpath {
            pts: vec![
                (462.0, 346.0),
                (364.0, 346.0),
                (364.0, 402.0),
                (560.0, 402.0),
                (560.0, 346.0),
                (462.0, 346.0),
            ],
            curved: false,
            closed: true,
        };
        assert!(is_rectangle(&sp));
        let tri = Subpath {
            pts: vec![(0.0, 0.0), (10.0, 0.0), (5.0, 8.0)],
            curved: false,
            closed: true,
        };
        assert!(!is_rectangle(&tri));
    }

    #[test]
    fn matrices_compose_in_pdf_order() {
        let scale = Matrix([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
        let shift = Matrix([1.0, 0.0, 0.0, 1.0, 10.0, 0.0]);
        // First scale, then shift.
        assert_eq!(scale.then(&shift).apply(1.0, 1.0), (12.0, 2.0));
    }
}

//! Pure geometry: page setup, anchor positions, group/canvas coordinate
//! mapping and VML style lengths. All results are EMU in page coordinates.

use crate::document::Rect;

pub const EMU_PER_TWIP: i64 = 635;
pub const EMU_PER_PT: f64 = 12_700.0;

/// Page size and margins of one section, in EMU.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Section {
    pub width: i64,
    pub height: i64,
    pub top: i64,
    pub bottom: i64,
    pub left: i64,
    pub right: i64,
    /// `w:type` is `continuous`: the section break starts no new page.
    pub continuous: bool,
    /// Line pitch of a `w:docGrid` that snaps lines (common in Chinese
    /// templates), in EMU: each line takes a whole number of pitches.
    pub line_pitch: Option<i64>,
}

impl Default for Section {
    /// A4 with Word's Chinese default margins (2.54 cm / 3.17 cm).
    fn default() -> Self {
        Section {
            width: 11_906 * EMU_PER_TWIP,
            height: 16_838 * EMU_PER_TWIP,
            top: 1_440 * EMU_PER_TWIP,
            bottom: 1_440 * EMU_PER_TWIP,
            left: 1_800 * EMU_PER_TWIP,
            right: 1_800 * EMU_PER_TWIP,
            continuous: false,
            line_pitch: None,
        }
    }
}

impl Section {
    /// Width of the text area (between the left and right margins), at least 1 inch.
    pub fn text_width(&self) -> i64 {
        (self.width - self.left - self.right).max(914_400)
    }
}

/// What a `wp:positionH` / `wp:positionV` says.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pos {
    pub relative_from: String,
    pub offset: Option<i64>,
    pub align: Option<String>,
}

/// Horizontal page position of a floating object of width `w`. `column` is
/// the left edge and width of the text column the anchor sits in: the
/// margin area in the body, the cell in a table.
pub fn resolve_h(pos: &Pos, w: i64, sect: &Section, column: (i64, i64)) -> i64 {
    let (base, span) = match pos.relative_from.as_str() {
        "page" => (0, sect.width),
        "margin" => (sect.left, sect.text_width()),
        "leftMargin" | "insideMargin" => (0, sect.left),
        "rightMargin" | "outsideMargin" => (sect.width - sect.right, sect.right),
        // column, character (its own offset is not tracked) and anything unknown.
        _ => column,
    };
    place(base, span, w, pos)
}

/// Vertical page position of a floating object of height `h`; `para_top` is
/// the estimated top of the anchoring paragraph, `line` its line height.
pub fn resolve_v(pos: &Pos, h: i64, sect: &Section, para_top: i64, line: i64) -> i64 {
    let (base, span) = match pos.relative_from.as_str() {
        "page" => (0, sect.height),
        "margin" => (sect.top, sect.height - sect.top - sect.bottom),
        "topMargin" | "insideMargin" => (0, sect.top),
        "bottomMargin" | "outsideMargin" => (sect.height - sect.bottom, sect.bottom),
        "line" => (para_top, line),
        // paragraph and anything unknown: the anchoring paragraph.
        _ => (para_top, line),
    };
    place(base, span, h, pos)
}

/// Coordinates and sizes are kept within ±10^15 EMU so that consumers can add
/// them (`Rect::right`) without overflow, whatever the file says.
pub fn sane(v: i64) -> i64 {
    v.clamp(-LIMIT, LIMIT)
}

const LIMIT: i64 = 1_000_000_000_000_000;

fn place(base: i64, span: i64, size: i64, pos: &Pos) -> i64 {
    sane(match pos.align.as_deref() {
        Some("left" | "top" | "inside") => base,
        Some("right" | "bottom" | "outside") => base + span - size,
        Some("center") => base + (span - size) / 2,
        _ => base.saturating_add(pos.offset.unwrap_or(0)),
    })
}

/// A scale-and-translate map from some local coordinate space to the page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Affine {
    pub tx: f64,
    pub ty: f64,
    pub sx: f64,
    pub sy: f64,
}

impl Affine {
    pub fn translate(x: i64, y: i64) -> Affine {
        Affine {
            tx: x as f64,
            ty: y as f64,
            sx: 1.0,
            sy: 1.0,
        }
    }

    /// Map a rectangle given in local coordinates onto the page.
    pub fn apply(&self, x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect {
            x: clamp(self.tx + x * self.sx),
            y: clamp(self.ty + y * self.sy),
            w: clamp(w * self.sx),
            h: clamp(h * self.sy),
        }
    }

    /// The map for the children of a group whose box in *this* space is
    /// `(x, y, w, h)` and whose children use the space that starts at
    /// `(ch_x, ch_y)` and measures `(ch_w, ch_h)` (DrawingML `chOff`/`chExt`,
    /// VML `coordorigin`/`coordsize`). A zero child extent means 1:1.
    pub fn child(&self, outer: [f64; 4], child: [f64; 4]) -> Affine {
        let [x, y, w, h] = outer;
        let [cx, cy, cw, ch] = child;
        let sx = if cw.abs() > f64::EPSILON { w / cw } else { 1.0 };
        let sy = if ch.abs() > f64::EPSILON { h / ch } else { 1.0 };
        // local child point c → group space x + (c - cx) * sx → page via self.
        Affine {
            tx: self.tx + (x - cx * sx) * self.sx,
            ty: self.ty + (y - cy * sy) * self.sy,
            sx: self.sx * sx,
            sy: self.sy * sy,
        }
    }
}

fn clamp(v: f64) -> i64 {
    if v.is_finite() {
        sane(v.round() as i64)
    } else {
        0
    }
}

/// The parts of a VML `style` attribute the reader uses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VmlStyle {
    pub absolute: bool,
    pub left: Option<Length>,
    pub top: Option<Length>,
    pub margin_left: Option<Length>,
    pub margin_top: Option<Length>,
    pub width: Option<Length>,
    pub height: Option<Length>,
    pub rel_h: Option<String>,
    pub rel_v: Option<String>,
    pub align_h: Option<String>,
    pub align_v: Option<String>,
}

/// A CSS-like length: the number and whether it carried a unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Length {
    pub value: f64,
    /// Value in EMU when it had a unit, `None` when unitless.
    pub emu: Option<f64>,
}

impl Length {
    /// In EMU, treating a unitless number as CSS pixels (96 dpi).
    pub fn emu_or_px(&self) -> f64 {
        self.emu.unwrap_or(self.value * 9_525.0)
    }
    /// In the coordinate space of an enclosing VML group: the number as written.
    pub fn coord(&self) -> f64 {
        self.value
    }
}

pub fn parse_length(s: &str) -> Option<Length> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let value: f64 = num.parse().ok().filter(|v: &f64| v.is_finite())?;
    let per = match unit.trim().to_ascii_lowercase().as_str() {
        "" => return Some(Length { value, emu: None }),
        "pt" => EMU_PER_PT,
        "in" => 914_400.0,
        "cm" => 360_000.0,
        "mm" => 36_000.0,
        "px" => 9_525.0,
        "pc" => 152_400.0,
        "emu" => 1.0,
        _ => return None,
    };
    Some(Length {
        value,
        emu: Some(value * per),
    })
}

pub fn parse_vml_style(style: &str) -> VmlStyle {
    let mut out = VmlStyle::default();
    for decl in style.split(';') {
        let Some((k, v)) = decl.split_once(':') else {
            continue;
        };
        let v = v.trim();
        match k.trim().to_ascii_lowercase().as_str() {
            "position" => out.absolute = v.eq_ignore_ascii_case("absolute"),
            "left" => out.left = parse_length(v),
            "top" => out.top = parse_length(v),
            "margin-left" => out.margin_left = parse_length(v),
            "margin-top" => out.margin_top = parse_length(v),
            "width" => out.width = parse_length(v),
            "height" => out.height = parse_length(v),
            "mso-position-horizontal-relative" => out.rel_h = Some(v.to_string()),
            "mso-position-vertical-relative" => out.rel_v = Some(v.to_string()),
            "mso-position-horizontal" => out.align_h = Some(v.to_string()),
            "mso-position-vertical" => out.align_v = Some(v.to_string()),
            _ => {}
        }
    }
    out
}

/// Page rect of a top-level VML shape (not inside a `v:group`); `column` as
/// for [`resolve_h`].
pub fn vml_top_level(
    st: &VmlStyle,
    sect: &Section,
    column: (i64, i64),
    para_top: i64,
    line: i64,
) -> Rect {
    let w = sane(st.width.map(|l| l.emu_or_px()).unwrap_or(0.0).round() as i64);
    let h = sane(st.height.map(|l| l.emu_or_px()).unwrap_or(0.0).round() as i64);
    let off = |a: Option<Length>, b: Option<Length>| {
        (a.map(|l| l.emu_or_px()).unwrap_or(0.0) + b.map(|l| l.emu_or_px()).unwrap_or(0.0)).round()
            as i64
    };
    if !st.absolute {
        // Inline: where the text of the anchoring paragraph starts.
        return Rect {
            x: column.0,
            y: sane(para_top),
            w,
            h,
        };
    }
    let h_rel = match st.rel_h.as_deref() {
        Some("page") => "page",
        Some("left-margin-area" | "inner-margin-area") => "leftMargin",
        Some("right-margin-area" | "outer-margin-area") => "rightMargin",
        Some("margin") => "margin",
        // text, char and the default: the column.
        _ => "column",
    };
    let v_rel = match st.rel_v.as_deref() {
        Some("page") => "page",
        Some("margin") => "margin",
        Some("top-margin-area" | "inner-margin-area") => "topMargin",
        Some("bottom-margin-area" | "outer-margin-area") => "bottomMargin",
        Some("line") => "line",
        _ => "paragraph",
    };
    let align = |a: &Option<String>| a.clone().filter(|s| s != "absolute");
    let ph = Pos {
        relative_from: h_rel.into(),
        offset: Some(off(st.margin_left, st.left)),
        align: align(&st.align_h),
    };
    let pv = Pos {
        relative_from: v_rel.into(),
        offset: Some(off(st.margin_top, st.top)),
        align: align(&st.align_v),
    };
    Rect {
        x: resolve_h(&ph, w, sect, column),
        y: resolve_v(&pv, h, sect, para_top, line),
        w,
        h,
    }
}

/// Box of a VML shape inside a group, in the group's coordinate space.
pub fn vml_in_group(st: &VmlStyle) -> [f64; 4] {
    let v = |l: Option<Length>| l.map(|l| l.coord()).unwrap_or(0.0);
    [
        v(st.left) + v(st.margin_left),
        v(st.top) + v(st.margin_top),
        v(st.width),
        v(st.height),
    ]
}

/// `"21600,21600"` → (21600, 21600).
pub fn parse_pair(s: &str) -> Option<(f64, f64)> {
    let (a, b) = s.split_once(',')?;
    let a: f64 = a.trim().parse().ok().filter(|v: &f64| v.is_finite())?;
    let b: f64 = b.trim().parse().ok().filter(|v: &f64| v.is_finite())?;
    Some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sect() -> Section {
        Section {
            width: 7_560_000,
            height: 10_692_000,
            top: 914_400,
            bottom: 914_400,
            left: 1_143_000,
            right: 1_143_000,
            continuous: false,
            line_pitch: None,
        }
    }

    fn pos(rel: &str, offset: Option<i64>, align: Option<&str>) -> Pos {
        Pos {
            relative_from: rel.into(),
            offset,
            align: align.map(str::to_string),
        }
    }

    #[test]
    fn horizontal_positions() {
        let s = sect();
        let col = (s.left, s.text_width());
        assert_eq!(resolve_h(&pos("page", Some(100), None), 50, &s, col), 100);
        assert_eq!(
            resolve_h(&pos("margin", Some(100), None), 50, &s, col),
            1_143_100
        );
        assert_eq!(
            resolve_h(&pos("column", None, Some("right")), 1_000, &s, col),
            6_416_000
        );
        assert_eq!(
            resolve_h(&pos("page", None, Some("center")), 1_000_000, &s, col),
            3_280_000
        );
        assert_eq!(
            resolve_h(&pos("rightMargin", Some(0), None), 10, &s, col),
            6_417_000
        );
    }

    #[test]
    fn vertical_positions() {
        let s = sect();
        assert_eq!(
            resolve_v(&pos("paragraph", Some(200), None), 10, &s, 3_000, 40),
            3_200
        );
        assert_eq!(
            resolve_v(&pos("margin", None, Some("top")), 10, &s, 3_000, 40),
            914_400
        );
        assert_eq!(
            resolve_v(&pos("page", None, Some("bottom")), 92_000, &s, 0, 0),
            10_600_000
        );
    }

    #[test]
    fn group_mapping_scales_and_offsets() {
        // Group drawn at page (1000, 2000), 400×200, children in a 0..800 × 0..400 space
        // starting at (100, 100).
        let page = Affine::translate(0, 0);
        let g = page.child([1000.0, 2000.0, 400.0, 200.0], [100.0, 100.0, 800.0, 400.0]);
        assert_eq!(
            g.apply(100.0, 100.0, 800.0, 400.0),
            Rect {
                x: 1000,
                y: 2000,
                w: 400,
                h: 200
            }
        );
        assert_eq!(
            g.apply(500.0, 300.0, 200.0, 100.0),
            Rect {
                x: 1200,
                y: 2100,
                w: 100,
                h: 50
            }
        );
        // A nested group inside it, at child coords (500,300) 200×100, with its own 0..20 space.
        let n = g.child([500.0, 300.0, 200.0, 100.0], [0.0, 0.0, 20.0, 10.0]);
        assert_eq!(
            n.apply(10.0, 5.0, 10.0, 5.0),
            Rect {
                x: 1250,
                y: 2125,
                w: 50,
                h: 25
            }
        );
    }

    #[test]
    fn vml_lengths() {
        assert_eq!(parse_length("12pt").and_then(|l| l.emu), Some(152_400.0));
        assert_eq!(parse_length("1in").and_then(|l| l.emu), Some(914_400.0));
        assert_eq!(parse_length("2.5cm").and_then(|l| l.emu), Some(900_000.0));
        assert_eq!(parse_length("96").map(|l| l.emu_or_px()), Some(914_400.0));
        assert_eq!(parse_length("abc"), None);
        let st = parse_vml_style(
            "position:absolute;margin-left:36pt;margin-top:18pt;width:72pt;height:1in;mso-position-horizontal-relative:page;mso-position-vertical-relative:page",
        );
        assert_eq!(
            vml_top_level(&st, &sect(), (1_143_000, 5_273_000), 0, 0),
            Rect {
                x: 457_200,
                y: 228_600,
                w: 914_400,
                h: 914_400
            }
        );
    }
}

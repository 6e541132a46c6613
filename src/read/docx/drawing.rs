//! Geometry of drawings met during the pass: DrawingML anchors (`wp:anchor`,
//! `wp:inline`), shapes, pictures, groups (`wpg:wgp`) and canvases (`wpc:wpc`),
//! and VML shapes and groups (`w:pict`). It tracks the open drawing elements
//! and tells the pass where a text box or picture sits on the page.

use super::geometry::{self, Affine, Pos, Section};
use super::xml::{Start, parse_i64};
use crate::document::Rect;

/// What positions resolve against: the anchoring paragraph and its section.
#[derive(Debug, Clone, Copy)]
pub struct Here {
    pub sect: Section,
    /// Left edge and width of the text column: the margin area, or the table cell.
    pub column: (i64, i64),
    /// Estimated top of the anchoring paragraph (EMU, page coordinates).
    pub para_top: i64,
    /// Its line height.
    pub line: i64,
}

impl Here {
    /// The top of a default page (only if the pass gave no context).
    fn nowhere() -> Here {
        let sect = Section::default();
        Here {
            sect,
            column: (sect.left, sect.text_width()),
            para_top: sect.top,
            line: 0,
        }
    }
}

/// Something the pass has to act on.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// A picture, with its page rectangle when known.
    Image(Option<Rect>),
    /// An inline drawing of this height: its line grows to fit it.
    InlineHeight(i64),
}

struct Anchor {
    inline: bool,
    simple: Option<(i64, i64)>,
    use_simple: bool,
    pos_h: Pos,
    pos_v: Pos,
    /// Which position the next `wp:posOffset`/`wp:align` belongs to.
    horizontal: bool,
    extent: (i64, i64),
    rect: Option<Rect>,
    here: Here,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum FrameKind {
    /// Starts a new drawing context (an anchor, a `w:pict`, a text box's
    /// content): searches for an enclosing group stop here.
    Barrier,
    Shape,
    Picture,
    Group,
    Canvas,
    VmlShape,
    VmlGroup,
}

struct Frame {
    name: String,
    kind: FrameKind,
    rect: Option<Rect>,
    /// Groups and canvases: maps their children's coordinates to the page.
    child_map: Option<Affine>,
    /// A shape filled with a picture (`a:blip`) …
    blip: bool,
    /// … and one that holds a text box: only a picture without text is an image.
    text: bool,
}

#[derive(Default, Clone, Copy)]
struct Xfrm {
    off: (f64, f64),
    ext: (f64, f64),
    ch_off: Option<(f64, f64)>,
    ch_ext: Option<(f64, f64)>,
}

#[derive(Default)]
pub struct Drawings {
    anchors: Vec<Anchor>,
    frames: Vec<Frame>,
    xfrm: Xfrm,
    /// Text of a `wp:posOffset` / `wp:align` being read.
    scratch: String,
}

const VML_SHAPES: [&str; 9] = [
    "v:shape",
    "v:rect",
    "v:roundrect",
    "v:oval",
    "v:line",
    "v:polyline",
    "v:arc",
    "v:curve",
    "v:image",
];

impl Drawings {
    /// Elements whose handling needs [`Here`] (computed only for them).
    pub fn needs_here(name: &str) -> bool {
        matches!(name, "wp:anchor" | "wp:inline" | "v:group") || VML_SHAPES.contains(&name)
    }

    pub fn start(&mut self, s: &Start, parent: &str, here: Option<Here>) -> Option<Found> {
        let name = s.name.as_str();
        match name {
            "wp:anchor" | "wp:inline" => {
                self.anchors.push(Anchor {
                    inline: name == "wp:inline",
                    simple: None,
                    use_simple: s.attr("simplePos").is_some_and(|v| v == "1" || v == "true"),
                    pos_h: Pos {
                        relative_from: "column".into(),
                        ..Pos::default()
                    },
                    pos_v: Pos {
                        relative_from: "paragraph".into(),
                        ..Pos::default()
                    },
                    horizontal: true,
                    extent: (0, 0),
                    rect: None,
                    here: here.unwrap_or_else(Here::nowhere),
                });
                self.push_frame(name, FrameKind::Barrier, None, None);
            }
            "wp:simplePos" => {
                if let Some(a) = self.anchors.last_mut() {
                    a.simple = Some((s.attr_i64("x").unwrap_or(0), s.attr_i64("y").unwrap_or(0)));
                }
            }
            "wp:positionH" | "wp:positionV" => {
                if let Some(a) = self.anchors.last_mut() {
                    a.horizontal = name == "wp:positionH";
                    let pos = if a.horizontal {
                        &mut a.pos_h
                    } else {
                        &mut a.pos_v
                    };
                    if let Some(r) = s.attr("relativeFrom") {
                        pos.relative_from = r.to_string();
                    }
                }
            }
            "wp:posOffset" | "wp:align" => self.scratch.clear(),
            "wp:extent" if parent == "wp:anchor" || parent == "wp:inline" => {
                if let Some(a) = self.anchors.last_mut() {
                    let v = |k| s.attr_i64(k).unwrap_or(0).clamp(0, 1 << 40);
                    a.extent = (v("cx"), v("cy"));
                }
            }
            // Position and size are complete once the graphic starts.
            "a:graphic" if parent == "wp:anchor" || parent == "wp:inline" => {
                let a = self.anchors.last_mut()?;
                let (w, h) = a.extent;
                let Here {
                    sect,
                    column,
                    para_top,
                    line,
                } = a.here;
                let (x, y) = if a.inline {
                    (column.0, para_top)
                } else if let (true, Some((x, y))) = (a.use_simple, a.simple) {
                    (geometry::sane(x), geometry::sane(y))
                } else {
                    (
                        geometry::resolve_h(&a.pos_h, w, &sect, column),
                        geometry::resolve_v(&a.pos_v, h, &sect, para_top, line),
                    )
                };
                a.rect = Some(Rect {
                    x: geometry::sane(x),
                    y: geometry::sane(y),
                    w,
                    h,
                });
                if a.inline {
                    return Some(Found::InlineHeight(h));
                }
            }
            "wps:wsp" | "pic:pic" => {
                let kind = if name == "pic:pic" {
                    FrameKind::Picture
                } else {
                    FrameKind::Shape
                };
                // Outside a group the shape is the whole drawing.
                let rect = if self.in_group(0) {
                    None
                } else {
                    self.anchor_rect()
                };
                self.push_frame(name, kind, rect, None);
            }
            "wpg:wgp" | "wpg:grpSp" => self.push_frame(name, FrameKind::Group, None, None),
            // A canvas's children are placed in EMU from its top-left corner.
            "wpc:wpc" => {
                let map = self
                    .enclosing_map(0)
                    .or_else(|| self.anchor_rect().map(|r| Affine::translate(r.x, r.y)));
                self.push_frame(name, FrameKind::Canvas, None, map);
            }
            "a:xfrm" if is_sp_pr(parent) => self.xfrm = Xfrm::default(),
            "a:off" | "a:ext" | "a:chOff" | "a:chExt" if parent == "a:xfrm" => {
                let (kx, ky) = if name == "a:off" || name == "a:chOff" {
                    ("x", "y")
                } else {
                    ("cx", "cy")
                };
                let v = (
                    s.attr_i64(kx).unwrap_or(0) as f64,
                    s.attr_i64(ky).unwrap_or(0) as f64,
                );
                match name {
                    "a:off" => self.xfrm.off = v,
                    "a:ext" => self.xfrm.ext = v,
                    "a:chOff" => self.xfrm.ch_off = Some(v),
                    _ => self.xfrm.ch_ext = Some(v),
                }
            }
            // A picture fill of a shape (pictures proper are `pic:pic`).
            "a:blip" => {
                if let Some(f) = self
                    .frames
                    .last_mut()
                    .filter(|f| f.kind == FrameKind::Shape)
                {
                    f.blip = true;
                }
            }
            "w:pict" | "w:object" => self.push_frame(name, FrameKind::Barrier, None, None),
            "v:group" => self.start_vml(s, true, here),
            _ if VML_SHAPES.contains(&name) => self.start_vml(s, false, here),
            "v:imagedata" => {
                let rect = self
                    .frames
                    .last()
                    .filter(|f| f.kind == FrameKind::VmlShape)
                    .and_then(|f| f.rect);
                return Some(Found::Image(rect));
            }
            _ => {}
        }
        None
    }

    /// Text inside `wp:posOffset` / `wp:align`.
    pub fn text(&mut self, t: &str) {
        if self.scratch.len() < 64 {
            self.scratch.push_str(t);
        }
    }

    pub fn end(&mut self, name: &str, parent: &str) -> Option<Found> {
        match name {
            "wp:posOffset" | "wp:align" => {
                let text = std::mem::take(&mut self.scratch);
                if let Some(a) = self.anchors.last_mut() {
                    let pos = if a.horizontal {
                        &mut a.pos_h
                    } else {
                        &mut a.pos_v
                    };
                    if name == "wp:align" {
                        pos.align = Some(text.trim().to_string());
                    } else {
                        pos.offset = parse_i64(&text);
                    }
                }
            }
            "wp:anchor" | "wp:inline" => {
                self.anchors.pop();
                self.pop_frame(name);
            }
            "a:xfrm" if is_sp_pr(parent) => self.end_xfrm(parent),
            "pic:pic" => {
                let rect = self.frames.last().and_then(|f| f.rect);
                let rect = rect.or_else(|| self.anchor_rect());
                self.pop_frame(name);
                return Some(Found::Image(rect));
            }
            "wps:wsp" => {
                let image = self
                    .frames
                    .last()
                    .filter(|f| f.name == name && f.blip && !f.text)
                    .map(|f| Found::Image(f.rect));
                self.pop_frame(name);
                return image;
            }
            _ => self.pop_frame(name),
        }
        None
    }

    /// A text box's content starts: the page rect of the shape that holds it.
    pub fn open_box(&mut self) -> Option<Rect> {
        let shape = self
            .frames
            .iter_mut()
            .rev()
            .take_while(|f| f.kind != FrameKind::Barrier)
            .find(|f| matches!(f.kind, FrameKind::Shape | FrameKind::VmlShape));
        let rect = match shape {
            Some(f) => {
                f.text = true;
                f.rect
            }
            None => None,
        };
        let rect = rect.or_else(|| self.anchor_rect());
        // Drawings inside the box are a context of their own.
        self.push_frame("w:txbxContent", FrameKind::Barrier, None, None);
        rect
    }

    pub fn close_box(&mut self) {
        self.pop_frame("w:txbxContent");
    }

    fn push_frame(&mut self, name: &str, kind: FrameKind, rect: Option<Rect>, map: Option<Affine>) {
        self.frames.push(Frame {
            name: name.to_string(),
            kind,
            rect,
            child_map: map,
            blip: false,
            text: false,
        });
    }

    fn pop_frame(&mut self, name: &str) {
        if self.frames.last().is_some_and(|f| f.name == name) {
            self.frames.pop();
        }
    }

    /// The open frames of the current drawing context, innermost first,
    /// leaving out the top `skip_top` frames.
    fn context(&self, skip_top: usize) -> impl Iterator<Item = &Frame> {
        let upto = self.frames.len().saturating_sub(skip_top);
        self.frames
            .get(..upto)
            .unwrap_or(&[])
            .iter()
            .rev()
            .take_while(|f| f.kind != FrameKind::Barrier)
    }

    /// The map of the innermost group or canvas of the current drawing.
    fn enclosing_map(&self, skip_top: usize) -> Option<Affine> {
        self.context(skip_top).find_map(|f| f.child_map)
    }

    fn in_group(&self, skip_top: usize) -> bool {
        self.context(skip_top).any(|f| {
            matches!(
                f.kind,
                FrameKind::Group | FrameKind::Canvas | FrameKind::VmlGroup
            )
        })
    }

    fn anchor_rect(&self) -> Option<Rect> {
        self.anchors.last().and_then(|a| a.rect)
    }

    /// `a:xfrm` of a shape or group is complete.
    fn end_xfrm(&mut self, parent: &str) {
        let x = self.xfrm;
        let Some(top) = self.frames.last() else {
            return;
        };
        match top.kind {
            FrameKind::Shape | FrameKind::Picture
                if top.rect.is_none() && parent != "wpg:grpSpPr" =>
            {
                let map = self
                    .enclosing_map(1)
                    .or_else(|| self.anchor_rect().map(|r| Affine::translate(r.x, r.y)));
                if let (Some(m), Some(f)) = (map, self.frames.last_mut()) {
                    f.rect = Some(m.apply(x.off.0, x.off.1, x.ext.0, x.ext.1));
                }
            }
            FrameKind::Group if parent == "wpg:grpSpPr" => {
                let outer = [x.off.0, x.off.1, x.ext.0, x.ext.1];
                let (cx, cy) = x.ch_off.unwrap_or(x.off);
                let (cw, ch) = x.ch_ext.unwrap_or(x.ext);
                let parent_map = if self.in_group(1) {
                    self.enclosing_map(1)
                } else {
                    // The top group's own box is the whole drawing: map it onto the anchor.
                    self.anchor_rect().map(|r| {
                        Affine::translate(0, 0)
                            .child([r.x as f64, r.y as f64, r.w as f64, r.h as f64], outer)
                    })
                };
                if let (Some(m), Some(f)) = (parent_map, self.frames.last_mut()) {
                    f.rect = Some(m.apply(outer[0], outer[1], outer[2], outer[3]));
                    f.child_map = Some(m.child(outer, [cx, cy, cw, ch]));
                }
            }
            _ => {}
        }
    }

    fn start_vml(&mut self, s: &Start, group: bool, here: Option<Here>) {
        let style = geometry::parse_vml_style(s.attr("style").unwrap_or(""));
        let parent_map = self
            .context(0)
            .find(|f| f.kind == FrameKind::VmlGroup)
            .and_then(|f| f.child_map);
        let (rect, local) = match parent_map {
            Some(m) => {
                let [x, y, w, h] = geometry::vml_in_group(&style);
                (m.apply(x, y, w, h), Some((m, [x, y, w, h])))
            }
            None => {
                let here = here.unwrap_or_else(Here::nowhere);
                let r = geometry::vml_top_level(
                    &style,
                    &here.sect,
                    here.column,
                    here.para_top,
                    here.line,
                );
                (r, None)
            }
        };
        if !group {
            self.push_frame(&s.name, FrameKind::VmlShape, Some(rect), None);
            return;
        }
        let (ox, oy) = s
            .attr("coordorigin")
            .and_then(geometry::parse_pair)
            .unwrap_or((0.0, 0.0));
        // VML's default coordinate space is 1000 × 1000.
        let (cw, ch) = s
            .attr("coordsize")
            .and_then(geometry::parse_pair)
            .unwrap_or((1000.0, 1000.0));
        let map = match local {
            Some((m, outer)) => m.child(outer, [ox, oy, cw, ch]),
            None => Affine::translate(0, 0).child(
                [rect.x as f64, rect.y as f64, rect.w as f64, rect.h as f64],
                [ox, oy, cw, ch],
            ),
        };
        self.push_frame(&s.name, FrameKind::VmlGroup, Some(rect), Some(map));
    }
}

/// `wps:spPr`, `pic:spPr`, `wpg:grpSpPr`: the elements whose `a:xfrm` places a shape.
fn is_sp_pr(name: &str) -> bool {
    name.ends_with("spPr") || name.ends_with("SpPr")
}

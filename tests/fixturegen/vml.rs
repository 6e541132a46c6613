//! VML shapes: the `mc:Fallback` copies Word writes next to every DrawingML
//! shape, and the VML-only boxes WPS writes (`v:rect`, `v:roundrect`,
//! `v:shape` with `v:textbox`, `v:group`).

use super::layout::{Kind, Shape};
use super::ooxml::{Doc, pt};

const T202: &str = r#"<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>"#;
const T32: &str = r#"<v:shapetype id="_x0000_t32" coordsize="21600,21600" o:spt="32" o:oned="t" path="m,l21600,21600e" filled="f"><v:path arrowok="t" fillok="f" o:connecttype="none"/><o:lock v:ext="edit" shapetype="t"/></v:shapetype>"#;

/// The shape types a list of shapes needs, each written once per document.
pub fn shapetypes(doc: &mut Doc, shapes: &[&Shape]) -> String {
    let mut out = String::new();
    if shapes
        .iter()
        .any(|s| matches!(s.kind, Kind::Header | Kind::Risk | Kind::Measure))
        && doc.first_use("t202")
    {
        out.push_str(T202);
    }
    if shapes.iter().any(|s| s.kind == Kind::Arrow) && doc.first_use("t32") {
        out.push_str(T32);
    }
    out
}

/// VML names for where a DrawingML position is measured from.
pub fn vml_relative(relative_from: &str) -> &'static str {
    match relative_from {
        "page" => "page",
        "margin" => "margin",
        _ => "text", // column and paragraph
    }
}

/// Where a shape sits: the start of its `style` attribute.
pub enum Pos {
    /// Absolute, in points from page/margin/text.
    Anchored {
        left: i64,
        top: i64,
        h_rel: &'static str,
        v_rel: &'static str,
    },
    /// A child of a `v:group`: unitless coordinates in the group's space.
    Child { left: i64, top: i64 },
}

fn style(pos: &Pos, w: i64, h: i64, child_w: i64, child_h: i64, z: u32) -> String {
    match pos {
        Pos::Anchored {
            left,
            top,
            h_rel,
            v_rel,
        } => format!(
            "position:absolute;margin-left:{}pt;margin-top:{}pt;width:{}pt;height:{}pt;mso-position-horizontal-relative:{h_rel};mso-position-vertical-relative:{v_rel};z-index:{z}",
            pt(*left),
            pt(*top),
            pt(w),
            pt(h)
        ),
        Pos::Child { left, top } => {
            format!("position:absolute;left:{left};top:{top};width:{child_w};height:{child_h}")
        }
    }
}

/// Word's VML copy of one shape (inside `mc:Fallback` or a fallback group).
/// `child` gives the size in group units when the shape is a group child.
pub fn word_shape(
    doc: &mut Doc,
    shape: &Shape,
    name: &str,
    pos: &Pos,
    child: (i64, i64),
) -> String {
    let z = doc.z();
    let spid = doc.spid();
    let style = style(pos, shape.rect.w, shape.rect.h, child.0, child.1, z);
    match shape.kind {
        Kind::Arrow => format!(
            r##"<v:shape id="{name}" o:spid="{spid}" type="#_x0000_t32" style="{style}" o:connectortype="straight" stroked="t" strokecolor="black" strokeweight=".5pt"><v:stroke endarrow="block" joinstyle="miter"/></v:shape>"##
        ),
        Kind::Step => {
            let content = doc.txbx_content(shape, false);
            format!(
                r#"<v:roundrect id="{name}" o:spid="{spid}" style="{style};v-text-anchor:middle" arcsize="10923f" fillcolor="white" stroked="t" strokecolor="black" strokeweight=".5pt"><v:textbox>{content}</v:textbox></v:roundrect>"#
            )
        }
        _ => {
            let content = doc.txbx_content(shape, false);
            format!(
                r##"<v:shape id="{name}" o:spid="{spid}" type="#_x0000_t202" style="{style};visibility:visible;mso-wrap-style:square;v-text-anchor:top" fillcolor="white" stroked="t" strokecolor="black" strokeweight=".5pt"><v:textbox>{content}</v:textbox></v:shape>"##
            )
        }
    }
}

/// A WPS-style VML-only shape: `v:rect` for headers and risks, `v:roundrect`
/// for steps, a `v:shape` text box for measures, a `v:shape` connector for arrows.
pub fn wps_shape(doc: &mut Doc, shape: &Shape, pos: &Pos, child: (i64, i64)) -> String {
    let z = doc.z();
    let spid = doc.spid();
    // Without an explicit wrap style LibreOffice does not wrap `v:shape` text boxes.
    let style = format!(
        "{};mso-wrap-style:square",
        style(pos, shape.rect.w, shape.rect.h, child.0, child.1, z)
    );
    let common = r##"<v:path/><v:fill on="t" focussize="0,0"/><v:stroke color="#000000" joinstyle="miter"/><v:imagedata o:title=""/><o:lock v:ext="edit" aspectratio="f"/>"##;
    match shape.kind {
        Kind::Arrow => format!(
            r##"<v:shape id="{spid}" o:spid="{spid}" o:spt="32" type="#_x0000_t32" style="{style}" filled="f" stroked="t" coordsize="21600,21600" o:connectortype="straight"><v:path arrowok="t"/><v:fill on="f" focussize="0,0"/><v:stroke color="#000000" endarrow="block"/><v:imagedata o:title=""/><o:lock v:ext="edit" aspectratio="f"/></v:shape>"##
        ),
        Kind::Step => {
            let content = doc.txbx_content(shape, true);
            format!(
                r##"<v:roundrect id="{spid}" o:spid="{spid}" o:spt="2" arcsize="0.166666666666667" style="{style}" fillcolor="#FFFFFF" filled="t" stroked="t" coordsize="21600,21600">{common}<v:textbox>{content}</v:textbox></v:roundrect>"##
            )
        }
        Kind::Measure => {
            let content = doc.txbx_content(shape, true);
            format!(
                r##"<v:shape id="{spid}" o:spid="{spid}" o:spt="202" type="#_x0000_t202" style="{style}" fillcolor="#FFFFFF" filled="t" stroked="t" coordsize="21600,21600">{common}<v:textbox>{content}</v:textbox></v:shape>"##
            )
        }
        Kind::Header | Kind::Risk => {
            let content = doc.txbx_content(shape, true);
            format!(
                r##"<v:rect id="{spid}" o:spid="{spid}" o:spt="1" style="{style}" fillcolor="#FFFFFF" filled="t" stroked="t" coordsize="21600,21600">{common}<v:textbox>{content}</v:textbox></v:rect>"##
            )
        }
    }
}

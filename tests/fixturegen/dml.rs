//! DrawingML as Word 2010+ writes it: `wp:anchor` text boxes and connectors
//! inside `mc:AlternateContent` (with the VML copy as fallback), one
//! `wpg:wgp` group, one `wpc:wpc` canvas, and an inline `pic:pic` picture.

use super::layout::{EMU_PER_PT, Kind, Rect, Shape};
use super::ooxml::{Doc, NS_A, NS_PIC};
use super::vml::{self, Pos};

const URI_SHAPE: &str = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape";
const URI_GROUP: &str = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup";
const URI_CANVAS: &str = "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas";
const URI_PICTURE: &str = "http://schemas.openxmlformats.org/drawingml/2006/picture";

/// Where an anchored drawing is measured from, as `wp:positionH/V` say it.
#[derive(Clone, Copy)]
pub struct Place {
    pub h_rel: &'static str,
    pub h_off: i64,
    pub v_rel: &'static str,
    pub v_off: i64,
}

fn anchor_open(doc: &mut Doc, place: Place, w: i64, h: i64, name: &str, id: u32) -> String {
    let z = doc.z();
    format!(
        concat!(
            r#"<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="{z}" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1" wp14:anchorId="{id:08X}" wp14:editId="{edit:08X}">"#,
            r#"<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="{hr}"><wp:posOffset>{ho}</wp:posOffset></wp:positionH>"#,
            r#"<wp:positionV relativeFrom="{vr}"><wp:posOffset>{vo}</wp:posOffset></wp:positionV>"#,
            r#"<wp:extent cx="{w}" cy="{h}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>"#,
            r#"<wp:docPr id="{id}" name="{name}"/><wp:cNvGraphicFramePr/>"#
        ),
        z = z,
        id = 0x2C00_0000u32 + id,
        edit = 0x5D00_0000u32 + id * 7,
        hr = place.h_rel,
        ho = place.h_off,
        vr = place.v_rel,
        vo = place.v_off,
        w = w,
        h = h,
        name = name,
    )
}

const ANCHOR_CLOSE: &str = concat!(
    r#"<wp14:sizeRelH relativeFrom="margin"><wp14:pctWidth>0</wp14:pctWidth></wp14:sizeRelH>"#,
    r#"<wp14:sizeRelV relativeFrom="margin"><wp14:pctHeight>0</wp14:pctHeight></wp14:sizeRelV></wp:anchor>"#
);

fn shape_name(kind: Kind, id: u32) -> String {
    match kind {
        Kind::Arrow => format!("直接箭头连接符 {id}"),
        Kind::Step => format!("圆角矩形 {id}"),
        _ => format!("文本框 {id}"),
    }
}

/// One `wps:wsp`: a text box, a rounded step box or a connector.
/// `nv_name` is set for children of a group or canvas, which carry their own `wps:cNvPr`.
fn wsp(
    doc: &mut Doc,
    shape: &Shape,
    off: (i64, i64),
    ext: (i64, i64),
    nv: Option<(u32, &str)>,
) -> String {
    let cnvpr = match nv {
        Some((id, name)) => format!(r#"<wps:cNvPr id="{id}" name="{name}"/>"#),
        None => String::new(),
    };
    let xfrm = format!(
        r#"<a:xfrm><a:off x="{}" y="{}"/><a:ext cx="{}" cy="{}"/></a:xfrm>"#,
        off.0, off.1, ext.0, ext.1
    );
    if shape.kind == Kind::Arrow {
        return format!(
            r#"<wps:wsp>{cnvpr}<wps:cNvCnPr/><wps:spPr>{xfrm}<a:prstGeom prst="straightConnector1"><a:avLst/></a:prstGeom><a:noFill/><a:ln w="6350"><a:solidFill><a:srgbClr val="000000"/></a:solidFill><a:miter lim="800000"/><a:tailEnd type="triangle"/></a:ln></wps:spPr><wps:bodyPr/></wps:wsp>"#
        );
    }
    let (nvsp, geom, anchor) = if shape.kind == Kind::Step {
        ("<wps:cNvSpPr/>", "roundRect", "ctr")
    } else {
        (r#"<wps:cNvSpPr txBox="1"/>"#, "rect", "t")
    };
    let content = doc.txbx_content(shape, true);
    format!(
        concat!(
            r#"<wps:wsp>{}{}<wps:spPr>{}<a:prstGeom prst="{}"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>"#,
            r#"<a:ln w="6350"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln></wps:spPr>"#,
            r#"<wps:txbx>{}</wps:txbx><wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720" anchor="{}" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp>"#
        ),
        cnvpr, nvsp, xfrm, geom, content, anchor
    )
}

fn pict_pos(place: Place) -> Pos {
    Pos::Anchored {
        left: place.h_off,
        top: place.v_off,
        h_rel: vml::vml_relative(place.h_rel),
        v_rel: vml::vml_relative(place.v_rel),
    }
}

/// A `w:r` holding one anchored box or connector, Choice and Fallback.
pub fn anchored(doc: &mut Doc, shape: &Shape, place: Place) -> String {
    let id = doc.docpr();
    let name = shape_name(shape.kind, id);
    let (w, h) = (shape.rect.w, shape.rect.h);
    let open = anchor_open(doc, place, w, h, &name, id);
    let body = wsp(doc, shape, (0, 0), (w, h), None);
    let types = vml::shapetypes(doc, &[shape]);
    let fallback = vml::word_shape(doc, shape, &name, &pict_pos(place), (0, 0));
    format!(
        r#"<w:r><w:rPr><w:noProof/></w:rPr><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>{open}<a:graphic xmlns:a="{NS_A}"><a:graphicData uri="{URI_SHAPE}">{body}</a:graphicData></a:graphic>{ANCHOR_CLOSE}</w:drawing></mc:Choice><mc:Fallback><w:pict>{types}{fallback}</w:pict></mc:Fallback></mc:AlternateContent></w:r>"#
    )
}

/// Bounding box of shapes, grown by `pad` points on every side.
pub fn bounds(shapes: &[Shape], pad: i64) -> Rect {
    let x0 = shapes.iter().map(|s| s.rect.x).min().unwrap_or(0) - pad * EMU_PER_PT;
    let y0 = shapes.iter().map(|s| s.rect.y).min().unwrap_or(0) - pad * EMU_PER_PT;
    let x1 = shapes
        .iter()
        .map(|s| s.rect.x + s.rect.w)
        .max()
        .unwrap_or(0)
        + pad * EMU_PER_PT;
    let y1 = shapes
        .iter()
        .map(|s| s.rect.y + s.rect.h)
        .max()
        .unwrap_or(0)
        + pad * EMU_PER_PT;
    Rect {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
    }
}

/// The group's child coordinate space: offset, and 4/5 of the real size, as
/// after a user enlarged the group by a quarter. A reader that ignores
/// chOff/chExt puts every box somewhere else.
pub const GROUP_CH_OFF: (i64, i64) = (2_540_000, 1_270_000);

fn to_child(v: i64) -> i64 {
    v * 4 / 5
}

/// All shapes as children of ONE `wpg:wgp`, anchored to the page.
pub fn group(doc: &mut Doc, shapes: &[Shape]) -> String {
    let frame = bounds(shapes, 0);
    let id = doc.docpr();
    let name = format!("组合 {id}");
    let place = Place {
        h_rel: "page",
        h_off: frame.x,
        v_rel: "page",
        v_off: frame.y,
    };
    let open = anchor_open(doc, place, frame.w, frame.h, &name, id);
    let (cx, cy) = GROUP_CH_OFF;
    let (chw, chh) = (to_child(frame.w), to_child(frame.h));
    let child_rect = |r: &Rect| {
        (
            (cx + to_child(r.x - frame.x), cy + to_child(r.y - frame.y)),
            (to_child(r.w), to_child(r.h)),
        )
    };
    let mut children = String::new();
    let mut names = Vec::new();
    for s in shapes {
        let cid = doc.docpr();
        let cname = shape_name(s.kind, cid);
        let (off, ext) = child_rect(&s.rect);
        children.push_str(&wsp(doc, s, off, ext, Some((cid, &cname))));
        names.push(cname);
    }
    let refs: Vec<&Shape> = shapes.iter().collect();
    let types = vml::shapetypes(doc, &refs);
    let gz = doc.z();
    let gspid = doc.spid();
    let mut fallback = format!(
        r#"<v:group id="{name}" o:spid="{gspid}" style="position:absolute;margin-left:{}pt;margin-top:{}pt;width:{}pt;height:{}pt;z-index:{gz};mso-position-horizontal-relative:page;mso-position-vertical-relative:page" coordorigin="{cx},{cy}" coordsize="{chw},{chh}">"#,
        super::ooxml::pt(frame.x),
        super::ooxml::pt(frame.y),
        super::ooxml::pt(frame.w),
        super::ooxml::pt(frame.h),
    );
    for (s, cname) in shapes.iter().zip(&names) {
        let (off, ext) = child_rect(&s.rect);
        let pos = Pos::Child {
            left: off.0,
            top: off.1,
        };
        fallback.push_str(&vml::word_shape(doc, s, cname, &pos, ext));
    }
    fallback.push_str("</v:group>");
    format!(
        concat!(
            r#"<w:r><w:rPr><w:noProof/></w:rPr><mc:AlternateContent><mc:Choice Requires="wpg"><w:drawing>{}<a:graphic xmlns:a="{}"><a:graphicData uri="{}">"#,
            r#"<wpg:wgp><wpg:cNvGrpSpPr/><wpg:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{}" cy="{}"/><a:chOff x="{}" y="{}"/><a:chExt cx="{}" cy="{}"/></a:xfrm></wpg:grpSpPr>{}</wpg:wgp>"#,
            r#"</a:graphicData></a:graphic>{}</w:drawing></mc:Choice><mc:Fallback><w:pict>{}{}</w:pict></mc:Fallback></mc:AlternateContent></w:r>"#
        ),
        open,
        NS_A,
        URI_GROUP,
        frame.w,
        frame.h,
        cx,
        cy,
        chw,
        chh,
        children,
        ANCHOR_CLOSE,
        types,
        fallback
    )
}

/// All shapes inside one `wpc:wpc` drawing canvas anchored to the page;
/// children are placed relative to the canvas' top-left corner.
pub fn canvas(doc: &mut Doc, shapes: &[Shape]) -> String {
    let frame = bounds(shapes, 6);
    let id = doc.docpr();
    let name = format!("画布 {id}");
    let place = Place {
        h_rel: "page",
        h_off: frame.x,
        v_rel: "page",
        v_off: frame.y,
    };
    let open = anchor_open(doc, place, frame.w, frame.h, &name, id);
    let mut children = String::new();
    let mut names = Vec::new();
    for s in shapes {
        let cid = doc.docpr();
        let cname = shape_name(s.kind, cid);
        let off = (s.rect.x - frame.x, s.rect.y - frame.y);
        children.push_str(&wsp(doc, s, off, (s.rect.w, s.rect.h), Some((cid, &cname))));
        names.push(cname);
    }
    let refs: Vec<&Shape> = shapes.iter().collect();
    let types = vml::shapetypes(doc, &refs);
    let gz = doc.z();
    let gspid = doc.spid();
    let mut fallback = format!(
        r#"<v:group id="{name}" o:spid="{gspid}" editas="canvas" style="position:absolute;margin-left:{}pt;margin-top:{}pt;width:{}pt;height:{}pt;z-index:{gz};mso-position-horizontal-relative:page;mso-position-vertical-relative:page" coordsize="{},{}">"#,
        super::ooxml::pt(frame.x),
        super::ooxml::pt(frame.y),
        super::ooxml::pt(frame.w),
        super::ooxml::pt(frame.h),
        frame.w,
        frame.h
    );
    for (s, cname) in shapes.iter().zip(&names) {
        let pos = Pos::Child {
            left: s.rect.x - frame.x,
            top: s.rect.y - frame.y,
        };
        fallback.push_str(&vml::word_shape(doc, s, cname, &pos, (s.rect.w, s.rect.h)));
    }
    fallback.push_str("</v:group>");
    format!(
        concat!(
            r#"<w:r><w:rPr><w:noProof/></w:rPr><mc:AlternateContent><mc:Choice Requires="wpc"><w:drawing>{}<a:graphic xmlns:a="{}"><a:graphicData uri="{}">"#,
            r#"<wpc:wpc><wpc:bg/><wpc:whole/>{}</wpc:wpc></a:graphicData></a:graphic>{}</w:drawing></mc:Choice>"#,
            r#"<mc:Fallback><w:pict>{}{}</w:pict></mc:Fallback></mc:AlternateContent></w:r>"#
        ),
        open, NS_A, URI_CANVAS, children, ANCHOR_CLOSE, types, fallback
    )
}

/// An inline picture (`pic:pic`) referring to word/media/image1.png.
pub fn picture(doc: &mut Doc, rid: &str, cx: i64, cy: i64) -> String {
    let id = doc.docpr();
    format!(
        concat!(
            r#"<w:r><w:rPr><w:noProof/></w:rPr><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0" wp14:anchorId="{:08X}" wp14:editId="{:08X}">"#,
            r#"<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{id}" name="图片 {id}"/>"#,
            r#"<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{a}" noChangeAspect="1"/></wp:cNvGraphicFramePr>"#,
            r#"<a:graphic xmlns:a="{a}"><a:graphicData uri="{uri}"><pic:pic xmlns:pic="{pic}">"#,
            r#"<pic:nvPicPr><pic:cNvPr id="0" name="image1.png"/><pic:cNvPicPr/></pic:nvPicPr>"#,
            r#"<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"#,
            r#"<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>"#,
            r#"</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#
        ),
        0x2C00_0000u32 + id,
        0x5D00_0000u32 + id * 7,
        cx = cx,
        cy = cy,
        id = id,
        a = NS_A,
        uri = URI_PICTURE,
        pic = NS_PIC,
        rid = rid,
    )
}

//! RTF shapes (`\shp`, `\shpgrp`, Word 6/95 `\do`) and where they sit on
//! the page.

use super::{EMU_PER_TWIP, Page};
use crate::document::Rect;
use std::collections::HashMap;

/// One open shape or group, its properties as read so far.
#[derive(Default)]
pub struct Shape {
    pub group: bool,
    pub left: i64,
    pub top: i64,
    pub right: i64,
    pub bottom: i64,
    pub bx: Option<&'static str>,
    pub by: Option<&'static str>,
    pub props: HashMap<String, String>,
    pub text: Option<Vec<String>>,
    pub slot: usize,
    /// Paragraph top and page where it is anchored.
    pub anchor_top: i64,
    pub page: u32,
    /// Resolved rectangle (groups: for their children), EMU.
    pub rect: Option<Rect>,
}

/// A shape's rectangle in page coordinates (EMU): a group child is
/// mapped through its group's coordinate space; a top-level shape is
/// measured from the page, the margin or its paragraph.
pub fn place(shapes: &[Shape], idx: usize, g: &Page) -> Rect {
    let s = &shapes[idx];
    let prop = |k: &str| {
        s.props
            .get(k)
            .and_then(|v| v.parse::<i64>().ok())
            .map(|v| v.clamp(-100_000_000, 100_000_000))
    };
    if idx > 0
        && let Some(parent) = shapes.get(idx - 1).filter(|p| p.group)
    {
        let pr = parent.rect.unwrap_or_default();
        let gp = |k: &str, d: i64| {
            parent
                .props
                .get(k)
                .and_then(|v| v.parse::<i64>().ok())
                .map_or(d, |v| v.clamp(-100_000_000, 100_000_000))
        };
        let (gl, gt) = (gp("groupLeft", 0), gp("groupTop", 0));
        let gw = (gp("groupRight", 20_000) - gl).max(1);
        let gh = (gp("groupBottom", 20_000) - gt).max(1);
        let l = prop("relLeft").unwrap_or(s.left);
        let t = prop("relTop").unwrap_or(s.top);
        let r = prop("relRight").unwrap_or(s.right);
        let b = prop("relBottom").unwrap_or(s.bottom);
        let map_x = |v: i64| pr.x + ((v - gl) as i128 * pr.w as i128 / gw as i128) as i64;
        let map_y = |v: i64| pr.y + ((v - gt) as i128 * pr.h as i128 / gh as i128) as i64;
        return Rect {
            x: map_x(l),
            y: map_y(t),
            w: (map_x(r) - map_x(l)).max(0),
            h: (map_y(b) - map_y(t)).max(0),
        };
    }
    // `\shpbxignore`/`\shpbyignore` defer to posrelh/posrelv, whose
    // defaults are the column and the paragraph.
    let x_base = match (s.bx, prop("posrelh")) {
        (Some("page"), _) | (Some("ignore") | None, Some(1)) => 0,
        _ => g.left,
    };
    let y_base = match (s.by, prop("posrelv")) {
        (Some("page"), _) | (Some("ignore") | None, Some(1)) => 0,
        (Some("margin"), _) | (Some("ignore") | None, Some(0)) => g.top,
        _ => s.anchor_top,
    };
    let (l, t) = (
        s.left.clamp(-10_000_000, 10_000_000),
        s.top.clamp(-10_000_000, 10_000_000),
    );
    let (r, b) = (
        s.right.clamp(-10_000_000, 10_000_000),
        s.bottom.clamp(-10_000_000, 10_000_000),
    );
    Rect {
        x: x_base + l * EMU_PER_TWIP,
        y: y_base + t * EMU_PER_TWIP,
        w: ((r - l) * EMU_PER_TWIP).max(0),
        h: ((b - t) * EMU_PER_TWIP).max(0),
    }
}

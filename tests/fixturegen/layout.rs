//! Where every box of a chart goes on an A4 page, in EMU page coordinates.
//!
//! All positions and sizes are whole points, so group coordinates (scaled
//! by 4/5) and VML points stay exact integers.

use super::charts::{BoxText, Chart, Para};

pub const EMU_PER_PT: i64 = 12_700;
/// A4 in twips is 11906 × 16838; one twip is 635 EMU.
pub const PAGE_W_TWIPS: i64 = 11_906;
pub const PAGE_H_TWIPS: i64 = 16_838;
pub const MARGIN_TOP_TWIPS: i64 = 1_440;
pub const MARGIN_LEFT_TWIPS: i64 = 1_800;
pub const MARGIN_TOP: i64 = MARGIN_TOP_TWIPS * 635;
pub const MARGIN_LEFT: i64 = MARGIN_LEFT_TWIPS * 635;
const BODY_H: i64 = (PAGE_H_TWIPS - 2 * MARGIN_TOP_TWIPS) * 635;

/// Font sizes (half-points) of the department, title and name paragraphs.
pub const TITLE_SIZES: [u32; 3] = [28, 36, 24];
/// Font size (half-points) of the blank paragraphs the boxes are anchored in.
pub const BLANK_SIZE: u32 = 21;
/// Box text sizes (half-points): risk/measure text, steps and headers.
pub const BOX_TEXT_SIZE: u32 = 18;
pub const STEP_TEXT_SIZE: u32 = 21;

/// The reader's estimate of a single-line paragraph (`w:line="240"`,
/// `lineRule="auto"`): font size × 1.3. 10.5 pt gives 13.65 pt = 173 355 EMU.
pub fn para_height(size_half_pt: u32) -> i64 {
    i64::from(size_half_pt) * EMU_PER_PT * 13 / 20
}

/// Estimated height of the three title paragraphs together.
pub fn title_height() -> i64 {
    TITLE_SIZES.iter().map(|&s| para_height(s)).sum()
}

/// Estimated top edge (page coordinates) of blank anchor paragraph `k`.
pub fn blank_para_top(k: usize) -> i64 {
    MARGIN_TOP + title_height() + k as i64 * para_height(BLANK_SIZE)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Header,
    Step,
    Risk,
    Measure,
    Arrow,
}

#[derive(Clone, Copy, Debug)]
pub struct Rect {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
}

/// Which risk point a risk or measure box belongs to (index into `Chart::points`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct BoxRef {
    pub point: usize,
    pub risk: bool,
}

/// One paragraph of a box as it is written.
pub struct TPara {
    /// Word splits a typed marker and the text into separate runs.
    pub runs: Vec<String>,
    /// Word auto-numbering list, when the number is not typed.
    pub num_id: Option<u32>,
    pub center: bool,
    pub bold: bool,
    pub size: u32,
}

pub struct Shape {
    pub kind: Kind,
    pub rect: Rect,
    pub paras: Vec<TPara>,
    pub source: Option<BoxRef>,
}

pub struct Layout {
    /// Visual order: headers, then each step with its boxes, then arrows.
    pub shapes: Vec<Shape>,
    /// Blank paragraphs needed under the titles to hold the drawing.
    pub blank_paras: usize,
}

// Column x positions and widths in points.
const LEFT_X: i64 = 36;
const MID_X: i64 = 250;
const RIGHT_X: i64 = 364;
const SIDE_W: i64 = 196;
const MID_W: i64 = 96;
const TOP_Y: i64 = 136;
const GAP: i64 = 14;

fn text_para(text: &str, size: u32, center: bool, bold: bool) -> TPara {
    TPara {
        runs: vec![text.to_string()],
        num_id: None,
        center,
        bold,
        size,
    }
}

fn box_paras(content: &BoxText) -> Vec<TPara> {
    content
        .paras
        .iter()
        .map(|p| match p {
            Para::Line(l) => {
                let runs = match l.marker {
                    Some(m) => vec![m.to_string(), l.written[m.len()..].to_string()],
                    None => vec![l.written.to_string()],
                };
                TPara {
                    runs,
                    num_id: None,
                    center: false,
                    bold: false,
                    size: BOX_TEXT_SIZE,
                }
            }
            Para::Auto { num_id, text } => TPara {
                runs: vec![text.to_string()],
                num_id: Some(*num_id),
                center: false,
                bold: false,
                size: BOX_TEXT_SIZE,
            },
            Para::Grade { raw, .. } | Para::Responsible { raw, .. } => {
                text_para(raw, BOX_TEXT_SIZE, false, false)
            }
        })
        .collect()
}

/// Height in whole points that the paragraphs need in a box `width` points wide
/// (CJK one em, ASCII half an em, 0.1 in insets on each side as Word's default).
fn fit_height(paras: &[TPara], width: i64) -> i64 {
    let mut tenths = 72; // top + bottom inset, 7.2 pt
    for p in paras {
        let font = f64::from(p.size) / 2.0;
        let indent = if p.num_id.is_some() { 18.0 } else { 0.0 };
        let avail = width as f64 - 14.4 - indent;
        let units: f64 = p
            .runs
            .iter()
            .flat_map(|r| r.chars())
            .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
            .sum();
        let lines = ((units * font) / avail).ceil().max(1.0);
        tenths += (lines * font * 13.0).ceil() as i64; // font × 1.3, in tenths
    }
    (tenths + 9) / 10 + 2
}

fn pt_rect(x: i64, y: i64, w: i64, h: i64) -> Rect {
    Rect {
        x: x * EMU_PER_PT,
        y: y * EMU_PER_PT,
        w: w * EMU_PER_PT,
        h: h * EMU_PER_PT,
    }
}

pub fn layout(chart: &Chart) -> Layout {
    if chart.image_only {
        return Layout {
            shapes: Vec::new(),
            blank_paras: 0,
        };
    }
    let (risk_x, measure_x) = if chart.mirrored {
        (LEFT_X, RIGHT_X)
    } else {
        (RIGHT_X, LEFT_X)
    };
    let mut shapes = Vec::new();

    let header = |lines: &[&str], x: i64, w: i64| {
        let paras: Vec<TPara> = lines
            .iter()
            .map(|l| text_para(l, STEP_TEXT_SIZE, true, true))
            .collect();
        let h = fit_height(&paras, w).max(30);
        Shape {
            kind: Kind::Header,
            rect: pt_rect(x, TOP_Y, w, h),
            paras,
            source: None,
        }
    };
    let headers = [
        header(&["防控措施", "及责任人"], measure_x, SIDE_W),
        header(&["工作流程"], MID_X, MID_W),
        header(&["风险点等级", "及表现形式"], risk_x, SIDE_W),
    ];
    let mut y = TOP_Y + headers.iter().map(|s| s.rect.h).max().unwrap_or(0) / EMU_PER_PT + GAP;
    shapes.extend(headers);

    let mut step_rects = Vec::new();
    for (i, step) in chart.steps.iter().enumerate() {
        let step_paras = vec![text_para(step.raw, STEP_TEXT_SIZE, true, false)];
        let step_h = fit_height(&step_paras, MID_W).max(26);
        let mut boxes = Vec::new();
        for (pi, point) in chart.points.iter().enumerate() {
            if point.step != i {
                continue;
            }
            for (content, risk) in [(&point.risk, true), (&point.measure, false)] {
                if let Some(content) = content {
                    let paras = box_paras(content);
                    let h = fit_height(&paras, SIDE_W);
                    boxes.push((paras, h, risk, pi));
                }
            }
        }
        let band = boxes.iter().map(|b| b.1).max().unwrap_or(0).max(step_h);
        let step_rect = pt_rect(MID_X, y + (band - step_h) / 2, MID_W, step_h);
        shapes.push(Shape {
            kind: Kind::Step,
            rect: step_rect,
            paras: step_paras,
            source: None,
        });
        step_rects.push(step_rect);
        for (paras, h, risk, point) in boxes {
            let x = if risk { risk_x } else { measure_x };
            shapes.push(Shape {
                kind: if risk { Kind::Risk } else { Kind::Measure },
                rect: pt_rect(x, y + (band - h) / 2, SIDE_W, h),
                paras,
                source: Some(BoxRef { point, risk }),
            });
        }
        y += band + GAP;
    }
    for pair in step_rects.windows(2) {
        let (upper, lower) = (pair[0], pair[1]);
        shapes.push(Shape {
            kind: Kind::Arrow,
            rect: Rect {
                x: upper.x + upper.w / 2,
                y: upper.y + upper.h,
                w: 0,
                h: lower.y - (upper.y + upper.h),
            },
            paras: Vec::new(),
            source: None,
        });
    }

    let bottom = shapes
        .iter()
        .map(|s| s.rect.y + s.rect.h)
        .max()
        .unwrap_or(0);
    let blank = para_height(BLANK_SIZE);
    let needed = ((bottom - blank_para_top(0) + blank - 1) / blank) as usize;
    // The titles, the blank paragraphs, the one-row phone table and (after
    // the last chart) the closing paragraph must stay on one page, or the
    // page-relative boxes would land on the wrong page.
    let fit = ((BODY_H - title_height() - 40 * EMU_PER_PT) / blank) as usize;
    assert!(
        needed <= fit,
        "chart {} does not fit on one page ({needed} > {fit} paragraphs)",
        chart.category_raw
    );
    // A few spare paragraphs keep the phone table under the drawing in
    // renderers whose real line height is below the 1.3 estimate.
    let blank_paras = (needed + 4).min(fit);
    Layout {
        shapes,
        blank_paras,
    }
}

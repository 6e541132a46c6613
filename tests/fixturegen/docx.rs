//! Assembles one .docx from its charts: titles, the drawing written in the
//! chosen style over blank paragraphs, the phone table, a page break between
//! charts; and its expected catalog from the same charts.

use super::charts::{Chart, DEPARTMENT};
use super::layout::{self, MARGIN_LEFT, MARGIN_TOP, Shape};
use super::ooxml::{self, Doc, IMAGE_RID, pt};
use super::vml::{self, Pos};
use super::{dml, expected, png};

/// How a chart's boxes are written.
#[derive(Clone, Copy)]
pub enum Drawing {
    /// Word: one `wp:anchor` per box in `mc:AlternateContent`, shuffled over
    /// the blank paragraphs, positioned from page, margin or paragraph.
    WordBoxes,
    /// Word: every box a child of one `wpg:wgp` group.
    WordGroup,
    /// Word: every box inside one `wpc:wpc` canvas.
    WordCanvas,
    /// WPS: VML-only `v:rect`/`v:roundrect`/`v:shape`, shuffled, page-relative.
    WpsBoxes,
    /// WPS: every box a child of one `v:group` with its own coordinate space.
    WpsGroup,
}

/// A fixed-seed xorshift64, so "shuffled" is the same on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        (x % n.max(1) as u64) as usize
    }
}

/// Shape indices in a shuffled XML order. Boxes with Word auto-numbering keep
/// their top-to-bottom order among themselves, so the list that continues
/// (6–10) is the lower box, as the expected catalog says.
fn shuffled(shapes: &[Shape], rng: &mut Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..shapes.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let numbered = |i: &usize| shapes[*i].paras.iter().any(|p| p.num_id.is_some());
    let slots: Vec<usize> = (0..order.len()).filter(|&j| numbered(&order[j])).collect();
    let mut boxes: Vec<usize> = slots.iter().map(|&j| order[j]).collect();
    boxes.sort_unstable();
    for (slot, shape) in slots.into_iter().zip(boxes) {
        order[slot] = shape;
    }
    order
}

/// Where a Word box anchored in blank paragraph `k` is measured from: about
/// 40 % from the paragraph (offset computed from the reader's paragraph
/// height estimate), 30 % from the page, 30 % from the margin.
fn place(rng: &mut Rng, shape: &Shape, k: usize) -> dml::Place {
    let r = shape.rect;
    match rng.below(10) {
        0..=3 => dml::Place {
            h_rel: "column",
            h_off: r.x - MARGIN_LEFT,
            v_rel: "paragraph",
            v_off: r.y - layout::blank_para_top(k),
        },
        4..=6 => dml::Place {
            h_rel: "page",
            h_off: r.x,
            v_rel: "page",
            v_off: r.y,
        },
        _ => dml::Place {
            h_rel: "margin",
            h_off: r.x - MARGIN_LEFT,
            v_rel: "margin",
            v_off: r.y - MARGIN_TOP,
        },
    }
}

fn wps_run(doc: &mut Doc, shape: &Shape) -> String {
    let types = vml::shapetypes(doc, &[shape]);
    let pos = Pos::Anchored {
        left: shape.rect.x,
        top: shape.rect.y,
        h_rel: "page",
        v_rel: "page",
    };
    let body = vml::wps_shape(doc, shape, &pos, (0, 0));
    format!("<w:r><w:pict>{types}{body}</w:pict></w:r>")
}

/// WPS group: coordinate space 20 units per point from origin (1000, 500).
fn wps_group(doc: &mut Doc, shapes: &[Shape]) -> String {
    const ORIGIN: (i64, i64) = (1000, 500);
    let frame = dml::bounds(shapes, 0);
    let units = |emu: i64| emu * 20 / layout::EMU_PER_PT;
    let refs: Vec<&Shape> = shapes.iter().collect();
    let types = vml::shapetypes(doc, &refs);
    let z = doc.z();
    let spid = doc.spid();
    let mut out = format!(
        r#"<w:r><w:pict>{types}<v:group id="{spid}" o:spid="{spid}" o:spt="203" style="position:absolute;margin-left:{}pt;margin-top:{}pt;width:{}pt;height:{}pt;mso-position-horizontal-relative:page;mso-position-vertical-relative:page;z-index:{z}" coordorigin="{},{}" coordsize="{},{}"><o:lock v:ext="edit"/>"#,
        pt(frame.x),
        pt(frame.y),
        pt(frame.w),
        pt(frame.h),
        ORIGIN.0,
        ORIGIN.1,
        units(frame.w),
        units(frame.h)
    );
    for s in shapes {
        let pos = Pos::Child {
            left: ORIGIN.0 + units(s.rect.x - frame.x),
            top: ORIGIN.1 + units(s.rect.y - frame.y),
        };
        out.push_str(&vml::wps_shape(
            doc,
            s,
            &pos,
            (units(s.rect.w), units(s.rect.h)),
        ));
    }
    out.push_str("</v:group></w:pict></w:r>");
    out
}

/// The .docx bytes and the expected-catalog bytes of one fixture file.
pub fn build(charts: &[(Chart, Drawing)], application: &str, seed: u64) -> (Vec<u8>, Vec<u8>) {
    let mut doc = Doc::new();
    let mut rng = Rng(seed);
    for (ci, (chart, drawing)) in charts.iter().enumerate() {
        doc.chart = ci;
        doc.titles(DEPARTMENT, &chart.title(), &chart.name_line(), ci > 0);
        if chart.image_only {
            let run = dml::picture(&mut doc, IMAGE_RID, 5_080_000, 3_810_000);
            doc.image = Some(png::chart_png(96, 72));
            doc.blank_para(&run);
        } else {
            let lay = layout::layout(chart);
            let mut paras = vec![String::new(); lay.blank_paras];
            match drawing {
                Drawing::WordBoxes | Drawing::WpsBoxes => {
                    let order = shuffled(&lay.shapes, &mut rng);
                    let n = order.len();
                    for (j, &si) in order.iter().enumerate() {
                        let k = j * paras.len() / n;
                        let shape = &lay.shapes[si];
                        let run = match drawing {
                            Drawing::WordBoxes => {
                                let at = place(&mut rng, shape, k);
                                dml::anchored(&mut doc, shape, at)
                            }
                            _ => wps_run(&mut doc, shape),
                        };
                        paras[k].push_str(&run);
                    }
                }
                Drawing::WordGroup => paras[0] = dml::group(&mut doc, &lay.shapes),
                Drawing::WordCanvas => paras[0] = dml::canvas(&mut doc, &lay.shapes),
                Drawing::WpsGroup => paras[0] = wps_group(&mut doc, &lay.shapes),
            }
            for p in &paras {
                doc.blank_para(p);
            }
        }
        doc.phone_table(chart.service_phone, chart.supervision_phone);
    }
    let (xml, doc) = doc.finish();
    let docx = ooxml::package(&xml, &doc, application);
    let only_charts: Vec<&Chart> = charts.iter().map(|(c, _)| c).collect();
    let json = expected::expected_json(&only_charts, &doc.rendered);
    (docx, json)
}

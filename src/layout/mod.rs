//! Layout: a Document's blocks → chart drafts. `segment` splits the blocks
//! into charts; each chart is then read by the layout that fits its shape
//! (`flow` for positioned boxes; `text` for blocks that fit no chart shape).

pub mod draft;
pub mod flow;
pub mod head;
pub mod list;
pub mod prose;
pub mod segment;
pub mod table;

use crate::document::{Block, BlockKind, Document};
use crate::recognise::fields;
use crate::rules::Rules;
pub use draft::{ChartDraft, LineDraft, Note, PointDraft};

/// All charts of one document, in document order.
pub fn charts(doc: &Document, rules: &Rules) -> Vec<ChartDraft> {
    // Some formats keep boxes apart from the text they sit on (the .doc
    // text-box story comes after the main text): put every block on its page,
    // keeping stream order within a page.
    let mut blocks: Vec<&Block> = doc.blocks.iter().collect();
    blocks.sort_by_key(|b| b.page);
    segment::segments(&blocks, rules)
        .into_iter()
        .flat_map(|seg| read_segment(&seg, rules))
        .collect()
}

/// Read one segment with the layout that fits it: boxes with text ⇒ flow;
/// else table, list or prose when one recognises its shape; else flow
/// (which keeps whatever it cannot place as findings).
fn read_segment(seg: &[&Block], rules: &Rules) -> Vec<ChartDraft> {
    if seg
        .iter()
        .all(|b| b.text.trim().is_empty() && b.kind != BlockKind::Image)
    {
        return Vec::new();
    }
    // Headings with nothing under them (a web page's <title>, an article
    // heading whose drawing was a picture the text lost) are not a chart:
    // page furniture, counted as read.
    let heading = |l: &str| {
        let l = l.trim();
        l.is_empty()
            || fields::is_title(l, rules)
            || fields::is_department(l, rules)
            || fields::is_noise(l, rules)
    };
    if seg
        .iter()
        .all(|b| b.kind != BlockKind::Image && b.text.lines().all(heading))
    {
        return Vec::new();
    }
    let boxes = seg
        .iter()
        .filter(|b| {
            matches!(b.kind, BlockKind::TextBox | BlockKind::Shape) && !b.text.trim().is_empty()
        })
        .count();
    if boxes < 2 {
        for layout in [table::read, list::read, prose::read] {
            if let Some(charts) = layout(seg, rules) {
                return charts;
            }
        }
    } else if let Some(charts) = list::read(seg, rules) {
        // Step boxes with `风险点N` label boxes beside them.
        return charts;
    }
    vec![flow::read(seg, rules)]
}

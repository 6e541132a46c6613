//! A bulk corpus for the ingest benchmark (`examples/bench_ingest.rs`):
//! file `i` is a Word flow-chart file of nine charts (the 高新区 and mixed
//! fixture charts, boxes shuffled and placed by seed `i`) or, one in eight
//! unless Word only is asked for, the Excel shape chart; chart names carry
//! `i`, so every file has its own bytes and its own chart ids.
#![allow(dead_code)]

use super::{WORD, charts, docx, docx::Drawing, excel};

/// The name and bytes of bulk file `i`.
pub fn file(i: usize, word_only: bool) -> (String, Vec<u8>) {
    if !word_only && i % 8 == 7 {
        let (xlsx, _) = excel::flow_shapes_named(&format!("建设工程竣工档案验收{i}"));
        return (format!("{i:06}.xlsx"), xlsx);
    }
    let mut set: Vec<(charts::Chart, Drawing)> = Vec::new();
    for c in charts::gaoxin_boxes().into_iter().chain(charts::mixed()) {
        set.push((c, Drawing::WordBoxes));
    }
    for (c, _) in &mut set {
        // Leaked: a few bytes per chart, for a generator that runs once.
        c.name = Box::leak(format!("{}{i}", c.name).into_boxed_str());
    }
    let (bytes, _) = docx::build(&set, WORD, 0xB0_0C00 + i as u64);
    (format!("{i:06}.docx"), bytes)
}

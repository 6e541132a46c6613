//! Grouping of risk and measure lines into texts (exact, after normalising
//! width and spaces). Superseded by the near-duplicate clustering branch.

use crate::catalog::{Chart, Finding, Text, Variant};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, serde::Deserialize)]
pub struct DedupRules {
    pub threshold: f64,
}

pub fn normalise_key(text: &str) -> String {
    text.nfkc().filter(|c| !c.is_whitespace()).collect()
}

pub fn text_id(kind: &str, canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(kind.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    format!("tx-{}", &crate::rules::hex(&h.finalize())[..12])
}

pub fn build_texts(charts: &mut [Chart], _rules: &DedupRules) -> (Vec<Text>, Vec<Finding>) {
    let mut texts = Vec::new();
    for kind in ["risk", "measure"] {
        // key -> (variants in first-appearance order with counts, chart ids)
        let mut order: Vec<String> = Vec::new();
        let mut groups: HashMap<String, (Vec<(String, usize)>, Vec<String>)> = HashMap::new();
        for c in charts.iter() {
            for rp in &c.risk_points {
                let lines = if kind == "risk" { &rp.items } else { &rp.measures };
                for l in lines {
                    let key = normalise_key(&l.text);
                    let g = groups.entry(key.clone()).or_insert_with(|| {
                        order.push(key.clone());
                        (Vec::new(), Vec::new())
                    });
                    match g.0.iter_mut().find(|v| v.0 == l.text) {
                        Some(v) => v.1 += 1,
                        None => g.0.push((l.text.clone(), 1)),
                    }
                    if !g.1.contains(&c.id) {
                        g.1.push(c.id.clone());
                    }
                }
            }
        }
        let mut ids: HashMap<String, String> = HashMap::new();
        for key in &order {
            let (variants, chart_ids) = &groups[key];
            let mut sorted: Vec<(usize, &(String, usize))> = variants.iter().enumerate().collect();
            sorted.sort_by(|a, b| b.1.1.cmp(&a.1.1).then(a.0.cmp(&b.0)));
            let canonical = sorted[0].1.0.clone();
            let id = text_id(kind, &canonical);
            ids.insert(key.clone(), id.clone());
            texts.push(Text {
                id,
                kind: kind.to_string(),
                canonical,
                occurrences: variants.iter().map(|v| v.1).sum(),
                charts: chart_ids.len(),
                variants: sorted[1..]
                    .iter()
                    .map(|(_, v)| Variant { text: v.0.clone(), occurrences: v.1 })
                    .collect(),
            });
        }
        for c in charts.iter_mut() {
            for rp in &mut c.risk_points {
                let lines = if kind == "risk" { &mut rp.items } else { &mut rp.measures };
                for l in lines {
                    l.text_id = ids[&normalise_key(&l.text)].clone();
                }
            }
        }
    }
    (texts, Vec::new())
}

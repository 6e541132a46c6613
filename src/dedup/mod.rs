//! Near-duplicate clustering of risk-item and measure lines into texts.
//!
//! Lines are grouped exactly on a normalised key ([`normalise_key`]), the
//! distinct keys are paired up by MinHash banding (`minhash.rs`), candidate
//! pairs are verified clause by clause (`clause.rs`: same clauses in the
//! same order, each within a typo's reach, by a banded edit distance in
//! `edit.rs`) and clustered around leaders in frequency order (`leader.rs`,
//! [`cluster`]). People's decisions (`decisions.rs`) overrule the
//! clustering. Rare variants a character or two inside a clause of a common
//! form, known confusions and rare characters become `text.suspected_typo`
//! findings (`typo.rs`). Measured speed and quality: BENCH_DEDUP.md.

mod clause;
mod cluster;
pub mod decisions;
mod edit;
pub mod file;
pub(crate) mod hash;
mod leader;
mod minhash;
mod normalise;
mod rules;
mod typo;

use std::collections::HashMap;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::catalog::{Chart, Finding, Severity, Text, Variant};

pub use cluster::{Clustering, cluster};
pub use decisions::{Decisions, DecisionsError};
pub use normalise::normalise_key;
pub use rules::{ClauseRules, Confusion, DEFAULT_RULES_TOML, DedupRules, TypoRules};

/// `tx-` + the first 12 hex digits of sha256(kind + "\n" + canonical).
pub fn text_id(kind: &str, canonical: &str) -> String {
    let digest = Sha256::digest(format!("{kind}\n{canonical}").as_bytes());
    format!("tx-{}", crate::rules::hex(&digest[..6]))
}

/// Clusters all risk items (kind `risk`) and, separately, all measures (kind
/// `measure`) of `charts`, in the given order; sets every `Line.text_id`.
/// Returns the texts (risk first, then by first appearance) and the
/// `text.suspected_typo` findings in document order.
pub fn build_texts(charts: &mut [Chart], rules: &DedupRules) -> (Vec<Text>, Vec<Finding>) {
    let mut tallies = [Tally::default(), Tally::default()];
    // Distinct charts are counted by id (a chart id is unique in a run).
    let mut chart_no: std::collections::HashMap<&str, u32> = Default::default();
    for chart in charts.iter() {
        let next = chart_no.len() as u32;
        let c = *chart_no.entry(chart.id.as_str()).or_insert(next);
        for rp in &chart.risk_points {
            for l in &rp.items {
                tallies[0].add(&l.text, c);
            }
            for l in &rp.measures {
                tallies[1].add(&l.text, c);
            }
        }
    }
    drop(chart_no);
    let [risk, measure] = tallies;
    let texts = Texts::of(risk, measure, rules);
    let mut findings = Vec::new();
    for chart in charts.iter_mut() {
        findings.extend(texts.apply(chart));
    }
    (texts.list, findings)
}

/// The lines of one kind seen so far: each distinct written text once, in
/// order of first appearance, with its count and the charts using it. What
/// clustering needs, in memory that grows with distinct texts, not lines.
#[derive(Debug, Default)]
pub struct Tally {
    index: HashMap<Arc<str>, u32>,
    texts: Vec<Arc<str>>,
    counts: Vec<u32>,
    /// Per text: the distinct charts (by number) using it, increasing.
    charts: Vec<Vec<u32>>,
}

impl Tally {
    /// One more line written `text` in chart number `chart`; charts come in
    /// increasing order.
    pub fn add(&mut self, text: &str, chart: u32) {
        let w = match self.index.get(text) {
            Some(&w) => w as usize,
            None => {
                let t: Arc<str> = Arc::from(text);
                self.index.insert(t.clone(), self.texts.len() as u32);
                self.texts.push(t);
                self.counts.push(0);
                self.charts.push(Vec::new());
                self.texts.len() - 1
            }
        };
        self.counts[w] += 1;
        if self.charts[w].last() != Some(&chart) {
            self.charts[w].push(chart);
        }
    }
}

/// The texts of a run and, for every distinct written line, its text and
/// its typo verdict: what turns a chart's lines into text ids and
/// `text.suspected_typo` findings.
#[derive(Debug, Default)]
pub struct Texts {
    /// Risk texts, then measure texts, each by first appearance.
    pub list: Vec<Text>,
    kinds: [KindTexts; 2],
}

#[derive(Debug, Default)]
struct KindTexts {
    index: HashMap<Arc<str>, u32>,
    /// Per distinct written text: its text's index in `Texts::list`.
    text_of: Vec<u32>,
    suspicion: Vec<Option<typo::Suspicion>>,
}

impl Texts {
    /// Cluster the tallied risk items and measures.
    pub fn of(risk: Tally, measure: Tally, rules: &DedupRules) -> Texts {
        let mut list = Vec::new();
        let kinds = [(risk, "risk"), (measure, "measure")].map(|(tally, kind)| {
            let offset = list.len() as u32;
            let (texts, k) = KindTexts::build(tally, kind, offset, rules);
            list.extend(texts);
            k
        });
        Texts { list, kinds }
    }

    /// Set the text id of every line of `chart`; its typo findings, in
    /// document order (risk point, its items before its measures, line).
    pub fn apply(&self, chart: &mut Chart) -> Vec<Finding> {
        let mut findings = Vec::new();
        for p in 0..chart.risk_points.len() {
            for is_measure in [false, true] {
                let kind = &self.kinds[usize::from(is_measure)];
                let rp = &chart.risk_points[p];
                let lines = if is_measure { &rp.measures } else { &rp.items };
                let mut ids = Vec::with_capacity(lines.len());
                for line in lines {
                    // Every line was tallied; a miss would be a bug, and
                    // leaves the line without a text rather than panicking.
                    let Some(&w) = kind.index.get(line.text.as_str()) else {
                        ids.push(String::new());
                        continue;
                    };
                    let w = w as usize;
                    ids.push(self.list[kind.text_of[w] as usize].id.clone());
                    if let Some(s) = &kind.suspicion[w] {
                        findings.push(Finding {
                            id: String::new(),
                            code: "text.suspected_typo".to_string(),
                            severity: Severity::Warning,
                            source: chart.source.clone(),
                            chart: Some(chart.id.clone()),
                            step: rp.step,
                            risk_point: Some(rp.id.clone()),
                            location: chart.location.clone(),
                            message: s.message.clone(),
                            evidence: line.text.clone(),
                            suggestion: s.suggestion.clone(),
                        });
                    }
                }
                let rp = &mut chart.risk_points[p];
                let lines = if is_measure {
                    &mut rp.measures
                } else {
                    &mut rp.items
                };
                for (line, id) in lines.iter_mut().zip(ids) {
                    line.text_id = id;
                }
            }
        }
        findings
    }
}

/// One input line per entry: (cluster id, canonical text), for
/// `riskflow dedup FILE`. Ids use the kind `line`, since a plain file does
/// not say whether it holds risks or measures; see [`dedup_lines_as`].
///
/// ```
/// use riskflow::{DedupRules, dedup_lines};
/// let lines: Vec<String> = ["故意刁难申请人。", "故意刁难申请人。", "故意刁难经办人。", "建立受理单制度。"]
///     .map(String::from)
///     .into();
/// let out = dedup_lines(&lines, &DedupRules::default());
/// assert_eq!(out[2].1, "故意刁难申请人。"); // one text, its most frequent form
/// assert_eq!(out[0].0, out[2].0);
/// assert_ne!(out[3].0, out[0].0);
/// ```
pub fn dedup_lines(lines: &[String], rules: &DedupRules) -> Vec<(String, String)> {
    dedup_lines_as(lines, "line", rules)
}

/// [`dedup_lines`] with ids for a given kind (`risk`, `measure`), equal to
/// the catalog's text ids when the canonical text is the same.
pub fn dedup_lines_as(lines: &[String], kind: &str, rules: &DedupRules) -> Vec<(String, String)> {
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let clustering = cluster(&refs, rules);
    let per_cluster: Vec<(String, String)> = clustering
        .canonical
        .iter()
        .map(|&line| {
            let canonical = refs.get(line as usize).copied().unwrap_or("");
            (text_id(kind, canonical), canonical.to_string())
        })
        .collect();
    clustering
        .cluster_of
        .iter()
        .map(|&c| per_cluster[c as usize].clone())
        .collect()
}

/// The clustering of a list of lines, laid out for people to review: every
/// cluster with its distinct written forms, their counts and their
/// similarity to the canonical form.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    /// Clusters in order of first appearance.
    pub clusters: Vec<ReviewCluster>,
    /// Cluster of every input line.
    pub cluster_of_line: Vec<u32>,
    /// Distinct written text (index into `written`) of every input line.
    pub written_of_line: Vec<u32>,
    /// Distinct written texts in order of first appearance.
    pub written: Vec<ReviewWritten>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReviewCluster {
    /// `tx-` id of the canonical text for the kind asked for.
    pub id: String,
    /// The written text shown for the cluster (index into `written`).
    pub canonical: u32,
    /// Input lines in the cluster.
    pub lines: usize,
    /// Its other written texts, most frequent first, then first appearance.
    pub members: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReviewWritten {
    /// First input line written so.
    pub first_line: u32,
    /// Input lines written so.
    pub count: u32,
    /// `1 - edits / longer length` between its clause form and the
    /// canonical's (punctuation ignored; 1 for formatting differences).
    pub similarity: f64,
}

/// Clusters `lines` and lays the result out for review (`riskflow dedup`
/// TSV and `--explain`).
pub fn review(lines: &[&str], kind: &str, rules: &DedupRules) -> Review {
    use rayon::prelude::*;
    let a = cluster::analyse(lines, rules);
    // Similarity per distinct key, against its cluster's leader key.
    let key_similarity: Vec<f64> = (0..a.keys.len())
        .into_par_iter()
        .map_init(Vec::new, |rows, k| {
            let leader = a.leader_key[a.keys[k].cluster as usize] as usize;
            if leader == k {
                return 1.0;
            }
            let at_most = match a.leader_distance[k] {
                leader::NONE => None,
                d => Some(d as usize),
            };
            clause::similarity(a.forms.get(k), a.forms.get(leader), at_most, rows)
        })
        .collect();
    let written: Vec<ReviewWritten> = a
        .written
        .iter()
        .map(|w| ReviewWritten {
            first_line: w.first_line,
            count: w.count,
            similarity: key_similarity[w.key as usize],
        })
        .collect();
    let mut clusters: Vec<ReviewCluster> = a
        .canonical_written
        .iter()
        .map(|&w| ReviewCluster {
            id: text_id(kind, lines[a.written[w as usize].first_line as usize]),
            canonical: w,
            lines: 0,
            members: Vec::new(),
        })
        .collect();
    for (w_id, w) in a.written.iter().enumerate() {
        let c = &mut clusters[a.keys[w.key as usize].cluster as usize];
        c.lines += w.count as usize;
        if c.canonical != w_id as u32 {
            c.members.push(w_id as u32);
        }
    }
    for c in &mut clusters {
        // Stable: ties keep first appearance.
        c.members
            .sort_by_key(|&w| std::cmp::Reverse(a.written[w as usize].count));
    }
    Review {
        clusters,
        cluster_of_line: a.clustering.cluster_of,
        written_of_line: a.written_of_line,
        written,
    }
}

impl KindTexts {
    /// The texts of one kind (their ids in `Texts::list` start at `offset`)
    /// and the lookups for its lines.
    fn build(tally: Tally, kind: &str, offset: u32, rules: &DedupRules) -> (Vec<Text>, KindTexts) {
        let Tally {
            index,
            texts: written_texts,
            counts,
            charts,
        } = tally;
        let lines: Vec<&str> = written_texts.iter().map(|t| &**t).collect();
        let a = cluster::analyse_counted(&lines, &counts, rules);
        let text_at = |w: u32| lines[a.written[w as usize].first_line as usize];

        let clusters = a.leader_key.len();
        let mut occurrences = vec![0usize; clusters];
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for (w, &c) in a.clustering.cluster_of.iter().enumerate() {
            occurrences[c as usize] += counts[w] as usize;
            pairs.extend(charts[w].iter().map(|&chart| (c, chart)));
        }
        drop(charts);
        pairs.sort_unstable();
        pairs.dedup();
        let mut chart_count = vec![0usize; clusters];
        for (c, _) in &pairs {
            chart_count[*c as usize] += 1;
        }
        drop(pairs);
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); clusters];
        for (w_id, w) in a.written.iter().enumerate() {
            let c = a.keys[w.key as usize].cluster as usize;
            if a.canonical_written[c] != w_id as u32 {
                members[c].push(w_id as u32);
            }
        }
        let texts: Vec<Text> = (0..clusters)
            .map(|c| {
                let mut variants = std::mem::take(&mut members[c]);
                // Most frequent first; written texts are already in order of
                // first appearance, so a stable sort keeps that for ties.
                variants.sort_by_key(|&w| std::cmp::Reverse(a.written[w as usize].count));
                let canonical = text_at(a.canonical_written[c]);
                Text {
                    id: text_id(kind, canonical),
                    kind: kind.to_string(),
                    canonical: canonical.to_string(),
                    occurrences: occurrences[c],
                    charts: chart_count[c],
                    variants: variants
                        .iter()
                        .map(|&w| Variant {
                            text: text_at(w).to_string(),
                            occurrences: a.written[w as usize].count as usize,
                        })
                        .collect(),
                }
            })
            .collect();
        let suspicion = typo::suspicions(&lines, &a, rules);
        let text_of = a
            .clustering
            .cluster_of
            .iter()
            .map(|&c| c + offset)
            .collect();
        drop(lines);
        (
            texts,
            KindTexts {
                index,
                text_of,
                suspicion,
            },
        )
    }
}

#[cfg(test)]
mod tests;

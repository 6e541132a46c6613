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
mod hash;
mod leader;
mod minhash;
mod normalise;
mod rules;
mod typo;

use std::collections::HashSet;

use sha2::{Digest, Sha256};

use crate::catalog::{Chart, Finding, Line, Severity, Text, Variant};

pub use cluster::{Clustering, cluster};
pub use decisions::{Decisions, DecisionsError};
pub use normalise::normalise_key;
pub use rules::{ClauseRules, Confusion, DEFAULT_RULES_TOML, DedupRules, TypoRules};

/// `tx-` + the first 12 hex digits of sha256(kind + "\n" + canonical).
pub fn text_id(kind: &str, canonical: &str) -> String {
    let digest = Sha256::digest(format!("{kind}\n{canonical}").as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("tx-{hex}")
}

/// Where one line sits in the charts.
#[derive(Clone, Copy)]
struct LineRef {
    chart: usize,
    risk_point: usize,
    line: usize,
}

/// Clusters all risk items (kind `risk`) and, separately, all measures (kind
/// `measure`) of `charts`, in the given order; sets every `Line.text_id`.
/// Returns the texts (risk first, then by first appearance) and the
/// `text.suspected_typo` findings in document order.
pub fn build_texts(charts: &mut [Chart], rules: &DedupRules) -> (Vec<Text>, Vec<Finding>) {
    let mut risk_refs = Vec::new();
    let mut measure_refs = Vec::new();
    for (c, chart) in charts.iter().enumerate() {
        for (p, rp) in chart.risk_points.iter().enumerate() {
            risk_refs.extend((0..rp.items.len()).map(|line| LineRef {
                chart: c,
                risk_point: p,
                line,
            }));
            measure_refs.extend((0..rp.measures.len()).map(|line| LineRef {
                chart: c,
                risk_point: p,
                line,
            }));
        }
    }

    let risk = Kind::build(charts, &risk_refs, false, rules);
    let measure = Kind::build(charts, &measure_refs, true, rules);

    let mut findings = Vec::new();
    for (kind, refs, is_measure) in [(&risk, &risk_refs, false), (&measure, &measure_refs, true)] {
        for (i, r) in refs.iter().enumerate() {
            let Some(s) = kind.suspicion_of_line(i) else {
                continue;
            };
            let chart = &charts[r.chart];
            let rp = &chart.risk_points[r.risk_point];
            findings.push((
                (r.chart, r.risk_point, is_measure, r.line),
                Finding {
                    id: String::new(),
                    code: "text.suspected_typo".to_string(),
                    severity: Severity::Warning,
                    source: chart.source.clone(),
                    chart: Some(chart.id.clone()),
                    step: rp.step,
                    risk_point: Some(rp.id.clone()),
                    location: chart.location.clone(),
                    message: s.message.clone(),
                    evidence: line_of(charts, r, is_measure).text.clone(),
                    suggestion: s.suggestion.clone(),
                },
            ));
        }
    }
    // Document order: chart, risk point, its items before its measures, line.
    findings.sort_by_key(|(pos, _)| *pos);

    for (kind, refs, is_measure) in [(&risk, &risk_refs, false), (&measure, &measure_refs, true)] {
        for (i, r) in refs.iter().enumerate() {
            let rp = &mut charts[r.chart].risk_points[r.risk_point];
            let lines = if is_measure {
                &mut rp.measures
            } else {
                &mut rp.items
            };
            lines[r.line].text_id = kind.id_of_line(i).to_string();
        }
    }

    let mut texts = risk.texts;
    texts.extend(measure.texts);
    (texts, findings.into_iter().map(|(_, f)| f).collect())
}

/// The line `r` points at: a measure or a risk item.
fn line_of<'a>(charts: &'a [Chart], r: &LineRef, is_measure: bool) -> &'a Line {
    let rp = &charts[r.chart].risk_points[r.risk_point];
    if is_measure {
        &rp.measures[r.line]
    } else {
        &rp.items[r.line]
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

/// The clustering of one kind of line, with its texts and verdicts.
struct Kind {
    texts: Vec<Text>,
    /// Text id of every line.
    id_of_line: Vec<u32>,
    written_of_line: Vec<u32>,
    suspicion: Vec<Option<typo::Suspicion>>,
}

impl Kind {
    fn build(charts: &[Chart], refs: &[LineRef], is_measure: bool, rules: &DedupRules) -> Kind {
        let kind = if is_measure { "measure" } else { "risk" };
        let lines: Vec<&str> = refs
            .iter()
            .map(|r| line_of(charts, r, is_measure).text.as_str())
            .collect();
        let a = cluster::analyse(&lines, rules);
        let text_at = |w: u32| lines[a.written[w as usize].first_line as usize];

        let clusters = a.leader_key.len();
        let mut occurrences = vec![0usize; clusters];
        let mut chart_ids: HashSet<(u32, &str)> = HashSet::new();
        for (r, &c) in refs.iter().zip(&a.clustering.cluster_of) {
            occurrences[c as usize] += 1;
            chart_ids.insert((c, charts[r.chart].id.as_str()));
        }
        let mut chart_count = vec![0usize; clusters];
        for (c, _) in &chart_ids {
            chart_count[*c as usize] += 1;
        }
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
        Kind {
            texts,
            id_of_line: a.clustering.cluster_of.clone(),
            written_of_line: a.written_of_line,
            suspicion,
        }
    }

    fn id_of_line(&self, i: usize) -> &str {
        &self.texts[self.id_of_line[i] as usize].id
    }

    fn suspicion_of_line(&self, i: usize) -> Option<&typo::Suspicion> {
        self.suspicion[self.written_of_line[i] as usize].as_ref()
    }
}

#[cfg(test)]
mod tests;

//! Exact grouping on the normalised key, then leader clustering of the
//! distinct keys in frequency order (see [`super::leader`]), then clusters
//! and canonical forms.

use rayon::prelude::*;

use super::clause::Forms;
use super::hash::distinct;
use super::leader::{self, NONE};
use super::minhash;
use super::normalise::normalise_key;
use super::rules::DedupRules;

/// The clustering of a list of lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clustering {
    /// Cluster of every input line. Clusters are numbered in the order their
    /// first line appears in the input.
    pub cluster_of: Vec<u32>,
    /// Per cluster: index of the first input line holding its canonical text.
    pub canonical: Vec<u32>,
}

/// One distinct text as written.
#[derive(Debug, Clone)]
pub(crate) struct Written {
    pub first_line: u32,
    pub count: u32,
    pub key: u32,
}

/// One distinct normalised key.
#[derive(Debug, Clone)]
pub(crate) struct Key {
    pub text: String,
    pub first_line: u32,
    pub count: u32,
    pub cluster: u32,
}

/// Everything the clustering learnt, for building texts and findings.
pub(crate) struct Analysis {
    pub clustering: Clustering,
    /// Distinct written text of every line.
    pub written_of_line: Vec<u32>,
    /// Distinct written texts in order of first appearance.
    pub written: Vec<Written>,
    /// Distinct keys in order of first appearance.
    pub keys: Vec<Key>,
    /// Per cluster: the key of its leader (its canonical form's key).
    pub leader_key: Vec<u32>,
    /// Per cluster: the written text chosen as canonical.
    pub canonical_written: Vec<u32>,
    /// Clause form of every key.
    pub forms: Forms,
    /// Per key: the edits between its form and its leader's, clause by
    /// clause, when the clustering measured them (`NONE` for leaders and
    /// keys placed by people's decisions). The whole-string distance is at
    /// most this, which bounds the work of computing it for the review.
    pub leader_distance: Vec<u32>,
}

/// Clusters `lines`; the result is the same whatever rayon's thread count.
pub fn cluster(lines: &[&str], rules: &DedupRules) -> Clustering {
    analyse(lines, rules).clustering
}

pub(crate) fn analyse(lines: &[&str], rules: &DedupRules) -> Analysis {
    // 1. Distinct written texts: lines repeat verbatim far more often than
    //    not, so normalising each distinct text once saves most of the work.
    let d = distinct(lines);
    let mut counts = vec![0u32; d.first.len()];
    for &w in &d.group_of {
        counts[w as usize] += 1;
    }
    let first_text: Vec<&str> = d.first.iter().map(|&l| lines[l as usize]).collect();
    let mut a = analyse_counted(&first_text, &counts, rules);
    // Back from distinct texts to lines: positions become line numbers
    // (the map is increasing, so every order by position is unchanged).
    for w in &mut a.written {
        w.first_line = d.first[w.first_line as usize];
    }
    for k in &mut a.keys {
        k.first_line = d.first[k.first_line as usize];
    }
    a.clustering.cluster_of = d
        .group_of
        .iter()
        .map(|&w| a.clustering.cluster_of[w as usize])
        .collect();
    a.clustering.canonical = a
        .canonical_written
        .iter()
        .map(|&w| a.written[w as usize].first_line)
        .collect();
    a.written_of_line = d.group_of;
    a
}

/// [`analyse`] of lines given as their distinct written texts, each once,
/// in order of first appearance, with how many lines were written so. The
/// result is the one `analyse` gives for the lines, except that positions
/// (`first_line`, `canonical`) and per-line vectors count distinct texts,
/// not lines: a run can tally millions of lines in a map of its distinct
/// texts instead of keeping every line.
pub(crate) fn analyse_counted(texts: &[&str], counts: &[u32], rules: &DedupRules) -> Analysis {
    let written_of_line: Vec<u32> = (0..texts.len() as u32).collect();
    let mut written: Vec<Written> = counts
        .iter()
        .enumerate()
        .map(|(w, &count)| Written {
            first_line: w as u32,
            count,
            key: 0,
        })
        .collect();
    let first_text = texts;

    // 2. Distinct keys, numbered in order of first appearance.
    let mut normalised: Vec<String> = first_text.par_iter().map(|t| normalise_key(t)).collect();
    let d = distinct(&normalised);
    let mut keys: Vec<Key> = d
        .first
        .iter()
        .map(|&w| Key {
            text: std::mem::take(&mut normalised[w as usize]),
            first_line: written[w as usize].first_line,
            count: 0,
            cluster: 0,
        })
        .collect();
    for (w, &k) in written.iter_mut().zip(&d.group_of) {
        keys[k as usize].count += w.count;
        w.key = k;
    }
    drop(d);
    drop(normalised);

    // 3. People's decisions: the group of every key they named, and each
    //    group's leader key (the canonical's, else its most frequent).
    let (group_of_key, group_leader) = decided(&keys, rules);

    // 4. Leader clustering over the keys, most frequent first.
    let key_texts: Vec<&str> = keys.iter().map(|k| k.text.as_str()).collect();
    let forms = Forms::of(&key_texts, rules);
    drop(key_texts);
    let (leader_of, leader_distance) = leaders(&keys, &forms, &group_of_key, &group_leader, rules);

    // 5. Clusters numbered by first appearance: the leader of the key seen
    //    first opens the first cluster, and so on.
    let mut cluster_of_leader = vec![u32::MAX; keys.len()];
    let mut leader_key = Vec::new();
    for (k, key) in keys.iter_mut().enumerate() {
        let leader = leader_of[k] as usize;
        if cluster_of_leader[leader] == u32::MAX {
            cluster_of_leader[leader] = leader_key.len() as u32;
            leader_key.push(leader as u32);
        }
        key.cluster = cluster_of_leader[leader];
    }

    // 6. Canonical: the form a person chose if it was written so; else the
    //    most frequent written form of the leader key, ties to the earliest
    //    (written texts are in first-appearance order).
    let mut canonical_written: Vec<u32> = vec![u32::MAX; leader_key.len()];
    let mut chosen = vec![false; leader_key.len()];
    for (w_id, w) in written.iter().enumerate() {
        let key = &keys[w.key as usize];
        let c = key.cluster as usize;
        if leader_key[c] != w.key || chosen[c] {
            continue;
        }
        let group = group_of_key[w.key as usize];
        if group != NONE && rules.decisions.canonical(group) == Some(first_text[w_id]) {
            canonical_written[c] = w_id as u32;
            chosen[c] = true;
            continue;
        }
        let best = canonical_written[c];
        if best == u32::MAX || w.count > written[best as usize].count {
            canonical_written[c] = w_id as u32;
        }
    }

    let cluster_of = written_of_line
        .iter()
        .map(|&w| keys[written[w as usize].key as usize].cluster)
        .collect();
    let canonical = canonical_written
        .iter()
        .map(|&w| written[w as usize].first_line)
        .collect();
    Analysis {
        clustering: Clustering {
            cluster_of,
            canonical,
        },
        written_of_line,
        written,
        keys,
        leader_key,
        canonical_written,
        forms,
        leader_distance,
    }
}

/// Per key, the decided group (`NONE` if nobody named it); per group, its
/// leader key (`NONE` if none of its lines is in the input). The leader is
/// the key of the chosen canonical form when present, else the group's most
/// frequent key, ties to the earliest.
fn decided(keys: &[Key], rules: &DedupRules) -> (Vec<u32>, Vec<u32>) {
    let d = &rules.decisions;
    if d.is_empty() {
        return (vec![NONE; keys.len()], Vec::new());
    }
    let group_of_key: Vec<u32> = keys
        .iter()
        .map(|k| d.group_of(&k.text).unwrap_or(NONE))
        .collect();
    let mut leader = vec![NONE; d.group_count()];
    let mut by_canonical = vec![false; d.group_count()];
    for (k, &g) in group_of_key.iter().enumerate() {
        if g == NONE || by_canonical[g as usize] {
            continue;
        }
        let key = &keys[k];
        if d.canonical(g).is_some_and(|c| normalise_key(c) == key.text) {
            leader[g as usize] = k as u32;
            by_canonical[g as usize] = true;
            continue;
        }
        let best = leader[g as usize];
        if best == NONE || key.count > keys[best as usize].count {
            leader[g as usize] = k as u32;
        }
    }
    (group_of_key, leader)
}

/// For every key (by index), the index of its leader key and the clause
/// edits between them (see [`Analysis::leader_distance`]).
fn leaders(
    keys: &[Key],
    forms: &Forms,
    group_of_key: &[u32],
    group_leader: &[u32],
    rules: &DedupRules,
) -> (Vec<u32>, Vec<u32>) {
    // Frequency order: more lines first, then earlier first appearance.
    let mut order: Vec<u32> = (0..keys.len() as u32).collect();
    order.sort_unstable_by_key(|&k| {
        let key = &keys[k as usize];
        (std::cmp::Reverse(key.count), key.first_line)
    });
    let mut rank_of = vec![0u32; keys.len()];
    for (r, &k) in order.iter().enumerate() {
        rank_of[k as usize] = r as u32;
    }
    // Decided keys go straight to their group's leader.
    let forced: Vec<u32> = order
        .iter()
        .map(|&k| match group_of_key[k as usize] {
            NONE => NONE,
            g => rank_of[group_leader[g as usize] as usize],
        })
        .collect();
    drop(rank_of);
    // Empty keys and pasted paragraphs are grouped exactly only (the
    // families skip them).
    let ranked: Vec<&[char]> = order.iter().map(|&k| forms.get(k as usize).chars).collect();
    let clause_counts: Vec<u64> = order
        .iter()
        .map(|&k| forms.get(k as usize).ends.len() as u64)
        .collect();
    let buckets = minhash::buckets(&ranked, &clause_counts, &rules.families());
    drop(clause_counts);
    drop(ranked);
    let (leader_rank, distance_by_rank) = leader::leaders(forms, &order, &buckets, &forced, rules);
    drop(buckets);
    let mut leader_of = vec![0u32; keys.len()];
    let mut distance = vec![NONE; keys.len()];
    for (r, &k) in order.iter().enumerate() {
        leader_of[k as usize] = order[leader_rank[r] as usize];
        distance[k as usize] = distance_by_rank[r];
    }
    (leader_of, distance)
}

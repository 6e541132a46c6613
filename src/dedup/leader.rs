//! Leader clustering of distinct keys, most frequent first.
//!
//! A key joins the most similar *leader* within the threshold, or becomes a
//! leader itself. Keys are only ever compared with leaders, so every member
//! is within the threshold of its leader, and A≈B≈C never pulls C into A's
//! cluster when A and C are far apart.
//!
//! The pass is sequential by nature (whether a key leads depends on the keys
//! before it), but it runs in chunks: every key of a chunk is first matched
//! in parallel against the leaders known when the chunk starts, then a short
//! sequential pass adds the leaders made inside the chunk. After the first
//! chunks almost no key leads, so nearly all the work is parallel, and the
//! result is exactly that of the one-by-one pass whatever the thread count.

use rayon::prelude::*;

use super::edit::levenshtein_within;
use super::minhash::Buckets;
use super::rules::DedupRules;

/// Keys per chunk: large enough to keep both cores busy, small enough that
/// the sequential part of a chunk stays short.
const CHUNK: usize = 8192;

const NONE: u32 = u32::MAX;

/// A bucket keeps its first (most frequent) leaders only. Near-duplicates
/// share many bands, so they still meet in a less crowded bucket, while
/// input made of many distinct lines over the same few characters cannot
/// make the pass quadratic.
const MAX_LEADERS_PER_BUCKET: usize = 32;

/// For every key (by rank), the rank of its leader. `ranked` is in
/// frequency order; `buckets` gives each key's MinHash band buckets.
pub(crate) fn leaders(ranked: &[&[char]], buckets: &Buckets, rules: &DedupRules) -> Vec<u32> {
    let longest = ranked.iter().map(|k| k.len()).max().unwrap_or(0);
    let matcher = Matcher {
        ranked,
        buckets,
        max_edits: (0..=longest).map(|len| rules.max_edits(len)).collect(),
        negations: rules.negations.chars().collect(),
    };
    let mut index = Index {
        buckets: (0..buckets.bucket_count).map(|_| Vec::new()).collect(),
        leaders: Vec::new(),
    };
    let mut leader_of = vec![NONE; ranked.len()];
    for start in (0..ranked.len()).step_by(CHUNK) {
        let end = (start + CHUNK).min(ranked.len());
        // Against the leaders of earlier chunks, in parallel.
        let earlier: Vec<Option<Match>> = (start..end)
            .into_par_iter()
            .map_init(Scratch::default, |scratch, r| {
                matcher.best(&index, r, 0, scratch)
            })
            .collect();
        // Against the leaders made in this chunk, in order.
        let mut scratch = Scratch::default();
        for (r, found) in (start..end).zip(earlier) {
            let inside = matcher.best(&index, r, start as u32, &mut scratch);
            match Match::better(found, inside) {
                Some(m) => leader_of[r] = leader_of[m.leader as usize],
                None => {
                    leader_of[r] = r as u32;
                    index.insert(r, ranked[r], buckets.of(r));
                }
            }
        }
    }
    leader_of
}

/// A leader within the threshold: its edit distance, the longer length of
/// the pair, and the leader's rank.
#[derive(Debug, Clone, Copy)]
struct Match {
    distance: usize,
    longer: usize,
    leader: u32,
}

impl Match {
    /// The more similar (smaller distance / longer length, compared
    /// exactly), then the more frequent leader: a total order, so the
    /// winner does not depend on the order candidates are met in.
    fn better(a: Option<Match>, b: Option<Match>) -> Option<Match> {
        match (a, b) {
            (Some(x), Some(y)) => {
                let (lx, ly) = (x.distance * y.longer, y.distance * x.longer);
                Some(if lx < ly || (lx == ly && x.leader < y.leader) {
                    x
                } else {
                    y
                })
            }
            (x, None) => x,
            (None, y) => y,
        }
    }
}

/// The leaders so far, and which buckets they are in. Visiting candidates
/// is the hot loop, so a bucket is a contiguous list and everything the
/// cheap filters need about a leader sits in one small table entry.
struct Index {
    /// Per bucket: positions in `leaders`, ascending (leaders are added in
    /// rank order, so ranks ascend too).
    buckets: Vec<Vec<u32>>,
    leaders: Vec<Leader>,
}

struct Leader {
    rank: u32,
    len: u32,
    bag: Bag,
    pairs: Pairs,
}

impl Index {
    fn insert(&mut self, rank: usize, key: &[char], buckets: &[u32]) {
        let id = self.leaders.len() as u32;
        self.leaders.push(Leader {
            rank: rank as u32,
            len: key.len() as u32,
            bag: Bag::of(key),
            pairs: Pairs::of(key),
        });
        for &bucket in buckets {
            if let Some(list) = self.buckets.get_mut(bucket as usize)
                && list.len() < MAX_LEADERS_PER_BUCKET
            {
                list.push(id);
            }
        }
    }
}

struct Matcher<'a> {
    ranked: &'a [&'a [char]],
    buckets: &'a Buckets,
    /// `max_edits[len]`: the threshold as a number of characters.
    max_edits: Vec<usize>,
    /// Characters never inserted or deleted between near-duplicates.
    negations: Vec<char>,
}

/// Per-thread working memory of [`Matcher::best`].
#[derive(Default)]
struct Scratch {
    /// Edit-distance rows.
    rows: Vec<usize>,
    /// Leaders already verified for the current key: a true near-duplicate
    /// shares most bands, and its edit distance is the costly part.
    verified: Vec<u32>,
}

impl Matcher<'_> {
    /// Best leader of rank >= `floor` sharing a bucket with key `r`.
    fn best(&self, index: &Index, r: usize, floor: u32, scratch: &mut Scratch) -> Option<Match> {
        let key = self.ranked[r];
        let (bag, pairs) = (Bag::of(key), Pairs::of(key));
        let mut best = None;
        scratch.verified.clear();
        for &bucket in self.buckets.of(r) {
            let Some(list) = index.buckets.get(bucket as usize) else {
                continue; // NO_BUCKET: nobody else has this band
            };
            for &id in list.iter().rev() {
                let leader = &index.leaders[id as usize];
                if leader.rank < floor {
                    break;
                }
                // Cheap filters first: length, character counts, character
                // pairs; a
                // leader met again in another band is not verified twice.
                let longer = key.len().max(leader.len as usize);
                let limit = self.max_edits.get(longer).copied().unwrap_or(0);
                if key.len().abs_diff(leader.len as usize) > limit
                    || bag.distance(&leader.bag) > limit
                    || pairs.missing(&leader.pairs) > 2 * limit
                    || scratch.verified.contains(&leader.rank)
                {
                    continue;
                }
                scratch.verified.push(leader.rank);
                let other = self.ranked[leader.rank as usize];
                if let Some(distance) = levenshtein_within(key, other, limit, &mut scratch.rows)
                    && !self.negation_apart(key, other, distance, &mut scratch.rows)
                {
                    let found = Match {
                        distance,
                        longer,
                        leader: leader.rank,
                    };
                    best = Match::better(best, Some(found));
                }
            }
        }
        best
    }

    /// Whether two keys within the threshold differ by a negation rather
    /// than a typo: they hold different numbers of negation characters, and
    /// without those characters they are closer still (不执行回避制度 /
    /// 执行回避制度, 初审不合格 / 初审合格). A typo that hits a negation
    /// (朱按 for 未按) brings them no closer, so it still matches.
    fn negation_apart(
        &self,
        a: &[char],
        b: &[char],
        distance: usize,
        rows: &mut Vec<usize>,
    ) -> bool {
        let is_negation = |c: &&char| self.negations.contains(c);
        if a.iter().filter(is_negation).count() == b.iter().filter(is_negation).count() {
            return false;
        }
        let strip =
            |k: &[char]| -> Vec<char> { k.iter().filter(|c| !is_negation(c)).copied().collect() };
        distance > 0 && levenshtein_within(&strip(a), &strip(b), distance - 1, rows).is_some()
    }
}

/// Character counts folded into 64 slots. Each edit moves at most one count
/// up and one down, and folding or capping counts never widens a gap, so the
/// bag distance is a lower bound of the edit distance: it rejects most
/// candidate pairs (which share words but not whole lines) in a few dozen
/// instructions.
struct Bag([u8; 64]);

impl Bag {
    fn of(key: &[char]) -> Bag {
        let mut counts = [0u8; 64];
        for &c in key {
            let slot = (c as u32).wrapping_mul(0x9E37_79B1) >> 26;
            counts[slot as usize] = counts[slot as usize].saturating_add(1);
        }
        Bag(counts)
    }

    fn distance(&self, other: &Bag) -> usize {
        let (mut more, mut fewer) = (0usize, 0usize);
        for (&a, &b) in self.0.iter().zip(&other.0) {
            more += a.saturating_sub(b) as usize;
            fewer += b.saturating_sub(a) as usize;
        }
        more.max(fewer)
    }
}

/// The adjacent character pairs of a key, hashed into 128 bits. One edit
/// removes at most two pairs, so keys within k edits each have at most 2k
/// pair bits the other lacks (hashing only merges pairs, which can hide a
/// missing one, never invent one). This catches what counts cannot:
/// the same characters in another order.
#[derive(Clone, Copy)]
struct Pairs(u128);

impl Pairs {
    fn of(key: &[char]) -> Pairs {
        let bits = key.windows(2).fold(0u128, |bits, w| {
            let pair = (u64::from(w[0]) << 32) | u64::from(w[1]);
            let slot = pair.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 57;
            bits | 1u128 << slot
        });
        Pairs(bits)
    }

    /// Pair bits present in one key and not the other, the larger side.
    fn missing(&self, other: &Pairs) -> usize {
        let one = (self.0 & !other.0).count_ones();
        let two = (other.0 & !self.0).count_ones();
        one.max(two) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bag_distance_is_a_lower_bound() {
        let a: Vec<char> = "故意刁难申请人".chars().collect();
        let b: Vec<char> = "故意刁难经办人".chars().collect();
        let c: Vec<char> = "人请申难刁意故".chars().collect();
        assert_eq!(Bag::of(&a).distance(&Bag::of(&b)), 2);
        // Same characters in another order: bag distance 0, edit distance 6;
        // the pairs tell them apart.
        assert_eq!(Bag::of(&a).distance(&Bag::of(&c)), 0);
        assert_eq!(Pairs::of(&a).missing(&Pairs::of(&c)), 6);
        assert!(Pairs::of(&a).missing(&Pairs::of(&b)) <= 4);
    }

    #[test]
    fn better_match_is_order_independent() {
        let m = |distance, longer, leader| {
            Some(Match {
                distance,
                longer,
                leader,
            })
        };
        let pick = |a, b| Match::better(a, b).map(|x: Match| x.leader);
        // 1/7 beats 2/10; equal ratios go to the lower rank.
        assert_eq!(pick(m(2, 10, 1), m(1, 7, 5)), Some(5));
        assert_eq!(pick(m(1, 7, 5), m(2, 10, 1)), Some(5));
        assert_eq!(pick(m(1, 5, 9), m(2, 10, 3)), Some(3));
        assert_eq!(pick(m(2, 10, 3), m(1, 5, 9)), Some(3));
        assert_eq!(pick(None, None), None);
    }
}

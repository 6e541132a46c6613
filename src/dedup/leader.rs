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

use super::clause::{Form, Forms, Limits, compare};
use super::hash::Map;
use super::minhash::Buckets;
use super::rules::DedupRules;

/// Keys per chunk: large enough to keep both cores busy, small enough that
/// the sequential part of a chunk stays short.
const CHUNK: usize = 8192;

pub(crate) const NONE: u32 = u32::MAX;

/// A bucket keeps its first (most frequent) leaders only. Near-duplicates
/// share many bands, so they still meet in a less crowded bucket, while
/// input made of many distinct lines over the same few characters cannot
/// make the pass quadratic.
const MAX_LEADERS_PER_BUCKET: usize = 32;

/// For every key (by rank), the rank of its leader and the edits between
/// them as [`compare`] counts them (`NONE` for leaders and people's
/// decisions). `order` lists the keys
/// of `forms` in frequency order (rank → key); `buckets` gives each rank's
/// MinHash band buckets;
/// `forced[r]` is the rank of the leader people decided for key `r`
/// (`NONE`: let the clustering decide).
pub(crate) fn leaders(
    forms: &Forms,
    order: &[u32],
    buckets: &Buckets,
    forced: &[u32],
    rules: &DedupRules,
) -> (Vec<u32>, Vec<u32>) {
    let longest = (0..forms.len())
        .map(|k| forms.get(k).chars.len())
        .max()
        .unwrap_or(0);
    let matcher = Matcher {
        forms,
        order,
        buckets,
        limits: Limits::new(rules, longest),
    };
    let mut index = Index::new(buckets);
    let mut leader_of = vec![NONE; order.len()];
    let mut distance = vec![NONE; order.len()];
    for start in (0..order.len()).step_by(CHUNK) {
        let end = (start + CHUNK).min(order.len());
        // Against the leaders of earlier chunks, in parallel.
        let earlier: Vec<Option<Match>> = (start..end)
            .into_par_iter()
            .map_init(Scratch::default, |scratch, r| {
                if forced[r] != NONE {
                    return None;
                }
                matcher.best(&index, r, 0, scratch)
            })
            .collect();
        // Against the leaders made in this chunk, in order.
        let floor = index.leaders.len() as u32;
        let mut scratch = Scratch::default();
        for (r, found) in (start..end).zip(earlier) {
            if forced[r] != NONE {
                leader_of[r] = forced[r];
                if forced[r] == r as u32 {
                    index.insert(r, order[r], matcher.form(r), buckets.of(r));
                }
                continue;
            }
            // After the first chunks few keys lead, so there is mostly
            // nothing new to look at.
            let inside = if index.leaders.len() as u32 > floor {
                matcher.best(&index, r, floor, &mut scratch)
            } else {
                None
            };
            match Match::better(found, inside) {
                Some(m) => {
                    leader_of[r] = leader_of[m.leader as usize];
                    distance[r] = m.distance as u32;
                }
                None => {
                    leader_of[r] = r as u32;
                    index.insert(r, order[r], matcher.form(r), buckets.of(r));
                }
            }
        }
    }
    (leader_of, distance)
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
/// is the hot loop, so a bucket is one small head and its leaders one block
/// of a flat arena, and everything the cheap filters need about a leader
/// sits in one small entry.
struct Index {
    /// Per bucket: where its leaders are.
    heads: Vec<Head>,
    /// Leaders' positions in `leaders`, in blocks. A block is taken from
    /// the end when a bucket gets its first leader, and moved to the end,
    /// twice as large, when it is full: most buckets hold one or two
    /// leaders, so the arena stays small, and a leader's buckets are
    /// mostly given blocks side by side when it is inserted, so a
    /// near-duplicate looking up its bands reads a few cache lines rather
    /// than one per band.
    slots: Vec<u32>,
    /// What the cheap bounds need about each leader.
    leaders: Vec<Leader>,
    /// Hash of a leader's form characters → the first such leader. Bands
    /// are salted with the clause count, so a key that differs from a
    /// leader only by a dropped separator is found here instead.
    exact: Map<u64, u32>,
}

/// One bucket: its block in `Index::slots`, the slots used, and the most
/// it may hold (its member count, at most `MAX_LEADERS_PER_BUCKET`).
/// Positions in `leaders` ascend within a block (leaders are added in rank
/// order, so ranks ascend too).
#[derive(Clone, Copy, Default)]
struct Head {
    start: u32,
    used: u8,
    block: u8,
    most: u8,
}

/// Everything the cheap bounds read about one leader, in one cache line:
/// a key meets dozens of leaders, each a cache miss.
#[repr(align(64))]
struct Leader {
    rank: u32,
    /// Its key (`order[rank]`), to read its form without another lookup.
    key: u32,
    len: u32,
    clauses: u32,
    pairs: Pairs,
    bag: Bag,
}

impl Index {
    fn new(buckets: &Buckets) -> Index {
        let mut heads = vec![Head::default(); buckets.bucket_count];
        for &b in &buckets.bucket_of {
            if let Some(h) = heads.get_mut(b as usize) {
                h.most = (h.most + 1).min(MAX_LEADERS_PER_BUCKET as u8);
            }
        }
        Index {
            heads,
            slots: Vec::new(),
            leaders: Vec::new(),
            exact: Map::default(),
        }
    }

    fn bucket(&self, bucket: u32) -> &[u32] {
        match self.heads.get(bucket as usize) {
            Some(h) => &self.slots[h.start as usize..h.start as usize + h.used as usize],
            None => &[], // NO_BUCKET: nobody else has this band
        }
    }

    fn insert(&mut self, rank: usize, key: u32, form: Form, buckets: &[u32]) {
        let id = self.leaders.len() as u32;
        self.leaders.push(Leader {
            rank: rank as u32,
            key,
            len: form.chars.len() as u32,
            clauses: form.ends.len() as u32,
            pairs: Pairs::of(form.chars),
            bag: Bag::of(form.chars),
        });
        self.exact.entry(chars_hash(form.chars)).or_insert(id);
        for &bucket in buckets {
            let Some(h) = self.heads.get_mut(bucket as usize) else {
                continue;
            };
            if h.used >= h.most {
                continue;
            }
            if h.used == h.block {
                // First leader, or the block is full: a new block at the end.
                let block = if h.block == 0 {
                    1
                } else {
                    (2 * h.block).min(h.most)
                };
                let start = self.slots.len();
                self.slots
                    .extend_from_within(h.start as usize..h.start as usize + h.used as usize);
                self.slots.resize(start + block as usize, 0);
                h.start = start as u32;
                h.block = block;
            }
            self.slots[(h.start + u32::from(h.used)) as usize] = id;
            h.used += 1;
        }
    }
}

struct Matcher<'a> {
    forms: &'a Forms,
    order: &'a [u32],
    buckets: &'a Buckets,
    limits: Limits,
}

/// Per-thread working memory of [`Matcher::best`].
#[derive(Default)]
struct Scratch {
    /// Edit-distance rows.
    rows: Vec<usize>,
    /// Per leader: the last key (rank + 1) that looked at it. Near-duplicates
    /// share most bands, so a leader is met many times for one key; it is
    /// filtered and verified once.
    seen: Vec<u32>,
    /// The distinct leaders met by the current key.
    met: Vec<u32>,
}

impl Matcher<'_> {
    /// The form of the key of rank `r`.
    fn form(&self, r: usize) -> Form<'_> {
        self.forms.get(self.order[r] as usize)
    }

    /// Best leader sharing a bucket with key `r`, among the leaders
    /// numbered `floor` and up (leaders are numbered in rank order).
    fn best(&self, index: &Index, r: usize, floor: u32, scratch: &mut Scratch) -> Option<Match> {
        let form = self.form(r);
        let key = form.chars;
        let (bag, pairs) = (Bag::of(key), Pairs::of(key));
        let mut best = None;
        if scratch.seen.len() < index.leaders.len() {
            scratch.seen.resize(index.leaders.len(), 0);
        }
        let stamp = r as u32 + 1;
        let same_chars = index.exact.get(&chars_hash(key)).copied();
        let lists = same_chars
            .as_slice()
            .iter()
            .map(std::slice::from_ref)
            .chain(self.buckets.of(r).iter().map(|&b| index.bucket(b)));
        // Gathering the distinct leaders first, then filtering them, keeps
        // both loops short and their memory reads independent of each
        // other, so the processor overlaps the cache misses.
        scratch.met.clear();
        for list in lists {
            for &id in list.iter().rev() {
                if id < floor {
                    break;
                }
                let seen = &mut scratch.seen[id as usize];
                if *seen != stamp {
                    *seen = stamp;
                    scratch.met.push(id);
                }
            }
        }
        // Cheap bounds: length, clause count (only a dropped separator may
        // change it, and then nothing else), character pairs, character
        // counts. All four are computed for every leader met, without
        // branches: which leaders pass is unpredictable, and a
        // mispredicted branch would stop the processor from reading the
        // next leaders' entries while this one's is on its way.
        let mut kept = 0;
        for i in 0..scratch.met.len() {
            let id = scratch.met[i];
            let leader = &index.leaders[id as usize];
            let len = leader.len as usize;
            let limit = self.limits.line(key.len().max(len));
            let pass = (key.len().abs_diff(len) <= limit)
                & ((leader.clauses as usize == form.ends.len()) | (len == key.len()))
                & (pairs.missing(&leader.pairs) <= 2 * limit)
                & (bag.distance(&leader.bag) <= limit);
            scratch.met[kept] = id;
            kept += usize::from(pass);
        }
        for &id in &scratch.met[..kept] {
            let leader = &index.leaders[id as usize];
            let longer = key.len().max(leader.len as usize);
            let other = self.forms.get(leader.key as usize);
            if let Some(distance) = compare(form, other, &self.limits, &mut scratch.rows) {
                let found = Match {
                    distance,
                    longer,
                    leader: leader.rank,
                };
                best = Match::better(best, Some(found));
            }
        }
        best
    }
}

/// A hash of a form's characters (FNV-1a over the code points).
fn chars_hash(chars: &[char]) -> u64 {
    chars.iter().fold(0xCBF2_9CE4_8422_2325u64, |h, &c| {
        (h ^ u64::from(c)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// Character counts folded into 64 slots of four bits. Each edit moves at
/// most one count up and one down, and folding or capping counts never
/// widens a gap, so the bag distance is a lower bound of the edit distance:
/// it rejects most candidate pairs (which share words but not whole lines)
/// in a few dozen instructions. Byte `i` holds slot `i` in its low half and
/// slot `i + 32` in its high half, so a bag is 32 bytes and fits in a
/// leader's cache line.
#[derive(Clone, Copy)]
struct Bag([u8; 32]);

impl Bag {
    fn of(key: &[char]) -> Bag {
        let mut counts = [0u8; 64];
        for &c in key {
            let slot = (c as u32).wrapping_mul(0x9E37_79B1) >> 26;
            counts[slot as usize] = counts[slot as usize].saturating_add(1);
        }
        let mut packed = [0u8; 32];
        for (i, p) in packed.iter_mut().enumerate() {
            *p = counts[i].min(15) | counts[i + 32].min(15) << 4;
        }
        Bag(packed)
    }

    fn distance(&self, other: &Bag) -> usize {
        let (mut more, mut fewer) = (0u16, 0u16);
        for (&a, &b) in self.0.iter().zip(&other.0) {
            let (a_low, a_high, b_low, b_high) = (a & 15, a >> 4, b & 15, b >> 4);
            more += u16::from(a_low.saturating_sub(b_low) + a_high.saturating_sub(b_high));
            fewer += u16::from(b_low.saturating_sub(a_low) + b_high.saturating_sub(a_high));
        }
        usize::from(more.max(fewer))
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

//! Grouping equal texts: a million lines into distinct written texts, those
//! into distinct keys.
//!
//! [`distinct`] hashes in parallel and groups within shards of the hash, so
//! the work runs on every core and each shard's map is small enough to stay
//! in cache; one map over a million lines was a cache miss per line, on one
//! thread. The hasher takes eight bytes per multiply. Its seed comes from
//! the standard library's per-process random state, so input cannot be
//! crafted to collide on every run; the maps only deduplicate, and nothing
//! depends on their iteration order, so the output is the same whatever the
//! seed.

use std::hash::{BuildHasher, Hasher};

use rayon::prelude::*;

/// Equal items grouped, groups numbered in order of first appearance.
pub(crate) struct Distinct {
    /// Per item: its group.
    pub group_of: Vec<u32>,
    /// Per group: its first item.
    pub first: Vec<u32>,
}

/// Shards of the hash: enough that each shard's map fits in a core's cache
/// for a million distinct lines, and that the shards balance over threads.
const SHARD_BITS: u32 = 8;

/// Groups equal `items`; the result depends on the items only.
pub(crate) fn distinct<T: AsRef<str> + Sync>(items: &[T]) -> Distinct {
    let seeded = Seeded::default();
    let hashes: Vec<u64> = items
        .par_iter()
        .map(|t| seeded.hash_one(t.as_ref()))
        .collect();
    let shard = |h: u64| (h >> (64 - SHARD_BITS)) as usize;
    // Items of every shard, in input order.
    let mut start = vec![0u32; (1 << SHARD_BITS) + 1];
    for &h in &hashes {
        start[shard(h) + 1] += 1;
    }
    for s in 1..start.len() {
        start[s] += start[s - 1];
    }
    let mut next = start.clone();
    let mut by_shard = vec![0u32; items.len()];
    for (i, &h) in hashes.iter().enumerate() {
        let s = shard(h);
        by_shard[next[s] as usize] = i as u32;
        next[s] += 1;
    }
    drop(next);
    // Per shard, the first item equal to each item: items are visited in
    // input order, so the first one seen is the earliest.
    let firsts: Vec<Vec<u32>> = (0..1usize << SHARD_BITS)
        .into_par_iter()
        .map(|s| {
            let members = &by_shard[start[s] as usize..start[s + 1] as usize];
            let mut seen: std::collections::HashMap<PrehashedStr, u32, Prehashed> =
                std::collections::HashMap::with_capacity_and_hasher(members.len(), Prehashed);
            members
                .iter()
                .map(|&i| {
                    let text = items[i as usize].as_ref();
                    *seen
                        .entry(PrehashedStr(text, hashes[i as usize]))
                        .or_insert(i)
                })
                .collect()
        })
        .collect();
    drop(hashes);
    let mut first_of = vec![0u32; items.len()];
    for (s, firsts) in firsts.iter().enumerate() {
        for (&i, &f) in by_shard[start[s] as usize..start[s + 1] as usize]
            .iter()
            .zip(firsts)
        {
            first_of[i as usize] = f;
        }
    }
    drop(firsts);
    drop(by_shard);
    // Groups numbered by first appearance: an item that is its own first
    // opens the next group.
    let mut group_of = first_of;
    let mut first = Vec::new();
    for i in 0..group_of.len() {
        let f = group_of[i] as usize;
        group_of[i] = if f == i {
            first.push(i as u32);
            (first.len() - 1) as u32
        } else {
            // The first item comes earlier and already holds its group.
            group_of[f]
        };
    }
    Distinct { group_of, first }
}

/// A text and its hash, computed already: a shard's map hashes the number
/// only.
#[derive(Clone, Copy)]
struct PrehashedStr<'a>(&'a str, u64);

impl PartialEq for PrehashedStr<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.1 == other.1 && self.0 == other.0
    }
}

impl Eq for PrehashedStr<'_> {}

impl std::hash::Hash for PrehashedStr<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.1);
    }
}

/// Hands a [`PrehashedStr`]'s hash to the map. Rotated, because the items
/// of a shard share the top bits, from which the map takes its tags.
#[derive(Clone, Copy, Default)]
struct Prehashed;

impl BuildHasher for Prehashed {
    type Hasher = PassThrough;

    fn build_hasher(&self) -> PassThrough {
        PassThrough(0)
    }
}

struct PassThrough(u64);

impl Hasher for PassThrough {
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is ever called; fold anything else in anyway.
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3);
        }
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }

    fn finish(&self) -> u64 {
        self.0.rotate_left(32)
    }
}

/// Builds [`WordHasher`]s with one random seed per map.
#[derive(Clone, Copy)]
pub(crate) struct Seeded(u64);

impl Default for Seeded {
    fn default() -> Seeded {
        Seeded(std::collections::hash_map::RandomState::new().hash_one(0x5EED_u64))
    }
}

impl BuildHasher for Seeded {
    type Hasher = WordHasher;

    fn build_hasher(&self) -> WordHasher {
        WordHasher(self.0)
    }
}

/// Multiply-rotate over 8-byte words, finished with a full mix so that
/// every bit of the result depends on every input bit (hashbrown picks the
/// bucket from the low bits and a tag from the high ones).
pub(crate) struct WordHasher(u64);

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0 ^ word)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(26);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.add(u64::from_le_bytes(w.try_into().expect("8 bytes")));
        }
        let rest = words.remainder();
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        // The length tells `ab` from `ab\0`.
        self.add(u64::from_le_bytes(last) ^ ((bytes.len() as u64) << 56));
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // splitmix64's finaliser.
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// A hash map with [`WordHasher`].
pub(crate) type Map<K, V> = std::collections::HashMap<K, V, Seeded>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_hash_equal_and_lengths_count() {
        let s = Seeded::default();
        assert_eq!(s.hash_one("故意刁难申请人"), s.hash_one("故意刁难申请人"));
        assert_ne!(s.hash_one("ab"), s.hash_one("ab\0"));
        assert_ne!(s.hash_one("故意刁难申请人"), s.hash_one("故意刁难经办人"));
        let mut m: Map<&str, u32> = Map::default();
        m.insert("a", 1);
        assert_eq!(m.get("a"), Some(&1));
    }

    #[test]
    fn distinct_numbers_groups_by_first_appearance() {
        let items = ["乙", "甲", "乙", "丙", "甲", "乙"];
        let d = distinct(&items);
        assert_eq!(d.group_of, vec![0, 1, 0, 2, 1, 0]);
        assert_eq!(d.first, vec![0, 1, 3]);
        let many: Vec<String> = (0..5000).map(|i| (i % 1234).to_string()).collect();
        let d = distinct(&many);
        assert_eq!(d.first.len(), 1234);
        for (i, &g) in d.group_of.iter().enumerate() {
            assert_eq!(d.first[g as usize] as usize, i % 1234);
        }
        assert!(distinct::<&str>(&[]).first.is_empty());
    }
}

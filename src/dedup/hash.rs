//! A fast hasher for the clustering's maps of texts.
//!
//! Grouping a million lines into distinct texts and keys is two hash-map
//! passes that run on one thread; with the standard SipHash, hashing was
//! most of their time. This one takes eight bytes per multiply. Its seed
//! comes from the standard library's per-process random state, so input
//! cannot be crafted to collide on every run; the maps only deduplicate,
//! and nothing depends on their iteration order, so the output is the same
//! whatever the seed.

use std::hash::{BuildHasher, Hasher};

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
}

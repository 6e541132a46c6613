//! Element name as written → its canonical name, for one part.
//!
//! Looked up once per element, so it is the pull layer's hottest table.
//! A name of up to 24 bytes (all of Word's) is keyed by its length and
//! three machine words loaded straight from its bytes: a lookup is a few
//! loads and integer compares, with no string compare and no call. Longer
//! names go to an ordinary map.

use std::collections::HashMap;

/// A name's key: its length and the words that, with it, fix its bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Key {
    len: usize,
    words: [u64; 3],
}

impl Key {
    /// `None` for a name longer than three words.
    #[inline]
    fn of(bytes: &[u8]) -> Option<Key> {
        let n = bytes.len();
        let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default());
        let half = |at: usize| {
            u64::from(u32::from_le_bytes(
                bytes[at..at + 4].try_into().unwrap_or_default(),
            ))
        };
        // Overlapping loads cover every byte; with the length they are
        // distinct for distinct names of that length.
        let words = match n {
            0 => [0; 3],
            1..=3 => [
                u64::from(bytes[0]) | u64::from(bytes[n / 2]) << 8 | u64::from(bytes[n - 1]) << 16,
                0,
                0,
            ],
            4..=7 => [half(0), half(n - 4), 0],
            8..=16 => [word(0), word(n - 8), 0],
            17..=24 => [word(0), word(8), word(n - 8)],
            _ => return None,
        };
        Some(Key { len: n, words })
    }

    /// A multiply-and-rotate mix: the table is small and short-lived, and
    /// its names come from one part (no flooding to fear).
    #[inline]
    fn hash(&self) -> u64 {
        const K: u64 = 0x9e37_79b9_7f4a_7c15;
        let [a, b, c] = self.words;
        let h = (a ^ (self.len as u64) << 56)
            .wrapping_mul(K)
            .rotate_left(29);
        let h = (h ^ b).wrapping_mul(K).rotate_left(29);
        (h ^ c).wrapping_mul(K)
    }
}

/// `a == b`, for the short names compared per tag (an end tag's name with
/// its start's, an attribute's local name): by their keys, a few integer
/// compares, where a slice compare was a `memcmp` call costing more than
/// the compare on names of a few bytes. Longer names compare as slices.
#[inline]
pub fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    match (Key::of(a), Key::of(b)) {
        (Some(x), Some(y)) => x.words == y.words,
        _ => a == b,
    }
}

struct Slot<V> {
    key: Key,
    /// The cache's generation when filled; any other means empty.
    generation: u32,
    value: V,
}

/// The cache: open addressing, linear probing, emptied by a new generation.
pub struct NameCache<V> {
    slots: Vec<Option<Slot<V>>>,
    generation: u32,
    /// Filled slots of this generation.
    filled: usize,
    long: HashMap<Box<[u8]>, V>,
}

impl<V> Default for NameCache<V> {
    fn default() -> Self {
        NameCache {
            slots: Vec::new(),
            generation: 0,
            filled: 0,
            long: HashMap::new(),
        }
    }
}

impl<V> NameCache<V> {
    #[inline]
    pub fn get(&self, written: &[u8]) -> Option<&V> {
        let Some(key) = Key::of(written) else {
            return self.long.get(written);
        };
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = key.hash() as usize & mask;
        loop {
            match &self.slots[i] {
                Some(s) if s.generation == self.generation => {
                    if s.key == key {
                        return Some(&s.value);
                    }
                }
                _ => return None,
            }
            i = (i + 1) & mask;
        }
    }

    /// Add a name not in the cache.
    pub fn insert(&mut self, written: &[u8], value: V) {
        let Some(key) = Key::of(written) else {
            self.long.insert(written.into(), value);
            return;
        };
        // At most half full, so a probe always meets an empty slot.
        if (self.filled + 1) * 2 > self.slots.len() {
            self.grow();
        }
        self.place(key, value);
        self.filled += 1;
    }

    fn place(&mut self, key: Key, value: V) {
        let mask = self.slots.len() - 1;
        let mut i = key.hash() as usize & mask;
        while matches!(&self.slots[i], Some(s) if s.generation == self.generation) {
            i = (i + 1) & mask;
        }
        self.slots[i] = Some(Slot {
            key,
            generation: self.generation,
            value,
        });
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(64);
        let old = std::mem::replace(&mut self.slots, (0..size).map(|_| None).collect());
        let generation = self.generation;
        for s in old.into_iter().flatten() {
            if s.generation == generation {
                self.place(s.key, s.value);
            }
        }
    }

    /// Forget every name (the namespace bindings changed): a new
    /// generation, so the cost does not depend on the table's size.
    pub fn clear(&mut self) {
        self.long.clear();
        self.filled = 0;
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // Wrapped: slots of generation 0 would look filled again.
            self.slots.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_every_length_are_told_apart() {
        let names: Vec<String> = (0..=30)
            .flat_map(|n| {
                // Same length, one byte different at each position.
                (0..n.max(1)).map(move |at| {
                    let mut s = vec![b'a'; n];
                    if n > 0 {
                        s[at] = b'b';
                    }
                    String::from_utf8(s).unwrap()
                })
            })
            .chain((0..30).map(|n| "a".repeat(n)))
            .collect();
        let mut cache = NameCache::default();
        for (i, n) in names.iter().enumerate() {
            if cache.get(n.as_bytes()).is_none() {
                cache.insert(n.as_bytes(), i);
            }
        }
        for n in &names {
            let first = names.iter().position(|m| m == n).unwrap();
            assert_eq!(cache.get(n.as_bytes()), Some(&first), "{n}");
        }
        assert_eq!(cache.get(b"w:unknownName"), None);
    }

    #[test]
    fn cleared_names_are_gone_and_can_come_back() {
        let mut cache = NameCache::default();
        cache.insert(b"w:p", 1);
        cache.insert(b"mc:AlternateContentWithAVeryLongName", 2);
        cache.clear();
        assert_eq!(cache.get(b"w:p"), None);
        assert_eq!(cache.get(b"mc:AlternateContentWithAVeryLongName"), None);
        cache.insert(b"w:p", 3);
        assert_eq!(cache.get(b"w:p"), Some(&3));
        // Many generations and many names: growth keeps only the current ones.
        for g in 0..100 {
            cache.clear();
            for i in 0..50 {
                cache.insert(format!("w:n{i}").as_bytes(), g * 100 + i);
            }
        }
        assert_eq!(cache.get(b"w:n49"), Some(&9949));
        assert_eq!(cache.get(b"w:p"), None);
    }

    /// Every pair of strings of up to 18 bytes over two letters (and a
    /// sample past the keyed 24): `same` answers as `==` does.
    #[test]
    fn same_answers_as_slice_equality() {
        let mut words: Vec<Vec<u8>> = Vec::new();
        for len in (0..=18usize).chain([24, 25, 30]) {
            // Every word of up to 8 bytes; of longer ones, a sample.
            let count = if len <= 8 { 1u64 << len } else { 64 };
            for code in 0..count {
                let bits = if len <= 8 {
                    code
                } else {
                    code.wrapping_mul(0x9E37_79B9_7F4A_7C15)
                };
                words.push(
                    (0..len)
                        .map(|k| if bits >> k & 1 == 1 { b'b' } else { b'a' })
                        .collect(),
                );
            }
        }
        for a in &words {
            for b in words
                .iter()
                .filter(|b| b.len() == a.len() || b.len() + 1 == a.len())
            {
                assert_eq!(same(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }
}

//! Candidate pairs without comparing all pairs: MinHash signatures over
//! character n-grams, cut into bands; keys whose band agrees share a bucket.
//! Bigrams keep word order but change a lot with one typo in a short line
//! (`廉洁自律` / `廉洁人律` share one bigram of five), so short keys also get
//! a family of bands over single characters (three of five shared).
//!
//! Bucketing sorts (band hash, key) pairs once per band instead of keeping a
//! general LSH index: one flat allocation per band, no per-bucket maps, and
//! the sort order makes the result independent of thread scheduling.

use rayon::prelude::*;

/// Marks "this key shares no bucket in this band with any other key".
pub(crate) const NO_BUCKET: u32 = u32::MAX;

/// Bucket of every (key, band), for keys in the order given.
pub(crate) struct Buckets {
    pub bands: usize,
    /// `bucket_of[key * bands + band]`: a bucket id, or [`NO_BUCKET`].
    pub bucket_of: Vec<u32>,
    pub bucket_count: usize,
}

impl Buckets {
    pub fn of(&self, key: usize) -> &[u32] {
        let start = key * self.bands;
        self.bucket_of.get(start..start + self.bands).unwrap_or(&[])
    }
}

/// One set of bands: `bands` bands of `rows` min-hashes over character
/// `ngram`s, for keys of 1 to `max_chars` characters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Family {
    pub ngram: usize,
    pub bands: usize,
    pub rows: usize,
    pub max_chars: usize,
}

impl Family {
    fn takes(&self, key: &[char]) -> bool {
        !key.is_empty() && key.len() <= self.max_chars
    }
}

/// Buckets of every key in every band of every family. Keys a family does
/// not take get [`NO_BUCKET`] in its bands. Keys with different `salts`
/// never share a bucket (the clustering salts with the clause count, since
/// lines with different clause counts are never near-duplicates).
pub(crate) fn buckets(keys: &[&[char]], salts: &[u64], families: &[Family]) -> Buckets {
    let bands: usize = families.iter().map(|f| f.bands).sum();
    // (family, band within the family) of every band.
    let band_family: Vec<(usize, usize)> = families
        .iter()
        .enumerate()
        .flat_map(|(i, f)| (0..f.bands).map(move |b| (i, b)))
        .collect();
    let seeds: Vec<Vec<Seed>> = families
        .iter()
        .enumerate()
        .map(|(i, f)| {
            (0..(f.bands * f.rows) as u64)
                .map(|h| {
                    let base = 0xD1B5_4A32_D192_ED03 ^ ((i as u64) << 32) ^ (h << 1);
                    Seed {
                        times: mix(base) | 1,
                        plus: mix(base ^ 1),
                    }
                })
                .collect()
        })
        .collect();

    // Band hashes of every key, computed in parallel into fixed slots.
    let mut band_hash = vec![0u64; keys.len() * bands];
    band_hash
        .par_chunks_mut(bands.max(1))
        .zip(keys.par_iter().zip(salts.par_iter()))
        .for_each(|(out, (key, &salt))| {
            let mut offset = 0;
            for (f, seeds) in families.iter().zip(&seeds) {
                if f.takes(key) {
                    signature_bands(
                        key,
                        f.ngram,
                        f.rows,
                        seeds,
                        &mut out[offset..offset + f.bands],
                    );
                }
                offset += f.bands;
            }
            if salt != 0 {
                for h in out.iter_mut() {
                    *h = mix(*h ^ salt);
                }
            }
        });

    // One sorted run per band; equal neighbours form a bucket. An entry is
    // the band hash's high bits with the key in the low bits, so a band
    // sorts plain integers (half the bytes of (hash, key) pairs, and the
    // sort was half of this function's time). Two band hashes that agree
    // in their high bits only (44 of 64 for a million keys: about one such
    // pair in 20 bands) put two keys in one bucket by accident; that only
    // adds a candidate pair, which verification judges like any other.
    let key_bits = usize::BITS - keys.len().leading_zeros();
    let key_mask = (1u64 << key_bits) - 1;
    let per_band: Vec<BandBuckets> = band_family
        .par_iter()
        .enumerate()
        .map(|(band, &(family, _))| {
            let mut entries: Vec<u64> = (0..keys.len())
                .filter(|&k| families[family].takes(keys[k]))
                .map(|k| band_hash[k * bands + band] & !key_mask | k as u64)
                .collect();
            entries.par_sort_unstable();
            let mut members = Vec::new();
            let mut firsts = Vec::new();
            let mut i = 0;
            while i < entries.len() {
                let hash = entries[i] & !key_mask;
                let mut j = i + 1;
                while j < entries.len() && entries[j] & !key_mask == hash {
                    j += 1;
                }
                if j - i > 1 {
                    let local = firsts.len() as u32;
                    members.extend(
                        entries[i..j]
                            .iter()
                            .map(|&e| ((e & key_mask) as u32, local)),
                    );
                    firsts.push((entries[i] & key_mask) as u32);
                }
                i = j;
            }
            (members, firsts)
        })
        .collect();

    // Buckets are numbered by their first key, then band: the caller
    // passes keys most frequent first, so the buckets of one key (a leader,
    // typically) are numbered together and a near-duplicate looking up its
    // bands reads a few neighbouring entries rather than one in every
    // corner of the table. A key is the first of at most one bucket per
    // band, so counting buckets per first key and handing out numbers band
    // by band is that order without a sort.
    let mut next = vec![0u32; keys.len() + 1];
    for (_, firsts) in &per_band {
        for &k in firsts {
            next[k as usize + 1] += 1;
        }
    }
    for k in 1..next.len() {
        next[k] += next[k - 1];
    }
    let total = next[keys.len()] as usize;
    let global: Vec<Vec<u32>> = per_band
        .iter()
        .map(|(_, firsts)| {
            firsts
                .iter()
                .map(|&k| {
                    let id = next[k as usize];
                    next[k as usize] += 1;
                    id
                })
                .collect()
        })
        .collect();
    drop(next);

    let mut bucket_of = vec![NO_BUCKET; keys.len() * bands];
    for (band, ((members, _), global)) in per_band.iter().zip(&global).enumerate() {
        for &(key, local) in members {
            bucket_of[key as usize * bands + band] = global[local as usize];
        }
    }
    Buckets {
        bands,
        bucket_of,
        bucket_count: total,
    }
}

/// The buckets of one band: (key, bucket within the band) of every member,
/// and each bucket's first (lowest-numbered) key.
type BandBuckets = (Vec<(u32, u32)>, Vec<u32>);

/// One of a signature's hash functions: `x × times + plus` (wrapping) of
/// a shingle's hash `x`. Multiply-add is universal in its high bits, which
/// decide the minimum, and costs two instructions where a full mix per
/// (shingle, function) cost about ten: the signatures were a fifth of the
/// clustering's time.
#[derive(Clone, Copy)]
struct Seed {
    times: u64,
    plus: u64,
}

/// Writes the `bands` band hashes of one key into `out`.
fn signature_bands(key: &[char], ngram: usize, rows: usize, seeds: &[Seed], out: &mut [u64]) {
    let mut mins = [u64::MAX; 128];
    let mut heap;
    let mins: &mut [u64] = if seeds.len() <= mins.len() {
        &mut mins[..seeds.len()]
    } else {
        heap = vec![u64::MAX; seeds.len()];
        &mut heap
    };
    let mut take = |x: u64| {
        for (m, seed) in mins.iter_mut().zip(seeds) {
            *m = (*m).min(x.wrapping_mul(seed.times).wrapping_add(seed.plus));
        }
    };
    if key.len() <= ngram {
        take(shingle_hash(key));
    } else {
        key.windows(ngram).map(shingle_hash).for_each(&mut take);
    }
    for (band, (slot, rows_mins)) in out.iter_mut().zip(mins.chunks(rows)).enumerate() {
        let mut h = mix(band as u64);
        for &m in rows_mins {
            h = mix(h ^ m);
        }
        *slot = h;
    }
}

fn shingle_hash(chars: &[char]) -> u64 {
    chars
        .iter()
        .fold(0x51_7CC1_B727_220Au64, |h, &c| mix(h ^ c as u64))
}

/// splitmix64's finaliser: cheap, well mixed, the same on every machine.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn near_duplicates_share_a_bucket_and_strangers_do_not() {
        let texts = [
            "加强内部监管,落实责任追究",
            "加强内部单簧管,落实责任追究",
            "建立受理单制度",
            "",
        ];
        let owned: Vec<Vec<char>> = texts.iter().map(|t| chars(t)).collect();
        let keys: Vec<&[char]> = owned.iter().map(|k| k.as_slice()).collect();
        let family = Family {
            ngram: 2,
            bands: 24,
            rows: 2,
            max_chars: 300,
        };
        let b = buckets(&keys, &[0; 4], &[family]);
        let shared = |x: usize, y: usize| {
            b.of(x)
                .iter()
                .zip(b.of(y))
                .any(|(p, q)| *p != NO_BUCKET && p == q)
        };
        assert!(shared(0, 1));
        assert!(!shared(0, 2));
        assert!(b.of(3).iter().all(|&x| x == NO_BUCKET));
    }
}

//! CID → Unicode for the Chinese character collections (Adobe-GB1 for
//! simplified, Adobe-CNS1 for traditional), used when an `Identity-H` font
//! has no `ToUnicode` map. Data: `data/README.md`.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    Gb1,
    Cns1,
}

impl Collection {
    /// From a CIDFont's `CIDSystemInfo` `Ordering`.
    pub fn from_ordering(ordering: &[u8]) -> Option<Collection> {
        match ordering {
            b"GB1" => Some(Collection::Gb1),
            b"CNS1" => Some(Collection::Cns1),
            _ => None,
        }
    }
}

static GB1: &[u8] = include_bytes!("data/adobe-gb1.bin");
static CNS1: &[u8] = include_bytes!("data/adobe-cns1.bin");

fn run(data: &[u8], i: usize) -> (u32, u32, u32) {
    let at = |k: usize| u16::from_le_bytes([data[i * 6 + k], data[i * 6 + k + 1]]) as u32;
    (at(0), at(2), at(4))
}

pub fn lookup(c: Collection, cid: u32) -> Option<char> {
    let data = match c {
        Collection::Gb1 => GB1,
        Collection::Cns1 => CNS1,
    };
    let n = data.len() / 6;
    // The last run starting at or before `cid`.
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if run(data, mid).0 <= cid {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    let (first, uni, len) = run(data, lo.checked_sub(1)?);
    (cid < first + len).then(|| char::from_u32(uni + cid - first))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_cids() {
        // CID 1 is the space and 34 'A' in both; 廉 is GB1 2551 and CNS1 3585.
        assert_eq!(lookup(Collection::Gb1, 1), Some(' '));
        assert_eq!(lookup(Collection::Gb1, 34), Some('A'));
        assert_eq!(lookup(Collection::Cns1, 34), Some('A'));
        assert_eq!(lookup(Collection::Gb1, 2551), Some('廉'));
        assert_eq!(lookup(Collection::Cns1, 3585), Some('廉'));
        assert_eq!(lookup(Collection::Gb1, 999_999), None);
    }
}

//! Edit distance with a cut-off.
//!
//! strsim's `levenshtein` fills the whole n×m table and allocates per call.
//! Verification only needs to know whether two keys are within k edits, and
//! most candidate pairs are not: a band of width 2k+1 around the diagonal
//! with an exit as soon as a whole row exceeds k is several times faster on
//! these short lines and reuses one buffer. Tests compare it with strsim.

/// Levenshtein distance between `a` and `b` in chars if it is at most `k`.
pub(crate) fn levenshtein_within(
    a: &[char],
    b: &[char],
    k: usize,
    buf: &mut Vec<usize>,
) -> Option<usize> {
    let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let (n, m) = (a.len(), b.len());
    if m - n > k {
        return None;
    }
    if n == 0 {
        return Some(m);
    }
    let inf = k + 1;
    buf.clear();
    buf.resize(2 * (m + 1), inf);
    let (mut prev, mut cur) = buf.split_at_mut(m + 1);
    for (j, cell) in prev.iter_mut().enumerate().take(k.min(m) + 1) {
        *cell = j;
    }
    for i in 1..=n {
        let lo = i.saturating_sub(k).max(1);
        let hi = (i + k).min(m);
        cur[lo - 1] = if lo == 1 && i <= k { i } else { inf };
        let mut row_min = cur[lo - 1];
        let ai = a[i - 1];
        for j in lo..=hi {
            let substitute = prev[j - 1] + usize::from(ai != b[j - 1]);
            let v = substitute.min(prev[j] + 1).min(cur[j - 1] + 1).min(inf);
            cur[j] = v;
            row_min = row_min.min(v);
        }
        // The next row reads one cell past this row's band.
        if hi < m {
            cur[hi + 1] = inf;
        }
        if row_min > k {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[m];
    (d <= k).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn known_distances() {
        let d = |a: &str, b: &str, k| levenshtein_within(&chars(a), &chars(b), k, &mut Vec::new());
        assert_eq!(d("故意刁难申请人", "故意刁难经办人", 2), Some(2));
        assert_eq!(d("故意刁难申请人", "故意刁难经办人", 1), None);
        assert_eq!(d("加强内部单簧管", "加强内部监管", 2), Some(2));
        assert_eq!(d("", "ab", 2), Some(2));
        assert_eq!(d("", "abc", 2), None);
        assert_eq!(d("abc", "abc", 0), Some(0));
    }

    #[test]
    fn agrees_with_strsim_on_random_strings() {
        // Small alphabet so that distances vary; fixed-seed generator.
        let alphabet = ['审', '查', '核', '批', 'a', 'b'];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut buf = Vec::new();
        for _ in 0..3000 {
            let la = (next() % 9) as usize;
            let lb = (next() % 9) as usize;
            let a: Vec<char> = (0..la).map(|_| alphabet[(next() % 6) as usize]).collect();
            let b: Vec<char> = (0..lb).map(|_| alphabet[(next() % 6) as usize]).collect();
            let k = (next() % 5) as usize;
            let sa: String = a.iter().collect();
            let sb: String = b.iter().collect();
            let exact = strsim::levenshtein(&sa, &sb);
            let want = (exact <= k).then_some(exact);
            assert_eq!(
                levenshtein_within(&a, &b, k, &mut buf),
                want,
                "{sa} {sb} k={k}"
            );
        }
    }
}

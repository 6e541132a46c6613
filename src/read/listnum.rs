//! List numbers as Office renders them: roman numerals, letters, Chinese
//! counting, full-width digits, enclosed numbers. Shared by the .docx
//! (`w:numFmt`), .doc (`nfc`) and spreadsheet-drawing (`a:buAutoNum`)
//! readers, which each map their own format codes onto these.

/// I, IV, XIV … (1–3999; others stay Arabic).
pub fn roman(n: i64, upper: bool) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    const TABLE: [(i64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut rest = n;
    let mut out = String::new();
    for (value, s) in TABLE {
        while rest >= value {
            out.push_str(s);
            rest -= value;
        }
    }
    if upper { out } else { out.to_lowercase() }
}

/// A … Z, then AA, BB … (Office repeats the letter, it does not carry).
pub fn letters(n: i64, upper: bool) -> String {
    if n < 1 {
        return n.to_string();
    }
    let base = if upper { b'A' } else { b'a' };
    let letter = (base + ((n - 1) % 26) as u8) as char;
    let times = ((n - 1) / 26 + 1).min(100) as usize;
    std::iter::repeat_n(letter, times).collect()
}

/// Chinese counting: 一 … 十, 十一, 二十, 一百零一, 一千 … 九万九千九百九十九;
/// `legal` uses 壹贰叁 and 拾佰仟 (壹拾, not 拾). Others stay Arabic.
pub fn chinese(n: i64, legal: bool) -> String {
    if !(0..100_000).contains(&n) {
        return n.to_string();
    }
    let digits: Vec<char> = if legal {
        "零壹贰叁肆伍陆柒捌玖".chars().collect()
    } else {
        "〇一二三四五六七八九".chars().collect()
    };
    let units: [&str; 5] = if legal {
        ["", "拾", "佰", "仟", "万"]
    } else {
        ["", "十", "百", "千", "万"]
    };
    if n == 0 {
        return digits.first().map(|c| c.to_string()).unwrap_or_default();
    }
    let ds: Vec<usize> = n.to_string().bytes().map(|b| (b - b'0') as usize).collect();
    let len = ds.len();
    let mut out = String::new();
    let mut pending_zero = false;
    for (i, &d) in ds.iter().enumerate() {
        let pos = len - 1 - i;
        if d == 0 {
            pending_zero = true;
            continue;
        }
        if pending_zero && !out.is_empty() {
            out.push('零');
        }
        pending_zero = false;
        // 十一, not 一十一, when ten is the leading unit.
        let skip_one = !legal && d == 1 && pos == 1 && i == 0;
        if !skip_one {
            out.push(digits.get(d).copied().unwrap_or('?'));
        }
        out.push_str(units.get(pos).copied().unwrap_or(""));
    }
    out
}

/// ASCII digits in `s` as full-width digits (12 → １２).
pub fn full_width_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(0xFF10 + d).unwrap_or(c),
            None => c,
        })
        .collect()
}

/// One character per decimal digit: 〇一二 (105 → 一〇五).
pub fn ideograph_digits(n: i64) -> String {
    n.to_string()
        .chars()
        .map(|c| {
            "〇一二三四五六七八九"
                .chars()
                .nth((c as u32).wrapping_sub('0' as u32) as usize)
                .unwrap_or(c)
        })
        .collect()
}

/// The `n`th character from `first` for 1..=`max` (① from U+2460, ⑴ from
/// U+2474, ⒈ from U+2488, ㈠ from U+3220); Arabic outside that range.
pub fn enclosed(n: i64, max: i64, first: char) -> String {
    if (1..=max).contains(&n) {
        char::from_u32(first as u32 + (n as u32 - 1))
            .map(String::from)
            .unwrap_or_else(|| n.to_string())
    } else {
        n.to_string()
    }
}

/// The `n`th character of a cyclic set (甲乙丙… or 子丑寅…), repeating.
pub fn cycle(n: i64, set: &str) -> String {
    let chars: Vec<char> = set.chars().collect();
    if n < 1 || chars.is_empty() {
        return n.to_string();
    }
    let i = ((n - 1) % chars.len() as i64) as usize;
    chars.get(i).map(|c| c.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_style() {
        assert_eq!(roman(14, true), "XIV");
        assert_eq!(roman(9, false), "ix");
        assert_eq!(roman(4000, true), "4000");
        assert_eq!(letters(28, true), "BB");
        assert_eq!(letters(2, false), "b");
        assert_eq!(chinese(10, false), "十");
        assert_eq!(chinese(11, false), "十一");
        assert_eq!(chinese(21, false), "二十一");
        assert_eq!(chinese(105, false), "一百零五");
        assert_eq!(chinese(1010, false), "一千零一十");
        assert_eq!(chinese(10, true), "壹拾");
        assert_eq!(chinese(12, true), "壹拾贰");
        assert_eq!(full_width_digits("12"), "１２");
        assert_eq!(ideograph_digits(105), "一〇五");
        assert_eq!(enclosed(1, 20, '\u{2460}'), "①");
        assert_eq!(enclosed(21, 20, '\u{2460}'), "21");
        assert_eq!(cycle(11, "甲乙丙丁戊己庚辛壬癸"), "甲");
    }
}

//! Byte → text decoding with encoding detection for .txt and .html files.
//!
//! The order of the checks (first hit wins):
//! 1. a byte-order mark (UTF-8, UTF-16LE, UTF-16BE), stripped;
//! 2. UTF-16 without a BOM, either by the zero-byte pattern (ASCII in UTF-16
//!    puts a zero in every other byte; few control characters) or, for
//!    Chinese-only UTF-16 with no ASCII at all, by plausibility: the input is
//!    not valid UTF-8 and, read in one byte order, at least 80 % of its code units are CJK ideographs,
//!    CJK/full-width punctuation or ASCII, the other byte order scores below
//!    half of that, and at least a fifth of the ideographs lie in U+4E00–U+7FFF
//!    (true of any Chinese text; not of Shift_JIS or GBK pairs, whose lead
//!    byte read as the high byte is always 0x81 or more);
//! 3. strict UTF-8 (a sequence cut off by the end of the file is tolerated);
//! 4. HTML only: a `<meta charset>` / `<meta http-equiv … charset=…>` or an
//!    XML declaration in the first 4 KB, trusted when it decodes without errors
//!    (a declared single-byte charset such as iso-8859-1 is not trusted for
//!    bytes that read cleanly as mostly-Chinese GB18030: a common lie);
//! 5. chardetng on the first 64 KB, no top-level-domain hint (the `cn` hint
//!    turns Big5 into GBK), UTF-8 not allowed (already ruled out);
//! 6. when the guess decodes with more than [`MAX_REPLACEMENTS_PER_MILLE`]
//!    U+FFFD per 1000 characters, GB18030 is tried and the decoding with fewer
//!    replacement characters is kept. When chardetng is unsure — it picks a
//!    single-byte encoding (typical for a few bytes of input) although the
//!    bytes decode cleanly as GB18030 to mostly Chinese characters — GB18030
//!    wins: these files are Chinese.
//!
//! GBK-labelled text that contains a four-byte GB18030 sequence is reported as
//! `GB18030`: GBK cannot encode those characters, so the file is GB18030.

use encoding_rs::{Encoding, GB18030, GBK, UTF_16BE, UTF_16LE};

/// How much of the input the detectors look at.
const SNIFF_BYTES: usize = 64 * 1024;
/// How far into an HTML file a charset declaration is looked for.
const META_BYTES: usize = 4 * 1024;
/// Replacement characters per 1000 decoded characters tolerated before the
/// GB18030 alternative is tried.
const MAX_REPLACEMENTS_PER_MILLE: usize = 3;

/// Decode a plain-text file: the text (BOM stripped) and the encoding name.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    decode_with(bytes, false)
}

/// [`decode`] without copying UTF-8 input (the usual case): for callers that
/// only read the text, such as `riskflow dedup` on a file of a million
/// lines, where the copy and a second validation were a tenth of a second.
pub fn decode_borrowed(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, &'static str) {
    if Encoding::for_bom(bytes).is_none()
        && let Ok(text) = std::str::from_utf8(bytes)
        && utf16_without_bom(&bytes[..bytes.len().min(SNIFF_BYTES)], true).is_none()
    {
        return (std::borrow::Cow::Borrowed(text), "UTF-8");
    }
    let (text, encoding) = decode(bytes);
    (std::borrow::Cow::Owned(text), encoding)
}

/// Decode an HTML file: like [`decode`], plus the page's own charset declaration.
pub fn decode_html(bytes: &[u8]) -> (String, &'static str) {
    decode_with(bytes, true)
}

fn decode_with(bytes: &[u8], html: bool) -> (String, &'static str) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        let (text, _) = encoding.decode_without_bom_handling(body);
        return (text.into_owned(), display_name(encoding));
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let utf8 = valid_utf8(bytes);
    if let Some(encoding) = utf16_without_bom(head, utf8) {
        return decode_as(bytes, encoding);
    }
    if utf8 {
        return (String::from_utf8_lossy(bytes).into_owned(), "UTF-8");
    }
    if html
        && let Some(encoding) = declared_charset(&bytes[..bytes.len().min(META_BYTES)])
        && !(encoding.is_single_byte() && mostly_chinese_as_gb18030(head))
        && let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(bytes)
    {
        let encoding = refine_gbk(encoding, bytes);
        return (text.into_owned(), display_name(encoding));
    }
    let guess = guess_legacy(head, bytes.len() <= SNIFF_BYTES);
    let (text, encoding) = decode_guessed(bytes, head, guess);
    (text, display_name(encoding))
}

/// Steps 5–6: decode with the detector's guess, or with GB18030 when the
/// guess leaves too many replacement characters or is an unsure single-byte one.
fn decode_guessed(
    bytes: &[u8],
    head: &[u8],
    guess: &'static Encoding,
) -> (String, &'static Encoding) {
    let guess = refine_gbk(guess, bytes);
    let (text, replacements) = decode_counting(bytes, guess);
    let chars = text.chars().count().max(1);
    let too_many = replacements * 1000 > chars * MAX_REPLACEMENTS_PER_MILLE;
    let unsure = guess.is_single_byte() && mostly_chinese_as_gb18030(head);
    if too_many || unsure {
        let (alt, alt_replacements) = decode_counting(bytes, GB18030);
        if alt_replacements < replacements || unsure && alt_replacements == 0 {
            return (alt, GB18030);
        }
    }
    (text, guess)
}

/// The name recorded on the Source: encoding_rs names, except that GB18030 is
/// spelled the way people write it.
fn display_name(encoding: &'static Encoding) -> &'static str {
    if encoding == GB18030 {
        "GB18030"
    } else {
        encoding.name()
    }
}

fn decode_as(bytes: &[u8], encoding: &'static Encoding) -> (String, &'static str) {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    (text.into_owned(), display_name(encoding))
}

fn decode_counting(bytes: &[u8], encoding: &'static Encoding) -> (String, usize) {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let replacements = if had_errors {
        text.chars().filter(|&c| c == '\u{FFFD}').count()
    } else {
        0
    };
    (text.into_owned(), replacements)
}

/// Valid UTF-8, allowing only a multi-byte sequence cut off by the end of the
/// input (a file truncated mid-character is still a UTF-8 file).
fn valid_utf8(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4,
    }
}

/// Whether the first bytes of a file without a BOM look like UTF-16 by the
/// rules above (zero-byte pattern, or Chinese plausibility when not UTF-8).
/// For format sniffing: Chinese UTF-16 has too few ASCII zeros for a
/// "one byte in two is zero" test.
pub fn looks_like_utf16(head: &[u8]) -> bool {
    let head = &head[..head.len().min(SNIFF_BYTES)];
    utf16_without_bom(head, valid_utf8(head)).is_some()
}

/// Step 2: the zero-byte pattern, then (only for input that is not UTF-8)
/// Chinese plausibility.
fn utf16_without_bom(head: &[u8], utf8: bool) -> Option<&'static Encoding> {
    utf16_by_zeros(head).or_else(|| {
        if utf8 {
            None
        } else {
            utf16_by_plausibility(head)
        }
    })
}

/// UTF-16 by the zero-byte pattern: ASCII (digits, newlines, spaces) in
/// UTF-16LE leaves a zero at every odd offset, in UTF-16BE at every even one.
/// At least one code unit in ten carries such a zero, the other side has at
/// most a quarter as many (CJK characters like 一 U+4E00 put a few there), and
/// at most one unit in twenty is a control character.
fn utf16_by_zeros(head: &[u8]) -> Option<&'static Encoding> {
    let units = head.len() / 2;
    if units == 0 {
        return None;
    }
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let (encoding, unit): (_, fn([u8; 2]) -> u16) = if odd * 10 >= units && even * 4 <= odd {
        (UTF_16LE, u16::from_le_bytes)
    } else if even * 10 >= units && odd * 4 <= even {
        (UTF_16BE, u16::from_be_bytes)
    } else {
        return None;
    };
    // Binary data (small integers, NUL padding) has the zeros but reads as
    // control characters; text has almost none besides tab, CR, LF, FF.
    let controls = head
        .chunks_exact(2)
        .map(|pair| unit([pair[0], pair[1]]))
        .filter(|&u| u < 0x20 && !matches!(u, 0x09 | 0x0A | 0x0C | 0x0D))
        .count();
    (controls * 20 <= units).then_some(encoding)
}

/// UTF-16 by plausibility, for Chinese text with no ASCII (so no zero bytes).
/// Only asked when the input is not UTF-8: lowercase ASCII read as UTF-16
/// looks like CJK ideographs too.
fn utf16_by_plausibility(head: &[u8]) -> Option<&'static Encoding> {
    if head.len() < 4 {
        return None;
    }
    let le = plausible_share(head, u16::from_le_bytes);
    let be = plausible_share(head, u16::from_be_bytes);
    if le >= 80 && be * 2 < le {
        Some(UTF_16LE)
    } else if be >= 80 && le * 2 < be {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Percentage of the code units that belong to Chinese text; 0 when the
/// ideographs are not spread the way Chinese ideographs are.
fn plausible_share(head: &[u8], unit: fn([u8; 2]) -> u16) -> usize {
    let mut total = 0;
    let mut good = 0;
    let mut ideographs = 0;
    let mut low_ideographs = 0;
    for pair in head.chunks_exact(2) {
        let u = unit([pair[0], pair[1]]);
        total += 1;
        if is_chinese_text_unit(u) {
            good += 1;
        }
        if (0x4E00..=0x9FFF).contains(&u) {
            ideographs += 1;
            if u < 0x8000 {
                low_ideographs += 1;
            }
        }
    }
    if low_ideographs * 5 < ideographs {
        return 0;
    }
    good * 100 / total.max(1)
}

fn is_chinese_text_unit(u: u16) -> bool {
    matches!(u,
        0x0009 | 0x000A | 0x000C | 0x000D | 0x0020..=0x007E
        | 0x2000..=0x206F // general punctuation: “ ” — …
        | 0x2460..=0x24FF // circled numbers ①
        | 0x3000..=0x303F // CJK punctuation 、。《》
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xFF00..=0xFFEF // full-width forms （）：；
    )
}

/// The charset an HTML page declares for itself in its first bytes:
/// `<meta charset=…>`, `<meta http-equiv=… content="…charset=…">`, or an
/// XML declaration's `encoding=`. UTF-16 labels are ignored (a page whose
/// bytes got this far is not UTF-16, whatever it says).
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut labels = Vec::new();
    if lower.starts_with(b"<?xml")
        && let Some(end) = find(&lower, b"?>", 0)
    {
        labels.extend(value_after(&lower[..end], b"encoding"));
    }
    let mut at = 0;
    while let Some(start) = find(&lower, b"<meta", at) {
        let end = find(&lower, b">", start).unwrap_or(lower.len());
        labels.extend(value_after(&lower[start..end], b"charset"));
        at = end;
    }
    labels
        .into_iter()
        .filter_map(Encoding::for_label)
        .find(|&e| e != UTF_16LE && e != UTF_16BE)
}

/// The value following `key` (then optional spaces, `=`, spaces, quote) in a tag.
fn value_after<'a>(tag: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let at = find(tag, key, 0)? + key.len();
    let rest = tag.get(at..)?;
    let rest = trim_start(rest);
    let rest = trim_start(rest.strip_prefix(b"=")?);
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let len = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':')))
        .unwrap_or(rest.len());
    (len > 0).then(|| &rest[..len])
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &s[n..]
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// chardetng's guess for non-UTF-8 bytes, with no TLD hint.
fn guess_legacy(head: &[u8], whole: bool) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(head, whole);
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

/// GBK that uses four-byte GB18030 sequences is really GB18030.
fn refine_gbk(encoding: &'static Encoding, bytes: &[u8]) -> &'static Encoding {
    if encoding == GBK && has_four_byte_gb18030(bytes) {
        GB18030
    } else {
        encoding
    }
}

/// Whether the bytes, walked as GB18030, contain a four-byte sequence
/// (lead 0x81–0xFE, then a digit 0x30–0x39, lead, digit).
fn has_four_byte_gb18030(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        match (bytes.get(i + 1), bytes.get(i + 2), bytes.get(i + 3)) {
            (Some(0x30..=0x39), Some(0x81..=0xFE), Some(0x30..=0x39)) if b >= 0x81 => {
                return true;
            }
            _ => i += 2,
        }
    }
    false
}

/// For a single-byte guess: do the non-ASCII bytes decode
/// cleanly as GB18030, and are most of the resulting characters Chinese?
fn mostly_chinese_as_gb18030(head: &[u8]) -> bool {
    let (text, had_errors) = GB18030.decode_without_bom_handling(head);
    if had_errors && !truncated_tail_only(&text) {
        return false;
    }
    let non_ascii: Vec<char> = text.chars().filter(|c| !c.is_ascii()).collect();
    let chinese = non_ascii
        .iter()
        .filter(|&&c| c <= '\u{FFFF}' && is_chinese_text_unit(c as u16))
        .count();
    !non_ascii.is_empty() && chinese * 10 >= non_ascii.len() * 8
}

/// The only replacement character is the last one (the sniffed prefix cut a
/// character in two).
fn truncated_tail_only(text: &str) -> bool {
    let mut it = text.char_indices().filter(|&(_, c)| c == '\u{FFFD}');
    match (it.next(), it.next()) {
        (Some((at, _)), None) => at + '\u{FFFD}'.len_utf8() == text.len(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{BIG5, EUC_KR, SHIFT_JIS};

    const ZH: &str = "行政职权运行流程图示例\n一、廉政风险点:\n1.在文件运转管理方面，存在未及时将文件报送领导审批的风险。\n";

    fn utf16(s: &str, le: bool) -> Vec<u8> {
        s.encode_utf16()
            .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
            .collect()
    }

    #[test]
    fn byte_order_marks_are_stripped() {
        assert_eq!(
            decode(b"\xEF\xBB\xBF\xE9\xA3\x8E\xE9\x99\xA9"),
            ("风险".to_string(), "UTF-8")
        );
        assert_eq!(
            decode(b"\xFF\xFE\xCE\x98\x69\x96"),
            ("风险".to_string(), "UTF-16LE")
        );
        assert_eq!(
            decode(b"\xFE\xFF\x98\xCE\x96\x69"),
            ("风险".to_string(), "UTF-16BE")
        );
    }

    #[test]
    fn borrowed_decoding_is_the_same_decoding() {
        let s = "风险点1（B级）\n风险点2（C级）\n";
        let (gbk, _, _) = GBK.encode(s);
        for bytes in [
            s.as_bytes().to_vec(),
            utf16(s, true),
            gbk.into_owned(),
            [b"\xEF\xBB\xBF".as_slice(), s.as_bytes()].concat(),
        ] {
            let (text, encoding) = decode_borrowed(&bytes);
            assert_eq!((text.into_owned(), encoding), decode(&bytes));
        }
        assert!(matches!(
            decode_borrowed(s.as_bytes()).0,
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn utf16_without_bom_by_zero_bytes() {
        let s = "风险点1（B级）\n风险点2（C级）\n";
        assert_eq!(decode(&utf16(s, true)), (s.to_string(), "UTF-16LE"));
        assert_eq!(decode(&utf16(s, false)), (s.to_string(), "UTF-16BE"));
    }

    #[test]
    fn utf16_without_bom_by_plausibility() {
        let s = "廉政风险点防控清单，岗位廉政风险表。风险等级：高";
        let le = utf16(s, true);
        assert!(
            !le.contains(&0),
            "the rule under test is the no-zero-byte one"
        );
        assert_eq!(decode(&le), (s.to_string(), "UTF-16LE"));
        assert_eq!(decode(&utf16(s, false)), (s.to_string(), "UTF-16BE"));
    }

    #[test]
    fn legacy_cjk_is_not_mistaken_for_utf16() {
        let kana = "リスク管理の手順について説明します。";
        let sjis = SHIFT_JIS.encode(kana).0.into_owned();
        assert_eq!(decode(&sjis), (kana.to_string(), "Shift_JIS"));
        let hangul = "위험 관리 절차에 대해 설명합니다.";
        let euc_kr = EUC_KR.encode(hangul).0.into_owned();
        assert_eq!(decode(&euc_kr), (hangul.to_string(), "EUC-KR"));
        let gbk = GBK.encode(ZH).0.into_owned();
        assert_eq!(decode(&gbk), (ZH.to_string(), "GBK"));
    }

    #[test]
    fn ascii_letters_stay_utf8() {
        // Read as UTF-16 these would be CJK ideographs ("he" = U+6865).
        assert_eq!(decode(b"hello world"), ("hello world".to_string(), "UTF-8"));
    }

    #[test]
    fn utf8_cut_mid_character_is_still_utf8() {
        let mut b = "风险等级：高".as_bytes().to_vec();
        b.truncate(b.len() - 1);
        assert_eq!(decode(&b), ("风险等级：\u{FFFD}".to_string(), "UTF-8"));
    }

    #[test]
    fn big5_without_hint() {
        let tw = "流程 關鍵環節 廉政風險點及等級 防控措施 責任主體\n";
        let big5 = BIG5.encode(tw).0.into_owned();
        assert_eq!(decode(&big5), (tw.to_string(), "Big5"));
    }

    #[test]
    fn four_byte_sequences_make_gbk_gb18030() {
        let s = format!("{ZH}㐀");
        let bytes = GB18030.encode(&s).0.into_owned();
        assert!(GBK.encode(&s).2, "GBK cannot encode 㐀");
        assert_eq!(decode(&bytes), (s, "GB18030"));
    }

    #[test]
    fn a_few_bytes_fall_back_to_gb18030() {
        // chardetng alone says ISO-8859-5 for these two bytes.
        assert_eq!(decode(&GBK.encode("高").0), ("高".to_string(), "GB18030"));
    }

    #[test]
    fn meta_charset_is_trusted_when_it_decodes() {
        let page = format!("<html><head><meta charset=\"gb2312\"></head><body>{ZH}</body></html>");
        let bytes = GBK.encode(&page).0.into_owned();
        assert_eq!(decode_html(&bytes), (page.clone(), "GBK"));
        let page =
            format!("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\">{ZH}");
        let traditional = "關鍵環節";
        let page = page.replace(ZH, traditional);
        let bytes = BIG5.encode(&page).0.into_owned();
        assert_eq!(decode_html(&bytes), (page, "Big5"));
        let page =
            format!("<?xml version=\"1.0\" encoding=\"GB18030\"?><html><body>{ZH}</body></html>");
        let bytes = GB18030.encode(&page).0.into_owned();
        assert_eq!(decode_html(&bytes), (page, "GB18030"));
    }

    #[test]
    fn lying_meta_falls_through() {
        let page = format!("<html><head><meta charset=\"utf-8\"></head><body>{ZH}</body></html>");
        let bytes = GBK.encode(&page).0.into_owned();
        assert_eq!(decode_html(&bytes), (page, "GBK"));
    }

    #[test]
    fn a_declared_utf16_page_is_not_utf16() {
        let page = format!("<meta charset=\"utf-16\">{ZH}");
        let bytes = GBK.encode(&page).0.into_owned();
        assert_eq!(decode_html(&bytes), (page, "GBK"));
    }

    #[test]
    fn truncated_and_garbled_sequences_do_not_panic() {
        for bytes in [
            &b"\xE9\xA3"[..],
            b"\xFF\xFE\xCE",
            b"\xFE\xFF\x98",
            b"\x81\x30\x81",
            b"\xB8\xDF\x81",
            b"\xA4",
            b"<meta charset=",
            b"<meta charset='gbk' \xB8",
            b"\x00",
        ] {
            let (text, name) = decode_html(bytes);
            assert!(!name.is_empty());
            assert!(text.chars().count() <= bytes.len());
        }
    }

    #[test]
    fn a_bad_guess_loses_to_gb18030() {
        let bytes = GBK.encode(ZH).0.into_owned();
        let (text, encoding) = decode_guessed(&bytes, &bytes, SHIFT_JIS);
        assert_eq!((text.as_str(), encoding), (ZH, GB18030));
        let (_, encoding) = decode_guessed(&bytes, &bytes, encoding_rs::WINDOWS_1251);
        assert_eq!(encoding, GB18030);
        let (text, encoding) = decode_guessed(&bytes, &bytes, GBK);
        assert_eq!((text.as_str(), encoding), (ZH, GBK));
    }

    #[test]
    fn a_declared_latin1_chinese_page_is_detected() {
        let page = format!("<meta charset=\"iso-8859-1\">{ZH}");
        let bytes = GBK.encode(&page).0.into_owned();
        assert_eq!(decode_html(&bytes), (page, "GBK"));
        let french = "<meta charset=\"iso-8859-1\">Le café est très élevé à Noël, déjà.";
        let bytes = encoding_rs::WINDOWS_1252.encode(french).0.into_owned();
        assert_eq!(decode_html(&bytes), (french.to_string(), "windows-1252"));
    }

    #[test]
    fn binary_with_zeros_is_not_utf16() {
        let words: Vec<u8> = (0u16..200).flat_map(|n| (n % 7).to_le_bytes()).collect();
        assert!(!looks_like_utf16(&words));
        let s = "风险点1（B级）\n一、风险点2（C级）\n";
        assert!(looks_like_utf16(&utf16(s, true)));
        assert!(looks_like_utf16(&utf16(s, false)));
        assert!(!looks_like_utf16(s.as_bytes()));
    }

    #[test]
    fn too_many_replacements_try_gb18030() {
        // Valid GBK with stray bytes sprinkled in: whatever the guess, the
        // result must be the decoding with the fewest replacement characters.
        let mut bytes = GBK.encode(ZH).0.into_owned();
        bytes.insert(6, 0xFF);
        let (text, name) = decode(&bytes);
        assert_eq!(name, "GBK");
        assert_eq!(text.matches('\u{FFFD}').count(), 1);
        assert!(text.ends_with("领导审批的风险。\n"));
    }
}

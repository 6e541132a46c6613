//! RTF character sets (`\fcharset`) and code pages (`\ansicpg`, `\cpg`)
//! as encodings.

use encoding_rs::Encoding;

/// `\fcharset` → encoding (Windows character sets).
pub fn charset_encoding(cs: i32) -> Option<&'static Encoding> {
    let cp = match cs {
        0 | 1 => 1252,
        2 => return None, // Symbol
        77 => 10000,
        128 => 932,
        129 => 949,
        134 => 936,
        136 => 950,
        161 => 1253,
        162 => 1254,
        163 => 1258,
        177 => 1255,
        178 => 1256,
        186 => 1257,
        204 => 1251,
        222 => 874,
        238 => 1250,
        _ => return None,
    };
    codepage_encoding(cp)
}

/// Windows code page → encoding.
pub fn codepage_encoding(cp: i32) -> Option<&'static Encoding> {
    let label = match cp {
        936 | 54_936 => "gbk",
        950 => "big5",
        932 => "shift_jis",
        949 => "euc-kr",
        874 => "windows-874",
        1250..=1258 => return Encoding::for_label(format!("windows-{cp}").as_bytes()),
        10_000 => "macintosh",
        65_001 => "utf-8",
        437 | 850 => "windows-1252",
        _ => return None,
    };
    Encoding::for_label(label.as_bytes())
}

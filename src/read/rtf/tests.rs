use super::*;
use crate::document::Rect;

fn gbk(s: &str) -> String {
    let (b, _, _) = encoding_rs::GBK.encode(s);
    b.iter().map(|c| format!("\\'{c:02x}")).collect()
}

fn doc(body: &str) -> Vec<u8> {
    format!(
        "{{\\rtf1\\ansi\\ansicpg936\\deff0{{\\fonttbl{{\\f0\\froman\\fcharset0 Times New Roman;}}{{\\f1\\fnil\\fcharset134 {};}}}}\
         \\paperw11906\\paperh16838\\margl1800\\margr1800\\margt1440\\margb1440\n{body}}}",
        gbk("宋体")
    )
    .into_bytes()
}

fn texts(d: &Document) -> Vec<String> {
    d.blocks.iter().map(|b| b.text.clone()).collect()
}

#[test]
fn gbk_bytes_unicode_escapes_and_fallbacks() {
    // GBK bytes in a \fcharset134 font; \u with one and two fallback bytes;
    // a surrogate pair; a \listtext label as Word rendered it.
    let body = format!(
        "\\pard\\plain\\f1\\fs21 {}\\par \\pard{{\\listtext\\f1 1.\\tab}}\\uc1\\u21463?\\uc2\\u29702\\'c0\\'ed\\uc1\\u-10179 ?\\u-8704 ?\\par}}",
        gbk("申    请")
    );
    let d = read(&doc(&body), &Limits::default()).unwrap();
    assert_eq!(texts(&d), ["申    请", "1.\t受理😀"]);
    assert_eq!(d.encoding.as_deref(), Some("GBK"));
    // A Western document's bytes are Windows-1252.
    let d = read(
        b"{\\rtf1\\ansi\\ansicpg1252 caf\\'e9\\par}",
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(texts(&d), ["caf\u{e9}"]);
}

#[test]
fn shapes_are_placed_from_their_anchors() {
    // Two boxes: one from the page, one from its paragraph (which starts one
    // 10.5 pt line below the top margin), and a group of two children whose
    // child coordinates are scaled into the group's rectangle.
    let shape = |pos: &str, text: &str| {
        format!(
            "{{\\shp{{\\*\\shpinst{pos}{{\\sp{{\\sn shapeType}}{{\\sv 202}}}}{{\\shptxt\\pard\\f1 {}\\par}}}}{{\\shprslt{{\\pict\\wmetafile8 0102}}}}}}",
            gbk(text)
        )
    };
    let body = format!(
        "\\pard\\f1\\fs21 {}\\par\\pard\\fs21 {}{}\\par\\pard\\fs21 {{\\shpgrp{{\\*\\shpinst\\shpleft0\\shptop0\\shpright2000\\shpbottom1000\\shpbxpage\\shpbypage{{\\sp{{\\sn groupLeft}}{{\\sv 0}}}}{{\\sp{{\\sn groupTop}}{{\\sv 0}}}}{{\\sp{{\\sn groupRight}}{{\\sv 4000}}}}{{\\sp{{\\sn groupBottom}}{{\\sv 2000}}}}{}{}}}}}\\par}}",
        gbk("职权名称：登记"),
        shape(
            "\\shpleft1000\\shptop2000\\shpright3000\\shpbottom2500\\shpbxpage\\shpbypage",
            "受理"
        ),
        shape(
            "\\shpleft0\\shptop100\\shpright2000\\shpbottom600\\shpbxmargin\\shpbypara",
            "风险等级：中"
        ),
        shape(
            "{\\sp{\\sn relLeft}{\\sv 2000}}{\\sp{\\sn relTop}{\\sv 0}}{\\sp{\\sn relRight}{\\sv 4000}}{\\sp{\\sn relBottom}{\\sv 1000}}",
            "审核"
        ),
        shape(
            "{\\sp{\\sn posrelh}{\\sv 1}}{\\sp{\\sn posrelv}{\\sv 1}}",
            ""
        )
    );
    let d = read(&doc(&body), &Limits::default()).unwrap();
    assert_eq!(
        texts(&d),
        ["职权名称：登记", "受理", "风险等级：中", "审核"]
    );
    let r = |i: usize| d.blocks[i].rect.unwrap();
    let t = EMU_PER_TWIP;
    assert_eq!(
        r(1),
        Rect {
            x: 1000 * t,
            y: 2000 * t,
            w: 2000 * t,
            h: 500 * t
        }
    );
    assert_eq!(
        r(2),
        Rect {
            x: 1800 * t,
            y: 1440 * t + 173_355 + 100 * t,
            w: 2000 * t,
            h: 500 * t
        }
    );
    // Child space 4000×2000 onto 2000×1000 twips: halved.
    assert_eq!(
        r(3),
        Rect {
            x: 1000 * t,
            y: 0,
            w: 1000 * t,
            h: 500 * t
        }
    );
    assert!(d.blocks[1..].iter().all(|b| b.kind == BlockKind::TextBox));
}

#[test]
fn tables_pages_and_skipped_destinations() {
    let cell = |t: &str| format!("{}\\cell ", gbk(t));
    let body = format!(
        "{{\\*\\generator x;}}{{\\info{{\\title {}}}}}{{\\header\\pard 页眉\\par}}\
         \\trowd\\cellx2000\\cellx4000\\pard\\intbl {}{}\\row\
         \\trowd\\clvmgf\\cellx2000\\cellx4000\\pard\\intbl {}{}\\row\
         \\trowd\\clvmrg\\cellx2000\\cellx4000\\pard\\intbl {}{}\\row\
         \\pard {}{{\\field{{\\*\\fldinst PAGE}}{{\\fldrslt 1}}}}\\par\\page\\pard {}\\par",
        gbk("标题"),
        cell("环节"),
        cell("风险点"),
        cell("受理"),
        cell("不一次性告知"),
        cell(""),
        cell("超时办理"),
        gbk("第"),
        gbk("第二页"),
    );
    let d = read(&doc(&body), &Limits::default()).unwrap();
    let got: Vec<(String, u32, String)> = d
        .blocks
        .iter()
        .map(|b| {
            let k = match b.kind {
                BlockKind::Cell {
                    row, col, row_span, ..
                } => format!("{row},{col},{row_span}"),
                _ => "p".into(),
            };
            (b.text.clone(), b.page, k)
        })
        .collect();
    let want = [
        ("环节", 0, "0,0,1"),
        ("风险点", 0, "0,1,1"),
        ("受理", 0, "1,0,2"),
        ("不一次性告知", 0, "1,1,1"),
        ("超时办理", 0, "2,1,1"),
        ("第1", 0, "p"),
        ("第二页", 1, "p"),
    ];
    let want: Vec<(String, u32, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), *b, c.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn hostile_input_stops_cleanly() {
    let limits = Limits::default();
    // 200 000 nested groups: refused at the depth cap, no stack overflow.
    let mut deep = b"{\\rtf1 ".to_vec();
    deep.extend(std::iter::repeat_n(b'{', 200_000));
    assert!(matches!(read(&deep, &limits), Err(ReadError::Unreadable(m)) if m.contains("嵌套")));
    // Text before the cap is kept: partial.
    let mut partial = b"{\\rtf1 \\pard ok\\par ".to_vec();
    partial.extend(std::iter::repeat_n(b'{', 200_000));
    let d = read(&partial, &limits).unwrap();
    assert_eq!(texts(&d), ["ok"]);
    assert_eq!(d.issues.len(), 1);
    // Truncated (unclosed groups): partial with the text read.
    let d = read(b"{\\rtf1 {\\b abc", &limits).unwrap();
    assert_eq!(texts(&d), ["abc"]);
    assert!(d.issues[0].message.contains("截断"));
    // A \bin longer than the file, absurd numbers, a lone backslash.
    let d = read(b"{\\rtf1 x\\bin999999999 {}}", &limits).unwrap();
    assert_eq!(texts(&d), ["x"]);
    let r = read(
        b"{\\rtf1\\uc99999999999\\u99999999999 a\\fs-5 b\\shpleft5\\cellx-3\\cell\\row\\",
        &limits,
    );
    assert!(matches!(r, Err(ReadError::Unreadable(_))), "{r:?}");
    assert!(matches!(
        read(b"not rtf", &limits),
        Err(ReadError::Unreadable(_))
    ));
}

#[test]
fn word_95_drawing_objects_keep_their_text_and_place() {
    let body = format!(
        "\\pard\\f1 {{\\*\\do\\dobxpage\\dobypage\\dodhgt8192\\dptxbx{{\\dptxbxtext\\pard\\f1 {}\\par}}\\dpx1000\\dpy2000\\dpxsize3000\\dpysize500}}\\par}}",
        gbk("受理")
    );
    let d = read(&doc(&body), &Limits::default()).unwrap();
    assert_eq!(texts(&d), ["受理"]);
    let t = EMU_PER_TWIP;
    assert_eq!(
        d.blocks[0].rect,
        Some(Rect {
            x: 1000 * t,
            y: 2000 * t,
            w: 3000 * t,
            h: 500 * t
        })
    );
}

#[test]
fn a_shapes_fallback_copy_is_not_read() {
    let body = "{\\shp{\\*\\shpinst\\shpleft0\\shptop0\\shpright10\\shpbottom10{\\shptxt \\pard A\\par \\pard B\\par }}\
                {\\shprslt{\\*\\do\\dobxcolumn\\dobypara\\dptxbx{\\dptxbxtext \\pard A\\par}}}}\\par";
    let d = read(&doc(body), &Limits::default()).unwrap();
    assert_eq!(texts(&d), ["A\nB"]);
    assert_eq!(d.blocks[0].rect.map(|r| r.x), Some(1800 * EMU_PER_TWIP));
}

#[test]
fn cells_of_an_unclosed_row_are_kept() {
    let body = "\\trowd\\cellx2000\\cellx4000\\pard\\intbl A\\cell B\\cell \\pard C\\par";
    let d = read(&doc(body), &Limits::default()).unwrap();
    assert_eq!(texts(&d), ["A", "B", "C"]);
}

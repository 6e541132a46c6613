//! Hostile and broken inputs under `tests/data/hostile/`, each with the
//! status and findings the catalog must give it: encrypted OOXML and .doc,
//! a zip bomb, a truncated package, an entity bomb with an external entity,
//! absurdly deep nesting, an empty file, a .docx saved under a .doc name.

use std::io::{Cursor, Write};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// (file name, bytes, expected.json) for every hostile fixture.
pub fn files(a_real_docx: &[u8]) -> Vec<(String, Vec<u8>, Vec<u8>)> {
    vec![
        case(
            "encrypted_ooxml.docx",
            encrypted_ooxml(),
            "failed",
            &["source.encrypted"],
        ),
        case(
            "encrypted_word97.doc",
            encrypted_doc(),
            "failed",
            &["source.encrypted"],
        ),
        case(
            "zip_bomb.docx",
            zip_bomb(),
            "failed",
            &["source.unreadable"],
        ),
        case(
            "truncated.docx",
            a_real_docx[..a_real_docx.len() * 3 / 5].to_vec(),
            "failed",
            &["source.unreadable"],
        ),
        case("empty.docx", Vec::new(), "failed", &["source.empty"]),
        entity_bomb(),
        case(
            "deep_nesting.docx",
            deep_nesting(),
            "failed",
            &["source.unreadable"],
        ),
    ]
}

fn case(name: &str, bytes: Vec<u8>, status: &str, codes: &[&str]) -> (String, Vec<u8>, Vec<u8>) {
    let findings: Vec<serde_json::Value> = codes
        .iter()
        .map(|c| serde_json::json!({"code": c, "chart": null, "evidence": ""}))
        .collect();
    let expected = serde_json::json!({"status": status, "charts": [], "findings": findings});
    (
        name.to_string(),
        bytes,
        (serde_json::to_string_pretty(&expected).unwrap() + "\n").into_bytes(),
    )
}

fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

fn docx(document: &[u8]) -> Vec<u8> {
    zip(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("word/document.xml", document),
    ])
}

/// A compound file with the given streams (cfb writes no timestamps for
/// new entries, so the bytes are stable).
fn compound(streams: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    for (name, data) in streams {
        let mut s = cf.create_stream(name).unwrap();
        s.write_all(data).unwrap();
    }
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

/// What Office writes for a password-protected .docx: an OLE container
/// with `EncryptionInfo` (agile, version 4.4) and `EncryptedPackage`.
fn encrypted_ooxml() -> Vec<u8> {
    let mut info = vec![4, 0, 4, 0, 0x40, 0, 0, 0];
    info.extend_from_slice(
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>"#,
    );
    let package: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect();
    compound(&[("EncryptionInfo", info), ("EncryptedPackage", package)])
}

/// A Word 97–2003 file whose FIB says it is encrypted (fEncrypted, bit 8
/// of the flags word at offset 0x0A).
fn encrypted_doc() -> Vec<u8> {
    let mut fib = vec![0u8; 1024];
    fib[0..2].copy_from_slice(&0xA5ECu16.to_le_bytes()); // wIdent
    fib[2..4].copy_from_slice(&0x00C1u16.to_le_bytes()); // nFib: Word 97
    fib[6..8].copy_from_slice(&0x0804u16.to_le_bytes()); // lid: zh-CN
    let flags: u16 = 0x0100 | 0x0200; // fEncrypted | fWhichTblStm (1Table)
    fib[10..12].copy_from_slice(&flags.to_le_bytes());
    fib[14..18].copy_from_slice(&0x2a5bu32.to_le_bytes()); // lKey (password verifier)
    let table = vec![0u8; 512];
    compound(&[("WordDocument", fib), ("1Table", table)])
}

/// 64 MiB of spaces in document.xml: about 64 KB zipped, a ratio far over
/// any real document's.
fn zip_bomb() -> Vec<u8> {
    let mut doc =
        format!(r#"<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>"#)
            .into_bytes();
    doc.resize(doc.len() + (64 << 20), b' ');
    doc.extend_from_slice(b"</w:t></w:r></w:p></w:body></w:document>");
    docx(&doc)
}

/// Entities that would expand to gigabytes, and one that would read a
/// local file: neither may be expanded or fetched. The chart around them is
/// read as usual.
fn entity_bomb() -> (String, Vec<u8>, Vec<u8>) {
    let mut dtd = String::from("<!DOCTYPE w:document [\n<!ENTITY lol \"lol\">\n");
    for i in 1..=9 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        dtd.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    dtd.push_str("<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>");
    let p = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    let body = [
        p("长治高新区组织和人力资源部"),
        p("权力运行廉政风险防控图&lt;行政确认类9&gt;"),
        p("职权名称：社会保险登记&lol9;&xxe;"),
    ]
    .concat();
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>{dtd}<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#
    );
    let expected = serde_json::json!({
        "status": "ok",
        "charts": [{
            "ordinal": 1, "layout": "flow",
            "title": "权力运行廉政风险防控图<行政确认类9>",
            "department": "长治高新区组织和人力资源部",
            "category": "行政确认", "category_raw": "行政确认类9", "code": "9",
            "name": "社会保险登记", "time_limit": null, "contacts": [],
            "steps": [], "risk_points": []
        }],
        "findings": [{"code": "chart.no_steps", "chart": 1, "evidence": "职权名称：社会保险登记"}]
    });
    (
        "entity_bomb.docx".into(),
        docx(doc.as_bytes()),
        (serde_json::to_string_pretty(&expected).unwrap() + "\n").into_bytes(),
    )
}

/// 100 000 nested content controls: a reader that recurses per element
/// would overflow its stack.
fn deep_nesting() -> Vec<u8> {
    let depth = 100_000;
    let mut doc = format!(r#"<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>"#);
    doc.push_str(&"<w:sdt><w:sdtContent>".repeat(depth));
    doc.push_str("<w:p><w:r><w:t>深处</w:t></w:r></w:p>");
    doc.push_str(&"</w:sdtContent></w:sdt>".repeat(depth));
    doc.push_str("</w:body></w:document>");
    docx(doc.as_bytes())
}

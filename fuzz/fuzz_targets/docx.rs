//! The .docx reader on a fuzzed word/document.xml (zipped here, stored, so
//! mutations reach the XML code instead of failing the zip CRC). The first
//! byte picks whether numbering.xml gets the rest instead.
#![no_main]
use libfuzzer_sys::fuzz_target;
use riskflow::read::{Format, Limits, read_as};
use std::io::Write;

const DOC: &[u8] = br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>"#;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let (document, numbering) = if pick & 1 == 0 { (rest, &b""[..]) } else { (DOC, rest) };
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let _ = z.start_file("word/document.xml", o);
    let _ = z.write_all(document);
    let _ = z.start_file("word/numbering.xml", o);
    let _ = z.write_all(numbering);
    let Ok(c) = z.finish() else { return };
    let _ = read_as(Format::Docx, c.get_ref(), &Limits::default());
});

//! The .odt reader on a fuzzed content.xml (zipped here, stored, so
//! mutations reach the XML and layout code instead of failing the zip CRC).
//! The first byte picks whether styles.xml gets the rest instead.
#![no_main]
use libfuzzer_sys::fuzz_target;
use riskflow::read::{Format, Limits, read_as};
use std::io::Write;

const CONTENT: &[u8] = br#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"><office:body><office:text><text:list text:style-name="L1"><text:list-item><text:p text:style-name="P1">x<draw:frame draw:style-name="fr1" text:anchor-type="char" svg:x="1cm" svg:y="1cm" svg:width="2cm" svg:height="1cm"><draw:text-box><text:p>y</text:p></draw:text-box></draw:frame></text:p></text:list-item></text:list></office:text></office:body></office:document-content>"#;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let (content, styles) = if pick & 1 == 0 { (rest, &b""[..]) } else { (CONTENT, rest) };
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let _ = z.start_file("mimetype", o);
    let _ = z.write_all(b"application/vnd.oasis.opendocument.text");
    let _ = z.start_file("content.xml", o);
    let _ = z.write_all(content);
    let _ = z.start_file("styles.xml", o);
    let _ = z.write_all(styles);
    let Ok(c) = z.finish() else { return };
    let _ = read_as(Format::Odt, c.get_ref(), &Limits::default());
});

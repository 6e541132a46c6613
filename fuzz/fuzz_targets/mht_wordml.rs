//! The web-archive reader (MIME parts, transfer encodings, charsets) and the
//! Word 2003 XML reader; the first byte picks which.
#![no_main]
use libfuzzer_sys::fuzz_target;
use riskflow::read::{Format, Limits, read_as};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let format = if pick & 1 == 0 { Format::Mht } else { Format::WordXml };
    let _ = read_as(format, rest, &Limits::default());
});

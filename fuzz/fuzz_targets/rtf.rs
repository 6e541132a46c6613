//! The RTF reader (tokenizer, groups, fonts and code pages, shapes, tables).
#![no_main]
use libfuzzer_sys::fuzz_target;
use riskflow::read::{Format, Limits, read_as};

fuzz_target!(|data: &[u8]| {
    // Inputs without the signature are refused at once; give every input one.
    let mut bytes = b"{\\rtf1".to_vec();
    bytes.extend_from_slice(data.strip_prefix(b"{\\rtf1").unwrap_or(data));
    let _ = read_as(Format::Rtf, &bytes, &Limits::default());
});

//! The PDF reader on fuzzed files (object layer, content streams, fonts, CMaps).
#![no_main]
use libfuzzer_sys::fuzz_target;
use riskflow::read::{Format, Limits, read_as};

fuzz_target!(|data: &[u8]| {
    let _ = read_as(Format::Pdf, data, &Limits::default());
});

//! The Word 97–2003 reader on fuzzed compound files.
#![no_main]
use libfuzzer_sys::fuzz_target;
use riskflow::read::{Format, Limits, read_as};

fuzz_target!(|data: &[u8]| {
    let _ = read_as(Format::Doc, data, &Limits::default());
});

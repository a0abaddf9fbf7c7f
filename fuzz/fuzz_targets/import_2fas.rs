#![no_main]
//! The 2fas importer on arbitrary bytes (see `src/lib.rs` for what is checked).

use libfuzzer_sys::fuzz_target;
use twostep_core::import::Format;

fuzz_target!(|data: &[u8]| twostep_fuzz::check(Format::TwoFas, data));

#![no_main]
//! Format detection, then the importer it picks, on arbitrary bytes.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| twostep_fuzz::check_detected(data));

//! A statement's text through the SQL front end up to its plan (see the checks).
#![no_main]

#[allow(dead_code)]
#[path = "../../crates/engine/tests/fuzz_checks/mod.rs"]
mod fuzz_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::sql(data));

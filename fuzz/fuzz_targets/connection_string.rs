//! A connection string, as an application passes it to SQLDriverConnect (see the checks).
#![no_main]

// each target uses one of the shared checks
#[allow(dead_code)]
#[path = "../../crates/config/tests/fuzz_checks/mod.rs"]
mod fuzz_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::connection_string(data));

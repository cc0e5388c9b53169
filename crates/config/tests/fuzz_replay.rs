//! Replays the inputs kept for the fuzz targets of connection strings and DSN files through the
//! same checks.

mod fuzz_checks;
#[path = "../../../fuzz/replay.rs"]
mod replay;

use replay::replay;

#[test]
fn connection_string_inputs_pass() {
    assert!(replay("connection_string", fuzz_checks::connection_string) >= 3);
}

#[test]
fn dsn_file_inputs_pass() {
    assert!(replay("dsn_file", fuzz_checks::dsn_file) >= 1);
}

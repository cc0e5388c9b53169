//! Replays the inputs kept for the engine's fuzz targets (the SQL front end, API pages into
//! Arrow) through the same checks.

mod fuzz_checks;
#[path = "../../../fuzz/replay.rs"]
mod replay;

use replay::replay;

#[test]
fn sql_inputs_pass() {
    assert!(replay("sql", fuzz_checks::sql) >= 5);
}

#[test]
fn page_inputs_pass() {
    assert!(replay("page", fuzz_checks::page) >= 3);
}

/// The SQL seeds are statements the driver takes, so that the fuzzer starts from inputs that
/// reach the planner (and the target needs no request to plan them).
#[test]
fn sql_seeds_are_planned() {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(
            || env!("CARGO_MANIFEST_DIR").into(),
            std::path::PathBuf::from,
        )
        .join("../../fuzz/seeds/sql");
    for entry in std::fs::read_dir(dir).expect("the seeds").flatten() {
        let sql = std::fs::read_to_string(entry.path()).expect("a seed");
        if let Err(e) = pipedrive_engine::fuzzing::front_end(&sql) {
            panic!("{}: {sql}: {}", entry.path().display(), e.message);
        }
    }
}

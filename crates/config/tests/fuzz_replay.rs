//! Replays the fuzz targets' seeds and the inputs that once failed them (`fuzz/seeds`,
//! `fuzz/regressions`, one folder per target) through the same checks.

mod fuzz_checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut count = 0;
    for kind in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(kind).join(target)) else {
            continue;
        };
        for entry in entries.flatten() {
            let data = std::fs::read(entry.path()).expect("input");
            check(&data);
            count += 1;
        }
    }
    count
}

#[test]
fn connection_string_inputs_pass() {
    assert!(replay("connection_string", fuzz_checks::connection_string) >= 3);
}

#[test]
fn dsn_file_inputs_pass() {
    assert!(replay("dsn_file", fuzz_checks::dsn_file) >= 1);
}

//! The ODBC call sequences the sequence fuzzer kept (`fuzz/seeds/call_sequences`, each showing
//! outcomes no other one shows) and those that once failed (`fuzz/regressions/call_sequences`),
//! replayed through unixODBC and against the driver called directly as a driver manager calls
//! it: no crash, no hang, no byte written past a buffer the application gave.
//! `scripts/fuzz.sh call_sequences` grows them.

mod common;

use common::*;

#[test]
fn the_kept_call_sequences_replay_without_a_fault() {
    let s = setup();
    let fuzz = common::crate_dir().join("../../fuzz");
    let seeds = fuzz.join("seeds/call_sequences");
    let count = std::fs::read_dir(&seeds)
        .expect("the kept sequences")
        .count();
    assert!(count >= 20, "{count} kept sequences");
    let regressions = fuzz.join("regressions/call_sequences");
    let driver = s.library.display().to_string();
    let mut folders = vec![seeds.display().to_string()];
    if regressions.is_dir() {
        folders.push(regressions.display().to_string());
    }
    for manager in ["libodbc.so.2", driver.as_str()] {
        let mut args = vec!["replay", manager, &driver, s.sandbox.base_url(), TOKEN];
        args.extend(folders.iter().map(String::as_str));
        python_check("call_sequences.py", &args);
    }
}

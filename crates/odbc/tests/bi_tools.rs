//! The ODBC call sequences of Power BI, Tableau and Excel (Microsoft Query), replayed call by
//! call through unixODBC by the scripts of tests/python (ctypes over libodbc.so.2), with the
//! sandbox's request counter showing which steps read rows.

mod common;

use common::*;
use std::sync::Mutex;

/// The scripts reset and read the sandbox's request counter, which the tests of this binary
/// share: one script at a time.
static COUNTER: Mutex<()> = Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    COUNTER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[test]
fn power_bi_sequence() {
    let s = setup();
    let _turn = one_at_a_time();
    python_check(
        "powerbi_sequence.py",
        &[&dsn_less(""), s.sandbox.base_url()],
    );
}

#[test]
fn tableau_sequence() {
    let s = setup();
    let _turn = one_at_a_time();
    python_check("tableau_sequence.py", &[DSN, s.sandbox.base_url()]);
}

#[test]
fn excel_sequence() {
    let s = setup();
    let _turn = one_at_a_time();
    python_check("excel_sequence.py", &[DSN, s.sandbox.base_url()]);
}

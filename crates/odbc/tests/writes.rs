//! Writes through the driver: pyodbc over every writable table, parameter arrays and the
//! procedures (tests/python/writes_check.py), and the C API's view of a parameter array that
//! fails part way (the status of each set, the sets processed, SQLRowCount).

mod common;

use common::ffi::*;
use common::*;
use std::ffi::c_void;
use std::ptr::null_mut;

#[test]
fn pyodbc_writes_every_table_and_runs_every_procedure() {
    let s = setup();
    python_check("writes_check.py", &[DSN, s.sandbox.base_url()]);
}

const SQL_PARAM_SUCCESS: u16 = 0;
const SQL_PARAM_ERROR: u16 = 5;
const SQL_PARAM_UNUSED: u16 = 7;

#[test]
fn a_parameter_array_that_fails_part_way_reports_each_set() {
    setup();
    let c = Conn::open(&format!("DSN={DSN}")).expect("connect");
    let s = c.stmt();
    const SETS: usize = 30;
    const BAD: usize = 20;
    let sql = "INSERT INTO Organizations (Name, OwnerId) VALUES (?, ?)";
    let mut names = [[0u8; 32]; SETS];
    let mut owners = [1i64; SETS];
    for (i, n) in names.iter_mut().enumerate() {
        let text = format!("Array org {i}");
        n[..text.len()].copy_from_slice(text.as_bytes());
    }
    owners[BAD] = 999_999; // no such user: the API refuses this set
    let mut status = [99u16; SETS];
    let mut processed: usize = 0;
    let mut name_len = [-3isize; SETS]; // SQL_NTS
    unsafe {
        assert_eq!(SQLPrepare(s, sql.as_ptr(), sql.len() as i32), 0);
        assert_eq!(SQLSetStmtAttr(s, 22, SETS as *mut c_void, 0), 0); // SQL_ATTR_PARAMSET_SIZE
        assert_eq!(SQLSetStmtAttr(s, 20, status.as_mut_ptr().cast(), 0), 0); // PARAM_STATUS_PTR
        assert_eq!(
            SQLSetStmtAttr(s, 21, (&mut processed as *mut usize).cast(), 0),
            0
        ); // PARAMS_PROCESSED_PTR
        assert_eq!(
            SQLBindParameter(
                s,
                1,
                1,
                1,
                12,
                32,
                0,
                names.as_mut_ptr().cast(),
                32,
                name_len.as_mut_ptr()
            ),
            0
        );
        assert_eq!(
            SQLBindParameter(
                s,
                2,
                1,
                -25,
                -5,
                0,
                0,
                owners.as_mut_ptr().cast(),
                8,
                null_mut()
            ),
            0
        );
        assert_eq!(SQLExecute(s), -1, "the refused set makes it an error");
    }
    let (state, message) = diag(3, s);
    assert_eq!(state, "HY000", "{message}");
    assert!(
        message.contains(&format!("parameter set {}", BAD + 1)),
        "{message}"
    );
    assert!(message.contains("Written: parameter sets"), "{message}");
    assert_eq!(status[BAD], SQL_PARAM_ERROR, "{status:?}");
    assert!(
        status
            .iter()
            .all(|s| [SQL_PARAM_SUCCESS, SQL_PARAM_ERROR, SQL_PARAM_UNUSED].contains(s)),
        "{status:?}"
    );
    // every set before the refused one was sent and written
    assert!(
        status[..BAD].iter().all(|s| *s == SQL_PARAM_SUCCESS),
        "{status:?}"
    );
    let succeeded = status.iter().filter(|s| **s == SQL_PARAM_SUCCESS).count();
    let unused = status.iter().filter(|s| **s == SQL_PARAM_UNUSED).count();
    assert_eq!(processed, SETS - unused);
    // after SQL_ERROR the driver manager allows no SQLRowCount: the status array is the count
    // what the status array says written is what the account holds
    let q = c.exec("SELECT Name FROM Organizations WHERE Name LIKE 'Array org %'");
    let mut held = 0;
    while unsafe { SQLFetch(q) } == 0 {
        held += 1;
    }
    assert_eq!(held, succeeded);
}

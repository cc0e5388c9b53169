//! The driver through unixODBC's C API where applications call it directly: SQLGetData pieces,
//! the remaining catalog functions, SQLGetInfo, descriptors, parameter arrays, data at
//! execution, cancel, browse connect, invalid handles.

mod common;

use common::ffi::*;
use common::*;
use std::ffi::c_void;
use std::ptr::null_mut;

fn conn() -> Conn {
    setup();
    Conn::open(&format!("DSN={DSN}")).expect("connect")
}

const C_CHAR: i16 = 1;
const C_WCHAR: i16 = -8;
const C_SBIGINT: i16 = -25;

#[test]
fn get_data_in_pieces_reports_what_remains() {
    let c = conn();
    let s = c.exec("SELECT repeat('xyz', 100), 'x'");
    assert_eq!(unsafe { SQLFetch(s) }, 0);
    let mut buf = [0u8; 11];
    let mut ind = 0isize;
    let mut got = String::new();
    let mut remaining = vec![];
    loop {
        let rc = unsafe { SQLGetData(s, 1, C_CHAR, buf.as_mut_ptr().cast(), 11, &mut ind) };
        if rc == 100 {
            break;
        }
        remaining.push(ind);
        if rc == 1 {
            assert_eq!(diag(3, s).0, "01004");
            got.push_str(std::str::from_utf8(&buf[..10]).unwrap());
        } else {
            assert_eq!(rc, 0);
            got.push_str(std::str::from_utf8(&buf[..ind as usize]).unwrap());
        }
    }
    assert_eq!(got, "xyz".repeat(100));
    assert_eq!(
        remaining,
        (0..30).map(|i| 300 - 10 * i).collect::<Vec<isize>>()
    );
    // wide pieces count bytes: 2 per character under unixODBC
    let s = c.exec("SELECT 'añoñoño'");
    assert_eq!(unsafe { SQLFetch(s) }, 0);
    let mut wide = [0u16; 4];
    let rc = unsafe { SQLGetData(s, 1, C_WCHAR, wide.as_mut_ptr().cast(), 8, &mut ind) };
    assert_eq!((rc, ind), (1, 14));
    assert_eq!(String::from_utf16_lossy(&wide[..3]), "año");
    let rc = unsafe { SQLGetData(s, 1, C_WCHAR, wide.as_mut_ptr().cast(), 8, &mut ind) };
    assert_eq!((rc, ind), (1, 8));
}

#[test]
fn bound_columns_with_offsets_and_status() {
    let c = conn();
    let s = c.stmt();
    let mut ids = [0i64; 4];
    let mut inds = [0isize; 4];
    let mut status = [9u16; 4];
    let mut fetched = 0usize;
    unsafe {
        assert_eq!(SQLSetStmtAttr(s, 27, 4 as *mut c_void, 0), 0); // row array size
        assert_eq!(SQLSetStmtAttr(s, 25, status.as_mut_ptr().cast(), 0), 0); // row status
        assert_eq!(
            SQLSetStmtAttr(s, 26, (&mut fetched as *mut usize).cast(), 0),
            0
        ); // rows fetched
        assert_eq!(
            SQLBindCol(
                s,
                1,
                C_SBIGINT,
                ids.as_mut_ptr().cast(),
                8,
                inds.as_mut_ptr()
            ),
            0
        );
        let sql = "SELECT Id FROM Deals WHERE Id IN (3, 4, 5, 6, 7, 8) ORDER BY Id";
        assert_eq!(SQLExecDirect(s, sql.as_ptr(), sql.len() as i32), 0);
        assert_eq!(SQLFetch(s), 0);
        assert_eq!((ids, fetched, status), ([3, 4, 5, 6], 4, [0; 4]));
        assert_eq!(SQLFetch(s), 0);
        assert_eq!(
            (ids[..2].to_vec(), fetched, status),
            (vec![7, 8], 2, [0, 0, 3, 3])
        );
        assert_eq!(SQLFetch(s), 100);
        SQLFreeHandle(3, s);
    }
}

#[test]
fn statistics_special_columns_procedures_privileges_and_types() {
    let c = conn();
    let t = b"Deals";
    let s = c.stmt();
    unsafe {
        assert_eq!(
            SQLStatistics(s, null_mut(), 0, null_mut(), 0, t.as_ptr(), 5, 1, 0),
            0
        )
    };
    let r = rows(s);
    assert_eq!(r.len(), 1);
    assert_eq!(
        (r[0][5].as_deref(), r[0][8].as_deref(), r[0][3].as_deref()),
        (Some("PK_Deals"), Some("Id"), Some("0"))
    );
    let s = c.stmt();
    unsafe {
        assert_eq!(
            SQLSpecialColumns(s, 1, null_mut(), 0, null_mut(), 0, t.as_ptr(), 5, 2, 1),
            0
        )
    };
    let r = rows(s);
    assert_eq!(
        (r.len(), r[0][1].as_deref(), r[0][2].as_deref()),
        (1, Some("Id"), Some("-5"))
    );
    let s = c.stmt();
    unsafe {
        assert_eq!(
            SQLProcedures(s, null_mut(), 0, null_mut(), 0, b"%".as_ptr(), 1),
            0
        )
    };
    let mut n = 0i16;
    unsafe { SQLNumResultCols(s, &mut n) };
    let r = rows(s);
    assert_eq!(n, 8);
    let listed: Vec<_> = r
        .iter()
        .map(|r| (r[2].as_deref(), r[3].as_deref(), r[7].as_deref()))
        .collect();
    // the stored procedures (SQL_PT_PROCEDURE), then the table functions (SQL_PT_FUNCTION)
    let (procedures, functions) = listed.split_at(12);
    assert!(
        functions.contains(&(Some("DealsSearch"), Some("6"), Some("2")))
            && functions.contains(&(Some("GoalResults"), Some("3"), Some("2")))
            && functions.iter().all(|f| f.2 == Some("2")),
        "{functions:?}"
    );
    assert_eq!(
        procedures,
        [
            (Some("GetOAuthAuthorizationURL"), Some("3"), Some("1")),
            (Some("GetOAuthAccessToken"), Some("5"), Some("1")),
            (Some("RefreshOAuthAccessToken"), Some("1"), Some("1")),
            (Some("MergeDeals"), Some("2"), Some("1")),
            (Some("MergePersons"), Some("2"), Some("1")),
            (Some("MergeOrganizations"), Some("2"), Some("1")),
            (Some("ConvertLeadToDeal"), Some("1"), Some("1")),
            (Some("ConvertDealToLead"), Some("1"), Some("1")),
            (Some("DuplicateDeal"), Some("1"), Some("1")),
            (Some("DuplicateProduct"), Some("1"), Some("1")),
            (Some("UploadFile"), Some("11"), Some("1")),
            (Some("DownloadFile"), Some("2"), Some("1")),
        ]
    );
    let s = c.stmt();
    unsafe {
        assert_eq!(
            SQLProcedureColumns(
                s,
                null_mut(),
                0,
                null_mut(),
                0,
                b"Refresh%".as_ptr(),
                8,
                b"%".as_ptr(),
                1
            ),
            0
        )
    };
    unsafe { SQLNumResultCols(s, &mut n) };
    assert_eq!(n, 19);
    // name, COLUMN_TYPE (1 input, 3 result column), DATA_TYPE, NULLABLE, ORDINAL_POSITION
    let r: Vec<_> = rows(s)
        .into_iter()
        .map(|r| [3, 4, 5, 11, 17].map(|i| r[i].clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        r,
        [
            ["OAuthRefreshToken", "1", "-9", "0", "1"],
            ["OAuthAccessToken", "3", "-9", "1", "1"],
            ["OAuthRefreshToken", "3", "-9", "1", "2"],
            ["ExpiresIn", "3", "-5", "1", "3"],
        ]
        .map(|r| r.map(String::from))
    );
    let s = c.stmt();
    unsafe {
        assert_eq!(
            SQLTablePrivileges(s, null_mut(), 0, null_mut(), 0, b"Deal%".as_ptr(), 5),
            0
        )
    };
    let r = rows(s);
    assert!(r
        .iter()
        .any(|r| r[2].as_deref() == Some("Deals") && r[5].as_deref() == Some("SELECT")));
    let s = c.stmt();
    unsafe {
        assert_eq!(
            SQLColumnPrivileges(
                s,
                null_mut(),
                0,
                null_mut(),
                0,
                t.as_ptr(),
                5,
                b"Titl%".as_ptr(),
                5
            ),
            0
        )
    };
    let r = rows(s);
    assert_eq!(
        r.iter().map(|r| r[3].clone().unwrap()).collect::<Vec<_>>(),
        ["Title"]
    );
    let s = c.stmt();
    unsafe { assert_eq!(SQLGetTypeInfo(s, 0), 0) };
    let r = rows(s);
    assert!(r.len() >= 10);
    assert!(r
        .iter()
        .any(|r| r[0].as_deref() == Some("TIMESTAMP") && r[1].as_deref() == Some("93")));
    let s = c.stmt();
    unsafe { assert_eq!(SQLGetTypeInfo(s, -5), 0) };
    assert_eq!(rows(s).len(), 1);
    // the listing special cases of SQLTables
    let list = |cat: &[u8], sch: &[u8], typ: &[u8]| {
        let s = c.stmt();
        unsafe {
            assert_eq!(
                SQLTables(
                    s,
                    cat.as_ptr(),
                    cat.len() as i16,
                    sch.as_ptr(),
                    sch.len() as i16,
                    b"".as_ptr(),
                    0,
                    typ.as_ptr(),
                    typ.len() as i16
                ),
                0
            )
        };
        rows(s)
    };
    assert_eq!(list(b"%", b"", b"")[0][0].as_deref(), Some("Pipedrive"));
    assert_eq!(list(b"", b"%", b"")[0][1].as_deref(), Some("Pipedrive"));
    let types: Vec<_> = list(b"", b"", b"%")
        .into_iter()
        .map(|r| r[3].clone().unwrap())
        .collect();
    assert_eq!(types, ["TABLE", "VIEW"]);
}

#[test]
fn get_info_functions_and_native_sql() {
    let c = conn();
    let text = |info: u16| {
        let mut buf = [0u8; 256];
        let mut len = 0i16;
        let rc = unsafe { SQLGetInfo(c.dbc, info, buf.as_mut_ptr().cast(), 256, &mut len) };
        assert_eq!(rc, 0, "{:?}", diag(2, c.dbc));
        String::from_utf8_lossy(&buf[..len as usize]).into_owned()
    };
    assert_eq!(text(17), "Pipedrive"); // SQL_DBMS_NAME
    assert_eq!(text(29), "\""); // SQL_IDENTIFIER_QUOTE_CHAR
    assert_eq!(text(77), "03.80"); // SQL_DRIVER_ODBC_VER
    assert_eq!(text(2), DSN); // SQL_DATA_SOURCE_NAME
    let mut v = 0u16;
    unsafe { SQLGetInfo(c.dbc, 46, (&mut v as *mut u16).cast(), 2, null_mut()) };
    assert_eq!(v, 0, "no transactions");
    let mut supported = 0u16;
    unsafe { SQLGetFunctions(c.dbc, 1021, &mut supported) }; // SQLFetchScroll
    assert_eq!(supported, 1);
    let sql = "SELECT {fn UCASE(Title)} FROM Deals WHERE AddTime > {ts '2025-01-01 00:00:00'}";
    let mut out = [0u8; 512];
    let mut len = 0i32;
    unsafe {
        assert_eq!(
            SQLNativeSql(
                c.dbc,
                sql.as_ptr(),
                sql.len() as i32,
                out.as_mut_ptr(),
                512,
                &mut len
            ),
            0
        )
    };
    let native = String::from_utf8_lossy(&out[..len as usize]).into_owned();
    assert!(
        native.contains("upper(Title)") && native.contains("TIMESTAMP '2025-01-01 00:00:00'"),
        "{native}"
    );
}

#[test]
fn descriptors_describe_and_copy() {
    let c = conn();
    let s = c.stmt();
    let sql = "SELECT Id, Title FROM Deals";
    unsafe { assert_eq!(SQLPrepare(s, sql.as_ptr(), sql.len() as i32), 0) };
    let mut ird: H = null_mut();
    unsafe {
        assert_eq!(
            SQLGetStmtAttr(s, 10012, (&mut ird as *mut H).cast(), 8, null_mut()),
            0
        )
    };
    let mut count = 0i16;
    unsafe {
        assert_eq!(
            SQLGetDescField(ird, 0, 1001, (&mut count as *mut i16).cast(), 2, null_mut()),
            0
        )
    };
    assert_eq!(count, 2);
    let mut name = [0u8; 64];
    let mut len = 0i32;
    unsafe {
        assert_eq!(
            SQLGetDescField(ird, 2, 1011, name.as_mut_ptr().cast(), 64, &mut len),
            0
        )
    };
    assert_eq!(&name[..len as usize], b"Title");
    // the IRD cannot be written
    unsafe { assert_eq!(SQLSetDescField(ird, 1, 1002, 4 as *mut c_void, 0), -1) };
    assert_eq!(diag(4, ird).0, "HY016");
    // ROW_ARRAY_SIZE is the ARD's array size; a copy carries it
    let mut ard: H = null_mut();
    unsafe {
        assert_eq!(SQLSetStmtAttr(s, 27, 7 as *mut c_void, 0), 0);
        assert_eq!(
            SQLGetStmtAttr(s, 10010, (&mut ard as *mut H).cast(), 8, null_mut()),
            0
        );
        let mut explicit: H = null_mut();
        assert_eq!(SQLAllocHandle(4, c.dbc, &mut explicit), 0);
        assert_eq!(SQLCopyDesc(ard, explicit), 0);
        let mut size = 0usize;
        assert_eq!(
            SQLGetDescField(
                explicit,
                0,
                20,
                (&mut size as *mut usize).cast(),
                8,
                null_mut()
            ),
            0
        );
        assert_eq!(size, 7);
        assert_eq!(SQLSetStmtAttr(s, 10010, explicit, 0), 0);
        assert_eq!(SQLFreeHandle(4, explicit), 0);
    }
}

#[test]
fn parameter_arrays_give_a_result_set_each() {
    let c = conn();
    let s = c.stmt();
    let sql = "SELECT Id FROM Deals WHERE Id = ?";
    let mut ids = [11i64, 12, 13];
    unsafe {
        assert_eq!(SQLPrepare(s, sql.as_ptr(), sql.len() as i32), 0);
        assert_eq!(SQLSetStmtAttr(s, 22, 3 as *mut c_void, 0), 0); // paramset size
        assert_eq!(
            SQLBindParameter(
                s,
                1,
                1,
                C_SBIGINT,
                -5,
                0,
                0,
                ids.as_mut_ptr().cast(),
                8,
                null_mut()
            ),
            0
        );
        assert_eq!(SQLExecute(s), 0, "{:?}", diag(3, s));
    }
    let mut seen = vec![];
    loop {
        seen.extend(rows(s).into_iter().map(|r| r[0].clone().unwrap()));
        if unsafe { SQLMoreResults(s) } == 100 {
            break;
        }
    }
    assert_eq!(seen, ["11", "12", "13"]);
}

#[test]
fn parameters_sent_at_execution() {
    let c = conn();
    let s = c.stmt();
    let sql = "SELECT COUNT(*) FROM Deals WHERE Status = ?";
    let mut ind: isize = -100; // SQL_LEN_DATA_AT_EXEC(0)
    let token = 42usize as *mut c_void;
    unsafe {
        assert_eq!(SQLPrepare(s, sql.as_ptr(), sql.len() as i32), 0);
        assert_eq!(
            SQLBindParameter(s, 1, 1, C_CHAR, 12, 10, 0, token, 0, &mut ind),
            0
        );
        assert_eq!(SQLExecute(s), 99);
        let mut got: *mut c_void = null_mut();
        assert_eq!(SQLParamData(s, &mut got), 99);
        assert_eq!(got, token);
        assert_eq!(SQLPutData(s, b"wo".as_ptr() as *mut c_void, 2), 0);
        assert_eq!(SQLPutData(s, b"n".as_ptr() as *mut c_void, 1), 0);
        assert_eq!(SQLParamData(s, &mut got), 0, "{:?}", diag(3, s));
    }
    let count = rows(s)[0][0].clone().unwrap();
    let direct = rows(c.exec("SELECT COUNT(*) FROM Deals WHERE Status = 'won'"))[0][0]
        .clone()
        .unwrap();
    assert_eq!(count, direct);
}

#[test]
fn cancel_stops_paging() {
    setup();
    let sandbox = pipedrive_sandbox::Sandbox::start(pipedrive_sandbox::SandboxConfig {
        sizes: pipedrive_sandbox::DataSizes {
            deals: 20_000,
            ..Default::default()
        },
        api_tokens: vec![TOKEN.into()],
        ..Default::default()
    })
    .unwrap();
    let c = Conn::open(&format!(
        "Driver={{{DRIVER}}};BaseURL={};APIToken={TOKEN}",
        sandbox.base_url()
    ))
    .unwrap();
    sandbox.set_faults(pipedrive_sandbox::Faults {
        latency: std::time::Duration::from_millis(150),
        ..Default::default()
    });
    sandbox.reset_stats();
    let s = c.exec("SELECT Id FROM Deals");
    struct Shared(H);
    unsafe impl Send for Shared {}
    unsafe impl Sync for Shared {}
    let shared = std::sync::Arc::new(Shared(s));
    let canceller = {
        let shared = shared.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(400));
            unsafe { SQLCancel(shared.0) }
        })
    };
    let mut rc;
    let mut fetched = 0;
    loop {
        rc = unsafe { SQLFetch(shared.0) };
        if rc != 0 {
            break;
        }
        fetched += 1;
    }
    assert_eq!(canceller.join().unwrap(), 0);
    assert_eq!(rc, -1);
    assert_eq!(diag(3, s).0, "HY008");
    assert!(fetched < 20_000);
    let after = sandbox.stats().requests;
    std::thread::sleep(std::time::Duration::from_millis(600));
    assert_eq!(
        sandbox.stats().requests,
        after,
        "no page is requested after the cancel"
    );
    assert!(after < 40, "{after} requests");
    // the statement is usable again
    let sql = "SELECT 1";
    unsafe { assert_eq!(SQLExecDirect(s, sql.as_ptr(), sql.len() as i32), 0) };
    assert_eq!(rows(s), vec![vec![Some("1".to_string())]]);
}

#[test]
fn browse_connect_asks_for_what_is_missing() {
    setup();
    unsafe {
        let (mut env, mut dbc) = (null_mut(), null_mut());
        SQLAllocHandle(1, null_mut(), &mut env);
        SQLSetEnvAttr(env, 200, 3 as *mut c_void, 0);
        SQLAllocHandle(2, env, &mut dbc);
        let mut out = [0u8; 512];
        let mut len = 0i16;
        let first = format!("DRIVER={{{DRIVER}}}");
        assert_eq!(
            SQLBrowseConnect(
                dbc,
                first.as_ptr(),
                first.len() as i16,
                out.as_mut_ptr(),
                512,
                &mut len
            ),
            99
        );
        let asked = String::from_utf8_lossy(&out[..len as usize]).into_owned();
        assert!(
            asked.contains("APIToken") && asked.contains("CompanyDomain"),
            "{asked}"
        );
        let second = format!("APIToken={TOKEN};BaseURL={}", setup().sandbox.base_url());
        assert_eq!(
            SQLBrowseConnect(
                dbc,
                second.as_ptr(),
                second.len() as i16,
                out.as_mut_ptr(),
                512,
                &mut len
            ),
            0,
            "{:?}",
            diag(2, dbc)
        );
        let done = String::from_utf8_lossy(&out[..len as usize]).into_owned();
        assert!(done.contains("BaseURL="), "{done}");
        assert_eq!(SQLDisconnect(dbc), 0);
        SQLFreeHandle(2, dbc);
        SQLFreeHandle(1, env);
    }
}

#[test]
fn stale_and_wrong_handles_are_refused() {
    let c = conn();
    let s = c.stmt();
    unsafe {
        assert_eq!(SQLFreeHandle(3, s), 0);
        assert_eq!(SQLFetch(s), -2);
        assert_eq!(SQLFetch(null_mut()), -2);
        assert_eq!(SQLExecDirect(c.dbc, b"SELECT 1".as_ptr(), 8), -2);
    }
    // out of order: the driver manager itself says so
    let s = c.stmt();
    unsafe { assert_eq!(SQLFetch(s), -1) };
    assert_eq!(diag(3, s).0, "HY010");
    let s = c.exec("SELECT 1");
    unsafe { assert_eq!(SQLCloseCursor(s), 0) };
    unsafe { assert_eq!(SQLCloseCursor(s), -1) };
    assert_eq!(diag(3, s).0, "24000");
    // the driver's own messages name it
    let s = c.stmt();
    unsafe { assert_eq!(SQLExecDirect(s, b"SELECT * FROM Nope".as_ptr(), 18), -1) };
    let (state, message) = diag(3, s);
    assert_eq!(state, "42S02");
    assert!(
        message.starts_with("[Pipedrive][ODBC]") && message.contains("Nope"),
        "{message}"
    );
}

#[test]
fn the_log_file_never_holds_the_token() {
    setup();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("driver.log");
    let c = Conn::open(&format!("DSN={DSN};Logfile={};Verbosity=3", log.display())).unwrap();
    rows(c.exec("SELECT COUNT(*) FROM Deals WHERE Id < 10"));
    drop(c);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("connect: ") && text.contains("APIToken=***"),
        "{text}"
    );
    assert!(
        text.contains("prepare: SELECT COUNT(*) FROM Deals WHERE Id < 10"),
        "{text}"
    );
    assert!(text.contains("execute: "), "{text}");
    assert!(!text.contains(TOKEN), "the token is in the log: {text}");
    let e = Conn::open(&format!("DSN={DSN};Logfile={};Verbosity=9", log.display()))
        .err()
        .unwrap();
    assert_eq!(e.0, "08001");
    assert!(e.1.contains("Verbosity=9"), "{}", e.1);
}

#[test]
fn rate_limit_waits_and_requests_reach_the_connections_log() {
    use pipedrive_sandbox::{DataSizes, RateLimits, Sandbox, SandboxConfig};
    setup();
    // a token of its own: the budget it learns is not shared with the other tests
    let token = "log-test-token";
    let limited = Sandbox::start(SandboxConfig {
        sizes: DataSizes {
            deals: 2_600,
            persons: 10,
            organizations: 10,
            ..DataSizes::default()
        },
        api_tokens: vec![token.into()],
        limits: RateLimits {
            burst_per_2s: Some(6),
            daily_tokens: None,
        },
        ..SandboxConfig::default()
    })
    .expect("sandbox");
    let dir = tempfile::tempdir().unwrap();
    let open = |name: &str, verbosity: u8| {
        let log = dir.path().join(name);
        let text = format!(
            "Driver={{{DRIVER}}};BaseURL={};APIToken={token};Logfile={};Verbosity={verbosity}",
            limited.base_url(),
            log.display()
        );
        (Conn::open(&text).unwrap(), log)
    };
    let (busy, busy_log) = open("busy.log", 4);
    // the type list (which pyodbc asks for when it connects) reads nothing of the account
    let s = busy.stmt();
    unsafe { assert_eq!(SQLGetTypeInfo(s, 0), 0) };
    assert!(!rows(s).is_empty());
    let (idle, idle_log) = open("idle.log", 4);
    let (terse, terse_log) = open("terse.log", 2);
    for c in [&busy, &terse] {
        assert_eq!(
            rows(c.exec("SELECT COUNT(*) FROM Deals")),
            [[Some("2600".to_string())]]
        );
    }
    drop((busy, idle, terse));
    let read = |p: &std::path::Path| std::fs::read_to_string(p).unwrap();
    let (busy, idle, terse) = (read(&busy_log), read(&idle_log), read(&terse_log));
    // 6 requests per 2 s: the scan waited for the budget, and said so in its log
    assert!(
        busy.contains("[3] pipedrive_api: waiting for the rate-limit budget"),
        "{busy}"
    );
    assert!(
        busy.contains("[4] pipedrive_api: answered what=GET /api/v2/deals status=200"),
        "{busy}"
    );
    assert!(!busy.contains(token), "the token is in the log: {busy}");
    // connecting read the field definitions of Deals only; nothing else asked for more
    let field_reads: Vec<&str> = busy
        .lines()
        .filter(|l| l.contains("Fields status="))
        .collect();
    assert_eq!(field_reads.len(), 1, "{busy}");
    assert!(field_reads[0].contains("GET /api/v2/dealFields"), "{busy}");
    // another connection's log gets its own events only; a terser one no debug lines
    assert!(!idle.contains("/api/v2/deals"), "{idle}");
    assert!(idle.contains("disconnect"), "{idle}");
    assert!(terse.contains("prepare: "), "{terse}");
    assert!(!terse.contains("[3]") && !terse.contains("[4]"), "{terse}");
}

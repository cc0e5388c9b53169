//! An application that misuses the API must not take its own process down: absurd array
//! sizes, a statement freed or a connection closed while other threads are inside calls on
//! them, and the calls the standard answers with an error where a lenient driver would go on.
//! Every case runs twice: against the driver library loaded directly (as a driver manager
//! loads it) and through unixODBC; the races are repeated to catch them.

mod common;

use common::*;
use std::ffi::{c_void, CString};
use std::ptr::null_mut;
use std::sync::mpsc;
use std::time::Duration;

type H = *mut c_void;
type Ret = i16;

const SUCCESS: Ret = 0;
const WITH_INFO: Ret = 1;
const ERROR: Ret = -1;
const INVALID_HANDLE: Ret = -2;
const NO_DATA: Ret = 100;
const STMT: i16 = 3;
const DBC: i16 = 2;
const ROW_ARRAY_SIZE: i32 = 27;
const PARAMSET_SIZE: i32 = 22;

/// The entry points these tests call, from one library.
#[derive(Clone, Copy)]
struct Api {
    alloc: unsafe extern "system" fn(i16, H, *mut H) -> Ret,
    free: unsafe extern "system" fn(i16, H) -> Ret,
    set_env_attr: unsafe extern "system" fn(H, i32, H, i32) -> Ret,
    driver_connect:
        unsafe extern "system" fn(H, H, *const u8, i16, *mut u8, i16, *mut i16, u16) -> Ret,
    disconnect: unsafe extern "system" fn(H) -> Ret,
    exec_direct: unsafe extern "system" fn(H, *const u8, i32) -> Ret,
    prepare: unsafe extern "system" fn(H, *const u8, i32) -> Ret,
    fetch: unsafe extern "system" fn(H) -> Ret,
    close_cursor: unsafe extern "system" fn(H) -> Ret,
    set_stmt_attr: unsafe extern "system" fn(H, i32, H, i32) -> Ret,
    get_stmt_attr: unsafe extern "system" fn(H, i32, H, i32, *mut i32) -> Ret,
    num_result_cols: unsafe extern "system" fn(H, *mut i16) -> Ret,
    row_count: unsafe extern "system" fn(H, *mut isize) -> Ret,
    describe_col: unsafe extern "system" fn(
        H,
        u16,
        *mut u8,
        i16,
        *mut i16,
        *mut i16,
        *mut usize,
        *mut i16,
        *mut i16,
    ) -> Ret,
    describe_param:
        unsafe extern "system" fn(H, u16, *mut i16, *mut usize, *mut i16, *mut i16) -> Ret,
    bind_parameter:
        unsafe extern "system" fn(H, u16, i16, i16, i16, usize, i16, H, isize, *mut isize) -> Ret,
    param_data: unsafe extern "system" fn(H, *mut H) -> Ret,
    put_data: unsafe extern "system" fn(H, H, isize) -> Ret,
    diag_rec:
        unsafe extern "system" fn(i16, H, i16, *mut u8, *mut i32, *mut u8, i16, *mut i16) -> Ret,
}

unsafe impl Send for Api {}
unsafe impl Sync for Api {}

/// A symbol of a library opened with dlopen, as a function pointer of type `F`.
unsafe fn symbol<F: Copy>(lib: *mut c_void, name: &str) -> F {
    let c = CString::new(name).unwrap();
    let p = libc::dlsym(lib, c.as_ptr());
    assert!(!p.is_null(), "{name} is not exported");
    std::mem::transmute_copy(&p)
}

impl Api {
    fn load(path: &str) -> Api {
        let c = CString::new(path).unwrap();
        // SAFETY: loading an ODBC library and taking its documented entry points
        unsafe {
            let lib = libc::dlopen(c.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL);
            assert!(!lib.is_null(), "cannot load {path}");
            Api {
                alloc: symbol(lib, "SQLAllocHandle"),
                free: symbol(lib, "SQLFreeHandle"),
                set_env_attr: symbol(lib, "SQLSetEnvAttr"),
                driver_connect: symbol(lib, "SQLDriverConnect"),
                disconnect: symbol(lib, "SQLDisconnect"),
                exec_direct: symbol(lib, "SQLExecDirect"),
                prepare: symbol(lib, "SQLPrepare"),
                fetch: symbol(lib, "SQLFetch"),
                close_cursor: symbol(lib, "SQLCloseCursor"),
                set_stmt_attr: symbol(lib, "SQLSetStmtAttr"),
                get_stmt_attr: symbol(lib, "SQLGetStmtAttr"),
                num_result_cols: symbol(lib, "SQLNumResultCols"),
                row_count: symbol(lib, "SQLRowCount"),
                describe_col: symbol(lib, "SQLDescribeCol"),
                describe_param: symbol(lib, "SQLDescribeParam"),
                bind_parameter: symbol(lib, "SQLBindParameter"),
                param_data: symbol(lib, "SQLParamData"),
                put_data: symbol(lib, "SQLPutData"),
                diag_rec: symbol(lib, "SQLGetDiagRec"),
            }
        }
    }

    /// The driver library itself and unixODBC's driver manager, each with a connection
    /// string it can open.
    fn both() -> Vec<(&'static str, Api, String)> {
        let s = setup();
        let direct = format!("BaseURL={};APIToken={TOKEN}", s.sandbox.base_url());
        vec![
            (
                "driver",
                Api::load(s.library.to_str().unwrap()),
                direct.clone(),
            ),
            ("unixODBC", Api::load("libodbc.so.2"), format!("DSN={DSN}")),
        ]
    }

    fn diag(&self, kind: i16, h: H) -> String {
        let mut state = [0u8; 6];
        let mut msg = [0u8; 512];
        let (mut native, mut len) = (0i32, 0i16);
        let f = self.diag_rec;
        // SAFETY: buffers as large as said
        unsafe {
            f(
                kind,
                h,
                1,
                state.as_mut_ptr(),
                &mut native,
                msg.as_mut_ptr(),
                512,
                &mut len,
            )
        };
        String::from_utf8_lossy(&state[..5]).into_owned()
    }

    fn connect(&self, connection_string: &str) -> (H, H) {
        let (mut env, mut dbc) = (null_mut(), null_mut());
        // SAFETY: the usual allocation and connection sequence
        unsafe {
            assert_eq!((self.alloc)(1, null_mut(), &mut env), SUCCESS);
            assert_eq!((self.set_env_attr)(env, 200, 3 as H, 0), SUCCESS);
            assert_eq!((self.alloc)(2, env, &mut dbc), SUCCESS);
            let rc = (self.driver_connect)(
                dbc,
                null_mut(),
                connection_string.as_ptr(),
                connection_string.len() as i16,
                null_mut(),
                0,
                null_mut(),
                0,
            );
            assert!(
                rc == SUCCESS || rc == WITH_INFO,
                "connect: {}",
                self.diag(DBC, dbc)
            );
        }
        (env, dbc)
    }

    fn close(&self, env: H, dbc: H) {
        // SAFETY: handles from connect
        unsafe {
            assert_eq!((self.disconnect)(dbc), SUCCESS);
            assert_eq!((self.free)(DBC, dbc), SUCCESS);
            assert_eq!((self.free)(1, env), SUCCESS);
        }
    }

    fn stmt(&self, dbc: H) -> H {
        let mut s = null_mut();
        // SAFETY: a connected handle
        assert_eq!(unsafe { (self.alloc)(STMT, dbc, &mut s) }, SUCCESS);
        s
    }

    fn exec(&self, s: H, sql: &str) -> Ret {
        // SAFETY: the text and its length
        unsafe { (self.exec_direct)(s, sql.as_ptr(), sql.len() as i32) }
    }
}

/// Fetches until the statement ends; the last return code.
fn fetch_all(api: Api, s: usize) -> Ret {
    loop {
        // SAFETY: the handle may have been freed by another thread: the driver must say so
        let rc = unsafe { (api.fetch)(s as H) };
        if rc != SUCCESS && rc != WITH_INFO {
            return rc;
        }
    }
}

/// Runs `work` on a thread and waits for it, failing on a hang.
fn within<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(work());
    });
    rx.recv_timeout(Duration::from_secs(120))
        .unwrap_or_else(|_| panic!("{what} hangs"))
}

#[test]
fn an_absurd_row_array_size_is_lowered_not_allocated() {
    for (name, api, cs) in Api::both() {
        let (env, dbc) = api.connect(&cs);
        let s = api.stmt(dbc);
        // SAFETY: attribute values as the standard defines them
        unsafe {
            for attr in [ROW_ARRAY_SIZE, PARAMSET_SIZE] {
                let rc = (api.set_stmt_attr)(s, attr, (1usize << 40) as H, 0);
                assert_eq!(rc, WITH_INFO, "{name}: {attr}");
                assert_eq!(api.diag(STMT, s), "01S02", "{name}");
                let mut got = 0usize;
                (api.get_stmt_attr)(s, attr, (&mut got as *mut usize).cast(), 0, null_mut());
                assert_eq!(got, 1 << 20, "{name}: the size in effect");
            }
            assert_eq!(api.exec(s, "SELECT id FROM Deals"), SUCCESS, "{name}");
            // one rowset of up to 2^20 rows, nothing bound: every deal in one fetch
            assert_eq!((api.fetch)(s), SUCCESS, "{name}: {}", api.diag(STMT, s));
            assert_eq!((api.fetch)(s), NO_DATA, "{name}");
            assert_eq!((api.close_cursor)(s), SUCCESS);
            // a size of zero or below is refused
            assert_eq!((api.set_stmt_attr)(s, ROW_ARRAY_SIZE, 0 as H, 0), ERROR);
            assert_eq!(api.diag(STMT, s), "HY024", "{name}");
            assert_eq!((api.free)(STMT, s), SUCCESS);
        }
        api.close(env, dbc);
    }
}

#[test]
fn freeing_a_statement_another_thread_fetches_from_is_safe() {
    for (name, api, cs) in Api::both() {
        let (env, dbc) = api.connect(&cs);
        let mut refused = 0;
        for round in 0..12 {
            let s = api.stmt(dbc);
            assert_eq!(api.exec(s, "SELECT * FROM Deals"), SUCCESS, "{name}");
            let handle = s as usize;
            let (tx, rx) = mpsc::channel();
            let fetcher = std::thread::spawn(move || {
                tx.send(()).unwrap();
                fetch_all(api, handle)
            });
            rx.recv().unwrap();
            std::thread::sleep(Duration::from_millis(3 * round));
            // SAFETY: the misuse under test: the handle is live, another thread uses it
            let rc = unsafe { (api.free)(STMT, s) };
            let last = within("the fetching thread", move || fetcher.join().unwrap());
            match rc {
                SUCCESS => assert!(
                    [NO_DATA, INVALID_HANDLE, ERROR].contains(&last),
                    "{name}: fetch ended with {last}"
                ),
                ERROR => {
                    refused += 1;
                    assert_eq!(
                        last, NO_DATA,
                        "{name}: the refused free left the fetch alone"
                    );
                    // SAFETY: the fetch has ended: now it can go
                    assert_eq!(unsafe { (api.free)(STMT, s) }, SUCCESS, "{name}");
                }
                other => panic!("{name}: SQLFreeHandle answered {other}"),
            }
        }
        eprintln!("{name}: {refused} of 12 frees came while a fetch was running (HY010)");
        // a freed statement is known as such
        let s = api.stmt(dbc);
        // SAFETY: the stale handle is the misuse under test
        unsafe {
            assert_eq!((api.free)(STMT, s), SUCCESS);
            assert_eq!((api.fetch)(s), INVALID_HANDLE, "{name}");
            assert_eq!((api.free)(STMT, s), INVALID_HANDLE, "{name}");
        }
        api.close(env, dbc);
    }
}

#[test]
fn disconnecting_while_statements_fetch_is_safe() {
    for (name, api, cs) in Api::both() {
        let mut refused = 0;
        for round in 0..8u64 {
            let (env, dbc) = api.connect(&cs);
            let fetchers: Vec<_> = (0..2)
                .map(|_| {
                    let s = api.stmt(dbc);
                    assert_eq!(api.exec(s, "SELECT * FROM Deals"), SUCCESS, "{name}");
                    let handle = s as usize;
                    std::thread::spawn(move || fetch_all(api, handle))
                })
                .collect();
            std::thread::sleep(Duration::from_millis(5 * round));
            // SAFETY: the misuse under test
            let rc = unsafe { (api.disconnect)(dbc) };
            let ends: Vec<Ret> = within("the fetching threads", move || {
                fetchers.into_iter().map(|f| f.join().unwrap()).collect()
            });
            match rc {
                SUCCESS => {}
                ERROR => {
                    refused += 1;
                    assert_eq!(api.diag(DBC, dbc), "HY010", "{name}");
                    assert!(ends.iter().all(|e| *e == NO_DATA), "{name}: {ends:?}");
                    // SAFETY: no call runs on the connection now
                    assert_eq!(unsafe { (api.disconnect)(dbc) }, SUCCESS, "{name}");
                }
                other => panic!("{name}: SQLDisconnect answered {other}"),
            }
            for e in &ends {
                assert!(
                    [NO_DATA, INVALID_HANDLE, ERROR].contains(e),
                    "{name}: fetch ended with {e}"
                );
            }
            // SAFETY: handles from connect, disconnected
            unsafe {
                assert_eq!((api.free)(DBC, dbc), SUCCESS, "{name}");
                assert_eq!((api.free)(1, env), SUCCESS, "{name}");
            }
        }
        eprintln!("{name}: {refused} of 8 disconnects came while fetches were running (HY010)");
    }
}

#[test]
fn calls_out_of_order_get_the_standard_errors() {
    for (name, api, cs) in Api::both() {
        let (env, dbc) = api.connect(&cs);
        let s = api.stmt(dbc);
        // SAFETY: buffers as large as said; the misuse is in the order and the arguments
        unsafe {
            let mut n = 0i16;
            let mut count = 0isize;
            assert_eq!((api.num_result_cols)(s, &mut n), ERROR, "{name}");
            assert_eq!(api.diag(STMT, s), "HY010", "{name}");
            assert_eq!((api.row_count)(s, &mut count), ERROR, "{name}");
            assert_eq!(api.diag(STMT, s), "HY010", "{name}");

            assert_eq!(api.exec(s, "SELECT id, title FROM Deals"), SUCCESS);
            assert_eq!((api.num_result_cols)(s, &mut n), SUCCESS);
            assert_eq!(n, 2);
            assert_eq!((api.row_count)(s, &mut count), SUCCESS);
            let mut name_buf = [0u8; 32];
            let rc = (api.describe_col)(
                s,
                1,
                name_buf.as_mut_ptr(),
                -1,
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut(),
            );
            assert_eq!(rc, ERROR, "{name}");
            assert_eq!(api.diag(STMT, s), "HY090", "{name}");
            // another statement on a handle whose cursor is open
            assert_eq!(api.exec(s, "SELECT 1"), ERROR, "{name}");
            assert_eq!(api.diag(STMT, s), "24000", "{name}");
            assert_eq!(
                (api.fetch)(s),
                SUCCESS,
                "{name}: the open cursor still reads"
            );
            assert_eq!((api.close_cursor)(s), SUCCESS);

            // a parameter number the statement does not have; data at execution without data
            let sql = "SELECT id FROM Deals WHERE id = ?";
            assert_eq!((api.prepare)(s, sql.as_ptr(), sql.len() as i32), SUCCESS);
            let rc = (api.describe_param)(s, 2, &mut n, null_mut(), null_mut(), null_mut());
            assert_eq!(rc, ERROR, "{name}");
            assert_eq!(api.diag(STMT, s), "07009", "{name}");
            let mut at_exec = -100isize; // SQL_LEN_DATA_AT_EXEC(100)
            let rc = (api.bind_parameter)(s, 1, 1, 1, 4, 10, 0, 1 as H, 0, &mut at_exec);
            assert_eq!(rc, SUCCESS, "{name}: {}", api.diag(STMT, s));
            assert_eq!(api.exec(s, sql), 99, "{name}: need data");
            let mut token = null_mut();
            assert_eq!((api.param_data)(s, &mut token), 99, "{name}");
            assert_eq!((api.put_data)(s, null_mut(), 100), ERROR, "{name}");
            assert_eq!(api.diag(STMT, s), "HY009", "{name}");
            assert_eq!((api.put_data)(s, b"7".as_ptr() as H, 1), SUCCESS, "{name}");
            assert_eq!((api.param_data)(s, &mut token), SUCCESS, "{name}");
            assert_eq!((api.fetch)(s), SUCCESS, "{name}");
            assert_eq!((api.free)(STMT, s), SUCCESS);
        }
        api.close(env, dbc);
    }
}

/// The same misuse from a process running under valgrind (Debian's Python with ctypes, the
/// sandbox outside it): no invalid read or write, no use of uninitialised memory, directly and
/// through unixODBC.
#[test]
fn the_misuse_shows_no_memory_error_under_valgrind() {
    let s = setup();
    let script = common::crate_dir().join("tests/python/misuse_calls.py");
    // a shim (pyenv) would put a shell script under valgrind instead of Python
    let python = ["/usr/bin/python3", "python3"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .unwrap_or("python3");
    let direct = format!("BaseURL={};APIToken={TOKEN}", s.sandbox.base_url());
    let runs = [
        (s.library.to_str().unwrap().to_string(), direct),
        ("libodbc.so.2".to_string(), format!("DSN={DSN}")),
    ];
    for (library, connection_string) in runs {
        let out = std::process::Command::new("valgrind")
            .args([
                "--error-exitcode=9",
                "--leak-check=no",
                "--fair-sched=yes",
                "-q",
            ])
            .arg(python)
            .arg(&script)
            .args([library.as_str(), connection_string.as_str(), "1"])
            .env("PYTHONMALLOC", "malloc")
            .output()
            .expect("valgrind (scripts/test.sh installs it)");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{library}: {text}");
        assert!(text.contains("all checks passed"), "{library}: {text}");
    }
}

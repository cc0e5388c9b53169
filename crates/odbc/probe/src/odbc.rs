//! The driver's functions, looked up in its library and called in a driver manager's order.

use libloading::Library;
use std::ffi::c_void;

type H = *mut c_void;

pub const SQL_DBMS_NAME: u16 = 17;
const SQL_HANDLE_ENV: i16 = 1;
const SQL_HANDLE_DBC: i16 = 2;
const SQL_HANDLE_STMT: i16 = 3;
const SQL_ATTR_ODBC_VERSION: i32 = 200;
const SQL_OV_ODBC3: usize = 3;
const SQL_DRIVER_NOPROMPT: u16 = 0;
const SQL_C_WCHAR: i16 = -8;
const SQL_WVARCHAR: i16 = -9;
const SQL_PARAM_INPUT: i16 = 1;
const SQL_NULL_DATA: isize = -1;
const SQL_NTS: isize = -3;
const SQL_SUCCESS_WITH_INFO: i16 = 1;
const SQL_NO_DATA: i16 = 100;

/// The functions of the driver that the probe calls.
pub struct Driver {
    alloc: unsafe extern "system" fn(i16, H, *mut H) -> i16,
    free: unsafe extern "system" fn(i16, H) -> i16,
    set_env: unsafe extern "system" fn(H, i32, H, i32) -> i16,
    connect: unsafe extern "system" fn(H, H, *const u16, i16, *mut u16, i16, *mut i16, u16) -> i16,
    disconnect: unsafe extern "system" fn(H) -> i16,
    info: unsafe extern "system" fn(H, u16, H, i16, *mut i16) -> i16,
    exec_direct: unsafe extern "system" fn(H, *const u16, i32) -> i16,
    prepare: unsafe extern "system" fn(H, *const u16, i32) -> i16,
    bind: unsafe extern "system" fn(H, u16, i16, i16, i16, usize, i16, H, isize, *mut isize) -> i16,
    execute: unsafe extern "system" fn(H) -> i16,
    num_cols: unsafe extern "system" fn(H, *mut i16) -> i16,
    describe: unsafe extern "system" fn(
        H,
        u16,
        *mut u16,
        i16,
        *mut i16,
        *mut i16,
        *mut usize,
        *mut i16,
        *mut i16,
    ) -> i16,
    fetch: unsafe extern "system" fn(H) -> i16,
    get_data: unsafe extern "system" fn(H, u16, i16, H, isize, *mut isize) -> i16,
    diag:
        unsafe extern "system" fn(i16, H, i16, *mut u16, *mut i32, *mut u16, i16, *mut i16) -> i16,
    _library: Library,
}

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain([0]).collect()
}

fn ok(rc: i16) -> bool {
    rc == 0 || rc == SQL_SUCCESS_WITH_INFO
}

impl Driver {
    pub fn load(path: &str) -> Result<Driver, String> {
        // SAFETY: loading the driver library, as a driver manager does.
        let library =
            unsafe { Library::new(path) }.map_err(|e| format!("cannot load {path}: {e}"))?;
        // SAFETY: the symbols are the ODBC functions with these signatures.
        unsafe {
            let f = |name: &str| -> Result<*mut c_void, String> {
                library
                    .get::<*mut c_void>(format!("{name}\0").as_bytes())
                    .map(|p| *p)
                    .map_err(|_| format!("{path} does not export {name}"))
            };
            Ok(Driver {
                alloc: std::mem::transmute::<*mut c_void, _>(f("SQLAllocHandle")?),
                free: std::mem::transmute::<*mut c_void, _>(f("SQLFreeHandle")?),
                set_env: std::mem::transmute::<*mut c_void, _>(f("SQLSetEnvAttr")?),
                connect: std::mem::transmute::<*mut c_void, _>(f("SQLDriverConnectW")?),
                disconnect: std::mem::transmute::<*mut c_void, _>(f("SQLDisconnect")?),
                info: std::mem::transmute::<*mut c_void, _>(f("SQLGetInfoW")?),
                exec_direct: std::mem::transmute::<*mut c_void, _>(f("SQLExecDirectW")?),
                prepare: std::mem::transmute::<*mut c_void, _>(f("SQLPrepareW")?),
                bind: std::mem::transmute::<*mut c_void, _>(f("SQLBindParameter")?),
                execute: std::mem::transmute::<*mut c_void, _>(f("SQLExecute")?),
                num_cols: std::mem::transmute::<*mut c_void, _>(f("SQLNumResultCols")?),
                describe: std::mem::transmute::<*mut c_void, _>(f("SQLDescribeColW")?),
                fetch: std::mem::transmute::<*mut c_void, _>(f("SQLFetch")?),
                get_data: std::mem::transmute::<*mut c_void, _>(f("SQLGetData")?),
                diag: std::mem::transmute::<*mut c_void, _>(f("SQLGetDiagRecW")?),
                _library: library,
            })
        }
    }

    /// An ODBC 3 environment and a connection made with the connection string.
    pub fn connect(&self, connection_string: &str) -> Result<Connection<'_>, String> {
        let (mut env, mut dbc): (H, H) = (std::ptr::null_mut(), std::ptr::null_mut());
        // SAFETY: the calls of a driver manager, in its order, with valid pointers.
        unsafe {
            if !ok((self.alloc)(SQL_HANDLE_ENV, std::ptr::null_mut(), &mut env)) {
                return Err("SQLAllocHandle(ENV) failed".into());
            }
            (self.set_env)(env, SQL_ATTR_ODBC_VERSION, SQL_OV_ODBC3 as H, 0);
            if !ok((self.alloc)(SQL_HANDLE_DBC, env, &mut dbc)) {
                return Err(self.error(SQL_HANDLE_ENV, env));
            }
            let text = wide(connection_string);
            let mut out = [0u16; 1024];
            let mut out_len = 0i16;
            let rc = (self.connect)(
                dbc,
                std::ptr::null_mut(),
                text.as_ptr(),
                SQL_NTS as i16,
                out.as_mut_ptr(),
                out.len() as i16,
                &mut out_len,
                SQL_DRIVER_NOPROMPT,
            );
            if !ok(rc) {
                let e = self.error(SQL_HANDLE_DBC, dbc);
                (self.free)(SQL_HANDLE_DBC, dbc);
                (self.free)(SQL_HANDLE_ENV, env);
                return Err(e);
            }
        }
        Ok(Connection {
            driver: self,
            env,
            dbc,
        })
    }

    /// The first diagnostic record of a handle: `SQLSTATE: message`.
    fn error(&self, kind: i16, handle: H) -> String {
        let mut state = [0u16; 6];
        let mut message = [0u16; 2048];
        let (mut native, mut len) = (0i32, 0i16);
        // SAFETY: buffers of the sizes given.
        let rc = unsafe {
            (self.diag)(
                kind,
                handle,
                1,
                state.as_mut_ptr(),
                &mut native,
                message.as_mut_ptr(),
                message.len() as i16,
                &mut len,
            )
        };
        if !ok(rc) {
            return format!("no diagnostic record (return code {rc})");
        }
        let len = usize::try_from(len).unwrap_or(0).min(message.len() - 1);
        format!(
            "{}: {}",
            String::from_utf16_lossy(&state[..5]),
            String::from_utf16_lossy(&message[..len])
        )
    }
}

/// What a statement returned.
pub struct Rows {
    pub columns: Vec<String>,
    pub values: Vec<Vec<Option<String>>>,
}

pub struct Connection<'d> {
    driver: &'d Driver,
    env: H,
    dbc: H,
}

impl Connection<'_> {
    pub fn info(&self, kind: u16) -> String {
        let mut buffer = [0u16; 256];
        let mut len = 0i16;
        // SAFETY: a buffer of 512 bytes.
        unsafe { (self.driver.info)(self.dbc, kind, buffer.as_mut_ptr().cast(), 512, &mut len) };
        let chars = usize::try_from(len).unwrap_or(0) / 2;
        String::from_utf16_lossy(&buffer[..chars.min(255)])
    }

    /// Runs one statement (prepared with its text parameters when there are some).
    pub fn run(&self, sql: &str, params: &[String]) -> Result<Rows, String> {
        let d = self.driver;
        let mut stmt: H = std::ptr::null_mut();
        // SAFETY: a statement's calls in order; the parameter buffers outlive SQLExecute.
        unsafe {
            if !ok((d.alloc)(SQL_HANDLE_STMT, self.dbc, &mut stmt)) {
                return Err(d.error(SQL_HANDLE_DBC, self.dbc));
            }
            let text = wide(sql);
            let done = if params.is_empty() {
                (d.exec_direct)(stmt, text.as_ptr(), SQL_NTS as i32)
            } else {
                let values: Vec<Vec<u16>> = params.iter().map(|p| wide(p)).collect();
                let mut lengths: Vec<isize> = vec![SQL_NTS; values.len()];
                let mut rc = (d.prepare)(stmt, text.as_ptr(), SQL_NTS as i32);
                for (i, value) in values.iter().enumerate() {
                    if !ok(rc) {
                        break;
                    }
                    rc = (d.bind)(
                        stmt,
                        i as u16 + 1,
                        SQL_PARAM_INPUT,
                        SQL_C_WCHAR,
                        SQL_WVARCHAR,
                        value.len(),
                        0,
                        value.as_ptr() as H,
                        (value.len() * 2) as isize,
                        &mut lengths[i],
                    );
                }
                if ok(rc) {
                    (d.execute)(stmt)
                } else {
                    rc
                }
            };
            let result = if ok(done) || done == SQL_NO_DATA {
                self.read(stmt)
            } else {
                Err(d.error(SQL_HANDLE_STMT, stmt))
            };
            (d.free)(SQL_HANDLE_STMT, stmt);
            result
        }
    }

    /// The columns and every row of an executed statement, each value as text.
    unsafe fn read(&self, stmt: H) -> Result<Rows, String> {
        let d = self.driver;
        let mut count = 0i16;
        (d.num_cols)(stmt, &mut count);
        let mut columns = Vec::new();
        for c in 1..=count as u16 {
            let mut name = [0u16; 256];
            let (mut len, mut ty, mut digits, mut nullable) = (0i16, 0i16, 0i16, 0i16);
            let mut size = 0usize;
            (d.describe)(
                stmt,
                c,
                name.as_mut_ptr(),
                256,
                &mut len,
                &mut ty,
                &mut size,
                &mut digits,
                &mut nullable,
            );
            columns.push(String::from_utf16_lossy(
                &name[..(len.max(0) as usize).min(255)],
            ));
        }
        let mut values = Vec::new();
        while count > 0 {
            match (d.fetch)(stmt) {
                SQL_NO_DATA => break,
                rc if !ok(rc) => return Err(d.error(SQL_HANDLE_STMT, stmt)),
                _ => {}
            }
            let mut row = Vec::new();
            for c in 1..=count as u16 {
                row.push(self.cell(stmt, c)?);
            }
            values.push(row);
        }
        Ok(Rows { columns, values })
    }

    /// One value as text, read in pieces as long as the driver says there is more.
    unsafe fn cell(&self, stmt: H, column: u16) -> Result<Option<String>, String> {
        let d = self.driver;
        let mut text: Vec<u16> = Vec::new();
        let mut piece = [0u16; 4096];
        loop {
            let mut indicator = 0isize;
            let rc = (d.get_data)(
                stmt,
                column,
                SQL_C_WCHAR,
                piece.as_mut_ptr().cast(),
                (piece.len() * 2) as isize,
                &mut indicator,
            );
            match rc {
                SQL_NO_DATA => break,
                _ if !ok(rc) => return Err(d.error(SQL_HANDLE_STMT, stmt)),
                _ if indicator == SQL_NULL_DATA => return Ok(None),
                _ => {}
            }
            let whole = usize::try_from(indicator)
                .map(|b| b / 2)
                .unwrap_or(usize::MAX);
            let got = whole.min(piece.len() - 1);
            text.extend_from_slice(&piece[..got]);
            if rc == 0 {
                break;
            }
        }
        Ok(Some(String::from_utf16_lossy(&text)))
    }
}

impl Drop for Connection<'_> {
    fn drop(&mut self) {
        // SAFETY: the handles this connection allocated, freed once.
        unsafe {
            (self.driver.disconnect)(self.dbc);
            (self.driver.free)(SQL_HANDLE_DBC, self.dbc);
            (self.driver.free)(SQL_HANDLE_ENV, self.env);
        }
    }
}

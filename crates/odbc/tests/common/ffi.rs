//! The ODBC C API of the driver manager (unixODBC's libodbc), called directly where odbc-api
//! has no safe wrapper: statistics, privileges, descriptors, pieces, cancel.
#![allow(non_snake_case, dead_code)]

use std::ffi::c_void;
use std::ptr::null_mut;

pub type H = *mut c_void;
pub type Ret = i16;

#[link(name = "odbc")]
extern "system" {
    pub fn SQLAllocHandle(kind: i16, input: H, out: *mut H) -> Ret;
    pub fn SQLFreeHandle(kind: i16, h: H) -> Ret;
    pub fn SQLSetEnvAttr(env: H, attr: i32, value: *mut c_void, len: i32) -> Ret;
    pub fn SQLDriverConnect(
        dbc: H,
        w: H,
        input: *const u8,
        in_len: i16,
        out: *mut u8,
        out_max: i16,
        out_len: *mut i16,
        completion: u16,
    ) -> Ret;
    pub fn SQLBrowseConnect(
        dbc: H,
        input: *const u8,
        in_len: i16,
        out: *mut u8,
        out_max: i16,
        out_len: *mut i16,
    ) -> Ret;
    pub fn SQLDisconnect(dbc: H) -> Ret;
    pub fn SQLExecDirect(stmt: H, sql: *const u8, len: i32) -> Ret;
    pub fn SQLPrepare(stmt: H, sql: *const u8, len: i32) -> Ret;
    pub fn SQLExecute(stmt: H) -> Ret;
    pub fn SQLFetch(stmt: H) -> Ret;
    pub fn SQLGetData(
        stmt: H,
        col: u16,
        c_type: i16,
        buf: *mut c_void,
        len: isize,
        ind: *mut isize,
    ) -> Ret;
    pub fn SQLBindCol(
        stmt: H,
        col: u16,
        c_type: i16,
        buf: *mut c_void,
        len: isize,
        ind: *mut isize,
    ) -> Ret;
    pub fn SQLBindParameter(
        stmt: H,
        n: u16,
        io: i16,
        c_type: i16,
        sql_type: i16,
        size: usize,
        digits: i16,
        buf: *mut c_void,
        len: isize,
        ind: *mut isize,
    ) -> Ret;
    pub fn SQLParamData(stmt: H, token: *mut *mut c_void) -> Ret;
    pub fn SQLPutData(stmt: H, data: *mut c_void, len: isize) -> Ret;
    pub fn SQLMoreResults(stmt: H) -> Ret;
    pub fn SQLCancel(stmt: H) -> Ret;
    pub fn SQLCloseCursor(stmt: H) -> Ret;
    pub fn SQLNumResultCols(stmt: H, n: *mut i16) -> Ret;
    pub fn SQLSetStmtAttr(stmt: H, attr: i32, value: *mut c_void, len: i32) -> Ret;
    pub fn SQLGetStmtAttr(stmt: H, attr: i32, value: *mut c_void, len: i32, out: *mut i32) -> Ret;
    pub fn SQLGetDescField(
        desc: H,
        rec: i16,
        field: i16,
        value: *mut c_void,
        len: i32,
        out: *mut i32,
    ) -> Ret;
    pub fn SQLSetDescField(desc: H, rec: i16, field: i16, value: *mut c_void, len: i32) -> Ret;
    pub fn SQLCopyDesc(src: H, dst: H) -> Ret;
    pub fn SQLGetInfo(dbc: H, info: u16, value: *mut c_void, len: i16, out: *mut i16) -> Ret;
    pub fn SQLGetFunctions(dbc: H, id: u16, out: *mut u16) -> Ret;
    pub fn SQLNativeSql(
        dbc: H,
        input: *const u8,
        in_len: i32,
        out: *mut u8,
        out_max: i32,
        out_len: *mut i32,
    ) -> Ret;
    pub fn SQLTables(
        stmt: H,
        c: *const u8,
        cl: i16,
        s: *const u8,
        sl: i16,
        t: *const u8,
        tl: i16,
        ty: *const u8,
        tyl: i16,
    ) -> Ret;
    pub fn SQLStatistics(
        stmt: H,
        c: *const u8,
        cl: i16,
        s: *const u8,
        sl: i16,
        t: *const u8,
        tl: i16,
        unique: u16,
        reserved: u16,
    ) -> Ret;
    pub fn SQLSpecialColumns(
        stmt: H,
        kind: u16,
        c: *const u8,
        cl: i16,
        s: *const u8,
        sl: i16,
        t: *const u8,
        tl: i16,
        scope: u16,
        nullable: u16,
    ) -> Ret;
    pub fn SQLProcedures(
        stmt: H,
        c: *const u8,
        cl: i16,
        s: *const u8,
        sl: i16,
        p: *const u8,
        pl: i16,
    ) -> Ret;
    pub fn SQLProcedureColumns(
        stmt: H,
        c: *const u8,
        cl: i16,
        s: *const u8,
        sl: i16,
        p: *const u8,
        pl: i16,
        col: *const u8,
        coll: i16,
    ) -> Ret;
    pub fn SQLTablePrivileges(
        stmt: H,
        c: *const u8,
        cl: i16,
        s: *const u8,
        sl: i16,
        t: *const u8,
        tl: i16,
    ) -> Ret;
    pub fn SQLColumnPrivileges(
        stmt: H,
        c: *const u8,
        cl: i16,
        s: *const u8,
        sl: i16,
        t: *const u8,
        tl: i16,
        col: *const u8,
        coll: i16,
    ) -> Ret;
    pub fn SQLGetTypeInfo(stmt: H, ty: i16) -> Ret;
    pub fn SQLFetchScroll(stmt: H, orientation: i16, offset: isize) -> Ret;
    pub fn SQLExtendedFetch(
        stmt: H,
        orientation: u16,
        offset: isize,
        rows: *mut usize,
        status: *mut u16,
    ) -> Ret;
    pub fn SQLSetPos(stmt: H, row: u64, operation: u16, lock: u16) -> Ret;
    pub fn SQLEndTran(kind: i16, h: H, completion: i16) -> Ret;
    pub fn SQLGetDiagField(
        kind: i16,
        h: H,
        rec: i16,
        field: i16,
        value: *mut c_void,
        max: i16,
        len: *mut i16,
    ) -> Ret;
    pub fn SQLGetDiagRec(
        kind: i16,
        h: H,
        rec: i16,
        state: *mut u8,
        native: *mut i32,
        msg: *mut u8,
        max: i16,
        len: *mut i16,
    ) -> Ret;
}

pub const NTS: i16 = -3;

/// SQLSTATE and message of a handle's first diagnostic.
pub fn diag(kind: i16, h: H) -> (String, String) {
    let mut state = [0u8; 6];
    let mut msg = [0u8; 1024];
    let (mut native, mut len) = (0i32, 0i16);
    unsafe {
        SQLGetDiagRec(
            kind,
            h,
            1,
            state.as_mut_ptr(),
            &mut native,
            msg.as_mut_ptr(),
            1024,
            &mut len,
        )
    };
    (
        String::from_utf8_lossy(&state[..5]).into_owned(),
        String::from_utf8_lossy(&msg[..len.max(0) as usize]).into_owned(),
    )
}

pub struct Conn {
    pub env: H,
    pub dbc: H,
}

unsafe impl Send for Conn {}
unsafe impl Sync for Conn {}

impl Conn {
    pub fn open(connection_string: &str) -> Result<Conn, (String, String)> {
        unsafe {
            let (mut env, mut dbc) = (null_mut(), null_mut());
            assert_eq!(SQLAllocHandle(1, null_mut(), &mut env), 0);
            assert_eq!(SQLSetEnvAttr(env, 200, 3 as *mut c_void, 0), 0);
            assert_eq!(SQLAllocHandle(2, env, &mut dbc), 0);
            let rc = SQLDriverConnect(
                dbc,
                null_mut(),
                connection_string.as_ptr(),
                connection_string.len() as i16,
                null_mut(),
                0,
                null_mut(),
                0,
            );
            if rc != 0 && rc != 1 {
                let d = diag(2, dbc);
                SQLFreeHandle(2, dbc);
                SQLFreeHandle(1, env);
                return Err(d);
            }
            Ok(Conn { env, dbc })
        }
    }

    pub fn stmt(&self) -> H {
        let mut s = null_mut();
        assert_eq!(unsafe { SQLAllocHandle(3, self.dbc, &mut s) }, 0);
        s
    }

    /// Executes `sql` on a new statement; panics with the diagnostic on failure.
    pub fn exec(&self, sql: &str) -> H {
        let s = self.stmt();
        let rc = unsafe { SQLExecDirect(s, sql.as_ptr(), sql.len() as i32) };
        assert!(rc == 0 || rc == 1, "{sql}: {:?}", diag(3, s));
        s
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        unsafe {
            SQLDisconnect(self.dbc);
            SQLFreeHandle(2, self.dbc);
            SQLFreeHandle(1, self.env);
        }
    }
}

/// Every row of a statement's result, as text (NULL as None).
pub fn rows(s: H) -> Vec<Vec<Option<String>>> {
    let mut n = 0i16;
    unsafe { SQLNumResultCols(s, &mut n) };
    let mut out = vec![];
    while unsafe { SQLFetch(s) } == 0 {
        let mut row = vec![];
        for c in 1..=n as u16 {
            let mut buf = [0u8; 512];
            let mut ind = 0isize;
            let rc = unsafe { SQLGetData(s, c, 1, buf.as_mut_ptr().cast(), 512, &mut ind) };
            assert!(rc == 0 || rc == 1, "{:?}", diag(3, s));
            row.push(
                (ind >= 0)
                    .then(|| String::from_utf8_lossy(&buf[..ind.min(511) as usize]).into_owned()),
            );
        }
        out.push(row);
    }
    out
}

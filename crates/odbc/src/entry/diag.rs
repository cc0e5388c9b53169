//! Reading diagnostics. These functions leave the handle's diagnostics as they are.

use super::{put, put_str};
use crate::conn::Conn;
use crate::desc::Desc;
use crate::diag::{class_origin, Diag};
use crate::env::Env;
use crate::registry::{Lease, Object};
use crate::stmt::Stmt;
use crate::sys::*;
use crate::text::{Enc, Measure};

/// Any kind of handle, leased for reading its diagnostics.
enum Leased {
    Env(Lease<Env>),
    Conn(Lease<Conn>),
    Stmt(Lease<Stmt>),
    Desc(Lease<Desc>),
}

impl std::ops::Deref for Leased {
    type Target = Diag;
    fn deref(&self) -> &Diag {
        match self {
            Leased::Env(o) => o.diag(),
            Leased::Conn(o) => o.diag(),
            Leased::Stmt(o) => o.diag(),
            Leased::Desc(o) => o.diag(),
        }
    }
}

fn diagnostics(kind: SmallInt, handle: Handle) -> Option<Leased> {
    match kind {
        SQL_HANDLE_ENV => Env::from_handle(handle).map(Leased::Env),
        SQL_HANDLE_DBC => Conn::from_handle(handle).map(Leased::Conn),
        SQL_HANDLE_STMT => Stmt::from_handle(handle).map(Leased::Stmt),
        SQL_HANDLE_DESC => Desc::from_handle(handle).map(Leased::Desc),
        _ => None,
    }
}

super::ansi_and_wide!(SQLGetDiagRec, SQLGetDiagRecW => get_diag_rec(kind: SmallInt, handle: Handle, rec: SmallInt, state: Pointer, native: *mut Integer, message: Pointer, cap: SmallInt, message_len: *mut SmallInt));

unsafe fn get_diag_rec(
    enc: Enc,
    kind: SmallInt,
    handle: Handle,
    rec: SmallInt,
    state: Pointer,
    native: *mut Integer,
    message: Pointer,
    cap: SmallInt,
    message_len: *mut SmallInt,
) -> SqlReturn {
    let Some(diag) = diagnostics(kind, handle) else {
        return SQL_INVALID_HANDLE;
    };
    if rec < 1 || cap < 0 {
        return SQL_ERROR;
    }
    let diag = diag.lock();
    let Some(r) = diag.records.get(rec as usize - 1) else {
        return SQL_NO_DATA;
    };
    enc.write(r.state, state, 6, Measure::Chars);
    put(native, r.native);
    let text = diag.message(rec as usize - 1).unwrap_or_default();
    match put_str(
        enc,
        &text,
        message,
        cap as isize,
        message_len,
        Measure::Chars,
    ) {
        Some(_) => SQL_SUCCESS_WITH_INFO,
        None => SQL_SUCCESS,
    }
}

super::ansi_and_wide!(SQLGetDiagField, SQLGetDiagFieldW => get_diag_field(kind: SmallInt, handle: Handle, rec: SmallInt, field: SmallInt, value: Pointer, cap: SmallInt, len: *mut SmallInt));

unsafe fn get_diag_field(
    enc: Enc,
    kind: SmallInt,
    handle: Handle,
    rec: SmallInt,
    field: SmallInt,
    value: Pointer,
    cap: SmallInt,
    len: *mut SmallInt,
) -> SqlReturn {
    let Some(diag) = diagnostics(kind, handle) else {
        return SQL_INVALID_HANDLE;
    };
    // counted before the diagnostics are locked: counting may read the rest of the result
    let cursor_rows = match (kind, field) {
        (SQL_HANDLE_STMT, SQL_DIAG_CURSOR_ROW_COUNT) => match &diag {
            Leased::Stmt(s) => crate::lock::lock(&s.state).cursor_row_count(&s.cancel),
            _ => -1,
        },
        _ => -1,
    };
    let diag = diag.lock();
    let text = |s: &str| match put_str(enc, s, value, cap as isize, len, Measure::Bytes) {
        Some(_) => SQL_SUCCESS_WITH_INFO,
        None => SQL_SUCCESS,
    };
    // header fields
    match field {
        SQL_DIAG_NUMBER => {
            put(value as *mut Integer, diag.records.len() as Integer);
            return SQL_SUCCESS;
        }
        SQL_DIAG_RETURNCODE => {
            put(value as *mut SqlReturn, diag.return_code);
            return SQL_SUCCESS;
        }
        SQL_DIAG_ROW_COUNT | SQL_DIAG_CURSOR_ROW_COUNT => {
            if kind != SQL_HANDLE_STMT {
                return SQL_ERROR;
            }
            put(
                value as *mut Len,
                if field == SQL_DIAG_ROW_COUNT {
                    diag.row_count
                } else {
                    cursor_rows
                },
            );
            return SQL_SUCCESS;
        }
        SQL_DIAG_DYNAMIC_FUNCTION => return text(""),
        SQL_DIAG_DYNAMIC_FUNCTION_CODE => {
            put(value as *mut Integer, 0);
            return SQL_SUCCESS;
        }
        _ => {}
    }
    if rec < 1 {
        return SQL_ERROR;
    }
    let Some(r) = diag.records.get(rec as usize - 1) else {
        return SQL_NO_DATA;
    };
    match field {
        SQL_DIAG_SQLSTATE => text(r.state),
        SQL_DIAG_NATIVE => {
            put(value as *mut Integer, r.native);
            SQL_SUCCESS
        }
        SQL_DIAG_MESSAGE_TEXT => text(&diag.message(rec as usize - 1).unwrap_or_default()),
        SQL_DIAG_CLASS_ORIGIN => text(class_origin(r.state)),
        SQL_DIAG_SUBCLASS_ORIGIN => text(class_origin(r.state)),
        SQL_DIAG_CONNECTION_NAME | SQL_DIAG_SERVER_NAME => text(""),
        SQL_DIAG_ROW_NUMBER | SQL_DIAG_COLUMN_NUMBER => {
            // -1: the row or column is not known
            put(value as *mut Len, -1);
            SQL_SUCCESS
        }
        _ => SQL_ERROR,
    }
}

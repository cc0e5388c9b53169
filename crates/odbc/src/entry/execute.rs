//! Preparing and executing statements, their parameters, and the statement's life cycle.

use super::{get_str, put};
use crate::conn::Conn;
use crate::diag::OdbcError;
use crate::lock::lock;
use crate::registry::{call, Object};
use crate::stmt::desc;
use crate::stmt::Stmt;
use crate::sys::*;
use crate::text::{Enc, Measure};

super::ansi_and_wide!(SQLPrepare, SQLPrepareW => prepare(stmt: Handle, text: Pointer, len: Integer));

unsafe fn prepare(enc: Enc, stmt: Handle, text: Pointer, len: Integer) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        let sql = get_str(enc, text, len as isize)?
            .ok_or_else(|| OdbcError::new("HY009", "no statement text"))?;
        let link = s.conn().link()?;
        s.cancel.reset();
        lock(&s.state).prepare(&link, &sql, &s.cancel)?;
        Ok(SQL_SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLExecute(stmt: Handle) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        let link = s.conn().link()?;
        s.cancel.reset();
        lock(&s.state).execute(&link, &s.cancel)
    })
}

super::ansi_and_wide!(SQLExecDirect, SQLExecDirectW => exec_direct(stmt: Handle, text: Pointer, len: Integer));

unsafe fn exec_direct(enc: Enc, stmt: Handle, text: Pointer, len: Integer) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        let sql = get_str(enc, text, len as isize)?
            .ok_or_else(|| OdbcError::new("HY009", "no statement text"))?;
        let link = s.conn().link()?;
        s.cancel.reset();
        let mut st = lock(&s.state);
        st.prepare(&link, &sql, &s.cancel)?;
        st.execute(&link, &s.cancel)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLBindParameter(
    stmt: Handle,
    number: USmallInt,
    io_type: SmallInt,
    c_type: SmallInt,
    sql_type: SmallInt,
    column_size: ULen,
    digits: SmallInt,
    value: Pointer,
    buffer_len: Len,
    len_or_ind: *mut Len,
) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        if number == 0 {
            return Err(OdbcError::invalid_column(0));
        }
        if io_type != SQL_PARAM_INPUT {
            return Err(OdbcError::not_supported(
                "only input parameters are supported",
            ));
        }
        if buffer_len < 0 {
            return Err(OdbcError::new("HY090", "the buffer length is negative"));
        }
        let st = lock(&s.state);
        let n = number as usize;
        {
            let mut apd = lock(&desc(st.apd).state);
            let r = apd.record_mut(n);
            r.set_type(c_type);
            r.data_ptr = value;
            r.octet_length = buffer_len;
            r.octet_length_ptr = len_or_ind;
            r.indicator_ptr = len_or_ind;
        }
        let mut ipd = lock(&desc(st.implicit.ipd).state);
        let r = ipd.record_mut(n);
        r.set_type(sql_type);
        r.parameter_type = io_type;
        r.length = column_size;
        r.precision = column_size.min(i16::MAX as usize) as SmallInt;
        r.scale = digits;
        Ok(SQL_SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLNumParams(stmt: Handle, count: *mut SmallInt) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        let st = lock(&s.state);
        let p = st
            .prepared
            .as_ref()
            .ok_or_else(|| OdbcError::sequence("no prepared statement"))?;
        put(count, p.parameters.len() as SmallInt);
        Ok(SQL_SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLDescribeParam(
    stmt: Handle,
    number: USmallInt,
    data_type: *mut SmallInt,
    size: *mut ULen,
    digits: *mut SmallInt,
    nullable: *mut SmallInt,
) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        let st = lock(&s.state);
        let p = st
            .prepared
            .as_ref()
            .ok_or_else(|| OdbcError::sequence("no prepared statement"))?;
        let n = number as usize;
        if n == 0 || n > p.parameters.len() {
            return Err(OdbcError::invalid_column(number));
        }
        let info = crate::types::SqlTypeInfo::of(
            p.parameters[n - 1]
                .as_ref()
                .unwrap_or(&pipedrive_engine::arrow::datatypes::DataType::Utf8),
            Some(255),
        );
        put(data_type, info.sql_type);
        put(size, info.column_size);
        put(digits, info.decimal_digits);
        put(nullable, SQL_NULLABLE);
        Ok(SQL_SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLParamData(stmt: Handle, token: *mut Pointer) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        let link = s.conn().link()?;
        let (rc, t) = lock(&s.state).param_data(&link, &s.cancel)?;
        if rc == SQL_NEED_DATA {
            put(token, t);
        }
        Ok(rc)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLPutData(stmt: Handle, data: Pointer, len: Len) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        lock(&s.state).put_data(data, len)?;
        Ok(SQL_SUCCESS)
    })
}

/// Stops the statement's work from any thread: a fetch waiting for a page returns HY008 and
/// no further pages are requested.
#[no_mangle]
pub unsafe extern "system" fn SQLCancel(stmt: Handle) -> SqlReturn {
    let Some(s) = Stmt::from_handle(stmt) else {
        return SQL_INVALID_HANDLE;
    };
    s.cancel.request();
    // nothing running: no effect, but a statement waiting for data-at-execution parameters
    // is reset; otherwise the running call ends itself with HY008
    if let Ok(mut st) = s.state.try_lock() {
        s.cancel.reset();
        st.data_at_exec = None;
    }
    SQL_SUCCESS
}

#[no_mangle]
pub unsafe extern "system" fn SQLCancelHandle(kind: SmallInt, handle: Handle) -> SqlReturn {
    match kind {
        SQL_HANDLE_STMT => SQLCancel(handle),
        SQL_HANDLE_DBC => call::<Conn>(handle, |_| Ok(SQL_SUCCESS)),
        _ => SQL_INVALID_HANDLE,
    }
}

#[no_mangle]
pub unsafe extern "system" fn SQLFreeStmt(stmt: Handle, option: USmallInt) -> SqlReturn {
    if option == SQL_DROP {
        return super::handles::free_statement(stmt);
    }
    call::<Stmt>(stmt, |s| {
        let mut st = lock(&s.state);
        match option {
            SQL_CLOSE => st.close(),
            SQL_UNBIND => {
                let mut ard = lock(&desc(st.ard).state);
                ard.records.clear();
            }
            SQL_RESET_PARAMS => {
                lock(&desc(st.apd).state).records.clear();
                lock(&desc(st.implicit.ipd).state).records.clear();
            }
            _ => return Err(OdbcError::unknown_option("option", option)),
        }
        Ok(SQL_SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLCloseCursor(stmt: Handle) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        let mut st = lock(&s.state);
        if st.cursor.is_none() {
            return Err(OdbcError::new(
                "24000",
                "invalid cursor state: no cursor is open",
            ));
        }
        st.close();
        Ok(SQL_SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLRowCount(stmt: Handle, count: *mut Len) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        put(count, lock(&s.state).rows_changed()?);
        Ok(SQL_SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLMoreResults(stmt: Handle) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        let link = s.conn().link()?;
        let mut st = lock(&s.state);
        if st.open_next(&link, &s.cancel)? {
            Ok(SQL_SUCCESS)
        } else {
            st.close();
            Ok(SQL_NO_DATA)
        }
    })
}

super::ansi_and_wide!(SQLGetCursorName, SQLGetCursorNameW => get_cursor_name(stmt: Handle, name: Pointer, cap: SmallInt, len: *mut SmallInt));

unsafe fn get_cursor_name(
    enc: Enc,
    stmt: Handle,
    name: Pointer,
    cap: SmallInt,
    len: *mut SmallInt,
) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        let mut st = lock(&s.state);
        if st.cursor_name.is_empty() {
            st.cursor_name = format!("SQL_CUR{:x}", stmt as usize);
        }
        super::put_text(
            s,
            enc,
            &st.cursor_name,
            name,
            cap as isize,
            len,
            Measure::Chars,
        );
        Ok(SQL_SUCCESS)
    })
}

super::ansi_and_wide!(SQLSetCursorName, SQLSetCursorNameW => set_cursor_name(stmt: Handle, name: Pointer, len: SmallInt));

unsafe fn set_cursor_name(enc: Enc, stmt: Handle, name: Pointer, len: SmallInt) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        let name = get_str(enc, name, len as isize)?
            .ok_or_else(|| OdbcError::new("HY009", "no cursor name"))?;
        if name.is_empty() || name.len() > 128 || name.to_ascii_uppercase().starts_with("SQL_CUR") {
            return Err(OdbcError::new(
                "34000",
                format!("'{name}' is not a valid cursor name"),
            ));
        }
        lock(&s.state).cursor_name = name;
        Ok(SQL_SUCCESS)
    })
}

//! Environment, connection and statement attributes. Statement attributes that the standard
//! defines as descriptor fields (array size, bind type and offset, status and count pointers)
//! read and write those descriptors.

use super::put;
use crate::conn::Conn;
use crate::desc::Desc;
use crate::desc::{clamp_array_size, is_pointer_field, DescKind, FieldValue};
use crate::diag::OdbcError;
use crate::env::Env;
use crate::lock::lock;
use crate::registry::{call, warn, Object};
use crate::stmt::Stmt;
use crate::stmt::{desc as stmt_desc, StmtState};
use crate::sys::*;
use crate::text::{Enc, Measure};

#[no_mangle]
pub unsafe extern "system" fn SQLSetEnvAttr(
    env: Handle,
    attr: Integer,
    value: Pointer,
    _len: Integer,
) -> SqlReturn {
    call::<Env>(env, |e| {
        let v = value as usize as Integer;
        match attr {
            SQL_ATTR_ODBC_VERSION => match v {
                SQL_OV_ODBC2 | SQL_OV_ODBC3 | SQL_OV_ODBC3_80 => *lock(&e.odbc_version) = v,
                _ => {
                    return Err(OdbcError::new(
                        "HY024",
                        format!("ODBC version {v} is not supported"),
                    ))
                }
            },
            SQL_ATTR_CONNECTION_POOLING | SQL_ATTR_CP_MATCH => {}
            SQL_ATTR_OUTPUT_NTS if v == 1 => {}
            SQL_ATTR_OUTPUT_NTS => {
                return Err(OdbcError::not_supported(
                    "strings are always NUL-terminated",
                ))
            }
            _ => return Err(OdbcError::unknown_option("environment attribute", attr)),
        }
        Ok(SQL_SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetEnvAttr(
    env: Handle,
    attr: Integer,
    value: Pointer,
    _cap: Integer,
    len: *mut Integer,
) -> SqlReturn {
    call::<Env>(env, |e| {
        let v: u32 = match attr {
            SQL_ATTR_ODBC_VERSION => *lock(&e.odbc_version) as u32,
            SQL_ATTR_CONNECTION_POOLING | SQL_ATTR_CP_MATCH => 0,
            SQL_ATTR_OUTPUT_NTS => 1,
            _ => return Err(OdbcError::unknown_option("environment attribute", attr)),
        };
        put(value as *mut u32, v);
        put(len, 4);
        Ok(SQL_SUCCESS)
    })
}

super::ansi_and_wide!(SQLSetConnectAttr, SQLSetConnectAttrW => set_connect_attr(conn: Handle, attr: Integer, value: Pointer, len: Integer));

unsafe fn set_connect_attr(
    enc: Enc,
    conn: Handle,
    attr: Integer,
    value: Pointer,
    len: Integer,
) -> SqlReturn {
    call::<Conn>(conn, |c| {
        let mut st = lock(&c.state);
        let v = value as usize;
        match attr {
            SQL_ATTR_AUTOCOMMIT => {
                if v != SQL_AUTOCOMMIT_ON {
                    warn(c, OdbcError::new("01S02", "Pipedrive has no transactions: every statement takes effect at once (auto-commit stays on)"));
                }
            }
            SQL_ATTR_ACCESS_MODE => st.access_mode = v,
            SQL_ATTR_LOGIN_TIMEOUT => st.login_timeout = v,
            SQL_ATTR_CONNECTION_TIMEOUT => st.connection_timeout = v,
            SQL_ATTR_METADATA_ID => st.metadata_id = v,
            SQL_ATTR_TXN_ISOLATION => {
                if st.is_open() {
                    warn(
                        c,
                        OdbcError::new(
                            "01S02",
                            "transaction isolation does not apply to Pipedrive",
                        ),
                    );
                }
            }
            SQL_ATTR_PACKET_SIZE => st.packet_size = v,
            SQL_ATTR_QUIET_MODE => st.quiet_mode = v,
            SQL_ATTR_CURRENT_CATALOG => {
                let name = enc
                    .read(value, len as Len, Measure::Bytes)?
                    .unwrap_or_default();
                if !name.eq_ignore_ascii_case(pipedrive_engine::CATALOG) {
                    return Err(OdbcError::new(
                        "HY024",
                        format!(
                            "there is no catalog '{name}' (only {})",
                            pipedrive_engine::CATALOG
                        ),
                    ));
                }
            }
            SQL_ATTR_TRACE
            | SQL_ATTR_TRACEFILE
            | SQL_ATTR_TRANSLATE_LIB
            | SQL_ATTR_TRANSLATE_OPTION
            | SQL_ATTR_ODBC_CURSORS
            | SQL_ATTR_ANSI_APP
            | SQL_ATTR_RESET_CONNECTION => {}
            SQL_ATTR_ASYNC_ENABLE | SQL_ATTR_ASYNC_DBC_FUNCTIONS_ENABLE if v == 0 => {}
            SQL_ATTR_ASYNC_ENABLE | SQL_ATTR_ASYNC_DBC_FUNCTIONS_ENABLE => {
                return Err(OdbcError::not_supported(
                    "asynchronous execution is not supported",
                ))
            }
            _ => return Err(OdbcError::unknown_option("connection attribute", attr)),
        }
        Ok(SQL_SUCCESS)
    })
}

super::ansi_and_wide!(SQLGetConnectAttr, SQLGetConnectAttrW => get_connect_attr(conn: Handle, attr: Integer, value: Pointer, cap: Integer, len: *mut Integer));

unsafe fn get_connect_attr(
    enc: Enc,
    conn: Handle,
    attr: Integer,
    value: Pointer,
    cap: Integer,
    len: *mut Integer,
) -> SqlReturn {
    call::<Conn>(conn, |c| {
        let st = lock(&c.state);
        let v = match attr {
            SQL_ATTR_AUTOCOMMIT => SQL_AUTOCOMMIT_ON,
            SQL_ATTR_ACCESS_MODE => st.access_mode,
            SQL_ATTR_LOGIN_TIMEOUT => st.login_timeout,
            SQL_ATTR_CONNECTION_TIMEOUT => st.connection_timeout,
            SQL_ATTR_METADATA_ID => st.metadata_id,
            SQL_ATTR_TXN_ISOLATION => 0,
            SQL_ATTR_PACKET_SIZE => st.packet_size,
            SQL_ATTR_QUIET_MODE => st.quiet_mode,
            SQL_ATTR_CONNECTION_DEAD => SQL_CD_FALSE + !st.is_open() as usize,
            SQL_ATTR_AUTO_IPD => 1,
            SQL_ATTR_ASYNC_ENABLE
            | SQL_ATTR_ASYNC_DBC_FUNCTIONS_ENABLE
            | SQL_ATTR_ODBC_CURSORS
            | SQL_ATTR_TRACE => 0,
            SQL_ATTR_CURRENT_CATALOG => {
                let catalog = if st.is_open() {
                    pipedrive_engine::CATALOG
                } else {
                    ""
                };
                super::put_text(c, enc, catalog, value, cap as isize, len, Measure::Bytes);
                return Ok(SQL_SUCCESS);
            }
            _ => return Err(OdbcError::unknown_option("connection attribute", attr)),
        };
        if attr == SQL_ATTR_QUIET_MODE {
            put(value as *mut usize, v);
            put(len, std::mem::size_of::<usize>() as Integer);
        } else {
            put(value as *mut u32, v as u32);
            put(len, 4);
        }
        Ok(SQL_SUCCESS)
    })
}

/// The statement attributes that are descriptor header fields: which descriptor, which field.
fn header_field(st: &StmtState, attr: Integer) -> Option<(Handle, SmallInt)> {
    Some(match attr {
        SQL_ATTR_ROW_ARRAY_SIZE | SQL_ROWSET_SIZE => (st.ard, SQL_DESC_ARRAY_SIZE),
        SQL_ATTR_ROW_BIND_TYPE => (st.ard, SQL_DESC_BIND_TYPE),
        SQL_ATTR_ROW_BIND_OFFSET_PTR => (st.ard, SQL_DESC_BIND_OFFSET_PTR),
        SQL_ATTR_ROW_OPERATION_PTR => (st.ard, SQL_DESC_ARRAY_STATUS_PTR),
        SQL_ATTR_ROW_STATUS_PTR => (st.implicit.ird, SQL_DESC_ARRAY_STATUS_PTR),
        SQL_ATTR_ROWS_FETCHED_PTR => (st.implicit.ird, SQL_DESC_ROWS_PROCESSED_PTR),
        SQL_ATTR_PARAMSET_SIZE => (st.apd, SQL_DESC_ARRAY_SIZE),
        SQL_ATTR_PARAM_BIND_TYPE => (st.apd, SQL_DESC_BIND_TYPE),
        SQL_ATTR_PARAM_BIND_OFFSET_PTR => (st.apd, SQL_DESC_BIND_OFFSET_PTR),
        SQL_ATTR_PARAM_OPERATION_PTR => (st.apd, SQL_DESC_ARRAY_STATUS_PTR),
        SQL_ATTR_PARAM_STATUS_PTR => (st.implicit.ipd, SQL_DESC_ARRAY_STATUS_PTR),
        SQL_ATTR_PARAMS_PROCESSED_PTR => (st.implicit.ipd, SQL_DESC_ROWS_PROCESSED_PTR),
        _ => return None,
    })
}

super::ansi_and_wide!(SQLSetStmtAttr, SQLSetStmtAttrW => set_stmt_attr(stmt: Handle, attr: Integer, value: Pointer, len: Integer));

unsafe fn set_stmt_attr(
    _enc: Enc,
    stmt: Handle,
    attr: Integer,
    value: Pointer,
    _len: Integer,
) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        let mut st = lock(&s.state);
        let v = value as usize;
        if let Some((d, field)) = header_field(&st, attr) {
            let mut val = if is_pointer_field(field) {
                FieldValue::Ptr(value)
            } else {
                FieldValue::Int(v as isize)
            };
            if let Some(w) = clamp_array_size(field, &mut val) {
                warn(s, w);
            }
            lock(&stmt_desc(d).state).set_field(0, field, val)?;
            return Ok(SQL_SUCCESS);
        }
        match attr {
            SQL_ATTR_APP_ROW_DESC | SQL_ATTR_APP_PARAM_DESC => {
                let target = if value.is_null() {
                    if attr == SQL_ATTR_APP_ROW_DESC {
                        st.implicit.ard
                    } else {
                        st.implicit.apd
                    }
                } else {
                    let d = Desc::from_handle(value)
                        .ok_or_else(|| OdbcError::new("HY024", "not a descriptor handle"))?;
                    if d.conn.is_null() {
                        return Err(OdbcError::new(
                            "HY017",
                            "a statement's own descriptor cannot be given to another",
                        ));
                    }
                    lock(&d.state).kind = if attr == SQL_ATTR_APP_ROW_DESC {
                        DescKind::Ard
                    } else {
                        DescKind::Apd
                    };
                    value
                };
                if attr == SQL_ATTR_APP_ROW_DESC {
                    st.ard = target
                } else {
                    st.apd = target
                }
            }
            SQL_ATTR_IMP_ROW_DESC | SQL_ATTR_IMP_PARAM_DESC => {
                return Err(OdbcError::new(
                    "HY017",
                    "implementation descriptors cannot be replaced",
                ))
            }
            SQL_ATTR_QUERY_TIMEOUT => st.query_timeout = v,
            SQL_ATTR_MAX_ROWS => st.max_rows = v,
            SQL_ATTR_METADATA_ID => st.metadata_id = v,
            SQL_ATTR_NOSCAN => st.noscan = v,
            SQL_ATTR_MAX_LENGTH => st.max_length = v,
            SQL_ATTR_RETRIEVE_DATA => st.retrieve_data = v,
            SQL_ATTR_KEYSET_SIZE => st.keyset_size = v,
            // off, on (ODBC 2's 32-bit bookmarks) or variable (8 bytes here): a bookmark is
            // the row's number in the result
            SQL_ATTR_USE_BOOKMARKS if v <= SQL_UB_VARIABLE => st.use_bookmarks = v,
            SQL_ATTR_FETCH_BOOKMARK_PTR => st.fetch_bookmark = value as usize,
            SQL_ATTR_USE_BOOKMARKS => {
                return Err(OdbcError::new(
                    "HY024",
                    format!("{v} is not a value of SQL_ATTR_USE_BOOKMARKS"),
                ))
            }
            SQL_ATTR_CURSOR_TYPE
            | SQL_ATTR_CONCURRENCY
            | SQL_ATTR_CURSOR_SCROLLABLE
            | SQL_ATTR_CURSOR_SENSITIVITY
            | SQL_ATTR_SIMULATE_CURSOR => {
                if !st.set_cursor_option(attr, v) {
                    // the standard's "option value changed": the nearest cursor there is
                    warn(
                        s,
                        OdbcError::new(
                            "01S02",
                            "cursors are forward-only or static, insensitive and read-only; \
                             the value was changed",
                        ),
                    );
                }
            }
            SQL_ATTR_ASYNC_ENABLE if v == 0 => {}
            SQL_ATTR_ASYNC_ENABLE => {
                return Err(OdbcError::not_supported(
                    "asynchronous execution is not supported",
                ))
            }
            SQL_ATTR_ENABLE_AUTO_IPD | SQL_ATTR_ROW_NUMBER => {}
            _ => return Err(OdbcError::unknown_option("statement attribute", attr)),
        }
        Ok(SQL_SUCCESS)
    })
}

super::ansi_and_wide!(SQLGetStmtAttr, SQLGetStmtAttrW => get_stmt_attr(stmt: Handle, attr: Integer, value: Pointer, cap: Integer, len: *mut Integer));

unsafe fn get_stmt_attr(
    _enc: Enc,
    stmt: Handle,
    attr: Integer,
    value: Pointer,
    _cap: Integer,
    len: *mut Integer,
) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        let st = lock(&s.state);
        let v: FieldValue = match header_field(&st, attr) {
            Some((d, field)) => lock(&stmt_desc(d).state).get_field(0, field)?,
            None => own_attr(&st, attr)?,
        };
        match v {
            FieldValue::Ptr(p) => put(value as *mut Pointer, p),
            FieldValue::Int(i) => put(value as *mut usize, i as usize),
            FieldValue::Text(_) => {}
        }
        put(len, std::mem::size_of::<usize>() as Integer);
        Ok(SQL_SUCCESS)
    })
}

/// A statement attribute kept on the statement itself.
fn own_attr(st: &StmtState, attr: Integer) -> Result<FieldValue, OdbcError> {
    Ok(match attr {
        SQL_ATTR_APP_ROW_DESC => FieldValue::Ptr(st.ard),
        SQL_ATTR_APP_PARAM_DESC => FieldValue::Ptr(st.apd),
        SQL_ATTR_IMP_ROW_DESC => FieldValue::Ptr(st.implicit.ird),
        SQL_ATTR_IMP_PARAM_DESC => FieldValue::Ptr(st.implicit.ipd),
        SQL_ATTR_QUERY_TIMEOUT => FieldValue::Int(st.query_timeout as isize),
        SQL_ATTR_MAX_ROWS => FieldValue::Int(st.max_rows as isize),
        SQL_ATTR_METADATA_ID => FieldValue::Int(st.metadata_id as isize),
        SQL_ATTR_NOSCAN => FieldValue::Int(st.noscan as isize),
        SQL_ATTR_MAX_LENGTH => FieldValue::Int(st.max_length as isize),
        SQL_ATTR_RETRIEVE_DATA => FieldValue::Int(st.retrieve_data as isize),
        SQL_ATTR_KEYSET_SIZE => FieldValue::Int(st.keyset_size as isize),
        SQL_ATTR_USE_BOOKMARKS => FieldValue::Int(st.use_bookmarks as isize),
        SQL_ATTR_FETCH_BOOKMARK_PTR => FieldValue::Ptr(st.fetch_bookmark as Pointer),
        SQL_ATTR_CURSOR_TYPE => FieldValue::Int(st.cursor_type as isize),
        SQL_ATTR_CONCURRENCY => FieldValue::Int(st.concurrency as isize),
        // a static cursor is scrollable and insensitive; a forward-only one neither
        SQL_ATTR_CURSOR_SCROLLABLE | SQL_ATTR_CURSOR_SENSITIVITY => {
            FieldValue::Int((st.cursor_type == SQL_CURSOR_STATIC) as isize)
        }
        SQL_ATTR_SIMULATE_CURSOR | SQL_ATTR_ASYNC_ENABLE | SQL_ATTR_ENABLE_AUTO_IPD => {
            FieldValue::Int(0)
        }
        SQL_ATTR_ROW_NUMBER => FieldValue::Int(st.row_number() as isize),
        _ => return Err(OdbcError::unknown_option("statement attribute", attr)),
    })
}

//! Allocating and freeing handles.

use super::put;
use crate::conn::Conn;
use crate::conn::ConnState;
use crate::desc::Desc;
use crate::desc::{DescKind, Descriptor};
use crate::diag::OdbcError;
use crate::env::Env;
use crate::lock::lock;
use crate::registry::{call, live_handles, Object};
use crate::stmt::Stmt;
use crate::stmt::StmtState;
use crate::sys::*;
use std::sync::Mutex;

#[no_mangle]
pub unsafe extern "system" fn SQLAllocHandle(
    kind: SmallInt,
    input: Handle,
    output: *mut Handle,
) -> SqlReturn {
    if output.is_null() && kind != SQL_HANDLE_ENV {
        return SQL_ERROR;
    }
    match kind {
        SQL_HANDLE_ENV => {
            if output.is_null() {
                return SQL_ERROR;
            }
            let env = Env {
                diag: Default::default(),
                odbc_version: Mutex::new(SQL_OV_ODBC3),
            };
            put(output, env.into_handle());
            SQL_SUCCESS
        }
        SQL_HANDLE_DBC => call::<Env>(input, |_| {
            let conn = Conn {
                env: input,
                diag: Default::default(),
                state: Mutex::new(ConnState::default()),
            };
            put(output, conn.into_handle());
            Ok(SQL_SUCCESS)
        }),
        SQL_HANDLE_STMT => call::<Conn>(input, |c| {
            let state = lock(&c.state);
            if !state.is_open() {
                return Err(OdbcError::new("08003", "the connection is not open"));
            }
            let stmt = Stmt {
                conn: input,
                diag: Default::default(),
                state: Mutex::new(StmtState::new(&state)),
                cancel: Default::default(),
            };
            put(output, stmt.into_handle());
            Ok(SQL_SUCCESS)
        }),
        SQL_HANDLE_DESC => call::<Conn>(input, |c| {
            if !lock(&c.state).is_open() {
                return Err(OdbcError::new("08003", "the connection is not open"));
            }
            let desc = Desc {
                diag: Default::default(),
                state: Mutex::new(Descriptor::new(DescKind::Ard, SQL_DESC_ALLOC_USER)),
                conn: input,
            };
            put(output, desc.into_handle());
            Ok(SQL_SUCCESS)
        }),
        _ => SQL_ERROR,
    }
}

#[no_mangle]
pub unsafe extern "system" fn SQLFreeHandle(kind: SmallInt, handle: Handle) -> SqlReturn {
    match kind {
        SQL_HANDLE_ENV => {
            let rc = call::<Env>(handle, |_| {
                let open = live_handles(SQL_HANDLE_DBC)
                    .into_iter()
                    .filter_map(Conn::from_handle)
                    .any(|c| c.env == handle);
                if open {
                    return Err(OdbcError::sequence("the environment still has connections"));
                }
                Ok(SQL_SUCCESS)
            });
            if rc == SQL_SUCCESS {
                Env::free(handle);
            }
            rc
        }
        SQL_HANDLE_DBC => {
            let rc = call::<Conn>(handle, |c| {
                if lock(&c.state).is_open() {
                    return Err(OdbcError::sequence(
                        "disconnect before freeing the connection",
                    ));
                }
                Ok(SQL_SUCCESS)
            });
            if rc == SQL_SUCCESS {
                Conn::free(handle);
            }
            rc
        }
        SQL_HANDLE_STMT => {
            let rc = call::<Stmt>(handle, |_| Ok(SQL_SUCCESS));
            if rc == SQL_SUCCESS {
                free_statement(handle);
            }
            rc
        }
        SQL_HANDLE_DESC => {
            let rc = call::<Desc>(handle, |d| {
                if d.conn.is_null() {
                    return Err(OdbcError::new(
                        "HY017",
                        "a statement's own descriptor cannot be freed",
                    ));
                }
                Ok(SQL_SUCCESS)
            });
            if rc == SQL_SUCCESS {
                free_app_descriptor(handle);
            }
            rc
        }
        _ => SQL_INVALID_HANDLE,
    }
}

/// Closes a statement and frees it with its descriptors.
pub unsafe fn free_statement(handle: Handle) {
    if let Some(s) = Stmt::from_handle(handle) {
        s.cancel.request();
        let mut st = lock(&s.state);
        st.close();
        st.free_descriptors();
    }
    Stmt::free(handle);
}

/// Frees an application descriptor; statements using it go back to their own.
unsafe fn free_app_descriptor(handle: Handle) {
    for h in live_handles(SQL_HANDLE_STMT) {
        if let Some(s) = Stmt::from_handle(h) {
            let mut st = lock(&s.state);
            if st.ard == handle {
                st.ard = st.implicit.ard;
            }
            if st.apd == handle {
                st.apd = st.implicit.apd;
            }
        }
    }
    Desc::free(handle);
}

/// The statements and application descriptors of a connection (freed on disconnect).
pub fn children(conn: Handle) -> (Vec<Handle>, Vec<Handle>) {
    let stmts = live_handles(SQL_HANDLE_STMT)
        .into_iter()
        .filter(|h| Stmt::from_handle(*h).is_some_and(|s| s.conn == conn))
        .collect();
    let descs = live_handles(SQL_HANDLE_DESC)
        .into_iter()
        .filter(|h| Desc::from_handle(*h).is_some_and(|d| d.conn == conn))
        .collect();
    (stmts, descs)
}

pub unsafe fn free_children(conn: Handle) {
    let (stmts, descs) = children(conn);
    for s in stmts {
        free_statement(s);
    }
    for d in descs {
        free_app_descriptor(d);
    }
}

//! Allocating and freeing handles.

use super::put;
use crate::conn::Conn;
use crate::conn::ConnState;
use crate::desc::Desc;
use crate::desc::{DescKind, Descriptor};
use crate::diag::{OdbcError, OdbcResult};
use crate::env::Env;
use crate::lock::lock;
use crate::registry::{call, in_use, live_handles, retire, Object};
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
        SQL_HANDLE_ENV => free::<Env>(
            handle,
            |_| {
                let open = live_handles(SQL_HANDLE_DBC)
                    .into_iter()
                    .filter_map(Conn::from_handle)
                    .any(|c| c.env == handle);
                if open {
                    return Err(OdbcError::sequence("the environment still has connections"));
                }
                Ok(vec![handle])
            },
            || drop(Env::take_retired(handle)),
        ),
        SQL_HANDLE_DBC => free::<Conn>(
            handle,
            |c| {
                if lock(&c.state).is_open() {
                    return Err(OdbcError::sequence(
                        "disconnect before freeing the connection",
                    ));
                }
                // statements allocated while it was being disconnected go with it
                free_children(handle)?;
                Ok(vec![handle])
            },
            || drop(Conn::take_retired(handle)),
        ),
        SQL_HANDLE_STMT => free_statement(handle),
        SQL_HANDLE_DESC => free::<Desc>(
            handle,
            |d| {
                if d.conn.is_null() {
                    return Err(OdbcError::new(
                        "HY017",
                        "a statement's own descriptor cannot be freed",
                    ));
                }
                release_app_descriptor(handle);
                Ok(vec![handle])
            },
            || drop(Desc::take_retired(handle)),
        ),
        _ => SQL_INVALID_HANDLE,
    }
}

/// Frees a handle of kind `T`: `going` checks the object may go and answers the handles that
/// go with it (itself first), which are retired together (HY010 while a call in another thread
/// uses any); `dispose` then drops what was retired.
unsafe fn free<T: Object>(
    handle: Handle,
    going: impl FnOnce(&T) -> OdbcResult<Vec<Handle>>,
    dispose: impl FnOnce(),
) -> SqlReturn {
    let rc = call::<T>(handle, |o| {
        retire(&going(o)?, Some(handle))?;
        Ok(SQL_SUCCESS)
    });
    if rc == SQL_SUCCESS {
        dispose();
    }
    rc
}

/// SQLFreeHandle(SQL_HANDLE_STMT) and SQLFreeStmt(SQL_DROP): closes the statement and frees
/// it with its descriptors (HY010 while another thread is inside a call on it).
pub unsafe fn free_statement(handle: Handle) -> SqlReturn {
    free::<Stmt>(
        handle,
        |s| statement_handles(s, handle),
        || drop_statement(handle),
    )
}

/// A statement's handle and its own descriptors' (they go together); HY010 when a call in
/// another thread holds the statement.
fn statement_handles(s: &Stmt, handle: Handle) -> OdbcResult<Vec<Handle>> {
    let st = s.state.try_lock().map_err(|_| in_use())?;
    let mut handles = vec![handle];
    handles.extend(st.implicit.handles());
    Ok(handles)
}

/// Closes and frees a retired statement and its own descriptors.
unsafe fn drop_statement(handle: Handle) {
    let s = Stmt::take_retired(handle);
    s.cancel.request();
    let descriptors = {
        let mut st = lock(&s.state);
        st.close();
        st.implicit.handles()
    };
    drop(s);
    for d in descriptors {
        drop(Desc::take_retired(d));
    }
}

/// Statements using an application descriptor go back to their own (each under its lock, so
/// none is in a call that reads the descriptor once this returns).
fn release_app_descriptor(handle: Handle) {
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

/// Frees a connection's statements and descriptors (on disconnect): all of them, or none
/// with HY010 when any is in a call in another thread.
pub unsafe fn free_children(conn: Handle) -> OdbcResult<()> {
    let (stmts, descs) = children(conn);
    let mut all = descs.clone();
    for h in &stmts {
        if let Some(s) = Stmt::from_handle(*h) {
            all.extend(statement_handles(&s, *h)?);
        }
    }
    retire(&all, None)?;
    for s in stmts {
        drop_statement(s);
    }
    for d in descs {
        drop(Desc::take_retired(d));
    }
    Ok(())
}

//! Connecting and disconnecting, and what a connection can tell about the driver.

use super::{get_str, put};
use crate::conn::Conn;
use crate::conn::{self, ConnState, Link};
use crate::diag::{OdbcError, OdbcResult};
use crate::env::Env;
use crate::info::{get_info, Info, FUNCTIONS};
use crate::lock::lock;
use crate::log::Log;
use crate::registry::call;
use crate::sys::*;
use crate::text::{Enc, Measure};
use pipedrive_engine::Properties;
use std::sync::Arc;

/// Opens the connection with these properties.
fn open(st: &mut ConnState, props: Properties) -> OdbcResult<()> {
    if st.is_open() {
        return Err(OdbcError::new("08002", "the connection is already open"));
    }
    let log = Log::open(&props).map_err(|e| OdbcError::new("08001", e))?;
    if let Some(log) = &log {
        log.write(1, &format!("connect: {props:?}"));
    }
    let span = log.as_ref().map_or_else(tracing::Span::none, |l| l.span());
    let session = conn::open(&props, st.login_timeout, span).inspect_err(|e| {
        if let Some(log) = &log {
            log.write(1, &format!("connect failed: {} {}", e.state, e.message));
        }
    })?;
    st.link = Some(Arc::new(Link {
        session,
        log,
        max_rows: conn::max_rows(&props),
    }));
    st.props = props;
    Ok(())
}

super::ansi_and_wide!(SQLConnect, SQLConnectW => connect(conn: Handle, dsn: Pointer, dsn_len: SmallInt, user: Pointer, user_len: SmallInt, auth: Pointer, auth_len: SmallInt));

unsafe fn connect(
    enc: Enc,
    conn: Handle,
    dsn: Pointer,
    dsn_len: SmallInt,
    user: Pointer,
    user_len: SmallInt,
    auth: Pointer,
    auth_len: SmallInt,
) -> SqlReturn {
    call::<Conn>(conn, |c| {
        let dsn = super::connection_text(enc, dsn, dsn_len as isize)?;
        let user = get_str(enc, user, user_len as isize)?;
        let auth = get_str(enc, auth, auth_len as isize)?;
        let mut props = Properties::new();
        props.set("DSN", dsn.clone());
        // a password given to SQLConnect is the API token (or the OAuth access token)
        if let Some(secret) = auth.filter(|s| !s.is_empty()) {
            let dsn_props = conn::dsn_or_error(&dsn)?;
            let key = match dsn_props.get("AuthScheme") {
                Some(s) if s.eq_ignore_ascii_case("OAuth") => "OAuthAccessToken",
                _ => "APIToken",
            };
            props.set(key, secret);
        }
        if let Some(user) = user.filter(|u| !u.is_empty()) {
            props.set("UID", user);
        }
        let props = props.or(&conn::dsn_or_error(&dsn)?);
        let mut st = lock(&c.state);
        open(&mut st, props)?;
        Ok(SQL_SUCCESS)
    })
}

super::ansi_and_wide!(SQLDriverConnect, SQLDriverConnectW => driver_connect(conn: Handle, window: Pointer, input: Pointer, input_len: SmallInt, output: Pointer, output_cap: SmallInt, output_len: *mut SmallInt, completion: USmallInt));

unsafe fn driver_connect(
    enc: Enc,
    conn: Handle,
    _window: Pointer,
    input: Pointer,
    input_len: SmallInt,
    output: Pointer,
    output_cap: SmallInt,
    output_len: *mut SmallInt,
    completion: USmallInt,
) -> SqlReturn {
    call::<Conn>(conn, |c| {
        if !matches!(
            completion,
            SQL_DRIVER_NOPROMPT
                | SQL_DRIVER_COMPLETE
                | SQL_DRIVER_PROMPT
                | SQL_DRIVER_COMPLETE_REQUIRED
        ) {
            return Err(OdbcError::new(
                "HY110",
                format!("driver completion {completion} is not valid"),
            ));
        }
        let text = super::connection_text(enc, input, input_len as isize)?;
        let props = conn::resolve(&text)?;
        let missing = conn::missing(&props);
        if !missing.is_empty() && completion != SQL_DRIVER_NOPROMPT {
            // no dialog to ask with: say precisely what the connection string lacks
            let names: Vec<&str> = missing
                .iter()
                .map(|m| m.split(':').next().unwrap_or(m))
                .collect();
            return Err(OdbcError::new("IM008", format!("this driver has no dialog to ask for {}; add it to the connection string or the DSN", names.join(", "))));
        }
        let mut st = lock(&c.state);
        open(&mut st, props)?;
        let completed = conn::completed(&st.props);
        super::put_text(
            c,
            enc,
            &completed,
            output,
            output_cap as isize,
            output_len,
            Measure::Chars,
        );
        Ok(SQL_SUCCESS)
    })
}

super::ansi_and_wide!(SQLBrowseConnect, SQLBrowseConnectW => browse_connect(conn: Handle, input: Pointer, input_len: SmallInt, output: Pointer, output_cap: SmallInt, output_len: *mut SmallInt));

unsafe fn browse_connect(
    enc: Enc,
    conn: Handle,
    input: Pointer,
    input_len: SmallInt,
    output: Pointer,
    output_cap: SmallInt,
    output_len: *mut SmallInt,
) -> SqlReturn {
    call::<Conn>(conn, |c| {
        let text = super::connection_text(enc, input, input_len as isize)?;
        let mut st = lock(&c.state);
        // what earlier rounds gave, with this round's keys winning
        let props = conn::resolve(&text)?.or(&st.props);
        let missing = conn::missing(&props);
        if !missing.is_empty() {
            st.props = props;
            super::put_text(
                c,
                enc,
                &missing.join(";"),
                output,
                output_cap as isize,
                output_len,
                Measure::Chars,
            );
            return Ok(SQL_NEED_DATA);
        }
        st.props = Properties::new();
        open(&mut st, props)?;
        let completed = conn::completed(&st.props);
        super::put_text(
            c,
            enc,
            &completed,
            output,
            output_cap as isize,
            output_len,
            Measure::Chars,
        );
        Ok(SQL_SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLDisconnect(conn: Handle) -> SqlReturn {
    call::<Conn>(conn, |c| {
        if !lock(&c.state).is_open() {
            return Err(OdbcError::new("08003", "the connection is not open"));
        }
        super::handles::free_children(conn)?;
        let mut st = lock(&c.state);
        st.log(1, || "disconnect".into());
        *st = ConnState {
            login_timeout: st.login_timeout,
            ..ConnState::default()
        };
        Ok(SQL_SUCCESS)
    })
}

super::ansi_and_wide!(SQLGetInfo, SQLGetInfoW => get_info_entry(conn: Handle, info_type: USmallInt, value: Pointer, cap: SmallInt, len: *mut SmallInt));

unsafe fn get_info_entry(
    enc: Enc,
    conn: Handle,
    info_type: USmallInt,
    value: Pointer,
    cap: SmallInt,
    len: *mut SmallInt,
) -> SqlReturn {
    call::<Conn>(conn, |c| {
        let st = lock(&c.state);
        let dsn = st.props.get("DSN").unwrap_or("");
        let server = st
            .props
            .get("BaseURL")
            .map(str::to_string)
            .or_else(|| {
                st.props
                    .get("CompanyDomain")
                    .map(|d| format!("{d}.pipedrive.com"))
            })
            .unwrap_or_default();
        match get_info(info_type, dsn, &server) {
            Some(Info::Text(s)) => {
                super::put_text(c, enc, &s, value, cap as isize, len, Measure::Bytes);
            }
            Some(Info::U16(v)) => {
                put(value as *mut u16, v);
                put(len, 2);
            }
            Some(Info::U32(v)) => {
                put(value as *mut u32, v);
                put(len, 4);
            }
            None => {
                return Err(OdbcError::new(
                    "HY096",
                    format!("information type {info_type} is not known"),
                ))
            }
        }
        Ok(SQL_SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetFunctions(
    conn: Handle,
    id: USmallInt,
    supported: *mut USmallInt,
) -> SqlReturn {
    call::<Conn>(conn, |_| {
        if supported.is_null() {
            return Err(OdbcError::new("HY009", "no output buffer"));
        }
        match id {
            SQL_API_ODBC3_ALL_FUNCTIONS => {
                let bits =
                    std::slice::from_raw_parts_mut(supported, SQL_API_ODBC3_ALL_FUNCTIONS_SIZE);
                bits.fill(0);
                for f in FUNCTIONS {
                    bits[(*f >> 4) as usize] |= 1 << (f & 0xF);
                }
            }
            SQL_API_ALL_FUNCTIONS => {
                let list = std::slice::from_raw_parts_mut(supported, 100);
                list.fill(0);
                for f in FUNCTIONS.iter().filter(|f| **f < 100) {
                    list[*f as usize] = 1;
                }
            }
            f => *supported = FUNCTIONS.contains(&f) as USmallInt,
        }
        Ok(SQL_SUCCESS)
    })
}

super::ansi_and_wide!(SQLNativeSql, SQLNativeSqlW => native_sql(conn: Handle, input: Pointer, input_len: Integer, output: Pointer, output_cap: Integer, output_len: *mut Integer));

unsafe fn native_sql(
    enc: Enc,
    conn: Handle,
    input: Pointer,
    input_len: Integer,
    output: Pointer,
    output_cap: Integer,
    output_len: *mut Integer,
) -> SqlReturn {
    call::<Conn>(conn, |c| {
        let sql = get_str(enc, input, input_len as isize)?
            .ok_or_else(|| OdbcError::new("HY009", "no statement text"))?;
        let native = pipedrive_engine::native_sql(&sql).map_err(OdbcError::from)?;
        super::put_text(
            c,
            enc,
            &native,
            output,
            output_cap as isize,
            output_len,
            Measure::Chars,
        );
        Ok(SQL_SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLEndTran(
    kind: SmallInt,
    handle: Handle,
    completion: SmallInt,
) -> SqlReturn {
    // auto-commit is always on: every statement took effect when it ran, so there is never
    // an open transaction, and committing or rolling it back has nothing to do
    let check = |completion: SmallInt| match completion {
        SQL_COMMIT | SQL_ROLLBACK => Ok(SQL_SUCCESS),
        _ => Err(OdbcError::new(
            "HY012",
            format!("transaction operation {completion} is not valid"),
        )),
    };
    match kind {
        SQL_HANDLE_ENV => call::<Env>(handle, |_| check(completion)),
        SQL_HANDLE_DBC => call::<Conn>(handle, |_| check(completion)),
        _ => SQL_INVALID_HANDLE,
    }
}

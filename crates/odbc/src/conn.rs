//! A connection handle: its properties (connection string over DSN over defaults), its
//! attributes, and once open the [`Link`] its statements use (the engine session, the log).

use crate::diag::{Diag, OdbcError, OdbcResult};
use crate::env::Env;
use crate::lock::lock;
use crate::log::Log;
use crate::registry::{object, Object};
use crate::runtime;
use crate::sys::*;
use pipedrive_engine::{dsn_properties, Properties, Session};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::{Instrument, Span};

pub struct Conn {
    pub env: Handle,
    pub diag: Diag,
    pub state: Mutex<ConnState>,
}

object!(Conn, SQL_HANDLE_DBC);

impl Conn {
    pub fn env(&self) -> &Env {
        // SAFETY: an environment is not freed while it has connections
        unsafe { Env::kept(self.env) }
    }

    /// The open connection's link (08003 when it is not open); the state is locked only to
    /// take it.
    pub fn link(&self) -> OdbcResult<Arc<Link>> {
        lock(&self.state).link()
    }
}

/// What an open connection gives its statements.
pub struct Link {
    pub session: Session,
    pub log: Option<Arc<Log>>,
    /// `MaxRows` from the properties: the most rows any query returns (0: no limit).
    pub max_rows: u64,
}

impl Link {
    pub fn log(&self, level: u8, message: impl FnOnce() -> String) {
        if let Some(log) = &self.log {
            log.write(level, &message());
        }
    }
}

pub struct ConnState {
    /// Set while the connection is open.
    pub link: Option<Arc<Link>>,
    /// The properties the connection was opened with (for the completed connection string).
    pub props: Properties,
    pub access_mode: usize,
    pub login_timeout: usize,
    pub connection_timeout: usize,
    pub metadata_id: usize,
    pub packet_size: usize,
    pub quiet_mode: usize,
}

impl Default for ConnState {
    fn default() -> Self {
        ConnState {
            link: None,
            props: Properties::new(),
            access_mode: SQL_MODE_READ_WRITE,
            login_timeout: 0,
            connection_timeout: 0,
            metadata_id: 0,
            packet_size: 0,
            quiet_mode: 0,
        }
    }
}

impl ConnState {
    pub fn is_open(&self) -> bool {
        self.link.is_some()
    }

    pub fn link(&self) -> OdbcResult<Arc<Link>> {
        self.link
            .clone()
            .ok_or_else(|| OdbcError::new("08003", "the connection is not open"))
    }

    pub fn log(&self, level: u8, message: impl FnOnce() -> String) {
        if let Some(link) = &self.link {
            link.log(level, message);
        }
    }
}

/// `MaxRows` from the properties: the most rows any query returns (0: no limit).
pub fn max_rows(props: &Properties) -> u64 {
    props
        .get("MaxRows")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|v| *v > 0)
        .unwrap_or(0) as u64
}

/// The properties of a connection string: parsed, then merged over its DSN's stored keys
/// (`DSN=` or `FILEDSN=`-less strings use only what they say).
pub fn resolve(connection_string: &str) -> OdbcResult<Properties> {
    let given = Properties::parse(connection_string)
        .map_err(|e| OdbcError::new("08001", format!("the connection string is not valid: {e}")))?;
    match given.get("DSN") {
        Some(dsn) => Ok(given.clone().or(&dsn_or_error(dsn)?)),
        None => Ok(given),
    }
}

/// The stored keys of a DSN; IM002 when there is no such DSN.
pub fn dsn_or_error(name: &str) -> OdbcResult<Properties> {
    dsn_properties(name)
        .map_err(|e| OdbcError::new("HY000", e))?
        .ok_or_else(|| {
            OdbcError::new(
                "IM002",
                format!(
                    "data source '{name}' is not defined in {}",
                    pipedrive_engine::dsn_places()
                ),
            )
        })
}

/// Opens the engine session the properties describe: checks them, comes by credentials (for
/// OAuth as InitiateOAuth says), then reads the field definitions of Deals (so a wrong token
/// fails here, with 28000). What the layers below report goes under `span` (the connection's
/// log).
pub fn open(props: &Properties, login_timeout: usize, span: Span) -> OdbcResult<Session> {
    let timeout = (login_timeout > 0).then(|| Duration::from_secs(login_timeout as u64));
    runtime::wait(
        async {
            Session::from_properties(props)
                .await
                .map_err(OdbcError::from)
        }
        .instrument(span),
        None,
        timeout,
    )
    .map_err(|e| match e.state {
        "HYT00" => OdbcError::new(
            "HYT00",
            "the login time limit ran out before Pipedrive answered",
        ),
        _ => e,
    })
}

/// What SQLBrowseConnect still needs, as `key:label=?` items; empty when the properties are
/// enough to connect.
pub fn missing(props: &Properties) -> Vec<&'static str> {
    let mut need = vec![];
    let oauth = props
        .get("AuthScheme")
        .is_some_and(|s| s.eq_ignore_ascii_case("OAuth"));
    if oauth {
        // the OAuth flows find the company address in the tokens and the app in the settings file
        if props.get("OAuthClientId").is_none() && props.get("OAuthSettingsLocation").is_none() {
            need.push("OAuthClientId:OAuth Client Id=?");
        }
    } else {
        if props.get("APIToken").is_none() {
            need.push("APIToken:API Token=?");
        }
        if props.get("CompanyDomain").is_none() && props.get("BaseURL").is_none() {
            need.push("CompanyDomain:Company Domain=?");
        }
    }
    need
}

/// The completed connection string returned to the application: DSN first, then every
/// property in effect (it connects again as it is).
pub fn completed(props: &Properties) -> String {
    props.to_connection_string()
}

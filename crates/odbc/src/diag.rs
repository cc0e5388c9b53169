//! Diagnostics: the errors and warnings a call leaves on its handle, each with its SQLSTATE.

use crate::sys::*;
use pipedrive_engine::{ApiErrorKind as ApiKind, EngineError, EngineErrorKind};

/// Text before every message, as ODBC components name themselves.
pub const ORIGIN: &str = "[Pipedrive][ODBC]";

/// An error or warning: SQLSTATE, a message a person can act on, and a native code (the HTTP
/// status when the API answered).
#[derive(Clone, Debug, PartialEq)]
pub struct OdbcError {
    pub state: &'static str,
    pub message: String,
    pub native: i32,
}

impl OdbcError {
    pub fn new(state: &'static str, message: impl Into<String>) -> OdbcError {
        OdbcError {
            state,
            message: message.into(),
            native: 0,
        }
    }
    /// HY010: the call is out of order.
    pub fn sequence(what: &str) -> OdbcError {
        OdbcError::new("HY010", format!("function sequence error: {what}"))
    }
    /// HY092 / HYC00 for attributes or options the driver does not know.
    pub fn unknown_option(what: &str, value: impl std::fmt::Display) -> OdbcError {
        OdbcError::new("HY092", format!("{what} {value} is not valid here"))
    }
    pub fn not_supported(what: impl Into<String>) -> OdbcError {
        OdbcError::new("HYC00", what)
    }
    pub fn invalid_column(n: impl std::fmt::Display) -> OdbcError {
        OdbcError::new(
            "07009",
            format!("column or parameter number {n} is out of range"),
        )
    }
}

pub type OdbcResult<T> = Result<T, OdbcError>;

impl From<EngineError> for OdbcError {
    fn from(e: EngineError) -> Self {
        let state = match e.kind {
            EngineErrorKind::Syntax => "42000",
            EngineErrorKind::UnknownTable => "42S02",
            EngineErrorKind::UnknownColumn => "42S22",
            EngineErrorKind::TypeMismatch => "22018",
            EngineErrorKind::Parameters => "07002",
            EngineErrorKind::NotSupported => "HYC00",
            EngineErrorKind::Constraint => "23000",
            EngineErrorKind::Connection => "08001",
            EngineErrorKind::Internal | EngineErrorKind::Cache => "HY000",
            EngineErrorKind::Api(kind) => api_state(kind),
        };
        OdbcError {
            state,
            message: e.message,
            native: e.status.map(i32::from).unwrap_or(0),
        }
    }
}

fn api_state(kind: ApiKind) -> &'static str {
    match kind {
        ApiKind::Config => "HY000",
        ApiKind::Unauthorized => "28000",
        ApiKind::Forbidden => "42501",
        ApiKind::NotFound => "42S02",
        ApiKind::Rejected => "HY000",
        ApiKind::RateLimited => "HY000",
        ApiKind::Server => "HY000",
        ApiKind::Timeout => "HYT00",
        ApiKind::Network => "08S01",
        ApiKind::Decode => "HY000",
        ApiKind::Cancelled => "HY008",
    }
}

/// The diagnostics of one handle: cleared at the start of each call (but the diagnostic
/// functions), read back with SQLGetDiagRec / SQLGetDiagField.
#[derive(Default, Debug)]
pub struct Diagnostics {
    pub records: Vec<OdbcError>,
    pub return_code: SqlReturn,
    /// Rows affected, for SQL_DIAG_ROW_COUNT.
    pub row_count: Len,
}

impl Diagnostics {
    pub fn clear(&mut self) {
        self.records.clear();
        self.return_code = SQL_SUCCESS;
    }
    pub fn push(&mut self, e: OdbcError) {
        self.records.push(e);
    }
    /// The message text as SQLGetDiagRec returns it.
    pub fn message(&self, i: usize) -> Option<String> {
        self.records
            .get(i)
            .map(|r| format!("{ORIGIN} {}", r.message))
    }
}

/// A handle's diagnostics, cheap to reset: a call that leaves none (the common case, e.g.
/// every SQLGetData of a fetch loop) takes no lock for them.
#[derive(Default, Debug)]
pub struct Diag {
    dirty: std::sync::atomic::AtomicBool,
    cell: std::sync::Mutex<Diagnostics>,
}

impl Diag {
    pub fn lock(&self) -> std::sync::MutexGuard<'_, Diagnostics> {
        crate::lock::lock(&self.cell)
    }
    /// At the start of a call: the previous call's records and return code are dropped.
    pub fn begin(&self) {
        // read first: most calls begin clean, and a read costs no exclusive cache line
        if self.dirty.load(std::sync::atomic::Ordering::Acquire)
            && self.dirty.swap(false, std::sync::atomic::Ordering::AcqRel)
        {
            self.lock().clear();
        }
    }
    pub fn push(&self, e: OdbcError) {
        self.lock().push(e);
        self.dirty.store(true, std::sync::atomic::Ordering::Release);
    }
    pub fn is_empty(&self) -> bool {
        !self.dirty.load(std::sync::atomic::Ordering::Acquire)
    }
    /// At the end of a call: its return code, kept when it is not plain success.
    pub fn finish(&self, rc: SqlReturn) {
        if rc != SQL_SUCCESS {
            self.lock().return_code = rc;
            self.dirty.store(true, std::sync::atomic::Ordering::Release);
        }
    }
}

/// The ODBC 3 class of a SQLSTATE (`ISO 9075` for the standard classes, `ODBC 3.0` otherwise).
pub fn class_origin(state: &str) -> &'static str {
    let standard = [
        "01", "02", "07", "08", "21", "22", "23", "24", "25", "28", "34", "3C", "3D", "3F", "40",
        "42", "44",
    ];
    if state.starts_with("IM") || state.starts_with("HY") {
        "ODBC 3.0"
    } else if standard.iter().any(|c| state.starts_with(c)) {
        "ISO 9075"
    } else {
        "ODBC 3.0"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_errors_have_their_states() {
        let e = |kind| OdbcError::from(EngineError::new(kind, "m")).state;
        assert_eq!(e(EngineErrorKind::Syntax), "42000");
        assert_eq!(e(EngineErrorKind::UnknownTable), "42S02");
        assert_eq!(e(EngineErrorKind::UnknownColumn), "42S22");
        assert_eq!(e(EngineErrorKind::TypeMismatch), "22018");
        assert_eq!(e(EngineErrorKind::Parameters), "07002");
        assert_eq!(e(EngineErrorKind::Constraint), "23000");
        assert_eq!(e(EngineErrorKind::Connection), "08001");
        assert_eq!(e(EngineErrorKind::Api(ApiKind::Unauthorized)), "28000");
        assert_eq!(e(EngineErrorKind::Api(ApiKind::Timeout)), "HYT00");
        assert_eq!(e(EngineErrorKind::Api(ApiKind::Cancelled)), "HY008");
        assert_eq!(class_origin("42S02"), "ISO 9075");
        assert_eq!(class_origin("HY010"), "ODBC 3.0");
        assert_eq!(class_origin("IM001"), "ODBC 3.0");
    }
}

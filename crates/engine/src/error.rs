//! Engine errors, each of a kind the driver maps to its SQLSTATE.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EngineErrorKind {
    /// Malformed SQL (42000).
    Syntax,
    /// No such table (42S02).
    UnknownTable,
    /// No such column (42S22).
    UnknownColumn,
    /// Values of the wrong type (22018).
    TypeMismatch,
    /// Parameter values missing or of the wrong number (07002).
    Parameters,
    /// A value a write needs is missing (23000).
    Constraint,
    /// What the SQL asks is valid but not supported (HYC00).
    NotSupported,
    /// The connection properties do not say how to connect (08001).
    Connection,
    /// The local cache file failed, or holds nothing for what an offline connection asks.
    Cache,
    /// The API refused or failed; see the API error kind.
    Api(pipedrive_api::ErrorKind),
    /// Anything else.
    Internal,
}

#[derive(Clone, Debug)]
pub struct EngineError {
    pub kind: EngineErrorKind,
    pub message: String,
    /// The HTTP status of the API's answer, when the API answered.
    pub status: Option<u16>,
}

impl EngineError {
    pub fn new(kind: EngineErrorKind, message: impl Into<String>) -> Self {
        EngineError {
            kind,
            message: message.into(),
            status: None,
        }
    }

    /// An error of a kind the API reports (a missing token, an unreadable local file).
    pub fn api(kind: pipedrive_api::ErrorKind, message: impl Into<String>) -> Self {
        Self::new(EngineErrorKind::Api(kind), message)
    }
}

/// One constructor per kind without data: `EngineError::syntax("...")`.
macro_rules! constructors {
    ($($name:ident => $kind:ident),* $(,)?) => {
        impl EngineError {
            $(
                #[doc = concat!("An error of kind [`EngineErrorKind::", stringify!($kind), "`].")]
                pub fn $name(message: impl Into<String>) -> Self {
                    Self::new(EngineErrorKind::$kind, message)
                }
            )*
        }
    };
}

constructors! {
    syntax => Syntax,
    unknown_table => UnknownTable,
    unknown_column => UnknownColumn,
    type_mismatch => TypeMismatch,
    parameters => Parameters,
    constraint => Constraint,
    not_supported => NotSupported,
    internal => Internal,
    connection => Connection,
    cache => Cache,
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EngineError {}

impl From<pipedrive_api::Error> for EngineError {
    fn from(e: pipedrive_api::Error) -> Self {
        EngineError {
            status: e.status,
            ..EngineError::api(e.kind, e.message)
        }
    }
}

impl From<datafusion::error::DataFusionError> for EngineError {
    fn from(e: datafusion::error::DataFusionError) -> Self {
        use datafusion::common::SchemaError;
        use datafusion::error::DataFusionError as D;
        let root = e.find_root();
        if let D::External(inner) = root {
            if let Some(api) = inner.downcast_ref::<pipedrive_api::Error>() {
                return api.clone().into();
            }
            if let Some(engine) = inner.downcast_ref::<EngineError>() {
                return engine.clone();
            }
        }
        let message = root.message().to_string();
        let kind = match root {
            D::SQL(..) => EngineErrorKind::Syntax,
            D::SchemaError(e, _) if matches!(**e, SchemaError::FieldNotFound { .. }) => {
                EngineErrorKind::UnknownColumn
            }
            D::Plan(m) if m.contains("table") && m.contains("not found") => {
                EngineErrorKind::UnknownTable
            }
            D::Plan(m) if m.contains("No field named") => EngineErrorKind::UnknownColumn,
            D::Plan(m) | D::Execution(m)
                if m.contains("Cannot cast")
                    || m.contains("Cannot coerce")
                    || m.contains("cast") =>
            {
                EngineErrorKind::TypeMismatch
            }
            D::ArrowError(..)
                if message.contains("Cast error") || message.contains("Parser error") =>
            {
                EngineErrorKind::TypeMismatch
            }
            D::NotImplemented(_) => EngineErrorKind::NotSupported,
            D::Plan(_) => EngineErrorKind::Syntax,
            _ => EngineErrorKind::Internal,
        };
        let message = match kind {
            EngineErrorKind::UnknownTable => unknown_table(&message),
            _ => message,
        };
        EngineError::new(kind, message)
    }
}

/// DataFusion names an unknown table with the default catalog and schema it resolved it in
/// (`table 'Pipedrive.Pipedrive.NoSuchTable' not found`): the name as the statement wrote it.
fn unknown_table(message: &str) -> String {
    let quoted = message
        .split('\'')
        .nth(1)
        .filter(|_| message.matches('\'').count() >= 2);
    let Some(full) = quoted else {
        return message.to_string();
    };
    // catalog.schema.table: the table as named
    let parts: Vec<&str> = full.splitn(3, '.').collect();
    let name = if parts.len() == 3 { parts[2] } else { full };
    format!("table '{name}' does not exist (SQLTables lists the tables)")
}

//! SQL over Pipedrive: a DataFusion session whose catalog is a Pipedrive company. Scans become
//! the fewest API requests the filters allow and stream back as Arrow batches.

mod api_time;
mod brackets;
mod cache;
pub mod catalog;
mod connect;
mod convert;
mod dialect;
mod dml;
mod error;
mod escapes;
pub use escapes::expand as native_sql;
mod fetch;
mod functions;
#[doc(hidden)]
pub mod fuzzing;
pub mod metadata;
mod node;
pub mod procedures;
mod provider;
mod pushdown;
mod scan;
pub mod schema;
mod schema_objects;
mod session;
mod sort_pushdown;
mod tables;

pub use datafusion::arrow;
pub use datafusion::common::ScalarValue;
pub use datafusion::execution::SendableRecordBatchStream;
pub use dml::send::SetStatus;
pub use error::{EngineError, EngineErrorKind};
/// What the engine's users need of the layers below: the kinds of API failure an error can
/// carry, and connection properties with the DSNs they come from.
pub use pipedrive_api::ErrorKind as ApiErrorKind;
pub use pipedrive_config::{dsn_places, dsn_properties, Properties};
/// What the driver's setup entry points (`ConfigDSN`) and its configuration dialog use: the
/// known properties and how the dialog shows them, and checking and saving DSNs through the
/// driver manager's installer library.
pub mod setup {
    pub use pipedrive_config::{
        check_dsn, configure_dsn, installer, known, save_dsn, DsnRequest, Input, Key, Page, Scope,
        SetupError, SetupErrorCode, KEYS,
    };
}
pub use schema::MAX_LENGTH;
pub use schema_objects::{
    like, procedure_columns, procedures, Arg, ColumnEntry, Describe, Filter, KeyEntry,
    ProcedureColumn, ProcedureColumnRole, ProcedureEntry, Reference, SchemaObjects, Scope,
    TableEntry, TableKind,
};
pub use session::{Prepared, Session, Written, CATALOG, SCHEMA};

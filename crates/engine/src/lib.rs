//! SQL over Pipedrive: a DataFusion session whose catalog is a Pipedrive company. Scans become
//! the fewest API requests the filters allow and stream back as Arrow batches.

pub mod catalog;
mod convert;
mod dialect;
mod dml;
mod error;
mod escapes;
pub use escapes::expand as native_sql;
mod fetch;
pub mod metadata;
pub mod procedures;
mod provider;
mod pushdown;
mod scan;
pub mod schema;
mod session;
mod sort_pushdown;
mod tables;

pub use datafusion::arrow;
pub use datafusion::common::ScalarValue;
pub use datafusion::execution::SendableRecordBatchStream;
pub use dml::SetStatus;
pub use error::{EngineError, EngineErrorKind};
pub use session::{Prepared, Session, Written, CATALOG, SCHEMA};

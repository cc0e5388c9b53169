//! The Pipedrive ODBC driver: the shared library (`libpipedrive_odbc.so`) an ODBC driver manager
//! loads. This crate is the C ABI only: handles, attributes, descriptors, diagnostics, catalog
//! functions, and conversion of Arrow values into the application's buffers. SQL and HTTP are
//! the engine's and the API client's.

#[cfg(target_os = "linux")]
mod allocator;
mod cancel;
mod catalog;
mod conn;
mod convert;
mod cursor;
mod desc;
mod diag;
mod entry;
mod env;
mod fetch;
mod info;
mod lock;
mod log;
mod registry;
mod runtime;
mod setup;
mod stmt;
mod sys;
mod text;
mod types;

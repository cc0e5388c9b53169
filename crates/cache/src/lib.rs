//! The local cache: Pipedrive records kept per account and per table in one SQLite file, so a
//! repeated read asks the API only for what changed.
//!
//! SQLite because several processes share one cache file (each application that loads the
//! driver, the command line): its locking lets them read while one writes, and a crash in the
//! middle of a write loses nothing that was committed. The file is its owner's alone (0600 where
//! the system has modes) and holds no credential: accounts are named by who they are (address,
//! company, user), found again through a one-way fingerprint of the credentials.
//!
//! Each table's records are kept as the API sent them (JSON text) with their key, update time and
//! when they were cached; a deletion is kept as a tombstone with the time it happened. Every
//! merge is "latest update wins", so processes refreshing the same table at once, in any order,
//! end with the same rows.

mod error;
mod rows;
mod store;
mod time;

pub use error::CacheError;
pub use rows::{Deletion, Row};
pub use store::{Cache, TableState, TableStatus};
pub use time::{now, Micros};

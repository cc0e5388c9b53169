//! Conversion between Arrow values and the C types of the ODBC conversion tables: a result cell
//! is read as a [`Cell`] (from a batch whose columns were resolved once, [`Rows`]) and written
//! to the application's buffer ([`to_c`]); a bound parameter is read from the application's
//! buffer into a SQL value ([`from_c`]).

mod cell;
mod column;
pub mod from_c;
pub mod to_c;

pub use cell::Cell;
pub use column::Rows;

//! A value read as a number, for the numeric C types (bit, floating point, SQL_C_NUMERIC and,
//! when it is not an integer already, the integer types).

use super::outcome::not_allowed;
use crate::convert::Cell;
use crate::diag::{OdbcError, OdbcResult};
use crate::sys::SQL_C_DOUBLE;

/// The value as a number, and whether it has a fractional part: 22018 for text that is not a
/// number, 07006 for dates, times and binary data.
pub fn number(cell: &Cell) -> OdbcResult<(f64, bool)> {
    let v = match cell {
        Cell::Int(v) => *v as f64,
        Cell::UInt(v) => *v as f64,
        Cell::Float(v) => *v,
        Cell::Bool(b) => *b as u8 as f64,
        Cell::Decimal(v, s) => *v as f64 / 10f64.powi(*s as i32),
        Cell::Text(s) => s
            .trim()
            .parse::<f64>()
            .map_err(|_| OdbcError::new("22018", format!("'{s}' is not a number")))?,
        other => return Err(not_allowed(other, SQL_C_DOUBLE)),
    };
    Ok((v, v.fract() != 0.0))
}

//! What a conversion reports: the [`Out`] of a value of fixed size, stored where the
//! application's pointer allows, and the warnings and errors the conversion table names.

use super::target::Out;
use crate::convert::Cell;
use crate::diag::OdbcError;
use crate::sys::{Len, Pointer, SmallInt};

/// Stores `v` at `p` (nothing for a null pointer; the address may be unaligned) and reports
/// its size, with 01S07 when `fraction_dropped`.
///
/// # Safety
/// `p` is null or valid for a `T`.
pub unsafe fn store<T>(p: Pointer, v: T, fraction_dropped: bool) -> Out {
    if !p.is_null() {
        std::ptr::write_unaligned(p as *mut T, v);
    }
    Out {
        indicator: std::mem::size_of::<T>() as Len,
        advanced: 0,
        warning: fraction_dropped.then(|| OdbcError::new("01S07", "fractional part dropped")),
    }
}

/// 22003: the value does not fit the C type.
pub fn out_of_range(what: impl std::fmt::Display) -> OdbcError {
    OdbcError::new(
        "22003",
        format!("{what} is out of range for the target type"),
    )
}

/// 01004: character or binary data cut, the rest still to read.
pub fn truncated(what: &str) -> OdbcError {
    OdbcError::new("01004", format!("{what} data, right truncated"))
}

/// 07006: the conversion table does not allow this value into `c_type`.
pub fn not_allowed(cell: &Cell, c_type: SmallInt) -> OdbcError {
    let what = match cell {
        Cell::Date(_) => "a date",
        Cell::Time(_) => "a time",
        Cell::Timestamp(_) => "a timestamp",
        Cell::Bool(_) => "a boolean",
        Cell::Bytes(_) => "binary data",
        _ => "this value",
    };
    OdbcError::new(
        "07006",
        format!("{what} cannot be converted to C type {c_type}"),
    )
}

//! SQL_C_DOUBLE and SQL_C_FLOAT: any number, rounded to the nearest the C type holds; a finite
//! value beyond SQL_C_FLOAT's range is 22003.

use super::number::number;
use super::outcome::{out_of_range, store};
use super::Out;
use crate::convert::Cell;
use crate::diag::OdbcResult;
use crate::sys::Pointer;

/// SQL_C_DOUBLE.
///
/// # Safety
/// `p` is null or valid for an f64.
pub unsafe fn double(cell: &Cell, p: Pointer) -> OdbcResult<Out> {
    let (v, _) = number(cell)?;
    Ok(store(p, v, false))
}

/// SQL_C_FLOAT.
///
/// # Safety
/// `p` is null or valid for an f32.
pub unsafe fn single(cell: &Cell, p: Pointer) -> OdbcResult<Out> {
    let (v, _) = number(cell)?;
    if v.is_finite() && v.abs() > f32::MAX as f64 {
        return Err(out_of_range(v));
    }
    Ok(store(p, v as f32, false))
}

//! SQL_C_BIT: 0 or 1; a number between 0 and 2 loses its fraction (01S07), anything outside
//! is 22003.

use super::number::number;
use super::outcome::{out_of_range, store};
use super::Out;
use crate::convert::Cell;
use crate::diag::OdbcResult;
use crate::sys::Pointer;

/// # Safety
/// `p` is null or valid for one byte.
pub unsafe fn write(cell: &Cell, p: Pointer) -> OdbcResult<Out> {
    let (v, frac) = number(cell)?;
    if !(0.0..2.0).contains(&v) {
        return Err(out_of_range(v));
    }
    Ok(store(p, v.trunc() as u8, frac))
}

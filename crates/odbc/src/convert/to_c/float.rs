//! SQL_C_DOUBLE and SQL_C_FLOAT: any number, rounded to the nearest the C type holds; a finite
//! value beyond SQL_C_FLOAT's range is 22003.

use super::number::number;
use super::outcome::{out_of_range, store};
use super::target::Out;
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

#[cfg(test)]
mod tests {
    use crate::convert::to_c::cases::{at, check, text, Case};
    use crate::convert::Cell;
    use crate::sys::*;

    #[test]
    fn numbers_and_numeric_text_as_floating_point() {
        let ts = Cell::Timestamp(at((2026, 3, 4), (5, 6, 7), 0));
        #[rustfmt::skip]
        let cases: &[Case] = &[
            (Cell::Float(1.5), SQL_C_DOUBLE, Some(8), 0, &1.5f64.to_ne_bytes(), 8, 0, None),
            (Cell::Int(-3), SQL_C_DOUBLE, Some(8), 0, &(-3f64).to_ne_bytes(), 8, 0, None),
            (Cell::UInt(7), SQL_C_DOUBLE, Some(8), 0, &7f64.to_ne_bytes(), 8, 0, None),
            (Cell::Bool(true), SQL_C_DOUBLE, Some(8), 0, &1f64.to_ne_bytes(), 8, 0, None),
            (Cell::Decimal(-1205, 3), SQL_C_DOUBLE, Some(8), 0, &(-1.205f64).to_ne_bytes(), 8, 0, None),
            (text(" 2.5 "), SQL_C_DOUBLE, Some(8), 0, &2.5f64.to_ne_bytes(), 8, 0, None),
            (Cell::Null, SQL_C_DOUBLE, Some(8), 0, b"~~~~~~~~", SQL_NULL_DATA, 0, None),
            (Cell::Float(1.5), SQL_C_DOUBLE, None, 0, b"", 8, 0, None),
            (text("abc"), SQL_C_DOUBLE, Some(8), 0, b"~~~~~~~~", 0, 0, Some("22018")),
            (ts.clone(), SQL_C_DOUBLE, Some(8), 0, b"~~~~~~~~", 0, 0, Some("07006")),
            // SQL_C_FLOAT: rounded without a warning; beyond its range 22003
            (Cell::Float(1.5), SQL_C_FLOAT, Some(4), 0, &1.5f32.to_ne_bytes(), 4, 0, None),
            (Cell::Float(0.1), SQL_C_FLOAT, Some(4), 0, &0.1f32.to_ne_bytes(), 4, 0, None),
            (Cell::Float(1e39), SQL_C_FLOAT, Some(4), 0, b"~~~~", 0, 0, Some("22003")),
            (Cell::Float(-1e39), SQL_C_FLOAT, Some(4), 0, b"~~~~", 0, 0, Some("22003")),
            (Cell::Float(f64::INFINITY), SQL_C_FLOAT, Some(4), 0, &f32::INFINITY.to_ne_bytes(), 4, 0, None),
            (Cell::Float(1.5), SQL_C_FLOAT, None, 0, b"", 4, 0, None),
            (text("1,5"), SQL_C_FLOAT, Some(4), 0, b"~~~~", 0, 0, Some("22018")),
            (ts, SQL_C_FLOAT, Some(4), 0, b"~~~~", 0, 0, Some("07006")),
        ];
        check(cases);
    }
}

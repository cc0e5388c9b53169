//! SQL_C_BIT: 0 or 1; a number between 0 and 2 loses its fraction (01S07), anything outside
//! is 22003.

use super::number::number;
use super::outcome::{out_of_range, store};
use super::target::Out;
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

#[cfg(test)]
mod tests {
    use crate::convert::to_c::cases::{check, text, Case};
    use crate::convert::Cell;
    use crate::sys::*;
    use chrono::NaiveDate;

    #[test]
    fn zero_or_one_and_fractions_between() {
        let date = Cell::Date(NaiveDate::from_ymd_opt(2026, 3, 4).unwrap());
        #[rustfmt::skip]
        let cases: &[Case] = &[
            (Cell::Int(1), SQL_C_BIT, Some(1), 0, b"\x01", 1, 0, None),
            (Cell::Int(0), SQL_C_BIT, Some(1), 0, b"\x00", 1, 0, None),
            (Cell::Bool(true), SQL_C_BIT, Some(1), 0, b"\x01", 1, 0, None),
            (Cell::Null, SQL_C_BIT, Some(1), 0, b"~", SQL_NULL_DATA, 0, None),
            (Cell::Int(1), SQL_C_BIT, None, 0, b"", 1, 0, None),
            // between 0 and 2: truncated, 01S07
            (Cell::Float(1.5), SQL_C_BIT, Some(1), 0, b"\x01", 1, 0, Some("01S07")),
            (Cell::Float(0.5), SQL_C_BIT, Some(1), 0, b"\x00", 1, 0, Some("01S07")),
            (Cell::Decimal(150, 2), SQL_C_BIT, Some(1), 0, b"\x01", 1, 0, Some("01S07")),
            // below 0 or from 2 on: 22003
            (Cell::Int(2), SQL_C_BIT, Some(1), 0, b"~", 0, 0, Some("22003")),
            (Cell::Int(-1), SQL_C_BIT, Some(1), 0, b"~", 0, 0, Some("22003")),
            (Cell::Float(-0.5), SQL_C_BIT, Some(1), 0, b"~", 0, 0, Some("22003")),
            (text("1"), SQL_C_BIT, Some(1), 0, b"\x01", 1, 0, None),
            (text("yes"), SQL_C_BIT, Some(1), 0, b"~", 0, 0, Some("22018")),
            (date, SQL_C_BIT, Some(1), 0, b"~", 0, 0, Some("07006")),
        ];
        check(cases);
    }
}

//! SQL_C_NUMERIC: any number scaled to the record's scale, as a sign and a 128-bit magnitude;
//! digits beyond the scale are dropped (01S07).

use super::number::number;
use super::outcome::{out_of_range, store};
use super::target::{Out, Target};
use crate::convert::Cell;
use crate::diag::OdbcResult;
use crate::sys::NumericStruct;

/// # Safety
/// `target.ptr` is null or valid for a SQL_NUMERIC_STRUCT.
pub unsafe fn write(cell: &Cell, target: &Target) -> OdbcResult<Out> {
    let scale = target.scale.clamp(0, 38) as u32;
    let precision = if target.precision > 0 {
        target.precision
    } else {
        38
    } as u8;
    let (scaled, frac): (i128, bool) = match cell {
        Cell::Decimal(v, s) => {
            let s = *s as i32;
            let diff = scale as i32 - s;
            if diff >= 0 {
                (
                    scale_up(*v, diff as u32).ok_or_else(|| out_of_range(v))?,
                    false,
                )
            } else {
                // more than 38 digits below the scale: nothing of them is left
                match 10i128.checked_pow((-diff) as u32) {
                    Some(f) => (v / f, v % f != 0),
                    None => (0, *v != 0),
                }
            }
        }
        Cell::Int(v) => (
            scale_up(*v as i128, scale).ok_or_else(|| out_of_range(v))?,
            false,
        ),
        Cell::UInt(v) => (
            scale_up(*v as i128, scale).ok_or_else(|| out_of_range(v))?,
            false,
        ),
        other => {
            let (f, _) = number(other)?;
            let s = f * 10f64.powi(scale as i32);
            if !s.is_finite() || s.abs() >= 1e38 {
                return Err(out_of_range(f));
            }
            (s.trunc() as i128, s.fract() != 0.0)
        }
    };
    let n = NumericStruct {
        precision,
        scale: scale as i8,
        sign: (scaled >= 0) as u8,
        val: scaled.unsigned_abs().to_le_bytes(),
    };
    Ok(store(target.ptr, n, frac))
}

/// `v` times ten to the `by`; None past 128 bits.
fn scale_up(v: i128, by: u32) -> Option<i128> {
    10i128.checked_pow(by).and_then(|f| v.checked_mul(f))
}

#[cfg(test)]
mod tests {
    use crate::convert::to_c::cases::{check, check_numeric, fill, raw, text, Case};
    use crate::convert::Cell;
    use crate::sys::*;
    use chrono::NaiveDate;

    /// The struct holding `magnitude` with `sign` (1 positive, 0 negative).
    fn num(precision: u8, scale: i8, sign: u8, magnitude: u128) -> Vec<u8> {
        raw(NumericStruct {
            precision,
            scale,
            sign,
            val: magnitude.to_le_bytes(),
        })
    }

    const SIZE: usize = std::mem::size_of::<NumericStruct>();

    #[test]
    fn numbers_at_scale_zero_and_default_precision() {
        let n = SQL_C_NUMERIC;
        let date = Cell::Date(NaiveDate::from_ymd_opt(2026, 3, 4).unwrap());
        #[rustfmt::skip]
        let cases: &[Case] = &[
            (Cell::Int(-5), n, Some(SIZE), 0, &num(38, 0, 0, 5), SIZE as Len, 0, None),
            (Cell::UInt(u64::MAX), n, Some(SIZE), 0, &num(38, 0, 1, u64::MAX as u128), SIZE as Len, 0, None),
            (Cell::Decimal(i128::MAX, 0), n, Some(SIZE), 0, &num(38, 0, 1, i128::MAX as u128), SIZE as Len, 0, None),
            (Cell::Decimal(1275, 2), n, Some(SIZE), 0, &num(38, 0, 1, 12), SIZE as Len, 0, Some("01S07")),
            (Cell::Decimal(-1275, 2), n, Some(SIZE), 0, &num(38, 0, 0, 12), SIZE as Len, 0, Some("01S07")),
            (Cell::Float(12.75), n, Some(SIZE), 0, &num(38, 0, 1, 12), SIZE as Len, 0, Some("01S07")),
            (Cell::Bool(true), n, Some(SIZE), 0, &num(38, 0, 1, 1), SIZE as Len, 0, None),
            (text("42"), n, Some(SIZE), 0, &num(38, 0, 1, 42), SIZE as Len, 0, None),
            (text("4x"), n, Some(SIZE), 0, &fill(SIZE), 0, 0, Some("22018")),
            (date, n, Some(SIZE), 0, &fill(SIZE), 0, 0, Some("07006")),
            (Cell::Null, n, Some(SIZE), 0, &fill(SIZE), SQL_NULL_DATA, 0, None),
            (Cell::Int(-5), n, None, 0, b"", SIZE as Len, 0, None),
        ];
        check(cases);
    }

    #[test]
    fn numbers_scaled_to_the_record() {
        let n = SQL_C_NUMERIC;
        #[rustfmt::skip]
        let cases: &[Case] = &[
            (Cell::Int(7), n, Some(SIZE), 0, &num(10, 2, 1, 700), SIZE as Len, 0, None),
            (Cell::Decimal(5, 0), n, Some(SIZE), 0, &num(10, 2, 1, 500), SIZE as Len, 0, None),
            (Cell::Decimal(12345, 3), n, Some(SIZE), 0, &num(10, 2, 1, 1234), SIZE as Len, 0, Some("01S07")),
            (Cell::Float(-12.345), n, Some(SIZE), 0, &num(10, 2, 0, 1234), SIZE as Len, 0, Some("01S07")),
            (text("0.5"), n, Some(SIZE), 0, &num(10, 2, 1, 50), SIZE as Len, 0, None),
            // a negative value truncated to zero is written as a positive zero
            (text("-0.001"), n, Some(SIZE), 0, &num(10, 2, 1, 0), SIZE as Len, 0, Some("01S07")),
            (Cell::Decimal(i128::MAX, 0), n, Some(SIZE), 0, &fill(SIZE), 0, 0, Some("22003")),
            (Cell::Float(1e37), n, Some(SIZE), 0, &fill(SIZE), 0, 0, Some("22003")),
        ];
        check_numeric(cases, 10, 2);
        // scaled past 128 bits: out of range, never a wrapped number
        #[rustfmt::skip]
        let cases: &[Case] = &[
            (Cell::Int(i64::MAX), n, Some(SIZE), 0, &fill(SIZE), 0, 0, Some("22003")),
            (Cell::UInt(u64::MAX), n, Some(SIZE), 0, &fill(SIZE), 0, 0, Some("22003")),
            (Cell::Decimal(2, -10), n, Some(SIZE), 0, &fill(SIZE), 0, 0, Some("22003")),
            (Cell::Int(1), n, Some(SIZE), 0, &num(38, 38, 1, 10u128.pow(38)), SIZE as Len, 0, None),
        ];
        check_numeric(cases, 38, 38);
        // the precision is reported, not checked against the digits
        #[rustfmt::skip]
        let cases: &[Case] = &[
            (Cell::Int(12345), n, Some(SIZE), 0, &num(2, 0, 1, 12345), SIZE as Len, 0, None),
        ];
        check_numeric(cases, 2, 0);
    }
}

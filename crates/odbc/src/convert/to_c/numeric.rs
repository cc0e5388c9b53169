//! SQL_C_NUMERIC: any number scaled to the record's scale, as a sign and a 128-bit magnitude;
//! digits beyond the scale are dropped (01S07).

use super::number::number;
use super::outcome::{out_of_range, store};
use super::{Out, Target};
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
                    v.checked_mul(10i128.pow(diff as u32))
                        .ok_or_else(|| out_of_range(v))?,
                    false,
                )
            } else {
                let f = 10i128.pow((-diff) as u32);
                (v / f, v % f != 0)
            }
        }
        Cell::Int(v) => ((*v as i128) * 10i128.pow(scale), false),
        Cell::UInt(v) => ((*v as i128) * 10i128.pow(scale), false),
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

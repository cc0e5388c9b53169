//! The integer C types, signed and unsigned, of 1 to 8 bytes: integers as they are, other
//! numbers truncated toward zero (01S07 when a fraction is dropped), text parsed as a number
//! (22018 if it is not one); a value outside the C type's range is 22003.

use super::number::number;
use super::outcome::{out_of_range, store};
use super::Out;
use crate::convert::Cell;
use crate::diag::OdbcResult;
use crate::sys::*;

/// The range and size of an integer C type.
#[derive(Clone, Copy, Debug)]
pub struct Width {
    min: i128,
    max: i128,
    bytes: usize,
}

/// The width of `c_type`, or None when it is not an integer C type.
pub fn width(c_type: SmallInt) -> Option<Width> {
    let (min, max, bytes) = match c_type {
        SQL_C_SBIGINT => (i64::MIN as i128, i64::MAX as i128, 8),
        SQL_C_UBIGINT => (0, u64::MAX as i128, 8),
        SQL_C_SLONG | SQL_C_LONG => (i32::MIN as i128, i32::MAX as i128, 4),
        SQL_C_ULONG => (0, u32::MAX as i128, 4),
        SQL_C_SSHORT | SQL_C_SHORT => (i16::MIN as i128, i16::MAX as i128, 2),
        SQL_C_USHORT => (0, u16::MAX as i128, 2),
        SQL_C_STINYINT | SQL_C_TINYINT => (i8::MIN as i128, i8::MAX as i128, 1),
        SQL_C_UTINYINT => (0, u8::MAX as i128, 1),
        _ => return None,
    };
    Some(Width { min, max, bytes })
}

/// # Safety
/// `p` is null or valid for `width.bytes` bytes (at any alignment).
pub unsafe fn write(cell: &Cell, p: Pointer, width: Width) -> OdbcResult<Out> {
    let (v, frac) = match cell {
        Cell::Int(v) => (*v as i128, false),
        Cell::UInt(v) => (*v as i128, false),
        Cell::Bool(b) => (*b as i128, false),
        Cell::Text(s) if s.trim().parse::<i128>().is_ok() => {
            (s.trim().parse::<i128>().unwrap(), false)
        }
        Cell::Decimal(v, s) if *s >= 0 => {
            let f = 10i128.pow(*s as u32);
            (v / f, v % f != 0)
        }
        other => {
            let (f, frac) = number(other)?;
            if !f.is_finite() || f.abs() >= 1e38 {
                return Err(out_of_range(f));
            }
            (f.trunc() as i128, frac)
        }
    };
    if v < width.min || v > width.max {
        return Err(out_of_range(v));
    }
    // in range, so the low bytes are the value whether the C type is signed or not
    Ok(match width.bytes {
        1 => store(p, v as u8, frac),
        2 => store(p, v as u16, frac),
        4 => store(p, v as u32, frac),
        _ => store(p, v as u64, frac),
    })
}

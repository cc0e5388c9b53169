//! The integer C types, signed and unsigned, of 1 to 8 bytes: integers as they are, other
//! numbers truncated toward zero (01S07 when a fraction is dropped), text parsed as a number
//! (22018 if it is not one); a value outside the C type's range is 22003.

use super::number::number;
use super::outcome::{out_of_range, store};
use super::target::Out;
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

#[cfg(test)]
mod tests {
    use crate::convert::to_c::cases::{check, text, Case};
    use crate::convert::Cell;
    use crate::sys::*;
    use chrono::NaiveDate;

    #[test]
    fn integers_in_range_of_each_width() {
        #[rustfmt::skip]
        let cases: &[Case] = &[
            (Cell::Int(-5), SQL_C_SLONG, Some(4), 0, &(-5i32).to_ne_bytes(), 4, 0, None),
            (Cell::Int(-5), SQL_C_LONG, Some(4), 0, &(-5i32).to_ne_bytes(), 4, 0, None),
            (Cell::Null, SQL_C_SLONG, Some(4), 0, b"~~~~", SQL_NULL_DATA, 0, None),
            (Cell::Int(5), SQL_C_SLONG, None, 0, b"", 4, 0, None),
            (Cell::Int(i64::MIN), SQL_C_SBIGINT, Some(8), 0, &i64::MIN.to_ne_bytes(), 8, 0, None),
            (Cell::UInt(u64::MAX), SQL_C_UBIGINT, Some(8), 0, &u64::MAX.to_ne_bytes(), 8, 0, None),
            (Cell::Int(u32::MAX as i64), SQL_C_ULONG, Some(4), 0, &u32::MAX.to_ne_bytes(), 4, 0, None),
            (Cell::Int(-32768), SQL_C_SHORT, Some(2), 0, &(-32768i16).to_ne_bytes(), 2, 0, None),
            (Cell::Int(-32768), SQL_C_SSHORT, Some(2), 0, &(-32768i16).to_ne_bytes(), 2, 0, None),
            (Cell::UInt(65535), SQL_C_USHORT, Some(2), 0, &65535u16.to_ne_bytes(), 2, 0, None),
            (Cell::Int(127), SQL_C_TINYINT, Some(1), 0, b"\x7f", 1, 0, None),
            (Cell::Int(-128), SQL_C_STINYINT, Some(1), 0, b"\x80", 1, 0, None),
            (Cell::Int(255), SQL_C_UTINYINT, Some(1), 0, b"\xff", 1, 0, None),
            (Cell::Bool(true), SQL_C_UTINYINT, Some(1), 0, b"\x01", 1, 0, None),
            // outside the range: 22003, also for a null pointer
            (Cell::Int(300), SQL_C_TINYINT, Some(1), 0, b"~", 0, 0, Some("22003")),
            (Cell::Int(-129), SQL_C_STINYINT, Some(1), 0, b"~", 0, 0, Some("22003")),
            (Cell::Int(256), SQL_C_UTINYINT, Some(1), 0, b"~", 0, 0, Some("22003")),
            (Cell::Int(-1), SQL_C_UTINYINT, Some(1), 0, b"~", 0, 0, Some("22003")),
            (Cell::Int(32768), SQL_C_SSHORT, Some(2), 0, b"~~", 0, 0, Some("22003")),
            (Cell::Int(-1), SQL_C_USHORT, Some(2), 0, b"~~", 0, 0, Some("22003")),
            (Cell::Int(1 << 40), SQL_C_SLONG, Some(4), 0, b"~~~~", 0, 0, Some("22003")),
            (Cell::Int(-1), SQL_C_ULONG, Some(4), 0, b"~~~~", 0, 0, Some("22003")),
            (Cell::UInt(u64::MAX), SQL_C_SBIGINT, Some(8), 0, b"~~~~~~~~", 0, 0, Some("22003")),
            (Cell::Int(-1), SQL_C_UBIGINT, Some(8), 0, b"~~~~~~~~", 0, 0, Some("22003")),
            (Cell::Int(300), SQL_C_TINYINT, None, 0, b"", 0, 0, Some("22003")),
        ];
        check(cases);
    }

    #[test]
    fn other_numbers_and_text_truncated_toward_zero() {
        let date = Cell::Date(NaiveDate::from_ymd_opt(2026, 3, 4).unwrap());
        #[rustfmt::skip]
        let cases: &[Case] = &[
            (Cell::Float(3.0), SQL_C_SLONG, Some(4), 0, &3i32.to_ne_bytes(), 4, 0, None),
            (Cell::Float(12.75), SQL_C_SLONG, Some(4), 0, &12i32.to_ne_bytes(), 4, 0, Some("01S07")),
            (Cell::Float(-12.75), SQL_C_SLONG, Some(4), 0, &(-12i32).to_ne_bytes(), 4, 0, Some("01S07")),
            (Cell::Float(1e20), SQL_C_SBIGINT, Some(8), 0, b"~~~~~~~~", 0, 0, Some("22003")),
            (Cell::Float(1e40), SQL_C_SBIGINT, Some(8), 0, b"~~~~~~~~", 0, 0, Some("22003")),
            (Cell::Float(f64::NAN), SQL_C_SLONG, Some(4), 0, b"~~~~", 0, 0, Some("22003")),
            (Cell::Decimal(1200, 2), SQL_C_SLONG, Some(4), 0, &12i32.to_ne_bytes(), 4, 0, None),
            (Cell::Decimal(1275, 2), SQL_C_SLONG, Some(4), 0, &12i32.to_ne_bytes(), 4, 0, Some("01S07")),
            (Cell::Decimal(-1275, 2), SQL_C_SLONG, Some(4), 0, &(-12i32).to_ne_bytes(), 4, 0, Some("01S07")),
            (Cell::Decimal(5, -2), SQL_C_SLONG, Some(4), 0, &500i32.to_ne_bytes(), 4, 0, None),
            (Cell::Decimal(25_600, 2), SQL_C_UTINYINT, Some(1), 0, b"~", 0, 0, Some("22003")),
            (text(" 42 "), SQL_C_SSHORT, Some(2), 0, &42i16.to_ne_bytes(), 2, 0, None),
            (text("12.5"), SQL_C_SSHORT, Some(2), 0, &12i16.to_ne_bytes(), 2, 0, Some("01S07")),
            (text("1e3"), SQL_C_SSHORT, Some(2), 0, &1000i16.to_ne_bytes(), 2, 0, None),
            (text("70000"), SQL_C_SSHORT, Some(2), 0, b"~~", 0, 0, Some("22003")),
            // text that is not a number
            (text("x1"), SQL_C_SLONG, Some(4), 0, b"~~~~", 0, 0, Some("22018")),
            (text(""), SQL_C_SLONG, Some(4), 0, b"~~~~", 0, 0, Some("22018")),
            // conversions the table does not allow
            (date, SQL_C_SLONG, Some(4), 0, b"~~~~", 0, 0, Some("07006")),
            (Cell::Bytes(&[1]), SQL_C_SLONG, Some(4), 0, b"~~~~", 0, 0, Some("07006")),
        ];
        check(cases);
    }
}

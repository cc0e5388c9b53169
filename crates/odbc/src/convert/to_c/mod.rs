//! A result cell into the application's buffer, for every C type the ODBC conversion table
//! allows, with the standard's diagnostics: 01004 (text or binary cut, more to read), 01S07
//! (fraction dropped), 22003 (out of range), 22018 (text that is not a number or date),
//! 07006 (a conversion the table does not allow). [`write`] picks the module of the C type's
//! family; each holds its rules and a table of cases.

mod binary;
mod bit;
#[cfg(test)]
mod cases;
mod datetime;
mod float;
mod guid;
mod integer;
mod number;
mod numeric;
mod outcome;
mod pieces;
mod target;
mod text;

pub use target::{Out, Target};

use super::cell::Cell;
use crate::diag::{OdbcError, OdbcResult};
use crate::sys::*;

/// Writes `cell` to `target`; `offset` is how many bytes of character or binary data earlier
/// SQLGetData calls already returned for this cell.
///
/// # Safety
/// `target.ptr` is null or valid for the C type (and `cap` bytes for character and binary).
pub unsafe fn write(cell: &Cell, target: &Target, offset: usize) -> OdbcResult<Out> {
    if *cell == Cell::Null {
        return Ok(Out {
            indicator: SQL_NULL_DATA,
            advanced: 0,
            warning: None,
        });
    }
    let p = target.ptr;
    match target.c_type {
        SQL_C_CHAR => text::narrow(cell, target, offset),
        SQL_C_WCHAR => text::wide(cell, target, offset),
        SQL_C_BINARY => binary::write(cell, target, offset),
        SQL_C_BIT => bit::write(cell, p),
        SQL_C_DOUBLE => float::double(cell, p),
        SQL_C_FLOAT => float::single(cell, p),
        SQL_C_NUMERIC => numeric::write(cell, target),
        SQL_C_TYPE_DATE | SQL_C_DATE => datetime::date(cell, p),
        SQL_C_TYPE_TIME | SQL_C_TIME => datetime::time(cell, target),
        SQL_C_TYPE_TIMESTAMP | SQL_C_TIMESTAMP => datetime::timestamp(cell, p),
        SQL_C_GUID => guid::write(cell, target),
        other => match integer::width(other) {
            Some(width) => integer::write(cell, p, width),
            None => Err(OdbcError::new(
                "HY003",
                format!("C type {other} is not a valid C data type"),
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::cases::{check, text, Case};
    use super::*;
    use chrono::NaiveDate;
    use std::borrow::Cow;

    fn target<T>(c_type: SmallInt, buf: &mut T) -> Target {
        Target {
            c_type,
            ptr: buf as *mut T as Pointer,
            cap: std::mem::size_of::<T>() as Len,
            precision: 0,
            scale: 0,
        }
    }

    #[test]
    fn text_in_pieces_with_remaining_lengths() {
        let cell = Cell::Text(Cow::Borrowed("abcdefghij"));
        let mut buf = [0u8; 4];
        let t = target(SQL_C_CHAR, &mut buf);
        let o = unsafe { write(&cell, &t, 0) }.unwrap();
        assert_eq!((o.indicator, o.advanced), (10, 3));
        assert_eq!(o.warning.unwrap().state, "01004");
        assert_eq!(&buf, b"abc\0");
        let o = unsafe { write(&cell, &t, 9) }.unwrap();
        assert_eq!((o.indicator, o.advanced, o.warning), (1, 1, None));
        assert_eq!(&buf[..2], b"j\0");
    }

    #[test]
    fn numbers_check_range_and_fractions() {
        let mut i: i32 = 0;
        let o = unsafe { write(&Cell::Float(12.75), &target(SQL_C_SLONG, &mut i), 0) }.unwrap();
        assert_eq!(i, 12);
        assert_eq!(o.warning.unwrap().state, "01S07");
        let e = unsafe { write(&Cell::Int(1 << 40), &target(SQL_C_SLONG, &mut i), 0) }.unwrap_err();
        assert_eq!(e.state, "22003");
        let e = unsafe {
            write(
                &Cell::Text(Cow::Borrowed("x1")),
                &target(SQL_C_SLONG, &mut i),
                0,
            )
        }
        .unwrap_err();
        assert_eq!(e.state, "22018");
        let mut n = NumericStruct::default();
        let mut t = target(SQL_C_NUMERIC, &mut n);
        t.scale = 2;
        unsafe { write(&Cell::Float(-12.345), &t, 0) }.unwrap();
        assert_eq!((n.sign, n.scale, u128::from_le_bytes(n.val)), (0, 2, 1234));
        let mut small = [0u8; 3];
        let e =
            unsafe { write(&Cell::Int(12345), &target(SQL_C_CHAR, &mut small), 0) }.unwrap_err();
        assert_eq!(e.state, "22003");
    }

    #[test]
    fn dates_times_and_guids() {
        let ts = NaiveDate::from_ymd_opt(2026, 3, 4)
            .unwrap()
            .and_hms_micro_opt(5, 6, 7, 8)
            .unwrap();
        let mut s = TimestampStruct::default();
        unsafe {
            write(
                &Cell::Timestamp(ts),
                &target(SQL_C_TYPE_TIMESTAMP, &mut s),
                0,
            )
        }
        .unwrap();
        assert_eq!(
            (s.year, s.month, s.day, s.hour, s.second, s.fraction),
            (2026, 3, 4, 5, 7, 8000)
        );
        let mut d = DateStruct::default();
        let o =
            unsafe { write(&Cell::Timestamp(ts), &target(SQL_C_TYPE_DATE, &mut d), 0) }.unwrap();
        assert_eq!((d.year, d.day), (2026, 4));
        assert_eq!(o.warning.unwrap().state, "01S07");
        let o = unsafe {
            write(
                &Cell::Text(Cow::Borrowed("2025-12-31")),
                &target(SQL_C_TYPE_DATE, &mut d),
                0,
            )
        }
        .unwrap();
        assert_eq!((d.year, d.month, d.day, o.warning), (2025, 12, 31, None));
        let mut t = TimeStruct::default();
        let e = unsafe { write(&Cell::Date(ts.date()), &target(SQL_C_TYPE_TIME, &mut t), 0) }
            .unwrap_err();
        assert_eq!(e.state, "07006");
        let mut g = Guid::default();
        unsafe {
            write(
                &Cell::Text(Cow::Borrowed("6F9619FF-8B86-D011-B42D-00C04FC964FF")),
                &target(SQL_C_GUID, &mut g),
                0,
            )
        }
        .unwrap();
        assert_eq!((g.d1, g.d2, g.d4[7]), (0x6F9619FF, 0x8B86, 0xFF));
    }

    #[test]
    fn null_for_any_c_type_and_unknown_c_types() {
        #[rustfmt::skip]
        let cases: &[Case] = &[
            (Cell::Null, SQL_C_CHAR, Some(2), 0, b"~~", SQL_NULL_DATA, 0, None),
            (Cell::Null, SQL_C_GUID, Some(16), 0, &[b'~'; 16], SQL_NULL_DATA, 0, None),
            (Cell::Null, 12345, Some(2), 0, b"~~", SQL_NULL_DATA, 0, None),
            (Cell::Null, SQL_C_SLONG, None, 0, b"", SQL_NULL_DATA, 0, None),
            (text("1"), 12345, Some(2), 0, b"~~", 0, 0, Some("HY003")),
            (text("1"), SQL_C_DEFAULT, Some(2), 0, b"~~", 0, 0, Some("HY003")),
        ];
        check(cases);
    }
}

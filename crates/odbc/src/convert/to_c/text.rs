//! SQL_C_CHAR and SQL_C_WCHAR: any value as its text, in pieces. Text and binary data may be
//! cut (01004, the rest read by later SQLGetData calls); numbers, dates and times go whole or
//! not at all (22003).

use super::outcome::truncated;
use super::pieces;
use super::target::{Out, Target};
use crate::convert::Cell;
use crate::diag::{OdbcError, OdbcResult};
use crate::sys::Len;
use crate::text::wchar_size;

/// SQL_C_CHAR: UTF-8 bytes, NUL-terminated.
///
/// # Safety
/// `target.ptr` is null or valid for `target.cap` bytes.
pub unsafe fn narrow(cell: &Cell, target: &Target, offset: usize) -> OdbcResult<Out> {
    cell.with_text(|text| narrow_text(cell, text, target, offset))
}

/// [`narrow`] of the cell's `text`.
///
/// # Safety
/// As [`narrow`].
unsafe fn narrow_text(cell: &Cell, text: &str, target: &Target, offset: usize) -> OdbcResult<Out> {
    let all = text.as_bytes();
    let rest = all.len() - offset.min(all.len());
    let cap = target.cap.max(0) as usize;
    if cap < rest + 1 {
        whole(cell, cap, text)?;
    }
    Ok(pieces::characters(all, target, offset))
}

/// SQL_C_WCHAR: SQLWCHARs, encoded straight into the buffer (the hot path of applications
/// that read every text column wide): the whole length from `offset` on is counted while the
/// part that fits is written. UTF-16 pieces may end between the two halves of a surrogate pair.
///
/// # Safety
/// `target.ptr` is null or valid for `target.cap` bytes.
pub unsafe fn wide(cell: &Cell, target: &Target, offset: usize) -> OdbcResult<Out> {
    cell.with_text(|text| wide_text(cell, text, target, offset))
}

/// [`wide`] of the cell's `text`.
///
/// # Safety
/// As [`wide`].
unsafe fn wide_text(cell: &Cell, text: &str, target: &Target, offset: usize) -> OdbcResult<Out> {
    let unit = wchar_size();
    let cap = target.cap.max(0) as usize;
    let room = if target.ptr.is_null() || cap < unit {
        0
    } else {
        cap / unit - 1
    };
    let skip = offset / unit;
    let dst = target.ptr as *mut u8;
    let total = if text.is_ascii() {
        // one unit per byte: the piece is written straight from the bytes
        let piece = text.as_bytes().get(skip..).unwrap_or_default();
        let n = piece.len().min(room);
        if n > 0 {
            let out = std::slice::from_raw_parts_mut(dst, n * unit);
            if unit == 2 {
                for (at, b) in out.chunks_exact_mut(2).zip(piece) {
                    at.copy_from_slice(&u16::from(*b).to_ne_bytes());
                }
            } else {
                for (at, b) in out.chunks_exact_mut(4).zip(piece) {
                    at.copy_from_slice(&u32::from(*b).to_ne_bytes());
                }
            }
        }
        piece.len()
    } else if unit == 2 && skip == 0 && text.len() <= room {
        // UTF-16 has no more units than UTF-8 has bytes: the whole text fits, unchecked
        let mut n = 0;
        for u in text.encode_utf16() {
            put_unit(dst, unit, n, u32::from(u));
            n += 1;
        }
        n
    } else {
        let mut index = 0usize;
        let mut put = |u: u32| {
            if index >= skip && index - skip < room {
                put_unit(dst, unit, index - skip, u);
            }
            index += 1;
        };
        if unit == 2 {
            text.encode_utf16().for_each(|u| put(u as u32));
        } else {
            text.chars().for_each(|c| put(c as u32));
        }
        index.saturating_sub(skip)
    };
    let written = total.min(room);
    if written < total {
        whole(cell, cap, text)?;
    }
    if !target.ptr.is_null() && cap >= unit {
        std::ptr::write_bytes(dst.add(written * unit), 0, unit);
    }
    Ok(Out {
        indicator: (total * unit) as Len,
        advanced: written * unit,
        warning: (written < total).then(|| truncated("string")),
    })
}

/// Writes the `i`th wide unit (`unit` bytes) at `dst`.
///
/// # Safety
/// `dst` is valid for `(i + 1) * unit` bytes.
unsafe fn put_unit(dst: *mut u8, unit: usize, i: usize, u: u32) {
    let at = dst.add(i * unit);
    if unit == 2 {
        std::ptr::write_unaligned(at as *mut u16, u as u16);
    } else {
        std::ptr::write_unaligned(at as *mut u32, u);
    }
}

/// For a buffer of `cap` bytes that cannot hold all of `text`: text and binary data are cut,
/// anything else is 22003 (unless the buffer is empty, which only asks for the length).
fn whole(cell: &Cell, cap: usize, text: &str) -> OdbcResult<()> {
    if cap > 0 && !matches!(cell, Cell::Text(_) | Cell::Bytes(_)) {
        return Err(OdbcError::new(
            "22003",
            format!("the buffer of {cap} bytes is too small for {text}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::convert::to_c::cases::{at, check, fill, text, Case};
    use crate::convert::Cell;
    use crate::sys::*;
    use crate::text::{wchar_size, wide_bytes};
    use chrono::NaiveDate;

    #[test]
    fn narrow_text_in_pieces_and_numbers_whole() {
        let ten = || text("abcdefghij");
        let date = Cell::Date(NaiveDate::from_ymd_opt(2026, 3, 4).unwrap());
        #[rustfmt::skip]
        let cases: &[Case] = &[
            (text("abc"), SQL_C_CHAR, Some(6), 0, b"abc\0~~", 3, 3, None),
            (text(""), SQL_C_CHAR, Some(2), 0, b"\0~", 0, 0, None),
            (Cell::Null, SQL_C_CHAR, Some(2), 0, b"~~", SQL_NULL_DATA, 0, None),
            // too small: the piece that fits, the length of all that is left
            (ten(), SQL_C_CHAR, Some(4), 0, b"abc\0", 10, 3, Some("01004")),
            (ten(), SQL_C_CHAR, Some(4), 3, b"def\0", 7, 3, Some("01004")),
            (ten(), SQL_C_CHAR, Some(4), 9, b"j\0~~", 1, 1, None),
            (ten(), SQL_C_CHAR, Some(4), 10, b"\0~~~", 0, 0, None),
            (ten(), SQL_C_CHAR, Some(1), 0, b"\0", 10, 0, Some("01004")),
            (ten(), SQL_C_CHAR, Some(0), 0, b"", 10, 0, Some("01004")),
            (ten(), SQL_C_CHAR, None, 0, b"", 10, 0, Some("01004")),
            // a piece may end inside a character
            (text("h\u{e9}llo"), SQL_C_CHAR, Some(3), 0, b"h\xc3\0", 6, 2, Some("01004")),
            (text("h\u{e9}llo"), SQL_C_CHAR, Some(3), 2, b"\xa9l\0", 4, 2, Some("01004")),
            // binary data as hex, cut like text
            (Cell::Bytes(&[0xAB, 0x01]), SQL_C_CHAR, Some(5), 0, b"AB01\0", 4, 4, None),
            (Cell::Bytes(&[0xAB, 0x01]), SQL_C_CHAR, Some(3), 0, b"AB\0", 4, 2, Some("01004")),
            // numbers, dates and times: whole, 22003 when they do not fit, only the length
            // for an empty buffer
            (Cell::Int(12345), SQL_C_CHAR, Some(6), 0, b"12345\0", 5, 5, None),
            (Cell::Int(12345), SQL_C_CHAR, Some(5), 0, b"~~~~~", 0, 0, Some("22003")),
            (Cell::Int(12345), SQL_C_CHAR, Some(0), 0, b"", 5, 0, Some("01004")),
            (Cell::Int(12345), SQL_C_CHAR, None, 0, b"", 5, 0, Some("01004")),
            (Cell::Float(12.75), SQL_C_CHAR, Some(6), 0, b"12.75\0", 5, 5, None),
            (Cell::Float(12.75), SQL_C_CHAR, Some(4), 0, b"~~~~", 0, 0, Some("22003")),
            (Cell::Float(1500.0), SQL_C_CHAR, Some(5), 0, b"1500\0", 4, 4, None),
            (Cell::UInt(u64::MAX), SQL_C_CHAR, Some(21), 0, b"18446744073709551615\0", 20, 20, None),
            (Cell::Bool(true), SQL_C_CHAR, Some(2), 0, b"1\0", 1, 1, None),
            (Cell::Decimal(-1205, 3), SQL_C_CHAR, Some(7), 0, b"-1.205\0", 6, 6, None),
            (date.clone(), SQL_C_CHAR, Some(11), 0, b"2026-03-04\0", 10, 10, None),
            (date, SQL_C_CHAR, Some(10), 0, b"~~~~~~~~~~", 0, 0, Some("22003")),
            (
                Cell::Timestamp(at((2026, 3, 4), (5, 6, 7), 8_000)),
                SQL_C_CHAR,
                Some(27),
                0,
                b"2026-03-04 05:06:07.000008\0",
                26,
                26,
                None,
            ),
        ];
        check(cases);
    }

    #[test]
    fn wide_text_in_pieces_of_whole_units() {
        let u = wchar_size();
        let w = |s: &str, nul: usize, fill_units: usize| {
            [wide_bytes(s), vec![0; nul * u], fill(fill_units * u)].concat()
        };
        let six = || text("abcdef");
        #[rustfmt::skip]
        let cases: &[Case] = &[
            (text("ab"), SQL_C_WCHAR, Some(4 * u), 0, &w("ab", 1, 1), 2 * u as Len, 2 * u, None),
            (Cell::Null, SQL_C_WCHAR, Some(2 * u), 0, &fill(2 * u), SQL_NULL_DATA, 0, None),
            (six(), SQL_C_WCHAR, Some(3 * u), 0, &w("ab", 1, 0), 6 * u as Len, 2 * u, Some("01004")),
            (six(), SQL_C_WCHAR, Some(3 * u), 2 * u, &w("cd", 1, 0), 4 * u as Len, 2 * u, Some("01004")),
            (six(), SQL_C_WCHAR, Some(3 * u), 4 * u, &w("ef", 1, 0), 2 * u as Len, 2 * u, None),
            // an odd length holds whole units only
            (six(), SQL_C_WCHAR, Some(3 * u + 1), 0, &[w("ab", 1, 0), fill(1)].concat(), 6 * u as Len, 2 * u, Some("01004")),
            // no room for the terminator: nothing written
            (six(), SQL_C_WCHAR, Some(u - 1), 0, &fill(u - 1), 6 * u as Len, 0, Some("01004")),
            (six(), SQL_C_WCHAR, Some(0), 0, b"", 6 * u as Len, 0, Some("01004")),
            (six(), SQL_C_WCHAR, None, 0, b"", 6 * u as Len, 0, Some("01004")),
            (Cell::Int(-5), SQL_C_WCHAR, Some(3 * u), 0, &w("-5", 1, 0), 2 * u as Len, 2 * u, None),
            // a number that does not fit: 22003, after the units that fit were written
            (Cell::Int(12345), SQL_C_WCHAR, Some(3 * u), 0, &w("12", 0, 1), 0, 0, Some("22003")),
            (Cell::Int(12345), SQL_C_WCHAR, Some(0), 0, b"", 5 * u as Len, 0, Some("01004")),
        ];
        check(cases);
    }

    #[test]
    #[cfg(target_endian = "little")]
    fn wide_text_beyond_the_basic_plane() {
        // U+1F600: a surrogate pair in UTF-16, one unit in UTF-32 (bytes little-endian)
        let s = || text("a\u{1F600}b");
        #[rustfmt::skip]
        let cases: &[Case] = if wchar_size() == 2 {
            &[
                (s(), SQL_C_WCHAR, Some(10), 0, b"a\0\x3d\xd8\x00\xdeb\0\0\0", 8, 8, None),
                // room for as many units as the UTF-8 has bytes: written whole at once
                (s(), SQL_C_WCHAR, Some(16), 0, &[&b"a\0\x3d\xd8\x00\xdeb\0\0\0"[..], fill(6).as_slice()].concat(), 8, 8, None),
                // the first piece ends between the halves of the pair
                (s(), SQL_C_WCHAR, Some(6), 0, b"a\0\x3d\xd8\0\0", 8, 4, Some("01004")),
                (s(), SQL_C_WCHAR, Some(6), 4, b"\x00\xdeb\0\0\0", 4, 4, None),
            ]
        } else {
            &[
                (s(), SQL_C_WCHAR, Some(16), 0, b"a\0\0\0\x00\xf6\x01\0b\0\0\0\0\0\0\0", 12, 12, None),
                (s(), SQL_C_WCHAR, Some(8), 0, b"a\0\0\0\0\0\0\0", 12, 4, Some("01004")),
            ]
        };
        check(cases);
    }
}

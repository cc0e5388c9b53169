//! A result cell into the application's buffer, for every C type the ODBC conversion table
//! allows, with the standard's diagnostics: 01004 (text or binary cut, more to read), 01S07
//! (fraction dropped), 22003 (out of range), 22018 (text that is not a number or date),
//! 07006 (a conversion the table does not allow).

use super::cell::Cell;
use crate::diag::{OdbcError, OdbcResult};
use crate::sys::*;
use crate::text::wchar_size;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// Where a value goes: the C type and buffer of an ARD record (or SQLGetData's arguments).
#[derive(Clone, Copy, Debug)]
pub struct Target {
    pub c_type: SmallInt,
    pub ptr: Pointer,
    /// Buffer length in bytes (for character and binary types).
    pub cap: Len,
    /// SQL_C_NUMERIC precision and scale.
    pub precision: SmallInt,
    pub scale: SmallInt,
}

/// What was written.
#[derive(Debug, PartialEq)]
pub struct Out {
    /// Length or indicator for the application: bytes available (from `offset` on), or
    /// SQL_NULL_DATA.
    pub indicator: Len,
    /// Bytes of character or binary data written this time (GetData pieces advance by it).
    pub advanced: usize,
    /// A warning (01004, 01S07) that leaves the value usable.
    pub warning: Option<OdbcError>,
}

fn out(indicator: usize) -> Out {
    Out {
        indicator: indicator as Len,
        advanced: 0,
        warning: None,
    }
}

fn fraction_dropped() -> Option<OdbcError> {
    Some(OdbcError::new("01S07", "fractional part dropped"))
}

fn out_of_range(what: impl std::fmt::Display) -> OdbcError {
    OdbcError::new(
        "22003",
        format!("{what} is out of range for the target type"),
    )
}

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
        SQL_C_CHAR => {
            let text = cell.to_text();
            chars(cell, text.as_bytes(), 1, target, offset)
        }
        SQL_C_WCHAR => wide_chars(cell, &cell.to_text(), target, offset),
        SQL_C_BINARY => {
            let owned;
            let bytes: &[u8] = match cell {
                Cell::Bytes(b) => b,
                Cell::Text(s) => s.as_bytes(),
                other => {
                    owned = native_bytes(other);
                    &owned
                }
            };
            binary(bytes, target, offset)
        }
        SQL_C_SBIGINT => integer(
            cell,
            p,
            i64::MIN as i128,
            i64::MAX as i128,
            |p, v| (p as *mut i64).write_unaligned(v as i64),
            8,
        ),
        SQL_C_UBIGINT => integer(
            cell,
            p,
            0,
            u64::MAX as i128,
            |p, v| (p as *mut u64).write_unaligned(v as u64),
            8,
        ),
        SQL_C_SLONG | SQL_C_LONG => integer(
            cell,
            p,
            i32::MIN as i128,
            i32::MAX as i128,
            |p, v| (p as *mut i32).write_unaligned(v as i32),
            4,
        ),
        SQL_C_ULONG => integer(
            cell,
            p,
            0,
            u32::MAX as i128,
            |p, v| (p as *mut u32).write_unaligned(v as u32),
            4,
        ),
        SQL_C_SSHORT | SQL_C_SHORT => integer(
            cell,
            p,
            i16::MIN as i128,
            i16::MAX as i128,
            |p, v| (p as *mut i16).write_unaligned(v as i16),
            2,
        ),
        SQL_C_USHORT => integer(
            cell,
            p,
            0,
            u16::MAX as i128,
            |p, v| (p as *mut u16).write_unaligned(v as u16),
            2,
        ),
        SQL_C_STINYINT | SQL_C_TINYINT => integer(
            cell,
            p,
            i8::MIN as i128,
            i8::MAX as i128,
            |p, v| (p as *mut i8).write_unaligned(v as i8),
            1,
        ),
        SQL_C_UTINYINT => integer(
            cell,
            p,
            0,
            u8::MAX as i128,
            |p, v| (p as *mut u8).write_unaligned(v as u8),
            1,
        ),
        SQL_C_BIT => {
            let (v, frac) = number(cell)?;
            if !(0.0..2.0).contains(&v) {
                return Err(out_of_range(v));
            }
            put(p, v.trunc() as u8);
            Ok(Out {
                warning: if frac { fraction_dropped() } else { None },
                ..out(1)
            })
        }
        SQL_C_DOUBLE => {
            let (v, _) = number(cell)?;
            put(p, v);
            Ok(out(8))
        }
        SQL_C_FLOAT => {
            let (v, _) = number(cell)?;
            if v.is_finite() && v.abs() > f32::MAX as f64 {
                return Err(out_of_range(v));
            }
            put(p, v as f32);
            Ok(out(4))
        }
        SQL_C_NUMERIC => numeric(cell, target),
        SQL_C_TYPE_DATE | SQL_C_DATE => {
            let (d, t) = datetime(cell)?;
            put(
                p,
                DateStruct {
                    year: d.year() as i16,
                    month: d.month() as u16,
                    day: d.day() as u16,
                },
            );
            let cut = t.is_some_and(|t| t != NaiveTime::MIN);
            Ok(Out {
                warning: if cut { fraction_dropped() } else { None },
                ..out(std::mem::size_of::<DateStruct>())
            })
        }
        SQL_C_TYPE_TIME | SQL_C_TIME => {
            let t = match cell {
                Cell::Date(_) => return Err(not_allowed(cell, target.c_type)),
                _ => datetime(cell)?.1.unwrap_or(NaiveTime::MIN),
            };
            put(
                p,
                TimeStruct {
                    hour: t.hour() as u16,
                    minute: t.minute() as u16,
                    second: t.second() as u16,
                },
            );
            Ok(Out {
                warning: if t.nanosecond() != 0 {
                    fraction_dropped()
                } else {
                    None
                },
                ..out(std::mem::size_of::<TimeStruct>())
            })
        }
        SQL_C_TYPE_TIMESTAMP | SQL_C_TIMESTAMP => {
            let (d, t) = datetime(cell)?;
            let t = t.unwrap_or(NaiveTime::MIN);
            put(
                p,
                TimestampStruct {
                    year: d.year() as i16,
                    month: d.month() as u16,
                    day: d.day() as u16,
                    hour: t.hour() as u16,
                    minute: t.minute() as u16,
                    second: t.second() as u16,
                    fraction: t.nanosecond(),
                },
            );
            Ok(out(std::mem::size_of::<TimestampStruct>()))
        }
        SQL_C_GUID => {
            let Cell::Text(s) = cell else {
                return Err(not_allowed(cell, target.c_type));
            };
            put(
                p,
                parse_guid(s)
                    .ok_or_else(|| OdbcError::new("22018", format!("'{s}' is not a GUID")))?,
            );
            Ok(out(16))
        }
        other => Err(OdbcError::new(
            "HY003",
            format!("C type {other} is not a valid C data type"),
        )),
    }
}

fn not_allowed(cell: &Cell, c_type: SmallInt) -> OdbcError {
    let what = match cell {
        Cell::Date(_) => "a date",
        Cell::Time(_) => "a time",
        Cell::Timestamp(_) => "a timestamp",
        Cell::Bool(_) => "a boolean",
        Cell::Bytes(_) => "binary data",
        _ => "this value",
    };
    OdbcError::new(
        "07006",
        format!("{what} cannot be converted to C type {c_type}"),
    )
}

unsafe fn put<T>(p: Pointer, v: T) {
    if !p.is_null() {
        std::ptr::write_unaligned(p as *mut T, v);
    }
}

/// Character data (UTF-8 bytes), NUL-terminated, in pieces. Each piece fills the buffer
/// (applications concatenate the pieces' bytes, so a piece may end inside a character).
unsafe fn chars(
    cell: &Cell,
    all: &[u8],
    unit: usize,
    target: &Target,
    offset: usize,
) -> OdbcResult<Out> {
    let rest = &all[offset.min(all.len())..];
    let cap = target.cap.max(0) as usize;
    if cap < rest.len() + unit && !matches!(cell, Cell::Text(_) | Cell::Bytes(_)) {
        // numbers, dates: the whole value or an error
        if cap > 0 {
            return Err(OdbcError::new(
                "22003",
                format!(
                    "the buffer of {cap} bytes is too small for {}",
                    String::from_utf8_lossy(all)
                ),
            ));
        }
    }
    let mut n = 0;
    if !target.ptr.is_null() && cap >= unit {
        n = rest.len().min((cap / unit - 1) * unit);
        let dst = target.ptr as *mut u8;
        std::ptr::copy_nonoverlapping(rest.as_ptr(), dst, n);
        std::ptr::write_bytes(dst.add(n), 0, unit);
    }
    Ok(Out {
        indicator: rest.len() as Len,
        advanced: n,
        warning: (n < rest.len()).then(|| OdbcError::new("01004", "string data, right truncated")),
    })
}

/// Character data as SQLWCHARs, encoded straight into the buffer (the hot path of
/// applications that read every text column wide): the whole length from `offset` on is
/// counted while the part that fits is written.
unsafe fn wide_chars(cell: &Cell, text: &str, target: &Target, offset: usize) -> OdbcResult<Out> {
    let unit = wchar_size();
    let cap = target.cap.max(0) as usize;
    let room = if target.ptr.is_null() || cap < unit {
        0
    } else {
        cap / unit - 1
    };
    let skip = offset / unit;
    let dst = target.ptr as *mut u8;
    let mut index = 0usize;
    let mut put = |u: u32| {
        if index >= skip && index - skip < room {
            let at = dst.add((index - skip) * unit);
            if unit == 2 {
                std::ptr::write_unaligned(at as *mut u16, u as u16);
            } else {
                std::ptr::write_unaligned(at as *mut u32, u);
            }
        }
        index += 1;
    };
    if unit == 2 {
        text.encode_utf16().for_each(|u| put(u as u32));
    } else {
        text.chars().for_each(|c| put(c as u32));
    }
    let total = index.saturating_sub(skip);
    let written = total.min(room);
    if written < total && cap > 0 && !matches!(cell, Cell::Text(_) | Cell::Bytes(_)) {
        return Err(OdbcError::new(
            "22003",
            format!("the buffer of {cap} bytes is too small for {text}"),
        ));
    }
    if !target.ptr.is_null() && cap >= unit {
        std::ptr::write_bytes(dst.add(written * unit), 0, unit);
    }
    Ok(Out {
        indicator: (total * unit) as Len,
        advanced: written * unit,
        warning: (written < total).then(|| OdbcError::new("01004", "string data, right truncated")),
    })
}

unsafe fn binary(all: &[u8], target: &Target, offset: usize) -> OdbcResult<Out> {
    let rest = &all[offset.min(all.len())..];
    let n = if target.ptr.is_null() {
        0
    } else {
        rest.len().min(target.cap.max(0) as usize)
    };
    if n > 0 {
        std::ptr::copy_nonoverlapping(rest.as_ptr(), target.ptr as *mut u8, n);
    }
    Ok(Out {
        indicator: rest.len() as Len,
        advanced: n,
        warning: (n < rest.len()).then(|| OdbcError::new("01004", "binary data, right truncated")),
    })
}

/// The default C representation of a value, for SQL_C_BINARY.
fn native_bytes(cell: &Cell) -> Vec<u8> {
    match cell {
        Cell::Int(v) => v.to_ne_bytes().to_vec(),
        Cell::UInt(v) => v.to_ne_bytes().to_vec(),
        Cell::Float(v) => v.to_ne_bytes().to_vec(),
        Cell::Bool(b) => vec![*b as u8],
        other => other.to_text().as_bytes().to_vec(),
    }
}

/// The value as a number, and whether it has a fractional part.
fn number(cell: &Cell) -> OdbcResult<(f64, bool)> {
    let v = match cell {
        Cell::Int(v) => *v as f64,
        Cell::UInt(v) => *v as f64,
        Cell::Float(v) => *v,
        Cell::Bool(b) => *b as u8 as f64,
        Cell::Decimal(v, s) => *v as f64 / 10f64.powi(*s as i32),
        Cell::Text(s) => s
            .trim()
            .parse::<f64>()
            .map_err(|_| OdbcError::new("22018", format!("'{s}' is not a number")))?,
        other => return Err(not_allowed(other, SQL_C_DOUBLE)),
    };
    Ok((v, v.fract() != 0.0))
}

unsafe fn integer(
    cell: &Cell,
    p: Pointer,
    min: i128,
    max: i128,
    store: unsafe fn(Pointer, i128),
    size: usize,
) -> OdbcResult<Out> {
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
    if v < min || v > max {
        return Err(out_of_range(v));
    }
    if !p.is_null() {
        // write through an aligned temporary: application buffers may be unaligned
        let mut tmp = [0u8; 8];
        store(tmp.as_mut_ptr().cast(), v);
        std::ptr::copy_nonoverlapping(tmp.as_ptr(), p as *mut u8, size);
    }
    Ok(Out {
        warning: if frac { fraction_dropped() } else { None },
        ..out(size)
    })
}

unsafe fn numeric(cell: &Cell, target: &Target) -> OdbcResult<Out> {
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
    let mut n = NumericStruct {
        precision,
        scale: scale as i8,
        sign: (scaled >= 0) as u8,
        val: [0; 16],
    };
    n.val = scaled.unsigned_abs().to_le_bytes();
    put(target.ptr, n);
    Ok(Out {
        warning: if frac { fraction_dropped() } else { None },
        ..out(std::mem::size_of::<NumericStruct>())
    })
}

/// A date and time of day (None for a plain date) from a date, time, timestamp or text.
fn datetime(cell: &Cell) -> OdbcResult<(NaiveDate, Option<NaiveTime>)> {
    match cell {
        Cell::Date(d) => Ok((*d, None)),
        Cell::Timestamp(t) => Ok((t.date(), Some(t.time()))),
        Cell::Time(t) => Ok((chrono::Utc::now().date_naive(), Some(*t))),
        Cell::Text(s) => parse_datetime(s.trim()).ok_or_else(|| {
            OdbcError::new("22018", format!("'{s}' is not a date, time or timestamp"))
        }),
        other => Err(not_allowed(other, SQL_C_TYPE_TIMESTAMP)),
    }
}

pub fn parse_datetime(s: &str) -> Option<(NaiveDate, Option<NaiveTime>)> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some((d, None));
    }
    for f in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S%.fZ",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some((t.date(), Some(t.time())));
        }
    }
    for f in ["%H:%M:%S%.f", "%H:%M"] {
        if let Ok(t) = NaiveTime::parse_from_str(s, f) {
            return Some((chrono::Utc::now().date_naive(), Some(t)));
        }
    }
    None
}

fn parse_guid(s: &str) -> Option<Guid> {
    let hex: String = s
        .trim_matches(|c| c == '{' || c == '}')
        .split('-')
        .collect();
    if hex.len() != 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let b = |i: usize, n: usize| u64::from_str_radix(&hex[i..i + n], 16).ok();
    let mut d4 = [0u8; 8];
    for (k, x) in d4.iter_mut().enumerate() {
        *x = b(16 + 2 * k, 2)? as u8;
    }
    Some(Guid {
        d1: b(0, 8)? as u32,
        d2: b(8, 4)? as u16,
        d3: b(12, 4)? as u16,
        d4,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
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
}

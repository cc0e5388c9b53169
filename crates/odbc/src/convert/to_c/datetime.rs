//! SQL_C_TYPE_DATE, SQL_C_TYPE_TIME and SQL_C_TYPE_TIMESTAMP (and their ODBC 2 names): from
//! dates, times, timestamps and text in the ISO forms (22018 for other text, 07006 for other
//! values). A date drops a time of day, a time drops fractional seconds (01S07); a time alone
//! falls on the current date.

use super::outcome::{not_allowed, store};
use super::target::{Out, Target};
use crate::convert::Cell;
use crate::diag::{OdbcError, OdbcResult};
use crate::sys::*;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// SQL_C_TYPE_DATE.
///
/// # Safety
/// `p` is null or valid for a SQL_DATE_STRUCT.
pub unsafe fn date(cell: &Cell, p: Pointer) -> OdbcResult<Out> {
    let (d, t) = datetime(cell)?;
    let date = DateStruct {
        year: d.year() as i16,
        month: d.month() as u16,
        day: d.day() as u16,
    };
    Ok(store(p, date, t.is_some_and(|t| t != NaiveTime::MIN)))
}

/// SQL_C_TYPE_TIME; a date alone is 07006.
///
/// # Safety
/// `target.ptr` is null or valid for a SQL_TIME_STRUCT.
pub unsafe fn time(cell: &Cell, target: &Target) -> OdbcResult<Out> {
    let t = match cell {
        Cell::Date(_) => return Err(not_allowed(cell, target.c_type)),
        _ => datetime(cell)?.1.unwrap_or(NaiveTime::MIN),
    };
    let time = TimeStruct {
        hour: t.hour() as u16,
        minute: t.minute() as u16,
        second: t.second() as u16,
    };
    Ok(store(target.ptr, time, t.nanosecond() != 0))
}

/// SQL_C_TYPE_TIMESTAMP; a date alone at midnight.
///
/// # Safety
/// `p` is null or valid for a SQL_TIMESTAMP_STRUCT.
pub unsafe fn timestamp(cell: &Cell, p: Pointer) -> OdbcResult<Out> {
    let (d, t) = datetime(cell)?;
    let t = t.unwrap_or(NaiveTime::MIN);
    let timestamp = TimestampStruct {
        year: d.year() as i16,
        month: d.month() as u16,
        day: d.day() as u16,
        hour: t.hour() as u16,
        minute: t.minute() as u16,
        second: t.second() as u16,
        fraction: t.nanosecond(),
    };
    Ok(store(p, timestamp, false))
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

/// A date, a date and time, or a time (on the current date) in the ISO forms.
fn parse_datetime(s: &str) -> Option<(NaiveDate, Option<NaiveTime>)> {
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

#[cfg(test)]
mod tests {
    use crate::convert::to_c::cases::{at, check, fill, raw, text, Case};
    use crate::convert::Cell;
    use crate::sys::*;

    const DATE: usize = std::mem::size_of::<DateStruct>();
    const TIME: usize = std::mem::size_of::<TimeStruct>();
    const STAMP: usize = std::mem::size_of::<TimestampStruct>();

    fn date(year: i16, month: u16, day: u16) -> Vec<u8> {
        raw(DateStruct { year, month, day })
    }

    fn time(hour: u16, minute: u16, second: u16) -> Vec<u8> {
        raw(TimeStruct {
            hour,
            minute,
            second,
        })
    }

    fn stamp(ymd: (i16, u16, u16), hms: (u16, u16, u16), fraction: u32) -> Vec<u8> {
        raw(TimestampStruct {
            year: ymd.0,
            month: ymd.1,
            day: ymd.2,
            hour: hms.0,
            minute: hms.1,
            second: hms.2,
            fraction,
        })
    }

    #[test]
    fn dates_drop_the_time_of_day() {
        let d = SQL_C_TYPE_DATE;
        let day = || Cell::Date(at((2025, 12, 31), (0, 0, 0), 0).date());
        #[rustfmt::skip]
        let cases: &[Case] = &[
            (day(), d, Some(DATE), 0, &date(2025, 12, 31), DATE as Len, 0, None),
            (day(), SQL_C_DATE, Some(DATE), 0, &date(2025, 12, 31), DATE as Len, 0, None),
            (Cell::Null, d, Some(DATE), 0, &fill(DATE), SQL_NULL_DATA, 0, None),
            (day(), d, None, 0, b"", DATE as Len, 0, None),
            (Cell::Timestamp(at((2026, 3, 4), (0, 0, 0), 0)), d, Some(DATE), 0, &date(2026, 3, 4), DATE as Len, 0, None),
            (Cell::Timestamp(at((2026, 3, 4), (5, 6, 7), 8_000)), d, Some(DATE), 0, &date(2026, 3, 4), DATE as Len, 0, Some("01S07")),
            (text("2025-12-31"), d, Some(DATE), 0, &date(2025, 12, 31), DATE as Len, 0, None),
            (text("2025-12-31 00:00:00"), d, Some(DATE), 0, &date(2025, 12, 31), DATE as Len, 0, None),
            (text("2025-12-31 10:00:00"), d, Some(DATE), 0, &date(2025, 12, 31), DATE as Len, 0, Some("01S07")),
            (text("31/12/2025"), d, Some(DATE), 0, &fill(DATE), 0, 0, Some("22018")),
            (Cell::Int(20251231), d, Some(DATE), 0, &fill(DATE), 0, 0, Some("07006")),
            (Cell::Bytes(&[1]), d, Some(DATE), 0, &fill(DATE), 0, 0, Some("07006")),
        ];
        check(cases);
    }

    #[test]
    fn times_drop_fractional_seconds() {
        let t = SQL_C_TYPE_TIME;
        let seven = || Cell::Time(at((2026, 3, 4), (5, 6, 7), 0).time());
        #[rustfmt::skip]
        let cases: &[Case] = &[
            (seven(), t, Some(TIME), 0, &time(5, 6, 7), TIME as Len, 0, None),
            (seven(), SQL_C_TIME, Some(TIME), 0, &time(5, 6, 7), TIME as Len, 0, None),
            (Cell::Null, t, Some(TIME), 0, &fill(TIME), SQL_NULL_DATA, 0, None),
            (seven(), t, None, 0, b"", TIME as Len, 0, None),
            (Cell::Time(at((2026, 3, 4), (5, 6, 7), 500_000_000).time()), t, Some(TIME), 0, &time(5, 6, 7), TIME as Len, 0, Some("01S07")),
            (Cell::Timestamp(at((2026, 3, 4), (5, 6, 7), 8_000)), t, Some(TIME), 0, &time(5, 6, 7), TIME as Len, 0, Some("01S07")),
            (text("10:20:30"), t, Some(TIME), 0, &time(10, 20, 30), TIME as Len, 0, None),
            (text("10:20"), t, Some(TIME), 0, &time(10, 20, 0), TIME as Len, 0, None),
            (text("2025-12-31"), t, Some(TIME), 0, &time(0, 0, 0), TIME as Len, 0, None),
            (text("noon"), t, Some(TIME), 0, &fill(TIME), 0, 0, Some("22018")),
            (Cell::Date(at((2026, 3, 4), (0, 0, 0), 0).date()), t, Some(TIME), 0, &fill(TIME), 0, 0, Some("07006")),
            (Cell::Int(1), t, Some(TIME), 0, &fill(TIME), 0, 0, Some("07006")),
        ];
        check(cases);
    }

    #[test]
    fn timestamps_keep_nanoseconds() {
        let s = SQL_C_TYPE_TIMESTAMP;
        let ts = || Cell::Timestamp(at((2026, 3, 4), (5, 6, 7), 8_000));
        #[rustfmt::skip]
        let cases: &[Case] = &[
            (ts(), s, Some(STAMP), 0, &stamp((2026, 3, 4), (5, 6, 7), 8_000), STAMP as Len, 0, None),
            (ts(), SQL_C_TIMESTAMP, Some(STAMP), 0, &stamp((2026, 3, 4), (5, 6, 7), 8_000), STAMP as Len, 0, None),
            (Cell::Null, s, Some(STAMP), 0, &fill(STAMP), SQL_NULL_DATA, 0, None),
            (ts(), s, None, 0, b"", STAMP as Len, 0, None),
            (Cell::Date(at((2026, 3, 4), (0, 0, 0), 0).date()), s, Some(STAMP), 0, &stamp((2026, 3, 4), (0, 0, 0), 0), STAMP as Len, 0, None),
            (text("2025-12-31 10:20:30.25"), s, Some(STAMP), 0, &stamp((2025, 12, 31), (10, 20, 30), 250_000_000), STAMP as Len, 0, None),
            (text("2025-12-31T10:20:30.5Z"), s, Some(STAMP), 0, &stamp((2025, 12, 31), (10, 20, 30), 500_000_000), STAMP as Len, 0, None),
            (text(" 2025-12-31 10:20 "), s, Some(STAMP), 0, &stamp((2025, 12, 31), (10, 20, 0), 0), STAMP as Len, 0, None),
            (text("yesterday"), s, Some(STAMP), 0, &fill(STAMP), 0, 0, Some("22018")),
            (Cell::Float(1.5), s, Some(STAMP), 0, &fill(STAMP), 0, 0, Some("07006")),
        ];
        check(cases);
    }
}

//! SQL_C_TYPE_DATE, SQL_C_TYPE_TIME and SQL_C_TYPE_TIMESTAMP (and their ODBC 2 names): from
//! dates, times, timestamps and text in the ISO forms (22018 for other text, 07006 for other
//! values). A date drops a time of day, a time drops fractional seconds (01S07); a time alone
//! falls on the current date.

use super::outcome::{not_allowed, store};
use super::{Out, Target};
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

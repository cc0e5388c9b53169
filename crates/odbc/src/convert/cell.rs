//! One value of a result column, in the few shapes conversion needs, and its text.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use std::borrow::Cow;
use std::fmt::{self, Write};

#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'a> {
    Null,
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
    Text(Cow<'a, str>),
    Bytes(&'a [u8]),
    Date(NaiveDate),
    Time(NaiveTime),
    Timestamp(NaiveDateTime),
    /// An unscaled value and its scale.
    Decimal(i128, i8),
}

/// Days since 1970-01-01 as a date (out of chrono's range: 1970-01-01).
pub(super) fn date_of_days(days: i32) -> NaiveDate {
    DateTime::from_timestamp(i64::from(days) * 86_400, 0)
        .map(|d| d.date_naive())
        .unwrap_or_default()
}

/// Nanoseconds since midnight as a time of day (past a day: wrapped).
pub(super) fn time_of_day(nanos: i64) -> NaiveTime {
    let secs = nanos.div_euclid(1_000_000_000) as u32;
    let frac = nanos.rem_euclid(1_000_000_000) as u32;
    NaiveTime::from_num_seconds_from_midnight_opt(secs % 86_400, frac).unwrap_or_default()
}

/// Nanoseconds since 1970-01-01 00:00 UTC as a timestamp (out of chrono's range: the epoch).
pub(super) fn timestamp_of_nanos(nanos: i128) -> Cell<'static> {
    let secs = nanos.div_euclid(1_000_000_000) as i64;
    let frac = nanos.rem_euclid(1_000_000_000) as u32;
    Cell::Timestamp(
        DateTime::from_timestamp(secs, frac)
            .map(|d| d.naive_utc())
            .unwrap_or_default(),
    )
}

impl Cell<'_> {
    /// The value as the text a character buffer receives: borrowed when it is text, else
    /// written into a new string.
    pub fn to_text(&self) -> Cow<'_, str> {
        if let Cell::Text(s) = self {
            return Cow::Borrowed(s.as_ref());
        }
        let mut text = String::new();
        let _ = self.write_text(&mut text);
        Cow::Owned(text)
    }

    /// Hands the value's text to `use_text` without allocating for the values read most:
    /// text is borrowed, and numbers, dates and times are written on the stack (anything
    /// longer than [`LINE`], a string).
    pub fn with_text<R>(&self, use_text: impl FnOnce(&str) -> R) -> R {
        if let Cell::Text(s) = self {
            return use_text(s);
        }
        let mut line = Line::default();
        match self.write_text(&mut line) {
            Ok(()) => use_text(line.as_str()),
            Err(_) => use_text(&self.to_text()),
        }
    }

    /// Writes the value's text: integers and decimals in full, whole floats without a
    /// fraction, booleans as 1 and 0, bytes in hexadecimal, dates as yyyy-mm-dd, times as
    /// hh:mm:ss, timestamps as both with the fraction of a second in 3, 6 or 9 digits when
    /// there is one.
    fn write_text(&self, out: &mut impl Write) -> fmt::Result {
        match self {
            Cell::Null => Ok(()),
            Cell::Int(v) => write!(out, "{v}"),
            Cell::UInt(v) => write!(out, "{v}"),
            Cell::Float(v) if v.is_finite() && *v == v.trunc() && v.abs() < 1e15 => {
                write!(out, "{v:.0}")
            }
            Cell::Float(v) => write!(out, "{v}"),
            Cell::Bool(b) => out.write_str(if *b { "1" } else { "0" }),
            Cell::Text(s) => out.write_str(s),
            Cell::Bytes(b) => b.iter().try_for_each(|x| write!(out, "{x:02X}")),
            Cell::Date(d) => write_date(out, d),
            Cell::Time(t) => write_time(out, t),
            Cell::Timestamp(t) => {
                write_date(out, &t.date())?;
                out.write_char(' ')?;
                write_time(out, &t.time())?;
                match t.nanosecond() % 1_000_000_000 {
                    0 => Ok(()),
                    n if n % 1_000_000 == 0 => write!(out, ".{:03}", n / 1_000_000),
                    n if n % 1_000 == 0 => write!(out, ".{:06}", n / 1_000),
                    n => write!(out, ".{n:09}"),
                }
            }
            Cell::Decimal(v, scale) => write_decimal(out, *v, *scale),
        }
    }
}

/// Room on the stack for a value's text: the longest decimal (39 digits, a sign and a point)
/// and the longest timestamp fit.
const LINE: usize = 48;

/// A value's text written on the stack; writing past its room fails.
struct Line {
    bytes: [u8; LINE],
    len: usize,
}

impl Default for Line {
    fn default() -> Line {
        Line {
            bytes: [0; LINE],
            len: 0,
        }
    }
}

impl Line {
    fn as_str(&self) -> &str {
        // only whole strs are written
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl Write for Line {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let to = self
            .bytes
            .get_mut(self.len..self.len + s.len())
            .ok_or(fmt::Error)?;
        to.copy_from_slice(s.as_bytes());
        self.len += s.len();
        Ok(())
    }
}

/// yyyy-mm-dd; a year before 0 or after 9999 with its sign.
fn write_date(out: &mut impl Write, d: &NaiveDate) -> fmt::Result {
    match d.year() {
        y @ 0..=9999 => write!(out, "{y:04}")?,
        y => write!(out, "{y:+05}")?,
    }
    write!(out, "-{:02}-{:02}", d.month(), d.day())
}

/// hh:mm:ss.
fn write_time(out: &mut impl Write, t: &NaiveTime) -> fmt::Result {
    write!(out, "{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
}

/// An unscaled value and its scale as a decimal number: `scale` digits after the point (a
/// negative scale: that many zeros appended).
fn write_decimal(out: &mut impl Write, v: i128, scale: i8) -> fmt::Result {
    if v < 0 {
        out.write_char('-')?;
    }
    let mut digits = Line::default();
    write!(digits, "{}", v.unsigned_abs())?;
    let digits = digits.as_str();
    if scale <= 0 {
        out.write_str(digits)?;
        if v != 0 {
            (0..-i32::from(scale)).try_for_each(|_| out.write_char('0'))?;
        }
        return Ok(());
    }
    let scale = scale as usize;
    match digits.len().checked_sub(scale) {
        Some(int) if int > 0 => write!(out, "{}.{}", &digits[..int], &digits[int..]),
        _ => write!(out, "0.{digits:0>scale$}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_as_text() {
        let ts = |nanos| timestamp_of_nanos(nanos);
        let ymd = |y, m, d| Cell::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap());
        let long = [0xabu8; 40];
        let (sixty_zeros, long_hex) = (format!("1{}", "0".repeat(60)), "AB".repeat(40));
        let cases: Vec<(Cell, &str)> = vec![
            (ts(1_700_000_000_123_456_000), "2023-11-14 22:13:20.123456"),
            (ts(1_700_000_000_120_000_000), "2023-11-14 22:13:20.120"),
            (
                ts(1_700_000_000_000_000_007),
                "2023-11-14 22:13:20.000000007",
            ),
            (ts(1_700_000_000_000_000_000), "2023-11-14 22:13:20"),
            (ts(-1_000_000_000), "1969-12-31 23:59:59"),
            (Cell::Date(date_of_days(19_000)), "2022-01-08"),
            (Cell::Date(date_of_days(i32::MAX)), "1970-01-01"),
            (ymd(7, 3, 9), "0007-03-09"),
            (ymd(12_345, 12, 31), "+12345-12-31"),
            (ymd(-44, 3, 15), "-0044-03-15"),
            (Cell::Time(time_of_day(47_107_000_000_000)), "13:05:07"),
            (Cell::Time(time_of_day(59_999_999)), "00:00:00"),
            (Cell::Decimal(-1205, 3), "-1.205"),
            (Cell::Decimal(5, 2), "0.05"),
            (Cell::Decimal(-5, 2), "-0.05"),
            (Cell::Decimal(0, 2), "0.00"),
            (Cell::Decimal(125, 3), "0.125"),
            (Cell::Decimal(12, -2), "1200"),
            (Cell::Decimal(0, -2), "0"),
            (
                Cell::Decimal(i128::MIN + 1, 38),
                "-1.70141183460469231731687303715884105727",
            ),
            (Cell::Decimal(1, -60), &sixty_zeros),
            (Cell::Int(i64::MIN), "-9223372036854775808"),
            (Cell::UInt(u64::MAX), "18446744073709551615"),
            (Cell::Float(1500.0), "1500"),
            (Cell::Float(0.25), "0.25"),
            (Cell::Float(1e20), "100000000000000000000"),
            (Cell::Float(f64::NAN), "NaN"),
            (Cell::Bytes(b"\x0a\xff"), "0AFF"),
            (Cell::Bytes(&long), &long_hex),
            (Cell::Bool(false), "0"),
            (Cell::Text(Cow::Borrowed("Zoë")), "Zoë"),
            (Cell::Null, ""),
        ];
        for (cell, want) in &cases {
            assert_eq!(cell.to_text(), *want, "{cell:?}");
            assert_eq!(
                cell.with_text(str::to_owned),
                *want,
                "{cell:?} on the stack"
            );
        }
    }
}

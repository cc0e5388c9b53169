//! The API's dates and times as Arrow's numbers: timestamps (RFC 3339, or `YYYY-MM-DD HH:MM:SS`
//! in v1 answers), dates and times of day.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// Microseconds since the epoch of an API timestamp (UTC): RFC 3339 or `YYYY-MM-DD HH:MM:SS`.
pub fn timestamp_micros(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp_micros());
    }
    if let Some(t) = plain_date_time(s.as_bytes()) {
        return Some(t.and_utc().timestamp_micros());
    }
    [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .map(|t| t.and_utc().timestamp_micros())
    .or_else(|| date_days(s).map(|d| i64::from(d) * 86_400_000_000))
}

/// Days since the epoch of `YYYY-MM-DD` (a date-time gives its date).
pub fn date_days(s: &str) -> Option<i32> {
    let day = s.trim().get(..10)?;
    let d =
        plain_date(day.as_bytes()).or_else(|| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())?;
    Some((d - NaiveDate::from_ymd_opt(1970, 1, 1)?).num_days() as i32)
}

/// Microseconds since midnight of `HH:MM` or `HH:MM:SS`.
pub fn time_micros(s: &str) -> Option<i64> {
    let s = s.trim();
    let t = plain_time(s.as_bytes())
        .or_else(|| NaiveTime::parse_from_str(s, "%H:%M:%S").ok())
        .or_else(|| NaiveTime::parse_from_str(s, "%H:%M").ok())?;
    Some(i64::from(t.num_seconds_from_midnight()) * 1_000_000)
}

// The API writes dates and times in one form: read digit by digit, without a format parsed per
// value. Anything else (a fraction, a leap second, an odd width) goes through chrono as before.

/// `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DDTHH:MM:SS`, exactly.
fn plain_date_time(s: &[u8]) -> Option<NaiveDateTime> {
    if s.len() != 19 || !matches!(s[10], b' ' | b'T') {
        return None;
    }
    Some(plain_date(&s[..10])?.and_time(plain_time(&s[11..])?))
}

/// `YYYY-MM-DD`, exactly.
fn plain_date(s: &[u8]) -> Option<NaiveDate> {
    if s.len() != 10 || s[4] != b'-' || s[7] != b'-' {
        return None;
    }
    let year = digits(&s[..4])?;
    NaiveDate::from_ymd_opt(year as i32, digits(&s[5..7])?, digits(&s[8..])?)
}

/// `HH:MM:SS` or `HH:MM`, exactly.
fn plain_time(s: &[u8]) -> Option<NaiveTime> {
    let second = match s.len() {
        8 if s[5] == b':' => digits(&s[6..])?,
        5 => 0,
        _ => return None,
    };
    if s[2] != b':' {
        return None;
    }
    NaiveTime::from_hms_opt(digits(&s[..2])?, digits(&s[3..5])?, second)
}

/// The number written by ASCII digits only.
fn digits(s: &[u8]) -> Option<u32> {
    s.iter().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_time_formats() {
        assert_eq!(
            timestamp_micros("2024-05-01 10:20:30"),
            Some(1_714_558_830_000_000)
        );
        assert_eq!(
            timestamp_micros("2024-05-01T10:20:30.000Z"),
            Some(1_714_558_830_000_000)
        );
        assert_eq!(time_micros("09:30"), Some(34_200_000_000));
        assert_eq!(time_micros("25:99"), None);
        assert_eq!(date_days("1970-01-02"), Some(1));
    }

    #[test]
    fn dates_and_times_read_by_digits_agree_with_chrono() {
        let micros = |t: NaiveDateTime| t.and_utc().timestamp_micros();
        let chrono_ts = |s: &str| {
            ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        };
        #[rustfmt::skip]
        let cases: &[(&str, bool)] = &[
            // (text, read by digits)
            ("2024-05-01 10:20:30", true), ("2024-05-01T10:20:30", true),
            ("2024-02-29 23:59:59", true), ("0001-01-01 00:00:00", true),
            ("2023-02-29 10:00:00", false), ("2024-13-01 10:00:00", false),
            ("2024-05-01 24:00:00", false), ("2024-05-01 23:59:60", false),
            ("2024-5-01 10:20:30", false), ("2024-05-01 10:20:3x", false),
            ("2024-05-01_10:20:30", false), ("2024-05-01 10:20", false),
            ("+024-05-01 10:20:30", false), ("2024-05-01 10:20:30.5", false),
        ];
        for (text, by_digits) in cases {
            let got = plain_date_time(text.as_bytes());
            assert_eq!(got.is_some(), *by_digits, "{text}");
            if let Some(t) = got {
                assert_eq!(Some(t), chrono_ts(text), "{text}");
            }
            // and the whole reading is chrono's wherever chrono reads it
            if let Some(t) = chrono_ts(text) {
                assert_eq!(timestamp_micros(text), Some(micros(t)), "{text}");
            }
            let (day, time) = (&text[..10], &text[11..]);
            let chrono_day = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok();
            assert_eq!(
                date_days(text),
                chrono_day
                    .map(|d| (d - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days() as i32),
                "{text}"
            );
            let chrono_time = NaiveTime::parse_from_str(time, "%H:%M:%S")
                .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M"))
                .ok();
            assert_eq!(
                time_micros(time),
                chrono_time.map(|t| i64::from(t.num_seconds_from_midnight()) * 1_000_000),
                "{text}"
            );
        }
    }
}

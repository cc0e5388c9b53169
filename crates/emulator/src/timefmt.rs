//! The API's timestamp formats, to and from Unix seconds.

use crate::entities::TimeFormat;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

pub fn format(ts: i64, style: TimeFormat) -> String {
    let t = DateTime::<Utc>::from_timestamp(ts, 0).unwrap_or_default();
    match style {
        TimeFormat::Rfc3339 => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        TimeFormat::Space => t.format("%Y-%m-%d %H:%M:%S").to_string(),
        TimeFormat::Millis => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
    }
}

pub fn date(ts: i64) -> String {
    DateTime::<Utc>::from_timestamp(ts, 0)
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string()
}

/// Reads RFC 3339 (with or without fraction/offset), `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD`.
pub fn parse(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.timestamp());
    }
    for pattern in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, pattern) {
            return Some(t.and_utc().timestamp());
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(|d| {
        d.and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .timestamp()
    })
}

pub fn now() -> i64 {
    Utc::now().timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip() {
        let ts = 1_714_558_830; // 2024-05-01T10:20:30Z
        assert_eq!(format(ts, TimeFormat::Rfc3339), "2024-05-01T10:20:30Z");
        assert_eq!(format(ts, TimeFormat::Space), "2024-05-01 10:20:30");
        assert_eq!(format(ts, TimeFormat::Millis), "2024-05-01T10:20:30.000Z");
        for style in [TimeFormat::Rfc3339, TimeFormat::Space, TimeFormat::Millis] {
            assert_eq!(parse(&format(ts, style)), Some(ts));
        }
        assert_eq!(parse("2024-05-01"), Some(1_714_521_600));
        assert_eq!(parse("yesterday"), None);
    }
}

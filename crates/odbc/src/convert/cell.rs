//! One value of a result column, in the few shapes conversion needs.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use pipedrive_engine::arrow::array::*;
use pipedrive_engine::arrow::datatypes::*;
use pipedrive_engine::arrow::util::display::{ArrayFormatter, FormatOptions};
use std::borrow::Cow;

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

macro_rules! prim {
    ($array:expr, $t:ty, $row:expr) => {
        $array
            .as_any()
            .downcast_ref::<$t>()
            .expect("type checked")
            .value($row)
    };
}

/// The value at `row` of `array`.
pub fn cell(array: &dyn Array, row: usize) -> Cell<'_> {
    if array.is_null(row) {
        return Cell::Null;
    }
    use DataType as D;
    match array.data_type() {
        D::Int64 => Cell::Int(prim!(array, Int64Array, row)),
        D::Int32 => Cell::Int(prim!(array, Int32Array, row) as i64),
        D::Int16 => Cell::Int(prim!(array, Int16Array, row) as i64),
        D::Int8 => Cell::Int(prim!(array, Int8Array, row) as i64),
        D::UInt64 => Cell::UInt(prim!(array, UInt64Array, row)),
        D::UInt32 => Cell::UInt(prim!(array, UInt32Array, row) as u64),
        D::UInt16 => Cell::UInt(prim!(array, UInt16Array, row) as u64),
        D::UInt8 => Cell::UInt(prim!(array, UInt8Array, row) as u64),
        D::Float64 => Cell::Float(prim!(array, Float64Array, row)),
        D::Float32 => Cell::Float(prim!(array, Float32Array, row) as f64),
        D::Boolean => Cell::Bool(prim!(array, BooleanArray, row)),
        D::Utf8 => Cell::Text(Cow::Borrowed(prim!(array, StringArray, row))),
        D::LargeUtf8 => Cell::Text(Cow::Borrowed(prim!(array, LargeStringArray, row))),
        D::Utf8View => Cell::Text(Cow::Borrowed(prim!(array, StringViewArray, row))),
        D::Binary => Cell::Bytes(prim!(array, BinaryArray, row)),
        D::LargeBinary => Cell::Bytes(prim!(array, LargeBinaryArray, row)),
        D::BinaryView => Cell::Bytes(prim!(array, BinaryViewArray, row)),
        D::Date32 => Cell::Date(
            DateTime::from_timestamp(prim!(array, Date32Array, row) as i64 * 86_400, 0)
                .map(|d| d.date_naive())
                .unwrap_or_default(),
        ),
        D::Time64(TimeUnit::Microsecond) => {
            let us = prim!(array, Time64MicrosecondArray, row);
            Cell::Time(time_of_day(us * 1_000))
        }
        D::Time64(TimeUnit::Nanosecond) => {
            Cell::Time(time_of_day(prim!(array, Time64NanosecondArray, row)))
        }
        D::Timestamp(unit, _) => {
            let v = match unit {
                TimeUnit::Second => prim!(array, TimestampSecondArray, row) as i128 * 1_000_000_000,
                TimeUnit::Millisecond => {
                    prim!(array, TimestampMillisecondArray, row) as i128 * 1_000_000
                }
                TimeUnit::Microsecond => {
                    prim!(array, TimestampMicrosecondArray, row) as i128 * 1_000
                }
                TimeUnit::Nanosecond => prim!(array, TimestampNanosecondArray, row) as i128,
            };
            let secs = v.div_euclid(1_000_000_000) as i64;
            let nanos = v.rem_euclid(1_000_000_000) as u32;
            Cell::Timestamp(
                DateTime::from_timestamp(secs, nanos)
                    .map(|d| d.naive_utc())
                    .unwrap_or_default(),
            )
        }
        D::Decimal128(_, s) => Cell::Decimal(prim!(array, Decimal128Array, row), *s),
        _ => {
            // shown as text: intervals, lists, structs...
            let options = FormatOptions::default();
            match ArrayFormatter::try_new(array, &options) {
                Ok(f) => Cell::Text(Cow::Owned(f.value(row).to_string())),
                Err(_) => Cell::Null,
            }
        }
    }
}

fn time_of_day(nanos: i64) -> NaiveTime {
    let secs = nanos.div_euclid(1_000_000_000) as u32;
    let frac = nanos.rem_euclid(1_000_000_000) as u32;
    NaiveTime::from_num_seconds_from_midnight_opt(secs % 86_400, frac).unwrap_or_default()
}

impl Cell<'_> {
    /// The value as the text a character buffer receives.
    pub fn to_text(&self) -> Cow<'_, str> {
        match self {
            Cell::Null => Cow::Borrowed(""),
            Cell::Int(v) => Cow::Owned(v.to_string()),
            Cell::UInt(v) => Cow::Owned(v.to_string()),
            Cell::Float(v) => Cow::Owned(float_text(*v)),
            Cell::Bool(b) => Cow::Borrowed(if *b { "1" } else { "0" }),
            Cell::Text(s) => Cow::Borrowed(s.as_ref()),
            Cell::Bytes(b) => Cow::Owned(b.iter().map(|x| format!("{x:02X}")).collect()),
            Cell::Date(d) => Cow::Owned(d.format("%Y-%m-%d").to_string()),
            Cell::Time(t) => Cow::Owned(t.format("%H:%M:%S").to_string()),
            Cell::Timestamp(t) => Cow::Owned(if t.and_utc().timestamp_subsec_nanos() == 0 {
                t.format("%Y-%m-%d %H:%M:%S").to_string()
            } else {
                t.format("%Y-%m-%d %H:%M:%S%.f").to_string()
            }),
            Cell::Decimal(v, s) => Cow::Owned(decimal_text(*v, *s)),
        }
    }
}

fn float_text(v: f64) -> String {
    if v.is_finite() && v == v.trunc() && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        v.to_string()
    }
}

pub fn decimal_text(v: i128, scale: i8) -> String {
    if scale <= 0 {
        return (v * 10i128.pow((-scale) as u32)).to_string();
    }
    let digits = v.unsigned_abs().to_string();
    let scale = scale as usize;
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = padded.split_at(padded.len() - scale);
    format!("{}{int}.{frac}", if v < 0 { "-" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn cells_of_each_type_and_their_text() {
        let ts = TimestampMicrosecondArray::from(vec![Some(1_700_000_000_123_456), None]);
        assert_eq!(cell(&ts, 1), Cell::Null);
        assert_eq!(cell(&ts, 0).to_text(), "2023-11-14 22:13:20.123456");
        let d = Date32Array::from(vec![19_000]);
        assert_eq!(cell(&d, 0).to_text(), "2022-01-08");
        let t = Time64MicrosecondArray::from(vec![(13 * 3600 + 5 * 60 + 7) * 1_000_000]);
        assert_eq!(cell(&t, 0).to_text(), "13:05:07");
        let dec = Decimal128Array::from(vec![-1205])
            .with_precision_and_scale(10, 3)
            .unwrap();
        assert_eq!(cell(&dec, 0).to_text(), "-1.205");
        assert_eq!(decimal_text(5, 2), "0.05");
        let f = Float64Array::from(vec![1500.0, 0.25]);
        assert_eq!(cell(&f, 0).to_text(), "1500");
        assert_eq!(cell(&f, 1).to_text(), "0.25");
        let list: ArrayRef = Arc::new(ListArray::from_iter_primitive::<Int32Type, _, _>(vec![
            Some(vec![Some(1), Some(2)]),
        ]));
        assert_eq!(cell(list.as_ref(), 0).to_text(), "[1, 2]");
    }
}

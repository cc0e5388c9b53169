//! A bound parameter's value, read from the application's buffer as a SQL value. The engine
//! then casts it to the type the statement compares it with.

use crate::diag::{OdbcError, OdbcResult};
use crate::sys::*;
use crate::text::from_wide_bytes;
use chrono::{NaiveDate, NaiveTime};
use pipedrive_engine::arrow::datatypes::DataType;
use pipedrive_engine::ScalarValue;

/// One parameter of one parameter set: its C type, buffer and length (or indicator).
pub struct Source {
    pub c_type: SmallInt,
    pub ptr: Pointer,
    /// Bytes for character and binary data, SQL_NTS, or SQL_NULL_DATA.
    pub len: Len,
}

/// Reads the value.
///
/// # Safety
/// `ptr` is valid for the C type (and `len` bytes for character and binary data).
pub unsafe fn read(src: &Source) -> OdbcResult<ScalarValue> {
    if src.len == SQL_NULL_DATA {
        return Ok(ScalarValue::Null);
    }
    if src.ptr.is_null() {
        return Err(OdbcError::new(
            "HY009",
            "a bound parameter has no buffer and no NULL indicator",
        ));
    }
    let p = src.ptr;
    fn get<T: Copy>(p: Pointer) -> T {
        // SAFETY: the caller guarantees `p` holds a T; it may be unaligned.
        unsafe { std::ptr::read_unaligned(p as *const T) }
    }
    Ok(match src.c_type {
        SQL_C_CHAR => ScalarValue::Utf8(Some(
            String::from_utf8_lossy(bytes(p, src.len, 1)).into_owned(),
        )),
        SQL_C_WCHAR => {
            let unit = crate::text::wchar_size();
            ScalarValue::Utf8(Some(from_wide_bytes(bytes(p, src.len, unit))))
        }
        SQL_C_BINARY => ScalarValue::Binary(Some(bytes(p, src.len, 1).to_vec())),
        SQL_C_SBIGINT => ScalarValue::Int64(Some(get::<i64>(p))),
        SQL_C_UBIGINT => ScalarValue::UInt64(Some(get::<u64>(p))),
        SQL_C_SLONG | SQL_C_LONG => ScalarValue::Int32(Some(get::<i32>(p))),
        SQL_C_ULONG => ScalarValue::UInt32(Some(get::<u32>(p))),
        SQL_C_SSHORT | SQL_C_SHORT => ScalarValue::Int16(Some(get::<i16>(p))),
        SQL_C_USHORT => ScalarValue::UInt16(Some(get::<u16>(p))),
        SQL_C_STINYINT | SQL_C_TINYINT => ScalarValue::Int8(Some(get::<i8>(p))),
        SQL_C_UTINYINT => ScalarValue::UInt8(Some(get::<u8>(p))),
        SQL_C_BIT => ScalarValue::Boolean(Some(get::<u8>(p) != 0)),
        SQL_C_DOUBLE => ScalarValue::Float64(Some(get::<f64>(p))),
        SQL_C_FLOAT => ScalarValue::Float32(Some(get::<f32>(p))),
        SQL_C_NUMERIC => {
            let n: NumericStruct = get(p);
            let magnitude = u128::from_le_bytes(n.val) as i128;
            let v = if n.sign == 1 { magnitude } else { -magnitude };
            let precision = n.precision.clamp(1, 38);
            ScalarValue::Decimal128(Some(v), precision, n.scale)
        }
        SQL_C_TYPE_DATE | SQL_C_DATE => {
            let d: DateStruct = get(p);
            ScalarValue::Date32(Some(days(date(d.year, d.month, d.day)?)))
        }
        SQL_C_TYPE_TIME | SQL_C_TIME => {
            let t: TimeStruct = get(p);
            let time = NaiveTime::from_hms_opt(t.hour as u32, t.minute as u32, t.second as u32)
                .ok_or_else(|| invalid("time"))?;
            ScalarValue::Time64Microsecond(Some(micros_of_day(time)))
        }
        SQL_C_TYPE_TIMESTAMP | SQL_C_TIMESTAMP => {
            let t: TimestampStruct = get(p);
            let time = NaiveTime::from_hms_nano_opt(
                t.hour as u32,
                t.minute as u32,
                t.second as u32,
                t.fraction,
            )
            .ok_or_else(|| invalid("timestamp"))?;
            let at = date(t.year, t.month, t.day)?.and_time(time).and_utc();
            ScalarValue::TimestampMicrosecond(Some(at.timestamp_micros()), None)
        }
        SQL_C_GUID => {
            let g: Guid = get(p);
            let d4: String = g.d4.iter().map(|b| format!("{b:02X}")).collect();
            ScalarValue::Utf8(Some(format!(
                "{:08X}-{:04X}-{:04X}-{}-{}",
                g.d1,
                g.d2,
                g.d3,
                &d4[..4],
                &d4[4..]
            )))
        }
        other => {
            return Err(OdbcError::new(
                "HY003",
                format!("C type {other} is not a valid parameter type"),
            ))
        }
    })
}

unsafe fn bytes<'a>(p: Pointer, len: Len, unit: usize) -> &'a [u8] {
    let n = if len == SQL_NTS || len < 0 {
        let mut n = 0;
        let b = p as *const u8;
        while (0..unit).any(|k| *b.add(n + k) != 0) {
            n += unit;
        }
        n
    } else {
        len as usize
    };
    std::slice::from_raw_parts(p as *const u8, n)
}

fn invalid(what: &str) -> OdbcError {
    OdbcError::new(
        "22007",
        format!("the {what} parameter is not a valid {what}"),
    )
}

fn date(y: i16, m: u16, d: u16) -> OdbcResult<NaiveDate> {
    NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32).ok_or_else(|| invalid("date"))
}

fn days(d: NaiveDate) -> i32 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32
}

fn micros_of_day(t: NaiveTime) -> i64 {
    use chrono::Timelike;
    t.num_seconds_from_midnight() as i64 * 1_000_000 + (t.nanosecond() / 1_000) as i64
}

/// The SQL type of a parameter the statement does not type itself, from the SQL type the
/// application described it as (SQLBindParameter's ParameterType).
pub fn sql_type_hint(sql_type: SmallInt) -> Option<DataType> {
    use pipedrive_engine::arrow::datatypes::TimeUnit;
    Some(match sql_type {
        SQL_BIGINT | SQL_INTEGER | SQL_SMALLINT | SQL_TINYINT => DataType::Int64,
        SQL_DOUBLE | SQL_FLOAT | SQL_REAL => DataType::Float64,
        SQL_BIT => DataType::Boolean,
        SQL_TYPE_DATE | SQL_DATE => DataType::Date32,
        SQL_TYPE_TIMESTAMP | SQL_TIMESTAMP => DataType::Timestamp(TimeUnit::Microsecond, None),
        SQL_CHAR | SQL_VARCHAR | SQL_LONGVARCHAR | SQL_WCHAR | SQL_WVARCHAR | SQL_WLONGVARCHAR => {
            DataType::Utf8
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_c_type() {
        let mut text = *b"won\0";
        let v = unsafe {
            read(&Source {
                c_type: SQL_C_CHAR,
                ptr: text.as_mut_ptr().cast(),
                len: SQL_NTS,
            })
        };
        assert_eq!(v.unwrap(), ScalarValue::Utf8(Some("won".into())));
        let mut n: i32 = 42;
        let v = unsafe {
            read(&Source {
                c_type: SQL_C_SLONG,
                ptr: (&mut n as *mut i32).cast(),
                len: 4,
            })
        };
        assert_eq!(v.unwrap(), ScalarValue::Int32(Some(42)));
        let v = unsafe {
            read(&Source {
                c_type: SQL_C_SLONG,
                ptr: std::ptr::null_mut(),
                len: SQL_NULL_DATA,
            })
        };
        assert_eq!(v.unwrap(), ScalarValue::Null);
        let mut ts = TimestampStruct {
            year: 1970,
            month: 1,
            day: 2,
            hour: 0,
            minute: 0,
            second: 1,
            fraction: 5_000,
        };
        let v = unsafe {
            read(&Source {
                c_type: SQL_C_TYPE_TIMESTAMP,
                ptr: (&mut ts as *mut TimestampStruct).cast(),
                len: 0,
            })
        };
        assert_eq!(
            v.unwrap(),
            ScalarValue::TimestampMicrosecond(Some(86_401_000_005), None)
        );
        let mut bad = DateStruct {
            year: 2026,
            month: 2,
            day: 30,
        };
        let e = unsafe {
            read(&Source {
                c_type: SQL_C_TYPE_DATE,
                ptr: (&mut bad as *mut DateStruct).cast(),
                len: 0,
            })
        };
        assert_eq!(e.unwrap_err().state, "22007");
    }
}

//! API records (JSON) into Arrow record batches, column by column.

use crate::catalog::ColType;
use crate::schema::{Column, CustomRead, Source};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use datafusion::arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, StringBuilder,
    Time64MicrosecondBuilder, TimestampMicrosecondBuilder,
};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::error::ArrowError;
use datafusion::arrow::record_batch::{RecordBatch, RecordBatchOptions};
use serde_json::Value;
use std::sync::Arc;

/// The rows as a batch of `schema`, whose fields are `columns` in order.
pub fn to_batch(
    schema: SchemaRef,
    columns: &[Column],
    rows: &[Value],
) -> Result<RecordBatch, ArrowError> {
    let arrays: Vec<ArrayRef> = columns.iter().map(|c| column_array(c, rows)).collect();
    let options = RecordBatchOptions::new().with_row_count(Some(rows.len()));
    RecordBatch::try_new_with_options(schema, arrays, &options)
}

fn column_array(column: &Column, rows: &[Value]) -> ArrayRef {
    let values = rows.iter().map(|r| read(column, r));
    match column.ty {
        ColType::BigInt => {
            let mut b = Int64Builder::with_capacity(rows.len());
            values.for_each(|v| b.append_option(v.as_ref().and_then(as_i64)));
            Arc::new(b.finish())
        }
        ColType::Double => {
            let mut b = Float64Builder::with_capacity(rows.len());
            values.for_each(|v| b.append_option(v.as_ref().and_then(as_f64)));
            Arc::new(b.finish())
        }
        ColType::Boolean => {
            let mut b = BooleanBuilder::with_capacity(rows.len());
            values.for_each(|v| b.append_option(v.as_ref().and_then(as_bool)));
            Arc::new(b.finish())
        }
        ColType::Text | ColType::Varchar | ColType::LongText | ColType::Json => {
            let mut b = StringBuilder::with_capacity(rows.len(), rows.len() * 16);
            values.for_each(|v| {
                b.append_option(
                    v.as_ref()
                        .and_then(|v| as_text(v, column.ty == ColType::Json)),
                )
            });
            Arc::new(b.finish())
        }
        ColType::Timestamp => {
            let mut b = TimestampMicrosecondBuilder::with_capacity(rows.len());
            values.for_each(|v| {
                b.append_option(
                    v.as_ref()
                        .and_then(Value::as_str)
                        .and_then(timestamp_micros),
                )
            });
            Arc::new(b.finish())
        }
        ColType::Date => {
            let mut b = Date32Builder::with_capacity(rows.len());
            values.for_each(|v| {
                b.append_option(v.as_ref().and_then(Value::as_str).and_then(date_days))
            });
            Arc::new(b.finish())
        }
        ColType::Time => {
            let mut b = Time64MicrosecondBuilder::with_capacity(rows.len());
            values.for_each(|v| {
                b.append_option(v.as_ref().and_then(Value::as_str).and_then(time_micros))
            });
            Arc::new(b.finish())
        }
    }
}

/// The value of a column in one record (`None` for missing or null).
fn read(column: &Column, row: &Value) -> Option<Value> {
    let v = match &column.source {
        Source::Path(keys) => keys.iter().try_fold(row, |v, k| v.get(k))?.clone(),
        Source::Custom { key, read } => {
            let v = row.get("custom_fields")?.get(key)?;
            match read {
                CustomRead::Plain => v.clone(),
                CustomRead::Label(labels) => Value::from(labels.get(&v.as_i64()?)?.clone()),
                CustomRead::Labels(labels) => {
                    let names: Vec<&str> = v
                        .as_array()?
                        .iter()
                        .filter_map(|id| labels.get(&id.as_i64()?).map(String::as_str))
                        .collect();
                    Value::from(names.join(","))
                }
                CustomRead::Amount => v.get("value").cloned().unwrap_or_else(|| v.clone()),
                CustomRead::AmountCurrency => v.get("currency")?.clone(),
                CustomRead::RangeStart => v.get("start")?.clone(),
                CustomRead::RangeUntil => v.get("until")?.clone(),
                CustomRead::AddressText => v.get("value").cloned().unwrap_or_else(|| v.clone()),
            }
        }
    };
    (!v.is_null()).then_some(v)
}

fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        // v1 relations are objects carrying the id in `value`
        Value::Object(o) => o.get("value").or_else(|| o.get("id")).and_then(as_i64),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|i| i != 0),
        Value::String(s) => match s.as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Text of a value: strings as they are, arrays of scalars comma-separated, the rest as JSON.
fn as_text(v: &Value, json: bool) -> Option<String> {
    Some(match v {
        Value::String(s) if !json => s.clone(),
        Value::Array(items) if !json && items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(String::from)
                        .unwrap_or_else(|| i.to_string())
                })
                .collect::<Vec<_>>()
                .join(",")
        }
        Value::Number(_) | Value::Bool(_) if !json => v.to_string(),
        other => other.to_string(),
    })
}

/// A SQL value as text: strings as they are, anything else as DataFusion shows it (NULL: none).
pub fn scalar_text(v: &datafusion::common::ScalarValue) -> Option<String> {
    use datafusion::common::ScalarValue as S;
    match v {
        _ if v.is_null() => None,
        S::Utf8(Some(s)) | S::LargeUtf8(Some(s)) | S::Utf8View(Some(s)) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Microseconds since the epoch of an API timestamp (UTC): RFC 3339 or `YYYY-MM-DD HH:MM:SS`.
pub fn timestamp_micros(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp_micros());
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
    let d = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    Some((d - NaiveDate::from_ymd_opt(1970, 1, 1)?).num_days() as i32)
}

/// Microseconds since midnight of `HH:MM` or `HH:MM:SS`.
pub fn time_micros(s: &str) -> Option<i64> {
    let s = s.trim();
    let t = NaiveTime::parse_from_str(s, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M"))
        .ok()?;
    Some(i64::from(t.num_seconds_from_midnight()) * 1_000_000)
}

use chrono::Timelike;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::table;
    use crate::schema::TableSchema;
    use datafusion::arrow::array::{Array, AsArray};
    use datafusion::arrow::datatypes::{
        Date32Type, Float64Type, Int64Type, TimestampMicrosecondType,
    };
    use serde_json::json;

    #[test]
    fn records_become_typed_columns() {
        let defs = vec![
            json!({"field_code": "k1", "field_name": "Lead Source", "field_type": "enum", "is_custom_field": true,
                   "options": [{"id": 7, "label": "Web"}, {"id": 8, "label": "Référence"}]}),
            json!({"field_code": "k2", "field_name": "Interests", "field_type": "set", "is_custom_field": true,
                   "options": [{"id": 1, "label": "A"}, {"id": 2, "label": "B"}]}),
            json!({"field_code": "k3", "field_name": "Budget", "field_type": "monetary", "is_custom_field": true}),
        ];
        let s = TableSchema::build(table("Deals").unwrap(), &defs);
        let rows = vec![
            json!({"id": 1, "title": "Ünïcode 🚀", "value": 12.5, "add_time": "2024-05-01T10:20:30Z", "expected_close_date": "2024-06-01",
                   "label_ids": [3, 4], "is_deleted": false, "won_time": null,
                   "custom_fields": {"k1": 8, "k2": [1, 2], "k3": {"value": 99.5, "currency": "USD"}}}),
            json!({"id": 2, "title": null, "custom_fields": {"k1": null, "k2": [], "k3": null}}),
        ];
        let batch = to_batch(s.arrow.clone(), &s.columns, &rows).unwrap();
        let col = |n: &str| batch.column(s.arrow.index_of(n).unwrap()).clone();
        assert_eq!(
            col("Id").as_primitive::<Int64Type>().values().to_vec(),
            vec![1, 2]
        );
        assert_eq!(col("Title").as_string::<i32>().value(0), "Ünïcode 🚀");
        assert!(col("Title").is_null(1));
        assert_eq!(col("Value").as_primitive::<Float64Type>().value(0), 12.5);
        assert_eq!(
            col("AddTime")
                .as_primitive::<TimestampMicrosecondType>()
                .value(0),
            1_714_558_830_000_000
        );
        assert_eq!(
            col("ExpectedCloseDate")
                .as_primitive::<Date32Type>()
                .value(0),
            19_875
        );
        assert_eq!(col("LabelIds").as_string::<i32>().value(0), "3,4");
        assert!(col("WonTime").is_null(0));
        assert_eq!(col("Lead Source").as_string::<i32>().value(0), "Référence");
        assert!(col("Lead Source").is_null(1));
        assert_eq!(col("Interests").as_string::<i32>().value(0), "A,B");
        assert_eq!(col("Budget").as_primitive::<Float64Type>().value(0), 99.5);
        assert_eq!(col("Budget Currency").as_string::<i32>().value(0), "USD");
    }

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
}

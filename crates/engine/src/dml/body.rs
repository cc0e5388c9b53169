//! One row of a write as the API's request body: standard columns at their JSON paths, custom
//! fields under `custom_fields` by field key, option labels turned back into option ids.

use crate::catalog::ColType;
use crate::convert::scalar_text;
use crate::error::EngineError;
use crate::schema::{Column, CustomRead, Source, TableSchema};
use chrono::{DateTime, NaiveDate, NaiveTime};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::ScalarValue;
use pipedrive_api::ApiVersion;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// The value of column `index` in `row` of `batch`.
pub fn cell(batch: &RecordBatch, index: usize, row: usize) -> Result<ScalarValue, EngineError> {
    Ok(ScalarValue::try_from_array(batch.column(index), row)?)
}

/// The body setting `touched` columns (indexes into the table's columns) of one row. An insert
/// leaves out NULLs (nothing to set); an update sends them (the value is cleared). Columns that
/// share one API value (an address's parts, a monetary field's amount and currency) are sent
/// together, so setting one part keeps the others.
pub fn body(
    table: &TableSchema,
    batch: &RecordBatch,
    row: usize,
    touched: &[usize],
    insert: bool,
) -> Result<Map<String, Value>, EngineError> {
    let version = table.def.writes.map_or(table.def.version, |w| w.version);
    // a child's parent key is in the write paths (`/deals/{parent}/products`), not the body
    let parent_in_path = table.def.writes.is_some_and(|w| {
        let update = w.update.map(|(_, path)| path);
        w.insert
            .into_iter()
            .chain(update)
            .any(|p| p.contains("{parent}"))
    });
    let parent = table
        .def
        .parent
        .filter(|_| parent_in_path)
        .map(|p| p.column);
    let group = |c: &Column| -> String {
        match &c.source {
            Source::Path(keys) => keys[0].clone(),
            Source::Custom { key, .. } => format!("custom_fields.{key}"),
        }
    };
    let groups: Vec<String> = touched.iter().map(|&i| group(&table.columns[i])).collect();
    let mut out = Map::new();
    let mut custom = Map::new();
    for (i, column) in table.columns.iter().enumerate() {
        if !groups.contains(&group(column)) || Some(column.name.as_str()) == parent {
            continue;
        }
        // parts of a touched group that the statement did not name are sent when writable
        let named = touched.contains(&i);
        let writable =
            !column.standard || table.def.writes.is_some_and(|w| w.writable(&column.name));
        if !named && !writable {
            continue;
        }
        let value = cell(batch, i, row)?;
        if value.is_null() && (insert || !named) {
            continue;
        }
        let json = to_json(column, &value, version)?;
        match &column.source {
            // API v1 shows a related row as an object with its key under `value`, and takes
            // the key itself (`rel_owner_org_id: 5`)
            Source::Path(keys)
                if version == ApiVersion::V1 && keys.len() == 2 && keys[1] == "value" =>
            {
                out.insert(keys[0].clone(), json);
            }
            Source::Path(keys) => put_path(&mut out, keys, json),
            Source::Custom { key, read } => put_custom(&mut custom, key, read, json),
        }
    }
    if !custom.is_empty() {
        out.insert("custom_fields".into(), Value::Object(custom));
    }
    Ok(out)
}

fn put_path(out: &mut Map<String, Value>, keys: &[String], value: Value) {
    match keys {
        [] => {}
        [last] => {
            out.insert(last.clone(), value);
        }
        [first, rest @ ..] => {
            let inner = out.entry(first.clone()).or_insert_with(|| json!({}));
            if !inner.is_object() {
                *inner = json!({});
            }
            if let Value::Object(m) = inner {
                put_path(m, rest, value);
            }
        }
    }
}

/// A custom field's value; the parts of composite fields fill one object.
fn put_custom(custom: &mut Map<String, Value>, key: &str, read: &CustomRead, value: Value) {
    let part = match read {
        CustomRead::Amount => "value",
        CustomRead::AmountCurrency => "currency",
        CustomRead::RangeStart => "start",
        CustomRead::RangeUntil => "until",
        _ => {
            custom.insert(key.to_string(), value);
            return;
        }
    };
    // no amount or no start: the field is cleared
    if value.is_null() && matches!(part, "value" | "start") {
        custom.insert(key.to_string(), Value::Null);
        return;
    }
    let slot = custom.entry(key.to_string()).or_insert_with(|| json!({}));
    if let Value::Object(m) = slot {
        m.insert(part.into(), value);
    }
}

/// A column value as the API writes it.
pub fn to_json(
    column: &Column,
    value: &ScalarValue,
    version: ApiVersion,
) -> Result<Value, EngineError> {
    if value.is_null() {
        return Ok(Value::Null);
    }
    let text = || scalar_text(value).unwrap_or_default();
    if let Source::Custom { read, .. } = &column.source {
        match read {
            CustomRead::Label(options) => {
                return option_id(column, options, &text()).map(Value::from)
            }
            CustomRead::Labels(options) => {
                return text()
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|label| option_id(column, options, label).map(Value::from))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array)
            }
            _ => {}
        }
    }
    Ok(match (column.ty, value) {
        (ColType::BigInt, ScalarValue::Int64(Some(v))) => json!(v),
        (ColType::Double, ScalarValue::Float64(Some(v))) => json!(v),
        // the API takes amounts as JSON numbers: the decimal written out
        (ColType::Money, ScalarValue::Decimal128(Some(units), _, scale)) => {
            let text = decimal_text(*units, *scale);
            serde_json::from_str::<serde_json::Number>(&text)
                .map(Value::Number)
                .map_err(|e| EngineError::type_mismatch(format!("{}: {text}: {e}", column.name)))?
        }
        (ColType::Boolean, ScalarValue::Boolean(Some(v))) => json!(v),
        (ColType::Timestamp, ScalarValue::TimestampMicrosecond(Some(us), _)) => {
            let t = DateTime::from_timestamp_micros(*us).ok_or_else(|| {
                EngineError::type_mismatch(format!("{}: {value} is out of range", column.name))
            })?;
            match version {
                ApiVersion::V2 => json!(t.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
                ApiVersion::V1 => json!(t.format("%Y-%m-%d %H:%M:%S").to_string()),
            }
        }
        (ColType::Date, ScalarValue::Date32(Some(days))) => {
            let d = NaiveDate::from_ymd_opt(1970, 1, 1)
                .and_then(|e| e.checked_add_signed(chrono::Duration::days(i64::from(*days))))
                .ok_or_else(|| {
                    EngineError::type_mismatch(format!("{}: {value} is out of range", column.name))
                })?;
            json!(d.format("%Y-%m-%d").to_string())
        }
        (ColType::Time, ScalarValue::Time64Microsecond(Some(us))) => {
            let secs = (*us / 1_000_000) as u32;
            let t = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).ok_or_else(|| {
                EngineError::type_mismatch(format!("{}: {value} is out of range", column.name))
            })?;
            json!(t.format("%H:%M").to_string())
        }
        (ColType::Json, _) => serde_json::from_str(&text()).map_err(|e| {
            EngineError::type_mismatch(format!("{}: the value is not JSON ({e})", column.name))
        })?,
        // lists of ids are shown as `1,2,3`; `[1,2,3]` is read too
        (ColType::Text, _) if column.standard && column.name.ends_with("Ids") => {
            id_list(column, &text())?
        }
        (ColType::Text | ColType::Varchar | ColType::LongText, _) => json!(text()),
        (_, other) => {
            return Err(EngineError::type_mismatch(format!(
                "{}: {other} is not a {}",
                column.name,
                column.ty.sql_name()
            )))
        }
    })
}

/// `units` with `scale` implied decimals, as decimal text (`-12.3400`).
fn decimal_text(units: i128, scale: i8) -> String {
    let digits = units.unsigned_abs().to_string();
    let sign = if units < 0 { "-" } else { "" };
    match usize::try_from(scale) {
        Err(_) => format!("{sign}{digits}{}", "0".repeat(scale.unsigned_abs().into())),
        Ok(0) => format!("{sign}{digits}"),
        Ok(scale) => {
            let padded = format!("{digits:0>width$}", width = scale + 1);
            let (int, frac) = padded.split_at(padded.len() - scale);
            format!("{sign}{int}.{frac}")
        }
    }
}

fn id_list(column: &Column, text: &str) -> Result<Value, EngineError> {
    let inner = text.trim().trim_start_matches('[').trim_end_matches(']');
    inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.trim_matches('"')
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| {
                    EngineError::type_mismatch(format!(
                        "{}: '{s}' is not an id (a list is written 1,2,3)",
                        column.name
                    ))
                })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

/// The id of an option given by its label (any case) or by its id.
fn option_id(
    column: &Column,
    options: &HashMap<i64, String>,
    given: &str,
) -> Result<i64, EngineError> {
    let given = given.trim();
    if let Some((id, _)) = options.iter().find(|(_, l)| l.eq_ignore_ascii_case(given)) {
        return Ok(*id);
    }
    if let Ok(id) = given.parse::<i64>() {
        if options.contains_key(&id) {
            return Ok(id);
        }
    }
    let mut labels: Vec<&str> = options.values().map(String::as_str).collect();
    labels.sort_unstable();
    Err(EngineError::type_mismatch(format!(
        "{}: '{given}' is not one of its options ({})",
        column.name,
        labels.join(", ")
    )))
}

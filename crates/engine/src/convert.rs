//! API records (JSON) into Arrow record batches, column by column.

use crate::api_time::{date_days, time_micros, timestamp_micros};
use crate::catalog::{ColType, MONEY_PRECISION, MONEY_SCALE};
use crate::node::{Kind, Node};
use crate::schema::{Column, CustomRead, Source};
use datafusion::arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Decimal128Builder, Float64Builder, Int64Builder,
    StringBuilder, Time64MicrosecondBuilder, TimestampMicrosecondBuilder,
};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::error::ArrowError;
use datafusion::arrow::record_batch::{RecordBatch, RecordBatchOptions};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// The rows as a batch of `schema`, whose fields are `columns` in order: decoded records
/// ([`serde_json::Value`]) or records still borrowing from their answer ([`pipedrive_api::Json`]),
/// each read as a [`Node`].
pub fn to_batch<'r, R>(
    schema: SchemaRef,
    columns: &[Column],
    rows: &'r [R],
) -> Result<RecordBatch, ArrowError>
where
    &'r R: Node<'r>,
{
    let rows: Vec<&'r R> = rows.iter().collect();
    let firsts = FirstValues::of(columns, &rows);
    let arrays = columns
        .iter()
        .enumerate()
        .map(|(i, c)| column_array(c, &rows, firsts.of_column(i)))
        .collect::<Result<Vec<ArrayRef>, ArrowError>>()?;
    let options = RecordBatchOptions::new().with_row_count(Some(rows.len()));
    RecordBatch::try_new_with_options(schema, arrays, &options)
}

/// Each row's value for each column: under the column's key of the record ([`Column::record_key`])
/// or, for a custom field, under its key in the record's `custom_fields`. Found in one pass over
/// each row's keys (and each row's custom fields) rather than one lookup by key per cell.
struct FirstValues<N> {
    /// Each column's values: in `records` (its record key's slot) or in `customs`.
    of_column: Vec<(Level, usize)>,
    /// Per record key, the value of each row (`None`: missing).
    records: Vec<Vec<Option<N>>>,
    /// Per custom field, the value of each row.
    customs: Vec<Vec<Option<N>>>,
}

#[derive(Clone, Copy)]
enum Level {
    Record,
    Custom,
}

impl<'r, N: Node<'r>> FirstValues<N> {
    fn of(columns: &[Column], rows: &[N]) -> FirstValues<N> {
        let (mut record_keys, mut custom_keys) = (Slots::default(), Slots::default());
        let of_column = columns
            .iter()
            .map(|c| match &c.source {
                Source::Custom { key, .. } => (Level::Custom, custom_keys.of(key)),
                Source::Path(_) => (Level::Record, record_keys.of(c.record_key())),
            })
            .collect();
        let customs_at = (!custom_keys.0.is_empty()).then(|| record_keys.of("custom_fields"));
        let records = record_keys.spread(rows.iter().map(|row| Some(*row)));
        let customs = match customs_at {
            Some(at) => custom_keys.spread(records[at].iter().copied()),
            None => vec![],
        };
        FirstValues {
            of_column,
            records,
            customs,
        }
    }

    fn of_column(&self, column: usize) -> &[Option<N>] {
        match self.of_column[column] {
            (Level::Record, slot) => &self.records[slot],
            (Level::Custom, slot) => &self.customs[slot],
        }
    }
}

/// The keys columns read at one level of a record, each with its slot.
#[derive(Default)]
struct Slots<'c>(HashMap<&'c str, usize>);

impl<'c> Slots<'c> {
    fn of(&mut self, key: &'c str) -> usize {
        let next = self.0.len();
        *self.0.entry(key).or_insert(next)
    }

    /// Per slot, each object's value under the slot's key (none for what is no object).
    /// Objects of a page list their keys in the same order, so a key is recognised by the
    /// position it had in the object before (one comparison of short text); a key in a new
    /// place is looked up once.
    fn spread<'r, N: Node<'r>>(
        &self,
        objects: impl ExactSizeIterator<Item = Option<N>>,
    ) -> Vec<Vec<Option<N>>> {
        let mut values = vec![vec![None; objects.len()]; self.0.len()];
        // the key seen at each position of the object before, and its slot
        let mut seen: Vec<Option<(&'r str, Option<usize>)>> = vec![];
        for (r, object) in objects.enumerate() {
            let Some(object) = object else { continue };
            for (p, (key, value)) in object.entries().enumerate() {
                let slot = match seen.get(p) {
                    Some(Some((k, slot))) if *k == key => *slot,
                    _ => {
                        let slot = self.0.get(key).copied();
                        if seen.len() <= p {
                            seen.resize(p + 1, None);
                        }
                        seen[p] = Some((key, slot));
                        slot
                    }
                };
                if let Some(slot) = slot {
                    values[slot][r] = Some(value);
                }
            }
        }
        values
    }
}

/// A column's value in one record: a value of the record, or the label of an option.
enum Read<N> {
    Node(N),
    Label(String),
}

impl<'r, N: Node<'r>> Read<N> {
    fn kind<'s>(&'s self) -> Kind<'s>
    where
        'r: 's,
    {
        match self {
            Read::Node(n) => n.kind(),
            Read::Label(text) => Kind::Text(text),
        }
    }

    fn as_str<'s>(&'s self) -> Option<&'s str>
    where
        'r: 's,
    {
        match self.kind() {
            Kind::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// Shown as compact JSON.
impl<'r, N: Node<'r>> fmt::Display for Read<N> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Read::Node(n) => write!(f, "{n}"),
            Read::Label(text) => write!(f, "{}", Value::from(text.as_str())),
        }
    }
}

fn column_array<'r, N: Node<'r>>(
    column: &Column,
    rows: &[N],
    firsts: &[Option<N>],
) -> Result<ArrayRef, ArrowError> {
    let values = firsts.iter().map(|first| read(column, *first));
    Ok(match column.ty {
        ColType::BigInt => {
            let mut b = Int64Builder::with_capacity(rows.len());
            for v in typed(column, rows, firsts, as_i64, "a whole number") {
                b.append_option(v?);
            }
            Arc::new(b.finish())
        }
        ColType::Double => {
            let mut b = Float64Builder::with_capacity(rows.len());
            for v in typed(column, rows, firsts, as_f64, "a number") {
                b.append_option(v?);
            }
            Arc::new(b.finish())
        }
        ColType::Money => {
            let mut b = Decimal128Builder::with_capacity(rows.len());
            for (row, v) in rows.iter().zip(values) {
                let units = v.as_ref().map(|v| money(column, v)).transpose()?.flatten();
                if let (None, Some(v)) = (units, v.as_ref()) {
                    if !is_blank(v) {
                        return Err(wrong_type(column, *row, v, "an amount"));
                    }
                }
                b.append_option(units);
            }
            Arc::new(
                b.finish()
                    .with_precision_and_scale(MONEY_PRECISION, MONEY_SCALE)?,
            )
        }
        ColType::Boolean => {
            let mut b = BooleanBuilder::with_capacity(rows.len());
            for v in typed(column, rows, firsts, as_bool, "true or false") {
                b.append_option(v?);
            }
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
                b.append_option(v.as_ref().and_then(Read::as_str).and_then(timestamp_micros))
            });
            Arc::new(b.finish())
        }
        ColType::Date => {
            let mut b = Date32Builder::with_capacity(rows.len());
            values.for_each(|v| {
                b.append_option(v.as_ref().and_then(Read::as_str).and_then(date_days))
            });
            Arc::new(b.finish())
        }
        ColType::Time => {
            let mut b = Time64MicrosecondBuilder::with_capacity(rows.len());
            values.for_each(|v| {
                b.append_option(v.as_ref().and_then(Read::as_str).and_then(time_micros))
            });
            Arc::new(b.finish())
        }
    })
}

/// The column's values in `rows` converted: a value that means nothing as the column's type
/// ends the query, never a NULL in its place.
fn typed<'a, 'r, N: Node<'r>, T: 'a>(
    column: &'a Column,
    rows: &'a [N],
    firsts: &'a [Option<N>],
    convert: fn(&Read<N>) -> Option<T>,
    kind: &'a str,
) -> impl Iterator<Item = Result<Option<T>, ArrowError>> + 'a {
    rows.iter()
        .zip(firsts)
        .map(move |(row, first)| strictly(column, *row, read(column, *first), convert, kind))
}

/// `value` converted, `None` for none or a blank string (what the API sends for an emptied
/// field), or an error naming the column, the record and the value when it is not `kind`.
fn strictly<'r, N: Node<'r>, T>(
    column: &Column,
    row: N,
    value: Option<Read<N>>,
    convert: fn(&Read<N>) -> Option<T>,
    kind: &str,
) -> Result<Option<T>, ArrowError> {
    match value {
        None => Ok(None),
        Some(v) if is_blank(&v) => Ok(None),
        Some(v) => convert(&v)
            .map(Some)
            .ok_or_else(|| wrong_type(column, row, &v, kind)),
    }
}

fn is_blank<'r, N: Node<'r>>(v: &Read<N>) -> bool {
    v.as_str().is_some_and(|s| s.trim().is_empty())
}

/// The error for a value of the wrong type: what came, in which record, and what belongs.
fn wrong_type<'r, N: Node<'r>>(column: &Column, row: N, v: &Read<N>, kind: &str) -> ArrowError {
    let mut shown = v.to_string();
    if shown.chars().count() > 80 {
        shown = shown.chars().take(80).collect::<String>() + "...";
    }
    let record = row
        .get("id")
        .map(|id| format!(" in the record with id {id}"))
        .unwrap_or_default();
    ArrowError::InvalidArgumentError(format!(
        "{}: the API sent {shown}{record}, where {kind} belongs; the query stops here rather \
         than show it as NULL",
        column.name
    ))
}

/// The value of a column in one record (`None` for missing or null), from the record's value
/// under the column's key, or the custom field's value (see [`FirstValues`]): the record's own,
/// made only for option labels.
fn read<'r, N: Node<'r>>(column: &Column, first: Option<N>) -> Option<Read<N>> {
    let v = first?;
    let v = match &column.source {
        Source::Path(keys) => Read::Node(keys.iter().skip(1).try_fold(v, |v, k| v.get(k))?),
        Source::Custom { read, .. } => match read {
            CustomRead::Plain => Read::Node(v),
            CustomRead::Label(labels) => Read::Label(labels.get(&whole(v)?)?.clone()),
            CustomRead::Labels(labels) => {
                if !matches!(v.kind(), Kind::Array) {
                    return None;
                }
                let names: Vec<&str> = v
                    .items()
                    .filter_map(|id| labels.get(&whole(id)?).map(String::as_str))
                    .collect();
                Read::Label(names.join(","))
            }
            CustomRead::Amount | CustomRead::AddressText => Read::Node(v.get("value").unwrap_or(v)),
            CustomRead::AmountCurrency => Read::Node(v.get("currency")?),
            CustomRead::RangeStart => Read::Node(v.get("start")?),
            CustomRead::RangeUntil => Read::Node(v.get("until")?),
        },
    };
    (!matches!(v.kind(), Kind::Null)).then_some(v)
}

/// A whole JSON number (an option's id).
fn whole<'r, N: Node<'r>>(v: N) -> Option<i64> {
    match v.kind() {
        Kind::Number(n) => n.as_i64(),
        _ => None,
    }
}

/// An amount as units of 10^-[`MONEY_SCALE`]: a JSON number (its shortest decimal form) or a
/// numeric string, rounded half away from zero past the scale (the remainders of the API's
/// binary floating point); `None` for text that is no number. An amount with more digits than
/// [`MONEY_PRECISION`] allows is an error, never a value cut.
fn money<'r, N: Node<'r>>(column: &Column, v: &Read<N>) -> Result<Option<i128>, ArrowError> {
    let text = match v.kind() {
        Kind::Number(n) => n.to_string(),
        Kind::Text(s) => s.trim().to_string(),
        _ => return Ok(None),
    };
    let units = decimal_units(&text, MONEY_SCALE as usize);
    if units.is_none() && text.parse::<f64>().is_err() {
        return Ok(None);
    }
    let fits = units.filter(|u| u.unsigned_abs() < 10u128.pow(u32::from(MONEY_PRECISION)));
    let Some(units) = fits else {
        return Err(ArrowError::InvalidArgumentError(format!(
            "{}: the amount {text} has more digits than DECIMAL({MONEY_PRECISION},{MONEY_SCALE}) holds",
            column.name
        )));
    };
    Ok(Some(units))
}

/// `text` (`-12.345`, `7`, `1.5e-3`) as an integer of `scale` implied decimals; `None` when it
/// is no number or does not fit an i128.
fn decimal_units(text: &str, scale: usize) -> Option<i128> {
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().ok().filter(|e| e.abs() <= 60)?),
        None => (text, 0),
    };
    let (negative, digits) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa.strip_prefix('+').unwrap_or(mantissa)),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let is_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !is_digits(int) || !is_digits(frac) {
        return None;
    }
    // the digits with the decimal point moved by the exponent
    let all = format!("{int}{frac}");
    let point = int.len() as i64 + i64::from(exponent);
    let (int, frac) = if point <= 0 {
        (
            String::new(),
            format!("{}{all}", "0".repeat(point.unsigned_abs() as usize)),
        )
    } else if point as usize >= all.len() {
        (
            format!("{all}{}", "0".repeat(point as usize - all.len())),
            String::new(),
        )
    } else {
        let (i, f) = all.split_at(point as usize);
        (i.to_string(), f.to_string())
    };
    let kept = frac.bytes().chain(std::iter::repeat(b'0')).take(scale);
    let mut units: i128 = 0;
    for b in int.bytes().chain(kept) {
        units = units.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
    }
    if frac.as_bytes().get(scale).is_some_and(|&b| b >= b'5') {
        units = units.checked_add(1)?;
    }
    Some(if negative { -units } else { units })
}

fn as_i64<'r, N: Node<'r>>(v: &Read<N>) -> Option<i64> {
    match v.kind() {
        Kind::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Kind::Text(s) => s.trim().parse().ok(),
        // v1 relations are objects carrying the id in `value`
        Kind::Object => match v {
            Read::Node(o) => o.get("value").or_else(|| o.get("id")),
            Read::Label(_) => None,
        }
        .and_then(|id| as_i64(&Read::Node(id))),
        Kind::Bool(b) => Some(i64::from(b)),
        _ => None,
    }
}

fn as_f64<'r, N: Node<'r>>(v: &Read<N>) -> Option<f64> {
    match v.kind() {
        Kind::Number(n) => n.as_f64(),
        Kind::Text(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_bool<'r, N: Node<'r>>(v: &Read<N>) -> Option<bool> {
    match v.kind() {
        Kind::Bool(b) => Some(b),
        Kind::Number(n) => n.as_i64().map(|i| i != 0),
        Kind::Text("true" | "1") => Some(true),
        Kind::Text("false" | "0") => Some(false),
        _ => None,
    }
}

/// Text of a value: strings as they are, arrays of scalars comma-separated, the rest as JSON.
fn as_text<'v, 'r: 'v, N: Node<'r>>(v: &'v Read<N>, json: bool) -> Option<Cow<'v, str>> {
    let scalars = |n: N| {
        n.items()
            .all(|i| !matches!(i.kind(), Kind::Object | Kind::Array))
    };
    Some(Cow::Owned(match (v.kind(), v) {
        (Kind::Text(s), _) if !json => return Some(Cow::Borrowed(s)),
        (Kind::Array, Read::Node(n)) if !json && scalars(*n) => n
            .items()
            .map(|i| match i.kind() {
                Kind::Text(s) => s.to_string(),
                _ => i.to_string(),
            })
            .collect::<Vec<_>>()
            .join(","),
        _ => v.to_string(),
    }))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::table;
    use crate::schema::TableSchema;
    use datafusion::arrow::array::{Array, AsArray};
    use datafusion::arrow::datatypes::{
        Date32Type, Decimal128Type, Int64Type, TimestampMicrosecondType,
    };
    use serde_json::json;

    /// The rows converted as decoded values and, from their text, as JSON borrowing from it:
    /// both give the same batch, or fail with the same words.
    fn converted(s: &TableSchema, rows: &[Value]) -> Result<RecordBatch, ArrowError> {
        let decoded = to_batch(s.arrow.clone(), &s.columns, rows);
        let text = Value::from(rows.to_vec()).to_string();
        let borrowed: Vec<pipedrive_api::Json> = serde_json::from_str(&text).unwrap();
        let read = to_batch(s.arrow.clone(), &s.columns, &borrowed);
        match (&decoded, read) {
            (Ok(a), Ok(b)) => assert_eq!(a, &b, "{text}"),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            (a, b) => panic!("{text}: decoded {a:?}, borrowed {b:?}"),
        }
        decoded
    }

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
        let batch = converted(&s, &rows).unwrap();
        let col = |n: &str| batch.column(s.arrow.index_of(n).unwrap()).clone();
        assert_eq!(
            col("Id").as_primitive::<Int64Type>().values().to_vec(),
            vec![1, 2]
        );
        assert_eq!(col("Title").as_string::<i32>().value(0), "Ünïcode 🚀");
        assert!(col("Title").is_null(1));
        assert_eq!(
            col("Value").as_primitive::<Decimal128Type>().value(0),
            125_000
        );
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
        assert_eq!(
            col("Budget").as_primitive::<Decimal128Type>().value(0),
            995_000
        );
        assert_eq!(col("Budget Currency").as_string::<i32>().value(0), "USD");
    }

    #[test]
    fn keys_in_any_order_place_or_absence_give_each_row_its_own_values() {
        let defs = vec![
            json!({"field_code": "k1", "field_name": "Lead Source", "field_type": "enum", "is_custom_field": true,
                   "options": [{"id": 7, "label": "Web"}]}),
            json!({"field_code": "k2", "field_name": "Region", "field_type": "varchar", "is_custom_field": true}),
        ];
        let s = TableSchema::build(table("Deals").unwrap(), &defs);
        // the rows a page holds, their keys and custom fields moved, missing, or joined by others
        let rows = vec![
            json!({"id": 1, "title": "a", "value": 5, "custom_fields": {"k1": 7, "k2": "north"}}),
            json!({"custom_fields": {"k2": "south", "k1": null}, "value": 6, "title": "b", "id": 2}),
            json!({"title": "c", "id": 3, "custom_fields": {"k9": 1, "k2": "east"}}),
            json!({"id": 5, "other": {"title": "not this", "k2": "no"}, "title": "e", "value": "9.5"}),
            json!({"value": 1, "id": 6, "custom_fields": "k2"}),
            json!({"id": 8, "title": "h", "value": 2, "custom_fields": {"k1": 7}}),
        ];
        let page = converted(&s, &rows).unwrap();
        let texts = |name: &str| -> Vec<Option<String>> {
            let column = page
                .column(s.arrow.index_of(name).unwrap())
                .as_string::<i32>();
            column.iter().map(|v| v.map(String::from)).collect()
        };
        let expected = |values: [Option<&str>; 6]| values.map(|v| v.map(String::from)).to_vec();
        let titles = [Some("a"), Some("b"), Some("c"), Some("e"), None, Some("h")];
        assert_eq!(texts("Title"), expected(titles));
        let regions = [Some("north"), Some("south"), Some("east"), None, None, None];
        assert_eq!(texts("Region"), expected(regions));
        let sources = [Some("Web"), None, None, None, None, Some("Web")];
        assert_eq!(texts("Lead Source"), expected(sources));
        // every row converted alone (no other row before it) gives the same values
        for (i, row) in rows.iter().enumerate() {
            let alone = converted(&s, std::slice::from_ref(row)).unwrap();
            for c in 0..s.columns.len() {
                assert_eq!(
                    page.column(c).slice(i, 1).to_data(),
                    alone.column(c).to_data(),
                    "row {i}, column {}",
                    s.columns[c].name
                );
            }
        }
    }

    #[test]
    fn amounts_are_exact_decimals() {
        // (text, units of 10^-4): JSON numbers in their shortest form, numeric strings
        let cases: &[(&str, Option<i128>)] = &[
            ("12.5", Some(125_000)),
            ("-0.01", Some(-100)),
            ("7", Some(70_000)),
            ("+3.25", Some(32_500)),
            ("0.30000000000000004", Some(3_000)),
            ("2.00005", Some(20_001)),
            ("-2.00005", Some(-20_001)),
            ("123456789012345.6789", Some(1_234_567_890_123_456_789)),
            (".5", Some(5_000)),
            ("", None),
            ("abc", None),
            ("1e3", Some(10_000_000)),
            ("1.5e-3", Some(15)),
            ("-2.5E2", Some(-2_500_000)),
            ("1e-7", Some(0)),
            ("1e40", None),
            ("1e99", None),
            ("1.2.3", None),
        ];
        for (text, units) in cases {
            assert_eq!(decimal_units(text, 4), *units, "{text}");
        }
        let s = TableSchema::build(table("Deals").unwrap(), &[]);
        let value = s.columns.iter().find(|c| c.name == "Value").unwrap();
        assert!(money(value, &Read::Node(&json!(1e20))).is_err());
        assert_eq!(
            money(value, &Read::Node(&json!(1234.56))).unwrap(),
            Some(12_345_600)
        );
        // text that is no number: the batch says so (see the wrong-type test)
        assert_eq!(money(value, &Read::Node(&json!("n/a"))).unwrap(), None);
    }

    #[test]
    fn a_value_of_the_wrong_type_stops_the_batch_with_what_came() {
        let s = TableSchema::build(table("Deals").unwrap(), &[]);
        // (record, the error's words or None when it converts)
        let cases: &[(Value, Option<&str>)] = &[
            (json!({"id": 1, "owner_id": 5}), None),
            (json!({"id": 2, "owner_id": "5"}), None),
            (json!({"id": 3, "owner_id": {"id": 5, "name": "Ann"}}), None),
            (json!({"id": 4, "owner_id": ""}), None),
            (json!({"id": 5, "value": " "}), None),
            (
                json!({"id": 6, "owner_id": "five"}),
                Some(
                    r#"OwnerId: the API sent "five" in the record with id 6, where a whole number belongs"#,
                ),
            ),
            (
                json!({"id": 7, "owner_id": [1, 2]}),
                Some("the API sent [1,2] in the record with id 7, where a whole number"),
            ),
            (
                json!({"id": 8, "probability": {"x": 1}}),
                Some(
                    r#"Probability: the API sent {"x":1} in the record with id 8, where a number"#,
                ),
            ),
            (
                json!({"id": 9, "value": "n/a"}),
                Some(r#"Value: the API sent "n/a" in the record with id 9, where an amount"#),
            ),
            (
                json!({"id": 10, "is_deleted": "perhaps"}),
                Some("where true or false belongs"),
            ),
        ];
        for (record, error) in cases {
            let got = converted(&s, std::slice::from_ref(record));
            match (error, got) {
                (None, Ok(batch)) => assert_eq!(batch.num_rows(), 1),
                (Some(words), Err(e)) => assert!(e.to_string().contains(words), "{record}: {e}"),
                (_, got) => panic!("{record}: {got:?}"),
            }
        }
    }
}

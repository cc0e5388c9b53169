//! What the engine tests share: a sandbox with a session on it, raw API reads, batch readers.
#![allow(dead_code)]

use datafusion::arrow::array::{AsArray, RecordBatch};
use datafusion::arrow::datatypes::Int64Type;
use futures_util::TryStreamExt;
use pipedrive_api::{ApiVersion, Client, ClientConfig, Credentials, ListRequest};
use pipedrive_engine::Session;
use pipedrive_sandbox::{DataSizes, Sandbox, SandboxConfig};
use serde_json::Value;

pub struct Fixture {
    pub sandbox: Sandbox,
    pub client: Client,
    pub session: Session,
    /// Requests `Session::connect` made (the field definitions).
    pub connect_requests: u64,
}

impl Fixture {
    /// Runs a statement to completion; a failure names the statement.
    pub async fn q(&self, sql: &str) -> Vec<RecordBatch> {
        self.session
            .query(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

pub async fn fixture(deals: usize, token: &str) -> Fixture {
    let config = SandboxConfig {
        sizes: DataSizes {
            deals,
            persons: 400,
            organizations: 120,
            ..DataSizes::default()
        },
        api_tokens: vec![token.to_string()],
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config).expect("sandbox");
    let client = Client::new(ClientConfig::new(
        sandbox.base_url(),
        Credentials::ApiToken(token.into()),
    ))
    .unwrap();
    let session = Session::connect(client.clone()).await.expect("connect");
    let connect_requests = sandbox.stats().requests;
    sandbox.reset_stats();
    Fixture {
        sandbox,
        client,
        session,
        connect_requests,
    }
}

pub async fn raw(client: &Client, version: ApiVersion, path: &str) -> Vec<Value> {
    let pages: Vec<_> = client
        .list(ListRequest::new(version, path))
        .try_collect()
        .await
        .unwrap();
    pages
        .into_iter()
        .flat_map(|p| p.rows.into_values().expect("rows"))
        .collect()
}

pub fn ints(batches: &[RecordBatch], col: usize) -> Vec<i64> {
    batches
        .iter()
        .flat_map(|b| b.column(col).as_primitive::<Int64Type>().values().to_vec())
        .collect()
}

/// An amount (a DECIMAL cell) as f64, to compare with the API's JSON numbers.
pub fn amount(a: &dyn datafusion::arrow::array::Array, row: usize) -> f64 {
    use datafusion::arrow::datatypes::{DataType, Decimal128Type};
    let DataType::Decimal128(_, scale) = a.data_type() else {
        panic!("not an amount: {}", a.data_type())
    };
    let units = a.as_primitive::<Decimal128Type>().value(row);
    units as f64 / 10f64.powi(i32::from(*scale))
}

/// The amounts of a column (NULL as 0).
pub fn amounts(batches: &[RecordBatch], col: usize) -> Vec<f64> {
    batches
        .iter()
        .flat_map(|b| (0..b.num_rows()).map(move |i| amount(b.column(col).as_ref(), i)))
        .collect()
}

pub fn rows(batches: &[RecordBatch]) -> usize {
    batches.iter().map(RecordBatch::num_rows).sum()
}

/// Text values of a column (NULL as `None`).
pub fn texts(batches: &[RecordBatch], col: usize) -> Vec<Option<String>> {
    use datafusion::arrow::array::Array;
    batches
        .iter()
        .flat_map(|b| {
            let a = b.column(col).as_string::<i32>().clone();
            (0..a.len())
                .map(move |i| (!a.is_null(i)).then(|| a.value(i).to_string()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A cell as the JSON value the API would have sent for it (NULL as null), to compare a row
/// read through SQL with the raw record.
pub fn cell_json(a: &dyn datafusion::arrow::array::Array, row: usize) -> Value {
    use datafusion::arrow::datatypes::{
        DataType, Date32Type, Float64Type, TimeUnit, TimestampMicrosecondType,
    };
    if a.is_null(row) {
        return Value::Null;
    }
    match a.data_type() {
        DataType::Int64 => Value::from(a.as_primitive::<Int64Type>().value(row)),
        DataType::Float64 => Value::from(a.as_primitive::<Float64Type>().value(row)),
        DataType::Decimal128(..) => Value::from(amount(a, row)),
        DataType::Boolean => Value::from(a.as_boolean().value(row)),
        DataType::Utf8 => Value::from(a.as_string::<i32>().value(row)),
        DataType::Date32 => {
            let days = a.as_primitive::<Date32Type>().value(row);
            let date = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()
                + chrono::Duration::days(i64::from(days));
            Value::from(date.format("%Y-%m-%d").to_string())
        }
        DataType::Timestamp(TimeUnit::Microsecond, None) => {
            let micros = a.as_primitive::<TimestampMicrosecondType>().value(row);
            let t = chrono::DateTime::from_timestamp_micros(micros).expect("a time");
            Value::from(t.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string())
        }
        other => panic!("no JSON form for {other}"),
    }
}

/// Whether a cell holds the raw value: numbers as numbers, JSON text as the structure it
/// writes, other values as their text.
pub fn same_value(raw: &Value, cell: &Value) -> bool {
    match (raw, cell) {
        (Value::Null, Value::Null) => true,
        (Value::Number(a), Value::Number(b)) => {
            (a.as_f64().unwrap_or(f64::NAN) - b.as_f64().unwrap_or(f64::NAN)).abs() < 1e-6
        }
        // a list of ids or words is text of its items separated by commas
        (Value::Array(items), Value::String(text))
            if items.iter().all(|i| !i.is_object() && !i.is_array()) =>
        {
            let joined: Vec<String> = items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), String::from))
                .collect();
            joined.join(",") == *text
                || serde_json::from_str::<Value>(text).is_ok_and(|v| v == *raw)
        }
        (raw, Value::String(text)) if !raw.is_string() => {
            serde_json::from_str::<Value>(text).is_ok_and(|v| v == *raw) || raw.to_string() == *text
        }
        (Value::String(a), Value::String(b)) => {
            a == b || time(a).is_some_and(|t| time(b) == Some(t))
        }
        (raw, cell) => raw == cell,
    }
}

/// A timestamp in any of the API's text forms.
fn time(text: &str) -> Option<chrono::NaiveDateTime> {
    [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%SZ",
        "%Y-%m-%dT%H:%M:%S%.fZ",
    ]
    .iter()
    .find_map(|f| chrono::NaiveDateTime::parse_from_str(text, f).ok())
}

/// The records of a list asked of the API directly, the way the table reads it
/// (`/path?key=value&...`), and how many pages that took.
pub async fn raw_list(
    client: &Client,
    def: &pipedrive_engine::catalog::TableDef,
    path_and_query: &str,
) -> (Vec<Value>, u64) {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let mut request = ListRequest::new(def.version, path);
    request.query = query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    request.rows_at = def.rows_at.map(String::from);
    request.one_row = def.one_row;
    let pages: Vec<_> = client.list(request).try_collect().await.unwrap();
    let count = pages.len() as u64;
    (
        pages
            .into_iter()
            .flat_map(|p| p.rows.into_values().expect("rows"))
            .collect(),
        count,
    )
}

/// Every row and column read through SQL (`SELECT *` of the table) equals the raw records,
/// in their order.
pub fn assert_same_rows(
    label: &str,
    def: &pipedrive_engine::catalog::TableDef,
    out: &[RecordBatch],
    raw: &[Value],
) {
    assert_eq!(rows(out), raw.len(), "{label}");
    let at = |record: &Value, path: &str| -> Value {
        path.split('.').fold(record, |v, k| &v[k]).clone()
    };
    let mut n = 0;
    for batch in out {
        for row in 0..batch.num_rows() {
            for (c, column) in def.columns.iter().enumerate() {
                let expected = at(&raw[n], column.path);
                let got = cell_json(batch.column(c).as_ref(), row);
                assert!(
                    same_value(&expected, &got),
                    "{label}: row {n} {}: API {expected}, SQL {got}",
                    column.name
                );
            }
            n += 1;
        }
    }
}

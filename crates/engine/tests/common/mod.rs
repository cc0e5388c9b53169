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
    pages.into_iter().flat_map(|p| p.rows).collect()
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

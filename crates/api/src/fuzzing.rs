//! Entry points for the fuzz targets (`fuzz/`) and their replay tests: the code that reads an
//! answer's body, without a network.

use crate::client::decoded;
use crate::error::Error;
use crate::json::Json;
use crate::page::{parts, rows_in, ListRequest};
use crate::ApiVersion;
use serde_json::Value;

/// The rows of a list page whose body is `bytes`, read as a page of a list walk reads them
/// (`rows_at`: the key under `data` holding the rows, for lists answered that way).
pub fn page_rows(bytes: &[u8], rows_at: Option<&str>) -> Result<Vec<Value>, Error> {
    let mut request = ListRequest::new(ApiVersion::V2, "/fuzzed");
    request.rows_at = rows_at.map(String::from);
    let body = decoded(bytes, "GET /fuzzed", serde_json::from_str::<Json>)?;
    let rows = rows_in(parts(body).0, &request)?;
    Ok(rows.into_iter().map(Value::from).collect())
}

//! One page of a list: what to list, the request for the page starting at a cursor or an
//! offset, how its answer is read (rows, and where the next page starts), and a page request
//! running on its own task that is cancelled when dropped. Shared by the sequential walk
//! ([`crate::paging`]) and the windowed one ([`crate::windows`]).

use crate::client::Client;
use crate::endpoint::ApiVersion;
use crate::error::{Error, ErrorKind};
use crate::page_body;
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::Arc;
use tokio::task::JoinHandle;

/// One page of a list.
#[derive(Debug, Clone)]
pub struct Page {
    pub rows: Vec<Value>,
}

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Next {
    Cursor(Option<String>),
    Offset(usize),
}

/// A page's rows and where the page after it starts (none after the last).
pub(crate) struct Fetched {
    pub(crate) rows: Vec<Value>,
    pub(crate) next: Option<Next>,
}

impl Fetched {
    /// The cursor of the page after this one, for a cursor walk.
    pub(crate) fn next_cursor(&self) -> Option<&str> {
        match &self.next {
            Some(Next::Cursor(c)) => c.as_deref(),
            _ => None,
        }
    }
}

/// A spawned page request that is cancelled when dropped.
pub(crate) struct InFlight<T = Result<Fetched, Error>>(pub(crate) JoinHandle<T>);

impl<T> Drop for InFlight<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// What to list: `path` below `/api/v1` or `/api/v2`, with its filters.
#[derive(Debug, Clone)]
pub struct ListRequest {
    pub version: ApiVersion,
    pub path: String,
    pub query: Vec<(String, String)>,
    /// Stop after this many rows (and ask for no more than that).
    pub max_rows: Option<usize>,
    /// The key under `data` that holds the rows, for lists answered as `data: {key: [...]}`.
    pub rows_at: Option<String>,
    /// The answer's `data` is one object, the only row (the current user, a role's settings).
    pub one_row: bool,
    /// The keys of each row the caller reads (`None`: all): the others are skipped while the
    /// answer is decoded (see [`crate::page_body`]).
    pub keep: Option<Arc<BTreeSet<String>>>,
}

impl ListRequest {
    pub fn new(version: ApiVersion, path: impl Into<String>) -> Self {
        ListRequest {
            version,
            path: path.into(),
            query: vec![],
            max_rows: None,
            rows_at: None,
            one_row: false,
            keep: None,
        }
    }
    pub fn param(mut self, key: &str, value: impl ToString) -> Self {
        self.query.push((key.to_string(), value.to_string()));
        self
    }
    pub fn max_rows(mut self, n: usize) -> Self {
        self.max_rows = Some(n);
        self
    }
}

/// One page of a cursor walk starting after `cursor`.
pub(crate) async fn cursor_page(
    client: &Client,
    req: &ListRequest,
    cursor: Option<String>,
) -> Result<Fetched, Error> {
    fetch(client, req, Next::Cursor(cursor), client.page_size()).await
}

/// The page starting at `next`, of at most `limit` rows.
pub(crate) async fn fetch(
    client: &Client,
    req: &ListRequest,
    next: Next,
    limit: usize,
) -> Result<Fetched, Error> {
    let mut query = req.query.clone();
    query.push(("limit".into(), limit.to_string()));
    match &next {
        Next::Cursor(Some(c)) => query.push(("cursor".into(), c.clone())),
        Next::Offset(start) if *start > 0 => query.push(("start".into(), start.to_string())),
        _ => {}
    }
    let decode = |bytes: &[u8]| match &req.keep {
        Some(keep) => page_body::decode(bytes, keep),
        None => serde_json::from_slice(bytes),
    };
    let mut body = client
        .get_decoded(req.version, &req.path, &query, decode)
        .await?;
    let rows = rows_of(&mut body, req)?;
    let extra = body.get("additional_data").unwrap_or(&Value::Null);
    // some v1 lists page by cursor too (changelogs): the answer says which
    let cursor = extra.get("next_cursor").and_then(Value::as_str);
    let following = match (next, cursor) {
        (_, Some(c)) => Some(Next::Cursor(Some(c.to_string()))),
        (Next::Cursor(_), None) => None,
        (Next::Offset(start), None) => {
            let p = extra.get("pagination").unwrap_or(extra);
            (p.get("more_items_in_collection") == Some(&Value::Bool(true))).then(|| {
                Next::Offset(
                    p.get("next_start")
                        .and_then(Value::as_u64)
                        .map_or(start + rows.len(), |n| n as usize),
                )
            })
        }
    };
    Ok(Fetched {
        rows,
        next: following,
    })
}

/// The rows of a list's answer: the array under `data` (or under `data.<rows_at>`); none for a
/// missing or null `data`; anything else is an error.
pub(crate) fn rows_of(body: &mut Value, req: &ListRequest) -> Result<Vec<Value>, Error> {
    let data = body.get_mut("data");
    let data = match &req.rows_at {
        Some(key) => data.and_then(|d| d.get_mut(key)),
        None => data,
    }
    .map(Value::take);
    match data {
        Some(Value::Array(rows)) => Ok(rows),
        Some(row @ Value::Object(_)) if req.one_row => Ok(vec![row]),
        Some(Value::Null) | None => Ok(vec![]),
        Some(other) => Err(Error::new(
            ErrorKind::Decode,
            format!("GET {}: data is not a list ({})", req.path, kind_of(&other)),
        )),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "an object",
        Value::String(_) => "text",
        _ => "a scalar",
    }
}

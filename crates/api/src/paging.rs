//! Lists as streams of pages: v2 cursor and v1 offset paging, the next page requested while the
//! current one is handed out, paging stopped early at a row limit, and nothing left running
//! when the stream is dropped.

use crate::client::Client;
use crate::endpoint::ApiVersion;
use crate::error::{Error, ErrorKind};
use futures_util::stream::{self, Stream};
use serde_json::Value;
use tokio::task::JoinHandle;

/// One page of a list.
#[derive(Debug, Clone)]
pub struct Page {
    pub rows: Vec<Value>,
}

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq)]
enum Next {
    Cursor(Option<String>),
    Offset(usize),
}

pub(crate) struct Fetched {
    pub(crate) rows: Vec<Value>,
    next: Option<Next>,
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
}

impl ListRequest {
    pub fn new(version: ApiVersion, path: impl Into<String>) -> Self {
        ListRequest {
            version,
            path: path.into(),
            query: vec![],
            max_rows: None,
            rows_at: None,
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

struct Walk {
    client: Client,
    req: ListRequest,
    delivered: usize,
    next: Option<Next>,
    in_flight: Option<InFlight>,
}

impl Walk {
    fn page_limit(&self) -> usize {
        let left = self
            .req
            .max_rows
            .map_or(usize::MAX, |m| m.saturating_sub(self.delivered));
        self.client.page_size().min(left).max(1)
    }

    fn spawn(&mut self, next: Next) {
        let client = self.client.clone();
        let req = self.req.clone();
        let limit = self.page_limit();
        self.in_flight = Some(InFlight(tokio::spawn(async move {
            fetch(&client, &req, next, limit).await
        })));
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

async fn fetch(
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
    let mut body = client.get_json(req.version, &req.path, &query).await?;
    let data = body.get_mut("data");
    let data = match &req.rows_at {
        Some(key) => data.and_then(|d| d.get_mut(key)),
        None => data,
    }
    .map(Value::take);
    let rows = match data {
        Some(Value::Array(rows)) => rows,
        Some(Value::Null) | None => vec![],
        Some(other) => {
            return Err(Error::new(
                ErrorKind::Decode,
                format!("GET {}: data is not a list ({})", req.path, kind_of(&other)),
            ))
        }
    };
    let extra = body.get("additional_data").unwrap_or(&Value::Null);
    let following = match next {
        Next::Cursor(_) => extra
            .get("next_cursor")
            .and_then(Value::as_str)
            .map(|c| Next::Cursor(Some(c.to_string()))),
        Next::Offset(start) => {
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

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "an object",
        Value::String(_) => "text",
        _ => "a scalar",
    }
}

/// The pages of a list, fetched one ahead of the consumer.
pub fn pages(
    client: Client,
    req: ListRequest,
) -> impl Stream<Item = Result<Page, Error>> + Send + 'static {
    let first = match req.version {
        ApiVersion::V2 => Next::Cursor(None),
        ApiVersion::V1 => Next::Offset(0),
    };
    let walk = Walk {
        client,
        req,
        delivered: 0,
        next: Some(first),
        in_flight: None,
    };
    stream::unfold(walk, |mut walk| async move {
        if walk.in_flight.is_none() {
            let next = walk.next.take()?;
            walk.spawn(next);
        }
        let mut in_flight = walk.in_flight.take()?;
        let fetched = match (&mut in_flight.0).await {
            Ok(Ok(f)) => f,
            Ok(Err(e)) => return Some((Err(e), walk)),
            Err(join) => {
                return Some((
                    Err(Error::new(
                        ErrorKind::Cancelled,
                        format!("page request stopped: {join}"),
                    )),
                    walk,
                ))
            }
        };
        let mut rows = fetched.rows;
        if let Some(max) = walk.req.max_rows {
            rows.truncate(max.saturating_sub(walk.delivered));
        }
        walk.delivered += rows.len();
        let done = walk.req.max_rows.is_some_and(|m| walk.delivered >= m) || rows.is_empty();
        walk.next = if done { None } else { fetched.next };
        if let Some(next) = walk.next.take() {
            walk.spawn(next); // pipelining: the next page is on its way while this one is used
        }
        Some((Ok(Page { rows }), walk))
    })
}

//! Lists as streams of pages: v2 cursor and v1 offset paging, the next page requested while the
//! current one is handed out, paging stopped early at a row limit, and nothing left running
//! when the stream is dropped.

use crate::client::Client;
use crate::endpoint::ApiVersion;
use crate::error::Error;
use crate::page::{fetch, joined, InFlight, ListRequest, Next, Page, Rows};
use futures_util::stream::{self, Stream};

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
        let fetched = match joined((&mut in_flight.0).await, "page request") {
            Ok(f) => f,
            Err(e) => return Some((Err(e), walk)),
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
        Some((
            Ok(Page {
                rows: Rows::Values(rows),
            }),
            walk,
        ))
    })
}

//! Paging of lists the sandbox computes from its records instead of keeping them (searches,
//! histories, feeds): a whole computed list served a page at a time, as v2 cursor pages or as
//! v1 offset pages.

use super::answer::Answer;
use super::read::v1_page;
use super::request::Ctx;
use crate::entities::ApiVersion;
use crate::error::{ApiError, ApiResult};
use crate::listing;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

/// Where the rows are in a v2 answer: `data` itself, or `data.items` (searches), beside an
/// empty `related_items` (a search across kinds, not asked for related items).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rows {
    Data,
    Items,
    ItemsAndRelated,
}

/// A cursor page of computed items (v2, and v1 lists that page by cursor); the cursor is the position of the next item.
pub fn cursor_page(ctx: &Ctx, items: Vec<Value>, at: Rows) -> ApiResult<Answer> {
    let v = ctx.version();
    let limit = listing::limit(v, ctx.query)?;
    let start = match ctx.query.get("cursor").filter(|c| !c.is_empty()) {
        Some(text) => decode(text).ok_or_else(|| ApiError::invalid(v, "cursor: invalid cursor"))?,
        None => 0,
    };
    let total = items.len();
    let end = (start + limit).min(total);
    let page: Vec<Value> = items.into_iter().skip(start).take(limit).collect();
    let next = match end < total {
        true => Value::from(encode(end)),
        false => Value::Null,
    };
    let data = match at {
        Rows::Data => Value::Array(page),
        Rows::Items => json!({ "items": page }),
        Rows::ItemsAndRelated => json!({ "items": page, "related_items": [] }),
    };
    Ok(Answer::ok(format!(
        r#"{{"success":true,"data":{data},"additional_data":{{"next_cursor":{next}}}}}"#
    )))
}

fn encode(position: usize) -> String {
    URL_SAFE_NO_PAD.encode(json!({ "position": position }).to_string())
}

fn decode(text: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    v.get("position")?.as_u64().map(|n| n as usize)
}

/// Offset-pages computed items the way v1 lists page stored rows; only the page's items are
/// shown (`show`), and `extra` adds to `additional_data` what it says of the page.
pub fn offset_page<T>(
    ctx: &Ctx,
    items: &[T],
    nested: bool,
    show: impl Fn(&T) -> Value,
    extra: impl FnOnce(&[T]) -> Value,
) -> ApiResult<Answer> {
    let v = ApiVersion::V1;
    let limit = listing::limit(v, ctx.query)?;
    let start = ctx.query.int(v, "start")?.unwrap_or(0).max(0) as usize;
    let page = &items[start.min(items.len())..(start + limit).min(items.len())];
    let rows = if page.is_empty() {
        "null".to_string()
    } else {
        Value::Array(page.iter().map(show).collect()).to_string()
    };
    Ok(Answer::ok(v1_page(
        rows,
        items.len() > start + limit,
        start,
        limit,
        nested,
        extra(page),
    )))
}

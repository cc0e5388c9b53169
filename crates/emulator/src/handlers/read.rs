//! Lists and single rows.

use super::answer::Answer;
use super::not_found::{must_exist, not_found, parent_must_exist};
use super::request::Ctx;
use super::shaping::shaping;
use crate::entities::{ApiVersion, EntitySpec, Paging};
use crate::error::{ApiError, ApiResult};
use crate::listing::{self, Cursor, Predicate};
use crate::store::{Row, Scalar, Store};
use serde_json::{json, Value};

/// The entity's rows (of an entity that archives, those not archived).
pub fn list(store: &Store, spec: &'static EntitySpec, ctx: &Ctx) -> ApiResult<Answer> {
    list_where(store, spec, ctx, false)
}

/// `GET /{collection}/archived`: the entity's archived rows.
pub fn list_archived(store: &Store, spec: &'static EntitySpec, ctx: &Ctx) -> ApiResult<Answer> {
    list_where(store, spec, ctx, true)
}

fn list_where(
    store: &Store,
    spec: &'static EntitySpec,
    ctx: &Ctx,
    archived: bool,
) -> ApiResult<Answer> {
    let version = ctx.version();
    let q = ctx.query;
    let mut preds = listing::predicates(spec, version, q, store)?;
    preds.extend(Predicate::archived(spec, archived));
    if let Some(parent) = ctx.parent_id()? {
        parent_must_exist(store, spec, parent)?;
        let (_, attr) = spec.parent.expect("child route of a child entity");
        preds.push(Predicate::eq(spec, attr, Scalar::Int(parent)));
    } else if spec.parent.is_some() && q.list("deal_ids").is_empty() {
        return Err(ApiError::invalid(version, "deal_ids: is required"));
    }
    page_of(store, spec, ctx, &preds)
}

/// The rows whose `attr` holds the record the path names (`/deals/{id}/files`); 404 when that
/// record does not exist.
pub fn list_under(
    store: &Store,
    spec: &'static EntitySpec,
    attr: &'static str,
    ctx: &Ctx,
) -> ApiResult<Answer> {
    let id = ctx.parent_id()?.unwrap_or_default();
    let owner = ctx.route.template.split('/').nth(1).unwrap_or_default();
    must_exist(store, crate::entities::entity(owner), id)?;
    let mut preds = listing::predicates(spec, ctx.version(), ctx.query, store)?;
    preds.push(Predicate::eq(spec, attr, Scalar::Int(id)));
    page_of(store, spec, ctx, &preds)
}

/// The page of the rows that pass `preds`, in the order and paging the request asks for.
fn page_of(
    store: &Store,
    spec: &'static EntitySpec,
    ctx: &Ctx,
    preds: &[Predicate],
) -> ApiResult<Answer> {
    let (version, q) = (ctx.version(), ctx.query);
    let order = listing::order(spec, version, q)?;
    let rewrite = shaping(store, spec, ctx)?;
    let coll = store.collection(spec.name);
    let paging = match (version, spec.version) {
        (ApiVersion::V2, _) => Paging::Cursor,
        (ApiVersion::V1, ApiVersion::V1) => spec.paging,
        // v2 entities reached through their older v1 sub-resource paths
        (ApiVersion::V1, ApiVersion::V2) => Paging::Offset {
            nested: spec.name == "dealProducts",
        },
    };
    match paging {
        Paging::Cursor => {
            let limit = listing::limit(version, q)?;
            let after = q
                .get("cursor")
                .filter(|c| !c.is_empty())
                .map(|c| Cursor::decode(version, c, order))
                .transpose()?;
            let page = listing::cursor_page(coll, preds, order, after.as_ref(), limit);
            let next = listing::next_cursor(spec, &page, order)
                .map(Value::from)
                .unwrap_or(Value::Null);
            let rows = listing::render_rows(&page.rows, rewrite.as_deref());
            Ok(Answer::ok(format!(
                r#"{{"success":true,"data":{rows},"additional_data":{{"next_cursor":{next}}}}}"#
            )))
        }
        Paging::Offset { nested } => {
            let limit = listing::limit(version, q)?;
            let start = q.int(version, "start")?.unwrap_or(0);
            if start < 0 {
                return Err(ApiError::invalid(version, "start: must be >= 0"));
            }
            let page = listing::offset_page(coll, preds, order, start as usize, limit);
            let rows = v1_rows(&page.rows, rewrite.as_deref());
            Ok(Answer::ok(v1_page(
                rows,
                page.more,
                start as usize,
                limit,
                nested,
                json!({}),
            )))
        }
        Paging::All => {
            let page = listing::offset_page(coll, preds, order, 0, usize::MAX / 2);
            let rows = v1_rows(&page.rows, rewrite.as_deref());
            Ok(Answer::ok(format!(r#"{{"success":true,"data":{rows}}}"#)))
        }
    }
}

/// v1 lists answer `null` rather than `[]` when nothing matches.
fn v1_rows(rows: &[&Row], rewrite: Option<&dyn Fn(Value) -> Value>) -> String {
    if rows.is_empty() {
        "null".to_string()
    } else {
        listing::render_rows(rows, rewrite)
    }
}

/// A v1 offset page around already rendered rows; `extra` adds keys to `additional_data`.
pub fn v1_page(
    rows: String,
    more: bool,
    start: usize,
    limit: usize,
    nested: bool,
    extra: Value,
) -> String {
    let mut numbers = json!({"start": start, "limit": limit, "more_items_in_collection": more});
    if more {
        numbers["next_start"] = json!(start + limit);
    }
    let mut additional = if nested {
        json!({"pagination": numbers})
    } else {
        numbers
    };
    if let (Some(a), Value::Object(e)) = (additional.as_object_mut(), extra) {
        a.extend(e);
    }
    format!(r#"{{"success":true,"data":{rows},"additional_data":{additional}}}"#)
}

pub fn get(store: &Store, spec: &'static EntitySpec, ctx: &Ctx) -> ApiResult<Answer> {
    let id = ctx.row_id(spec)?;
    let row = store
        .collection(spec.name)
        .get(&id)
        .ok_or_else(|| not_found(spec))?;
    let rewrite = shaping(store, spec, ctx)?;
    let data = match rewrite {
        Some(f) => f(row.value()).to_string(),
        None => row.json.to_string(),
    };
    Ok(Answer::ok(format!(r#"{{"success":true,"data":{data}}}"#)))
}

//! Lists and single rows.

use super::{not_found, parent_must_exist, Answer, Ctx};
use crate::entities::{ApiVersion, EntitySpec, Paging};
use crate::error::{ApiError, ApiResult};
use crate::listing::{self, Cursor, Page, Predicate};
use crate::store::{Scalar, Store};
use serde_json::{json, Value};

pub fn list(store: &Store, spec: &'static EntitySpec, ctx: &Ctx) -> ApiResult<Answer> {
    let version = ctx.version();
    let q = ctx.query;
    let mut preds = listing::predicates(spec, version, q, store)?;
    if let Some(parent) = ctx.parent_id()? {
        parent_must_exist(store, spec, parent)?;
        let (_, attr) = spec.parent.expect("child route of a child entity");
        preds.push(Predicate::eq(spec, attr, Scalar::Int(parent)));
    } else if spec.parent.is_some() && q.list("deal_ids").is_empty() {
        return Err(ApiError::invalid(version, "deal_ids: is required"));
    }
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
            let page = listing::cursor_page(coll, &preds, order, after.as_ref(), limit);
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
            let page = listing::offset_page(coll, &preds, order, start as usize, limit);
            Ok(Answer::ok(v1_page(
                &page,
                start as usize,
                limit,
                nested,
                json!({}),
            )))
        }
        Paging::All => {
            let page = listing::offset_page(coll, &preds, order, 0, usize::MAX / 2);
            let rows = v1_rows(&page);
            Ok(Answer::ok(format!(r#"{{"success":true,"data":{rows}}}"#)))
        }
    }
}

/// v1 lists answer `null` rather than `[]` when nothing matches.
fn v1_rows(page: &Page) -> String {
    if page.rows.is_empty() {
        "null".to_string()
    } else {
        listing::render_rows(&page.rows, None)
    }
}

/// A v1 offset page; `extra` adds keys to `additional_data`.
pub fn v1_page(page: &Page, start: usize, limit: usize, nested: bool, extra: Value) -> String {
    let mut numbers =
        json!({"start": start, "limit": limit, "more_items_in_collection": page.more});
    if page.more {
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
    format!(
        r#"{{"success":true,"data":{},"additional_data":{additional}}}"#,
        v1_rows(page)
    )
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

type Rewrite = Box<dyn Fn(Value) -> Value>;

/// v2 `include_fields` (optional extra attributes) and `custom_fields` (a subset of custom
/// field keys) change each record; `None` when the stored JSON can be sent as it is.
fn shaping(store: &Store, spec: &EntitySpec, ctx: &Ctx) -> ApiResult<Option<Rewrite>> {
    let version = ctx.version();
    if version != ApiVersion::V2 {
        return Ok(None);
    }
    let include: Vec<String> = ctx
        .query
        .list("include_fields")
        .into_iter()
        .map(String::from)
        .collect();
    let allowed = optional_fields(spec.name);
    if let Some(bad) = include.iter().find(|f| !allowed.contains(&f.as_str())) {
        return Err(ApiError::invalid(
            version,
            format!(
                "include_fields: '{bad}' must be equal to one of the allowed values: {}",
                allowed.join(", ")
            ),
        ));
    }
    let keys: Option<Vec<String>> = ctx.query.get("custom_fields").map(|_| {
        ctx.query
            .list("custom_fields")
            .into_iter()
            .map(String::from)
            .collect()
    });
    if keys.as_ref().is_some_and(|k| k.len() > 15) {
        return Err(ApiError::invalid(
            version,
            "custom_fields: a maximum of 15 keys is allowed",
        ));
    }
    if spec.custom_fields.is_none() && keys.is_some() {
        return Err(ApiError::invalid(
            version,
            "custom_fields: this entity has no custom fields",
        ));
    }
    let _ = store;
    if include.is_empty() && keys.is_none() {
        return Ok(None);
    }
    Ok(Some(Box::new(move |mut record: Value| {
        if let Some(obj) = record.as_object_mut() {
            for field in &include {
                let value = if field.ends_with("_count") {
                    json!(0)
                } else {
                    Value::Null
                };
                obj.entry(field.clone()).or_insert(value);
            }
            if let (Some(keys), Some(Value::Object(custom))) = (&keys, obj.get_mut("custom_fields"))
            {
                custom.retain(|k, _| keys.contains(k));
            }
        }
        record
    })))
}

/// The values `include_fields` accepts per entity (from the v2 spec).
fn optional_fields(entity: &str) -> &'static [&'static str] {
    match entity {
        "deals" => &[
            "next_activity_id",
            "last_activity_id",
            "first_won_time",
            "products_count",
            "files_count",
            "notes_count",
            "followers_count",
            "email_messages_count",
            "activities_count",
            "done_activities_count",
            "undone_activities_count",
            "participants_count",
            "last_incoming_mail_time",
            "last_outgoing_mail_time",
            "smart_bcc_email",
            "source_lead_id",
        ],
        "persons" => &[
            "next_activity_id",
            "last_activity_id",
            "open_deals_count",
            "related_open_deals_count",
            "closed_deals_count",
            "related_closed_deals_count",
            "participant_open_deals_count",
            "participant_closed_deals_count",
            "email_messages_count",
            "activities_count",
            "done_activities_count",
            "undone_activities_count",
            "files_count",
            "notes_count",
            "followers_count",
            "won_deals_count",
            "related_won_deals_count",
            "lost_deals_count",
            "related_lost_deals_count",
            "last_incoming_mail_time",
            "last_outgoing_mail_time",
            "marketing_status",
            "doi_status",
            "smart_bcc_email",
        ],
        "organizations" => &[
            "next_activity_id",
            "last_activity_id",
            "open_deals_count",
            "related_open_deals_count",
            "closed_deals_count",
            "related_closed_deals_count",
            "email_messages_count",
            "people_count",
            "activities_count",
            "done_activities_count",
            "undone_activities_count",
            "files_count",
            "notes_count",
            "followers_count",
            "won_deals_count",
            "related_won_deals_count",
            "lost_deals_count",
            "related_lost_deals_count",
            "smart_bcc_email",
        ],
        "activities" => &["attendees"],
        _ => &[],
    }
}

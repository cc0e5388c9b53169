//! v1 reads that are not plain lists: the current user, lead sources, goals, the recents
//! feed, who may see a row and an organization's relationships.

use super::answer::Answer;
use super::computed::offset_page;
use super::not_found::must_exist;
use super::read::v1_page;
use super::request::Ctx;
use crate::entities::{entity, ApiVersion, EntitySpec};
use crate::error::{ApiError, ApiResult};
use crate::store::{Row, Store};
use crate::timefmt;
use serde_json::{json, Value};

pub fn me(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let user = must_exist(store, entity("users"), ctx.user_id)?;
    let mut data = user.value();
    data["company_id"] = json!(1);
    data["company_name"] = json!("Sandbox Company");
    data["company_domain"] = json!(ctx.company_domain);
    data["company_country"] = json!("EE");
    data["company_industry"] = json!("Software");
    data["language"] = json!({"language_code": "en", "country_code": "US"});
    Ok(Answer::data(&data))
}

pub fn lead_sources(store: &Store) -> ApiResult<Answer> {
    let data: Vec<Value> = store
        .lead_sources
        .iter()
        .map(|s| json!({"name": s}))
        .collect();
    Ok(Answer::data(&json!(data)))
}

pub fn goals_find(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let q = ctx.query;
    let v = ApiVersion::V1;
    let is_active = q.boolean(v, "is_active")?;
    let assignee = q.int(v, "assignee.id")?;
    let goals: Vec<Value> = store
        .collection("goals")
        .rows()
        .map(Row::value)
        .filter(|g| q.get("type.name").is_none_or(|t| g["type"]["name"] == t))
        .filter(|g| q.get("title").is_none_or(|t| g["title"] == t))
        .filter(|g| is_active.is_none_or(|a| g["is_active"] == a))
        .filter(|g| assignee.is_none_or(|a| g["assignee"]["id"] == a))
        .filter(|g| {
            q.get("assignee.type")
                .is_none_or(|t| g["assignee"]["type"] == t)
        })
        .collect();
    Ok(Answer::data(&json!({"goals": goals})))
}

/// Items changed since a moment, oldest first, across the main collections.
pub fn recents(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let v = ApiVersion::V1;
    let since_text = ctx
        .query
        .get("since_timestamp")
        .ok_or_else(|| ApiError::invalid(v, "\"since_timestamp\" is required."))?;
    let since = timefmt::parse(since_text).ok_or_else(|| {
        ApiError::invalid(v, "since_timestamp: must be in format YYYY-MM-DD HH:MM:SS")
    })?;
    const KINDS: &[(&str, &str)] = &[
        ("activity", "activities"),
        ("activityType", "activityTypes"),
        ("deal", "deals"),
        ("file", "files"),
        ("filter", "filters"),
        ("note", "notes"),
        ("person", "persons"),
        ("organization", "organizations"),
        ("pipeline", "pipelines"),
        ("product", "products"),
        ("stage", "stages"),
        ("user", "users"),
    ];
    let wanted = ctx.query.list("items");
    if let Some(bad) = wanted.iter().find(|w| !KINDS.iter().any(|(k, _)| k == *w)) {
        return Err(ApiError::invalid(
            v,
            format!("items: unknown item type '{bad}'"),
        ));
    }
    let mut items: Vec<(i64, &str, &Row)> = vec![];
    for (kind, name) in KINDS
        .iter()
        .filter(|(k, _)| wanted.is_empty() || wanted.contains(k))
    {
        let spec = entity(name);
        let Some(time_attr) = spec.update_time else {
            continue;
        };
        for row in store.collection(name).rows() {
            if let Some(t) = row.attr(spec, time_attr).as_int().filter(|t| *t >= since) {
                items.push((t, kind, row));
            }
        }
    }
    items.sort_by_key(|(t, _, _)| *t);
    let show = |(_, kind, row): &(i64, &str, &Row)| json!({"item": kind, "id": row.id.to_json(), "data": v1_view(row.value())});
    // the recents list nests its paging numbers under `pagination`
    offset_page(ctx, &items, true, show, |page| {
        let last = page
            .last()
            .map(|(t, _, _)| timefmt::format(*t, crate::entities::TimeFormat::Space));
        json!({"since_timestamp": since_text, "last_timestamp_on_page": last})
    })
}

/// How API v1 shows a record kept in its v2 shape: `visible_to` as text, owners as objects,
/// the address as text with `address_*` parts, custom fields as top-level keys.
pub(super) fn v1_view(mut record: Value) -> Value {
    let Some(obj) = record.as_object_mut() else {
        return record;
    };
    if let Some(v) = obj.get("visible_to").and_then(Value::as_i64) {
        obj.insert("visible_to".into(), json!(v.to_string()));
    }
    if obj.contains_key("address") {
        if let Some(Value::Object(parts)) = obj.remove("address") {
            for (k, v) in &parts {
                if k != "value" {
                    obj.insert(format!("address_{k}"), v.clone());
                }
            }
            obj.insert(
                "address".into(),
                parts.get("value").cloned().unwrap_or(Value::Null),
            );
        }
        if let Some(owner) = obj.get("owner_id").and_then(Value::as_i64) {
            obj.insert("owner_id".into(), json!({"id": owner, "value": owner}));
        }
    }
    if let Some(Value::Object(custom)) = obj.remove("custom_fields") {
        obj.extend(custom);
    }
    record
}

/// The users who may see a row: its owner, and the admin (user 1) who sees everything.
pub fn permitted_users(store: &Store, spec: &'static EntitySpec, ctx: &Ctx) -> ApiResult<Answer> {
    // leads are keyed by uuid: the row by its key as the path writes it
    let id = ctx.row_id(spec)?;
    let row = store
        .collection(spec.name)
        .get(&id)
        .ok_or_else(|| super::not_found::not_found(spec))?;
    let owner = row.value()["owner_id"].as_i64();
    let mut users = vec![1];
    users.extend(owner.filter(|&o| o != 1));
    Ok(Answer::data(&json!(users)))
}

/// An organization's relationships as seen from it: what the other organization is to it (a
/// parent's daughter, a daughter's parent, or related) and its name.
pub fn org_relationships(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let version = ctx.version();
    let org = ctx
        .query
        .int(version, "org_id")?
        .ok_or_else(|| ApiError::invalid(version, "org_id: is required"))?;
    must_exist(store, entity("organizations"), org)?;
    let spec = entity("organizationRelationships");
    let rows: Vec<Value> = store
        .collection(spec.name)
        .rows()
        .filter_map(|r| {
            let (owner, linked) = (
                r.attr(spec, "owner_org_id").as_int()?,
                r.attr(spec, "linked_org_id").as_int()?,
            );
            let mut v = r.value();
            let kind = v["type"].as_str().unwrap_or("related").to_string();
            let (related, seen_as, side) = match (org == owner, org == linked) {
                (true, _) if kind == "parent" => (linked, "daughter", "rel_linked_org_id"),
                (true, _) => (linked, "related", "rel_linked_org_id"),
                (false, true) if kind == "parent" => (owner, "parent", "rel_owner_org_id"),
                (false, true) => (owner, "related", "rel_owner_org_id"),
                _ => return None,
            };
            let name = v[side]["name"].clone();
            if let Value::Object(m) = &mut v {
                m.remove("owner_org_id");
                m.remove("linked_org_id");
                m.insert("calculated_type".into(), json!(seen_as));
                m.insert("calculated_related_org_id".into(), json!(related));
                m.insert("related_organization_name".into(), name);
            }
            Some(v)
        })
        .collect();
    let rows = match rows.is_empty() {
        true => "null".to_string(),
        false => Value::Array(rows).to_string(),
    };
    Ok(Answer::ok(v1_page(rows, false, 0, 100, true, json!({}))))
}

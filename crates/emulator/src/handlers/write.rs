//! Creating, updating and deleting rows. Bodies are checked before anything changes: required
//! fields, types (against a generated record of the same entity), relations and custom fields.

use super::answer::Answer;
use super::not_found::{not_found, parent_must_exist};
use super::request::Ctx;
use super::row_names::singular;
use super::shaping::shaping;
use crate::custom_fields::check_custom_values;
use crate::dice::Dice;
use crate::entities::{entity, ApiVersion, EntitySpec, IdKind};
use crate::error::{ApiError, ApiResult};
use crate::seed::records::{Gen, STAGES};
use crate::seed::{mail, related};
use crate::store::{Row, Scalar, Store};
use crate::timefmt;
use axum::http::StatusCode;
use serde_json::{json, Map, Value};

/// Attributes that point at other collections; a write naming a missing row is refused.
const RELATIONS: &[(&str, &str)] = &[
    ("person_id", "persons"),
    ("org_id", "organizations"),
    ("organization_id", "organizations"),
    ("owner_id", "users"),
    ("user_id", "users"),
    ("creator_user_id", "users"),
    ("pipeline_id", "pipelines"),
    ("stage_id", "stages"),
    ("deal_id", "deals"),
    ("product_id", "products"),
];

/// Attributes the server owns; writes to them are ignored.
const SERVER_OWNED: &[&str] = &[
    "id",
    "add_time",
    "update_time",
    "created",
    "modified",
    "is_deleted",
];

/// Starting values of a new row where an empty value would be wrong.
fn defaults(name: &str) -> Value {
    match name {
        "deals" => {
            json!({"status": "open", "currency": "EUR", "value": 0, "visible_to": 3, "origin": "API", "is_archived": false})
        }
        "persons" | "organizations" => json!({"visible_to": 3}),
        "products" => {
            json!({"visible_to": 3, "is_linkable": true, "billing_frequency": "one-time", "prices": []})
        }
        "activities" => json!({"type": "task", "busy": true, "done": false}),
        "projects" => json!({"status": "open", "board_id": 1, "phase_id": 1}),
        "stages" => json!({"order_nr": 1, "deal_probability": 100}),
        "pipelines" => json!({"order_nr": 1, "is_deal_probability_enabled": false}),
        "users" => {
            json!({"activated": true, "active_flag": true, "default_currency": "EUR", "locale": "en_US", "lang": 1,
                          "timezone_name": "Europe/Tallinn", "timezone_offset": "+02:00", "role_id": 1})
        }
        "notes" => json!({"active_flag": true}),
        "leads" => json!({"source_name": "API", "origin": "API", "visible_to": "3"}),
        "activityTypes" => json!({"active_flag": true, "is_custom_flag": true, "color": null}),
        "filters" => json!({"active_flag": true, "is_editable": true, "visible_to": "1"}),
        "roles" => {
            json!({"active_flag": true, "assignment_count": "0", "sub_role_count": "0", "level": 1})
        }
        "webhooks" => {
            json!({"version": "2.0", "is_active": 1, "type": "general", "company_id": 1, "admin_id": 1})
        }
        "goals" => json!({"is_active": true, "report_ids": []}),
        "dealProducts" => {
            json!({"discount": 0, "discount_type": "percentage", "tax": 0, "tax_method": "inclusive",
                                 "is_enabled": true, "currency": "EUR", "billing_frequency": "one-time", "order_nr": 1})
        }
        "dealParticipants" => json!({"active_flag": true, "related_item_type": "deal"}),
        _ => json!({}),
    }
}

/// A generated record of the entity: its keys are the entity's shape, its values their types.
fn sample(store: &Store, spec: &EntitySpec) -> Map<String, Value> {
    let mut gen = Gen::new(
        Dice::new(0),
        crate::custom_fields::RefCounts {
            users: 1,
            organizations: 1,
            persons: 1,
        },
        Default::default(),
    );
    let template = related::template(spec.name).or_else(|| mail::template(spec.name));
    let v = match (template, spec.parent) {
        (Some(template), _) => template,
        (None, Some(_)) => gen.child(store, spec.name, 1, 1),
        (None, None) => gen.record(store, spec.name, 1),
    };
    let mut shape = match v {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    if spec.name == "deals" {
        // set when a deal is archived
        shape.insert("archive_time".into(), Value::Null);
    }
    shape
}

fn blank(value: &Value) -> Value {
    match value {
        Value::Bool(_) => Value::Bool(false),
        Value::Array(_) => json!([]),
        _ => Value::Null,
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Applies a request body to `record`, checking each value.
fn apply_body(
    store: &Store,
    spec: &EntitySpec,
    version: ApiVersion,
    shape: &Map<String, Value>,
    record: &mut Map<String, Value>,
    body: &Map<String, Value>,
) -> ApiResult<()> {
    for (key, value) in body {
        if key == "custom_fields" && spec.custom_fields.is_some() {
            let defs: Vec<_> = store.custom_fields_of(spec).collect();
            let obj = value
                .as_object()
                .ok_or_else(|| ApiError::invalid(version, "custom_fields: must be object"))?;
            let checked =
                check_custom_values(&defs, obj).map_err(|m| ApiError::invalid(version, m))?;
            let target = record.entry("custom_fields").or_insert_with(|| json!({}));
            if let Some(t) = target.as_object_mut() {
                t.extend(checked);
            }
            continue;
        }
        if SERVER_OWNED.contains(&key.as_str()) {
            continue;
        }
        let Some(example) = shape.get(key) else {
            if version == ApiVersion::V2 {
                return Err(ApiError::invalid(
                    version,
                    format!("body: must NOT have additional property '{key}'"),
                ));
            }
            continue; // v1 ignores what it does not know
        };
        let looks_right = value.is_null()
            || example.is_null()
            || kind_of(value) == kind_of(example)
            // v1 relation objects are written as plain ids
            || (example.is_object() && value.is_number());
        if !looks_right {
            return Err(ApiError::invalid(
                version,
                format!(
                    "{key}: must be {} (got {})",
                    kind_of(example),
                    kind_of(value)
                ),
            ));
        }
        if let Some((_, target)) = RELATIONS.iter().find(|(k, _)| k == key) {
            if let Some(id) = value.as_i64() {
                if !store.exists(target, id) {
                    return Err(ApiError::invalid(
                        version,
                        format!(
                            "{key}: {} {id} does not exist",
                            singular(target).to_lowercase()
                        ),
                    ));
                }
            }
        }
        let value = match (spec.attr_kind(key), value.as_str()) {
            (Some(crate::entities::AttrKind::Time), Some(text)) => {
                let ts = timefmt::parse(text).ok_or_else(|| {
                    ApiError::invalid(version, format!("{key}: '{text}' is not a date-time"))
                })?;
                json!(timefmt::format(ts, spec.time_format))
            }
            _ => value.clone(),
        };
        record.insert(key.clone(), value);
    }
    Ok(())
}

fn stamp(spec: &EntitySpec, record: &mut Map<String, Value>, created: bool) {
    let now = timefmt::format(timefmt::now(), spec.time_format);
    if let Some(key) = spec.update_time {
        record.insert(key.to_string(), json!(now));
    }
    // lists that came later name their times as they do (a discount's `updated_at`)
    for key in ["update_time", "updated_at"] {
        if spec.update_time.is_none() && record.contains_key(key) {
            record.insert(key.to_string(), json!(now));
        }
    }
    if created {
        for key in ["add_time", "created", "created_at"] {
            if record.contains_key(key) {
                record.insert(key.to_string(), json!(now));
            }
        }
    }
}

/// The `name` of row `id` of a collection (null when there is none).
fn name_of(store: &Store, collection: &str, id: i64) -> Value {
    store
        .collection(collection)
        .get(&id.to_string())
        .map(|r| r.value()["name"].clone())
        .unwrap_or(Value::Null)
}

/// Keeps derived attributes true after a write.
fn derive(
    store: &Store,
    spec: &EntitySpec,
    record: &mut Map<String, Value>,
    before: Option<&Map<String, Value>>,
) -> ApiResult<()> {
    let now = timefmt::format(timefmt::now(), spec.time_format);
    match spec.name {
        "organizationRelationships" => relationship_sides(store, spec, record)?,
        "deals" => {
            let stage = record.get("stage_id").and_then(Value::as_i64);
            let pipeline = record
                .get("pipeline_id")
                .and_then(Value::as_i64)
                .unwrap_or(1);
            match stage {
                Some(s) => {
                    let row = store
                        .collection("stages")
                        .get(&s.to_string())
                        .map(|r| r.value());
                    if let Some(p) = row
                        .as_ref()
                        .and_then(|r| r.get("pipeline_id"))
                        .and_then(Value::as_i64)
                    {
                        record.insert("pipeline_id".into(), json!(p));
                    }
                }
                None => {
                    let first = (pipeline - 1) * STAGES.len() as i64 + 1;
                    record.insert("pipeline_id".into(), json!(pipeline));
                    record.insert("stage_id".into(), json!(first));
                }
            }
            let status = record
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or("open")
                .to_string();
            if !["open", "won", "lost"].contains(&status.as_str()) {
                return Err(ApiError::invalid(
                    spec.version,
                    "status: must be equal to one of the allowed values: open, won, lost",
                ));
            }
            let old_status = before.and_then(|b| b.get("status")).and_then(Value::as_str);
            if old_status != Some(status.as_str()) {
                let at = |yes: bool| if yes { json!(now) } else { Value::Null };
                record.insert("won_time".into(), at(status == "won"));
                record.insert("lost_time".into(), at(status == "lost"));
                record.insert("close_time".into(), at(status != "open"));
            }
            if before.and_then(|b| b.get("stage_id")) != record.get("stage_id") {
                record.insert("stage_change_time".into(), json!(now));
            }
            let archived = record.get("is_archived") == Some(&json!(true));
            if before.and_then(|b| b.get("is_archived")) != record.get("is_archived") {
                let at = if archived { json!(now) } else { Value::Null };
                record.insert("archive_time".into(), at);
            }
        }
        "tasks" => {
            let done = |r: Option<&Map<String, Value>>| {
                r.and_then(|r| r.get("done")).and_then(Value::as_i64) == Some(1)
            };
            if done(Some(record)) != done(before) {
                let at = if done(Some(record)) {
                    json!(now)
                } else {
                    Value::Null
                };
                record.insert("marked_as_done_time".into(), at);
            }
        }
        "mailThreads" => {
            for flag in ["shared_flag", "read_flag", "archived_flag"] {
                if !matches!(record.get(flag).and_then(Value::as_i64), Some(0 | 1)) {
                    return Err(ApiError::invalid(
                        spec.version,
                        format!("{flag}: must be 0 or 1"),
                    ));
                }
            }
            // an empty lead_id (as forms send it) unlinks the lead
            if record.get("lead_id") == Some(&json!("")) {
                record.insert("lead_id".into(), Value::Null);
            }
            if let Some(lead) = record.get("lead_id").and_then(Value::as_str) {
                if store.collection("leads").get(lead).is_none() {
                    return Err(ApiError::invalid(
                        spec.version,
                        format!("lead_id: lead {lead} does not exist"),
                    ));
                }
            }
            let deal = record.get("deal_id").and_then(Value::as_i64);
            let status = deal
                .and_then(|d| store.collection("deals").get(&d.to_string()))
                .map(|r| r.value()["status"].clone());
            record.insert("deal_status".into(), status.unwrap_or(Value::Null));
            // archiving moves the thread to the archive; bringing it back, to the inbox
            let archived = record.get("archived_flag").and_then(Value::as_i64) == Some(1);
            let was = before.and_then(|b| b.get("archived_flag")) == Some(&json!(1));
            if archived != was {
                let folder = if archived { "archive" } else { "inbox" };
                record.insert("folders".into(), json!([folder]));
            }
        }
        "persons" => {
            let first = record
                .get("first_name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let last = record
                .get("last_name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            if record.get("name").is_none_or(Value::is_null)
                && !(first.is_empty() && last.is_empty())
            {
                record.insert("name".into(), json!(format!("{first} {last}").trim()));
            }
        }
        "dealProducts" => {
            let price = record
                .get("item_price")
                .and_then(Value::as_f64)
                .unwrap_or(0.0);
            let qty = record
                .get("quantity")
                .and_then(Value::as_f64)
                .unwrap_or(0.0);
            let discount = record
                .get("discount")
                .and_then(Value::as_f64)
                .unwrap_or(0.0);
            let gross = price * qty;
            let sum = match record.get("discount_type").and_then(Value::as_str) {
                Some("amount") => gross - discount,
                _ => gross * (1.0 - discount / 100.0),
            };
            record.insert("sum".into(), json!(sum));
            if let Some(p) = record.get("product_id").and_then(Value::as_i64) {
                let name = name_of(store, "products", p);
                record.insert("name".into(), name);
            }
        }
        "dealParticipants" => {
            if let Some(p) = record.get("person_id").and_then(Value::as_i64) {
                let name = name_of(store, "persons", p);
                record.insert("person_id".into(), json!({"value": p, "name": name, "active_flag": true, "email": [], "phone": []}));
                record.insert(
                    "person".into(),
                    json!({"id": p, "name": name, "active_flag": true}),
                );
            }
        }
        "users" => {
            if record.get("name").is_none_or(Value::is_null) {
                let email = record.get("email").cloned().unwrap_or(Value::Null);
                record.insert("name".into(), email);
            }
        }
        _ => {}
    }
    Ok(())
}

pub fn create(
    store: &mut Store,
    dice: &mut Dice,
    spec: &'static EntitySpec,
    ctx: &Ctx,
) -> ApiResult<Answer> {
    let version = ctx.version();
    let body = ctx.body_object()?;
    for field in spec.required {
        if body.get(*field).is_none_or(Value::is_null) {
            return Err(match version {
                ApiVersion::V2 => ApiError::invalid(
                    version,
                    format!("body: must have required property '{field}'"),
                ),
                ApiVersion::V1 => ApiError::invalid(version, format!("\"{field}\" is required.")),
            });
        }
    }
    let parent = ctx.parent_id()?;
    if let Some(p) = parent {
        parent_must_exist(store, spec, p)?;
    }
    let row = insert_record(store, dice, spec, version, parent, body, ctx.user_id)?;
    let status = if ctx.route.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(Answer::with_status(status, shaped(store, spec, ctx, &row)?))
}

/// The answer to a write: the row as the request's version and parameters show it.
fn shaped(store: &Store, spec: &EntitySpec, ctx: &Ctx, row: &Row) -> ApiResult<String> {
    let data = match shaping(store, spec, ctx)? {
        Some(rewrite) => rewrite(row.value()).to_string(),
        None => row.json.to_string(),
    };
    Ok(format!(r#"{{"success":true,"data":{data}}}"#))
}

/// A new row of `spec` from a request body (checked), with its id, owner and times.
pub fn insert_record(
    store: &mut Store,
    dice: &mut Dice,
    spec: &'static EntitySpec,
    version: ApiVersion,
    parent: Option<i64>,
    body: &Map<String, Value>,
    user_id: i64,
) -> ApiResult<crate::store::Row> {
    let shape = sample(store, spec);
    let mut record: Map<String, Value> = shape.iter().map(|(k, v)| (k.clone(), blank(v))).collect();
    if let Some(Value::Object(custom)) = shape.get("custom_fields") {
        record.insert(
            "custom_fields".into(),
            Value::Object(custom.keys().map(|k| (k.clone(), Value::Null)).collect()),
        );
    }
    if let Value::Object(d) = defaults(spec.name) {
        record.extend(d);
    }
    if let (Some(p), Some((_, attr))) = (parent, spec.parent) {
        record.insert(attr.into(), json!(p));
    }
    if spec.is_followers() {
        let user = body
            .get("user_id")
            .and_then(Value::as_i64)
            .unwrap_or_default();
        if follower(store, spec, parent.unwrap_or_default(), user).is_some() {
            return Err(ApiError::invalid(
                version,
                format!("user_id: user {user} already follows this row"),
            ));
        }
    }
    apply_body(store, spec, version, &shape, &mut record, body)?;
    let id = match spec.id {
        IdKind::Int => json!(store.collection(spec.name).next_int_id()),
        IdKind::Uuid => json!(dice.uuid()),
    };
    record.insert("id".into(), id);
    for key in ["owner_id", "creator_id"] {
        if record.get(key).is_some_and(Value::is_null) {
            record.insert(key.into(), json!(user_id));
        }
    }
    if spec.name == "notes" || spec.name == "filters" {
        record.insert("user_id".into(), json!(user_id));
    }
    stamp(spec, &mut record, true);
    related::complete(spec.name, &mut record);
    derive(store, spec, &mut record, None)?;
    Ok(store.collection_mut(spec.name).insert(record))
}

pub fn update(store: &mut Store, spec: &'static EntitySpec, ctx: &Ctx) -> ApiResult<Answer> {
    let version = ctx.version();
    let body = ctx.body_object()?;
    let id = ctx.row_id(spec)?;
    let row = store
        .collection(spec.name)
        .get(&id)
        .ok_or_else(|| not_found(spec))?;
    if let (Some(p), Some((_, attr))) = (ctx.parent_id()?, spec.parent) {
        if row.attr(spec, attr) != Scalar::Int(p) {
            return Err(not_found(spec));
        }
    }
    let Value::Object(before) = row.value() else {
        return Err(ApiError::internal());
    };
    let shape = sample(store, spec);
    let mut record = before.clone();
    apply_body(store, spec, version, &shape, &mut record, body)?;
    stamp(spec, &mut record, false);
    derive(store, spec, &mut record, Some(&before))?;
    let row = store
        .collection_mut(spec.name)
        .replace(&id, record)
        .ok_or_else(|| not_found(spec))?;
    Ok(Answer::ok(shaped(store, spec, ctx, &row)?))
}

/// The row saying that `user` follows row `followed` (followers are one per user and row).
fn follower<'a>(store: &'a Store, spec: &EntitySpec, followed: i64, user: i64) -> Option<&'a Row> {
    let (_, attr) = spec.parent.expect("followers hang under a row");
    store.collection(spec.name).rows().find(|r| {
        r.attr(spec, attr) == Scalar::Int(followed) && r.attr(spec, "user_id") == Scalar::Int(user)
    })
}

pub fn delete(store: &mut Store, spec: &'static EntitySpec, ctx: &Ctx) -> ApiResult<Answer> {
    let version = ctx.version();
    let parent = ctx.parent_id()?;
    let id = if spec.is_followers() && version == ApiVersion::V2 {
        // v2 addresses a follower by its user id
        let user: i64 = ctx.row_id(spec)?.parse().unwrap_or_default();
        follower(store, spec, parent.unwrap_or_default(), user)
            .map(|r| r.id_text())
            .ok_or_else(|| not_found(spec))?
    } else {
        ctx.row_id(spec)?
    };
    let row = store
        .collection(spec.name)
        .get(&id)
        .ok_or_else(|| not_found(spec))?
        .clone();
    if let (Some(p), Some((_, attr))) = (parent, spec.parent) {
        if row.attr(spec, attr) != Scalar::Int(p) {
            return Err(not_found(spec));
        }
    }
    if spec.soft_delete {
        if row.attr(spec, "is_deleted") == Scalar::Bool(true) {
            return Err(not_found(spec));
        }
        let Value::Object(mut record) = row.value() else {
            return Err(ApiError::internal());
        };
        record.insert("is_deleted".into(), json!(true));
        stamp(spec, &mut record, false);
        store.collection_mut(spec.name).replace(&id, record);
    } else {
        store.collection_mut(spec.name).remove(&id);
    }
    let answer_id = if spec.is_followers() && version == ApiVersion::V2 {
        row.attr(spec, "user_id").to_json()
    } else {
        row.id.to_json()
    };
    // each v1 endpoint has its own way of saying "deleted"
    let body = match spec.name {
        "notes" | "noteComments" => r#"{"success":true,"data":true}"#.to_string(),
        "callLogs" | "goals" => r#"{"success":true}"#.to_string(),
        "webhooks" => r#"{"success":true,"status":"ok"}"#.to_string(),
        "activityTypes" => format!(r#"{{"success":true,"data":{}}}"#, row.json),
        _ => json!({"success": true, "data": {"id": answer_id}}).to_string(),
    };
    Ok(Answer::ok(body))
}

/// `DELETE /filters?ids=` (v1, ids required) and `DELETE /deals/{id}/products[?ids=]` (v2: without
/// ids, the deal's first 100 attachments).
pub fn bulk_delete(store: &mut Store, spec: &'static EntitySpec, ctx: &Ctx) -> ApiResult<Answer> {
    const MAX: usize = 100;
    let version = ctx.version();
    let mut ids: Vec<String> = ctx
        .query
        .list("ids")
        .into_iter()
        .map(String::from)
        .collect();
    if ids.len() > MAX {
        return Err(ApiError::invalid(
            version,
            format!("ids: at most {MAX} ids are allowed"),
        ));
    }
    let parent = ctx.parent_id()?;
    let coll = store.collection(spec.name);
    let mut more = false;
    match (parent, spec.parent) {
        (Some(p), Some((_, attr))) => {
            parent_must_exist(store, spec, p)?;
            let owned = |r: &crate::store::Row| *r.attr_ref(spec, attr) == Scalar::Int(p);
            if ids.is_empty() {
                let all: Vec<String> = coll
                    .rows()
                    .filter(|r| owned(r))
                    .map(|r| r.id_text())
                    .collect();
                more = all.len() > MAX;
                ids = all.into_iter().take(MAX).collect();
            } else if let Some(stray) = ids.iter().find(|id| !coll.get(id).is_some_and(owned)) {
                return Err(ApiError::invalid(
                    version,
                    format!(
                        "ids: {} {stray} is not attached to this deal",
                        singular(spec.name)
                    ),
                ));
            }
        }
        _ if ids.is_empty() => return Err(ApiError::invalid(version, "\"ids\" is required.")),
        _ => {
            if let Some(missing) = ids.iter().find(|id| coll.get(id).is_none()) {
                return Err(ApiError::invalid(
                    version,
                    format!("{} {missing} not found", singular(spec.name)),
                ));
            }
        }
    }
    let removed: Vec<Value> = ids
        .iter()
        .filter_map(|id| store.collection_mut(spec.name).remove(id))
        .map(|row| row.id.to_json())
        .collect();
    Ok(Answer::ok(match version {
        ApiVersion::V2 => json!({"success": true, "data": {"ids": removed}, "additional_data": {"more_items_in_collection": more}}),
        ApiVersion::V1 => json!({"success": true, "data": {"id": removed}}),
    }
    .to_string()))
}

/// Rewrites every row of an entity (a custom field was added or removed).
pub fn rewrite_all(store: &mut Store, name: &str, f: impl Fn(&mut Map<String, Value>)) {
    let ids: Vec<String> = store.collection(name).rows().map(|r| r.id_text()).collect();
    let spec = entity(name);
    for id in ids {
        let Some(Value::Object(mut record)) =
            store.collection(spec.name).get(&id).map(|r| r.value())
        else {
            continue;
        };
        f(&mut record);
        store.collection_mut(name).replace(&id, record);
    }
}

/// A relationship written with the keys of its organizations keeps them (what lists filter
/// by) and shows each organization as the API does; `org_id`, the side a request reads it
/// from, is not kept.
fn relationship_sides(
    store: &Store,
    spec: &EntitySpec,
    record: &mut Map<String, Value>,
) -> ApiResult<()> {
    let version = spec.version;
    record.remove("org_id");
    if !matches!(
        record.get("type").and_then(Value::as_str),
        Some("parent" | "related")
    ) {
        return Err(ApiError::invalid(
            version,
            "type: must be parent or related",
        ));
    }
    for (side, key) in [
        ("rel_owner_org_id", "owner_org_id"),
        ("rel_linked_org_id", "linked_org_id"),
    ] {
        let Some(id) = record.get(side).and_then(Value::as_i64) else {
            continue;
        };
        let org = store
            .collection("organizations")
            .get(&id.to_string())
            .map(|r| r.value())
            .ok_or_else(|| {
                ApiError::invalid(version, format!("{side}: organization {id} does not exist"))
            })?;
        record.insert(key.into(), json!(id));
        record.insert(side.into(), crate::seed::related::org_summary(&org));
    }
    Ok(())
}

//! What happened to a record, told from what the sandbox keeps: the changes of its field
//! values (its creation, then its last update), its flow (those changes with the notes and
//! activities attached to it, newest first), who was added as participant or follower; a
//! project's groups and plan.

use super::answer::Answer;
use super::computed::{cursor_page, offset_page, Rows};
use super::not_found::must_exist;
use super::request::Ctx;
use super::special::v1_view;
use crate::entities::{entity, ApiVersion, EntitySpec, TimeFormat};
use crate::error::ApiResult;
use crate::store::{Row, Scalar, Store};
use crate::timefmt;
use serde_json::{json, Value};

/// The record the path names (`/deals/{id}/...`) and its owner.
fn record(store: &Store, name: &str, ctx: &Ctx) -> ApiResult<(i64, Value)> {
    let id = ctx.parent_id()?.unwrap_or_default();
    let row = must_exist(store, entity(name), id)?;
    Ok((id, row.value()))
}

/// A time of a record in the answer's style (v1: `YYYY-MM-DD HH:MM:SS`, v2: RFC 3339).
fn time(v: &Value, version: ApiVersion) -> Option<String> {
    let style = match version {
        ApiVersion::V1 => TimeFormat::Space,
        ApiVersion::V2 => TimeFormat::Rfc3339,
    };
    timefmt::parse(v.as_str()?).map(|t| timefmt::format(t, style))
}

/// The field a record is known by: its title or its name.
fn label_key(record: &Value) -> &'static str {
    if record.get("title").is_some() {
        "title"
    } else {
        "name"
    }
}

/// The changes of a record's values, newest first: its label set when it was added, its owner
/// set at its last update.
fn changes(record: &Value, version: ApiVersion) -> Vec<(String, &'static str, Value)> {
    let mut out = vec![];
    let key = label_key(record);
    if let Some(at) = time(&record["add_time"], version) {
        out.push((at, key, record[key].clone()));
    }
    match (
        time(&record["update_time"], version),
        time(&record["add_time"], version),
    ) {
        (Some(at), Some(added)) if at != added => {
            out.push((at, "owner_id", record["owner_id"].clone()))
        }
        _ => {}
    }
    out.sort_by(|a, b| b.0.cmp(&a.0));
    out
}

fn text(v: &Value) -> Value {
    match v {
        Value::Null | Value::String(_) => v.clone(),
        other => Value::from(other.to_string()),
    }
}

/// `GET /{collection}/{id}/changelog`: v1 one change a row, v2 (projects) the old and new
/// values of each change.
pub fn changelog(store: &Store, name: &str, ctx: &Ctx) -> ApiResult<Answer> {
    let version = ctx.version();
    let (_, r) = record(store, name, ctx)?;
    let items: Vec<Value> = changes(&r, version)
        .into_iter()
        .map(|(at, key, new)| match version {
            ApiVersion::V1 => json!({
                "field_key": key, "old_value": null, "new_value": text(&new),
                "actor_user_id": r["owner_id"], "time": at, "change_source": "app",
                "change_source_user_agent": "Sandbox", "is_bulk_update_flag": false,
            }),
            ApiVersion::V2 => json!({
                "time": at, "actor_user_id": r["owner_id"], "change_source": "app",
                "change_source_user_agent": "Sandbox", "old_values": {key: null}, "new_values": {key: new},
            }),
        })
        .collect();
    cursor_page(ctx, items, Rows::Data)
}

/// `GET /{collection}/{id}/flow`: the record's changes and the notes and activities attached
/// to it (by `attr`), newest first.
pub fn flow(store: &Store, name: &str, ctx: &Ctx) -> ApiResult<Answer> {
    let (id, r) = record(store, name, ctx)?;
    let attr = match name {
        "deals" => "deal_id",
        "persons" => "person_id",
        _ => "org_id",
    };
    let object = match name {
        "deals" => "dealChange",
        "persons" => "personChange",
        _ => "organizationChange",
    };
    let mut events: Vec<(String, Value)> = changes(&r, ApiVersion::V1)
        .into_iter()
        .map(|(at, key, new)| {
            let data = json!({"item_id": id, "user_id": r["owner_id"], "field_key": key,
                "old_value": null, "new_value": new, "log_time": at, "additional_data": {}});
            (
                at.clone(),
                json!({"object": object, "timestamp": at, "data": data}),
            )
        })
        .collect();
    for (collection, object) in [("notes", "note"), ("activities", "activity")] {
        let spec = entity(collection);
        for row in store
            .collection(collection)
            .rows()
            .filter(|row| row.attr(spec, attr) == Scalar::Int(id))
        {
            let at = row
                .attr(spec, "update_time")
                .as_int()
                .map(|t| timefmt::format(t, TimeFormat::Space))
                .unwrap_or_default();
            let event = json!({"object": object, "timestamp": at, "data": v1_view(row.value())});
            events.push((at, event));
        }
    }
    events.sort_by(|a, b| b.0.cmp(&a.0));
    let events: Vec<Value> = events.into_iter().map(|(_, e)| e).collect();
    offset_page(ctx, &events, false, Value::clone, |_| json!({}))
}

/// The rows of `collection` under the record the path names, oldest first.
fn under<'a>(store: &'a Store, collection: &str, ctx: &Ctx) -> ApiResult<(Value, Vec<&'a Row>)> {
    let spec: &EntitySpec = entity(collection);
    let (parent, attr) = spec.parent.expect("a child collection");
    let (id, r) = record(store, parent, ctx)?;
    let mut rows: Vec<&Row> = store
        .collection(collection)
        .rows()
        .filter(|row| row.attr(spec, attr) == Scalar::Int(id))
        .collect();
    rows.sort_by_key(|row| row.attr(spec, "add_time").as_int());
    Ok((r, rows))
}

/// `GET /projects/{id}/groups`: every project arranges its work in the same two groups.
pub fn project_groups(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    record(store, "projects", ctx)?;
    Ok(Answer::data(&json!([
        {"id": 1, "name": "Preparation", "order_nr": 1},
        {"id": 2, "name": "Delivery", "order_nr": 2},
    ])))
}

/// `GET /projects/{id}/plan`: each task of the project in the project's phase, the first
/// half of them in the first group.
pub fn project_plan(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let (id, project) = record(store, "projects", ctx)?;
    let spec = entity("tasks");
    let tasks: Vec<&Row> = store
        .collection("tasks")
        .rows()
        .filter(|row| row.attr(spec, "project_id") == Scalar::Int(id))
        .collect();
    let plan: Vec<Value> = tasks
        .iter()
        .enumerate()
        .map(|(i, task)| {
            json!({"item_id": task.id.to_json(), "item_type": "task", "phase_id": project["phase_id"],
                   "group_id": if i < tasks.len().div_ceil(2) { 1 } else { 2 }})
        })
        .collect();
    Ok(Answer::data(&json!(plan)))
}

/// `GET /deals/{id}/participantsChangelog`: each participant added, by the deal's owner.
pub fn participants_changelog(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let (deal, rows) = under(store, "dealParticipants", ctx)?;
    let items: Vec<Value> = rows
        .iter()
        .map(|row| {
            let p = row.value();
            // participants keep their person as an object; the changelog names it by id
            let person = match &p["person_id"] {
                Value::Object(o) => o.get("value").cloned().unwrap_or(Value::Null),
                other => other.clone(),
            };
            json!({"actor_user_id": deal["owner_id"], "person_id": person, "action": "added",
                   "time": time(&p["add_time"], ApiVersion::V1)})
        })
        .collect();
    offset_page(ctx, &items, false, Value::clone, |_| json!({}))
}

/// `GET /{collection}/{id}/followers/changelog`: each follower added, by the record's owner.
pub fn followers_changelog(store: &Store, followers: &str, ctx: &Ctx) -> ApiResult<Answer> {
    let (r, rows) = under(store, followers, ctx)?;
    let items: Vec<Value> = rows
        .iter()
        .map(|row| {
            let f = row.value();
            json!({"action": "added", "actor_user_id": r["owner_id"], "follower_user_id": f["user_id"],
                   "time": time(&f["add_time"], ApiVersion::V2)})
        })
        .collect();
    cursor_page(ctx, items, Rows::Data)
}

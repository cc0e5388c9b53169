//! The mailbox (API v1): the threads of a folder, a thread's messages, one message, the mail of
//! a deal, a person or an organization, and deleting a thread.

use super::answer::Answer;
use super::computed::offset_page;
use super::not_found::{must_exist, not_found};
use super::request::Ctx;
use super::v1_shapes::space;
use crate::entities::{entity, ApiVersion, EntitySpec, TimeFormat};
use crate::error::{ApiError, ApiResult};
use crate::seed::mail::FOLDERS;
use crate::store::{Row, Scalar, Slot, Store};
use crate::timefmt;
use serde_json::{json, Value};

/// The envelope of the mail service's answers about one thread or message.
fn mail_service(data: Value) -> Answer {
    Answer::ok(
        json!({"success": true, "statusCode": 2000, "statusText": "Success", "service": "email-api", "data": data})
            .to_string(),
    )
}

/// Whether the request asks for the messages' bodies (`include_body=1`).
fn include_body(ctx: &Ctx) -> ApiResult<bool> {
    match ctx.query.get("include_body") {
        None | Some("" | "0") => Ok(false),
        Some("1") => Ok(true),
        Some(other) => Err(ApiError::invalid(
            ApiVersion::V1,
            format!("include_body: must be 0 or 1 (got '{other}')"),
        )),
    }
}

/// A message as the API shows it: with its body only when asked for.
fn shown(row: &Row, body: bool) -> Value {
    let mut v = row.value();
    if let (false, Some(o)) = (body, v.as_object_mut()) {
        o.shift_remove("body");
    }
    v
}

/// Whether a thread or message is not deleted (both keep a `deleted_flag`).
fn live(spec: &EntitySpec) -> impl Fn(&&Row) -> bool {
    let slot = Slot::of(spec, "deleted_flag");
    move |row| *row.at(slot) != Scalar::Int(1)
}

/// `GET /mailbox/mailThreads?folder=`: the folder's threads, the latest message first.
pub fn threads(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let v = ApiVersion::V1;
    let folder = ctx
        .query
        .get("folder")
        .filter(|f| !f.is_empty())
        .ok_or_else(|| ApiError::invalid(v, "folder: is required"))?;
    if !FOLDERS.contains(&folder) {
        return Err(ApiError::invalid(
            v,
            format!(
                "folder: must be equal to one of the allowed values: {} (got '{folder}')",
                FOLDERS.join(", ")
            ),
        ));
    }
    let spec = entity("mailThreads");
    let coll = store.collection(spec.name);
    let sorted = coll.ordered_by(Slot::of(spec, "last_message_timestamp"));
    let rows: Vec<&Row> = sorted
        .iter()
        .rev()
        .filter_map(|(_, seq)| coll.by_seq(*seq))
        .filter(live(spec))
        .filter(|r| {
            r.value()["folders"]
                .as_array()
                .is_some_and(|f| f.iter().any(|x| x == folder))
        })
        .collect();
    offset_page(ctx, &rows, true, |r| r.value(), |_| json!({}))
}

/// `GET /mailbox/mailThreads/{id}/mailMessages`: every message of the thread, oldest first.
pub fn thread_messages(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let threads = entity("mailThreads");
    let id = ctx.row_id(threads)?;
    let thread = store
        .collection(threads.name)
        .get(&id)
        .ok_or_else(|| not_found(threads))?
        .id
        .clone();
    let spec = entity("mailMessages");
    let messages: Vec<Value> = store
        .collection(spec.name)
        .rows()
        .filter(|r| *r.attr_ref(spec, "mail_thread_id") == thread)
        .map(|r| shown(r, false))
        .collect();
    Ok(Answer::data(&json!(messages)))
}

/// `GET /mailbox/mailMessages/{id}`.
pub fn message(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let spec = entity("mailMessages");
    let body = include_body(ctx)?;
    let row = store
        .collection(spec.name)
        .get(&ctx.row_id(spec)?)
        .ok_or_else(|| not_found(spec))?;
    Ok(mail_service(shown(row, body)))
}

/// `GET /{deals|persons|organizations}/{id}/mailMessages`: the messages of the deal's threads,
/// or those a person or an organization is a party of; the latest first.
pub fn messages_of(store: &Store, name: &str, ctx: &Ctx) -> ApiResult<Answer> {
    let id = ctx.parent_id()?.unwrap_or_default();
    must_exist(store, entity(name), id)?;
    let body = include_body(ctx)?;
    let spec = entity("mailMessages");
    let threads = entity("mailThreads");
    let of_deal: Vec<Scalar> = store
        .collection(threads.name)
        .rows()
        .filter(|t| *t.attr_ref(threads, "deal_id") == Scalar::Int(id))
        .map(|t| t.id.clone())
        .collect();
    let key = match name {
        "persons" => "linked_person_id",
        _ => "linked_organization_id",
    };
    let party = |m: &Value| {
        ["from", "to", "cc", "bcc"].iter().any(|k| {
            m[*k]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p[key] == id))
        })
    };
    let mut found: Vec<Value> = store
        .collection(spec.name)
        .rows()
        .filter(live(spec))
        .filter(|r| name != "deals" || of_deal.contains(r.attr_ref(spec, "mail_thread_id")))
        .map(|r| shown(r, body))
        .filter(|m| name == "deals" || party(m))
        .collect();
    found.sort_by(|a, b| b["message_time"].as_str().cmp(&a["message_time"].as_str()));
    let show = |m: &Value| json!({"object": "mailMessage", "timestamp": space(&m["message_time"]), "data": m});
    offset_page(ctx, &found, true, show, |_| json!({}))
}

/// `DELETE /mailbox/mailThreads/{id}`: the thread and its messages marked deleted; they leave
/// the folders and the lists of mail.
pub fn delete_thread(store: &mut Store, ctx: &Ctx) -> ApiResult<Answer> {
    let threads = entity("mailThreads");
    let id = ctx.row_id(threads)?;
    let thread = store
        .collection(threads.name)
        .get(&id)
        .filter(live(threads))
        .ok_or_else(|| not_found(threads))?
        .id
        .clone();
    let spec = entity("mailMessages");
    let mut ids = vec![id.clone()];
    ids.extend(
        store
            .collection(spec.name)
            .rows()
            .filter(|r| *r.attr_ref(spec, "mail_thread_id") == thread)
            .map(Row::id_text),
    );
    let now = timefmt::format(timefmt::now(), TimeFormat::Millis);
    for (n, row_id) in ids.iter().enumerate() {
        let name = if n == 0 { threads.name } else { spec.name };
        let Some(mut record) = store.collection(name).get(row_id).map(Row::value) else {
            continue;
        };
        record["deleted_flag"] = json!(1);
        record["update_time"] = json!(now);
        if let Value::Object(record) = record {
            store.collection_mut(name).replace(row_id, record);
        }
    }
    Ok(mail_service(json!({"id": thread.to_json()})))
}

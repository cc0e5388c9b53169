//! API actions that are not plain row writes: merging two rows, duplicating one, converting a
//! lead to a deal and back (as conversion jobs with a status), uploading and downloading files.

use super::answer::Answer;
use super::not_found::not_found;
use super::request::Ctx;
use super::row_names::singular;
use super::write::{insert_record, rewrite_all};
use crate::dice::Dice;
use crate::entities::{entity, ApiVersion, EntitySpec};
use crate::error::{ApiError, ApiResult};
use crate::store::Store;
use crate::timefmt;
use axum::http::StatusCode;
use base64::Engine;
use serde_json::{json, Map, Value};

/// Which columns of which collections hold a key of `name` (repointed by a merge).
fn references(name: &str) -> &'static [(&'static str, &'static str)] {
    match name {
        "deals" => &[
            ("dealProducts", "deal_id"),
            ("dealParticipants", "deal_id"),
            ("dealFollowers", "deal_id"),
            ("activities", "deal_id"),
            ("notes", "deal_id"),
            ("files", "deal_id"),
        ],
        "persons" => &[
            ("deals", "person_id"),
            ("activities", "person_id"),
            ("notes", "person_id"),
            ("leads", "person_id"),
            ("dealParticipants", "person_id"),
        ],
        "organizations" => &[
            ("deals", "org_id"),
            ("persons", "org_id"),
            ("activities", "org_id"),
            ("notes", "org_id"),
            ("leads", "organization_id"),
        ],
        _ => &[],
    }
}

/// A row kept in v2's shape as a v1 action answers it: the fields both versions share.
fn v1_view(row: &Value) -> Value {
    let shared = ["id", "name", "title", "add_time", "update_time"];
    Value::Object(
        row.as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| shared.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

/// A live row of `spec` by id (a deleted one is not found).
fn live(store: &Store, spec: &'static EntitySpec, id: &str) -> ApiResult<Value> {
    let row = store
        .collection(spec.name)
        .get(id)
        .ok_or_else(|| not_found(spec))?;
    let value = row.value();
    if value.get("is_deleted") == Some(&Value::Bool(true)) {
        return Err(not_found(spec));
    }
    Ok(value)
}

/// `PUT /{deals|persons|organizations}/{id}/merge` with `merge_with_id`: the row `{id}` is
/// merged into `merge_with_id` (what referred to it now refers to the other) and removed.
pub fn merge(store: &mut Store, spec: &'static EntitySpec, ctx: &Ctx) -> ApiResult<Answer> {
    let version = ctx.version();
    let id: i64 = ctx.row_id(spec)?.parse().map_err(|_| not_found(spec))?;
    let into = ctx
        .body_object()?
        .get("merge_with_id")
        .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
        .ok_or_else(|| ApiError::invalid(version, "\"merge_with_id\" is required."))?;
    if into == id {
        return Err(ApiError::invalid(
            version,
            format!("cannot merge a {} with itself", singular(spec.name)),
        ));
    }
    live(store, spec, &id.to_string())?;
    live(store, spec, &into.to_string())?;
    for (collection, column) in references(spec.name) {
        rewrite_all(store, collection, |record| {
            if record.get(*column).and_then(Value::as_i64) == Some(id) {
                record.insert(column.to_string(), json!(into));
            }
        });
    }
    store.collection_mut(spec.name).remove(&id.to_string());
    let kept = live(store, spec, &into.to_string())?;
    Ok(Answer::data(&v1_view(&kept)))
}

/// A copy of a row with a new id (`POST /deals/{id}/duplicate`, `POST /products/{id}/duplicate`).
pub fn duplicate(
    store: &mut Store,
    dice: &mut Dice,
    spec: &'static EntitySpec,
    ctx: &Ctx,
) -> ApiResult<Answer> {
    let id = ctx.row_id(spec)?;
    let Value::Object(original) = live(store, spec, &id)? else {
        return Err(ApiError::internal());
    };
    let server_owned = ["id", "add_time", "update_time", "is_deleted"];
    let body: Map<String, Value> = original
        .into_iter()
        .filter(|(k, v)| !server_owned.contains(&k.as_str()) && !v.is_null())
        .collect();
    let row = insert_record(store, dice, spec, spec.version, None, &body, ctx.user_id)?;
    if ctx.version() != spec.version {
        return Ok(Answer::data(&v1_view(&row.value())));
    }
    Ok(Answer::with_status(
        StatusCode::CREATED,
        format!(r#"{{"success":true,"data":{}}}"#, row.json),
    ))
}

/// `POST /leads/{id}/convert/deal` or `POST /deals/{id}/convert/lead`: the new row is made at
/// once and the source removed; the answer is the conversion job, whose status says
/// `completed` with the new row's id.
pub fn convert(
    store: &mut Store,
    dice: &mut Dice,
    from: &'static str,
    ctx: &Ctx,
) -> ApiResult<Answer> {
    let spec = entity(from);
    let id = ctx.row_id(spec)?;
    let source = live(store, spec, &id)?;
    let (target, body, made) = match from {
        "leads" => {
            let mut body = Map::new();
            body.insert("title".into(), source["title"].clone());
            for (to, from_key) in [
                ("owner_id", "owner_id"),
                ("person_id", "person_id"),
                ("org_id", "organization_id"),
                ("expected_close_date", "expected_close_date"),
            ] {
                if related(store, to, &source[from_key]) {
                    body.insert(to.into(), source[from_key].clone());
                }
            }
            if let Some(amount) = source["value"]["amount"].as_f64() {
                body.insert("value".into(), json!(amount));
                body.insert("currency".into(), source["value"]["currency"].clone());
            }
            if let Some(Value::Object(extra)) = ctx.body {
                body.extend(extra.clone());
            }
            ("deals", body, "deal_id")
        }
        _ => {
            let mut body = Map::new();
            body.insert("title".into(), source["title"].clone());
            for (to, from_key) in [
                ("owner_id", "owner_id"),
                ("person_id", "person_id"),
                ("organization_id", "org_id"),
            ] {
                if related(store, from_key, &source[from_key]) {
                    body.insert(to.into(), source[from_key].clone());
                }
            }
            if let Some(amount) = source["value"].as_f64() {
                body.insert(
                    "value".into(),
                    json!({"amount": amount, "currency": source["currency"]}),
                );
            }
            ("leads", body, "lead_id")
        }
    };
    let version = entity(target).version;
    let made_row = insert_record(
        store,
        dice,
        entity(target),
        version,
        None,
        &body,
        ctx.user_id,
    )?;
    let new_id = made_row.id.to_json();
    match from {
        // a converted lead is gone; a converted deal is deleted (and so left out of lists)
        "leads" => {
            store.collection_mut(from).remove(&id);
        }
        _ => rewrite_all(store, from, |record| {
            if record.get("id").map(Value::to_string) == Some(id.clone()) {
                record.insert("is_deleted".into(), json!(true));
            }
        }),
    }
    let conversion = dice.uuid();
    store.conversions.insert(
        conversion.clone(),
        json!({"conversion_id": conversion, "status": "completed", made: new_id, "source": id}),
    );
    Ok(Answer::data(&json!({ "conversion_id": conversion })))
}

/// Whether a value copied by a conversion is there (a related row that still exists).
fn related(store: &Store, key: &str, value: &Value) -> bool {
    let collection = match key {
        "person_id" => "persons",
        "org_id" | "organization_id" => "organizations",
        _ => return !value.is_null(),
    };
    value
        .as_i64()
        .is_some_and(|id| store.exists(collection, id))
}

/// `GET /{leads|deals}/{id}/convert/status/{conversion_id}`.
pub fn convert_status(store: &Store, from: &'static str, ctx: &Ctx) -> ApiResult<Answer> {
    let id = ctx.param("id").unwrap_or_default();
    let job = ctx
        .param("conversion_id")
        .and_then(|c| store.conversions.get(c))
        .filter(|job| job["source"].as_str() == Some(id) || job["source"] == json!(id))
        .ok_or_else(|| ApiError::not_found("conversion"))?;
    let mut data = job.clone();
    if let Some(m) = data.as_object_mut() {
        m.remove("source");
    }
    let _ = from;
    Ok(Answer::data(&data))
}

/// `POST /files` (multipart: `file` and the ids it is attached to).
pub fn upload(store: &mut Store, dice: &mut Dice, ctx: &Ctx) -> ApiResult<Answer> {
    let version = ApiVersion::V1;
    let body = ctx.body_object()?;
    let file = body
        .get("file")
        .filter(|f| f.is_object())
        .ok_or_else(|| ApiError::invalid(version, "\"file\" is required."))?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(file["base64"].as_str().unwrap_or_default())
        .map_err(|_| ApiError::internal())?;
    let name = file["name"].as_str().unwrap_or("file").to_string();
    let mut record = Map::new();
    record.insert("file_name".into(), json!(name));
    record.insert("name".into(), json!(name));
    record.insert("file_size".into(), json!(bytes.len()));
    record.insert("active_flag".into(), json!(true));
    for key in [
        "deal_id",
        "person_id",
        "org_id",
        "product_id",
        "activity_id",
        "lead_id",
        "project_id",
    ] {
        if let Some(v) = body.get(key).filter(|v| !v.is_null()) {
            record.insert(key.into(), v.clone());
        }
    }
    let row = insert_record(
        store,
        dice,
        entity("files"),
        version,
        None,
        &record,
        ctx.user_id,
    )?;
    if let Some(id) = row.id.as_int() {
        store.file_bytes.insert(id, bytes);
    }
    Ok(Answer::data(&row.value()))
}

/// `GET /files/{id}/download`: the bytes, base64 in the answer (the server sends them raw).
pub fn download(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let spec = entity("files");
    let id: i64 = ctx.row_id(spec)?.parse().map_err(|_| not_found(spec))?;
    live(store, spec, &id.to_string())?;
    // seeded files have no stored bytes: their content is their name
    let bytes = store.file_bytes.get(&id).cloned().unwrap_or_else(|| {
        store
            .collection("files")
            .get(&id.to_string())
            .map(|r| {
                r.value()["file_name"]
                    .as_str()
                    .unwrap_or_default()
                    .as_bytes()
                    .to_vec()
            })
            .unwrap_or_default()
    });
    Ok(Answer::bytes(bytes))
}

/// `POST /{collection}/{id}/archive`: the row archived now (an archived one keeps its time).
pub fn archive(store: &mut Store, spec: &'static EntitySpec, ctx: &Ctx) -> ApiResult<Answer> {
    let id = ctx.parent_id()?.unwrap_or_default().to_string();
    let Some(Value::Object(mut record)) = store.collection(spec.name).get(&id).map(|r| r.value())
    else {
        return Err(not_found(spec));
    };
    let now = json!(timefmt::format(timefmt::now(), spec.time_format));
    if record.get("archive_time").is_none_or(Value::is_null) {
        record.insert("archive_time".into(), now.clone());
        if let Some(flag) = spec.archived.filter(|a| *a != "archive_time") {
            record.insert(flag.into(), json!(true));
        }
        if let Some(key) = spec.update_time {
            record.insert(key.into(), now);
        }
    }
    let row = store
        .collection_mut(spec.name)
        .replace(&id, record)
        .ok_or_else(|| not_found(spec))?;
    Ok(Answer::ok(format!(
        r#"{{"success":true,"data":{}}}"#,
        row.json
    )))
}

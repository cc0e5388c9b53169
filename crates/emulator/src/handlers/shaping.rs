//! Query parameters that change how each record looks: v2 `include_fields`, `custom_fields`,
//! `include_option_labels`, `include_labels`, and v1 `include_product_data`.

use super::request::Ctx;
use crate::entities::{ApiVersion, EntitySpec, TimeFormat};
use crate::error::{ApiError, ApiResult};
use crate::store::Store;
use crate::timefmt;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// Rewrites one record; borrowed from the store for the length of the request.
pub type Rewrite<'a> = Box<dyn Fn(Value) -> Value + 'a>;
type Step<'a> = Box<dyn Fn(&mut Map<String, Value>) + 'a>;

/// The rewrite the request asks for; `None` when the stored JSON can be sent as it is.
pub fn shaping<'a>(
    store: &'a Store,
    spec: &EntitySpec,
    ctx: &Ctx,
) -> ApiResult<Option<Rewrite<'a>>> {
    let steps = match ctx.version() {
        ApiVersion::V2 => v2_steps(store, spec, ctx)?,
        ApiVersion::V1 => v1_steps(store, spec, ctx)?,
    };
    if steps.is_empty() {
        return Ok(None);
    }
    Ok(Some(Box::new(move |mut record: Value| {
        if let Some(obj) = record.as_object_mut() {
            steps.iter().for_each(|step| step(obj));
        }
        record
    })))
}

fn v2_steps<'a>(store: &'a Store, spec: &EntitySpec, ctx: &Ctx) -> ApiResult<Vec<Step<'a>>> {
    let version = ApiVersion::V2;
    let q = ctx.query;
    let mut steps: Vec<Step> = vec![];

    let include: Vec<String> = q
        .list("include_fields")
        .into_iter()
        .map(String::from)
        .collect();
    let allowed = optional_fields(spec.name);
    if let Some(bad) = include.iter().find(|f| !allowed.contains(&f.as_str())) {
        let allowed = allowed.join(", ");
        return Err(ApiError::invalid(
            version,
            format!(
                "include_fields: '{bad}' must be equal to one of the allowed values: {allowed}"
            ),
        ));
    }
    if !include.is_empty() {
        steps.push(Box::new(move |obj| {
            for field in &include {
                let value = if field.ends_with("_count") {
                    json!(0)
                } else {
                    Value::Null
                };
                obj.entry(field.clone()).or_insert(value);
            }
        }));
    }

    if q.get("custom_fields").is_some() {
        let keys: Vec<String> = q
            .list("custom_fields")
            .into_iter()
            .map(String::from)
            .collect();
        if keys.len() > 15 {
            return Err(ApiError::invalid(
                version,
                "custom_fields: a maximum of 15 keys is allowed",
            ));
        }
        if spec.custom_fields.is_none() {
            return Err(ApiError::invalid(
                version,
                "custom_fields: this entity has no custom fields",
            ));
        }
        steps.push(Box::new(move |obj| {
            if let Some(Value::Object(custom)) = obj.get_mut("custom_fields") {
                custom.retain(|k, _| keys.contains(k));
            }
        }));
    }

    if q.boolean(version, "include_option_labels")? == Some(true) {
        // enum and set values become {id, label}
        let options: HashMap<&str, HashMap<i64, &str>> = store
            .custom_fields_of(spec)
            .filter(|d| d.has_options())
            .map(|d| {
                (
                    d.code.as_str(),
                    d.options.iter().map(|o| (o.id, o.label.as_str())).collect(),
                )
            })
            .collect();
        steps.push(Box::new(move |obj| {
            let Some(Value::Object(custom)) = obj.get_mut("custom_fields") else {
                return;
            };
            for (code, labels) in &options {
                if let Some(v) = custom.get_mut(*code) {
                    *v = labelled(v, labels);
                }
            }
        }));
    }

    if q.boolean(version, "include_labels")? == Some(true) {
        let labels: HashMap<i64, &str> = spec
            .custom_fields
            .and_then(|owner| store.fields.get(owner))
            .and_then(|defs| defs.iter().find(|d| d.code == "label_ids"))
            .map(|d| d.options.iter().map(|o| (o.id, o.label.as_str())).collect())
            .unwrap_or_default();
        steps.push(Box::new(move |obj| {
            let ids = obj.get("label_ids").cloned().unwrap_or(json!([]));
            obj.insert("labels".into(), labelled(&ids, &labels));
        }));
    }
    if spec.name == "tasks" {
        steps.push(Box::new(v2_task));
    }
    Ok(steps)
}

/// A task, kept in its v1 shape, as API v2 shows it: `is_done` and `is_milestone` as
/// booleans, times with milliseconds.
fn v2_task(obj: &mut Map<String, Value>) {
    let time = |key: &str| {
        obj.get(key)
            .and_then(Value::as_str)
            .and_then(timefmt::parse)
            .map(|t| timefmt::format(t, TimeFormat::Millis))
    };
    let flag = |key: &str| obj.get(key).and_then(Value::as_i64) == Some(1);
    let kept = |key: &str| obj.get(key).cloned().unwrap_or(Value::Null);
    let task = json!({
        "id": kept("id"), "title": kept("title"), "creator_id": kept("creator_id"),
        "project_id": kept("project_id"), "is_done": flag("done"), "is_milestone": flag("milestone"),
        "due_date": kept("due_date"), "start_date": kept("start_date"),
        "parent_task_id": kept("parent_task_id"), "assignee_ids": kept("assignee_ids"),
        "priority": kept("priority"), "add_time": time("add_time"), "update_time": time("update_time"),
        "marked_as_done_time": time("marked_as_done_time"),
    });
    if let Value::Object(task) = task {
        *obj = task;
    }
}

fn v1_steps<'a>(store: &'a Store, spec: &EntitySpec, ctx: &Ctx) -> ApiResult<Vec<Step<'a>>> {
    let mut steps: Vec<Step> = vec![];
    if spec.name == "dealProducts" {
        match ctx.query.get("include_product_data") {
            None | Some("0") => {}
            Some("1") => steps.push(Box::new(move |obj| {
                let product = obj.get("product_id").and_then(Value::as_i64);
                let data = product
                    .and_then(|p| store.collection("products").get(&p.to_string()))
                    .map(|r| r.value());
                obj.insert("product".into(), data.unwrap_or(Value::Null));
            })),
            Some(other) => {
                return Err(ApiError::invalid(
                    ApiVersion::V1,
                    format!("include_product_data: must be 0 or 1 (got '{other}')"),
                ))
            }
        }
    }
    Ok(steps)
}

/// An option id (or a list of them) as `{id, label}` object(s).
fn labelled(v: &Value, labels: &HashMap<i64, &str>) -> Value {
    let one = |id: &Value| match id.as_i64() {
        Some(i) => json!({"id": i, "label": labels.get(&i).copied()}),
        None => id.clone(),
    };
    match v {
        Value::Array(ids) => Value::Array(ids.iter().map(one).collect()),
        Value::Null => Value::Null,
        other => one(other),
    }
}

/// The values `include_fields` accepts per entity (from the v2 spec).
fn optional_fields(entity: &str) -> Vec<&'static str> {
    const SHARED: &[&str] = &[
        "next_activity_id",
        "last_activity_id",
        "email_messages_count",
        "activities_count",
        "done_activities_count",
        "undone_activities_count",
        "files_count",
        "notes_count",
        "followers_count",
        "smart_bcc_email",
    ];
    const CONTACT: &[&str] = &[
        "open_deals_count",
        "related_open_deals_count",
        "closed_deals_count",
        "related_closed_deals_count",
        "won_deals_count",
        "related_won_deals_count",
        "lost_deals_count",
        "related_lost_deals_count",
    ];
    const DEAL: &[&str] = &[
        "first_won_time",
        "products_count",
        "participants_count",
        "last_incoming_mail_time",
        "last_outgoing_mail_time",
        "source_lead_id",
    ];
    const PERSON: &[&str] = &[
        "participant_open_deals_count",
        "participant_closed_deals_count",
        "last_incoming_mail_time",
        "last_outgoing_mail_time",
        "marketing_status",
        "doi_status",
    ];
    let parts: &[&[&str]] = match entity {
        "deals" => &[SHARED, DEAL],
        "persons" => &[SHARED, CONTACT, PERSON],
        "organizations" => &[SHARED, CONTACT, &["people_count"]],
        "activities" => &[&["attendees"]],
        _ => &[],
    };
    parts.concat()
}

//! `/api/v2/*Fields`: field definitions, paged, with custom fields created, renamed and deleted.

use super::answer::Answer;
use super::request::Ctx;
use super::write::rewrite_all;
use crate::custom_fields::{FieldDef, FieldOption, CUSTOM_TYPES};
use crate::dice::Dice;
use crate::entities::ApiVersion;
use crate::entities::ENTITIES;
use crate::error::{ApiError, ApiResult};
use crate::listing::{self, Cursor, Order};
use crate::routes::Method;
use crate::store::Store;
use crate::timefmt;
use serde_json::{json, Value};

fn defs<'a>(store: &'a Store, owner: &str) -> &'a [crate::custom_fields::FieldDef] {
    store
        .fields
        .get(owner)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// The entities whose records carry this collection's custom fields.
fn carriers(owner: &str) -> impl Iterator<Item = &'static str> + '_ {
    ENTITIES
        .iter()
        .filter(move |e| e.custom_fields == Some(owner))
        .map(|e| e.name)
}

pub fn list(store: &Store, owner: &str, ctx: &Ctx) -> ApiResult<Answer> {
    let version = ctx.version();
    let limit = listing::limit(version, ctx.query)?;
    if version == ApiVersion::V1 {
        return list_v1(defs(store, owner), limit, ctx);
    }
    let order = Order {
        field: "id",
        desc: false,
    };
    let start = match ctx.query.get("cursor").filter(|c| !c.is_empty()) {
        Some(c) => Cursor::decode(version, c, order)?.seq as usize,
        None => 0,
    };
    let all = defs(store, owner);
    let page: Vec<Value> = all
        .iter()
        .skip(start)
        .take(limit)
        .map(|d| d.to_json())
        .collect();
    let end = start + page.len();
    let next = if end < all.len() {
        json!(Cursor {
            field: "id".into(),
            value: json!(end),
            desc: false,
            seq: end as u64
        }
        .encode())
    } else {
        Value::Null
    };
    Ok(Answer::ok(
        json!({"success": true, "data": page, "additional_data": {"next_cursor": next}})
            .to_string(),
    ))
}

/// The v1 list: offset paging, each field with a numeric `id`, its `key` and `name`.
fn list_v1(all: &[FieldDef], limit: usize, ctx: &Ctx) -> ApiResult<Answer> {
    let start = ctx.query.int(ApiVersion::V1, "start")?.unwrap_or(0).max(0) as usize;
    let page: Vec<Value> = all
        .iter()
        .enumerate()
        .skip(start)
        .take(limit)
        .map(|(i, d)| d.to_v1_json(i as u64 + 1))
        .collect();
    let end = start + page.len();
    let more = end < all.len();
    let pagination = json!({"start": start, "limit": limit, "more_items_in_collection": more, "next_start": more.then_some(end)});
    Ok(Answer::ok(
        json!({"success": true, "data": page, "additional_data": {"pagination": pagination}})
            .to_string(),
    ))
}

pub fn get(store: &Store, owner: &str, ctx: &Ctx) -> ApiResult<Answer> {
    let code = ctx.param("field_code").unwrap_or_default();
    let def = defs(store, owner)
        .iter()
        .find(|d| d.code == code)
        .ok_or_else(|| ApiError::not_found("Field"))?;
    Ok(Answer::data(&def.to_json()))
}

fn options_from(store: &mut Store, body: &serde_json::Map<String, Value>) -> Vec<FieldOption> {
    let labels: Vec<String> = body
        .get("options")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|o| o.get("label").and_then(Value::as_str))
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    labels
        .into_iter()
        .map(|label| store.new_option(label))
        .collect()
}

pub fn create(
    store: &mut Store,
    dice: &mut Dice,
    owner: &'static str,
    ctx: &Ctx,
) -> ApiResult<Answer> {
    let version = ctx.version();
    let body = ctx.body_object()?;
    let name = body
        .get("field_name")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty());
    let name = name
        .ok_or_else(|| {
            ApiError::invalid(version, "body: must have required property 'field_name'")
        })?
        .to_string();
    let field_type = body
        .get("field_type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if !CUSTOM_TYPES.contains(&field_type.as_str()) {
        return Err(ApiError::invalid(
            version,
            format!(
                "field_type: must be equal to one of the allowed values: {}",
                CUSTOM_TYPES.join(", ")
            ),
        ));
    }
    let options = options_from(store, body);
    if matches!(field_type.as_str(), "enum" | "set") && options.is_empty() {
        return Err(ApiError::invalid(
            version,
            "options: must have at least one option for enum and set fields",
        ));
    }
    let now = timefmt::now();
    let def = crate::custom_fields::FieldDef {
        code: dice.hex40(),
        name,
        field_type,
        options,
        is_custom: true,
        add_time: now,
        update_time: now,
    };
    let code = def.code.clone();
    let answer = def.to_json();
    store.fields.entry(owner).or_default().push(def);
    for name in carriers(owner).collect::<Vec<_>>() {
        rewrite_all(store, name, |r| {
            if let Some(Value::Object(custom)) = r.get_mut("custom_fields") {
                custom.insert(code.clone(), Value::Null);
            }
        });
    }
    Ok(Answer::data(&answer))
}

pub fn update(store: &mut Store, owner: &str, ctx: &Ctx) -> ApiResult<Answer> {
    let version = ctx.version();
    let body = ctx.body_object()?;
    let code = ctx.param("field_code").unwrap_or_default().to_string();
    let def = store
        .fields
        .get_mut(owner)
        .and_then(|d| d.iter_mut().find(|d| d.code == code))
        .ok_or_else(|| ApiError::not_found("Field"))?;
    if !def.is_custom {
        return Err(ApiError::invalid(
            version,
            format!("field_code: '{code}' is a system field and cannot be changed"),
        ));
    }
    if let Some(name) = body.get("field_name") {
        let name = name.as_str().filter(|s| !s.trim().is_empty());
        let name = name
            .ok_or_else(|| ApiError::invalid(version, "field_name: must be a non-empty string"))?;
        def.name = name.trim().to_string();
    }
    def.update_time = timefmt::now();
    Ok(Answer::data(&def.to_json()))
}

pub fn delete(store: &mut Store, owner: &str, ctx: &Ctx) -> ApiResult<Answer> {
    let version = ctx.version();
    let code = ctx.param("field_code").unwrap_or_default().to_string();
    let list = store
        .fields
        .get_mut(owner)
        .ok_or_else(|| ApiError::not_found("Field"))?;
    let pos = list
        .iter()
        .position(|d| d.code == code)
        .ok_or_else(|| ApiError::not_found("Field"))?;
    if !list[pos].is_custom {
        return Err(ApiError::invalid(
            version,
            format!("field_code: '{code}' is a system field and cannot be deleted"),
        ));
    }
    let def = list.remove(pos);
    for name in carriers(owner).collect::<Vec<_>>() {
        rewrite_all(store, name, |r| {
            if let Some(Value::Object(custom)) = r.get_mut("custom_fields") {
                custom.remove(&code);
            }
        });
    }
    Ok(Answer::data(&def.to_json()))
}

/// `POST` adds options (`[{label}]`), `PATCH` relabels them (`[{id, label}]`), `DELETE` removes
/// them (`[{id}]`, also from the records holding them). Answers the field's options.
pub fn options(store: &mut Store, owner: &str, ctx: &Ctx) -> ApiResult<Answer> {
    let version = ctx.version();
    let code = ctx.param("field_code").unwrap_or_default().to_string();
    let items = ctx
        .body
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::invalid(version, "body: must be an array"))?;
    if items.is_empty() {
        return Err(ApiError::invalid(
            version,
            "body: must have at least one item",
        ));
    }
    let position = defs(store, owner)
        .iter()
        .position(|d| d.code == code)
        .ok_or_else(|| ApiError::not_found("Field"))?;
    if !store.fields[owner][position].has_options() {
        return Err(ApiError::invalid(
            version,
            format!("field_code: '{code}' is not an enum or set field"),
        ));
    }
    let id_of = |item: &Value| item.get("id").and_then(Value::as_i64);
    let label_of = |item: &Value| {
        item.get("label")
            .and_then(Value::as_str)
            .filter(|l| !l.trim().is_empty())
            .map(String::from)
    };
    let known = |store: &Store, id: i64| {
        store.fields[owner][position]
            .options
            .iter()
            .any(|o| o.id == id)
    };
    // check every item before changing anything
    for item in items {
        match ctx.route.method {
            Method::Post if label_of(item).is_none() => {
                return Err(ApiError::invalid(version, "label: is required"))
            }
            Method::Patch if label_of(item).is_none() => {
                return Err(ApiError::invalid(version, "label: is required"))
            }
            Method::Patch | Method::Delete => {
                let id =
                    id_of(item).ok_or_else(|| ApiError::invalid(version, "id: is required"))?;
                if !known(store, id) {
                    return Err(ApiError::invalid(
                        version,
                        format!("id: option {id} does not exist"),
                    ));
                }
            }
            _ => {}
        }
    }
    let mut removed = vec![];
    for item in items {
        match ctx.route.method {
            Method::Post => {
                let option = store.new_option(label_of(item).unwrap_or_default());
                store.fields.get_mut(owner).expect("owner")[position]
                    .options
                    .push(option);
            }
            Method::Patch => {
                let (id, label) = (
                    id_of(item).unwrap_or_default(),
                    label_of(item).unwrap_or_default(),
                );
                let def = &mut store.fields.get_mut(owner).expect("owner")[position];
                def.options
                    .iter_mut()
                    .filter(|o| o.id == id)
                    .for_each(|o| o.label = label.clone());
            }
            _ => {
                let id = id_of(item).unwrap_or_default();
                store.fields.get_mut(owner).expect("owner")[position]
                    .options
                    .retain(|o| o.id != id);
                removed.push(id);
            }
        }
    }
    if !removed.is_empty() {
        for name in carriers(owner).collect::<Vec<_>>() {
            rewrite_all(store, name, |r| {
                let Some(Value::Object(custom)) = r.get_mut("custom_fields") else {
                    return;
                };
                match custom.get_mut(&code) {
                    Some(Value::Array(ids)) => {
                        ids.retain(|v| !v.as_i64().is_some_and(|i| removed.contains(&i)))
                    }
                    Some(v) if v.as_i64().is_some_and(|i| removed.contains(&i)) => *v = Value::Null,
                    _ => {}
                }
            });
        }
    }
    let def = &mut store.fields.get_mut(owner).expect("owner")[position];
    def.update_time = timefmt::now();
    let answer: Vec<Value> = def
        .options
        .iter()
        .map(|o| json!({"id": o.id, "label": o.label}))
        .collect();
    Ok(Answer::data(&json!(answer)))
}

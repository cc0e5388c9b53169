//! Searches: the records whose text holds a term, best match first, each with its score and a
//! short view of the record (`/deals/search` and the other kinds, `/itemSearch`,
//! `/itemSearch/field`, v1 `/users/find`).

use super::answer::Answer;
use super::computed::{cursor_page, Rows};
use super::request::Ctx;
use crate::entities::{entity, ApiVersion};
use crate::error::{ApiError, ApiResult};
use crate::store::{Row, Store};
use serde_json::{json, Value};

/// A kind of record a search finds: its type name, collection, and the fields a search may
/// look in (`fields=`).
struct Kind {
    name: &'static str,
    collection: &'static str,
    fields: &'static [&'static str],
}

const KINDS: &[Kind] = &[
    Kind {
        name: "deal",
        collection: "deals",
        fields: &["title", "custom_fields", "notes"],
    },
    Kind {
        name: "person",
        collection: "persons",
        fields: &["name", "email", "phone", "custom_fields", "notes"],
    },
    Kind {
        name: "organization",
        collection: "organizations",
        fields: &["name", "address", "custom_fields", "notes"],
    },
    Kind {
        name: "product",
        collection: "products",
        fields: &["name", "code", "custom_fields"],
    },
    Kind {
        name: "lead",
        collection: "leads",
        fields: &["title", "custom_fields", "notes"],
    },
    Kind {
        name: "project",
        collection: "projects",
        fields: &["title", "description", "custom_fields", "notes"],
    },
];

fn kind(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

/// How a value must match the term.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Match {
    Exact,
    Beginning,
    Middle,
}

/// The term, checked: at least 2 characters, or 1 for an exact match.
fn term<'a>(ctx: &'a Ctx, exact: bool) -> ApiResult<&'a str> {
    let v = ctx.version();
    let term = ctx
        .query
        .get("term")
        .map(str::trim)
        .ok_or_else(|| ApiError::invalid(v, "term: is required"))?;
    let least = if exact { 1 } else { 2 };
    if term.chars().count() < least {
        return Err(ApiError::invalid(
            v,
            format!("term: must be at least {least} characters long"),
        ));
    }
    Ok(term)
}

/// How well `value` matches: 1 for the whole value, less for a beginning or a part.
fn score(value: &str, term: &str, how: Match) -> Option<f64> {
    let (value, term) = (value.to_lowercase(), term.to_lowercase());
    if value == term {
        return Some(1.0);
    }
    match how {
        Match::Exact => None,
        Match::Beginning => value.starts_with(&term).then_some(0.75),
        Match::Middle if value.starts_with(&term) => Some(0.75),
        Match::Middle => value.contains(&term).then_some(0.5),
    }
}

/// The text of a record in one searchable field.
fn texts(kind: &Kind, record: &Value, field: &str) -> Vec<String> {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match field {
        "custom_fields" => record["custom_fields"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
            .filter_map(text)
            .collect(),
        "email" => values_of(&record["emails"]),
        "phone" => values_of(&record["phones"]),
        "address" => text(&record["address"]["value"]).into_iter().collect(),
        "notes" => vec![],
        _ if kind.fields.contains(&field) => text(&record[field]).into_iter().collect(),
        _ => vec![],
    }
}

fn values_of(list: &Value) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["value"].as_str().map(String::from))
        .collect()
}

/// The record's best score over the fields, if any matches.
fn best(kind: &Kind, record: &Value, fields: &[&str], term: &str, how: Match) -> Option<f64> {
    fields
        .iter()
        .flat_map(|f| texts(kind, record, f))
        .filter_map(|t| score(&t, term, how))
        .fold(None, |best: Option<f64>, s| {
            Some(best.map_or(s, |b| b.max(s)))
        })
}

/// The fields to look in: those asked for (each one the kind has), or all.
fn fields_of<'a>(ctx: &'a Ctx, kinds: &[&Kind]) -> ApiResult<Vec<&'a str>> {
    let asked = ctx.query.list("fields");
    if let Some(bad) = asked
        .iter()
        .find(|f| !kinds.iter().any(|k| k.fields.contains(f)))
    {
        return Err(ApiError::invalid(
            ctx.version(),
            format!("fields: '{bad}' is not a searchable field"),
        ));
    }
    Ok(match asked.is_empty() {
        true => kinds
            .iter()
            .flat_map(|k| k.fields.iter().copied())
            .collect(),
        false => asked,
    })
}

/// The name of the row of `collection` with this id, as `{id, name}`, or null.
fn named(store: &Store, collection: &str, id: &Value, key: &str) -> Value {
    let Some(id) = id.as_i64() else {
        return Value::Null;
    };
    match store.collection(collection).get(&id.to_string()) {
        Some(row) => json!({"id": id, "name": row.value()[key]}),
        None => json!({"id": id, "name": null}),
    }
}

/// The short view of a found record.
fn item(store: &Store, kind: &Kind, r: &Value) -> Value {
    let custom: Vec<String> = texts(kind, r, "custom_fields");
    let owner = json!({"id": r["owner_id"]});
    match kind.name {
        "deal" => json!({
            "id": r["id"], "type": "deal", "title": r["title"], "value": whole(&r["value"]),
            "currency": r["currency"], "status": r["status"], "visible_to": r["visible_to"],
            "owner": owner, "stage": named(store, "stages", &r["stage_id"], "name"),
            "person": named(store, "persons", &r["person_id"], "name"),
            "organization": named(store, "organizations", &r["org_id"], "name"),
            "custom_fields": custom, "notes": [], "is_archived": r["is_archived"],
        }),
        "person" => json!({
            "id": r["id"], "type": "person", "name": r["name"],
            "phones": values_of(&r["phones"]), "emails": values_of(&r["emails"]),
            "visible_to": r["visible_to"], "owner": owner,
            "organization": named(store, "organizations", &r["org_id"], "name"),
            "custom_fields": custom, "notes": [],
        }),
        "organization" => json!({
            "id": r["id"], "type": "organization", "name": r["name"],
            "address": r["address"]["value"], "visible_to": r["visible_to"], "owner": owner,
            "custom_fields": custom, "notes": [],
        }),
        "product" => json!({
            "id": r["id"], "type": "product", "name": r["name"], "code": r["code"],
            "visible_to": r["visible_to"], "owner": owner, "custom_fields": custom,
        }),
        "lead" => json!({
            "id": r["id"], "type": "lead", "title": r["title"], "owner": owner,
            "person": named(store, "persons", &r["person_id"], "name"),
            "organization": named(store, "organizations", &r["organization_id"], "name"),
            "phones": [], "emails": [], "custom_fields": custom, "notes": [],
            "value": whole(&r["value"]["amount"]), "currency": r["value"]["currency"],
            "visible_to": r["visible_to"].as_str().and_then(|v| v.parse::<i64>().ok()),
            "is_archived": r["is_archived"],
        }),
        _ => json!({
            "id": r["id"], "type": "project", "title": r["title"], "status": r["status"],
            "owner": owner, "board_id": r["board_id"],
            "phase": {"id": r["phase_id"], "name": format!("Phase {}", r["phase_id"])},
            "person": null, "organization": null,
            "deal": {"id": r["deal_ids"][0]}, "deal_count": r["deal_ids"].as_array().map_or(0, Vec::len),
            "end_date": r["end_date"], "custom_fields": custom, "notes": [],
        }),
    }
}

/// An amount as search answers show it: whole units.
fn whole(amount: &Value) -> Value {
    amount
        .as_f64()
        .map_or(Value::Null, |a| Value::from(a.round() as i64))
}

/// Whether a record passes the search's filters on its person, organization and status.
fn passes(ctx: &Ctx, kind: &Kind, r: &Value) -> ApiResult<bool> {
    let v = ctx.version();
    let org_key = match kind.name {
        "lead" => "organization_id",
        _ => "org_id",
    };
    let person = ctx.query.int(v, "person_id")?;
    let org = ctx.query.int(v, "organization_id")?;
    Ok(person.is_none_or(|p| r["person_id"] == p)
        && org.is_none_or(|o| r[org_key] == o)
        && ctx.query.get("status").is_none_or(|s| r["status"] == s))
}

/// Every record of these kinds matching the term in these fields, best first.
fn found(
    store: &Store,
    ctx: &Ctx,
    kinds: &[&'static Kind],
    fields: &[&str],
    term: &str,
    how: Match,
) -> ApiResult<Vec<Value>> {
    let mut hits: Vec<(f64, usize, Value)> = vec![];
    for kind in kinds {
        for row in store.collection(kind.collection).rows() {
            let record = row.value();
            if record["is_deleted"] == true || !passes(ctx, kind, &record)? {
                continue;
            }
            if let Some(s) = best(kind, &record, fields, term, how) {
                let view = item(store, kind, &record);
                hits.push((s, hits.len(), json!({"result_score": s, "item": view})));
            }
        }
    }
    hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(hits.into_iter().map(|(_, _, v)| v).collect())
}

fn exact(ctx: &Ctx) -> ApiResult<bool> {
    Ok(ctx
        .query
        .boolean(ctx.version(), "exact_match")?
        .unwrap_or(false))
}

/// `GET /{collection}/search`: one kind of record.
pub fn search(store: &Store, kind_name: &str, ctx: &Ctx) -> ApiResult<Answer> {
    let kind = kind(kind_name).expect("a search of a known kind");
    let exact = exact(ctx)?;
    let term = term(ctx, exact)?;
    let fields = fields_of(ctx, &[kind])?;
    let how = if exact { Match::Exact } else { Match::Middle };
    let items = found(store, ctx, &[kind], &fields, term, how)?;
    cursor_page(ctx, items, Rows::Items)
}

/// `GET /itemSearch`: any kinds at once (`item_types`).
pub fn item_search(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let exact = exact(ctx)?;
    let term = term(ctx, exact)?;
    let asked = ctx.query.list("item_types");
    let mut kinds = vec![];
    for name in &asked {
        match (kind(name), *name) {
            (Some(k), _) => kinds.push(k),
            (None, "file" | "mail_attachment") => {}
            (None, bad) => {
                return Err(ApiError::invalid(
                    ctx.version(),
                    format!("item_types: unknown item type '{bad}'"),
                ))
            }
        }
    }
    if asked.is_empty() {
        kinds = KINDS.iter().collect();
    }
    let asked_fields = ctx.query.list("fields");
    let fields: Vec<&str> = match asked_fields.is_empty() {
        true => kinds
            .iter()
            .flat_map(|k| k.fields.iter().copied())
            .collect(),
        false => asked_fields,
    };
    let how = if exact { Match::Exact } else { Match::Middle };
    let items = found(store, ctx, &kinds, &fields, term, how)?;
    cursor_page(ctx, items, Rows::ItemsAndRelated)
}

/// `GET /itemSearch/field`: the distinct values of one field of one kind that match.
pub fn field_search(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let v = ctx.version();
    let kind_name = ctx
        .query
        .get("entity_type")
        .ok_or_else(|| ApiError::invalid(v, "entity_type: is required"))?;
    let kind = kind(kind_name).ok_or_else(|| {
        ApiError::invalid(v, format!("entity_type: unknown entity type '{kind_name}'"))
    })?;
    let field = ctx
        .query
        .get("field")
        .ok_or_else(|| ApiError::invalid(v, "field: is required"))?;
    let how = match ctx.query.get("match").unwrap_or("exact") {
        "exact" => Match::Exact,
        "beginning" => Match::Beginning,
        "middle" => Match::Middle,
        other => {
            return Err(ApiError::invalid(
                v,
                format!("match: unknown value '{other}'"),
            ))
        }
    };
    let term = term(ctx, how == Match::Exact)?;
    let mut hits: Vec<(f64, Value)> = vec![];
    for row in store.collection(kind.collection).rows() {
        let record = row.value();
        for text in texts(kind, &record, field) {
            if let Some(s) = score(&text, term, how) {
                hits.push((s, json!({"result_score": s, "item": {"id": record["id"], "type": kind.name, field: text}})));
            }
        }
    }
    hits.sort_by(|a, b| b.0.total_cmp(&a.0));
    cursor_page(ctx, hits.into_iter().map(|(_, v)| v).collect(), Rows::Data)
}

/// `GET /users/find` (v1): users whose name, or email with `search_by_email=1`, holds the term.
pub fn users_find(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let v = ApiVersion::V1;
    let term = term(ctx, false)?;
    let key = match ctx.query.boolean(v, "search_by_email")? {
        Some(true) => "email",
        _ => "name",
    };
    let users: Vec<Value> = store
        .collection(entity("users").name)
        .rows()
        .map(Row::value)
        .filter(|u| {
            u[key]
                .as_str()
                .is_some_and(|t| score(t, term, Match::Middle).is_some())
        })
        .collect();
    Ok(Answer::data(&json!(users)))
}

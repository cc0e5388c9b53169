//! Records the sandbox keeps in their v2 shape, as API v1 shows them: deals (their owner,
//! person and organization as ids, or as objects), products and activities.

use crate::entities::{entity, TimeFormat};
use crate::store::{Scalar, Store};
use crate::timefmt;
use serde_json::{json, Value};

/// A time of a v2 record as v1 writes it (`YYYY-MM-DD HH:MM:SS`).
pub fn space(v: &Value) -> Option<String> {
    v.as_str()
        .and_then(timefmt::parse)
        .map(|t| timefmt::format(t, TimeFormat::Space))
}

/// A deal with its owner, person and organization as ids (the timeline, a person's products).
pub fn deal(d: &Value) -> Value {
    json!({
        "id": d["id"], "creator_user_id": d["owner_id"], "user_id": d["owner_id"],
        "person_id": d["person_id"], "org_id": d["org_id"], "stage_id": d["stage_id"],
        "pipeline_id": d["pipeline_id"], "title": d["title"], "value": d["value"],
        "currency": d["currency"], "status": d["status"], "add_time": space(&d["add_time"]),
        "update_time": space(&d["update_time"]), "won_time": space(&d["won_time"]),
        "lost_time": space(&d["lost_time"]), "expected_close_date": d["expected_close_date"],
        "active": d["status"] == "open", "deleted": false, "is_archived": d["is_archived"],
        "visible_to": d["visible_to"].as_i64().map(|v| v.to_string()),
    })
}

/// How many rows of `collection` hold `id` in `attr` (and pass `also`).
fn count(
    store: &Store,
    collection: &str,
    attr: &str,
    id: i64,
    also: Option<(&str, bool)>,
) -> usize {
    let spec = entity(collection);
    store
        .collection(collection)
        .rows()
        .filter(|r| *r.attr_ref(spec, attr) == Scalar::Int(id))
        .filter(|r| also.is_none_or(|(a, v)| *r.attr_ref(spec, a) == Scalar::Bool(v)))
        .count()
}

fn record(store: &Store, collection: &str, id: &Value) -> Option<Value> {
    let id = id.as_i64()?;
    Some(store.collection(collection).get(&id.to_string())?.value())
}

/// A user as v1 deals name their owner.
fn user(store: &Store, id: &Value) -> Value {
    let u = record(store, "users", id).unwrap_or_default();
    json!({"id": id, "name": u["name"], "email": u["email"], "has_pic": false, "pic_hash": null,
           "active_flag": u["active_flag"], "value": id})
}

/// A deal as v1 lists of deals show it: its owner, person and organization as objects, and
/// the figures and names the API adds.
pub fn deal_with_relations(store: &Store, d: &Value) -> Value {
    let mut out = deal(d);
    let id = d["id"].as_i64().unwrap_or_default();
    let owner = user(store, &d["owner_id"]);
    let person = record(store, "persons", &d["person_id"]);
    let org = record(store, "organizations", &d["org_id"]);
    let stage = record(store, "stages", &d["stage_id"]).unwrap_or_default();
    let value = d["value"].as_f64().unwrap_or(0.0);
    let currency = d["currency"].as_str().unwrap_or("EUR");
    let weighted = value * stage["deal_probability"].as_f64().unwrap_or(100.0) / 100.0;
    let activities = count(store, "activities", "deal_id", id, None);
    let done = count(store, "activities", "deal_id", id, Some(("done", true)));
    let Some(o) = out.as_object_mut() else {
        return out;
    };
    o.insert("creator_user_id".into(), owner.clone());
    o.insert("user_id".into(), owner.clone());
    o.insert(
        "person_id".into(),
        person.as_ref().map_or(Value::Null, |p| {
            json!({"active_flag": true, "name": p["name"], "email": p["emails"], "phone": p["phones"],
                   "owner_id": p["owner_id"], "value": p["id"]})
        }),
    );
    o.insert(
        "org_id".into(),
        org.as_ref().map_or(Value::Null, |g| {
            json!({"name": g["name"], "people_count": count(store, "persons", "org_id", g["id"].as_i64().unwrap_or_default(), None),
                   "owner_id": g["owner_id"], "address": g["address"]["value"], "active_flag": true,
                   "cc_email": "sandbox@pipedrivemail.com", "value": g["id"]})
        }),
    );
    let label = d["label_ids"]
        .as_array()
        .filter(|l| !l.is_empty())
        .map(|l| l.iter().map(Value::to_string).collect::<Vec<_>>().join(","));
    let more = json!({
        "stage_change_time": space(&d["stage_change_time"]), "close_time": space(&d["close_time"]),
        "probability": d["probability"], "lost_reason": d["lost_reason"], "first_won_time": space(&d["won_time"]),
        "next_activity_date": null, "next_activity_time": null, "next_activity_id": null,
        "last_activity_id": null, "last_activity_date": null,
        "products_count": count(store, "dealProducts", "deal_id", id, None),
        "files_count": count(store, "files", "deal_id", id, None),
        "notes_count": count(store, "notes", "deal_id", id, None),
        "followers_count": count(store, "dealFollowers", "deal_id", id, None),
        "email_messages_count": 0, "activities_count": activities, "done_activities_count": done,
        "undone_activities_count": activities - done,
        "participants_count": count(store, "dealParticipants", "deal_id", id, None),
    });
    let names = json!({
        "last_incoming_mail_time": null, "last_outgoing_mail_time": null, "label": label,
        "stage_order_nr": stage["order_nr"], "person_name": person.as_ref().map(|p| p["name"].clone()),
        "org_name": org.as_ref().map(|g| g["name"].clone()), "next_activity_subject": null,
        "next_activity_type": null, "next_activity_duration": null, "next_activity_note": null,
        "formatted_value": format!("{value:.2} {currency}"), "weighted_value": weighted,
        "formatted_weighted_value": format!("{weighted:.2} {currency}"), "weighted_value_currency": currency,
        "rotten_time": null, "owner_name": owner["name"], "cc_email": format!("sandbox+deal{id}@pipedrivemail.com"),
        "org_hidden": false, "person_hidden": false, "origin": d["origin"], "origin_id": d["origin_id"],
        "channel": d["channel"], "channel_id": d["channel_id"], "arr": d["arr"], "mrr": d["mrr"], "acv": d["acv"],
        "arr_currency": null, "mrr_currency": null, "acv_currency": null,
    });
    for part in [more, names] {
        if let Value::Object(part) = part {
            o.extend(part);
        }
    }
    out
}

/// A product as v1 shows it beside the deal it is attached to.
pub fn product(p: &Value, deal: &Value) -> Value {
    let name = p["name"].as_str().unwrap_or_default();
    json!({
        "id": p["id"], "company_id": 1, "name": name, "code": p["code"], "unit": p["unit"], "tax": p["tax"],
        "category": p["category"], "active_flag": p["is_deleted"] != true, "selectable": p["is_linkable"],
        "first_char": name.chars().next().map(|c| c.to_lowercase().to_string()),
        "visible_to": p["visible_to"].as_i64().map(|v| v.to_string()), "owner_id": p["owner_id"],
        "files_count": null, "add_time": space(&p["add_time"]), "update_time": space(&p["update_time"]),
        "deal_id": deal,
    })
}

/// An activity as v1 shows it: owner as `user_id`, `busy_flag`, the location in parts.
pub fn activity(a: &Value) -> Value {
    let place = &a["location"];
    let part = |k: &str| place.get(k).cloned().unwrap_or(Value::Null);
    json!({
        "id": a["id"], "done": a["done"], "subject": a["subject"], "type": a["type"], "user_id": a["owner_id"],
        "busy_flag": a["busy"], "company_id": 1, "conference_meeting_client": a["conference_meeting_client"],
        "conference_meeting_url": a["conference_meeting_url"], "conference_meeting_id": a["conference_meeting_id"],
        "add_time": space(&a["add_time"]), "marked_as_done_time": space(&a["marked_as_done_time"]),
        "active_flag": a["is_deleted"] != true, "update_time": space(&a["update_time"]),
        "update_user_id": a["creator_user_id"], "source_timezone": null,
        "location_subpremise": part("subpremise"), "location_street_number": part("street_number"),
        "location_route": part("route"), "location_sublocality": part("sublocality"),
        "location_locality": part("locality"), "location_admin_area_level_1": part("admin_area_level_1"),
        "location_admin_area_level_2": part("admin_area_level_2"), "location_country": part("country"),
        "location_postal_code": part("postal_code"), "location_formatted_address": part("value"),
        "due_date": a["due_date"], "due_time": a["due_time"], "duration": a["duration"],
        "deal_id": a["deal_id"], "lead_id": a["lead_id"], "person_id": a["person_id"],
        "project_id": a["project_id"], "org_id": a["org_id"], "location": part("value"),
        "public_description": a["public_description"],
    })
}

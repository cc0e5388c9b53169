//! Rows that hang under other rows and came later to the sandbox: followers of persons,
//! organizations, products and users, project tasks, comments on notes, role assignments,
//! project boards, phases and templates, deal discounts and installments, product variations
//! and images.
//! They follow from the rows already there and their numbers alone (no dice), so adding them
//! moves none of the other demo data.

use super::epoch::BASE_TIME;
use crate::entities::{entity, TimeFormat};
use crate::store::Store;
use crate::timefmt;
use serde_json::{json, Value};

const DAY: i64 = 86_400;

/// Adds them to a store that holds the main records.
pub fn populate(store: &mut Store) {
    followers(store, "personFollowers", "persons", "person_id", 3);
    followers(store, "organizationFollowers", "organizations", "org_id", 2);
    followers(store, "productFollowers", "products", "product_id", 4);
    user_followers(store);
    tasks(store);
    note_comments(store);
    role_assignments(store);
    org_relationships(store);
    project_setup(store);
    deal_terms(store);
    product_variations(store);
    product_images(store);
}

/// Two project boards with three phases each, and two project templates on the first board.
fn project_setup(store: &mut Store) {
    let at = v2_time(BASE_TIME - 400 * DAY);
    let phases = ["Planning", "Doing", "Done"];
    for (b, board) in ["Onboarding", "Delivery"].iter().enumerate() {
        let board_id = b as i64 + 1;
        store.insert(
            "boards",
            json!({"id": board_id, "name": board, "order_nr": board_id, "add_time": at, "update_time": at}),
        );
        for (p, phase) in phases.iter().enumerate() {
            let id = b as i64 * 3 + p as i64 + 1;
            store.insert(
                "phases",
                json!({"id": id, "name": phase, "board_id": board_id, "order_nr": p + 1, "add_time": at, "update_time": at}),
            );
        }
    }
    for (id, title) in [(1, "Customer onboarding"), (2, "Data migration")] {
        store.insert(
            "projectTemplates",
            json!({"id": id, "title": title, "description": format!("{title}: the usual steps"),
                   "projects_board_id": 1, "owner_id": 1, "add_time": at, "update_time": at}),
        );
    }
}

/// Every fifth deal has a discount of 10 %; every seventh is paid in two installments.
fn deal_terms(store: &mut Store) {
    let deals: Vec<(i64, Value)> = store
        .collection("deals")
        .rows()
        .filter_map(|r| Some((r.id.as_int()?, r.value())))
        .collect();
    for (id, deal) in deals {
        let owner = deal["owner_id"].clone();
        if id % 5 == 0 {
            store.insert(
                "dealDiscounts",
                json!({"id": format!("{id:08x}-0000-4000-a000-00000000d15c"), "type": "percentage",
                       "amount": 10.0, "deal_id": id, "created_at": deal["add_time"], "created_by": owner,
                       "updated_at": deal["update_time"], "updated_by": owner}),
            );
        }
        if id % 7 == 0 {
            let half = (deal["value"].as_f64().unwrap_or(0.0) * 50.0).round() / 100.0;
            let added = deal["add_time"]
                .as_str()
                .and_then(timefmt::parse)
                .unwrap_or(BASE_TIME);
            for k in 0..2 {
                let n = store.collection("dealInstallments").next_int_id();
                store.insert(
                    "dealInstallments",
                    json!({"id": n, "amount": half, "deal_id": id,
                           "billing_date": timefmt::date(added + (30 + 30 * k) * DAY)}),
                );
            }
        }
    }
}

/// Every third product comes in a large and a small variation, each with its price.
fn product_variations(store: &mut Store) {
    let products: Vec<(i64, Value)> = store
        .collection("products")
        .rows()
        .filter_map(|r| Some((r.id.as_int()?, r.value())))
        .filter(|(id, _)| id % 3 == 0)
        .collect();
    for (id, product) in products {
        let base = product["prices"][0]["price"].as_f64().unwrap_or(10.0);
        for (size, factor) in [("Large", 1.5), ("Small", 0.75)] {
            let n = store.collection("productVariations").next_int_id();
            let price = (base * factor * 100.0).round() / 100.0;
            store.insert(
                "productVariations",
                json!({"id": n, "name": format!("{} ({size})", product["name"].as_str().unwrap_or_default()),
                       "product_id": id, "prices": [{"product_variation_id": n, "price": price, "currency": "EUR",
                       "cost": (price * 0.6 * 100.0).round() / 100.0, "direct_cost": 0.0, "notes": null}]}),
            );
        }
    }
}

/// Every second product has an image: a photo, or a drawing with its name in the product's
/// name.
fn product_images(store: &mut Store) {
    let products: Vec<(i64, Value)> = store
        .collection("products")
        .rows()
        .filter_map(|r| Some((r.id.as_int()?, r.value())))
        .filter(|(id, _)| id % 2 == 0)
        .collect();
    for (id, product) in products {
        let (ext, mime) = match id % 4 {
            0 => ("jpg", "image/jpeg"),
            _ => ("png", "image/png"),
        };
        let n = store.collection("productImages").next_int_id();
        let added = product["add_time"]
            .as_str()
            .and_then(timefmt::parse)
            .unwrap_or(BASE_TIME);
        store.insert(
            "productImages",
            json!({"id": n, "product_id": id, "company_id": "1",
                   "public_url": format!("https://pipedrive-product-images.s3.example.com/{id:08x}-6b6a-4293-88b9-e2924782d47e.{ext}"),
                   "add_time": timefmt::date(added + DAY), "mime_type": mime,
                   "name": format!("{}.{ext}", product["name"].as_str().unwrap_or("product"))}),
        );
    }
}

/// An organization as a relationship shows it (v1: its key under `value`).
pub fn org_summary(org: &Value) -> Value {
    json!({
        "name": org["name"], "people_count": 0, "owner_id": org["owner_id"],
        "address": org["address"]["value"], "active_flag": true,
        "cc_email": "company@pipedrivemail.com", "value": org["id"],
    })
}

/// Every fifth organization is the parent of the one before it; every seventh is related to
/// the first.
fn org_relationships(store: &mut Store) {
    let orgs: Vec<(i64, Value)> = store
        .collection("organizations")
        .rows()
        .filter_map(|r| Some((r.id.as_int()?, org_summary(&r.value()))))
        .collect();
    let at = |n: i64| orgs.iter().find(|(id, _)| *id == n).map(|(_, s)| s.clone());
    let mut pairs = vec![];
    for (id, _) in &orgs {
        if id % 5 == 0 {
            pairs.push((*id, id - 1, "parent"));
        }
        if id % 7 == 0 && *id != 1 {
            pairs.push((*id, 1, "related"));
        }
    }
    for (owner, linked, kind) in pairs {
        let (Some(o), Some(l)) = (at(owner), at(linked)) else {
            continue;
        };
        let id = store.collection("organizationRelationships").next_int_id();
        let added = v1_time(BASE_TIME - (owner % 400) * DAY);
        let record = json!({
            "id": id, "type": kind, "rel_owner_org_id": o, "rel_linked_org_id": l,
            "owner_org_id": owner, "linked_org_id": linked,
            "add_time": added, "update_time": added, "active_flag": "true",
        });
        store.insert("organizationRelationships", record);
    }
}

fn v2_time(ts: i64) -> String {
    timefmt::format(ts, TimeFormat::Rfc3339)
}

fn v1_time(ts: i64) -> String {
    timefmt::format(ts, TimeFormat::Space)
}

/// The owner of every `every`-th row of `parent` follows it; every tenth also user 1.
fn followers(store: &mut Store, name: &str, parent: &str, attr: &str, every: i64) {
    let owners: Vec<(i64, i64)> = store
        .collection(parent)
        .rows()
        .filter_map(|r| {
            let id = r.id.as_int()?;
            let owner = r.attr(entity(parent), "owner_id").as_int().unwrap_or(1);
            (id % every == 0).then_some((id, owner))
        })
        .collect();
    for (row, owner) in owners {
        let mut users = vec![owner];
        if row % 10 == 0 && owner != 1 {
            users.push(1);
        }
        for user in users {
            let id = store.collection(name).next_int_id();
            let record = json!({
                "id": id, attr: row, "user_id": user,
                "add_time": v2_time(BASE_TIME - (row % 700) * DAY),
            });
            store.insert(name, record);
        }
    }
}

/// User 1 (the admin) follows every other user.
fn user_followers(store: &mut Store) {
    let users: Vec<i64> = store
        .collection("users")
        .rows()
        .filter_map(|r| r.id.as_int())
        .filter(|&u| u != 1)
        .collect();
    for user in users {
        let id = store.collection("userFollowers").next_int_id();
        let record = json!({
            "id": id, "followed_user_id": user, "user_id": 1,
            "add_time": v2_time(BASE_TIME - user * DAY),
        });
        store.insert("userFollowers", record);
    }
}

const TASK_TITLES: &[&str] = &[
    "Kick-off call",
    "Collect requirements — ввод данных",
    "Configure workspace",
    "Train the team (研修)",
];

/// Four tasks per project, the last a subtask of the first; the first two done.
fn tasks(store: &mut Store) {
    let projects: Vec<(i64, i64)> = store
        .collection("projects")
        .rows()
        .filter_map(|r| {
            let owner = r.attr(entity("projects"), "owner_id").as_int().unwrap_or(1);
            Some((r.id.as_int()?, owner))
        })
        .collect();
    for (project, owner) in projects {
        let first = store.collection("tasks").next_int_id();
        for (i, title) in TASK_TITLES.iter().enumerate() {
            let id = store.collection("tasks").next_int_id();
            let i = i as i64;
            let added = BASE_TIME - (project % 300 + 10 - i) * DAY;
            let done = i < 2;
            let record = json!({
                "id": id, "title": title, "project_id": project,
                "description": if i == 1 { Value::from("Ask for the CSV export and the field list.\nThen map them.") } else { Value::Null },
                "parent_task_id": if i == 3 { Value::from(first) } else { Value::Null },
                "assignee_id": if i == 2 { Value::Null } else { Value::from(owner) },
                "assignee_ids": if i == 2 { json!([]) } else { json!([owner]) },
                "done": i64::from(done), "due_date": timefmt::date(added + 14 * DAY), "creator_id": owner,
                "add_time": v1_time(added), "update_time": v1_time(added + DAY),
                "marked_as_done_time": if done { Value::from(v1_time(added + 2 * DAY)) } else { Value::Null },
            });
            store.insert("tasks", record);
        }
    }
}

/// A comment on every fifth note, two on every twentieth. The sandbox keys rows by `id`; the
/// API names a comment's key `uuid`, so both carry it.
fn note_comments(store: &mut Store) {
    let notes: Vec<(i64, i64)> = store
        .collection("notes")
        .rows()
        .filter_map(|r| {
            let user = r.attr(entity("notes"), "user_id").as_int().unwrap_or(1);
            Some((r.id.as_int()?, user))
        })
        .filter(|(n, _)| n % 5 == 0)
        .collect();
    for (note, user) in notes {
        let count = if note % 20 == 0 { 2 } else { 1 };
        for k in 0..count {
            let added = BASE_TIME - (note % 200) * DAY + k * 3600;
            let record = json!({
                "id": comment_uuid(note, k), "uuid": comment_uuid(note, k), "active_flag": true,
                "add_time": v1_time(added), "update_time": v1_time(added),
                "content": if k == 0 { format!("<p>Agreed — see note {note}.</p>") } else { "<p>👍 Done, «thanks»</p>".to_string() },
                "object_id": note.to_string(), "object_type": "note", "note_id": note,
                "user_id": if k == 0 { user } else { 1 }, "updater_id": user, "company_id": 1,
            });
            store.insert("noteComments", record);
        }
    }
}

/// The stable uuid of a seeded comment.
fn comment_uuid(note: i64, k: i64) -> String {
    format!("{note:08x}-{k:04x}-4000-a000-00000000c0de")
}

/// Each user holds its role.
fn role_assignments(store: &mut Store) {
    let users: Vec<(i64, i64, String)> = store
        .collection("users")
        .rows()
        .filter_map(|r| {
            let v = r.value();
            Some((
                r.id.as_int()?,
                v["role_id"].as_i64().unwrap_or(1),
                v["name"].as_str().unwrap_or_default().to_string(),
            ))
        })
        .collect();
    for (user, role, name) in users {
        let parent = match store.collection("roles").get(&role.to_string()) {
            Some(r) => r.value()["parent_role_id"].clone(),
            None => Value::Null,
        };
        let id = store.collection("roleAssignments").next_int_id();
        let record = json!({
            "id": id, "user_id": user, "role_id": role, "parent_role_id": parent, "name": name,
            "active_flag": true, "type": "1",
        });
        store.insert("roleAssignments", record);
    }
}

/// A record of one of these collections as a write starts it (its keys are the shape a body
/// is checked against); `None` for collections of the main generators.
pub fn template(name: &str) -> Option<Value> {
    let followed = match name {
        "personFollowers" => "person_id",
        "organizationFollowers" => "org_id",
        "productFollowers" => "product_id",
        "userFollowers" => "followed_user_id",
        "tasks" => {
            return Some(json!({
                "id": 0, "title": "", "project_id": 0, "description": null, "parent_task_id": null,
                "assignee_id": null, "assignee_ids": [], "done": 0, "due_date": null, "creator_id": 1,
                "add_time": "", "update_time": "", "marked_as_done_time": null,
                "milestone": 0, "start_date": null, "priority": null,
            }))
        }
        "noteComments" => {
            return Some(json!({
                "id": "", "uuid": "", "active_flag": true, "add_time": "", "update_time": "",
                "content": "", "object_id": "", "object_type": "note", "note_id": 0,
                "user_id": 1, "updater_id": 1, "company_id": 1,
            }))
        }
        "dealDiscounts" => {
            return Some(json!({
                "id": "", "description": null, "type": "percentage", "amount": 0.0, "deal_id": 0,
                "created_at": "", "created_by": 1, "updated_at": "", "updated_by": 1,
            }))
        }
        "dealInstallments" => {
            return Some(json!({
                "id": 0, "description": null, "amount": 0.0, "deal_id": 0, "billing_date": "",
            }))
        }
        "productVariations" => {
            return Some(json!({"id": 0, "name": "", "product_id": 0, "prices": []}))
        }
        "boards" => {
            return Some(
                json!({"id": 0, "name": "", "order_nr": 0, "add_time": "", "update_time": ""}),
            )
        }
        "phases" => {
            return Some(json!({
                "id": 0, "name": "", "board_id": 0, "order_nr": 0, "add_time": "", "update_time": "",
            }))
        }
        "organizationRelationships" => {
            return Some(json!({
                "id": 0, "type": "", "rel_owner_org_id": {}, "rel_linked_org_id": {},
                "owner_org_id": 0, "linked_org_id": 0, "add_time": "", "update_time": "",
                "active_flag": "true",
            }))
        }
        "roleAssignments" => {
            return Some(json!({
                "id": 0, "user_id": 0, "role_id": 0, "parent_role_id": null, "name": "",
                "active_flag": true, "type": "1",
            }))
        }
        _ => return None,
    };
    Some(json!({"id": 0, followed: 0, "user_id": 0, "add_time": ""}))
}

/// What a new row of these collections derives from what it was given: a comment's `uuid`
/// and the note it is on.
pub fn complete(name: &str, record: &mut serde_json::Map<String, Value>) {
    if name == "noteComments" {
        record.insert("uuid".into(), record["id"].clone());
        let note = record.get("note_id").cloned().unwrap_or_default();
        record.insert("object_id".into(), json!(note.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_comment_ids_are_uuids() {
        let id = comment_uuid(1234, 1);
        let groups: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert!(id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }
}

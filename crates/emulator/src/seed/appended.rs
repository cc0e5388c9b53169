//! Rows appended after the main data, drawn from a dice of their own so that the main data
//! stays as it was: archived deals, projects and leads, and activities of the first projects.

use super::epoch::BASE_TIME;
use super::records::Gen;
use crate::entities::entity;
use crate::store::Store;
use crate::timefmt;
use serde_json::{json, Value};

const DAY: i64 = 86_400;
pub const ARCHIVED_DEALS: usize = 6;
pub const ARCHIVED_PROJECTS: usize = 3;
pub const ARCHIVED_LEADS: usize = 3;
/// The projects that get activities, and how many each.
const PROJECTS_WITH_ACTIVITIES: i64 = 4;
const ACTIVITIES_PER_PROJECT: usize = 2;

const PROJECT_SUBJECTS: &[&str] = &[
    "Kick-off call",
    "Statusbericht — Woche 3",
    "進捗確認ミーティング",
    "Handover call 📞",
    "Revisión del plan de migración",
    "Обучение команды",
    "Go-live checklist ✅",
    "Réunion de clôture",
];

/// Adds them to a store that holds the main records.
pub fn populate(store: &mut Store, gen: &mut Gen) {
    for (name, count) in [
        ("deals", ARCHIVED_DEALS),
        ("projects", ARCHIVED_PROJECTS),
        ("leads", ARCHIVED_LEADS),
    ] {
        for _ in 0..count {
            let n = store.collection(name).next_int_id();
            let mut record = gen.record(store, name, n);
            archive(gen, name, &mut record);
            store.insert(name, record);
        }
    }
    project_activities(store, gen);
}

/// Archives a new record some days after its last update (archiving updates it).
fn archive(gen: &mut Gen, name: &str, record: &mut Value) {
    let spec = entity(name);
    let updated = record["update_time"]
        .as_str()
        .and_then(timefmt::parse)
        .unwrap_or_default();
    // archived before the moment the demo data is dated from
    let at = (updated + gen.dice.int(1, 40) * DAY)
        .min(BASE_TIME - DAY / 2)
        .max(updated);
    let at = timefmt::format(at, spec.time_format);
    record["update_time"] = json!(at);
    match name {
        "projects" => {
            record["archive_time"] = json!(at);
            record["status"] = json!(*gen.dice.pick(&["completed", "completed", "canceled"]));
        }
        "deals" => {
            record["is_archived"] = json!(true);
            record["archive_time"] = json!(at);
        }
        _ => record["is_archived"] = json!(true),
    }
}

/// Activities of the first projects, on the project's deal when it has one.
fn project_activities(store: &mut Store, gen: &mut Gen) {
    let projects: Vec<Value> = store
        .collection("projects")
        .rows()
        .take(PROJECTS_WITH_ACTIVITIES as usize)
        .map(|r| r.value())
        .collect();
    for (p, project) in projects.iter().enumerate() {
        for k in 0..ACTIVITIES_PER_PROJECT {
            let n = store.collection("activities").next_int_id();
            let mut record = gen.record(store, "activities", n);
            let subject =
                PROJECT_SUBJECTS[(p * ACTIVITIES_PER_PROJECT + k) % PROJECT_SUBJECTS.len()];
            record["subject"] = json!(subject);
            record["project_id"] = project["id"].clone();
            record["owner_id"] = project["owner_id"].clone();
            record["deal_id"] = project["deal_ids"][0].clone();
            if k == 1 {
                record["location"] = json!({
                    "value": "Mustamäe tee 3, 10616 Tallinn, Estonia", "country": "Estonia",
                    "admin_area_level_1": "Harju maakond", "admin_area_level_2": null,
                    "locality": "Tallinn", "sublocality": "Kristiine", "route": "Mustamäe tee",
                    "street_number": "3", "subpremise": null, "postal_code": "10616",
                });
            }
            store.insert("activities", record);
        }
    }
}

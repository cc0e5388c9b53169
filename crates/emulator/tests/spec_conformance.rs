//! Every route the sandbox serves answers in the shape the official OpenAPI specs describe.
//!
//! The specs' schemas are turned into JSON Schema (refs inlined, OpenAPI `nullable` as a
//! `null` type) and checked with the `jsonschema` validator. A `null` where the spec omits
//! `nullable` is how the live API answers (e.g. `won_time` of an open deal); those are counted
//! apart. Any other error is a violation and fails the test.

mod common;

use common::{small, start, Api};
use pipedrive_sandbox::entities::ApiVersion;
use pipedrive_sandbox::routes::{self, Method, ROUTES};
use serde_json::{json, Map, Value};
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

fn spec(name: &str) -> Value {
    // ../shared/pipedrive-api beside the clone, unless PIPEDRIVE_SPECS_DIR says otherwise
    let dir = std::env::var_os("PIPEDRIVE_SPECS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/pipedrive-api")
        });
    let path = dir.join(name);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_yaml::from_str(&text).expect("spec parses")
}

/// OpenAPI 3.0 schema -> JSON Schema draft 4: `$ref`s inlined, `nullable` as a null type.
/// With `all_nullable`, every typed schema also admits null (the live API's behaviour).
fn convert(root: &Value, schema: &Value, depth: usize, all_nullable: bool) -> Value {
    assert!(depth < 64, "schema nests too deep");
    match schema {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                let target = r
                    .trim_start_matches("#/")
                    .split('/')
                    .fold(root, |v, k| &v[k]);
                return convert(root, target, depth + 1, all_nullable);
            }
            let mut out = Map::new();
            for (k, v) in map {
                match k.as_str() {
                    "example" | "examples" | "description" | "nullable" | "discriminator"
                    | "xml" | "readOnly" | "writeOnly" | "deprecated" => {}
                    "properties" | "patternProperties" => {
                        let props = v.as_object().map(|p| {
                            p.iter()
                                .map(|(name, s)| {
                                    (name.clone(), convert(root, s, depth + 1, all_nullable))
                                })
                                .collect()
                        });
                        out.insert(k.clone(), Value::Object(props.unwrap_or_default()));
                    }
                    _ => {
                        out.insert(k.clone(), convert(root, v, depth + 1, all_nullable));
                    }
                }
            }
            if all_nullable || map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(t)) = out.get("type").cloned() {
                    out.insert("type".into(), json!([t, "null"]));
                }
                if let Some(Value::Array(e)) = out.get_mut("enum") {
                    e.push(Value::Null);
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| convert(root, v, depth + 1, all_nullable))
                .collect(),
        ),
        other => other.clone(),
    }
}

struct Specs {
    v1: Value,
    v2: Value,
    v1_old: Value,
}

impl Specs {
    /// The response schema for an operation and status, from the newest spec that has the path.
    /// The strict schema and its null-tolerant twin.
    fn schema(
        &self,
        version: ApiVersion,
        template: &str,
        method: Method,
        status: u16,
    ) -> Option<(String, Value, Value)> {
        let candidates: &[(&str, &Value)] = match version {
            ApiVersion::V2 => &[("v2", &self.v2)],
            ApiVersion::V1 => &[("v1", &self.v1), ("v1 (2026-01-14)", &self.v1_old)],
        };
        let (name, root) = candidates
            .iter()
            .find(|(_, s)| s["paths"].get(template).is_some())?;
        let op = &root["paths"][template][method.as_str().to_lowercase()];
        let schema = &op["responses"][status.to_string()]["content"]["application/json"]["schema"];
        (!schema.is_null()).then(|| {
            (
                name.to_string(),
                convert(root, schema, 0, false),
                convert(root, schema, 0, true),
            )
        })
    }
}

/// Where the specs contradict what the API answers: (operation, where in the answer: its
/// beginning and end, why). Errors there are not violations.
const SPEC_ERRATA: &[(&str, &str, &str, &str)] = &[
    (
        "/deals/timeline",
        "at /data",
        "at /data",
        "the schema and example show one period, but `amount` asks for several: the answer is \
         a list of such periods",
    ),
    (
        "/products/search",
        "at /data/items/",
        "/item/code",
        "a product's code is text (SKU-00042), as everywhere else; the search answer's schema \
     types it as an integer",
    ),
];

/// One call per route (at least), with a body where the route writes.
fn calls(
    lead: &str,
    other_lead: &str,
    label: &str,
    field: &str,
    goal: &str,
    call_log: &str,
    user: i64,
) -> Vec<(Method, String, Option<Value>)> {
    use Method::*;
    let b = |v: Value| Some(v);
    vec![
        (Get, "/api/v2/deals?limit=50".into(), None),
        (Get, "/api/v2/deals?status=won&owner_id=1".into(), None),
        (
            Get,
            "/api/v2/deals?include_fields=products_count,smart_bcc_email".into(),
            None,
        ),
        (Get, "/api/v2/deals/1".into(), None),
        (
            Post,
            "/api/v2/deals".into(),
            b(json!({"title": "Spec deal", "value": 10, "person_id": 1})),
        ),
        (Patch, "/api/v2/deals/2".into(), b(json!({"status": "won"}))),
        (Delete, "/api/v2/deals/3".into(), None),
        (Get, "/api/v2/persons?limit=50".into(), None),
        (Get, "/api/v2/persons/1".into(), None),
        (
            Post,
            "/api/v2/persons".into(),
            b(
                json!({"name": "Zoë Spec", "emails": [{"value": "z@example.com", "primary": true, "label": "work"}]}),
            ),
        ),
        (
            Patch,
            "/api/v2/persons/2".into(),
            b(json!({"name": "Renamed"})),
        ),
        (Delete, "/api/v2/persons/80".into(), None),
        (Get, "/api/v2/organizations?limit=50".into(), None),
        (Get, "/api/v2/organizations/1".into(), None),
        (
            Post,
            "/api/v2/organizations".into(),
            b(json!({"name": "Spec Org"})),
        ),
        (
            Patch,
            "/api/v2/organizations/2".into(),
            b(json!({"name": "Renamed Org"})),
        ),
        (Delete, "/api/v2/organizations/30".into(), None),
        (Get, "/api/v2/activities?limit=50".into(), None),
        (Get, "/api/v2/activities/1".into(), None),
        (
            Post,
            "/api/v2/activities".into(),
            b(json!({"subject": "Call back", "deal_id": 1})),
        ),
        (
            Patch,
            "/api/v2/activities/2".into(),
            b(json!({"done": true})),
        ),
        (Delete, "/api/v2/activities/3".into(), None),
        (Get, "/api/v2/products".into(), None),
        (Get, "/api/v2/products/1".into(), None),
        (
            Post,
            "/api/v2/products".into(),
            b(json!({"name": "Widget"})),
        ),
        (
            Patch,
            "/api/v2/products/2".into(),
            b(json!({"name": "Widget 2"})),
        ),
        (Delete, "/api/v2/products/10".into(), None),
        (Get, "/api/v2/pipelines".into(), None),
        (Get, "/api/v2/pipelines/1".into(), None),
        (
            Post,
            "/api/v2/pipelines".into(),
            b(json!({"name": "New pipeline"})),
        ),
        (
            Patch,
            "/api/v2/pipelines/2".into(),
            b(json!({"name": "Renamed pipeline"})),
        ),
        (Delete, "/api/v2/pipelines/3".into(), None),
        (Get, "/api/v2/stages?pipeline_id=1".into(), None),
        (Get, "/api/v2/stages/1".into(), None),
        (
            Post,
            "/api/v2/stages".into(),
            b(json!({"name": "New stage", "pipeline_id": 1})),
        ),
        (
            Patch,
            "/api/v2/stages/2".into(),
            b(json!({"name": "Renamed stage"})),
        ),
        (Delete, "/api/v2/stages/15".into(), None),
        (Get, "/api/v2/projects".into(), None),
        (Get, "/api/v2/projects/1".into(), None),
        (
            Post,
            "/api/v2/projects".into(),
            b(json!({"title": "New project"})),
        ),
        (
            Patch,
            "/api/v2/projects/2".into(),
            b(json!({"title": "Renamed project"})),
        ),
        (Delete, "/api/v2/projects/6".into(), None),
        (
            Get,
            "/api/v2/deals/products?deal_ids=1,2,3,4,5".into(),
            None,
        ),
        (Get, "/api/v2/deals/4/products".into(), None),
        (
            Post,
            "/api/v2/deals/4/products".into(),
            b(json!({"product_id": 1, "item_price": 10.5, "quantity": 3})),
        ),
        (Get, "/api/v2/deals/4/followers".into(), None),
        (Delete, "/api/v2/deals/7/products".into(), None),
        (
            Post,
            "/api/v2/deals/4/followers".into(),
            b(json!({"user_id": user})),
        ),
        (Delete, format!("/api/v2/deals/4/followers/{user}"), None),
        (Get, "/api/v2/persons/6/followers".into(), None),
        (
            Post,
            "/api/v2/persons/7/followers".into(),
            b(json!({"user_id": user})),
        ),
        (Delete, format!("/api/v2/persons/7/followers/{user}"), None),
        (Get, "/api/v2/organizations/4/followers".into(), None),
        (
            Post,
            "/api/v2/organizations/5/followers".into(),
            b(json!({"user_id": user})),
        ),
        (
            Delete,
            format!("/api/v2/organizations/5/followers/{user}"),
            None,
        ),
        (Get, "/api/v2/products/4/followers".into(), None),
        (
            Post,
            "/api/v2/products/2/followers".into(),
            b(json!({"user_id": user})),
        ),
        (Delete, format!("/api/v2/products/2/followers/{user}"), None),
        (Get, "/api/v2/users/2/followers".into(), None),
        (Get, "/api/v1/deals/1/permittedUsers".into(), None),
        (Get, "/api/v1/persons/1/permittedUsers".into(), None),
        (Get, "/api/v1/organizations/1/permittedUsers".into(), None),
        (Get, "/api/v1/products/1/permittedUsers".into(), None),
        (Get, format!("/api/v1/leads/{lead}/permittedUsers"), None),
        (Get, "/api/v2/projects/1/permittedUsers".into(), None),
        (Get, "/api/v1/tasks?limit=10".into(), None),
        (Get, "/api/v1/tasks?project_id=1&done=0".into(), None),
        (Get, "/api/v1/tasks/1".into(), None),
        (
            Post,
            "/api/v1/tasks".into(),
            b(json!({"title": "Spec task", "project_id": 1})),
        ),
        (Put, "/api/v1/tasks/2".into(), b(json!({"done": 1}))),
        (Delete, "/api/v1/tasks/3".into(), None),
        (Get, "/api/v1/notes/5/comments".into(), None),
        (
            Post,
            "/api/v1/notes/5/comments".into(),
            b(json!({"content": "<p>Spec comment</p>"})),
        ),
        (Get, "/api/v1/roles/1/assignments".into(), None),
        (Get, "/api/v1/roles/1/settings".into(), None),
        (Get, "/api/v1/roles/2/pipelines".into(), None),
        (Get, "/api/v2/boards".into(), None),
        (Get, "/api/v1/deals/summary".into(), None),
        (Get, "/api/v1/deals/summary?status=open&pipeline_id=1".into(), None),
        (
            Get,
            "/api/v1/deals/timeline?start_date=2025-01-01&interval=month&amount=3&field_key=add_time"
                .into(),
            None,
        ),
        (
            Get,
            format!("/api/v1/goals/{goal}/results?period.start=2025-01-01&period.end=2026-12-31"),
            None,
        ),
        (
            Get,
            "/api/v1/pipelines/1/conversion_statistics?start_date=2020-01-01&end_date=2026-12-31"
                .into(),
            None,
        ),
        (
            Get,
            "/api/v1/pipelines/1/movement_statistics?start_date=2020-01-01&end_date=2026-12-31"
                .into(),
            None,
        ),
        (Get, "/api/v2/phases?board_id=1".into(), None),
        (Get, "/api/v2/projectTemplates".into(), None),
        (Get, "/api/v2/deals/5/discounts".into(), None),
        (Get, "/api/v2/deals/installments?deal_ids=7,14".into(), None),
        (Get, "/api/v2/products/3/variations".into(), None),
        (Get, "/api/v1/users/1/permissions".into(), None),
        (Get, "/api/v1/users/2/permissions".into(), None),
        (Get, "/api/v1/users/2/roleSettings".into(), None),
        (Get, "/api/v1/users/1/roleAssignments".into(), None),
        (Get, "/api/v1/userSettings".into(), None),
        (Get, "/api/v1/userConnections".into(), None),
        (Get, "/api/v1/billing/subscriptions/addons".into(), None),
        (Get, "/api/v1/permissionSets?app=sales".into(), None),
        (
            Get,
            "/api/v1/permissionSets/00000001-0000-4000-a000-000000000001/assignments".into(),
            None,
        ),
        (Get, "/api/v1/leadFields".into(), None),
        (Get, "/api/v1/deals/1/files".into(), None),
        (Get, "/api/v1/persons/1/files".into(), None),
        (Get, "/api/v1/organizations/1/files".into(), None),
        (Get, "/api/v1/products/1/files".into(), None),
        (Get, "/api/v1/projects/1/tasks".into(), None),
        (
            Get,
            "/api/v1/organizationRelationships?org_id=5".into(),
            None,
        ),
        (
            Get,
            "/api/v1/organizationRelationships?org_id=4".into(),
            None,
        ),
        (Get, "/api/v2/dealFields".into(), None),
        (Get, "/api/v2/dealFields/title".into(), None),
        (Get, "/api/v1/dealFields?start=0&limit=10".into(), None),
        (Get, "/api/v1/personFields".into(), None),
        (Get, "/api/v1/organizationFields".into(), None),
        (Get, "/api/v1/productFields".into(), None),
        (Get, "/api/v1/activityFields".into(), None),
        (Get, "/api/v1/noteFields".into(), None),
        (
            Post,
            "/api/v2/dealFields".into(),
            b(
                json!({"field_name": "Spec enum", "field_type": "enum", "options": [{"label": "A"}, {"label": "B"}]}),
            ),
        ),
        (Delete, format!("/api/v2/dealFields/{field}"), None),
        (Get, "/api/v2/personFields".into(), None),
        (Get, "/api/v2/personFields/name".into(), None),
        (
            Post,
            "/api/v2/personFields".into(),
            b(
                json!({"field_name": "Hobby", "field_type": "enum", "options": [{"label": "Chess"}]}),
            ),
        ),
        (Get, "/api/v2/organizationFields".into(), None),
        (Get, "/api/v2/organizationFields/name".into(), None),
        (
            Post,
            "/api/v2/organizationFields".into(),
            b(json!({"field_name": "Tier", "field_type": "set", "options": [{"label": "Gold"}]})),
        ),
        (Get, "/api/v2/productFields".into(), None),
        (Get, "/api/v2/productFields/name".into(), None),
        (
            Post,
            "/api/v2/productFields".into(),
            b(
                json!({"field_name": "Size", "field_type": "set", "options": [{"label": "S"}, {"label": "M"}]}),
            ),
        ),
        (Get, "/api/v2/activityFields".into(), None),
        (Get, "/api/v2/activityFields/subject".into(), None),
        (Get, "/api/v2/projectFields".into(), None),
        (Get, "/api/v2/projectFields/title".into(), None),
        (
            Post,
            "/api/v2/projectFields".into(),
            b(
                json!({"field_name": "Phase", "field_type": "enum", "options": [{"label": "Kick-off"}]}),
            ),
        ),
        (Get, "/api/v1/users".into(), None),
        (
            Post,
            "/api/v1/users".into(),
            b(json!({"email": "new.user@example.com"})),
        ),
        (Get, "/api/v1/users/me".into(), None),
        (Get, "/api/v1/users/2".into(), None),
        (
            Put,
            "/api/v1/users/2".into(),
            b(json!({"active_flag": false})),
        ),
        (Get, "/api/v1/notes?limit=20".into(), None),
        (
            Post,
            "/api/v1/notes".into(),
            b(json!({"content": "Spec note", "deal_id": 1})),
        ),
        (Get, "/api/v1/notes/1".into(), None),
        (
            Put,
            "/api/v1/notes/1".into(),
            b(json!({"content": "Edited"})),
        ),
        (Delete, "/api/v1/notes/2".into(), None),
        (Get, "/api/v1/leads?limit=20".into(), None),
        (
            Post,
            "/api/v1/leads".into(),
            b(json!({"title": "Spec lead", "person_id": 1})),
        ),
        (Get, format!("/api/v1/leads/{lead}"), None),
        (
            Patch,
            format!("/api/v1/leads/{lead}"),
            b(json!({"title": "Renamed lead"})),
        ),
        (Delete, format!("/api/v1/leads/{lead}"), None),
        (Get, "/api/v1/leadLabels".into(), None),
        (
            Post,
            "/api/v1/leadLabels".into(),
            b(json!({"name": "VIP", "color": "purple"})),
        ),
        (
            Patch,
            format!("/api/v1/leadLabels/{label}"),
            b(json!({"name": "Very hot"})),
        ),
        (Delete, format!("/api/v1/leadLabels/{label}"), None),
        (Get, "/api/v1/leadSources".into(), None),
        (Get, "/api/v1/currencies".into(), None),
        (Get, "/api/v1/activityTypes".into(), None),
        (
            Post,
            "/api/v1/activityTypes".into(),
            b(json!({"name": "Demo", "icon_key": "presentation"})),
        ),
        (
            Put,
            "/api/v1/activityTypes/2".into(),
            b(json!({"name": "Meeting 2"})),
        ),
        (Delete, "/api/v1/activityTypes/3".into(), None),
        (Get, "/api/v1/callLogs".into(), None),
        (
            Post,
            "/api/v1/callLogs".into(),
            b(
                json!({"to_phone_number": "+3725551234", "outcome": "connected", "start_time": "2025-01-01 10:00:00", "end_time": "2025-01-01 10:05:00"}),
            ),
        ),
        (Get, format!("/api/v1/callLogs/{call_log}"), None),
        (Delete, format!("/api/v1/callLogs/{call_log}"), None),
        (Get, "/api/v1/files".into(), None),
        (Get, "/api/v1/files/1".into(), None),
        (
            Put,
            "/api/v1/files/1".into(),
            b(json!({"name": "renamed.pdf"})),
        ),
        (Delete, "/api/v1/files/2".into(), None),
        (Get, "/api/v1/filters".into(), None),
        (Get, "/api/v1/filters?type=deals".into(), None),
        (
            Post,
            "/api/v1/filters".into(),
            b(
                json!({"name": "Owner 2", "type": "deals", "conditions": {"glue": "and", "conditions": [{"glue": "and", "conditions": [{"object": "deal", "field_id": "owner_id", "operator": "=", "value": "2"}]}]}}),
            ),
        ),
        (Get, "/api/v1/filters/1".into(), None),
        (
            Put,
            "/api/v1/filters/1".into(),
            b(json!({"name": "Renamed filter", "conditions": {}})),
        ),
        (Delete, "/api/v1/filters/2".into(), None),
        (Delete, "/api/v1/filters?ids=3,4".into(), None),
        (
            Post,
            "/api/v1/goals".into(),
            b(
                json!({"title": "Spec goal", "assignee": {"id": 1, "type": "person"}, "type": {"name": "deals_won", "params": {"pipeline_id": [1]}}, "expected_outcome": {"target": 10, "tracking_metric": "quantity"}, "duration": {"start": "2026-01-01", "end": "2026-06-30"}, "interval": "monthly"}),
            ),
        ),
        (Get, "/api/v1/goals/find?is_active=true".into(), None),
        (
            Put,
            format!("/api/v1/goals/{goal}"),
            b(json!({"title": "Renamed goal"})),
        ),
        (Delete, format!("/api/v1/goals/{goal}"), None),
        (Get, "/api/v1/roles".into(), None),
        (
            Post,
            "/api/v1/roles".into(),
            b(json!({"name": "Spec role"})),
        ),
        (Get, "/api/v1/roles/1".into(), None),
        (
            Put,
            "/api/v1/roles/2".into(),
            b(json!({"name": "Renamed role"})),
        ),
        (Delete, "/api/v1/roles/3".into(), None),
        (Get, "/api/v1/webhooks".into(), None),
        (
            Post,
            "/api/v1/webhooks".into(),
            b(
                json!({"subscription_url": "https://hooks.example.com/x", "event_action": "create", "event_object": "deal", "name": "Spec hook"}),
            ),
        ),
        (Delete, "/api/v1/webhooks/1".into(), None),
        (Get, "/api/v1/deals/4/products".into(), None),
        (
            Post,
            "/api/v1/deals/5/products".into(),
            b(json!({"product_id": 2, "item_price": 99, "quantity": 1})),
        ),
        (Get, "/api/v1/deals/4/participants".into(), None),
        (
            Post,
            "/api/v1/deals/4/participants".into(),
            b(json!({"person_id": 7})),
        ),
        (Get, "/api/v1/deals/4/followers".into(), None),
        (
            Post,
            "/api/v1/deals/6/followers".into(),
            b(json!({"user_id": 3})),
        ),
        (Get, "/api/v1/deals/1/flow".into(), None),
        (Get, "/api/v1/persons/1/flow".into(), None),
        (Get, "/api/v1/organizations/1/flow".into(), None),
        (Get, "/api/v1/deals/1/changelog".into(), None),
        (Get, "/api/v1/persons/2/changelog?limit=1".into(), None),
        (Get, "/api/v1/organizations/3/changelog".into(), None),
        (Get, "/api/v2/projects/1/changelog".into(), None),
        (Get, "/api/v1/projects/2/groups".into(), None),
        (Get, "/api/v1/projects/2/plan".into(), None),
        (Get, "/api/v1/deals/4/participantsChangelog".into(), None),
        (Get, "/api/v2/deals/4/followers/changelog".into(), None),
        (Get, "/api/v2/persons/6/followers/changelog".into(), None),
        (
            Get,
            "/api/v2/organizations/4/followers/changelog".into(),
            None,
        ),
        (Get, "/api/v2/products/4/followers/changelog".into(), None),
        (
            Get,
            "/api/v1/recents?since_timestamp=2025-06-01%2000:00:00&limit=30".into(),
            None,
        ),
        // actions
        (
            Put,
            "/api/v1/deals/11/merge".into(),
            b(json!({"merge_with_id": 12})),
        ),
        (
            Put,
            "/api/v1/persons/11/merge".into(),
            b(json!({"merge_with_id": 12})),
        ),
        (
            Put,
            "/api/v1/organizations/11/merge".into(),
            b(json!({"merge_with_id": 12})),
        ),
        (Post, "/api/v1/deals/13/duplicate".into(), None),
        (Post, "/api/v2/products/3/duplicate".into(), None),
        (Post, "/api/v2/deals/14/convert/lead".into(), None),
        (
            Post,
            format!("/api/v2/leads/{other_lead}/convert/deal"),
            None,
        ),
        (
            Post,
            "/api/v1/files".into(),
            b(json!({"file": {"name": "notes.txt", "base64": "aGVsbG8="}, "deal_id": 4})),
        ),
        (Get, "/api/v1/files/3/download".into(), None),
        (Get, "/api/v2/deals/search?term=an&limit=5".into(), None),
        (
            Get,
            "/api/v2/deals/search?term=an&fields=title&status=open".into(),
            None,
        ),
        (Get, "/api/v2/persons/search?term=an&limit=5".into(), None),
        (
            Get,
            "/api/v2/organizations/search?term=an&limit=5".into(),
            None,
        ),
        (Get, "/api/v2/products/search?term=SKU&limit=5".into(), None),
        (Get, "/api/v2/leads/search?term=lead&limit=5".into(), None),
        (
            Get,
            "/api/v2/projects/search?term=Onboarding&limit=5".into(),
            None,
        ),
        (Get, "/api/v2/itemSearch?term=an&limit=20".into(), None),
        (
            Get,
            "/api/v2/itemSearch/field?term=SKU&entity_type=product&field=code&match=beginning"
                .into(),
            None,
        ),
        (Get, "/api/v1/users/find?term=user".into(), None),
        // error answers the specs describe
        (Get, "/api/v1/notes/999999".into(), None),
        (Get, "/api/v2/deals/999999".into(), None),
    ]
}

/// Calls on what a create just made: rename and delete a new field, change and remove a new
/// deal product, remove a new participant.
fn follow_ups(method: Method, path: &str, answer: &Value) -> Vec<(Method, String, Option<Value>)> {
    if method != Method::Post {
        return vec![];
    }
    let data = &answer["data"];
    if path.starts_with("/api/v2/") && path.ends_with("Fields") {
        let code = data["field_code"].as_str().expect("new field code");
        let at = format!("{path}/{code}");
        let mut calls = vec![];
        if let Some(first) = data["options"].as_array().and_then(|o| o.first()) {
            let options = format!("{at}/options");
            calls.push((
                Method::Post,
                options.clone(),
                Some(json!([{"label": "Added"}])),
            ));
            calls.push((
                Method::Patch,
                options.clone(),
                Some(json!([{"id": first["id"], "label": "Relabelled"}])),
            ));
            calls.push((Method::Delete, options, Some(json!([{"id": first["id"]}]))));
        }
        calls.push((
            Method::Patch,
            at.clone(),
            Some(json!({"field_name": "Renamed"})),
        ));
        calls.push((Method::Delete, at, None));
        return calls;
    }
    if let Some(at) = path
        .strip_suffix("/convert/lead")
        .or_else(|| path.strip_suffix("/convert/deal"))
    {
        let job = data["conversion_id"]
            .as_str()
            .unwrap_or_else(|| panic!("{path}: {answer}"));
        return vec![(Method::Get, format!("{at}/convert/status/{job}"), None)];
    }
    match path {
        "/api/v2/deals/4/products" => {
            let at = format!("/api/v2/deals/4/products/{}", data["id"]);
            vec![
                (Method::Patch, at.clone(), Some(json!({"quantity": 5}))),
                (Method::Delete, at, None),
            ]
        }
        "/api/v1/deals/6/followers" => vec![(
            Method::Delete,
            format!("/api/v1/deals/6/followers/{}", data["id"]),
            None,
        )],
        "/api/v1/notes/5/comments" => {
            let at = format!(
                "/api/v1/notes/5/comments/{}",
                data["uuid"].as_str().unwrap_or_default()
            );
            vec![
                (Method::Get, at.clone(), None),
                (
                    Method::Put,
                    at.clone(),
                    Some(json!({"content": "<p>Edited</p>"})),
                ),
                (Method::Delete, at, None),
            ]
        }
        "/api/v1/deals/4/participants" => vec![(
            Method::Delete,
            format!("/api/v1/deals/4/participants/{}", data["id"]),
            None,
        )],
        _ => vec![],
    }
}

#[tokio::test]
async fn every_route_answers_as_the_official_specs_describe() {
    let specs = Specs {
        v1: spec("openapi-v1.yaml"),
        v2: spec("openapi-v2.yaml"),
        v1_old: spec("openapi-v1-2026-01-14.yaml"),
    };
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    // ids the calls need that only exist at run time
    let leads = api.ok("/api/v1/leads?limit=2").await;
    let lead = leads["data"][0]["id"].as_str().unwrap().to_string();
    let other_lead = leads["data"][1]["id"].as_str().unwrap().to_string();
    let label = api.ok("/api/v1/leadLabels").await["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let goal = api.ok("/api/v1/goals/find").await["data"]["goals"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let call_log = api.ok("/api/v1/callLogs").await["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let fields = api.ok("/api/v2/dealFields?limit=500").await;
    let field = fields["data"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|f| f["is_custom_field"] == true)
        .unwrap()["field_code"]
        .as_str()
        .unwrap()
        .to_string();
    // a user who does not follow deal 4 yet, to add and remove as a follower
    let owner = api.ok("/api/v2/deals/4").await["data"]["owner_id"]
        .as_i64()
        .unwrap();
    let user = owner % 5 + 1;

    let mut covered = BTreeSet::new();
    let mut violations = Vec::new();
    let mut faithful_nulls: HashMap<String, usize> = HashMap::new();
    let mut validated = 0;
    // the participant created above is deleted by id, found at run time
    let mut all = calls(&lead, &other_lead, &label, &field, &goal, &call_log, user);
    let mut i = 0;
    while i < all.len() {
        let (method, path, body) = all[i].clone();
        i += 1;
        let (version, rest) = if let Some(r) = path.strip_prefix("/api/v2") {
            (ApiVersion::V2, r)
        } else {
            (ApiVersion::V1, path.strip_prefix("/api/v1").unwrap())
        };
        let rest_path = rest.split('?').next().unwrap();
        let (route, _) = routes::find(version, method, rest_path)
            .unwrap_or_else(|| panic!("no route for {} {path}", method.as_str()));
        covered.insert((
            route.version.prefix(),
            route.method.as_str(),
            route.template,
        ));
        let http_method = reqwest::Method::from_bytes(method.as_str().as_bytes()).unwrap();
        let (status, answer) = api.call(http_method, &path, body).await;
        all.extend(follow_ups(method, &path, &answer));
        let expected_error = path.contains("999999");
        assert_eq!(
            status.is_success(),
            !expected_error,
            "{} {path} -> {status}: {answer}",
            method.as_str()
        );
        if route.op == routes::Op::Download {
            // the bytes of the file, not JSON
            assert!(
                answer.as_str().is_some_and(|t| !t.is_empty()),
                "{path}: {answer}"
            );
            continue;
        }
        let Some((spec_name, schema, tolerant)) =
            specs.schema(version, route.template, method, status.as_u16())
        else {
            assert!(
                expected_error,
                "{spec_path}: the spec has no {status} answer for {} {}",
                method.as_str(),
                route.template,
                spec_path = version.prefix()
            );
            continue;
        };
        let strict = jsonschema::draft4::new(&schema)
            .unwrap_or_else(|e| panic!("schema of {} {}: {e}", method.as_str(), route.template));
        let lenient = jsonschema::draft4::new(&tolerant).expect("tolerant schema compiles");
        validated += 1;
        // errors that remain when nulls are allowed are violations; the rest are faithful nulls
        let real: Vec<String> = lenient
            .iter_errors(&answer)
            .map(|e| format!("at {}: {e}", e.instance_path()))
            .collect();
        if real.is_empty() {
            let nulls = strict.iter_errors(&answer).count();
            if nulls > 0 {
                *faithful_nulls
                    .entry(format!("{} {}", method.as_str(), route.template))
                    .or_default() += nulls;
            }
        }
        for error in real {
            let place = error.split(':').next().unwrap_or_default();
            if SPEC_ERRATA.iter().any(|(t, under, end, _)| {
                *t == route.template && place.starts_with(under) && place.ends_with(end)
            }) {
                continue;
            }
            let short: String = error.chars().take(300).collect();
            violations.push(format!(
                "[{spec_name}] {} {} -> {status} {short}",
                method.as_str(),
                path
            ));
        }
    }
    let missing: Vec<String> = ROUTES
        .iter()
        .filter(|r| !covered.contains(&(r.version.prefix(), r.method.as_str(), r.template)))
        .map(|r| format!("{} {}{}", r.method.as_str(), r.version.prefix(), r.template))
        .collect();
    assert!(missing.is_empty(), "routes not exercised: {missing:#?}");
    assert!(
        violations.is_empty(),
        "{} spec violations:\n{}",
        violations.len(),
        violations.join("\n")
    );
    assert!(validated >= ROUTES.len(), "validated {validated} answers");
    eprintln!(
        "validated {validated} answers of {} routes; nulls where the spec omits nullable: {}",
        ROUTES.len(),
        faithful_nulls.len()
    );
}

/// Query parameters every list understands besides its entity's filters.
const LIST_PARAMETERS: &[&str] = &[
    "limit",
    "cursor",
    "start",
    "sort_by",
    "sort_direction",
    "sort",
    "include_fields",
    "custom_fields",
    "filter_id",
    "include_option_labels",
    "include_labels",
    "include_product_data",
];

#[test]
fn every_list_parameter_of_the_specs_is_understood() {
    let specs = Specs {
        v1: spec("openapi-v1.yaml"),
        v2: spec("openapi-v2.yaml"),
        v1_old: spec("openapi-v1-2026-01-14.yaml"),
    };
    let mut missing = vec![];
    for route in ROUTES.iter().filter(|r| r.method == Method::Get) {
        let pipedrive_sandbox::routes::Op::List(name) = route.op else {
            continue;
        };
        let roots: Vec<&Value> = match route.version {
            ApiVersion::V2 => vec![&specs.v2],
            ApiVersion::V1 => vec![&specs.v1, &specs.v1_old],
        };
        let op = roots
            .iter()
            .map(|r| &r["paths"][route.template]["get"])
            .find(|op| !op.is_null())
            .expect("operation");
        let entity = pipedrive_sandbox::entities::entity(name);
        for p in op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "query")
        {
            let param = p["name"].as_str().unwrap();
            if !LIST_PARAMETERS.contains(&param) && entity.filter(param).is_none() {
                missing.push(format!(
                    "{}{} ?{param}",
                    route.version.prefix(),
                    route.template
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "list parameters the sandbox ignores: {missing:#?}"
    );
}

#[test]
fn token_costs_match_the_specs() {
    let specs = Specs {
        v1: spec("openapi-v1.yaml"),
        v2: spec("openapi-v2.yaml"),
        v1_old: spec("openapi-v1-2026-01-14.yaml"),
    };
    for route in ROUTES {
        let roots: Vec<&Value> = match route.version {
            ApiVersion::V2 => vec![&specs.v2],
            ApiVersion::V1 => vec![&specs.v1, &specs.v1_old],
        };
        let op = roots
            .iter()
            .map(|r| &r["paths"][route.template][route.method.as_str().to_lowercase()])
            .find(|op| !op.is_null())
            .unwrap_or_else(|| {
                panic!("{} {} is in no spec", route.method.as_str(), route.template)
            });
        assert_eq!(
            op["x-token-cost"].as_u64(),
            Some(route.cost as u64),
            "{} {}",
            route.method.as_str(),
            route.template
        );
        let created = op["responses"].get("201").is_some();
        assert_eq!(
            created,
            route.created,
            "{} {}: success status",
            route.method.as_str(),
            route.template
        );
    }
}

//! The calls the conformance test makes: at least one per route the sandbox serves, with a
//! body where the route writes, and the follow-up calls on what a create made.

use pipedrive_sandbox::routes::Method;
use serde_json::{json, Value};

/// One call per route (at least), with a body where the route writes.
pub fn calls(
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
        (
            Post,
            "/api/v2/deals/5/discounts".into(),
            b(json!({"description": "Loyalty", "amount": 10, "type": "percentage"})),
        ),
        (
            Post,
            "/api/v2/deals/6/installments".into(),
            b(json!({"description": "First", "amount": 250, "billing_date": "2027-01-15"})),
        ),
        (
            Post,
            "/api/v2/products/2/variations".into(),
            b(json!({"name": "XL", "prices": [{"currency": "EUR", "price": 12}]})),
        ),
        (
            Post,
            "/api/v1/organizationRelationships".into(),
            b(json!({"org_id": 5, "type": "related", "rel_owner_org_id": 5, "rel_linked_org_id": 9})),
        ),
        (Post, "/api/v2/boards".into(), b(json!({"name": "Onboarding", "order_nr": 4}))),
        (
            Post,
            "/api/v2/phases".into(),
            b(json!({"name": "Review", "board_id": 1, "order_nr": 5})),
        ),
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
        // archived rows
        (Get, "/api/v2/deals/archived".into(), None),
        (Get, "/api/v2/deals/archived?status=won&sort_by=update_time".into(), None),
        (Patch, "/api/v2/deals/8".into(), b(json!({"is_archived": true}))),
        (Get, "/api/v2/projects/archived".into(), None),
        (Post, "/api/v2/projects/3/archive".into(), None),
        (Get, "/api/v1/leads/archived?limit=2".into(), None),
        // the mailbox
        (Get, "/api/v1/mailbox/mailThreads?folder=inbox".into(), None),
        (Get, "/api/v1/mailbox/mailThreads?folder=sent&start=2&limit=3".into(), None),
        (Get, "/api/v1/mailbox/mailThreads?folder=drafts".into(), None),
        (Get, "/api/v1/mailbox/mailThreads?folder=archive".into(), None),
        (Get, "/api/v1/mailbox/mailThreads/1".into(), None),
        (Get, "/api/v1/mailbox/mailThreads/2/mailMessages".into(), None),
        (Get, "/api/v1/mailbox/mailMessages/1".into(), None),
        (Get, "/api/v1/mailbox/mailMessages/9?include_body=1".into(), None),
        (
            Put,
            "/api/v1/mailbox/mailThreads/1".into(),
            b(json!({"archived_flag": 1, "read_flag": 1, "deal_id": 2})),
        ),
        (Delete, "/api/v1/mailbox/mailThreads/4".into(), None),
        // deal 1's person is 21, of organization 21: all three have mail
        (Get, "/api/v1/deals/1/mailMessages".into(), None),
        (Get, "/api/v1/persons/21/mailMessages?limit=2".into(), None),
        (Get, "/api/v1/organizations/21/mailMessages?include_body=1".into(), None),
        // rows of one record seen from another
        (Get, "/api/v1/projects/1/activities".into(), None),
        (Get, "/api/v1/products/2/deals".into(), None),
        (Get, "/api/v1/products/2/deals?status=open&limit=3".into(), None),
        (Get, "/api/v1/persons/21/products".into(), None),
        // pictures and images
        (Get, "/api/v2/persons/3/picture".into(), None),
        (Get, "/api/v2/products/4/images".into(), None),
        (
            Post,
            "/api/v2/products/5/images".into(),
            b(json!({"data": {"name": "Größentabelle.png", "base64": "iVBORw0KGgo="}})),
        ),
        (
            Put,
            "/api/v2/products/6/images".into(),
            b(json!({"data": {"name": "photo.jpg", "base64": "/9j/4AAQ"}})),
        ),
        (Delete, "/api/v2/products/8/images".into(), None),
        // project tasks in their v2 shape
        (Get, "/api/v2/tasks?limit=10".into(), None),
        (Get, "/api/v2/tasks?project_id=1&is_done=false".into(), None),
        (Get, "/api/v2/tasks/5".into(), None),
        (
            Post,
            "/api/v2/tasks".into(),
            b(json!({"title": "Spec v2 task", "project_id": 1, "milestone": 1, "assignee_ids": [1, 2]})),
        ),
        (Patch, "/api/v2/tasks/6".into(), b(json!({"done": 1, "priority": 2}))),
        (Delete, "/api/v2/tasks/7".into(), None),
        // error answers the specs describe
        (Get, "/api/v1/notes/999999".into(), None),
        (Get, "/api/v2/deals/999999".into(), None),
    ]
}

/// Calls on what a create just made: rename and delete a new field, change and remove a new
/// deal product, remove a new participant.
pub fn follow_ups(
    method: Method,
    path: &str,
    answer: &Value,
) -> Vec<(Method, String, Option<Value>)> {
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
        "/api/v1/organizationRelationships" => {
            let at = format!("{path}/{}", data["id"]);
            vec![
                (Method::Get, at.clone(), None),
                (Method::Put, at.clone(), Some(json!({"type": "parent"}))),
                (Method::Delete, at, None),
            ]
        }
        // v2 rows changed and removed under the list they were added to
        "/api/v2/deals/5/discounts"
        | "/api/v2/deals/6/installments"
        | "/api/v2/products/2/variations"
        | "/api/v2/boards"
        | "/api/v2/phases" => {
            let id = match &data["id"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let at = format!("{path}/{id}");
            let change = match path.contains("/deals/") {
                true => json!({"amount": 3}),
                false => json!({"name": "Renamed"}),
            };
            vec![
                (Method::Patch, at.clone(), Some(change)),
                (Method::Delete, at, None),
            ]
        }
        _ => vec![],
    }
}

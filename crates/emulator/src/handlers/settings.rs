//! The account's settings and permissions (API v1): what a user may do, the settings of the
//! user's role, the pipelines a role sees, the signed-in user's settings and connections, the
//! company's add-ons and permission sets.

use super::answer::Answer;
use super::not_found::must_exist;
use super::request::Ctx;
use crate::entities::entity;
use crate::error::ApiResult;
use crate::store::{Row, Store};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// What the permission sets allow: admins everything, regular users all but these.
const PERMISSIONS: &[(&str, bool)] = &[
    ("can_add_custom_fields", false),
    ("can_add_products", true),
    ("can_add_prospects_as_leads", true),
    ("can_bulk_edit_items", false),
    ("can_change_visibility_of_items", true),
    ("can_convert_deals_to_leads", true),
    ("can_create_own_workflow", true),
    ("can_delete_activities", true),
    ("can_delete_custom_fields", false),
    ("can_delete_deals", true),
    ("can_edit_custom_fields", false),
    ("can_edit_deals_closed_date", false),
    ("can_edit_products", true),
    ("can_edit_shared_filters", false),
    ("can_export_data_from_lists", true),
    ("can_follow_other_users", true),
    ("can_merge_deals", true),
    ("can_merge_organizations", true),
    ("can_merge_people", true),
    ("can_modify_labels", false),
    ("can_see_company_wide_statistics", false),
    ("can_see_deals_list_summary", true),
    ("can_see_hidden_items_names", false),
    ("can_see_other_users", true),
    ("can_see_other_users_statistics", false),
    ("can_see_security_dashboard", false),
    ("can_share_filters", true),
    ("can_share_insights", true),
    ("can_use_api", true),
    ("can_use_email_tracking", true),
    ("can_use_import", false),
];

fn user<'a>(store: &'a Store, ctx: &Ctx) -> ApiResult<&'a Row> {
    must_exist(store, entity("users"), ctx.parent_id()?.unwrap_or_default())
}

/// `GET /users/{id}/permissions`.
pub fn user_permissions(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let admin = user(store, ctx)?.value()["access"][0]["admin"] == true;
    let flags: Map<String, Value> = PERMISSIONS
        .iter()
        .map(|(k, regular)| (k.to_string(), Value::from(admin || *regular)))
        .collect();
    Ok(Answer::data(&Value::Object(flags)))
}

/// A role's default visibilities and access levels: the admin role (1) sees and edits
/// everything, the others their own rows.
pub fn settings_of_role(role: i64) -> Value {
    let (visibility, access) = if role == 1 { (3, 7) } else { (1, 3) };
    json!({
        "deal_default_visibility": visibility, "lead_default_visibility": visibility,
        "org_default_visibility": visibility, "person_default_visibility": visibility,
        "product_default_visibility": visibility, "deal_access_level": access,
        "org_access_level": access, "person_access_level": access, "product_access_level": access,
    })
}

/// `GET /roles/{id}/settings`.
pub fn role_settings(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let id = ctx.parent_id()?.unwrap_or_default();
    must_exist(store, entity("roles"), id)?;
    Ok(Answer::data(&settings_of_role(id)))
}

/// `GET /users/{id}/roleSettings`: the settings of the user's role.
pub fn user_role_settings(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let role = user(store, ctx)?.value()["role_id"].as_i64().unwrap_or(1);
    Ok(Answer::data(&settings_of_role(role)))
}

/// `GET /roles/{id}/pipelines`: every role sees every pipeline.
pub fn role_pipelines(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    must_exist(store, entity("roles"), ctx.parent_id()?.unwrap_or_default())?;
    let visible = ctx.query.boolean(ctx.version(), "visible")?.unwrap_or(true);
    let ids: Vec<Value> = match visible {
        true => store
            .collection("pipelines")
            .rows()
            .map(|r| r.id.to_json())
            .collect(),
        false => vec![],
    };
    Ok(Answer::data(
        &json!({"pipeline_ids": ids, "visible": visible}),
    ))
}

/// `GET /userSettings`.
pub fn user_settings() -> ApiResult<Answer> {
    Ok(Answer::data(&json!({
        "marketplace_team": false, "list_limit": 100, "beta_app": false,
        "prevent_salesphone_callto_override": false, "file_upload_destination": "s3",
        "callto_link_syntax": "callto:[number]", "autofill_deal_expected_close_date": true,
        "person_duplicate_condition": "name_or_email",
    })))
}

/// `GET /userConnections`: the user's Google account.
pub fn user_connections(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let email = must_exist(store, entity("users"), ctx.user_id)?.value()["email"].clone();
    Ok(Answer::data(&json!({ "google": email })))
}

/// The permission sets the users hold (each user's first app access), with their holders.
fn permission_sets(store: &Store) -> BTreeMap<String, (bool, Vec<(Value, Value)>)> {
    let mut sets: BTreeMap<String, (bool, Vec<(Value, Value)>)> = BTreeMap::new();
    for user in store.collection("users").rows().map(Row::value) {
        let access = &user["access"][0];
        if let Some(id) = access["permission_set_id"].as_str() {
            let entry = sets.entry(id.to_string()).or_default();
            entry.0 = access["admin"] == true;
            entry.1.push((user["id"].clone(), user["name"].clone()));
        }
    }
    sets
}

/// `GET /permissionSets`.
pub fn permission_sets_list(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let app = ctx.query.get("app");
    let sets: Vec<Value> = permission_sets(store)
        .into_iter()
        .filter(|_| app.is_none_or(|a| a == "sales"))
        .map(|(id, (admin, holders))| {
            let (name, kind) = match admin {
                true => ("Global admin", "admin"),
                false => ("Regular user", "regular"),
            };
            json!({"id": id, "name": name, "description": format!("{name} of Sales"), "app": "sales",
                   "type": kind, "assignment_count": holders.len()})
        })
        .collect();
    Ok(Answer::data(&json!(sets)))
}

/// `GET /permissionSets/{id}/assignments`.
pub fn permission_set_assignments(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let id = ctx.param("id").unwrap_or_default();
    let sets = permission_sets(store);
    let (_, holders) = sets
        .get(id)
        .ok_or_else(|| crate::error::ApiError::not_found("Permission set"))?;
    let rows: Vec<Value> = holders
        .iter()
        .map(|(user, name)| json!({"user_id": user, "permission_set_id": id, "name": name}))
        .collect();
    Ok(Answer::data(&json!(rows)))
}

/// `GET /billing/subscriptions/addons`.
pub fn addons() -> ApiResult<Answer> {
    Ok(Answer::data(&json!([
        {"code": "leadbooster_v2"}, {"code": "smart_docs_v2"}, {"code": "projects"},
    ])))
}

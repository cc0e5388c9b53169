//! What each user may do and how the signed-in user's account is set up (API v1): a user's
//! permissions, role settings and role assignments, which pipelines a role sees, the user's
//! settings and connections, the company's add-ons and permission sets.

use super::table_def::ColType::*;
use super::table_def::{c, child_of, ChildFetch, Kind, Parent, TableDef, NO_KEY};
use pipedrive_api::ApiVersion::V1;

const fn of_user() -> Option<Parent> {
    child_of("Users", "UserId", "user_id", ChildFetch::PerParent)
}

/// One row per user: what the user's permission set lets them do.
pub static USERS_PERMISSIONS: TableDef = TableDef {
    name: "UsersPermissions",
    version: V1,
    path: "/users/{id}/permissions",
    parent: of_user(),
    one_row: true,
    key: "UserId",
    columns: &[
        c("UserId", "user_id", BigInt),
        c("CanAddCustomFields", "can_add_custom_fields", Boolean),
        c("CanAddProducts", "can_add_products", Boolean),
        c(
            "CanAddProspectsAsLeads",
            "can_add_prospects_as_leads",
            Boolean,
        ),
        c("CanBulkEditItems", "can_bulk_edit_items", Boolean),
        c(
            "CanChangeVisibilityOfItems",
            "can_change_visibility_of_items",
            Boolean,
        ),
        c(
            "CanConvertDealsToLeads",
            "can_convert_deals_to_leads",
            Boolean,
        ),
        c("CanCreateOwnWorkflow", "can_create_own_workflow", Boolean),
        c("CanDeleteActivities", "can_delete_activities", Boolean),
        c("CanDeleteCustomFields", "can_delete_custom_fields", Boolean),
        c("CanDeleteDeals", "can_delete_deals", Boolean),
        c("CanEditCustomFields", "can_edit_custom_fields", Boolean),
        c(
            "CanEditDealsClosedDate",
            "can_edit_deals_closed_date",
            Boolean,
        ),
        c("CanEditProducts", "can_edit_products", Boolean),
        c("CanEditSharedFilters", "can_edit_shared_filters", Boolean),
        c(
            "CanExportDataFromLists",
            "can_export_data_from_lists",
            Boolean,
        ),
        c("CanFollowOtherUsers", "can_follow_other_users", Boolean),
        c("CanMergeDeals", "can_merge_deals", Boolean),
        c("CanMergeOrganizations", "can_merge_organizations", Boolean),
        c("CanMergePeople", "can_merge_people", Boolean),
        c("CanModifyLabels", "can_modify_labels", Boolean),
        c(
            "CanSeeCompanyWideStatistics",
            "can_see_company_wide_statistics",
            Boolean,
        ),
        c(
            "CanSeeDealsListSummary",
            "can_see_deals_list_summary",
            Boolean,
        ),
        c(
            "CanSeeHiddenItemsNames",
            "can_see_hidden_items_names",
            Boolean,
        ),
        c("CanSeeOtherUsers", "can_see_other_users", Boolean),
        c(
            "CanSeeOtherUsersStatistics",
            "can_see_other_users_statistics",
            Boolean,
        ),
        c(
            "CanSeeSecurityDashboard",
            "can_see_security_dashboard",
            Boolean,
        ),
        c("CanShareFilters", "can_share_filters", Boolean),
        c("CanShareInsights", "can_share_insights", Boolean),
        c("CanUseApi", "can_use_api", Boolean),
        c("CanUseEmailTracking", "can_use_email_tracking", Boolean),
        c("CanUseImport", "can_use_import", Boolean),
    ],
    kind: Kind::View,
    ..TableDef::BASE
};

/// One row per user: the settings of the user's role.
pub static USERS_ROLE_SETTINGS: TableDef = TableDef {
    name: "UsersRoleSettings",
    version: V1,
    path: "/users/{id}/roleSettings",
    parent: of_user(),
    one_row: true,
    key: "UserId",
    columns: role_settings_columns!("UserId", "user_id"),
    kind: Kind::View,
    ..TableDef::BASE
};

/// The roles each user holds.
pub static USERS_ROLE_ASSIGNMENTS: TableDef = TableDef {
    name: "UsersRoleAssignments",
    version: V1,
    path: "/users/{id}/roleAssignments",
    parent: of_user(),
    key: NO_KEY,
    columns: assignment_columns!(),
    kind: Kind::View,
    ..TableDef::BASE
};

/// One row per role: the pipelines its users see.
pub static ROLES_PIPELINES: TableDef = TableDef {
    name: "RolesPipelines",
    version: V1,
    path: "/roles/{id}/pipelines",
    parent: child_of("Roles", "RoleId", "role_id", ChildFetch::PerParent),
    one_row: true,
    key: "RoleId",
    columns: &[
        c("RoleId", "role_id", BigInt),
        c("PipelineIds", "pipeline_ids", Json),
        c("Visible", "visible", Boolean),
    ],
    kind: Kind::View,
    ..TableDef::BASE
};

/// The company's permission sets: what the users assigned to each may do in an app.
pub static PERMISSION_SETS: TableDef = TableDef {
    name: "PermissionSets",
    version: V1,
    path: "/permissionSets",
    columns: &[
        c("Id", "id", Text),
        c("Name", "name", Text),
        c("Description", "description", Text),
        c("App", "app", Text),
        c("Type", "type", Text),
        c("AssignmentCount", "assignment_count", BigInt),
    ],
    kind: Kind::View,
    ..TableDef::BASE
};

/// The users each permission set is assigned to.
pub static PERMISSION_SETS_ASSIGNMENTS: TableDef = TableDef {
    name: "PermissionSetsAssignments",
    version: V1,
    path: "/permissionSets/{id}/assignments",
    parent: child_of(
        "PermissionSets",
        "PermissionSetId",
        "permission_set_id",
        ChildFetch::PerParent,
    ),
    key: NO_KEY,
    columns: &[
        c("PermissionSetId", "permission_set_id", Text),
        c("UserId", "user_id", BigInt),
        c("Name", "name", Text),
    ],
    kind: Kind::View,
    ..TableDef::BASE
};

/// The signed-in user's settings: one row.
pub static USER_SETTINGS: TableDef = TableDef {
    name: "UserSettings",
    version: V1,
    path: "/userSettings",
    one_row: true,
    key: NO_KEY,
    columns: &[
        c("MarketplaceTeam", "marketplace_team", Boolean),
        c("ListLimit", "list_limit", BigInt),
        c("BetaApp", "beta_app", Boolean),
        c(
            "PreventSalesphoneCalltoOverride",
            "prevent_salesphone_callto_override",
            Boolean,
        ),
        c("FileUploadDestination", "file_upload_destination", Text),
        c("CalltoLinkSyntax", "callto_link_syntax", Text),
        c(
            "AutofillDealExpectedCloseDate",
            "autofill_deal_expected_close_date",
            Boolean,
        ),
        c(
            "PersonDuplicateCondition",
            "person_duplicate_condition",
            Text,
        ),
    ],
    kind: Kind::View,
    ..TableDef::BASE
};

/// The signed-in user's connections to other services: one row.
pub static USER_CONNECTIONS: TableDef = TableDef {
    name: "UserConnections",
    version: V1,
    path: "/userConnections",
    one_row: true,
    key: NO_KEY,
    columns: &[c("Google", "google", Text)],
    kind: Kind::View,
    ..TableDef::BASE
};

/// The add-ons of the company's subscription.
pub static SUBSCRIPTION_ADDONS: TableDef = TableDef {
    name: "SubscriptionAddons",
    version: V1,
    path: "/billing/subscriptions/addons",
    key: "Code",
    columns: &[c("Code", "code", Text)],
    kind: Kind::View,
    ..TableDef::BASE
};

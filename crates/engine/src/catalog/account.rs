//! The account's settings and reference lists: users (and the one signed in), roles (with
//! their assignments and settings), currencies, activity types, lead labels, saved filters,
//! goals, webhooks (API v1).

use super::table_def::ColType::*;
use super::table_def::{c, child_of, ChildFetch, Kind, Parent, TableDef, Verb, Writes};
use pipedrive_api::ApiVersion::V1;

/// A user's columns, then `$extra` (the company and language of the signed-in user).
macro_rules! user_columns {
    ($($extra:expr),* $(,)?) => {
        &[
            c("Id", "id", BigInt),
            c("Name", "name", Text),
            c("DefaultCurrency", "default_currency", Text),
            c("Locale", "locale", Text),
            c("Lang", "lang", BigInt),
            c("Email", "email", Text),
            c("Phone", "phone", Text),
            c("Activated", "activated", Boolean),
            c("LastLogin", "last_login", Timestamp),
            c("Created", "created", Timestamp),
            c("Modified", "modified", Timestamp),
            c("HasCreatedCompany", "has_created_company", Boolean),
            c("Access", "access", Json),
            c("ActiveFlag", "active_flag", Boolean),
            c("TimezoneName", "timezone_name", Text),
            c("TimezoneOffset", "timezone_offset", Text),
            c("RoleId", "role_id", BigInt),
            c("IconUrl", "icon_url", Text),
            c("IsYou", "is_you", Boolean),
            c("IsDeleted", "is_deleted", Boolean),
            $($extra),*
        ]
    };
}

pub static USERS: TableDef = TableDef {
    name: "Users",
    version: V1,
    path: "/users",
    get_path: Some("/users/{id}"),
    columns: user_columns!(),
    writes: Some(Writes {
        version: V1,
        insert: Some("/users"),
        update: Some((Verb::Put, "/users/{id}")),
        delete: None,
        bulk_delete: None,
        columns: &["Email", "Access", "ActiveFlag"],
        required: &["Email"],
    }),
    kind: Kind::Table,
    ..TableDef::BASE
};

pub static CURRENCIES: TableDef = TableDef {
    name: "Currencies",
    version: V1,
    path: "/currencies",
    get_path: None,
    columns: &[
        c("Id", "id", BigInt),
        c("Code", "code", Text),
        c("Name", "name", Text),
        c("DecimalPoints", "decimal_points", BigInt),
        c("Symbol", "symbol", Text),
        c("ActiveFlag", "active_flag", Boolean),
        c("IsCustomFlag", "is_custom_flag", Boolean),
    ],
    kind: Kind::View,
    ..TableDef::BASE
};

pub static ROLES: TableDef = TableDef {
    name: "Roles",
    version: V1,
    path: "/roles",
    get_path: Some("/roles/{id}"),
    columns: &[
        c("Id", "id", BigInt),
        c("ParentRoleId", "parent_role_id", BigInt),
        c("Name", "name", Text),
        c("ActiveFlag", "active_flag", Boolean),
        c("AssignmentCount", "assignment_count", BigInt),
        c("SubRoleCount", "sub_role_count", BigInt),
        c("Level", "level", BigInt),
    ],
    writes: Some(Writes {
        version: V1,
        insert: Some("/roles"),
        update: Some((Verb::Put, "/roles/{id}")),
        delete: Some("/roles/{id}"),
        bulk_delete: None,
        columns: &["Name", "ParentRoleId"],
        required: &["Name"],
    }),
    kind: Kind::Table,
    ..TableDef::BASE
};

pub static ACTIVITY_TYPES: TableDef = TableDef {
    name: "ActivityTypes",
    version: V1,
    path: "/activityTypes",
    columns: &[
        c("Id", "id", BigInt),
        c("Name", "name", Text),
        c("IconKey", "icon_key", Text),
        c("Color", "color", Text),
        c("OrderNr", "order_nr", BigInt),
        c("KeyString", "key_string", Text),
        c("ActiveFlag", "active_flag", Boolean),
        c("IsCustomFlag", "is_custom_flag", Boolean),
        c("AddTime", "add_time", Timestamp),
        c("UpdateTime", "update_time", Timestamp),
    ],
    writes: Some(Writes {
        version: V1,
        insert: Some("/activityTypes"),
        update: Some((Verb::Put, "/activityTypes/{id}")),
        delete: Some("/activityTypes/{id}"),
        bulk_delete: None,
        columns: &["Name", "IconKey", "Color", "OrderNr"],
        required: &["Name", "IconKey"],
    }),
    kind: Kind::Table,
    ..TableDef::BASE
};

pub static LEAD_LABELS: TableDef = TableDef {
    name: "LeadLabels",
    version: V1,
    path: "/leadLabels",
    columns: &[
        c("Id", "id", Text),
        c("Name", "name", Text),
        c("Color", "color", Text),
        c("AddTime", "add_time", Timestamp),
        c("UpdateTime", "update_time", Timestamp),
    ],
    writes: Some(Writes {
        version: V1,
        insert: Some("/leadLabels"),
        update: Some((Verb::Patch, "/leadLabels/{id}")),
        delete: Some("/leadLabels/{id}"),
        bulk_delete: None,
        columns: &["Name", "Color"],
        required: &["Name", "Color"],
    }),
    kind: Kind::Table,
    ..TableDef::BASE
};

pub static FILTERS: TableDef = TableDef {
    name: "Filters",
    version: V1,
    path: "/filters",
    get_path: Some("/filters/{id}"),
    columns: &[
        c("Id", "id", BigInt),
        c("Name", "name", Text),
        c("FilterCode", "filter_code", Text),
        c("IsEditable", "is_editable", Boolean),
        c("ActiveFlag", "active_flag", Boolean),
        c("Type", "type", Text),
        c("TemporaryFlag", "temporary_flag", Boolean),
        c("UserId", "user_id", BigInt),
        c("AddTime", "add_time", Timestamp),
        c("UpdateTime", "update_time", Timestamp),
        c("VisibleTo", "visible_to", BigInt),
        c("LastUsedTime", "last_used_time", Timestamp),
        c("CustomViewId", "custom_view_id", BigInt),
    ],
    writes: Some(Writes {
        version: V1,
        insert: None,
        update: None,
        delete: Some("/filters/{id}"),
        bulk_delete: Some(("/filters", 100)),
        columns: &[],
        required: &[],
    }),
    kind: Kind::Table,
    ..TableDef::BASE
};

pub static GOALS: TableDef = TableDef {
    name: "Goals",
    version: V1,
    path: "/goals/find",
    rows_at: Some("goals"),
    columns: &[
        c("Id", "id", Text),
        c("OwnerId", "owner_id", BigInt),
        c("Title", "title", Text),
        c("TypeName", "type.name", Text),
        c("TypeParams", "type.params", Json),
        c("AssigneeId", "assignee.id", BigInt),
        c("AssigneeType", "assignee.type", Text),
        c("Interval", "interval", Text),
        c("DurationStart", "duration.start", Date),
        c("DurationEnd", "duration.end", Date),
        c("ExpectedOutcomeTarget", "expected_outcome.target", Double),
        c(
            "ExpectedOutcomeTrackingMetric",
            "expected_outcome.tracking_metric",
            Text,
        ),
        c("IsActive", "is_active", Boolean),
        c("ReportIds", "report_ids", Text),
    ],
    writes: Some(Writes {
        version: V1,
        insert: None,
        update: Some((Verb::Put, "/goals/{id}")),
        delete: Some("/goals/{id}"),
        bulk_delete: None,
        columns: &[
            "Title",
            "AssigneeId",
            "AssigneeType",
            "Interval",
            "DurationStart",
            "DurationEnd",
            "ExpectedOutcomeTarget",
        ],
        required: &[],
    }),
    kind: Kind::Table,
    ..TableDef::BASE
};

pub static WEBHOOKS: TableDef = TableDef {
    name: "Webhooks",
    version: V1,
    path: "/webhooks",
    columns: &[
        c("Id", "id", BigInt),
        c("CompanyId", "company_id", BigInt),
        c("OwnerId", "owner_id", BigInt),
        c("UserId", "user_id", BigInt),
        c("EventAction", "event_action", Text),
        c("EventObject", "event_object", Text),
        c("SubscriptionUrl", "subscription_url", Text),
        c("Version", "version", Text),
        c("IsActive", "is_active", Boolean),
        c("AddTime", "add_time", Timestamp),
        c("RemoveTime", "remove_time", Timestamp),
        c("Type", "type", Text),
        c("HttpAuthUser", "http_auth_user", Text),
        c("RemoveReason", "remove_reason", Text),
        c("LastDeliveryTime", "last_delivery_time", Timestamp),
        c("LastHttpStatus", "last_http_status", BigInt),
        c("AdminId", "admin_id", BigInt),
        c("Name", "name", Text),
    ],
    writes: Some(Writes {
        version: V1,
        insert: Some("/webhooks"),
        update: None,
        delete: Some("/webhooks/{id}"),
        bulk_delete: None,
        columns: &[
            "SubscriptionUrl",
            "EventAction",
            "EventObject",
            "Name",
            "UserId",
            "HttpAuthUser",
            "Version",
        ],
        required: &["SubscriptionUrl", "EventAction", "EventObject", "Name"],
    }),
    kind: Kind::Table,
    ..TableDef::BASE
};

pub static LEAD_SOURCES: TableDef = TableDef {
    name: "LeadSources",
    version: V1,
    path: "/leadSources",
    key: "Name",
    columns: &[c("Name", "name", Text)],
    kind: Kind::View,
    ..TableDef::BASE
};

/// The user the connection signs in as, with the company.
pub static CURRENT_USERS: TableDef = TableDef {
    name: "CurrentUsers",
    version: V1,
    path: "/users/me",
    one_row: true,
    columns: user_columns!(
        c("LanguageCode", "language.language_code", Text),
        c("CountryCode", "language.country_code", Text),
        c("CompanyId", "company_id", BigInt),
        c("CompanyName", "company_name", Text),
        c("CompanyDomain", "company_domain", Text),
        c("CompanyCountry", "company_country", Text),
        c("CompanyIndustry", "company_industry", Text),
    ),
    kind: Kind::View,
    ..TableDef::BASE
};

/// A role assignment: which user holds which role.
macro_rules! assignment_columns {
    () => {
        &[
            c("RoleId", "role_id", BigInt),
            c("UserId", "user_id", BigInt),
            c("Name", "name", Text),
            c("ParentRoleId", "parent_role_id", BigInt),
            c("ActiveFlag", "active_flag", Boolean),
            c("Type", "type", Text),
        ]
    };
}

/// Default visibilities and access levels per kind of record, after the key of the role or
/// user they are of.
macro_rules! role_settings_columns {
    ($column:literal, $field:literal) => {
        &[
            c($column, $field, BigInt),
            c("DealDefaultVisibility", "deal_default_visibility", BigInt),
            c("LeadDefaultVisibility", "lead_default_visibility", BigInt),
            c("OrgDefaultVisibility", "org_default_visibility", BigInt),
            c(
                "PersonDefaultVisibility",
                "person_default_visibility",
                BigInt,
            ),
            c(
                "ProductDefaultVisibility",
                "product_default_visibility",
                BigInt,
            ),
            c("DealAccessLevel", "deal_access_level", BigInt),
            c("OrgAccessLevel", "org_access_level", BigInt),
            c("PersonAccessLevel", "person_access_level", BigInt),
            c("ProductAccessLevel", "product_access_level", BigInt),
        ]
    };
}

const fn of_role() -> Option<Parent> {
    child_of("Roles", "RoleId", "role_id", ChildFetch::PerParent)
}

/// The users each role is assigned to.
pub static ROLES_ASSIGNMENTS: TableDef = TableDef {
    name: "RolesAssignments",
    version: V1,
    path: "/roles/{id}/assignments",
    parent: of_role(),
    key: "UserId",
    columns: assignment_columns!(),
    kind: Kind::View,
    ..TableDef::BASE
};

/// Each role's default visibility and access level per kind of record.
pub static ROLES_SETTINGS: TableDef = TableDef {
    name: "RolesSettings",
    version: V1,
    path: "/roles/{id}/settings",
    parent: of_role(),
    one_row: true,
    key: "RoleId",
    columns: role_settings_columns!("RoleId", "role_id"),
    kind: Kind::View,
    ..TableDef::BASE
};

//! Archived deals, projects and leads: the API keeps them out of the lists of their tables and
//! lists them on their own, with the same columns (custom fields included). A row is archived
//! by setting `IsArchived` in its table, and brought back by clearing it here.

use super::core::{DEAL_COLUMNS, DEAL_PUSHDOWN, PROJECT_COLUMNS, PROJECT_PUSHDOWN, V2_TIME_SORTS};
use super::records::LEAD_COLUMNS;
use super::table_def::{Kind, Push, TableDef, Verb, Writes};
use pipedrive_api::ApiVersion;

/// Only `IsArchived` is written, at the row of the table the row comes from.
const fn unarchive(version: ApiVersion, update: &'static str) -> Option<Writes> {
    Some(Writes {
        version,
        update: Some((Verb::Patch, update)),
        columns: &["IsArchived"],
        ..Writes::NONE
    })
}
use pipedrive_api::ApiVersion::{V1, V2};

pub static ARCHIVED_DEALS: TableDef = TableDef {
    name: "ArchivedDeals",
    version: V2,
    path: "/deals/archived",
    custom_fields: Some("/dealFields"),
    columns: DEAL_COLUMNS,
    pushdown: DEAL_PUSHDOWN,
    sorts: V2_TIME_SORTS,
    writes: unarchive(V2, "/deals/{id}"),
    kind: Kind::Table,
    ..TableDef::BASE
};

pub static ARCHIVED_PROJECTS: TableDef = TableDef {
    name: "ArchivedProjects",
    version: V2,
    path: "/projects/archived",
    custom_fields: Some("/projectFields"),
    columns: PROJECT_COLUMNS,
    pushdown: PROJECT_PUSHDOWN,
    kind: Kind::View,
    ..TableDef::BASE
};

pub static ARCHIVED_LEADS: TableDef = TableDef {
    name: "ArchivedLeads",
    version: V1,
    path: "/leads/archived",
    columns: LEAD_COLUMNS,
    pushdown: &[
        Push::Eq("OwnerId", "owner_id"),
        Push::Eq("PersonId", "person_id"),
        Push::Eq("OrganizationId", "organization_id"),
    ],
    writes: unarchive(V1, "/leads/{id}"),
    kind: Kind::Table,
    ..TableDef::BASE
};

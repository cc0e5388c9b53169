//! Lists kept under one record (API v1): the files attached to a deal, a person, an
//! organization or a product, the tasks of a project, an organization's relationships. Listed
//! per record; without a filter on the record's key the records are walked first. The same
//! files and tasks are in `Files` and `Tasks` whole; a relationship is listed under both its
//! organizations, each time as seen from that one.

use super::records::{file_columns, TASK_COLUMNS};
use super::table_def::ColType::*;
use super::table_def::{c, child_of, ChildFetch, Kind, Parent, TableDef};
use pipedrive_api::ApiVersion::V1;

const fn under(table: &'static str, column: &'static str, field: &'static str) -> Option<Parent> {
    child_of(table, column, field, ChildFetch::PerParent)
}

/// The files of each row of `$parent`, listed at `$path`.
macro_rules! files_of {
    ($name:literal, $path:literal, $parent:literal, $column:literal, $field:literal) => {
        TableDef {
            name: $name,
            version: V1,
            path: $path,
            parent: under($parent, $column, $field),
            columns: file_columns!(),
            kind: Kind::View,
            ..TableDef::BASE
        }
    };
}

pub static DEALS_FILES: TableDef = files_of!(
    "DealsFiles",
    "/deals/{id}/files",
    "Deals",
    "DealId",
    "deal_id"
);
pub static PERSONS_FILES: TableDef = files_of!(
    "PersonsFiles",
    "/persons/{id}/files",
    "Persons",
    "PersonId",
    "person_id"
);
pub static ORGANIZATIONS_FILES: TableDef = files_of!(
    "OrganizationsFiles",
    "/organizations/{id}/files",
    "Organizations",
    "OrgId",
    "org_id"
);
/// A product's files: the API lists fewer of their columns.
pub static PRODUCTS_FILES: TableDef = TableDef {
    name: "ProductsFiles",
    version: V1,
    path: "/products/{id}/files",
    parent: under("Products", "ProductId", "product_id"),
    columns: &[
        c("Id", "id", BigInt),
        c("ProductId", "product_id", BigInt),
        c("AddTime", "add_time", Timestamp),
        c("UpdateTime", "update_time", Timestamp),
        c("FileName", "file_name", Text),
        c("FileSize", "file_size", BigInt),
        c("ActiveFlag", "active_flag", Boolean),
        c("InlineFlag", "inline_flag", Boolean),
        c("RemoteLocation", "remote_location", Text),
        c("RemoteId", "remote_id", Text),
        c("ProductName", "product_name", Text),
        c("Url", "url", Text),
        c("Name", "name", Text),
        c("Description", "description", LongText),
    ],
    kind: Kind::View,
    ..TableDef::BASE
};

pub static PROJECTS_TASKS: TableDef = TableDef {
    name: "ProjectsTasks",
    version: V1,
    path: "/projects/{id}/tasks",
    parent: under("Projects", "ProjectId", "project_id"),
    columns: TASK_COLUMNS,
    kind: Kind::View,
    ..TableDef::BASE
};

/// Each organization's relationships to others: what the other one is to it (`parent`,
/// `daughter`, `related`).
pub static ORGANIZATION_RELATIONSHIPS: TableDef = TableDef {
    name: "OrganizationRelationships",
    version: V1,
    path: "/organizationRelationships",
    parent: child_of(
        "Organizations",
        "OrgId",
        "org_id",
        ChildFetch::Batched {
            param: "org_id",
            max: 1,
        },
    ),
    columns: &[
        c("Id", "id", BigInt),
        c("OrgId", "org_id", BigInt),
        c("Type", "type", Text),
        c("RelatedOrgId", "calculated_related_org_id", BigInt),
        c("RelatedOrganizationName", "related_organization_name", Text),
        c("CalculatedType", "calculated_type", Text),
        c("OwnerOrgId", "rel_owner_org_id.value", BigInt),
        c("OwnerOrgName", "rel_owner_org_id.name", Text),
        c("LinkedOrgId", "rel_linked_org_id.value", BigInt),
        c("LinkedOrgName", "rel_linked_org_id.name", Text),
        c("ActiveFlag", "active_flag", Boolean),
        c("AddTime", "add_time", Timestamp),
        c("UpdateTime", "update_time", Timestamp),
    ],
    kind: Kind::View,
    ..TableDef::BASE
};

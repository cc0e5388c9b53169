//! Lists kept under one record: the files attached to a deal, a person, an organization or a
//! product, the tasks and activities of a project, an organization's relationships, the deals
//! a product is in, the products of a person's deals, a person's picture and a product's image.
//! Listed per record; without a filter on the record's key the records are walked first. The
//! same files and tasks are in `Files` and `Tasks` whole; a relationship is listed under both
//! its organizations, each time as seen from that one.

use super::records::{file_columns, TASK_COLUMNS};
use super::table_def::ColType::*;
use super::table_def::{
    c, child_of, ChildFetch, Kind, Parent, Push, TableDef, Verb, Writes, NO_KEY,
};
use pipedrive_api::ApiVersion::{V1, V2};

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
/// `daughter`, `related`). Written by the keys of its two organizations.
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
    writes: Some(Writes {
        version: V1,
        insert: Some("/organizationRelationships"),
        update: Some((Verb::Put, "/organizationRelationships/{id}")),
        delete: Some("/organizationRelationships/{id}"),
        bulk_delete: None,
        columns: &["OrgId", "Type", "OwnerOrgId", "LinkedOrgId"],
        required: &["Type", "OwnerOrgId", "LinkedOrgId"],
    }),
    kind: Kind::Table,
    ..TableDef::BASE
};

/// The activities of each project (API v1 names and types).
pub static PROJECTS_ACTIVITIES: TableDef = TableDef {
    name: "ProjectsActivities",
    version: V1,
    path: "/projects/{id}/activities",
    parent: under("Projects", "ProjectId", "project_id"),
    columns: &[
        c("Id", "id", BigInt),
        c("ProjectId", "project_id", BigInt),
        c("Subject", "subject", Text),
        c("Type", "type", Text),
        c("Done", "done", Boolean),
        c("DueDate", "due_date", Date),
        c("DueTime", "due_time", Text),
        c("Duration", "duration", Text),
        c("BusyFlag", "busy_flag", Boolean),
        c("UserId", "user_id", BigInt),
        c("DealId", "deal_id", BigInt),
        c("LeadId", "lead_id", Text),
        c("PersonId", "person_id", BigInt),
        c("OrgId", "org_id", BigInt),
        c("Location", "location", Text),
        c("PublicDescription", "public_description", LongText),
        c("ConferenceMeetingUrl", "conference_meeting_url", Text),
        c("ActiveFlag", "active_flag", Boolean),
        c("AddTime", "add_time", Timestamp),
        c("UpdateTime", "update_time", Timestamp),
        c("MarkedAsDoneTime", "marked_as_done_time", Timestamp),
        c("UpdateUserId", "update_user_id", BigInt),
    ],
    kind: Kind::View,
    ..TableDef::BASE
};

/// The deals each product is in (API v1 deal records: people and users as objects).
pub static PRODUCTS_DEALS: TableDef = TableDef {
    name: "ProductsDeals",
    version: V1,
    path: "/products/{id}/deals",
    parent: under("Products", "ProductId", "product_id"),
    key: NO_KEY,
    columns: &[
        c("ProductId", "product_id", BigInt),
        c("DealId", "id", BigInt),
        c("Title", "title", Text),
        c("Status", "status", Text),
        c("Value", "value", Money),
        c("Currency", "currency", Text),
        c("UserId", "user_id.id", BigInt),
        c("UserName", "user_id.name", Text),
        c("CreatorUserId", "creator_user_id.id", BigInt),
        c("PersonId", "person_id.value", BigInt),
        c("PersonName", "person_name", Text),
        c("OrgId", "org_id.value", BigInt),
        c("OrgName", "org_name", Text),
        c("PipelineId", "pipeline_id", BigInt),
        c("StageId", "stage_id", BigInt),
        c("Probability", "probability", Double),
        c("ExpectedCloseDate", "expected_close_date", Date),
        c("ProductsCount", "products_count", BigInt),
        c("AddTime", "add_time", Timestamp),
        c("UpdateTime", "update_time", Timestamp),
        c("WonTime", "won_time", Timestamp),
        c("LostTime", "lost_time", Timestamp),
        c("CloseTime", "close_time", Timestamp),
    ],
    pushdown: &[Push::OneOf(
        "Status",
        "status",
        &["open", "won", "lost", "deleted"],
    )],
    kind: Kind::View,
    ..TableDef::BASE
};

/// The products in each person's deals, a row per deal and product.
pub static PERSONS_PRODUCTS: TableDef = TableDef {
    name: "PersonsProducts",
    version: V1,
    path: "/persons/{id}/products",
    parent: under("Persons", "PersonId", "person_id"),
    keyed: true,
    key: NO_KEY,
    columns: &[
        c("PersonId", "person_id", BigInt),
        c("DealId", "deal.id", BigInt),
        c("DealTitle", "deal.title", Text),
        c("DealStatus", "deal.status", Text),
        c("DealValue", "deal.value", Money),
        c("DealCurrency", "deal.currency", Text),
        c("ProductId", "product.id", BigInt),
        c("ProductName", "product.name", Text),
        c("ProductCode", "product.code", Text),
        c("ProductUnit", "product.unit", Text),
        c("ProductTax", "product.tax", Double),
        c("ProductCategory", "product.category", Text),
        c("ProductOwnerId", "product.owner_id", BigInt),
        c("ProductActiveFlag", "product.active_flag", Boolean),
    ],
    kind: Kind::View,
    ..TableDef::BASE
};

/// Each person's picture, where the person has one.
pub static PERSONS_PICTURES: TableDef = TableDef {
    name: "PersonsPictures",
    version: V2,
    path: "/persons/{id}/picture",
    parent: under("Persons", "PersonId", "item_id"),
    one_row: true,
    columns: &[
        c("Id", "id", BigInt),
        c("PersonId", "item_id", BigInt),
        c("ItemType", "item_type", Text),
        c("AddedByUserId", "added_by_user_id", BigInt),
        c("ActiveFlag", "active_flag", Boolean),
        c("FileSize", "file_size", BigInt),
        c("Picture128Url", "pictures.128", Text),
        c("Picture512Url", "pictures.512", Text),
    ],
    kind: Kind::View,
    ..TableDef::BASE
};

/// Each product's image, where the product has one.
pub static PRODUCTS_IMAGES: TableDef = TableDef {
    name: "ProductsImages",
    version: V2,
    path: "/products/{id}/images",
    parent: under("Products", "ProductId", "product_id"),
    one_row: true,
    columns: &[
        c("Id", "id", BigInt),
        c("ProductId", "product_id", BigInt),
        c("Name", "name", Text),
        c("MimeType", "mime_type", Text),
        c("PublicUrl", "public_url", Text),
        // a date, as the API gives it
        c("AddTime", "add_time", Date),
    ],
    kind: Kind::View,
    ..TableDef::BASE
};

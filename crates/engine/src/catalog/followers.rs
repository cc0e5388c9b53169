//! Who follows a person, an organization, a product or a user (API v2), and which users may
//! see a deal, person, organization or product (API v1). Listed per parent row; without a
//! filter on the parent's key the parents are walked first.

use super::table_def::ColType::*;
use super::table_def::{c, child_of, ChildFetch, Kind, TableDef, Writes};
use pipedrive_api::ApiVersion::{V1, V2};

/// The followers of each row of `parent` at `path` (`/persons/{id}/followers`), the parent's
/// key in `column`; `$writes` says how followers are added and removed.
macro_rules! followers {
    ($name:literal, $path:literal, $parent:literal, $column:literal, $field:literal, $writes:expr) => {
        TableDef {
            name: $name,
            version: V2,
            path: $path,
            parent: child_of($parent, $column, $field, ChildFetch::PerParent),
            key: "UserId",
            columns: &[
                c($column, $field, BigInt),
                c("UserId", "user_id", BigInt),
                c("AddTime", "add_time", Timestamp),
            ],
            writes: $writes,
            kind: Kind::Table,
            ..TableDef::BASE
        }
    };
}

/// Adding and removing followers of rows under `/{collection}/{parent}/followers`.
const fn follower_writes(
    insert: &'static str,
    delete: &'static str,
    columns: &'static [&'static str],
) -> Option<Writes> {
    Some(Writes {
        version: V2,
        insert: Some(insert),
        update: None,
        delete: Some(delete),
        bulk_delete: None,
        columns,
        required: columns,
    })
}

pub static PERSONS_FOLLOWERS: TableDef = followers!(
    "PersonsFollowers",
    "/persons/{id}/followers",
    "Persons",
    "PersonId",
    "person_id",
    follower_writes(
        "/persons/{parent}/followers",
        "/persons/{parent}/followers/{id}",
        &["PersonId", "UserId"],
    )
);

pub static ORGANIZATIONS_FOLLOWERS: TableDef = followers!(
    "OrganizationsFollowers",
    "/organizations/{id}/followers",
    "Organizations",
    "OrgId",
    "org_id",
    follower_writes(
        "/organizations/{parent}/followers",
        "/organizations/{parent}/followers/{id}",
        &["OrgId", "UserId"],
    )
);

pub static PRODUCTS_FOLLOWERS: TableDef = followers!(
    "ProductsFollowers",
    "/products/{id}/followers",
    "Products",
    "ProductId",
    "product_id",
    follower_writes(
        "/products/{parent}/followers",
        "/products/{parent}/followers/{id}",
        &["ProductId", "UserId"],
    )
);

/// Users following a user: the followed user's key is `FollowedUserId`.
pub static USERS_FOLLOWERS: TableDef = TableDef {
    kind: Kind::View,
    ..followers!(
        "UsersFollowers",
        "/users/{id}/followers",
        "Users",
        "FollowedUserId",
        "followed_user_id",
        None
    )
};

/// The users who may see each row of `parent` (its key of type `$ty`): the API lists their ids
/// alone.
macro_rules! permitted_users {
    ($name:literal, $path:literal, $parent:literal, $column:literal, $field:literal) => {
        permitted_users!($name, V1, $path, $parent, $column, $field, BigInt)
    };
    ($name:literal, $version:ident, $path:literal, $parent:literal, $column:literal, $field:literal, $ty:ident) => {
        TableDef {
            name: $name,
            version: $version,
            path: $path,
            parent: child_of($parent, $column, $field, ChildFetch::PerParent),
            key: "UserId",
            columns: &[c($column, $field, $ty), c("UserId", "user_id", BigInt)],
            scalars: Some("user_id"),
            kind: Kind::View,
            ..TableDef::BASE
        }
    };
}

pub static DEALS_PERMITTED_USERS: TableDef = permitted_users!(
    "DealsPermittedUsers",
    "/deals/{id}/permittedUsers",
    "Deals",
    "DealId",
    "deal_id"
);
pub static PERSONS_PERMITTED_USERS: TableDef = permitted_users!(
    "PersonsPermittedUsers",
    "/persons/{id}/permittedUsers",
    "Persons",
    "PersonId",
    "person_id"
);
pub static ORGANIZATIONS_PERMITTED_USERS: TableDef = permitted_users!(
    "OrganizationsPermittedUsers",
    "/organizations/{id}/permittedUsers",
    "Organizations",
    "OrgId",
    "org_id"
);
pub static PRODUCTS_PERMITTED_USERS: TableDef = permitted_users!(
    "ProductsPermittedUsers",
    "/products/{id}/permittedUsers",
    "Products",
    "ProductId",
    "product_id"
);
pub static LEADS_PERMITTED_USERS: TableDef = permitted_users!(
    "LeadsPermittedUsers",
    V1,
    "/leads/{id}/permittedUsers",
    "Leads",
    "LeadId",
    "lead_id",
    Text
);
pub static PROJECTS_PERMITTED_USERS: TableDef = permitted_users!(
    "ProjectsPermittedUsers",
    V2,
    "/projects/{id}/permittedUsers",
    "Projects",
    "ProjectId",
    "project_id",
    BigInt
);

//! What happened to a record: the changes of its field values (changelog), its flow (changes,
//! notes, activities, ... in one feed), who joined or left as participant or follower. Listed
//! per record; without a filter on the record's key the records are walked first.

use super::table_def::ColType::*;
use super::table_def::{c, child_of, ChildFetch, ColumnDef, Kind, TableDef, NO_KEY};
use pipedrive_api::ApiVersion::{self, V1, V2};

/// A view of the list at `path` under each row of `parent`, its key in `column` (`field` in
/// the records).
const fn history(
    name: &'static str,
    version: ApiVersion,
    path: &'static str,
    (parent, column, field): (&'static str, &'static str, &'static str),
    columns: &'static [ColumnDef],
) -> TableDef {
    TableDef {
        name,
        version,
        path,
        parent: child_of(parent, column, field, ChildFetch::PerParent),
        columns,
        key: NO_KEY,
        kind: Kind::View,
        ..TableDef::BASE
    }
}

const DEAL: (&str, &str, &str) = ("Deals", "DealId", "deal_id");
const PERSON: (&str, &str, &str) = ("Persons", "PersonId", "person_id");
const ORGANIZATION: (&str, &str, &str) = ("Organizations", "OrgId", "org_id");
const PRODUCT: (&str, &str, &str) = ("Products", "ProductId", "product_id");
const PROJECT: (&str, &str, &str) = ("Projects", "ProjectId", "project_id");

/// The columns of a field-value changelog (API v1), after the record's key.
macro_rules! changelog_columns {
    ($column:literal, $field:literal) => {
        &[
            c($column, $field, BigInt),
            c("FieldKey", "field_key", Text),
            c("OldValue", "old_value", LongText),
            c("NewValue", "new_value", LongText),
            c("ActorUserId", "actor_user_id", BigInt),
            c("Time", "time", Timestamp),
            c("ChangeSource", "change_source", Text),
            c("ChangeSourceUserAgent", "change_source_user_agent", Text),
            c("IsBulkUpdateFlag", "is_bulk_update_flag", Boolean),
        ]
    };
}

pub static DEALS_CHANGELOG: TableDef = history(
    "DealsChangelog",
    V1,
    "/deals/{id}/changelog",
    DEAL,
    changelog_columns!("DealId", "deal_id"),
);
pub static PERSONS_CHANGELOG: TableDef = history(
    "PersonsChangelog",
    V1,
    "/persons/{id}/changelog",
    PERSON,
    changelog_columns!("PersonId", "person_id"),
);
pub static ORGANIZATIONS_CHANGELOG: TableDef = history(
    "OrganizationsChangelog",
    V1,
    "/organizations/{id}/changelog",
    ORGANIZATION,
    changelog_columns!("OrgId", "org_id"),
);
pub static PROJECTS_CHANGELOG: TableDef = history(
    "ProjectsChangelog",
    V2,
    "/projects/{id}/changelog",
    PROJECT,
    &[
        c("ProjectId", "project_id", BigInt),
        c("Time", "time", Timestamp),
        c("ActorUserId", "actor_user_id", BigInt),
        c("ChangeSource", "change_source", Text),
        c("ChangeSourceUserAgent", "change_source_user_agent", Text),
        c("OldValues", "old_values", Json),
        c("NewValues", "new_values", Json),
    ],
);

/// The columns of a flow: each event's kind, time and the object itself.
macro_rules! flow_columns {
    ($column:literal, $field:literal) => {
        &[
            c($column, $field, BigInt),
            c("Object", "object", Text),
            c("Timestamp", "timestamp", Timestamp),
            c("Data", "data", Json),
        ]
    };
}

pub static DEALS_FLOW: TableDef = history(
    "DealsFlow",
    V1,
    "/deals/{id}/flow",
    DEAL,
    flow_columns!("DealId", "deal_id"),
);
pub static PERSONS_FLOW: TableDef = history(
    "PersonsFlow",
    V1,
    "/persons/{id}/flow",
    PERSON,
    flow_columns!("PersonId", "person_id"),
);
pub static ORGANIZATIONS_FLOW: TableDef = history(
    "OrganizationsFlow",
    V1,
    "/organizations/{id}/flow",
    ORGANIZATION,
    flow_columns!("OrgId", "org_id"),
);

pub static DEALS_PARTICIPANTS_CHANGELOG: TableDef = history(
    "DealsParticipantsChangelog",
    V1,
    "/deals/{id}/participantsChangelog",
    DEAL,
    &[
        c("DealId", "deal_id", BigInt),
        c("PersonId", "person_id", BigInt),
        c("Action", "action", Text),
        c("ActorUserId", "actor_user_id", BigInt),
        c("Time", "time", Timestamp),
    ],
);

/// The columns of a followers changelog (API v2): who started or stopped following.
macro_rules! followers_changelog_columns {
    ($column:literal, $field:literal) => {
        &[
            c($column, $field, BigInt),
            c("FollowerUserId", "follower_user_id", BigInt),
            c("Action", "action", Text),
            c("ActorUserId", "actor_user_id", BigInt),
            c("Time", "time", Timestamp),
        ]
    };
}

pub static DEALS_FOLLOWERS_CHANGELOG: TableDef = history(
    "DealsFollowersChangelog",
    V2,
    "/deals/{id}/followers/changelog",
    DEAL,
    followers_changelog_columns!("DealId", "deal_id"),
);
pub static PERSONS_FOLLOWERS_CHANGELOG: TableDef = history(
    "PersonsFollowersChangelog",
    V2,
    "/persons/{id}/followers/changelog",
    PERSON,
    followers_changelog_columns!("PersonId", "person_id"),
);
pub static ORGANIZATIONS_FOLLOWERS_CHANGELOG: TableDef = history(
    "OrganizationsFollowersChangelog",
    V2,
    "/organizations/{id}/followers/changelog",
    ORGANIZATION,
    followers_changelog_columns!("OrgId", "org_id"),
);
pub static PRODUCTS_FOLLOWERS_CHANGELOG: TableDef = history(
    "ProductsFollowersChangelog",
    V2,
    "/products/{id}/followers/changelog",
    PRODUCT,
    followers_changelog_columns!("ProductId", "product_id"),
);

//! The Pipedrive tables as data: for each table its endpoint, columns (SQL name, JSON path, SQL
//! type), key, and which WHERE shapes become which API parameters. Custom fields are added per
//! connection from the `*Fields` endpoints. Adding a table is adding an entry to one of the
//! files below and naming it in [`TABLES`].

/// The writes of a v2 table: rows added at `$list`, changed (PATCH) and removed at
/// `$list/{id}`; `$list` may hold the parent's key (`/deals/{parent}/discounts`).
macro_rules! v2_writes {
    ($list:literal, $columns:expr, $required:expr $(,)?) => {
        Some(Writes {
            version: pipedrive_api::ApiVersion::V2,
            insert: Some($list),
            update: Some((Verb::Patch, concat!($list, "/{id}"))),
            delete: Some(concat!($list, "/{id}")),
            bulk_delete: None,
            columns: $columns,
            required: $required,
        })
    };
}

#[macro_use]
mod account;
mod archived;
mod attached;
mod children;
mod core;
mod fields;
mod followers;
mod history;
mod mail;
mod nested;
mod permissions;
mod planning;
mod pricing;
mod records;
mod search;
mod statistics;
mod table_def;
mod token_costs;

pub use table_def::*;
pub use token_costs::{get_cost, TokenCost};

/// Every table and view, in the order listings show them.
pub static TABLES: &[&TableDef] = &[
    &core::DEALS,
    &core::PERSONS,
    &core::ORGANIZATIONS,
    &core::ACTIVITIES,
    &core::PRODUCTS,
    &core::PROJECTS,
    &core::PIPELINES,
    &core::STAGES,
    &children::DEALS_PRODUCTS,
    &children::DEALS_FOLLOWERS,
    &children::DEALS_PARTICIPANTS,
    &children::DEALS_ACTIVITIES,
    &children::DEALS_PERSONS,
    &attached::DEALS_FILES,
    &attached::PERSONS_FILES,
    &attached::ORGANIZATIONS_FILES,
    &attached::PRODUCTS_FILES,
    &attached::PROJECTS_TASKS,
    &attached::ORGANIZATION_RELATIONSHIPS,
    &attached::PROJECTS_ACTIVITIES,
    &attached::PRODUCTS_DEALS,
    &attached::PERSONS_PRODUCTS,
    &attached::PERSONS_PICTURES,
    &attached::PRODUCTS_IMAGES,
    &archived::ARCHIVED_DEALS,
    &archived::ARCHIVED_PROJECTS,
    &archived::ARCHIVED_LEADS,
    &mail::MAIL_THREADS,
    &mail::MAIL_MESSAGES,
    &mail::DEALS_MAIL_MESSAGES,
    &mail::PERSONS_MAIL_MESSAGES,
    &mail::ORGANIZATIONS_MAIL_MESSAGES,
    &mail::MAIL_MESSAGES_FROM,
    &mail::MAIL_MESSAGES_TO,
    &mail::MAIL_MESSAGES_CC,
    &mail::MAIL_MESSAGES_BCC,
    &pricing::DEALS_DISCOUNTS,
    &pricing::DEALS_INSTALLMENTS,
    &pricing::PRODUCTS_VARIATIONS,
    &planning::BOARDS,
    &planning::PHASES,
    &planning::PROJECT_TEMPLATES,
    &planning::PROJECTS_GROUPS,
    &planning::PROJECTS_PLAN,
    &statistics::DEALS_SUMMARY,
    &records::NOTES,
    &records::LEADS,
    &records::CALL_LOGS,
    &records::FILES,
    &records::TASKS,
    &records::NOTE_COMMENTS,
    &account::USERS,
    &account::CURRENT_USERS,
    &account::ROLES,
    &account::ROLES_ASSIGNMENTS,
    &account::ROLES_SETTINGS,
    &account::CURRENCIES,
    &account::ACTIVITY_TYPES,
    &account::LEAD_LABELS,
    &account::LEAD_SOURCES,
    &account::FILTERS,
    &account::GOALS,
    &account::WEBHOOKS,
    &permissions::USERS_PERMISSIONS,
    &permissions::USERS_ROLE_SETTINGS,
    &permissions::USERS_ROLE_ASSIGNMENTS,
    &permissions::ROLES_PIPELINES,
    &permissions::USER_SETTINGS,
    &permissions::USER_CONNECTIONS,
    &permissions::SUBSCRIPTION_ADDONS,
    &permissions::PERMISSION_SETS,
    &permissions::PERMISSION_SETS_ASSIGNMENTS,
    &fields::DEAL_FIELDS,
    &fields::PERSON_FIELDS,
    &fields::ORGANIZATION_FIELDS,
    &fields::PRODUCT_FIELDS,
    &fields::ACTIVITY_FIELDS,
    &fields::PROJECT_FIELDS,
    &fields::LEAD_FIELDS,
    &fields::NOTE_FIELDS,
    &fields::DEAL_FIELD_OPTIONS,
    &fields::PERSON_FIELD_OPTIONS,
    &fields::ORGANIZATION_FIELD_OPTIONS,
    &fields::PRODUCT_FIELD_OPTIONS,
    &fields::ACTIVITY_FIELD_OPTIONS,
    &fields::PROJECT_FIELD_OPTIONS,
    &nested::PERSONS_EMAILS,
    &nested::PERSONS_PHONES,
    &nested::PERSONS_IMS,
    &nested::ACTIVITIES_PARTICIPANTS,
    &nested::ACTIVITIES_ATTENDEES,
    &nested::PRODUCTS_PRICES,
    &followers::PERSONS_FOLLOWERS,
    &followers::ORGANIZATIONS_FOLLOWERS,
    &followers::PRODUCTS_FOLLOWERS,
    &followers::USERS_FOLLOWERS,
    &followers::DEALS_PERMITTED_USERS,
    &followers::PERSONS_PERMITTED_USERS,
    &followers::ORGANIZATIONS_PERMITTED_USERS,
    &followers::PRODUCTS_PERMITTED_USERS,
    &followers::LEADS_PERMITTED_USERS,
    &followers::PROJECTS_PERMITTED_USERS,
    &history::DEALS_CHANGELOG,
    &history::PERSONS_CHANGELOG,
    &history::ORGANIZATIONS_CHANGELOG,
    &history::PROJECTS_CHANGELOG,
    &history::DEALS_FLOW,
    &history::PERSONS_FLOW,
    &history::ORGANIZATIONS_FLOW,
    &history::DEALS_PARTICIPANTS_CHANGELOG,
    &history::DEALS_FOLLOWERS_CHANGELOG,
    &history::PERSONS_FOLLOWERS_CHANGELOG,
    &history::ORGANIZATIONS_FOLLOWERS_CHANGELOG,
    &history::PRODUCTS_FOLLOWERS_CHANGELOG,
];

/// Table functions: lists the API gives only for arguments that are not columns of their rows
/// (a search term, a period). Called in FROM with their arguments, listed as functions by
/// SQLProcedures.
pub static FUNCTIONS: &[&TableDef] = &[
    &search::DEALS_SEARCH,
    &search::PERSONS_SEARCH,
    &search::ORGANIZATIONS_SEARCH,
    &search::PRODUCTS_SEARCH,
    &search::LEADS_SEARCH,
    &search::PROJECTS_SEARCH,
    &search::ITEMS_SEARCH,
    &search::ITEMS_FIELD_SEARCH,
    &search::USERS_FIND,
    &statistics::DEALS_TIMELINE,
    &statistics::GOAL_RESULTS,
    &statistics::PIPELINE_CONVERSION_STATISTICS,
    &statistics::PIPELINE_MOVEMENT_STATISTICS,
    &statistics::RECENTS,
];

/// A table function by name, matched case-insensitively.
pub fn function(name: &str) -> Option<&'static TableDef> {
    FUNCTIONS
        .iter()
        .copied()
        .find(|f| f.name.eq_ignore_ascii_case(name))
}

/// Other names of tables, as other Pipedrive drivers call them: (other name, our name). They
/// resolve in SQL and in catalog functions that name a table; listings show our names.
pub static ALIASES: &[(&str, &str)] = &[
    ("ActivityFieldsOptions", "ActivityFieldOptions"),
    ("DealFieldsOptions", "DealFieldOptions"),
    ("PersonFieldsOptions", "PersonFieldOptions"),
    ("OrganizationFieldsOptions", "OrganizationFieldOptions"),
    ("ProductFieldsOptions", "ProductFieldOptions"),
    ("PersonFollowers", "PersonsFollowers"),
    ("RolesSetting", "RolesSettings"),
];

/// Columns that hold another table's key, by column name: a column of that name in any table
/// references the named table's key (what SQLForeignKeys reports).
pub static REFERENCES: &[(&str, &str)] = &[
    ("DealId", "Deals"),
    ("PersonId", "Persons"),
    ("OrgId", "Organizations"),
    ("OrganizationId", "Organizations"),
    ("RelatedOrgId", "Organizations"),
    ("OwnerOrgId", "Organizations"),
    ("LinkedOrgId", "Organizations"),
    ("ProductId", "Products"),
    ("ProjectId", "Projects"),
    ("PipelineId", "Pipelines"),
    ("StageId", "Stages"),
    ("LeadId", "Leads"),
    ("SourceLeadId", "Leads"),
    ("ActivityId", "Activities"),
    ("NextActivityId", "Activities"),
    ("OwnerId", "Users"),
    ("UserId", "Users"),
    ("CreatorUserId", "Users"),
    ("LastUpdateUserId", "Users"),
    ("AddedByUserId", "Users"),
    ("AssigneeId", "Users"),
    ("RoleId", "Roles"),
    ("NoteId", "Notes"),
    ("ParentTaskId", "Tasks"),
    ("FollowedUserId", "Users"),
    ("CreatorId", "Users"),
    ("UpdaterId", "Users"),
    ("ParentRoleId", "Roles"),
    ("PermissionSetId", "PermissionSets"),
    ("BoardId", "Boards"),
    ("ProjectsBoardId", "Boards"),
    ("PhaseId", "Phases"),
    ("MailThreadId", "MailThreads"),
    ("MessageId", "MailMessages"),
];

/// The table a column references, if any (never the column's own table key).
pub fn references(table: &TableDef, column: &str) -> Option<&'static TableDef> {
    let (_, target) = REFERENCES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(column))?;
    let target = self::table(target)?;
    let own_key = std::ptr::eq(target, table) && table.key.eq_ignore_ascii_case(column);
    (!own_key).then_some(target)
}

/// A table by SQL name or alias, matched case-insensitively.
pub fn table(name: &str) -> Option<&'static TableDef> {
    position(name).map(|i| TABLES[i])
}

/// The other names of the table named `ours`.
pub fn aliases_of(ours: &str) -> impl Iterator<Item = &'static str> + '_ {
    ALIASES
        .iter()
        .filter(move |(_, o)| *o == ours)
        .map(|(alias, _)| *alias)
}

/// Where a table of this SQL name or alias (in any case) is in [`TABLES`].
pub fn position(name: &str) -> Option<usize> {
    let name = ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(name))
        .map_or(name, |(_, ours)| ours);
    TABLES
        .iter()
        .position(|t| t.name.eq_ignore_ascii_case(name))
}

//! Searches as table functions: `SELECT * FROM DealsSearch('acme')`. The API finds the rows
//! whose text matches a term (API v2 `/…/search`, `/itemSearch`; users by name in API v1),
//! each with its score, best first.

use super::account::USERS;
use super::table_def::ColType::*;
use super::table_def::{arg, c, optional, Arg, ColumnDef, TableDef};
use pipedrive_api::ApiVersion::{V1, V2};

const TERM: Arg = arg(
    "Term",
    "term",
    Text,
    "what to look for: at least 2 characters (1 with ExactMatch)",
);
const EXACT: Arg = optional(
    "ExactMatch",
    "exact_match",
    Boolean,
    "only whole-value matches, not parts of words",
);
const fn fields(remarks: &'static str) -> Arg {
    optional("Fields", "fields", Text, remarks)
}
const PERSON: Arg = optional("PersonId", "person_id", BigInt, "only rows of this person");
const ORGANIZATION: Arg = optional(
    "OrganizationId",
    "organization_id",
    BigInt,
    "only rows of this organization",
);

/// A search of one kind of record: `data.items`, each `{result_score, item}`.
const fn search(
    name: &'static str,
    path: &'static str,
    columns: &'static [ColumnDef],
    args: &'static [Arg],
) -> TableDef {
    TableDef {
        name,
        version: V2,
        path,
        columns,
        rows_at: Some("items"),
        args,
        ..TableDef::BASE
    }
}

pub static DEALS_SEARCH: TableDef = search(
    "DealsSearch",
    "/deals/search",
    &[
        c("Id", "item.id", BigInt),
        c("ResultScore", "result_score", Double),
        c("Type", "item.type", Text),
        c("Title", "item.title", Text),
        c("Value", "item.value", Money),
        c("Currency", "item.currency", Text),
        c("Status", "item.status", Text),
        c("VisibleTo", "item.visible_to", BigInt),
        c("OwnerId", "item.owner.id", BigInt),
        c("StageId", "item.stage.id", BigInt),
        c("StageName", "item.stage.name", Text),
        c("PersonId", "item.person.id", BigInt),
        c("PersonName", "item.person.name", Text),
        c("OrganizationId", "item.organization.id", BigInt),
        c("OrganizationName", "item.organization.name", Text),
        c("CustomFields", "item.custom_fields", Json),
        c("Notes", "item.notes", Json),
        c("IsArchived", "item.is_archived", Boolean),
    ],
    &[
        TERM,
        EXACT,
        fields("where to look: title, notes, custom_fields (comma-separated)"),
        PERSON,
        ORGANIZATION,
        optional("Status", "status", Text, "open, won or lost"),
    ],
);

pub static PERSONS_SEARCH: TableDef = search(
    "PersonsSearch",
    "/persons/search",
    &[
        c("Id", "item.id", BigInt),
        c("ResultScore", "result_score", Double),
        c("Type", "item.type", Text),
        c("Name", "item.name", Text),
        c("Phones", "item.phones", Json),
        c("Emails", "item.emails", Json),
        c("VisibleTo", "item.visible_to", BigInt),
        c("OwnerId", "item.owner.id", BigInt),
        c("OrganizationId", "item.organization.id", BigInt),
        c("OrganizationName", "item.organization.name", Text),
        c("CustomFields", "item.custom_fields", Json),
        c("Notes", "item.notes", Json),
    ],
    &[
        TERM,
        EXACT,
        fields("where to look: name, email, phone, notes, custom_fields (comma-separated)"),
        ORGANIZATION,
    ],
);

pub static ORGANIZATIONS_SEARCH: TableDef = search(
    "OrganizationsSearch",
    "/organizations/search",
    &[
        c("Id", "item.id", BigInt),
        c("ResultScore", "result_score", Double),
        c("Type", "item.type", Text),
        c("Name", "item.name", Text),
        c("Address", "item.address", Text),
        c("VisibleTo", "item.visible_to", BigInt),
        c("OwnerId", "item.owner.id", BigInt),
        c("CustomFields", "item.custom_fields", Json),
        c("Notes", "item.notes", Json),
    ],
    &[
        TERM,
        EXACT,
        fields("where to look: name, address, notes, custom_fields (comma-separated)"),
    ],
);

pub static PRODUCTS_SEARCH: TableDef = search(
    "ProductsSearch",
    "/products/search",
    &[
        c("Id", "item.id", BigInt),
        c("ResultScore", "result_score", Double),
        c("Type", "item.type", Text),
        c("Name", "item.name", Text),
        c("Code", "item.code", Text),
        c("VisibleTo", "item.visible_to", BigInt),
        c("OwnerId", "item.owner.id", BigInt),
        c("CustomFields", "item.custom_fields", Json),
    ],
    &[
        TERM,
        EXACT,
        fields("where to look: name, code, custom_fields (comma-separated)"),
    ],
);

pub static LEADS_SEARCH: TableDef = search(
    "LeadsSearch",
    "/leads/search",
    &[
        c("Id", "item.id", Text),
        c("ResultScore", "result_score", Double),
        c("Type", "item.type", Text),
        c("Title", "item.title", Text),
        c("OwnerId", "item.owner.id", BigInt),
        c("PersonId", "item.person.id", BigInt),
        c("PersonName", "item.person.name", Text),
        c("OrganizationId", "item.organization.id", BigInt),
        c("OrganizationName", "item.organization.name", Text),
        c("Phones", "item.phones", Json),
        c("Emails", "item.emails", Json),
        c("CustomFields", "item.custom_fields", Json),
        c("Notes", "item.notes", Json),
        c("Value", "item.value", Money),
        c("Currency", "item.currency", Text),
        c("VisibleTo", "item.visible_to", BigInt),
        c("IsArchived", "item.is_archived", Boolean),
    ],
    &[
        TERM,
        EXACT,
        fields("where to look: title, notes, custom_fields (comma-separated)"),
        PERSON,
        ORGANIZATION,
    ],
);

pub static PROJECTS_SEARCH: TableDef = search(
    "ProjectsSearch",
    "/projects/search",
    &[
        c("Id", "item.id", BigInt),
        c("ResultScore", "result_score", Double),
        c("Type", "item.type", Text),
        c("Title", "item.title", Text),
        c("Status", "item.status", Text),
        c("OwnerId", "item.owner.id", BigInt),
        c("BoardId", "item.board_id", BigInt),
        c("PhaseId", "item.phase.id", BigInt),
        c("PhaseName", "item.phase.name", Text),
        c("PersonId", "item.person.id", BigInt),
        c("PersonName", "item.person.name", Text),
        c("OrganizationId", "item.organization.id", BigInt),
        c("OrganizationName", "item.organization.name", Text),
        c("DealId", "item.deal.id", BigInt),
        c("DealCount", "item.deal_count", BigInt),
        c("EndDate", "item.end_date", Date),
        c("CustomFields", "item.custom_fields", Json),
        c("Notes", "item.notes", Json),
    ],
    &[
        TERM,
        EXACT,
        fields("where to look: title, description, notes, custom_fields (comma-separated)"),
        PERSON,
        ORGANIZATION,
    ],
);

/// What any kind of found record has; the record whole as JSON.
const ITEM_COLUMNS: &[ColumnDef] = &[
    c("Id", "item.id", Text),
    c("ResultScore", "result_score", Double),
    c("Type", "item.type", Text),
    c("Title", "item.title", Text),
    c("Name", "item.name", Text),
    c("Item", "item", Json),
];

/// Deals, leads, persons, organizations, products, projects and files at once.
pub static ITEMS_SEARCH: TableDef = search(
    "ItemsSearch",
    "/itemSearch",
    ITEM_COLUMNS,
    &[
        TERM,
        EXACT,
        fields("where to look: name, title, email, phone, address, code, notes, custom_fields"),
        optional(
            "ItemTypes",
            "item_types",
            Text,
            "deal, person, organization, product, lead, file, mail_attachment, project \
             (comma-separated)",
        ),
    ],
);

/// The values of one field of one kind of record that match.
pub static ITEMS_FIELD_SEARCH: TableDef = TableDef {
    rows_at: None,
    ..search(
        "ItemsFieldSearch",
        "/itemSearch/field",
        ITEM_COLUMNS,
        &[
            TERM,
            arg(
                "EntityType",
                "entity_type",
                Text,
                "deal, lead, person, organization, product or project",
            ),
            arg(
                "Field",
                "field",
                Text,
                "the field's key, such as title or a custom field's key",
            ),
            optional("Match", "match", Text, "exact, beginning or middle"),
        ],
    )
};

/// Users whose name (or email) holds the term.
pub static USERS_FIND: TableDef = TableDef {
    name: "UsersFind",
    version: V1,
    path: "/users/find",
    columns: USERS.columns,
    args: &[
        TERM,
        optional(
            "SearchByEmail",
            "search_by_email",
            Boolean,
            "look in email addresses instead of names",
        ),
    ],
    ..TableDef::BASE
};

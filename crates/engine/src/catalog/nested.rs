//! Arrays nested in records, one row per element with the key of the record it is in: a
//! person's emails, phones and instant messengers, an activity's participants and attendees,
//! a product's prices. They are read from the record's own list (no further request), so a
//! filter on the record's key is the record's own `ids=` filter.

use super::table_def::ColType::*;
use super::table_def::{c, ColumnDef, Kind, Push, TableDef, NO_KEY};
use pipedrive_api::ApiVersion::V2;

/// A view of the elements of `array` in each record of `path`; the record's key is `parent`.
const fn elements(
    name: &'static str,
    path: &'static str,
    array: &'static str,
    columns: &'static [ColumnDef],
    pushdown: &'static [Push],
) -> TableDef {
    TableDef {
        name,
        version: V2,
        path,
        key: NO_KEY,
        columns,
        pushdown,
        explode: Some(array),
        kind: Kind::View,
        ..TableDef::BASE
    }
}

/// The columns of a labelled contact value (email, phone, messenger), after the record's key.
macro_rules! contact_columns {
    ($key:literal) => {
        &[
            c($key, "_parent.id", BigInt),
            c("Value", "value", Text),
            c("Label", "label", Text),
            c("IsPrimary", "primary", Boolean),
        ]
    };
}

const PERSON_KEY: &[Push] = &[Push::In("PersonId", "ids")];

pub static PERSONS_EMAILS: TableDef = elements(
    "PersonsEmails",
    "/persons",
    "emails",
    contact_columns!("PersonId"),
    PERSON_KEY,
);

pub static PERSONS_PHONES: TableDef = elements(
    "PersonsPhones",
    "/persons",
    "phones",
    contact_columns!("PersonId"),
    PERSON_KEY,
);

pub static PERSONS_IMS: TableDef = elements(
    "PersonsIms",
    "/persons",
    "im",
    contact_columns!("PersonId"),
    PERSON_KEY,
);

const ACTIVITY_KEY: &[Push] = &[Push::In("ActivityId", "ids")];

pub static ACTIVITIES_PARTICIPANTS: TableDef = elements(
    "ActivitiesParticipants",
    "/activities",
    "participants",
    &[
        c("ActivityId", "_parent.id", BigInt),
        c("PersonId", "person_id", BigInt),
        c("IsPrimary", "primary", Boolean),
    ],
    ACTIVITY_KEY,
);

pub static ACTIVITIES_ATTENDEES: TableDef = elements(
    "ActivitiesAttendees",
    "/activities",
    "attendees",
    &[
        c("ActivityId", "_parent.id", BigInt),
        c("Email", "email", Text),
        c("Name", "name", Text),
        c("Status", "status", Text),
        c("IsOrganizer", "is_organizer", Boolean),
        c("PersonId", "person_id", BigInt),
        c("UserId", "user_id", BigInt),
    ],
    ACTIVITY_KEY,
);

pub static PRODUCTS_PRICES: TableDef = elements(
    "ProductsPrices",
    "/products",
    "prices",
    &[
        c("ProductId", "_parent.id", BigInt),
        c("Currency", "currency", Text),
        c("Price", "price", Money),
        c("Cost", "cost", Money),
        c("DirectCost", "direct_cost", Money),
        c("Notes", "notes", LongText),
    ],
    &[Push::In("ProductId", "ids")],
);

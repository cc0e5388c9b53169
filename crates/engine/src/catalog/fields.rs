//! Field definitions of each entity (`*Fields`, API v2; leads and notes only in API v1) and
//! their options (the values of enum and set fields), one row per option.

use super::table_def::ColType::*;
use super::table_def::{c, ColumnDef, Kind, TableDef};
use pipedrive_api::ApiVersion::{V1, V2};

const FIELD_COLUMNS: &[ColumnDef] = &[
    c("FieldCode", "field_code", Text),
    c("FieldName", "field_name", Text),
    c("FieldType", "field_type", Text),
    c("IsCustomField", "is_custom_field", Boolean),
    c(
        "IsOptionalResponseField",
        "is_optional_response_field",
        Boolean,
    ),
    c("Options", "options", Json),
    c("Subfields", "subfields", Json),
];

const OPTION_COLUMNS: &[ColumnDef] = &[
    c("FieldCode", "_parent.field_code", Text),
    c("FieldName", "_parent.field_name", Text),
    c("Id", "id", Text),
    c("Label", "label", Text),
    c("Color", "color", Text),
    c("AddTime", "add_time", Timestamp),
    c("UpdateTime", "update_time", Timestamp),
];

const fn fields(name: &'static str, path: &'static str) -> TableDef {
    TableDef {
        name,
        path,
        version: V2,
        key: "FieldCode",
        columns: FIELD_COLUMNS,
        kind: Kind::Table,
        ..TableDef::BASE
    }
}

const fn options(name: &'static str, path: &'static str) -> TableDef {
    TableDef {
        name,
        path,
        version: V2,
        columns: OPTION_COLUMNS,
        explode: Some("options"),
        kind: Kind::View,
        ..TableDef::BASE
    }
}

pub static DEAL_FIELDS: TableDef = fields("DealFields", "/dealFields");
pub static PERSON_FIELDS: TableDef = fields("PersonFields", "/personFields");
pub static ORGANIZATION_FIELDS: TableDef = fields("OrganizationFields", "/organizationFields");
pub static PRODUCT_FIELDS: TableDef = fields("ProductFields", "/productFields");
pub static ACTIVITY_FIELDS: TableDef = fields("ActivityFields", "/activityFields");
pub static PROJECT_FIELDS: TableDef = fields("ProjectFields", "/projectFields");

pub static DEAL_FIELD_OPTIONS: TableDef = options("DealFieldOptions", "/dealFields");
pub static PERSON_FIELD_OPTIONS: TableDef = options("PersonFieldOptions", "/personFields");
pub static ORGANIZATION_FIELD_OPTIONS: TableDef =
    options("OrganizationFieldOptions", "/organizationFields");
pub static PRODUCT_FIELD_OPTIONS: TableDef = options("ProductFieldOptions", "/productFields");
pub static ACTIVITY_FIELD_OPTIONS: TableDef = options("ActivityFieldOptions", "/activityFields");
pub static PROJECT_FIELD_OPTIONS: TableDef = options("ProjectFieldOptions", "/projectFields");

/// The v1 field list: each field with its numeric id and its key.
const V1_FIELD_COLUMNS: &[ColumnDef] = &[
    c("Id", "id", BigInt),
    c("Key", "key", Text),
    c("Name", "name", Text),
    c("FieldType", "field_type", Text),
    c("Options", "options", Json),
    c("EditFlag", "edit_flag", Boolean),
    c("ActiveFlag", "active_flag", Boolean),
    c("MandatoryFlag", "mandatory_flag", Boolean),
];

const fn v1_fields(name: &'static str, path: &'static str) -> TableDef {
    TableDef {
        name,
        path,
        version: V1,
        key: "Key",
        columns: V1_FIELD_COLUMNS,
        kind: Kind::View,
        ..TableDef::BASE
    }
}

pub static LEAD_FIELDS: TableDef = v1_fields("LeadFields", "/leadFields");
pub static NOTE_FIELDS: TableDef = v1_fields("NoteFields", "/noteFields");

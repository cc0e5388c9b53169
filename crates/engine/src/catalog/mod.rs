//! The Pipedrive tables as data: for each table its endpoint, columns (SQL name, JSON path, SQL
//! type), key, and which WHERE shapes become which API parameters. Custom fields are added per
//! connection from the `*Fields` endpoints. Adding a table is adding an entry in `tables.rs`.

mod tables;

pub use tables::TABLES;

use pipedrive_api::ApiVersion;

/// SQL types of columns, as the engine presents them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColType {
    BigInt,
    Double,
    Boolean,
    Text,
    /// UTC timestamp.
    Timestamp,
    Date,
    Time,
    /// A nested structure, as JSON text.
    Json,
}

#[derive(Clone, Copy, Debug)]
pub struct ColumnDef {
    /// SQL name (PascalCase of the API name).
    pub name: &'static str,
    /// Where the value is in a record: keys separated by `.` (`address.country`).
    pub path: &'static str,
    pub ty: ColType,
}

/// How a comparison on a column becomes an API query parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Push {
    /// `column = value` -> `param=value`
    Eq(&'static str, &'static str),
    /// `column = value` -> `param=value` when the value is one the API accepts
    OneOf(&'static str, &'static str, &'static [&'static str]),
    /// `column IN (...)` or `column = value` -> `param=a,b,c`
    In(&'static str, &'static str),
    /// `column >= t` (or `>`) -> `param=t` (e.g. `updated_since`)
    Since(&'static str, &'static str),
    /// `column < t` (or `<=`) -> `param=t` (e.g. `updated_until`)
    Until(&'static str, &'static str),
}

impl Push {
    pub fn column(&self) -> &'static str {
        match self {
            Push::Eq(c, _)
            | Push::OneOf(c, _, _)
            | Push::In(c, _)
            | Push::Since(c, _)
            | Push::Until(c, _) => c,
        }
    }
    pub fn param(&self) -> &'static str {
        match self {
            Push::Eq(_, p)
            | Push::OneOf(_, p, _)
            | Push::In(_, p)
            | Push::Since(_, p)
            | Push::Until(_, p) => p,
        }
    }
}

#[derive(Debug)]
pub struct TableDef {
    /// SQL name (`Deals`).
    pub name: &'static str,
    pub version: ApiVersion,
    /// List endpoint below `/api/vN` (`/deals`).
    pub path: &'static str,
    /// Single-row endpoint, `{id}` replaced by the key (`/deals/{id}`).
    pub get_path: Option<&'static str>,
    pub columns: &'static [ColumnDef],
    /// Key column (SQL name).
    pub key: &'static str,
    /// The `*Fields` endpoint (v2) whose custom fields the records carry in `custom_fields`.
    pub custom_fields: Option<&'static str>,
    pub pushdown: &'static [Push],
    /// Columns the API can sort by: (SQL column, `sort_by` value).
    pub sorts: &'static [(&'static str, &'static str)],
}

impl TableDef {
    pub fn column(&self, name: &str) -> Option<&ColumnDef> {
        self.columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }
    pub fn pushes_for(&self, column: &str) -> Vec<&Push> {
        self.pushdown
            .iter()
            .filter(|p| p.column().eq_ignore_ascii_case(column))
            .collect()
    }
}

/// A table by SQL name, matched case-insensitively.
pub fn table(name: &str) -> Option<&'static TableDef> {
    TABLES.iter().find(|t| t.name.eq_ignore_ascii_case(name))
}

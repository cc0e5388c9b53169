//! The columns of a table for one connection: the catalog's standard columns, then one column
//! per custom field, named by its display name (made unique), typed by its field type, enum and
//! set values shown as their labels.

use crate::catalog::{ColType, TableDef, MONEY_PRECISION, MONEY_SCALE};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// How a column's value is read from a record.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A path of keys into the record.
    Path(Vec<String>),
    /// A custom field in the record's `custom_fields` object.
    Custom { key: String, read: CustomRead },
}

#[derive(Clone, Debug, PartialEq)]
pub enum CustomRead {
    /// The value itself (text, number, id, date, time).
    Plain,
    /// An option id shown as its label.
    Label(HashMap<i64, String>),
    /// Option ids shown as their labels, comma-separated.
    Labels(HashMap<i64, String>),
    /// `{value, currency}` -> value
    Amount,
    /// `{value, currency}` -> currency
    AmountCurrency,
    /// `{start, until}` -> start
    RangeStart,
    /// `{start, until}` -> until
    RangeUntil,
    /// An address object -> its formatted `value`
    AddressText,
}

#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    pub ty: ColType,
    pub source: Source,
    /// Part of the API's own fields (not a custom field).
    pub standard: bool,
}

impl Column {
    /// The key of the record that holds this column's value: the first of its path, or
    /// `custom_fields` for a custom field.
    pub fn record_key(&self) -> &str {
        match &self.source {
            Source::Path(path) => path.first().map_or("", String::as_str),
            Source::Custom { .. } => "custom_fields",
        }
    }
}

#[derive(Clone, Debug)]
pub struct TableSchema {
    pub def: &'static TableDef,
    pub columns: Vec<Column>,
    pub arrow: SchemaRef,
}

/// Field metadata key: the most characters a text column's values hold.
pub const MAX_LENGTH: &str = "pipedrive.max_length";

pub fn arrow_type(ty: ColType) -> DataType {
    match ty {
        ColType::BigInt => DataType::Int64,
        ColType::Double => DataType::Float64,
        ColType::Money => DataType::Decimal128(MONEY_PRECISION, MONEY_SCALE),
        ColType::Boolean => DataType::Boolean,
        ColType::Text | ColType::Varchar | ColType::LongText | ColType::Json => DataType::Utf8,
        ColType::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, None),
        ColType::Date => DataType::Date32,
        ColType::Time => DataType::Time64(TimeUnit::Microsecond),
    }
}

impl TableSchema {
    /// The table's columns, with the custom fields from its `*Fields` definitions.
    pub fn build(def: &'static TableDef, field_defs: &[Value]) -> TableSchema {
        let mut columns: Vec<Column> = def
            .columns
            .iter()
            .map(|c| Column {
                name: c.name.to_string(),
                ty: c.ty,
                source: Source::Path(c.path.split('.').map(String::from).collect()),
                standard: true,
            })
            .collect();
        for f in field_defs
            .iter()
            .filter(|f| f.get("is_custom_field") == Some(&Value::Bool(true)))
        {
            let (Some(key), Some(name), Some(kind)) = (
                f["field_code"].as_str(),
                f["field_name"].as_str(),
                f["field_type"].as_str(),
            ) else {
                continue;
            };
            for (suffix, ty, read) in custom_columns(kind, &f["options"]) {
                let wanted = if suffix.is_empty() {
                    name.to_string()
                } else {
                    format!("{name} {suffix}")
                };
                let name = unique(&columns, &wanted);
                columns.push(Column {
                    name,
                    ty,
                    source: Source::Custom {
                        key: key.to_string(),
                        read,
                    },
                    standard: false,
                });
            }
        }
        let fields: Vec<Field> = columns
            .iter()
            .map(|c| {
                let field = Field::new(
                    &c.name,
                    arrow_type(c.ty),
                    !(c.standard && c.name == def.key),
                );
                match c.ty.max_length() {
                    Some(n) => field.with_metadata(
                        [(MAX_LENGTH.to_string(), n.to_string())]
                            .into_iter()
                            .collect(),
                    ),
                    None => field,
                }
            })
            .collect();
        TableSchema {
            def,
            columns,
            arrow: Arc::new(Schema::new(fields)),
        }
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }
}

/// The columns one custom field becomes: (name suffix, type, how to read it).
fn custom_columns(kind: &str, options: &Value) -> Vec<(&'static str, ColType, CustomRead)> {
    let labels = || -> HashMap<i64, String> {
        options
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|o| Some((o["id"].as_i64()?, o["label"].as_str()?.to_string())))
            .collect()
    };
    match kind {
        "double" => vec![("", ColType::Double, CustomRead::Plain)],
        "int" => vec![("", ColType::BigInt, CustomRead::Plain)],
        "monetary" => vec![
            ("", ColType::Money, CustomRead::Amount),
            ("Currency", ColType::Varchar, CustomRead::AmountCurrency),
        ],
        "date" => vec![("", ColType::Date, CustomRead::Plain)],
        "daterange" => vec![
            ("", ColType::Date, CustomRead::RangeStart),
            ("Until", ColType::Date, CustomRead::RangeUntil),
        ],
        "time" => vec![("", ColType::Time, CustomRead::Plain)],
        "timerange" => vec![
            ("", ColType::Time, CustomRead::RangeStart),
            ("Until", ColType::Time, CustomRead::RangeUntil),
        ],
        "enum" => vec![("", ColType::Varchar, CustomRead::Label(labels()))],
        "set" => vec![("", ColType::LongText, CustomRead::Labels(labels()))],
        "address" => vec![("", ColType::LongText, CustomRead::AddressText)],
        "text" => vec![("", ColType::LongText, CustomRead::Plain)],
        "org" | "people" | "user" => vec![("", ColType::BigInt, CustomRead::Plain)],
        "boolean" => vec![("", ColType::Boolean, CustomRead::Plain)],
        "varchar" | "varchar_auto" | "varchar_options" => {
            vec![("", ColType::Varchar, CustomRead::Plain)]
        }
        "phone" => vec![("", ColType::Text, CustomRead::Plain)],
        _ => vec![("", ColType::Json, CustomRead::Plain)],
    }
}

/// `wanted`, or `wanted 2`, `wanted 3`... so no two columns share a name (case-insensitively).
fn unique(columns: &[Column], wanted: &str) -> String {
    let taken = |n: &str| columns.iter().any(|c| c.name.eq_ignore_ascii_case(n));
    if !taken(wanted) {
        return wanted.to_string();
    }
    (2..)
        .map(|i| format!("{wanted} {i}"))
        .find(|n| !taken(n))
        .expect("a free name")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::table;
    use serde_json::json;

    #[test]
    fn custom_fields_become_typed_columns_with_unique_names() {
        let defs = vec![
            json!({"field_code": "title", "field_name": "Title", "field_type": "varchar", "is_custom_field": false}),
            json!({"field_code": "a".repeat(40), "field_name": "Lead Source", "field_type": "enum", "is_custom_field": true,
                   "options": [{"id": 1, "label": "Web"}]}),
            json!({"field_code": "b".repeat(40), "field_name": "Budget", "field_type": "monetary", "is_custom_field": true}),
            json!({"field_code": "c".repeat(40), "field_name": "title", "field_type": "date", "is_custom_field": true}),
            json!({"field_code": "d".repeat(40), "field_name": "Contract", "field_type": "daterange", "is_custom_field": true}),
        ];
        let s = TableSchema::build(table("Deals").unwrap(), &defs);
        let names: Vec<&str> = s
            .columns
            .iter()
            .filter(|c| !c.standard)
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(
            names,
            vec![
                "Lead Source",
                "Budget",
                "Budget Currency",
                "title 2",
                "Contract",
                "Contract Until"
            ]
        );
        assert_eq!(s.column("budget").unwrap().ty, ColType::Money);
        assert_eq!(
            s.arrow.field_with_name("title 2").unwrap().data_type(),
            &DataType::Date32
        );
        assert!(!s.arrow.field_with_name("Id").unwrap().is_nullable());
        let size = |n: &str| {
            s.arrow
                .field_with_name(n)
                .unwrap()
                .metadata()
                .get(MAX_LENGTH)
                .cloned()
        };
        assert_eq!(size("Lead Source").as_deref(), Some("255"));
        // no limit the API states: long text to clients
        assert_eq!(size("Title"), None);
        assert_eq!(size("Value"), None);
        assert_eq!(s.columns.len(), table("Deals").unwrap().columns.len() + 6);
    }
}

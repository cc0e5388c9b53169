//! The catalog functions' result sets (SQLTables, SQLColumns, SQLPrimaryKeys, ...), built from
//! the connection's tables with the columns and types the ODBC reference gives each function.

use crate::sys::*;
use crate::types::{all_types, SqlTypeInfo};
use pipedrive_engine::arrow::array::{ArrayRef, Int16Array, Int32Array, StringArray};
use pipedrive_engine::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use pipedrive_engine::arrow::record_batch::RecordBatch;
use pipedrive_engine::catalog::{references, Kind};
use pipedrive_engine::procedures;
use pipedrive_engine::schema::{TableSchema, MAX_LENGTH};
use pipedrive_engine::{CATALOG, SCHEMA};
use std::sync::Arc;

/// A value of a catalog result row.
#[derive(Clone, Debug)]
pub enum V {
    S(Option<String>),
    H(Option<i16>),
    I(Option<i32>),
}

fn s(v: impl Into<String>) -> V {
    V::S(Some(v.into()))
}
fn h(v: impl TryInto<i16>) -> V {
    V::H(v.try_into().ok())
}
fn i(v: impl TryInto<i32>) -> V {
    V::I(v.try_into().ok())
}
const NULL_S: V = V::S(None);
const NULL_H: V = V::H(None);
const NULL_I: V = V::I(None);

/// A result set's columns: name and type letter (`s` text, `h` SMALLINT, `i` INTEGER), and
/// whether it is never NULL.
type Shape = &'static [(&'static str, char, bool)];

pub const TABLES: Shape = &[
    ("TABLE_CAT", 's', false),
    ("TABLE_SCHEM", 's', false),
    ("TABLE_NAME", 's', false),
    ("TABLE_TYPE", 's', false),
    ("REMARKS", 's', false),
];
pub const COLUMNS: Shape = &[
    ("TABLE_CAT", 's', false),
    ("TABLE_SCHEM", 's', false),
    ("TABLE_NAME", 's', true),
    ("COLUMN_NAME", 's', true),
    ("DATA_TYPE", 'h', true),
    ("TYPE_NAME", 's', true),
    ("COLUMN_SIZE", 'i', false),
    ("BUFFER_LENGTH", 'i', false),
    ("DECIMAL_DIGITS", 'h', false),
    ("NUM_PREC_RADIX", 'h', false),
    ("NULLABLE", 'h', true),
    ("REMARKS", 's', false),
    ("COLUMN_DEF", 's', false),
    ("SQL_DATA_TYPE", 'h', true),
    ("SQL_DATETIME_SUB", 'h', false),
    ("CHAR_OCTET_LENGTH", 'i', false),
    ("ORDINAL_POSITION", 'i', true),
    ("IS_NULLABLE", 's', false),
];
pub const PRIMARY_KEYS: Shape = &[
    ("TABLE_CAT", 's', false),
    ("TABLE_SCHEM", 's', false),
    ("TABLE_NAME", 's', true),
    ("COLUMN_NAME", 's', true),
    ("KEY_SEQ", 'h', true),
    ("PK_NAME", 's', false),
];
pub const FOREIGN_KEYS: Shape = &[
    ("PKTABLE_CAT", 's', false),
    ("PKTABLE_SCHEM", 's', false),
    ("PKTABLE_NAME", 's', true),
    ("PKCOLUMN_NAME", 's', true),
    ("FKTABLE_CAT", 's', false),
    ("FKTABLE_SCHEM", 's', false),
    ("FKTABLE_NAME", 's', true),
    ("FKCOLUMN_NAME", 's', true),
    ("KEY_SEQ", 'h', true),
    ("UPDATE_RULE", 'h', false),
    ("DELETE_RULE", 'h', false),
    ("FK_NAME", 's', false),
    ("PK_NAME", 's', false),
    ("DEFERRABILITY", 'h', false),
];
pub const STATISTICS: Shape = &[
    ("TABLE_CAT", 's', false),
    ("TABLE_SCHEM", 's', false),
    ("TABLE_NAME", 's', true),
    ("NON_UNIQUE", 'h', false),
    ("INDEX_QUALIFIER", 's', false),
    ("INDEX_NAME", 's', false),
    ("TYPE", 'h', true),
    ("ORDINAL_POSITION", 'h', false),
    ("COLUMN_NAME", 's', false),
    ("ASC_OR_DESC", 's', false),
    ("CARDINALITY", 'i', false),
    ("PAGES", 'i', false),
    ("FILTER_CONDITION", 's', false),
];
pub const SPECIAL_COLUMNS: Shape = &[
    ("SCOPE", 'h', false),
    ("COLUMN_NAME", 's', true),
    ("DATA_TYPE", 'h', true),
    ("TYPE_NAME", 's', true),
    ("COLUMN_SIZE", 'i', false),
    ("BUFFER_LENGTH", 'i', false),
    ("DECIMAL_DIGITS", 'h', false),
    ("PSEUDO_COLUMN", 'h', false),
];
pub const PROCEDURES: Shape = &[
    ("PROCEDURE_CAT", 's', false),
    ("PROCEDURE_SCHEM", 's', false),
    ("PROCEDURE_NAME", 's', true),
    ("NUM_INPUT_PARAMS", 'i', false),
    ("NUM_OUTPUT_PARAMS", 'i', false),
    ("NUM_RESULT_SETS", 'i', false),
    ("REMARKS", 's', false),
    ("PROCEDURE_TYPE", 'h', false),
];
pub const PROCEDURE_COLUMNS: Shape = &[
    ("PROCEDURE_CAT", 's', false),
    ("PROCEDURE_SCHEM", 's', false),
    ("PROCEDURE_NAME", 's', true),
    ("COLUMN_NAME", 's', true),
    ("COLUMN_TYPE", 'h', true),
    ("DATA_TYPE", 'h', true),
    ("TYPE_NAME", 's', true),
    ("COLUMN_SIZE", 'i', false),
    ("BUFFER_LENGTH", 'i', false),
    ("DECIMAL_DIGITS", 'h', false),
    ("NUM_PREC_RADIX", 'h', false),
    ("NULLABLE", 'h', true),
    ("REMARKS", 's', false),
    ("COLUMN_DEF", 's', false),
    ("SQL_DATA_TYPE", 'h', true),
    ("SQL_DATETIME_SUB", 'h', false),
    ("CHAR_OCTET_LENGTH", 'i', false),
    ("ORDINAL_POSITION", 'i', true),
    ("IS_NULLABLE", 's', false),
];
pub const TABLE_PRIVILEGES: Shape = &[
    ("TABLE_CAT", 's', false),
    ("TABLE_SCHEM", 's', false),
    ("TABLE_NAME", 's', true),
    ("GRANTOR", 's', false),
    ("GRANTEE", 's', true),
    ("PRIVILEGE", 's', true),
    ("IS_GRANTABLE", 's', false),
];
pub const COLUMN_PRIVILEGES: Shape = &[
    ("TABLE_CAT", 's', false),
    ("TABLE_SCHEM", 's', false),
    ("TABLE_NAME", 's', true),
    ("COLUMN_NAME", 's', true),
    ("GRANTOR", 's', false),
    ("GRANTEE", 's', true),
    ("PRIVILEGE", 's', true),
    ("IS_GRANTABLE", 's', false),
];
pub const TYPE_INFO: Shape = &[
    ("TYPE_NAME", 's', true),
    ("DATA_TYPE", 'h', true),
    ("COLUMN_SIZE", 'i', false),
    ("LITERAL_PREFIX", 's', false),
    ("LITERAL_SUFFIX", 's', false),
    ("CREATE_PARAMS", 's', false),
    ("NULLABLE", 'h', true),
    ("CASE_SENSITIVE", 'h', true),
    ("SEARCHABLE", 'h', true),
    ("UNSIGNED_ATTRIBUTE", 'h', false),
    ("FIXED_PREC_SCALE", 'h', true),
    ("AUTO_UNIQUE_VALUE", 'h', false),
    ("LOCAL_TYPE_NAME", 's', false),
    ("MINIMUM_SCALE", 'h', false),
    ("MAXIMUM_SCALE", 'h', false),
    ("SQL_DATA_TYPE", 'h', true),
    ("SQL_DATETIME_SUB", 'h', false),
    ("NUM_PREC_RADIX", 'i', false),
    ("INTERVAL_PRECISION", 'h', false),
];

/// The schema and the single batch of a catalog result.
pub fn result(shape: Shape, rows: Vec<Vec<V>>) -> (SchemaRef, Vec<RecordBatch>) {
    let fields: Vec<Field> = shape
        .iter()
        .map(|(name, kind, required)| {
            let ty = match kind {
                'h' => DataType::Int16,
                'i' => DataType::Int32,
                _ => DataType::Utf8,
            };
            let f = Field::new(*name, ty, !required);
            match kind {
                's' => f.with_metadata([(MAX_LENGTH.to_string(), "128".to_string())].into()),
                _ => f,
            }
        })
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let columns: Vec<ArrayRef> = (0..shape.len())
        .map(|c| -> ArrayRef {
            match shape[c].1 {
                'h' => Arc::new(Int16Array::from_iter(rows.iter().map(|r| match &r[c] {
                    V::H(v) => *v,
                    _ => None,
                }))),
                'i' => Arc::new(Int32Array::from_iter(rows.iter().map(|r| match &r[c] {
                    V::I(v) => *v,
                    _ => None,
                }))),
                _ => Arc::new(StringArray::from_iter(rows.iter().map(|r| match &r[c] {
                    V::S(v) => v.clone(),
                    _ => None,
                }))),
            }
        })
        .collect();
    let batch = RecordBatch::try_new(schema.clone(), columns).expect("rows match the shape");
    (schema, vec![batch])
}

/// How an argument names objects: a search pattern, or a name (case-insensitive).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    Pattern,
    Name,
}

/// A catalog function's name argument; `None` (NULL) matches everything.
#[derive(Clone, Debug, Default)]
pub struct Filter(pub Option<String>);

impl Filter {
    /// Whether `value` is selected; with SQL_ATTR_METADATA_ID every argument is a name.
    pub fn matches(&self, value: &str, arg: Arg, metadata_id: bool) -> bool {
        let Some(p) = self.0.as_deref() else {
            return true;
        };
        if metadata_id || arg == Arg::Name {
            let name = p.trim();
            let name = name
                .strip_prefix('"')
                .and_then(|n| n.strip_suffix('"'))
                .unwrap_or(name);
            // an empty name is taken as "any" (applications pass "" for the single catalog)
            return name.is_empty() || name.eq_ignore_ascii_case(value);
        }
        like(p, value)
    }
}

/// `%` any run, `_` any one character, `\` escapes; case-insensitive like identifiers.
pub fn like(pattern: &str, value: &str) -> bool {
    fn go(p: &[char], v: &[char]) -> bool {
        match p.first() {
            None => v.is_empty(),
            Some('%') => (0..=v.len()).any(|k| go(&p[1..], &v[k..])),
            Some('_') => !v.is_empty() && go(&p[1..], &v[1..]),
            Some('\\') if p.len() > 1 => {
                !v.is_empty() && p[1].to_lowercase().eq(v[0].to_lowercase()) && go(&p[2..], &v[1..])
            }
            Some(c) => {
                !v.is_empty() && c.to_lowercase().eq(v[0].to_lowercase()) && go(&p[1..], &v[1..])
            }
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let v: Vec<char> = value.chars().collect();
    go(&p, &v)
}

fn table_type(t: &TableSchema) -> &'static str {
    match t.def.kind {
        Kind::Table => "TABLE",
        Kind::View => "VIEW",
    }
}

/// SQLTables, including its three listing special cases.
pub fn tables<'a>(
    all: impl Iterator<Item = &'a TableSchema>,
    cat: &Filter,
    schema: &Filter,
    table: &Filter,
    types: Option<&str>,
    id: bool,
) -> Vec<Vec<V>> {
    let empty = |f: &Filter| f.0.as_deref() == Some("");
    let is = |f: &Filter, v: &str| f.0.as_deref() == Some(v);
    if is(cat, "%") && empty(schema) && empty(table) {
        return vec![vec![s(CATALOG), NULL_S, NULL_S, NULL_S, NULL_S]];
    }
    if is(schema, "%") && empty(cat) && empty(table) {
        return vec![vec![NULL_S, s(SCHEMA), NULL_S, NULL_S, NULL_S]];
    }
    if types == Some("%") && empty(cat) && empty(schema) && empty(table) {
        return ["TABLE", "VIEW"]
            .iter()
            .map(|t| vec![NULL_S, NULL_S, NULL_S, s(*t), NULL_S])
            .collect();
    }
    let wanted: Option<Vec<String>> =
        types
            .filter(|t| !t.trim().is_empty() && *t != "%")
            .map(|t| {
                t.split(',')
                    .map(|x| x.trim().trim_matches('\'').to_ascii_uppercase())
                    .collect()
            });
    all.filter(|_| {
        cat.matches(CATALOG, Arg::Pattern, id) && schema.matches(SCHEMA, Arg::Pattern, id)
    })
    .filter(|t| table.matches(t.def.name, Arg::Pattern, id))
    .filter(|t| {
        wanted
            .as_ref()
            .is_none_or(|w| w.iter().any(|x| x == table_type(t)))
    })
    .map(|t| {
        vec![
            s(CATALOG),
            s(SCHEMA),
            s(t.def.name),
            s(table_type(t)),
            NULL_S,
        ]
    })
    .collect()
}

fn in_scope(cat: &Filter, schema: &Filter, arg: Arg, id: bool) -> bool {
    cat.matches(CATALOG, Arg::Name, id) && schema.matches(SCHEMA, arg, id)
}

/// SQLColumns.
pub fn columns<'a>(
    all: impl Iterator<Item = &'a TableSchema>,
    cat: &Filter,
    schema: &Filter,
    table: &Filter,
    column: &Filter,
    id: bool,
    odbc_version: Integer,
) -> Vec<Vec<V>> {
    if !in_scope(cat, schema, Arg::Pattern, id) {
        return vec![];
    }
    let mut rows = vec![];
    for t in all.filter(|t| table.matches(t.def.name, Arg::Pattern, id)) {
        for (n, f) in t.arrow.fields().iter().enumerate() {
            if !column.matches(f.name(), Arg::Pattern, id) {
                continue;
            }
            let (kind, tail) = type_cells(f, odbc_version);
            let mut row = vec![s(CATALOG), s(SCHEMA), s(t.def.name), s(f.name().clone())];
            row.extend(kind);
            row.push(
                t.column(f.name())
                    .filter(|c| !c.standard)
                    .map_or(NULL_S, |_| s("custom field")),
            );
            row.push(NULL_S);
            row.extend(tail);
            row.extend([i(n + 1), s(if f.is_nullable() { "YES" } else { "NO" })]);
            rows.push(row);
        }
    }
    rows
}

/// The type cells of a column or parameter row: DATA_TYPE, TYPE_NAME, COLUMN_SIZE,
/// BUFFER_LENGTH, DECIMAL_DIGITS, NUM_PREC_RADIX, NULLABLE; then SQL_DATA_TYPE,
/// SQL_DATETIME_SUB, CHAR_OCTET_LENGTH.
fn type_cells(f: &Field, odbc_version: Integer) -> ([V; 7], [V; 3]) {
    let info = SqlTypeInfo::of_field(f);
    let (verbose, sub) = info.verbose();
    let text = matches!(info.sql_type, SQL_WVARCHAR | SQL_WLONGVARCHAR);
    let numeric = info.radix > 0;
    (
        [
            h(info.sql_type_for(odbc_version)),
            s(info.type_name),
            i(info.column_size),
            i(info.octet_length),
            if numeric || sub.is_some() {
                h(info.decimal_digits)
            } else {
                NULL_H
            },
            if numeric { h(info.radix) } else { NULL_H },
            h(if f.is_nullable() {
                SQL_NULLABLE
            } else {
                SQL_NO_NULLS
            }),
        ],
        [
            h(verbose),
            sub.map_or(NULL_H, h),
            if text { i(info.octet_length) } else { NULL_I },
        ],
    )
}

/// SQLProcedures.
pub fn procedures(cat: &Filter, schema: &Filter, name: &Filter, id: bool) -> Vec<Vec<V>> {
    if !in_scope(cat, schema, Arg::Pattern, id) {
        return vec![];
    }
    procedures::PROCEDURES
        .iter()
        .filter(|p| name.matches(p.name, Arg::Pattern, id))
        .map(|p| {
            vec![
                s(CATALOG),
                s(SCHEMA),
                s(p.name),
                i(p.params.len()),
                i(0),
                i(1),
                s(p.remarks),
                h(SQL_PT_PROCEDURE),
            ]
        })
        .collect()
}

/// SQLProcedureColumns: each procedure's input parameters, then its result columns.
pub fn procedure_columns(
    cat: &Filter,
    schema: &Filter,
    name: &Filter,
    column: &Filter,
    id: bool,
    odbc_version: Integer,
) -> Vec<Vec<V>> {
    if !in_scope(cat, schema, Arg::Pattern, id) {
        return vec![];
    }
    let mut rows = vec![];
    for p in procedures::PROCEDURES
        .iter()
        .filter(|p| name.matches(p.name, Arg::Pattern, id))
    {
        let params = p
            .params
            .iter()
            .map(|a| (SQL_PARAM_INPUT, a.field(), a.remarks));
        let outputs = p
            .outputs
            .iter()
            .map(|o| (SQL_RESULT_COL, o.field(), o.remarks));
        let mut ordinal = (0, 0);
        for (kind, field, remarks) in params.chain(outputs) {
            let n = if kind == SQL_PARAM_INPUT {
                &mut ordinal.0
            } else {
                &mut ordinal.1
            };
            *n += 1;
            if !column.matches(field.name(), Arg::Pattern, id) {
                continue;
            }
            let (types, tail) = type_cells(&field, odbc_version);
            let mut row = vec![
                s(CATALOG),
                s(SCHEMA),
                s(p.name),
                s(field.name().clone()),
                h(kind),
            ];
            row.extend(types);
            row.extend([s(remarks), NULL_S]);
            row.extend(tail);
            row.extend([i(*n), s(if field.is_nullable() { "YES" } else { "NO" })]);
            rows.push(row);
        }
    }
    rows
}

fn find<'a>(
    all: impl Iterator<Item = &'a TableSchema>,
    table: &Filter,
    id: bool,
) -> Vec<&'a TableSchema> {
    all.filter(|t| table.0.is_some() && table.matches(t.def.name, Arg::Name, id))
        .collect()
}

/// The named table, if it is in scope and has a key column.
fn keyed<'a>(
    all: impl Iterator<Item = &'a TableSchema>,
    cat: &Filter,
    schema: &Filter,
    table: &Filter,
    id: bool,
) -> Vec<&'a TableSchema> {
    if !in_scope(cat, schema, Arg::Name, id) {
        return vec![];
    }
    find(all, table, id)
        .into_iter()
        .filter(|t| t.arrow.field_with_name(t.def.key).is_ok())
        .collect()
}

/// SQLPrimaryKeys.
pub fn primary_keys<'a>(
    all: impl Iterator<Item = &'a TableSchema>,
    cat: &Filter,
    schema: &Filter,
    table: &Filter,
    id: bool,
) -> Vec<Vec<V>> {
    keyed(all, cat, schema, table, id)
        .into_iter()
        .map(|t| {
            vec![
                s(CATALOG),
                s(SCHEMA),
                s(t.def.name),
                s(t.def.key),
                h(1),
                s(format!("PK_{}", t.def.name)),
            ]
        })
        .collect()
}

/// SQLForeignKeys: the keys of `pk_table` other tables reference, or the references of
/// `fk_table`, or the one pair.
pub fn foreign_keys<'a>(
    all: impl Iterator<Item = &'a TableSchema> + Clone,
    pk_table: &Filter,
    fk_table: &Filter,
    id: bool,
) -> Vec<Vec<V>> {
    let mut rows = vec![];
    for fk in all.clone() {
        if fk_table.0.is_some() && !fk_table.matches(fk.def.name, Arg::Name, id) {
            continue;
        }
        for col in fk.columns.iter().filter(|c| c.standard) {
            let Some(target) = references(fk.def, &col.name) else {
                continue;
            };
            if pk_table.0.is_some() && !pk_table.matches(target.name, Arg::Name, id) {
                continue;
            }
            if !all.clone().any(|t| std::ptr::eq(t.def, target)) {
                continue;
            }
            rows.push(vec![
                s(CATALOG),
                s(SCHEMA),
                s(target.name),
                s(target.key),
                s(CATALOG),
                s(SCHEMA),
                s(fk.def.name),
                s(col.name.clone()),
                h(1),
                h(SQL_NO_ACTION),
                h(SQL_NO_ACTION),
                s(format!("FK_{}_{}", fk.def.name, col.name)),
                s(format!("PK_{}", target.name)),
                h(SQL_NOT_DEFERRABLE),
            ]);
        }
    }
    let key = |r: &Vec<V>, a: usize, b: usize| match (&r[a], &r[b]) {
        (V::S(x), V::S(y)) => (x.clone(), y.clone()),
        _ => (None, None),
    };
    // ordered by the other side's table, as the reference asks
    if pk_table.0.is_some() {
        rows.sort_by_key(|r| key(r, 6, 7));
    } else {
        rows.sort_by_key(|r| key(r, 2, 3));
    }
    rows
}

/// SQLStatistics: the key as a unique index.
pub fn statistics<'a>(
    all: impl Iterator<Item = &'a TableSchema>,
    cat: &Filter,
    schema: &Filter,
    table: &Filter,
    id: bool,
) -> Vec<Vec<V>> {
    keyed(all, cat, schema, table, id)
        .into_iter()
        .map(|t| {
            vec![
                s(CATALOG),
                s(SCHEMA),
                s(t.def.name),
                h(0),
                NULL_S,
                s(format!("PK_{}", t.def.name)),
                h(SQL_INDEX_OTHER),
                h(1),
                s(t.def.key),
                s("A"),
                NULL_I,
                NULL_I,
                NULL_S,
            ]
        })
        .collect()
}

/// SQLSpecialColumns: the key identifies a row; nothing changes on update by itself.
pub fn special_columns<'a>(
    all: impl Iterator<Item = &'a TableSchema>,
    kind: USmallInt,
    cat: &Filter,
    schema: &Filter,
    table: &Filter,
    id: bool,
) -> Vec<Vec<V>> {
    if kind != SQL_BEST_ROWID || !in_scope(cat, schema, Arg::Name, id) {
        return vec![];
    }
    find(all, table, id)
        .into_iter()
        .filter_map(|t| Some((t, t.arrow.field_with_name(t.def.key).ok()?)))
        .map(|(t, f)| {
            let info = SqlTypeInfo::of_field(f);
            vec![
                h(SQL_SCOPE_SESSION),
                s(t.def.key),
                h(info.sql_type),
                s(info.type_name),
                i(info.column_size),
                i(info.octet_length),
                h(info.decimal_digits),
                h(SQL_PC_NOT_PSEUDO),
            ]
        })
        .collect()
}

/// SQLTablePrivileges: what this driver lets SQL do with each table.
pub fn table_privileges<'a>(
    all: impl Iterator<Item = &'a TableSchema>,
    cat: &Filter,
    schema: &Filter,
    table: &Filter,
    id: bool,
) -> Vec<Vec<V>> {
    if !in_scope(cat, schema, Arg::Pattern, id) {
        return vec![];
    }
    all.filter(|t| table.matches(t.def.name, Arg::Pattern, id))
        .map(|t| {
            vec![
                s(CATALOG),
                s(SCHEMA),
                s(t.def.name),
                NULL_S,
                s("PUBLIC"),
                s("SELECT"),
                s("NO"),
            ]
        })
        .collect()
}

/// SQLColumnPrivileges.
pub fn column_privileges<'a>(
    all: impl Iterator<Item = &'a TableSchema>,
    cat: &Filter,
    schema: &Filter,
    table: &Filter,
    column: &Filter,
    id: bool,
) -> Vec<Vec<V>> {
    if !in_scope(cat, schema, Arg::Name, id) {
        return vec![];
    }
    let mut rows = vec![];
    for t in find(all, table, id) {
        for f in t
            .arrow
            .fields()
            .iter()
            .filter(|f| column.matches(f.name(), Arg::Pattern, id))
        {
            rows.push(vec![
                s(CATALOG),
                s(SCHEMA),
                s(t.def.name),
                s(f.name().clone()),
                NULL_S,
                s("PUBLIC"),
                s("SELECT"),
                s("NO"),
            ]);
        }
    }
    rows
}

/// SQLGetTypeInfo for one type or all (SQL_ALL_TYPES).
pub fn type_info(data_type: SmallInt, odbc_version: Integer) -> Vec<Vec<V>> {
    all_types()
        .into_iter()
        .filter(|t| {
            data_type == SQL_ALL_TYPES
                || t.sql_type_for(odbc_version) == data_type
                || t.sql_type == data_type
        })
        .map(|t| {
            let (verbose, sub) = t.verbose();
            vec![
                s(t.type_name),
                h(t.sql_type_for(odbc_version)),
                i(t.column_size),
                if t.literal_prefix.is_empty() {
                    NULL_S
                } else {
                    s(t.literal_prefix)
                },
                if t.literal_suffix.is_empty() {
                    NULL_S
                } else {
                    s(t.literal_suffix)
                },
                if t.sql_type == SQL_NUMERIC {
                    s("precision,scale")
                } else {
                    NULL_S
                },
                h(SQL_NULLABLE),
                h(t.case_sensitive as i16),
                h(t.searchable),
                if t.radix > 0 {
                    h(t.unsigned as i16)
                } else {
                    NULL_H
                },
                h(0),
                if t.radix > 0 { h(0) } else { NULL_H },
                s(t.type_name),
                if t.radix > 0 || sub.is_some() {
                    h(0)
                } else {
                    NULL_H
                },
                if t.radix > 0 || sub.is_some() {
                    h(t.decimal_digits
                        .max(if t.sql_type == SQL_NUMERIC { 38 } else { 0 }))
                } else {
                    NULL_H
                },
                h(verbose),
                sub.map_or(NULL_H, h),
                if t.radix > 0 { i(t.radix) } else { NULL_I },
                NULL_H,
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_and_names() {
        assert!(like("Deal%", "DealsProducts"));
        assert!(like("deal_", "Deals"));
        assert!(!like("Deal_", "DealsProducts"));
        assert!(like("Deals\\_x", "Deals_x"));
        assert!(!like("Deals\\_x", "Dealsax"));
        let f = Filter(Some("deals".into()));
        assert!(f.matches("Deals", Arg::Name, false));
        assert!(!Filter(Some("Deal%".into())).matches("Deals", Arg::Name, false));
        assert!(Filter(Some("\"Deals\"".into())).matches("Deals", Arg::Pattern, true));
        assert!(Filter(None).matches("x", Arg::Pattern, false));
    }

    #[test]
    fn results_have_the_reference_shapes() {
        let (schema, batches) = result(TYPE_INFO, type_info(SQL_ALL_TYPES, SQL_OV_ODBC3));
        assert_eq!(schema.fields().len(), 19);
        assert!(batches[0].num_rows() >= 10);
        let (schema, batches) = result(COLUMNS, vec![]);
        assert_eq!(schema.field(4).data_type(), &DataType::Int16);
        assert_eq!(batches[0].num_rows(), 0);
        assert_eq!(result(FOREIGN_KEYS, vec![]).0.fields().len(), 14);
    }
}

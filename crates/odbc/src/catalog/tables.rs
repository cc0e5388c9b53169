//! Rows of the table and column listings: SQLTables (with its catalog, schema and type
//! listings), SQLColumns, SQLTablePrivileges, SQLColumnPrivileges.

use super::rows::{i, s, NULL_S, V};
use super::type_rows::described_column;
use crate::sys::*;
use pipedrive_engine::{Filter, SchemaObjects, Scope, TableKind, CATALOG, SCHEMA};

fn type_name(kind: TableKind) -> &'static str {
    match kind {
        TableKind::Table => "TABLE",
        TableKind::View => "VIEW",
    }
}

/// SQLTables, including its three listing special cases.
pub fn tables(
    objects: &SchemaObjects,
    scope: Scope,
    table: &Filter,
    types: Option<&str>,
) -> Vec<Vec<V>> {
    let empty = |f: &Filter| f.0.as_deref() == Some("");
    let is = |f: &Filter, v: &str| f.0.as_deref() == Some(v);
    if is(&scope.catalog, "%") && empty(&scope.schema) && empty(table) {
        return vec![vec![s(CATALOG), NULL_S, NULL_S, NULL_S, NULL_S]];
    }
    if is(&scope.schema, "%") && empty(&scope.catalog) && empty(table) {
        return vec![vec![NULL_S, s(SCHEMA), NULL_S, NULL_S, NULL_S]];
    }
    if types == Some("%") && empty(&scope.catalog) && empty(&scope.schema) && empty(table) {
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
    objects
        .tables(&scope.catalog_pattern(), table)
        .into_iter()
        .filter(|t| {
            wanted
                .as_ref()
                .is_none_or(|w| w.iter().any(|x| x == type_name(t.kind)))
        })
        .map(|t| {
            vec![
                s(CATALOG),
                s(SCHEMA),
                s(t.name),
                s(type_name(t.kind)),
                NULL_S,
            ]
        })
        .collect()
}

/// SQLColumns.
pub fn columns(
    objects: &SchemaObjects,
    scope: &Scope,
    table: &Filter,
    column: &Filter,
    odbc_version: Integer,
) -> Vec<Vec<V>> {
    objects
        .columns(scope, table, column)
        .into_iter()
        .map(|c| {
            let remarks = if c.custom { s("custom field") } else { NULL_S };
            let mut row = vec![s(CATALOG), s(SCHEMA), s(c.table), s(c.field.name().clone())];
            row.extend(described_column(
                c.field,
                odbc_version,
                remarks,
                i(c.ordinal),
            ));
            row
        })
        .collect()
}

/// The privilege columns of a row: grantor, grantee, privilege, grantable.
fn privilege() -> [V; 4] {
    [NULL_S, s("PUBLIC"), s("SELECT"), s("NO")]
}

/// SQLTablePrivileges: what this driver lets SQL do with each table.
pub fn table_privileges(objects: &SchemaObjects, scope: &Scope, table: &Filter) -> Vec<Vec<V>> {
    objects
        .tables(scope, table)
        .into_iter()
        .map(|t| {
            let mut row = vec![s(CATALOG), s(SCHEMA), s(t.name)];
            row.extend(privilege());
            row
        })
        .collect()
}

/// SQLColumnPrivileges.
pub fn column_privileges(
    objects: &SchemaObjects,
    scope: &Scope,
    table: &Filter,
    column: &Filter,
) -> Vec<Vec<V>> {
    objects
        .columns_of(scope, table, column)
        .into_iter()
        .map(|c| {
            let mut row = vec![s(CATALOG), s(SCHEMA), s(c.table), s(c.field.name().clone())];
            row.extend(privilege());
            row
        })
        .collect()
}

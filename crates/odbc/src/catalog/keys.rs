//! Rows of the key listings: SQLPrimaryKeys, SQLForeignKeys, SQLStatistics (the key as a unique
//! index) and SQLSpecialColumns (the key identifies a row).

use super::rows::{h, i, s, NULL_I, NULL_S, V};
use crate::sys::*;
use crate::types::SqlTypeInfo;
use pipedrive_engine::{Filter, SchemaObjects, Scope, CATALOG, SCHEMA};

/// SQLPrimaryKeys.
pub fn primary_keys(objects: &SchemaObjects, scope: &Scope, table: &Filter) -> Vec<Vec<V>> {
    objects
        .keys(scope, table)
        .into_iter()
        .map(|k| {
            vec![
                s(CATALOG),
                s(SCHEMA),
                s(k.table),
                s(k.column),
                h(1),
                s(format!("PK_{}", k.table)),
            ]
        })
        .collect()
}

/// SQLForeignKeys: the keys of `pk_table` other tables reference, or the references of
/// `fk_table`, or the one pair.
pub fn foreign_keys(
    objects: &SchemaObjects,
    scope: &Scope,
    pk_table: &Filter,
    fk_table: &Filter,
) -> Vec<Vec<V>> {
    objects
        .references(scope, pk_table, fk_table)
        .into_iter()
        .map(|r| {
            vec![
                s(CATALOG),
                s(SCHEMA),
                s(r.key_table),
                s(r.key_column),
                s(CATALOG),
                s(SCHEMA),
                s(r.table),
                s(r.column.clone()),
                h(1),
                h(SQL_NO_ACTION),
                h(SQL_NO_ACTION),
                s(format!("FK_{}_{}", r.table, r.column)),
                s(format!("PK_{}", r.key_table)),
                h(SQL_NOT_DEFERRABLE),
            ]
        })
        .collect()
}

/// SQLStatistics: the key as a unique index.
pub fn statistics(objects: &SchemaObjects, scope: &Scope, table: &Filter) -> Vec<Vec<V>> {
    objects
        .keys(scope, table)
        .into_iter()
        .map(|k| {
            vec![
                s(CATALOG),
                s(SCHEMA),
                s(k.table),
                h(0),
                NULL_S,
                s(format!("PK_{}", k.table)),
                h(SQL_INDEX_OTHER),
                h(1),
                s(k.column),
                s("A"),
                NULL_I,
                NULL_I,
                NULL_S,
            ]
        })
        .collect()
}

/// SQLSpecialColumns: the key identifies a row; nothing changes on update by itself.
pub fn special_columns(
    objects: &SchemaObjects,
    kind: USmallInt,
    scope: &Scope,
    table: &Filter,
) -> Vec<Vec<V>> {
    if kind != SQL_BEST_ROWID {
        return vec![];
    }
    objects
        .keys(scope, table)
        .into_iter()
        .map(|k| {
            let info = SqlTypeInfo::of_field(k.field);
            vec![
                h(SQL_SCOPE_SESSION),
                s(k.column),
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

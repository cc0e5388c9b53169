//! Type rows: the type cells of SQLColumns and SQLProcedureColumns rows, and SQLGetTypeInfo.

use super::rows::{h, i, s, NULL_H, NULL_I, NULL_S, V};
use crate::sys::*;
use crate::types::{all_types, SqlTypeInfo};
use pipedrive_engine::arrow::datatypes::Field;

/// The cells SQLColumns and SQLProcedureColumns share, from DATA_TYPE to IS_NULLABLE:
/// DATA_TYPE, TYPE_NAME, COLUMN_SIZE, BUFFER_LENGTH, DECIMAL_DIGITS, NUM_PREC_RADIX, NULLABLE,
/// REMARKS, COLUMN_DEF (none), SQL_DATA_TYPE, SQL_DATETIME_SUB, CHAR_OCTET_LENGTH,
/// ORDINAL_POSITION, IS_NULLABLE.
pub(super) fn described_column(
    f: &Field,
    odbc_version: Integer,
    remarks: V,
    ordinal: V,
) -> [V; 14] {
    let info = SqlTypeInfo::of_field(f);
    let (verbose, sub) = info.verbose();
    let text = matches!(info.sql_type, SQL_WVARCHAR | SQL_WLONGVARCHAR);
    let numeric = info.radix > 0;
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
        remarks,
        NULL_S,
        h(verbose),
        sub.map_or(NULL_H, h),
        if text { i(info.octet_length) } else { NULL_I },
        ordinal,
        s(if f.is_nullable() { "YES" } else { "NO" }),
    ]
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

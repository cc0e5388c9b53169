//! Rows of the procedure listings: SQLProcedures and SQLProcedureColumns.

use super::rows::{h, i, s, NULL_S, V};
use super::type_rows::type_cells;
use crate::sys::*;
use pipedrive_engine::{Filter, ProcedureColumnRole, Scope, CATALOG, SCHEMA};

/// SQLProcedures.
pub fn procedures(scope: &Scope, name: &Filter) -> Vec<Vec<V>> {
    pipedrive_engine::procedures(scope, name)
        .into_iter()
        .map(|p| {
            vec![
                s(CATALOG),
                s(SCHEMA),
                s(p.name),
                i(p.inputs),
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
    scope: &Scope,
    name: &Filter,
    column: &Filter,
    odbc_version: Integer,
) -> Vec<Vec<V>> {
    pipedrive_engine::procedure_columns(scope, name, column)
        .into_iter()
        .map(|c| {
            let kind = match c.role {
                ProcedureColumnRole::Input => SQL_PARAM_INPUT,
                ProcedureColumnRole::Result => SQL_RESULT_COL,
            };
            let (types, tail) = type_cells(&c.field, odbc_version);
            let mut row = vec![
                s(CATALOG),
                s(SCHEMA),
                s(c.procedure),
                s(c.field.name().clone()),
                h(kind),
            ];
            row.extend(types);
            row.extend([s(c.remarks), NULL_S]);
            row.extend(tail);
            row.extend([
                i(c.ordinal),
                s(if c.field.is_nullable() { "YES" } else { "NO" }),
            ]);
            row
        })
        .collect()
}

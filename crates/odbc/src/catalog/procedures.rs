//! Rows of the procedure listings: SQLProcedures and SQLProcedureColumns.

use super::rows::{h, i, s, V};
use super::type_rows::described_column;
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
                h(match p.function {
                    true => SQL_PT_FUNCTION,
                    false => SQL_PT_PROCEDURE,
                }),
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
            let mut row = vec![
                s(CATALOG),
                s(SCHEMA),
                s(c.procedure),
                s(c.field.name().clone()),
                h(kind),
            ];
            row.extend(described_column(
                &c.field,
                odbc_version,
                s(c.remarks),
                i(c.ordinal),
            ));
            row
        })
        .collect()
}

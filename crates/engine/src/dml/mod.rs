//! INSERT, UPDATE and DELETE. DataFusion plans the statement, so `?` parameters take the types
//! of their target columns and a WHERE clause gets the same pushdown as in a SELECT; the plan's
//! input gives the rows to write (for an UPDATE, each target row with its new values). Every
//! row is checked and turned into its request body before the first request is sent; then each
//! row becomes one API write (see [`send`]).
//!
//! Only the planning is DataFusion's. The engine runs the write itself, from the input of the
//! `Dml` node, instead of through the table provider's `insert_into`, `update` and
//! `delete_from` hooks, because a write to Pipedrive needs what those hooks cannot give:
//!
//! - **RETURNING**: DataFusion's SQL planner does not plan it, so [`target`] takes it out of
//!   the statement and [`Write::returned`] projects it over the rows as the API answered them
//!   (new ids, deleted rows as they were). A hook's plan yields a row count only.
//! - **Rows, not filters**: the API writes one row per request, by key (and parent key for
//!   child tables), or a batch of keys on a bulk endpoint. `update` and `delete_from` receive
//!   filters and assignments; the input plan gives each target row with its new values, found
//!   with the same pushdown as a SELECT.
//! - **Every check before the first request**: every row of every parameter set is found,
//!   converted and checked (read-only columns, required values, types, option labels, a child
//!   moving to another parent) before anything is sent, so a statement that fails a check
//!   writes nothing. An `insert_into` plan consumes its input as it streams, after earlier rows
//!   may already be written.
//! - **Parameter arrays**: one prepared write runs over many parameter sets at once (a bulk
//!   delete may span sets) and answers a status per set ([`send::SetStatus`]: done, failed, not
//!   run) for the ODBC parameter status array; a hook runs one statement and answers one count.
//! - **Partial failures and exact counts**: when a request fails nothing more is started, the
//!   error names the rows (or sets) written, failed and not sent, and the count is the rows
//!   the API confirmed. A failing hook plan can only answer its error, and what was already
//!   written is lost from view.

mod body;
pub mod send;

use crate::error::EngineError;
use crate::provider::PipedriveTable;
use datafusion::arrow::datatypes::{Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::prelude::SessionContext;
use datafusion::sql::parser::Statement as DfStatement;
use datafusion::sql::sqlparser::ast::{
    AssignmentTarget, ObjectName, SelectItem, Statement as SqlStatement,
};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Insert,
    Update,
    Delete,
}

impl Op {
    fn verb(self) -> &'static str {
        match self {
            Op::Insert => "INSERT",
            Op::Update => "UPDATE",
            Op::Delete => "DELETE",
        }
    }
}

/// What the statement text says that DataFusion's plan does not keep.
pub struct Target {
    pub op: Op,
    /// INSERT: the columns named (none: all); UPDATE: the columns assigned.
    pub columns: Vec<String>,
    /// The RETURNING list (taken out: DataFusion does not plan it).
    pub returning: Option<Vec<SelectItem>>,
}

fn last_name(name: &ObjectName) -> String {
    name.0
        .last()
        .and_then(|p| p.as_ident())
        .map(|i| i.value.clone())
        .unwrap_or_default()
}

/// For an INSERT, UPDATE or DELETE: its target columns, with RETURNING taken out of it.
pub fn target(statement: &mut DfStatement) -> Option<Target> {
    let DfStatement::Statement(s) = statement else {
        return None;
    };
    Some(match s.as_mut() {
        SqlStatement::Insert(insert) => Target {
            op: Op::Insert,
            columns: insert.columns.iter().map(last_name).collect(),
            returning: insert.returning.take(),
        },
        SqlStatement::Update(update) => Target {
            op: Op::Update,
            columns: update
                .assignments
                .iter()
                .filter_map(|a| match &a.target {
                    AssignmentTarget::ColumnName(name) => Some(last_name(name)),
                    AssignmentTarget::Tuple(_) => None,
                })
                .collect(),
            returning: update.returning.take(),
        },
        SqlStatement::Delete(delete) => Target {
            op: Op::Delete,
            columns: vec![],
            returning: delete.returning.take(),
        },
        _ => return None,
    })
}

/// A planned write.
#[derive(Clone)]
pub struct Write {
    pub table: Arc<PipedriveTable>,
    pub op: Op,
    /// Indexes of the columns the statement sets.
    pub touched: Vec<usize>,
    /// RETURNING expressions as text, with their aliases.
    returning: Option<Vec<(String, Option<String>)>>,
    ctx: SessionContext,
}

impl Write {
    /// Checks the statement against what the table allows: nothing is sent for a statement
    /// that names a read-only column or a table without that kind of write.
    pub fn new(
        table: Arc<PipedriveTable>,
        target: Target,
        ctx: SessionContext,
    ) -> Result<Write, EngineError> {
        let schema = &table.schema;
        let def = schema.def;
        let name = def.name;
        let writes = def.writes.unwrap_or(crate::catalog::Writes::NONE);
        let allowed = match target.op {
            Op::Insert => writes.insert.is_some(),
            Op::Update => writes.update.is_some(),
            Op::Delete => writes.delete.is_some(),
        };
        if !allowed {
            let can: Vec<&str> = [
                ("INSERT", writes.insert.is_some()),
                ("UPDATE", writes.update.is_some()),
                ("DELETE", writes.delete.is_some()),
            ]
            .iter()
            .filter(|(_, yes)| *yes)
            .map(|(v, _)| *v)
            .collect();
            return Err(EngineError::syntax(format!(
                "{name} does not take {}: the Pipedrive API offers no such write for it{}",
                target.op.verb(),
                if can.is_empty() {
                    " (it is read only)".to_string()
                } else {
                    format!(" ({name} takes {})", can.join(", "))
                }
            )));
        }
        let mut touched = vec![];
        if target.op == Op::Insert && target.columns.is_empty() {
            // INSERT without a column list: every column, read-only ones must stay NULL
            touched.extend(0..schema.columns.len());
        } else {
            for c in &target.columns {
                let i = schema
                    .columns
                    .iter()
                    .position(|col| col.name.eq_ignore_ascii_case(c))
                    .ok_or_else(|| {
                        EngineError::unknown_column(format!("{name} has no column {c}"))
                    })?;
                let column = &schema.columns[i];
                let parent = def.parent.is_some_and(|p| p.column == column.name);
                if column.standard && !writes.writable(&column.name) {
                    return Err(EngineError::syntax(format!(
                        "{name}.{} is read only; the columns {} takes are {}",
                        column.name,
                        target.op.verb(),
                        writable_list(&table)
                    )));
                }
                if target.op == Op::Update && parent {
                    return Err(EngineError::syntax(format!(
                        "{name}.{}: a row cannot move to another {}; delete it and insert it there",
                        column.name,
                        def.parent.map_or("parent", |p| p.table)
                    )));
                }
                touched.push(i);
            }
            if target.op == Op::Insert {
                let missing: Vec<&str> = writes
                    .required
                    .iter()
                    .filter(|r| !target.columns.iter().any(|c| c.eq_ignore_ascii_case(r)))
                    .copied()
                    .collect();
                if !missing.is_empty() {
                    return Err(EngineError::constraint(format!(
                        "INSERT into {name} needs a value for {}",
                        missing.join(", ")
                    )));
                }
            }
        }
        let returning = match target.returning {
            None => None,
            Some(items) => Some(
                items
                    .into_iter()
                    .map(|item| match item {
                        SelectItem::UnnamedExpr(e) => Ok((e.to_string(), None)),
                        SelectItem::ExprWithAlias { expr, alias } => {
                            Ok((expr.to_string(), Some(alias.value)))
                        }
                        SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..) => {
                            Ok(("*".to_string(), None))
                        }
                        other => Err(EngineError::syntax(format!(
                            "RETURNING {other} is not supported"
                        ))),
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        Ok(Write {
            table,
            op: target.op,
            touched,
            returning,
            ctx,
        })
    }

    /// The statement's result: the RETURNING columns, or none.
    pub fn schema(&self) -> Result<SchemaRef, EngineError> {
        match &self.returning {
            None => Ok(Arc::new(Schema::empty())),
            Some(_) => {
                let empty = RecordBatch::new_empty(self.table.schema.arrow.clone());
                let frame = self.returned(vec![empty])?;
                Ok(Arc::new(frame.schema().as_arrow().clone()))
            }
        }
    }

    /// The RETURNING projection over the written rows (batches of the table's schema).
    pub fn returned(
        &self,
        rows: Vec<RecordBatch>,
    ) -> Result<datafusion::dataframe::DataFrame, EngineError> {
        let frame = self
            .ctx
            .read_batches(rows)
            .or_else(|_| self.ctx.read_empty())?;
        let Some(items) = &self.returning else {
            return Ok(frame);
        };
        let mut exprs = vec![];
        for (text, alias) in items {
            if text == "*" {
                exprs.extend(
                    self.table
                        .schema
                        .columns
                        .iter()
                        .map(|c| datafusion::prelude::ident(&c.name)),
                );
                continue;
            }
            let e = frame.parse_sql_expr(text)?;
            exprs.push(match alias {
                Some(a) => e.alias(a),
                None => e,
            });
        }
        Ok(frame.select(exprs)?)
    }

    /// The request each row becomes, for EXPLAIN.
    pub fn describe(&self) -> String {
        let w = self
            .table
            .schema
            .def
            .writes
            .unwrap_or(crate::catalog::Writes::NONE);
        let (method, path) = match self.op {
            Op::Insert => ("POST", w.insert),
            Op::Update => match w.update {
                Some((crate::catalog::Verb::Put, p)) => ("PUT", Some(p)),
                Some((_, p)) => ("PATCH", Some(p)),
                None => ("PATCH", None),
            },
            Op::Delete => ("DELETE", w.delete),
        };
        format!(
            "{method} {}{} for each row",
            w.version.prefix(),
            path.unwrap_or_default()
        )
    }

    pub fn has_returning(&self) -> bool {
        self.returning.is_some()
    }
}

fn writable_list(table: &PipedriveTable) -> String {
    let writes = table
        .schema
        .def
        .writes
        .unwrap_or(crate::catalog::Writes::NONE);
    let mut names: Vec<&str> = writes.columns.to_vec();
    if table.schema.columns.iter().any(|c| !c.standard) {
        names.push("the custom field columns");
    }
    names.join(", ")
}

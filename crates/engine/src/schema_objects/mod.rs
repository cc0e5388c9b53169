//! What a client asks about the schema's objects: the tables, columns, keys, references and
//! procedures whose names match given names or search patterns (exactly what ODBC's catalog
//! functions ask), answered from a session's tables as typed rows. The client lays them out in
//! the result sets its own standard prescribes.

mod pattern;

pub use crate::catalog::Kind as TableKind;
pub use pattern::{like, Arg, Filter};

use crate::catalog::{references, FUNCTIONS};
use crate::error::EngineError;
use crate::procedures::list::PROCEDURES;
use crate::procedures::TEXT_LENGTH;
use crate::schema::{arrow_type, TableSchema, MAX_LENGTH};
use crate::session::{Session, CATALOG, SCHEMA};
use datafusion::arrow::datatypes::{DataType, Field};

/// The catalog and schema arguments of a search, and whether every argument is an identifier
/// (taken as a name even where a pattern is allowed).
#[derive(Clone, Debug)]
pub struct Scope {
    pub catalog: Filter,
    /// How the catalog argument names it (a name but in table listings).
    pub catalog_arg: Arg,
    pub schema: Filter,
    pub metadata_id: bool,
}

impl Scope {
    pub fn new(catalog: Filter, schema: Filter, metadata_id: bool) -> Scope {
        Scope {
            catalog,
            catalog_arg: Arg::Name,
            schema,
            metadata_id,
        }
    }

    /// The same scope with the catalog argument taken as a pattern.
    pub fn catalog_pattern(self) -> Scope {
        Scope {
            catalog_arg: Arg::Pattern,
            ..self
        }
    }

    /// Whether the one catalog and schema are selected; the schema taken as `schema_arg` says.
    fn holds(&self, schema_arg: Arg) -> bool {
        self.catalog
            .matches(CATALOG, self.catalog_arg, self.metadata_id)
            && self.schema.matches(SCHEMA, schema_arg, self.metadata_id)
    }

    fn pattern(&self, filter: &Filter, value: &str) -> bool {
        filter.matches(value, Arg::Pattern, self.metadata_id)
    }

    /// A name argument that must be given (NULL selects nothing) and matches as a name: the
    /// table's own or one other drivers give it.
    fn named(&self, filter: &Filter, value: &str) -> bool {
        let names = |n: &str| filter.matches(n, Arg::Name, self.metadata_id);
        filter.is_given() && (names(value) || crate::catalog::aliases_of(value).any(names))
    }
}

/// A table or view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableEntry {
    pub name: &'static str,
    pub kind: TableKind,
}

/// A column of a table, with its position (from 1).
#[derive(Clone, Copy, Debug)]
pub struct ColumnEntry<'a> {
    pub table: &'static str,
    pub field: &'a Field,
    pub ordinal: usize,
    /// One of the account's custom fields.
    pub custom: bool,
}

/// The key column of a table: the one column that identifies its rows.
#[derive(Clone, Copy, Debug)]
pub struct KeyEntry<'a> {
    pub table: &'static str,
    pub column: &'static str,
    pub field: &'a Field,
}

/// A column that holds the key of another table's rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub key_table: &'static str,
    pub key_column: &'static str,
    pub table: &'static str,
    pub column: String,
}

/// A stored procedure, or a table function (called in FROM).
#[derive(Clone, Debug)]
pub struct ProcedureEntry {
    pub name: &'static str,
    pub inputs: usize,
    pub remarks: String,
    pub function: bool,
}

/// What a procedure column is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProcedureColumnRole {
    Input,
    Result,
}

/// An input parameter or a result column of a procedure, with its position among its kind.
#[derive(Clone, Debug)]
pub struct ProcedureColumn {
    pub procedure: &'static str,
    pub role: ProcedureColumnRole,
    pub field: Field,
    pub ordinal: usize,
    pub remarks: &'static str,
}

/// Which tables a search needs with the account's custom fields; only their field definitions
/// are read.
#[derive(Clone, Debug)]
pub enum Describe {
    /// None: names, kinds, keys and references are the same in every account.
    Nothing,
    /// The tables whose names match the pattern.
    Matching(Scope, Filter),
    /// The table of that name.
    Named(Scope, Filter),
}

impl Describe {
    fn selects(&self, table: &str) -> bool {
        match self {
            Describe::Nothing => false,
            Describe::Matching(scope, filter) => {
                scope.holds(Arg::Pattern) && scope.pattern(filter, table)
            }
            Describe::Named(scope, filter) => scope.holds(Arg::Name) && scope.named(filter, table),
        }
    }
}

/// The tables of a session to search.
pub struct SchemaObjects<'a> {
    tables: Vec<&'a TableSchema>,
}

impl Session {
    /// The schema's tables to search, with their columns: those `describe` selects with the
    /// account's custom fields (read where not yet), the others as far as known without a
    /// request.
    pub async fn schema_objects(
        &self,
        describe: &Describe,
    ) -> Result<SchemaObjects<'_>, EngineError> {
        Ok(SchemaObjects {
            tables: self.described(|t| describe.selects(t)).await?,
        })
    }
}

impl<'a> SchemaObjects<'a> {
    /// The tables and views whose names match the pattern `table`.
    pub fn tables(&self, scope: &Scope, table: &Filter) -> Vec<TableEntry> {
        if !scope.holds(Arg::Pattern) {
            return vec![];
        }
        self.tables
            .iter()
            .filter(|t| scope.pattern(table, t.def.name))
            .map(|t| TableEntry {
                name: t.def.name,
                kind: t.def.kind,
            })
            .collect()
    }

    /// The columns matching the pattern `column` of the tables matching the pattern `table`.
    pub fn columns(&self, scope: &Scope, table: &Filter, column: &Filter) -> Vec<ColumnEntry<'a>> {
        if !scope.holds(Arg::Pattern) {
            return vec![];
        }
        self.tables
            .iter()
            .filter(|t| scope.pattern(table, t.def.name))
            .flat_map(|t| column_entries(t, scope, column))
            .collect()
    }

    /// The columns matching the pattern `column` of the table named `table` (a name, which
    /// must be given).
    pub fn columns_of(
        &self,
        scope: &Scope,
        table: &Filter,
        column: &Filter,
    ) -> Vec<ColumnEntry<'a>> {
        if !scope.holds(Arg::Name) {
            return vec![];
        }
        self.tables
            .iter()
            .filter(|t| scope.named(table, t.def.name))
            .flat_map(|t| column_entries(t, scope, column))
            .collect()
    }

    /// The key of the table named `table` (a name, which must be given).
    pub fn keys(&self, scope: &Scope, table: &Filter) -> Vec<KeyEntry<'a>> {
        if !scope.holds(Arg::Name) {
            return vec![];
        }
        self.tables
            .iter()
            .filter(|t| scope.named(table, t.def.name))
            .filter_map(|t| {
                let field = t.arrow.field_with_name(t.def.key).ok()?;
                Some(KeyEntry {
                    table: t.def.name,
                    column: t.def.key,
                    field,
                })
            })
            .collect()
    }

    /// The references to the key of `key_table`, or those of the columns of `table`, or
    /// between the two (names; NULL selects all); ordered by the table on the other side.
    pub fn references(&self, scope: &Scope, key_table: &Filter, table: &Filter) -> Vec<Reference> {
        let id = scope.metadata_id;
        let selects = |f: &Filter, name: &str| !f.is_given() || f.matches(name, Arg::Name, id);
        let mut found = vec![];
        for fk in self.tables.iter().filter(|t| selects(table, t.def.name)) {
            for col in fk.columns.iter().filter(|c| c.standard) {
                let Some(target) = references(fk.def, &col.name) else {
                    continue;
                };
                let listed = self.tables.iter().any(|t| std::ptr::eq(t.def, target));
                if listed && selects(key_table, target.name) {
                    found.push(Reference {
                        key_table: target.name,
                        key_column: target.key,
                        table: fk.def.name,
                        column: col.name.clone(),
                    });
                }
            }
        }
        if key_table.is_given() {
            found.sort_by(|a, b| (a.table, &a.column).cmp(&(b.table, &b.column)));
        } else {
            found.sort_by(|a, b| (a.key_table, a.key_column).cmp(&(b.key_table, b.key_column)));
        }
        found
    }
}

/// A stored procedure or a table function, as the procedure listings show it.
struct Routine {
    name: &'static str,
    remarks: String,
    function: bool,
    inputs: Vec<(Field, &'static str)>,
    results: Vec<(Field, &'static str)>,
}

/// The stored procedures, then the table functions (their arguments as inputs, their columns
/// as results).
fn routines() -> impl Iterator<Item = Routine> {
    let procedures = PROCEDURES.iter().map(|p| Routine {
        name: p.name,
        remarks: p.remarks.to_string(),
        function: false,
        inputs: p.params.iter().map(|a| (a.field(), a.remarks)).collect(),
        results: p.outputs.iter().map(|o| (o.field(), o.remarks)).collect(),
    });
    let functions = FUNCTIONS.iter().map(|def| {
        let usage: Vec<&str> = def.args.iter().map(|a| a.name).collect();
        Routine {
            name: def.name,
            remarks: format!(
                "table function: SELECT * FROM {}({}) ({})",
                def.name,
                usage.join(", "),
                def.endpoint_text()
            ),
            function: true,
            inputs: def
                .args
                .iter()
                .map(|a| (argument_field(a), a.remarks))
                .collect(),
            results: TableSchema::build(def, &[])
                .arrow
                .fields()
                .iter()
                .map(|f| (f.as_ref().clone(), ""))
                .collect(),
        }
    });
    procedures.chain(functions)
}

/// A table function's argument as a parameter: text as long as a procedure's.
fn argument_field(a: &crate::catalog::Arg) -> Field {
    let field = Field::new(a.name, arrow_type(a.ty), !a.required);
    match field.data_type() {
        DataType::Utf8 => field.with_metadata(
            [(MAX_LENGTH.to_string(), TEXT_LENGTH.to_string())]
                .into_iter()
                .collect(),
        ),
        _ => field,
    }
}

/// The stored procedures and table functions whose names match the pattern `name`.
pub fn procedures(scope: &Scope, name: &Filter) -> Vec<ProcedureEntry> {
    if !scope.holds(Arg::Pattern) {
        return vec![];
    }
    routines()
        .filter(|p| scope.pattern(name, p.name))
        .map(|p| ProcedureEntry {
            name: p.name,
            inputs: p.inputs.len(),
            remarks: p.remarks,
            function: p.function,
        })
        .collect()
}

/// Each matching procedure's input parameters, then its result columns, those matching the
/// pattern `column`.
pub fn procedure_columns(scope: &Scope, name: &Filter, column: &Filter) -> Vec<ProcedureColumn> {
    if !scope.holds(Arg::Pattern) {
        return vec![];
    }
    let mut found = vec![];
    for p in routines().filter(|p| scope.pattern(name, p.name)) {
        let groups = [
            (ProcedureColumnRole::Input, p.inputs),
            (ProcedureColumnRole::Result, p.results),
        ];
        for (role, group) in groups {
            for (n, (field, remarks)) in group.into_iter().enumerate() {
                if scope.pattern(column, field.name()) {
                    found.push(ProcedureColumn {
                        procedure: p.name,
                        role,
                        field,
                        ordinal: n + 1,
                        remarks,
                    });
                }
            }
        }
    }
    found
}

/// The columns of one table matching the pattern `column`.
fn column_entries<'a>(
    t: &'a TableSchema,
    scope: &Scope,
    column: &Filter,
) -> impl Iterator<Item = ColumnEntry<'a>> {
    let scope = scope.clone();
    let column = column.clone();
    t.arrow
        .fields()
        .iter()
        .enumerate()
        .filter(move |(_, f)| scope.pattern(&column, f.name()))
        .map(move |(n, f)| ColumnEntry {
            table: t.def.name,
            field: f.as_ref(),
            ordinal: n + 1,
            custom: t.column(f.name()).is_some_and(|c| !c.standard),
        })
}

#[cfg(test)]
mod tests;

//! What applications send, made into what DataFusion plans. For now: identifiers match the
//! catalog case-insensitively, quoted or not (`select title from deals`, `"LEAD SOURCE"`).

use datafusion::sql::parser::Statement as DfStatement;
use datafusion::sql::sqlparser::ast::{
    visit_expressions_mut, visit_relations_mut, Expr, Ident, ObjectName, ObjectNamePart, Statement,
};
use std::collections::HashMap;
use std::ops::ControlFlow;

/// The catalog's spellings of table, schema and column names, by lowercase name.
#[derive(Debug, Default, Clone)]
pub struct Names(HashMap<String, String>);

impl Names {
    /// Earlier names win when two differ only in case.
    pub fn add(&mut self, name: &str) {
        self.0
            .entry(name.to_lowercase())
            .or_insert_with(|| name.to_string());
    }

    fn canonical(&self, ident: &mut Ident) {
        if let Some(name) = self.0.get(&ident.value.to_lowercase()) {
            ident.value.clone_from(name);
        }
    }
}

/// Rewrites every table and column identifier of the statement to the catalog's spelling.
pub fn canonicalize(statement: &mut DfStatement, names: &Names) {
    match statement {
        DfStatement::Statement(inner) => canonicalize_sql(inner, names),
        DfStatement::Explain(explain) => canonicalize(&mut explain.statement, names),
        _ => {}
    }
}

fn canonicalize_sql(statement: &mut Statement, names: &Names) {
    let _ = visit_relations_mut(statement, |name: &mut ObjectName| {
        for part in &mut name.0 {
            if let ObjectNamePart::Identifier(ident) = part {
                names.canonical(ident);
            }
        }
        ControlFlow::<()>::Continue(())
    });
    let _ = visit_expressions_mut(statement, |expr: &mut Expr| {
        match expr {
            Expr::Identifier(ident) => names.canonical(ident),
            Expr::CompoundIdentifier(parts) => parts.iter_mut().for_each(|p| names.canonical(p)),
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
}

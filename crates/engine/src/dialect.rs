//! What applications send, made into what DataFusion plans: identifiers match the catalog
//! case-insensitively, quoted or not (`select title from deals`, `"LEAD SOURCE"`); `SELECT TOP n`
//! becomes `LIMIT n`; `?` parameters become numbered placeholders (`$1`, `$2`, ...) in the
//! order they are written. ODBC escape sequences are expanded before parsing (`escapes.rs`).

use datafusion::sql::parser::Statement as DfStatement;
use datafusion::sql::sqlparser::ast::{
    visit_expressions_mut, visit_relations_mut, AssignmentTarget, DataType as SqlType, Expr, Ident,
    LimitClause, ObjectName, ObjectNamePart, Query, Select, SelectItem, SetExpr, Statement,
    TableFactor, TopQuantity, Value, Visit, VisitMut, Visitor, VisitorMut,
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

    fn has_exactly(&self, name: &str) -> bool {
        self.0.get(&name.to_lowercase()).is_some_and(|n| n == name)
    }
}

/// Spells `ident` as `first` or else `second` knows it, unless one of them has it exactly as
/// written already.
fn resolve(ident: &mut Ident, first: &Names, second: &Names) {
    if first.has_exactly(&ident.value) || second.has_exactly(&ident.value) {
        return;
    }
    let key = ident.value.to_lowercase();
    if let Some(name) = first.0.get(&key).or_else(|| second.0.get(&key)) {
        ident.value.clone_from(name);
    }
}

/// Rewrites the statement into what DataFusion plans: catalog spellings of identifiers, TOP as
/// LIMIT, `?` as numbered placeholders. Answers the number of `?` parameters.
pub fn canonicalize(statement: &mut DfStatement, names: &Names) -> usize {
    match statement {
        DfStatement::Statement(inner) => {
            let mut aliases = Aliases::default();
            let _ = Visit::visit(&*inner, &mut aliases);
            canonicalize_sql(inner, &aliases, names);
            let _ = VisitMut::visit(inner, &mut TopAsLimit);
            wide_text_types(inner);
            backslash_escapes(inner);
            number_placeholders(inner)
        }
        DfStatement::Explain(explain) => canonicalize(&mut explain.statement, names),
        _ => 0,
    }
}

/// The names a statement declares: column aliases; table aliases and CTE names.
#[derive(Default)]
struct Aliases {
    columns: Names,
    relations: Names,
}

fn declare(names: &mut Names, ident: &Ident) {
    names
        .0
        .insert(ident.value.to_lowercase(), ident.value.clone());
}

impl Visitor for Aliases {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        for cte in query.with.iter().flat_map(|w| &w.cte_tables) {
            declare(&mut self.relations, &cte.alias.name);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, select: &Select) -> ControlFlow<()> {
        for item in &select.projection {
            if let SelectItem::ExprWithAlias { alias, .. } = item {
                declare(&mut self.columns, alias);
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
        if let TableFactor::Table { alias: Some(a), .. }
        | TableFactor::Derived { alias: Some(a), .. } = factor
        {
            declare(&mut self.relations, &a.name);
            a.columns
                .iter()
                .for_each(|c| declare(&mut self.columns, &c.name));
        }
        ControlFlow::Continue(())
    }
}

/// `SELECT TOP n ...` as `SELECT ... LIMIT n` (where the query has no LIMIT of its own).
struct TopAsLimit;

impl VisitorMut for TopAsLimit {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        let SetExpr::Select(select) = query.body.as_mut() else {
            return ControlFlow::Continue(());
        };
        let Some(top) = &select.top else {
            return ControlFlow::Continue(());
        };
        if top.percent || top.with_ties || query.limit_clause.is_some() {
            // left for the planner, which says it does not support it
            return ControlFlow::Continue(());
        }
        let limit = match top.quantity.clone() {
            Some(TopQuantity::Constant(n)) => Expr::value(Value::Number(n.to_string(), false)),
            Some(TopQuantity::Expr(e)) => e,
            None => return ControlFlow::Continue(()),
        };
        select.top = None;
        query.limit_clause = Some(LimitClause::LimitOffset {
            limit: Some(limit),
            offset: None,
            limit_by: vec![],
        });
        ControlFlow::Continue(())
    }
}

/// `CAST(x AS NVARCHAR(4000))`, `NTEXT`, `NCHAR`: the type names the driver gives wide text
/// (and SQL Server's) as VARCHAR, which the planner knows; `N'text'` literals as plain ones.
/// Every text is Unicode anyway.
fn wide_text_types(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |expr: &mut Expr| {
        if let Expr::Value(v) = expr {
            if let Value::NationalStringLiteral(text) = &mut v.value {
                v.value = Value::SingleQuotedString(std::mem::take(text));
            }
        }
        if let Expr::Cast { data_type, .. } = expr {
            let wide = match data_type {
                SqlType::Nvarchar(_) => true,
                SqlType::Custom(name, _) => {
                    let name = name.to_string().to_ascii_uppercase();
                    matches!(name.as_str(), "NTEXT" | "NCHAR" | "NVARCHAR")
                }
                _ => false,
            };
            if wide {
                *data_type = SqlType::Varchar(None);
            }
        }
        ControlFlow::<()>::Continue(())
    });
}

/// `LIKE 'a!_b' ESCAPE '!'` as `LIKE 'a\_b' ESCAPE '\'`: the planner knows only the backslash.
fn backslash_escapes(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |expr: &mut Expr| {
        if let Expr::Like {
            pattern,
            escape_char: Some(escape),
            ..
        }
        | Expr::ILike {
            pattern,
            escape_char: Some(escape),
            ..
        } = expr
        {
            let (Value::SingleQuotedString(e), Expr::Value(p)) = (&escape.value, pattern.as_mut())
            else {
                return ControlFlow::<()>::Continue(());
            };
            let mut chars = e.chars();
            let (Some(c), None, Value::SingleQuotedString(text)) =
                (chars.next(), chars.next(), &mut p.value)
            else {
                return ControlFlow::Continue(());
            };
            if c != '\\' {
                let mut out = String::with_capacity(text.len());
                let mut it = text.chars();
                while let Some(ch) = it.next() {
                    match ch {
                        _ if ch == c => {
                            out.push('\\');
                            out.extend(it.next());
                        }
                        '\\' => out.push_str("\\\\"),
                        _ => out.push(ch),
                    }
                }
                *text = out;
                escape.value = Value::SingleQuotedString("\\".into());
            }
        }
        ControlFlow::Continue(())
    });
}

/// `?` placeholders as `$1`, `$2`, ... in order of appearance; answers how many there are.
fn number_placeholders(statement: &mut Statement) -> usize {
    let mut count = 0;
    let _ = visit_expressions_mut(statement, |expr: &mut Expr| {
        if let Expr::Value(v) = expr {
            if let Value::Placeholder(p) = &mut v.value {
                if p == "?" {
                    count += 1;
                    *p = format!("${count}");
                }
            }
        }
        ControlFlow::<()>::Continue(())
    });
    count
}

/// Plain names prefer what the statement declares (`ORDER BY total`), qualified column names
/// the catalog's (`d."Tier"`), and a name written exactly as either knows it stays as it is.
fn canonicalize_sql(statement: &mut Statement, aliases: &Aliases, catalog: &Names) {
    // the columns a write names: INSERT's column list, UPDATE's SET targets
    let written: Vec<&mut ObjectName> = match statement {
        Statement::Insert(insert) => insert.columns.iter_mut().collect(),
        Statement::Update(update) => update
            .assignments
            .iter_mut()
            .flat_map(|a| match &mut a.target {
                AssignmentTarget::ColumnName(name) => vec![name],
                AssignmentTarget::Tuple(names) => names.iter_mut().collect(),
            })
            .collect(),
        _ => vec![],
    };
    for name in written {
        if let Some((ObjectNamePart::Identifier(column), qualifiers)) = name.0.split_last_mut() {
            resolve(column, catalog, &aliases.columns);
            for part in qualifiers {
                if let ObjectNamePart::Identifier(ident) = part {
                    resolve(ident, &aliases.relations, catalog);
                }
            }
        }
    }
    let _ = visit_relations_mut(statement, |name: &mut ObjectName| {
        for part in &mut name.0 {
            if let ObjectNamePart::Identifier(ident) = part {
                resolve(ident, &aliases.relations, catalog);
            }
        }
        ControlFlow::<()>::Continue(())
    });
    let _ = visit_expressions_mut(statement, |expr: &mut Expr| {
        match expr {
            Expr::Identifier(ident) => resolve(ident, &aliases.columns, catalog),
            Expr::CompoundIdentifier(parts) => {
                if let Some((column, qualifiers)) = parts.split_last_mut() {
                    qualifiers
                        .iter_mut()
                        .for_each(|p| resolve(p, &aliases.relations, catalog));
                    resolve(column, catalog, &aliases.columns);
                }
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
}

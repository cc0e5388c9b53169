//! Table functions: a catalog entry with arguments, called in FROM (`DealsSearch('acme')`), is
//! its table with the arguments as list parameters of every request it makes. Filters,
//! projection and limits apply as on any table.

use crate::catalog::{Arg, ColType, TableDef};
use crate::error::EngineError;
use crate::provider::PipedriveTable;
use crate::schema::TableSchema;
use chrono::NaiveDate;
use datafusion::catalog::{TableFunctionArgs, TableFunctionImpl, TableProvider};
use datafusion::common::{DataFusionError, Result, ScalarValue};
use datafusion::logical_expr::Expr;
use pipedrive_api::Client;
use std::sync::Arc;

#[derive(Debug)]
pub struct ApiTableFunction {
    def: &'static TableDef,
    client: Client,
}

impl ApiTableFunction {
    pub fn new(def: &'static TableDef, client: Client) -> Self {
        ApiTableFunction { def, client }
    }
}

impl TableFunctionImpl for ApiTableFunction {
    fn call_with_args(&self, args: TableFunctionArgs) -> Result<Arc<dyn TableProvider>> {
        let params = parameters(self.def, args.exprs())
            .map_err(|e| DataFusionError::External(Box::new(e)))?;
        // answers depend on their arguments: never from the local cache
        let table =
            PipedriveTable::new(TableSchema::build(self.def, &[]), self.client.clone(), None)
                .with_args(params);
        Ok(Arc::new(table))
    }
}

/// The list parameters a call's arguments become, in the order of the entry's arguments; a
/// NULL leaves an optional argument out.
pub fn parameters(def: &TableDef, exprs: &[Expr]) -> Result<Vec<(String, String)>, EngineError> {
    let usage = || {
        let names: Vec<String> = def
            .args
            .iter()
            .map(|a| match a.required {
                true => a.name.to_string(),
                false => format!("[{}]", a.name),
            })
            .collect();
        format!("{}({})", def.name, names.join(", "))
    };
    if exprs.len() > def.args.len() {
        return Err(EngineError::syntax(format!(
            "{} takes at most {} arguments, {} given: {}",
            def.name,
            def.args.len(),
            exprs.len(),
            usage()
        )));
    }
    let mut params = vec![];
    for (n, arg) in def.args.iter().enumerate() {
        let value = match exprs.get(n) {
            Some(Expr::Literal(value, _)) => value,
            Some(other) => {
                return Err(EngineError::syntax(format!(
                    "{}: argument {} ({}) must be a constant, not {other}",
                    def.name,
                    n + 1,
                    arg.name
                )))
            }
            None => &ScalarValue::Null,
        };
        match text(arg, value).map_err(|m| {
            EngineError::type_mismatch(format!("{}: argument {}: {m}", def.name, arg.name))
        })? {
            Some(v) => params.push((arg.param.to_string(), v)),
            None if arg.required => {
                return Err(EngineError::syntax(format!(
                    "{} needs its argument {} ({}): {}",
                    def.name,
                    arg.name,
                    arg.remarks,
                    usage()
                )))
            }
            None => {}
        }
    }
    Ok(params)
}

/// An argument's value as the API takes it; `None` for NULL.
fn text(arg: &Arg, value: &ScalarValue) -> Result<Option<String>, String> {
    if value.is_null() {
        return Ok(None);
    }
    let given = match value {
        ScalarValue::Utf8(Some(s))
        | ScalarValue::LargeUtf8(Some(s))
        | ScalarValue::Utf8View(Some(s)) => s.trim().to_string(),
        ScalarValue::Date32(Some(_)) | ScalarValue::Date64(Some(_)) => value.to_string(),
        other => other.to_string(),
    };
    let wrong = || format!("{} is not {}", value, kind(arg.ty));
    let checked = match arg.ty {
        ColType::BigInt => given
            .parse::<i64>()
            .map(|v| v.to_string())
            .map_err(|_| wrong())?,
        ColType::Boolean => match given.to_ascii_lowercase().as_str() {
            "true" | "1" => "true".into(),
            "false" | "0" => "false".into(),
            _ => return Err(wrong()),
        },
        ColType::Date => NaiveDate::parse_from_str(&given, "%Y-%m-%d")
            .map(|d| d.format("%Y-%m-%d").to_string())
            .map_err(|_| wrong())?,
        _ => given,
    };
    Ok(Some(checked))
}

fn kind(ty: ColType) -> &'static str {
    match ty {
        ColType::BigInt => "an integer",
        ColType::Boolean => "true or false",
        ColType::Date => "a date (YYYY-MM-DD)",
        _ => "text",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::function;
    use datafusion::logical_expr::lit;

    #[test]
    fn arguments_become_parameters() {
        let search = function("dealssearch").expect("DealsSearch");
        let null = Expr::Literal(ScalarValue::Null, None);
        let cases: &[(Vec<Expr>, Result<Vec<(&str, &str)>, &str>)] = &[
            (vec![lit("acme")], Ok(vec![("term", "acme")])),
            (
                vec![lit("acme"), lit(true)],
                Ok(vec![("term", "acme"), ("exact_match", "true")]),
            ),
            (
                vec![lit("acme"), null.clone(), null.clone(), lit(5i64)],
                Ok(vec![("term", "acme"), ("person_id", "5")]),
            ),
            (
                vec![lit("acme"), lit(1i64), lit("title"), lit("7")],
                Ok(vec![
                    ("term", "acme"),
                    ("exact_match", "true"),
                    ("fields", "title"),
                    ("person_id", "7"),
                ]),
            ),
            (vec![], Err("needs its argument Term")),
            (vec![null], Err("needs its argument Term")),
            (vec![lit("acme"), lit("maybe")], Err("is not true or false")),
            (
                vec![lit("acme"), lit(true), lit("x"), lit("five")],
                Err("is not an integer"),
            ),
            (
                (0..7).map(|_| lit("x")).collect(),
                Err("takes at most 6 arguments"),
            ),
        ];
        for (exprs, expected) in cases {
            let got = parameters(search, exprs);
            match (expected, got) {
                (Ok(want), Ok(got)) => {
                    let got: Vec<(&str, &str)> =
                        got.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                    assert_eq!(&got, want, "{exprs:?}");
                }
                (Err(want), Err(e)) => {
                    assert!(e.message.contains(want), "{exprs:?}: {}", e.message)
                }
                (want, got) => panic!("{exprs:?}: expected {want:?}, got {got:?}"),
            }
        }
    }
}

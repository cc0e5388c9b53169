//! Stored procedures: API actions that are not row reads, called with `EXEC name @Param =
//! value`, `EXECUTE name ...` or `{call name(...)}`, answering a result set. Each procedure is
//! an entry of [`list::PROCEDURES`]: its parameters, its result columns and the function that runs it.

mod actions;
mod call;
pub mod list;
mod oauth;

pub use call::{parse, Call, Value};

use crate::error::EngineError;
use crate::schema::MAX_LENGTH;
use datafusion::arrow::array::{ArrayRef, Int64Array, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::ScalarValue;
use pipedrive_api::oauth::OAuthOptions;
use pipedrive_api::{BoxFuture, Client};
use std::sync::Arc;

/// The most characters a text parameter or result holds (URLs and tokens fit).
pub const TEXT_LENGTH: usize = 2_000;
/// The most characters of a long text result (declared as `LargeUtf8`, answered as text).
pub const LONG_TEXT_LENGTH: usize = 16 * 1024 * 1024;

/// A parameter of a procedure (all are input parameters of text).
pub struct Param {
    pub name: &'static str,
    pub required: bool,
    pub remarks: &'static str,
}

/// A column of a procedure's result.
pub struct Output {
    pub name: &'static str,
    pub data_type: DataType,
    pub remarks: &'static str,
}

/// A field of a procedure's parameters or result, text with its declared length.
fn field(name: &str, data_type: &DataType, nullable: bool) -> Field {
    let length = match data_type {
        DataType::Utf8 => TEXT_LENGTH,
        DataType::LargeUtf8 => LONG_TEXT_LENGTH,
        _ => return Field::new(name, data_type.clone(), nullable),
    };
    Field::new(name, DataType::Utf8, nullable).with_metadata(
        [(MAX_LENGTH.to_string(), length.to_string())]
            .into_iter()
            .collect(),
    )
}

impl Param {
    pub fn field(&self) -> Field {
        field(self.name, &DataType::Utf8, !self.required)
    }
}

impl Output {
    pub fn field(&self) -> Field {
        field(self.name, &self.data_type, true)
    }
}

/// The values of one result row.
pub type Row = Vec<ScalarValue>;

type Run = for<'a> fn(&'a Context, Args) -> BoxFuture<'a, Result<Vec<Row>, EngineError>>;

pub struct Procedure {
    pub name: &'static str,
    pub remarks: &'static str,
    pub params: &'static [Param],
    pub outputs: &'static [Output],
    run: Run,
}

/// What procedures may use: the connection's client (none before OAuth tokens exist) and its
/// OAuth settings (with AuthScheme=OAuth).
#[derive(Clone, Default)]
pub struct Context {
    pub client: Option<Client>,
    pub oauth: Option<OAuthOptions>,
}

/// A call's argument values by parameter, as text (`None`: not given or NULL).
pub struct Args(Vec<Option<String>>, &'static Procedure);

impl Args {
    pub fn get(&self, name: &str) -> Option<&str> {
        let i = self.1.params.iter().position(|p| p.name == name)?;
        self.0[i].as_deref().filter(|v| !v.trim().is_empty())
    }
}

impl Procedure {
    pub fn schema(&self) -> SchemaRef {
        Arc::new(Schema::new(
            self.outputs.iter().map(Output::field).collect::<Vec<_>>(),
        ))
    }

    fn param_list(&self) -> String {
        self.params
            .iter()
            .map(|p| format!("@{}", p.name))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Which parameter each argument of `call` sets (`Value`s still unbound).
    pub fn slots(&self, call: &Call) -> Result<Vec<Option<Value>>, EngineError> {
        let mut slots: Vec<Option<Value>> = vec![None; self.params.len()];
        let mut next = 0;
        for (name, value) in &call.args {
            let i = match name {
                Some(n) => self
                    .params
                    .iter()
                    .position(|p| p.name.eq_ignore_ascii_case(n))
                    .ok_or_else(|| {
                        EngineError::syntax(format!(
                            "{} has no parameter @{n}; its parameters are {}",
                            self.name,
                            self.param_list()
                        ))
                    })?,
                None => next,
            };
            if i >= slots.len() {
                return Err(EngineError::syntax(format!(
                    "{} takes at most {} argument(s) ({})",
                    self.name,
                    self.params.len(),
                    self.param_list()
                )));
            }
            if slots[i].is_some() {
                return Err(EngineError::syntax(format!(
                    "@{} is given twice",
                    self.params[i].name
                )));
            }
            slots[i] = Some(value.clone());
            next = i + 1;
        }
        Ok(slots)
    }

    /// Runs it with the arguments (markers replaced by `values`) and answers its rows.
    pub async fn run(
        &'static self,
        context: &Context,
        slots: &[Option<Value>],
        values: &[ScalarValue],
    ) -> Result<RecordBatch, EngineError> {
        let texts = slots
            .iter()
            .map(|slot| match slot {
                None | Some(Value::Null) => None,
                Some(Value::Text(t)) => Some(t.clone()),
                Some(Value::Marker(i)) => values.get(*i).and_then(crate::convert::scalar_text),
            })
            .collect::<Vec<_>>();
        for (p, v) in self.params.iter().zip(&texts) {
            if p.required && v.as_deref().is_none_or(|v| v.trim().is_empty()) {
                return Err(EngineError::syntax(format!(
                    "{} needs @{} ({})",
                    self.name, p.name, p.remarks
                )));
            }
        }
        let rows = (self.run)(context, Args(texts, self)).await?;
        batch(self, rows)
    }
}

fn batch(procedure: &Procedure, rows: Vec<Row>) -> Result<RecordBatch, EngineError> {
    let columns = procedure
        .outputs
        .iter()
        .enumerate()
        .map(|(i, o)| -> ArrayRef {
            let cells = rows
                .iter()
                .map(|r| r.get(i).cloned().unwrap_or(ScalarValue::Null));
            match o.data_type {
                DataType::Int64 => Arc::new(Int64Array::from_iter(cells.map(|c| match c {
                    ScalarValue::Int64(v) => v,
                    _ => None,
                }))),
                _ => Arc::new(StringArray::from_iter(cells.map(|c| match c {
                    ScalarValue::Utf8(v) => v,
                    ScalarValue::Null => None,
                    other => Some(other.to_string()),
                }))),
            }
        })
        .collect();
    RecordBatch::try_new(procedure.schema(), columns)
        .map_err(|e| EngineError::internal(format!("{}: {e}", procedure.name)))
}

/// A text cell.
pub fn text(v: impl Into<String>) -> ScalarValue {
    ScalarValue::Utf8(Some(v.into()))
}

#[cfg(test)]
mod tests {
    use super::list::find;
    use super::*;

    #[test]
    fn arguments_find_their_parameters() {
        let p = find("getoauthauthorizationurl").expect("listed");
        let c = parse("EXEC GetOAuthAuthorizationURL 'http://cb', @Scope = 'deals:read'")
            .unwrap()
            .unwrap();
        let slots = p.slots(&c).unwrap();
        assert_eq!(slots[0], Some(Value::Text("http://cb".into())));
        assert_eq!(slots[1], None);
        assert_eq!(slots[2], Some(Value::Text("deals:read".into())));
        let c = parse("EXEC GetOAuthAuthorizationURL @Nope = 1")
            .unwrap()
            .unwrap();
        assert!(p.slots(&c).unwrap_err().message.contains("@CallbackURL"));
        let c = parse("EXEC GetOAuthAuthorizationURL 1, 2, 3, 4")
            .unwrap()
            .unwrap();
        assert!(p.slots(&c).unwrap_err().message.contains("at most 3"));
        let c = parse("EXEC GetOAuthAuthorizationURL @State = 1, @state = 2")
            .unwrap()
            .unwrap();
        assert!(p.slots(&c).unwrap_err().message.contains("twice"));
    }
}

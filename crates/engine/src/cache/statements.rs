//! The statements that manage the cache, each answering with the state of the connection's
//! cached tables afterwards:
//!
//! - `CACHE STATUS`
//! - `CACHE REFRESH <table> | ALL`: read what changed now, whatever `CacheTolerance` says
//! - `CACHE RELOAD <table> | ALL`: read the whole table now (every deletion found)
//! - `CACHE DROP <table> | ALL`: forget the rows (the next read is a whole one)

use super::refresh::{deletions_found, Refresh};
use super::{cacheable, LocalCache};
use crate::catalog::{self, TableDef};
use crate::error::EngineError;
use datafusion::arrow::array::{ArrayRef, Int64Array, StringArray, TimestampMicrosecondArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::arrow::record_batch::RecordBatch;
use pipedrive_cache::TableStatus;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Statement {
    Status,
    Refresh(Tables),
    Reload(Tables),
    Drop(Tables),
}

/// The tables a statement names.
#[derive(Clone, Copy, Debug)]
pub enum Tables {
    One(&'static TableDef),
    /// Every table cached so far (for this account).
    All,
}

impl PartialEq for Tables {
    fn eq(&self, other: &Tables) -> bool {
        match (self, other) {
            (Tables::One(a), Tables::One(b)) => std::ptr::eq(*a, *b),
            (Tables::All, Tables::All) => true,
            _ => false,
        }
    }
}

const USAGE: &str = "the cache statements are CACHE STATUS, CACHE REFRESH <table> | ALL, CACHE \
                     RELOAD <table> | ALL and CACHE DROP <table> | ALL";

/// A `CACHE ...` statement, `None` for any other.
pub fn parse(sql: &str) -> Option<Result<Statement, EngineError>> {
    let text = sql.trim().trim_end_matches(';').trim();
    let mut words = text.split_whitespace();
    if !words.next()?.eq_ignore_ascii_case("CACHE") {
        return None;
    }
    let verb = words.next().map(str::to_ascii_uppercase);
    let target = words.next();
    if words.next().is_some() {
        return Some(Err(EngineError::syntax(format!(
            "unexpected words after the table in '{text}': {USAGE}"
        ))));
    }
    let statement = match (verb.as_deref(), target) {
        (Some("STATUS"), None) => Some(Ok(Statement::Status)),
        (Some("REFRESH"), Some(t)) => Some(tables(t).map(Statement::Refresh)),
        (Some("RELOAD"), Some(t)) => Some(tables(t).map(Statement::Reload)),
        (Some("DROP"), Some(t)) => Some(tables(t).map(Statement::Drop)),
        _ => None,
    };
    Some(statement.unwrap_or_else(|| Err(EngineError::syntax(format!("'{text}': {USAGE}")))))
}

/// `ALL`, or a table as SQL names it (quoted or not, with or without `Pipedrive.`).
fn tables(word: &str) -> Result<Tables, EngineError> {
    if word.eq_ignore_ascii_case("ALL") {
        return Ok(Tables::All);
    }
    let name = word.rsplit('.').next().unwrap_or(word).trim_matches('"');
    match catalog::table(name) {
        Some(def) if cacheable(def) => Ok(Tables::One(def)),
        Some(def) => Err(EngineError::not_supported(format!(
            "{} is not cached: its rows belong to rows of {} (or to arrays in its records)",
            def.name,
            def.parent.map_or(def.name, |p| p.table)
        ))),
        None => Err(EngineError::unknown_table(format!(
            "table '{name}' does not exist (SQLTables lists the tables)"
        ))),
    }
}

/// The account's cached tables.
async fn cached(cache: &LocalCache, account: &str) -> Result<Vec<TableStatus>, EngineError> {
    let all = cache.blocking(|c| c.status()).await?;
    Ok(all.into_iter().filter(|t| t.account == account).collect())
}

/// The columns every cache statement answers.
pub fn schema() -> SchemaRef {
    let time = DataType::Timestamp(TimeUnit::Microsecond, None);
    Arc::new(Schema::new(vec![
        Field::new("TableName", DataType::Utf8, false),
        Field::new("Rows", DataType::Int64, false),
        Field::new("Watermark", time.clone(), true),
        Field::new("LastRefresh", time.clone(), false),
        Field::new("LastReconcile", time, true),
        Field::new("Deletions", DataType::Utf8, false),
    ]))
}

/// Runs a cache statement; answers the connection's cached tables as they are afterwards.
pub async fn run(cache: &LocalCache, statement: Statement) -> Result<RecordBatch, EngineError> {
    let account = cache.account().await?;
    match statement {
        Statement::Status => {}
        Statement::Refresh(tables) | Statement::Reload(tables) => {
            let asked = match statement {
                Statement::Reload(_) => Refresh::Whole,
                _ => Refresh::Now,
            };
            let named = match tables {
                Tables::One(def) => vec![def],
                Tables::All => cached(cache, &account)
                    .await?
                    .iter()
                    .filter_map(|t| catalog::table(&t.table))
                    .collect(),
            };
            for def in named {
                cache.refresh(def, asked).await?;
            }
        }
        Statement::Drop(tables) => {
            let table = match tables {
                Tables::One(def) => Some(def.name),
                Tables::All => None,
            };
            let account = account.clone();
            cache
                .blocking(move |c| c.drop_tables(Some(&account), table))
                .await?;
        }
    }
    let rows = cached(cache, &account).await?;
    let reconcile = cache.settings.reconcile.as_secs();
    let column: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(rows.iter().map(|t| &t.table))),
        Arc::new(Int64Array::from_iter_values(
            rows.iter().map(|t| t.rows as i64),
        )),
        Arc::new(TimestampMicrosecondArray::from_iter(
            rows.iter().map(|t| t.state.watermark),
        )),
        Arc::new(TimestampMicrosecondArray::from_iter_values(
            rows.iter().map(|t| t.state.refreshed_at),
        )),
        Arc::new(TimestampMicrosecondArray::from_iter(
            rows.iter().map(|t| t.state.reconciled_at),
        )),
        Arc::new(StringArray::from_iter_values(rows.iter().map(|t| {
            catalog::table(&t.table)
                .map(|def| deletions_found(def, reconcile))
                .unwrap_or_default()
        }))),
    ];
    RecordBatch::try_new(schema(), column).map_err(|e| EngineError::internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EngineErrorKind;

    #[test]
    fn cache_statements_are_read_and_others_left_alone() {
        let deals = catalog::table("Deals").unwrap();
        let cases: &[(&str, Statement)] = &[
            ("CACHE STATUS", Statement::Status),
            ("cache status;", Statement::Status),
            (
                "CACHE REFRESH Deals",
                Statement::Refresh(Tables::One(deals)),
            ),
            (
                "Cache Reload \"deals\"",
                Statement::Reload(Tables::One(deals)),
            ),
            (
                "CACHE DROP Pipedrive.Deals",
                Statement::Drop(Tables::One(deals)),
            ),
            ("CACHE REFRESH all", Statement::Refresh(Tables::All)),
        ];
        for (sql, expected) in cases {
            assert_eq!(parse(sql).unwrap().unwrap(), *expected, "{sql}");
        }
        assert!(parse("SELECT 1").is_none());
        assert!(parse("CACHED").is_none());
        let kind = |sql: &str| parse(sql).unwrap().unwrap_err().kind;
        assert_eq!(
            kind("CACHE REFRESH NoSuchTable"),
            EngineErrorKind::UnknownTable
        );
        assert_eq!(
            kind("CACHE REFRESH DealsProducts"),
            EngineErrorKind::NotSupported
        );
        assert_eq!(kind("CACHE REFRESH"), EngineErrorKind::Syntax);
        assert_eq!(kind("CACHE STATUS Deals"), EngineErrorKind::Syntax);
        assert_eq!(kind("CACHE DROP Deals now"), EngineErrorKind::Syntax);
        assert_eq!(kind("CACHE FLUSH"), EngineErrorKind::Syntax);
    }
}

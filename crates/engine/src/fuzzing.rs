//! Entry points for the fuzz targets (`fuzz/`) and their replay tests: the SQL front end as
//! a statement goes through it, and API pages into Arrow as a scan converts them. Neither
//! sends a request.

use crate::catalog::{TableDef, TABLES};
use crate::convert::to_batch;
use crate::error::EngineError;
use crate::fetch::shape;
use crate::metadata;
use crate::schema::TableSchema;
use crate::session::Session;
use datafusion::arrow::record_batch::RecordBatch;
use pipedrive_api::{Client, ClientConfig, Credentials};
use serde_json::{json, Value};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

/// Plans `sql` as [`Session::prepare`] does on a connection whose tables are all set up: the
/// ODBC escapes, the bracketed names, a procedure call or DataFusion's parser, the dialect's
/// rewrite, the plan with its pushdown. Answers the number of result columns.
pub fn front_end(sql: &str) -> Result<usize, EngineError> {
    let (runtime, session) = &*SESSION;
    runtime.block_on(async {
        let prepared = session.prepare(sql).await?;
        Ok(prepared.schema.fields().len())
    })
}

/// One page of a list of a table (`TABLES[table % count]`) with these custom field
/// definitions, read from its body and converted as a scan does.
pub fn page_to_batch(
    table: usize,
    field_defs: &[Value],
    body: &[u8],
) -> Result<(usize, RecordBatch), String> {
    let def: &'static TableDef = TABLES[table % TABLES.len()];
    let schema = TableSchema::build(def, field_defs);
    let rows = pipedrive_api::fuzzing::page_rows(body, def.rows_at).map_err(|e| e.message)?;
    let rows = shape(def, rows);
    let batch =
        to_batch(schema.arrow.clone(), &schema.columns, &rows).map_err(|e| e.to_string())?;
    Ok((rows.len(), batch))
}

/// A session whose tables are set up from field definitions kept in the process cache, on a
/// client whose address refuses connections: planning must need no request.
static SESSION: LazyLock<(tokio::runtime::Runtime, Session)> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut config = ClientConfig::new("http://127.0.0.1:9", Credentials::ApiToken("fuzz".into()));
    config.max_retries = 0;
    config.timeout = Duration::from_secs(1);
    let client = Client::new(config).expect("a client");
    let fields = Arc::new(custom_fields());
    for def in TABLES.iter().filter(|d| d.custom_fields.is_some()) {
        metadata::keep(&client, def, fields.clone());
    }
    let session = runtime.block_on(async {
        let session = Session::open(Some(client), None).await.expect("a session");
        session.tables().await.expect("every table set up");
        session
    });
    (runtime, session)
});

/// Custom fields of every kind, with names that need quoting or clash with standard ones.
fn custom_fields() -> Vec<Value> {
    let kinds = [
        ("Budget", "monetary"),
        ("Contract", "daterange"),
        ("Lead Source", "enum"),
        ("Tags", "set"),
        ("Visit Time", "timerange"),
        ("title", "date"),
        ("Score", "double"),
        ("Employees", "int"),
        ("Partner", "org"),
        ("Office", "address"),
        ("Notes ünïcode", "text"),
        ("Active", "boolean"),
        ("Hotline", "phone"),
        ("Odd", "something new"),
    ];
    kinds
        .iter()
        .enumerate()
        .map(|(i, (name, kind))| {
            json!({
                "field_code": format!("{:040x}", i + 1),
                "field_name": name,
                "field_type": kind,
                "is_custom_field": true,
                "options": [{"id": 1, "label": "One"}, {"id": 2, "label": "Two"}],
            })
        })
        .collect()
}

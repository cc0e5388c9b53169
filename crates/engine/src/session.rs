//! A connection's SQL session: the Pipedrive tables (with this account's custom fields) in a
//! DataFusion context, schema `Pipedrive`.

use crate::catalog::{TableDef, TABLES};
use crate::dialect::{canonicalize, Names};
use crate::error::EngineError;
use crate::provider::PipedriveTable;
use crate::schema::TableSchema;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::{MemoryCatalogProvider, MemorySchemaProvider};
use datafusion::execution::SendableRecordBatchStream;
use datafusion::prelude::{SessionConfig, SessionContext};
use futures_util::future::try_join_all;
use futures_util::TryStreamExt;
use pipedrive_api::{ApiVersion, Client, ListRequest};
use serde_json::Value;
use std::sync::Arc;

pub const CATALOG: &str = "Pipedrive";
pub const SCHEMA: &str = "Pipedrive";

pub struct Session {
    ctx: SessionContext,
    tables: Vec<Arc<PipedriveTable>>,
    names: Names,
}

async fn field_definitions(
    client: &Client,
    def: &'static TableDef,
) -> Result<Vec<Value>, EngineError> {
    let Some(path) = def.custom_fields else {
        return Ok(vec![]);
    };
    let pages: Vec<_> = client
        .list(ListRequest::new(ApiVersion::V2, path))
        .try_collect()
        .await?;
    Ok(pages.into_iter().flat_map(|p| p.rows).collect())
}

impl Session {
    /// Reads the account's field definitions (all tables at once) and sets up the tables.
    pub async fn connect(client: Client) -> Result<Session, EngineError> {
        let fields = try_join_all(TABLES.iter().map(|def| field_definitions(&client, def))).await?;
        let config = SessionConfig::new()
            .with_default_catalog_and_schema(CATALOG, SCHEMA)
            .with_information_schema(true)
            .set_bool("datafusion.sql_parser.enable_ident_normalization", false);
        let ctx = SessionContext::new_with_config(config);
        let schema = Arc::new(MemorySchemaProvider::new());
        let mut tables = vec![];
        for (&def, fields) in TABLES.iter().zip(fields) {
            let table = Arc::new(PipedriveTable::new(
                TableSchema::build(def, &fields),
                client.clone(),
            ));
            datafusion::catalog::SchemaProvider::register_table(
                schema.as_ref(),
                def.name.to_string(),
                table.clone(),
            )?;
            tables.push(table);
        }
        let catalog = Arc::new(MemoryCatalogProvider::new());
        datafusion::catalog::CatalogProvider::register_schema(catalog.as_ref(), SCHEMA, schema)?;
        ctx.register_catalog(CATALOG, catalog);
        let mut names = Names::default();
        names.add(CATALOG);
        names.add(SCHEMA);
        tables.iter().for_each(|t| names.add(t.schema.def.name));
        tables
            .iter()
            .flat_map(|t| &t.schema.columns)
            .for_each(|c| names.add(&c.name));
        Ok(Session { ctx, tables, names })
    }

    /// The tables and their columns for this connection.
    pub fn tables(&self) -> impl Iterator<Item = &TableSchema> {
        self.tables.iter().map(|t| &t.schema)
    }

    /// Plans a statement; its result schema is known before any data request.
    pub async fn prepare(&self, sql: &str) -> Result<Prepared, EngineError> {
        let state = self.ctx.state();
        let dialect = state.config().options().sql_parser.dialect.clone();
        let mut statement = state.sql_to_statement(sql, &dialect)?;
        canonicalize(&mut statement, &self.names);
        let plan = state.statement_to_plan(statement).await?;
        let frame = self.ctx.execute_logical_plan(plan).await?;
        Ok(Prepared {
            schema: Arc::new(frame.schema().as_arrow().clone()),
            frame,
        })
    }

    /// Runs a statement to completion (tests and small results).
    pub async fn query(&self, sql: &str) -> Result<Vec<RecordBatch>, EngineError> {
        Ok(self.prepare(sql).await?.frame.collect().await?)
    }
}

/// A planned statement.
pub struct Prepared {
    pub schema: SchemaRef,
    frame: datafusion::dataframe::DataFrame,
}

impl Prepared {
    /// Starts it: batches arrive while later pages are fetched.
    pub async fn execute(self) -> Result<SendableRecordBatchStream, EngineError> {
        Ok(self.frame.execute_stream().await?)
    }

    /// The physical plan as text, with the API requests each scan makes.
    pub async fn explain(self) -> Result<String, EngineError> {
        let plan = self.frame.create_physical_plan().await?;
        let text = datafusion::physical_plan::displayable(plan.as_ref())
            .indent(true)
            .to_string();
        Ok(text)
    }
}

//! A Pipedrive table as a DataFusion table: scans become API requests (filters pushed down,
//! only the projected columns converted), executed by [`ApiScanExec`].

use crate::cache::LocalCache;
use crate::pushdown;
use crate::scan::ApiScanExec;
use crate::schema::{Column, TableSchema};
use async_trait::async_trait;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::{Session as DfSession, TableProvider};
use datafusion::common::Result;
use datafusion::datasource::TableType;
use datafusion::logical_expr::{Expr, TableProviderFilterPushDown};
use datafusion::physical_plan::ExecutionPlan;
use pipedrive_api::Client;
use std::sync::Arc;

#[derive(Debug)]
pub struct PipedriveTable {
    pub schema: TableSchema,
    client: Client,
    /// The connection's local cache, when it uses one.
    cache: Option<Arc<LocalCache>>,
    /// A table function's arguments, as list parameters of every request.
    args: Vec<(String, String)>,
}

impl PipedriveTable {
    pub fn new(schema: TableSchema, client: Client, cache: Option<Arc<LocalCache>>) -> Self {
        PipedriveTable {
            schema,
            client,
            cache,
            args: vec![],
        }
    }

    /// The table of a function call, its arguments as these list parameters.
    pub fn with_args(self, args: Vec<(String, String)>) -> Self {
        PipedriveTable { args, ..self }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn cache(&self) -> Option<&Arc<LocalCache>> {
        self.cache.as_ref()
    }
}

#[async_trait]
impl TableProvider for PipedriveTable {
    fn schema(&self) -> SchemaRef {
        self.schema.arrow.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> Result<Vec<TableProviderFilterPushDown>> {
        // the API narrows what is fetched; DataFusion still checks every row
        Ok(filters
            .iter()
            .map(|f| {
                if pushdown::can_push(self.schema.def, f) {
                    TableProviderFilterPushDown::Inexact
                } else {
                    TableProviderFilterPushDown::Unsupported
                }
            })
            .collect())
    }

    async fn scan(
        &self,
        _state: &dyn DfSession,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let all: Vec<usize> = (0..self.schema.columns.len()).collect();
        let projection = projection.unwrap_or(&all);
        let arrow: SchemaRef = Arc::new(self.schema.arrow.project(projection)?);
        let columns: Arc<Vec<Column>> = Arc::new(
            projection
                .iter()
                .map(|i| self.schema.columns[*i].clone())
                .collect(),
        );
        let def = self.schema.def;
        let mut requests = pushdown::plan(def, filters);
        for request in &mut requests {
            request.add_params(&self.args);
        }
        Ok(Arc::new(ApiScanExec::new(
            self.client.clone(),
            self.cache.clone(),
            def,
            arrow,
            columns,
            requests,
            limit,
        )))
    }
}

//! A Pipedrive table as a DataFusion table: scans become API requests (filters pushed down,
//! only the projected columns converted), answered as a stream of batches, one per page.

use crate::convert::to_batch;
use crate::fetch::{records, Request};
use crate::pushdown::{self, Fetch};
use crate::schema::{Column, TableSchema};
use async_trait::async_trait;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::{Session as DfSession, TableProvider};
use datafusion::common::{DataFusionError, Result};
use datafusion::datasource::TableType;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::{Expr, TableProviderFilterPushDown};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::streaming::{PartitionStream, StreamingTableExec};
use datafusion::physical_plan::ExecutionPlan;
use futures_util::stream::StreamExt;
use pipedrive_api::Client;
use std::sync::Arc;

#[derive(Debug)]
pub struct PipedriveTable {
    pub schema: TableSchema,
    client: Client,
}

impl PipedriveTable {
    pub fn new(schema: TableSchema, client: Client) -> Self {
        PipedriveTable { schema, client }
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
        let requests: Vec<Request> = match pushdown::plan(def, filters) {
            Fetch::List(params) => vec![Request::List(params)],
            Fetch::Batches(batches) => batches.into_iter().map(Request::List).collect(),
            Fetch::Rows(keys) => keys.into_iter().map(Request::Row).collect(),
            Fetch::Children { parents, params } => vec![Request::Children { parents, params }],
        };
        let partitions: Vec<Arc<dyn PartitionStream>> = requests
            .into_iter()
            .map(|request| self.partition(request, &arrow, &columns, limit))
            .collect();
        Ok(Arc::new(StreamingTableExec::try_new(
            arrow,
            partitions,
            None,
            vec![],
            false,
            limit,
        )?))
    }
}

impl PipedriveTable {
    fn partition(
        &self,
        request: Request,
        arrow: &SchemaRef,
        columns: &Arc<Vec<Column>>,
        limit: Option<usize>,
    ) -> Arc<dyn PartitionStream> {
        Arc::new(ApiPartition {
            client: self.client.clone(),
            def: self.schema.def,
            request,
            limit,
            arrow: arrow.clone(),
            columns: columns.clone(),
        })
    }
}

/// One API request plan, executed as a stream of batches.
pub struct ApiPartition {
    client: Client,
    def: &'static crate::catalog::TableDef,
    request: Request,
    limit: Option<usize>,
    arrow: SchemaRef,
    columns: Arc<Vec<Column>>,
}

/// The requests it makes (EXPLAIN shows this).
impl std::fmt::Debug for ApiPartition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.def.name, self.request.describe(self.def))?;
        if let Some(n) = self.limit {
            write!(f, ", stops after {n} rows")?;
        }
        Ok(())
    }
}

pub fn external(e: pipedrive_api::Error) -> DataFusionError {
    DataFusionError::External(Box::new(e))
}

impl PartitionStream for ApiPartition {
    fn schema(&self) -> &SchemaRef {
        &self.arrow
    }

    fn execute(&self, _ctx: Arc<TaskContext>) -> SendableRecordBatchStream {
        let (arrow, columns) = (self.arrow.clone(), self.columns.clone());
        let limit = match self.request {
            Request::Row(_) => None,
            _ => self.limit,
        };
        let batches =
            records(self.client.clone(), self.def, self.request.clone(), limit).map(move |page| {
                let rows = page.map_err(external)?;
                to_batch(arrow.clone(), &columns, &rows)
                    .map_err(|e| DataFusionError::ArrowError(Box::new(e), None))
            });
        Box::pin(RecordBatchStreamAdapter::new(self.arrow.clone(), batches))
    }
}

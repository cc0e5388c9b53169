//! A Pipedrive table as a DataFusion table: scans become API requests (filters pushed down,
//! only the projected columns converted), answered as a stream of batches, one per page.

use crate::convert::to_batch;
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
use futures_util::stream::{self, StreamExt};
use pipedrive_api::{Client, ErrorKind, ListRequest};
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
        let partitions: Vec<Arc<dyn PartitionStream>> = match pushdown::plan(def, filters) {
            Fetch::List(params) => {
                vec![self.partition(Request::List(params), &arrow, &columns, limit)]
            }
            Fetch::Batches(batches) => batches
                .into_iter()
                .map(|p| self.partition(Request::List(p), &arrow, &columns, limit))
                .collect(),
            Fetch::Rows(keys) => keys
                .into_iter()
                .map(|k| self.partition(Request::Row(k), &arrow, &columns, None))
                .collect(),
        };
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

#[derive(Debug, Clone)]
enum Request {
    List(Vec<(String, String)>),
    Row(String),
}

/// One API request plan, executed as a stream of batches.
struct ApiPartition {
    client: Client,
    def: &'static crate::catalog::TableDef,
    request: Request,
    limit: Option<usize>,
    arrow: SchemaRef,
    columns: Arc<Vec<Column>>,
}

impl std::fmt::Debug for ApiPartition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {:?}", self.def.name, self.request)
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
        let convert = move |rows: Vec<serde_json::Value>| {
            to_batch(arrow.clone(), &columns, &rows)
                .map_err(|e| DataFusionError::ArrowError(Box::new(e), None))
        };
        let batches = match &self.request {
            Request::List(params) => {
                let mut req = ListRequest::new(self.def.version, self.def.path);
                req.query = params.clone();
                req.max_rows = self.limit;
                self.client
                    .list(req)
                    .map(move |page| page.map_err(external).and_then(|p| convert(p.rows)))
                    .boxed()
            }
            Request::Row(key) => {
                let client = self.client.clone();
                let (version, path) = (
                    self.def.version,
                    self.def
                        .get_path
                        .unwrap_or(self.def.path)
                        .replace("{id}", key),
                );
                stream::once(async move {
                    match client.get(version, &path).await {
                        Ok(row) if !row.is_null() => convert(vec![row]),
                        // a key that does not exist is no row, not an error
                        Err(e) if e.kind == ErrorKind::NotFound => convert(vec![]),
                        Ok(_) => convert(vec![]),
                        Err(e) => Err(external(e)),
                    }
                })
                .boxed()
            }
        };
        Box::pin(RecordBatchStreamAdapter::new(self.arrow.clone(), batches))
    }
}

//! The physical scan of a Pipedrive table: one partition per API request plan (a list walk,
//! a key GET, an `ids=` batch, a parent walk), each a stream of batches converted page by page.
//! It can also walk a list in the API's own sort order, which the sort rule uses for
//! `ORDER BY ... LIMIT n`.

use crate::cache::{source, LocalCache};
use crate::catalog::{TableDef, TokenCost};
use crate::convert::to_batch;
use crate::fetch::{record_rows, row_keys, windows, Request};
use crate::schema::Column;
use datafusion::arrow::compute::SortOptions;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::common::{DataFusionError, Result};
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_expr::expressions::Column as ColumnExpr;
use datafusion::physical_expr::{
    EquivalenceProperties, LexOrdering, Partitioning, PhysicalExpr, PhysicalSortExpr,
};
use datafusion::physical_plan::execution_plan::{
    Boundedness, ChildrenPropertiesMode, EmissionType, ReplaceChildrenOptions,
};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{DisplayAs, DisplayFormatType, ExecutionPlan, PlanProperties};
use futures_util::stream::{self, StreamExt, TryStreamExt};
use pipedrive_api::{Client, Rows};
use std::fmt;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct ApiScanExec {
    client: Client,
    cache: Option<Arc<LocalCache>>,
    def: &'static TableDef,
    arrow: SchemaRef,
    columns: Arc<Vec<Column>>,
    requests: Vec<Request>,
    limit: Option<usize>,
    properties: Arc<PlanProperties>,
}

pub fn external(e: pipedrive_api::Error) -> DataFusionError {
    DataFusionError::External(Box::new(e))
}

impl ApiScanExec {
    pub fn new(
        client: Client,
        cache: Option<Arc<LocalCache>>,
        def: &'static TableDef,
        arrow: SchemaRef,
        columns: Arc<Vec<Column>>,
        requests: Vec<Request>,
        limit: Option<usize>,
    ) -> Self {
        let properties = properties(&arrow, requests.len(), None);
        ApiScanExec {
            client,
            cache,
            def,
            arrow,
            columns,
            requests,
            limit,
            properties,
        }
    }

    /// What each partition asks the API, for EXPLAIN.
    pub fn describe(&self) -> Vec<String> {
        self.requests
            .iter()
            .map(|r| {
                if self.answered_from_cache(r) {
                    return format!(
                        "{}: answered from the local cache, refreshed first unless within \
                         CacheTolerance (only the rows changed since its last read are asked for)",
                        self.def.name
                    );
                }
                let mut text = format!("{}: {}", self.def.name, r.describe(self.def));
                text.push_str(&format!(" [{}]", r.token_cost(self.def)));
                if let (Some(n), Request::List(_) | Request::Children { .. }) = (self.limit, r) {
                    text.push_str(&format!(", stops after {n} rows"));
                }
                if let Request::List(params) = r {
                    if let Some(w) = windows(self.def, params, self.limit.is_some()) {
                        text.push_str(&format!(
                            ", walked from both ends in id order, or in concurrent {} windows \
                             (up to {} at a time), as the burst budget allows",
                            w.field,
                            pipedrive_api::windows::ONE_TRIP_MOST
                        ));
                    }
                }
                text
            })
            .collect()
    }

    /// Whether a partition's request is answered from the local cache.
    fn answered_from_cache(&self, request: &Request) -> bool {
        self.cache
            .as_ref()
            .is_some_and(|c| c.serves(self.def, request))
    }

    /// What the scan costs of the daily budget, all partitions together.
    pub fn token_cost(&self) -> TokenCost {
        self.requests
            .iter()
            .fold(TokenCost::default(), |sum, r| sum + r.token_cost(self.def))
    }

    /// The same scan walking the list in the API's order of output column `index`, when the
    /// API can sort by it and the scan is one list walk.
    pub fn sorted(&self, index: usize, descending: bool) -> Option<ApiScanExec> {
        let [Request::List(params)] = self.requests.as_slice() else {
            return None;
        };
        // cached rows come in key order, whatever the API could sort by
        if self.answered_from_cache(&self.requests[0]) {
            return None;
        }
        let column = self.columns.get(index)?;
        let (_, sort_by) = self
            .def
            .sorts
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(&column.name))?;
        let mut params = params.clone();
        params.retain(|(k, _)| k != "sort_by" && k != "sort_direction");
        params.push(("sort_by".into(), sort_by.to_string()));
        let direction = if descending { "desc" } else { "asc" };
        params.push(("sort_direction".into(), direction.into()));
        let order = PhysicalSortExpr::new(
            Arc::new(ColumnExpr::new(&column.name, index)),
            SortOptions {
                descending,
                nulls_first: descending,
            },
        );
        Some(ApiScanExec {
            requests: vec![Request::List(params)],
            properties: properties(&self.arrow, 1, Some(order)),
            ..self.clone()
        })
    }
}

fn properties(
    arrow: &SchemaRef,
    partitions: usize,
    order: Option<PhysicalSortExpr>,
) -> Arc<PlanProperties> {
    let mut eq = EquivalenceProperties::new(arrow.clone());
    if let Some(ordering) = order.and_then(|o| LexOrdering::new([o])) {
        eq = EquivalenceProperties::new_with_orderings(arrow.clone(), [ordering]);
    }
    Arc::new(PlanProperties::new(
        eq,
        Partitioning::UnknownPartitioning(partitions.max(1)),
        EmissionType::Incremental,
        Boundedness::Bounded,
    ))
}

impl DisplayAs for ApiScanExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        let names: Vec<&str> = self.columns.iter().map(|c| c.name.as_str()).collect();
        write!(
            f,
            "ApiScanExec: {}, requests={}, projection=[{}]",
            self.def.name,
            self.requests.len(),
            names.join(", ")
        )?;
        if let Some(n) = self.limit {
            write!(f, ", fetch={n}")?;
        }
        Ok(())
    }
}

impl ExecutionPlan for ApiScanExec {
    fn name(&self) -> &str {
        "ApiScanExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![]
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>,
    ) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn replace_children(
        self: Arc<Self>,
        children: Vec<Arc<dyn ExecutionPlan>>,
        _options: ReplaceChildrenOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        match children.is_empty() {
            true => Ok(self),
            false => Err(DataFusionError::Internal("a scan has no inputs".into())),
        }
    }

    fn with_new_children(
        self: Arc<Self>,
        children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        self.replace_children(
            children,
            ReplaceChildrenOptions::new(ChildrenPropertiesMode::Recompute),
        )
    }

    fn fetch(&self) -> Option<usize> {
        self.limit
    }

    fn with_fetch(&self, limit: Option<usize>) -> Option<Arc<dyn ExecutionPlan>> {
        Some(Arc::new(ApiScanExec {
            limit,
            ..self.clone()
        }))
    }

    fn execute(
        &self,
        partition: usize,
        _ctx: Arc<TaskContext>,
    ) -> Result<SendableRecordBatchStream> {
        let request = self.requests.get(partition).cloned().ok_or_else(|| {
            DataFusionError::Internal(format!("{}: no partition {partition}", self.def.name))
        })?;
        let limit = match request {
            Request::Row(_) => None,
            _ => self.limit,
        };
        // a whole-table walk's pages are converted by a task of their own while the consumer
        // (the application's fetch calls) works through the batches it has; other reads go
        // no further than their consumer asks (one stopped early costs no page more)
        let whole = matches!(&request, Request::List(params)
            if windows(self.def, params, limit.is_some()).is_some());
        let (arrow, columns) = (self.arrow.clone(), self.columns.clone());
        let pages = match &self.cache {
            Some(cache) if cache.serves(self.def, &request) => {
                source::pages(cache.clone(), self.def, request, limit)
                    .map_ok(Rows::Values)
                    .map_err(|e| DataFusionError::External(Box::new(e)))
                    .boxed()
            }
            _ => record_rows(
                self.client.clone(),
                self.def,
                request,
                limit,
                row_keys(self.def, &self.columns),
            )
            .map_err(external)
            .boxed(),
        };
        // exploded and child rows are not capped by the requests: cap them here, and ask for
        // no further page once the limit is reached
        let batches = stream::unfold((pages, limit), move |(mut pages, left)| {
            let (arrow, columns) = (arrow.clone(), columns.clone());
            async move {
                if left == Some(0) {
                    return None;
                }
                let page = pages.next().await?;
                let mut left = left;
                let batch = page.and_then(|mut rows| {
                    if let Some(n) = left.as_mut() {
                        rows.truncate(*n);
                        *n -= rows.len();
                    }
                    rows_batch(arrow, &columns, rows)
                });
                Some((batch, (pages, left)))
            }
        });
        let batches = match whole {
            true => pipedrive_api::read_ahead(batches, BATCHES_AHEAD),
            false => batches.boxed(),
        };
        Ok(Box::pin(RecordBatchStreamAdapter::new(
            self.arrow.clone(),
            batches,
        )))
    }
}

/// The rows as a batch: decoded rows as they are, an answer's read where they lie.
fn rows_batch(arrow: SchemaRef, columns: &[Column], rows: Rows) -> Result<RecordBatch> {
    let batch = match rows {
        Rows::Values(rows) => to_batch(arrow, columns, &rows),
        Rows::Answer(answer) => {
            let rows = answer.rows().map_err(external)?;
            to_batch(arrow, columns, &rows)
        }
    };
    batch.map_err(|e| DataFusionError::ArrowError(Box::new(e), None))
}

/// Batches a scan converts ahead of its consumer.
const BATCHES_AHEAD: usize = 2;

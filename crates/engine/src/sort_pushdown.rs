//! `ORDER BY column LIMIT n` answered by the API's own sort: when a top-n sort reads (through
//! filters, projections and repartitioning) a single list walk of a table the API can sort by
//! that column, the walk asks for that order and the sort becomes a plain limit, so paging
//! stops after the first rows instead of reading the whole table.

use crate::scan::ApiScanExec;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TransformedResult, TreeNode};
use datafusion::common::Result;
use datafusion::physical_expr::expressions::Column;
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::coalesce_partitions::CoalescePartitionsExec;
use datafusion::physical_plan::coop::CooperativeExec;
use datafusion::physical_plan::execution_plan::{ChildrenPropertiesMode, ReplaceChildrenOptions};
use datafusion::physical_plan::filter::FilterExec;
use datafusion::physical_plan::limit::GlobalLimitExec;
use datafusion::physical_plan::projection::ProjectionExec;
use datafusion::physical_plan::repartition::RepartitionExec;
use datafusion::physical_plan::sorts::sort::SortExec;
use datafusion::physical_plan::sorts::sort_preserving_merge::SortPreservingMergeExec;
use datafusion::physical_plan::ExecutionPlan;
use std::sync::Arc;

#[derive(Debug, Default)]
pub struct ApiSortPushdown;

impl PhysicalOptimizerRule for ApiSortPushdown {
    fn optimize(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        _config: &ConfigOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        plan.transform_down(|node| {
            // a top-n sort, possibly split per partition under a merge
            let sort = match node.downcast_ref::<SortPreservingMergeExec>() {
                Some(merge) => merge.input().downcast_ref::<SortExec>(),
                None => node.downcast_ref::<SortExec>(),
            };
            let Some(sort) = sort else {
                return Ok(Transformed::no(node));
            };
            let (Some(fetch), [order]) = (sort.fetch(), sort.expr().as_ref()) else {
                return Ok(Transformed::no(node));
            };
            let Some(column) = order.expr.downcast_ref::<Column>() else {
                return Ok(Transformed::no(node));
            };
            let descending = order.options.descending;
            match sorted_input(sort.input(), column.index(), descending)? {
                Some(input) => {
                    // a filter on top would otherwise gather a full batch before answering
                    let input = input.with_fetch(Some(fetch)).unwrap_or(input);
                    Ok(Transformed::yes(
                        Arc::new(GlobalLimitExec::new(input, 0, Some(fetch)))
                            as Arc<dyn ExecutionPlan>,
                    ))
                }
                None => Ok(Transformed::no(node)),
            }
        })
        .data()
    }

    fn name(&self) -> &str {
        "pipedrive_api_sort"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// `plan` rebuilt as one partition whose rows come in the order of its output column `index`,
/// or `None` when it cannot be.
fn sorted_input(
    plan: &Arc<dyn ExecutionPlan>,
    index: usize,
    descending: bool,
) -> Result<Option<Arc<dyn ExecutionPlan>>> {
    if let Some(scan) = plan.downcast_ref::<ApiScanExec>() {
        return Ok(scan
            .sorted(index, descending)
            .map(|s| Arc::new(s) as Arc<dyn ExecutionPlan>));
    }
    // these only spread rows over partitions: one sorted partition needs none of that
    if let Some(r) = plan.downcast_ref::<RepartitionExec>() {
        return sorted_input(r.input(), index, descending);
    }
    if let Some(c) = plan.downcast_ref::<CoalescePartitionsExec>() {
        return sorted_input(c.input(), index, descending);
    }
    // order-keeping nodes: follow the column to their input
    let below = if let Some(p) = plan.downcast_ref::<ProjectionExec>() {
        match p
            .expr()
            .get(index)
            .and_then(|e| e.expr.downcast_ref::<Column>())
        {
            Some(c) => c.index(),
            None => return Ok(None),
        }
    } else if plan.downcast_ref::<CooperativeExec>().is_some() {
        index
    } else if let Some(f) = plan.downcast_ref::<FilterExec>() {
        match f.projection() {
            Some(projection) => match projection.get(index) {
                Some(i) => *i,
                None => return Ok(None),
            },
            None => index,
        }
    } else {
        return Ok(None);
    };
    let Some(child) = plan.children().first().copied() else {
        return Ok(None);
    };
    match sorted_input(child, below, descending)? {
        Some(input) => Ok(Some(Arc::clone(plan).replace_children(
            vec![input],
            ReplaceChildrenOptions::new(ChildrenPropertiesMode::Recompute),
        )?)),
        None => Ok(None),
    }
}

//! Figures the API computes (API v1): the deals summary, deals over time, a goal's result,
//! a pipeline's conversion and movement statistics, and the feed of recent changes. All but
//! the summary need arguments that are not columns, so they are table functions:
//! `SELECT * FROM DealsTimeline('2026-01-01', 'month', 12, 'add_time')`.

use super::table_def::ColType::*;
use super::table_def::{arg, c, optional, Kind, TableDef, NO_KEY};
use pipedrive_api::ApiVersion::V1;

/// One row: the deals' count and values, all currencies converted to the company's.
pub static DEALS_SUMMARY: TableDef = TableDef {
    name: "DealsSummary",
    version: V1,
    path: "/deals/summary",
    one_row: true,
    key: NO_KEY,
    columns: &[
        c("TotalCount", "total_count", BigInt),
        c(
            "TotalCurrencyConvertedValue",
            "total_currency_converted_value",
            Money,
        ),
        c(
            "TotalWeightedCurrencyConvertedValue",
            "total_weighted_currency_converted_value",
            Money,
        ),
        c(
            "TotalCurrencyConvertedValueFormatted",
            "total_currency_converted_value_formatted",
            Text,
        ),
        c(
            "TotalWeightedCurrencyConvertedValueFormatted",
            "total_weighted_currency_converted_value_formatted",
            Text,
        ),
        c("ValuesTotal", "values_total", Json),
        c("WeightedValuesTotal", "weighted_values_total", Json),
    ],
    kind: Kind::View,
    ..TableDef::BASE
};

/// The deals of each period, one row a deal with its period.
pub static DEALS_TIMELINE: TableDef = TableDef {
    name: "DealsTimeline",
    version: V1,
    path: "/deals/timeline",
    explode: Some("deals"),
    key: NO_KEY,
    columns: &[
        c("PeriodStart", "_parent.period_start", Timestamp),
        c("PeriodEnd", "_parent.period_end", Timestamp),
        c("Id", "id", BigInt),
        c("Title", "title", Text),
        c("Value", "value", Money),
        c("Currency", "currency", Text),
        c("Status", "status", Text),
        c("UserId", "user_id", BigInt),
        c("PersonId", "person_id", BigInt),
        c("OrgId", "org_id", BigInt),
        c("PipelineId", "pipeline_id", BigInt),
        c("StageId", "stage_id", BigInt),
        c("AddTime", "add_time", Timestamp),
        c("UpdateTime", "update_time", Timestamp),
        c("WonTime", "won_time", Timestamp),
        c("LostTime", "lost_time", Timestamp),
        c("ExpectedCloseDate", "expected_close_date", Date),
    ],
    args: &[
        arg(
            "StartDate",
            "start_date",
            Date,
            "the first period's first day",
        ),
        arg("Interval", "interval", Text, "day, week, month or quarter"),
        arg("Amount", "amount", BigInt, "how many periods"),
        arg(
            "FieldKey",
            "field_key",
            Text,
            "the date field that puts a deal in a period, such as add_time or won_time",
        ),
        optional("UserId", "user_id", BigInt, "only this user's deals"),
        optional(
            "PipelineId",
            "pipeline_id",
            BigInt,
            "only this pipeline's deals",
        ),
    ],
    ..TableDef::BASE
};

/// One row: how far a goal got in a period.
pub static GOAL_RESULTS: TableDef = TableDef {
    name: "GoalResults",
    version: V1,
    path: "/goals/{id}/results",
    one_row: true,
    key: NO_KEY,
    columns: &[
        c("GoalId", "goal.id", Text),
        c("Progress", "progress", BigInt),
        c("Title", "goal.title", Text),
        c("TypeName", "goal.type.name", Text),
        c("AssigneeId", "goal.assignee.id", BigInt),
        c("AssigneeType", "goal.assignee.type", Text),
        c("Interval", "goal.interval", Text),
        c("DurationStart", "goal.duration.start", Date),
        c("DurationEnd", "goal.duration.end", Date),
        c("Target", "goal.expected_outcome.target", BigInt),
        c(
            "TrackingMetric",
            "goal.expected_outcome.tracking_metric",
            Text,
        ),
        c("IsActive", "goal.is_active", Boolean),
    ],
    args: &[
        arg("GoalId", "{id}", Text, "the goal (Goals.Id)"),
        arg(
            "PeriodStart",
            "period.start",
            Date,
            "the period's first day",
        ),
        arg("PeriodEnd", "period.end", Date, "the period's last day"),
    ],
    ..TableDef::BASE
};

const PIPELINE_PERIOD: &[super::table_def::Arg] = &[
    arg("PipelineId", "{id}", BigInt, "the pipeline (Pipelines.Id)"),
    arg("StartDate", "start_date", Date, "the period's first day"),
    arg("EndDate", "end_date", Date, "the period's last day"),
    optional("UserId", "user_id", BigInt, "only this user's deals"),
];

/// One row: how many deals went on from each stage, were won or were lost in a period.
pub static PIPELINE_CONVERSION_STATISTICS: TableDef = TableDef {
    name: "PipelineConversionStatistics",
    version: V1,
    path: "/pipelines/{id}/conversion_statistics",
    one_row: true,
    key: NO_KEY,
    columns: &[
        c("StageConversions", "stage_conversions", Json),
        c("WonConversion", "won_conversion", BigInt),
        c("LostConversion", "lost_conversion", BigInt),
    ],
    args: PIPELINE_PERIOD,
    ..TableDef::BASE
};

/// One row: the deals that came, moved, stayed, were won or lost in a period.
pub static PIPELINE_MOVEMENT_STATISTICS: TableDef = TableDef {
    name: "PipelineMovementStatistics",
    version: V1,
    path: "/pipelines/{id}/movement_statistics",
    one_row: true,
    key: NO_KEY,
    columns: &[
        c(
            "MovementsBetweenStages",
            "movements_between_stages.count",
            BigInt,
        ),
        c("NewDeals", "new_deals.count", BigInt),
        c("NewDealsIds", "new_deals.deals_ids", Json),
        c("DealsLeftOpen", "deals_left_open.count", BigInt),
        c("WonDeals", "won_deals.count", BigInt),
        c("WonDealsValues", "won_deals.values", Json),
        c("LostDeals", "lost_deals.count", BigInt),
        c(
            "AverageAgeInDays",
            "average_age_in_days.across_all_stages",
            BigInt,
        ),
        c("AverageAgeByStage", "average_age_in_days.by_stages", Json),
    ],
    args: PIPELINE_PERIOD,
    ..TableDef::BASE
};

/// What changed since a moment, oldest first: each changed record with its kind.
pub static RECENTS: TableDef = TableDef {
    name: "Recents",
    version: V1,
    path: "/recents",
    key: NO_KEY,
    columns: &[
        c("Item", "item", Text),
        c("Id", "id", Text),
        c("Data", "data", Json),
    ],
    args: &[
        arg(
            "SinceTimestamp",
            "since_timestamp",
            Text,
            "the moment, as YYYY-MM-DD HH:MM:SS (UTC)",
        ),
        optional(
            "Items",
            "items",
            Text,
            "only these kinds: deal, person, organization, activity, note, ... (comma-separated)",
        ),
    ],
    ..TableDef::BASE
};

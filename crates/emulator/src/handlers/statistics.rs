//! Figures computed over the deals (API v1): the summary of their values, the deals of each
//! period of a timeline, a goal's result, a pipeline's conversion and movement statistics.

use super::answer::Answer;
use super::not_found::must_exist;
use super::request::Ctx;
use crate::entities::{entity, ApiVersion};
use crate::error::{ApiError, ApiResult};
use crate::store::Store;
use crate::timefmt;
use chrono::{Duration, Months, NaiveDate};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// What one unit of a currency is worth in the company's currency (EUR).
fn rate(currency: &str) -> f64 {
    match currency {
        "USD" => 0.92,
        "GBP" => 1.17,
        "JPY" => 0.0062,
        _ => 1.0,
    }
}

fn money(v: f64, currency: &str) -> String {
    format!("{v:.2} {currency}")
}

/// The deals as records, without the deleted ones.
fn deals(store: &Store) -> Vec<Value> {
    store
        .collection("deals")
        .rows()
        .map(|r| r.value())
        .filter(|d| d["is_deleted"] != true)
        .collect()
}

fn int_param(ctx: &Ctx, key: &str) -> ApiResult<Option<i64>> {
    ctx.query.int(ApiVersion::V1, key)
}

fn date_param(ctx: &Ctx, key: &str) -> ApiResult<NaiveDate> {
    let text = ctx
        .query
        .get(key)
        .ok_or_else(|| ApiError::invalid(ApiVersion::V1, format!("{key}: is required")))?;
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        ApiError::invalid(
            ApiVersion::V1,
            format!("{key}: must be a date (YYYY-MM-DD)"),
        )
    })
}

/// The day a deal's time or date field falls on.
fn day_of(deal: &Value, key: &str) -> Option<NaiveDate> {
    let text = deal[key].as_str()?;
    let seconds = timefmt::parse(text)?;
    chrono::DateTime::from_timestamp(seconds, 0).map(|t| t.date_naive())
}

/// `GET /deals/summary`: counts and values per currency, and all converted.
pub fn summary(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let (user, pipeline, stage) = (
        int_param(ctx, "user_id")?,
        int_param(ctx, "pipeline_id")?,
        int_param(ctx, "stage_id")?,
    );
    let status = ctx.query.get("status");
    let mut per: BTreeMap<String, (f64, i64, f64)> = BTreeMap::new();
    let (mut count, mut total, mut weighted) = (0, 0.0, 0.0);
    for d in deals(store) {
        let keep = user.is_none_or(|u| d["owner_id"] == u)
            && pipeline.is_none_or(|p| d["pipeline_id"] == p)
            && stage.is_none_or(|s| d["stage_id"] == s)
            && status.is_none_or(|s| d["status"] == s);
        if !keep {
            continue;
        }
        let currency = d["currency"].as_str().unwrap_or("EUR").to_string();
        let value = d["value"].as_f64().unwrap_or(0.0);
        let share = d["probability"].as_f64().map_or(1.0, |p| p / 100.0);
        let entry = per.entry(currency.clone()).or_default();
        entry.0 += value;
        entry.1 += 1;
        entry.2 += value * share;
        count += 1;
        total += value * rate(&currency);
        weighted += value * share * rate(&currency);
    }
    let round = |v: f64| (v * 100.0).round() / 100.0;
    let mut values = Map::new();
    let mut weighted_values = Map::new();
    for (currency, (value, n, w)) in per {
        let converted = round(value * rate(&currency));
        values.insert(currency.clone(), json!({"value": round(value), "count": n, "value_converted": converted,
            "value_formatted": money(value, &currency), "value_converted_formatted": money(converted, "EUR")}));
        weighted_values.insert(
            currency.clone(),
            json!({"value": round(w), "count": n, "value_formatted": money(w, &currency)}),
        );
    }
    Ok(Answer::data(&json!({
        "values_total": values, "weighted_values_total": weighted_values, "total_count": count,
        "total_currency_converted_value": round(total),
        "total_weighted_currency_converted_value": round(weighted),
        "total_currency_converted_value_formatted": money(total, "EUR"),
        "total_weighted_currency_converted_value_formatted": money(weighted, "EUR"),
    })))
}

/// `GET /deals/timeline`: `amount` periods of an `interval` from `start_date`, each with the
/// deals whose `field_key` falls in it.
pub fn timeline(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let v = ApiVersion::V1;
    let start = date_param(ctx, "start_date")?;
    let amount = int_param(ctx, "amount")?
        .filter(|a| (1..=120).contains(a))
        .ok_or_else(|| ApiError::invalid(v, "amount: must be 1 to 120"))?;
    let field = ctx
        .query
        .get("field_key")
        .ok_or_else(|| ApiError::invalid(v, "field_key: is required"))?;
    let step = |d: NaiveDate| -> Option<NaiveDate> {
        match ctx.query.get("interval") {
            Some("day") => Some(d + Duration::days(1)),
            Some("week") => Some(d + Duration::weeks(1)),
            Some("month") => d.checked_add_months(Months::new(1)),
            Some("quarter") => d.checked_add_months(Months::new(3)),
            _ => None,
        }
    };
    let (user, pipeline) = (int_param(ctx, "user_id")?, int_param(ctx, "pipeline_id")?);
    let all: Vec<Value> = deals(store)
        .into_iter()
        .filter(|d| user.is_none_or(|u| d["owner_id"] == u))
        .filter(|d| pipeline.is_none_or(|p| d["pipeline_id"] == p))
        .collect();
    let mut periods = vec![];
    let mut from = start;
    for _ in 0..amount {
        let until = step(from)
            .ok_or_else(|| ApiError::invalid(v, "interval: must be day, week, month or quarter"))?;
        let inside: Vec<Value> = all
            .iter()
            .filter(|d| day_of(d, field).is_some_and(|day| day >= from && day < until))
            .map(super::v1_shapes::deal)
            .collect();
        let total: f64 = inside.iter().filter_map(|d| d["value"].as_f64()).sum();
        periods.push(json!({
            "period_start": format!("{from} 00:00:00"),
            "period_end": format!("{} 23:59:59", until - Duration::days(1)),
            "deals": inside,
            "totals": {"count": inside.len(), "values": {"EUR": total}, "weighted_values": {"EUR": total},
                       "open_count": 0, "open_values": {}, "weighted_open_values": {}, "won_count": 0, "won_values": {}},
        }));
        from = until;
    }
    Ok(Answer::data(&json!(periods)))
}

/// `GET /goals/{id}/results`: progress is the value of the deals won in the period.
pub fn goal_results(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let id = ctx.param("id").unwrap_or_default();
    let goal = store
        .collection("goals")
        .get(id)
        .ok_or_else(|| super::not_found::not_found(entity("goals")))?
        .value();
    let (from, to) = (
        date_param(ctx, "period.start")?,
        date_param(ctx, "period.end")?,
    );
    let progress: f64 = deals(store)
        .iter()
        .filter(|d| day_of(d, "won_time").is_some_and(|day| day >= from && day <= to))
        .filter_map(|d| d["value"].as_f64())
        .sum();
    Ok(Answer::data(
        &json!({"progress": progress.round() as i64, "goal": goal}),
    ))
}

/// The pipeline's deals that were added in the period (`start_date` to `end_date`).
fn period_deals(store: &Store, ctx: &Ctx) -> ApiResult<(Vec<Value>, Vec<i64>)> {
    let pipeline = ctx.parent_id()?.unwrap_or_default();
    must_exist(store, entity("pipelines"), pipeline)?;
    let (from, to) = (date_param(ctx, "start_date")?, date_param(ctx, "end_date")?);
    let user = int_param(ctx, "user_id")?;
    let stages: Vec<i64> = store
        .collection("stages")
        .rows()
        .map(|r| r.value())
        .filter(|s| s["pipeline_id"] == pipeline)
        .filter_map(|s| s["id"].as_i64())
        .collect();
    let chosen = deals(store)
        .into_iter()
        .filter(|d| d["pipeline_id"] == pipeline)
        .filter(|d| user.is_none_or(|u| d["owner_id"] == u))
        .filter(|d| day_of(d, "add_time").is_some_and(|day| day >= from && day <= to))
        .collect();
    Ok((chosen, stages))
}

fn percent(part: usize, whole: usize) -> i64 {
    match whole {
        0 => 0,
        _ => (part * 100 / whole) as i64,
    }
}

/// `GET /pipelines/{id}/conversion_statistics`: of the deals added in the period, the share
/// that reached each next stage, was won and was lost.
pub fn conversion_statistics(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let (chosen, stages) = period_deals(store, ctx)?;
    let reached = |stage: i64| {
        let at = stages.iter().position(|s| *s == stage).unwrap_or(0);
        chosen
            .iter()
            .filter(|d| {
                let own = d["stage_id"].as_i64().unwrap_or(0);
                stages.iter().position(|s| *s == own).unwrap_or(0) >= at
            })
            .count()
    };
    let conversions: Vec<Value> = stages
        .windows(2)
        .map(|w| json!({"from_stage_id": w[0], "to_stage_id": w[1], "conversion_rate": percent(reached(w[1]), reached(w[0]))}))
        .collect();
    let won = chosen.iter().filter(|d| d["status"] == "won").count();
    let lost = chosen.iter().filter(|d| d["status"] == "lost").count();
    Ok(Answer::data(&json!({
        "stage_conversions": conversions,
        "won_conversion": percent(won, chosen.len()),
        "lost_conversion": percent(lost, chosen.len()),
    })))
}

/// `GET /pipelines/{id}/movement_statistics`: the deals added, left open, won and lost in the
/// period, with their values per currency, and their average age.
pub fn movement_statistics(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let (chosen, stages) = period_deals(store, ctx)?;
    let group = |status: Option<&str>| {
        let some: Vec<&Value> = chosen
            .iter()
            .filter(|d| status.is_none_or(|s| d["status"] == s))
            .collect();
        let mut values: BTreeMap<String, f64> = BTreeMap::new();
        for d in &some {
            *values
                .entry(d["currency"].as_str().unwrap_or("EUR").to_string())
                .or_default() += d["value"].as_f64().unwrap_or(0.0);
        }
        let formatted: Map<String, Value> = values
            .iter()
            .map(|(c, v)| (c.clone(), Value::from(money(*v, c))))
            .collect();
        let values: Map<String, Value> = values
            .into_iter()
            .map(|(c, v)| (c, Value::from(v.round() as i64)))
            .collect();
        json!({"count": some.len(), "deals_ids": some.iter().map(|d| d["id"].clone()).collect::<Vec<_>>(),
               "values": values, "formatted_values": formatted})
    };
    let today = chrono::Utc::now().date_naive();
    let age = |d: &Value| day_of(d, "add_time").map_or(0, |a| (today - a).num_days());
    let average = |some: Vec<&Value>| match some.len() {
        0 => 0,
        n => some.iter().map(|d| age(d)).sum::<i64>() / n as i64,
    };
    let by_stages: Vec<Value> = stages
        .iter()
        .map(|s| json!({"stage_id": s, "value": average(chosen.iter().filter(|d| d["stage_id"] == *s).collect())}))
        .collect();
    let moved = chosen
        .iter()
        .filter(|d| d["stage_change_time"] != d["add_time"])
        .count();
    Ok(Answer::data(&json!({
        "movements_between_stages": {"count": moved},
        "new_deals": group(None),
        "deals_left_open": group(Some("open")),
        "won_deals": group(Some("won")),
        "lost_deals": group(Some("lost")),
        "average_age_in_days": {"across_all_stages": average(chosen.iter().collect()), "by_stages": by_stages},
    })))
}

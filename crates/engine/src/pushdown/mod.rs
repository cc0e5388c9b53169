//! WHERE clauses into API requests: every comparison the API can filter on becomes a query
//! parameter; `Key = x` becomes a single GET; `Key IN (...)` becomes `ids=` batches, a list
//! walk each. The requests are the scan's partitions. The API's filtering only narrows what is
//! fetched: DataFusion still applies every filter itself, so a result is right even where the
//! API's semantics are looser.

use crate::catalog::{Push, TableDef};
use crate::fetch::Request;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::{BinaryExpr, Expr, Operator};
use std::collections::BTreeMap;

/// `MAX` keys per `ids=` request.
const IDS_PER_REQUEST: usize = 100;

/// Whether the API can narrow the rows for this filter.
pub fn can_push(def: &TableDef, expr: &Expr) -> bool {
    !pushes(def, expr).is_empty() || parent_keys(def, expr).is_some()
}

/// The requests a scan with these filters makes, one per partition of the scan: a list walk,
/// single-row GETs of keys, list walks of `ids=` batches (each with the other parameters too),
/// or the child rows of some parents (or of every row of the parent table).
pub fn plan(def: &TableDef, filters: &[Expr]) -> Vec<Request> {
    let mut params: BTreeMap<&'static str, Option<String>> = BTreeMap::new();
    let mut keys: Option<Vec<String>> = None;
    let mut parents: Option<Vec<String>> = None;
    for filter in filters.iter().flat_map(split_and) {
        if let Some(these) = parent_keys(def, filter) {
            parents = Some(intersect(parents, these));
            continue;
        }
        for (push, value) in pushes(def, filter) {
            if push.column().eq_ignore_ascii_case(def.key) && def.get_path.is_some() {
                let these = value.split(',').map(String::from).collect::<Vec<_>>();
                keys = Some(intersect(keys, these));
                continue;
            }
            // two different values for one parameter: leave it to local filtering
            match params.get(push.param()) {
                Some(Some(existing)) if *existing != value => {
                    params.insert(push.param(), None);
                }
                Some(None) => {}
                _ => {
                    params.insert(push.param(), Some(value));
                }
            }
        }
    }
    let common: Vec<(String, String)> = params
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
        .collect();
    if def.parent.is_some() {
        return vec![Request::Children {
            parents,
            params: common,
        }];
    }
    let Some(keys) = keys else {
        return vec![Request::List(common)];
    };
    let id_param = def
        .pushes_for(def.key)
        .into_iter()
        .find(|p| matches!(p, Push::In(..)))
        .map(Push::param);
    match id_param {
        // several keys, or one with other filters too: `ids=` list walks
        Some(param) if keys.len() != 1 || !common.is_empty() => keys
            .chunks(IDS_PER_REQUEST)
            .map(|chunk| {
                let mut p = common.clone();
                p.push((param.to_string(), chunk.join(",")));
                Request::List(p)
            })
            .collect(),
        // one key and nothing else to filter on: a single GET
        _ => keys.into_iter().map(Request::Row).collect(),
    }
}

/// Keys allowed by an earlier key filter and by this one.
fn intersect(earlier: Option<Vec<String>>, these: Vec<String>) -> Vec<String> {
    match earlier {
        None => these,
        Some(prev) => prev.into_iter().filter(|k| these.contains(k)).collect(),
    }
}

/// `a AND b AND c` as its parts.
fn split_and(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::BinaryExpr(BinaryExpr {
            left,
            op: Operator::And,
            right,
        }) => {
            let mut v = split_and(left);
            v.extend(split_and(right));
            v
        }
        other => vec![other],
    }
}

/// A comparison of a column with literals: `c op v`, `v op c`, or `c IN (v, ...)` (as `=`).
struct Comparison {
    column: String,
    op: Operator,
    values: Vec<ScalarValue>,
}

fn comparison(expr: &Expr) -> Option<Comparison> {
    match expr {
        // `c = 1 OR c = 2` (how the planner writes short IN lists) as `c IN (1, 2)`
        Expr::BinaryExpr(BinaryExpr {
            left,
            op: Operator::Or,
            right,
        }) => {
            let (mut a, b) = (comparison(left)?, comparison(right)?);
            let same = a.op == Operator::Eq && b.op == Operator::Eq && a.column == b.column;
            same.then(|| {
                a.values.extend(b.values);
                a
            })
        }
        Expr::BinaryExpr(BinaryExpr { left, op, right }) => {
            match (
                column_of(left),
                literal_of(right),
                column_of(right),
                literal_of(left),
            ) {
                (Some(column), Some(v), _, _) => Some(Comparison {
                    column,
                    op: *op,
                    values: vec![v],
                }),
                (_, _, Some(column), Some(v)) => Some(Comparison {
                    column,
                    op: op.swap()?,
                    values: vec![v],
                }),
                _ => None,
            }
        }
        Expr::InList(list) if !list.negated => {
            let values: Option<Vec<ScalarValue>> = list.list.iter().map(literal_of).collect();
            Some(Comparison {
                column: column_of(&list.expr)?,
                op: Operator::Eq,
                values: values.filter(|v| !v.is_empty())?,
            })
        }
        _ => None,
    }
}

/// The parent keys a filter on a child table's parent column allows.
fn parent_keys(def: &TableDef, expr: &Expr) -> Option<Vec<String>> {
    let parent = def.parent?;
    let cmp = comparison(expr)?;
    if cmp.op != Operator::Eq || !cmp.column.eq_ignore_ascii_case(parent.column) {
        return None;
    }
    cmp.values.iter().map(param_text).collect()
}

/// The parameters one filter maps to, with their values.
fn pushes<'a>(def: &'a TableDef, expr: &Expr) -> Vec<(&'a Push, String)> {
    let Some(cmp) = comparison(expr) else {
        return vec![];
    };
    let Some(texts) = cmp
        .values
        .iter()
        .map(param_text)
        .collect::<Option<Vec<_>>>()
    else {
        return vec![];
    };
    let many = texts.len() > 1;
    let text = texts.join(",");
    def.pushes_for(&cmp.column)
        .into_iter()
        .filter_map(|push| {
            let ok = match (push, cmp.op) {
                (Push::In(..), Operator::Eq) => true,
                (_, _) if many => false,
                (Push::Eq(..), Operator::Eq) => true,
                (Push::OneOf(_, _, allowed), Operator::Eq) => allowed.contains(&text.as_str()),
                (Push::Since(..), Operator::GtEq | Operator::Gt) => true,
                (Push::Until(..), Operator::Lt) => true,
                _ => false,
            };
            ok.then(|| (push, text.clone()))
        })
        .chain(until_inclusive(def, &cmp.column, cmp.op, &cmp.values[0]))
        .collect()
}

/// `column <= t` maps to `until` one second later (the API's bound is exclusive, in seconds).
fn until_inclusive<'a>(
    def: &'a TableDef,
    column: &str,
    op: Operator,
    value: &ScalarValue,
) -> Option<(&'a Push, String)> {
    if op != Operator::LtEq {
        return None;
    }
    let push = def
        .pushes_for(column)
        .into_iter()
        .find(|p| matches!(p, Push::Until(..)))?;
    let micros = timestamp_micros(value)? + 1_000_000;
    Some((push, rfc3339(micros)))
}

fn column_of(e: &Expr) -> Option<String> {
    match e {
        Expr::Column(c) => Some(c.name.clone()),
        Expr::Cast(c) => column_of(&c.expr),
        _ => None,
    }
}

fn literal_of(e: &Expr) -> Option<ScalarValue> {
    match e {
        Expr::Literal(v, _) => Some(v.clone()),
        Expr::Cast(c) => literal_of(&c.expr).and_then(|v| v.cast_to(c.field.data_type()).ok()),
        _ => None,
    }
}

fn timestamp_micros(v: &ScalarValue) -> Option<i64> {
    match v {
        ScalarValue::TimestampSecond(Some(s), _) => Some(s * 1_000_000),
        ScalarValue::TimestampMillisecond(Some(ms), _) => Some(ms * 1_000),
        ScalarValue::TimestampMicrosecond(Some(us), _) => Some(*us),
        ScalarValue::TimestampNanosecond(Some(ns), _) => Some(ns / 1_000),
        ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) => {
            crate::api_time::timestamp_micros(s)
        }
        _ => None,
    }
}

/// A time as the API's query parameters take it.
pub(crate) fn rfc3339(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// A literal as the API wants it in a query parameter.
fn param_text(v: &ScalarValue) -> Option<String> {
    if v.is_null() {
        return None;
    }
    match v {
        ScalarValue::Utf8(Some(s))
        | ScalarValue::LargeUtf8(Some(s))
        | ScalarValue::Utf8View(Some(s)) => Some(s.clone()),
        ScalarValue::Boolean(Some(b)) => Some(b.to_string()),
        ScalarValue::Int8(_)
        | ScalarValue::Int16(_)
        | ScalarValue::Int32(_)
        | ScalarValue::Int64(_)
        | ScalarValue::UInt8(_)
        | ScalarValue::UInt16(_)
        | ScalarValue::UInt32(_)
        | ScalarValue::UInt64(_) => Some(v.to_string()),
        other => timestamp_micros(other).map(rfc3339),
    }
}

#[cfg(test)]
mod tests;

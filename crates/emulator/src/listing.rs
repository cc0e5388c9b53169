//! Reading list requests: query parameters validated as the API does, filters turned into
//! predicates over indexed attributes, sorting, and both paging styles.

use crate::entities::{ApiVersion, AttrKind, EntitySpec, FilterKind, IdKind};
use crate::error::{ApiError, ApiResult};
use crate::store::{compare_rows, Collection, Row, Scalar, Slot, Store};
use crate::timefmt;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use std::cmp::Ordering;

pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 500;

/// The query string as ordered pairs (repeated keys kept).
#[derive(Debug, Default, Clone)]
pub struct Query(pub Vec<(String, String)>);

impl Query {
    pub fn parse(raw: Option<&str>) -> Query {
        Query(
            raw.and_then(|q| serde_urlencoded::from_str(q).ok())
                .unwrap_or_default(),
        )
    }
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    /// All values of a key, repeated (`k=1&k=2`), bracketed (`k[]=1`) or comma-separated (`k=1,2`).
    pub fn list(&self, key: &str) -> Vec<&str> {
        let bracketed = format!("{key}[]");
        self.0
            .iter()
            .filter(|(k, _)| k == key || *k == bracketed)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    }
    pub fn int(&self, version: ApiVersion, key: &str) -> ApiResult<Option<i64>> {
        match self.get(key) {
            None | Some("") => Ok(None),
            Some(v) => v.trim().parse::<i64>().map(Some).map_err(|_| {
                ApiError::invalid(version, format!("{key}: must be integer (got '{v}')"))
            }),
        }
    }
    pub fn boolean(&self, version: ApiVersion, key: &str) -> ApiResult<Option<bool>> {
        match self.get(key) {
            None | Some("") => Ok(None),
            Some("true") | Some("1") => Ok(Some(true)),
            Some("false") | Some("0") => Ok(Some(false)),
            Some(v) => Err(ApiError::invalid(
                version,
                format!("{key}: must be boolean (got '{v}')"),
            )),
        }
    }
}

#[derive(Debug, Clone)]
enum Test {
    Eq(Scalar),
    In(Vec<Scalar>),
    NotIn(Vec<Scalar>),
    AtLeast(i64),
    Below(i64),
    AtMost(i64),
    Contains(i64),
    /// lowercase term found in any of these text attributes
    Search(Vec<Slot>, String),
}

#[derive(Debug, Clone)]
pub struct Predicate {
    attr: &'static str,
    slot: Slot,
    test: Test,
}

impl Predicate {
    fn new(spec: &EntitySpec, attr: &'static str, test: Test) -> Self {
        Predicate {
            attr,
            slot: Slot::of(spec, attr),
            test,
        }
    }

    pub fn eq(spec: &EntitySpec, attr: &'static str, value: Scalar) -> Self {
        Self::new(spec, attr, Test::Eq(value))
    }

    /// Rows whose attribute is true (or 1), or with `yes` false the others.
    fn truth(spec: &EntitySpec, attr: &'static str, yes: bool) -> Self {
        let truths = vec![Scalar::Bool(true), Scalar::Int(1)];
        Self::new(
            spec,
            attr,
            if yes {
                Test::In(truths)
            } else {
                Test::NotIn(truths)
            },
        )
    }

    /// The archived rows of an entity that archives (or, with `yes` false, the others); `None`
    /// for an entity that does not.
    pub fn archived(spec: &EntitySpec, yes: bool) -> Option<Self> {
        let attr = spec.archived?;
        let unset = vec![Scalar::Null, Scalar::Bool(false)];
        Some(Self::new(
            spec,
            attr,
            if yes {
                Test::NotIn(unset)
            } else {
                Test::In(unset)
            },
        ))
    }

    fn holds(&self, row: &Row) -> bool {
        let v = row.at(self.slot);
        match &self.test {
            Test::Eq(x) => v == x,
            Test::In(xs) => xs.contains(v),
            Test::NotIn(xs) => !xs.contains(v),
            Test::AtLeast(t) => v.as_int().is_some_and(|x| x >= *t),
            Test::Below(t) => v.as_int().is_some_and(|x| x < *t),
            Test::AtMost(t) => v.as_int().is_some_and(|x| x <= *t),
            Test::Contains(n) => matches!(v, Scalar::Ints(xs) if xs.contains(n)),
            Test::Search(slots, term) => slots
                .iter()
                .any(|slot| matches!(row.at(*slot), Scalar::Str(text) if text.to_lowercase().contains(term.as_str()))),
        }
    }
}

pub fn matches(row: &Row, preds: &[Predicate]) -> bool {
    preds.iter().all(|p| p.holds(row))
}

fn typed(version: ApiVersion, param: &str, kind: AttrKind, text: &str) -> ApiResult<Scalar> {
    let bad =
        |what: &str| ApiError::invalid(version, format!("{param}: must be {what} (got '{text}')"));
    Ok(match kind {
        AttrKind::Int | AttrKind::Ints => Scalar::Int(text.parse().map_err(|_| bad("integer"))?),
        AttrKind::Bool => match text {
            "true" | "1" => Scalar::Bool(true),
            "false" | "0" => Scalar::Bool(false),
            _ => return Err(bad("boolean")),
        },
        AttrKind::Str => Scalar::Str(text.into()),
        AttrKind::Time => Scalar::Int(
            timefmt::parse(text).ok_or_else(|| bad("a date-time such as 2025-01-01T10:20:00Z"))?,
        ),
    })
}

/// Predicates for every filter parameter present in the query, plus `filter_id` and the
/// soft-delete rule.
pub fn predicates(
    spec: &'static EntitySpec,
    version: ApiVersion,
    q: &Query,
    store: &Store,
) -> ApiResult<Vec<Predicate>> {
    let mut preds = Vec::new();
    // whether rows must be deleted ones (`None`: either)
    let mut deleted = Some(false);
    for filter in spec.filters {
        let present = q.get(filter.param).is_some_and(|v| !v.is_empty())
            || (filter.kind == FilterKind::In && !q.list(filter.param).is_empty());
        if !present {
            continue;
        }
        let raw = q.get(filter.param).unwrap_or_default();
        let kind = spec.attr_kind(filter.attr).unwrap_or(AttrKind::Str);
        let test = match filter.kind {
            FilterKind::Eq => Test::Eq(typed(version, filter.param, kind, raw)?),
            FilterKind::In => {
                let items = q.list(filter.param);
                if items.len() > 100 {
                    return Err(ApiError::invalid(
                        version,
                        format!("{}: at most 100 values are allowed", filter.param),
                    ));
                }
                Test::In(
                    items
                        .iter()
                        .map(|t| typed(version, filter.param, kind, t))
                        .collect::<ApiResult<_>>()?,
                )
            }
            FilterKind::Enum(words) => {
                // one word, or several separated by commas
                let mut asked: Vec<&str> = raw.split(',').map(str::trim).collect();
                if let Some(bad) = asked.iter().find(|w| !words.contains(w)) {
                    return Err(ApiError::invalid(
                        version,
                        format!(
                            "{}: must be equal to one of the allowed values: {} (got '{bad}')",
                            filter.param,
                            words.join(", ")
                        ),
                    ));
                }
                if spec.soft_delete && asked.contains(&"deleted") {
                    asked.retain(|w| *w != "deleted");
                    // deleted rows alone, or deleted rows besides the other statuses
                    deleted = if asked.is_empty() { Some(true) } else { None };
                    if asked.is_empty() {
                        continue;
                    }
                }
                Test::In(asked.iter().map(|w| Scalar::Str((*w).into())).collect())
            }
            FilterKind::Since => Test::AtLeast(time_param(version, filter.param, raw)?),
            FilterKind::Until => Test::Below(time_param(version, filter.param, raw)?),
            FilterKind::DateFrom => Test::AtLeast(time_param(version, filter.param, raw)?),
            FilterKind::DateTo => Test::AtMost(time_param(version, filter.param, raw)? + 86_399),
            FilterKind::Member => match typed(version, filter.param, AttrKind::Int, raw)? {
                Scalar::Int(n) => Test::Contains(n),
                _ => unreachable!("typed int"),
            },
            FilterKind::Flag => match raw {
                "0" => Test::Eq(Scalar::Bool(false)),
                "1" => Test::Eq(Scalar::Bool(true)),
                _ => {
                    return Err(ApiError::invalid(
                        version,
                        format!("{}: must be 0 or 1", filter.param),
                    ))
                }
            },
            FilterKind::Truth => {
                let yes = match typed(version, filter.param, AttrKind::Bool, raw)? {
                    Scalar::Bool(b) => b,
                    _ => unreachable!("typed boolean"),
                };
                preds.push(Predicate::truth(spec, filter.attr, yes));
                continue;
            }
            FilterKind::LinkedToDeal => {
                let deal = match typed(version, filter.param, AttrKind::Int, raw)? {
                    Scalar::Int(d) => d,
                    _ => unreachable!("typed int"),
                };
                Test::In(linked_persons(store, deal))
            }
            FilterKind::Search(attrs) => Test::Search(
                attrs.iter().map(|a| Slot::of(spec, a)).collect(),
                raw.to_lowercase(),
            ),
        };
        preds.push(Predicate::new(spec, filter.attr, test));
    }
    if let Some(filter_id) = q.int(version, "filter_id")? {
        preds.extend(saved_filter(spec, version, store, filter_id)?);
    }
    if let (true, Some(deleted)) = (spec.soft_delete, deleted) {
        preds.push(Predicate::eq(spec, "is_deleted", Scalar::Bool(deleted)));
    }
    Ok(preds)
}

/// The persons linked to a deal: its contact person and its participants.
fn linked_persons(store: &Store, deal: i64) -> Vec<Scalar> {
    let deals = store.collection("deals");
    let mut ids: Vec<Scalar> = deals
        .get(&deal.to_string())
        .map(|d| d.attr(deals.spec, "person_id"))
        .filter(|p| *p != Scalar::Null)
        .into_iter()
        .collect();
    let participants = store.collection("dealParticipants");
    let spec = participants.spec;
    ids.extend(
        participants
            .rows()
            .filter(|r| *r.attr_ref(spec, "deal_id") == Scalar::Int(deal))
            .map(|r| r.attr(spec, "person_id")),
    );
    ids
}

fn time_param(version: ApiVersion, param: &str, raw: &str) -> ApiResult<i64> {
    timefmt::parse(raw).ok_or_else(|| {
        ApiError::invalid(version, format!("{param}: must be a date-time in RFC3339 format, e.g. 2025-01-01T10:20:00Z (got '{raw}')"))
    })
}

/// The conditions of a saved filter (`/v1/filters`), as predicates: each `field_id = value`
/// condition on an indexed attribute, all of them joined with AND.
fn saved_filter(
    spec: &EntitySpec,
    version: ApiVersion,
    store: &Store,
    id: i64,
) -> ApiResult<Vec<Predicate>> {
    let filters = store.collection("filters");
    let row = filters.get(&id.to_string()).ok_or_else(|| {
        ApiError::invalid(version, format!("filter_id: filter {id} does not exist"))
    })?;
    let record = row.value();
    let mut preds = Vec::new();
    for cond in conditions(&record) {
        let field = cond
            .get("field_id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let op = cond.get("operator").and_then(Value::as_str).unwrap_or("=");
        let Some(attr) = spec
            .attrs
            .iter()
            .map(|a| a.0)
            .chain(["id"])
            .find(|a| *a == field)
        else {
            return Err(ApiError::invalid(
                version,
                format!("filter_id: filter {id} uses field '{field}' the sandbox cannot apply"),
            ));
        };
        if op != "=" {
            return Err(ApiError::invalid(
                version,
                format!("filter_id: operator '{op}' is not supported by the sandbox"),
            ));
        }
        // condition values are text in the API; read them as the attribute's type
        let text = match cond.get("value") {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        let kind = spec.attr_kind(attr).unwrap_or(AttrKind::Str);
        preds.push(Predicate::eq(
            spec,
            attr,
            typed(version, "filter_id", kind, &text)?,
        ));
    }
    Ok(preds)
}

/// The leaf conditions (`{field_id, operator, value}`) of a filter's nested condition groups.
fn conditions(record: &Value) -> Vec<&Value> {
    fn walk<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
        match v {
            Value::Object(m) if m.contains_key("field_id") => out.push(v),
            Value::Object(m) => {
                if let Some(inner) = m.get("conditions") {
                    walk(inner, out)
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(c) = record.get("conditions") {
        walk(c, &mut out);
    }
    out
}

#[derive(Debug, Clone, Copy)]
pub struct Order {
    pub field: &'static str,
    pub desc: bool,
}

/// `sort_by` + `sort_direction` (v2) or `sort=field DIR` (v1).
pub fn order(spec: &'static EntitySpec, version: ApiVersion, q: &Query) -> ApiResult<Order> {
    let (field, dir) = match version {
        ApiVersion::V2 => (
            q.get("sort_by").unwrap_or("id").to_string(),
            q.get("sort_direction").unwrap_or("asc").to_string(),
        ),
        ApiVersion::V1 => {
            let first = q
                .get("sort")
                .unwrap_or("id")
                .split(',')
                .next()
                .unwrap_or("id")
                .trim()
                .to_string();
            let mut words = first.split_whitespace();
            (
                words.next().unwrap_or("id").to_string(),
                words.next().unwrap_or("ASC").to_lowercase(),
            )
        }
    };
    let field = spec
        .sorts
        .iter()
        .find(|s| **s == field)
        .copied()
        .ok_or_else(|| {
            ApiError::invalid(
                version,
                format!(
                    "sort_by: must be equal to one of the allowed values: {}",
                    spec.sorts.join(", ")
                ),
            )
        })?;
    let desc = match dir.as_str() {
        "asc" => false,
        "desc" => true,
        _ => {
            return Err(ApiError::invalid(
                version,
                "sort_direction: must be equal to one of the allowed values: asc, desc",
            ))
        }
    };
    Ok(Order { field, desc })
}

pub fn limit(version: ApiVersion, q: &Query) -> ApiResult<usize> {
    match q.int(version, "limit")? {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if n < 1 => Err(ApiError::invalid(version, "limit: must be >= 1")),
        Some(n) if n as usize > MAX_LIMIT => match version {
            ApiVersion::V2 => Err(ApiError::invalid(version, "limit: must be <= 500")),
            ApiVersion::V1 => Ok(MAX_LIMIT),
        },
        Some(n) => Ok(n as usize),
    }
}

/// Where a cursor page resumes: after the row with this sort value and position.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    pub field: String,
    pub value: Value,
    pub desc: bool,
    pub seq: u64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        let dir = if self.desc { "desc" } else { "asc" };
        let body = json!({"field": self.field, "fieldValue": self.value, "sortDirection": dir, "id": self.seq});
        URL_SAFE_NO_PAD.encode(body.to_string())
    }

    pub fn decode(version: ApiVersion, text: &str, order: Order) -> ApiResult<Cursor> {
        let bad = || ApiError::invalid(version, "cursor: invalid cursor");
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim_end_matches('='))
            .map_err(|_| bad())?;
        let v: Value = serde_json::from_slice(&bytes).map_err(|_| bad())?;
        let cursor = Cursor {
            field: v
                .get("field")
                .and_then(Value::as_str)
                .ok_or_else(bad)?
                .to_string(),
            value: v.get("fieldValue").cloned().unwrap_or(Value::Null),
            desc: v.get("sortDirection").and_then(Value::as_str) == Some("desc"),
            seq: v.get("id").and_then(Value::as_u64).ok_or_else(bad)?,
        };
        if cursor.field != order.field || cursor.desc != order.desc {
            return Err(ApiError::invalid(
                version,
                "cursor: does not belong to this sort order",
            ));
        }
        Ok(cursor)
    }
}

pub struct Page<'a> {
    pub rows: Vec<&'a Row>,
    pub more: bool,
}

/// Rows matching `preds` in `order`, starting after `after`, at most `limit` of them.
pub fn cursor_page<'a>(
    coll: &'a Collection,
    preds: &[Predicate],
    order: Order,
    after: Option<&Cursor>,
    limit: usize,
) -> Page<'a> {
    let spec = coll.spec;
    let ids = id_list(preds);
    let mut rows: Vec<&Row> = if ids.is_none() && order.field == "id" && spec.id == IdKind::Int {
        // id order is row order: walk the index from the cursor and stop after the page
        let iter: Box<dyn Iterator<Item = &Row>> = match (order.desc, after.map(|c| c.seq)) {
            (false, s) => Box::new(coll.rows_after(s.unwrap_or(0))),
            (true, Some(s)) => Box::new(coll.rows_before(s)),
            (true, None) => Box::new(coll.rows().rev()),
        };
        iter.filter(|r| matches(r, preds)).take(limit + 1).collect()
    } else if let Some(ids) = ids {
        // `ids=` names the rows: look them up, order them, resume after the cursor
        let slot = Slot::of(spec, order.field);
        let mut found: Vec<&Row> = ids
            .iter()
            .filter_map(|id| coll.get(id))
            .filter(|r| matches(r, preds))
            .collect();
        found.sort_by(|a, b| compare_rows(slot, order.desc, a, b));
        found.dedup_by_key(|r| r.seq);
        let resume = after.map(|c| (Scalar::from_json(&c.value), c.seq));
        found
            .into_iter()
            .filter(|r| match &resume {
                None => true,
                Some((value, seq)) => {
                    let ord = (r.at(slot), r.seq).cmp(&(value, *seq));
                    (ord == Ordering::Less) == order.desc && ord != Ordering::Equal
                }
            })
            .take(limit + 1)
            .collect()
    } else {
        // other orders: binary-search the cursor in the collection's sorted index, within the
        // stretch the query's range tests on the same attribute leave
        let slot = Slot::of(spec, order.field);
        let index = coll.ordered_by(slot);
        let sorted = in_range(&index, slot, preds);
        let resume = after.map(|c| (Scalar::from_json(&c.value), c.seq));
        let keys: Box<dyn Iterator<Item = &(Scalar, u64)>> = match (&resume, order.desc) {
            (None, false) => Box::new(sorted.iter()),
            (None, true) => Box::new(sorted.iter().rev()),
            (Some(key), false) => Box::new(sorted[sorted.partition_point(|k| k <= key)..].iter()),
            (Some(key), true) => {
                Box::new(sorted[..sorted.partition_point(|k| k < key)].iter().rev())
            }
        };
        keys.filter_map(|(_, seq)| coll.by_seq(*seq))
            .filter(|r| matches(r, preds))
            .take(limit + 1)
            .collect()
    };
    let more = rows.len() > limit;
    rows.truncate(limit);
    Page { rows, more }
}

/// The stretch of an index sorted by `slot` that the range tests of `preds` on that attribute
/// leave: rows outside it cannot match (an index is walked from there instead of from its
/// start, as a database walks one).
fn in_range<'k>(
    sorted: &'k [(Scalar, u64)],
    slot: Slot,
    preds: &[Predicate],
) -> &'k [(Scalar, u64)] {
    let (mut lo, mut hi) = (0, sorted.len());
    let first_not = |below: &dyn Fn(&Scalar) -> bool| sorted.partition_point(|(k, _)| below(k));
    for p in preds.iter().filter(|p| p.slot == slot) {
        match p.test {
            Test::AtLeast(t) => lo = lo.max(first_not(&|k| *k < Scalar::Int(t))),
            Test::Below(t) => hi = hi.min(first_not(&|k| *k < Scalar::Int(t))),
            Test::AtMost(t) => hi = hi.min(first_not(&|k| *k <= Scalar::Int(t))),
            _ => {}
        }
    }
    &sorted[lo.min(hi)..hi]
}

fn id_list(preds: &[Predicate]) -> Option<Vec<String>> {
    preds.iter().find_map(|p| match (&p.attr, &p.test) {
        (&"id", Test::In(ids)) => Some(
            ids.iter()
                .map(|s| match s {
                    Scalar::Int(i) => i.to_string(),
                    Scalar::Str(s) => s.to_string(),
                    _ => String::new(),
                })
                .collect(),
        ),
        _ => None,
    })
}

/// The cursor after the last row of a page, if more rows follow.
pub fn next_cursor(spec: &EntitySpec, page: &Page, order: Order) -> Option<String> {
    let last = page.rows.last().filter(|_| page.more)?;
    Some(
        Cursor {
            field: order.field.to_string(),
            value: last.attr(spec, order.field).to_json(),
            desc: order.desc,
            seq: last.seq,
        }
        .encode(),
    )
}

/// v1 offset paging: rows `start..start+limit` of the ordered matches.
pub fn offset_page<'a>(
    coll: &'a Collection,
    preds: &[Predicate],
    order: Order,
    start: usize,
    limit: usize,
) -> Page<'a> {
    let spec = coll.spec;
    let sorted;
    let ordered: Box<dyn Iterator<Item = &Row>> = if order.field == "id" && spec.id == IdKind::Int {
        if order.desc {
            Box::new(coll.rows().rev())
        } else {
            Box::new(coll.rows())
        }
    } else {
        let slot = Slot::of(spec, order.field);
        sorted = coll.ordered_by(slot);
        let stretch = in_range(&sorted, slot, preds);
        let seqs: Box<dyn Iterator<Item = &(Scalar, u64)>> = if order.desc {
            Box::new(stretch.iter().rev())
        } else {
            Box::new(stretch.iter())
        };
        Box::new(seqs.filter_map(|(_, seq)| coll.by_seq(*seq)))
    };
    let mut rows: Vec<&Row> = ordered
        .filter(|r| matches(r, preds))
        .skip(start)
        .take(limit + 1)
        .collect();
    let more = rows.len() > limit;
    rows.truncate(limit);
    Page { rows, more }
}

/// `[row,row,...]` from the rows' stored JSON, each optionally rewritten.
pub fn render_rows(rows: &[&Row], rewrite: Option<&dyn Fn(Value) -> Value>) -> String {
    let mut out = String::with_capacity(rows.iter().map(|r| r.json.len() + 1).sum::<usize>() + 2);
    out.push('[');
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match rewrite {
            None => out.push_str(&row.json),
            Some(f) => out.push_str(&f(row.value()).to_string()),
        }
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_is_walked_only_where_its_range_tests_can_hold() {
        let time = Slot::Attr(3);
        let other = Slot::Attr(4);
        // update times 10, 20, 20, 30, 40, then a row without one (sorts first) and text
        let index: Vec<(Scalar, u64)> = {
            let mut keys = vec![
                (Scalar::Int(10), 1),
                (Scalar::Int(20), 2),
                (Scalar::Int(20), 3),
                (Scalar::Int(30), 4),
                (Scalar::Int(40), 5),
                (Scalar::Null, 6),
                (Scalar::Str("x".into()), 7),
            ];
            keys.sort_unstable();
            keys
        };
        let on = |slot, test| Predicate {
            attr: "update_time",
            slot,
            test,
        };
        // (tests, the rows' seqs left)
        let cases: Vec<(Vec<Predicate>, Vec<u64>)> = vec![
            (vec![], vec![6, 1, 2, 3, 4, 5, 7]),
            (vec![on(time, Test::AtLeast(20))], vec![2, 3, 4, 5, 7]),
            (vec![on(time, Test::Below(30))], vec![6, 1, 2, 3]),
            (
                vec![on(time, Test::AtLeast(20)), on(time, Test::Below(30))],
                vec![2, 3],
            ),
            (
                vec![on(time, Test::AtLeast(15)), on(time, Test::AtMost(30))],
                vec![2, 3, 4],
            ),
            // an empty range, and tests on another attribute, which the walk filters
            (
                vec![on(time, Test::AtLeast(35)), on(time, Test::Below(12))],
                vec![],
            ),
            (
                vec![on(other, Test::AtLeast(35))],
                vec![6, 1, 2, 3, 4, 5, 7],
            ),
        ];
        for (preds, expected) in cases {
            let seqs: Vec<u64> = in_range(&index, time, &preds)
                .iter()
                .map(|(_, seq)| *seq)
                .collect();
            assert_eq!(seqs, expected, "{preds:?}");
        }
    }
}

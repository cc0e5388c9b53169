//! The API requests behind one scan partition, as a stream of pages of JSON records: a list
//! walk, single-row GETs, or a parent walk followed by child lists. Records come out the way
//! columns read them (child records carry their parent key; exploded rows their parent record).

use crate::catalog::{self, get_cost, ChildFetch, TableDef, TokenCost, PARENT_RECORD};
use crate::schema::Column;
use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use pipedrive_api::{Client, Error, ErrorKind, ListRequest, Rows};
use serde_json::Value;
use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

/// Child lists fetched at once while walking parents.
const CHILD_CONCURRENCY: usize = 4;

/// What one partition of a scan asks the API, as [`crate::pushdown::plan`] planned it.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// A list walk with these parameters.
    List(Vec<(String, String)>),
    /// One GET of this key.
    Row(String),
    /// The child rows of these parents, or of every parent row.
    Children {
        parents: Option<Vec<String>>,
        params: Vec<(String, String)>,
    },
}

impl Request {
    /// Adds list parameters (a table function's arguments) to every list it asks for.
    pub fn add_params(&mut self, extra: &[(String, String)]) {
        match self {
            Request::List(params) | Request::Children { params, .. } => {
                params.extend(extra.iter().cloned())
            }
            Request::Row(_) => {}
        }
    }

    /// The requests as text, for EXPLAIN.
    pub fn describe(&self, def: &TableDef) -> String {
        let prefix = def.version.prefix();
        let query = |params: &[(String, String)]| {
            params
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&")
        };
        match self {
            Request::List(params) => {
                let mut params = params.clone();
                if let Some(each) = def
                    .each
                    .filter(|e| !params.iter().any(|(k, _)| k == e.param))
                {
                    params.push((
                        each.param.into(),
                        format!("<each of {}>", each.values.join("|")),
                    ));
                }
                let (path, params) = in_path(def.path, params);
                let q = query(&params);
                format!(
                    "GET {prefix}{path}{}{q} (paged)",
                    if q.is_empty() { "" } else { "?" }
                )
            }
            Request::Row(key) => format!(
                "GET {prefix}{}",
                def.get_path.unwrap_or(def.path).replace("{id}", key)
            ),
            Request::Children { parents, params } => {
                let parent = def.parent.expect("child table");
                let which = match parents {
                    Some(keys) => format!("{} {}", parent.column, keys.join(",")),
                    None => format!("every row of {} (walked first)", parent.table),
                };
                let how = match parent.fetch {
                    ChildFetch::PerParent => format!("GET {prefix}{} per parent", def.path),
                    ChildFetch::Batched { param, max: 1 } => {
                        format!("GET {prefix}{}?{param}=<key> per parent", def.path)
                    }
                    ChildFetch::Batched { param, max } => {
                        format!("GET {prefix}{}?{param}=<up to {max} keys>", def.path)
                    }
                };
                let q = query(params);
                format!(
                    "{how}{}{q} for {which}",
                    if q.is_empty() { "" } else { " &" }
                )
            }
        }
    }
}

impl Request {
    /// What the request costs of the daily budget (the specs' `x-token-cost` of each GET):
    /// a list walk per page, a row once, child lists per parent or per batch of parents (each
    /// batch a page), and a walk of every parent row per page of the parent list.
    pub fn token_cost(&self, def: &TableDef) -> TokenCost {
        let cost = |def: &TableDef, path: &str| get_cost(def.version, path).unwrap_or(0);
        let list = cost(def, def.path);
        match self {
            Request::List(_) => TokenCost {
                per_page: list,
                ..TokenCost::default()
            },
            Request::Row(_) => TokenCost {
                fixed: cost(def, def.get_path.unwrap_or(def.path)),
                ..TokenCost::default()
            },
            Request::Children { parents, .. } => {
                let Some(parent) = def.parent else {
                    return TokenCost::default();
                };
                let walk = || {
                    catalog::table(parent.table)
                        .map(|table| cost(table, table.path))
                        .unwrap_or(0)
                };
                let (fixed, per_page, per_parent) = match (parents, parent.fetch) {
                    (Some(keys), ChildFetch::PerParent) => (list * keys.len() as u64, 0, 0),
                    (Some(keys), ChildFetch::Batched { max, .. }) => {
                        (list * keys.len().div_ceil(max.max(1)) as u64, 0, 0)
                    }
                    (None, ChildFetch::PerParent) => (0, walk(), list),
                    (None, ChildFetch::Batched { .. }) => (0, walk() + list, 0),
                };
                TokenCost {
                    fixed,
                    per_page,
                    per_parent,
                }
            }
        }
    }
}

/// The pages of records a request yields; with `keep`, a list's records hold only those keys
/// (see [`row_keys`]).
pub fn records(
    client: Client,
    def: &'static TableDef,
    request: Request,
    limit: Option<usize>,
    keep: Option<Arc<BTreeSet<String>>>,
) -> BoxStream<'static, Result<Vec<Value>, Error>> {
    record_rows(client, def, request, limit, keep)
        .map(|rows| rows?.into_values())
        .boxed()
}

/// The pages of [`records`], a windowed walk's rows still in their answers (read where they lie
/// by whoever converts them).
pub fn record_rows(
    client: Client,
    def: &'static TableDef,
    request: Request,
    limit: Option<usize>,
    keep: Option<Arc<BTreeSet<String>>>,
) -> BoxStream<'static, Result<Rows, Error>> {
    let decoded = |rows: Result<Vec<Value>, Error>| rows.map(Rows::Values);
    match request {
        Request::List(params) => walk(client, def, params, limit, keep, true),
        Request::Row(key) => {
            let path = def.get_path.unwrap_or(def.path).replace("{id}", &key);
            stream::once(async move {
                match client.get(def.version, &path).await {
                    Ok(row) if !row.is_null() => Ok(Rows::Values(vec![row])),
                    // a key that does not exist is no row, not an error
                    Err(e) if e.kind == ErrorKind::NotFound => Ok(Rows::Values(vec![])),
                    Ok(_) => Ok(Rows::Values(vec![])),
                    Err(e) => Err(e),
                }
            })
            .boxed()
        }
        Request::Children { parents, params } => {
            children(client, def, parents, params).map(decoded).boxed()
        }
    }
}

/// The pages of a list walk with these parameters (cut into update-time windows when
/// `windowed` and the table has them), its rows shaped; a list that requires one of a few
/// values ([`catalog::Each`]) is walked for the value given or for each in turn.
fn walk(
    client: Client,
    def: &'static TableDef,
    params: Vec<(String, String)>,
    limit: Option<usize>,
    keep: Option<Arc<BTreeSet<String>>>,
    windowed: bool,
) -> BoxStream<'static, Result<Rows, Error>> {
    let Some(each) = def.each else {
        return list(client, def, params, limit, keep, windowed);
    };
    let values: Vec<String> = match params.iter().find(|(k, _)| k == each.param) {
        Some((_, given)) => vec![given.clone()],
        None => each.values.iter().map(|v| v.to_string()).collect(),
    };
    let mut seen = HashSet::new();
    stream::iter(values)
        .map(move |value| {
            let mut params = params.clone();
            params.retain(|(k, _)| k != each.param);
            params.push((each.param.into(), value.clone()));
            list(client.clone(), def, params, limit, keep.clone(), windowed).map(move |rows| {
                let mut rows = rows?.into_values()?;
                for row in &mut rows {
                    if let Value::Object(fields) = row {
                        fields.insert(each.param.into(), Value::from(value.as_str()));
                    }
                }
                Ok(rows)
            })
        })
        .flatten()
        .map_ok(move |mut rows| {
            // a row listed under an earlier value is that value's
            rows.retain(|r| {
                r.get("id")
                    .and_then(key_text)
                    .is_none_or(|id| seen.insert(id))
            });
            Rows::Values(rows)
        })
        .boxed()
}

/// The pages of one list walk, its rows shaped.
fn list(
    client: Client,
    def: &'static TableDef,
    params: Vec<(String, String)>,
    limit: Option<usize>,
    keep: Option<Arc<BTreeSet<String>>>,
    windowed: bool,
) -> BoxStream<'static, Result<Rows, Error>> {
    let (path, params) = in_path(def.path, params);
    let mut req = ListRequest::new(def.version, path);
    req.query = params;
    req.rows_at = def.rows_at.map(String::from);
    req.one_row = def.one_row;
    req.keep = keep;
    // exploded rows are more than the records listed: no row cap on the request
    req.max_rows = limit.filter(|_| def.explode.is_none());
    let windows = windowed
        .then(|| windows(def, &req.query, req.max_rows.is_some()))
        .flatten();
    let pages = match windows {
        Some(spec) => client.list_windowed(req, spec),
        None => client.list(req),
    };
    match shaped(def) {
        true => pages
            .map(move |page| Ok(Rows::Values(shape(def, page?.rows.into_values()?))))
            .boxed(),
        false => pages.map_ok(|page| page.rows).boxed(),
    }
}

/// The keys of a table's records that `columns` read (and the id, which errors name), when
/// the records are read as listed: `None` for tables whose rows are shaped from their records
/// first (exploded arrays, bare values, rows kept only with a key), which need them whole.
pub fn row_keys(def: &TableDef, columns: &[Column]) -> Option<Arc<BTreeSet<String>>> {
    if shaped(def) {
        return None;
    }
    let keys = columns.iter().map(|c| c.record_key().to_string());
    Some(Arc::new(
        keys.chain(std::iter::once("id".to_string())).collect(),
    ))
}

/// Whether the table's rows are shaped from its records ([`shape`]) rather than read as listed.
fn shaped(def: &TableDef) -> bool {
    def.keyed || def.explode.is_some() || def.scalars.is_some() || def.only_with.is_some()
}

/// The list's path with the parameters written as path placeholders (a table function's
/// argument `{id}`, the goal or pipeline it is about) put in their place, and the others.
fn in_path(path: &str, params: Vec<(String, String)>) -> (String, Vec<(String, String)>) {
    let mut path = path.to_string();
    let mut rest = vec![];
    for (k, v) in params {
        match k.starts_with('{') && path.contains(&k) {
            true => path = path.replace(&k, &v),
            false => rest.push((k, v)),
        }
    }
    (path, rest)
}

/// The update-time windows a list walk is cut into, when it is a whole walk of a table that has
/// them: no row limit (a first page or two is faster walked alone), no order asked of the API,
/// and not a handful of keys (`ids=` fits in one page).
pub fn windows(
    def: &TableDef,
    params: &[(String, String)],
    limited: bool,
) -> Option<pipedrive_api::TimeWindows> {
    let whole = !limited
        && !params
            .iter()
            .any(|(k, _)| matches!(k.as_str(), "sort_by" | "ids" | "cursor"));
    whole.then(|| def.time_windows()).flatten()
}

/// The rows of a page as the columns read them: the value under a record's one key, the
/// elements of a nested array each with its record, bare values under their key.
pub(crate) fn shape(def: &TableDef, rows: Vec<Value>) -> Vec<Value> {
    let rows = match def.keyed {
        true => rows.into_iter().filter_map(unkeyed).collect(),
        false => rows,
    };
    let mut rows = explode(def, rows);
    if let Some(key) = def.only_with {
        rows.retain(|r| r.get(key).is_some_and(|v| !v.is_null()));
    }
    match def.scalars {
        Some(key) => rows
            .into_iter()
            .map(|v| match v {
                Value::Object(_) => v,
                bare => serde_json::json!({ key: bare }),
            })
            .collect(),
        None => rows,
    }
}

/// The row a record of one key holds (`{"5": {"deal": ..., "product": ...}}`).
fn unkeyed(record: Value) -> Option<Value> {
    match record {
        Value::Object(fields) if fields.len() == 1 => fields.into_iter().next().map(|(_, v)| v),
        _ => None,
    }
}

/// Rows that are the elements of an array in each record, each with its record.
fn explode(def: &TableDef, rows: Vec<Value>) -> Vec<Value> {
    let Some(key) = def.explode else {
        return rows;
    };
    let mut out = vec![];
    for mut record in rows {
        let items = match record.get_mut(key).map(Value::take) {
            Some(Value::Array(items)) => items,
            _ => continue,
        };
        for mut item in items {
            if let Value::Object(fields) = &mut item {
                fields.insert(PARENT_RECORD.to_string(), record.clone());
                out.push(item);
            }
        }
    }
    out
}

fn children(
    client: Client,
    def: &'static TableDef,
    parents: Option<Vec<String>>,
    params: Vec<(String, String)>,
) -> BoxStream<'static, Result<Vec<Value>, Error>> {
    let parent = def.parent.expect("child table");
    let keys: BoxStream<'static, Result<Vec<String>, Error>> = match parents {
        Some(keys) => stream::iter([Ok(keys)]).boxed(),
        None => {
            let table = catalog::table(parent.table).expect("parent table in the catalog");
            let id = Some(Arc::new(BTreeSet::from(["id".to_string()])));
            walk(client.clone(), table, vec![], None, id, false)
                .map(|rows| {
                    let rows = rows?.into_values()?;
                    Ok(rows.iter().filter_map(|r| key_text(r.get("id")?)).collect())
                })
                .boxed()
        }
    };
    let group = match parent.fetch {
        ChildFetch::PerParent => 1,
        ChildFetch::Batched { max, .. } => max,
    };
    keys.map_ok(move |keys| {
        let groups: Vec<Vec<String>> = keys.chunks(group).map(<[String]>::to_vec).collect();
        stream::iter(groups.into_iter().map(Ok))
    })
    .try_flatten()
    .map_ok(move |keys| child_list(client.clone(), def, keys, params.clone()))
    .try_buffered(CHILD_CONCURRENCY)
    .boxed()
}

/// Every child row of these parents, each carrying its parent's key.
async fn child_list(
    client: Client,
    def: &'static TableDef,
    keys: Vec<String>,
    params: Vec<(String, String)>,
) -> Result<Vec<Value>, Error> {
    let parent = def.parent.expect("child table");
    let mut params = params;
    match parent.fetch {
        // the parent's key is written into the path
        ChildFetch::PerParent => params.push(("{id}".into(), keys[0].clone())),
        ChildFetch::Batched { param, .. } => params.push((param.into(), keys.join(","))),
    }
    let pages: Vec<Vec<Value>> = match list(client, def, params, None, None, false)
        .map(|rows| rows?.into_values())
        .try_collect()
        .await
    {
        // a parent gone since it was listed, or a one-row child it does not have (a person
        // without a picture): no rows
        Err(e) if e.kind == ErrorKind::NotFound && parent.fetch == ChildFetch::PerParent => {
            vec![]
        }
        pages => pages?,
    };
    let mut rows: Vec<Value> = pages.into_iter().flatten().collect();
    // a list of one parent's rows: they are that parent's, whether they say so or not
    if let [key] = keys.as_slice() {
        let key = key
            .parse::<i64>()
            .map_or(Value::from(key.clone()), Value::from);
        for row in &mut rows {
            if let Value::Object(fields) = row {
                fields.entry(parent.field).or_insert_with(|| key.clone());
            }
        }
    }
    Ok(rows)
}

fn key_text(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

//! One page of a list: what to list, the request for the page starting at a cursor or an
//! offset, how its answer is read (its rows, or first only what a walk needs to go on, and where
//! the next page starts), and a page request running on its own task that is cancelled when
//! dropped. Shared by the sequential walk ([`crate::paging`]) and the windowed one
//! ([`crate::windows`]).

use crate::client::{decoded, decoded_text, owned_text_of, Client};
use crate::endpoint::ApiVersion;
use crate::error::{Error, ErrorKind};
use crate::json::Json;
use crate::page_body::{self, Outline};
use roaring::RoaringTreemap;
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, OnceLock};
use tokio::task::{JoinError, JoinHandle};

/// One page of a list.
#[derive(Debug, Clone)]
pub struct Page {
    pub rows: Rows,
}

/// A page's rows: decoded, or still in the page's answer.
#[derive(Debug, Clone)]
pub enum Rows {
    Values(Vec<Value>),
    /// Read where they lie ([`Answer::rows`]) by whoever converts them.
    Answer(Answer),
}

impl Rows {
    pub fn len(&self) -> usize {
        match self {
            Rows::Values(rows) => rows.len(),
            Rows::Answer(answer) => answer.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows as values (an answer's decoded).
    pub fn into_values(self) -> Result<Vec<Value>, Error> {
        match self {
            Rows::Values(rows) => Ok(rows),
            Rows::Answer(answer) => Ok(answer.rows()?.into_iter().map(Value::from).collect()),
        }
    }

    /// Keeps the first `n` rows.
    pub fn truncate(&mut self, n: usize) {
        match self {
            Rows::Values(rows) => rows.truncate(n),
            Rows::Answer(answer) => answer.take = answer.take.min(n),
        }
    }
}

/// A list page's answer, checked as UTF-8, and which of its rows are the page's.
#[derive(Debug, Clone)]
pub struct Answer {
    body: String,
    what: String,
    req: ListRequest,
    repeats: Repeats,
    /// The rows in the answer (at most, while they are unread).
    count: usize,
    /// The most rows handed out.
    take: usize,
}

/// The ids a walk has handed out, shared with the answers it hands out unread.
pub(crate) type HandedOut = Arc<Mutex<RoaringTreemap>>;

/// Which rows of an answer are not the page's, being handed out before with another page.
#[derive(Debug, Clone)]
pub(crate) enum Repeats {
    /// Their positions, ascending, found by the walk from the answer's outline.
    At(Vec<usize>),
    /// Found when the rows are first read: those whose id is among the walk's handed out; the
    /// others' ids join them then. Found once for the answer and its clones (with the count of
    /// the answer's rows), so reading it again gives the same rows.
    Unread {
        handed_out: HandedOut,
        found: Arc<OnceLock<(usize, Vec<usize>)>>,
    },
}

impl Repeats {
    pub(crate) fn unread(handed_out: HandedOut) -> Repeats {
        Repeats::Unread {
            handed_out,
            found: Arc::default(),
        }
    }

    /// The positions of the rows with these `ids` that are repeats, ascending: those whose id
    /// was handed out (before, or earlier among them); the others' ids are handed out now. A
    /// row without an id is never one.
    pub(crate) fn found(
        ids: impl Iterator<Item = Option<i64>>,
        handed_out: &HandedOut,
    ) -> Vec<usize> {
        let mut handed_out = handed_out.lock().unwrap_or_else(|p| p.into_inner());
        ids.enumerate()
            .filter(|(_, id)| id.is_some_and(|id| !handed_out.insert(id as u64)))
            .map(|(i, _)| i)
            .collect()
    }

    /// Their positions among `rows`, ascending.
    fn among(&self, rows: &[Json]) -> &[usize] {
        match self {
            Repeats::At(at) => at,
            Repeats::Unread { handed_out, found } => {
                let (_, at) = found.get_or_init(|| {
                    let at = Repeats::found(rows.iter().map(whole_id), handed_out);
                    (rows.len(), at)
                });
                at
            }
        }
    }
}

/// A row's id when it is a whole number (the last `id` of the row, as the outline reads it).
fn whole_id(row: &Json) -> Option<i64> {
    let Json::Object(entries) = row else {
        return None;
    };
    match entries.iter().rev().find(|(k, _)| k == "id") {
        Some((_, Json::Number(n))) => n.as_i64(),
        _ => None,
    }
}

impl Answer {
    /// The page's rows, read as for a decoded page of its request (only the keys it keeps),
    /// their strings borrowed from the answer where they have no escapes.
    pub fn rows(&self) -> Result<Vec<Json<'_>>, Error> {
        let body = decoded_text(&self.body, &self.what, |text| body_of(text, &self.req))?;
        let rows = rows_in(parts(body).0, &self.req)?;
        let mut skip = self.repeats.among(&rows).iter().peekable();
        Ok(rows
            .into_iter()
            .enumerate()
            .filter(|(i, _)| skip.next_if_eq(&i).is_none())
            .map(|(_, row)| row)
            .take(self.take)
            .collect())
    }

    /// The page's rows: exactly once they are known, at most while the answer is unread.
    pub fn len(&self) -> usize {
        let (rows, repeats) = match &self.repeats {
            Repeats::At(at) => (self.count, at.len()),
            Repeats::Unread { found, .. } => found
                .get()
                .map_or((self.count, 0), |(rows, at)| (*rows, at.len())),
        };
        (rows - repeats).min(self.take)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Next {
    Cursor(Option<String>),
    Offset(usize),
}

/// A page's rows and where the page after it starts (none after the last).
pub(crate) struct Fetched {
    pub(crate) rows: Vec<Value>,
    pub(crate) next: Option<Next>,
}

/// A spawned page request that is cancelled when dropped.
pub(crate) struct InFlight<T = Result<Fetched, Error>>(pub(crate) JoinHandle<T>);

/// What a page task ended with: its own result, or a Cancelled error saying that `what` stopped
/// (the task was aborted or panicked).
pub(crate) fn joined<T>(
    ended: Result<Result<T, Error>, JoinError>,
    what: &str,
) -> Result<T, Error> {
    ended.unwrap_or_else(|e| {
        Err(Error::new(
            ErrorKind::Cancelled,
            format!("{what} stopped: {e}"),
        ))
    })
}

impl<T> Drop for InFlight<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// What to list: `path` below `/api/v1` or `/api/v2`, with its filters.
#[derive(Debug, Clone)]
pub struct ListRequest {
    pub version: ApiVersion,
    pub path: String,
    pub query: Vec<(String, String)>,
    /// Stop after this many rows (and ask for no more than that).
    pub max_rows: Option<usize>,
    /// The key under `data` that holds the rows, for lists answered as `data: {key: [...]}`.
    pub rows_at: Option<String>,
    /// The answer's `data` is one object, the only row (the current user, a role's settings).
    pub one_row: bool,
    /// The keys of each row the caller reads (`None`: all): the others are skipped while the
    /// answer is decoded (see [`crate::page_body`]).
    pub keep: Option<Arc<BTreeSet<String>>>,
}

impl ListRequest {
    pub fn new(version: ApiVersion, path: impl Into<String>) -> Self {
        ListRequest {
            version,
            path: path.into(),
            query: vec![],
            max_rows: None,
            rows_at: None,
            one_row: false,
            keep: None,
        }
    }
    pub fn param(mut self, key: &str, value: impl ToString) -> Self {
        self.query.push((key.to_string(), value.to_string()));
        self
    }
    pub fn max_rows(mut self, n: usize) -> Self {
        self.max_rows = Some(n);
        self
    }
}

/// The page starting at `next`, of at most `limit` rows.
pub(crate) async fn fetch(
    client: &Client,
    req: &ListRequest,
    next: Next,
    limit: usize,
) -> Result<Fetched, Error> {
    let query = page_query(req, &next, limit);
    let (bytes, what) = client.get_bytes(req.version, &req.path, &query).await?;
    let (data, extra) = parts(decoded(&bytes, &what, |text| body_of(text, req))?);
    let rows: Vec<Value> = rows_in(data, req)?.into_iter().map(Value::from).collect();
    let next = following(next, &Value::from(extra), rows.len());
    Ok(Fetched { rows, next })
}

/// An answer to `req` decoded with only the keys it keeps of each row (all keys without them).
fn body_of<'t>(text: &'t str, req: &ListRequest) -> serde_json::Result<Json<'t>> {
    page_body::decode(text, req.keep.as_deref())
}

/// The query of the page starting at `next`, of at most `limit` rows.
fn page_query(req: &ListRequest, next: &Next, limit: usize) -> Vec<(String, String)> {
    let mut query = req.query.clone();
    query.push(("limit".into(), limit.to_string()));
    match next {
        Next::Cursor(Some(c)) => query.push(("cursor".into(), c.clone())),
        Next::Offset(start) if *start > 0 => query.push(("start".into(), start.to_string())),
        _ => {}
    }
    query
}

/// Where the page after the one that started at `next` and held `rows` rows starts, from its
/// answer's `additional_data`.
fn following(next: Next, extra: &Value, rows: usize) -> Option<Next> {
    // some v1 lists page by cursor too (changelogs): the answer says which
    let cursor = extra.get("next_cursor").and_then(Value::as_str);
    match (next, cursor) {
        (_, Some(c)) => Some(Next::Cursor(Some(c.to_string()))),
        (Next::Cursor(_), None) => None,
        (Next::Offset(start), None) => {
            let p = extra.get("pagination").unwrap_or(extra);
            (p.get("more_items_in_collection") == Some(&Value::Bool(true))).then(|| {
                Next::Offset(
                    p.get("next_start")
                        .and_then(Value::as_u64)
                        .map_or(start + rows, |n| n as usize),
                )
            })
        }
    }
}

/// A page of a cursor walk read in outline (see [`page_body::outline`]): what the walk needs
/// to go on, the rows still in the answer until [`Outlined::answer`] hands them out.
pub(crate) struct Outlined {
    /// The answer, checked as UTF-8 once for the outline and the rows.
    body: String,
    what: String,
    /// None for a last page taken unread (see [`outlined_page`]).
    outline: Option<Outline>,
    pub(crate) next: Option<Next>,
}

impl Outlined {
    /// The cursor of the page after this one.
    pub(crate) fn next_cursor(&self) -> Option<&str> {
        match &self.next {
            Some(Next::Cursor(c)) => c.as_deref(),
            _ => None,
        }
    }

    /// Whether the page was taken unread: its rows' ids and times are not known.
    pub(crate) fn unread(&self) -> bool {
        self.outline.is_none()
    }

    /// Each row's id (none known of a page taken unread).
    pub(crate) fn ids(&self) -> &[Option<i64>] {
        self.outline.as_ref().map_or(&[], |o| &o.ids)
    }

    /// Each row's update time (none known of a page taken unread).
    pub(crate) fn times(&self) -> &[Option<String>] {
        self.outline.as_ref().map_or(&[], |o| &o.times)
    }

    /// The page's rows still in its answer, read as for a decoded page of `req`, less the
    /// `repeats`; `most` bounds the rows of a page taken unread.
    pub(crate) fn answer(self, req: &ListRequest, repeats: Repeats, most: usize) -> Answer {
        Answer {
            count: self.outline.as_ref().map_or(most, |o| o.ids.len()),
            body: self.body,
            what: self.what,
            req: req.clone(),
            repeats,
            take: usize::MAX,
        }
    }
}

/// One page of a cursor walk starting after `cursor`, read in outline with the rows' update
/// times in `time_field`. `data` that is no list is an error here, as for a decoded page.
///
/// With `unread_if_last`, a page whose text ends saying that no page follows
/// ([`page_body::ends_the_list`]) is not outlined: its rows are read once, by whoever converts
/// them (a walk that needs no more of its last page saves a pass over it). Only when the rows
/// are read with their ids (which find the rows handed out before).
pub(crate) async fn outlined_page(
    client: &Client,
    req: &ListRequest,
    cursor: Option<String>,
    time_field: &str,
    unread_if_last: bool,
) -> Result<Outlined, Error> {
    let next = Next::Cursor(cursor);
    let query = page_query(req, &next, client.page_size());
    let (bytes, what) = client.get_bytes(req.version, &req.path, &query).await?;
    let body = owned_text_of(Vec::from(bytes), &what)?;
    let with_ids = req.keep.as_ref().is_none_or(|keep| keep.contains("id"));
    if unread_if_last && with_ids && page_body::ends_the_list(&body) {
        return Ok(Outlined {
            body,
            what,
            outline: None,
            next: None,
        });
    }
    let outline = decoded_text(&body, &what, |text| page_body::outline(text, time_field))?;
    if let Some(kind) = outline.not_a_list {
        return Err(not_a_list(req, kind));
    }
    let next = following(next, &outline.additional, outline.ids.len());
    Ok(Outlined {
        body,
        what,
        outline: Some(outline),
        next,
    })
}

/// An answer's `data` and `additional_data` (null when missing or the answer is no object).
pub(crate) fn parts(body: Json<'_>) -> (Json<'_>, Json<'_>) {
    let (mut data, mut extra) = (Json::Null, Json::Null);
    if let Json::Object(entries) = body {
        for (key, value) in entries {
            match key.as_ref() {
                "data" => data = value,
                "additional_data" => extra = value,
                _ => {}
            }
        }
    }
    (data, extra)
}

/// The rows of a list's `data`: its array (or the array under `data.<rows_at>`); none for a
/// missing or null `data`; anything else is an error.
pub(crate) fn rows_in<'a>(data: Json<'a>, req: &ListRequest) -> Result<Vec<Json<'a>>, Error> {
    let data = match (&req.rows_at, data) {
        (Some(key), Json::Object(entries)) => entries
            .into_iter()
            .find(|(k, _)| k == key)
            .map_or(Json::Null, |(_, v)| v),
        (Some(_), _) => Json::Null,
        (None, data) => data,
    };
    match data {
        Json::Array(rows) => Ok(rows),
        row @ Json::Object(_) if req.one_row => Ok(vec![row]),
        Json::Null => Ok(vec![]),
        other => Err(not_a_list(req, kind_of(&other))),
    }
}

fn not_a_list(req: &ListRequest, kind: &str) -> Error {
    Error::new(
        ErrorKind::Decode,
        format!("GET {}: data is not a list ({kind})", req.path),
    )
}

fn kind_of(v: &Json) -> &'static str {
    match v {
        Json::Object(_) => "an object",
        Json::String(_) => "text",
        _ => "a scalar",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_outlined_page_answers_its_rows_with_the_keys_kept_less_those_skipped() {
        let text = r#"{"data": [{"id": 1, "a": 1, "b": 2}, {"id": 2, "a": 3}, 4, {"id": 5}],
                       "additional_data": {"next_cursor": "n"}}"#;
        let a: BTreeSet<String> = ["id", "a"].iter().map(|k| k.to_string()).collect();
        // (keys kept, rows skipped, rows kept at most, the rows)
        let cases: [(Option<&BTreeSet<String>>, &[usize], usize, Value); 6] = [
            (
                None,
                &[],
                9,
                json!([{"id": 1, "a": 1, "b": 2}, {"id": 2, "a": 3}, 4, {"id": 5}]),
            ),
            (
                Some(&a),
                &[],
                9,
                json!([{"id": 1, "a": 1}, {"id": 2, "a": 3}, 4, {"id": 5}]),
            ),
            (Some(&a), &[0, 2], 9, json!([{"id": 2, "a": 3}, {"id": 5}])),
            (Some(&a), &[0, 2], 1, json!([{"id": 2, "a": 3}])),
            (None, &[1], 0, json!([])),
            (None, &[0, 1, 2, 3], 9, json!([])),
        ];
        for (keep, skip, take, rows) in cases {
            let page = Outlined {
                body: text.to_string(),
                what: "GET /v2/x".into(),
                outline: Some(page_body::outline(text, "update_time").unwrap()),
                next: None,
            };
            let mut req = ListRequest::new(ApiVersion::V2, "/x");
            req.keep = keep.map(|k| Arc::new(k.clone()));
            let mut got = Rows::Answer(page.answer(&req, Repeats::At(skip.to_vec()), 0));
            got.truncate(take);
            let expected = rows.as_array().unwrap().len();
            assert_eq!(got.len(), expected, "keep {keep:?}, skip {skip:?}");
            let got = got.into_values().expect("decodes");
            assert_eq!(Value::Array(got), rows, "keep {keep:?}, skip {skip:?}");
        }
    }

    #[test]
    fn pages_taken_unread_give_each_id_once_in_the_order_they_are_read() {
        let answer = |ids: &str| {
            format!(r#"{{"data": [{ids}], "additional_data": {{"next_cursor": null}}}}"#)
        };
        let unread = |text: String, handed_out: &HandedOut| {
            let page = Outlined {
                body: text,
                what: "GET /v2/x".into(),
                outline: None,
                next: None,
            };
            let req = ListRequest::new(ApiVersion::V2, "/x");
            page.answer(&req, Repeats::unread(handed_out.clone()), 500)
        };
        let ids = |a: &Answer| -> Vec<Value> {
            let rows = a.rows().expect("decodes");
            rows.into_iter()
                .map(|r| Value::from(r)["id"].clone())
                .collect()
        };
        // 1 and 2 were handed out with an outlined page; rows without a whole-number id are
        // never repeats
        let handed_out: HandedOut = Arc::new(Mutex::new([1u64, 2].into_iter().collect()));
        let first = unread(
            answer(r#"{"id": 2}, {"id": 3}, {"id": "x"}, {"id": 4}, {"id": 3}"#),
            &handed_out,
        );
        let second = unread(answer(r#"{"id": 4}, {"id": 5}, 6"#), &handed_out);
        let copy = second.clone();
        assert_eq!(first.len(), 500, "at most a page while unread");
        // the second is read first: its 4 is its own, and a repeat of the first
        assert_eq!(ids(&copy), vec![json!(4), json!(5), Value::Null]);
        assert_eq!(second.len(), 3);
        assert_eq!(ids(&first), vec![json!(3), json!("x")]);
        assert_eq!(first.len(), 2);
        // read again, or through a clone: the same rows
        assert_eq!(ids(&first), vec![json!(3), json!("x")]);
        assert_eq!(ids(&second), vec![json!(4), json!(5), Value::Null]);
        let mut cut = Rows::Answer(second);
        cut.truncate(1);
        assert_eq!(cut.len(), 1);
        let expected: RoaringTreemap = [1u64, 2, 3, 4, 5].into_iter().collect();
        assert_eq!(*handed_out.lock().unwrap(), expected);
    }

    #[test]
    fn rows_lie_in_data_or_under_a_key_of_it() {
        // (answer, rows_at, one_row, the rows or the error's words)
        let cases: [(&str, Option<&str>, bool, Result<Value, &str>); 7] = [
            (
                r#"{"data": [{"id": 1}]}"#,
                None,
                false,
                Ok(json!([{"id": 1}])),
            ),
            (
                r#"{"data": {"items": [1]}}"#,
                Some("items"),
                false,
                Ok(json!([1])),
            ),
            (
                r#"{"data": {"other": [1]}}"#,
                Some("items"),
                false,
                Ok(json!([])),
            ),
            (r#"{"data": [1]}"#, Some("items"), false, Ok(json!([]))),
            (r#"{"data": {"id": 7}}"#, None, true, Ok(json!([{"id": 7}]))),
            (
                r#"{"data": {"id": 7}}"#,
                None,
                false,
                Err("data is not a list (an object)"),
            ),
            (
                r#"{"data": "x", "success": true}"#,
                None,
                false,
                Err("(text)"),
            ),
        ];
        for (text, rows_at, one_row, expected) in cases {
            let mut req = ListRequest::new(ApiVersion::V2, "/x");
            req.rows_at = rows_at.map(String::from);
            req.one_row = one_row;
            let body = body_of(text, &req).unwrap();
            let got = rows_in(parts(body).0, &req)
                .map(|rows| Value::Array(rows.into_iter().map(Value::from).collect()));
            match (got, expected) {
                (Ok(got), Ok(rows)) => assert_eq!(got, rows, "{text}"),
                (Err(e), Err(words)) => assert!(e.to_string().contains(words), "{text}: {e}"),
                (got, _) => panic!("{text}: {got:?}"),
            }
        }
    }
}

//! Sending a write: every row becomes one request, several in flight at once under the shared
//! rate budget. After a failure nothing more is started (the requests in flight finish), and
//! the report says which rows were written and which were not. A write is never sent twice
//! unless the API certainly did not process it (the client's retry rule).

use super::body::{body, cell};
use super::{Op, Write};
use crate::catalog::Verb;
use crate::convert::{scalar_text, to_batch};
use crate::error::EngineError;
use datafusion::arrow::record_batch::RecordBatch;
use futures_util::stream::{self, StreamExt};
use pipedrive_api::{ApiVersion, Method};
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicBool, Ordering};

/// Requests in flight at once for one statement (the rate budget still paces them).
const IN_FLIGHT: usize = 8;

/// What happened to one parameter set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetStatus {
    /// Every row of the set was written (the count).
    Done(u64),
    /// A row of the set failed (rows before it may be written: see the error).
    Failed,
    /// Nothing of the set was sent.
    NotRun,
}

/// The outcome of a write over one or more parameter sets.
pub struct Report {
    pub sets: Vec<SetStatus>,
    /// Rows written.
    pub affected: u64,
    /// The written rows (as the API answered them; deleted rows as they were), for RETURNING.
    pub rows: Vec<RecordBatch>,
    /// Why it stopped, naming what was and was not written.
    pub error: Option<EngineError>,
    /// The records the API answered for rows inserted or updated, and the keys of rows
    /// deleted (for the local cache).
    pub written: Vec<Value>,
    pub deleted: Vec<String>,
}

/// What one row of a write becomes.
struct Job {
    set: usize,
    row: usize,
    method: Method,
    path: String,
    body: Option<Value>,
    /// The row's key and its parent's key (child tables), for bulk requests.
    key: Option<String>,
    parent: Option<String>,
}

/// One API request: the rows it writes (indexes into the jobs), and what is sent.
struct Request {
    members: Vec<usize>,
    method: Method,
    path: String,
    body: Option<Value>,
}

#[derive(Clone)]
enum Outcome {
    Written(Value),
    Failed(EngineError),
    NotSent,
}

impl Write {
    /// The request each input row becomes; any row that cannot be written stops it all.
    fn jobs(&self, sets: &[Vec<RecordBatch>]) -> Result<Vec<Job>, (usize, usize, EngineError)> {
        let schema = &self.table.schema;
        let def = schema.def;
        let writes = def.writes.expect("checked at planning");
        let index_of = |name: &str| schema.columns.iter().position(|c| c.name == name);
        let key = index_of(def.key);
        let parent = def.parent.and_then(|p| index_of(p.column));
        let mut jobs = vec![];
        for (set, batches) in sets.iter().enumerate() {
            let mut row_in_set = 0;
            for batch in batches {
                for row in 0..batch.num_rows() {
                    let at = row_in_set;
                    row_in_set += 1;
                    let fail = |e: EngineError| (set, at, e);
                    let text_at = |i: Option<usize>| -> Result<Option<String>, EngineError> {
                        Ok(match i {
                            Some(i) => scalar_text(&cell(batch, i, row)?),
                            None => None,
                        })
                    };
                    let row_key = text_at(key).map_err(fail)?;
                    let row_parent = text_at(parent).map_err(fail)?;
                    let null = |name: &str| {
                        EngineError::constraint(format!("{}.{name} cannot be NULL", def.name))
                    };
                    let fill = |template: &str| -> Result<String, EngineError> {
                        let mut path = template.to_string();
                        for (slot, value, column) in [
                            ("{parent}", &row_parent, def.parent.map_or("", |p| p.column)),
                            ("{id}", &row_key, def.key),
                        ] {
                            if path.contains(slot) {
                                let value = value.as_deref().ok_or_else(|| null(column))?;
                                path = path.replace(slot, value);
                            }
                        }
                        Ok(path)
                    };
                    // columns every row must have: all of them in an INSERT, and an UPDATE
                    // may not clear those it sets
                    let must_have: Vec<usize> = match self.op {
                        Op::Insert => writes
                            .required
                            .iter()
                            .map(|r| {
                                index_of(r)
                                    .ok_or_else(|| fail(EngineError::internal(r.to_string())))
                            })
                            .collect::<Result<_, _>>()?,
                        Op::Update => self
                            .touched
                            .iter()
                            .copied()
                            .filter(|&i| writes.required.contains(&schema.columns[i].name.as_str()))
                            .collect(),
                        Op::Delete => vec![],
                    };
                    for i in must_have {
                        if cell(batch, i, row).map_err(fail)?.is_null() {
                            return Err(fail(null(&schema.columns[i].name)));
                        }
                    }
                    let (method, template, body) = match self.op {
                        Op::Insert => {
                            self.read_only_unset(batch, row).map_err(fail)?;
                            let b = body(schema, batch, row, &self.touched, true).map_err(fail)?;
                            (Method::POST, writes.insert.expect("checked"), Some(b))
                        }
                        Op::Update => {
                            let (verb, template) = writes.update.expect("checked");
                            let method = match verb {
                                Verb::Put => Method::PUT,
                                Verb::Patch => Method::PATCH,
                            };
                            let b = body(schema, batch, row, &self.touched, false).map_err(fail)?;
                            (method, template, Some(b))
                        }
                        Op::Delete => (Method::DELETE, writes.delete.expect("checked"), None),
                    };
                    let job = Job {
                        set,
                        row: at,
                        method,
                        path: fill(template).map_err(fail)?,
                        body: body.map(Value::Object),
                        key: row_key,
                        parent: row_parent,
                    };
                    jobs.push(job);
                }
            }
        }
        Ok(jobs)
    }

    /// The requests the jobs become: one each, but deletes where the API has a bulk endpoint
    /// go by up to its limit of ids a request (per parent row for child tables).
    fn requests(&self, jobs: &[Job]) -> Vec<Request> {
        let bulk = self.table.schema.def.writes.and_then(|w| w.bulk_delete);
        let (Op::Delete, Some((template, max))) = (self.op, bulk) else {
            return jobs
                .iter()
                .enumerate()
                .map(|(i, j)| Request {
                    members: vec![i],
                    method: j.method.clone(),
                    path: j.path.clone(),
                    body: j.body.clone(),
                })
                .collect();
        };
        // rows grouped by the collection they are deleted from, in order of first appearance
        let mut groups: Vec<(String, Vec<usize>)> = vec![];
        for (i, j) in jobs.iter().enumerate() {
            let at = template.replace("{parent}", j.parent.as_deref().unwrap_or_default());
            match groups.iter_mut().find(|(p, _)| *p == at) {
                Some((_, members)) => members.push(i),
                None => groups.push((at, vec![i])),
            }
        }
        let mut out = vec![];
        for (at, members) in groups {
            for chunk in members.chunks(max.max(1)) {
                let ids: Vec<&str> = chunk
                    .iter()
                    .filter_map(|&i| jobs[i].key.as_deref())
                    .collect();
                out.push(Request {
                    members: chunk.to_vec(),
                    method: Method::DELETE,
                    path: format!("{at}?ids={}", ids.join(",")),
                    body: None,
                });
            }
        }
        out
    }

    /// An INSERT without a column list may not give read-only columns a value.
    fn read_only_unset(&self, batch: &RecordBatch, row: usize) -> Result<(), EngineError> {
        let schema = &self.table.schema;
        let writes = schema.def.writes.expect("checked");
        for &i in &self.touched {
            let c = &schema.columns[i];
            if c.standard && !writes.writable(&c.name) && !cell(batch, i, row)?.is_null() {
                return Err(EngineError::syntax(format!(
                    "{}.{} is read only: give it NULL or leave it out",
                    schema.def.name, c.name
                )));
            }
        }
        Ok(())
    }

    /// The API's answer to a write as a record of the table (deleted rows: as they were).
    fn record(&self, job: &Job, answer: Value) -> Value {
        let mut record = match answer {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        if let Some(p) = self.table.schema.def.parent {
            if !record.contains_key(p.field) {
                let parent = job.parent.as_deref().and_then(|s| s.parse::<i64>().ok());
                record.insert(p.field.to_string(), parent.into());
            }
        }
        Value::Object(record)
    }
}

/// Runs a write over its parameter sets' input rows (`sets[i]`: the rows set i writes).
pub async fn run(write: &Write, sets: Vec<Vec<RecordBatch>>) -> Report {
    let n_sets = sets.len();
    let many = n_sets > 1;
    let name = write.table.schema.def.name;
    let verb = write.op.verb();
    let jobs = match write.jobs(&sets) {
        Ok(jobs) => jobs,
        Err((set, row, e)) => {
            let mut sets_status = vec![SetStatus::NotRun; n_sets];
            sets_status[set] = SetStatus::Failed;
            let at = if many {
                format!("parameter set {}", set + 1)
            } else {
                format!("row {}", row + 1)
            };
            return Report {
                sets: sets_status,
                affected: 0,
                rows: vec![],
                written: vec![],
                deleted: vec![],
                error: Some(EngineError::new(
                    e.kind,
                    format!("{verb} {name}: {at}: {}; nothing was written", e.message),
                )),
            };
        }
    };
    let version = write
        .table
        .schema
        .def
        .writes
        .map_or(ApiVersion::V2, |w| w.version);
    let client = write.table.client();
    let stop = AtomicBool::new(false);
    let requests = write.requests(&jobs);
    let answered: Vec<Outcome> = stream::iter(&requests)
        .map(|request| {
            let stop = &stop;
            async move {
                if stop.load(Ordering::SeqCst) {
                    return Outcome::NotSent;
                }
                match client
                    .write(
                        request.method.clone(),
                        version,
                        &request.path,
                        request.body.as_ref(),
                    )
                    .await
                {
                    Ok(answer) => Outcome::Written(answer),
                    Err(e) => {
                        stop.store(true, Ordering::SeqCst);
                        Outcome::Failed(e.into())
                    }
                }
            }
        })
        .buffered(IN_FLIGHT)
        .collect()
        .await;
    // each row shares the outcome of the request that carried it
    let mut outcomes = vec![Outcome::NotSent; jobs.len()];
    for (request, outcome) in requests.iter().zip(answered) {
        for &i in &request.members {
            outcomes[i] = outcome.clone();
        }
    }
    report(write, &sets, &jobs, outcomes, many)
}

fn report(
    write: &Write,
    sets: &[Vec<RecordBatch>],
    jobs: &[Job],
    outcomes: Vec<Outcome>,
    many: bool,
) -> Report {
    let name = write.table.schema.def.name;
    let unit = if many { "parameter set" } else { "row" };
    let mut status = vec![SetStatus::Done(0); sets.len()];
    let mut written_units = vec![];
    let mut failed_units = vec![];
    let mut unsent_units = vec![];
    let mut ids = vec![];
    let mut records = vec![];
    let mut first_error: Option<EngineError> = None;
    let mut affected = 0;
    let key_path = write
        .table
        .schema
        .column(write.table.schema.def.key)
        .and_then(|c| match &c.source {
            crate::schema::Source::Path(p) => Some(p.clone()),
            _ => None,
        });
    for (job, outcome) in jobs.iter().zip(outcomes) {
        let unit_no = if many { job.set } else { job.row } + 1;
        match outcome {
            Outcome::Written(answer) => {
                affected += 1;
                if let SetStatus::Done(n) = &mut status[job.set] {
                    *n += 1;
                }
                written_units.push(unit_no);
                let record = write.record(job, answer);
                if let Some(id) = key_path
                    .as_ref()
                    .and_then(|p| p.iter().try_fold(&record, |v, k| v.get(k)))
                {
                    ids.push(id.to_string().trim_matches('"').to_string());
                }
                records.push((job, record));
            }
            Outcome::Failed(e) => {
                status[job.set] = SetStatus::Failed;
                failed_units.push(unit_no);
                if first_error.is_none() {
                    first_error = Some(EngineError::new(
                        e.kind,
                        format!("{unit} {unit_no}: {}", e.message),
                    ));
                }
            }
            Outcome::NotSent => {
                status[job.set] = unsent(status[job.set]);
                unsent_units.push(unit_no);
            }
        }
    }
    // parameter sets whose statement matched no row stay Done(0)
    let (written, deleted) = match write.op {
        Op::Delete => (vec![], ids.clone()),
        _ => (records.iter().map(|(_, r)| r.clone()).collect(), vec![]),
    };
    let rows = returned_rows(write, sets, records);
    let error = first_error.map(|e| {
        written_units.dedup();
        unsent_units.dedup();
        let mut message = format!("{} {name} stopped: {}.", write.op.verb(), e.message);
        message.push_str(&format!(
            " Written: {}",
            if written_units.is_empty() {
                "none".into()
            } else {
                format!("{unit}s {}", ranges(&written_units))
            }
        ));
        if !ids.is_empty() && write.op == Op::Insert {
            message.push_str(&format!(" ({} {})", write.table.schema.def.key, list(&ids)));
        }
        message.push_str(&format!(
            "; failed: {unit}s {}; not sent: {}.",
            ranges(&failed_units),
            if unsent_units.is_empty() {
                "none".into()
            } else {
                format!("{unit}s {}", ranges(&unsent_units))
            }
        ));
        EngineError::new(e.kind, message)
    });
    Report {
        sets: status,
        affected,
        rows,
        error,
        written,
        deleted,
    }
}

/// The written rows as batches of the table: API answers converted, deleted rows as they were.
fn returned_rows(
    write: &Write,
    sets: &[Vec<RecordBatch>],
    records: Vec<(&Job, Value)>,
) -> Vec<RecordBatch> {
    if !write.has_returning() {
        return vec![];
    }
    let schema = &write.table.schema;
    if write.op == Op::Delete {
        let mut out = vec![];
        for (job, _) in &records {
            let mut at = job.row;
            for batch in &sets[job.set] {
                if at < batch.num_rows() {
                    out.push(batch.slice(at, 1));
                    break;
                }
                at -= batch.num_rows();
            }
        }
        return out;
    }
    let values: Vec<Value> = records.into_iter().map(|(_, r)| r).collect();
    to_batch(schema.arrow.clone(), &schema.columns, &values)
        .into_iter()
        .collect()
}

/// A set's status after one of its rows was not sent: nothing of it written yet means it did
/// not run; rows of it already written (or failed) make it a failure.
fn unsent(status: SetStatus) -> SetStatus {
    match status {
        SetStatus::Done(0) | SetStatus::NotRun => SetStatus::NotRun,
        SetStatus::Done(_) | SetStatus::Failed => SetStatus::Failed,
    }
}

/// `1-3, 5, 7-9` of sorted numbers.
fn ranges(numbers: &[usize]) -> String {
    let mut sorted = numbers.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut parts: Vec<String> = vec![];
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        let mut end = start;
        while i + 1 < sorted.len() && sorted[i + 1] == end + 1 {
            i += 1;
            end = sorted[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    parts.join(", ")
}

/// The first ids, then how many more.
fn list(ids: &[String]) -> String {
    const SHOWN: usize = 20;
    let mut text = ids
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > SHOWN {
        text.push_str(&format!(" and {} more", ids.len() - SHOWN));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_with_rows_not_sent_did_not_run_unless_part_of_it_was_written() {
        // two unsent rows of one set: still not run (the second must not turn it into a failure)
        assert_eq!(unsent(unsent(SetStatus::Done(0))), SetStatus::NotRun);
        assert_eq!(unsent(SetStatus::Done(2)), SetStatus::Failed);
        assert_eq!(unsent(SetStatus::Failed), SetStatus::Failed);
    }

    #[test]
    fn numbers_read_as_ranges() {
        assert_eq!(ranges(&[1, 2, 3, 5, 7, 8, 9]), "1-3, 5, 7-9");
        assert_eq!(ranges(&[4]), "4");
        assert_eq!(ranges(&[]), "");
        let ids: Vec<String> = (1..=25).map(|i| i.to_string()).collect();
        assert!(list(&ids).ends_with("20 and 5 more"));
    }
}

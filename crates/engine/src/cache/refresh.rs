//! Bringing a cached table up to date with the fewest requests.
//!
//! - First read, `CACHE RELOAD`, a table the API cannot list by update time, or one whose
//!   deletions it cannot list and that was not read whole for `CacheReconcileInterval`: a read of
//!   the whole table, after which the rows it did not see are gone.
//! - Otherwise the rows changed since the last read began, less [`OVERLAP`] (clock skew between
//!   this machine and the API, rows changed while that read ran), and, for tables that list
//!   their deleted rows (deals: `status=deleted`, 30 days), those deleted since then too: for a
//!   few changes, one request each.
//!
//! Merges are "latest update wins", so refreshes of one table by several processes at once all
//! end right; within a process, a refresh that finished while another waited serves both.

use super::{cacheable, LocalCache};
use crate::api_time::timestamp_micros;
use crate::catalog::{TableDef, UPDATE_TIME};
use crate::error::EngineError;
use crate::fetch::{records, Request};
use crate::pushdown::rfc3339;
use futures_util::stream::{self, BoxStream, StreamExt};
use pipedrive_api::{Error, ListRequest};
use pipedrive_cache::{now, Deletion, Micros, Row, TableState};
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, Mutex};
use tokio::sync::{mpsc, OwnedMutexGuard};
use tokio::task::JoinHandle;

/// Rows updated this long before the last read began are read again.
pub const OVERLAP: Micros = 10 * 60 * 1_000_000;

/// The API lists deleted rows for 30 days: a table last read longer ago (less a day's margin)
/// is read whole.
pub const DELETIONS_LISTED: Micros = 29 * 86_400 * 1_000_000;

/// What a refresh is asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refresh {
    /// Nothing when the table was refreshed within `CacheTolerance`.
    IfStale,
    /// Read what changed now (`CACHE REFRESH`).
    Now,
    /// Read the whole table now (`CACHE RELOAD`).
    Whole,
}

/// The read a refresh makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    Whole,
    /// Rows updated since this time (and deletions since then, where listed).
    ChangedSince(Micros),
}

/// How a table's deletions are found, for the status listing and the documentation.
pub fn deletions_found(def: &TableDef, reconcile_seconds: u64) -> String {
    match (def.updated_since(), def.deleted) {
        (None, _) => "every refresh reads the whole table".into(),
        (Some(_), Some((param, value))) => format!("listed by the API ({param}={value})"),
        (Some(_), None) => format!("a whole read every {reconcile_seconds} s"),
    }
}

/// The read a refresh of `def` makes at `now`, from its state.
pub fn plan(
    def: &TableDef,
    state: Option<&TableState>,
    now: Micros,
    reconcile: Micros,
    asked: Refresh,
) -> Read {
    let Some(state) = state else {
        return Read::Whole;
    };
    let (Some(watermark), Some(_)) = (state.watermark, def.updated_since()) else {
        return Read::Whole;
    };
    let reconciled_lately = state.reconciled_at.is_some_and(|at| now - at < reconcile);
    let whole = match def.deleted {
        _ if asked == Refresh::Whole => true,
        Some(_) => now - watermark > DELETIONS_LISTED,
        None => !reconciled_lately,
    };
    match whole {
        true => Read::Whole,
        false => Read::ChangedSince(watermark - OVERLAP),
    }
}

/// A refresh decided on, holding this process's lock on its table until it completes.
pub struct Pending {
    finished: OwnedMutexGuard<Micros>,
    account: String,
    started: Micros,
    pub read: Read,
}

/// Per cache file, account and table: when this process last finished a refresh.
type Finished = Arc<tokio::sync::Mutex<Micros>>;
type TableKey = (PathBuf, String, &'static str);
static FINISHED: LazyLock<Mutex<HashMap<TableKey, Finished>>> = LazyLock::new(Default::default);

impl LocalCache {
    /// Brings the cached copy of `def` up to date as `asked`; offline, only checks there is one.
    pub async fn refresh(&self, def: &'static TableDef, asked: Refresh) -> Result<(), EngineError> {
        match self.begin(def, asked).await? {
            Some(pending) => self.refresh_with(def, pending).await,
            None => Ok(()),
        }
    }

    /// Decides what a refresh of `def` reads, holding this process's lock on the table until it
    /// completes: `None` when nothing is to be read (refreshed within `CacheTolerance`, or by
    /// another connection of this process while this one waited; offline, a copy is there).
    pub async fn begin(
        &self,
        def: &'static TableDef,
        asked: Refresh,
    ) -> Result<Option<Pending>, EngineError> {
        let account = self.account().await?;
        let finished: Finished = FINISHED
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry((self.store.path().to_path_buf(), account.clone(), def.name))
            .or_default()
            .clone();
        let waited_from = now();
        let finished = finished.lock_owned().await;
        let state = {
            let account = account.clone();
            self.blocking(move |c| c.state(&account, def.name)).await?
        };
        if self.settings.offline {
            return match state {
                Some(_) => Ok(None),
                None => Err(EngineError::cache(format!(
                    "Offline=1, and {} is not in the cache file {}: query it once without \
                     Offline (with AutoCache=1) to cache it",
                    def.name,
                    self.store.path().display()
                ))),
            };
        }
        if let Some(state) = &state {
            let tolerated =
                now() - state.refreshed_at < self.settings.tolerance.as_micros() as Micros;
            let just_done = *finished >= waited_from;
            match asked {
                Refresh::IfStale if tolerated || just_done => return Ok(None),
                Refresh::Now if just_done => return Ok(None),
                _ => {}
            }
        }
        let started = now();
        let reconcile = self.settings.reconcile.as_micros() as Micros;
        let read = plan(def, state.as_ref(), started, reconcile, asked);
        tracing::debug!(parent: self.client.span(), table = def.name, ?read, "refreshing the cached table");
        Ok(Some(Pending {
            finished,
            account,
            started,
            read,
        }))
    }

    /// Reads what `pending` planned, merges it and completes the refresh.
    pub async fn refresh_with(
        &self,
        def: &'static TableDef,
        pending: Pending,
    ) -> Result<(), EngineError> {
        self.read_into(def, &pending).await?;
        self.complete(def, pending).await
    }

    /// Reads what a refresh planned and merges it.
    async fn read_into(
        &self,
        def: &'static TableDef,
        pending: &Pending,
    ) -> Result<(), EngineError> {
        let account = &pending.account;
        match pending.read {
            Read::Whole => {
                let pages = records(self.client.clone(), def, Request::List(vec![]), None, None);
                self.merge_pages(def, account, pages, false).await
            }
            Read::ChangedSince(since) => {
                let changed = walk(&self.client, def, since, None);
                self.merge_pages(def, account, changed, false).await?;
                match def.deleted {
                    Some(deleted) => {
                        let gone = walk(&self.client, def, since, Some(deleted));
                        self.merge_pages(def, account, gone, true).await
                    }
                    None => Ok(()),
                }
            }
        }
    }

    /// Records a refresh whose reads all merged: the sweep after a whole read, the new state.
    pub async fn complete(
        &self,
        def: &'static TableDef,
        pending: Pending,
    ) -> Result<(), EngineError> {
        let Pending {
            mut finished,
            account,
            started,
            read,
        } = pending;
        let whole = read == Read::Whole;
        let state = TableState {
            watermark: def.updated_since().map(|_| started),
            refreshed_at: started,
            reconciled_at: whole.then_some(started),
        };
        self.blocking(move |c| c.finish(&account, def.name, started, whole, &state))
            .await?;
        *finished = now();
        Ok(())
    }

    /// A whole read that answers a query while it fills the cache: each page goes on to the
    /// query as it comes and to a writer off the async threads; after the last, the refresh
    /// completes. A query that stops early (a LIMIT, a closed cursor) leaves the refresh undone
    /// (its merged rows stay: the next read is whole again).
    pub fn whole_read_answering(
        self: Arc<Self>,
        def: &'static TableDef,
        pending: Pending,
        limit: Option<usize>,
    ) -> BoxStream<'static, Result<Vec<Value>, EngineError>> {
        let (sender, mut receiver) = mpsc::channel::<Vec<Value>>(4);
        let (store, account) = (self.store.clone(), pending.account.clone());
        let writer = tokio::task::spawn_blocking(move || {
            while let Some(page) = receiver.blocking_recv() {
                let rows: Vec<Row> = page.iter().map(|r| row(def, r)).collect();
                store.merge(&account, def.name, &rows, &[])?;
            }
            Ok::<_, pipedrive_cache::CacheError>(())
        });
        let pages = records(self.client.clone(), def, Request::List(vec![]), limit, None);
        let state = Some((pages, sender, writer, pending));
        stream::unfold(state, move |state| {
            let cache = self.clone();
            async move {
                let (mut pages, sender, writer, pending) = state?;
                let written = |writer: JoinHandle<Result<(), pipedrive_cache::CacheError>>| async {
                    match writer.await {
                        Ok(done) => done.map_err(super::failure),
                        Err(e) => Err(EngineError::internal(format!(
                            "the cache writer stopped: {e}"
                        ))),
                    }
                };
                match pages.next().await {
                    Some(Ok(page)) => match sender.send(page.clone()).await {
                        Ok(()) => Some((Ok(page), Some((pages, sender, writer, pending)))),
                        Err(_) => {
                            let failed = written(writer).await.err();
                            Some((
                                Err(failed.unwrap_or_else(|| {
                                    EngineError::internal("the cache writer stopped")
                                })),
                                None,
                            ))
                        }
                    },
                    Some(Err(e)) => Some((Err(e.into()), None)),
                    None => {
                        drop(sender);
                        let done = match written(writer).await {
                            Ok(()) => cache.complete(def, pending).await,
                            Err(e) => Err(e),
                        };
                        done.err().map(|e| (Err(e), None))
                    }
                }
            }
        })
        .boxed()
    }

    /// Merges each page of records as it comes (as deletions when `deleted`).
    async fn merge_pages(
        &self,
        def: &'static TableDef,
        account: &str,
        mut pages: BoxStream<'static, Result<Vec<Value>, Error>>,
        deleted: bool,
    ) -> Result<(), EngineError> {
        while let Some(page) = pages.next().await {
            let rows: Vec<Row> = page?.iter().map(|r| row(def, r)).collect();
            let account = account.to_string();
            self.blocking(move |c| match deleted {
                false => c.merge(&account, def.name, &rows, &[]),
                true => {
                    let gone: Vec<Deletion> = rows
                        .into_iter()
                        .map(|r| Deletion {
                            key: r.key,
                            updated: r.updated,
                        })
                        .collect();
                    c.merge(&account, def.name, &[], &gone)
                }
            })
            .await?;
        }
        Ok(())
    }

    /// Keeps what a write through the driver did: the rows as the API answered them, and the
    /// keys deleted. Only tables already cached are kept up to date (another is read whole
    /// when first used); a failure leaves the next refresh to catch up, and is logged.
    pub async fn written(&self, def: &'static TableDef, rows: &[Value], deleted: &[String]) {
        if !cacheable(def) {
            return;
        }
        let kept = async {
            let account = self.account().await?;
            let known = account.clone();
            if self
                .blocking(move |c| c.state(&known, def.name))
                .await?
                .is_none()
            {
                return Ok(());
            }
            // an answer without the update time may be part of a record only: the next refresh
            // reads the row (its update time moved)
            let rows: Vec<Row> = rows
                .iter()
                .map(|r| row(def, r))
                .filter(|r| r.updated.is_some())
                .collect();
            let at = now();
            let gone: Vec<Deletion> = deleted
                .iter()
                .map(|key| Deletion {
                    key: key.clone(),
                    updated: Some(at),
                })
                .collect();
            self.blocking(move |c| c.merge(&account, def.name, &rows, &gone))
                .await
        };
        if let Err(e) = kept.await {
            tracing::warn!(parent: self.client.span(), table = def.name, "the cached copy was not updated after a write (the next refresh will): {}", e.message);
        }
    }
}

/// The rows updated since a time (with the deleted-rows parameter, the deleted ones), walked
/// plainly: for a few changes, one request.
fn walk(
    client: &pipedrive_api::Client,
    def: &'static TableDef,
    since: Micros,
    deleted: Option<(&'static str, &'static str)>,
) -> BoxStream<'static, Result<Vec<Value>, Error>> {
    let mut req = ListRequest::new(def.version, def.path);
    let param = def
        .updated_since()
        .expect("planned for tables listed by update time");
    req.query.push((param.into(), rfc3339(since)));
    if let Some((param, value)) = deleted {
        req.query.push((param.into(), value.into()));
    }
    req.rows_at = def.rows_at.map(String::from);
    client
        .list(req)
        .map(|page| page?.rows.into_values())
        .boxed()
}

/// A record as the cache keeps it: its key (the record itself when it has none), its update
/// time, its JSON text.
fn row(def: &TableDef, record: &Value) -> Row {
    let at = |column: &str| {
        let path = def.column(column)?.path;
        path.split('.').try_fold(record, |v, k| v.get(k))
    };
    let record_text = record.to_string();
    let key = match at(def.key) {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => record_text.clone(),
    };
    Row {
        key,
        updated: at(UPDATE_TIME)
            .and_then(Value::as_str)
            .and_then(timestamp_micros),
        record: record_text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::table;

    const HOUR: Micros = 3600 * 1_000_000;
    const DAY: Micros = 24 * HOUR;

    fn state(watermark: Option<Micros>, reconciled_at: Option<Micros>) -> TableState {
        TableState {
            watermark,
            refreshed_at: watermark.unwrap_or(0),
            reconciled_at,
        }
    }

    #[test]
    fn each_table_is_read_whole_or_by_its_changes_as_its_state_says() {
        let now = 100 * DAY;
        let deals = table("Deals").unwrap();
        let persons = table("Persons").unwrap();
        let users = table("Users").unwrap();
        let recent = state(Some(now - HOUR), Some(now - 2 * HOUR));
        let since = Read::ChangedSince(now - HOUR - OVERLAP);
        let cases: &[(&TableDef, Option<TableState>, Refresh, Read)] = &[
            (deals, None, Refresh::IfStale, Read::Whole),
            (deals, Some(recent.clone()), Refresh::IfStale, since),
            (deals, Some(recent.clone()), Refresh::Now, since),
            (deals, Some(recent.clone()), Refresh::Whole, Read::Whole),
            // deletions listed for 30 days: a month-old copy is read whole
            (
                deals,
                Some(state(Some(now - 30 * DAY), None)),
                Refresh::IfStale,
                Read::Whole,
            ),
            // deletions not listed: changes only while the last whole read is recent enough
            (persons, Some(recent.clone()), Refresh::IfStale, since),
            (
                persons,
                Some(state(Some(now - HOUR), Some(now - 5 * HOUR))),
                Refresh::IfStale,
                Read::Whole,
            ),
            (
                persons,
                Some(state(Some(now - HOUR), None)),
                Refresh::Now,
                Read::Whole,
            ),
            // no update-time filter: always whole
            (users, Some(recent.clone()), Refresh::IfStale, Read::Whole),
        ];
        for (def, state, asked, expected) in cases {
            assert_eq!(
                plan(def, state.as_ref(), now, 4 * HOUR, *asked),
                *expected,
                "{} {state:?} {asked:?}",
                def.name
            );
        }
    }

    #[test]
    fn a_record_is_kept_with_its_key_and_update_time() {
        let deals = table("Deals").unwrap();
        let r = row(
            deals,
            &serde_json::json!({"id": 7, "update_time": "2026-01-02T03:04:05Z"}),
        );
        assert_eq!(r.key, "7");
        assert_eq!(r.updated, timestamp_micros("2026-01-02T03:04:05Z"));
        let notes = table("Notes").unwrap();
        let r = row(
            notes,
            &serde_json::json!({"id": 8, "update_time": "2026-01-02 03:04:05"}),
        );
        assert_eq!(r.updated, timestamp_micros("2026-01-02T03:04:05Z"));
        assert!(deletions_found(deals, 60).contains("status=deleted"));
        assert!(deletions_found(persons(), 60).contains("every 60 s"));
    }

    fn persons() -> &'static TableDef {
        table("Persons").unwrap()
    }
}

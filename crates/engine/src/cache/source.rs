//! A scan answered from the cache: the table refreshed as the settings say, then its rows read
//! back in key order, a page at a time, by a reader off the async threads (memory stays at a
//! few pages however large the table).

use super::refresh::{Read, Refresh};
use super::LocalCache;
use crate::catalog::TableDef;
use crate::error::EngineError;
use crate::fetch::Request;
use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use pipedrive_cache::CacheError;
use serde_json::Value;
use std::sync::Arc;
use tokio::sync::mpsc;

/// Records per page read back.
const PAGE: usize = 500;

/// The pages of records a scan's request gets from the cache: a whole list walked for the first
/// time (or again, by the reconcile rule) answers as it fills the cache; otherwise the table is
/// brought up to date, then read back.
pub fn pages(
    cache: Arc<LocalCache>,
    def: &'static TableDef,
    request: Request,
    limit: Option<usize>,
) -> BoxStream<'static, Result<Vec<Value>, EngineError>> {
    stream::once(async move {
        let whole_list = matches!(&request, Request::List(p) if !p.iter().any(|(k, _)| k == "ids"));
        let rows = match cache.begin(def, Refresh::IfStale).await? {
            Some(pending) if whole_list && pending.read == Read::Whole => {
                return Ok(cache.whole_read_answering(def, pending, limit));
            }
            Some(pending) => {
                let account = cache.account().await?;
                cache.refresh_with(def, pending).await?;
                read(cache, account, def, request)
            }
            None => {
                let account = cache.account().await?;
                read(cache, account, def, request)
            }
        };
        Ok::<_, EngineError>(rows)
    })
    .try_flatten()
    .boxed()
}

fn read(
    cache: Arc<LocalCache>,
    account: String,
    def: &'static TableDef,
    request: Request,
) -> BoxStream<'static, Result<Vec<Value>, EngineError>> {
    let (sender, receiver) = mpsc::channel::<Result<Vec<Value>, EngineError>>(2);
    let store = cache.store.clone();
    tokio::task::spawn_blocking(move || {
        let send = |texts: Vec<String>| sender.blocking_send(parse(def, texts)).is_ok();
        let read = match request {
            Request::Row(key) => store.row(&account, def.name, &key).map(|found| {
                send(found.into_iter().collect());
            }),
            _ => store.read(&account, def.name, PAGE, send),
        };
        if let Err(CacheError(message)) = read {
            let _ = sender.blocking_send(Err(EngineError::cache(message)));
        }
    });
    stream::unfold(receiver, |mut receiver| async move {
        let page = receiver.recv().await?;
        Some((page, receiver))
    })
    .boxed()
}

fn parse(def: &TableDef, texts: Vec<String>) -> Result<Vec<Value>, EngineError> {
    texts
        .iter()
        .map(|t| serde_json::from_str(t))
        .collect::<Result<Vec<Value>, _>>()
        .map_err(|e| {
            EngineError::cache(format!(
                "a cached record of {} cannot be read ({e}): drop the table's cache with CACHE \
                 DROP {}",
                def.name, def.name
            ))
        })
}

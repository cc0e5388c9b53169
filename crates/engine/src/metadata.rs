//! The account's field definitions (the custom fields that become columns): fetched for all
//! tables at once, one round trip, and kept for the process for a short while, so that the
//! connections an application opens one after another do not ask again.

use crate::catalog::{TableDef, TABLES};
use crate::error::EngineError;
use futures_util::future::try_join_all;
use futures_util::TryStreamExt;
use pipedrive_api::{ApiVersion, Client, ListRequest};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How long field definitions read by one connection serve the next ones. Short: a custom
/// field added in Pipedrive shows up in connections opened after this much time.
pub const LIFETIME: Duration = Duration::from_secs(60);

/// Field definitions of every table, in the order of [`TABLES`].
pub type Fields = Arc<Vec<Vec<Value>>>;

type Cache = Mutex<HashMap<(String, String), (Instant, Fields)>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The field definitions of every table for this client's account: from the process's cache
/// when read less than [`LIFETIME`] ago with the same address and credentials, else fetched
/// (all lists at once).
pub async fn field_definitions(client: &Client) -> Result<Fields, EngineError> {
    let config = client.config();
    let key = (config.base_url.clone(), config.credentials.budget_key());
    let cached = {
        let mut cache = cache().lock().unwrap_or_else(|e| e.into_inner());
        cache.retain(|_, (at, _)| at.elapsed() < LIFETIME);
        cache.get(&key).map(|(_, fields)| fields.clone())
    };
    if let Some(fields) = cached {
        tracing::debug!(parent: client.span(), "field definitions from the process cache");
        return Ok(fields);
    }
    let fields: Fields =
        Arc::new(try_join_all(TABLES.iter().map(|def| table_fields(client, def))).await?);
    cache()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, (Instant::now(), fields.clone()));
    Ok(fields)
}

async fn table_fields(client: &Client, def: &'static TableDef) -> Result<Vec<Value>, EngineError> {
    let Some(path) = def.custom_fields else {
        return Ok(vec![]);
    };
    let pages: Vec<_> = client
        .list(ListRequest::new(ApiVersion::V2, path))
        .try_collect()
        .await?;
    Ok(pages.into_iter().flat_map(|p| p.rows).collect())
}

//! A table's field definitions (the custom fields that become columns): read when a connection
//! first needs the table, and kept for the process for a short while, so that the connections
//! an application opens one after another do not ask again.

use crate::catalog::TableDef;
use crate::error::EngineError;
use futures_util::TryStreamExt;
use pipedrive_api::{ApiVersion, Client, ListRequest};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How long field definitions read by one connection serve the next ones. Short: a custom
/// field added in Pipedrive shows up in connections opened after this much time.
pub const LIFETIME: Duration = Duration::from_secs(60);

/// One table's field definitions as the API lists them.
pub type Fields = Arc<Vec<Value>>;

/// By address, credentials and table.
type Key = (String, String, &'static str);
type Cache = Mutex<HashMap<Key, (Instant, Fields)>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The field definitions of `def` for this client's account: from the process's cache when
/// read less than [`LIFETIME`] ago with the same address and credentials, else fetched. A
/// table without custom fields needs no request.
pub async fn field_definitions(
    client: &Client,
    def: &'static TableDef,
) -> Result<Fields, EngineError> {
    let Some(path) = def.custom_fields else {
        return Ok(Fields::default());
    };
    let key = key(client, def);
    let cached = {
        let mut cache = cache().lock().unwrap_or_else(|e| e.into_inner());
        cache.retain(|_, (at, _)| at.elapsed() < LIFETIME);
        cache.get(&key).map(|(_, fields)| fields.clone())
    };
    if let Some(fields) = cached {
        tracing::debug!(parent: client.span(), table = def.name, "field definitions from the process cache");
        return Ok(fields);
    }
    let pages: Vec<_> = client
        .list(ListRequest::new(ApiVersion::V2, path))
        .try_collect()
        .await?;
    let fields: Fields = Arc::new(pages.into_iter().flat_map(|p| p.rows).collect());
    keep(client, def, fields.clone());
    Ok(fields)
}

/// Keeps `fields` as the field definitions of `def` for this client's account, for
/// [`LIFETIME`].
pub(crate) fn keep(client: &Client, def: &'static TableDef, fields: Fields) {
    cache()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key(client, def), (Instant::now(), fields));
}

fn key(client: &Client, def: &'static TableDef) -> Key {
    let config = client.config();
    (
        config.base_url.clone(),
        config.credentials.budget_key(),
        def.name,
    )
}

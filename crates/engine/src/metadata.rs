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
use tokio::sync::OnceCell;

/// How long field definitions read by one connection serve the next ones. Short: a custom
/// field added in Pipedrive shows up in connections opened after this much time.
pub const LIFETIME: Duration = Duration::from_secs(60);

/// One table's field definitions as the API lists them.
pub type Fields = Arc<Vec<Value>>;

/// By address, credentials and `*Fields` list (tables that share one, `Deals` and
/// `ArchivedDeals`, share its definitions).
type Key = (String, String, &'static str);
/// Since when an entry serves, and its definitions once read: connections that ask at the same
/// time wait for the one read.
type Entry = (Instant, Arc<OnceCell<Fields>>);
type Cache = Mutex<HashMap<Key, Entry>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The field definitions of `def` for this client's account: from the process's cache when
/// read less than [`LIFETIME`] ago with the same address and credentials (or being read right
/// now), else fetched. A table without custom fields needs no request.
pub async fn field_definitions(
    client: &Client,
    def: &'static TableDef,
) -> Result<Fields, EngineError> {
    let Some(path) = def.custom_fields else {
        return Ok(Fields::default());
    };
    let cell = {
        let mut cache = cache().lock().unwrap_or_else(|e| e.into_inner());
        cache.retain(|_, (at, _)| at.elapsed() < LIFETIME);
        cache
            .entry(key(client, path))
            .or_insert_with(|| (Instant::now(), Arc::default()))
            .1
            .clone()
    };
    if let Some(fields) = cell.get() {
        tracing::debug!(parent: client.span(), table = def.name, "field definitions from the process cache");
        return Ok(fields.clone());
    }
    let fields = cell
        .get_or_try_init(|| async {
            let pages: Vec<_> = client
                .list(ListRequest::new(ApiVersion::V2, path))
                .try_collect()
                .await?;
            let mut fields = vec![];
            for page in pages {
                fields.extend(page.rows.into_values()?);
            }
            Ok::<_, EngineError>(Arc::new(fields))
        })
        .await?;
    Ok(fields.clone())
}

/// Keeps `fields` as the field definitions of `def` for this client's account, for
/// [`LIFETIME`].
pub(crate) fn keep(client: &Client, def: &'static TableDef, fields: Fields) {
    let Some(path) = def.custom_fields else {
        return;
    };
    let entry = (Instant::now(), Arc::new(OnceCell::new_with(Some(fields))));
    cache()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key(client, path), entry);
}

fn key(client: &Client, fields_path: &'static str) -> Key {
    let config = client.config();
    (
        config.base_url.clone(),
        config.credentials.budget_key(),
        fields_path,
    )
}

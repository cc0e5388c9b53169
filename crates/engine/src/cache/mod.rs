//! The local cache as a connection uses it (`AutoCache`, `Offline`, `CacheMetadata`): which
//! scans it answers, the account its rows belong to, and the field definitions it keeps. The
//! file itself is [`pipedrive_cache`]; refreshing a table is [`refresh`], reading it back
//! [`source`], and the `CACHE` statements [`statements`].

pub mod refresh;
pub mod source;
pub mod statements;

use crate::catalog::TableDef;
use crate::error::EngineError;
use crate::fetch::Request;
use crate::metadata::{self, Fields};
use pipedrive_api::{ApiVersion, Client};
use pipedrive_cache::{now, Cache, CacheError, Micros};
use pipedrive_config::CacheSettings;
use serde_json::Value;
use std::sync::Arc;
use tokio::sync::OnceCell;

/// How long field definitions kept by `CacheMetadata` serve new connections without a request.
pub const METADATA_LIFETIME: Micros = 3600 * 1_000_000;

/// A connection's view of the cache file.
#[derive(Debug)]
pub struct LocalCache {
    settings: CacheSettings,
    store: Cache,
    client: Client,
    /// Who the connection's credentials belong to, as rows are kept (found once).
    account: OnceCell<String>,
}

/// Whether a table's rows can be cached: a table of its own (not a parent's children, not the
/// elements of arrays in another table's records) with a key.
pub fn cacheable(def: &TableDef) -> bool {
    def.parent.is_none() && def.explode.is_none() && !def.one_row && def.column(def.key).is_some()
}

impl LocalCache {
    /// The cache of a connection with these settings, when they use it.
    pub fn open(
        settings: &CacheSettings,
        client: &Client,
    ) -> Result<Option<Arc<LocalCache>>, EngineError> {
        if !settings.enabled() {
            return Ok(None);
        }
        let store = Cache::open(&settings.location).map_err(failure)?;
        Ok(Some(Arc::new(LocalCache {
            settings: settings.clone(),
            store,
            client: client.clone(),
            account: OnceCell::new(),
        })))
    }

    pub fn offline(&self) -> bool {
        self.settings.offline
    }

    /// Whether a scan's request is answered from the cache: whole lists (filters are checked on
    /// the cached rows) with AutoCache; a single key or a few keys only when a tolerance lets the
    /// cached copy serve without a refresh (else one GET is cheaper than a refresh); everything
    /// cacheable when offline.
    pub fn serves(&self, def: &TableDef, request: &Request) -> bool {
        if !cacheable(def) {
            return false;
        }
        let narrow = match request {
            Request::Row(_) => true,
            Request::List(params) => params.iter().any(|(k, _)| k == "ids"),
            Request::Children { .. } => return false,
        };
        self.settings.offline
            || (self.settings.auto && (!narrow || !self.settings.tolerance.is_zero()))
    }

    /// Runs a cache file operation off the async threads.
    async fn blocking<T: Send + 'static>(
        &self,
        op: impl FnOnce(&Cache) -> Result<T, CacheError> + Send + 'static,
    ) -> Result<T, EngineError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || op(&store))
            .await
            .map_err(|e| EngineError::internal(format!("a cache operation stopped: {e}")))?
            .map_err(failure)
    }

    /// The account the connection's credentials belong to: its address, company and user, as
    /// the API said once (the current user); found again by the credentials' fingerprint.
    pub async fn account(&self) -> Result<String, EngineError> {
        self.account
            .get_or_try_init(|| async {
                let base = self.client.config().base_url.clone();
                let fingerprint = self.client.config().credentials.fingerprint(&base).await?;
                let known = fingerprint.clone();
                if let Some(account) = self.blocking(move |c| c.account(&known)).await? {
                    return Ok(account);
                }
                if self.settings.offline {
                    return Err(EngineError::cache(format!(
                        "Offline=1, but the cache file {} has nothing for these credentials: \
                         connect once without Offline (with AutoCache=1) to fill it",
                        self.store.path().display()
                    )));
                }
                let me = self.client.get(ApiVersion::V1, "/users/me").await?;
                let account = format!(
                    "{base} company {} user {}",
                    me.get("company_id").unwrap_or(&Value::Null),
                    me.get("id").unwrap_or(&Value::Null)
                );
                let named = account.clone();
                self.blocking(move |c| c.remember_account(&fingerprint, &named))
                    .await?;
                Ok(account)
            })
            .await
            .cloned()
    }

    /// A table's field definitions: kept ones when `CacheMetadata` allows (younger than
    /// [`METADATA_LIFETIME`], any age offline), else read and kept for the next connection.
    pub async fn field_definitions(&self, def: &'static TableDef) -> Result<Fields, EngineError> {
        // kept by their list: tables that share one (`Deals`, `ArchivedDeals`) share them
        let Some(name) = def.custom_fields else {
            return Ok(Fields::default());
        };
        let account = self.account().await?;
        let kept = {
            let account = account.clone();
            self.blocking(move |c| c.field_definitions(&account, name))
                .await?
        };
        let usable = |read_at: Micros| {
            self.settings.offline || (self.settings.metadata && now() - read_at < METADATA_LIFETIME)
        };
        if let Some((text, _)) = kept.filter(|(_, at)| usable(*at)) {
            let fields: Vec<Value> = serde_json::from_str(&text).map_err(|e| {
                EngineError::cache(format!("the kept field definitions of {name}: {e}"))
            })?;
            return Ok(Arc::new(fields));
        }
        if self.settings.offline {
            // nothing kept: the standard columns
            return Ok(Fields::default());
        }
        let fields = metadata::field_definitions(&self.client, def).await?;
        let text = Value::Array(fields.to_vec()).to_string();
        self.blocking(move |c| c.keep_field_definitions(&account, name, &text))
            .await?;
        Ok(fields)
    }
}

fn failure(e: CacheError) -> EngineError {
    EngineError::cache(e.0)
}

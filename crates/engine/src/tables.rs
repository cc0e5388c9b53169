//! A connection's tables, the schema `Pipedrive` of its SQL session. Each table is set up when a
//! statement (or a catalog function) first needs it: its custom fields are read then, from the
//! process's short-lived cache when another connection read them lately. A statement's tables
//! are set up together, so their field definitions come in one round trip.
//!
//! A table the account cannot read the field definitions of (a feature the company does not
//! have, an OAuth scope the app was not granted, an endpoint gone) is set up without its
//! custom fields, with a warning in the connection's log: it breaks nothing else, and a query
//! on it gets the API's refusal with what is missing.

use crate::cache::LocalCache;
use crate::catalog::{self, TableDef, TABLES};
use crate::error::EngineError;
use crate::metadata;
use crate::provider::PipedriveTable;
use crate::schema::TableSchema;
use async_trait::async_trait;
use datafusion::catalog::{SchemaProvider, TableProvider};
use datafusion::error::DataFusionError;
use futures_util::future::try_join_all;
use pipedrive_api::Client;
use std::sync::{Arc, LazyLock};
use tokio::sync::OnceCell;

#[derive(Debug)]
pub struct Tables {
    /// Without a client (an OAuth connection with no access token yet) there are no tables.
    client: Option<Client>,
    /// The connection's local cache, when it uses one.
    cache: Option<Arc<LocalCache>>,
    /// In the order of [`TABLES`].
    cells: Vec<OnceCell<Arc<PipedriveTable>>>,
}

impl Tables {
    pub fn new(client: Option<Client>, cache: Option<Arc<LocalCache>>) -> Tables {
        Tables {
            client,
            cache,
            cells: TABLES.iter().map(|_| OnceCell::new()).collect(),
        }
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.client.as_ref()?;
        catalog::position(name)
    }

    /// The table at `i` of [`TABLES`], set up on first use.
    async fn at(&self, i: usize) -> Result<&Arc<PipedriveTable>, EngineError> {
        let client = self
            .client
            .as_ref()
            .expect("tables exist only with a client");
        let def: &'static TableDef = TABLES[i];
        self.cells[i]
            .get_or_try_init(|| async {
                let read = match &self.cache {
                    Some(cache) => cache.field_definitions(def).await,
                    None => metadata::field_definitions(client, def).await,
                };
                let fields = match read {
                    Err(e) if not_for_this_account(&e) => {
                        tracing::warn!(
                            parent: client.span(),
                            table = def.name,
                            "{} is described without custom fields: its field definitions \
                             cannot be read with this connection ({})",
                            def.name,
                            e.message
                        );
                        Default::default()
                    }
                    read => read?,
                };
                Ok(Arc::new(PipedriveTable::new(
                    TableSchema::build(def, &fields),
                    client.clone(),
                    self.cache.clone(),
                )))
            })
            .await
    }

    /// The table of that name (in any case), set up on first use; `None` if there is none.
    pub async fn named(&self, name: &str) -> Result<Option<&Arc<PipedriveTable>>, EngineError> {
        match self.position(name) {
            Some(i) => self.at(i).await.map(Some),
            None => Ok(None),
        }
    }

    /// Sets up the tables of these names that exist, all at once.
    pub async fn prepare<'a>(
        &self,
        names: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), EngineError> {
        let mut wanted: Vec<usize> = names.into_iter().filter_map(|n| self.position(n)).collect();
        wanted.sort_unstable();
        wanted.dedup();
        try_join_all(wanted.into_iter().map(|i| self.at(i))).await?;
        Ok(())
    }

    /// Every table, set up (all at once) where not yet.
    pub async fn all(&self) -> Result<Vec<&TableSchema>, EngineError> {
        self.described(|_| true).await
    }

    /// The tables set up so far, in the order of [`TABLES`].
    pub fn ready(&self) -> impl Iterator<Item = &Arc<PipedriveTable>> {
        self.cells.iter().filter_map(OnceCell::get)
    }

    /// Every table: those whose names `describe` selects set up with their custom fields (at
    /// once, where not yet), the others as set up so far or with their standard columns only
    /// (no request).
    pub async fn described(
        &self,
        describe: impl Fn(&str) -> bool,
    ) -> Result<Vec<&TableSchema>, EngineError> {
        if self.client.is_none() {
            return Ok(vec![]);
        }
        let wanted: Vec<usize> = (0..TABLES.len())
            .filter(|i| describe(TABLES[*i].name))
            .collect();
        try_join_all(wanted.into_iter().map(|i| self.at(i))).await?;
        Ok((0..TABLES.len())
            .map(|i| match self.cells[i].get() {
                Some(t) => &t.schema,
                None => &STANDARD[i],
            })
            .collect())
    }
}

/// Each table with the columns every account has, in the order of [`TABLES`].
static STANDARD: LazyLock<Vec<TableSchema>> =
    LazyLock::new(|| TABLES.iter().map(|d| TableSchema::build(d, &[])).collect());

/// An answer saying the account may not read this (402, 403, 404), rather than a failure of
/// the connection (401, a timeout, a server error), which still fails the statement.
fn not_for_this_account(e: &EngineError) -> bool {
    matches!(e.status, Some(402..=404))
}

#[async_trait]
impl SchemaProvider for Tables {
    fn table_names(&self) -> Vec<String> {
        match self.client {
            Some(_) => TABLES.iter().map(|d| d.name.to_string()).collect(),
            None => vec![],
        }
    }

    async fn table(&self, name: &str) -> Result<Option<Arc<dyn TableProvider>>, DataFusionError> {
        if !self.table_exist(name) {
            return Ok(None);
        }
        let table = self
            .named(name)
            .await
            .map_err(|e| DataFusionError::External(Box::new(e)))?;
        Ok(table.map(|t| t.clone() as Arc<dyn TableProvider>))
    }

    fn table_exist(&self, name: &str) -> bool {
        self.position(name).is_some()
    }
}

//! A connection's tables, the schema `Pipedrive` of its SQL session. Each table is set up when a
//! statement (or a catalog function) first needs it: its custom fields are read then, from the
//! process's short-lived cache when another connection read them lately. A statement's tables
//! are set up together, so their field definitions come in one round trip.

use crate::catalog::{TableDef, TABLES};
use crate::error::EngineError;
use crate::metadata;
use crate::provider::PipedriveTable;
use crate::schema::TableSchema;
use async_trait::async_trait;
use datafusion::catalog::{SchemaProvider, TableProvider};
use datafusion::error::DataFusionError;
use futures_util::future::try_join_all;
use pipedrive_api::Client;
use std::sync::Arc;
use tokio::sync::OnceCell;

#[derive(Debug)]
pub struct Tables {
    /// Without a client (an OAuth connection with no access token yet) there are no tables.
    client: Option<Client>,
    /// In the order of [`TABLES`].
    cells: Vec<OnceCell<Arc<PipedriveTable>>>,
}

impl Tables {
    pub fn new(client: Option<Client>) -> Tables {
        Tables {
            client,
            cells: TABLES.iter().map(|_| OnceCell::new()).collect(),
        }
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.client.as_ref()?;
        TABLES
            .iter()
            .position(|d| d.name.eq_ignore_ascii_case(name))
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
                let fields = metadata::field_definitions(client, def).await?;
                Ok(Arc::new(PipedriveTable::new(
                    TableSchema::build(def, &fields),
                    client.clone(),
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
        if self.client.is_none() {
            return Ok(vec![]);
        }
        let tables = try_join_all((0..TABLES.len()).map(|i| self.at(i))).await?;
        Ok(tables.into_iter().map(|t| &t.schema).collect())
    }

    /// The tables set up so far, in the order of [`TABLES`].
    pub fn ready(&self) -> impl Iterator<Item = &Arc<PipedriveTable>> {
        self.cells.iter().filter_map(OnceCell::get)
    }
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
        self.client.is_some() && TABLES.iter().any(|d| d.name == name)
    }
}

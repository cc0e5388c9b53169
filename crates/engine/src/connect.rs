//! Opening a session from connection properties (a connection string merged over its DSN): the
//! one way the driver and the command line connect.

use crate::cache::LocalCache;
use crate::error::EngineError;
use crate::session::Session;
use pipedrive_api::ErrorKind;
use pipedrive_config::Properties;
use tracing::Span;

impl Session {
    /// Checks the properties, comes by credentials (for OAuth as InitiateOAuth says), then
    /// opens the session, reading the field definitions of Deals (so a wrong token fails here).
    /// What the API client reports goes under the span current at this call (a connection's
    /// log).
    pub async fn from_properties(props: &Properties) -> Result<Session, EngineError> {
        let connection = pipedrive_config::connect(props)
            .await
            .map_err(|e| match e.kind {
                ErrorKind::Config => EngineError::connection(e.message),
                _ => EngineError::from(e),
            })?;
        let client = connection.client.map(|c| c.in_span(Span::current()));
        let settings =
            pipedrive_config::cache_settings(props).map_err(|e| EngineError::connection(e.0))?;
        let cache = match &client {
            Some(client) => LocalCache::open(&settings, client)?,
            None => None,
        };
        Session::start(client, connection.oauth, cache)
            .await
            .map_err(|e| match e.kind {
                // the API could not be reached at all: no connection was made (08001, not the
                // lost link of a later request)
                crate::EngineErrorKind::Api(ErrorKind::Network) => {
                    EngineError::connection(e.message)
                }
                _ => e,
            })
    }
}

//! A local stand-in for the Pipedrive REST API: API v2 (cursor paging) and v1 (offset paging)
//! over a deterministic demo company, custom fields of every type, API-token and OAuth
//! authentication with its own authorization server, the real rate limits, and fault injection.
//!
//! Tests start it in-process with [`Sandbox::start`]; the `pipedrive-sandbox` binary serves it.

pub mod config;
pub mod custom_fields;
mod dice;
pub mod entities;
mod entity_spec;
pub mod error;
mod faults;
mod handlers;
mod limits;
pub mod listing;
pub mod oauth;
pub mod routes;
pub mod seed;
mod server;
mod spoil;
pub mod stats;
pub mod store;
pub mod timefmt;
mod tls;

pub use config::{
    DataSizes, Faults, OAuthApp, OAuthSettings, Plan, RateLimits, SandboxConfig, Spoil, TlsSettings,
};
pub use stats::Snapshot;

use handlers::Account;
use server::Shared;
use std::net::SocketAddr;
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::Duration;

/// A running sandbox. Dropping it stops the server.
pub struct Sandbox {
    base_url: String,
    certificates: Option<Arc<tls::Certificates>>,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Generates the demo data and serves it on a free loopback port.
    pub fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        Self::start_on(config, "127.0.0.1:0".parse().expect("loopback address"))
    }

    /// Generates the demo data and serves it on `addr` (port 0 picks a free one).
    pub fn start_on(config: SandboxConfig, addr: SocketAddr) -> std::io::Result<Sandbox> {
        let mut store = store::Store::new();
        seed::populate(&mut store, &config);
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let local = listener.local_addr()?;
        let certificates = match &config.tls {
            Some(settings) => Some(Arc::new(tls::Certificates::generate(settings)?)),
            None => None,
        };
        let scheme = if certificates.is_some() {
            "https"
        } else {
            "http"
        };
        let base_url = format!("{scheme}://{local}");
        let shared = Arc::new(Shared {
            account: Account {
                store: RwLock::new(store),
                dice: Mutex::new(dice::Dice::new(config.seed ^ 0x5EED)),
            },
            stats: stats::Stats::default(),
            limiter: limits::Limiter::new(config.limits.clone()),
            faults: faults::Injector::new(config.faults.clone()),
            oauth: oauth::OAuthServer::new(config.oauth.clone(), config.seed),
            base_url: base_url.clone(),
            config,
        });
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let (ready_tx, ready_rx) = mpsc::channel::<std::io::Result<()>>();
        let app = server::router(shared.clone());
        let served_certificates = certificates.clone();
        let thread = std::thread::Builder::new()
            .name("pipedrive-sandbox".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => l,
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                            return;
                        }
                    };
                    let stop = async {
                        let _ = rx.await;
                    };
                    let Some(certificates) = served_certificates else {
                        let _ = ready_tx.send(Ok(()));
                        let _ = axum::serve(listener, app)
                            .with_graceful_shutdown(stop)
                            .await;
                        return;
                    };
                    match certificates.listener(listener) {
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                        }
                        Ok(tls) => {
                            let _ = ready_tx.send(Ok(()));
                            let _ = axum::serve(tls, app).with_graceful_shutdown(stop).await;
                        }
                    }
                });
            })?;
        ready_rx
            .recv_timeout(Duration::from_secs(30))
            .map_err(|_| std::io::Error::other("sandbox did not start"))??;
        Ok(Sandbox {
            base_url,
            certificates,
            shared,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT` (`https://` with TLS); the API is below `/api/v1` and `/api/v2`,
    /// OAuth below `/oauth`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// With TLS: the PEM certificate of the authority that issued the server's certificate.
    pub fn authority_certificate(&self) -> Option<&str> {
        self.certificates
            .as_deref()
            .map(|c| c.authority_pem.as_str())
    }

    /// With TLS: the server's own certificate (PEM).
    pub fn server_certificate(&self) -> Option<&str> {
        self.certificates.as_deref().map(|c| c.server_pem.as_str())
    }

    pub fn stats(&self) -> Snapshot {
        self.shared.stats.snapshot()
    }

    pub fn reset_stats(&self) {
        self.shared.stats.reset()
    }

    pub fn set_faults(&self, faults: Faults) {
        self.shared.faults.set(faults)
    }

    pub fn set_limits(&self, limits: RateLimits) {
        self.shared.limiter.set(limits)
    }

    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.shared.oauth.set_token_lifetime(lifetime)
    }

    /// Issues an authorization code as if the user had clicked Allow (for headless tests).
    pub fn approve(&self, client_id: &str, redirect_uri: &str, scope: Option<&str>) -> String {
        self.shared.oauth.issue_code(client_id, redirect_uri, scope)
    }

    /// Revokes an OAuth token as `/oauth/revoke` does (a refresh token: its whole grant).
    pub fn revoke(&self, token: &str) {
        self.shared.oauth.revoke(token)
    }

    /// Rows currently stored in a collection (`deals`, `leadLabels`, ...) that its list shows:
    /// archived ones are left out.
    pub fn count(&self, collection: &str) -> usize {
        let store = self
            .shared
            .account
            .store
            .read()
            .unwrap_or_else(|e| e.into_inner());
        let spec = entities::ENTITIES.iter().find(|e| e.name == collection);
        match spec.and_then(|spec| listing::Predicate::archived(spec, false)) {
            Some(listed) => store
                .collection(collection)
                .rows()
                .filter(|row| listing::matches(row, std::slice::from_ref(&listed)))
                .count(),
            None => store.count(collection),
        }
    }

    /// Blocks until the server stops (for the binary).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

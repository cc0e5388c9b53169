//! How requests reach the API and the OAuth server: directly or through a proxy, and which
//! server certificates are trusted ([`crate::trust`]). Every HTTP client of the crate is built
//! here, so the two settings apply to every request. A proxy that asks for Digest credentials
//! is reached through a [`Relay`] that answers its challenges.

use crate::error::{Error, ErrorKind, PROXY_CREDENTIALS};
use crate::proxy_relay::Relay;
use crate::trust::{explain_certificate, Trust};
use std::fmt;
use std::time::Duration;

/// The way out to the API.
#[derive(Clone, Debug, Default)]
pub struct Network {
    pub proxy: ProxyRoute,
    pub trust: Trust,
}

/// Which proxy requests go through.
#[derive(Clone, Default)]
pub enum ProxyRoute {
    /// None: requests go straight to the server, whatever the environment says.
    #[default]
    Direct,
    /// The system's proxy settings: the `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` and `NO_PROXY`
    /// variables, and on Windows and macOS the system's own settings.
    System,
    /// This proxy (`http://host:port`, or `https://`), with credentials if given; hosts
    /// matching `exceptions` (comma-separated names, domains, IPs or CIDR ranges) go direct.
    Server {
        url: String,
        credentials: Option<ProxyCredentials>,
        exceptions: Option<String>,
    },
}

/// A proxy account, and how the proxy asks for it.
#[derive(Clone)]
pub struct ProxyCredentials {
    pub user: String,
    pub password: String,
    pub scheme: ProxyAuthScheme,
}

/// How credentials are given to a proxy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProxyAuthScheme {
    /// With every request, unasked.
    Basic,
    /// In answer to the proxy's challenge (RFC 7616: MD5 or SHA-256, `qop=auth`).
    Digest,
}

impl fmt::Debug for ProxyRoute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxyRoute::Direct => f.write_str("Direct"),
            ProxyRoute::System => f.write_str("System"),
            ProxyRoute::Server {
                url,
                credentials,
                exceptions,
            } => f
                .debug_struct("Server")
                .field("url", url)
                .field("user", &credentials.as_ref().map(|c| &c.user))
                .field("scheme", &credentials.as_ref().map(|c| c.scheme))
                .field("exceptions", exceptions)
                .finish_non_exhaustive(),
        }
    }
}

impl ProxyRoute {
    /// Whether requests may pass a proxy (whose own refusals then come back as answers).
    pub(crate) fn may_pass_a_proxy(&self) -> bool {
        !matches!(self, ProxyRoute::Direct)
    }
}

/// An HTTP client that goes out the way its [`Network`] says, and the relay it goes through
/// (kept running while the client is).
pub(crate) struct Outbound {
    pub(crate) client: reqwest::Client,
    relay: Option<Relay>,
}

impl Outbound {
    /// Why the latest request got no answer, when the relay knows: the proxy behind it could
    /// not be reached (the client only sees the relay refusing a tunnel).
    pub(crate) fn relay_failure(&self) -> Option<String> {
        self.relay.as_ref().and_then(|relay| relay.failure())
    }
}

impl Network {
    /// An HTTP client that goes out this way, with the crate's user agent and timeouts;
    /// `pooled: false` keeps no idle connection (for rare requests made from passing runtimes).
    pub(crate) fn http(
        &self,
        timeout: Duration,
        connect_timeout: Duration,
        pooled: bool,
    ) -> Result<Outbound, Error> {
        let mut relay = None;
        let mut builder = reqwest::Client::builder();
        if !pooled {
            builder = builder.pool_max_idle_per_host(0);
        }
        builder = builder
            .timeout(timeout)
            .connect_timeout(connect_timeout)
            .user_agent(concat!("pipedrive-odbc/", env!("CARGO_PKG_VERSION")));
        builder = match &self.proxy {
            // the builder reads the system settings unless told otherwise
            ProxyRoute::System => builder,
            ProxyRoute::Direct => builder.no_proxy(),
            ProxyRoute::Server {
                url,
                credentials,
                exceptions,
            } => {
                let mut proxy = reqwest::Proxy::all(url.as_str()).map_err(|e| {
                    Error::new(
                        ErrorKind::Config,
                        format!("ProxyServer '{url}' is not a usable proxy address: {e}"),
                    )
                })?;
                match credentials {
                    None => {}
                    Some(c) if c.scheme == ProxyAuthScheme::Basic => {
                        proxy = proxy.basic_auth(&c.user, &c.password);
                    }
                    Some(c) => {
                        let started = Relay::start(url, &c.user, &c.password, connect_timeout)?;
                        let (key_user, key_password) = started.key();
                        proxy = reqwest::Proxy::all(started.url())
                            .map_err(|e| {
                                Error::new(ErrorKind::Config, format!("the proxy relay: {e}"))
                            })?
                            .basic_auth(key_user, key_password);
                        relay = Some(started);
                    }
                }
                proxy = proxy.no_proxy(
                    exceptions
                        .as_deref()
                        .and_then(reqwest::NoProxy::from_string),
                );
                builder.proxy(proxy)
            }
        };
        if let Some(tls) = self.trust.tls_config()? {
            builder = builder.tls_backend_preconfigured(tls);
        }
        let client = builder
            .build()
            .map_err(|e| Error::new(ErrorKind::Config, format!("cannot set up HTTP: {e}")))?;
        Ok(Outbound { client, relay })
    }
}

/// Why a request got no answer, in the user's terms, when the cause is a setting to fix rather
/// than a passing fault (a certificate refused, the proxy refusing): such a request is not
/// sent again.
pub(crate) fn lasting_cause(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    causes(e).find_map(|cause| {
        if let Some(tls) = cause.downcast_ref::<rustls::Error>() {
            return explain_certificate(tls);
        }
        let text = cause.to_string();
        if text.contains("proxy authorization required") {
            Some(PROXY_CREDENTIALS.into())
        } else if text.contains("tunnel error: unsuccessful") {
            Some(
                "the proxy refused to open a tunnel to the server: check ProxyUser and \
                 ProxyPassword, and ask who runs the proxy whether it lets this host through \
                 (or list the host in ProxyExceptions)"
                    .into(),
            )
        } else {
            None
        }
    })
}

/// An error and its causes, including those an I/O error holds (which `source()` skips).
fn causes<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(e), |err| {
        match err
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => err.source(),
        }
    })
}

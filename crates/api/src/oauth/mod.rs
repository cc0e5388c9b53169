//! OAuth with a custom app, as the product documentation describes it: `InitiateOAuth` OFF,
//! REFRESH or GETANDREFRESH; the desktop browser sign-in; the headless steps (an `OAuthVerifier`
//! exchanged, or a settings file brought from another machine); automatic refresh kept in an
//! encrypted `OAuthSettingsLocation` file that several processes may share.

mod app;
mod browser;
mod settings_file;
mod source;
mod tokens;

pub use crate::auth::fingerprint;
pub use app::OAuthApp;
pub use browser::sign_in;
pub use settings_file::{resolve_location, SettingsFile, Stored};
pub use source::OAuthTokens;
pub use tokens::Tokens;

use crate::auth::Credentials;
use crate::error::{Error, ErrorKind};
use crate::network::Network;
use app::{DEFAULT_CALLBACK_URL, DEFAULT_SERVER_URL};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// `InitiateOAuth`: how the driver comes by its tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Initiate {
    /// `OAuthAccessToken` used as given; no file, no browser, no refresh.
    Off,
    /// Tokens from `OAuthVerifier`, `OAuthAccessToken` or the settings file, refreshed and kept
    /// there; never a browser.
    Refresh,
    /// As REFRESH, and the browser sign-in when there are no usable tokens.
    GetAndRefresh,
}

impl Initiate {
    /// From the property's text; GETANDREFRESH when it is not set.
    pub fn parse(text: Option<&str>) -> Result<Initiate, Error> {
        match text.map(|t| t.trim().to_ascii_uppercase()).as_deref() {
            None | Some("") | Some("GETANDREFRESH") => Ok(Initiate::GetAndRefresh),
            Some("REFRESH") => Ok(Initiate::Refresh),
            Some("OFF") => Ok(Initiate::Off),
            Some(other) => Err(Error::new(
                ErrorKind::Config,
                format!("InitiateOAuth={other} is not known: use OFF, REFRESH or GETANDREFRESH"),
            )),
        }
    }
}

/// The OAuth connection properties. App values left `None` come from the settings file (or
/// the defaults).
#[derive(Clone)]
pub struct OAuthOptions {
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub callback_url: Option<String>,
    pub server_url: Option<String>,
    pub scope: Option<String>,
    pub initiate: Initiate,
    pub access_token: Option<String>,
    pub refresh_token: Option<String>,
    pub expires_in: Option<u64>,
    pub token_timestamp: Option<u64>,
    pub verifier: Option<String>,
    pub settings_file: PathBuf,
    /// How long the browser sign-in may take.
    pub browser_timeout: Duration,
    /// The proxy and trusted certificates for the authorization server.
    pub network: Network,
}

/// Secrets left out.
impl std::fmt::Debug for OAuthOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthOptions")
            .field("client_id", &self.client_id)
            .field("callback_url", &self.callback_url)
            .field("server_url", &self.server_url)
            .field("initiate", &self.initiate)
            .field("settings_file", &self.settings_file)
            .finish_non_exhaustive()
    }
}

/// Credentials ready for requests, and the company address the tokens came with.
pub struct Authorized {
    pub credentials: Credentials,
    pub api_domain: Option<String>,
}

impl OAuthOptions {
    /// The app: given values first, then the settings file's, then the defaults.
    pub fn app(&self, stored: Option<&Stored>) -> OAuthApp {
        let pick = |given: &Option<String>, stored: Option<&String>, default: &str| {
            given
                .clone()
                .or_else(|| stored.filter(|s| !s.is_empty()).cloned())
                .unwrap_or_else(|| default.to_string())
        };
        OAuthApp {
            client_id: pick(&self.client_id, stored.map(|s| &s.client_id), ""),
            client_secret: pick(&self.client_secret, stored.map(|s| &s.client_secret), ""),
            callback_url: pick(
                &self.callback_url,
                stored.map(|s| &s.callback_url),
                DEFAULT_CALLBACK_URL,
            ),
            server_url: pick(
                &self.server_url,
                stored.map(|s| &s.server_url),
                DEFAULT_SERVER_URL,
            ),
            network: self.network.clone(),
        }
    }

    /// Comes by tokens as `InitiateOAuth` says. `None`: OFF without an access token (a
    /// connection that can run the OAuth procedures and nothing else).
    pub async fn authorize(&self) -> Result<Option<Authorized>, Error> {
        if self.initiate == Initiate::Off {
            return Ok(self.access_token.as_ref().map(|t| Authorized {
                credentials: Credentials::bearer(t.trim()),
                api_domain: None,
            }));
        }
        let file = SettingsFile::new(self.settings_file.clone());
        // a file written for another app holds nothing for this one
        let stored = file.read()?.filter(|s| {
            self.client_id
                .as_deref()
                .is_none_or(|id| id.trim() == s.client_id)
        });
        let app = self.app(stored.as_ref());
        // the same verifier or access token seen again: what the file made of it
        let reusable = |origin: &str| {
            stored
                .as_ref()
                .filter(|s| {
                    s.origin.as_deref() == Some(origin)
                        || s.tokens
                            .as_ref()
                            .is_some_and(|t| fingerprint(&t.access_token) == origin)
                })
                .and_then(|s| s.tokens.clone())
        };
        // a reused token is recorded as the origin, so the property is recognised later too
        let recorded =
            |origin: &str| stored.as_ref().and_then(|s| s.origin.as_deref()) == Some(origin);
        let (tokens, origin, fresh) = if let Some(code) = &self.verifier {
            let origin = fingerprint(code);
            match reusable(&origin) {
                Some(t) => (t, origin, false),
                None => (app.exchange_code(code, None).await?, origin, true),
            }
        } else if let Some(access) = &self.access_token {
            let origin = fingerprint(access);
            match reusable(&origin) {
                Some(t) => {
                    let write = !recorded(&origin);
                    (t, origin, write)
                }
                None => {
                    let t = Tokens::given(
                        access,
                        self.refresh_token.as_deref(),
                        self.expires_in,
                        self.token_timestamp,
                    );
                    (t, origin, true)
                }
            }
        } else if let Some(t) = stored.as_ref().and_then(|s| s.tokens.clone()) {
            let origin = stored
                .as_ref()
                .and_then(|s| s.origin.clone())
                .unwrap_or_default();
            (t, origin, false)
        } else if self.initiate == Initiate::GetAndRefresh {
            (self.sign_in(&app).await?, String::new(), true)
        } else {
            return Err(Error::new(
                ErrorKind::Unauthorized,
                format!(
                    "InitiateOAuth=REFRESH found no OAuth tokens in {}: set OAuthVerifier (the code \
                     from the URL GetOAuthAuthorizationURL gives) or OAuthAccessToken, or connect \
                     once with InitiateOAuth=GETANDREFRESH",
                    file.path().display()
                ),
            ));
        };
        if fresh {
            file.update(|s| {
                s.hold(&app, tokens.clone());
                s.origin = Some(origin).filter(|o| !o.is_empty());
            })?;
        }
        let mut source = OAuthTokens::new(app, tokens, Some(file));
        if self.initiate == Initiate::GetAndRefresh {
            source = source.signing_in_again(self.scope.clone(), self.browser_timeout);
        }
        let held = source.fresh().await?;
        let source = Arc::new(source);
        Ok(Some(Authorized {
            credentials: Credentials::OAuth(source),
            api_domain: held.api_domain,
        }))
    }

    async fn sign_in(&self, app: &OAuthApp) -> Result<Tokens, Error> {
        sign_in(app, self.scope.as_deref(), self.browser_timeout).await
    }
}

//! A custom OAuth app and the authorization server's endpoints: the authorization URL a person
//! opens, and the token endpoint's two grants (authorization code, refresh token).

use super::tokens::Tokens;
use crate::error::{Error, ErrorKind};
use crate::network::{lasting_cause, Network};
use serde_json::Value;
use std::fmt;
use std::time::Duration;

/// Where Pipedrive's authorization server is.
pub const DEFAULT_SERVER_URL: &str = "https://oauth.pipedrive.com";
/// The redirect URI used when `CallbackURL` is not set.
pub const DEFAULT_CALLBACK_URL: &str = "http://localhost:33333";

/// The custom OAuth app registered in Pipedrive's Developer Hub.
#[derive(Clone)]
pub struct OAuthApp {
    pub client_id: String,
    pub client_secret: String,
    /// The redirect URI registered for the app (`CallbackURL`).
    pub callback_url: String,
    /// `https://oauth.pipedrive.com`, or `OAuthServerURL` (a sandbox).
    pub server_url: String,
    /// The proxy and trusted certificates of the connection.
    pub network: Network,
}

impl fmt::Debug for OAuthApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthApp")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("callback_url", &self.callback_url)
            .field("server_url", &self.server_url)
            .field("network", &self.network)
            .finish()
    }
}

impl OAuthApp {
    pub fn new(client_id: &str, client_secret: &str) -> OAuthApp {
        OAuthApp {
            client_id: client_id.trim().to_string(),
            client_secret: client_secret.trim().to_string(),
            callback_url: DEFAULT_CALLBACK_URL.to_string(),
            server_url: DEFAULT_SERVER_URL.to_string(),
            network: Network::default(),
        }
    }

    fn require_client(&self) -> Result<(), Error> {
        if self.client_id.is_empty() || self.client_secret.is_empty() {
            return Err(Error::new(
                ErrorKind::Config,
                "OAuthClientId and OAuthClientSecret are required for the OAuth steps: copy them \
                 from your app in Pipedrive's Developer Hub (Tools and apps > Developer Hub)",
            ));
        }
        Ok(())
    }

    /// The URL a person opens to grant the app access; Pipedrive then redirects to `callback`
    /// (the app's `CallbackURL` when `None`) with `code` and `state`.
    pub fn authorization_url(
        &self,
        callback: Option<&str>,
        state: Option<&str>,
        scope: Option<&str>,
    ) -> Result<String, Error> {
        if self.client_id.is_empty() {
            return Err(Error::new(
                ErrorKind::Config,
                "OAuthClientId is required to build the authorization URL",
            ));
        }
        let mut url = url::Url::parse(&format!(
            "{}/oauth/authorize",
            self.server_url.trim_end_matches('/')
        ))
        .map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("OAuthServerURL is not a URL: {e}"),
            )
        })?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("client_id", &self.client_id);
            q.append_pair("redirect_uri", callback.unwrap_or(&self.callback_url));
            if let Some(state) = state.filter(|s| !s.is_empty()) {
                q.append_pair("state", state);
            }
            if let Some(scope) = scope.filter(|s| !s.is_empty()) {
                q.append_pair("scope", scope);
            }
        }
        Ok(url.into())
    }

    /// Exchanges an authorization code (the `OAuthVerifier`) for tokens.
    pub async fn exchange_code(&self, code: &str, callback: Option<&str>) -> Result<Tokens, Error> {
        let redirect = callback.unwrap_or(&self.callback_url).to_string();
        self.grant(
            &[
                ("grant_type", "authorization_code"),
                ("code", code.trim()),
                ("redirect_uri", &redirect),
            ],
            "exchanging the authorization code (OAuthVerifier)",
        )
        .await
    }

    /// New tokens for a refresh token (Pipedrive rotates the refresh token too).
    pub async fn refresh(&self, refresh_token: &str) -> Result<Tokens, Error> {
        self.grant(
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token),
            ],
            "refreshing the OAuth access token",
        )
        .await
    }

    async fn grant(&self, form: &[(&str, &str)], step: &str) -> Result<Tokens, Error> {
        self.require_client()?;
        let target = format!("{}/oauth/token", self.server_url.trim_end_matches('/'));
        // no idle connection is kept: a grant is rare, and a pooled connection would belong to
        // the async runtime that opened it
        let http = self
            .network
            .http(Duration::from_secs(60), Duration::from_secs(10), false)?;
        let resp = http
            .client
            .post(&target)
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(form)
            .send()
            .await
            .map_err(|e| {
                let kind = if e.is_timeout() {
                    ErrorKind::Timeout
                } else {
                    ErrorKind::Network
                };
                let cause = http
                    .relay_failure()
                    .or_else(|| lasting_cause(&e))
                    .unwrap_or_else(|| e.to_string());
                Error::new(kind, format!("{step}: cannot reach {target} ({cause})"))
            })?;
        let status = resp.status().as_u16();
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        if (200..300).contains(&status) {
            return Tokens::from_grant(&body).ok_or_else(|| {
                Error::new(
                    ErrorKind::Decode,
                    format!("{step}: the token endpoint answered without an access token"),
                )
            });
        }
        Err(grant_error(status, &body, step, form[0].1))
    }
}

/// A refused grant, said so that a person knows which step to redo.
fn grant_error(status: u16, body: &Value, step: &str, grant_type: &str) -> Error {
    let code = body.get("error").and_then(Value::as_str).unwrap_or("");
    let said = body
        .get("error_description")
        .or_else(|| body.get("message"))
        .and_then(Value::as_str)
        .unwrap_or(code);
    let redo = match (code, grant_type) {
        ("invalid_client", _) => {
            "check OAuthClientId and OAuthClientSecret against your app in Pipedrive's Developer Hub"
        }
        ("invalid_grant", "refresh_token") => {
            "the authorization was revoked or has expired: sign in again (connect once with \
             InitiateOAuth=GETANDREFRESH, or call GetOAuthAuthorizationURL, open the URL, and set \
             the code it gives as OAuthVerifier with InitiateOAuth=REFRESH)"
        }
        ("invalid_grant", _) => {
            "authorization codes are single-use and short-lived: call GetOAuthAuthorizationURL, \
             open the URL, and use the new code as OAuthVerifier (with the same CallbackURL)"
        }
        _ => "check the OAuth app settings",
    };
    let kind = match status {
        400 | 401 | 403 => ErrorKind::Unauthorized,
        429 => ErrorKind::RateLimited,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::Rejected,
    };
    let mut e = Error::new(
        kind,
        format!("{step}: Pipedrive refused it ({said}); {redo}"),
    );
    e.status = Some(status);
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_url_carries_the_app_and_callback() {
        let mut app = OAuthApp::new("cid", "secret");
        app.server_url = "http://127.0.0.1:9/".into();
        let url = app
            .authorization_url(Some("http://localhost:5000/cb"), Some("xyz"), None)
            .unwrap();
        assert_eq!(
            url,
            "http://127.0.0.1:9/oauth/authorize?client_id=cid&redirect_uri=http%3A%2F%2Flocalhost%3A5000%2Fcb&state=xyz"
        );
        assert!(app
            .authorization_url(None, None, Some("deals:read"))
            .unwrap()
            .contains("redirect_uri=http%3A%2F%2Flocalhost%3A33333&scope=deals%3Aread"));
        assert!(!format!("{app:?}").contains("secret\""));
    }

    #[test]
    fn refused_grants_say_which_step_to_redo() {
        let body = serde_json::json!({"error": "invalid_grant", "error_description": "refresh token is invalid"});
        let e = grant_error(400, &body, "refreshing", "refresh_token");
        assert_eq!(e.kind, ErrorKind::Unauthorized);
        assert!(e.message.contains("GETANDREFRESH") && e.message.contains("OAuthVerifier"));
        let e = grant_error(400, &body, "exchanging", "authorization_code");
        assert!(e.message.contains("single-use"));
    }
}

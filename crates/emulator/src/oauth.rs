//! An OAuth 2.0 authorization server like oauth.pipedrive.com (authorization-code grant with
//! rotating refresh tokens), and the check of the credentials API requests carry.

use crate::config::{OAuthApp, OAuthSettings};
use crate::dice::Dice;
use crate::error::ApiError;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Scopes granted when the authorization request names none.
pub const DEFAULT_SCOPE: &str =
    "base deals:full contacts:full activities:full products:full projects:full leads:full users:read admin goals:full phone-integration recents:read mail:full";

struct Code {
    client_id: String,
    redirect_uri: String,
    scope: String,
    issued: Instant,
    used: bool,
    /// Refresh tokens issued from this code (revoked if the code is replayed).
    family: Option<String>,
}

struct Grant {
    client_id: String,
    scope: String,
    family: String,
}

struct Access {
    scope: String,
    expires: Instant,
    family: String,
}

#[derive(Default)]
struct State {
    codes: HashMap<String, Code>,
    refresh: HashMap<String, Grant>,
    access: HashMap<String, Access>,
    revoked_families: Vec<String>,
    families: u64,
}

pub struct OAuthServer {
    settings: Mutex<OAuthSettings>,
    state: Mutex<State>,
    dice: Mutex<Dice>,
}

/// Who a request acts as.
#[derive(Debug, Clone)]
pub struct Principal {
    /// Rate limits are kept per key (the API token, or the OAuth grant).
    pub key: String,
    /// OAuth scopes; `None` for API tokens, which may do everything.
    pub scopes: Option<Vec<String>>,
    pub user_id: i64,
}

#[derive(Debug, PartialEq)]
pub struct OAuthError {
    pub status: u16,
    pub error: &'static str,
    pub message: String,
}

impl OAuthError {
    fn new(status: u16, error: &'static str, message: impl Into<String>) -> Self {
        OAuthError {
            status,
            error,
            message: message.into(),
        }
    }
    pub fn body(&self) -> Value {
        json!({"success": false, "error": self.error, "error_description": self.message, "message": self.message})
    }
}

impl OAuthServer {
    pub fn new(settings: OAuthSettings, seed: u64) -> Self {
        OAuthServer {
            settings: Mutex::new(settings),
            state: Mutex::default(),
            dice: Mutex::new(Dice::new(seed ^ 0x0A07_0A07)),
        }
    }

    pub fn settings(&self) -> OAuthSettings {
        self.settings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.settings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .access_token_lifetime = lifetime;
    }

    fn secret(&self, prefix: &str) -> String {
        let mut dice = self.dice.lock().unwrap_or_else(|e| e.into_inner());
        format!("{prefix}:{}{}", dice.hex40(), dice.hex40())
    }

    fn app(&self, client_id: &str) -> Option<OAuthApp> {
        self.settings()
            .apps
            .into_iter()
            .find(|a| a.client_id == client_id)
    }

    /// Checks an authorization request; the error is shown to the person in the browser.
    pub fn check_authorize(&self, client_id: &str, redirect_uri: &str) -> Result<(), String> {
        let app = self
            .app(client_id)
            .ok_or_else(|| format!("Unknown client_id '{client_id}'."))?;
        if !app.redirect_uris.is_empty() && !app.redirect_uris.iter().any(|u| u == redirect_uri) {
            return Err(format!(
                "redirect_uri '{redirect_uri}' is not registered for this app."
            ));
        }
        if !redirect_uri.starts_with("http://") && !redirect_uri.starts_with("https://") {
            return Err("redirect_uri must be an http(s) URL.".into());
        }
        Ok(())
    }

    /// Issues an authorization code after consent.
    pub fn issue_code(&self, client_id: &str, redirect_uri: &str, scope: Option<&str>) -> String {
        let code = self.secret("code");
        let scope = scope
            .filter(|s| !s.trim().is_empty())
            .unwrap_or(DEFAULT_SCOPE)
            .replace(',', " ");
        let entry = Code {
            client_id: client_id.into(),
            redirect_uri: redirect_uri.into(),
            scope,
            issued: Instant::now(),
            used: false,
            family: None,
        };
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .codes
            .insert(code.clone(), entry);
        code
    }

    /// Reads HTTP Basic client credentials (or form fields) and checks them.
    pub fn client(
        &self,
        authorization: Option<&str>,
        form: &HashMap<String, String>,
    ) -> Result<String, OAuthError> {
        let (id, secret) = match authorization.and_then(|h| h.strip_prefix("Basic ")) {
            Some(b64) => {
                let decoded = STANDARD
                    .decode(b64.trim())
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .unwrap_or_default();
                let (id, secret) = decoded.split_once(':').unwrap_or((decoded.as_str(), ""));
                (id.to_string(), secret.to_string())
            }
            None => (
                form.get("client_id").cloned().unwrap_or_default(),
                form.get("client_secret").cloned().unwrap_or_default(),
            ),
        };
        match self.app(&id) {
            Some(app) if app.client_secret == secret => Ok(id),
            _ => Err(OAuthError::new(
                401,
                "invalid_client",
                "Invalid client credentials",
            )),
        }
    }

    /// `POST /oauth/token`.
    pub fn token(
        &self,
        client_id: &str,
        form: &HashMap<String, String>,
        api_domain: &str,
    ) -> Result<Value, OAuthError> {
        let settings = self.settings();
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (scope, family) = match form.get("grant_type").map(String::as_str) {
            Some("authorization_code") => {
                let code_text = form.get("code").cloned().unwrap_or_default();
                let code = st.codes.get_mut(&code_text).ok_or_else(|| {
                    OAuthError::new(
                        400,
                        "invalid_grant",
                        "Invalid grant: authorization code is invalid",
                    )
                })?;
                if code.used {
                    // a replayed code revokes what it gave
                    let family = code.family.clone();
                    if let Some(f) = family {
                        st.revoked_families.push(f);
                    }
                    return Err(OAuthError::new(
                        400,
                        "invalid_grant",
                        "Invalid grant: authorization code has already been used",
                    ));
                }
                if code.issued.elapsed() > settings.code_lifetime {
                    return Err(OAuthError::new(
                        400,
                        "invalid_grant",
                        "Invalid grant: authorization code has expired",
                    ));
                }
                if code.client_id != client_id {
                    return Err(OAuthError::new(
                        400,
                        "invalid_grant",
                        "Invalid grant: code was issued to another client",
                    ));
                }
                if form
                    .get("redirect_uri")
                    .is_some_and(|r| *r != code.redirect_uri)
                {
                    return Err(OAuthError::new(
                        400,
                        "invalid_grant",
                        "Invalid grant: redirect_uri does not match",
                    ));
                }
                code.used = true;
                st.families += 1;
                let family = format!("grant{}", st.families);
                let code = st.codes.get_mut(&code_text).expect("present");
                code.family = Some(family.clone());
                (code.scope.clone(), family)
            }
            Some("refresh_token") => {
                let old = form.get("refresh_token").cloned().unwrap_or_default();
                let grant = st.refresh.remove(&old).ok_or_else(|| {
                    OAuthError::new(
                        400,
                        "invalid_grant",
                        "Invalid grant: refresh token is invalid",
                    )
                })?;
                if grant.client_id != client_id {
                    return Err(OAuthError::new(
                        400,
                        "invalid_grant",
                        "Invalid grant: refresh token was issued to another client",
                    ));
                }
                if st.revoked_families.contains(&grant.family) {
                    return Err(OAuthError::new(
                        400,
                        "invalid_grant",
                        "Invalid grant: refresh token has been revoked",
                    ));
                }
                (grant.scope, grant.family)
            }
            other => {
                return Err(OAuthError::new(
                    400,
                    "unsupported_grant_type",
                    format!("grant_type '{}' is not supported", other.unwrap_or("")),
                ))
            }
        };
        drop(st);
        let access = self.secret("v1u");
        let refresh = self.secret("r");
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.access.insert(
            access.clone(),
            Access {
                scope: scope.clone(),
                expires: Instant::now() + settings.access_token_lifetime,
                family: family.clone(),
            },
        );
        st.refresh.insert(
            refresh.clone(),
            Grant {
                client_id: client_id.into(),
                scope: scope.clone(),
                family,
            },
        );
        Ok(json!({
            "access_token": access,
            "token_type": "Bearer",
            "refresh_token": refresh,
            "scope": scope,
            "expires_in": settings.access_token_lifetime.as_secs(),
            "api_domain": api_domain,
        }))
    }

    /// `POST /oauth/revoke`: a refresh token revokes its whole grant; an access token only itself.
    pub fn revoke(&self, token: &str) {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(grant) = st.refresh.remove(token) {
            st.revoked_families.push(grant.family);
        }
        st.access.remove(token);
    }

    /// The principal behind an API request's credentials.
    pub fn authenticate(
        &self,
        api_tokens: &[String],
        header_token: Option<&str>,
        query_token: Option<&str>,
        bearer: Option<&str>,
    ) -> Result<Principal, ApiError> {
        if let Some(token) = header_token.or(query_token) {
            return if api_tokens.iter().any(|t| t == token) {
                Ok(Principal {
                    key: format!("token:{token}"),
                    scopes: None,
                    user_id: 1,
                })
            } else {
                Err(ApiError::unauthorized())
            };
        }
        let bearer = bearer.ok_or_else(ApiError::unauthorized)?;
        let st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let access = st.access.get(bearer).ok_or_else(ApiError::unauthorized)?;
        if access.expires <= Instant::now() || st.revoked_families.contains(&access.family) {
            return Err(ApiError::unauthorized());
        }
        Ok(Principal {
            key: format!("oauth:{}", access.family),
            scopes: Some(access.scope.split_whitespace().map(String::from).collect()),
            user_id: 1,
        })
    }
}

impl Principal {
    /// Whether the grant covers `family` (`deals`) for reading or writing.
    pub fn allows(&self, family: &str, write: bool) -> bool {
        let Some(scopes) = &self.scopes else {
            return true;
        };
        scopes.iter().any(|s| {
            s == family
                || *s == format!("{family}:full")
                || (!write && *s == format!("{family}:read"))
                || (family == "base" && !write)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server() -> OAuthServer {
        OAuthServer::new(OAuthSettings::default(), 1)
    }

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn code_is_single_use_and_refresh_rotates() {
        let s = server();
        let code = s.issue_code("sandbox-client", "http://localhost:33333", None);
        let f = form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://localhost:33333"),
        ]);
        let first = s.token("sandbox-client", &f, "http://x").expect("exchange");
        let access = first["access_token"].as_str().unwrap().to_string();
        let refresh = first["refresh_token"].as_str().unwrap().to_string();
        assert!(s.authenticate(&[], None, None, Some(&access)).is_ok());
        // replay: refused, and the grant it produced is revoked
        assert_eq!(
            s.token("sandbox-client", &f, "http://x").unwrap_err().error,
            "invalid_grant"
        );
        assert!(s.authenticate(&[], None, None, Some(&access)).is_err());
        let r = form(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)]);
        assert_eq!(
            s.token("sandbox-client", &r, "http://x").unwrap_err().error,
            "invalid_grant"
        );
    }

    #[test]
    fn refresh_gives_a_new_pair_and_retires_the_old_refresh_token() {
        let s = server();
        let code = s.issue_code("sandbox-client", "http://localhost:1", Some("deals:read"));
        let t = s
            .token(
                "sandbox-client",
                &form(&[("grant_type", "authorization_code"), ("code", &code)]),
                "d",
            )
            .unwrap();
        let r1 = t["refresh_token"].as_str().unwrap().to_string();
        let t2 = s
            .token(
                "sandbox-client",
                &form(&[("grant_type", "refresh_token"), ("refresh_token", &r1)]),
                "d",
            )
            .unwrap();
        assert_ne!(t2["refresh_token"], t["refresh_token"]);
        assert_ne!(t2["access_token"], t["access_token"]);
        assert_eq!(t2["scope"], "deals:read");
        assert!(s
            .token(
                "sandbox-client",
                &form(&[("grant_type", "refresh_token"), ("refresh_token", &r1)]),
                "d"
            )
            .is_err());
        let p = s
            .authenticate(&[], None, None, t2["access_token"].as_str())
            .unwrap();
        assert!(
            p.allows("deals", false) && !p.allows("deals", true) && !p.allows("contacts", false)
        );
    }

    #[test]
    fn client_credentials_are_checked() {
        let s = server();
        let good = format!("Basic {}", STANDARD.encode("sandbox-client:sandbox-secret"));
        let bad = format!("Basic {}", STANDARD.encode("sandbox-client:nope"));
        assert_eq!(
            s.client(Some(&good), &HashMap::new()).unwrap(),
            "sandbox-client"
        );
        assert_eq!(
            s.client(Some(&bad), &HashMap::new()).unwrap_err().status,
            401
        );
    }
}

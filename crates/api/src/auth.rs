//! Credentials a request carries: an API token (`x-api-token`), or an OAuth bearer token from a
//! [`TokenSource`] that can refresh it (the OAuth flows live behind that seam).

use crate::error::Error;
use aws_lc_rs::digest::{digest, SHA256};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Supplies OAuth access tokens.
pub trait TokenSource: Send + Sync {
    /// The access token to use now (refreshed first when it is known to be expired).
    fn access_token(&self) -> BoxFuture<'_, Result<String, Error>>;
    /// Called after the API refused `rejected` with 401: refresh and return a new token.
    fn refresh(&self, rejected: &str) -> BoxFuture<'_, Result<String, Error>>;
}

#[derive(Clone)]
pub enum Credentials {
    ApiToken(String),
    OAuth(Arc<dyn TokenSource>),
}

/// An access token used as given (`InitiateOAuth=OFF`): a 401 is final.
struct FixedToken(String);

impl TokenSource for FixedToken {
    fn access_token(&self) -> BoxFuture<'_, Result<String, Error>> {
        Box::pin(async move { Ok(self.0.clone()) })
    }
    fn refresh(&self, _rejected: &str) -> BoxFuture<'_, Result<String, Error>> {
        Box::pin(async move {
            Err(Error::new(
                crate::error::ErrorKind::Unauthorized,
                "the OAuth access token was refused and cannot be refreshed here: \
                 get a new OAuthAccessToken",
            ))
        })
    }
}

impl Credentials {
    /// An OAuth access token that is used as given and never refreshed.
    pub fn bearer(token: impl Into<String>) -> Credentials {
        Credentials::OAuth(Arc::new(FixedToken(token.into())))
    }

    /// A one-way name of these credentials at `base_url`, the same whenever they are used (an
    /// OAuth connection's names its current access token): it finds an account's cached data
    /// again without keeping any secret.
    pub async fn fingerprint(&self, base_url: &str) -> Result<String, Error> {
        let secret = match self {
            Credentials::ApiToken(t) => t.clone(),
            Credentials::OAuth(source) => source.access_token().await?,
        };
        Ok(fingerprint(&format!("{base_url}\n{secret}")))
    }

    /// A stable name for the rate-limit budget these credentials draw on (no secret in it).
    pub fn budget_key(&self) -> String {
        match self {
            Credentials::ApiToken(t) => format!("token:{}", fingerprint(t)),
            Credentials::OAuth(source) => format!("oauth:{:p}", Arc::as_ptr(source)),
        }
    }
}

/// A non-reversible fingerprint of a secret (the first half of its SHA-256, in hex): budgets are
/// shared per token, settings files and cached rows found again, without keeping the secret.
pub fn fingerprint(secret: &str) -> String {
    digest(&SHA256, secret.trim().as_bytes()).as_ref()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::ApiToken(_) => f.write_str("ApiToken(<redacted>)"),
            Credentials::OAuth(_) => f.write_str("OAuth(<token source>)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_stay_out_of_debug_output_and_budget_keys() {
        let c = Credentials::ApiToken("s3cr3t-token-value".into());
        assert!(!format!("{c:?}").contains("s3cr3t"));
        assert!(!c.budget_key().contains("s3cr3t"));
        assert_eq!(
            c.budget_key(),
            Credentials::ApiToken("s3cr3t-token-value".into()).budget_key()
        );
        assert_ne!(
            c.budget_key(),
            Credentials::ApiToken("other".into()).budget_key()
        );
    }
}

//! OAuth tokens that renew themselves: refreshed shortly before they run out and when the API
//! answers 401; with a settings file, every refresh happens under the file's lock, so processes
//! sharing the file take turns: the first refreshes and writes, the others read its result.

use super::app::OAuthApp;
use super::settings_file::{SettingsFile, Stored};
use super::tokens::Tokens;
use crate::auth::{BoxFuture, TokenSource};
use crate::error::{Error, ErrorKind};
use tokio::sync::Mutex;

pub struct OAuthTokens {
    app: OAuthApp,
    file: Option<SettingsFile>,
    tokens: Mutex<Tokens>,
}

impl OAuthTokens {
    pub fn new(app: OAuthApp, tokens: Tokens, file: Option<SettingsFile>) -> OAuthTokens {
        OAuthTokens {
            app,
            file,
            tokens: Mutex::new(tokens),
        }
    }

    /// The tokens in use now.
    pub async fn current(&self) -> Tokens {
        self.tokens.lock().await.clone()
    }

    /// Refreshes `held` (the caller holds the in-process lock).
    pub(crate) async fn renew(&self, held: &mut Tokens) -> Result<(), Error> {
        let Some(file) = &self.file else {
            *held = refreshed(&self.app, held).await?;
            return Ok(());
        };
        let locking = file.clone();
        let _lock = tokio::task::spawn_blocking(move || locking.lock())
            .await
            .map_err(|e| Error::new(ErrorKind::Config, format!("settings file lock: {e}")))??;
        let mut stored = file.read()?.unwrap_or_else(|| Stored {
            client_id: self.app.client_id.clone(),
            ..Stored::default()
        });
        if let Some(theirs) = stored.tokens.clone() {
            if theirs.access_token != held.access_token {
                // refreshed by another connection or process since these were read
                tracing::info!("OAuth tokens taken from the settings file, refreshed elsewhere");
                *held = theirs;
                if !held.due() {
                    return Ok(());
                }
            }
        }
        let new = refreshed(&self.app, held).await?;
        stored.set_app(&self.app);
        stored.tokens = Some(new.clone());
        // the rotated refresh token is on disk before anyone else may refresh
        file.write(&stored)?;
        *held = new;
        Ok(())
    }
}

/// New tokens for `held`'s refresh token, keeping what the answer leaves out.
async fn refreshed(app: &OAuthApp, held: &Tokens) -> Result<Tokens, Error> {
    let refresh_token = held.refresh_token.as_deref().ok_or_else(|| {
        Error::new(
            ErrorKind::Unauthorized,
            "the OAuth access token has run out or was refused and there is no refresh token to \
             renew it: set OAuthRefreshToken, or sign in again (InitiateOAuth=GETANDREFRESH, or \
             the OAuthVerifier steps)",
        )
    })?;
    tracing::info!("refreshing the OAuth access token");
    let mut new = app.refresh(refresh_token).await?;
    if new.refresh_token.is_none() {
        new.refresh_token = held.refresh_token.clone();
    }
    if new.api_domain.is_none() {
        new.api_domain = held.api_domain.clone();
    }
    Ok(new)
}

impl TokenSource for OAuthTokens {
    fn access_token(&self) -> BoxFuture<'_, Result<String, Error>> {
        Box::pin(async move {
            let mut held = self.tokens.lock().await;
            if held.due() && held.refresh_token.is_some() {
                self.renew(&mut held).await?;
            }
            Ok(held.access_token.clone())
        })
    }

    fn refresh(&self, rejected: &str) -> BoxFuture<'_, Result<String, Error>> {
        let rejected = rejected.to_string();
        Box::pin(async move {
            let mut held = self.tokens.lock().await;
            if held.access_token == rejected {
                self.renew(&mut held).await?;
            }
            Ok(held.access_token.clone())
        })
    }
}

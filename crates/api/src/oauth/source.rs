//! OAuth tokens that renew themselves: refreshed shortly before they run out and when the API
//! answers 401; with a settings file, every refresh happens under the file's lock, so processes
//! sharing the file take turns: the first refreshes and writes, the others read its result.
//! With InitiateOAuth=GETANDREFRESH a refused refresh signs in through the browser again.

use super::app::OAuthApp;
use super::browser::sign_in;
use super::settings_file::SettingsFile;
use super::tokens::Tokens;
use crate::auth::{BoxFuture, TokenSource};
use crate::error::{Error, ErrorKind};
use std::time::Duration;
use tokio::sync::Mutex;

pub struct OAuthTokens {
    app: OAuthApp,
    file: Option<SettingsFile>,
    tokens: Mutex<Tokens>,
    /// The browser sign-in (scope, time allowed) used when a refresh is refused.
    sign_in_again: Option<(Option<String>, Duration)>,
}

impl OAuthTokens {
    pub fn new(app: OAuthApp, tokens: Tokens, file: Option<SettingsFile>) -> OAuthTokens {
        OAuthTokens {
            app,
            file,
            tokens: Mutex::new(tokens),
            sign_in_again: None,
        }
    }

    /// Signs in through the browser when the authorization is refused (GETANDREFRESH).
    pub fn signing_in_again(mut self, scope: Option<String>, timeout: Duration) -> OAuthTokens {
        self.sign_in_again = Some((scope, timeout));
        self
    }

    /// The tokens, renewed first when they are due.
    pub(crate) async fn fresh(&self) -> Result<Tokens, Error> {
        let mut held = self.tokens.lock().await;
        if held.due() {
            self.renew(&mut held).await?;
        }
        Ok(held.clone())
    }

    /// Refreshes `held` (the caller holds the in-process lock); when the refresh is refused and
    /// signing in again is allowed, signs in through the browser.
    pub(crate) async fn renew(&self, held: &mut Tokens) -> Result<(), Error> {
        match (self.refresh_held(held).await, &self.sign_in_again) {
            (Err(e), Some((scope, timeout))) if e.kind == ErrorKind::Unauthorized => {
                tracing::info!("the OAuth authorization was refused: signing in again");
                let tokens = sign_in(&self.app, scope.as_deref(), *timeout).await?;
                if let Some(file) = &self.file {
                    file.update(|s| s.hold(&self.app, tokens.clone()))?;
                }
                *held = tokens;
                Ok(())
            }
            (result, _) => result,
        }
    }

    async fn refresh_held(&self, held: &mut Tokens) -> Result<(), Error> {
        let Some(file) = &self.file else {
            *held = refreshed(&self.app, held).await?;
            return Ok(());
        };
        let locking = file.clone();
        let _lock = tokio::task::spawn_blocking(move || locking.lock())
            .await
            .map_err(|e| Error::new(ErrorKind::Config, format!("settings file lock: {e}")))??;
        let mut stored = file.read()?.unwrap_or_default();
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
        stored.hold(&self.app, new.clone());
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

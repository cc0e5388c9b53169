//! The OAuth steps by hand, each one of the driver's OAuth procedures run on a connection that
//! does not sign in by itself (AuthScheme=OAuth with the app in `-c` or the DSN).

use crate::connect::Connection;
use crate::output;
use clap::Subcommand;
use pipedrive_engine::{ScalarValue, Session};

#[derive(Subcommand)]
pub enum Step {
    /// Print the URL to open in a browser to grant access (GetOAuthAuthorizationURL).
    Url {
        #[arg(long)]
        callback_url: Option<String>,
        #[arg(long)]
        state: Option<String>,
        #[arg(long)]
        scope: Option<String>,
    },
    /// Exchange the code of the redirect for tokens, kept in OAuthSettingsLocation
    /// (GetOAuthAccessToken, AuthMode=WEB).
    Exchange {
        /// The `code` parameter of the redirect after consent.
        #[arg(long)]
        verifier: String,
        #[arg(long)]
        callback_url: Option<String>,
    },
    /// Sign in through the browser here and listen on the CallbackURL (GetOAuthAccessToken,
    /// AuthMode=APP).
    SignIn {
        #[arg(long)]
        scope: Option<String>,
    },
    /// New tokens for a refresh token (RefreshOAuthAccessToken).
    Refresh {
        #[arg(long, env = "PIPEDRIVE_OAUTH_REFRESH_TOKEN", hide_env_values = true)]
        refresh_token: String,
    },
}

impl Step {
    /// The procedure and its named arguments.
    fn call(self) -> (&'static str, Vec<(&'static str, Option<String>)>) {
        match self {
            Step::Url {
                callback_url,
                state,
                scope,
            } => (
                "GetOAuthAuthorizationURL",
                vec![
                    ("CallbackURL", callback_url),
                    ("State", state),
                    ("Scope", scope),
                ],
            ),
            Step::Exchange {
                verifier,
                callback_url,
            } => (
                "GetOAuthAccessToken",
                vec![
                    ("AuthMode", Some("WEB".into())),
                    ("Verifier", Some(verifier)),
                    ("CallbackURL", callback_url),
                ],
            ),
            Step::SignIn { scope } => (
                "GetOAuthAccessToken",
                vec![("AuthMode", Some("APP".into())), ("Scope", scope)],
            ),
            Step::Refresh { refresh_token } => (
                "RefreshOAuthAccessToken",
                vec![("OAuthRefreshToken", Some(refresh_token))],
            ),
        }
    }
}

/// Runs the step's procedure and prints what it answers.
pub async fn run(
    connection: &Connection,
    step: Step,
    out: &mut impl std::io::Write,
    format: output::Format,
) -> Result<(), String> {
    let mut props = connection.properties()?;
    // the step itself is the sign-in: the session runs procedures only, and never signs in
    props.set("InitiateOAuth", "OFF");
    let oauth = pipedrive_config::oauth_options(&props)
        .map_err(|e| e.0)?
        .ok_or("the OAuth steps need AuthScheme=OAuth with OAuthClientId and OAuthClientSecret (in -c or the DSN)")?;
    let session = Session::open(None, Some(oauth))
        .await
        .map_err(|e| e.to_string())?;
    let (name, args) = step.call();
    let given: Vec<_> = args
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
        .collect();
    let sql = format!(
        "EXEC {name} {}",
        given
            .iter()
            .map(|(k, _)| format!("@{k} = ?"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let values = given
        .into_iter()
        .map(|(_, v)| ScalarValue::Utf8(Some(v)))
        .collect();
    let prepared = session
        .prepare(&sql)
        .await
        .and_then(|p| p.bind(values))
        .map_err(|e| e.to_string())?;
    output::query(out, prepared, format).await
}

//! The OAuth procedures of the product documentation: the authorization URL for a sign-in in a
//! browser elsewhere, the exchange of its code (or a sign-in here, AuthMode=APP), and a manual
//! refresh. Tokens they obtain are also kept in the connection's OAuth settings file, so a
//! connection with InitiateOAuth=REFRESH and the returned access token can refresh it later.

use super::{text, Context, Output, Param, Procedure, Row};
use crate::error::EngineError;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use pipedrive_api::oauth::{fingerprint, sign_in, OAuthApp, OAuthOptions, SettingsFile, Tokens};
use pipedrive_api::{Error, ErrorKind};

const TOKEN_OUTPUTS: &[Output] = &[
    Output {
        name: "OAuthAccessToken",
        data_type: DataType::Utf8,
        remarks: "The access token (set it as OAuthAccessToken).",
    },
    Output {
        name: "OAuthRefreshToken",
        data_type: DataType::Utf8,
        remarks: "The refresh token (keep it to refresh the access token).",
    },
    Output {
        name: "ExpiresIn",
        data_type: DataType::Int64,
        remarks: "Seconds the access token stays valid.",
    },
];

pub static GET_AUTHORIZATION_URL: Procedure = Procedure {
    name: "GetOAuthAuthorizationURL",
    remarks: "The URL to open in a browser to grant the OAuth app access; Pipedrive then redirects to the callback URL with a code to use as OAuthVerifier.",
    params: &[
        Param {
            name: "CallbackURL",
            required: false,
            remarks: "Where Pipedrive redirects after consent; the connection's CallbackURL when not given.",
        },
        Param {
            name: "State",
            required: false,
            remarks: "A value returned unchanged with the redirect.",
        },
        Param {
            name: "Scope",
            required: false,
            remarks: "Scopes to ask for, space-separated; the app's scopes when not given.",
        },
    ],
    outputs: &[Output {
        name: "URL",
        data_type: DataType::Utf8,
        remarks: "The authorization URL.",
    }],
    run: |ctx, args| {
        Box::pin(async move {
            let app = app(ctx)?;
            let url = app.authorization_url(args.get("CallbackURL"), args.get("State"), args.get("Scope"))?;
            Ok(vec![vec![text(url)]])
        })
    },
};

pub static GET_ACCESS_TOKEN: Procedure = Procedure {
    name: "GetOAuthAccessToken",
    remarks: "Exchanges the code from the authorization redirect (AuthMode=WEB, Verifier) for tokens, or signs in through the browser here (AuthMode=APP).",
    params: &[
        Param {
            name: "AuthMode",
            required: false,
            remarks: "WEB: exchange Verifier; APP: open the browser and listen on the CallbackURL. WEB when a Verifier is given, else APP.",
        },
        Param {
            name: "Verifier",
            required: false,
            remarks: "The code parameter of the redirect (AuthMode=WEB).",
        },
        Param {
            name: "CallbackURL",
            required: false,
            remarks: "The redirect URI used for the authorization URL; the connection's CallbackURL when not given.",
        },
        Param {
            name: "State",
            required: false,
            remarks: "Ignored by the exchange; accepted for symmetry with GetOAuthAuthorizationURL.",
        },
        Param {
            name: "Scope",
            required: false,
            remarks: "Scopes to ask for with AuthMode=APP.",
        },
    ],
    outputs: TOKEN_OUTPUTS,
    run: |ctx, args| {
        Box::pin(async move {
            let mut app = app(ctx)?;
            if let Some(callback) = args.get("CallbackURL") {
                app.callback_url = callback.to_string();
            }
            let mode = args
                .get("AuthMode")
                .map(str::to_ascii_uppercase)
                .unwrap_or_else(|| if args.get("Verifier").is_some() { "WEB" } else { "APP" }.into());
            let options = ctx.oauth.as_ref().expect("checked by app()");
            let (tokens, origin) = match mode.as_str() {
                "WEB" => {
                    let code = args.get("Verifier").ok_or_else(|| Error::new(
                        ErrorKind::Config,
                        "GetOAuthAccessToken with AuthMode=WEB needs @Verifier: the code parameter of the redirect after consent",
                    ))?;
                    (app.exchange_code(code, None).await?, Some(fingerprint(code)))
                }
                "APP" => (sign_in(&app, args.get("Scope").or(options.scope.as_deref()), options.browser_timeout).await?, None),
                other => return Err(EngineError::syntax(format!("AuthMode '{other}' is not known: use WEB or APP"))),
            };
            keep(options, &app, &tokens, origin);
            Ok(vec![token_row(&tokens)])
        })
    },
};

pub static REFRESH_ACCESS_TOKEN: Procedure = Procedure {
    name: "RefreshOAuthAccessToken",
    remarks:
        "New tokens for a refresh token (the refresh token is replaced too: keep the new one).",
    params: &[Param {
        name: "OAuthRefreshToken",
        required: true,
        remarks: "The refresh token returned by GetOAuthAccessToken or an earlier refresh.",
    }],
    outputs: TOKEN_OUTPUTS,
    run: |ctx, args| {
        Box::pin(async move {
            let app = app(ctx)?;
            let refresh = args.get("OAuthRefreshToken").unwrap_or_default();
            let mut tokens = app.refresh(refresh).await?;
            if tokens.refresh_token.is_none() {
                tokens.refresh_token = Some(refresh.to_string());
            }
            keep(
                ctx.oauth.as_ref().expect("checked by app()"),
                &app,
                &tokens,
                None,
            );
            Ok(vec![token_row(&tokens)])
        })
    },
};

/// The connection's OAuth app (AuthScheme=OAuth with OAuthClientId), the settings file's
/// values filling what the properties leave out.
fn app(ctx: &Context) -> Result<OAuthApp, EngineError> {
    let options = ctx.oauth.as_ref().ok_or_else(|| Error::new(
        ErrorKind::Config,
        "the OAuth procedures need AuthScheme=OAuth with OAuthClientId and OAuthClientSecret in the connection",
    ))?;
    let stored = SettingsFile::new(options.settings_file.clone())
        .read()
        .ok()
        .flatten();
    let app = options.app(stored.as_ref());
    if app.client_id.is_empty() {
        return Err(Error::new(
            ErrorKind::Config,
            "OAuthClientId is not set: copy it from your app in Pipedrive's Developer Hub",
        )
        .into());
    }
    Ok(app)
}

/// Keeps new tokens in the settings file, so later connections can use and refresh them. The
/// procedure answers the tokens even when the file cannot be written: the code they came from
/// is spent, and the caller may keep them another way.
fn keep(options: &OAuthOptions, app: &OAuthApp, tokens: &Tokens, origin: Option<String>) {
    let kept = SettingsFile::new(options.settings_file.clone()).update(|s| {
        s.hold(app, tokens.clone());
        s.origin = origin;
    });
    if let Err(e) = kept {
        tracing::warn!(error = %e, "the new OAuth tokens were not kept in the settings file");
    }
}

fn token_row(tokens: &Tokens) -> Row {
    vec![
        text(tokens.access_token.clone()),
        ScalarValue::Utf8(tokens.refresh_token.clone()),
        ScalarValue::Int64(tokens.expires_in().map(|s| s as i64)),
    ]
}

//! The desktop sign-in: the authorization URL opened in the default browser, and a listener on
//! the `CallbackURL`'s host and port that takes Pipedrive's redirect, checks its `state`,
//! exchanges the code and tells the person the window may be closed.

use super::app::OAuthApp;
use super::tokens::Tokens;
use crate::error::{Error, ErrorKind};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// A random `state` value that ties the redirect to this sign-in.
fn new_state() -> String {
    let mut bytes = [0u8; 16];
    let _ = SystemRandom::new().fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn config(message: String) -> Error {
    Error::new(ErrorKind::Config, message)
}

/// Signs in through the browser and answers the tokens; gives up after `timeout`.
pub async fn sign_in(
    app: &OAuthApp,
    scope: Option<&str>,
    timeout: Duration,
) -> Result<Tokens, Error> {
    let callback = url::Url::parse(&app.callback_url).map_err(|e| {
        config(format!(
            "CallbackURL '{}' is not a URL ({e})",
            app.callback_url
        ))
    })?;
    let host = callback.host_str().unwrap_or_default().to_string();
    if callback.scheme() != "http" || host.is_empty() {
        return Err(config(format!(
            "the browser sign-in listens on an http://host:port CallbackURL (got '{}'); for \
             other redirect URIs use the OAuthVerifier steps",
            app.callback_url
        )));
    }
    let port = callback.port_or_known_default().unwrap_or(80);
    let bind_host = match host.as_str() {
        "localhost" => "127.0.0.1".to_string(),
        h => h.trim_start_matches('[').trim_end_matches(']').to_string(),
    };
    let listener = TcpListener::bind((bind_host.as_str(), port))
        .await
        .map_err(|e| {
            config(format!(
                "cannot listen on {host}:{port} for the OAuth redirect ({e}): another sign-in may \
                 be waiting there, or choose another port in CallbackURL (and register it for the app)"
            ))
        })?;
    let state = new_state();
    let url = app.authorization_url(None, Some(&state), scope)?;
    open_browser(&url)?;
    tracing::info!(callback = %app.callback_url, "waiting for the browser sign-in");

    let (tx, mut rx) = mpsc::channel::<Result<Tokens, Error>>(4);
    let shared = Arc::new(Callback {
        app: app.clone(),
        path: callback.path().to_string(),
        state,
        tx,
    });
    let deadline = tokio::time::sleep(timeout);
    tokio::pin!(deadline);
    let mut connections = tokio::task::JoinSet::new();
    let outcome = loop {
        tokio::select! {
            _ = &mut deadline => break Err(Error::new(ErrorKind::Timeout, format!(
                "no sign-in came back to {} within {} s: finish it in the browser window the \
                 driver opened, or use the headless steps (GetOAuthAuthorizationURL, then OAuthVerifier)",
                app.callback_url, timeout.as_secs()))),
            Some(result) = rx.recv() => break result,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let shared = shared.clone();
                connections.spawn(async move {
                    let service = service_fn(move |req| {
                        let shared = shared.clone();
                        async move { Ok::<_, std::convert::Infallible>(shared.answer(req).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .keep_alive(false)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        }
    };
    // let the page that tells the outcome reach the browser
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    outcome
}

struct Callback {
    app: OAuthApp,
    path: String,
    state: String,
    tx: mpsc::Sender<Result<Tokens, Error>>,
}

impl Callback {
    async fn answer(&self, req: Request<hyper::body::Incoming>) -> Response<Full<Bytes>> {
        if req.uri().path() != self.path {
            return page(
                StatusCode::NOT_FOUND,
                "Not found",
                "This address is not the sign-in callback.",
            );
        }
        let query: Vec<(String, String)> =
            url::form_urlencoded::parse(req.uri().query().unwrap_or_default().as_bytes())
                .into_owned()
                .collect();
        let get = |k: &str| query.iter().find(|(q, _)| q == k).map(|(_, v)| v.as_str());
        if get("state") != Some(self.state.as_str()) {
            return page(
                StatusCode::BAD_REQUEST,
                "Sign-in not recognised",
                "This answer does not belong to the sign-in the Pipedrive ODBC driver started \
                 (its state does not match). Start the connection again.",
            );
        }
        if let Some(error) = get("error") {
            let _ = self.tx.try_send(Err(Error::new(
                ErrorKind::Unauthorized,
                format!("the authorization was not granted in the browser ({error}): connect again and choose Allow"),
            )));
            return page(
                StatusCode::OK,
                "Access not granted",
                "The Pipedrive ODBC driver was not given access. You may close this window.",
            );
        }
        let Some(code) = get("code") else {
            return page(
                StatusCode::BAD_REQUEST,
                "Sign-in incomplete",
                "The answer carries no authorization code.",
            );
        };
        match self.app.exchange_code(code, None).await {
            Ok(tokens) => {
                let _ = self.tx.try_send(Ok(tokens));
                page(
                    StatusCode::OK,
                    "Signed in",
                    "The Pipedrive ODBC driver is now authorized. You may close this window.",
                )
            }
            Err(e) => {
                let shown = escape(&e.message);
                let _ = self.tx.try_send(Err(e));
                page(StatusCode::BAD_GATEWAY, "Sign-in failed", &shown)
            }
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn page(status: StatusCode, title: &str, text: &str) -> Response<Full<Bytes>> {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><h1 id=\"title\">{title}</h1><p id=\"message\">{text}</p></body></html>"
    );
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    resp
}

/// Opens `url` with `$BROWSER` (a `:`-separated list of commands, `%s` standing for the URL),
/// else the system's opener.
fn open_browser(url: &str) -> Result<(), Error> {
    let commands: Vec<String> = match std::env::var("BROWSER") {
        Ok(list) if !list.trim().is_empty() => list.split(':').map(String::from).collect(),
        _ if cfg!(target_os = "macos") => vec!["open".into()],
        _ => vec![
            "xdg-open".into(),
            "x-www-browser".into(),
            "sensible-browser".into(),
        ],
    };
    for command in commands.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let mut words: Vec<String> = command.split_whitespace().map(String::from).collect();
        if words.iter().any(|w| w.contains("%s")) {
            words.iter_mut().for_each(|w| *w = w.replace("%s", url));
        } else {
            words.push(url.to_string());
        }
        let spawned = Command::new(&words[0])
            .args(&words[1..])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        if let Ok(mut child) = spawned {
            // reaped in the background: the browser may outlive the sign-in
            std::thread::spawn(move || child.wait());
            return Ok(());
        }
    }
    Err(config(
        "no browser could be opened for the OAuth sign-in (set BROWSER to one): on a machine \
         without a browser, use the headless steps (GetOAuthAuthorizationURL, then OAuthVerifier \
         with InitiateOAuth=REFRESH)"
            .into(),
    ))
}

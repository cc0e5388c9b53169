//! The relay through which requests pass a proxy that asks for Digest credentials.
//!
//! The HTTP client sends proxy credentials only as Basic, given before any challenge. Digest
//! answers the proxy's challenge, and for HTTPS that challenge is the answer to the CONNECT
//! the client makes inside its connector, which it never shows. So the client is pointed at
//! this relay instead: a listener on 127.0.0.1, served by a thread of its own, that makes each
//! CONNECT and each plain-HTTP request to the real proxy, answers its challenge, and then
//! passes the bytes through untouched (the TLS session stays between the client and the
//! server). A challenge is kept and answered again for later requests with a growing count,
//! so a proxy challenges once per nonce, not once per request.
//!
//! The relay serves only requests that carry its own random key (sent by the client as Basic
//! proxy credentials), so no other program on the machine can pass the proxy as the user.

use crate::digest::{Challenge, DigestSession};
use crate::error::{Error, ErrorKind};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use base64::Engine as _;
use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Empty, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1::SendRequest;
use hyper::header::{HeaderValue, HOST, PROXY_AUTHENTICATE, PROXY_AUTHORIZATION};
use hyper::{Method, Request, Response, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

type Body = BoxBody<Bytes, hyper::Error>;

/// A running relay; dropping it stops its thread (and the tunnels it carries).
pub(crate) struct Relay {
    url: String,
    key: (String, String),
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// What the relay's connections share.
struct Shared {
    /// `host:port` of the real proxy.
    proxy: String,
    user: String,
    password: String,
    /// The `Proxy-Authorization` value the client sends (the relay's key).
    key: HeaderValue,
    connect_timeout: Duration,
    /// The proxy's latest challenge, answered before it asks again.
    session: Mutex<Option<DigestSession>>,
    /// Why the latest attempt got no answer from the proxy.
    failure: Mutex<Option<String>>,
}

impl Relay {
    /// A relay to the proxy at `proxy_url` (`http://host:port`) on these credentials.
    pub(crate) fn start(
        proxy_url: &str,
        user: &str,
        password: &str,
        connect_timeout: Duration,
    ) -> Result<Relay, Error> {
        let proxy = upstream_address(proxy_url)?;
        let key = (random_text(), random_text());
        let credentials =
            base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", key.0, key.1));
        let shared = Arc::new(Shared {
            proxy,
            user: user.to_string(),
            password: password.to_string(),
            key: HeaderValue::from_str(&format!("Basic {credentials}"))
                .expect("base64 is a valid header value"),
            connect_timeout,
            session: Mutex::new(None),
            failure: Mutex::new(None),
        });
        let unstarted = |e: std::io::Error| {
            Error::new(
                ErrorKind::Config,
                format!("cannot start the relay for Digest proxy authentication: {e}"),
            )
        };
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).map_err(unstarted)?;
        listener.set_nonblocking(true).map_err(unstarted)?;
        let url = format!("http://{}", listener.local_addr().map_err(unstarted)?);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(unstarted)?;
        let (stop, stopped) = oneshot::channel();
        let serving = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("pipedrive-proxy-relay".into())
            .spawn(move || runtime.block_on(serve(listener, serving, stopped)))
            .map_err(unstarted)?;
        Ok(Relay {
            url,
            key,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The relay's address, as a proxy URL for the HTTP client.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// The Basic credentials the client must send the relay.
    pub(crate) fn key(&self) -> (&str, &str) {
        (&self.key.0, &self.key.1)
    }

    /// Why the proxy could not be reached, if that is why the latest request failed.
    pub(crate) fn failure(&self) -> Option<String> {
        lock(&self.shared.failure).clone()
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn random_text() -> String {
    let mut bytes = [0u8; 18];
    let _ = SystemRandom::new().fill(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// `host:port` of an `http://` proxy URL.
fn upstream_address(proxy_url: &str) -> Result<String, Error> {
    let config = |why: String| Error::new(ErrorKind::Config, why);
    let url = url::Url::parse(proxy_url).map_err(|e| {
        config(format!(
            "ProxyServer '{proxy_url}' is not a proxy address: {e}"
        ))
    })?;
    if url.scheme() != "http" {
        return Err(config(format!(
            "ProxyAuthScheme=DIGEST needs a proxy reached over http:// (ProxyServer is \
             '{proxy_url}')"
        )));
    }
    let host = url
        .host_str()
        .ok_or_else(|| config(format!("ProxyServer '{proxy_url}' names no host")))?;
    Ok(format!(
        "{host}:{}",
        url.port_or_known_default().unwrap_or(80)
    ))
}

/// Accepts the client's connections until told to stop.
async fn serve(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    stopped: oneshot::Receiver<()>,
) {
    let Ok(listener) = TcpListener::from_std(listener) else {
        return;
    };
    tokio::pin!(stopped);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
            _ = &mut stopped => return,
        };
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let shared = Arc::clone(&shared);
                async move { Ok::<_, Infallible>(relay(&shared, req).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades()
                .await;
        });
    }
}

/// One request of the client: a CONNECT becomes a tunnel through the proxy, anything else is
/// forwarded to it; the proxy's challenges are answered on the way.
async fn relay(shared: &Shared, mut req: Request<Incoming>) -> Response<Body> {
    if req.headers().get(PROXY_AUTHORIZATION) != Some(&shared.key) {
        return said(
            StatusCode::PROXY_AUTHENTICATION_REQUIRED,
            "not this relay's key",
        );
    }
    req.headers_mut().remove(PROXY_AUTHORIZATION);
    if req.method() == Method::CONNECT {
        tunnel(shared, req).await
    } else {
        forward(shared, req).await
    }
}

async fn tunnel(shared: &Shared, req: Request<Incoming>) -> Response<Body> {
    let Some(authority) = req.uri().authority().cloned() else {
        return said(StatusCode::BAD_REQUEST, "CONNECT names no host");
    };
    let mut headers = hyper::HeaderMap::new();
    if let Ok(host) = HeaderValue::from_str(authority.as_str()) {
        headers.insert(HOST, host);
    }
    let answer = exchange(shared, &Method::CONNECT, req.uri(), &headers, Bytes::new()).await;
    match answer {
        Ok(answer) if answer.status().is_success() => {
            tokio::spawn(async move {
                let (client, proxy) =
                    tokio::join!(hyper::upgrade::on(req), hyper::upgrade::on(answer));
                if let (Ok(client), Ok(proxy)) = (client, proxy) {
                    let _ = tokio::io::copy_bidirectional(
                        &mut TokioIo::new(client),
                        &mut TokioIo::new(proxy),
                    )
                    .await;
                }
            });
            said(StatusCode::OK, "")
        }
        // the proxy's refusal (407 for credentials, 403 for a host it does not let through)
        Ok(answer) => said(answer.status(), ""),
        Err(failure) => said(StatusCode::BAD_GATEWAY, &failure),
    }
}

async fn forward(shared: &Shared, req: Request<Incoming>) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) => {
            return said(
                StatusCode::BAD_REQUEST,
                &format!("the request broke off: {e}"),
            )
        }
    };
    match exchange(shared, &parts.method, &parts.uri, &parts.headers, body).await {
        Ok(answer) => answer.map(BodyExt::boxed),
        Err(failure) => said(StatusCode::BAD_GATEWAY, &failure),
    }
}

/// Sends a request to the proxy, answering its Digest challenge: with the kept challenge
/// first; again with a new one when the proxy sends one (a first challenge, a nonce run out or
/// forgotten). A challenge repeated for an answer to a challenge just received is the proxy
/// refusing the credentials: that 407 is the result. `Err` says why the proxy gave no answer.
async fn exchange(
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &hyper::HeaderMap,
    body: Bytes,
) -> Result<Response<Incoming>, String> {
    let target = uri.to_string();
    let mut fresh = false;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let authorization = shared.authorization(method, &target);
        let mut request = Request::builder()
            .method(method.clone())
            .uri(uri.clone())
            .body(Full::new(body.clone()))
            .map_err(|e| format!("the request cannot be passed on: {e}"))?;
        *request.headers_mut() = headers.clone();
        if let Some(value) = &authorization {
            request
                .headers_mut()
                .insert(PROXY_AUTHORIZATION, value.clone());
        }
        let answer = match shared.connect().await {
            Ok(mut sender) => sender
                .send_request(request)
                .await
                .map_err(|e| format!("the proxy {} broke the connection: {e}", shared.proxy)),
            Err(e) => Err(e),
        };
        let answer = match answer {
            Ok(answer) => {
                *lock(&shared.failure) = None;
                answer
            }
            Err(failure) => {
                *lock(&shared.failure) = Some(failure.clone());
                return Err(failure);
            }
        };
        if answer.status() != StatusCode::PROXY_AUTHENTICATION_REQUIRED {
            return Ok(answer);
        }
        let values = answer.headers().get_all(PROXY_AUTHENTICATE);
        let Some(challenge) = Challenge::pick(values.iter().filter_map(|v| v.to_str().ok())) else {
            return Ok(answer);
        };
        if (authorization.is_some() && fresh && !challenge.stale) || attempt == MAX_ATTEMPTS {
            return Ok(answer);
        }
        *lock(&shared.session) = Some(DigestSession::new(challenge));
        fresh = true;
    }
}

/// Attempts at one request: a kept challenge run out, then a new one not yet answered.
const MAX_ATTEMPTS: u32 = 3;

impl Shared {
    /// The answer to the kept challenge for `method` on `target`, if one was received.
    fn authorization(&self, method: &Method, target: &str) -> Option<HeaderValue> {
        let mut session = lock(&self.session);
        let value = session.as_mut()?.authorization(
            &self.user,
            &self.password,
            method.as_str(),
            target,
            &random_text(),
        );
        HeaderValue::from_str(&value).ok()
    }

    /// A new HTTP/1 connection to the proxy (one per request: a refused one is not reused).
    async fn connect(&self) -> Result<SendRequest<Full<Bytes>>, String> {
        let stream = tokio::time::timeout(self.connect_timeout, TcpStream::connect(&self.proxy))
            .await
            .map_err(|_| {
                format!(
                    "the proxy {} accepted no connection within {} s",
                    self.proxy,
                    self.connect_timeout.as_secs()
                )
            })?
            .map_err(|e| format!("cannot reach the proxy {}: {e}", self.proxy))?;
        let _ = stream.set_nodelay(true);
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| format!("the proxy {} broke the connection: {e}", self.proxy))?;
        tokio::spawn(connection.with_upgrades());
        Ok(sender)
    }
}

/// An answer of the relay's own.
fn said(status: StatusCode, text: &str) -> Response<Body> {
    let body = if text.is_empty() {
        Empty::new().map_err(|never| match never {}).boxed()
    } else {
        Full::new(Bytes::from(text.to_string()))
            .map_err(|never| match never {})
            .boxed()
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response
}

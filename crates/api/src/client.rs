//! The HTTP client, transport only: credentials on every request, the shared rate-limit budget,
//! timeouts, and retries — reads on 429, 5xx, timeouts and broken connections; writes only when
//! the request certainly did not happen (429, or no connection was made). Lists are walked above
//! it ([`crate::paging`], [`crate::windows`]).

use crate::auth::Credentials;
use crate::budget::Budget;
use crate::config::ClientConfig;
use crate::endpoint::{url, ApiVersion};
use crate::error::{Error, ErrorKind};
use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tracing::{Instrument, Span};

#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// What this client's events (rate-limit waits, retries, requests) are reported under:
    /// the span of the connection that owns it, so its log gets them whatever task runs them.
    span: Span,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.config.base_url)
            .finish_non_exhaustive()
    }
}

struct Inner {
    config: ClientConfig,
    http: reqwest::Client,
    budget: Arc<Budget>,
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Client, Error> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("pipedrive-odbc/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::new(ErrorKind::Config, format!("cannot set up HTTP: {e}")))?;
        let budget = Budget::shared(&config.credentials.budget_key(), config.initial_burst);
        Ok(Client {
            inner: Arc::new(Inner {
                config,
                http,
                budget,
            }),
            span: Span::none(),
        })
    }

    /// This client with its events reported under `span` (see [`Client::span`]).
    pub fn in_span(mut self, span: Span) -> Client {
        self.span = span;
        self
    }

    /// The span this client's events are reported under.
    pub fn span(&self) -> &Span {
        &self.span
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The burst budget learned for these credentials: requests per [`crate::budget::WINDOW`].
    pub(crate) fn burst_budget(&self) -> Option<u32> {
        self.inner.budget.per_window()
    }

    pub(crate) fn page_size(&self) -> usize {
        self.inner
            .config
            .page_size
            .clamp(1, crate::config::MAX_PAGE_SIZE)
    }

    /// `GET` an endpoint; answers the whole JSON body.
    pub async fn get_json(
        &self,
        version: ApiVersion,
        path: &str,
        query: &[(String, String)],
    ) -> Result<Value, Error> {
        self.call(Method::GET, version, path, query, None).await
    }

    /// The `data` of `GET path` (a single row).
    pub async fn get(&self, version: ApiVersion, path: &str) -> Result<Value, Error> {
        Ok(take_data(self.get_json(version, path, &[]).await?))
    }

    /// The `data` of a write (`POST`, `PUT`, `PATCH`, `DELETE`).
    pub async fn write(
        &self,
        method: Method,
        version: ApiVersion,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, Error> {
        Ok(take_data(
            self.call(method, version, path, &[], body).await?,
        ))
    }

    /// `POST` a file as `multipart/form-data` (`file` and text fields); answers the `data`.
    pub async fn upload(
        &self,
        version: ApiVersion,
        path: &str,
        fields: &[(String, String)],
        file: &FilePart,
    ) -> Result<Value, Error> {
        let what = format!("POST {}{}", version.prefix(), path);
        let target = url(&self.inner.config.base_url, version, path);
        let body = Payload::Multipart(fields, file);
        let bytes = self.send(&Method::POST, &target, &[], body, &what).await?;
        Ok(take_data(json_of(&bytes, &what)?))
    }

    /// The bytes of `GET path` (a file's content).
    pub async fn download(&self, version: ApiVersion, path: &str) -> Result<Bytes, Error> {
        let what = format!("GET {}{}", version.prefix(), path);
        let target = url(&self.inner.config.base_url, version, path);
        self.send(&Method::GET, &target, &[], Payload::None, &what)
            .await
    }

    async fn call(
        &self,
        method: Method,
        version: ApiVersion,
        path: &str,
        query: &[(String, String)],
        body: Option<&Value>,
    ) -> Result<Value, Error> {
        let what = format!("{method} {}{}", version.prefix(), path);
        let target = url(&self.inner.config.base_url, version, path);
        let body = body.map_or(Payload::None, Payload::Json);
        let bytes = self.send(&method, &target, query, body, &what).await?;
        json_of(&bytes, &what)
    }

    async fn authorize(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<(reqwest::RequestBuilder, Option<String>), Error> {
        Ok(match &self.inner.config.credentials {
            Credentials::ApiToken(t) => (req.header("x-api-token", t), None),
            Credentials::OAuth(source) => {
                let token = source.access_token().await?;
                (req.bearer_auth(&token), Some(token))
            }
        })
    }

    /// One request with its retries; answers the body of the successful attempt. Its events
    /// (budget waits, retries, answers) are reported under the client's span.
    async fn send(
        &self,
        method: &Method,
        target: &str,
        query: &[(String, String)],
        body: Payload<'_>,
        what: &str,
    ) -> Result<Bytes, Error> {
        let attempts = async {
            let cfg = &self.inner.config;
            let read = *method == Method::GET;
            let mut attempt: u32 = 0;
            let mut refreshed = false;
            loop {
                let slot = self.inner.budget.acquire().await;
                let mut req = self.inner.http.request(method.clone(), target).query(query);
                req = match body {
                    Payload::None => req,
                    Payload::Json(b) => req.json(b),
                    // a form is built anew for each attempt (it is consumed by sending)
                    Payload::Multipart(fields, file) => {
                        let mut form = reqwest::multipart::Form::new().part(
                            "file",
                            reqwest::multipart::Part::bytes(file.bytes.clone())
                                .file_name(file.name.clone()),
                        );
                        for (k, v) in fields {
                            form = form.text(k.clone(), v.clone());
                        }
                        req.multipart(form)
                    }
                };
                let (req, bearer) = self.authorize(req).await?;
                let sent = Instant::now();
                // what went wrong, whether it may be sent again, and how long the API asked to wait
                let answer = req.send().await;
                // the API has counted it by now: its place in the window runs from here
                drop(slot);
                let (err, again, asked) = match answer {
                    Err(e) => (transport_error(&e, what), read || e.is_connect(), None),
                    Ok(resp) => {
                        let status = resp.status();
                        tracing::trace!(%what, status = status.as_u16(), ms = sent.elapsed().as_millis() as u64, "answered");
                        let headers = resp.headers().clone();
                        self.inner.budget.observe(&headers);
                        match resp.bytes().await {
                            Err(e) => (transport_error(&e, what), read, None),
                            Ok(bytes) if status.is_success() => return Ok(bytes),
                            Ok(bytes) => {
                                let mut err = Error::from_status(
                                    status.as_u16(),
                                    &String::from_utf8_lossy(&bytes),
                                    what,
                                );
                                if status == StatusCode::UNAUTHORIZED && !refreshed {
                                    if let (Credentials::OAuth(source), Some(rejected)) =
                                        (&cfg.credentials, bearer)
                                    {
                                        refreshed = true;
                                        source.refresh(&rejected).await?;
                                        continue;
                                    }
                                }
                                if status == StatusCode::TOO_MANY_REQUESTS {
                                    // not processed, so a write may be sent again too
                                    let wait = asked_wait(&headers)
                                        .unwrap_or_else(|| backoff(cfg, attempt));
                                    err.retry_after = Some(wait);
                                    self.inner.budget.throttled(wait);
                                    (err, true, Some(wait))
                                } else {
                                    (err, read && status.is_server_error(), None)
                                }
                            }
                        }
                    }
                };
                if !again || attempt >= cfg.max_retries {
                    return Err(err);
                }
                let pause = asked.unwrap_or_else(|| backoff(cfg, attempt));
                tracing::warn!(%what, attempt = attempt + 1, pause_ms = pause.as_millis() as u64, error = %err, "retrying");
                if asked.is_none() {
                    // a 429 pause is kept by the shared budget, which every request waits on
                    tokio::time::sleep(pause).await;
                }
                attempt += 1;
            }
        };
        attempts.instrument(self.span.clone()).await
    }
}

/// A file to upload: its name and content.
#[derive(Clone, Debug)]
pub struct FilePart {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What a request carries.
#[derive(Clone, Copy)]
enum Payload<'a> {
    None,
    Json(&'a Value),
    Multipart(&'a [(String, String)], &'a FilePart),
}

fn json_of(bytes: &[u8], what: &str) -> Result<Value, Error> {
    serde_json::from_slice(bytes).map_err(|e| {
        Error::new(
            ErrorKind::Decode,
            format!("{what}: the answer is not JSON ({e})"),
        )
    })
}

fn take_data(mut body: Value) -> Value {
    body.get_mut("data").map(Value::take).unwrap_or(Value::Null)
}

fn transport_error(e: &reqwest::Error, what: &str) -> Error {
    if e.is_timeout() {
        Error::new(ErrorKind::Timeout, format!("{what}: no answer in time"))
    } else if e.is_connect() {
        Error::new(
            ErrorKind::Network,
            format!("{what}: cannot connect ({})", root_cause(e)),
        )
    } else {
        Error::new(
            ErrorKind::Network,
            format!("{what}: the connection broke ({})", root_cause(e)),
        )
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// `Retry-After` or `x-ratelimit-reset`, in seconds.
fn asked_wait(headers: &HeaderMap) -> Option<Duration> {
    ["retry-after", "x-ratelimit-reset"]
        .iter()
        .find_map(|h| {
            headers
                .get(*h)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<f64>().ok())
        })
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| Duration::from_secs_f64(s.min(3600.0)))
}

/// Exponential backoff with jitter: between half and all of the doubled step.
fn backoff(cfg: &ClientConfig, attempt: u32) -> Duration {
    let step = cfg
        .base_backoff
        .saturating_mul(1u32 << attempt.min(16))
        .min(cfg.max_backoff);
    let clock = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_nanos();
    let share = 0.5 + f64::from(clock % 1000) / 2000.0;
    step.mul_f64(share)
}

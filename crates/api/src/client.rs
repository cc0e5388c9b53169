//! The HTTP client, transport only: credentials on every request, the shared rate-limit budget,
//! timeouts, and retries — reads on 429, 5xx, timeouts and broken connections; writes only when
//! the request certainly did not happen (429, or no connection was made; see [`crate::retry`]).
//! Lists are walked above it ([`crate::paging`], [`crate::windows`]).

use crate::auth::Credentials;
use crate::budget::{Budget, RateLimits};
use crate::config::ClientConfig;
use crate::endpoint::ApiVersion;
use crate::error::{Error, ErrorKind};
use crate::network::Outbound;
use crate::outgoing::{FilePart, Outgoing, Payload, MAX_FILE_ANSWER};
use crate::retry::Failure;
use bytes::{Bytes, BytesMut};
use reqwest::Method;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};
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
    http: Outbound,
    budget: Arc<Budget>,
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Client, Error> {
        let http = config
            .network
            .http(config.timeout, config.connect_timeout, true)?;
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

    /// The API's limits on this client's credentials, as its answers have said them so far
    /// (requests per 2 s, the company's daily token budget left).
    pub fn rate_limits(&self) -> RateLimits {
        self.inner.budget.limits()
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
        self.get_decoded(version, path, query, |text| serde_json::from_str(text))
            .await
    }

    /// `GET path?query`, its answer read by `decode` (a page whose rows keep some keys only).
    pub(crate) async fn get_decoded<T>(
        &self,
        version: ApiVersion,
        path: &str,
        query: &[(String, String)],
        decode: impl FnOnce(&str) -> serde_json::Result<T>,
    ) -> Result<T, Error> {
        let (bytes, what) = self.get_bytes(version, path, query).await?;
        decoded(&bytes, &what, decode)
    }

    /// The answer of `GET path` as it came, with what the request was (for errors naming it).
    pub(crate) async fn get_bytes(
        &self,
        version: ApiVersion,
        path: &str,
        query: &[(String, String)],
    ) -> Result<(Bytes, String), Error> {
        let base = &self.inner.config.base_url;
        let out = Outgoing::new(base, Method::GET, version, path, query, Payload::None);
        let bytes = self.send(&out).await?;
        Ok((bytes, out.what))
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
        let body = Payload::Multipart(fields, file);
        let base = &self.inner.config.base_url;
        let out = Outgoing::new(base, Method::POST, version, path, &[], body);
        let bytes = self.send(&out).await?;
        Ok(take_data(json_of(&bytes, &out.what)?))
    }

    /// The bytes of `GET path` (a file's content).
    pub async fn download(&self, version: ApiVersion, path: &str) -> Result<Bytes, Error> {
        let base = &self.inner.config.base_url;
        let out = Outgoing::new(base, Method::GET, version, path, &[], Payload::None)
            .answers_up_to(MAX_FILE_ANSWER);
        self.send(&out).await
    }

    async fn call(
        &self,
        method: Method,
        version: ApiVersion,
        path: &str,
        query: &[(String, String)],
        body: Option<&Value>,
    ) -> Result<Value, Error> {
        let body = body.map_or(Payload::None, Payload::Json);
        let base = &self.inner.config.base_url;
        let out = Outgoing::new(base, method, version, path, query, body);
        let bytes = self.send(&out).await?;
        json_of(&bytes, &out.what)
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

    /// After the API refused the bearer token `rejected`: the token source refreshes it.
    async fn refresh(&self, rejected: &str) -> Result<(), Error> {
        if let Credentials::OAuth(source) = &self.inner.config.credentials {
            source.refresh(rejected).await?;
        }
        Ok(())
    }

    /// One request with its retries; answers the body of the successful attempt. The
    /// `Timeout` bounds the whole of it: each attempt gets what is left, and no retry starts
    /// that could not end in time. Its events (budget waits, retries, answers) are reported
    /// under the client's span.
    async fn send(&self, out: &Outgoing<'_>) -> Result<Bytes, Error> {
        if self.inner.config.offline {
            return Err(Error::new(
                ErrorKind::Network,
                format!(
                    "{}: not sent, the connection is offline (Offline=1 answers from the local \
                     cache only; what is not cached there cannot be read, and nothing can be \
                     written)",
                    out.what
                ),
            ));
        }
        let attempts = async {
            let cfg = &self.inner.config;
            let deadline = Instant::now() + cfg.timeout;
            let mut attempt: u32 = 0;
            let mut refreshed = false;
            loop {
                let failure = match self.attempt(out, attempt, deadline).await? {
                    Ok(bytes) => return Ok(bytes),
                    Err(failure) => failure,
                };
                if let (Some(rejected), false) = (&failure.refused, refreshed) {
                    refreshed = true;
                    self.refresh(rejected).await?;
                    continue;
                }
                let Some(pause) = failure.pause(cfg, attempt) else {
                    return Err(failure.err);
                };
                if Instant::now() + pause >= deadline {
                    return Err(out_of_time(failure.err, cfg.timeout));
                }
                tracing::warn!(what = %out.what, attempt = attempt + 1, pause_ms = pause.as_millis() as u64, error = %failure.err, "retrying");
                if failure.asked.is_none() {
                    // a 429 pause is kept by the shared budget, which every request waits on
                    tokio::time::sleep(pause).await;
                }
                attempt += 1;
            }
        };
        attempts.instrument(self.span.clone()).await
    }

    /// One attempt (`attempt` counted from 0) once the budget allows it: the body of its
    /// answer, or why it failed; an outer error (no token to send) ends the request.
    async fn attempt(
        &self,
        out: &Outgoing<'_>,
        attempt: u32,
        deadline: Instant,
    ) -> Result<Result<Bytes, Failure>, Error> {
        let slot = self.inner.budget.acquire().await?;
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            let waited = Error::new(
                ErrorKind::Timeout,
                format!("{}: no answer in time", out.what),
            );
            return Err(out_of_time(waited, self.inner.config.timeout));
        }
        let (req, bearer) = self
            .authorize(out.build(&self.inner.http.client).timeout(left))
            .await?;
        let sent = Instant::now();
        let answer = req.send().await;
        // the API has counted it by now: its place in the window runs from here
        drop(slot);
        Ok(match answer {
            Err(e) => Err(Failure::transport(
                &e,
                &out.what,
                out.is_read() || e.is_connect(),
                self.inner.http.relay_failure(),
            )),
            Ok(resp) => self.read_answer(resp, out, sent, bearer, attempt).await,
        })
    }

    /// Reads an answer: the rate headers go to the budget; a success answers its body, any
    /// other status why it failed (a 429 pauses the budget, a 401 names the refused token).
    async fn read_answer(
        &self,
        resp: reqwest::Response,
        out: &Outgoing<'_>,
        sent: Instant,
        bearer: Option<String>,
        attempt: u32,
    ) -> Result<Bytes, Failure> {
        let status = resp.status();
        tracing::trace!(what = %out.what, status = status.as_u16(), ms = sent.elapsed().as_millis() as u64, "answered");
        let headers = resp.headers().clone();
        self.inner.budget.observe(&headers);
        let body = match body_of(resp, out).await? {
            bytes if status.is_success() => return Ok(bytes),
            bytes => bytes,
        };
        let cfg = &self.inner.config;
        let mut failure = Failure::answer(
            status,
            &headers,
            &body,
            &out.what,
            out.is_read(),
            cfg,
            attempt,
        );
        if let Some(wait) = failure.asked {
            self.inner.budget.throttled(wait);
        }
        if let Some(wait) = failure.stop {
            self.inner.budget.stop(wait, failure.err.clone());
        }
        if failure.err.kind == ErrorKind::Unauthorized {
            failure.refused = bearer;
        }
        Err(failure)
    }
}

/// The body of an answer, read piece by piece up to the request's limit: a longer one fails
/// as soon as it is seen to be (by its `Content-Length`, or once that much has come).
async fn body_of(mut resp: reqwest::Response, out: &Outgoing<'_>) -> Result<Bytes, Failure> {
    let limit = out.max_answer;
    let too_long = || {
        let err = Error::new(
            ErrorKind::Decode,
            format!(
                "{}: the answer is longer than {} MiB, more than the API ever sends (a proxy \
                 or gateway may have answered instead); it was not read further",
                out.what,
                limit >> 20
            ),
        );
        Failure::new(err, false, None)
    };
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Err(too_long());
    }
    // the announced length (already known to be within the limit) is allocated once
    let announced = resp.content_length().unwrap_or(0) as usize;
    let mut body = BytesMut::with_capacity(announced);
    loop {
        match resp.chunk().await {
            Err(e) => return Err(Failure::transport(&e, &out.what, out.is_read(), None)),
            Ok(None) => return Ok(body.freeze()),
            Ok(Some(piece)) if body.len() + piece.len() > limit => return Err(too_long()),
            Ok(Some(piece)) => body.extend_from_slice(&piece),
        }
    }
}

/// The last failure of a request whose `Timeout` ran out before another attempt could end.
fn out_of_time(mut err: Error, timeout: Duration) -> Error {
    err.message = format!(
        "{} (no further attempt: the Timeout of {} s for the whole request ran out)",
        err.message,
        timeout.as_secs()
    );
    err
}

pub(crate) fn json_of(bytes: &[u8], what: &str) -> Result<Value, Error> {
    decoded(bytes, what, |text| serde_json::from_str(text))
}

/// `bytes` read by `decode`; an answer it cannot read is a decode error saying why.
pub(crate) fn decoded<'b, T>(
    bytes: &'b [u8],
    what: &str,
    decode: impl FnOnce(&'b str) -> serde_json::Result<T>,
) -> Result<T, Error> {
    // checked as UTF-8 once, whole: the decoder then takes each string as it is instead of
    // checking every one on its own (on a scan of deals, strings took 19 % of the engine's CPU
    // that way, 11 % this way)
    decoded_text(text_of(bytes, what)?, what, decode)
}

/// An answer's `bytes` as text, checked as UTF-8 with the processor's vector instructions where
/// it has them (a page of 500 deals in 35 to 55 µs instead of 210 to 270 µs with the standard
/// check); an answer that is not UTF-8 is a decode error saying where it breaks.
pub(crate) fn text_of<'b>(bytes: &'b [u8], what: &str) -> Result<&'b str, Error> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Ok(text),
        // the standard check, only to find where the text breaks
        Err(_) => std::str::from_utf8(bytes).map_err(|bad| not_utf8(what, &bad)),
    }
}

/// An answer's `bytes` as an owned text, checked as [`text_of`] checks it (the bytes are kept,
/// not copied).
pub(crate) fn owned_text_of(bytes: Vec<u8>, what: &str) -> Result<String, Error> {
    text_of(&bytes, what)?;
    // SAFETY: `text_of` found the bytes to be UTF-8 just above
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}

/// An answer's `text`, already checked as UTF-8, read by `decode`; an answer it cannot read is
/// a decode error saying why.
pub(crate) fn decoded_text<'t, T>(
    text: &'t str,
    what: &str,
    decode: impl FnOnce(&'t str) -> serde_json::Result<T>,
) -> Result<T, Error> {
    decode(text).map_err(|e| {
        let why = if e.is_eof() {
            format!("the answer breaks off before its end ({e}): it was cut short on the way")
        } else {
            format!("the answer is not the JSON the API sends ({e})")
        };
        Error::new(ErrorKind::Decode, format!("{what}: {why}"))
    })
}

/// The error for an answer to `what` that is not UTF-8 text.
pub(crate) fn not_utf8(what: &str, bad: &std::str::Utf8Error) -> Error {
    Error::new(
        ErrorKind::Decode,
        format!(
            "{what}: the answer is not UTF-8 text (a broken byte sequence at byte {})",
            bad.valid_up_to()
        ),
    )
}

fn take_data(mut body: Value) -> Value {
    body.get_mut("data").map(Value::take).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_checked_as_utf8_and_a_broken_one_says_where() {
        // long texts go through the vector check's wide path, short ones through its tail
        let long = "ab\u{e9}\u{4e2d}\u{1f600}".repeat(40);
        let cases: Vec<(Vec<u8>, Option<usize>)> = vec![
            (b"{}".to_vec(), None),
            (long.clone().into_bytes(), None),
            (b"{\"a\":\"\xff\"}".to_vec(), Some(6)),
            // a sequence cut short at the end of the text
            ([long.as_bytes(), b"\xe4\xb8"].concat(), Some(long.len())),
            // a surrogate written as UTF-8, deep inside a long text
            (
                [long.as_bytes(), b"\xed\xa0\x80", long.as_bytes()].concat(),
                Some(long.len()),
            ),
            // an overlong form of '/'
            (
                [b"x".as_slice(), b"\xc0\xaf", long.as_bytes()].concat(),
                Some(1),
            ),
        ];
        for (bytes, broken_at) in cases {
            let checked = text_of(&bytes, "GET /test");
            let owned = owned_text_of(bytes.clone(), "GET /test");
            match broken_at {
                None => {
                    assert_eq!(checked.expect("UTF-8").as_bytes(), bytes.as_slice());
                    assert_eq!(owned.expect("UTF-8").into_bytes(), bytes);
                }
                Some(at) => {
                    for err in [checked.map(|_| ()), owned.map(|_| ())] {
                        let err = err.expect_err("not UTF-8");
                        assert_eq!(err.kind, ErrorKind::Decode);
                        let said = format!("broken byte sequence at byte {at})");
                        assert!(err.message.contains(&said), "{}", err.message);
                    }
                }
            }
        }
    }
}

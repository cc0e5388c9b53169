//! Errors with the API's own words, classified so callers can map them (e.g. to SQLSTATEs).

use std::fmt;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A connection property or argument is wrong before anything is sent.
    Config,
    /// 401: the token is wrong, revoked or expired.
    Unauthorized,
    /// 403: the token may not do this (OAuth scope, permissions).
    Forbidden,
    /// 404: no such row or endpoint.
    NotFound,
    /// 400 / 422: the API rejected a parameter or body value.
    Rejected,
    /// 429 after every retry (burst or daily budget used up).
    RateLimited,
    /// 5xx after every retry.
    Server,
    /// No answer in time.
    Timeout,
    /// The connection failed or broke.
    Network,
    /// The answer was not the JSON the API sends.
    Decode,
    /// The operation was cancelled by the caller.
    Cancelled,
}

#[derive(Clone, Debug)]
pub struct Error {
    pub kind: ErrorKind,
    /// HTTP status, when the API answered.
    pub status: Option<u16>,
    /// What went wrong, including what the API said; never a secret.
    pub message: String,
    /// How long the API asked to wait (429).
    pub retry_after: Option<Duration>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            status: None,
            message: message.into(),
            retry_after: None,
        }
    }

    /// From an HTTP answer that is not a success.
    pub fn from_status(status: u16, body: &str, what: &str) -> Self {
        let kind = match status {
            401 => ErrorKind::Unauthorized,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            // the proxy's answer, not the API's: no connection to the API was made
            407 => ErrorKind::Network,
            429 => ErrorKind::RateLimited,
            400..=499 => ErrorKind::Rejected,
            _ => ErrorKind::Server,
        };
        let mut said = api_message(body).unwrap_or_else(|| format!("HTTP {status}"));
        match status {
            401 => said.push_str(
                " (the credentials were refused: check the API token in Pipedrive under \
                 Settings > Personal preferences > API, or renew the OAuth authorization)",
            ),
            403 if said.eq_ignore_ascii_case("Scope and URL mismatch") => said.push_str(
                " (the OAuth app was not granted the scope this needs: add the scope to the \
                 app in Pipedrive's Developer Hub and authorize the app again)",
            ),
            407 => said = format!("HTTP 407 from the proxy: {PROXY_CREDENTIALS}"),
            502..=504 if looks_like_html(body) => said.push_str(
                " (an HTML page from a gateway or proxy between this computer and Pipedrive, \
                 not an answer of the API)",
            ),
            402 | 403 => said.push_str(
                " (this user or company may not use it: a permission the user lacks, or a \
                 feature the company's plan does not include or has switched off)",
            ),
            _ => {}
        }
        Error {
            kind,
            status: Some(status),
            message: format!("{what}: {said}"),
            retry_after: None,
        }
    }

    pub fn retryable_for_reads(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::RateLimited
                | ErrorKind::Server
                | ErrorKind::Timeout
                | ErrorKind::Network
                | ErrorKind::Decode
        )
    }
}

/// What a proxy's refusal of its credentials (407) means for the user.
pub(crate) const PROXY_CREDENTIALS: &str = "the proxy asks for credentials it was not given or \
     refused them: check ProxyUser, ProxyPassword and ProxyAuthScheme (BASIC)";

/// Whether a body is an HTML page (an edge's, gateway's or proxy's) rather than JSON.
pub(crate) fn looks_like_html(body: &str) -> bool {
    let start = body.trim_start().get(..64).unwrap_or(body.trim_start());
    let start = start.to_ascii_lowercase();
    start.starts_with("<!doctype html") || start.starts_with("<html")
}

/// The `error` (and `error_info`) text of an API error body.
pub(crate) fn api_message(body: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    let error = v
        .get("error")
        .and_then(|e| e.as_str())
        .or_else(|| v.get("message").and_then(|m| m.as_str()))?;
    Some(error.to_string())
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_words_are_kept_and_classified() {
        let e = Error::from_status(
            400,
            r#"{"success":false,"error":"Validation failed: limit: must be <= 500","code":"ERR_SCHEMA_VALIDATION_FAILED"}"#,
            "GET /api/v2/deals",
        );
        assert_eq!(e.kind, ErrorKind::Rejected);
        assert_eq!(
            e.message,
            "GET /api/v2/deals: Validation failed: limit: must be <= 500"
        );
        assert_eq!(
            Error::from_status(401, "{}", "x").kind,
            ErrorKind::Unauthorized
        );
        assert_eq!(
            Error::from_status(500, "<html>", "x").message,
            "x: HTTP 500"
        );
        let gateway = Error::from_status(502, "<html><body>Bad Gateway</body></html>", "x");
        assert_eq!(gateway.kind, ErrorKind::Server);
        assert!(gateway
            .message
            .starts_with("x: HTTP 502 (an HTML page from a gateway"));
        let proxy = Error::from_status(407, "<html>", "x");
        assert_eq!(proxy.kind, ErrorKind::Network);
        assert_eq!(
            proxy.message,
            format!("x: HTTP 407 from the proxy: {PROXY_CREDENTIALS}")
        );
    }
}

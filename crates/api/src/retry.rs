//! What a failed attempt means: the error it ends in, whether the request may be sent again —
//! reads on 429, 5xx, timeouts and broken connections; writes only when the request certainly
//! did not happen (429, or no connection was made) — and the pause before it is: what the API
//! asked for (`Retry-After` / `x-ratelimit-reset`), else exponential backoff with jitter.
//!
//! Two answers stop every request on the credentials for a while instead: the daily budget
//! used up (a 429 that says so: sending on only draws more 429s until it renews) and Pipedrive's
//! edge blocking the token (a 403 HTML page, the answer to a client that kept sending after
//! 429s: sending on prolongs the block).

use crate::config::ClientConfig;
use crate::error::{api_message, looks_like_html, Error, ErrorKind, PROXY_CREDENTIALS};
use crate::network::lasting_cause;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// An attempt that did not succeed.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) err: Error,
    /// Whether the request may be sent again.
    pub(crate) again: bool,
    /// How long the API asked to wait (a 429); the shared budget keeps that pause.
    pub(crate) asked: Option<Duration>,
    /// The bearer token the API refused with 401, which a refresh may replace.
    pub(crate) refused: Option<String>,
    /// No request on these credentials is to be sent for this long (the daily budget is
    /// used up, or the token is blocked); they fail with this failure's error meanwhile.
    pub(crate) stop: Option<Duration>,
}

impl Failure {
    /// No answer, or an answer whose body broke off: sent again when `again`, unless the
    /// cause is a setting to fix (a certificate refused, the proxy refusing). `relay_failure`:
    /// why the proxy behind the Digest relay could not be reached, which the error only shows
    /// as the relay refusing a tunnel.
    pub(crate) fn transport(
        e: &reqwest::Error,
        what: &str,
        again: bool,
        relay_failure: Option<String>,
    ) -> Failure {
        if let Some(cause) = relay_failure {
            let err = Error::new(
                ErrorKind::Network,
                format!("{what}: cannot connect: {cause}"),
            );
            return Failure::new(err, again, None);
        }
        match lasting_cause(e) {
            Some(cause) => Failure::new(
                Error::new(
                    ErrorKind::Network,
                    format!("{what}: cannot connect: {cause}"),
                ),
                false,
                None,
            ),
            None => Failure::new(transport_error(e, what), again, None),
        }
    }

    /// An answer that is not a success. A 429 was not processed, so even a write may be sent
    /// again, after the wait the API asked for (or the backoff of `attempt`, counted from 0).
    pub(crate) fn answer(
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        what: &str,
        read: bool,
        cfg: &ClientConfig,
        attempt: u32,
    ) -> Failure {
        let text = String::from_utf8_lossy(body);
        let mut err = Error::from_status(status.as_u16(), &text, what);
        if status == StatusCode::UNAUTHORIZED
            && api_message(&text).is_none()
            && cfg.network.proxy.may_pass_a_proxy()
        {
            // not the API's JSON: the proxy's refusal of its credentials (some proxies answer a
            // wrong password with 401 instead of 407)
            err.kind = ErrorKind::Network;
            err.message = format!("{what}: HTTP 401 from the proxy: {PROXY_CREDENTIALS}");
            return Failure::new(err, false, None);
        }
        if status == StatusCode::FORBIDDEN && looks_like_html(&text) {
            err.kind = ErrorKind::RateLimited;
            err.message = format!(
                "{what}: Pipedrive blocked this token for a while (a 403 page instead of an \
                 API answer, what its edge sends to a client that kept sending after being \
                 rate limited); no request is sent for {} s, then connect again \
                 (a proxy's block page looks the same: if it persists, ask who runs the proxy)",
                BLOCK_PAUSE.as_secs()
            );
            return Failure::stopping(err, BLOCK_PAUSE);
        }
        if status != StatusCode::TOO_MANY_REQUESTS {
            return Failure::new(err, read && status.is_server_error(), None);
        }
        if daily_budget_spent(headers, &text) {
            let renews = asked_wait_uncapped(headers).unwrap_or_else(until_utc_midnight);
            err.message = format!(
                "{what}: the company's daily API budget is used up ({}); Pipedrive renews it \
                 at midnight in the company's time zone, in about {}: no request is sent \
                 until then (a plan with a larger budget, or fewer refreshes, avoids this)",
                api_message(&text).unwrap_or_else(|| "HTTP 429".into()),
                hours_and_minutes(renews)
            );
            err.retry_after = Some(renews);
            return Failure::stopping(err, renews);
        }
        let wait = asked_wait(headers).unwrap_or_else(|| backoff(cfg, attempt));
        err.retry_after = Some(wait);
        Failure::new(err, true, Some(wait))
    }

    fn stopping(err: Error, stop: Duration) -> Failure {
        Failure {
            stop: Some(stop),
            ..Failure::new(err, false, None)
        }
    }

    pub(crate) fn new(err: Error, again: bool, asked: Option<Duration>) -> Failure {
        Failure {
            err,
            again,
            asked,
            refused: None,
            stop: None,
        }
    }

    /// The pause before sending again after `attempt` (counted from 0), or `None` when the
    /// request is not to be sent again.
    pub(crate) fn pause(&self, cfg: &ClientConfig, attempt: u32) -> Option<Duration> {
        if !self.again || attempt >= cfg.max_retries {
            return None;
        }
        Some(self.asked.unwrap_or_else(|| backoff(cfg, attempt)))
    }
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

/// How long requests stop after an edge block page.
pub(crate) const BLOCK_PAUSE: Duration = Duration::from_secs(60);

/// `Retry-After` or `x-ratelimit-reset`, in seconds (at most an hour: a burst wait).
fn asked_wait(headers: &HeaderMap) -> Option<Duration> {
    asked_wait_uncapped(headers).map(|d| d.min(Duration::from_secs(3600)))
}

fn asked_wait_uncapped(headers: &HeaderMap) -> Option<Duration> {
    ["retry-after", "x-ratelimit-reset"]
        .iter()
        .find_map(|h| header_number(headers, h))
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| Duration::from_secs_f64(s.min(2.0 * 86_400.0)))
}

fn header_number(headers: &HeaderMap, name: &str) -> Option<f64> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
}

/// A 429 about the daily budget: its remaining-budget header at 0, or its words.
fn daily_budget_spent(headers: &HeaderMap, body: &str) -> bool {
    let spent = ["x-daily-ratelimit-token-remaining", "x-daily-requests-left"]
        .iter()
        .any(|h| header_number(headers, h) == Some(0.0));
    spent
        || api_message(body).is_some_and(|w| {
            let w = w.to_ascii_lowercase();
            w.contains("daily") && (w.contains("budget") || w.contains("limit"))
        })
}

fn until_utc_midnight() -> Duration {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    Duration::from_secs(86_400 - now % 86_400)
}

fn hours_and_minutes(d: Duration) -> String {
    let minutes = d.as_secs().div_ceil(60);
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, m) => format!("{h} h {m} min"),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Credentials;

    fn config() -> ClientConfig {
        let mut cfg = ClientConfig::new("http://localhost", Credentials::ApiToken("t".into()));
        cfg.max_retries = 2;
        cfg.base_backoff = Duration::from_millis(100);
        cfg.max_backoff = Duration::from_millis(300);
        cfg
    }

    fn answer(status: u16, headers: &HeaderMap, read: bool, attempt: u32) -> Failure {
        let status = StatusCode::from_u16(status).expect("status");
        Failure::answer(
            status,
            headers,
            b"{}",
            "GET /v2/deals",
            read,
            &config(),
            attempt,
        )
    }

    #[test]
    fn a_429_is_sent_again_after_the_wait_the_api_asked_for_even_as_a_write() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "1.5".parse().expect("header"));
        let failure = answer(429, &headers, false, 0);
        assert_eq!(failure.err.kind, ErrorKind::RateLimited);
        assert_eq!(failure.asked, Some(Duration::from_millis(1500)));
        assert_eq!(failure.err.retry_after, failure.asked);
        assert_eq!(
            failure.pause(&config(), 1),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            failure.pause(&config(), 2),
            None,
            "no more than max_retries"
        );
    }

    #[test]
    fn a_429_without_a_wait_backs_off_by_its_attempt() {
        let failure = answer(429, &HeaderMap::new(), true, 2);
        let wait = failure.asked.expect("a wait");
        assert!((Duration::from_millis(150)..=Duration::from_millis(300)).contains(&wait));
    }

    #[test]
    fn server_errors_are_sent_again_only_as_reads_and_client_errors_never() {
        let read = answer(503, &HeaderMap::new(), true, 0);
        let pause = read.pause(&config(), 0).expect("a read is retried");
        assert!((Duration::from_millis(50)..=Duration::from_millis(100)).contains(&pause));
        assert_eq!(read.asked, None);
        assert!(answer(503, &HeaderMap::new(), false, 0)
            .pause(&config(), 0)
            .is_none());
        let missing = answer(404, &HeaderMap::new(), true, 0);
        assert_eq!(missing.err.kind, ErrorKind::NotFound);
        assert!(missing.pause(&config(), 0).is_none());
    }

    #[test]
    fn answers_that_make_sending_on_pointless_stop_the_credentials() {
        let with = |pairs: &[(&'static str, &str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, v.parse().expect("header"));
            }
            h
        };
        let daily =
            r#"{"success":false,"error":"Daily API token budget exceeded","errorCode":429}"#;
        let burst = r#"{"success":false,"error":"Request over limit","errorCode":429}"#;
        let page = "<!DOCTYPE html><html><body>Access denied</body></html>";
        // (status, headers, body, stops for, message holds)
        #[rustfmt::skip]
        let cases: Vec<(u16, HeaderMap, &str, Option<Duration>, &str)> = vec![
            (429, with(&[("retry-after", "7200")]), daily, Some(Duration::from_secs(7200)), "in about 2 h 0 min"),
            (429, with(&[("x-daily-ratelimit-token-remaining", "0"), ("retry-after", "90")]), "{}", Some(Duration::from_secs(90)), "daily API budget is used up (HTTP 429)"),
            (429, with(&[("x-daily-requests-left", "0"), ("retry-after", "30")]), burst, Some(Duration::from_secs(30)), "in about 1 min"),
            (429, with(&[("x-daily-requests-left", "12"), ("retry-after", "2")]), burst, None, "Request over limit"),
            (403, HeaderMap::new(), page, Some(BLOCK_PAUSE), "Pipedrive blocked this token"),
            (403, HeaderMap::new(), r#"{"success":false,"error":"Scope and URL mismatch"}"#, None, "was not granted the scope"),
        ];
        for (status, headers, body, stops, says) in cases {
            let f = Failure::answer(
                StatusCode::from_u16(status).expect("status"),
                &headers,
                body.as_bytes(),
                "GET /v2/deals",
                true,
                &config(),
                0,
            );
            assert_eq!(f.stop, stops, "{status} {body}");
            assert!(f.err.message.contains(says), "{}", f.err.message);
            if stops.is_some() {
                assert_eq!(f.err.kind, ErrorKind::RateLimited, "{body}");
                assert_eq!(f.pause(&config(), 0), None, "never sent again: {body}");
            }
        }
        // without a time from the API, the daily budget renews at the next midnight (UTC)
        let f = Failure::answer(
            StatusCode::TOO_MANY_REQUESTS,
            &HeaderMap::new(),
            daily.as_bytes(),
            "x",
            true,
            &config(),
            0,
        );
        assert!(f.stop.is_some_and(|d| d <= Duration::from_secs(86_400)));
    }

    #[test]
    fn backoff_doubles_up_to_its_ceiling() {
        for attempt in 0..6 {
            let step = Duration::from_millis(100 << attempt).min(Duration::from_millis(300));
            let pause = backoff(&config(), attempt);
            assert!(pause >= step / 2 && pause <= step, "{attempt}: {pause:?}");
        }
    }
}

//! What a failed attempt means: the error it ends in, whether the request may be sent again —
//! reads on 429, 5xx, timeouts and broken connections; writes only when the request certainly
//! did not happen (429, or no connection was made) — and the pause before it is: what the API
//! asked for (`Retry-After` / `x-ratelimit-reset`), else exponential backoff with jitter.

use crate::config::ClientConfig;
use crate::error::{Error, ErrorKind};
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
}

impl Failure {
    /// No answer, or an answer whose body broke off: sent again when `again`.
    pub(crate) fn transport(e: &reqwest::Error, what: &str, again: bool) -> Failure {
        Failure::new(transport_error(e, what), again, None)
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
        let mut err = Error::from_status(status.as_u16(), &String::from_utf8_lossy(body), what);
        if status != StatusCode::TOO_MANY_REQUESTS {
            return Failure::new(err, read && status.is_server_error(), None);
        }
        let wait = asked_wait(headers).unwrap_or_else(|| backoff(cfg, attempt));
        err.retry_after = Some(wait);
        Failure::new(err, true, Some(wait))
    }

    fn new(err: Error, again: bool, asked: Option<Duration>) -> Failure {
        Failure {
            err,
            again,
            asked,
            refused: None,
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
    fn backoff_doubles_up_to_its_ceiling() {
        for attempt in 0..6 {
            let step = Duration::from_millis(100 << attempt).min(Duration::from_millis(300));
            let pause = backoff(&config(), attempt);
            assert!(pause >= step / 2 && pause <= step, "{attempt}: {pause:?}");
        }
    }
}

//! The burst budget of one set of credentials, shared by every client in the process: requests
//! wait their turn instead of drawing 429s. The budget is learned from `x-ratelimit-*` answers;
//! a 429 or an exhausted budget pauses everyone on it until the API's reset time. An answer
//! that says sending on is pointless (the daily budget used up, the token blocked) stops
//! everyone on it: their requests fail at once with that answer's error until the time passes.
//!
//! A request stays in our record of the window from when it is sent until [`WINDOW`] after its
//! answer came: the API counted it at some moment in between, so however long the connection
//! took to reach the API (a first request's handshakes), the next one never lands in a window
//! the API still considers full.

use crate::error::Error;
use reqwest::header::HeaderMap;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The API's rolling window.
pub const WINDOW: Duration = Duration::from_secs(2);
/// Kept beyond the window after an answer, for the API's rounding at the window's edge.
const MARGIN: Duration = Duration::from_millis(25);
/// How often a request waiting on a window full of unanswered requests looks again.
const POLL: Duration = Duration::from_millis(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    /// Nothing learned yet: allow this many in a window.
    Unknown(u32),
    /// The API sends no burst limit.
    Unlimited,
    PerWindow(u32),
}

#[derive(Debug)]
struct State {
    limit: Limit,
    /// Requests sent and not answered yet.
    pending: usize,
    /// When requests were answered, oldest first. Answers are matched to requests as a count,
    /// not one by one: the k-th answer time is no earlier than the k-th moment the API counted.
    answered: VecDeque<Instant>,
    paused_until: Option<Instant>,
    /// Until when requests fail at once, with what.
    stopped: Option<(Instant, Error)>,
    /// The company's daily token budget left, as the latest answer that said it.
    daily_left: Option<u64>,
}

/// The API's limits on these credentials, as its answers have said them so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimits {
    /// Requests allowed per rolling 2 s (`x-ratelimit-limit`); `None` before an answer said it,
    /// or when the API sends none.
    pub per_window: Option<u32>,
    /// Tokens of the company's daily budget left (`x-daily-ratelimit-token-remaining`, or
    /// `x-daily-requests-left`); `None` before an answer said it.
    pub daily_tokens_left: Option<u64>,
}

impl State {
    /// Forgets requests that have left the window; answers how many are still in it.
    fn in_window(&mut self, now: Instant) -> usize {
        while self
            .answered
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW + MARGIN)
        {
            self.answered.pop_front();
        }
        self.pending + self.answered.len()
    }
}

#[derive(Debug)]
pub struct Budget {
    key: String,
    state: Mutex<State>,
}

/// A request's place in the window: given up (as answered) when dropped, which the client does
/// as soon as the answer's headers are in, or the request failed or was abandoned.
pub struct Slot {
    budget: Arc<Budget>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.budget.answered(Instant::now());
    }
}

impl Budget {
    fn new(key: &str, initial_burst: u32) -> Self {
        Budget {
            key: key.to_string(),
            state: Mutex::new(State {
                limit: Limit::Unknown(initial_burst.max(1)),
                pending: 0,
                answered: VecDeque::new(),
                paused_until: None,
                stopped: None,
                daily_left: None,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The process-wide budget of these credentials.
    pub fn shared(key: &str, initial_burst: u32) -> Arc<Budget> {
        static ALL: OnceLock<Mutex<HashMap<String, Arc<Budget>>>> = OnceLock::new();
        let mut all = ALL
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        all.entry(key.to_string())
            .or_insert_with(|| Arc::new(Budget::new(key, initial_burst)))
            .clone()
    }

    /// How long the next request must wait, or `None` after taking its place in the window.
    fn try_take(&self, now: Instant) -> Option<Duration> {
        let mut st = self.lock();
        if let Some(until) = st.paused_until {
            if until > now {
                return Some(until - now);
            }
            st.paused_until = None;
        }
        let used = st.in_window(now);
        let cap = match st.limit {
            Limit::Unknown(n) | Limit::PerWindow(n) => Some(n as usize),
            Limit::Unlimited => None,
        };
        if cap.is_some_and(|cap| used >= cap) {
            return Some(match st.answered.front() {
                Some(oldest) => (*oldest + WINDOW + MARGIN).saturating_duration_since(now),
                // every request in the window is still out: the first answer frees nothing
                // before a window has passed, but tells the learned budget
                None => POLL,
            });
        }
        st.pending += 1;
        None
    }

    /// A request of the window has been answered (or failed, or was abandoned) at `at`.
    fn answered(&self, at: Instant) {
        let mut st = self.lock();
        st.pending = st.pending.saturating_sub(1);
        st.answered.push_back(at);
    }

    /// Waits until a request may be sent within the budget; the slot is held until the answer.
    /// While the credentials are stopped, the error that stopped them.
    pub async fn acquire(self: &Arc<Self>) -> Result<Slot, Error> {
        self.check_stopped(Instant::now())?;
        while let Some(wait) = self.try_take(Instant::now()) {
            if wait > POLL {
                tracing::debug!(budget = %self.key, wait_ms = wait.as_millis() as u64, "waiting for the rate-limit budget");
            }
            tokio::time::sleep(wait).await;
        }
        Ok(Slot {
            budget: self.clone(),
        })
    }

    fn check_stopped(&self, now: Instant) -> Result<(), Error> {
        let mut st = self.lock();
        match &st.stopped {
            Some((until, e)) if *until > now => Err(e.clone()),
            Some(_) => {
                st.stopped = None;
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// No request on this budget is sent for `wait`; they fail with `error` meanwhile.
    pub fn stop(&self, wait: Duration, error: Error) {
        let until = Instant::now() + wait;
        tracing::warn!(budget = %self.key, wait_s = wait.as_secs(), "{error}");
        self.lock().stopped = Some((until, error));
    }

    /// The requests the API allows per window, once an answer has told it.
    pub fn per_window(&self) -> Option<u32> {
        self.limits().per_window
    }

    /// The limits the answers have said so far.
    pub fn limits(&self) -> RateLimits {
        let st = self.lock();
        RateLimits {
            per_window: match st.limit {
                Limit::PerWindow(n) => Some(n),
                _ => None,
            },
            daily_tokens_left: st.daily_left,
        }
    }

    /// Learns from an answer's rate headers.
    pub fn observe(&self, headers: &HeaderMap) {
        let number = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let mut st = self.lock();
        if let Some(left) = ["x-daily-ratelimit-token-remaining", "x-daily-requests-left"]
            .into_iter()
            .find_map(number)
        {
            st.daily_left = Some(left);
        }
        match number("x-ratelimit-limit") {
            Some(n) if n > 0 => st.limit = Limit::PerWindow(n as u32),
            _ if matches!(st.limit, Limit::Unknown(_)) => st.limit = Limit::Unlimited,
            _ => {}
        }
        if number("x-ratelimit-remaining") == Some(0) {
            // When our own requests fill the window, our record of them holds the next one
            // exactly as long as needed (the reset header is in whole seconds, rounded up).
            // When they do not, others draw on the token too: wait for the API's reset.
            let now = Instant::now();
            let ours = st.in_window(now);
            let own_limit = match st.limit {
                Limit::PerWindow(n) => n as usize,
                _ => usize::MAX,
            };
            if ours < own_limit {
                let reset = Duration::from_secs(number("x-ratelimit-reset").unwrap_or(2).max(1));
                let until = now + reset;
                st.paused_until = Some(st.paused_until.map_or(until, |p| p.max(until)));
                tracing::debug!(budget = %self.key, ours, "the API's window is full with requests not ours; pausing until its reset");
            }
        }
    }

    /// The API answered 429: nobody on this budget sends before `wait` has passed.
    pub fn throttled(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut st = self.lock();
        st.paused_until = Some(st.paused_until.map_or(until, |p| p.max(until)));
        tracing::info!(budget = %self.key, wait_ms = wait.as_millis() as u64, "rate limited by the API; pausing");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn the_window_holds_the_learned_budget_from_each_answer_on() {
        let b = Budget::new("t", 2);
        let t0 = Instant::now();
        assert_eq!(b.try_take(t0), None);
        assert_eq!(b.try_take(t0), None);
        // both still out: nothing to count from yet
        assert_eq!(b.try_take(t0), Some(POLL));
        let t1 = t0 + Duration::from_millis(300);
        b.answered(t1);
        b.answered(t1 + Duration::from_millis(50));
        let wait = b
            .try_take(t1)
            .expect("third waits while the budget is unknown (2)");
        assert_eq!(wait, WINDOW + MARGIN, "a window from the first answer");
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-limit", HeaderValue::from_static("3"));
        b.observe(&h);
        assert_eq!(b.try_take(t1), None, "the learned budget is 3");
        assert!(b.try_take(t1).is_some());
        assert_eq!(
            b.try_take(t1 + WINDOW + MARGIN),
            None,
            "the first answer left the window"
        );
        assert!(
            b.try_take(t1 + WINDOW + MARGIN).is_some(),
            "the second is in it a little longer; the third is still out"
        );
    }

    #[test]
    fn the_limits_are_what_the_latest_answers_said() {
        let b = Budget::new("limits", 5);
        assert_eq!(b.limits(), RateLimits::default());
        // (headers of an answer, the limits known after it)
        let cases: &[(&[(&str, &str)], RateLimits)] = &[
            (
                &[
                    ("x-ratelimit-limit", "80"),
                    ("x-daily-ratelimit-token-remaining", "29990"),
                ],
                RateLimits {
                    per_window: Some(80),
                    daily_tokens_left: Some(29990),
                },
            ),
            // an answer without the daily header keeps what was said
            (
                &[("x-ratelimit-limit", "80")],
                RateLimits {
                    per_window: Some(80),
                    daily_tokens_left: Some(29990),
                },
            ),
            (
                &[("x-daily-requests-left", "12")],
                RateLimits {
                    per_window: Some(80),
                    daily_tokens_left: Some(12),
                },
            ),
            (
                &[("x-daily-requests-left", "not a number")],
                RateLimits {
                    per_window: Some(80),
                    daily_tokens_left: Some(12),
                },
            ),
        ];
        for (headers, expected) in cases {
            let mut h = HeaderMap::new();
            for (name, value) in *headers {
                h.insert(*name, HeaderValue::from_static(value));
            }
            b.observe(&h);
            assert_eq!(b.limits(), *expected, "{headers:?}");
        }
    }

    #[test]
    fn an_abandoned_request_gives_its_place_up_a_window_later() {
        let b = Arc::new(Budget::new("a", 1));
        let slot = futures_util::FutureExt::now_or_never(b.acquire())
            .expect("room for one")
            .expect("not stopped");
        assert_eq!(b.try_take(Instant::now()), Some(POLL));
        drop(slot);
        let wait = b.try_take(Instant::now()).expect("a window after it");
        assert!(wait > WINDOW - Duration::from_millis(100), "{wait:?}");
    }

    #[test]
    fn a_stopped_budget_fails_at_once_until_its_time_has_passed() {
        let b = Arc::new(Budget::new("s", 5));
        b.stop(
            Duration::from_millis(200),
            Error::new(crate::ErrorKind::RateLimited, "daily budget used up"),
        );
        let now = || futures_util::FutureExt::now_or_never(b.acquire()).expect("no wait");
        assert_eq!(now().err().unwrap().message, "daily budget used up");
        std::thread::sleep(Duration::from_millis(250));
        assert!(now().is_ok());
    }

    #[test]
    fn a_full_window_pauses_for_the_reset_only_when_others_filled_it() {
        let b = Budget::new("w", 2);
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-limit", HeaderValue::from_static("2"));
        h.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        h.insert("x-ratelimit-reset", HeaderValue::from_static("2"));
        let t0 = Instant::now();
        assert_eq!(b.try_take(t0), None);
        b.answered(t0);
        b.observe(&h);
        // one of ours in the window, the API says none left: someone else took the other
        assert!(b
            .try_take(Instant::now())
            .is_some_and(|w| w > Duration::from_secs(1)));
        let c = Budget::new("x", 2);
        let t0 = Instant::now();
        assert_eq!(c.try_take(t0), None);
        assert_eq!(c.try_take(t0), None);
        c.answered(t0);
        c.answered(t0);
        c.observe(&h);
        // both ours: our own window frees the slot when our first request leaves it
        assert_eq!(c.state.lock().unwrap().paused_until, None);
        assert_eq!(c.try_take(t0 + WINDOW + MARGIN), None);
    }

    #[test]
    fn no_limit_header_means_unlimited_and_429_pauses() {
        let b = Budget::new("u", 1);
        b.observe(&HeaderMap::new());
        let t0 = Instant::now();
        assert!((0..100).all(|_| b.try_take(t0).is_none()));
        b.throttled(Duration::from_secs(5));
        assert!(b
            .try_take(Instant::now())
            .is_some_and(|w| w > Duration::from_secs(4)));
    }
}

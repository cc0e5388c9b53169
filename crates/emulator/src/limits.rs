//! Rate limits as the real API applies them: a burst budget per token over a rolling two-second
//! window and a daily token budget charged with each operation's cost.

use crate::config::RateLimits;
use crate::error::ApiError;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(2);
const DAY: Duration = Duration::from_secs(86_400);

#[derive(Default)]
struct Budget {
    recent: VecDeque<Instant>,
    day_start: Option<Instant>,
    tokens_used: u64,
}

pub struct Limiter {
    limits: Mutex<RateLimits>,
    budgets: Mutex<HashMap<String, Budget>>,
}

/// Rate headers sent with every answer.
pub type Headers = Vec<(&'static str, String)>;

impl Limiter {
    pub fn new(limits: RateLimits) -> Self {
        Limiter {
            limits: Mutex::new(limits),
            budgets: Mutex::new(HashMap::new()),
        }
    }

    pub fn set(&self, limits: RateLimits) {
        *self.limits.lock().unwrap_or_else(|e| e.into_inner()) = limits;
        self.budgets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    pub fn limits(&self) -> RateLimits {
        self.limits
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Charges one request of `cost` tokens to `key`, or refuses it with a 429.
    pub fn charge(&self, key: &str, cost: u64) -> Result<Headers, (ApiError, Headers)> {
        self.charge_at(key, cost, Instant::now())
    }

    fn charge_at(
        &self,
        key: &str,
        cost: u64,
        now: Instant,
    ) -> Result<Headers, (ApiError, Headers)> {
        let limits = self.limits();
        let mut budgets = self.budgets.lock().unwrap_or_else(|e| e.into_inner());
        let b = budgets.entry(key.to_string()).or_default();
        while b
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            b.recent.pop_front();
        }
        if b.day_start.is_none_or(|d| now.duration_since(d) >= DAY) {
            b.day_start = Some(now);
            b.tokens_used = 0;
        }
        let reset_in = b
            .recent
            .front()
            .map(|t| WINDOW.saturating_sub(now.duration_since(*t)))
            .unwrap_or(WINDOW);
        let reset_secs = reset_in.as_secs_f64().ceil().max(1.0) as u64;
        let headers = |recent: usize, used: u64| -> Headers {
            let mut h = Headers::new();
            if let Some(burst) = limits.burst_per_2s {
                h.push(("x-ratelimit-limit", burst.to_string()));
                h.push((
                    "x-ratelimit-remaining",
                    (burst as usize).saturating_sub(recent).to_string(),
                ));
                h.push(("x-ratelimit-reset", reset_secs.to_string()));
            }
            if let Some(daily) = limits.daily_tokens {
                h.push((
                    "x-daily-requests-left",
                    daily.saturating_sub(used).to_string(),
                ));
            }
            h
        };
        if let Some(daily) = limits.daily_tokens {
            if b.tokens_used + cost > daily {
                let until_tomorrow = DAY
                    .saturating_sub(now.duration_since(b.day_start.unwrap_or(now)))
                    .as_secs();
                let h = headers(b.recent.len(), b.tokens_used);
                return Err((
                    ApiError::over_limit("Daily API token budget exceeded", until_tomorrow.max(1)),
                    h,
                ));
            }
        }
        if let Some(burst) = limits.burst_per_2s {
            if b.recent.len() >= burst as usize {
                let h = headers(b.recent.len(), b.tokens_used);
                return Err((ApiError::over_limit("Request over limit", reset_secs), h));
            }
        }
        b.recent.push_back(now);
        b.tokens_used += cost;
        Ok(headers(b.recent.len(), b.tokens_used))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(burst: u32, daily: u64) -> Limiter {
        Limiter::new(RateLimits {
            burst_per_2s: Some(burst),
            daily_tokens: Some(daily),
        })
    }

    #[test]
    fn burst_budget_refills_as_the_window_rolls() {
        let l = limiter(3, 1_000);
        let t0 = Instant::now();
        for i in 0..3 {
            let h = l
                .charge_at("tok", 10, t0 + Duration::from_millis(i * 100))
                .expect("within burst");
            assert_eq!(h[1], ("x-ratelimit-remaining", (2 - i).to_string()));
        }
        let (err, _) = l
            .charge_at("tok", 10, t0 + Duration::from_millis(500))
            .expect_err("over burst");
        assert_eq!(err.status.as_u16(), 429);
        // another token has its own budget
        assert!(l
            .charge_at("other", 10, t0 + Duration::from_millis(500))
            .is_ok());
        // the first request leaves the window at t0+2s
        assert!(l
            .charge_at("tok", 10, t0 + Duration::from_millis(2_000))
            .is_ok());
    }

    #[test]
    fn daily_budget_is_charged_by_cost() {
        let l = Limiter::new(RateLimits {
            burst_per_2s: None,
            daily_tokens: Some(25),
        });
        let t0 = Instant::now();
        assert!(l.charge_at("tok", 10, t0).is_ok());
        let h = l.charge_at("tok", 10, t0).expect("20 of 25");
        assert_eq!(h, vec![("x-daily-requests-left", "5".to_string())]);
        let (err, _) = l.charge_at("tok", 10, t0).expect_err("30 > 25");
        assert_eq!(err.body["error"], "Daily API token budget exceeded");
        assert!(
            l.charge_at("tok", 5, t0).is_ok(),
            "a cheaper call still fits"
        );
    }
}

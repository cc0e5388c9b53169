//! An OAuth token pair and when it runs out.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// Seconds since the epoch when the access token was issued.
    pub issued_at: u64,
    /// Seconds since the epoch when it runs out; `None` when unknown (then a 401 tells).
    #[serde(default)]
    pub expires_at: Option<u64>,
    #[serde(default)]
    pub scope: Option<String>,
    /// The company's API address the token endpoint names (`https://acme.pipedrive.com`).
    #[serde(default)]
    pub api_domain: Option<String>,
}

pub(crate) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Tokens {
    /// From a token endpoint answer.
    pub fn from_grant(body: &Value) -> Option<Tokens> {
        let text = |k: &str| {
            body.get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(String::from)
        };
        let issued_at = now();
        Some(Tokens {
            access_token: text("access_token")?,
            refresh_token: text("refresh_token"),
            issued_at,
            expires_at: body
                .get("expires_in")
                .and_then(Value::as_u64)
                .map(|s| issued_at + s),
            scope: text("scope"),
            api_domain: text("api_domain"),
        })
    }

    /// From the connection properties `OAuthAccessToken`, `OAuthRefreshToken`, `OAuthExpiresIn`
    /// (seconds) and `OAuthTokenTimestamp` (when it was issued: seconds or milliseconds since the
    /// epoch; now when absent).
    pub fn given(
        access_token: &str,
        refresh_token: Option<&str>,
        expires_in: Option<u64>,
        timestamp: Option<u64>,
    ) -> Tokens {
        let issued_at = match timestamp {
            Some(t) if t > 100_000_000_000 => t / 1000,
            Some(t) => t,
            None => now(),
        };
        Tokens {
            access_token: access_token.trim().to_string(),
            refresh_token: refresh_token
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from),
            issued_at,
            expires_at: expires_in.filter(|s| *s > 0).map(|s| issued_at + s),
            scope: None,
            api_domain: None,
        }
    }

    /// Seconds the access token was issued for, when known.
    pub fn lifetime(&self) -> Option<u64> {
        self.expires_at.map(|e| e.saturating_sub(self.issued_at))
    }

    /// Seconds from now until it runs out (0 when it has); `None` when unknown.
    pub fn expires_in(&self) -> Option<u64> {
        self.expires_at.map(|e| e.saturating_sub(now()))
    }

    /// Whether it should be refreshed before use: run out, or within a tenth of its lifetime
    /// (at least a second, the clock's step; at most a minute) of running out.
    pub fn due(&self) -> bool {
        match (self.expires_at, self.lifetime()) {
            (Some(at), Some(life)) => now() + (life / 10).clamp(1, 60) >= at,
            _ => false,
        }
    }
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("issued_at", &self.issued_at)
            .field("expires_at", &self.expires_at)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_from_grants_and_properties() {
        let t = Tokens::from_grant(&serde_json::json!({
            "access_token": "a", "refresh_token": "r", "expires_in": 3600, "api_domain": "https://x"
        }))
        .unwrap();
        assert_eq!(t.lifetime(), Some(3600));
        assert!(!t.due());
        assert_eq!(t.api_domain.as_deref(), Some("https://x"));
        assert!(Tokens::from_grant(&serde_json::json!({"refresh_token": "r"})).is_none());

        // issued an hour ago for an hour: due; milliseconds are understood
        let ms = (now() - 3600) * 1000;
        assert!(Tokens::given("a", None, Some(3600), Some(ms)).due());
        assert!(!Tokens::given("a", Some(""), None, None).due());
        assert_eq!(Tokens::given("a", Some(""), None, None).refresh_token, None);
        // within a tenth of its life of running out: due
        assert!(Tokens::given("a", None, Some(100), Some(now() - 95)).due());
        let shown = format!("{t:?}");
        assert!(
            !shown.contains("\"a\"") && !shown.contains("\"r\""),
            "{shown}"
        );
    }
}

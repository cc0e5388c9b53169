//! Counts of what the sandbox was asked, so tests can assert how many requests a query made.

use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Mutex;

#[derive(Debug, Default, Clone, Serialize, PartialEq)]
pub struct Snapshot {
    /// All API requests (OAuth and sandbox control requests not included).
    pub requests: u64,
    /// By `METHOD /api/vN/template`, e.g. `GET /api/v2/deals/{id}`.
    pub by_route: BTreeMap<String, u64>,
    /// By HTTP status of the answer.
    pub by_status: BTreeMap<u16, u64>,
    /// Sum of the `x-token-cost` of answered operations.
    pub tokens: u64,
    /// OAuth token endpoint answers by `grant_type status`, e.g. `refresh_token 200`.
    pub oauth_grants: BTreeMap<String, u64>,
}

impl Snapshot {
    pub fn route(&self, key: &str) -> u64 {
        self.by_route.get(key).copied().unwrap_or(0)
    }
    pub fn status(&self, status: u16) -> u64 {
        self.by_status.get(&status).copied().unwrap_or(0)
    }
    pub fn oauth_grant(&self, key: &str) -> u64 {
        self.oauth_grants.get(key).copied().unwrap_or(0)
    }
}

#[derive(Default)]
pub struct Stats(Mutex<Snapshot>);

impl Stats {
    pub fn record(&self, route: Option<String>, status: u16, tokens: u64) {
        let mut s = self.0.lock().unwrap_or_else(|e| e.into_inner());
        s.requests += 1;
        *s.by_route
            .entry(route.unwrap_or_else(|| "unrouted".into()))
            .or_default() += 1;
        *s.by_status.entry(status).or_default() += 1;
        s.tokens += tokens;
    }
    /// A token endpoint answer (not counted among the API requests).
    pub fn record_grant(&self, grant_type: &str, status: u16) {
        let mut s = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *s.oauth_grants
            .entry(format!("{grant_type} {status}"))
            .or_default() += 1;
    }
    pub fn snapshot(&self) -> Snapshot {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
    pub fn reset(&self) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Snapshot::default();
    }
}

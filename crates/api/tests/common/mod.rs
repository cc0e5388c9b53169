//! Sandboxes and clients for the client's tests.

#![allow(dead_code)]

use pipedrive_api::{Client, ClientConfig, Credentials};
use pipedrive_sandbox::{DataSizes, Sandbox, SandboxConfig};
use serde_json::Value;
use std::time::Duration;

/// A sandbox accepting `token`. Rate-limit budgets are per token and process-wide, so each
/// test uses its own token and no test's 429s pause another.
pub fn sandbox(deals: usize, token: &str) -> Sandbox {
    let config = SandboxConfig {
        sizes: DataSizes {
            deals,
            ..DataSizes::default()
        },
        api_tokens: vec![token.to_string()],
        ..SandboxConfig::default()
    };
    Sandbox::start(config).expect("sandbox starts")
}

pub fn client(sandbox: &Sandbox, token: &str) -> Client {
    let mut cfg = ClientConfig::new(sandbox.base_url(), Credentials::ApiToken(token.into()));
    cfg.base_backoff = Duration::from_millis(20);
    Client::new(cfg).expect("client")
}

/// A page's rows as values.
#[allow(dead_code)]
pub fn rows(page: pipedrive_api::Page) -> Vec<Value> {
    page.rows.into_values().expect("rows")
}

pub fn ids(rows: &[Value]) -> Vec<i64> {
    rows.iter().map(|r| r["id"].as_i64().expect("id")).collect()
}

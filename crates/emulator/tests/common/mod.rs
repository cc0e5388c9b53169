//! Helpers shared by the sandbox's integration tests: start a sandbox, call it, read JSON.
#![allow(dead_code)]

use pipedrive_sandbox::{DataSizes, Sandbox, SandboxConfig};
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;

pub const TOKEN: &str = "sandbox-token";

pub fn small() -> SandboxConfig {
    SandboxConfig {
        sizes: DataSizes {
            users: 5,
            organizations: 30,
            persons: 80,
            deals: 150,
            activities: 120,
            products: 10,
            notes: 90,
            leads: 40,
            projects: 6,
            call_logs: 8,
            files: 8,
            deal_custom_fields: 16,
        },
        ..SandboxConfig::default()
    }
}

pub fn start(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).expect("sandbox starts")
}

pub struct Api {
    pub base: String,
    pub http: Client,
}

impl Api {
    pub fn new(sandbox: &Sandbox) -> Api {
        Api {
            base: sandbox.base_url().to_string(),
            http: Client::new(),
        }
    }

    /// Calls the API with the sandbox token; answers status and JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .header("x-api-token", TOKEN);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request sent");
        let status = resp.status();
        let text = resp.text().await.expect("body read");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// The raw answer to a GET with the sandbox token (for status and headers).
    pub async fn response(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{}", self.base, path))
            .header("x-api-token", TOKEN)
            .send()
            .await
            .expect("request sent")
    }

    /// The definitions of a `*Fields` collection (`dealFields`), all pages.
    pub async fn fields(&self, owner: &str) -> Vec<Value> {
        self.walk_v2(&format!("/api/v2/{owner}?limit=500")).await.0
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, None).await
    }

    /// GET that must succeed; returns the body.
    pub async fn ok(&self, path: &str) -> Value {
        let (status, body) = self.get(path).await;
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        assert_eq!(body["success"], true, "GET {path}: {body}");
        body
    }

    /// Walks a v2 list with cursors; returns every row and the number of requests made.
    pub async fn walk_v2(&self, path: &str) -> (Vec<Value>, usize) {
        let mut rows = Vec::new();
        let mut cursor: Option<String> = None;
        let mut requests = 0;
        loop {
            let sep = if path.contains('?') { '&' } else { '?' };
            let url = match &cursor {
                Some(c) => format!("{path}{sep}cursor={c}"),
                None => path.to_string(),
            };
            let body = self.ok(&url).await;
            requests += 1;
            rows.extend(body["data"].as_array().cloned().unwrap_or_default());
            match body["additional_data"]["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => break,
            }
        }
        (rows, requests)
    }

    /// Walks a v1 list with start/limit; returns every row and the number of requests made.
    pub async fn walk_v1(&self, path: &str, limit: usize) -> (Vec<Value>, usize) {
        let mut rows = Vec::new();
        let mut start = 0;
        let mut requests = 0;
        loop {
            let sep = if path.contains('?') { '&' } else { '?' };
            let body = self
                .ok(&format!("{path}{sep}start={start}&limit={limit}"))
                .await;
            requests += 1;
            rows.extend(body["data"].as_array().cloned().unwrap_or_default());
            let add = &body["additional_data"];
            let pagination = if add.get("pagination").is_some() {
                &add["pagination"]
            } else {
                add
            };
            if pagination["more_items_in_collection"] != true {
                break;
            }
            start = pagination["next_start"]
                .as_u64()
                .expect("next_start when more items") as usize;
        }
        (rows, requests)
    }
}

pub fn ids(rows: &[Value]) -> Vec<Value> {
    rows.iter().map(|r| r["id"].clone()).collect()
}

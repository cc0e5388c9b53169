//! A successful answer of a handler: its status and JSON text, or a file's bytes.

use axum::http::StatusCode;
use serde_json::Value;

/// A successful answer: status and JSON text (or a file's bytes).
pub struct Answer {
    pub status: StatusCode,
    pub body: String,
    /// Raw bytes sent instead of `body` (`application/octet-stream`).
    pub bytes: Option<Vec<u8>>,
}

impl Answer {
    pub fn ok(body: String) -> Self {
        Answer::with_status(StatusCode::OK, body)
    }
    pub fn with_status(status: StatusCode, body: String) -> Self {
        Answer {
            status,
            body,
            bytes: None,
        }
    }
    pub fn bytes(bytes: Vec<u8>) -> Self {
        Answer {
            bytes: Some(bytes),
            ..Answer::ok(String::new())
        }
    }
    pub fn data(data: &Value) -> Self {
        Self::ok(format!(r#"{{"success":true,"data":{data}}}"#))
    }
}

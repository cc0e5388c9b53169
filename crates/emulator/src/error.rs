//! Error answers in the API's own envelopes.

use crate::entities::ApiVersion;
use axum::http::StatusCode;
use serde_json::{json, Value};

pub const ERROR_INFO: &str =
    "Please check developers.pipedrive.com for more information about Pipedrive API.";

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: Value,
    pub headers: Vec<(&'static str, String)>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    fn new(status: StatusCode, body: Value) -> Self {
        ApiError {
            status,
            body,
            headers: vec![],
        }
    }

    /// A rejected parameter or body value.
    pub fn invalid(version: ApiVersion, message: impl Into<String>) -> Self {
        let message = message.into();
        match version {
            ApiVersion::V2 => Self::new(
                StatusCode::BAD_REQUEST,
                json!({"success": false, "error": format!("Validation failed: {message}"),
                       "code": "ERR_SCHEMA_VALIDATION_FAILED", "error_info": ERROR_INFO, "data": null, "additional_data": null}),
            ),
            ApiVersion::V1 => Self::envelope(StatusCode::BAD_REQUEST, message),
        }
    }

    pub fn not_found(what: &str) -> Self {
        Self::envelope(StatusCode::NOT_FOUND, format!("{what} not found"))
    }

    pub fn envelope(status: StatusCode, message: impl Into<String>) -> Self {
        Self::new(
            status,
            json!({"success": false, "error": message.into(), "error_info": ERROR_INFO, "data": null, "additional_data": null}),
        )
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            json!({"success": false, "error": "unauthorized access", "errorCode": 401, "error_info": ERROR_INFO}),
        )
    }

    pub fn scope_mismatch() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            json!({"success": false, "error": "Scope and URL mismatch", "errorCode": 403, "error_info": ERROR_INFO}),
        )
    }

    /// A feature the company's plan does not include (the sandbox's wording).
    pub fn feature_off(family: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            json!({"success": false, "error": format!("The {family} feature is not enabled for this company"), "errorCode": 403, "error_info": ERROR_INFO}),
        )
    }

    pub fn over_limit(reason: &str, retry_after_s: u64) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            json!({"success": false, "error": reason, "errorCode": 429, "error_info": ERROR_INFO}),
        );
        e.headers.push(("retry-after", retry_after_s.to_string()));
        e
    }

    pub fn internal() -> Self {
        Self::envelope(
            StatusCode::INTERNAL_SERVER_ERROR,
            "An internal server error occurred",
        )
    }

    pub fn unavailable() -> Self {
        Self::envelope(
            StatusCode::SERVICE_UNAVAILABLE,
            "Service temporarily unavailable",
        )
    }

    pub fn no_route() -> Self {
        Self::envelope(StatusCode::NOT_FOUND, "Unknown method .")
    }
}

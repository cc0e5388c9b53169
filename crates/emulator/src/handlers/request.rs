//! One request as the handlers see it: its route, path parameters, query, body and user.

use crate::entities::{ApiVersion, EntitySpec, IdKind};
use crate::error::{ApiError, ApiResult};
use crate::listing::Query;
use crate::routes::{PathParams, Route};
use serde_json::Value;

/// One request, as the handlers see it.
pub struct Ctx<'a> {
    pub route: &'static Route,
    pub params: &'a PathParams,
    pub query: &'a Query,
    pub body: Option<&'a Value>,
    /// The user the credentials belong to.
    pub user_id: i64,
    pub company_domain: &'a str,
}

impl Ctx<'_> {
    pub fn version(&self) -> ApiVersion {
        self.route.version
    }
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
    /// The parent id of a child route (`/deals/{id}/products`, `/deals/{id}/followers/{x}`).
    pub fn parent_id(&self) -> ApiResult<Option<i64>> {
        // a child route continues past `/{collection}/{id}/`
        let segments: Vec<&str> = self.route.template.split('/').collect();
        if segments.len() <= 3 || segments[2] != "{id}" {
            return Ok(None);
        }
        let raw = self.param("id").unwrap_or_default();
        raw.parse().map(Some).map_err(|_| {
            ApiError::invalid(self.version(), format!("id: must be integer (got '{raw}')"))
        })
    }
    /// The row id the route addresses: the last path parameter.
    pub fn row_id(&self, spec: &EntitySpec) -> ApiResult<String> {
        let raw = self
            .params
            .last()
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        if spec.id == IdKind::Int && raw.parse::<i64>().is_err() {
            return Err(ApiError::invalid(
                self.version(),
                format!("id: must be integer (got '{raw}')"),
            ));
        }
        Ok(raw)
    }
    pub fn body_object(&self) -> ApiResult<&serde_json::Map<String, Value>> {
        self.body
            .and_then(Value::as_object)
            .ok_or_else(|| ApiError::invalid(self.version(), "body: must be a JSON object"))
    }
}

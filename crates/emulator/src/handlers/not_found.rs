//! The 404 errors of rows that do not exist, and of children whose parent row does not exist.

use super::row_names::singular;
use crate::entities::{entity, EntitySpec};
use crate::error::{ApiError, ApiResult};
use crate::store::{Row, Store};

pub fn not_found(spec: &EntitySpec) -> ApiError {
    ApiError::not_found(&singular(spec.name))
}

/// Row `id` of `spec`, or its 404.
pub fn must_exist<'a>(store: &'a Store, spec: &EntitySpec, id: i64) -> ApiResult<&'a Row> {
    store
        .collection(spec.name)
        .get(&id.to_string())
        .ok_or_else(|| not_found(spec))
}

/// Fails with 404 unless deal `id` exists (children of a deal).
pub fn parent_must_exist(store: &Store, spec: &EntitySpec, parent: i64) -> ApiResult<()> {
    let (parent_name, _) = spec.parent.unwrap_or(("deals", "deal_id"));
    must_exist(store, entity(parent_name), parent).map(|_| ())
}

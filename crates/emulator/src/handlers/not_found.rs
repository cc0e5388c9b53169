//! The 404 errors of rows that do not exist, and of children whose parent row does not exist.

use super::row_names::singular;
use crate::entities::{entity, EntitySpec};
use crate::error::{ApiError, ApiResult};
use crate::store::Store;

pub fn not_found(spec: &EntitySpec) -> ApiError {
    ApiError::not_found(&singular(spec.name))
}

/// Fails with 404 unless deal `id` exists (children of a deal).
pub fn parent_must_exist(store: &Store, spec: &EntitySpec, parent: i64) -> ApiResult<()> {
    let (parent_name, _) = spec.parent.unwrap_or(("deals", "deal_id"));
    if store.exists(parent_name, parent) {
        Ok(())
    } else {
        Err(not_found(entity(parent_name)))
    }
}

//! Locking that a caught panic does not poison: a handle stays usable after an internal error.

use std::sync::{Mutex, MutexGuard};

/// Locks a mutex; a panic caught earlier does not make the handle unusable.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

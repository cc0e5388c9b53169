//! What can go wrong with the cache file: it cannot be created or opened, it is not a cache, or
//! SQLite refused (a full disk, a lock held too long).

use std::fmt;
use std::path::Path;

#[derive(Clone, Debug)]
pub struct CacheError(pub String);

impl CacheError {
    pub(crate) fn at(path: &Path, what: &str, e: impl fmt::Display) -> CacheError {
        CacheError(format!(
            "the cache file {} (CacheLocation) cannot be {what}: {e}",
            path.display()
        ))
    }
}

impl fmt::Display for CacheError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CacheError {}

//! The cache's one unit of time.

/// Microseconds since the Unix epoch (UTC), the cache's one unit of time.
pub type Micros = i64;

/// The current time in [`Micros`].
pub fn now() -> Micros {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as Micros)
        .unwrap_or_default()
}

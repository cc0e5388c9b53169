//! The local cache properties: `AutoCache`, `CacheLocation`, `CacheTolerance`, `Offline`,
//! `CacheMetadata` and `CacheReconcileInterval`.

use crate::client::number;
use crate::error::ConfigError;
use crate::network::flag;
use crate::properties::Properties;
use std::path::PathBuf;
use std::time::Duration;

/// The cache file's name in the data folder (or in a folder `CacheLocation` names).
pub const CACHE_FILE_NAME: &str = "cache.db";

/// How often, by default, a cached table whose deletions the API does not list is read whole.
pub const DEFAULT_RECONCILE: Duration = Duration::from_secs(3600);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheSettings {
    /// Scans of cacheable tables are answered from the cache, refreshed first.
    pub auto: bool,
    pub location: PathBuf,
    /// A table refreshed less than this long ago is served without asking the API.
    pub tolerance: Duration,
    /// Answer from the cache only, never a request.
    pub offline: bool,
    /// Field definitions are kept in the cache file, so a connection needs no request.
    pub metadata: bool,
    /// The most a table whose deletions cannot be listed stays unreconciled.
    pub reconcile: Duration,
}

impl CacheSettings {
    /// Whether the connection uses the cache file at all.
    pub fn enabled(&self) -> bool {
        self.auto || self.offline || self.metadata
    }
}

/// The cache settings of these properties.
pub fn cache_settings(props: &Properties) -> Result<CacheSettings, ConfigError> {
    let seconds = |key: &str, default: Duration| -> Result<Duration, ConfigError> {
        Ok(number(props, key, 0, 10 * 365 * 86_400)?
            .map(Duration::from_secs)
            .unwrap_or(default))
    };
    Ok(CacheSettings {
        auto: flag(props, "AutoCache")?,
        location: pipedrive_api::data_folder::resolve(props.get("CacheLocation"), CACHE_FILE_NAME),
        tolerance: seconds("CacheTolerance", Duration::ZERO)?,
        offline: flag(props, "Offline")?,
        metadata: flag(props, "CacheMetadata")?,
        reconcile: seconds("CacheReconcileInterval", DEFAULT_RECONCILE)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(s: &str) -> Result<CacheSettings, ConfigError> {
        cache_settings(&Properties::parse(s).unwrap())
    }

    #[test]
    fn off_by_default_and_read_as_given() {
        let s = settings("").unwrap();
        assert!(!s.enabled());
        assert_eq!(s.location.file_name().unwrap(), CACHE_FILE_NAME);
        assert_eq!(
            (s.tolerance, s.reconcile),
            (Duration::ZERO, DEFAULT_RECONCILE)
        );
        let s = settings(
            "AutoCache=true;CacheLocation=/tmp/c.db;CacheTolerance=600;Offline=1;\
             CacheMetadata=yes;CacheReconcileInterval=60",
        )
        .unwrap();
        assert!(s.auto && s.offline && s.metadata);
        assert_eq!(s.location, PathBuf::from("/tmp/c.db"));
        assert_eq!(s.tolerance, Duration::from_secs(600));
        assert_eq!(s.reconcile, Duration::from_secs(60));
    }

    #[test]
    fn says_which_property_is_wrong() {
        assert!(settings("AutoCache=sometimes")
            .unwrap_err()
            .0
            .contains("AutoCache"));
        assert!(settings("CacheTolerance=-1")
            .unwrap_err()
            .0
            .contains("CacheTolerance"));
    }
}

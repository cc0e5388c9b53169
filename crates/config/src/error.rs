//! The error of a connection property.

use pipedrive_api::{Error, ErrorKind};
use std::fmt;

/// A property that is missing or has a value the driver cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Error {
        Error::new(ErrorKind::Config, e.0)
    }
}

//! Connection properties as the product documentation names them (`AuthScheme`, `APIToken`,
//! `CompanyDomain`, `BaseURL`, ...): parsed from connection strings, read from DSNs (through the driver manager's installer library),
//! merged with the connection string winning, and turned into API client settings.

mod cache;
mod client;
mod dsn;
mod error;
mod install;
mod installer;
mod keys;
mod network;
mod properties;
mod scope;
mod setup;

pub use cache::{cache_settings, CacheSettings, CACHE_FILE_NAME};
pub use client::{client_config, connect, oauth_options, Connection};
pub use dsn::{dsn_in_text, dsn_places, dsn_properties, find_dsn};
pub use error::ConfigError;
pub use install::{
    ini_files, install_driver, install_dsn, register_driver, register_dsn, uninstall_driver,
    uninstall_dsn, unregister,
};
pub use installer::{installer, Installer};
pub use keys::{known, Input, Key, Page, KEYS};
pub use properties::Properties;
pub use scope::Scope;
pub use setup::{
    check_dsn, check_dsn_name, configure_dsn, save_dsn, DsnRequest, SetupError, SetupErrorCode,
};

//! Where the driver keeps its files for a user (OAuth settings, the local cache), and how a
//! path property names one of them.

use std::path::PathBuf;

/// The user's data folder for the driver: `pipedrive-odbc` under `~/Library/Application
/// Support` (macOS), `%APPDATA%` (Windows), or `$XDG_DATA_HOME` / `~/.local/share`.
pub fn folder() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let base = if cfg!(target_os = "macos") {
        home.map(|h| h.join("Library/Application Support"))
    } else if cfg!(windows) {
        std::env::var_os("APPDATA").map(PathBuf::from)
    } else {
        std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| home.map(|h| h.join(".local/share")))
    };
    base.unwrap_or_else(std::env::temp_dir)
        .join("pipedrive-odbc")
}

/// A file property's value as a path: `~` expanded, a folder given `default_name`; without a
/// value, `default_name` in the data [`folder`].
pub fn resolve(given: Option<&str>, default_name: &str) -> PathBuf {
    let Some(text) = given.map(str::trim).filter(|t| !t.is_empty()) else {
        return folder().join(default_name);
    };
    let mut path = match text.strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default()
            .join(rest),
        None => PathBuf::from(text),
    };
    if path.is_dir() || text.ends_with('/') || text.ends_with('\\') {
        path = path.join(default_name);
    }
    path
}

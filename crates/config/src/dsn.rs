//! DSNs as the driver managers store them: a section per DSN in the user's odbc.ini
//! (`$ODBCINI`, else `~/.odbc.ini`) and the system's (`$ODBCSYSINI/odbc.ini`, else
//! `/etc/odbc.ini`); a user DSN hides a system DSN of the same name.

use crate::properties::Properties;
use ini::Ini;
use std::path::PathBuf;

/// The odbc.ini files to look in, user file first.
pub fn odbc_ini_paths() -> Vec<PathBuf> {
    let user = std::env::var_os("ODBCINI")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".odbc.ini")));
    let system = std::env::var_os("ODBCSYSINI")
        .map(|d| PathBuf::from(d).join("odbc.ini"))
        .unwrap_or_else(|| PathBuf::from("/etc/odbc.ini"));
    user.into_iter().chain([system]).collect()
}

/// The stored keys of a DSN, from the first file that defines it.
pub fn dsn_properties(name: &str) -> Result<Option<Properties>, String> {
    for path in odbc_ini_paths() {
        if !path.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let found =
            dsn_in_text(&text, name).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// The DSN `name` in the text of an odbc.ini file, `None` when it has no such section.
pub fn dsn_in_text(text: &str, name: &str) -> Result<Option<Properties>, String> {
    let ini = Ini::load_from_str_noescape(text).map_err(|e| e.to_string())?;
    Ok(section(&ini, name))
}

fn section(ini: &Ini, name: &str) -> Option<Properties> {
    let (_, keys) = ini
        .iter()
        .find(|(s, _)| s.is_some_and(|s| s.trim().eq_ignore_ascii_case(name.trim())))?;
    let mut props = Properties::new();
    for (k, v) in keys.iter() {
        props.set(k.trim(), v.trim());
    }
    Some(props)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_dsn_case_insensitively_with_its_keys() {
        let text = "[ODBC Data Sources]\nPipedrive = Pipedrive ODBC\n\n\
                    ; a comment\n[Pipedrive]\nDriver = Pipedrive ODBC\nAPIToken = abc\nBaseURL=http://127.0.0.1:1\n";
        let ini = Ini::load_from_str_noescape(text).unwrap();
        let p = section(&ini, "pipedrive").unwrap();
        assert_eq!(p.get("apitoken"), Some("abc"));
        assert_eq!(p.get("BaseUrl"), Some("http://127.0.0.1:1"));
        assert!(section(&ini, "Other").is_none());
    }
}

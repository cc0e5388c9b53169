//! DSNs where the driver managers keep them: read through the driver manager's installer
//! library (see `installer`), or, when no driver manager is installed, from the user's odbc.ini
//! and the system's as `install` writes them; a user DSN hides a system DSN of the same name.

use crate::install::ini_files;
use crate::installer::installer;
use crate::properties::Properties;
use crate::scope::Scope;
use ini::Ini;

/// The stored keys of a DSN, `None` when neither the user nor the system defines it.
pub fn dsn_properties(name: &str) -> Result<Option<Properties>, String> {
    Ok(find_dsn(name)?.map(|(_, props)| props))
}

/// A DSN and whose it is: the user's when the user has one of that name, else the system's.
pub fn find_dsn(name: &str) -> Result<Option<(Scope, Properties)>, String> {
    if let Some(installer) = installer() {
        return Ok(installer.dsn(name));
    }
    for scope in [Scope::User, Scope::System] {
        let (_, path) = ini_files(scope);
        if !path.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let found =
            dsn_in_text(&text, name).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if let Some(props) = found {
            return Ok(Some((scope, props)));
        }
    }
    Ok(None)
}

/// Where DSNs are looked for, for messages: the installer library, or the two files.
pub fn dsn_places() -> String {
    match installer() {
        Some(installer) => format!("the user and system DSNs of {}", installer.name()),
        None => format!(
            "{} and {}",
            ini_files(Scope::User).1.display(),
            ini_files(Scope::System).1.display()
        ),
    }
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

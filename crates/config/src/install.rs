//! Registering the driver and DSNs the way driver managers read them: on Windows through the
//! installer library (the registry); elsewhere the driver in odbcinst.ini (its section and a
//! line in `[ODBC Drivers]`), a DSN in odbc.ini (its section and a line in
//! `[ODBC Data Sources]`), for the user or the whole system. Files are edited as text: other
//! sections, comments and order stay as they were.

use crate::properties::Properties;
use crate::scope::Scope;
use std::io;
use std::path::{Path, PathBuf};

/// The odbcinst.ini and odbc.ini of a scope, as unixODBC and iODBC look for them (the
/// `ODBCINSTINI`, `ODBCINI` and `ODBCSYSINI` variables first).
pub fn ini_files(scope: Scope) -> (PathBuf, PathBuf) {
    let env = |k: &str| std::env::var_os(k).map(PathBuf::from);
    let home = env("HOME").unwrap_or_else(|| PathBuf::from("."));
    match scope {
        Scope::User if cfg!(target_os = "macos") => {
            let dir = home.join("Library/ODBC");
            (dir.join("odbcinst.ini"), dir.join("odbc.ini"))
        }
        Scope::User => (
            env("ODBCINSTINI").unwrap_or_else(|| home.join(".odbcinst.ini")),
            env("ODBCINI").unwrap_or_else(|| home.join(".odbc.ini")),
        ),
        Scope::System => {
            let dir = env("ODBCSYSINI").unwrap_or_else(|| {
                PathBuf::from(if cfg!(target_os = "macos") {
                    "/Library/ODBC"
                } else {
                    "/etc"
                })
            });
            (dir.join("odbcinst.ini"), dir.join("odbc.ini"))
        }
    }
}

/// Registers the driver where this platform's driver manager looks: the registry through the
/// installer library on Windows, the scope's odbcinst.ini elsewhere. Returns where it went.
pub fn install_driver(scope: Scope, name: &str, library: &Path) -> Result<String, String> {
    if cfg!(windows) {
        windows_installer()?.install_driver(name, library)?;
        return Ok("the registry (ODBCINST.INI)".into());
    }
    let (odbcinst, _) = ini_files(scope);
    register_driver(&odbcinst, name, library)
        .map_err(|e| format!("{}: {e}", odbcinst.display()))?;
    Ok(odbcinst.display().to_string())
}

/// Adds (or replaces) a DSN of a scope where the driver manager looks (see [`install_driver`]).
pub fn install_dsn(
    scope: Scope,
    dsn: &str,
    driver: &str,
    props: &Properties,
) -> Result<String, String> {
    if cfg!(windows) {
        windows_installer()?.write_dsn(scope, dsn, driver, props)?;
        return Ok(format!("the registry ({scope:?} DSNs)"));
    }
    let (_, odbc) = ini_files(scope);
    register_dsn(&odbc, dsn, driver, props).map_err(|e| format!("{}: {e}", odbc.display()))?;
    Ok(odbc.display().to_string())
}

/// Unregisters the driver; whether it was registered, and where.
pub fn uninstall_driver(scope: Scope, name: &str) -> Result<(bool, String), String> {
    if cfg!(windows) {
        let found = windows_installer()?.remove_driver(name)?;
        return Ok((found, "the registry (ODBCINST.INI)".into()));
    }
    let (odbcinst, _) = ini_files(scope);
    let found = unregister(&odbcinst, name, "ODBC Drivers")
        .map_err(|e| format!("{}: {e}", odbcinst.display()))?;
    Ok((found, odbcinst.display().to_string()))
}

/// Removes a DSN of a scope; whether it was there, and where.
pub fn uninstall_dsn(scope: Scope, dsn: &str) -> Result<(bool, String), String> {
    if cfg!(windows) {
        let found = windows_installer()?.remove_dsn(scope, dsn)?;
        return Ok((found, format!("the registry ({scope:?} DSNs)")));
    }
    let (_, odbc) = ini_files(scope);
    let found = unregister(&odbc, dsn, "ODBC Data Sources")
        .map_err(|e| format!("{}: {e}", odbc.display()))?;
    Ok((found, odbc.display().to_string()))
}

fn windows_installer() -> Result<&'static crate::installer::Installer, String> {
    crate::installer::installer().ok_or_else(|| "odbccp32.dll cannot be loaded".to_string())
}

/// Adds (or replaces) the driver's section in an odbcinst.ini.
pub fn register_driver(file: &Path, name: &str, library: &Path) -> io::Result<()> {
    let keys = [
        ("Description", "Pipedrive ODBC driver".to_string()),
        ("Driver", library.display().to_string()),
        ("UsageCount", "1".to_string()),
    ];
    edit(file, |text| {
        let text = set_section(text, name, &keys);
        set_key(&text, "ODBC Drivers", name, "Installed")
    })
}

/// Adds (or replaces) a DSN in an odbc.ini.
pub fn register_dsn(file: &Path, dsn: &str, driver: &str, props: &Properties) -> io::Result<()> {
    let mut keys = vec![("Driver", driver.to_string())];
    keys.extend(
        props
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("Driver"))
            .map(|(k, v)| (k, v.to_string())),
    );
    edit(file, |text| {
        let text = set_section(text, dsn, &keys);
        set_key(&text, "ODBC Data Sources", dsn, driver)
    })
}

/// Removes a section and its line in the list section (`ODBC Drivers` or `ODBC Data Sources`).
/// Returns whether the section was there.
pub fn unregister(file: &Path, name: &str, list: &str) -> io::Result<bool> {
    if !file.exists() {
        return Ok(false);
    }
    let text = std::fs::read_to_string(file)?;
    let found = section_range(&text, name).is_some();
    let text = remove_key(&remove_section(&text, name), list, name);
    std::fs::write(file, text)?;
    Ok(found)
}

fn edit(file: &Path, f: impl FnOnce(&str) -> String) -> io::Result<()> {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e),
    };
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(file, f(&text))
}

fn header(line: &str) -> Option<&str> {
    line.trim()
        .strip_prefix('[')
        .and_then(|l| l.strip_suffix(']'))
        .map(str::trim)
}

/// Line range (start, end) of a section, header included.
fn section_range(text: &str, name: &str) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| header(l).is_some_and(|h| h.eq_ignore_ascii_case(name)))?;
    let end = lines[start + 1..]
        .iter()
        .position(|l| header(l).is_some())
        .map_or(lines.len(), |i| start + 1 + i);
    Some((start, end))
}

fn remove_section(text: &str, name: &str) -> String {
    let Some((start, end)) = section_range(text, name) else {
        return text.to_string();
    };
    let lines: Vec<&str> = text.lines().collect();
    join(lines[..start].iter().chain(&lines[end..]))
}

fn set_section(text: &str, name: &str, keys: &[(&str, String)]) -> String {
    let mut out = remove_section(text, name).trim_end().to_string();
    if !out.is_empty() {
        out.push_str("\n\n");
    }
    out.push_str(&format!("[{name}]\n"));
    for (k, v) in keys {
        out.push_str(&format!("{k} = {v}\n"));
    }
    out
}

fn key_of(line: &str) -> Option<&str> {
    let t = line.trim();
    if t.starts_with(';') || t.starts_with('#') {
        return None;
    }
    t.split_once('=').map(|(k, _)| k.trim())
}

fn remove_key(text: &str, section: &str, key: &str) -> String {
    let Some((start, end)) = section_range(text, section) else {
        return text.to_string();
    };
    let lines: Vec<&str> = text.lines().collect();
    let kept = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| {
            !(*i > start && *i < end && key_of(l).is_some_and(|k| k.eq_ignore_ascii_case(key)))
        })
        .map(|(_, l)| l);
    join(kept)
}

fn set_key(text: &str, section: &str, key: &str, value: &str) -> String {
    let text = remove_key(text, section, key);
    let line = format!("{key} = {value}");
    match section_range(&text, section) {
        Some((start, _)) => {
            let mut lines: Vec<String> = text.lines().map(String::from).collect();
            lines.insert(start + 1, line);
            join(lines.iter())
        }
        None => format!("[{section}]\n{line}\n\n{}", text.trim_start()),
    }
}

fn join<S: AsRef<str>>(lines: impl Iterator<Item = S>) -> String {
    let out: String = lines.map(|l| format!("{}\n", l.as_ref())).collect();
    match out.trim_end_matches('\n') {
        "" => String::new(),
        body => format!("{body}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_and_removes_without_touching_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let inst = dir.path().join("odbcinst.ini");
        std::fs::write(
            &inst,
            "; my drivers\n[ODBC Drivers]\nOther = Installed\n\n[Other]\nDriver = /x.so\n",
        )
        .unwrap();
        register_driver(
            &inst,
            "Pipedrive ODBC Driver",
            Path::new("/opt/lib/libpipedrive_odbc.so"),
        )
        .unwrap();
        register_driver(
            &inst,
            "Pipedrive ODBC Driver",
            Path::new("/usr/lib/libpipedrive_odbc.so"),
        )
        .unwrap();
        let text = std::fs::read_to_string(&inst).unwrap();
        assert!(text.starts_with("; my drivers\n[ODBC Drivers]\nPipedrive ODBC Driver = Installed\nOther = Installed\n"), "{text}");
        assert_eq!(text.matches("[Pipedrive ODBC Driver]").count(), 1);
        assert!(
            text.contains("Driver = /usr/lib/libpipedrive_odbc.so") && !text.contains("/opt/lib")
        );
        assert!(text.contains("[Other]\nDriver = /x.so"));

        let ini = dir.path().join("odbc.ini");
        let props = Properties::parse("AuthScheme=Basic;APIToken=;CompanyDomain=acme").unwrap();
        register_dsn(&ini, "Pipedrive", "Pipedrive ODBC Driver", &props).unwrap();
        let text = std::fs::read_to_string(&ini).unwrap();
        assert!(
            text.contains("[ODBC Data Sources]\nPipedrive = Pipedrive ODBC Driver\n"),
            "{text}"
        );
        assert!(text.contains("[Pipedrive]\nDriver = Pipedrive ODBC Driver\nAuthScheme = Basic\nAPIToken = \nCompanyDomain = acme\n"), "{text}");

        assert!(unregister(&inst, "Pipedrive ODBC Driver", "ODBC Drivers").unwrap());
        let text = std::fs::read_to_string(&inst).unwrap();
        assert_eq!(
            text,
            "; my drivers\n[ODBC Drivers]\nOther = Installed\n\n[Other]\nDriver = /x.so\n"
        );
        assert!(!unregister(&inst, "Pipedrive ODBC Driver", "ODBC Drivers").unwrap());
    }
}

//! What the driver's setup entry points (`ConfigDSN`, called by the driver manager's
//! `SQLConfigDataSource` and by the ODBC Data Source Administrator) do with a DSN: check its
//! properties without connecting, then add, change or remove it through the installer library,
//! in the user's or the system's DSNs as the caller's config mode says.

use crate::cache::cache_settings;
use crate::client::OAUTH_API_URL;
use crate::client::{client_config, number, oauth_options, settings_file_named};
use crate::error::ConfigError;
use crate::installer::{installer, Installer};
use crate::keys::known;
use crate::properties::Properties;
use crate::scope::Scope;
use pipedrive_api::oauth::Initiate;
use pipedrive_api::Credentials;

/// A request of `ConfigDSN`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DsnRequest {
    Add,
    Configure,
    Remove,
}

/// The installer error codes a setup function reports its failure with (`odbcinst.h`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum SetupErrorCode {
    General = 1,
    InvalidRequestType = 5,
    InvalidKeywordValue = 8,
    InvalidDsn = 9,
    RequestFailed = 11,
    UserCanceled = 16,
}

/// Why a setup request failed, as the installer's error queue takes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupError {
    pub code: SetupErrorCode,
    pub message: String,
}

impl SetupError {
    pub fn new(code: SetupErrorCode, message: impl Into<String>) -> SetupError {
        SetupError {
            code,
            message: message.into(),
        }
    }
}

/// Checks a DSN name as the installer does.
pub fn check_dsn_name(name: &str) -> Result<(), SetupError> {
    crate::installer::check_dsn_name(name)
        .map_err(|e| SetupError::new(SetupErrorCode::InvalidDsn, e))
}

/// Checks a DSN's properties without connecting: every key known, every value one the driver
/// takes, and (for a system DSN signing in with OAuth) a settings file named.
pub fn check_dsn(props: &Properties, scope: Scope) -> Result<(), ConfigError> {
    if let Some((k, _)) = props.iter().find(|(k, _)| known(k).is_none()) {
        return Err(ConfigError(format!(
            "'{k}' is not a property of the Pipedrive driver (see the README's table of \
             connection properties for their names)"
        )));
    }
    let mut values = props.clone();
    // the name is checked against `scope` below, not looked up among the existing DSNs
    let name = values.remove("DSN").unwrap_or_default();
    if let Some(oauth) = oauth_options(&values)? {
        if oauth.initiate != Initiate::Off {
            settings_file_named(&values, &name, scope)?;
        }
    }
    // the address, proxy and limits (an API token stands in for the credentials)
    client_config(
        &values,
        Credentials::ApiToken(String::new()),
        Some(OAUTH_API_URL),
    )?;
    cache_settings(&values)?;
    number(&values, "MaxRows", 0, u64::MAX)?;
    number(&values, "Verbosity", 1, 5)?;
    Ok(())
}

/// Carries out a `ConfigDSN` request without a dialog: `attributes` hold `DSN=name` and the
/// properties to set. Adding replaces a DSN of that name; configuring changes the keys given
/// and keeps the others. Returns the DSN's name.
pub fn configure_dsn(
    request: DsnRequest,
    driver: &str,
    attributes: &Properties,
) -> Result<String, SetupError> {
    let installer = installer().ok_or_else(|| {
        SetupError::new(
            SetupErrorCode::General,
            "no installer library (odbccp32, libodbcinst or libiodbcinst) could be loaded",
        )
    })?;
    let name = attributes.get("DSN").unwrap_or_default().trim().to_string();
    check_dsn_name(&name)?;
    let scope = installer.config_scope();
    match request {
        DsnRequest::Remove => match installer.remove_dsn(scope, &name) {
            Ok(true) => Ok(name),
            Ok(false) => Err(SetupError::new(
                SetupErrorCode::InvalidDsn,
                format!("there is no {} DSN named '{name}'", scope.name()),
            )),
            Err(e) => Err(SetupError::new(SetupErrorCode::RequestFailed, e)),
        },
        DsnRequest::Add | DsnRequest::Configure => {
            let existing = installer.dsn_in(scope, &name);
            if request == DsnRequest::Configure && existing.is_none() {
                return Err(SetupError::new(
                    SetupErrorCode::InvalidDsn,
                    format!(
                        "there is no {} DSN named '{name}' to configure",
                        scope.name()
                    ),
                ));
            }
            let props = match &existing {
                Some(old) if request == DsnRequest::Configure => attributes.clone().or(old),
                _ => attributes.clone(),
            };
            let replaced = existing.filter(|_| request == DsnRequest::Add);
            save_dsn(installer, scope, &name, driver, &props, replaced.as_ref())?;
            Ok(name)
        }
    }
}

/// Checks and writes a DSN of a scope; `replaced` is the stored DSN of that name it replaces
/// whole, whose keys the new properties do not have are removed (none stays behind).
pub fn save_dsn(
    installer: &Installer,
    scope: Scope,
    name: &str,
    driver: &str,
    props: &Properties,
    replaced: Option<&Properties>,
) -> Result<(), SetupError> {
    check_dsn_name(name)?;
    let mut props = props.clone();
    props.set("DSN", name);
    check_dsn(&props, scope)
        .map_err(|e| SetupError::new(SetupErrorCode::InvalidKeywordValue, e.0))?;
    props.remove("DSN");
    props.remove("Driver");
    let failed = |e: String| SetupError::new(SetupErrorCode::RequestFailed, e);
    installer
        .write_dsn(scope, name, driver, &props)
        .map_err(failed)?;
    if let Some(old) = replaced {
        let stale: Vec<&str> = old
            .iter()
            .map(|(k, _)| k)
            .filter(|k| !props.contains(k) && !k.eq_ignore_ascii_case("Driver"))
            .collect();
        installer.remove_keys(scope, name, &stale).map_err(failed)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dsn_names_as_the_installer_takes_them() {
        for (name, ok) in [
            ("Pipedrive", true),
            ("Pipedrive Sales 2026", true),
            ("", false),
            ("  ", false),
            ("a;b", false),
            ("[x]", false),
            ("who@where", false),
            ("back\\slash", false),
            (&"x".repeat(32), true),
            (&"x".repeat(33), false),
        ] {
            let got = check_dsn_name(name);
            assert_eq!(got.is_ok(), ok, "{name:?}: {got:?}");
            if let Err(e) = got {
                assert_eq!(e.code, SetupErrorCode::InvalidDsn);
            }
        }
    }

    #[test]
    fn properties_checked_without_connecting() {
        let check = |s: &str, scope| check_dsn(&Properties::parse(s).unwrap(), scope);
        for (text, scope, wrong) in [
            ("DSN=a;APIToken=t;CompanyDomain=acme", Scope::User, None),
            ("DSN=a;AuthScheme=OAuth;OAuthClientId=i", Scope::User, None),
            (
                "DSN=a;AuthScheme=OAuth;InitiateOAuth=OFF",
                Scope::System,
                None,
            ),
            (
                "DSN=g;AuthScheme=OAuth;OAuthSettingsLocation=C:\\ProgramData\\p.txt",
                Scope::System,
                None,
            ),
            (
                "DSN=g;AuthScheme=OAuth",
                Scope::System,
                Some("OAuthSettingsLocation"),
            ),
            ("DSN=a;APIKey=t", Scope::User, Some("'APIKey'")),
            ("DSN=a;AuthScheme=NTLM", Scope::User, Some("NTLM")),
            ("DSN=a;Pagesize=0", Scope::User, Some("Pagesize=0")),
            ("DSN=a;Timeout=soon", Scope::User, Some("Timeout=soon")),
            ("DSN=a;MaxRows=-1", Scope::User, Some("MaxRows=-1")),
            ("DSN=a;Verbosity=9", Scope::User, Some("Verbosity=9")),
            (
                "DSN=a;AutoCache=maybe",
                Scope::User,
                Some("AutoCache=maybe"),
            ),
            ("DSN=a;ProxyAuthScheme=NTLM", Scope::User, Some("NTLM")),
            ("DSN=a;BaseURL=ftp://x", Scope::User, Some("ftp")),
            (
                "DSN=a;AuthScheme=OAuth;InitiateOAuth=ALWAYS",
                Scope::User,
                Some("ALWAYS"),
            ),
        ] {
            match (check(text, scope), wrong) {
                (Ok(()), None) => {}
                (Err(e), Some(w)) => assert!(e.0.contains(w), "{text}: {}", e.0),
                (got, _) => panic!("{text} ({scope:?}): {got:?}"),
            }
        }
    }
}

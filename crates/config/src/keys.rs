//! The connection properties the driver knows, with where the configuration dialog shows each
//! one and how. Setting up a DSN (`ConfigDSN`) refuses keys that are not here, so a misspelt
//! key is caught when the DSN is made instead of being ignored at every connection.

/// The page of the configuration dialog a property is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Connection,
    Advanced,
    /// Known, but set in connection strings or by the driver, not in the dialog.
    None,
}

/// How the dialog takes a property's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    Text,
    /// Typed in a masked field, never shown.
    Secret,
    /// One of these values (the first is the default).
    Choice(&'static [&'static str]),
}

/// One known property.
#[derive(Clone, Copy, Debug)]
pub struct Key {
    pub name: &'static str,
    pub page: Page,
    pub input: Input,
    /// On the Connection page: shown only with this `AuthScheme`.
    pub auth: Option<&'static str>,
}

const fn key(name: &'static str, page: Page, input: Input, auth: Option<&'static str>) -> Key {
    Key {
        name,
        page,
        input,
        auth,
    }
}

use Input::{Choice, Secret, Text};
use Page::{Advanced, Connection};

const BASIC: Option<&str> = Some("Basic");
const OAUTH: Option<&str> = Some("OAuth");
const FLAG: Input = Choice(&["false", "true"]);

/// Every property, in the order the dialog shows them.
pub const KEYS: &[Key] = &[
    key("Description", Connection, Text, None),
    key("AuthScheme", Connection, Choice(&["Basic", "OAuth"]), None),
    key("APIToken", Connection, Secret, BASIC),
    key("CompanyDomain", Connection, Text, BASIC),
    key("OAuthClientId", Connection, Text, OAUTH),
    key("OAuthClientSecret", Connection, Secret, OAUTH),
    key("CallbackURL", Connection, Text, OAUTH),
    key(
        "InitiateOAuth",
        Connection,
        Choice(&["GETANDREFRESH", "REFRESH", "OFF"]),
        OAUTH,
    ),
    key("OAuthSettingsLocation", Connection, Text, OAUTH),
    key("BaseURL", Advanced, Text, None),
    key("Timeout", Advanced, Text, None),
    key("MaxRows", Advanced, Text, None),
    key("Pagesize", Advanced, Text, None),
    key("Logfile", Advanced, Text, None),
    key(
        "Verbosity",
        Advanced,
        Choice(&["1", "2", "3", "4", "5"]),
        None,
    ),
    key("OAuthServerURL", Advanced, Text, None),
    key("Scope", Advanced, Text, None),
    key("ProxyAutoDetect", Advanced, FLAG, None),
    key("ProxyServer", Advanced, Text, None),
    key("ProxyPort", Advanced, Text, None),
    key(
        "ProxyAuthScheme",
        Advanced,
        Choice(&["BASIC", "DIGEST", "NONE"]),
        None,
    ),
    key("ProxyUser", Advanced, Text, None),
    key("ProxyPassword", Advanced, Secret, None),
    key("ProxyExceptions", Advanced, Text, None),
    key("SSLServerCert", Advanced, Text, None),
    key("AutoCache", Advanced, FLAG, None),
    key("CacheLocation", Advanced, Text, None),
    key("CacheTolerance", Advanced, Text, None),
    key("CacheReconcileInterval", Advanced, Text, None),
    key("CacheMetadata", Advanced, FLAG, None),
    key("Offline", Advanced, FLAG, None),
    key("OAuthAccessToken", Page::None, Secret, None),
    key("OAuthRefreshToken", Page::None, Secret, None),
    key("OAuthExpiresIn", Page::None, Text, None),
    key("OAuthTokenTimestamp", Page::None, Text, None),
    key("OAuthVerifier", Page::None, Secret, None),
    // what driver managers and SQLConnect put in a DSN or a connection string
    key("DSN", Page::None, Text, None),
    key("Driver", Page::None, Text, None),
    key("UID", Page::None, Text, None),
    key("PWD", Page::None, Secret, None),
];

/// The known property of this name (names match without regard to case).
pub fn known(name: &str) -> Option<&'static Key> {
    KEYS.iter()
        .find(|k| k.name.eq_ignore_ascii_case(name.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::properties::is_secret;

    #[test]
    fn names_are_unique_and_secrets_are_masked() {
        for (i, k) in KEYS.iter().enumerate() {
            assert!(
                KEYS[..i]
                    .iter()
                    .all(|o| !o.name.eq_ignore_ascii_case(k.name)),
                "{} twice",
                k.name
            );
            // the dialog masks exactly the keys the logs hide
            assert_eq!(k.input == Secret, is_secret(k.name), "{}", k.name);
        }
        assert_eq!(known(" apitoken ").map(|k| k.name), Some("APIToken"));
        assert!(known("APIKey").is_none());
    }
}

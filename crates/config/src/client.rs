//! Connection properties into API client settings, with errors that say which property to fix.

use crate::properties::Properties;
use pipedrive_api::{ClientConfig, Credentials};
use std::fmt;
use std::time::Duration;

/// A property that is missing or has a value the driver cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// The API client settings the properties describe (API-token authentication).
pub fn client_config(props: &Properties) -> Result<ClientConfig, ConfigError> {
    let scheme = props.get("AuthScheme").unwrap_or("Basic");
    let credentials = if scheme.eq_ignore_ascii_case("Basic") {
        let token = props.get("APIToken").ok_or_else(|| {
            ConfigError(
                "APIToken is required with AuthScheme=Basic: copy your personal API token from \
                 Pipedrive (Settings > Personal preferences > API)"
                    .into(),
            )
        })?;
        Credentials::ApiToken(token.trim().to_string())
    } else if scheme.eq_ignore_ascii_case("OAuth") {
        let token = props.get("OAuthAccessToken").ok_or_else(|| {
            ConfigError("AuthScheme=OAuth needs OAuthAccessToken (or an OAuth flow)".into())
        })?;
        Credentials::bearer(token.trim().to_string())
    } else {
        return Err(ConfigError(format!(
            "AuthScheme '{scheme}' is not known: use Basic (API token) or OAuth"
        )));
    };
    let base = ClientConfig::base_url_for(props.get("CompanyDomain"), props.get("BaseURL"))
        .map_err(|e| ConfigError(e.message))?;
    let mut config = ClientConfig::new(base, credentials);
    if let Some(n) = number(props, "Pagesize", 1, pipedrive_api::MAX_PAGE_SIZE as u64)? {
        config.page_size = n as usize;
    }
    if let Some(s) = number(props, "Timeout", 0, 86_400)? {
        // 0 means no limit, as the documentation has it
        config.timeout = match s {
            0 => Duration::from_secs(86_400),
            s => Duration::from_secs(s),
        };
    }
    Ok(config)
}

fn number(props: &Properties, key: &str, min: u64, max: u64) -> Result<Option<u64>, ConfigError> {
    let Some(text) = props.get(key) else {
        return Ok(None);
    };
    match text.trim().parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(ConfigError(format!(
            "{key}={text} is not a whole number from {min} to {max}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(s: &str) -> Result<ClientConfig, ConfigError> {
        client_config(&Properties::parse(s).unwrap())
    }

    #[test]
    fn api_token_with_domain_or_base_url() {
        let c = config("APIToken=abc;CompanyDomain=acme;Pagesize=100;Timeout=5").unwrap();
        assert_eq!(c.base_url, "https://acme.pipedrive.com");
        assert_eq!(c.page_size, 100);
        assert_eq!(c.timeout, Duration::from_secs(5));
        let c = config("apitoken=abc;baseurl=http://127.0.0.1:9/").unwrap();
        assert_eq!(c.base_url, "http://127.0.0.1:9");
    }

    #[test]
    fn says_which_property_is_wrong() {
        assert!(config("CompanyDomain=acme")
            .unwrap_err()
            .0
            .contains("APIToken is required"));
        assert!(config("APIToken=a")
            .unwrap_err()
            .0
            .contains("CompanyDomain"));
        assert!(config("APIToken=a;CompanyDomain=acme;AuthScheme=Kerberos")
            .unwrap_err()
            .0
            .contains("Kerberos"));
        assert!(config("APIToken=a;CompanyDomain=acme;Pagesize=900")
            .unwrap_err()
            .0
            .contains("Pagesize=900"));
    }
}

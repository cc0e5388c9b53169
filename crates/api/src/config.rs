//! Where the API is and how to talk to it.

use crate::auth::Credentials;
use crate::error::{Error, ErrorKind};
use crate::network::Network;
use std::time::Duration;

/// Everything a [`crate::Client`] needs.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// `https://{CompanyDomain}.pipedrive.com`, or a `BaseURL` (sandbox, private gateway);
    /// `/api/v1/...` and `/api/v2/...` are appended to it.
    pub base_url: String,
    pub credentials: Credentials,
    /// Rows per page request (the API allows up to 500).
    pub page_size: usize,
    /// Time allowed for one HTTP request, body included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Attempts after the first for a request that may be retried.
    pub max_retries: u32,
    /// First backoff pause; doubled per attempt, with jitter, up to `max_backoff`.
    pub base_backoff: Duration,
    pub max_backoff: Duration,
    /// Requests allowed before the first answer tells the real burst budget.
    pub initial_burst: u32,
    /// The proxy and the trusted certificates.
    pub network: Network,
    /// Send nothing: every request fails at once (`Offline=1`, answered from the local cache).
    pub offline: bool,
}

pub const MAX_PAGE_SIZE: usize = 500;

impl ClientConfig {
    /// A configuration with the defaults for the given base URL and credentials.
    pub fn new(base_url: impl Into<String>, credentials: Credentials) -> Self {
        ClientConfig {
            base_url: base_url.into().trim_end_matches('/').to_string(),
            credentials,
            page_size: MAX_PAGE_SIZE,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            max_retries: 5,
            base_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(20),
            initial_burst: 10,
            network: Network::default(),
            offline: false,
        }
    }

    /// The base URL from `BaseURL` when given, else from `CompanyDomain`.
    pub fn base_url_for(
        company_domain: Option<&str>,
        base_url: Option<&str>,
    ) -> Result<String, Error> {
        if let Some(url) = base_url.map(str::trim).filter(|u| !u.is_empty()) {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("BaseURL must start with http:// or https:// (got '{url}')"),
                ));
            }
            // the address of the API as Pipedrive's documentation writes it (".../api/v2")
            // names the same company: requests add the version themselves
            let url = url.trim_end_matches('/');
            let url = ["/api/v1", "/api/v2", "/api"]
                .iter()
                .find_map(|tail| url.strip_suffix(tail))
                .unwrap_or(url);
            return Ok(url.trim_end_matches('/').to_string());
        }
        let domain = company_domain.map(str::trim).filter(|d| !d.is_empty()).ok_or_else(|| {
            Error::new(ErrorKind::Config, "CompanyDomain is required (the part before .pipedrive.com in your Pipedrive address), or set BaseURL")
        })?;
        let domain = domain
            .trim_start_matches("https://")
            .trim_end_matches('/')
            .trim_end_matches(".pipedrive.com");
        if domain.is_empty()
            || !domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(Error::new(
                ErrorKind::Config,
                format!("CompanyDomain '{domain}' is not a valid Pipedrive company domain"),
            ));
        }
        Ok(format!("https://{domain}.pipedrive.com"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_comes_from_base_url_or_company_domain() {
        assert_eq!(
            ClientConfig::base_url_for(Some("acme"), None).unwrap(),
            "https://acme.pipedrive.com"
        );
        assert_eq!(
            ClientConfig::base_url_for(Some("acme.pipedrive.com"), None).unwrap(),
            "https://acme.pipedrive.com"
        );
        assert_eq!(
            ClientConfig::base_url_for(Some("acme"), Some("http://127.0.0.1:9/")).unwrap(),
            "http://127.0.0.1:9"
        );
        for pasted in [
            "https://acme.pipedrive.com/api/v2",
            "https://acme.pipedrive.com/api/v1/",
            "https://acme.pipedrive.com/api",
            "https://acme.pipedrive.com//",
        ] {
            assert_eq!(
                ClientConfig::base_url_for(None, Some(pasted)).unwrap(),
                "https://acme.pipedrive.com",
                "{pasted}"
            );
        }
        assert_eq!(
            ClientConfig::base_url_for(None, None).unwrap_err().kind,
            ErrorKind::Config
        );
        assert_eq!(
            ClientConfig::base_url_for(Some("a b"), None)
                .unwrap_err()
                .kind,
            ErrorKind::Config
        );
        assert_eq!(
            ClientConfig::base_url_for(None, Some("ftp://x"))
                .unwrap_err()
                .kind,
            ErrorKind::Config
        );
    }
}

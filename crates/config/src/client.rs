//! Connection properties into an API client: the credentials (an API token, or OAuth tokens come
//! by as `InitiateOAuth` says), the address, and the operational settings, with errors that say
//! which property to fix.

use crate::error::ConfigError;
use crate::network::network;
use crate::properties::Properties;
use crate::scope::Scope;
use pipedrive_api::oauth::{resolve_location, Initiate, OAuthOptions};
use pipedrive_api::{Client, ClientConfig, Credentials, Error};
use std::time::Duration;

/// The API address for OAuth tokens that came without their company's `api_domain`.
pub const OAUTH_API_URL: &str = "https://api.pipedrive.com";

/// How long the desktop sign-in waits for the browser.
pub const BROWSER_TIMEOUT: Duration = Duration::from_secs(120);

/// What a connection opens with: a client for the data, and the OAuth settings (with
/// AuthScheme=OAuth) for the OAuth procedures. `client` is `None` for an OAuth connection with
/// InitiateOAuth=OFF and no access token: it can run the OAuth procedures only.
pub struct Connection {
    pub client: Option<Client>,
    pub oauth: Option<OAuthOptions>,
}

fn is_oauth(props: &Properties) -> Result<bool, ConfigError> {
    match props.get("AuthScheme").map(str::trim) {
        None => Ok(false),
        Some(s) if s.eq_ignore_ascii_case("Basic") => Ok(false),
        Some(s) if s.eq_ignore_ascii_case("OAuth") => Ok(true),
        Some(s) => Err(ConfigError(format!(
            "AuthScheme '{s}' is not known: use Basic (API token) or OAuth"
        ))),
    }
}

/// The OAuth properties, with AuthScheme=OAuth.
pub fn oauth_options(props: &Properties) -> Result<Option<OAuthOptions>, ConfigError> {
    if !is_oauth(props)? {
        return Ok(None);
    }
    let initiate =
        Initiate::parse(props.get("InitiateOAuth")).map_err(|e| ConfigError(e.message))?;
    if initiate != Initiate::Off {
        system_dsn_names_its_settings_file(props)?;
    }
    let text = |k: &str| props.get(k).map(|v| v.trim().to_string());
    Ok(Some(OAuthOptions {
        client_id: text("OAuthClientId"),
        client_secret: text("OAuthClientSecret"),
        callback_url: text("CallbackURL"),
        server_url: text("OAuthServerURL"),
        scope: text("Scope"),
        initiate,
        access_token: text("OAuthAccessToken"),
        refresh_token: text("OAuthRefreshToken"),
        expires_in: number(props, "OAuthExpiresIn", 0, u64::MAX)?,
        token_timestamp: number(props, "OAuthTokenTimestamp", 0, u64::MAX)?,
        verifier: text("OAuthVerifier"),
        settings_file: resolve_location(props.get("OAuthSettingsLocation")),
        browser_timeout: BROWSER_TIMEOUT,
        network: network(props)?,
    }))
}

/// A system DSN serves services (the Power BI gateway runs as one), whose account has no
/// user folder to keep OAuth tokens in: with OAuth it must say where they go.
fn system_dsn_names_its_settings_file(props: &Properties) -> Result<(), ConfigError> {
    let Some(name) = props.get("DSN").filter(|_| !names_settings_file(props)) else {
        return Ok(());
    };
    match crate::dsn::find_dsn(name) {
        Ok(Some((scope, _))) => settings_file_named(props, name, scope),
        _ => Ok(()),
    }
}

fn names_settings_file(props: &Properties) -> bool {
    props
        .get("OAuthSettingsLocation")
        .is_some_and(|v| !v.trim().is_empty())
}

/// The rule above for a DSN `name` of `scope` with these (OAuth, InitiateOAuth not OFF)
/// properties.
pub(crate) fn settings_file_named(
    props: &Properties,
    name: &str,
    scope: Scope,
) -> Result<(), ConfigError> {
    if scope != Scope::System || names_settings_file(props) {
        return Ok(());
    }
    Err(ConfigError(format!(
        "the system DSN '{name}' signs in with OAuth but names no OAuthSettingsLocation: \
         set it to a file the account that connects can write (a service such as the \
         Power BI gateway has no user folder for the tokens)"
    )))
}

/// The client settings for these properties and credentials; `api_domain` (from the OAuth
/// tokens) is the address when neither BaseURL nor CompanyDomain is set.
pub fn client_config(
    props: &Properties,
    credentials: Credentials,
    api_domain: Option<&str>,
) -> Result<ClientConfig, ConfigError> {
    let base = match (props.get("BaseURL"), props.get("CompanyDomain"), api_domain) {
        (None, None, Some(domain)) => ClientConfig::base_url_for(None, Some(domain)),
        (base, company, _) => ClientConfig::base_url_for(company, base),
    }
    .map_err(|e| ConfigError(e.message))?;
    let mut config = ClientConfig::new(base, credentials);
    config.network = network(props)?;
    config.offline = crate::network::flag(props, "Offline")?;
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

/// The API-token credentials of AuthScheme=Basic.
fn api_token(props: &Properties) -> Result<Credentials, ConfigError> {
    let token = props.get("APIToken").ok_or_else(|| {
        ConfigError(
            "APIToken is required with AuthScheme=Basic: copy your personal API token from \
             Pipedrive (Settings > Personal preferences > API)"
                .into(),
        )
    })?;
    Ok(Credentials::ApiToken(token.trim().to_string()))
}

/// Checks the properties and comes by credentials: for OAuth this may exchange a verifier,
/// read or write the settings file, refresh, or sign in through the browser.
pub async fn connect(props: &Properties) -> Result<Connection, Error> {
    let Some(oauth) = oauth_options(props)? else {
        let config = client_config(props, api_token(props)?, None)?;
        return Ok(Connection {
            client: Some(Client::new(config)?),
            oauth: None,
        });
    };
    let client = match oauth.authorize().await? {
        Some(auth) => {
            // tokens given as properties name no company: Pipedrive's general API address
            // serves every company's OAuth tokens
            let domain = auth.api_domain.as_deref().unwrap_or(OAUTH_API_URL);
            Some(Client::new(client_config(
                props,
                auth.credentials,
                Some(domain),
            )?)?)
        }
        None => None,
    };
    Ok(Connection {
        client,
        oauth: Some(oauth),
    })
}

pub(crate) fn number(
    props: &Properties,
    key: &str,
    min: u64,
    max: u64,
) -> Result<Option<u64>, ConfigError> {
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
        let props = Properties::parse(s).unwrap();
        client_config(&props, api_token(&props)?, None)
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
        assert!(config("APIToken=a;CompanyDomain=acme;Pagesize=900")
            .unwrap_err()
            .0
            .contains("Pagesize=900"));
        let props = Properties::parse("AuthScheme=Kerberos").unwrap();
        assert!(oauth_options(&props).unwrap_err().0.contains("Kerberos"));
        let props = Properties::parse("AuthScheme=OAuth;InitiateOAuth=SOMETIMES").unwrap();
        assert!(oauth_options(&props).unwrap_err().0.contains("SOMETIMES"));
    }

    #[test]
    fn oauth_properties_and_the_address_from_the_tokens() {
        let props = Properties::parse(
            "AuthScheme=OAuth;OAuthClientId=id;InitiateOAuth=refresh;OAuthSettingsLocation=/tmp/x.txt;OAuthExpiresIn=3600",
        )
        .unwrap();
        let o = oauth_options(&props).unwrap().unwrap();
        assert_eq!(o.initiate, Initiate::Refresh);
        assert_eq!(o.client_id.as_deref(), Some("id"));
        assert_eq!(o.expires_in, Some(3600));
        assert_eq!(o.settings_file, std::path::PathBuf::from("/tmp/x.txt"));
        let o = oauth_options(&Properties::parse("AuthScheme=OAuth").unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(o.initiate, Initiate::GetAndRefresh);
        assert!(
            oauth_options(&Properties::parse("AuthScheme=Basic").unwrap())
                .unwrap()
                .is_none()
        );
        let c = client_config(
            &props,
            Credentials::bearer("t"),
            Some("https://acme.pipedrive.com"),
        )
        .unwrap();
        assert_eq!(c.base_url, "https://acme.pipedrive.com");
        let with_domain = Properties::parse("CompanyDomain=other").unwrap();
        let c = client_config(
            &with_domain,
            Credentials::bearer("t"),
            Some("https://acme.pipedrive.com"),
        )
        .unwrap();
        assert_eq!(c.base_url, "https://other.pipedrive.com");
    }
}

//! The proxy and TLS properties (`ProxyAutoDetect`, `ProxyServer`, `ProxyPort`,
//! `ProxyAuthScheme`, `ProxyUser`, `ProxyPassword`, `ProxyExceptions`, `SSLServerCert`) into
//! the way requests go out.

use crate::error::ConfigError;
use crate::properties::Properties;
use pipedrive_api::{Network, ProxyAuthScheme, ProxyCredentials, ProxyRoute, Trust};

/// The port of a `ProxyServer` given without one.
const DEFAULT_PROXY_PORT: u16 = 80;

pub fn network(props: &Properties) -> Result<Network, ConfigError> {
    let trust = match props.get("SSLServerCert") {
        None => Trust::System,
        Some(value) => Trust::from_setting(value).map_err(|e| ConfigError(e.message))?,
    };
    Ok(Network {
        proxy: proxy(props)?,
        trust,
    })
}

/// A given `ProxyServer` is used as it is; without one, `ProxyAutoDetect` takes the system's
/// proxy settings; otherwise requests go direct.
fn proxy(props: &Properties) -> Result<ProxyRoute, ConfigError> {
    let credentials = proxy_credentials(props)?;
    let Some(server) = props.get("ProxyServer").map(str::trim) else {
        if flag(props, "ProxyAutoDetect")? {
            return Ok(ProxyRoute::System);
        }
        if props.get("ProxyUser").is_some() || props.get("ProxyPort").is_some() {
            return Err(ConfigError(
                "ProxyUser or ProxyPort is set but ProxyServer is not: name the proxy with \
                 ProxyServer, or set ProxyAutoDetect=true to use the system's proxy"
                    .into(),
            ));
        }
        return Ok(ProxyRoute::Direct);
    };
    let url = if server.contains("://") {
        server.to_string()
    } else {
        let port = match props.get("ProxyPort") {
            None => DEFAULT_PROXY_PORT,
            Some(p) => p
                .trim()
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| {
                    ConfigError(format!("ProxyPort={p} is not a port number (1-65535)"))
                })?,
        };
        let host = server.trim_end_matches('/');
        if host.contains(':') && !host.starts_with('[') {
            format!("http://{host}")
        } else {
            format!("http://{host}:{port}")
        }
    };
    let exceptions = props
        .get("ProxyExceptions")
        .map(|list| list.replace(';', ","));
    Ok(ProxyRoute::Server {
        url,
        credentials,
        exceptions,
    })
}

/// `ProxyUser`/`ProxyPassword` as `ProxyAuthScheme` says (Basic when a user is given).
fn proxy_credentials(props: &Properties) -> Result<Option<ProxyCredentials>, ConfigError> {
    let user = props.get("ProxyUser").map(str::trim);
    let scheme = props
        .get("ProxyAuthScheme")
        .map(|s| s.trim().to_ascii_uppercase());
    let scheme = match scheme.as_deref() {
        Some("NONE") => return Ok(None),
        None | Some("BASIC") => ProxyAuthScheme::Basic,
        Some("DIGEST") => ProxyAuthScheme::Digest,
        Some(other @ ("NTLM" | "NEGOTIATE")) => {
            return Err(ConfigError(format!(
                "ProxyAuthScheme={other} is not supported: the driver authenticates to a proxy \
                 with BASIC or DIGEST (ask for a proxy account that accepts one of them, or use \
                 NONE)"
            )))
        }
        Some(other) => {
            return Err(ConfigError(format!(
                "ProxyAuthScheme={other} is not known: use BASIC, DIGEST or NONE"
            )))
        }
    };
    match user {
        Some(user) => Ok(Some(ProxyCredentials {
            user: user.to_string(),
            password: props.get("ProxyPassword").unwrap_or("").to_string(),
            scheme,
        })),
        None if props.get("ProxyAuthScheme").is_some() => Err(ConfigError(format!(
            "ProxyAuthScheme={} needs ProxyUser (and ProxyPassword)",
            props.get("ProxyAuthScheme").unwrap_or_default().trim()
        ))),
        None => Ok(None),
    }
}

pub(crate) fn flag(props: &Properties, key: &str) -> Result<bool, ConfigError> {
    match props
        .get(key)
        .map(|v| v.trim().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("false" | "0" | "no" | "off") => Ok(false),
        Some("true" | "1" | "yes" | "on") => Ok(true),
        Some(other) => Err(ConfigError(format!(
            "{key}={other} is not a truth value: use true or false"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(s: &str) -> Result<String, String> {
        let props = Properties::parse(s).unwrap();
        network(&props)
            .map(|n| format!("{:?}", n.proxy))
            .map_err(|e| e.0)
    }

    #[test]
    fn proxy_properties_into_a_route() {
        let cases: &[(&str, Result<&str, &str>)] = &[
            ("", Ok("Direct")),
            ("ProxyAutoDetect=false", Ok("Direct")),
            ("ProxyAutoDetect=TRUE", Ok("System")),
            (
                "ProxyServer=proxy.corp;ProxyPort=3128",
                Ok(
                    r#"Server { url: "http://proxy.corp:3128", user: None, scheme: None, exceptions: None, .. }"#,
                ),
            ),
            (
                "ProxyServer=proxy.corp",
                Ok(
                    r#"Server { url: "http://proxy.corp:80", user: None, scheme: None, exceptions: None, .. }"#,
                ),
            ),
            (
                "ProxyServer=10.0.0.1:8080;ProxyPort=99",
                Ok(
                    r#"Server { url: "http://10.0.0.1:8080", user: None, scheme: None, exceptions: None, .. }"#,
                ),
            ),
            (
                "ProxyServer=https://proxy.corp:443;ProxyAutoDetect=true;ProxyUser=ann;\
                 ProxyPassword=pw;ProxyExceptions={a.example;.corp.example}",
                Ok(
                    r#"Server { url: "https://proxy.corp:443", user: Some("ann"), scheme: Some(Basic), exceptions: Some("a.example,.corp.example"), .. }"#,
                ),
            ),
            (
                "ProxyServer=p;ProxyUser=ann;ProxyAuthScheme=NONE",
                Ok(
                    r#"Server { url: "http://p:80", user: None, scheme: None, exceptions: None, .. }"#,
                ),
            ),
            ("ProxyServer=p;ProxyPort=70000", Err("ProxyPort=70000")),
            ("ProxyAutoDetect=maybe", Err("ProxyAutoDetect=maybe")),
            ("ProxyUser=ann", Err("ProxyServer is not")),
            (
                "ProxyServer=p;ProxyPort=3128;ProxyAuthScheme=digest;ProxyUser=a",
                Ok(
                    r#"Server { url: "http://p:3128", user: Some("a"), scheme: Some(Digest), exceptions: None, .. }"#,
                ),
            ),
            (
                "ProxyServer=p;ProxyAuthScheme=NTLM;ProxyUser=a",
                Err("NTLM is not supported"),
            ),
            (
                "ProxyServer=p;ProxyAuthScheme=Digest",
                Err("needs ProxyUser"),
            ),
            (
                "ProxyServer=p;ProxyAuthScheme=basic",
                Err("needs ProxyUser"),
            ),
            (
                "ProxyServer=p;ProxyAuthScheme=SPNEGO",
                Err("SPNEGO is not known"),
            ),
        ];
        for (props, expected) in cases {
            let got = route(props);
            match (expected, &got) {
                (Ok(want), Ok(got)) => assert_eq!(got, want, "{props}"),
                (Err(part), Err(message)) => {
                    assert!(message.contains(part), "{props}: {message}")
                }
                _ => panic!("{props}: {got:?}, expected {expected:?}"),
            }
        }
    }

    #[test]
    fn the_proxy_password_never_shows() {
        let props =
            Properties::parse("ProxyServer=p;ProxyUser=ann;ProxyPassword=s3cret-pw").unwrap();
        let n = network(&props).unwrap();
        assert!(!format!("{n:?}").contains("s3cret-pw"));
        assert!(!format!("{props:?}").contains("s3cret-pw"));
    }
}

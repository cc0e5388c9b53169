//! The way out of a corporate network, through unixODBC: queries through a real HTTP proxy
//! (Debian's tinyproxy, started here on 127.0.0.1) with and without Basic credentials, to an
//! HTTP sandbox and, through the proxy's tunnel, to an HTTPS sandbox whose certificate comes from
//! an authority of its own (what an inspecting proxy presents), trusted through `SSLServerCert`
//! as a CA file or as the pinned server certificate. And the failures a user must be able to
//! act on: a wrong proxy password, an untrusted certificate, a certificate for another host, an
//! expired one.

mod common;

use common::*;
use odbc_api::{ConnectionOptions, Cursor, Environment};
use pipedrive_sandbox::{DataSizes, Sandbox, SandboxConfig, TlsSettings};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The tokens the sandboxes accept. Field definitions are kept per token in the process, so a
/// connection on a token used before may make no request until its first query: a case that
/// must fail while connecting takes a token of its own.
const TOKENS: [&str; 6] = ["net-0", "net-1", "net-2", "net-3", "net-4", "net-5"];

fn env() -> &'static Environment {
    static ENV: OnceLock<Environment> = OnceLock::new();
    setup();
    ENV.get_or_init(|| Environment::new().expect("unixODBC environment"))
}

fn sandbox(tls: Option<TlsSettings>) -> Sandbox {
    Sandbox::start(SandboxConfig {
        sizes: DataSizes {
            deals: 700,
            persons: 20,
            ..DataSizes::default()
        },
        api_tokens: TOKENS.iter().map(|t| t.to_string()).collect(),
        tls,
        ..SandboxConfig::default()
    })
    .expect("sandbox")
}

/// A tinyproxy on a free loopback port, logging every connection it makes; stopped on drop.
struct Proxy {
    child: Child,
    port: u16,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Proxy {
    /// `credentials`: the Basic user and password it demands.
    fn start(credentials: Option<(&str, &str)>) -> Proxy {
        let binary = ["/usr/bin/tinyproxy", "/usr/sbin/tinyproxy"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .expect("tinyproxy is installed (scripts/test.sh installs it)");
        let dir = tempfile::tempdir().expect("temp dir");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let log = dir.path().join("proxy.log");
        let mut conf = format!(
            "Port {port}\nListen 127.0.0.1\nTimeout 30\nLogFile \"{}\"\nLogLevel Connect\n\
             MaxClients 20\nDisableViaHeader Yes\n",
            log.display()
        );
        if let Some((user, password)) = credentials {
            conf.push_str(&format!("BasicAuth {user} {password}\n"));
        }
        let conf_path = dir.path().join("tinyproxy.conf");
        std::fs::write(&conf_path, conf).expect("proxy configuration");
        let child = Command::new(binary)
            .args(["-d", "-c"])
            .arg(&conf_path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tinyproxy starts");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "tinyproxy did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Proxy {
            child,
            port,
            log,
            _dir: dir,
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `SELECT COUNT(*) FROM Deals` over a connection on `token` with these extra properties.
fn count_deals(sb: &Sandbox, token: &str, extra: &str) -> Result<i64, (String, String)> {
    let text = format!(
        "Driver={{{DRIVER}}};BaseURL={};APIToken={token};Timeout=20;{extra}",
        sb.base_url()
    );
    let conn = env()
        .connect_with_connection_string(&text, ConnectionOptions::default())
        .map_err(diagnostic)?;
    let mut cursor = conn
        .execute("SELECT COUNT(*) FROM Deals", (), None)
        .map_err(diagnostic)?
        .expect("a result set");
    let mut row = cursor.next_row().map_err(diagnostic)?.expect("one row");
    let mut count: i64 = 0;
    row.get_data(1, &mut count).map_err(diagnostic)?;
    Ok(count)
}

/// A PEM file in a directory kept for the test's length.
fn pem_file(dir: &Path, name: &str, pem: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, pem).expect("pem file");
    path.display().to_string()
}

#[test]
fn queries_go_through_a_proxy_with_and_without_credentials() {
    let sb = sandbox(None);
    let deals = sb.count("deals") as i64;
    let address = sb.base_url().trim_start_matches("http://").to_string();

    let open = Proxy::start(None);
    let via = format!("ProxyServer=127.0.0.1;ProxyPort={}", open.port);
    assert_eq!(count_deals(&sb, TOKENS[0], &via), Ok(deals));
    assert!(
        open.log().contains(&address),
        "the requests went through the proxy: {}",
        open.log()
    );

    let guarded = Proxy::start(Some(("ann", "proxy-pw")));
    let via = format!(
        "ProxyServer=http://127.0.0.1:{};ProxyUser=ann;ProxyPassword=proxy-pw",
        guarded.port
    );
    assert_eq!(count_deals(&sb, TOKENS[1], &via), Ok(deals));
    assert!(guarded.log().contains(&address), "{}", guarded.log());

    // the proxy's refusal, not the API's: no connection was made
    let wrong = format!(
        "ProxyServer=127.0.0.1;ProxyPort={};ProxyUser=ann;ProxyPassword=not-it",
        guarded.port
    );
    let (state, message) = count_deals(&sb, TOKENS[2], &wrong).unwrap_err();
    assert_eq!(state, "08001", "{message}");
    assert!(
        message.contains("the proxy asks for credentials") && message.contains("ProxyPassword"),
        "{message}"
    );
    assert!(!message.contains("not-it"), "the password is never shown");

    // no credentials for a proxy that asks for them (407)
    let none = format!("ProxyServer=127.0.0.1;ProxyPort={}", guarded.port);
    let (state, message) = count_deals(&sb, TOKENS[4], &none).unwrap_err();
    assert_eq!(state, "08001", "{message}");
    assert!(
        message.contains("HTTP 407") && message.contains("ProxyUser"),
        "{message}"
    );

    // an excepted host goes direct, past the proxy that would refuse it
    let excepted = format!("{wrong};ProxyExceptions={{example.org;127.0.0.1}}");
    assert_eq!(count_deals(&sb, TOKENS[3], &excepted), Ok(deals));
}

#[test]
fn https_through_the_proxys_tunnel_trusts_what_sslservercert_names() {
    let sb = sandbox(Some(TlsSettings::default()));
    let deals = sb.count("deals") as i64;
    let dir = tempfile::tempdir().expect("temp dir");
    let authority = pem_file(
        dir.path(),
        "authority.pem",
        sb.authority_certificate().expect("a TLS sandbox"),
    );
    let proxy = Proxy::start(Some(("ann", "proxy-pw")));
    let via = format!(
        "ProxyServer=127.0.0.1;ProxyPort={};ProxyUser=ann;ProxyPassword=proxy-pw",
        proxy.port
    );

    // the authority's certificate as a file, through the proxy's CONNECT tunnel
    let trusted = format!("{via};SSLServerCert={authority}");
    assert_eq!(count_deals(&sb, TOKENS[4], &trusted), Ok(deals));
    assert!(proxy.log().contains("CONNECT"), "{}", proxy.log());
    // the server's own certificate pinned, given as PEM text
    let pinned = format!(
        "SSLServerCert={{{}}}",
        sb.server_certificate().expect("a TLS sandbox")
    );
    assert_eq!(count_deals(&sb, TOKENS[5], &pinned), Ok(deals));

    // without it, the authority is unknown: said so, with what to set
    let (state, message) = count_deals(&sb, TOKENS[0], &via).unwrap_err();
    assert_eq!(state, "08001", "{message}");
    assert!(
        message.contains("issued by an authority that is not trusted")
            && message.contains("SSLServerCert"),
        "{message}"
    );
    // the tunnel refused for a wrong password
    let wrong = format!(
        "ProxyServer=127.0.0.1;ProxyPort={};ProxyUser=ann;ProxyPassword=not-it;SSLServerCert={authority}",
        proxy.port
    );
    let (state, message) = count_deals(&sb, TOKENS[1], &wrong).unwrap_err();
    assert_eq!(state, "08001", "{message}");
    assert!(message.contains("ProxyPassword"), "{message}");
}

#[test]
fn a_certificate_for_another_host_or_out_of_date_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let other_host = sandbox(Some(TlsSettings {
        names: vec!["api.example.test".into()],
        expired: false,
    }));
    let authority = pem_file(
        dir.path(),
        "other.pem",
        other_host.authority_certificate().expect("TLS"),
    );
    let (state, message) = count_deals(
        &other_host,
        TOKENS[2],
        &format!("SSLServerCert={authority}"),
    )
    .unwrap_err();
    assert_eq!(state, "08001", "{message}");
    assert!(
        message.contains("not valid for the host name connected to (127.0.0.1)")
            && message.contains("api.example.test"),
        "{message}"
    );

    let expired = sandbox(Some(TlsSettings {
        expired: true,
        ..TlsSettings::default()
    }));
    let authority = pem_file(
        dir.path(),
        "expired.pem",
        expired.authority_certificate().expect("TLS"),
    );
    let (state, message) =
        count_deals(&expired, TOKENS[3], &format!("SSLServerCert={authority}")).unwrap_err();
    assert_eq!(state, "08001", "{message}");
    assert!(message.contains("certificate has expired"), "{message}");

    // a setting that names no certificate fails before anything is sent
    let (state, message) = count_deals(
        &expired,
        TOKENS[4],
        &format!("SSLServerCert={}", dir.path().join("none.pem").display()),
    )
    .unwrap_err();
    assert_eq!(state, "08001", "{message}");
    assert!(message.contains("cannot read the file"), "{message}");
}

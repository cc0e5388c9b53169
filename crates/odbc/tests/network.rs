//! The way out of a corporate network, through unixODBC: queries through real HTTP proxies
//! started here on 127.0.0.1 (Debian's tinyproxy without credentials and with Basic ones, squid
//! with Digest ones), to an HTTP sandbox and, through the proxy's tunnel, to an HTTPS sandbox
//! whose certificate comes from
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
const TOKENS: [&str; 11] = [
    "net-0", "net-1", "net-2", "net-3", "net-4", "net-5", "net-6", "net-7", "net-8", "net-9",
    "net-10",
];

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

/// A proxy on a free loopback port, logging every request it passes; stopped on drop.
struct Proxy {
    child: Child,
    port: u16,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Proxy {
    /// A tinyproxy; `credentials`: the Basic user and password it demands.
    fn tinyproxy(credentials: Option<(&str, &str)>) -> Proxy {
        Proxy::launch(
            &["/usr/bin/tinyproxy", "/usr/sbin/tinyproxy"],
            |port, dir| {
                let mut conf = format!(
                    "Port {port}\nListen 127.0.0.1\nTimeout 30\nLogFile \"{}\"\n\
                     LogLevel Connect\nMaxClients 20\nDisableViaHeader Yes\n",
                    dir.join("proxy.log").display()
                );
                if let Some((user, password)) = credentials {
                    conf.push_str(&format!("BasicAuth {user} {password}\n"));
                }
                let conf_path = dir.join("tinyproxy.conf");
                std::fs::write(&conf_path, conf).expect("proxy configuration");
                vec!["-d".into(), "-c".into(), conf_path.display().to_string()]
            },
        )
    }

    /// A squid that demands Digest credentials (its `digest_file_auth` helper), with a nonce
    /// good for three requests, so that a longer query meets its renewal (`stale=true`).
    fn squid_digest(user: &str, password: &str) -> Proxy {
        Proxy::launch(&["/usr/sbin/squid"], |port, dir| {
            std::fs::write(dir.join("passwd"), format!("{user}:{password}\n")).expect("passwd");
            let conf = format!(
                "http_port 127.0.0.1:{port}\n\
                 pid_filename {dir}/squid.pid\n\
                 cache_log {dir}/cache.log\n\
                 access_log stdio:{dir}/proxy.log\n\
                 coredump_dir {dir}\n\
                 cache deny all\n\
                 shutdown_lifetime 0 seconds\n\
                 auth_param digest program /usr/lib/squid/digest_file_auth {dir}/passwd\n\
                 auth_param digest children 2\n\
                 auth_param digest realm pipedrive-odbc-test\n\
                 auth_param digest nonce_max_count 3\n\
                 acl authenticated proxy_auth REQUIRED\n\
                 http_access allow authenticated\n\
                 http_access deny all\n",
                dir = dir.display()
            );
            let conf_path = dir.join("squid.conf");
            std::fs::write(&conf_path, conf).expect("proxy configuration");
            vec!["-N".into(), "-f".into(), conf_path.display().to_string()]
        })
    }

    /// Starts the first of `binaries` that exists with the arguments `configure` gives for a
    /// free port and a temporary directory (writable by the user a proxy started as root
    /// switches to), and waits until it listens.
    fn launch(binaries: &[&str], configure: impl FnOnce(u16, &Path) -> Vec<String>) -> Proxy {
        let binary = binaries
            .iter()
            .find(|p| Path::new(p).exists())
            .unwrap_or_else(|| panic!("{binaries:?} is installed (scripts/test.sh installs it)"));
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::set_permissions(
            dir.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o777),
        )
        .expect("a directory the proxy's user can write");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let args = configure(port, dir.path());
        let child = Command::new(binary)
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{binary} starts: {e}"));
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{binary} did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Proxy {
            child,
            port,
            log: dir.path().join("proxy.log"),
            _dir: dir,
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Whether the log holds `needle` within a few seconds (squid logs a tunnel once it closes).
    fn logs_soon(&self, needle: &str) -> bool {
        let started = Instant::now();
        while !self.log().contains(needle) {
            if started.elapsed() > Duration::from_secs(10) {
                return false;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        true
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

    let open = Proxy::tinyproxy(None);
    let via = format!("ProxyServer=127.0.0.1;ProxyPort={}", open.port);
    assert_eq!(count_deals(&sb, TOKENS[0], &via), Ok(deals));
    assert!(
        open.log().contains(&address),
        "the requests went through the proxy: {}",
        open.log()
    );

    let guarded = Proxy::tinyproxy(Some(("ann", "proxy-pw")));
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
    let proxy = Proxy::tinyproxy(Some(("ann", "proxy-pw")));
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
fn a_proxy_asking_for_digest_credentials_gets_its_challenge_answered() {
    let http = sandbox(None);
    let https = sandbox(Some(TlsSettings::default()));
    let deals = http.count("deals") as i64;
    let dir = tempfile::tempdir().expect("temp dir");
    let authority = pem_file(
        dir.path(),
        "authority.pem",
        https.authority_certificate().expect("a TLS sandbox"),
    );
    let proxy = Proxy::squid_digest("ann", "proxy-pw");
    let via = |password: &str| {
        format!(
            "ProxyServer=127.0.0.1;ProxyPort={};ProxyAuthScheme=DIGEST;ProxyUser=ann;\
             ProxyPassword={password};Pagesize=100",
            proxy.port
        )
    };

    // plain HTTP, a request at a time through the proxy: eight pages and the field
    // definitions, so the nonce (good for three) is renewed on the way
    assert_eq!(count_deals(&http, TOKENS[6], &via("proxy-pw")), Ok(deals));
    let address = http.base_url().trim_start_matches("http://").to_string();
    assert!(
        proxy.logs_soon(&format!("http://{address}/")) && proxy.log().contains(" ann "),
        "the requests went through the proxy as ann: {}",
        proxy.log()
    );
    assert!(
        proxy
            .log()
            .lines()
            .any(|line| line.contains("TCP_DENIED/407") && line.contains(" ann ")),
        "the nonce ran out on the way (an answer as ann refused as stale) and was renewed: {}",
        proxy.log()
    );
    // HTTPS through a CONNECT tunnel the proxy opened on the answered challenge
    let trusted = format!("{};SSLServerCert={authority}", via("proxy-pw"));
    assert_eq!(count_deals(&https, TOKENS[7], &trusted), Ok(deals));
    let address = https.base_url().trim_start_matches("https://").to_string();
    assert!(
        proxy.logs_soon(&format!("CONNECT {address}")),
        "{}",
        proxy.log()
    );

    // a wrong password: the proxy's refusal, said with what to check, the password not shown
    for (sb, token, extra) in [
        (&http, TOKENS[8], String::new()),
        (&https, TOKENS[9], format!(";SSLServerCert={authority}")),
    ] {
        let (state, message) =
            count_deals(sb, token, &format!("{}{extra}", via("not-it"))).unwrap_err();
        assert_eq!(state, "08001", "{message}");
        assert!(
            message.contains("the proxy asks for credentials") && message.contains("ProxyPassword"),
            "{message}"
        );
        assert!(!message.contains("not-it"), "the password is never shown");
    }

    // a proxy that cannot be reached is named, not mistaken for a refusal
    let closed = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let unreachable = format!(
        "ProxyServer=127.0.0.1;ProxyPort={closed};ProxyAuthScheme=DIGEST;ProxyUser=ann;\
         ProxyPassword=pw;SSLServerCert={authority};Timeout=5"
    );
    let (state, message) = count_deals(&https, TOKENS[10], &unreachable).unwrap_err();
    assert_eq!(state, "08001", "{message}");
    assert!(
        message.contains(&format!("cannot reach the proxy 127.0.0.1:{closed}")),
        "{message}"
    );
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

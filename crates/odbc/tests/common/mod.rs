//! What the driver tests share: one sandbox per test binary, the built driver registered in a
//! private odbcinst.ini with a DSN for the sandbox in a private odbc.ini (ODBCSYSINI, ODBCINI),
//! and the unixODBC environment.
#![allow(dead_code)]

pub mod ffi;

use odbc_api::Error;
use pipedrive_api::oauth::{OAuthApp, Tokens};
use pipedrive_sandbox::{DataSizes, Sandbox, SandboxConfig};
use std::path::PathBuf;
use std::sync::OnceLock;

pub const DSN: &str = "PipedriveTest";
pub const DRIVER: &str = "Pipedrive ODBC (test)";
pub const TOKEN: &str = "driver-test-token";
pub const DEALS: usize = 10_250;

pub struct Setup {
    pub sandbox: Sandbox,
    pub dir: PathBuf,
    pub library: PathBuf,
}

/// The built driver library, next to the test binary's directory. `cargo test` does not build
/// the shared library itself: `cargo build` (as scripts/test.sh does) must run first, and a
/// library older than the driver's sources is refused rather than tested.
pub fn library() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target directory");
    let lib = dir.join("libpipedrive_odbc.so");
    let built = std::fs::metadata(&lib)
        .and_then(|m| m.modified())
        .unwrap_or_else(|_| {
            panic!(
                "the driver library is not built at {}: run cargo build first",
                lib.display()
            )
        });
    let src = crate_dir().join("src");
    let newest = newest_file(&src);
    assert!(
        newest <= built,
        "{} is older than the driver's sources: run cargo build -p pipedrive-odbc-driver first",
        lib.display()
    );
    lib
}

/// This crate's directory: where cargo says it is when it runs the test, else where the test was
/// built (a test binary cargo reuses from another checkout of the same sources still finds the
/// files of this one).
pub fn crate_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), PathBuf::from)
}

fn newest_file(dir: &std::path::Path) -> std::time::SystemTime {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                newest_file(&p)
            } else {
                e.metadata().and_then(|m| m.modified()).unwrap()
            }
        })
        .max()
        .unwrap_or(std::time::UNIX_EPOCH)
}

pub fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let sandbox = Sandbox::start(SandboxConfig {
            sizes: DataSizes {
                deals: DEALS,
                persons: 300,
                organizations: 100,
                ..DataSizes::default()
            },
            api_tokens: vec![TOKEN.to_string()],
            ..SandboxConfig::default()
        })
        .expect("sandbox");
        let dir = std::env::temp_dir().join(format!("pipedrive-odbc-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let library = library();
        std::fs::write(
            dir.join("odbcinst.ini"),
            format!("[{DRIVER}]\nDescription = Pipedrive ODBC driver under test\nDriver = {}\n", library.display()),
        )
        .unwrap();
        std::fs::write(
            dir.join("odbc.ini"),
            format!(
                "[ODBC Data Sources]\n{DSN} = {DRIVER}\n\n[{DSN}]\nDriver = {DRIVER}\nBaseURL = {}\nAPIToken = {TOKEN}\n",
                sandbox.base_url()
            ),
        )
        .unwrap();
        std::env::set_var("ODBCSYSINI", &dir);
        std::env::set_var("ODBCINI", dir.join("odbc.ini"));
        Setup { sandbox, dir, library }
    })
}

/// A connection string without a DSN: the driver named from the private odbcinst.ini.
pub fn dsn_less(extra: &str) -> String {
    let s = setup();
    format!(
        "Driver={{{DRIVER}}};BaseURL={};APIToken={TOKEN};{extra}",
        s.sandbox.base_url()
    )
}

/// Runs a check script of tests/python with `args`; it must succeed and end with
/// "all checks passed". Answers what it printed.
pub fn python_check(script: &str, args: &[&str]) -> String {
    let path = crate_dir().join("tests/python").join(script);
    let out = std::process::Command::new("python3")
        .arg(&path)
        .args(args)
        .output()
        .expect("python3");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{script}: {text}");
    assert!(text.contains("all checks passed"), "{script}: {text}");
    text
}

/// The SQLSTATE and message of an odbc-api error that carries a diagnostic.
pub fn diagnostic(e: Error) -> (String, String) {
    match e {
        Error::Diagnostics { record, .. } => (
            String::from_utf8_lossy(&record.state.0).into_owned(),
            record.to_string(),
        ),
        other => panic!("not a diagnostic: {other}"),
    }
}

/// The sandbox's OAuth app (its default registration).
pub const CLIENT_ID: &str = "sandbox-client";
pub const CLIENT_SECRET: &str = "sandbox-secret";

/// Tokens for the sandbox app granted `scope` (all, when None), as a person approving in a
/// browser elsewhere would get them.
pub fn oauth_tokens(sandbox: &Sandbox, callback: &str, scope: Option<&str>) -> Tokens {
    let code = sandbox.approve(CLIENT_ID, callback, scope);
    let mut app = OAuthApp::new(CLIENT_ID, CLIENT_SECRET);
    app.server_url = sandbox.base_url().to_string();
    app.callback_url = callback.to_string();
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(app.exchange_code(&code, None))
        .expect("code exchange")
}

//! Authentication through unixODBC as the product documentation describes it, against the
//! sandbox's OAuth server: API token; OAuth with InitiateOAuth OFF, REFRESH and GETANDREFRESH;
//! the desktop sign-in driven by headless Chromium clicking the consent page; the headless steps
//! (verifier, copied settings file); the OAuth procedures; refresh in the middle of a scan, by
//! several processes at once, and after the authorization was revoked; no secret in clear text.

mod common;

use common::*;
use odbc_api::{ConnectionOptions, Cursor, Environment, Error, IntoParameter};
use pipedrive_api::oauth::{OAuthApp, SettingsFile, Tokens};
use pipedrive_sandbox::{DataSizes, Faults, Sandbox, SandboxConfig};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn env() -> &'static Environment {
    static ENV: OnceLock<Environment> = OnceLock::new();
    setup();
    browser_control();
    ENV.get_or_init(|| Environment::new().expect("unixODBC environment"))
}

/// The folder the test browser reads its decision from and logs to; `$BROWSER` points at it.
fn browser_control() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = setup().dir.join("browser");
        std::fs::create_dir_all(&dir).unwrap();
        let script = common::crate_dir().join("tests/python/oauth_browser.py");
        std::env::set_var(
            "BROWSER",
            format!("python3 {} {} %s", script.display(), dir.display()),
        );
        dir
    })
}

fn browser_log() -> Vec<String> {
    std::fs::read_to_string(browser_control().join("log"))
        .unwrap_or_default()
        .lines()
        .map(String::from)
        .collect()
}

/// The browser's log once it has `lines` lines (it writes after the driver has its answer).
fn browser_log_of(lines: usize) -> Vec<String> {
    let started = Instant::now();
    while browser_log().len() < lines && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(100));
    }
    browser_log()
}

fn temp(name: &str) -> PathBuf {
    let dir = setup().dir.join("oauth");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// An OAuth connection string for the custom app of `sandbox` (no BaseURL: the address comes
/// with the tokens).
fn oauth(sandbox: &Sandbox, extra: &str) -> String {
    format!(
        "Driver={{{DRIVER}}};AuthScheme=OAuth;OAuthClientId={CLIENT_ID};OAuthClientSecret={CLIENT_SECRET};OAuthServerURL={};{extra}",
        sandbox.base_url()
    )
}

fn connect(text: &str) -> Result<odbc_api::Connection<'static>, Error> {
    env().connect_with_connection_string(text, ConnectionOptions::default())
}

/// Every row of a result, as text.
fn rows(
    conn: &odbc_api::Connection,
    sql: &str,
    params: &[&str],
) -> Result<Vec<Vec<Option<String>>>, Error> {
    let params: Vec<_> = params
        .iter()
        .map(|p| p.to_string().into_parameter())
        .collect();
    let mut cursor = conn.execute(sql, &params[..], None)?.expect("a result set");
    let cols = odbc_api::ResultSetMetadata::num_result_cols(&mut cursor)? as u16;
    let mut out = vec![];
    while let Some(mut row) = cursor.next_row()? {
        let mut cells = vec![];
        for c in 1..=cols {
            let mut buf = vec![];
            let present = row.get_text(c, &mut buf)?;
            cells.push(present.then(|| String::from_utf8(buf).unwrap()));
        }
        out.push(cells);
    }
    Ok(out)
}

fn count_deals(conn: &odbc_api::Connection) -> usize {
    rows(conn, "SELECT COUNT(*) FROM Deals", &[]).unwrap()[0][0]
        .as_deref()
        .unwrap()
        .parse()
        .unwrap()
}

fn stored(path: &Path) -> Tokens {
    SettingsFile::new(path.to_path_buf())
        .read()
        .unwrap()
        .expect("a settings file")
        .tokens
        .expect("tokens in the settings file")
}

/// A sandbox of its own, for tests that change token lifetimes or count grants.
fn own_sandbox(deals: usize) -> Sandbox {
    Sandbox::start(SandboxConfig {
        sizes: DataSizes {
            deals,
            persons: 100,
            organizations: 50,
            activities: 100,
            ..DataSizes::default()
        },
        ..SandboxConfig::default()
    })
    .expect("sandbox")
}

/// Tokens for the sandbox app, as a person approving in a browser elsewhere would get them.
fn exchange(sandbox: &Sandbox, callback: &str) -> Tokens {
    oauth_tokens(sandbox, callback, None)
}

fn assert_no_secret(text: &str, secrets: &[&str], what: &str) {
    for s in secrets {
        assert!(
            !text.contains(s),
            "a secret appears in clear text in {what}"
        );
    }
}

#[test]
fn api_token_connects_and_a_wrong_one_says_where_to_get_one() {
    let conn = connect(&dsn_less("AuthScheme=Basic")).unwrap();
    assert_eq!(count_deals(&conn), DEALS);
    let (state, message) = diagnostic(
        connect(&format!("{};APIToken=wrong", dsn_less("AuthScheme=Basic"))).unwrap_err(),
    );
    assert_eq!(state, "28000");
    assert!(
        message.contains("Settings > Personal preferences > API"),
        "{message}"
    );
    assert!(
        !message.contains("wrong"),
        "the refused token is echoed: {message}"
    );
}

#[test]
fn desktop_sign_in_through_the_browser_then_silent_reuse() {
    let s = &setup().sandbox;
    let file = temp("desktop.txt");
    let log = temp("desktop.log");
    let port = free_port();
    let text = oauth(
        s,
        &format!(
            "InitiateOAuth=GETANDREFRESH;CallbackURL=http://localhost:{port};OAuthSettingsLocation={};Logfile={};Verbosity=5",
            file.display(),
            log.display()
        ),
    );
    let decide = |d: &str| std::fs::write(browser_control().join("decision"), d).unwrap();
    let seen = browser_log().len();

    // Cancel on the consent page: refused, and the browser page says so
    decide("deny");
    let (state, message) = diagnostic(connect(&text).unwrap_err());
    assert_eq!(state, "28000", "{message}");
    assert!(message.contains("not granted"), "{message}");
    assert_eq!(browser_log_of(seen + 1)[seen..], ["Access not granted"]);
    assert!(!file.exists());

    // Allow: signed in, tokens stored, data read
    decide("allow");
    let conn = connect(&text).expect("signed in through the browser");
    assert_eq!(count_deals(&conn), DEALS);
    assert_eq!(browser_log_of(seen + 2)[seen + 1..], ["Signed in"]);
    let tokens = stored(&file);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "the settings file is readable by its owner only"
        );
    }

    // later connections use the stored tokens: no browser
    drop(conn);
    let conn = connect(&text).expect("second connection");
    assert_eq!(count_deals(&conn), DEALS);
    let conn2 = connect(&format!(
        "Driver={{{DRIVER}}};AuthScheme=OAuth;InitiateOAuth=GETANDREFRESH;OAuthSettingsLocation={}",
        file.display()
    ))
    .expect("InitiateOAuth and OAuthSettingsLocation suffice");
    assert_eq!(count_deals(&conn2), DEALS);
    assert_eq!(
        browser_log().len(),
        seen + 2,
        "no browser after the first sign-in"
    );
    drop((conn, conn2));

    // the authorization revoked in Pipedrive: GETANDREFRESH signs in through the browser again
    s.revoke(tokens.refresh_token.as_deref().unwrap());
    let conn = connect(&text).expect("signed in again");
    assert_eq!(count_deals(&conn), DEALS);
    assert_eq!(browser_log_of(seen + 3)[seen + 2..], ["Signed in"]);
    assert_ne!(stored(&file).access_token, tokens.access_token);

    // no token or secret in clear text: settings file, log
    let secrets = [
        tokens.access_token.as_str(),
        tokens.refresh_token.as_deref().unwrap(),
        CLIENT_SECRET,
    ];
    assert_no_secret(
        &std::fs::read_to_string(&file).unwrap(),
        &secrets,
        "the settings file",
    );
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains("connect"), "the log was written");
    assert_no_secret(&logged, &secrets, "the log");

    // a browser that never answers: the login timeout ends the wait
    decide("ignore");
    let port = free_port();
    let started = Instant::now();
    let err = env()
        .connect_with_connection_string(
            &oauth(
                s,
                &format!(
                    "CallbackURL=http://localhost:{port};OAuthSettingsLocation={}",
                    temp("never.txt").display()
                ),
            ),
            ConnectionOptions {
                login_timeout_sec: Some(3),
                ..ConnectionOptions::default()
            },
        )
        .unwrap_err();
    assert_eq!(diagnostic(err).0, "HYT00");
    assert!(started.elapsed() < Duration::from_secs(60));
    decide("allow");
}

#[test]
fn headless_option_1_verifier_from_the_authorization_url() {
    // a sandbox of its own: the test counts the code exchanges
    let s = &own_sandbox(300);
    let callback = "http://localhost:5599/callback";
    // on the machine with a browser: OFF, and the authorization URL from the procedure
    let off = connect(&oauth(
        s,
        &format!(
            "InitiateOAuth=OFF;CallbackURL={callback};OAuthSettingsLocation={}",
            temp("unused.txt").display()
        ),
    ))
    .expect("an OFF connection without a token opens for the OAuth procedures");
    let url = rows(&off, "EXEC GetOAuthAuthorizationURL @State = 'xyz'", &[]).unwrap()[0][0]
        .clone()
        .unwrap();
    assert_eq!(
        url,
        format!(
            "{}/oauth/authorize?client_id={CLIENT_ID}&redirect_uri=http%3A%2F%2Flocalhost%3A5599%2Fcallback&state=xyz",
            s.base_url()
        )
    );
    // no data without a token, and it says what to do
    let (state, message) = diagnostic(rows(&off, "SELECT COUNT(*) FROM Deals", &[]).unwrap_err());
    assert_eq!(state, "28000");
    assert!(message.contains("OAuthAccessToken"), "{message}");

    // the person approves in that browser; the redirect carries the code
    let code = s.approve(CLIENT_ID, callback, None);

    // on the headless machine: REFRESH with the code as OAuthVerifier; connecting writes the file
    let file = temp("headless1.txt");
    let exchanges = s.stats().oauth_grant("authorization_code 200");
    let first = oauth(
        s,
        &format!("InitiateOAuth=REFRESH;CallbackURL={callback};OAuthVerifier={code};OAuthSettingsLocation={}", file.display()),
    );
    assert_eq!(
        count_deals(&connect(&first).expect("verifier exchanged")),
        300
    );
    assert!(file.exists());
    // the same string again (the DSN still holds the used code): not exchanged a second time
    assert_eq!(
        count_deals(&connect(&first).expect("code not replayed")),
        300
    );
    assert_eq!(
        s.stats().oauth_grant("authorization_code 200"),
        exchanges + 1
    );
    assert_eq!(s.stats().oauth_grant("authorization_code 400"), 0);
    // from now on: InitiateOAuth, OAuthSettingsLocation, OAuthClientId, OAuthClientSecret
    let later = format!(
        "Driver={{{DRIVER}}};AuthScheme=OAuth;InitiateOAuth=REFRESH;OAuthSettingsLocation={};OAuthClientId={CLIENT_ID};OAuthClientSecret={CLIENT_SECRET}",
        file.display()
    );
    assert_eq!(count_deals(&connect(&later).unwrap()), 300);

    // a used or wrong code: 28000 saying to get a new one
    let (state, message) = diagnostic(
        connect(&oauth(
            s,
            &format!(
                "InitiateOAuth=REFRESH;OAuthVerifier=code:nope;OAuthSettingsLocation={}",
                temp("bad-code.txt").display()
            ),
        ))
        .unwrap_err(),
    );
    assert_eq!(state, "28000");
    assert!(message.contains("GetOAuthAuthorizationURL"), "{message}");
    // REFRESH with nothing to start from says what to set
    let (state, message) = diagnostic(
        connect(&oauth(
            s,
            &format!(
                "InitiateOAuth=REFRESH;OAuthSettingsLocation={}",
                temp("empty.txt").display()
            ),
        ))
        .unwrap_err(),
    );
    assert_eq!(state, "28000");
    assert!(message.contains("OAuthVerifier"), "{message}");
}

#[test]
fn headless_option_2_settings_file_copied_to_another_home() {
    let s = &setup().sandbox;
    let callback = "http://localhost:5600/";
    let made = temp("made-elsewhere.txt");
    let code = s.approve(CLIENT_ID, callback, None);
    connect(&oauth(s, &format!("InitiateOAuth=REFRESH;CallbackURL={callback};OAuthVerifier={code};OAuthSettingsLocation={}", made.display())))
        .expect("settings file made");
    // another home (another user's default location), a separate process: isql
    let home = temp("other-home");
    let target = home.join(".local/share/pipedrive-odbc/OAuthSettings.txt");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::copy(&made, &target).unwrap();
    let out = Command::new("isql")
        .args([
            "-b",
            "-k",
            &format!("Driver={{{DRIVER}}};AuthScheme=OAuth;InitiateOAuth=REFRESH;OAuthClientId={CLIENT_ID};OAuthClientSecret={CLIENT_SECRET}"),
        ])
        .env("HOME", &home)
        .env_remove("XDG_DATA_HOME")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(b"SELECT COUNT(*) FROM Deals\n")?;
            child.wait_with_output()
        })
        .expect("isql runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(&DEALS.to_string()), "{stdout}");
}

#[test]
fn procedures_get_and_refresh_tokens_for_the_documented_refresh_steps() {
    let s = &setup().sandbox;
    let callback = "http://localhost:5601/";
    let file = temp("procedures.txt");
    let off = connect(&oauth(
        s,
        &format!(
            "InitiateOAuth=OFF;CallbackURL={callback};OAuthSettingsLocation={}",
            file.display()
        ),
    ))
    .unwrap();

    // GetOAuthAccessToken with the code of the redirect
    let code = s.approve(CLIENT_ID, callback, None);
    let got = rows(
        &off,
        "EXEC GetOAuthAccessToken @AuthMode = 'WEB', @Verifier = ?",
        &[&code],
    )
    .unwrap();
    let (access, refresh) = (got[0][0].clone().unwrap(), got[0][1].clone().unwrap());
    let expires: u64 = got[0][2].as_deref().unwrap().parse().unwrap();
    assert!(expires > 3000 && expires <= 3599, "{expires}");

    // automatic refresh, first connection: REFRESH with OAuthAccessToken and OAuthSettingsLocation
    let first = format!(
        "Driver={{{DRIVER}}};AuthScheme=OAuth;InitiateOAuth=REFRESH;OAuthClientId={CLIENT_ID};OAuthClientSecret={CLIENT_SECRET};OAuthAccessToken={access};OAuthSettingsLocation={}",
        file.display()
    );
    assert_eq!(count_deals(&connect(&first).unwrap()), DEALS);
    // subsequent connections: InitiateOAuth and OAuthSettingsLocation
    let later = format!(
        "Driver={{{DRIVER}}};AuthScheme=OAuth;InitiateOAuth=REFRESH;OAuthSettingsLocation={}",
        file.display()
    );
    assert_eq!(count_deals(&connect(&later).unwrap()), DEALS);

    // manual refresh with the {call} escape; the new access token works with OFF
    let new = rows(&off, "{call RefreshOAuthAccessToken(?)}", &[&refresh]).unwrap();
    let (access2, refresh2) = (new[0][0].clone().unwrap(), new[0][1].clone().unwrap());
    assert_ne!(access2, access);
    assert_ne!(refresh2, refresh);
    let conn = connect(&format!(
        "Driver={{{DRIVER}}};AuthScheme=OAuth;InitiateOAuth=OFF;OAuthAccessToken={access2};BaseURL={}",
        s.base_url()
    ))
    .unwrap();
    assert_eq!(count_deals(&conn), DEALS);
    // the rotated refresh token is spent: 28000 saying which step to redo
    let (state, message) = diagnostic(
        rows(
            &off,
            "EXEC RefreshOAuthAccessToken @OAuthRefreshToken = ?",
            &[&refresh],
        )
        .unwrap_err(),
    );
    assert_eq!(state, "28000");
    assert!(message.contains("sign in again"), "{message}");
    assert!(!message.contains(&refresh), "{message}");
    // OFF with a refused token, and procedure misuse
    let (state, _) = diagnostic(
        connect(&format!("Driver={{{DRIVER}}};AuthScheme=OAuth;InitiateOAuth=OFF;OAuthAccessToken=v1u:nope;BaseURL={}", s.base_url())).unwrap_err(),
    );
    assert_eq!(state, "28000");
    let (state, message) = diagnostic(rows(&off, "EXEC RefreshOAuthAccessToken", &[]).unwrap_err());
    assert_eq!(state, "42000");
    assert!(message.contains("@OAuthRefreshToken"), "{message}");
    let (state, message) = diagnostic(rows(&off, "EXEC NoSuchProcedure", &[]).unwrap_err());
    assert_eq!(state, "42000");
    assert!(message.contains("GetOAuthAuthorizationURL"), "{message}");
}

#[test]
fn tokens_expiring_in_a_scan_are_refreshed_and_a_revoked_grant_says_what_to_redo() {
    let s = own_sandbox(1_500);
    s.set_token_lifetime(Duration::from_secs(2));
    s.set_faults(Faults {
        latency: Duration::from_millis(80),
        ..Faults::none()
    });
    // expiry known (from the token endpoint): refreshed before it runs out
    let callback = "http://localhost:5602/";
    let file = temp("expiring.txt");
    let code = s.approve(CLIENT_ID, callback, None);
    let conn = connect(&oauth(&s, &format!("InitiateOAuth=REFRESH;CallbackURL={callback};OAuthVerifier={code};OAuthSettingsLocation={};Pagesize=50", file.display()))).unwrap();
    // one cursor walked page after page (an API-sorted walk), so the scan outlives the token
    let ids = rows(&conn, "SELECT Id FROM Deals ORDER BY Id LIMIT 1500", &[]).unwrap();
    assert_eq!(ids.len(), 1_500);
    let refreshes = s.stats().oauth_grant("refresh_token 200");
    assert!(
        refreshes >= 1,
        "the 2-second token was refreshed during the scan"
    );
    assert_eq!(
        s.stats().status(401),
        0,
        "refreshed before the API refused it"
    );

    // expiry unknown (a token given as a property): refreshed when the API answers 401
    let tokens = exchange(&s, callback);
    let conn = connect(&format!(
        "Driver={{{DRIVER}}};AuthScheme=OAuth;InitiateOAuth=REFRESH;OAuthClientId={CLIENT_ID};OAuthClientSecret={CLIENT_SECRET};OAuthServerURL={};BaseURL={};OAuthAccessToken={};OAuthRefreshToken={};OAuthSettingsLocation={};Pagesize=50",
        s.base_url(),
        s.base_url(),
        tokens.access_token,
        tokens.refresh_token.as_deref().unwrap(),
        temp("unknown-expiry.txt").display()
    ))
    .unwrap();
    assert_eq!(
        rows(&conn, "SELECT Id FROM Deals ORDER BY Id LIMIT 1500", &[])
            .unwrap()
            .len(),
        1_500
    );
    assert!(
        s.stats().status(401) >= 1,
        "the API refused the run-out token"
    );
    assert!(s.stats().oauth_grant("refresh_token 200") > refreshes);

    // the grant revoked: the next refresh fails with 28000 naming the step to redo
    std::thread::sleep(Duration::from_millis(2_100));
    s.revoke(stored(&file).refresh_token.as_deref().unwrap());
    let (state, message) = diagnostic(
        connect(&format!(
            "Driver={{{DRIVER}}};AuthScheme=OAuth;InitiateOAuth=REFRESH;OAuthSettingsLocation={}",
            file.display()
        ))
        .unwrap_err(),
    );
    assert_eq!(state, "28000", "{message}");
    assert!(
        message.contains("GETANDREFRESH") && message.contains("OAuthVerifier"),
        "{message}"
    );
}

#[test]
fn processes_refreshing_one_settings_file_at_once_refresh_it_once() {
    let s = own_sandbox(300);
    let callback = "http://localhost:5603/";
    let mut tokens = exchange(&s, callback);
    // stored as run out, so every process wants to refresh as it connects
    tokens.issued_at -= 7_200;
    tokens.expires_at = Some(tokens.issued_at + 3_600);
    let file = temp("shared.txt");
    let mut app = OAuthApp::new(CLIENT_ID, CLIENT_SECRET);
    app.server_url = s.base_url().to_string();
    app.callback_url = callback.to_string();
    let mut settings = pipedrive_api::oauth::Stored::default();
    settings.hold(&app, tokens);
    SettingsFile::new(file.clone()).write(&settings).unwrap();

    let text = format!(
        "Driver={{{DRIVER}}};AuthScheme=OAuth;InitiateOAuth=REFRESH;OAuthSettingsLocation={}",
        file.display()
    );
    let script = "import pyodbc, sys\nc = pyodbc.connect(sys.argv[1])\nprint(c.cursor().execute('SELECT COUNT(*) FROM Deals').fetchone()[0])\n";
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new("python3")
                .args(["-c", script, &text])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("python3")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "300");
    }
    let stats = s.stats();
    assert_eq!(
        stats.oauth_grant("refresh_token 200"),
        1,
        "one refresh won: {:?}",
        stats.oauth_grants
    );
    assert_eq!(
        stats.oauth_grant("refresh_token 400"),
        0,
        "no process used a spent refresh token"
    );
    // the rotated refresh token was kept: it refreshes again
    let kept = stored(&file);
    assert!(!kept.due());
    let mut app2 = app.clone();
    app2.callback_url = callback.into();
    let again = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(app2.refresh(kept.refresh_token.as_deref().unwrap()));
    assert!(
        again.is_ok(),
        "the refresh token in the file is the live one"
    );
}

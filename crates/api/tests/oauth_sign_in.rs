//! The desktop sign-in's callback listener against the sandbox (consent approved at once):
//! `$BROWSER` is a small script that first sends a forged redirect with a wrong `state`, then
//! follows the authorization URL; only the real redirect is taken. Also: a sign-in nobody
//! completes times out, and a settings file shared by two token sources is refreshed once.

use pipedrive_api::oauth::{sign_in, OAuthApp, OAuthTokens, SettingsFile, Stored};
use pipedrive_api::TokenSource;
use pipedrive_sandbox::{OAuthSettings, Sandbox, SandboxConfig};
use std::time::Duration;

const SCRIPT: &str = r#"
import sys, urllib.error, urllib.parse, urllib.request
out, url = sys.argv[1], sys.argv[2]
callback = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))["redirect_uri"]
try:
    urllib.request.urlopen(callback + "?code=forged&state=wrong")
    forged = "accepted"
except urllib.error.HTTPError as e:
    forged = str(e.code)
page = urllib.request.urlopen(url).read().decode()
open(out, "w").write(forged + "\n" + page)
"#;

fn app(sandbox: &Sandbox, port: u16) -> OAuthApp {
    let mut app = OAuthApp::new("sandbox-client", "sandbox-secret");
    app.server_url = sandbox.base_url().to_string();
    app.callback_url = format!("http://localhost:{port}/done");
    app
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_takes_only_the_redirect_with_its_state_and_times_out_alone() {
    let sandbox = Sandbox::start(SandboxConfig {
        oauth: OAuthSettings {
            auto_approve: true,
            ..OAuthSettings::default()
        },
        ..SandboxConfig::default()
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("browser.py");
    let out = dir.path().join("browser.out");
    std::fs::write(&script, SCRIPT).unwrap();
    // the only test of this binary that reads BROWSER
    std::env::set_var(
        "BROWSER",
        format!("python3 {} {} %s", script.display(), out.display()),
    );

    let tokens = sign_in(&app(&sandbox, free_port()), None, Duration::from_secs(30))
        .await
        .expect("signed in");
    assert!(tokens.refresh_token.is_some());
    assert_eq!(tokens.api_domain.as_deref(), Some(sandbox.base_url()));
    // the script finishes after the listener answered it
    let mut said = String::new();
    for _ in 0..100 {
        said = std::fs::read_to_string(&out).unwrap_or_default();
        if !said.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (forged, page) = said.split_once('\n').expect("the browser script ran");
    assert_eq!(forged, "400", "a redirect with another state is refused");
    assert!(page.contains("You may close this window"), "{page}");

    // nobody completes the sign-in: it gives up
    std::env::set_var("BROWSER", "true");
    let started = std::time::Instant::now();
    let err = sign_in(&app(&sandbox, free_port()), None, Duration::from_secs(1))
        .await
        .unwrap_err();
    assert_eq!(err.kind, pipedrive_api::ErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test(flavor = "multi_thread")]
async fn two_sources_sharing_a_file_refresh_once_and_keep_the_rotated_token() {
    let sandbox = Sandbox::start(SandboxConfig::default()).unwrap();
    let mut app = app(&sandbox, 1);
    app.callback_url = "http://localhost:1/".into();
    let code = sandbox.approve("sandbox-client", &app.callback_url, None);
    let mut tokens = app.exchange_code(&code, None).await.unwrap();
    tokens.issued_at -= 7_200;
    tokens.expires_at = Some(tokens.issued_at + 3_600);
    let dir = tempfile::tempdir().unwrap();
    let file = SettingsFile::new(dir.path().join("OAuthSettings.txt"));
    let mut stored = Stored::default();
    stored.hold(&app, tokens.clone());
    file.write(&stored).unwrap();

    let a = OAuthTokens::new(app.clone(), tokens.clone(), Some(file.clone()));
    let b = OAuthTokens::new(app.clone(), tokens.clone(), Some(file.clone()));
    let (ta, tb) = tokio::join!(a.access_token(), b.access_token());
    let (ta, tb) = (ta.unwrap(), tb.unwrap());
    assert_eq!(ta, tb, "the second took the first one's result");
    assert_ne!(ta, tokens.access_token);
    assert_eq!(sandbox.stats().oauth_grant("refresh_token 200"), 1);
    // a 401 for a token another source already replaced costs no refresh
    assert_eq!(a.refresh(&tokens.access_token).await.unwrap(), ta);
    assert_eq!(sandbox.stats().oauth_grant("refresh_token 200"), 1);
    let kept = file.read().unwrap().unwrap().tokens.unwrap();
    assert_eq!(kept.access_token, ta);
    assert_ne!(kept.refresh_token, tokens.refresh_token);
}

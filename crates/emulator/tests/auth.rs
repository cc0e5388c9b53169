//! Credentials as the real API takes them, and the OAuth server's whole flow over HTTP.

mod common;

use common::{small, start, TOKEN};
use pipedrive_sandbox::{OAuthApp, OAuthSettings, SandboxConfig};
use reqwest::redirect::Policy;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use std::time::Duration;

const CLIENT: &str = "sandbox-client";
const SECRET: &str = "sandbox-secret";
const CALLBACK: &str = "http://localhost:33333/callback";

#[tokio::test]
async fn api_token_in_header_or_query_and_the_real_401() {
    let sandbox = start(small());
    let base = sandbox.base_url();
    let http = Client::new();
    let by_header = http
        .get(format!("{base}/api/v2/deals/1"))
        .header("x-api-token", TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(by_header.status(), StatusCode::OK);
    let by_query = http
        .get(format!("{base}/api/v1/users/me?api_token={TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(by_query.status(), StatusCode::OK);
    for req in [
        http.get(format!("{base}/api/v2/deals/1")),
        http.get(format!("{base}/api/v2/deals/1"))
            .header("x-api-token", "wrong"),
        http.get(format!("{base}/api/v1/notes?api_token=wrong")),
        http.get(format!("{base}/api/v2/deals"))
            .bearer_auth("not-issued"),
    ] {
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["success"], false);
        assert_eq!(body["error"], "unauthorized access");
        assert_eq!(body["errorCode"], 401);
    }
    assert_eq!(sandbox.stats().status(401), 4);
}

fn no_redirects() -> Client {
    Client::builder().redirect(Policy::none()).build().unwrap()
}

fn query_of(location: &str) -> std::collections::HashMap<String, String> {
    let q = location.split_once('?').map(|(_, q)| q).unwrap_or_default();
    serde_urlencoded::from_str(q).unwrap()
}

async fn exchange(
    http: &Client,
    base: &str,
    form: &[(&str, &str)],
    secret: &str,
) -> (StatusCode, Value) {
    let resp = http
        .post(format!("{base}/oauth/token"))
        .basic_auth(CLIENT, Some(secret))
        .form(form)
        .send()
        .await
        .unwrap();
    (resp.status(), resp.json().await.unwrap())
}

#[tokio::test]
async fn consent_page_code_exchange_and_refresh_rotation() {
    let sandbox = start(small());
    let base = sandbox.base_url().to_string();
    let http = no_redirects();
    let page = http
        .get(format!("{base}/oauth/authorize"))
        .query(&[
            ("client_id", CLIENT),
            ("redirect_uri", CALLBACK),
            ("state", "xyz 1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<form") && html.contains("id=\"allow\""),
        "{html}"
    );
    // clicking Allow posts the form
    let allowed = http
        .post(format!("{base}/oauth/authorize"))
        .form(&[
            ("client_id", CLIENT),
            ("redirect_uri", CALLBACK),
            ("state", "xyz 1"),
            ("decision", "allow"),
        ])
        .send()
        .await
        .unwrap();
    assert!(allowed.status().is_redirection());
    let location = allowed.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(CALLBACK), "{location}");
    let params = query_of(&location);
    assert_eq!(params["state"], "xyz 1");
    let code = params["code"].clone();

    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
    ];
    let (status, bad_client) = exchange(&http, &base, &form, "wrong-secret").await;
    assert_eq!(
        (status, bad_client["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_client"))
    );
    let (status, tokens) = exchange(&http, &base, &form, SECRET).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 3599);
    assert_eq!(tokens["api_domain"], base.as_str());
    assert!(tokens["scope"].as_str().unwrap().contains("deals:full"));
    let access = tokens["access_token"].as_str().unwrap().to_string();
    let me = http
        .get(format!("{base}/api/v1/users/me"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);

    // a code works once
    let (status, reused) = exchange(&http, &base, &form, SECRET).await;
    assert_eq!(
        (status, reused["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );

    // refresh rotates: a new pair, and the old refresh token is spent
    let code2 = sandbox.approve(CLIENT, CALLBACK, None);
    let (_, t2) = exchange(
        &http,
        &base,
        &[("grant_type", "authorization_code"), ("code", &code2)],
        SECRET,
    )
    .await;
    let r2 = t2["refresh_token"].as_str().unwrap().to_string();
    let (status, t3) = exchange(
        &http,
        &base,
        &[("grant_type", "refresh_token"), ("refresh_token", &r2)],
        SECRET,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{t3}");
    assert_ne!(t3["refresh_token"], t2["refresh_token"]);
    let (status, spent) = exchange(
        &http,
        &base,
        &[("grant_type", "refresh_token"), ("refresh_token", &r2)],
        SECRET,
    )
    .await;
    assert_eq!(
        (status, spent["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );
    let fresh = http
        .get(format!("{base}/api/v2/deals?limit=1"))
        .bearer_auth(t3["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(fresh.status(), StatusCode::OK);
    // the replayed first code revoked what it had given
    let revoked = http
        .get(format!("{base}/api/v1/users/me"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn expired_denied_revoked_and_out_of_scope() {
    let config = SandboxConfig {
        oauth: OAuthSettings {
            apps: vec![OAuthApp {
                client_id: CLIENT.into(),
                client_secret: SECRET.into(),
                redirect_uris: vec![CALLBACK.into()],
            }],
            access_token_lifetime: Duration::from_secs(1),
            code_lifetime: Duration::from_secs(1),
            ..OAuthSettings::default()
        },
        ..small()
    };
    let sandbox = start(config);
    let base = sandbox.base_url().to_string();
    let http = no_redirects();
    // unregistered redirect URI: an error page, no redirect
    let wrong = http
        .get(format!("{base}/oauth/authorize"))
        .query(&[
            ("client_id", CLIENT),
            ("redirect_uri", "http://evil.example/cb"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    // Cancel redirects with access_denied
    let denied = http
        .post(format!("{base}/oauth/authorize"))
        .form(&[
            ("client_id", CLIENT),
            ("redirect_uri", CALLBACK),
            ("state", "s"),
            ("decision", "deny"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        query_of(denied.headers()["location"].to_str().unwrap())["error"],
        "access_denied"
    );
    // a read-only grant cannot write, and cannot read other families
    let code = sandbox.approve(CLIENT, CALLBACK, Some("deals:read"));
    let (_, t) = exchange(
        &http,
        &base,
        &[("grant_type", "authorization_code"), ("code", &code)],
        SECRET,
    )
    .await;
    let access = t["access_token"].as_str().unwrap().to_string();
    assert_eq!(t["expires_in"], 1);
    let read = http
        .get(format!("{base}/api/v2/deals?limit=1"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);
    let write = http
        .post(format!("{base}/api/v2/deals"))
        .bearer_auth(&access)
        .json(&serde_json::json!({"title": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(write.status(), StatusCode::FORBIDDEN);
    let body: Value = write.json().await.unwrap();
    assert_eq!(body["errorCode"], 403);
    let persons = http
        .get(format!("{base}/api/v2/persons"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(persons.status(), StatusCode::FORBIDDEN);
    // the token expires, and so does a code left unused
    let stale_code = sandbox.approve(CLIENT, CALLBACK, None);
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let expired = http
        .get(format!("{base}/api/v2/deals?limit=1"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(expired.status(), StatusCode::UNAUTHORIZED);
    // a revoked refresh token cannot be used
    let refresh = t["refresh_token"].as_str().unwrap().to_string();
    let resp = http
        .post(format!("{base}/oauth/revoke"))
        .basic_auth(CLIENT, Some(SECRET))
        .form(&[("token", refresh.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let (status, _) = exchange(
        &http,
        &base,
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
        SECRET,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, stale) = exchange(
        &http,
        &base,
        &[("grant_type", "authorization_code"), ("code", &stale_code)],
        SECRET,
    )
    .await;
    assert_eq!(
        (status, stale["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );
    assert!(stale["message"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn mail_and_project_routes_belong_to_their_scope_families() {
    // a company without projects and mail: their routes answer 403, the others as usual
    let sandbox = start(SandboxConfig {
        features_off: vec!["projects".into(), "mail".into()],
        ..small()
    });
    let base = sandbox.base_url().to_string();
    let http = Client::new();
    let status = |path: &str| {
        http.get(format!("{base}{path}"))
            .header("x-api-token", TOKEN)
            .send()
    };
    for path in [
        "/api/v2/projects/archived",
        "/api/v1/projects/1/activities",
        "/api/v2/tasks",
        "/api/v1/mailbox/mailThreads?folder=inbox",
        "/api/v1/mailbox/mailMessages/1",
        "/api/v1/deals/1/mailMessages",
    ] {
        assert_eq!(
            status(path).await.unwrap().status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    for path in [
        "/api/v2/deals/archived",
        "/api/v1/leads/archived",
        "/api/v1/products/2/deals",
    ] {
        assert_eq!(
            status(path).await.unwrap().status(),
            StatusCode::OK,
            "{path}"
        );
    }
    // a mail:read grant reads the mailbox, and neither writes it nor reads deals
    let sandbox = start(small());
    let base = sandbox.base_url().to_string();
    let http = no_redirects();
    let code = sandbox.approve(CLIENT, CALLBACK, Some("mail:read"));
    let (_, t) = exchange(
        &http,
        &base,
        &[("grant_type", "authorization_code"), ("code", &code)],
        SECRET,
    )
    .await;
    let access = t["access_token"].as_str().unwrap().to_string();
    let get = |path: &str| {
        http.get(format!("{base}{path}"))
            .bearer_auth(&access)
            .send()
    };
    let mail = get("/api/v1/mailbox/mailThreads?folder=sent")
        .await
        .unwrap();
    assert_eq!(mail.status(), StatusCode::OK);
    let deals = get("/api/v2/deals").await.unwrap();
    assert_eq!(deals.status(), StatusCode::FORBIDDEN);
    let archive = http
        .put(format!("{base}/api/v1/mailbox/mailThreads/1"))
        .bearer_auth(&access)
        .form(&[("archived_flag", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(archive.status(), StatusCode::FORBIDDEN);
}

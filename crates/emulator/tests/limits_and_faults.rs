//! Rate limits and injected faults, seen from a client.

mod common;

use common::{small, start, Api, TOKEN};
use pipedrive_sandbox::{Faults, RateLimits, SandboxConfig};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

#[tokio::test]
async fn burst_limit_answers_429_with_rate_headers() {
    let sandbox = start(SandboxConfig {
        limits: RateLimits {
            burst_per_2s: Some(5),
            daily_tokens: None,
        },
        ..small()
    });
    let api = Api::new(&sandbox);
    let mut statuses = vec![];
    let mut remaining = vec![];
    for _ in 0..7 {
        let resp = api.response("/api/v2/deals/1").await;
        statuses.push(resp.status().as_u16());
        remaining.push(
            resp.headers()
                .get("x-ratelimit-remaining")
                .map(|v| v.to_str().unwrap().to_string()),
        );
        assert_eq!(resp.headers()["x-ratelimit-limit"], "5");
        assert!(resp.headers().contains_key("x-ratelimit-reset"));
        if resp.status() == StatusCode::TOO_MANY_REQUESTS {
            let body: serde_json::Value = resp.json().await.unwrap();
            assert_eq!(body["errorCode"], 429);
        }
    }
    assert_eq!(statuses, vec![200, 200, 200, 200, 200, 429, 429]);
    assert_eq!(remaining[0].as_deref(), Some("4"));
    assert_eq!(remaining[4].as_deref(), Some("0"));
    // the window rolls on
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(api.get("/api/v2/deals/1").await.0, StatusCode::OK);
}

#[tokio::test]
async fn daily_budget_is_charged_with_token_costs() {
    // GET /deals/{id} costs 1, GET /deals costs 10
    let sandbox = start(SandboxConfig {
        limits: RateLimits {
            burst_per_2s: None,
            daily_tokens: Some(25),
        },
        ..small()
    });
    let api = Api::new(&sandbox);
    let resp = api.response("/api/v2/deals").await;
    assert_eq!(resp.headers()["x-daily-requests-left"], "15");
    assert_eq!(api.get("/api/v2/deals").await.0, StatusCode::OK);
    assert_eq!(
        api.get("/api/v2/deals").await.0,
        StatusCode::TOO_MANY_REQUESTS,
        "30 > 25"
    );
    assert_eq!(
        api.get("/api/v2/deals/1").await.0,
        StatusCode::OK,
        "a 1-token call still fits"
    );
    assert_eq!(sandbox.stats().tokens, 21);
}

#[tokio::test]
async fn latency_and_slow_bodies_delay_answers() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    sandbox.set_faults(Faults {
        latency: Duration::from_millis(150),
        ..Faults::none()
    });
    let t = Instant::now();
    assert_eq!(api.get("/api/v2/deals/1").await.0, StatusCode::OK);
    assert!(
        t.elapsed() >= Duration::from_millis(150),
        "{:?}",
        t.elapsed()
    );
    // a 500-row page is several 16 KiB chunks, each after a pause
    sandbox.set_faults(Faults {
        slow_body: Duration::from_millis(40),
        ..Faults::none()
    });
    let t = Instant::now();
    let page = api.ok("/api/v2/deals?limit=150").await;
    assert_eq!(page["data"].as_array().unwrap().len(), 150);
    assert!(
        t.elapsed() >= Duration::from_millis(120),
        "{:?}",
        t.elapsed()
    );
}

/// What happened to each of `n` list requests: ok, error (5xx), throttled (429) or dropped.
async fn outcomes(api: &Api, n: usize) -> Vec<&'static str> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let outcome = match api
            .http
            .get(format!("{}/api/v2/deals?limit=20", api.base))
            .header("x-api-token", TOKEN)
            .send()
            .await
        {
            Err(_) => "dropped",
            Ok(resp) => {
                let status = resp.status();
                match resp.text().await {
                    Err(_) => "dropped",
                    Ok(body) if status == StatusCode::OK => {
                        if serde_json::from_str::<serde_json::Value>(&body).is_ok() {
                            "ok"
                        } else {
                            "dropped"
                        }
                    }
                    Ok(_) if status == StatusCode::TOO_MANY_REQUESTS => "throttled",
                    Ok(_) if status.is_server_error() => "error",
                    Ok(other) => panic!("unexpected {status}: {other}"),
                }
            }
        };
        out.push(outcome);
    }
    out
}

#[tokio::test]
async fn server_errors_throttles_and_drops_follow_the_rates() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    let faults = Faults {
        seed: 9,
        error_rate: 0.2,
        throttle_rate: 0.1,
        drop_rate: 0.1,
        ..Faults::none()
    };
    sandbox.set_faults(faults.clone());
    let first = outcomes(&api, 200).await;
    let count = |what: &str| first.iter().filter(|o| **o == what).count();
    assert!(
        (20..60).contains(&count("error")),
        "errors {}",
        count("error")
    );
    assert!(
        (8..35).contains(&count("throttled")),
        "throttled {}",
        count("throttled")
    );
    assert!(
        (8..35).contains(&count("dropped")),
        "dropped {}",
        count("dropped")
    );
    assert_eq!(
        count("ok") + count("error") + count("throttled") + count("dropped"),
        200
    );
    // with the same seed the same sequence comes again
    sandbox.set_faults(faults);
    assert_eq!(outcomes(&api, 200).await, first);
}

#[tokio::test]
async fn control_endpoints_set_faults_and_limits_and_report_stats() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    let http = &api.http;
    let put = http
        .put(format!("{}/_sandbox/faults", api.base))
        .json(&serde_json::json!({"error_rate": 1.0}))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), StatusCode::NO_CONTENT);
    assert!(api.get("/api/v2/deals/1").await.0.is_server_error());
    http.put(format!("{}/_sandbox/faults", api.base))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    http.put(format!("{}/_sandbox/limits", api.base))
        .json(&serde_json::json!({"burst_per_2s": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(api.get("/api/v2/deals/1").await.0, StatusCode::OK);
    assert_eq!(
        api.get("/api/v2/deals/1").await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    let stats: serde_json::Value = http
        .get(format!("{}/_sandbox/stats", api.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["by_route"]["GET /api/v2/deals/{id}"], 3);
    assert_eq!(stats["requests"], 3);
    http.delete(format!("{}/_sandbox/stats", api.base))
        .send()
        .await
        .unwrap();
    assert_eq!(sandbox.stats().requests, 0);
}

//! The client against the local sandbox: paging, limits, errors, retries, the shared budget,
//! writes, pipelining and cancellation.

use futures_util::{StreamExt, TryStreamExt};
use pipedrive_api::{
    ApiVersion, Client, ClientConfig, Credentials, ErrorKind, ListRequest, Method,
};
use pipedrive_sandbox::{DataSizes, Faults, RateLimits, Sandbox, SandboxConfig};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::time::Duration;

mod common;

use common::{client, ids, rows, sandbox};

async fn all_rows(client: &Client, req: ListRequest) -> Vec<Value> {
    let pages: Vec<_> = client.list(req).try_collect().await.expect("list");
    pages.into_iter().flat_map(rows).collect()
}

#[tokio::test]
async fn v2_lists_page_by_500_and_stop_at_a_row_limit() {
    let sb = sandbox(2_200, "v2_lists_page_by_500_and");
    let c = client(&sb, "v2_lists_page_by_500_and");
    let rows = all_rows(&c, ListRequest::new(ApiVersion::V2, "/deals")).await;
    assert_eq!(rows.len(), 2_200);
    assert_eq!(ids(&rows).into_iter().collect::<HashSet<_>>().len(), 2_200);
    assert_eq!(sb.stats().route("GET /api/v2/deals"), 5, "500 a page");
    sb.reset_stats();
    let ten = all_rows(&c, ListRequest::new(ApiVersion::V2, "/deals").max_rows(10)).await;
    assert_eq!(ids(&ten), (1..=10).collect::<Vec<_>>());
    assert_eq!(
        sb.stats().requests,
        1,
        "LIMIT 10 is one request asking for 10 rows"
    );
    sb.reset_stats();
    let filtered = all_rows(
        &c,
        ListRequest::new(ApiVersion::V2, "/deals")
            .param("owner_id", 3)
            .param("status", "won"),
    )
    .await;
    assert!(
        !filtered.is_empty()
            && filtered
                .iter()
                .all(|d| d["owner_id"] == 3 && d["status"] == "won")
    );
    assert_eq!(sb.stats().requests, 1);
}

#[tokio::test]
async fn v1_lists_page_by_offset() {
    let sb = sandbox(100, "v1_lists_page_by_offset");
    let mut cfg = ClientConfig::new(
        sb.base_url(),
        Credentials::ApiToken("v1_lists_page_by_offset".into()),
    );
    cfg.page_size = 70;
    let c = Client::new(cfg).unwrap();
    let notes = all_rows(&c, ListRequest::new(ApiVersion::V1, "/notes")).await;
    assert_eq!(notes.len(), 800);
    assert_eq!(ids(&notes).into_iter().collect::<HashSet<_>>().len(), 800);
    assert_eq!(
        sb.stats().route("GET /api/v1/notes"),
        12,
        "800 rows at 70 a page"
    );
    let users = all_rows(&c, ListRequest::new(ApiVersion::V1, "/users")).await;
    assert_eq!(users.len(), 12, "unpaged v1 lists come whole");
    let none = all_rows(
        &c,
        ListRequest::new(ApiVersion::V1, "/notes").param("deal_id", 999_999),
    )
    .await;
    assert!(none.is_empty(), "data: null is an empty list");
}

#[tokio::test]
async fn errors_keep_the_api_words_and_no_secret() {
    let sb = sandbox(10, "errors_keep_the_api_word");
    let c = client(&sb, "errors_keep_the_api_word");
    let e = c.get(ApiVersion::V2, "/deals/999").await.unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::NotFound, Some(404)));
    assert_eq!(e.message, "GET /api/v2/deals/999: Deal not found");
    let e = c
        .list(ListRequest::new(ApiVersion::V2, "/deals").param("status", "maybe"))
        .next()
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Rejected);
    assert!(
        e.message
            .contains("status: must be equal to one of the allowed values"),
        "{}",
        e.message
    );
    let wrong = client(&sb, "not-the-token-x1y2");
    let e = wrong.get(ApiVersion::V1, "/users/me").await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unauthorized);
    assert!(!e.message.contains("x1y2"));
    assert_eq!(sb.stats().status(401), 1, "a 401 is not retried");
    let nowhere = Client::new(ClientConfig::new(
        "http://127.0.0.1:9",
        Credentials::ApiToken("t".into()),
    ))
    .unwrap();
    let mut quick = nowhere.config().clone();
    quick.max_retries = 1;
    quick.base_backoff = Duration::from_millis(10);
    let e = Client::new(quick)
        .unwrap()
        .get(ApiVersion::V2, "/deals/1")
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network);
}

#[tokio::test]
async fn reads_survive_server_errors_and_dropped_connections() {
    let sb = sandbox(3_000, "reads_survive_server_err");
    sb.set_faults(Faults {
        seed: 4,
        error_rate: 0.25,
        drop_rate: 0.1,
        ..Faults::none()
    });
    let c = client(&sb, "reads_survive_server_err");
    let rows = all_rows(&c, ListRequest::new(ApiVersion::V2, "/deals")).await;
    assert_eq!(rows.len(), 3_000);
    assert_eq!(
        ids(&rows).into_iter().collect::<HashSet<_>>().len(),
        3_000,
        "every row once despite retries"
    );
    let stats = sb.stats();
    assert!(stats.requests > 6, "faults forced retries: {stats:?}");
}

#[tokio::test]
async fn writes_are_not_retried_unless_certainly_not_done() {
    let sb = sandbox(10, "writes_are_not_retried_u");
    let c = client(&sb, "writes_are_not_retried_u");
    let created = c
        .write(
            Method::POST,
            ApiVersion::V2,
            "/deals",
            Some(&json!({"title": "From the client"})),
        )
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    let updated = c
        .write(
            Method::PATCH,
            ApiVersion::V2,
            &format!("/deals/{id}"),
            Some(&json!({"value": 5})),
        )
        .await
        .unwrap();
    assert_eq!(updated["value"], 5);
    sb.set_faults(Faults {
        error_rate: 1.0,
        ..Faults::none()
    });
    sb.reset_stats();
    let e = c
        .write(
            Method::POST,
            ApiVersion::V2,
            "/deals",
            Some(&json!({"title": "x"})),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server);
    assert_eq!(
        sb.stats().requests,
        1,
        "a write that may have happened is sent once"
    );
    // a 429 says the write did not happen: it is sent again
    sb.set_faults(Faults {
        seed: 2,
        throttle_rate: 0.5,
        ..Faults::none()
    });
    sb.reset_stats();
    let mut fast = c.config().clone();
    fast.max_retries = 10;
    let patient = Client::new(fast).unwrap();
    for i in 0..4 {
        patient
            .write(
                Method::POST,
                ApiVersion::V2,
                "/deals",
                Some(&json!({"title": format!("retry {i}")})),
            )
            .await
            .unwrap();
    }
    let stats = sb.stats();
    assert_eq!(stats.status(200), 4, "each write done once");
    assert!(stats.status(429) > 0, "{stats:?}");
}

#[tokio::test]
async fn the_shared_budget_keeps_clients_under_the_burst_limit() {
    let mut config = SandboxConfig {
        sizes: DataSizes {
            deals: 500,
            ..DataSizes::default()
        },
        ..SandboxConfig::default()
    };
    config.limits = RateLimits {
        burst_per_2s: Some(6),
        daily_tokens: None,
    };
    config.api_tokens = vec!["budget-token".into()];
    let sb = Sandbox::start(config).unwrap();
    // three clients with the same token draw on one budget
    let clients: Vec<Client> = (0..3).map(|_| client(&sb, "budget-token")).collect();
    let mut tasks = vec![];
    for c in clients {
        tasks.push(tokio::spawn(async move {
            for id in 1..=4 {
                c.get(ApiVersion::V2, &format!("/deals/{id}"))
                    .await
                    .expect("get");
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let stats = sb.stats();
    assert_eq!(stats.status(200), 12);
    assert_eq!(
        stats.status(429),
        0,
        "the budget was learned and kept: {stats:?}"
    );
}

#[tokio::test]
async fn the_next_page_is_requested_while_the_current_one_is_used_and_dropping_stops_paging() {
    let sb = sandbox(2_000, "the_next_page_is_request");
    sb.set_faults(Faults {
        latency: Duration::from_millis(50),
        ..Faults::none()
    });
    let c = client(&sb, "the_next_page_is_request");
    let mut pages = Box::pin(c.list(ListRequest::new(ApiVersion::V2, "/deals")));
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.rows.len(), 500);
    // without polling again, the second page is already asked for
    let mut waited = 0;
    while sb.stats().requests < 2 && waited < 200 {
        tokio::time::sleep(Duration::from_millis(10)).await;
        waited += 1;
    }
    assert_eq!(sb.stats().requests, 2);
    drop(pages);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        sb.stats().requests,
        2,
        "nothing is fetched after the stream is dropped"
    );
}

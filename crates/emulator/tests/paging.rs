//! Paging: every row exactly once, in both styles, for every sort order; request counts exact.

mod common;

use common::{ids, small, start, Api};
use pipedrive_sandbox::{DataSizes, SandboxConfig};
use serde_json::Value;
use std::collections::HashSet;

#[tokio::test]
async fn hundred_thousand_deals_walk_in_exactly_two_hundred_pages() {
    let config = SandboxConfig {
        sizes: DataSizes {
            deals: 100_000,
            deal_custom_fields: 20,
            ..DataSizes::default()
        },
        ..SandboxConfig::default()
    };
    let sandbox = start(config);
    let api = Api::new(&sandbox);
    let fields = api.walk_v2("/api/v2/dealFields?limit=500").await.0;
    assert_eq!(
        fields
            .iter()
            .filter(|f| f["is_custom_field"] == true)
            .count(),
        20
    );
    sandbox.reset_stats();
    let (rows, requests) = api.walk_v2("/api/v2/deals?limit=500").await;
    assert_eq!(requests, 200);
    assert_eq!(sandbox.stats().route("GET /api/v2/deals"), 200);
    assert_eq!(rows.len(), 100_000);
    let unique: HashSet<i64> = rows.iter().map(|r| r["id"].as_i64().expect("id")).collect();
    assert_eq!(unique.len(), 100_000, "each id once");
    assert_eq!(
        rows[0]["custom_fields"]
            .as_object()
            .expect("custom fields")
            .len(),
        20
    );
}

#[tokio::test]
async fn cursor_walks_cover_every_row_once_in_every_sort_order() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    let all = api.walk_v2("/api/v2/deals?limit=500").await.0;
    let expected: HashSet<String> = ids(&all).iter().map(Value::to_string).collect();
    for (sort, dir) in [
        ("id", "desc"),
        ("update_time", "asc"),
        ("update_time", "desc"),
        ("add_time", "asc"),
    ] {
        let (rows, requests) = api
            .walk_v2(&format!(
                "/api/v2/deals?limit=7&sort_by={sort}&sort_direction={dir}"
            ))
            .await;
        assert_eq!(requests, all.len().div_ceil(7), "{sort} {dir}");
        let got: Vec<String> = ids(&rows).iter().map(Value::to_string).collect();
        assert_eq!(
            got.iter().cloned().collect::<HashSet<_>>(),
            expected,
            "{sort} {dir}"
        );
        assert_eq!(got.len(), expected.len(), "{sort} {dir}: no duplicates");
        let keys: Vec<&str> = rows
            .iter()
            .map(|r| r[sort].as_str().unwrap_or_default())
            .collect();
        if sort != "id" {
            let mut sorted = keys.clone();
            sorted.sort();
            if dir == "desc" {
                sorted.reverse();
            }
            assert_eq!(keys, sorted, "{sort} {dir} order");
        }
    }
}

#[tokio::test]
async fn last_page_has_null_cursor_and_default_limit_is_100() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    let first = api.ok("/api/v2/deals").await;
    assert_eq!(first["data"].as_array().unwrap().len(), 100);
    assert!(first["additional_data"]["next_cursor"].is_string());
    let all = api.ok("/api/v2/deals?limit=500").await;
    assert_eq!(all["data"].as_array().unwrap().len(), 150);
    assert_eq!(all["additional_data"]["next_cursor"], Value::Null);
}

#[tokio::test]
async fn offset_walks_cover_every_row_once() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    for (path, total) in [
        ("/api/v1/notes", 90),
        ("/api/v1/leads", 40),
        ("/api/v1/notes?sort=update_time%20DESC", 90),
    ] {
        let (rows, requests) = api.walk_v1(path, 11).await;
        assert_eq!(rows.len(), total, "{path}");
        assert_eq!(requests, (total as usize).div_ceil(11), "{path}");
        let unique: HashSet<String> = ids(&rows).iter().map(Value::to_string).collect();
        assert_eq!(unique.len(), total, "{path}: each row once");
    }
    // the last page says there is nothing more and gives no next_start
    let last = api.ok("/api/v1/notes?start=88&limit=11").await;
    assert_eq!(
        last["additional_data"]["pagination"]["more_items_in_collection"],
        false
    );
    assert!(last["additional_data"]["pagination"]
        .get("next_start")
        .is_none());
    // past the end: v1 answers data null
    assert_eq!(api.ok("/api/v1/notes?start=500").await["data"], Value::Null);
}

#[tokio::test]
async fn rows_written_during_a_walk_do_not_repeat_rows() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    let mut seen = HashSet::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let url = match &cursor {
            Some(c) => format!("/api/v2/deals?limit=20&cursor={c}"),
            None => "/api/v2/deals?limit=20".into(),
        };
        let body = api.ok(&url).await;
        for row in body["data"].as_array().unwrap() {
            assert!(
                seen.insert(row["id"].as_i64().unwrap()),
                "row {} repeated",
                row["id"]
            );
        }
        pages += 1;
        if pages == 2 {
            // a new deal and an update of an already-seen one while the walk is under way
            let (s, _) = api
                .call(
                    reqwest::Method::POST,
                    "/api/v2/deals",
                    Some(serde_json::json!({"title": "mid-walk"})),
                )
                .await;
            assert!(s.is_success());
            let (s, _) = api
                .call(
                    reqwest::Method::PATCH,
                    "/api/v2/deals/3",
                    Some(serde_json::json!({"title": "changed"})),
                )
                .await;
            assert!(s.is_success());
        }
        match body["additional_data"]["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(
        seen.len(),
        151,
        "the 150 rows and the one added ahead of the cursor"
    );
}

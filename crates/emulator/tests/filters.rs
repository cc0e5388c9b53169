//! List filters and sorting return exactly the rows the full data says they should, and bad
//! values get the API's validation errors.

mod common;

use common::{small, start, Api};
use reqwest::StatusCode;
use serde_json::Value;

/// All rows of a v2 list (unfiltered) for computing expectations.
async fn everything(api: &Api, path: &str) -> Vec<Value> {
    api.walk_v2(&format!("{path}?limit=500")).await.0
}

fn ids_where(rows: &[Value], keep: impl Fn(&Value) -> bool) -> Vec<i64> {
    let mut ids: Vec<i64> = rows
        .iter()
        .filter(|r| keep(r))
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    ids.sort();
    ids
}

async fn ids_of(api: &Api, path: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = api
        .walk_v2(path)
        .await
        .0
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn v2_deal_filters_match_the_data() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    let all = everything(&api, "/api/v2/deals").await;
    let cases: Vec<(&str, Box<dyn Fn(&Value) -> bool>)> = vec![
        ("owner_id=3", Box::new(|d: &Value| d["owner_id"] == 3)),
        ("person_id=5", Box::new(|d: &Value| d["person_id"] == 5)),
        ("org_id=7", Box::new(|d: &Value| d["org_id"] == 7)),
        ("pipeline_id=2", Box::new(|d: &Value| d["pipeline_id"] == 2)),
        ("stage_id=3", Box::new(|d: &Value| d["stage_id"] == 3)),
        ("status=won", Box::new(|d: &Value| d["status"] == "won")),
        (
            "owner_id=3&status=open",
            Box::new(|d: &Value| d["owner_id"] == 3 && d["status"] == "open"),
        ),
        (
            "ids=5,9,200,17",
            Box::new(|d: &Value| [5, 9, 17].contains(&d["id"].as_i64().unwrap())),
        ),
        (
            "updated_since=2025-06-01T00:00:00Z",
            Box::new(|d: &Value| d["update_time"].as_str().unwrap() >= "2025-06-01T00:00:00Z"),
        ),
        (
            "updated_until=2024-01-01T00:00:00Z",
            Box::new(|d: &Value| d["update_time"].as_str().unwrap() < "2024-01-01T00:00:00Z"),
        ),
    ];
    for (query, keep) in cases {
        let expected = ids_where(&all, keep);
        assert!(!expected.is_empty(), "{query}: the demo data has matches");
        assert_eq!(
            ids_of(&api, &format!("/api/v2/deals?limit=50&{query}")).await,
            expected,
            "{query}"
        );
    }
}

#[tokio::test]
async fn other_entities_filter_too() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    let persons = everything(&api, "/api/v2/persons").await;
    assert_eq!(
        ids_of(&api, "/api/v2/persons?org_id=3").await,
        ids_where(&persons, |p| p["org_id"] == 3)
    );
    let acts = everything(&api, "/api/v2/activities").await;
    assert_eq!(
        ids_of(&api, "/api/v2/activities?done=true").await,
        ids_where(&acts, |a| a["done"] == true)
    );
    assert_eq!(
        ids_of(&api, "/api/v2/activities?deal_id=10").await,
        ids_where(&acts, |a| a["deal_id"] == 10)
    );
    let stages = ids_of(&api, "/api/v2/stages?pipeline_id=2").await;
    assert_eq!(stages, vec![6, 7, 8, 9, 10]);
    let notes = api.walk_v1("/api/v1/notes", 500).await.0;
    let pinned: Vec<i64> = notes
        .iter()
        .filter(|n| n["pinned_to_deal_flag"] == true)
        .map(|n| n["id"].as_i64().unwrap())
        .collect();
    let got: Vec<i64> = api
        .walk_v1("/api/v1/notes?pinned_to_deal_flag=1", 500)
        .await
        .0
        .iter()
        .map(|n| n["id"].as_i64().unwrap())
        .collect();
    assert_eq!(got, pinned);
    let by_user: Vec<i64> = notes
        .iter()
        .filter(|n| n["user_id"] == 2)
        .map(|n| n["id"].as_i64().unwrap())
        .collect();
    let got: Vec<i64> = api
        .walk_v1("/api/v1/notes?user_id=2", 500)
        .await
        .0
        .iter()
        .map(|n| n["id"].as_i64().unwrap())
        .collect();
    assert_eq!(got, by_user);
    let filters = api.ok("/api/v1/filters?type=deals").await;
    assert!(filters["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["type"] == "deals"));
}

#[tokio::test]
async fn saved_filters_apply_their_conditions() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    let (status, created) = api
        .call(
            reqwest::Method::POST,
            "/api/v1/filters",
            Some(serde_json::json!({"name": "Owner 2 deals", "type": "deals", "conditions": {"glue": "and", "conditions": [
                {"glue": "and", "conditions": [{"object": "deal", "field_id": "owner_id", "operator": "=", "value": "2"}]}]}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let id = created["data"]["id"].as_i64().unwrap();
    let all = everything(&api, "/api/v2/deals").await;
    assert_eq!(
        ids_of(&api, &format!("/api/v2/deals?filter_id={id}")).await,
        ids_where(&all, |d| d["owner_id"] == 2)
    );
    let (status, body) = api.get("/api/v2/deals?filter_id=9999").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn sorting_by_every_allowed_field() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    for (path, field) in [
        ("/api/v2/products", "name"),
        ("/api/v2/stages", "order_nr"),
        ("/api/v2/activities", "due_date"),
    ] {
        for dir in ["asc", "desc"] {
            let rows = api
                .walk_v2(&format!(
                    "{path}?limit=7&sort_by={field}&sort_direction={dir}"
                ))
                .await
                .0;
            let keys: Vec<String> = rows.iter().map(|r| r[field].to_string()).collect();
            let mut sorted = keys.clone();
            sorted.sort_by(|a, b| match (a.parse::<f64>(), b.parse::<f64>()) {
                (Ok(x), Ok(y)) => x.total_cmp(&y),
                _ => a.cmp(b),
            });
            if dir == "desc" {
                sorted.reverse();
            }
            assert_eq!(keys, sorted, "{path} by {field} {dir}");
        }
    }
    let leads = api.walk_v1("/api/v1/leads?sort=title%20DESC", 500).await.0;
    let titles: Vec<&str> = leads.iter().map(|l| l["title"].as_str().unwrap()).collect();
    let mut sorted = titles.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(titles, sorted);
}

#[tokio::test]
async fn bad_values_get_validation_errors() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    for query in [
        "/api/v2/deals?limit=501",
        "/api/v2/deals?limit=0",
        "/api/v2/deals?limit=ten",
        "/api/v2/deals?owner_id=abc",
        "/api/v2/deals?status=maybe",
        "/api/v2/deals?sort_by=title",
        "/api/v2/deals?sort_direction=up",
        "/api/v2/deals?updated_since=yesterday",
        "/api/v2/deals?cursor=not-a-cursor",
        "/api/v2/deals?include_fields=everything",
        "/api/v2/activities?done=maybe",
        "/api/v2/deals/products",
        "/api/v2/deals/abc",
        "/api/v1/notes?pinned_to_deal_flag=2",
        "/api/v1/leads?sort=color%20ASC",
        "/api/v1/recents",
    ] {
        let (status, body) = api.get(query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_eq!(body["success"], false, "{query}");
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{query}: {body}"
        );
        if query.starts_with("/api/v2") {
            assert_eq!(body["code"], "ERR_SCHEMA_VALIDATION_FAILED", "{query}");
        }
    }
    // a cursor from another sort order is refused, not silently misread
    let page = api.ok("/api/v2/deals?limit=5&sort_by=update_time").await;
    let cursor = page["additional_data"]["next_cursor"].as_str().unwrap();
    let (status, _) = api
        .get(&format!("/api/v2/deals?limit=5&cursor={cursor}"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // unknown paths and wrong methods
    assert_eq!(api.get("/api/v2/nothing").await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        api.call(reqwest::Method::PUT, "/api/v2/deals/1", None)
            .await
            .0,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

#[tokio::test]
async fn custom_field_subsets_and_optional_fields() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    let fields = api.ok("/api/v2/dealFields?limit=500").await;
    let keys: Vec<String> = fields["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["is_custom_field"] == true)
        .map(|f| f["field_code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(keys.len(), 16);
    let deal = api
        .ok(&format!(
            "/api/v2/deals/1?custom_fields={},{}",
            keys[0], keys[3]
        ))
        .await;
    let custom = deal["data"]["custom_fields"].as_object().unwrap();
    assert_eq!(
        custom.keys().cloned().collect::<Vec<_>>(),
        vec![keys[0].clone(), keys[3].clone()]
    );
    let many = keys.iter().take(16).cloned().collect::<Vec<_>>().join(",");
    assert_eq!(
        api.get(&format!("/api/v2/deals?custom_fields={many}"))
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
    let with = api
        .ok("/api/v2/deals?limit=3&include_fields=products_count,source_lead_id")
        .await;
    for d in with["data"].as_array().unwrap() {
        assert_eq!(d["products_count"], 0);
        assert!(d.as_object().unwrap().contains_key("source_lead_id"));
    }
}

#[tokio::test]
async fn persons_of_a_deal_and_currency_search() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    // a deal's persons are its contact and its participants
    let mut checked = 0;
    for deal in 1..=40 {
        let d = api.ok(&format!("/api/v2/deals/{deal}")).await["data"].clone();
        let parts = api.ok(&format!("/api/v1/deals/{deal}/participants")).await["data"].clone();
        let mut expected: Vec<i64> = d["person_id"].as_i64().into_iter().collect();
        expected.extend(
            parts
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| p["person_id"]["value"].as_i64().unwrap()),
        );
        expected.sort();
        expected.dedup();
        assert_eq!(
            ids_of(&api, &format!("/api/v2/persons?deal_id={deal}")).await,
            expected,
            "deal {deal}"
        );
        checked += usize::from(parts.is_array());
    }
    assert!(checked > 0, "some deals have participants");
    let found = api.ok("/api/v1/currencies?term=z%C5%82").await["data"].clone();
    assert_eq!(
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap())
            .collect::<Vec<_>>(),
        vec!["PLN"]
    );
    let by_code = api.ok("/api/v1/currencies?term=usd").await["data"].clone();
    assert_eq!(by_code[0]["code"], "USD");
    assert_eq!(
        api.ok("/api/v1/currencies?term=nothing-like-it").await["data"],
        Value::Null
    );
}

#[tokio::test]
async fn option_labels_labels_and_product_data() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    let fields = api.fields("dealFields").await;
    let enum_field = fields
        .iter()
        .find(|f| f["field_type"] == "enum" && f["is_custom_field"] == true)
        .unwrap();
    let code = enum_field["field_code"].as_str().unwrap();
    let plain = api.walk_v2("/api/v2/deals?limit=500").await.0;
    let labelled = api
        .walk_v2("/api/v2/deals?limit=500&include_option_labels=true&include_labels=true")
        .await
        .0;
    let label_names = fields
        .iter()
        .find(|f| f["field_code"] == "label_ids")
        .unwrap()["options"]
        .clone();
    let mut with_labels = 0;
    for (p, l) in plain.iter().zip(&labelled) {
        let id = &p["custom_fields"][code];
        if id.is_null() {
            assert!(l["custom_fields"][code].is_null());
        } else {
            assert_eq!(&l["custom_fields"][code]["id"], id);
            let option = enum_field["options"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| &o["id"] == id)
                .unwrap();
            assert_eq!(l["custom_fields"][code]["label"], option["label"]);
        }
        let labels = l["labels"].as_array().unwrap();
        assert_eq!(labels.len(), p["label_ids"].as_array().unwrap().len());
        for label in labels {
            assert!(label_names
                .as_array()
                .unwrap()
                .iter()
                .any(|o| o["id"] == label["id"] && o["label"] == label["label"]));
        }
        with_labels += usize::from(!labels.is_empty());
    }
    assert!(with_labels > 0, "some deals carry labels");
    let products = api
        .ok("/api/v1/deals/2/products?include_product_data=1")
        .await["data"]
        .clone();
    for p in products.as_array().into_iter().flatten() {
        assert_eq!(p["product"]["id"], p["product_id"]);
    }
    assert_eq!(
        api.get("/api/v2/deals?include_option_labels=maybe").await.0,
        StatusCode::BAD_REQUEST
    );
}

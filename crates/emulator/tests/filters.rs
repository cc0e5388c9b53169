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

#[tokio::test]
async fn archived_rows_have_lists_of_their_own() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    let archived = |rows: &[Value], key: &str| {
        rows.iter()
            .filter(|r| r[key] == true || r[key].is_string())
            .count()
    };
    // deals: the 150 of the demo data, then 6 archived ones
    let deals = everything(&api, "/api/v2/deals").await;
    assert_eq!((deals.len(), archived(&deals, "is_archived")), (150, 0));
    let old = everything(&api, "/api/v2/deals/archived").await;
    assert_eq!(ids_where(&old, |_| true), (151..=156).collect::<Vec<_>>());
    assert!(old
        .iter()
        .all(|d| d["is_archived"] == true && d["archive_time"].is_string()));
    assert_eq!(
        ids_of(&api, "/api/v2/deals/archived?status=open").await,
        ids_where(&old, |d| d["status"] == "open")
    );
    assert_eq!(
        api.ok("/api/v2/deals/151").await["data"]["is_archived"],
        true,
        "an archived deal is still read by id"
    );
    // projects: archived ones carry their archive time
    let projects = everything(&api, "/api/v2/projects").await;
    assert_eq!(
        (projects.len(), archived(&projects, "archive_time")),
        (6, 0)
    );
    let old = everything(&api, "/api/v2/projects/archived").await;
    assert_eq!(ids_where(&old, |_| true), vec![7, 8, 9]);
    // leads (v1, offset pages)
    let leads = api.walk_v1("/api/v1/leads", 500).await.0;
    assert_eq!((leads.len(), archived(&leads, "is_archived")), (40, 0));
    let old = api.walk_v1("/api/v1/leads/archived", 2).await.0;
    assert_eq!(old.len(), 3);
    assert!(old.iter().all(|l| l["is_archived"] == true));
    let owner = old[0]["owner_id"].as_i64().unwrap();
    let mine = api
        .walk_v1(&format!("/api/v1/leads/archived?owner_id={owner}"), 500)
        .await
        .0;
    assert!(!mine.is_empty() && mine.iter().all(|l| l["owner_id"] == owner));
}

#[tokio::test]
async fn mailbox_folders_threads_and_the_mail_of_records() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    for bad in [
        "/api/v1/mailbox/mailThreads",
        "/api/v1/mailbox/mailThreads?folder=spam",
        "/api/v1/mailbox/mailMessages/1?include_body=yes",
    ] {
        let (status, body) = api.get(bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
    // every thread is in exactly one folder, and the folders page like other v1 lists
    let mut threads = vec![];
    for folder in ["inbox", "drafts", "sent", "archive"] {
        let (rows, requests) = api
            .walk_v1(&format!("/api/v1/mailbox/mailThreads?folder={folder}"), 4)
            .await;
        assert_eq!(requests, rows.len().div_ceil(4), "{folder}");
        assert!(!rows.is_empty(), "{folder}");
        assert!(
            rows.iter()
                .all(|t| t["folders"] == serde_json::json!([folder])),
            "{folder}"
        );
        let times: Vec<&str> = rows
            .iter()
            .map(|t| t["last_message_timestamp"].as_str().unwrap())
            .collect();
        assert!(times.windows(2).all(|w| w[0] >= w[1]), "latest first");
        threads.extend(rows);
    }
    let ids = ids_where(&threads, |_| true);
    assert_eq!(ids, (1..=60).collect::<Vec<_>>(), "each thread once");
    assert!(threads.iter().any(|t| t["deal_id"].is_null()));
    assert!(threads.iter().any(|t| t["lead_id"].is_string()));
    // a thread's messages, all of them
    let mut by_deal: std::collections::BTreeMap<i64, usize> = Default::default();
    for t in &threads {
        let id = t["id"].as_i64().unwrap();
        let messages = api
            .ok(&format!("/api/v1/mailbox/mailThreads/{id}/mailMessages"))
            .await["data"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(Some(messages.len() as u64), t["message_count"].as_u64());
        assert!((1..=4).contains(&messages.len()));
        assert!(messages
            .iter()
            .all(|m| m["mail_thread_id"] == id && m.get("body").is_none()));
        if let Some(deal) = t["deal_id"].as_i64() {
            *by_deal.entry(deal).or_default() += messages.len();
        }
    }
    assert!(by_deal.len() >= 10, "several deals have mail");
    // a deal's mail is the messages of its threads
    for (deal, count) in by_deal.iter().take(5) {
        let (rows, _) = api
            .walk_v1(&format!("/api/v1/deals/{deal}/mailMessages"), 2)
            .await;
        assert_eq!(rows.len(), *count, "deal {deal}");
        assert!(rows.iter().all(|r| r["object"] == "mailMessage"
            && r["timestamp"].is_string()
            && r["data"]["id"].is_i64()));
    }
    // a person's and an organization's mail: the messages they are a party of
    let message = api
        .ok("/api/v1/mailbox/mailMessages/1?include_body=1")
        .await;
    assert!(message["data"]["body"]
        .as_str()
        .is_some_and(|b| b.contains("<p>")));
    let party = message["data"]["from"][0].clone();
    let party = if party["linked_person_id"].is_null() {
        message["data"]["to"][0].clone()
    } else {
        party
    };
    let person = party["linked_person_id"].as_i64().unwrap();
    let mail = api
        .walk_v1(&format!("/api/v1/persons/{person}/mailMessages"), 500)
        .await
        .0;
    assert!(mail.iter().any(|m| m["data"]["id"] == 1));
    let linked = |m: &Value, key: &str, id: i64| {
        ["from", "to", "cc", "bcc"].iter().any(|k| {
            m["data"][*k]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p[key] == id)
        })
    };
    assert!(mail.iter().all(|m| linked(m, "linked_person_id", person)));
    if let Some(org) = party["linked_organization_id"].as_i64() {
        let mail = api
            .walk_v1(&format!("/api/v1/organizations/{org}/mailMessages"), 500)
            .await
            .0;
        assert!(
            !mail.is_empty()
                && mail
                    .iter()
                    .all(|m| linked(m, "linked_organization_id", org))
        );
    }
    for missing in [
        "/api/v1/mailbox/mailThreads/999",
        "/api/v1/mailbox/mailThreads/999/mailMessages",
        "/api/v1/mailbox/mailMessages/99999",
        "/api/v1/deals/999/mailMessages",
        "/api/v1/persons/999/mailMessages",
        "/api/v1/organizations/999/mailMessages",
    ] {
        assert_eq!(api.get(missing).await.0, StatusCode::NOT_FOUND, "{missing}");
    }
}

#[tokio::test]
async fn rows_seen_from_other_records() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    let mut attachments = vec![];
    for (from, to) in [(1, 100), (101, 156)] {
        let ids: Vec<String> = (from..=to).map(|i: i64| i.to_string()).collect();
        let path = format!(
            "/api/v2/deals/products?limit=500&deal_ids={}",
            ids.join(",")
        );
        attachments.extend(api.walk_v2(&path).await.0);
    }
    let deals = everything(&api, "/api/v2/deals").await;
    let deal = |id: &Value| deals.iter().find(|d| d["id"] == *id).unwrap();
    // a product's deals, by status
    for product in [2, 5] {
        let of = |keep: &dyn Fn(&Value) -> bool| {
            let mut ids: Vec<i64> = attachments
                .iter()
                .filter(|a| a["product_id"] == product && keep(deal(&a["deal_id"])))
                .map(|a| a["deal_id"].as_i64().unwrap())
                .collect();
            ids.sort();
            ids.dedup();
            ids
        };
        let listed = |rows: Vec<Value>| {
            assert!(rows.iter().all(|d| d["user_id"]["id"].is_i64()));
            ids_where(&rows, |_| true)
        };
        let all = api
            .walk_v1(&format!("/api/v1/products/{product}/deals"), 3)
            .await
            .0;
        assert!(all.len() >= 3, "product {product} has deals");
        assert_eq!(listed(all), of(&|_| true));
        let won = api
            .walk_v1(&format!("/api/v1/products/{product}/deals?status=won"), 500)
            .await
            .0;
        assert_eq!(listed(won), of(&|d| d["status"] == "won"));
    }
    // a person's products, keyed by deal
    let person = deals[0]["person_id"].as_i64().unwrap();
    let rows = api
        .walk_v1(&format!("/api/v1/persons/{person}/products"), 500)
        .await
        .0;
    let expected = attachments
        .iter()
        .filter(|a| deal(&a["deal_id"])["person_id"] == person)
        .count();
    assert!(expected > 0);
    assert_eq!(rows.len(), expected);
    for row in &rows {
        let (key, item) = row.as_object().unwrap().iter().next().unwrap();
        assert_eq!(item["deal"]["id"].to_string(), *key);
        assert_eq!(item["deal"]["person_id"], person);
        assert!(item["product"]["id"].is_i64());
    }
    // a project's activities
    let acts = api.ok("/api/v1/projects/1/activities").await["data"].clone();
    let acts = acts.as_array().unwrap();
    assert_eq!(acts.len(), 2);
    assert!(acts
        .iter()
        .all(|a| a["project_id"] == 1 && a["busy_flag"].is_boolean()));
    assert_eq!(
        api.ok("/api/v1/projects/6/activities").await["data"],
        serde_json::json!([])
    );
    // pictures of every third person, images of every second product
    let picture = api.ok("/api/v2/persons/3/picture").await;
    assert_eq!(picture["data"]["item_id"], 3);
    assert!(picture["data"]["pictures"]["512"].is_string());
    assert_eq!(
        api.get("/api/v2/persons/4/picture").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api.ok("/api/v2/products/4/images").await["data"]["product_id"],
        4
    );
    assert_eq!(
        api.get("/api/v2/products/3/images").await.0,
        StatusCode::NOT_FOUND
    );
    for missing in [
        "/api/v1/products/999/deals",
        "/api/v1/persons/999/products",
        "/api/v1/projects/999/activities",
        "/api/v2/persons/999/picture",
        "/api/v2/products/999/images",
    ] {
        assert_eq!(api.get(missing).await.0, StatusCode::NOT_FOUND, "{missing}");
    }
}

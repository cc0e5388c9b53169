//! Writes change what later reads see, keep update times, check bodies and custom fields, and
//! field definitions change the records that carry them.

mod common;

use common::{small, start, Api};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn deal_lifecycle_is_visible_to_reads() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    let (status, created) = api
        .call(
            Method::POST,
            "/api/v2/deals",
            Some(
                json!({"title": "Ünïcode 🚀 deal", "value": 1500.5, "person_id": 4, "stage_id": 7}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let deal = &created["data"];
    let id = deal["id"].as_i64().unwrap();
    assert_eq!(
        id, 157,
        "ids continue after the demo data (and its 6 archived deals)"
    );
    assert_eq!(deal["pipeline_id"], 2, "pipeline follows the stage");
    assert_eq!(deal["status"], "open");
    assert_eq!(deal["owner_id"], 1, "owner defaults to the token's user");
    assert_eq!(
        api.ok(&format!("/api/v2/deals/{id}")).await["data"]["title"],
        "Ünïcode 🚀 deal"
    );

    let before = deal["update_time"].as_str().unwrap().to_string();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (status, updated) = api
        .call(
            Method::PATCH,
            &format!("/api/v2/deals/{id}"),
            Some(json!({"status": "won"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert!(
        updated["data"]["update_time"].as_str().unwrap() > before.as_str(),
        "update_time moves"
    );
    assert!(updated["data"]["won_time"].is_string() && updated["data"]["close_time"].is_string());
    let won = api.walk_v2("/api/v2/deals?status=won&limit=500").await.0;
    assert!(won.iter().any(|d| d["id"] == id));
    let since = api
        .walk_v2(&format!("/api/v2/deals?updated_since={before}"))
        .await
        .0;
    assert!(
        since.iter().any(|d| d["id"] == id),
        "updated_since sees the change"
    );

    let (status, gone) = api
        .call(Method::DELETE, &format!("/api/v2/deals/{id}"), None)
        .await;
    assert_eq!(
        (status, gone["data"]["id"].as_i64()),
        (StatusCode::OK, Some(id))
    );
    let open = api.walk_v2("/api/v2/deals?limit=500").await.0;
    assert!(
        !open.iter().any(|d| d["id"] == id),
        "deleted deals leave the list"
    );
    let deleted = api.walk_v2("/api/v2/deals?status=deleted").await.0;
    assert_eq!(
        deleted.iter().filter(|d| d["id"] == id).count(),
        1,
        "and show under status=deleted"
    );
    assert_eq!(
        api.call(Method::DELETE, &format!("/api/v2/deals/{id}"), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn bodies_are_checked_before_anything_changes() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    let before = sandbox.count("deals");
    for body in [
        json!({"value": 10}),
        json!({"title": "x", "value": "ten"}),
        json!({"title": "x", "person_id": 99999}),
        json!({"title": "x", "no_such_field": 1}),
        json!({"title": "x", "custom_fields": {"0000000000000000000000000000000000000000": 1}}),
        json!({"title": "x", "status": "sleeping"}),
        json!(["not", "an", "object"]),
    ] {
        let (status, answer) = api
            .call(Method::POST, "/api/v2/deals", Some(body.clone()))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body} -> {answer}");
        assert_eq!(answer["code"], "ERR_SCHEMA_VALIDATION_FAILED");
    }
    assert_eq!(sandbox.count("deals"), before, "nothing was written");
    let resp = api
        .http
        .post(format!("{}/api/v2/deals", api.base))
        .header("x-api-token", common::TOKEN)
        .header("content-type", "application/json")
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let (status, answer) = api
        .call(Method::POST, "/api/v1/notes", Some(json!({"deal_id": 1})))
        .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("\"content\" is required."))
    );
    assert_eq!(
        api.call(
            Method::PATCH,
            "/api/v2/deals/99999",
            Some(json!({"title": "x"}))
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn custom_fields_of_every_type_are_written_and_checked() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    let fields = api.fields("dealFields").await;
    let custom: Vec<&Value> = fields
        .iter()
        .filter(|f| f["is_custom_field"] == true)
        .collect();
    let types: std::collections::BTreeSet<&str> = custom
        .iter()
        .map(|f| f["field_type"].as_str().unwrap())
        .collect();
    assert_eq!(types.len(), 16, "every custom field type: {types:?}");
    let mut values = serde_json::Map::new();
    for f in &custom {
        let option = f["options"]
            .as_array()
            .and_then(|o| o.first())
            .map(|o| o["id"].clone());
        let v = match f["field_type"].as_str().unwrap() {
            "varchar" | "varchar_auto" | "text" => json!("Grüße 👋"),
            "phone" => json!("+49 30 1234"),
            "double" => json!(12.5),
            "monetary" => json!({"value": 99.5, "currency": "USD"}),
            "date" => json!("2026-02-01"),
            "daterange" => json!({"start": "2026-02-01", "until": "2026-02-10"}),
            "time" => json!("09:30:00"),
            "timerange" => json!({"start": "09:00:00", "until": "10:00:00"}),
            "enum" => option.clone().unwrap(),
            "set" => json!([option.clone().unwrap()]),
            "address" => json!({"value": "Narva mnt 5, Tallinn"}),
            "org" | "people" | "user" => json!(2),
            other => panic!("unexpected type {other}"),
        };
        values.insert(f["field_code"].as_str().unwrap().to_string(), v);
    }
    let (status, created) = api
        .call(
            Method::POST,
            "/api/v2/deals",
            Some(json!({"title": "Typed", "custom_fields": values.clone()})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let id = created["data"]["id"].as_i64().unwrap();
    let read = api.ok(&format!("/api/v2/deals/{id}")).await;
    for (k, v) in &values {
        assert_eq!(&read["data"]["custom_fields"][k], v, "{k}");
    }
    // wrong values for typed fields are refused
    for f in &custom {
        let bad = match f["field_type"].as_str().unwrap() {
            "double" => json!("lots"),
            "date" => json!("01/02/2026"),
            "enum" => json!(987654),
            "set" => json!([987654]),
            "time" => json!("9 o'clock"),
            _ => continue,
        };
        let code = f["field_code"].as_str().unwrap();
        let (status, answer) = api
            .call(
                Method::PATCH,
                &format!("/api/v2/deals/{id}"),
                Some(json!({"custom_fields": {code: bad}})),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "{} accepted {answer}",
            f["field_type"]
        );
    }
}

#[tokio::test]
async fn new_fields_appear_on_records_and_deleted_ones_vanish() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    let (status, field) = api
        .call(Method::POST, "/api/v2/personFields", Some(json!({"field_name": "Shoe size", "field_type": "enum", "options": [{"label": "S"}, {"label": "M"}]})))
        .await;
    assert_eq!(status, StatusCode::OK, "{field}");
    let code = field["data"]["field_code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 40);
    assert!(code.chars().all(|c| c.is_ascii_hexdigit()));
    let option = field["data"]["options"][1]["id"].clone();
    let person = api.ok("/api/v2/persons/3").await;
    assert!(person["data"]["custom_fields"]
        .as_object()
        .unwrap()
        .contains_key(&code));
    assert_eq!(person["data"]["custom_fields"][&code], Value::Null);
    let (status, _) = api
        .call(
            Method::PATCH,
            "/api/v2/persons/3",
            Some(json!({"custom_fields": {&code: option}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        api.ok("/api/v2/persons/3").await["data"]["custom_fields"][&code],
        option
    );
    // options: add one, relabel it, delete the one person 3 holds (which clears it there)
    let options = format!("/api/v2/personFields/{code}/options");
    let (status, added) = api
        .call(Method::POST, &options, Some(json!([{"label": "XL"}])))
        .await;
    assert_eq!(status, StatusCode::OK, "{added}");
    let labels: Vec<&str> = added["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, vec!["S", "M", "XL"]);
    let xl = added["data"][2]["id"].clone();
    let (_, relabelled) = api
        .call(
            Method::PATCH,
            &options,
            Some(json!([{"id": xl, "label": "Extra large"}])),
        )
        .await;
    assert_eq!(relabelled["data"][2]["label"], "Extra large");
    let (status, _) = api
        .call(
            Method::PATCH,
            &options,
            Some(json!([{"id": 99999, "label": "x"}])),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, left) = api
        .call(Method::DELETE, &options, Some(json!([{"id": option}])))
        .await;
    assert_eq!(left["data"].as_array().unwrap().len(), 2);
    assert_eq!(
        api.ok("/api/v2/persons/3").await["data"]["custom_fields"][&code],
        Value::Null
    );
    let (status, _) = api
        .call(
            Method::PATCH,
            &format!("/api/v2/personFields/{code}"),
            Some(json!({"field_name": "Size"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        api.ok(&format!("/api/v2/personFields/{code}")).await["data"]["field_name"],
        "Size"
    );
    assert_eq!(
        api.call(
            Method::DELETE,
            &format!("/api/v2/personFields/{code}"),
            None
        )
        .await
        .0,
        StatusCode::OK
    );
    assert!(!api.ok("/api/v2/persons/3").await["data"]["custom_fields"]
        .as_object()
        .unwrap()
        .contains_key(&code));
    assert_eq!(
        api.get(&format!("/api/v2/personFields/{code}")).await.0,
        StatusCode::NOT_FOUND
    );
    // system fields cannot be removed
    assert_eq!(
        api.call(Method::DELETE, "/api/v2/personFields/name", None)
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn v1_writes_children_and_bulk_delete() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    // a note, form-encoded as v1 clients often send it
    let resp = api
        .http
        .post(format!("{}/api/v1/notes", api.base))
        .header("x-api-token", common::TOKEN)
        .form(&[("content", "Form note"), ("deal_id", "2")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let note: Value = resp.json().await.unwrap();
    assert_eq!(note["data"]["deal_id"], 2);
    let id = note["data"]["id"].as_i64().unwrap();
    let listed = api.walk_v1("/api/v1/notes?deal_id=2", 500).await.0;
    assert!(listed.iter().any(|n| n["id"] == id));
    // a lead with a generated uuid
    let (status, lead) = api
        .call(
            Method::POST,
            "/api/v1/leads",
            Some(json!({"title": "Lead", "organization_id": 3})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let lead_id = lead["data"]["id"].as_str().unwrap().to_string();
    assert_eq!(lead_id.len(), 36);
    assert_eq!(
        api.ok(&format!("/api/v1/leads/{lead_id}")).await["data"]["organization_id"],
        3
    );
    // deal products: sum computed, listed under the deal and in the cross-deal list
    let (status, attached) = api
        .call(
            Method::POST,
            "/api/v2/deals/9/products",
            Some(json!({"product_id": 2, "item_price": 10, "quantity": 3, "discount": 10})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{attached}");
    assert_eq!(attached["data"]["sum"], 27.0);
    let across = api.walk_v2("/api/v2/deals/products?deal_ids=9").await.0;
    assert!(across.iter().any(|p| p["id"] == attached["data"]["id"]));
    assert_eq!(
        api.call(
            Method::POST,
            "/api/v2/deals/99999/products",
            Some(json!({"product_id": 2, "item_price": 1, "quantity": 1}))
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    // a deal's attachments removed in bulk, by ids or all at once
    let (_, second) = api
        .call(
            Method::POST,
            "/api/v2/deals/9/products",
            Some(json!({"product_id": 3, "item_price": 5, "quantity": 1})),
        )
        .await;
    let ids = format!("{},{}", attached["data"]["id"], second["data"]["id"]);
    let (status, answer) = api
        .call(
            Method::DELETE,
            &format!("/api/v2/deals/9/products?ids={ids}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        answer["data"]["ids"],
        json!([attached["data"]["id"], second["data"]["id"]])
    );
    assert_eq!(answer["additional_data"]["more_items_in_collection"], false);
    let (status, _) = api
        .call(Method::DELETE, "/api/v2/deals/9/products?ids=1", None)
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "attachment 1 belongs to another deal"
    );
    let (status, _) = api
        .call(Method::DELETE, "/api/v2/deals/9/products", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(api.ok("/api/v2/deals/9/products").await["data"], json!([]));
    // bulk delete of filters
    let before = sandbox.count("filters");
    let (status, answer) = api
        .call(Method::DELETE, "/api/v1/filters?ids=1,2", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["data"]["id"], json!([1, 2]));
    assert_eq!(sandbox.count("filters"), before - 2);
}

#[tokio::test]
async fn archiving_moves_rows_between_their_lists() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    let listed = |rows: Vec<Value>, id: &Value| rows.iter().any(|r| r["id"] == *id);
    // a deal archived by PATCH, and brought back
    let (status, deal) = api
        .call(
            Method::PATCH,
            "/api/v2/deals/8",
            Some(json!({"is_archived": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{deal}");
    assert!(deal["data"]["archive_time"].is_string());
    let id = json!(8);
    assert!(!listed(api.walk_v2("/api/v2/deals?limit=500").await.0, &id));
    assert!(listed(api.walk_v2("/api/v2/deals/archived").await.0, &id));
    api.call(
        Method::PATCH,
        "/api/v2/deals/8",
        Some(json!({"is_archived": false})),
    )
    .await;
    assert!(listed(api.walk_v2("/api/v2/deals?limit=500").await.0, &id));
    assert!(!listed(api.walk_v2("/api/v2/deals/archived").await.0, &id));
    // a project by its archive action
    let (status, project) = api
        .call(Method::POST, "/api/v2/projects/2/archive", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{project}");
    assert!(project["data"]["archive_time"].is_string());
    let id = json!(2);
    assert!(!listed(api.walk_v2("/api/v2/projects").await.0, &id));
    assert!(listed(
        api.walk_v2("/api/v2/projects/archived").await.0,
        &id
    ));
    // a lead by PATCH
    let lead = api.ok("/api/v1/leads?limit=1").await["data"][0]["id"].clone();
    let path = format!("/api/v1/leads/{}", lead.as_str().unwrap());
    let (status, _) = api
        .call(Method::PATCH, &path, Some(json!({"is_archived": true})))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!listed(api.walk_v1("/api/v1/leads", 500).await.0, &lead));
    assert!(listed(
        api.walk_v1("/api/v1/leads/archived", 500).await.0,
        &lead
    ));
}

#[tokio::test]
async fn mail_threads_are_archived_relinked_and_deleted() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    let folder = |f: &str| format!("/api/v1/mailbox/mailThreads?folder={f}&limit=500");
    let thread = api.ok(&folder("inbox")).await["data"][0].clone();
    let id = thread["id"].as_i64().unwrap();
    let at = format!("/api/v1/mailbox/mailThreads/{id}");
    // a form body, as the spec sends it
    let resp = api
        .http
        .put(format!("{}{at}", api.base))
        .header("x-api-token", common::TOKEN)
        .form(&[("archived_flag", "1"), ("deal_id", "9"), ("read_flag", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let updated: Value = resp.json().await.unwrap();
    let data = &updated["data"];
    assert_eq!(
        (data["folders"].clone(), data["archived_flag"].clone()),
        (json!(["archive"]), json!(1))
    );
    assert_eq!(
        (data["deal_id"].clone(), data["read_flag"].clone()),
        (json!(9), json!(1))
    );
    let in_folder = |rows: &Value| {
        rows["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == id)
    };
    assert!(!in_folder(&api.ok(&folder("inbox")).await));
    assert!(in_folder(&api.ok(&folder("archive")).await));
    // its messages are now the mail of deal 9
    let count = thread["message_count"].as_u64().unwrap() as usize;
    let mail = api.walk_v1("/api/v1/deals/9/mailMessages", 500).await.0;
    assert_eq!(
        mail.iter()
            .filter(|m| m["data"]["mail_thread_id"] == id)
            .count(),
        count
    );
    for bad in [
        json!({"read_flag": 2}),
        json!({"deal_id": 99999}),
        json!({"lead_id": "nope"}),
    ] {
        let (status, body) = api.call(Method::PUT, &at, Some(bad.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
    // deleted: out of the folders and of the deal's mail; deleting again finds nothing
    let (status, gone) = api.call(Method::DELETE, &at, None).await;
    assert_eq!(
        (status, gone["data"]["id"].as_i64()),
        (StatusCode::OK, Some(id))
    );
    assert!(!in_folder(&api.ok(&folder("archive")).await));
    let mail = api.walk_v1("/api/v1/deals/9/mailMessages", 500).await.0;
    assert!(mail.iter().all(|m| m["data"]["mail_thread_id"] != id));
    assert_eq!(
        api.call(Method::DELETE, &at, None).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn product_images_and_v2_tasks_are_written() {
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    // product 3 has no image: upload one (multipart), replace it, delete it
    let url = format!("{}/api/v2/products/3/images", api.base);
    let send = |method: Method, name: &str| {
        let body = format!(
            "--b0undary\r\nContent-Disposition: form-data; name=\"data\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n\u{89}PNG\r\n--b0undary--\r\n"
        );
        api.http
            .request(method, &url)
            .header("x-api-token", common::TOKEN)
            .header("content-type", "multipart/form-data; boundary=b0undary")
            .body(body)
            .send()
    };
    let created = send(Method::POST, "Größentabelle.png").await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let image = api.ok("/api/v2/products/3/images").await;
    assert_eq!(image["data"]["name"], "Größentabelle.png");
    assert_eq!(
        send(Method::POST, "again.png").await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        send(Method::PUT, "photo.jpg").await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        api.ok("/api/v2/products/3/images").await["data"]["mime_type"],
        "image/jpeg"
    );
    assert_eq!(
        send(Method::PUT, "notes.txt").await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );
    let (status, _) = api
        .call(Method::DELETE, "/api/v2/products/3/images", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        api.get("/api/v2/products/3/images").await.0,
        StatusCode::NOT_FOUND
    );
    // a task written through v2 reads back in both shapes
    let (status, task) = api
        .call(
            Method::POST,
            "/api/v2/tasks",
            Some(json!({"title": "Sign-off ✍", "project_id": 2, "milestone": 1, "assignee_ids": [2]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{task}");
    let id = task["data"]["id"].as_i64().unwrap();
    assert_eq!(
        (
            task["data"]["is_milestone"].clone(),
            task["data"]["is_done"].clone()
        ),
        (json!(true), json!(false))
    );
    let (_, done) = api
        .call(
            Method::PATCH,
            &format!("/api/v2/tasks/{id}"),
            Some(json!({"done": 1})),
        )
        .await;
    assert_eq!(done["data"]["is_done"], true);
    assert!(done["data"]["marked_as_done_time"].is_string());
    let v1 = api.ok(&format!("/api/v1/tasks/{id}")).await;
    assert_eq!(
        (v1["data"]["done"].clone(), v1["data"]["title"].clone()),
        (json!(1), json!("Sign-off ✍"))
    );
    let milestones = api
        .walk_v2("/api/v2/tasks?is_milestone=true&project_id=2")
        .await
        .0;
    assert_eq!(
        milestones
            .iter()
            .map(|t| t["id"].clone())
            .collect::<Vec<_>>(),
        vec![json!(id)]
    );
    let open = api.walk_v2("/api/v2/tasks?is_done=false").await.0;
    assert!(!open.is_empty() && open.iter().all(|t| t["is_done"] == false));
    let (status, _) = api
        .call(Method::DELETE, &format!("/api/v2/tasks/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        api.get(&format!("/api/v2/tasks/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
}

//! Every table and view of the catalog against the sandbox: each one reads, child tables cost
//! the requests they should, custom fields of every type equal the raw API values, and NULLs,
//! Unicode and window functions come out as the raw data says. Table functions and the views
//! of histories, settings and figures are compared row by row with the API (in `tables/`).

use chrono::{NaiveDate, NaiveTime};
use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Float64Type, Int64Type, Time64MicrosecondType,
};
use pipedrive_api::ApiVersion;
use pipedrive_engine::catalog::TABLES;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

mod common;
#[path = "tables/functions.rs"]
mod functions;
#[path = "tables/views.rs"]
mod views;
use common::*;

#[tokio::test]
async fn every_table_reads_and_counts_what_the_api_lists() {
    let f = fixture(400, "tables-all").await;
    for def in TABLES {
        let sql = format!("SELECT * FROM {} LIMIT 3", def.name);
        let out = f.q(&sql).await;
        if def.explode.is_some() && def.parent.is_none() {
            // views of nested arrays: as many rows as the records' arrays have elements
            let key = def.explode.unwrap_or_default();
            let elements: usize = raw(&f.client, def.version, def.path)
                .await
                .iter()
                .map(|x| x[key].as_array().map_or(0, Vec::len))
                .sum();
            assert_eq!(rows(&out), elements.min(3), "{}", def.name);
        } else {
            assert!(rows(&out) > 0, "{} has rows in the demo company", def.name);
        }
    }
    for (table, version, path) in [
        ("Deals", ApiVersion::V2, "/deals"),
        ("Projects", ApiVersion::V2, "/projects"),
        ("DealFields", ApiVersion::V2, "/dealFields"),
        ("Notes", ApiVersion::V1, "/notes"),
        ("CallLogs", ApiVersion::V1, "/callLogs"),
        ("Roles", ApiVersion::V1, "/roles"),
    ] {
        let out = f.q(&format!("SELECT count(*) FROM {table}")).await;
        let raw = raw(&f.client, version, path).await;
        assert_eq!(ints(&out, 0), vec![raw.len() as i64], "{table}");
    }
}

#[tokio::test]
async fn child_tables_cost_one_request_per_parent_or_batch() {
    let f = fixture(1_200, "tables-children").await;
    let out = f
        .q("SELECT DealId, UserId FROM DealsFollowers WHERE DealId = 7")
        .await;
    assert!(ints(&out, 0).iter().all(|d| *d == 7) && rows(&out) > 0);
    assert_eq!(
        f.sandbox.stats().route("GET /api/v2/deals/{id}/followers"),
        1
    );
    assert_eq!(f.sandbox.stats().requests, 1);

    f.sandbox.reset_stats();
    let ids: Vec<String> = (1..=150).map(|i| i.to_string()).collect();
    let out = f
        .q(&format!(
            "SELECT DealId, count(*) FROM DealsProducts WHERE DealId IN ({}) GROUP BY DealId",
            ids.join(",")
        ))
        .await;
    let stats = f.sandbox.stats();
    assert_eq!(
        stats.requests, 2,
        "150 deals = two deal_ids batches: {stats:?}"
    );
    let mut expected: BTreeMap<i64, i64> = BTreeMap::new();
    for chunk in (1..=150).collect::<Vec<i64>>().chunks(100) {
        let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
        let path = format!("/deals/products?deal_ids={}", list.join(","));
        for p in raw(&f.client, ApiVersion::V2, &path).await {
            *expected.entry(p["deal_id"].as_i64().unwrap()).or_default() += 1;
        }
    }
    let got: BTreeMap<i64, i64> = ints(&out, 0).into_iter().zip(ints(&out, 1)).collect();
    assert_eq!(got, expected);

    // no deal filter: the deals are walked (3 pages), then their products in batches of 100
    f.sandbox.reset_stats();
    let out = f.q("SELECT count(*) FROM DealsProducts").await;
    let stats = f.sandbox.stats();
    assert_eq!(stats.route("GET /api/v2/deals"), 3, "{stats:?}");
    assert_eq!(stats.route("GET /api/v2/deals/products"), 12, "{stats:?}");
    assert!(ints(&out, 0)[0] > 0);
}

#[tokio::test]
async fn field_options_are_one_row_per_option() {
    let f = fixture(100, "tables-options").await;
    let fields = raw(&f.client, ApiVersion::V2, "/dealFields").await;
    let expected: usize = fields
        .iter()
        .map(|x| x["options"].as_array().map_or(0, Vec::len))
        .sum();
    let out = f
        .q("SELECT FieldCode, Id, Label FROM DealFieldOptions")
        .await;
    assert_eq!(rows(&out), expected);
    let tier = fields.iter().find(|x| x["field_name"] == "Tier").unwrap();
    let out = f
        .q(&format!(
            "SELECT Label FROM DealFieldOptions WHERE FieldCode = '{}' ORDER BY Id",
            tier["field_code"].as_str().unwrap()
        ))
        .await;
    let labels: Vec<Option<String>> = tier["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["label"].as_str().map(String::from))
        .collect();
    assert_eq!(texts(&out, 0), labels);
}

#[tokio::test]
async fn custom_fields_of_every_type_equal_the_raw_values() {
    let f = fixture(300, "tables-custom").await;
    let fields: Vec<Value> = raw(&f.client, ApiVersion::V2, "/dealFields")
        .await
        .into_iter()
        .filter(|x| x["is_custom_field"] == true)
        .collect();
    let kinds: std::collections::HashSet<&str> = fields
        .iter()
        .filter_map(|x| x["field_type"].as_str())
        .collect();
    assert_eq!(
        kinds.len(),
        16,
        "the demo company has every custom field type"
    );
    let deals = raw(&f.client, ApiVersion::V2, "/deals").await;
    let table = f.session.table("Deals").await.unwrap().unwrap();
    let custom: Vec<&str> = table
        .columns
        .iter()
        .filter(|c| !c.standard)
        .map(|c| c.name.as_str())
        .collect();
    let list: Vec<String> = custom.iter().map(|c| format!("\"{c}\"")).collect();
    let out = f
        .q(&format!(
            "SELECT Id, {} FROM Deals ORDER BY Id",
            list.join(", ")
        ))
        .await;
    let batch = datafusion::arrow::compute::concat_batches(&out[0].schema(), &out).unwrap();
    let mut checked = 0;
    for field in &fields {
        let name = field["field_name"].as_str().unwrap();
        let code = field["field_code"].as_str().unwrap();
        let kind = field["field_type"].as_str().unwrap();
        for (suffix, part) in parts(kind) {
            let column = if suffix.is_empty() {
                name.to_string()
            } else {
                format!("{name} {suffix}")
            };
            let index = batch
                .schema()
                .index_of(&column)
                .unwrap_or_else(|_| panic!("{column}"));
            for (row, deal) in deals.iter().enumerate() {
                let expected = expected(field, &deal["custom_fields"][code], part);
                let got = cell(batch.column(index), row);
                assert_eq!(got, expected, "deal {} field {column} ({kind})", deal["id"]);
                checked += 1;
            }
        }
    }
    assert!(checked >= 300 * 20);
}

/// The columns a field type becomes: (name suffix, which part of the value).
fn parts(kind: &str) -> Vec<(&'static str, &'static str)> {
    match kind {
        "monetary" => vec![("", "value"), ("Currency", "currency")],
        "daterange" | "timerange" => vec![("", "start"), ("Until", "until")],
        _ => vec![("", "")],
    }
}

/// The value a deal's raw custom field should show as, written as text.
fn expected(field: &Value, v: &Value, part: &str) -> Option<String> {
    let v = if part.is_empty() { v } else { &v[part] };
    let labels: HashMap<i64, &str> = field["options"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| (o["id"].as_i64().unwrap(), o["label"].as_str().unwrap()))
        .collect();
    match (field["field_type"].as_str().unwrap(), v) {
        (_, Value::Null) => None,
        ("enum", v) => Some(labels[&v.as_i64().unwrap()].to_string()),
        ("set", Value::Array(ids)) => Some(
            ids.iter()
                .map(|i| labels[&i.as_i64().unwrap()])
                .collect::<Vec<_>>()
                .join(","),
        ),
        ("address", v) => v["value"].as_str().map(String::from),
        ("double" | "monetary", Value::Number(n)) => Some(format!("{}", n.as_f64().unwrap())),
        (_, Value::Number(n)) => Some(n.to_string()),
        (_, Value::String(s)) => Some(s.clone()),
        (_, Value::Object(o)) => o.get("value").map(|x| x.to_string()),
        (kind, other) => panic!("{kind}: unexpected raw value {other}"),
    }
}

/// A cell written as text the way `expected` writes raw values.
fn cell(a: &ArrayRef, row: usize) -> Option<String> {
    if a.is_null(row) {
        return None;
    }
    Some(match a.data_type() {
        DataType::Utf8 => a.as_string::<i32>().value(row).to_string(),
        DataType::Int64 => a.as_primitive::<Int64Type>().value(row).to_string(),
        DataType::Float64 => format!("{}", a.as_primitive::<Float64Type>().value(row)),
        DataType::Decimal128(..) => format!("{}", amount(a.as_ref(), row)),
        DataType::Date32 => {
            let days = a.as_primitive::<Date32Type>().value(row);
            (NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Duration::days(days as i64))
                .format("%Y-%m-%d")
                .to_string()
        }
        DataType::Time64(_) => {
            let us = a.as_primitive::<Time64MicrosecondType>().value(row);
            (NaiveTime::MIN + chrono::Duration::microseconds(us))
                .format("%H:%M:%S")
                .to_string()
        }
        other => panic!("unexpected column type {other}"),
    })
}

#[tokio::test]
async fn nulls_unicode_and_window_functions_match_the_raw_data() {
    let f = fixture(800, "tables-nulls").await;
    let deals = raw(&f.client, ApiVersion::V2, "/deals").await;
    let out = f
        .q("SELECT count(*) FROM Deals WHERE WonTime IS NULL")
        .await;
    let nulls = deals.iter().filter(|d| d["won_time"].is_null()).count();
    assert_eq!(ints(&out, 0), vec![nulls as i64]);
    assert!(nulls > 0 && nulls < deals.len());

    let non_ascii: Vec<i64> = deals
        .iter()
        .filter(|d| !d["title"].as_str().unwrap().is_ascii())
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    let out = f.q("SELECT Id, Title FROM Deals WHERE Title <> regexp_replace(Title, '[^\\x00-\\x7F]', '', 'g') ORDER BY Id").await;
    assert_eq!(ints(&out, 0), non_ascii);
    let byid: HashMap<i64, &str> = deals
        .iter()
        .map(|d| (d["id"].as_i64().unwrap(), d["title"].as_str().unwrap()))
        .collect();
    for (id, title) in ints(&out, 0).into_iter().zip(texts(&out, 1)) {
        assert_eq!(
            title.as_deref(),
            Some(byid[&id]),
            "Unicode title of deal {id} survives"
        );
    }

    // the biggest deal of each owner, by a window function
    let out = f.q("SELECT OwnerId, Id FROM (SELECT OwnerId, Id, row_number() OVER (PARTITION BY OwnerId ORDER BY Value DESC, Id) AS n FROM Deals) WHERE n = 1 ORDER BY OwnerId",).await;
    let mut best: BTreeMap<i64, (f64, i64)> = BTreeMap::new();
    for d in &deals {
        let (owner, id) = (d["owner_id"].as_i64().unwrap(), d["id"].as_i64().unwrap());
        let value = d["value"].as_f64().unwrap_or(f64::NEG_INFINITY);
        let entry = best.entry(owner).or_insert((value, id));
        if value > entry.0 || (value == entry.0 && id < entry.1) {
            *entry = (value, id);
        }
    }
    let got: BTreeMap<i64, i64> = ints(&out, 0).into_iter().zip(ints(&out, 1)).collect();
    let want: BTreeMap<i64, i64> = best.into_iter().map(|(o, (_, id))| (o, id)).collect();
    assert_eq!(got, want);
}

#[tokio::test]
async fn field_definitions_are_read_when_a_table_is_first_named_and_kept_for_the_process() {
    let f = fixture(600, "tables-lazy-metadata").await;
    let field_reads = |f: &Fixture| {
        let stats = f.sandbox.stats();
        stats
            .by_route
            .iter()
            .filter(|(route, _)| route.ends_with("Fields"))
            .map(|(route, n)| (route.clone(), *n))
            .collect::<Vec<_>>()
    };
    // connecting reads the field definitions of Deals only (which proves the credentials)
    assert_eq!(f.connect_requests, 1);
    // a statement's tables are set up together: their lists once each
    f.q("SELECT COUNT(*) FROM Persons p JOIN Organizations o ON p.OrgId = o.Id WHERE p.Id = 1")
        .await;
    assert_eq!(
        field_reads(&f),
        [
            ("GET /api/v2/organizationFields".to_string(), 1),
            ("GET /api/v2/personFields".to_string(), 1)
        ]
    );
    // named again, or by another connection with the same credentials: nothing read
    f.sandbox.reset_stats();
    f.q("SELECT COUNT(*) FROM persons WHERE Id = 2").await;
    let second = pipedrive_engine::Session::connect(f.client.clone())
        .await
        .unwrap();
    second
        .query("SELECT COUNT(*) FROM Persons WHERE Id = 3")
        .await
        .unwrap();
    assert_eq!(field_reads(&f), []);
    // the catalog sets up every table: the two lists not read yet are read now
    let all = second.tables().await.unwrap();
    assert_eq!(all.len(), TABLES.len());
    assert!(all
        .iter()
        .any(|t| t.def.name == "Products" && t.columns.iter().any(|c| !c.standard)));
    assert_eq!(
        field_reads(&f),
        [
            ("GET /api/v2/productFields".to_string(), 1),
            ("GET /api/v2/projectFields".to_string(), 1)
        ]
    );
}

/// The cells of a column of any type as text (NULL as `None`).
fn any_texts(
    batches: &[datafusion::arrow::record_batch::RecordBatch],
    col: usize,
) -> Vec<Option<String>> {
    use datafusion::arrow::compute::cast;
    batches
        .iter()
        .flat_map(|b| {
            let a = cast(b.column(col), &DataType::Utf8).unwrap();
            let a = a.as_string::<i32>().clone();
            (0..a.len())
                .map(move |i| (!a.is_null(i)).then(|| a.value(i).to_string()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A JSON value as the text of its cell.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

#[tokio::test]
async fn parent_filtered_tables_equal_the_api_and_cost_one_request() {
    let f = fixture(300, "tables-parent-filtered").await;
    // (query of text columns, its one GET, the raw list, the raw keys in column order)
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "SELECT UserId FROM PersonsFollowers WHERE PersonId = 30",
            "GET /api/v2/persons/{id}/followers",
            "v2 /persons/30/followers",
            &["user_id"],
        ),
        (
            "SELECT UserId FROM OrganizationsFollowers WHERE OrgId = 10",
            "GET /api/v2/organizations/{id}/followers",
            "v2 /organizations/10/followers",
            &["user_id"],
        ),
        (
            "SELECT UserId FROM DealsPermittedUsers WHERE DealId = 5",
            "GET /api/v1/deals/{id}/permittedUsers",
            "v1 /deals/5/permittedUsers",
            &[""],
        ),
        (
            "SELECT Uuid, Content, UserId FROM NoteComments WHERE NoteId = 20",
            "GET /api/v1/notes/{id}/comments",
            "v1 /notes/20/comments",
            &["uuid", "content", "user_id"],
        ),
        (
            "SELECT Title, ParentTaskId, AssigneeId \
             FROM Tasks WHERE ProjectId = 2",
            "GET /api/v1/tasks",
            "v1 /tasks?project_id=2",
            &["title", "parent_task_id", "assignee_id"],
        ),
        (
            "SELECT Id, CalculatedType, RelatedOrganizationName, ActiveFlag \
             FROM OrganizationRelationships WHERE OrgId = 5",
            "GET /api/v1/organizationRelationships",
            "v1 /organizationRelationships?org_id=5",
            &[
                "id",
                "calculated_type",
                "related_organization_name",
                "active_flag",
            ],
        ),
        (
            "SELECT Name, UserId FROM RolesAssignments WHERE RoleId = 1",
            "GET /api/v1/roles/{id}/assignments",
            "v1 /roles/1/assignments",
            &["name", "user_id"],
        ),
    ];
    for (sql, route, list, keys) in cases {
        f.sandbox.reset_stats();
        let out = f.q(sql).await;
        let stats = f.sandbox.stats();
        assert_eq!(
            (stats.requests, stats.route(route)),
            (1, 1),
            "{sql}: {stats:?}"
        );
        let (version, path) = list.split_once(' ').unwrap();
        let version = if version == "v1" {
            ApiVersion::V1
        } else {
            ApiVersion::V2
        };
        let mut expected: Vec<Vec<Option<String>>> = raw(&f.client, version, path)
            .await
            .iter()
            .map(|r| {
                keys.iter()
                    .map(|k| text_of(if k.is_empty() { r } else { &r[*k] }))
                    .collect()
            })
            .collect();
        let columns: Vec<Vec<Option<String>>> =
            (0..keys.len()).map(|c| any_texts(&out, c)).collect();
        let mut got: Vec<Vec<Option<String>>> = (0..rows(&out))
            .map(|i| columns.iter().map(|c| c[i].clone()).collect())
            .collect();
        expected.sort();
        got.sort();
        assert!(!expected.is_empty(), "{list} has rows in the demo company");
        assert_eq!(got, expected, "{sql}");
    }

    // lists under a deal, asked for by a deal that has rows in them
    let file = &raw(&f.client, ApiVersion::V1, "/files").await[0];
    let activity = raw(&f.client, ApiVersion::V2, "/activities")
        .await
        .into_iter()
        .find(|a| !a["deal_id"].is_null())
        .unwrap();
    let participant = raw(&f.client, ApiVersion::V2, "/activities")
        .await
        .into_iter()
        .find(|a| !a["deal_id"].is_null() && !a["person_id"].is_null());
    let under_deals = [
        (
            "DealsFiles",
            "GET /api/v1/deals/{id}/files",
            file["deal_id"].clone(),
            "/deals/{}/files",
        ),
        (
            "DealsActivities",
            "GET /api/v2/activities",
            activity["deal_id"].clone(),
            "/activities?deal_id={}",
        ),
    ];
    for (table, route, deal, list) in under_deals {
        f.sandbox.reset_stats();
        let out = f
            .q(&format!("SELECT Id FROM {table} WHERE DealId = {deal}"))
            .await;
        let stats = f.sandbox.stats();
        assert_eq!(
            (stats.requests, stats.route(route)),
            (1, 1),
            "{table}: {stats:?}"
        );
        let version = if list.starts_with("/deals") {
            ApiVersion::V1
        } else {
            ApiVersion::V2
        };
        let mut expected: Vec<i64> =
            raw(&f.client, version, &list.replace("{}", &deal.to_string()))
                .await
                .iter()
                .filter_map(|r| r["id"].as_i64())
                .collect();
        let mut got = ints(&out, 0);
        expected.sort_unstable();
        got.sort_unstable();
        assert!(!expected.is_empty(), "{table}");
        assert_eq!(got, expected, "{table}");
    }
    // the persons of a deal: those the API links to it, each with the deal
    if let Some(a) = participant {
        let deal = &a["deal_id"];
        f.sandbox.reset_stats();
        let out = f
            .q(&format!(
                "SELECT DealId, Id FROM DealsPersons WHERE DealId = {deal}"
            ))
            .await;
        assert_eq!(f.sandbox.stats().route("GET /api/v2/persons"), 1);
        let expected = raw(
            &f.client,
            ApiVersion::V2,
            &format!("/persons?deal_id={deal}"),
        )
        .await;
        assert_eq!(rows(&out), expected.len());
        assert!(ints(&out, 0).iter().all(|d| Some(*d) == deal.as_i64()));
    }
    // a project's tasks
    f.sandbox.reset_stats();
    let out = f
        .q("SELECT Id FROM ProjectsTasks WHERE ProjectId = 2")
        .await;
    assert_eq!(
        f.sandbox.stats().route("GET /api/v1/projects/{id}/tasks"),
        1
    );
    let tasks = raw(&f.client, ApiVersion::V1, "/tasks?project_id=2").await;
    assert_eq!(rows(&out), tasks.len());

    // a nested array: the person's own list, asked for by its key
    f.sandbox.reset_stats();
    let out = f
        .q("SELECT Value, Label FROM PersonsEmails WHERE PersonId = 1")
        .await;
    assert_eq!(f.sandbox.stats().requests, 1);
    let person = raw(&f.client, ApiVersion::V2, "/persons?ids=1").await;
    let expected: Vec<Option<String>> = person[0]["emails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| text_of(&e["value"]))
        .collect();
    assert_eq!(texts(&out, 0), expected);
    assert!(expected.len() >= 2, "person 1 has two emails");

    // one object per role: as many rows as roles, one request per role and one for the roles
    f.sandbox.reset_stats();
    let out = f
        .q("SELECT RoleId, DealAccessLevel FROM RolesSettings")
        .await;
    let roles = raw(&f.client, ApiVersion::V1, "/roles").await.len();
    assert_eq!(rows(&out), roles);
    assert_eq!(
        f.sandbox.stats().route("GET /api/v1/roles/{id}/settings"),
        roles as u64
    );
}

//! SQL through the engine against the local sandbox: answers equal to the raw API data, and the
//! number of API requests each pushdown makes.

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::datatypes::Int64Type;
use futures_util::TryStreamExt;
use pipedrive_api::ApiVersion;
use pipedrive_engine::EngineErrorKind;
use std::collections::{BTreeMap, HashMap};

mod common;
use common::*;

#[tokio::test]
async fn a_key_lookup_is_one_get() {
    let f = fixture(2_000, "key-lookup").await;
    let out = f
        .q("SELECT Id, Title, Value FROM Deals WHERE Id = 17")
        .await;
    assert_eq!(ints(&out, 0), vec![17]);
    let stats = f.sandbox.stats();
    assert_eq!(stats.requests, 1, "{stats:?}");
    assert_eq!(stats.route("GET /api/v2/deals/{id}"), 1);
    let deal = f.client.get(ApiVersion::V2, "/deals/17").await.unwrap();
    assert_eq!(
        out[0].column(1).as_string::<i32>().value(0),
        deal["title"].as_str().unwrap()
    );
    assert_eq!(
        amount(out[0].column(2).as_ref(), 0),
        deal["value"].as_f64().unwrap()
    );
    // a key that does not exist is no row
    f.sandbox.reset_stats();
    assert_eq!(
        rows(&f.q("SELECT Id FROM Deals WHERE Id = 999999").await),
        0
    );
    // IN lists become ids= batches
    f.sandbox.reset_stats();
    let out = f
        .q("SELECT Id FROM Deals WHERE Id IN (3, 5, 8, 13) ORDER BY Id")
        .await;
    assert_eq!(ints(&out, 0), vec![3, 5, 8, 13]);
    assert_eq!(f.sandbox.stats().route("GET /api/v2/deals"), 1);
}

#[tokio::test]
async fn filters_the_api_has_are_pushed_and_results_stay_exact() {
    let f = fixture(2_000, "filters-pushed").await;
    let out = f.q("SELECT Id, OwnerId, Status FROM Deals WHERE OwnerId = 3 AND Status = 'won' ORDER BY Id").await;
    let all = raw(&f.client, ApiVersion::V2, "/deals").await;
    let expected: Vec<i64> = all
        .iter()
        .filter(|d| d["owner_id"] == 3 && d["status"] == "won")
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(ints(&out, 0), expected);
    // both filters went to the API: a handful of rows in one request, not a 4-page scan
    assert_eq!(
        f.sandbox.stats().route("GET /api/v2/deals"),
        1 + 4,
        "one filtered request, then the raw walk"
    );
    // a filter the API does not have is applied locally, correctly
    f.sandbox.reset_stats();
    let out = f
        .q("SELECT count(*) FROM Deals WHERE Value > 50000 AND Status = 'open'")
        .await;
    let expected = all
        .iter()
        .filter(|d| d["value"].as_f64().unwrap() > 50000.0 && d["status"] == "open")
        .count();
    assert_eq!(ints(&out, 0), vec![expected as i64]);
    // a value the API would reject is not sent: the answer is simply empty
    assert_eq!(
        rows(&f.q("SELECT Id FROM Deals WHERE Status = 'sleeping'").await),
        0
    );
}

#[tokio::test]
async fn limit_stops_paging_and_full_scans_page_by_500() {
    let f = fixture(2_000, "limit-and-scan").await;
    let out = f.q("SELECT * FROM Deals LIMIT 10").await;
    assert_eq!(rows(&out), 10);
    assert_eq!(f.sandbox.stats().requests, 1);
    // a limit over a filter only DataFusion can apply still gives full, correct rows
    let out = f
        .q("SELECT Id, Value FROM Deals WHERE Value > 90000 LIMIT 5")
        .await;
    assert_eq!(rows(&out), 5);
    for b in &out {
        assert!((0..b.num_rows()).all(|i| amount(b.column(1).as_ref(), i) > 90000.0));
    }
    // and a limit over a pushed filter too
    let out = f
        .q("SELECT Id, OwnerId FROM Deals WHERE OwnerId = 2 LIMIT 3")
        .await;
    assert_eq!(rows(&out), 3);
    assert!(out.iter().all(|b| b
        .column(1)
        .as_primitive::<Int64Type>()
        .values()
        .iter()
        .all(|v| *v == 2)));
    f.sandbox.reset_stats();
    let out = f.q("SELECT count(*) FROM Deals").await;
    assert_eq!(ints(&out, 0), vec![2_000]);
    // 4 pages, walked from both ends in id order: nothing more
    assert_eq!(f.sandbox.stats().requests, 4);
}

#[tokio::test]
async fn joins_grouped_by_a_custom_enum_field_match_the_raw_data() {
    let f = fixture(1_500, "join-custom").await;
    let fields = raw(&f.client, ApiVersion::V2, "/dealFields").await;
    let field = fields
        .iter()
        .find(|x| x["field_type"] == "enum" && x["is_custom_field"] == true)
        .unwrap();
    let (code, name) = (
        field["field_code"].as_str().unwrap(),
        field["field_name"].as_str().unwrap(),
    );
    let labels: HashMap<i64, String> = field["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["id"].as_i64().unwrap(),
                o["label"].as_str().unwrap().into(),
            )
        })
        .collect();
    let sql = format!(
        r#"SELECT d."{name}" AS label, count(*) AS deals, count(DISTINCT p.Id) AS persons, count(DISTINCT o.Id) AS orgs, sum(d.Value) AS total
           FROM Deals d JOIN Persons p ON d.PersonId = p.Id JOIN Organizations o ON d.OrgId = o.Id
           GROUP BY d."{name}" ORDER BY label"#
    );
    let out = f.q(&sql).await;
    let deals = raw(&f.client, ApiVersion::V2, "/deals").await;
    let persons: std::collections::HashSet<i64> = raw(&f.client, ApiVersion::V2, "/persons")
        .await
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    let orgs: std::collections::HashSet<i64> = raw(&f.client, ApiVersion::V2, "/organizations")
        .await
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    let mut expected: BTreeMap<
        Option<String>,
        (
            i64,
            std::collections::HashSet<i64>,
            std::collections::HashSet<i64>,
            f64,
        ),
    > = BTreeMap::new();
    for d in &deals {
        let (Some(p), Some(o)) = (d["person_id"].as_i64(), d["org_id"].as_i64()) else {
            continue;
        };
        if !persons.contains(&p) || !orgs.contains(&o) {
            continue;
        }
        let label = d["custom_fields"][code]
            .as_i64()
            .map(|id| labels[&id].clone());
        let e = expected.entry(label).or_default();
        e.0 += 1;
        e.1.insert(p);
        e.2.insert(o);
        e.3 += d["value"].as_f64().unwrap();
    }
    let mut got = BTreeMap::new();
    for b in &out {
        for i in 0..b.num_rows() {
            let label = (!b.column(0).is_null(i))
                .then(|| b.column(0).as_string::<i32>().value(i).to_string());
            let n = |c: usize| b.column(c).as_primitive::<Int64Type>().value(i);
            got.insert(label, (n(1), n(2), n(3), amount(b.column(4).as_ref(), i)));
        }
    }
    assert_eq!(got.len(), expected.len());
    for (label, (n, p, o, total)) in &expected {
        let g = got
            .get(label)
            .unwrap_or_else(|| panic!("group {label:?} missing"));
        assert_eq!(
            (g.0, g.1, g.2),
            (*n, p.len() as i64, o.len() as i64),
            "group {label:?}"
        );
        assert!(
            (g.3 - total).abs() < 1e-6 * total.abs().max(1.0),
            "group {label:?}: {} vs {total}",
            g.3
        );
    }
}

#[tokio::test]
async fn identifiers_match_in_any_case_quoted_or_not() {
    let f = fixture(50, "identifier-case").await;
    for sql in [
        "select id, title from deals where id = 7",
        "SELECT \"ID\", \"TITLE\" FROM \"DEALS\" WHERE \"id\" = 7",
        "SELECT d.id, d.Title FROM pipedrive.deals AS d WHERE d.ID = 7",
    ] {
        let out = f.q(sql).await;
        assert_eq!(ints(&out, 0), vec![7], "{sql}");
        assert_eq!(
            out[0].schema().field(1).name(),
            "Title",
            "{sql}: the catalog's spelling"
        );
    }
    let out = f.q("SELECT count(\"lead source\") FROM deals").await;
    assert_eq!(rows(&out), 1);
    // names the statement declares live next to the catalog's, whatever their case
    for (sql, expected) in [
        (
            "SELECT d.\"Tier\" AS tier, count(*) AS deals FROM Deals d GROUP BY d.\"Tier\" ORDER BY DEALS DESC, tier LIMIT 1",
            1,
        ),
        ("SELECT Title AS title FROM Deals ORDER BY title LIMIT 2", 2),
        ("SELECT s.t FROM (SELECT Title AS t FROM Deals) s WHERE s.T IS NOT NULL LIMIT 3", 3),
        ("WITH deals AS (SELECT Id FROM Deals WHERE Id < 5) SELECT * FROM deals", 4),
    ] {
        let out = f.q(sql).await;
        assert_eq!(rows(&out), expected, "{sql}");
    }
}

#[tokio::test]
async fn schemas_are_known_before_any_data_request_and_errors_have_kinds() {
    let f = fixture(100, "schemas-errors").await;
    let prepared = f
        .session
        .prepare("SELECT Id, Title, AddTime, \"Lead Source\" FROM Deals")
        .await
        .unwrap();
    let names: Vec<&str> = prepared
        .schema
        .fields()
        .iter()
        .map(|x| x.name().as_str())
        .collect();
    assert_eq!(names, vec!["Id", "Title", "AddTime", "Lead Source"]);
    assert_eq!(
        f.sandbox.stats().requests,
        0,
        "planning asks the API nothing"
    );
    for (sql, kind) in [
        ("SELEC Id FROM Deals", EngineErrorKind::Syntax),
        ("SELECT Id FROM NoSuchTable", EngineErrorKind::UnknownTable),
        (
            "SELECT NoSuchColumn FROM Deals",
            EngineErrorKind::UnknownColumn,
        ),
        (
            "SELECT * FROM Deals WHERE Id = 'abc'",
            EngineErrorKind::TypeMismatch,
        ),
        ("SELECT Title + 1 FROM Deals", EngineErrorKind::TypeMismatch),
        (
            "SELECT Id FROM Deals WHERE AddTime > 'yesterday'",
            EngineErrorKind::TypeMismatch,
        ),
        ("SELECT {fn NOSUCH(Id)} FROM Deals", EngineErrorKind::Syntax),
        // no tables are created or dropped (Tableau probes these on connect)
        (
            "SELECT TOP 1 Id INTO \"#t\" FROM Deals",
            EngineErrorKind::NotSupported,
        ),
        ("CREATE TABLE t (a BIGINT)", EngineErrorKind::NotSupported),
        ("DROP TABLE NoSuchTable", EngineErrorKind::NotSupported),
        ("DROP TABLE Deals", EngineErrorKind::NotSupported),
    ] {
        let err = f.session.query(sql).await.unwrap_err();
        assert_eq!(err.kind, kind, "{sql}: {}", err.message);
    }
    // the message names what is wrong
    let err = f
        .session
        .query("SELECT * FROM Deals WHERE Id = 'abc'")
        .await
        .unwrap_err();
    assert!(err.message.contains("'abc'"), "{}", err.message);
    let err = f.session.query("SELECT Id FROM Dealz").await.unwrap_err();
    assert!(err.message.contains("'Dealz'"), "{}", err.message);
    // named as written: no default catalog and schema put in front
    assert!(!err.message.contains("Pipedrive."), "{}", err.message);
    // bracket-quoted names, as SQL Server and Access write them
    let bracketed = f
        .q("SELECT [Id], [Lead Source] FROM [Pipedrive].[Deals] WHERE [Id] < 4 ORDER BY [Id]")
        .await;
    let quoted = f
        .q(r#"SELECT "Id", "Lead Source" FROM "Pipedrive"."Deals" WHERE "Id" < 4 ORDER BY "Id""#)
        .await;
    assert_eq!(bracketed, quoted);
    // a token the API refuses is an API error of its own kind
    let refused = pipedrive_api::Client::new(pipedrive_api::ClientConfig::new(
        f.sandbox.base_url(),
        pipedrive_api::Credentials::ApiToken("not-a-token".into()),
    ))
    .unwrap();
    let err = pipedrive_engine::Session::connect(refused)
        .await
        .err()
        .unwrap();
    assert_eq!(
        err.kind,
        EngineErrorKind::Api(pipedrive_api::ErrorKind::Unauthorized),
        "{}",
        err.message
    );
    let stream = f
        .session
        .prepare("SELECT Id FROM Users")
        .await
        .unwrap()
        .execute()
        .await
        .unwrap();
    let batches: Vec<RecordBatch> = stream.try_collect().await.unwrap();
    assert_eq!(rows(&batches), 12);
}

#[tokio::test]
async fn a_full_scan_of_100000_deals_is_about_200_list_requests() {
    let f = fixture(100_000, "full-scan-100k").await;
    // connecting reads the field definitions of Deals
    assert_eq!(f.connect_requests, 1);
    let stream = f
        .session
        .prepare("SELECT * FROM Deals")
        .await
        .unwrap()
        .execute()
        .await
        .unwrap();
    let (rows, ids) = stream
        .try_fold((0usize, 0i64), |(n, sum), b| async move {
            let ids: i64 = b
                .column(0)
                .as_primitive::<Int64Type>()
                .values()
                .iter()
                .sum();
            Ok((n + b.num_rows(), sum + ids))
        })
        .await
        .unwrap();
    assert_eq!(rows, 100_000);
    assert_eq!(ids, (1..=100_000i64).sum::<i64>(), "each deal once");
    // 200 pages, walked in update-time windows: the two ends' pages again, a part page where
    // a window ends, and a catch-up request. A window is split when a cursor slot falls free while it still has
    // pages to go, so how many windows there are follows the round trips of the moment (a
    // busy machine splits more): about one in ten pages at most
    let stats = f.sandbox.stats();
    let pages = stats.route("GET /api/v2/deals");
    assert!((200..=240).contains(&pages), "{stats:?}");
    assert_eq!(stats.requests, pages);
}

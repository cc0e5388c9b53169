//! What applications send: ODBC escapes, TOP, `?` parameters, EXPLAIN, ORDER BY ... LIMIT on the
//! API's sort; each answered like the plain SQL it stands for, with the requests it should cost.

use datafusion::arrow::array::{AsArray, RecordBatch};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use futures_util::TryStreamExt;
use pipedrive_api::ApiVersion;
use pipedrive_engine::EngineErrorKind;

mod common;
use common::*;

#[tokio::test]
async fn escape_sequences_mean_what_the_plain_sql_means() {
    let f = fixture(600, "dialect-escapes").await;
    for (escaped, plain) in [
        (
            "SELECT Id, {fn UCASE(Title)} FROM Deals WHERE AddTime >= {ts '2025-01-01 00:00:00'} ORDER BY Id",
            "SELECT Id, upper(Title) FROM Deals WHERE AddTime >= TIMESTAMP '2025-01-01 00:00:00' ORDER BY Id",
        ),
        (
            "SELECT Id, {fn CONVERT(Value, SQL_INTEGER)}, {fn IFNULL(LostReason, 'none')} FROM Deals WHERE ExpectedCloseDate < {d '2026-03-01'} ORDER BY Id",
            "SELECT Id, CAST(Value AS BIGINT), coalesce(LostReason, 'none') FROM Deals WHERE ExpectedCloseDate < DATE '2026-03-01' ORDER BY Id",
        ),
        (
            "SELECT d.Id, p.Name FROM {oj Deals d LEFT OUTER JOIN Persons p ON d.PersonId = p.Id} ORDER BY d.Id",
            "SELECT d.Id, p.Name FROM Deals d LEFT JOIN Persons p ON d.PersonId = p.Id ORDER BY d.Id",
        ),
        (
            "SELECT Id FROM Deals WHERE Title LIKE 'Pilot!_%' {escape '!'} OR {fn LOCATE('Labs', Title)} > 0 ORDER BY Id",
            "SELECT Id FROM Deals WHERE Title LIKE 'Pilot!_%' ESCAPE '!' OR strpos(Title, 'Labs') > 0 ORDER BY Id",
        ),
        (
            "SELECT Id, {fn YEAR(AddTime)}, {fn MONTH(AddTime)}, {fn DAYOFWEEK(AddTime)} FROM Deals ORDER BY Id",
            "SELECT Id, CAST(date_part('year', AddTime) AS BIGINT), CAST(date_part('month', AddTime) AS BIGINT), CAST(date_part('dow', AddTime) + 1 AS BIGINT) FROM Deals ORDER BY Id",
        ),
        (
            // what SQL Server tools write: bracket-quoted names, wide text types in CAST
            "SELECT [Id], CAST(Id AS NVARCHAR(20)) AS i, CAST(Title AS NTEXT) AS t, [Lead Source] FROM [Deals] WHERE [Id] < 5 ORDER BY [Id]",
            "SELECT Id, CAST(Id AS VARCHAR) AS i, CAST(Title AS VARCHAR) AS t, \"Lead Source\" FROM Deals WHERE Id < 5 ORDER BY Id",
        ),
        (
            // national literals, in a comparison and a LIKE pattern with its own escape
            "SELECT Id, N'ünï' AS n FROM Deals WHERE Title <> N'x' AND Title NOT LIKE N'!_%' ESCAPE '!' ORDER BY Id",
            "SELECT Id, 'ünï' AS n FROM Deals WHERE Title <> 'x' AND Title NOT LIKE '!_%' ESCAPE '!' ORDER BY Id",
        ),
    ] {
        let a = f.q(escaped).await;
        let b = f.q(plain).await;
        assert!(rows(&a) > 0, "{escaped} returns rows");
        assert_eq!(values(&a), values(&b), "{escaped}");
    }
    let err = f
        .session
        .prepare("SELECT {fn UCASE(Title) FROM Deals")
        .await
        .unwrap_err();
    assert_eq!(err.kind, EngineErrorKind::Syntax, "{}", err.message);
}

/// Every cell as text, row by row.
fn values(batches: &[RecordBatch]) -> Vec<Vec<String>> {
    use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
    let mut out = vec![];
    for b in batches {
        let options = FormatOptions::default();
        let cells: Vec<_> = b
            .columns()
            .iter()
            .map(|c| ArrayFormatter::try_new(c.as_ref(), &options).unwrap())
            .collect();
        for row in 0..b.num_rows() {
            out.push(cells.iter().map(|c| c.value(row).to_string()).collect());
        }
    }
    out
}

#[tokio::test]
async fn top_n_is_a_limit_and_costs_one_request() {
    let f = fixture(2_000, "dialect-top").await;
    let out = f.q("select top 7 Id from deals").await;
    assert_eq!(ints(&out, 0), (1..=7).collect::<Vec<_>>());
    assert_eq!(f.sandbox.stats().requests, 1);
}

#[tokio::test]
async fn parameters_are_typed_at_prepare_and_pushed_when_bound() {
    let f = fixture(1_500, "dialect-params").await;
    let prepared = f
        .session
        .prepare("SELECT Id FROM Deals WHERE OwnerId = ? AND Status = ? ORDER BY Id")
        .await
        .unwrap();
    assert_eq!(
        prepared.parameters,
        vec![Some(DataType::Int64), Some(DataType::Utf8)]
    );
    assert_eq!(f.sandbox.stats().requests, 0);
    // a text value for a number parameter is converted, as ODBC applications expect
    let bound = prepared
        .bind(vec![ScalarValue::from("3"), ScalarValue::from("won")])
        .unwrap();
    let batches: Vec<RecordBatch> = bound.execute().await.unwrap().try_collect().await.unwrap();
    let literal = f
        .q("SELECT Id FROM Deals WHERE OwnerId = 3 AND Status = 'won' ORDER BY Id")
        .await;
    assert!(rows(&batches) > 0);
    assert_eq!(ints(&batches, 0), ints(&literal, 0));
    let stats = f.sandbox.stats();
    assert_eq!(
        stats.route("GET /api/v2/deals"),
        2,
        "one walk each: {stats:?}"
    );
    // the walk carried both filters: every listed row was a match
    let raw = raw(&f.client, ApiVersion::V2, "/deals").await;
    let matching = raw
        .iter()
        .filter(|d| d["owner_id"] == 3 && d["status"] == "won")
        .count();
    assert_eq!(rows(&batches), matching);

    let err = prepared.bind(vec![ScalarValue::from(3i64)]).unwrap_err();
    assert_eq!(err.kind, EngineErrorKind::Parameters, "{}", err.message);
    let err = prepared
        .bind(vec![ScalarValue::from("three"), ScalarValue::from("won")])
        .unwrap_err();
    assert_eq!(err.kind, EngineErrorKind::TypeMismatch, "{}", err.message);
    assert!(err.message.contains("three"), "{}", err.message);
    let unbound = f
        .session
        .prepare("SELECT Id FROM Deals WHERE Id = ?")
        .await
        .unwrap();
    assert_eq!(
        unbound.execute().await.err().map(|e| e.kind),
        Some(EngineErrorKind::Parameters)
    );
}

#[tokio::test]
async fn explain_lists_the_api_requests_without_making_any() {
    let f = fixture(300, "dialect-explain").await;
    let out = f.q("EXPLAIN SELECT d.Title, p.Name FROM Deals d JOIN Persons p ON d.PersonId = p.Id WHERE d.Id IN (1, 2, 3) AND p.OwnerId = 4").await;
    let kinds: Vec<&str> = out[0]
        .column(0)
        .as_string::<i32>()
        .iter()
        .flatten()
        .collect();
    assert_eq!(kinds, vec!["logical_plan", "physical_plan", "api_requests"]);
    let requests = out[0].column(1).as_string::<i32>().value(2);
    assert!(
        requests.contains("Deals: GET /api/v2/deals?ids=1,2,3"),
        "{requests}"
    );
    assert!(
        requests.contains("Persons: GET /api/v2/persons?owner_id=4"),
        "{requests}"
    );
    let text = f
        .session
        .prepare("SELECT * FROM DealsProducts WHERE DealId = 5")
        .await
        .unwrap()
        .explain()
        .await
        .unwrap();
    assert!(
        text.contains("GET /api/v2/deals/products?deal_ids=<up to 100 keys> for DealId 5"),
        "{text}"
    );
    // each request with its cost of the daily budget (the specs' x-token-cost), and the sum
    let costs = [
        (
            "SELECT Title FROM Deals",
            vec![
                "(paged)",
                "[10 tokens a page]",
                "token cost of the reads: 10 tokens a page",
            ],
        ),
        (
            "SELECT * FROM Deals WHERE Id = 7",
            vec![
                "GET /api/v2/deals/7 [1 token]",
                "token cost of the reads: 1 token",
            ],
        ),
        (
            "SELECT * FROM DealsProducts WHERE DealId IN (1, 2, 3)",
            vec!["[10 tokens]", "token cost of the reads: 10 tokens"],
        ),
        (
            "SELECT * FROM DealsParticipants WHERE DealId IN (1, 2, 3)",
            vec!["[30 tokens]"],
        ),
        (
            "SELECT * FROM DealsParticipants",
            vec!["token cost of the reads: 10 tokens a page + 10 per parent row"],
        ),
        (
            "SELECT d.Title, p.Name FROM Deals d JOIN Persons p ON d.PersonId = p.Id",
            vec!["token cost of the reads: 20 tokens a page"],
        ),
    ];
    for (sql, expected) in costs {
        let text = f
            .session
            .prepare(sql)
            .await
            .unwrap()
            .explain()
            .await
            .unwrap();
        for part in expected {
            assert!(text.contains(part), "{sql}: {part}\n{text}");
        }
    }
    // planning reads the field definitions of a table named for the first time; no data
    let stats = f.sandbox.stats();
    assert_eq!(
        stats.requests,
        stats.route("GET /api/v2/personFields"),
        "{stats:?}"
    );
}

#[tokio::test]
async fn order_by_a_sortable_column_with_limit_uses_the_api_sort() {
    let f = fixture(3_000, "dialect-sort").await;
    let out = f.q("SELECT Id, UpdateTime FROM Deals WHERE Status = 'open' ORDER BY UpdateTime DESC LIMIT 5").await;
    let stats = f.sandbox.stats();
    assert_eq!(stats.requests, 1, "{stats:?}");
    let mut open: Vec<(String, i64)> = raw(&f.client, ApiVersion::V2, "/deals")
        .await
        .into_iter()
        .filter(|d| d["status"] == "open")
        .map(|d| {
            (
                d["update_time"].as_str().unwrap().to_string(),
                d["id"].as_i64().unwrap(),
            )
        })
        .collect();
    open.sort_by(|a, b| b.0.cmp(&a.0));
    let expected: Vec<String> = open
        .iter()
        .take(5)
        .map(|(t, _)| t.replace('Z', ""))
        .collect();
    let got: Vec<String> = values(&out).into_iter().map(|r| r[1].clone()).collect();
    assert_eq!(got, expected);
    // a column the API cannot sort by is sorted here, over the whole table
    f.sandbox.reset_stats();
    let out = f
        .q("SELECT Id FROM Deals ORDER BY Value DESC, Id LIMIT 3")
        .await;
    assert_eq!(rows(&out), 3);
    // 3,000 deals = 6 pages, walked from both ends in id order: nothing more
    assert_eq!(f.sandbox.stats().requests, 6);
}

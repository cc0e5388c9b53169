//! INSERT, UPDATE and DELETE through the engine against the sandbox: the requests they become,
//! typed parameters, custom fields by label, RETURNING, the checks made before anything is
//! sent, and the report of a write that stops part way.

mod common;

use common::{amount, amounts, fixture};
use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::datatypes::Int64Type;
use pipedrive_engine::{EngineErrorKind, ScalarValue, SetStatus};

fn int(batches: &[RecordBatch], column: usize) -> Vec<i64> {
    batches
        .iter()
        .flat_map(|b| {
            b.column(column)
                .as_primitive::<Int64Type>()
                .values()
                .to_vec()
        })
        .collect()
}

fn texts(batches: &[RecordBatch], column: usize) -> Vec<String> {
    batches
        .iter()
        .flat_map(|b| {
            let a = b.column(column).as_string::<i32>();
            (0..a.len())
                .map(|i| a.value(i).to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[tokio::test]
async fn insert_update_delete_become_one_request_per_row() {
    let f = fixture(50, "w-token").await;
    let rows = f
        .q("INSERT INTO Deals (Title, Value, Currency) VALUES ('A', 10, 'EUR'), ('B', 20.5, 'USD') RETURNING Id, Title, Value")
        .await;
    let ids = int(&rows, 0);
    assert_eq!(ids.len(), 2);
    assert_eq!(texts(&rows, 1), vec!["A", "B"]);
    assert_eq!(amount(rows[0].column(2).as_ref(), 1), 20.5);
    let stats = f.sandbox.stats();
    assert_eq!(stats.route("POST /api/v2/deals"), 2);
    assert_eq!(stats.requests, 2, "{:?}", stats.by_route);

    f.sandbox.reset_stats();
    let changed = f
        .q(&format!(
            "UPDATE Deals SET Value = Value * 2, Title = Title || '!' WHERE Id IN ({}, {}) RETURNING Id, Value",
            ids[0], ids[1]
        ))
        .await;
    let values = amounts(&changed, 1);
    let mut pairs: Vec<(i64, f64)> = int(&changed, 0).into_iter().zip(values).collect();
    // rows are written concurrently: ids need not follow the order of VALUES
    let mut expected = vec![(ids[0], 20.0), (ids[1], 41.0)];
    expected.sort_by_key(|p| p.0);
    pairs.sort_by_key(|p| p.0);
    assert_eq!(pairs, expected);
    let back = f
        .q(&format!(
            "SELECT Title, Value FROM Deals WHERE Id IN ({}, {}) ORDER BY Title",
            ids[0], ids[1]
        ))
        .await;
    assert_eq!(texts(&back, 0), vec!["A!", "B!"]);
    assert_eq!(amounts(&back, 1), vec![20.0, 41.0]);
    let stats = f.sandbox.stats();
    assert_eq!(
        stats.route("PATCH /api/v2/deals/{id}"),
        2,
        "{:?}",
        stats.by_route
    );

    f.sandbox.reset_stats();
    f.q(&format!("DELETE FROM Deals WHERE Id = {}", ids[0]))
        .await;
    assert_eq!(f.sandbox.stats().route("DELETE /api/v2/deals/{id}"), 1);
    let left = f
        .q(&format!(
            "SELECT Id FROM Deals WHERE Id IN ({}, {}) AND IsDeleted = false",
            ids[0], ids[1]
        ))
        .await;
    assert_eq!(int(&left, 0), vec![ids[1]]);
}

#[tokio::test]
async fn parameters_take_their_column_types_and_sets_run_together() {
    let f = fixture(10, "w-token").await;
    let p = f
        .session
        .prepare("INSERT INTO Persons (Name, OrgId) VALUES (?, ?)")
        .await
        .unwrap();
    assert!(p.is_write());
    assert_eq!(p.schema.fields().len(), 0);
    assert_eq!(
        p.parameters,
        vec![
            Some(datafusion::arrow::datatypes::DataType::Utf8),
            Some(datafusion::arrow::datatypes::DataType::Int64)
        ]
    );
    let sets = (0..30)
        .map(|i| {
            p.bind(vec![
                ScalarValue::Utf8(Some(format!("Person {i}"))),
                ScalarValue::Int64(None),
            ])
            .unwrap()
        })
        .collect();
    let written = pipedrive_engine::Prepared::write_sets(sets).await;
    assert!(written.error.is_none(), "{:?}", written.error);
    assert_eq!(written.affected, 30);
    assert!(written.sets.iter().all(|s| *s == SetStatus::Done(1)));
    assert_eq!(f.sandbox.stats().route("POST /api/v2/persons"), 30);
}

#[tokio::test]
async fn what_cannot_be_written_is_refused_before_any_request() {
    let f = fixture(10, "w-token").await;
    let cases = [
        (
            "INSERT INTO Deals (Title, AddTime) VALUES ('x', NOW())",
            EngineErrorKind::Syntax,
            "read only",
        ),
        (
            "INSERT INTO Deals (Value) VALUES (1)",
            EngineErrorKind::Constraint,
            "Title",
        ),
        (
            "INSERT INTO Deals (Title) VALUES (NULL)",
            EngineErrorKind::Constraint,
            "NULL",
        ),
        (
            "UPDATE Deals SET UpdateTime = NOW()",
            EngineErrorKind::Syntax,
            "read only",
        ),
        (
            "UPDATE Deals SET Title = NULL WHERE Id = 1",
            EngineErrorKind::Constraint,
            "cannot be NULL",
        ),
        (
            "DELETE FROM Currencies",
            EngineErrorKind::Syntax,
            "read only",
        ),
        (
            "UPDATE CallLogs SET Subject = 'x'",
            EngineErrorKind::Syntax,
            "INSERT, DELETE",
        ),
        (
            "INSERT INTO Deals (Nope) VALUES (1)",
            EngineErrorKind::UnknownColumn,
            "Nope",
        ),
        (
            "INSERT INTO Deals (Title, LabelIds) VALUES ('x', 'a,b')",
            EngineErrorKind::TypeMismatch,
            "not an id",
        ),
    ];
    for (sql, kind, words) in cases {
        let err = match f.session.prepare(sql).await {
            Err(e) => e,
            Ok(p) => p
                .execute()
                .await
                .err()
                .unwrap_or_else(|| panic!("{sql}: accepted")),
        };
        assert_eq!(err.kind, kind, "{sql}: {}", err.message);
        assert!(err.message.contains(words), "{sql}: {}", err.message);
    }
    let writes: u64 = f
        .sandbox
        .stats()
        .by_route
        .iter()
        .filter(|(k, _)| !k.starts_with("GET"))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(writes, 0);
}

#[tokio::test]
async fn a_failing_row_stops_the_rest_and_the_error_says_what_was_written() {
    let f = fixture(10, "w-token").await;
    // OrgId 999999 does not exist: the API refuses the third row
    let p = f
        .session
        .prepare("INSERT INTO Persons (Name, OrgId) VALUES ('a', NULL), ('b', NULL), ('c', 999999), ('d', NULL)")
        .await
        .unwrap();
    let written = pipedrive_engine::Prepared::write_sets(vec![p]).await;
    let err = written.error.expect("refused");
    assert_eq!(
        err.kind,
        EngineErrorKind::Api(pipedrive_api::ErrorKind::Rejected)
    );
    assert!(err.message.contains("row 3"), "{}", err.message);
    assert!(err.message.contains("failed: rows 3"), "{}", err.message);
    assert!(written.affected >= 2, "{}", written.affected);
    let persons = f
        .q("SELECT Name FROM Persons WHERE Name IN ('a', 'b', 'c', 'd')")
        .await;
    assert_eq!(texts(&persons, 0).len() as u64, written.affected);
}

#[tokio::test]
async fn deletes_go_by_bulk_endpoints_and_insert_select_copies_rows() {
    let f = fixture(20, "w-token").await;
    let filters = int(&f.q("SELECT Id FROM Filters ORDER BY Id").await, 0);
    assert!(filters.len() >= 3, "{filters:?}");
    f.sandbox.reset_stats();
    let doomed = &filters[..3];
    let list = doomed
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let gone = f
        .q(&format!(
            "DELETE FROM Filters WHERE Id IN ({list}) RETURNING Id"
        ))
        .await;
    assert_eq!(int(&gone, 0), doomed.to_vec());
    let stats = f.sandbox.stats();
    assert_eq!(
        stats.route("DELETE /api/v1/filters"),
        1,
        "{:?}",
        stats.by_route
    );
    assert_eq!(stats.route("DELETE /api/v1/filters/{id}"), 0);
    let left = int(&f.q("SELECT Id FROM Filters").await, 0);
    assert!(doomed.iter().all(|d| !left.contains(d)), "{left:?}");

    // a deal's products: one bulk request per deal
    f.q("INSERT INTO DealsProducts (DealId, ProductId, ItemPrice, Quantity) VALUES (3, 1, 5, 1), (3, 2, 6, 1), (4, 1, 7, 1)")
        .await;
    f.sandbox.reset_stats();
    f.q("DELETE FROM DealsProducts WHERE DealId IN (3, 4)")
        .await;
    let stats = f.sandbox.stats();
    assert_eq!(
        stats.route("DELETE /api/v2/deals/{id}/products"),
        2,
        "{:?}",
        stats.by_route
    );
    assert!(f
        .q("SELECT Id FROM DealsProducts WHERE DealId IN (3, 4)")
        .await
        .iter()
        .all(|b| b.num_rows() == 0));

    // INSERT ... SELECT: rows of a query become new rows
    f.sandbox.reset_stats();
    let copied = f
        .q("INSERT INTO Deals (Title, Value) SELECT 'Copy of ' || Title, Value FROM Deals WHERE Id IN (1, 2) RETURNING Title")
        .await;
    let titles = texts(&copied, 0);
    assert_eq!(titles.len(), 2);
    assert!(
        titles.iter().all(|t| t.starts_with("Copy of ")),
        "{titles:?}"
    );
    assert_eq!(f.sandbox.stats().route("POST /api/v2/deals"), 2);
}

#[tokio::test]
async fn set_and_monetary_custom_fields_are_written_by_label_and_in_parts() {
    let f = fixture(10, "w-token").await;
    let fields = f
        .q("SELECT FieldName, FieldType, Options FROM DealFields WHERE IsCustomField = true AND FieldType IN ('set', 'monetary', 'daterange')")
        .await;
    let (names, types, options) = (texts(&fields, 0), texts(&fields, 1), texts(&fields, 2));
    let find = |t: &str| types.iter().position(|x| x == t).expect(t);
    let (set, money, range) = (find("set"), find("monetary"), find("daterange"));
    let labels: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(&options[set])
        .unwrap()
        .iter()
        .map(|o| o["label"].as_str().unwrap().to_string())
        .collect();
    let (s, m, r) = (&names[set], &names[money], &names[range]);
    let made = f
        .q(&format!(
            "INSERT INTO Deals (Title, \"{s}\", \"{m}\", \"{m} Currency\", \"{r}\", \"{r} Until\") \
             VALUES ('Custom', '{}, {}', 250.5, 'USD', DATE '2026-01-01', DATE '2026-03-31') RETURNING Id",
            labels[0], labels[2].to_uppercase()
        ))
        .await;
    let id = int(&made, 0)[0];
    let read = |sql: String| {
        let f = &f;
        async move { f.q(&sql).await }
    };
    let back = read(format!(
        "SELECT \"{s}\", \"{m} Currency\" FROM Deals \
         WHERE Id = {id} AND \"{m}\" = 250.5 AND \"{r} Until\" = DATE '2026-03-31'"
    ))
    .await;
    assert_eq!(
        texts(&back, 0),
        vec![format!("{},{}", labels[0], labels[2])]
    );
    assert_eq!(texts(&back, 1), vec!["USD"]);
    // one part of a composite field: the other part is kept
    f.q(&format!("UPDATE Deals SET \"{m}\" = 99 WHERE Id = {id}"))
        .await;
    let back = read(format!(
        "SELECT \"{m} Currency\" FROM Deals WHERE Id = {id} AND \"{m}\" = 99"
    ))
    .await;
    assert_eq!(texts(&back, 0), vec!["USD"]);
}

#[tokio::test]
async fn written_columns_are_named_in_any_case_like_read_ones() {
    let f = fixture(20, "w-case").await;
    // Persons is set up by this statement (not at connect): its columns are known all the same
    let rows = f
        .q("insert into persons (name, jobtitle) values ('Ada Case', 'Engineer') returning id, NAME")
        .await;
    let id = int(&rows, 0)[0];
    assert_eq!(texts(&rows, 1), ["Ada Case"]);
    let rows = f
        .q(&format!(
            "update PERSONS p set name = 'Ada Case-Lower', \"JobTitle\" = upper(jobtitle) where p.id = {id} returning Name, JobTitle"
        ))
        .await;
    assert_eq!(texts(&rows, 0), ["Ada Case-Lower"]);
    assert_eq!(texts(&rows, 1), ["ENGINEER"]);
}

/// Lists kept under a record, relationships of organizations, boards and phases: a row is
/// added, changed and removed through the endpoints the specs give them, each one request.
#[tokio::test]
async fn rows_under_records_and_project_boards_are_written() {
    let f = fixture(20, "w-token").await;
    // (table, where its rows are, columns and values of the new row, a change and the
    // column and value it leaves, the routes of insert, update and delete)
    let cases: &[(&str, &str, &str, &str, &str, [&str; 3])] = &[
        (
            "DealsDiscounts",
            "DealId = 5",
            "(DealId, Type, Amount, Description) VALUES (5, 'percentage', 10, 'Früh 早')",
            "Amount = 12.5",
            "Amount",
            [
                "POST /api/v2/deals/{id}/discounts",
                "PATCH /api/v2/deals/{id}/discounts/{discount_id}",
                "DELETE /api/v2/deals/{id}/discounts/{discount_id}",
            ],
        ),
        (
            "DealsInstallments",
            "DealId = 6",
            "(DealId, Amount, BillingDate, Description) VALUES (6, 250, DATE '2027-01-15', 'first')",
            "BillingDate = DATE '2027-02-15'",
            "BillingDate",
            [
                "POST /api/v2/deals/{id}/installments",
                "PATCH /api/v2/deals/{id}/installments/{installment_id}",
                "DELETE /api/v2/deals/{id}/installments/{installment_id}",
            ],
        ),
        (
            "ProductsVariations",
            "ProductId = 2",
            "(ProductId, Name) VALUES (2, 'Größe XL')",
            "Name = 'XXL'",
            "Name",
            [
                "POST /api/v2/products/{id}/variations",
                "PATCH /api/v2/products/{id}/variations/{product_variation_id}",
                "DELETE /api/v2/products/{id}/variations/{product_variation_id}",
            ],
        ),
        (
            "OrganizationRelationships",
            "OrgId = 5",
            "(OrgId, Type, OwnerOrgId, LinkedOrgId) VALUES (5, 'related', 5, 9)",
            "Type = 'parent'",
            "Type",
            [
                "POST /api/v1/organizationRelationships",
                "PUT /api/v1/organizationRelationships/{id}",
                "DELETE /api/v1/organizationRelationships/{id}",
            ],
        ),
        (
            "Boards",
            "true",
            "(Name, OrderNr) VALUES ('Onboarding', 7)",
            "Name = 'Onboarding 2'",
            "Name",
            [
                "POST /api/v2/boards",
                "PATCH /api/v2/boards/{id}",
                "DELETE /api/v2/boards/{id}",
            ],
        ),
        (
            "Phases",
            "BoardId = 1",
            "(BoardId, Name, OrderNr) VALUES (1, 'Review', 9)",
            "Name = 'Final review'",
            "Name",
            [
                "POST /api/v2/phases",
                "PATCH /api/v2/phases/{id}",
                "DELETE /api/v2/phases/{id}",
            ],
        ),
    ];
    for (table, at, values, change, column, [insert, update, delete]) in cases {
        f.sandbox.reset_stats();
        let added = f
            .q(&format!("INSERT INTO {table} {values} RETURNING Id"))
            .await;
        assert_eq!(f.sandbox.stats().route(insert), 1, "{table}: {insert}");
        let id = match common::cell_json(added[0].column(0).as_ref(), 0) {
            serde_json::Value::String(s) => format!("'{s}'"),
            other => other.to_string(),
        };
        let row = format!("{at} AND Id = {id}");

        f.sandbox.reset_stats();
        let changed = f
            .q(&format!(
                "UPDATE {table} SET {change} WHERE {row} RETURNING {column}"
            ))
            .await;
        assert_eq!(f.sandbox.stats().route(update), 1, "{table}: {update}");
        let back = f
            .q(&format!("SELECT {column} FROM {table} WHERE {row}"))
            .await;
        assert_eq!(
            common::cell_json(back[0].column(0).as_ref(), 0),
            common::cell_json(changed[0].column(0).as_ref(), 0),
            "{table}: the change is read back"
        );

        f.sandbox.reset_stats();
        f.q(&format!("DELETE FROM {table} WHERE {row}")).await;
        assert_eq!(f.sandbox.stats().route(delete), 1, "{table}: {delete}");
        let left = f.q(&format!("SELECT Id FROM {table} WHERE {row}")).await;
        assert_eq!(common::rows(&left), 0, "{table}: the row is gone");
    }
}

/// A mail thread is marked read and linked to a deal; an archived deal leaves `Deals` for
/// `ArchivedDeals` and comes back.
#[tokio::test]
async fn mail_threads_and_archived_deals_are_written() {
    let f = fixture(20, "w-token").await;
    let thread = int(
        &f.q("SELECT Id FROM MailThreads WHERE Folder = 'inbox' LIMIT 1")
            .await,
        0,
    )[0];
    f.sandbox.reset_stats();
    f.q(&format!(
        "UPDATE MailThreads SET ReadFlag = 1, DealId = 3 WHERE Id = {thread}"
    ))
    .await;
    assert_eq!(
        f.sandbox
            .stats()
            .route("PUT /api/v1/mailbox/mailThreads/{id}"),
        1
    );
    let back = f
        .q(&format!(
            "SELECT ReadFlag, DealId FROM MailThreads WHERE Id = {thread}"
        ))
        .await;
    assert_eq!((int(&back, 0), int(&back, 1)), (vec![1], vec![3]));

    f.q("UPDATE Deals SET IsArchived = true WHERE Id = 7").await;
    assert!(!ids_of(&f, "SELECT Id FROM Deals WHERE Title IS NOT NULL")
        .await
        .contains(&7));
    assert!(ids_of(&f, "SELECT Id FROM ArchivedDeals")
        .await
        .contains(&7));
    // brought back from the archive
    f.sandbox.reset_stats();
    f.q("UPDATE ArchivedDeals SET IsArchived = false WHERE Id = 7")
        .await;
    assert_eq!(f.sandbox.stats().route("PATCH /api/v2/deals/{id}"), 1);
    assert!(ids_of(&f, "SELECT Id FROM Deals WHERE Title IS NOT NULL")
        .await
        .contains(&7));
    assert!(!ids_of(&f, "SELECT Id FROM ArchivedDeals")
        .await
        .contains(&7));
}

async fn ids_of(f: &common::Fixture, sql: &str) -> Vec<i64> {
    int(&f.q(sql).await, 0)
}

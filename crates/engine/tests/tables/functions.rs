//! Table functions through SQL: every row and column equals the API's own answer to the same
//! request, one request a page, and calls with missing or wrong arguments fail clearly.

use crate::common::{assert_same_rows, fixture, raw_list, rows};
use datafusion::arrow::array::AsArray;
use pipedrive_engine::catalog::function;
use pipedrive_engine::EngineErrorKind;
use serde_json::Value;

/// (SQL call, the route it asks, the same list asked of the API directly)
const CALLS: &[(&str, &str, &str)] = &[
    (
        "DealsSearch('an')",
        "GET /api/v2/deals/search",
        "/deals/search?term=an",
    ),
    (
        "DealsSearch('an', NULL, 'title', NULL, NULL, 'open')",
        "GET /api/v2/deals/search",
        "/deals/search?term=an&fields=title&status=open",
    ),
    (
        "PersonsSearch('an')",
        "GET /api/v2/persons/search",
        "/persons/search?term=an",
    ),
    (
        "OrganizationsSearch('an', false)",
        "GET /api/v2/organizations/search",
        "/organizations/search?term=an&exact_match=false",
    ),
    (
        "ProductsSearch('SKU')",
        "GET /api/v2/products/search",
        "/products/search?term=SKU",
    ),
    (
        "LeadsSearch('lead')",
        "GET /api/v2/leads/search",
        "/leads/search?term=lead",
    ),
    (
        "ProjectsSearch('Onboarding')",
        "GET /api/v2/projects/search",
        "/projects/search?term=Onboarding",
    ),
    (
        "ItemsSearch('an', NULL, NULL, 'deal,person')",
        "GET /api/v2/itemSearch",
        "/itemSearch?term=an&item_types=deal,person",
    ),
    (
        "ItemsFieldSearch('SKU-0001', 'product', 'code', 'beginning')",
        "GET /api/v2/itemSearch/field",
        "/itemSearch/field?term=SKU-0001&entity_type=product&field=code&match=beginning",
    ),
    (
        "DealsTimeline('2025-01-01', 'month', 6, 'add_time')",
        "GET /api/v1/deals/timeline",
        "/deals/timeline?start_date=2025-01-01&interval=month&amount=6&field_key=add_time",
    ),
    (
        "PipelineConversionStatistics(1, '2020-01-01', '2026-12-31')",
        "GET /api/v1/pipelines/{id}/conversion_statistics",
        "/pipelines/1/conversion_statistics?start_date=2020-01-01&end_date=2026-12-31",
    ),
    (
        "PipelineMovementStatistics(1, '2020-01-01', '2026-12-31')",
        "GET /api/v1/pipelines/{id}/movement_statistics",
        "/pipelines/1/movement_statistics?start_date=2020-01-01&end_date=2026-12-31",
    ),
    (
        "Recents('2020-01-01 00:00:00', 'deal,person')",
        "GET /api/v1/recents",
        "/recents?since_timestamp=2020-01-01 00:00:00&items=deal,person",
    ),
    (
        "UsersFind('example', true)",
        "GET /api/v1/users/find",
        "/users/find?term=example&search_by_email=true",
    ),
];

/// The elements of the array `key` of each record, each with its record under `_parent`.
fn exploded(key: Option<&str>, records: Vec<Value>) -> Vec<Value> {
    let Some(key) = key else { return records };
    let mut out = vec![];
    for record in records {
        for mut item in record[key].as_array().cloned().unwrap_or_default() {
            item["_parent"] = record.clone();
            out.push(item);
        }
    }
    out
}

#[tokio::test]
async fn every_row_and_column_of_a_table_function_equals_the_api() {
    let f = fixture(300, "functions-equal").await;
    for (call, route, raw_path) in CALLS {
        let name = call.split('(').next().unwrap();
        let def = function(name).unwrap_or_else(|| panic!("{name} is a table function"));
        f.sandbox.reset_stats();
        let out = f.q(&format!("SELECT * FROM {call}")).await;
        let stats = f.sandbox.stats();

        let (raw, n_pages) = raw_list(&f.client, def, raw_path).await;
        // as many requests as the list has pages (one, but for the long feed of recents)
        assert_eq!(
            (stats.requests, stats.route(route)),
            (n_pages, n_pages),
            "{call}: {stats:?}"
        );
        let raw = exploded(def.explode, raw);
        assert!(!raw.is_empty(), "{raw_path} finds rows in the demo company");
        assert_same_rows(call, def, &out, &raw);
    }
}

#[tokio::test]
async fn a_goal_result_is_read_by_the_goal_in_the_path() {
    let f = fixture(300, "functions-goal").await;
    let goals = f.q("SELECT Id FROM Goals").await;
    let goal = goals[0].column(0).as_string::<i32>().value(0).to_string();
    f.sandbox.reset_stats();
    let out = f
        .q(&format!(
            "SELECT GoalId, Progress, Target FROM GoalResults('{goal}', '2020-01-01', '2026-12-31')"
        ))
        .await;
    assert_eq!(f.sandbox.stats().route("GET /api/v1/goals/{id}/results"), 1);
    assert_eq!(rows(&out), 1);
    assert_eq!(out[0].column(0).as_string::<i32>().value(0), goal);
    let period = [
        ("period.start".to_string(), "2020-01-01".to_string()),
        ("period.end".to_string(), "2026-12-31".to_string()),
    ];
    let raw = f
        .client
        .get_json(
            pipedrive_api::ApiVersion::V1,
            &format!("/goals/{goal}/results"),
            &period,
        )
        .await
        .unwrap()["data"]
        .clone();
    let progress = out[0]
        .column(1)
        .as_primitive::<datafusion::arrow::datatypes::Int64Type>()
        .value(0);
    assert_eq!(Some(progress), raw["progress"].as_i64());
    assert!(progress > 0, "deals were won in the period");
}

#[tokio::test]
async fn table_functions_filter_and_join_like_tables() {
    let f = fixture(300, "functions-sql").await;
    let all = f.q("SELECT Id FROM DealsSearch('an')").await;
    let open = f
        .q(
            "SELECT d.Id, s.Title FROM dealssearch('an') s JOIN Deals d ON d.Id = s.Id \
            WHERE s.Status = 'open' ORDER BY s.ResultScore DESC, s.Id",
        )
        .await;
    assert!(rows(&open) > 0 && rows(&open) < rows(&all));
    // EXPLAIN shows the request with its arguments
    let out = f.q("EXPLAIN SELECT * FROM DealsSearch('an', true)").await;
    let plan = out[0].column(1).as_string::<i32>().value(2).to_string();
    assert!(
        plan.contains("GET /api/v2/deals/search?term=an&exact_match=true"),
        "{plan}"
    );
}

#[tokio::test]
async fn wrong_calls_say_what_the_function_takes() {
    let f = fixture(50, "functions-errors").await;
    let cases: &[(&str, EngineErrorKind, &str)] = &[
        (
            "SELECT * FROM DealsSearch()",
            EngineErrorKind::Syntax,
            "DealsSearch needs its argument Term",
        ),
        (
            "SELECT * FROM DealsSearch(NULL)",
            EngineErrorKind::Syntax,
            "DealsSearch(Term, [ExactMatch], [Fields], [PersonId], [OrganizationId], [Status])",
        ),
        (
            "SELECT * FROM PersonsSearch('an', 'perhaps')",
            EngineErrorKind::TypeMismatch,
            "ExactMatch: perhaps is not true or false",
        ),
        (
            "SELECT * FROM ItemsFieldSearch('SKU')",
            EngineErrorKind::Syntax,
            "needs its argument EntityType",
        ),
        (
            "SELECT * FROM NoSuchSearch('x')",
            EngineErrorKind::UnknownTable,
            "NoSuchSearch",
        ),
    ];
    for (sql, kind, text) in cases {
        let e = f.session.query(sql).await.expect_err(sql);
        assert_eq!(e.kind, *kind, "{sql}: {}", e.message);
        assert!(e.message.contains(text), "{sql}: {}", e.message);
    }
    // the API's own refusal: a term too short
    let e = f
        .session
        .query("SELECT * FROM DealsSearch('a')")
        .await
        .expect_err("one letter");
    assert!(e.message.contains("at least 2 characters"), "{}", e.message);
    assert_eq!(f.sandbox.stats().route("GET /api/v2/deals/search"), 1);
}

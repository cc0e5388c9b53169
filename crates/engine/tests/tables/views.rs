//! Views of lists kept under a record or about the account, read through SQL: every row and
//! every column equals the API's own answer, and a query filtered on the parent's key makes
//! exactly one request.

use crate::common::{cell_json, fixture, rows, same_value};
use futures_util::TryStreamExt;
use pipedrive_api::ListRequest;
use pipedrive_engine::catalog::table;
use serde_json::Value;

/// (table, parent filter or none, the one route asked, the same list asked directly)
const CASES: &[(&str, Option<&str>, &str, &str)] = &[
    (
        "DealsChangelog",
        Some("DealId = 3"),
        "GET /api/v1/deals/{id}/changelog",
        "/deals/3/changelog",
    ),
    (
        "OrganizationsFlow",
        Some("OrgId = 2"),
        "GET /api/v1/organizations/{id}/flow",
        "/organizations/2/flow",
    ),
    (
        "ProjectsChangelog",
        Some("ProjectId = 1"),
        "GET /api/v2/projects/{id}/changelog",
        "/projects/1/changelog",
    ),
    (
        "DealsParticipantsChangelog",
        Some("DealId = 4"),
        "GET /api/v1/deals/{id}/participantsChangelog",
        "/deals/4/participantsChangelog",
    ),
    (
        "PersonsFollowersChangelog",
        Some("PersonId = 6"),
        "GET /api/v2/persons/{id}/followers/changelog",
        "/persons/6/followers/changelog",
    ),
    (
        "UsersPermissions",
        Some("UserId = 2"),
        "GET /api/v1/users/{id}/permissions",
        "/users/2/permissions",
    ),
    (
        "UsersRoleSettings",
        Some("UserId = 1"),
        "GET /api/v1/users/{id}/roleSettings",
        "/users/1/roleSettings",
    ),
    (
        "UsersRoleAssignments",
        Some("UserId = 3"),
        "GET /api/v1/users/{id}/roleAssignments",
        "/users/3/roleAssignments",
    ),
    (
        "RolesPipelines",
        Some("RoleId = 1"),
        "GET /api/v1/roles/{id}/pipelines",
        "/roles/1/pipelines",
    ),
    (
        "UserSettings",
        None,
        "GET /api/v1/userSettings",
        "/userSettings",
    ),
    (
        "UserConnections",
        None,
        "GET /api/v1/userConnections",
        "/userConnections",
    ),
    (
        "SubscriptionAddons",
        None,
        "GET /api/v1/billing/subscriptions/addons",
        "/billing/subscriptions/addons",
    ),
    ("LeadFields", None, "GET /api/v1/leadFields", "/leadFields"),
    (
        "DealsSummary",
        None,
        "GET /api/v1/deals/summary",
        "/deals/summary",
    ),
    (
        "DealsDiscounts",
        Some("DealId = 5"),
        "GET /api/v2/deals/{id}/discounts",
        "/deals/5/discounts",
    ),
    (
        "DealsInstallments",
        Some("DealId = 14"),
        "GET /api/v2/deals/installments",
        "/deals/installments?deal_ids=14",
    ),
    (
        "ProductsVariations",
        Some("ProductId = 3"),
        "GET /api/v2/products/{id}/variations",
        "/products/3/variations",
    ),
    ("Boards", None, "GET /api/v2/boards", "/boards"),
    (
        "Phases",
        Some("BoardId = 2"),
        "GET /api/v2/phases",
        "/phases?board_id=2",
    ),
    (
        "ProjectTemplates",
        None,
        "GET /api/v2/projectTemplates",
        "/projectTemplates",
    ),
    ("NoteFields", None, "GET /api/v1/noteFields", "/noteFields"),
];

fn at<'a>(record: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(record, |v, k| &v[k])
}

#[tokio::test]
async fn every_row_and_column_equals_the_api_with_one_request() {
    let f = fixture(100, "views-equal").await;
    for (name, filter, route, raw_path) in CASES {
        let def = table(name).unwrap_or_else(|| panic!("{name} is a table"));
        let sql = match filter {
            Some(w) => format!("SELECT * FROM {name} WHERE {w}"),
            None => format!("SELECT * FROM {name}"),
        };
        f.sandbox.reset_stats();
        let out = f.q(&sql).await;
        let stats = f.sandbox.stats();
        assert_eq!(
            (stats.requests, stats.route(route)),
            (1, 1),
            "{sql}: {stats:?}"
        );

        let (path, query) = raw_path.split_once('?').unwrap_or((raw_path, ""));
        let mut request = ListRequest::new(def.version, path);
        request.query = query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        request.rows_at = def.rows_at.map(String::from);
        request.one_row = def.one_row;
        let pages: Vec<_> = f.client.list(request).try_collect().await.unwrap();
        let mut raw: Vec<Value> = pages.into_iter().flat_map(|p| p.rows).collect();
        assert!(!raw.is_empty(), "{raw_path} has rows in the demo company");
        // a child's rows carry their parent's key as the filter names it
        if let (Some(parent), Some(w)) = (def.parent, filter) {
            let key: i64 = w.rsplit(' ').next().unwrap().parse().unwrap();
            for r in &mut raw {
                r[parent.field] = Value::from(key);
            }
        }
        assert_eq!(rows(&out), raw.len(), "{sql}");
        let mut n = 0;
        for batch in &out {
            for row in 0..batch.num_rows() {
                for (c, column) in def.columns.iter().enumerate() {
                    let expected = at(&raw[n], column.path);
                    let got = cell_json(batch.column(c).as_ref(), row);
                    assert!(
                        same_value(expected, &got),
                        "{sql}: row {n} {}: API {expected}, SQL {got}",
                        column.name
                    );
                }
                n += 1;
            }
        }
    }
}

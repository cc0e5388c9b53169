//! Views of lists kept under a record or about the account (mail, archived rows, pictures...),
//! read through SQL: every row and every column equals the API's own answer, and a query
//! filtered on the parent's key makes exactly one request.

use crate::common::{assert_same_rows, fixture, raw_list};
use pipedrive_engine::catalog::{table, TableDef, PARENT_RECORD};
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
        "PermissionSets",
        None,
        "GET /api/v1/permissionSets",
        "/permissionSets",
    ),
    (
        "PermissionSetsAssignments",
        Some("PermissionSetId = '00000002-0000-4000-a000-000000000001'"),
        "GET /api/v1/permissionSets/{id}/assignments",
        "/permissionSets/00000002-0000-4000-a000-000000000001/assignments",
    ),
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
        "ProjectsGroups",
        Some("ProjectId = 2"),
        "GET /api/v1/projects/{id}/groups",
        "/projects/2/groups",
    ),
    (
        "ProjectsPlan",
        Some("ProjectId = 2"),
        "GET /api/v1/projects/{id}/plan",
        "/projects/2/plan",
    ),
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
    (
        "MailThreads",
        Some("Folder = 'sent'"),
        "GET /api/v1/mailbox/mailThreads",
        "/mailbox/mailThreads?folder=sent",
    ),
    (
        "MailMessages",
        Some("MailThreadId = 1"),
        "GET /api/v1/mailbox/mailThreads/{id}/mailMessages",
        "/mailbox/mailThreads/1/mailMessages",
    ),
    (
        "MailMessagesTo",
        Some("MailThreadId = 1"),
        "GET /api/v1/mailbox/mailThreads/{id}/mailMessages",
        "/mailbox/mailThreads/1/mailMessages",
    ),
    (
        "MailMessagesFrom",
        Some("MailThreadId = 2"),
        "GET /api/v1/mailbox/mailThreads/{id}/mailMessages",
        "/mailbox/mailThreads/2/mailMessages",
    ),
    (
        "DealsMailMessages",
        Some("DealId = 1"),
        "GET /api/v1/deals/{id}/mailMessages",
        "/deals/1/mailMessages",
    ),
    (
        "PersonsMailMessages",
        Some("PersonId = 22"),
        "GET /api/v1/persons/{id}/mailMessages",
        "/persons/22/mailMessages",
    ),
    (
        "OrganizationsMailMessages",
        Some("OrgId = 13"),
        "GET /api/v1/organizations/{id}/mailMessages",
        "/organizations/13/mailMessages",
    ),
    (
        "ArchivedLeads",
        None,
        "GET /api/v1/leads/archived",
        "/leads/archived",
    ),
    (
        "ArchivedProjects",
        None,
        "GET /api/v2/projects/archived",
        "/projects/archived",
    ),
    (
        "ProjectsActivities",
        Some("ProjectId = 1"),
        "GET /api/v1/projects/{id}/activities",
        "/projects/1/activities",
    ),
    (
        "ProductsDeals",
        Some("ProductId = 1"),
        "GET /api/v1/products/{id}/deals",
        "/products/1/deals",
    ),
    (
        "PersonsProducts",
        Some("PersonId = 9"),
        "GET /api/v1/persons/{id}/products",
        "/persons/9/products",
    ),
    (
        "PersonsPictures",
        Some("PersonId = 3"),
        "GET /api/v2/persons/{id}/picture",
        "/persons/3/picture",
    ),
    (
        "ProductsImages",
        Some("ProductId = 2"),
        "GET /api/v2/products/{id}/images",
        "/products/2/images",
    ),
];

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
        // a table with custom fields reads their definitions when first named
        let definitions = def
            .custom_fields
            .map_or(0, |path| stats.route(&format!("GET /api/v2{path}")));
        assert_eq!(
            (stats.requests - definitions, stats.route(route)),
            (1, 1),
            "{sql}: {stats:?}"
        );

        let (raw, _) = raw_list(&f.client, def, raw_path).await;
        let mut raw = as_rows(def, raw);
        assert!(!raw.is_empty(), "{raw_path} has rows in the demo company");
        // a child's rows carry their parent's key as the filter names it; so do the rows of a
        // list asked for one value of a parameter it requires (a mail folder)
        let carried = def.parent.map(|p| p.field).or(def.each.map(|e| e.param));
        if let (Some(field), Some(w)) = (carried, filter) {
            let text = w.rsplit(' ').next().unwrap();
            let key = match text.parse::<i64>() {
                Ok(n) => Value::from(n),
                Err(_) => Value::from(text.trim_matches('\'')),
            };
            for r in &mut raw {
                r[field] = key.clone();
            }
        }
        assert_same_rows(&sql, def, &out, &raw);
    }
}

/// Records as the rows of the table: the value under a record's one key (a person's products
/// by deal), the elements of a nested list each with its record (a message's recipients).
fn as_rows(def: &TableDef, records: Vec<Value>) -> Vec<Value> {
    let records = records.into_iter().map(|r| match (def.keyed, r) {
        (true, Value::Object(one)) => {
            assert_eq!(one.len(), 1, "{}: a record of one key", def.name);
            one.into_iter().next().unwrap().1
        }
        (_, r) => r,
    });
    match def.explode {
        Some(list) => records
            .flat_map(|record| {
                let items = record[list].as_array().cloned().unwrap_or_default();
                items.into_iter().map(move |mut item| {
                    item[PARENT_RECORD] = record.clone();
                    item
                })
            })
            .collect(),
        None => records.collect(),
    }
}

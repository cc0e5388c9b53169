//! The local cache against the sandbox: after rows are created, changed and deleted directly
//! through the API, a cached read equals a fresh one (at the cost the refresh rules promise);
//! offline reads; field definitions kept across connections; the file private and free of
//! secrets; the CACHE statements.

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::datatypes::Int64Type;
use datafusion::arrow::util::pretty::pretty_format_batches;
use pipedrive_api::{ApiVersion, Client, ClientConfig, Credentials, Method};
use pipedrive_engine::{EngineErrorKind, Properties, Session};
use pipedrive_sandbox::{DataSizes, Sandbox, SandboxConfig};
use serde_json::{json, Value};
use std::path::Path;

const TOKEN: &str = "cache-secret-token-7f3a";

fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig {
        sizes: DataSizes {
            deals: 1200,
            persons: 300,
            organizations: 80,
            ..DataSizes::default()
        },
        api_tokens: vec![TOKEN.to_string()],
        ..SandboxConfig::default()
    })
    .expect("sandbox")
}

fn client(sandbox: &Sandbox) -> Client {
    Client::new(ClientConfig::new(
        sandbox.base_url(),
        Credentials::ApiToken(TOKEN.into()),
    ))
    .unwrap()
}

async fn cached(
    base_url: &str,
    file: &Path,
    extra: &str,
) -> Result<Session, pipedrive_engine::EngineError> {
    let props = Properties::parse(&format!(
        "APIToken={TOKEN};BaseURL={base_url};CacheLocation={};{extra}",
        file.display()
    ))
    .unwrap();
    Session::from_properties(&props).await
}

async fn text(session: &Session, sql: &str) -> String {
    let batches = session
        .query(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    pretty_format_batches(&batches).unwrap().to_string()
}

fn count(batches: &[RecordBatch]) -> i64 {
    batches[0].column(0).as_primitive::<Int64Type>().value(0)
}

async fn ids(client: &Client, version: ApiVersion, path: &str) -> Vec<String> {
    let pages: Vec<_> = futures_util::TryStreamExt::try_collect(
        client.list(pipedrive_api::ListRequest::new(version, path)),
    )
    .await
    .unwrap();
    pages
        .into_iter()
        .flat_map(|p| p.rows.into_values().expect("rows"))
        .map(|r| match &r["id"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

/// Changes made directly through the API (not through the driver): `updated` rows renamed,
/// `deleted` rows deleted, two rows created.
struct Changes {
    table: &'static str,
    version: ApiVersion,
    path: &'static str,
    update: Method,
    field: &'static str,
}

impl Changes {
    /// Makes the changes (fewer on a table of a handful of rows); answers how many rows it
    /// deleted.
    async fn make(&self, client: &Client, updated: usize, deleted: usize) -> usize {
        let keys = ids(client, self.version, self.path).await;
        let (updated, deleted) = match keys.len() > 2 * (updated + deleted) {
            true => (updated, deleted),
            false => (1, 1),
        };
        assert!(
            keys.len() > updated + deleted,
            "{}: too few rows",
            self.table
        );
        for key in &keys[..updated] {
            let body = json!({ self.field: format!("changed {key}") });
            client
                .write(
                    self.update.clone(),
                    self.version,
                    &format!("{}/{key}", self.path),
                    Some(&body),
                )
                .await
                .unwrap_or_else(|e| panic!("{}: update {key}: {e}", self.table));
        }
        for key in &keys[updated..updated + deleted] {
            client
                .write(
                    Method::DELETE,
                    self.version,
                    &format!("{}/{key}", self.path),
                    None,
                )
                .await
                .unwrap_or_else(|e| panic!("{}: delete {key}: {e}", self.table));
        }
        for n in 0..2 {
            let body = json!({ self.field: format!("created {n}") });
            client
                .write(Method::POST, self.version, self.path, Some(&body))
                .await
                .unwrap_or_else(|e| panic!("{}: create: {e}", self.table));
        }
        deleted
    }
}

#[tokio::test]
async fn deals_changed_and_deleted_directly_are_exact_after_a_refresh_of_two_requests() {
    let sandbox = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cache.db");
    let session = cached(sandbox.base_url(), &file, "AutoCache=1")
        .await
        .unwrap();
    let all = "SELECT * FROM Deals ORDER BY Id";
    // a first read that stops early asks what it would without the cache, and leaves the
    // table for a whole read
    sandbox.reset_stats();
    let few = session.query("SELECT Id FROM Deals LIMIT 5").await.unwrap();
    assert_eq!(few.iter().map(|b| b.num_rows()).sum::<usize>(), 5);
    assert_eq!(sandbox.stats().requests, 1);
    let first = text(&session, all).await;
    let api = client(&sandbox);
    let deals = Changes {
        table: "Deals",
        version: ApiVersion::V2,
        path: "/deals",
        update: Method::PATCH,
        field: "title",
    };
    deals.make(&api, 10, 3).await;
    sandbox.reset_stats();
    let second = text(&session, all).await;
    assert_eq!(
        sandbox.stats().requests,
        2,
        "the changed rows and the deleted ones"
    );
    let fresh = Session::connect(api.clone()).await.unwrap();
    assert_eq!(
        second,
        text(&fresh, all).await,
        "the cached read is the API's rows"
    );
    assert_ne!(first, second);
    // a tolerance serves the cached copy with no request at all
    let tolerant = cached(sandbox.base_url(), &file, "AutoCache=1;CacheTolerance=3600")
        .await
        .unwrap();
    sandbox.reset_stats();
    assert_eq!(text(&tolerant, all).await, second);
    assert_eq!(sandbox.stats().requests, 0);
    // EXPLAIN says where the rows come from
    let plan = text(&session, &format!("EXPLAIN {all}")).await;
    assert!(plan.contains("answered from the local cache"), "{plan}");
}

#[tokio::test]
async fn every_cached_table_equals_a_fresh_read_within_its_reconcile_rule() {
    let sandbox = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cache.db");
    let api = client(&sandbox);
    let tables = [
        Changes {
            table: "Persons",
            version: ApiVersion::V2,
            path: "/persons",
            update: Method::PATCH,
            field: "name",
        },
        Changes {
            table: "Organizations",
            version: ApiVersion::V2,
            path: "/organizations",
            update: Method::PATCH,
            field: "name",
        },
        Changes {
            table: "Products",
            version: ApiVersion::V2,
            path: "/products",
            update: Method::PATCH,
            field: "name",
        },
        Changes {
            table: "Activities",
            version: ApiVersion::V2,
            path: "/activities",
            update: Method::PATCH,
            field: "subject",
        },
        Changes {
            table: "Notes",
            version: ApiVersion::V1,
            path: "/notes",
            update: Method::PUT,
            field: "content",
        },
        Changes {
            table: "Leads",
            version: ApiVersion::V1,
            path: "/leads",
            update: Method::PATCH,
            field: "title",
        },
        // read whole at every refresh: no update-time filter
        Changes {
            table: "Projects",
            version: ApiVersion::V2,
            path: "/projects",
            update: Method::PATCH,
            field: "title",
        },
        Changes {
            table: "Pipelines",
            version: ApiVersion::V2,
            path: "/pipelines",
            update: Method::PATCH,
            field: "name",
        },
    ];
    // reconciled on every refresh: exact whatever happened
    let exact = cached(
        sandbox.base_url(),
        &file,
        "AutoCache=1;CacheReconcileInterval=0",
    )
    .await
    .unwrap();
    // the default rule: changes at once, deletions at the next whole read
    let hourly = cached(
        sandbox.base_url(),
        &dir.path().join("hourly.db"),
        "AutoCache=1",
    )
    .await
    .unwrap();
    let fresh = Session::connect(api.clone()).await.unwrap();
    for t in &tables {
        let all = format!("SELECT * FROM {} ORDER BY Id", t.table);
        text(&exact, &all).await;
        text(&hourly, &all).await;
        let deleted = t.make(&api, 3, 2).await;
        let expected = text(&fresh, &all).await;
        assert_eq!(text(&exact, &all).await, expected, "{}", t.table);
        let counted = format!("SELECT count(*) FROM {}", t.table);
        let live = count(&fresh.query(&counted).await.unwrap());
        let kept = count(&hourly.query(&counted).await.unwrap());
        // the rule CACHE STATUS states for the table
        let status = hourly.query("CACHE STATUS").await.unwrap();
        let (names, rules) = (
            status[0].column(0).as_string::<i32>(),
            status[0].column(5).as_string::<i32>(),
        );
        let rule = (0..names.len())
            .find(|&i| names.value(i) == t.table)
            .map(|i| rules.value(i).to_string())
            .expect("listed");
        let stale = match rule.as_str() {
            "every refresh reads the whole table" => 0,
            r if r.starts_with("a whole read every") => deleted as i64,
            r => panic!("{}: unexpected rule {r}", t.table),
        };
        assert_eq!(
            kept,
            live + stale,
            "{}: deleted rows stay until the next whole read ({rule})",
            t.table
        );
        let changed = format!(
            "SELECT count(*) FROM {} WHERE {} LIKE 'c%ed %'",
            t.table,
            column(t.field)
        );
        assert_eq!(
            count(&hourly.query(&changed).await.unwrap()),
            count(&fresh.query(&changed).await.unwrap()),
            "{}: creates and updates show at once",
            t.table
        );
        text(&hourly, &format!("CACHE RELOAD {}", t.table)).await;
        assert_eq!(
            text(&hourly, &all).await,
            expected,
            "{} after CACHE RELOAD",
            t.table
        );
    }
}

fn column(field: &str) -> &'static str {
    match field {
        "name" => "Name",
        "subject" => "Subject",
        "content" => "Content",
        _ => "Title",
    }
}

#[tokio::test]
async fn offline_reads_the_cache_and_refuses_writes_and_what_is_not_cached() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cache.db");
    let (base_url, expected) = {
        let sandbox = sandbox();
        let session = cached(sandbox.base_url(), &file, "AutoCache=1;CacheMetadata=1")
            .await
            .unwrap();
        let expected = text(&session, "SELECT * FROM Deals ORDER BY Id").await;
        (sandbox.base_url().to_string(), expected)
    };
    // the sandbox is stopped
    let offline = cached(&base_url, &file, "Offline=1").await.unwrap();
    assert_eq!(
        text(&offline, "SELECT * FROM Deals ORDER BY Id").await,
        expected
    );
    let e = offline
        .query("INSERT INTO Deals (Title) VALUES ('x')")
        .await
        .unwrap_err();
    assert_eq!(e.kind, EngineErrorKind::Cache);
    assert!(e.message.contains("offline"), "{}", e.message);
    let e = offline.query("SELECT * FROM Persons").await.unwrap_err();
    assert_eq!(e.kind, EngineErrorKind::Cache);
    assert!(
        e.message.contains("Persons is not in the cache"),
        "{}",
        e.message
    );
    // a child table is never cached: the request it needs is not sent
    let e = offline
        .query("SELECT * FROM DealsProducts")
        .await
        .unwrap_err();
    assert!(e.message.contains("offline"), "{}", e.message);
    // other credentials have nothing cached
    let props = Properties::parse(&format!(
        "APIToken=another;BaseURL={base_url};CacheLocation={};Offline=1",
        file.display()
    ))
    .unwrap();
    let e = Session::from_properties(&props)
        .await
        .err()
        .expect("refused");
    assert_eq!(e.kind, EngineErrorKind::Cache);
}

#[tokio::test]
async fn cache_metadata_makes_a_connection_cost_no_request() {
    let sandbox = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cache.db");
    cached(sandbox.base_url(), &file, "CacheMetadata=1")
        .await
        .unwrap();
    sandbox.reset_stats();
    let second = cached(sandbox.base_url(), &file, "CacheMetadata=1")
        .await
        .unwrap();
    assert_eq!(sandbox.stats().requests, 0);
    // the kept definitions give the custom fields their columns
    let plain = Session::connect(client(&sandbox)).await.unwrap();
    assert_eq!(columns(&second).await, columns(&plain).await);
}

async fn columns(session: &Session) -> Vec<String> {
    let table = session.table("Deals").await.unwrap().unwrap();
    table.columns.iter().map(|c| c.name.clone()).collect()
}

#[tokio::test]
async fn the_cache_file_is_private_and_holds_no_token() {
    let sandbox = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nested/cache.db");
    let session = cached(sandbox.base_url(), &file, "AutoCache=1;CacheMetadata=1")
        .await
        .unwrap();
    text(&session, "SELECT * FROM Deals").await;
    text(&session, "SELECT * FROM Users").await;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let folder = file.parent().unwrap();
    let mut searched = 0;
    for entry in std::fs::read_dir(folder).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        searched += bytes.len();
        assert!(!bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()));
    }
    assert!(searched > 100_000, "the rows are in the files searched");
}

#[tokio::test]
async fn cache_statements_refresh_reload_drop_and_list() {
    let sandbox = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let session = cached(sandbox.base_url(), &dir.path().join("c.db"), "AutoCache=1")
        .await
        .unwrap();
    text(&session, "SELECT * FROM Deals").await;
    text(&session, "SELECT * FROM Persons").await;
    let status = session.query("CACHE STATUS").await.unwrap();
    let names: Vec<&str> = status[0]
        .column(0)
        .as_string::<i32>()
        .iter()
        .flatten()
        .collect();
    assert_eq!(names, ["Deals", "Persons"]);
    let rows = status[0].column(1).as_primitive::<Int64Type>();
    assert_eq!(rows.value(0), sandbox.count("deals") as i64);
    sandbox.reset_stats();
    session.query("CACHE REFRESH Deals").await.unwrap();
    assert_eq!(sandbox.stats().requests, 2);
    let after = session.query("CACHE DROP Persons").await.unwrap();
    assert_eq!(after[0].num_rows(), 1);
    let e = session
        .query("CACHE REFRESH DealsProducts")
        .await
        .unwrap_err();
    assert_eq!(e.kind, EngineErrorKind::NotSupported);
    let plain = Session::connect(client(&sandbox)).await.unwrap();
    let e = plain.query("CACHE STATUS").await.unwrap_err();
    assert_eq!(e.kind, EngineErrorKind::Cache);
}

#[tokio::test]
async fn writes_through_the_driver_update_the_cached_rows_at_once() {
    let sandbox = sandbox();
    let dir = tempfile::tempdir().unwrap();
    // Persons list no deletions: without the write updating the cache, a deleted person would
    // stay until the next whole read, an hour later
    let session = cached(sandbox.base_url(), &dir.path().join("c.db"), "AutoCache=1")
        .await
        .unwrap();
    let counted = "SELECT count(*) FROM Persons";
    let before = count(&session.query(counted).await.unwrap());
    session
        .query("DELETE FROM Persons WHERE Id IN (1, 2)")
        .await
        .unwrap();
    session
        .query("UPDATE Persons SET Name = 'written through' WHERE Id = 3")
        .await
        .unwrap();
    session
        .query("INSERT INTO Persons (Name) VALUES ('inserted through')")
        .await
        .unwrap();
    assert_eq!(count(&session.query(counted).await.unwrap()), before - 1);
    let names = text(
        &session,
        "SELECT Name FROM Persons WHERE Name LIKE '% through' ORDER BY Name",
    )
    .await;
    assert!(
        names.contains("inserted through") && names.contains("written through"),
        "{names}"
    );
    let fresh = Session::connect(client(&sandbox)).await.unwrap();
    let all = "SELECT * FROM Persons ORDER BY Id";
    assert_eq!(text(&session, all).await, text(&fresh, all).await);
}

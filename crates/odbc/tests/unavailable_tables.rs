//! Tables an account cannot use (a feature its plan lacks, an OAuth scope its app was not
//! granted) break nothing else: through unixODBC the catalog functions list and describe every
//! table, the others read as usual, and a query on an unavailable one says what is missing.
//! A catalog function naming one table reads that table's field definitions only.

mod common;

use common::*;
use odbc_api::parameter::VarCharArray;
use odbc_api::{Connection, ConnectionOptions, Cursor, Environment, Error, ResultSetMetadata};
use pipedrive_sandbox::{DataSizes, Sandbox, SandboxConfig};
use std::sync::OnceLock;

fn env() -> &'static Environment {
    static ENV: OnceLock<Environment> = OnceLock::new();
    setup();
    ENV.get_or_init(|| Environment::new().expect("unixODBC environment"))
}

fn sandbox(features_off: &[&str]) -> Sandbox {
    Sandbox::start(SandboxConfig {
        sizes: DataSizes {
            deals: 300,
            persons: 50,
            organizations: 20,
            ..DataSizes::default()
        },
        api_tokens: vec![TOKEN.to_string()],
        features_off: features_off.iter().map(|f| f.to_string()).collect(),
        ..SandboxConfig::default()
    })
    .expect("sandbox")
}

fn connect(text: &str) -> Connection<'static> {
    env()
        .connect_with_connection_string(text, ConnectionOptions::default())
        .expect("connect")
}

/// An access token of the sandbox's app granted only `scopes`.
fn token_with(sandbox: &Sandbox, scopes: &str) -> String {
    oauth_tokens(sandbox, "http://localhost:33333/callback", Some(scopes)).access_token
}

fn text(v: &VarCharArray<255>) -> String {
    v.as_str().unwrap().unwrap_or("").to_string()
}

/// Column names of one table, or of all (`%`), as SQLColumns lists them: (table, column).
fn columns(conn: &Connection, table: &str) -> Vec<(String, String)> {
    conn.columns("", "", table, "%")
        .expect("SQLColumns")
        .map(|r| {
            let r = r.unwrap();
            (text(&r.table), text(&r.column_name))
        })
        .collect()
}

fn result_columns(conn: &Connection, sql: &str) -> usize {
    conn.prepare(sql).unwrap().num_result_cols().unwrap() as usize
}

/// The error of a query, whether executing or reading its first row gives it.
fn read_error(conn: &Connection, sql: &str) -> Error {
    let mut cursor = match conn.execute(sql, (), None) {
        Err(e) => return e,
        Ok(cursor) => cursor.expect("a result"),
    };
    match cursor.next_row() {
        Err(e) => e,
        Ok(_) => panic!("{sql} read a row"),
    }
}

fn count(conn: &Connection, sql: &str) -> i64 {
    let mut cursor = conn.execute(sql, (), None).unwrap().expect("a result");
    let mut row = cursor.next_row().unwrap().expect("a row");
    let mut n = 0i64;
    row.get_data(1, &mut n).unwrap();
    n
}

/// Every catalog function a BI navigator calls succeeds, Projects is listed and described
/// with its standard columns, Deals keeps its custom fields, and a query on Projects fails
/// naming what is missing.
fn catalog_survives(conn: &Connection, missing: &str) {
    let tables: Vec<String> = conn
        .tables("", "", "%", "")
        .expect("SQLTables")
        .map(|r| text(&r.unwrap().table))
        .collect();
    assert!(
        tables.contains(&"Projects".to_string()) && tables.contains(&"Deals".to_string()),
        "{tables:?}"
    );
    let all = columns(conn, "%");
    let listed = |t: &str| all.iter().filter(|(table, _)| table == t).count();
    assert_eq!(listed("Deals"), result_columns(conn, "SELECT * FROM Deals"));
    assert_eq!(columns(conn, "Deals").len(), listed("Deals"));
    // the same sandbox data with every feature: Deals has the same custom fields
    let full = connect(&format!("DSN={DSN}"));
    assert_eq!(listed("Deals"), columns(&full, "Deals").len());
    assert!(listed("Projects") > 0);
    assert_eq!(
        listed("Projects"),
        result_columns(conn, "SELECT * FROM Projects")
    );
    let keys: Vec<String> = conn
        .primary_keys(None, None, "Projects")
        .expect("SQLPrimaryKeys")
        .map(|r| text(&r.unwrap().column))
        .collect();
    assert_eq!(keys, ["Id"]);
    let references = conn
        .foreign_keys("", "", "", "", "", "Deals")
        .expect("SQLForeignKeys")
        .count();
    assert!(references > 0);
    let (state, text) = diagnostic(read_error(conn, "SELECT * FROM Projects"));
    assert_eq!(state, "42501", "{text}");
    assert!(text.contains(missing), "{text}");
    assert_eq!(count(conn, "SELECT COUNT(*) FROM Deals"), 300);
}

#[test]
fn a_feature_the_company_lacks_breaks_nothing_else() {
    let sandbox = sandbox(&["projects"]);
    let conn = connect(&format!(
        "Driver={{{DRIVER}}};BaseURL={};APIToken={TOKEN}",
        sandbox.base_url()
    ));
    catalog_survives(
        &conn,
        "The projects feature is not enabled for this company",
    );
}

#[test]
fn a_scope_the_app_was_not_granted_breaks_nothing_else() {
    let sandbox = sandbox(&[]);
    let token = token_with(
        &sandbox,
        "base deals:read contacts:read activities:read products:read leads:read users:read",
    );
    let conn = connect(&format!(
        "Driver={{{DRIVER}}};AuthScheme=OAuth;InitiateOAuth=OFF;OAuthAccessToken={token};BaseURL={}",
        sandbox.base_url()
    ));
    catalog_survives(&conn, "the OAuth app was not granted the scope");
}

#[test]
fn catalog_functions_read_only_the_field_definitions_they_need() {
    let sandbox = sandbox(&[]);
    let conn = connect(&format!(
        "Driver={{{DRIVER}}};BaseURL={};APIToken={TOKEN}",
        sandbox.base_url()
    ));
    // connecting read the deal fields; the rest is read when asked for
    sandbox.reset_stats();
    conn.tables("", "", "%", "").unwrap().for_each(drop);
    conn.primary_keys(None, None, "Persons")
        .unwrap()
        .for_each(drop);
    conn.foreign_keys("", "", "", "", "", "Organizations")
        .unwrap()
        .for_each(drop);
    columns(&conn, "Deals");
    assert_eq!(
        sandbox.stats().requests,
        0,
        "{:?}",
        sandbox.stats().by_route
    );
    let persons = columns(&conn, "Persons");
    assert!(!persons.is_empty());
    let stats = sandbox.stats();
    assert_eq!(
        (stats.requests, stats.route("GET /api/v2/personFields")),
        (1, 1),
        "{:?}",
        stats.by_route
    );
    // a pattern reads the tables it matches
    columns(&conn, "Organization%");
    let stats = sandbox.stats();
    assert_eq!(
        (
            stats.requests,
            stats.route("GET /api/v2/organizationFields")
        ),
        (2, 1),
        "{:?}",
        stats.by_route
    );
}

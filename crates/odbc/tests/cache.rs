//! The local cache through unixODBC: a connection with AutoCache reads and lists its cached
//! tables with CACHE STATUS (described before it runs, as applications prepare it); once the
//! API is gone, an Offline connection answers the same rows and refuses a write with HY000.

mod common;

use common::*;
use odbc_api::{Connection, ConnectionOptions, Cursor, Environment, ResultSetMetadata};
use pipedrive_sandbox::{DataSizes, Sandbox, SandboxConfig};
use std::path::Path;
use std::sync::OnceLock;

fn env() -> &'static Environment {
    static ENV: OnceLock<Environment> = OnceLock::new();
    setup();
    ENV.get_or_init(|| Environment::new().expect("unixODBC environment"))
}

fn connect(
    base_url: &str,
    file: &Path,
    extra: &str,
) -> Result<Connection<'static>, odbc_api::Error> {
    let text = format!(
        "Driver={{{DRIVER}}};BaseURL={base_url};APIToken={TOKEN};CacheLocation={};{extra}",
        file.display()
    );
    env().connect_with_connection_string(&text, ConnectionOptions::default())
}

/// Every row of a query, each cell as text.
fn rows(conn: &Connection, sql: &str) -> Vec<Vec<String>> {
    let mut cursor = conn.execute(sql, (), None).unwrap().expect("a result");
    let columns = cursor.num_result_cols().unwrap() as u16;
    let mut out = vec![];
    while let Some(mut row) = cursor.next_row().unwrap() {
        let mut cells = vec![];
        for c in 1..=columns {
            let mut buf = vec![];
            row.get_text(c, &mut buf).unwrap();
            cells.push(String::from_utf8(buf).unwrap());
        }
        out.push(cells);
    }
    out
}

#[test]
fn cached_rows_are_listed_and_answer_offline_once_the_api_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cache.db");
    let sql = "SELECT Id, Title, Value, UpdateTime FROM Deals ORDER BY Id";
    let (base_url, online) = {
        let sandbox = Sandbox::start(SandboxConfig {
            sizes: DataSizes {
                deals: 400,
                ..DataSizes::default()
            },
            api_tokens: vec![TOKEN.to_string()],
            ..SandboxConfig::default()
        })
        .expect("sandbox");
        let conn = connect(sandbox.base_url(), &file, "AutoCache=1").unwrap();
        let online = rows(&conn, sql);
        assert_eq!(online.len(), 400);
        let mut status = conn.prepare("CACHE STATUS").unwrap();
        assert_eq!(status.num_result_cols().unwrap(), 6);
        let listed = rows(&conn, "CACHE STATUS");
        assert_eq!(listed.len(), 1);
        assert_eq!(
            (listed[0][0].as_str(), listed[0][1].as_str()),
            ("Deals", "400")
        );
        (sandbox.base_url().to_string(), online)
    };
    let offline = connect(&base_url, &file, "Offline=1").unwrap();
    assert_eq!(rows(&offline, sql), online);
    let e = offline
        .execute("UPDATE Deals SET Title = 'x' WHERE Id = 1", (), None)
        .err()
        .expect("refused");
    let (state, message) = diagnostic(e);
    assert_eq!(state, "HY000");
    assert!(message.contains("offline"), "{message}");
    // without Offline a read refreshes first: with the API gone it fails, never stale
    let online_again = connect(&base_url, &file, "AutoCache=1").unwrap();
    let e = match online_again.execute(sql, (), None) {
        Err(e) => e,
        Ok(cursor) => cursor.expect("a result").next_row().err().expect("no API"),
    };
    assert_eq!(diagnostic(e).0, "08S01");
}

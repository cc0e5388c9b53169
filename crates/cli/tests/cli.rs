//! The `pipedrive-odbc` binary against a sandbox: connection properties from a DSN, flags, a
//! connection string and the environment; table, CSV and JSON output; errors and exit codes.

use pipedrive_sandbox::{Sandbox, SandboxConfig};
use std::path::Path;
use std::process::{Command, Output};

const TOKEN: &str = "cli-token";

fn sandbox() -> Sandbox {
    let mut config = SandboxConfig {
        api_tokens: vec![TOKEN.into()],
        ..SandboxConfig::default()
    };
    config.sizes.deals = 300;
    Sandbox::start(config).expect("sandbox")
}

/// An odbc.ini with a DSN for the sandbox (and one with a wrong token).
fn odbc_ini(dir: &Path, sandbox: &Sandbox) -> std::path::PathBuf {
    let path = dir.join("odbc.ini");
    let text = format!(
        "[ODBC Data Sources]\nSandbox = Pipedrive\n\n[Sandbox]\nDriver = Pipedrive\nAuthScheme = Basic\nAPIToken = {TOKEN}\nBaseURL = {url}\n\n[Stale]\nDriver = Pipedrive\nAPIToken = revoked\nBaseURL = {url}\n",
        url = sandbox.base_url()
    );
    std::fs::write(&path, text).unwrap();
    path
}

fn run(ini: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pipedrive-odbc"))
        .args(args)
        .env("ODBCINI", ini)
        .env("ODBCSYSINI", ini.parent().unwrap())
        .env_remove("PIPEDRIVE_API_TOKEN")
        .env_remove("PIPEDRIVE_BASE_URL")
        .env_remove("PIPEDRIVE_COMPANY_DOMAIN")
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn csv_and_json_carry_the_api_values() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let ini = odbc_ini(dir.path(), &sb);
    let sql = "SELECT Id, Title, Value, WonTime FROM Deals WHERE Id IN (1, 2, 3) ORDER BY Id";
    let csv_text = stdout(&run(
        &ini,
        &["--dsn", "Sandbox", "query", "--format", "csv", sql],
    ));
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        vec!["Id", "Title", "Value", "WonTime"]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 3);
    let client = reqwest_free_get(&sb, "/api/v2/deals?ids=1,2,3");
    for (record, deal) in records.iter().zip(client["data"].as_array().unwrap()) {
        assert_eq!(record[0], deal["id"].to_string());
        assert_eq!(&record[1], deal["title"].as_str().unwrap());
        assert_eq!(record[3].is_empty(), deal["won_time"].is_null());
    }

    let json_text = stdout(&run(
        &ini,
        &["--dsn", "sandbox", "query", "-f", "json", sql],
    ));
    let lines: Vec<serde_json::Value> = json_text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    for (line, deal) in lines.iter().zip(client["data"].as_array().unwrap()) {
        assert_eq!(line["Id"], deal["id"]);
        assert_eq!(line["Title"], deal["title"]);
        assert_eq!(line["Value"].as_f64(), deal["value"].as_f64());
        assert!(line["WonTime"].is_null() == deal["won_time"].is_null());
    }

    let table = stdout(&run(&ini, &["--dsn", "Sandbox", "query", sql]));
    assert!(
        table.contains("| Id ") && table.ends_with("(3 rows)\n"),
        "{table}"
    );
}

/// A GET on the sandbox with a plain TCP request (keeps this test free of an HTTP client).
fn reqwest_free_get(sb: &Sandbox, path: &str) -> serde_json::Value {
    use std::io::{Read, Write};
    let host = sb.base_url().trim_start_matches("http://").to_string();
    let mut stream = std::net::TcpStream::connect(&host).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nx-api-token: {TOKEN}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let body = answer.split("\r\n\r\n").nth(1).unwrap();
    // chunked bodies: take the JSON object between the first '{' and the last '}'
    let (start, end) = (body.find('{').unwrap(), body.rfind('}').unwrap());
    serde_json::from_str(&body[start..=end]).unwrap()
}

#[test]
fn flags_and_connection_strings_beat_the_dsn() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let ini = odbc_ini(dir.path(), &sb);
    let sql = "SELECT count(*) AS n FROM Users";
    let refused = run(&ini, &["--dsn", "Stale", "query", sql]);
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.starts_with("error: "), "{message}");
    assert!(
        !message.contains("revoked"),
        "the token is not shown: {message}"
    );

    let with_string = format!("DSN=Stale;APIToken={TOKEN}");
    let out = stdout(&run(&ini, &["-c", &with_string, "query", "-f", "csv", sql]));
    assert_eq!(out, "n\n12\n");
    let out = stdout(&run(
        &ini,
        &[
            "--dsn",
            "Stale",
            "--api-token",
            TOKEN,
            "query",
            "-f",
            "csv",
            sql,
        ],
    ));
    assert_eq!(out, "n\n12\n");
    let out = Command::new(env!("CARGO_BIN_EXE_pipedrive-odbc"))
        .args(["query", "-f", "csv", sql])
        .env("PIPEDRIVE_API_TOKEN", TOKEN)
        .env("PIPEDRIVE_BASE_URL", sb.base_url())
        .env("ODBCINI", &ini)
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "n\n12\n");
}

#[test]
fn tables_columns_and_errors() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let ini = odbc_ini(dir.path(), &sb);
    let tables = stdout(&run(&ini, &["--dsn", "Sandbox", "tables"]));
    for name in ["Deals", "DealsProducts", "DealFieldOptions", "Goals"] {
        assert!(
            tables.lines().any(|l| l.starts_with(&format!("{name} "))),
            "{name}"
        );
    }
    let columns = stdout(&run(&ini, &["--dsn", "Sandbox", "columns", "deals"]));
    assert!(columns
        .lines()
        .any(|l| l.starts_with("Lead Source") && l.contains("custom field")));
    assert!(columns
        .lines()
        .any(|l| l.starts_with("AddTime") && l.contains("TIMESTAMP")));

    // writes say how many rows they wrote, or show what RETURNING asks
    let q = |sql: &str| stdout(&run(&ini, &["--dsn", "Sandbox", "query", "-f", "csv", sql]));
    let made = q("INSERT INTO Deals (Title) VALUES ('From the CLI') RETURNING Id");
    let id = made.lines().nth(1).expect("the new id").to_string();
    let updated = stdout(&run(
        &ini,
        &[
            "--dsn",
            "Sandbox",
            "query",
            &format!("UPDATE Deals SET Value = 5 WHERE Id = {id}"),
        ],
    ));
    assert_eq!(updated.trim(), "(1 row written)");
    assert_eq!(
        q(&format!("SELECT Value FROM Deals WHERE Id = {id}")),
        "Value\n5.0000\n"
    );

    for (args, says) in [
        (vec!["--dsn", "Nope", "tables"], "no DSN named 'Nope'"),
        (
            vec![
                "--dsn",
                "Sandbox",
                "query",
                "UPDATE Deals SET AddTime = NOW()",
            ],
            "read only",
        ),
        (
            vec!["--dsn", "Sandbox", "columns", "Dealz"],
            "no table named 'Dealz'",
        ),
        (vec!["--dsn", "Sandbox", "query", "SELEC 1"], "SELEC"),
        (vec!["-c", "APIToken={x", "tables"], "never closes"),
        (
            vec!["-c", "CompanyDomain=acme", "tables"],
            "APIToken is required",
        ),
    ] {
        let out = run(&ini, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let message = String::from_utf8_lossy(&out.stderr);
        assert!(message.contains(says), "{args:?}: {message}");
    }
}

#[test]
fn install_test_connection_and_uninstall_through_the_driver_manager() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let ini = dir.path().join("odbc.ini");
    let library = Path::new(env!("CARGO_BIN_EXE_pipedrive-odbc"))
        .parent()
        .unwrap()
        .join("libpipedrive_odbc.so");
    assert!(
        library.exists(),
        "build the workspace first ({})",
        library.display()
    );
    let install = run(
        &ini,
        &[
            "install",
            "--system",
            "--library",
            library.to_str().unwrap(),
            "--dsn-name",
            "Installed",
            "--set",
            &format!("APIToken={TOKEN}"),
            "--set",
            &format!("BaseURL={}", sb.base_url()),
        ],
    );
    let said = stdout(&install);
    assert!(
        said.contains("registered [Pipedrive ODBC Driver]"),
        "{said}"
    );
    let odbcinst = std::fs::read_to_string(dir.path().join("odbcinst.ini")).unwrap();
    assert!(
        odbcinst.contains(&format!(
            "Driver = {}",
            library.canonicalize().unwrap().display()
        )),
        "{odbcinst}"
    );
    let tested = stdout(&run(&ini, &["test-connection", "--dsn", "Installed"]));
    let users = sb.count("users");
    assert!(
        tested.starts_with("connection OK through unixODBC")
            && tested.contains(&format!("; {users} users")),
        "{tested}"
    );
    // a wrong token is refused with the driver's SQLSTATE, through the driver manager
    let refused = run(
        &ini,
        &["test-connection", "-c", "DSN=Installed;APIToken=wrong"],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("28000"));
    stdout(&run(
        &ini,
        &["uninstall", "--system", "--dsn-name", "Installed"],
    ));
    let odbcinst = std::fs::read_to_string(dir.path().join("odbcinst.ini")).unwrap();
    assert!(!odbcinst.contains("[Pipedrive ODBC Driver]"), "{odbcinst}");
    let gone = run(&ini, &["test-connection", "--dsn", "Installed"]);
    assert!(String::from_utf8_lossy(&gone.stderr).contains("IM002"));
}

#[test]
fn oauth_steps_by_hand_then_queries_with_the_settings_file() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let ini = odbc_ini(dir.path(), &sb);
    let file = dir.path().join("OAuthSettings.txt");
    let app = format!(
        "AuthScheme=OAuth;OAuthClientId=sandbox-client;OAuthClientSecret=sandbox-secret;OAuthServerURL={};OAuthSettingsLocation={}",
        sb.base_url(),
        file.display()
    );
    let callback = "http://localhost:5700/cb";
    let url = stdout(&run(
        &ini,
        &[
            "-c",
            &app,
            "oauth",
            "url",
            "--callback-url",
            callback,
            "--format",
            "csv",
        ],
    ));
    assert!(
        url.contains(&format!("{}/oauth/authorize?client_id=sandbox-client&redirect_uri=http%3A%2F%2Flocalhost%3A5700%2Fcb", sb.base_url())),
        "{url}"
    );
    let code = sb.approve("sandbox-client", callback, None);
    let got = stdout(&run(
        &ini,
        &[
            "-c",
            &app,
            "oauth",
            "exchange",
            "--verifier",
            &code,
            "--callback-url",
            callback,
            "-f",
            "json",
        ],
    ));
    let tokens: serde_json::Value = serde_json::from_str(got.trim()).unwrap();
    let refresh = tokens["OAuthRefreshToken"].as_str().unwrap().to_string();
    assert!(tokens["ExpiresIn"].as_i64().unwrap() > 3000);
    // the exchange kept the tokens: InitiateOAuth and OAuthSettingsLocation are enough now
    let later = format!(
        "AuthScheme=OAuth;InitiateOAuth=REFRESH;OAuthSettingsLocation={}",
        file.display()
    );
    let count = stdout(&run(
        &ini,
        &[
            "-c",
            &later,
            "query",
            "-f",
            "csv",
            "SELECT COUNT(*) AS n FROM Deals",
        ],
    ));
    assert_eq!(count, "n\n300\n");
    // a manual refresh rotates the refresh token; the spent one is refused with what to redo
    let again = stdout(&run(
        &ini,
        &[
            "-c",
            &app,
            "oauth",
            "refresh",
            "--refresh-token",
            &refresh,
            "-f",
            "json",
        ],
    ));
    let renewed: serde_json::Value = serde_json::from_str(again.trim()).unwrap();
    assert_ne!(renewed["OAuthRefreshToken"].as_str().unwrap(), refresh);
    let spent = run(
        &ini,
        &["-c", &app, "oauth", "refresh", "--refresh-token", &refresh],
    );
    assert!(!spent.status.success());
    let said = String::from_utf8_lossy(&spent.stderr);
    assert!(
        said.contains("sign in again") && !said.contains(&refresh),
        "{said}"
    );
    // without AuthScheme=OAuth the steps say what they need
    let basic = run(&ini, &["--dsn", "Sandbox", "oauth", "url"]);
    assert!(String::from_utf8_lossy(&basic.stderr).contains("AuthScheme=OAuth"));
}

#[test]
fn limits_show_what_the_api_said_of_the_budgets() {
    // (the sandbox's limits, what the command prints for each)
    let cases = [
        (
            pipedrive_sandbox::RateLimits {
                burst_per_2s: Some(40),
                daily_tokens: Some(5_000),
            },
            Some(40),
        ),
        (pipedrive_sandbox::RateLimits::unlimited(), None),
    ];
    for (limits, per_window) in cases {
        let mut config = SandboxConfig {
            api_tokens: vec![TOKEN.into()],
            limits: limits.clone(),
            ..SandboxConfig::default()
        };
        config.sizes.deals = 10;
        let sb = Sandbox::start(config).expect("sandbox");
        let dir = tempfile::tempdir().unwrap();
        let ini = odbc_ini(dir.path(), &sb);
        let out = stdout(&run(&ini, &["--dsn", "Sandbox", "limits"]));
        let value = |label: &str| {
            out.lines()
                .find(|l| l.starts_with(label))
                .map(|l| l[label.len()..].trim().to_string())
                .unwrap_or_else(|| panic!("{label}: {out}"))
        };
        match per_window {
            Some(n) => assert_eq!(value("requests per 2 s"), n.to_string(), "{out}"),
            None => assert_eq!(value("requests per 2 s"), "not said by the API", "{out}"),
        }
        match limits.daily_tokens {
            Some(daily) => {
                // the requests the command made were charged: what is left is what the
                // sandbox says it is
                let left: u64 = value("daily tokens left").parse().expect(&out);
                let spent = sb.stats().tokens;
                assert!(spent > 0, "{spent}");
                assert_eq!(left, daily - spent, "{out}");
            }
            None => assert_eq!(value("daily tokens left"), "not said by the API", "{out}"),
        }
    }
}

/// Runs these argument lists as processes all at once; their outputs in order.
fn at_once(ini: &Path, runs: &[Vec<String>]) -> Vec<Output> {
    let children: Vec<_> = runs
        .iter()
        .map(|args| {
            Command::new(env!("CARGO_BIN_EXE_pipedrive-odbc"))
                .args(args)
                .env("ODBCINI", ini)
                .env("ODBCSYSINI", ini.parent().unwrap())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("the binary runs")
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect()
}

#[test]
fn processes_sharing_one_cache_file_keep_it_intact_and_answer_right() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let ini = odbc_ini(dir.path(), &sb);
    let file = dir.path().join("shared/cache.db");
    let connection = format!(
        "DSN=Sandbox;AutoCache=1;CacheReconcileInterval=0;CacheLocation={}",
        file.display()
    );
    let args = |sql: &str| -> Vec<String> {
        ["-c", &connection, "query", "--format", "csv", sql]
            .map(String::from)
            .to_vec()
    };
    let count = "SELECT count(*) AS n FROM Deals";
    let deals = sb.count("deals");
    // three first reads at once, each filling the file
    for o in at_once(&ini, &[args(count), args(count), args(count)]) {
        assert_eq!(stdout(&o), format!("n\n{deals}\n"));
    }
    // writes, refreshes, reloads and reads at once
    let outputs = at_once(
        &ini,
        &[
            args("DELETE FROM Deals WHERE Id <= 5"),
            args("CACHE REFRESH Deals"),
            args("CACHE RELOAD Deals"),
            args(count),
            args("UPDATE Deals SET Title = 'renamed' WHERE Id = 6"),
        ],
    );
    for o in &outputs {
        stdout(o);
    }
    let after = stdout(&run(
        &ini,
        &args(count).iter().map(String::as_str).collect::<Vec<_>>(),
    ));
    assert_eq!(after, format!("n\n{}\n", deals - 5));
    let renamed = args("SELECT Title FROM Deals WHERE Id = 6");
    let renamed = stdout(&run(
        &ini,
        &renamed.iter().map(String::as_str).collect::<Vec<_>>(),
    ));
    assert_eq!(renamed, "Title\nrenamed\n");
    let listing = stdout(&run(&ini, &["-c", &connection, "cache"]));
    assert!(listing.contains("integrity check: ok"), "{listing}");
    let deals_line = listing
        .lines()
        .find(|l| l.contains("Deals"))
        .expect(&listing);
    assert!(deals_line.contains(&(deals - 5).to_string()), "{listing}");
}

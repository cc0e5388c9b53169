//! A whole table through the ODBC driver with pyodbc (`cursor.fetchall()` of `SELECT * FROM
//! Deals`, every column), next to the engine alone running the same query. Prints both wall
//! times and their ratio. The sandbox runs in a child process; pyodbc in a Python process that
//! loads the driver through unixODBC from a private odbcinst.ini.
//!
//! Run: cargo build --release --workspace && \
//!      cargo run --release -p pipedrive-bench --bin driver_fetch [-- DEALS [LATENCY_MS]]
//! (defaults: 100,000 deals, 80 ms per request, as DESIGN.md asks benchmarks to inject; 0 shows
//! the CPU-bound case, where the application's thread decodes pages and converts rows in turn). Needs unixODBC and pyodbc (scripts/test.sh
//! installs both).

use pipedrive_api::{Client, ClientConfig, Credentials};
use pipedrive_bench::{
    deals_with_latency, requests, reset, scan, serve_if_asked, ChildSandbox, PrivateOdbc, Scan,
    TOKEN,
};
use pipedrive_engine::Session;
use std::process::Command;
use std::time::Instant;

const FETCH: &str = r#"
import sys, time, pyodbc
conn = pyodbc.connect("DSN=PipedriveBench", autocommit=True)
cursor = conn.cursor()
t = time.perf_counter()
cursor.execute("SELECT * FROM Deals")
columns = len(cursor.description)
rows = cursor.fetchall()
print(f"{len(rows)} {columns} {time.perf_counter() - t:.3f}")
"#;

fn main() {
    serve_if_asked(deals_with_latency);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let deals = args.first().cloned().unwrap_or_else(|| "100000".into());
    let latency = args.get(1).cloned().unwrap_or_else(|| "80".into());
    let sandbox = ChildSandbox::start(&[deals.clone(), latency.clone()]);
    let base = sandbox.base_url.clone();
    let http = reqwest::blocking::Client::new();
    println!("SELECT * FROM Deals over {deals} deals, {latency} ms per request\n");

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let client = Client::new(ClientConfig::new(
        &base,
        Credentials::ApiToken(TOKEN.into()),
    ))
    .expect("client");
    let session = runtime.block_on(Session::connect(client)).expect("connect");
    reset(&http, &base);
    let t = Instant::now();
    let Scan { rows, columns, .. } = runtime.block_on(scan(&session, "SELECT * FROM Deals"));
    let engine = t.elapsed().as_secs_f64();
    println!(
        "engine alone: {rows} rows x {columns} columns in {engine:.2} s ({:.0} rows/s, {} requests)",
        rows as f64 / engine,
        requests(&http, &base)
    );

    let odbc = PrivateOdbc::new(Some(&base));
    reset(&http, &base);
    let out = odbc
        .apply(Command::new("python3").args(["-c", FETCH]))
        .output()
        .expect("python3");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "pyodbc failed: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let figures: Vec<f64> = text
        .split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect();
    let (py_rows, py_columns, driver) = (figures[0], figures[1], figures[2]);
    println!(
        "pyodbc fetchall through the driver: {py_rows} rows x {py_columns} columns in {driver:.2} s ({:.0} rows/s, {} requests)",
        py_rows / driver,
        requests(&http, &base)
    );
    println!(
        "\ndriver with pyodbc / engine alone: {:.2}",
        driver / engine
    );
}

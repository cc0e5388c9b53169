//! Repeat reads with the local cache (AutoCache): `SELECT * FROM Deals` read once (the cache
//! filled), then again after deals were changed and deleted directly through the API (not
//! through the driver), then once more from a new process through pyodbc, as a report's next
//! refresh would. Prints each read's wall time and requests, and checks the cached answer
//! against a read without the cache.
//!
//! Run: cargo build --release --workspace && \
//!      cargo run --release -p pipedrive-bench --bin cache_refresh \
//!          [-- DEALS [LATENCY_MS [BURST [CHANGED [DELETED]]]]]
//! (defaults: 20,000 deals, 80 ms per request, 40 requests per 2 s, 10 changed, 3 deleted).

use pipedrive_api::{Client, ClientConfig, Credentials};
use pipedrive_bench::{
    deals_with_latency, requests, reset, scan, serve_if_asked, ChildSandbox, PrivateOdbc, TOKEN,
};
use pipedrive_engine::arrow::util::pretty::pretty_format_batches;
use pipedrive_engine::{Properties, Session};
use std::process::Command;
use std::time::Instant;

const FETCH: &str = r#"
import sys, time, pyodbc
t = time.perf_counter()
conn = pyodbc.connect(sys.argv[1], autocommit=True)
rows = conn.cursor().execute("SELECT * FROM Deals").fetchall()
print(f"{len(rows)} {time.perf_counter() - t:.3f}")
"#;

fn main() {
    serve_if_asked(deals_with_latency);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: &str| args.get(i).cloned().unwrap_or_else(|| default.into());
    let (deals, latency, burst) = (arg(0, "20000"), arg(1, "80"), arg(2, "40"));
    let changed: u64 = arg(3, "10").parse().expect("changed");
    let deleted: u64 = arg(4, "3").parse().expect("deleted");
    let sandbox = ChildSandbox::start(&[deals.clone(), latency.clone(), burst.clone()]);
    let base = sandbox.base_url.clone();
    let http = reqwest::blocking::Client::new();
    let dir = std::env::temp_dir().join(format!("pipedrive-cache-bench-{}", std::process::id()));
    let file = dir.join("cache.db");
    let cached = format!(
        "AutoCache=1;CacheMetadata=1;CacheLocation={}",
        file.display()
    );
    println!(
        "SELECT * FROM Deals over {deals} deals, {latency} ms per request, {burst} requests per 2 s, AutoCache\n"
    );
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let props = Properties::parse(&format!("APIToken={TOKEN};BaseURL={base};{cached}"))
        .expect("properties");
    let session = runtime
        .block_on(Session::from_properties(&props))
        .expect("connect");
    let sql = "SELECT * FROM Deals";
    let timed = |label: &str| {
        reset(&http, &base);
        let t = Instant::now();
        let read = runtime.block_on(scan(&session, sql));
        let seconds = t.elapsed().as_secs_f64();
        println!(
            "{label}: {} rows in {seconds:.2} s, {} requests",
            read.rows,
            requests(&http, &base)
        );
        read.rows
    };
    timed("first read (the cache filled)");

    for id in 1..=changed {
        let body = serde_json::json!({ "title": format!("changed directly {id}") });
        let url = format!("{base}/api/v2/deals/{id}?api_token={TOKEN}");
        let answer = http.patch(url).json(&body).send().expect("PATCH");
        assert!(
            answer.status().is_success(),
            "PATCH deal {id}: {}",
            answer.status()
        );
    }
    for id in changed + 1..=changed + deleted {
        let url = format!("{base}/api/v2/deals/{id}?api_token={TOKEN}");
        let answer = http.delete(url).send().expect("DELETE");
        assert!(
            answer.status().is_success(),
            "DELETE deal {id}: {}",
            answer.status()
        );
    }
    println!("{changed} deals changed and {deleted} deleted directly through the API");
    let rows = timed("second read (refreshed)");

    // the same read served within a tolerance: no request, the cache's own cost
    let tolerant = Properties::parse(&format!(
        "APIToken={TOKEN};BaseURL={base};{cached};CacheTolerance=3600"
    ))
    .expect("properties");
    let tolerant = runtime
        .block_on(Session::from_properties(&tolerant))
        .expect("connect");
    reset(&http, &base);
    let t = Instant::now();
    let read = runtime.block_on(scan(&tolerant, sql));
    println!(
        "third read within CacheTolerance: {} rows in {:.2} s, {} requests",
        read.rows,
        t.elapsed().as_secs_f64(),
        requests(&http, &base)
    );

    // the cached answer is the API's: the same rows as a read without the cache
    let ordered = "SELECT * FROM Deals ORDER BY Id";
    let plain = Client::new(ClientConfig::new(
        &base,
        Credentials::ApiToken(TOKEN.into()),
    ))
    .expect("client");
    let fresh = runtime.block_on(Session::connect(plain)).expect("connect");
    let text = |s: &Session| {
        let batches = runtime.block_on(s.query(ordered)).expect("query");
        pretty_format_batches(&batches).expect("text").to_string()
    };
    let exact = text(&session) == text(&fresh);
    println!(
        "cached answer equals a read without the cache: {exact} ({rows} rows, {} expected)",
        deals.parse::<u64>().expect("deals") - deleted
    );
    assert!(exact, "the cached answer differs from the API's rows");

    let odbc = PrivateOdbc::new(Some(&base));
    reset(&http, &base);
    let out = odbc
        .apply(Command::new("python3").args(["-c", FETCH, &format!("DSN=PipedriveBench;{cached}")]))
        .output()
        .expect("python3");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "pyodbc failed: {said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let figures: Vec<&str> = said.split_whitespace().collect();
    println!(
        "a new process through pyodbc (connect and read): {} rows in {} s, {} requests",
        figures[0],
        figures[1],
        requests(&http, &base)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

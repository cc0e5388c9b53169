//! A full scan through the engine against the sandbox with injected latency, next to a plain
//! sequential HTTP loop over the same pages. Prints wall time, rows/s, time to the first batch,
//! the requests the sandbox counted, and this process's peak memory (the sandbox runs in a
//! child process, so its data is not counted).
//!
//! Run: cargo run --release -p pipedrive-bench --bin engine_scan [-- DEALS [LATENCY_MS]]
//! (defaults: 20,000 deals, 80 ms per request)

use pipedrive_api::{Client, ClientConfig, Credentials};
use pipedrive_bench::{
    cpu_seconds, deals_with_latency, peak_rss_mib, requests, reset, rss_mib, scan, serve_if_asked,
    walk_v2, ChildSandbox, Scan, Summary, TOKEN,
};
use pipedrive_engine::Session;
use std::time::Instant;

fn main() {
    serve_if_asked(deals_with_latency);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let deals = args.first().cloned().unwrap_or_else(|| "20000".into());
    let latency = args.get(1).cloned().unwrap_or_else(|| "80".into());
    let sandbox = ChildSandbox::start(&[deals.clone(), latency.clone()]);
    let base = sandbox.base_url.clone();
    let http = reqwest::blocking::Client::new();
    println!(
        "full scan of {deals} deals (all columns, 20 custom fields), {latency} ms per request\n"
    );

    // the engine first, so the plain loop's memory does not count against it
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let rss_before = rss_mib();
    let client = Client::new(ClientConfig::new(
        &base,
        Credentials::ApiToken(TOKEN.into()),
    ))
    .expect("client");
    let t = Instant::now();
    let session = runtime.block_on(Session::connect(client)).expect("connect");
    let connect = t.elapsed();
    let metadata_requests = requests(&http, &base);
    reset(&http, &base);
    let (cpu, sandbox_cpu) = (cpu_seconds(), sandbox.cpu_seconds());
    let t = Instant::now();
    let Scan {
        rows,
        first_batch: first,
        ..
    } = runtime.block_on(scan(&session, "SELECT * FROM Deals"));
    let engine = t.elapsed();
    let engine_requests = requests(&http, &base);
    let (cpu, sandbox_cpu) = (cpu_seconds() - cpu, sandbox.cpu_seconds() - sandbox_cpu);
    let peak = peak_rss_mib();
    println!(
        "engine (SELECT * FROM Deals): {rows} rows in {:.2} s = {:.0} rows/s; first batch after {:.0} ms; \
         {engine_requests} list requests (+{metadata_requests} metadata requests, {:.0} ms at connect); \
         peak RSS {peak:.0} MiB (was {rss_before:.0} MiB before connecting)",
        engine.as_secs_f64(),
        rows as f64 / engine.as_secs_f64(),
        first.as_secs_f64() * 1000.0,
        connect.as_secs_f64() * 1000.0,
    );
    println!(
        "  CPU: engine {cpu:.2} s ({:.1} ms per request), sandbox {sandbox_cpu:.2} s",
        cpu * 1000.0 / engine_requests.max(1) as f64
    );

    reset(&http, &base);
    let t = Instant::now();
    let walk = walk_v2(&http, &base, "deals", "limit=500", TOKEN);
    let plain = t.elapsed();
    println!(
        "plain sequential loop (GET /api/v2/deals?limit=500, JSON decoded): {} rows in {:.2} s = {:.0} rows/s; {} requests\n  {}",
        walk.rows,
        plain.as_secs_f64(),
        walk.rows as f64 / plain.as_secs_f64(),
        requests(&http, &base),
        Summary::of(&walk.times)
    );
    println!(
        "\nengine / plain loop wall time: {:.2}",
        engine.as_secs_f64() / plain.as_secs_f64()
    );
}

//! How fast the sandbox serves pages: 100,000 deals with 20 custom fields, walked with
//! limit=500 (v2 cursor, default and time order) and a v1 offset walk, on loopback, no
//! injected latency. Prints per-request timings and the request counts the sandbox recorded.
//!
//! Run: cargo run --release -p pipedrive-bench --bin sandbox_pages [-- DEALS]

use pipedrive_bench::{walk_v2, Summary, Walk};
use pipedrive_sandbox::{DataSizes, Sandbox, SandboxConfig};
use serde_json::Value;
use std::time::Instant;

fn main() {
    let deals: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let config = SandboxConfig {
        sizes: DataSizes {
            deals,
            persons: 10_000,
            organizations: 2_000,
            notes: 20_000,
            deal_custom_fields: 20,
            ..DataSizes::default()
        },
        ..SandboxConfig::default()
    };
    let started = Instant::now();
    let sandbox = Sandbox::start(config).expect("sandbox");
    println!(
        "sandbox: {deals} deals (20 custom fields), 20,000 notes generated and served in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let http = reqwest::blocking::Client::new();
    let base = sandbox.base_url().to_string();

    for (label, query) in [
        ("v2 deals, id order     ", "limit=500"),
        ("v2 deals, update_time  ", "limit=500&sort_by=update_time"),
    ] {
        sandbox.reset_stats();
        let t = Instant::now();
        let Walk { times, rows, bytes } = walk_v2(&http, &base, "deals", query, "sandbox-token");
        let wall = t.elapsed();
        println!(
            "{label} {}  | {rows} rows, {:.1} MB, {:.0} rows/s, sandbox counted {} requests",
            Summary::of(&times),
            bytes as f64 / 1e6,
            rows as f64 / wall.as_secs_f64(),
            sandbox.stats().requests
        );
    }

    let mut times = vec![];
    let mut start = 0;
    loop {
        let t = Instant::now();
        let page: Value = http
            .get(format!("{base}/api/v1/notes?start={start}&limit=500"))
            .header("x-api-token", "sandbox-token")
            .send()
            .and_then(|r| r.json())
            .expect("page");
        times.push(t.elapsed());
        let p = &page["additional_data"]["pagination"];
        if p["more_items_in_collection"] != true {
            break;
        }
        start = p["next_start"].as_u64().expect("next_start") as usize;
    }
    println!("v1 notes, offset paging  {}", Summary::of(&times));
}

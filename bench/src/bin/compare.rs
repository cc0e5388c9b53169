//! Every way of extracting all deals, side by side, against the sandbox with injected latency
//! and Pipedrive's burst limit: our driver through pyodbc, our engine alone, a plain sequential
//! Python loop (requests, limit=500), and the published extract tools tap-pipedrive and
//! airbyte-source-pipedrive. Prints wall time, requests, 429 answers and peak memory of each,
//! and the ratios; then COUNT(*) over a million deals through the driver, with its peak memory.
//!
//! Each line also gives the floor for the requests that tool made: under a limit of BURST
//! requests per rolling 2 s, N requests cannot end before 2 s × ⌊(N−1)/BURST⌋ plus one round
//! trip (the last window's requests sent at once), whatever the tool.
//!
//! Then, without latency or burst limit, the driver through pyodbc next to the engine alone over
//! more deals: what the ODBC layer and the application's fetch calls add.
//!
//! Run with `bench/run.sh`, which builds everything and installs the tools first
//! (see bench/README.md). Arguments: `[DEALS [LATENCIES_MS [BURSTS [COUNT_DEALS
//! [OVERHEAD_DEALS]]]]]`, defaults `20000 0,80 40,160 1000000 100000` (40 per 2 s: an API token
//! on the smallest plans; 160: an OAuth app on them); 0 skips the count or the overhead run.

use pipedrive_api::{Client, ClientConfig, Credentials};
use pipedrive_bench::{
    counted, deals_with_latency, peak_rss_mib, reset, scan, serve_if_asked, ChildSandbox,
    PrivateOdbc, TOKEN,
};
use pipedrive_engine::Session;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// What one tool did in one run.
struct Outcome {
    tool: &'static str,
    rows: u64,
    seconds: f64,
    requests: u64,
    throttled: u64,
    peak_mib: f64,
    /// The driver's first row: seconds from just before connecting, and from just before
    /// the statement was executed.
    first_row: Option<(f64, f64)>,
    /// The driver's reading after its first row: the wall time to the last row, and the CPU the
    /// application's own thread spent meanwhile (pyodbc, Python and the driver's fetch calls).
    reading: Option<(f64, f64)>,
}

const ENGINE_FLAG: &str = "--engine-scan";

fn main() {
    serve_if_asked(deals_with_latency);
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(ENGINE_FLAG) {
        return engine_scan(&args[1]);
    }
    let deals = args.first().cloned().unwrap_or_else(|| "20000".into());
    let latencies = args.get(1).cloned().unwrap_or_else(|| "0,80".into());
    let bursts = args.get(2).cloned().unwrap_or_else(|| "40,160".into());
    let count_deals = args.get(3).cloned().unwrap_or_else(|| "1000000".into());
    let overhead_deals = args.get(4).cloned().unwrap_or_else(|| "100000".into());
    let odbc = PrivateOdbc::new(None);
    println!("all {deals} deals (every column)\n");
    for burst in bursts.split(',') {
        for latency in latencies.split(',') {
            scenario(&deals, latency, burst, &odbc);
        }
    }
    if overhead_deals != "0" {
        overhead(&overhead_deals, &odbc);
    }
    if count_deals != "0" {
        let sandbox = ChildSandbox::start(&[count_deals.clone(), "0".into()]);
        let tool = Tool {
            name: "pyodbc SELECT COUNT(*) FROM Deals",
            how: How::Python("count", None),
        };
        if let Some(o) = run(&tool, &sandbox.base_url, &odbc) {
            println!(
                "COUNT(*) over {count_deals} deals through the driver (pyodbc): {} in {:.1} s, {} requests, peak RSS {:.0} MiB",
                o.rows, o.seconds, o.requests, o.peak_mib
            );
        }
    }
}

/// Every tool against one sandbox with this latency and burst limit.
fn scenario(deals: &str, latency: &str, burst: &str, odbc: &PrivateOdbc) {
    let sandbox = ChildSandbox::start(&[deals.into(), latency.into(), burst.into()]);
    let per_window: u64 = burst.parse().expect("BURST is a number");
    let round_trip = latency.parse::<f64>().expect("LATENCY_MS is a number") / 1000.0;
    println!("-- {latency} ms per request, at most {burst} requests per 2 s --");
    println!(
        "{:<34} {:>8} {:>9} {:>9} {:>6} {:>9} {:>9}",
        "tool", "rows", "wall s", "requests", "429s", "floor s", "peak MiB"
    );
    let mut outcomes = vec![];
    for tool in TOOLS {
        // each tool starts with a full burst window
        std::thread::sleep(Duration::from_millis(2_200));
        if let Some(outcome) = run(tool, &sandbox.base_url, odbc) {
            println!(
                "{:<34} {:>8} {:>9.2} {:>9} {:>6} {:>9.2} {:>9.0}",
                outcome.tool,
                outcome.rows,
                outcome.seconds,
                outcome.requests,
                outcome.throttled,
                floor_seconds(outcome.requests, per_window, round_trip),
                outcome.peak_mib
            );
            outcomes.push(outcome);
        }
    }
    ratios(&outcomes, per_window, round_trip);
    println!();
}

/// The driver through pyodbc and the engine alone over `deals` deals, no latency, no burst
/// limit: the time the ODBC layer and the application's fetch calls add to the engine's.
fn overhead(deals: &str, odbc: &PrivateOdbc) {
    let sandbox = ChildSandbox::start(&[deals.into(), "0".into()]);
    println!("-- {deals} deals, no latency, no burst limit --");
    let times: Vec<f64> = TOOLS[..2]
        .iter()
        .filter_map(|tool| run(tool, &sandbox.base_url, odbc))
        .map(|o| {
            println!(
                "{:<34} {:>8} rows in {:>6.2} s, {} requests, peak {:.0} MiB",
                o.tool, o.rows, o.seconds, o.requests, o.peak_mib
            );
            o.seconds
        })
        .collect();
    if let [driver, engine] = times[..] {
        println!("driver (pyodbc) / engine alone: {:.2}", driver / engine);
    }
    println!();
}

/// The least time `requests` can take under `per_window` requests per rolling 2 s with this
/// round trip: the last window opens 2 s × ⌊(N−1)/per_window⌋ after the first, and its
/// requests take a round trip.
fn floor_seconds(requests: u64, per_window: u64, round_trip: f64) -> f64 {
    2.0 * (requests.saturating_sub(1) / per_window.max(1)) as f64 + round_trip
}

enum How {
    /// This program again, running the engine alone.
    Engine,
    /// `bench/python/extract.py MODE` with the Python of this virtual environment (`None`: the
    /// system's `python3`).
    Python(&'static str, Option<&'static str>),
}

struct Tool {
    name: &'static str,
    how: How,
}

const TOOLS: &[Tool] = &[
    Tool {
        name: "driver (pyodbc, SELECT * FROM Deals)",
        how: How::Python("pyodbc", None),
    },
    Tool {
        name: "engine alone",
        how: How::Engine,
    },
    Tool {
        name: "plain loop (requests, limit=500)",
        how: How::Python("plain", None),
    },
    Tool {
        name: "tap-pipedrive",
        how: How::Python("tap", Some("tap")),
    },
    Tool {
        name: "airbyte-source-pipedrive",
        how: How::Python("airbyte", Some("airbyte")),
    },
];

fn run(tool: &Tool, base: &str, odbc: &PrivateOdbc) -> Option<Outcome> {
    let http = reqwest::blocking::Client::new();
    let mut command = match tool.how {
        How::Engine => {
            let mut c = Command::new(std::env::current_exe().expect("own path"));
            c.args([ENGINE_FLAG, base]);
            c
        }
        How::Python(mode, venv) => {
            let python = match venv {
                None => PathBuf::from("python3"),
                Some(name) => {
                    let path = venvs().join(name).join("bin/python");
                    if !path.exists() {
                        println!(
                            "{:<34} not installed ({}): bench/run.sh installs it",
                            tool.name,
                            path.display()
                        );
                        return None;
                    }
                    path
                }
            };
            let mut c = Command::new(python);
            c.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("python/extract.py"))
                .args([mode, base, TOKEN]);
            odbc.apply(&mut c);
            c
        }
    };
    reset(&http, base);
    let out = command.output().expect("tool process");
    let (requests, throttled) = counted(&http, base);
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().rev().find(|l| l.starts_with('{'));
    let result: Option<Value> = line.and_then(|l| serde_json::from_str(l).ok());
    let Some(result) = result.filter(|_| out.status.success()) else {
        let err = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = err.lines().rev().take(8).collect();
        println!(
            "{:<34} failed: {}",
            tool.name,
            tail.into_iter().rev().collect::<Vec<_>>().join("\n    ")
        );
        return None;
    };
    Some(Outcome {
        tool: tool.name,
        rows: result["rows"].as_u64().unwrap_or(0),
        seconds: result["seconds"].as_f64().unwrap_or(f64::NAN),
        requests,
        throttled,
        peak_mib: result["peak_rss_mib"].as_f64().unwrap_or(f64::NAN),
        first_row: result["first_row_s"]
            .as_f64()
            .zip(result["statement_first_row_s"].as_f64()),
        reading: result["after_first_row_s"]
            .as_f64()
            .zip(result["reader_cpu_s"].as_f64()),
    })
}

fn ratios(outcomes: &[Outcome], per_window: u64, round_trip: f64) {
    let time = |name: &str| {
        outcomes
            .iter()
            .find(|o| o.tool.starts_with(name))
            .map(|o| o.seconds)
    };
    let Some(driver) = time("driver") else { return };
    if let Some(o) = outcomes.iter().find(|o| o.tool.starts_with("driver")) {
        println!(
            "driver / the floor for its {} requests: {:.2}",
            o.requests,
            driver / floor_seconds(o.requests, per_window, round_trip)
        );
        if let Some((connected, executed)) = o.first_row {
            println!(
                "driver's first row: {:.0} ms after connecting began, {:.0} ms after execute",
                connected * 1000.0,
                executed * 1000.0
            );
        }
        if let Some((wall, cpu)) = o.reading {
            println!(
                "driver's rows after the first: {:.0} ms, of which the application's thread \
                 was busy {:.0} ms",
                wall * 1000.0,
                cpu * 1000.0
            );
        }
    }
    if let Some(plain) = time("plain") {
        println!("driver / plain loop: {:.2}", driver / plain);
    }
    let fastest_tool = outcomes
        .iter()
        .filter(|o| o.tool.starts_with("tap") || o.tool.starts_with("airbyte"))
        .min_by(|a, b| a.seconds.total_cmp(&b.seconds));
    if let Some(tool) = fastest_tool {
        println!(
            "driver / fastest extract tool ({}): {:.3}",
            tool.tool,
            driver / tool.seconds
        );
    }
}

/// Where `bench/run.sh` puts the tools' virtual environments.
fn venvs() -> PathBuf {
    std::env::var_os("PIPEDRIVE_BENCH_VENVS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/pipedrive-bench")
        })
}

/// The engine alone, in this process: connect, `SELECT * FROM Deals`, every batch.
fn engine_scan(base: &str) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let started = Instant::now();
    let rows = runtime.block_on(async {
        let client = Client::new(ClientConfig::new(base, Credentials::ApiToken(TOKEN.into())))
            .expect("client");
        let session = Session::connect(client).await.expect("connect");
        scan(&session, "SELECT * FROM Deals").await.rows
    });
    println!(
        "{}",
        serde_json::json!({"rows": rows, "seconds": started.elapsed().as_secs_f64(), "peak_rss_mib": peak_rss_mib()})
    );
}

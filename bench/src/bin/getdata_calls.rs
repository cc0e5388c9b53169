//! What the application's thread pays per value: every column of every deal read with one
//! `SQLGetData` each, as applications that fetch row by row do (pyodbc, Excel, isql), first
//! as text (SQL_C_CHAR), then as wide text (SQL_C_WCHAR). The driver is loaded by unixODBC
//! from its path (odbc-api, narrow); the sandbox runs in a child process, without latency, so
//! the scan's pages are decoded ahead of the reading.
//!
//! Prints, per pass, the wall time from execute to the last row, the time inside the
//! get-data calls and what one value costs on average (the driver manager's and odbc-api's
//! share included: a value longer than the buffer takes more than one call), and the time per
//! row left to `SQLFetch` and the scan.
//!
//! Run: cargo build --release --workspace && \
//!      $CARGO_TARGET_DIR/release/getdata_calls [DEALS [PASSES]]
//! (defaults: 100,000 deals, 3 passes of each kind). Needs unixODBC (scripts/test.sh
//! installs it).

use odbc_api::{ConnectionOptions, Cursor, Environment, ResultSetMetadata};
use pipedrive_bench::{deals_with_latency, driver_library, serve_if_asked, ChildSandbox, TOKEN};
use std::time::{Duration, Instant};

/// How a pass reads each value.
#[derive(Clone, Copy)]
enum As {
    Narrow,
    Wide,
}

/// One pass over the table.
struct Pass {
    rows: u64,
    columns: u16,
    wall: Duration,
    in_calls: Duration,
}

fn main() {
    serve_if_asked(deals_with_latency);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let deals = args.first().cloned().unwrap_or_else(|| "100000".into());
    let passes: usize = args.get(1).map_or(3, |p| p.parse().expect("passes"));
    let sandbox = ChildSandbox::start(&[deals.clone(), "0".into()]);
    let env = Environment::new().expect("ODBC environment");
    let connection_string = format!(
        "Driver={{{}}};BaseURL={};APIToken={TOKEN}",
        driver_library().display(),
        sandbox.base_url
    );
    println!("SELECT * FROM Deals over {deals} deals, one SQLGetData per value, no latency\n");
    println!("pass   rows     cols  wall s  in calls s  ns per value  us per row outside");
    for (kind, name) in [(As::Narrow, "char"), (As::Wide, "wchar")] {
        for _ in 0..passes {
            let conn = env
                .connect_with_connection_string(&connection_string, ConnectionOptions::default())
                .expect("connect");
            let p = read_all(&conn, kind);
            let calls = p.rows as f64 * f64::from(p.columns);
            let outside = p.wall.saturating_sub(p.in_calls);
            println!(
                "{name:<6} {:<8} {:<5} {:>6.2}  {:>10.2}  {:>12.1}  {:>17.2}",
                p.rows,
                p.columns,
                p.wall.as_secs_f64(),
                p.in_calls.as_secs_f64(),
                p.in_calls.as_secs_f64() * 1e9 / calls.max(1.0),
                outside.as_secs_f64() * 1e6 / (p.rows.max(1) as f64),
            );
        }
    }
}

/// Every value of `SELECT * FROM Deals`, read one call each.
fn read_all(conn: &odbc_api::Connection<'_>, kind: As) -> Pass {
    let started = Instant::now();
    let mut cursor = conn
        .execute("SELECT * FROM Deals", (), None)
        .expect("execute")
        .expect("a result set");
    let columns = cursor.num_result_cols().expect("columns") as u16;
    // odbc-api's default: 256 elements, grown (and kept) for longer values
    let (mut narrow, mut wide) = (Vec::new(), Vec::new());
    let (mut rows, mut in_calls) = (0u64, Duration::ZERO);
    while let Some(mut row) = cursor.next_row().expect("fetch") {
        let t = Instant::now();
        for column in 1..=columns {
            match kind {
                As::Narrow => row.get_text(column, &mut narrow),
                As::Wide => row.get_wide_text(column, &mut wide),
            }
            .expect("get data");
        }
        in_calls += t.elapsed();
        rows += 1;
    }
    Pass {
        rows,
        columns,
        wall: started.elapsed(),
        in_calls,
    }
}

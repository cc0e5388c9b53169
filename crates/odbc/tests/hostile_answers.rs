//! Answers the real API gives and a well-behaved client must not argue with, through unixODBC:
//! the daily budget used up and the edge's block page each end the statement with a message
//! saying what happened and when to try again, and stop every request on the token at once,
//! instead of a storm of retries that would only prolong them. An answer that never finishes
//! ends with the connection's `Timeout`, retries included. Answers spoiled on the way (cut
//! short, not UTF-8, a field of the wrong type, a gateway's page, a body without end) end the
//! statement with what was wrong, and an endless body is not held in memory.

mod common;

use common::*;
use odbc_api::{Connection, ConnectionOptions, Cursor, Environment};
use pipedrive_sandbox::{DataSizes, Faults, RateLimits, Sandbox, SandboxConfig, Spoil};
use std::sync::OnceLock;

fn env() -> &'static Environment {
    static ENV: OnceLock<Environment> = OnceLock::new();
    setup();
    ENV.get_or_init(|| Environment::new().expect("unixODBC environment"))
}

/// A sandbox with a token of its own: budgets are per token and process-wide.
fn sandbox(token: &str) -> Sandbox {
    Sandbox::start(SandboxConfig {
        sizes: DataSizes {
            deals: 1_200,
            persons: 50,
            ..DataSizes::default()
        },
        api_tokens: vec![token.to_string()],
        ..SandboxConfig::default()
    })
    .expect("sandbox")
}

fn connect(sandbox: &Sandbox, token: &str) -> Connection<'static> {
    connect_with(sandbox, token, "")
}

fn connect_with(sandbox: &Sandbox, token: &str, extra: &str) -> Connection<'static> {
    let text = format!(
        "Driver={{{DRIVER}}};BaseURL={};APIToken={token};{extra}",
        sandbox.base_url()
    );
    env()
        .connect_with_connection_string(&text, ConnectionOptions::default())
        .expect("connect")
}

/// The SQLSTATE and message a query ends with, executing or reading.
fn failure(conn: &Connection, sql: &str) -> (String, String) {
    let error = match conn.execute(sql, (), None) {
        Err(e) => e,
        Ok(cursor) => {
            let mut cursor = cursor.expect("a result");
            loop {
                match cursor.next_row() {
                    Err(e) => break e,
                    Ok(Some(_)) => {}
                    Ok(None) => panic!("{sql} read to its end"),
                }
            }
        }
    };
    diagnostic(error)
}

#[test]
fn the_daily_budget_used_up_stops_requests_until_it_renews() {
    let token = "daily-budget-token";
    let sb = sandbox(token);
    let conn = connect(&sb, token);
    sb.reset_stats();
    sb.set_limits(RateLimits {
        burst_per_2s: None,
        daily_tokens: Some(0),
    });
    let (state, message) = failure(&conn, "SELECT * FROM Deals");
    assert_eq!(state, "HY000", "{message}");
    assert!(
        message.contains("daily API budget is used up")
            && message.contains("Daily API token budget exceeded")
            && message.contains("renews it at midnight"),
        "{message}"
    );
    assert_eq!(
        sb.stats().requests,
        1,
        "the first 429 that says so is the last request"
    );
    // the rest of the process sends nothing either: another statement fails at once
    let (_, again) = failure(&conn, "SELECT * FROM Persons");
    assert!(again.contains("daily API budget is used up"), "{again}");
    assert_eq!(sb.stats().requests, 1, "{:?}", sb.stats().by_route);
}

#[test]
fn the_edges_block_page_stops_requests_for_a_while() {
    let token = "blocked-token";
    let sb = sandbox(token);
    let conn = connect(&sb, token);
    sb.reset_stats();
    sb.set_faults(Faults {
        blocked: true,
        ..Faults::none()
    });
    let (state, message) = failure(&conn, "SELECT * FROM Deals");
    assert_eq!(state, "HY000", "{message}");
    assert!(
        message.contains("Pipedrive blocked this token") && message.contains("no request is sent"),
        "{message}"
    );
    assert_eq!(sb.stats().requests, 1);
    let (_, again) = failure(&conn, "SELECT COUNT(*) FROM Deals");
    assert!(again.contains("Pipedrive blocked this token"), "{again}");
    assert_eq!(sb.stats().requests, 1, "{:?}", sb.stats().by_route);
}

#[test]
fn an_answer_that_never_finishes_ends_with_the_timeout() {
    let token = "slow-body-token";
    let sb = sandbox(token);
    let conn = connect_with(&sb, token, "Timeout=2");
    // each 16 KiB of a page after a pause longer than the whole Timeout
    sb.set_faults(Faults {
        slow_body: std::time::Duration::from_secs(3),
        ..Faults::none()
    });
    let started = std::time::Instant::now();
    let (state, message) = failure(&conn, "SELECT * FROM Deals");
    let took = started.elapsed();
    assert_eq!(state, "HYT00", "{message}");
    assert!(
        message.contains("the Timeout of 2 s for the whole request ran out"),
        "{message}"
    );
    // not a speed target: the bound only tells a finished wait from retries without end
    assert!(took < std::time::Duration::from_secs(20), "{took:?}");
}

#[test]
fn spoiled_answers_end_the_statement_with_what_was_wrong() {
    let token = "spoiled-token";
    let sb = sandbox(token);
    let cases: &[(Spoil, &str)] = &[
        (Spoil::Truncated, "the answer breaks off before its end"),
        (Spoil::InvalidUtf8, "the answer is not UTF-8 text"),
        (
            Spoil::WrongType,
            "the API sent \"n/a\" in the record with id",
        ),
        (
            Spoil::GatewayPage,
            "HTTP 502 (an HTML page from a gateway or proxy between this computer and Pipedrive",
        ),
    ];
    for (spoil, words) in cases {
        let conn = connect(&sb, token);
        sb.set_faults(Faults {
            spoil: Some(*spoil),
            ..Faults::none()
        });
        let (state, message) = failure(&conn, "SELECT * FROM Deals");
        sb.set_faults(Faults::none());
        assert_eq!(state, "HY000", "{spoil:?}: {message}");
        assert!(message.contains(words), "{spoil:?}: {message}");
        // nothing is left broken: the next statement reads every deal
        let mut cursor = conn
            .execute("SELECT COUNT(*) FROM Deals", (), None)
            .expect("count")
            .expect("a result");
        let mut row = cursor.next_row().expect("fetch").expect("a row");
        let mut count: i64 = 0;
        row.get_data(1, &mut count).expect("count");
        assert_eq!(count as usize, sb.count("deals"), "{spoil:?}");
    }
}

/// The process's peak resident memory so far, in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .expect("VmHWM");
    kib * 1024
}

#[test]
fn an_answer_without_end_is_refused_without_holding_it() {
    let token = "endless-token";
    let sb = sandbox(token);
    let conn = connect(&sb, token);
    // a GiB for each request of the scan: held whole, a few of them would take gigabytes
    sb.set_faults(Faults {
        spoil: Some(Spoil::Endless { mib: 1024 }),
        ..Faults::none()
    });
    let before = peak_rss();
    let (state, message) = failure(&conn, "SELECT * FROM Deals");
    let grew = peak_rss().saturating_sub(before);
    assert_eq!(state, "HY000", "{message}");
    assert!(
        message.contains("the answer is longer than 64 MiB, more than the API ever sends"),
        "{message}"
    );
    assert!(grew < 512 << 20, "peak memory grew by {} MiB", grew >> 20);
}

//! Answers the real API gives and a well-behaved client must not argue with, through unixODBC:
//! the daily budget used up and the edge's block page each end the statement with a message
//! saying what happened and when to try again, and stop every request on the token at once,
//! instead of a storm of retries that would only prolong them. An answer that never finishes
//! ends with the connection's `Timeout`, retries included.

mod common;

use common::*;
use odbc_api::{Connection, ConnectionOptions, Cursor, Environment};
use pipedrive_sandbox::{DataSizes, Faults, RateLimits, Sandbox, SandboxConfig};
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

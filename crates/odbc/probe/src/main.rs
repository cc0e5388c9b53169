//! `pipedrive-odbc-probe LIBRARY CONNECTION_STRING STATEMENT...`: loads the driver library,
//! allocates an environment (ODBC 3) and a connection, connects with `SQLDriverConnectW`, and
//! runs each statement. A statement is SQL, or `PARAM v1|v2|...;SQL` to prepare SQL with `?`
//! markers bound to those text values. Rows are printed tab-separated, one per line, after a
//! `columns:` line; a failure prints `error SQLSTATE: message`. The exit code is 0 when the
//! connection was made and every statement ran, 1 otherwise, 2 for bad arguments.
//!
//! `pipedrive-odbc-probe --config-dsn REQUEST DRIVER "k=v;k=v" [--window]` instead calls the
//! installer library's `SQLConfigDataSourceW` (see [`setup`]); REQUEST is add, config or
//! remove, or add-system, config-system or remove-system.

mod odbc;
mod setup;

use odbc::Driver;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--config-dsn") {
        let window = args.iter().any(|a| a == "--window");
        let done = match (args.get(1), args.get(2), args.get(3)) {
            (Some(request), Some(driver), Some(attributes)) => {
                setup::config_dsn(request, driver, attributes, window)
            }
            _ => Err(
                "usage: pipedrive-odbc-probe --config-dsn REQUEST DRIVER ATTRIBUTES [--window]"
                    .into(),
            ),
        };
        match done {
            Ok(ok) => std::process::exit(i32::from(!ok)),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        }
    }
    if args.len() < 2 {
        eprintln!("usage: pipedrive-odbc-probe LIBRARY CONNECTION_STRING [STATEMENT...]");
        std::process::exit(2);
    }
    let driver = match Driver::load(&args[0]) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let conn = match driver.connect(&args[1]) {
        Ok(c) => c,
        Err(e) => {
            println!("error {e}");
            std::process::exit(1);
        }
    };
    println!("connected: {}", conn.info(odbc::SQL_DBMS_NAME));
    let mut failed = false;
    for statement in &args[2..] {
        let (params, sql) = match statement.strip_prefix("PARAM ") {
            Some(rest) => {
                let (values, sql) = rest.split_once(';').unwrap_or((rest, ""));
                (values.split('|').map(String::from).collect(), sql)
            }
            None => (Vec::new(), statement.as_str()),
        };
        match conn.run(sql, &params) {
            Ok(rows) => {
                println!("columns: {}", rows.columns.join("\t"));
                for row in rows.values {
                    let cells: Vec<String> = row
                        .into_iter()
                        .map(|c| c.unwrap_or_else(|| "NULL".into()))
                        .collect();
                    println!("{}", cells.join("\t"));
                }
            }
            Err(e) => {
                println!("error {e}");
                failed = true;
            }
        }
    }
    std::process::exit(i32::from(failed));
}

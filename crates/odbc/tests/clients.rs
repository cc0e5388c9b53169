//! The driver under real client programs: isql and iusql (unixODBC, narrow and wide), pyodbc with
//! pandas, and iodbctest under the iODBC driver manager (4-byte SQLWCHAR).

mod common;

use common::*;
use std::io::Write;
use std::process::{Command, Stdio};

/// Runs a program with `input` on stdin; its stdout and stderr together.
fn run(program: &str, args: &[&str], input: &str, envs: &[(&str, String)]) -> String {
    let mut child = Command::new(program)
        .args(args)
        .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("{program} cannot be started ({e}): scripts/test.sh installs it")
        });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn isql_and_iusql_query_and_report_errors() {
    setup();
    for program in ["isql", "iusql"] {
        let out = run(
            program,
            &["-v", "-b", "-d|", DSN],
            "SELECT Id, Status FROM Deals WHERE Id IN (1, 2) ORDER BY Id\n",
            &[],
        );
        let lines: Vec<&str> = out
            .lines()
            .filter(|l| l.starts_with("1|") || l.starts_with("2|"))
            .collect();
        assert_eq!(lines.len(), 2, "{program}: {out}");
        let out = run(
            program,
            &["-v", "-b", DSN],
            "SELECT * FROM NoSuchTable\n",
            &[],
        );
        assert!(
            out.contains("[Pipedrive][ODBC] table") && out.contains("NoSuchTable"),
            "{program}: {out}"
        );
        if program == "isql" {
            // isql asks for ODBC 2 behaviour: the driver manager shows 42S02 as S0002
            assert!(out.contains("[S0002]"), "{out}");
        }
        let count = run(
            program,
            &["-v", "-b", "-d|", DSN],
            "SELECT COUNT(*) FROM Deals\n",
            &[],
        );
        assert!(
            count.lines().any(|l| l.trim() == DEALS.to_string()),
            "{program}: {count}"
        );
    }
}

#[test]
fn pyodbc_and_pandas() {
    setup();
    python_check("pyodbc_check.py", &[DSN, &dsn_less(""), &DEALS.to_string()]);
}

#[test]
fn iodbc_with_four_byte_wide_characters() {
    let s = setup();
    // iODBC finds drivers through ODBCINSTINI
    let envs = [
        (
            "ODBCINSTINI",
            s.dir.join("odbcinst.ini").display().to_string(),
        ),
        ("ODBCINI", s.dir.join("odbc.ini").display().to_string()),
    ];
    let out = run(
        "iodbctest",
        &[&format!("DSN={DSN}")],
        "SELECT Id, Title FROM Deals WHERE Id = 3\nSELECT COUNT(*) FROM Persons\nquit\n",
        &envs,
    );
    assert!(out.contains("result set 1 returned 1 rows"), "{out}");
    let title = first_title(3);
    assert!(
        out.contains(&title),
        "the Unicode title {title:?} is not in: {out}"
    );
    assert!(out.contains("300"), "{out}");
}

fn first_title(id: i64) -> String {
    let c = ffi::Conn::open(&format!("DSN={DSN}")).unwrap();
    let rows = ffi::rows(c.exec(&format!("SELECT Title FROM Deals WHERE Id = {id}")));
    rows[0][0].clone().unwrap()
}

//! The driver under the ODBC clients of other languages, through the unixODBC driver manager:
//! PHP's odbc extension and PDO_ODBC, Perl's DBD::ODBC, R's RODBC and Node's odbc package. Each
//! check script (tests/<language>/) reads the raw values from the sandbox's REST API itself and
//! compares them with what its client read through the driver: a query with a parameter,
//! `SELECT * FROM Deals` with every column of every deal, the long titles whole.

mod common;

use common::*;
use std::path::PathBuf;
use std::process::Command;

/// Runs `program` on the check script `dir/script` of tests with the DSN, the sandbox's base URL
/// and the API token as arguments, and `envs` added to the environment; it must succeed (no
/// crash either) and end with "all checks passed". Answers what it printed.
fn app_check(program: &str, dir: &str, script: &str, envs: &[(&str, String)]) -> String {
    let s = setup();
    let path = common::crate_dir().join("tests").join(dir).join(script);
    let out = Command::new(program)
        .arg(&path)
        .args([DSN, s.sandbox.base_url(), TOKEN])
        // the clients read and print UTF-8
        .env("LC_ALL", "C.UTF-8")
        .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} cannot be started ({e}): scripts/test.sh installs it")
        });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // a crash shows as the signal that ended the program
    assert!(
        out.status.success(),
        "{dir}/{script} ended with {}:\n{text}",
        out.status
    );
    assert!(text.contains("all checks passed"), "{dir}/{script}: {text}");
    text
}

#[test]
fn php_odbc_extension() {
    app_check("php", "php", "odbc_check.php", &[]);
}

#[test]
fn php_pdo_odbc_with_default_cursor_settings() {
    app_check("php", "php", "pdo_check.php", &[]);
}

#[test]
fn perl_dbd_odbc() {
    app_check("perl", "perl", "dbd_odbc_check.pl", &[]);
}

#[test]
fn r_rodbc() {
    app_check("Rscript", "r", "rodbc_check.R", &[]);
}

/// The node_modules folder with the odbc package: NODE_PATH, else where scripts/test.sh installs
/// tests/node/package.json (outside the clone, as the build directory is).
fn node_modules() -> String {
    let dir = std::env::var("NODE_PATH").unwrap_or_else(|_| {
        let home = std::env::var("HOME").expect("HOME");
        format!("{home}/.cache/pipedrive-odbc-node/node_modules")
    });
    assert!(
        PathBuf::from(&dir).join("odbc").is_dir(),
        "Node's odbc package is not installed in {dir}: scripts/test.sh installs it"
    );
    dir
}

#[test]
fn node_odbc_package() {
    app_check(
        "node",
        "node",
        "odbc_check.js",
        &[("NODE_PATH", node_modules())],
    );
}

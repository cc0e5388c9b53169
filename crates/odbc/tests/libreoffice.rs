//! The driver under LibreOffice Base: soffice runs headless with a private profile and connects to
//! the DSN through its ODBC bridge (sdbc:odbc:<DSN>) and unixODBC. tests/libreoffice/base_check.py
//! drives it over Python-UNO: a query read to the end, scroll-insensitive statements scrolled back
//! (first, absolute, previous, relative, last), and the table opened as Base's table view opens it
//! (a com.sun.star.sdb.RowSet), every value compared with the sandbox's REST API.

mod common;

use common::*;
use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What base_check.py may take in all (its watchdog kills soffice then); the test waits a minute
/// longer for the script itself.
const TIMEOUT_SECS: u64 = 900;

/// The interpreter with the uno module: python3-uno installs it for Debian's system Python, which
/// need not be the python3 first on PATH (a pyenv shim, say). PIPEDRIVE_ODBC_UNO_PYTHON overrides.
fn uno_python() -> String {
    if let Ok(python) = std::env::var("PIPEDRIVE_ODBC_UNO_PYTHON") {
        return python;
    }
    if Path::new("/usr/bin/python3").exists() {
        return "/usr/bin/python3".to_string();
    }
    "python3".to_string()
}

#[test]
fn libreoffice_base_reads_and_scrolls_back() {
    let s = setup();
    let script = common::crate_dir().join("tests/libreoffice/base_check.py");
    // the script's output goes to a file: no pipe to drain while the test waits with a deadline
    let log_path = s.dir.join("libreoffice-base-check.log");
    let log = File::create(&log_path).unwrap();
    let python = uno_python();
    let timeout = TIMEOUT_SECS.to_string();
    // ODBCSYSINI and ODBCINI (set by setup) pass on to python3 and from it to soffice
    let mut child = Command::new(&python)
        .arg(&script)
        .args([
            DSN,
            s.sandbox.base_url(),
            TOKEN,
            "--timeout",
            timeout.as_str(),
        ])
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| {
            panic!("{python} cannot be started ({e}): scripts/test.sh installs python3-uno")
        });
    let deadline = Instant::now() + Duration::from_secs(TIMEOUT_SECS + 60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let text = std::fs::read_to_string(&log_path).unwrap_or_default();
    let status =
        status.unwrap_or_else(|| panic!("base_check.py did not finish in time (killed): {text}"));
    assert!(status.success(), "base_check.py ({status}): {text}");
    assert!(text.contains("all checks passed"), "base_check.py: {text}");
    assert!(
        text.contains(&format!("the API has {DEALS} deals")),
        "base_check.py did not read every deal from the API: {text}"
    );
}

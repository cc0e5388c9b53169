//! The Debian package (scripts/package-deb.sh) made from this build: installing it registers
//! the driver with unixODBC in the system's odbcinst.ini, isql then reads the sandbox through
//! it by the driver's name, and removing it unregisters the driver and takes its files away.
//! It installs into the machine itself (as root, or with sudo), so it refuses to run where
//! the package is already installed.

use pipedrive_sandbox::{Sandbox, SandboxConfig};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TOKEN: &str = "deb-token";
const DRIVER: &str = "Pipedrive ODBC Driver";

/// A command with the system's ODBC configuration (none of the test's private files).
fn system_command(program: &str) -> Command {
    // SAFETY: geteuid only reads the process's user id.
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if root || !program.starts_with("dpkg") {
        Command::new(program)
    } else {
        let mut c = Command::new("sudo");
        c.args(["-n", program]);
        c
    };
    for var in ["ODBCSYSINI", "ODBCINI", "ODBCINSTINI"] {
        cmd.env_remove(var);
    }
    cmd
}

fn ok(out: Output, what: &str) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{what} failed: {text}");
    text
}

fn registered_driver() -> Option<String> {
    let out = system_command("odbcinst")
        .args(["-q", "-d", "-n", DRIVER])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.success() && text.contains("Driver")).then_some(text)
}

#[test]
fn the_deb_registers_the_driver_serves_isql_and_unregisters_on_removal() {
    let installed = system_command("dpkg-query")
        .args(["-W", "-f=${Status}", "pipedrive-odbc"])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&installed.stdout).contains("installed"),
        "the pipedrive-odbc package is installed on this machine; this test installs and \
         removes its own build: remove it first (dpkg -r pipedrive-odbc)"
    );
    let built = Path::new(env!("CARGO_BIN_EXE_pipedrive-odbc"))
        .parent()
        .unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let script = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), PathBuf::from)
        .join("../../scripts/package-deb.sh");
    let deb = PathBuf::from(
        ok(
            Command::new(&script)
                .arg("--from")
                .arg(built)
                .arg("--out")
                .arg(out_dir.path())
                .arg("--fast")
                .output()
                .unwrap(),
            "package-deb.sh",
        )
        .lines()
        .last()
        .unwrap()
        .trim(),
    );
    let listing = ok(
        Command::new("dpkg-deb")
            .arg("-c")
            .arg(&deb)
            .output()
            .unwrap(),
        "dpkg-deb -c",
    );
    for file in [
        "odbc/libpipedrive_odbc.so",
        "./usr/bin/pipedrive-odbc",
        "doc/pipedrive-odbc/LICENSE-MIT",
        "doc/pipedrive-odbc/LICENSE-APACHE",
        "doc/pipedrive-odbc/THIRD-PARTY-LICENSES.gz",
        "doc/pipedrive-odbc/copyright",
    ] {
        assert!(
            listing.contains(file),
            "{file} is not in the package: {listing}"
        );
    }

    ok(
        system_command("dpkg").arg("-i").arg(&deb).output().unwrap(),
        "dpkg -i",
    );
    let section = registered_driver().expect("the driver is registered after install");
    let library = section
        .lines()
        .find_map(|l| l.strip_prefix("Driver="))
        .expect("a Driver= line")
        .trim()
        .to_string();
    assert!(
        library.ends_with("/odbc/libpipedrive_odbc.so") && Path::new(&library).exists(),
        "{section}"
    );

    let mut config = SandboxConfig {
        api_tokens: vec![TOKEN.into()],
        ..SandboxConfig::default()
    };
    config.sizes.deals = 120;
    let sandbox = Sandbox::start(config).expect("sandbox");
    let connection = format!(
        "Driver={{{DRIVER}}};AuthScheme=Basic;APIToken={TOKEN};BaseURL={}",
        sandbox.base_url()
    );
    let mut isql = system_command("isql")
        .args(["-k", &connection, "-b", "-d|"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    isql.stdin
        .take()
        .unwrap()
        .write_all(b"SELECT COUNT(*) FROM Deals\n")
        .unwrap();
    let answer = ok(isql.wait_with_output().unwrap(), "isql");
    assert!(
        answer.lines().any(|l| l.trim() == "120"),
        "isql through the installed driver: {answer}"
    );
    let which = ok(
        system_command("/usr/bin/pipedrive-odbc")
            .arg("--version")
            .output()
            .unwrap(),
        "the installed pipedrive-odbc",
    );
    assert!(which.contains(env!("CARGO_PKG_VERSION")), "{which}");

    ok(
        system_command("dpkg")
            .args(["-r", "pipedrive-odbc"])
            .output()
            .unwrap(),
        "dpkg -r",
    );
    assert_eq!(registered_driver(), None, "the driver is still registered");
    assert!(!Path::new(&library).exists(), "{library} is still there");
    assert!(!Path::new("/usr/bin/pipedrive-odbc").exists());
}

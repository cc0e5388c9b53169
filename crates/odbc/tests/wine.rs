//! The Windows build under Wine: `pipedrive-odbc.exe install` registers the DLL and a user and
//! a system DSN in the registry (through odbccp32), the probe program loads the DLL as a driver
//! manager does and reads the sandbox on 127.0.0.1 by each DSN (the driver finds them through
//! odbccp32 too), with a parameter, a write with RETURNING and a refused token; uninstall
//! leaves no key behind. Wine 8's odbc32 cannot load Windows drivers, hence the probe.
//!
//! Needs the Windows build and Wine, which a first build of CI cannot afford (a cold x86_64
//! build takes longer than the rest of the tests): run it by name after
//! `scripts/build-windows.sh --target x86_64`, with
//! `cargo test --workspace --test wine -- --ignored` (it installs nothing itself; Debian's
//! wine and wine64 are needed).

use pipedrive_sandbox::{DataSizes, Sandbox, SandboxConfig};
use std::path::{Path, PathBuf};
use std::process::Command;

const TOKEN: &str = "wine-token";
const DEALS: usize = 150;

/// A file of the x86_64 debug build of scripts/build-windows.sh (`PIPEDRIVE_WINDOWS_PROFILE`
/// names another profile's folder for the driver and the CLI).
fn windows_build(file: &str) -> PathBuf {
    let root = std::env::var_os("PIPEDRIVE_WINDOWS_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").expect("HOME"))
                .join(".cache/pipedrive-odbc-windows")
        });
    let profile = match file {
        "pipedrive-odbc-probe.exe" => "debug".to_string(),
        _ => std::env::var("PIPEDRIVE_WINDOWS_PROFILE").unwrap_or_else(|_| "debug".into()),
    };
    root.join("x86_64-pc-windows-gnu").join(profile).join(file)
}

struct Wine {
    prefix: tempfile::TempDir,
}

impl Wine {
    /// A Wine prefix of its own, with the ProcessPrng stand-in Wine 8 lacks, and the driver,
    /// the CLI and the probe in C:\pipedrive.
    fn new() -> Wine {
        let prefix = tempfile::tempdir().unwrap();
        let wine = Wine { prefix };
        let boot = wine.command("wineboot").arg("-i").output().unwrap();
        assert!(
            boot.status.success(),
            "wineboot: {}",
            String::from_utf8_lossy(&boot.stderr)
        );
        let system32 = wine.prefix.path().join("drive_c/windows/system32");
        let shim = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wine/bcryptprimitives.c");
        let out = Command::new("x86_64-w64-mingw32-gcc")
            .args(["-shared", "-O2", "-o"])
            .arg(system32.join("bcryptprimitives.dll"))
            .arg(&shim)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let dir = wine.prefix.path().join("drive_c/pipedrive");
        std::fs::create_dir_all(&dir).unwrap();
        for file in [
            "pipedrive_odbc.dll",
            "pipedrive-odbc.exe",
            "pipedrive-odbc-probe.exe",
        ] {
            let from = windows_build(file);
            assert!(
                from.exists(),
                "{} is not built: run scripts/build-windows.sh --target x86_64",
                from.display()
            );
            std::fs::copy(&from, dir.join(file)).unwrap();
        }
        wine
    }

    fn command(&self, program: &str) -> Command {
        let mut c = Command::new("wine");
        c.arg(program)
            .env("WINEPREFIX", self.prefix.path())
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env_remove("DISPLAY");
        c
    }

    /// Runs a program of C:\pipedrive; its output and whether it succeeded.
    fn run(&self, program: &str, args: &[&str]) -> (bool, String) {
        let out = self
            .command(&format!("C:\\pipedrive\\{program}"))
            .args(args)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
        .replace('\r', "");
        (out.status.success(), text)
    }

    fn probe(&self, connection: &str, statements: &[&str]) -> (bool, String) {
        let mut args = vec!["C:\\pipedrive\\pipedrive_odbc.dll", connection];
        args.extend_from_slice(statements);
        self.run("pipedrive-odbc-probe.exe", &args)
    }

    /// A registry key's values as `reg query` prints them, `None` when there is no such key.
    fn key(&self, key: &str) -> Option<String> {
        let out = self.command("reg").args(["query", key]).output().unwrap();
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).replace('\r', ""))
    }
}

#[test]
#[ignore = "needs the Windows build (scripts/build-windows.sh) and Wine"]
fn the_windows_driver_installs_reads_writes_and_uninstalls_under_wine() {
    let sandbox = Sandbox::start(SandboxConfig {
        sizes: DataSizes {
            deals: DEALS,
            ..DataSizes::default()
        },
        api_tokens: vec![TOKEN.to_string()],
        ..SandboxConfig::default()
    })
    .expect("sandbox");
    let base = sandbox.base_url();
    let wine = Wine::new();

    // install: the driver and a user DSN, then a system DSN of another name
    let set_token = format!("APIToken={TOKEN}");
    let set_base = format!("BaseURL={base}");
    let library = "C:\\pipedrive\\pipedrive_odbc.dll";
    let install = [
        "install",
        "--library",
        library,
        "--set",
        &set_token,
        "--set",
        &set_base,
    ];
    for extra in [&[][..], &["--system", "--dsn-name", "PipedriveSystem"]] {
        let args: Vec<&str> = install.iter().chain(extra).copied().collect();
        let (ok, out) = wine.run("pipedrive-odbc.exe", &args);
        assert!(ok, "{args:?}: {out}");
    }
    let driver = wine
        .key(r"HKLM\Software\ODBC\ODBCINST.INI\Pipedrive ODBC Driver")
        .expect("the driver's key");
    assert!(driver.contains(library), "{driver}");
    let user = wine
        .key(r"HKCU\Software\ODBC\ODBC.INI\Pipedrive")
        .expect("the user DSN's key");
    assert!(user.contains(TOKEN) && user.contains(&base), "{user}");
    assert!(wine
        .key(r"HKLM\Software\ODBC\ODBC.INI\PipedriveSystem")
        .is_some());

    // read by each DSN: a count, a parameter, a write with RETURNING
    let title = sandbox_title(&base, 3);
    for dsn in ["DSN=Pipedrive", "DSN=PipedriveSystem"] {
        let (ok, out) = wine.probe(
            dsn,
            &[
                "SELECT COUNT(*) FROM Deals",
                "PARAM 3;SELECT Id, Title FROM Deals WHERE Id = ?",
                "INSERT INTO Notes (Content, DealId) VALUES ('from Wine', 3) RETURNING Content, DealId",
            ],
        );
        assert!(ok, "{dsn}: {out}");
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.contains(&DEALS.to_string().as_str()), "{dsn}: {out}");
        assert!(
            lines.contains(&format!("3\t{title}").as_str()),
            "{dsn}: {out}"
        );
        assert!(lines.contains(&"from Wine\t3"), "{dsn}: {out}");
    }

    // the headless OAuth flow: the code of an approval given elsewhere as OAuthVerifier; the
    // driver exchanges it and keeps the tokens in a settings file at a Windows path
    let callback = "http://localhost:5599/callback";
    let code = sandbox.approve("sandbox-client", callback, None);
    let settings = "C:\\pipedrive\\OAuthSettings.txt";
    let oauth = format!(
        "AuthScheme=OAuth;OAuthClientId=sandbox-client;OAuthClientSecret=sandbox-secret;\
         OAuthServerURL={base};InitiateOAuth=REFRESH;CallbackURL={callback};\
         OAuthVerifier={code};OAuthSettingsLocation={settings}"
    );
    let (ok, out) = wine.probe(&oauth, &["SELECT COUNT(*) FROM Deals"]);
    assert!(
        ok && out.lines().any(|l| l == DEALS.to_string()),
        "OAuth: {out}"
    );
    assert!(wine
        .prefix
        .path()
        .join("drive_c/pipedrive/OAuthSettings.txt")
        .exists());

    // a refused token: 28000, and the connection is not made
    let (ok, out) = wine.probe(&format!("APIToken=revoked;BaseURL={base}"), &[]);
    assert!(!ok && out.contains("error 28000"), "{out}");

    // uninstall takes the driver and both DSNs out of the registry
    let (ok, out) = wine.run("pipedrive-odbc.exe", &["uninstall"]);
    assert!(ok, "uninstall: {out}");
    let (ok, out) = wine.run(
        "pipedrive-odbc.exe",
        &["uninstall", "--system", "--dsn-name", "PipedriveSystem"],
    );
    assert!(ok, "uninstall --system: {out}");
    assert_eq!(wine.key(r"HKCU\Software\ODBC\ODBC.INI\Pipedrive"), None);
    assert_eq!(
        wine.key(r"HKLM\Software\ODBC\ODBC.INI\PipedriveSystem"),
        None
    );
    assert_eq!(
        wine.key(r"HKLM\Software\ODBC\ODBCINST.INI\Pipedrive ODBC Driver"),
        None
    );
}

/// A deal's title as the sandbox's REST API gives it.
fn sandbox_title(base: &str, id: u64) -> String {
    use pipedrive_api::{ApiVersion, Client, ClientConfig, Credentials};
    let client = Client::new(ClientConfig::new(base, Credentials::ApiToken(TOKEN.into()))).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let deal = runtime
        .block_on(client.get(ApiVersion::V2, &format!("deals/{id}")))
        .unwrap();
    deal["data"]["title"].as_str().expect("a title").to_string()
}

//! The Windows build under Wine, as a Windows user meets it: the MSI installs silently (the
//! driver registered for 64-bit and 32-bit applications, a user DSN and a system DSN named
//! Pipedrive); the DSN dialog, opened through `SQLConfigDataSourceW` over a window as the ODBC
//! Data Source Administrator opens it, is filled by keystrokes, its Test Connection answers
//! 28000 for a wrong token and who is signed in for a good one, and OK saves the DSN in the
//! registry; a system DSN is made without a window; the probe program loads the DLL as a driver
//! manager does and reads the sandbox on 127.0.0.1 by the user DSN and by the system DSN (a
//! count, a parameter, a write with RETURNING), signs in with an OAuth verifier, and is refused
//! a wrong token; uninstalling leaves no driver or DSN key. Wine 8's odbc32 cannot load Windows
//! drivers, hence the probe.
//!
//! Needs both Windows builds (the MSI holds the 32-bit DLL too), Wine, Xvfb and xdotool, which a
//! first build of CI cannot afford: run it by name after
//! `scripts/build-windows.sh --profile wine`, with
//! `cargo test --workspace --test wine -- --ignored` (`PIPEDRIVE_WINDOWS_PROFILE` names another
//! profile's build).

mod common;

use pipedrive_sandbox::{DataSizes, Sandbox, SandboxConfig};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TOKEN: &str = "wine-token";
const DEALS: usize = 150;
const DRIVER: &str = "Pipedrive ODBC Driver";

fn windows_dir() -> PathBuf {
    std::env::var_os("PIPEDRIVE_WINDOWS_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").expect("HOME"))
                .join(".cache/pipedrive-odbc-windows")
        })
}

fn profile() -> String {
    std::env::var("PIPEDRIVE_WINDOWS_PROFILE").unwrap_or_else(|_| "wine".into())
}

/// The MSI of the build, made by scripts/package-msi.sh into `dir`.
fn build_msi(dir: &Path) -> PathBuf {
    let root = common::crate_dir().join("../..");
    let out = Command::new(root.join("scripts/package-msi.sh"))
        .args(["--no-build", "--profile", &profile(), "--out"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "package-msi.sh: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let msi = PathBuf::from(String::from_utf8_lossy(&out.stdout).lines().last().unwrap());
    assert!(msi.exists(), "{}", msi.display());
    msi
}

/// An X server of its own (Xvfb), for the dialog.
struct Display {
    number: u32,
    server: Child,
}

impl Display {
    fn start() -> Display {
        let number = 70 + std::process::id() % 200;
        let server = Command::new("Xvfb")
            .arg(format!(":{number}"))
            .args(["-screen", "0", "1024x768x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb");
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
        let start = Instant::now();
        while !socket.exists() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "Xvfb did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Display { number, server }
    }

    fn name(&self) -> String {
        format!(":{}", self.number)
    }

    /// Runs xdotool; its output.
    fn xdotool(&self, args: &[&str]) -> String {
        let out = Command::new("timeout")
            .arg("60")
            .arg("xdotool")
            .args(args)
            .env("DISPLAY", self.name())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "xdotool {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// The first window whose title matches `pattern` (waits for it), focused.
    fn window(&self, pattern: &str) -> String {
        let found = self.xdotool(&["search", "--sync", "--onlyvisible", "--name", pattern]);
        let window = found.lines().next().unwrap_or_default().to_string();
        self.xdotool(&["windowfocus", "--sync", &window]);
        window
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["key", "--delay", "60"];
        args.extend_from_slice(keys);
        self.xdotool(&args);
    }

    fn type_text(&self, text: &str) {
        self.xdotool(&["type", "--delay", "60", text]);
    }

    /// A picture of the screen (for the README), when ImageMagick's `import` is there.
    fn screenshot(&self, file: &Path) {
        let _ = Command::new("import")
            .args(["-window", "root"])
            .arg(file)
            .env("DISPLAY", self.name())
            .output();
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.server.kill();
    }
}

struct Wine {
    prefix: tempfile::TempDir,
}

impl Wine {
    /// A Wine prefix of its own, with the ProcessPrng stand-in Wine 8 lacks, and the probe in
    /// C:\probe.
    fn new() -> Wine {
        let prefix = tempfile::tempdir().unwrap();
        let wine = Wine { prefix };
        let boot = wine.command("wineboot", None).arg("-i").output().unwrap();
        assert!(
            boot.status.success(),
            "wineboot: {}",
            String::from_utf8_lossy(&boot.stderr)
        );
        let system32 = wine.prefix.path().join("drive_c/windows/system32");
        let shim = common::crate_dir().join("tests/wine/bcryptprimitives.c");
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
        let dir = wine.prefix.path().join("drive_c/probe");
        std::fs::create_dir_all(&dir).unwrap();
        let probe = windows_dir().join("x86_64-pc-windows-gnu/debug/pipedrive-odbc-probe.exe");
        assert!(
            probe.exists(),
            "{} is not built: run scripts/build-windows.sh",
            probe.display()
        );
        std::fs::copy(&probe, dir.join("probe.exe")).unwrap();
        wine
    }

    /// `wine PROGRAM` in the prefix, on `display` or with none.
    fn command(&self, program: &str, display: Option<&Display>) -> Command {
        let mut c = Command::new("wine");
        c.arg(program)
            .env("WINEPREFIX", self.prefix.path())
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=");
        match display {
            Some(d) => c.env("DISPLAY", d.name()),
            None => c.env_remove("DISPLAY"),
        };
        c
    }

    /// Runs a program; its output and whether it succeeded.
    fn run(&self, program: &str, args: &[&str]) -> (bool, String) {
        let out = self.command(program, None).args(args).output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
        .replace('\r', "");
        (out.status.success(), text)
    }

    fn probe(&self, connection: &str, statements: &[&str]) -> (bool, String) {
        let library = "C:\\Program Files\\Pipedrive ODBC\\pipedrive_odbc.dll";
        let mut args = vec![library, connection];
        args.extend_from_slice(statements);
        self.run("C:\\probe\\probe.exe", &args)
    }

    /// `SQLConfigDataSourceW` without a window.
    fn config_dsn(&self, request: &str, attributes: &str) -> (bool, String) {
        self.run(
            "C:\\probe\\probe.exe",
            &["--config-dsn", request, DRIVER, attributes],
        )
    }

    /// A registry key's values as `reg query` prints them, `None` when there is no such key.
    fn key(&self, key: &str) -> Option<String> {
        let (ok, out) = self.run("reg", &["query", key]);
        ok.then_some(out)
    }

    /// `msiexec` with these arguments, silent.
    fn msiexec(&self, action: &str, msi: &Path) {
        let path = format!("Z:{}", msi.display()).replace('/', "\\");
        let (ok, out) = self.run("msiexec", &[action, &path, "/qn"]);
        assert!(ok, "msiexec {action}: {out}");
    }
}

impl Drop for Wine {
    fn drop(&mut self) {
        // the prefix's server writes its registry on leaving: it goes before the folder does
        let _ = Command::new("wineserver")
            .arg("-k")
            .env("WINEPREFIX", self.prefix.path())
            .output();
    }
}

#[test]
#[ignore = "needs the Windows builds (scripts/build-windows.sh), Wine, Xvfb and xdotool"]
fn the_windows_driver_installs_configures_reads_writes_and_uninstalls_under_wine() {
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
    let work = tempfile::tempdir().unwrap();
    let msi = build_msi(work.path());
    let wine = Wine::new();

    // the silent install: the driver for both bitnesses, a user and a system DSN
    wine.msiexec("/i", &msi);
    let views = [
        (r"HKLM\Software\ODBC", r"C:\Program Files\Pipedrive ODBC"),
        (
            r"HKLM\Software\WOW6432Node\ODBC",
            r"C:\Program Files (x86)\Pipedrive ODBC",
        ),
    ];
    for (view, folder) in views {
        let driver = wine
            .key(&format!(r"{view}\ODBCINST.INI\{DRIVER}"))
            .unwrap_or_else(|| panic!("{view}: the driver's key"));
        assert!(
            driver.contains(&format!(r"{folder}\pipedrive_odbc.dll")),
            "{driver}"
        );
        let drivers = wine
            .key(&format!(r"{view}\ODBCINST.INI\ODBC Drivers"))
            .unwrap();
        assert!(drivers.contains(DRIVER), "{drivers}");
        let dsn = wine.key(&format!(r"{view}\ODBC.INI\Pipedrive")).unwrap();
        assert!(dsn.contains("AuthScheme"), "{view}: {dsn}");
    }
    assert!(wine.key(r"HKCU\Software\ODBC\ODBC.INI\Pipedrive").is_some());

    // the dialog over a window: a wrong token tested (28000), then the right one, then OK
    let display = Display::start();
    let dialog = wine
        .command("C:\\probe\\probe.exe", Some(&display))
        .args([
            "--config-dsn",
            "config",
            DRIVER,
            &format!("DSN=Pipedrive;BaseURL={base}"),
            "--window",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let form = display.window("Pipedrive DSN");
    // the cursor starts in the empty APIToken field
    display.type_text("wrong-token");
    display.keys(&["alt+t"]);
    display.window(r"connection failed \(28000\)");
    display.keys(&["Return"]);
    display.xdotool(&["windowfocus", "--sync", &form]);
    // the button has the focus now: a click puts the cursor back in the APIToken field (the
    // third row of the Connection tab), at the end of the text typed
    display.xdotool(&["mousemove", "--window", &form, "400", "145", "click", "1"]);
    display.keys(&["End"]);
    display.keys(&["--repeat", "20", "BackSpace"]);
    display.type_text(TOKEN);
    display.keys(&["alt+t"]);
    display.window("connection succeeded");
    display.screenshot(&work.path().join("test-connection.png"));
    display.keys(&["Return"]);
    display.xdotool(&["windowfocus", "--sync", &form]);
    display.screenshot(&work.path().join("dialog.png"));
    display.keys(&["Return"]);
    let out = dialog.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("ConfigDSN: TRUE"), "{said}");
    if let Some(folder) = std::env::var_os("PIPEDRIVE_SCREENSHOTS") {
        for picture in ["dialog.png", "test-connection.png"] {
            let _ = std::fs::copy(work.path().join(picture), Path::new(&folder).join(picture));
        }
    }
    let user = wine.key(r"HKCU\Software\ODBC\ODBC.INI\Pipedrive").unwrap();
    assert!(user.contains(TOKEN) && user.contains(&base), "{user}");

    // a system DSN made without a window; a wrong key refused with the installer's error
    let attributes = format!("DSN=PipedriveSystem;APIToken={TOKEN};BaseURL={base}");
    let (ok, out) = wine.config_dsn("add-system", &attributes);
    assert!(ok, "{out}");
    // (Wine's odbccp32 drops the reason a setup function posts, so only the refusal shows)
    let (ok, out) = wine.config_dsn("add-system", "DSN=Typo;APIKey=x");
    assert!(!ok && out.contains("ConfigDSN: FALSE"), "{out}");
    assert_eq!(wine.key(r"HKLM\Software\ODBC\ODBC.INI\Typo"), None);
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
    let settings = "C:\\probe\\OAuthSettings.txt";
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
        .join("drive_c/probe/OAuthSettings.txt")
        .exists());

    // a refused token: 28000, and the connection is not made
    let (ok, out) = wine.probe(&format!("APIToken=revoked;BaseURL={base}"), &[]);
    assert!(!ok && out.contains("error 28000"), "{out}");

    // the command line installed with the driver registers a (system) DSN of its own too
    // (Wine's odbccp32 writes and removes DSNs in the system's registry whatever the mode)
    let cli = "C:\\Program Files\\Pipedrive ODBC\\pipedrive-odbc.exe";
    let (set_token, set_base) = (format!("APIToken={TOKEN}"), format!("BaseURL={base}"));
    let (ok, out) = wine.run(
        cli,
        &[
            "install",
            "--system",
            "--dsn-name",
            "PipedriveCli",
            "--set",
            &set_token,
            "--set",
            &set_base,
        ],
    );
    assert!(ok, "install: {out}");
    let (ok, out) = wine.probe("DSN=PipedriveCli", &["SELECT COUNT(*) FROM Deals"]);
    assert!(ok && out.lines().any(|l| l == DEALS.to_string()), "{out}");
    let uninstall = ["uninstall", "--system", "--dsn-name", "PipedriveCli"];
    let (ok, out) = wine.run(cli, &uninstall);
    assert!(ok, "uninstall: {out}");
    assert_eq!(wine.key(r"HKLM\Software\ODBC\ODBC.INI\PipedriveCli"), None);

    // uninstall: the DSN made by hand removed through ConfigDSN, then the MSI's removal takes
    // the driver and its DSNs (with the token saved in one) out of both registry views
    let (ok, out) = wine.config_dsn("remove-system", "DSN=PipedriveSystem");
    assert!(ok, "{out}");
    wine.msiexec("/x", &msi);
    for key in [
        format!(r"HKLM\Software\ODBC\ODBCINST.INI\{DRIVER}"),
        format!(r"HKLM\Software\WOW6432Node\ODBC\ODBCINST.INI\{DRIVER}"),
        r"HKLM\Software\ODBC\ODBC.INI\Pipedrive".into(),
        r"HKLM\Software\WOW6432Node\ODBC\ODBC.INI\Pipedrive".into(),
        r"HKLM\Software\ODBC\ODBC.INI\PipedriveSystem".into(),
        r"HKCU\Software\ODBC\ODBC.INI\Pipedrive".into(),
    ] {
        assert_eq!(wine.key(&key), None, "{key} is left");
    }
    for list in [
        r"HKLM\Software\ODBC\ODBCINST.INI\ODBC Drivers",
        r"HKLM\Software\ODBC\ODBC.INI\ODBC Data Sources",
        r"HKCU\Software\ODBC\ODBC.INI\ODBC Data Sources",
    ] {
        let values = wine.key(list).unwrap_or_default();
        assert!(!values.contains("Pipedrive"), "{list}: {values}");
    }
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
        .block_on(client.get(ApiVersion::V2, &format!("/deals/{id}")))
        .unwrap();
    deal["title"]
        .as_str()
        .unwrap_or_else(|| panic!("no title in {deal}"))
        .to_string()
}

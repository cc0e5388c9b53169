//! The driver's setup entry points as unixODBC's installer library calls them:
//! `SQLConfigDataSource(W)` loads the driver's `Setup` library (the driver itself) and calls its
//! `ConfigDSN(W)` without a window, the way scripts and installers make DSNs; `ConfigDriver` is
//! called as an installer calls it once the driver is registered. DSNs are checked and written to the user's or the system's odbc.ini
//! as the request says, and failures come back through `SQLInstallerError` with the installer
//! error code and the reason. One test: the installer takes its files from the environment.

mod common;

use libloading::Library;
use std::ffi::{c_char, c_void};

type H = *mut c_void;
type ConfigDataSource = unsafe extern "system" fn(H, u16, *const c_char, *const c_char) -> i32;
type ConfigDataSourceW = unsafe extern "system" fn(H, u16, *const u16, *const u16) -> i32;
type InstallerError = unsafe extern "system" fn(u16, *mut u32, *mut c_char, u16, *mut u16) -> i16;
type ConfigDriver = unsafe extern "system" fn(
    H,
    u16,
    *const c_char,
    *const c_char,
    *mut c_char,
    u16,
    *mut u16,
) -> i32;

const DRIVER: &str = "Pipedrive ODBC (setup test)";

struct Odbcinst {
    config: ConfigDataSource,
    config_w: ConfigDataSourceW,
    error: InstallerError,
    _library: Library,
}

impl Odbcinst {
    /// `SQLConfigDataSource(W)` of `key=value;...`: `Ok(())`, or the installer's error code
    /// and message.
    fn configure(&self, wide: bool, request: u16, attributes: &str) -> Result<(), (u32, String)> {
        let pairs: Vec<&str> = attributes.split(';').filter(|p| !p.is_empty()).collect();
        // SAFETY: NUL-terminated driver names, attribute lists ending in an empty string.
        let done = unsafe {
            if wide {
                let driver: Vec<u16> = DRIVER.encode_utf16().chain([0]).collect();
                let list: Vec<u16> = pairs
                    .iter()
                    .flat_map(|p| p.encode_utf16().chain([0]))
                    .chain([0])
                    .collect();
                (self.config_w)(
                    std::ptr::null_mut(),
                    request,
                    driver.as_ptr(),
                    list.as_ptr(),
                )
            } else {
                let driver = format!("{DRIVER}\0");
                let mut list: Vec<u8> = pairs.iter().flat_map(|p| p.bytes().chain([0])).collect();
                list.push(0);
                (self.config)(
                    std::ptr::null_mut(),
                    request,
                    driver.as_ptr().cast(),
                    list.as_ptr().cast(),
                )
            }
        };
        if done != 0 {
            return Ok(());
        }
        Err(self.last_error())
    }

    fn last_error(&self) -> (u32, String) {
        let mut message = [0u8; 1024];
        let (mut code, mut len) = (0u32, 0u16);
        // SAFETY: a 1024-byte buffer.
        unsafe { (self.error)(1, &mut code, message.as_mut_ptr().cast(), 1023, &mut len) };
        let text = String::from_utf8_lossy(&message[..usize::from(len).min(1023)]);
        (code, text.into_owned())
    }
}

const ODBC_ADD_DSN: u16 = 1;
const ODBC_CONFIG_DSN: u16 = 2;
const ODBC_REMOVE_DSN: u16 = 3;
const ODBC_ADD_SYS_DSN: u16 = 4;
const ODBC_REMOVE_SYS_DSN: u16 = 6;
const ODBC_INSTALL_DRIVER: u16 = 1;
/// Installer error codes (odbcinst.h).
const INVALID_REQUEST_TYPE: u32 = 5;
const INVALID_KEYWORD_VALUE: u32 = 8;
const INVALID_DSN: u32 = 9;

#[test]
fn config_dsn_adds_changes_and_removes_user_and_system_dsns_and_refuses_bad_ones() {
    let library = common::library();
    let dir = tempfile::tempdir().unwrap();
    let system = dir.path().join("system");
    std::fs::create_dir(&system).unwrap();
    std::fs::write(
        system.join("odbcinst.ini"),
        format!("[{DRIVER}]\nDriver = {0}\nSetup = {0}\n", library.display()),
    )
    .unwrap();
    let user_ini = dir.path().join("user.odbc.ini");
    std::env::set_var("ODBCSYSINI", &system);
    std::env::set_var("ODBCINI", &user_ini);
    std::env::remove_var("ODBCINSTINI");
    let read = |path: &std::path::Path| std::fs::read_to_string(path).unwrap_or_default();
    let system_ini = system.join("odbc.ini");

    // SAFETY: unixODBC's installer functions with their C signatures.
    let inst = unsafe {
        let library = Library::new("libodbcinst.so.2").expect("unixODBC's libodbcinst");
        Odbcinst {
            config: *library.get(b"SQLConfigDataSource\0").unwrap(),
            config_w: *library.get(b"SQLConfigDataSourceW\0").unwrap(),
            error: *library.get(b"SQLInstallerError\0").unwrap(),
            _library: library,
        }
    };

    // a user DSN: added (narrow), changed (wide: the keys given change, the others stay)
    inst.configure(
        false,
        ODBC_ADD_DSN,
        "DSN=Made;APIToken=tok-1;CompanyDomain=acme;Timeout=30",
    )
    .unwrap();
    let user = read(&user_ini);
    assert!(user.contains("[Made]") && user.contains("tok-1"), "{user}");
    assert!(user.contains(DRIVER), "{user}");
    assert!(!read(&system_ini).contains("Made"));
    inst.configure(true, ODBC_CONFIG_DSN, "DSN=Made;Timeout=60;Pagesize=100")
        .unwrap();
    let user = read(&user_ini);
    for (key, value) in [
        ("Timeout", "60"),
        ("Pagesize", "100"),
        ("APIToken", "tok-1"),
        ("CompanyDomain", "acme"),
    ] {
        let line = user
            .lines()
            .find(|l| l.trim_start().starts_with(key))
            .unwrap_or_else(|| panic!("{key} missing: {user}"));
        assert_eq!(line.split('=').nth(1).map(str::trim), Some(value), "{user}");
    }
    // adding again replaces the DSN whole
    inst.configure(
        true,
        ODBC_ADD_DSN,
        "DSN=Made;APIToken=tok-2;CompanyDomain=acme",
    )
    .unwrap();
    let user = read(&user_ini);
    assert!(
        user.contains("tok-2") && !user.contains("Timeout"),
        "{user}"
    );

    // a system DSN: the gateway's OAuth DSN must name its settings file
    let refused = inst.configure(
        false,
        ODBC_ADD_SYS_DSN,
        "DSN=Gateway;AuthScheme=OAuth;OAuthClientId=app",
    );
    let (code, message) = refused.unwrap_err();
    assert_eq!(code, INVALID_KEYWORD_VALUE, "{message}");
    assert!(message.contains("OAuthSettingsLocation"), "{message}");
    assert!(!read(&system_ini).contains("Gateway"));
    inst.configure(
        true,
        ODBC_ADD_SYS_DSN,
        "DSN=Gateway;AuthScheme=OAuth;OAuthClientId=app;OAuthSettingsLocation=/var/lib/pd/oauth.txt",
    )
    .unwrap();
    assert!(
        read(&system_ini).contains("[Gateway]"),
        "{}",
        read(&system_ini)
    );
    assert!(!read(&user_ini).contains("Gateway"));

    // refusals: the installer error code and a message saying what to fix
    for (request, attributes, want_code, want_text) in [
        (
            ODBC_ADD_DSN,
            "DSN=Typo;APIKey=t",
            INVALID_KEYWORD_VALUE,
            "'APIKey'",
        ),
        (
            ODBC_ADD_DSN,
            "DSN=Slow;Timeout=soon",
            INVALID_KEYWORD_VALUE,
            "Timeout=soon",
        ),
        (ODBC_ADD_DSN, "DSN=[brackets]", INVALID_DSN, "holds '['"),
        (ODBC_ADD_DSN, "APIToken=t", INVALID_DSN, "no name"),
        (
            ODBC_ADD_DSN,
            "DSN=x;novalue",
            INVALID_KEYWORD_VALUE,
            "'novalue'",
        ),
        (
            ODBC_CONFIG_DSN,
            "DSN=Nowhere;Timeout=5",
            INVALID_DSN,
            "no user DSN named 'Nowhere'",
        ),
        (ODBC_REMOVE_DSN, "DSN=Nowhere", INVALID_DSN, "Nowhere"),
    ] {
        for wide in [false, true] {
            let (code, message) = inst.configure(wide, request, attributes).unwrap_err();
            assert_eq!(code, want_code, "{attributes} (wide {wide}): {message}");
            assert!(message.contains(want_text), "{attributes}: {message}");
        }
    }
    assert!(!read(&user_ini).contains("Typo"));

    // removal, each scope its own
    inst.configure(false, ODBC_REMOVE_DSN, "DSN=Made").unwrap();
    assert!(!read(&user_ini).contains("[Made]"), "{}", read(&user_ini));
    inst.configure(true, ODBC_REMOVE_SYS_DSN, "DSN=Gateway")
        .unwrap();
    assert!(!read(&system_ini).contains("[Gateway]"));

    // ConfigDriver: installing answers with the driver's version; an unknown request fails
    // SAFETY: the driver's ConfigDriver has this C signature.
    let (setup, config_driver) = unsafe {
        let setup = Library::new(&library).unwrap();
        let f: ConfigDriver = *setup.get(b"ConfigDriver\0").unwrap();
        (setup, f)
    };
    let mut message = [0u8; 256];
    let mut len = 0u16;
    let driver = format!("{DRIVER}\0");
    // SAFETY: NUL-terminated names, a 256-byte buffer.
    let done = unsafe {
        config_driver(
            std::ptr::null_mut(),
            ODBC_INSTALL_DRIVER,
            driver.as_ptr().cast(),
            c"".as_ptr(),
            message.as_mut_ptr().cast(),
            256,
            &mut len,
        )
    };
    let said = String::from_utf8_lossy(&message[..usize::from(len).min(255)]).into_owned();
    assert_eq!(done, 1, "{:?}", inst.last_error());
    assert!(said.contains(env!("CARGO_PKG_VERSION")), "{said}");
    // SAFETY: as above.
    let done = unsafe {
        config_driver(
            std::ptr::null_mut(),
            42,
            driver.as_ptr().cast(),
            c"".as_ptr(),
            message.as_mut_ptr().cast(),
            256,
            &mut len,
        )
    };
    assert_eq!(done, 0);
    assert_eq!(inst.last_error().0, INVALID_REQUEST_TYPE);
    drop(setup);
}

//! `--config-dsn`: a DSN added, configured or removed through the installer library's
//! `SQLConfigDataSourceW`, which calls the driver's `ConfigDSNW` as the ODBC Data Source
//! Administrator does; with `--window`, over a window of the probe's own (the driver then
//! opens its dialog).

use libloading::Library;
use std::ffi::c_void;

type H = *mut c_void;

/// The installer library of the platform's driver manager.
const INSTALLER: &str = if cfg!(windows) {
    "odbccp32.dll"
} else {
    "libodbcinst.so.2"
};

/// The requests of `SQLConfigDataSource`, by name.
const REQUESTS: &[(&str, u16)] = &[
    ("add", 1),
    ("config", 2),
    ("remove", 3),
    ("add-system", 4),
    ("config-system", 5),
    ("remove-system", 6),
];

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain([0]).collect()
}

/// `k=v;k=v` as the installer's list: each pair NUL-terminated, an empty one at the end.
fn attribute_list(text: &str) -> Vec<u16> {
    let mut list: Vec<u16> = text
        .split(';')
        .filter(|p| !p.trim().is_empty())
        .flat_map(|p| p.encode_utf16().chain([0]))
        .collect();
    list.push(0);
    list
}

/// Runs one request; prints `ConfigDSN: TRUE`, or `ConfigDSN: FALSE` with the installer's
/// error. Returns whether it succeeded.
pub fn config_dsn(
    request: &str,
    driver: &str,
    attributes: &str,
    window: bool,
) -> Result<bool, String> {
    let code = REQUESTS
        .iter()
        .find(|(name, _)| *name == request)
        .map(|(_, c)| *c)
        .ok_or_else(|| {
            format!("unknown request {request}: one of add, config, remove (-system)")
        })?;
    // SAFETY: the installer library's documented functions with their C signatures.
    unsafe {
        let library = Library::new(INSTALLER).map_err(|e| format!("{INSTALLER}: {e}"))?;
        let configure = *library
            .get::<unsafe extern "system" fn(H, u16, *const u16, *const u16) -> i32>(
                b"SQLConfigDataSourceW\0",
            )
            .map_err(|e| e.to_string())?;
        let error = *library
            .get::<unsafe extern "system" fn(u16, *mut u32, *mut u16, u16, *mut u16) -> i16>(
                b"SQLInstallerErrorW\0",
            )
            .map_err(|e| e.to_string())?;
        let parent = if window {
            own_window()?
        } else {
            std::ptr::null_mut()
        };
        let (driver, list) = (wide(driver), attribute_list(attributes));
        if configure(parent, code, driver.as_ptr(), list.as_ptr()) != 0 {
            println!("ConfigDSN: TRUE");
            return Ok(true);
        }
        let mut message = [0u16; 1024];
        let (mut error_code, mut len) = (0u32, 0u16);
        error(1, &mut error_code, message.as_mut_ptr(), 1023, &mut len);
        let text = String::from_utf16_lossy(&message[..usize::from(len).min(1023)]);
        println!("ConfigDSN: FALSE: error {error_code}: {text}");
        Ok(false)
    }
}

/// A visible top-level window to be the dialog's parent, made through user32 (Windows only).
unsafe fn own_window() -> Result<H, String> {
    if !cfg!(windows) {
        return Err("--window needs Windows".into());
    }
    // the library stays loaded for the life of the process
    let user32 = Box::leak(Box::new(
        Library::new("user32.dll").map_err(|e| format!("user32.dll: {e}"))?,
    ));
    type Create = unsafe extern "system" fn(
        u32,
        *const u16,
        *const u16,
        u32,
        i32,
        i32,
        i32,
        i32,
        H,
        H,
        H,
        *const c_void,
    ) -> H;
    let create = *user32
        .get::<Create>(b"CreateWindowExW\0")
        .map_err(|e| e.to_string())?;
    let (class, title) = (wide("STATIC"), wide("Pipedrive probe"));
    // WS_OVERLAPPEDWINDOW | WS_VISIBLE
    let window = create(
        0,
        class.as_ptr(),
        title.as_ptr(),
        0x00CF_0000 | 0x1000_0000,
        40,
        40,
        300,
        200,
        std::ptr::null_mut(),
        std::ptr::null_mut(),
        std::ptr::null_mut(),
        std::ptr::null(),
    );
    if window.is_null() {
        return Err("the probe's window cannot be created".into());
    }
    Ok(window)
}

//! The setup entry points the driver manager's installer calls (the driver's `Setup` library is
//! the driver itself): `ConfigDSN`/`ConfigDSNW`, reached through `SQLConfigDataSource` and the
//! ODBC Data Source Administrator, and `ConfigDriver`/`ConfigDriverW`, reached when the driver
//! is installed, removed or configured.
//!
//! Without a window (scripts, installers) `ConfigDSN` checks the attributes it is given and
//! writes the DSN with the installer library; on Windows, with a window, it opens the
//! configuration dialog ([`dialog`]). A failure is queued with `SQLPostInstallerError`, where
//! the caller's `SQLInstallerError` finds it.

#[cfg(windows)]
mod dialog;

use crate::sys::Pointer;
use crate::text::{sniff_wide, Enc};
use pipedrive_engine::setup::{
    configure_dsn, installer, DsnRequest, SetupError, SetupErrorCode as Code,
};
use pipedrive_engine::Properties;
use std::ffi::{c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};

type Bool = c_int;
type Window = *mut c_void;

const ODBC_ADD_DSN: u16 = 1;
const ODBC_CONFIG_DSN: u16 = 2;
const ODBC_REMOVE_DSN: u16 = 3;
const ODBC_INSTALL_DRIVER: u16 = 1;
const ODBC_REMOVE_DRIVER: u16 = 2;
const ODBC_CONFIG_DRIVER: u16 = 3;
/// Driver-specific `ConfigDriver` requests are numbered from here.
const ODBC_CONFIG_DRIVER_MAX: u16 = 100;

crate::entry::ansi_and_wide!(ConfigDSN, ConfigDSNW => config_dsn(window: Window, request: u16, driver: Pointer, attributes: Pointer) -> Bool);

crate::entry::ansi_and_wide!(ConfigDriver, ConfigDriverW => config_driver(
    window: Window,
    request: u16,
    driver: Pointer,
    arguments: Pointer,
    message: *mut c_void,
    message_max: u16,
    message_len: *mut u16,
) -> Bool);

unsafe fn config_dsn(
    enc: Enc,
    window: Window,
    request: u16,
    driver: Pointer,
    attributes: Pointer,
) -> Bool {
    answer(|| {
        let request = match request {
            ODBC_ADD_DSN => DsnRequest::Add,
            ODBC_CONFIG_DSN => DsnRequest::Configure,
            ODBC_REMOVE_DSN => DsnRequest::Remove,
            other => {
                return Err(SetupError::new(
                    Code::InvalidRequestType,
                    format!("ConfigDSN has no request {other} (1 adds, 2 configures, 3 removes)"),
                ))
            }
        };
        if enc == Enc::Wide {
            sniff_wide(attributes, crate::sys::SQL_NTS);
        }
        let driver = read(enc, driver).unwrap_or_default();
        let attributes = attribute_list(enc, attributes)?;
        #[cfg(windows)]
        if !window.is_null() && request != DsnRequest::Remove {
            return dialog::run(window, request, &driver, &attributes);
        }
        // elsewhere no dialog can be shown: a window changes nothing
        let _ = window;
        configure_dsn(request, &driver, &attributes).map(|_| ())
    })
}

#[allow(clippy::too_many_arguments)]
unsafe fn config_driver(
    enc: Enc,
    window: Window,
    request: u16,
    driver: Pointer,
    arguments: Pointer,
    message: *mut c_void,
    message_max: u16,
    message_len: *mut u16,
) -> Bool {
    let _ = (window, arguments);
    let said = |text: &str| {
        let w = enc.write(
            text,
            message,
            message_max as isize,
            crate::text::Measure::Chars,
        );
        crate::entry::put(message_len, u16::try_from(w.len).unwrap_or(u16::MAX));
    };
    answer(|| {
        let driver = read(enc, driver).unwrap_or_default();
        match request {
            // the installer has written the driver's keys; nothing else is kept per driver
            ODBC_INSTALL_DRIVER => {
                said(&format!(
                    "{driver}: Pipedrive ODBC driver {} installed",
                    env!("CARGO_PKG_VERSION")
                ));
                Ok(())
            }
            ODBC_REMOVE_DRIVER => {
                said(&format!("{driver}: removed"));
                Ok(())
            }
            ODBC_CONFIG_DRIVER => {
                said("the Pipedrive driver has no settings of its own: configure its DSNs");
                Ok(())
            }
            r if r > ODBC_CONFIG_DRIVER_MAX => Err(SetupError::new(
                Code::InvalidRequestType,
                format!("the Pipedrive driver has no driver-specific request {r}"),
            )),
            other => Err(SetupError::new(
                Code::InvalidRequestType,
                format!("ConfigDriver has no request {other}"),
            )),
        }
    })
}

/// TRUE for success; FALSE with the error queued for `SQLInstallerError`. A panic is an error,
/// never an unwind into the caller.
fn answer(work: impl FnOnce() -> Result<(), SetupError>) -> Bool {
    let failure = match catch_unwind(AssertUnwindSafe(work)) {
        Ok(Ok(())) => return 1,
        Ok(Err(e)) => e,
        Err(_) => SetupError::new(Code::General, "the Pipedrive driver's setup failed"),
    };
    if let Some(installer) = installer() {
        installer.post_error(failure.code as u32, &failure.message);
    }
    0
}

unsafe fn read(enc: Enc, p: Pointer) -> Option<String> {
    enc.read(p, crate::sys::SQL_NTS, crate::text::Measure::Chars)
        .ok()
        .flatten()
}

/// The `key=value` strings of a list that ends in an empty string, as properties (a value is
/// everything after the first `=`, taken as written).
unsafe fn attribute_list(enc: Enc, mut p: Pointer) -> Result<Properties, SetupError> {
    let mut props = Properties::new();
    if p.is_null() {
        return Ok(props);
    }
    let unit = enc.unit();
    loop {
        let item = read(enc, p).unwrap_or_default();
        if item.is_empty() {
            return Ok(props);
        }
        let (key, value) = item.split_once('=').ok_or_else(|| {
            SetupError::new(
                Code::InvalidKeywordValue,
                format!("the attribute '{item}' has no '=' (expected key=value)"),
            )
        })?;
        props.set(key.trim(), value.trim());
        p = (p as *const u8).add(units_to_nul(p, unit) * unit + unit) as Pointer;
    }
}

/// Units before the NUL of a terminated string of `unit`-byte characters.
unsafe fn units_to_nul(p: Pointer, unit: usize) -> usize {
    let mut n = 0;
    let at = |i: usize| -> u32 {
        let q = (p as *const u8).add(i * unit);
        match unit {
            1 => u32::from(*q),
            2 => u32::from((q as *const u16).read_unaligned()),
            _ => (q as *const u32).read_unaligned(),
        }
    };
    while at(n) != 0 {
        n += 1;
    }
    n
}

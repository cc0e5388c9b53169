//! The driver manager's installer library, loaded at run time: libodbcinst (unixODBC),
//! libiodbcinst (iODBC) or odbccp32.dll (Windows). Its `SQLGetPrivateProfileString` reads
//! DSNs where that driver manager keeps them (its files, or the registry on Windows), so the
//! driver finds a DSN wherever the application's driver manager found it.
//!
//! Which library: one already loaded in the process first, then the one belonging to the
//! driver manager that is loaded, then the platform's usual one. The user's DSN and the
//! system's are read one at a time under `SQLSetConfigMode` (the "both" mode of iODBC lets the
//! system DSN's keys show through a user DSN of the same name), and the mode is put back.

use crate::install::Scope;
use crate::properties::Properties;
use libloading::Library;
use std::ffi::{c_char, c_int, CString};
use std::sync::{Mutex, OnceLock};

const ODBC_USER_DSN: u16 = 1;
const ODBC_SYSTEM_DSN: u16 = 2;
/// The file name the installer functions take for DSNs (on Windows: the ODBC.INI registry key).
const ODBC_INI: &[u8] = b"odbc.ini\0";
/// The longest answer read: a DSN's keys and values are far shorter.
const MAX_ANSWER: usize = 1 << 20;

type GetProfileString = unsafe extern "system" fn(
    *const c_char,
    *const c_char,
    *const c_char,
    *mut c_char,
    c_int,
    *const c_char,
) -> c_int;
type GetConfigMode = unsafe extern "system" fn(*mut u16) -> c_int;
type SetConfigMode = unsafe extern "system" fn(u16) -> c_int;

/// The config mode is one setting per process: one reader at a time changes it.
static CONFIG_MODE: Mutex<()> = Mutex::new(());

/// A loaded installer library and the three functions of it that reading a DSN needs.
pub struct Installer {
    name: String,
    get: GetProfileString,
    get_mode: GetConfigMode,
    set_mode: SetConfigMode,
    // keeps the functions above loaded
    _library: Library,
}

/// (installer library, the driver manager it belongs to), in the platform's order of preference.
fn candidates() -> &'static [(&'static str, &'static str)] {
    if cfg!(windows) {
        &[("odbccp32.dll", "odbc32.dll")]
    } else if cfg!(target_os = "macos") {
        &[
            ("libiodbcinst.2.dylib", "libiodbc.2.dylib"),
            (
                "/usr/local/iODBC/lib/libiodbcinst.2.dylib",
                "/usr/local/iODBC/lib/libiodbc.2.dylib",
            ),
            (
                "/opt/homebrew/opt/libiodbc/lib/libiodbcinst.2.dylib",
                "/opt/homebrew/opt/libiodbc/lib/libiodbc.2.dylib",
            ),
            ("libodbcinst.2.dylib", "libodbc.2.dylib"),
            (
                "/opt/homebrew/lib/libodbcinst.2.dylib",
                "/opt/homebrew/lib/libodbc.2.dylib",
            ),
        ]
    } else {
        &[
            ("libodbcinst.so.2", "libodbc.so.2"),
            ("libiodbcinst.so.2", "libiodbc.so.2"),
        ]
    }
}

/// Whether a library is in the process already (never loads it).
#[cfg(unix)]
fn loaded(name: &str) -> Option<Library> {
    // SAFETY: RTLD_NOLOAD only looks the library up; nothing is initialised.
    unsafe { libloading::os::unix::Library::open(Some(name), libc::RTLD_NOW | libc::RTLD_NOLOAD) }
        .ok()
        .map(Library::from)
}

#[cfg(windows)]
fn loaded(name: &str) -> Option<Library> {
    libloading::os::windows::Library::open_already_loaded(name)
        .ok()
        .map(Library::from)
}

/// The installer library of this process (see the module's text), loaded once; `None` when
/// no driver manager is installed (DSNs are then read from the ini files).
pub fn installer() -> Option<&'static Installer> {
    static ONE: OnceLock<Option<Installer>> = OnceLock::new();
    ONE.get_or_init(|| {
        let pairs = candidates();
        let in_process = pairs
            .iter()
            .find_map(|(inst, _)| loaded(inst).map(|lib| (lib, *inst)));
        let of_manager = || {
            pairs
                .iter()
                .filter(|(_, dm)| loaded(dm).is_some())
                .find_map(|(inst, _)| open(inst).map(|lib| (lib, *inst)))
        };
        let usual = || {
            pairs
                .iter()
                .find_map(|(inst, _)| open(inst).map(|lib| (lib, *inst)))
        };
        let (library, name) = in_process.or_else(of_manager).or_else(usual)?;
        Installer::from_library(library, name).ok()
    })
    .as_ref()
}

fn open(name: &str) -> Option<Library> {
    // SAFETY: the installer libraries have no initialisers with requirements of their own.
    unsafe { Library::new(name) }.ok()
}

impl Installer {
    /// Loads a given installer library (a file name the system's loader finds, or a path).
    pub fn open(name: &str) -> Result<Installer, String> {
        let library = open(name).ok_or_else(|| format!("cannot load {name}"))?;
        Installer::from_library(library, name)
    }

    fn from_library(library: Library, name: &str) -> Result<Installer, String> {
        // SAFETY: these are the installer API's functions with these C signatures.
        unsafe {
            let get = *library
                .get::<GetProfileString>(b"SQLGetPrivateProfileString\0")
                .map_err(|e| format!("{name}: {e}"))?;
            let get_mode = *library
                .get::<GetConfigMode>(b"SQLGetConfigMode\0")
                .map_err(|e| format!("{name}: {e}"))?;
            let set_mode = *library
                .get::<SetConfigMode>(b"SQLSetConfigMode\0")
                .map_err(|e| format!("{name}: {e}"))?;
            Ok(Installer {
                name: name.to_string(),
                get,
                get_mode,
                set_mode,
                _library: library,
            })
        }
    }

    /// The library's name, as it was loaded.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A DSN as the driver manager sees it: the user's when the user has one of that name
    /// (it hides the system's), else the system's; with the scope it came from.
    pub fn dsn(&self, name: &str) -> Option<(Scope, Properties)> {
        [Scope::User, Scope::System]
            .into_iter()
            .find_map(|scope| self.dsn_in(scope, name).map(|p| (scope, p)))
    }

    /// The DSN of one scope only.
    pub fn dsn_in(&self, scope: Scope, name: &str) -> Option<Properties> {
        let mode = match scope {
            Scope::User => ODBC_USER_DSN,
            Scope::System => ODBC_SYSTEM_DSN,
        };
        let section = self
            .list(mode, None)
            .into_iter()
            .find(|s| s.trim().eq_ignore_ascii_case(name.trim()))?;
        let section = CString::new(section).ok()?;
        let mut props = Properties::new();
        for key in self.list(mode, Some(&section)) {
            let Ok(c_key) = CString::new(key.as_str()) else {
                continue;
            };
            let value = self.read(mode, Some(&section), Some(&c_key));
            props.set(key.trim(), String::from_utf8_lossy(&value).trim());
        }
        Some(props)
    }

    /// The names of the sections (no section given) or of a section's keys.
    fn list(&self, mode: u16, section: Option<&CString>) -> Vec<String> {
        self.read(mode, section, None)
            .split(|b| *b == 0)
            .filter(|s| !s.is_empty())
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect()
    }

    /// One answer of `SQLGetPrivateProfileString` under a config mode, read into a buffer
    /// that grows until the answer fits (a list ends in two NULs, a value in one).
    fn read(&self, mode: u16, section: Option<&CString>, key: Option<&CString>) -> Vec<u8> {
        let ptr = |s: Option<&CString>| s.map_or(std::ptr::null(), |s| s.as_ptr());
        let _one_reader = CONFIG_MODE.lock().unwrap_or_else(|e| e.into_inner());
        let mut saved = 0u16;
        let mut size = 4096usize;
        loop {
            let mut buffer = vec![0u8; size];
            // SAFETY: the buffer holds `size` bytes; the strings are NUL-terminated.
            let n = unsafe {
                (self.get_mode)(&mut saved);
                (self.set_mode)(mode);
                let n = (self.get)(
                    ptr(section),
                    ptr(key),
                    c"".as_ptr(),
                    buffer.as_mut_ptr().cast(),
                    size as c_int,
                    ODBC_INI.as_ptr().cast(),
                );
                (self.set_mode)(saved);
                n
            };
            let n = usize::try_from(n).unwrap_or(0).min(size);
            let full = n + if key.is_none() { 2 } else { 1 } >= size;
            if !full || size >= MAX_ANSWER {
                buffer.truncate(n);
                return buffer;
            }
            size *= 4;
        }
    }
}

//! The driver manager's installer library, loaded at run time: libodbcinst (unixODBC),
//! libiodbcinst (iODBC) or odbccp32.dll (Windows). Its `SQLGetPrivateProfileString` reads
//! DSNs where that driver manager keeps them (its files, or the registry on Windows), so the
//! driver finds a DSN wherever the application's driver manager found it.
//!
//! Which library: one already loaded in the process first, then the one belonging to the
//! driver manager that is loaded, then the platform's usual one. The user's DSN and the
//! system's are read one at a time under `SQLSetConfigMode` (the "both" mode of iODBC lets the
//! system DSN's keys show through a user DSN of the same name), and the mode is put back.

use crate::properties::Properties;
use crate::scope::Scope;
use libloading::Library;
use std::ffi::{c_char, c_int, CString};
use std::sync::{Mutex, OnceLock};

const ODBC_USER_DSN: u16 = 1;
const ODBC_SYSTEM_DSN: u16 = 2;
/// The file name the installer functions take for DSNs (on Windows: the ODBC.INI registry key).
const ODBC_INI: &[u8] = b"odbc.ini\0";
/// The section listing every DSN of a scope with its driver.
const DATA_SOURCES: &str = "ODBC Data Sources";
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
type WritePrivateProfileString =
    unsafe extern "system" fn(*const c_char, *const c_char, *const c_char, *const c_char) -> c_int;
type WriteDsnToIni = unsafe extern "system" fn(*const c_char, *const c_char) -> c_int;
type RemoveDsnFromIni = unsafe extern "system" fn(*const c_char) -> c_int;
type InstallDriverEx = unsafe extern "system" fn(
    *const c_char,
    *const c_char,
    *mut c_char,
    u16,
    *mut u16,
    u16,
    *mut u32,
) -> c_int;
type RemoveDriver = unsafe extern "system" fn(*const c_char, c_int, *mut u32) -> c_int;
type InstallerError = unsafe extern "system" fn(u16, *mut u32, *mut c_char, u16, *mut u16) -> i16;
type PostInstallerError = unsafe extern "system" fn(u32, *const c_char) -> i16;

const ODBC_INSTALL_COMPLETE: u16 = 2;
/// The longest DSN name the installer functions take, and the characters none may hold
/// (`SQLValidDSN`).
const SQL_MAX_DSN_LENGTH: usize = 32;
const NOT_IN_DSN_NAMES: &str = "[]{}(),;?*=!@\\";

/// The config mode is one setting per process: one reader at a time changes it.
static CONFIG_MODE: Mutex<()> = Mutex::new(());

/// A loaded installer library and its functions that read and write DSNs and drivers.
pub struct Installer {
    name: String,
    get: GetProfileString,
    get_mode: GetConfigMode,
    set_mode: SetConfigMode,
    write: WritePrivateProfileString,
    write_dsn: WriteDsnToIni,
    remove_dsn: RemoveDsnFromIni,
    install_driver: InstallDriverEx,
    remove_driver: RemoveDriver,
    error: InstallerError,
    post_error: PostInstallerError,
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
        /// A function of the library, typed by what it is assigned to.
        unsafe fn function<T: Copy>(
            library: &Library,
            lib: &str,
            symbol: &str,
        ) -> Result<T, String> {
            let c = format!("{symbol}\0");
            library
                .get::<T>(c.as_bytes())
                .map(|f| *f)
                .map_err(|e| format!("{lib} has no {symbol}: {e}"))
        }
        // SAFETY: these are the installer API's functions with these C signatures.
        unsafe {
            Ok(Installer {
                name: name.to_string(),
                get: function(&library, name, "SQLGetPrivateProfileString")?,
                get_mode: function(&library, name, "SQLGetConfigMode")?,
                set_mode: function(&library, name, "SQLSetConfigMode")?,
                write: function(&library, name, "SQLWritePrivateProfileString")?,
                write_dsn: function(&library, name, "SQLWriteDSNToIni")?,
                remove_dsn: function(&library, name, "SQLRemoveDSNFromIni")?,
                install_driver: function(&library, name, "SQLInstallDriverEx")?,
                remove_driver: function(&library, name, "SQLRemoveDriver")?,
                error: function(&library, name, "SQLInstallerError")?,
                post_error: function(&library, name, "SQLPostInstallerError")?,
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
        let mode = mode_of(scope);
        let (section, keys) = self.section_and_keys(mode, name)?;
        let mut props = Properties::new();
        for key in keys {
            let Ok(c_key) = CString::new(key.as_str()) else {
                continue;
            };
            let value = self.read(mode, Some(&section), Some(&c_key));
            props.set(key.trim(), String::from_utf8_lossy(&value).trim());
        }
        Some(props)
    }

    /// The section of a DSN under a config mode, spelled as it is stored (names match
    /// without regard to case); `None` when that scope has no such DSN. The DSN is looked up
    /// in the list of data sources (not every installer lists the sections themselves), else
    /// as a section of that name with keys.
    fn section(&self, mode: u16, name: &str) -> Option<CString> {
        self.section_and_keys(mode, name)
            .map(|(section, _)| section)
    }

    /// [`Installer::section`] with the names of its keys (read to know it is there).
    fn section_and_keys(&self, mode: u16, name: &str) -> Option<(CString, Vec<String>)> {
        let name = name.trim();
        if name.eq_ignore_ascii_case(DATA_SOURCES) {
            return None;
        }
        let sources = CString::new(DATA_SOURCES).expect("no NUL");
        let listed = self
            .list(mode, &sources)
            .into_iter()
            .find(|s| s.trim().eq_ignore_ascii_case(name));
        let section = CString::new(listed.unwrap_or_else(|| name.to_string())).ok()?;
        let keys = self.list(mode, &section);
        (!keys.is_empty()).then_some((section, keys))
    }

    /// The names of a section's keys.
    fn list(&self, mode: u16, section: &CString) -> Vec<String> {
        self.read(mode, Some(section), None)
            .split(|b| *b == 0)
            .filter(|s| !s.is_empty())
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect()
    }

    /// Adds or replaces a DSN of a scope: its entry in the list of data sources naming the
    /// driver (which must be registered), then each of its keys.
    pub fn write_dsn(
        &self,
        scope: Scope,
        name: &str,
        driver: &str,
        props: &Properties,
    ) -> Result<(), String> {
        check_dsn_name(name)?;
        let mode = mode_of(scope);
        let (c_name, c_driver) = (text(name)?, text(driver)?);
        // SAFETY: NUL-terminated strings.
        self.check(self.in_mode(mode, || unsafe {
            (self.write_dsn)(c_name.as_ptr(), c_driver.as_ptr())
        }))?;
        for (key, value) in props
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("Driver"))
        {
            let (c_key, c_value) = (text(key)?, text(value)?);
            // SAFETY: NUL-terminated strings.
            self.check(self.in_mode(mode, || unsafe {
                (self.write)(
                    c_name.as_ptr(),
                    c_key.as_ptr(),
                    c_value.as_ptr(),
                    ODBC_INI.as_ptr().cast(),
                )
            }))?;
        }
        Ok(())
    }

    /// Removes keys of a DSN of a scope (the others stay).
    pub fn remove_keys(&self, scope: Scope, name: &str, keys: &[&str]) -> Result<(), String> {
        let mode = mode_of(scope);
        let Some(section) = self.section(mode, name) else {
            return Ok(());
        };
        for key in keys {
            let c_key = text(key)?;
            // SAFETY: NUL-terminated strings; a null value removes the key.
            self.check(self.in_mode(mode, || unsafe {
                (self.write)(
                    section.as_ptr(),
                    c_key.as_ptr(),
                    std::ptr::null(),
                    ODBC_INI.as_ptr().cast(),
                )
            }))?;
        }
        Ok(())
    }

    /// Removes a DSN of a scope; whether it was there.
    pub fn remove_dsn(&self, scope: Scope, name: &str) -> Result<bool, String> {
        let mode = mode_of(scope);
        let Some(section) = self.section(mode, name) else {
            return Ok(false);
        };
        // SAFETY: a NUL-terminated string.
        self.check(self.in_mode(mode, || unsafe { (self.remove_dsn)(section.as_ptr()) }))?;
        Ok(true)
    }

    /// Registers a driver (its name, library and setup library) with the driver manager.
    pub fn install_driver(&self, name: &str, library: &std::path::Path) -> Result<(), String> {
        let library = library.display().to_string();
        let folder = std::path::Path::new(&library)
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let (c_name, c_library, c_folder) = (text(name)?, text(&library)?, text(&folder)?);
        // Windows takes the folder the driver's files are in; unixODBC would write its
        // odbcinst.ini into a folder given, so it gets none and uses its own
        let path_in = if cfg!(windows) {
            c_folder.as_ptr()
        } else {
            std::ptr::null()
        };
        // Windows takes the file's name and joins it to that folder itself
        let file = match std::path::Path::new(&library).file_name() {
            Some(f) if cfg!(windows) => text(&f.to_string_lossy())?,
            _ => c_library,
        };
        // "name\0Driver=...\0Setup=...\0\0"
        let mut list = c_name.into_bytes_with_nul();
        for key in ["Driver=", "Setup="] {
            list.extend_from_slice(key.as_bytes());
            list.extend_from_slice(file.as_bytes_with_nul());
        }
        list.push(0);
        let mut out = [0u8; 512];
        let (mut out_len, mut usage) = (0u16, 0u32);
        // SAFETY: a double-NUL-terminated list, a 512-byte buffer.
        self.check(unsafe {
            (self.install_driver)(
                list.as_ptr().cast(),
                path_in,
                out.as_mut_ptr().cast(),
                out.len() as u16,
                &mut out_len,
                ODBC_INSTALL_COMPLETE,
                &mut usage,
            )
        })
    }

    /// Unregisters a driver (its DSNs stay); whether it was registered.
    pub fn remove_driver(&self, name: &str) -> Result<bool, String> {
        let c_name = text(name)?;
        let mut usage = 0u32;
        // SAFETY: a NUL-terminated string.
        let done = unsafe { (self.remove_driver)(c_name.as_ptr(), 0, &mut usage) };
        Ok(done != 0)
    }

    /// `Ok` for a call that returned TRUE, else the installer's first error message.
    fn check(&self, done: c_int) -> Result<(), String> {
        if done != 0 {
            return Ok(());
        }
        let mut message = [0u8; 512];
        let (mut code, mut len) = (0u32, 0u16);
        // SAFETY: a 512-byte buffer.
        let rc = unsafe { (self.error)(1, &mut code, message.as_mut_ptr().cast(), 511, &mut len) };
        let text = match rc {
            0 | 1 => String::from_utf8_lossy(&message[..usize::from(len).min(511)]).into_owned(),
            _ => "no message".to_string(),
        };
        Err(format!("{}: error {code}: {text}", self.name))
    }

    /// Whose DSNs the caller of a setup function means: the config mode it set (a system
    /// DSN's request sets the system mode before calling the driver's `ConfigDSN`).
    pub fn config_scope(&self) -> Scope {
        let mut mode = 0u16;
        // SAFETY: a pointer to one u16.
        unsafe { (self.get_mode)(&mut mode) };
        match mode {
            ODBC_SYSTEM_DSN => Scope::System,
            _ => Scope::User,
        }
    }

    /// Queues an error for the caller of a setup function (`SQLInstallerError` reads it).
    pub fn post_error(&self, code: u32, message: &str) {
        let text = CString::new(message.replace('\0', " ")).unwrap_or_default();
        // SAFETY: a NUL-terminated string.
        unsafe { (self.post_error)(code, text.as_ptr()) };
    }

    /// Runs one installer call under a config mode, putting the process's mode back after.
    fn in_mode<T>(&self, mode: u16, call: impl FnOnce() -> T) -> T {
        let _one_at_a_time = CONFIG_MODE.lock().unwrap_or_else(|e| e.into_inner());
        let mut saved = 0u16;
        // SAFETY: the config-mode functions take a pointer to one u16 and a value.
        unsafe {
            (self.get_mode)(&mut saved);
            (self.set_mode)(mode);
        }
        let answer = call();
        // SAFETY: as above.
        unsafe { (self.set_mode)(saved) };
        answer
    }

    /// One answer of `SQLGetPrivateProfileString` under a config mode, read into a buffer
    /// that grows until the answer fits (a list ends in two NULs, a value in one).
    fn read(&self, mode: u16, section: Option<&CString>, key: Option<&CString>) -> Vec<u8> {
        let ptr = |s: Option<&CString>| s.map_or(std::ptr::null(), |s| s.as_ptr());
        let mut size = 4096usize;
        loop {
            let mut buffer = vec![0u8; size];
            // SAFETY: the buffer holds `size` bytes; the strings are NUL-terminated.
            let n = self.in_mode(mode, || unsafe {
                (self.get)(
                    ptr(section),
                    ptr(key),
                    c"".as_ptr(),
                    buffer.as_mut_ptr().cast(),
                    size as c_int,
                    ODBC_INI.as_ptr().cast(),
                )
            });
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

fn mode_of(scope: Scope) -> u16 {
    match scope {
        Scope::User => ODBC_USER_DSN,
        Scope::System => ODBC_SYSTEM_DSN,
    }
}

/// Checks a DSN name as the installer functions take it.
pub fn check_dsn_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("the DSN has no name: give one with DSN=".into());
    }
    if let Some(c) = name.chars().find(|c| NOT_IN_DSN_NAMES.contains(*c)) {
        return Err(format!(
            "the DSN name '{name}' holds '{c}': a DSN name holds none of {NOT_IN_DSN_NAMES}"
        ));
    }
    if name.chars().count() > SQL_MAX_DSN_LENGTH {
        return Err(format!(
            "the DSN name '{name}' is too long: a DSN name has at most {SQL_MAX_DSN_LENGTH} characters"
        ));
    }
    Ok(())
}

fn text(s: &str) -> Result<CString, String> {
    CString::new(s).map_err(|_| format!("{s:?} holds a NUL character"))
}

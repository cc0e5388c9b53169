//! Driver-manager chores: register the driver and a DSN (`install`), remove them (`uninstall`),
//! and connect through the driver manager as applications do (`test-connection`).

use clap::{Args, ValueEnum};
use pipedrive_config::{
    install_driver, install_dsn, uninstall_driver, uninstall_dsn, Properties, Scope,
};
use std::ffi::c_void;
use std::path::PathBuf;
use std::time::Instant;

/// The name the driver is registered under.
pub const DRIVER_NAME: &str = "Pipedrive ODBC Driver";

#[derive(Args)]
pub struct InstallArgs {
    /// Register for every user (/etc/odbcinst.ini, /etc/odbc.ini) instead of the current one.
    #[arg(long)]
    system: bool,
    /// The driver library (default: libpipedrive_odbc.so next to this program or in ../lib).
    #[arg(long)]
    library: Option<PathBuf>,
    /// The sample DSN to add (none with --no-dsn).
    #[arg(long = "dsn-name", default_value = "Pipedrive")]
    dsn_name: String,
    #[arg(long)]
    no_dsn: bool,
    /// Keys of the sample DSN, KEY=VALUE (repeatable); AuthScheme, APIToken and CompanyDomain
    /// are added empty when not given.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
}

#[derive(Args)]
pub struct UninstallArgs {
    #[arg(long)]
    system: bool,
    /// The DSN to remove along with the driver.
    #[arg(long = "dsn-name", default_value = "Pipedrive")]
    dsn_name: String,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DriverManager {
    Unixodbc,
    Iodbc,
}

fn scope(system: bool) -> Scope {
    if system {
        Scope::System
    } else {
        Scope::User
    }
}

fn default_library() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let dir = exe.parent().ok_or("no directory")?;
    let file = format!(
        "{}pipedrive_odbc{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    [dir.join(&file), dir.join("../lib").join(&file)]
        .into_iter()
        .find(|p| p.exists())
        .map(|p| plain(p.canonicalize().unwrap_or(p)))
        .ok_or_else(|| {
            format!(
                "{file} is not next to {} nor in ../lib: give --library",
                exe.display()
            )
        })
}

/// A canonical path as driver managers take it: Windows's canonical form is a verbatim path
/// (`\\?\C:\...`), which is written as the plain one.
fn plain(path: PathBuf) -> PathBuf {
    match path.to_str().and_then(|p| p.strip_prefix(r"\\?\")) {
        Some(rest) if !rest.starts_with(r"UNC\") => PathBuf::from(rest),
        _ => path,
    }
}

pub fn install(args: InstallArgs) -> Result<(), String> {
    let library = match args.library {
        Some(p) => plain(
            p.canonicalize()
                .map_err(|e| format!("{}: {e}", p.display()))?,
        ),
        None => default_library()?,
    };
    let place = install_driver(scope(args.system), DRIVER_NAME, &library)?;
    println!(
        "registered [{DRIVER_NAME}] ({}) in {place}",
        library.display()
    );
    if args.no_dsn {
        return Ok(());
    }
    let mut props = Properties::new();
    for kv in &args.set {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| format!("--set {kv}: expected KEY=VALUE"))?;
        props.set(k.trim(), v.trim());
    }
    let defaults = Properties::parse("AuthScheme=Basic;APIToken=;CompanyDomain=").expect("valid");
    let props = props.or(&defaults);
    let place = install_dsn(scope(args.system), &args.dsn_name, DRIVER_NAME, &props)?;
    println!("added the DSN [{}] to {place}", args.dsn_name);
    Ok(())
}

pub fn uninstall(args: UninstallArgs) -> Result<(), String> {
    let (driver, driver_place) = uninstall_driver(scope(args.system), DRIVER_NAME)?;
    let (dsn, dsn_place) = uninstall_dsn(scope(args.system), &args.dsn_name)?;
    println!(
        "{} [{DRIVER_NAME}] in {driver_place}; {} [{}] in {dsn_place}",
        if driver { "removed" } else { "no" },
        if dsn { "removed" } else { "no" },
        args.dsn_name,
    );
    Ok(())
}

type H = *mut c_void;

/// The few driver-manager functions `test-connection` calls, looked up at run time so the
/// program does not need a driver manager for anything else.
struct Dm {
    alloc: unsafe extern "system" fn(i16, H, *mut H) -> i16,
    free: unsafe extern "system" fn(i16, H) -> i16,
    set_env: unsafe extern "system" fn(H, i32, H, i32) -> i16,
    connect: unsafe extern "system" fn(H, H, *const u8, i16, *mut u8, i16, *mut i16, u16) -> i16,
    exec: unsafe extern "system" fn(H, *const u8, i32) -> i16,
    fetch: unsafe extern "system" fn(H) -> i16,
    get_data: unsafe extern "system" fn(H, u16, i16, H, isize, *mut isize) -> i16,
    get_info: unsafe extern "system" fn(H, u16, H, i16, *mut i16) -> i16,
    diag: unsafe extern "system" fn(i16, H, i16, *mut u8, *mut i32, *mut u8, i16, *mut i16) -> i16,
    disconnect: unsafe extern "system" fn(H) -> i16,
    // keeps the functions above loaded
    _library: libloading::Library,
}

/// The driver manager's library on this platform (Windows has one, whichever is asked for).
fn manager_library(which: DriverManager) -> &'static str {
    match which {
        _ if cfg!(windows) => "odbc32.dll",
        DriverManager::Unixodbc if cfg!(target_os = "macos") => "libodbc.2.dylib",
        DriverManager::Iodbc if cfg!(target_os = "macos") => "libiodbc.2.dylib",
        DriverManager::Unixodbc => "libodbc.so.2",
        DriverManager::Iodbc => "libiodbc.so.2",
    }
}

impl Dm {
    fn load(which: DriverManager) -> Result<Dm, String> {
        let name = manager_library(which);
        // SAFETY: loading the system's driver manager library by name.
        let lib = unsafe { libloading::Library::new(name) }
            .map_err(|e| format!("the driver manager library {name} is not installed ({e})"))?;
        // SAFETY: the symbols are the ODBC functions with these C signatures.
        unsafe {
            let sym = |s: &str| -> Result<*mut c_void, String> {
                lib.get::<*mut c_void>(format!("{s}\0").as_bytes())
                    .map(|p| *p)
                    .map_err(|_| format!("{name} has no {s}"))
            };
            Ok(Dm {
                alloc: std::mem::transmute::<*mut c_void, _>(sym("SQLAllocHandle")?),
                free: std::mem::transmute::<*mut c_void, _>(sym("SQLFreeHandle")?),
                set_env: std::mem::transmute::<*mut c_void, _>(sym("SQLSetEnvAttr")?),
                connect: std::mem::transmute::<*mut c_void, _>(sym("SQLDriverConnect")?),
                exec: std::mem::transmute::<*mut c_void, _>(sym("SQLExecDirect")?),
                fetch: std::mem::transmute::<*mut c_void, _>(sym("SQLFetch")?),
                get_data: std::mem::transmute::<*mut c_void, _>(sym("SQLGetData")?),
                get_info: std::mem::transmute::<*mut c_void, _>(sym("SQLGetInfo")?),
                diag: std::mem::transmute::<*mut c_void, _>(sym("SQLGetDiagRec")?),
                disconnect: std::mem::transmute::<*mut c_void, _>(sym("SQLDisconnect")?),
                _library: lib,
            })
        }
    }

    fn error(&self, kind: i16, h: H) -> String {
        let mut state = [0u8; 6];
        let mut msg = [0u8; 1024];
        let (mut native, mut len) = (0i32, 0i16);
        // SAFETY: buffers of the sizes given.
        unsafe {
            (self.diag)(
                kind,
                h,
                1,
                state.as_mut_ptr(),
                &mut native,
                msg.as_mut_ptr(),
                1024,
                &mut len,
            )
        };
        format!(
            "{} {}",
            String::from_utf8_lossy(&state[..5]),
            String::from_utf8_lossy(&msg[..len.clamp(0, 1023) as usize])
        )
    }

    fn info(&self, dbc: H, info: u16) -> String {
        let mut buf = [0u8; 256];
        let mut len = 0i16;
        // SAFETY: a 256-byte buffer.
        unsafe { (self.get_info)(dbc, info, buf.as_mut_ptr().cast(), 256, &mut len) };
        String::from_utf8_lossy(&buf[..len.clamp(0, 255) as usize]).into_owned()
    }
}

/// Connects through the driver manager with `connection_string`, reads one value, and reports.
pub fn test_connection(connection_string: &str, which: DriverManager) -> Result<(), String> {
    let dm = Dm::load(which)?;
    let started = Instant::now();
    // SAFETY: the ODBC calls in their documented order, with valid buffers.
    unsafe {
        let (mut env, mut dbc, mut stmt): (H, H, H) = (
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        );
        (dm.alloc)(1, std::ptr::null_mut(), &mut env);
        (dm.set_env)(env, 200, 3 as H, 0);
        (dm.alloc)(2, env, &mut dbc);
        let rc = (dm.connect)(
            dbc,
            std::ptr::null_mut(),
            connection_string.as_ptr(),
            connection_string.len() as i16,
            std::ptr::null_mut(),
            0,
            std::ptr::null_mut(),
            0,
        );
        if rc != 0 && rc != 1 {
            let e = dm.error(2, dbc);
            (dm.free)(2, dbc);
            (dm.free)(1, env);
            return Err(format!("the connection failed: {e}"));
        }
        let connected = started.elapsed();
        let driver = format!("{} {}", dm.info(dbc, 6), dm.info(dbc, 7));
        (dm.alloc)(3, dbc, &mut stmt);
        let sql = "SELECT COUNT(*) FROM Users";
        let result =
            if (dm.exec)(stmt, sql.as_ptr(), sql.len() as i32) == 0 && (dm.fetch)(stmt) == 0 {
                let mut users = 0i64;
                (dm.get_data)(
                    stmt,
                    1,
                    -25,
                    (&mut users as *mut i64).cast(),
                    8,
                    std::ptr::null_mut(),
                );
                Ok(users)
            } else {
                Err(dm.error(3, stmt))
            };
        (dm.free)(3, stmt);
        (dm.disconnect)(dbc);
        (dm.free)(2, dbc);
        (dm.free)(1, env);
        let users = result.map_err(|e| format!("connected, but the test query failed: {e}"))?;
        println!(
            "connection OK through {}: {driver}; {users} users in the account; connected in {:.2} s",
            match which {
                DriverManager::Unixodbc => "unixODBC",
                DriverManager::Iodbc => "iODBC",
            },
            connected.as_secs_f64()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_windows_paths_are_written_plain() {
        for (given, written) in [
            (
                r"\\?\C:\pipedrive\pipedrive_odbc.dll",
                r"C:\pipedrive\pipedrive_odbc.dll",
            ),
            (r"\\?\UNC\server\share\x.dll", r"\\?\UNC\server\share\x.dll"),
            (
                "/usr/lib/libpipedrive_odbc.so",
                "/usr/lib/libpipedrive_odbc.so",
            ),
        ] {
            assert_eq!(
                plain(PathBuf::from(given)),
                PathBuf::from(written),
                "{given}"
            );
        }
    }
}

//! The cache file: created private to its owner, opened per operation (SQLite connections are
//! cheap, and an operation never waits on another of the same process), with what it knows of
//! accounts, field definitions and each cached table's refresh state.

use crate::error::CacheError;
use crate::time::{now, Micros};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long an operation waits for another process's write to finish. Writes are short (one
/// page of rows at a time), so a wait this long means something is stuck.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// Whether SQLite refused because another connection holds the file.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS accounts (
    fingerprint TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    seen INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS field_definitions (
    account TEXT NOT NULL,
    table_name TEXT NOT NULL,
    definitions TEXT NOT NULL,
    read_at INTEGER NOT NULL,
    PRIMARY KEY (account, table_name)
);
CREATE TABLE IF NOT EXISTS cached_tables (
    account TEXT NOT NULL,
    table_name TEXT NOT NULL,
    watermark INTEGER,
    refreshed_at INTEGER NOT NULL,
    reconciled_at INTEGER,
    PRIMARY KEY (account, table_name)
);
";

/// A cache file. Cheap to clone; every operation opens its own SQLite connection.
#[derive(Clone, Debug)]
pub struct Cache {
    path: PathBuf,
}

/// Where a cached table stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableState {
    /// Changes made from this time on (local clock, when the last read began) are not cached
    /// yet; `None` for a table refreshed by whole reads only.
    pub watermark: Option<Micros>,
    pub refreshed_at: Micros,
    /// The last read of the whole table (which also finds every deletion).
    pub reconciled_at: Option<Micros>,
}

/// A cached table as the status listing shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableStatus {
    pub account: String,
    pub table: String,
    pub rows: u64,
    pub state: TableState,
}

impl Cache {
    /// Opens the cache file at `path`, creating it (and its folder) private to the owner.
    pub fn open(path: &Path) -> Result<Cache, CacheError> {
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_folder(folder).map_err(|e| CacheError::at(path, "created", e))?;
        }
        create_private_file(path).map_err(|e| CacheError::at(path, "created", e))?;
        let cache = Cache {
            path: path.to_path_buf(),
        };
        // processes opening a new file at once race to set it up: SQLite answers BUSY at once
        // (without waiting on its busy handler) to a change of journal mode while another
        // connection holds the file, so that is retried within the same time limit
        let started = std::time::Instant::now();
        loop {
            let conn = cache.connect()?;
            match conn
                .pragma_update(None, "journal_mode", "WAL")
                .and_then(|_| conn.execute_batch(SCHEMA))
            {
                Ok(()) => return Ok(cache),
                Err(e) if is_busy(&e) && started.elapsed() < BUSY_TIMEOUT => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                Err(e) => return Err(CacheError::at(path, "set up", e)),
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn connect(&self) -> Result<Connection, CacheError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(&self.path, flags)
            .map_err(|e| CacheError::at(&self.path, "opened", e))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .and_then(|_| conn.pragma_update(None, "synchronous", "NORMAL"))
            .map_err(|e| CacheError::at(&self.path, "opened", e))?;
        Ok(conn)
    }

    pub(crate) fn failed(&self, e: rusqlite::Error) -> CacheError {
        CacheError::at(&self.path, "read or written", e)
    }

    /// The account these credentials were last seen to belong to.
    pub fn account(&self, fingerprint: &str) -> Result<Option<String>, CacheError> {
        self.connect()?
            .query_row(
                "SELECT account FROM accounts WHERE fingerprint = ?1",
                [fingerprint],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.failed(e))
    }

    /// Remembers which account these credentials belong to.
    pub fn remember_account(&self, fingerprint: &str, account: &str) -> Result<(), CacheError> {
        self.connect()?
            .execute(
                "INSERT INTO accounts (fingerprint, account, seen) VALUES (?1, ?2, ?3)
                 ON CONFLICT (fingerprint) DO UPDATE SET account = ?2, seen = ?3",
                params![fingerprint, account, now()],
            )
            .map(drop)
            .map_err(|e| self.failed(e))
    }

    /// A table's field definitions (JSON text) and when they were read.
    pub fn field_definitions(
        &self,
        account: &str,
        table: &str,
    ) -> Result<Option<(String, Micros)>, CacheError> {
        self.connect()?
            .query_row(
                "SELECT definitions, read_at FROM field_definitions
                 WHERE account = ?1 AND table_name = ?2",
                [account, table],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.failed(e))
    }

    pub fn keep_field_definitions(
        &self,
        account: &str,
        table: &str,
        definitions: &str,
    ) -> Result<(), CacheError> {
        self.connect()?
            .execute(
                "INSERT INTO field_definitions (account, table_name, definitions, read_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (account, table_name) DO UPDATE SET definitions = ?3, read_at = ?4",
                params![account, table, definitions, now()],
            )
            .map(drop)
            .map_err(|e| self.failed(e))
    }

    /// Where a table stands, `None` when it was never cached (or was dropped).
    pub fn state(&self, account: &str, table: &str) -> Result<Option<TableState>, CacheError> {
        self.connect()?
            .query_row(
                "SELECT watermark, refreshed_at, reconciled_at FROM cached_tables
                 WHERE account = ?1 AND table_name = ?2",
                [account, table],
                |r| {
                    Ok(TableState {
                        watermark: r.get(0)?,
                        refreshed_at: r.get(1)?,
                        reconciled_at: r.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.failed(e))
    }

    /// Records a finished refresh: the watermark and the reconcile time only move forward,
    /// whichever process finished first.
    pub(crate) fn advance(
        &self,
        conn: &Connection,
        account: &str,
        table: &str,
        state: &TableState,
    ) -> Result<(), CacheError> {
        conn.execute(
            "INSERT INTO cached_tables (account, table_name, watermark, refreshed_at, reconciled_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (account, table_name) DO UPDATE SET
                 watermark = max(coalesce(watermark, ?3), coalesce(?3, watermark)),
                 refreshed_at = max(refreshed_at, ?4),
                 reconciled_at = max(coalesce(reconciled_at, ?5), coalesce(?5, reconciled_at))",
            params![
                account,
                table,
                state.watermark,
                state.refreshed_at,
                state.reconciled_at
            ],
        )
        .map(drop)
        .map_err(|e| self.failed(e))
    }

    /// SQLite's check of the whole file: `ok`, or what is damaged.
    pub fn integrity(&self) -> Result<String, CacheError> {
        let conn = self.connect()?;
        let mut check = conn
            .prepare("PRAGMA integrity_check")
            .map_err(|e| self.failed(e))?;
        let lines = check
            .query_map([], |r| r.get::<_, String>(0))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.failed(e))?;
        Ok(lines.join("; "))
    }

    /// Every cached table of every account, with its live row count.
    pub fn status(&self) -> Result<Vec<TableStatus>, CacheError> {
        let conn = self.connect()?;
        let mut listed = conn
            .prepare(
                "SELECT account, table_name, watermark, refreshed_at, reconciled_at
                 FROM cached_tables ORDER BY account, table_name",
            )
            .map_err(|e| self.failed(e))?;
        let tables = listed
            .query_map([], |r| {
                Ok(TableStatus {
                    account: r.get(0)?,
                    table: r.get(1)?,
                    rows: 0,
                    state: TableState {
                        watermark: r.get(2)?,
                        refreshed_at: r.get(3)?,
                        reconciled_at: r.get(4)?,
                    },
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.failed(e))?;
        tables
            .into_iter()
            .map(|mut t| {
                t.rows = self.live_rows(&conn, &t.account, &t.table)?;
                Ok(t)
            })
            .collect()
    }

    /// Forgets a table's rows and state (every table's, without a name), for one account or
    /// all; field definitions go with them. Returns how many tables were dropped.
    pub fn drop_tables(
        &self,
        account: Option<&str>,
        table: Option<&str>,
    ) -> Result<usize, CacheError> {
        let dropped: Vec<TableStatus> = self
            .status()?
            .into_iter()
            .filter(|t| account.is_none_or(|a| a == t.account))
            .filter(|t| table.is_none_or(|n| n.eq_ignore_ascii_case(&t.table)))
            .collect();
        let mut conn = self.connect()?;
        let tx = conn.transaction().map_err(|e| self.failed(e))?;
        for t in &dropped {
            tx.execute(
                &format!("DELETE FROM {} WHERE account = ?1", rows_table(&t.table)?),
                [&t.account],
            )
            .and_then(|_| {
                tx.execute(
                    "DELETE FROM cached_tables WHERE account = ?1 AND table_name = ?2",
                    [&t.account, &t.table],
                )
            })
            .and_then(|_| {
                tx.execute(
                    "DELETE FROM field_definitions WHERE account = ?1 AND table_name = ?2",
                    [&t.account, &t.table],
                )
            })
            .map_err(|e| self.failed(e))?;
        }
        tx.commit().map_err(|e| self.failed(e))?;
        Ok(dropped.len())
    }
}

/// The SQLite table holding one Pipedrive table's rows (created on first use): `rows_Deals`.
/// Table names come from the driver's catalog; anything else is refused rather than quoted.
pub(crate) fn rows_table(table: &str) -> Result<String, CacheError> {
    match !table.is_empty() && table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        true => Ok(format!("\"rows_{table}\"")),
        false => Err(CacheError(format!(
            "'{table}' cannot be a cached table's name"
        ))),
    }
}

#[cfg(unix)]
fn create_private_folder(folder: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    match folder.is_dir() {
        true => Ok(()),
        false => std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(folder),
    }
}

#[cfg(not(unix))]
fn create_private_folder(folder: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(folder)
}

/// Creates the file readable and writable by its owner alone, and makes an existing one so
/// (SQLite gives its journal files the same mode).
#[cfg(unix)]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

/// Under Windows the user's local application data folder is private to the user already.
#[cfg(not(unix))]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map(drop)
}

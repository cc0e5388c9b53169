//! One cached table's rows: merged page by page ("latest update wins", deletions kept as
//! tombstones), swept after a read of the whole table, and read back in chunks.

use crate::error::CacheError;
use crate::store::{rows_table, Cache, TableState};
use crate::time::{now, Micros};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, Connection, OptionalExtension};

/// How long a tombstone is kept: the API lists deleted deals for 30 days.
const TOMBSTONE_LIFETIME: Micros = 31 * 86_400 * 1_000_000;

/// A record as the API sent it, with its key and update time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub key: String,
    /// The record's update time, when it has one.
    pub updated: Option<Micros>,
    /// The record, JSON text.
    pub record: String,
}

/// A row the API says was deleted, at `updated` when it says when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deletion {
    pub key: String,
    pub updated: Option<Micros>,
}

/// Whether the incoming version (`excluded`) is at least as recent as the kept one.
const NEWER: &str = "(excluded.updated IS NULL OR updated IS NULL OR excluded.updated >= updated)";

/// Integer keys are kept as integers, so rows read back in the API's order of ids.
fn key_value(key: &str) -> SqlValue {
    match key.parse::<i64>() {
        Ok(n) if n.to_string() == key => SqlValue::Integer(n),
        _ => SqlValue::Text(key.to_string()),
    }
}

impl Cache {
    fn ensure_rows_table(&self, conn: &Connection, table: &str) -> Result<String, CacheError> {
        let name = rows_table(table)?;
        conn.execute_batch(&format!(
            "CREATE TABLE IF NOT EXISTS {name} (
                 account TEXT NOT NULL,
                 key NOT NULL,
                 updated INTEGER,
                 cached_at INTEGER NOT NULL,
                 deleted INTEGER NOT NULL DEFAULT 0,
                 record TEXT,
                 PRIMARY KEY (account, key)
             ) WITHOUT ROWID"
        ))
        .map_err(|e| self.failed(e))?;
        Ok(name)
    }

    /// Merges rows read from the API and deletions it reported, in one transaction.
    pub fn merge(
        &self,
        account: &str,
        table: &str,
        rows: &[Row],
        deletions: &[Deletion],
    ) -> Result<(), CacheError> {
        let mut conn = self.connect()?;
        let name = self.ensure_rows_table(&conn, table)?;
        let at = now();
        let tx = conn.transaction().map_err(|e| self.failed(e))?;
        {
            let mut upsert = tx
                .prepare(&format!(
                    "INSERT INTO {name} (account, key, updated, cached_at, deleted, record)
                     VALUES (?1, ?2, ?3, ?4, 0, ?5)
                     ON CONFLICT (account, key) DO UPDATE SET
                         cached_at = excluded.cached_at,
                         record = CASE WHEN {NEWER} THEN excluded.record ELSE record END,
                         deleted = CASE WHEN {NEWER} THEN 0 ELSE deleted END,
                         updated = CASE WHEN {NEWER} THEN excluded.updated ELSE updated END"
                ))
                .map_err(|e| self.failed(e))?;
            for row in rows {
                upsert
                    .execute(params![
                        account,
                        key_value(&row.key),
                        row.updated,
                        at,
                        row.record
                    ])
                    .map_err(|e| self.failed(e))?;
            }
            let mut bury = tx
                .prepare(&format!(
                    "INSERT INTO {name} (account, key, updated, cached_at, deleted, record)
                     VALUES (?1, ?2, ?3, ?4, 1, NULL)
                     ON CONFLICT (account, key) DO UPDATE SET
                         cached_at = excluded.cached_at,
                         record = CASE WHEN {NEWER} THEN NULL ELSE record END,
                         deleted = CASE WHEN {NEWER} THEN 1 ELSE deleted END,
                         updated = CASE WHEN {NEWER} THEN excluded.updated ELSE updated END"
                ))
                .map_err(|e| self.failed(e))?;
            for d in deletions {
                bury.execute(params![account, key_value(&d.key), d.updated, at])
                    .map_err(|e| self.failed(e))?;
            }
        }
        tx.commit().map_err(|e| self.failed(e))
    }

    /// Ends a refresh that began at `started`: after a read of the whole table (`whole`), the
    /// rows it did not see and nobody cached since it began are gone; old tombstones go; the
    /// table's state moves forward.
    pub fn finish(
        &self,
        account: &str,
        table: &str,
        started: Micros,
        whole: bool,
        state: &TableState,
    ) -> Result<(), CacheError> {
        let mut conn = self.connect()?;
        let name = self.ensure_rows_table(&conn, table)?;
        let tx = conn.transaction().map_err(|e| self.failed(e))?;
        if whole {
            tx.execute(
                &format!("DELETE FROM {name} WHERE account = ?1 AND cached_at < ?2"),
                params![account, started],
            )
            .map_err(|e| self.failed(e))?;
        }
        tx.execute(
            &format!("DELETE FROM {name} WHERE account = ?1 AND deleted = 1 AND cached_at < ?2"),
            params![account, now() - TOMBSTONE_LIFETIME],
        )
        .map_err(|e| self.failed(e))?;
        self.advance(&tx, account, table, state)?;
        tx.commit().map_err(|e| self.failed(e))
    }

    /// Hands the live records of a table to `each`, `chunk` at a time, in key order, until it
    /// returns false.
    pub fn read(
        &self,
        account: &str,
        table: &str,
        chunk: usize,
        mut each: impl FnMut(Vec<String>) -> bool,
    ) -> Result<(), CacheError> {
        let conn = self.connect()?;
        let name = self.ensure_rows_table(&conn, table)?;
        let mut query = conn
            .prepare(&format!(
                "SELECT record FROM {name} WHERE account = ?1 AND deleted = 0 ORDER BY key"
            ))
            .map_err(|e| self.failed(e))?;
        let mut rows = query.query([account]).map_err(|e| self.failed(e))?;
        let mut batch = Vec::with_capacity(chunk);
        while let Some(row) = rows.next().map_err(|e| self.failed(e))? {
            batch.push(row.get::<_, String>(0).map_err(|e| self.failed(e))?);
            if batch.len() == chunk.max(1) && !each(std::mem::take(&mut batch)) {
                return Ok(());
            }
        }
        if !batch.is_empty() {
            each(batch);
        }
        Ok(())
    }

    /// The live record of one key.
    pub fn row(&self, account: &str, table: &str, key: &str) -> Result<Option<String>, CacheError> {
        let conn = self.connect()?;
        let name = self.ensure_rows_table(&conn, table)?;
        conn.query_row(
            &format!("SELECT record FROM {name} WHERE account = ?1 AND key = ?2 AND deleted = 0"),
            params![account, key_value(key)],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| self.failed(e))
    }

    pub(crate) fn live_rows(
        &self,
        conn: &Connection,
        account: &str,
        table: &str,
    ) -> Result<u64, CacheError> {
        let name = self.ensure_rows_table(conn, table)?;
        conn.query_row(
            &format!("SELECT count(*) FROM {name} WHERE account = ?1 AND deleted = 0"),
            [account],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| n as u64)
        .map_err(|e| self.failed(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, updated: i64, text: &str) -> Row {
        Row {
            key: key.into(),
            updated: Some(updated),
            record: text.into(),
        }
    }

    fn live(cache: &Cache, account: &str) -> Vec<String> {
        let mut out = vec![];
        cache
            .read(account, "Deals", 2, |chunk| {
                out.extend(chunk);
                true
            })
            .unwrap();
        out
    }

    fn state(at: Micros) -> TableState {
        TableState {
            watermark: Some(at),
            refreshed_at: at,
            reconciled_at: None,
        }
    }

    #[test]
    fn the_latest_update_wins_in_any_order_and_deletions_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(&dir.path().join("sub/cache.db")).unwrap();
        cache
            .merge(
                "a",
                "Deals",
                &[row("2", 5, "two@5"), row("10", 5, "ten@5")],
                &[],
            )
            .unwrap();
        // an older read merged later changes nothing
        cache
            .merge("a", "Deals", &[row("2", 4, "two@4")], &[])
            .unwrap();
        cache
            .merge("a", "Deals", &[row("2", 6, "two@6")], &[])
            .unwrap();
        assert_eq!(
            live(&cache, "a"),
            ["two@6", "ten@5"],
            "ids in numeric order"
        );
        let gone = Deletion {
            key: "10".into(),
            updated: Some(7),
        };
        cache.merge("a", "Deals", &[], &[gone]).unwrap();
        // a read from before the deletion does not bring the row back
        cache
            .merge("a", "Deals", &[row("10", 5, "ten@5")], &[])
            .unwrap();
        assert_eq!(live(&cache, "a"), ["two@6"]);
        assert_eq!(
            cache.row("a", "Deals", "2").unwrap().as_deref(),
            Some("two@6")
        );
        assert_eq!(cache.row("a", "Deals", "10").unwrap(), None);
        // another account sees none of it
        assert!(live(&cache, "b").is_empty());
    }

    #[test]
    fn a_whole_read_sweeps_what_it_did_not_see() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(&dir.path().join("cache.db")).unwrap();
        cache
            .merge("a", "Deals", &[row("1", 1, "one"), row("2", 1, "two")], &[])
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let started = now();
        cache
            .merge("a", "Deals", &[row("1", 1, "one")], &[])
            .unwrap();
        cache
            .finish("a", "Deals", started, true, &state(started))
            .unwrap();
        assert_eq!(live(&cache, "a"), ["one"]);
        let status = cache.status().unwrap();
        assert_eq!(status.len(), 1);
        assert_eq!((status[0].table.as_str(), status[0].rows), ("Deals", 1));
        assert_eq!(status[0].state.watermark, Some(started));
        // the watermark never moves back
        cache
            .finish("a", "Deals", 0, false, &state(started - 10))
            .unwrap();
        assert_eq!(
            cache.state("a", "Deals").unwrap().unwrap().watermark,
            Some(started)
        );
        assert_eq!(cache.drop_tables(Some("a"), Some("deals")).unwrap(), 1);
        assert!(cache.status().unwrap().is_empty());
        assert!(live(&cache, "a").is_empty());
    }

    #[test]
    fn accounts_and_field_definitions_are_found_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.db");
        let cache = Cache::open(&path).unwrap();
        assert_eq!(cache.account("f1").unwrap(), None);
        cache.remember_account("f1", "acct").unwrap();
        cache
            .keep_field_definitions("acct", "Deals", "[1]")
            .unwrap();
        let again = Cache::open(&path).unwrap();
        assert_eq!(again.account("f1").unwrap().as_deref(), Some("acct"));
        let (text, _) = again.field_definitions("acct", "Deals").unwrap().unwrap();
        assert_eq!(text, "[1]");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(rows_table("Deals; DROP").is_err());
    }
}

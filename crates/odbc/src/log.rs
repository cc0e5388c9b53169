//! The connection's log (`Logfile`, `Verbosity` 1-5): one line per event, secrets never written.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::sync::Mutex;

pub struct Log {
    file: Mutex<File>,
    verbosity: u8,
}

impl Log {
    /// Opens (appends to) the log file the properties name; `Ok(None)` without `Logfile`.
    pub fn open(props: &pipedrive_config::Properties) -> Result<Option<Log>, String> {
        let Some(path) = props.get("Logfile") else {
            return Ok(None);
        };
        let verbosity = match props.get("Verbosity").map(str::trim) {
            None => 1,
            Some(v) => v
                .parse::<u8>()
                .ok()
                .filter(|v| (1..=5).contains(v))
                .ok_or_else(|| format!("Verbosity={v} is not a level from 1 to 5"))?,
        };
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| format!("Logfile {path} cannot be opened: {e}"))?;
        Ok(Some(Log {
            file: Mutex::new(file),
            verbosity,
        }))
    }

    /// Writes a line if `level` is within the verbosity.
    pub fn write(&self, level: u8, message: &str) {
        if level > self.verbosity {
            return;
        }
        let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
        let mut f = crate::handles::lock(&self.file);
        let _ = writeln!(f, "{now} [{level}] {message}");
    }
}

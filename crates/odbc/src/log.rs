//! The connection's log (`Logfile`, `Verbosity` 1-5): one line per event, secrets never written.
//!
//! Besides the driver's own lines, a log receives what the layers below report with `tracing`
//! under the connection's span (see [`Log::span`]): rate-limit waits and 429 pauses, retries,
//! OAuth refreshes, how a scan was split, and each request's answer. Levels map to verbosity:
//! errors and warnings 1, info 2, debug 3, trace 4.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, Once, OnceLock, Weak};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

pub struct Log {
    file: Mutex<File>,
    verbosity: u8,
    id: u64,
}

impl Log {
    /// Opens (appends to) the log file the properties name; `Ok(None)` without `Logfile`.
    pub fn open(props: &pipedrive_engine::Properties) -> Result<Option<Arc<Log>>, String> {
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
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let log = Arc::new(Log {
            file: Mutex::new(file),
            verbosity,
            id: NEXT.fetch_add(1, Ordering::Relaxed),
        });
        listen();
        let mut open = lock_open();
        open.insert(log.id, (verbosity, Arc::downgrade(&log)));
        MOST_VERBOSE.fetch_max(verbosity, Ordering::Relaxed);
        Ok(Some(log))
    }

    /// Writes a line if `level` is within the verbosity.
    pub fn write(&self, level: u8, message: &str) {
        if level > self.verbosity {
            return;
        }
        let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
        let mut f = crate::lock::lock(&self.file);
        let _ = writeln!(f, "{now} [{level}] {message}");
    }

    /// The span that routes events to this log: the connection's work runs in it, and its API
    /// client reports under it.
    pub fn span(&self) -> tracing::Span {
        tracing::info_span!("connection", log = self.id)
    }
}

impl Drop for Log {
    fn drop(&mut self) {
        let mut open = lock_open();
        open.remove(&self.id);
        let most = open.values().map(|(verbosity, _)| *verbosity).max();
        MOST_VERBOSE.store(most.unwrap_or(0), Ordering::Relaxed);
    }
}

/// The logs open in the process, by id, with their verbosity.
type Open = HashMap<u64, (u8, Weak<Log>)>;

fn lock_open() -> std::sync::MutexGuard<'static, Open> {
    static OPEN: OnceLock<Mutex<Open>> = OnceLock::new();
    crate::lock::lock(OPEN.get_or_init(Default::default))
}

/// The highest verbosity of the open logs (0: none open): events above it are not even built.
static MOST_VERBOSE: AtomicU8 = AtomicU8::new(0);

/// Installs the process's subscriber that hands events to the logs, once. A host that already
/// has a global subscriber keeps it (and the logs get the driver's own lines only).
fn listen() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        use tracing_subscriber::layer::SubscriberExt;
        let subscriber = tracing_subscriber::registry().with(ToLogs);
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
}

fn verbosity_of(level: &Level) -> u8 {
    match *level {
        Level::ERROR | Level::WARN => 1,
        Level::INFO => 2,
        Level::DEBUG => 3,
        Level::TRACE => 4,
    }
}

/// The id of the log a span routes to, kept with the span.
struct LogId(u64);

/// Hands the driver's crates' events to the log of the connection whose span they happen in.
struct ToLogs;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for ToLogs {
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> tracing::subscriber::Interest {
        if meta.target().starts_with("pipedrive") {
            tracing::subscriber::Interest::sometimes()
        } else {
            // HTTP, TLS and query-engine internals stay out of the logs
            tracing::subscriber::Interest::never()
        }
    }

    fn enabled(&self, meta: &Metadata<'_>, _: Context<'_, S>) -> bool {
        let most = MOST_VERBOSE.load(Ordering::Relaxed);
        most > 0 && (meta.is_span() || verbosity_of(meta.level()) <= most)
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut found = FindLog(None);
        attrs.record(&mut found);
        if let (Some(log), Some(span)) = (found.0, ctx.span(id)) {
            span.extensions_mut().insert(LogId(log));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let Some(scope) = ctx.event_scope(event) else {
            return;
        };
        let Some(id) = scope
            .into_iter()
            .find_map(|span| span.extensions().get::<LogId>().map(|l| l.0))
        else {
            return;
        };
        let Some(log) = lock_open().get(&id).and_then(|(_, log)| log.upgrade()) else {
            return;
        };
        let level = verbosity_of(event.metadata().level());
        if level <= log.verbosity {
            let mut text = Text::default();
            event.record(&mut text);
            log.write(level, &text.finish(event.metadata().target()));
        }
    }
}

struct FindLog(Option<u64>);

impl Visit for FindLog {
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "log" {
            self.0 = Some(value);
        }
    }
    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

/// An event as one line: its message, then its fields as `name=value`.
#[derive(Default)]
struct Text {
    message: String,
    fields: String,
}

impl Text {
    fn finish(self, target: &str) -> String {
        let layer = target.split("::").next().unwrap_or(target);
        format!("{layer}: {}{}", self.message, self.fields)
    }
}

impl Visit for Text {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.fields, " {}={value}", field.name());
        }
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.fields, " {}={value:?}", field.name());
        }
    }
}

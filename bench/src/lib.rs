//! Small helpers shared by the benchmark binaries: timing summaries, a plain sequential walk
//! of a v2 list, a sandbox in a child process, and the process's peak memory.

use serde_json::Value;
use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Percentile summary of a set of durations, in milliseconds.
pub struct Summary {
    pub count: usize,
    pub total: Duration,
    pub p50: f64,
    pub p95: f64,
    pub max: f64,
}

impl Summary {
    pub fn of(samples: &[Duration]) -> Summary {
        let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| {
            ms.get(((ms.len() as f64 - 1.0) * q).round() as usize)
                .copied()
                .unwrap_or(0.0)
        };
        Summary {
            count: ms.len(),
            total: samples.iter().sum(),
            p50: at(0.5),
            p95: at(0.95),
            max: at(1.0),
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:>4} requests  total {:>7.1} ms  p50 {:>6.2} ms  p95 {:>6.2} ms  max {:>6.2} ms",
            self.count,
            self.total.as_secs_f64() * 1000.0,
            self.p50,
            self.p95,
            self.max
        )
    }
}

/// What a plain sequential walk of a v2 list saw: per-request times, rows, bytes.
pub struct Walk {
    pub times: Vec<Duration>,
    pub rows: usize,
    pub bytes: usize,
}

/// Walks `GET {base}/api/v2/{path}?{query}` page by page, one request at a time, decoding
/// each page as JSON: what a simple extract script does.
pub fn walk_v2(
    http: &reqwest::blocking::Client,
    base: &str,
    path: &str,
    query: &str,
    token: &str,
) -> Walk {
    let mut walk = Walk {
        times: vec![],
        rows: 0,
        bytes: 0,
    };
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{base}/api/v2/{path}?{query}&cursor={c}"),
            None => format!("{base}/api/v2/{path}?{query}"),
        };
        let t = Instant::now();
        let body = http
            .get(&url)
            .header("x-api-token", token)
            .send()
            .and_then(|r| r.error_for_status())
            .and_then(|r| r.bytes())
            .expect("page");
        walk.times.push(t.elapsed());
        walk.bytes += body.len();
        let page: Value = serde_json::from_slice(&body).expect("json");
        walk.rows += page["data"].as_array().map_or(0, Vec::len);
        match page["additional_data"]["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    walk
}

/// A sandbox served by a child process (so its memory is not counted as ours); stopped on drop.
pub struct ChildSandbox {
    child: Child,
    pub base_url: String,
}

impl ChildSandbox {
    /// Runs `pipedrive-sandbox`-like serving through this very binary with `args`
    /// (the binary must answer them by calling [`serve_if_asked`]).
    pub fn start(args: &[String]) -> ChildSandbox {
        let mut child = Command::new(std::env::current_exe().expect("own path"))
            .arg(SERVE_FLAG)
            .args(args)
            .stdout(Stdio::piped())
            .stdin(Stdio::piped())
            .spawn()
            .expect("sandbox process");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.as_mut().expect("stdout"))
            .read_line(&mut line)
            .expect("sandbox URL");
        ChildSandbox {
            child,
            base_url: line.trim().to_string(),
        }
    }

    /// The CPU time the sandbox process has used so far, in seconds.
    pub fn cpu_seconds(&self) -> f64 {
        cpu_seconds_of(&self.child.id().to_string())
    }
}

impl Drop for ChildSandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const SERVE_FLAG: &str = "--serve-sandbox";

/// In the child: when started with the serve flag, serve a sandbox made by `make` from the
/// remaining arguments, print its URL, and exit when the parent goes away.
pub fn serve_if_asked(make: impl FnOnce(&[String]) -> pipedrive_sandbox::SandboxConfig) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) != Some(SERVE_FLAG) {
        return;
    }
    let sandbox = pipedrive_sandbox::Sandbox::start(make(&args[1..])).expect("sandbox");
    println!("{}", sandbox.base_url());
    // the parent holds our stdin: its end (or death) ends us
    let mut sink = String::new();
    while std::io::stdin()
        .read_line(&mut sink)
        .map_or(false, |n| n > 0)
    {}
    std::process::exit(0);
}

/// Peak resident memory of this process so far, in MiB (Linux `VmHWM`).
pub fn peak_rss_mib() -> f64 {
    status_kib("VmHWM:") / 1024.0
}

/// The CPU time (user and system, all threads) this process has used so far, in seconds.
pub fn cpu_seconds() -> f64 {
    cpu_seconds_of("self")
}

/// User and system CPU time of `/proc/<pid>`, in seconds (fields 14 and 15 of its `stat`,
/// counted after the command name, which may hold spaces, in clock ticks of 1/100 s).
fn cpu_seconds_of(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: f64 = after_name
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse::<f64>().ok())
        .sum();
    ticks / 100.0
}

/// Resident memory of this process now, in MiB.
pub fn rss_mib() -> f64 {
    status_kib("VmRSS:") / 1024.0
}

fn status_kib(key: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0.0)
}

/// The API token the benchmarks' sandboxes accept.
pub const TOKEN: &str = "bench-token";

/// A sandbox of `args[0]` deals answering each request after `args[1]` ms, with a burst limit
/// of `args[2]` requests per rolling 2 s when given.
pub fn deals_with_latency(args: &[String]) -> pipedrive_sandbox::SandboxConfig {
    use pipedrive_sandbox::{DataSizes, Faults, RateLimits, SandboxConfig};
    SandboxConfig {
        sizes: DataSizes {
            deals: args[0].parse().expect("deals"),
            ..DataSizes::default()
        },
        api_tokens: vec![TOKEN.into()],
        faults: Faults {
            latency: std::time::Duration::from_millis(args[1].parse().expect("latency")),
            ..Faults::none()
        },
        limits: RateLimits {
            burst_per_2s: args.get(2).map(|b| b.parse().expect("burst")),
            daily_tokens: None,
        },
        ..SandboxConfig::default()
    }
}

/// API requests the sandbox counted since the last reset.
pub fn requests(http: &reqwest::blocking::Client, base: &str) -> u64 {
    counted(http, base).0
}

/// API requests and 429 answers the sandbox counted since the last reset.
pub fn counted(http: &reqwest::blocking::Client, base: &str) -> (u64, u64) {
    let stats: serde_json::Value = http
        .get(format!("{base}/_sandbox/stats"))
        .send()
        .and_then(|r| r.json())
        .expect("stats");
    let requests = stats["requests"].as_u64().unwrap_or(0);
    (requests, stats["by_status"]["429"].as_u64().unwrap_or(0))
}

/// Sets the sandbox's request counters to zero.
pub fn reset(http: &reqwest::blocking::Client, base: &str) {
    http.delete(format!("{base}/_sandbox/stats"))
        .send()
        .expect("reset stats");
}

/// What one query through the engine gave: rows, columns, and when its first batch came.
pub struct Scan {
    pub rows: usize,
    pub columns: usize,
    pub first_batch: Duration,
}

/// Runs `sql` on the engine and reads every batch.
pub async fn scan(session: &pipedrive_engine::Session, sql: &str) -> Scan {
    use futures_util::StreamExt;
    let started = Instant::now();
    let prepared = session.prepare(sql).await.expect("prepare");
    let columns = prepared.schema.fields().len();
    let mut stream = prepared.execute().await.expect("execute");
    let (mut rows, mut first_batch) = (0, None);
    while let Some(batch) = stream.next().await {
        rows += batch.expect("batch").num_rows();
        first_batch.get_or_insert_with(|| started.elapsed());
    }
    Scan {
        rows,
        columns,
        first_batch: first_batch.unwrap_or_default(),
    }
}

/// A private odbcinst.ini naming the [`driver_library`], and an odbc.ini with the DSN
/// `PipedriveBench` for a sandbox, when given; removed on drop.
pub struct PrivateOdbc {
    pub dir: PathBuf,
}

/// The driver the benchmarks load: `PIPEDRIVE_ODBC_LIBRARY` (the `dist` build `install.sh`
/// ships, say), or the release build next to the running binary.
pub fn driver_library() -> PathBuf {
    let library = match std::env::var_os("PIPEDRIVE_ODBC_LIBRARY") {
        Some(path) => PathBuf::from(path),
        None => std::env::current_exe()
            .expect("own path")
            .parent()
            .expect("target dir")
            .join("libpipedrive_odbc.so"),
    };
    assert!(
        library.exists(),
        "{} is missing: cargo build --release --workspace first",
        library.display()
    );
    library
}

impl PrivateOdbc {
    pub fn new(dsn_for: Option<&str>) -> PrivateOdbc {
        let library = driver_library();
        let dir = std::env::temp_dir().join(format!("pipedrive-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let driver = format!("[Pipedrive ODBC Bench]\nDriver = {}\n", library.display());
        std::fs::write(dir.join("odbcinst.ini"), driver).expect("odbcinst.ini");
        if let Some(base) = dsn_for {
            let dsn = format!("[PipedriveBench]\nDriver = Pipedrive ODBC Bench\nBaseURL = {base}\nAPIToken = {TOKEN}\n");
            std::fs::write(dir.join("odbc.ini"), dsn).expect("odbc.ini");
        }
        PrivateOdbc { dir }
    }

    /// Points unixODBC in `command` at these files.
    pub fn apply<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        command
            .env("ODBCSYSINI", &self.dir)
            .env("ODBCINI", self.dir.join("odbc.ini"))
    }
}

impl Drop for PrivateOdbc {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

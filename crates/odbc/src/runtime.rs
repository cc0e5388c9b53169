//! The one async runtime of the process: ODBC calls are blocking, the engine is async, so each
//! call waits on a future here. Waits stop early on SQLCancel or the statement's time limit.

use crate::cancel::Cancel;
use crate::diag::{OdbcError, OdbcResult};
use std::future::Future;
use std::sync::LazyLock;
use std::time::Duration;
use tokio::runtime::Runtime;

static RUNTIME: LazyLock<Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("pipedrive-odbc")
        .enable_all()
        .build()
        .expect("the driver's runtime starts")
});

/// Waits for `work`; HY008 if `cancel` is requested first, HYT00 after `timeout`.
pub fn wait<T>(
    work: impl Future<Output = OdbcResult<T>>,
    cancel: Option<&Cancel>,
    timeout: Option<Duration>,
) -> OdbcResult<T> {
    RUNTIME.block_on(async {
        let cancelled = async {
            match cancel {
                Some(c) => c.requested().await,
                None => std::future::pending().await,
            }
        };
        let limited = async {
            match timeout {
                Some(t) => tokio::time::timeout(t, work).await.map_err(|_| {
                    OdbcError::new(
                        "HYT00",
                        format!("the time limit of {} s ran out", t.as_secs()),
                    )
                })?,
                None => work.await,
            }
        };
        tokio::select! {
            r = limited => r,
            _ = cancelled => Err(OdbcError::new("HY008", "the operation was cancelled")),
        }
    })
}

//! A statement's cancel request: made by SQLCancel from any thread, awaited by the work it
//! stops.

use std::sync::atomic::{AtomicBool, Ordering};

/// A cancel request another thread can make while a call waits for the API.
#[derive(Default)]
pub struct Cancel {
    requested: AtomicBool,
    notify: tokio::sync::Notify,
}

impl Cancel {
    pub fn request(&self) {
        self.requested.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }
    pub fn reset(&self) {
        self.requested.store(false, Ordering::SeqCst);
    }
    pub fn is_requested(&self) -> bool {
        self.requested.load(Ordering::SeqCst)
    }
    /// Completes once a cancel is requested.
    pub async fn requested(&self) {
        loop {
            let notified = self.notify.notified();
            if self.is_requested() {
                return;
            }
            notified.await;
        }
    }
}

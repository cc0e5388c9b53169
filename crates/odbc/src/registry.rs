//! The registry that tells a live handle from a stale pointer, and the call wrapper every
//! entry point goes through: [`call`] checks the handle, clears its diagnostics, runs the work
//! with panics caught, and turns the outcome into an ODBC return code. The handles themselves
//! live with their state (`env`, `conn`, `stmt`, `desc`) and register through [`Object`].

use crate::diag::{Diag, OdbcError, OdbcResult};
use crate::sys::*;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{LazyLock, RwLock};

/// Handles are addresses: they hash as themselves (the registry is read on every call).
#[derive(Default)]
struct AddressHasher(u64);

impl std::hash::Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_usize(&mut self, n: usize) {
        // boxes are 8- or 16-byte aligned: spread the significant bits
        self.0 = (n as u64 >> 4).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type Registry = HashMap<usize, SmallInt, std::hash::BuildHasherDefault<AddressHasher>>;

static LIVE: LazyLock<RwLock<Registry>> = LazyLock::new(Default::default);

fn live() -> std::sync::RwLockReadGuard<'static, Registry> {
    LIVE.read().unwrap_or_else(|p| p.into_inner())
}

fn live_mut() -> std::sync::RwLockWriteGuard<'static, Registry> {
    LIVE.write().unwrap_or_else(|p| p.into_inner())
}

/// A handle the driver hands out; `KIND` is its SQL_HANDLE_* type.
pub trait Object: Sized + 'static {
    const KIND: SmallInt;
    fn diag(&self) -> &Diag;

    /// Registers the object and gives its handle.
    fn into_handle(self) -> Handle {
        let ptr = Box::into_raw(Box::new(self));
        live_mut().insert(ptr as usize, Self::KIND);
        ptr.cast()
    }

    /// The object behind a handle, if it is a live handle of this kind.
    fn from_handle<'a>(handle: Handle) -> Option<&'a Self> {
        if handle.is_null() {
            return None;
        }
        let live = live().get(&(handle as usize)) == Some(&Self::KIND);
        // SAFETY: registered pointers come from Box::into_raw and stay valid until unregistered.
        live.then(|| unsafe { &*(handle as *const Self) })
    }

    /// Unregisters and frees the object behind a live handle.
    ///
    /// # Safety
    /// No reference to the object may outlive this call.
    unsafe fn free(handle: Handle) {
        if live_mut().remove(&(handle as usize)).is_some() {
            drop(Box::from_raw(handle as *mut Self));
        }
    }
}

/// Every live handle of one kind (for freeing a connection's statements and descriptors).
pub fn live_handles(kind: SmallInt) -> Vec<Handle> {
    live()
        .iter()
        .filter(|(_, k)| **k == kind)
        .map(|(p, _)| *p as Handle)
        .collect()
}

/// Makes a struct with a `diag` field a handle of one SQL_HANDLE_* kind.
macro_rules! object {
    ($t:ty, $kind:expr) => {
        impl $crate::registry::Object for $t {
            const KIND: $crate::sys::SmallInt = $kind;
            fn diag(&self) -> &$crate::diag::Diag {
                &self.diag
            }
        }
    };
}
pub(crate) use object;
/// What a call produced: success, success with warnings (taken from the diagnostics), no data,
/// or need data.
pub type Outcome = OdbcResult<SqlReturn>;

/// Runs an entry point's work on a live handle (see the module docs).
pub fn call<T: Object>(handle: Handle, work: impl FnOnce(&T) -> Outcome) -> SqlReturn {
    let Some(obj) = T::from_handle(handle) else {
        return SQL_INVALID_HANDLE;
    };
    let diag = obj.diag();
    diag.begin();
    let result = catch_unwind(AssertUnwindSafe(|| work(obj)));
    let rc = match result {
        Ok(Ok(rc)) if rc == SQL_SUCCESS && !diag.is_empty() => SQL_SUCCESS_WITH_INFO,
        Ok(Ok(rc)) => rc,
        Ok(Err(e)) => {
            diag.push(e);
            SQL_ERROR
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            diag.push(OdbcError::new(
                "HY000",
                format!("internal driver error ({what}); the handle stays usable"),
            ));
            SQL_ERROR
        }
    };
    diag.finish(rc);
    rc
}

/// Adds a warning to an object's diagnostics (the call then returns SQL_SUCCESS_WITH_INFO).
pub fn warn<T: Object>(obj: &T, w: OdbcError) {
    obj.diag().push(w);
}

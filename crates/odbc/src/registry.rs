//! The registry that tells a live handle from a stale pointer, and the call wrapper every
//! entry point goes through: [`call`] checks the handle, clears its diagnostics, runs the work
//! with panics caught, and turns the outcome into an ODBC return code. The handles themselves
//! live with their state (`env`, `conn`, `stmt`, `desc`) and register through [`Object`].
//!
//! A handle in use is leased: every call holds a [`Lease`] on its handle from the look-up to
//! its return, and a handle is freed only when no lease is out ([`retire`] refuses with HY010
//! otherwise). So an application that frees a statement or disconnects while another of its
//! threads is still inside a call on it gets an error instead of having memory pulled from
//! under the running call.
//!
//! Each thread remembers the entry of the last handle it looked up, so the calls an application
//! makes one after another on one handle (a fetch, then a get-data per column) skip the shared
//! table. A remembered entry is leased first and checked after: [`retire`] marks an entry
//! retired before it counts the leases, so either the lease sees the mark and goes the slow way,
//! or the retire sees the lease and refuses. A lease taken that way borrows the remembered
//! entry rather than sharing it, and the thread keeps remembering that entry until the lease
//! ends: one atomic counter changes per call, not two.

use crate::diag::{Diag, OdbcError, OdbcResult};
use crate::sys::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, RwLock};

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

/// A registered handle: its kind, how many calls are using it now, and whether it was taken
/// out of the registry (or is being checked by [`retire`]).
struct Entry {
    kind: SmallInt,
    leases: AtomicUsize,
    retired: AtomicBool,
}

impl Entry {
    /// A lease on the entry, unless it is retired (or being retired): then none is taken.
    fn lease(&self) -> bool {
        self.leases.fetch_add(1, Ordering::SeqCst);
        if self.retired.load(Ordering::SeqCst) {
            self.leases.fetch_sub(1, Ordering::SeqCst);
            return false;
        }
        true
    }
}

thread_local! {
    /// The handle this thread looked up last, and its entry.
    static LAST: RefCell<Remembered> = const {
        RefCell::new(Remembered {
            handle: 0,
            entry: None,
            pins: 0,
        })
    };
}

/// A thread's last handle and its entry. Leases taken through it borrow the entry instead of
/// sharing it (no second atomic count per call): while any is out (`pins`), the entry is not
/// replaced, so it outlives them.
struct Remembered {
    handle: usize,
    entry: Option<Arc<Entry>>,
    pins: usize,
}

impl Drop for Remembered {
    fn drop(&mut self) {
        if self.pins > 0 {
            // a lease still borrows the entry (taken by another thread-local's destructor)
            std::mem::forget(self.entry.take());
        }
    }
}

/// The entry of `handle` as this thread last found it, leased and pinned, if it is still
/// registered.
fn leased_from_last(handle: usize, kind: SmallInt) -> Option<NonNull<Entry>> {
    LAST.try_with(|last| {
        let mut last = last.try_borrow_mut().ok()?;
        let entry = last.entry.as_ref().filter(|e| e.kind == kind)?;
        if last.handle != handle || !entry.lease() {
            return None;
        }
        let pinned = NonNull::from(entry.as_ref());
        last.pins += 1;
        Some(pinned)
    })
    .ok()
    .flatten()
}

/// Ends a lease taken through [`leased_from_last`].
fn unpin() {
    let _ = LAST.try_with(|last| {
        if let Ok(mut last) = last.try_borrow_mut() {
            last.pins -= 1;
        }
    });
}

/// Remembers `entry` as this thread's last, unless a lease borrows the one remembered now.
fn remember(handle: usize, entry: &Arc<Entry>) {
    let _ = LAST.try_with(|last| {
        if let Ok(mut last) = last.try_borrow_mut() {
            if last.pins == 0 {
                last.handle = handle;
                last.entry = Some(entry.clone());
            }
        }
    });
}

type Registry = HashMap<usize, Arc<Entry>, std::hash::BuildHasherDefault<AddressHasher>>;

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
        let entry = Arc::new(Entry {
            kind: Self::KIND,
            leases: AtomicUsize::new(0),
            retired: AtomicBool::new(false),
        });
        live_mut().insert(ptr as usize, entry);
        ptr.cast()
    }

    /// The object behind a handle, leased for as long as the answer lives, if it is a live
    /// handle of this kind.
    fn from_handle(handle: Handle) -> Option<Lease<Self>> {
        if handle.is_null() {
            return None;
        }
        let at = handle as usize;
        let entry = match leased_from_last(at, Self::KIND) {
            Some(pinned) => Held::Pinned(pinned),
            None => {
                // the table's lock keeps retire out while the lease is taken
                let live = live();
                let entry = live.get(&at).filter(|e| e.kind == Self::KIND)?;
                entry.leases.fetch_add(1, Ordering::SeqCst);
                remember(at, entry);
                Held::Shared(entry.clone())
            }
        };
        Some(Lease {
            ptr: handle as *const Self,
            entry,
        })
    }

    /// The object behind a handle that something else keeps alive (a statement's connection,
    /// a connection's environment: neither can be freed while the other is in a call).
    ///
    /// # Safety
    /// `handle` came from `into_handle` of this type and is not freed while the answer lives.
    unsafe fn kept<'a>(handle: Handle) -> &'a Self {
        &*(handle as *const Self)
    }

    /// The object whose handle [`retire`] took out of the registry, to be dropped.
    ///
    /// # Safety
    /// `handle` was retired as this type, and is taken once.
    unsafe fn take_retired(handle: Handle) -> Box<Self> {
        Box::from_raw(handle as *mut Self)
    }
}

/// A live handle's object, kept from being freed while this lives.
pub struct Lease<T: Object> {
    ptr: *const T,
    /// The handle's entry, whose count of leases this one is in (released without looking the
    /// handle up again).
    entry: Held,
}

/// How a lease holds its entry: shared, or borrowed from this thread's remembered entry
/// (pinned there until the lease ends; a lease is not `Send`, so it ends on this thread).
enum Held {
    Shared(Arc<Entry>),
    Pinned(NonNull<Entry>),
}

impl<T: Object> std::ops::Deref for Lease<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: a leased handle is not freed (retire refuses while leases are out).
        unsafe { &*self.ptr }
    }
}

impl<T: Object> Drop for Lease<T> {
    fn drop(&mut self) {
        // a handle retired by its own call (SQLFreeHandle) is out of the registry already; its
        // entry lives on with the lease (or the thread's memory), and goes with it
        match &self.entry {
            Held::Shared(entry) => {
                entry.leases.fetch_sub(1, Ordering::SeqCst);
            }
            Held::Pinned(entry) => {
                // SAFETY: pinned in this thread's memory, which keeps it until `unpin`
                unsafe { entry.as_ref() }
                    .leases
                    .fetch_sub(1, Ordering::SeqCst);
                unpin();
            }
        }
    }
}

/// Takes handles out of the registry, all or none: none when any is in use by a call other
/// than the one retiring it (`caller`, which holds one lease on itself). Retired handles are
/// no longer found; their objects are taken back with [`Object::take_retired`].
pub fn retire(handles: &[Handle], caller: Option<Handle>) -> OdbcResult<()> {
    let mut live = live_mut();
    let entries: Vec<&Arc<Entry>> = handles
        .iter()
        .filter_map(|h| live.get(&(*h as usize)))
        .collect();
    // marked first, counted after (see the module docs)
    for e in &entries {
        e.retired.store(true, Ordering::SeqCst);
    }
    let busy = handles.iter().any(|h| {
        let own = usize::from(caller == Some(*h));
        live.get(&(*h as usize))
            .is_some_and(|e| e.leases.load(Ordering::SeqCst) > own)
    });
    if busy {
        for e in &entries {
            e.retired.store(false, Ordering::SeqCst);
        }
        return Err(in_use());
    }
    drop(entries);
    for h in handles {
        live.remove(&(*h as usize));
    }
    Ok(())
}

/// HY010 for freeing a handle that a call in another thread is using.
pub fn in_use() -> OdbcError {
    OdbcError::sequence("the handle is in use by a call still running in another thread")
}

/// Every live handle of one kind (for freeing a connection's statements and descriptors).
pub fn live_handles(kind: SmallInt) -> Vec<Handle> {
    live()
        .iter()
        .filter(|(_, e)| e.kind == kind)
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
    let result = catch_unwind(AssertUnwindSafe(|| work(&obj)));
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

#[cfg(test)]
mod tests {
    use super::*;

    struct Probe {
        diag: Diag,
    }
    object!(Probe, SQL_HANDLE_DESC);

    fn probe() -> Handle {
        Probe {
            diag: Diag::default(),
        }
        .into_handle()
    }

    #[test]
    fn a_handle_remembered_by_a_thread_is_leased_and_retired_like_any_other() {
        let h = probe();
        // the first look-up goes through the table, the second through this thread's memory
        drop(Probe::from_handle(h).expect("live"));
        let lease = Probe::from_handle(h).expect("live");
        let send = h as usize;
        // another thread cannot retire it while the lease is out, and the mark it set is undone
        let refused = std::thread::spawn(move || retire(&[send as Handle], None).is_err());
        assert!(refused.join().unwrap());
        drop(lease);
        assert!(
            Probe::from_handle(h).is_some(),
            "still live after the refusal"
        );
        // once retired, this thread's memory of it finds nothing
        let other = std::thread::spawn(move || retire(&[send as Handle], None).is_ok());
        assert!(other.join().unwrap());
        assert!(Probe::from_handle(h).is_none());
        // SAFETY: retired above, taken once
        drop(unsafe { Probe::take_retired(h) });
    }

    #[test]
    fn an_entry_a_lease_borrows_stays_remembered_through_nested_look_ups() {
        let (a, b) = (probe(), probe());
        let remembered = || LAST.with(|l| l.borrow().handle);
        drop(Probe::from_handle(a).expect("live"));
        let outer = Probe::from_handle(a).expect("live");
        assert_eq!(remembered(), a as usize);
        // a look-up of another handle inside the call goes through the table, and does not
        // drop the entry the outer lease borrows
        let inner = Probe::from_handle(b).expect("live");
        assert_eq!(remembered(), a as usize);
        drop(inner);
        retire(&[b], None).expect("b is not in use");
        // SAFETY: retired above, taken once
        drop(unsafe { Probe::take_retired(b) });
        let send = a as usize;
        let refused = std::thread::spawn(move || retire(&[send as Handle], None).is_err());
        assert!(refused.join().unwrap(), "the outer lease still counts");
        drop(outer);
        // with no lease out, the next look-up is remembered again
        let c = probe();
        drop(Probe::from_handle(c).expect("live"));
        assert_eq!(remembered(), c as usize);
        retire(&[a, c], None).expect("free");
        // SAFETY: retired above, taken once each
        drop(unsafe { Probe::take_retired(a) });
        drop(unsafe { Probe::take_retired(c) });
    }

    #[test]
    fn a_remembered_handle_of_another_kind_is_not_found() {
        let h = probe();
        assert!(Probe::from_handle(h).is_some());
        assert!(crate::conn::Conn::from_handle(h).is_none());
        retire(&[h], None).expect("free");
        // SAFETY: retired above, taken once
        drop(unsafe { Probe::take_retired(h) });
    }
}

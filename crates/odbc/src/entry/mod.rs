//! The exported C functions, grouped by area. Each is a thin shim: it finds its handle through
//! [`crate::registry::call`] (which catches panics and records diagnostics) and calls the
//! driver's Rust code. Functions taking or giving text exist as `SQLxxx` (UTF-8) and `SQLxxxW`
//! (SQLWCHAR), both generated from one implementation by [`ansi_and_wide`].

mod attrs;
mod catalog;
mod connect;
mod desc;
mod diag;
mod execute;
mod handles;
mod results;

use crate::diag::OdbcError;
use crate::registry::{warn, Object};
use crate::sys::*;
use crate::text::{Enc, Measure};

/// Exports `$a` (narrow) and `$w` (wide) calling `$imp(Enc, args...)`; they answer a
/// `SqlReturn` unless another type is given after `->`.
macro_rules! ansi_and_wide {
    ($a:ident, $w:ident => $imp:ident($($arg:ident: $ty:ty),* $(,)?)) => {
        crate::entry::ansi_and_wide!($a, $w => $imp($($arg: $ty),*) -> SqlReturn);
    };
    ($a:ident, $w:ident => $imp:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty) => {
        #[no_mangle]
        pub unsafe extern "system" fn $a($($arg: $ty),*) -> $ret {
            $imp(crate::text::Enc::Narrow, $($arg),*)
        }
        #[no_mangle]
        pub unsafe extern "system" fn $w($($arg: $ty),*) -> $ret {
            $imp(crate::text::Enc::Wide, $($arg),*)
        }
    };
}
pub(crate) use ansi_and_wide;

/// Writes `v` through `p` when the application gave a pointer.
pub unsafe fn put<T>(p: *mut T, v: T) {
    if !p.is_null() {
        std::ptr::write_unaligned(p, v);
    }
}

/// Writes a string output argument and its length; 01004 when it was cut.
pub unsafe fn put_str<L: TryFrom<usize>>(
    enc: Enc,
    s: &str,
    buf: Pointer,
    cap: isize,
    len: *mut L,
    measure: Measure,
) -> Option<OdbcError> {
    let w = enc.write(s, buf, cap, measure);
    if let Ok(n) = L::try_from(w.len) {
        put(len, n);
    }
    (w.truncated && !buf.is_null()).then(|| OdbcError::new("01004", "string data, right truncated"))
}

/// Writes a string output argument and its length; a cut string leaves 01004 on `obj`.
pub unsafe fn put_text<T: Object, L: TryFrom<usize>>(
    obj: &T,
    enc: Enc,
    s: &str,
    buf: Pointer,
    cap: isize,
    len: *mut L,
    measure: Measure,
) {
    if let Some(w) = put_str(enc, s, buf, cap, len, measure) {
        warn(obj, w);
    }
}

/// Reads a connection string or DSN name; a wide one also settles the SQLWCHAR width.
pub unsafe fn connection_text(enc: Enc, p: Pointer, len: isize) -> Result<String, OdbcError> {
    if enc == Enc::Wide {
        crate::text::sniff_wide(p, len);
    }
    Ok(get_str(enc, p, len)?.unwrap_or_default())
}

/// Reads a string input argument (`len` in characters, or SQL_NTS).
pub unsafe fn get_str(enc: Enc, p: Pointer, len: isize) -> Result<Option<String>, OdbcError> {
    enc.read(p, len, Measure::Chars)
}

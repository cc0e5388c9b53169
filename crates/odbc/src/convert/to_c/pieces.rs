//! Character and binary data in pieces: each call writes the part from `offset` on that fits
//! the buffer and reports the length of all of that part, with 01004 when some is left for the
//! next SQLGetData.

use super::outcome::truncated;
use super::target::{Out, Target};
use crate::sys::Len;

/// Bytes of character data, NUL-terminated. Each piece fills the buffer (applications
/// concatenate the pieces' bytes, so a piece may end inside a character).
///
/// # Safety
/// `target.ptr` is null or valid for `target.cap` bytes.
pub unsafe fn characters(all: &[u8], target: &Target, offset: usize) -> Out {
    piece(all, target, offset, 1, "string")
}

/// Binary data, unterminated.
///
/// # Safety
/// `target.ptr` is null or valid for `target.cap` bytes.
pub unsafe fn binary(all: &[u8], target: &Target, offset: usize) -> Out {
    piece(all, target, offset, 0, "binary")
}

/// The piece of `all` from `offset` on, followed by `terminator` zero bytes when the buffer
/// has room for them.
unsafe fn piece(all: &[u8], target: &Target, offset: usize, terminator: usize, what: &str) -> Out {
    let rest = &all[offset.min(all.len())..];
    let cap = target.cap.max(0) as usize;
    let mut n = 0;
    if !target.ptr.is_null() && cap >= terminator {
        n = rest.len().min(cap - terminator);
        let dst = target.ptr as *mut u8;
        std::ptr::copy_nonoverlapping(rest.as_ptr(), dst, n);
        std::ptr::write_bytes(dst.add(n), 0, terminator);
    }
    Out {
        indicator: rest.len() as Len,
        advanced: n,
        warning: (n < rest.len()).then(|| truncated(what)),
    }
}

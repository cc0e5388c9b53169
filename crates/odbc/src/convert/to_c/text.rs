//! SQL_C_CHAR and SQL_C_WCHAR: any value as its text, in pieces. Text and binary data may be
//! cut (01004, the rest read by later SQLGetData calls); numbers, dates and times go whole or
//! not at all (22003).

use super::outcome::truncated;
use super::{pieces, Out, Target};
use crate::convert::Cell;
use crate::diag::{OdbcError, OdbcResult};
use crate::sys::Len;
use crate::text::wchar_size;

/// SQL_C_CHAR: UTF-8 bytes, NUL-terminated.
///
/// # Safety
/// `target.ptr` is null or valid for `target.cap` bytes.
pub unsafe fn narrow(cell: &Cell, target: &Target, offset: usize) -> OdbcResult<Out> {
    let text = cell.to_text();
    let all = text.as_bytes();
    let rest = all.len() - offset.min(all.len());
    let cap = target.cap.max(0) as usize;
    if cap < rest + 1 {
        whole(cell, cap, &text)?;
    }
    Ok(pieces::characters(all, target, offset))
}

/// SQL_C_WCHAR: SQLWCHARs, encoded straight into the buffer (the hot path of applications
/// that read every text column wide): the whole length from `offset` on is counted while the
/// part that fits is written. UTF-16 pieces may end between the two halves of a surrogate pair.
///
/// # Safety
/// `target.ptr` is null or valid for `target.cap` bytes.
pub unsafe fn wide(cell: &Cell, target: &Target, offset: usize) -> OdbcResult<Out> {
    let text = cell.to_text();
    let unit = wchar_size();
    let cap = target.cap.max(0) as usize;
    let room = if target.ptr.is_null() || cap < unit {
        0
    } else {
        cap / unit - 1
    };
    let skip = offset / unit;
    let dst = target.ptr as *mut u8;
    let mut index = 0usize;
    let mut put = |u: u32| {
        if index >= skip && index - skip < room {
            let at = dst.add((index - skip) * unit);
            if unit == 2 {
                std::ptr::write_unaligned(at as *mut u16, u as u16);
            } else {
                std::ptr::write_unaligned(at as *mut u32, u);
            }
        }
        index += 1;
    };
    if unit == 2 {
        text.encode_utf16().for_each(|u| put(u as u32));
    } else {
        text.chars().for_each(|c| put(c as u32));
    }
    let total = index.saturating_sub(skip);
    let written = total.min(room);
    if written < total {
        whole(cell, cap, &text)?;
    }
    if !target.ptr.is_null() && cap >= unit {
        std::ptr::write_bytes(dst.add(written * unit), 0, unit);
    }
    Ok(Out {
        indicator: (total * unit) as Len,
        advanced: written * unit,
        warning: (written < total).then(|| truncated("string")),
    })
}

/// For a buffer of `cap` bytes that cannot hold all of `text`: text and binary data are cut,
/// anything else is 22003 (unless the buffer is empty, which only asks for the length).
fn whole(cell: &Cell, cap: usize, text: &str) -> OdbcResult<()> {
    if cap > 0 && !matches!(cell, Cell::Text(_) | Cell::Bytes(_)) {
        return Err(OdbcError::new(
            "22003",
            format!("the buffer of {cap} bytes is too small for {text}"),
        ));
    }
    Ok(())
}

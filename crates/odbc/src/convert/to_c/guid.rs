//! SQL_C_GUID: text in the usual GUID form (hyphens and braces optional); other text is 22018,
//! other values 07006.

use super::outcome::{not_allowed, store};
use super::{Out, Target};
use crate::convert::Cell;
use crate::diag::{OdbcError, OdbcResult};
use crate::sys::Guid;

/// # Safety
/// `target.ptr` is null or valid for a SQLGUID.
pub unsafe fn write(cell: &Cell, target: &Target) -> OdbcResult<Out> {
    let Cell::Text(s) = cell else {
        return Err(not_allowed(cell, target.c_type));
    };
    let guid =
        parse_guid(s).ok_or_else(|| OdbcError::new("22018", format!("'{s}' is not a GUID")))?;
    Ok(store(target.ptr, guid, false))
}

fn parse_guid(s: &str) -> Option<Guid> {
    let hex: String = s
        .trim_matches(|c| c == '{' || c == '}')
        .split('-')
        .collect();
    if hex.len() != 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let b = |i: usize, n: usize| u64::from_str_radix(&hex[i..i + n], 16).ok();
    let mut d4 = [0u8; 8];
    for (k, x) in d4.iter_mut().enumerate() {
        *x = b(16 + 2 * k, 2)? as u8;
    }
    Some(Guid {
        d1: b(0, 8)? as u32,
        d2: b(8, 4)? as u16,
        d3: b(12, 4)? as u16,
        d4,
    })
}

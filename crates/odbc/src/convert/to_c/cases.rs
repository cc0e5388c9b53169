//! Test support: runs [`write`] into a buffer of a given length and reports what came out, so
//! each family's cases are a table of data checked by [`check`].

use super::target::Target;
use super::write;
use crate::convert::Cell;
use crate::sys::*;
use chrono::{NaiveDate, NaiveDateTime};
use std::borrow::Cow;

/// What the buffer holds where nothing was written.
pub const FILL: u8 = b'~';
/// Bytes past the buffer's length that must stay untouched.
const GUARD: usize = 16;
/// The length given with a null pointer (large, so only the null pointer stops a write).
const NULL_CAP: usize = 64;

/// One case: the cell, the C type, the buffer length in bytes (None: a null pointer), the
/// offset of what earlier pieces returned; then the buffer's bytes afterwards ([`FILL`] where
/// nothing was written; none for a null pointer), the indicator, the bytes advanced and the
/// SQLSTATE of the warning or error (an error reports indicator 0 and advanced 0).
pub type Case<'a> = (
    Cell<'static>,
    SmallInt,
    Option<usize>,
    usize,
    &'a [u8],
    Len,
    usize,
    Option<&'static str>,
);

/// Checks every case with precision and scale 0.
pub fn check(cases: &[Case]) {
    check_numeric(cases, 0, 0);
}

/// Checks every case with the given SQL_C_NUMERIC precision and scale.
pub fn check_numeric(cases: &[Case], precision: SmallInt, scale: SmallInt) {
    for (i, (cell, c_type, cap, offset, bytes, indicator, advanced, state)) in
        cases.iter().enumerate()
    {
        let got = run(cell, *c_type, *cap, *offset, precision, scale);
        let want = (bytes.to_vec(), *indicator, *advanced, *state);
        assert_eq!(
            got, want,
            "case {i}: {cell:?} as C type {c_type} into {cap:?} bytes from offset {offset}"
        );
    }
}

/// Writes `cell` into a buffer of `cap` bytes (None: a null pointer); returns the buffer, the
/// indicator, the bytes advanced and the SQLSTATE of a warning or error.
fn run(
    cell: &Cell,
    c_type: SmallInt,
    cap: Option<usize>,
    offset: usize,
    precision: SmallInt,
    scale: SmallInt,
) -> (Vec<u8>, Len, usize, Option<&'static str>) {
    let len = cap.unwrap_or(0);
    let mut buf = vec![FILL; len + GUARD];
    let target = Target {
        c_type,
        ptr: match cap {
            Some(_) => buf.as_mut_ptr() as Pointer,
            None => std::ptr::null_mut(),
        },
        cap: cap.unwrap_or(NULL_CAP) as Len,
        precision,
        scale,
    };
    // SAFETY: the buffer has `len` bytes and a guard; every case's length covers its C type.
    let result = unsafe { write(cell, &target, offset) };
    assert!(
        buf[len..].iter().all(|&b| b == FILL),
        "{cell:?} as C type {c_type} wrote past {len} bytes"
    );
    buf.truncate(len);
    match result {
        Ok(out) => {
            let state = out.warning.map(|w| w.state);
            assert!(
                state.is_none_or(|s| s.starts_with("01")),
                "{state:?} as a warning"
            );
            (buf, out.indicator, out.advanced, state)
        }
        Err(e) => {
            assert!(!e.state.starts_with("01"), "{} as an error", e.state);
            (buf, 0, 0, Some(e.state))
        }
    }
}

/// A text cell.
pub fn text(s: &'static str) -> Cell<'static> {
    Cell::Text(Cow::Borrowed(s))
}

/// A date and time to the nanosecond.
pub fn at(ymd: (i32, u32, u32), hms: (u32, u32, u32), nano: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(ymd.0, ymd.1, ymd.2)
        .unwrap()
        .and_hms_nano_opt(hms.0, hms.1, hms.2, nano)
        .unwrap()
}

/// The bytes of a C value (the ODBC structs have no padding).
pub fn raw<T: Copy>(v: T) -> Vec<u8> {
    // SAFETY: reads the `size_of::<T>()` initialised bytes of `v`.
    unsafe { std::slice::from_raw_parts(&v as *const T as *const u8, std::mem::size_of::<T>()) }
        .to_vec()
}

/// `n` bytes of [`FILL`].
pub fn fill(n: usize) -> Vec<u8> {
    vec![FILL; n]
}

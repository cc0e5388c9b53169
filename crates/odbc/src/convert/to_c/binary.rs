//! SQL_C_BINARY: binary data and text as their bytes, numbers in their default C
//! representation, anything else as the bytes of its text; in pieces, cut with 01004.

use super::{pieces, Out, Target};
use crate::convert::Cell;
use crate::diag::OdbcResult;

/// # Safety
/// `target.ptr` is null or valid for `target.cap` bytes.
pub unsafe fn write(cell: &Cell, target: &Target, offset: usize) -> OdbcResult<Out> {
    let owned;
    let bytes: &[u8] = match cell {
        Cell::Bytes(b) => b,
        Cell::Text(s) => s.as_bytes(),
        other => {
            owned = native_bytes(other);
            &owned
        }
    };
    Ok(pieces::binary(bytes, target, offset))
}

/// The default C representation of a value.
fn native_bytes(cell: &Cell) -> Vec<u8> {
    match cell {
        Cell::Int(v) => v.to_ne_bytes().to_vec(),
        Cell::UInt(v) => v.to_ne_bytes().to_vec(),
        Cell::Float(v) => v.to_ne_bytes().to_vec(),
        Cell::Bool(b) => vec![*b as u8],
        other => other.to_text().as_bytes().to_vec(),
    }
}

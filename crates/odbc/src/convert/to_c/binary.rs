//! SQL_C_BINARY: binary data and text as their bytes, numbers in their default C
//! representation, anything else as the bytes of its text; in pieces, cut with 01004.

use super::pieces;
use super::target::{Out, Target};
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

#[cfg(test)]
mod tests {
    use crate::convert::to_c::cases::{check, text, Case};
    use crate::convert::Cell;
    use crate::sys::*;

    #[test]
    fn bytes_in_pieces_and_values_in_their_c_representation() {
        let five = || Cell::Bytes(&[1, 2, 3, 4, 5]);
        #[rustfmt::skip]
        let cases: &[Case] = &[
            (Cell::Bytes(&[1, 2, 3]), SQL_C_BINARY, Some(4), 0, b"\x01\x02\x03~", 3, 3, None),
            (Cell::Bytes(&[]), SQL_C_BINARY, Some(2), 0, b"~~", 0, 0, None),
            (Cell::Null, SQL_C_BINARY, Some(2), 0, b"~~", SQL_NULL_DATA, 0, None),
            // too small: the piece that fits (no terminator), the length of all that is left
            (five(), SQL_C_BINARY, Some(2), 0, b"\x01\x02", 5, 2, Some("01004")),
            (five(), SQL_C_BINARY, Some(2), 2, b"\x03\x04", 3, 2, Some("01004")),
            (five(), SQL_C_BINARY, Some(2), 4, b"\x05~", 1, 1, None),
            (five(), SQL_C_BINARY, Some(0), 0, b"", 5, 0, Some("01004")),
            (five(), SQL_C_BINARY, None, 0, b"", 5, 0, Some("01004")),
            // text as its UTF-8 bytes
            (text("h\u{e9}"), SQL_C_BINARY, Some(4), 0, b"h\xc3\xa9~", 3, 3, None),
            // numbers in their default C representation, cut like any binary data
            (Cell::Int(-2), SQL_C_BINARY, Some(8), 0, &(-2i64).to_ne_bytes(), 8, 8, None),
            (Cell::Int(-2), SQL_C_BINARY, Some(4), 0, &(-2i64).to_ne_bytes()[..4], 8, 4, Some("01004")),
            (Cell::UInt(7), SQL_C_BINARY, Some(8), 0, &7u64.to_ne_bytes(), 8, 8, None),
            (Cell::Float(1.5), SQL_C_BINARY, Some(8), 0, &1.5f64.to_ne_bytes(), 8, 8, None),
            (Cell::Bool(true), SQL_C_BINARY, Some(2), 0, b"\x01~", 1, 1, None),
            // anything else as the bytes of its text
            (Cell::Decimal(-1205, 3), SQL_C_BINARY, Some(6), 0, b"-1.205", 6, 6, None),
        ];
        check(cases);
    }
}

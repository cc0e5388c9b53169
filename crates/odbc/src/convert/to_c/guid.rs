//! SQL_C_GUID: text in the usual GUID form (hyphens and braces optional); other text is 22018,
//! other values 07006.

use super::outcome::{not_allowed, store};
use super::target::{Out, Target};
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

#[cfg(test)]
mod tests {
    use crate::convert::to_c::cases::{check, fill, raw, text, Case};
    use crate::convert::Cell;
    use crate::sys::*;

    const SIZE: usize = std::mem::size_of::<Guid>();

    #[test]
    fn guids_from_their_text() {
        let g = SQL_C_GUID;
        let want = raw(Guid {
            d1: 0x6F96_19FF,
            d2: 0x8B86,
            d3: 0xD011,
            d4: [0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64, 0xFF],
        });
        #[rustfmt::skip]
        let cases: &[Case] = &[
            (text("6F9619FF-8B86-D011-B42D-00C04FC964FF"), g, Some(SIZE), 0, &want, SIZE as Len, 0, None),
            (text("{6f9619ff-8b86-d011-b42d-00c04fc964ff}"), g, Some(SIZE), 0, &want, SIZE as Len, 0, None),
            (text("6F9619FF8B86D011B42D00C04FC964FF"), g, Some(SIZE), 0, &want, SIZE as Len, 0, None),
            (Cell::Null, g, Some(SIZE), 0, &fill(SIZE), SQL_NULL_DATA, 0, None),
            (text("6F9619FF8B86D011B42D00C04FC964FF"), g, None, 0, b"", SIZE as Len, 0, None),
            (text("6F9619FF-8B86-D011-B42D-00C04FC964F"), g, Some(SIZE), 0, &fill(SIZE), 0, 0, Some("22018")),
            (text("6F9619FF-8B86-D011-B42D-00C04FC964FG"), g, Some(SIZE), 0, &fill(SIZE), 0, 0, Some("22018")),
            (text("not a guid"), g, Some(SIZE), 0, &fill(SIZE), 0, 0, Some("22018")),
            (Cell::Bytes(&[0; 16]), g, Some(SIZE), 0, &fill(SIZE), 0, 0, Some("07006")),
            (Cell::Int(1), g, Some(SIZE), 0, &fill(SIZE), 0, 0, Some("07006")),
        ];
        check(cases);
    }
}

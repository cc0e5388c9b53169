//! Strings across the C ABI. Narrow entry points take and give UTF-8; wide ones SQLWCHAR, which
//! is UTF-16 under unixODBC and Windows and UTF-32 (`wchar_t`) under iODBC. Lengths count
//! characters or bytes as each function's documentation says; [`Measure`] says which.

use crate::diag::{OdbcError, OdbcResult};
use crate::sys::{Len, SQL_NTS};
use std::ffi::c_void;
use std::sync::OnceLock;

static WCHAR_SIZE: OnceLock<usize> = OnceLock::new();

/// Bytes in one SQLWCHAR: 2 (unixODBC, Windows) or 4 (iODBC). Decided once: by
/// `PIPEDRIVE_ODBC_WCHAR_SIZE=2|4` if set, else by the first wide connection string
/// ([`sniff_wide`]), else 4 when iODBC's library is loaded, else 2.
pub fn wchar_size() -> usize {
    *WCHAR_SIZE.get_or_init(|| match configured() {
        Some(n) => n,
        None if under_iodbc() => 4,
        None => 2,
    })
}

fn configured() -> Option<usize> {
    match std::env::var("PIPEDRIVE_ODBC_WCHAR_SIZE").as_deref() {
        Ok("4") => Some(4),
        Ok("2") => Some(2),
        _ => None,
    }
}

/// Decides the SQLWCHAR width from the first wide string of a connection (a DSN name or a
/// connection string), when it is not decided yet. Read as 16-bit units, a UTF-32 string of two
/// or more characters has a zero second unit after a non-zero first one, which UTF-16 text
/// cannot have. Driver managers linked into the application (iODBC's test tools) leave no
/// library to find, so the text itself tells.
///
/// # Safety
/// `ptr` is null or points to `len` SQLWCHARs (or a terminated string for SQL_NTS).
pub unsafe fn sniff_wide(ptr: *const c_void, len: Len) {
    // Windows has one SQLWCHAR: UTF-16
    if cfg!(windows) || ptr.is_null() || WCHAR_SIZE.get().is_some() || (len >= 0 && len < 2) {
        return;
    }
    let units = ptr as *const u16;
    let size = configured().unwrap_or(if *units != 0 && *units.add(1) == 0 {
        4
    } else {
        2
    });
    let _ = WCHAR_SIZE.set(size);
}

#[cfg(not(unix))]
fn under_iodbc() -> bool {
    false
}

#[cfg(unix)]
fn under_iodbc() -> bool {
    // iODBC's driver manager exports this; unixODBC's does not.
    ["iodbc_version"].iter().any(|name| {
        let name = std::ffi::CString::new(*name).expect("no NUL");
        // SAFETY: dlsym with the default handle only looks a symbol up.
        !unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) }.is_null()
    })
}

/// Which kind of entry point was called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Enc {
    Narrow,
    Wide,
}

/// What a length argument counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    Chars,
    Bytes,
}

/// A string written to an application buffer: its whole length (in the measure asked) and
/// whether it was cut to fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Written {
    pub len: usize,
    pub truncated: bool,
}

impl Enc {
    /// Bytes in one character unit.
    pub fn unit(self) -> usize {
        match self {
            Enc::Narrow => 1,
            Enc::Wide => wchar_size(),
        }
    }

    fn units(self, len: Len, measure: Measure) -> Len {
        match measure {
            Measure::Bytes if len >= 0 => len / self.unit() as Len,
            _ => len,
        }
    }

    /// Reads an input string; `None` for a null pointer.
    ///
    /// # Safety
    /// `ptr` is null or points to `len` units (or a NUL-terminated string for SQL_NTS).
    pub unsafe fn read(
        self,
        ptr: *const c_void,
        len: Len,
        measure: Measure,
    ) -> OdbcResult<Option<String>> {
        if ptr.is_null() {
            return Ok(None);
        }
        let len = self.units(len, measure);
        if len < 0 && len != SQL_NTS {
            return Err(OdbcError::new(
                "HY090",
                format!("invalid string length {len}"),
            ));
        }
        let text = match (self, wchar_size()) {
            (Enc::Narrow, _) => {
                let bytes = slice(ptr as *const u8, len);
                String::from_utf8_lossy(bytes).into_owned()
            }
            (Enc::Wide, 2) => String::from_utf16_lossy(slice(ptr as *const u16, len)),
            (Enc::Wide, _) => slice(ptr as *const u32, len)
                .iter()
                .map(|&c| char::from_u32(c).unwrap_or('\u{FFFD}'))
                .collect(),
        };
        Ok(Some(text))
    }

    /// The length of `s` in this encoding, in units.
    pub fn len_of(self, s: &str) -> usize {
        match (self, wchar_size()) {
            (Enc::Narrow, _) => s.len(),
            (Enc::Wide, 2) => s.encode_utf16().count(),
            (Enc::Wide, _) => s.chars().count(),
        }
    }

    /// Writes `s` NUL-terminated into a buffer of `cap` (in `measure`), cutting it at a
    /// character boundary when it does not fit. Returns the whole length in `measure`.
    ///
    /// # Safety
    /// `buf` is null or valid for `cap` of the measure.
    pub unsafe fn write(self, s: &str, buf: *mut c_void, cap: Len, measure: Measure) -> Written {
        let unit = self.unit();
        let total_units = self.len_of(s);
        let len = match measure {
            Measure::Chars => total_units,
            Measure::Bytes => total_units * unit,
        };
        let cap_units = match measure {
            Measure::Chars => cap.max(0) as usize,
            Measure::Bytes => cap.max(0) as usize / unit,
        };
        if buf.is_null() || cap_units == 0 {
            return Written {
                len,
                truncated: !s.is_empty() || (!buf.is_null() && cap_units == 0),
            };
        }
        let room = cap_units - 1;
        let written = match (self, wchar_size()) {
            (Enc::Narrow, _) => {
                let mut n = s.len().min(room);
                while !s.is_char_boundary(n) {
                    n -= 1;
                }
                let out = buf as *mut u8;
                std::ptr::copy_nonoverlapping(s.as_ptr(), out, n);
                *out.add(n) = 0;
                n
            }
            (Enc::Wide, 2) => {
                let out = buf as *mut u16;
                let mut n = 0;
                for c in s.chars() {
                    let mut pair = [0u16; 2];
                    let units = c.encode_utf16(&mut pair);
                    if n + units.len() > room {
                        break;
                    }
                    for u in units.iter() {
                        out.add(n).write_unaligned(*u);
                        n += 1;
                    }
                }
                out.add(n).write_unaligned(0);
                n
            }
            (Enc::Wide, _) => {
                let out = buf as *mut u32;
                let mut n = 0;
                for c in s.chars().take(room) {
                    out.add(n).write_unaligned(c as u32);
                    n += 1;
                }
                out.add(n).write_unaligned(0u32);
                n
            }
        };
        Written {
            len,
            truncated: written < total_units,
        }
    }
}

unsafe fn slice<'a, T: Copy + Default + PartialEq>(ptr: *const T, len: Len) -> &'a [T] {
    let n = if len == SQL_NTS {
        let mut n = 0;
        while *ptr.add(n) != T::default() {
            n += 1;
        }
        n
    } else {
        len as usize
    };
    std::slice::from_raw_parts(ptr, n)
}

/// Encodes `s` as SQLWCHAR units in native byte order.
#[cfg(test)]
pub fn wide_bytes(s: &str) -> Vec<u8> {
    if wchar_size() == 2 {
        s.encode_utf16().flat_map(u16::to_ne_bytes).collect()
    } else {
        s.chars().flat_map(|c| (c as u32).to_ne_bytes()).collect()
    }
}

/// Decodes SQLWCHAR units given as bytes.
pub fn from_wide_bytes(b: &[u8]) -> String {
    if wchar_size() == 2 {
        let units: Vec<u16> = b
            .chunks_exact(2)
            .map(|c| u16::from_ne_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        b.chunks_exact(4)
            .map(|c| {
                char::from_u32(u32::from_ne_bytes([c[0], c[1], c[2], c[3]])).unwrap_or('\u{FFFD}')
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_round_trip_and_truncation_at_a_char_boundary() {
        let mut buf = [0u8; 6];
        let w = unsafe { Enc::Narrow.write("añoño", buf.as_mut_ptr().cast(), 6, Measure::Bytes) };
        assert_eq!(
            w,
            Written {
                len: 7,
                truncated: true
            }
        );
        assert_eq!(&buf[..5], "año\0".as_bytes());
        let s = unsafe { Enc::Narrow.read(buf.as_ptr().cast(), SQL_NTS, Measure::Chars) };
        assert_eq!(s.unwrap().unwrap(), "año");
    }

    #[test]
    fn wide_counts_units_and_bytes() {
        let mut buf = [0u16; 4];
        let w = unsafe { Enc::Wide.write("Deals", buf.as_mut_ptr().cast(), 4, Measure::Chars) };
        assert_eq!(
            w,
            Written {
                len: 5,
                truncated: true
            }
        );
        assert_eq!(String::from_utf16_lossy(&buf[..3]), "Dea");
        let w = unsafe { Enc::Wide.write("Deals", buf.as_mut_ptr().cast(), 8, Measure::Bytes) };
        assert_eq!(w.len, 10);
        let s = unsafe { Enc::Wide.read(buf.as_ptr().cast(), 6, Measure::Bytes) };
        assert_eq!(s.unwrap().unwrap(), "Dea");
        assert_eq!(from_wide_bytes(&wide_bytes("€x")), "€x");
    }
}

//! Where a converted value goes (the C type and buffer) and what writing it gave back.

use crate::diag::OdbcError;
use crate::sys::*;

/// Where a value goes: the C type and buffer of an ARD record (or SQLGetData's arguments).
#[derive(Clone, Copy, Debug)]
pub struct Target {
    pub c_type: SmallInt,
    pub ptr: Pointer,
    /// Buffer length in bytes (for character and binary types).
    pub cap: Len,
    /// SQL_C_NUMERIC precision and scale.
    pub precision: SmallInt,
    pub scale: SmallInt,
}

/// What was written.
#[derive(Debug, PartialEq)]
pub struct Out {
    /// Length or indicator for the application: bytes available (from `offset` on), or
    /// SQL_NULL_DATA.
    pub indicator: Len,
    /// Bytes of character or binary data written this time (GetData pieces advance by it).
    pub advanced: usize,
    /// A warning (01004, 01S07) that leaves the value usable.
    pub warning: Option<OdbcError>,
}

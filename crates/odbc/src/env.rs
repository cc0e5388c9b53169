//! An environment handle: the ODBC version the application asked for.

use crate::diag::Diag;
use crate::registry::object;
use crate::sys::*;
use std::sync::Mutex;

pub struct Env {
    pub diag: Diag,
    pub odbc_version: Mutex<Integer>,
}

object!(Env, SQL_HANDLE_ENV);

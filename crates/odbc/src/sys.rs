//! The ODBC C types and constants the driver uses, with the values of the ODBC 3.8 headers.
#![allow(dead_code)]

use std::ffi::c_void;

pub type SmallInt = i16;
pub type USmallInt = u16;
pub type Integer = i32;
pub type Len = isize;
pub type ULen = usize;
pub type SqlReturn = i16;
pub type Handle = *mut c_void;
pub type Pointer = *mut c_void;
/// SQLSetPos's row number: 64 bits on 64-bit platforms, SQLUSMALLINT on 32-bit ones.
#[cfg(target_pointer_width = "64")]
pub type SetPosIRow = u64;
#[cfg(not(target_pointer_width = "64"))]
pub type SetPosIRow = USmallInt;

pub const SQL_SUCCESS: SqlReturn = 0;
pub const SQL_SUCCESS_WITH_INFO: SqlReturn = 1;
pub const SQL_STILL_EXECUTING: SqlReturn = 2;
pub const SQL_NEED_DATA: SqlReturn = 99;
pub const SQL_NO_DATA: SqlReturn = 100;
pub const SQL_ERROR: SqlReturn = -1;
pub const SQL_INVALID_HANDLE: SqlReturn = -2;

pub const SQL_HANDLE_ENV: SmallInt = 1;
pub const SQL_HANDLE_DBC: SmallInt = 2;
pub const SQL_HANDLE_STMT: SmallInt = 3;
pub const SQL_HANDLE_DESC: SmallInt = 4;

// lengths and indicators
pub const SQL_NTS: Len = -3;
pub const SQL_NULL_DATA: Len = -1;
pub const SQL_DATA_AT_EXEC: Len = -2;
pub const SQL_NO_TOTAL: Len = -4;
pub const SQL_DEFAULT_PARAM: Len = -5;
pub const SQL_IGNORE: Len = -6;
pub const SQL_LEN_DATA_AT_EXEC_OFFSET: Len = -100;
pub const SQL_IS_POINTER: Integer = -4;
pub const SQL_IS_UINTEGER: Integer = -5;
pub const SQL_IS_INTEGER: Integer = -6;
pub const SQL_IS_USMALLINT: Integer = -7;
pub const SQL_IS_SMALLINT: Integer = -8;

// environment attributes
pub const SQL_ATTR_ODBC_VERSION: Integer = 200;
pub const SQL_ATTR_CONNECTION_POOLING: Integer = 201;
pub const SQL_ATTR_CP_MATCH: Integer = 202;
pub const SQL_ATTR_OUTPUT_NTS: Integer = 10001;
pub const SQL_OV_ODBC2: Integer = 2;
pub const SQL_OV_ODBC3: Integer = 3;
pub const SQL_OV_ODBC3_80: Integer = 380;

// connection attributes
pub const SQL_ATTR_ACCESS_MODE: Integer = 101;
pub const SQL_ATTR_AUTOCOMMIT: Integer = 102;
pub const SQL_ATTR_LOGIN_TIMEOUT: Integer = 103;
pub const SQL_ATTR_TRACE: Integer = 104;
pub const SQL_ATTR_TRACEFILE: Integer = 105;
pub const SQL_ATTR_TRANSLATE_LIB: Integer = 106;
pub const SQL_ATTR_TRANSLATE_OPTION: Integer = 107;
pub const SQL_ATTR_TXN_ISOLATION: Integer = 108;
pub const SQL_ATTR_CURRENT_CATALOG: Integer = 109;
pub const SQL_ATTR_ODBC_CURSORS: Integer = 110;
pub const SQL_ATTR_QUIET_MODE: Integer = 111;
pub const SQL_ATTR_PACKET_SIZE: Integer = 112;
pub const SQL_ATTR_CONNECTION_TIMEOUT: Integer = 113;
pub const SQL_ATTR_DISCONNECT_BEHAVIOR: Integer = 114;
pub const SQL_ATTR_ANSI_APP: Integer = 115;
pub const SQL_ATTR_RESET_CONNECTION: Integer = 116;
pub const SQL_ATTR_ASYNC_DBC_FUNCTIONS_ENABLE: Integer = 117;
pub const SQL_ATTR_CONNECTION_DEAD: Integer = 1209;
pub const SQL_ATTR_AUTO_IPD: Integer = 10001;
pub const SQL_MODE_READ_WRITE: usize = 0;
pub const SQL_AUTOCOMMIT_ON: usize = 1;
pub const SQL_CD_FALSE: usize = 0;
pub const SQL_TXN_SERIALIZABLE: usize = 8;

// statement attributes
pub const SQL_ATTR_QUERY_TIMEOUT: Integer = 0;
pub const SQL_ATTR_MAX_ROWS: Integer = 1;
pub const SQL_ATTR_NOSCAN: Integer = 2;
pub const SQL_ATTR_MAX_LENGTH: Integer = 3;
pub const SQL_ATTR_ASYNC_ENABLE: Integer = 4;
pub const SQL_ATTR_ROW_BIND_TYPE: Integer = 5;
pub const SQL_ATTR_CURSOR_TYPE: Integer = 6;
pub const SQL_ATTR_CONCURRENCY: Integer = 7;
pub const SQL_ATTR_KEYSET_SIZE: Integer = 8;
pub const SQL_ROWSET_SIZE: Integer = 9;
pub const SQL_ATTR_SIMULATE_CURSOR: Integer = 10;
pub const SQL_ATTR_RETRIEVE_DATA: Integer = 11;
pub const SQL_ATTR_USE_BOOKMARKS: Integer = 12;
pub const SQL_ATTR_ROW_NUMBER: Integer = 14;
pub const SQL_ATTR_ENABLE_AUTO_IPD: Integer = 15;
pub const SQL_ATTR_FETCH_BOOKMARK_PTR: Integer = 16;
pub const SQL_UB_VARIABLE: usize = 2;
pub const SQL_ATTR_PARAM_BIND_OFFSET_PTR: Integer = 17;
pub const SQL_ATTR_PARAM_BIND_TYPE: Integer = 18;
pub const SQL_ATTR_PARAM_OPERATION_PTR: Integer = 19;
pub const SQL_ATTR_PARAM_STATUS_PTR: Integer = 20;
pub const SQL_ATTR_PARAMS_PROCESSED_PTR: Integer = 21;
pub const SQL_ATTR_PARAMSET_SIZE: Integer = 22;
pub const SQL_ATTR_ROW_BIND_OFFSET_PTR: Integer = 23;
pub const SQL_ATTR_ROW_OPERATION_PTR: Integer = 24;
pub const SQL_ATTR_ROW_STATUS_PTR: Integer = 25;
pub const SQL_ATTR_ROWS_FETCHED_PTR: Integer = 26;
pub const SQL_ATTR_ROW_ARRAY_SIZE: Integer = 27;
pub const SQL_ATTR_APP_ROW_DESC: Integer = 10010;
pub const SQL_ATTR_APP_PARAM_DESC: Integer = 10011;
pub const SQL_ATTR_IMP_ROW_DESC: Integer = 10012;
pub const SQL_ATTR_IMP_PARAM_DESC: Integer = 10013;
pub const SQL_ATTR_METADATA_ID: Integer = 10014;
pub const SQL_ATTR_CURSOR_SCROLLABLE: Integer = -1;
pub const SQL_ATTR_CURSOR_SENSITIVITY: Integer = -2;
pub const SQL_CURSOR_FORWARD_ONLY: usize = 0;
pub const SQL_CURSOR_STATIC: usize = 3;
pub const SQL_CONCUR_READ_ONLY: usize = 1;
pub const SQL_BIND_BY_COLUMN: usize = 0;

// descriptor fields
pub const SQL_DESC_CONCISE_TYPE: SmallInt = 2;
pub const SQL_DESC_DISPLAY_SIZE: SmallInt = 6;
pub const SQL_DESC_UNSIGNED: SmallInt = 8;
pub const SQL_DESC_FIXED_PREC_SCALE: SmallInt = 9;
pub const SQL_DESC_UPDATABLE: SmallInt = 10;
pub const SQL_DESC_AUTO_UNIQUE_VALUE: SmallInt = 11;
pub const SQL_DESC_CASE_SENSITIVE: SmallInt = 12;
pub const SQL_DESC_SEARCHABLE: SmallInt = 13;
pub const SQL_DESC_TYPE_NAME: SmallInt = 14;
pub const SQL_DESC_TABLE_NAME: SmallInt = 15;
pub const SQL_DESC_SCHEMA_NAME: SmallInt = 16;
pub const SQL_DESC_CATALOG_NAME: SmallInt = 17;
pub const SQL_DESC_LABEL: SmallInt = 18;
pub const SQL_DESC_ARRAY_SIZE: SmallInt = 20;
pub const SQL_DESC_ARRAY_STATUS_PTR: SmallInt = 21;
pub const SQL_DESC_BASE_COLUMN_NAME: SmallInt = 22;
pub const SQL_DESC_BASE_TABLE_NAME: SmallInt = 23;
pub const SQL_DESC_BIND_OFFSET_PTR: SmallInt = 24;
pub const SQL_DESC_BIND_TYPE: SmallInt = 25;
pub const SQL_DESC_LITERAL_PREFIX: SmallInt = 27;
pub const SQL_DESC_LITERAL_SUFFIX: SmallInt = 28;
pub const SQL_DESC_LOCAL_TYPE_NAME: SmallInt = 29;
pub const SQL_DESC_NUM_PREC_RADIX: SmallInt = 32;
pub const SQL_DESC_PARAMETER_TYPE: SmallInt = 33;
pub const SQL_DESC_ROWS_PROCESSED_PTR: SmallInt = 34;
pub const SQL_DESC_ROWVER: SmallInt = 35;
pub const SQL_DESC_COUNT: SmallInt = 1001;
pub const SQL_DESC_TYPE: SmallInt = 1002;
pub const SQL_DESC_LENGTH: SmallInt = 1003;
pub const SQL_DESC_OCTET_LENGTH_PTR: SmallInt = 1004;
pub const SQL_DESC_PRECISION: SmallInt = 1005;
pub const SQL_DESC_SCALE: SmallInt = 1006;
pub const SQL_DESC_DATETIME_INTERVAL_CODE: SmallInt = 1007;
pub const SQL_DESC_NULLABLE: SmallInt = 1008;
pub const SQL_DESC_INDICATOR_PTR: SmallInt = 1009;
pub const SQL_DESC_DATA_PTR: SmallInt = 1010;
pub const SQL_DESC_NAME: SmallInt = 1011;
pub const SQL_DESC_UNNAMED: SmallInt = 1012;
pub const SQL_DESC_OCTET_LENGTH: SmallInt = 1013;
pub const SQL_DESC_ALLOC_TYPE: SmallInt = 1099;
// ODBC 2 SQLColAttributes fields that differ from the descriptor fields
pub const SQL_COLUMN_COUNT: SmallInt = 0;
pub const SQL_COLUMN_NAME: SmallInt = 1;
pub const SQL_COLUMN_LENGTH: SmallInt = 3;
pub const SQL_COLUMN_PRECISION: SmallInt = 4;
pub const SQL_COLUMN_SCALE: SmallInt = 5;
pub const SQL_COLUMN_NULLABLE: SmallInt = 7;
pub const SQL_DESC_ALLOC_AUTO: SmallInt = 1;
pub const SQL_DESC_ALLOC_USER: SmallInt = 2;
pub const SQL_NAMED: SmallInt = 0;
pub const SQL_UNNAMED: SmallInt = 1;

// SQL data types
pub const SQL_UNKNOWN_TYPE: SmallInt = 0;
pub const SQL_CHAR: SmallInt = 1;
pub const SQL_NUMERIC: SmallInt = 2;
pub const SQL_DECIMAL: SmallInt = 3;
pub const SQL_INTEGER: SmallInt = 4;
pub const SQL_SMALLINT: SmallInt = 5;
pub const SQL_FLOAT: SmallInt = 6;
pub const SQL_REAL: SmallInt = 7;
pub const SQL_DOUBLE: SmallInt = 8;
pub const SQL_DATETIME: SmallInt = 9;
pub const SQL_DATE: SmallInt = 9;
pub const SQL_TIME: SmallInt = 10;
pub const SQL_TIMESTAMP: SmallInt = 11;
pub const SQL_VARCHAR: SmallInt = 12;
pub const SQL_TYPE_DATE: SmallInt = 91;
pub const SQL_TYPE_TIME: SmallInt = 92;
pub const SQL_TYPE_TIMESTAMP: SmallInt = 93;
pub const SQL_LONGVARCHAR: SmallInt = -1;
pub const SQL_BINARY: SmallInt = -2;
pub const SQL_VARBINARY: SmallInt = -3;
pub const SQL_LONGVARBINARY: SmallInt = -4;
pub const SQL_BIGINT: SmallInt = -5;
pub const SQL_TINYINT: SmallInt = -6;
pub const SQL_BIT: SmallInt = -7;
pub const SQL_WCHAR: SmallInt = -8;
pub const SQL_WVARCHAR: SmallInt = -9;
pub const SQL_WLONGVARCHAR: SmallInt = -10;
pub const SQL_GUID: SmallInt = -11;
pub const SQL_ALL_TYPES: SmallInt = 0;
pub const SQL_CODE_DATE: SmallInt = 1;
pub const SQL_CODE_TIME: SmallInt = 2;
pub const SQL_CODE_TIMESTAMP: SmallInt = 3;

// C data types
pub const SQL_C_CHAR: SmallInt = 1;
pub const SQL_C_NUMERIC: SmallInt = 2;
pub const SQL_C_LONG: SmallInt = 4;
pub const SQL_C_SHORT: SmallInt = 5;
pub const SQL_C_FLOAT: SmallInt = 7;
pub const SQL_C_DOUBLE: SmallInt = 8;
pub const SQL_C_DATE: SmallInt = 9;
pub const SQL_C_TIME: SmallInt = 10;
pub const SQL_C_TIMESTAMP: SmallInt = 11;
pub const SQL_C_TYPE_DATE: SmallInt = 91;
pub const SQL_C_TYPE_TIME: SmallInt = 92;
pub const SQL_C_TYPE_TIMESTAMP: SmallInt = 93;
pub const SQL_C_DEFAULT: SmallInt = 99;
pub const SQL_C_BINARY: SmallInt = -2;
pub const SQL_C_BIT: SmallInt = -7;
pub const SQL_C_TINYINT: SmallInt = -6;
pub const SQL_C_WCHAR: SmallInt = -8;
pub const SQL_C_GUID: SmallInt = -11;
pub const SQL_C_SSHORT: SmallInt = -15;
pub const SQL_C_SLONG: SmallInt = -16;
pub const SQL_C_USHORT: SmallInt = -17;
pub const SQL_C_ULONG: SmallInt = -18;
pub const SQL_C_SBIGINT: SmallInt = -25;
pub const SQL_C_STINYINT: SmallInt = -26;
pub const SQL_C_UBIGINT: SmallInt = -27;
pub const SQL_C_UTINYINT: SmallInt = -28;
pub const SQL_ARD_TYPE: SmallInt = -99;
pub const SQL_APD_TYPE: SmallInt = -100;

// nullability, searchability, updatability
pub const SQL_NO_NULLS: SmallInt = 0;
pub const SQL_NULLABLE: SmallInt = 1;
pub const SQL_NULLABLE_UNKNOWN: SmallInt = 2;
pub const SQL_PRED_NONE: SmallInt = 0;
pub const SQL_PRED_CHAR: SmallInt = 1;
pub const SQL_PRED_BASIC: SmallInt = 2;
pub const SQL_SEARCHABLE: SmallInt = 3;
pub const SQL_ATTR_READONLY: SmallInt = 0;
pub const SQL_ATTR_WRITE: SmallInt = 1;

// SQLFreeStmt options
pub const SQL_CLOSE: USmallInt = 0;
pub const SQL_DROP: USmallInt = 1;
pub const SQL_UNBIND: USmallInt = 2;
pub const SQL_RESET_PARAMS: USmallInt = 3;

// fetch orientations and row states
pub const SQL_FETCH_NEXT: SmallInt = 1;
pub const SQL_FETCH_FIRST: SmallInt = 2;
pub const SQL_FETCH_LAST: SmallInt = 3;
pub const SQL_FETCH_PRIOR: SmallInt = 4;
pub const SQL_FETCH_ABSOLUTE: SmallInt = 5;
pub const SQL_FETCH_RELATIVE: SmallInt = 6;
pub const SQL_FETCH_BOOKMARK: SmallInt = 8;
pub const SQL_ROW_SUCCESS: USmallInt = 0;
pub const SQL_ROW_NOROW: USmallInt = 3;
pub const SQL_ROW_ERROR: USmallInt = 5;
pub const SQL_ROW_SUCCESS_WITH_INFO: USmallInt = 6;

// SQLSetPos operations and lock types
pub const SQL_POSITION: USmallInt = 0;
pub const SQL_REFRESH: USmallInt = 1;
pub const SQL_UPDATE: USmallInt = 2;
pub const SQL_DELETE: USmallInt = 3;
pub const SQL_ADD: USmallInt = 4;
pub const SQL_LOCK_NO_CHANGE: USmallInt = 0;

// parameters
pub const SQL_PARAM_TYPE_UNKNOWN: SmallInt = 0;
pub const SQL_PARAM_INPUT: SmallInt = 1;
pub const SQL_PARAM_INPUT_OUTPUT: SmallInt = 2;
pub const SQL_RESULT_COL: SmallInt = 3;
pub const SQL_PARAM_OUTPUT: SmallInt = 4;
pub const SQL_PARAM_SUCCESS: USmallInt = 0;
pub const SQL_PARAM_ERROR: USmallInt = 5;
pub const SQL_PARAM_UNUSED: USmallInt = 7;
pub const SQL_PARAM_IGNORE: USmallInt = 1;

// SQLDriverConnect
pub const SQL_DRIVER_NOPROMPT: USmallInt = 0;
pub const SQL_DRIVER_COMPLETE: USmallInt = 1;
pub const SQL_DRIVER_PROMPT: USmallInt = 2;
pub const SQL_DRIVER_COMPLETE_REQUIRED: USmallInt = 3;

// SQLEndTran
pub const SQL_COMMIT: SmallInt = 0;
pub const SQL_ROLLBACK: SmallInt = 1;

// diagnostic fields
pub const SQL_DIAG_RETURNCODE: SmallInt = 1;
pub const SQL_DIAG_NUMBER: SmallInt = 2;
pub const SQL_DIAG_ROW_COUNT: SmallInt = 3;
pub const SQL_DIAG_SQLSTATE: SmallInt = 4;
pub const SQL_DIAG_NATIVE: SmallInt = 5;
pub const SQL_DIAG_MESSAGE_TEXT: SmallInt = 6;
pub const SQL_DIAG_DYNAMIC_FUNCTION: SmallInt = 7;
pub const SQL_DIAG_CLASS_ORIGIN: SmallInt = 8;
pub const SQL_DIAG_SUBCLASS_ORIGIN: SmallInt = 9;
pub const SQL_DIAG_CONNECTION_NAME: SmallInt = 10;
pub const SQL_DIAG_SERVER_NAME: SmallInt = 11;
pub const SQL_DIAG_DYNAMIC_FUNCTION_CODE: SmallInt = 12;
pub const SQL_DIAG_CURSOR_ROW_COUNT: SmallInt = -1249;
pub const SQL_DIAG_ROW_NUMBER: SmallInt = -1248;
pub const SQL_DIAG_COLUMN_NUMBER: SmallInt = -1247;

// catalog functions
pub const SQL_BEST_ROWID: USmallInt = 1;
pub const SQL_ROWVER: USmallInt = 2;
pub const SQL_SCOPE_SESSION: SmallInt = 2;
pub const SQL_PC_NOT_PSEUDO: SmallInt = 1;
pub const SQL_INDEX_UNIQUE: USmallInt = 0;
pub const SQL_INDEX_OTHER: SmallInt = 3;
pub const SQL_NO_ACTION: SmallInt = 3;
pub const SQL_NOT_DEFERRABLE: SmallInt = 7;
pub const SQL_PT_PROCEDURE: SmallInt = 1;
pub const SQL_PT_FUNCTION: SmallInt = 2;

// SQLGetFunctions
pub const SQL_API_ALL_FUNCTIONS: USmallInt = 0;
pub const SQL_API_ODBC3_ALL_FUNCTIONS: USmallInt = 999;
pub const SQL_API_ODBC3_ALL_FUNCTIONS_SIZE: usize = 250;

/// `SQL_DATE_STRUCT`
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DateStruct {
    pub year: i16,
    pub month: u16,
    pub day: u16,
}

/// `SQL_TIME_STRUCT`
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TimeStruct {
    pub hour: u16,
    pub minute: u16,
    pub second: u16,
}

/// `SQL_TIMESTAMP_STRUCT`; `fraction` in nanoseconds.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TimestampStruct {
    pub year: i16,
    pub month: u16,
    pub day: u16,
    pub hour: u16,
    pub minute: u16,
    pub second: u16,
    pub fraction: u32,
}

/// `SQL_NUMERIC_STRUCT`: a little-endian 128-bit magnitude, a sign (1 positive, 0 negative).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct NumericStruct {
    pub precision: u8,
    pub scale: i8,
    pub sign: u8,
    pub val: [u8; 16],
}

/// `SQLGUID`
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Guid {
    pub d1: u32,
    pub d2: u16,
    pub d3: u16,
    pub d4: [u8; 8],
}

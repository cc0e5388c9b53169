//! SQLGetInfo answers and the SQLGetFunctions list: what this driver and SQL dialect really do.

use crate::sys::USmallInt;

/// An SQLGetInfo value, typed as the reference gives each info type.
#[derive(Clone, Debug, PartialEq)]
pub enum Info {
    Text(String),
    U16(u16),
    U32(u32),
}

use Info::{Text, U16, U32};

fn t(s: &str) -> Option<Info> {
    Some(Text(s.to_string()))
}

/// The answer for an info type, given the connection's DSN and user; `None` when the type is
/// not one the reference defines for drivers.
pub fn get_info(info_type: USmallInt, dsn: &str, server: &str) -> Option<Info> {
    const STR_FNS: u32 = 0x1
        | 0x2
        | 0x4
        | 0x8
        | 0x10
        | 0x20
        | 0x40
        | 0x80
        | 0x100
        | 0x200
        | 0x400
        | 0x800
        | 0x1000
        | 0x2000
        | 0x4000
        | 0x40000
        | 0x80000
        | 0x100000
        | 0x200000
        | 0x400000;
    // SQL_CA1_NEXT, _LOCK_NO_CHANGE, _POS_POSITION; static cursors add _ABSOLUTE, _RELATIVE,
    // _BOOKMARK and _POS_REFRESH
    const CA1_FORWARD_ONLY: u32 = 0x1 | 0x40 | 0x200;
    const CA1_STATIC: u32 = CA1_FORWARD_ONLY | 0x2 | 0x4 | 0x8 | 0x1000;
    Some(match info_type {
        0 => U16(0),                               // SQL_MAX_DRIVER_CONNECTIONS: no limit
        1 => U16(0),                               // SQL_MAX_CONCURRENT_ACTIVITIES
        2 => return t(dsn),                        // SQL_DATA_SOURCE_NAME
        6 => return t(driver_file()),              // SQL_DRIVER_NAME
        7 => return t(&driver_version()),          // SQL_DRIVER_VER
        8 => U32(0xBF), // SQL_FETCH_DIRECTION: next, first, last, prior, absolute, relative, bookmark
        9 => U16(1),    // SQL_ODBC_API_CONFORMANCE: level 1
        11 => return t("N"), // SQL_ROW_UPDATES
        12 => U16(1),   // SQL_ODBC_SAG_CLI_CONFORMANCE
        13 => return t(server), // SQL_SERVER_NAME
        14 => return t("\\"), // SQL_SEARCH_PATTERN_ESCAPE
        15 => U16(1),   // SQL_ODBC_SQL_CONFORMANCE: core
        16 => return t(pipedrive_engine::CATALOG), // SQL_DATABASE_NAME
        17 => return t("Pipedrive"), // SQL_DBMS_NAME
        18 => return t("02.00.0000"), // SQL_DBMS_VER: API v2
        19 => return t("Y"), // SQL_ACCESSIBLE_TABLES
        20 => return t("Y"), // SQL_ACCESSIBLE_PROCEDURES
        21 => return t("Y"), // SQL_PROCEDURES
        22 => U16(0),   // SQL_CONCAT_NULL_BEHAVIOR: NULL
        23 | 24 => U16(2), // SQL_CURSOR_COMMIT/ROLLBACK_BEHAVIOR: preserve
        25 => return t("Y"), // SQL_DATA_SOURCE_READ_ONLY
        26 => U32(0),   // SQL_DEFAULT_TXN_ISOLATION: none
        27 => return t("Y"), // SQL_EXPRESSIONS_IN_ORDERBY
        28 => U16(4),   // SQL_IDENTIFIER_CASE: mixed, insensitive
        29 => return t("\""), // SQL_IDENTIFIER_QUOTE_CHAR
        30..=35 => U16(128), // SQL_MAX_*_NAME_LEN
        36 => return t("Y"), // SQL_MULT_RESULT_SETS (parameter arrays)
        37 => return t("Y"), // SQL_MULTIPLE_ACTIVE_TXN
        38 => return t("Y"), // SQL_OUTER_JOINS
        39 => return t("schema"), // SQL_SCHEMA_TERM
        40 => return t("procedure"), // SQL_PROCEDURE_TERM
        41 => return t("."), // SQL_CATALOG_NAME_SEPARATOR
        42 => return t("catalog"), // SQL_CATALOG_TERM
        43 => U32(1),   // SQL_SCROLL_CONCURRENCY: read only
        44 => U32(0x11), // SQL_SCROLL_OPTIONS: forward only, static
        45 => return t("table"), // SQL_TABLE_TERM
        46 => U16(0),   // SQL_TXN_CAPABLE: none
        47 => return t(""), // SQL_USER_NAME
        48 => U32(0x3), // SQL_CONVERT_FUNCTIONS: CONVERT, CAST
        49 => U32(0xFF_FFFF), // SQL_NUMERIC_FUNCTIONS
        50 => U32(STR_FNS), // SQL_STRING_FUNCTIONS
        51 => U32(0x7), // SQL_SYSTEM_FUNCTIONS
        52 => U32(0x1F_FFFF), // SQL_TIMEDATE_FUNCTIONS
        53..=71 | 122..=126 | 173 => U32(convert_to(info_type)), // SQL_CONVERT_<type>
        72 => U32(0),   // SQL_TXN_ISOLATION_OPTION
        73 => return t("N"), // SQL_INTEGRITY
        74 => U16(2),   // SQL_CORRELATION_NAME: any
        75 => U16(0),   // SQL_NON_NULLABLE_COLUMNS
        77 => return t("03.80"), // SQL_DRIVER_ODBC_VER
        78 => U32(0x1), // SQL_LOCK_TYPES: no change
        79 => U32(0x1 | 0x2), // SQL_POS_OPERATIONS: position, refresh
        80 => U32(0),   // SQL_POSITIONED_STATEMENTS
        81 => U32(0x1 | 0x2 | 0x4 | 0x8), // SQL_GETDATA_EXTENSIONS: any column/order, block, bound
        82 => U32(0x40), // SQL_BOOKMARK_PERSISTENCE: valid while scrolling
        83 => U32(0),   // SQL_STATIC_SENSITIVITY
        84 => U16(0),   // SQL_FILE_USAGE
        85 => U16(0),   // SQL_NULL_COLLATION: high
        86 => U32(0),   // SQL_ALTER_TABLE
        87 => return t("Y"), // SQL_COLUMN_ALIAS
        88 => U16(3),   // SQL_GROUP_BY: no relation
        89 => return t("EXPLAIN,LIMIT,OFFSET,TOP,QUALIFY,ILIKE,REGEXP"), // SQL_KEYWORDS
        90 => return t("N"), // SQL_ORDER_BY_COLUMNS_IN_SELECT
        91 => U32(0x1), // SQL_SCHEMA_USAGE: DML
        92 => U32(0x1), // SQL_CATALOG_USAGE: DML
        93 => U16(4),   // SQL_QUOTED_IDENTIFIER_CASE
        94 => return t(""), // SQL_SPECIAL_CHARACTERS
        95 => U32(0x1F), // SQL_SUBQUERIES
        96 => U32(0x3), // SQL_UNION
        97..=101 => U16(0), // SQL_MAX_COLUMNS_IN_*
        102 => U32(0),  // SQL_MAX_INDEX_SIZE
        103 => return t("Y"), // SQL_MAX_ROW_SIZE_INCLUDES_LONG
        104 | 105 => U32(0), // SQL_MAX_ROW_SIZE, SQL_MAX_STATEMENT_LEN
        106 | 107 => U16(0), // SQL_MAX_TABLES_IN_SELECT, SQL_MAX_USER_NAME_LEN
        108 => U32(0),  // SQL_MAX_CHAR_LITERAL_LEN
        109 | 110 => U32(0x3E), // TIMESTAMPADD/DIFF intervals: SECOND..WEEK
        111 => return t("N"), // SQL_NEED_LONG_DATA_LEN
        112 => U32(0),  // SQL_MAX_BINARY_LITERAL_LEN
        113 => return t("Y"), // SQL_LIKE_ESCAPE_CLAUSE
        114 => U16(1),  // SQL_CATALOG_LOCATION: start
        115 => U32(0x7F), // SQL_OJ_CAPABILITIES
        116 => U16(0),  // SQL_ACTIVE_ENVIRONMENTS
        117 => U32(0),  // SQL_ALTER_DOMAIN
        // SQL_SQL_CONFORMANCE: full SQL-92 queries (derived tables, joins, set operations, CASE,
        // CAST, subqueries anywhere); Power BI folds derived tables only when it reads this
        118 => U32(8),
        119 => U32(0x7),              // SQL_DATETIME_LITERALS: date, time, timestamp
        120 | 121 => U32(0),          // SQL_BATCH_ROW_COUNT, SQL_BATCH_SUPPORT
        127..=134 => U32(0),          // SQL_CREATE_*
        136..=143 => U32(0),          // SQL_DROP_*
        144 | 145 => U32(0),          // dynamic cursors
        146 => U32(CA1_FORWARD_ONLY), // SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1
        147 => U32(0x1 | 0x80),       // ..._ATTRIBUTES2: read-only, max rows for SELECT
        // static: also no holes of deleted rows (the cursor deletes none and sees no one
        // else's) and an exact SQL_DIAG_CURSOR_ROW_COUNT
        168 => U32(0x1 | 0x20 | 0x80 | 0x1000),
        148 | 149 | 150 | 151 => U32(0), // index keywords, info schema views, keyset
        152 => U32(2),                   // SQL_ODBC_INTERFACE_CONFORMANCE: level 1
        153 => U32(2),                   // SQL_PARAM_ARRAY_ROW_COUNTS: no batch
        154 => U32(1),                   // SQL_PARAM_ARRAY_SELECTS: a result per set
        155 => U32(0x7),                 // SQL_SQL92_DATETIME_FUNCTIONS
        156 | 157 | 158 => U32(0),
        159 => U32(0x3F),   // SQL_SQL92_NUMERIC_VALUE_FUNCTIONS
        160 => U32(0x7E07), // SQL_SQL92_PREDICATES: EXISTS, IN, IS [NOT] NULL, LIKE, BETWEEN, ...
        161 => U32(0x3FE),  // SQL_SQL92_RELATIONAL_JOIN_OPERATORS
        162 | 163 => U32(0),
        164 => U32(0xEE),                // SQL_SQL92_STRING_FUNCTIONS
        165 => U32(0xF),                 // SQL_SQL92_VALUE_EXPRESSIONS
        166 => U32(0),                   // SQL_STANDARD_CLI_CONFORMANCE
        167 => U32(CA1_STATIC),          // SQL_STATIC_CURSOR_ATTRIBUTES1
        169 => U32(0x7F),                // SQL_AGGREGATE_FUNCTIONS
        170 => U32(0),                   // SQL_DDL_INDEX
        10000 => return t("1995"),       // SQL_XOPEN_CLI_YEAR
        180 => U32(0),                   // SQL_RETURN_ESCAPE_CLAUSE: none
        10001 => U32(1),                 // SQL_CURSOR_SENSITIVITY: insensitive
        10002 => return t("Y"),          // SQL_DESCRIBE_PARAMETER
        10003 => return t("Y"),          // SQL_CATALOG_NAME
        10004 => return t(""),           // SQL_COLLATION_SEQ
        10005 => U16(128),               // SQL_MAX_IDENTIFIER_LEN
        10021 => U32(0),                 // SQL_ASYNC_MODE: none
        10022 => U32(0),                 // SQL_MAX_ASYNC_CONCURRENT_STATEMENTS
        10023 | 10024 | 10025 => U32(0), // async connection functions, pooling, notification
        _ => return None,
    })
}

/// SQL_CONVERT_<type>: the types CONVERT and CAST turn a value of that type into (SQL_CVT_*
/// bits). Numbers, text, dates and times convert as the engine casts them; binary, interval
/// and GUID values are not among the column types.
fn convert_to(info_type: USmallInt) -> u32 {
    const NUMBERS: u32 = 0x2 | 0x4 | 0x8 | 0x10 | 0x20 | 0x40 | 0x80 | 0x1000 | 0x2000 | 0x4000;
    const TEXT: u32 = 0x1 | 0x100 | 0x200 | 0x20_0000 | 0x40_0000 | 0x80_0000;
    const DATE: u32 = 0x8000;
    const TIME: u32 = 0x1_0000;
    const TIMESTAMP: u32 = 0x2_0000;
    match info_type {
        // BIGINT, BIT, DECIMAL, DOUBLE, FLOAT, INTEGER, NUMERIC, REAL, SMALLINT, TINYINT
        53 | 55 | 58 | 59 | 60 | 61 | 63 | 64 | 65 | 68 => NUMBERS | TEXT,
        // CHAR, LONGVARCHAR, VARCHAR, WCHAR, WLONGVARCHAR, WVARCHAR
        56 | 62 | 70 | 122 | 125 | 126 => NUMBERS | TEXT | DATE | TIME | TIMESTAMP,
        57 => TEXT | DATE | TIMESTAMP,
        66 => TEXT | TIME,
        67 => TEXT | DATE | TIME | TIMESTAMP,
        _ => 0,
    }
}

fn driver_file() -> &'static str {
    "libpipedrive_odbc.so"
}

/// `MM.mm.pppp` from the crate version.
fn driver_version() -> String {
    let mut parts = env!("CARGO_PKG_VERSION")
        .split('.')
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let (a, b, c) = (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    );
    format!("{a:02}.{b:02}.{c:04}")
}

/// The functions this driver exports (SQLGetFunctions identifiers).
pub const FUNCTIONS: &[USmallInt] = &[
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, // core
    40, 41, 43, 44, 45, 47, 48, 49, 52, 53, 54, 55, 56, 58, 59, 60, 61, 62, 63, 65, 66, 67, 68, 70,
    72, 1001, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1014, 1016, 1017, 1018,
    1019, 1020, 1021,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_carry_their_types() {
        assert_eq!(get_info(17, "x", ""), Some(Text("Pipedrive".into())));
        assert_eq!(get_info(29, "x", ""), Some(Text("\"".into())));
        assert_eq!(get_info(46, "x", ""), Some(U16(0)));
        assert_eq!(get_info(81, "x", ""), Some(U32(15)));
        assert_eq!(get_info(7, "x", ""), Some(Text("00.01.0000".into())));
        assert_eq!(get_info(9999, "x", ""), None);
    }
}

//! How Arrow types appear as SQL types: type code, sizes, names, and the C type a column
//! converts to by default. One table answers SQLDescribeCol, SQLColAttribute, SQLColumns and
//! SQLGetTypeInfo alike.

use crate::sys::*;
use pipedrive_engine::arrow::datatypes::{DataType, Field};
use pipedrive_engine::MAX_LENGTH;

/// Text columns with no declared size (no limit the API states, computed values) report this
/// many characters, as long text.
pub const UNKNOWN_TEXT_LENGTH: usize = 65_535;
/// The most bytes one character takes: 4 in UTF-8, a surrogate pair in UTF-16, one UTF-32
/// unit; octet lengths count this many per character, whatever encoding the application uses.
const MAX_CHAR_BYTES: usize = 4;
/// Text columns longer than this are long text (SQL_WLONGVARCHAR).
const LONG_TEXT_FROM: usize = 4_000;

#[derive(Clone, Debug, PartialEq)]
pub struct SqlTypeInfo {
    pub sql_type: SmallInt,
    pub type_name: &'static str,
    /// Column size: characters for text, digits for numbers, characters of the literal for
    /// dates and times.
    pub column_size: usize,
    pub decimal_digits: SmallInt,
    /// Bytes of the default C representation.
    pub octet_length: usize,
    pub display_size: usize,
    pub radix: SmallInt,
    pub unsigned: bool,
    pub case_sensitive: bool,
    pub searchable: SmallInt,
    pub literal_prefix: &'static str,
    pub literal_suffix: &'static str,
}

impl SqlTypeInfo {
    fn new(sql_type: SmallInt, type_name: &'static str, column_size: usize) -> SqlTypeInfo {
        SqlTypeInfo {
            sql_type,
            type_name,
            column_size,
            decimal_digits: 0,
            octet_length: column_size,
            display_size: column_size,
            radix: 0,
            unsigned: false,
            case_sensitive: false,
            searchable: SQL_PRED_BASIC,
            literal_prefix: "",
            literal_suffix: "",
        }
    }
    fn number(sql_type: SmallInt, name: &'static str, digits: usize, bytes: usize) -> SqlTypeInfo {
        SqlTypeInfo {
            radix: 10,
            octet_length: bytes,
            display_size: digits + 1,
            ..SqlTypeInfo::new(sql_type, name, digits)
        }
    }
    fn text(chars: usize) -> SqlTypeInfo {
        let (sql_type, name) = if chars > LONG_TEXT_FROM {
            (SQL_WLONGVARCHAR, "NTEXT")
        } else {
            (SQL_WVARCHAR, "NVARCHAR")
        };
        SqlTypeInfo {
            octet_length: chars * MAX_CHAR_BYTES,
            case_sensitive: true,
            searchable: SQL_SEARCHABLE,
            literal_prefix: "'",
            literal_suffix: "'",
            ..SqlTypeInfo::new(sql_type, name, chars)
        }
    }
    fn datetime(
        sql_type: SmallInt,
        name: &'static str,
        size: usize,
        digits: SmallInt,
        bytes: usize,
    ) -> SqlTypeInfo {
        SqlTypeInfo {
            decimal_digits: digits,
            octet_length: bytes,
            literal_prefix: "'",
            literal_suffix: "'",
            ..SqlTypeInfo::new(sql_type, name, size)
        }
    }

    /// The SQL description of a result or table column.
    pub fn of_field(field: &Field) -> SqlTypeInfo {
        let declared = field
            .metadata()
            .get(MAX_LENGTH)
            .and_then(|n| n.parse::<usize>().ok());
        SqlTypeInfo::of(field.data_type(), declared)
    }

    pub fn of(ty: &DataType, text_length: Option<usize>) -> SqlTypeInfo {
        use DataType as D;
        match ty {
            D::Int64 => SqlTypeInfo::number(SQL_BIGINT, "BIGINT", 19, 8),
            D::UInt64 => SqlTypeInfo {
                unsigned: true,
                ..SqlTypeInfo::number(SQL_BIGINT, "BIGINT UNSIGNED", 20, 8)
            },
            D::Int32 => SqlTypeInfo::number(SQL_INTEGER, "INTEGER", 10, 4),
            D::UInt32 => SqlTypeInfo {
                unsigned: true,
                ..SqlTypeInfo::number(SQL_BIGINT, "INTEGER UNSIGNED", 10, 8)
            },
            D::Int16 => SqlTypeInfo::number(SQL_SMALLINT, "SMALLINT", 5, 2),
            D::UInt16 => SqlTypeInfo {
                unsigned: true,
                ..SqlTypeInfo::number(SQL_INTEGER, "SMALLINT UNSIGNED", 5, 4)
            },
            D::Int8 => SqlTypeInfo::number(SQL_TINYINT, "TINYINT", 3, 1),
            D::UInt8 => SqlTypeInfo {
                unsigned: true,
                ..SqlTypeInfo::number(SQL_SMALLINT, "TINYINT UNSIGNED", 3, 2)
            },
            D::Float64 | D::Float16 => SqlTypeInfo {
                display_size: 24,
                ..SqlTypeInfo::number(SQL_DOUBLE, "DOUBLE", 15, 8)
            },
            D::Float32 => SqlTypeInfo {
                display_size: 14,
                ..SqlTypeInfo::number(SQL_REAL, "REAL", 7, 4)
            },
            D::Decimal128(p, s) | D::Decimal256(p, s) => SqlTypeInfo {
                decimal_digits: *s as SmallInt,
                octet_length: *p as usize + 2,
                display_size: *p as usize + 2,
                ..SqlTypeInfo::number(SQL_NUMERIC, "DECIMAL", *p as usize, 0)
            },
            D::Boolean => SqlTypeInfo {
                display_size: 1,
                ..SqlTypeInfo::new(SQL_BIT, "BOOLEAN", 1)
            },
            D::Utf8 | D::LargeUtf8 | D::Utf8View => {
                SqlTypeInfo::text(text_length.unwrap_or(UNKNOWN_TEXT_LENGTH))
            }
            D::Date32 | D::Date64 => SqlTypeInfo::datetime(SQL_TYPE_DATE, "DATE", 10, 0, 6),
            D::Time32(_) | D::Time64(_) => SqlTypeInfo::datetime(SQL_TYPE_TIME, "TIME", 8, 0, 6),
            D::Timestamp(..) => SqlTypeInfo::datetime(SQL_TYPE_TIMESTAMP, "TIMESTAMP", 26, 6, 16),
            D::Binary | D::LargeBinary | D::BinaryView | D::FixedSizeBinary(_) => SqlTypeInfo {
                display_size: 2 * UNKNOWN_TEXT_LENGTH,
                searchable: SQL_PRED_BASIC,
                ..SqlTypeInfo::new(SQL_VARBINARY, "BYTEA", UNKNOWN_TEXT_LENGTH)
            },
            // anything else (intervals, lists, NULL) is shown as its text
            _ => SqlTypeInfo::text(text_length.unwrap_or(UNKNOWN_TEXT_LENGTH)),
        }
    }

    /// The C type SQL_C_DEFAULT means for this SQL type.
    pub fn default_c_type(&self) -> SmallInt {
        match self.sql_type {
            SQL_BIGINT if self.unsigned => SQL_C_UBIGINT,
            SQL_BIGINT => SQL_C_SBIGINT,
            SQL_INTEGER => SQL_C_SLONG,
            SQL_SMALLINT => SQL_C_SSHORT,
            SQL_TINYINT => SQL_C_STINYINT,
            SQL_DOUBLE => SQL_C_DOUBLE,
            SQL_REAL => SQL_C_FLOAT,
            SQL_NUMERIC => SQL_C_CHAR,
            SQL_BIT => SQL_C_BIT,
            SQL_TYPE_DATE => SQL_C_TYPE_DATE,
            SQL_TYPE_TIME => SQL_C_TYPE_TIME,
            SQL_TYPE_TIMESTAMP => SQL_C_TYPE_TIMESTAMP,
            SQL_VARBINARY => SQL_C_BINARY,
            _ => SQL_C_WCHAR,
        }
    }

    /// The ODBC 2 type codes for dates and times, for applications that asked for ODBC 2.
    pub fn sql_type_for(&self, odbc_version: Integer) -> SmallInt {
        if odbc_version != SQL_OV_ODBC2 {
            return self.sql_type;
        }
        match self.sql_type {
            SQL_TYPE_DATE => SQL_DATE,
            SQL_TYPE_TIME => SQL_TIME,
            SQL_TYPE_TIMESTAMP => SQL_TIMESTAMP,
            t => t,
        }
    }

    /// (SQL_DATA_TYPE, SQL_DATETIME_SUB): the verbose type and interval code.
    pub fn verbose(&self) -> (SmallInt, Option<SmallInt>) {
        let (ty, code) = verbose_type(self.sql_type);
        (ty, (code != 0).then_some(code))
    }
}

/// The types SQLGetTypeInfo lists, in its order (by type code, as the standard asks).
pub fn all_types() -> Vec<SqlTypeInfo> {
    use DataType as D;
    let mut types: Vec<SqlTypeInfo> = [
        D::Utf8,
        D::Int8,
        D::Int64,
        D::Binary,
        D::Utf8,
        D::Decimal128(38, 10),
        D::Int32,
        D::Int16,
        D::Float32,
        D::Float64,
        D::Date32,
        D::Time64(pipedrive_engine::arrow::datatypes::TimeUnit::Microsecond),
        D::Timestamp(
            pipedrive_engine::arrow::datatypes::TimeUnit::Microsecond,
            None,
        ),
        D::Boolean,
    ]
    .iter()
    .enumerate()
    .map(|(i, t)| SqlTypeInfo::of(t, (i == 0).then_some(UNKNOWN_TEXT_LENGTH).or(Some(255))))
    .collect();
    types.sort_by_key(|t| t.sql_type);
    types
}

/// (verbose type, datetime interval code) for a concise type.
pub fn verbose_type(concise: SmallInt) -> (SmallInt, SmallInt) {
    match concise {
        SQL_TYPE_DATE | SQL_DATE => (SQL_DATETIME, SQL_CODE_DATE),
        SQL_TYPE_TIME | SQL_TIME => (SQL_DATETIME, SQL_CODE_TIME),
        SQL_TYPE_TIMESTAMP | SQL_TIMESTAMP => (SQL_DATETIME, SQL_CODE_TIMESTAMP),
        t => (t, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_sizes_follow_the_declared_length() {
        let short = Field::new("t", DataType::Utf8, true).with_metadata(
            [(MAX_LENGTH.to_string(), "255".to_string())]
                .into_iter()
                .collect(),
        );
        let t = SqlTypeInfo::of_field(&short);
        assert_eq!((t.sql_type, t.column_size), (SQL_WVARCHAR, 255));
        let long = SqlTypeInfo::of(&DataType::Utf8, Some(65_535));
        assert_eq!(long.sql_type, SQL_WLONGVARCHAR);
        assert_eq!(
            SqlTypeInfo::of(&DataType::Int64, None).default_c_type(),
            SQL_C_SBIGINT
        );
        let ts = SqlTypeInfo::of(
            &DataType::Timestamp(
                pipedrive_engine::arrow::datatypes::TimeUnit::Microsecond,
                None,
            ),
            None,
        );
        assert_eq!((ts.column_size, ts.decimal_digits), (26, 6));
        assert_eq!(ts.sql_type_for(SQL_OV_ODBC2), SQL_TIMESTAMP);
        let kinds: Vec<SmallInt> = all_types().iter().map(|t| t.sql_type).collect();
        assert!(kinds.windows(2).all(|w| w[0] <= w[1]));
        assert!(kinds.contains(&SQL_WVARCHAR) && kinds.contains(&SQL_WLONGVARCHAR));
    }
}

//! Descriptors: the application's bindings (ARD for columns, APD for parameters) and the
//! implementation's descriptions (IRD for result columns, IPD for parameters), with the fields
//! SQLGetDescField / SQLSetDescField read and write.

use crate::diag::{Diag, OdbcError, OdbcResult};
use crate::registry::object;
use crate::sys::*;
use crate::types::{verbose_type, SqlTypeInfo};
use std::ptr::null_mut;
use std::sync::Mutex;

/// The most rows a rowset, or parameter sets an execution, can have: the driver allocates by
/// these numbers, so an application's mistaken size must not reach the allocator.
pub const MAX_ARRAY_SIZE: ULen = 1 << 20;

/// An array size above [`MAX_ARRAY_SIZE`] is lowered to it, with the standard's "option value
/// changed" warning (the application reads the size in effect back).
pub fn clamp_array_size(field: SmallInt, value: &mut FieldValue) -> Option<OdbcError> {
    match value {
        FieldValue::Int(v) if field == SQL_DESC_ARRAY_SIZE && *v > MAX_ARRAY_SIZE as isize => {
            *value = FieldValue::Int(MAX_ARRAY_SIZE as isize);
            Some(OdbcError::new(
                "01S02",
                format!("the array size was lowered to {MAX_ARRAY_SIZE}, the most there can be"),
            ))
        }
        _ => None,
    }
}

/// A descriptor handle.
pub struct Desc {
    pub diag: Diag,
    pub state: Mutex<Descriptor>,
    /// The connection of an application-allocated descriptor; null for a statement's own.
    pub conn: Handle,
}

object!(Desc, SQL_HANDLE_DESC);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DescKind {
    Ard,
    Apd,
    Ird,
    Ipd,
}

#[derive(Clone, Debug)]
pub struct DescRecord {
    pub concise_type: SmallInt,
    pub ty: SmallInt,
    pub datetime_code: SmallInt,
    pub octet_length: Len,
    pub length: ULen,
    pub precision: SmallInt,
    pub scale: SmallInt,
    pub data_ptr: Pointer,
    pub indicator_ptr: *mut Len,
    pub octet_length_ptr: *mut Len,
    pub nullable: SmallInt,
    pub parameter_type: SmallInt,
    pub name: String,
    /// The SQL description of an implementation record (IRD, IPD).
    pub info: Option<SqlTypeInfo>,
    pub table_name: String,
}

impl Default for DescRecord {
    fn default() -> Self {
        DescRecord {
            concise_type: SQL_C_DEFAULT,
            ty: SQL_C_DEFAULT,
            datetime_code: 0,
            octet_length: 0,
            length: 0,
            precision: 0,
            scale: 0,
            data_ptr: null_mut(),
            indicator_ptr: null_mut(),
            octet_length_ptr: null_mut(),
            nullable: SQL_NULLABLE_UNKNOWN,
            parameter_type: SQL_PARAM_INPUT,
            name: String::new(),
            info: None,
            table_name: String::new(),
        }
    }
}

impl DescRecord {
    /// Sets the concise type and the verbose type and interval code that follow from it.
    pub fn set_type(&mut self, concise: SmallInt) {
        self.concise_type = concise;
        let (ty, code) = verbose_type(concise);
        self.ty = ty;
        self.datetime_code = code;
    }

    /// Sets the verbose type (with the interval code for datetimes).
    fn set_verbose(&mut self, ty: SmallInt, code: SmallInt) {
        self.ty = ty;
        self.datetime_code = code;
        self.concise_type = if ty == SQL_DATETIME {
            match code {
                SQL_CODE_DATE => SQL_TYPE_DATE,
                SQL_CODE_TIME => SQL_TYPE_TIME,
                _ => SQL_TYPE_TIMESTAMP,
            }
        } else {
            ty
        };
    }

    pub fn is_bound(&self) -> bool {
        !self.data_ptr.is_null()
            || !self.indicator_ptr.is_null()
            || !self.octet_length_ptr.is_null()
    }
}

#[derive(Debug)]
pub struct Descriptor {
    pub kind: DescKind,
    pub alloc_type: SmallInt,
    pub array_size: ULen,
    pub array_status_ptr: *mut USmallInt,
    pub bind_offset_ptr: *mut Len,
    pub bind_type: ULen,
    pub rows_processed_ptr: *mut ULen,
    /// Records 1..=n at index 0..n.
    pub records: Vec<DescRecord>,
}

/// A field value passed to or read from SQLGet/SetDescField.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    Int(isize),
    Ptr(Pointer),
    Text(String),
}

impl Descriptor {
    pub fn new(kind: DescKind, alloc_type: SmallInt) -> Descriptor {
        Descriptor {
            kind,
            alloc_type,
            array_size: 1,
            array_status_ptr: null_mut(),
            bind_offset_ptr: null_mut(),
            bind_type: SQL_BIND_BY_COLUMN,
            rows_processed_ptr: null_mut(),
            records: vec![],
        }
    }

    /// Record `n` (1-based), created (with the records before it) when missing.
    pub fn record_mut(&mut self, n: usize) -> &mut DescRecord {
        if self.records.len() < n {
            self.records.resize_with(n, DescRecord::default);
        }
        &mut self.records[n - 1]
    }

    pub fn record(&self, n: usize) -> Option<&DescRecord> {
        n.checked_sub(1).and_then(|i| self.records.get(i))
    }

    /// Drops trailing unbound records (after an unbind), as SQL_DESC_COUNT tracks the highest
    /// bound record.
    pub fn trim(&mut self) {
        while self.records.last().is_some_and(|r| !r.is_bound()) {
            self.records.pop();
        }
    }

    /// The address of element `row` of a bound buffer, with the bind offset and bind type.
    pub fn element<T>(&self, base: *mut T, row: usize, element_size: usize) -> *mut T {
        if base.is_null() {
            return base;
        }
        let offset = if self.bind_offset_ptr.is_null() {
            0
        } else {
            // SAFETY: the application set this pointer and keeps it valid while bound.
            unsafe { self.bind_offset_ptr.read_unaligned() }
        };
        let stride = if self.bind_type == SQL_BIND_BY_COLUMN {
            element_size
        } else {
            self.bind_type
        };
        (base as *mut u8)
            .wrapping_offset(offset + (row * stride) as isize)
            .cast()
    }

    pub fn get_field(&self, rec: SmallInt, field: SmallInt) -> OdbcResult<FieldValue> {
        use FieldValue::*;
        let header = match field {
            SQL_DESC_ALLOC_TYPE => Some(Int(self.alloc_type as isize)),
            SQL_DESC_ARRAY_SIZE => Some(Int(self.array_size as isize)),
            SQL_DESC_ARRAY_STATUS_PTR => Some(Ptr(self.array_status_ptr.cast())),
            SQL_DESC_BIND_OFFSET_PTR => Some(Ptr(self.bind_offset_ptr.cast())),
            SQL_DESC_BIND_TYPE => Some(Int(self.bind_type as isize)),
            SQL_DESC_COUNT => Some(Int(self.records.len() as isize)),
            SQL_DESC_ROWS_PROCESSED_PTR => Some(Ptr(self.rows_processed_ptr.cast())),
            _ => None,
        };
        if let Some(v) = header {
            return Ok(v);
        }
        if rec < 1 {
            return Err(OdbcError::new(
                "07009",
                format!("record {rec} is not valid for field {field}"),
            ));
        }
        let Some(r) = self.record(rec as usize) else {
            return Err(OdbcError::new(
                "07009",
                format!("record {rec} does not exist"),
            ));
        };
        let info = r.info.as_ref();
        let text = |f: fn(&SqlTypeInfo) -> String| Text(info.map(f).unwrap_or_default());
        let int =
            |f: fn(&SqlTypeInfo) -> isize, default: isize| Int(info.map(f).unwrap_or(default));
        Ok(match field {
            SQL_DESC_CONCISE_TYPE => Int(r.concise_type as isize),
            SQL_DESC_TYPE => Int(r.ty as isize),
            SQL_DESC_DATETIME_INTERVAL_CODE => Int(r.datetime_code as isize),
            SQL_DESC_OCTET_LENGTH => Int(r.octet_length),
            SQL_DESC_LENGTH => Int(r.length as isize),
            SQL_DESC_PRECISION => Int(r.precision as isize),
            SQL_DESC_SCALE => Int(r.scale as isize),
            SQL_DESC_DATA_PTR => Ptr(r.data_ptr),
            SQL_DESC_INDICATOR_PTR => Ptr(r.indicator_ptr.cast()),
            SQL_DESC_OCTET_LENGTH_PTR => Ptr(r.octet_length_ptr.cast()),
            SQL_DESC_NULLABLE => Int(r.nullable as isize),
            SQL_DESC_PARAMETER_TYPE => Int(r.parameter_type as isize),
            SQL_DESC_NAME | SQL_DESC_LABEL | SQL_DESC_BASE_COLUMN_NAME => Text(r.name.clone()),
            SQL_DESC_UNNAMED => Int(if r.name.is_empty() {
                SQL_UNNAMED
            } else {
                SQL_NAMED
            } as isize),
            SQL_DESC_TABLE_NAME | SQL_DESC_BASE_TABLE_NAME => Text(r.table_name.clone()),
            SQL_DESC_SCHEMA_NAME | SQL_DESC_CATALOG_NAME => Text(if r.table_name.is_empty() {
                String::new()
            } else {
                pipedrive_engine::SCHEMA.to_string()
            }),
            SQL_DESC_TYPE_NAME | SQL_DESC_LOCAL_TYPE_NAME => text(|i| i.type_name.to_string()),
            SQL_DESC_DISPLAY_SIZE => int(|i| i.display_size as isize, 0),
            SQL_DESC_UNSIGNED => int(|i| i.unsigned as isize, 1),
            SQL_DESC_FIXED_PREC_SCALE => Int(0),
            SQL_DESC_UPDATABLE => Int(SQL_ATTR_READONLY as isize),
            SQL_DESC_AUTO_UNIQUE_VALUE => Int(0),
            SQL_DESC_CASE_SENSITIVE => int(|i| i.case_sensitive as isize, 0),
            SQL_DESC_SEARCHABLE => int(|i| i.searchable as isize, SQL_PRED_NONE as isize),
            SQL_DESC_LITERAL_PREFIX => text(|i| i.literal_prefix.to_string()),
            SQL_DESC_LITERAL_SUFFIX => text(|i| i.literal_suffix.to_string()),
            SQL_DESC_NUM_PREC_RADIX => int(|i| i.radix as isize, 0),
            SQL_DESC_ROWVER => Int(0),
            _ => return Err(OdbcError::unknown_option("descriptor field", field)),
        })
    }

    pub fn set_field(
        &mut self,
        rec: SmallInt,
        field: SmallInt,
        value: FieldValue,
    ) -> OdbcResult<()> {
        let int = || match &value {
            FieldValue::Int(v) => *v,
            FieldValue::Ptr(p) => *p as isize,
            FieldValue::Text(_) => 0,
        };
        let ptr = || match &value {
            FieldValue::Ptr(p) => *p,
            FieldValue::Int(v) => *v as Pointer,
            FieldValue::Text(_) => null_mut(),
        };
        let header = match field {
            SQL_DESC_ARRAY_SIZE => {
                if int() < 1 {
                    return Err(OdbcError::new("HY024", "the array size must be at least 1"));
                }
                self.array_size = (int() as ULen).min(MAX_ARRAY_SIZE);
                true
            }
            SQL_DESC_ARRAY_STATUS_PTR => {
                self.array_status_ptr = ptr().cast();
                true
            }
            SQL_DESC_BIND_OFFSET_PTR => {
                self.bind_offset_ptr = ptr().cast();
                true
            }
            SQL_DESC_BIND_TYPE => {
                self.bind_type = int() as ULen;
                true
            }
            SQL_DESC_ROWS_PROCESSED_PTR => {
                self.rows_processed_ptr = ptr().cast();
                true
            }
            SQL_DESC_COUNT => {
                if int() > SmallInt::MAX as isize {
                    return Err(OdbcError::new(
                        "07009",
                        format!("a descriptor holds at most {} records", SmallInt::MAX),
                    ));
                }
                let n = int().max(0) as usize;
                self.records.resize_with(n, DescRecord::default);
                true
            }
            SQL_DESC_ALLOC_TYPE => {
                return Err(OdbcError::new("HY091", "SQL_DESC_ALLOC_TYPE is read-only"))
            }
            _ => false,
        };
        if header {
            return Ok(());
        }
        if self.kind == DescKind::Ird {
            return Err(OdbcError::new(
                "HY016",
                "an implementation row descriptor cannot be modified",
            ));
        }
        if rec < 1 {
            return Err(OdbcError::new(
                "07009",
                format!("record {rec} is not valid"),
            ));
        }
        let r = self.record_mut(rec as usize);
        match field {
            SQL_DESC_CONCISE_TYPE => r.set_type(int() as SmallInt),
            SQL_DESC_TYPE => {
                let code = r.datetime_code;
                r.set_verbose(int() as SmallInt, code);
            }
            SQL_DESC_DATETIME_INTERVAL_CODE => {
                let ty = r.ty;
                r.set_verbose(ty, int() as SmallInt);
            }
            SQL_DESC_OCTET_LENGTH => r.octet_length = int(),
            SQL_DESC_LENGTH => r.length = int() as ULen,
            SQL_DESC_PRECISION => r.precision = int() as SmallInt,
            SQL_DESC_SCALE => r.scale = int() as SmallInt,
            SQL_DESC_DATA_PTR => r.data_ptr = ptr(),
            SQL_DESC_INDICATOR_PTR => r.indicator_ptr = ptr().cast(),
            SQL_DESC_OCTET_LENGTH_PTR => r.octet_length_ptr = ptr().cast(),
            SQL_DESC_NULLABLE => r.nullable = int() as SmallInt,
            SQL_DESC_PARAMETER_TYPE => r.parameter_type = int() as SmallInt,
            SQL_DESC_NAME => {
                if let FieldValue::Text(t) = value {
                    r.name = t;
                }
            }
            SQL_DESC_UNNAMED => {
                if int() as SmallInt == SQL_UNNAMED {
                    r.name.clear();
                }
            }
            _ => return Err(OdbcError::unknown_option("descriptor field", field)),
        }
        Ok(())
    }
}

/// Whether a descriptor field holds text (for the W/A string handling).
pub fn is_text_field(field: SmallInt) -> bool {
    matches!(
        field,
        SQL_DESC_NAME
            | SQL_DESC_LABEL
            | SQL_DESC_BASE_COLUMN_NAME
            | SQL_DESC_BASE_TABLE_NAME
            | SQL_DESC_TABLE_NAME
            | SQL_DESC_SCHEMA_NAME
            | SQL_DESC_CATALOG_NAME
            | SQL_DESC_TYPE_NAME
            | SQL_DESC_LOCAL_TYPE_NAME
            | SQL_DESC_LITERAL_PREFIX
            | SQL_DESC_LITERAL_SUFFIX
    )
}

/// Whether a descriptor field holds a pointer.
pub fn is_pointer_field(field: SmallInt) -> bool {
    matches!(
        field,
        SQL_DESC_ARRAY_STATUS_PTR
            | SQL_DESC_BIND_OFFSET_PTR
            | SQL_DESC_ROWS_PROCESSED_PTR
            | SQL_DESC_DATA_PTR
            | SQL_DESC_INDICATOR_PTR
            | SQL_DESC_OCTET_LENGTH_PTR
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_grow_and_types_stay_consistent() {
        let mut d = Descriptor::new(DescKind::Ard, SQL_DESC_ALLOC_AUTO);
        d.set_field(
            3,
            SQL_DESC_CONCISE_TYPE,
            FieldValue::Int(SQL_C_TYPE_DATE as isize),
        )
        .unwrap();
        assert_eq!(d.get_field(0, SQL_DESC_COUNT).unwrap(), FieldValue::Int(3));
        assert_eq!(
            d.get_field(3, SQL_DESC_TYPE).unwrap(),
            FieldValue::Int(SQL_DATETIME as isize)
        );
        assert_eq!(
            d.get_field(3, SQL_DESC_DATETIME_INTERVAL_CODE).unwrap(),
            FieldValue::Int(SQL_CODE_DATE as isize)
        );
        d.set_field(
            3,
            SQL_DESC_DATETIME_INTERVAL_CODE,
            FieldValue::Int(SQL_CODE_TIMESTAMP as isize),
        )
        .unwrap();
        assert_eq!(
            d.get_field(3, SQL_DESC_CONCISE_TYPE).unwrap(),
            FieldValue::Int(SQL_TYPE_TIMESTAMP as isize)
        );
        assert_eq!(d.get_field(9, SQL_DESC_TYPE).unwrap_err().state, "07009");
        assert_eq!(
            d.set_field(1, SQL_DESC_ARRAY_SIZE, FieldValue::Int(0))
                .unwrap_err()
                .state,
            "HY024"
        );
    }

    #[test]
    fn row_wise_and_column_wise_addresses() {
        let mut d = Descriptor::new(DescKind::Ard, SQL_DESC_ALLOC_AUTO);
        let base = 1000usize as *mut u8;
        assert_eq!(d.element(base, 3, 8) as usize, 1024);
        d.bind_type = 40;
        let mut offset: Len = 4;
        d.bind_offset_ptr = &mut offset;
        assert_eq!(d.element(base, 3, 8) as usize, 1124);
    }
}

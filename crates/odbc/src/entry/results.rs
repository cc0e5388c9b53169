//! Describing result columns, binding them, and fetching rows.

use super::put;
use crate::convert::to_c::Target;
use crate::desc::FieldValue;
use crate::diag::OdbcError;
use crate::fetch::Report;
use crate::lock::lock;
use crate::registry::{call, warn};
use crate::stmt::desc;
use crate::stmt::Stmt;
use crate::sys::*;
use crate::text::{Enc, Measure};

#[no_mangle]
pub unsafe extern "system" fn SQLNumResultCols(stmt: Handle, count: *mut SmallInt) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        put(count, lock(&s.state).result_columns()? as SmallInt);
        Ok(SQL_SUCCESS)
    })
}

super::ansi_and_wide!(SQLDescribeCol, SQLDescribeColW => describe_col(stmt: Handle, column: USmallInt, name: Pointer, cap: SmallInt, name_len: *mut SmallInt, data_type: *mut SmallInt, size: *mut ULen, digits: *mut SmallInt, nullable: *mut SmallInt));

unsafe fn describe_col(
    enc: Enc,
    stmt: Handle,
    column: USmallInt,
    name: Pointer,
    cap: SmallInt,
    name_len: *mut SmallInt,
    data_type: *mut SmallInt,
    size: *mut ULen,
    digits: *mut SmallInt,
    nullable: *mut SmallInt,
) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        if cap < 0 {
            return Err(OdbcError::new(
                "HY090",
                "the name buffer length is negative",
            ));
        }
        let st = lock(&s.state);
        let ird = lock(&desc(st.implicit.ird).state);
        let r = ird
            .record(column as usize)
            .ok_or_else(|| OdbcError::invalid_column(column))?;
        let info = r.info.clone().expect("result columns are described");
        let version = *lock(&s.conn().env().odbc_version);
        super::put_text(
            s,
            enc,
            &r.name,
            name,
            cap as isize,
            name_len,
            Measure::Chars,
        );
        put(data_type, info.sql_type_for(version));
        put(size, info.column_size);
        put(digits, info.decimal_digits);
        put(nullable, r.nullable);
        Ok(SQL_SUCCESS)
    })
}

super::ansi_and_wide!(SQLColAttribute, SQLColAttributeW => col_attribute(stmt: Handle, column: USmallInt, field: USmallInt, text: Pointer, cap: SmallInt, text_len: *mut SmallInt, number: *mut Len));
super::ansi_and_wide!(SQLColAttributes, SQLColAttributesW => col_attribute(stmt: Handle, column: USmallInt, field: USmallInt, text: Pointer, cap: SmallInt, text_len: *mut SmallInt, number: *mut Len));

unsafe fn col_attribute(
    enc: Enc,
    stmt: Handle,
    column: USmallInt,
    field: USmallInt,
    text: Pointer,
    cap: SmallInt,
    text_len: *mut SmallInt,
    number: *mut Len,
) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        let st = lock(&s.state);
        let ird = lock(&desc(st.implicit.ird).state);
        let field = field as SmallInt;
        if field == SQL_DESC_COUNT || field == SQL_COLUMN_COUNT {
            put(number, ird.records.len() as Len);
            return Ok(SQL_SUCCESS);
        }
        let r = ird
            .record(column as usize)
            .ok_or_else(|| OdbcError::invalid_column(column))?;
        let info = r.info.clone().expect("result columns are described");
        let version = *lock(&s.conn().env().odbc_version);
        let value = match field {
            // ODBC 2 fields and the ODBC 3 ones that mean the same
            SQL_COLUMN_NAME => FieldValue::Text(r.name.clone()),
            SQL_COLUMN_LENGTH => FieldValue::Int(info.octet_length as isize),
            SQL_COLUMN_PRECISION => FieldValue::Int(info.column_size as isize),
            SQL_COLUMN_SCALE => FieldValue::Int(info.decimal_digits as isize),
            SQL_COLUMN_NULLABLE => FieldValue::Int(r.nullable as isize),
            SQL_DESC_CONCISE_TYPE => FieldValue::Int(info.sql_type_for(version) as isize),
            SQL_DESC_LENGTH => FieldValue::Int(info.column_size as isize),
            SQL_DESC_OCTET_LENGTH => FieldValue::Int(info.octet_length as isize),
            SQL_DESC_PRECISION => FieldValue::Int(match info.sql_type {
                SQL_TYPE_TIMESTAMP | SQL_TYPE_TIME => info.decimal_digits as isize,
                _ => info.column_size as isize,
            }),
            _ => ird.get_field(column as SmallInt, field)?,
        };
        match value {
            FieldValue::Text(t) => {
                super::put_text(s, enc, &t, text, cap as isize, text_len, Measure::Bytes);
            }
            FieldValue::Int(v) => put(number, v),
            FieldValue::Ptr(p) => put(number, p as Len),
        }
        Ok(SQL_SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLBindCol(
    stmt: Handle,
    column: USmallInt,
    c_type: SmallInt,
    value: Pointer,
    buffer_len: Len,
    len_or_ind: *mut Len,
) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        if column == 0 {
            return Err(OdbcError::new(
                "07009",
                "bookmarks are not supported (column 0)",
            ));
        }
        if buffer_len < 0 {
            return Err(OdbcError::new("HY090", "the buffer length is negative"));
        }
        let st = lock(&s.state);
        let mut ard = lock(&desc(st.ard).state);
        let unbind = value.is_null() && len_or_ind.is_null();
        if unbind {
            if let Some(r) = ard.records.get_mut(column as usize - 1) {
                *r = Default::default();
            }
            ard.trim();
            return Ok(SQL_SUCCESS);
        }
        let r = ard.record_mut(column as usize);
        r.set_type(c_type);
        r.data_ptr = value;
        r.octet_length = buffer_len;
        r.octet_length_ptr = len_or_ind;
        r.indicator_ptr = len_or_ind;
        Ok(SQL_SUCCESS)
    })
}

/// A fetch of any orientation; its row warnings become the statement's diagnostics.
unsafe fn fetch(
    stmt: Handle,
    orientation: SmallInt,
    offset: i64,
    report: Option<Report>,
) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        let mut st = lock(&s.state);
        match st.fetch(orientation, offset, &s.cancel, report) {
            Ok((rc, warnings)) => Ok(with_warnings(s, rc, warnings)),
            // a cancelled result cannot go on: it is closed, and the handle takes a new
            // statement at once
            Err(e) if e.state == "HY008" => {
                st.close();
                Err(e)
            }
            Err(e) => Err(e),
        }
    })
}

fn with_warnings(s: &Stmt, rc: SqlReturn, warnings: Vec<OdbcError>) -> SqlReturn {
    warnings.into_iter().for_each(|w| warn(s, w));
    rc
}

#[no_mangle]
pub unsafe extern "system" fn SQLFetch(stmt: Handle) -> SqlReturn {
    fetch(stmt, SQL_FETCH_NEXT, 0, None)
}

#[no_mangle]
pub unsafe extern "system" fn SQLFetchScroll(
    stmt: Handle,
    orientation: SmallInt,
    offset: Len,
) -> SqlReturn {
    fetch(stmt, orientation, offset as i64, None)
}

/// The ODBC 2 block fetch: as SQLFetchScroll, with the rows fetched and their status
/// reported in the arguments.
#[no_mangle]
pub unsafe extern "system" fn SQLExtendedFetch(
    stmt: Handle,
    orientation: USmallInt,
    offset: Len,
    rows_fetched: *mut ULen,
    statuses: *mut USmallInt,
) -> SqlReturn {
    let report = Report {
        rows_fetched,
        statuses,
    };
    fetch(stmt, orientation as SmallInt, offset as i64, Some(report))
}

#[no_mangle]
pub unsafe extern "system" fn SQLSetPos(
    stmt: Handle,
    row: SetPosIRow,
    operation: USmallInt,
    lock_type: USmallInt,
) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        let (rc, warnings) =
            lock(&s.state).set_pos(row as usize, operation, lock_type, &s.cancel)?;
        Ok(with_warnings(s, rc, warnings))
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetData(
    stmt: Handle,
    column: USmallInt,
    c_type: SmallInt,
    value: Pointer,
    buffer_len: Len,
    len_or_ind: *mut Len,
) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        if buffer_len < 0 {
            return Err(OdbcError::new("HY090", "the buffer length is negative"));
        }
        let target = Target {
            c_type,
            ptr: value,
            cap: buffer_len,
            precision: 0,
            scale: 0,
        };
        let (rc, warning) = lock(&s.state).get_data(column as usize, target, len_or_ind)?;
        if let Some(w) = warning {
            warn(s, w);
        }
        Ok(rc)
    })
}

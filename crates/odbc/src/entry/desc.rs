//! Reading and writing descriptor fields and records, and copying descriptors.

use super::put;
use crate::desc::Desc;
use crate::desc::{clamp_array_size, is_pointer_field, is_text_field, FieldValue};
use crate::diag::OdbcError;
use crate::lock::lock;
use crate::registry::{call, warn, Object};
use crate::sys::*;
use crate::text::{Enc, Measure};

super::ansi_and_wide!(SQLGetDescField, SQLGetDescFieldW => get_desc_field(desc: Handle, rec: SmallInt, field: SmallInt, value: Pointer, cap: Integer, len: *mut Integer));

unsafe fn get_desc_field(
    enc: Enc,
    desc: Handle,
    rec: SmallInt,
    field: SmallInt,
    value: Pointer,
    cap: Integer,
    len: *mut Integer,
) -> SqlReturn {
    call::<Desc>(desc, |d| {
        let v = lock(&d.state).get_field(rec, field)?;
        match v {
            FieldValue::Text(t) => {
                super::put_text(d, enc, &t, value, cap as isize, len, Measure::Bytes);
            }
            FieldValue::Ptr(p) => {
                put(value as *mut Pointer, p);
                put(len, std::mem::size_of::<Pointer>() as Integer);
            }
            FieldValue::Int(i) => {
                // each field has its C type: SQLSMALLINT, SQLINTEGER or SQLLEN/SQLULEN
                match field {
                    SQL_DESC_ARRAY_SIZE
                    | SQL_DESC_BIND_TYPE
                    | SQL_DESC_LENGTH
                    | SQL_DESC_OCTET_LENGTH
                    | SQL_DESC_DISPLAY_SIZE => {
                        put(value as *mut isize, i);
                        put(len, std::mem::size_of::<isize>() as Integer);
                    }
                    SQL_DESC_AUTO_UNIQUE_VALUE
                    | SQL_DESC_CASE_SENSITIVE
                    | SQL_DESC_NUM_PREC_RADIX => {
                        put(value as *mut Integer, i as Integer);
                        put(len, 4);
                    }
                    _ => {
                        put(value as *mut SmallInt, i as SmallInt);
                        put(len, 2);
                    }
                }
            }
        }
        Ok(SQL_SUCCESS)
    })
}

super::ansi_and_wide!(SQLSetDescField, SQLSetDescFieldW => set_desc_field(desc: Handle, rec: SmallInt, field: SmallInt, value: Pointer, len: Integer));

unsafe fn set_desc_field(
    enc: Enc,
    desc: Handle,
    rec: SmallInt,
    field: SmallInt,
    value: Pointer,
    len: Integer,
) -> SqlReturn {
    call::<Desc>(desc, |d| {
        let mut v = if is_text_field(field) {
            FieldValue::Text(
                enc.read(value, len as Len, Measure::Bytes)?
                    .unwrap_or_default(),
            )
        } else if is_pointer_field(field) {
            FieldValue::Ptr(value)
        } else {
            FieldValue::Int(value as isize)
        };
        if let Some(w) = clamp_array_size(field, &mut v) {
            warn(d, w);
        }
        lock(&d.state).set_field(rec, field, v)?;
        Ok(SQL_SUCCESS)
    })
}

super::ansi_and_wide!(SQLGetDescRec, SQLGetDescRecW => get_desc_rec(desc: Handle, rec: SmallInt, name: Pointer, cap: SmallInt, name_len: *mut SmallInt, ty: *mut SmallInt, sub: *mut SmallInt, length: *mut Len, precision: *mut SmallInt, scale: *mut SmallInt, nullable: *mut SmallInt));

#[allow(clippy::too_many_arguments)]
unsafe fn get_desc_rec(
    enc: Enc,
    desc: Handle,
    rec: SmallInt,
    name: Pointer,
    cap: SmallInt,
    name_len: *mut SmallInt,
    ty: *mut SmallInt,
    sub: *mut SmallInt,
    length: *mut Len,
    precision: *mut SmallInt,
    scale: *mut SmallInt,
    nullable: *mut SmallInt,
) -> SqlReturn {
    call::<Desc>(desc, |d| {
        let st = lock(&d.state);
        if rec < 1 {
            return Err(OdbcError::new(
                "07009",
                "bookmark records are not supported",
            ));
        }
        let Some(r) = st.record(rec as usize) else {
            return Ok(SQL_NO_DATA);
        };
        super::put_text(
            d,
            enc,
            &r.name,
            name,
            cap as isize,
            name_len,
            Measure::Chars,
        );
        put(ty, r.ty);
        put(sub, r.datetime_code);
        put(length, r.octet_length);
        put(precision, r.precision);
        put(scale, r.scale);
        put(nullable, r.nullable);
        Ok(SQL_SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLSetDescRec(
    desc: Handle,
    rec: SmallInt,
    ty: SmallInt,
    sub: SmallInt,
    length: Len,
    precision: SmallInt,
    scale: SmallInt,
    data: Pointer,
    len_ptr: *mut Len,
    ind_ptr: *mut Len,
) -> SqlReturn {
    call::<Desc>(desc, |d| {
        let mut st = lock(&d.state);
        let int = |v: isize| FieldValue::Int(v);
        st.set_field(rec, SQL_DESC_TYPE, int(ty as isize))?;
        if ty == SQL_DATETIME {
            st.set_field(rec, SQL_DESC_DATETIME_INTERVAL_CODE, int(sub as isize))?;
        }
        st.set_field(rec, SQL_DESC_OCTET_LENGTH, int(length))?;
        st.set_field(rec, SQL_DESC_PRECISION, int(precision as isize))?;
        st.set_field(rec, SQL_DESC_SCALE, int(scale as isize))?;
        st.set_field(
            rec,
            SQL_DESC_OCTET_LENGTH_PTR,
            FieldValue::Ptr(len_ptr.cast()),
        )?;
        st.set_field(rec, SQL_DESC_INDICATOR_PTR, FieldValue::Ptr(ind_ptr.cast()))?;
        st.set_field(rec, SQL_DESC_DATA_PTR, FieldValue::Ptr(data))?;
        Ok(SQL_SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLCopyDesc(source: Handle, target: Handle) -> SqlReturn {
    let Some(src) = Desc::from_handle(source) else {
        return SQL_INVALID_HANDLE;
    };
    call::<Desc>(target, |t| {
        if std::ptr::eq(&*src, t) {
            return Ok(SQL_SUCCESS);
        }
        let copy = {
            let s = lock(&src.state);
            (
                s.records.clone(),
                s.array_size,
                s.array_status_ptr,
                s.bind_offset_ptr,
                s.bind_type,
                s.rows_processed_ptr,
            )
        };
        let mut st = lock(&t.state);
        if st.kind == crate::desc::DescKind::Ird {
            return Err(OdbcError::new(
                "HY016",
                "an implementation row descriptor cannot be modified",
            ));
        }
        (
            st.records,
            st.array_size,
            st.array_status_ptr,
            st.bind_offset_ptr,
            st.bind_type,
            st.rows_processed_ptr,
        ) = copy;
        Ok(SQL_SUCCESS)
    })
}

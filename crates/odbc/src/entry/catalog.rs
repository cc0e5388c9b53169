//! The catalog functions: each reads its name arguments and opens its result set.

use super::get_str;
use crate::catalog::{self as cat, Filter, V};
use crate::diag::{OdbcError, OdbcResult};
use crate::handles::{call, lock, Stmt};
use crate::runtime;
use crate::sys::*;
use crate::text::Enc;
use pipedrive_engine::schema::TableSchema;

/// What a catalog function reads: the tables (set up first where not yet), or nothing of the
/// account (procedures, types).
enum Needs {
    Tables,
    Nothing,
}

/// Opens a catalog result on the statement: `rows` gets the connection's tables (when `needs`
/// says so; else none) and whether SQL_ATTR_METADATA_ID is on.
fn answer(
    stmt: Handle,
    shape: &'static [(&'static str, char, bool)],
    needs: Needs,
    rows: impl FnOnce(&mut dyn Iterator<Item = &TableSchema>, bool, Integer) -> OdbcResult<Vec<Vec<V>>>,
) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        let conn = lock(&s.conn().state).clone();
        let version = *lock(&s.conn().env().expect("a live environment").odbc_version);
        let session = conn.session()?;
        let mut st = lock(&s.state);
        let id = st.metadata_id != 0;
        let tables = match needs {
            Needs::Tables => runtime::wait(
                async { session.tables().await.map_err(OdbcError::from) },
                None,
                None,
            )?,
            Needs::Nothing => vec![],
        };
        let rows = rows(&mut tables.into_iter(), id, version)?;
        let (schema, batches) = cat::result(shape, rows);
        st.open_batches(&conn, &schema, batches);
        Ok(SQL_SUCCESS)
    })
}

unsafe fn arg(enc: Enc, p: Pointer, len: SmallInt) -> OdbcResult<Filter> {
    Ok(Filter(get_str(enc, p, len as isize)?))
}

super::ansi_and_wide!(SQLTables, SQLTablesW => tables(stmt: Handle, c: Pointer, cl: SmallInt, s: Pointer, sl: SmallInt, t: Pointer, tl: SmallInt, ty: Pointer, tyl: SmallInt));

unsafe fn tables(
    enc: Enc,
    stmt: Handle,
    c: Pointer,
    cl: SmallInt,
    s: Pointer,
    sl: SmallInt,
    t: Pointer,
    tl: SmallInt,
    ty: Pointer,
    tyl: SmallInt,
) -> SqlReturn {
    answer(stmt, cat::TABLES, Needs::Tables, |all, id, _| {
        let types = get_str(enc, ty, tyl as isize)?;
        Ok(cat::tables(
            all,
            &arg(enc, c, cl)?,
            &arg(enc, s, sl)?,
            &arg(enc, t, tl)?,
            types.as_deref(),
            id,
        ))
    })
}

super::ansi_and_wide!(SQLColumns, SQLColumnsW => columns(stmt: Handle, c: Pointer, cl: SmallInt, s: Pointer, sl: SmallInt, t: Pointer, tl: SmallInt, col: Pointer, coll: SmallInt));

unsafe fn columns(
    enc: Enc,
    stmt: Handle,
    c: Pointer,
    cl: SmallInt,
    s: Pointer,
    sl: SmallInt,
    t: Pointer,
    tl: SmallInt,
    col: Pointer,
    coll: SmallInt,
) -> SqlReturn {
    answer(stmt, cat::COLUMNS, Needs::Tables, |all, id, version| {
        Ok(cat::columns(
            all,
            &arg(enc, c, cl)?,
            &arg(enc, s, sl)?,
            &arg(enc, t, tl)?,
            &arg(enc, col, coll)?,
            id,
            version,
        ))
    })
}

super::ansi_and_wide!(SQLPrimaryKeys, SQLPrimaryKeysW => primary_keys(stmt: Handle, c: Pointer, cl: SmallInt, s: Pointer, sl: SmallInt, t: Pointer, tl: SmallInt));

unsafe fn primary_keys(
    enc: Enc,
    stmt: Handle,
    c: Pointer,
    cl: SmallInt,
    s: Pointer,
    sl: SmallInt,
    t: Pointer,
    tl: SmallInt,
) -> SqlReturn {
    answer(stmt, cat::PRIMARY_KEYS, Needs::Tables, |all, id, _| {
        Ok(cat::primary_keys(
            all,
            &arg(enc, c, cl)?,
            &arg(enc, s, sl)?,
            &arg(enc, t, tl)?,
            id,
        ))
    })
}

super::ansi_and_wide!(SQLForeignKeys, SQLForeignKeysW => foreign_keys(stmt: Handle, pc: Pointer, pcl: SmallInt, ps: Pointer, psl: SmallInt, pt: Pointer, ptl: SmallInt, fc: Pointer, fcl: SmallInt, fs: Pointer, fsl: SmallInt, ft: Pointer, ftl: SmallInt));

#[allow(clippy::too_many_arguments)]
unsafe fn foreign_keys(
    enc: Enc,
    stmt: Handle,
    _pc: Pointer,
    _pcl: SmallInt,
    _ps: Pointer,
    _psl: SmallInt,
    pt: Pointer,
    ptl: SmallInt,
    _fc: Pointer,
    _fcl: SmallInt,
    _fs: Pointer,
    _fsl: SmallInt,
    ft: Pointer,
    ftl: SmallInt,
) -> SqlReturn {
    answer(stmt, cat::FOREIGN_KEYS, Needs::Tables, |all, id, _| {
        let tables: Vec<&TableSchema> = all.collect();
        Ok(cat::foreign_keys(
            tables.iter().copied(),
            &arg(enc, pt, ptl)?,
            &arg(enc, ft, ftl)?,
            id,
        ))
    })
}

super::ansi_and_wide!(SQLStatistics, SQLStatisticsW => statistics(stmt: Handle, c: Pointer, cl: SmallInt, s: Pointer, sl: SmallInt, t: Pointer, tl: SmallInt, unique: USmallInt, reserved: USmallInt));

unsafe fn statistics(
    enc: Enc,
    stmt: Handle,
    c: Pointer,
    cl: SmallInt,
    s: Pointer,
    sl: SmallInt,
    t: Pointer,
    tl: SmallInt,
    _unique: USmallInt,
    _reserved: USmallInt,
) -> SqlReturn {
    answer(stmt, cat::STATISTICS, Needs::Tables, |all, id, _| {
        Ok(cat::statistics(
            all,
            &arg(enc, c, cl)?,
            &arg(enc, s, sl)?,
            &arg(enc, t, tl)?,
            id,
        ))
    })
}

super::ansi_and_wide!(SQLSpecialColumns, SQLSpecialColumnsW => special_columns(stmt: Handle, kind: USmallInt, c: Pointer, cl: SmallInt, s: Pointer, sl: SmallInt, t: Pointer, tl: SmallInt, scope: USmallInt, nullable: USmallInt));

unsafe fn special_columns(
    enc: Enc,
    stmt: Handle,
    kind: USmallInt,
    c: Pointer,
    cl: SmallInt,
    s: Pointer,
    sl: SmallInt,
    t: Pointer,
    tl: SmallInt,
    _scope: USmallInt,
    _nullable: USmallInt,
) -> SqlReturn {
    answer(stmt, cat::SPECIAL_COLUMNS, Needs::Tables, |all, id, _| {
        Ok(cat::special_columns(
            all,
            kind,
            &arg(enc, c, cl)?,
            &arg(enc, s, sl)?,
            &arg(enc, t, tl)?,
            id,
        ))
    })
}

super::ansi_and_wide!(SQLProcedures, SQLProceduresW => procedures(stmt: Handle, c: Pointer, cl: SmallInt, s: Pointer, sl: SmallInt, p: Pointer, pl: SmallInt));

unsafe fn procedures(
    enc: Enc,
    stmt: Handle,
    c: Pointer,
    cl: SmallInt,
    s: Pointer,
    sl: SmallInt,
    p: Pointer,
    pl: SmallInt,
) -> SqlReturn {
    answer(stmt, cat::PROCEDURES, Needs::Nothing, |_, id, _| {
        Ok(cat::procedures(
            &arg(enc, c, cl)?,
            &arg(enc, s, sl)?,
            &arg(enc, p, pl)?,
            id,
        ))
    })
}

super::ansi_and_wide!(SQLProcedureColumns, SQLProcedureColumnsW => procedure_columns(stmt: Handle, c: Pointer, cl: SmallInt, s: Pointer, sl: SmallInt, p: Pointer, pl: SmallInt, col: Pointer, coll: SmallInt));

#[allow(clippy::too_many_arguments)]
unsafe fn procedure_columns(
    enc: Enc,
    stmt: Handle,
    c: Pointer,
    cl: SmallInt,
    s: Pointer,
    sl: SmallInt,
    p: Pointer,
    pl: SmallInt,
    col: Pointer,
    coll: SmallInt,
) -> SqlReturn {
    answer(
        stmt,
        cat::PROCEDURE_COLUMNS,
        Needs::Nothing,
        |_, id, version| {
            Ok(cat::procedure_columns(
                &arg(enc, c, cl)?,
                &arg(enc, s, sl)?,
                &arg(enc, p, pl)?,
                &arg(enc, col, coll)?,
                id,
                version,
            ))
        },
    )
}

super::ansi_and_wide!(SQLTablePrivileges, SQLTablePrivilegesW => table_privileges(stmt: Handle, c: Pointer, cl: SmallInt, s: Pointer, sl: SmallInt, t: Pointer, tl: SmallInt));

unsafe fn table_privileges(
    enc: Enc,
    stmt: Handle,
    c: Pointer,
    cl: SmallInt,
    s: Pointer,
    sl: SmallInt,
    t: Pointer,
    tl: SmallInt,
) -> SqlReturn {
    answer(stmt, cat::TABLE_PRIVILEGES, Needs::Tables, |all, id, _| {
        Ok(cat::table_privileges(
            all,
            &arg(enc, c, cl)?,
            &arg(enc, s, sl)?,
            &arg(enc, t, tl)?,
            id,
        ))
    })
}

super::ansi_and_wide!(SQLColumnPrivileges, SQLColumnPrivilegesW => column_privileges(stmt: Handle, c: Pointer, cl: SmallInt, s: Pointer, sl: SmallInt, t: Pointer, tl: SmallInt, col: Pointer, coll: SmallInt));

unsafe fn column_privileges(
    enc: Enc,
    stmt: Handle,
    c: Pointer,
    cl: SmallInt,
    s: Pointer,
    sl: SmallInt,
    t: Pointer,
    tl: SmallInt,
    col: Pointer,
    coll: SmallInt,
) -> SqlReturn {
    answer(stmt, cat::COLUMN_PRIVILEGES, Needs::Tables, |all, id, _| {
        Ok(cat::column_privileges(
            all,
            &arg(enc, c, cl)?,
            &arg(enc, s, sl)?,
            &arg(enc, t, tl)?,
            &arg(enc, col, coll)?,
            id,
        ))
    })
}

super::ansi_and_wide!(SQLGetTypeInfo, SQLGetTypeInfoW => type_info(stmt: Handle, data_type: SmallInt));

unsafe fn type_info(_enc: Enc, stmt: Handle, data_type: SmallInt) -> SqlReturn {
    answer(stmt, cat::TYPE_INFO, Needs::Nothing, |_, _, version| {
        Ok(cat::type_info(data_type, version))
    })
}

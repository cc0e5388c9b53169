//! The catalog functions: each reads its name arguments and opens its result set.

use super::get_str;
use crate::catalog::{self as cat, Shape, V};
use crate::diag::{OdbcError, OdbcResult};
use crate::lock::lock;
use crate::registry::call;
use crate::runtime;
use crate::stmt::Stmt;
use crate::sys::*;
use crate::text::Enc;
use pipedrive_engine::{Describe, Filter, SchemaObjects, Scope};

/// What a result's rows are made from: the statement's `SQL_ATTR_METADATA_ID` and the
/// environment's ODBC version.
struct Asked {
    metadata_id: bool,
    odbc_version: Integer,
}

impl Asked {
    fn scope(&self, catalog: Filter, schema: Filter) -> Scope {
        Scope::new(catalog, schema, self.metadata_id)
    }
}

/// Opens a catalog result on the statement whose rows come from `rows`.
fn answer(
    stmt: Handle,
    shape: Shape,
    rows: impl FnOnce(&Stmt, &Asked) -> OdbcResult<Vec<Vec<V>>>,
) -> SqlReturn {
    call::<Stmt>(stmt, |s| {
        let version = *lock(&s.conn().env().odbc_version);
        let asked = Asked {
            metadata_id: lock(&s.state).metadata_id != 0,
            odbc_version: version,
        };
        let rows = rows(s, &asked)?;
        let (schema, batches) = cat::result(shape, rows);
        let link = s.conn().link()?;
        lock(&s.state).open_batches(&link, &schema, batches);
        Ok(SQL_SUCCESS)
    })
}

/// Opens a catalog result made from the connection's tables; those `describe` selects come
/// with the account's custom fields (their field definitions read where not yet).
fn answer_from_tables(
    stmt: Handle,
    shape: Shape,
    describe: impl FnOnce(&Asked) -> OdbcResult<Describe>,
    rows: impl FnOnce(&SchemaObjects, &Asked) -> OdbcResult<Vec<Vec<V>>>,
) -> SqlReturn {
    answer(stmt, shape, |s, asked| {
        let link = s.conn().link()?;
        let describe = describe(asked)?;
        runtime::wait(
            async {
                let objects = link
                    .session
                    .schema_objects(&describe)
                    .await
                    .map_err(OdbcError::from)?;
                rows(&objects, asked)
            },
            None,
            None,
        )
    })
}

/// Catalog functions about names, kinds, keys and references need no account's fields.
fn standard_columns(_: &Asked) -> OdbcResult<Describe> {
    Ok(Describe::Nothing)
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
    answer_from_tables(stmt, cat::TABLES, standard_columns, |objects, asked| {
        let types = get_str(enc, ty, tyl as isize)?;
        Ok(cat::tables(
            objects,
            asked.scope(arg(enc, c, cl)?, arg(enc, s, sl)?),
            &arg(enc, t, tl)?,
            types.as_deref(),
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
    let describe = |asked: &Asked| {
        let scope = asked.scope(arg(enc, c, cl)?, arg(enc, s, sl)?);
        Ok(Describe::Matching(scope, arg(enc, t, tl)?))
    };
    answer_from_tables(stmt, cat::COLUMNS, describe, |objects, asked| {
        Ok(cat::columns(
            objects,
            &asked.scope(arg(enc, c, cl)?, arg(enc, s, sl)?),
            &arg(enc, t, tl)?,
            &arg(enc, col, coll)?,
            asked.odbc_version,
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
    answer_from_tables(
        stmt,
        cat::PRIMARY_KEYS,
        standard_columns,
        |objects, asked| {
            Ok(cat::primary_keys(
                objects,
                &asked.scope(arg(enc, c, cl)?, arg(enc, s, sl)?),
                &arg(enc, t, tl)?,
            ))
        },
    )
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
    answer_from_tables(
        stmt,
        cat::FOREIGN_KEYS,
        standard_columns,
        |objects, asked| {
            Ok(cat::foreign_keys(
                objects,
                &asked.scope(Filter::any(), Filter::any()),
                &arg(enc, pt, ptl)?,
                &arg(enc, ft, ftl)?,
            ))
        },
    )
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
    answer_from_tables(stmt, cat::STATISTICS, standard_columns, |objects, asked| {
        Ok(cat::statistics(
            objects,
            &asked.scope(arg(enc, c, cl)?, arg(enc, s, sl)?),
            &arg(enc, t, tl)?,
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
    answer_from_tables(
        stmt,
        cat::SPECIAL_COLUMNS,
        standard_columns,
        |objects, asked| {
            Ok(cat::special_columns(
                objects,
                kind,
                &asked.scope(arg(enc, c, cl)?, arg(enc, s, sl)?),
                &arg(enc, t, tl)?,
            ))
        },
    )
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
    answer(stmt, cat::PROCEDURES, |_, asked| {
        Ok(cat::procedures(
            &asked.scope(arg(enc, c, cl)?, arg(enc, s, sl)?),
            &arg(enc, p, pl)?,
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
    answer(stmt, cat::PROCEDURE_COLUMNS, |_, asked| {
        Ok(cat::procedure_columns(
            &asked.scope(arg(enc, c, cl)?, arg(enc, s, sl)?),
            &arg(enc, p, pl)?,
            &arg(enc, col, coll)?,
            asked.odbc_version,
        ))
    })
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
    answer_from_tables(
        stmt,
        cat::TABLE_PRIVILEGES,
        standard_columns,
        |objects, asked| {
            Ok(cat::table_privileges(
                objects,
                &asked.scope(arg(enc, c, cl)?, arg(enc, s, sl)?),
                &arg(enc, t, tl)?,
            ))
        },
    )
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
    let describe = |asked: &Asked| {
        let scope = asked.scope(arg(enc, c, cl)?, arg(enc, s, sl)?);
        Ok(Describe::Named(scope, arg(enc, t, tl)?))
    };
    answer_from_tables(stmt, cat::COLUMN_PRIVILEGES, describe, |objects, asked| {
        Ok(cat::column_privileges(
            objects,
            &asked.scope(arg(enc, c, cl)?, arg(enc, s, sl)?),
            &arg(enc, t, tl)?,
            &arg(enc, col, coll)?,
        ))
    })
}

super::ansi_and_wide!(SQLGetTypeInfo, SQLGetTypeInfoW => type_info(stmt: Handle, data_type: SmallInt));

unsafe fn type_info(_enc: Enc, stmt: Handle, data_type: SmallInt) -> SqlReturn {
    answer(stmt, cat::TYPE_INFO, |_, asked| {
        Ok(cat::type_info(data_type, asked.odbc_version))
    })
}

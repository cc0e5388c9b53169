//! Reading results into the application's buffers: block fetch into bound columns (column-wise
//! or row-wise, with bind offsets, row status and rows-fetched), and SQLGetData in pieces.

use crate::cancel::Cancel;
use crate::convert::to_c::{self, Target};
use crate::convert::{Cell, Rows};
use crate::cursor::scroll::{self, Move, Position};
use crate::desc::Descriptor;
use crate::diag::{OdbcError, OdbcResult};
use crate::lock::lock;
use crate::stmt::{c_size, desc, StmtState};
use crate::sys::*;
use std::sync::Arc;

/// One bound column, resolved once per fetch call.
struct Bound {
    column: usize,
    target: Target,
    element: usize,
    len_ptr: *mut Len,
    ind_ptr: *mut Len,
}

/// Where a fetch reports the rows it fetched and their status: the IRD's pointers
/// (SQL_ATTR_ROWS_FETCHED_PTR, SQL_ATTR_ROW_STATUS_PTR), or SQLExtendedFetch's arguments.
#[derive(Clone, Copy)]
pub struct Report {
    pub rows_fetched: *mut ULen,
    pub statuses: *mut USmallInt,
}

impl StmtState {
    fn no_cursor() -> OdbcError {
        OdbcError::new("24000", "invalid cursor state: there is no open result set")
    }

    /// SQLFetch and SQLFetchScroll (SQLExtendedFetch with its own `report`): moves the cursor
    /// as `orientation` and `offset` say and writes the rowset into the bound columns.
    /// Warnings of single rows are returned with the code.
    pub fn fetch(
        &mut self,
        orientation: SmallInt,
        offset: i64,
        cancel: &Cancel,
        report: Option<Report>,
    ) -> OdbcResult<(SqlReturn, Vec<OdbcError>)> {
        let timeout = self.timeout();
        let size = lock(&desc(self.ard).state).array_size.max(1);
        let cursor = self.cursor.as_mut().ok_or_else(StmtState::no_cursor)?;
        if !cursor.scrollable && orientation != SQL_FETCH_NEXT {
            return Err(OdbcError::new(
                "HY106",
                "the cursor is forward-only: only SQL_FETCH_NEXT is possible \
                 (set SQL_ATTR_CURSOR_TYPE to SQL_CURSOR_STATIC to scroll)",
            ));
        }
        let at = cursor.position;
        let bookmark = match orientation {
            // SAFETY: the application's bookmark, as SQLGetData gave it
            SQL_FETCH_BOOKMARK => unsafe { read_bookmark(self.use_bookmarks, self.fetch_bookmark) },
            _ => None,
        };
        let to = scroll::target(at, orientation, offset, size, bookmark, &mut || {
            cursor.last_row(cancel, timeout)
        })?;
        self.load_rowset(to, cancel, report)
    }

    /// Moves to `to` and writes its rowset into the bound columns.
    fn load_rowset(
        &mut self,
        to: Move,
        cancel: &Cancel,
        report: Option<Report>,
    ) -> OdbcResult<(SqlReturn, Vec<OdbcError>)> {
        let timeout = self.timeout();
        let ard = lock(&desc(self.ard).state);
        let ird = lock(&desc(self.implicit.ird).state);
        let report = report.unwrap_or(Report {
            rows_fetched: ird.rows_processed_ptr,
            statuses: ird.array_status_ptr,
        });
        let cursor = self.cursor.as_mut().ok_or_else(StmtState::no_cursor)?;
        let bound = bindings(&ard, &ird)?;
        let size = ard.array_size.max(1);
        let mut warnings = vec![];
        let mut status = Vec::with_capacity(size);
        cursor.piece = None;
        cursor.current = None;
        let start = match to {
            Move::To { start, clipped } => {
                if clipped {
                    warnings.push(OdbcError::new(
                        "01S06",
                        "the fetch went before the first row: the rowset starts at row 1",
                    ));
                }
                start
            }
            Move::BeforeStart | Move::AfterEnd => 0,
        };
        let mut failed = 0;
        if start > 0 {
            cursor.leaving_rows_before(start);
            let mut at: Option<(Arc<Rows>, usize)> = None;
            for i in 0..size {
                // the next row is in the same batch, most of the time
                at = match at {
                    Some((b, r)) if r + 1 < b.num_rows() => Some((b, r + 1)),
                    _ => cursor.row(start + i as u64, cancel, timeout)?,
                };
                let Some((batch, row)) = &at else { break };
                if i == 0 {
                    cursor.current = Some((start, batch.clone(), *row));
                }
                let mut row_status = SQL_ROW_SUCCESS;
                for b in &bound {
                    let value = batch.cell(b.column, *row);
                    // SAFETY: buffers the application bound for this rowset.
                    match unsafe { write_bound(&ard, b, i, &value) } {
                        Ok(None) => {}
                        Ok(Some(w)) => {
                            row_status = SQL_ROW_SUCCESS_WITH_INFO;
                            warnings.push(w);
                        }
                        Err(e) => {
                            row_status = SQL_ROW_ERROR;
                            warnings.push(e);
                        }
                    }
                }
                if row_status == SQL_ROW_ERROR {
                    failed += 1;
                }
                status.push(row_status);
            }
        }
        let fetched = status.len();
        if !report.statuses.is_null() {
            for i in 0..size {
                // SAFETY: the application's row status array holds array_size entries.
                // (applications' arrays and counters may be only 4-byte aligned: RODBC's are)
                let s = status.get(i).copied().unwrap_or(SQL_ROW_NOROW);
                unsafe { report.statuses.add(i).write_unaligned(s) };
            }
        }
        if !report.rows_fetched.is_null() {
            // SAFETY: set by the application (SQL_ATTR_ROWS_FETCHED_PTR or the argument).
            unsafe { report.rows_fetched.write_unaligned(fetched) };
        }
        cursor.position = match (to, fetched) {
            (Move::BeforeStart, _) => Position::BeforeStart,
            (_, 0) => Position::AfterEnd,
            _ => Position::Rowset {
                start,
                len: fetched,
            },
        };
        if fetched == 0 {
            return Ok((SQL_NO_DATA, vec![]));
        }
        if failed > 0 && size == 1 {
            return Err(warnings.pop().expect("the row's error"));
        }
        if failed == fetched {
            return Err(OdbcError::new(
                "HY000",
                format!("every row of the rowset failed: {}", warnings[0].message),
            ));
        }
        Ok((SQL_SUCCESS, warnings))
    }

    /// SQLSetPos: positions on a row of the rowset (for SQLGetData) or fetches the rowset
    /// again; the cursor is read-only, so updates, deletes and adds are refused.
    pub fn set_pos(
        &mut self,
        row: usize,
        operation: USmallInt,
        lock_type: USmallInt,
        cancel: &Cancel,
    ) -> OdbcResult<(SqlReturn, Vec<OdbcError>)> {
        let cursor = self.cursor.as_mut().ok_or_else(StmtState::no_cursor)?;
        if lock_type != SQL_LOCK_NO_CHANGE {
            return Err(OdbcError::not_supported(
                "rows cannot be locked: the lock type must be SQL_LOCK_NO_CHANGE",
            ));
        }
        let Position::Rowset { start, len } = cursor.position else {
            return Err(OdbcError::new(
                "24000",
                "invalid cursor state: the cursor is not on a rowset",
            ));
        };
        if row > len || (row == 0 && operation == SQL_POSITION) {
            return Err(OdbcError::new(
                "HY109",
                format!("row {row} is not in the rowset (rows 1 to {len})"),
            ));
        }
        match operation {
            SQL_POSITION => {}
            SQL_REFRESH => {
                let (rc, warnings) = self.load_rowset(
                    Move::To {
                        start,
                        clipped: false,
                    },
                    cancel,
                    None,
                )?;
                if row == 0 || rc == SQL_NO_DATA {
                    return Ok((rc, warnings));
                }
            }
            SQL_UPDATE | SQL_DELETE | SQL_ADD => return Err(OdbcError::not_supported(
                "the cursor is read-only: change rows with UPDATE, DELETE and INSERT statements",
            )),
            o => {
                return Err(OdbcError::new(
                    "HY092",
                    format!("SQLSetPos operation {o} is not valid"),
                ))
            }
        }
        let timeout = self.timeout();
        let cursor = self.cursor.as_mut().ok_or_else(StmtState::no_cursor)?;
        let number = start + row as u64 - 1;
        let (batch, index) = cursor
            .row(number, cancel, timeout)?
            .ok_or_else(|| OdbcError::new("HY109", format!("row {row} is not in the rowset")))?;
        cursor.current = Some((number, batch, index));
        cursor.piece = None;
        Ok((SQL_SUCCESS, vec![]))
    }

    /// SQLGetData: the current row's column into a buffer; long values in pieces.
    pub fn get_data(
        &mut self,
        column: usize,
        mut target: Target,
        ind_ptr: *mut Len,
    ) -> OdbcResult<(SqlReturn, Option<OdbcError>)> {
        let use_bookmarks = self.use_bookmarks;
        let cursor = self.cursor.as_mut().ok_or_else(StmtState::no_cursor)?;
        let Some((number, batch, row)) = cursor.current.as_ref() else {
            return Err(OdbcError::new(
                "24000",
                "invalid cursor state: no row was fetched",
            ));
        };
        if column == 0 {
            // SAFETY: the application's buffer for this call.
            return unsafe { write_bookmark(use_bookmarks, *number, &target, ind_ptr) };
        }
        if column > batch.num_columns() {
            return Err(OdbcError::invalid_column(column));
        }
        target.c_type = match target.c_type {
            SQL_C_DEFAULT => lock(&desc(self.implicit.ird).state)
                .record(column)
                .and_then(|r| r.info.as_ref())
                .map_or(SQL_C_CHAR, |i| i.default_c_type()),
            SQL_ARD_TYPE => {
                let ard = lock(&desc(self.ard).state);
                let r = ard.record(column);
                target.precision = r.map_or(0, |r| r.precision);
                target.scale = r.map_or(0, |r| r.scale);
                r.map_or(SQL_C_CHAR, |r| r.concise_type)
            }
            t => t,
        };
        let offset = match cursor.piece {
            Some((c, None)) if c == column => return Ok((SQL_NO_DATA, None)),
            Some((c, Some(off))) if c == column => off,
            _ => 0,
        };
        let value = batch.cell(column - 1, *row);
        if value == Cell::Null && ind_ptr.is_null() {
            return Err(OdbcError::new(
                "22002",
                "the value is NULL but no indicator buffer was given",
            ));
        }
        // SAFETY: the application's buffer for this call.
        let out = unsafe { to_c::write(&value, &target, offset)? };
        let more = out.warning.as_ref().is_some_and(|w| w.state == "01004");
        cursor.piece = Some((column, more.then_some(offset + out.advanced)));
        if !ind_ptr.is_null() {
            // SAFETY: the application's length/indicator buffer.
            unsafe { ind_ptr.write_unaligned(out.indicator) };
        }
        Ok((SQL_SUCCESS, out.warning))
    }
}

/// Column 0, the bookmark: the row's number, 8 bytes for variable bookmarks
/// (SQL_C_VARBOOKMARK), or as the integer type asked for (SQL_C_BOOKMARK).
unsafe fn write_bookmark(
    use_bookmarks: usize,
    row: u64,
    target: &Target,
    ind_ptr: *mut Len,
) -> OdbcResult<(SqlReturn, Option<OdbcError>)> {
    if use_bookmarks == 0 {
        return Err(OdbcError::new(
            "07009",
            "column 0 is the bookmark: set SQL_ATTR_USE_BOOKMARKS first",
        ));
    }
    let bytes = match target.c_type {
        SQL_C_BINARY | SQL_C_UBIGINT => row.to_ne_bytes().to_vec(),
        SQL_C_ULONG => u32::try_from(row)
            .map_err(|_| OdbcError::new("22003", "the row number does not fit a 32-bit bookmark"))?
            .to_ne_bytes()
            .to_vec(),
        t => {
            return Err(OdbcError::new(
                "07006",
                format!("a bookmark cannot be read as C type {t}"),
            ))
        }
    };
    if target.c_type == SQL_C_BINARY && (target.cap as usize) < bytes.len() {
        return Err(OdbcError::new(
            "22001",
            "the buffer is too small for the bookmark (8 bytes)",
        ));
    }
    if !target.ptr.is_null() {
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), target.ptr as *mut u8, bytes.len());
    }
    if !ind_ptr.is_null() {
        ind_ptr.write_unaligned(bytes.len() as Len);
    }
    Ok((SQL_SUCCESS, None))
}

/// The bookmark SQL_ATTR_FETCH_BOOKMARK_PTR points at: the row number SQLGetData gave.
unsafe fn read_bookmark(use_bookmarks: usize, ptr: usize) -> Option<u64> {
    if use_bookmarks == 0 || ptr == 0 {
        return None;
    }
    Some(match use_bookmarks {
        SQL_UB_VARIABLE => (ptr as *const u64).read_unaligned(),
        // fixed bookmarks (SQL_C_BOOKMARK) are as wide as a pointer
        _ => (ptr as *const usize).read_unaligned() as u64,
    })
}

fn bindings(ard: &Descriptor, ird: &Descriptor) -> OdbcResult<Vec<Bound>> {
    let mut bound = vec![];
    for (i, r) in ard.records.iter().enumerate() {
        if !r.is_bound() {
            continue;
        }
        let Some(info) = ird.record(i + 1).and_then(|r| r.info.as_ref()) else {
            return Err(OdbcError::invalid_column(i + 1));
        };
        let c_type = match r.concise_type {
            SQL_C_DEFAULT => info.default_c_type(),
            t => t,
        };
        let element = match c_type {
            SQL_C_CHAR | SQL_C_WCHAR | SQL_C_BINARY => r.octet_length.max(0) as usize,
            t => c_size(t),
        };
        bound.push(Bound {
            column: i,
            target: Target {
                c_type,
                ptr: r.data_ptr,
                cap: r.octet_length,
                precision: r.precision,
                scale: r.scale,
            },
            element,
            len_ptr: r.octet_length_ptr,
            ind_ptr: r.indicator_ptr,
        });
    }
    Ok(bound)
}

/// Writes one bound cell of rowset row `i`; a warning, or an error for this row only.
unsafe fn write_bound(
    ard: &Descriptor,
    b: &Bound,
    i: usize,
    value: &Cell,
) -> OdbcResult<Option<OdbcError>> {
    let target = Target {
        ptr: ard.element(b.target.ptr, i, b.element),
        ..b.target
    };
    let len_ptr = ard.element(b.len_ptr, i, std::mem::size_of::<Len>());
    let ind_ptr = ard.element(b.ind_ptr, i, std::mem::size_of::<Len>());
    if *value == Cell::Null {
        if ind_ptr.is_null() {
            return Err(OdbcError::new(
                "22002",
                format!(
                    "column {} is NULL but has no indicator buffer",
                    b.column + 1
                ),
            ));
        }
        ind_ptr.write_unaligned(SQL_NULL_DATA);
        return Ok(None);
    }
    let out = to_c::write(value, &target, 0)?;
    // row-wise binding may place the length and indicator at any address
    if !len_ptr.is_null() {
        len_ptr.write_unaligned(out.indicator);
    }
    if !ind_ptr.is_null() && ind_ptr != len_ptr {
        ind_ptr.write_unaligned(0);
    }
    Ok(out.warning)
}

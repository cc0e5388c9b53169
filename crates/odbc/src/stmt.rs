//! A statement: its attributes, descriptors, the planned statement, and the result set being
//! read. Preparing plans with the engine (so columns and parameters are described before any
//! request); executing binds the parameters and starts the stream.

use crate::cancel::Cancel;
use crate::conn::{Conn, ConnState, Link};
use crate::convert::from_c::{self, Source};
use crate::cursor::Cursor;
use crate::desc::{Desc, DescKind, DescRecord, Descriptor};
use crate::diag::{Diag, OdbcError, OdbcResult};
use crate::lock::lock;
use crate::registry::{object, Object};
use crate::runtime;
use crate::sys::*;
use crate::types::SqlTypeInfo;
use pipedrive_engine::arrow::datatypes::SchemaRef;
use pipedrive_engine::arrow::record_batch::RecordBatch;
use pipedrive_engine::{Prepared, ScalarValue, SetStatus};
use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

pub struct Stmt {
    pub conn: Handle,
    pub diag: Diag,
    pub state: Mutex<StmtState>,
    /// Set by SQLCancel (from any thread) to stop the statement's work.
    pub cancel: Cancel,
}

object!(Stmt, SQL_HANDLE_STMT);

impl Stmt {
    pub fn conn(&self) -> &Conn {
        // SAFETY: a connection frees its statements before itself, and is not freed or
        // disconnected while one of them is in a call
        unsafe { Conn::kept(self.conn) }
    }
}

/// The descriptors a statement allocates for itself.
pub struct Implicit {
    pub ard: Handle,
    pub apd: Handle,
    pub ird: Handle,
    pub ipd: Handle,
}

impl Implicit {
    pub fn handles(&self) -> [Handle; 4] {
        [self.ard, self.apd, self.ird, self.ipd]
    }
}

pub struct StmtState {
    pub implicit: Implicit,
    /// The application descriptors in use: the implicit ones or ones the application set.
    pub ard: Handle,
    pub apd: Handle,
    pub query_timeout: usize,
    pub max_rows: usize,
    pub metadata_id: usize,
    pub cursor_type: usize,
    pub concurrency: usize,
    pub noscan: usize,
    pub max_length: usize,
    pub retrieve_data: usize,
    pub use_bookmarks: usize,
    /// SQL_ATTR_FETCH_BOOKMARK_PTR: where SQLFetchScroll(SQL_FETCH_BOOKMARK) reads the bookmark.
    pub fetch_bookmark: usize,
    pub keyset_size: usize,
    pub cursor_name: String,
    /// The statement text of the last SQLPrepare / SQLExecDirect.
    pub sql: Option<String>,
    pub prepared: Option<Prepared>,
    pub cursor: Option<Cursor>,
    /// Further parameter sets of an executed array, each a result set for SQLMoreResults.
    pub pending: VecDeque<Prepared>,
    pub row_count: Len,
    /// Executed (or a catalog function's result) since the last prepare or close: what
    /// SQLRowCount and SQLNumResultCols need.
    pub executed: bool,
    /// Data-at-execution parameters still being sent (SQLParamData / SQLPutData).
    pub data_at_exec: Option<DataAtExec>,
}

pub struct DataAtExec {
    /// Parameter numbers (1-based) whose data comes at execution, in order.
    pub params: Vec<usize>,
    /// Index in `params` of the parameter being sent, once SQLParamData named it.
    pub at: Option<usize>,
    pub values: Vec<Option<Vec<u8>>>,
}

fn new_desc(kind: DescKind) -> Handle {
    Desc {
        diag: Default::default(),
        state: std::sync::Mutex::new(Descriptor::new(kind, SQL_DESC_ALLOC_AUTO)),
        conn: std::ptr::null_mut(),
    }
    .into_handle()
}

/// The descriptor behind one of a statement's descriptor handles. No registry look-up: a
/// statement's own descriptors live as long as it, and an application descriptor it uses is
/// swapped back for its own (under the statement's lock) before that descriptor is freed.
pub fn desc(h: Handle) -> &'static Desc {
    // SAFETY: see above; `h` came from Desc::into_handle.
    unsafe { Desc::kept(h) }
}

impl StmtState {
    pub fn new(conn: &ConnState) -> StmtState {
        let implicit = Implicit {
            ard: new_desc(DescKind::Ard),
            apd: new_desc(DescKind::Apd),
            ird: new_desc(DescKind::Ird),
            ipd: new_desc(DescKind::Ipd),
        };
        StmtState {
            ard: implicit.ard,
            apd: implicit.apd,
            implicit,
            query_timeout: 0,
            max_rows: 0,
            metadata_id: conn.metadata_id,
            cursor_type: SQL_CURSOR_FORWARD_ONLY,
            concurrency: SQL_CONCUR_READ_ONLY,
            noscan: 0,
            max_length: 0,
            retrieve_data: 1,
            use_bookmarks: 0,
            fetch_bookmark: 0,
            keyset_size: 0,
            cursor_name: String::new(),
            sql: None,
            prepared: None,
            cursor: None,
            pending: VecDeque::new(),
            row_count: -1,
            executed: false,
            data_at_exec: None,
        }
    }

    pub fn timeout(&self) -> Option<Duration> {
        (self.query_timeout > 0).then(|| Duration::from_secs(self.query_timeout as u64))
    }

    /// Sets a cursor attribute (type, scrollability, sensitivity, concurrency, simulation);
    /// false when the value asked for is not one these cursors have and the nearest was set.
    pub fn set_cursor_option(&mut self, attr: Integer, v: usize) -> bool {
        const SCROLLABLE: usize = 1;
        const INSENSITIVE: usize = 1;
        match attr {
            SQL_ATTR_CURSOR_TYPE => {
                // keyset-driven and dynamic cursors become static: the nearest there is
                let exact = matches!(v, SQL_CURSOR_FORWARD_ONLY | SQL_CURSOR_STATIC);
                self.cursor_type = if v == SQL_CURSOR_FORWARD_ONLY {
                    SQL_CURSOR_FORWARD_ONLY
                } else {
                    SQL_CURSOR_STATIC
                };
                exact
            }
            SQL_ATTR_CURSOR_SCROLLABLE => {
                self.cursor_type = if v == SCROLLABLE {
                    SQL_CURSOR_STATIC
                } else {
                    SQL_CURSOR_FORWARD_ONLY
                };
                v <= SCROLLABLE
            }
            // results never change under an open cursor: unspecified or insensitive
            SQL_ATTR_CURSOR_SENSITIVITY => v <= INSENSITIVE,
            SQL_ATTR_CONCURRENCY => v == SQL_CONCUR_READ_ONLY,
            _ => v == 0,
        }
    }

    /// SQL_ATTR_ROW_NUMBER: the number of the current row in the result set, 0 when none.
    pub fn row_number(&self) -> u64 {
        self.cursor
            .as_ref()
            .and_then(|c| c.current.as_ref())
            .map_or(0, |(n, _, _)| *n)
    }

    /// SQL_DIAG_CURSOR_ROW_COUNT: the rows of the open cursor, exact (what the static cursor
    /// attributes say), reading the rest of the result when needed; -1 without a cursor or
    /// when the rest cannot be read (the next fetch reports why).
    pub fn cursor_row_count(&mut self, cancel: &Cancel) -> Len {
        let timeout = self.timeout();
        match self.cursor.as_mut() {
            Some(c) if c.scrollable => c.last_row(cancel, timeout).map_or(-1, |n| n as Len),
            _ => -1,
        }
    }

    fn scrollable(&self) -> bool {
        self.cursor_type == SQL_CURSOR_STATIC
    }

    /// Closes the cursor (SQL_CLOSE): pending results too.
    pub fn close(&mut self) {
        if let Some(c) = self.cursor.as_mut() {
            c.finish();
        }
        self.cursor = None;
        self.pending.clear();
        self.data_at_exec = None;
        self.executed = false;
    }

    /// 24000 while a result set is open: the application closes it before running another
    /// statement on the handle.
    fn no_open_cursor(&self) -> OdbcResult<()> {
        match self.cursor {
            Some(_) => Err(OdbcError::new(
                "24000",
                "invalid cursor state: a result set is open on this statement \
                 (close it with SQLCloseCursor or SQLFreeStmt(SQL_CLOSE) first)",
            )),
            None => Ok(()),
        }
    }

    /// The number of result columns: 0 for a statement without a result; HY010 before the
    /// statement was prepared or executed.
    pub fn result_columns(&self) -> OdbcResult<usize> {
        if self.prepared.is_none() && !self.executed {
            return Err(OdbcError::sequence(
                "the statement has not been prepared or executed",
            ));
        }
        Ok(self.column_count())
    }

    /// SQLRowCount: the rows a write changed (-1 for a query); HY010 before execution.
    pub fn rows_changed(&self) -> OdbcResult<Len> {
        if !self.executed {
            return Err(OdbcError::sequence("the statement has not been executed"));
        }
        Ok(self.row_count)
    }

    /// Plans `sql` and describes its columns (IRD) and parameters (IPD).
    pub fn prepare(&mut self, link: &Link, sql: &str, cancel: &Cancel) -> OdbcResult<()> {
        self.no_open_cursor()?;
        self.close();
        self.prepared = None;
        self.sql = Some(sql.to_string());
        let session = &link.session;
        link.log(2, || format!("prepare: {sql}"));
        let prepared = runtime::wait(
            async { session.prepare(sql).await.map_err(OdbcError::from) },
            Some(cancel),
            self.timeout(),
        )?;
        self.describe(&prepared.schema, &prepared.tables);
        {
            let mut ipd = lock(&desc(self.implicit.ipd).state);
            for (i, ty) in prepared.parameters.iter().enumerate() {
                let r = ipd.record_mut(i + 1);
                if r.info.is_none() || r.concise_type == SQL_C_DEFAULT {
                    let info = ty.as_ref().map(|t| SqlTypeInfo::of(t, None));
                    if let Some(info) = &info {
                        r.set_type(info.sql_type);
                        r.length = info.column_size;
                        r.precision = info.column_size as SmallInt;
                        r.scale = info.decimal_digits;
                    }
                    r.info = info;
                    r.nullable = SQL_NULLABLE;
                }
            }
        }
        self.prepared = Some(prepared);
        Ok(())
    }

    /// Fills the IRD from a result schema.
    pub fn describe(&mut self, schema: &SchemaRef, tables: &[Option<String>]) {
        let mut ird = lock(&desc(self.implicit.ird).state);
        ird.records = schema
            .fields()
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let info = SqlTypeInfo::of_field(f);
                let mut r = DescRecord::default();
                r.set_type(info.sql_type);
                r.length = info.column_size;
                r.octet_length = info.octet_length as Len;
                r.precision = info.column_size.min(i16::MAX as usize) as SmallInt;
                r.scale = info.decimal_digits;
                r.nullable = if f.is_nullable() {
                    SQL_NULLABLE
                } else {
                    SQL_NO_NULLS
                };
                r.name = f.name().clone();
                r.table_name = tables.get(i).cloned().flatten().unwrap_or_default();
                r.info = Some(info);
                r
            })
            .collect();
    }

    /// Number of result columns (0 before prepare).
    pub fn column_count(&self) -> usize {
        lock(&desc(self.implicit.ird).state).records.len()
    }

    /// Runs the prepared statement with the bound parameters: one result set per parameter
    /// set, the first opened now.
    pub fn execute(&mut self, link: &Link, cancel: &Cancel) -> OdbcResult<SqlReturn> {
        self.no_open_cursor()?;
        self.close();
        let prepared = self
            .prepared
            .clone()
            .ok_or_else(|| OdbcError::sequence("SQLExecute without a prepared statement"))?;
        let count = prepared.parameters.len();
        if count > 0 {
            if let Some(dae) = self.data_at_exec_params(count)? {
                self.data_at_exec = Some(dae);
                return Ok(SQL_NEED_DATA);
            }
        }
        let sets = self.parameter_sets(&prepared, None)?;
        self.run(link, sets, cancel)
    }

    fn run(&mut self, link: &Link, sets: Vec<Prepared>, cancel: &Cancel) -> OdbcResult<SqlReturn> {
        self.row_count = -1;
        self.executed = true;
        link.log(3, || {
            format!("execute: {}", self.sql.as_deref().unwrap_or(""))
        });
        // parameter sets the application marked SQL_PARAM_IGNORE are left out
        let operations = lock(&desc(self.apd).state).array_status_ptr;
        let ignored = |i: usize| {
            // SAFETY: the application's operation array holds one entry per parameter set.
            !operations.is_null()
                && unsafe { operations.add(i).read_unaligned() } == SQL_PARAM_IGNORE
        };
        let n = sets.len();
        let (used, chosen): (Vec<usize>, Vec<Prepared>) = sets
            .into_iter()
            .enumerate()
            .filter(|(i, _)| n == 1 || !ignored(*i))
            .unzip();
        if chosen.first().is_some_and(Prepared::is_write) {
            return self.run_write(link, chosen, &used, n);
        }
        let statuses = vec![SQL_PARAM_SUCCESS; used.len()];
        self.param_statuses(n, &used, &statuses);
        self.pending = chosen.into();
        self.open_next(link, cancel)?;
        Ok(SQL_SUCCESS)
    }

    /// INSERT, UPDATE or DELETE over the parameter sets: all sets' rows are found and checked,
    /// then written. SQLRowCount answers the rows written; the parameter status array says
    /// which sets were written, failed, or were not run. Any failure is SQL_ERROR with a
    /// message naming what was and was not written. A write runs to its end: neither
    /// SQLCancel nor the query timeout cuts it off half way (the API's own time limit applies
    /// to each request), so the report is never lost.
    fn run_write(
        &mut self,
        link: &Link,
        sets: Vec<Prepared>,
        used: &[usize],
        n: usize,
    ) -> OdbcResult<SqlReturn> {
        let written = runtime::wait(async { Ok(Prepared::write_sets(sets).await) }, None, None)?;
        self.row_count = written.affected as Len;
        let statuses: Vec<USmallInt> = written
            .sets
            .iter()
            .map(|s| match s {
                SetStatus::Done(_) => SQL_PARAM_SUCCESS,
                SetStatus::Failed => SQL_PARAM_ERROR,
                SetStatus::NotRun => SQL_PARAM_UNUSED,
            })
            .collect();
        self.param_statuses(n, used, &statuses);
        link.log(3, || format!("written: {} row(s)", written.affected));
        if let Some(e) = written.error {
            link.log(1, || format!("write stopped: {}", e.message));
            return Err(e.into());
        }
        if let Some(rows) = written.rows {
            self.cursor = Some(Cursor::streaming(
                rows,
                self.row_limit(link),
                self.scrollable(),
            ));
        }
        Ok(SQL_SUCCESS)
    }

    /// Fills SQL_ATTR_PARAM_STATUS_PTR (one entry per set; ignored sets SQL_PARAM_UNUSED) and
    /// SQL_ATTR_PARAMS_PROCESSED_PTR (the sets that were run, written or failed).
    fn param_statuses(&self, n: usize, used: &[usize], statuses: &[USmallInt]) {
        let ipd = lock(&desc(self.implicit.ipd).state);
        if !ipd.array_status_ptr.is_null() {
            for i in 0..n {
                let status = used
                    .iter()
                    .position(|&u| u == i)
                    .and_then(|k| statuses.get(k).copied())
                    .unwrap_or(SQL_PARAM_UNUSED);
                // SAFETY: the application's status array holds one entry per parameter set.
                unsafe { ipd.array_status_ptr.add(i).write_unaligned(status) };
            }
        }
        let processed_ptr = ipd.rows_processed_ptr;
        if !processed_ptr.is_null() {
            let processed = statuses.iter().filter(|s| **s != SQL_PARAM_UNUSED).count();
            // SAFETY: set by the application through SQL_ATTR_PARAMS_PROCESSED_PTR.
            unsafe { processed_ptr.write_unaligned(processed) };
        }
    }

    /// Opens the next pending result set; false when there is none.
    pub fn open_next(&mut self, link: &Link, cancel: &Cancel) -> OdbcResult<bool> {
        self.cursor = None;
        let Some(next) = self.pending.pop_front() else {
            return Ok(false);
        };
        cancel.reset();
        // the row limit (SQL_ATTR_MAX_ROWS, MaxRows) goes into the plan, so no page is read
        // ahead for rows that will never be handed out
        let limit = self.row_limit(link);
        let next = if limit > 0 { next.limited(limit) } else { next };
        let stream = runtime::wait(
            async { next.execute().await.map_err(OdbcError::from) },
            Some(cancel),
            self.timeout(),
        )?;
        self.cursor = Some(Cursor::streaming(stream, limit, self.scrollable()));
        Ok(true)
    }

    /// A result built whole (catalog functions).
    pub fn open_batches(&mut self, link: &Link, schema: &SchemaRef, batches: Vec<RecordBatch>) {
        self.close();
        self.prepared = None;
        self.describe(schema, &[]);
        self.cursor = Some(Cursor::batches(
            batches,
            self.row_limit(link),
            self.scrollable(),
        ));
        self.row_count = -1;
        self.executed = true;
    }

    fn row_limit(&self, link: &Link) -> u64 {
        match (self.max_rows as u64, link.max_rows) {
            (0, c) => c,
            (s, 0) => s,
            (s, c) => s.min(c),
        }
    }

    /// Parameter numbers bound as data-at-execution, if any.
    fn data_at_exec_params(&self, count: usize) -> OdbcResult<Option<DataAtExec>> {
        let apd = lock(&desc(self.apd).state);
        let mut params = vec![];
        for n in 1..=count {
            let Some(r) = apd.record(n) else { continue };
            let len_ptr = apd.element(r.octet_length_ptr, 0, std::mem::size_of::<Len>());
            if !len_ptr.is_null() {
                // SAFETY: bound by the application, valid during execution (row-wise
                // binding may place it at any address).
                let len = unsafe { len_ptr.read_unaligned() };
                if len == SQL_DATA_AT_EXEC || len <= SQL_LEN_DATA_AT_EXEC_OFFSET {
                    params.push(n);
                }
            }
        }
        Ok((!params.is_empty()).then(|| DataAtExec {
            values: vec![None; params.len()],
            params,
            at: None,
        }))
    }

    /// SQLParamData: names the next data-at-execution parameter, or runs the statement once
    /// all were sent. Returns the return code and the parameter's token (its data pointer).
    pub fn param_data(&mut self, link: &Link, cancel: &Cancel) -> OdbcResult<(SqlReturn, Pointer)> {
        let Some(dae) = self.data_at_exec.as_mut() else {
            return Err(OdbcError::sequence(
                "SQLParamData without parameters waiting for data",
            ));
        };
        let next = dae.at.map_or(0, |i| i + 1);
        if next < dae.params.len() {
            dae.at = Some(next);
            let n = dae.params[next];
            let apd = lock(&desc(self.apd).state);
            let token = apd
                .record(n)
                .map(|r| r.data_ptr)
                .unwrap_or(std::ptr::null_mut());
            return Ok((SQL_NEED_DATA, token));
        }
        let dae = self.data_at_exec.take().expect("checked");
        let prepared = self
            .prepared
            .clone()
            .ok_or_else(|| OdbcError::sequence("no statement"))?;
        let sent: Vec<(usize, Option<Vec<u8>>)> = dae.params.into_iter().zip(dae.values).collect();
        let sets = self.parameter_sets(&prepared, Some(&sent))?;
        Ok((self.run(link, sets, cancel)?, std::ptr::null_mut()))
    }

    /// SQLPutData: appends a piece of the current data-at-execution parameter.
    pub fn put_data(&mut self, data: Pointer, len: Len) -> OdbcResult<()> {
        let apd = lock(&desc(self.apd).state);
        let Some(dae) = self.data_at_exec.as_mut() else {
            return Err(OdbcError::sequence(
                "SQLPutData without a parameter waiting for data",
            ));
        };
        let Some(at) = dae.at else {
            return Err(OdbcError::sequence("SQLPutData before SQLParamData"));
        };
        let c_type = apd
            .record(dae.params[at])
            .map(|r| r.concise_type)
            .unwrap_or(SQL_C_CHAR);
        let slot = &mut dae.values[at];
        if len == SQL_NULL_DATA {
            *slot = None;
            return Ok(());
        }
        if data.is_null() && len != 0 && len != SQL_DEFAULT_PARAM {
            return Err(OdbcError::new(
                "HY009",
                "SQLPutData was given no data pointer with a length that is not 0",
            ));
        }
        let bytes: Vec<u8> = if data.is_null() {
            vec![]
        } else if len == SQL_NTS {
            let unit = if c_type == SQL_C_WCHAR {
                crate::text::wchar_size()
            } else {
                1
            };
            let mut n = 0;
            // SAFETY: a NUL-terminated string from the application.
            unsafe {
                while (0..unit).any(|k| *(data as *const u8).add(n + k) != 0) {
                    n += unit;
                }
                std::slice::from_raw_parts(data as *const u8, n).to_vec()
            }
        } else if len >= 0 {
            // SAFETY: the application passes `len` bytes.
            unsafe { std::slice::from_raw_parts(data as *const u8, len as usize).to_vec() }
        } else {
            return Err(OdbcError::new("HY090", format!("invalid length {len}")));
        };
        slot.get_or_insert_with(Vec::new).extend(bytes);
        Ok(())
    }

    /// The statement bound with each parameter set's values.
    fn parameter_sets(
        &self,
        prepared: &Prepared,
        sent: Option<&[(usize, Option<Vec<u8>>)]>,
    ) -> OdbcResult<Vec<Prepared>> {
        let count = prepared.parameters.len();
        if count == 0 {
            return Ok(vec![prepared.clone()]);
        }
        let apd = lock(&desc(self.apd).state);
        let ipd = lock(&desc(self.implicit.ipd).state);
        let sets = apd.array_size.max(1);
        let mut out = Vec::with_capacity(sets.min(1024));
        for row in 0..sets {
            let mut values = Vec::with_capacity(count);
            for n in 1..=count {
                if let Some((_, bytes)) = sent.and_then(|s| s.iter().find(|(p, _)| *p == n)) {
                    values.push(sent_value(apd.record(n), bytes.as_deref())?);
                    continue;
                }
                let r = apd.record(n).filter(|r| r.is_bound()).ok_or_else(|| {
                    OdbcError::new(
                        "07002",
                        format!("parameter {n} has no value bound (SQLBindParameter)"),
                    )
                })?;
                let sql_type = ipd.record(n).map(|r| r.concise_type).unwrap_or(SQL_VARCHAR);
                let c_type = match r.concise_type {
                    SQL_C_DEFAULT => SqlTypeInfo::of(
                        &from_c::sql_type_hint(sql_type)
                            .unwrap_or(pipedrive_engine::arrow::datatypes::DataType::Utf8),
                        None,
                    )
                    .default_c_type(),
                    t => t,
                };
                let elem = match c_type {
                    SQL_C_CHAR | SQL_C_WCHAR | SQL_C_BINARY => r.octet_length.max(0) as usize,
                    t => c_size(t),
                };
                let len_ptr = apd.element(r.octet_length_ptr, row, std::mem::size_of::<Len>());
                let ind_ptr = apd.element(r.indicator_ptr, row, std::mem::size_of::<Len>());
                // SAFETY: pointers the application bound for this parameter set.
                // (row-wise binding may place them at any address)
                let ind = unsafe { (!ind_ptr.is_null()).then(|| ind_ptr.read_unaligned()) };
                let len = unsafe { (!len_ptr.is_null()).then(|| len_ptr.read_unaligned()) };
                let len = match (ind, len) {
                    (Some(SQL_NULL_DATA), _) => SQL_NULL_DATA,
                    (_, Some(l)) => l,
                    _ => SQL_NTS,
                };
                let src = Source {
                    c_type,
                    ptr: apd.element(r.data_ptr, row, elem),
                    len,
                };
                // SAFETY: the application bound this buffer for the parameter.
                let mut v = unsafe { from_c::read(&src)? };
                if v.is_null() {
                    if let Some(t) = from_c::sql_type_hint(sql_type) {
                        v = ScalarValue::try_from(&t).unwrap_or(ScalarValue::Null);
                    }
                }
                values.push(v);
            }
            out.push(prepared.bind(values)?);
        }
        Ok(out)
    }
}

fn sent_value(r: Option<&DescRecord>, bytes: Option<&[u8]>) -> OdbcResult<ScalarValue> {
    let Some(bytes) = bytes else {
        return Ok(ScalarValue::Null);
    };
    let c_type = r.map(|r| r.concise_type).unwrap_or(SQL_C_CHAR);
    let src = Source {
        c_type,
        ptr: bytes.as_ptr() as Pointer,
        len: bytes.len() as Len,
    };
    // SAFETY: the bytes the application sent, of that C type.
    unsafe { from_c::read(&src) }
}

/// Bytes of a fixed-size C type.
pub fn c_size(c_type: SmallInt) -> usize {
    match c_type {
        SQL_C_SBIGINT | SQL_C_UBIGINT | SQL_C_DOUBLE => 8,
        SQL_C_SLONG | SQL_C_ULONG | SQL_C_LONG | SQL_C_FLOAT => 4,
        SQL_C_SSHORT | SQL_C_USHORT | SQL_C_SHORT => 2,
        SQL_C_STINYINT | SQL_C_UTINYINT | SQL_C_TINYINT | SQL_C_BIT => 1,
        SQL_C_TYPE_DATE | SQL_C_DATE | SQL_C_TYPE_TIME | SQL_C_TIME => 6,
        SQL_C_TYPE_TIMESTAMP | SQL_C_TIMESTAMP => 16,
        SQL_C_NUMERIC => 19,
        SQL_C_GUID => 16,
        _ => 0,
    }
}

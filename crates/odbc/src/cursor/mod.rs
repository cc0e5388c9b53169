//! A result set being read. Batches arrive from the engine's stream (or were built whole, for
//! catalog functions) and their rows are numbered from 1 in arrival order ([`store`]). A
//! forward-only cursor keeps only the batches of its current rowset; a static (scrollable)
//! cursor keeps every row it has read, so the application can go back to any of them
//! ([`scroll`] says where each fetch goes). The stream is read only as far as a fetch needs.

pub mod scroll;
mod store;

use crate::cancel::Cancel;
use crate::convert::Rows;
use crate::diag::{OdbcError, OdbcResult};
use crate::runtime;
use futures_util::StreamExt;
use pipedrive_engine::arrow::record_batch::RecordBatch;
use pipedrive_engine::SendableRecordBatchStream;
use scroll::Position;
use std::sync::Arc;
use std::time::Duration;
use store::{RowStore, MEMORY_BUDGET};

pub struct Cursor {
    stream: Option<SendableRecordBatchStream>,
    rows: RowStore,
    /// The most rows to hand out (0: all).
    limit: u64,
    /// All rows were received: the stream ended or the limit was reached.
    complete: bool,
    pub scrollable: bool,
    pub position: Position,
    /// The row SQLGetData reads (the first of the rowset, or the one SQLSetPos chose): its
    /// number, its batch and its index in the batch.
    pub current: Option<(u64, Arc<Rows>, usize)>,
    /// SQLGetData progress on the current row: column and bytes already returned, or `None`
    /// once the column was read whole.
    pub piece: Option<(usize, Option<usize>)>,
}

impl Cursor {
    pub fn streaming(stream: SendableRecordBatchStream, limit: u64, scrollable: bool) -> Cursor {
        Cursor {
            stream: Some(stream),
            ..Cursor::batches(vec![], limit, scrollable)
        }
    }

    pub fn batches(batches: Vec<RecordBatch>, limit: u64, scrollable: bool) -> Cursor {
        let whole = !batches.is_empty();
        let mut cursor = Cursor {
            stream: None,
            // batches built whole are in memory already: no spill file for them
            rows: RowStore::new(if whole { usize::MAX } else { MEMORY_BUDGET }),
            limit,
            complete: false,
            scrollable,
            position: Position::BeforeStart,
            current: None,
            piece: None,
        };
        for b in batches {
            let kept = cursor.receive(b);
            debug_assert!(kept.is_ok(), "only spilling can fail");
        }
        if whole {
            cursor.end_stream();
        }
        cursor
    }

    /// Adds a batch from the stream, cut at the row limit.
    fn receive(&mut self, batch: RecordBatch) -> OdbcResult<()> {
        let room = match self.limit {
            0 => u64::MAX,
            l => l.saturating_sub(self.rows.received()),
        };
        let batch = if (batch.num_rows() as u64) > room {
            batch.slice(0, room as usize)
        } else {
            batch
        };
        self.rows.push(batch)?;
        if self.limit > 0 && self.rows.received() >= self.limit {
            self.end_stream();
        }
        Ok(())
    }

    fn end_stream(&mut self) {
        self.complete = true;
        // dropping the stream stops paging: no more API requests
        self.stream = None;
    }

    /// Reads until row `row` was received or the result ended: whether the row exists.
    fn reach(&mut self, row: u64, cancel: &Cancel, timeout: Option<Duration>) -> OdbcResult<bool> {
        while self.rows.received() < row {
            if self.complete {
                return Ok(false);
            }
            let Some(stream) = self.stream.as_mut() else {
                self.complete = true;
                return Ok(false);
            };
            let next = runtime::wait(
                async {
                    stream
                        .next()
                        .await
                        .transpose()
                        .map_err(|e| OdbcError::from(pipedrive_engine::EngineError::from(e)))
                },
                Some(cancel),
                timeout,
            );
            match next {
                Ok(Some(batch)) => self.receive(batch)?,
                Ok(None) => self.end_stream(),
                Err(e) => {
                    // a failed or cancelled read ends the result set: paging stops
                    self.finish();
                    return Err(e);
                }
            }
        }
        Ok(true)
    }

    /// The number of the last row, reading the rest of the result.
    pub fn last_row(&mut self, cancel: &Cancel, timeout: Option<Duration>) -> OdbcResult<u64> {
        self.reach(u64::MAX, cancel, timeout)?;
        Ok(self.rows.received())
    }

    /// Row `row`: its batch and index, reading as far as needed; `None` past the end.
    pub fn row(
        &mut self,
        row: u64,
        cancel: &Cancel,
        timeout: Option<Duration>,
    ) -> OdbcResult<Option<(Arc<Rows>, usize)>> {
        if row == 0 || !self.reach(row, cancel, timeout)? {
            return Ok(None);
        }
        self.rows.get(row)
    }

    /// Before a forward-only cursor moves to the rowset starting at `start`: the rows before
    /// it are not needed again.
    pub fn leaving_rows_before(&mut self, start: u64) {
        if !self.scrollable {
            self.rows.release_before(start);
        }
    }

    /// Ends the result set and drops the stream (no more API requests).
    pub fn finish(&mut self) {
        self.end_stream();
        self.rows = RowStore::new(MEMORY_BUDGET);
        self.position = Position::AfterEnd;
        self.current = None;
    }
}
